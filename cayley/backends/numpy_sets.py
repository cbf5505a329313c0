"""Exact sets of multi-word packed states (rows of uint64), by sorting.

Used by the hash engine when a packed state needs more than one 64-bit word. Rows are
compared in full, never by a hash alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def unique_rows(rows: np.ndarray) -> np.ndarray:
    """Sorted distinct rows.

    >>> unique_rows(np.array([[2, 1], [1, 5], [2, 1]], dtype=np.uint64)).tolist()
    [[1, 5], [2, 1]]
    """
    if len(rows) == 0:
        return rows
    return np.unique(rows, axis=0)


def setdiff_sorted_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Rows of sorted distinct ``a`` that are not rows of sorted distinct ``b``.

    >>> a = np.array([[1, 5], [2, 1], [3, 0]], dtype=np.uint64)
    >>> setdiff_sorted_rows(a, np.array([[2, 1]], dtype=np.uint64)).tolist()
    [[1, 5], [3, 0]]
    """
    if len(a) == 0 or len(b) == 0:
        return a
    both = np.concatenate([b, a])
    tag = np.concatenate([np.zeros(len(b), np.int8), np.ones(len(a), np.int8)])
    keys = (tag,) + tuple(both[:, c] for c in range(both.shape[1] - 1, -1, -1))
    order = np.lexsort(keys)
    s, t = both[order], tag[order]
    dup = np.zeros(len(s), bool)
    dup[1:] = np.all(s[1:] == s[:-1], axis=1)
    return s[(t == 1) & ~dup]


class SortedRuns:
    """Exact set of packed states kept as a few sorted runs of distinct rows: a batch is
    made distinct, its rows already in a run are dropped, and what is left becomes a new
    run (all runs are merged into one when there are more than ``MAX_PARTS``). Subclasses
    give the array operations (numpy here, torch in :mod:`.torch_hash`).
    """

    MAX_PARTS = 8

    def __init__(self, words: int) -> None:
        self.words = words
        self.parts: list[Any] = []

    def __len__(self) -> int:
        return sum(len(p) for p in self.parts)

    @property
    def nbytes(self) -> int:
        return sum(int(p.nbytes) for p in self.parts)

    def add_new(self, rows: Any) -> Any:
        """Insert ``rows``; return those that were not in the set (each once, sorted)."""
        new = self.unique(self.as_rows(rows))
        for part in self.parts:
            new = self.setdiff(new, part)
        if len(new):
            self.parts.append(new)
            if len(self.parts) > self.MAX_PARTS:  # keep membership tests few
                self.parts = [self.merge(self.parts)]
        return new

    # -- the array operations -------------------------------------------------------------
    def as_rows(self, rows: Any) -> Any:
        """``rows`` as a ``(m, words)`` array of the subclass's kind."""
        raise NotImplementedError

    def unique(self, rows: Any) -> Any:
        """Sorted distinct rows."""
        raise NotImplementedError

    def setdiff(self, new: Any, part: Any) -> Any:
        """Rows of sorted distinct ``new`` that are not in the run ``part``."""
        raise NotImplementedError

    def merge(self, parts: list[Any]) -> Any:
        """One sorted run of the rows of ``parts`` (disjoint runs)."""
        raise NotImplementedError


class SortedRowSet(SortedRuns):
    """Exact set of packed multi-word states kept as sorted numpy row arrays.

    >>> rs = SortedRowSet(words=2)
    >>> rs.add_new(np.array([[1, 2], [1, 2], [3, 4]], dtype=np.uint64)).tolist()
    [[1, 2], [3, 4]]
    >>> rs.add_new(np.array([[3, 4], [0, 9]], dtype=np.uint64)).tolist(), len(rs)
    ([[0, 9]], 3)
    """

    def __init__(self, words: int, capacity: int = 0):
        super().__init__(words)

    def as_rows(self, rows: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(rows, dtype=np.uint64).reshape(-1, self.words)

    def unique(self, rows: np.ndarray) -> np.ndarray:
        return unique_rows(rows)

    def setdiff(self, new: np.ndarray, part: np.ndarray) -> np.ndarray:
        return setdiff_sorted_rows(new, part)

    def merge(self, parts: list[np.ndarray]) -> np.ndarray:
        merged = np.concatenate(parts)
        return merged[np.lexsort(tuple(merged[:, c] for c in range(self.words - 1, -1, -1)))]
