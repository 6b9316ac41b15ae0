#!/usr/bin/env bash
# The fitter at scale (issue 10): for each decade k of DECADES, a simulated sweep of about 10^k metric rows
# (`isoflop sweep --backend simulate --no-fit`: every run drawn from a known law and written as a worker writes it),
# then `isoflop fit` on it (local[*], the default 1,000 bootstrap resamples), timed. Prints per sweep the runs, files,
# metric rows, the fit's wall time, rows/s, the ratio of times to the previous decade (linear cost: ~10x) and the
# fitter's own stage times.
#
#   bench/fitter_scale.sh [DECADES="5 6 7 8"] [WORK=/tmp/isoflop-fitter-scale]
#   S3_DECADES="5 6 7" bench/fitter_scale.sh ...   also fit those sweeps from an S3 endpoint on 127.0.0.1 (s3proxy,
#                                                  filesystem store under WORK): each sweep's metrics are uploaded
#                                                  through the S3 API, then read through S3A (s3://)
#
# Sweep shapes: 10^5 rows = 100 runs (10 budgets x 10 sizes), 10^6 = 500 (25 x 20), 10^7 = 2,000 (100 x 20),
# 10^8 = 5,000 (250 x 20); about 50 evaluations a run. 10^8 rows take ~6 GB of disk and ~10 minutes to draw.
set -euo pipefail
cd "$(dirname "$0")/.."
DECADES=${1:-"5 6 7 8"}
WORK=${2:-/tmp/isoflop-fitter-scale}
mkdir -p "$WORK"
./isoflop --version >/dev/null # builds on first use

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

spec() { # name budgets per_budget sequences interval
  cat <<YAML
sweep: {name: $1, output: '$WORK', seed: 11}
budgets:
  range: {min: 1e17, max: 1e20, count: $2}
models:
  per_budget: $3
  tokens_per_parameter: {min: 2, max: 200}
flops: {convention: 6N, parameters: non_embedding}
shape: {vocab: 50304, context: 2048, aspect_ratio: 32, head_dim: 16, width_multiple: 8, mlp_ratio: 4, min_layers: 1}
batch: {sequences: $4, min_steps: 10}
eval: {interval_tokens: $5}
resources: {gpus: 0, cpu: 1, memory: 1Gi}
limits: {max_parallel: 2, max_runs: 100000}
simulate:
  law: {E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28}
  noise: {run: 0.01, eval: 0.01}
YAML
}

# prints "total_tokens rows" of a planned spec
planned() {
  ./isoflop plan --json "$1" | python3 -c '
import json, sys
plan = json.load(sys.stdin)
runs = plan["runs"]
print(sum(r["tokens"] for r in runs), sum(r["training"]["steps"] + 1 for r in runs))'
}

printf '\n%-7s %6s %7s %12s %9s %12s %8s  %s\n' decade runs files rows "fit s" "rows/s" ratio "fitter stages"
S3_DECADES=${S3_DECADES:-}
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)
fitter_cp="fitter/target/isoflop-fitter.jar:fitter/target/lib/*"
s3_pid=""
if [ -n "$S3_DECADES" ]; then
  [ -f fitter/target/s3proxy/s3proxy.jar ] && [ -d fitter/target/test-classes/io/isoflop/fitter/bench ] \
    || mvn -q -pl contracts,fitter -DskipTests install >/dev/null
  mkdir -p "$WORK/s3-data"
  port=18090
  cat > "$WORK/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v4
s3proxy.identity=bench-access-key
s3proxy.credential=bench-secret-key-0123456789
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3-data
PROPS
  java -Xmx1g -jar fitter/target/s3proxy/s3proxy.jar --properties "$WORK/s3proxy.properties" > "$WORK/s3proxy.log" 2>&1 &
  s3_pid=$!
  trap 'kill $s3_pid 2>/dev/null || true' EXIT
  until (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.5; done
  export ISOFLOP_S3_ENDPOINT=http://127.0.0.1:$port ISOFLOP_S3_PATH_STYLE=true AWS_REGION=us-east-1
  export AWS_ACCESS_KEY_ID=bench-access-key AWS_SECRET_ACCESS_KEY=bench-secret-key-0123456789
fi

previous=""
for k in $DECADES; do
  case $k in
    5) budgets=10; sizes=10 ;;
    6) budgets=25; sizes=20 ;;
    7) budgets=100; sizes=20 ;;
    8) budgets=250; sizes=20 ;;
    *) echo "decade $k: choose 5, 6, 7 or 8" >&2; exit 2 ;;
  esac
  name="rows1e$k"
  target=$((10 ** k))
  runs=$((budgets * sizes))
  file="$WORK/$name.yaml"
  spec "$name" $budgets $sizes 64 1000000000 > "$file"
  read -r tokens _ < <(planned "$file")
  # a batch that makes the rows come to the target, and ~50 evaluations a run
  sequences=$(python3 -c "print(max(1, round($tokens / ($target * 2048))))")
  interval=$(python3 -c "print(max(1, int($tokens / ($runs * 50))))")
  spec "$name" $budgets $sizes "$sequences" "$interval" > "$file"
  if [ ! -f "$WORK/$name/.drawn" ]; then
    rm -rf "${WORK:?}/$name"
    draw_start=$(date +%s.%N)
    ./isoflop sweep "$file" --backend simulate --no-fit > "$WORK/$name.sweep.log" 2>&1
    touch "$WORK/$name/.drawn"
    echo "  (drew $name: $(awk -v s="$draw_start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f s", e - s}'))" >&2
  fi
  fit_start=$(date +%s.%N)
  ./isoflop fit "$WORK/$name" > "$WORK/$name.fit.log" 2>&1
  seconds=$(awk -v s="$fit_start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
  fitter_log="$WORK/$name/fit/fitter.log" # the fitter's own output: its stage times
  read -r files rows < <(sed -n 's/.*read (\([0-9]*\) files, \([0-9]*\) rows).*/\1 \2/p' "$fitter_log")
  stages=$(sed -n 's/^ *time: //p' "$fitter_log")
  ratio=$([ -n "$previous" ] && awk -v a="$seconds" -v b="$previous" 'BEGIN {printf "%.2fx", a / b}' || echo "-")
  printf '%-7s %6d %7d %12d %9s %12.0f %8s  %s\n' "1e$k" "$runs" "$files" "$rows" "$seconds" \
    "$(awk -v r="$rows" -v s="$seconds" 'BEGIN {print r / s}')" "$ratio" "$stages"
  grep -E "^ *approach 3:|^ *bootstrap" "$fitter_log" | sed 's/^ */         /' | head -2
  previous=$seconds
  if [[ " $S3_DECADES " == *" $k "* ]]; then
    # shellcheck disable=SC2086
    java -cp "fitter/target/test-classes:$fitter_cp:contracts/target/classes" io.isoflop.fitter.bench.S3Upload \
      "$WORK/$name/metrics" "s3://bench/$name/metrics" 2>/dev/null | sed 's/^/         s3: /'
    s3_start=$(date +%s.%N)
    # shellcheck disable=SC2086
    java $flags -cp "$fitter_cp" io.isoflop.fitter.FitterMain --metrics "s3://bench/$name/metrics" \
      --out "$WORK/$name/fit-s3" > "$WORK/$name.fit-s3.log" 2>&1
    s3_seconds=$(awk -v s="$s3_start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
    printf '%-7s %6s %7s %12s %9s %12.0f %8s  %s\n' "1e$k s3" "" "" "" "$s3_seconds" \
      "$(awk -v r="$rows" -v s="$s3_seconds" 'BEGIN {print r / s}')" \
      "$(awk -v a="$s3_seconds" -v b="$seconds" 'BEGIN {printf "%.2fx local", a / b}')" \
      "$(sed -n 's/^ *time: //p' "$WORK/$name.fit-s3.log")"
  fi
done
