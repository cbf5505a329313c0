"""Probe: the solver's ball of radius 6 against radius 7 (same cached network, same beam
width and seed) on the first N DeepCubeA cubes; lengths after shortening and seconds.

    CAYLEY_CACHE_DIR=DIR PYTHONPATH=$PWD python benchmarks/results/probe_ball_radius.py 8 32768
"""

import sys
import time

import numpy as np

from cayley.graphs.paths import CpuBeamOps, run_beam
from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.puzzles.solve import shorten

SHARED = "/work/shared/puzzles"
N, WIDTH = int(sys.argv[1]), int(sys.argv[2])
info = read_puzzle_info(f"{SHARED}/puzzle_info.csv")
rows = read_puzzles(f"{SHARED}/deepcubea_cube3.csv", info)[:N]
ptype = info["cube3_qtm"]
for ball_states in (2_500_000, 25_000_000):
    t = time.perf_counter()
    p = prepare(ptype, rows[0].solution_state, ball_states=ball_states, bound_states=0,
                progress=lambda m: print(m, flush=True))
    print("prep", ball_states, p.radius, p.walk_length, p.from_cache, round(time.perf_counter() - t, 1),
          p.info["ball_layers"], flush=True)
    out = []
    for r in rows:
        _, ini = r.codes()
        t = time.perf_counter()
        moves, _, _ = run_beam(CpuBeamOps(p.graph, 0), ini, p.ball, p.heuristic, WIDTH, 120, 2)
        out.append((len(shorten(p, moves)), int(dict(r.extra)["optimal_length"]), round(time.perf_counter() - t, 1)))
        print(ball_states, out[-1], flush=True)
    print("SUMMARY", ball_states, "mean", np.mean([o[0] for o in out]), "opt", np.mean([o[1] for o in out]),
          "sec", np.mean([o[2] for o in out]), flush=True)
    del p
