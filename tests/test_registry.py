"""The backend registry (every name, bad names, one error message) and the layer loop's
step Protocols (every engine satisfies them)."""

import numpy as np
import pytest

from cayley import CayleyGraph, bfs
from cayley.backends import registry
from cayley.backends.numba_rank import MultisetLayout, NumbaRankKernels, PermLayout
from cayley.backends.ranking import MultisetRanking, PermutationRanking
from cayley.errors import InvalidInputError
from cayley.graphs import rank_engine
from cayley.graphs.hash_engine import HashStep
from cayley.graphs.layers import LayerStep, SearchStep, run_layers
from cayley.graphs.paths.tables import TableStep
from cayley.graphs.search import plan_search

VALID = "expected one of auto, cpu, torch, cuda, distributed"


@pytest.mark.parametrize("name", ["auto", "cpu", "numba", "torch", "cuda", "distributed"])
def test_every_backend_name_is_accepted_and_canonical(name):
    assert registry.check_backend(name) == ("cpu" if name == "numba" else name)


@pytest.mark.parametrize("bad", ["gpu", "CPU", "", "fused", "numpy", "cuda:0"])
def test_a_bad_backend_name_gives_one_message_listing_the_valid_ones(bad):
    with pytest.raises(InvalidInputError) as e:
        registry.check_backend(bad)
    assert str(e.value) == f"unknown backend {bad!r}: {VALID}"
    g = CayleyGraph.from_spec("S_4", "lrx")
    for call in (lambda: bfs(g, backend=bad), lambda: plan_search(g, backend=bad), lambda: registry.hash_kernels(bad)):
        with pytest.raises(InvalidInputError) as e2:
            call()
        assert str(e2.value) == str(e.value)


def test_hash_kernels_for_each_name():
    cpu = registry.hash_kernels("cpu")
    assert cpu.NAME == "cpu" and isinstance(cpu, registry.HashKernels)
    assert registry.hash_kernels("numba") is cpu
    if not registry.cuda_available():
        assert registry.hash_kernels("auto") is cpu
        with pytest.raises(InvalidInputError, match="needs a CUDA GPU|needs torch"):
            registry.hash_kernels("cuda")
    with pytest.raises(InvalidInputError, match="rank engine only"):
        registry.hash_kernels("distributed")
    pytest.importorskip("torch")
    t = registry.hash_kernels("torch", "cpu")
    assert isinstance(t, registry.HashKernels) and t.NAME.startswith("torch")


def test_rank_backend_and_placement_for_each_name():
    assert registry.rank_backend("auto") == ("cpu", None)
    assert registry.rank_backend("cpu") == ("cpu", None)
    assert registry.rank_backend("distributed") == ("distributed", None)
    assert registry.rank_placement("auto", None, "auto") == ("cpu", True)
    assert registry.rank_placement("auto", None, "hash", lambda: True) == ("cpu", True)  # hash: no GPU probe
    assert registry.rank_placement("auto", None, "rank", lambda: True) == ("torch", False)
    assert registry.rank_placement("auto", "cuda:1", "rank") == ("torch", False)
    assert registry.rank_placement("torch", "cpu", "rank") == ("torch", True)
    assert registry.rank_placement("cuda", None, "rank") == ("torch", False)
    assert registry.rank_placement("distributed", None, "rank") == ("distributed", True)
    pytest.importorskip("torch")
    assert registry.rank_backend("torch", "cpu") == ("torch", "cpu")


def _perm_parts(n=5):
    g = CayleyGraph.from_spec(f"S_{n}", "lrx")
    ranking, lay = rank_engine.layout(g)
    return g, ranking, lay


def test_rank_kernels_for_each_family_satisfy_the_protocol():
    g, ranking, lay = _perm_parts()
    cpu = registry.rank_kernels("cpu", None, ranking, lay, g.action())
    assert isinstance(cpu, NumbaRankKernels) and isinstance(cpu, registry.RankKernels)
    assert not isinstance(cpu, registry.ShardedKernels)
    m = CayleyGraph.from_spec("SL(2,3)", "roots")
    mr, mlay = rank_engine.layout(m)
    mk = registry.rank_kernels("cpu", None, mr, mlay, m.action())
    assert isinstance(mk, registry.RankKernels) and mk.name == "cpu"
    with pytest.raises(InvalidInputError, match="numba CPU backend only"):
        registry.rank_kernels("torch", "cpu", mr, mlay, m.action())
    with pytest.raises(InvalidInputError, match="expected one of cpu, torch, fused, distributed"):
        registry.rank_kernels("cuda", None, ranking, lay, g.action())
    pytest.importorskip("torch")
    from cayley.backends.cuda_rank import CudaRankKernels
    from cayley.backends.torch_rank import TorchRankKernels

    t = registry.rank_kernels("torch", "cpu", ranking, lay, g.action())
    assert isinstance(t, TorchRankKernels) and isinstance(t, registry.RankKernels)
    f = registry.rank_kernels("fused", "cpu", ranking, lay, g.action())
    assert isinstance(f, CudaRankKernels) and isinstance(f, registry.RankKernels)


def test_every_engine_step_satisfies_the_protocols():
    g, ranking, lay = _perm_parts()
    hash_step = HashStep(g, registry.hash_kernels("cpu"))
    rank_step = rank_engine.RankStep(g, registry.rank_kernels("cpu", None, ranking, lay, g.action()), ranking, lay)
    for step in (hash_step, rank_step):
        assert isinstance(step, SearchStep) and isinstance(step, LayerStep)
    table = TableStep(ranking, np.full(ranking.size, 255, np.uint8), g.action().perms, g.action().perms)
    assert isinstance(table, LayerStep) and not isinstance(table, SearchStep)


@pytest.mark.parametrize("spec", [("S_6", "lrx", None), ("S_6", "pancake", None), ("S_6", "lrx", "001122")])
def test_every_step_gives_the_same_growth_through_the_one_loop(spec):
    group, gens, start = spec
    g = CayleyGraph.from_spec(group, gens, start=start)
    want = bfs(g, engine="hash").growth
    assert bfs(g, engine="rank").growth == want
    ranking = g.ranking()
    perms = g.action().perms
    inv = np.argsort(perms, axis=1)
    table = np.full(ranking.size, 255, np.uint8)
    table[int(ranking.rank(g.start.reshape(1, -1))[0])] = 0
    growth = [1]
    assert run_layers(TableStep(ranking, table, perms, inv), growth) == (True, "exhausted")
    assert tuple(growth) == want
    assert isinstance(ranking, (PermutationRanking, MultisetRanking))
    assert isinstance(rank_engine.layout(g)[1], (PermLayout, MultisetLayout))


def test_the_layer_loop_checks_depth_then_states_and_reports_each_layer():
    class Fixed:
        def __init__(self, sizes):
            self.sizes = list(sizes)

        def expand(self, growth, total):
            return self.sizes[len(growth) - 1] if len(growth) - 1 < len(self.sizes) else 0

        def closed(self):
            return True

    seen = []
    growth = [1]
    out = run_layers(Fixed([2, 4, 1]), growth, after_layer=lambda g, t: seen.append((len(g) - 1, t)))
    assert out == (True, "exhausted") and growth == [1, 2, 4, 1] and seen == [(1, 3), (2, 7), (3, 8)]
    growth = [1]
    assert run_layers(Fixed([2, 4, 1]), growth, max_depth=1, max_states=2) == (False, "max_depth")
    growth = [1]
    assert run_layers(Fixed([2, 4, 1]), growth, max_states=3) == (False, "max_states") and growth == [1, 2]
    ended = []
    growth = [1]
    run_layers(Fixed([]), growth, on_end=lambda: ended.append(True))
    assert growth == [1] and ended == [True]


def test_graphs_modules_are_modules_and_bfs_is_the_function():
    import importlib
    import types

    import cayley
    import cayley.graphs as graphs

    for name in ("search", "layers", "hash_engine", "rank_engine", "checkpoint", "memory", "graph", "heuristics"):
        assert isinstance(importlib.import_module(f"cayley.graphs.{name}"), types.ModuleType)
        assert isinstance(getattr(graphs, name), types.ModuleType)
    assert graphs.bfs is cayley.bfs and callable(graphs.bfs)
    assert graphs.bfs(CayleyGraph.from_spec("S_3", "lrx")).growth == (1, 3, 2)
