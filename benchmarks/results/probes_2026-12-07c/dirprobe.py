"""Probe: 8192-state beams on the scramble and on its inverse; where they differ, 65536 both ways."""
import json
import sys
import time

from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.puzzles.solve import shorten, _read_backwards
from cayley.graphs.paths.beam import CpuBeamOps, run_beam

SH = "/work/shared/puzzles"
A, B = int(sys.argv[1]), int(sys.argv[2])
info = read_puzzle_info(f"{SH}/puzzle_info.csv")
rows = read_puzzles(f"{SH}/deepcubea_cube3.csv", info)[A:B]
prep = prepare(info["cube3_qtm"], rows[0].solution_state, bound_states=1_000_000, ball_states=25_000_000,
               progress=lambda m: print(m, file=sys.stderr, flush=True))
def beam(src, back, w, rev):
    mv, _, _ = run_beam(CpuBeamOps(prep.graph, 0), back if rev else src, prep.ball, prep.heuristic, w, 100, 2)
    if rev:
        mv = _read_backwards(prep.graph, src, mv)
    return len(shorten(prep, mv))
for r in rows:
    src = r.codes()[1]
    back = prep.inverse_state(src)
    t = time.perf_counter()
    rec = {"id": r.id, "opt": int(dict(r.extra)["optimal_length"]), "d8k": beam(src, back, 8192, False),
           "i8k": beam(src, back, 8192, True)}
    rec["s8k"] = round(time.perf_counter() - t, 2)
    if rec["d8k"] != rec["i8k"]:
        rec["d64k"] = beam(src, back, 65536, False)
        rec["i64k"] = beam(src, back, 65536, True)
    print(json.dumps(rec), flush=True)
