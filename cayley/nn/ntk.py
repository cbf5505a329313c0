"""Ensembles of two-layer ReLU networks that learn a permutation from k examples.

Giapitzakis, Back de Luca and Fountoulakis (2025, arXiv 2502.16763): a two-layer ReLU
network ``F(x) = W2 ReLU(W1 x)`` trained by gradient descent on the k standard basis
vectors ``e_i`` with targets ``act(e_i, p)`` (a logarithmic training set: k of the
``2^k - 1`` nonzero binary inputs) does not learn the permutation, but the *mean* of many
independently initialised networks does: in the infinite-width limit the trained output
is a Gaussian process whose mean has the sign pattern of the permuted input. Rounding the
ensemble mean at a small threshold recovers the permutation on every nonzero binary input
(normalised to unit length) once the ensemble is large enough.

Parametrisation (standard, bias-free, as the paper's model): ``W1 ~ N(0, sigma_w^2/k)``,
``W2 ~ N(0, 1/width)``. In this parametrisation the neural tangent kernel is dominated by
the readout term ``width * K1``, with ``K1`` the arc-cosine kernel
``K1(x, x') = E_w[ReLU(w.x) ReLU(w.x')]``, so the infinite-width ensemble has mean
``K1(x, X) K1(X, X)^-1 Y`` and, per output coordinate, variance
``K1(x, x) - K1(x, X) K1(X, X)^-1 K1(X, x)`` (:meth:`PermutationEnsemble.analytic_mean_var`).

Rounding pitfall: at a training vector the zero coordinates of the mean are zero up to
the training residual (about 1e-16 in float64, 1e-7 in float32), so a threshold of 0 turns
them into coin flips; the default threshold is 0.01, above the residuals and below the
smallest positive mean (0.04 at ``s = k = 30`` ones).

All ``M`` networks are trained at once as one batched tensor (weights ``(M, width, k)``
and ``(M, k, width)``), full-batch gradient descent with hand-written gradients.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence, Union

import numpy as np
import torch

from ..errors import InvalidInputError
from ..graphs.paths import SeedLike
from ..groups import act, check_permutation, identity

__all__ = ["PermutationEnsemble", "binary_inputs", "arccos_kernel", "random_permutation"]


# about 128 MiB of float32 hidden activations per evaluation chunk
_CHUNK_ELEMENTS = 1 << 25


def _int_seed(seed: SeedLike) -> Optional[int]:
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**62))
    if seed is None:
        return None
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise InvalidInputError(f"seed must be an int, a numpy Generator or None, got {seed!r}")
    return int(seed)


def arccos_kernel(a: np.ndarray, b: np.ndarray, sigma_w: float = 1.0) -> np.ndarray:
    """The first-order arc-cosine kernel ``E_w[ReLU(w.a) ReLU(w.b)]``, ``w ~ N(0, sigma_w^2/k I)``.

    Equal to ``sigma_w^2/k * |a| |b| / (2 pi) * (sin t + (pi - t) cos t)`` with ``t`` the
    angle between ``a`` and ``b`` (Cho and Saul 2009).

    Parameters
    ----------
    a : ndarray, shape (p, k)
    b : ndarray, shape (q, k)
    sigma_w : float

    Returns
    -------
    ndarray, shape (p, q), float64

    Examples
    --------
    >>> e = np.eye(4)
    >>> k = arccos_kernel(e[:2], e[:2])
    >>> bool(np.isclose(k[0, 0], 1 / 8)), bool(np.isclose(k[0, 1], 1 / (8 * np.pi)))
    (True, True)
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    k = a.shape[-1]
    na = np.linalg.norm(a, axis=1)
    nb = np.linalg.norm(b, axis=1)
    outer = np.outer(na, nb)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.where(outer > 0, (a @ b.T) / np.where(outer > 0, outer, 1.0), 1.0)
    t = np.arccos(np.clip(cos, -1.0, 1.0))
    return sigma_w**2 / k * outer / (2 * np.pi) * (np.sin(t) + (np.pi - t) * np.cos(t))


def binary_inputs(
    k: int, *, sample: Optional[int] = None, seed: SeedLike = None
) -> np.ndarray:
    """Nonzero binary inputs of length ``k``, one per row (int8).

    Without ``sample``: all ``2^k - 1`` of them, in counting order. With ``sample=N``: all
    inputs with one or two ones (the hardest ones) followed by ``N`` distinct uniformly
    random inputs with three or more ones.

    Examples
    --------
    >>> binary_inputs(2).tolist()
    [[1, 0], [0, 1], [1, 1]]
    >>> x = binary_inputs(30, sample=100, seed=0)
    >>> x.shape, int((x.sum(axis=1) <= 2).sum())
    ((565, 30), 465)
    """
    if not isinstance(k, (int, np.integer)) or k < 1 or k > 62:
        raise InvalidInputError(f"k must be an integer from 1 to 62, got {k!r}")
    bits = np.arange(k, dtype=np.int64)
    if sample is None:
        if k > 26:
            raise InvalidInputError(f"2^{k} - 1 inputs are too many to list; pass sample=N")
        codes = np.arange(1, 2**k, dtype=np.int64)
    else:
        if not isinstance(sample, (int, np.integer)) or sample < 0:
            raise InvalidInputError(f"sample must be an integer >= 0, got {sample!r}")
        rng = np.random.default_rng(seed)
        i, j = np.triu_indices(k, 1)
        few = np.concatenate([1 << bits, (1 << i) | (1 << j)])
        more = np.empty(0, dtype=np.int64)
        available = 2**k - 1 - len(few)
        if sample > available:
            raise InvalidInputError(f"sample={sample} exceeds the {available} inputs with three or more ones")
        while len(more) < sample:  # rejection: draw, drop the few-ones codes and repeats
            draw = rng.integers(1, 2**k, size=2 * (sample - len(more)) + 16, dtype=np.int64)
            ones = ((draw[:, None] >> bits) & 1).sum(axis=1)
            more = np.unique(np.concatenate([more, draw[ones >= 3]]))
        if len(more) > sample:
            more = rng.choice(more, size=sample, replace=False)
        codes = np.concatenate([few, np.sort(more)])
    return ((codes[:, None] >> bits) & 1).astype(np.int8)


def _check_inputs(x, k: int) -> np.ndarray:
    a = np.asarray(x)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    if a.ndim != 2 or a.shape[1] != k:
        raise InvalidInputError(f"inputs must have shape (m, {k}), got {np.shape(x)}")
    if not np.all((a == 0) | (a == 1)):
        raise InvalidInputError("inputs must be binary (0/1) vectors")
    if not np.all(a.any(axis=1)):
        raise InvalidInputError("inputs must be nonzero (the zero vector has no direction)")
    return a.astype(np.float64)


def _normalise(a: np.ndarray) -> np.ndarray:
    return a / np.linalg.norm(a, axis=1, keepdims=True)


class PermutationEnsemble:
    """``n_models`` two-layer ReLU networks of width ``width`` that learn a permutation of
    ``k`` coordinates from the ``k`` standard basis vectors, trained as one batched tensor.

    The learned map is ``x -> act(x, p) = x[p]`` for a permutation ``p`` (so ``e_i`` goes to
    ``e_j`` with ``p[j] = i``). Inputs are binary vectors, normalised to unit length before
    they enter the networks; predictions are the ensemble mean rounded at ``tau``.

    Parameters
    ----------
    k : int
        Number of coordinates.
    width : int
        Hidden units per network.
    n_models : int
        Ensemble size ``M``.
    sigma_w : float
        First-layer weights are ``N(0, sigma_w^2 / k)``; second-layer ``N(0, 1 / width)``.
    lr : float, optional
        Gradient-descent step on the loss ``sum_i |F(e_i) - y_i|^2 / (2k)``. Default: the
        step that contracts the largest kernel eigenmode in one step,
        ``k / (width * lambda_max(K1) + 1)``.
    steps : int
        Full-batch gradient-descent steps.
    tau : float
        Default rounding threshold of :meth:`predict`.
    dtype : {"float32", "float64"}
    device : str
        Torch device (``"cpu"``, ``"cuda"``).
    seed : int, numpy Generator or None
        Initialisation.

    Examples
    --------
    >>> ens = PermutationEnsemble(4, width=256, n_models=32, seed=0).fit([2, 0, 3, 1])
    >>> x = np.array([[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 1]])
    >>> ens.predict(x).tolist()
    [[0, 1, 0, 0], [0, 1, 0, 1], [1, 0, 1, 1]]
    >>> ens.train_mse < 1e-10
    True
    """

    def __init__(
        self,
        k: int,
        width: int = 1024,
        n_models: int = 128,
        *,
        sigma_w: float = 1.0,
        lr: Optional[float] = None,
        steps: int = 300,
        tau: float = 0.01,
        dtype: str = "float32",
        device: str = "cpu",
        seed: SeedLike = None,
    ):
        for name, v in (("k", k), ("width", width), ("n_models", n_models), ("steps", steps)):
            if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 1:
                raise InvalidInputError(f"{name} must be an integer >= 1, got {v!r}")
        if not (isinstance(sigma_w, (int, float)) and sigma_w > 0):
            raise InvalidInputError(f"sigma_w must be a positive number, got {sigma_w!r}")
        if lr is not None and not (isinstance(lr, (int, float)) and lr > 0):
            raise InvalidInputError(f"lr must be a positive number, got {lr!r}")
        if dtype not in ("float32", "float64"):
            raise InvalidInputError(f"dtype must be float32 or float64, got {dtype!r}")
        self.k, self.width, self.n_models, self.steps = int(k), int(width), int(n_models), int(steps)
        self.sigma_w = float(sigma_w)
        self.tau = float(tau)
        self.dtype = getattr(torch, dtype)
        self.device = torch.device(device)
        self.seed = _int_seed(seed)
        if lr is None:
            lam = float(np.linalg.eigvalsh(arccos_kernel(np.eye(self.k), np.eye(self.k), self.sigma_w))[-1])
            lr = self.k / (self.width * lam + 1.0)
        self.lr = float(lr)
        self.perm: Optional[np.ndarray] = None
        self.w1: Optional[torch.Tensor] = None
        self.w2: Optional[torch.Tensor] = None
        self.train_mse: Optional[float] = None

    # -- training ------------------------------------------------------------------
    def fit(self, perm: Union[Sequence[int], np.ndarray]) -> "PermutationEnsemble":
        """Train every network on ``(e_i, act(e_i, perm))``, i = 0..k-1; returns self.

        Examples
        --------
        >>> ens = PermutationEnsemble(3, width=64, n_models=4, seed=1).fit([1, 2, 0])
        >>> ens.w1.shape, ens.w2.shape
        (torch.Size([4, 64, 3]), torch.Size([4, 3, 64]))
        """
        p = check_permutation(np.asarray(perm), name="perm")
        if len(p) != self.k:
            raise InvalidInputError(f"perm must have length k={self.k}, got {len(p)}: {np.asarray(perm).tolist()}")
        self.perm = p
        gen = torch.Generator(device=self.device)
        if self.seed is None:
            gen.seed()
        else:
            gen.manual_seed(self.seed)
        M, m, k = self.n_models, self.width, self.k
        opts = dict(dtype=self.dtype, device=self.device)
        w1 = torch.randn((M, m, k), generator=gen, **opts) * (self.sigma_w / math.sqrt(k))
        w2 = torch.randn((M, k, m), generator=gen, **opts) / math.sqrt(m)
        # inputs are the basis vectors (rows of I), so W1 x_i is column i of W1
        y = torch.as_tensor(act(np.eye(k), p).T.copy(), **opts)  # y[:, i] = act(e_i, p)
        with torch.no_grad():
            for _ in range(self.steps):
                pre = w1  # (M, m, k): hidden pre-activations, column i for input e_i
                h = torch.relu(pre)
                r = torch.bmm(w2, h) - y  # (M, k_out, k_in) residuals
                g2 = torch.bmm(r, h.transpose(1, 2)) / k
                gh = torch.bmm(w2.transpose(1, 2), r) * (pre > 0)  # (M, m, k_in)
                w1 = w1 - self.lr * gh / k  # d(W1 x_i)/dW1 = x_i^T with x_i = e_i
                w2 = w2 - self.lr * g2
            r = torch.bmm(w2, torch.relu(w1)) - y
        self.w1, self.w2 = w1, w2
        self.train_mse = float((r.double() ** 2).mean())
        return self

    def _check_fitted(self):
        if self.perm is None:
            raise InvalidInputError("the ensemble is not trained yet: call fit(perm) first")

    # -- prediction ------------------------------------------------------------------
    def _outputs(self, xn: torch.Tensor, models: slice) -> torch.Tensor:
        """Per-model outputs ``(M', b, k)`` on normalised inputs ``xn`` ``(b, k)``."""
        h = torch.relu(torch.einsum("Mmk,bk->Mbm", self.w1[models], xn))
        return torch.einsum("Mbm,Mkm->Mbk", h, self.w2[models])

    def _chunks(self, b: int):
        step = max(1, _CHUNK_ELEMENTS // (self.n_models * self.width))
        for i in range(0, b, step):
            yield slice(i, min(b, i + step))

    def mean(self, x) -> np.ndarray:
        """Ensemble mean of the outputs on binary inputs ``x`` ``(m, k)`` (normalised first).

        Examples
        --------
        >>> ens = PermutationEnsemble(3, width=64, n_models=8, seed=0).fit([0, 1, 2])
        >>> (ens.mean([[0, 0, 1]]).round(4) + 0.0).tolist()
        [[0.0, 0.0, 1.0]]
        """
        self._check_fitted()
        xn = _normalise(_check_inputs(x, self.k))
        out = np.empty_like(xn)
        for sl in self._chunks(len(xn)):
            t = torch.as_tensor(xn[sl], dtype=self.dtype, device=self.device)
            out[sl] = self._outputs(t, slice(None)).double().mean(dim=0).cpu().numpy()
        return out

    def predict(self, x, tau: Optional[float] = None) -> np.ndarray:
        """The ensemble's answer: ``1`` where the mean exceeds ``tau`` (default ``self.tau``).

        Examples
        --------
        >>> ens = PermutationEnsemble(3, width=64, n_models=8, seed=0).fit([2, 0, 1])
        >>> ens.predict([1, 0, 0]).tolist()
        [[0, 1, 0]]
        """
        t = self.tau if tau is None else float(tau)
        return (self.mean(x) > t).astype(np.int8)

    def target(self, x) -> np.ndarray:
        """The permuted inputs ``act(x, perm)``, what :meth:`predict` should return.

        >>> PermutationEnsemble(3, n_models=1, width=8, steps=1, seed=0).fit([2, 0, 1]).target([1, 0, 0]).tolist()
        [[0, 1, 0]]
        """
        self._check_fitted()
        return act(_check_inputs(x, self.k), self.perm).astype(np.int8)

    def exact_match_curve(
        self, x, sizes: Optional[Sequence[int]] = None, tau: Optional[float] = None
    ) -> dict[int, float]:
        """Fraction of inputs whose rounded ensemble mean equals the target exactly, for the
        ensembles of the first ``M'`` networks, each ``M'`` in ``sizes`` (default: all
        ``n_models``). One pass over the networks serves every size.

        Examples
        --------
        >>> ens = PermutationEnsemble(4, width=256, n_models=64, seed=0).fit([1, 0, 3, 2])
        >>> ens.exact_match_curve(binary_inputs(4), sizes=[64])
        {64: 1.0}
        """
        self._check_fitted()
        t = self.tau if tau is None else float(tau)
        sizes = [self.n_models] if sizes is None else sorted({int(s) for s in sizes})
        if not sizes or sizes[0] < 1 or sizes[-1] > self.n_models:
            raise InvalidInputError(f"sizes must lie in 1..{self.n_models}, got {sizes!r}")
        xb = _check_inputs(x, self.k)
        xn = _normalise(xb)
        want = torch.as_tensor(act(xb, self.perm) > 0.5, device=self.device)
        idx = torch.as_tensor([s - 1 for s in sizes], device=self.device)
        div = torch.as_tensor(sizes, dtype=torch.float64, device=self.device).reshape(-1, 1, 1)
        hits = torch.zeros(len(sizes), dtype=torch.long, device=self.device)
        for sl in self._chunks(len(xn)):
            xt = torch.as_tensor(xn[sl], dtype=self.dtype, device=self.device)
            cum = torch.cumsum(self._outputs(xt, slice(None)).double(), dim=0)[idx] / div
            hits += ((cum > t) == want[sl]).all(dim=2).sum(dim=1)
        return {s: int(h) / len(xn) for s, h in zip(sizes, hits.cpu().tolist())}

    def exact_match_rate(self, x, tau: Optional[float] = None) -> float:
        """Fraction of inputs ``x`` on which :meth:`predict` is exactly the target.

        >>> ens = PermutationEnsemble(4, width=256, n_models=64, seed=0).fit([1, 0, 3, 2])
        >>> ens.exact_match_rate(binary_inputs(4))
        1.0
        """
        return self.exact_match_curve(x, [self.n_models], tau)[self.n_models]

    # -- infinite width --------------------------------------------------------------
    def analytic_mean_var(self, x) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance of the infinite-width trained ensemble on binary inputs ``x``.

        With ``X`` the basis vectors and ``Y`` their targets, the mean is
        ``K1(x, X) K1(X, X)^-1 Y`` and the variance of every output coordinate is
        ``K1(x, x) - K1(x, X) K1(X, X)^-1 K1(X, x)`` (the readout-dominated NTK limit of
        the standard parametrisation; ``K1`` is :func:`arccos_kernel`). Needs only the
        permutation given to :meth:`fit`, not the trained weights.

        Returns
        -------
        mean : ndarray, shape (m, k)
        var : ndarray, shape (m,)
            The same for every output coordinate.

        Examples
        --------
        >>> ens = PermutationEnsemble(10, n_models=1, width=8, steps=1, seed=0).fit(range(10))
        >>> mu, var = ens.analytic_mean_var([[1, 1, 0, 0, 0, 0, 0, 0, 0, 0]])
        >>> round(float(mu[0, 0]), 4), round(float(mu[0, 9]), 4), round(float(np.sqrt(var[0])), 3)
        (0.6179, -0.0233, 0.079)
        """
        self._check_fitted()
        xn = _normalise(_check_inputs(x, self.k))
        basis = np.eye(self.k)
        kxx = arccos_kernel(basis, basis, self.sigma_w)
        kx = arccos_kernel(xn, basis, self.sigma_w)  # (m, k)
        coef = np.linalg.solve(kxx, kx.T).T  # (m, k): weights of the training targets
        y = act(basis, self.perm)  # row i: target of e_i
        mean = coef @ y
        prior = self.sigma_w**2 / self.k / 2  # K1(x, x) for a unit vector
        var = np.maximum(prior - np.einsum("mk,mk->m", coef, kx), 0.0)
        return mean, var

    def __repr__(self) -> str:
        state = "untrained" if self.perm is None else f"trained, mse={self.train_mse:.1e}"
        return (
            f"PermutationEnsemble(k={self.k}, width={self.width}, n_models={self.n_models}, "
            f"lr={self.lr:.3g}, steps={self.steps}, {state})"
        )


def random_permutation(k: int, seed: SeedLike = None) -> np.ndarray:
    """A uniformly random permutation of ``0..k-1`` (int64).

    >>> sorted(random_permutation(5, seed=0).tolist())
    [0, 1, 2, 3, 4]
    """
    rng = np.random.default_rng(seed)
    return rng.permutation(identity(k))
