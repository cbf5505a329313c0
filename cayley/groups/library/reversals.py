"""Genome rearrangements anywhere in the sequence: reversals (signed and unsigned),
transpositions (block moves), block interchanges, insertions, short swaps and rotators.

>>> from cayley.groups.library import generators
>>> len(generators("full_reversals", 4))
6
"""

from __future__ import annotations

import math
import re
from functools import partial

from ...errors import InvalidInputError
from .moves import (
    Moves, block_interchanges, block_moves, check_k, count_param, cycle_moves, cycles_both_ways, distinct_moves,
    int_list, named_moves, reversal, signed_flip, transposition,
)
from .registry import attach_counts, register


@register("full_reversals")
def _full_reversals(n: int) -> Moves:
    """Reversals R[i..j] of every substring of positions i..j, i < j: n(n-1)/2 generators.

    References
    ----------
    Unsigned reversals; J. Kececioglu, D. Sankoff, Algorithmica 13 (1995) 180-210; V. Bafna, P. A.
    Pevzner, SIAM J. Comput. 25 (1996) 272-289; diameter n-1
    """
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    return named_moves(pairs, partial(reversal, n), "R[{}..{}]")


@register("signed_reversals", min_degree=1, signed=True)
def _signed_reversals(n: int) -> Moves:
    """Signed reversals R[i..j], 0 <= i <= j < n, of n signed elements on 2n positions.

    As in CayleyPy, element ``t`` is two positions, ``t`` and ``n + t`` (its two signs or
    sides), so the generators are permutations of degree ``2n``; ``R[i..j]`` reverses the
    elements i..j and flips each one's sign. There are n(n+1)/2 generators (CayleyPy's
    docstring says n, its code builds n(n+1)/2) and they generate the hyperoctahedral
    group of order 2^n n!.

    References
    ----------
    Signed reversals; S. Hannenhalli, P. A. Pevzner, J. ACM 46 (1999) 1-27
    """
    pairs = [(i, j) for i in range(n) for j in range(i, n)]
    return named_moves(pairs, partial(signed_flip, n), "R[{}..{}]")


@register("transposons")
def _transposons(n: int) -> Moves:
    """Moves of a block of positions i..j-1 to just after position k (i < j <= k): C(n+1, 3) generators.

    Equivalently the exchange of the adjacent blocks [i..j-1] and [j..k]; named
    ``"T[i..j-1,k]"`` as in CayleyPy. This is what genome rearrangement calls a
    "transposition" (not a 2-cycle).

    References
    ----------
    Transpositions of adjacent blocks; V. Bafna, P. A. Pevzner, SIAM J. Discrete Math. 11 (1998)
    224-240
    """
    return block_moves(n, [(i, e, k) for i in range(n) for e in range(i, n - 1) for k in range(e + 1, n)])


@register("block_interchange")
def _block_interchange(n: int) -> Moves:
    """Exchanges of two disjoint blocks [i..j-1] and [k..l-1] (i < j <= k < l <= n): C(n+2, 4) generators.

    Adjacent blocks (j = k) are included, so every transposon is also a block interchange,
    as in Christie's definition and in CayleyPy. Named ``"I[i..j-1,k..l-1]"``.

    References
    ----------
    Block interchanges; D. A. Christie, Inform. Process. Lett. 60 (1996) 165-169; arXiv:0811.0740
    (as cited by CayleyPy)
    """
    return block_interchanges(
        n, [(i, e, k, f) for i in range(n) for e in range(i, n - 1) for k in range(e + 1, n) for f in range(k, n)]
    )


@register("short_swaps")
def _short_swaps(n: int) -> Moves:
    """Transpositions of positions at distance 1 or 2, (i, i+1) and (i, i+2): 2n-3 generators.

    Ordered by i, distance 1 first, named ``"(i,j)"``. A swap at distance 2 is the
    reversal of three consecutive positions, so these are also the short reversals.

    References
    ----------
    Short swaps (reversals of length 2 and 3): L. S. Heath, J. P. C. Vergara, Sorting by short
    swaps, J. Comput. Biol. 10 (2003) 775-789
    """
    pairs = [(i, i + d) for i in range(n) for d in (1, 2) if i + d < n]
    return named_moves(pairs, partial(transposition, n), "({},{})")


@register("short_block_moves")
def _short_block_moves(n: int) -> Moves:
    """Block moves (transposons) of total length at most 3: adjacent swaps and moves of one entry past two.

    The transposons ``T[i..j-1,k]`` with k - i <= 2, in the order and with the names of
    ``transposons``: (i, i+1) swaps and the two rotations of three consecutive positions.

    References
    ----------
    Short block-moves: L. S. Heath, J. P. C. Vergara, Sorting by short block-moves, Algorithmica 28
    (2000) 323-352
    """
    return block_moves(n, [(i, e, k) for i in range(n) for e in range(i, n - 1) for k in range(e + 1, min(n, i + 3))])


@register("consecutive_k_reversals", min_degree=3)
def _consecutive_k_reversals(n: int, k: int = 3) -> Moves:
    """Reversals of the n-k+1 windows of k consecutive positions, R[i..i+k-1] (default k = 3).

    k = 2 gives the Coxeter generators. Each generator is an involution. For k = 3 the
    graph is disconnected from S_n: even and odd positions never mix.

    Parameters
    ----------
    k
        reversal length (2 <= k <= n)

    References
    ----------
    Fixed-length reversals: T. Chen, S. S. Skiena, Sorting with fixed-length reversals, Discrete
    Appl. Math. 71 (1996) 269-295
    """
    k = check_k("consecutive_k_reversals", k, 2, n, n, "2 <= k <= n")
    return [reversal(n, i, i + k - 1) for i in range(n - k + 1)], [f"R[{i}..{i + k - 1}]" for i in range(n - k + 1)]


@register("wrapped_k_reversals", min_degree=5)
def _wrapped_k_reversals(n: int, k: int = 4) -> Moves:
    """Reversals of the n windows of k cyclically consecutive positions (default k = 4): named ``"R[i..j]"``, j = i+k-1 mod n.

    The generators of (n, k)-TopSpin without the rotations: the turnstile applied at
    every position of the oval track. k = 2 gives the transpositions of
    ``cyclic_coxeter``.

    Parameters
    ----------
    k
        reversal length (2 <= k < n)

    References
    ----------
    Fixed-length reversals on a circle (the TopSpin turnstile at every position): T. Chen, S. S.
    Skiena, Sorting with fixed-length reversals, Discrete Appl. Math. 71 (1996) 269-295
    """
    k = check_k("wrapped_k_reversals", k, 2, n - 1, n, "2 <= k < n")
    perms: list[list[int]] = []
    names: list[str] = []
    for i in range(n):
        window = [(i + t) % n for t in range(k)]
        p = list(range(n))
        for t in range(k):
            p[window[t]] = window[k - 1 - t]
        perms.append(p)
        names.append(f"R[{i}..{window[-1]}]")
    return perms, names


def _rotator_lengths(n: int, lengths: object) -> list[int]:
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
        out = int_list(lengths, "prefix lengths")
    bad = [x for x in out if not 2 <= x <= n]
    if bad or not out:
        raise InvalidInputError(f"restricted_rotator needs prefix lengths in 2..n={n}, got {out}")
    if len(set(out)) != len(out):
        raise InvalidInputError(f"restricted_rotator prefix lengths repeat: {out}")
    return out


@register("restricted_rotator", min_degree=3)
def _restricted_rotator(n: int, lengths: object = "n-1,n") -> Moves:
    """Prefix rotations (0 1 ... r-1) for r in a set R of prefix lengths (default R = {n-1, n}): a directed graph.

    A subgraph of the rotator graph (``prefix_cycles``); names as there. Stevens and
    Williams build Hamilton cycles for R = {n-1, n} and R = {2, 3, n}. Lengths may be
    written relative to n (``"n-1"``).

    Parameters
    ----------
    lengths
        prefix lengths to rotate, e.g. n-1,n (default) or 2,3,n; a list of ints in Python

    References
    ----------
    Restricted rotator graphs: B. Stevens, A. Williams, Hamilton cycles in restricted and incomplete
    rotator graphs, J. Graph Algorithms Appl. 16 (2012) 785-810; F. Ruskey, A. Williams, An explicit
    universal cycle for the (n-1)-permutations of an n-set, ACM Trans. Algorithms 6 (2010) 45
    """
    rs = _rotator_lengths(n, lengths)
    cycles = [list(range(r)) for r in rs]
    return cycle_moves(n, cycles, ",")


@register("reversals_transpositions", min_degree=3)
def _reversals_transpositions(n: int) -> Moves:
    """All reversals R[i..j] (``full_reversals``), then all block moves (``transposons``) that are not reversals.

    A block move of two adjacent single positions is the reversal of those two and is
    listed once, as a reversal.

    References
    ----------
    Reversals and transpositions: M. E. M. T. Walter, Z. Dias, J. Meidanis, Reversal and
    transposition distance of linear chromosomes, SPIRE 1998, 96-102
    """
    perms, names = _full_reversals(n)
    tp, tp_names = _transposons(n)
    return distinct_moves(perms + tp, names + tp_names)


@register("insertions")
def _insertions(n: int) -> Moves:
    """Moves of one entry from position i to position j, all i != j: (n-1)^2 generators, inverse-closed.

    For i < j the move is the cycle (i i+1 ... j) of ``down_cycles``, named
    ``"(i,...,j)"``, and the move back is its inverse, named ``"(j,...,i)"``; moves
    between neighbours are transpositions and appear once. Ordered by i, then j.
    The undirected version of ``down_cycles``.

    References
    ----------
    Single-element moves (insertions); the distance is Ulam's metric n - (longest increasing
    subsequence): P. Diaconis, Group Representations in Probability and Statistics, IMS (1988) ch.
    6; D. Aldous, P. Diaconis, Bull. Amer. Math. Soc. 36 (1999) 413-432
    """
    return cycles_both_ways(n, [range(i, j + 1) for i in range(n) for j in range(i + 1, n)])


@register("bi_rotator", min_degree=3)
def _bi_rotator(n: int) -> Moves:
    """Prefix rotations (0 1 ... j-1), j = 2..n, each followed by its inverse (for j >= 3): the undirected rotator graph.

    Names as in ``prefix_cycles`` for the rotations and ``"(j-1,...,0)"`` for the
    inverses; 2n - 3 generators.

    References
    ----------
    Rotations of a prefix both ways (the bi-rotator graph of H.-R. Lin and C.-C. Hsu, IEICE Trans.
    Inf. Syst., 2003); rotator graphs: P. F. Corbett, IEEE Trans. Parallel Distrib. Syst. 3 (1992)
    622-626
    """
    return cycles_both_ways(n, [range(j) for j in range(2, n + 1)])


attach_counts({
    "full_reversals": lambda n: math.comb(n, 2),
    "signed_reversals": lambda n: n * (n + 1) // 2,
    "transposons": lambda n: math.comb(n + 1, 3),
    "block_interchange": lambda n: math.comb(n + 2, 4),
    "short_swaps": lambda n: 2 * n - 3,
    "short_block_moves": lambda n: 3 * n - 5,
    "consecutive_k_reversals": lambda n, k=3: n - count_param(k, 2, n) + 1,
    "wrapped_k_reversals": lambda n, k=4: n,
    "restricted_rotator": lambda n, lengths="n-1,n": len(_rotator_lengths(n, lengths)),
    "reversals_transpositions": lambda n: math.comb(n, 2) + math.comb(n + 1, 3) - (n - 1),
    "insertions": lambda n: (n - 1) ** 2,
    "bi_rotator": lambda n: 2 * n - 3,
})
