"""Probe: cube_4/4/4 20-move scrambles (the benchmark's), one beam each, scores of states the
network puts below the proven bound (radius+1 outside the ball) minus DELTA pushed behind every other."""
import json
import sys
import time

import numpy as np
from cayley.puzzles import prepare, read_puzzle_info
from cayley.puzzles.solve import shorten
from cayley.graphs.paths.beam import run_beam, CpuBeamOps
from cayley.errors import NoPathError

info = read_puzzle_info("/work/shared/puzzles/puzzle_info.csv")
pt = info["cube_4/4/4"]
sol = np.repeat(np.arange(6), 16)
prep = prepare(pt, sol, bound_states=0, progress=lambda m: print(m, file=sys.stderr, flush=True))
print("from cache", prep.from_cache, "radius", prep.radius, flush=True)
gens = pt.generators
inv = gens.inverse_index
rng = np.random.default_rng(0)
scr = []
for _ in range(3):
    s, last = sol.copy(), -1
    for _ in range(20):
        m = int(rng.integers(len(gens)))
        while last >= 0 and m == inv[last]:
            m = int(rng.integers(len(gens)))
        s, last = s[gens.perms[m]], m
    scr.append(s)
mins = []
def make(delta):
    def scorer(x):
        v = np.asarray(prep.heuristic(x), dtype=np.float64)
        if delta is not None:
            bad = v < prep.radius + 1 - delta
            v = np.where(bad, 1e6 + v, v)
        mins.append(float(v.min()))
        return v
    return scorer
W = int(sys.argv[1])
DL = float(sys.argv[2])
for dspec in sys.argv[3:]:
    delta = None if dspec == "none" else float(dspec)
    for i, s in enumerate(scr):
        mins.clear()
        t1 = time.perf_counter()
        try:
            moves, explored, cut = run_beam(CpuBeamOps(prep.graph, 0), s, prep.ball, make(delta), W, 216, 2,
                                            deadline=time.perf_counter() + DL)
            r = len(shorten(prep, moves))
        except NoPathError:
            r = None
        print(json.dumps({"delta": dspec, "i": i, "width": W, "length": r, "sec": round(time.perf_counter() - t1, 1),
                          "min_h": [round(x, 1) for x in mins[:: max(1, len(mins) // 20)]]}), flush=True)
