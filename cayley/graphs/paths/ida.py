"""IDA*: iterative deepening A*, exact with an admissible heuristic and little memory.

Each iteration is a depth-first search that drops every node whose ``f = g + h`` (moves
so far plus the heuristic) exceeds a bound; the first bound is ``h(state)``, the next is
the smallest ``f`` dropped. With an admissible heuristic (one that never overestimates
the distance) the first path found is a shortest one: every bound is at most the
distance, and a path found within a bound is no longer than it.

The depth-first search runs on batches: it pops up to ``batch`` nodes from the top of a
stack of arrays, expands them by every generator at once, scores all children with one
heuristic call and pushes the survivors. No Python object is made per node; memory is
about ``bound * batch * k`` states. A move that undoes the previous one is skipped.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any, Optional

import numpy as np

from ...errors import NoPathError
from ...groups.perm import inverse
from ..graph import CayleyGraph
from .common import Path, Scorer, StateLike, check_positive, endpoints, finish, resolve_heuristic

__all__ = ["ida_star", "is_admissible"]

log = logging.getLogger(__name__)


class _HammingBound:
    """Positions that differ from the target, divided by the most positions one generator
    moves, rounded up: a lower bound on the distance in any Cayley or Schreier graph."""

    admissible = True

    def __init__(self, graph: CayleyGraph, target: np.ndarray):
        self.target = np.asarray(target, dtype=np.int64)
        moved = np.count_nonzero(graph.generators.perms != np.arange(graph.degree), axis=1)
        self.per_move = max(1, int(moved.max()) if len(moved) else 1)

    def __call__(self, states: np.ndarray) -> np.ndarray:
        return np.asarray(np.ceil(np.count_nonzero(states != self.target, axis=1) / self.per_move))

    def __repr__(self) -> str:
        return f"HammingBound(per_move={self.per_move})"


def _default(graph: CayleyGraph, tgt: np.ndarray) -> Any:
    """Breakpoints for pancake and reversals (admissible there), else the Hamming bound."""
    from ..heuristics import Breakpoints, default_heuristic

    h = default_heuristic(graph, tgt)
    return h if isinstance(h, Breakpoints) else _HammingBound(graph, tgt)


def is_admissible(heuristic: Any, graph: CayleyGraph, target: Optional[StateLike] = None) -> bool:
    """Whether cayley knows ``heuristic`` never overestimates the distance to ``target``
    (default ``graph.start``) in ``graph``.

    True for a :class:`~cayley.graphs.heuristics.PatternDatabase` built on the same
    generators and target, for breakpoints on pancake graphs (``kind="pancake"``) and on
    prefix or substring reversal graphs (``kind="reversals"``), for a
    :class:`~cayley.graphs.heuristics.MaxOf` of admissible heuristics, and for any object
    with an attribute ``admissible = True`` (the caller's promise). False otherwise,
    e.g. for Hamming distance (one move can change many positions) and trained models.

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> from cayley.graphs.heuristics import Breakpoints, Hamming, PatternDatabase
    >>> g = CayleyGraph.from_spec("S_6", "pancake")
    >>> is_admissible(Breakpoints(range(6)), g), is_admissible(Hamming(range(6)), g)
    (True, False)
    >>> is_admissible(PatternDatabase.build(g, classes=[0, 1, 2, 2, 2, 2]), g)
    True
    """
    from ..heuristics import Breakpoints, MaxOf, PatternDatabase

    tgt = graph.start if target is None else np.asarray(target)
    declared = getattr(heuristic, "admissible", None)
    if isinstance(declared, bool) and not isinstance(heuristic, (PatternDatabase, MaxOf)):
        return declared
    if isinstance(heuristic, MaxOf):
        return all(is_admissible(h, graph, tgt) for h in heuristic.heuristics)
    ht = getattr(heuristic, "target", None)
    if ht is not None and not np.array_equal(np.asarray(ht), tgt):
        return False
    if isinstance(heuristic, PatternDatabase):
        return heuristic.graph.generators.perms.shape == graph.generators.perms.shape and bool(
            np.array_equal(heuristic.graph.generators.perms, graph.generators.perms)
        )
    if isinstance(heuristic, Breakpoints):
        fam = graph.generators.family
        return (heuristic.kind, fam) in {("pancake", "pancake"), ("reversals", "pancake"), ("reversals", "full_reversals")}
    return False


def ida_star(
    graph: CayleyGraph,
    state: StateLike,
    heuristic: Optional[Scorer] = None,
    *,
    target: Optional[StateLike] = None,
    max_nodes: int = 20_000_000,
    batch: Optional[int] = None,
) -> Path:
    """A path from ``state`` to ``target`` by IDA*, shortest when ``heuristic`` is admissible.

    Parameters
    ----------
    graph : CayleyGraph
    state : str, sequence of int or ndarray
        Where the path starts.
    heuristic : callable, optional
        Scores a batch of states ``(m, n)`` with ``(m,)`` numbers (rounded up to integers,
        which keeps an admissible heuristic admissible since distances are integers;
        ``inf`` prunes). Admissible ones make the path optimal: a
        :class:`~cayley.graphs.heuristics.PatternDatabase` of the graph or of a
        projection of it, breakpoints on pancake and reversal graphs, a ``MaxOf`` of
        these (see :func:`is_admissible`). Default: breakpoints for pancake and reversals,
        else the number of positions that differ from the target divided by the most
        positions a generator moves (admissible, weak).
    target : same as state, optional
        Where the path ends; default ``graph.start``.
    max_nodes : int
        Give up after generating this many nodes, over all iterations.
    batch : int, optional
        Nodes expanded per heuristic call; default ``4095 // k`` for ``k`` generators
        (at least 64), so that the children of one batch are scored in one small call.

    Returns
    -------
    Path
        With ``method="ida"``; ``optimal`` is True when the heuristic is admissible.

    Raises
    ------
    NoPathError
        When ``max_nodes`` runs out (``lower_bound``: the current bound, a proven lower
        bound on the distance with an admissible heuristic), or when every branch is
        pruned by an infinite score (``unreachable`` with an admissible heuristic).

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> from cayley.graphs.heuristics import Breakpoints
    >>> g = CayleyGraph.from_spec("S_12", "pancake")
    >>> p = ida_star(g, [3, 7, 1, 11, 0, 5, 2, 8, 10, 6, 4, 9], Breakpoints(range(12)))
    >>> p.length, p.optimal, p.method
    (12, True, 'ida')
    """
    check_positive("max_nodes", max_nodes, allow_none=False)
    check_positive("batch", batch)
    t0 = time.perf_counter()
    src, tgt = endpoints(graph, state, target)
    heuristic = resolve_heuristic(heuristic, tgt, lambda: _default(graph, tgt))
    admissible = is_admissible(heuristic, graph, tgt)
    if np.array_equal(src, tgt):
        return finish(graph, src, tgt, [], "ida", True, t0, 1, written=(state, target))

    perms = graph.generators.perms
    k, n = perms.shape
    undo = _undo_moves(perms)
    if batch is None:  # measured: about 4k children per call beats bigger batches
        batch = max(64, 4095 // k)
    dtype = np.uint8 if max(int(src.max()), int(tgt.max())) < 256 else np.int32
    tgt_c = tgt.astype(dtype)

    def score(states: np.ndarray) -> np.ndarray:
        h = np.asarray(heuristic(states), dtype=np.float64).reshape(-1)
        return np.ceil(h - 1e-9)

    bound = float(score(src.reshape(1, -1).astype(dtype))[0])
    generated = 1
    while True:
        if not math.isfinite(bound):
            raise NoPathError(
                f"the target {tgt.tolist()} is not reachable from {src.tolist()} (every branch scores infinity)",
                unreachable=admissible,
            )
        bnd = int(bound)
        log.debug("ida* bound %d, %d nodes so far", bnd, generated)
        word, nxt, generated = _iteration(
            src.astype(dtype).reshape(1, -1), tgt_c, perms, undo, batch, bnd, score, generated, max_nodes, admissible
        )
        if word is not None:
            return finish(graph, src, tgt, word, "ida", admissible, t0, generated, written=(state, target))
        bound = nxt


def _undo_moves(perms: np.ndarray) -> np.ndarray:
    """The move that undoes each generator (-1 when it has no inverse among them).

    >>> _undo_moves(np.array([[1, 2, 0], [2, 0, 1], [1, 0, 2]])).tolist()
    [1, 0, 2]
    """
    inv = inverse(perms)
    undo = np.full(len(perms), -1, dtype=np.int64)
    for g in range(len(perms)):
        hit = np.flatnonzero(np.all(perms == inv[g], axis=1))
        if len(hit):
            undo[g] = hit[0]
    return undo


def _iteration(
    root: np.ndarray,
    tgt_c: np.ndarray,
    perms: np.ndarray,
    undo: np.ndarray,
    batch: int,
    bnd: int,
    score: Scorer,
    generated: int,
    max_nodes: int,
    admissible: bool,
) -> tuple[Optional[list[int]], float, int]:
    """One IDA* iteration: depth-first, in batches, from ``root`` under the bound ``bnd``.
    Returns ``(moves to the target or None, the next bound, nodes generated so far)``."""
    k, n = perms.shape
    nxt = math.inf
    # stack of (depth, states (m, n), moves (m, depth)); the root has depth 0
    stack = [(0, root, np.zeros((1, 0), dtype=np.int16))]
    while stack:
        d, states, moves = stack[-1]
        if len(states) > batch:  # take the top `batch` rows, leave the rest
            stack[-1] = (d, states[:-batch], moves[:-batch])
            states, moves = states[-batch:], moves[-batch:]
        else:
            stack.pop()
        m = len(states)
        kids = states[:, perms].reshape(m * k, n)
        kid_moves = np.tile(np.arange(k, dtype=np.int16), m)
        parent = np.repeat(np.arange(m), k)
        if d > 0:  # never undo the last move
            keep = kid_moves != undo[moves[parent, -1]]
            kids, kid_moves, parent = kids[keep], kid_moves[keep], parent[keep]
        generated += len(kids)
        done = np.flatnonzero(np.all(kids == tgt_c, axis=1))
        if len(done):
            i = done[0]
            word = moves[parent[i]].tolist() + [int(kid_moves[i])]
            return word, nxt, generated
        if generated > max_nodes:
            raise NoPathError(
                f"IDA* generated {generated:,} nodes (max_nodes={max_nodes:,}) without reaching the target; "
                f"{'the distance is at least ' + str(bnd) if admissible else 'bound ' + str(bnd)}",
                lower_bound=bnd if admissible else None,
            )
        f = (d + 1) + score(kids)
        ok = f <= bnd
        over = f[~ok]
        if len(over):
            nxt = min(nxt, float(over.min()))
        if d + 1 >= bnd:  # children at the bound that are not the target: their children exceed it
            if ok.any():
                nxt = min(nxt, bnd + 1.0)
            continue
        if ok.any():
            sel = np.flatnonzero(ok)
            new_moves = np.concatenate([moves[parent[sel]], kid_moves[sel, None]], axis=1)
            stack.append((d + 1, kids[sel], new_moves))
    return None, nxt, generated
