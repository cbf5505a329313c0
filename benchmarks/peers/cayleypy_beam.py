"""Beam-search throughput of CayleyPy 0.2.0 (run with the peer venv's python).

    python benchmarks/peers/cayleypy_beam.py lrx 24 --width 65536 --steps 24 --mode simple

The start state is a seeded random permutation (numpy default_rng(seed).permutation(n)),
the heuristic CayleyPy's Hamming predictor (distance to the central state), and the search
cannot succeed within --steps (the states are far from the identity), so every run does
exactly --steps steps. Prints one JSON line.
"""

import argparse
import json
import time

T0 = time.perf_counter()
import numpy as np  # noqa: E402
import torch  # noqa: E402
from cayleypy import CayleyGraph, PermutationGroups  # noqa: E402
from cayleypy.predictor import Predictor  # noqa: E402

T_IMPORTED = time.perf_counter()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("graph", choices=["lrx", "pancake", "coxeter"])
    ap.add_argument("n", type=int)
    ap.add_argument("--width", type=int, required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mode", choices=["simple", "advanced"], default="simple")
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    defn = getattr(PermutationGroups, a.graph)(a.n)
    graph = CayleyGraph(defn, device=a.device)
    start = np.random.default_rng(a.seed).permutation(a.n).tolist()
    kw = dict(start_state=start, beam_width=a.width, max_steps=a.steps, predictor=Predictor(graph, "hamming"))
    if a.mode == "advanced":
        kw.update(beam_mode="advanced", history_depth=2)
    t = time.perf_counter()
    res = graph.beam_search(**kw)
    if a.device != "cpu":
        torch.cuda.synchronize()
    search = time.perf_counter() - t
    print(json.dumps({"tool": f"cayleypy-{a.mode}", "found": bool(res.path_found), "steps": a.steps,
                      "search_s": search, "import_s": T_IMPORTED - T0, "torch_threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
