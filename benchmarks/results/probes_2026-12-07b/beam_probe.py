"""Fixed-width beams (ball radius 6, no time limit) on DeepCubeA cubes FIRST..FIRST+N-1,
one column per (net file, width). Usage: beam_probe.py FIRST N NET:WIDTH[,NET:WIDTH...]"""

import sys
import time
import numpy as np
from cayley.puzzles import read_puzzle_info, read_puzzles
from cayley.graphs.graph import CayleyGraph
from cayley.graphs.paths import Ball, CpuBeamOps, run_beam
from cayley.nn.heuristics import NeuralHeuristic
from cayley.nn.scoring import OneHotMLP

FIRST, N = int(sys.argv[1]), int(sys.argv[2])
cols = [c.rsplit(":", 1) for c in sys.argv[3].split(",")]
info = read_puzzle_info("/work/shared/puzzles/puzzle_info.csv")
rows = read_puzzles("/work/shared/puzzles/deepcubea_cube3.csv", info)
sol, _ = rows[0].codes()
g = CayleyGraph(info["cube3_qtm"].generators, sol)
scorers = {p: OneHotMLP(NeuralHeuristic.load(p)) for p in {c[0] for c in cols}}
ball = Ball(g, g.start.copy(), 6)
res = [[] for _ in cols]
for r in rows[FIRST : FIRST + N]:
    _, ini = r.codes()
    opt = int(dict(r.extra)["optimal_length"])
    line = [r.id, opt]
    for i, (p, w) in enumerate(cols):
        t0 = time.perf_counter()
        moves, explored, cut = run_beam(CpuBeamOps(g, 0), ini, ball, scorers[p], int(w), 100, 2)
        dt = time.perf_counter() - t0
        res[i].append((len(moves) - opt, dt))
        line += [len(moves), round(dt, 1)]
    print(*line, flush=True)
for (p, w), v in zip(cols, res):
    gaps = np.array([a for a, _ in v])
    print(
        "SUMMARY",
        p.split("/")[-1],
        w,
        "gap %.3f optimal %.3f sec %.2f" % (gaps.mean(), (gaps == 0).mean(), np.mean([b for _, b in v])),
        flush=True,
    )
