#!/usr/bin/env bash
# The GPU path in one command, for a lent GPU machine that reaches nothing outside itself and has
# torch, transformers, peft and accelerate but not bitsandbytes. From the repository root:
#
#   bash bench/gpu_check.sh            # outputs under ${OUT:-bench/out/gpu}; ~3-5 minutes
#
# bitsandbytes comes from a carried wheel. Download it beforehand on a machine with network (the
# directory is git-ignored; the wheel is 43 MB, the tracked tree ~4 MB: under the 64 MiB carry):
#   .venv/bin/pip download --no-deps "bitsandbytes==$(sed -n 's/^bitsandbytes==//p' constraints.txt)" -d bench/out/wheels
# and carry that directory with the tree (the device tool: carry=["bench/out/wheels"]).
#
# Runs: bench/gpu_qlora.py (7B-shape QLoRA: peak GPU memory vs its 7.4 GiB target, tokens/s) and
# bench/gpu_packing_check.py (completion-only logits, packing and a QLoRA step of the recipe on a
# random-init model). Each has its own time limit, so the whole stays well inside 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/out/gpu}
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT"
export PYTHONPATH="$PWD/src:$PWD/bench${PYTHONPATH:+:$PYTHONPATH}"

{
  date -u
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  "$PYTHON" -c 'import torch, transformers, peft, accelerate; print("torch", torch.__version__, "cuda", torch.version.cuda, "transformers", transformers.__version__, "peft", peft.__version__, "accelerate", accelerate.__version__)'
} 2>&1 | tee "$OUT/environment.txt"

if ! "$PYTHON" -c 'import bitsandbytes' 2>/dev/null; then
  wheel=$(ls bench/out/wheels/bitsandbytes-*.whl 2>/dev/null | head -n 1 || true)
  if [ -z "$wheel" ]; then
    echo "gpu_check: bitsandbytes is not installed and no wheel is in bench/out/wheels (see the header)" >&2
    exit 2
  fi
  "$PYTHON" -m pip install --no-index --no-deps --quiet "$wheel" 2>&1 | tee "$OUT/install.txt"
fi
"$PYTHON" -c 'import bitsandbytes; print("bitsandbytes", bitsandbytes.__version__)' | tee -a "$OUT/environment.txt"

status=0
timeout 300 "$PYTHON" bench/gpu_qlora.py --steps 5 2>&1 | tee "$OUT/gpu_qlora.txt" || status=1
timeout 180 "$PYTHON" bench/gpu_packing_check.py 2>&1 | tee "$OUT/gpu_packing_check.txt" || status=1
echo "gpu_check: $([ $status -eq 0 ] && echo passed || echo FAILED); outputs in $OUT"
exit $status
