"""Path-finding benchmarks in the layout of the Kaggle CayleyPy competitions."""

from __future__ import annotations

import time
from dataclasses import dataclass
from math import factorial
from typing import Callable, Mapping, Optional, Union

import numpy as np

from ..errors import InvalidInputError, NoPathError
from ..graphs.graph import CayleyGraph
from ..graphs.paths import SeedLike, check_positive
from ._format import (Resource, check_dataset_id, check_license, column, finish_folder, prepare_folder, reproduce,
                      write_json, write_table)
from .puzzle import get_layout, inverse_graph, parse_rename, puzzle_info, state_key

__all__ = ["PathsExport", "export_paths"]

# beam search meets a breadth-first ball around the central state of at most this many states
BALL_STATES = 50_000
# exact distances from one breadth-first distance table (1 byte per state) up to this many states
TABLE_MAX_STATES = 10_000_000


@dataclass(frozen=True)
class PathsExport:
    """Summary of :func:`export_paths`.

    ``score`` is the total number of moves of the sample submission; ``beam_solved`` counts
    the rows beam search solved (the others undo their scramble); ``optimal_known`` counts
    the rows whose exact distance is in ``solutions.csv``, and ``optimal_score`` sums those
    distances (None when not all are known).
    """

    out: str
    count: int
    score: int
    beam_solved: int
    optimal_known: int
    optimal_score: Optional[int]
    seconds: float
    metadata: dict


def export_paths(
    group: str,
    gens: str,
    *,
    count: int,
    out,
    scramble_length: Optional[int] = None,
    seed: SeedLike = 0,
    start: Optional[str] = None,
    layout: str = "id-path",
    rename: Union[None, str, Mapping[str, str]] = None,
    heuristic: str = "auto",
    beam_width: int = 1024,
    max_steps: int = 1000,
    ball: Union[int, str] = "auto",
    exact: bool = True,
    exact_max_states: int = 1_000_000,
    table_max_states: int = TABLE_MAX_STATES,
    title: Optional[str] = None,
    dataset_id: Optional[str] = None,
    license: str = "CC0-1.0",
    overwrite: bool = False,
    progress: Optional[Callable[[int, int], None]] = None,
) -> PathsExport:
    """Write a path-finding dataset: ``test.csv``, ``puzzle_info.json``,
    ``sample_submission.csv`` (beam search, every path checked), ``solutions.csv`` (exact
    distances where computable), ``README.md`` and ``dataset-metadata.json``.

    Parameters
    ----------
    group, gens : str
        The graph, as for ``cayley growth`` (``"S_16"``, ``"lrx"``).
    count : int
        Number of test states (distinct, none the central state unless the graph has
        fewer states).
    out : path
        Output folder (created).
    scramble_length : int, optional
        Each state is ``scramble_length`` random non-backtracking moves by the inverse
        generators from the central state, so undoing them is a path of that length.
        None: uniformly random states (needs generators that reach every arrangement).
    seed : int, numpy Generator or None
        Seeds the states and beam search tie-breaking; the same seed gives the same files.
    start : str, optional
        Central state (repeated symbols: a Schreier graph); default the identity.
    layout : {"id-path", "initial-state-id", "id-permutation-solution"}
        Column names: ``id,initial_state`` / ``id,path`` (default);
        ``initial_state_id,initial_state`` / ``initial_state_id,path``;
        ``id,n,permutation`` / ``id,permutation,solution``.
    rename : str or mapping, optional
        Move names in the dataset (see :func:`~cayley.datasets.puzzle.parse_rename`).
    heuristic : {"auto", "hamming", "breakpoints"}
        Beam search heuristic; auto: breakpoints for pancake and reversals, else Hamming.
    beam_width, max_steps : int
        Beam search settings.
    ball : int or "auto"
        Beam search meets a breadth-first ball of this radius around the central state;
        auto: the largest radius sure to hold at most 50,000 states (counting paths that
        never undo their last move).
    exact : bool
        Compute exact distances (``solutions.csv``): a breadth-first distance table when
        the graph has at most ``table_max_states`` states, otherwise meet-in-the-middle
        with at most ``exact_max_states`` states per row, and for pancake and reversals a
        path as long as the breakpoint lower bound.
    title, dataset_id, license : str, optional
        Kaggle metadata: dataset title, ``owner/slug`` (default ``$KAGGLE_USERNAME/<slug>``,
        else ``cayley/<slug>``) and license.
    overwrite : bool
        Replace an earlier export in ``out``.
    progress : callable, optional
        Called as ``progress(done, count)`` after each row.

    Returns
    -------
    PathsExport

    Examples
    --------
    >>> import tempfile
    >>> e = export_paths("S_6", "pancake", count=4, scramble_length=5, seed=1, out=tempfile.mkdtemp())
    >>> e.count, e.beam_solved, e.optimal_known, e.score >= e.optimal_score
    (4, 4, 4, True)
    """
    t0 = time.perf_counter()
    opts = _PathsOptions(group, gens, count, out, scramble_length, seed, start, layout, rename, heuristic, beam_width,
                         max_steps, ball, exact, exact_max_states, table_max_states, title, dataset_id, license)
    opts.check()
    lay = get_layout(layout)
    graph = CayleyGraph.from_spec(group, gens, start=start)
    names = parse_rename(rename, graph.generators)
    with prepare_folder(out, overwrite) as folder:  # a failed export leaves out as it was
        rng = np.random.default_rng(seed)
        states, undo = _make_states(graph, count, scramble_length, rng)
        solvers = _Solvers.build(graph, opts)
        solved = _solve_rows(graph, names, states, undo, solvers, opts, rng, progress)
        resources = _write_tables(folder, graph, lay, names, states, solved, opts)
        meta = _finish_paths(folder, graph, names, resources, solvers, solved, opts)
        return PathsExport(str(folder.out), len(states), solved.score, solved.beam_solved, solved.known,
                           solved.optimal_score, time.perf_counter() - t0, meta)


# -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _PathsOptions:
    """The settings of one :func:`export_paths` call, as passed."""

    group: str
    gens: str
    count: int
    out: object
    scramble_length: Optional[int]
    seed: SeedLike
    start: Optional[str]
    layout: str
    rename: Union[None, str, Mapping[str, str]]
    heuristic: str
    beam_width: int
    max_steps: int
    ball: Union[int, str]
    exact: bool
    exact_max_states: int
    table_max_states: int
    title: Optional[str]
    dataset_id: Optional[str]
    license: str

    def check(self) -> None:
        """Reject invalid settings (before the graph is built)."""
        check_positive("count", self.count, allow_none=False)
        check_positive("scramble_length", self.scramble_length, allow_zero=True)
        check_positive("beam_width", self.beam_width, allow_none=False)
        check_positive("max_steps", self.max_steps, allow_none=False)
        check_positive("exact_max_states", self.exact_max_states, allow_none=False)
        check_positive("table_max_states", self.table_max_states, allow_zero=True, allow_none=False)
        if self.heuristic not in ("auto", "hamming", "breakpoints"):
            raise InvalidInputError(f"unknown heuristic {self.heuristic!r}: expected auto, hamming or breakpoints")
        if self.ball != "auto":
            check_positive("ball", self.ball, allow_zero=True, allow_none=False)
        check_license(self.license)
        check_dataset_id(self.dataset_id)


@dataclass(frozen=True)
class _Solvers:
    """How rows are solved: the beam search heuristic and ball radius and, for exact
    distances, a distance table (with the graph's order) or an admissible lower bound."""

    heuristic: object
    radius: int
    table: object
    order: Optional[int]
    bound: object

    @classmethod
    def build(cls, graph: CayleyGraph, opts: _PathsOptions) -> "_Solvers":
        h = _heuristic(graph, opts.heuristic)
        radius = _ball_radius(graph) if opts.ball == "auto" else int(opts.ball)
        table, order = _exact_table(graph, opts.exact, opts.table_max_states)
        bound = _lower_bound(graph) if opts.exact else None
        return cls(h, radius, table, order, bound)


@dataclass(frozen=True)
class _Solved:
    """Per row the sample path and the exact ``(length, method, path)`` (Nones where
    unknown), both with move names; and how many rows beam search solved."""

    samples: list
    solutions: list
    beam_solved: int

    @property
    def known(self) -> int:
        return sum(1 for x in self.solutions if x[0] is not None)

    @property
    def score(self) -> int:
        return int(sum(len(p) for p in self.samples))

    @property
    def optimal_score(self) -> Optional[int]:
        known = [x for x in self.solutions if x[0] is not None]
        return int(sum(x[0] for x in known)) if known and len(known) == len(self.samples) else None


def _solve_rows(graph: CayleyGraph, names, states, undo, solvers: _Solvers, opts: _PathsOptions, rng,
                progress) -> _Solved:
    """A checked beam search path for each state and, when asked, its exact distance."""
    gen_names = graph.generators.names
    samples, solutions = [], []
    beam_solved = 0
    for i, s in enumerate(states):
        moves, beam_optimal, by_beam = _beam_path(graph, i, s, undo[i], solvers, opts, rng)
        beam_solved += by_beam
        _check(graph, s, moves)
        opt_len, opt_method, opt_moves = None, None, None
        if opts.exact:
            opt_len, opt_method, opt_moves = _optimal_path(graph, s, moves, beam_optimal, solvers, opts)
        samples.append([names[gen_names[m]] for m in moves])
        solutions.append((opt_len, opt_method,
                          None if opt_moves is None else [names[gen_names[m]] for m in opt_moves]))
        if progress is not None:
            progress(i + 1, len(states))
    return _Solved(samples, solutions, beam_solved)


def _beam_path(graph: CayleyGraph, i: int, s: np.ndarray, undo, solvers: _Solvers, opts: _PathsOptions, rng):
    """Beam search from row ``i``'s state ``s``, falling back on the moves that undo its
    scramble: the moves, whether they are proven shortest, and whether beam search found them."""
    from ..graphs.paths import beam_search

    try:
        p = beam_search(graph, s, solvers.heuristic, beam_width=opts.beam_width, max_steps=opts.max_steps,
                        ball=solvers.radius, seed=rng)
        return list(p.moves), p.optimal, 1
    except NoPathError:
        if undo is None:
            raise InvalidInputError(
                f"beam search found no path from state {i} {s.tolist()}; try a wider beam (--beam-width) "
                "or a larger --ball"
            ) from None
        return undo, False, 0


def _optimal_path(graph: CayleyGraph, s: np.ndarray, moves, beam_optimal: bool, solvers: _Solvers,
                  opts: _PathsOptions):
    """The exact distance of ``s``, how it was found and a shortest path (checked, and no
    longer than the sample path ``moves``), or Nones where not computable."""
    from ..graphs.paths import meet_in_the_middle

    opt_len, opt_method, opt_moves = None, None, None
    if solvers.table is not None:
        tp = solvers.table.path(s)
        opt_len, opt_method, opt_moves = tp.length, "table", list(tp.moves)
    elif beam_optimal:
        opt_len, opt_method, opt_moves = len(moves), "bfs", moves
    elif solvers.bound is not None and int(solvers.bound(s.reshape(1, -1))[0]) >= len(moves):
        opt_len, opt_method, opt_moves = len(moves), "lower_bound", moves
    else:
        try:
            mp = meet_in_the_middle(graph, s, max_states=opts.exact_max_states)
            opt_len, opt_method, opt_moves = mp.length, "mitm", list(mp.moves)
        except NoPathError:
            pass
    if opt_moves is not None:
        _check(graph, s, opt_moves)
        if len(moves) < opt_len:  # a shorter valid path disproves optimality: a bug
            raise RuntimeError(f"internal error: path of length {len(moves)} beats the optimum {opt_len}")
    return opt_len, opt_method, opt_moves


def _write_tables(folder, graph: CayleyGraph, lay, names, states, solved: _Solved, opts: _PathsOptions):
    """Write ``test.csv``, ``sample_submission.csv``, ``puzzle_info.json`` and (exact)
    ``solutions.csv``; their resource descriptions."""
    test_cols = [column(c) for c in lay.test]
    sub_cols = [column(c) for c in lay.submission]

    def test_row(i, s):
        return [{"id": i, "initial_state_id": i, "initial_state": s, "permutation": s, "n": graph.degree}[c]
                for c in lay.test]

    def sub_row(i, s, path):
        return [{"id": i, "initial_state_id": i, "permutation": s, "path": path, "solution": path}[c]
                for c in lay.submission]

    write_table(folder / "test.csv", test_cols, (test_row(i, s) for i, s in enumerate(states)))
    write_table(folder / "sample_submission.csv", sub_cols,
                (sub_row(i, s, p) for i, (s, p) in enumerate(zip(states, solved.samples))))
    info = puzzle_info(graph, opts.group, opts.gens, names, lay)
    write_json(folder / "puzzle_info.json", info)
    resources = [
        Resource("test.csv", "The states to solve.", test_cols),
        Resource("sample_submission.csv", "A valid submission found by beam search (its score is the total "
                 "number of moves).", sub_cols),
        Resource("puzzle_info.json", "Central state, the generators (moves) by name as one-line permutations, "
                 "the action convention and the layout."),
    ]
    if opts.exact:
        sol_cols = [column(lay.id), column("scramble_length"), column("sample_length"), column("optimal_length"),
                    column("optimal_method"), column("optimal_path")]
        write_table(folder / "solutions.csv", sol_cols, (
            [i, opts.scramble_length, len(solved.samples[i]), ol, om, op]
            for i, (ol, om, op) in enumerate(solved.solutions)))
        resources.insert(2, Resource("solutions.csv", "Exact distances (optimal lengths) where computable, with "
                                     "a shortest path.", sol_cols))
    return resources


def _how_made(solvers: _Solvers, solved: _Solved, opts: _PathsOptions) -> str:
    """The README's account of how the states, sample paths and exact distances were made."""
    n = len(solved.samples)
    how_states = (f"Each state is {opts.scramble_length} random moves (never straight back) by the inverse generators "
                  "from the central state, so its distance is at most that" if opts.scramble_length is not None else
                  "Each state is a uniformly random arrangement of the central state's symbols")
    heur = type(solvers.heuristic).__name__ if solvers.heuristic is not None else "default"
    how = (
        f"{how_states}; states are distinct. The sample submission was found by beam search (width {opts.beam_width}, "
        f"heuristic {heur}, meeting a breadth-first ball of radius {solvers.radius} around the central state); "
        f"{solved.beam_solved} of {n} rows were solved by it"
        + (", the others undo their scramble" if solved.beam_solved < n else "")
        + ". Every path was checked by replaying its moves."
    )
    if opts.exact:
        how += (" Exact distances: " + (f"a breadth-first distance table of all {solvers.order:,} states"
                                        if solvers.table is not None else
                                        f"meet-in-the-middle (bidirectional BFS, at most {opts.exact_max_states:,} "
                                        "states per row)"
                + (", or a beam path as long as the breakpoint lower bound" if solvers.bound is not None else ""))
                + f"; known for {solved.known} of {n} rows.")
    return how


def _reproduce_paths(opts: _PathsOptions):
    """The command line and Python call that remake the export."""
    o = opts
    command, call = reproduce(
        ["cayley", "dataset", "export", "paths"], "export_paths", [(None, o.group), ("--gens", o.gens)], [
            ("--count", "count", o.count, None), ("--scramble-length", "scramble_length", o.scramble_length, None),
            ("--seed", "seed", o.seed if isinstance(o.seed, (int, np.integer)) else None, None),
            ("--start", "start", o.start, None), ("--layout", "layout", o.layout, "id-path"),
            ("--rename", "rename", o.rename, None), ("--heuristic", "heuristic", o.heuristic, "auto"),
            ("--beam-width", "beam_width", o.beam_width, 1024), ("--max-steps", "max_steps", o.max_steps, 1000),
            ("--ball", "ball", o.ball, "auto"), ("--exact", "exact", o.exact, True),
            ("--exact-max-states", "exact_max_states", o.exact_max_states, 1_000_000),
            ("--table-max-states", "table_max_states", o.table_max_states, TABLE_MAX_STATES),
            ("--title", "title", o.title, None), ("--id", "dataset_id", o.dataset_id, None),
            ("--license", "license", o.license, "CC0-1.0"), ("--out", "out", str(o.out), None),
        ])
    return command, "from cayley.datasets import export_paths\n" + call


def _finish_paths(folder, graph: CayleyGraph, names, resources, solvers: _Solvers, solved: _Solved,
                  opts: _PathsOptions) -> dict:
    """Write ``README.md`` and ``dataset-metadata.json``; the metadata."""
    n = len(solved.samples)
    how = _how_made(solvers, solved, opts)
    gen_names = graph.generators.names
    gens_desc = ", ".join(f"{names[g]}" for g in gen_names)
    what = (
        f"Path-finding benchmark on the {'Schreier' if graph.is_schreier else 'Cayley'} graph {graph.name} "
        f"({len(gen_names)} moves: {gens_desc}). Each row of `test.csv` is a state; a solution is a sequence of "
        "moves from it to the central state (`puzzle_info.json`). A move p sends a state s to s' with "
        "s'[i] = s[p[i]]. The score of a submission is the total number of moves (lower is better); check one "
        f"with `cayley dataset verify DIR --submission FILE`."
    )
    command, python = _reproduce_paths(opts)
    facts = [("graph", graph.name), ("states", f"{n}"), ("sample submission score", f"{solved.score}"),
             ("rows solved by beam search", f"{solved.beam_solved}")]
    if opts.exact:
        facts.append(("exact distances known", f"{solved.known} of {n}"))
        if solved.optimal_score is not None:
            facts.append(("optimal score", f"{solved.optimal_score}"))
    title = opts.title or f"Cayley paths {graph.name}"
    return finish_folder(
        folder, title=title, dataset_id=opts.dataset_id, license=opts.license, resources=resources, what=what,
        how=how, subtitle=f"Path-finding benchmark: {n} states of {graph.name}, made with cayley",
        command=command, python=python, facts=facts, keywords=["mathematics", "puzzles"],
    )


# -------------------------------------------------------------------------------------
def _make_states(graph: CayleyGraph, count: int, length: Optional[int], rng):
    """``count`` distinct states (avoiding the central state while there are enough others)
    and, for scrambles, the moves that undo each."""
    from ..graphs.paths import scramble

    central = state_key(graph.start)
    seen: set[bytes] = set()
    states, undo = [], []
    if length is None:
        if graph.orbit_size() != _arrangements(graph.start):
            raise InvalidInputError(
                f"uniformly random states need generators that reach every arrangement, but {graph.name} has "
                f"{graph.orbit_size():,} of {_arrangements(graph.start):,}; pass a scramble length"
            )
        sampler = lambda: (rng.permutation(graph.start), None)  # noqa: E731
    else:
        inv = inverse_graph(graph)

        def sampler():
            p = scramble(inv, length, seed=rng)
            return p.target, list(p.moves)[::-1]

    try:
        avail = graph.orbit_size()
    except Exception:  # sympy failure: the count is then checked by the tries below
        avail = None
    if avail is not None and count > avail:
        raise InvalidInputError(f"count {count} exceeds the {avail:,} states of {graph.name}")
    tries = 0
    while len(states) < count:
        s, u = sampler()
        tries += 1
        k = state_key(s)
        if k not in seen and (k != central or count == avail or tries > 20 * count):
            seen.add(k)
            states.append(np.asarray(s, dtype=np.int64))
            undo.append(u)
        elif tries > 50 * count + 1000:
            raise InvalidInputError(
                f"found only {len(states)} distinct states for count={count} after {tries:,} tries "
                f"({graph.name}{'' if length is None else f', scramble length {length}'}); "
                "lower the count or lengthen the scramble"
            )
    return states, undo


def _arrangements(start: np.ndarray) -> int:
    total = factorial(len(start))
    for c in np.bincount(start):
        total //= factorial(int(c))
    return total


def _heuristic(graph: CayleyGraph, name: str):
    from ..graphs.heuristics import Breakpoints, Hamming, default_heuristic

    if name == "hamming":
        return Hamming(graph.start)
    if name == "breakpoints":
        return Breakpoints(graph.start, kind="reversals" if graph.generators.family == "full_reversals" else "pancake")
    return default_heuristic(graph)


def _lower_bound(graph: CayleyGraph):
    """An admissible heuristic (a proven lower bound on the distance), or None."""
    from ..graphs.heuristics import Breakpoints

    if graph.is_schreier:
        return None
    if graph.generators.family == "pancake":
        return Breakpoints(graph.start, kind="pancake")
    if graph.generators.family == "full_reversals":
        b = Breakpoints(graph.start, kind="reversals")
        return lambda s: np.ceil(b(s))
    return None


def _ball_radius(graph: CayleyGraph) -> int:
    """The largest radius whose ball around the central state surely has at most
    :data:`BALL_STATES` states: it holds at most as many states as there are words of that
    length or less, and in an undirected graph a shortest path never undoes its last move,
    so after the first move each step has at most ``k - 1`` choices."""
    k = len(graph.generators)
    step = k - 1 if graph.undirected else k
    total, layer, radius = 1, 1, 0
    while radius < graph.degree ** 2 + 64:  # the ball search stops by itself once a graph is exhausted
        layer = layer * (k if radius == 0 else step)
        if total + layer > BALL_STATES:
            break
        total += layer
        radius += 1
    return radius


def _exact_table(graph: CayleyGraph, exact: bool, limit: int):
    """An exact distance table when the graph is small enough; and its order."""
    if not exact or limit == 0:
        return None, None
    try:
        order = graph.orbit_size()
    except Exception:  # sympy failure: no table
        return None, None
    if order > limit:
        return None, order
    from ..graphs.heuristics import PatternDatabase

    return PatternDatabase.build(graph), order


def _check(graph: CayleyGraph, state: np.ndarray, moves) -> None:
    """Replay ``moves`` from ``state``; it must end at the central state."""
    from ..graphs.paths import apply_path

    if not np.array_equal(apply_path(graph, state, moves), graph.start):
        raise RuntimeError(f"internal error: a path from {state.tolist()} does not reach the central state")
