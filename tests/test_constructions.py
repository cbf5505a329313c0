"""Constructions (products, wreath products, inverse closure, Schreier start states) against
the networkx oracle and sympy's group and orbit orders."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sympy.combinatorics import PermutationGroup
from sympy.combinatorics import Permutation as SymPerm

import cayley
from cayley import CayleyGraph, InvalidInputError, bfs
from cayley.groups import as_generator_set
from cayley.groups.constructions import (
    arrangement_state,
    colouring_state,
    cyclic_wreath,
    direct_power,
    direct_product,
    hyperoctahedral,
    inverse_closure,
    orbit_size_on_colourings,
    subset_state,
    wreath_product,
)
from oracles import oracle_growth


def _growth(gens, start=None):
    result = bfs(CayleyGraph(gens, start=start))
    assert result.completed
    return list(result.growth)


def _convolve(a, b):
    return np.convolve(a, b).tolist()


# ---------------------------------------------------------------------------------
# direct products
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "left,right",
    [("coxeter:n=3", "cyclic:n=4"), ("lrx:n=4", "stars:n=3"), ("pancake:n=4", "pancake:n=3"), ("lx:n=3", "dihedral:n=3")],
)
def test_direct_product_is_the_cartesian_product(left, right):
    g = direct_product(left, right)
    a, b = cayley.parse_generators(left), cayley.parse_generators(right)
    assert g.degree == a.degree + b.degree and len(g) == len(a) + len(b)
    assert g.order() == a.order() * b.order()
    growth = _growth(g)
    assert growth == oracle_growth(g.perms.tolist())
    # distances add in a Cartesian product, so the growth is the convolution
    assert growth == _convolve(_growth(a), _growth(b))
    assert g.inverse_closed == (a.inverse_closed and b.inverse_closed)


def test_direct_product_names_and_blocks():
    g = direct_product("coxeter:n=3", "cyclic:n=3")
    assert g.names == ("s0", "s1", "L", "R")
    assert g["L"].array.tolist() == [0, 1, 2, 4, 5, 0 + 3]
    clash = direct_product("cyclic:n=3", "cyclic:n=4")
    assert clash.names == ("0:L", "0:R", "1:L", "1:R")
    assert direct_product("cyclic:n=3") == cayley.parse_generators("cyclic:n=3")
    with pytest.raises(InvalidInputError, match="at least one factor"):
        direct_product()


def test_direct_power():
    g = direct_power("lx:n=3", 3)
    assert g.degree == 9 and len(g) == 6 and g.order() == 6**3
    assert _growth(g) == _convolve(_convolve(_growth(cayley.generators("lx", 3)), _growth(cayley.generators("lx", 3))),
                                   _growth(cayley.generators("lx", 3)))
    with pytest.raises(InvalidInputError, match="m >= 1"):
        direct_power("lx:n=3", 0)


def test_schreier_graph_of_a_product_state():
    # a product of two colourings: the orbit is the product of the orbits
    g = direct_product("stars:n=4", "coxeter:n=4")
    start = np.concatenate([colouring_state([2, 2]), colouring_state([1, 3]) + 2])
    graph = CayleyGraph(g, start=start)
    assert graph.order() == math.comb(4, 2) * 4
    assert _growth(g, start) == oracle_growth(g.perms.tolist(), start.tolist())


# ---------------------------------------------------------------------------------
# wreath products
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [2, 3, 4])
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_cyclic_wreath_order(k, n):
    g = cyclic_wreath(k, n)
    assert g.degree == k * n and g.names[0] == "c[0]"
    assert g.order() == k**n * math.factorial(n)
    if k**n * math.factorial(n) <= 2000:
        growth = _growth(g)
        assert growth == oracle_growth(g.perms.tolist())
        assert sum(growth) == k**n * math.factorial(n)
    assert g.inverse_closed  # c^-1 is added for k >= 3 (and c is an involution for k = 2)


def test_cyclic_wreath_without_inverses_is_directed():
    g = cyclic_wreath(3, 3, inverses=False)
    assert not g.inverse_closed and g.names == ("c[0]", "s0", "s1")
    assert _growth(g) == oracle_growth(g.perms.tolist())
    assert g.order() == 27 * 6


def test_cyclic_wreath_layouts_give_isomorphic_graphs():
    a = cyclic_wreath(3, 3, layout="layers")
    b = cyclic_wreath(3, 3, layout="blocks")
    assert a.names == b.names and a.perms.tolist() != b.perms.tolist()
    assert _growth(a) == _growth(b)
    with pytest.raises(InvalidInputError, match="layout"):
        cyclic_wreath(3, 3, layout="rows")


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_hyperoctahedral_is_coxeter_b(n):
    g = hyperoctahedral(n)
    b = cayley.generators("coxeter_b", n)
    assert g.perms.tolist() == b.perms.tolist()
    assert g.order() == 2**n * math.factorial(n)
    if n <= 4:
        assert _growth(g) == _growth(b) == oracle_growth(g.perms.tolist())


def test_hyperoctahedral_with_other_top_generators():
    # sign flip plus pancake flips on the elements with their signs: still B_n
    g = hyperoctahedral(4, top="pancake")
    assert g.order() == 2**4 * 24
    assert _growth(g) == oracle_growth(g.perms.tolist())
    # the burnt pancake group is the same permutation group of the 8 positions
    burnt = PermutationGroup([SymPerm(p.tolist()) for p in cayley.generators("burnt_pancake", 4).perms])
    assert all(burnt.contains(SymPerm(p.tolist())) for p in g.perms)


@pytest.mark.parametrize(
    "base,top,order",
    [
        ("[1,0]", "[1,2,0];[1,0,2]", 2**3 * 6),  # C_2 wr S_3
        ("[1,2,0];[1,0,2]", "[1,0]", 6**2 * 2),  # S_3 wr C_2
        ("[1,2,0]", "[1,2,3,0]", 3**4 * 4),  # C_3 wr C_4
        ("lx:n=3", "cyclic:n=3", 6**3 * 3),
        # an intransitive top group: base copies on one block per orbit
        ("[1,0]", "[1,0,2,3];[0,1,3,2]", 2**4 * 4),
    ],
)
def test_wreath_product_order_and_oracle(base, top, order):
    g = wreath_product(base, top)
    h, t = as_generator_set(base), as_generator_set(top)
    assert g.degree == h.degree * t.degree
    assert g.order() == order == h.order() ** t.degree * t.order()
    growth = _growth(g)
    assert sum(growth) == order
    assert growth == oracle_growth(g.perms.tolist())


def test_wreath_product_preserves_blocks():
    g = wreath_product("lx:n=3", "coxeter:n=4")
    blocks = [set(range(3 * b, 3 * b + 3)) for b in range(4)]
    for p in g.perms:
        for blk in blocks:
            image = {int(p[i]) for i in blk}
            assert image in blocks
    assert g.names[:2] == ("L[0]", "X[0]") and g.names[2:] == ("s0", "s1", "s2")


# ---------------------------------------------------------------------------------
# inverse closure
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", ["consecutive_k_cycles:n=5", "lx:n=5", "larx:n=5", "perfect_shuffles:n=6", "down_cycles:n=4"])
def test_inverse_closure_makes_an_undirected_graph(spec):
    g = cayley.parse_generators(spec)
    closed = inverse_closure(spec)
    assert closed.inverse_closed and not g.inverse_closed
    assert closed.perms[: len(g)].tolist() == g.perms.tolist()
    assert closed.order() == g.order()
    growth = _growth(closed)
    assert growth == oracle_growth(closed.perms.tolist())
    assert len(growth) <= len(_growth(g))  # more generators: no larger diameter
    # the undirected graph: every edge goes both ways, so inverting it changes nothing
    assert inverse_closure(closed) is closed


def test_inverse_closure_names_and_degrees():
    g = inverse_closure("[1,2,0];[1,0,2]")
    assert g.names == ("g0", "g1", "g0^-1") and g.perms[2].tolist() == [2, 0, 1]
    assert inverse_closure(cayley.generators("lx", 4)).names == ("L", "X", "L^-1")
    assert inverse_closure("lx", degree=4).names == ("L", "X", "L^-1")


# ---------------------------------------------------------------------------------
# Schreier graphs: k-subsets, colourings, arrangements
# ---------------------------------------------------------------------------------
def _sympy_set_orbit(gens, subset):
    group = PermutationGroup([SymPerm(p.tolist()) for p in gens.perms])
    return len(group.orbit(list(subset), action="sets"))


@pytest.mark.parametrize("family", ["lrx", "pancake", "coxeter", "three_cycles_01i", "cyclic", "dihedral"])
@pytest.mark.parametrize("n,k", [(5, 2), (6, 3), (6, 1)])
def test_action_on_k_subsets(family, n, k):
    gens = cayley.generators(family, n)
    start = subset_state(n, k)
    graph = CayleyGraph(gens, start=start)
    growth = _growth(gens, start)
    assert growth == oracle_growth(gens.perms.tolist(), start.tolist())
    assert sum(growth) == graph.order() == _sympy_set_orbit(gens, range(k))
    if gens.order() >= math.factorial(n) // 2 and n > 3:  # S_n or A_n: k-homogeneous
        assert sum(growth) == math.comb(n, k)


@pytest.mark.parametrize("n,k", [(6, 2), (7, 3), (8, 4)])
def test_all_transpositions_on_k_subsets_is_the_johnson_graph(n, k):
    gens = cayley.generators("all_transpositions", n)
    start = subset_state(n, k)
    growth = _growth(gens, start)
    # J(n, k): the subsets at distance d share k - d elements with the start
    assert growth == [math.comb(k, d) * math.comb(n - k, d) for d in range(min(k, n - k) + 1)]


def test_subset_state_with_a_given_subset():
    gens = cayley.generators("cyclic", 6)
    start = subset_state(6, 2, [0, 3])  # antipodal pairs: 3 of them under rotation
    assert sum(_growth(gens, start)) == 3 == _sympy_set_orbit(gens, [0, 3])
    with pytest.raises(InvalidInputError, match="not a set of k=2"):
        subset_state(6, 2, [0, 0])
    with pytest.raises(InvalidInputError, match="0 <= k <= n"):
        subset_state(4, 5)


@pytest.mark.parametrize("counts", [[2, 3], [1, 2, 2], [2, 2, 2], [3, 1, 1, 1]])
def test_action_on_colourings(counts):
    n = sum(counts)
    gens = cayley.generators("pancake", n)
    start = colouring_state(counts)
    growth = _growth(gens, start)
    assert growth == oracle_growth(gens.perms.tolist(), start.tolist())
    assert sum(growth) == orbit_size_on_colourings(counts) == CayleyGraph(gens, start=start).order()


@pytest.mark.parametrize("n,k", [(5, 2), (5, 3), (6, 2)])
def test_action_on_arrangements(n, k):
    for family, params in (("stars", {}), ("generalized_stars", {"k": k})):
        gens = cayley.generators(family, n, **params)
        start = arrangement_state(n, k)
        growth = _growth(gens, start)
        assert growth == oracle_growth(gens.perms.tolist(), start.tolist())
        assert sum(growth) == math.factorial(n) // math.factorial(n - k)


def test_colouring_state_errors():
    with pytest.raises(InvalidInputError, match="colour counts"):
        colouring_state([])
    with pytest.raises(InvalidInputError, match="colour counts"):
        colouring_state([2, -1])
