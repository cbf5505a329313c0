import time
import json
import argparse
import numpy as np
from cayley.graphs.paths import random_walks
from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.puzzles.solve import shorten
from cayley.graphs.paths.beam import run_beam, CpuBeamOps
from cayley.nn.scoring import OneHotMLP
from cayley.nn.heuristics import train_heuristic

ap = argparse.ArgumentParser()
ap.add_argument("--steps", type=int, default=4000)
ap.add_argument("--mode", default="reduced")
ap.add_argument("--walk", type=int, default=None)
ap.add_argument("--n", type=int, default=30)
ap.add_argument("--width", type=int, default=16384)
ap.add_argument("--save", default=None)
ap.add_argument("--hidden", default="512,256")
ap.add_argument("--batch", type=int, default=4096)
ap.add_argument("--lr", type=float, default=1e-3)
a = ap.parse_args()
S = "/work/shared/puzzles"
info = read_puzzle_info(f"{S}/puzzle_info.csv")
rows = read_puzzles(f"{S}/deepcubea_cube3.csv", info)[: a.n]
ptype = info["cube3_qtm"]
prep = prepare(ptype, rows[0].solution_state, bound_states=0, heuristic="hamming")
g = prep.graph
wl = a.walk or prep.walk_length
t0 = time.perf_counter()
h = train_heuristic(
    g,
    hidden=tuple(int(x) for x in a.hidden.split(",")),
    steps=a.steps,
    batch_size=a.batch,
    lr=a.lr,
    walk_length=wl,
    walk_mode=a.mode,
    symmetry="none",
    seed=0,
    precision="bfloat16",
    schedule="onecycle",
)
tt = time.perf_counter() - t0
if a.save:
    h.save(a.save)
sc = OneHotMLP(h, precision="bfloat16", pairs=True)

_w = (
    random_walks(g, count=200000 // 27 + 1, length=26, mode="non_backtracking", seed=9).states[:200000].astype(np.uint8)
)
sc(_w)
_t = time.perf_counter()
sc(_w)
score_s = time.perf_counter() - _t
res = []
t0 = time.perf_counter()
for r in rows:
    _, ini = r.codes()
    moves, explored, cut = run_beam(CpuBeamOps(g, 0), ini, prep.ball, sc, a.width, 4 * wl, 2)
    moves = shorten(prep, moves)
    res.append((len(moves), int(dict(r.extra)["optimal_length"])))
L = np.array(res)
print(
    json.dumps(
        {
            "mode": a.mode,
            "hidden": a.hidden,
            "batch": a.batch,
            "lr": a.lr,
            "score200k_s": round(score_s, 3),
            "steps": a.steps,
            "walk": wl,
            "train_s": round(tt, 1),
            "n": a.n,
            "width": a.width,
            "mean": L[:, 0].mean(),
            "gap": (L[:, 0] - L[:, 1]).mean(),
            "opt%": (L[:, 0] == L[:, 1]).mean() * 100,
            "sec": round(time.perf_counter() - t0, 1),
        }
    ),
    flush=True,
)
