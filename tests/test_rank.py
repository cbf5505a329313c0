"""Rank engine: perfect rankings (permutations, multiset permutations) and rank_bfs,
checked against enumeration and against the hash engine."""

from __future__ import annotations

import itertools
from math import factorial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cayley
from cayley import CayleyGraph, GeneratorSet, InvalidInputError
from cayley.backends.numba_rank import PermLayout
from cayley.backends.ranking import (
    MultisetRanking,
    PermutationRanking,
    rank_permutations,
    ranking_for,
    unrank_permutations,
)
from cayley.graphs import rank_engine
from cayley.graphs.rank_engine import rank_bfs, rank_memory_bytes, supports


def rows(a) -> set:
    return set(map(tuple, np.asarray(a).tolist()))


def multiset_strings(counts) -> np.ndarray:
    base = [v for v, c in enumerate(counts) for _ in range(c)]
    return np.array(sorted(set(itertools.permutations(base))), dtype=np.int64)


# ---------------------------------------------------------------------------------
# rankings
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("n", range(1, 8))
def test_permutation_rank_is_lexicographic_bijection(n):
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64)  # lex order
    ranks = rank_permutations(perms)
    assert ranks.tolist() == list(range(factorial(n)))
    assert np.array_equal(unrank_permutations(ranks, n), perms)
    pr = PermutationRanking(n)
    assert pr.size == factorial(n)
    assert np.array_equal(pr.unrank(pr.rank(perms)), perms)


def test_permutation_rank_large_n_round_trip():
    rng = np.random.default_rng(0)
    for n in (12, 15, 20):
        perms = np.array([rng.permutation(n) for _ in range(200)])
        ranks = rank_permutations(perms)
        assert ranks.min() >= 0 and ranks.max() < factorial(n)
        assert np.array_equal(unrank_permutations(ranks, n), perms)
    assert rank_permutations(np.arange(20)[::-1])[0] == factorial(20) - 1


@pytest.mark.parametrize(
    "counts", [[1], [4], [2, 3], [3, 3], [1, 2, 3], [3, 3, 2], [1, 1, 2], [2, 2, 2, 2], [1, 4, 1, 2]]
)
def test_multiset_rank_is_lexicographic_bijection(counts):
    strings = multiset_strings(counts)
    mr = MultisetRanking(counts)
    assert mr.size == len(strings)
    assert mr.rank(strings).tolist() == list(range(len(strings)))
    assert np.array_equal(mr.unrank(np.arange(mr.size)), strings)


def test_binary_strings_rank_like_combinatorial_number_system():
    mr = MultisetRanking([6, 4])
    strings = multiset_strings([6, 4])
    assert mr.size == 210 and np.array_equal(mr.unrank(np.arange(210)), strings)


def test_ranking_for_picks_the_space():
    assert isinstance(ranking_for([2, 0, 1]), PermutationRanking)
    assert isinstance(ranking_for([0, 1, 1, 2]), MultisetRanking)
    assert ranking_for(list(range(16))) is None  # 16! ranks: beyond 2**41
    assert ranking_for([0, 2]) is None  # symbols not dense


@pytest.mark.parametrize("n,m", [(3, 3), (5, 3), (7, 4), (8, 7)])
def test_perm_layout_index_round_trip(n, m):
    lay = PermLayout(n, m)
    ranks = np.arange(factorial(n))
    idx = lay.rank_to_index(ranks)
    assert np.array_equal(lay.index_to_rank(idx), ranks)
    assert len(np.unique(idx)) == len(ranks) and idx.max() < lay.nwords * 32
    # the layout's weights rank a permutation straight to its index
    perms = unrank_permutations(ranks, n)
    hi = np.zeros(len(perms), np.int64)
    lo = np.zeros(len(perms), np.int64)
    for i in range(n - 1):
        used = perms[:, :i]
        d = perms[:, i] - (used < perms[:, i : i + 1]).sum(axis=1)
        if i < lay.P:
            hi += d * lay.weights[i]
        else:
            lo += d * lay.weights[i]
    assert np.array_equal(hi * lay.stride + lo, idx)


# ---------------------------------------------------------------------------------
# rank_bfs against the hash engine
# ---------------------------------------------------------------------------------
def assert_same_search(graph, **kw):
    a = rank_bfs(graph, **kw)
    b = cayley.bfs(graph, engine="hash", **kw)
    assert a.growth == b.growth, graph.name
    assert a.completed == b.completed and a.stop_reason == b.stop_reason
    assert a.engine == "rank" and a.backend == "cpu"
    if b.last_layer is not None:
        assert a.last_layer is not None and a.last_layer.dtype == np.int64
        assert a.last_layer.shape == b.last_layer.shape and rows(a.last_layer) == rows(b.last_layer)
    assert set(a.layers) == set(b.layers)
    for d in a.layers:
        assert rows(a.layers[d]) == rows(b.layers[d]) and len(a.layers[d]) == a.growth[d]
    return a


def _family_or_skip(name):
    try:
        return cayley.get_family(name)
    except cayley.CayleyError:
        pytest.skip(f"family {name} not registered yet")


@pytest.mark.parametrize("name", ["lrx", "coxeter", "pancake", "all_transpositions", "lx"])
@pytest.mark.parametrize("n", [3, 5, 8])
def test_named_families_match_hash_engine(name, n):
    fam = _family_or_skip(name)
    if n < fam.min_degree:
        pytest.skip("degree below the family's minimum")
    graph = CayleyGraph(cayley.generators(name, n))
    r = assert_same_search(graph)
    assert r.completed and r.size == factorial(n) == graph.order()


def test_every_registered_family_matches_hash_engine():
    checked = 0
    for fam in cayley.families():
        for n in range(max(3, fam.min_degree), 8):
            try:
                gens = cayley.generators(fam.name, n)
            except InvalidInputError:
                continue
            graph = CayleyGraph(gens)
            if not supports(graph) or rank_memory_bytes(graph, last_layer_limit=0) > 400 * 2**20:
                continue  # e.g. signed families act on 2n points: 14! ranks at n = 7
            if gens.degree > 9 and n > 5:
                continue  # keep the test quick: ambient spaces of 10! and more once per family
            assert_same_search(graph)
            checked += 1
    assert checked >= 10


@pytest.mark.slow
def test_every_registered_family_matches_hash_engine_at_degrees_8_and_9():
    """Issue 9's acceptance: rank == hash for every family at n = 8, 9 (about 2 minutes).

    Left out, and why: families on 2n points (signed, hypercube-like: 16! ranks and more do not
    fit a rank bitset) and generator sets so large that one search does more than 2e8
    generator applications (all_cycles, derangements, k_cycles at n = 9: 10^4-10^5 generators).
    """
    checked, left_out = [], []
    for fam in cayley.families():
        for n in (8, 9):
            if n < fam.min_degree:
                continue
            try:
                gens = cayley.generators(fam.name, n)
            except InvalidInputError:
                continue
            graph = CayleyGraph(gens)
            if not supports(graph) or rank_memory_bytes(graph, last_layer_limit=0) > 400 * 2**20:
                left_out.append((fam.name, n, "ambient"))
                continue
            if len(gens) * factorial(gens.degree) > 2e8:
                left_out.append((fam.name, n, "generators"))
                continue
            a = rank_bfs(graph, last_layer_limit=0)
            b = cayley.bfs(graph, engine="hash", last_layer_limit=0)
            assert a.growth == b.growth, (fam.name, n)
            assert a.completed and b.completed
            checked.append((fam.name, n))
    assert len(checked) >= 100, len(checked)
    too_big = {name for name, _, why in left_out if why == "generators"}
    assert too_big <= {"all_cycles", "derangements", "k_cycles"}, too_big


@pytest.mark.parametrize(
    "name,start",
    [
        ("lrx", "00011"),
        ("lrx", "0011122"),
        ("lrx", "001122"),
        ("lrx", "01201201"),
        ("coxeter", "0120"),
        ("coxeter", "00001111"),
        ("pancake", "0011223"),
        ("lx", "0001112"),
        ("lrx", "0000"),
    ],
)
def test_schreier_graphs_match_hash_engine(name, start):
    _family_or_skip(name)
    graph = CayleyGraph.from_spec(None, cayley.generators(name, len(start)), start=start)
    assert graph.is_schreier
    r = assert_same_search(graph)
    assert r.completed and r.size == graph.order()


def _reference_cases(max_work=2 * 10**7):
    from cayley.reference import load_reference, reference_names

    names = {f.name for f in cayley.families()}
    for name in reference_names():
        if name not in names:
            continue
        for key, growth in load_reference(name).items():
            n = int(key)
            if n > 9 or n < cayley.get_family(name).min_degree:
                continue
            try:
                gens = cayley.generators(name, n)
            except InvalidInputError:
                continue
            if len(gens) * sum(growth) <= max_work:
                yield pytest.param(name, gens, growth, id=f"{name}-{n}")


@pytest.mark.parametrize("name,gens,growth", list(_reference_cases()))
def test_reference_rows(name, gens, growth):
    """Growth functions computed independently (CayleyPy), up to degree 9."""
    assert rank_bfs(CayleyGraph(gens), last_layer_limit=0, store_layers_up_to=0).growth == growth


def test_reference_rows_schreier():
    from cayley.reference import load_reference

    rows = [(k, g) for k, g in load_reference("lrx_coset").items() if len(k) <= 16]
    assert len(rows) > 20
    for key, growth in rows:
        graph = CayleyGraph(cayley.generators("lrx", len(key)), start=key)
        assert rank_bfs(graph, last_layer_limit=0, store_layers_up_to=0).growth == growth, key


def test_start_that_is_not_the_identity():
    graph = CayleyGraph(cayley.generators("lrx", 6), start=[3, 1, 4, 0, 5, 2])
    assert_same_search(graph)


def test_subgroup_orbit_is_found_inside_the_ambient_space():
    # <(0 1 2 3 4 5), (0 1)(2 3)> acts on 6 points; its Cayley graph is a strict subset of S_6
    gs = GeneratorSet.from_perms([[1, 2, 3, 4, 5, 0], [1, 0, 3, 2, 4, 5]])
    graph = CayleyGraph(gs)
    r = assert_same_search(graph)
    assert r.size == gs.order() < factorial(6)


def force_pull(mp):
    """Make every layer bottom-up (where the graph has permutation states)."""
    mp.setattr(rank_engine, "PULL_RATIO", 1e30)
    mp.setattr(rank_engine, "PULL_MIN_WORK", 0.0)


@pytest.mark.parametrize("name", ["lrx", "coxeter", "pancake", "lx", "all_transpositions"])
@pytest.mark.parametrize("n", [4, 8])
def test_bottom_up_layers_match_hash_engine(monkeypatch, name, n):
    """Every layer bottom-up (each unseen state looks for a parent), directed lx too."""
    _family_or_skip(name)
    force_pull(monkeypatch)
    assert_same_search(CayleyGraph(cayley.generators(name, n)))
    assert_same_search(CayleyGraph(cayley.generators(name, n)), max_depth=3)


def test_bottom_up_subgroup_and_mixed_directions(monkeypatch):
    gs = GeneratorSet.from_perms([[1, 2, 3, 4, 5, 6, 0], [1, 0, 2, 3, 4, 5, 6], [0, 2, 1, 3, 4, 6, 5]])
    monkeypatch.setattr(rank_engine, "PULL_MIN_WORK", 0.0)
    for ratio in (1e30, 0.5, 3.0):
        monkeypatch.setattr(rank_engine, "PULL_RATIO", ratio)
        assert_same_search(CayleyGraph(gs))
    sub = GeneratorSet.from_perms([[1, 2, 3, 4, 5, 0, 6, 7], [1, 0, 3, 2, 4, 5, 7, 6]])
    force_pull(monkeypatch)
    assert assert_same_search(CayleyGraph(sub)).size == sub.order()


@settings(max_examples=25, deadline=None)
@given(
    st.integers(3, 7).flatmap(lambda n: st.lists(st.permutations(list(range(n))), min_size=1, max_size=3)),
    st.data(),
)
def test_random_generator_sets_match_hash_engine(perms, data):
    n = len(perms[0])
    gs = GeneratorSet.from_perms(perms)
    colours = data.draw(st.sampled_from([None, 2, 3]))
    start = None if colours is None else data.draw(st.lists(st.integers(0, colours - 1), min_size=n, max_size=n))
    if colours is None:
        start = data.draw(st.sampled_from([None, list(range(n))[::-1]]))
    with pytest.MonkeyPatch.context() as mp:
        if data.draw(st.booleans()):
            force_pull(mp)
        assert_same_search(CayleyGraph(gs, start))


@pytest.mark.parametrize("start", [None, "00011122"])
@pytest.mark.parametrize("kw", [{"max_depth": 0}, {"max_depth": 3}, {"max_depth": 6}, {"max_states": 1}, {"max_states": 50}])
def test_limits_match_hash_engine(start, kw):
    graph = CayleyGraph.from_spec("S_8", "lrx", start=start)
    r = assert_same_search(graph, **kw)
    if "max_depth" in kw:
        assert r.depth == kw["max_depth"] and r.stop_reason == "max_depth" and not r.completed
    else:
        assert r.size >= kw["max_states"] and r.stop_reason == "max_states"


def test_limit_at_the_end_of_the_graph_counts_as_exhausted():
    graph = CayleyGraph.from_spec("S_5", "coxeter")
    r = rank_bfs(graph, max_depth=10)  # diameter 10
    assert r.completed and r.stop_reason == "exhausted" and r.diameter == 10
    assert r.last_layer.tolist() == [[4, 3, 2, 1, 0]]


def test_layer_storage_limits():
    graph = CayleyGraph.from_spec("S_7", "lrx")
    r = rank_bfs(graph, store_layers_up_to=10, last_layer_limit=0)
    assert r.last_layer is None or len(r.last_layer) == 0
    assert all(len(v) <= 10 for v in r.layers.values()) and 0 in r.layers
    r = rank_bfs(graph, store_layers_up_to=0, last_layer_limit=10**6)
    assert r.layers == {} and len(r.last_layer) == r.growth[-1]
    # stored layers come sorted (lexicographic ranks)
    r = rank_bfs(graph, store_layers_up_to=10**6)
    for d, layer in r.layers.items():
        assert np.array_equal(layer, np.array(sorted(layer.tolist()))) and len(layer) == r.growth[d]


def test_progress_callback_once_per_layer():
    seen = []
    graph = CayleyGraph.from_spec("S_6", "lrx")
    r = rank_bfs(graph, progress=seen.append)
    assert [p.depth for p in seen] == list(range(1, len(r.growth)))
    assert [p.layer_size for p in seen] == list(r.growth[1:])
    assert seen[-1].states == 720 and seen[-1].expected_states == 720


def test_invalid_arguments_and_unsupported_graphs():
    graph = CayleyGraph.from_spec("S_4", "lrx")
    with pytest.raises(InvalidInputError):
        rank_bfs(graph, max_depth=-1)
    with pytest.raises(InvalidInputError):
        rank_bfs(graph, max_states=0)
    big = CayleyGraph.from_spec("S_16", "lrx")
    assert not supports(big)
    with pytest.raises(InvalidInputError, match="rank engine"):
        rank_bfs(big)


def test_memory_estimate():
    assert supports(CayleyGraph.from_spec("S_12", "lrx"))
    s12 = rank_memory_bytes(CayleyGraph.from_spec("S_12", "lrx"))
    assert 120e6 < s12 < 512 * 2**20  # 2 bits per permutation plus the interpreter
    s14 = rank_memory_bytes(CayleyGraph.from_spec("S_14", "lrx"))
    assert 21e9 < s14 < 23e9
    small = rank_memory_bytes(CayleyGraph.from_spec("S_8", "lrx", start="00001111"))
    assert small < s12
