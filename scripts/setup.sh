#!/usr/bin/env bash
# Installs what denotorch needs on a fresh Debian or Ubuntu machine (run as root or with sudo):
# LibTorch (CPU) with its CMake config, a C++ compiler, CMake, and Deno 2.9.6 from npm.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends libtorch-dev cmake g++ make ca-certificates fonts-dejavu-core >/dev/null
if ! command -v npm >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if ! command -v deno >/dev/null 2>&1 || [ "$(deno --version | head -1 | cut -d' ' -f2)" != "2.9.6" ]; then
  npm install -g deno@2.9.6 >/dev/null
fi
echo "setup: $(deno --version | head -1), $(cmake --version | head -1), libtorch-dev $(dpkg-query -W -f='${Version}' libtorch-dev)"
