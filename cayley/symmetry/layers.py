"""Equivariant torch layers built on :func:`cayley.symmetry.equivariant_basis` (imports torch).

* :class:`EquivariantLinear` ``W = sum_i theta_i B_i`` (plus an invariant bias); orbital
  blocks are stored as an orbit label per entry (``W = theta[labels]``), dense blocks as
  an orthonormal basis. Summands of one type share a basis; the free parameters are one
  ``(m_out, m_in)`` matrix per basis element.
* :class:`GatedNonlinearity` swish on scalars and on permutation-representation blocks
  (pointwise maps commute with permutations), ``x * sigmoid(gate)`` on every other block,
  with an invariant gate scalar from :func:`gated`.
* :class:`EquivariantBilinear` equivariant products of pairs of feature types (what
  turns vectors into invariants such as ``|x|^2`` and ``x . y``).
* :class:`EMLP` stacks ``EquivariantLinear -> (+ bilinear) -> GatedNonlinearity``.

Representation data live in buffers, so ``.to(device)`` / ``.double()`` move them;
constructors take no device.

>>> import torch
>>> from cayley.symmetry import S, V, T, assert_equivariant
>>> G = S(5)
>>> layer = EquivariantLinear(V(G), T(2, 0, G))
>>> sum(p.numel() for p in layer.parameters())   # Bell(3) weights + 2 invariant biases
7
>>> _ = assert_equivariant(layer, V(G), T(2, 0, G), atol=1e-5)
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from ..groups import inverse
from .basis import EquivariantBasis, group_blocks, equivariant_basis
from .errors import RepresentationError
from .groups import Group
from .reps import DirectSum, Rep, T, TensorProduct, Trivial

__all__ = [
    "EquivariantLinear",
    "GatedNonlinearity",
    "EquivariantBilinear",
    "EMLPBlock",
    "EMLP",
    "MLP",
    "gated",
    "uniform_rep",
]


def _layout(types) -> np.ndarray:
    """Grouped position -> original coordinate, for summand types with copy offsets."""
    parts = [off + np.arange(r.size) for r, offs in types for off in offs]
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


class _ExactBuffers(nn.Module):
    """Keeps basis tensors in float64 whatever ``.to(dtype)`` / ``.float()`` does.

    A basis rounded to float32 is no longer exactly equivariant in float64, so the float
    buffers registered here only ever change device; layers cast them to the parameters'
    dtype when they use them.
    """

    def register_exact(self, name: str, array) -> None:
        if not hasattr(self, "_exact_names"):
            self._exact_names = []
        self._exact_names.append(name)
        self.register_buffer(name, torch.as_tensor(np.asarray(array), dtype=torch.float64), persistent=False)

    def _apply(self, fn, recurse=True):
        keep = {n: self._buffers[n] for n in getattr(self, "_exact_names", []) if self._buffers.get(n) is not None}
        out = super()._apply(fn, recurse)
        for n, buf in keep.items():
            device = self._buffers[n].device
            self._buffers[n] = buf.to(device=device)
        return out


class EquivariantLinear(_ExactBuffers):
    """Equivariant affine map ``rep_in -> rep_out``: ``y = W x + b`` with ``W`` in the
    span of the equivariant basis and ``b`` an invariant vector.

    Parameters
    ----------
    rep_in, rep_out : Rep
    bias : bool
        Add an invariant bias (zero-initialised).
    basis : EquivariantBasis, optional
        A precomputed basis (otherwise computed, and cached, here).
    method : str
        Solver route for the basis (see :func:`equivariant_basis`).

    Examples
    --------
    >>> import torch
    >>> from cayley.symmetry import O, V, T
    >>> G = O(3)
    >>> lin = EquivariantLinear(2 * V(G), T(2, 0, G) + V(G))
    >>> lin(torch.randn(4, 6)).shape
    torch.Size([4, 12])
    """

    def __init__(
        self,
        rep_in: Rep,
        rep_out: Rep,
        *,
        bias: bool = True,
        basis: EquivariantBasis | None = None,
        method: str = "auto",
        gain: float = 1.0,
    ):
        super().__init__()
        self.rep_in, self.rep_out = rep_in, rep_out
        B = basis if basis is not None else equivariant_basis(rep_in, rep_out, method=method)
        self.in_types, self.out_types = B.in_types, B.out_types
        self.register_buffer("_in_index", torch.as_tensor(_layout(self.in_types)), persistent=False)
        # W_grouped[rows] has its rows in grouped order; row_perm restores the original order
        self.register_buffer("_row_perm", torch.as_tensor(inverse(_layout(self.out_types))), persistent=False)
        self.weights = nn.ParameterList()
        self._blocks = []  # (o, i, kind, buffer name, dim)
        for (o, i), b in sorted(B.blocks.items()):
            m_o, m_i = len(self.out_types[o][1]), len(self.in_types[i][1])
            name = f"_basis_{o}_{i}"
            if b.kind == "orbital":
                self.register_buffer(name, torch.as_tensor(b.labels, dtype=torch.int64), persistent=False)
            else:
                self.register_exact(name, b.Q)
            self.weights.append(nn.Parameter(torch.randn(b.dim, m_o, m_i)))
            self._blocks.append((o, i, b.kind, name, b.dim))
        with torch.no_grad():  # scale so that rows of W have norm ~ gain (like a fan-in init)
            W = self.weight()
            norm2 = float((W**2).sum())
            if norm2 > 0:
                s = gain * math.sqrt(rep_out.size / norm2)
                for p in self.weights:
                    p.mul_(s)
        self.bias_weights = nn.ParameterList()
        self._bias_blocks = []
        if bias:
            for o, (ro, offs) in enumerate(self.out_types):
                b = equivariant_basis(Trivial(rep_out.group), ro)
                if b.dim == 0:
                    continue
                blk = b.blocks[(0, 0)]
                name = f"_bias_{o}"
                self.register_exact(name, blk.matrix())
                self.bias_weights.append(nn.Parameter(torch.zeros(blk.dim, len(offs))))
                self._bias_blocks.append((o, name))
        self.n_basis = B.dim

    def _block(self, o: int, i: int, kind: str, name: str, theta: torch.Tensor) -> torch.Tensor:
        d_o, d_i = self.out_types[o][0].size, self.in_types[i][0].size
        m_o, m_i = theta.shape[1:]
        basis = getattr(self, name)
        if kind == "orbital":
            blk = theta[basis]  # (d_o * d_i, m_o, m_i): W = theta[labels]
        else:
            blk = torch.einsum("nr,rab->nab", basis.to(theta.dtype), theta)
        return blk.reshape(d_o, d_i, m_o, m_i).permute(2, 0, 3, 1).reshape(m_o * d_o, m_i * d_i)

    def weight(self) -> torch.Tensor:
        """The current ``(rep_out.size, rep_in.size)`` matrix."""
        dtype = next((p.dtype for p in self.parameters()), torch.get_default_dtype())
        device = self._in_index.device
        rows = []
        blocks = {(o, i): (kind, name, w) for (o, i, kind, name, _), w in zip(self._blocks, self.weights)}
        for o, (ro, offs_o) in enumerate(self.out_types):
            cols = []
            for i, (ri, offs_i) in enumerate(self.in_types):
                if (o, i) in blocks:
                    kind, name, w = blocks[(o, i)]
                    cols.append(self._block(o, i, kind, name, w))
                else:
                    cols.append(torch.zeros(len(offs_o) * ro.size, len(offs_i) * ri.size, dtype=dtype, device=device))
            rows.append(torch.cat(cols, dim=1))
        Wg = torch.cat(rows, dim=0)  # grouped rows and columns
        # columns: original coordinate _in_index[k] gets grouped column k
        W = torch.zeros_like(Wg).index_copy(1, self._in_index, Wg)
        return W[self._row_perm]

    def bias(self) -> torch.Tensor | None:
        """The current invariant bias (``None`` without one)."""
        if not self._bias_blocks:
            return None
        present = {o: (name, w) for (o, name), w in zip(self._bias_blocks, self.bias_weights)}
        dtype, device = self.bias_weights[0].dtype, self._in_index.device
        parts = []
        for o, (ro, offs) in enumerate(self.out_types):
            if o in present:
                name, w = present[o]
                parts.append((getattr(self, name).to(dtype) @ w).T.reshape(-1))  # (m, d) copy-major
            else:
                parts.append(torch.zeros(len(offs) * ro.size, dtype=dtype, device=device))
        return torch.cat(parts)[self._row_perm]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.linear(x, self.weight(), self.bias())

    def extra_repr(self) -> str:
        return f"{self.rep_in!r} -> {self.rep_out!r}, {self.n_basis} basis maps"


def _needs_gate(r: Rep) -> bool:
    return not (r.is_trivial or r.is_permutation_rep)


def gated(rep: Rep) -> Rep:
    """``rep`` plus one trivial gate scalar per summand that needs a gate.

    >>> from cayley.symmetry import O, S, V, Trivial
    >>> gated(2 * V(O(3)) + Trivial(O(3))).size, gated(V(S(4))).size
    (9, 4)
    """
    k = sum(_needs_gate(r) for r, _ in rep.blocks())
    return rep if k == 0 else rep + k * Trivial(rep.group)


class GatedNonlinearity(nn.Module):
    """Nonlinearity on ``gated(rep)`` features, returning ``rep`` features.

    Scalars and permutation-representation summands get a pointwise swish (it commutes
    with permutation matrices); every other summand ``x`` becomes ``x * sigmoid(gate)``
    with its own invariant gate scalar, appended at the end by :func:`gated`.

    >>> import torch
    >>> from cayley.symmetry import O, V, Trivial
    >>> GatedNonlinearity(V(O(3)) + Trivial(O(3)))(torch.randn(2, 5)).shape
    torch.Size([2, 4])
    """

    def __init__(self, rep: Rep):
        super().__init__()
        self.rep = rep
        gate_of = np.full(rep.size, -1, dtype=np.int64)
        k = 0
        for r, off in rep.blocks():
            if _needs_gate(r):
                gate_of[off : off + r.size] = k
                k += 1
        self.n_gates = k
        self.register_buffer("_pointwise", torch.as_tensor(gate_of < 0), persistent=False)
        self.register_buffer("_gate_of", torch.as_tensor(np.where(gate_of < 0, 0, gate_of)), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = self.rep.size
        main, gates = x[..., :n], x[..., n:]
        if self.n_gates == 0:
            return nn.functional.silu(main)
        g = torch.sigmoid(gates)[..., self._gate_of]
        return torch.where(self._pointwise, nn.functional.silu(main), main * g)


class EquivariantBilinear(_ExactBuffers):
    """Equivariant bilinear interactions inside one feature representation.

    For every pair of summand types ``(a, b)`` and output type ``c`` with a nonzero space
    of equivariant bilinear maps ``a x b -> c`` (and ``dim a * dim b * dim c <= max_size``)
    the channels of ``a`` and ``b`` are mixed into ``channels`` pairs, multiplied through
    the basis maps, and mixed into the channels of ``c`` (zero-initialised, so the layer
    starts as zero). Channel mixing commutes with the group, so the layer is equivariant.

    >>> import torch
    >>> from cayley.symmetry import O, V, Trivial
    >>> bil = EquivariantBilinear(2 * V(O(3)) + Trivial(O(3)))
    >>> bil(torch.randn(3, 7)).shape
    torch.Size([3, 7])
    """

    def __init__(self, rep: Rep, *, channels: int = 8, max_size: int = 4096):
        super().__init__()
        self.rep = rep
        self.types = group_blocks(rep)
        self.register_buffer("_index", torch.as_tensor(_layout(self.types)), persistent=False)
        self.register_buffer("_perm", torch.as_tensor(inverse(_layout(self.types))), persistent=False)
        self._pairs = []  # (a, b, buffer name, [(c, K_c)])
        self.params = nn.ParameterList()
        for a, (ra, offs_a) in enumerate(self.types):
            for b in range(a, len(self.types)):
                rb, offs_b = self.types[b]
                outs, mats = [], []
                for c, (rc, offs_c) in enumerate(self.types):
                    if ra.size * rb.size * rc.size > max_size:
                        continue
                    basis = equivariant_basis(TensorProduct([ra, rb]), rc)
                    if basis.dim == 0:
                        continue
                    # basis.matrix(): (d_c * d_a * d_b, K) -> (d_a * d_b, K * d_c)
                    Bm = basis.matrix().reshape(rc.size, ra.size * rb.size, basis.dim)
                    mats.append(Bm.transpose(1, 2, 0).reshape(ra.size * rb.size, basis.dim * rc.size))
                    outs.append((c, basis.dim))
                if not outs:
                    continue
                h = min(channels, max(len(offs_a), len(offs_b)))
                name = f"_bil_{a}_{b}"
                self.register_exact(name, np.concatenate(mats, axis=1))
                self.params.append(nn.Parameter(torch.randn(h, len(offs_a)) / math.sqrt(len(offs_a))))
                self.params.append(nn.Parameter(torch.randn(h, len(offs_b)) / math.sqrt(len(offs_b))))
                for c, K in outs:  # zero-initialised output mixing: the layer starts at zero
                    self.params.append(nn.Parameter(torch.zeros(len(self.types[c][1]), h * K)))
                self._pairs.append((a, b, name, outs))
        self._sizes = [len(offs) * r.size for r, offs in self.types]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        lead = x.shape[:-1]
        xg = x.reshape(-1, x.shape[-1])[:, self._index]
        n = xg.shape[0]
        chunks = torch.split(xg, self._sizes, dim=-1)
        feats = [ch.reshape(n, len(offs), r.size) for ch, (r, offs) in zip(chunks, self.types)]
        outs = [torch.zeros_like(f) for f in feats]
        k = 0
        for a, b, name, terms in self._pairs:
            ua, ub = self.params[k], self.params[k + 1]
            k += 2
            u = torch.matmul(ua, feats[a])  # (n, h, d_a): mixing channels commutes with rho
            v = torch.matmul(ub, feats[b])
            h = u.shape[1]
            outer = (u[..., :, None] * v[..., None, :]).reshape(n, h, -1)
            z = outer @ getattr(self, name).to(x.dtype)  # (n, h, sum_c K_c d_c)
            start = 0
            for c, K in terms:
                d_c = self.types[c][0].size
                zc = z[..., start : start + K * d_c].reshape(n, h * K, d_c)
                start += K * d_c
                outs[c] = outs[c] + torch.matmul(self.params[k], zc)
                k += 1
        out = torch.cat([o.reshape(n, -1) for o in outs], dim=-1)[:, self._perm]
        return out.reshape(*lead, -1)


class EMLPBlock(nn.Module):
    """``rep_in -> rep_out``: equivariant linear to ``gated(rep_out)``, a residual bilinear
    interaction, then the gated nonlinearity."""

    def __init__(self, rep_in: Rep, rep_out: Rep, *, bilinear: bool = True, channels: int = 8):
        super().__init__()
        self.linear = EquivariantLinear(rep_in, gated(rep_out))
        self.bilinear = EquivariantBilinear(gated(rep_out), channels=channels) if bilinear else None
        self.nonlinearity = GatedNonlinearity(rep_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.linear(x)
        if self.bilinear is not None:
            h = h + self.bilinear(h)
        return self.nonlinearity(h)


def uniform_rep(ch: int, group: Group, *, max_rank: int = 2) -> Rep:
    """About ``ch`` hidden dimensions spread evenly over tensor ranks ``0..max_rank``.

    Ranks whose tensors are larger than their share are left out.

    >>> from cayley.symmetry import O
    >>> r = uniform_rep(96, O(5))
    >>> r.size, repr(r)
    (87, '32T0+6V+V⊗V')

    For a :class:`~cayley.symmetry.groups.ProductGroup` the tensors are built from the
    factors' representations (each factor, and products of them up to ``max_rank``):

    >>> from cayley.symmetry import ProductGroup, S
    >>> repr(uniform_rep(192, ProductGroup(S(4), O(3))))
    '64T0+8V[S(4)]+10V[O(3)]+V[S(4)]⊗V[S(4)]+V[S(4)]⊗V[O(3)]+2V[O(3)]⊗V[O(3)]'
    """
    share = ch / (max_rank + 1)
    parts = []
    factors = getattr(group, "factors", None)
    if factors is not None:  # a ProductGroup: tensor products of the factors' representations
        from itertools import combinations_with_replacement

        from .reps import Factor, TensorProduct

        basic = [Factor(group, i) for i in range(len(factors))]
        for k in range(max_rank + 1):
            reps = [Trivial(group)] if k == 0 else [
                c[0] if k == 1 else TensorProduct(list(c)) for c in combinations_with_replacement(basic, k)
            ]
            for r in reps:
                m = int(share / len(reps) // r.size)
                if m > 0:
                    parts.append(m * r)
    else:
        for k in range(max_rank + 1):
            d = group.d**k
            m = int(share // d)
            if m > 0:
                parts.append(m * T(k, 0, group))
    if not parts:
        parts = [ch * Trivial(group)]
    return DirectSum(parts)


class EMLP(nn.Module):
    """Equivariant MLP ``rep_in -> rep_out`` (Finzi, Welling, Wilson 2021, in torch).

    ``num_layers`` :class:`EMLPBlock` of hidden representation ``hidden`` (default
    :func:`uniform_rep` of ``ch`` dimensions), then an :class:`EquivariantLinear`.

    Examples
    --------
    >>> import torch
    >>> from cayley.symmetry import O, V, Trivial, assert_equivariant
    >>> G = O(3)
    >>> model = EMLP(2 * V(G), Trivial(G), ch=32, num_layers=1).double()
    >>> _ = assert_equivariant(model, 2 * V(G), Trivial(G), atol=1e-10)
    """

    def __init__(
        self,
        rep_in: Rep,
        rep_out: Rep,
        group: Group | None = None,
        *,
        ch: int = 128,
        num_layers: int = 2,
        hidden: Rep | None = None,
        bilinear: bool = True,
        channels: int = 8,
    ):
        super().__init__()
        group = group or rep_in.group
        if group != rep_in.group or group != rep_out.group:
            raise RepresentationError(f"rep_in and rep_out must be representations of {group}")
        hidden = hidden or uniform_rep(ch, group)
        self.rep_in, self.rep_out, self.hidden = rep_in, rep_out, hidden
        reps = [rep_in] + [hidden] * num_layers
        self.blocks = nn.Sequential(
            *[EMLPBlock(a, b, bilinear=bilinear, channels=channels) for a, b in zip(reps, reps[1:])]
        )
        self.head = EquivariantLinear(reps[-1], rep_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.blocks(x))


class MLP(nn.Module):
    """Plain MLP baseline ``n_in -> ch -> ... -> n_out`` with swish (SiLU).

    >>> import torch
    >>> MLP(10, 1, ch=16, num_layers=2)(torch.randn(3, 10)).shape
    torch.Size([3, 1])
    """

    def __init__(self, n_in: int, n_out: int, *, ch: int = 128, num_layers: int = 2):
        super().__init__()
        dims = [n_in] + [ch] * num_layers
        layers = []
        for a, b in zip(dims, dims[1:]):
            layers += [nn.Linear(a, b), nn.SiLU()]
        layers.append(nn.Linear(dims[-1], n_out))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)
