#!/bin/bash
# One device session (a machine with one CUDA GPU; the `device` tool's $OUT collects the
# results): the rank engine's fused CUDA kernels (exactness checks, S_12/S_13/S_14 lrx),
# CayleyPy 0.2.0 on the same GPU (S_12 lrx growth), the beam-search H100 column (issue 4),
# complete puzzle reference rows (issue 3) and the GPU-marked tests. Each step has its own time limit; every log lands in $OUT.
#
#   bash benchmarks/device_session.sh            # wheels for CayleyPy in .whl/ (README of the device tool)
set -u
OUT=${OUT:-/tmp/device_out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
if ls .whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
fi
export PYTHONPATH=/tmp/site:$PWD
T0=$(date +%s)
left() { echo $(( ${BUDGET:-560} - ($(date +%s) - T0) )); }
{
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv
  python3 -c "import torch, numba, numpy, cupy; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'cupy', cupy.__version__, 'numba', numba.__version__, 'numpy', numpy.__version__)"
  lscpu | grep -E "Model name|^CPU\(s\)"
} 2>&1 | tee "$OUT/machine.txt"

echo "== rank engine (left $(left) s)"
timeout 330 python3 benchmarks/gpu_rank.py --cases 12,13,14 --torch-cases 12 --budget 240 --check-max 9 \
  --out "$OUT/gpu_rank.json" 2>&1 | tee "$OUT/gpu_rank.log"

echo "== cayley CLI end to end, S_12 lrx on the GPU (left $(left) s)"
( time timeout 60 python3 -m cayley --verbose growth S_12 --gens lrx --engine rank --backend cuda ) 2>&1 \
  | tail -14 | tee "$OUT/cli_s12.txt"

echo "== CayleyPy 0.2.0 on the same GPU, S_12 lrx (left $(left) s)"
for i in 1 2; do
  timeout 90 python3 benchmarks/peers/cayleypy_growth.py lrx 12 --device cuda 2>&1 | tail -3
done | tee "$OUT/cayleypy_s12.txt"

if [ "$(left)" -gt 150 ]; then
  echo "== beam search on the GPU (left $(left) s)"
  timeout $(( $(left) - 60 )) python3 benchmarks/bench_beam.py --graph lrx --n 24 --widths 16,18,20,22 --steps 24 \
    --tools cayley-torch,cayleypy-simple --device cuda --peer-python python3 --timeout 60 \
    --out "$OUT/beam_cuda.json" 2>&1 | tail -30 | tee "$OUT/beam_cuda.log"
fi
if [ "$(left)" -gt 80 ]; then
  echo "== complete puzzle rows on the GPU, hash engine (left $(left) s)"
  timeout $(( $(left) - 40 )) python3 benchmarks/gpu_puzzles.py --budget $(( $(left) - 50 )) --rows ${PUZZLE_ROWS:-cube_222_qtm,cube_222_htm,cube_222_qstm,cube_222_atm,dino,pyraminx} \
    --out "$OUT/gpu_puzzles.json" 2>&1 | grep -v Warning | tee "$OUT/gpu_puzzles.log"
fi
if [ "$(left)" -gt 30 ]; then
  echo "== GPU-marked tests (left $(left) s)"
  timeout $(( $(left) - 10 )) python3 -m pytest -q -m gpu -p no:cacheprovider tests/test_rank_fused.py \
    tests/test_rank_torch.py tests/test_bfs.py 2>&1 | tail -15 | tee "$OUT/pytest_gpu.log"
fi
echo "== done in $(( $(date +%s) - T0 )) s"
