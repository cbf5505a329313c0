"""CPU backend (numba): the hash engine's primitives.

``encode``/``decode`` pack states into rows of 64-bit words, ``expand`` applies every
generator to a batch of packed states in one kernel, and ``key_set`` makes an exact set
of packed states whose ``add_new`` inserts a batch and returns the states it had not
seen (the dedup and set difference of a BFS step).
"""

from __future__ import annotations

import numpy as np

from .actions import MatrixAction, as_perms
from .numba_hash import ShardedKeySet, decode as _decode, encode as _encode, expand as _expand
from .numpy_sets import SortedRowSet
from .packing import packing

NAME = "cpu"

__all__ = ["NAME", "packing", "encode", "decode", "expand", "key_set", "concat", "to_numpy", "from_numpy"]


def encode(states: np.ndarray, bits: int, words: int) -> np.ndarray:
    """(m, n) states -> (m, words) uint64."""
    return _encode(np.ascontiguousarray(states, dtype=np.int64), bits, words)


def decode(keys: np.ndarray, n: int, bits: int) -> np.ndarray:
    """(m, words) uint64 -> (m, n) int64 states."""
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    return _decode(keys.reshape(len(keys), -1), n, bits)


def expand(keys: np.ndarray, action, bits: int) -> np.ndarray:
    """(m, words) packed states -> (m * k, words): row i*k+g is state i acted on by g.

    ``action`` is a :class:`~cayley.backends.actions.PermutationAction` (or its ``(k, n)``
    array; a gather) or a :class:`~cayley.backends.actions.MatrixAction` (left
    multiplication mod m).
    """
    if isinstance(action, MatrixAction):
        from .numba_matrix import expand_matrix

        return expand_matrix(keys, action, bits)
    return _expand(np.ascontiguousarray(keys, dtype=np.uint64), as_perms(action), bits)


class _OneWordSet:
    """Adapter: one-word rows (m, 1) over the sharded uint64 key set."""

    def __init__(self, capacity: int):
        self._set = ShardedKeySet(capacity=capacity)

    def __len__(self) -> int:
        return len(self._set)

    @property
    def nbytes(self) -> int:
        return self._set.nbytes

    def add_new(self, rows: np.ndarray) -> np.ndarray:
        return self._set.add_new(rows.reshape(-1)).reshape(-1, 1)


def concat(parts: list[np.ndarray]) -> np.ndarray:
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def to_numpy(a: np.ndarray) -> np.ndarray:
    return a


def from_numpy(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.uint64)


def key_set(words: int, capacity: int = 0):
    """An empty exact set of packed states of ``words`` words."""
    if words == 1:
        return _OneWordSet(capacity)
    return SortedRowSet(words, capacity)
