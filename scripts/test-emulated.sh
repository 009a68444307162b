#!/usr/bin/env bash
# Runs every test that compares with a parity fixture on an emulated CPU of another kind (qemu-user's CPU
# models: by default an AMD EPYC-Rome, which has AVX2 but no AVX-512), under the portable kernel profile:
#   bash scripts/test-emulated.sh [CPU ...]     # e.g. EPYC-Rome Haswell-v4 (qemu-x86_64 -cpu help lists them)
# The CPU model decides what CPUID tells LibTorch, oneDNN, OpenBLAS and glibc (instruction sets, vendor, cache
# sizes), so this shows on one machine that the fixtures' bits do not depend on the CPU that made them.
# Installs qemu-user when missing (as root). About 2 minutes per CPU model on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname -m)" = "x86_64" ] || { echo "test-emulated: x86-64 only (qemu-x86_64 emulates x86-64 CPU models)" >&2; exit 2; }
if ! command -v qemu-x86_64 >/dev/null; then
  SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends qemu-user >/dev/null
fi
deno task build >/dev/null
mapfile -t files < <(grep -l 'fixture\.ts' -r tests --include='*_test.ts' | sort)
shared="$(cd .. && pwd)/shared/data"
deno_bin="$(readlink -f "$(command -v deno)")"
status=0
for cpu in "${@:-EPYC-Rome}"; do
  echo "test-emulated: ${#files[@]} test files on an emulated $cpu CPU"
  env DENOTORCH_KERNELS=portable CIFAR10_DIR="${CIFAR10_DIR:-$shared/cifar-10-batches-bin}" \
    DENSENET_WEIGHTS="${DENSENET_WEIGHTS:-$shared/densenet121/densenet121_cifar8.pt}" \
    qemu-x86_64 -cpu "$cpu" "$deno_bin" test -A --v8-flags=--expose-gc "${files[@]}" 2> >(grep -v "TCG doesn't support" >&2) ||
    status=1
done
exit $status
