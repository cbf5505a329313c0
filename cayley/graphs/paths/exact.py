"""Exact path finding: breadth-first search and bidirectional (meet-in-the-middle) search.

Both keep every layer of packed states, so that a path is walked back layer by layer:
the predecessor of ``x`` in layer ``d - 1`` is one of ``x`` acted on by the inverse
generators, found by a scan of that layer. No per-state parent pointers are stored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ...backends.packing import packing
from ...errors import NoPathError
from ...groups.perm import inverse
from ..graph import CayleyGraph
from .common import Path, StateLike, check_positive, endpoints, finish
from .common import cpu_backend as _be, kernels as K

__all__ = ["shortest_path", "meet_in_the_middle", "Side"]

# neighbour rows generated per kernel call: bounds the temporary buffer
_BATCH_NEIGHBOURS = 1 << 22


class Side:
    """One BFS: its layers of packed states and the visited set that dedups them.

    ``perms`` expand the search; ``back`` (their inverses, in the same order) walk a
    state back one layer. An undirected graph needs only the last two layers in its
    visited set (neighbours of layer d lie in layers d - 1, d, d + 1); a directed one
    keeps them all.

    >>> from cayley.backends import cpu
    >>> swaps = np.array([[1, 0, 2], [0, 2, 1]])  # S_3 by adjacent transpositions
    >>> side = Side(cpu.encode(np.arange(3).reshape(1, -1), 2, 1), swaps, swaps, 2, 3, True)
    >>> [len(side.expand()) for _ in range(4)]
    [2, 2, 1, 0]
    """

    def __init__(self, start_row: np.ndarray, perms: np.ndarray, back: np.ndarray, bits: int, n: int, window: bool):
        self.perms = np.ascontiguousarray(perms, dtype=np.int64)
        self.back = np.ascontiguousarray(back, dtype=np.int64)
        self.bits, self.n, self.window = bits, n, window
        self.words = start_row.shape[1]
        self.layers = [start_row]
        self.visited = _be.key_set(self.words)
        self.visited.add_new(start_row)
        self.total = 1
        self._index = None

    @property
    def depth(self) -> int:
        return len(self.layers) - 1

    @property
    def frontier(self) -> np.ndarray:
        return self.layers[-1]

    def frontier_index(self) -> np.ndarray:
        """Hash index of the frontier's rows (built once per layer, for meeting checks)."""
        if self._index is None:
            self._index = K.build_index(self.layers[-1])
        return np.asarray(self._index)

    def expand(self) -> np.ndarray:
        """Add and return the next layer (empty when the search is exhausted)."""
        cur = self.layers[-1]
        batch = max(1, _BATCH_NEIGHBOURS // len(self.perms))
        parts = []
        for lo in range(0, len(cur), batch):
            new = self.visited.add_new(_be.expand(cur[lo : lo + batch], self.perms, self.bits))
            if len(new):
                parts.append(new.reshape(-1, self.words))
        if not parts:
            nxt = np.zeros((0, self.words), np.uint64)
        else:
            nxt = np.ascontiguousarray(np.concatenate(parts) if len(parts) > 1 else parts[0])
        if self.window and len(nxt):
            self.visited = _be.key_set(self.words, capacity=2 * (len(cur) + len(nxt)))
            self.visited.add_new(cur)
            self.visited.add_new(nxt)
        self.layers.append(nxt)
        self.total += len(nxt)
        self._index = None
        return nxt

    def walk_back(self, row: np.ndarray, depth: int) -> list[int]:
        """Generator indices of the steps from ``row`` (in layer ``depth``) back to layer 0,
        in the order they are found: ``back[g]`` takes the state one layer down."""
        x = _be.decode(row.reshape(1, -1), self.n, self.bits)[0]
        moves = []
        for d in range(depth - 1, -1, -1):
            cands = x[self.back]  # (k, n): x acted on by each inverse
            idx = K.find_rows(self.layers[d], _be.encode(cands, self.bits, self.words))
            hits = np.flatnonzero(idx >= 0)
            if not len(hits):  # cannot happen: x was generated from layer d
                raise RuntimeError(f"internal error: no predecessor of {x.tolist()} in layer {d}")
            g = int(hits[0])
            moves.append(g)
            x = cands[g]
        return moves


@dataclass(frozen=True, eq=False)
class _Ends:
    """An exact search's ends, checked and resolved (``src``, ``tgt``), their packing,
    the search's clock and the ends as the caller wrote them (replayed on the result)."""

    graph: CayleyGraph
    src: np.ndarray
    tgt: np.ndarray
    bits: int
    words: int
    t0: float
    written: tuple[Any, Any]

    @classmethod
    def of(
        cls, graph: CayleyGraph, state: StateLike, target: Optional[StateLike], max_depth: Optional[int],
        max_states: Optional[int],
    ) -> "_Ends":
        check_positive("max_depth", max_depth, allow_zero=True)
        check_positive("max_states", max_states)
        t0 = time.perf_counter()
        src, tgt = endpoints(graph, state, target)
        bits, words = packing(graph.symbols, graph.degree)
        return cls(graph, src, tgt, bits, words, t0, (state, target))

    def row(self, state: np.ndarray) -> np.ndarray:
        """``state`` packed as a ``(1, words)`` row."""
        return np.asarray(_be.encode(state.reshape(1, -1), self.bits, self.words))

    def limit(self, depth: int, max_depth: Optional[int], max_states: Optional[int], states: int) -> None:
        """Raise :class:`NoPathError` when the next layer would pass a limit: no path is
        shorter than ``depth + 1``, and the search would reach ``states`` states."""
        if max_depth is not None and depth >= max_depth:
            raise NoPathError(
                f"no path of length <= {max_depth} from {self.src.tolist()} (max_depth)", lower_bound=depth + 1
            )
        if max_states is not None and states > max_states:
            raise NoPathError(
                f"no path of length <= {depth} found within {max_states:,} states (max_states)", lower_bound=depth + 1
            )

    def unreachable(self) -> NoPathError:
        return NoPathError(
            f"the target {self.tgt.tolist()} is not reachable from {self.src.tolist()} in {self.graph.name}",
            unreachable=True,
        )

    def path(self, moves: list[int], method: str, explored: int) -> Path:
        """The (shortest) path of ``moves`` from ``src`` to ``tgt``, checked."""
        return finish(self.graph, self.src, self.tgt, moves, method, True, self.t0, explored, written=self.written)

def shortest_path(
    graph: CayleyGraph,
    state: StateLike,
    *,
    target: Optional[StateLike] = None,
    max_depth: Optional[int] = None,
    max_states: Optional[int] = None,
) -> Path:
    """A shortest path from ``state`` to ``target``, by breadth-first search from ``state``.

    Parameters
    ----------
    graph : CayleyGraph
        The graph; its start state is the default target.
    state : str, sequence of int or ndarray
        Where the path starts: a rearrangement of the symbols of ``graph.start``.
    target : same, optional
        Where the path ends; default ``graph.start`` (the identity of a Cayley graph).
    max_depth : int, optional
        Give up beyond paths of this length.
    max_states : int, optional
        Give up when the next layer could take the search past this many states (a layer
        has at most ``k`` times the states of the one before).

    Returns
    -------
    Path
        With ``method="bfs"`` and ``optimal=True``.

    Raises
    ------
    NoPathError
        When a limit stops the search (``lower_bound`` says how long a path must be), or
        the search exhausts the states reachable from ``state`` (``unreachable``).

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> g = CayleyGraph.from_spec("S_5", "lrx")
    >>> p = shortest_path(g, [1, 0, 4, 3, 2])   # the longest element of LRX on S_5
    >>> p.length, p.optimal, ".".join(p.names)
    (10, True, 'X.R.X.L.X.L.L.X.L.L')
    """
    ends = _Ends.of(graph, state, target, max_depth, max_states)
    src, tgt = ends.src, ends.tgt
    if np.array_equal(src, tgt):
        return ends.path([], "bfs", 1)
    perms = graph.generators.perms
    side = Side(ends.row(src), perms, inverse(perms), ends.bits, graph.degree, graph.undirected)
    tkey = ends.row(tgt)
    while True:
        ends.limit(side.depth, max_depth, max_states, side.total + len(perms) * len(side.frontier))
        nxt = side.expand()
        if not len(nxt):
            raise ends.unreachable()
        hit = K.find_rows(nxt, tkey)[0]
        if hit >= 0:
            return ends.path(side.walk_back(nxt[hit], side.depth)[::-1], "bfs", side.total)


def meet_in_the_middle(
    graph: CayleyGraph,
    state: StateLike,
    *,
    target: Optional[StateLike] = None,
    max_depth: Optional[int] = None,
    max_states: Optional[int] = None,
) -> Path:
    """A shortest path from ``state`` to ``target`` by bidirectional breadth-first search.

    One search grows from ``state`` by the generators, the other from ``target`` by their
    inverses (so directed graphs work too); each step grows the side with the smaller
    frontier by one layer and checks the new layer against the other side's frontier.
    The first meeting gives a shortest path: when no meeting was found with depths
    ``a`` and ``b`` the distance exceeds ``a + b``, so a new layer at depth ``a + 1`` can
    only meet the other frontier, at total length ``a + 1 + b``. Each side holds about the
    ball of half the distance, so distances about twice what one BFS holds are solved.

    Parameters
    ----------
    graph, state, target, max_depth
        As for :func:`shortest_path`.
    max_states : int, optional
        Give up when the next layer could take both sides together past this many states.

    Returns
    -------
    Path
        With ``method="mitm"`` and ``optimal=True``.

    Raises
    ------
    NoPathError
        As :func:`shortest_path` does; ``unreachable`` when one side exhausts its states
        without meeting the other.

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> g = CayleyGraph.from_spec("S_8", "lx")      # directed: L and X, no inverse of L
    >>> p = meet_in_the_middle(g, [7, 6, 5, 4, 3, 2, 1, 0])
    >>> p.length, p.optimal, p.is_valid()
    (32, True, True)
    """
    ends = _Ends.of(graph, state, target, max_depth, max_states)
    src, tgt = ends.src, ends.tgt
    if np.array_equal(src, tgt):
        return ends.path([], "mitm", 2)
    perms = graph.generators.perms
    inv = inverse(perms)
    n, window = graph.degree, graph.undirected
    fwd = Side(ends.row(src), perms, inv, ends.bits, n, window)
    bwd = Side(ends.row(tgt), inv, perms, ends.bits, n, window)
    while True:
        grow, other = (fwd, bwd) if len(fwd.frontier) <= len(bwd.frontier) else (bwd, fwd)
        ends.limit(fwd.depth + bwd.depth, max_depth, max_states, fwd.total + bwd.total + len(perms) * len(grow.frontier))
        nxt = grow.expand()
        if not len(nxt):
            raise ends.unreachable()
        meet = np.flatnonzero(K.lookup(other.frontier_index(), other.frontier, nxt) >= 0)
        if len(meet):
            row = nxt[meet[0]]
            head = fwd.walk_back(row, fwd.depth)[::-1]  # source -> meeting state
            tail = bwd.walk_back(row, bwd.depth)  # meeting state -> target
            return ends.path(head + tail, "mitm", fwd.total + bwd.total)
