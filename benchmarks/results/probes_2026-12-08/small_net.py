"""Probe: on a slow CPU, a 256-128 network (its training within the same 420 s budget,
scoring about 3x cheaper) against the default 512-256 one: the first N cubes at 60 s."""
import json
import sys
import time

from cayley.puzzles import prepare, read_puzzle_info, read_puzzles, replay, solve_puzzle

SH = "/work/shared/puzzles"
n = int(sys.argv[1])
info = read_puzzle_info(f"{SH}/puzzle_info.csv")
rows = read_puzzles(f"{SH}/deepcubea_cube3.csv", info)[:n]
t = time.perf_counter()
prep = prepare(info["cube3_qtm"], rows[0].solution_state, hidden=(256, 128), bound_states=1_000_000,
               ball_states=25_000_000, progress=lambda m: print(m, file=sys.stderr, flush=True))
tr = prep.heuristic.h.header["training"]
print(json.dumps({"prepare_s": round(time.perf_counter() - t, 1), "steps": tr["steps"], "train_s": tr["seconds"],
                  "scorer": prep.info["scorer"]}), flush=True)
for r in rows:
    s = solve_puzzle(prep, r, time_limit=60, seed=0)
    print(json.dumps({"id": r.id, "length": s.length, "optimal_length": int(dict(r.extra)["optimal_length"]),
                      "seconds": round(s.seconds, 2), "widths": s.widths, "solved": replay(r, info["cube3_qtm"], s.moves)}),
          flush=True)
