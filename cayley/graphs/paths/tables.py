"""Dense distance tables indexed by a perfect ranking (numba).

``table[rank(s)]`` is the distance of ``s`` from the root of a breadth-first search, one
byte per state (``UNSEEN`` until reached). A layer is a pass over the whole table, either
top-down (every entry equal to ``d`` is unranked, acted on by each generator, and its
unseen neighbours are set to ``d + 1``) or, once the frontier outgrows the unseen part,
bottom-up (every unseen entry looks for a predecessor in layer ``d``). Passes need no
frontier list, so the only memory is the table itself (S_12: 479 MB).

The rankings come from :mod:`cayley.backends.ranking` (lexicographic ranks of
permutations and of multiset permutations).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, Callable, Optional

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
from numba import njit, prange  # noqa: E402

from ...backends.ranking import (  # noqa: E402
    MultisetRanking,
    PermutationRanking,
    factorials,
    multiset_rank_one,
    multiset_unrank_one,
    perm_rank_one,
    perm_unrank_one,
    ranking_for,
)
from ..layers import run_layers  # noqa: E402

__all__ = [
    "UNSEEN",
    "MAX_DISTANCE",
    "ranking_for",
    "bfs_table",
    "TableStep",
    "rank_serial",
    "PermutationRanking",
    "MultisetRanking",
]

UNSEEN = np.uint8(255)
MAX_DISTANCE = 254
_BLOCK = 1 << 14


@njit(cache=True, parallel=True)
def _count(table: np.ndarray, d: int) -> Any:
    """Number of entries equal to ``d``."""
    N = table.shape[0]
    nblocks = (N + _BLOCK - 1) // _BLOCK
    counts = np.zeros(nblocks, np.int64)
    dd = np.uint8(d)
    for b in prange(nblocks):
        c = 0
        for r in range(b * _BLOCK, min(N, (b + 1) * _BLOCK)):
            if table[r] == dd:
                c += 1
        counts[b] = c
    return counts.sum()


@njit(cache=True, inline="always")
def _unrank_into(r: int, fact: np.ndarray, cum: np.ndarray, unit: np.ndarray, full: int, out: np.ndarray,
                 multiset: bool) -> None:
    """Unrank ``r`` into ``out``: by the multiset ranks of ``cum, unit, full``, or by
    permutation ranks (``fact``)."""
    if multiset:
        multiset_unrank_one(r, cum, unit, full, out)
    else:
        perm_unrank_one(r, fact, out)


@njit(cache=True, inline="always")
def _rank_of(s: np.ndarray, fact: np.ndarray, cum: np.ndarray, unit: np.ndarray, full: int, multiset: bool) -> Any:
    """The rank of ``s`` in the ranking :func:`_unrank_into` inverts."""
    if multiset:
        return multiset_rank_one(s, cum, unit, full)
    return perm_rank_one(s, fact)


# Two ways to find layer d + 1 (direction-optimising BFS, after Beamer et al.):
# top-down unranks every state of layer d and marks its unseen neighbours; bottom-up
# unranks every unseen state and looks for one predecessor in layer d (by the inverse
# generators), stopping at the first. Bottom-up wins once the frontier outgrows what is
# left unseen. Races are benign: top-down threads write the same value to an entry, and
# a bottom-up thread writes only its own entries while others read only layer-d entries.
@njit(cache=True, inline="always")
def _layer(
    table: np.ndarray, d: int, perms: np.ndarray, fact: np.ndarray, cum: np.ndarray, unit: np.ndarray, full: int,
    bottom_up: bool, multiset: bool,
) -> None:
    """One layer over the table, for either ranking. Inlined into each kernel below with
    ``multiset`` a constant, so the ranking's branch folds away (a run-time branch cost
    3-5% on S_10)."""
    N = table.shape[0]
    k, n = perms.shape
    nblocks = (N + _BLOCK - 1) // _BLOCK
    dd = np.uint8(d)
    d1 = np.uint8(d + 1)
    look = np.uint8(255) if bottom_up else dd
    for b in prange(nblocks):
        s = np.empty(n, np.int64)
        t = np.empty(n, np.int64)
        for r in range(b * _BLOCK, min(N, (b + 1) * _BLOCK)):
            if table[r] != look:
                continue
            _unrank_into(r, fact, cum, unit, full, s, multiset)
            for g in range(k):
                for j in range(n):
                    t[j] = s[perms[g, j]]
                rr = _rank_of(t, fact, cum, unit, full, multiset)
                if bottom_up:
                    if table[rr] == dd:
                        table[r] = d1
                        break
                elif table[rr] == 255:
                    table[rr] = d1


_NO_FACT = np.zeros(0, np.int64)
_NO_CUM = np.zeros((1, 1), np.int64)
_NO_UNIT = np.zeros(1, np.int64)


@njit(cache=True, parallel=True)
def _perm_layer(table: np.ndarray, d: int, perms: np.ndarray, fact: np.ndarray, bottom_up: bool) -> None:
    _layer(table, d, perms, fact, _NO_CUM, _NO_UNIT, 0, bottom_up, False)


@njit(cache=True, parallel=True)
def _multiset_layer(
    table: np.ndarray, d: int, perms: np.ndarray, cum: np.ndarray, unit: np.ndarray, full: int, bottom_up: bool
) -> None:
    _layer(table, d, perms, _NO_FACT, cum, unit, full, bottom_up, True)


class TableStep:
    """A distance table as a :class:`~cayley.graphs.layers.LayerStep`: each layer is one
    pass over the table (top-down, or bottom-up once the frontier outgrows the unseen
    part), then a count of the new entries. ``closed`` is not probed (a table built to
    a depth limit is used as far as it goes): it answers False.
    """

    def __init__(self, ranking: Any, table: np.ndarray, perms: np.ndarray, back: np.ndarray) -> None:
        self.ranking, self.table, self.perms, self.back = ranking, table, perms, back
        self.fact = factorials(ranking.n) if isinstance(ranking, PermutationRanking) else None

    def _layer(self, d: int, bottom_up: bool) -> None:
        perms = self.back if bottom_up else self.perms
        if self.fact is not None:
            _perm_layer(self.table, d, perms, self.fact, bottom_up)
        else:
            r = self.ranking
            _multiset_layer(self.table, d, perms, r.cum, r.unit, r.full, bottom_up)

    def expand(self, growth: list[int], total: int) -> int:
        d = len(growth) - 1
        if d >= MAX_DISTANCE:
            raise OverflowError(f"distance table deeper than {MAX_DISTANCE}: one byte per state is not enough")
        unseen = self.ranking.size - total  # an upper bound: unreachable states stay unseen
        if unseen == 0:
            return 0
        self._layer(d, 2 * growth[d] > unseen)
        return int(_count(self.table, d + 1))

    def closed(self) -> bool:
        return False


def bfs_table(
    ranking: Any,
    root: np.ndarray,
    perms: np.ndarray,
    max_depth: Optional[int] = None,
    progress: Optional[Callable[[int, int], None]] = None,
) -> tuple[np.ndarray, tuple[int, ...]]:
    """Breadth-first search from ``root`` over the space ``ranking`` ranks, by ``perms``,
    with the layer loop of :func:`cayley.graphs.layers.run_layers`.

    Returns ``(table, growth)``: a uint8 array of ``ranking.size`` distances (``UNSEEN``
    where not reached) and the layer sizes. ``max_depth`` stops after that layer;
    ``progress(d, size)`` is called for the root and after each layer.

    >>> from cayley.backends.ranking import PermutationRanking
    >>> table, growth = bfs_table(PermutationRanking(4), np.arange(4), np.array([[1, 0, 2, 3], [0, 2, 1, 3], [0, 1, 3, 2]]))
    >>> growth, int(table.max())
    ((1, 3, 5, 6, 5, 3, 1), 6)
    """
    from ...groups.perm import inverse

    perms = np.ascontiguousarray(perms, dtype=np.int64)
    back = np.ascontiguousarray(inverse(perms), dtype=np.int64)
    table = np.full(ranking.size, UNSEEN, dtype=np.uint8)
    table[int(ranking.rank(root.reshape(1, -1))[0])] = 0
    growth = [1]
    if progress is not None:
        progress(0, 1)
    after = None if progress is None else (lambda g, total: progress(len(g) - 1, g[-1]))
    run_layers(TableStep(ranking, table, perms, back), growth, max_depth=max_depth, after_layer=after)
    return table, tuple(growth)


# Serial ranks for small batches (a search's per-node look-ups): a parallel launch costs
# more than it saves there, and on busy cores it waits for a descheduled thread.
@njit(cache=True)
def _perm_rank_serial(states: np.ndarray, fact: np.ndarray) -> np.ndarray:
    out = np.empty(states.shape[0], np.int64)
    for i in range(states.shape[0]):
        out[i] = perm_rank_one(states[i], fact)
    return out


@njit(cache=True)
def _multiset_rank_serial(states: np.ndarray, cum: np.ndarray, unit: np.ndarray, full: int) -> np.ndarray:
    out = np.empty(states.shape[0], np.int64)
    for i in range(states.shape[0]):
        out[i] = multiset_rank_one(states[i], cum, unit, full)
    return out


def rank_serial(ranking: Any, states: np.ndarray) -> np.ndarray:
    """``ranking.rank(states)`` in one thread, for ``(m, n)`` int64 states."""
    s = np.ascontiguousarray(states, dtype=np.int64)
    if isinstance(ranking, PermutationRanking):
        return np.asarray(_perm_rank_serial(s, _factorials(ranking.n)))
    if isinstance(ranking, MultisetRanking):
        return np.asarray(_multiset_rank_serial(s, ranking.cum, ranking.unit, ranking.full))
    return np.asarray(ranking.rank(s))


@lru_cache(maxsize=64)
def _factorials(n: int) -> np.ndarray:
    """``factorials(n)``, made once per ``n`` (a search ranks a few states per node)."""
    return np.asarray(factorials(n))
