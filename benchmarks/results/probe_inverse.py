"""Probe: solve_state with and without the inverse scramble (half the time each), same
preparation, same time per cube, on DeepCubeA cubes FIRST .. FIRST+N-1. Prints one line per
cube and configuration, then the means.

    CAYLEY_CACHE_DIR=DIR PYTHONPATH=$PWD python benchmarks/results/probe_inverse.py N SECONDS [FIRST]
"""

import sys
import time

import numpy as np

from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.puzzles.solve import solve_state

SHARED = "/work/shared/puzzles"
N, SECONDS = int(sys.argv[1]), float(sys.argv[2])
FIRST = int(sys.argv[3]) if len(sys.argv) > 3 else 0
info = read_puzzle_info(f"{SHARED}/puzzle_info.csv")
every = read_puzzles(f"{SHARED}/deepcubea_cube3.csv", info)
rows = every[FIRST:FIRST + N]  # N = 0: only prepare (and cache) the solver
t = time.perf_counter()
prep = prepare(info["cube3_qtm"], every[0].solution_state, progress=lambda m: print(m, flush=True))
print("prep", round(time.perf_counter() - t, 1), "s, from cache:", prep.from_cache, flush=True)
out: dict[bool, list[tuple[int, int, float]]] = {False: [], True: []}
for r in rows:
    _, ini = r.codes()
    opt = int(dict(r.extra)["optimal_length"])
    for inverse in (False, True):
        t = time.perf_counter()
        s = solve_state(prep, ini, time_limit=SECONDS, inverse=inverse)
        out[inverse].append((s.length, opt, time.perf_counter() - t))
        print(r.id, "inverse" if inverse else "plain", s.length, opt, round(time.perf_counter() - t, 1), flush=True)
for inverse, rows_ in out.items() if rows else ():
    lengths = np.array([o[0] for o in rows_])
    opts = np.array([o[1] for o in rows_])
    print("SUMMARY", "inverse" if inverse else "plain", "mean", lengths.mean(), "optimal", opts.mean(),
          "gap", (lengths - opts).mean(), "optimal share", (lengths == opts).mean(),
          "sec", np.mean([o[2] for o in rows_]), flush=True)
