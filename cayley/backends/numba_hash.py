"""numba CPU kernels for the hash engine.

States are bit-packed into rows of ``W`` 64-bit words (``bits`` per symbol, never split
across words). When a state fits one word, the word itself is the hash key; the visited
set is a sharded open-addressing table (``S`` shards of equal capacity, shard chosen by
the high bits of a mixed hash), so the probe step runs in parallel over shards with no
locks. Rows of several words use the exact sort-based set in :mod:`.numpy_sets`.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_BLOCK = 4096


@njit(cache=True, inline="always")
def _mix(x):
    # splitmix64 finaliser: a bijection, so distinct keys never collide in full
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


@njit(cache=True, parallel=True)
def encode(states, bits, words):
    """Pack ``states`` (m, n) of small non-negative ints into (m, words) uint64."""
    m, n = states.shape
    per = 64 // bits
    out = np.zeros((m, words), np.uint64)
    for i in prange(m):
        for j in range(n):
            out[i, j // per] |= np.uint64(states[i, j]) << np.uint64((j % per) * bits)
    return out


@njit(cache=True, parallel=True)
def decode(keys, n, bits):
    """Unpack (m, words) uint64 into (m, n) int64 states."""
    m = keys.shape[0]
    per = 64 // bits
    mask = np.uint64((1 << bits) - 1)
    out = np.empty((m, n), np.int64)
    for i in prange(m):
        for j in range(n):
            out[i, j] = np.int64((keys[i, j // per] >> np.uint64((j % per) * bits)) & mask)
    return out


@njit(cache=True, parallel=True)
def expand(keys, perms, bits):
    """All neighbours: row ``i * k + g`` is state ``i`` acted on by generator ``g``.

    A generator ``p`` acts by a gather, ``s'[j] = s[p[j]]``.
    """
    m, words = keys.shape
    k, n = perms.shape
    per = 64 // bits
    mask = np.uint64((1 << bits) - 1)
    out = np.zeros((m * k, words), np.uint64)
    nblocks = (m + _BLOCK - 1) // _BLOCK
    for b in prange(nblocks):
        s = np.empty(n, np.uint64)
        lo = b * _BLOCK
        hi = min(m, lo + _BLOCK)
        for i in range(lo, hi):
            for j in range(n):
                s[j] = (keys[i, j // per] >> np.uint64((j % per) * bits)) & mask
            for g in range(k):
                r = i * k + g
                for j in range(n):
                    out[r, j // per] |= s[perms[g, j]] << np.uint64((j % per) * bits)
    return out


@njit(cache=True, parallel=True)
def shard_histogram(keys, shard_bits):
    """Shard of each key (high bits of its mixed hash) and the count per shard."""
    m = keys.shape[0]
    nshards = 1 << shard_bits
    sid = np.empty(m, np.int32)
    shift = np.uint64(64 - shard_bits)
    for i in prange(m):
        sid[i] = np.int32(_mix(keys[i]) >> shift)
    hist = np.zeros(nshards + 1, np.int64)
    for i in range(m):
        hist[sid[i] + 1] += 1
    for s in range(nshards):
        hist[s + 1] += hist[s]
    return sid, hist  # hist is the offsets array (length nshards + 1)


@njit(cache=True, parallel=True)
def insert_new(table, counts, keys, sid, offsets):
    """Insert ``keys`` into the sharded table; return the keys that were not present,
    each once, grouped by shard. The caller guarantees enough free slots per shard."""
    nshards, cap = table.shape
    mask = np.uint64(cap - 1)
    m = keys.shape[0]
    bucket = np.empty(m, np.uint64)
    pos = offsets[:-1].copy()
    for i in range(m):
        s = sid[i]
        bucket[pos[s]] = keys[i]
        pos[s] += 1
    nnew = np.zeros(nshards, np.int64)
    for s in prange(nshards):
        w = offsets[s]
        for i in range(offsets[s], offsets[s + 1]):
            x = bucket[i]
            j = _mix(x) & mask
            while True:
                t = table[s, j]
                if t == EMPTY:
                    table[s, j] = x
                    bucket[w] = x  # w <= i: compact new keys in place
                    w += 1
                    break
                if t == x:
                    break
                j = (j + np.uint64(1)) & mask
        nnew[s] = w - offsets[s]
        counts[s] += w - offsets[s]
    start = np.zeros(nshards + 1, np.int64)
    for s in range(nshards):
        start[s + 1] = start[s] + nnew[s]
    out = np.empty(start[nshards], np.uint64)
    for s in prange(nshards):
        src = offsets[s]
        for t in range(nnew[s]):
            out[start[s] + t] = bucket[src + t]
    return out


@njit(cache=True, parallel=True)
def rehash(table, new_cap):
    """A copy of the sharded table with ``new_cap`` slots per shard."""
    nshards, cap = table.shape
    out = np.full((nshards, new_cap), EMPTY, np.uint64)
    mask = np.uint64(new_cap - 1)
    for s in prange(nshards):
        for i in range(cap):
            x = table[s, i]
            if x != EMPTY:
                j = _mix(x) & mask
                while out[s, j] != EMPTY:
                    j = (j + np.uint64(1)) & mask
                out[s, j] = x
    return out


class ShardedKeySet:
    """Exact set of uint64 keys (one-word states), sharded for parallel inserts.

    >>> ks = ShardedKeySet(shard_bits=2)
    >>> ks.add_new(np.array([5, 7, 5], dtype=np.uint64)).tolist()
    [5, 7]
    >>> ks.add_new(np.array([7, 9], dtype=np.uint64)).tolist(), len(ks)
    ([9], 3)
    """

    MAX_LOAD = 0.7

    def __init__(self, shard_bits: int = 6, capacity: int = 0):
        self.shard_bits = shard_bits
        nshards = 1 << shard_bits
        cap = 16
        while cap * nshards * self.MAX_LOAD < capacity:
            cap *= 2
        self.table = np.full((nshards, cap), EMPTY, np.uint64)
        self.counts = np.zeros(nshards, np.int64)

    def __len__(self) -> int:
        return int(self.counts.sum())

    @property
    def nbytes(self) -> int:
        return int(self.table.nbytes)

    def add_new(self, keys: np.ndarray) -> np.ndarray:
        """Insert ``keys``; return those not seen before (each once)."""
        keys = np.ascontiguousarray(keys, dtype=np.uint64).reshape(-1)
        if keys.size == 0:
            return keys
        sid, offsets = shard_histogram(keys, self.shard_bits)
        need = int((self.counts + np.diff(offsets)).max())
        cap = self.table.shape[1]
        if need > cap * self.MAX_LOAD:
            while need > cap * self.MAX_LOAD:
                cap *= 2
            self.table = rehash(self.table, cap)
        return insert_new(self.table, self.counts, keys, sid, offsets)

    @staticmethod
    def bytes_for(count: int, shard_bits: int = 6) -> int:
        """Table bytes needed to hold ``count`` keys."""
        nshards = 1 << shard_bits
        cap = 16
        while cap * nshards * ShardedKeySet.MAX_LOAD < count:
            cap *= 2
        return cap * nshards * 8
