"""The rank engine: BFS over a 2-bit code per rank of a perfect ranking (numba, CPU).

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

import logging
import time
from contextlib import nullcontext
from typing import Callable, Optional

import numpy as np

from .. import __version__
from ..errors import InvalidInputError
from .bfs import BfsResult, Progress, _action, _cut_result, limit_cut
from .checkpoint import Checkpoint, CheckpointError, ShardedCheckpoint, check_finished, checkpoint_lock
from .graph import CayleyGraph
from .memory import peak_rss_bytes

__all__ = ["piece_ranking", "rank_bfs", "rank_memory_bytes", "ranking_kind", "supports"]

log = logging.getLogger(__name__)

_BASE_BYTES = 180 * 2**20  # interpreter, numpy, numba, LLVM and the compiled kernels (measured ~170 MB)
_TORCH_BASE_BYTES = 200 * 2**20  # importing torch (CPU build: measured ~190 MB more RSS)
_TORCH_WORK_BYTES = 256 * 2**20  # the torch backend's default batch budget on the CPU
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


def _pull_is_cheaper(unseen: int, frontier: int, k: int, nwords: int) -> bool:
    return unseen < PULL_RATIO * frontier and frontier * k >= PULL_MIN_WORK * nwords


def _ranking(graph: CayleyGraph):
    from ..backends.ranking import MixedRadixRanking, ranking_for

    if graph.is_matrix:  # every n x c matrix over Z/m, ranked as a base-m number
        m, length = graph.symbols, graph.state_length
        return MixedRadixRanking(m, length) if MixedRadixRanking.fits(m, length) else None
    plain = ranking_for(graph.start)
    pieces = piece_ranking(graph)
    if pieces is not None and (plain is None or 4 * pieces.size < plain.size):
        return pieces
    return plain


def ranking_kind(graph: CayleyGraph) -> Optional[str]:
    """The kind of the rank engine's ranking for ``graph`` (``"permutations"``,
    ``"multiset"``, ``"mixed_radix"``, ``"pieces"``), or None when it has none.

    >>> ranking_kind(CayleyGraph.from_spec("S_8", "burnt_pancake")), ranking_kind(CayleyGraph.from_spec("S_8", "lrx"))
    ('pieces', 'permutations')
    """
    ranking = _ranking(graph)
    return None if ranking is None else ranking.kind


def piece_ranking(graph: CayleyGraph):
    """The ranking of ``graph``'s states by pieces (blocks with orientations: signed
    permutations, puzzles' cubies), or None when its start repeats labels or the pieces
    have too many arrangements.

    >>> piece_ranking(CayleyGraph.from_spec("S_12", "burnt_pancake")).size   # 2^6 6!
    46080
    """
    from ..backends.pieces import MAX_RANKS, PieceRanking
    from ..groups.blocks import piece_structure

    start = np.asarray(graph.start)
    n = start.shape[0]
    if graph.is_matrix or n > 512 or len(np.unique(start)) != n:
        return None
    ps = piece_structure(graph.generators.perms)
    if ps is None or ps.size > MAX_RANKS:
        return None
    try:
        return PieceRanking(start, [(k.blocks, k.rotational) for k in ps.kinds])
    except ValueError:  # pieces the ranking does not cover (too many, or too wide to orient)
        return None


def supports(graph: CayleyGraph) -> bool:
    """Whether the rank engine can search ``graph``: its states (the rearrangements of the
    start) have a perfect ranking with fewer than about 2**41 ranks.

    >>> from cayley import CayleyGraph
    >>> supports(CayleyGraph.from_spec("S_10", "lrx")), supports(CayleyGraph.from_spec("S_16", "lrx"))
    (True, False)
    """
    return _ranking(graph) is not None


def _layout(graph: CayleyGraph):
    from ..backends.numba_rank import MultisetLayout, PermLayout

    ranking = _ranking(graph)
    if ranking is None:
        raise InvalidInputError(
            f"{graph.name}: the rank engine needs states with a perfect ranking of at most 2**41 ranks "
            f"(permutations of up to 15 symbols, or strings with that many arrangements); use engine='hash'"
        )
    if ranking.kind == "permutations":
        return ranking, PermLayout(ranking.n)
    return ranking, MultisetLayout(ranking)  # any flat ranking


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
    ranking = _ranking(graph)
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
    table = ranking.cum.nbytes if ranking.kind == "multiset" else 0
    # the last layer: its recorded indices, sorted copy, and the decoded (m, n) states
    last = min(last_layer_limit, ranking.size) * (8 * 3 + 8 * graph.state_length)
    if backend == "cpu":
        return int(_BASE_BYTES + 8 * words + 3 * blocks + table + last)
    device = (8 * words + 2 * blocks + _TORCH_WORK_BYTES) if on_host else 0
    return int(_BASE_BYTES + _TORCH_BASE_BYTES + device + table + last)


def _finished_result(graph: CayleyGraph, state, t0: float, backend: str) -> BfsResult:
    """The result of a search whose checkpoint says it finished."""
    layers = {int(k.split("-")[1]): v for k, v in state.arrays.items() if k.startswith("layer-")}
    return BfsResult(
        graph=graph,
        growth=tuple(state.growth),
        completed=True,
        last_layer=state.arrays.get("last"),
        layers=layers,
        engine="rank",
        backend=backend,
        version=__version__,
        seconds=time.perf_counter() - t0,
        peak_memory_bytes=peak_rss_bytes(),
        stop_reason="exhausted",
    )


def _kernels(backend: str, device, ranking, lay, perms, work_bytes: Optional[int]):
    """The backend primitives: numba (``cpu``) or torch on ``device`` (``torch``)."""
    from ..backends.actions import MatrixAction

    if isinstance(perms, MatrixAction):
        if backend not in ("cpu", "numba"):
            raise InvalidInputError(
                "the rank engine runs matrix groups on the numba CPU backend only; use --backend cpu "
                "(or --engine hash, which has a torch backend)"
            )
        from ..backends.numba_matrix_rank import NumbaMatrixRankKernels

        return NumbaMatrixRankKernels(ranking, lay, perms)
    if ranking.kind == "pieces" and backend not in ("cpu", "numba"):
        raise InvalidInputError(
            "the rank engine runs piece rankings (signed permutations, puzzles) on the numba CPU backend only; "
            "use --backend cpu (or --engine hash, which has a torch backend)"
        )
    if backend in ("cpu", "numba"):
        from ..backends.numba_rank import NumbaRankKernels

        return NumbaRankKernels(ranking, lay, perms)
    if backend == "distributed":
        from ..backends.distributed_rank import ShardedRankKernels

        return ShardedRankKernels(ranking, lay, perms, work_bytes=work_bytes)
    if backend in ("torch", "fused"):
        from ..backends.cuda_rank import CudaRankKernels, fused_available

        # permutations on a GPU take the fused kernels when CuPy can compile them;
        # "fused" asks for them anywhere (on a CPU device: their host-compiled emulation)
        if lay.kind == "permutations" and (backend == "fused" or fused_available(device)):
            return CudaRankKernels(ranking, lay, perms, device=device, work_bytes=work_bytes)
        from ..backends.torch_rank import TorchRankKernels

        return TorchRankKernels(ranking, lay, perms, device=device, work_bytes=work_bytes)
    raise InvalidInputError(f"unknown rank-engine backend {backend!r}: expected cpu, torch, fused or distributed")


def _check_rank_state(state, graph: CayleyGraph, kern, where, sharded: bool) -> None:
    """A rank-engine checkpoint's arrays against its growth, before any kernel sees them.

    A finished one holds layers (and the last layer) of the sizes its growth says, and the
    whole orbit. A running one holds the code and flag arrays of its depth, with the code
    ``code_f`` (which alternates 1, 2 from the start) on exactly ``growth[-1]`` slots, all
    in flagged blocks, no slot with the other frontier code, and ``size - sum(growth)``
    unseen slots (a distributed shard holds a part: only its shapes are checked).
    """
    from ..backends.numba_rank import count_code, count_in_blocks

    def corrupt(what):
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


def rank_bfs(
    graph: CayleyGraph,
    *,
    max_depth: Optional[int] = None,
    max_states: Optional[int] = None,
    store_layers_up_to: int = 1000,
    last_layer_limit: int = 1_000_000,
    progress: Optional[Callable[[Progress], None]] = None,
    checkpoint: Optional[str] = None,
    checkpoint_seconds: float = 60.0,
    backend: str = "cpu",
    device=None,
    work_bytes: Optional[int] = None,
) -> BfsResult:
    """Breadth-first search from ``graph.start`` with the rank engine.

    Same parameters and result as :func:`cayley.bfs` (``engine="rank"``); layers are
    stored in lexicographic order of their states. With ``checkpoint`` (a folder) the
    code array is saved atomically between layers, at most every ``checkpoint_seconds``
    (0: after every layer) and whenever the search stops; a run with the same graph and
    folder resumes from it to the identical result (a run holds the folder's lock, and
    honours limits smaller than the saved run's). ``backend`` is ``"cpu"`` (numba) or
    ``"torch"`` (on ``device``: ``"cpu"``, ``"cuda"``; default CUDA when available, with
    ``work_bytes`` for its batches); this one driver runs either backend's primitives,
    and both keep the same code layout, so a checkpoint written by one resumes on the other.

    >>> from cayley import CayleyGraph
    >>> r = rank_bfs(CayleyGraph.from_spec("S_5", "lrx"), max_depth=2)
    >>> r.growth, r.completed, r.stop_reason, len(r.last_layer)
    ((1, 3, 6), False, 'max_depth', 6)
    """
    # a distributed run's processes share the folder (each its own shard)
    lock = checkpoint_lock(checkpoint) if checkpoint is not None and backend != "distributed" else nullcontext()
    with lock:
        return _rank_bfs(
            graph, max_depth=max_depth, max_states=max_states, store_layers_up_to=store_layers_up_to,
            last_layer_limit=last_layer_limit, progress=progress, checkpoint=checkpoint,
            checkpoint_seconds=checkpoint_seconds, backend=backend, device=device, work_bytes=work_bytes,
        )


def _rank_bfs(
    graph: CayleyGraph,
    *,
    max_depth: Optional[int] = None,
    max_states: Optional[int] = None,
    store_layers_up_to: int = 1000,
    last_layer_limit: int = 1_000_000,
    progress: Optional[Callable[[Progress], None]] = None,
    checkpoint: Optional[str] = None,
    checkpoint_seconds: float = 60.0,
    backend: str = "cpu",
    device=None,
    work_bytes: Optional[int] = None,
) -> BfsResult:
    if max_depth is not None and max_depth < 0:
        raise InvalidInputError(f"max_depth must be >= 0, got {max_depth}")
    if max_states is not None and max_states < 1:
        raise InvalidInputError(f"max_states must be >= 1, got {max_states}")
    t0 = time.perf_counter()
    ranking, lay = _layout(graph)
    perms = _action(graph)
    kern = _kernels(backend, device, ranking, lay, perms, work_bytes)
    expected = None
    if progress is not None:
        try:
            expected = graph.order()
        except Exception:  # the order is a nicety for progress; never fail the search on it
            expected = None

    start_idx = int(lay.rank_to_index(ranking.rank(graph.start.reshape(1, -1)))[0])
    growth = [1]
    layers: dict[int, np.ndarray] = {}
    if store_layers_up_to >= 1:
        layers[0] = graph.start.reshape(1, -1).copy()
    ck = None
    if checkpoint is not None:  # a distributed run saves one shard per process
        if hasattr(kern, "gather_object"):
            ck = ShardedCheckpoint(checkpoint, graph, rank=kern.rank, world=kern.world, gather=kern.gather_object)
        else:
            ck = Checkpoint(checkpoint, graph, engine="rank")
    agree = getattr(kern, "agree", bool)  # distributed: every process saves at the same layers
    state = ck.load(clean=True) if ck is not None else None
    if state is not None:
        _check_rank_state(state, graph, kern, checkpoint, sharded=isinstance(ck, ShardedCheckpoint))
        log.warning("resuming from depth %d (%s, checkpoint %s)", state.depth, graph.name, checkpoint)
        cut = limit_cut(state.growth, max_depth, max_states)
        if cut is not None and cut[0] < state.depth:  # a smaller limit than the saved run's
            saved = {int(k.split("-")[1]): v for k, v in state.arrays.items() if k.startswith("layer-")}
            last = saved.get(cut[0]) if state.growth[cut[0]] <= last_layer_limit else None
            return _cut_result(graph, state.growth, cut, saved, last, "rank", kern.name, t0)
    if state is not None and state.extra.get("finished"):
        return _finished_result(graph, state, t0, kern.name)
    if state is not None:
        depth = state.depth
        codes, flags = state.arrays.pop(f"codes-{depth:06d}"), state.arrays.pop(f"flags-{depth:06d}")
        kern.restore(codes, flags)
        del codes, flags
        code_f = int(state.extra["code_f"])
        growth = list(state.growth)
        layers = {int(k.split("-")[1]): v for k, v in state.arrays.items() if k.startswith("layer-")}
    else:
        kern.reset(start_idx)
        code_f = 1
    last_save = time.perf_counter()

    def save(finished: bool = False, last_idx: Optional[np.ndarray] = None) -> None:
        arrays = {f"layer-{d:06d}": a for d, a in layers.items()}
        depth = len(growth) - 1
        if finished:
            if last_idx is not None:
                arrays["last"] = decode(last_idx)
            ck.save(depth=depth, growth=growth, arrays=arrays, extra={"finished": True})
        else:
            # the codes as they stand at a layer's end (a device copies them to the host)
            arrays[f"codes-{depth:06d}"], arrays[f"flags-{depth:06d}"] = kern.host_arrays()
            ck.save(depth=depth, growth=growth, arrays=arrays, extra={"code_f": code_f})

    def decode(idx: np.ndarray) -> np.ndarray:
        states = ranking.unrank(lay.index_to_rank(np.sort(idx)))
        if ranking.kind == "pieces" and len(states) > 1:  # rank order is not lexicographic there
            states = states[np.lexsort(states.T[::-1])]
        return states

    record_limit = max(store_layers_up_to, last_layer_limit)
    total = sum(growth)
    frontier_idx: Optional[np.ndarray] = np.array([start_idx], np.int64) if len(growth) == 1 else None
    stop_reason = "exhausted"
    while True:
        depth = len(growth) - 1
        if max_depth is not None and depth >= max_depth:
            stop_reason = "max_depth"
            break
        if max_states is not None and total >= max_states:
            stop_reason = "max_states"
            break
        size = growth[-1]
        if kern.can_pull and _pull_is_cheaper(lay.size - total, size, len(perms), lay.nwords):
            frontier_idx = kern.extract(code_f) if size <= record_limit else None
            new = kern.pull(code_f)
        else:
            new, frontier_idx = kern.push(code_f, record_size=size if size <= record_limit else None)
        if frontier_idx is not None and depth > 0 and size <= store_layers_up_to:
            layers[depth] = decode(frontier_idx)
        if new == 0:
            if ck is not None:
                save(finished=True, last_idx=frontier_idx if size <= last_layer_limit else None)
            break
        growth.append(new)
        total += new
        code_f = 3 - code_f
        frontier_idx = None
        if ck is not None and agree(time.perf_counter() - last_save >= checkpoint_seconds):
            save()
            last_save = time.perf_counter()
        if progress is not None:
            progress(Progress(depth + 1, new, total, time.perf_counter() - t0, peak_rss_bytes(), expected))

    completed = stop_reason == "exhausted"
    if not completed:
        if ck is not None:
            save()  # a limit stopped the search: save where it stands, so a rerun resumes
        size = growth[-1]
        if size <= record_limit:
            frontier_idx = kern.extract(code_f)
            if size <= store_layers_up_to:
                layers[len(growth) - 1] = decode(frontier_idx)
        # a limit hit exactly at the end of the graph still counts as exhausted
        if not kern.probe(code_f):
            completed = True
            stop_reason = "exhausted"
    last = None
    if growth[-1] <= last_layer_limit and frontier_idx is not None:
        last = layers.get(len(growth) - 1)
        if last is None:
            last = decode(frontier_idx)
    return BfsResult(
        graph=graph,
        growth=tuple(int(x) for x in growth),
        completed=completed,
        last_layer=last,
        layers=layers,
        engine="rank",
        backend=kern.name,
        version=__version__,
        seconds=time.perf_counter() - t0,
        peak_memory_bytes=peak_rss_bytes(),
        stop_reason=stop_reason,
    )
