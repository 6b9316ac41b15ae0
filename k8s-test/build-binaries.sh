#!/usr/bin/env bash
# Builds a real Kubernetes v1.20.2 control plane (kube-apiserver, kube-controller-manager,
# kube-scheduler) offline from Debian bookworm's `kubernetes` source package (Go dependencies
# are vendored in it) and caches it, with etcd from Debian's etcd-server, under
#   ${ISOFLOP_K8S_CACHE:-$HOME/.cache/isoflop/k8s-1.20.2}/bin
#
# Idempotent: exits at once when the cache is complete. Needs root (or sudo) only when apt
# packages are missing. Needs nothing from the internet beyond Debian's archive.
#
# Usage: k8s-test/build-binaries.sh [--fetch-only]
#   --fetch-only   install packages, download, unpack and patch the source; do not compile.
# Environment:
#   ISOFLOP_K8S_CACHE       cache root (default $HOME/.cache/isoflop/k8s-1.20.2)
#   ISOFLOP_K8S_BUILD_DIR   build tree (default $ISOFLOP_K8S_CACHE/build), never inside the repo
#   ISOFLOP_K8S_KEEP_BUILD  1 keeps the build tree and Go cache after a successful build
set -euo pipefail

K8S_VERSION=1.20.2
CACHE=${ISOFLOP_K8S_CACHE:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/isoflop/k8s-$K8S_VERSION}
BIN=$CACHE/bin
BUILD=${ISOFLOP_K8S_BUILD_DIR:-$CACHE/build}
STAMP=$BIN/.complete
COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler)
APT_PACKAGES=(golang-go rsync make etcd-server golang-github-modern-go-reflect2-dev curl openssl)
REFLECT2_DEBIAN=/usr/share/gocode/src/github.com/modern-go/reflect2

FETCH_ONLY=0
case "${1:-}" in
  --fetch-only) FETCH_ONLY=1 ;;
  "") ;;
  -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
  *) echo "unknown argument: $1" >&2; exit 2 ;;
esac

log() { printf '[build-binaries %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
START=$SECONDS
phase_start=$SECONDS
phase_done() { log "$1 done in $((SECONDS - phase_start)) s"; phase_start=$SECONDS; }

cache_complete() {
  [[ -f $STAMP ]] || return 1
  local c
  for c in "${COMPONENTS[@]}" etcd; do [[ -x $BIN/$c ]] || return 1; done
}

if cache_complete && [[ $FETCH_ONLY == 0 ]]; then
  log "cached: $BIN ($(tr -d '\n' < "$STAMP")); nothing to do"
  exit 0
fi

mkdir -p "$CACHE"
# One build at a time per cache (parallel Maven modules, CI retries).
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  log "another build holds $CACHE/.lock; waiting"
  flock 9
fi
if cache_complete && [[ $FETCH_ONLY == 0 ]]; then
  log "cached by a concurrent run: $BIN"
  exit 0
fi

case "$BUILD" in
  "$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null || echo /nonexistent)"*)
    echo "ISOFLOP_K8S_BUILD_DIR must lie outside the repository: $BUILD" >&2; exit 2 ;;
esac

# ---------------------------------------------------------------- 1. apt packages
as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "need root (or sudo) to run: $*" >&2; exit 1
  fi
}
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "apt packages present: ${APT_PACKAGES[*]}"
fi
phase_done "packages"

# ---------------------------------------------------------------- 2. source package
# deb-src is enabled only in a private apt configuration; the system's sources stay untouched.
SRC=$CACHE/src
APTDIR=$CACHE/apt
ORIG=$(ls "$SRC"/kubernetes_*really${K8S_VERSION}.orig.tar.gz 2>/dev/null | head -n1 || true)
if [[ -z $ORIG ]]; then
  mkdir -p "$APTDIR/sources.list.d" "$APTDIR/lists/partial" "$SRC"
  : > "$APTDIR/sources.list"
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      > "$APTDIR/sources.list.d/debian-src.sources"
  elif [[ -f /etc/apt/sources.list ]] && grep -q '^deb ' /etc/apt/sources.list; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > "$APTDIR/sources.list"
  else
    printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm bookworm-updates' \
      'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' '' \
      'Types: deb-src' 'URIs: http://deb.debian.org/debian-security' 'Suites: bookworm-security' \
      'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
      > "$APTDIR/sources.list.d/debian-src.sources"
  fi
  APT_OPTS=(-o "Dir::Etc::SourceList=$APTDIR/sources.list" -o "Dir::Etc::SourceParts=$APTDIR/sources.list.d"
            -o "Dir::State::Lists=$APTDIR/lists" -o "APT::Sandbox::User=root")
  log "apt-get update (deb-src, private config in $APTDIR)"
  apt-get "${APT_OPTS[@]}" update -q
  log "apt-get source --download-only kubernetes -> $SRC"
  (cd "$SRC" && apt-get "${APT_OPTS[@]}" source --download-only kubernetes)
  ORIG=$(ls "$SRC"/kubernetes_*really${K8S_VERSION}.orig.tar.gz 2>/dev/null | head -n1 || true)
  if [[ -z $ORIG ]]; then
    echo "the kubernetes source package is not v$K8S_VERSION: $(ls "$SRC")" >&2; exit 1
  fi
else
  log "source package already downloaded: $ORIG"
fi
phase_done "source download"

# ---------------------------------------------------------------- 3. unpack + patch
# Same GOPATH layout as debian/rules: $BUILD/kubernetes with .go/src/k8s.io/kubernetes -> tree.
TREE=$BUILD/kubernetes
if [[ ! -f $TREE/.isoflop-patched ]]; then
  rm -rf "$TREE"
  mkdir -p "$BUILD"
  log "unpacking $(basename "$ORIG")"
  tar -xzf "$ORIG" -C "$BUILD"
  mv "$BUILD/kubernetes-$K8S_VERSION" "$TREE"
  # The vendored reflect2 1.0.1 crashes at run time under Go >= 1.18; Debian's 1.0.2 works.
  log "replacing vendor/github.com/modern-go/reflect2 with Debian's $(dpkg-query -W -f='${Version}' golang-github-modern-go-reflect2-dev)"
  rm -rf "$TREE/vendor/github.com/modern-go/reflect2"
  cp -rL "$REFLECT2_DEBIAN" "$TREE/vendor/github.com/modern-go/reflect2"
  rm -f "$TREE/vendor/github.com/modern-go/reflect2/go.mod"
  mkdir -p "$TREE/.go/src/k8s.io"
  ln -sfn ../../.. "$TREE/.go/src/k8s.io/kubernetes"
  touch "$TREE/.isoflop-patched"
else
  log "patched tree present: $TREE"
fi
phase_done "unpack"

if [[ $FETCH_ONLY == 1 ]]; then
  log "--fetch-only: stopping before the compile ($((SECONDS - START)) s in all)"
  exit 0
fi

# ---------------------------------------------------------------- 4. build
log "building ${COMPONENTS[*]} (make, CGO_ENABLED=0, GOPROXY=off; ~7-10 min on 2 cores)"
BUILD_LOG=$BUILD/make.log
set +e
(
  cd "$TREE/.go/src/k8s.io/kubernetes"
  export GOPATH=$TREE/.go GOCACHE=$BUILD/gocache GOPROXY=off GOFLAGS= GOTOOLCHAIN=local CGO_ENABLED=0
  export PATH=/usr/lib/go/bin:$PATH HOME=$BUILD
  make WHAT="$(printf 'cmd/%s ' "${COMPONENTS[@]}")"
) > >(tee "$BUILD_LOG") 2>&1
rc=$?
set -e
if [[ $rc != 0 ]]; then
  echo "make failed (rc $rc); full log: $BUILD_LOG" >&2
  exit "$rc"
fi
phase_done "compile"

# ---------------------------------------------------------------- 5. cache
OUT=$TREE/_output/local/bin/linux/$(go env GOARCH)
[[ -d $OUT ]] || OUT=$TREE/_output/bin
TMPBIN=$CACHE/bin.tmp.$$
rm -rf "$TMPBIN"; mkdir -p "$TMPBIN"
for c in "${COMPONENTS[@]}"; do cp "$OUT/$c" "$TMPBIN/$c"; done
# A copy, not a link: the cache stays usable when restored on a machine without etcd-server.
cp "$(command -v etcd || echo /usr/bin/etcd)" "$TMPBIN/etcd"
"$TMPBIN/kube-apiserver" --version > "$TMPBIN/.complete"
rm -rf "$BIN"; mv "$TMPBIN" "$BIN"
if [[ ${ISOFLOP_K8S_KEEP_BUILD:-0} != 1 ]]; then
  log "removing build tree $BUILD (ISOFLOP_K8S_KEEP_BUILD=1 keeps it)"
  chmod -R u+w "$BUILD" 2>/dev/null || true
  rm -rf "$BUILD" "$CACHE/apt/lists"
fi
phase_done "cache"
log "done: $(tr -d '\n' < "$STAMP"), etcd $("$BIN/etcd" --version | awk 'NR==1{print $3}') in $BIN"
ls -l "$BIN"
log "total $((SECONDS - START)) s"
