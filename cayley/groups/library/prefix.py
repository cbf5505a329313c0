"""Prefix operations (pancake-like sorting): prefix reversals of plain and burnt pancakes,
prefix transpositions, block interchanges and cycles, and their suffix variants.

>>> from cayley.groups.library import generators
>>> generators("pancake", 3).perms.tolist()
[[1, 0, 2], [2, 1, 0]]
"""

from __future__ import annotations

import math
from functools import partial

from ...errors import InvalidInputError
from .moves import (
    Moves, block_interchanges, block_moves, cycle_moves, distinct_moves, named_moves, reversal, shift_left, shift_right,
    signed_flip,
)
from .registry import attach_counts, register


@register("pancake", aliases=("prefix_reversals",))
def _pancake(n: int) -> Moves:
    """Prefix reversals R1..R(n-1): Ri reverses positions 0..i.

    The names count the last reversed position (0-based), as in CayleyPy: ``R1`` swaps the
    top two pancakes, ``R(n-1)`` flips the whole stack.

    References
    ----------
    Prefix reversals; W. H. Gates, C. H. Papadimitriou, Discrete Math. 27 (1979) 47-57;
    https://en.wikipedia.org/wiki/Pancake_graph; diameter OEIS A058986
    """
    return [reversal(n, 0, i) for i in range(1, n)], [f"R{i}" for i in range(1, n)]


@register("burnt_pancake", min_degree=1, signed=True, aliases=("signed_prefix_reversals",))
def _burnt_pancake(n: int) -> Moves:
    """Burnt pancake flips R1..Rn of n two-sided pancakes, on 2n positions.

    As in CayleyPy, pancake ``t`` is two positions: ``t`` (its bottom side) and ``n + t``
    (its top side), so the generators are permutations of degree ``2n`` and the Cayley
    graph of the hyperoctahedral group (order 2^n n!) is the graph on the states reachable
    from the identity of degree 2n. ``Ri`` flips the top i pancakes: it reverses their
    order and turns each over (positions ``t`` and ``n + (i-1-t)`` trade places).

    References
    ----------
    Signed prefix reversals; Gates and Papadimitriou (1979); D. S. Cohen, M. Blum, Discrete Appl.
    Math. 61 (1995) 105-120; diameter OEIS A078941
    """
    return [signed_flip(n, 0, i - 1) for i in range(1, n + 1)], [f"R{i}" for i in range(1, n + 1)]


@register("top_spin", min_degree=4)
def _top_spin(n: int, k: int = 4) -> Moves:
    """Left shift, right shift, and reversal of the first k positions (TopSpin, default k = 4).

    Generator order L, R, T as in CayleyPy (which leaves them unnamed, so its names are
    the one-line arrays joined by commas; cayley names them L, R, T). With the
    default k = 4 the family starts at n = 4, whatever k is passed (CayleyPy also allows
    n = 3 with k <= 3). The graph need not cover S_n: with k = 4 the group is dihedral of
    order 2n for n = 4, 5, A_n for odd n >= 7 (every generator is even) and S_n for even
    n >= 6.

    Parameters
    ----------
    k
        the turnstile reverses positions 0..k-1 (2 <= k <= n)

    References
    ----------
    TopSpin puzzle (F. Lammertink; Binary Arts/ThinkFun): discs on an oval track and a turnstile
    reversing k = 4 adjacent discs; CayleyPy PermutationGroups.top_spin
    """
    if not 2 <= k <= n:
        raise InvalidInputError(f"top_spin needs 2 <= k <= n, got k={k}, n={n}")
    perms = [shift_left(n), shift_right(n), reversal(n, 0, k - 1)]
    return perms, ["L", "R", "T"]


_CUBIC_PANCAKE_SUBSETS: dict[int, tuple[int | str, ...]] = {
    1: ("n", "n-1", 2),
    2: ("n", "n-1", 3),
    3: ("n", "n-1", "n-2"),
    4: ("n", "n-1", "n-3"),
    5: ("n", "n-2", 2),
    6: ("n", "n-2", 3),
    7: ("n", "n-2", "n-3"),
}


@register("cubic_pancake", min_degree=4)
def _cubic_pancake(n: int, subset: int = 1) -> Moves:
    """Three prefix reversals chosen by ``subset`` (1..7), e.g. subset 1 = {Rn, R(n-1), R2}: a cubic graph.

    Unlike ``pancake``, here ``Rk`` reverses the first k positions (prefix length k), as in
    CayleyPy's names for this family. The subsets are {Rn, R(n-1), R2}, {Rn, R(n-1), R3},
    {Rn, R(n-1), R(n-2)}, {Rn, R(n-1), R(n-3)}, {Rn, R(n-2), R2}, {Rn, R(n-2), R3},
    {Rn, R(n-2), R(n-3)}, in CayleyPy's generator order. A degree at which two of the
    three lengths coincide or one is below 2 is refused (subset 1 and 3 need n >= 4,
    subsets 2, 4, 5 and 7 need n >= 5, subset 6 needs n >= 6).

    Parameters
    ----------
    subset
        which three prefix lengths, 1..7: {n,n-1,2} {n,n-1,3} {n,n-1,n-2} {n,n-1,n-3} {n,n-2,2}
        {n,n-2,3} {n,n-2,n-3}

    References
    ----------
    Restricted prefix reversals (cubic pancake networks): D. W. Bass, I. H. Sudborough, Pancake
    problems with restricted prefix reversals and some corresponding Cayley networks, J. Parallel
    Distrib. Comput. 63 (2003) 327-336; CayleyPy PermutationGroups.cubic_pancake
    """
    if isinstance(subset, bool) or subset not in _CUBIC_PANCAKE_SUBSETS:
        raise InvalidInputError(f"cubic_pancake needs subset in 1..7, got {subset!r}")
    lengths = [t if isinstance(t, int) else n if t == "n" else n - int(t[2:]) for t in _CUBIC_PANCAKE_SUBSETS[subset]]
    if len(set(lengths)) < 3 or min(lengths) < 2:
        raise InvalidInputError(
            f"cubic_pancake subset {subset} at n={n} gives prefix lengths {lengths}: they must be distinct and >= 2"
        )
    return [reversal(n, 0, k - 1) for k in lengths], [f"R{k}" for k in lengths]


@register("prefix_cycles", aliases=("rotator",))
def _prefix_cycles(n: int) -> Moves:
    """Prefix rotations (0 1 ... j-1), j = 2..n, named ``"(0,...,j-1)"``: the (directed) rotator graph.

    In the action ``s[p]`` the rotation moves the first entry to position j-1 and the
    next j-1 entries up by one (Corbett's rotation of a prefix). Corbett's rotator graph
    has a Hamilton cycle.

    References
    ----------
    Prefix rotations; the rotator graph: P. F. Corbett, Rotator graphs: an efficient topology for
    point-to-point multiprocessor networks, IEEE Trans. Parallel Distrib. Syst. 3 (1992) 622-626;
    CayleyPy PermutationGroups.prefix_cycles
    """
    cycles = [list(range(j)) for j in range(2, n + 1)]
    return cycle_moves(n, cycles, ",")


def _prefix_blocks(n: int) -> list[tuple[int, int, int]]:
    """The prefix transpositions as blocks (0, e, k) of ``block_moves``, by e, then k."""
    return [(0, e, k) for e in range(n - 1) for k in range(e + 1, n)]


@register("prefix_transpositions")
def _prefix_transpositions(n: int) -> Moves:
    """Exchanges of a prefix [0..j-1] with the adjacent block [j..k] (1 <= j <= k < n): n(n-1)/2 generators.

    The transposons (block moves) that involve position 0, named like ``transposons``:
    ``"T[0..j-1,k]"``, ordered by j, then k.

    References
    ----------
    Prefix transpositions: Z. Dias, J. Meidanis, Sorting by prefix transpositions, SPIRE 2002, LNCS
    2476, 65-76; B. Chitturi, I. H. Sudborough, Theoret. Comput. Sci. 421 (2012) 15-24
    """
    return block_moves(n, _prefix_blocks(n))


@register("prefix_block_interchanges")
def _prefix_block_interchanges(n: int) -> Moves:
    """Exchanges of a prefix [0..j-1] with any later block [k..l-1] (1 <= j <= k < l <= n): C(n+1, 3) generators.

    Named like ``block_interchange``: ``"I[0..j-1,k..l-1]"``, ordered by j, k, l. With
    k = j the blocks are adjacent (a prefix transposition).

    References
    ----------
    Prefix block-interchanges: A. Labarre, Sorting by prefix block-interchanges, ISAAC 2020, LIPIcs
    181, 55:1-55:15 (arXiv:2008.13640)
    """
    return block_interchanges(n, [(0, e, k, f) for e in range(n - 1) for k in range(e + 1, n) for f in range(k, n)])


_PREFIX_SUFFIX_REF = (
    "C. N. Lintzmayer, G. Fertin, Z. Dias, Sorting permutations by prefix and suffix rearrangements, "
    "J. Bioinform. Comput. Biol. 15 (2017) 1750002"
)


@register(
    "prefix_suffix_reversals",
    reference="Prefix and suffix reversals: " + _PREFIX_SUFFIX_REF + "; G. Fertin, L. Jankowiak, G. Jean, "
    "Prefix and suffix reversals on strings, SPIRE 2015, LNCS 9309",
)
def _prefix_suffix_reversals(n: int) -> Moves:
    """Prefix reversals R[0..i], i = 1..n-1, then suffix reversals R[i..n-1], i = 1..n-2: 2n-3 generators.

    The full reversal is both a prefix and a suffix reversal and appears once (as
    ``R[0..n-1]``); names as in ``full_reversals``.
    """
    pairs = [(0, i) for i in range(1, n)] + [(i, n - 1) for i in range(1, n - 1)]
    return named_moves(pairs, partial(reversal, n), "R[{}..{}]")


@register("prefix_suffix_transpositions", reference="Prefix and suffix transpositions: " + _PREFIX_SUFFIX_REF)
def _prefix_suffix_transpositions(n: int) -> Moves:
    """Prefix transpositions T[0..j-1,k], then suffix transpositions T[i..j-1,n-1] with i >= 1: (n-1)^2 generators.

    A block move touching both ends (i = 0 and k = n-1) is listed once, among the
    prefix transpositions; names as in ``transposons``.
    """
    return block_moves(n, _prefix_blocks(n) + [(i, e, n - 1) for i in range(1, n) for e in range(i, n - 1)])


@register(
    "prefix_reversals_transpositions", reference="Prefix reversals and prefix transpositions: " + _PREFIX_SUFFIX_REF,
)
def _prefix_reversals_transpositions(n: int) -> Moves:
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


@register("signed_prefix_suffix_reversals", min_degree=2, signed=True)
def _signed_prefix_suffix_reversals(n: int) -> Moves:
    """Signed prefix reversals R[0..i] (the burnt pancake flips), then signed suffix reversals R[i..n-1], i >= 1.

    On 2n positions as in the other signed families: element t is positions t and n + t.
    The flip of all n elements is both a prefix and a suffix reversal and appears once;
    2n - 1 generators, named like ``signed_reversals``. At n = 1 the single flip is
    ``burnt_pancake``'s, so the family starts at n = 2.

    References
    ----------
    Signed prefix and suffix reversals: C. N. Lintzmayer, Z. Dias, On sorting of signed permutations
    by prefix and suffix reversals and transpositions, AlCoB 2014, LNCS 8542, 146-157
    """
    pairs = [(0, j) for j in range(n)] + [(i, n - 1) for i in range(1, n)]
    return named_moves(pairs, partial(signed_flip, n), "R[{}..{}]")


@register(
    "prefix_suffix_reversals_transpositions",
    reference="Prefix and suffix reversals and transpositions: " + _PREFIX_SUFFIX_REF,
    min_degree=3,
)
def _prefix_suffix_reversals_transpositions(n: int) -> Moves:
    """The prefix and suffix reversals, then the prefix and suffix transpositions that are not reversals.

    The union of ``prefix_suffix_reversals`` and ``prefix_suffix_transpositions``; a
    block move of two single positions is a reversal too and is listed once, as a
    reversal. Names are those of the two families.
    """
    perms, names = _prefix_suffix_reversals(n)
    pt, pt_names = _prefix_suffix_transpositions(n)
    return distinct_moves(perms + pt, names + pt_names)


attach_counts({
    "pancake": lambda n: n - 1,
    "burnt_pancake": lambda n: n,
    "prefix_cycles": lambda n: n - 1,
    "prefix_transpositions": lambda n: math.comb(n, 2),
    "prefix_block_interchanges": lambda n: math.comb(n + 1, 3),
    "prefix_suffix_reversals": lambda n: 2 * n - 3,
    "prefix_suffix_transpositions": lambda n: (n - 1) ** 2,
    "prefix_reversals_transpositions": lambda n: n - 2 + math.comb(n, 2),
    "signed_prefix_suffix_reversals": lambda n: 2 * n - 1,
    "prefix_suffix_reversals_transpositions": lambda n: n * n - 4,
})
