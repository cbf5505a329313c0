"""Dense distance tables indexed by a perfect ranking (numba).

``table[rank(s)]`` is the distance of ``s`` from the root of a breadth-first search, one
byte per state (``UNSEEN`` until reached). A layer is a pass over the whole table: every
entry equal to ``d`` is unranked, acted on by each generator, and its unseen neighbours
are set to ``d + 1``. Passes need no frontier list, so the only memory is the table
itself (S_12: 479 MB). Threads racing to set the same entry write the same value.

The rankings come from :mod:`cayley.backends.ranking` (lexicographic ranks of
permutations and of multiset permutations).
"""

from __future__ import annotations

import os

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

__all__ = ["UNSEEN", "MAX_DISTANCE", "ranking_for", "bfs_table", "PermutationRanking", "MultisetRanking"]

UNSEEN = np.uint8(255)
MAX_DISTANCE = 254
_BLOCK = 1 << 14


@njit(cache=True, parallel=True)
def _perm_layer(table, d, perms, fact, expand):
    """Count the entries equal to ``d``; with ``expand``, set their unseen neighbours to d+1."""
    N = table.shape[0]
    k, n = perms.shape
    nblocks = (N + _BLOCK - 1) // _BLOCK
    counts = np.zeros(nblocks, np.int64)
    dd = np.uint8(d)
    d1 = np.uint8(d + 1)
    for b in prange(nblocks):
        s = np.empty(n, np.int64)
        t = np.empty(n, np.int64)
        c = 0
        for r in range(b * _BLOCK, min(N, (b + 1) * _BLOCK)):
            if table[r] != dd:
                continue
            c += 1
            if not expand:
                continue
            perm_unrank_one(r, fact, s)
            for g in range(k):
                for j in range(n):
                    t[j] = s[perms[g, j]]
                rr = perm_rank_one(t, fact)
                if table[rr] == 255:
                    table[rr] = d1
        counts[b] = c
    return counts.sum()


@njit(cache=True, parallel=True)
def _multiset_layer(table, d, perms, cum, unit, full, expand):
    N = table.shape[0]
    k, n = perms.shape
    nblocks = (N + _BLOCK - 1) // _BLOCK
    counts = np.zeros(nblocks, np.int64)
    dd = np.uint8(d)
    d1 = np.uint8(d + 1)
    for b in prange(nblocks):
        s = np.empty(n, np.int64)
        t = np.empty(n, np.int64)
        c = 0
        for r in range(b * _BLOCK, min(N, (b + 1) * _BLOCK)):
            if table[r] != dd:
                continue
            c += 1
            if not expand:
                continue
            multiset_unrank_one(r, cum, unit, full, s)
            for g in range(k):
                for j in range(n):
                    t[j] = s[perms[g, j]]
                rr = multiset_rank_one(t, cum, unit, full)
                if table[rr] == 255:
                    table[rr] = d1
        counts[b] = c
    return counts.sum()


def bfs_table(ranking, root: np.ndarray, perms: np.ndarray, max_depth=None, progress=None):
    """Breadth-first search from ``root`` over the space ``ranking`` ranks, by ``perms``.

    Returns ``(table, growth)``: a uint8 array of ``ranking.size`` distances (``UNSEEN``
    where not reached) and the layer sizes. ``max_depth`` stops after that layer.
    """
    perms = np.ascontiguousarray(perms, dtype=np.int64)
    table = np.full(ranking.size, UNSEEN, dtype=np.uint8)
    table[int(ranking.rank(root.reshape(1, -1))[0])] = 0
    if isinstance(ranking, PermutationRanking):
        fact = factorials(ranking.n)

        def layer(d, expand):
            return _perm_layer(table, d, perms, fact, expand)

    else:

        def layer(d, expand):
            return _multiset_layer(table, d, perms, ranking.cum, ranking.unit, ranking.full, expand)

    growth = []
    d = 0
    while True:
        expand = max_depth is None or d < max_depth
        if expand and d >= MAX_DISTANCE:
            raise OverflowError(f"distance table deeper than {MAX_DISTANCE}: one byte per state is not enough")
        c = int(layer(d, expand))
        if c == 0:
            break
        growth.append(c)
        if progress is not None:
            progress(d, c)
        if not expand:
            break
        d += 1
    return table, tuple(growth)
