"""The fused CUDA rank kernels (cayley.backends.cuda_rank), checked through their host-compiled
emulation (the same CUDA C++ source, compiled by the host C++ compiler) against the numba
engine: code arrays bit for bit after every layer, growth and last layers through the one
driver (top-down and bottom-up layers), checkpoints across backends. On a GPU (marker gpu)
the same checks run on the device."""

import shutil

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from cayley import CayleyGraph  # noqa: E402
from cayley.backends.cuda_rank import CudaRankKernels, _apply_code, fused_available, kernel_source  # noqa: E402
from cayley.backends.numba_rank import NumbaRankKernels  # noqa: E402
from cayley.errors import InvalidInputError  # noqa: E402
from cayley.graphs import rank_engine  # noqa: E402
from cayley.graphs.checkpoint import Checkpoint  # noqa: E402
from cayley.graphs.rank_engine import rank_bfs  # noqa: E402

needs_cxx = pytest.mark.skipif(
    not (shutil.which("c++") or shutil.which("g++") or shutil.which("clang++")),
    reason="the host emulation of the CUDA kernels needs a C++ compiler",
)

FAMILIES = [("lrx", None), ("pancake", None), ("coxeter", None), ("lx", None), ("all_transpositions", None),
            ("cyclic_coxeter", None)]


def _pair(graph, device="cpu"):
    ranking, lay = rank_engine.layout(graph)
    perms = graph.action().perms
    start = int(lay.rank_to_index(ranking.rank(graph.start.reshape(1, -1)))[0])
    a, b = NumbaRankKernels(ranking, lay, perms), CudaRankKernels(ranking, lay, perms, device=device)
    a.reset(start)
    b.reset(start)
    return a, b


def _layers_bit_for_bit(graph, device="cpu", pull_from=None):
    """Run numba and fused kernels layer by layer (bottom-up from layer ``pull_from``) and
    compare the code arrays and flags after every layer."""
    a, b = _pair(graph, device)
    code, sizes = 1, []
    while True:
        if pull_from is not None and len(sizes) >= pull_from:
            na, nb = a.pull(code), b.pull(code)
        else:
            na, nb = a.push(code)[0], b.push(code)[0]
        assert na == nb, (graph.name, len(sizes), na, nb)
        (ca, fa), (cb, fb) = a.host_arrays(), b.host_arrays()
        assert np.array_equal(ca, cb), (graph.name, len(sizes))
        assert np.array_equal(fa, fb), (graph.name, len(sizes))
        if na == 0:
            return sizes
        sizes.append(na)
        code = 3 - code


def test_apply_code_is_the_permutation_on_packed_symbols():
    rng = np.random.default_rng(1)
    for n in (3, 7, 15):
        for _ in range(5):
            perm = rng.permutation(n)
            state = rng.permutation(n)
            s = sum(int(v) << (4 * i) for i, v in enumerate(state))
            t = eval(_apply_code(perm).replace("ULL", ""), {"s": s})  # the C expression is Python too
            assert [(t >> (4 * i)) & 15 for i in range(n)] == state[perm].tolist()


def test_source_refuses_more_than_15_symbols():
    with pytest.raises(InvalidInputError, match="n <= 15"):
        kernel_source(16, 7, 158, np.arange(16)[None])


@needs_cxx
@pytest.mark.parametrize("family,start", FAMILIES)
def test_code_arrays_equal_numba_after_every_layer(family, start):
    for n in (4, 7, 8):
        graph = CayleyGraph.from_spec(f"S_{n}", family, start=start)
        sizes = _layers_bit_for_bit(graph)
        # the layers sum to the orbit (all of S_n for these generating sets)
        assert 1 + sum(sizes) == np.prod(np.arange(1, n + 1))


@needs_cxx
def test_bottom_up_layers_equal_numba():
    for family in ("lrx", "pancake", "lx"):
        graph = CayleyGraph.from_spec("S_8", family)
        assert _layers_bit_for_bit(graph, pull_from=3) == _layers_bit_for_bit(graph)


@needs_cxx
@pytest.mark.parametrize("pull", [False, True])
def test_driver_growth_and_last_layer_equal_numba(monkeypatch, pull):
    if pull:  # every layer bottom-up
        monkeypatch.setattr(rank_engine, "PULL_RATIO", 1e9)
        monkeypatch.setattr(rank_engine, "PULL_MIN_WORK", 0.0)
    for spec in [("S_9", "lrx"), ("S_8", "pancake"), ("S_8", "lx"), ("S_9", "coxeter"), ("S_3", "lrx")]:
        graph = CayleyGraph.from_spec(*spec)
        a = rank_bfs(graph, backend="cpu")
        b = rank_bfs(graph, backend="fused", device="cpu")
        assert b.backend == "cuda-emulated"
        assert b.growth == a.growth and np.array_equal(b.last_layer, a.last_layer)
        assert all(np.array_equal(b.layers[d], a.layers[d]) for d in a.layers)


@needs_cxx
def test_limits_and_checkpoint_resume_on_another_backend(tmp_path):
    graph = CayleyGraph.from_spec("S_9", "lrx")
    full = rank_bfs(graph, backend="cpu")
    part = rank_bfs(graph, backend="fused", device="cpu", max_depth=20, checkpoint=str(tmp_path), checkpoint_seconds=0)
    assert part.growth == full.growth[:21] and part.stop_reason == "max_depth"
    assert Checkpoint(str(tmp_path), graph, engine="rank").load().depth == 20
    resumed = rank_bfs(graph, backend="cpu", checkpoint=str(tmp_path))
    assert resumed.growth == full.growth
    # and the other way: numba's checkpoint resumed by the fused kernels
    other = tmp_path / "other"
    rank_bfs(graph, backend="cpu", max_depth=11, checkpoint=str(other), checkpoint_seconds=0)
    back = rank_bfs(graph, backend="fused", device="cpu", checkpoint=str(other))
    assert back.growth == full.growth and np.array_equal(back.last_layer, full.last_layer)


def test_torch_backend_takes_the_fused_kernels_only_where_they_run(monkeypatch):
    graph = CayleyGraph.from_spec("S_6", "lrx")
    assert not fused_available("cpu")
    assert rank_bfs(graph, backend="torch", device="cpu").backend == "torch-cpu"
    monkeypatch.setenv("CAYLEY_FUSED_KERNELS", "0")
    assert not fused_available("cuda")
    # strings (multiset permutations) stay on the tensor-operation kernels
    with pytest.raises(InvalidInputError, match="permutations"):
        s = CayleyGraph.from_spec("S_6", "lrx", start="001122")
        ranking, lay = rank_engine.layout(s)
        CudaRankKernels(ranking, lay, s.generators.perms, device="cpu")


@pytest.mark.gpu
def test_fused_kernels_on_the_gpu_equal_numba():
    if not fused_available("cuda"):
        pytest.skip("no CUDA device with CuPy")
    for family, start in FAMILIES:
        _layers_bit_for_bit(CayleyGraph.from_spec("S_8", family, start=start), device="cuda")
    _layers_bit_for_bit(CayleyGraph.from_spec("S_9", "lrx"), device="cuda", pull_from=20)
    graph = CayleyGraph.from_spec("S_10", "pancake")
    g = rank_bfs(graph, backend="torch", device="cuda")
    assert g.backend == "cuda-fused" and g.growth == rank_bfs(graph, backend="cpu").growth


def test_auto_takes_the_gpu_only_for_large_permutation_searches(monkeypatch):
    """backend="auto": the GPU (fused kernels) for S_13 and up when CUDA, CuPy and room for
    the codes are there; numba otherwise (and nothing imports torch for small graphs)."""
    import importlib
    import importlib.util

    from cayley.backends import cuda_rank, registry
    from cayley.graphs import search

    def auto_family(graph, name="auto"):
        return registry.rank_backend(name, None, prefers_gpu=search.prefers_gpu(graph))

    s13 = CayleyGraph.from_spec("S_13", "lrx")
    assert not search.prefers_gpu(s13)  # this machine: no GPU, or no CuPy
    assert search.plan_search(s13).rank_backend == "cpu"
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object() if name == "cupy" else real_find_spec(name, *a))
    monkeypatch.setattr(registry, "cuda_available", lambda: True)
    monkeypatch.setattr(cuda_rank, "fused_available", lambda device: True)
    free = [40 * 2**30]
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda *a: (free[0], 80 * 2**30))
    assert search.prefers_gpu(s13)
    assert auto_family(s13) == ("torch", "cuda")
    assert search.plan_search(s13).rank_backend == "torch"
    assert auto_family(s13, "cpu") == ("cpu", None)  # asked for the CPU: the CPU
    assert not search.prefers_gpu(CayleyGraph.from_spec("S_12", "lrx"))  # start-up would dominate
    assert not search.prefers_gpu(CayleyGraph.from_spec("S_14", "lrx", start="0" * 7 + "1" * 7))  # strings
    free[0] = 16 * 2**30  # S_14's codes (22 GB) do not fit: numba
    assert not search.prefers_gpu(CayleyGraph.from_spec("S_14", "lrx"))
    assert search.prefers_gpu(s13)
