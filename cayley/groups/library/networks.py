"""Interconnection networks as Cayley graphs: transposition trees, hypercubes (plain,
folded, k-ary), cube-connected cycles, butterflies, circulants and tori, macro-stars,
shuffle-exchange.

>>> from cayley.groups.library import generators
>>> len(generators("hypercube", 3))
3
"""

from __future__ import annotations

import re
from functools import partial

from ...errors import InvalidInputError
from ..blocks import find_root
from .moves import (
    Moves, check_k, count_param, cycle_perm, from_pairs, int_list, inverse_list, map_perm, named_moves, riffle,
    signed_shift, transposition, with_inverse,
)
from .registry import attach_counts, register


def _tree_edges(n: int, edges: object) -> list[tuple[int, int]]:
    """Edges of a spanning tree on 0..n-1 from a shape name, pairs, a flat list or text."""
    if isinstance(edges, str) and edges.strip().lower() in ("path", "star", "binary"):
        shape = edges.strip().lower()
        if shape == "path":
            return [(i, i + 1) for i in range(n - 1)]
        if shape == "star":
            return [(0, i) for i in range(1, n)]
        return [((i - 1) // 2, i) for i in range(1, n)]
    if isinstance(edges, str):
        flat = int_list(edges.replace("-", " "), "tree edges")
    elif isinstance(edges, (list, tuple)) and edges and all(isinstance(e, (list, tuple)) for e in edges):
        if any(len(e) != 2 for e in edges):
            raise InvalidInputError(f"tree edges must be pairs, got {edges!r}")
        flat = [int(x) for e in edges for x in e]
    else:
        flat = int_list(edges, "tree edges")
    if len(flat) % 2:
        raise InvalidInputError(f"tree edges need an even number of endpoints, got {edges!r}")
    pairs = [(flat[t], flat[t + 1]) for t in range(0, len(flat), 2)]
    if len(pairs) != n - 1:
        raise InvalidInputError(f"a spanning tree on n={n} points has {n - 1} edges, got {len(pairs)}: {pairs}")
    parent = list(range(n))
    for a, b in pairs:
        if not (0 <= a < n and 0 <= b < n) or a == b:
            raise InvalidInputError(f"tree edge ({a},{b}) is not an edge between two of the points 0..{n - 1}")
        ra, rb = find_root(parent, a), find_root(parent, b)
        if ra == rb:
            raise InvalidInputError(f"tree edges {pairs} contain a cycle (edge ({a},{b})): not a tree")
        parent[ra] = rb
    return pairs


@register("transposition_tree")
def _transposition_tree(n: int, edges: object = "path") -> Moves:
    """The transpositions (i, j) along the n-1 edges of a spanning tree on 0..n-1; they generate S_n.

    ``edges`` is a shape (``"path"``: the bubble-sort graph, ``"star"``: the star graph,
    ``"binary"``: the complete binary tree with edges (floor((i-1)/2), i)) or the edge
    list, as pairs, a flat list ``[a0, b0, a1, b1, ...]`` or text ``"(0,1)(1,2)"``.
    Generators follow the edge order and are named ``"(i,j)"`` with i < j.

    Parameters
    ----------
    edges
        the tree: path, star, binary (heap-ordered), or edges like (0,1)(1,2)(1,3) / [0,1,1,2,1,3]

    References
    ----------
    Cayley graphs of transposition trees: S. B. Akers, B. Krishnamurthy, A group-theoretic model for
    symmetric interconnection networks, IEEE Trans. Comput. 38 (1989) 555-566;
    https://en.wikipedia.org/wiki/Star_graph
    """
    pairs = [tuple(sorted(e)) for e in _tree_edges(n, edges)]
    return named_moves(pairs, partial(transposition, n), "({},{})")


@register("hypercube", min_degree=1, signed=True)
def _hypercube(n: int) -> Moves:
    """Sign flips F0..F(n-1) of n signed elements on 2n positions: the hypercube Q_n (2^n vertices).

    Fi swaps the two sides of element i (positions i and n + i), as in the signed
    families; the flips commute, so the group is (Z_2)^n, a subgroup of ``coxeter_b``'s.

    References
    ----------
    The hypercube graph Q_n as the Cayley graph of (Z_2)^n:
    https://en.wikipedia.org/wiki/Hypercube_graph; F. Harary, J. P. Hayes, H.-J. Wu, A survey of the
    theory of hypercube graphs, Comput. Math. Appl. 15 (1988) 277-289
    """
    return [transposition(2 * n, i, n + i) for i in range(n)], [f"F{i}" for i in range(n)]


@register("cube_connected_cycles", min_degree=3, signed=True)
def _cube_connected_cycles(n: int) -> Moves:
    """The cube-connected cycles CCC_n: cyclic shifts L, R of n signed elements and the flip F0 of element 0.

    On 2n positions as in the signed families (element t is positions t and n + t). The
    group is the wreath product Z_2 wr Z_n of order n 2^n and the Cayley graph is
    3-regular: a hypercube Q_n whose vertices are replaced by n-cycles. At n = 2 the two
    shifts coincide, so the family starts at n = 3.

    References
    ----------
    Cube-connected cycles: F. P. Preparata, J. Vuillemin, The cube-connected cycles: a versatile
    network for parallel computation, Comm. ACM 24 (1981) 300-309; as a Cayley graph of Z_2 wr Z_n:
    S. B. Akers, B. Krishnamurthy, IEEE Trans. Comput. 38 (1989) 555-566
    """
    left = signed_shift(n)
    return [left, inverse_list(left), transposition(2 * n, 0, n)], ["L", "R", "F0"]


@register("wrapped_butterfly", min_degree=3, signed=True)
def _wrapped_butterfly(n: int) -> Moves:
    """The wrapped butterfly: the signed shift g, the flip-then-shift f = F0 g, and their inverses (4-regular).

    On 2n positions as in the signed families. Vertices are the n 2^n elements of
    Z_2 wr Z_n; g moves to the next level and f also flips the current bit, as the
    butterfly's straight and cross edges do. Names ``g, f, g^-1, f^-1``.

    References
    ----------
    Wrapped butterfly as a Cayley graph of Z_2 wr Z_n: S.-C. Hwang, G.-H. Chen, A note on
    cyclic-cubes, Inform. Process. Lett. 72 (1999) 131-135; F. T. Leighton, Introduction to Parallel
    Algorithms and Architectures (1992) 3.8
    """
    g = signed_shift(n)
    flip = transposition(2 * n, 0, n)
    f = [flip[g[i]] for i in range(2 * n)]  # act by flip, then by g
    return [g, f, inverse_list(g), inverse_list(f)], ["g", "f", "g^-1", "f^-1"]


@register("folded_hypercube", min_degree=2, signed=True)
def _folded_hypercube(n: int) -> Moves:
    """The hypercube's sign flips F0..F(n-1) plus the flip of all n elements at once, ``Fall``: (n+1)-regular.

    On 2n positions as in ``hypercube``; the group is still (Z_2)^n and the diameter
    is ceil(n/2). At n = 1 the extra flip would repeat F0.

    References
    ----------
    Folded hypercubes: A. El-Amawy, S. Latifi, Properties and performance of folded hypercubes, IEEE
    Trans. Parallel Distrib. Syst. 2 (1991) 31-42
    """
    perms = [transposition(2 * n, i, n + i) for i in range(n)]
    perms.append(from_pairs(2 * n, [(i, n + i) for i in range(n)]))
    return perms, [f"F{i}" for i in range(n)] + ["Fall"]


def _jump_list(jumps: object) -> list[int]:
    """The jumps of ``circulant`` as integers, from text such as ``"1,2"`` or a list."""
    if isinstance(jumps, str):
        return [int(x) for x in re.split(r"[,\s]+", jumps.strip("[]() ")) if x]
    return int_list(jumps, "jumps")


@register("circulant", min_degree=4)
def _circulant(n: int, jumps: object = "1,2") -> Moves:
    """The circulant graph C_n(jumps): shifts of Z_n by +j and -j for each jump j (default 1, 2).

    Translations of the n points, named ``+j`` and ``-j`` (one name when 2j = n). The
    graph is connected when the jumps and n are coprime as a set.

    Parameters
    ----------
    jumps
        the connection set {j}: shifts by +-j, e.g. 1,2 (default) or 1,3

    References
    ----------
    Circulant graphs as Cayley graphs of Z_n: https://en.wikipedia.org/wiki/Circulant_graph; F. T.
    Boesch, R. Tindell, Circulants and their connectivities, J. Graph Theory 8 (1984) 487-499
    """
    js = _jump_list(jumps)
    if not js or any(not 0 < j < n for j in js) or len({min(j % n, -j % n) for j in js}) != len(js):
        raise InvalidInputError(f"circulant needs distinct jumps in 1..n-1 (j and n-j count once), got {jumps!r} at n={n}")
    perms: list[list[int]] = []
    names: list[str] = []
    for j in js:
        perms.append(map_perm(n, lambda i: (i + j) % n))
        names.append(f"+{j}")
        if (2 * j) % n:
            perms.append(map_perm(n, lambda i: (i - j) % n))
            names.append(f"-{j}")
    return perms, names


@register("torus", min_degree=6, degree_step=2)
def _torus(n: int) -> Moves:
    """The k x k torus (k = n/2): rotations H, H' of positions 0..k-1 and V, V' of positions k..2k-1.

    The group Z_k x Z_k acts on two disjoint k-cycles; its Cayley graph is the toroidal
    grid C_k x C_k (4-regular, k^2 vertices, diameter 2 floor(k/2)).

    References
    ----------
    Torus grid graph C_k x C_k as the Cayley graph of Z_k x Z_k:
    https://en.wikipedia.org/wiki/Lattice_graph; W. J. Dally, Performance analysis of k-ary n-cube
    interconnection networks, IEEE Trans. Comput. 39 (1990) 775-785
    """
    k = n // 2
    perms: list[list[int]] = []
    names: list[str] = []
    with_inverse(perms, names, cycle_perm(n, list(range(k))), "H")
    with_inverse(perms, names, cycle_perm(n, list(range(k, n))), "V")
    return perms, names


@register("k_ary_cube", min_degree=6, degree_step=3)
def _k_ary_cube(n: int, k: int = 3) -> Moves:
    """The k-ary m-cube (m = n/k rings of k positions): rotations Ci, Ci' of each ring (default k = 3).

    The group Z_k^m; the Cayley graph is the m-dimensional torus with k vertices per side.

    Parameters
    ----------
    k
        ring length (k >= 3); n = k m positions for m rings

    References
    ----------
    k-ary m-cubes (tori Z_k^m): W. J. Dally, Performance analysis of k-ary n-cube interconnection
    networks, IEEE Trans. Comput. 39 (1990) 775-785; https://en.wikipedia.org/wiki/Hypercube_graph
    """
    k = check_k("k_ary_cube", k, 3, n, n, "3 <= k <= n")
    if n % k:
        raise InvalidInputError(f"k_ary_cube needs n divisible by k, got n={n}, k={k}")
    perms: list[list[int]] = []
    names: list[str] = []
    for i in range(n // k):
        with_inverse(perms, names, cycle_perm(n, list(range(i * k, (i + 1) * k))), f"C{i}")
    return perms, names


@register("macro_star", min_degree=5, degree_step=2)
def _macro_star(n: int, l: int = 2) -> Moves:  # noqa: E741 - the paper's name
    """The macro-star graph MS(l, k), n = l k + 1: star transpositions (0 i), i = 1..l, and swaps of block 1 with block j.

    Position 0 is the star's centre and positions 1..n-1 form k blocks of l; ``S_i``
    swaps 0 and i, ``B_j`` exchanges block 1 (positions 1..l) with block j, j = 2..k.
    Degree l + k - 1 instead of the star graph's n - 1; the group is S_n.

    Parameters
    ----------
    l
        block length; n = l k + 1 symbols in k blocks

    References
    ----------
    Macro-star networks: C.-H. Yeh, E. A. Varvarigos, Macro-star networks: efficient low-degree
    alternatives to star graphs, IEEE Trans. Parallel Distrib. Syst. 9 (1998) 987-1003
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


@register("shuffle_exchange", min_degree=6, degree_step=2)
def _shuffle_exchange(n: int) -> Moves:
    """The perfect out-shuffle O of n cards (n even), its inverse O', and the exchange E of the top two cards.

    O as in ``perfect_shuffles``; E = (0 1). At n = 4 the out-shuffle is an involution
    (O = O'), so the family starts at 6.

    References
    ----------
    Perfect shuffle and exchange: H. S. Stone, Parallel processing with the perfect shuffle, IEEE
    Trans. Comput. C-20 (1971) 153-161; P. Diaconis, R. L. Graham, W. M. Kantor, Adv. Appl. Math. 4
    (1983) 175-196
    """
    out = riffle(n, out=True)
    return [out, inverse_list(out), transposition(n, 0, 1)], ["O", "O'", "E"]


@register("complete_cyclic", min_degree=3)
def _complete_cyclic(n: int) -> Moves:
    """All n - 1 non-trivial translations of Z_n, named ``+1 .. +(n-1)``: the complete graph K_n (diameter 1).

    References
    ----------
    The complete graph K_n as the Cayley graph of Z_n with every non-zero element:
    https://en.wikipedia.org/wiki/Complete_graph; https://en.wikipedia.org/wiki/Cayley_graph
    """
    return [[(i + j) % n for i in range(n)] for j in range(1, n)], [f"+{j}" for j in range(1, n)]


def _circulant_count(n: int, jumps: object = "1,2") -> int:
    return sum(1 if (2 * j) % n == 0 else 2 for j in _jump_list(jumps))


attach_counts({
    "transposition_tree": lambda n, edges="path": n - 1,
    "hypercube": lambda n: n,
    "folded_hypercube": lambda n: n + 1,
    "circulant": _circulant_count,
    "k_ary_cube": lambda n, k=3: 2 * (n // count_param(k, 3, n)),
    "macro_star": lambda n, l=2: count_param(l, 1, n) + (n - 1) // l - 1,
    "complete_cyclic": lambda n: n - 1,
})
