"""The scalar :class:`Permutation`: one permutation as an immutable, hashable value.

Bulk work uses plain arrays and the kernels of :mod:`cayley.groups.perm`; this class is
the user-facing face of one element (printing, parsing, sympy interchange).

>>> Permutation.parse("(0 1 2)", 4) * Permutation([1, 0, 2, 3])
Permutation([2, 1, 0, 3])
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from ..errors import DegreeMismatchError
from .notation import parse_permutation
from .perm import act, check_permutation, compose, cycles, element_order, from_cycles, identity, inverse, parity

__all__ = ["Permutation"]


class Permutation:
    """A single permutation of 0..n-1 in one-line notation; immutable and hashable.

    ``p * q`` is "first p, then q" (``compose(p, q)``), ``s ^ p`` is not defined:
    use :func:`act`. Calling a permutation on an array acts on it.

    >>> p = Permutation([1, 2, 0])
    >>> p, p.inverse(), p * p.inverse() == Permutation.identity(3)
    (Permutation([1, 2, 0]), Permutation([2, 0, 1]), True)
    >>> p.cycles(), p.order, p.parity
    ([(0, 1, 2)], 3, 0)
    >>> p([10, 20, 30]).tolist()
    [20, 30, 10]
    """

    __slots__ = ("_a", "_hash")

    _a: NDArray[np.int64]
    _hash: int

    def __init__(self, one_line: ArrayLike | Permutation) -> None:
        if isinstance(one_line, Permutation):
            self._a = one_line._a
        else:
            a = check_permutation(one_line).copy()
            a.setflags(write=False)
            self._a = a
        self._hash = hash(self._a.tobytes())

    @classmethod
    def identity(cls, n: int) -> "Permutation":
        """The identity of degree ``n``."""
        return cls(identity(n))

    @classmethod
    def from_cycles(cls, cycs: Iterable[Sequence[int]], n: int | None = None) -> "Permutation":
        """From 0-based disjoint cycles, e.g. ``Permutation.from_cycles([(0, 1)], 3)``."""
        return cls(from_cycles(cycs, n))

    @classmethod
    def parse(cls, text: str, n: int | None = None) -> "Permutation":
        """Parse one-line, 0-based cycle or 1-based GAP notation (see :mod:`cayley.groups.notation`)."""
        return cls(parse_permutation(text, n))

    @property
    def array(self) -> NDArray[np.int64]:
        """The one-line array (read-only)."""
        return self._a

    @property
    def degree(self) -> int:
        return int(self._a.shape[0])

    @property
    def order(self) -> int:
        return element_order(self._a)

    @property
    def parity(self) -> int:
        return parity(self._a)

    def cycles(self, include_fixed: bool = False) -> list[tuple[int, ...]]:
        return cycles(self._a, include_fixed=include_fixed)

    def inverse(self) -> "Permutation":
        return Permutation(inverse(self._a))

    def __mul__(self, other: "Permutation") -> "Permutation":
        if not isinstance(other, Permutation):
            return NotImplemented
        if other.degree != self.degree:
            raise DegreeMismatchError(f"degrees differ: {self.degree} and {other.degree}")
        return Permutation(compose(self._a, other._a))

    def __pow__(self, k: int) -> "Permutation":
        base = self if k >= 0 else self.inverse()
        result = identity(self.degree)
        b = base._a
        k = abs(k)
        while k:
            if k & 1:
                result = compose(result, b)
            b = compose(b, b)
            k >>= 1
        return Permutation(result)

    # numpy interop: np.asarray(p) is the one-line array, so compose(p, q), act(s, p) and
    # check_permutation(p) accept a Permutation; ufuncs are refused (``arr * p`` would
    # otherwise silently multiply entries instead of composing).
    __array_ufunc__ = None

    def __array__(self, dtype: DTypeLike | None = None, copy: bool | None = None) -> NDArray[Any]:
        if copy is False and dtype is not None and np.dtype(dtype) != self._a.dtype:
            raise ValueError("Permutation: a dtype conversion needs a copy")
        a = self._a if dtype is None else self._a.astype(dtype)
        return a.copy() if copy else a

    def __call__(self, state: ArrayLike) -> NDArray[Any]:
        return act(np.asarray(state), self._a)

    def __len__(self) -> int:
        return self.degree

    def __iter__(self) -> Iterator[int]:
        return iter(self._a.tolist())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Permutation) and np.array_equal(self._a, other._a)

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Permutation({self._a.tolist()})"

    def cycle_notation(self) -> str:
        """0-based cycle notation, ``'()'`` for the identity.

        >>> Permutation([1, 0, 3, 2]).cycle_notation()
        '(0 1)(2 3)'
        """
        cs = self.cycles()
        return "".join("(" + " ".join(map(str, c)) + ")" for c in cs) or "()"

    def gap_notation(self) -> str:
        """1-based GAP cycle notation, ``'()'`` for the identity.

        >>> Permutation([1, 0, 3, 2]).gap_notation()
        '(1,2)(3,4)'
        """
        cs = self.cycles()
        return "".join("(" + ",".join(str(x + 1) for x in c) + ")" for c in cs) or "()"

    def to_sympy(self) -> Any:
        """The sympy ``Permutation`` with the same array form.

        sympy multiplies left to right (``(p*q)(i) = q(p(i))``) on images, which is the
        opposite order of our gather action: ``compose(p, q)`` corresponds to sympy's
        ``Q * P`` where ``P = p.to_sympy()``.
        """
        from sympy.combinatorics import Permutation as SymPerm

        return SymPerm(self._a.tolist())

    @classmethod
    def from_sympy(cls, sp: Any, n: int | None = None) -> "Permutation":
        """From a sympy ``Permutation`` (same array form), padded to degree ``n``."""
        a = list(sp.array_form)
        if n is not None:
            if len(a) > n:
                if any(a[i] != i for i in range(n, len(a))):
                    raise DegreeMismatchError(f"sympy permutation {sp} moves points beyond degree {n}")
                a = a[:n]
            a = a + list(range(len(a), n))
        return cls(a)
