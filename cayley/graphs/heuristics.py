"""Heuristics for path finding: estimates of the distance from a state to a target.

A heuristic is any callable that scores a batch of states, an ``(m, n)`` integer array,
with an ``(m,)`` array of floats; lower is closer to the target (the :class:`Heuristic`
protocol). Beam search calls it once per step on all candidate states; neural heuristics
(:mod:`cayley.nn`) implement the same protocol. A heuristic that also accepts torch
tensors (and returns one) says so with ``supports_torch = True``.

Classical heuristics here:

- :class:`Hamming`: the number of positions that differ from the target.
- :class:`Breakpoints`: adjacencies of the target broken in the state; a lower bound for
  prefix reversals (pancake, the gap heuristic) and, halved, for substring reversals.
- :class:`PatternDatabase`: the exact distance table of a projection of the graph, a
  Schreier graph where some symbols are made equal; an admissible lower bound, exact when
  no symbols are merged.
- :class:`MaxOf`: the largest of several heuristics (admissible when they all are).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Literal, Optional, Protocol, Sequence, runtime_checkable

import numpy as np

from ..backends.packing import packing
from ..errors import InvalidInputError, InvalidStateError, MemoryEstimateError, NoPathError
from ..groups.perm import inverse
from .graph import CayleyGraph
from .layers import run_layers
from .paths.common import Path, Scorer, StateLike, as_state, finish
from .paths.common import cpu_backend as _be, kernels as K

__all__ = ["Heuristic", "Hamming", "Breakpoints", "PatternDatabase", "MaxOf", "default_heuristic"]

log = logging.getLogger(__name__)


@runtime_checkable
class Heuristic(Protocol):
    """Scores a batch of states: ``(m, n)`` integers -> ``(m,)`` floats, lower is closer.

    Examples
    --------
    >>> isinstance(Hamming([0, 1, 2]), Heuristic)
    True
    """

    def __call__(self, states: np.ndarray) -> np.ndarray: ...


def _is_torch(x: object) -> bool:
    return type(x).__module__.split(".")[0] == "torch"


def _target_array(target: StateLike, what: str = "target") -> np.ndarray:
    if isinstance(target, str):
        from ..groups.parse import parse_state

        return parse_state(target)
    t = np.asarray(target)
    if t.ndim != 1 or not np.issubdtype(t.dtype, np.integer):
        raise InvalidStateError(f"{what} must be a flat list of integers, got {target!r}")
    return t.astype(np.int64)


# batches smaller than this are scored in numpy (no numba import, no parallel launch)
_NUMPY_BELOW = 4096
# pattern-database look-ups rank batches smaller than this in one thread: ranking is
# O(n) per state, and a parallel launch on busy cores waits for descheduled threads
_SERIAL_RANK_BELOW = 1 << 16


def _as_int64(s: np.ndarray) -> np.ndarray:
    """A C-contiguous integer array for the kernels; integer inputs keep their dtype
    (uint8 beams stay 8x smaller than int64; numba compiles one kernel per dtype)."""
    if s.dtype.kind in "iu":
        return np.ascontiguousarray(s)
    return np.ascontiguousarray(s, dtype=np.int64)


def _check_batch(states: Any, n: int) -> np.ndarray:
    s = np.asarray(states)
    if s.ndim == 1:
        s = s.reshape(1, -1)
    if s.ndim != 2 or s.shape[1] != n:
        raise InvalidInputError(f"states must have shape (m, {n}), got {s.shape}")
    return s


class Hamming:
    """Number of positions where the state differs from ``target``.

    Examples
    --------
    >>> h = Hamming([0, 1, 2, 3])
    >>> h(np.array([[0, 1, 2, 3], [1, 0, 2, 3], [3, 2, 1, 0]])).tolist()
    [0.0, 2.0, 4.0]
    """

    supports_torch = True

    def __init__(self, target: StateLike):
        self.target = _target_array(target)
        self._torch_cache: dict[str, Any] = {}

    def __call__(self, states: Any) -> Any:
        if _is_torch(states):
            t = _torch_const(self._torch_cache, self.target, states.device)
            return (states != t).sum(dim=1).to(dtype=_torch_float())
        s = _check_batch(states, len(self.target))
        if len(s) < _NUMPY_BELOW:
            return np.count_nonzero(s != self.target, axis=1).astype(np.float64)
        return K.hamming(_as_int64(s), self.target)

    def __repr__(self) -> str:
        return f"Hamming(target={self.target.tolist()})"


class Breakpoints:
    """Adjacencies of ``target`` that the state breaks.

    With the state relabelled so that ``target`` reads ``0, 1, ..., n-1``, a breakpoint is a
    pair of neighbouring positions whose symbols differ by more than one.

    - ``kind="pancake"`` (prefix reversals): the gap heuristic. The last position counts
      a breakpoint unless it holds ``n - 1`` (the plate). A prefix reversal changes only
      one adjacency, so the count is a lower bound on the distance.
    - ``kind="reversals"`` (substring reversals): both ends are framed by ``-1`` and ``n``;
      a reversal changes two adjacencies, so half the count is a lower bound.

    The target must be a permutation (no repeated symbols).

    Examples
    --------
    >>> h = Breakpoints([0, 1, 2, 3, 4])
    >>> h(np.array([[0, 1, 2, 3, 4], [2, 1, 0, 3, 4], [4, 3, 2, 1, 0], [1, 0, 2, 3, 4]])).tolist()
    [0.0, 1.0, 1.0, 1.0]
    >>> Breakpoints([0, 1, 2, 3, 4], kind="reversals")(np.array([[0, 3, 2, 1, 4]])).tolist()
    [1.0]
    """

    supports_torch = True

    def __init__(self, target: StateLike, *, kind: Literal["pancake", "reversals"] = "pancake"):
        t = _target_array(target)
        if len(np.unique(t)) != len(t):
            raise InvalidStateError(f"breakpoints need a target without repeated symbols, got {t.tolist()}")
        if kind not in ("pancake", "reversals"):
            raise InvalidInputError(f"unknown breakpoint kind {kind!r}: expected pancake or reversals")
        self.target = t
        self.kind = kind
        # relabel: symbol v -> its position in the target, so the target reads 0..n-1
        self._pos = np.zeros(int(t.max()) + 1, dtype=np.int64)
        self._pos[t] = np.arange(len(t))
        self._torch_cache: dict[str, Any] = {}

    def __call__(self, states: Any) -> Any:
        n = len(self.target)
        if _is_torch(states):
            s = _torch_const(self._torch_cache, self._pos, states.device)[states.long()]
            gaps = ((s[:, 1:] - s[:, :-1]).abs() != 1).sum(dim=1)
            if self.kind == "pancake":
                gaps = gaps + (s[:, -1] != n - 1).to(gaps.dtype)
                return gaps.to(dtype=_torch_float())
            gaps = gaps + (s[:, 0] != 0).to(gaps.dtype) + (s[:, -1] != n - 1).to(gaps.dtype)
            return gaps.to(dtype=_torch_float()) / 2
        s = _check_batch(states, n)
        if len(s) >= _NUMPY_BELOW:
            if s.min() < 0 or s.max() >= len(self._pos):
                raise InvalidStateError(f"states hold symbols outside the target's {self.target.tolist()}")
            return K.breakpoints(_as_int64(s), self._pos, self.kind == "pancake")
        s = self._pos[s]
        gaps = np.count_nonzero(np.abs(np.diff(s, axis=1)) != 1, axis=1)
        if self.kind == "pancake":
            return (gaps + (s[:, -1] != n - 1)).astype(np.float64)
        return (gaps + (s[:, 0] != 0) + (s[:, -1] != n - 1)) / 2.0

    def __repr__(self) -> str:
        return f"Breakpoints(target={self.target.tolist()}, kind={self.kind!r})"


class MaxOf:
    """The largest of several heuristics' scores, state by state.

    Examples
    --------
    >>> h = MaxOf([Hamming([0, 1, 2]), Breakpoints([0, 1, 2])])
    >>> h(np.array([[2, 1, 0], [1, 0, 2]])).tolist()
    [2.0, 2.0]
    """

    def __init__(self, heuristics: Sequence[Scorer]):
        self.heuristics = tuple(heuristics)
        if not self.heuristics:
            raise InvalidInputError("MaxOf needs at least one heuristic")

    def __call__(self, states: np.ndarray) -> np.ndarray:
        out: Optional[np.ndarray] = None
        for h in self.heuristics:
            v = np.asarray(h(states), dtype=np.float64).reshape(-1)
            out = v if out is None else np.maximum(out, v)
        assert out is not None  # __init__ refuses an empty MaxOf
        return out


def default_heuristic(graph: CayleyGraph, target: Optional[StateLike] = None) -> Heuristic:
    """The classical heuristic cayley picks for a graph: breakpoints for the pancake and
    reversal families, Hamming distance otherwise.

    Examples
    --------
    >>> default_heuristic(CayleyGraph.from_spec("S_5", "pancake"))
    Breakpoints(target=[0, 1, 2, 3, 4], kind='pancake')
    >>> default_heuristic(CayleyGraph.from_spec("S_4", "lrx"))
    Hamming(target=[0, 1, 2, 3])
    """
    t = graph.start if target is None else as_state(graph, target, "target")
    distinct = len(np.unique(t)) == len(t)
    fam = graph.generators.family
    if distinct and fam == "pancake":
        return Breakpoints(t, kind="pancake")
    if distinct and fam == "full_reversals":
        return Breakpoints(t, kind="reversals")
    return Hamming(t)


# -------------------------------------------------------------------------------------
# pattern databases
# -------------------------------------------------------------------------------------
class PatternDatabase:
    """Exact distances to the target in a projection of the graph, as a heuristic.

    The projection maps each symbol ``v`` to ``classes[v]``; states whose projections
    agree are merged, which gives the Schreier graph of the generators acting on the
    projected strings. Because projecting commutes with acting, a path in the graph
    projects to a path in the projection, so the projected distance never exceeds the
    true one (an admissible heuristic); with every symbol in its own class it *is* the
    true distance, and :meth:`path` walks a shortest path down the table.

    Built by :meth:`build` with one breadth-first search from the projected target by the
    inverse generators (the distance *to* the target, also in directed graphs). Stored as
    one byte per state indexed by a perfect ranking of the projected strings when one
    exists (``index="rank"``), otherwise as an exact hash table of packed states
    (``index="hash"``).

    Examples
    --------
    >>> g = CayleyGraph.from_spec("S_6", "pancake")
    >>> pdb = PatternDatabase.build(g, classes=[0, 1, 2, 3, 3, 3])   # 0, 1, 2 stay distinct
    >>> pdb.size, pdb.exact
    (120, False)
    >>> s = np.array([[0, 1, 2, 3, 4, 5], [1, 0, 2, 3, 4, 5], [0, 1, 2, 5, 4, 3]])
    >>> pdb(s).tolist(), PatternDatabase.build(g)(s).tolist()   # a lower bound / exact
    ([0.0, 1.0, 0.0], [0.0, 1.0, 3.0])
    """

    def __init__(
        self,
        graph: CayleyGraph,
        target: np.ndarray,
        classes: np.ndarray,
        index: str,
        growth: tuple[int, ...],
        complete: bool,
        data: dict[str, Any],
        seconds: float,
    ):
        self.graph = graph
        self.target = target
        self.classes = classes
        self.pattern = classes[target]
        self._sorted_pattern = np.sort(self.pattern)
        self.index = index
        self.growth = growth
        self.complete = complete
        self.seconds = seconds
        self._data = data

    # -- construction --------------------------------------------------------------
    @classmethod
    def build(
        cls,
        graph: CayleyGraph,
        classes: Optional[Sequence[int]] = None,
        *,
        target: Optional[StateLike] = None,
        max_depth: Optional[int] = None,
        index: Literal["auto", "rank", "hash"] = "auto",
        memory_limit: Optional[int] = None,
        progress: Optional[Callable[[int, int], None]] = None,
    ) -> "PatternDatabase":
        """Breadth-first search of the projection from the projected target.

        Parameters
        ----------
        graph : CayleyGraph
        classes : sequence of int, optional
            ``classes[v]`` is the class of symbol ``v`` (symbols are ``0 .. s-1``, as in
            ``graph.start``); equal classes are merged. Default: every symbol its own class
            (the exact distance table of the whole graph).
        target : optional
            The state distances are measured to; default ``graph.start``.
        max_depth : int, optional
            Stop after this layer; states beyond it score ``max_depth + 1``.
        index : {"auto", "rank", "hash"}
            ``"rank"``: one byte per state of the projection (needs a perfect ranking);
            ``"hash"``: packed states found, in an exact hash table; ``"auto"``: rank
            when available and its table fits ``memory_limit``, else hash.
        memory_limit : int, optional
            Bytes; refuse (:class:`MemoryEstimateError`) a dense table larger than this.
            Default: the memory available.
        progress : callable, optional
            Called as ``progress(depth, layer_size)`` after each layer.
        """
        t0 = time.perf_counter()
        tgt = graph.start.copy() if target is None else as_state(graph, target, "target")
        nsym = graph.symbols
        if classes is None:
            cls_arr = np.arange(nsym, dtype=np.int64)
        else:
            c = np.asarray(classes)
            if c.ndim != 1 or len(c) != nsym or not np.issubdtype(c.dtype, np.integer):
                raise InvalidInputError(
                    f"classes must give one integer class per symbol (length {nsym}), got {classes!r}"
                )
            _, cls_arr = np.unique(c, return_inverse=True)  # dense class codes, order kept
            cls_arr = cls_arr.astype(np.int64).reshape(-1)
        if max_depth is not None and (not isinstance(max_depth, (int, np.integer)) or max_depth < 0):
            raise InvalidInputError(f"max_depth must be an integer >= 0, got {max_depth!r}")
        if index not in ("auto", "rank", "hash"):
            raise InvalidInputError(f"unknown index {index!r}: expected auto, rank or hash")
        pattern = cls_arr[tgt]
        inv = inverse(graph.generators.perms)  # BFS by inverses: distance *to* the target
        ranking = _ranking_for(pattern) if index in ("auto", "rank") else None
        if index == "rank" and ranking is None:
            raise InvalidInputError(
                f"no perfect ranking for projected strings like {pattern.tolist()}; use index='hash'"
            )
        if ranking is not None:
            from ..graphs.memory import available_memory_bytes

            limit = memory_limit if memory_limit is not None else available_memory_bytes()
            if ranking.size > limit and index == "auto":
                ranking = None  # the ambient space is too big for a table: index the orbit by hashing
        if ranking is not None:
            if ranking.size > limit:
                raise MemoryEstimateError(
                    f"a distance table of {ranking.size:,} states needs {ranking.size / 2**30:.2f} GiB, over the "
                    f"limit of {limit / 2**30:.2f} GiB; merge more symbols (classes) or pass max_depth with "
                    "index='hash'",
                    estimate_bytes=int(ranking.size),
                    limit_bytes=int(limit),
                )
            from .paths.tables import bfs_table

            table, growth = bfs_table(ranking, pattern, inv, max_depth, progress)
            complete = max_depth is None or len(growth) <= max_depth
            data = {"ranking": ranking, "table": table}
            kind = "rank"
        else:
            growth, complete, data = _hash_table(graph, pattern, inv, max_depth, progress)
            kind = "hash"
        log.info("pattern database %s: %d states, depth %d, %s index", graph.name, sum(growth), len(growth) - 1, kind)
        return cls(graph, tgt, cls_arr, kind, growth, complete, data, time.perf_counter() - t0)

    # -- properties ----------------------------------------------------------------
    @property
    def size(self) -> int:
        """Number of projected states with a known distance."""
        return int(sum(self.growth))

    @property
    def depth(self) -> int:
        """Largest distance in the table."""
        return len(self.growth) - 1

    @property
    def exact(self) -> bool:
        """True when no symbols are merged: the table holds true graph distances."""
        return len(np.unique(self.classes)) == len(self.classes)

    @property
    def nbytes(self) -> int:
        return int(sum(a.nbytes for a in self._data.values() if isinstance(a, np.ndarray)))

    def project(self, states: np.ndarray) -> np.ndarray:
        """The projected strings: ``classes[states]``."""
        return np.asarray(self.classes[_check_batch(states, self.graph.degree)])

    # -- look-up -------------------------------------------------------------------
    def distance(self, states: np.ndarray) -> np.ndarray:
        """Projected distance of each state to the target; -1 where the table has none
        (unreachable, or beyond ``max_depth``).

        >>> pdb = PatternDatabase.build(CayleyGraph.from_spec("S_4", "lrx"))
        >>> pdb.distance(np.array([[0, 1, 2, 3], [1, 0, 3, 2]])).tolist()
        [0, 6]
        """
        p = self.project(states)
        if not np.array_equal(np.sort(p, axis=1), np.broadcast_to(self._sorted_pattern, p.shape)):
            raise InvalidStateError(
                f"states must be rearrangements of the target's symbols {np.sort(self.target).tolist()}"
            )
        if self.index == "rank":
            ranking = self._data["ranking"]
            if len(p) < _SERIAL_RANK_BELOW:
                from .paths.tables import rank_serial

                r = rank_serial(ranking, p)
            else:
                r = ranking.rank(p)
            d = np.asarray(self._data["table"][r], dtype=np.int64)
            d[d == 255] = -1
            return d
        bits, words = self._data["bits"], self._data["words"]
        keys = _be.encode(p, bits, words)
        idx = K.lookup(self._data["index"], self._data["rows"], keys)
        out = np.full(len(p), -1, dtype=np.int64)
        ok = idx >= 0
        out[ok] = self._data["dist"][idx[ok]]
        return out

    def __call__(self, states: np.ndarray) -> np.ndarray:
        """Heuristic scores: the projected distance; ``max_depth + 1`` past a partial
        table's depth, infinity where the target cannot be reached."""
        d = self.distance(states).astype(np.float64)
        d[d < 0] = np.inf if self.complete else self.depth + 1
        return d

    def path(self, state: StateLike) -> Path:
        """A shortest path from ``state`` to the target, by walking down an exact table.

        >>> g = CayleyGraph.from_spec("S_5", "lrx")
        >>> p = PatternDatabase.build(g).path([1, 0, 4, 3, 2])
        >>> p.length, p.optimal, p.method
        (10, True, 'table')
        """
        if not self.exact:
            raise InvalidInputError("path() needs an exact table (no merged symbols); use beam_search with it")
        t0 = time.perf_counter()
        src = as_state(self.graph, state, "state")
        perms = self.graph.generators.perms
        d = int(self.distance(src.reshape(1, -1))[0])
        if d < 0:
            raise NoPathError(
                f"the target {self.target.tolist()} is not reachable from {src.tolist()}"
                if self.complete
                else f"{src.tolist()} is further than {self.depth} from the target",
                lower_bound=None if self.complete else self.depth + 1,
                unreachable=self.complete,
            )
        moves, x = [], src
        while d > 0:
            nb = x[perms]
            dn = self.distance(nb)
            g = int(np.flatnonzero(dn == d - 1)[0])
            moves.append(g)
            x, d = nb[g], d - 1
        return finish(self.graph, src, self.target, moves, "table", True, t0, len(moves) + 1)

    def __repr__(self) -> str:
        return (
            f"PatternDatabase({self.graph.name}, pattern={self.pattern.tolist()}, states={self.size:,}, "
            f"depth={self.depth}, index={self.index!r})"
        )


def _ranking_for(pattern: np.ndarray) -> Any:
    try:
        from .paths.tables import ranking_for
    except ImportError:  # the rank backend is optional: fall back to hashing
        return None
    try:
        return ranking_for(pattern)
    except ValueError:
        return None


class _SideStep:
    """A pattern database's breadth-first search (:class:`~cayley.graphs.paths.exact.Side`)
    as a :class:`~cayley.graphs.layers.LayerStep`; distances are stored in 16 bits."""

    def __init__(self, side: Any) -> None:
        self.side = side

    def expand(self, growth: list[int], total: int) -> int:
        if self.side.depth >= 65534:
            raise OverflowError("distance table deeper than 65534")
        nxt = self.side.expand()
        if not len(nxt):
            self.side.layers.pop()
        return len(nxt)

    def closed(self) -> bool:
        return False  # a table cut at max_depth is incomplete, whatever lies beyond


def _hash_table(
    graph: CayleyGraph,
    pattern: np.ndarray,
    inv: np.ndarray,
    max_depth: Optional[int],
    progress: Optional[Callable[[int, int], None]],
) -> tuple[tuple[int, ...], bool, dict[str, Any]]:
    from .paths.exact import Side

    symbols = int(pattern.max()) + 1
    bits, words = packing(symbols, graph.degree)
    side = Side(_be.encode(pattern.reshape(1, -1), bits, words), inv, inverse(inv), bits, graph.degree, graph.undirected)
    if progress is not None:
        progress(0, 1)
    after = None if progress is None else (lambda g, total: progress(len(g) - 1, g[-1]))
    complete, _ = run_layers(_SideStep(side), [1], max_depth=max_depth, after_layer=after)
    rows = np.ascontiguousarray(np.concatenate(side.layers))
    dist = np.repeat(np.arange(len(side.layers), dtype=np.uint16), [len(a) for a in side.layers])
    growth = tuple(len(a) for a in side.layers)
    data = {"rows": rows, "dist": dist, "index": K.build_index(rows), "bits": bits, "words": words}
    return growth, complete, data


def _torch_float() -> Any:
    import torch

    return torch.float32


def _torch_const(cache: dict[str, Any], arr: np.ndarray, device: Any) -> Any:
    key = str(device)
    t = cache.get(key)
    if t is None:
        import torch

        t = torch.as_tensor(arr, device=device)
        cache[key] = t
    return t
