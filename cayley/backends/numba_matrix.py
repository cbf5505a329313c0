"""numba CPU kernels for matrix generators over Z/m (the hash engine's ``expand``).

The matrix counterpart of :func:`cayley.backends.numba_hash.expand`: the same bit-packed
rows of 64-bit words, the same output layout (row ``i * k + g`` is state ``i`` acted on
by generator ``g``), but a generator multiplies the state (an ``n x cols`` matrix stored
row-major) from the left mod ``m`` instead of gathering its symbols.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .actions import MatrixAction
from .numba_codes import span
from .numba_hash import threads_for
from .threads import run_threads

__all__ = ["expand_matrix"]

# below this modulus a row of products sums without overflow (n * m^2 < 2**63 for any
# n < 2**23), so the sum is reduced once; above it each product is reduced first
_SUM_THEN_REDUCE = 1 << 20


@njit(cache=True, inline="always")
def _expand_matrix_rows(keys, mats, modulus, cols, bits, out, lo, hi):
    k, n, _ = mats.shape
    length = n * cols
    per = 64 // bits
    mask = np.uint64((1 << bits) - 1)
    s = np.empty(length, np.int64)
    each = modulus > _SUM_THEN_REDUCE
    for i in range(lo, hi):
        for j in range(length):
            s[j] = np.int64((keys[i, j // per] >> np.uint64((j % per) * bits)) & mask)
        for g in range(k):
            r = i * k + g
            for a in range(n):
                for c in range(cols):
                    acc = np.int64(0)
                    if each:
                        for b in range(n):
                            acc = (acc + (mats[g, a, b] * s[b * cols + c]) % modulus) % modulus
                    else:
                        for b in range(n):
                            acc += mats[g, a, b] * s[b * cols + c]
                        acc %= modulus
                    j = a * cols + c
                    out[r, j // per] |= np.uint64(acc) << np.uint64((j % per) * bits)


@njit(cache=True, nogil=True)
def _expand_matrix_thread(t, nthreads, keys, mats, modulus, cols, bits, out):
    lo, hi = span(t, nthreads, keys.shape[0])
    _expand_matrix_rows(keys, mats, modulus, cols, bits, out, lo, hi)


def expand_matrix(keys: np.ndarray, action: MatrixAction, bits: int) -> np.ndarray:
    """All neighbours of packed matrix states: ``(m, words) -> (m * k, words)``.

    >>> from .numba_hash import encode, decode
    >>> act = MatrixAction(np.array([[[1, 1], [0, 1]], [[1, 0], [1, 1]]]), 5, 1)
    >>> keys = encode(np.array([[1, 4]]), 3, 1)
    >>> decode(expand_matrix(keys, act, 3), 2, 3).tolist()
    [[0, 4], [1, 0]]
    """
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    mats = np.ascontiguousarray(action.mats, dtype=np.int64)
    out = np.zeros((keys.shape[0] * mats.shape[0], keys.shape[1]), np.uint64)
    nt = threads_for(out.shape[0])
    run_threads(_expand_matrix_thread, nt, nt, keys, mats, np.int64(action.modulus), np.int64(action.cols),
                np.int64(bits), out)
    return out
