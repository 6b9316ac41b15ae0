#!/usr/bin/env bash
# End-to-end check of the test cluster with kubectl (any version >= 1.24 for --subresource):
# start, GPU Job scheduled on a fake node, pod marked Succeeded -> Job Complete (real job
# controller), 5-GPU Job stays Pending with "Insufficient nvidia.com/gpu", server-side dry run,
# RBAC denies the unprivileged user, stop.
#
# Usage: k8s-test/smoke-test.sh [workdir]   (default: a fresh temp dir, removed afterwards)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${1:-$(mktemp -d /tmp/isoflop-k8s-smoke.XXXXXX)}
command -v kubectl >/dev/null || { echo "kubectl is required" >&2; exit 1; }
PURGE=--purge; [[ -n ${1:-} ]] && PURGE=
trap '"$HERE/stop-cluster.sh" "$WORK" $PURGE' EXIT

export KUBECONFIG=$("$HERE/start-cluster.sh" "$WORK")
NS=isoflop-test
k() { kubectl -n "$NS" "$@"; }
step() { printf '[smoke] %s\n' "$*"; }
until_true() { # seconds description command...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do ((SECONDS < deadline)) || { echo "FAILED: $what" >&2; exit 1; }; sleep 0.5; done
  step "ok: $what"
}
job() { # name gpus
  cat <<EOF
apiVersion: batch/v1
kind: Job
metadata: {name: $1, namespace: $NS}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: isoflop/worker:smoke
        resources: {limits: {nvidia.com/gpu: $2}}
EOF
}

kubectl get nodes
job dry 1 | kubectl apply --dry-run=server -f - && step "ok: server-side dry run"
job gpu1 1 | kubectl apply -f -
job gpu5 5 | kubectl apply -f -
until_true 30 "gpu1 pod bound to a fake node" sh -c \
  "kubectl -n $NS get pods -l job-name=gpu1 -o jsonpath='{.items[0].spec.nodeName}' | grep -q isoflop-gpu-node"
until_true 30 "gpu5 pod unschedulable: Insufficient nvidia.com/gpu" sh -c \
  "kubectl -n $NS get events --field-selector reason=FailedScheduling -o jsonpath='{.items[*].message}' | grep -q 'Insufficient nvidia.com/gpu'"
pod=$(k get pods -l job-name=gpu1 -o jsonpath='{.items[0].metadata.name}')
k patch pod "$pod" --subresource=status --type=merge -p '{"status":{"phase":"Succeeded"}}'
until_true 30 "job controller marked gpu1 Complete" sh -c \
  "kubectl -n $NS get job gpu1 -o jsonpath='{.status.conditions[?(@.type==\"Complete\")].status}' | grep -qx True"
if kubectl --kubeconfig "$WORK/kubeconfig-user" -n "$NS" get jobs >/dev/null 2>&1; then
  echo "FAILED: isoflop-user should be forbidden" >&2; exit 1
fi
step "ok: RBAC forbids isoflop-user"
step "all checks passed"
