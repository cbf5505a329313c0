"""Random walks (training data for heuristics) and scrambles."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Optional

import numpy as np

from ...backends.packing import packing
from ...errors import InvalidInputError
from ...groups.perm import compose, element_order, inverse
from ..graph import CayleyGraph
from .common import Path, SeedLike, StateLike, as_state, check_positive, finish
from .common import cpu_backend as _be, kernels as K

if TYPE_CHECKING:  # pragma: no cover
    from ..heuristics import PatternDatabase

__all__ = ["TRAINING_WALK_MODES", "WALK_MODES", "Walks", "check_walk_mode", "commuting_generators", "random_walks", "scramble"]

WalkMode = Literal["classic", "non_backtracking", "reduced", "bfs_unique"]
#: The modes of :func:`random_walks`.
WALK_MODES: tuple[str, ...] = ("classic", "non_backtracking", "reduced", "bfs_unique")
#: The modes that are walks (each state labelled by its walk's step count), for training.
TRAINING_WALK_MODES: tuple[str, ...] = ("classic", "non_backtracking", "reduced")


@dataclass(frozen=True, eq=False)
class Walks:
    """States from random walks and how many steps each walk took to reach them.

    ``states[i]`` was reached after ``steps[i]`` moves from ``target``; walks go by the
    *inverse* generators, so ``steps[i]`` moves by the generators lead from ``states[i]``
    back to ``target`` and bound its distance to the target from above (the quantity a
    heuristic estimates). ``distances[i]`` is the table's distance when a
    :class:`~cayley.graphs.heuristics.PatternDatabase` was given (exact when it merges no
    symbols; -1 where it has none), else None. ``walk[i]`` numbers the walk (-1 for
    ``bfs_unique``, which has none).

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> w = random_walks(CayleyGraph.from_spec("S_5", "pancake"), count=3, length=2, seed=0)
    >>> len(w), w.walk.tolist(), w.distances is None
    (9, [0, 1, 2, 0, 1, 2, 0, 1, 2], True)
    """

    graph: CayleyGraph
    target: np.ndarray
    states: np.ndarray
    steps: np.ndarray
    walk: np.ndarray
    distances: Optional[np.ndarray]
    mode: str

    def __len__(self) -> int:
        return len(self.states)


def random_walks(
    graph: CayleyGraph,
    *,
    count: int,
    length: int,
    mode: WalkMode = "classic",
    seed: SeedLike = None,
    target: Optional[StateLike] = None,
    table: Optional["PatternDatabase"] = None,
) -> Walks:
    """Random walks from ``target`` (default ``graph.start``): states with walk lengths.

    Parameters
    ----------
    graph : CayleyGraph
    count : int
        Number of walks (``bfs_unique``: the most states kept per layer).
    length : int
        Moves per walk (``bfs_unique``: layers after the first).
    mode : {"classic", "non_backtracking", "reduced", "bfs_unique"}
        ``"classic"``: each move is a uniformly random generator; ``count * (length + 1)``
        states, step-major (all walks' step 0, then step 1, ...).
        ``"non_backtracking"``: as classic, but a move never returns to the previous state
        nor stays in place (unless nothing else is possible), so steps track distance
        more closely. ``"reduced"``: as classic, but the walk's word stays reduced up to
        commuting generators (:func:`_reduced_walk`): a move never cancels against an
        earlier move that the moves since then commute with (``U D U^-1``), nor makes a
        power of a generator above half its order (``U U U``); steps track distance
        more closely still (on the 3x3x3 cube in quarter turns, all of 20,000 walks were at
        distance exactly their step count for 6 moves; non-backtracking walks: 90 % at 6).
        ``"bfs_unique"``: a breadth-first search whose layers are cut to
        ``count`` random states; every state appears once, at most ``count * length + 1``.
    seed : int, numpy Generator or None
    target : optional
        Where the walks start (the state heuristics will measure distance to).
    table : PatternDatabase, optional
        Fills ``distances`` with its look-ups.

    Returns
    -------
    Walks

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> g = CayleyGraph.from_spec("S_6", "lrx")
    >>> w = random_walks(g, count=4, length=5, mode="non_backtracking", seed=0)
    >>> w.states.shape, w.steps.tolist()[:9]
    ((24, 6), [0, 0, 0, 0, 1, 1, 1, 1, 2])
    """
    check_positive("count", count, allow_none=False)
    check_positive("length", length, allow_zero=True, allow_none=False)
    check_walk_mode(mode)
    rng = np.random.default_rng(seed)
    tgt = graph.start.copy() if target is None else as_state(graph, target, "target")
    back = inverse(graph.generators.perms)  # walk by inverses: distance *to* the target
    if mode == "bfs_unique":
        states, steps = _bfs_unique(graph, tgt, back, count, length, rng)
        walk = np.full(len(states), -1, dtype=np.int64)
    else:
        if mode == "reduced":
            states = _reduced_walk(tgt, back, graph.generators.inverse_index, count, length, rng)
        else:
            states, _ = _walk(tgt, back, count, length, rng, mode == "non_backtracking")
        steps = np.repeat(np.arange(length + 1, dtype=np.int64), count)
        walk = np.tile(np.arange(count, dtype=np.int64), length + 1)
    distances = table.distance(states) if table is not None else None
    return Walks(graph, tgt, states, steps, walk, distances, mode)


def check_walk_mode(mode: str) -> None:
    """Raise :class:`InvalidInputError` unless ``mode`` is one of :data:`WALK_MODES`."""
    if mode not in WALK_MODES:
        raise InvalidInputError(f"unknown mode {mode!r}: expected {', '.join(WALK_MODES[:-1])} or {WALK_MODES[-1]}")


def commuting_generators(perms: np.ndarray) -> np.ndarray:
    """``c[i, j]``: whether generators ``i`` and ``j`` commute (``c[i, i]`` is True).

    >>> commuting_generators(np.array([[1, 0, 2, 3], [0, 1, 3, 2], [1, 2, 0, 3]])).astype(int).tolist()
    [[1, 1, 0], [1, 1, 0], [0, 0, 1]]
    """
    perms = np.asarray(perms, dtype=np.int64)
    ab = compose(perms[:, None, :], perms[None, :, :])
    return np.asarray(np.all(ab == np.swapaxes(ab, 0, 1), axis=2))


def _reduced_walk(start: np.ndarray, perms: np.ndarray, inv: np.ndarray, count: int, length: int,
                  rng: np.random.Generator) -> np.ndarray:
    """``count`` walks of ``length`` moves by ``perms`` (``inv[i]``: the position of the
    inverse of ``perms[i]``, -1 if none) whose words stay reduced up to commuting
    generators; states step-major.

    Each walk keeps ``tail[g]``: how many times generator ``g`` occurs after the last move
    that does not commute with it (those occurrences could be moved to the end of the
    word). A move ``g`` is forbidden when its inverse is in the tail (it would cancel) or
    when ``tail[g] + 1`` exceeds half the order of ``g`` (a shorter power of ``g`` or of
    its inverse exists); among the allowed moves one is drawn uniformly (any move when
    none is allowed). :func:`random_walks` passes the inverse generators: they commute,
    cancel and have orders as the generators do.
    """
    perms = np.ascontiguousarray(perms, dtype=np.int64)
    k = len(perms)
    commute = commuting_generators(perms)
    half = np.array([element_order(p) for p in perms], dtype=np.float64) / 2.0
    has_inv = np.flatnonzero(np.asarray(inv) >= 0)
    inv_of = np.asarray(inv)[has_inv]
    out = np.empty(((length + 1) * count, len(start)), dtype=np.int64)
    out[:count] = start
    tail = np.zeros((count, k), dtype=np.int32)
    rows = np.arange(count)
    for t in range(1, length + 1):
        forbidden = tail + 1 > half
        forbidden[:, has_inv] |= tail[:, inv_of] > 0
        r = rng.random((count, k))
        r[forbidden] -= 2.0  # a uniform allowed move; a uniform move when none is allowed
        g = r.argmax(axis=1)
        tail *= commute[g]
        tail[rows, g] += 1
        out[t * count : (t + 1) * count] = out[(t - 1) * count : t * count][rows[:, None], perms[g]]
    return out


def _walk(
    start: np.ndarray, perms: np.ndarray, count: int, length: int, rng: np.random.Generator, nbt: bool
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` walks of ``length`` moves by ``perms``: states (step-major) and moves."""
    n = len(start)
    k = len(perms)
    out = np.empty(((length + 1) * count, n), dtype=np.int64)
    moves = np.empty((length, count), dtype=np.int64)
    out[:count] = start
    rows = np.arange(count)[:, None]
    for t in range(1, length + 1):
        cur = out[(t - 1) * count : t * count]
        dst = out[t * count : (t + 1) * count]
        if nbt:
            prev = out[(t - 2) * count : (t - 1) * count] if t >= 2 else cur
            K.nbt_step(cur, prev, perms, rng.random(count), dst, moves[t - 1])
        else:
            g = rng.integers(k, size=count)
            dst[:] = cur[rows, perms[g]]
            moves[t - 1] = g
    return out, moves


def _bfs_unique(
    graph: CayleyGraph, start: np.ndarray, perms: np.ndarray, count: int, length: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    n = graph.degree
    bits, words = packing(graph.symbols, n)
    layer = _be.encode(start.reshape(1, -1), bits, words)
    seen = _be.key_set(words)
    seen.add_new(layer)
    parts, steps = [layer], [0]
    for t in range(1, length + 1):
        new = seen.add_new(_be.expand(layer, perms, bits)).reshape(-1, words)
        if not len(new):
            break
        if len(new) > count:
            new = new[np.sort(rng.choice(len(new), size=count, replace=False))]
        parts.append(new)
        steps.append(t)
        layer = np.ascontiguousarray(new)
    keys = np.concatenate(parts)
    return np.asarray(_be.decode(keys, n, bits)), np.repeat(np.array(steps, dtype=np.int64), [len(p) for p in parts])


def scramble(
    graph: CayleyGraph,
    length: int,
    *,
    seed: SeedLike = None,
    start: Optional[StateLike] = None,
    non_backtracking: bool = True,
) -> Path:
    """A random walk of ``length`` moves by the generators from ``start`` (default
    ``graph.start``), returned as the path it took; ``path.target`` is the scrambled state.

    Parameters
    ----------
    graph : CayleyGraph
    length : int
        Number of moves.
    seed : int, numpy Generator or None
    start : optional
        The state to scramble; default ``graph.start``.
    non_backtracking : bool
        Never step straight back or stay in place (when avoidable).

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> p = scramble(CayleyGraph.from_spec("S_5", "lrx"), 6, seed=1)
    >>> p.length, p.is_valid(), sorted(p.target.tolist())
    (6, True, [0, 1, 2, 3, 4])
    """
    check_positive("length", length, allow_zero=True, allow_none=False)
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    src = graph.start.copy() if start is None else as_state(graph, start, "start")
    states, moves = _walk(src, np.ascontiguousarray(graph.generators.perms), 1, length, rng, non_backtracking)
    return finish(graph, src, states[-1], moves[:, 0].tolist(), "scramble", False, t0, length + 1)
