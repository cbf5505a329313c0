"""Training of :class:`~cayley.nn.heuristics.NeuralHeuristic`: :func:`train_heuristic`
fits a distance regressor on random-walk step counts (fresh walks for every batch), on
exact breadth-first distances, or on a given set, by Adam on the mean squared error;
optionally within a time budget (the one-cycle schedule then follows the steps that fit).
"""

from __future__ import annotations

import itertools
import logging
import time
from typing import Callable, Literal, Optional, Sequence

import numpy as np
import torch

from ..errors import InvalidInputError
from ..graphs.graph import CayleyGraph
from ..graphs.paths import TRAINING_WALK_MODES, SeedLike, random_walks
from .heuristics import NeuralHeuristic, Symmetry, check_choice

__all__ = ["train_heuristic"]

log = logging.getLogger(__name__)

_REFRESH = 16  # training steps served by one pool of random walks


def train_heuristic(
    graph: CayleyGraph,
    *,
    data: Literal["walks", "bfs"] = "walks",
    states: Optional[np.ndarray] = None,
    distances: Optional[np.ndarray] = None,
    arch: str = "mlp",
    hidden: Sequence[int] = (256, 256),
    blocks: int = 0,
    symmetry: Symmetry = "canonical",
    steps: int = 2000,
    batch_size: int = 1024,
    lr: float = 1e-3,
    walk_length: Optional[int] = None,
    walk_mode: str = "non_backtracking",
    seed: SeedLike = None,
    precision: Literal["float32", "bfloat16"] = "float32",
    schedule: Literal["constant", "onecycle"] = "constant",
    progress: Optional[Callable[[int, int, float], None]] = None,
    time_budget: Optional[float] = None,
) -> NeuralHeuristic:
    """Fit a distance regressor for ``graph`` (distance to its start) by Adam on MSE.

    Parameters
    ----------
    graph : CayleyGraph
    data : {"walks", "bfs"}
        ``"walks"``: every batch is fresh random walks from the start
        (:func:`cayley.graphs.paths.random_walks`, ``walk_mode``) labelled by their step
        counts, ``batch_size / walk_length`` walks of ``walk_length`` moves.
        ``"bfs"``: exact distances of every state, from a complete breadth-first search
        (small graphs). Ignored when ``states`` and ``distances`` are given.
    states, distances : ndarray, optional
        An explicit training set ``(m, n)`` and its labels ``(m,)``.
    arch, hidden, blocks, symmetry
        See :class:`NeuralHeuristic`.
    steps : int
        Optimiser steps (one batch each).
    batch_size : int
    lr : float
    walk_length : int, optional
        Default ``n (n - 1) / 2`` capped at 200 for permutations.
    walk_mode : {"classic", "non_backtracking", "reduced"}
    seed : int, numpy Generator or None
    precision : {"float32", "bfloat16"}
        ``"bfloat16"``: forward passes under ``torch.autocast`` in bfloat16 (weights,
        optimiser and loss stay float32); about 2x faster on CPUs with AMX or AVX-512
        BF16, often slower elsewhere.
    schedule : {"constant", "onecycle"}
        Learning rate: ``lr`` throughout, or one cycle (warm-up over the first 5 % of
        the steps to ``lr``, then cosine annealing towards zero).
    progress : callable, optional
        ``progress(step, steps, loss)`` every 20 steps and at the end.
    time_budget : float, optional
        Seconds for the steps: after :data:`CALIBRATION` steps (revised at
        :data:`RECALIBRATE`), the run is cut to the steps that fit at the speed so far
        (one-cycle schedule laid over them; the header's ``training.steps``: how many ran).

    Returns
    -------
    NeuralHeuristic

    Examples
    --------
    >>> g = CayleyGraph.from_spec("S_5", "lrx")
    >>> h = train_heuristic(g, data="bfs", hidden=(64, 64), steps=150, batch_size=120, seed=0)
    >>> from cayley.graphs.heuristics import PatternDatabase
    >>> s = np.random.default_rng(0).permuted(np.tile(np.arange(5), (50, 1)), axis=1)
    >>> bool(np.abs(h(s) - PatternDatabase.build(g).distance(s)).mean() < 1.0)
    True
    """
    _check_training_options(data, walk_mode, steps, batch_size, lr, precision, schedule, time_budget)
    rng = np.random.default_rng(seed)
    h = NeuralHeuristic(graph, arch=arch, hidden=hidden, blocks=blocks, symmetry=symmetry,
                        seed=int(rng.integers(2**62)))
    t0 = time.perf_counter()
    n = graph.degree
    if (states is None) != (distances is None):
        raise InvalidInputError("pass both states and distances, or neither")
    if states is None and data == "bfs":
        states, distances = _bfs_dataset(graph)
    length = 0
    if states is not None:
        source, scale, pool_x, pool_y = _fixed_training_set(h, states, distances, data)
        batches = _fixed_batches(pool_x, pool_y, rng, batch_size)
    else:
        source, length = f"walks ({walk_mode})", _walk_length(walk_length, n)
        scale = float(length)
        dtype = torch.bfloat16 if precision == "bfloat16" else torch.float32  # 0 and 1 exact
        batches = _walk_batches(h, graph, rng, batch_size, length, walk_mode, scale, dtype)
    h.scale = scale
    ema, done = _fit(h, batches, steps, lr, scale, progress, precision == "bfloat16", schedule == "onecycle",
                     time_budget)
    h.header["training"] = {
        "data": source, "steps": int(done), "steps_asked": int(steps), "batch_size": int(batch_size), "lr": float(lr),
        "walk_length": int(length) if length else None, "final_mse": ema, "precision": precision,
        "schedule": schedule, "seconds": round(time.perf_counter() - t0, 3),
    }
    log.info("trained %r in %.1f s, mse %.3g", h, time.perf_counter() - t0, ema)
    return h


def _walk_length(walk_length, n: int) -> int:
    """The walks' length: ``walk_length``, by default ``n (n - 1) / 2`` capped at 200."""
    length = walk_length if walk_length is not None else min(200, max(1, n * (n - 1) // 2))
    if not isinstance(length, (int, np.integer)) or length < 1:
        raise InvalidInputError(f"walk_length must be an integer >= 1, got {walk_length!r}")
    return int(length)


def _check_training_options(data, walk_mode, steps, batch_size, lr, precision="float32", schedule="constant",
                            time_budget=None) -> None:
    """Reject bad ``data``, ``walk_mode``, ``steps``, ``batch_size``, ``lr``, ``precision``,
    ``schedule`` and ``time_budget`` (see :func:`train_heuristic`)."""
    if time_budget is not None and not (isinstance(time_budget, (int, float)) and time_budget > 0):
        raise InvalidInputError(f"time_budget must be a positive number of seconds, got {time_budget!r}")
    check_choice("data", data, ("walks", "bfs"))
    check_choice("precision", precision, ("float32", "bfloat16"))
    check_choice("schedule", schedule, ("constant", "onecycle"))
    check_choice("walk_mode", walk_mode, TRAINING_WALK_MODES)
    for name, v in (("steps", steps), ("batch_size", batch_size)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 1:
            raise InvalidInputError(f"{name} must be an integer >= 1, got {v!r}")
    if not (isinstance(lr, (int, float)) and lr > 0):
        raise InvalidInputError(f"lr must be a positive number, got {lr!r}")


def _fixed_training_set(h: NeuralHeuristic, states, distances, data: str):
    """An explicit (or BFS) training set: its source label, the distance scale and the
    encoded (augmented) states with their scaled labels."""
    states = h._states(states)
    distances = np.asarray(distances, dtype=np.float64).reshape(-1)
    if len(distances) != len(states) or not len(states):
        raise InvalidInputError(f"got {len(states)} states but {len(distances)} distances")
    source = "given" if data != "bfs" else "bfs"
    scale = max(1.0, float(distances.max()))
    pool_x = _augmented(h, states)
    pool_y = np.tile(distances / scale, len(pool_x) // len(states)).astype(np.float32)
    return source, scale, pool_x, pool_y


def _fixed_batches(pool_x: np.ndarray, pool_y: np.ndarray, rng, batch_size: int):
    """Endless random batches (with replacement) from a fixed training set."""
    while True:
        pick = rng.integers(len(pool_x), size=min(batch_size, len(pool_x)))
        yield pool_x[pick], pool_y[pick]


def _walk_batches(h: NeuralHeuristic, graph: CayleyGraph, rng, batch_size: int, length: int, walk_mode: str,
                  scale: float, dtype: torch.dtype = torch.float32):
    """Endless batches of random-walk states labelled by their scaled step counts: a pool
    of fresh walks every ``_REFRESH`` batches, served in a random order. The pool holds
    the model's symbols, each batch's one-hot rows are built in ``dtype`` (``"augment"``:
    a pool of one-hot rows, whose images permute their entries)."""
    count = max(1, _REFRESH * batch_size // (length + 1))
    buffer = None
    augment = h.symmetry == "augment"
    offsets = torch.arange(h._n, dtype=torch.long) * h._c
    for step in itertools.count(1):
        if (step - 1) % _REFRESH == 0:
            w = random_walks(graph, count=count, length=length, mode=walk_mode, seed=rng)
            pool = buffer = _augmented(h, w.states, rng=rng, out=buffer) if augment else h.input_codes(w.states)
            pool_y = (w.steps / scale).astype(np.float32)
            perm = rng.permutation(len(pool))
        part = perm[(((step - 1) % _REFRESH) * batch_size + np.arange(batch_size)) % len(perm)]
        if augment:
            yield pool[part], pool_y[part]
        else:
            yield _one_hot(pool[part], offsets, h._n * h._c, dtype), pool_y[part]


def _one_hot(codes: np.ndarray, offsets: torch.Tensor, width: int, dtype: torch.dtype) -> torch.Tensor:
    """One-hot rows ``(m, width)`` with a 1 at ``offsets[j] + codes[:, j]``."""
    idx = torch.from_numpy(np.ascontiguousarray(codes)).long() + offsets
    return torch.zeros((len(codes), width), dtype=dtype).scatter_(1, idx, 1)


#: Training steps timed before a ``time_budget`` decides how many fit; the decision is
#: revised at each step of :data:`RECALIBRATE`.
CALIBRATION = 50
RECALIBRATE = (CALIBRATION, 10 * CALIBRATION, 40 * CALIBRATION)


def _fit(h: NeuralHeuristic, batches, steps: int, lr: float, scale: float, progress, bf16: bool = False,
         onecycle: bool = False, time_budget: Optional[float] = None) -> tuple[float, int]:
    """Train ``h.model`` by Adam on MSE for ``steps`` batches (forward passes under
    bfloat16 autocast with ``bf16``; the one-cycle learning rate with ``onecycle``; cut
    to what ``time_budget`` seconds fit, see :func:`train_heuristic`); returns the
    moving average of the (unscaled) loss, reported to ``progress`` every 20 steps and
    at the end, and the steps taken."""
    opt = torch.optim.Adam(h.model.parameters(), lr=lr)

    def schedule(total: int, done: int):
        if not onecycle:
            return None
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=total, pct_start=0.05)
        for _ in range(done):  # where the new schedule stands after the steps already taken
            sched.step()
        return sched

    sched = schedule(steps, 0)
    asked = steps
    model = h.model
    model.train()
    ema = None
    t0 = time.perf_counter()
    step = 0
    for step, (xb, yb) in zip(itertools.count(1), batches):
        x = xb if isinstance(xb, torch.Tensor) else torch.from_numpy(xb)
        y = torch.from_numpy(yb)
        with torch.autocast(x.device.type, dtype=torch.bfloat16, enabled=bf16):
            pred = (h._average(x) if h._average is not None else model(x)).reshape(-1).float()
        loss = torch.mean((pred - y) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        lv = float(loss.detach()) * scale * scale
        ema = lv if ema is None else 0.95 * ema + 0.05 * lv
        if time_budget is not None and step in RECALIBRATE and step < steps:
            # the first steps run slower (kernels built, the first walks drawn): later
            # timings may give back steps an earlier one took, never more than asked
            fits = min(asked, max(step, int(time_budget * step / (time.perf_counter() - t0))))
            if fits != steps:
                log.info("training steps %d -> %d to fit %.0f s", steps, fits, time_budget)
                steps = fits
                sched = schedule(steps, step)
        if progress is not None and (step % 20 == 0 or step == steps):
            progress(step, steps, ema)
        if step >= steps:
            break
    model.eval()
    return ema, step


def _augmented(h: NeuralHeuristic, states: np.ndarray, rng=None, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Encoded states (into ``out`` when it fits, see :meth:`NeuralHeuristic.encode`);
    with ``symmetry="augment"`` all ``|K|`` images of each (all of them stacked
    image-major for a fixed training set, one random image each for walks)."""
    x = h.encode(states, out=out)
    if h.symmetry != "augment":
        return x
    els = h.group.elements()
    if rng is None:
        return np.concatenate([x[:, e] for e in els])
    pick = rng.integers(len(els), size=len(x))
    return np.ascontiguousarray(np.take_along_axis(x, els[pick], axis=1))


def _bfs_dataset(graph: CayleyGraph) -> tuple[np.ndarray, np.ndarray]:
    """Every state with its exact distance to the start (a complete breadth-first search
    by the inverse generators, through :func:`random_walks` in ``bfs_unique`` mode)."""
    order = graph.order()
    if order > 5_000_000:
        raise InvalidInputError(
            f"data='bfs' needs a small graph (at most 5,000,000 states), {graph.name} has {order}"
        )
    w = random_walks(graph, count=int(order), length=10**6, mode="bfs_unique", seed=0)
    if len(w) != order:
        raise InvalidInputError(f"the breadth-first search reached {len(w)} of {order} states")
    return w.states, w.steps.astype(np.float64)
