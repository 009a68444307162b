#!/usr/bin/env bash
# The CUDA check, for a GPU machine with PyTorch (CUDA) installed and no internet: builds the shim against
# that PyTorch's LibTorch, runs the CUDA tests and the CUDA-independent test suite, and the DenseNet-121
# forward benchmark on CUDA side by side with PyTorch (224 and 64 px, batch 16). Takes a few minutes.
#
#   bash bench/gpu.sh [results-dir]
#
# Needs: deno on the PATH (or DENO=/path/to/deno; a copy can travel as .device/deno.xz, unpacked here),
# python3 with torch and torchvision (PYTHON=...), cmake and g++. The CIFAR-10 data are not needed.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-bench/results/gpu}
mkdir -p "$OUT"
PY=${PYTHON:-python3}
if [ -z "${DENO:-}" ]; then
  if command -v deno >/dev/null 2>&1; then DENO=deno
  elif [ -f .device/deno.xz ]; then xz -dc .device/deno.xz > /tmp/deno && chmod +x /tmp/deno && DENO=/tmp/deno
  else echo "gpu.sh: no deno (put it on the PATH, set DENO, or carry .device/deno.xz)" >&2; exit 2; fi
fi
"$PY" -c "import torch; assert torch.cuda.is_available(), 'PyTorch sees no GPU'; print('torch', torch.__version__, torch.cuda.get_device_name(0))" | tee "$OUT/device.txt"
export LIBTORCH=$("$PY" -c "import torch; print(torch.utils.cmake_prefix_path)")
export LD_LIBRARY_PATH="$("$PY" -c "import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))"):${LD_LIBRARY_PATH:-}"
"$DENO" run -A scripts/build.ts --clean 2>&1 | tail -3 | tee "$OUT/build.txt"
"$DENO" eval --config deno.json 'import { buildInfo, cuda } from "./mod.ts"; console.log(JSON.stringify({ ...buildInfo(), cudaAvailable: cuda.isAvailable(), devices: cuda.deviceCount() }))' | tee "$OUT/build_info.json"
# the CUDA tests must run (they are ignored only where CUDA is missing)
"$DENO" test -A tests/cuda/ 2>&1 | tee "$OUT/cuda_tests.txt"
# the rest of the suite against this LibTorch (bit-exact fixtures were made with LibTorch 1.13 on CPU: other
# versions may differ in the last bits; the log shows which)
"$DENO" test -A --v8-flags=--expose-gc tests/tensor tests/nn tests/optim tests/jit tests/serialize tests/calibration 2>&1 | tail -40 > "$OUT/suite.txt" || true
"$PY" scripts/export_densenet121.py --random --out /tmp/densenet121_random.pt
for side in ts py; do
  if [ $side = ts ]; then
    "$DENO" run -A bench/densenet.ts --weights /tmp/densenet121_random.pt --sizes 224,64 --device cuda --repeats 10
  else
    "$PY" bench/densenet.py --weights /tmp/densenet121_random.pt --sizes 224,64 --device cuda --repeats 10
  fi
done | tee "$OUT/densenet_cuda.json"
echo "gpu.sh: results in $OUT"
