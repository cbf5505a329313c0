"""numba kernels for path finding: exact row hashing, dedup against history, row look-up,
and one step of a non-backtracking random walk.

Rows are packed states, ``(m, W)`` uint64 (see :mod:`cayley.backends.packing`). Every
hash table here stores row *indices* and compares full rows on a probe, so a hash
collision costs a probe, never a wrong answer.
"""

from __future__ import annotations

import os
from typing import Any

# as in the hash engine: spinning OpenMP threads slow every kernel down on shared cores
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
from numba import njit, prange  # noqa: E402

from ...backends.numba_hash import splitmix64  # noqa: E402

_SEED = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, inline="always")
def _row_hash(rows: np.ndarray, i: int) -> Any:
    h = _SEED
    for w in range(rows.shape[1]):
        h = splitmix64(h ^ rows[i, w])
    return h


@njit(cache=True, inline="always")
def _rows_equal(a: np.ndarray, i: int, b: np.ndarray, j: int) -> bool:
    for w in range(a.shape[1]):
        if a[i, w] != b[j, w]:
            return False
    return True


@njit(cache=True, inline="always")
def _capacity(m: int) -> int:
    cap = 16
    while cap < 2 * m:
        cap *= 2
    return cap


@njit(cache=True, inline="always")
def _slot(table: np.ndarray, mask: Any, rows: np.ndarray, i: int) -> Any:
    """The slot of row ``i`` in the open-addressing ``table`` (indices into ``rows``):
    where an equal row is, or the empty slot where it goes. (A slot returned, not an
    insert with a return inside the probe loop: that form ran 1.6x slower.)"""
    j = _row_hash(rows, i) & mask
    while True:
        t = table[j]
        if t < 0 or _rows_equal(rows, t, rows, i):
            return j
        j = (j + np.uint64(1)) & mask


@njit(cache=True)
def build_index(rows: np.ndarray) -> np.ndarray:
    """Open-addressing table of the row indices of ``rows`` (first index of equal rows)."""
    m = rows.shape[0]
    cap = _capacity(m)
    table = np.full(cap, -1, np.int64)
    mask = np.uint64(cap - 1)
    for i in range(m):
        j = _slot(table, mask, rows, i)
        if table[j] < 0:
            table[j] = i
    return table


@njit(cache=True)
def lookup(table: np.ndarray, rows: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Index in ``rows`` of each query row (-1 where absent), through ``build_index``."""
    q = queries.shape[0]
    out = np.full(q, -1, np.int64)
    mask = np.uint64(table.shape[0] - 1)
    for i in range(q):
        j = _row_hash(queries, i) & mask
        while True:
            t = table[j]
            if t < 0:
                break
            if _rows_equal(rows, t, queries, i):
                out[i] = t
                break
            j = (j + np.uint64(1)) & mask
    return out


@njit(cache=True)
def first_new(history: np.ndarray, cand: np.ndarray) -> Any:
    """Indices (ascending) of the rows of ``cand`` that are the first of their value in
    ``cand`` and do not occur in ``history``: dedup of a beam against recent layers."""
    h = history.shape[0]
    m = cand.shape[0]
    cap = _capacity(h + m)
    mask = np.uint64(cap - 1)
    table = np.full(cap, -1, np.int64)  # index into history (< h) or h + index into cand
    for i in range(h):
        j = _slot(table, mask, history, i)
        if table[j] < 0:
            table[j] = i
    keep = np.empty(m, np.int64)
    nkeep = 0
    for i in range(m):
        j = _row_hash(cand, i) & mask
        while True:
            t = table[j]
            if t < 0:
                table[j] = h + i
                keep[nkeep] = i
                nkeep += 1
                break
            if t < h:
                if _rows_equal(history, t, cand, i):
                    break
            elif _rows_equal(cand, t - h, cand, i):
                break
            j = (j + np.uint64(1)) & mask
    return keep[:nkeep]


@njit(cache=True)
def find_rows(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """For each needle row, the index of its first occurrence in ``haystack`` or -1.
    A linear scan: for a few needles against one layer."""
    c = needles.shape[0]
    out = np.full(c, -1, np.int64)
    left = c
    for i in range(haystack.shape[0]):
        for q in range(c):
            if out[q] < 0 and _rows_equal(haystack, i, needles, q):
                out[q] = i
                left -= 1
        if left == 0:
            break
    return out


@njit(cache=True)
def isin_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Boolean mask over the rows of ``a``: whether each occurs in ``b``."""
    table = build_index(b)
    return lookup(table, b, a) >= 0


@njit(cache=True)
def nbt_step(
    cur: np.ndarray, prev: np.ndarray, perms: np.ndarray, u: np.ndarray, out: np.ndarray, moves: np.ndarray
) -> Any:
    """One step of ``len(cur)`` non-backtracking walks: walk ``i`` moves from ``cur[i]``
    by a generator chosen uniformly (through ``u[i]`` in [0, 1)) among those whose result
    is neither ``cur[i]`` (a loop) nor ``prev[i]`` (a step back); when every generator is
    such, among all of them."""
    c, n = cur.shape
    k = perms.shape[0]
    ok = np.empty(k, np.bool_)
    for i in range(c):
        nvalid = 0
        for g in range(k):
            same_cur = True
            same_prev = True
            for j in range(n):
                v = cur[i, perms[g, j]]
                if v != cur[i, j]:
                    same_cur = False
                if v != prev[i, j]:
                    same_prev = False
            ok[g] = not (same_cur or same_prev)
            if ok[g]:
                nvalid += 1
        if nvalid == 0:
            g = min(int(u[i] * k), k - 1)
        else:
            pick = min(int(u[i] * nvalid), nvalid - 1)
            g = 0
            while True:
                if ok[g]:
                    if pick == 0:
                        break
                    pick -= 1
                g += 1
        moves[i] = g
        for j in range(n):
            out[i, j] = cur[i, perms[g, j]]


# -------------------------------------------------------------------------------------
# batch kernels for the beam's hot path: unpacking and the classical heuristics
# -------------------------------------------------------------------------------------
_ROWS = 2048  # rows per parallel chunk


def decode_parallel(keys: np.ndarray, n: int, bits: int) -> np.ndarray:
    """Unpack (m, W) uint64 rows into (m, n) states, in parallel chunks: uint8 entries when
    the symbols fit (a beam of 2^20 states x 30 gens is then 0.9 GB, not 7 GB of int64)."""
    out = np.empty((keys.shape[0], n), np.uint8 if bits <= 8 else np.int64)
    _decode_into(keys, bits, out)
    return out


@njit(cache=True, parallel=True)
def _decode_into(keys: np.ndarray, bits: int, out: np.ndarray) -> None:
    m, n = out.shape
    words = keys.shape[1]
    per = 64 // bits
    mask = np.uint64((1 << bits) - 1)
    shift = np.uint64(bits)
    for c in prange((m + _ROWS - 1) // _ROWS):
        for i in range(c * _ROWS, min(m, (c + 1) * _ROWS)):
            j = 0
            for w in range(words):  # peel each word field by field: no division per entry
                x = keys[i, w]
                for _ in range(per):
                    if j == n:
                        break
                    out[i, j] = x & mask
                    x >>= shift
                    j += 1


@njit(cache=True, parallel=True)
def hamming(states: np.ndarray, target: np.ndarray) -> np.ndarray:
    m, n = states.shape
    out = np.empty(m, np.float64)
    for c in prange((m + _ROWS - 1) // _ROWS):
        for i in range(c * _ROWS, min(m, (c + 1) * _ROWS)):
            h = 0
            for j in range(n):
                if states[i, j] != target[j]:
                    h += 1
            out[i] = h
    return out


@njit(cache=True, parallel=True)
def breakpoints(states: np.ndarray, pos: np.ndarray, pancake: bool) -> np.ndarray:
    """Breakpoints of each state relabelled by ``pos`` (the target reads 0..n-1):
    pancake: adjacent pairs not differing by one, plus the plate (last != n-1);
    reversals: framed by -1 and n at both ends, halved."""
    m, n = states.shape
    out = np.empty(m, np.float64)
    for c in prange((m + _ROWS - 1) // _ROWS):
        for i in range(c * _ROWS, min(m, (c + 1) * _ROWS)):
            prev = pos[states[i, 0]]
            b = 0
            if not pancake and prev != 0:
                b += 1
            for j in range(1, n):
                cur = pos[states[i, j]]
                dlt = cur - prev
                if dlt != 1 and dlt != -1:
                    b += 1
                prev = cur
            if prev != n - 1:
                b += 1
            out[i] = b if pancake else b / 2.0
    return out
