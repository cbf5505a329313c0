"""Cost of the canonical inputs on the cube (cube3_qtm, 48 colouring symmetries):
ColouringCanonical alone, and the bfloat16 scorer (MLP 324-512-256-1) plain and canonical,
on 65,536 states of 20-move random walks; best of five (three for the scorer).

    NUMBA_NUM_THREADS=1 python benchmarks/results/probes_2026-12-07/canon_cost.py
"""

from __future__ import annotations

import os
import time

import numpy as np

from cayley import CayleyGraph
from cayley.nn import NeuralHeuristic
from cayley.nn.canonical import ColouringCanonical
from cayley.nn.scoring import OneHotMLP
from cayley.puzzles import read_puzzle_info, read_puzzles

SHARED = os.environ.get("CAYLEY_SHARED", "/work/shared/puzzles")


def best_of(fn, repeat: int) -> float:
    fn()
    out = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out


def main() -> None:
    info = read_puzzle_info(f"{SHARED}/puzzle_info.csv")
    row = read_puzzles(f"{SHARED}/deepcubea_cube3.csv", info)[0]
    g = CayleyGraph(info[row.puzzle_type].generators, row.codes()[0])
    rng = np.random.default_rng(0)
    s = np.tile(g.start, (65536, 1)).astype(np.uint8)
    for _ in range(20):
        s = np.take_along_axis(s, g.generators.perms[rng.integers(0, len(g.generators), len(s))], axis=1)
    canon = ColouringCanonical(g)
    print(f"{len(canon)} symmetries; kernel {best_of(lambda: canon(s), 5) / len(s) * 1e6:.3f} us/state")
    for sym in ("none", "canonical"):
        f = OneHotMLP(NeuralHeuristic(g, hidden=(512, 256), symmetry=sym, seed=0), precision="bfloat16")
        print(f"scorer, {sym}: {best_of(lambda: f(s), 3) / len(s) * 1e6:.3f} us/state")


if __name__ == "__main__":
    main()
