"""The rank engine: BFS over a 2-bit code per rank of a perfect ranking.

For state spaces with a perfect ranking (permutations of ``n``; strings with repeated
symbols, i.e. multiset permutations, for Schreier graphs) the visited set is a bitset of
about 2 bits per state of the *ambient* space (``n!`` or the multinomial), whatever part
of it the graph reaches: S_12 takes 120 MB where a hash table of packed states takes
several GB. Each layer is one parallel pass over the blocks holding the frontier (see
:mod:`cayley.backends.numba_rank`). Works for directed and undirected generator sets.

>>> from cayley import CayleyGraph
>>> r = rank_bfs(CayleyGraph.from_spec("S_4", "coxeter"))
>>> r.growth, r.diameter, r.last_layer.tolist(), r.engine
((1, 3, 5, 6, 5, 3, 1), 6, [[3, 2, 1, 0]], 'rank')
>>> rank_bfs(CayleyGraph.from_spec("S_4", "lrx", start="0011")).growth
(1, 2, 3)
"""

from __future__ import annotations

import time
from typing import Any, Optional, cast

import numpy as np

from ..errors import InvalidInputError
from ..backends.registry import RankKernels, ShardedKernels, rank_kernels
from .checkpoint import Checkpoint, CheckpointError, CheckpointState, ShardedCheckpoint, check_finished
from .graph import CayleyGraph
from .layers import BfsResult, CheckpointStore, bfs_layers, check_limits

__all__ = [
    "BASE_BYTES",
    "TORCH_BASE_BYTES",
    "PULL_RATIO",
    "PULL_MIN_WORK",
    "RankStep",
    "check_rank_state",
    "layout",
    "pull_is_cheaper",
    "rank_bfs",
    "rank_step",
    "rank_memory_bytes",
    "ranking_kind",
    "supports",
]

BASE_BYTES = 180 * 2**20  # interpreter, numpy, numba, LLVM and the compiled kernels (measured ~170 MB)
TORCH_BASE_BYTES = 200 * 2**20  # importing torch (CPU build: measured ~190 MB more RSS)
TORCH_WORK_BYTES = 256 * 2**20  # the torch backend's default batch budget on the CPU
# direction-optimising BFS: a layer is found bottom-up (each unseen state looks for a
# frontier neighbour, stopping at the first) once the unseen ranks are fewer than
# PULL_RATIO times the frontier. Bottom-up costs up to k neighbour ranks per unseen state
# (fewer for those that join the next layer), top-down k per frontier state plus an
# atomic per new state. Measured on S_11 (1 thread, CPU s, top-down only -> 1.0 -> 2.0):
# pancake 2.5 -> 1.4 -> 1.4, all_transpositions 6.8 -> 4.5 -> 3.2, lrx and coxeter
# within noise. A bottom-up pass also reads every word of the codes, so it is not worth
# it unless the frontier's neighbours outnumber PULL_MIN_WORK times the words (S_13's tail
# paid 0.28 s per tiny layer without that). PULL_RATIO = 0 never pulls; tests force
# pulling with a huge PULL_RATIO and PULL_MIN_WORK = 0.
PULL_RATIO = 2.0
PULL_MIN_WORK = 1.0


def pull_is_cheaper(unseen: int, frontier: int, k: int, nwords: int) -> bool:
    """Whether to find the next layer bottom-up (see :data:`PULL_RATIO`).

    >>> pull_is_cheaper(10, 100, 3, 1), pull_is_cheaper(1000, 100, 3, 1)
    (True, False)
    """
    return unseen < PULL_RATIO * frontier and frontier * k >= PULL_MIN_WORK * nwords


def supports(graph: CayleyGraph) -> bool:
    """Whether the rank engine can search ``graph``: its states (the rearrangements of the
    start) have a perfect ranking with fewer than about 2**41 ranks.

    >>> from cayley import CayleyGraph
    >>> supports(CayleyGraph.from_spec("S_10", "lrx")), supports(CayleyGraph.from_spec("S_16", "lrx"))
    (True, False)
    """
    return graph.ranking() is not None


def ranking_kind(graph: CayleyGraph) -> Optional[str]:
    """The kind of the rank engine's ranking for ``graph`` (``"permutations"``,
    ``"multiset"``, ``"mixed_radix"``, ``"pieces"``), or None when it has none.

    >>> from cayley import CayleyGraph
    >>> ranking_kind(CayleyGraph.from_spec("S_8", "burnt_pancake")), ranking_kind(CayleyGraph.from_spec("S_8", "lrx"))
    ('pieces', 'permutations')
    """
    ranking = graph.ranking()
    return None if ranking is None else str(ranking.kind)


def layout(graph: CayleyGraph) -> tuple[Any, Any]:
    """The ranking of ``graph``'s states and the rank engine's code layout over it
    (:class:`~cayley.backends.numba_rank.PermLayout` or ``MultisetLayout``); an
    :class:`InvalidInputError` when the states have no perfect ranking.

    >>> from cayley import CayleyGraph
    >>> ranking, lay = layout(CayleyGraph.from_spec("S_5", "lrx"))
    >>> ranking.size, lay.kind
    (120, 'permutations')
    """
    from ..backends.numba_rank import MultisetLayout, PermLayout

    ranking = graph.ranking()
    if ranking is None:
        raise InvalidInputError(
            f"{graph.name}: the rank engine needs states with a perfect ranking of at most 2**41 ranks "
            f"(permutations of up to 15 symbols, or strings with that many arrangements); use engine='hash'"
        )
    if ranking.kind == "permutations":
        return ranking, PermLayout(ranking.n)
    return ranking, MultisetLayout(ranking)  # any flat ranking (multiset, pieces)


def rank_memory_bytes(
    graph: CayleyGraph, *, last_layer_limit: int = 1_000_000, backend: str = "cpu", on_host: bool = True
) -> int:
    """Estimated peak bytes (host memory) of :func:`rank_bfs` on ``graph``: codes, flags,
    the recorded last layer, and the interpreter with its compiled kernels. With
    ``backend="torch"`` add torch and its batch budget; with ``on_host=False`` (a GPU)
    the codes and batches live on the device instead, which the torch backend checks
    against the device's free memory before it starts.

    >>> from cayley import CayleyGraph
    >>> rank_memory_bytes(CayleyGraph.from_spec("S_12", "lrx")) < 512 * 2**20
    True
    >>> rank_memory_bytes(CayleyGraph.from_spec("S_14", "lrx"), backend="torch", on_host=False) < 2**30
    True
    """
    ranking = graph.ranking()
    if ranking is None:
        raise InvalidInputError(f"{graph.name}: no perfect ranking; the rank engine does not apply")
    n = graph.degree
    if ranking.kind == "permutations":
        from math import factorial

        from ..backends.numba_rank import BLOCK_SUFFIX

        m = min(n, BLOCK_SUFFIX)
        words = (factorial(n) // factorial(m)) * -(-factorial(m) // 32)
        blocks = factorial(n) // factorial(m)
    else:
        words = -(-ranking.size // 2048) * 64
        blocks = words // 64
    from ..backends.ranking import MultisetRanking

    table = int(ranking.cum.nbytes) if isinstance(ranking, MultisetRanking) else 0
    # the last layer: its recorded indices, sorted copy, and the decoded (m, n) states
    last = min(last_layer_limit, ranking.size) * (8 * 3 + 8 * graph.state_length)
    if backend == "cpu":
        return int(BASE_BYTES + 8 * words + 3 * blocks + table + last)
    device = (8 * words + 2 * blocks + TORCH_WORK_BYTES) if on_host else 0
    return int(BASE_BYTES + TORCH_BASE_BYTES + device + table + last)


def check_rank_state(state: CheckpointState, graph: CayleyGraph, kern: RankKernels, where: str, sharded: bool) -> None:
    """A rank-engine checkpoint's arrays against its growth, before any kernel sees them.

    A finished one holds layers (and the last layer) of the sizes its growth says, and the
    whole orbit. A running one holds the code and flag arrays of its depth, with the code
    ``code_f`` (which alternates 1, 2 from the start) on exactly ``growth[-1]`` slots, all
    in flagged blocks, no slot with the other frontier code, and ``size - sum(growth)``
    unseen slots (a distributed shard holds a part: only its shapes are checked).
    """
    from ..backends.numba_rank import count_code, count_in_blocks

    def corrupt(what: str) -> CheckpointError:
        return CheckpointError(
            f"checkpoint {str(where)!r} is corrupt: {what}; delete the folder (or use another one) to start afresh"
        )

    depth, growth, arrays = state.depth, state.growth, state.arrays
    finished = bool(state.extra.get("finished"))
    width = graph.state_length
    for name, a in arrays.items():
        kind = name.split("-")[0]
        if kind == "layer" or kind == "last":
            d = depth if kind == "last" else int(name.split("-")[1])
            if kind == "last" and not finished:
                raise corrupt("a running search's checkpoint holds a last layer")
            if a.shape != (growth[d], width):
                raise corrupt(f"{name} has shape {a.shape}, the growth says {growth[d]} states of {width}")
        elif finished or int(name.split("-")[1]) != depth:
            raise corrupt(f"array {name!r} does not belong to this checkpoint (depth {depth})")
    if finished:
        check_finished(graph, growth, where)
        return
    if "code_f" not in state.extra or state.extra["code_f"] != 1 + depth % 2 or type(state.extra["code_f"]) is not int:
        raise corrupt(f"code_f {state.extra.get('code_f')!r} does not fit depth {depth}")
    codes, flags = arrays.get(f"codes-{depth:06d}"), arrays.get(f"flags-{depth:06d}")
    if codes is None or flags is None:
        raise corrupt("the code array is missing")
    lay = kern.lay
    if codes.dtype != np.uint64 or flags.dtype != np.uint8:
        raise corrupt(f"the code and flag arrays are {codes.dtype} and {flags.dtype}, not uint64 and uint8")
    if sharded:
        return
    if codes.shape != (lay.nwords,) or flags.shape != (lay.nblocks,):
        raise corrupt("the code arrays do not match this graph's rank layout")
    code_f = 1 + depth % 2
    if (
        flags.max(initial=0) > 1
        or count_code(codes, code_f) != growth[-1]
        or count_code(codes, 3 - code_f) != 0
        or count_code(codes, 0) != lay.size - sum(growth)
        or count_in_blocks(codes, np.flatnonzero(flags == 0), lay.bwords, code_f).any()
    ):
        raise corrupt("the code array does not match the growth")


class RankStep:
    """The rank engine as a :class:`~cayley.graphs.layers.SearchStep`: the kernels hold a
    2-bit code per rank (frontier code ``code_f`` alternates 1, 2 from the start); layers
    are found top-down (``push``) or, once the frontier outgrows the unseen ranks,
    bottom-up (``pull``). Small layers are recorded as states (lexicographic order).
    Checkpoints hold the codes as they stand at a layer's end, saved at most every
    ``checkpoint_seconds``; a distributed run (``kern`` a
    :class:`~cayley.backends.registry.ShardedKernels`) saves one shard per process.
    """

    engine = "rank"

    def __init__(
        self,
        graph: CayleyGraph,
        kern: RankKernels,
        ranking: Any,
        lay: Any,
        *,
        store_layers_up_to: int = 1000,
        last_layer_limit: int = 1_000_000,
        checkpoint_seconds: float = 60.0,
        sharded: bool = False,
    ) -> None:
        self.graph, self.kern, self.ranking, self.lay = graph, kern, ranking, lay
        self.backend = kern.name
        self.sharded = self.shares_folder = sharded
        self.k = len(graph.generators)
        self.store_up_to, self.last_limit = store_layers_up_to, last_layer_limit
        self.record_limit = max(store_layers_up_to, last_layer_limit)
        self.checkpoint_seconds = checkpoint_seconds
        self.start_idx = int(lay.rank_to_index(ranking.rank(graph.start.reshape(1, -1)))[0])
        self.layers: dict[int, np.ndarray] = {}
        self.code_f = 1
        self.frontier_idx: Optional[np.ndarray] = None
        self.last_save = time.perf_counter()
        self.saved_last: Optional[np.ndarray] = None

    def decode(self, idx: np.ndarray) -> np.ndarray:
        """The states at code slots ``idx``, in lexicographic order."""
        states = np.asarray(self.ranking.unrank(self.lay.index_to_rank(np.sort(idx))))
        if self.ranking.kind == "pieces" and len(states) > 1:  # rank order is not lexicographic there
            states = states[np.lexsort(states.T[::-1])]
        return states

    def expected_order(self) -> Optional[int]:
        try:
            return int(self.graph.order())
        except Exception:  # the order is a nicety for progress; never fail the search on it
            return None

    def open_checkpoint(self, folder: str) -> CheckpointStore:
        if self.sharded:  # a distributed run saves one shard per process
            kern = cast(ShardedKernels, self.kern)
            return ShardedCheckpoint(folder, self.graph, rank=kern.rank, world=kern.world, gather=kern.gather_object)
        return Checkpoint(folder, self.graph, engine="rank")

    def check_state(self, state: CheckpointState, where: str) -> None:
        check_rank_state(state, self.graph, self.kern, where, sharded=self.sharded)

    @staticmethod
    def _saved_layers(state: CheckpointState) -> dict[int, np.ndarray]:
        return {int(k.split("-")[1]): v for k, v in state.arrays.items() if k.startswith("layer-")}

    def cut_arrays(self, state: CheckpointState, depth: int) -> tuple[dict[int, np.ndarray], Optional[np.ndarray]]:
        saved = self._saved_layers(state)
        return saved, (saved.get(depth) if state.growth[depth] <= self.last_limit else None)

    def start(self) -> None:
        if self.store_up_to >= 1:
            self.layers[0] = self.graph.start.reshape(1, -1).copy()
        self.kern.reset(self.start_idx)
        self.code_f = 1
        self.frontier_idx = np.array([self.start_idx], np.int64)
        self.last_save = time.perf_counter()

    def resume(self, state: CheckpointState) -> tuple[list[int], bool]:
        self.layers = self._saved_layers(state)
        if state.extra.get("finished"):
            self.saved_last = state.arrays.get("last")
            return list(state.growth), True
        depth = state.depth
        codes, flags = state.arrays.pop(f"codes-{depth:06d}"), state.arrays.pop(f"flags-{depth:06d}")
        self.kern.restore(codes, flags)
        del codes, flags
        self.code_f = int(state.extra["code_f"])
        self.frontier_idx = None
        self.last_save = time.perf_counter()
        return list(state.growth), False

    def expand(self, growth: list[int], total: int) -> int:
        kern, depth, size = self.kern, len(growth) - 1, growth[-1]
        record = size <= self.record_limit
        if kern.can_pull and pull_is_cheaper(self.lay.size - total, size, self.k, self.lay.nwords):
            self.frontier_idx = kern.extract(self.code_f) if record else None
            new = kern.pull(self.code_f)
        else:
            new, self.frontier_idx = kern.push(self.code_f, record_size=size if record else None)
        if self.frontier_idx is not None and depth > 0 and size <= self.store_up_to:
            self.layers[depth] = self.decode(self.frontier_idx)
        if new:  # the frontier moves on; its slots are kept only for a search that ended
            self.code_f = 3 - self.code_f
            self.frontier_idx = None
        return int(new)

    def save_due(self) -> bool:
        due = time.perf_counter() - self.last_save >= self.checkpoint_seconds
        # distributed: every process saves at the same layers
        return cast(ShardedKernels, self.kern).agree(due) if self.sharded else due

    def save(self, ck: CheckpointStore, growth: list[int], finished: bool) -> None:
        arrays: dict[str, Optional[np.ndarray]] = {f"layer-{d:06d}": a for d, a in self.layers.items()}
        depth = len(growth) - 1
        if finished:
            if self.frontier_idx is not None and growth[-1] <= self.last_limit:
                arrays["last"] = self.decode(self.frontier_idx)
            ck.save(depth=depth, growth=growth, arrays=arrays, extra={"finished": True})
        else:
            # the codes as they stand at a layer's end (a device copies them to the host)
            arrays[f"codes-{depth:06d}"], arrays[f"flags-{depth:06d}"] = self.kern.host_arrays()
            ck.save(depth=depth, growth=growth, arrays=arrays, extra={"code_f": self.code_f})
            self.last_save = time.perf_counter()

    def stopped(self, ck: Optional[CheckpointStore], growth: list[int]) -> None:
        if ck is not None:
            self.save(ck, growth, False)  # save where it stands, so a rerun resumes
        size = growth[-1]
        if size <= self.record_limit:
            self.frontier_idx = self.kern.extract(self.code_f)
            if size <= self.store_up_to:
                self.layers[len(growth) - 1] = self.decode(self.frontier_idx)

    def closed(self) -> bool:
        return not self.kern.probe(self.code_f)

    def result_arrays(self, growth: list[int], completed: bool) -> tuple[dict[int, np.ndarray], Optional[np.ndarray]]:
        last = None
        if self.saved_last is not None:
            last = self.saved_last
        elif growth[-1] <= self.last_limit and self.frontier_idx is not None:
            last = self.layers.get(len(growth) - 1)
            if last is None:
                last = self.decode(self.frontier_idx)
        return self.layers, last


def rank_step(
    graph: CayleyGraph, backend: str = "cpu", device: Optional[str] = None, work_bytes: Optional[int] = None,
    **outputs: Any,
) -> RankStep:
    """The rank engine's :class:`RankStep` for ``graph`` on the kernels of family
    ``backend`` (:data:`~cayley.backends.registry.RANK_KERNEL_NAMES`) and ``device``;
    ``outputs`` are the step's keywords (``store_layers_up_to``, ``last_layer_limit``,
    ``checkpoint_seconds``).

    >>> from cayley import CayleyGraph
    >>> rank_step(CayleyGraph.from_spec("S_5", "lrx"), last_layer_limit=10).backend
    'cpu'
    """
    ranking, lay = layout(graph)
    kern = rank_kernels(backend, device, ranking, lay, graph.action(), work_bytes)
    return RankStep(graph, kern, ranking, lay, sharded=backend == "distributed", **outputs)


_LOOP_OPTIONS = ("max_depth", "max_states", "progress", "checkpoint")


def rank_bfs(
    graph: CayleyGraph, *, backend: str = "cpu", device: Optional[str] = None, work_bytes: Optional[int] = None,
    **options: Any,
) -> BfsResult:
    """Breadth-first search from ``graph.start`` with the rank engine.

    ``options`` are those of :func:`cayley.bfs` (``max_depth``, ``max_states``,
    ``store_layers_up_to``, ``last_layer_limit``, ``progress``, ``checkpoint``,
    ``checkpoint_seconds``), with its result (``engine="rank"``); layers are
    stored in lexicographic order of their states. With ``checkpoint`` (a folder) the
    code array is saved atomically between layers, at most every ``checkpoint_seconds``
    (0: after every layer) and whenever the search stops; a run with the same graph and
    folder resumes from it to the identical result (a run holds the folder's lock, and
    honours limits smaller than the saved run's). ``backend`` is a rank kernel family
    (:data:`~cayley.backends.registry.RANK_KERNEL_NAMES`): ``"cpu"`` (numba) or
    ``"torch"`` (on ``device``: ``"cpu"``, ``"cuda"``; default CUDA when available, with
    ``work_bytes`` for its batches); the one layer loop runs either backend's primitives,
    and both keep the same code layout, so a checkpoint written by one resumes on the other.

    >>> from cayley import CayleyGraph
    >>> r = rank_bfs(CayleyGraph.from_spec("S_5", "lrx"), max_depth=2)
    >>> r.growth, r.completed, r.stop_reason, len(r.last_layer)
    ((1, 3, 6), False, 'max_depth', 6)
    """
    loop = {name: options.pop(name) for name in _LOOP_OPTIONS if name in options}
    check_limits(loop.get("max_depth"), loop.get("max_states"))
    t0 = time.perf_counter()
    return bfs_layers(rank_step(graph, backend, device, work_bytes, **options), t0=t0, **loop)
