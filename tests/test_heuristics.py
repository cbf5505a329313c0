"""Heuristics: values, admissibility against exact distances, pattern databases (rank and
hash index, projections, partial tables), torch agreement."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cayley import CayleyGraph, GeneratorSet, InvalidStateError, MemoryEstimateError
from cayley.errors import InvalidInputError, NoPathError
from cayley.graphs.heuristics import (
    Breakpoints,
    Hamming,
    Heuristic,
    MaxOf,
    PatternDatabase,
    default_heuristic,
)
from cayley.reference import load_reference
from oracles import explicit_graph

try:
    import torch

    HAS_TORCH = True
except ImportError:  # pragma: no cover
    HAS_TORCH = False


def oracle_distances(graph: CayleyGraph, target) -> dict:
    g = explicit_graph(graph.generators.perms.tolist(), tuple(int(x) for x in target))
    return nx.single_target_shortest_path_length(g, tuple(int(x) for x in target))


def all_perms(n: int) -> np.ndarray:
    return np.array(list(itertools.permutations(range(n))))


def test_protocol_and_simple_values():
    for h in (Hamming([0, 1, 2]), Breakpoints([0, 1, 2]), MaxOf([Hamming([0, 1, 2])])):
        assert isinstance(h, Heuristic)
    s = np.array([[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2]])
    assert Hamming([0, 1, 2, 3])(s).tolist() == [0, 4, 4]
    assert Hamming([3, 2, 1, 0])(s).tolist() == [4, 0, 4]
    assert Breakpoints([0, 1, 2, 3])(s).tolist() == [0, 1, 2]
    assert Breakpoints([0, 1, 2, 3], kind="reversals")(s).tolist() == [0, 1, 1.5]
    # breakpoints measure against any target: relabelled so the target reads 0..n-1
    t = np.array([2, 0, 3, 1])
    assert Breakpoints(t)(t.reshape(1, -1)).tolist() == [0]
    assert Hamming([0, 1, 2])(np.array([0, 2, 1])).tolist() == [2]  # one state is a batch of one


def test_bad_heuristic_input():
    with pytest.raises(InvalidStateError):
        Breakpoints([0, 0, 1])
    with pytest.raises(InvalidInputError):
        Breakpoints([0, 1, 2], kind="signed")
    with pytest.raises(InvalidInputError):
        Hamming([0, 1, 2])(np.zeros((2, 4), dtype=np.int64))
    with pytest.raises(InvalidInputError):
        MaxOf([])


def test_breakpoints_are_admissible():
    for n in (5, 7):
        g = CayleyGraph.from_spec(f"S_{n}", "pancake")
        exact = PatternDatabase.build(g)
        s = all_perms(n)
        h = Breakpoints(np.arange(n))(s)
        assert np.all(h <= exact.distance(s)) and np.any(h == exact.distance(s))
    g = CayleyGraph.from_spec("S_6", "full_reversals")
    s = all_perms(6)
    h = Breakpoints(np.arange(6), kind="reversals")(s)
    assert np.all(np.ceil(h) <= PatternDatabase.build(g).distance(s))


def test_default_heuristic():
    assert isinstance(default_heuristic(CayleyGraph.from_spec("S_6", "pancake")), Breakpoints)
    h = default_heuristic(CayleyGraph.from_spec("S_6", "full_reversals"))
    assert isinstance(h, Breakpoints) and h.kind == "reversals"
    assert isinstance(default_heuristic(CayleyGraph.from_spec("S_6", "lrx")), Hamming)
    assert isinstance(default_heuristic(CayleyGraph.from_spec("S_6", "pancake", start="001122")), Hamming)


@pytest.mark.parametrize(
    "group,gens,start",
    [("S_6", "lrx", None), ("S_6", "lx", None), ("S_7", "pancake", None), ("S_7", "lrx", "0011122")],
)
def test_exact_table_equals_oracle(group, gens, start):
    g = CayleyGraph.from_spec(group, gens, start=start)
    target = np.random.default_rng(0).permutation(g.start)
    dist = oracle_distances(g, target)
    states = np.array(list(dist))
    want = np.array(list(dist.values()))
    for index in ("rank", "hash"):
        pdb = PatternDatabase.build(g, target=target, index=index)
        assert pdb.index == index and pdb.exact and pdb.complete
        assert np.array_equal(pdb.distance(states), want)
        assert pdb.size == len(dist) and pdb.depth == want.max()


@pytest.mark.parametrize("family,n", [("lrx", 8), ("pancake", 8), ("coxeter", 7), ("lx", 7)])
def test_full_table_growth_is_reference_growth(family, n):
    g = CayleyGraph.from_spec(f"S_{n}", family)
    # growth from the identity by the inverses = growth by the generators (g -> g^-1)
    assert PatternDatabase.build(g).growth == load_reference(family)[str(n)]


@settings(max_examples=25, deadline=None)
@given(st.integers(4, 7), st.data())
def test_projections_are_lower_bounds(n, data):
    gens = data.draw(st.sampled_from(["lrx", "pancake", "coxeter", "lx"]))
    g = CayleyGraph.from_spec(f"S_{n}", gens)
    classes = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    exact = PatternDatabase.build(g)
    proj = PatternDatabase.build(g, classes=classes)
    proj_hash = PatternDatabase.build(g, classes=classes, index="hash")
    s = np.array([np.random.default_rng(i).permutation(n) for i in range(40)])
    assert np.array_equal(proj.distance(s), proj_hash.distance(s))
    assert np.all(proj(s) <= exact(s))
    assert proj.exact == (len(set(classes)) == n)


def test_partial_table_and_unreachable_states():
    g = CayleyGraph.from_spec("S_7", "lrx")
    exact = PatternDatabase.build(g)
    for index in ("rank", "hash"):
        part = PatternDatabase.build(g, max_depth=5, index=index)
        assert part.growth == exact.growth[:6] and not part.complete
        s = all_perms(7)
        d = exact.distance(s)
        got = part(s)
        assert np.array_equal(got[d <= 5], d[d <= 5]) and np.all(got[d > 5] == 6)
        assert np.all(part.distance(s)[d > 5] == -1)
    # A_5 generated by two 3-cycles: odd states can never reach the identity
    a5 = CayleyGraph(GeneratorSet.from_perms([[1, 2, 0, 3, 4], [0, 1, 3, 4, 2]]))
    for index in ("rank", "hash"):
        pdb = PatternDatabase.build(a5, index=index)
        assert pdb.size == 60 and pdb.complete
        assert pdb(np.array([[1, 0, 2, 3, 4]])).tolist() == [np.inf]
        with pytest.raises(NoPathError) as e:
            pdb.path([1, 0, 2, 3, 4])
        assert e.value.unreachable


def test_table_path_is_shortest():
    g = CayleyGraph.from_spec("S_7", "lx")
    target = [3, 1, 4, 0, 6, 5, 2]
    pdb = PatternDatabase.build(g, target=target)
    dist = oracle_distances(g, target)
    for s in list(dist)[::97]:
        p = pdb.path(s)
        assert p.is_valid() and p.length == dist[s] and p.optimal
    with pytest.raises(InvalidInputError):
        PatternDatabase.build(g, classes=[0, 0, 1, 1, 2, 2, 3]).path(list(dist)[5])


def test_pattern_database_input_checks():
    g = CayleyGraph.from_spec("S_6", "lrx")
    with pytest.raises(InvalidInputError):
        PatternDatabase.build(g, classes=[0, 1, 2])
    with pytest.raises(InvalidInputError):
        PatternDatabase.build(g, index="btree")
    with pytest.raises(MemoryEstimateError):
        PatternDatabase.build(g, memory_limit=100, index="rank")
    # index="auto" falls back to hashing the orbit when the ranked table is over the limit
    small = PatternDatabase.build(g, memory_limit=100, max_depth=3)
    assert small.index == "hash" and small.distance(np.array([[1, 0, 2, 3, 4, 5]])).tolist() == [1]
    pdb = PatternDatabase.build(g)
    with pytest.raises(InvalidStateError):
        pdb.distance(np.array([[0, 0, 1, 2, 3, 4]]))
    assert "S_6" in repr(pdb) and pdb.nbytes == 720


def test_max_of_lower_bounds():
    g = CayleyGraph.from_spec("S_7", "pancake")
    s = all_perms(7)[::7]
    a = PatternDatabase.build(g, classes=[0, 1, 2, 3, 3, 3, 3])
    b = PatternDatabase.build(g, classes=[3, 3, 3, 3, 0, 1, 2])
    m = MaxOf([a, b, Breakpoints(np.arange(7))])
    assert np.array_equal(m(s), np.maximum(np.maximum(a(s), b(s)), Breakpoints(np.arange(7))(s)))
    assert np.all(m(s) <= PatternDatabase.build(g)(s))


@pytest.mark.skipif(not HAS_TORCH, reason="torch not installed")
def test_torch_scores_match_numpy():
    rng = np.random.default_rng(0)
    s = np.array([rng.permutation(9) for _ in range(50)])
    t = np.array([4, 2, 0, 1, 3, 5, 8, 7, 6])
    for h in (Hamming(t), Breakpoints(t), Breakpoints(t, kind="reversals")):
        for dtype in (torch.uint8, torch.int64):
            got = h(torch.as_tensor(s, dtype=dtype)).numpy()
            assert np.allclose(got, h(s))


def test_large_batches_use_the_kernels_and_agree():
    # batches of 4096+ states are scored by numba kernels; compare with a naive loop
    rng = np.random.default_rng(1)
    t = rng.permutation(11)
    s = np.array([rng.permutation(11) for _ in range(5000)])
    pos = np.argsort(t)

    def naive(row, kind):
        r = [pos[x] for x in row]
        framed = ([-1] if kind == "reversals" else []) + r + [11]
        b = sum(abs(a - c) != 1 for a, c in zip(framed, framed[1:]))
        return b / 2 if kind == "reversals" else b

    for kind in ("pancake", "reversals"):
        got = Breakpoints(t, kind=kind)(s)
        assert got.tolist() == [naive(row, kind) for row in s.tolist()]
        assert np.array_equal(got[:10], Breakpoints(t, kind=kind)(s[:10]))
    assert Hamming(t)(s).tolist() == [float(np.sum(row != t)) for row in s]
    with pytest.raises(InvalidStateError):
        Breakpoints(t)(np.full((5000, 11), 11))
