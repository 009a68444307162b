#!/usr/bin/env bash
# Installs what denotorch needs on a fresh Debian or Ubuntu machine: LibTorch (CPU) with its CMake config, the
# reference BLAS and LAPACK (the portable kernel profile binds LibTorch to them, whatever the system default),
# a C++ compiler, CMake, a font for the PNG figures, and Deno 2.9.6 from npm. Runs apt and npm through
# sudo when not run as root.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: run as root, or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libtorch-dev libgloo-dev cmake g++ make ca-certificates fonts-dejavu-core libblas3 liblapack3 >/dev/null
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if ! command -v deno >/dev/null 2>&1 || [ "$(deno --version | head -1 | cut -d' ' -f2)" != "2.9.6" ]; then
  $SUDO npm install -g deno@2.9.6 >/dev/null
fi
echo "setup: $(deno --version | head -1), $(cmake --version | head -1), libtorch-dev $(dpkg-query -W -f='${Version}' libtorch-dev)"
