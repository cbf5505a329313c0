"""numba CPU kernels of the rank engine for matrix groups over Z/m.

A state (an ``n x c`` matrix over Z/m, row-major) is ranked as its entries read as a
base-``m`` number (:class:`~cayley.backends.ranking.MixedRadixRanking`), so the codes
cover all ``m ** (n * c)`` matrices: 2 bits each, in the flat layout of the multiset
ranks (:class:`~cayley.backends.numba_rank.MultisetLayout`). The primitives are those
of :class:`~cayley.backends.numba_rank.NumbaRankKernels` with the layer kernel replaced.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .actions import MatrixAction
from .numba_rank import (
    NumbaRankKernels,
    _frontier_bits,
    _next_block,
    atomic_add,
    atomic_load,
    atomic_or,
    num_threads,
)
from .ranking import cttz, popcount

__all__ = ["matrix_layer", "NumbaMatrixRankKernels"]


@njit(cache=True, parallel=True)
def matrix_layer(codes, flags, flags_next, mats, modulus, cols, bwords, shift, code_f, rec, nthreads, probe):
    """:func:`~cayley.backends.numba_rank.multiset_layer` for matrix states: a rank is the
    state's entries read as a base-``modulus`` number (row-major, first entry most
    significant); generator ``g`` maps state ``S`` to ``mats[g] @ S mod modulus``.

    Same contract: unseen neighbours of the frontier (code ``code_f``) get ``3 - code_f``
    (an atomic OR; the old value says who found a state, so counts are exact), the
    frontier becomes done, blocks receiving states are flagged in ``flags_next``; with
    ``probe`` it returns 1 if any neighbour is unseen and writes nothing.
    """
    k, n, _ = mats.shape
    length = n * cols
    ctl = np.zeros(3, np.int64)
    newc = np.zeros(nthreads, np.int64)
    code_n = np.uint64(3 - code_f)
    one = np.uint64(1)
    recording = rec.shape[0] > 0
    for t in prange(nthreads):
        s = np.empty(length, np.int64)
        cnt = 0
        cur = 0
        end = 0
        while True:
            b, cur, end = _next_block(flags, ctl, cur, end, False)
            if b < 0:
                break
            if probe and atomic_load(ctl, 2) != 0:
                break
            wbase = b * bwords
            pos = 0
            if recording:
                c = 0
                for w in range(bwords):
                    c += np.int64(popcount(_frontier_bits(atomic_load(codes, wbase + w), code_f)))
                pos = atomic_add(ctl, 1, c)
            stop = False
            for w in range(bwords):
                fm = _frontier_bits(atomic_load(codes, wbase + w), code_f)
                if fm == 0:
                    continue
                conv = fm << one if code_f == 1 else fm
                while fm:
                    tz = np.int64(cttz(fm))
                    fm &= fm - one
                    r = (wbase + w) * 32 + (tz >> 1)
                    if recording:
                        rec[pos] = r
                        pos += 1
                    for i in range(length - 1, -1, -1):  # unrank: base-m digits
                        s[i] = r % modulus
                        r //= modulus
                    for g in range(k):
                        idx = np.int64(0)
                        for a in range(n):
                            for cc in range(cols):
                                acc = np.int64(0)
                                # modulus**length <= 2**41, so n * m^2 cannot overflow
                                for bb in range(n):
                                    acc += mats[g, a, bb] * s[bb * cols + cc]
                                idx = idx * modulus + acc % modulus
                        wi = idx >> 5
                        sh = np.uint64((idx & 31) << 1)
                        if (atomic_load(codes, wi) >> sh) & np.uint64(3) == 0:
                            if probe:
                                ctl[2] = 1
                                stop = True
                                break
                            old = atomic_or(codes, wi, code_n << sh)
                            if (old >> sh) & np.uint64(3) == 0:
                                cnt += 1
                                if flags_next[idx >> shift] == 0:
                                    flags_next[idx >> shift] = 1
                    if stop:
                        break
                if stop:
                    break
                if not probe:
                    atomic_or(codes, wbase + w, conv)
            if stop:
                break
        newc[t] = cnt
    if probe:
        return ctl[2]
    return newc.sum()


class NumbaMatrixRankKernels(NumbaRankKernels):
    """The rank engine's CPU primitives for matrix groups over Z/m: the codes cover all
    ``m ** (n * c)`` matrices (:class:`~cayley.backends.ranking.MixedRadixRanking`, flat
    layout), layers are found top-down only (no pull).

    >>> from cayley.backends.ranking import MixedRadixRanking
    >>> from cayley.backends.numba_rank import MultisetLayout
    >>> r = MixedRadixRanking(3, 2)  # vectors of (Z/3)^2
    >>> act = MatrixAction(np.array([[[1, 1], [0, 1]], [[1, 0], [1, 1]]]), 3, 1)
    >>> k = NumbaMatrixRankKernels(r, MultisetLayout(r), act)
    >>> k.reset(int(r.rank([[1, 0]])[0])); k.push(1, record_size=1)[0]  # (1,0) -> (1,0) and (1,1)
    1
    >>> r.unrank(k.extract(2)).tolist()
    [[1, 1]]
    """

    def __init__(self, ranking, lay, action: MatrixAction):
        self.ranking, self.lay = ranking, lay
        self.action = action
        self.mats = np.ascontiguousarray(action.mats, dtype=np.int64)
        self.perms = None
        self.nthreads = num_threads()
        self.codes = self.flags = None
        self.can_pull = False

    def _layer(self, flags_next, code_f, rec, probe):
        lay = self.lay
        return matrix_layer(
            self.codes, self.flags, flags_next, self.mats, np.int64(self.action.modulus), np.int64(self.action.cols),
            lay.bwords, lay.shift, code_f, rec, self.nthreads, probe,
        )
