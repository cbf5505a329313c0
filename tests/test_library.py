"""Every registered generator family against the networkx oracle and sympy's group order.

The cases are built from ``cayley.families()``, so a newly registered family is covered
without touching this file.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import cayley
from cayley import CayleyGraph, InvalidInputError, UnknownFamilyError, bfs
from cayley.groups.library import get_family
from oracles import oracle_growth

MAX_N = 6
# explicit graphs with more edges than this are marked slow (signed_reversals at n = 6
# has 46080 states x 21 generators); `-m "not slow"` leaves them out
SLOW_EDGES = 500_000


def _cases():
    out = []
    for fam in cayley.families():
        for n in range(fam.min_degree, MAX_N + 1):
            g = fam(n)
            # a cheap upper bound on the edges: the states of S_degree, and at most |G|
            edges = len(g) * min(g.order(), 10**9)
            marks = [pytest.mark.slow] if edges > SLOW_EDGES else []
            out.append(pytest.param(fam.name, n, marks=marks, id=f"{fam.name}-{n}"))
    return out


def _schreier_cases():
    out = []
    for fam in cayley.families():
        # the smallest n from min_degree whose states have at least 5 positions
        n = fam.min_degree
        while fam.state_degree(n) < 5:
            n += 1
        d = fam.state_degree(n)
        for pattern in ("0011", "001122"):
            start = (pattern * d)[:d]
            out.append(pytest.param(fam.name, n, start, id=f"{fam.name}-{n}-{start}"))
    return out


FAMILY_NAMES = [fam.name for fam in cayley.families()]


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


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_generators_distinct_and_nontrivial(name):
    """min_degree is honest: from it on the generators are distinct non-identity
    permutations with distinct names; below it the family refuses."""
    fam = get_family(name)
    for n in range(fam.min_degree, MAX_N + 1):
        g = fam(n)
        assert g.degree == fam.state_degree(n)
        assert g.family == name and dict(g.params)["n"] == n
        assert len(set(g.names)) == len(g.names)
        assert all(name_.strip() for name_ in g.names)
        assert len({p.tobytes() for p in g.perms}) == len(g), f"repeated generator at n={n}"
        assert not g.has_identity
    if fam.min_degree > 0:
        with pytest.raises(InvalidInputError, match="needs degree n >="):
            fam(fam.min_degree - 1)


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
        if fam.signed:
            continue  # the group spec S_d names the state degree 2n, not n
        n = max(fam.min_degree, 5)
        graph = CayleyGraph.from_spec(f"S_{n}", fam.name)
        assert np.array_equal(graph.generators.perms, fam(n).perms)
