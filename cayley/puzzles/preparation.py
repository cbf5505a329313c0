"""Preparing a permutation puzzle for :mod:`cayley.puzzles.solve`: :func:`prepare` builds
(or loads from the user's cache) what the solver needs for one puzzle type and solution
state: the Schreier graph, the ball around the solution, the ball of group elements used
to shorten paths, the neural heuristic and the orbit pattern databases, as a
:class:`Prepared`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import permutations

import numpy as np

from .. import __version__
from ..errors import InvalidInputError
from ..graphs.graph import CayleyGraph
from ..graphs.heuristics import MaxOf
from ..graphs.paths import Ball
from ..groups.blocks import PieceStructure, piece_structure
from .bounds import BallBound, OrbitBound
from .kaggle import PuzzleType

__all__ = ["SOLVER_VERSION", "TRAIN_BATCH", "TRAIN_SECONDS", "TRAIN_STEPS", "TRAIN_WORK", "Prepared", "cache_dir",
           "prepare", "train_steps_for"]

log = logging.getLogger(__name__)

#: Bumped when preparation changes in a way that invalidates cached heuristics.
#: 2: 12000 steps of 4096 states, one-cycle learning rate (bfloat16 autocast where faster).
#: 3: the network sees canonical states under the puzzle's colouring symmetries.
#: (The default steps are part of the cache key themselves: 12000 -> 16000 needed no bump.)
SOLVER_VERSION = 3
#: Default training of :func:`prepare`: optimiser steps and states per step, for a
#: network whose work per state is at most :data:`TRAIN_WORK` multiply-adds (about 5
#: minutes on the 2-core development machine, bfloat16, at 19 ms a step: 16000 steps
#: take what 12000 did before the training pool held symbols); larger inputs or layers get
#: proportionally fewer steps (:func:`train_steps_for`), so a 96-sticker cube prepares
#: within the same 10 minutes.
TRAIN_STEPS = 16000
TRAIN_BATCH = 4096
#: Seconds of training :func:`prepare` allows by default: fewer steps than asked when
#: they do not fit (``train_heuristic``'s ``time_budget``). 16000 steps took about 310 s
#: on a 2-core CPU with bfloat16 matrix units (AMX) and 1,031 s on one without (float32,
#: AVX-512), which took preparation to 19 minutes; the budget keeps it within 10.
TRAIN_SECONDS = 420.0
#: Multiply-adds per state of the reference network: 54 positions x 6 symbols one-hot,
#: hidden layers 512 and 256.
TRAIN_WORK = 324 * 512 + 512 * 256 + 256


def train_steps_for(inputs: int, hidden: Sequence[int]) -> int:
    """Training steps of :func:`prepare` for a network with ``inputs`` one-hot inputs
    and ``hidden`` layers: :data:`TRAIN_STEPS` scaled down by the network's
    multiply-adds per state over :data:`TRAIN_WORK` (never up), at least 1000.

    >>> train_steps_for(54 * 6, (512, 256)), train_steps_for(96 * 6, (512, 256))
    (16000, 11152)
    """
    widths = [int(inputs)] + [int(h) for h in hidden] + [1]
    work = sum(a * b for a, b in zip(widths, widths[1:]))
    return max(1000, min(TRAIN_STEPS, int(TRAIN_STEPS * TRAIN_WORK / work) // 16 * 16))


def cache_dir() -> str:
    """Where prepared heuristics are cached: ``$CAYLEY_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/cayley``, else ``~/.cache/cayley``.

    >>> import os
    >>> os.environ["CAYLEY_CACHE_DIR"] = "/tmp/x"; cache_dir()
    '/tmp/x'
    >>> del os.environ["CAYLEY_CACHE_DIR"]
    """
    d = os.environ.get("CAYLEY_CACHE_DIR")
    if d:
        return d
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cayley")


@dataclass
class Prepared:
    """What :func:`prepare` builds for one puzzle type and solution pattern."""

    ptype: PuzzleType
    graph: CayleyGraph
    heuristic: Callable[[np.ndarray], np.ndarray]
    radius: int
    walk_length: int
    seconds: float
    cache_file: str | None
    from_cache: bool
    ball: Ball | None = None
    pball: Ball | None = None
    bound: OrbitBound | None = None
    info: dict = field(default_factory=dict)

    def in_ball(self, state: np.ndarray) -> list[int] | None:
        """The ball's shortest path (move indices) from ``state``, or None outside it."""
        b = self.ball
        hit = b.find(b.encode(np.asarray(state, dtype=np.int64).reshape(1, -1)))
        return None if hit is None else b.path_from(hit[1])

    def meet(self, state: np.ndarray, max_states: int) -> tuple[int, list[int] | None]:
        """Meet in the middle from ``state`` against the ball: a breadth-first ball of
        radius ``d`` around ``state`` (the largest whose worst case fits ``max_states``).
        When the two balls share a state, a shortest path through the nearest common
        one is a shortest path overall: ``(its length, its moves)``. Otherwise every
        path is longer than ``d + radius``: ``(d + radius + 1, None)``.

        Needs inverse-closed moves (puzzle types are): distances from and to ``state``
        are then the same.
        """
        g = self.graph
        inv = g.generators.inverse_index
        if (inv < 0).any():  # a move without its inverse: distances from state differ
            return self.radius + 1, None
        d = _ball_radius(len(g.generators), max_states, cap=64)
        fwd = Ball(g, np.asarray(state, dtype=np.int64), d)  # same graph: same packing
        pos = self.ball.lookup(fwd.rows)
        hits = np.flatnonzero(pos >= 0)
        if not len(hits):
            return fwd.radius + self.radius + 1, None
        total = fwd.depth[hits] + self.ball.depth[pos[hits]]
        i = int(hits[np.argmin(total)])
        there = [int(inv[m]) for m in reversed(fwd.path_from(i))]  # state -> common state
        return int(total.min()), there + self.ball.path_from(int(pos[i]))

    @cached_property
    def pieces(self) -> PieceStructure | None:
        """The puzzle's pieces, :func:`~cayley.groups.blocks.piece_structure` of the moves
        (None when the positions do not split into pieces); computed once."""
        return piece_structure(self.graph.generators.perms)

    def inverse_state(self, state: np.ndarray) -> np.ndarray | None:
        """The state of the inverse scramble: when ``state`` is the solution moved by the
        group element ``p`` (``state = solution[p]``), the solution moved by ``p^-1``.
        Solving it and reading the path backwards, each move inverted, solves ``state``
        (the same optimal length; the heuristic sees other states). ``p`` is found piece
        by piece (:func:`~cayley.groups.blocks.piece_structure`): each block of ``state``
        must match exactly one block of the solution in one orientation. None when that
        fails (pieces that look alike), or when a move has no inverse in the set.

        >>> from cayley.puzzles import PuzzleType
        >>> t = PuzzleType.from_moves("cyc", {"r": [1, 2, 3, 0], "s": [1, 0, 2, 3]})
        >>> p = prepare(t, [0, 1, 2, 3], heuristic="hamming")
        >>> p.inverse_state(np.array([1, 2, 3, 0])).tolist()   # r: its inverse
        [3, 0, 1, 2]
        """
        g = self.graph
        gens = g.generators
        if (gens.inverse_index < 0).any():
            return None
        sol = np.asarray(g.start, dtype=np.int64)
        state = np.asarray(state, dtype=np.int64).reshape(-1)
        ps = self.pieces
        if ps is None:
            return None
        p = np.arange(len(sol))
        for kind in ps.kinds:
            blocks = kind.blocks
            b = blocks.shape[1]
            if kind.rotational:  # the block's orders a generator can give it
                turns = [np.roll(np.arange(b), -r) for r in range(b)]
            else:
                turns = [np.array(t) for t in permutations(range(b))]
            taken: set[int] = set()
            for i, block in enumerate(blocks):
                colours = state[block]
                found = [(j, t) for j, other in enumerate(blocks) for t in turns
                         if np.array_equal(sol[other[t]], colours)]
                if len(found) != 1 or found[0][0] in taken:
                    return None
                j, t = found[0]
                taken.add(j)
                p[block] = blocks[j][t]
        if not np.array_equal(sol[p], state):  # fixed points that differ: not a group element
            return None
        inv = np.empty_like(p)
        inv[p] = np.arange(len(p))
        return sol[inv]

    def lower_bound(self, state: np.ndarray) -> int:
        """A proven lower bound on the moves from ``state`` to the solution: its exact
        distance inside the ball, else the larger of ``radius + 1`` and the orbit
        pattern databases' bound."""
        return int(self.admissible()(np.asarray(state).reshape(1, -1))[0])

    def admissible(self) -> Callable[[np.ndarray], np.ndarray]:
        """The admissible heuristic of this preparation (for IDA*): ball distances,
        maximised with the orbit pattern databases when built."""
        bb = BallBound(self.ball)
        return bb if self.bound is None else MaxOf([bb, self.bound])


# -------------------------------------------------------------------------------------
# preparation
# -------------------------------------------------------------------------------------
def _ball_radius(k: int, max_states: int, cap: int = 8) -> int:
    """Largest r whose non-backtracking bound 1 + k (k-1)^0 + ... + k (k-1)^(r-1) fits."""
    r, total, layer = 0, 1, 1
    while r < cap:
        layer = k if r == 0 else layer * max(1, k - 1)
        if total + layer > max_states:
            break
        total += layer
        r += 1
    return r


def _walk_length(graph: CayleyGraph, ball) -> int:
    """Estimated diameter: log |G| / log(growth ratio of the ball's last layers), x 1.25.

    |G| (sympy's Schreier-Sims) bounds the orbit's size from above; the growth ratio is
    measured on the ball. Clamped to [radius + 2, 200].
    """
    sizes = [len(a) for a in ball.side.layers]
    ratio = sizes[-1] / sizes[-2] if len(sizes) >= 3 and sizes[-2] > 0 else max(2.0, len(graph.generators) - 1.0)
    ratio = max(ratio, 1.5)
    try:
        order = graph.generators.order()
        logn = math.log(order) if order > 1 else 1.0
    except (ValueError, OverflowError, MemoryError, RecursionError):  # fall back on log n!
        logn = math.lgamma(graph.degree + 1)
    est = math.ceil(1.25 * logn / math.log(ratio))
    return int(min(200, max(len(sizes) + 1, est)))


def _symmetry(graph: CayleyGraph) -> str:
    """``"canonical"`` when the puzzle has colouring symmetries besides the identity (a
    cube's 48: the network then sees one state per orbit), else ``"none"`` (also when
    there are too many to list)."""
    from ..groups import colouring_symmetries

    try:
        return "canonical" if len(colouring_symmetries(graph.generators, graph.start)[0]) > 1 else "none"
    except InvalidInputError:
        return "none"


def _key(ptype: PuzzleType, solution: np.ndarray, settings: dict) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({"solver": SOLVER_VERSION, "cayley": __version__, "settings": settings}, sort_keys=True).encode())
    h.update("|".join(ptype.generators.names).encode())
    h.update(np.ascontiguousarray(ptype.generators.perms, dtype=np.int64).tobytes())
    h.update(np.ascontiguousarray(solution, dtype=np.int64).tobytes())
    return h.hexdigest()[:32]


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _load_cached(path: str, graph: CayleyGraph):
    """The cached heuristic at ``path`` when its checksum and graph match, else None."""
    from ..nn.heuristics import NeuralHeuristic

    side = path + ".sha256"
    if not (os.path.isfile(path) and os.path.isfile(side)):
        return None
    try:
        with open(side, encoding="ascii") as f:
            want = f.read(200).strip()
        if _sha256(path) != want:
            log.warning("cached heuristic %s fails its checksum; retraining", path)
            return None
        h = NeuralHeuristic.load(path)  # torch.load(weights_only=True)
    except (OSError, UnicodeDecodeError, InvalidInputError) as exc:
        log.warning("cannot use cached heuristic %s (%s); retraining", path, exc)
        return None
    if not (np.array_equal(h.graph.generators.perms, graph.generators.perms)
            and h.graph.generators.names == graph.generators.names
            and np.array_equal(h.graph.start, graph.start)):
        log.warning("cached heuristic %s was trained for another puzzle; retraining", path)
        return None
    return h


def _save_cached(h, path: str) -> None:
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".h-", suffix=".tmp", dir=folder)
        os.close(fd)
        h.save(tmp)
        digest = _sha256(tmp)
        with open(tmp + ".sha", "w", encoding="ascii") as f:
            f.write(digest + "\n")
        os.replace(tmp, path)
        os.replace(tmp + ".sha", path + ".sha256")
    except (OSError, InvalidInputError) as exc:  # a cache that cannot be written is not fatal
        log.warning("cannot cache the heuristic under %s: %s", folder, exc)


def _neural(ptype: PuzzleType, graph: CayleyGraph, settings: dict, cache_path: str | None, cache: bool,
            precision: str, say: Callable[[str], None], train_seconds: float | None = None
            ) -> tuple[Callable[[np.ndarray], np.ndarray], str, bool]:
    """The neural heuristic of :func:`prepare` (loaded from the cache, else trained and
    cached) as a fast scorer, its cache file and whether it came from the cache."""
    from ..nn.training import train_heuristic
    from ..nn.scoring import OneHotMLP, bfloat16_is_faster

    cfile = cache_path or os.path.join(cache_dir(), "puzzles", _key(ptype, graph.start, settings) + ".pt")
    h = _load_cached(cfile, graph) if cache else None
    from_cache = h is not None
    if h is None:
        # the arithmetic's precision is not part of the key (as the thread count is
        # not): the file's header records it
        tp = "bfloat16" if bfloat16_is_faster(int(settings["hidden"][0])) else "float32"
        say(f"{ptype.name}: training the heuristic ({settings['steps']} steps of {settings['batch']}, "
            f"walks of {settings['walk']} moves, {tp})")
        h = train_heuristic(graph, hidden=tuple(settings["hidden"]), steps=settings["steps"],
                            batch_size=settings["batch"], walk_length=settings["walk"], walk_mode="non_backtracking",
                            symmetry=settings["symmetry"], seed=settings["seed"], precision=tp, schedule="onecycle",
                            progress=_training_progress(ptype.name, say), time_budget=train_seconds)
        ran = h.header["training"]["steps"]
        if ran < settings["steps"]:
            say(f"{ptype.name}: trained {ran} of {settings['steps']} steps (the {train_seconds:g} s budget)")
        if cache:
            _save_cached(h, cfile)
    scorer = OneHotMLP(h, precision=precision)
    say(f"{ptype.name}: scoring in {scorer.describe()}")
    return scorer, cfile, from_cache


def _training_progress(name: str, say: Callable[[str], None]) -> Callable[[int, int, float], None]:
    """A ``progress(step, steps, loss)`` for :func:`train_heuristic` that reports every
    tenth of the steps: the step, the loss, and the time left at the speed so far.

    >>> lines = []
    >>> f = _training_progress("cube", lines.append)
    >>> for s in range(0, 101, 20): f(s, 100, 1.5)
    >>> len(lines), lines[-1].startswith("cube: training step 100/100, loss 1.5")
    (5, True)
    """
    t0 = time.perf_counter()
    shown = [0]

    def report(step: int, steps: int, loss: float) -> None:
        if step <= 0 or (step * 10 // steps <= shown[0] and step < steps):
            return
        shown[0] = step * 10 // steps
        spent = time.perf_counter() - t0
        say(f"{name}: training step {step}/{steps}, loss {loss:.3g}, {spent:.0f} s, "
            f"about {spent / step * (steps - step):.0f} s left")
    return report


def prepare(
    ptype: PuzzleType,
    solution_state: Sequence[str] | np.ndarray,
    *,
    ball_states: int = 2_500_000,
    hidden: Sequence[int] = (512, 256),
    train_steps: int | None = None,
    batch_size: int = TRAIN_BATCH,
    walk_length: int | None = None,
    heuristic: str = "neural",
    bound_states: int = 1_000_000,
    seed: int = 0,
    cache: bool = True,
    cache_path: str | None = None,
    precision: str = "auto",
    progress: Callable[[str], None] | None = None,
    train_seconds: float | None = TRAIN_SECONDS,
) -> Prepared:
    """Build (or load from the cache) what :func:`solve_state` needs for one puzzle type
    and solution state.

    Parameters
    ----------
    ptype : PuzzleType
    solution_state : sequence of labels, or int array of codes
    ball_states : int
        Bound on the states of the ball around the solution (its radius is the largest
        whose worst-case size fits).
    hidden, train_steps, batch_size, walk_length, seed
        Training of the neural heuristic (``train_steps`` default:
        :func:`train_steps_for` the puzzle's one-hot inputs; ``walk_length`` default: an
        estimate of the diameter from the group order and the ball's growth); one-cycle learning rate,
        forward passes in bfloat16 where they measure faster on this CPU (the choice is
        part of the cache key).
    heuristic : {"neural", "hamming"}
        ``"hamming"`` (misplaced labels) needs no training, for tests and tiny puzzles.
    bound_states : int
        States per orbit pattern database (:class:`~cayley.puzzles.bounds.OrbitBound`,
        the lower bounds); 0: none, the ball alone bounds.
    cache : bool
        Load/store the trained heuristic under :func:`cache_dir` (or ``cache_path``).
    precision : {"auto", "float32", "bfloat16"}
        Of the network's hidden layers when scoring (:class:`cayley.nn.scoring.OneHotMLP`;
        ``"auto"``: bfloat16 where it measures faster on this CPU).
    train_seconds : float or None
        Time budget of the training (:data:`TRAIN_SECONDS`): on a slower CPU fewer steps
        than ``train_steps`` run, the learning-rate schedule fitted to them. Like the
        precision, not part of the cache key (the file's header records the steps that
        ran). None: every step, however long.

    Examples
    --------
    >>> from cayley.puzzles import PuzzleType
    >>> t = PuzzleType.from_moves("cyc", {"r": [1, 2, 3, 0], "s": [1, 0, 2, 3]})
    >>> p = prepare(t, ["A", "B", "C", "D"], heuristic="hamming")
    >>> p.radius >= 1, p.graph.degree
    (True, 4)
    """
    t0 = time.perf_counter()
    say = progress or (lambda msg: None)
    if heuristic not in ("neural", "hamming"):
        raise InvalidInputError(f"unknown heuristic {heuristic!r}: expected neural or hamming")
    sol = np.asarray(solution_state)
    if sol.dtype.kind not in "iu":
        labels = sorted({str(x) for x in sol.tolist()})
        code = {lab: i for i, lab in enumerate(labels)}
        sol = np.array([code[str(x)] for x in sol.tolist()], dtype=np.int64)
    if len(sol) != ptype.degree:
        raise InvalidInputError(f"solution state has {len(sol)} labels, puzzle type {ptype.name!r} has degree {ptype.degree}")
    graph = CayleyGraph(ptype.generators, sol)
    k = len(ptype.generators)
    radius = _ball_radius(k, ball_states)
    say(f"{ptype.name}: ball of radius {radius} around the solution")
    ball = Ball(graph, graph.start.copy(), radius)
    radius = ball.radius  # a small puzzle's ball may end early
    pgraph = CayleyGraph(ptype.generators)
    pball = Ball(pgraph, pgraph.start.copy(), max(1, _ball_radius(k, max(1, ball_states // 4))))
    wl = int(walk_length) if walk_length is not None else _walk_length(graph, ball)
    if train_steps is None:
        train_steps = train_steps_for(graph.degree * graph.symbols, hidden)
    settings = {"hidden": list(hidden), "steps": int(train_steps), "batch": int(batch_size), "walk": wl,
                "seed": int(seed), "arch": "mlp", "mode": "non_backtracking", "schedule": "onecycle",
                "symmetry": _symmetry(graph) if heuristic == "neural" else "none"}
    cfile, from_cache = None, False
    if heuristic == "hamming":
        from ..graphs.heuristics import Hamming

        h = Hamming(graph.start)
    else:
        h, cfile, from_cache = _neural(ptype, graph, settings, cache_path if cache_path else None, cache, precision, say,
                                       train_seconds)
    bound = None
    if bound_states > 0:
        bound = OrbitBound.build(graph, max_states=int(bound_states), progress=say)
    sizes = ball.layer_sizes
    return Prepared(ptype, graph, h, radius, wl, time.perf_counter() - t0, cfile, from_cache, ball, pball, bound,
                    {"ball_layers": sizes, "pball_radius": pball.radius, "settings": settings,
                     "scorer": h.describe() if hasattr(h, "describe") else type(h).__name__})
