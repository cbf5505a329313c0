"""How a generator set acts on states: one object per kind of action, with one method.

:class:`PermutationAction` holds ``(k, n)`` permutations acting by a gather,
``s'[j] = s[p[j]]`` (plain permutations, strings, signed permutations and puzzles, whose
pieces are blocks of positions). :class:`MatrixAction` holds matrices over Z/m: a state
is an ``n x cols`` matrix stored row-major (``n * cols`` entries, one symbol each), and
generator ``A`` sends it to ``A @ S mod m`` (left multiplication).

Both have the same method, :meth:`~PermutationAction.apply` (the reference action on
unpacked states), and answer the questions the engines and front ends ask about a state
space, so that none of them branches on the kind of generators:

- :meth:`~PermutationAction.ambient_size`: how many states of the start's shape there are
  (the memory plans' and budgets' bound on an orbit);
- :attr:`~PermutationAction.permutes_positions`: whether generators move entries between
  positions (states are arrangements of the start's symbols: position symmetries,
  one-hot inputs and the arrangements' count as a rank engine's work apply);
- :attr:`~PermutationAction.relabels_symbols`: whether a start's symbols are renumbered
  ``0 .. k-1`` (so states are printed back in the symbols as written);
- :attr:`~PermutationAction.independent_order`: whether the orbit's size is known without
  a search (to check a finished one against);
- :attr:`~PermutationAction.rank_families` and :attr:`~PermutationAction.rank_limit`: which
  rank kernels run it (:data:`cayley.backends.registry.RANK_KERNEL_NAMES`: all of them, or
  numba's ``cpu`` alone), and what its perfect ranking needs (:attr:`~PermutationAction.what`
  names the kind in messages);
- :meth:`~PermutationAction.definition`: the generators as plain data (a results store's key).

The kernels take either object (a ``(k, n)`` array is still accepted as a gather).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial
from typing import Any, ClassVar, NamedTuple, Union

import numpy as np

__all__ = ["PermutationAction", "MatrixAction", "as_perms"]

_ALL_FAMILIES = ("cpu", "torch", "fused", "distributed")


@dataclass(frozen=True, eq=False)
class PermutationAction:
    """Permutations ``perms`` (int64, ``(k, n)``) acting on positions by a gather.

    >>> a = PermutationAction(np.array([[1, 2, 0], [1, 0, 2]]))
    >>> len(a), a.state_length, a.shape
    (2, 3, (2, 3))
    >>> a.apply(np.array([[0, 0, 1]])).tolist()
    [[0, 1, 0], [0, 0, 1]]
    >>> a.ambient_size(np.array([0, 0, 1])), a.rank_families
    (3, ('cpu', 'torch', 'fused', 'distributed'))
    """

    perms: np.ndarray

    what: ClassVar[str] = "permutations"
    permutes_positions: ClassVar[bool] = True
    relabels_symbols: ClassVar[bool] = True
    independent_order: ClassVar[bool] = True
    rank_families: ClassVar[tuple[str, ...]] = _ALL_FAMILIES
    rank_limit: ClassVar[str] = (
        "needs states with a perfect ranking (permutations of up to 15 symbols, or strings with as many arrangements)"
    )

    def __len__(self) -> int:  # number of generators
        return int(self.perms.shape[0])

    @property
    def state_length(self) -> int:
        return int(self.perms.shape[1])

    @property
    def shape(self) -> tuple[int, int]:
        """``(k, state_length)``."""
        return (len(self), self.state_length)

    def apply(self, states: np.ndarray) -> np.ndarray:
        """The action on unpacked states: ``(m, L) -> (m * k, L)``, row ``i * k + g`` is
        state ``i`` acted on by generator ``g``."""
        s = np.asarray(states, dtype=np.int64).reshape(-1, self.state_length)
        out: np.ndarray = s[:, self.perms].reshape(-1, self.state_length)
        return out

    def ambient_size(self, start: np.ndarray) -> int:
        """The number of arrangements of ``start``'s symbols: n! for distinct ones, the
        multinomial coefficient for strings."""
        size = factorial(len(start))
        for c in np.bincount(np.asarray(start).reshape(-1)):
            size //= factorial(int(c))
        return size

    def definition(self) -> dict[str, Any]:
        """The generators as plain data (lists of ints)."""
        return {"degree": self.state_length, "generators": self.perms.tolist()}


class MatrixAction(NamedTuple):
    """Matrix generators ``mats`` (int64, ``(k, n, n)``, entries ``0 .. modulus-1``)
    acting by left multiplication mod ``modulus`` on ``n x cols`` states.

    >>> a = MatrixAction(np.array([[[1, 1], [0, 1]], [[1, 0], [1, 1]]]), 5, 1)
    >>> len(a), a.state_length, a.shape
    (2, 2, (2, 2))
    >>> a.apply(np.array([[1, 4]])).tolist()
    [[0, 4], [1, 0]]
    >>> a.ambient_size(np.array([1, 4])), a.rank_families, a.permutes_positions
    (25, ('cpu',), False)
    """

    mats: np.ndarray
    modulus: int
    cols: int

    # matrices are ranked over all m**entries of them, far more than an orbit; their
    # orbits are counted by a search, and only numba has matrix rank kernels
    what: ClassVar[str] = "matrix groups"
    permutes_positions: ClassVar[bool] = False
    relabels_symbols: ClassVar[bool] = False
    independent_order: ClassVar[bool] = False
    rank_families: ClassVar[tuple[str, ...]] = ("cpu",)

    def __len__(self) -> int:  # number of generators, like len(perms)
        return int(self.mats.shape[0])

    @property
    def state_length(self) -> int:
        return int(self.mats.shape[1]) * int(self.cols)

    @property
    def shape(self) -> tuple[int, int]:
        """``(k, state_length)``, as for permutations."""
        return (len(self), self.state_length)

    @property
    def rank_limit(self) -> str:
        return (
            f"needs m**(entries) <= 2**41 ranks (one per matrix over Z/m), here {self.modulus}**{self.state_length}"
        )

    def apply(self, states: np.ndarray) -> np.ndarray:
        """The action on unpacked states: ``(m, L) -> (m * k, L)``, row ``i * k + g`` is
        state ``i`` acted on by generator ``g``."""
        k, n, _ = self.mats.shape
        s = np.asarray(states, dtype=np.int64).reshape(-1, n, self.cols)
        # entries < m <= 2**31: reduce each product before summing, so nothing overflows
        prods = np.mod(self.mats[None, :, :, :, None] * s[:, None, None, :, :], self.modulus)
        out = np.mod(prods.sum(axis=3), self.modulus)
        return out.reshape(len(s) * k, n * self.cols)

    def ambient_size(self, start: np.ndarray) -> int:
        """``m ** entries``: every matrix of the start's shape."""
        return int(self.modulus) ** int(np.asarray(start).size)

    def definition(self) -> dict[str, Any]:
        """The generators as plain data: the kind, the modulus and the matrices."""
        return {
            "kind": "matrix",
            "modulus": int(self.modulus),
            "degree": int(self.mats.shape[1]),
            "generators": self.mats.tolist(),
        }


#: Either action.
Action = Union[PermutationAction, MatrixAction]


def as_perms(action: Any) -> np.ndarray:
    """The ``(k, n)`` permutations of a gather, given as a :class:`PermutationAction` or
    as the array itself (the kernels accept both).

    >>> as_perms(PermutationAction(np.array([[1, 0]]))).tolist(), as_perms(np.array([[1, 0]])).tolist()
    ([[1, 0]], [[1, 0]])
    """
    if isinstance(action, PermutationAction):
        return action.perms
    return np.asarray(action)
