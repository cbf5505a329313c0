"""Learned path-finding heuristics: distance regressors on one-hot states.

A :class:`NeuralHeuristic` is an MLP or residual MLP (as in the CayleyPy cube and RL
papers: Linear + BatchNorm + ReLU, scalar output) that estimates the distance from a state
to the graph's start. It implements :class:`cayley.graphs.heuristics.Heuristic`, so
:func:`cayley.graphs.paths.beam_search` uses it unchanged. :func:`train_heuristic` fits
one on random-walk step counts (:func:`cayley.graphs.paths.random_walks`, fresh walks for
every batch) or on exact breadth-first distances.

Symmetry. The distance ``d(g)`` of a Cayley graph of a permutation group is invariant
under conjugation by every ``pi`` with ``pi S pi^-1 = S`` (:func:`generator_symmetries`)
and, when ``S`` is closed under inverses, under inversion ``g -> g^-1``. On the one-hot
input (an ``n x n`` matrix) both act by permuting entries, which makes them one
:class:`cayley.symmetry.PermutationGroup` ``K`` of degree ``n^2``. ``symmetry=``:

- ``"none"``: the plain model.
- ``"augment"``: every training state also enters as its ``|K|`` images.
- ``"canonical"``: the model sees one representative of its input's orbit, the image
  ``pi g pi^-1`` or ``pi g^-1 pi^-1`` that is lexicographically smallest as a state:
  exact, bitwise invariance, one model call.
- ``"average"``: :class:`cayley.symmetry.GroupAverage` of the model over ``K`` (``|K|`` calls).

Weights are saved locally (:meth:`NeuralHeuristic.save`): one file holding the torch
state dict and a small JSON header (graph, architecture, symmetry, training summary).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Callable, Literal, Optional, Sequence, Union

import numpy as np
import torch
from torch import nn

from ..errors import InvalidInputError
from ..graphs.graph import CayleyGraph
from ..graphs.paths import random_walks
from ..groups import GeneratorSet, compose, inverse
from ..groups.automorphisms import generator_symmetries
from ..symmetry import PermutationGroup, Trivial, V

__all__ = ["NeuralHeuristic", "train_heuristic", "load_heuristic", "generator_symmetries", "FORMAT"]

log = logging.getLogger(__name__)

FORMAT = "cayley-heuristic"
VERSION = 1
SeedLike = Union[int, np.random.Generator, None]
Symmetry = Literal["none", "augment", "canonical", "average"]
_REFRESH = 16  # training steps served by one pool of random walks
SYMMETRIES = ("none", "augment", "canonical", "average")
ARCHS = ("mlp", "resmlp")


def _input_group(graph: CayleyGraph, symmetry: str) -> tuple[Optional[PermutationGroup], np.ndarray, dict]:
    """The symmetry group ``K`` acting on flattened one-hot inputs (degree ``n * n``), the
    conjugators it comes from, and a summary."""
    if symmetry == "none":
        return None, np.arange(graph.degree).reshape(1, -1), {"conjugators": 1, "inversion": False, "order": 1}
    if graph.is_matrix or graph.is_schreier:
        raise InvalidInputError(
            f"symmetry={symmetry!r} needs a Cayley graph of permutations (distinct symbols in the start), "
            f"got {graph.name}; use symmetry='none'"
        )
    n = graph.degree
    conj = generator_symmetries(graph.generators)
    idx = np.arange(n * n, dtype=np.int64).reshape(n, n)
    lifts = []
    for pi in conj[1:]:
        pinv = inverse(pi)
        # one-hot X[i, g[i]] of pi g pi^-1 is X[pi^-1 a, pi^-1 b] at (a, b)
        lifts.append(idx[pinv][:, pinv].reshape(-1))
    inversion = bool(graph.undirected)
    if inversion:  # the one-hot of g^-1 is the transpose of the one-hot of g
        lifts.append(idx.T.reshape(-1))
    if not lifts:
        lifts.append(idx.reshape(-1))
    K = PermutationGroup(GeneratorSet.from_perms(lifts), name=f"symmetries of {graph.name}")
    return K, conj, {"conjugators": len(conj), "inversion": inversion, "order": len(conj) * (2 if inversion else 1)}


# -------------------------------------------------------------------------------------
# models
# -------------------------------------------------------------------------------------
class _ResBlock(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(width, width), nn.BatchNorm1d(width), nn.ReLU(), nn.Linear(width, width), nn.BatchNorm1d(width)
        )

    def forward(self, x):
        return torch.relu(x + self.body(x))


def _build_model(arch: str, in_features: int, hidden: Sequence[int], blocks: int) -> nn.Module:
    layers: list[nn.Module] = []
    width = in_features
    for h in hidden:
        layers += [nn.Linear(width, h), nn.BatchNorm1d(h), nn.ReLU()]
        width = h
    if arch == "resmlp":
        layers += [_ResBlock(width) for _ in range(blocks)]
    layers.append(nn.Linear(width, 1))
    return nn.Sequential(*layers)


def _check_choice(name, value, choices):
    if value not in choices:
        raise InvalidInputError(f"unknown {name} {value!r}: expected one of {', '.join(choices)}")


# -------------------------------------------------------------------------------------
# the heuristic
# -------------------------------------------------------------------------------------
class NeuralHeuristic:
    """A trained distance regressor as a path-finding heuristic.

    ``h(states)`` takes an ``(m, n)`` integer array (or one state) and returns ``(m,)``
    float64 distance estimates to ``target`` (the graph's start). Build with
    :func:`train_heuristic`, or :meth:`load` a saved one.

    Parameters
    ----------
    graph : CayleyGraph
    arch : {"mlp", "resmlp"}
    hidden : sequence of int
        Widths of the hidden Linear + BatchNorm + ReLU layers.
    blocks : int
        Residual blocks after them (``resmlp``).
    symmetry : {"none", "augment", "canonical", "average"}
    seed : int, numpy Generator or None
        Initialisation.

    Examples
    --------
    >>> g = CayleyGraph.from_spec("S_5", "lrx")
    >>> h = NeuralHeuristic(g, hidden=(16,), symmetry="canonical", seed=0)
    >>> h(np.array([[0, 1, 2, 3, 4], [1, 0, 2, 3, 4]])).shape
    (2,)
    >>> h.symmetry_order     # the reflection i -> 1 - i mod 5, times inversion
    4
    """

    def __init__(
        self,
        graph: CayleyGraph,
        *,
        arch: str = "mlp",
        hidden: Sequence[int] = (256, 256),
        blocks: int = 0,
        symmetry: Symmetry = "none",
        seed: SeedLike = None,
        _header: Optional[dict] = None,
    ):
        if not isinstance(graph, CayleyGraph) or graph.is_matrix:
            raise InvalidInputError(f"a neural heuristic needs a CayleyGraph of permutations, got {graph!r}")
        _check_choice("arch", arch, ARCHS)
        _check_choice("symmetry", symmetry, SYMMETRIES)
        hidden = tuple(int(h) for h in hidden)
        if not hidden or min(hidden) < 1:
            raise InvalidInputError(f"hidden must be one or more positive widths, got {hidden!r}")
        if not isinstance(blocks, (int, np.integer)) or blocks < 0:
            raise InvalidInputError(f"blocks must be an integer >= 0, got {blocks!r}")
        self.graph = graph
        self.target = np.asarray(graph.start, dtype=np.int64)
        self.arch, self.hidden, self.blocks, self.symmetry = arch, hidden, int(blocks), symmetry
        n, c = graph.degree, graph.symbols
        self._n, self._c = n, c
        # relabel: symbol v -> its position in the target (the target's inverse), so the
        # target reads 0..n-1; Schreier graphs (repeated symbols) keep their symbols
        if graph.is_schreier:
            self._code = np.arange(int(self.target.max()) + 1, dtype=np.int64)
        else:
            self._code = inverse(self.target)
        self.group, self.conjugators, info = _input_group(graph, symmetry)
        self.symmetry_info = info
        if seed is not None:
            gen_state = torch.random.get_rng_state()
            torch.manual_seed(int(seed.integers(2**62)) if isinstance(seed, np.random.Generator) else int(seed))
        self.model = _build_model(arch, n * c, hidden, self.blocks)
        if seed is not None:
            torch.random.set_rng_state(gen_state)
        self.model.eval()
        self.scale = 1.0  # targets are divided by this for training
        self._average = None
        if symmetry == "average":
            from ..symmetry import GroupAverage

            self._average = GroupAverage(self.model, V(self.group), Trivial(self.group))
        self.header = dict(_header or {})

    # -- encoding ------------------------------------------------------------------
    @property
    def symmetry_order(self) -> int:
        """``|K|``: conjugators times 2 when inversion applies (1 without symmetry)."""
        return int(self.symmetry_info["order"])

    def _states(self, states) -> np.ndarray:
        s = np.asarray(states)
        if s.ndim == 1:
            s = s.reshape(1, -1)
        if s.ndim != 2 or s.shape[1] != self._n or not np.issubdtype(s.dtype, np.integer):
            raise InvalidInputError(f"states must be an integer array of shape (m, {self._n}), got {s.shape}")
        if len(s) and (s.min() < 0 or s.max() >= len(self._code)):
            raise InvalidInputError(f"states hold symbols outside the target's {self.target.tolist()}")
        return s

    def encode(self, states) -> np.ndarray:
        """One-hot inputs ``(m, n * c)`` float32 of the (relabelled) states, canonicalised
        when ``symmetry="canonical"``.

        >>> h = NeuralHeuristic(CayleyGraph.from_spec("S_3", "lrx"), hidden=(4,), seed=0)
        >>> h.encode([[1, 0, 2]]).reshape(3, 3).tolist()
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
        """
        s = self._code[self._states(states)]
        if self.symmetry == "canonical" and len(s):
            s = self.canonical(s)
        m = len(s)
        x = np.zeros((m, self._n * self._c), dtype=np.float32)
        x[np.arange(m)[:, None], np.arange(self._n) * self._c + s] = 1.0
        return x

    def canonical(self, g: np.ndarray) -> np.ndarray:
        """The orbit representative of each relabelled state (group element) ``g``: the
        lexicographically smallest of ``pi g pi^-1`` (and ``pi g^-1 pi^-1`` when inversion
        is a symmetry) over the conjugators ``pi``. Equal on a whole orbit, so the model
        sees bitwise the same input for every symmetric image of a state.

        >>> h = NeuralHeuristic(CayleyGraph.from_spec("S_4", "lrx"), hidden=(4,), symmetry="canonical")
        >>> h.canonical(np.array([[1, 2, 3, 0], [3, 0, 1, 2], [0, 1, 3, 2]])).tolist()
        [[1, 2, 3, 0], [1, 2, 3, 0], [0, 1, 3, 2]]
        """
        g = np.asarray(g, dtype=np.int64)
        pis = self.conjugators
        # (m, |H|, n) images; conjugation pi g pi^-1 as compose(pi^-1, compose(g, pi))
        imgs = compose(inverse(pis)[None], compose(g[:, None, :], pis[None]))
        if self.symmetry_info["inversion"]:
            gi = inverse(g)
            imgs = np.concatenate([imgs, compose(inverse(pis)[None], compose(gi[:, None, :], pis[None]))], axis=1)
        alive = np.ones(imgs.shape[:2], dtype=bool)
        big = np.iinfo(np.int64).max
        for col in range(g.shape[1]):  # lexicographic minimum, column by column
            vals = np.where(alive, imgs[:, :, col], big)
            alive &= vals == vals.min(axis=1, keepdims=True)
            if not (alive.sum(axis=1) > 1).any():
                break
        return imgs[np.arange(len(g)), np.argmax(alive, axis=1)]

    def _forward(self, x: torch.Tensor) -> torch.Tensor:
        if self._average is not None:
            return self._average(x).reshape(-1)
        return self.model(x).reshape(-1)

    def __call__(self, states) -> np.ndarray:
        x = torch.from_numpy(self.encode(states))
        self.model.eval()
        with torch.no_grad():
            return self._forward(x).double().numpy() * self.scale

    # -- persistence ---------------------------------------------------------------
    def _full_header(self) -> dict:
        g = self.graph.generators
        head = {
            "format": FORMAT,
            "version": VERSION,
            "graph": self.graph.name,
            "degree": self._n,
            "generators": g.perms.tolist(),
            "names": list(g.names),
            "family": g.family,
            "params": {str(k): v for k, v in dict(g.params).items()},
            "start": self.target.tolist(),
            "arch": {"kind": self.arch, "hidden": list(self.hidden), "blocks": self.blocks},
            "symmetry": self.symmetry,
            "symmetry_info": self.symmetry_info,
            "scale": self.scale,
        }
        head.update({k: v for k, v in self.header.items() if k not in head})
        return head

    def save(self, path) -> None:
        """Write the weights (torch state dict) and the JSON header to one local file.

        >>> import tempfile, os
        >>> h = NeuralHeuristic(CayleyGraph.from_spec("S_4", "lrx"), hidden=(8,), seed=0)
        >>> f = os.path.join(tempfile.mkdtemp(), "h.pt")
        >>> h.save(f)
        >>> g = NeuralHeuristic.load(f)
        >>> s = np.array([[3, 2, 1, 0]])
        >>> bool(np.array_equal(g(s), h(s))), g.graph == h.graph
        (True, True)
        """
        blob = {"header": json.dumps(self._full_header(), default=str), "state_dict": self.model.state_dict()}
        try:
            torch.save(blob, path)
        except OSError as exc:
            raise InvalidInputError(f"cannot write heuristic {str(path)!r}: {exc.strerror}") from None

    @classmethod
    def load(cls, path, *, map_location: str = "cpu") -> "NeuralHeuristic":
        """Read a file written by :meth:`save` (weights only: no code is unpickled)."""
        try:
            blob = torch.load(path, map_location=map_location, weights_only=True)
        except FileNotFoundError:
            raise InvalidInputError(f"no heuristic file {str(path)!r}") from None
        except Exception as exc:  # not a torch file, or not a weights-only one
            raise InvalidInputError(f"{str(path)!r} is not a cayley heuristic file ({type(exc).__name__})") from None
        try:
            head = json.loads(blob["header"])
            ok = head.get("format") == FORMAT
        except (TypeError, KeyError, ValueError):
            ok = False
        if not ok:
            raise InvalidInputError(f"{str(path)!r} is not a cayley heuristic file (no {FORMAT} header)")
        if head.get("version", 0) > VERSION:
            raise InvalidInputError(f"{str(path)!r} has format version {head['version']}; this cayley reads {VERSION}")
        gens = GeneratorSet.from_perms(head["generators"], head["names"], family=head.get("family"),
                                       params=head.get("params") or None)
        graph = CayleyGraph(gens, np.asarray(head["start"], dtype=np.int64))
        arch = head["arch"]
        h = cls(graph, arch=arch["kind"], hidden=arch["hidden"], blocks=arch["blocks"], symmetry=head["symmetry"],
                _header={k: v for k, v in head.items() if k in ("training", "graph_spec")})
        h.model.load_state_dict(blob["state_dict"])
        h.model.eval()
        h.scale = float(head["scale"])
        return h

    def __repr__(self) -> str:
        return (
            f"NeuralHeuristic({self.graph.name}, arch={self.arch!r}, hidden={list(self.hidden)}, "
            f"blocks={self.blocks}, symmetry={self.symmetry!r})"
        )


def load_heuristic(path) -> NeuralHeuristic:
    """Load a heuristic saved by :meth:`NeuralHeuristic.save` (alias of :meth:`NeuralHeuristic.load`).

    >>> load_heuristic("/nonexistent/h.pt")
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: no heuristic file '/nonexistent/h.pt'
    """
    return NeuralHeuristic.load(path)


# -------------------------------------------------------------------------------------
# training
# -------------------------------------------------------------------------------------
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
    progress: Optional[Callable[[int, int, float], None]] = None,
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
    walk_mode : {"classic", "non_backtracking"}
    seed : int, numpy Generator or None
    progress : callable, optional
        ``progress(step, steps, loss)`` every 20 steps and at the end.

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
    _check_choice("data", data, ("walks", "bfs"))
    _check_choice("walk_mode", walk_mode, ("classic", "non_backtracking"))
    for name, v in (("steps", steps), ("batch_size", batch_size)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 1:
            raise InvalidInputError(f"{name} must be an integer >= 1, got {v!r}")
    if not (isinstance(lr, (int, float)) and lr > 0):
        raise InvalidInputError(f"lr must be a positive number, got {lr!r}")
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
        states = h._states(states)
        distances = np.asarray(distances, dtype=np.float64).reshape(-1)
        if len(distances) != len(states) or not len(states):
            raise InvalidInputError(f"got {len(states)} states but {len(distances)} distances")
        source = "given" if data != "bfs" else "bfs"
        scale = max(1.0, float(distances.max()))
        pool_x = _augmented(h, states)
        pool_y = np.tile(distances / scale, len(pool_x) // len(states)).astype(np.float32)
    else:
        source = f"walks ({walk_mode})"
        length = walk_length if walk_length is not None else min(200, max(1, n * (n - 1) // 2))
        if not isinstance(length, (int, np.integer)) or length < 1:
            raise InvalidInputError(f"walk_length must be an integer >= 1, got {walk_length!r}")
        scale = float(length)
        # a pool of fresh walks every _REFRESH steps, served in random batches
        count = max(1, _REFRESH * batch_size // (length + 1))
    h.scale = scale
    opt = torch.optim.Adam(h.model.parameters(), lr=lr)
    model = h.model
    model.train()
    ema = None
    for step in range(1, steps + 1):
        if states is not None:
            pick = rng.integers(len(pool_x), size=min(batch_size, len(pool_x)))
            xb, yb = pool_x[pick], pool_y[pick]
        else:
            if (step - 1) % _REFRESH == 0:
                w = random_walks(graph, count=count, length=length, mode=walk_mode, seed=rng)
                pool_x = _augmented(h, w.states, rng=rng)
                pool_y = (w.steps / scale).astype(np.float32)
                perm = rng.permutation(len(pool_x))
            part = perm[(((step - 1) % _REFRESH) * batch_size + np.arange(batch_size)) % len(perm)]
            xb, yb = pool_x[part], pool_y[part]
        x = torch.from_numpy(xb)
        y = torch.from_numpy(yb)
        if h._average is not None:
            pred = h._average(x).reshape(-1)
        else:
            pred = model(x).reshape(-1)
        loss = torch.mean((pred - y) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        lv = float(loss.detach()) * scale * scale
        ema = lv if ema is None else 0.95 * ema + 0.05 * lv
        if progress is not None and (step % 20 == 0 or step == steps):
            progress(step, steps, ema)
    model.eval()
    h.header["training"] = {
        "data": source,
        "steps": int(steps),
        "batch_size": int(batch_size),
        "lr": float(lr),
        "walk_length": int(length) if length else None,
        "final_mse": ema,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    log.info("trained %r in %.1f s, mse %.3g", h, time.perf_counter() - t0, ema)
    return h


def _augmented(h: NeuralHeuristic, states: np.ndarray, rng=None) -> np.ndarray:
    """Encoded states; with ``symmetry="augment"`` all ``|K|`` images of each (all of
    them stacked image-major for a fixed training set, one random image each for walks)."""
    x = h.encode(states)
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
