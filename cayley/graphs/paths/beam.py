"""Beam search: keep the ``beam_width`` best-scored states of each layer.

Each step expands every beam state by every generator in one kernel, drops candidates
seen earlier in the step or in the last ``history`` beams (exact comparison of packed
states), scores the rest with the heuristic in one call, and keeps the lowest scores
(ties broken at random, seeded). Each kept state remembers its parent's position and
its move, so the full path is walked back at the end: ``beam_width`` * steps * 9 bytes.

Two implementations of the same loop: numpy + numba kernels on the CPU (default), and
torch (``backend="torch"``), on the CPU or a GPU.
"""

from __future__ import annotations

import time
from typing import Callable, Literal, Optional

import numpy as np

from ...backends.packing import packing
from ...errors import InvalidInputError, NoPathError
from ..graph import CayleyGraph
from .common import Path, SeedLike, StateLike, check_positive, endpoints, finish, resolve_heuristic
from .common import cpu_backend as _be, kernels as K

__all__ = ["beam_search"]


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
    graph : CayleyGraph
        The graph; its start state is the default target.
    state : str, sequence of int or ndarray
        Where the path starts.
    heuristic : callable, optional
        Scores a batch of states ``(m, n)`` with ``(m,)`` floats, lower is closer to the
        target (see :mod:`cayley.graphs.heuristics`). Default:
        :func:`~cayley.graphs.heuristics.default_heuristic` (breakpoints for pancake
        and reversals, Hamming distance otherwise).
    target : same as state, optional
        Where the path ends; default ``graph.start``.
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
    if backend not in ("auto", "cpu", "numpy", "torch"):
        raise InvalidInputError(f"unknown backend {backend!r}: expected auto, cpu or torch")
    t0 = time.perf_counter()
    src, tgt = endpoints(graph, state, target)
    from ..heuristics import default_heuristic

    heuristic = resolve_heuristic(heuristic, tgt, lambda: default_heuristic(graph, tgt))
    if np.array_equal(src, tgt):
        return finish(graph, src, tgt, [], "beam", True, t0, 1, written=(state, target))
    around = _Ball(graph, tgt, ball)
    hit = around.find(_be.encode(src.reshape(1, -1), around.bits, around.words))
    if hit is not None:  # the start is already in the ball: its path is a shortest one
        return finish(graph, src, tgt, around.path_from(hit[1]), "beam", True, t0, around.size, written=(state, target))
    if backend == "torch":
        moves, explored, cut = _beam_torch(graph, src, around, heuristic, beam_width, max_steps, history, seed, device)
    else:
        moves, explored, cut = _beam_cpu(graph, src, around, heuristic, beam_width, max_steps, history, seed)
    return finish(graph, src, tgt, moves, "beam", not cut, t0, explored + around.size, written=(state, target))


class _Ball:
    """The states within ``radius`` of the target (distance *to* it), packed, with an
    exact hash index, and the way down from each to the target."""

    def __init__(self, graph: CayleyGraph, tgt: np.ndarray, radius: int):
        from .exact import _Side
        from ...groups.perm import inverse

        perms = graph.generators.perms
        self.bits, self.words = packing(graph.symbols, graph.degree)
        self.side = _Side(_be.encode(tgt.reshape(1, -1), self.bits, self.words), inverse(perms), perms,
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

    def find(self, rows: np.ndarray):
        """``(i, j)``: the row ``i`` of ``rows`` in the ball closest to the target, and its
        position ``j`` in the ball; None when no row is in the ball."""
        pos = K.lookup(self.index, self.rows, rows)
        hits = np.flatnonzero(pos >= 0)
        if not len(hits):
            return None
        i = hits[np.argmin(self.depth[pos[hits]])]
        return int(i), int(pos[i])

    def path_from(self, j: int) -> list[int]:
        """Moves from ball state ``j`` down to the target."""
        return self.side.walk_back(self.rows[j], int(self.depth[j]))


def _scores(heuristic, states, m: int) -> np.ndarray:
    v = np.asarray(heuristic(states), dtype=np.float64).reshape(-1)
    if len(v) != m:
        raise InvalidInputError(f"the heuristic returned {len(v)} scores for {m} states")
    return v


def _walk_back(parents: list, moves: list, parent: int, last_move: int) -> list[int]:
    path = [last_move]
    for t in range(len(parents) - 1, -1, -1):
        path.append(int(moves[t][parent]))
        parent = int(parents[t][parent])
    return path[::-1]


def _no_path(max_steps: int, dead_end: bool, step: int) -> NoPathError:
    if dead_end:
        return NoPathError(f"beam search ran out of unseen states at step {step}")
    return NoPathError(f"beam search did not reach the target within {max_steps} steps; try a wider beam")


def _beam_cpu(graph, src, around: _Ball, heuristic, width, max_steps, history, seed):
    rng = np.random.default_rng(seed)
    perms = np.ascontiguousarray(graph.generators.perms)
    k, n = perms.shape
    bits, words = around.bits, around.words
    beam = _be.encode(src.reshape(1, -1), bits, words)
    recent = [beam]  # the last `history` beams, newest last
    parents: list[np.ndarray] = []
    movesl: list[np.ndarray] = []
    explored, cut = 1, False
    for step in range(1, max_steps + 1):
        cand = _be.expand(beam, perms, bits)
        explored += len(cand)
        hit = around.find(cand)
        if hit is not None:
            i, j = hit
            return _walk_back(parents, movesl, i // k, i % k) + around.path_from(j), explored, cut
        hist = np.concatenate(recent) if len(recent) > 1 else recent[0]
        idx = K.first_new(hist if history else hist[:0], cand)
        if not len(idx):
            raise _no_path(max_steps, True, step)
        if len(idx) > width:
            scores = _scores(heuristic, K.decode_parallel(cand[idx], n, bits), len(idx))
            # shuffle first so that equal scores are kept in random order
            order = rng.permutation(len(idx))
            best = np.argpartition(scores[order], width - 1)[:width]
            idx = np.sort(idx[order[best]])
            cut = True
        parents.append((idx // k).astype(np.int32))
        movesl.append((idx % k).astype(np.int16 if k > 127 else np.int8))
        beam = np.ascontiguousarray(cand[idx])
        if history:
            recent.append(beam)
            recent = recent[-history:]
        else:
            recent = [beam]
    raise _no_path(max_steps, False, max_steps)


# -------------------------------------------------------------------------------------
# torch
# -------------------------------------------------------------------------------------
def _beam_torch(graph, src, around: _Ball, heuristic, width, max_steps, history, seed, device):
    try:
        import torch
    except ImportError:
        raise InvalidInputError("backend='torch' needs torch: pip install 'cayley[torch]'") from None
    dev = torch.device(device or "cpu")
    gen = torch.Generator(device=dev)
    if isinstance(seed, np.random.Generator):
        gen.manual_seed(int(seed.integers(2**62)))
    elif seed is not None:
        gen.manual_seed(int(seed))
    else:
        gen.seed()
    perms = torch.tensor(np.array(graph.generators.perms), dtype=torch.long, device=dev)
    k, n = perms.shape
    bits, words = packing(graph.symbols, n)
    per = 64 // bits
    sdtype = torch.uint8 if graph.symbols <= 256 else torch.int32
    pad = words * per - n
    shifts = (torch.arange(per, device=dev, dtype=torch.long) * bits).repeat(words)

    def pack(states):  # (m, n) -> (m, words) int64; disjoint bit fields, so sum == or
        s = states.long()
        if pad:
            s = torch.nn.functional.pad(s, (0, pad))
        return (s << shifts).view(len(s), words, per).sum(dim=2)

    def mix(keys):  # one int64 per packed row, to pre-filter ball hits (checked exactly)
        h = keys[:, 0].clone()
        for w in range(1, keys.shape[1]):
            h = (h * -7046029254386353131) ^ keys[:, w]
        return h ^ (h >> 31)

    supports_torch = bool(getattr(heuristic, "supports_torch", False))
    ball_rows = _be.decode(around.rows, n, bits)
    ball_hash = torch.sort(mix(pack(torch.as_tensor(ball_rows, device=dev)))).values
    beam = torch.as_tensor(src, dtype=sdtype, device=dev).reshape(1, n)
    recent = [pack(beam)]
    parents, movesl = [], []
    explored, cut = 1, False
    for step in range(1, max_steps + 1):
        cand = beam[:, perms].reshape(-1, n)  # row i*k+g: beam state i acted on by g
        explored += len(cand)
        keys = pack(cand)
        maybe = torch.nonzero(torch.isin(mix(keys), ball_hash)).reshape(-1)
        if len(maybe):
            rows = cand[maybe].cpu().numpy().astype(np.int64)
            hit = around.find(_be.encode(rows, bits, words))
            if hit is not None:
                i, j = int(maybe[hit[0]]), hit[1]
                pars = [p.cpu().numpy() for p in parents]
                mvs = [m.cpu().numpy() for m in movesl]
                return _walk_back(pars, mvs, i // k, i % k) + around.path_from(j), explored, cut
        hist = torch.cat(recent) if history else keys[:0]
        both = torch.cat([hist, keys])
        if words == 1:
            _, inv = torch.unique(both.reshape(-1), return_inverse=True)
        else:
            _, inv = torch.unique(both, dim=0, return_inverse=True)
        pos = torch.arange(len(both), device=dev)
        first = torch.full((int(inv.max()) + 1,), len(both), dtype=torch.long, device=dev)
        first.scatter_reduce_(0, inv, pos, reduce="amin")
        h = len(hist)
        idx = torch.nonzero(first[inv[h:]] == pos[h:]).reshape(-1)
        if not len(idx):
            raise _no_path(max_steps, True, step)
        if len(idx) > width:
            states = cand[idx]
            if supports_torch:
                scores = heuristic(states).reshape(-1).to(torch.float64)
            else:
                scores = torch.as_tensor(_scores(heuristic, states.cpu().numpy().astype(np.int64), len(idx)), device=dev)
            if len(scores) != len(idx):
                raise InvalidInputError(f"the heuristic returned {len(scores)} scores for {len(idx)} states")
            order = torch.randperm(len(idx), generator=gen, device=dev)
            best = torch.topk(scores[order], width, largest=False, sorted=False).indices
            idx = torch.sort(idx[order[best]]).values
            cut = True
        parents.append(torch.div(idx, k, rounding_mode="floor").to(torch.int32))
        movesl.append((idx % k).to(torch.int16))
        beam = cand[idx]
        if history:
            recent.append(keys[idx])
            recent = recent[-history:]
        else:
            recent = [keys[idx]]
    raise _no_path(max_steps, False, max_steps)
