"""Every registered generator family against the networkx oracle and sympy's group order.

The cases are built from ``cayley.families()``, so a newly registered family is covered
without touching this file.
"""

from __future__ import annotations

import inspect
import json
import math

import numpy as np
import pytest

import cayley
from cayley import CayleyGraph, InvalidInputError, Permutation, UnknownFamilyError, bfs
from cayley.groups.library import get_family
from oracles import oracle_growth

MAX_N = 6
# explicit graphs with more edges than this are marked slow (signed_reversals at n = 6
# has 46080 states x 21 generators); `-m "not slow"` leaves them out
SLOW_EDGES = 500_000


def _cases():
    out = []
    for fam in cayley.families("permutation"):
        for n in fam.degrees(MAX_N):
            g = fam(n)
            # a cheap upper bound on the edges: the states of S_degree, and at most |G|
            edges = len(g) * min(g.order(), 10**9)
            marks = [pytest.mark.slow] if edges > SLOW_EDGES else []
            out.append(pytest.param(fam.name, n, marks=marks, id=f"{fam.name}-{n}"))
    return out


def _schreier_cases():
    out = []
    for fam in cayley.families("permutation"):
        # the smallest n from min_degree whose states have at least 5 positions
        n = fam.min_degree
        while fam.state_degree(n) < 5 or not fam.accepts(n):
            n += 1
        d = fam.state_degree(n)
        for pattern in ("0011", "001122"):
            start = (pattern * d)[:d]
            out.append(pytest.param(fam.name, n, start, id=f"{fam.name}-{n}-{start}"))
    return out


FAMILY_NAMES = [fam.name for fam in cayley.families("permutation")]
# puzzles are registered too (kind "puzzle", degree = number of stickers): tests/test_puzzles.py
PUZZLE_NAMES = [fam.name for fam in cayley.families("puzzle")]


@pytest.mark.parametrize("name,n", _cases())
def test_growth_matches_oracle_and_group_order(name, n):
    gens = cayley.generators(name, n)
    graph = CayleyGraph(gens)
    result = bfs(graph)
    assert result.completed
    assert list(result.growth) == oracle_growth(gens.perms.tolist())
    assert result.size == graph.order() == gens.order()


@pytest.mark.parametrize("name,n,start", _schreier_cases())
def test_schreier_growth_matches_oracle_and_orbit_size(name, n, start):
    gens = cayley.generators(name, n)
    graph = CayleyGraph(gens, start=start)
    assert graph.is_schreier
    result = bfs(graph)
    assert result.completed
    assert list(result.growth) == oracle_growth(gens.perms.tolist(), graph.start.tolist())
    assert result.size == graph.order()


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_family_metadata(name):
    fam = get_family(name)
    assert fam.name == name
    doc = inspect.getdoc(fam.func)
    assert doc and doc.splitlines()[0].strip() == fam.description
    assert fam.description.strip()
    assert fam.reference.strip()
    assert fam.params[0].name == "n"
    assert all(p.default is not None for p in fam.params[1:]), "family parameters need defaults"


def test_family_metadata_comes_from_the_numpydoc_docstring():
    """A family's reference and parameter docs are its docstring's References and
    Parameters sections (lines joined by spaces); a family with neither is refused."""
    from cayley.groups.library.registry import docstring_sections, register

    lrx = get_family("lrx")
    assert lrx.reference == " ".join(docstring_sections(inspect.getdoc(lrx.func))["References"])
    assert lrx.reference.startswith("CayleyPy PermutationGroups.lrx; diameter OEIS A186783")
    assert [(p.name, p.doc) for p in lrx.params] == [("n", "degree"), ("k", "X swaps positions 0 and k")]
    cubic = get_family("cubic_pancake").params[1].doc
    assert cubic.startswith("which three prefix lengths, 1..7: {n,n-1,2}") and "\n" not in cubic

    def unreferenced(n: int) -> tuple[list[list[int]], list[str]]:
        """A family without a reference."""
        return [[1, 0]], ["s"]

    with pytest.raises(TypeError, match="give a reference"):
        register("unreferenced_test_family")(unreferenced)
    with pytest.raises(UnknownFamilyError):
        get_family("unreferenced_test_family")


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_generators_distinct_and_nontrivial(name):
    """min_degree is honest: from it on the generators are distinct non-identity
    permutations with distinct names; below it the family refuses."""
    fam = get_family(name)
    for n in fam.degrees(MAX_N):
        g = fam(n)
        assert g.degree == fam.state_degree(n)
        assert g.family == name and dict(g.params)["n"] == n
        assert len(set(g.names)) == len(g.names)
        assert all(name_.strip() for name_ in g.names)
        assert len({p.tobytes() for p in g.perms}) == len(g), f"repeated generator at n={n}"
        assert not g.has_identity
    if fam.min_degree > 1:
        # "needs degree n >= 3", or the family's own rule ("n = p + 1 points, p >= 3 prime")
        with pytest.raises(InvalidInputError, match="needs degree n (>=|= )"):
            fam(fam.min_degree - 1)
    for n in range(fam.min_degree, MAX_N + 1):
        if not fam.accepts(n):
            with pytest.raises(InvalidInputError, match="needs degree"):
                fam(n)


def test_signed_families_act_on_2n_positions():
    burnt = cayley.generators("burnt_pancake", 3)
    assert burnt.degree == 6 and burnt.order() == 2**3 * 6  # hyperoctahedral B_3
    signed = cayley.generators("signed_reversals", 3)
    assert signed.degree == 6 and len(signed) == 6 and signed.order() == 48
    # a flip of the top pancake turns it over: positions 0 and n trade places
    assert burnt["R1"].cycles() == [(0, 3)]


# Generator arrays and names at small n, checked against CayleyPy 0.2.0's
# PermutationGroups (same order, same names), so that results and paths interchange.
CAYLEYPY_PINNED = [
    ("pancake", 4, ["R1", "R2", "R3"], [[1, 0, 2, 3], [2, 1, 0, 3], [3, 2, 1, 0]]),
    ("burnt_pancake", 2, ["R1", "R2"], [[2, 1, 0, 3], [3, 2, 1, 0]]),
    ("signed_reversals", 2, ["R[0..0]", "R[0..1]", "R[1..1]"], [[2, 1, 0, 3], [3, 2, 1, 0], [0, 3, 2, 1]]),
    (
        "transposons",
        3,
        ["T[0..0,1]", "T[0..0,2]", "T[0..1,2]", "T[1..1,2]"],
        [[1, 0, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1]],
    ),
    (
        "block_interchange",
        3,
        ["I[0..0,1..1]", "I[0..0,1..2]", "I[0..0,2..2]", "I[0..1,2..2]", "I[1..1,2..2]"],
        [[1, 0, 2], [1, 2, 0], [2, 1, 0], [2, 0, 1], [0, 2, 1]],
    ),
    ("top_spin", 5, ["L", "R", "T"], [[1, 2, 3, 4, 0], [4, 0, 1, 2, 3], [3, 2, 1, 0, 4]]),
    (
        "three_cycles",
        4,
        ["(0 1 2)", "(0 1 3)", "(0 2 1)", "(0 2 3)", "(0 3 1)", "(0 3 2)", "(1 2 3)", "(1 3 2)"],
        [
            [1, 2, 0, 3], [1, 3, 2, 0], [2, 0, 1, 3], [2, 1, 3, 0],
            [3, 0, 2, 1], [3, 1, 0, 2], [0, 2, 3, 1], [0, 3, 1, 2],
        ],
    ),
    (
        "rapaport_m1",
        5,
        ["M1_0_1", "M1_0_2", "M1_1_1", "M1_1_2"],
        [[1, 0, 2, 3, 4], [1, 0, 3, 2, 4], [0, 2, 1, 3, 4], [0, 2, 1, 4, 3]],
    ),
    (
        "rapaport_m2",
        5,
        ["(0,1)", "EvenDisjTrans", "OddDisjTrans"],
        [[1, 0, 2, 3, 4], [1, 0, 3, 2, 4], [0, 2, 1, 4, 3]],
    ),
    (
        "all_cycles",
        3,
        ["cycle_1", "cycle_2", "cycle_3", "cycle_4", "cycle_5"],
        [[1, 0, 2], [2, 1, 0], [0, 2, 1], [1, 2, 0], [2, 0, 1]],
    ),
    (
        "derangements",
        4,
        ["D7", "D9", "D10", "D13", "D16", "D17", "D18", "D22", "D23"],
        [
            [1, 0, 3, 2], [1, 2, 3, 0], [1, 3, 0, 2], [2, 0, 3, 1], [2, 3, 0, 1],
            [2, 3, 1, 0], [3, 0, 1, 2], [3, 2, 0, 1], [3, 2, 1, 0],
        ],
    ),
    (
        "cyclic_coxeter",
        4,
        ["(0,1)", "(1,2)", "(2,3)", "(0,3)"],
        [[1, 0, 2, 3], [0, 2, 1, 3], [0, 1, 3, 2], [3, 1, 2, 0]],
    ),
    ("stars", 4, ["S1", "S2", "S3"], [[1, 0, 2, 3], [2, 1, 0, 3], [3, 1, 2, 0]]),
    (
        "full_reversals",
        4,
        ["R[0..1]", "R[0..2]", "R[0..3]", "R[1..2]", "R[1..3]", "R[2..3]"],
        [[1, 0, 2, 3], [2, 1, 0, 3], [3, 2, 1, 0], [0, 2, 1, 3], [0, 3, 2, 1], [0, 1, 3, 2]],
    ),
    (
        "all_transpositions",
        4,
        ["(0,1)", "(0,2)", "(0,3)", "(1,2)", "(1,3)", "(2,3)"],
        [[1, 0, 2, 3], [2, 1, 0, 3], [3, 1, 2, 0], [0, 2, 1, 3], [0, 3, 2, 1], [0, 1, 3, 2]],
    ),
    ("lx", 4, ["L", "X"], [[1, 2, 3, 0], [1, 0, 2, 3]]),
    ("lrx", 4, ["L", "R", "X"], [[1, 2, 3, 0], [3, 0, 1, 2], [1, 0, 2, 3]]),
]


@pytest.mark.parametrize("name,n,names,perms", CAYLEYPY_PINNED, ids=[c[0] for c in CAYLEYPY_PINNED])
def test_generators_match_cayleypy(name, n, names, perms):
    g = cayley.generators(name, n)
    assert list(g.names) == names
    assert g.perms.tolist() == perms


def test_family_parameters():
    assert cayley.generators("top_spin", 6, k=3).perms[2].tolist() == [2, 1, 0, 3, 4, 5]
    assert cayley.generators("lrx", 5, k=2).perms[2].tolist() == [2, 1, 0, 3, 4]
    with pytest.raises(InvalidInputError, match="2 <= k <= n"):
        cayley.generators("top_spin", 5, k=6)
    with pytest.raises(InvalidInputError, match="no parameter 'q'"):
        cayley.generators("pancake", 5, q=1)


@pytest.mark.parametrize(
    "typo,suggestion",
    [("pancakes", "pancake"), ("burnt_pankake", "burnt_pancake"), ("all-transposition", "all_transpositions"),
     ("topspin", "top_spin"), ("3_cycles", "three_cycles"), ("rapaport_m3", "rapaport_m")],
)
def test_unknown_family_suggests_close_names(typo, suggestion):
    with pytest.raises(UnknownFamilyError, match="did you mean") as info:
        cayley.get_family(typo)
    assert suggestion in str(info.value)
    assert repr(typo) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_family_without_close_names_points_to_the_list():
    with pytest.raises(UnknownFamilyError, match="cayley families"):
        cayley.generators("zzzzqqq", 5)


def test_unknown_family_through_the_spec_parser():
    with pytest.raises(UnknownFamilyError, match="stars"):
        CayleyGraph.from_spec("S_5", "starz")


def test_every_family_builds_through_the_spec_parser():
    for fam in cayley.families():
        if fam.signed or fam.kind == "matrix":
            continue  # the group spec S_d names the state degree 2n, not n; matrices need SL(n,m)
        n = fam.example_degree()
        graph = CayleyGraph.from_spec(f"S_{n}", fam.name)
        assert np.array_equal(graph.generators.perms, fam(n).perms)


# The rest of CayleyPy 0.2.0's permutation families, pinned the same way (arrays and names
# from cayleypy.graphs_lib.PermutationGroups; every family was compared against it for
# n = 1..8 and all parameter values, and agrees wherever CayleyPy's set has distinct
# non-identity generators).
CAYLEYPY_PINNED_MORE = [
    ("coxeter_b", 3, {}, ["(0,3)", "(0,1)(3,4)", "(1,2)(4,5)"],
     [[3, 1, 2, 0, 4, 5], [1, 0, 2, 4, 3, 5], [0, 2, 1, 3, 5, 4]]),
    ("coxeter_d", 3, {}, ["(0,4)(1,3)", "(0,1)(3,4)", "(1,2)(4,5)"],
     [[4, 3, 2, 1, 0, 5], [1, 0, 2, 4, 3, 5], [0, 2, 1, 3, 5, 4]]),
    ("cubic_pancake", 5, {"subset": 4}, ["R5", "R4", "R2"], [[4, 3, 2, 1, 0], [3, 2, 1, 0, 4], [1, 0, 2, 3, 4]]),
    ("three_cycles_0ij", 4, {}, ["(0 1 2)", "(0 1 3)", "(0 2 1)", "(0 2 3)", "(0 3 1)", "(0 3 2)"],
     [[1, 2, 0, 3], [1, 3, 2, 0], [2, 0, 1, 3], [2, 1, 3, 0], [3, 0, 2, 1], [3, 1, 0, 2]]),
    ("three_cycles_01i", 4, {}, ["(0 1 2)", "(1 0 2)", "(0 1 3)", "(1 0 3)"],
     [[1, 2, 0, 3], [2, 0, 1, 3], [1, 3, 2, 0], [3, 0, 2, 1]]),
    ("involutive_derangements", 4, {}, ["ID1", "ID2", "ID3"], [[1, 0, 3, 2], [2, 3, 0, 1], [3, 2, 1, 0]]),
    ("generalized_stars", 4, {"k": 2}, ["S0-2", "S0-3", "S1-2", "S1-3"],
     [[2, 1, 0, 3], [3, 1, 2, 0], [0, 2, 1, 3], [0, 3, 2, 1]]),
    ("lsl_cycles", 4, {}, ["L", "S", "L_inv", "S_inv"], [[1, 2, 3, 0], [0, 2, 3, 1], [3, 0, 1, 2], [0, 3, 1, 2]]),
    ("wrapped_k_cycles", 5, {"k": 3}, ["(0 1 2)", "(1 2 3)", "(2 3 4)", "(3 4 0)", "(4 0 1)"],
     [[1, 2, 0, 3, 4], [0, 2, 3, 1, 4], [0, 1, 3, 4, 2], [3, 1, 2, 4, 0], [1, 4, 2, 3, 0]]),
    ("larx", 4, {}, ["(1 0 2 3)", "(0 2 3 1)"], [[1, 0, 2, 3], [0, 2, 3, 1]]),
    ("increasing_k_cycles", 4, {"k": 3}, ["(0,1,2)", "(0,1,3)", "(0,2,3)", "(1,2,3)"],
     [[1, 2, 0, 3], [1, 3, 2, 0], [2, 1, 3, 0], [0, 2, 3, 1]]),
    ("sheveleva2", 6, {"k": 2}, ["A", "S"], [[1, 0, 2, 5, 4, 3], [0, 2, 3, 4, 1, 5]]),
    ("sheveleva2", 7, {"k": 1}, ["A", "S"], [[0, 1, 4, 3, 2, 6, 5], [1, 2, 3, 0, 5, 4, 6]]),
    ("koltsov3", 6, {"perm_type": 2, "k": 1}, ["I", "K", "S"],
     [[1, 0, 3, 2, 5, 4], [0, 2, 1, 4, 3, 5], [0, 4, 3, 2, 1, 5]]),
    ("koltsov3", 6, {"perm_type": 1, "k": 2, "d": 3}, ["I", "K", "S"],
     [[1, 0, 3, 2, 5, 4], [0, 2, 1, 4, 3, 5], [0, 1, 5, 3, 4, 2]]),
    ("consecutive_k_cycles", 5, {"k": 3}, ["(0,1,2)", "(1,2,3)", "(2,3,4)"],
     [[1, 2, 0, 3, 4], [0, 2, 3, 1, 4], [0, 1, 3, 4, 2]]),
    ("down_cycles", 4, {}, ["(0,1)", "(0,1,2)", "(0,1,2,3)", "(1,2)", "(1,2,3)", "(2,3)"],
     [[1, 0, 2, 3], [1, 2, 0, 3], [1, 2, 3, 0], [0, 2, 1, 3], [0, 2, 3, 1], [0, 1, 3, 2]]),
    ("prefix_cycles", 4, {}, ["(0,1)", "(0,1,2)", "(0,1,2,3)"], [[1, 0, 2, 3], [1, 2, 0, 3], [1, 2, 3, 0]]),
    ("conjugacy_classes", 4, {"classes": {(2, 2): None}}, ["(2,2)_1", "(2,2)_2", "(2,2)_3"],
     [[1, 0, 3, 2], [2, 3, 0, 1], [3, 2, 1, 0]]),
    ("conjugacy_classes", 5, {"classes": {(3, 2): None}}, [f"(3,2)_{i}" for i in range(1, 21)],
     [[1, 0, 3, 4, 2], [1, 0, 4, 2, 3], [2, 3, 0, 4, 1], [2, 4, 0, 1, 3], [3, 2, 4, 0, 1], [3, 4, 1, 0, 2],
      [4, 2, 3, 1, 0], [4, 3, 1, 2, 0], [1, 2, 0, 4, 3], [2, 0, 1, 4, 3], [1, 3, 4, 0, 2], [3, 0, 4, 1, 2],
      [1, 4, 3, 2, 0], [4, 0, 3, 2, 1], [2, 4, 3, 0, 1], [3, 4, 0, 2, 1], [2, 3, 4, 1, 0], [4, 3, 0, 1, 2],
      [3, 2, 1, 4, 0], [4, 2, 1, 0, 3]]),
]


@pytest.mark.parametrize(
    "name,n,params,names,perms", CAYLEYPY_PINNED_MORE, ids=[f"{c[0]}-{c[1]}" for c in CAYLEYPY_PINNED_MORE]
)
def test_more_generators_match_cayleypy(name, n, params, names, perms):
    g = cayley.generators(name, n, **params)
    assert list(g.names) == names
    assert g.perms.tolist() == perms


# group orders that follow from the definitions (sympy computes them independently)
@pytest.mark.parametrize(
    "name,params,order",
    [
        ("coxeter_b", {}, lambda n: 2**n * math.factorial(n)),
        ("coxeter_d", {}, lambda n: 2 ** (n - 1) * math.factorial(n)),
        ("hypercube", {}, lambda n: 2**n),
        ("cyclic", {}, lambda n: n),
        ("dihedral", {}, lambda n: 2 * n),
        ("three_cycles_0ij", {}, lambda n: math.factorial(n) // 2),
        ("three_cycles_01i", {}, lambda n: math.factorial(n) // 2),
        ("split_stars", {}, math.factorial),
        ("bubble_sort_star", {}, math.factorial),
        ("transposition_tree", {"edges": "binary"}, math.factorial),
        ("prefix_transpositions", {}, math.factorial),
        ("prefix_block_interchanges", {}, math.factorial),
        ("prefix_suffix_reversals", {}, math.factorial),
        ("short_swaps", {}, math.factorial),
        ("short_block_moves", {}, math.factorial),
        ("k_cycles", {"k": 3}, lambda n: math.factorial(n) // 2),
        ("k_cycles", {"k": 4}, math.factorial),
        ("restricted_rotator", {}, math.factorial),
        ("prefix_cycles", {}, math.factorial),
        ("bi_rotator", {}, math.factorial),
        ("insertions", {}, math.factorial),
        ("signed_prefix_suffix_reversals", {}, lambda n: 2**n * math.factorial(n)),
        ("cube_connected_cycles", {}, lambda n: n * 2**n),
        ("wrapped_butterfly", {}, lambda n: n * 2**n),
        ("folded_hypercube", {}, lambda n: 2**n),
        ("coxeter_i2", {}, lambda n: 2 * n),
    ],
)
def test_known_group_orders(name, params, order):
    fam = get_family(name)
    for n in range(max(fam.min_degree, 4), 8):
        assert cayley.generators(name, n, **params).order() == order(n), (name, n)


@pytest.mark.parametrize(
    "name,n,diameter",
    [
        ("coxeter_b", 4, 16),  # the longest element of B_n has length n^2
        ("coxeter_d", 4, 12),  # ... and of D_n, n(n-1)
        ("hypercube", 5, 5),
        ("dihedral", 7, 4),  # prism graph on 14 vertices: floor(7/2) + 1
        ("cyclic", 7, 3),
        ("transposition_tree", 6, 15),  # default: the path, i.e. the bubble-sort graph
        ("bubble_sort", 5, 10),
        ("cube_connected_cycles", 3, 6),  # 2n + floor(n/2) - 2 for n >= 4, and 6 at n = 3
        ("cube_connected_cycles", 6, 13),
        ("wrapped_butterfly", 6, 9),  # n + floor(n/2)
        ("wrapped_butterfly", 7, 10),
        ("folded_hypercube", 7, 4),  # ceil(n/2)
        ("insertions", 6, 5),  # Ulam's distance: n - LIS <= n - 1
        ("coxeter_i2", 7, 7),  # a 2n-cycle
        ("prefix_suffix_reversals_transpositions", 6, 4),
    ],
)
def test_known_diameters(name, n, diameter):
    result = bfs(CayleyGraph(cayley.generators(name, n)))
    assert result.completed and result.diameter == diameter


def test_aliases_resolve_to_one_family():
    assert get_family("bubble_sort") is get_family("coxeter")
    assert get_family("modified_bubble_sort") is get_family("cyclic_coxeter")
    assert get_family("sigma_tau") is get_family("lx")
    assert get_family("rotator") is get_family("prefix_cycles")
    assert get_family("alternating_group_graph") is get_family("three_cycles_01i")
    assert get_family("prefix_reversals") is get_family("pancake")
    aliases = [a for fam in cayley.families() for a in fam.aliases]
    names = {fam.name for fam in cayley.families()}
    assert len(set(aliases)) == len(aliases) and not names & set(aliases)


# Degrees and parameters at which CayleyPy's published growth data has rows although a
# generator repeats or is the identity there (issue 16): the graph is well defined (a
# parallel edge or a self-loop adds nothing), so cayley builds it with the distinct moves.
DEGENERATE_PUBLISHED = [
    ("cyclic_coxeter", 2, {}, 1),
    ("larx", 2, {}, 1),
    ("rapaport_m2", 2, {}, 1),
    ("rapaport_m2", 3, {}, 2),
    ("wrapped_k_cycles", 3, {}, 1),
    ("wrapped_k_cycles", 2, {"k": 2}, 1),
    ("wrapped_k_cycles", 6, {"k": 6}, 1),
    ("hungarian_rings", 4, {"left_size": 2, "left_index": 0, "right_size": 3, "right_index": 0}, 3),
    ("hungarian_rings", 7, {"left_size": 4, "left_index": 0, "right_size": 4, "right_index": 0}, 4),
    ("hungarian_rings", 5, {"left_size": 2, "left_index": 1, "right_size": 5, "right_index": 2}, 3),
    ("hungarian_rings", 2, {"left_size": 2, "left_index": 1, "right_size": 2, "right_index": 1}, 1),
    ("hungarian_rings", 3, {"left_size": 2, "left_index": 0, "right_size": 2, "right_index": 0}, 2),
]


@pytest.mark.parametrize("name,n,params,count", DEGENERATE_PUBLISHED)
def test_published_degenerate_rows_are_accepted(name, n, params, count):
    g = cayley.generators(name, n, **params)
    assert len(g) == count and not g.has_identity
    assert len({p.tobytes() for p in g.perms}) == len(g)
    assert list(bfs(CayleyGraph(g)).growth) == oracle_growth(g.perms.tolist())


def _cayleypy_rings(ls: int, li: int, rs: int, ri: int) -> list[list[int]]:
    """CayleyPy's layout of the two rings (its right ring meets ``li`` ``rs - ri`` places
    after 0, where cayley's meets it ``ri`` places after): rotations both ways."""
    one = li == 0
    n = ls + rs - (1 if one else 2)
    left = list(range(ls))
    if one:
        right = [0] + list(range(ls, n))
    else:
        second = ls + rs - ri - 1
        right = [0] + list(range(ls, second)) + [li] + list(range(second, n))
    perms = []
    for ring in (left, right):
        for step in (1, -1):
            p = list(range(n))
            for k in range(len(ring)):
                p[ring[k]] = ring[(k + step) % len(ring)]
            perms.append(p)
    return perms


@pytest.mark.parametrize("rings", [(2, 0, 3, 0), (3, 0, 4, 0), (2, 1, 4, 1), (3, 1, 4, 2), (4, 2, 4, 1), (5, 2, 5, 2)])
def test_hungarian_rings_growth_equals_cayleypy_layout(rings):
    ls, li, rs, ri = rings
    g = cayley.generators("hungarian_rings", ls + rs - (1 if li == 0 else 2), left_size=ls, left_index=li,
                          right_size=rs, right_index=ri)
    assert list(bfs(CayleyGraph(g)).growth) == oracle_growth(_cayleypy_rings(ls, li, rs, ri))


def test_ill_defined_parameters_are_still_refused():
    rings = {"left_size": 4, "right_size": 4}
    with pytest.raises(InvalidInputError, match="left_index = right_index = 0"):
        cayley.generators("hungarian_rings", 7, left_index=0, right_index=2, **rings)  # half a crossing
    with pytest.raises(InvalidInputError, match="at least 2 balls"):
        cayley.generators("hungarian_rings", 4, left_size=1, left_index=0, right_size=4, right_index=0)
    with pytest.raises(InvalidInputError, match="has n = 7 balls"):
        cayley.generators("hungarian_rings", 6, left_index=0, right_index=0, **rings)
    with pytest.raises(InvalidInputError, match="2 <= k <= n"):
        cayley.generators("wrapped_k_cycles", 4, k=1)
    for name in ("cyclic_coxeter", "larx", "rapaport_m2"):
        with pytest.raises(InvalidInputError, match="needs degree n >= 2"):
            cayley.generators(name, 1)


def test_non_default_parameters_reach_smaller_degrees_but_degenerate_sets_are_refused():
    # koltsov3's defaults need n >= 5, but k = 0 fits at n = 4
    assert cayley.generators("koltsov3", 4, k=0).names == ("I", "K", "S")
    assert len(cayley.generators("lsl_cycles", 3, add_inverses=False)) == 2
    with pytest.raises(InvalidInputError, match="coincide"):
        cayley.generators("koltsov3", 3, perm_type=1, k=0, d=1)  # S = I = (0 1)
    with pytest.raises(InvalidInputError, match="2 <= k <= n"):
        cayley.generators("wrapped_k_cycles", 5, k=6)
    with pytest.raises(InvalidInputError, match="distinct"):
        cayley.generators("cubic_pancake", 5, subset=6)  # R3 twice
    with pytest.raises(InvalidInputError, match="subset in 1..7"):
        cayley.generators("cubic_pancake", 6, subset=8)
    with pytest.raises(InvalidInputError, match="needs degree n >= 2, n even"):
        cayley.generators("involutive_derangements", 5)


def test_signed_coxeter_families():
    b = cayley.generators("coxeter_b", 3)
    assert b.degree == 6 and b.inverse_closed and bool(b.involutions.all())
    # (0,n) turns element 0 over; every generator keeps the pairs {t, n+t} together
    assert b["(0,3)"].cycles() == [(0, 3)]
    for p in np.concatenate([b.perms, cayley.generators("coxeter_d", 3).perms]):
        assert all(abs(int(p[t]) - int(p[3 + t])) == 3 for t in range(3))
    assert cayley.generators("hypercube", 3).perms.tolist() == [
        [3, 1, 2, 0, 4, 5], [0, 4, 2, 3, 1, 5], [0, 1, 5, 3, 4, 2]]
    # cube-connected cycles and the wrapped butterfly are Cayley graphs of Z_2 wr Z_n
    ccc = cayley.generators("cube_connected_cycles", 3)
    assert ccc.perms.tolist() == [[1, 2, 0, 4, 5, 3], [2, 0, 1, 5, 3, 4], [3, 1, 2, 0, 4, 5]]
    bf = cayley.generators("wrapped_butterfly", 3)
    assert bf.product(["g", "g^-1"]).array.tolist() == list(range(6))
    flip_then_shift = [int(x) for x in ccc.product(["F0", "L"]).array]
    assert bf["f"].array.tolist() == flip_then_shift


def test_conjugacy_classes_specs():
    by_text = cayley.generators("conjugacy_classes", 5, classes="(3,2)")
    by_dict = cayley.generators("conjugacy_classes", 5, classes={(3, 2): None})
    by_list = cayley.generators("conjugacy_classes", 5, classes=[3, 2])
    by_plus = cayley.generators("conjugacy_classes", 5, classes="3+2")
    assert by_text.perms.tolist() == by_dict.perms.tolist() == by_list.perms.tolist() == by_plus.perms.tolist()
    assert len(by_text) == 20
    # padding with fixed points, several classes, class sizes n!/prod(k^m m!)
    two = cayley.generators("conjugacy_classes", 6, classes="(2,2)(3)")
    assert len(two) == 45 + 40 and two.names[0] == "(2,2,1,1)_1" and two.names[45] == "(3,1,1,1)_1"
    # sampled classes: distinct members of the class, reproducible from the seed
    s1 = cayley.generators("conjugacy_classes", 7, classes="(7):5", seed=3)
    s2 = cayley.generators("conjugacy_classes", 7, classes={(7,): 5}, seed=3)
    s3 = cayley.generators("conjugacy_classes", 7, classes="(7):5", seed=4)
    assert s1 == s2 and s1.perms.tolist() != s3.perms.tolist()
    assert all(_cycle_type(p) == [7] for p in s1.perms)
    with pytest.raises(InvalidInputError, match="cannot sample 4"):
        cayley.generators("conjugacy_classes", 4, classes="(2,2):4")
    with pytest.raises(InvalidInputError, match="identity"):
        cayley.generators("conjugacy_classes", 4, classes="(1)")
    with pytest.raises(InvalidInputError, match="at most n=4"):
        cayley.generators("conjugacy_classes", 4, classes="(3,2)")
    with pytest.raises(InvalidInputError, match="cannot parse"):
        cayley.generators("conjugacy_classes", 4, classes="three")


def _cycle_type(p) -> list[int]:
    lengths = [len(c) for c in Permutation(p).cycles()]
    return sorted(lengths + [1] * (len(p) - sum(lengths)))


def test_conjugacy_classes_enumerate_whole_classes():
    for n in range(2, 7):
        for lengths in ([2], [3], [2, 2], [4, 2], [n]):
            if sum(lengths) > n:
                continue
            g = cayley.generators("conjugacy_classes", n, classes=lengths)
            full = sorted(lengths + [1] * (n - sum(lengths)))
            assert all(_cycle_type(p) == full for p in g.perms)
            counts = {k: full.count(k) for k in set(full)}
            size = math.factorial(n) // math.prod(k**m * math.factorial(m) for k, m in counts.items())
            assert len(g) == size == len({p.tobytes() for p in g.perms})


def test_rand_generators_are_seeded():
    a = cayley.generators("rand_generators", 8, k=3, seed=11)
    b = cayley.generators("rand_generators", 8, k=3, seed=11)
    c = cayley.generators("rand_generators", 8, k=3, seed=12)
    assert a == b and a != c and len(a) == 3 and not a.has_identity
    assert a.names[0] == "(" + ",".join(map(str, a.perms[0].tolist())) + ")"
    assert cayley.generators("rand_generators", 8, k=3, seed=np.random.default_rng(11)).perms.tolist() == a.perms.tolist()
    assert len(cayley.generators("rand_generators", 3, k=5)) == 5  # all of S_3 but the identity
    with pytest.raises(InvalidInputError, match="1 <= k < n!"):
        cayley.generators("rand_generators", 3, k=6)
    # through the spec parser
    assert CayleyGraph.from_spec("S_8", "rand_generators:k=3,seed=11").generators.perms.tolist() == a.perms.tolist()


def test_transposition_tree_specs():
    star = cayley.generators("transposition_tree", 5, edges="star")
    assert star.perms.tolist() == cayley.generators("stars", 5).perms.tolist()
    path = cayley.generators("transposition_tree", 5)
    assert path.perms.tolist() == cayley.generators("coxeter", 5).perms.tolist()
    t1 = cayley.generators("transposition_tree", 5, edges="(0,1)(1,2)(1,3)(3,4)")
    t2 = cayley.generators("transposition_tree", 5, edges=[0, 1, 1, 2, 1, 3, 4, 3])
    t3 = cayley.generators("transposition_tree", 5, edges=[(0, 1), (1, 2), (1, 3), (3, 4)])
    assert t1.perms.tolist() == t2.perms.tolist() == t3.perms.tolist()
    assert t2.names == ("(0,1)", "(1,2)", "(1,3)", "(3,4)")
    binary = cayley.generators("transposition_tree", 7, edges="binary")
    assert binary.names == ("(0,1)", "(0,2)", "(1,3)", "(1,4)", "(2,5)", "(2,6)")
    assert CayleyGraph.from_spec("S_5", "transposition_tree:edges=(0,1)(1,2)(1,3)(3,4)").generators == t1
    with pytest.raises(InvalidInputError, match="contain a cycle"):
        cayley.generators("transposition_tree", 4, edges="(0,1)(1,2)(2,0)")
    with pytest.raises(InvalidInputError, match="has 3 edges"):
        cayley.generators("transposition_tree", 4, edges="(0,1)(1,2)")
    with pytest.raises(InvalidInputError, match="not an edge"):
        cayley.generators("transposition_tree", 4, edges="(0,1)(1,2)(2,7)")


def test_restricted_rotator_lengths():
    default = cayley.generators("restricted_rotator", 6)
    assert default.names == ("(0,1,2,3,4)", "(0,1,2,3,4,5)")
    g = cayley.generators("restricted_rotator", 6, lengths="2,3,n")
    assert g.perms.tolist() == cayley.generators("restricted_rotator", 6, lengths=[2, 3, 6]).perms.tolist()
    assert set(map(bytes, g.perms.astype(np.int8))) <= set(map(bytes, cayley.generators("rotator", 6).perms.astype(np.int8)))
    assert CayleyGraph.from_spec("S_6", "restricted_rotator:lengths=(2,3,n)").generators == g
    with pytest.raises(InvalidInputError, match="prefix lengths in 2..n"):
        cayley.generators("restricted_rotator", 6, lengths="1,n")


def test_sorting_families_are_subsets_of_their_parents():
    def rows(name, n, **kw):
        g = cayley.generators(name, n, **kw)
        return {tuple(p): nm for p, nm in zip(g.perms.tolist(), g.names)}

    n = 6
    for child, parent in [
        ("prefix_transpositions", "transposons"),
        ("short_block_moves", "transposons"),
        ("prefix_suffix_transpositions", "transposons"),
        ("prefix_block_interchanges", "block_interchange"),
        ("prefix_suffix_reversals", "full_reversals"),
        ("consecutive_k_reversals", "full_reversals"),
        ("short_swaps", "all_transpositions"),
        ("bubble_sort_star", "all_transpositions"),
        ("prefix_suffix_reversals_transpositions", "reversals_transpositions"),
        ("down_cycles", "insertions"),
        ("prefix_cycles", "bi_rotator"),
        ("signed_prefix_suffix_reversals", "signed_reversals"),
        ("full_reversals", "reversals_transpositions"),
    ]:
        c, p = rows(child, n), rows(parent, n)
        assert c.items() <= p.items(), (child, parent)  # same arrays under the same names
    assert len(rows("prefix_transpositions", n)) == n * (n - 1) // 2
    assert len(rows("prefix_block_interchanges", n)) == math.comb(n + 1, 3)
    assert len(rows("prefix_suffix_transpositions", n)) == (n - 1) ** 2
    assert len(rows("prefix_suffix_reversals", n)) == 2 * n - 3
    assert len(rows("prefix_reversals_transpositions", n)) == (n - 1) + n * (n - 1) // 2 - 1
    assert len(rows("short_swaps", n)) == len(rows("bubble_sort_star", n)) == 2 * n - 3
    assert len(rows("insertions", n)) == (n - 1) ** 2 and len(rows("bi_rotator", n)) == 2 * n - 3
    assert len(rows("signed_prefix_suffix_reversals", n)) == 2 * n - 1
    # reversals and transpositions: all reversals plus the block moves that are not (2-blocks are swaps)
    assert len(rows("reversals_transpositions", n)) == n * (n - 1) // 2 + math.comb(n + 1, 3) - (n - 1)


def test_wrapped_k_reversals_are_topspin_turnstiles():
    g = cayley.generators("wrapped_k_reversals", 6, k=4)
    ts = cayley.generators("top_spin", 6, k=4)
    assert g.perms[0].tolist() == ts["T"].array.tolist()
    # conjugating the turnstile by the shift gives the next window
    for i in range(6):
        shifted = ts.product(["R"] * i + ["T"] + ["L"] * i)
        assert shifted.array.tolist() in g.perms.tolist()
    assert g.names[-1] == "R[5..2]"


def test_perfect_shuffles_and_small_groups():
    g = cayley.generators("perfect_shuffles", 8)
    assert g.perms.tolist() == [[0, 4, 1, 5, 2, 6, 3, 7], [4, 0, 5, 1, 6, 2, 7, 3]]
    # the out-shuffle of 2^k cards has order k (Diaconis, Graham, Kantor)
    assert Permutation(g.perms[0]).order == 3
    assert cayley.generators("perfect_shuffles", 52)["O"].order == 8
    assert cayley.generators("dihedral", 5)["S"].array.tolist() == [0, 4, 3, 2, 1]


def test_cli_families_table_and_json():
    from click.testing import CliRunner

    from cayley.cli.main import main

    r = CliRunner().invoke(main, ["families", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {row["name"]: row for row in json.loads(r.stdout)}
    matrix_names = {fam.name for fam in cayley.families("matrix")}  # tests/test_matrix.py
    assert matrix_names and set(rows) == set(FAMILY_NAMES) | set(PUZZLE_NAMES) | matrix_names
    assert all(rows[name]["kind"] == "puzzle" for name in PUZZLE_NAMES)
    for row in rows.values():
        assert {"parameters", "example_n", "degree", "generators", "inverse_closed", "reference", "aliases"} <= set(row)
        assert row["reference"] and row["generators"] >= 1
    assert rows["lrx"]["parameters"] == ["n", "k=1"]
    assert rows["lrx"]["example_n"] == 5 and rows["lrx"]["generators"] == 3 and rows["lrx"]["inverse_closed"] is True
    assert rows["lx"]["inverse_closed"] is False and "sigma_tau" in rows["lx"]["aliases"]
    assert rows["burnt_pancake"]["degree"] == 10 and rows["burnt_pancake"]["signed"] is True
    assert rows["involutive_derangements"]["example_n"] == 6 and rows["involutive_derangements"]["generators"] == 15
    assert rows["involutive_derangements"]["degrees"] == "n >= 2, n even"
    table = CliRunner().invoke(main, ["families"])
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["name", "kind", "degrees", "parameters", "gens", "at", "n", "undirected"]
    assert max(map(len, lines)) <= 100  # labelled columns that fit a terminal (reference: `families NAME`)
    lrx = next(line for line in lines if line.startswith("lrx "))
    assert lrx.split() == ["lrx", "perm", "n", ">=", "3", "k=1", "3", "at", "5", "yes"]
    assert "bubble_sort -> coxeter" in table.stdout


def test_classical_small_groups_beyond_max_n():
    """Families whose smallest degree is above MAX_N, against the oracle and known orders."""
    for n, order in ((8, 8), (12, 12), (16, 16)):
        g = cayley.generators("dicyclic", n)
        res = bfs(CayleyGraph(g))
        assert list(res.growth) == oracle_growth(g.perms.tolist()) and res.size == g.order() == order
    q8 = cayley.generators("dicyclic", 8)
    assert q8["x"].order == 4 and q8["a"].order == 4  # Q_8: every non-central element has order 4
    assert np.array_equal(q8.product(["x", "x"]).array, q8.product(["a", "a"]).array)  # x^2 = a^m
    for n, order in ((7, 42), (11, 110)):
        assert cayley.generators("affine_line", n).order() == order
    for n, order in ((8, 168), (12, 660)):  # PSL(2,7), PSL(2,11)
        g = cayley.generators("psl2_line", n)
        assert g.order() == order
    g = cayley.generators("psl2_line", 8)
    assert list(bfs(CayleyGraph(g)).growth) == oracle_growth(g.perms.tolist())
    g = cayley.generators("macro_star", 7)
    assert list(bfs(CayleyGraph(g)).growth) == oracle_growth(g.perms.tolist()) and g.order() == 5040
    assert cayley.generators("k_ary_cube", 9).order() == 27 and cayley.generators("torus", 10).order() == 25
    g = cayley.generators("circulant", 10, jumps="1,5")
    assert g.names == ("+1", "-1", "+5") and list(bfs(CayleyGraph(g)).growth) == [1, 3, 4, 2]
    with pytest.raises(InvalidInputError, match="circulant needs distinct jumps"):
        cayley.generators("circulant", 10, jumps="1,9")
    assert list(bfs(CayleyGraph(cayley.generators("complete_cyclic", 7))).growth) == [1, 6]


# ------------------------------------------------------------------------------------
# hardening (issue 17): generator counts estimated in closed form before enumerating
# ------------------------------------------------------------------------------------
def _subfactorial(n):
    return round(math.factorial(n) / math.e) if n else 1


@pytest.mark.parametrize(
    "name,n,count",
    [
        ("derangements", 14, _subfactorial(14)),
        ("involutive_derangements", 24, math.prod(range(1, 24, 2))),
        ("all_cycles", 16, sum(math.comb(16, k) * math.factorial(k - 1) for k in range(2, 17))),
        ("k_cycles", 40, math.comb(40, 4) * 6),
        ("block_interchange", 200, math.comb(202, 4)),
    ],
)
def test_too_many_generators_are_refused_before_enumerating(name, n, count):
    import time

    t0 = time.perf_counter()
    with pytest.raises(InvalidInputError) as info:
        cayley.generators(name, n)
    assert time.perf_counter() - t0 < 1
    msg = str(info.value)
    assert f"{count:,}" in msg and "\n" not in msg, msg


def test_too_many_generators_through_parameters():
    with pytest.raises(InvalidInputError, match="10,000,000"):
        cayley.generators("rand_generators", 10, k=10**7)
    ten_cycles = math.comb(20, 10) * math.factorial(9)
    with pytest.raises(InvalidInputError, match=f"{ten_cycles:,}"):  # all 10-cycles of S_20
        cayley.generators("conjugacy_classes", 20, classes="(10)")
    with pytest.raises(InvalidInputError, match="generators"):
        cayley.generators("increasing_k_cycles", 40, k=20)


def test_huge_degrees_are_refused_before_building():
    from cayley.groups.perm import MAX_DEGREE

    with pytest.raises(InvalidInputError, match=str(MAX_DEGREE)):
        cayley.generators("lrx", 10**9)
    with pytest.raises(InvalidInputError, match=str(MAX_DEGREE)):
        cayley.generators("burnt_pancake", MAX_DEGREE)  # 2n positions
    # n generators of degree n: refused by their number of entries, before building
    with pytest.raises(InvalidInputError, match="entries"):
        cayley.generators("coxeter", MAX_DEGREE)
    assert cayley.generators("lrx", MAX_DEGREE).degree == MAX_DEGREE


def _count_cases():
    out = []
    for fam in cayley.families():
        if fam.kind == "matrix":
            continue
        for n in fam.degrees(13)[:6]:
            if fam.name in ("derangements", "all_cycles") and n > 8:
                continue
            out.append(pytest.param(fam.name, n, id=f"{fam.name}-{n}"))
    return out


@pytest.mark.parametrize("name,n", _count_cases())
def test_generator_count_estimate_is_exact_or_a_bound(name, n):
    """Every family states its number of generators in closed form (an upper bound at
    least); a family without a formula has a small fixed number of generators."""
    fam = get_family(name)
    actual = len(fam(n))
    est = fam.generator_count(n)
    if est is None:
        assert actual <= 8, f"{name} has {actual} generators at n={n} but no count formula"
    else:
        assert est >= actual, (name, n, est, actual)
        if fam.kind == "permutation":
            assert est == actual, (name, n, est, actual)


@pytest.mark.parametrize(
    "name,params",
    [
        ("generalized_stars", {"k": 3}),
        ("increasing_k_cycles", {"k": 4}),
        ("k_cycles", {"k": 3}),
        ("consecutive_k_cycles", {"k": 5}),
        ("consecutive_k_reversals", {"k": 4}),
        ("three_cycles_01i", {"add_inverses": False}),
        ("circulant", {"jumps": "1,3,5"}),
        ("circulant", {"jumps": "1,2,4"}),
        ("conjugacy_classes", {"classes": "(2,2)(3):5"}),
        ("conjugacy_classes", {"classes": "(3)(2)"}),
        ("rand_generators", {"k": 7}),
        ("restricted_rotator", {"lengths": "2,3,n"}),
        ("transposition_tree", {"edges": "star"}),
        ("k_ary_cube", {"k": 4}),
        ("macro_star", {"l": 3}),
    ],
)
def test_generator_count_with_parameters(name, params):
    fam = get_family(name)
    for n in (8, 9, 10, 12, 13):
        try:
            actual = len(fam(n, **params))
        except InvalidInputError:
            continue
        assert fam.generator_count(n, **params) == actual, (name, params, n)


def test_cube_atm_move_count_is_checked_before_enumerating():
    fam = get_family("cube_atm")
    for big_n in (2, 3, 4, 5):
        assert fam.generator_count(6 * big_n**2) == len(fam(6 * big_n**2))
    with pytest.raises(InvalidInputError, match="43,046,718 generators"):  # 3 (3^15 - 1) moves
        cayley.generators("cube_atm", 6 * 15**2)
