"""The benchmark's cayley part (solve_puzzle at 60 s, seed 0) with a given cached network file."""

import sys
import json
from cayley.puzzles import prepare, read_puzzle_info, read_puzzles, replay, solve_puzzle

S = "/work/shared/puzzles"
info = read_puzzle_info(f"{S}/puzzle_info.csv")
n = int(sys.argv[2])
rows = read_puzzles(f"{S}/deepcubea_cube3.csv", info)[:n]
ptype = info["cube3_qtm"]
prep = prepare(ptype, rows[0].solution_state, seed=0, bound_states=1_000_000, cache_path=sys.argv[1])
print("from cache", prep.from_cache, flush=True)
for row in rows:
    s = solve_puzzle(prep, row, time_limit=60, seed=0)
    print(
        json.dumps(
            {
                "id": row.id,
                "length": s.length,
                "optimal_length": int(dict(row.extra)["optimal_length"]),
                "seconds": round(s.seconds, 1),
                "widths": s.widths,
                "solved": replay(row, ptype, s.moves),
            }
        ),
        flush=True,
    )
