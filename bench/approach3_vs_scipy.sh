#!/usr/bin/env bash
# Reference comparison for the fitter's Approach 3 (the parametric fit): the Java fit (ddogleg BFGS, analytic
# gradient) against scipy's L-BFGS-B on the same objective, the same data and the same 4,500 starts.
#
#   bench/approach3_vs_scipy.sh            scipy gets the analytic gradient too (jac=True)
#   SCIPY_GRADIENT=numeric bench/...       scipy differences the objective, as Epoch's notebook did
#
# Installs python3-scipy and python3-numpy from Debian when /usr/bin/python3 lacks them (needs root), builds the
# fitter when its classes are missing, then prints both optima, the largest relative parameter difference, the
# objectives and the time ratio. Exits 1 when the objectives differ by more than 1e-6 relative.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=/usr/bin/python3 # Debian's python, not a pyenv one earlier on PATH
if ! "$PYTHON" -c 'import numpy, scipy' 2>/dev/null; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-scipy python3-numpy
fi

BENCH_CLASS=fitter/target/test-classes/io/isoflop/fitter/bench/Approach3Bench.class
if [ ! -f "$BENCH_CLASS" ] || [ ! -d fitter/target/lib ]; then
  mvn -q -pl fitter -am -DskipTests package
fi
CLASSPATH="fitter/target/classes:fitter/target/test-classes:fitter/target/lib/*"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

java -cp "$CLASSPATH" io.isoflop.fitter.bench.Approach3Bench write-csv "$work/points.csv"
echo "data: $(($(wc -l < "$work/points.csv") - 1)) points from E=1.69 A=406.4 B=410.7 alpha=0.34 beta=0.28," \
  "1% multiplicative noise, fixed seed ($work/points.csv)"

"$PYTHON" bench/approach3_scipy.py fit "$work/points.csv" "$work/scipy.json" "${SCIPY_GRADIENT:-analytic}"
java -cp "$CLASSPATH" io.isoflop.fitter.bench.Approach3Bench fit "$work/points.csv" "$work/java.json"
echo
"$PYTHON" bench/approach3_scipy.py compare "$work/scipy.json" "$work/java.json"
