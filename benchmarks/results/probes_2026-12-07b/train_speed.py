import time
from cayley.puzzles import read_puzzle_info, read_puzzles
from cayley.graphs.graph import CayleyGraph
from cayley.nn.heuristics import train_heuristic

info = read_puzzle_info("/work/shared/puzzles/puzzle_info.csv")
sol = read_puzzles("/work/shared/puzzles/deepcubea_cube3.csv", info)[0].codes()[0]
g = CayleyGraph(info["cube3_qtm"].generators, sol)
kw = dict(
    hidden=(512, 256),
    batch_size=4096,
    walk_length=26,
    walk_mode="non_backtracking",
    symmetry="canonical",
    seed=0,
    precision="bfloat16",
    schedule="onecycle",
)
train_heuristic(g, steps=50, **kw)
ts = []
for _ in range(3):
    t = time.perf_counter()
    train_heuristic(g, steps=400, **kw)
    ts.append(time.perf_counter() - t)
print("400 steps", [round(x, 2) for x in ts], "ms/step median", round(sorted(ts)[1] / 400 * 1e3, 2))
