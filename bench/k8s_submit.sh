#!/usr/bin/env bash
# Submission benchmark for the Kubernetes backend (issue 3): plans a sweep of RUNS runs (default 10,000) and submits
# it through the real scheduler path to a real kube-apiserver + etcd + job controller + kube-scheduler on 127.0.0.1
# (k8s-test/start-cluster.sh; no kubelet, so the Jobs' pods stay Pending). Prints runs/s, p50/p99 of the
# Job-creating calls and of dispatch, the scheduler's CPU and heap, and what a restarted scheduler pays with all
# those Jobs present. Everything shares this machine's cores with the control plane; say which machine.
#
#   bench/k8s_submit.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10000}

bash k8s-test/build-binaries.sh >/dev/null
if [ ! -f scheduler/target/test-classes/io/isoflop/scheduler/bench/SubmitBench.class ] \
    || [ ! -f scheduler/target/isoflop-scheduler.jar ]; then
  mvn -q -pl scheduler -am -DskipTests package test-compile
fi

work=$(mktemp -d)
cleanup() { bash k8s-test/stop-cluster.sh "$work" --purge >/dev/null 2>&1 || true; }
trap cleanup EXIT
kubeconfig=$(bash k8s-test/start-cluster.sh "$work" --owner-pid $$ 2>"$work/start.log")
cat > "$work/scheduler.yaml" <<YAML
namespace: isoflop-test
worker: {image: 'isoflop:bench', command: [/opt/isoflop/isoflop-worker], serviceAccountName: default}
fitter: {image: 'isoflop:bench', command: [/opt/isoflop/isoflop-fitter], cpu: 1, memory: 1Gi}
shared: {claim: isoflop-data, mountPath: '$work/shared'}
jobs: {activeDeadlineSeconds: 86400, ttlSecondsAfterFinished: 86400, runAsUser: 1000}
YAML

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; control plane and scheduler share them"
java ${BENCH_JAVA_OPTS:-} -Xmx2g -cp "scheduler/target/test-classes:scheduler/target/classes:scheduler/target/lib/*" \
  io.isoflop.scheduler.bench.SubmitBench "$kubeconfig" "$work/scheduler.yaml" "$RUNS" 2>"$work/bench.log" \
  | grep -v "INFO io.kubernetes"
