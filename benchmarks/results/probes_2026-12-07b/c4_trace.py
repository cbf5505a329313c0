import sys
import numpy as np
from cayley.puzzles import read_puzzle_info
from cayley.graphs.graph import CayleyGraph
from cayley.graphs.paths import Ball, CpuBeamOps, run_beam
from cayley.graphs.heuristics import Hamming
from cayley.nn.heuristics import NeuralHeuristic
from cayley.nn.scoring import OneHotMLP

info = read_puzzle_info("/work/shared/puzzles/puzzle_info.csv")
t4 = info["cube_4/4/4"]
sol = np.repeat(np.arange(6), 16)
g = CayleyGraph(t4.generators, sol)
sc = OneHotMLP(NeuralHeuristic.load(sys.argv[1]))
ham = Hamming(sol)
rng = np.random.default_rng(0)
gens = t4.generators
inv = gens.inverse_index
s, last = sol.copy(), -1
path = [s]
for _ in range(20):
    m = int(rng.integers(len(gens)))
    while last >= 0 and m == inv[last]:
        m = int(rng.integers(len(gens)))
    s, last = s[gens.perms[m]], m
    path.append(s)
P = np.array(path).astype(np.uint8)
print("scramble path net:", np.round(sc(P), 1).tolist())
print("scramble path ham:", ham(P).astype(int).tolist())
trace = []


def heur(x):
    v = np.asarray(sc(x))
    i = np.argsort(v)[:8192]
    trace.append((v.min(), np.sort(v)[min(8191, len(v) - 1)], ham(x[i]).mean(), len(x)))
    return v


ball = Ball(g, g.start.copy(), 4)
try:
    run_beam(CpuBeamOps(g, 0), s, ball, heur, 8192, 40, 2)
except Exception as e:
    print(e)
for t, (a, b, c, n) in enumerate(trace):
    print(t + 1, "min %.1f kth %.1f ham(kept) %.1f cand %d" % (a, b, c, n))
