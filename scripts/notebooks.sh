#!/usr/bin/env bash
# Executes notebooks/*.ipynb headlessly with Deno's Jupyter kernel, with small parameters, and fails on
# any cell error or when the outputs lack the rich MIME types (see scripts/notebooks.py).
#
# Installs nothing. Needs Debian's Jupyter packages and Deno's kernel:
#   apt-get install -y python3-nbclient python3-nbformat python3-jupyter-client jupyter-client
#   deno jupyter --install
#
# Environment: NOTEBOOK_EPOCHS (default 1), NOTEBOOK_LIMIT (images per split, default 400),
# NOTEBOOK_THREADS (1), NOTEBOOK_OUT (the executed copies, default runs/notebooks), CIFAR10_DIR and
# DENSENET_WEIGHTS (default: ../shared/data). Arguments: notebooks to run (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
if ! "$PYTHON" -c "import nbclient, nbformat, jupyter_client" 2>/dev/null; then
  echo "scripts/notebooks.sh: needs nbclient, nbformat and jupyter_client for $PYTHON:" >&2
  echo "  apt-get install -y python3-nbclient python3-nbformat python3-jupyter-client jupyter-client" >&2
  exit 2
fi
if ! "$PYTHON" -c "from jupyter_client.kernelspec import KernelSpecManager as K; K().get_kernel_spec('deno')" 2>/dev/null; then
  echo "scripts/notebooks.sh: Deno's Jupyter kernel is not installed: run 'deno jupyter --install'" >&2
  exit 2
fi

export NOTEBOOK_EPOCHS="${NOTEBOOK_EPOCHS:-1}"
export NOTEBOOK_LIMIT="${NOTEBOOK_LIMIT:-400}"
export NOTEBOOK_THREADS="${NOTEBOOK_THREADS:-1}"
if [ "$#" -eq 0 ]; then set -- notebooks/lenet_calibration.ipynb notebooks/densenet_calibration.ipynb; fi
exec "$PYTHON" scripts/notebooks.py "${NOTEBOOK_OUT:-runs/notebooks}" "$@"
