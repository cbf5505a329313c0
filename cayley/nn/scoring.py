"""Fast inference of a trained :class:`~cayley.nn.heuristics.NeuralHeuristic` for search.

Beam search spends nearly all its time scoring candidates, so :class:`OneHotMLP`
evaluates a plain MLP heuristic (Linear + BatchNorm + ReLU layers, symmetry ``"none"``
or ``"canonical"``, whose states are canonicalised first) with the same function but less
work:

- the first Linear layer of a one-hot ``(n x c)`` input is a sum of ``n`` columns of its
  weight, gathered by ``embedding_bag`` (the one-hot vector is never built);
- every eval-mode BatchNorm is folded into the Linear layer before it;
- the first layer's table and the hidden layers after it run in bfloat16 where that is
  faster on this CPU (measured once when the scorer is built: on CPUs with AMX or
  AVX-512 BF16 the matrix products are about 3x faster, elsewhere often slower), while
  the output layer stays in float32, so scores are not rounded to bfloat16's 8-bit
  mantissa (which would tie many candidates);
- the first layer's bias is one more table row in every bag, ReLUs run in place, and
  states are scored in chunks of 8192 under ``torch.inference_mode`` (the activations
  stay in cache: 2x faster than chunks of 65536 here).

Other architectures fall back on calling the heuristic itself (chunked).
"""

from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np
import torch
import torch.nn.functional as F
from numba import njit, prange
from torch import nn

__all__ = ["OneHotMLP", "PRECISIONS", "bfloat16_is_faster"]

PRECISIONS = ("auto", "float32", "bfloat16")


def bfloat16_is_faster(width: int = 512, rows: int = 4096, factor: float = 1.3) -> bool:
    """Whether a ``(rows x width) @ (width x width/2)`` product runs at least ``factor``
    times faster in bfloat16 than in float32 on this machine (the best of five timings
    of each after two warm-ups: a few ms).

    >>> isinstance(bfloat16_is_faster(64, 256), bool)
    True
    """
    return _speedup(lambda x, w: F.linear(x, w), width, rows) >= factor


def _best_time(run: Callable[[Any], Any], setup: Callable[[], Any] = lambda: None) -> float:
    """The best of five timings of ``run(setup())`` after two warm-up calls (oneDNN builds
    its kernels on the first calls); ``setup`` is not timed."""
    with torch.inference_mode():
        run(setup()), run(setup())
        best = float("inf")
        for _ in range(5):
            arg = setup()
            t = time.perf_counter()
            run(arg)
            best = min(best, time.perf_counter() - t)
    return best


def _speedup(fn, width: int, rows: int) -> float:
    """float32 time over bfloat16 time of ``fn(x, w)`` (best of five each)."""
    best = {}
    for dt in (torch.float32, torch.bfloat16):
        x = torch.randn(rows, width).to(dt)
        w = torch.randn(max(1, width // 2), width).to(dt)
        best[dt] = _best_time(lambda _: fn(x, w))
    return best[torch.float32] / max(best[torch.bfloat16], 1e-9)


@njit(cache=True, parallel=True)
def _bag_rows(states: np.ndarray, code: np.ndarray, c: int, paired: bool, out: np.ndarray) -> None:
    """``out[i]``: the table rows of state ``i`` (symbols relabelled by ``code``): for
    single positions ``j * c + code[s_j]``; for pairs ``(j * c + code[s_2j]) * c +
    code[s_2j+1]`` (an odd last position pairs with symbol 0); then the bias row."""
    m, n = states.shape
    bags = out.shape[1] - 1
    for i in prange(m):
        if paired:
            for j in range(bags):
                a = code[states[i, 2 * j]]
                b = code[states[i, 2 * j + 1]] if 2 * j + 1 < n else 0
                out[i, j] = (j * c + a) * c + b
            out[i, bags] = bags * c * c
        else:
            for j in range(n):
                out[i, j] = j * c + code[states[i, j]]
            out[i, n] = n * c


def _relu16_(x: torch.Tensor) -> torch.Tensor:
    """ReLU in place on a bfloat16 tensor, through its bits: a bfloat16 is negative
    exactly when its sign bit is set, that is when its bits read as an int16 are
    negative, and the bits 0 are +0.0. About 4x faster than ``torch.relu_`` on bfloat16
    on this CPU.

    >>> _relu16_(torch.tensor([-1.5, 0.0, 2.0, -0.0], dtype=torch.bfloat16)).tolist()
    [0.0, 0.0, 2.0, 0.0]
    """
    x.view(torch.int16).clamp_(min=0)
    return x


def _fold(linear: nn.Linear, bn: nn.BatchNorm1d) -> tuple[torch.Tensor, torch.Tensor]:
    """Weight and bias of ``bn(linear(x))`` in eval mode as one affine map."""
    g = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    return linear.weight * g[:, None], (linear.bias - bn.running_mean) * g + bn.bias


class OneHotMLP:
    """Scores states like ``h(states)`` (float64 distances), faster; see the module text.

    Parameters
    ----------
    h : NeuralHeuristic
    precision : {"auto", "float32", "bfloat16"}
        Of the hidden layers after the first. ``"auto"``: bfloat16 when a timing on
        this machine finds it at least 1.3x faster than float32.
    chunk : int
        States per model call.
    pairs : {"auto", True, False}
        Gather the first layer over pairs of positions (see the module text); ``"auto"``:
        when the pair table has at most ``2**21`` numbers and a timing finds it faster.

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> from cayley.nn import NeuralHeuristic
    >>> h = NeuralHeuristic(CayleyGraph.from_spec("S_6", "lrx"), hidden=(16, 8), symmetry="none", seed=0)
    >>> s = np.array([[5, 4, 3, 2, 1, 0], [1, 0, 2, 3, 4, 5]])
    >>> fast = OneHotMLP(h, precision="float32")
    >>> fast.fast, bool(np.allclose(fast(s), h(s), atol=1e-4))
    (True, True)
    >>> bool(np.allclose(OneHotMLP(h, precision="float32", pairs=True)(s), h(s), atol=1e-4))
    True
    """

    def __init__(self, h: Any, precision: str = "auto", chunk: int = 8192, pairs: Any = "auto"):
        if precision not in PRECISIONS:
            raise ValueError(f"unknown precision {precision!r}: expected one of {', '.join(PRECISIONS)}")
        self.h = h
        self.target = h.target
        self.scale = float(h.scale)
        self.chunk = int(chunk)
        self.precision = "float32"
        layers = list(h.model)
        # "canonical": states are mapped to their orbit's representative first (in the
        # model's symbols, so the gather then needs no relabelling)
        self.canonical = h.symmetry == "canonical"
        # the relabelling of a Schreier graph's symbols is the identity: states keep their
        # dtype (uint8 in a beam) on the way to the canonical kernel
        self.relabel = not np.array_equal(h._code, np.arange(len(h._code)))
        affine = self._pairs(layers) if (h.symmetry in ("none", "canonical") and h.arch == "mlp") else None
        self.fast = affine is not None
        self.paired = False
        if affine is None:
            return
        with torch.no_grad():
            folded = [_fold(lin, bn) for lin, bn in affine]
            last = layers[-1]
            w0, b0 = folded[0]
            self.table = w0.t().contiguous()  # row j: the first layer's response to input j
            self.bias = b0.contiguous()
            self.hidden32 = [(w.contiguous(), b.contiguous()) for w, b in folded[1:]]
            self.out = (last.weight.detach().clone(), last.bias.detach().clone())
        self.hidden16 = [(w.to(torch.bfloat16), b.to(torch.bfloat16)) for w, b in self.hidden32]
        # the bias as one more table row that every bag includes: no separate addition
        self.tables = {"float32": torch.cat([self.table, self.bias[None]]).contiguous()}
        self.tables["bfloat16"] = self.tables["float32"].to(torch.bfloat16)
        self.n, self.c = h._n, h._c
        code = np.arange(len(h._code)) if self.canonical else h._code
        self.code_np = np.ascontiguousarray(code, dtype=np.int64)
        if precision == "auto":
            precision = self._pick()
        self.precision = precision
        if pairs not in ("auto", True, False):
            raise ValueError(f"pairs must be 'auto', True or False, got {pairs!r}")
        if pairs is True or (pairs == "auto" and self._pair_rows() * self.table.shape[1] <= 1 << 21):
            self._pair_tables()
            self.paired = True if pairs is True else self._pairs_faster()

    def describe(self) -> str:
        """How this scorer evaluates the network, for logs: ``"bfloat16, pair table"``,
        ``"float32, single table"`` or ``"the model itself"`` (no fast path).

        >>> from cayley import CayleyGraph
        >>> from cayley.nn import NeuralHeuristic
        >>> h = NeuralHeuristic(CayleyGraph.from_spec("S_6", "lrx"), hidden=(16, 8), symmetry="none", seed=0)
        >>> OneHotMLP(h, precision="float32", pairs=False).describe()
        'float32, single table'
        """
        if not self.fast:
            return "the model itself"
        return f"{self.precision}, {'pair' if self.paired else 'single'} table"

    def _pair_rows(self) -> int:
        """Rows of the pair table: ``ceil(n / 2)`` pairs times ``c^2`` symbol pairs."""
        return (self.n + 1) // 2 * self.c * self.c

    def _pair_tables(self) -> None:
        """The first layer over pairs of positions: row ``(i * c + a) * c + b`` holds the
        columns of ``a`` at position ``2i`` plus ``b`` at ``2i + 1`` (an odd ``n`` pads a
        last position of zero columns), then the bias row."""
        n, c, width = self.n, self.c, self.table.shape[1]
        single = torch.zeros((n + n % 2) * c, width)
        single[: n * c] = self.table
        w = single.reshape(-1, 2, c, width)  # (pair, first or second, symbol, width)
        paired = (w[:, 0, :, None, :] + w[:, 1, None, :, :]).reshape(-1, width)
        self.ptables = {"float32": torch.cat([paired, self.bias[None]]).contiguous()}
        self.ptables["bfloat16"] = self.ptables["float32"].to(torch.bfloat16)

    def _indices(self, s: np.ndarray, paired: bool) -> torch.Tensor:
        """The ``embedding_bag`` rows of each state (and the bias row last)."""
        s = np.ascontiguousarray(s)
        if s.dtype not in (np.uint8, np.int64):
            s = s.astype(np.int64)
        half = (self.n + 1) // 2
        out = np.empty((len(s), (half if paired else self.n) + 1), dtype=np.int32)
        _bag_rows(s, self.code_np, self.c, paired, out)
        return torch.from_numpy(out)

    def _pairs_faster(self) -> bool:
        """Whether scoring random states through the pair table is faster here: both ways
        are warmed up (twice each) before either is timed, then timed in turn, the best of
        five each. (Timing one way completely before warming the other made the first
        scorer of a process pick the slower single table: oneDNN was still building its
        kernels during the first timings.)"""
        s = np.random.default_rng(0).integers(0, len(self.h._code), size=(self.chunk, self.n))
        best = {False: float("inf"), True: float("inf")}
        with torch.inference_mode():
            for paired in (False, True, False, True):
                self.paired = paired
                self._score(s)
            for _ in range(5):
                for paired in (False, True):
                    self.paired = paired
                    t = time.perf_counter()
                    self._score(s)
                    best[paired] = min(best[paired], time.perf_counter() - t)
        return best[True] < best[False]

    @staticmethod
    def _pairs(layers: list) -> list[tuple[nn.Linear, nn.BatchNorm1d]] | None:
        """The (Linear, BatchNorm1d) pairs of ``Linear, BN, ReLU, ..., Linear``, or None
        for any other layout."""
        if len(layers) < 4 or (len(layers) - 1) % 3 or not isinstance(layers[-1], nn.Linear):
            return None
        pairs = []
        for i in range(0, len(layers) - 1, 3):
            lin, bn, act = layers[i : i + 3]
            if not (isinstance(lin, nn.Linear) and isinstance(bn, nn.BatchNorm1d) and isinstance(act, nn.ReLU)):
                return None
            pairs.append((lin, bn))
        return pairs

    def _pick(self) -> str:
        """``"bfloat16"`` when it is at least 1.3x faster than float32 here on this
        model's layers after the first (best of five timings each), else ``"float32"``."""
        if not self.hidden32:
            return "float32"
        x = torch.randn(self.chunk, self.table.shape[1])
        best = {}
        for p in ("float32", "bfloat16"):
            xp = x.to(torch.bfloat16) if p == "bfloat16" else x
            best[p] = _best_time(lambda xc: self._rest(xc, p), xp.clone)
        return "bfloat16" if best["bfloat16"] * 1.3 < best["float32"] else "float32"

    def _rest(self, x: torch.Tensor, precision: str) -> torch.Tensor:
        """Layers after the first (whose pre-activations are ``x``, overwritten), float32 out."""
        with torch.inference_mode():
            if precision == "bfloat16":
                x = _relu16_(x.to(torch.bfloat16))  # no copy when it is already
                for w, b in self.hidden16:
                    x = _relu16_(F.linear(x, w, b))
                x = x.float()
            else:
                x = torch.relu_(x)
                for w, b in self.hidden32:
                    x = torch.relu(F.linear(x, w, b))
            return F.linear(x, *self.out).reshape(-1)

    def _one(self, s: np.ndarray) -> np.ndarray:
        if not self.canonical:
            return self._score(s)
        return self._score(self.h.canonical(self.h._code[s] if self.relabel else s))

    def _score(self, s: np.ndarray) -> np.ndarray:
        idx = self._indices(s, self.paired)
        tables = self.ptables if self.paired else self.tables
        with torch.inference_mode():
            x = F.embedding_bag(idx, tables[self.precision], mode="sum")
            out = self._rest(x, self.precision)
        return out.double().numpy() * self.scale

    def __call__(self, states: Any) -> np.ndarray:
        if not self.fast:
            s = np.asarray(states)
            if s.ndim == 1:
                s = s.reshape(1, -1)
            parts = [np.asarray(self.h(s[i : i + self.chunk]), dtype=np.float64) for i in range(0, len(s), self.chunk)]
            return np.concatenate(parts) if parts else np.zeros(0)
        s = self.h._states(states)  # checks the shape and the symbols
        if len(s) <= self.chunk:
            return self._one(s)
        return np.concatenate([self._one(s[i : i + self.chunk]) for i in range(0, len(s), self.chunk)])
