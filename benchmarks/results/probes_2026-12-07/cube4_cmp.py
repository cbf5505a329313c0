import time
import json
import argparse
import numpy as np
from cayley.puzzles import prepare, read_puzzle_info
from cayley.puzzles.solve import shorten
from cayley.graphs.paths.beam import run_beam, CpuBeamOps
from cayley.graphs.paths import random_walks
from cayley.nn.scoring import OneHotMLP
from cayley.nn.heuristics import train_heuristic
from cayley.errors import NoPathError

ap = argparse.ArgumentParser()
ap.add_argument("--steps", type=int, default=3000)
ap.add_argument("--mode", default="reduced")
ap.add_argument("--walk", type=int, default=None)
ap.add_argument("--width", type=int, default=8192)
ap.add_argument("--scrambles", type=int, default=3)
ap.add_argument("--scramble", type=int, default=20)
ap.add_argument("--save", default=None)
a = ap.parse_args()
info = read_puzzle_info("/work/shared/puzzles/puzzle_info.csv")
t4 = info["cube_4/4/4"]
sol = np.repeat(np.arange(6), 16)
prep = prepare(t4, sol, bound_states=0, heuristic="hamming")
g = prep.graph
wl = a.walk or prep.walk_length
t0 = time.perf_counter()
h = train_heuristic(
    g,
    hidden=(512, 256),
    steps=a.steps,
    batch_size=4096,
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
# prediction spread on reduced-walk states per depth
w = random_walks(g, count=300, length=24, mode="reduced", seed=5)
p = sc(w.states)
spread = {
    int(d): (round(float(p[w.steps == d].mean()), 1), round(float(p[w.steps == d].std()), 1))
    for d in (4, 8, 12, 16, 20, 24)
}
rng = np.random.default_rng(0)
gens = t4.generators
inv = gens.inverse_index
out = []
for i in range(a.scrambles):
    s, last = sol.copy(), -1
    for _ in range(a.scramble):
        m = int(rng.integers(len(gens)))
        while last >= 0 and m == inv[last]:
            m = int(rng.integers(len(gens)))
        s, last = s[gens.perms[m]], m
    t1 = time.perf_counter()
    try:
        moves, explored, cut = run_beam(
            CpuBeamOps(g, 0), s, prep.ball, sc, a.width, 4 * wl, 2, deadline=time.perf_counter() + 90
        )
        out.append((len(shorten(prep, moves)), round(time.perf_counter() - t1, 1)))
    except NoPathError:
        out.append((None, round(time.perf_counter() - t1, 1)))
print(
    json.dumps(
        {
            "mode": a.mode,
            "steps": a.steps,
            "walk": wl,
            "train_s": round(tt, 1),
            "spread": spread,
            "width": a.width,
            "solved": out,
        }
    ),
    flush=True,
)
