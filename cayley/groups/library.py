"""Named generator families: a registry of functions ``family(n, **params) -> GeneratorSet``.

Names and conventions follow the literature and CayleyPy where it has the family, so that
results and datasets interchange. Positions are 0-based and a generator ``p`` acts on a
state ``s`` by ``s[p]`` (see :mod:`cayley.groups.perm`).

>>> g = generators("lrx", 4)
>>> g.names, g.perms.tolist()
(('L', 'R', 'X'), [[1, 2, 3, 0], [3, 0, 1, 2], [1, 0, 2, 3]])
>>> get_family("lrx").params
(Param(name='n', default=None, doc='degree'), Param(name='k', default=1, doc='X swaps positions 0 and k'))

Signed families (``burnt_pancake``, ``signed_reversals``) act on ``2n`` positions, as in
CayleyPy: element ``t`` is positions ``t`` and ``n + t``, its two sides.

>>> b = generators("burnt_pancake", 2)
>>> b.degree, b.names, b.perms.tolist()
(4, ('R1', 'R2'), [[2, 1, 0, 3], [3, 2, 1, 0]])
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import math
import re
from dataclasses import dataclass
from itertools import combinations, permutations
from typing import Callable, Sequence

import numpy as np

from ..errors import InvalidInputError, UnknownFamilyError
from .generators import (
    MAX_GENERATOR_ENTRIES,
    MAX_GENERATORS,
    GeneratorSet,
    check_generator_count,
)
from .perm import MAX_DEGREE, check_degree

__all__ = [
    "Family", "Param", "register", "get_family", "families", "generators", "MAX_GENERATORS",
    "MAX_GENERATOR_ENTRIES", "MAX_DEGREE",
]


@dataclass(frozen=True)
class Param:
    name: str
    default: object
    doc: str


@dataclass(frozen=True)
class Family:
    """A registered generator family."""

    name: str
    func: Callable[..., GeneratorSet]
    params: tuple[Param, ...]
    description: str
    reference: str
    min_degree: int
    aliases: tuple[str, ...] = ()
    signed: bool = False
    degree_step: int = 1
    kind: str = "permutation"
    degree_test: Callable[[int], bool] | None = None
    rule: str | None = None
    count: Callable[..., int | float] | None = None

    def __call__(self, n: int, **params) -> GeneratorSet:
        return build(self, n, **params)

    def generator_count(self, n: int, **params) -> int | float | None:
        """The number of generators at degree ``n`` in closed form, without building them
        (None for a family without a formula: a few generators). A float stands for a
        count too large to compute exactly.

        >>> get_family("derangements").generator_count(14)
        32071101049
        >>> get_family("k_cycles").generator_count(6, k=3)
        40
        """
        if self.count is None:
            return None
        full = {p.name: p.default for p in self.params[1:]}
        full.update(params)
        return self.count(int(n), **full)

    def accepts(self, n: int) -> bool:
        """Whether the family is defined at degree ``n`` with its default parameters.

        >>> f = get_family("involutive_derangements")
        >>> [n for n in range(1, 9) if f.accepts(n)]
        [2, 4, 6, 8]
        """
        if self.degree_test is not None:
            return n >= self.min_degree and bool(self.degree_test(n))
        return n >= self.min_degree and (n - self.min_degree) % self.degree_step == 0

    def degrees(self, up_to: int) -> list[int]:
        """The degrees ``n <= up_to`` at which the family is defined (default parameters)."""
        if self.degree_test is not None:
            return [n for n in range(self.min_degree, up_to + 1) if self.accepts(n)]
        return list(range(self.min_degree, up_to + 1, self.degree_step))

    def example_degree(self, at_least: int = 5) -> int:
        """The smallest degree ``n >= at_least`` the family accepts (an example for listings).

        >>> get_family("lrx").example_degree(), get_family("involutive_derangements").example_degree()
        (5, 6)
        """
        n = max(self.min_degree, at_least)
        while not self.accepts(n):
            n += 1
        return n

    def degree_rule(self) -> str:
        """The accepted degrees in words, e.g. ``n >= 3`` or ``n >= 2, n even``."""
        if self.rule is not None:
            return self.rule
        rule = f"n >= {self.min_degree}"
        if self.degree_step == 2:
            rule += ", n even" if self.min_degree % 2 == 0 else ", n odd"
        elif self.degree_step > 2:
            rule += f", n = {self.min_degree} mod {self.degree_step}"
        return rule

    def state_degree(self, n: int) -> int:
        """Length of the states the generators act on: ``2 * n`` for a signed family
        (element ``i`` has two sides, positions ``i`` and ``n + i``), else ``n``.

        >>> get_family("burnt_pancake").state_degree(5), get_family("pancake").state_degree(5)
        (10, 5)
        """
        return 2 * n if self.signed else n


_REGISTRY: dict[str, Family] = {}
_ALIASES: dict[str, str] = {}


def register(
    name: str,
    *,
    reference: str,
    min_degree: int = 2,
    aliases: Sequence[str] = (),
    param_docs: dict[str, str] | None = None,
    signed: bool = False,
    degree_step: int = 1,
    kind: str = "permutation",
    degree_test: Callable[[int], bool] | None = None,
    rule: str | None = None,
    count: Callable[..., int | float] | None = None,
):
    """Decorator registering ``func(n, **params) -> list of perms, names`` as a family.

    The function returns ``(perms, names)``; the registry validates them and builds the
    :class:`GeneratorSet`. Its first docstring line is the family's description.
    ``min_degree`` is the smallest ``n`` for which the family is defined with its default
    parameters. ``signed`` marks a family of ``n`` signed elements realised on ``2n``
    positions (see :meth:`Family.state_degree`). ``degree_step`` restricts the degrees to
    ``min_degree, min_degree + step, ...`` (2 for families defined at even n only).
    ``kind`` is ``"permutation"`` for the families of S_n and ``"puzzle"`` for puzzles
    (:mod:`cayley.groups.puzzles`), whose degree is their number of stickers; a puzzle
    gives ``degree_test`` (which degrees ``n`` it accepts) and ``rule`` (the same in words).
    ``count(n, **params)`` is the number of generators in closed form (every parameter
    passed, defaults filled in): :func:`build` checks it against ``MAX_GENERATORS`` before
    enumerating; a family whose number of generators grows with ``n`` must give it.
    """

    def deco(func):
        sig = inspect.signature(func)
        docs = {"n": "degree", **(param_docs or {})}
        params = tuple(
            Param(p.name, None if p.default is inspect.Parameter.empty else p.default, docs.get(p.name, ""))
            for p in sig.parameters.values()
        )
        if not params or params[0].name != "n":
            raise TypeError(f"family {name}: first parameter must be n")
        description = (inspect.getdoc(func) or "").strip().splitlines()[0] if func.__doc__ else ""
        fam = Family(
            name, func, params, description, reference, min_degree, tuple(aliases), signed, degree_step,
            kind, degree_test, rule, count,
        )
        for key in (name, *aliases):
            if key in _REGISTRY or key in _ALIASES:
                raise ValueError(f"family name {key!r} registered twice")
        _REGISTRY[name] = fam
        for a in aliases:
            _ALIASES[a] = name
        return func

    return deco


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


_NUMBER_WORDS = {"2": "two", "3": "three", "4": "four", "5": "five", "6": "six"}


def get_family(name: str) -> Family:
    """Look up a family by name or alias; unknown names suggest the closest ones.

    >>> get_family("LRX").name
    'lrx'
    """
    _load_puzzles()
    key = _normalise(name)
    key = _ALIASES.get(key, key)
    if key in _REGISTRY:
        return _REGISTRY[key]
    known = sorted(_REGISTRY) + sorted(_ALIASES)
    # "3_cycles" should find three_cycles: also match with digits spelled out
    spelled = re.sub(r"\d+", lambda m: _NUMBER_WORDS.get(m.group(), m.group()), key)
    close = difflib.get_close_matches(spelled, known, n=3, cutoff=0.5) if spelled != key else []
    close = list(dict.fromkeys(close + difflib.get_close_matches(key, known, n=3, cutoff=0.5)))[:3]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `cayley families` lists them"
    raise UnknownFamilyError(f"unknown generator family {name!r}{hint}")


def families(kind: str | None = None) -> list[Family]:
    """All registered families, sorted by name; ``kind`` keeps one kind
    (``"permutation"``, ``"puzzle"`` or ``"matrix"``: :mod:`cayley.groups.matrix`).

    >>> "pyraminx" in [f.name for f in families("puzzle")]
    True
    """
    _load_puzzles()
    return [_REGISTRY[k] for k in sorted(_REGISTRY) if kind is None or _REGISTRY[k].kind == kind]


def _load_puzzles() -> None:
    # puzzles register themselves in cayley.groups.puzzles, which imports this module
    from . import puzzles  # noqa: F401

    for name, count in _PUZZLE_COUNTS.items():
        fam = _REGISTRY.get(name)
        if fam is not None and fam.count is None:
            _REGISTRY[name] = dataclasses.replace(fam, count=count)


def build(fam: Family, n: int, **params) -> GeneratorSet:
    """Validate ``n`` and the parameters, call the family function, and check its output.

    With default parameters the degree must satisfy the family's degree rule
    (``min_degree``, ``degree_step``). Non-default parameters may make the family valid
    at smaller degrees, so then any ``n >= 1`` is passed to the family function, which
    validates it; either way the result is refused if a generator is the identity or
    two generators coincide.
    """
    names = {p.name for p in fam.params[1:]}
    unknown = set(params) - names
    if unknown:
        raise InvalidInputError(
            f"family {fam.name!r} has no parameter {sorted(unknown)[0]!r}; parameters: {sorted(names) or 'none'}"
        )
    defaults = {p.name: p.default for p in fam.params[1:]}
    non_default = any(not _same_value(v, defaults[k]) for k, v in params.items())
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidInputError(f"family {fam.name!r} needs degree {fam.degree_rule()}, got {n!r}")
    if not non_default and not fam.accepts(int(n)):
        raise InvalidInputError(f"family {fam.name!r} needs degree {fam.degree_rule()}, got {n!r}")
    _check_size(fam, int(n), params)
    try:
        built = fam.func(int(n), **params)
    except (ValueError, IndexError, TypeError) as exc:
        if isinstance(exc, InvalidInputError):
            raise
        raise InvalidInputError(f"family {fam.name!r} with n={n}, {params}: {exc}") from exc
    if not isinstance(built, tuple):  # a matrix family builds and checks its own MatrixGeneratorSet
        return built
    perms, gen_names = built
    where = f"family {fam.name!r} at n={n}" + (f" with {params}" if params else "")
    if not perms:
        raise InvalidInputError(f"{where} has no generators")
    seen: dict[tuple, str] = {}
    ident = tuple(range(len(perms[0])))
    for p, nm in zip(perms, gen_names):
        key = tuple(int(x) for x in p)
        if key == ident:
            raise InvalidInputError(f"{where}: generator {nm!r} is the identity")
        if key in seen:
            raise InvalidInputError(f"{where}: generators {seen[key]!r} and {nm!r} coincide")
        seen[key] = nm
    full = dict(defaults)
    full.update(params)
    return GeneratorSet.from_perms(perms, gen_names, family=fam.name, params={"n": int(n), **full})


def _check_size(fam: Family, n: int, params: dict) -> None:
    """Refuse, before enumerating, a degree beyond ``MAX_DEGREE`` or more generators (or
    entries) than ``MAX_GENERATORS`` (``MAX_GENERATOR_ENTRIES``), by the family's formula."""
    where = f"family {fam.name!r} at n={n}" + (f" with {params}" if params else "")
    if fam.kind == "matrix":  # n x n matrices: states of n * n entries
        check_degree(n * n, f"{where} (states of {n}x{n} matrices)")
        return
    degree = check_degree(fam.state_degree(n), where)
    try:
        count = fam.generator_count(n, **params)
    except InvalidInputError:
        raise
    except (ValueError, TypeError, ArithmeticError, IndexError):
        count = None  # parameters the family function itself refuses, with its own message
    if count is not None:
        check_generator_count(count, degree, where)


def _same_value(a, b) -> bool:
    try:
        return bool(a == b)
    except Exception:  # e.g. numpy arrays or generators compare elementwise or not at all
        return a is b


def generators(name: str, n: int, **params) -> GeneratorSet:
    """The generator set of family ``name`` at degree ``n``.

    >>> generators("coxeter", 3).perms.tolist()
    [[1, 0, 2], [0, 2, 1]]
    """
    return build(get_family(name), n, **params)


# ----------------------------------------------------------------------------------
# helpers for family definitions
# ----------------------------------------------------------------------------------
def transposition(n: int, i: int, j: int) -> list[int]:
    """One-line form of the transposition of positions i and j."""
    if not (0 <= i < n and 0 <= j < n) or i == j:
        raise InvalidInputError(f"transposition ({i} {j}) is not valid at degree {n}")
    p = list(range(n))
    p[i], p[j] = p[j], p[i]
    return p


def reversal(n: int, i: int, j: int) -> list[int]:
    """Reverse the positions i..j (inclusive)."""
    p = list(range(n))
    p[i : j + 1] = p[i : j + 1][::-1]
    return p


def from_pairs(n: int, pairs: Sequence[tuple[int, int]]) -> list[int]:
    """One-line form of the product of the disjoint transpositions ``pairs``."""
    p = list(range(n))
    for i, j in pairs:
        p[i], p[j] = p[j], p[i]
    return p


def shift_left(n: int) -> list[int]:
    """Cyclic shift left: ``s'[i] = s[i + 1]``."""
    return list(range(1, n)) + [0]


def shift_right(n: int) -> list[int]:
    """Cyclic shift right: ``s'[i] = s[i - 1]``."""
    return [n - 1] + list(range(n - 1))


# ----------------------------------------------------------------------------------
# families
#
# Names, generator order and generator names follow CayleyPy 0.2.0
# (``cayleypy.PermutationGroups``) so that results, paths and datasets interchange; a
# docstring says where CayleyPy and the literature differ.
# ----------------------------------------------------------------------------------
def _signed_flip(n: int, i: int, j: int) -> list[int]:
    """Reverse the signed elements i..j of a 2n-position state and turn each over.

    Element ``t`` occupies positions ``t`` (one side) and ``n + t`` (the other side).
    """
    p = list(range(2 * n))
    for t in range(i, j + 1):
        p[t] = n + i + j - t
        p[n + t] = i + j - t
    return p


def _cycle_perm(n: int, cycle: Sequence[int]) -> list[int]:
    """One-line form of the cycle ``c0 -> c1 -> ... -> c0`` (``p[c_t] = c_{t+1}``)."""
    p = list(range(n))
    for a, b in zip(cycle, list(cycle[1:]) + [cycle[0]]):
        p[a] = b
    return p


@register(
    "lrx",
    reference="CayleyPy PermutationGroups.lrx; diameter OEIS A186783 (conjectured n(n-1)/2 for n > 3)",
    min_degree=3,
    param_docs={"k": "X swaps positions 0 and k"},
)
def _lrx(n: int, k: int = 1):
    """Left shift L, right shift R, and X swapping positions 0 and k."""
    if not 1 <= k < n:
        raise InvalidInputError(f"lrx needs 1 <= k < n, got k={k}, n={n}")
    return [shift_left(n), shift_right(n), transposition(n, 0, k)], ["L", "R", "X"]


@register(
    "lx",
    reference="CayleyPy PermutationGroups.lx; diameter OEIS A039745 (directed Cayley graph of (1,2) and (1,2,...,n)); "
    "V. M. Glushkov (1968); the sigma-tau graph: J. Sawada, A. Williams, Solving the sigma-tau problem, "
    "ACM Trans. Algorithms 16 (2020) 11",
    min_degree=3,
    aliases=("sigma_tau", "glushkov"),
)
def _lx(n: int):
    """Left shift L and X swapping positions 0 and 1, without inverses (a directed graph).

    At n = 2 the two generators coincide, so the family starts at n = 3.
    """
    return [shift_left(n), transposition(n, 0, 1)], ["L", "X"]


@register(
    "coxeter",
    reference="Coxeter generators of S_n (adjacent transpositions); the bubble-sort graph; diameter n(n-1)/2, "
    "growth OEIS A008302",
    aliases=("bubble_sort", "adjacent_transpositions"),
)
def _coxeter(n: int):
    """Adjacent transpositions (i, i+1), i = 0..n-2.

    Named ``s0..s(n-2)`` (Coxeter notation); CayleyPy names the same generators, in the
    same order, ``"(0,1)", "(1,2)", ...``.
    """
    return [transposition(n, i, i + 1) for i in range(n - 1)], [f"s{i}" for i in range(n - 1)]


@register(
    "cyclic_coxeter",
    reference="Cyclically adjacent transpositions; M. Jerrum, Theoret. Comput. Sci. 36 (1985) 265-289; "
    "diameter floor(n^2/4), OEIS A002620; the modified bubble-sort graph: S. Lakshmivarahan, J.-S. Jwo, S. K. Dhall, "
    "Parallel Computing 19 (1993) 361-407",
    min_degree=3,
    aliases=("cyclic_bubble_sort", "modified_bubble_sort"),
)
def _cyclic_coxeter(n: int):
    """Adjacent transpositions (i, i+1), i = 0..n-2, plus the wrap-around transposition (0, n-1).

    Generator names are ``"(i,i+1)"`` and ``"(0,n-1)"`` as in CayleyPy. CayleyPy accepts
    n = 2, where (0, n-1) repeats (0, 1) under the same name; here the family starts at 3.
    """
    perms = [transposition(n, i, i + 1) for i in range(n - 1)] + [transposition(n, 0, n - 1)]
    names = [f"({i},{i + 1})" for i in range(n - 1)] + [f"(0,{n - 1})"]
    return perms, names


@register(
    "pancake",
    reference="Prefix reversals; W. H. Gates, C. H. Papadimitriou, Discrete Math. 27 (1979) 47-57; "
    "https://en.wikipedia.org/wiki/Pancake_graph; diameter OEIS A058986",
    aliases=("prefix_reversals",),
)
def _pancake(n: int):
    """Prefix reversals R1..R(n-1): Ri reverses positions 0..i.

    The names count the last reversed position (0-based), as in CayleyPy: ``R1`` swaps the
    top two pancakes, ``R(n-1)`` flips the whole stack.
    """
    return [reversal(n, 0, i) for i in range(1, n)], [f"R{i}" for i in range(1, n)]


@register(
    "burnt_pancake",
    reference="Signed prefix reversals; Gates and Papadimitriou (1979); D. S. Cohen, M. Blum, "
    "Discrete Appl. Math. 61 (1995) 105-120; diameter OEIS A078941",
    min_degree=1,
    signed=True,
    aliases=("signed_prefix_reversals",),
)
def _burnt_pancake(n: int):
    """Burnt pancake flips R1..Rn of n two-sided pancakes, on 2n positions.

    As in CayleyPy, pancake ``t`` is two positions: ``t`` (its bottom side) and ``n + t``
    (its top side), so the generators are permutations of degree ``2n`` and the Cayley
    graph of the hyperoctahedral group (order 2^n n!) is the graph on the states reachable
    from the identity of degree 2n. ``Ri`` flips the top i pancakes: it reverses their
    order and turns each over (positions ``t`` and ``n + (i-1-t)`` trade places).
    """
    return [_signed_flip(n, 0, i - 1) for i in range(1, n + 1)], [f"R{i}" for i in range(1, n + 1)]


@register(
    "all_transpositions",
    reference="All transpositions (the complete transposition graph); growth = unsigned Stirling numbers of the "
    "first kind c(n, n-d), OEIS A094638",
    aliases=("complete_transpositions",),
)
def _all_transpositions(n: int):
    """All n(n-1)/2 transpositions (i, j), i < j, named ``"(i,j)"``."""
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    return [transposition(n, i, j) for i, j in pairs], [f"({i},{j})" for i, j in pairs]


@register(
    "stars",
    reference="Star graph; S. B. Akers, B. Krishnamurthy, IEEE Trans. Comput. 38 (1989) 555-566; "
    "diameter floor(3(n-1)/2)",
    aliases=("star_transpositions",),
)
def _stars(n: int):
    """Star transpositions S1..S(n-1): Si swaps positions 0 and i.

    CayleyPy requires n >= 3; the star graph is also defined at n = 2 (one edge), so the
    family starts at 2 here.
    """
    return [transposition(n, 0, i) for i in range(1, n)], [f"S{i}" for i in range(1, n)]


@register(
    "full_reversals",
    reference="Unsigned reversals; J. Kececioglu, D. Sankoff, Algorithmica 13 (1995) 180-210; "
    "V. Bafna, P. A. Pevzner, SIAM J. Comput. 25 (1996) 272-289; diameter n-1",
)
def _full_reversals(n: int):
    """Reversals R[i..j] of every substring of positions i..j, i < j: n(n-1)/2 generators."""
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    return [reversal(n, i, j) for i, j in pairs], [f"R[{i}..{j}]" for i, j in pairs]


@register(
    "signed_reversals",
    reference="Signed reversals; S. Hannenhalli, P. A. Pevzner, J. ACM 46 (1999) 1-27",
    min_degree=1,
    signed=True,
)
def _signed_reversals(n: int):
    """Signed reversals R[i..j], 0 <= i <= j < n, of n signed elements on 2n positions.

    As in CayleyPy, element ``t`` is two positions, ``t`` and ``n + t`` (its two signs or
    sides), so the generators are permutations of degree ``2n``; ``R[i..j]`` reverses the
    elements i..j and flips each one's sign. There are n(n+1)/2 generators (CayleyPy's
    docstring says n, its code builds n(n+1)/2) and they generate the hyperoctahedral
    group of order 2^n n!.
    """
    pairs = [(i, j) for i in range(n) for j in range(i, n)]
    return [_signed_flip(n, i, j) for i, j in pairs], [f"R[{i}..{j}]" for i, j in pairs]


@register(
    "top_spin",
    reference="TopSpin puzzle (F. Lammertink; Binary Arts/ThinkFun): discs on an oval track and a turnstile "
    "reversing k = 4 adjacent discs; CayleyPy PermutationGroups.top_spin",
    min_degree=4,
    param_docs={"k": "the turnstile reverses positions 0..k-1 (2 <= k <= n)"},
)
def _top_spin(n: int, k: int = 4):
    """Left shift, right shift, and reversal of the first k positions (TopSpin, default k = 4).

    Generator order L, R, T as in CayleyPy (which leaves them unnamed, so its names are
    the one-line arrays joined by commas; cayley names them L, R, T). With the
    default k = 4 the family starts at n = 4, whatever k is passed (CayleyPy also allows
    n = 3 with k <= 3). The graph need not cover S_n: with k = 4 the group is dihedral of
    order 2n for n = 4, 5, A_n for odd n >= 7 (every generator is even) and S_n for even
    n >= 6.
    """
    if not 2 <= k <= n:
        raise InvalidInputError(f"top_spin needs 2 <= k <= n, got k={k}, n={n}")
    perms = [shift_left(n), shift_right(n), reversal(n, 0, k - 1)]
    return perms, ["L", "R", "T"]


@register(
    "transposons",
    reference="Transpositions of adjacent blocks; V. Bafna, P. A. Pevzner, SIAM J. Discrete Math. 11 (1998) 224-240",
)
def _transposons(n: int):
    """Moves of a block of positions i..j-1 to just after position k (i < j <= k): C(n+1, 3) generators.

    Equivalently the exchange of the adjacent blocks [i..j-1] and [j..k]; named
    ``"T[i..j-1,k]"`` as in CayleyPy. This is what genome rearrangement calls a
    "transposition" (not a 2-cycle).
    """
    perms, names = [], []
    for i in range(n):
        for j in range(i + 1, n):
            for k in range(j, n):
                perms.append(list(range(i)) + list(range(j, k + 1)) + list(range(i, j)) + list(range(k + 1, n)))
                names.append(f"T[{i}..{j - 1},{k}]")
    return perms, names


@register(
    "block_interchange",
    reference="Block interchanges; D. A. Christie, Inform. Process. Lett. 60 (1996) 165-169; "
    "arXiv:0811.0740 (as cited by CayleyPy)",
)
def _block_interchange(n: int):
    """Exchanges of two disjoint blocks [i..j-1] and [k..l-1] (i < j <= k < l <= n): C(n+2, 4) generators.

    Adjacent blocks (j = k) are included, so every transposon is also a block interchange,
    as in Christie's definition and in CayleyPy. Named ``"I[i..j-1,k..l-1]"``.
    """
    perms, names = [], []
    for i in range(n):
        for j in range(i + 1, n):
            for k in range(j, n):
                for l in range(k + 1, n + 1):
                    perms.append(
                        list(range(i)) + list(range(k, l)) + list(range(j, k)) + list(range(i, j)) + list(range(l, n))
                    )
                    names.append(f"I[{i}..{j - 1},{k}..{l - 1}]")
    return perms, names


@register("derangements", reference="Derangements (fixed-point-free permutations); their number is OEIS A000166")
def _derangements(n: int):
    """All derangements of n points, named ``D<r>`` where r is the lexicographic rank among all n! permutations.

    The ranks (CayleyPy's names) are not consecutive. The set generates A_3 at n = 3 and
    S_n for n = 2 and n >= 4; the graph has diameter 2 for n >= 4.
    """
    perms, names = [], []
    for rank, p in enumerate(permutations(range(n))):
        if all(p[i] != i for i in range(n)):
            perms.append(list(p))
            names.append(f"D{rank}")
    return perms, names


@register("all_cycles", reference="All cycles of length 2..n; their number is OEIS A006231")
def _all_cycles(n: int):
    """Every cycle of length 2..n, named ``cycle_1``, ``cycle_2``, ... in CayleyPy's order.

    Order: by length, then by the set of moved points (lexicographic), then the cycle
    ``(m c1 c2 ...)`` starting at the smallest point m with ``(c1, c2, ...)`` in
    lexicographic order; ``(m c1 c2 ...)`` maps m -> c1 -> c2 -> ... -> m.
    """
    perms = []
    for length in range(2, n + 1):
        for subset in combinations(range(n), length):
            for rest in permutations(subset[1:]):
                perms.append(_cycle_perm(n, (subset[0],) + rest))
    return perms, [f"cycle_{i}" for i in range(1, len(perms) + 1)]


@register("three_cycles", reference="All 3-cycles, generating the alternating group A_n", min_degree=3)
def _three_cycles(n: int):
    """All 3-cycles ``(a b c)`` with a < b and a < c: n(n-1)(n-2)/3 generators, inverse-closed, generating A_n.

    Ordered lexicographically by (a, b, c) and named ``"(a b c)"`` as in CayleyPy;
    ``(a b c)`` maps a -> b -> c -> a.
    """
    triples = [(a, b, c) for a in range(n) for b in range(a + 1, n) for c in range(a + 1, n) if c != b]
    return [_cycle_perm(n, t) for t in triples], [f"({a} {b} {c})" for a, b, c in triples]


@register(
    "rapaport_m1",
    reference="E. Rapaport-Strasser, Cayley color groups and Hamilton lines, Scripta Math. 24 (1959) 51-58; "
    "CayleyPy PermutationGroups.rapaport_m1",
)
def _rapaport_m1(n: int):
    """Products of disjoint adjacent transpositions (0,1)...(2m-2,2m-1) and (1,2)...(2m-1,2m): n-1 generators.

    As in CayleyPy: ``M1_0_m`` = (0,1)(2,3)...(2m-2,2m-1) for m = 1..n//2, then
    ``M1_1_m`` = (1,2)(3,4)...(2m-1,2m) for m = 1..(n-1)//2. All are involutions.
    """
    perms, names = [], []
    for m in range(1, n // 2 + 1):
        perms.append(from_pairs(n, [(2 * t, 2 * t + 1) for t in range(m)]))
        names.append(f"M1_0_{m}")
    for m in range(1, (n - 1) // 2 + 1):
        perms.append(from_pairs(n, [(2 * t + 1, 2 * t + 2) for t in range(m)]))
        names.append(f"M1_1_{m}")
    return perms, names


@register(
    "rapaport_m2",
    reference="E. Rapaport-Strasser, Cayley color groups and Hamilton lines, Scripta Math. 24 (1959) 51-58; "
    "CayleyPy PermutationGroups.rapaport_m2",
    min_degree=4,
)
def _rapaport_m2(n: int):
    """Three involutions: (0,1), (0,1)(2,3)(4,5)... and (1,2)(3,4)(5,6)...

    Named ``"(0,1)"``, ``"EvenDisjTrans"``, ``"OddDisjTrans"`` as in CayleyPy. CayleyPy
    accepts any n, but at n = 3 the first two generators coincide and at n = 2 the third
    is the identity, so the family starts at n = 4.
    """
    even = from_pairs(n, [(i, i + 1) for i in range(0, n - 1, 2)])
    odd = from_pairs(n, [(i, i + 1) for i in range(1, n - 1, 2)])
    return [transposition(n, 0, 1), even, odd], ["(0,1)", "EvenDisjTrans", "OddDisjTrans"]


# ----------------------------------------------------------------------------------
# helpers for the families below
# ----------------------------------------------------------------------------------
def _perm_from_cycles(n: int, cycles: Sequence[Sequence[int]]) -> list[int]:
    """One-line form of a product of disjoint cycles, each ``c0 -> c1 -> ... -> c0``."""
    p = list(range(n))
    moved: set[int] = set()
    for cyc in cycles:
        for a, b in zip(cyc, list(cyc[1:]) + [cyc[0]]):
            if not (0 <= a < n) or a in moved:
                raise InvalidInputError(f"cycles {list(map(tuple, cycles))} are not disjoint cycles of 0..{n - 1}")
            moved.add(a)
            p[a] = b
    return p


def _inverse_list(p: Sequence[int]) -> list[int]:
    q = [0] * len(p)
    for i, x in enumerate(p):
        q[x] = i
    return q


def _ints(value, what: str) -> list[int]:
    """A list of integers from a sequence or from text such as ``"3,2"``, ``"(3 2)"`` or ``"3+2"``."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return [int(value)]
    if isinstance(value, str):
        tokens = re.findall(r"-?\d+", value)
        if not tokens or re.sub(r"[-\d\s,+()\[\]]", "", value):
            raise InvalidInputError(f"{what} must be integers like 3,2 or (3 2), got {value!r}")
        return [int(t) for t in tokens]
    try:
        out = [int(x) for x in value]
    except (TypeError, ValueError):
        raise InvalidInputError(f"{what} must be a list of integers, got {value!r}") from None
    if any(isinstance(x, bool) or int(x) != x for x in value):
        raise InvalidInputError(f"{what} must be a list of integers, got {value!r}")
    return out


def _check_k(name: str, k, low: int, high: int, n: int, rule: str) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not low <= k <= high:
        raise InvalidInputError(f"{name} needs {rule}, got k={k!r}, n={n}")
    return int(k)


def _one_line_name(p: Sequence[int], sep: str) -> str:
    return "(" + sep.join(str(x) for x in p) + ")"


# ----------------------------------------------------------------------------------
# the rest of CayleyPy 0.2.0's PermutationGroups (same names, parameters and order)
# ----------------------------------------------------------------------------------
@register(
    "coxeter_b",
    reference="Coxeter group of type B_n (hyperoctahedral group, order 2^n n!) by its n simple reflections; "
    "A. Bjorner, F. Brenti, Combinatorics of Coxeter Groups, GTM 231 (2005) ch. 8.1; CayleyPy PermutationGroups.coxeter_b",
    min_degree=1,
    signed=True,
)
def _coxeter_b(n: int):
    """Simple reflections of the Coxeter group B_n as signed permutations on 2n positions.

    As in CayleyPy: first ``"(0,n)"``, which turns element 0 over (swaps its two sides,
    positions 0 and n), then ``"(i,i+1)(n+i,n+i+1)"`` for i = 0..n-2, which swaps elements
    i and i+1 with their sides. The Cayley graph has 2^n n! vertices and diameter n^2 (the
    length of the longest element). CayleyPy requires n >= 2; B_1 (one reflection) is
    allowed here.
    """
    perms = [transposition(2 * n, 0, n)]
    names = [f"(0,{n})"]
    for i in range(n - 1):
        perms.append(from_pairs(2 * n, [(i, i + 1), (n + i, n + i + 1)]))
        names.append(f"({i},{i + 1})({n + i},{n + i + 1})")
    return perms, names


@register(
    "coxeter_d",
    reference="Coxeter group of type D_n (even signed permutations, order 2^(n-1) n!) by its n simple reflections; "
    "A. Bjorner, F. Brenti, Combinatorics of Coxeter Groups, GTM 231 (2005) ch. 8.2; CayleyPy PermutationGroups.coxeter_d",
    signed=True,
)
def _coxeter_d(n: int):
    """Simple reflections of the Coxeter group D_n as signed permutations on 2n positions.

    As in CayleyPy: first ``"(0,n+1)(1,n)"``, which swaps elements 0 and 1 and turns both
    over, then ``"(i,i+1)(n+i,n+i+1)"`` for i = 0..n-2. The group is the index-2
    subgroup of B_n of signed permutations with an even number of sign changes; the
    longest element has length n(n-1).
    """
    perms = [from_pairs(2 * n, [(0, n + 1), (1, n)])]
    names = [f"(0,{n + 1})(1,{n})"]
    for i in range(n - 1):
        perms.append(from_pairs(2 * n, [(i, i + 1), (n + i, n + i + 1)]))
        names.append(f"({i},{i + 1})({n + i},{n + i + 1})")
    return perms, names


_CUBIC_PANCAKE_SUBSETS = {
    1: ("n", "n-1", 2),
    2: ("n", "n-1", 3),
    3: ("n", "n-1", "n-2"),
    4: ("n", "n-1", "n-3"),
    5: ("n", "n-2", 2),
    6: ("n", "n-2", 3),
    7: ("n", "n-2", "n-3"),
}


@register(
    "cubic_pancake",
    reference="Restricted prefix reversals (cubic pancake networks): D. W. Bass, I. H. Sudborough, Pancake problems "
    "with restricted prefix reversals and some corresponding Cayley networks, J. Parallel Distrib. Comput. 63 (2003) "
    "327-336; CayleyPy PermutationGroups.cubic_pancake",
    min_degree=4,
    param_docs={"subset": "which three prefix lengths, 1..7: {n,n-1,2} {n,n-1,3} {n,n-1,n-2} {n,n-1,n-3} "
                "{n,n-2,2} {n,n-2,3} {n,n-2,n-3}"},
)
def _cubic_pancake(n: int, subset: int = 1):
    """Three prefix reversals chosen by ``subset`` (1..7), e.g. subset 1 = {Rn, R(n-1), R2}: a cubic graph.

    Unlike ``pancake``, here ``Rk`` reverses the first k positions (prefix length k), as in
    CayleyPy's names for this family. The subsets are {Rn, R(n-1), R2}, {Rn, R(n-1), R3},
    {Rn, R(n-1), R(n-2)}, {Rn, R(n-1), R(n-3)}, {Rn, R(n-2), R2}, {Rn, R(n-2), R3},
    {Rn, R(n-2), R(n-3)}, in CayleyPy's generator order. A degree at which two of the
    three lengths coincide or one is below 2 is refused (subset 1 and 3 need n >= 4,
    subsets 2, 4, 5 and 7 need n >= 5, subset 6 needs n >= 6).
    """
    if isinstance(subset, bool) or subset not in _CUBIC_PANCAKE_SUBSETS:
        raise InvalidInputError(f"cubic_pancake needs subset in 1..7, got {subset!r}")
    lengths = [n if t == "n" else n - int(t[2:]) if isinstance(t, str) else t for t in _CUBIC_PANCAKE_SUBSETS[subset]]
    if len(set(lengths)) < 3 or min(lengths) < 2:
        raise InvalidInputError(
            f"cubic_pancake subset {subset} at n={n} gives prefix lengths {lengths}: they must be distinct and >= 2"
        )
    return [reversal(n, 0, k - 1) for k in lengths], [f"R{k}" for k in lengths]


@register(
    "three_cycles_0ij",
    reference="3-cycles through a fixed point, generating A_n; CayleyPy PermutationGroups.three_cycles_0ij",
    min_degree=3,
)
def _three_cycles_0ij(n: int):
    """All 3-cycles (0 i j), i != j: (n-1)(n-2) generators, inverse-closed, generating A_n.

    Ordered lexicographically by (i, j) and named ``"(0 i j)"`` as in CayleyPy.
    """
    pairs = [(i, j) for i in range(1, n) for j in range(1, n) if i != j]
    return [_cycle_perm(n, (0, i, j)) for i, j in pairs], [f"(0 {i} {j})" for i, j in pairs]


@register(
    "three_cycles_01i",
    reference="The alternating group graph AG_n: J.-S. Jwo, S. Lakshmivarahan, S. K. Dhall, A new class of "
    "interconnection networks based on the alternating group, Networks 23 (1993) 315-326; "
    "CayleyPy PermutationGroups.three_cycles_01i",
    min_degree=3,
    aliases=("alternating_group_graph",),
    param_docs={"add_inverses": "also add each inverse (1 0 i) right after (0 1 i)"},
)
def _three_cycles_01i(n: int, add_inverses: bool = True):
    """The 3-cycles (0 1 i), i = 2..n-1, each followed by its inverse ``"(1 0 i)"``: the alternating group graph.

    With ``add_inverses=False`` only the n-2 cycles (0 1 i), a directed graph; either way
    the group is A_n.
    """
    perms, names = [], []
    for i in range(2, n):
        c = _cycle_perm(n, (0, 1, i))
        perms.append(c)
        names.append(f"(0 1 {i})")
        if add_inverses:
            perms.append(_inverse_list(c))
            names.append(f"(1 0 {i})")
    return perms, names


def _perfect_matchings(elements: list[int]):
    """Perfect matchings of ``elements``: the first element paired with each later one in turn."""
    if not elements:
        yield []
        return
    first = elements[0]
    for t in range(1, len(elements)):
        rest = elements[1:t] + elements[t + 1 :]
        for m in _perfect_matchings(rest):
            yield [(first, elements[t])] + m


@register(
    "involutive_derangements",
    reference="Fixed-point-free involutions (perfect matchings), (n-1)!! of them, OEIS A001147; "
    "CayleyPy PermutationGroups.involutive_derangements",
    degree_step=2,
)
def _involutive_derangements(n: int):
    """All fixed-point-free involutions of an even number n of points: (n-1)!! generators ``ID1, ID2, ...``.

    Numbered as in CayleyPy: position 0 is paired with 1, 2, ..., n-1 in turn and the
    rest is matched the same way recursively. Defined for even n only. At n = 4 the three
    generators form the Klein four-group; from n = 6 on they generate S_n if n/2 is odd and
    A_n if n/2 is even (each is a product of n/2 transpositions).
    """
    perms = [from_pairs(n, m) for m in _perfect_matchings(list(range(n)))]
    return perms, [f"ID{i}" for i in range(1, len(perms) + 1)]


@register(
    "generalized_stars",
    reference="Transpositions of the complete bipartite graph K_{k,n-k}; CayleyPy PermutationGroups.generalized_stars; "
    "transposition graphs: S. B. Akers, B. Krishnamurthy, IEEE Trans. Comput. 38 (1989) 555-566",
    param_docs={"k": "the transpositions (i, j) with i < k <= j (1 <= k < n)"},
)
def _generalized_stars(n: int, k: int = 1):
    """Transpositions (i, j) for i < k <= j: k(n-k) generators named ``"Si-j"``; k = 1 is the star graph.

    Ordered by i, then j, as in CayleyPy: the transposition graph of the complete
    bipartite graph K_{k,n-k}. CayleyPy requires n >= 3; n = 2 (one transposition) is
    allowed here.
    """
    k = _check_k("generalized_stars", k, 1, n - 1, n, "1 <= k < n")
    pairs = [(i, j) for i in range(k) for j in range(k, n)]
    return [transposition(n, i, j) for i, j in pairs], [f"S{i}-{j}" for i, j in pairs]


@register(
    "lsl_cycles",
    reference="Long and sub-long cycles; CayleyPy PermutationGroups.lsl_cycles (growth data lsl_cycles_cayley_growth)",
    min_degree=4,
    param_docs={"add_inverses": "append the inverses L_inv, S_inv"},
)
def _lsl_cycles(n: int, add_inverses: bool = True):
    """The long cycle L = (0 1 ... n-1) and the sub-long cycle S = (1 2 ... n-1), plus their inverses.

    Names ``L, S, L_inv, S_inv`` as in CayleyPy. CayleyPy accepts n = 3, where S is the
    transposition (1 2) and S_inv repeats it; here the family starts at n = 4.
    """
    long_cycle = _cycle_perm(n, list(range(n)))
    sub_long = _cycle_perm(n, list(range(1, n)))
    perms, names = [long_cycle, sub_long], ["L", "S"]
    if add_inverses:
        perms += [_inverse_list(long_cycle), _inverse_list(sub_long)]
        names += ["L_inv", "S_inv"]
    return perms, names


@register(
    "wrapped_k_cycles",
    reference="Cyclically consecutive k-cycles; CayleyPy PermutationGroups.wrapped_k_cycles",
    min_degree=4,
    param_docs={"k": "cycle length (2 <= k < n)"},
)
def _wrapped_k_cycles(n: int, k: int = 3):
    """The n cyclically consecutive k-cycles (s s+1 ... s+k-1 mod n), s = 0..n-1 (default k = 3).

    Named ``"(s s+1 ...)"`` (mod n) as in CayleyPy, which requires k. At k = n all n
    cycles are the same permutation, so k < n here. k = 2 gives the transpositions of
    ``cyclic_coxeter`` under other names.
    """
    k = _check_k("wrapped_k_cycles", k, 2, n - 1, n, "2 <= k < n")
    cycles = [[(s + j) % n for j in range(k)] for s in range(n)]
    return [_cycle_perm(n, c) for c in cycles], [_one_line_name(c, " ") for c in cycles]


@register(
    "larx",
    reference="Transposition (0,1) and the cycle (1 2 ... n-1); CayleyPy PermutationGroups.larx",
    min_degree=3,
)
def _larx(n: int):
    """The transposition (0 1) and the sub-long cycle (1 2 ... n-1) fixing position 0: a directed graph.

    Named by their one-line forms in parentheses, ``"(1 0 2 ...)"`` and ``"(0 2 3 ... 1)"``,
    as in CayleyPy. At n = 2 the cycle is the identity, so the family starts at n = 3.
    """
    perms = [transposition(n, 0, 1), [0] + list(range(2, n)) + [1]]
    return perms, [_one_line_name(p, " ") for p in perms]


@register(
    "increasing_k_cycles",
    reference="Increasing k-cycles (c1 c2 ... ck), c1 < ... < ck; CayleyPy PermutationGroups.increasing_k_cycles",
    min_degree=3,
    param_docs={"k": "cycle length (2 <= k <= n)"},
)
def _increasing_k_cycles(n: int, k: int = 3):
    """All C(n, k) cycles (c1 c2 ... ck) with c1 < c2 < ... < ck (default k = 3): a directed graph for k >= 3.

    Named ``"(c1,c2,...)"`` in lexicographic order, as in CayleyPy (which also allows
    k = 1, the identity, refused here).
    """
    k = _check_k("increasing_k_cycles", k, 2, n, n, "2 <= k <= n")
    combos = list(combinations(range(n), k))
    return [_cycle_perm(n, c) for c in combos], [_one_line_name(c, ",") for c in combos]


@register(
    "sheveleva2",
    reference="Two generators from the 'square with whiskers' pattern conjectured to maximise the diameter; "
    "A. Chervov et al., CayleyPy Growth, arXiv:2509.19162 (2025); CayleyPy PermutationGroups.sheveleva2",
    min_degree=5,
    param_docs={"k": "square position: the 4-cycle on k-1..k+2 (1 <= k <= n-3)"},
)
def _sheveleva2(n: int, k: int = 1):
    """An involution A and a generator S holding a 4-cycle (k-1 k k+1 k+2), built from alternating adjacent transpositions.

    Construction (CayleyPy's): the adjacent transpositions (i, i+1) are dealt
    alternately to two involutions, even i to one and odd i to the other. The one holding
    (k-1, k) trades it and (k+1, k+2) for the 4-cycle (k-1 k k+1 k+2): that is S. The other
    drops (k, k+1) and (k+2, k+3) and gains (k+1, k+3) when k+3 < n: that is A. The
    generators are A, S in that order. At n = 4 with k = 1, A would be the identity, so the
    family starts at n = 5.
    """
    k = _check_k("sheveleva2", k, 1, n - 3, n, "1 <= k <= n - 3")
    square_side = [(i, i + 1) for i in range((k - 1) % 2, n - 1, 2)]
    other_side = [(i, i + 1) for i in range(k % 2, n - 1, 2)]
    s_cycles = [list(pr) for pr in square_side if pr not in {(k - 1, k), (k + 1, k + 2)}] + [[k - 1, k, k + 1, k + 2]]
    a_cycles = [list(pr) for pr in other_side if pr not in {(k, k + 1), (k + 2, k + 3)}]
    if k + 3 < n:
        a_cycles.append([k + 1, k + 3])
    a, s = _perm_from_cycles(n, a_cycles), _perm_from_cycles(n, s_cycles)
    if a == list(range(n)):
        raise InvalidInputError(f"sheveleva2 at n={n}, k={k}: the involution A is the identity")
    return [a, s], ["A", "S"]


@register(
    "koltsov3",
    reference="Three involutions in the 'square with whiskers' pattern conjectured to maximise the diameter; "
    "A. Chervov et al., CayleyPy Growth, arXiv:2509.19162 (2025); CayleyPy PermutationGroups.koltsov3",
    min_degree=5,
    param_docs={
        "perm_type": "1: S = (k, k+d); 2: S = (k, k+3)(k+1, k+2)",
        "k": "position of S",
        "d": "span of S for perm_type 1",
    },
)
def _koltsov3(n: int, perm_type: int = 2, k: int = 1, d: int = 1):
    """Involutions I = (0 1)(2 3)..., K = (1 2)(3 4)... and a short involution S at position k.

    For ``perm_type=2`` (default), S = (k, k+3)(k+1, k+2) closes the path drawn by I and K
    into a square on k..k+3 (the "whiskers" are the rest of the path); for
    ``perm_type=1``, S = (k, k+d). Names ``I, K, S`` as in CayleyPy. The family starts at
    n = 5, where the defaults (type 2, k = 1) fit.
    """
    if perm_type not in (1, 2) or isinstance(perm_type, bool):
        raise InvalidInputError(f"koltsov3 needs perm_type 1 or 2, got {perm_type!r}")
    i_gen = from_pairs(n, [(i, i + 1) for i in range(0, n - 1, 2)])
    k_gen = from_pairs(n, [(i, i + 1) for i in range(1, n - 1, 2)])
    if perm_type == 1:
        d = _check_k("koltsov3", d, 1, n - 1, n, "d >= 1") if not isinstance(d, bool) else d
        k = _check_k("koltsov3", k, 0, n - 1 - d, n, f"0 <= k and k + d < n (d={d})")
        s_gen = transposition(n, k, k + d)
    else:
        k = _check_k("koltsov3", k, 0, n - 4, n, "0 <= k and k + 3 < n")
        s_gen = from_pairs(n, [(k, k + 3), (k + 1, k + 2)])
    return [i_gen, k_gen, s_gen], ["I", "K", "S"]


@register(
    "consecutive_k_cycles",
    reference="Consecutive k-cycles (i i+1 ... i+k-1); CayleyPy PermutationGroups.consecutive_k_cycles; "
    "A. Chervov et al., CayleyPy-4, arXiv:2603.22195 (2026)",
    min_degree=3,
    param_docs={"k": "cycle length (2 <= k <= n)"},
)
def _consecutive_k_cycles(n: int, k: int = 3):
    """The n-k+1 consecutive k-cycles (i i+1 ... i+k-1), i = 0..n-k (default k = 3): a directed graph for k >= 3.

    Named ``"(i,i+1,...)"`` as in CayleyPy (which requires k). Inverses are not added;
    for the undirected graph use :func:`cayley.groups.constructions.inverse_closure`.
    """
    k = _check_k("consecutive_k_cycles", k, 2, n, n, "2 <= k <= n")
    cycles = [list(range(i, i + k)) for i in range(n - k + 1)]
    return [_cycle_perm(n, c) for c in cycles], [_one_line_name(c, ",") for c in cycles]


def _parse_classes(classes) -> list[tuple[tuple[int, ...], int | None]]:
    """Conjugacy-class spec -> [(cycle lengths, count or None for all)], in the given order.

    Accepted: a dict ``{(3, 2): None, (2, 2): 5}`` (CayleyPy's form); a sequence of ints
    (one class, all of it); a sequence of sequences (several classes, all of each); text
    ``"(3,2)"``, ``"3+2"``, ``"(2,2)(3):5"`` (a ``:count`` after a class samples that many).
    """
    if isinstance(classes, dict):
        items = [((k,) if isinstance(k, (int, np.integer)) else tuple(k), v) for k, v in classes.items()]
    elif isinstance(classes, str):
        text = classes.strip()
        groups = re.findall(r"\(([^()]*)\)\s*(?::\s*(\w+))?", text)
        if not groups:
            groups = [(g, c) for g, c in re.findall(r"([\d+\s]+)(?::\s*(\w+))?", text)]
        leftover = re.sub(r"\(([^()]*)\)\s*(?::\s*\w+)?|[\d+\s,]|:\s*\w+", "", text)
        if not groups or leftover:
            raise InvalidInputError(f"cannot parse conjugacy classes {classes!r}: expected e.g. (3,2) or (2,2)(3):5")
        items = []
        for body, count in groups:
            if count in ("", "all", None):
                cnt = None
            elif count.isdigit():
                cnt = int(count)
            else:
                raise InvalidInputError(f"bad sample count {count!r} in conjugacy classes {classes!r}")
            items.append((tuple(_ints(body, "cycle lengths")), cnt))
    elif isinstance(classes, (list, tuple)) and classes and all(isinstance(c, (list, tuple)) for c in classes):
        items = [(tuple(_ints(c, "cycle lengths")), None) for c in classes]
    else:
        items = [(tuple(_ints(classes, "cycle lengths")), None)]
    out = []
    for lengths, count in items:
        lengths = tuple(int(x) for x in lengths)
        if count is not None and (isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1):
            raise InvalidInputError(f"the sample count of class {lengths} must be a positive integer or None, got {count!r}")
        out.append((lengths, None if count is None else int(count)))
    if not out:
        raise InvalidInputError("conjugacy_classes needs at least one class")
    return out


def _class_members(n: int, lengths: Sequence[int]):
    """All permutations of 0..n-1 with cycle type ``lengths`` (including 1s, summing to n), in CayleyPy's order.

    Each permutation is written with its cycles in increasing order of their smallest
    points, each cycle starting at its smallest point; at each step the cycle through the
    smallest unused point is chosen by length (ascending), then its other points as a
    combination (lexicographic), then their order (lexicographic).
    """
    from collections import Counter

    def rec(available: list[int], counts: Counter):
        if not available:
            yield []
            return
        s, rest = available[0], available[1:]
        for length in sorted(k for k, c in counts.items() if c > 0):
            counts[length] -= 1
            for others in combinations(rest, length - 1):
                remaining = [x for x in rest if x not in others]
                for order in permutations(others):
                    for tail in rec(remaining, counts):
                        yield [(s,) + order] + tail
            counts[length] += 1

    for cycles in rec(list(range(n)), Counter(lengths)):
        yield _perm_from_cycles(n, cycles)


def _class_size(n: int, lengths: Sequence[int]) -> int:
    from collections import Counter
    from math import factorial, prod

    return factorial(n) // prod(k**m * factorial(m) for k, m in Counter(lengths).items())


def _rng(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise InvalidInputError(f"seed must be an integer, a numpy Generator or None, got {seed!r}")
    return np.random.default_rng(seed)


@register(
    "conjugacy_classes",
    reference="Generators closed under conjugation (normal Cayley graphs): whole conjugacy classes of S_n; "
    "number of classes OEIS A000041; J. Steinhardt, Cayley graphs formed by conjugate generating sets of S_n, "
    "arXiv:0711.3057; CayleyPy PermutationGroups.conjugacy_classes",
    param_docs={
        "classes": "cycle types, e.g. (3,2) or (2,2)(3):5 (':5' samples 5 of that class); "
        "a dict {(3, 2): None, (2, 2): 5} in Python",
        "seed": "seed for sampled classes",
    },
)
def _conjugacy_classes(n: int, classes="(2)", seed=0):
    """Whole conjugacy classes of S_n (by cycle type), or seeded random samples of them; default: all transpositions.

    A class is given by cycle lengths; lengths summing to less than n are padded with
    fixed points. Names are CayleyPy's: the cycle type sorted in decreasing order with
    its 1s, and a running number, e.g. ``"(3,2,1)_4"``. Whole classes are listed in
    CayleyPy's order; a sampled class (``(3,2):5``) draws that many distinct members from
    ``seed`` (CayleyPy draws from the global random state, so its samples differ).
    """
    perms, names = [], []
    rng = None
    for lengths, count in _parse_classes(classes):
        if not lengths or any(x < 1 for x in lengths) or sum(lengths) > n:
            raise InvalidInputError(
                f"conjugacy class {lengths} needs positive cycle lengths summing to at most n={n}"
            )
        full = sorted(list(lengths) + [1] * (n - sum(lengths)), reverse=True)
        if full[0] == 1:
            raise InvalidInputError(f"conjugacy class {lengths} is the identity's class")
        label = ",".join(map(str, full))
        if count is None:
            members = list(_class_members(n, full))
        else:
            size = _class_size(n, full)
            if count > size:
                raise InvalidInputError(f"class ({label}) has {size} elements; cannot sample {count} distinct ones")
            rng = rng if rng is not None else _rng(seed)
            seen: set[tuple[int, ...]] = set()
            members = []
            while len(members) < count:
                order = rng.permutation(n).tolist()
                cycles, pos = [], 0
                for length in full:
                    cycles.append(order[pos : pos + length])
                    pos += length
                p = _perm_from_cycles(n, cycles)
                if tuple(p) not in seen:
                    seen.add(tuple(p))
                    members.append(p)
        for i, p in enumerate(members, start=1):
            perms.append(p)
            names.append(f"({label})_{i}")
    if len({tuple(p) for p in perms}) != len(perms):
        raise InvalidInputError(f"conjugacy classes {classes!r} list a class twice")
    return perms, names


@register(
    "rand_generators",
    reference="Random generating sets: J. D. Dixon, The probability of generating the symmetric group, "
    "Math. Z. 110 (1969) 199-205; CayleyPy PermutationGroups.rand_generators",
    min_degree=3,
    param_docs={"k": "number of random permutations", "seed": "random seed (reproducible)"},
)
def _rand_generators(n: int, k: int = 2, seed=0):
    """k distinct random non-identity permutations drawn from ``seed`` (default k = 2): a directed graph.

    Reproducible: the same n, k and seed give the same generators. Named by their
    one-line forms ``"(p0,p1,...)"`` as in CayleyPy, whose draws come from numpy's global
    random state (so its sets differ) and may include the identity. Two random
    permutations generate S_n or A_n with probability tending to 1 (Dixon 1969).
    """
    from math import factorial

    k = _check_k("rand_generators", k, 1, factorial(n) - 1, n, "1 <= k < n!")
    rng = _rng(seed)
    ident = tuple(range(n))
    seen: set[tuple[int, ...]] = set()
    perms = []
    while len(perms) < k:
        p = tuple(int(x) for x in rng.permutation(n))
        if p != ident and p not in seen:
            seen.add(p)
            perms.append(list(p))
    return perms, [_one_line_name(p, ",") for p in perms]


@register(
    "down_cycles",
    reference="All cycles of consecutive positions (i i+1 ... j); CayleyPy PermutationGroups.down_cycles "
    "(growth data down_cycles_cayley_growth)",
)
def _down_cycles(n: int):
    """The n(n-1)/2 cycles (i i+1 ... j), 0 <= i < j < n, named ``"(i,...,j)"``: a directed graph.

    Ordered by i, then j, as in CayleyPy. In the action ``s[p]`` the cycle moves the entry
    at position i to position j and shifts the ones between down by one.
    """
    cycles = [list(range(i, j + 1)) for i in range(n) for j in range(i + 1, n)]
    return [_cycle_perm(n, c) for c in cycles], [_one_line_name(c, ",") for c in cycles]


@register(
    "prefix_cycles",
    reference="Prefix rotations; the rotator graph: P. F. Corbett, Rotator graphs: an efficient topology for "
    "point-to-point multiprocessor networks, IEEE Trans. Parallel Distrib. Syst. 3 (1992) 622-626; "
    "CayleyPy PermutationGroups.prefix_cycles",
    aliases=("rotator",),
)
def _prefix_cycles(n: int):
    """Prefix rotations (0 1 ... j-1), j = 2..n, named ``"(0,...,j-1)"``: the (directed) rotator graph.

    In the action ``s[p]`` the rotation moves the first entry to position j-1 and the
    next j-1 entries up by one (Corbett's rotation of a prefix). Corbett's rotator graph
    has a Hamilton cycle.
    """
    cycles = [list(range(j)) for j in range(2, n + 1)]
    return [_cycle_perm(n, c) for c in cycles], [_one_line_name(c, ",") for c in cycles]


# ----------------------------------------------------------------------------------
# classical families CayleyPy lacks
# ----------------------------------------------------------------------------------
def _tree_edges(n: int, edges) -> list[tuple[int, int]]:
    """Edges of a spanning tree on 0..n-1 from a shape name, pairs, a flat list or text."""
    if isinstance(edges, str) and edges.strip().lower() in ("path", "star", "binary"):
        shape = edges.strip().lower()
        if shape == "path":
            return [(i, i + 1) for i in range(n - 1)]
        if shape == "star":
            return [(0, i) for i in range(1, n)]
        return [((i - 1) // 2, i) for i in range(1, n)]
    if isinstance(edges, str):
        flat = _ints(edges.replace("-", " "), "tree edges")
    elif isinstance(edges, (list, tuple)) and edges and all(isinstance(e, (list, tuple)) for e in edges):
        if any(len(e) != 2 for e in edges):
            raise InvalidInputError(f"tree edges must be pairs, got {edges!r}")
        flat = [int(x) for e in edges for x in e]
    else:
        flat = _ints(edges, "tree edges")
    if len(flat) % 2:
        raise InvalidInputError(f"tree edges need an even number of endpoints, got {edges!r}")
    pairs = [(flat[t], flat[t + 1]) for t in range(0, len(flat), 2)]
    if len(pairs) != n - 1:
        raise InvalidInputError(f"a spanning tree on n={n} points has {n - 1} edges, got {len(pairs)}: {pairs}")
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        if not (0 <= a < n and 0 <= b < n) or a == b:
            raise InvalidInputError(f"tree edge ({a},{b}) is not an edge between two of the points 0..{n - 1}")
        ra, rb = find(a), find(b)
        if ra == rb:
            raise InvalidInputError(f"tree edges {pairs} contain a cycle (edge ({a},{b})): not a tree")
        parent[ra] = rb
    return pairs


@register(
    "transposition_tree",
    reference="Cayley graphs of transposition trees: S. B. Akers, B. Krishnamurthy, A group-theoretic model for "
    "symmetric interconnection networks, IEEE Trans. Comput. 38 (1989) 555-566; "
    "https://en.wikipedia.org/wiki/Star_graph",
    param_docs={"edges": "the tree: path, star, binary (heap-ordered), or edges like (0,1)(1,2)(1,3) / [0,1,1,2,1,3]"},
)
def _transposition_tree(n: int, edges="path"):
    """The transpositions (i, j) along the n-1 edges of a spanning tree on 0..n-1; they generate S_n.

    ``edges`` is a shape (``"path"``: the bubble-sort graph, ``"star"``: the star graph,
    ``"binary"``: the complete binary tree with edges (floor((i-1)/2), i)) or the edge
    list, as pairs, a flat list ``[a0, b0, a1, b1, ...]`` or text ``"(0,1)(1,2)"``.
    Generators follow the edge order and are named ``"(i,j)"`` with i < j.
    """
    pairs = [tuple(sorted(e)) for e in _tree_edges(n, edges)]
    return [transposition(n, i, j) for i, j in pairs], [f"({i},{j})" for i, j in pairs]


@register(
    "bubble_sort_star",
    reference="Bubble-sort star graphs: Z.-T. Chou, C.-C. Hsu, J.-P. Sheu, Bubblesort star graphs: a new "
    "interconnection network, Proc. ICPADS 1996, 41-48",
)
def _bubble_sort_star(n: int):
    """Star transpositions (0, i), i = 1..n-1, then adjacent transpositions (i, i+1), i = 1..n-2: 2n-3 generators.

    The union of the star graph's and the bubble-sort graph's generators ((0, 1) is in
    both and appears once), named ``"(i,j)"``.
    """
    pairs = [(0, i) for i in range(1, n)] + [(i, i + 1) for i in range(1, n - 1)]
    return [transposition(n, i, j) for i, j in pairs], [f"({i},{j})" for i, j in pairs]


@register(
    "split_stars",
    reference="Split-stars: E. Cheng, M. J. Lipman, H. A. Park, Super connectivity of star graphs, alternating "
    "group graphs and split-stars, Ars Combin. 59 (2001) 107-116",
    min_degree=3,
)
def _split_stars(n: int):
    """The alternating group graph's 3-cycles (0 1 i), (1 0 i), i = 2..n-1, plus the transposition (0, 1): 2n-3 generators.

    The split-star S_n^2 of Cheng, Lipman and Park, the S_n companion of the alternating
    group graph (``three_cycles_01i``), whose names it reuses; (0, 1) comes last.
    """
    perms, names = _three_cycles_01i(n, add_inverses=True)
    return perms + [transposition(n, 0, 1)], names + ["(0,1)"]


def _block_exchange(n: int, i: int, j: int, k: int, l: int) -> list[int]:
    """Exchange the blocks [i..j-1] and [k..l-1] (i < j <= k < l <= n)."""
    return list(range(i)) + list(range(k, l)) + list(range(j, k)) + list(range(i, j)) + list(range(l, n))


@register(
    "prefix_transpositions",
    reference="Prefix transpositions: Z. Dias, J. Meidanis, Sorting by prefix transpositions, SPIRE 2002, "
    "LNCS 2476, 65-76; B. Chitturi, I. H. Sudborough, Theoret. Comput. Sci. 421 (2012) 15-24",
)
def _prefix_transpositions(n: int):
    """Exchanges of a prefix [0..j-1] with the adjacent block [j..k] (1 <= j <= k < n): n(n-1)/2 generators.

    The transposons (block moves) that involve position 0, named like ``transposons``:
    ``"T[0..j-1,k]"``, ordered by j, then k.
    """
    perms, names = [], []
    for j in range(1, n):
        for k in range(j, n):
            perms.append(_block_exchange(n, 0, j, j, k + 1))
            names.append(f"T[0..{j - 1},{k}]")
    return perms, names


@register(
    "prefix_block_interchanges",
    reference="Prefix block-interchanges: A. Labarre, Sorting by prefix block-interchanges, ISAAC 2020, "
    "LIPIcs 181, 55:1-55:15 (arXiv:2008.13640)",
)
def _prefix_block_interchanges(n: int):
    """Exchanges of a prefix [0..j-1] with any later block [k..l-1] (1 <= j <= k < l <= n): C(n+1, 3) generators.

    Named like ``block_interchange``: ``"I[0..j-1,k..l-1]"``, ordered by j, k, l. With
    k = j the blocks are adjacent (a prefix transposition).
    """
    perms, names = [], []
    for j in range(1, n):
        for k in range(j, n):
            for l in range(k + 1, n + 1):
                perms.append(_block_exchange(n, 0, j, k, l))
                names.append(f"I[0..{j - 1},{k}..{l - 1}]")
    return perms, names


_PREFIX_SUFFIX_REF = (
    "C. N. Lintzmayer, G. Fertin, Z. Dias, Sorting permutations by prefix and suffix rearrangements, "
    "J. Bioinform. Comput. Biol. 15 (2017) 1750002"
)


@register(
    "prefix_suffix_reversals",
    reference="Prefix and suffix reversals: " + _PREFIX_SUFFIX_REF + "; G. Fertin, L. Jankowiak, G. Jean, "
    "Prefix and suffix reversals on strings, SPIRE 2015, LNCS 9309",
)
def _prefix_suffix_reversals(n: int):
    """Prefix reversals R[0..i], i = 1..n-1, then suffix reversals R[i..n-1], i = 1..n-2: 2n-3 generators.

    The full reversal is both a prefix and a suffix reversal and appears once (as
    ``R[0..n-1]``); names as in ``full_reversals``.
    """
    pairs = [(0, i) for i in range(1, n)] + [(i, n - 1) for i in range(1, n - 1)]
    return [reversal(n, i, j) for i, j in pairs], [f"R[{i}..{j}]" for i, j in pairs]


@register(
    "prefix_suffix_transpositions",
    reference="Prefix and suffix transpositions: " + _PREFIX_SUFFIX_REF,
)
def _prefix_suffix_transpositions(n: int):
    """Prefix transpositions T[0..j-1,k], then suffix transpositions T[i..j-1,n-1] with i >= 1: (n-1)^2 generators.

    A block move touching both ends (i = 0 and k = n-1) is listed once, among the
    prefix transpositions; names as in ``transposons``.
    """
    perms, names = _prefix_transpositions(n)
    for i in range(1, n):
        for j in range(i + 1, n):
            perms.append(_block_exchange(n, i, j, j, n))
            names.append(f"T[{i}..{j - 1},{n - 1}]")
    return perms, names


@register(
    "prefix_reversals_transpositions",
    reference="Prefix reversals and prefix transpositions: " + _PREFIX_SUFFIX_REF,
)
def _prefix_reversals_transpositions(n: int):
    """The pancake flips R1..R(n-1), then the prefix transpositions T[0..j-1,k] except T[0..0,1] (which is R1).

    Generator names are those of ``pancake`` and ``prefix_transpositions``.
    """
    perms, names = _pancake(n)
    pt, pt_names = _prefix_transpositions(n)
    for p, nm in zip(pt, pt_names):
        if nm != "T[0..0,1]":
            perms.append(p)
            names.append(nm)
    return perms, names


@register(
    "short_swaps",
    reference="Short swaps (reversals of length 2 and 3): L. S. Heath, J. P. C. Vergara, Sorting by short swaps, "
    "J. Comput. Biol. 10 (2003) 775-789",
)
def _short_swaps(n: int):
    """Transpositions of positions at distance 1 or 2, (i, i+1) and (i, i+2): 2n-3 generators.

    Ordered by i, distance 1 first, named ``"(i,j)"``. A swap at distance 2 is the
    reversal of three consecutive positions, so these are also the short reversals.
    """
    pairs = [(i, i + d) for i in range(n) for d in (1, 2) if i + d < n]
    return [transposition(n, i, j) for i, j in pairs], [f"({i},{j})" for i, j in pairs]


@register(
    "short_block_moves",
    reference="Short block-moves: L. S. Heath, J. P. C. Vergara, Sorting by short block-moves, "
    "Algorithmica 28 (2000) 323-352",
)
def _short_block_moves(n: int):
    """Block moves (transposons) of total length at most 3: adjacent swaps and moves of one entry past two.

    The transposons ``T[i..j-1,k]`` with k - i <= 2, in the order and with the names of
    ``transposons``: (i, i+1) swaps and the two rotations of three consecutive positions.
    """
    perms, names = [], []
    for i in range(n):
        for j in range(i + 1, n):
            for k in range(j, min(n, i + 3)):
                perms.append(_block_exchange(n, i, j, j, k + 1))
                names.append(f"T[{i}..{j - 1},{k}]")
    return perms, names


@register(
    "consecutive_k_reversals",
    reference="Fixed-length reversals: T. Chen, S. S. Skiena, Sorting with fixed-length reversals, "
    "Discrete Appl. Math. 71 (1996) 269-295",
    min_degree=3,
    param_docs={"k": "reversal length (2 <= k <= n)"},
)
def _consecutive_k_reversals(n: int, k: int = 3):
    """Reversals of the n-k+1 windows of k consecutive positions, R[i..i+k-1] (default k = 3).

    k = 2 gives the Coxeter generators. Each generator is an involution. For k = 3 the
    graph is disconnected from S_n: even and odd positions never mix.
    """
    k = _check_k("consecutive_k_reversals", k, 2, n, n, "2 <= k <= n")
    return [reversal(n, i, i + k - 1) for i in range(n - k + 1)], [f"R[{i}..{i + k - 1}]" for i in range(n - k + 1)]


@register(
    "wrapped_k_reversals",
    reference="Fixed-length reversals on a circle (the TopSpin turnstile at every position): T. Chen, S. S. Skiena, "
    "Sorting with fixed-length reversals, Discrete Appl. Math. 71 (1996) 269-295",
    min_degree=5,
    param_docs={"k": "reversal length (2 <= k < n)"},
)
def _wrapped_k_reversals(n: int, k: int = 4):
    """Reversals of the n windows of k cyclically consecutive positions (default k = 4): named ``"R[i..j]"``, j = i+k-1 mod n.

    The generators of (n, k)-TopSpin without the rotations: the turnstile applied at
    every position of the oval track. k = 2 gives the transpositions of
    ``cyclic_coxeter``.
    """
    k = _check_k("wrapped_k_reversals", k, 2, n - 1, n, "2 <= k < n")
    perms, names = [], []
    for i in range(n):
        window = [(i + t) % n for t in range(k)]
        p = list(range(n))
        for t in range(k):
            p[window[t]] = window[k - 1 - t]
        perms.append(p)
        names.append(f"R[{i}..{window[-1]}]")
    return perms, names


@register(
    "k_cycles",
    reference="The conjugacy class of k-cycles (n!/((n-k)! k) of them), a normal generating set; J. Steinhardt, "
    "Cayley graphs formed by conjugate generating sets of S_n, arXiv:0711.3057",
    min_degree=4,
    param_docs={"k": "cycle length (2 <= k <= n)"},
)
def _k_cycles(n: int, k: int = 4):
    """All k-cycles (default k = 4): n!/((n-k)! k) generators, inverse-closed; k = 2 gives all transpositions.

    Ordered as in ``all_cycles`` (by the set of moved points, then the cycle starting at
    its smallest point) and named ``"(a b c d)"`` like ``three_cycles``. They generate
    S_n for even k and A_n for odd k (n >= 3).
    """
    k = _check_k("k_cycles", k, 2, n, n, "2 <= k <= n")
    cycles = [(s[0],) + rest for s in combinations(range(n), k) for rest in permutations(s[1:])]
    return [_cycle_perm(n, c) for c in cycles], [_one_line_name(c, " ") for c in cycles]


def _rotator_lengths(n: int, lengths) -> list[int]:
    if isinstance(lengths, str):
        out = []
        for tok in re.split(r"[,\s+;]+", lengths.strip().strip("()[]")):
            if not tok:
                continue
            m = re.fullmatch(r"n(?:-(\d+))?|(\d+)", tok)
            if not m:
                raise InvalidInputError(f"cannot parse prefix length {tok!r} in {lengths!r}: expected e.g. 2,3,n-1,n")
            out.append(int(m.group(2)) if m.group(2) else n - int(m.group(1) or 0))
    else:
        out = _ints(lengths, "prefix lengths")
    bad = [x for x in out if not 2 <= x <= n]
    if bad or not out:
        raise InvalidInputError(f"restricted_rotator needs prefix lengths in 2..n={n}, got {out}")
    if len(set(out)) != len(out):
        raise InvalidInputError(f"restricted_rotator prefix lengths repeat: {out}")
    return out


@register(
    "restricted_rotator",
    reference="Restricted rotator graphs: B. Stevens, A. Williams, Hamilton cycles in restricted and incomplete "
    "rotator graphs, J. Graph Algorithms Appl. 16 (2012) 785-810; F. Ruskey, A. Williams, An explicit universal "
    "cycle for the (n-1)-permutations of an n-set, ACM Trans. Algorithms 6 (2010) 45",
    min_degree=3,
    param_docs={"lengths": "prefix lengths to rotate, e.g. n-1,n (default) or 2,3,n; a list of ints in Python"},
)
def _restricted_rotator(n: int, lengths="n-1,n"):
    """Prefix rotations (0 1 ... r-1) for r in a set R of prefix lengths (default R = {n-1, n}): a directed graph.

    A subgraph of the rotator graph (``prefix_cycles``); names as there. Stevens and
    Williams build Hamilton cycles for R = {n-1, n} and R = {2, 3, n}. Lengths may be
    written relative to n (``"n-1"``).
    """
    rs = _rotator_lengths(n, lengths)
    cycles = [list(range(r)) for r in rs]
    return [_cycle_perm(n, c) for c in cycles], [_one_line_name(c, ",") for c in cycles]


@register(
    "shift_k_cycle",
    reference="Cyclic shifts with a k-cycle: an n-cycle and a 3-cycle generate S_n for even n and A_n for odd n "
    "(Jordan's theorem, J. D. Dixon, B. Mortimer, Permutation Groups, GTM 163 (1996) Thm 3.3E); "
    "the LRX family with X replaced by a cycle",
    min_degree=4,
    param_docs={"k": "length of the cycle C = (0 1 ... k-1) (3 <= k < n)"},
)
def _shift_k_cycle(n: int, k: int = 3):
    """Left and right cyclic shifts L, R and the k-cycle C = (0 1 ... k-1) with its inverse (default k = 3).

    Generators ``L, R, C, C^-1``: an undirected 4-regular graph, the LRX family with the
    transposition X replaced by a k-cycle. k = 2 would give C = C^-1 (that is ``lrx``),
    k = n would give C = L.
    """
    k = _check_k("shift_k_cycle", k, 3, n - 1, n, "3 <= k < n")
    c = _cycle_perm(n, list(range(k)))
    return [shift_left(n), shift_right(n), c, _inverse_list(c)], ["L", "R", "C", "C^-1"]


@register(
    "perfect_shuffles",
    reference="Perfect shuffles: P. Diaconis, R. L. Graham, W. M. Kantor, The mathematics of perfect shuffles, "
    "Adv. Appl. Math. 4 (1983) 175-196",
    min_degree=4,
    degree_step=2,
)
def _perfect_shuffles(n: int):
    """The out-shuffle O and the in-shuffle I of a deck of n cards (n even): a directed graph.

    The deck (positions 0..n-1, top first) is cut into halves of m = n/2 and riffled:
    O keeps the top card on top (new position 2i takes card i, 2i+1 takes card m+i), I
    puts the second half's top card first. Both keep the pairs of positions
    {i, n-1-i} together, so the group lies in the hyperoctahedral group of order
    2^(n/2) (n/2)!; Diaconis, Graham and Kantor determine it exactly (it is much smaller
    when n is a power of 2). Defined for even n >= 4 (at n = 2 the out-shuffle is the
    identity).
    """
    m = n // 2
    out = [0] * n
    inn = [0] * n
    for i in range(m):
        out[2 * i], out[2 * i + 1] = i, m + i
        inn[2 * i], inn[2 * i + 1] = m + i, i
    return [out, inn], ["O", "I"]


@register(
    "cyclic",
    reference="The cycle graph C_n as the Cayley graph of the cyclic group Z_n; https://en.wikipedia.org/wiki/Cycle_graph",
    min_degree=3,
)
def _cyclic(n: int):
    """The cyclic group Z_n by the shifts L and R: the cycle graph on n vertices.

    At n = 2 the two shifts coincide, so the family starts at n = 3.
    """
    return [shift_left(n), shift_right(n)], ["L", "R"]


@register(
    "dihedral",
    reference="The dihedral group D_n acting on the vertices of a regular n-gon; its Cayley graph by a rotation, "
    "its inverse and a reflection is the prism graph; https://en.wikipedia.org/wiki/Dihedral_group",
    min_degree=3,
)
def _dihedral(n: int):
    """The dihedral group of order 2n on the n-gon's vertices: rotations L, R and the reflection S fixing vertex 0.

    S maps vertex i to -i mod n. The Cayley graph is the prism graph (circular ladder)
    on 2n vertices.
    """
    return [shift_left(n), shift_right(n), [(-i) % n for i in range(n)]], ["L", "R", "S"]


@register(
    "hypercube",
    reference="The hypercube graph Q_n as the Cayley graph of (Z_2)^n: https://en.wikipedia.org/wiki/Hypercube_graph; "
    "F. Harary, J. P. Hayes, H.-J. Wu, A survey of the theory of hypercube graphs, Comput. Math. Appl. 15 (1988) 277-289",
    min_degree=1,
    signed=True,
)
def _hypercube(n: int):
    """Sign flips F0..F(n-1) of n signed elements on 2n positions: the hypercube Q_n (2^n vertices).

    Fi swaps the two sides of element i (positions i and n + i), as in the signed
    families; the flips commute, so the group is (Z_2)^n, a subgroup of ``coxeter_b``'s.
    """
    return [transposition(2 * n, i, n + i) for i in range(n)], [f"F{i}" for i in range(n)]


@register(
    "signed_prefix_suffix_reversals",
    reference="Signed prefix and suffix reversals: C. N. Lintzmayer, Z. Dias, On sorting of signed permutations by "
    "prefix and suffix reversals and transpositions, AlCoB 2014, LNCS 8542, 146-157",
    min_degree=2,
    signed=True,
)
def _signed_prefix_suffix_reversals(n: int):
    """Signed prefix reversals R[0..i] (the burnt pancake flips), then signed suffix reversals R[i..n-1], i >= 1.

    On 2n positions as in the other signed families: element t is positions t and n + t.
    The flip of all n elements is both a prefix and a suffix reversal and appears once;
    2n - 1 generators, named like ``signed_reversals``. At n = 1 the single flip is
    ``burnt_pancake``'s, so the family starts at n = 2.
    """
    pairs = [(0, j) for j in range(n)] + [(i, n - 1) for i in range(1, n)]
    return [_signed_flip(n, i, j) for i, j in pairs], [f"R[{i}..{j}]" for i, j in pairs]


@register(
    "prefix_suffix_reversals_transpositions",
    reference="Prefix and suffix reversals and transpositions: " + _PREFIX_SUFFIX_REF,
    min_degree=3,
)
def _prefix_suffix_reversals_transpositions(n: int):
    """The prefix and suffix reversals, then the prefix and suffix transpositions that are not reversals.

    The union of ``prefix_suffix_reversals`` and ``prefix_suffix_transpositions``; a
    block move of two single positions is a reversal too and is listed once, as a
    reversal. Names are those of the two families.
    """
    perms, names = _prefix_suffix_reversals(n)
    seen = {tuple(p) for p in perms}
    pt, pt_names = _prefix_suffix_transpositions(n)
    for p, nm in zip(pt, pt_names):
        if tuple(p) not in seen:
            perms.append(p)
            names.append(nm)
    return perms, names


@register(
    "reversals_transpositions",
    reference="Reversals and transpositions: M. E. M. T. Walter, Z. Dias, J. Meidanis, Reversal and transposition "
    "distance of linear chromosomes, SPIRE 1998, 96-102",
    min_degree=3,
)
def _reversals_transpositions(n: int):
    """All reversals R[i..j] (``full_reversals``), then all block moves (``transposons``) that are not reversals.

    A block move of two adjacent single positions is the reversal of those two and is
    listed once, as a reversal.
    """
    perms, names = _full_reversals(n)
    seen = {tuple(p) for p in perms}
    tp, tp_names = _transposons(n)
    for p, nm in zip(tp, tp_names):
        if tuple(p) not in seen:
            perms.append(p)
            names.append(nm)
    return perms, names


@register(
    "insertions",
    reference="Single-element moves (insertions); the distance is Ulam's metric n - (longest increasing "
    "subsequence): P. Diaconis, Group Representations in Probability and Statistics, IMS (1988) ch. 6; "
    "D. Aldous, P. Diaconis, Bull. Amer. Math. Soc. 36 (1999) 413-432",
)
def _insertions(n: int):
    """Moves of one entry from position i to position j, all i != j: (n-1)^2 generators, inverse-closed.

    For i < j the move is the cycle (i i+1 ... j) of ``down_cycles``, named
    ``"(i,...,j)"``, and the move back is its inverse, named ``"(j,...,i)"``; moves
    between neighbours are transpositions and appear once. Ordered by i, then j.
    The undirected version of ``down_cycles``.
    """
    perms, names = [], []
    for i in range(n):
        for j in range(i + 1, n):
            c = _cycle_perm(n, list(range(i, j + 1)))
            perms.append(c)
            names.append(_one_line_name(range(i, j + 1), ","))
            if j > i + 1:
                perms.append(_inverse_list(c))
                names.append(_one_line_name(range(j, i - 1, -1), ","))
    return perms, names


@register(
    "bi_rotator",
    reference="Rotations of a prefix both ways (the bi-rotator graph of H.-R. Lin and C.-C. Hsu, IEICE Trans. Inf. "
    "Syst., 2003); rotator graphs: P. F. Corbett, IEEE Trans. Parallel Distrib. Syst. 3 (1992) 622-626",
    min_degree=3,
)
def _bi_rotator(n: int):
    """Prefix rotations (0 1 ... j-1), j = 2..n, each followed by its inverse (for j >= 3): the undirected rotator graph.

    Names as in ``prefix_cycles`` for the rotations and ``"(j-1,...,0)"`` for the
    inverses; 2n - 3 generators.
    """
    perms, names = [], []
    for j in range(2, n + 1):
        c = _cycle_perm(n, list(range(j)))
        perms.append(c)
        names.append(_one_line_name(range(j), ","))
        if j >= 3:
            perms.append(_inverse_list(c))
            names.append(_one_line_name(range(j - 1, -1, -1), ","))
    return perms, names


@register(
    "coxeter_i2",
    reference="The dihedral group as the Coxeter group I_2(n) by two reflections: A. Bjorner, F. Brenti, "
    "Combinatorics of Coxeter Groups, GTM 231 (2005) ch. 1; https://en.wikipedia.org/wiki/Dihedral_group",
    min_degree=3,
)
def _coxeter_i2(n: int):
    """Two reflections of the regular n-gon generating its dihedral group: s0 fixes vertex 0, s1 swaps 0 and 1.

    s0 maps vertex i to -i mod n and s1 maps i to 1 - i mod n; s0 s1 is a rotation, so
    the Cayley graph is a cycle of length 2n (diameter n).
    """
    return [[(-i) % n for i in range(n)], [(1 - i) % n for i in range(n)]], ["s0", "s1"]


def _signed_shift(n: int) -> list[int]:
    """Shift n signed elements left by one, each with both its sides (positions t and n + t)."""
    return [(t + 1) % n for t in range(n)] + [n + (t + 1) % n for t in range(n)]


@register(
    "cube_connected_cycles",
    reference="Cube-connected cycles: F. P. Preparata, J. Vuillemin, The cube-connected cycles: a versatile network "
    "for parallel computation, Comm. ACM 24 (1981) 300-309; as a Cayley graph of Z_2 wr Z_n: S. B. Akers, "
    "B. Krishnamurthy, IEEE Trans. Comput. 38 (1989) 555-566",
    min_degree=3,
    signed=True,
)
def _cube_connected_cycles(n: int):
    """The cube-connected cycles CCC_n: cyclic shifts L, R of n signed elements and the flip F0 of element 0.

    On 2n positions as in the signed families (element t is positions t and n + t). The
    group is the wreath product Z_2 wr Z_n of order n 2^n and the Cayley graph is
    3-regular: a hypercube Q_n whose vertices are replaced by n-cycles. At n = 2 the two
    shifts coincide, so the family starts at n = 3.
    """
    left = _signed_shift(n)
    return [left, _inverse_list(left), transposition(2 * n, 0, n)], ["L", "R", "F0"]


@register(
    "wrapped_butterfly",
    reference="Wrapped butterfly as a Cayley graph of Z_2 wr Z_n: S.-C. Hwang, G.-H. Chen, A note on cyclic-cubes, "
    "Inform. Process. Lett. 72 (1999) 131-135; F. T. Leighton, Introduction to Parallel Algorithms and "
    "Architectures (1992) 3.8",
    min_degree=3,
    signed=True,
)
def _wrapped_butterfly(n: int):
    """The wrapped butterfly: the signed shift g, the flip-then-shift f = F0 g, and their inverses (4-regular).

    On 2n positions as in the signed families. Vertices are the n 2^n elements of
    Z_2 wr Z_n; g moves to the next level and f also flips the current bit, as the
    butterfly's straight and cross edges do. Names ``g, f, g^-1, f^-1``.
    """
    g = _signed_shift(n)
    flip = transposition(2 * n, 0, n)
    f = [flip[g[i]] for i in range(2 * n)]  # act by flip, then by g
    return [g, f, _inverse_list(g), _inverse_list(f)], ["g", "f", "g^-1", "f^-1"]


@register(
    "folded_hypercube",
    reference="Folded hypercubes: A. El-Amawy, S. Latifi, Properties and performance of folded hypercubes, "
    "IEEE Trans. Parallel Distrib. Syst. 2 (1991) 31-42",
    min_degree=2,
    signed=True,
)
def _folded_hypercube(n: int):
    """The hypercube's sign flips F0..F(n-1) plus the flip of all n elements at once, ``Fall``: (n+1)-regular.

    On 2n positions as in ``hypercube``; the group is still (Z_2)^n and the diameter
    is ceil(n/2). At n = 1 the extra flip would repeat F0.
    """
    perms = [transposition(2 * n, i, n + i) for i in range(n)]
    perms.append(from_pairs(2 * n, [(i, n + i) for i in range(n)]))
    return perms, [f"F{i}" for i in range(n)] + ["Fall"]


# ----------------------------------------------------------------------------------
# classical Cayley graphs of small groups and interconnection networks
# ----------------------------------------------------------------------------------
def _is_prime(p: int) -> bool:
    return p >= 2 and all(p % d for d in range(2, int(p**0.5) + 1))


def _map_perm(n: int, f) -> list[int]:
    """One-line form ``p[i] = f(i)`` of a map of 0..n-1 onto itself."""
    return [int(f(i)) for i in range(n)]


def _with_inverse(perms, names, p, name):
    """Append p and, when it is not an involution, its inverse ``name'``."""
    perms.append(p)
    names.append(name)
    inv = _inverse_list(p)
    if inv != list(p):
        perms.append(inv)
        names.append(name + "'")


@register(
    "circulant",
    reference="Circulant graphs as Cayley graphs of Z_n: https://en.wikipedia.org/wiki/Circulant_graph; "
    "F. T. Boesch, R. Tindell, Circulants and their connectivities, J. Graph Theory 8 (1984) 487-499",
    min_degree=4,
    param_docs={"jumps": "the connection set {j}: shifts by +-j, e.g. 1,2 (default) or 1,3"},
)
def _circulant(n: int, jumps="1,2"):
    """The circulant graph C_n(jumps): shifts of Z_n by +j and -j for each jump j (default 1, 2).

    Translations of the n points, named ``+j`` and ``-j`` (one name when 2j = n). The
    graph is connected when the jumps and n are coprime as a set.
    """
    js = _ints(jumps, "jumps") if not isinstance(jumps, str) else [int(x) for x in re.split(r"[,\s]+", jumps.strip("[]() ")) if x]
    if not js or any(not 0 < j < n for j in js) or len({min(j % n, -j % n) for j in js}) != len(js):
        raise InvalidInputError(f"circulant needs distinct jumps in 1..n-1 (j and n-j count once), got {jumps!r} at n={n}")
    perms, names = [], []
    for j in js:
        perms.append(_map_perm(n, lambda i: (i + j) % n))
        names.append(f"+{j}")
        if (2 * j) % n:
            perms.append(_map_perm(n, lambda i: (i - j) % n))
            names.append(f"-{j}")
    return perms, names


@register(
    "torus",
    reference="Torus grid graph C_k x C_k as the Cayley graph of Z_k x Z_k: https://en.wikipedia.org/wiki/Lattice_graph; "
    "W. J. Dally, Performance analysis of k-ary n-cube interconnection networks, IEEE Trans. Comput. 39 (1990) 775-785",
    min_degree=6,
    degree_step=2,
)
def _torus(n: int):
    """The k x k torus (k = n/2): rotations H, H' of positions 0..k-1 and V, V' of positions k..2k-1.

    The group Z_k x Z_k acts on two disjoint k-cycles; its Cayley graph is the toroidal
    grid C_k x C_k (4-regular, k^2 vertices, diameter 2 floor(k/2)).
    """
    k = n // 2
    perms, names = [], []
    _with_inverse(perms, names, _cycle_perm(n, list(range(k))), "H")
    _with_inverse(perms, names, _cycle_perm(n, list(range(k, n))), "V")
    return perms, names


@register(
    "k_ary_cube",
    reference="k-ary m-cubes (tori Z_k^m): W. J. Dally, Performance analysis of k-ary n-cube interconnection "
    "networks, IEEE Trans. Comput. 39 (1990) 775-785; https://en.wikipedia.org/wiki/Hypercube_graph",
    min_degree=6,
    degree_step=3,
    param_docs={"k": "ring length (k >= 3); n = k m positions for m rings"},
)
def _k_ary_cube(n: int, k: int = 3):
    """The k-ary m-cube (m = n/k rings of k positions): rotations Ci, Ci' of each ring (default k = 3).

    The group Z_k^m; the Cayley graph is the m-dimensional torus with k vertices per side.
    """
    k = _check_k("k_ary_cube", k, 3, n, n, "3 <= k <= n")
    if n % k:
        raise InvalidInputError(f"k_ary_cube needs n divisible by k, got n={n}, k={k}")
    perms, names = [], []
    for i in range(n // k):
        _with_inverse(perms, names, _cycle_perm(n, list(range(i * k, (i + 1) * k))), f"C{i}")
    return perms, names


@register(
    "dicyclic",
    reference="Dicyclic (binary dihedral) group Dic_m of order 4m, generalized quaternion for m a power of 2: "
    "https://en.wikipedia.org/wiki/Dicyclic_group",
    min_degree=8,
    degree_step=4,
)
def _dicyclic(n: int):
    """The dicyclic group Dic_m (n = 4m points, its regular representation): a, a', x, x' with a^2m = 1, x^2 = a^m.

    Element a^j is point j and x a^j is point 2m + j; each generator h maps the point of
    g to the point of g h (x a x^-1 = a^-1). At n = 8 this is the quaternion group Q_8.
    """
    m = n // 4

    def mul(e, k, f, j):  # (x^e a^k) (x^f a^j)
        if f == 0:
            return e, (k + j) % (2 * m)
        return (1, (j - k) % (2 * m)) if e == 0 else (0, (m + j - k) % (2 * m))

    def perm(f, j):
        out = []
        for i in range(n):
            e, k = divmod(i, 2 * m)
            e2, k2 = mul(e, k, f, j)
            out.append(e2 * 2 * m + k2)
        return out

    return [perm(0, 1), perm(0, -1 % (2 * m)), perm(1, 0), perm(1, m)], ["a", "a'", "x", "x'"]


@register(
    "affine_line",
    reference="The affine group AGL(1, p) acting on Z_p (x -> x + 1, x -> g x for a primitive root g): "
    "https://en.wikipedia.org/wiki/Affine_group; J. D. Dixon, B. Mortimer, Permutation Groups, GTM 163 (1996) 2.8",
    min_degree=3,
    degree_test=_is_prime,
    rule="n >= 3 prime",
)
def _affine_line(n: int):
    """AGL(1, p) on the n = p points of Z_p (p prime): the translation T and the multiplication M by the least primitive root, with inverses.

    Order p(p - 1); a sharply 2-transitive Frobenius group.
    """
    g = next(r for r in range(2, n + 1) if len({pow(r, e, n) for e in range(1, n)}) == n - 1) if n > 2 else 1
    perms, names = [], []
    _with_inverse(perms, names, _map_perm(n, lambda i: (i + 1) % n), "T")
    _with_inverse(perms, names, _map_perm(n, lambda i: (g * i) % n), "M")
    return perms, names


@register(
    "psl2_line",
    reference="PSL(2, p) acting on the projective line (Moebius maps x -> x + 1, x -> -1/x): "
    "https://en.wikipedia.org/wiki/Projective_linear_group; the modular group's action, "
    "https://en.wikipedia.org/wiki/Modular_group",
    min_degree=4,
    degree_test=lambda n: _is_prime(n - 1),
    rule="n = p + 1 points, p >= 3 prime",
)
def _psl2_line(n: int):
    """PSL(2, p) on the n = p + 1 points of the projective line over Z_p (point p is infinity): T: x -> x+1, T', S: x -> -1/x.

    Order p(p^2 - 1)/2; S is an involution swapping 0 and infinity.
    """
    p = n - 1

    def s(i):
        if i == p:
            return 0
        if i == 0:
            return p
        return (-pow(i, -1, p)) % p

    t = [(i + 1) % p if i < p else p for i in range(n)]
    return [t, _inverse_list(t), _map_perm(n, s)], ["T", "T'", "S"]


@register(
    "macro_star",
    reference="Macro-star networks: C.-H. Yeh, E. A. Varvarigos, Macro-star networks: efficient low-degree "
    "alternatives to star graphs, IEEE Trans. Parallel Distrib. Syst. 9 (1998) 987-1003",
    min_degree=5,
    degree_step=2,
    param_docs={"l": "block length; n = l k + 1 symbols in k blocks"},
)
def _macro_star(n: int, l: int = 2):  # noqa: E741 - the paper's name
    """The macro-star graph MS(l, k), n = l k + 1: star transpositions (0 i), i = 1..l, and swaps of block 1 with block j.

    Position 0 is the star's centre and positions 1..n-1 form k blocks of l; ``S_i``
    swaps 0 and i, ``B_j`` exchanges block 1 (positions 1..l) with block j, j = 2..k.
    Degree l + k - 1 instead of the star graph's n - 1; the group is S_n.
    """
    if l < 1 or (n - 1) % l or (n - 1) // l < 2:
        raise InvalidInputError(f"macro_star needs n = l k + 1 with k >= 2, got n={n}, l={l}")
    k = (n - 1) // l
    perms = [transposition(n, 0, i) for i in range(1, l + 1)]
    names = [f"S{i}" for i in range(1, l + 1)]
    for j in range(2, k + 1):
        perms.append(from_pairs(n, [(1 + t, (j - 1) * l + 1 + t) for t in range(l)]))
        names.append(f"B{j}")
    return perms, names


@register(
    "shuffle_exchange",
    reference="Perfect shuffle and exchange: H. S. Stone, Parallel processing with the perfect shuffle, IEEE Trans. "
    "Comput. C-20 (1971) 153-161; P. Diaconis, R. L. Graham, W. M. Kantor, Adv. Appl. Math. 4 (1983) 175-196",
    min_degree=6,
    degree_step=2,
)
def _shuffle_exchange(n: int):
    """The perfect out-shuffle O of n cards (n even), its inverse O', and the exchange E of the top two cards.

    O as in ``perfect_shuffles``; E = (0 1). At n = 4 the out-shuffle is an involution
    (O = O'), so the family starts at 6.
    """
    m = n // 2
    out = [0] * n
    for i in range(m):
        out[2 * i], out[2 * i + 1] = i, m + i
    return [out, _inverse_list(out), transposition(n, 0, 1)], ["O", "O'", "E"]


@register(
    "complete_cyclic",
    reference="The complete graph K_n as the Cayley graph of Z_n with every non-zero element: "
    "https://en.wikipedia.org/wiki/Complete_graph; https://en.wikipedia.org/wiki/Cayley_graph",
    min_degree=3,
)
def _complete_cyclic(n: int):
    """All n - 1 non-trivial translations of Z_n, named ``+1 .. +(n-1)``: the complete graph K_n (diameter 1)."""
    return [_map_perm(n, lambda i, j=j: (i + j) % n) for j in range(1, n)], [f"+{j}" for j in range(1, n)]


# ----------------------------------------------------------------------------------
# generator counts in closed form: checked by build() before a family enumerates
# (tests/test_library.py checks each formula against the generators it counts)
# ----------------------------------------------------------------------------------
def _huge(log_value: float) -> float:
    """``exp(log_value)`` as a float, ``inf`` beyond floats: a count too large to state exactly."""
    return math.exp(log_value) if log_value < 700 else math.inf


def _subfactorial(n: int) -> int | float:
    """Derangements of n points, !n (OEIS A000166): exact up to n = 200, else n!/e."""
    if n > 200:
        return _huge(math.lgamma(n + 1) - 1)
    d0, d1 = 1, 0
    for k in range(2, n + 1):
        d0, d1 = d1, (k - 1) * (d0 + d1)
    return d0 if n == 0 else d1


def _all_cycles_count(n: int) -> int | float:
    """Cycles of length 2..n in S_n: sum over k of C(n, k) (k-1)! (OEIS A006231)."""
    if n > 200:
        return _huge(math.lgamma(n) + 1)  # about (n-1)! e: the long cycles dominate
    return sum(math.comb(n, k) * math.factorial(k - 1) for k in range(2, n + 1))


def _odd_double_factorial(n: int) -> int | float:
    """(n-1)!! = 1 * 3 * ... * (n-1): the perfect matchings of n (even) points."""
    if n % 2:
        return 0
    if n > 400:
        m = n // 2
        return _huge(math.lgamma(n + 1) - m * math.log(2) - math.lgamma(m + 1))
    return math.prod(range(1, n, 2))


def _conjugacy_classes_count(n: int, classes="(2)", seed=0) -> int:
    total = 0
    for lengths, count in _parse_classes(classes):
        if not lengths or any(x < 1 for x in lengths) or sum(lengths) > n:
            raise ValueError  # the family function says what is wrong
        full = list(lengths) + [1] * (n - sum(lengths))
        total += count if count is not None else _class_size(n, full)
    return total


def _circulant_count(n: int, jumps="1,2") -> int:
    js = _ints(jumps, "jumps") if not isinstance(jumps, str) else [
        int(x) for x in re.split(r"[,\s]+", jumps.strip("[]() ")) if x
    ]
    return sum(1 if (2 * j) % n == 0 else 2 for j in js)


def _k(k, low: int, high: int) -> int:
    """A size parameter the count formula can use (else ValueError: the family function
    refuses it with its own message)."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not low <= k <= high:
        raise ValueError(k)
    return int(k)


_COUNTS: dict[str, Callable[..., int | float]] = {
    "coxeter": lambda n: n - 1,
    "cyclic_coxeter": lambda n: n,
    "pancake": lambda n: n - 1,
    "burnt_pancake": lambda n: n,
    "all_transpositions": lambda n: math.comb(n, 2),
    "stars": lambda n: n - 1,
    "full_reversals": lambda n: math.comb(n, 2),
    "signed_reversals": lambda n: n * (n + 1) // 2,
    "transposons": lambda n: math.comb(n + 1, 3),
    "block_interchange": lambda n: math.comb(n + 2, 4),
    "derangements": _subfactorial,
    "all_cycles": _all_cycles_count,
    "three_cycles": lambda n: n * (n - 1) * (n - 2) // 3,
    "rapaport_m1": lambda n: n - 1,
    "coxeter_b": lambda n: n,
    "coxeter_d": lambda n: n,
    "three_cycles_0ij": lambda n: (n - 1) * (n - 2),
    "three_cycles_01i": lambda n, add_inverses=True: (n - 2) * (2 if add_inverses else 1),
    "involutive_derangements": _odd_double_factorial,
    "generalized_stars": lambda n, k=1: _k(k, 1, n - 1) * (n - k),
    "wrapped_k_cycles": lambda n, k=3: n,
    "increasing_k_cycles": lambda n, k=3: math.comb(n, _k(k, 2, n)),
    "consecutive_k_cycles": lambda n, k=3: n - _k(k, 2, n) + 1,
    "conjugacy_classes": _conjugacy_classes_count,
    "rand_generators": lambda n, k=2, seed=0: _k(k, 1, math.inf),
    "down_cycles": lambda n: math.comb(n, 2),
    "prefix_cycles": lambda n: n - 1,
    "transposition_tree": lambda n, edges="path": n - 1,
    "bubble_sort_star": lambda n: 2 * n - 3,
    "split_stars": lambda n: 2 * n - 3,
    "prefix_transpositions": lambda n: math.comb(n, 2),
    "prefix_block_interchanges": lambda n: math.comb(n + 1, 3),
    "prefix_suffix_reversals": lambda n: 2 * n - 3,
    "prefix_suffix_transpositions": lambda n: (n - 1) ** 2,
    "prefix_reversals_transpositions": lambda n: n - 2 + math.comb(n, 2),
    "short_swaps": lambda n: 2 * n - 3,
    "short_block_moves": lambda n: 3 * n - 5,
    "consecutive_k_reversals": lambda n, k=3: n - _k(k, 2, n) + 1,
    "wrapped_k_reversals": lambda n, k=4: n,
    "k_cycles": lambda n, k=4: math.comb(n, _k(k, 2, n)) * math.factorial(k - 1),
    "restricted_rotator": lambda n, lengths="n-1,n": len(_rotator_lengths(n, lengths)),
    "hypercube": lambda n: n,
    "signed_prefix_suffix_reversals": lambda n: 2 * n - 1,
    "prefix_suffix_reversals_transpositions": lambda n: n * n - 4,
    "reversals_transpositions": lambda n: math.comb(n, 2) + math.comb(n + 1, 3) - (n - 1),
    "insertions": lambda n: (n - 1) ** 2,
    "bi_rotator": lambda n: 2 * n - 3,
    "folded_hypercube": lambda n: n + 1,
    "circulant": _circulant_count,
    "k_ary_cube": lambda n, k=3: 2 * (n // _k(k, 3, n)),
    "macro_star": lambda n, l=2: _k(l, 1, n) + (n - 1) // l - 1,  # noqa: E741
    "complete_cyclic": lambda n: n - 1,
}

# puzzles whose number of moves grows exponentially with their size (n = 6 N^2 stickers
# of the N x N x N cube): every combination of layer turns about one axis is one move
_PUZZLE_COUNTS: dict[str, Callable[..., int | float]] = {
    "cube_atm": lambda n: 3 * (3 ** math.isqrt(n // 6) - 1) if n < 6 * 400**2 else math.inf,
}

for _name, _count in _COUNTS.items():
    _REGISTRY[_name] = dataclasses.replace(_REGISTRY[_name], count=_count)
del _name, _count
