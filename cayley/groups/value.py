"""Value semantics shared by the generator sets: equal when their arrays and names (and, for
matrices, the modulus) are equal, hashable by the same key.

>>> from cayley.groups.generator_set import GeneratorSet
>>> a = GeneratorSet.from_perms([[1, 0, 2]], ["s"])
>>> a == GeneratorSet.from_perms([[1, 0, 2]], ["s"]), a == GeneratorSet.from_perms([[1, 0, 2]], ["t"])
(True, False)
"""

from __future__ import annotations


class KeyedValue:
    """Equality and hash by :meth:`_key` between instances of the same class."""

    __slots__ = ()

    def _key(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())
