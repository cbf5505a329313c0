"""What the generator sets (of permutations and of matrices) share: value semantics (equal
when their arrays and names, and for matrices the modulus, are equal; hashable by the same
key), read-only arrays, the checks of their names and the positions of their inverses.

>>> from cayley.groups.generator_set import GeneratorSet
>>> a = GeneratorSet.from_perms([[1, 0, 2]], ["s"])
>>> a == GeneratorSet.from_perms([[1, 0, 2]], ["s"]), a == GeneratorSet.from_perms([[1, 0, 2]], ["t"])
(True, False)
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from ..errors import InvalidInputError


class KeyedValue:
    """Equality and hash by :meth:`_key` between instances of the same class."""

    __slots__ = ()

    def _key(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class NamedGenerators(KeyedValue):
    """What the two generator sets share beyond value semantics: generators looked up by
    name, the inverse index and the family label. Subclasses (frozen dataclasses) hold the
    fields named here."""

    __slots__ = ()
    names: tuple[str, ...]
    family: str | None
    params: tuple[tuple[str, object], ...]
    inverse_index: np.ndarray

    def position(self, key: int | str) -> int:
        """The index of the generator ``key``: a position, or a name looked up.

        >>> from cayley.groups.generator_set import GeneratorSet
        >>> GeneratorSet.from_perms([[1, 0, 2], [0, 2, 1]], ["a", "b"]).position("b")
        1
        """
        if not isinstance(key, str):
            return key
        try:
            return self.names.index(key)
        except ValueError:
            raise KeyError(f"no generator named {key!r}; names are {list(self.names)}") from None

    @property
    def inverse_closed(self) -> bool:
        """Whether the inverse of every generator is in the set (undirected Cayley graph)."""
        return bool(np.all(self.inverse_index >= 0))

    def family_label(self) -> str:
        """The family with its parameters, ``lrx(n=5, k=1)``, or ``""`` for a set of no family.

        >>> from cayley.groups.library import generators
        >>> generators("lrx", 5).family_label()
        'lrx(n=5, k=1)'
        """
        if not self.family:
            return ""
        return self.family + "(" + ", ".join(f"{k}={v!r}" for k, v in self.params) + ")"


def frozen(a: np.ndarray) -> np.ndarray:
    """``a`` as a read-only contiguous int64 array (a copy only when needed).

    >>> frozen(np.array([1, 2])).flags.writeable
    False
    """
    a = np.ascontiguousarray(a, dtype=np.int64)
    a.setflags(write=False)
    return a


def checked_names(names: Iterable[object], count: int) -> tuple[str, ...]:
    """The names of ``count`` generators as strings: at least one generator, one name
    each, no name twice.

    >>> checked_names(["a", "b"], 2)
    ('a', 'b')
    >>> checked_names(["a", "a"], 2)
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: generator names must be distinct, repeated: ['a']
    """
    if count == 0:
        raise InvalidInputError("a generator set needs at least one generator")
    out = tuple(str(x) for x in names)
    if len(out) != count:
        raise InvalidInputError(f"{len(out)} names for {count} generators")
    if len(set(out)) != len(out):
        dup = sorted({x for x in out if out.count(x) > 1})
        raise InvalidInputError(f"generator names must be distinct, repeated: {dup}")
    return out


def inverse_positions(elements: np.ndarray, inverses: np.ndarray) -> np.ndarray:
    """For each ``inverses[i]``, the first position of an equal element in ``elements``,
    or -1 where there is none (read-only int64).

    >>> inverse_positions(np.array([[1, 2, 0], [2, 0, 1]]), np.array([[2, 0, 1], [1, 2, 0]])).tolist()
    [1, 0]
    """
    keys = {a.tobytes(): i for i, a in reversed(list(enumerate(elements)))}
    return frozen(np.array([keys.get(q.tobytes(), -1) for q in inverses], dtype=np.int64))
