"""Solving permutation puzzles given only by their moves (Kaggle Santa 2023 layout).

Nothing here knows what a cube is: a puzzle is a :class:`~cayley.puzzles.kaggle.PuzzleType`
(named permutations) and a solution state of labels. :func:`prepare` builds, once per
puzzle type and solution pattern,

- the generator set (the moves and their inverses ``-m``) and the Schreier graph whose
  start is the solution state (a Cayley graph when the labels are distinct);
- a breadth-first *ball* of radius ``r`` around the solution state (distance *to* it):
  beam search stops as soon as a candidate enters it and finishes along the ball's
  shortest path (meet in the middle); a start inside it is solved optimally;
- a ball of group elements around the identity, used to shorten finished paths: any
  segment whose product is a ball element of smaller depth is replaced by the ball's word;
- a neural distance heuristic (:func:`cayley.nn.train_heuristic`, non-backtracking random
  walks from the solution, one-hot input of the state's canonical image under the
  puzzle's colouring symmetries, :class:`~cayley.nn.canonical.ColouringCanonical`) cached
  under the user's cache directory,
  keyed by a hash of the moves, the solution pattern, the training settings and the code
  version, written atomically with a SHA-256 sidecar and loaded weights-only.

:func:`solve_state` then runs beam searches of growing width (new seed each) while the
time budget allows, keeps the shortest path and shortens it.

Lower bounds, all proven: inside the ball, its exact distance; outside, the largest of
``r + 1``, the orbit pattern databases (:class:`~cayley.puzzles.bounds.OrbitBound`) and
the meet-in-the-middle bound ``d + r + 1`` from a ball of radius ``d`` around the start
that misses the solution's ball (when they meet, the path through them is a shortest
one); IDA* (``prove_nodes``) can raise it further. ``optimal`` is claimed only when
proven: a shortest path by one of those, a beam search that never cut its beam (a
breadth-first search), or a path whose length equals the lower bound.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import InvalidInputError, NoPathError
from ..graphs.graph import CayleyGraph
from ..graphs.paths import CpuBeamOps, as_state, ida_star, run_beam
from .kaggle import Puzzle
from .preparation import (  # re-exported (__all__): the solver's public names stay importable from here
    SOLVER_VERSION,
    TRAIN_BATCH,
    TRAIN_SECONDS,
    TRAIN_STEPS,
    TRAIN_WORK,
    Prepared,
    cache_dir,
    prepare,
    train_steps_for,
)

__all__ = ["SOLVER_VERSION", "TRAIN_BATCH", "TRAIN_SECONDS", "TRAIN_STEPS", "TRAIN_WORK", "train_steps_for", "Prepared",
           "Solution", "cache_dir", "prepare", "shorten", "solve_puzzle", "solve_state"]


#: Seconds :func:`solve_state` keeps free before its time limit (besides twice the longest
#: shortening): a beam step that starts just before the beams' deadline, and the final
#: replay, end in it (one DeepCubeA cube took 60.024 s with 10 ms).
SLACK = 0.05


@dataclass
class Solution:
    """A solved row: move names, length, proven lower bound, whether optimality is
    proven, seconds spent, the beam widths tried and, for each beam, ``(width, length
    of its path after shortening or 0 when it found none, seconds)``."""

    moves: list[str]
    lower_bound: int
    optimal: bool
    seconds: float
    widths: list[int] = field(default_factory=list)
    beams: list[tuple[int, int, float]] = field(default_factory=list)

    @property
    def length(self) -> int:
        """Number of moves."""
        return len(self.moves)



# -------------------------------------------------------------------------------------
# solving
# -------------------------------------------------------------------------------------
def shorten(prep: Prepared, moves: Sequence[int]) -> list[int]:
    """Replace segments by shorter words of the same group element (from the identity
    ball) until none is found; this also removes every move followed by its inverse.

    The result acts on any state exactly as ``moves`` does.
    """
    pb = prep.pball
    perms = prep.graph.generators.perms
    n = perms.shape[1]
    moves = [int(m) for m in moves]
    changed = True
    while changed and len(moves) >= 2:
        changed = False
        L = len(moves)
        best = None  # (saving, i, j, word)
        for i in range(L - 1):
            # products of moves[i:j] for j = i+1..L, as one gather chain
            prods = np.empty((L - i, n), dtype=np.int64)
            cur = np.arange(n, dtype=np.int64)
            for t, m in enumerate(moves[i:]):
                cur = cur[perms[m]]
                prods[t] = cur
            inv = np.argsort(prods, axis=1)  # x = G^-1: the ball word from x has product G
            pos = pb.lookup(pb.encode(inv))
            for t in np.flatnonzero(pos >= 0):
                depth = int(pb.depth[pos[t]])
                seg = t + 1
                if depth < seg and (best is None or seg - depth > best[0]):
                    best = (seg - depth, i, i + seg, int(pos[t]))
        if best is not None:
            _, i, j, p = best
            moves = moves[:i] + pb.path_from(p) + moves[j:]
            changed = True
    return moves


def _beam_candidates(width: np.ndarray | int, k: int, steps: int) -> np.ndarray:
    """Candidates a beam of ``width`` generates over ``steps`` steps with ``k``
    generators: ``k`` per beam state, the beam growing by ``k - 1`` a step until it is
    full (after about ``log_{k-1} width`` steps), so about ``k * width * (steps -
    log_{k-1} width + 1)``, at least ``k * width``.

    >>> int(_beam_candidates(1 << 19, 12, 15))   # measured on a DeepCubeA cube: 57.9 M
    66109161
    """
    w = np.asarray(width, dtype=np.float64)
    full = np.log(np.maximum(w, 1.0)) / math.log(max(k - 1, 2))
    return k * w * np.maximum(1.0, steps - full + 1.0)


def _next_width(first: int, per_candidate: float, k: int, steps: int, left: float, max_width: int,
                margin: float = 1.15) -> int | None:
    """The widest beam, a multiple of ``first`` and at most ``max_width``, predicted to
    fit ``margin`` times in ``left`` seconds, or None when not even ``first`` fits: a beam
    of width ``w`` generates :func:`_beam_candidates` candidates at ``per_candidate``
    seconds each (as measured on the searches so far).

    >>> _next_width(8192, 0.7e-6, 12, 17, 58.0, 1 << 20)   # a 2-core CPU, a 54-sticker cube
    475136
    >>> _next_width(8192, 0.7e-6, 12, 17, 0.1, 1 << 20) is None
    True
    >>> _next_width(1024, 1e-9, 12, 15, 1e6, 1 << 18)
    262144
    """
    widths = np.arange(first, max(first, max_width) + 1, first)
    fits = widths[_beam_candidates(widths, k, steps) * per_candidate * margin <= left]
    return int(fits[-1]) if len(fits) else None


def solve_state(
    prep: Prepared,
    initial: np.ndarray,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    first_width: int = 8192,
    max_width: int = 1 << 20,
    max_steps: int | None = None,
    prove_nodes: int = 0,
    meet_states: int = 200_000,
    inverse: bool | str = "rest",
) -> Solution:
    """Solve one state (codes as in ``prep.graph.start``) within about ``time_limit``
    seconds: a beam search of ``first_width`` measures the cost of a candidate, then each
    next search (new seed each) is the widest multiple of ``first_width`` predicted to fit
    in the time left (:func:`_next_width`: the measured cost per candidate, as many steps
    as the shortest search so far took), so most of the time goes to one wide beam; the
    shortest path is kept, each one shortened. With ``inverse="rest"`` (the default),
    the inverse scramble (:meth:`Prepared.inverse_state`, when it can be found) is
    searched too: it has the same optimal length, but the heuristic sees other states.
    A second beam of ``first_width`` searches it, the first wide beam goes to the
    direction whose narrow beam found the shorter path (the scramble on a tie), and the
    beams after it (the time it leaves, often a third) alternate, the other direction
    first. With ``inverse=True``, half the time goes to each; with ``False``, all to the
    scramble.

    The lower bound is the larger of :meth:`Prepared.lower_bound` and, with
    ``meet_states`` > 0, :meth:`Prepared.meet` (a ball of about that many states around
    the start: when it meets the solution's ball, the result is a shortest path and the
    search ends there); with ``prove_nodes`` > 0, IDA* with
    the same admissible heuristic then runs for at most that many nodes: it either finds
    a path proven shortest or raises the lower bound to its last completed bound.

    Once a path is known, searches stop before the limit, keeping twice the longest
    shortening of a path so far (and :data:`SLACK`, for the last step and the replay)
    for the last one's; before that they may run up to twice the limit (IDA* with
    ``prove_nodes`` comes after). Raises :class:`~cayley.errors.NoPathError` when no
    search reached the solution.

    Examples
    --------
    >>> from cayley.puzzles import PuzzleType
    >>> t = PuzzleType.from_moves("cyc", {"r": [1, 2, 3, 0], "s": [1, 0, 2, 3]})
    >>> p = prepare(t, [0, 1, 2, 3], heuristic="hamming")
    >>> s = solve_state(p, np.array([3, 2, 1, 0]), time_limit=1)
    >>> s.length >= s.lower_bound, s.optimal
    (True, True)
    """
    t0 = time.perf_counter()
    graph = prep.graph
    src = as_state(graph, initial, "initial state")
    names = graph.generators.names
    opts = dict(seed=seed, first_width=first_width, max_width=max_width, max_steps=max_steps,
                prove_nodes=prove_nodes, meet_states=meet_states)
    if inverse not in (False, True, "rest"):
        raise InvalidInputError(f"inverse must be False, True or 'rest', got {inverse!r}")
    if inverse is True:
        back = prep.inverse_state(src)
        if back is not None:
            return _solve_both_ways(prep, src, back, time_limit, opts)
    direct = prep.in_ball(src)
    if direct is not None:  # inside the ball: a shortest path
        return Solution([names[m] for m in direct], len(direct), True, time.perf_counter() - t0, [])
    lower = max(prep.radius + 1, prep.lower_bound(src))
    if meet_states > 0:
        dist, path = prep.meet(src, int(meet_states))
        if path is not None:  # the balls meet: a shortest path
            return Solution([names[m] for m in path], dist, True, time.perf_counter() - t0, [])
        lower = max(lower, dist)
    steps = int(max_steps) if max_steps is not None else max(4 * prep.walk_length, 50)
    back = prep.inverse_state(src) if inverse == "rest" else None
    best, lower, proven, beams = _beams(prep, src, t0, time_limit, lower, steps, seed, int(first_width),
                                        int(max_width), back)
    widths = [b[0] for b in beams]
    if not proven and prove_nodes > 0 and (best is None or len(best) > lower):
        best, lower, proven = _prove(prep, src, best, lower, int(prove_nodes))
    if best is None:
        raise NoPathError(f"no beam search reached the solution within {time_limit:g} s (widths {widths})",
                          lower_bound=lower)
    _check_replay(graph, src, best)
    return Solution([names[m] for m in best], lower, proven or len(best) == lower, time.perf_counter() - t0, widths,
                    beams)


def _beams(prep: Prepared, src: np.ndarray, t0: float, time_limit: float, lower: int, steps: int, seed: int,
           first_width: int, max_width: int, back: np.ndarray | None = None
           ) -> tuple[list[int] | None, int, bool, list[tuple[int, int, float]]]:
    """The beam searches of :func:`solve_state` (started at ``t0``): ``(the shortest
    path found or None, the lower bound, whether it is proven shortest, the beams as
    (width, length found or 0, seconds))``.
    With ``back`` (the inverse scramble), a second beam of ``first_width`` searches it,
    the first wide beam goes to the direction whose narrow beam found the shorter path
    (the scramble on a tie), and the beams after it alternate, the other direction first.
    Paths of the inverse scramble are read backwards, each move inverted."""
    graph = prep.graph
    best: list[int] | None = None
    proven = False
    beams: list[tuple[int, int, float]] = []
    width, last, attempt = first_width, 0.0, 0
    k = len(graph.generators)
    per_candidate: float | None = None
    beam_steps = steps
    usable = time_limit - SLACK  # and less twice the longest shortening of a path so far
    probe: dict[bool, int] = {}  # direction (True: the inverse) -> its narrow beam's length
    while True:
        ts = time.perf_counter()
        reverse = _reverse(attempt, back is not None, probe)
        try:
            ops = CpuBeamOps(graph, seed * 1000 + attempt)
            # the first search may overrun the limit (nothing found yet) by at most as much again
            stop = t0 + (usable if best is not None else 2 * time_limit)
            moves, explored, cut = run_beam(ops, back if reverse else src, prep.ball, prep.heuristic, width,
                                            steps, 2, deadline=stop)
            if reverse:
                moves = _read_backwards(graph, src, moves)
        except NoPathError:
            moves, explored, cut = None, 0, True
        last = time.perf_counter() - ts
        attempt += 1
        if explored:  # the cost of one candidate, and how many steps the beams take
            per_candidate = last / explored
        if moves is not None:
            beam_steps = min(beam_steps, max(1, len(moves) - prep.radius))
            tp = time.perf_counter()
            moves = shorten(prep, moves)
            usable = min(usable, time_limit - 2 * (time.perf_counter() - tp) - SLACK)
        beams.append((width, len(moves) if moves is not None else 0, time.perf_counter() - ts))
        if attempt <= 2 and moves is not None:  # beam 0 or 1 (attempt already counts this one)
            probe.setdefault(reverse, len(moves))
        if moves is not None:
            if best is None or len(moves) < len(best):
                best = moves
            if not cut and not reverse:  # never cut: the search was a breadth-first search
                lower, proven = len(moves), True
                best = moves
            if len(best) <= lower:
                break
        elapsed = time.perf_counter() - t0
        # a wider beam seldom needs more steps than the shortest search so far took
        nxt = None if per_candidate is None else _next_width(
            first_width, per_candidate, k, beam_steps, usable - elapsed, max_width)
        if nxt is None:
            if best is not None or elapsed > time_limit:
                break
            nxt = min(2 * width, max_width)  # nothing found yet: keep trying past the limit
        width = first_width if (attempt == 1 and back is not None) else nxt  # beam 1: narrow, inverse
    return best, lower, proven, beams


def _reverse(attempt: int, inverse: bool, probe: dict[bool, int]) -> bool:
    """Whether beam number ``attempt`` (from 0) of :func:`_beams` searches the inverse
    scramble: never without one (``inverse`` False); else the narrow beams 0 and 1 search
    the scramble and its inverse, beam 2 the direction whose narrow beam found the
    shorter path (``probe``: direction -> length; the scramble on a tie or when neither
    found one), and the later beams alternate, the other direction first.

    >>> [_reverse(a, True, {False: 22, True: 20}) for a in range(6)]
    [False, True, True, False, True, False]
    >>> [_reverse(a, True, {False: 22, True: 22}) for a in range(5)]
    [False, True, False, True, False]
    >>> [_reverse(a, False, {}) for a in range(3)]
    [False, False, False]
    """
    if not inverse or attempt == 0:
        return False
    if attempt == 1:
        return True
    inf = 1 << 30
    first = probe.get(True, inf) < probe.get(False, inf)
    return first if attempt % 2 == 0 else not first


def _read_backwards(graph: CayleyGraph, src: np.ndarray, moves: Sequence[int]) -> list[int] | None:
    """A path found for the inverse scramble, read backwards with each move inverted,
    when it solves ``src`` (checked by replay), else None."""
    inv = graph.generators.inverse_index
    path = [int(inv[m]) for m in reversed(moves)]
    s = src.copy()
    for m in path:
        s = s[graph.generators.perms[m]]
    return path if np.array_equal(s, graph.start) else None


def _prove(prep: Prepared, src: np.ndarray, best, lower: int, nodes: int) -> tuple:
    """IDA* with the preparation's admissible heuristic for at most ``nodes`` nodes:
    ``(path, its length, True)`` when it finds a shortest path, else ``best`` with the
    lower bound raised to the last completed IDA* bound."""
    try:
        exact = ida_star(prep.graph, src, prep.admissible(), max_nodes=nodes)
        return list(exact.moves), exact.length, True
    except NoPathError as exc:
        return best, max(lower, int(exc.lower_bound)) if exc.lower_bound is not None else lower, False


def _check_replay(graph: CayleyGraph, src: np.ndarray, moves: Sequence[int]) -> None:
    """The moves (indices) must act on ``src`` and give the solution exactly: a failure is
    a bug of the solver, never the input."""
    s = src.copy()
    for m in moves:
        s = s[graph.generators.perms[m]]
    if not np.array_equal(s, graph.start):
        raise RuntimeError("internal error: the solver's path does not reach the solution; please report it")


def _solve_both_ways(prep: Prepared, src: np.ndarray, back: np.ndarray, time_limit: float, opts: dict) -> Solution:
    """:func:`solve_state` on ``src`` for half the time, then on its inverse scramble
    ``back`` for the rest; the shorter path (the inverse one read backwards, each move
    inverted), replayed on ``src``."""
    t0 = time.perf_counter()
    graph = prep.graph
    names = graph.generators.names
    try:
        here = solve_state(prep, src, time_limit=time_limit / 2, inverse=False, **opts)  # type: ignore[arg-type]
    except NoPathError:
        here = None
    if here is not None and here.optimal:
        return here
    left = max(time_limit - (time.perf_counter() - t0), 0.1)
    try:
        there = solve_state(prep, back, time_limit=left, inverse=False, **opts)  # type: ignore[arg-type]
    except NoPathError:
        if here is None:
            raise
        return here
    if here is None:  # only the inverse search found a path: that path, read backwards
        here = Solution([], 0, False, 0.0, [])
    index = {name: i for i, name in enumerate(names)}
    inv = graph.generators.inverse_index
    moves = [names[int(inv[index[m]])] for m in reversed(there.moves)]
    lower = max(here.lower_bound, there.lower_bound)  # the same optimal length
    best = here.moves if here.moves and len(here.moves) <= len(moves) else moves
    _check_replay(graph, src, [index[m] for m in best])
    return Solution(best, lower, there.optimal or len(best) == lower, time.perf_counter() - t0,
                    here.widths + there.widths, here.beams + there.beams)


def solve_puzzle(prep: Prepared, puzzle: Puzzle, **kwargs) -> Solution:
    """Solve one row of ``puzzles.csv`` (its solution state must be ``prep``'s)."""
    sol, ini = puzzle.codes()
    if not np.array_equal(sol, prep.graph.start):
        raise InvalidInputError(f"puzzle {puzzle.id!r} has another solution state than the prepared one")
    return solve_state(prep, ini, **kwargs)
