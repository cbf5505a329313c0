"""Representations of groups given by generators (numpy; torch tensors accepted too).

A representation ``rho`` of a :class:`~cayley.symmetry.groups.Group` is applied, never
stored: ``rep.apply(g, x)`` computes ``rho(g) x`` on the last axis of ``x`` (numpy array
or torch tensor), with ``g`` one element or a batch broadcasting against ``x``'s leading
axes; ``rep.dapply(A, x)`` applies the Lie-algebra representation ``drho(A)``. Tensor
products are applied factor by factor on a reshaped ``x`` (lazy Kronecker product), so
``T(4)`` of the cube group (54**4 = 8.5 M coordinates) is never formed as a matrix.

Building reps::

    V(G)            defining representation (permutation matrices / the matrices)
    Trivial(G)      scalars;  Sign(G): parity (permutations) or sign of det (matrices)
    Regular(G)      left regular representation of a small finite group
    a + b, 3 * a    direct sums;   a * b, a ** k   tensor products
    a.T             dual (rho(g^-1)^T);   a >> b = Hom(a, b) = b * a.T
    T(p, q, G)      V^(x p) (x) (V*)^(x q)

>>> import numpy as np
>>> G = S(4)
>>> rep = T(2, 0, G) + V(G)
>>> rep.size, rep.is_permutation_rep
(20, True)
>>> g, h = G.random_elements(2, seed=0)
>>> np.allclose(rep.dense(G.mul(g, h)), rep.dense(g) @ rep.dense(h))
True
>>> W = np.eye(4)             # the identity map V -> V is equivariant
>>> x = np.arange(4.0)
>>> np.allclose(W @ V(G).apply(g, x), V(G).apply(g, W @ x))
True
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from . import _backend as B
from .errors import RepresentationError
from .groups import SO, Z, Group, MatrixGroup, PermutationGroup, S  # noqa: F401 (S, SO, Z: doctests)

__all__ = [
    "Rep",
    "Trivial",
    "Sign",
    "V",
    "Regular",
    "Factor",
    "Dual",
    "DirectSum",
    "TensorProduct",
    "T",
    "Hom",
    "Scalar",
    "LazyOperator",
]


def _expand_elem(group: Group, g):
    """Insert one batch axis just before the element axes of ``g``."""
    return g[..., None, :] if group.elem_ndim == 1 else g[..., None, :, :]


class LazyOperator:
    """A linear operator given by its action; ``op @ x`` works on vectors or columns.

    ``op.T`` is the transpose, ``op.dense()`` the matrix (small operators only).

    >>> G = S(3)
    >>> op = (V(G) * V(G)).rho(G.discrete_generators[0])
    >>> op.shape, op.dense().shape
    ((9, 9), (9, 9))
    """

    def __init__(self, shape, apply, apply_t):
        self.shape = shape
        self._apply, self._apply_t = apply, apply_t

    def __matmul__(self, x):
        # columns (N, k) -> apply on the last axis of x.T
        if getattr(x, "ndim", 1) == 1:
            return self._apply(x)
        return B.mT(self._apply(B.mT(x)))

    @property
    def T(self) -> "LazyOperator":
        return LazyOperator(self.shape[::-1], self._apply_t, self._apply)

    def dense(self) -> np.ndarray:
        return B.mT(self._apply(np.eye(self.shape[1])))


class Rep:
    """Base class of representations.

    A subclass's ``__init__`` stores the facts that identify it: ``group``, ``size``,
    ``key`` (a hashable tuple; representations with equal keys are equal) and, where they
    differ from the class defaults, ``is_permutation_rep`` and ``is_trivial``. It defines
    ``apply``, ``dapply`` and, for permutation representations, ``perm``.
    """

    group: Group
    size: int
    key: tuple
    #: whether every ``rho(g)`` permutes coordinates (so pointwise maps commute)
    is_permutation_rep: bool = False
    #: whether every ``rho(g)`` is the identity
    is_trivial: bool = False

    # -- interface -----------------------------------------------------------------------
    def apply(self, g, x, *, transpose: bool = False):
        """``rho(g) x`` (or ``rho(g)^T x``) on the last axis of ``x``."""
        raise NotImplementedError

    def dapply(self, A, x, *, transpose: bool = False):
        """``drho(A) x`` (or its transpose) for a Lie-algebra element ``A`` (``(d, d)``)."""
        raise NotImplementedError

    def perm(self, g) -> np.ndarray:
        """One-line array ``q`` with ``rho(g) x == x[..., q]`` (permutation reps only)."""
        raise RepresentationError(f"{self} is not a permutation representation")

    def blocks(self) -> list[tuple["Rep", int]]:
        """Direct-sum summands with their offsets (a non-sum is its own one block)."""
        return [(self, 0)]

    # -- derived -------------------------------------------------------------------------
    def rho(self, g) -> LazyOperator:
        """``rho(g)`` as a lazy operator."""
        return LazyOperator(
            (self.size, self.size), lambda x: self.apply(g, x), lambda x: self.apply(g, x, transpose=True)
        )

    def drho(self, A) -> LazyOperator:
        """``drho(A)`` as a lazy operator."""
        return LazyOperator(
            (self.size, self.size), lambda x: self.dapply(A, x), lambda x: self.dapply(A, x, transpose=True)
        )

    def dense(self, g) -> np.ndarray:
        """``rho(g)`` as a dense float64 matrix (small representations only)."""
        return np.swapaxes(self.apply(g, np.eye(self.size)), -1, -2)

    def __eq__(self, other) -> bool:
        return isinstance(other, Rep) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def _check_group(self, other: "Rep"):
        if not isinstance(other, Rep):
            raise RepresentationError(f"expected a representation, got {other!r}")
        if other.group != self.group:
            raise RepresentationError(f"representations of different groups: {self.group} and {other.group}")

    def __add__(self, other) -> "Rep":
        if isinstance(other, int) and other == 0:  # sum([...]) starts at 0
            return self
        self._check_group(other)
        return DirectSum([self, other])

    __radd__ = __add__

    def __mul__(self, other) -> "Rep":
        if isinstance(other, (int, np.integer)):
            return _multiple(self, int(other))
        self._check_group(other)
        return TensorProduct([self, other])

    def __rmul__(self, other) -> "Rep":
        if isinstance(other, (int, np.integer)):
            return _multiple(self, int(other))
        return NotImplemented

    def __pow__(self, k: int) -> "Rep":
        if k < 0:
            raise RepresentationError(f"tensor power must be >= 0, got {k}")
        return Trivial(self.group) if k == 0 else TensorProduct([self] * k)

    @property
    def T(self) -> "Rep":
        """The dual representation ``g -> rho(g^-1)^T``."""
        return Dual(self)

    def __rshift__(self, other: "Rep") -> "Rep":
        return Hom(self, other)


def _multiple(rep: Rep, k: int) -> Rep:
    if k < 0:
        raise RepresentationError(f"multiplicity must be >= 0, got {k}")
    if k == 1:
        return rep
    return DirectSum([rep] * k)


# -- atoms --------------------------------------------------------------------------------


class Trivial(Rep):
    """The one-dimensional trivial representation (scalars).

    >>> Trivial(SO(3)).size
    1
    """

    is_permutation_rep = True
    is_trivial = True

    def __init__(self, group: Group):
        self.group, self.size, self.key = group, 1, ("T0", group.key)

    def perm(self, g) -> np.ndarray:
        return np.zeros(1, dtype=np.int64)

    def apply(self, g, x, *, transpose: bool = False):
        return x

    def dapply(self, A, x, *, transpose: bool = False):
        return 0 * x

    def __repr__(self) -> str:
        return "T0"


Scalar = Trivial


class Sign(Rep):
    """The sign representation: parity of a permutation, sign of ``det`` of a matrix.

    For O(n) this is the pseudo-scalar (determinant) representation.

    >>> import numpy as np
    >>> Sign(S(3)).dense(np.array([1, 0, 2])).item()
    -1.0
    """

    def __init__(self, group: Group):
        self.group, self.size, self.key = group, 1, ("sign", group.key)

    def _signs(self, g):
        if isinstance(self.group, PermutationGroup):
            s = self.group.sign(B.to_numpy(g))
        else:
            s = np.sign(np.linalg.det(B.to_numpy(g).astype(np.float64)))
        return s

    def apply(self, g, x, *, transpose: bool = False):
        s = B.like(np.asarray(self._signs(g), dtype=np.float64), x) if B.is_torch(x) else self._signs(g)
        return x * s[..., None]

    def dapply(self, A, x, *, transpose: bool = False):
        return 0 * x

    def __repr__(self) -> str:
        return "Sign"


class V(Rep):
    """The defining representation: permutation matrices or the group's matrices.

    >>> import numpy as np
    >>> V(S(3)).apply(np.array([1, 2, 0]), np.array([10.0, 20.0, 30.0])).tolist()  # i -> g(i)
    [30.0, 10.0, 20.0]
    """

    def __init__(self, group: Group):
        self.group, self.size, self.key = group, group.d, ("V", group.key)
        self.is_permutation_rep = group.is_permutation_group

    def perm(self, g) -> np.ndarray:
        if not self.is_permutation_rep:
            return super().perm(g)
        return self.group.inv(np.asarray(g, dtype=np.int64))  # rho(g) x = x[g^-1]

    def apply(self, g, x, *, transpose: bool = False):
        if self.group.is_permutation_group:
            # rho(g) x = x[g^-1]; rho(g)^T = rho(g)^-1 = rho(g^-1) for permutation matrices
            return B.gather(x, g if transpose else self.group.inv(g))
        g = B.like(g, x)
        return B.matvec(B.mT(g) if transpose else g, x)

    def dapply(self, A, x, *, transpose: bool = False):
        if self.group.is_permutation_group:
            return 0 * x
        A = B.like(A, x)
        return B.matvec(B.mT(A) if transpose else A, x)

    def __repr__(self) -> str:
        return "V"


class Factor(Rep):
    """The defining representation of factor ``i`` of a :class:`~cayley.symmetry.groups.ProductGroup`
    (the other factors act trivially): ``rho(g)`` is the factor's diagonal block of ``g``.

    >>> import numpy as np
    >>> from cayley.symmetry.groups import ProductGroup, O
    >>> G = ProductGroup(S(4), O(3))
    >>> cloud = Factor(G, 0) * Factor(G, 1)          # 4 points in R^3, x.reshape(4, 3)
    >>> g = G.random_elements(1, seed=0)[0]
    >>> x = np.arange(12.0)
    >>> y = cloud.apply(g, x).reshape(4, 3)
    >>> P, Q = g[:4, :4], g[4:, 4:]
    >>> np.allclose(y, P @ x.reshape(4, 3) @ Q.T)
    True
    """

    def __init__(self, group: Group, i: int):
        blocks = getattr(group, "blocks", None)
        if blocks is None:
            raise RepresentationError(f"Factor needs a ProductGroup, got {group}")
        if not 0 <= i < len(blocks):
            raise RepresentationError(f"{group} has {len(blocks)} factors; factor {i} does not exist")
        self.group, self.i = group, i
        lo, hi = blocks[i]
        self.sl = slice(lo, hi)
        self.size = hi - lo
        self.key = ("Factor", group.key, i)

    def apply(self, g, x, *, transpose: bool = False):
        g = B.like(g[..., self.sl, self.sl], x)
        return B.matvec(B.mT(g) if transpose else g, x)

    def dapply(self, A, x, *, transpose: bool = False):
        A = B.like(A[..., self.sl, self.sl], x)
        return B.matvec(B.mT(A) if transpose else A, x)

    def __repr__(self) -> str:
        return f"V[{self.group.factors[self.i]}]"


class Regular(Rep):
    """Left regular representation of a small finite group: ``rho(g) e_h = e_{gh}``.

    Coordinates are indexed by ``group.elements()`` (identity first).

    >>> Regular(Z(5)).size, Regular(S(3)).size
    (5, 6)
    """

    is_permutation_rep = True

    def __init__(self, group: Group, max_order: int = 5000):
        self.group, self.key = group, ("regular", group.key)
        self.elements = group.elements(max_order=max_order)
        self.size = len(self.elements)
        self._index = group.index_of(self.elements)

    def _perm_one(self, g) -> np.ndarray:
        # (rho(g) x)_i = x_{index(g^-1 e_i)}
        prods = self.group.mul(self.group.inv(g), self.elements)
        try:
            return np.array([self._index[self.group.elem_key(p)] for p in prods], dtype=np.int64)
        except KeyError:
            raise RepresentationError(f"{g!r} is not an element of {self.group}") from None

    def perm(self, g) -> np.ndarray:
        g = B.to_numpy(g)
        lead = g.shape[: g.ndim - self.group.elem_ndim]
        flat = g.reshape((-1,) + g.shape[len(lead):])
        return np.stack([self._perm_one(x) for x in flat]).reshape(lead + (self.size,))

    def apply(self, g, x, *, transpose: bool = False):
        if transpose:
            g = self.group.inv(B.to_numpy(g))
        return B.gather(x, self.perm(g))

    def dapply(self, A, x, *, transpose: bool = False):
        return 0 * x

    def __repr__(self) -> str:
        return "Regular"


# -- constructions -------------------------------------------------------------------------


class Dual(Rep):
    """The dual (contragredient) representation ``g -> rho(g^-1)^T``.

    >>> V(S(3)).T.T == V(S(3))
    True
    """

    def __new__(cls, rep: Rep):
        # simplifications keep keys canonical: (a*)* = a, T0* = T0, (a+b)* = a*+b*
        if isinstance(rep, Dual):
            return rep.rep
        if isinstance(rep, (Trivial, Sign)):
            return rep
        if isinstance(rep, DirectSum):
            return DirectSum([Dual(r) for r in rep.reps])
        if isinstance(rep, TensorProduct):
            return TensorProduct([Dual(r) for r in rep.reps])
        if isinstance(rep, V) and isinstance(rep.group, MatrixGroup) and rep.group.is_orthogonal:
            return rep  # orthogonal: rho(g^-1)^T = rho(g)
        return super().__new__(cls)

    def __init__(self, rep: Rep):
        self.rep, self.group, self.size, self.key = rep, rep.group, rep.size, ("dual", rep.key)
        self.is_permutation_rep = rep.is_permutation_rep

    def perm(self, g) -> np.ndarray:
        return self.rep.perm(g)  # permutation matrices: rho(g^-1)^T = rho(g)

    def apply(self, g, x, *, transpose: bool = False):
        return self.rep.apply(self.group.inv(g), x, transpose=not transpose)

    def dapply(self, A, x, *, transpose: bool = False):
        return -self.rep.dapply(A, x, transpose=not transpose)

    def __repr__(self) -> str:
        return f"{self.rep!r}*"


class DirectSum(Rep):
    """Direct sum: block-diagonal ``rho``; nested sums are flattened.

    >>> (V(S(3)) + 2 * Trivial(S(3))).size
    5
    """

    def __init__(self, reps: Sequence[Rep]):
        flat: list[Rep] = []
        for r in reps:
            flat.extend(r.reps if isinstance(r, DirectSum) else [r])
        if not flat:
            raise RepresentationError("a direct sum needs at least one summand")
        for r in flat[1:]:
            flat[0]._check_group(r)
        self.reps = tuple(flat)
        self.group = flat[0].group
        self.sizes = [r.size for r in flat]
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(int)
        self.size = int(self.offsets[-1])
        self.key = ("sum", tuple(r.key for r in flat))
        self.is_permutation_rep = all(r.is_permutation_rep for r in flat)
        self.is_trivial = all(r.is_trivial for r in flat)

    def blocks(self):
        return [(r, int(o)) for r, o in zip(self.reps, self.offsets)]

    def perm(self, g) -> np.ndarray:
        return np.concatenate([r.perm(g) + o for r, o in zip(self.reps, self.offsets)], axis=-1)

    def _split(self, x):
        return [x[..., a:b] for a, b in zip(self.offsets[:-1], self.offsets[1:])]

    def apply(self, g, x, *, transpose: bool = False):
        return B.concat([r.apply(g, xi, transpose=transpose) for r, xi in zip(self.reps, self._split(x))])

    def dapply(self, A, x, *, transpose: bool = False):
        return B.concat([r.dapply(A, xi, transpose=transpose) for r, xi in zip(self.reps, self._split(x))])

    def __repr__(self) -> str:
        parts, i = [], 0
        while i < len(self.reps):  # run-length: 3V+T0
            j = i
            while j < len(self.reps) and self.reps[j] == self.reps[i]:
                j += 1
            parts.append((f"{j - i}" if j - i > 1 else "") + _paren(self.reps[i]))
            i = j
        return "+".join(parts)


def _paren(r: Rep) -> str:
    s = repr(r)
    return f"({s})" if isinstance(r, DirectSum) else s


class TensorProduct(Rep):
    """Tensor (Kronecker) product, applied factor by factor (never formed densely).

    Coordinates are row-major: index ``(i1, ..., im)`` is ``i1 * n2 * ... * nm + ...``.

    >>> G = SO(3)
    >>> (V(G) * V(G) * V(G)).size
    27
    """

    def __new__(cls, reps: Sequence[Rep]):
        flat = []
        for r in reps:
            flat.extend(r.reps if isinstance(r, TensorProduct) else [r])
        flat = [r for r in flat if not isinstance(r, Trivial)] or flat[:1]
        if len(flat) == 1:
            return flat[0]
        self = super().__new__(cls)
        self._flat = flat
        return self

    def __init__(self, reps: Sequence[Rep]):
        flat = self._flat
        for r in flat[1:]:
            flat[0]._check_group(r)
        self.reps = tuple(flat)
        self.group = flat[0].group
        self.dims = tuple(r.size for r in flat)
        self.size = int(np.prod(self.dims))
        self.key = ("tensor", tuple(r.key for r in flat))
        self.is_permutation_rep = all(r.is_permutation_rep for r in flat)

    def perm(self, g) -> np.ndarray:
        # (A (x) B) x = vec(A X B^T): entry (i, j) comes from (p[i], q[j])
        out = np.zeros(self.dims, dtype=np.int64)
        m = len(self.dims)
        stride = 1
        for axis in reversed(range(m)):
            shape = [1] * m
            shape[axis] = self.dims[axis]
            out = out + self.reps[axis].perm(g).reshape(shape) * stride
            stride *= self.dims[axis]
        return out.reshape(-1)

    def _on_axis(self, fn, axis: int, x):
        """Apply ``fn`` (acting on a last axis) to tensor axis ``axis`` of ``x``."""
        lead = x.shape[:-1]
        t = x.reshape(tuple(lead) + self.dims)
        k = len(lead) + axis
        t = B.moveaxis(t, k, -1)
        moved = t.shape
        t = t.reshape(tuple(lead) + (-1, self.dims[axis]))
        t = fn(t).reshape(moved)
        return B.moveaxis(t, -1, k).reshape(tuple(lead) + (self.size,))

    def _matrix_on_axis(self, M: np.ndarray, axis: int, x):
        """Multiply tensor axis ``axis`` of ``x`` by the small matrix ``M`` (no transposes
        of the big array: a batched matmul on a ``(..., a, n_axis, c)`` view)."""
        lead = tuple(x.shape[:-1])
        a = int(np.prod(self.dims[:axis], dtype=np.int64))
        c = int(np.prod(self.dims[axis + 1 :], dtype=np.int64))
        t = x.reshape(lead + (a, self.dims[axis], c))
        return (B.like(M, x) @ t).reshape(lead + (self.size,))

    def apply(self, g, x, *, transpose: bool = False):
        single = np.ndim(g) == self.group.elem_ndim
        ge = _expand_elem(self.group, g)
        for axis, r in enumerate(self.reps):
            if isinstance(r, Trivial):
                continue
            if single and not r.is_permutation_rep and r.size <= 64:
                # small dense factor (e.g. V of O(n)): one matmul along the axis
                M = r.dense(B.to_numpy(g))
                x = self._matrix_on_axis(M.T if transpose else M, axis, x)
            else:
                x = self._on_axis(lambda t, r=r: r.apply(ge, t, transpose=transpose), axis, x)
        return x

    def dapply(self, A, x, *, transpose: bool = False):
        out = 0 * x
        for axis, r in enumerate(self.reps):
            if isinstance(r, (Trivial, Sign)):
                continue
            if np.ndim(A) == 2 and r.size <= 64:
                M = r.drho(B.to_numpy(A)).dense()
                out = out + self._matrix_on_axis(M.T if transpose else M, axis, x)
            else:
                out = out + self._on_axis(lambda t, r=r: r.dapply(A, t, transpose=transpose), axis, x)
        return out

    def __repr__(self) -> str:
        return "⊗".join(_paren(r) for r in self.reps)


def T(p: int, q: int = 0, G: Group | None = None) -> Rep:
    """Tensor representation ``V^(x p) (x) (V*)^(x q)`` of ``G``.

    >>> T(2, 1, SO(3)).size, T(0, 0, S(4)).size
    (27, 1)
    """
    if G is None:
        raise RepresentationError("T(p, q, G) needs the group G")
    if p < 0 or q < 0:
        raise RepresentationError(f"tensor ranks must be >= 0, got T({p}, {q})")
    if p + q == 0:
        return Trivial(G)
    v = V(G)
    return TensorProduct([v] * p + [Dual(v)] * q)


def Hom(a: Rep, b: Rep) -> Rep:
    """``Hom(a, b) = b (x) a*``: linear maps ``a -> b`` as row-major ``(b.size, a.size)``
    matrices; a map is equivariant iff it is an invariant vector of this representation.

    >>> Hom(V(S(3)), T(2, 0, S(3))).size
    27
    """
    a._check_group(b)
    return TensorProduct([b, Dual(a)])
