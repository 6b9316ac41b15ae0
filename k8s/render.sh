#!/usr/bin/env bash
# Renders the plain manifests under k8s/ from the Helm chart k8s/chart, for `kubectl apply -f k8s/` without Helm:
#   k8s/rbac.yaml, k8s/scheduler-config.yaml, k8s/scheduler.yaml     the chart's default values
#   k8s/optional/shared-volume.yaml                                   storage.sharedVolume.enabled=true
#   k8s/optional/spark-rbac.yaml                                      spark.enabled=true
# Run it after changing the chart; HelmChartIT fails when the committed files differ from a fresh render.
# Usage: k8s/render.sh [OUTPUT_DIR]   (default: k8s/ itself; HelmChartIT renders into a temporary folder)
# helm: $ISOFLOP_HELM, else helm on PATH, else ~/.cache/isoflop/helm/helm/helm (what .ci/run installs).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-k8s}"

helm="${ISOFLOP_HELM:-}"
if [ -z "$helm" ]; then
  helm="$(command -v helm || true)"
fi
if [ -z "$helm" ]; then
  helm="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/isoflop/helm/helm/helm"
fi
if [ ! -x "$helm" ]; then
  echo "k8s/render.sh: no helm (set ISOFLOP_HELM, put helm on PATH, or run .ci/run)" >&2
  exit 2
fi

# render FILE TEMPLATE [helm template options...]: one template of release "isoflop" in namespace isoflop
render() {
  local file="$1" template="$2"
  shift 2
  mkdir -p "$(dirname "$out/$file")"
  {
    echo "# Rendered from k8s/chart by k8s/render.sh: do not edit; change the chart and run k8s/render.sh."
    "$helm" template isoflop k8s/chart --namespace isoflop --show-only "templates/$template" "$@" | sed '1{/^---$/d}'
  } > "$out/$file.tmp"
  mv "$out/$file.tmp" "$out/$file"
}

render rbac.yaml rbac.yaml
render scheduler-config.yaml scheduler-config.yaml
render scheduler.yaml scheduler.yaml
render optional/shared-volume.yaml shared-volume.yaml --set storage.sharedVolume.enabled=true
render optional/spark-rbac.yaml spark-rbac.yaml --set spark.enabled=true
