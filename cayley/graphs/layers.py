"""The layer loop: one breadth-first driver for every engine.

:func:`run_layers` owns the loop (limits, the end check, a callback after each layer) and
:func:`bfs_layers` adds what a search needs around it: checkpoint resume and save,
progress reports and the :class:`BfsResult`. The engines are *steps* behind
:class:`LayerStep` (one layer at a time) and :class:`SearchStep` (start, resume, save,
result arrays): the hash engine (:mod:`cayley.graphs.hash_engine`), the rank engine and
its distributed form (:mod:`cayley.graphs.rank_engine`), and the dense distance tables
of path finding (:mod:`cayley.graphs.paths.tables`).

>>> class Doubling:  # a toy step: layers 1, 2, 4, 8 and nothing after
...     def expand(self, growth, total):
...         return 2 * growth[-1] if growth[-1] < 8 else 0
...     def closed(self):
...         return True
>>> growth = [1]
>>> run_layers(Doubling(), growth), growth
((True, 'exhausted'), [1, 2, 4, 8])
>>> growth = [1]
>>> run_layers(Doubling(), growth, max_depth=2), growth
((False, 'max_depth'), [1, 2, 4])
"""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Callable, ContextManager, Optional, Protocol, runtime_checkable

import numpy as np

from ..errors import InvalidInputError
from ..version import __version__
from .checkpoint import CheckpointState, checkpoint_lock
from .graph import CayleyGraph
from .memory import peak_rss_bytes

__all__ = [
    "BfsResult",
    "CheckpointStore",
    "LayerStep",
    "Progress",
    "SearchStep",
    "bfs_layers",
    "check_limits",
    "cut_result",
    "limit_cut",
    "run_layers",
]

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
    """Result of :func:`cayley.bfs`.

    ``growth[d]`` is the number of states at distance ``d`` from the start. ``completed``
    is True when the search exhausted the graph (then ``diameter`` is the eccentricity of
    the start, which for a Cayley graph is the diameter). ``last_layer`` holds the states
    of the last layer found (as an ``(m, n)`` array) when it has at most
    ``last_layer_limit`` states; ``layers[d]`` holds every layer with at most
    ``store_layers_up_to`` states, the last one included only when it is that small.
    ``last_layer_size`` is always there.

    >>> from cayley import CayleyGraph, bfs
    >>> r = bfs(CayleyGraph.from_spec("S_4", "coxeter"), store_layers_up_to=3)
    >>> r.growth, r.diameter, r.size, r.last_layer_size, sorted(r.layers)
    ((1, 3, 5, 6, 5, 3, 1), 6, 24, 1, [0, 1, 5, 6])
    >>> r.last_layer.tolist()
    [[3, 2, 1, 0]]
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

    @property
    def last_layer_size(self) -> int:
        """Number of states in the last layer found, ``growth[-1]`` (stored even when
        ``last_layer``, the states themselves, was too large to keep); the JSON's
        ``last_layer_size``."""
        return self.growth[-1]

    def to_dict(self) -> dict[str, Any]:
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
            "last_layer_size": self.last_layer_size,
            "last_layer": last.tolist() if last is not None and len(last) <= 100 else None,
            "engine": self.engine,
            "backend": self.backend,
            "version": self.version,
            "seconds": round(self.seconds, 6),
            "peak_memory_bytes": self.peak_memory_bytes,
        }


@runtime_checkable
class LayerStep(Protocol):
    """One breadth-first layer at a time, for :func:`run_layers`.

    ``expand(growth, total)`` finds layer ``len(growth)`` from the frontier (layer
    ``len(growth) - 1``, which holds ``growth[-1]`` states; ``total == sum(growth)``) and
    returns its size, 0 when there is no new state (the search is exhausted); the step
    keeps its own frontier and visited set. ``closed()`` says, after a limit stopped the
    loop, whether the frontier has no unseen neighbour (then the search is complete
    after all); it may cost a pass over the frontier.
    """

    def expand(self, growth: list[int], total: int) -> int: ...

    def closed(self) -> bool: ...


class CheckpointStore(Protocol):
    """A checkpoint folder as the driver sees it (:class:`~cayley.graphs.checkpoint.Checkpoint`
    or, one shard per process, :class:`~cayley.graphs.checkpoint.ShardedCheckpoint`)."""

    def load(self, *, clean: bool = ...) -> Optional[CheckpointState]: ...

    def save(
        self,
        *,
        depth: int,
        growth: list[int],
        arrays: dict[str, Optional[np.ndarray]],
        extra: Optional[dict[Any, Any]] = None,
    ) -> None: ...


@runtime_checkable
class SearchStep(LayerStep, Protocol):
    """An engine of :func:`bfs_layers`: a :class:`LayerStep` that also starts, resumes,
    saves and gives its result arrays.

    Contract, in the order the driver calls it:

    - ``engine``, ``backend``: the names recorded in the result; ``graph`` the graph.
    - ``shares_folder``: True when several processes write one checkpoint folder (each
      its shard), so the driver takes no folder lock.
    - ``open_checkpoint(folder)``: the :class:`CheckpointStore` of this engine's format.
    - ``check_state(state, where)``: validate a loaded checkpoint before any kernel sees
      it (raise :class:`~cayley.graphs.checkpoint.CheckpointError`).
    - ``cut_arrays(state, depth)``: ``(layers, last)`` of a saved search cut at ``depth``
      by limits smaller than the saved run's.
    - ``start()`` / ``resume(state)``: initial state (the start at depth 0) or the saved
      one; ``resume`` returns the saved growth and whether the saved search had finished.
    - ``expand`` / ``closed`` as in :class:`LayerStep`.
    - ``save_due()``: whether to save after this layer; ``save(ck, growth, finished)``
      writes the checkpoint (a finished search saves its layers, a running one whatever
      it needs to go on); ``stopped(ck, growth)``: a limit stopped the search (save
      where it stands, if the engine does not save every layer).
    - ``expected_order()``: the number of states a progress bar expects, or None.
    - ``result_arrays(growth, completed)``: ``(layers, last_layer)`` of the result
      (``layers`` maps depth to an ``(m, n)`` state array).
    """

    engine: str
    backend: str
    graph: CayleyGraph
    shares_folder: bool

    def open_checkpoint(self, folder: str) -> CheckpointStore: ...

    def check_state(self, state: CheckpointState, where: str) -> None: ...

    def cut_arrays(self, state: CheckpointState, depth: int) -> tuple[dict[int, np.ndarray], Optional[np.ndarray]]: ...

    def start(self) -> None: ...

    def resume(self, state: CheckpointState) -> tuple[list[int], bool]: ...

    def save_due(self) -> bool: ...

    def save(self, ck: CheckpointStore, growth: list[int], finished: bool) -> None: ...

    def stopped(self, ck: Optional[CheckpointStore], growth: list[int]) -> None: ...

    def expected_order(self) -> Optional[int]: ...

    def result_arrays(self, growth: list[int], completed: bool) -> tuple[dict[int, np.ndarray], Optional[np.ndarray]]: ...


def check_limits(max_depth: Optional[int], max_states: Optional[int]) -> None:
    """Reject negative depth and non-positive state limits (an :class:`InvalidInputError`).

    >>> check_limits(0, 1)
    >>> check_limits(-1, None)
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: max_depth must be >= 0, got -1
    """
    if max_depth is not None and max_depth < 0:
        raise InvalidInputError(f"max_depth must be >= 0, got {max_depth}")
    if max_states is not None and max_states < 1:
        raise InvalidInputError(f"max_states must be >= 1, got {max_states}")


def run_layers(
    step: LayerStep,
    growth: list[int],
    *,
    max_depth: Optional[int] = None,
    max_states: Optional[int] = None,
    finished: bool = False,
    after_layer: Optional[Callable[[list[int], int], None]] = None,
    on_end: Optional[Callable[[], None]] = None,
) -> tuple[bool, str]:
    """Expand layers until the graph is exhausted or a limit stops the search.

    ``growth`` (the layer sizes so far, at least the start's 1) grows in place. Before each
    layer the loop checks ``max_depth`` and then ``max_states``; ``after_layer(growth,
    total)`` runs after each new layer, ``on_end()`` when a layer comes out empty.
    Returns ``(finished, stop_reason)``: ``finished`` is True when the loop found the
    empty layer (or was given ``finished``), the reason ``exhausted``, ``max_depth`` or
    ``max_states``. A limit that hits the end exactly is left to the caller
    (:meth:`LayerStep.closed`).
    """
    total = sum(growth)
    while not finished:
        if max_depth is not None and len(growth) - 1 >= max_depth:
            return False, "max_depth"
        if max_states is not None and total >= max_states:
            return False, "max_states"
        new = step.expand(growth, total)
        if new == 0:
            finished = True
            if on_end is not None:
                on_end()
            break
        growth.append(int(new))
        total += int(new)
        if after_layer is not None:
            after_layer(growth, total)
    return True, "exhausted"


def limit_cut(growth: list[int] | tuple[int, ...], max_depth: Optional[int], max_states: Optional[int]) -> Optional[tuple[int, str]]:
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


def cut_result(
    graph: CayleyGraph,
    growth: list[int] | tuple[int, ...],
    cut: tuple[int, str],
    layers: dict[int, np.ndarray],
    last: Optional[np.ndarray],
    engine: str,
    backend: str,
    t0: float,
) -> BfsResult:
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


def bfs_layers(
    step: SearchStep,
    *,
    max_depth: Optional[int] = None,
    max_states: Optional[int] = None,
    progress: Optional[Callable[[Progress], None]] = None,
    checkpoint: Optional[str] = None,
    t0: Optional[float] = None,
) -> BfsResult:
    """Breadth-first search with the engine ``step``: limits, checkpoints (resume from and
    save to the folder ``checkpoint``, holding its lock unless the step's processes
    share it), progress reports after each layer, and the :class:`BfsResult`.

    >>> from cayley import CayleyGraph
    >>> from cayley.backends.registry import hash_kernels
    >>> from cayley.graphs.hash_engine import HashStep
    >>> step = HashStep(CayleyGraph.from_spec("S_4", "coxeter"), hash_kernels("cpu"))
    >>> bfs_layers(step, max_depth=3).growth
    (1, 3, 5, 6)
    """
    t0 = time.perf_counter() if t0 is None else t0
    lock: ContextManager[Any] = nullcontext()
    if checkpoint is not None and not step.shares_folder:
        lock = checkpoint_lock(checkpoint)  # one run per folder
    with lock:
        return _search(step, max_depth, max_states, progress, checkpoint, t0)


def _search(
    step: SearchStep,
    max_depth: Optional[int],
    max_states: Optional[int],
    progress: Optional[Callable[[Progress], None]],
    checkpoint: Optional[str],
    t0: float,
) -> BfsResult:
    graph = step.graph
    expected = step.expected_order() if progress is not None else None
    ck = step.open_checkpoint(checkpoint) if checkpoint is not None else None
    state = ck.load(clean=True) if ck is not None else None
    finished = False
    if state is not None:
        step.check_state(state, str(checkpoint))
        log.warning("resuming from depth %d (%s, checkpoint %s)", state.depth, graph.name, checkpoint)
        cut = limit_cut(state.growth, max_depth, max_states)
        if cut is not None and cut[0] < state.depth:  # a smaller limit than the saved run's
            layers, last = step.cut_arrays(state, cut[0])
            return cut_result(graph, state.growth, cut, layers, last, step.engine, step.backend, t0)
        growth, finished = step.resume(state)
    else:
        step.start()
        growth = [1]

    def after_layer(growth: list[int], total: int) -> None:
        if ck is not None and step.save_due():
            step.save(ck, growth, False)
        if progress is not None:
            new = growth[-1]
            progress(Progress(len(growth) - 1, new, total, time.perf_counter() - t0, peak_rss_bytes(), expected))

    def on_end() -> None:
        if ck is not None:
            step.save(ck, growth, True)

    completed, stop_reason = run_layers(
        step, growth, max_depth=max_depth, max_states=max_states, finished=finished,
        after_layer=after_layer, on_end=on_end,
    )
    if not completed:
        step.stopped(ck, growth)
        if step.closed():  # a limit that hit the end exactly
            completed, stop_reason = True, "exhausted"
    layers, last = step.result_arrays(growth, completed)
    return BfsResult(
        graph=graph,
        growth=tuple(int(x) for x in growth),
        completed=completed,
        last_layer=last,
        layers=layers,
        engine=step.engine,
        backend=step.backend,
        version=__version__,
        seconds=time.perf_counter() - t0,
        peak_memory_bytes=peak_rss_bytes(),
        stop_reason=stop_reason,
    )
