"""Real puzzles: cayley's generic solver on DeepCubeA cubes, side by side with kociemba.

Usage::

    PYTHONPATH=$PWD python benchmarks/puzzles.py --n 10 --time-per-puzzle 30 \\
        --cube4 2 --cube4-time 30 --out benchmarks/results/puzzles_cpu.json

Part 1: the first ``--n`` rows of ``deepcubea_cube3.csv`` (from row ``--first``) (cube3_qtm, quarter-turn
metric, ``optimal_length`` from DeepCubeA's optimal solver) solved by
:func:`cayley.puzzles.solve_state`, which knows nothing about cubes (moves only). Reports
solved, mean length, mean gap to optimal, % optimal, seconds per cube, preparation time
(ball + heuristic training, or cache load).

Part 2: the same cubes by the ``kociemba`` package (two-phase, half-turn metric; its
lengths are counted in quarter turns too, ``X2`` = 2). kociemba needs a facelet string,
so this script — and only this script, never cayley — maps cube3_qtm's 54 positions to
kociemba's facelets. The mapping is derived from the moves, with one documented
assumption: the moves are named after the faces they turn (U, D, L, R, B, F), as in
``puzzle_info.csv``. Each face's 9 positions are the colour class of the solved state
that its own move maps onto itself and moves; a position's place on kociemba's face is
fixed by which neighbouring faces' moves also move it (corners: two, edges: one, centre:
none). kociemba's solution is replayed with cayley's moves (``X2`` = two quarter turns;
``X'`` = ``-X``; the direction of ``X`` is checked by replay and flipped if needed).

Part 3: ``--cube4`` and ``--cube5`` random-walk scrambles of Santa's cube_4/4/4 and
cube_5/5/5 (Santa's own move names, no optimal lengths known; a scramble of d moves has
one of at most d), solved by the same generic solver.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

SHARED = "/work/shared/puzzles"


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import numba
    import torch

    import cayley

    info.update({"cayley": cayley.__version__, "numpy": np.__version__, "numba": numba.__version__,
                 "torch": torch.__version__, "torch_threads": torch.get_num_threads()})
    try:
        from importlib.metadata import version

        info["kociemba"] = version("kociemba")
    except Exception:  # noqa: BLE001 - optional peer
        info["kociemba"] = None
    info["uptime"] = subprocess.run(["uptime"], check=False, capture_output=True, text=True).stdout.strip()
    return info


# ------------------------------------------------------------------------------------
# kociemba facelet mapping (benchmark only)
# ------------------------------------------------------------------------------------
# kociemba's net: for each face, the neighbour touching its top row, bottom row, left
# column and right column (facelets numbered row-major 1..9 in the order U R F D L B)
NET = {
    "U": ("B", "F", "L", "R"),
    "R": ("U", "D", "F", "B"),
    "F": ("U", "D", "L", "R"),
    "D": ("F", "B", "L", "R"),
    "L": ("U", "D", "B", "F"),
    "B": ("U", "D", "R", "L"),
}
ORDER = "URFDLB"


def kociemba_layout(ptype, solution: np.ndarray) -> tuple[list[int], dict]:
    """``pos[i]``: the cube3_qtm position shown at kociemba facelet ``i`` (0..53), and
    the face of each solved colour."""
    moves = ptype.moves
    face_of_colour, block = {}, {}
    for face in ORDER:
        p = moves[face]
        moved = set(np.flatnonzero(p != np.arange(len(p))).tolist())
        for col in np.unique(solution):
            cls = set(np.flatnonzero(solution == col).tolist())
            if set(p[list(cls)].tolist()) == cls and cls & moved:
                face_of_colour[int(col)] = face
                block[face] = cls
    if len(block) != 6:
        raise SystemExit("cannot find the six faces from the moves")
    touched = {f: set(np.flatnonzero(moves[f] != np.arange(54)).tolist()) for f in ORDER}
    pos = []
    for face in ORDER:
        top, bottom, left, right = NET[face]
        for r in range(3):
            for c in range(3):
                want = set()
                want |= {top} if r == 0 else {bottom} if r == 2 else set()
                want |= {left} if c == 0 else {right} if c == 2 else set()
                cands = [q for q in block[face] if {f for f in ORDER if f != face and q in touched[f]} == want]
                if len(cands) != 1:
                    raise SystemExit(f"ambiguous facelet {face}{3 * r + c + 1}: {cands}")
                pos.append(cands[0])
    return pos, face_of_colour


def kociemba_moves(sol: str, flip: bool) -> list[str]:
    out = []
    for tok in sol.split():
        f, suf = tok[0], tok[1:]
        q = f if not flip else "-" + f
        qi = "-" + f if not flip else f
        out += [q, q] if suf == "2" else [qi] if suf == "'" else [q]
    return out


def run_kociemba(rows, ptype, replay):
    import kociemba

    sol0, _ = rows[0].codes()
    pos, face_of = kociemba_layout(ptype, sol0)
    out, flip = [], None
    for row in rows:
        _, ini = row.codes()
        facelets = "".join(face_of[int(ini[p])] for p in pos)
        t = time.perf_counter()
        s = kociemba.solve(facelets)
        sec = time.perf_counter() - t
        if flip is None:
            flip = not replay(row, ptype, kociemba_moves(s, False))
        mv = kociemba_moves(s, flip)
        ok = replay(row, ptype, mv)
        out.append({"id": row.id, "htm": len(s.split()), "qtm": len(mv), "seconds": sec, "solved": ok,
                    "optimal_length": int(dict(row.extra)["optimal_length"])})
    return out


def _training(prep):
    h = prep.heuristic
    while hasattr(h, "h"):  # the solver's wrappers around the NeuralHeuristic
        h = h.h
    return getattr(h, "header", {}).get("training")


def summary(rows, key="length"):
    opt = [r["optimal_length"] for r in rows if "optimal_length" in r]
    lens = [r[key] for r in rows]
    d = {"n": len(rows), "solved": sum(bool(r.get("solved", True)) for r in rows),
         "mean_length": statistics.mean(lens), "median_length": statistics.median(lens),
         "seconds_mean": statistics.mean(r["seconds"] for r in rows),
         "seconds_median": statistics.median(r["seconds"] for r in rows)}
    if opt:
        gaps = [r[key] - r["optimal_length"] for r in rows]
        d.update({"mean_optimal": statistics.mean(opt), "mean_gap": statistics.mean(gaps),
                  "pct_optimal": 100.0 * sum(g == 0 for g in gaps) / len(gaps)})
    if rows and "lower_bound" in rows[0]:
        d.update({"mean_lower_bound": statistics.mean(r["lower_bound"] for r in rows),
                  "pct_proven_optimal": 100.0 * sum(bool(r.get("optimal")) for r in rows) / len(rows)})
    return d


def run_santa(args, info, name: str, count: int, depth: int, seconds: float, train_steps, ball_states):
    """``count`` non-backtracking random-walk scrambles of ``depth`` moves of Santa's cube
    ``name`` (its own move names; solved state: six colours, one per face, in Santa's
    order), each solved by the same generic solver within ``seconds``."""
    from cayley.errors import NoPathError
    from cayley.puzzles import prepare, solve_state

    pt = info[name]
    sol = np.repeat(np.arange(6), pt.degree // 6)
    t = time.perf_counter()
    steps = {} if train_steps is None else {"train_steps": train_steps}
    if ball_states is not None:
        steps["ball_states"] = ball_states
    p = prepare(pt, sol, seed=args.seed, bound_states=args.bound_states,
                progress=lambda m: print(m, file=sys.stderr, flush=True), **steps)
    prepared = {"seconds": time.perf_counter() - t, "radius": p.radius, "walk_length": p.walk_length,
                "from_cache": p.from_cache, "scorer": p.info.get("scorer")}
    print(f"{name} prepare: {prepared['seconds']:.1f} s (cache {p.from_cache}), ball radius {p.radius}, "
          f"walks {p.walk_length}, scoring {prepared['scorer']}", flush=True)
    rng = np.random.default_rng(args.seed)
    out = []
    gens = pt.generators
    inv = gens.inverse_index
    tag = name.split("/")[0].replace("_", "")  # cube4, cube5
    for _i in range(count):
        s, last = sol.copy(), -1
        for _ in range(depth):  # non-backtracking random walk
            m = int(rng.integers(len(gens)))
            while last >= 0 and m == inv[last]:
                m = int(rng.integers(len(gens)))
            s, last = s[gens.perms[m]], m
        try:
            r = solve_state(p, s, time_limit=seconds, seed=args.seed)
        except NoPathError as exc:
            out.append({"scramble": depth, "solved": False, "error": str(exc), "lower_bound": exc.lower_bound})
            print(tag, json.dumps(out[-1]), flush=True)
            continue
        st = s.copy()
        for m in r.moves:
            st = st[pt.move(m)]
        out.append({"scramble": depth, "length": r.length, "lower_bound": r.lower_bound,
                    "seconds": r.seconds, "widths": r.widths, "beams": [[w, n, round(t, 2)] for w, n, t in r.beams],
                    "solved": bool(np.array_equal(st, sol))})
        print(tag, json.dumps(out[-1]), flush=True)
    return prepared, out


def run_big(args, info, res, save) -> None:
    """The cube_4/4/4 and cube_5/5/5 parts (each saved as soon as it ends)."""
    if args.cube4:
        res["cube4_prepare"], res["cube4"] = run_santa(args, info, "cube_4/4/4", args.cube4, args.cube4_scramble,
                                                       args.cube4_time, args.cube4_train_steps,
                                                       args.cube4_ball_states)
        save()
    if args.cube5:
        res["cube5_prepare"], res["cube5"] = run_santa(args, info, "cube_5/5/5", args.cube5, args.cube5_scramble,
                                                       args.cube5_time, args.cube5_train_steps,
                                                       args.cube5_ball_states)
        save()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--first", type=int, default=0, help="index of the first DeepCubeA row (to complete an earlier run)")
    ap.add_argument("--time-per-puzzle", type=float, default=30.0)
    ap.add_argument("--train-steps", type=int, default=None, help="default: the solver's train_steps_for(the puzzle)")
    ap.add_argument("--bound-states", type=int, default=1_000_000, help="states per orbit pattern database")
    ap.add_argument("--ball-states", type=int, default=None, help="bound on the solution ball's states (default: the solver's)")
    ap.add_argument("--prove-nodes", type=int, default=0, help="IDA* nodes per cube after the beams")
    ap.add_argument("--inverse", choices=("off", "half", "rest"), default="rest",
                    help="solve_state's inverse: off (False), half (True), rest ('rest', its default)")
    ap.add_argument("--cube4", type=int, default=3, help="random-walk scrambles of cube_4/4/4 (0: skip)")
    ap.add_argument("--cube4-scramble", type=int, default=20)
    ap.add_argument("--cube4-train-steps", type=int, default=None, help="default: the solver's train_steps_for(the puzzle)")
    ap.add_argument("--cube4-ball-states", type=int, default=None, help="default: the solver's")
    ap.add_argument("--cube4-time", type=float, default=30.0, help="seconds per cube_4/4/4 scramble")
    ap.add_argument("--cube5", type=int, default=0, help="random-walk scrambles of cube_5/5/5 (0: skip)")
    ap.add_argument("--cube5-scramble", type=int, default=20)
    ap.add_argument("--cube5-train-steps", type=int, default=None, help="default: the solver's train_steps_for(the puzzle)")
    ap.add_argument("--cube5-ball-states", type=int, default=None, help="default: the solver's")
    ap.add_argument("--cube5-time", type=float, default=30.0, help="seconds per cube_5/5/5 scramble")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    from cayley.puzzles import (
        prepare,
        read_puzzle_info,
        read_puzzles,
        replay,
        solve_puzzle,
    )

    res = {"command": " ".join([sys.executable] + sys.argv), "machine": machine(), "args": vars(args)}

    def save():  # after each part: a later part that fails keeps the earlier results
        res["machine"]["uptime_after"] = subprocess.run(["uptime"], check=False, capture_output=True,
                                                        text=True).stdout.strip()
        if args.out:
            with open(args.out, "w") as f:
                json.dump(res, f, indent=1, default=str)
    info = read_puzzle_info(f"{SHARED}/puzzle_info.csv")
    rows = read_puzzles(f"{SHARED}/deepcubea_cube3.csv", info)[args.first : args.first + args.n]
    ptype = info["cube3_qtm"]
    if not rows:  # --n 0: the cube_4/4/4 and cube_5/5/5 parts alone
        run_big(args, info, res, save)
        save()
        return

    t = time.perf_counter()
    opts = {} if args.train_steps is None else {"train_steps": args.train_steps}
    if args.ball_states is not None:
        opts["ball_states"] = args.ball_states
    prep = prepare(ptype, rows[0].solution_state, seed=args.seed, bound_states=args.bound_states,
                   progress=lambda m: print(m, file=sys.stderr, flush=True), **opts)
    res["cayley_prepare"] = {"seconds": time.perf_counter() - t, "from_cache": prep.from_cache,
                             "radius": prep.radius, "walk_length": prep.walk_length, "info": prep.info,
                             "training": _training(prep)}
    print(f"cayley prepare: {res['cayley_prepare']['seconds']:.1f} s (cache {prep.from_cache}), "
          f"ball radius {prep.radius}, walks {prep.walk_length}, scoring {prep.info.get('scorer')}", flush=True)
    out = []
    for row in rows:
        s = solve_puzzle(prep, row, time_limit=args.time_per_puzzle, seed=args.seed, prove_nodes=args.prove_nodes,
                         inverse={"off": False, "half": True, "rest": "rest"}[args.inverse])
        ok = replay(row, ptype, s.moves)
        r = {"id": row.id, "length": s.length, "optimal_length": int(dict(row.extra)["optimal_length"]),
             "lower_bound": s.lower_bound, "optimal": s.optimal, "seconds": s.seconds, "widths": s.widths,
             "beams": [[w, n, round(t, 2)] for w, n, t in s.beams],
             "solved": ok}
        out.append(r)
        print(json.dumps(r), flush=True)
    res["cayley"] = {"rows": out, "summary": summary(out)}
    print("cayley", json.dumps(res["cayley"]["summary"]), flush=True)
    save()

    try:
        k = run_kociemba(rows, ptype, replay)
        res["kociemba"] = {"rows": k, "summary_qtm": summary(k, "qtm"), "summary_htm": summary(k, "htm")}
        print("kociemba", json.dumps(res["kociemba"]["summary_qtm"]), flush=True)
    except ImportError:
        res["kociemba"] = None
    save()

    run_big(args, info, res, save)
    save()


if __name__ == "__main__":
    main()
