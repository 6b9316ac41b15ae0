#!/usr/bin/env bash
# Worker throughput against DJL's own matmul rate, in one JVM on the same threads:
#   bench/worker_throughput.sh [THREADS [STEPS]]     (defaults: 1 thread, 40 steps per model)
# Prints DJL's fp32 1024² matmul GFLOP/s, then the worker's training rate at about 100K, 1M and 5M non-embedding
# parameters (context 128, 32 sequences a step) as tokens/s, GFLOP/s by 6N and by the architecture's own count,
# and that count's ratio to the matmul rate. Builds the worker (with its test classes) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f worker/target/test-classes/io/isoflop/worker/bench/WorkerThroughputBench.class ] \
    || [ ! -d worker/target/lib ]; then
  mvn -q -pl contracts,worker -am -DskipTests install
fi
echo "$(date -u +%Y-%m-%dT%H:%MZ) machine: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load now $(cut -d' ' -f1 /proc/loadavg)"
OMP_NUM_THREADS="${1:-1}" java -Xmx2g -XX:+UseSerialGC -Dai.djl.offline=true \
  -cp "worker/target/classes:worker/target/test-classes:worker/target/lib/*" \
  io.isoflop.worker.bench.WorkerThroughputBench "${1:-1}" "${2:-40}" 2> >(grep -v -e 'WARN' -e 'INFO' -e '^\[W' >&2)
