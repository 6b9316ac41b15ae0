#!/usr/bin/env bash
# Starts a throw-away Kubernetes v1.20.2 control plane on 127.0.0.1 for integration tests:
# etcd, kube-apiserver (TLS, static tokens, RBAC), kube-controller-manager (job, garbage
# collector, namespace, service accounts) and kube-scheduler, then registers fake Ready nodes
# that advertise nvidia.com/gpu. There is no kubelet: pods get bound to a fake node and stay
# Pending until a test patches their status.
#
# Usage: k8s-test/start-cluster.sh <workdir> [--owner-pid PID]
#   Prints the kubeconfig path (<workdir>/kubeconfig) as the only line on stdout; progress
#   goes to stderr. Stop with: k8s-test/stop-cluster.sh <workdir>
#   --owner-pid PID  stop the cluster by itself once process PID is gone (e.g. the test JVM).
# Environment:
#   ISOFLOP_K8S_BIN             binaries (default ${ISOFLOP_K8S_CACHE:-$HOME/.cache/isoflop/k8s-1.20.2}/bin)
#   ISOFLOP_K8S_NODES           fake nodes to register (default 2; 0 for none)
#   ISOFLOP_K8S_NODE_GPUS       nvidia.com/gpu per fake node (default 2)
#   ISOFLOP_K8S_NODE_CPU / _MEMORY   capacity per fake node (default 16 / 64Gi)
#   ISOFLOP_K8S_CONTROLLERS     kube-controller-manager --controllers
#                               (default job,garbagecollector,namespace,serviceaccount,serviceaccount-token)
#   ISOFLOP_K8S_TEST_NAMESPACE  namespace created and made ready for pods (default isoflop-test)
#   ISOFLOP_K8S_TIMEOUT         seconds to wait for each component (default 90)
set -euo pipefail

usage() { sed -n '2,22p' "$0" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
WORK=$1; shift
OWNER_PID=
while [[ $# -gt 0 ]]; do
  case $1 in
    --owner-pid) OWNER_PID=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done

HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${ISOFLOP_K8S_BIN:-${ISOFLOP_K8S_CACHE:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/isoflop/k8s-1.20.2}/bin}
NODES=${ISOFLOP_K8S_NODES:-2}
NODE_GPUS=${ISOFLOP_K8S_NODE_GPUS:-2}
NODE_CPU=${ISOFLOP_K8S_NODE_CPU:-16}
NODE_MEMORY=${ISOFLOP_K8S_NODE_MEMORY:-64Gi}
CONTROLLERS=${ISOFLOP_K8S_CONTROLLERS:-job,garbagecollector,namespace,serviceaccount,serviceaccount-token,persistentvolume-binder}
TEST_NS=${ISOFLOP_K8S_TEST_NAMESPACE:-isoflop-test}
TIMEOUT=${ISOFLOP_K8S_TIMEOUT:-90}
HOST=127.0.0.1

START=$SECONDS
log() { printf '[start-cluster %s +%ss] %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - START))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for c in etcd kube-apiserver kube-controller-manager kube-scheduler; do
  [[ -x $BIN/$c ]] || die "$BIN/$c missing: run k8s-test/build-binaries.sh first (or set ISOFLOP_K8S_BIN)"
done
for t in openssl curl base64 setsid; do command -v $t >/dev/null || die "$t is required"; done

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
for f in "$WORK"/run/*.pid; do
  [[ -e $f ]] || continue
  if kill -0 "$(cat "$f")" 2>/dev/null; then die "a cluster is already running in $WORK (stop-cluster.sh $WORK)"; fi
done
rm -rf "$WORK/run" "$WORK/logs" "$WORK/etcd" "$WORK/pki" "$WORK"/kubeconfig* "$WORK/cluster.env"
mkdir -p "$WORK/run" "$WORK/logs" "$WORK/pki" "$WORK/etcd"
chmod 700 "$WORK/pki" "$WORK/etcd"

STARTED_OK=0
on_exit() {
  local rc=$?
  [[ $STARTED_OK == 1 ]] && return 0
  log "start failed (rc $rc); last lines of the logs in $WORK/logs:"
  for l in "$WORK"/logs/*.log; do [[ -s $l ]] && { echo "--- $l" >&2; tail -n 15 "$l" >&2; }; done
  "$HERE/stop-cluster.sh" "$WORK" >&2 || true
  exit $((rc == 0 ? 1 : rc))
}
trap on_exit EXIT

# ---------------------------------------------------------------- ports (127.0.0.1 only)
declare -A TAKEN=()
for f in /proc/net/tcp /proc/net/tcp6; do
  [[ -r $f ]] || continue
  while read -r _ local _; do
    [[ $local == *:* ]] || continue
    TAKEN[$((16#${local##*:}))]=1
  done < <(tail -n +2 "$f")
done
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12000))   # below the usual ephemeral range (32768+)
    [[ -z ${TAKEN[$p]:-} ]] || continue
    TAKEN[$p]=1; echo "$p"; return 0
  done
  die "no free port found"
}
ETCD_PORT=$(free_port); ETCD_PEER_PORT=$(free_port); API_PORT=$(free_port)
CM_PORT=$(free_port); SCHED_PORT=$(free_port)

# ---------------------------------------------------------------- credentials
PKI=$WORK/pki
log "generating CA, serving certificate and service-account key pair (openssl)"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=isoflop-test-ca" \
  -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
  -keyout "$PKI/apiserver.key" -out "$PKI/apiserver.csr" 2>/dev/null
printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
  "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature,keyEncipherment" > "$PKI/apiserver.ext"
openssl x509 -req -sha256 -days 3650 -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
  -CAcreateserial -extfile "$PKI/apiserver.ext" -out "$PKI/apiserver.crt" 2>/dev/null
openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null

token() { openssl rand -hex 16; }
ADMIN_TOKEN=$(token); USER_TOKEN=$(token); CM_TOKEN=$(token); SCHED_TOKEN=$(token)
# token,user,uid,"groups". isoflop-user has no bindings: RBAC denies it until a test grants it.
cat > "$PKI/tokens.csv" <<EOF
$ADMIN_TOKEN,isoflop-admin,isoflop-admin,"system:masters"
$USER_TOKEN,isoflop-user,isoflop-user,"isoflop:testers"
$CM_TOKEN,system:kube-controller-manager,system:kube-controller-manager
$SCHED_TOKEN,system:kube-scheduler,system:kube-scheduler
EOF
chmod 600 "$PKI"/*.key "$PKI/tokens.csv"

write_kubeconfig() { # file user token
  cat > "$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: isoflop-test
  cluster:
    server: https://$HOST:$API_PORT
    certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")
users:
- name: $2
  user:
    token: $3
contexts:
- name: isoflop-test
  context:
    cluster: isoflop-test
    user: $2
    namespace: default
current-context: isoflop-test
EOF
  chmod 600 "$1"
}
write_kubeconfig "$WORK/kubeconfig" isoflop-admin "$ADMIN_TOKEN"
write_kubeconfig "$WORK/kubeconfig-user" isoflop-user "$USER_TOKEN"
write_kubeconfig "$PKI/controller-manager.kubeconfig" system:kube-controller-manager "$CM_TOKEN"
write_kubeconfig "$PKI/scheduler.kubeconfig" system:kube-scheduler "$SCHED_TOKEN"

# ---------------------------------------------------------------- processes
launch() { # name cmd...   detached (own session), log in logs/<name>.log, pid in run/<name>.pid
  local name=$1; shift
  setsid "$@" > "$WORK/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$WORK/run/$name.pid"
}
alive() { kill -0 "$(cat "$WORK/run/$1.pid")" 2>/dev/null; }
wait_for() { # name description command...
  local name=$1 what=$2; shift 2
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    alive "$name" || die "$name exited while waiting for $what"
    ((SECONDS < deadline)) || die "timed out after ${TIMEOUT}s waiting for $what"
    sleep 0.2
  done
  log "$what"
}
API="https://$HOST:$API_PORT"
api() { curl -sf --cacert "$PKI/ca.crt" -H "Authorization: Bearer $ADMIN_TOKEN" "$@"; }

log "etcd on $HOST:$ETCD_PORT (peer $ETCD_PEER_PORT), data in $WORK/etcd"
launch etcd "$BIN/etcd" --name isoflop-test --data-dir "$WORK/etcd" \
  --listen-client-urls "http://$HOST:$ETCD_PORT" --advertise-client-urls "http://$HOST:$ETCD_PORT" \
  --listen-peer-urls "http://$HOST:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://$HOST:$ETCD_PEER_PORT" \
  --initial-cluster "isoflop-test=http://$HOST:$ETCD_PEER_PORT" --initial-cluster-state new \
  --logger zap --log-outputs stderr --quota-backend-bytes 1073741824
wait_for etcd "etcd healthy" sh -c "curl -sf http://$HOST:$ETCD_PORT/health | grep -q '\"health\":\"true\"'"

log "kube-apiserver on $API"
launch kube-apiserver "$BIN/kube-apiserver" \
  --etcd-servers "http://$HOST:$ETCD_PORT" \
  --bind-address $HOST --advertise-address $HOST --secure-port "$API_PORT" --insecure-port 0 \
  --cert-dir "$PKI" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --client-ca-file "$PKI/ca.crt" \
  --token-auth-file "$PKI/tokens.csv" --anonymous-auth=false \
  --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --service-cluster-ip-range 10.96.0.0/16 \
  --endpoint-reconciler-type none \
  --allow-privileged=true --profiling=false \
  --event-ttl 1h --v 0
wait_for kube-apiserver "kube-apiserver ready (/readyz)" sh -c \
  "curl -sf --cacert '$PKI/ca.crt' -H 'Authorization: Bearer $ADMIN_TOKEN' $API/readyz | grep -qx ok"

log "kube-controller-manager (controllers: $CONTROLLERS) on $HOST:$CM_PORT"
mkdir -p "$WORK/run/controller-manager-certs" "$WORK/run/scheduler-certs"
launch kube-controller-manager "$BIN/kube-controller-manager" \
  --kubeconfig "$PKI/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$PKI/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$PKI/controller-manager.kubeconfig" \
  --bind-address $HOST --secure-port "$CM_PORT" --port 0 \
  --cert-dir "$WORK/run/controller-manager-certs" \
  --controllers "$CONTROLLERS" --use-service-account-credentials=true \
  --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --leader-elect=false --profiling=false --v 1
log "kube-scheduler on $HOST:$SCHED_PORT"
launch kube-scheduler "$BIN/kube-scheduler" \
  --kubeconfig "$PKI/scheduler.kubeconfig" \
  --authentication-kubeconfig "$PKI/scheduler.kubeconfig" \
  --authorization-kubeconfig "$PKI/scheduler.kubeconfig" \
  --bind-address $HOST --secure-port "$SCHED_PORT" --port 0 \
  --cert-dir "$WORK/run/scheduler-certs" \
  --leader-elect=false --profiling=false --v 1

if [[ -n $OWNER_PID ]]; then
  # Watchdog: stops the cluster once the owner (e.g. the test JVM) is gone, even after a crash.
  setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; exec "$2" "$3"' \
    isoflop-k8s-watchdog "$OWNER_PID" "$HERE/stop-cluster.sh" "$WORK" \
    > "$WORK/logs/watchdog.log" 2>&1 < /dev/null &
  echo $! > "$WORK/run/watchdog.pid"
  log "watchdog stops the cluster when pid $OWNER_PID exits"
fi

cat > "$WORK/cluster.env" <<EOF
# written by k8s-test/start-cluster.sh; source it from a shell
KUBECONFIG=$WORK/kubeconfig
ISOFLOP_K8S_KUBECONFIG=$WORK/kubeconfig
ISOFLOP_K8S_USER_KUBECONFIG=$WORK/kubeconfig-user
ISOFLOP_K8S_API_URL=$API
ISOFLOP_K8S_ADMIN_TOKEN=$ADMIN_TOKEN
ISOFLOP_K8S_USER_TOKEN=$USER_TOKEN
ISOFLOP_K8S_CA_FILE=$PKI/ca.crt
ISOFLOP_K8S_ETCD_URL=http://$HOST:$ETCD_PORT
ISOFLOP_K8S_TEST_NAMESPACE=$TEST_NS
EOF

# ---------------------------------------------------------------- fake GPU nodes
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for i in $(seq 1 "$NODES"); do
  n=isoflop-gpu-node-$i
  api -X POST -H 'Content-Type: application/json' "$API/api/v1/nodes" -d @- > /dev/null <<EOF
{"apiVersion":"v1","kind":"Node","metadata":{"name":"$n","labels":{
  "kubernetes.io/hostname":"$n","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64",
  "isoflop.io/fake-node":"true","nvidia.com/gpu.present":"true"}}}
EOF
  res="\"cpu\":\"$NODE_CPU\",\"memory\":\"$NODE_MEMORY\",\"pods\":\"110\",\"ephemeral-storage\":\"100Gi\",\"nvidia.com/gpu\":\"$NODE_GPUS\""
  api -X PATCH -H 'Content-Type: application/merge-patch+json' "$API/api/v1/nodes/$n/status" -d @- > /dev/null <<EOF
{"status":{"capacity":{$res},"allocatable":{$res},
  "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"fake node without a kubelet",
                 "lastHeartbeatTime":"$now","lastTransitionTime":"$now"}],
  "addresses":[{"type":"InternalIP","address":"$HOST"},{"type":"Hostname","address":"$n"}],
  "nodeInfo":{"architecture":"amd64","operatingSystem":"linux","kubeletVersion":"v1.20.2","kubeProxyVersion":"v1.20.2",
    "containerRuntimeVersion":"fake://0","osImage":"fake","kernelVersion":"fake","machineID":"$n","systemUUID":"$n","bootID":"$n"}}}
EOF
  # Admission (TaintNodesByCondition) taints new nodes not-ready; the node-lifecycle controller,
  # which would lift it, is not run (it would also mark kubelet-less nodes unreachable).
  api -X PATCH -H 'Content-Type: application/merge-patch+json' "$API/api/v1/nodes/$n" \
    -d '{"spec":{"taints":null}}' > /dev/null
done
if ((NODES > 0)); then log "registered $NODES fake node(s) isoflop-gpu-node-1..$NODES, Ready, nvidia.com/gpu=$NODE_GPUS each"; fi

# ---------------------------------------------------------------- controllers ready
wait_for kube-controller-manager "kube-controller-manager healthy" \
  curl -sfk "https://$HOST:$CM_PORT/healthz"
wait_for kube-scheduler "kube-scheduler healthy" \
  curl -sfk "https://$HOST:$SCHED_PORT/healthz"

# Pods (and so Jobs) are only admitted once the namespace's default service account has its
# token; wait for it in default and in the test namespace so a test can start at once.
api -X POST -H 'Content-Type: application/json' "$API/api/v1/namespaces" \
  -d "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$TEST_NS\"}}" > /dev/null
if [[ ,$CONTROLLERS, == *,serviceaccount,* && ,$CONTROLLERS, == *,serviceaccount-token,* ]]; then
  for ns in default "$TEST_NS"; do
    wait_for kube-controller-manager "service account $ns/default has a token" sh -c \
      "curl -sf --cacert '$PKI/ca.crt' -H 'Authorization: Bearer $ADMIN_TOKEN' $API/api/v1/namespaces/$ns/serviceaccounts/default | grep -q '\"secrets\"'"
  done
fi

STARTED_OK=1
log "cluster up in $((SECONDS - START)) s: $API, kubeconfig $WORK/kubeconfig, env $WORK/cluster.env"
echo "$WORK/kubeconfig"
