import time
import numpy as np
import torch
import torch.nn.functional as F
from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.graphs.paths import random_walks
from cayley.nn.scoring import OneHotMLP
SH = "/work/shared/puzzles"
info = read_puzzle_info(f"{SH}/puzzle_info.csv")
rows = read_puzzles(f"{SH}/deepcubea_cube3.csv", info)[:1]
prep = prepare(info["cube3_qtm"], rows[0].solution_state, bound_states=0, ball_states=10_000)
h = prep.heuristic.h
w = random_walks(prep.graph, count=8192 // 26 + 1, length=26, mode="non_backtracking", seed=0)
S = np.ascontiguousarray(w.states[:8192]).astype(np.uint8)
sc = OneHotMLP(h, precision="float32", pairs=True)
def best(f, r=20):
    f()
    b = 1e9
    for _ in range(r):
        t = time.perf_counter()
        f()
        b = min(b, time.perf_counter() - t)
    return b * 1e6 / 8192
C = h.canonical(S)
print("states check", best(lambda: h._states(S)))
print("canonical", best(lambda: h.canonical(S)))
idx = sc._indices(C, True)
print("indices", best(lambda: sc._indices(C, True)))
with torch.inference_mode():
    for p in ("float32", "bfloat16"):
        tab = sc.ptables[p]
        print("bag", p, best(lambda: F.embedding_bag(idx, tab, mode="sum")))
    x16 = F.embedding_bag(idx, sc.ptables["bfloat16"], mode="sum")
    print("to float", best(lambda: x16.float()))
    x = F.embedding_bag(idx, sc.ptables["float32"], mode="sum")
    print("relu_", best(lambda: torch.relu_(x)))
    (w1, b1), = sc.hidden32
    print("linear1", best(lambda: F.linear(x, w1, b1)))
    y = F.linear(x, w1, b1)
    print("relu 256", best(lambda: torch.relu(y)))
    print("out", best(lambda: F.linear(y, *sc.out)))
    print("rest f32 total", best(lambda: sc._rest(x.clone(), "float32")))
    print("clone", best(lambda: x.clone()))
print("score f32", best(lambda: sc._score(C)))
sc.table_precision = "bfloat16"
print("score mixed", best(lambda: sc._score(C)))
print("call mixed (incl canonical)", best(lambda: sc(S)))
print(torch.__config__.parallel_info())
