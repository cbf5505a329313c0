import sys
import time
import numpy as np
from cayley.puzzles import read_puzzle_info
from cayley.graphs.graph import CayleyGraph
from cayley.nn.heuristics import train_heuristic

mode, walk, steps, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
info = read_puzzle_info("/work/shared/puzzles/puzzle_info.csv")
name = sys.argv[5] if len(sys.argv) > 5 else "cube_4/4/4"
t4 = info[name]
if name == "cube3_qtm":
    from cayley.puzzles import read_puzzles

    sol = read_puzzles("/work/shared/puzzles/deepcubea_cube3.csv", info)[0].codes()[0]
else:
    sol = np.repeat(np.arange(6), t4.degree // 6)
g = CayleyGraph(t4.generators, sol)
t = time.perf_counter()
h = train_heuristic(
    g,
    hidden=(512, 256),
    steps=steps,
    batch_size=4096,
    walk_length=walk,
    walk_mode=mode,
    symmetry="canonical",
    seed=0,
    precision="bfloat16",
    schedule="onecycle",
    progress=lambda s, n, l: print(s, n, round(l, 2), flush=True) if s % 1000 == 0 else None,
)
print("trained", time.perf_counter() - t, h.header["training"], flush=True)
h.save(out)
