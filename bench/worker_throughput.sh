#!/usr/bin/env bash
# Worker throughput on this machine: trains bench/throughput.yaml (one budget, five model sizes, two workers
# side by side, one thread each, as the quickstart runs) and prints tokens/s and 6N-FLOP/s per model size.
# Each worker reports its own training time, so JVM start-up is left out.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$repo/isoflop" sweep "$repo/bench/throughput.yaml" --no-fit --heartbeat 600 > sweep.log
printf '%-24s %8s %10s %10s %12s %12s\n' run N tokens seconds tokens/s GFLOP/s_6N
for log in sweeps/throughput/runs/*/attempt-1.log; do
  run=$(basename "$(dirname "$log")")
  n=$(sed -n 's/^parameters: total [0-9]*, non-embedding \([0-9]*\)$/\1/p' "$log")
  read -r tokens seconds < <(sed -n 's/^done: [0-9]* steps, \([0-9]*\) tokens, .*, \([0-9.]*\) s$/\1 \2/p' "$log")
  awk -v r="$run" -v n="$n" -v t="$tokens" -v s="$seconds" \
    'BEGIN { printf "%-24s %8d %10d %10.1f %12.0f %12.2f\n", r, n, t, s, t / s, 6 * n * t / s / 1e9 }'
done | sort -k2 -n
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load now $(cut -d' ' -f1 /proc/loadavg)"
