"""Probe: cube_4/4/4 20-move scrambles, fixed-width beams, heuristic variants."""

import sys
import time
import numpy as np
from cayley.puzzles import read_puzzle_info
from cayley.graphs.graph import CayleyGraph
from cayley.graphs.paths import Ball, CpuBeamOps, run_beam
from cayley.graphs.heuristics import Hamming
from cayley.nn.heuristics import NeuralHeuristic
from cayley.nn.scoring import OneHotMLP
from cayley.errors import NoPathError

N, W, STEPS, SCR = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
modes = sys.argv[5].split(",")
info = read_puzzle_info("/work/shared/puzzles/puzzle_info.csv")
t4 = info["cube_4/4/4"]
sol = np.repeat(np.arange(6), 16)
g = CayleyGraph(t4.generators, sol)
h = NeuralHeuristic.load(
    sys.argv[6] if len(sys.argv) > 6 else "/work/runs/c4cache3/puzzles/7aa076616ee65fef9b167e53dd2cbf6d.pt"
)
sc = OneHotMLP(h)
sc2 = OneHotMLP(NeuralHeuristic.load("/work/runs/c4cache3/puzzles/7aa076616ee65fef9b167e53dd2cbf6d.pt"))
ham = Hamming(sol)
ball = Ball(g, g.start.copy(), 4)
rng = np.random.default_rng(0)
gens = t4.generators
inv = gens.inverse_index


def make_heuristic(kind, a):
    """net + a * Hamming, the max or mean of the two networks, or Hamming alone."""
    if kind == "ham":
        return ham

    def heur(x):
        if kind == "net":
            return np.asarray(sc(x)) + a * ham(x)
        if kind == "max":
            return np.maximum(np.asarray(sc(x)), np.asarray(sc2(x)))
        return 0.5 * (np.asarray(sc(x)) + np.asarray(sc2(x)))

    return heur


res = {m: [] for m in modes}
for i in range(N):
    s, last = sol.copy(), -1
    for _ in range(SCR):
        m = int(rng.integers(len(gens)))
        while last >= 0 and m == inv[last]:
            m = int(rng.integers(len(gens)))
        s, last = s[gens.perms[m]], m
    line = [i]
    for mode in modes:
        kind, a = mode.split(":")
        a = float(a)
        heur = make_heuristic(kind, a)
        t0 = time.perf_counter()
        try:
            moves, explored, cut = run_beam(CpuBeamOps(g, 0), s, ball, heur, W, STEPS, 2)
            L = len(moves)
        except NoPathError:
            L = None
        dt = time.perf_counter() - t0
        res[mode].append(L)
        line += [mode, L, round(dt, 1)]
    print(*line, flush=True)
for mode, v in res.items():
    ok = [x for x in v if x is not None]
    print("SUMMARY", mode, "solved", len(ok), "of", len(v), "mean", np.mean(ok) if ok else None, flush=True)
