"""Perfect rankings of state spaces, as numba kernels.

A perfect ranking is a bijection between the states of a space and ``0 .. size - 1``;
the rank engine keeps about 2 bits per rank instead of a hash table of packed states.

- Permutations of ``0 .. n-1``: lexicographic rank through the Lehmer code. The digit of
  position ``i`` is the number of smaller symbols not yet used, ``v - popcount(used &
  (2**v - 1))``: one popcount per position, no table and no division.
- Multiset permutations (strings with repeated symbols, for Schreier graphs): lexicographic
  rank through a table ``cum[c, v]`` = the number of arrangements of the remaining symbols
  (count vector ``c``, encoded in mixed radix) that start with a symbol smaller than
  ``v``. Ranking is one table look-up per position; binary strings get the combinatorial
  number system this way.

Both rank ``(m, n)`` arrays in parallel; the scalar helpers are ``inline="always"`` so
that the engine's layer kernels (:mod:`.numba_rank`) inline them into their hot loop.

>>> import numpy as np
>>> rank_permutations(np.array([[0, 1, 2], [2, 1, 0], [1, 0, 2]])).tolist()
[0, 5, 2]
>>> unrank_permutations(np.array([3]), 3).tolist()
[[1, 2, 0]]
>>> ms = MultisetRanking([2, 1])      # strings of 0, 0, 1
>>> ms.size, ms.unrank(np.arange(3)).tolist()
(3, [[0, 0, 1], [0, 1, 0], [1, 0, 0]])
"""

from __future__ import annotations

import os
from math import factorial

# as in numba_hash: OpenMP threads that spin while waiting slow every kernel down when the
# cores are shared; must be set before numba loads the OpenMP runtime
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
from llvmlite import ir  # noqa: E402
from numba import njit, prange, types  # noqa: E402
from numba.extending import intrinsic  # noqa: E402

__all__ = [
    "popcount",
    "cttz",
    "rank_permutations",
    "unrank_permutations",
    "PermutationRanking",
    "MultisetRanking",
    "MixedRadixRanking",
    "ranking_for",
    "MAX_RANKS",
    "MAX_COUNT_CODES",
]

# ranks beyond this are not worth a bitset (2**41 ranks = 512 GiB of codes)
MAX_RANKS = 1 << 41
# the multiset table has one row per sub-count vector; beyond this it stops being small
MAX_COUNT_CODES = 1 << 22


# ---------------------------------------------------------------------------------
# bit intrinsics (numba exposes neither popcount nor count-trailing-zeros directly)
# ---------------------------------------------------------------------------------
@intrinsic
def popcount(typingctx, x):
    """Number of set bits of a 64-bit integer (one ``popcnt`` instruction)."""
    if not isinstance(x, types.Integer):
        return None
    sig = types.uint64(x)

    def codegen(context, builder, sig, args):
        v = context.cast(builder, args[0], sig.args[0], types.uint64)
        return builder.ctpop(v)

    return sig, codegen


@intrinsic
def cttz(typingctx, x):
    """Index of the lowest set bit of a non-zero 64-bit integer (``tzcnt``)."""
    if not isinstance(x, types.Integer):
        return None
    sig = types.uint64(x)

    def codegen(context, builder, sig, args):
        v = context.cast(builder, args[0], sig.args[0], types.uint64)
        return builder.cttz(v, ir.Constant(ir.IntType(1), 0))

    return sig, codegen


# ---------------------------------------------------------------------------------
# permutations
# ---------------------------------------------------------------------------------
def factorials(n: int) -> np.ndarray:
    """``[0!, 1!, ..., n!]`` as int64 (n <= 20)."""
    return np.array([factorial(i) for i in range(n + 1)], dtype=np.int64)


@njit(cache=True, inline="always")
def _select(unused, d):
    """The ``d``-th (0-based) set bit of ``unused``."""
    u = unused
    for _ in range(d):
        u &= u - np.uint64(1)
    return np.int64(cttz(u))


@njit(cache=True, inline="always")
def perm_rank_one(s, fact):
    """Lexicographic rank of the permutation ``s`` of ``0 .. n-1``."""
    n = s.shape[0]
    used = np.uint64(0)
    r = np.int64(0)
    for i in range(n - 1):
        v = s[i]
        b = np.uint64(1) << np.uint64(v)
        d = np.int64(v) - np.int64(popcount(used & (b - np.uint64(1))))
        used |= b
        r += d * fact[n - 1 - i]
    return r


@njit(cache=True, inline="always")
def perm_unrank_one(r, fact, out):
    """Write the permutation of lexicographic rank ``r`` into ``out`` (length n)."""
    n = out.shape[0]
    unused = (np.uint64(1) << np.uint64(n)) - np.uint64(1)
    for i in range(n):
        f = fact[n - 1 - i]
        d = r // f
        r -= d * f
        v = _select(unused, d)
        out[i] = v
        unused ^= np.uint64(1) << np.uint64(v)


@njit(cache=True, parallel=True)
def _rank_perms(states, fact):
    m = states.shape[0]
    out = np.empty(m, np.int64)
    for i in prange(m):
        out[i] = perm_rank_one(states[i], fact)
    return out


@njit(cache=True, parallel=True)
def _unrank_perms(ranks, n, fact):
    m = ranks.shape[0]
    out = np.empty((m, n), np.int64)
    for i in prange(m):
        perm_unrank_one(ranks[i], fact, out[i])
    return out


def _as_states(states) -> np.ndarray:
    a = np.ascontiguousarray(states, dtype=np.int64)
    return a.reshape(1, -1) if a.ndim == 1 else a


def rank_permutations(states) -> np.ndarray:
    """Lexicographic ranks of the permutations in the rows of ``states`` (n <= 20).

    >>> rank_permutations([3, 2, 1, 0]).tolist()
    [23]
    """
    s = _as_states(states)
    return _rank_perms(s, factorials(s.shape[1]))


def unrank_permutations(ranks, n: int) -> np.ndarray:
    """The permutations of ``0 .. n-1`` with lexicographic ranks ``ranks``, as (m, n)."""
    r = np.ascontiguousarray(ranks, dtype=np.int64).reshape(-1)
    return _unrank_perms(r, int(n), factorials(n))


class PermutationRanking:
    """Lexicographic ranking of the ``n!`` permutations of ``0 .. n-1``.

    >>> pr = PermutationRanking(4)
    >>> pr.size, pr.rank([[0, 1, 3, 2]]).tolist(), pr.unrank([1]).tolist()
    (24, [1], [[0, 1, 3, 2]])
    """

    kind = "permutations"

    def __init__(self, n: int):
        if not 1 <= n <= 20:
            raise ValueError(f"permutation ranking needs 1 <= n <= 20, got {n}")
        self.n = int(n)
        self.size = factorial(self.n)

    def rank(self, states) -> np.ndarray:
        return rank_permutations(states)

    def unrank(self, ranks) -> np.ndarray:
        return unrank_permutations(ranks, self.n)

    def __repr__(self) -> str:
        return f"PermutationRanking({self.n})"


# ---------------------------------------------------------------------------------
# multiset permutations
# ---------------------------------------------------------------------------------
@njit(cache=True)
def _multiset_table(counts, radix, ncodes):
    """``cum[c, v]`` for every count vector code ``c`` (mixed radix ``counts + 1``):
    the number of arrangements of ``c`` that start with a symbol ``< v``."""
    s = counts.shape[0]
    total = np.zeros(ncodes, np.int64)  # multinomial of each count vector
    cum = np.zeros((ncodes, s + 1), np.int64)
    total[0] = 1
    for c in range(ncodes):
        acc = 0
        x = c
        for v in range(s):
            have = x % (counts[v] + 1)
            x //= counts[v] + 1
            cum[c, v] = acc
            if have > 0:
                acc += total[c - radix[v]]
        cum[c, s] = acc
        if c > 0:
            total[c] = acc
    return cum


@njit(cache=True, inline="always")
def multiset_rank_one(s, cum, unit, full):
    """Lexicographic rank of the string ``s`` among the arrangements of its multiset."""
    n = s.shape[0]
    c = full
    r = np.int64(0)
    for i in range(n - 1):
        v = s[i]
        r += cum[c, v]
        c -= unit[v]
    return r


@njit(cache=True, inline="always")
def multiset_unrank_one(r, cum, unit, full, out):
    n = out.shape[0]
    c = full
    for i in range(n):
        v = 0
        while cum[c, v + 1] <= r:
            v += 1
        r -= cum[c, v]
        out[i] = v
        c -= unit[v]


@njit(cache=True, parallel=True)
def _rank_multiset(states, cum, unit, full):
    m = states.shape[0]
    out = np.empty(m, np.int64)
    for i in prange(m):
        out[i] = multiset_rank_one(states[i], cum, unit, full)
    return out


@njit(cache=True, parallel=True)
def _unrank_multiset(ranks, n, cum, unit, full):
    m = ranks.shape[0]
    out = np.empty((m, n), np.int64)
    for i in prange(m):
        multiset_unrank_one(ranks[i], cum, unit, full, out[i])
    return out


class MultisetRanking:
    """Lexicographic ranking of the strings with ``counts[v]`` copies of symbol ``v``.

    >>> mr = MultisetRanking([3, 2])     # binary strings of length 5 with two ones
    >>> mr.size, mr.rank([[0, 0, 0, 1, 1], [1, 1, 0, 0, 0]]).tolist()
    (10, [0, 9])
    """

    kind = "multiset"

    def __init__(self, counts):
        counts = [int(c) for c in counts]
        if not counts or min(counts) < 1:
            raise ValueError(f"multiset ranking needs positive counts, got {counts}")
        self.counts = np.array(counts, dtype=np.int64)
        self.n = int(sum(counts))
        size = factorial(self.n)
        for c in counts:
            size //= factorial(c)
        self.size = size
        ncodes = 1
        radix = []
        for c in counts:
            radix.append(ncodes)
            ncodes *= c + 1
        self.ncodes = ncodes
        if size >= 2**62 or ncodes > MAX_COUNT_CODES:
            raise ValueError(
                f"multiset {counts} is too large to rank ({size} arrangements, {ncodes} count vectors)"
            )
        self.unit = np.array(radix, dtype=np.int64)
        self.full = ncodes - 1
        self.cum = _multiset_table(self.counts, self.unit, ncodes)

    def rank(self, states) -> np.ndarray:
        return _rank_multiset(_as_states(states), self.cum, self.unit, self.full)

    def unrank(self, ranks) -> np.ndarray:
        r = np.ascontiguousarray(ranks, dtype=np.int64).reshape(-1)
        return _unrank_multiset(r, self.n, self.cum, self.unit, self.full)

    def __repr__(self) -> str:
        return f"MultisetRanking({self.counts.tolist()})"


class MixedRadixRanking:
    """Ranking of all ``radix ** n`` strings of ``n`` digits ``0 .. radix-1``: the rank
    is the string read as a base-``radix`` number (first digit most significant), so
    rank order is lexicographic order. Matrices over Z/m (row-major entries, radix m)
    use it; None-free only while ``radix ** n <= MAX_RANKS`` (see :meth:`fits`).

    >>> mr = MixedRadixRanking(5, 4)
    >>> mr.size, mr.rank([[1, 0, 0, 1], [4, 4, 4, 4]]).tolist(), mr.unrank([156]).tolist()
    (625, [126, 624], [[1, 1, 1, 1]])
    """

    kind = "mixed_radix"

    def __init__(self, radix: int, n: int):
        if radix < 2 or n < 1 or radix**n > MAX_RANKS:
            raise ValueError(f"mixed-radix ranking needs radix >= 2, n >= 1 and radix**n <= 2**41, got {radix}, {n}")
        self.radix, self.n = int(radix), int(n)
        self.size = self.radix**self.n
        self.weights = np.array([self.radix ** (n - 1 - i) for i in range(n)], dtype=np.int64)

    @staticmethod
    def fits(radix: int, n: int) -> bool:
        """Whether ``radix ** n`` ranks are few enough for a bitset."""
        return radix >= 2 and n >= 1 and radix**n <= MAX_RANKS

    def rank(self, states) -> np.ndarray:
        s = np.asarray(states, dtype=np.int64).reshape(-1, self.n)
        return s @ self.weights

    def unrank(self, ranks) -> np.ndarray:
        r = np.asarray(ranks, dtype=np.int64).reshape(-1, 1)
        return (r // self.weights) % self.radix

    def __repr__(self) -> str:
        return f"MixedRadixRanking({self.radix}, {self.n})"


def multiset_size(counts) -> int:
    """Number of arrangements of a multiset with these symbol counts."""
    n = int(sum(counts))
    size = factorial(n)
    for c in counts:
        size //= factorial(int(c))
    return size


def ranking_for(start) -> "PermutationRanking | MultisetRanking | None":
    """The ranking of the space of rearrangements of ``start`` (dense symbols 0..s-1),
    or None when it has none that fits (too many ranks or too big a table).

    >>> ranking_for([0, 1, 2])
    PermutationRanking(3)
    >>> ranking_for([0, 1, 1, 0])
    MultisetRanking([2, 2])
    """
    start = np.asarray(start, dtype=np.int64).reshape(-1)
    n = len(start)
    if n == 0 or start.min() < 0:
        return None
    counts = np.bincount(start)
    if counts.min() == 0:
        return None  # symbols not dense
    if len(counts) == n:
        if n > 20 or factorial(n) > MAX_RANKS:
            return None
        return PermutationRanking(n)
    if multiset_size(counts) > MAX_RANKS:
        return None
    ncodes = int(np.prod(counts.astype(object) + 1))
    if ncodes > MAX_COUNT_CODES:
        return None
    return MultisetRanking(counts.tolist())
