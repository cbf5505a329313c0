"""Breadth-first search: growth functions, diameters and last layers.

:func:`bfs` plans the search (:func:`plan_search`: engine and memory estimate), asks the
backend registry (:mod:`cayley.backends.registry`) for the kernels, and runs the one
layer loop (:func:`cayley.graphs.layers.bfs_layers`) with the engine's step: the hash
engine (:mod:`cayley.graphs.hash_engine`) or the rank engine
(:mod:`cayley.graphs.rank_engine`, also distributed).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..backends.registry import (
    check_backend,
    hash_kernels,
    rank_backend,
    rank_family_error,
    rank_placement,
    rank_prefers_gpu,
)
from ..errors import InvalidInputError, MemoryEstimateError
from .rank_engine import BASE_BYTES, TORCH_BASE_BYTES, layout, rank_memory_bytes, rank_step, supports
from ..groups.generator_set import GeneratorSet
from ..groups.matrix import MatrixGeneratorSet
from .graph import CayleyGraph
from .hash_engine import HashStep
from .layers import BfsResult, Progress, SearchStep, bfs_layers, check_limits
from .memory import MemoryEstimate, available_memory_bytes, estimate_memory, gib, limit_bound

__all__ = ["bfs", "BfsResult", "Progress", "SearchPlan", "plan_search", "growth", "diameter"]

log = logging.getLogger(__name__)

_SMALL_BALL_STATES = 1 << 26  # a hash search of this many states fits in ~2 GiB


def bfs(
    graph: CayleyGraph | GeneratorSet | MatrixGeneratorSet,
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
    check_limits(max_depth, max_states)
    if not isinstance(graph, CayleyGraph):  # a GeneratorSet (or anything it parses from): its Cayley graph
        graph = CayleyGraph(graph)
    if engine not in ("auto", "hash", "rank"):
        raise InvalidInputError(f"unknown engine {engine!r}: expected auto, hash or rank")
    backend = check_backend(backend)
    plan = plan_search(
        graph,
        engine=engine,
        max_depth=max_depth,
        max_states=max_states,
        backend=backend,
        device=device,
    )
    _check_memory(graph, plan, backend, memory_limit)
    outputs = {"store_layers_up_to": store_layers_up_to, "last_layer_limit": last_layer_limit}
    step: SearchStep
    t0 = None  # the hash engine's clock starts with the loop; the rank engine's with its kernels
    if plan.engine == "rank":
        family, rank_device = rank_backend(backend, device, prefers_gpu=device is None and prefers_gpu(graph))
        t0 = time.perf_counter()
        step = rank_step(graph, family, rank_device, checkpoint_seconds=checkpoint_seconds, **outputs)
    else:
        kernels = hash_kernels(backend, device)
        step = HashStep(graph, kernels, order_known=plan.hash_estimate.order_known, **outputs)
    return bfs_layers(step, max_depth=max_depth, max_states=max_states, progress=progress, checkpoint=checkpoint, t0=t0)


def _check_memory(graph: CayleyGraph, plan: SearchPlan, backend: str, memory_limit: Optional[int]) -> None:
    """Refuse a search whose estimated peak exceeds ``memory_limit`` (default: nine tenths
    of the memory available, shared by the processes of a distributed run on this machine)."""
    if memory_limit is not None:
        limit = memory_limit
    else:
        local = int(os.environ.get("LOCAL_WORLD_SIZE", "1")) if backend == "distributed" else 1
        limit = int(0.9 * available_memory_bytes()) // max(1, local)
    log.info("bfs %s: %s", graph.name, plan.describe())
    if plan.peak_bytes > limit:
        raise MemoryEstimateError(
            f"{graph.name}: estimated peak memory {gib(plan.peak_bytes)} with the {plan.engine} engine "
            f"exceeds the limit of {gib(limit)}; {plan.suggestion(limit)}",
            estimate_bytes=plan.peak_bytes,
            limit_bytes=limit,
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
        rank = gib(self.rank_bytes) if self.rank_bytes is not None else "not applicable"
        where = {"cpu": "numba", "torch": "torch"}.get(self.rank_backend, self.rank_backend)
        return (
            f"engine {self.engine}; estimated peak {gib(self.peak_bytes)} "
            f"(hash engine: {self.hash_estimate.describe()}; rank engine on {where}: {rank})"
        )

    def suggestion(self, limit: int) -> str:
        tips = []
        if self.engine == "hash" and self.rank_bytes is not None and self.rank_bytes <= limit:
            tips.append(f"--engine rank needs about {gib(self.rank_bytes)}")
        if self.engine == "rank" and self.hash_estimate.peak_bytes <= limit:
            tips.append(f"--engine hash needs about {gib(self.hash_estimate.peak_bytes)}")
        tips.append("try --max-depth or --max-states to explore part of the graph, or a machine with more memory")
        return "; ".join(tips)


def plan_search(
    graph: CayleyGraph,
    *,
    engine: str = "auto",
    max_depth: Optional[int] = None,
    max_states: Optional[int] = None,
    backend: str = "auto",
    device: Optional[str] = None,
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
    backend = check_backend(backend)
    if backend == "distributed":
        return _distributed_plan(graph, engine)
    family, on_host = rank_placement(backend, device, engine, lambda: prefers_gpu(graph))
    rank_bytes = None
    action, ranking = graph.action(), graph.ranking()
    # matrix groups and piece rankings have numba kernels only
    family_error = rank_family_error(family, action, ranking)
    if ranking is not None and family_error is None:
        rank_bytes = rank_memory_bytes(graph, backend=family, on_host=on_host)
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
        if family_error is not None:
            raise InvalidInputError(f"{graph.name}: {family_error}")
        if rank_bytes is None:
            raise InvalidInputError(f"{graph.name}: the rank engine {action.rank_limit}; use --engine hash")
        chosen = "rank"
    elif engine == "hash":
        chosen = "hash"
    else:
        use_rank = rank_bytes is not None and rank_bytes <= hash_est.peak_bytes
        chosen = "rank" if use_rank else "hash"
    peak = rank_bytes if chosen == "rank" and rank_bytes is not None else hash_est.peak_bytes
    return SearchPlan(chosen, int(peak), hash_est, rank_bytes, family)


def _distributed_plan(graph: CayleyGraph, engine: str) -> SearchPlan:
    """The rank engine with its codes split over the process group (joined from torchrun's
    environment here): the estimate is one process's share."""
    if engine == "hash":
        raise InvalidInputError("backend 'distributed' runs the rank engine only; use --engine rank or auto")
    if "distributed" not in graph.action().rank_families or not supports(graph):
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
    share = rank_memory_bytes(graph, backend="torch", on_host=True) - _rank_base_bytes()
    peak = _rank_base_bytes() + share // world
    hash_est = estimate_memory(graph, max_depth=0, exact_order=False)
    return SearchPlan("rank", int(peak), hash_est, int(peak), "distributed")


def _rank_base_bytes() -> int:
    return BASE_BYTES + TORCH_BASE_BYTES


def prefers_gpu(graph: CayleyGraph) -> bool:
    """Whether ``backend="auto"`` runs the rank engine on the GPU for ``graph`` (see
    :func:`cayley.backends.registry.rank_prefers_gpu`); only for permutation rankings
    (never for matrix groups, strings or pieces).

    >>> from cayley import CayleyGraph
    >>> prefers_gpu(CayleyGraph.from_spec("S_5", "lrx")), prefers_gpu(CayleyGraph.from_spec("SL(2,5)", "roots"))
    (False, False)
    """
    ranking = graph.ranking()
    if ranking is None or ranking.kind != "permutations" or ranking.size < 2**32:
        return False
    lay = layout(graph)[1]  # the size check above keeps small graphs from numba
    return rank_prefers_gpu(ranking, lay.nwords, lay.nblocks)


def growth(graph: CayleyGraph | GeneratorSet | MatrixGeneratorSet, **kwargs: Any) -> tuple[int, ...]:
    """Growth function (layer sizes) of ``graph`` from its start state.

    >>> from cayley import CayleyGraph
    >>> growth(CayleyGraph.from_spec("S_3", "lrx"))
    (1, 3, 2)
    """
    return bfs(graph, **kwargs).growth


def diameter(graph: CayleyGraph | GeneratorSet | MatrixGeneratorSet, **kwargs: Any) -> int:
    """Eccentricity of the start state (the diameter, for a Cayley graph).

    >>> from cayley import CayleyGraph
    >>> diameter(CayleyGraph.from_spec("S_5", "pancake"))
    5
    """
    r = bfs(graph, **kwargs)
    if not r.completed:
        raise InvalidInputError("the search stopped before exhausting the graph; no diameter")
    return len(r.growth) - 1

