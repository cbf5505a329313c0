"""Beam-search throughput of cayley, the same case as peers/cayleypy_beam.py.

    python benchmarks/cayley_beam.py lrx 24 --width 65536 --steps 24 [--backend torch --device cuda]

Same start (numpy default_rng(seed).permutation(n)), Hamming heuristic to the identity,
history 2 (the search drops candidates seen in the last two beams, as CayleyPy's advanced
mode with history_depth=2); the search cannot succeed within --steps, so it runs exactly
--steps steps and ends in NoPathError. Prints one JSON line.
"""

import argparse
import json
import time

T0 = time.perf_counter()
import numpy as np  # noqa: E402

from cayley import CayleyGraph  # noqa: E402
from cayley.errors import NoPathError  # noqa: E402
from cayley.graphs.heuristics import Hamming  # noqa: E402
from cayley.graphs.paths import beam_search  # noqa: E402

T_IMPORTED = time.perf_counter()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("graph", choices=["lrx", "pancake", "coxeter"])
    ap.add_argument("n", type=int)
    ap.add_argument("--width", type=int, required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--backend", choices=["cpu", "torch"], default="cpu")
    ap.add_argument("--device", default=None)
    a = ap.parse_args()
    graph = CayleyGraph.from_spec(f"S_{a.n}", a.graph)
    start = np.random.default_rng(a.seed).permutation(a.n)
    h = Hamming(np.arange(a.n))
    # warm the numba kernels on a tiny search so compile time is not counted as search time
    try:
        beam_search(graph, start, h, beam_width=4, max_steps=2, backend=a.backend, device=a.device, seed=0)
    except NoPathError:
        pass
    t = time.perf_counter()
    found = True
    try:
        beam_search(graph, start, h, beam_width=a.width, max_steps=a.steps, backend=a.backend, device=a.device, seed=0)
    except NoPathError:
        found = False
    if a.device and a.device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()
    search = time.perf_counter() - t
    print(json.dumps({"tool": f"cayley-{a.backend}", "found": found, "steps": a.steps, "search_s": search,
                      "import_s": T_IMPORTED - T0}))


if __name__ == "__main__":
    main()
