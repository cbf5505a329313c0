"""Named generator sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..errors import DegreeMismatchError, InvalidInputError
from .arithmetic import is_prime
from .perm import check_permutation, compose, identity, inverse, short_repr
from .permutation import Permutation
from .value import NamedGenerators, checked_names, frozen, inverse_positions

__all__ = ["GeneratorSet", "MAX_GENERATORS", "MAX_GENERATOR_ENTRIES", "check_generator_count", "giant_order"]

#: Most generators a family, a spec or a GAP file may define (checked before enumerating).
MAX_GENERATORS = 10**6
#: Most entries (generators x degree) a generator set read from user input may hold: 2**24
#: int64 entries are 128 MiB as an array and several times that while being built.
MAX_GENERATOR_ENTRIES = 2**24


def _format_count(c: float) -> str:
    """``1,234`` for counts a person can read, ``about 1.2e+40`` beyond, ``more than 1e308``."""
    if isinstance(c, (int, np.integer)) and c < 10**15:
        return f"{int(c):,}"
    try:
        return f"about {float(c):.3g}" if float(c) != float("inf") else "more than 1e308"
    except OverflowError:
        return "more than 1e308"


def check_generator_count(count: float, degree: int, what: str, *, noun: str = "generators",
                          error: type[Exception] | None = None,
                          max_generators: int | None = None, max_entries: int | None = None) -> None:
    """Refuse ``count`` generators of ``degree`` points before they are built: more than
    ``MAX_GENERATORS``, or more than ``MAX_GENERATOR_ENTRIES`` entries in all.

    ``count`` may be a float for counts too large to compute exactly.

    >>> check_generator_count(10, 5, "lrx")
    >>> check_generator_count(14_684_570, 11, "family 'derangements' at n=12")
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: family 'derangements' at n=12 has 14,684,570 generators, more than the limit of 1,000,000 (MAX_GENERATORS)
    """
    error = error or InvalidInputError
    max_generators = MAX_GENERATORS if max_generators is None else max_generators
    max_entries = MAX_GENERATOR_ENTRIES if max_entries is None else max_entries
    if count > max_generators:
        raise error(
            f"{what} has {_format_count(count)} {noun}, more than the limit of {max_generators:,} (MAX_GENERATORS)"
        )
    if count * degree > max_entries:
        raise error(
            f"{what} has {_format_count(count)} {noun} of degree {degree:,}: {_format_count(count * degree)} entries, "
            f"more than the limit of {max_entries:,} (MAX_GENERATOR_ENTRIES)"
        )


def _cycle_labels(p: np.ndarray) -> np.ndarray:
    """The least point of the cycle through each point, by pointer doubling (O(n log n) in
    numpy): after t rounds ``low[x]`` is the least of the first 2^t points of x's cycle."""
    n = len(p)
    low, step = np.arange(n), np.asarray(p)
    for _ in range(max(1, int(n - 1).bit_length())):
        low = np.minimum(low, low[step])
        step = step[step]
    return low


def giant_order(perms: ArrayLike, *, tries: int = 300, seed: int = 0) -> int | None:
    """``n!`` or ``n!/2`` when ``perms`` (shape (k, n)) provably generate S_n or A_n, else None.

    The test is one-sided, so a number returned is proven: the group is transitive, and a
    product of the generators has a cycle of prime length p with n/2 < p < n - 2; a power of
    that element is a p-cycle, and a transitive group holding such a p-cycle is primitive and
    contains A_n (Jordan's theorem; the giant test of Seress, *Permutation Group
    Algorithms*, 10.2). Odd generators make it S_n. Random elements come from the product
    replacement algorithm (seeded: the answer is deterministic); for S_n or A_n about one in
    ln(n) of them is a witness. None (n < 8, intransitive, or no witness in ``tries``
    elements) means: ask Schreier–Sims.

    >>> from math import factorial
    >>> lrx = [[*range(1, 10), 0], [9, *range(9)], [1, 0, *range(2, 10)]]
    >>> giant_order(lrx) == factorial(10)
    True
    >>> giant_order([[*range(1, 10), 0]]) is None  # a cyclic group
    True
    """
    from math import factorial

    perms = np.asarray(perms, dtype=np.int64)
    k, n = perms.shape
    if n < 8 or not any(is_prime(q) for q in range(n // 2 + 1, n - 2)):
        return None
    # transitivity: the orbit of point 0
    seen = np.zeros(n, dtype=bool)
    seen[0] = True
    frontier = np.array([0])
    while frontier.size:
        nxt = np.unique(perms[:, frontier].ravel())
        frontier = nxt[~seen[nxt]]
        seen[frontier] = True
    if not seen.all():
        return None

    def witness(g: np.ndarray) -> bool:
        labels = _cycle_labels(g)
        lengths = np.unique(np.bincount(labels, minlength=n)[labels])
        return any(n / 2 < q < n - 2 and is_prime(int(q)) for q in lengths)

    found = any(witness(g) for g in perms)
    if not found:
        rng = np.random.default_rng(seed)
        slots = [perms[i % k].copy() for i in range(max(10, k))]
        acc = np.arange(n)
        for step in range(tries + 50):  # 50 steps of burn-in
            i, j = rng.choice(len(slots), size=2, replace=False)
            slots[i] = slots[i][slots[j]] if rng.random() < 0.5 else slots[i][np.argsort(slots[j])]
            acc = acc[slots[i]]
            if step >= 50 and witness(acc):
                found = True
                break
    if not found:
        return None
    # a permutation with c cycles (fixed points included) has parity n - c
    odd = any((n - len(np.unique(_cycle_labels(g)))) % 2 for g in perms)
    return factorial(n) if odd else factorial(n) // 2


@dataclass(frozen=True, eq=False)
class GeneratorSet(NamedGenerators):
    """A frozen, ordered list of named permutations of one degree.

    ``perms`` is an int64 array of shape ``(k, n)``; ``names[i]`` names ``perms[i]``.
    ``inverse_index[i]`` is the position of the inverse of generator ``i`` in the set, or
    -1 if it is absent. Equality and hashing use the arrays and names.

    >>> g = GeneratorSet.from_perms([[1, 2, 0], [1, 0, 2]], names=["L", "X"])
    >>> g.degree, len(g), g.inverse_closed, g.inverse_index.tolist()
    (3, 2, False, [-1, 1])
    >>> h = g.with_inverses()
    >>> h.names, h.inverse_closed
    (('L', 'X', 'L^-1'), True)
    """

    perms: np.ndarray
    names: tuple[str, ...]
    family: str | None = None
    params: tuple[tuple[str, object], ...] = ()
    inverse_index: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        try:
            perms = np.asarray(self.perms)
        except (TypeError, ValueError) as exc:  # ragged: rows of different lengths
            raise DegreeMismatchError(
                f"generators must be permutations of one degree n, got {short_repr(self.perms)}"
            ) from exc
        if perms.ndim != 2:
            raise InvalidInputError(f"generators must have shape (k, n), got {perms.shape}")
        names = checked_names(self.names, perms.shape[0])
        for name, p in zip(names, perms):
            check_permutation(p, name=name)
        object.__setattr__(self, "perms", frozen(perms))
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "params", tuple(self.params))
        object.__setattr__(self, "inverse_index", inverse_positions(self.perms, inverse(self.perms)))

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_perms(
        cls,
        perms: Iterable[ArrayLike] | np.ndarray,
        names: Sequence[str] | None = None,
        *,
        family: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> "GeneratorSet":
        """From one-line permutations of one degree; default names g0, g1, ...

        >>> GeneratorSet.from_perms([[1, 0, 2]]).names
        ('g0',)
        """
        rows = [p.array if isinstance(p, Permutation) else p for p in perms]
        arrays = []
        for i, row in enumerate(rows):
            label = names[i] if names is not None and i < len(names) else f"g{i}"
            arrays.append(check_permutation(row, name=label))
        if not arrays:
            raise InvalidInputError("a generator set needs at least one generator")
        degrees = {len(a) for a in arrays}
        if len(degrees) > 1:
            raise DegreeMismatchError(
                "generators have different degrees " + str([len(a) for a in arrays]) + "; all must have the same n"
            )
        if names is None:
            names = [f"g{i}" for i in range(len(arrays))]
        return cls(np.stack(arrays), tuple(names), family, tuple((params or {}).items()))

    @classmethod
    def from_sympy(cls, group_or_perms: Any, n: int | None = None) -> "GeneratorSet":
        """From a sympy ``PermutationGroup`` or list of sympy ``Permutation``s."""
        gens: list[Any] = list(getattr(group_or_perms, "generators", group_or_perms))
        if n is None:
            n = max((g.size for g in gens), default=0)
        return cls.from_perms([Permutation.from_sympy(g, n) for g in gens])

    # -- properties ---------------------------------------------------------------
    @property
    def degree(self) -> int:
        return int(self.perms.shape[1])

    def __len__(self) -> int:
        return int(self.perms.shape[0])

    def __iter__(self) -> Iterator[Permutation]:
        return (Permutation(p) for p in self.perms)

    def __getitem__(self, key: int | str) -> Permutation:
        return Permutation(self.perms[self.position(key)])

    @property
    def involutions(self) -> np.ndarray:
        """Boolean mask of generators that are their own inverse."""
        mask: np.ndarray = self.inverse_index == np.arange(len(self))
        return mask

    @property
    def has_identity(self) -> bool:
        return bool(np.any(np.all(self.perms == identity(self.degree), axis=1)))

    def with_inverses(self) -> "GeneratorSet":
        """This set plus the inverses that are missing, named ``name^-1``."""
        if self.inverse_closed:
            return self
        extra, extra_names = [], []
        for i in np.flatnonzero(self.inverse_index < 0):
            extra.append(inverse(self.perms[i]))
            extra_names.append(self.names[i] + "^-1")
        return GeneratorSet(
            np.concatenate([self.perms, np.stack(extra)]),
            self.names + tuple(extra_names),
            self.family,
            self.params,
        )

    def to_sympy(self) -> Any:
        """The sympy ``PermutationGroup`` generated by this set."""
        from sympy.combinatorics import PermutationGroup

        return PermutationGroup([p.to_sympy() for p in self])

    def order(self) -> int:
        """Order of the generated group: n! or n!/2 when the generators are recognised as
        generating S_n or A_n (see :func:`giant_order`, milliseconds even for n in the
        thousands), else by Schreier–Sims (sympy).

        >>> GeneratorSet.from_perms([[1, 2, 3, 0], [1, 0, 2, 3]]).order()
        24
        >>> from math import factorial
        >>> GeneratorSet.from_perms([[*range(1, 300), 0], [1, 0, *range(2, 300)]]).order() == factorial(300)
        True
        """
        giant = giant_order(self.perms)
        if giant is not None:
            return giant
        return int(self.to_sympy().order())

    def apply_word(self, word: Sequence[str | int], state: ArrayLike | None = None) -> np.ndarray:
        """Act on ``state`` (default the identity) by the generators of ``word`` in order."""
        s = identity(self.degree) if state is None else np.asarray(state)
        for w in word:
            p = self[w].array if isinstance(w, str) else self.perms[w]
            s = s[..., p]
        return s

    def product(self, word: Sequence[str | int]) -> Permutation:
        """The group element of a word: ``compose`` of its generators in order."""
        p = identity(self.degree)
        for w in word:
            p = compose(p, self[w].array)
        return Permutation(p)

    # -- value semantics ----------------------------------------------------------
    def _key(self) -> tuple[tuple[int, ...], bytes, tuple[str, ...]]:
        return (self.perms.shape, self.perms.tobytes(), self.names)

    def __repr__(self) -> str:
        if self.family:
            return f"<GeneratorSet {self.family_label()} degree={self.degree} k={len(self)}>"
        return f"GeneratorSet.from_perms({self.perms.tolist()}, names={list(self.names)})"

    def describe(self) -> str:
        """One line per generator: name and cycle notation."""
        return "\n".join(f"{name}: {Permutation(p).cycle_notation()}" for name, p in zip(self.names, self.perms))
