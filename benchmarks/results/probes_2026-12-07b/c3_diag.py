import sys
import numpy as np
from cayley.puzzles import read_puzzle_info, read_puzzles
from cayley.graphs.graph import CayleyGraph
from cayley.graphs.paths import random_walks
from cayley.nn.heuristics import NeuralHeuristic
from cayley.nn.scoring import OneHotMLP

info = read_puzzle_info("/work/shared/puzzles/puzzle_info.csv")
rows = read_puzzles("/work/shared/puzzles/deepcubea_cube3.csv", info)
sol, _ = rows[0].codes()
g = CayleyGraph(info["cube3_qtm"].generators, sol)
h = NeuralHeuristic.load(sys.argv[1])
print(h.header.get("training"))
sc = OneHotMLP(h)
w = random_walks(g, count=2000, length=26, mode="non_backtracking", seed=5)
p = np.asarray(sc(w.states.astype(np.uint8)))
for k in range(0, 27, 2):
    m = w.steps == k
    print(k, "net mean %.2f sd %.2f" % (p[m].mean(), p[m].std()))
ini = np.array([r.codes()[1] for r in rows])
opt = np.array([int(dict(r.extra)["optimal_length"]) for r in rows])
q = np.asarray(sc(ini.astype(np.uint8)))
for d in sorted(set(opt)):
    print("opt", d, (opt == d).sum(), "net %.2f sd %.2f" % (q[opt == d].mean(), q[opt == d].std()))
