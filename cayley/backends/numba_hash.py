"""numba CPU kernels for the hash engine.

States are bit-packed into rows of ``W`` 64-bit words (``bits`` per symbol, never split
across words). When a state fits one word, the word itself is the hash key; the visited
set is a sharded open-addressing table (``S`` shards of equal capacity, shard chosen by
the high bits of a mixed hash), so the probe step runs in parallel over shards with no
locks. Rows of several words use the exact sort-based set in :mod:`.numpy_sets`.
"""

from __future__ import annotations

import os

# OpenMP threads that spin while waiting slow every parallel kernel down several-fold when
# the cores are shared (measured: S_10 lrx 10.3 s spinning vs 2.1 s passive at load 5.8
# on 2 cores). Must be set before numba loads the OpenMP runtime; users may override.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
from numba import njit, prange  # noqa: E402

EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_BLOCK = 4096
# inputs smaller than this run in the serial kernels (a parallel launch costs ~10-100 us)
SERIAL_BELOW = 1 << 15


@njit(cache=True, inline="always")
def _mix(x):
    # splitmix64 finaliser: a bijection, so distinct keys never collide in full
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def encode(states, bits, words):
    """Pack ``states`` (m, n) of small non-negative ints into (m, words) uint64."""
    m, n = states.shape
    per = 64 // bits
    out = np.zeros((m, words), np.uint64)
    for i in range(m):
        for j in range(n):
            out[i, j // per] |= np.uint64(states[i, j]) << np.uint64((j % per) * bits)
    return out


@njit(cache=True)
def decode(keys, n, bits):
    """Unpack (m, words) uint64 into (m, n) int64 states."""
    m = keys.shape[0]
    per = 64 // bits
    mask = np.uint64((1 << bits) - 1)
    out = np.empty((m, n), np.int64)
    for i in range(m):
        for j in range(n):
            out[i, j] = np.int64((keys[i, j // per] >> np.uint64((j % per) * bits)) & mask)
    return out


@njit(cache=True, inline="always")
def _expand_rows(keys, perms, bits, out, lo, hi):
    k, n = perms.shape
    per = 64 // bits
    mask = np.uint64((1 << bits) - 1)
    s = np.empty(n, np.uint64)
    for i in range(lo, hi):
        for j in range(n):
            s[j] = (keys[i, j // per] >> np.uint64((j % per) * bits)) & mask
        for g in range(k):
            r = i * k + g
            for j in range(n):
                out[r, j // per] |= s[perms[g, j]] << np.uint64((j % per) * bits)


@njit(cache=True, parallel=True)
def _expand_parallel(keys, perms, bits):
    m, words = keys.shape
    out = np.zeros((m * perms.shape[0], words), np.uint64)
    nblocks = (m + _BLOCK - 1) // _BLOCK
    for b in prange(nblocks):
        _expand_rows(keys, perms, bits, out, b * _BLOCK, min(m, (b + 1) * _BLOCK))
    return out


@njit(cache=True)
def _expand_serial(keys, perms, bits):
    m, words = keys.shape
    out = np.zeros((m * perms.shape[0], words), np.uint64)
    _expand_rows(keys, perms, bits, out, 0, m)
    return out


def expand(keys, perms, bits):
    """All neighbours: row ``i * k + g`` is state ``i`` acted on by generator ``g``.

    A generator ``p`` acts by a gather, ``s'[j] = s[p[j]]``. Small batches run serially:
    a parallel launch costs more than it saves there.
    """
    if keys.shape[0] * perms.shape[0] < SERIAL_BELOW:
        return _expand_serial(keys, perms, bits)
    return _expand_parallel(keys, perms, bits)


@njit(cache=True, inline="always")
def _shard_ids(keys, shard_bits, sid, lo, hi):
    shift = np.uint64(64 - shard_bits)
    for i in range(lo, hi):
        sid[i] = np.int32(_mix(keys[i]) >> shift)


@njit(cache=True, inline="always")
def _offsets(sid, nshards):
    hist = np.zeros(nshards + 1, np.int64)
    for i in range(sid.shape[0]):
        hist[sid[i] + 1] += 1
    for s in range(nshards):
        hist[s + 1] += hist[s]
    return hist


@njit(cache=True, parallel=True)
def _shard_histogram_parallel(keys, shard_bits):
    m = keys.shape[0]
    sid = np.empty(m, np.int32)
    nblocks = (m + _BLOCK - 1) // _BLOCK
    for b in prange(nblocks):
        _shard_ids(keys, shard_bits, sid, b * _BLOCK, min(m, (b + 1) * _BLOCK))
    return sid, _offsets(sid, 1 << shard_bits)


@njit(cache=True)
def _shard_histogram_serial(keys, shard_bits):
    sid = np.empty(keys.shape[0], np.int32)
    _shard_ids(keys, shard_bits, sid, 0, keys.shape[0])
    return sid, _offsets(sid, 1 << shard_bits)


def shard_histogram(keys, shard_bits):
    """Shard of each key (high bits of its mixed hash) and the offsets of each shard's
    keys once grouped (length ``2**shard_bits + 1``)."""
    if keys.shape[0] < SERIAL_BELOW:
        return _shard_histogram_serial(keys, shard_bits)
    return _shard_histogram_parallel(keys, shard_bits)


@njit(cache=True, inline="always")
def _bucket(keys, sid, offsets):
    bucket = np.empty(keys.shape[0], np.uint64)
    pos = offsets[:-1].copy()
    for i in range(keys.shape[0]):
        s = sid[i]
        bucket[pos[s]] = keys[i]
        pos[s] += 1
    return bucket


@njit(cache=True, inline="always")
def _insert_shard(table, counts, bucket, offsets, nnew, s):
    mask = np.uint64(table.shape[1] - 1)
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


@njit(cache=True, inline="always")
def _gather_new(bucket, offsets, nnew):
    nshards = nnew.shape[0]
    start = np.zeros(nshards + 1, np.int64)
    for s in range(nshards):
        start[s + 1] = start[s] + nnew[s]
    out = np.empty(start[nshards], np.uint64)
    for s in range(nshards):
        out[start[s] : start[s + 1]] = bucket[offsets[s] : offsets[s] + nnew[s]]
    return out


@njit(cache=True, parallel=True)
def _insert_new_parallel(table, counts, keys, sid, offsets):
    bucket = _bucket(keys, sid, offsets)
    nnew = np.zeros(table.shape[0], np.int64)
    for s in prange(table.shape[0]):
        _insert_shard(table, counts, bucket, offsets, nnew, s)
    return _gather_new(bucket, offsets, nnew)


@njit(cache=True)
def _insert_new_serial(table, counts, keys, sid, offsets):
    bucket = _bucket(keys, sid, offsets)
    nnew = np.zeros(table.shape[0], np.int64)
    for s in range(table.shape[0]):
        _insert_shard(table, counts, bucket, offsets, nnew, s)
    return _gather_new(bucket, offsets, nnew)


def insert_new(table, counts, keys, sid, offsets):
    """Insert ``keys`` into the sharded table; return the keys that were not present,
    each once, grouped by shard. The caller guarantees enough free slots per shard."""
    if keys.shape[0] < SERIAL_BELOW:
        return _insert_new_serial(table, counts, keys, sid, offsets)
    return _insert_new_parallel(table, counts, keys, sid, offsets)


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
    >>> sorted(ks.add_new(np.array([5, 7, 5], dtype=np.uint64)).tolist())
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
