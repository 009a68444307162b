#!/usr/bin/env bash
# Checks denotorch against another LibTorch release from Debian, in a Debian root made with debootstrap:
#   bash scripts/check-libtorch.sh 2.6        # LibTorch, PyTorch and torchvision 2.6 from Debian 13 "trixie"
# It makes (or reuses) the root, installs LibTorch, PyTorch-Python, torchvision, CMake, g++ and the reference
# BLAS there, copies Deno and this checkout in, builds the shim against that LibTorch and runs
# `deno task parity`: every fixture regenerated with that PyTorch, then the whole suite against them.
# Needs root (debootstrap, chroot, mount) and Debian's archive; about 5 minutes and 2.5 GB the first time.
# DENOTORCH_CHECK_ROOT chooses the root's folder; DEBIAN_MIRROR the archive.
set -euo pipefail
version="${1:-2.6}"
case "$version" in
  2.6) suite=trixie ;;
  *) echo "check-libtorch: no Debian release is known to ship LibTorch $version (known: 2.6)" >&2; exit 2 ;;
esac
[ "$(id -u)" = "0" ] || { echo "check-libtorch: run as root (debootstrap, chroot and mount need it)" >&2; exit 2; }
repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="$(cd "$repo/.." && pwd)/shared"
root="${DENOTORCH_CHECK_ROOT:-/var/cache/denotorch/$suite-root}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
t0=$(date +%s)
say() { echo "check-libtorch [$(( $(date +%s) - t0 )) s]: $*"; }

if [ ! -x "$root/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  say "making a Debian $suite root in $root"
  mkdir -p "$(dirname "$root")"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" > "$root.debootstrap.log" 2>&1 ||
    { tail -20 "$root.debootstrap.log" >&2; exit 1; }
fi

work="/work/run-$$" # this run's folder inside the root (checkout and shared data), so runs never collide
cleanup() {
  mountpoint -q "$root$work/shared" && umount -l "$root$work/shared" || true
  rm -rf "${root:?}$work"
  # /proc and /dev stay mounted while another run uses the root
  if ! ls -d "$root"/work/run-* >/dev/null 2>&1; then
    for m in "$root/proc" "$root/dev"; do mountpoint -q "$m" && umount -l "$m" || true; done
  fi
}
trap cleanup EXIT
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
mountpoint -q "$root/dev" || mount --bind /dev "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This machine's certificate authorities (a proxy's own, where there is one) and Deno's npm cache.
if [ -d /usr/local/share/ca-certificates ]; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi

say "installing LibTorch $version, PyTorch, torchvision, CMake and g++ in the root"
chroot "$root" /bin/sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq &&
  apt-get install -y -qq --no-install-recommends libtorch-dev libgloo-dev python3-torch python3-torchvision cmake g++ make \
    ca-certificates fonts-dejavu-core libblas3 liblapack3 >/dev/null'
say "$(chroot "$root" dpkg-query -W -f='${Package} ${Version}\n' libtorch-dev python3-torch python3-torchvision | tr '\n' ' ')"

chroot "$root" /bin/sh -c 'command -v update-ca-certificates >/dev/null && update-ca-certificates >/dev/null 2>&1 || true'
install -m 0755 "$(readlink -f "$(command -v deno)")" "$root/usr/local/bin/deno"
deno_dir="${DENO_DIR:-$HOME/.cache/deno}"
if [ -d "$deno_dir/npm" ]; then
  mkdir -p "$root/root/.cache/deno"
  cp -r "$deno_dir/npm" "$root/root/.cache/deno/"
fi
mkdir -p "$root$work/denotorch" "$root$work/shared"
(cd "$repo" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$root$work/denotorch")
mount --bind "$shared" "$root$work/shared"
mount -o remount,bind,ro "$root$work/shared"

say "building the shim against LibTorch $version and running deno task parity there"
pass=()
for v in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy NPM_CONFIG_REGISTRY DENO_TLS_CA_STORE; do
  [ -n "${!v:-}" ] && pass+=("$v=${!v}")
done
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
  SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt DENO_CERT=/etc/ssl/certs/ca-certificates.crt "${pass[@]}" \
  /bin/sh -c "cd $work/denotorch && deno task build && deno task parity --exclude-from scripts/fixtures/torch1_only.txt"
say "LibTorch $version: passed"
