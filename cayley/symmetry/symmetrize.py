"""Making any model equivariant: group averaging, frame averaging, canonicalisation (torch).

With ``rho_in``, ``rho_out`` the input and output representations and ``phi`` any model:

* :class:`GroupAverage` ``f(x) = 1/|G| sum_g rho_out(g) phi(rho_in(g)^-1 x)`` over all
  elements of a small finite group.
* :class:`FrameAverage` (Puny et al. 2022) the same sum over a *frame*: the few
  elements ``h`` that carry ``x`` to a canonical form ``rho_in(h) x``. Frames here return
  these canonicalising elements; ``f(x) = mean_h rho_out(h^-1) phi(rho_in(h) x)``.
  :func:`sort_frame` (lexicographic minimum over any permutation group, through a
  stabiliser chain; for S_n it sorts, ties give the whole Young subgroup) and
  :func:`pca_frame` (O(n)/SO(n) on point clouds: principal axes with all signs).
* :class:`Canonicalize` (Kaba et al. 2023; Mondal et al. 2023) one canonicalising
  element from a (learned) canonicaliser, ``f(x) = rho_out(h^-1) phi(rho_in(h) x)``, with
  the prior regulariser that pulls ``h`` to the identity on training data. With
  ``relaxed=True`` (Kaba and Ravanbakhsh 2023) ties are *not* averaged over, so a
  symmetric input may be mapped to a less symmetric output: ``f(g x)`` lies in
  ``rho_out(g) rho_out(Stab(x)) f(x)`` (relaxed equivariance); otherwise the frame of
  tied elements is averaged and ``f`` is equivariant on every input.

>>> import torch
>>> from cayley.symmetry import S, V, assert_equivariant
>>> G = S(4)
>>> phi = torch.nn.Linear(4, 4).double()        # not equivariant
>>> f = FrameAverage(phi, V(G), V(G), sort_frame(G))
>>> _ = assert_equivariant(f, V(G), V(G), atol=1e-10)
"""

from __future__ import annotations

import warnings
from typing import Callable

import numpy as np
import torch
from torch import nn

from ..groups import Permutation, inverse
from . import _backend as B
from .errors import RepresentationError
from .groups import Group, MatrixGroup, PermutationGroup
from .reps import Rep

__all__ = [
    "GroupAverage",
    "FrameAverage",
    "Canonicalize",
    "sort_frame",
    "pca_frame",
    "SortCanonicalizer",
    "LearnedPermutationCanonicalizer",
    "LearnedOrthogonalCanonicalizer",
]


def _elements_tensor(group: Group, elems: np.ndarray) -> torch.Tensor:
    if isinstance(group, PermutationGroup):
        return torch.as_tensor(np.asarray(elems), dtype=torch.int64)
    return torch.as_tensor(np.asarray(elems), dtype=torch.float64)


class GroupAverage(nn.Module):
    """``f(x) = mean_g rho_out(g) model(rho_in(g)^-1 x)`` over all elements of a finite group.

    Costs ``|G|`` model calls per input; use :class:`FrameAverage` for larger groups.

    >>> import torch
    >>> from cayley.symmetry import S, V, Trivial, assert_equivariant
    >>> G = S(4)
    >>> f = GroupAverage(torch.nn.Linear(4, 1).double(), V(G), Trivial(G))
    >>> _ = assert_equivariant(f, V(G), Trivial(G), atol=1e-10)
    """

    def __init__(self, model: Callable, rep_in: Rep, rep_out: Rep, *, max_order: int = 10_000):
        super().__init__()
        rep_in._check_group(rep_out)
        self.model, self.rep_in, self.rep_out = model, rep_in, rep_out
        G = rep_in.group
        elems = G.elements(max_order=max_order)
        self.register_buffer("elements", _elements_tensor(G, elems), persistent=False)
        self.register_buffer("inverses", _elements_tensor(G, G.inv(elems)), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        k = len(self.elements)
        lead = x.shape[:-1]
        xs = x.reshape(1, -1, x.shape[-1]).expand(k, -1, -1)
        g = self.elements[:, None]
        gi = self.inverses[:, None]
        gx = self.rep_in.apply(gi if not gi.is_floating_point() else gi.to(x.dtype), xs)
        y = self.model(gx.reshape(-1, x.shape[-1])).reshape(k, -1, self.rep_out.size)
        y = self.rep_out.apply(g if not g.is_floating_point() else g.to(x.dtype), y)
        return y.mean(0).reshape(*lead, self.rep_out.size)


# -- frames ----------------------------------------------------------------------------------


class sort_frame:
    """Frame of a permutation group on ``R^n``: the elements ``h`` with ``rho(h) x = x[h^-1]``
    lexicographically smallest over the group, ties included (the coset ``h Stab(x)``).

    Uses a stabiliser chain with base ``0, 1, ..., n-1`` (Schreier-Sims through
    :meth:`cayley.groups.GeneratorSet.to_sympy`): at base point ``b`` the candidates are
    the orbit of ``b`` under the pointwise stabiliser of the earlier base points, and the
    smallest value wins; ties (within ``tol``) branch. For ``S_n`` this is sorting.

    ``frame(scores)`` takes ``(B, n)`` scores and returns ``(elements, owner)``: stacked
    one-line arrays ``(M, n)`` with ``group.act_on(elements[m], scores[owner[m]])`` canonical, and the
    batch row each belongs to. ``max_size`` caps the branching per input (the first
    elements in lexicographic order are kept; then averaging is no longer exact on
    such highly symmetric inputs). ``first_only=True`` returns one element per input whose
    image is the lexicographic minimum over the group (tied branches are followed and
    merged when their images agree, so the image is canonical on inputs with ties too,
    e.g. one-hot vectors under a group other than S_n).

    >>> import torch
    >>> from cayley.symmetry import S
    >>> f = sort_frame(S(3))
    >>> els, owner = f(torch.tensor([[3.0, 1.0, 2.0], [1.0, 1.0, 0.0]]))
    >>> els.tolist(), owner.tolist()
    ([[2, 0, 1], [2, 1, 0], [1, 2, 0]], [0, 1, 1])
    """

    def __init__(self, group: PermutationGroup, *, tol: float = 0.0, max_size: int = 5040):
        if not isinstance(group, PermutationGroup):
            raise RepresentationError(f"sort_frame needs a permutation group, got {group}")
        self.group, self.tol, self.max_size = group, tol, max_size
        from sympy.combinatorics.util import _distribute_gens_by_base, _orbits_transversals_from_bsgs

        n = group.degree
        sg = group.generators.to_sympy()
        base, strong = sg.schreier_sims_incremental(base=list(range(n)))
        dist = _distribute_gens_by_base(base, strong)
        _, transversals = _orbits_transversals_from_bsgs(base, dist)
        self.levels = []  # (base point, orbit points, coset representatives (k, n))
        for b, tr in zip(base, transversals):
            pts = sorted(tr)
            # act_on(u, x) = x[u^-1] brings x[p] to the base point b
            reps = inverse(np.stack([Permutation.from_sympy(tr[p], n).array for p in pts]))
            if len(pts) > 1:
                self.levels.append((b, np.array(pts), reps))

    def canonical(self, scores: np.ndarray, *, first_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """numpy version of ``__call__`` on a ``(B, n)`` array."""
        scores = np.asarray(scores)
        B_, n = scores.shape
        els = np.broadcast_to(self.group.identity(), (B_, n)).copy()
        owner = np.arange(B_)
        cur = scores.copy()
        for b, pts, reps in self.levels:
            vals = cur[:, pts]  # candidate values at base point b
            best = vals.min(axis=1, keepdims=True)
            hit = vals <= best + self.tol
            rows, cols = np.nonzero(hit)
            # cap the branches per input: keep the first max_size of each owner
            counts = np.bincount(owner[rows], minlength=B_)
            if counts.max() > self.max_size:
                order = np.argsort(owner[rows], kind="stable")
                rank = np.empty(len(rows), dtype=np.int64)
                start = np.concatenate([[0], np.cumsum(counts)[:-1]])
                rank[order] = np.arange(len(rows)) - np.repeat(start, counts)
                keep = rank < self.max_size
                rows, cols = rows[keep], cols[keep]
            u = reps[cols]
            # rho(u) rho(g) x = rho(u g) x: the element and the state advance together
            els = self.group.mul(u, els[rows])
            cur = self.group.act_on(u, cur[rows])
            owner = owner[rows]
            if first_only:  # branches with the same image have the same futures: keep one
                _, keep = np.unique(np.concatenate([owner[:, None], cur], axis=1), axis=0, return_index=True)
                keep.sort()
                els, cur, owner = els[keep], cur[keep], owner[keep]
        if first_only:  # the lexicographically smallest image of each input, one element each
            order = np.lexsort(tuple(cur[:, j] for j in range(n - 1, -1, -1)) + (owner,))
            _, first = np.unique(owner[order], return_index=True)
            pick = order[first]
            els, owner = els[pick], owner[pick]
        return els, owner

    def __call__(self, scores: torch.Tensor, *, first_only: bool = False):
        els, owner = self.canonical(B.to_numpy(scores).astype(np.float64), first_only=first_only)
        dev = scores.device if B.is_torch(scores) else None
        return torch.as_tensor(els, device=dev), torch.as_tensor(owner, device=dev)

    def prior_loss(self, scores: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
        """Mondal et al.'s prior for a discrete canonicaliser: cross-entropy of choosing
        the identity (the base point itself) at every level of the chain, on ``scores``
        left in place. Zero when the identity already canonicalises (with margin)."""
        loss = scores.new_zeros(())
        for b, pts, _ in self.levels:
            logits = -beta * scores[..., torch.as_tensor(pts, device=scores.device)]
            target = int(np.flatnonzero(pts == b)[0])
            loss = loss + nn.functional.cross_entropy(
                logits.reshape(-1, len(pts)), torch.full((logits.shape[0],), target, device=scores.device)
            )
        return loss / max(1, len(self.levels))


def _gram_schmidt(vectors: torch.Tensor) -> torch.Tensor:
    """Columns of ``(..., n, n)`` orthonormalised in order (equivariant: R(gV) = g R(V))."""
    q, r = torch.linalg.qr(vectors)
    # QR's column signs follow diag(r); make them positive so the map is a function of V
    s = torch.sign(torch.diagonal(r, dim1=-2, dim2=-1))
    s = torch.where(s == 0, torch.ones_like(s), s)
    return q * s[..., None, :]


class pca_frame:
    """PCA frame of O(n) / SO(n) acting on point clouds ``x = (p_1, ..., p_m)`` in ``m * V``.

    The principal axes (eigenvectors of ``sum_i p_i p_i^T``; centring is optional) with
    all ``2^n`` sign choices (``2^(n-1)`` with det +1 for ``special=True``) give rotations
    ``R`` with ``R(Qx) = Q R(x)``; frame elements are ``h = R^T`` (so ``rho_in(h) x``
    expresses the points in the principal axes). ``last_eigengap`` holds the smallest
    relative gap between eigenvalues of the last call: the frame is discontinuous where it
    is small, and a ``RuntimeWarning`` is raised below ``min_eigengap``.

    >>> import torch
    >>> f = pca_frame(3)
    >>> els, owner = f(torch.randn(2, 12, dtype=torch.float64))
    >>> els.shape, owner.tolist()
    (torch.Size([16, 3, 3]), [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    """

    def __init__(self, n: int, *, special: bool = False, center: bool = False, min_eigengap: float = 1e-6):
        self.n, self.special, self.center, self.min_eigengap = n, special, center, min_eigengap
        signs = np.array(np.meshgrid(*[[1.0, -1.0]] * n, indexing="ij")).reshape(n, -1).T
        if special:
            signs = signs[np.prod(signs, axis=1) > 0]
        self.signs = torch.as_tensor(signs)
        self.last_eigengap = None

    def axes(self, x: torch.Tensor):
        pts = x.reshape(*x.shape[:-1], -1, self.n)
        if self.center:
            pts = pts - pts.mean(-2, keepdim=True)
        cov = pts.transpose(-1, -2) @ pts
        lam, vec = torch.linalg.eigh(cov)
        gaps = (lam[..., 1:] - lam[..., :-1]) / lam[..., -1:].clamp_min(1e-300)
        self.last_eigengap = gaps.min(-1).values if gaps.shape[-1] else None
        if self.last_eigengap is not None and bool((self.last_eigengap < self.min_eigengap).any()):
            # near-degenerate covariance: the axes (hence the frame) jump, and equivariance
            # degrades; say so instead of failing silently
            warnings.warn(
                f"pca_frame: relative eigengap {float(self.last_eigengap.min()):.2e} below {self.min_eigengap:g}; "
                "the frame is ill-defined for (nearly) isotropic inputs",
                RuntimeWarning,
                stacklevel=3,
            )
        return vec

    def __call__(self, x: torch.Tensor, *, first_only: bool = False):
        vec = self.axes(x)  # (B, n, n) columns = axes
        b = vec.shape[0]
        signs = self.signs.to(vec)
        if self.special:  # fix det(vec) = +1 before flipping signs in pairs
            det = torch.linalg.det(vec)
            vec = torch.cat([vec[..., :, :1] * det[:, None, None], vec[..., :, 1:]], dim=-1)
        if first_only:
            # a deterministic sign choice: the largest-|.| coordinate of each axis made positive
            pts = x.reshape(b, -1, self.n)
            proj = pts @ vec  # (B, m, n)
            third = (proj**3).sum(-2)  # odd moment: flips with the axis
            s = torch.where(third < 0, -torch.ones_like(third), torch.ones_like(third))
            if self.special:
                s[..., -1] = s[..., -1] * torch.prod(s, dim=-1)
            R = vec * s[:, None, :]
            return R.transpose(-1, -2), torch.arange(b, device=x.device)
        R = vec[:, None] * signs[None, :, None, :]  # (B, F, n, n)
        els = R.transpose(-1, -2).reshape(-1, self.n, self.n)
        owner = torch.arange(b, device=x.device).repeat_interleave(len(signs))
        return els, owner


def _scatter_mean(y: torch.Tensor, owner: torch.Tensor, b: int) -> torch.Tensor:
    out = torch.zeros(b, y.shape[-1], dtype=y.dtype, device=y.device).index_add_(0, owner, y)
    counts = torch.bincount(owner, minlength=b).clamp_min(1).to(y.dtype)
    return out / counts[:, None]


class FrameAverage(nn.Module):
    """``f(x) = mean_{h in F(x)} rho_out(h^-1) model(rho_in(h) x)`` for a frame ``F``.

    ``frame(x)`` returns canonicalising elements and the batch row each belongs to (see
    :class:`sort_frame`, :class:`pca_frame`); ``frame_input`` optionally maps ``x`` to
    what the frame looks at (e.g. scores). Exactly equivariant whenever the frame is,
    ``F(rho_in(g) x) = F(x) g^-1``.

    >>> import torch
    >>> from cayley.symmetry import O, V, assert_equivariant
    >>> G = O(3)
    >>> phi = torch.nn.Sequential(torch.nn.Linear(12, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3)).double()
    >>> f = FrameAverage(phi, 4 * V(G), V(G), pca_frame(3))
    >>> _ = assert_equivariant(f, 4 * V(G), V(G), atol=1e-9)

    E(n) = translations and O(n): with ``translation="invariant"`` the input point cloud
    (``m * V``) is centred at its centroid ``c`` before the frame and the model see it, so
    the output is translation invariant (scalars, directions); with
    ``translation="points"`` the outputs are points (``k * V``) and get ``c`` added back,
    so ``f(Qx + t) = Q f(x) + t`` for every orthogonal ``Q`` and translation ``t``.

    >>> f = FrameAverage(phi, 4 * V(G), V(G), pca_frame(3), translation="points")
    >>> x, t = torch.randn(5, 12, dtype=torch.float64), torch.randn(3, dtype=torch.float64)
    >>> torch.allclose(f(x + t.repeat(4)), f(x) + t)
    True
    """

    def __init__(
        self,
        model: Callable,
        rep_in: Rep,
        rep_out: Rep,
        frame: Callable,
        frame_input: Callable | None = None,
        *,
        translation: str | None = None,
    ):
        super().__init__()
        rep_in._check_group(rep_out)
        if translation not in (None, "invariant", "points"):
            raise ValueError(f"translation must be None, 'invariant' or 'points', not {translation!r}")
        if translation is not None:
            d = getattr(frame, "n", None)
            if d is None or rep_in.size % d:
                raise ValueError(f"translation={translation!r} needs a point frame (pca_frame) and rep_in = m * V(O({d}))")
            if translation == "points" and rep_out.size % d:
                raise ValueError(f"translation='points' needs rep_out = k * V(O({d})), not size {rep_out.size}")
        self.model, self.rep_in, self.rep_out, self.frame = model, rep_in, rep_out, frame
        self.frame_input, self.translation = frame_input, translation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        lead = x.shape[:-1]
        x2 = x.reshape(-1, x.shape[-1])
        if self.translation is not None:
            d = self.frame.n
            centroid = x2.reshape(x2.shape[0], -1, d).mean(1)  # (B, d): moves with the translation
            x2 = x2 - centroid.repeat(1, x2.shape[-1] // d)
        with torch.no_grad():
            els, owner = self.frame(self.frame_input(x2) if self.frame_input else x2)
        els = els.to(x.dtype) if els.is_floating_point() else els
        xs = self.rep_in.apply(els, x2[owner])
        y = self.model(xs)
        y = self.rep_out.apply(self.rep_out.group.inv(els), y)
        y = _scatter_mean(y, owner, x2.shape[0])
        if self.translation == "points":
            y = y + centroid.repeat(1, y.shape[-1] // self.frame.n)
        return y.reshape(*lead, self.rep_out.size)


# -- canonicalisation ------------------------------------------------------------------------


class SortCanonicalizer(nn.Module):
    """Canonicaliser of a permutation group from equivariant scores.

    ``scores`` maps the input (``rep_in``) to ``V(G)`` equivariantly (default: the input
    itself, when ``rep_in`` is ``V(G)``); the canonical form is the lexicographic minimum
    of the scores (:class:`sort_frame`).
    """

    def __init__(self, group: PermutationGroup, scores: Callable | None = None, *, tol: float = 0.0, max_size: int = 5040):
        super().__init__()
        self.group = group
        self.scores = scores
        self.frame = sort_frame(group, tol=tol, max_size=max_size)

    def score(self, x: torch.Tensor) -> torch.Tensor:
        return x if self.scores is None else self.scores(x)

    def forward(self, x: torch.Tensor, *, first_only: bool = False):
        return self.frame(self.score(x).detach(), first_only=first_only)

    def prior_loss(self, x: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
        return self.frame.prior_loss(self.score(x), beta)

    def identity_metric(self, x: torch.Tensor) -> float:
        """Fraction of inputs canonicalised by the identity."""
        els, owner = self(x, first_only=True)
        return float((els == torch.arange(els.shape[-1], device=els.device)).all(-1).float().mean())


def LearnedPermutationCanonicalizer(rep_in: Rep, *, hidden: int = 0, **kwargs) -> SortCanonicalizer:
    """A :class:`SortCanonicalizer` whose scores are a trainable equivariant map ``rep_in -> V``.

    >>> from cayley.symmetry import S, V
    >>> c = LearnedPermutationCanonicalizer(V(S(5)))
    >>> sum(p.numel() for p in c.parameters())
    3
    """
    from .layers import EMLP, EquivariantLinear
    from .reps import V as V_

    G = rep_in.group
    net = EquivariantLinear(rep_in, V_(G)) if hidden == 0 else EMLP(rep_in, V_(G), ch=hidden, num_layers=1)
    return SortCanonicalizer(G, net, **kwargs)


class LearnedOrthogonalCanonicalizer(nn.Module):
    """Canonicaliser for O(n) / SO(n): an equivariant network outputs ``n`` vectors,
    Gram-Schmidt makes them a rotation ``R`` with ``R(Qx) = Q R(x)``; the element is
    ``h = R^T``. Prior (Mondal et al.): ``||R - I||^2``.

    >>> import torch
    >>> from cayley.symmetry import O, V
    >>> c = LearnedOrthogonalCanonicalizer(4 * V(O(3)))
    >>> els, owner = c(torch.randn(2, 12))
    >>> els.shape
    torch.Size([2, 3, 3])
    """

    def __init__(self, rep_in: Rep, *, hidden: int = 32, special: bool = False):
        super().__init__()
        from .layers import EMLP
        from .reps import V as V_

        G = rep_in.group
        if not isinstance(G, MatrixGroup):
            raise RepresentationError(f"an orthogonal canonicaliser needs O(n) or SO(n), got {G}")
        self.n, self.special = G.d, special
        from .reps import Trivial

        # at least n + 1 vector channels: n outputs spanning only a few hidden vectors would
        # be linearly dependent, and Gram-Schmidt of dependent vectors is not equivariant
        hidden_rep = max(1, hidden // 2) * Trivial(G) + max(G.d + 1, hidden // (2 * G.d)) * V_(G)
        self.net = EMLP(rep_in, G.d * V_(G), hidden=hidden_rep, num_layers=1)

    def rotation(self, x: torch.Tensor) -> torch.Tensor:
        v = self.net(x).reshape(*x.shape[:-1], self.n, self.n).transpose(-1, -2)  # columns = vectors
        R = _gram_schmidt(v)
        if self.special:
            det = torch.linalg.det(R)
            R = torch.cat([R[..., :-1], R[..., -1:] * det[..., None, None]], dim=-1)
        return R

    def forward(self, x: torch.Tensor, *, first_only: bool = True):
        R = self.rotation(x)
        return R.transpose(-1, -2), torch.arange(x.shape[0], device=x.device)

    def prior_loss(self, x: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
        R = self.rotation(x)
        return beta * ((R - torch.eye(self.n, dtype=R.dtype, device=R.device)) ** 2).sum((-1, -2)).mean()

    def identity_metric(self, x: torch.Tensor, tol: float = 0.1) -> float:
        R = self.rotation(x)
        err = (R - torch.eye(self.n, dtype=R.dtype, device=R.device)).flatten(-2).norm(dim=-1)
        return float((err < tol).float().mean())


class Canonicalize(nn.Module):
    """``f(x) = rho_out(h^-1) model(rho_in(h) x)`` with ``h`` from a canonicaliser.

    Parameters
    ----------
    model : callable
        Any prediction network (possibly pretrained), ``rep_in.size -> rep_out.size``.
    rep_in, rep_out : Rep
    canonicalizer : callable
        ``canonicalizer(x) -> (elements, owner)`` canonicalising elements (a
        :class:`SortCanonicalizer`, :class:`LearnedOrthogonalCanonicalizer`, a frame...).
    relaxed : bool
        ``False``: average over all tied canonicalising elements (the coset ``h Stab``),
        so ``f`` is equivariant on every input. ``True``: keep one, so symmetric inputs
        may map to less symmetric outputs (relaxed equivariance).
    prior_weight : float
        Weight of the canonicaliser's prior in :meth:`regularization`.

    Examples
    --------
    >>> import torch
    >>> from cayley.symmetry import S, V, assert_equivariant
    >>> G = S(5)
    >>> phi = torch.nn.Linear(5, 5).double()
    >>> f = Canonicalize(phi, V(G), V(G), SortCanonicalizer(G))
    >>> _ = assert_equivariant(f, V(G), V(G), atol=1e-10)
    >>> r = Canonicalize(phi, V(G), V(G), SortCanonicalizer(G), relaxed=True)
    >>> r(torch.ones(1, 5, dtype=torch.float64)).shape    # one element even on a symmetric input
    torch.Size([1, 5])
    """

    def __init__(
        self,
        model: Callable,
        rep_in: Rep,
        rep_out: Rep,
        canonicalizer: Callable,
        *,
        relaxed: bool = False,
        prior_weight: float = 0.0,
    ):
        super().__init__()
        rep_in._check_group(rep_out)
        self.model, self.rep_in, self.rep_out = model, rep_in, rep_out
        self.canonicalizer, self.relaxed, self.prior_weight = canonicalizer, relaxed, prior_weight

    def elements(self, x: torch.Tensor):
        try:
            return self.canonicalizer(x, first_only=self.relaxed)
        except TypeError:
            return self.canonicalizer(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        lead = x.shape[:-1]
        x2 = x.reshape(-1, x.shape[-1])
        els, owner = self.elements(x2)
        els = els.to(x.dtype) if els.is_floating_point() else els
        y = self.model(self.rep_in.apply(els, x2[owner]))
        y = self.rep_out.apply(self.rep_out.group.inv(els), y)
        return _scatter_mean(y, owner, x2.shape[0]).reshape(*lead, self.rep_out.size)

    def regularization(self, x: torch.Tensor) -> torch.Tensor:
        """``prior_weight`` times the canonicaliser's prior loss on ``x`` (0 without one)."""
        if self.prior_weight == 0 or not hasattr(self.canonicalizer, "prior_loss"):
            return x.new_zeros(())
        return self.prior_weight * self.canonicalizer.prior_loss(x)
