"""Beam search: keep the ``beam_width`` best-scored states of each layer.

Each step expands every beam state by every generator in one kernel, drops candidates
seen earlier in the step or in the last ``history`` beams (exact comparison of packed
states), scores the rest with the heuristic in one call, and keeps the lowest scores
(ties broken at random, seeded). Each kept state remembers its parent's position and
its move, so the full path is walked back at the end: ``beam_width`` * steps * 9 bytes.

One loop (:func:`run_beam`) over the primitives of a backend: :class:`CpuBeamOps` (numpy
and numba kernels on packed states, the default) and :class:`TorchBeamOps` (torch
tensors, on the CPU or a GPU). A backend expands a beam, says which candidates are new,
scores and keeps the best; the loop owns the ball check, the history and the path.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Literal, Optional

import numpy as np

from ...backends.packing import packing
from ...backends.registry import search_backend
from ...errors import InvalidInputError, NoPathError
from ..graph import CayleyGraph
from .common import Path, SeedLike, StateLike, check_positive, endpoints, finish, resolve_heuristic
from .common import cpu_backend as _be, kernels as K

__all__ = ["Ball", "CpuBeamOps", "TorchBeamOps", "beam_search", "run_beam"]


def beam_search(
    graph: CayleyGraph,
    state: StateLike,
    heuristic: Optional[Callable[[np.ndarray], np.ndarray]] = None,
    *,
    target: Optional[StateLike] = None,
    beam_width: int = 1024,
    max_steps: int = 1000,
    history: int = 2,
    ball: int = 0,
    seed: SeedLike = None,
    backend: Literal["auto", "cpu", "torch"] = "auto",
    device: Optional[str] = None,
) -> Path:
    """A path from ``state`` to ``target`` by beam search guided by ``heuristic``.

    Parameters
    ----------
    graph, state, target
        The graph and the path's ends, as for :func:`~cayley.graphs.paths.shortest_path`
        (``target`` defaults to ``graph.start``).
    heuristic : callable, optional
        Scores a batch of states ``(m, n)`` with ``(m,)`` floats, lower is closer to the
        target (see :mod:`cayley.graphs.heuristics`). Default:
        :func:`~cayley.graphs.heuristics.default_heuristic` (breakpoints for pancake
        and reversals, Hamming distance otherwise).
    beam_width : int
        States kept per step.
    max_steps : int
        Give up after this many steps (the longest path it can return).
    history : int
        Also drop candidates that occur in the last ``history`` beams (2 stops an
        undirected search from stepping straight back).
    ball : int
        Meet in the middle: first grow a breadth-first ball of this radius around the
        target (by the inverse generators); the search stops as soon as a candidate
        enters the ball and finishes along the ball's shortest path. 0: the target alone.
    seed : int, numpy Generator or None
        Breaks ties between equal scores.
    backend : {"auto", "cpu", "torch"}
        ``"cpu"``: numpy and numba; ``"torch"``: torch tensors on ``device``; ``"auto"``: cpu.
    device : str, optional
        Torch device for ``backend="torch"`` (default ``"cpu"``).

    Returns
    -------
    Path
        With ``method="beam"``; ``optimal`` is True only when no beam was ever cut to
        ``beam_width`` (the search was a breadth-first search).

    Raises
    ------
    NoPathError
        When ``max_steps`` pass without reaching the target, or every candidate was seen.

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> from cayley.graphs.heuristics import Breakpoints
    >>> g = CayleyGraph.from_spec("S_10", "pancake")
    >>> s = [3, 7, 1, 9, 0, 5, 2, 8, 6, 4]
    >>> p = beam_search(g, s, Breakpoints(range(10)), beam_width=64, seed=0)
    >>> p.is_valid(), p.length >= 9, p.method
    (True, True, 'beam')
    """
    check_positive("beam_width", beam_width, allow_none=False)
    check_positive("max_steps", max_steps, allow_none=False)
    check_positive("history", history, allow_zero=True, allow_none=False)
    check_positive("ball", ball, allow_zero=True, allow_none=False)
    backend, device = search_backend(backend, device)  # "cpu" or "torch"
    t0 = time.perf_counter()
    src, tgt = endpoints(graph, state, target)
    from ..heuristics import default_heuristic

    heuristic = resolve_heuristic(heuristic, tgt, lambda: default_heuristic(graph, tgt))
    if np.array_equal(src, tgt):
        return finish(graph, src, tgt, [], "beam", True, t0, 1, written=(state, target))
    around = Ball(graph, tgt, ball)
    hit = around.find(_be.encode(src.reshape(1, -1), around.bits, around.words))
    if hit is not None:  # the start is already in the ball: its path is a shortest one
        return finish(graph, src, tgt, around.path_from(hit[1]), "beam", True, t0, around.size, written=(state, target))
    ops = TorchBeamOps(graph, seed, device) if backend == "torch" else CpuBeamOps(graph, seed)
    moves, explored, cut = run_beam(ops, src, around, heuristic, beam_width, max_steps, history)
    return finish(graph, src, tgt, moves, "beam", not cut, t0, explored + around.size, written=(state, target))


class Ball:
    """The states within ``radius`` of ``target`` (distance *to* it, by the inverse
    generators), packed, with an exact hash index and the way down from each state.

    Used by beam search as a meet-in-the-middle target and by the puzzle solver to
    finish and shorten paths.

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> g = CayleyGraph.from_spec("S_5", "lrx")
    >>> b = Ball(g, g.start, 2)
    >>> b.radius, b.size
    (2, 10)
    >>> pos = b.lookup(b.encode(np.array([[1, 0, 2, 3, 4], [4, 3, 2, 1, 0]])))
    >>> int(b.depth[pos[0]]), int(pos[1])
    (1, -1)
    >>> s = np.array([1, 0, 2, 3, 4])
    >>> for m in b.path_from(int(pos[0])): s = s[g.generators.perms[m]]
    >>> s.tolist()
    [0, 1, 2, 3, 4]
    """

    def __init__(self, graph: CayleyGraph, target: np.ndarray, radius: int):
        from ...groups.perm import inverse
        from .exact import Side

        perms = graph.generators.perms
        tgt = np.asarray(target, dtype=np.int64)
        self.target = tgt
        self.bits, self.words = packing(graph.symbols, graph.degree)
        self.degree = graph.degree
        self.side = Side(_be.encode(tgt.reshape(1, -1), self.bits, self.words), inverse(perms), perms,
                          self.bits, graph.degree, graph.undirected)
        for _ in range(radius):
            if not len(self.side.expand()):
                self.side.layers.pop()
                break
        layers = self.side.layers
        self.rows = np.ascontiguousarray(np.concatenate(layers)) if len(layers) > 1 else layers[0]
        self.depth = np.repeat(np.arange(len(layers)), [len(a) for a in layers])
        self.index = K.build_index(self.rows)
        self.size = len(self.rows)

    @property
    def radius(self) -> int:
        """Depth of the last layer (smaller than asked when the orbit ends earlier)."""
        return len(self.side.layers) - 1

    @property
    def layer_sizes(self) -> list[int]:
        """States at each distance 0, 1, ..., radius."""
        return [len(a) for a in self.side.layers]

    def encode(self, states: np.ndarray) -> np.ndarray:
        """Pack ``(m, n)`` states as the ball's rows are packed."""
        return np.asarray(_be.encode(np.asarray(states, dtype=np.int64).reshape(-1, self.degree), self.bits, self.words))

    def lookup(self, rows: np.ndarray) -> np.ndarray:
        """Position in the ball of each packed row, -1 for rows outside it."""
        return np.asarray(K.lookup(self.index, self.rows, rows))

    def find(self, rows: np.ndarray) -> Optional[tuple[int, int]]:
        """``(i, j)``: the row ``i`` of ``rows`` in the ball closest to the target, and its
        position ``j`` in the ball; None when no row is in the ball."""
        pos = self.lookup(rows)
        hits = np.flatnonzero(pos >= 0)
        if not len(hits):
            return None
        i = hits[np.argmin(self.depth[pos[hits]])]
        return int(i), int(pos[i])

    def path_from(self, j: int) -> list[int]:
        """Moves from ball state ``j`` down to the target."""
        return list(self.side.walk_back(self.rows[j], int(self.depth[j])))


#: States per heuristic call when a beam step has a deadline: the clock is read between
#: calls, so an outside load that slows scoring costs at most one slice past the deadline.
SCORE_SLICE = 1 << 17


def _scores(heuristic: Callable[[np.ndarray], Any], states: np.ndarray, m: int,
            deadline: Optional[float] = None) -> np.ndarray:
    """Scores of ``m`` states as float64; with a ``deadline``, in slices of
    :data:`SCORE_SLICE` states, raising :class:`NoPathError` when a slice ends after it."""
    if deadline is None or m <= SCORE_SLICE:
        v = np.asarray(heuristic(states), dtype=np.float64).reshape(-1)
    else:
        parts = []
        for i in range(0, m, SCORE_SLICE):
            parts.append(np.asarray(heuristic(states[i : i + SCORE_SLICE]), dtype=np.float64).reshape(-1))
            if i + SCORE_SLICE < m and time.perf_counter() > deadline:
                raise NoPathError("beam search ran out of time while scoring a step")
        v = np.concatenate(parts)
    if len(v) != m:
        raise InvalidInputError(f"the heuristic returned {len(v)} scores for {m} states")
    return v


def _no_path(max_steps: int, dead_end: bool, step: int) -> NoPathError:
    if dead_end:
        return NoPathError(f"beam search ran out of unseen states at step {step}")
    return NoPathError(f"beam search did not reach the target within {max_steps} steps; try a wider beam")


def run_beam(ops: Any, src: np.ndarray, around: Ball, heuristic: Optional[Callable[[np.ndarray], Any]], width: int,
             max_steps: int, history: int = 2, deadline: Optional[float] = None) -> tuple[list[int], int, bool]:
    """The beam-search loop over a backend's primitives ``ops`` (:class:`CpuBeamOps`,
    :class:`TorchBeamOps`): from state ``src`` until a candidate enters ``around``.

    Returns ``(moves, explored, cut)``: generator indices from ``src`` to the ball's
    target, candidates generated, and whether a beam was ever cut to ``width`` (False:
    the search was breadth-first, so the path is a shortest one). Raises
    :class:`NoPathError` after ``max_steps``, when no unseen candidate is left, or at a
    step that starts after ``deadline`` (a :func:`time.perf_counter` value) or whose
    scoring on the CPU runs past it (checked every :data:`SCORE_SLICE` states). Before the
    deadline, each next beam is narrowed, when needed, to what half the time left fits
    at the speed of the last step, so a wide search finishes narrower instead of being
    lost or running past the deadline.

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> from cayley.graphs.paths import shortest_path
    >>> g = CayleyGraph.from_spec("S_6", "lrx")
    >>> src = np.array([5, 4, 3, 2, 1, 0])
    >>> moves, explored, cut = run_beam(CpuBeamOps(g, 0), src, Ball(g, g.start, 1), None, 10**6, 50)
    >>> cut, len(moves) == shortest_path(g, src).length
    (False, True)
    """
    k = ops.k
    beam, keys = ops.start(src)
    recent = [keys]  # packed keys of the last `history` beams, newest last
    parents: list[Any] = []
    movesl: list[Any] = []
    explored, cut = 1, False
    for step in range(1, max_steps + 1):
        began = time.perf_counter()
        if deadline is not None and began > deadline:
            raise NoPathError(f"beam search ran out of time at step {step}")
        size = len(keys)
        cand, ckeys = ops.expand(beam)
        explored += len(ckeys)
        hit = ops.ball_hit(around, cand, ckeys)
        if hit is not None:
            i, j = hit
            path = [i % k]
            parent = i // k
            for t in range(len(parents) - 1, -1, -1):
                pt, mt = ops.to_numpy(parents[t]), ops.to_numpy(movesl[t])
                path.append(int(mt[parent]))
                parent = int(pt[parent])
            return path[::-1] + around.path_from(j), explored, cut
        idx = ops.new(recent if history else [], ckeys)
        if not len(idx):
            raise _no_path(max_steps, True, step)
        if len(idx) > width:
            scores = ops.scores(heuristic, cand, idx, deadline)
            keep = width
            if deadline is not None:  # the next step may take at most half the time left
                now = time.perf_counter()
                per_state = (now - began) / max(1, size)  # this step's cost, scoring included
                keep = min(width, max(1, int((deadline - now) / (2 * per_state))))
            idx = ops.best(idx, scores, keep)
            cut = True
        parents.append(ops.parents(idx))
        movesl.append(ops.moves(idx))
        beam, keys = ops.take(cand, ckeys, idx)
        recent = (recent + [keys])[-history:] if history else [keys]
    raise _no_path(max_steps, False, max_steps)


class CpuBeamOps:
    """Beam primitives on packed ``uint64`` rows with numpy and the numba kernels: a beam
    is its packed keys; ties between equal scores are broken by ``seed``."""

    def __init__(self, graph: CayleyGraph, seed: SeedLike = None):
        self.rng = np.random.default_rng(seed)
        self.perms = np.ascontiguousarray(graph.generators.perms)
        self.k, self.n = self.perms.shape
        self.bits, self.words = packing(graph.symbols, graph.degree)
        self.move_dtype = np.int16 if self.k > 127 else np.int8

    def start(self, src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The first beam (``src`` alone) and its keys."""
        keys = _be.encode(np.asarray(src).reshape(1, -1), self.bits, self.words)
        return keys, keys

    def expand(self, beam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Candidates: row ``i*k+g`` is beam state ``i`` acted on by generator ``g``."""
        cand = _be.expand(beam, self.perms, self.bits)
        return cand, cand

    def ball_hit(self, around: Ball, cand: np.ndarray, keys: np.ndarray) -> Optional[tuple[int, int]]:
        """The candidate nearest the target among those in ``around``, with its ball position."""
        return around.find(keys)

    def new(self, recent: list[np.ndarray], keys: np.ndarray) -> np.ndarray:
        """Positions of the candidates seen neither earlier in ``keys`` nor in ``recent``."""
        hist = np.concatenate(recent) if len(recent) > 1 else (recent[0] if recent else keys[:0])
        return np.asarray(K.first_new(hist, keys))

    def scores(self, heuristic: Callable[[np.ndarray], Any], cand: np.ndarray, idx: np.ndarray,
               deadline: Optional[float] = None) -> np.ndarray:
        """Heuristic scores of the candidates ``idx`` (see :func:`_scores` for ``deadline``)."""
        return _scores(heuristic, K.decode_parallel(cand[idx], self.n, self.bits), len(idx), deadline)

    def best(self, idx: np.ndarray, scores: np.ndarray, width: int) -> np.ndarray:
        """The ``width`` lowest scores (shuffled first: equal scores kept at random), sorted."""
        order = self.rng.permutation(len(idx))
        keep = np.argpartition(scores[order], width - 1)[:width]
        return np.sort(idx[order[keep]])

    def parents(self, idx: np.ndarray) -> np.ndarray:
        """Beam position of each kept candidate's parent."""
        return np.asarray(idx // self.k, dtype=np.int32)

    def moves(self, idx: np.ndarray) -> np.ndarray:
        """Generator of each kept candidate."""
        return np.asarray(idx % self.k, dtype=self.move_dtype)

    def take(self, cand: np.ndarray, keys: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The next beam and its keys."""
        beam = np.ascontiguousarray(cand[idx])
        return beam, beam

    @staticmethod
    def to_numpy(a: np.ndarray) -> np.ndarray:
        """As a numpy array (already one)."""
        return a


class TorchBeamOps:
    """Beam primitives on torch tensors on ``device``: a beam is its ``(m, n)`` states,
    packed into ``int64`` keys for deduplication by ``torch.unique``; ball hits are
    pre-filtered by a 64-bit hash and checked exactly."""

    def __init__(self, graph: CayleyGraph, seed: SeedLike = None, device: Optional[str] = None):
        try:
            import torch
        except ImportError:
            raise InvalidInputError("backend='torch' needs torch: pip install 'cayley[torch]'") from None
        self.torch = torch
        self.dev = dev = torch.device(device or "cpu")
        self.gen = torch.Generator(device=dev)
        if isinstance(seed, np.random.Generator):
            self.gen.manual_seed(int(seed.integers(2**62)))
        elif seed is not None:
            self.gen.manual_seed(int(seed))
        else:
            self.gen.seed()
        self.perms = torch.tensor(np.array(graph.generators.perms), dtype=torch.long, device=dev)
        self.k, self.n = self.perms.shape
        self.bits, self.words = packing(graph.symbols, self.n)
        self.per = 64 // self.bits
        self.sdtype = torch.uint8 if graph.symbols <= 256 else torch.int32
        self.pad = self.words * self.per - self.n
        self.shifts = (torch.arange(self.per, device=dev, dtype=torch.long) * self.bits).repeat(self.words)
        self._ball_hash: dict[int, Any] = {}

    def _pack(self, states: Any) -> Any:  # (m, n) -> (m, words) int64; disjoint bit fields, so sum == or
        s = states.long()
        if self.pad:
            s = self.torch.nn.functional.pad(s, (0, self.pad))
        return (s << self.shifts).view(len(s), self.words, self.per).sum(dim=2)

    @staticmethod
    def _mix(keys: Any) -> Any:  # one int64 per packed row, to pre-filter ball hits (checked exactly)
        h = keys[:, 0].clone()
        for w in range(1, keys.shape[1]):
            h = (h * -7046029254386353131) ^ keys[:, w]
        return h ^ (h >> 31)

    def start(self, src: np.ndarray) -> tuple[Any, Any]:
        """The first beam (``src`` alone) and its keys."""
        beam = self.torch.as_tensor(np.asarray(src), dtype=self.sdtype, device=self.dev).reshape(1, self.n)
        return beam, self._pack(beam)

    def expand(self, beam: Any) -> tuple[Any, Any]:
        """Candidates (row ``i*k+g``: state ``i`` acted on by ``g``) and their keys."""
        cand = beam[:, self.perms].reshape(-1, self.n)  # row i*k+g: beam state i acted on by g
        return cand, self._pack(cand)

    def ball_hit(self, around: Ball, cand: Any, keys: Any) -> Optional[tuple[int, int]]:
        """The candidate nearest the target among those in ``around``, with its ball position."""
        torch = self.torch
        h = self._ball_hash.get(id(around))
        if h is None:
            rows = torch.as_tensor(_be.decode(around.rows, self.n, self.bits), device=self.dev)
            h = self._ball_hash[id(around)] = torch.sort(self._mix(self._pack(rows))).values
        maybe = torch.nonzero(torch.isin(self._mix(keys), h)).reshape(-1)
        if not len(maybe):
            return None
        hit = around.find(around.encode(cand[maybe].cpu().numpy().astype(np.int64)))
        return None if hit is None else (int(maybe[hit[0]]), hit[1])

    def new(self, recent: list[Any], keys: Any) -> Any:
        """Positions of the candidates seen neither earlier in ``keys`` nor in ``recent``."""
        torch = self.torch
        hist = torch.cat(recent) if recent else keys[:0]
        both = torch.cat([hist, keys])
        if self.words == 1:
            _, inv = torch.unique(both.reshape(-1), return_inverse=True)
        else:
            _, inv = torch.unique(both, dim=0, return_inverse=True)
        pos = torch.arange(len(both), device=self.dev)
        first = torch.full((int(inv.max()) + 1,), len(both), dtype=torch.long, device=self.dev)
        first.scatter_reduce_(0, inv, pos, reduce="amin")
        h = len(hist)
        return torch.nonzero(first[inv[h:]] == pos[h:]).reshape(-1)

    def scores(self, heuristic: Callable[[Any], Any], cand: Any, idx: Any, deadline: Optional[float] = None) -> Any:
        """Heuristic scores of the candidates ``idx`` (on the device; a step there is short,
        so the ``deadline`` is checked between steps only)."""
        torch = self.torch
        states = cand[idx]
        if getattr(heuristic, "supports_torch", False):
            v = heuristic(states).reshape(-1).to(torch.float64)
            if len(v) != len(idx):
                raise InvalidInputError(f"the heuristic returned {len(v)} scores for {len(idx)} states")
            return v
        return torch.as_tensor(_scores(heuristic, states.cpu().numpy().astype(np.int64), len(idx)), device=self.dev)

    def best(self, idx: Any, scores: Any, width: int) -> Any:
        """The ``width`` lowest scores (shuffled first: equal scores kept at random), sorted."""
        torch = self.torch
        order = torch.randperm(len(idx), generator=self.gen, device=self.dev)
        keep = torch.topk(scores[order], width, largest=False, sorted=False).indices
        return torch.sort(idx[order[keep]]).values

    def parents(self, idx: Any) -> Any:
        """Beam position of each kept candidate's parent."""
        return self.torch.div(idx, self.k, rounding_mode="floor").to(self.torch.int32)

    def moves(self, idx: Any) -> Any:
        """Generator of each kept candidate."""
        return (idx % self.k).to(self.torch.int16)

    def take(self, cand: Any, keys: Any, idx: Any) -> tuple[Any, Any]:
        """The next beam and its keys."""
        return cand[idx], keys[idx]

    @staticmethod
    def to_numpy(a: Any) -> np.ndarray:
        """A device tensor as a numpy array."""
        return np.asarray(a.cpu().numpy())
