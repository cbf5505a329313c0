#!/usr/bin/env bash
# One-time setup of the peers that benchmarks/bench_growth.py compares against:
#   * CayleyPy 0.2.0 with torch 2.13.0 (CPU build) in its own venv, so that torch never
#     enters the environment cayley itself runs in;
#   * GAP 4.12 (Debian/Ubuntu package `gap`) when `gap` is not on PATH.
# Idempotent: a second run checks the pinned versions and changes nothing.
#
# Environment:
#   PEER_VENV        venv path            (default: benchmarks/.peervenv)
#   PEER_PYTHON      interpreter for venv (default: python3)
#   TORCH_INDEX_URL  extra index for the CPU build of torch
#                    (default: https://download.pytorch.org/whl/cpu; set it empty to
#                    take torch from PyPI/your pip config only)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${PEER_VENV:-$here/.peervenv}"
python="${PEER_PYTHON:-python3}"
torch_index="${TORCH_INDEX_URL-https://download.pytorch.org/whl/cpu}"
pins=(torch==2.13.0 cayleypy==0.2.0)

say() { printf '[setup_peers] %s\n' "$*"; }

# --- CayleyPy venv -------------------------------------------------------------------
if [[ -x "$venv/bin/python" ]]; then
    say "venv exists: $venv"
else
    say "creating venv: $python -m venv $venv"
    "$python" -m venv "$venv"
fi

if "$venv/bin/python" - <<'EOF' 2>/dev/null
import importlib.metadata as m, sys
ok = m.version("cayleypy") == "0.2.0" and m.version("torch").split("+")[0] == "2.13.0"
sys.exit(0 if ok else 1)
EOF
then
    say "already installed: ${pins[*]}"
else
    args=(install "${pins[@]}")
    [[ -n "$torch_index" ]] && args+=(--extra-index-url "$torch_index")
    say "running: $venv/bin/pip ${args[*]}"
    "$venv/bin/pip" "${args[@]}"
fi
"$venv/bin/python" - <<'EOF'
import importlib.metadata as m
print("[setup_peers] cayleypy", m.version("cayleypy"), "| torch", m.version("torch"))
EOF

# --- GAP ----------------------------------------------------------------------------
if command -v gap >/dev/null 2>&1; then
    say "gap found: $(command -v gap)"
else
    sudo=""
    [[ "$(id -u)" != 0 ]] && sudo="sudo"
    say "gap missing; running: $sudo apt-get update && $sudo apt-get install -y gap"
    $sudo apt-get update
    $sudo apt-get install -y gap
fi
say "gap version: $(echo 'Print(GAPInfo.Version, "\n"); QUIT;' | gap -q -A)"
say "done. Run e.g.: python3 benchmarks/bench_growth.py --cases lrx:10 --repeat 3"
