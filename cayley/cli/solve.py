"""``cayley solve``: solve the rows of a Kaggle puzzles.csv, write a submission."""

from __future__ import annotations

import json
import time

import click


def _ids(values) -> list[str]:
    out: list[str] = []
    for v in values:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


@click.command()
@click.option("--puzzle-info", "info_path", required=True, help="puzzle_info.csv: puzzle_type, allowed_moves.")
@click.option("--puzzles", "puzzles_path", required=True, help="puzzles.csv: id, puzzle_type, solution_state, initial_state, num_wildcards.")
@click.option("--out", "out_path", required=True, help="Submission to write (id,moves), atomically.")
@click.option("--time-per-puzzle", type=click.FloatRange(min=0.0, min_open=True), default=60.0, show_default=True,
              help="Seconds of search per row (beam searches of growing width while the next one fits).")
@click.option("--seed", type=int, default=0, show_default=True, help="Training and tie-breaking seed.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Solve only the first N rows (after --ids).")
@click.option("--ids", "ids", multiple=True, help="Solve only these ids (comma-separated, repeatable).")
@click.option("--progress", is_flag=True, help="One line per row on stderr.")
@click.option("--heuristic", type=click.Choice(["neural", "hamming"]), default="neural", show_default=True,
              help="neural: an MLP trained on random walks (cached per puzzle type); hamming: misplaced labels.")
@click.option("--train-steps", type=click.IntRange(min=1), default=None,
              help="Training steps of the neural heuristic (when not cached); default: 16000 for a network "
                   "the size of the 3x3x3 cube's, fewer for larger ones (cayley.puzzles.preparation.train_steps_for).")
@click.option("--train-seconds", type=click.FloatRange(min=0.0, min_open=True), default=None,
              help="Time budget of that training: fewer steps run when they do not fit (default: "
                   "cayley.puzzles.preparation.TRAIN_SECONDS, 420 s, so preparation stays within 10 minutes).")
@click.option("--ball-states", type=click.IntRange(min=1), default=2_500_000, show_default=True,
              help="Bound on the states of the breadth-first ball around the solution.")
@click.option("--bound-states", type=click.IntRange(min=0), default=1_000_000, show_default=True,
              help="States per orbit pattern database (admissible lower bounds); 0: the ball alone.")
@click.option("--meet-states", type=click.IntRange(min=0), default=200_000, show_default=True,
              help="States of a ball around each start met against the solution's ball: a lower bound, "
                   "or a shortest path when they meet; 0: skip.")
@click.option("--prove-nodes", type=click.IntRange(min=0), default=0, show_default=True,
              help="After the beam searches, IDA* nodes spent proving optimality or raising the lower bound.")
def solve(info_path, puzzles_path, out_path, time_per_puzzle, seed, fmt, limit, ids, progress, heuristic,
          train_steps, train_seconds, ball_states, bound_states, meet_states, prove_nodes):
    """Solve Kaggle Santa 2023 style puzzles given only by their moves.

    Moves act on positions: a move p sends a state s to s[p]; '-name' is its inverse.
    Every row is replayed before it is written; a row is solved when at most
    num_wildcards positions differ from its solution state.

    \b
    Example:
      cayley solve --puzzle-info puzzle_info.csv --puzzles puzzles.csv --out submission.csv \\
          --time-per-puzzle 30 --limit 5 --progress
    """
    from ..errors import InvalidInputError, NoPathError
    from ..puzzles import (
        prepare,
        read_puzzle_info,
        read_puzzles,
        replay,
        solve_puzzle,
        write_submission,
    )

    info = read_puzzle_info(info_path)
    rows = read_puzzles(puzzles_path, info)
    if ids:
        want = _ids(ids)
        have = {r.id for r in rows}
        missing = [i for i in want if i not in have]
        if missing:
            raise InvalidInputError(f"--ids names ids not in {puzzles_path!r}: {missing[:10]}")
        keep = set(want)
        rows = [r for r in rows if r.id in keep]
    if limit is not None:
        rows = rows[:limit]
    say = (lambda msg: click.echo(msg, err=True)) if progress else None
    prepared: dict = {}
    results, solutions, unsolved = [], {}, []
    t_all = time.perf_counter()
    for k, row in enumerate(rows, 1):
        key = (row.puzzle_type, row.codes()[0].tobytes())
        if key not in prepared:
            steps = {} if train_steps is None else {"train_steps": train_steps}
            if train_seconds is not None:
                steps["train_seconds"] = train_seconds
            prepared[key] = prepare(info[row.puzzle_type], row.codes()[0], heuristic=heuristic, seed=seed,
                                    ball_states=ball_states, bound_states=bound_states, progress=say, **steps)
            p = prepared[key]
            if say:
                how = "cached" if p.from_cache else "built"
                say(f"prepared {row.puzzle_type}: ball radius {p.radius}, heuristic {how}, {p.seconds:.1f} s")
        prep = prepared[key]
        try:
            s = solve_puzzle(prep, row, time_limit=time_per_puzzle, seed=seed, prove_nodes=prove_nodes,
                             meet_states=meet_states)
        except NoPathError:
            unsolved.append(row.id)
            if say:
                say(f"[{k}/{len(rows)}] {row.id}: not solved within {time_per_puzzle:g} s")
            continue
        if not replay(row, info[row.puzzle_type], s.moves):  # a bug, never the input
            raise RuntimeError(f"internal error: the solution of {row.id!r} does not replay; please report it")
        solutions[row.id] = s.moves
        r = {"id": row.id, "length": s.length, "lower_bound": s.lower_bound, "seconds": round(s.seconds, 3)}
        if s.optimal:
            r["optimal"] = True
        results.append(r)
        if say:
            opt = " optimal" if s.optimal else ""
            say(f"[{k}/{len(rows)}] {row.id}: {s.length} moves (lower bound {s.lower_bound}{opt}), {s.seconds:.1f} s")
    write_submission(out_path, solutions)
    if fmt == "json":
        click.echo(json.dumps({"rows": results, "solved": len(results), "unsolved": unsolved, "out": out_path,
                               "seconds": round(time.perf_counter() - t_all, 3)}))
    else:
        click.echo(f"{'id':>10} {'length':>7} {'bound':>6} {'optimal':>8} {'seconds':>8}")
        for r in results:
            click.echo(f"{r['id']:>10} {r['length']:>7} {r['lower_bound']:>6} "
                       f"{'yes' if r.get('optimal') else '-':>8} {r['seconds']:>8.2f}")
        if results:
            mean = sum(r["length"] for r in results) / len(results)
            click.echo(f"solved {len(results)}/{len(rows)}, mean length {mean:.2f}, written to {out_path}")
    if unsolved:
        raise NoPathError(f"{len(unsolved)} of {len(rows)} rows not solved within --time-per-puzzle "
                          f"{time_per_puzzle:g} (ids {unsolved[:10]}); the others are in {out_path}")
