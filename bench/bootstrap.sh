#!/usr/bin/env bash
# The fitter's bootstrap over runs on a local Spark: times RESAMPLES resamples (default 1000; the fitter's default)
# of Approaches 2 and 3 and prints the intervals against the known law, on the 100-point 1%-noise Chinchilla surface
# and on the same law as a 36-run IsoFLOP sweep.
#
#   bench/bootstrap.sh [RESAMPLES [MASTER]]      MASTER defaults to local[*]
#   bench/bootstrap.sh starts-check N            the reduced per-resample start grid against Epoch's 4,500 starts
#                                                on the first N resamples of the surface (no Spark)
#
# Builds the fitter (with its test classes, where the benchmark lives) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_CLASS=fitter/target/test-classes/io/isoflop/fitter/bench/BootstrapBench.class
if [ ! -f "$BENCH_CLASS" ] || [ ! -d fitter/target/lib ]; then
  mvn -q -pl contracts,fitter -am -DskipTests install
fi
# the JVM options spark-submit would add, as the parent pom lists them for the tests
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load now $(cut -d' ' -f1 /proc/loadavg)"
start=$(date +%s.%N)
# shellcheck disable=SC2086
SPARK_LOCAL_IP=127.0.0.1 java $flags -Djava.awt.headless=true -Xmx2g \
  -cp "fitter/target/classes:fitter/target/test-classes:fitter/target/lib/*" \
  io.isoflop.fitter.bench.BootstrapBench "${1:-1000}" "${2:-local[*]}" 2> >(grep -v -e '^WARNING' -e 'WARN ' >&2)
echo "wall time including JVM and Spark start: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f s", e - s}')"
