"""numba CPU kernels for the hash engine.

States are bit-packed into rows of ``W`` 64-bit words (``bits`` per symbol, never split
across words). When a state fits one word, the word itself is the hash key; the visited
set is a sharded open-addressing table (``S`` shards of equal capacity, shard chosen by
the high bits of a mixed hash), so the probe step runs in parallel over shards with no
locks. Rows of several words use the exact sort-based set in :mod:`.numpy_sets`.

Each pass is one ``nogil`` kernel over a share of the rows (or shards), run on the kernel
threads by :func:`cayley.backends.threads.run_threads`, or on the calling thread alone for
small inputs: one compile per pass instead of a serial and a ``parallel=True`` variant
(the first run in a fresh environment compiles them).
"""

from __future__ import annotations

import os

# OpenMP threads that spin while waiting slow every parallel kernel down several-fold when
# the cores are shared (measured: S_10 lrx 10.3 s spinning vs 2.1 s passive at load 5.8
# on 2 cores). Must be set before numba loads the OpenMP runtime; users may override.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
from numba import njit  # noqa: E402

from .numba_codes import num_threads, span  # noqa: E402
from .threads import run_threads  # noqa: E402

__all__ = ["EMPTY", "SERIAL_BELOW", "splitmix64", "encode", "decode", "expand", "shard_histogram", "insert_new",
           "rehash", "ShardedKeySet", "threads_for"]

EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
# inputs smaller than this run on the calling thread alone (starting threads costs ~10-100 us)
SERIAL_BELOW = 1 << 15


def threads_for(work: int) -> int:
    """Threads worth starting for ``work`` items: 1 below :data:`SERIAL_BELOW`."""
    return 1 if work < SERIAL_BELOW else num_threads()


@njit(cache=True, inline="always")
def splitmix64(x):
    """The splitmix64 finaliser of a uint64: a bijection, so distinct keys never collide in
    full (the hash of every table in cayley's kernels).

    >>> hex(int(splitmix64(np.uint64(1))))
    '0x5692161d100b05e5'
    """
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


@njit(cache=True, nogil=True)
def _expand_thread(t, nthreads, keys, perms, bits, out):
    lo, hi = span(t, nthreads, keys.shape[0])
    _expand_rows(keys, perms, bits, out, lo, hi)


def expand(keys, perms, bits):
    """All neighbours: row ``i * k + g`` is state ``i`` acted on by generator ``g``.

    A generator ``p`` acts by a gather, ``s'[j] = s[p[j]]``. Small batches run serially:
    a parallel launch costs more than it saves there.
    """
    out = np.zeros((keys.shape[0] * perms.shape[0], keys.shape[1]), np.uint64)
    nt = threads_for(out.shape[0])
    run_threads(_expand_thread, nt, nt, keys, perms, bits, out)
    return out


@njit(cache=True, inline="always")
def _shard_ids(keys, shard_bits, sid, lo, hi):
    shift = np.uint64(64 - shard_bits)
    for i in range(lo, hi):
        sid[i] = np.int32(splitmix64(keys[i]) >> shift)


@njit(cache=True, nogil=True)
def _shard_thread(t, nthreads, keys, shard_bits, sid):
    lo, hi = span(t, nthreads, keys.shape[0])
    _shard_ids(keys, shard_bits, sid, lo, hi)


def shard_histogram(keys, shard_bits):
    """Shard of each key (high bits of its mixed hash) and the offsets of each shard's
    keys once grouped (length ``2**shard_bits + 1``)."""
    sid = np.empty(keys.shape[0], np.int32)
    nt = threads_for(keys.shape[0])
    run_threads(_shard_thread, nt, nt, keys, shard_bits, sid)
    offsets = np.zeros((1 << shard_bits) + 1, np.int64)
    np.cumsum(np.bincount(sid, minlength=1 << shard_bits), out=offsets[1:])
    return sid, offsets


@njit(cache=True, nogil=True)
def _bucket(keys, sid, offsets):
    """``keys`` grouped by shard (a counting sort)."""
    bucket = np.empty(keys.shape[0], np.uint64)
    pos = offsets[:-1].copy()
    for i in range(keys.shape[0]):
        s = sid[i]
        bucket[pos[s]] = keys[i]
        pos[s] += 1
    return bucket


@njit(cache=True, nogil=True)
def _insert_thread(t, nthreads, table, counts, bucket, offsets, nnew):
    """Insert the keys of shards ``t, t + nthreads, ...`` (each shard has one writer)."""
    mask = np.uint64(table.shape[1] - 1)
    for s in range(t, table.shape[0], nthreads):
        w = offsets[s]
        for i in range(offsets[s], offsets[s + 1]):
            x = bucket[i]
            j = splitmix64(x) & mask
            while True:
                y = table[s, j]
                if y == EMPTY:
                    table[s, j] = x
                    bucket[w] = x  # w <= i: compact new keys in place
                    w += 1
                    break
                if y == x:
                    break
                j = (j + np.uint64(1)) & mask
        nnew[s] = w - offsets[s]
        counts[s] += w - offsets[s]


def insert_new(table, counts, keys, sid, offsets):
    """Insert ``keys`` into the sharded table; return the keys that were not present,
    each once, grouped by shard. The caller guarantees enough free slots per shard."""
    bucket = _bucket(keys, sid, offsets)
    nnew = np.zeros(table.shape[0], np.int64)
    nt = min(threads_for(keys.shape[0]), table.shape[0])
    run_threads(_insert_thread, nt, nt, table, counts, bucket, offsets, nnew)
    return np.concatenate([bucket[offsets[s] : offsets[s] + nnew[s]] for s in range(table.shape[0])])


@njit(cache=True, nogil=True)
def _rehash_thread(t, nthreads, table, out):
    mask = np.uint64(out.shape[1] - 1)
    for s in range(t, table.shape[0], nthreads):
        for i in range(table.shape[1]):
            x = table[s, i]
            if x != EMPTY:
                j = splitmix64(x) & mask
                while out[s, j] != EMPTY:
                    j = (j + np.uint64(1)) & mask
                out[s, j] = x


def rehash(table, new_cap):
    """A copy of the sharded table with ``new_cap`` slots per shard."""
    out = np.full((table.shape[0], new_cap), EMPTY, np.uint64)
    nt = min(threads_for(table.size), table.shape[0])
    run_threads(_rehash_thread, nt, nt, table, out)
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
