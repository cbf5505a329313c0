import time
import numpy as np
from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.graphs.paths import random_walks
from cayley.nn.scoring import OneHotMLP
SH = "/work/shared/puzzles"
info = read_puzzle_info(f"{SH}/puzzle_info.csv")
rows = read_puzzles(f"{SH}/deepcubea_cube3.csv", info)[:1]
prep = prepare(info["cube3_qtm"], rows[0].solution_state, bound_states=0, ball_states=10_000)
h = prep.heuristic.h
w = random_walks(prep.graph, count=131072 // 26 + 1, length=26, mode="non_backtracking", seed=0)
S = np.ascontiguousarray(w.states[:131072]).astype(np.uint8)
def best(f, r=5):
    f()
    b = 1e9
    for _ in range(r):
        t = time.perf_counter()
        f()
        b = min(b, time.perf_counter() - t)
    return b
ref = OneHotMLP(h, precision="float32")(S)
for name, sc in (("auto", OneHotMLP(h)), ("float32", OneHotMLP(h, precision="float32")), ("bfloat16", OneHotMLP(h, precision="bfloat16"))):
    t = best(lambda: sc(S))
    v = sc(S)
    print(f"{name:9s} {sc.describe():40s} {t / len(S) * 1e6:.3f} us/state  max|diff| vs float32 {np.abs(v - ref).max():.4f}  distinct {len(np.unique(v))}")
