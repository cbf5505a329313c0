"""How a generator set acts on packed states, as the backends' ``expand`` sees it.

Permutation generators are passed as a ``(k, n)`` int64 array (a gather,
``s'[j] = s[p[j]]``). Matrix generators over Z/m are passed as a :class:`MatrixAction`:
a state is an ``n x cols`` matrix stored row-major (``n * cols`` entries, one symbol
each), and generator ``A`` sends it to ``A @ S mod m`` (left multiplication).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["MatrixAction", "apply_matrix_action"]


class MatrixAction(NamedTuple):
    """Matrix generators ``mats`` (int64, ``(k, n, n)``, entries ``0 .. modulus-1``)
    acting by left multiplication mod ``modulus`` on ``n x cols`` states.

    >>> a = MatrixAction(np.array([[[1, 1], [0, 1]]]), 5, 1)
    >>> len(a), a.state_length
    (1, 2)
    """

    mats: np.ndarray
    modulus: int
    cols: int

    def __len__(self) -> int:  # number of generators, like len(perms)
        return int(self.mats.shape[0])

    @property
    def state_length(self) -> int:
        return int(self.mats.shape[1]) * int(self.cols)

    @property
    def shape(self) -> tuple[int, int]:
        """``(k, state_length)``, as ``perms.shape`` for a gather."""
        return (len(self), self.state_length)


def apply_matrix_action(action: MatrixAction, states: np.ndarray) -> np.ndarray:
    """Reference (numpy) action on unpacked states: ``(m, L) -> (m * k, L)``, row
    ``i * k + g`` is state ``i`` acted on by generator ``g``.

    >>> a = MatrixAction(np.array([[[1, 1], [0, 1]], [[1, 0], [1, 1]]]), 5, 1)
    >>> apply_matrix_action(a, np.array([[1, 4]])).tolist()
    [[0, 4], [1, 0]]
    """
    k, n, _ = action.mats.shape
    s = np.asarray(states, dtype=np.int64).reshape(-1, n, action.cols)
    # entries < m <= 2**31: reduce each product before summing, so nothing overflows
    prods = np.mod(action.mats[None, :, :, :, None] * s[:, None, None, :, :], action.modulus)
    out = np.mod(prods.sum(axis=3), action.modulus)
    return out.reshape(len(s) * k, n * action.cols)
