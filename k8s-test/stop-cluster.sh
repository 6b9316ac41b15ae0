#!/usr/bin/env bash
# Stops what k8s-test/start-cluster.sh started in <workdir> (pid files in <workdir>/run),
# scheduler and controller-manager first, etcd last. Only processes whose command line names
# <workdir> are signalled, so a recycled pid is never hit.
#
# Usage: k8s-test/stop-cluster.sh <workdir> [--purge]
#   --purge  also delete <workdir> (etcd data, keys, logs).
set -uo pipefail

[[ $# -ge 1 ]] || { sed -n '2,7p' "$0" >&2; exit 2; }
WORK=$(cd "$1" 2>/dev/null && pwd) || { echo "no such workdir: $1" >&2; exit 0; }
PURGE=0; [[ ${2:-} == --purge ]] && PURGE=1
log() { printf '[stop-cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

ours() { # pid: alive and started for this workdir
  [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$WORK"
}

for name in watchdog kube-scheduler kube-controller-manager kube-apiserver etcd; do
  f=$WORK/run/$name.pid
  [[ -f $f ]] || continue
  pid=$(cat "$f")
  if [[ $pid == "$$" || $pid == "$PPID" ]]; then rm -f "$f"; continue; fi   # called by the watchdog
  if ! ours "$pid"; then rm -f "$f"; continue; fi
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do ours "$pid" || break; sleep 0.1; done
  if ours "$pid"; then log "$name ($pid) ignored SIGTERM; SIGKILL"; kill -KILL "$pid" 2>/dev/null; fi
  log "stopped $name ($pid)"
  rm -f "$f"
done

if [[ $PURGE == 1 ]]; then
  rm -rf "$WORK" && log "removed $WORK"
fi
exit 0
