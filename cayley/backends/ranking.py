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

import numba  # noqa: E402
import numpy as np  # noqa: E402
from llvmlite import ir  # noqa: E402
from numba import njit, types  # noqa: E402
from numba.extending import intrinsic  # noqa: E402

from .threads import run_threads  # noqa: E402

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
    "num_threads",
    "span",
]

# ranks beyond this are not worth a bitset (2**41 ranks = 512 GiB of codes)
MAX_RANKS = 1 << 41
# the multiset table has one row per sub-count vector; beyond this it stops being small
MAX_COUNT_CODES = 1 << 22
# fewer states than this are (un)ranked on the calling thread alone
_THREADS_FROM = 1 << 14


def num_threads() -> int:
    """Threads the kernels run on (numba's setting: ``NUMBA_NUM_THREADS``)."""
    return int(numba.get_num_threads())


@njit(cache=True, inline="always")
def span(t, nthreads, n):
    """Thread ``t``'s share ``lo, hi`` of ``0 .. n - 1`` (contiguous, balanced).

    >>> [span(t, 3, 10) for t in range(3)]
    [(0, 3), (3, 6), (6, 10)]
    """
    return n * t // nthreads, n * (t + 1) // nthreads


# ---------------------------------------------------------------------------------
# bit intrinsics (numba exposes neither popcount nor count-trailing-zeros directly)
# ---------------------------------------------------------------------------------
def _bit_intrinsic(emit, doc):
    """A numba intrinsic ``f(x) -> uint64`` of one integer, ``emit(builder, x64)`` its code."""

    def typer(typingctx, x):
        if not isinstance(x, types.Integer):
            return None
        sig = types.uint64(x)

        def codegen(context, builder, sig, args):
            return emit(builder, context.cast(builder, args[0], sig.args[0], types.uint64))

        return sig, codegen

    typer.__doc__ = doc
    return intrinsic(typer)


popcount = _bit_intrinsic(
    lambda builder, v: builder.ctpop(v), "Number of set bits of a 64-bit integer (one ``popcnt`` instruction)."
)
cttz = _bit_intrinsic(
    lambda builder, v: builder.cttz(v, ir.Constant(ir.IntType(1), 0)),
    "Index of the lowest set bit of a non-zero 64-bit integer (``tzcnt``).",
)


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


@njit(cache=True, nogil=True)
def _perms_thread(t, nthreads, states, ranks, fact, unrank):
    """Thread ``t``'s share: ``ranks[i] = rank(states[i])``, or the reverse with ``unrank``."""
    lo, hi = span(t, nthreads, states.shape[0])
    for i in range(lo, hi):
        if unrank:
            perm_unrank_one(ranks[i], fact, states[i])
        else:
            ranks[i] = perm_rank_one(states[i], fact)


def _threaded(kernel, states, ranks, *args):
    # one kernel both ranks and unranks (one compile), so both arrays must be writable
    states = states if states.flags.writeable else states.copy()
    ranks = ranks if ranks.flags.writeable else ranks.copy()
    nt = 1 if states.shape[0] < _THREADS_FROM else num_threads()
    run_threads(kernel, nt, nt, states, ranks, *args)


def _as_states(states) -> np.ndarray:
    a = np.ascontiguousarray(states, dtype=np.int64)
    return a.reshape(1, -1) if a.ndim == 1 else a


def rank_permutations(states) -> np.ndarray:
    """Lexicographic ranks of the permutations in the rows of ``states`` (n <= 20).

    >>> rank_permutations([3, 2, 1, 0]).tolist()
    [23]
    """
    s = _as_states(states)
    out = np.empty(s.shape[0], np.int64)
    _threaded(_perms_thread, s, out, factorials(s.shape[1]), False)
    return out


def unrank_permutations(ranks, n: int) -> np.ndarray:
    """The permutations of ``0 .. n-1`` with lexicographic ranks ``ranks``, as (m, n)."""
    r = np.ascontiguousarray(ranks, dtype=np.int64).reshape(-1)
    out = np.empty((r.shape[0], int(n)), np.int64)
    _threaded(_perms_thread, out, r, factorials(n), True)
    return out


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


@njit(cache=True, nogil=True)
def _multiset_thread(t, nthreads, states, ranks, cum, unit, full, unrank):
    """Thread ``t``'s share: ``ranks[i] = rank(states[i])``, or the reverse with ``unrank``."""
    lo, hi = span(t, nthreads, states.shape[0])
    for i in range(lo, hi):
        if unrank:
            multiset_unrank_one(ranks[i], cum, unit, full, states[i])
        else:
            ranks[i] = multiset_rank_one(states[i], cum, unit, full)


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
        self.size = size = multiset_size(counts)
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
        s = _as_states(states)
        out = np.empty(s.shape[0], np.int64)
        _threaded(_multiset_thread, s, out, self.cum, self.unit, self.full, False)
        return out

    def unrank(self, ranks) -> np.ndarray:
        r = np.ascontiguousarray(ranks, dtype=np.int64).reshape(-1)
        out = np.empty((r.shape[0], self.n), np.int64)
        _threaded(_multiset_thread, out, r, self.cum, self.unit, self.full, True)
        return out

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
