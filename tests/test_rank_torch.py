"""The rank engine's torch backend (CPU here; CUDA where a GPU exists): the same driver as
the numba backend, checked layer by layer against it and against the hash engine."""

from __future__ import annotations

import itertools
from math import factorial

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import cayley  # noqa: E402
from cayley import CayleyGraph, GeneratorSet, InvalidInputError, bfs  # noqa: E402
from cayley.backends import torch_rank  # noqa: E402
from cayley.backends.numba_rank import NumbaRankKernels  # noqa: E402
from cayley.backends.ranking import MultisetRanking, rank_permutations  # noqa: E402
from cayley.backends.torch_rank import TorchRankKernels  # noqa: E402
from cayley.graphs import plan_search, rank_engine  # noqa: E402
from cayley.graphs.rank_engine import rank_bfs  # noqa: E402

TORCH = {"backend": "torch", "device": "cpu"}


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """One torch and one numba thread: the tests run many tiny layers, and on a shared
    2-core machine waking a thread team per operation costs more than the work
    (measured: S_8 lrx on torch 1.0 s of CPU with 2 threads, 0.18 s with 1)."""
    import numba

    before = torch.get_num_threads(), numba.get_num_threads()
    torch.set_num_threads(1)
    numba.set_num_threads(1)
    yield
    torch.set_num_threads(before[0])
    numba.set_num_threads(before[1])


def rows(a) -> set:
    return set(map(tuple, np.asarray(a).tolist()))


def assert_same(graph, **kw):
    """torch-CPU rank engine == numba rank engine == hash engine: growth, limits, layers."""
    t = bfs(graph, engine="rank", **TORCH, **kw)
    c = bfs(graph, engine="rank", backend="cpu", **kw)
    h = bfs(graph, engine="hash", backend="cpu", **kw)
    assert t.engine == "rank" and t.backend == "torch-cpu" and c.backend == "cpu"
    assert t.growth == c.growth == h.growth, graph.name
    assert t.completed == c.completed == h.completed and t.stop_reason == h.stop_reason
    assert (t.last_layer is None) == (c.last_layer is None)
    if t.last_layer is not None:
        assert t.last_layer.dtype == np.int64 and np.array_equal(t.last_layer, c.last_layer)
        assert rows(t.last_layer) == rows(h.last_layer)
    assert set(t.layers) == set(c.layers) == set(h.layers)
    for d in t.layers:
        assert np.array_equal(t.layers[d], c.layers[d]) and rows(t.layers[d]) == rows(h.layers[d])
    return t


# ---------------------------------------------------------------------------------
# batch rankings against the numba ones
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 2, 5, 8, 14, 20])
def test_permutation_rank_unrank_match_numba(n):
    rng = np.random.default_rng(n)
    states = np.array([rng.permutation(n) for _ in range(300)] + [np.arange(n), np.arange(n)[::-1]])
    fact = [factorial(i) for i in range(n)]
    ranks = torch_rank.rank_permutations(torch.as_tensor(states.T.copy(), dtype=torch.uint8), fact)
    assert ranks.tolist() == rank_permutations(states).tolist()
    assert np.array_equal(torch_rank.unrank_permutations(ranks, n, fact).numpy().T, states)
    if n <= 5:  # every rank, in lexicographic order
        every = torch_rank.unrank_permutations(torch.arange(factorial(n)), n, fact).numpy().T
        assert np.array_equal(every, np.array(list(itertools.permutations(range(n)))))


@pytest.mark.parametrize("counts", [[2, 2], [3, 1, 2], [1, 1, 1, 1], [4, 4, 3], [6]])
def test_multiset_rank_unrank_match_numba(counts):
    mr = MultisetRanking(counts)
    every = mr.unrank(np.arange(mr.size))
    cum, unit = torch.as_tensor(mr.cum), torch.as_tensor(mr.unit)
    ranks = torch_rank._rank_multiset(torch.as_tensor(every.T.copy(), dtype=torch.uint8), cum, unit, mr.full)
    assert ranks.tolist() == list(range(mr.size))
    back = torch_rank._unrank_multiset(torch.arange(mr.size), mr.n, cum, unit, mr.full)
    assert np.array_equal(back.numpy().T, every)


# ---------------------------------------------------------------------------------
# the kernels: code arrays bit for bit equal to numba's after every layer
# ---------------------------------------------------------------------------------
def _kernel_pair(graph, device="cpu", **torch_kw):
    """Numba and torch kernels on the same graph, both reset to its start."""
    ranking, lay = rank_engine.layout(graph)
    perms = graph.generators.perms
    start = int(lay.rank_to_index(ranking.rank(graph.start.reshape(1, -1)))[0])
    a, b = NumbaRankKernels(ranking, lay, perms), TorchRankKernels(ranking, lay, perms, device=device, **torch_kw)
    a.reset(start)
    b.reset(start)
    return a, b


def _assert_arrays_equal(a, b):
    (ca, fa), (cb, fb) = a.host_arrays(), b.host_arrays()
    assert cb.dtype == np.uint64 and np.array_equal(ca, cb) and np.array_equal(fa, fb)


@pytest.mark.parametrize(
    "spec,start,pull_from",
    [(("S_8", "lrx"), None, 99), (("S_8", "pancake"), None, 3), (("S_7", "lx"), None, 0),
     (("S_6", "coxeter"), None, 5), (("S_9", "lrx"), "001112223", 99), (("S_8", "coxeter"), "00001111", 99)],
)
def test_codes_equal_numba_after_every_layer(spec, start, pull_from):
    """Same layout, same padding, same codes and flags after every layer, push or pull,
    with a work budget small enough for many scan groups and batches per layer."""
    graph = CayleyGraph.from_spec(*spec, start=start)
    a, b = _kernel_pair(graph, work_bytes=1)
    assert b.batch == 1024 and b.group_blocks == 1
    _assert_arrays_equal(a, b)
    code, depth, sizes = 1, 0, [1]
    while True:
        probe = a.probe(code)
        assert b.probe(code) == probe
        assert np.array_equal(np.sort(a.extract(code)), b.extract(code))
        if depth >= pull_from and a.can_pull:
            na, nb = a.pull(code), b.pull(code)
        else:
            (na, ra), (nb, rb) = a.push(code, record_size=sizes[-1]), b.push(code, record_size=sizes[-1])
            assert np.array_equal(np.sort(ra), rb)  # the frontier, sorted by the torch side
        assert na == nb and (na > 0) == probe
        _assert_arrays_equal(a, b)
        if na == 0:
            break
        sizes.append(na)
        code, depth = 3 - code, depth + 1
    assert sum(sizes) == graph.order()


# ---------------------------------------------------------------------------------
# the driver over torch: families, strings, directed, reference rows
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["lrx", "coxeter", "pancake", "stars"])
@pytest.mark.parametrize("n", [3, 5, 8])
def test_families_match_numba_and_hash(name, n):
    graph = CayleyGraph(cayley.generators(name, n))
    r = assert_same(graph)
    assert r.completed and r.size == factorial(n)


@pytest.mark.parametrize("n", [4, 7, 8])
def test_directed_lx_matches(n):
    graph = CayleyGraph(cayley.generators("lx", n))
    assert not graph.undirected
    assert assert_same(graph).size == factorial(n)


@pytest.mark.parametrize(
    "name,start", [("lrx", "0011122"), ("lrx", "01201201"), ("coxeter", "00001111"), ("pancake", "0011223"),
                   ("lx", "0001112"), ("lrx", "0000")],
)
def test_schreier_graphs_on_strings_match(name, start):
    graph = CayleyGraph.from_spec(None, cayley.generators(name, len(start)), start=start)
    assert graph.is_schreier
    assert assert_same(graph).size == graph.order()


def test_subgroup_and_start_that_is_not_the_identity():
    gs = GeneratorSet.from_perms([[1, 2, 3, 4, 5, 0], [1, 0, 3, 2, 4, 5]])
    assert assert_same(CayleyGraph(gs)).size == gs.order() < factorial(6)
    assert_same(CayleyGraph(cayley.generators("lrx", 6), start=[3, 1, 4, 0, 5, 2]))


@pytest.mark.parametrize("name", ["lrx", "pancake", "lx", "all_transpositions"])
def test_bottom_up_layers_match(monkeypatch, name):
    monkeypatch.setattr(rank_engine, "PULL_MIN_WORK", 0.0)
    for ratio in (1e30, 0.5):  # every layer bottom-up, then a mix
        monkeypatch.setattr(rank_engine, "PULL_RATIO", ratio)
        assert_same(CayleyGraph(cayley.generators(name, 7)))
        assert_same(CayleyGraph(cayley.generators(name, 7)), max_depth=3)


@pytest.mark.parametrize("name,start", [("lrx", "0011122"), ("lx", "0001112"), ("pancake", "00112233")])
def test_bottom_up_layers_on_strings_match(monkeypatch, name, start):
    """The torch backend pulls on multiset ranks too (numba's multiset kernels push only)."""
    monkeypatch.setattr(rank_engine, "PULL_MIN_WORK", 0.0)
    monkeypatch.setattr(rank_engine, "PULL_RATIO", 1e30)
    graph = CayleyGraph.from_spec(None, cayley.generators(name, len(start)), start=start)
    assert assert_same(graph).size == graph.order()


@pytest.mark.parametrize("start", [None, "00011122"])
@pytest.mark.parametrize("kw", [{"max_depth": 0}, {"max_depth": 4}, {"max_states": 50}, {"max_depth": 28}])
def test_limits_match(start, kw):
    r = assert_same(CayleyGraph.from_spec("S_8", "lrx", start=start), **kw)
    if kw.get("max_depth") == 28 and start is None:  # the diameter: a limit at the very end
        assert r.completed and r.stop_reason == "exhausted"


def _reference_cases(max_degree, max_work=2 * 10**6):
    from cayley.reference import load_reference, reference_names

    names = {f.name for f in cayley.families()}
    for name in reference_names():
        if name not in names:
            continue
        for key, growth in load_reference(name).items():
            n = int(key)
            if n > max_degree or n < cayley.get_family(name).min_degree:
                continue
            try:
                gens = cayley.generators(name, n)
            except InvalidInputError:
                continue
            if len(gens) * sum(growth) <= max_work and gens.degree <= max_degree:
                yield pytest.param(name, gens, growth, id=f"{name}-{n}")


@pytest.mark.parametrize("name,gens,growth", list(_reference_cases(8)))
def test_reference_rows(name, gens, growth):
    """Growth functions computed independently (CayleyPy's data), degree <= 8."""
    r = rank_bfs(CayleyGraph(gens), last_layer_limit=0, store_layers_up_to=0, **TORCH)
    assert r.growth == growth and r.backend == "torch-cpu"


def test_reference_rows_degree_9():
    cases = [p.values for p in _reference_cases(9, max_work=4 * 10**7) if p.values[1].degree == 9]
    assert len(cases) >= 8, [c[0] for c in cases]
    for name, gens, growth in cases:
        r = rank_bfs(CayleyGraph(gens), last_layer_limit=0, store_layers_up_to=0, **TORCH)
        assert r.growth == growth, name


def test_reference_rows_schreier():
    from cayley.reference import load_reference

    cases = [(k, g) for k, g in load_reference("lrx_coset").items() if len(k) <= 12]
    assert len(cases) > 10
    for key, growth in cases:
        graph = CayleyGraph(cayley.generators("lrx", len(key)), start=key)
        assert rank_bfs(graph, last_layer_limit=0, store_layers_up_to=0, **TORCH).growth == growth, key


# ---------------------------------------------------------------------------------
# checkpoints: through the same driver, and across backends (same layout)
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("first,second", [("torch", "torch"), ("cpu", "torch"), ("torch", "cpu")])
@pytest.mark.parametrize("start", [None, "00011122"])
def test_checkpoint_resumes_to_the_identical_result(tmp_path, first, second, start):
    graph = CayleyGraph.from_spec("S_8", "lrx", start=start)
    full = bfs(graph, engine="rank")
    kw = lambda be: {"backend": be, "device": "cpu" if be == "torch" else None}  # noqa: E731
    part = bfs(graph, engine="rank", max_depth=6, checkpoint=tmp_path, checkpoint_seconds=0, **kw(first))
    assert part.growth == full.growth[:7] and not part.completed
    resumed = bfs(graph, engine="rank", checkpoint=tmp_path, checkpoint_seconds=0, **kw(second))
    assert resumed.growth == full.growth and resumed.completed
    assert np.array_equal(resumed.last_layer, full.last_layer)
    again = bfs(graph, engine="rank", checkpoint=tmp_path, **kw(second))  # finished: read back
    assert again.growth == full.growth and np.array_equal(again.last_layer, full.last_layer)


TORCH_KILL_SCRIPT = """
import sys, torch
torch.set_num_threads(1)
from cayley import CayleyGraph, bfs
bfs(CayleyGraph.from_spec("S_10", "lrx"), engine="rank", backend="torch", device="cpu",
    checkpoint=sys.argv[1], checkpoint_seconds=0)
"""


def test_sigkill_mid_run_then_resume(tmp_path):
    """A torch run killed mid-way resumes (on torch) to the numba engine's growth."""
    import json
    import os
    import signal
    import subprocess
    import sys
    import time

    from cayley.graphs.checkpoint import Checkpoint

    ck = tmp_path / "ck"
    proc = subprocess.Popen([sys.executable, "-c", TORCH_KILL_SCRIPT, str(ck)])
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        try:
            if json.loads((ck / "meta.json").read_text())["depth"] >= 20:
                break
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.001)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    graph = CayleyGraph.from_spec("S_10", "lrx")
    state = Checkpoint(ck, graph, engine="rank").load()
    assert state is not None and 20 <= state.depth < 45
    resumed = bfs(graph, engine="rank", checkpoint=ck, **TORCH)
    assert resumed.backend == "torch-cpu" and resumed.diameter == 45
    assert resumed.growth == bfs(graph, engine="rank").growth


# ---------------------------------------------------------------------------------
# backend names, devices, plan
# ---------------------------------------------------------------------------------
def test_backend_names_and_plan():
    g = CayleyGraph.from_spec("S_6", "lrx")
    assert bfs(g, engine="rank", backend="torch", device="cpu").backend == "torch-cpu"
    plan = plan_search(CayleyGraph.from_spec("S_12", "lrx"), engine="rank", backend="cuda")
    assert plan.engine == "rank" and plan.rank_backend == "torch" and "rank engine on torch" in plan.describe()
    assert plan_search(CayleyGraph.from_spec("S_12", "lrx"), backend="cpu").rank_backend == "cpu"
    # codes on a GPU: the host estimate leaves them out; on torch's CPU it counts them
    s14 = CayleyGraph.from_spec("S_14", "lrx")
    on_gpu = rank_engine.rank_memory_bytes(s14, backend="torch", on_host=False)
    on_cpu = rank_engine.rank_memory_bytes(s14, backend="torch", on_host=True)
    assert on_gpu < 2**30 and 21e9 < on_cpu - on_gpu < 23e9
    if not torch.cuda.is_available():
        with pytest.raises(InvalidInputError, match="cuda"):
            bfs(g, engine="rank", backend="cuda")


def test_batches_are_bounded_by_the_work_budget_not_the_state_space():
    """Only the codes (2 bits per rank) and one flag byte per block scale with n!."""
    for n in (10, 14):
        graph = CayleyGraph.from_spec(f"S_{n}", "lrx")
        ranking, lay = rank_engine.layout(graph)
        k = TorchRankKernels(ranking, lay, graph.generators.perms, device="cpu", work_bytes=2**28)
        assert k.batch * torch_rank.bytes_per_state(n, 3) <= 2**28
        assert k.group_blocks * lay.bwords * 300 <= 2**27
    assert k.codes is None  # nothing allocated until reset


@pytest.mark.gpu
def test_cuda_matches_numba():
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    for spec, start in [(("S_9", "lrx"), None), (("S_8", "pancake"), None), (("S_10", "lrx"), "0001112223")]:
        graph = CayleyGraph.from_spec(*spec, start=start)
        g = bfs(graph, engine="rank", backend="cuda")
        c = bfs(graph, engine="rank", backend="cpu")
        assert g.backend.startswith("cuda") and g.growth == c.growth and np.array_equal(g.last_layer, c.last_layer)
    a, b = _kernel_pair(CayleyGraph.from_spec("S_8", "lrx"), device="cuda")
    code = 1
    while True:
        na, nb = a.push(code)[0], b.push(code)[0]
        assert na == nb
        _assert_arrays_equal(a, b)
        if na == 0:
            break
        code = 3 - code

