"""numba CPU kernels of the rank engine for matrix groups over Z/m.

A state (an ``n x c`` matrix over Z/m, row-major) is ranked as its entries read as a
base-``m`` number (:class:`~cayley.backends.ranking.MixedRadixRanking`), so the codes
cover all ``m ** (n * c)`` matrices: 2 bits each, in the flat layout of the multiset
ranks (:class:`~cayley.backends.numba_rank.MultisetLayout`). The primitives are those
of :class:`~cayley.backends.numba_rank.NumbaRankKernels` with the layer kernel replaced
(:func:`~cayley.backends.numba_flat_rank.matrix_layer`).
"""

from __future__ import annotations

import numpy as np

from .actions import MatrixAction
from .numba_codes import num_threads
from .numba_flat_rank import matrix_layer
from .numba_rank import NumbaRankKernels

__all__ = ["matrix_layer", "NumbaMatrixRankKernels"]


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
