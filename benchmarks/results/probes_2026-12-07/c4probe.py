import sys
import time
import json
import numpy as np
import os
from cayley.puzzles import prepare, read_puzzle_info
from cayley.puzzles.solve import shorten
from cayley.graphs.paths.beam import run_beam, CpuBeamOps
from cayley.errors import NoPathError

info = read_puzzle_info("/work/shared/puzzles/puzzle_info.csv")
t4 = info["cube_4/4/4"]
sol = np.repeat(np.arange(6), 16)

prep = prepare(t4, sol, bound_states=int(os.environ.get("BOUND", "0")))
print("from cache", prep.from_cache, flush=True)
others = []
if os.environ.get("ENSEMBLE"):
    p1 = prepare(t4, sol, bound_states=0, seed=1)
    print("second from cache", p1.from_cache, flush=True)
    others.append(p1.heuristic)
g = prep.graph
gens = t4.generators
inv = gens.inverse_index
mins = []


def scorer(s):
    v = prep.heuristic(s)
    for o in others:
        v = np.maximum(v, o(s)) if os.environ["ENSEMBLE"] == "max" else (v + o(s)) / 2
    if os.environ.get("FLOOR"):
        v = np.maximum(v, prep.radius + 1)
    if prep.bound is not None:
        v = np.maximum(v, prep.bound(s))
    mins.append(float(v.min()))
    return v


for depth, width, dl in [tuple(map(int, x.split(":"))) for x in sys.argv[1:]]:
    rng = np.random.default_rng(0)
    s, last = sol.copy(), -1
    for _ in range(depth):
        m = int(rng.integers(len(gens)))
        while last >= 0 and m == inv[last]:
            m = int(rng.integers(len(gens)))
        s, last = s[gens.perms[m]], m
    mins.clear()
    t1 = time.perf_counter()
    try:
        moves, explored, cut = run_beam(
            CpuBeamOps(g, 0), s, prep.ball, scorer, width, 216, 2, deadline=time.perf_counter() + dl
        )
        r = len(shorten(prep, moves))
    except NoPathError:
        r = None
    print(
        json.dumps(
            {
                "depth": depth,
                "width": width,
                "length": r,
                "sec": round(time.perf_counter() - t1, 1),
                "min_h_trace": [round(x, 1) for x in mins[:: max(1, len(mins) // 30)]],
            }
        ),
        flush=True,
    )
