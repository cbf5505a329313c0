import sys

import numpy as np
from cayley.puzzles import read_puzzle_info
from cayley.graphs.graph import CayleyGraph
from cayley.graphs.heuristics import Hamming
from cayley.graphs.paths import random_walks
from cayley.nn.heuristics import NeuralHeuristic
from cayley.nn.scoring import OneHotMLP

info = read_puzzle_info("/work/shared/puzzles/puzzle_info.csv")
t4 = info["cube_4/4/4"]
sol = np.repeat(np.arange(6), 16)
g = CayleyGraph(t4.generators, sol)
h = NeuralHeuristic.load(sys.argv[1])
print(h.header.get("training"))
sc = OneHotMLP(h)
ham = Hamming(sol)
w = random_walks(g, count=2000, length=54, mode="non_backtracking", seed=5)
p = np.asarray(sc(w.states.astype(np.uint8)))
hm = ham(w.states)
for k in range(0, 55, 3):
    m = w.steps == k
    print(k, "net mean %.2f sd %.2f  ham %.1f" % (p[m].mean(), p[m].std(), hm[m].mean()))
