"""Breadth-first search: growth functions, diameters and last layers.

One driver, written once over backend primitives (pack, expand all generators, exact
set difference); a backend is a namespace providing them.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from .. import __version__
from ..errors import InvalidInputError, MemoryEstimateError
from .checkpoint import Checkpoint, CheckpointError, check_finished, checkpoint_lock
from .graph import CayleyGraph
from ..backends.packing import packing
from .memory import _BATCH_NEIGHBOURS, MemoryEstimate, _gib, available_memory_bytes, estimate_memory, limit_bound, peak_rss_bytes

__all__ = ["bfs", "BfsResult", "Progress", "SearchPlan", "plan_search", "growth", "diameter"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    """What a progress callback receives after each layer."""

    depth: int
    layer_size: int
    states: int
    seconds: float
    rss_bytes: int
    expected_states: Optional[int] = None


@dataclass(frozen=True, eq=False)
class BfsResult:
    """Result of :func:`bfs`.

    ``growth[d]`` is the number of states at distance ``d`` from the start. ``completed``
    is True when the search exhausted the graph (then ``diameter`` is the eccentricity of
    the start, which for a Cayley graph is the diameter). ``last_layer`` holds the states
    of the last layer found (as an ``(m, n)`` array) when it has at most
    ``last_layer_limit`` states; ``layers[d]`` holds every layer with at most
    ``store_layers_up_to`` states.
    """

    graph: CayleyGraph
    growth: tuple[int, ...]
    completed: bool
    last_layer: Optional[np.ndarray]
    layers: dict[int, np.ndarray] = field(repr=False)
    engine: str
    backend: str
    version: str
    seconds: float
    peak_memory_bytes: int
    stop_reason: str = "exhausted"

    @property
    def diameter(self) -> Optional[int]:
        """Largest distance from the start; None if the search did not complete."""
        return len(self.growth) - 1 if self.completed else None

    @property
    def depth(self) -> int:
        """Depth of the last layer found."""
        return len(self.growth) - 1

    @property
    def size(self) -> int:
        """Number of states found."""
        return int(sum(self.growth))

    def to_dict(self) -> dict:
        """JSON-ready summary (no state arrays except a small last layer)."""
        last = self.last_layer
        return {
            "graph": self.graph.name,
            "degree": self.graph.degree,
            "generators": list(self.graph.generators.names),
            "start": self.graph.start.tolist(),
            "growth": list(self.growth),
            "diameter": self.diameter,
            "depth": self.depth,
            "size": self.size,
            "completed": self.completed,
            "stop_reason": self.stop_reason,
            "last_layer_size": self.growth[-1],
            "last_layer": last.tolist() if last is not None and len(last) <= 100 else None,
            "engine": self.engine,
            "backend": self.backend,
            "version": self.version,
            "seconds": round(self.seconds, 6),
            "peak_memory_bytes": self.peak_memory_bytes,
        }


def bfs(
    graph: CayleyGraph,
    *,
    max_depth: Optional[int] = None,
    max_states: Optional[int] = None,
    store_layers_up_to: int = 1000,
    last_layer_limit: int = 1_000_000,
    engine: str = "auto",
    backend: str = "auto",
    device: Optional[str] = None,
    memory_limit: Optional[int] = None,
    progress: Optional[Callable[[Progress], None]] = None,
    checkpoint: Optional[str] = None,
    checkpoint_seconds: float = 60.0,
) -> BfsResult:
    """Breadth-first search from ``graph.start``.

    Parameters
    ----------
    graph : CayleyGraph
    max_depth : stop after this many layers (``growth`` then has ``max_depth + 1`` entries).
    max_states : stop once this many states have been found (the layer in progress is
        finished first).
    store_layers_up_to : keep the states of every layer with at most this many states.
    last_layer_limit : keep the last layer's states when it has at most this many.
    engine : ``"auto"``, ``"hash"`` (any state space) or ``"rank"`` (a 2-bit-per-state
        bitset over a perfect ranking; permutations and strings). ``auto`` picks by the
        memory estimates (see :func:`plan_search`).
    backend : ``"auto"``, ``"cpu"`` (numba), ``"torch"`` (torch on ``device``, CPU when
        there is no GPU) or ``"cuda"``. Both engines run on every backend; ``auto`` takes
        CUDA for the hash engine when torch sees a GPU, and numba for the rank engine
        unless ``device`` names a GPU (its GPU path is tested for exactness, but its GPU
        timings are not yet measured).
    device : torch device for the torch backends (``"cuda"``, ``"cuda:1"``, ``"cpu"``).
    memory_limit : bytes; refuse to start (:class:`MemoryEstimateError`) when the estimate
        exceeds it. Default: the memory available on this machine.
    progress : called with a :class:`Progress` after each layer.
    checkpoint : a folder; each finished layer is saved there atomically, and a run with
        the same graph and folder resumes from it (after a kill) to the identical result.
    checkpoint_seconds : the rank engine rewrites its whole bitset, so it saves at most
        this often (and whenever it stops); the hash engine saves every layer.

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> r = bfs(CayleyGraph.from_spec("S_4", "coxeter"))
    >>> r.growth, r.diameter, r.last_layer.tolist()
    ((1, 3, 5, 6, 5, 3, 1), 6, [[3, 2, 1, 0]])
    """
    if max_depth is not None and max_depth < 0:
        raise InvalidInputError(f"max_depth must be >= 0, got {max_depth}")
    if max_states is not None and max_states < 1:
        raise InvalidInputError(f"max_states must be >= 1, got {max_states}")
    if engine not in ("auto", "hash", "rank"):
        raise InvalidInputError(f"unknown engine {engine!r}: expected auto, hash or rank")
    if backend not in BACKENDS:
        raise InvalidInputError(f"unknown backend {backend!r}: expected one of {', '.join(BACKENDS)}")
    plan = plan_search(
        graph,
        engine=engine,
        max_depth=max_depth,
        max_states=max_states,
        backend=backend,
        device=device,
    )
    # default: leave a tenth of the free memory to the rest of the machine
    if memory_limit is not None:
        limit = memory_limit
    else:  # processes of one distributed run on this machine share its memory
        import os

        local = int(os.environ.get("LOCAL_WORLD_SIZE", "1")) if backend == "distributed" else 1
        limit = int(0.9 * available_memory_bytes()) // max(1, local)
    log.info("bfs %s: %s", graph.name, plan.describe())
    if plan.peak_bytes > limit:
        raise MemoryEstimateError(
            f"{graph.name}: estimated peak memory {_gib(plan.peak_bytes)} with the {plan.engine} engine "
            f"exceeds the limit of {_gib(limit)}; {plan.suggestion(limit)}",
            estimate_bytes=plan.peak_bytes,
            limit_bytes=limit,
        )
    if plan.engine == "rank":
        from .rank_engine import rank_bfs

        rank_backend, rank_device = _rank_backend(backend, device, graph)
        return rank_bfs(
            graph,
            max_depth=max_depth,
            max_states=max_states,
            store_layers_up_to=store_layers_up_to,
            last_layer_limit=last_layer_limit,
            progress=progress,
            checkpoint=checkpoint,
            checkpoint_seconds=checkpoint_seconds,
            backend=rank_backend,
            device=rank_device,
        )
    be = _get_backend(backend, device)
    if checkpoint is None:
        return _hash_bfs(
            graph, be, plan.hash_estimate, max_depth, max_states, store_layers_up_to, last_layer_limit, progress, None
        )
    with checkpoint_lock(checkpoint):  # one run per folder
        return _hash_bfs(
            graph, be, plan.hash_estimate, max_depth, max_states, store_layers_up_to, last_layer_limit, progress,
            checkpoint,
        )


@dataclass(frozen=True)
class SearchPlan:
    """The engine a search will use and the memory estimates behind the choice."""

    engine: str
    peak_bytes: int
    hash_estimate: MemoryEstimate
    rank_bytes: Optional[int]
    rank_backend: str = "cpu"

    def describe(self) -> str:
        rank = _gib(self.rank_bytes) if self.rank_bytes is not None else "not applicable"
        where = {"cpu": "numba", "torch": "torch"}.get(self.rank_backend, self.rank_backend)
        return (
            f"engine {self.engine}; estimated peak {_gib(self.peak_bytes)} "
            f"(hash engine: {self.hash_estimate.describe()}; rank engine on {where}: {rank})"
        )

    def suggestion(self, limit: int) -> str:
        tips = []
        if self.engine == "hash" and self.rank_bytes is not None and self.rank_bytes <= limit:
            tips.append(f"--engine rank needs about {_gib(self.rank_bytes)}")
        if self.engine == "rank" and self.hash_estimate.peak_bytes <= limit:
            tips.append(f"--engine hash needs about {_gib(self.hash_estimate.peak_bytes)}")
        tips.append("try --max-depth or --max-states to explore part of the graph, or a machine with more memory")
        return "; ".join(tips)


def plan_search(
    graph: CayleyGraph,
    *,
    engine: str = "auto",
    max_depth: Optional[int] = None,
    max_states: Optional[int] = None,
    backend: str = "auto",
    device=None,
) -> SearchPlan:
    """Choose the engine for a search: ``auto`` takes the rank engine when the state space
    has a perfect ranking and its bitset needs no more memory than the hash engine's
    estimate (so a search limited to a few layers of a huge graph stays with hashing).
    The rank engine runs on numba for ``backend`` ``auto``/``cpu`` and on torch for
    ``torch``/``cuda`` (its codes then live on the device; the estimate is of host memory).

    >>> from cayley import CayleyGraph
    >>> plan_search(CayleyGraph.from_spec("S_12", "lrx")).engine
    'rank'
    >>> plan_search(CayleyGraph.from_spec("S_15", "lrx"), max_depth=8).engine
    'hash'
    >>> plan_search(CayleyGraph.from_spec("S_12", "lrx"), engine="rank", backend="torch", device="cpu").rank_backend
    'torch'
    """
    from . import rank_engine

    if backend not in BACKENDS:
        raise InvalidInputError(f"unknown backend {backend!r}: expected one of {', '.join(BACKENDS)}")
    if backend == "distributed":
        return _distributed_plan(graph, engine)
    gpu_named = backend == "auto" and str(device or "").startswith("cuda")
    gpu_auto = backend == "auto" and device is None and engine != "hash" and _rank_prefers_gpu(graph)
    rank_backend = "torch" if backend in ("torch", "cuda") or gpu_named or gpu_auto else "cpu"
    on_host = rank_backend == "cpu" or str(device or ("cuda" if backend == "cuda" else "")).startswith("cpu")
    rank_bytes = None
    # matrix and piece rankings have numba kernels only
    matrix_on_torch = rank_backend == "torch" and (graph.is_matrix or rank_engine.ranking_kind(graph) == "pieces")
    if rank_engine.supports(graph) and not matrix_on_torch:
        rank_bytes = rank_engine.rank_memory_bytes(graph, backend=rank_backend, on_host=on_host)
    # A rank bitset no larger than the hash engine's fixed buffers (its estimate for a
    # single state) wins whatever the group order, so the order -- Schreier-Sims through
    # sympy, seconds for large generator sets -- is only computed when the choice needs it.
    # Likewise a search limited to a small ball (--max-depth, --max-states) is sized by the
    # ball; the order of a 132-sticker puzzle's orbit would take minutes to compute.
    hash_floor = estimate_memory(graph, max_depth=0, exact_order=False).peak_bytes
    cheap_rank = engine != "hash" and rank_bytes is not None and rank_bytes <= hash_floor
    limit = limit_bound(len(graph.generators), max_states=max_states, max_depth=max_depth)
    small_ball = limit is not None and limit <= _SMALL_BALL_STATES
    hash_est = estimate_memory(
        graph, max_states=max_states, max_depth=max_depth, exact_order=not (cheap_rank or small_ball)
    )
    if engine == "rank":
        if matrix_on_torch:
            raise InvalidInputError(
                f"{graph.name}: the rank engine runs matrix groups and pieces (signed permutations, puzzles) on the "
                "numba CPU backend only; use --backend cpu (or --engine hash, which also runs on torch)"
            )
        if graph.is_matrix and rank_bytes is None:
            raise InvalidInputError(
                f"{graph.name}: the rank engine needs m**(entries) <= 2**41 ranks (one per matrix over Z/m), "
                f"here {graph.symbols}**{graph.state_length}; use --engine hash"
            )
        if rank_bytes is None:
            raise InvalidInputError(
                f"{graph.name}: the rank engine needs states with a perfect ranking (permutations of up "
                "to 15 symbols, or strings with as many arrangements); use --engine hash"
            )
        chosen = "rank"
    elif engine == "hash":
        chosen = "hash"
    else:
        use_rank = rank_bytes is not None and rank_bytes <= hash_est.peak_bytes
        chosen = "rank" if use_rank else "hash"
    peak = rank_bytes if chosen == "rank" else hash_est.peak_bytes
    return SearchPlan(chosen, int(peak), hash_est, rank_bytes, rank_backend)


def _distributed_plan(graph: CayleyGraph, engine: str) -> SearchPlan:
    """The rank engine with its codes split over the process group (joined from torchrun's
    environment here): the estimate is one process's share."""
    from . import rank_engine

    if engine == "hash":
        raise InvalidInputError("backend 'distributed' runs the rank engine only; use --engine rank or auto")
    if graph.is_matrix or not rank_engine.supports(graph):
        raise InvalidInputError(
            f"{graph.name}: backend 'distributed' needs permutations or strings with a perfect ranking "
            "(the rank engine); matrix groups and larger state spaces are not distributed yet"
        )
    try:
        import torch.distributed as dist  # noqa: F401
    except ImportError:
        raise InvalidInputError("backend 'distributed' needs torch: pip install 'cayley[torch]'") from None
    from ..backends.distributed_rank import init_from_env

    init_from_env()
    world = dist.get_world_size()
    share = rank_engine.rank_memory_bytes(graph, backend="torch", on_host=True) - _rank_base_bytes()
    peak = _rank_base_bytes() + share // world
    hash_est = estimate_memory(graph, max_depth=0, exact_order=False)
    return SearchPlan("rank", int(peak), hash_est, int(peak), "distributed")


def _rank_base_bytes() -> int:
    from .rank_engine import _BASE_BYTES, _TORCH_BASE_BYTES

    return _BASE_BYTES + _TORCH_BASE_BYTES


BACKENDS = ("auto", "cpu", "numba", "torch", "cuda", "distributed")
_SMALL_BALL_STATES = 1 << 26  # a hash search of this many states fits in ~2 GiB


def _get_backend(name: str, device=None):
    """The hash engine's primitives: numba on the CPU, or torch on ``device``.

    ``auto`` takes CUDA when torch sees a GPU, else numba; ``cpu``/``numba`` is numba;
    ``torch`` is torch on ``device`` (default: CUDA if available, else torch's CPU, which
    runs the GPU code path on any machine); ``cuda`` is torch on the GPU.
    """
    if name not in BACKENDS:
        raise InvalidInputError(f"unknown backend {name!r}: expected one of {', '.join(BACKENDS)}")
    if name == "auto":
        name = "cuda" if (device is not None and str(device).startswith("cuda")) or _cuda_available() else "cpu"
    if name in ("cpu", "numba"):
        from ..backends import cpu

        return cpu
    device = _torch_device(name, device)
    from ..backends.torch_hash import TorchBackend

    return TorchBackend(device)


def _torch_device(name: str, device=None) -> str:
    """The torch device of backend ``name`` (``torch`` or ``cuda``), for both engines:
    ``cuda`` needs a GPU (default ``"cuda"``); ``torch`` defaults to CUDA when torch sees
    one, else torch's CPU (which runs the GPU code path on any machine)."""
    try:
        import torch  # noqa: F401
    except ImportError:
        raise InvalidInputError(f"backend {name!r} needs torch: pip install 'cayley[torch]'") from None
    if name == "cuda":
        if not _cuda_available():
            raise InvalidInputError("backend 'cuda' needs a CUDA GPU visible to torch; none was found")
        return str(device or "cuda")
    return str(device or ("cuda" if _cuda_available() else "cpu"))


def _rank_backend(name: str, device=None, graph: Optional[CayleyGraph] = None) -> tuple[str, Optional[str]]:
    """The rank engine's backend for a ``bfs`` backend name: ``cpu`` is numba; ``torch``
    and ``cuda`` are torch on :func:`_torch_device` (on a CUDA device, the fused kernels of
    :mod:`cayley.backends.cuda_rank` for permutations); ``auto`` is the GPU when ``device``
    names one or :func:`_rank_prefers_gpu` says so for ``graph``, else numba."""
    if name == "distributed":
        return "distributed", None
    if name == "auto" and (str(device or "").startswith("cuda") or (device is None and _rank_prefers_gpu(graph))):
        name = "cuda"
    if name in ("auto", "cpu", "numba"):
        return "cpu", None
    return "torch", _torch_device(name, device)


# auto takes the GPU for permutation searches of at least this many ranks (S_13 and up)
_GPU_MIN_RANKS = 2**32


def _rank_prefers_gpu(graph: Optional[CayleyGraph]) -> bool:
    """Whether ``backend="auto"`` runs the rank engine on the GPU: a permutation state space
    of at least 2**32 ranks, a CUDA GPU with CuPy (for the fused kernels), and room for the
    codes in the GPU's free memory. Measured on an H100 host (benchmarks/RESULTS.md): S_12
    lrx 0.064 s on the GPU vs 2.05 s for numba on 16 cores, but importing torch and CuPy
    costs seconds, so smaller graphs stay on numba (and never import torch)."""
    import importlib.util

    if graph is None or graph.is_matrix:
        return False
    from .rank_engine import _layout, _ranking

    ranking = _ranking(graph)
    if ranking is None or ranking.kind != "permutations" or ranking.size < _GPU_MIN_RANKS:
        return False
    if importlib.util.find_spec("cupy") is None or not _cuda_available():
        return False
    import torch

    from ..backends.cuda_rank import fused_available

    if not fused_available("cuda"):
        return False
    lay = _layout(graph)[1]
    free, _ = torch.cuda.mem_get_info()
    return lay.nwords * 8 + lay.nblocks * 2 + 2**28 <= free


def _cuda_available() -> bool:
    """Whether torch sees a CUDA GPU; never imports torch on a machine with no NVIDIA
    driver (importing torch costs seconds of start-up)."""
    import importlib.util
    import os
    import sys

    if "torch" not in sys.modules:
        if not os.path.exists("/dev/nvidiactl") or importlib.util.find_spec("torch") is None:
            return False
    import torch

    return bool(torch.cuda.is_available())


# _BATCH_NEIGHBOURS (cayley.graphs.memory): neighbours per batch, bounding the buffer (batch * k words)


def _hash_bfs(graph, be, est: MemoryEstimate, max_depth, max_states, store_up_to, last_limit, progress, checkpoint):
    t0 = time.perf_counter()
    gens = graph.generators
    perms = _action(graph)
    k = len(gens)
    bits, words = packing(graph.symbols, graph.state_length)
    undirected = graph.undirected
    expected = None
    if progress is not None and est.order_known:
        try:
            expected = graph.order()
        except Exception:  # order is a nicety for progress; never fail the search on it
            expected = None

    def decode(keys):
        return be.decode(keys, graph.state_length, bits)

    # keys[d] holds the packed states of layer d while the search still needs them:
    # the last two layers (undirected) or every layer (directed), plus small layers.
    keys: dict[int, np.ndarray] = {0: be.encode(graph.start.reshape(1, -1), bits, words)}
    growth = [1]
    finished = False
    ck = Checkpoint(checkpoint, graph, engine="hash") if checkpoint is not None else None
    if ck is not None:
        state = ck.load(clean=True)
        if state is not None:
            _check_hash_state(state, graph, words, undirected, checkpoint)
            growth = state.growth
            keys = {int(name.split("-")[1]): be.from_numpy(a).reshape(-1, words) for name, a in state.arrays.items()}
            finished = bool(state.extra.get("finished"))
            log.warning("resuming from depth %d (%s, checkpoint %s)", state.depth, graph.name, checkpoint)
            cut = limit_cut(growth, max_depth, max_states)
            if cut is not None and cut[0] < state.depth:  # a smaller limit than the saved run's
                layers = {d: decode(a) for d, a in keys.items() if d <= cut[0] and len(a) <= store_up_to}
                last = decode(keys[cut[0]]) if cut[0] in keys and len(keys[cut[0]]) <= last_limit else None
                return _cut_result(graph, growth, cut, layers, last, "hash", be.NAME, t0)
    depth = len(growth) - 1
    visited = be.key_set(words, capacity=sum(len(a) for a in keys.values()))
    for d in sorted(keys):
        if not undirected or d >= depth - 1:
            visited.add_new(keys[d])
    if not undirected:  # now in the visited set; keep only what a checkpoint must list
        keys = {d: (a if d >= depth - 1 or len(a) <= store_up_to else None) for d, a in keys.items()}
    cur = keys[depth]
    total = sum(growth)
    stop_reason = "exhausted"
    batch = max(1, _BATCH_NEIGHBOURS // k)
    while not finished:
        if max_depth is not None and depth >= max_depth:
            stop_reason = "max_depth"
            break
        if max_states is not None and total >= max_states:
            stop_reason = "max_states"
            break
        parts = []
        for lo in range(0, len(cur), batch):
            new = visited.add_new(be.expand(cur[lo : lo + batch], perms, bits))
            if len(new):
                parts.append(new)
        if not parts:
            finished = True
            if ck is not None:
                ck.save(depth=depth, growth=growth, arrays=_named(keys), extra={"finished": True})
            break
        nxt = be.concat(parts).reshape(-1, words)
        if undirected:
            # two-layer window: neighbours of layer d+1 lie in layers d, d+1, d+2
            visited = be.key_set(words, capacity=2 * (len(cur) + len(nxt)))
            visited.add_new(cur)
            visited.add_new(nxt)
        depth += 1
        growth.append(len(nxt))
        total += len(nxt)
        keys[depth] = cur = nxt
        # drop big layers the search no longer needs; a directed search keeps them in
        # its visited set, and a checkpoint keeps them on disk (None: saved, not in memory)
        for d in [d for d, a in keys.items() if d < depth - 1 and a is not None and len(a) > store_up_to]:
            if undirected:
                del keys[d]
            else:
                keys[d] = None
        if ck is not None:
            ck.save(depth=depth, growth=growth, arrays=_named(keys))
        if not undirected and ck is None:
            keys = {d: a for d, a in keys.items() if a is not None}
        if progress is not None:
            progress(Progress(depth, len(nxt), total, time.perf_counter() - t0, peak_rss_bytes(), expected))
    completed = finished
    if not completed and _frontier_is_closed(be, visited, cur, perms, bits, batch):
        completed, stop_reason = True, "exhausted"  # a limit that hit the end exactly
    layers = {d: decode(a) for d, a in sorted(keys.items()) if a is not None and len(a) <= store_up_to}
    return BfsResult(
        graph=graph,
        growth=tuple(int(x) for x in growth),
        completed=completed,
        last_layer=decode(cur) if len(cur) <= last_limit else None,
        layers=layers,
        engine="hash",
        backend=be.NAME,
        version=__version__,
        seconds=time.perf_counter() - t0,
        peak_memory_bytes=peak_rss_bytes(),
        stop_reason=stop_reason,
    )


def limit_cut(growth, max_depth: Optional[int], max_states: Optional[int]) -> Optional[tuple[int, str]]:
    """The depth at which a search with these limits stops on ``growth`` and the limit
    that stops it (None when neither does): the search checks ``max_depth`` and then
    ``max_states`` after each layer.

    >>> limit_cut([1, 3, 6, 12], 2, None), limit_cut([1, 3, 6, 12], None, 5), limit_cut([1, 3], 5, 99)
    ((2, 'max_depth'), (2, 'max_states'), None)
    """
    total = 0
    for d, size in enumerate(growth):
        total += size
        if max_depth is not None and d >= max_depth:
            return d, "max_depth"
        if max_states is not None and total >= max_states:
            return d, "max_states"
    return None


def _cut_result(graph, growth, cut, layers, last, engine, backend, t0) -> BfsResult:
    """The result of a resumed search whose limits stop it before the checkpoint's depth:
    the saved growth up to that depth (the checkpoint itself is left as it is)."""
    depth, reason = cut
    return BfsResult(
        graph=graph,
        growth=tuple(int(x) for x in growth[: depth + 1]),
        completed=False,
        last_layer=last,
        layers={d: a for d, a in sorted(layers.items()) if d <= depth},
        engine=engine,
        backend=backend,
        version=__version__,
        seconds=time.perf_counter() - t0,
        peak_memory_bytes=peak_rss_bytes(),
        stop_reason=reason,
    )


def _check_hash_state(state, graph: CayleyGraph, words: int, undirected: bool, where) -> None:
    """A hash-engine checkpoint's arrays against its growth, before any kernel sees them:
    only layers, each with as many packed states as the growth says, and every layer the
    search needs to go on (the last two, or all of them for a directed graph)."""

    def corrupt(what):
        return CheckpointError(
            f"checkpoint {str(where)!r} is corrupt: {what}; delete the folder (or use another one) to start afresh"
        )

    depth, growth = state.depth, state.growth
    for name, a in state.arrays.items():
        if not name.startswith("layer-"):
            raise corrupt(f"array {name!r} does not belong to a hash-engine checkpoint")
        d = int(name.split("-")[1])
        if a.dtype.itemsize != 8 or a.size != growth[d] * words or (a.ndim == 2 and a.shape[1] != words):
            raise corrupt(f"layer {d} holds {a.size} words of {a.dtype}, the growth says {growth[d]} states")
    needed = range(depth + 1) if not undirected else range(max(0, depth - 1), depth + 1)
    missing = [d for d in needed if f"layer-{d:06d}" not in state.arrays]
    if missing:
        raise corrupt(f"layers {missing} are missing")
    if state.extra.get("finished"):
        check_finished(graph, growth, where)


def _action(graph: CayleyGraph):
    """What the backends' ``expand`` applies: the ``(k, n)`` permutations (a gather), or
    for matrix generators a :class:`~cayley.backends.actions.MatrixAction`."""
    gens = graph.generators
    if graph.is_matrix:
        from ..backends.actions import MatrixAction

        return MatrixAction(np.ascontiguousarray(gens.matrices), gens.modulus, graph.state_length // gens.degree)
    return np.ascontiguousarray(gens.perms)


def _named(keys: dict[int, np.ndarray]) -> dict[str, np.ndarray]:
    return {f"layer-{d:06d}": a for d, a in keys.items()}


def _frontier_is_closed(be, visited, cur, perms, bits, batch) -> bool:
    """Whether the last layer has no unseen neighbour (so the search is complete)."""
    for lo in range(0, len(cur), batch):
        nb = be.expand(cur[lo : lo + batch], perms, bits)
        if len(visited.add_new(nb)):
            return False
    return True


def growth(graph: CayleyGraph, **kwargs) -> tuple[int, ...]:
    """Growth function (layer sizes) of ``graph`` from its start state.

    >>> from cayley import CayleyGraph
    >>> growth(CayleyGraph.from_spec("S_3", "lrx"))
    (1, 3, 2)
    """
    return bfs(graph, **kwargs).growth


def diameter(graph: CayleyGraph, **kwargs) -> int:
    """Eccentricity of the start state (the diameter, for a Cayley graph).

    >>> from cayley import CayleyGraph
    >>> diameter(CayleyGraph.from_spec("S_5", "pancake"))
    5
    """
    r = bfs(graph, **kwargs)
    if not r.completed:
        raise InvalidInputError("the search stopped before exhausting the graph; no diameter")
    return int(r.diameter)

