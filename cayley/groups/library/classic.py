"""Generating sets of S_n by transpositions and short cycles (Coxeter, LRX, stars), Coxeter
groups of types B, D and I2, and the classical small groups (cyclic, dihedral, dicyclic, affine
and projective lines).

Names, generator order and generator names follow CayleyPy 0.2.0
(``cayleypy.PermutationGroups``) so that results, paths and datasets interchange; a
docstring says where CayleyPy and the literature differ.

>>> from cayley.groups.library import generators
>>> generators("coxeter", 4).perms.tolist()
[[1, 0, 2, 3], [0, 2, 1, 3], [0, 1, 3, 2]]
"""

from __future__ import annotations

import math
from functools import partial

from ...errors import InvalidInputError
from ..arithmetic import is_prime
from .moves import (
    Moves, check_k, count_param, distinct_moves, from_pairs, inverse_list, map_perm, named_moves, one_line_name, riffle,
    shift_left, shift_right, transposition, with_inverse,
)
from .registry import attach_counts, register


@register("lrx", min_degree=3)
def _lrx(n: int, k: int = 1) -> Moves:
    """Left shift L, right shift R, and X swapping positions 0 and k.

    Parameters
    ----------
    k
        X swaps positions 0 and k

    References
    ----------
    CayleyPy PermutationGroups.lrx; diameter OEIS A186783 (conjectured n(n-1)/2 for n > 3)
    """
    if not 1 <= k < n:
        raise InvalidInputError(f"lrx needs 1 <= k < n, got k={k}, n={n}")
    return [shift_left(n), shift_right(n), transposition(n, 0, k)], ["L", "R", "X"]


@register("lx", min_degree=3, aliases=("sigma_tau", "glushkov"))
def _lx(n: int) -> Moves:
    """Left shift L and X swapping positions 0 and 1, without inverses (a directed graph).

    At n = 2 the two generators coincide, so the family starts at n = 3.

    References
    ----------
    CayleyPy PermutationGroups.lx; diameter OEIS A039745 (directed Cayley graph of (1,2) and
    (1,2,...,n)); V. M. Glushkov (1968); the sigma-tau graph: J. Sawada, A. Williams, Solving the
    sigma-tau problem, ACM Trans. Algorithms 16 (2020) 11
    """
    return [shift_left(n), transposition(n, 0, 1)], ["L", "X"]


@register("coxeter", aliases=("bubble_sort", "adjacent_transpositions"))
def _coxeter(n: int) -> Moves:
    """Adjacent transpositions (i, i+1), i = 0..n-2.

    Named ``s0..s(n-2)`` (Coxeter notation); CayleyPy names the same generators, in the
    same order, ``"(0,1)", "(1,2)", ...``.

    References
    ----------
    Coxeter generators of S_n (adjacent transpositions); the bubble-sort graph; diameter n(n-1)/2,
    growth OEIS A008302
    """
    return [transposition(n, i, i + 1) for i in range(n - 1)], [f"s{i}" for i in range(n - 1)]


@register("cyclic_coxeter", aliases=("cyclic_bubble_sort", "modified_bubble_sort"))
def _cyclic_coxeter(n: int) -> Moves:
    """Adjacent transpositions (i, i+1), i = 0..n-2, plus the wrap-around transposition (0, n-1).

    Generator names are ``"(i,i+1)"`` and ``"(0,n-1)"`` as in CayleyPy. At n = 2,
    (0, n-1) repeats (0, 1): CayleyPy keeps both (a parallel edge), here (0, 1) stands
    alone, which leaves the same graph.

    References
    ----------
    Cyclically adjacent transpositions; M. Jerrum, Theoret. Comput. Sci. 36 (1985) 265-289; diameter
    floor(n^2/4), OEIS A002620; the modified bubble-sort graph: S. Lakshmivarahan, J.-S. Jwo, S. K.
    Dhall, Parallel Computing 19 (1993) 361-407
    """
    perms = [transposition(n, i, i + 1) for i in range(n - 1)] + [transposition(n, 0, n - 1)]
    names = [f"({i},{i + 1})" for i in range(n - 1)] + [f"(0,{n - 1})"]
    return distinct_moves(perms, names)


@register("all_transpositions", aliases=("complete_transpositions",))
def _all_transpositions(n: int) -> Moves:
    """All n(n-1)/2 transpositions (i, j), i < j, named ``"(i,j)"``.

    References
    ----------
    All transpositions (the complete transposition graph); growth = unsigned Stirling numbers of the
    first kind c(n, n-d), OEIS A094638
    """
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    return named_moves(pairs, partial(transposition, n), "({},{})")


@register("stars", aliases=("star_transpositions",))
def _stars(n: int) -> Moves:
    """Star transpositions S1..S(n-1): Si swaps positions 0 and i.

    CayleyPy requires n >= 3; the star graph is also defined at n = 2 (one edge), so the
    family starts at 2 here.

    References
    ----------
    Star graph; S. B. Akers, B. Krishnamurthy, IEEE Trans. Comput. 38 (1989) 555-566; diameter
    floor(3(n-1)/2)
    """
    return [transposition(n, 0, i) for i in range(1, n)], [f"S{i}" for i in range(1, n)]


@register("rapaport_m1")
def _rapaport_m1(n: int) -> Moves:
    """Products of disjoint adjacent transpositions (0,1)...(2m-2,2m-1) and (1,2)...(2m-1,2m): n-1 generators.

    As in CayleyPy: ``M1_0_m`` = (0,1)(2,3)...(2m-2,2m-1) for m = 1..n//2, then
    ``M1_1_m`` = (1,2)(3,4)...(2m-1,2m) for m = 1..(n-1)//2. All are involutions.

    References
    ----------
    E. Rapaport-Strasser, Cayley color groups and Hamilton lines, Scripta Math. 24 (1959) 51-58;
    CayleyPy PermutationGroups.rapaport_m1
    """
    perms: list[list[int]] = []
    names: list[str] = []
    for m in range(1, n // 2 + 1):
        perms.append(from_pairs(n, [(2 * t, 2 * t + 1) for t in range(m)]))
        names.append(f"M1_0_{m}")
    for m in range(1, (n - 1) // 2 + 1):
        perms.append(from_pairs(n, [(2 * t + 1, 2 * t + 2) for t in range(m)]))
        names.append(f"M1_1_{m}")
    return perms, names


@register("perfect_shuffles", min_degree=4, degree_step=2)
def _perfect_shuffles(n: int) -> Moves:
    """The out-shuffle O and the in-shuffle I of a deck of n cards (n even): a directed graph.

    The deck (positions 0..n-1, top first) is cut into halves of m = n/2 and riffled:
    O keeps the top card on top (new position 2i takes card i, 2i+1 takes card m+i), I
    puts the second half's top card first. Both keep the pairs of positions
    {i, n-1-i} together, so the group lies in the hyperoctahedral group of order
    2^(n/2) (n/2)!; Diaconis, Graham and Kantor determine it exactly (it is much smaller
    when n is a power of 2). Defined for even n >= 4 (at n = 2 the out-shuffle is the
    identity).

    References
    ----------
    Perfect shuffles: P. Diaconis, R. L. Graham, W. M. Kantor, The mathematics of perfect shuffles,
    Adv. Appl. Math. 4 (1983) 175-196
    """
    return [riffle(n, out=True), riffle(n, out=False)], ["O", "I"]


@register("cyclic", min_degree=3)
def _cyclic(n: int) -> Moves:
    """The cyclic group Z_n by the shifts L and R: the cycle graph on n vertices.

    At n = 2 the two shifts coincide, so the family starts at n = 3.

    References
    ----------
    The cycle graph C_n as the Cayley graph of the cyclic group Z_n;
    https://en.wikipedia.org/wiki/Cycle_graph
    """
    return [shift_left(n), shift_right(n)], ["L", "R"]


@register("dihedral", min_degree=3)
def _dihedral(n: int) -> Moves:
    """The dihedral group of order 2n on the n-gon's vertices: rotations L, R and the reflection S fixing vertex 0.

    S maps vertex i to -i mod n. The Cayley graph is the prism graph (circular ladder)
    on 2n vertices.

    References
    ----------
    The dihedral group D_n acting on the vertices of a regular n-gon; its Cayley graph by a
    rotation, its inverse and a reflection is the prism graph;
    https://en.wikipedia.org/wiki/Dihedral_group
    """
    return [shift_left(n), shift_right(n), [(-i) % n for i in range(n)]], ["L", "R", "S"]


@register("coxeter_i2", min_degree=3)
def _coxeter_i2(n: int) -> Moves:
    """Two reflections of the regular n-gon generating its dihedral group: s0 fixes vertex 0, s1 swaps 0 and 1.

    s0 maps vertex i to -i mod n and s1 maps i to 1 - i mod n; s0 s1 is a rotation, so
    the Cayley graph is a cycle of length 2n (diameter n).

    References
    ----------
    The dihedral group as the Coxeter group I_2(n) by two reflections: A. Bjorner, F. Brenti,
    Combinatorics of Coxeter Groups, GTM 231 (2005) ch. 1;
    https://en.wikipedia.org/wiki/Dihedral_group
    """
    return [[(-i) % n for i in range(n)], [(1 - i) % n for i in range(n)]], ["s0", "s1"]


@register("dicyclic", min_degree=8, degree_step=4)
def _dicyclic(n: int) -> Moves:
    """The dicyclic group Dic_m (n = 4m points, its regular representation): a, a', x, x' with a^2m = 1, x^2 = a^m.

    Element a^j is point j and x a^j is point 2m + j; each generator h maps the point of
    g to the point of g h (x a x^-1 = a^-1). At n = 8 this is the quaternion group Q_8.

    References
    ----------
    Dicyclic (binary dihedral) group Dic_m of order 4m, generalized quaternion for m a power of 2:
    https://en.wikipedia.org/wiki/Dicyclic_group
    """
    m = n // 4

    def mul(e: int, k: int, f: int, j: int) -> tuple[int, int]:  # (x^e a^k) (x^f a^j)
        if f == 0:
            return e, (k + j) % (2 * m)
        return (1, (j - k) % (2 * m)) if e == 0 else (0, (m + j - k) % (2 * m))

    def perm(f: int, j: int) -> list[int]:
        out: list[int] = []
        for i in range(n):
            e, k = divmod(i, 2 * m)
            e2, k2 = mul(e, k, f, j)
            out.append(e2 * 2 * m + k2)
        return out

    return [perm(0, 1), perm(0, -1 % (2 * m)), perm(1, 0), perm(1, m)], ["a", "a'", "x", "x'"]


@register("affine_line", min_degree=3, degree_test=is_prime, rule="n >= 3 prime")
def _affine_line(n: int) -> Moves:
    """AGL(1, p) on the n = p points of Z_p (p prime): the translation T and the multiplication M by the least primitive root, with inverses.

    Order p(p - 1); a sharply 2-transitive Frobenius group.

    References
    ----------
    The affine group AGL(1, p) acting on Z_p (x -> x + 1, x -> g x for a primitive root g):
    https://en.wikipedia.org/wiki/Affine_group; J. D. Dixon, B. Mortimer, Permutation Groups, GTM
    163 (1996) 2.8
    """
    g = next(r for r in range(2, n + 1) if len({pow(r, e, n) for e in range(1, n)}) == n - 1) if n > 2 else 1
    perms: list[list[int]] = []
    names: list[str] = []
    with_inverse(perms, names, map_perm(n, lambda i: (i + 1) % n), "T")
    with_inverse(perms, names, map_perm(n, lambda i: (g * i) % n), "M")
    return perms, names


@register("psl2_line", min_degree=4, degree_test=lambda n: is_prime(n - 1), rule="n = p + 1 points, p >= 3 prime")
def _psl2_line(n: int) -> Moves:
    """PSL(2, p) on the n = p + 1 points of the projective line over Z_p (point p is infinity): T: x -> x+1, T', S: x -> -1/x.

    Order p(p^2 - 1)/2; S is an involution swapping 0 and infinity.

    References
    ----------
    PSL(2, p) acting on the projective line (Moebius maps x -> x + 1, x -> -1/x):
    https://en.wikipedia.org/wiki/Projective_linear_group; the modular group's action,
    https://en.wikipedia.org/wiki/Modular_group
    """
    p = n - 1

    def s(i: int) -> int:
        if i == p:
            return 0
        if i == 0:
            return p
        return (-pow(i, -1, p)) % p

    t = [(i + 1) % p if i < p else p for i in range(n)]
    return [t, inverse_list(t), map_perm(n, s)], ["T", "T'", "S"]


@register("rapaport_m2")
def _rapaport_m2(n: int) -> Moves:
    """Three involutions: (0,1), (0,1)(2,3)(4,5)... and (1,2)(3,4)(5,6)...

    Named ``"(0,1)"``, ``"EvenDisjTrans"``, ``"OddDisjTrans"`` as in CayleyPy. At n = 3
    ``EvenDisjTrans`` repeats (0,1) and at n = 2 ``OddDisjTrans`` is the identity; CayleyPy
    keeps them (a parallel edge, a self-loop), here they are left out, which leaves the
    same graph: (0,1), (1,2) at n = 3 and (0,1) alone at n = 2.

    References
    ----------
    E. Rapaport-Strasser, Cayley color groups and Hamilton lines, Scripta Math. 24 (1959) 51-58;
    CayleyPy PermutationGroups.rapaport_m2
    """
    even = from_pairs(n, [(i, i + 1) for i in range(0, n - 1, 2)])
    odd = from_pairs(n, [(i, i + 1) for i in range(1, n - 1, 2)])
    return distinct_moves([transposition(n, 0, 1), even, odd], ["(0,1)", "EvenDisjTrans", "OddDisjTrans"])


def _signed_adjacent_swaps(n: int) -> Moves:
    """The reflections shared by B_n and D_n: swap signed elements i and i+1 with both their
    sides, ``(i,i+1)(n+i,n+i+1)`` for i = 0..n-2."""
    pairs = [[(i, i + 1), (n + i, n + i + 1)] for i in range(n - 1)]
    return [from_pairs(2 * n, p) for p in pairs], [f"({i},{i + 1})({n + i},{n + i + 1})" for i in range(n - 1)]


@register("coxeter_b", min_degree=1, signed=True)
def _coxeter_b(n: int) -> Moves:
    """Simple reflections of the Coxeter group B_n as signed permutations on 2n positions.

    As in CayleyPy: first ``"(0,n)"``, which turns element 0 over (swaps its two sides,
    positions 0 and n), then ``"(i,i+1)(n+i,n+i+1)"`` for i = 0..n-2, which swaps elements
    i and i+1 with their sides. The Cayley graph has 2^n n! vertices and diameter n^2 (the
    length of the longest element). CayleyPy requires n >= 2; B_1 (one reflection) is
    allowed here.

    References
    ----------
    Coxeter group of type B_n (hyperoctahedral group, order 2^n n!) by its n simple reflections; A.
    Bjorner, F. Brenti, Combinatorics of Coxeter Groups, GTM 231 (2005) ch. 8.1; CayleyPy
    PermutationGroups.coxeter_b
    """
    perms, names = _signed_adjacent_swaps(n)
    return [transposition(2 * n, 0, n), *perms], [f"(0,{n})", *names]


@register("coxeter_d", signed=True)
def _coxeter_d(n: int) -> Moves:
    """Simple reflections of the Coxeter group D_n as signed permutations on 2n positions.

    As in CayleyPy: first ``"(0,n+1)(1,n)"``, which swaps elements 0 and 1 and turns both
    over, then ``"(i,i+1)(n+i,n+i+1)"`` for i = 0..n-2. The group is the index-2
    subgroup of B_n of signed permutations with an even number of sign changes; the
    longest element has length n(n-1).

    References
    ----------
    Coxeter group of type D_n (even signed permutations, order 2^(n-1) n!) by its n simple
    reflections; A. Bjorner, F. Brenti, Combinatorics of Coxeter Groups, GTM 231 (2005) ch. 8.2;
    CayleyPy PermutationGroups.coxeter_d
    """
    perms, names = _signed_adjacent_swaps(n)
    return [from_pairs(2 * n, [(0, n + 1), (1, n)]), *perms], [f"(0,{n + 1})(1,{n})", *names]


@register("generalized_stars")
def _generalized_stars(n: int, k: int = 1) -> Moves:
    """Transpositions (i, j) for i < k <= j: k(n-k) generators named ``"Si-j"``; k = 1 is the star graph.

    Ordered by i, then j, as in CayleyPy: the transposition graph of the complete
    bipartite graph K_{k,n-k}. CayleyPy requires n >= 3; n = 2 (one transposition) is
    allowed here.

    Parameters
    ----------
    k
        the transpositions (i, j) with i < k <= j (1 <= k < n)

    References
    ----------
    Transpositions of the complete bipartite graph K_{k,n-k}; CayleyPy
    PermutationGroups.generalized_stars; transposition graphs: S. B. Akers, B. Krishnamurthy, IEEE
    Trans. Comput. 38 (1989) 555-566
    """
    k = check_k("generalized_stars", k, 1, n - 1, n, "1 <= k < n")
    pairs = [(i, j) for i in range(k) for j in range(k, n)]
    return named_moves(pairs, partial(transposition, n), "S{}-{}")


@register("larx")
def _larx(n: int) -> Moves:
    """The transposition (0 1) and the sub-long cycle (1 2 ... n-1) fixing position 0: a directed graph.

    Named by their one-line forms in parentheses, ``"(1 0 2 ...)"`` and ``"(0 2 3 ... 1)"``,
    as in CayleyPy. At n = 2 the cycle is the identity (a self-loop in CayleyPy's graph)
    and is left out: the graph is S_2's, with the one transposition.

    References
    ----------
    Transposition (0,1) and the cycle (1 2 ... n-1); CayleyPy PermutationGroups.larx
    """
    perms = [transposition(n, 0, 1), [0] + list(range(2, n)) + [1]]
    return distinct_moves(perms, [one_line_name(p, " ") for p in perms])


@register("bubble_sort_star")
def _bubble_sort_star(n: int) -> Moves:
    """Star transpositions (0, i), i = 1..n-1, then adjacent transpositions (i, i+1), i = 1..n-2: 2n-3 generators.

    The union of the star graph's and the bubble-sort graph's generators ((0, 1) is in
    both and appears once), named ``"(i,j)"``.

    References
    ----------
    Bubble-sort star graphs: Z.-T. Chou, C.-C. Hsu, J.-P. Sheu, Bubblesort star graphs: a new
    interconnection network, Proc. ICPADS 1996, 41-48
    """
    pairs = [(0, i) for i in range(1, n)] + [(i, i + 1) for i in range(1, n - 1)]
    return named_moves(pairs, partial(transposition, n), "({},{})")


attach_counts({
    "coxeter": lambda n: n - 1,
    "cyclic_coxeter": lambda n: n if n > 2 else 1,
    "all_transpositions": lambda n: math.comb(n, 2),
    "stars": lambda n: n - 1,
    "rapaport_m1": lambda n: n - 1,
    "coxeter_b": lambda n: n,
    "coxeter_d": lambda n: n,
    "generalized_stars": lambda n, k=1: count_param(k, 1, n - 1) * (n - k),
    "bubble_sort_star": lambda n: 2 * n - 3,
})
