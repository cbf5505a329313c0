"""Generating sets made of cycles: conjugacy classes of S_n (3-cycles, k-cycles, derangements,
all cycles), windows of consecutive positions, and random generators.

>>> from cayley.groups.library import generators
>>> len(generators("three_cycles", 4))
8
"""

from __future__ import annotations

import math
import re
from itertools import combinations, permutations
from typing import Iterator, Sequence

import numpy as np

from ...errors import InvalidInputError
from .moves import (
    Moves, as_rng, check_k, count_param, cycle_moves, cycle_perm, distinct_moves, from_pairs, huge_count, int_list,
    inverse_list, one_line_name, perm_from_cycles, shift_left, shift_right, transposition,
)
from .registry import attach_counts, register


@register("derangements")
def _derangements(n: int) -> Moves:
    """All derangements of n points, named ``D<r>`` where r is the lexicographic rank among all n! permutations.

    The ranks (CayleyPy's names) are not consecutive. The set generates A_3 at n = 3 and
    S_n for n = 2 and n >= 4; the graph has diameter 2 for n >= 4.

    References
    ----------
    Derangements (fixed-point-free permutations); their number is OEIS A000166
    """
    perms: list[list[int]] = []
    names: list[str] = []
    for rank, p in enumerate(permutations(range(n))):
        if all(p[i] != i for i in range(n)):
            perms.append(list(p))
            names.append(f"D{rank}")
    return perms, names


@register("all_cycles")
def _all_cycles(n: int) -> Moves:
    """Every cycle of length 2..n, named ``cycle_1``, ``cycle_2``, ... in CayleyPy's order.

    Order: by length, then by the set of moved points (lexicographic), then the cycle
    ``(m c1 c2 ...)`` starting at the smallest point m with ``(c1, c2, ...)`` in
    lexicographic order; ``(m c1 c2 ...)`` maps m -> c1 -> c2 -> ... -> m.

    References
    ----------
    All cycles of length 2..n; their number is OEIS A006231
    """
    perms = []
    for length in range(2, n + 1):
        for subset in combinations(range(n), length):
            for rest in permutations(subset[1:]):
                perms.append(cycle_perm(n, (subset[0],) + rest))
    return perms, [f"cycle_{i}" for i in range(1, len(perms) + 1)]


@register("three_cycles", min_degree=3)
def _three_cycles(n: int) -> Moves:
    """All 3-cycles ``(a b c)`` with a < b and a < c: n(n-1)(n-2)/3 generators, inverse-closed, generating A_n.

    Ordered lexicographically by (a, b, c) and named ``"(a b c)"`` as in CayleyPy;
    ``(a b c)`` maps a -> b -> c -> a.

    References
    ----------
    All 3-cycles, generating the alternating group A_n
    """
    triples = [(a, b, c) for a in range(n) for b in range(a + 1, n) for c in range(a + 1, n) if c != b]
    return [cycle_perm(n, t) for t in triples], [f"({a} {b} {c})" for a, b, c in triples]


@register("three_cycles_0ij", min_degree=3)
def _three_cycles_0ij(n: int) -> Moves:
    """All 3-cycles (0 i j), i != j: (n-1)(n-2) generators, inverse-closed, generating A_n.

    Ordered lexicographically by (i, j) and named ``"(0 i j)"`` as in CayleyPy.

    References
    ----------
    3-cycles through a fixed point, generating A_n; CayleyPy PermutationGroups.three_cycles_0ij
    """
    pairs = [(i, j) for i in range(1, n) for j in range(1, n) if i != j]
    return [cycle_perm(n, (0, i, j)) for i, j in pairs], [f"(0 {i} {j})" for i, j in pairs]


@register("three_cycles_01i", min_degree=3, aliases=("alternating_group_graph",))
def _three_cycles_01i(n: int, add_inverses: bool = True) -> Moves:
    """The 3-cycles (0 1 i), i = 2..n-1, each followed by its inverse ``"(1 0 i)"``: the alternating group graph.

    With ``add_inverses=False`` only the n-2 cycles (0 1 i), a directed graph; either way
    the group is A_n.

    Parameters
    ----------
    add_inverses
        also add each inverse (1 0 i) right after (0 1 i)

    References
    ----------
    The alternating group graph AG_n: J.-S. Jwo, S. Lakshmivarahan, S. K. Dhall, A new class of
    interconnection networks based on the alternating group, Networks 23 (1993) 315-326; CayleyPy
    PermutationGroups.three_cycles_01i
    """
    perms: list[list[int]] = []
    names: list[str] = []
    for i in range(2, n):
        c = cycle_perm(n, (0, 1, i))
        perms.append(c)
        names.append(f"(0 1 {i})")
        if add_inverses:
            perms.append(inverse_list(c))
            names.append(f"(1 0 {i})")
    return perms, names


def _perfect_matchings(elements: list[int]) -> Iterator[list[tuple[int, int]]]:
    """Perfect matchings of ``elements``: the first element paired with each later one in turn."""
    if not elements:
        yield []
        return
    first = elements[0]
    for t in range(1, len(elements)):
        rest = elements[1:t] + elements[t + 1 :]
        for m in _perfect_matchings(rest):
            yield [(first, elements[t])] + m


@register("involutive_derangements", degree_step=2)
def _involutive_derangements(n: int) -> Moves:
    """All fixed-point-free involutions of an even number n of points: (n-1)!! generators ``ID1, ID2, ...``.

    Numbered as in CayleyPy: position 0 is paired with 1, 2, ..., n-1 in turn and the
    rest is matched the same way recursively. Defined for even n only. At n = 4 the three
    generators form the Klein four-group; from n = 6 on they generate S_n if n/2 is odd and
    A_n if n/2 is even (each is a product of n/2 transpositions).

    References
    ----------
    Fixed-point-free involutions (perfect matchings), (n-1)!! of them, OEIS A001147; CayleyPy
    PermutationGroups.involutive_derangements
    """
    perms = [from_pairs(n, m) for m in _perfect_matchings(list(range(n)))]
    return perms, [f"ID{i}" for i in range(1, len(perms) + 1)]


@register("lsl_cycles", min_degree=4)
def _lsl_cycles(n: int, add_inverses: bool = True) -> Moves:
    """The long cycle L = (0 1 ... n-1) and the sub-long cycle S = (1 2 ... n-1), plus their inverses.

    Names ``L, S, L_inv, S_inv`` as in CayleyPy. CayleyPy accepts n = 3, where S is the
    transposition (1 2) and S_inv repeats it; here the family starts at n = 4.

    Parameters
    ----------
    add_inverses
        append the inverses L_inv, S_inv

    References
    ----------
    Long and sub-long cycles; CayleyPy PermutationGroups.lsl_cycles (growth data
    lsl_cycles_cayley_growth)
    """
    long_cycle = cycle_perm(n, list(range(n)))
    sub_long = cycle_perm(n, list(range(1, n)))
    perms, names = [long_cycle, sub_long], ["L", "S"]
    if add_inverses:
        perms += [inverse_list(long_cycle), inverse_list(sub_long)]
        names += ["L_inv", "S_inv"]
    return perms, names


@register("wrapped_k_cycles", min_degree=3)
def _wrapped_k_cycles(n: int, k: int = 3) -> Moves:
    """The n cyclically consecutive k-cycles (s s+1 ... s+k-1 mod n), s = 0..n-1 (default k = 3).

    Named ``"(s s+1 ...)"`` (mod n) as in CayleyPy, which requires k. At k = n all n
    cycles are the same permutation (CayleyPy keeps n parallel copies): here it is one
    generator, ``"(0 1 ... n-1)"``, and the graph is the directed n-cycle. k = 2 gives the
    transpositions of ``cyclic_coxeter`` under other names.

    Parameters
    ----------
    k
        cycle length (2 <= k <= n)

    References
    ----------
    Cyclically consecutive k-cycles; CayleyPy PermutationGroups.wrapped_k_cycles

    Examples
    --------
    >>> from cayley.groups.library import generators
    >>> generators("wrapped_k_cycles", 4, k=4).names
    ('(0 1 2 3)',)
    """
    k = check_k("wrapped_k_cycles", k, 2, n, n, "2 <= k <= n")
    cycles = [[(s + j) % n for j in range(k)] for s in range(n)]
    return distinct_moves(*cycle_moves(n, cycles, " "))


@register("increasing_k_cycles", min_degree=3)
def _increasing_k_cycles(n: int, k: int = 3) -> Moves:
    """All C(n, k) cycles (c1 c2 ... ck) with c1 < c2 < ... < ck (default k = 3): a directed graph for k >= 3.

    Named ``"(c1,c2,...)"`` in lexicographic order, as in CayleyPy (which also allows
    k = 1, the identity, refused here).

    Parameters
    ----------
    k
        cycle length (2 <= k <= n)

    References
    ----------
    Increasing k-cycles (c1 c2 ... ck), c1 < ... < ck; CayleyPy
    PermutationGroups.increasing_k_cycles
    """
    k = check_k("increasing_k_cycles", k, 2, n, n, "2 <= k <= n")
    combos = list(combinations(range(n), k))
    return cycle_moves(n, combos, ",")


@register("sheveleva2", min_degree=5)
def _sheveleva2(n: int, k: int = 1) -> Moves:
    """An involution A and a generator S holding a 4-cycle (k-1 k k+1 k+2), built from alternating adjacent transpositions.

    Construction (CayleyPy's): the adjacent transpositions (i, i+1) are dealt
    alternately to two involutions, even i to one and odd i to the other. The one holding
    (k-1, k) trades it and (k+1, k+2) for the 4-cycle (k-1 k k+1 k+2): that is S. The other
    drops (k, k+1) and (k+2, k+3) and gains (k+1, k+3) when k+3 < n: that is A. The
    generators are A, S in that order. At n = 4 with k = 1, A would be the identity, so the
    family starts at n = 5.

    Parameters
    ----------
    k
        square position: the 4-cycle on k-1..k+2 (1 <= k <= n-3)

    References
    ----------
    Two generators from the 'square with whiskers' pattern conjectured to maximise the diameter; A.
    Chervov et al., CayleyPy Growth, arXiv:2509.19162 (2025); CayleyPy PermutationGroups.sheveleva2
    """
    k = check_k("sheveleva2", k, 1, n - 3, n, "1 <= k <= n - 3")
    square_side = [(i, i + 1) for i in range((k - 1) % 2, n - 1, 2)]
    other_side = [(i, i + 1) for i in range(k % 2, n - 1, 2)]
    s_cycles = [list(pr) for pr in square_side if pr not in {(k - 1, k), (k + 1, k + 2)}] + [[k - 1, k, k + 1, k + 2]]
    a_cycles = [list(pr) for pr in other_side if pr not in {(k, k + 1), (k + 2, k + 3)}]
    if k + 3 < n:
        a_cycles.append([k + 1, k + 3])
    a, s = perm_from_cycles(n, a_cycles), perm_from_cycles(n, s_cycles)
    if a == list(range(n)):
        raise InvalidInputError(f"sheveleva2 at n={n}, k={k}: the involution A is the identity")
    return [a, s], ["A", "S"]


@register("koltsov3", min_degree=5)
def _koltsov3(n: int, perm_type: int = 2, k: int = 1, d: int = 1) -> Moves:
    """Involutions I = (0 1)(2 3)..., K = (1 2)(3 4)... and a short involution S at position k.

    For ``perm_type=2`` (default), S = (k, k+3)(k+1, k+2) closes the path drawn by I and K
    into a square on k..k+3 (the "whiskers" are the rest of the path); for
    ``perm_type=1``, S = (k, k+d). Names ``I, K, S`` as in CayleyPy. The family starts at
    n = 5, where the defaults (type 2, k = 1) fit.

    Parameters
    ----------
    perm_type
        1: S = (k, k+d); 2: S = (k, k+3)(k+1, k+2)
    k
        position of S
    d
        span of S for perm_type 1

    References
    ----------
    Three involutions in the 'square with whiskers' pattern conjectured to maximise the diameter; A.
    Chervov et al., CayleyPy Growth, arXiv:2509.19162 (2025); CayleyPy PermutationGroups.koltsov3
    """
    if perm_type not in (1, 2) or isinstance(perm_type, bool):
        raise InvalidInputError(f"koltsov3 needs perm_type 1 or 2, got {perm_type!r}")
    i_gen = from_pairs(n, [(i, i + 1) for i in range(0, n - 1, 2)])
    k_gen = from_pairs(n, [(i, i + 1) for i in range(1, n - 1, 2)])
    if perm_type == 1:
        d = check_k("koltsov3", d, 1, n - 1, n, "d >= 1") if not isinstance(d, bool) else d
        k = check_k("koltsov3", k, 0, n - 1 - d, n, f"0 <= k and k + d < n (d={d})")
        s_gen = transposition(n, k, k + d)
    else:
        k = check_k("koltsov3", k, 0, n - 4, n, "0 <= k and k + 3 < n")
        s_gen = from_pairs(n, [(k, k + 3), (k + 1, k + 2)])
    return [i_gen, k_gen, s_gen], ["I", "K", "S"]


@register("consecutive_k_cycles", min_degree=3)
def _consecutive_k_cycles(n: int, k: int = 3) -> Moves:
    """The n-k+1 consecutive k-cycles (i i+1 ... i+k-1), i = 0..n-k (default k = 3): a directed graph for k >= 3.

    Named ``"(i,i+1,...)"`` as in CayleyPy (which requires k). Inverses are not added;
    for the undirected graph use :func:`cayley.groups.constructions.inverse_closure`.

    Parameters
    ----------
    k
        cycle length (2 <= k <= n)

    References
    ----------
    Consecutive k-cycles (i i+1 ... i+k-1); CayleyPy PermutationGroups.consecutive_k_cycles; A.
    Chervov et al., CayleyPy-4, arXiv:2603.22195 (2026)
    """
    k = check_k("consecutive_k_cycles", k, 2, n, n, "2 <= k <= n")
    cycles = [list(range(i, i + k)) for i in range(n - k + 1)]
    return cycle_moves(n, cycles, ",")


def _parse_classes(classes: object) -> list[tuple[tuple[int, ...], int | None]]:
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
            items.append((tuple(int_list(body, "cycle lengths")), cnt))
    elif isinstance(classes, (list, tuple)) and classes and all(isinstance(c, (list, tuple)) for c in classes):
        items = [(tuple(int_list(c, "cycle lengths")), None) for c in classes]
    else:
        items = [(tuple(int_list(classes, "cycle lengths")), None)]
    out = []
    for lengths, count in items:
        lengths = tuple(int(x) for x in lengths)
        if count is not None and (isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1):
            raise InvalidInputError(f"the sample count of class {lengths} must be a positive integer or None, got {count!r}")
        out.append((lengths, None if count is None else int(count)))
    if not out:
        raise InvalidInputError("conjugacy_classes needs at least one class")
    return out


def _class_members(n: int, lengths: Sequence[int]) -> Iterator[list[int]]:
    """All permutations of 0..n-1 with cycle type ``lengths`` (including 1s, summing to n), in CayleyPy's order.

    Each permutation is written with its cycles in increasing order of their smallest
    points, each cycle starting at its smallest point; at each step the cycle through the
    smallest unused point is chosen by length (ascending), then its other points as a
    combination (lexicographic), then their order (lexicographic).
    """
    from collections import Counter

    def rec(available: list[int], counts: Counter[int]) -> Iterator[list[tuple[int, ...]]]:
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
        yield perm_from_cycles(n, cycles)


def _class_size(n: int, lengths: Sequence[int]) -> int:
    from collections import Counter
    from math import factorial, prod

    return factorial(n) // int(prod(k**m * factorial(m) for k, m in Counter(lengths).items()))


@register("conjugacy_classes")
def _conjugacy_classes(n: int, classes: object = "(2)", seed: object = 0) -> Moves:
    """Whole conjugacy classes of S_n (by cycle type), or seeded random samples of them; default: all transpositions.

    A class is given by cycle lengths; lengths summing to less than n are padded with
    fixed points. Names are CayleyPy's: the cycle type sorted in decreasing order with
    its 1s, and a running number, e.g. ``"(3,2,1)_4"``. Whole classes are listed in
    CayleyPy's order; a sampled class (``(3,2):5``) draws that many distinct members from
    ``seed`` (CayleyPy draws from the global random state, so its samples differ).

    Parameters
    ----------
    classes
        cycle types, e.g. (3,2) or (2,2)(3):5 (':5' samples 5 of that class); a dict {(3, 2): None,
        (2, 2): 5} in Python
    seed
        seed for sampled classes

    References
    ----------
    Generators closed under conjugation (normal Cayley graphs): whole conjugacy classes of S_n;
    number of classes OEIS A000041; J. Steinhardt, Cayley graphs formed by conjugate generating sets
    of S_n, arXiv:0711.3057; CayleyPy PermutationGroups.conjugacy_classes
    """
    perms: list[list[int]] = []
    names: list[str] = []
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
            rng = rng if rng is not None else as_rng(seed)
            seen: set[tuple[int, ...]] = set()
            members = []
            while len(members) < count:
                order = rng.permutation(n).tolist()
                cycles, pos = [], 0
                for length in full:
                    cycles.append(order[pos : pos + length])
                    pos += length
                p = perm_from_cycles(n, cycles)
                if tuple(p) not in seen:
                    seen.add(tuple(p))
                    members.append(p)
        for i, p in enumerate(members, start=1):
            perms.append(p)
            names.append(f"({label})_{i}")
    if len({tuple(p) for p in perms}) != len(perms):
        raise InvalidInputError(f"conjugacy classes {classes!r} list a class twice")
    return perms, names


@register("rand_generators", min_degree=3)
def _rand_generators(n: int, k: int = 2, seed: object = 0) -> Moves:
    """k distinct random non-identity permutations drawn from ``seed`` (default k = 2): a directed graph.

    Reproducible: the same n, k and seed give the same generators. Named by their
    one-line forms ``"(p0,p1,...)"`` as in CayleyPy, whose draws come from numpy's global
    random state (so its sets differ) and may include the identity. Two random
    permutations generate S_n or A_n with probability tending to 1 (Dixon 1969).

    Parameters
    ----------
    k
        number of random permutations
    seed
        random seed (reproducible)

    References
    ----------
    Random generating sets: J. D. Dixon, The probability of generating the symmetric group, Math. Z.
    110 (1969) 199-205; CayleyPy PermutationGroups.rand_generators
    """
    from math import factorial

    k = check_k("rand_generators", k, 1, factorial(n) - 1, n, "1 <= k < n!")
    rng = as_rng(seed)
    ident = tuple(range(n))
    seen: set[tuple[int, ...]] = set()
    perms: list[list[int]] = []
    while len(perms) < k:
        p = tuple(int(x) for x in rng.permutation(n))
        if p != ident and p not in seen:
            seen.add(p)
            perms.append(list(p))
    return perms, [one_line_name(p, ",") for p in perms]


@register("down_cycles")
def _down_cycles(n: int) -> Moves:
    """The n(n-1)/2 cycles (i i+1 ... j), 0 <= i < j < n, named ``"(i,...,j)"``: a directed graph.

    Ordered by i, then j, as in CayleyPy. In the action ``s[p]`` the cycle moves the entry
    at position i to position j and shifts the ones between down by one.

    References
    ----------
    All cycles of consecutive positions (i i+1 ... j); CayleyPy PermutationGroups.down_cycles
    (growth data down_cycles_cayley_growth)
    """
    cycles = [list(range(i, j + 1)) for i in range(n) for j in range(i + 1, n)]
    return cycle_moves(n, cycles, ",")


@register("k_cycles", min_degree=4)
def _k_cycles(n: int, k: int = 4) -> Moves:
    """All k-cycles (default k = 4): n!/((n-k)! k) generators, inverse-closed; k = 2 gives all transpositions.

    Ordered as in ``all_cycles`` (by the set of moved points, then the cycle starting at
    its smallest point) and named ``"(a b c d)"`` like ``three_cycles``. They generate
    S_n for even k and A_n for odd k (n >= 3).

    Parameters
    ----------
    k
        cycle length (2 <= k <= n)

    References
    ----------
    The conjugacy class of k-cycles (n!/((n-k)! k) of them), a normal generating set; J. Steinhardt,
    Cayley graphs formed by conjugate generating sets of S_n, arXiv:0711.3057
    """
    k = check_k("k_cycles", k, 2, n, n, "2 <= k <= n")
    cycles = [(s[0],) + rest for s in combinations(range(n), k) for rest in permutations(s[1:])]
    return cycle_moves(n, cycles, " ")


@register("shift_k_cycle", min_degree=4)
def _shift_k_cycle(n: int, k: int = 3) -> Moves:
    """Left and right cyclic shifts L, R and the k-cycle C = (0 1 ... k-1) with its inverse (default k = 3).

    Generators ``L, R, C, C^-1``: an undirected 4-regular graph, the LRX family with the
    transposition X replaced by a k-cycle. k = 2 would give C = C^-1 (that is ``lrx``),
    k = n would give C = L.

    Parameters
    ----------
    k
        length of the cycle C = (0 1 ... k-1) (3 <= k < n)

    References
    ----------
    Cyclic shifts with a k-cycle: an n-cycle and a 3-cycle generate S_n for even n and A_n for odd n
    (Jordan's theorem, J. D. Dixon, B. Mortimer, Permutation Groups, GTM 163 (1996) Thm 3.3E); the
    LRX family with X replaced by a cycle
    """
    k = check_k("shift_k_cycle", k, 3, n - 1, n, "3 <= k < n")
    c = cycle_perm(n, list(range(k)))
    return [shift_left(n), shift_right(n), c, inverse_list(c)], ["L", "R", "C", "C^-1"]


def _subfactorial(n: int) -> int | float:
    """Derangements of n points, !n (OEIS A000166): exact up to n = 200, else n!/e."""
    if n > 200:
        return huge_count(math.lgamma(n + 1) - 1)
    d0, d1 = 1, 0
    for k in range(2, n + 1):
        d0, d1 = d1, (k - 1) * (d0 + d1)
    return d0 if n == 0 else d1


def _all_cycles_count(n: int) -> int | float:
    """Cycles of length 2..n in S_n: sum over k of C(n, k) (k-1)! (OEIS A006231)."""
    if n > 200:
        return huge_count(math.lgamma(n) + 1)  # about (n-1)! e: the long cycles dominate
    return sum(math.comb(n, k) * math.factorial(k - 1) for k in range(2, n + 1))


def _odd_double_factorial(n: int) -> int | float:
    """(n-1)!! = 1 * 3 * ... * (n-1): the perfect matchings of n (even) points."""
    if n % 2:
        return 0
    if n > 400:
        m = n // 2
        return huge_count(math.lgamma(n + 1) - m * math.log(2) - math.lgamma(m + 1))
    return math.prod(range(1, n, 2))


def _conjugacy_classes_count(n: int, classes: object = "(2)", seed: object = 0) -> int:
    total = 0
    for lengths, count in _parse_classes(classes):
        if not lengths or any(x < 1 for x in lengths) or sum(lengths) > n:
            raise ValueError  # the family function says what is wrong
        full = list(lengths) + [1] * (n - sum(lengths))
        total += count if count is not None else _class_size(n, full)
    return total


@register("split_stars", min_degree=3)
def _split_stars(n: int) -> Moves:
    """The alternating group graph's 3-cycles (0 1 i), (1 0 i), i = 2..n-1, plus the transposition (0, 1): 2n-3 generators.

    The split-star S_n^2 of Cheng, Lipman and Park, the S_n companion of the alternating
    group graph (``three_cycles_01i``), whose names it reuses; (0, 1) comes last.

    References
    ----------
    Split-stars: E. Cheng, M. J. Lipman, H. A. Park, Super connectivity of star graphs, alternating
    group graphs and split-stars, Ars Combin. 59 (2001) 107-116
    """
    perms, names = _three_cycles_01i(n, add_inverses=True)
    return perms + [transposition(n, 0, 1)], names + ["(0,1)"]


attach_counts({
    "split_stars": lambda n: 2 * n - 3,
    "derangements": _subfactorial,
    "all_cycles": _all_cycles_count,
    "three_cycles": lambda n: n * (n - 1) * (n - 2) // 3,
    "three_cycles_0ij": lambda n: (n - 1) * (n - 2),
    "three_cycles_01i": lambda n, add_inverses=True: (n - 2) * (2 if add_inverses else 1),
    "involutive_derangements": _odd_double_factorial,
    "wrapped_k_cycles": lambda n, k=3: 1 if k == n else n,
    "increasing_k_cycles": lambda n, k=3: math.comb(n, count_param(k, 2, n)),
    "consecutive_k_cycles": lambda n, k=3: n - count_param(k, 2, n) + 1,
    "conjugacy_classes": _conjugacy_classes_count,
    "rand_generators": lambda n, k=2, seed=0: count_param(k, 1, math.inf),
    "down_cycles": lambda n: math.comb(n, 2),
    "k_cycles": lambda n, k=4: math.comb(n, count_param(k, 2, n)) * math.factorial(k - 1),
})
