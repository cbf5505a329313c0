"""Matrices over Z/m: exact modular arithmetic, :class:`MatrixGeneratorSet`, orbit sizes,
group orders, and matrix and vector literals.

Matrices are int64 arrays with entries in ``0 .. m-1``; products are reduced mod ``m``
in integer arithmetic and inverses come from the adjugate and the inverse of the
determinant mod ``m`` (exact integers throughout, never floating point).

Action convention (CayleyPy's, so growth tables interchange): a generator ``A`` acts on
a state ``S`` (an ``n x c`` matrix over Z/m, stored row-major as a flat array of
``n * c`` entries) by left multiplication, ``S -> A S mod m``. The Cayley graph starts
from the identity (``c = n``); a start of ``n`` entries is a column vector (``c = 1``),
which gives the Schreier graph of the action on vectors ``(Z/m)^n``.

>>> inverse_mod([[2, 1], [1, 1]], 7).tolist()
[[1, 6], [6, 2]]
>>> act_matrix([[1, 1], [0, 1]], [[1, 0], [0, 1]], 5).tolist()  # A @ S mod m
[[1, 1], [0, 1]]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from math import gcd
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..errors import DegreeMismatchError, InvalidInputError, InvalidStateError, ParseError
from .arithmetic import factor, phi
from .value import NamedGenerators, checked_names, frozen, inverse_positions

__all__ = [
    "MatrixGeneratorSet",
    "MAX_MODULUS",
    "check_modulus",
    "mat_mul",
    "act_matrix",
    "det_mod",
    "inverse_mod",
    "group_order",
    "unit_generators",
    "parse_matrix",
    "parse_vector",
    "orbit_size",
]

# CayleyPy's bound too; entries below 2**31 keep every product below 2**62 in int64
MAX_MODULUS = 2**31


def check_modulus(m: object) -> int:
    """``m`` as an int if it is an integer modulus in ``2 .. 2**31``, else a one-line error."""
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 2 <= int(m) <= MAX_MODULUS:
        raise InvalidInputError(f"modulus m must be an integer with 2 <= m <= 2**31, got {m!r}")
    return int(m)


def _reduce(a: ArrayLike, m: int) -> np.ndarray:
    """Integer array reduced into ``0 .. m-1``; entries beyond int64 (an object array of
    Python ints) are reduced as Python ints first. Floats are refused."""
    arr = np.asarray(a)
    if np.issubdtype(arr.dtype, np.integer):
        out: np.ndarray = np.mod(arr.astype(np.int64), m)
        return out
    if arr.dtype == object and all(isinstance(x, (int, np.integer)) for x in arr.ravel()):
        return np.array([int(x) % m for x in arr.ravel()], dtype=np.int64).reshape(arr.shape)
    raise InvalidInputError(f"matrix entries must be integers, got {arr.tolist()}")


def mat_mul(a: ArrayLike, b: ArrayLike, m: int) -> np.ndarray:
    """``a @ b mod m`` for integer matrices (batched over leading axes), exactly.

    Each product of two entries below ``m <= 2**31`` fits int64; it is reduced before
    the sum, so no term or partial sum overflows.

    >>> mat_mul([[1, 2], [3, 4]], [[5, 6], [7, 8]], 10).tolist()
    [[9, 2], [3, 0]]
    """
    m = check_modulus(m)
    a, b = _reduce(a, m), _reduce(b, m)
    if m <= 2**20:  # n * m^2 < 2**63 for any n below 2**23: reduce once at the end
        small: np.ndarray = np.mod(np.matmul(a, b), m)
        return small
    prods = np.mod(a[..., :, :, None] * b[..., None, :, :], m)
    big: np.ndarray = np.mod(prods.sum(axis=-2), m)
    return big


def act_matrix(a: ArrayLike, state: ArrayLike, m: int) -> np.ndarray:
    """Generator ``a`` acting on ``state`` (an ``n x c`` matrix, or a length-``n``
    vector as a column): ``a @ state mod m``.

    >>> act_matrix([[1, 1], [0, 1]], [3, 4], 5).tolist()
    [2, 4]
    """
    s = np.asarray(state)
    if s.ndim == 1:
        return mat_mul(a, s.reshape(-1, 1), m).reshape(-1)
    return mat_mul(a, s, m)


def _det_int(rows: list[list[int]]) -> int:
    """Exact integer determinant (Bareiss fraction-free elimination, Python ints)."""
    a = [list(r) for r in rows]
    n = len(a)
    if n == 0:
        return 1
    sign, prev = 1, 1
    for k in range(n - 1):
        if a[k][k] == 0:
            swap = next((i for i in range(k + 1, n) if a[i][k] != 0), None)
            if swap is None:
                return 0
            a[k], a[swap] = a[swap], a[k]
            sign = -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                a[i][j] = (a[i][j] * a[k][k] - a[i][k] * a[k][j]) // prev
        prev = a[k][k]
    return sign * a[n - 1][n - 1]


def det_mod(a: ArrayLike, m: int) -> int:
    """Determinant of the square integer matrix ``a`` mod ``m``.

    >>> det_mod([[2, 1], [1, 1]], 7), det_mod([[2, 4], [1, 2]], 7)
    (1, 0)
    """
    m = check_modulus(m)
    arr = _reduce(a, m)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise InvalidInputError(f"determinant needs a square matrix, got shape {arr.shape}")
    return _det_int(arr.tolist()) % m


def _adjugate(rows: list[list[int]]) -> list[list[int]]:
    n = len(rows)
    if n == 1:
        return [[1]]
    adj = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            minor = [r[:j] + r[j + 1 :] for k, r in enumerate(rows) if k != i]
            adj[j][i] = (-1) ** (i + j) * _det_int(minor)
    return adj


def inverse_mod(a: ArrayLike, m: int, name: str | None = None) -> np.ndarray:
    """Inverse of the square matrix ``a`` over Z/m: ``adj(a) * det(a)^-1 mod m``.

    A matrix is invertible over Z/m exactly when its determinant is a unit mod ``m``;
    otherwise a one-line :class:`InvalidInputError` names it (as ``name`` if given).

    >>> inverse_mod([[1, 1], [0, 1]], 5).tolist()
    [[1, 4], [0, 1]]
    >>> inverse_mod([[2, 0], [0, 1]], 4, name="D")
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: generator 'D' = [[2, 0], [0, 1]] is not invertible mod 4 (determinant 2 is not a unit mod 4)
    """
    m = check_modulus(m)
    arr = _reduce(a, m)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise InvalidInputError(f"matrix {arr.tolist()} is not square")
    rows = arr.tolist()
    d = _det_int(rows) % m
    if gcd(d, m) != 1:
        label = f"generator {name!r} = {rows}" if name is not None else f"matrix {rows}"
        raise InvalidInputError(f"{label} is not invertible mod {m} (determinant {d} is not a unit mod {m})")
    dinv = pow(d, -1, m)
    inv = np.array([[(x * dinv) % m for x in r] for r in _adjugate(rows)], dtype=np.int64)
    return inv


# ----------------------------------------------------------------------------------
# group orders
# ----------------------------------------------------------------------------------


GROUP_KINDS = ("SL", "GL", "UT", "Heis")


def group_order(kind: str, n: int, m: int) -> int:
    """Order of a matrix group over Z/m.

    ``SL``: ``|SL(n, Z/m)| = prod over p^k || m of p^((k-1)(n^2-1)) |SL(n, p)|`` with
    ``|SL(n, p)| = p^(n(n-1)/2) prod_{i=2..n} (p^i - 1)`` (reduction mod p is onto with
    kernel of order p^(n^2-1) per lift); ``GL``: ``phi(m) |SL(n, Z/m)|``; ``UT``
    (upper unitriangular): ``m^(n(n-1)/2)``; ``Heis`` (identity except the top row and
    the right column, CayleyPy's higher Heisenberg group): ``m^(2n-3)``.

    >>> group_order("SL", 2, 7), group_order("GL", 2, 5), group_order("UT", 3, 7), group_order("SL", 2, 4)
    (336, 480, 343, 48)
    """
    if kind == "SL":
        order = 1
        for p, k in factor(m).items():
            s = p ** (n * (n - 1) // 2)
            for i in range(2, n + 1):
                s *= p**i - 1
            order *= s * p ** ((k - 1) * (n * n - 1))
        return order
    if kind == "GL":
        return phi(m) * group_order("SL", n, m)
    if kind == "UT":
        return int(m ** (n * (n - 1) // 2))
    if kind == "Heis":
        return int(m ** (2 * n - 3))
    raise InvalidInputError(f"unknown matrix group kind {kind!r}: expected one of {', '.join(GROUP_KINDS)}")


def unit_generators(m: int) -> list[int]:
    """A small generating set of the unit group (Z/m)^*, chosen greedily (one primitive
    root when the group is cyclic).

    >>> unit_generators(7), unit_generators(8), unit_generators(2)
    ([3], [3, 5], [])
    """
    units = [u for u in range(2, m) if gcd(u, m) == 1]
    span = {1 % m}
    gens: list[int] = []
    total = phi(m)
    # prefer elements of large order, so a cyclic group takes one generator
    def order_of(u: int) -> int:
        k, x = 1, u
        while x != 1:
            x = x * u % m
            k += 1
        return k

    for u in sorted(units, key=lambda u: (-order_of(u), u)):
        if len(span) == total:
            break
        if u in span:
            continue
        gens.append(u)
        frontier = list(span)
        while frontier:  # close the span under multiplication by the generators
            nxt = []
            for x in frontier:
                for g in gens:
                    y = x * g % m
                    if y not in span:
                        span.add(y)
                        nxt.append(y)
            frontier = nxt
    return gens


# ----------------------------------------------------------------------------------
# generator sets
# ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class MatrixGeneratorSet(NamedGenerators):
    """A frozen, ordered list of named invertible ``n x n`` matrices over Z/m.

    ``matrices`` is int64 of shape ``(k, n, n)`` with entries in ``0 .. m-1``;
    ``inverse_index[i]`` is the position of the inverse of generator ``i`` or -1.
    ``generated`` names the group the generators are known to generate (``SL``, ``GL``,
    ``UT`` or ``Heis``, see :func:`group_order`), or None when unknown (then
    :meth:`order` enumerates). A non-invertible matrix is refused, naming it.

    >>> g = MatrixGeneratorSet.from_matrices([[[1, 1], [0, 1]], [[1, 0], [1, 1]]], 5, names=["a", "b"])
    >>> g.degree, len(g), g.inverse_closed, g.with_inverses().names
    (2, 2, False, ('a', 'b', 'a^-1', 'b^-1'))
    >>> g.order()  # no known group: by orbit enumeration
    120
    >>> MatrixGeneratorSet.from_matrices([[[1, 2], [2, 4]]], 5, names=["S"])
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: generator 'S' = [[1, 2], [2, 4]] is not invertible mod 5 (determinant 0 is not a unit mod 5)
    """

    matrices: np.ndarray
    names: tuple[str, ...]
    modulus: int
    family: str | None = None
    params: tuple[tuple[str, object], ...] = ()
    generated: str | None = None
    inverse_index: np.ndarray = field(init=False, repr=False)
    inverses: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        m = check_modulus(self.modulus)
        try:
            mats = np.asarray(self.matrices)
        except (TypeError, ValueError):
            raise DegreeMismatchError(f"generators must be n x n matrices of one size, got {self.matrices!r}") from None
        if mats.ndim != 3 or mats.shape[1] != mats.shape[2]:
            raise DegreeMismatchError(f"generators must be square n x n matrices of one size, got shape {mats.shape}")
        names = checked_names(self.names, mats.shape[0])
        if self.generated is not None and self.generated not in GROUP_KINDS:
            raise InvalidInputError(f"unknown group kind {self.generated!r}: expected one of {', '.join(GROUP_KINDS)}")
        mats = _reduce(mats, m)
        invs = np.stack([inverse_mod(a, m, name=nm) for a, nm in zip(mats, names)])
        object.__setattr__(self, "modulus", m)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "params", tuple(self.params))
        object.__setattr__(self, "matrices", frozen(mats))
        object.__setattr__(self, "inverses", frozen(invs))
        object.__setattr__(self, "inverse_index", inverse_positions(mats, invs))

    @classmethod
    def from_matrices(
        cls,
        matrices: Iterable[ArrayLike],
        modulus: int,
        names: Sequence[str] | None = None,
        *,
        family: str | None = None,
        params: Mapping[str, object] | None = None,
        generated: str | None = None,
    ) -> "MatrixGeneratorSet":
        """From a list of square integer matrices (reduced mod ``modulus``); default names
        g0, g1, ...

        >>> MatrixGeneratorSet.from_matrices([[[0, 1], [1, 0]]], 3).names
        ('g0',)
        """
        mats = [np.asarray(a) for a in matrices]
        if not mats:
            raise InvalidInputError("a generator set needs at least one generator")
        if names is None:
            names = [f"g{i}" for i in range(len(mats))]
        shapes = {a.shape for a in mats}
        if len(shapes) > 1 or any(a.ndim != 2 or a.shape[0] != a.shape[1] for a in mats):
            label = [list(a.shape) for a in mats]
            raise DegreeMismatchError(f"generators must be square matrices of one size n x n, got shapes {label}")
        return cls(np.stack(mats), tuple(names), modulus, family, tuple((params or {}).items()), generated)

    # -- properties ---------------------------------------------------------------
    @property
    def degree(self) -> int:
        """Matrix size ``n``."""
        return int(self.matrices.shape[1])

    def __len__(self) -> int:
        return int(self.matrices.shape[0])

    def __getitem__(self, key: int | str) -> np.ndarray:
        mat: np.ndarray = self.matrices[self.position(key)]
        return mat

    @property
    def perms(self) -> np.ndarray:
        """Matrix generators have no permutation arrays: code written for permutation
        groups only (path finding, heuristics, datasets) stops here with a clear error."""
        raise InvalidInputError(
            f"{self.group_label}: this operation needs permutation generators; matrix groups support "
            "growth and diameter (bfs)"
        )

    @property
    def group_label(self) -> str:
        """``SL(n,m)``-style label of the generated group (``<n x n mod m>`` when unknown)."""
        if self.generated is None:
            return f"<{self.degree}x{self.degree} mod {self.modulus}>"
        return f"{self.generated}({self.degree},{self.modulus})"

    def with_inverses(self) -> "MatrixGeneratorSet":
        """This set plus the inverses that are missing, named ``name^-1``."""
        if self.inverse_closed:
            return self
        missing = np.flatnonzero(self.inverse_index < 0)
        return MatrixGeneratorSet(
            np.concatenate([self.matrices, self.inverses[missing]]),
            self.names + tuple(self.names[i] + "^-1" for i in missing),
            self.modulus,
            self.family,
            self.params,
            self.generated,
        )

    def order(self, max_states: int = 10_000_000) -> int:
        """Order of the generated group: the formula of :func:`group_order` when the set
        is known to generate that group, else by enumerating it (refused above
        ``max_states`` elements).

        >>> from cayley.groups.library import generators
        >>> generators("gl_roots", 2, m=3).order(), generators("heisenberg", 4, m=3).order()
        (48, 243)
        """
        if self.generated is not None:
            return group_order(self.generated, self.degree, self.modulus)
        return orbit_size(self, np.eye(self.degree, dtype=np.int64).reshape(-1), max_states=max_states)

    def identity(self) -> np.ndarray:
        """The identity as a flat state (row-major ``n * n`` entries).

        >>> from cayley.groups.library import generators
        >>> generators("unitriangular", 2, m=3).identity().tolist()
        [1, 0, 0, 1]
        """
        return np.eye(self.degree, dtype=np.int64).reshape(-1)

    def product(self, word: Sequence[str | int]) -> np.ndarray:
        """The element reached from the identity by acting with the word's generators in
        order: ``A_k ... A_2 A_1`` (each acts by left multiplication).

        >>> from cayley.groups.library import generators
        >>> g = generators("sl_fund_roots", 2, m=7)
        >>> g.product(["e1", "e1"]).tolist()
        [[1, 2], [0, 1]]
        """
        s = np.eye(self.degree, dtype=np.int64)
        for w in word:
            s = mat_mul(self[w], s, self.modulus)
        return s

    # -- value semantics ----------------------------------------------------------
    def _key(self) -> tuple[tuple[int, ...], bytes, tuple[str, ...], int]:
        return (self.matrices.shape, self.matrices.tobytes(), self.names, self.modulus)

    def __repr__(self) -> str:
        if self.family:
            return f"<MatrixGeneratorSet {self.family_label()} n={self.degree} m={self.modulus} k={len(self)}>"
        return f"MatrixGeneratorSet.from_matrices({self.matrices.tolist()}, {self.modulus}, names={list(self.names)})"

    def describe(self) -> str:
        """One line per generator: name and matrix rows.

        >>> from cayley.groups.library import generators
        >>> print(generators("sl_root_weyl", 2, m=3).describe())
        e: [[1, 1], [0, 1]]
        e': [[1, 2], [0, 1]]
        w: [[0, 1], [2, 0]]
        w': [[0, 2], [1, 0]]
        """
        return "\n".join(f"{nm}: {a.tolist()}" for nm, a in zip(self.names, self.matrices))


def orbit_size(gens: MatrixGeneratorSet, start: ArrayLike, max_states: int = 10_000_000) -> int:
    """Number of states reachable from ``start`` (a flat ``n * c`` state) under the
    generators, by a plain numpy search (every generator of a finite group has finite
    order, so this is also the orbit under the generated group).

    >>> from cayley.groups.library import generators
    >>> g = generators("sl_fund_roots", 2, m=5)
    >>> orbit_size(g, [1, 0]), orbit_size(g, [0, 0])  # nonzero vectors; the zero vector
    (24, 1)
    """
    m, n = gens.modulus, gens.degree
    s = np.asarray(start, dtype=np.int64).reshape(n, -1)
    weights = np.array([m**i for i in range(s.size - 1, -1, -1)], dtype=object)
    if m ** s.size >= 2**63:
        weights_ok = False
    else:
        weights_ok = True
        weights = weights.astype(np.int64)

    def keys(states: np.ndarray) -> Any:  # distinct integer per state (entries as base-m digits)
        flat = states.reshape(len(states), -1)
        if weights_ok:
            return flat @ weights
        return [bytes(r.tobytes()) for r in flat]

    first = keys(s[None])
    seen = set(first.tolist() if weights_ok else first)
    frontier = s[None]
    while len(frontier):
        nb = np.concatenate([mat_mul(a, frontier, m) for a in gens.matrices])
        ks = keys(nb)
        new_idx = {}
        for i, key in enumerate(ks.tolist() if weights_ok else ks):
            if key not in seen and key not in new_idx:
                new_idx[key] = i
        seen.update(new_idx)
        if len(seen) > max_states:
            raise InvalidInputError(
                f"the group generated by {list(gens.names)} has more than {max_states:,} elements; "
                "its order is not known in closed form (run bfs to count it)"
            )
        frontier = nb[list(new_idx.values())] if new_idx else nb[:0]
    return len(seen)


# ----------------------------------------------------------------------------------
# parsing: matrices, vectors, and the generators of a matrix group spec
# ----------------------------------------------------------------------------------
_MATRIX_FORMS = "expected a matrix like [[1,1],[0,1]]"


def parse_matrix(text: str) -> np.ndarray:
    """Parse ``[[1,1],[0,1]]`` (rows in brackets; commas or spaces between entries).

    >>> parse_matrix("[[1, 1], [0, -1]]").tolist()
    [[1, 1], [0, -1]]
    """
    body = text.strip()
    if not (body.startswith("[[") and body.endswith("]]")):
        raise ParseError(f"malformed matrix {text!r}: {_MATRIX_FORMS}")
    rows = re.findall(r"\[([^\[\]]*)\]", body[1:-1])
    if re.sub(r"\[[^\[\]]*\]", "", body[1:-1]).replace(",", "").strip():
        raise ParseError(f"malformed matrix {text!r}: {_MATRIX_FORMS}")
    try:
        out = [[int(x) for x in re.split(r"[,\s]+", r.strip()) if x] for r in rows]
    except ValueError:
        raise ParseError(f"malformed matrix {text!r}: entries must be integers") from None
    if not out or any(len(r) != len(out) for r in out):
        raise ParseError(f"matrix {text!r} is not square: {_MATRIX_FORMS}")
    return np.array(out, dtype=np.int64)


def parse_vector(text: str | ArrayLike, n: int, m: int) -> np.ndarray:
    """A start state for a matrix group: ``1,0,0`` / ``[1,0,0]`` (a column vector of
    length ``n``), an ``n x c`` matrix ``[[..],[..]]``, or a flat list of ``n * c``
    entries (row-major). Entries are reduced mod ``m``; the result is flat.

    >>> parse_vector("1,0,-1", 3, 5).tolist(), parse_vector("[[1,2],[3,4]]", 2, 5).tolist()
    ([1, 0, 4], [1, 2, 3, 4])
    """
    if isinstance(text, str):
        t = text.strip()
        if t.startswith("[["):
            rows = re.findall(r"\[([^\[\]]*)\]", t[1:-1])
            items = [x for r in rows for x in re.split(r"[,\s]+", r.strip()) if x]
        else:
            items = [x for x in re.split(r"[,\s]+", t.strip("[] ")) if x]
        try:
            values = [int(x) for x in items]
        except ValueError:
            raise InvalidStateError(f"start {text!r} must be integers mod {m}, e.g. 1,0,0") from None
    else:
        arr = np.asarray(text)
        if arr.dtype.kind not in "iu" and arr.size:
            raise InvalidStateError(f"start {text!r} must be integers mod {m}")
        values = [int(x) for x in arr.ravel()]
    if not values or len(values) % n:
        raise InvalidStateError(
            f"start {text!r} has {len(values)} entries; a matrix group of {n} x {n} matrices acts on "
            f"vectors of {n} entries or n x c matrices ({n} * c entries, row-major)"
        )
    return np.array([v % m for v in values], dtype=np.int64)
