#!/usr/bin/env bash
# Adaptive vs uniform IsoFLOP grid (issue 11): both sweeps played out REPS times in simulation against the same known
# law (Chinchilla's fit, 1% per-run and 1% per-evaluation noise) with `isoflop plan --precision`, each repetition fitted
# with Approach 2 as the fitter fits it. Uniform: examples/simulated.yaml (9 budgets 1e15..1e19 x 9 sizes, already
# centred on this law's optimum). Adaptive: examples/adaptive.yaml (the same spec; the 3 smallest budgets on those 9
# sizes, every later budget 3 sizes around its predicted N_opt, stopping early once its own parametric bootstrap
# says the 95% interval on a is at most 0.05 wide). Prints the mean FLOPs, the spread of the fitted a over the
# repetitions (2.5-97.5 percentile width and 3.92 x standard deviation) and the adaptive/uniform ratios.
#
# A width measured over 20 sweeps is itself uncertain (about ±16% for the standard deviation), so the comparison is also
# printed over LARGE_REPS (default 100) sweeps.
#
#   bench/adaptive_grid.sh [REPS=20] [SEED=1] [LARGE_REPS=100]
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-20}
SEED=${2:-1}
LARGE_REPS=${3:-100}
./isoflop --version >/dev/null # builds on first use
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; seed $SEED"

measure() { # spec repetitions -> "flops p_width sd"
  java -cp "scheduler/target/isoflop-scheduler.jar:scheduler/target/lib/*" io.isoflop.scheduler.cli.IsoflopCli plan "$1" --precision --repetitions "$2" --seed "$SEED" --target 1e20 \
    | awk '/^cost:/{match($0, /mean [0-9.e+-]+/); f=substr($0, RSTART+5, RLENGTH-5)}
           /^a  \(N_opt/{w=$(NF-1); sd=$NF}
           END{print f, w, sd}'
}
for reps in "$REPS" "$LARGE_REPS"; do
read -r uf uw usd < <(measure examples/simulated.yaml "$reps")
read -r af aw asd < <(measure examples/adaptive.yaml "$reps")
echo "--- $reps repetitions of each sweep"
awk -v uf="$uf" -v uw="$uw" -v usd="$usd" -v af="$af" -v aw="$aw" -v asd="$asd" 'BEGIN{
  printf "%-10s %12s %22s %20s\n", "grid", "FLOPs", "a: 95% percentile width", "a: 3.92 x std dev"
  printf "%-10s %12.3g %22.4f %20.4f\n", "uniform", uf, uw, 3.92*usd
  printf "%-10s %12.3g %22.4f %20.4f\n", "adaptive", af, aw, 3.92*asd
  printf "adaptive/uniform: FLOPs %.3f (%.0f%% fewer), percentile width %.3f, std-dev width %.3f\n", af/uf, 100*(1-af/uf), aw/uw, asd/usd
}'
done
