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

import difflib
import inspect
import re
from dataclasses import dataclass
from itertools import combinations, permutations
from typing import Callable, Sequence

import numpy as np

from ..errors import InvalidInputError, UnknownFamilyError
from .generators import GeneratorSet

__all__ = ["Family", "Param", "register", "get_family", "families", "generators"]


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

    def __call__(self, n: int, **params) -> GeneratorSet:
        return build(self, n, **params)

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
):
    """Decorator registering ``func(n, **params) -> list of perms, names`` as a family.

    The function returns ``(perms, names)``; the registry validates them and builds the
    :class:`GeneratorSet`. Its first docstring line is the family's description.
    ``min_degree`` is the smallest ``n`` for which the family is defined with its default
    parameters. ``signed`` marks a family of ``n`` signed elements realised on ``2n``
    positions (see :meth:`Family.state_degree`).
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
        fam = Family(name, func, params, description, reference, min_degree, tuple(aliases), signed)
        if name in _REGISTRY or name in _ALIASES:
            raise ValueError(f"family {name!r} registered twice")
        _REGISTRY[name] = fam
        for a in aliases:
            _ALIASES[a] = name
        return func

    return deco


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def get_family(name: str) -> Family:
    """Look up a family by name or alias; unknown names suggest the closest ones.

    >>> get_family("LRX").name
    'lrx'
    """
    key = _normalise(name)
    key = _ALIASES.get(key, key)
    if key in _REGISTRY:
        return _REGISTRY[key]
    known = sorted(_REGISTRY) + sorted(_ALIASES)
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `cayley families` lists them"
    raise UnknownFamilyError(f"unknown generator family {name!r}{hint}")


def families() -> list[Family]:
    """All registered families, sorted by name."""
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def build(fam: Family, n: int, **params) -> GeneratorSet:
    names = {p.name for p in fam.params[1:]}
    unknown = set(params) - names
    if unknown:
        raise InvalidInputError(
            f"family {fam.name!r} has no parameter {sorted(unknown)[0]!r}; parameters: {sorted(names) or 'none'}"
        )
    if not isinstance(n, (int, np.integer)) or n < fam.min_degree:
        raise InvalidInputError(f"family {fam.name!r} needs degree n >= {fam.min_degree}, got {n!r}")
    try:
        perms, gen_names = fam.func(int(n), **params)
    except (ValueError, IndexError, TypeError) as exc:
        if isinstance(exc, InvalidInputError):
            raise
        raise InvalidInputError(f"family {fam.name!r} with n={n}, {params}: {exc}") from exc
    full = {p.name: p.default for p in fam.params[1:]}
    full.update(params)
    return GeneratorSet.from_perms(perms, gen_names, family=fam.name, params={"n": int(n), **full})


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
    reference="CayleyPy PermutationGroups.lx; diameter OEIS A039745 (directed Cayley graph of (1,2) and (1,2,...,n))",
    min_degree=3,
)
def _lx(n: int):
    """Left shift L and X swapping positions 0 and 1, without inverses (a directed graph).

    At n = 2 the two generators coincide, so the family starts at n = 3.
    """
    return [shift_left(n), transposition(n, 0, 1)], ["L", "X"]


@register("coxeter", reference="Coxeter generators of S_n (adjacent transpositions); diameter n(n-1)/2, OEIS A008302")
def _coxeter(n: int):
    """Adjacent transpositions (i, i+1), i = 0..n-2.

    Named ``s0..s(n-2)`` (Coxeter notation); CayleyPy names the same generators, in the
    same order, ``"(0,1)", "(1,2)", ...``.
    """
    return [transposition(n, i, i + 1) for i in range(n - 1)], [f"s{i}" for i in range(n - 1)]


@register(
    "cyclic_coxeter",
    reference="Cyclically adjacent transpositions; M. Jerrum, Theoret. Comput. Sci. 36 (1985) 265-289; "
    "diameter floor(n^2/4), OEIS A002620",
    min_degree=3,
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
    reference="All transpositions; growth = unsigned Stirling numbers of the first kind c(n, n-d), OEIS A094638",
)
def _all_transpositions(n: int):
    """All n(n-1)/2 transpositions (i, j), i < j, named ``"(i,j)"``."""
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    return [transposition(n, i, j) for i, j in pairs], [f"({i},{j})" for i, j in pairs]


@register(
    "stars",
    reference="Star graph; S. B. Akers, B. Krishnamurthy, IEEE Trans. Comput. 38 (1989) 555-566; "
    "diameter floor(3(n-1)/2)",
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
