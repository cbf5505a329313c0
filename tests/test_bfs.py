"""BFS driver (hash engine): semantics, limits, Schreier graphs, multi-word states."""

from __future__ import annotations

from collections import deque
from math import factorial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cayley
from cayley import CayleyGraph, GeneratorSet, MemoryEstimateError, bfs


def python_bfs(gens: np.ndarray, start, max_depth=None):
    """Tiny independent BFS over tuples (test oracle)."""
    start = tuple(int(x) for x in start)
    dist = {start: 0}
    q = deque([start])
    while q:
        s = q.popleft()
        if max_depth is not None and dist[s] >= max_depth:
            continue
        for p in gens:
            t = tuple(s[i] for i in p)
            if t not in dist:
                dist[t] = dist[s] + 1
                q.append(t)
    growth = [0] * (max(dist.values()) + 1)
    for d in dist.values():
        growth[d] += 1
    return tuple(growth), dist


ENGINES = ["hash", "rank"]

perm_lists = st.integers(3, 7).flatmap(
    lambda n: st.lists(st.permutations(list(range(n))), min_size=1, max_size=3)
)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=40, deadline=None)
@given(perms=perm_lists)
def test_growth_matches_python_bfs_and_group_order(engine, perms):
    gs = GeneratorSet.from_perms(perms)
    graph = CayleyGraph(gs)
    r = bfs(graph, engine=engine)
    assert r.engine == engine
    expected, _ = python_bfs(gs.perms, graph.start)
    assert r.growth == expected
    assert r.completed and r.diameter == len(expected) - 1
    assert r.size == gs.order() == graph.order()


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=30, deadline=None)
@given(perms=perm_lists, data=st.data())
def test_schreier_graph_on_strings(engine, perms, data):
    n = len(perms[0])
    start = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    graph = CayleyGraph(GeneratorSet.from_perms(perms), start)
    r = bfs(graph, engine=engine)
    expected, _ = python_bfs(graph.generators.perms, graph.start)
    assert r.growth == expected
    assert r.size == graph.order()  # orbit size by the stabiliser of the colouring


@pytest.mark.parametrize("engine", ENGINES)
def test_coxeter_last_layer_is_the_reversal(engine):
    r = bfs(CayleyGraph.from_spec("S_6", "coxeter"), engine=engine)
    assert r.diameter == 15
    assert r.last_layer.tolist() == [[5, 4, 3, 2, 1, 0]]
    assert r.layers[0].tolist() == [list(range(6))]
    assert sorted(map(tuple, r.layers[1].tolist())) == sorted(
        tuple(p) for p in cayley.generators("coxeter", 6).perms.tolist()
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_directed_graph_keeps_all_visited(engine):
    # L and X only: not inverse-closed, so the two-layer window would be wrong
    gs = GeneratorSet.from_perms([[1, 2, 3, 4, 5, 0], [1, 0, 2, 3, 4, 5]], names=["L", "X"])
    graph = CayleyGraph(gs)
    assert not graph.undirected
    r = bfs(graph, engine=engine)
    assert r.growth == python_bfs(gs.perms, graph.start)[0]
    assert r.size == factorial(6)


@pytest.mark.parametrize("engine", ENGINES)
def test_max_depth_and_max_states(engine):
    graph = CayleyGraph.from_spec("S_7", "lrx")
    full = bfs(graph, engine=engine)
    r = bfs(graph, max_depth=5, engine=engine)
    assert r.growth == full.growth[:6] and not r.completed and r.diameter is None
    assert r.stop_reason == "max_depth"
    r = bfs(graph, max_states=100, engine=engine)
    assert not r.completed and r.size >= 100 and r.growth == full.growth[: len(r.growth)]
    # a limit that lands exactly on the end still completes
    r = bfs(graph, max_depth=full.diameter, engine=engine)
    assert r.completed and r.growth == full.growth
    assert bfs(graph, max_depth=0, engine=engine).growth == (1,)


def test_multiword_states_agree_with_python_bfs():
    n = 20  # 20 symbols * 5 bits: two 64-bit words per state
    rng = np.random.default_rng(0)
    perms = [rng.permutation(n) for _ in range(3)]
    graph = CayleyGraph(GeneratorSet.from_perms(perms))
    r = bfs(graph, max_depth=5)
    assert r.growth == python_bfs(graph.generators.perms, graph.start, max_depth=5)[0]
    # and a directed multi-word graph
    graph = CayleyGraph(GeneratorSet.from_perms(perms[:2]))
    r = bfs(graph, max_depth=6)
    assert r.growth == python_bfs(graph.generators.perms, graph.start, max_depth=6)[0]


def test_long_binary_strings_pack_in_one_word():
    start = "0" * 32 + "1" * 32
    graph = CayleyGraph.from_spec("S_64", "lrx", start=start)
    r = bfs(graph, max_depth=8)
    assert r.growth == python_bfs(graph.generators.perms, graph.start, max_depth=8)[0]


@pytest.mark.parametrize("engine", ENGINES)
def test_progress_callback_reports_each_layer(engine):
    seen = []
    r = bfs(CayleyGraph.from_spec("S_6", "lrx"), progress=seen.append, engine=engine)
    assert [p.depth for p in seen] == list(range(1, r.diameter + 1))
    assert [p.states for p in seen] == list(np.cumsum(r.growth)[1:])
    assert seen[-1].expected_states == 720 and all(p.rss_bytes > 0 for p in seen)


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
def test_refuses_runs_over_the_memory_limit(engine):
    with pytest.raises(MemoryEstimateError) as exc:
        bfs(CayleyGraph.from_spec("S_10", "lrx"), memory_limit=2**20, engine=engine)
    msg = str(exc.value)
    assert "estimated peak memory" in msg and "--max-depth" in msg
    assert exc.value.estimate_bytes > exc.value.limit_bytes == 2**20


@pytest.mark.parametrize("engine", ENGINES)
def test_result_is_frozen_and_has_provenance(engine):
    r = bfs(CayleyGraph.from_spec("S_4", "lrx"), engine=engine)
    with pytest.raises(AttributeError):
        r.growth = (1,)
    assert r.engine == engine and r.backend == "cpu" and r.version == cayley.__version__
    assert r.seconds > 0 and r.peak_memory_bytes > 0
    d = r.to_dict()
    assert d["growth"] == [1, 3, 5, 6, 5, 3, 1] and d["diameter"] == 6


def test_bad_engine_and_backend():
    g = CayleyGraph.from_spec("S_4", "lrx")
    with pytest.raises(cayley.InvalidInputError, match="engine"):
        bfs(g, engine="magic")
    with pytest.raises(cayley.InvalidInputError, match="backend"):
        bfs(g, backend="tpu")


@pytest.mark.parametrize("engine", ENGINES)
def test_constant_start_is_a_single_state(engine):
    r = bfs(CayleyGraph.from_spec("S_5", "lrx", start="00000"), engine=engine)
    assert r.growth == (1,) and r.completed


def test_auto_engine_choice():
    from cayley.graphs import plan_search

    assert plan_search(CayleyGraph.from_spec("S_11", "lrx")).engine == "rank"
    assert plan_search(CayleyGraph.from_spec("S_16", "lrx")).engine == "hash"  # no ranking that fits
    assert plan_search(CayleyGraph.from_spec("S_14", "lrx"), max_depth=10).engine == "hash"
    with pytest.raises(cayley.InvalidInputError, match="perfect ranking"):
        bfs(CayleyGraph.from_spec("S_20", "lrx"), engine="rank", max_depth=2)




@pytest.mark.parametrize("family, n, start", [("lrx", 7, None), ("lx", 6, None), ("pancake", 6, None),
                                               ("lrx", 8, "00001111"), ("coxeter", 5, "00112")])
def test_torch_backend_agrees_with_numba(family, n, start):
    pytest.importorskip("torch")
    graph = CayleyGraph.from_spec(f"S_{n}", family, start=start)
    ref = bfs(graph, engine="hash", backend="cpu")
    r = bfs(graph, engine="hash", backend="torch", device="cpu")
    assert r.growth == ref.growth and r.backend == "torch-cpu"
    assert sorted(map(tuple, r.last_layer.tolist())) == sorted(map(tuple, ref.last_layer.tolist()))


def test_torch_backend_multiword_and_checkpoint(tmp_path):
    pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    graph = CayleyGraph(GeneratorSet.from_perms([rng.permutation(20) for _ in range(3)]))
    assert bfs(graph, backend="torch", max_depth=5).growth == python_bfs(graph.generators.perms, graph.start, 5)[0]
    g = CayleyGraph.from_spec("S_7", "lrx")
    bfs(g, engine="hash", backend="torch", max_depth=6, checkpoint=tmp_path)
    assert bfs(g, engine="hash", backend="torch", checkpoint=tmp_path).growth == bfs(g).growth


@pytest.mark.gpu
def test_cuda_backend_agrees_with_numba():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    graph = CayleyGraph.from_spec("S_9", "lrx")
    assert bfs(graph, engine="hash", backend="cuda").growth == bfs(graph, engine="hash", backend="cpu").growth


# issue 17: memory estimates of huge groups are integers and print readably
@pytest.mark.parametrize("n", [170, 171, 500, 1000])
def test_memory_estimate_of_huge_groups(n):
    from cayley.graphs.memory import gib, estimate_memory

    est = estimate_memory(CayleyGraph.from_spec(f"S_{n}", "lrx"), exact_order=False)
    assert isinstance(est.peak_bytes, int) and est.peak_bytes > 2**1000
    text = est.describe()
    assert "e+" in text and len(text) < 200, text
    assert gib(est.peak_bytes).startswith("about ") and gib(est.peak_bytes).endswith(" GiB")


def test_huge_group_is_refused_in_one_line():
    from click.testing import CliRunner

    from cayley.cli.main import main

    r = CliRunner().invoke(main, ["growth", "S_170", "--gens", "lrx"])
    assert r.exit_code == 2 and "about" in r.output and "e+" in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1


def test_max_states_sizes_the_buffers():
    g = CayleyGraph.from_spec("S_1000", "lrx")
    r = bfs(g, max_states=100)
    assert r.growth[:3] == (1, 3, 6) and sum(r.growth) >= 100 and r.stop_reason == "max_states"
