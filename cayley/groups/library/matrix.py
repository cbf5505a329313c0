"""Matrix groups over Z/m as registered families (kind ``"matrix"``): SL by fundamental roots
or by a root and a Weyl element, Heisenberg, unitriangular and GL generators; the first
three with CayleyPy 0.2.0's names, generator order and generator names.

>>> from cayley.groups.library import generators
>>> g = generators("sl_fund_roots", 2, m=5)
>>> g.names, g.order()
(('e1', "e1'", 'f1', "f1'"), 120)
"""

from __future__ import annotations

import numpy as np

from ...errors import InvalidInputError
from ..modular import MatrixGeneratorSet, check_modulus, unit_generators
from .registry import register


def _need_modulus(name: str, n: int, m: object) -> int:
    if m is None:
        raise InvalidInputError(
            f"family {name!r} needs the modulus m: give a matrix group such as SL({n},5) or {name}:m=5"
        )
    return check_modulus(m)


def _elementary(n: int, i: int, j: int, c: int = 1) -> np.ndarray:
    e = np.eye(n, dtype=np.int64)
    e[i, j] = c
    return e


_REF_CAYLEYPY = "CayleyPy 0.2.0 cayleypy.MatrixGroups"


@register(
    "sl_fund_roots",
    reference=f"{_REF_CAYLEYPY}.special_linear_fundamental_roots; Steinberg, Lectures on Chevalley groups (1967); "
    "https://en.wikipedia.org/wiki/Special_linear_group",
    aliases=("roots", "fund_roots"),
    param_docs={"n": "matrix size", "m": "modulus (entries in Z/m)"},
    kind="matrix",
)
def sl_fund_roots(n: int, m: int | None = None) -> MatrixGeneratorSet:
    """SL(n, Z/m) by the fundamental root matrices I + E_{k,k+1}, I + E_{k+1,k} and their inverses.

    Generator order and names as in CayleyPy: ``e1, e1', f1, f1', e2, ...`` (``ek`` adds
    row k+1 to row k). Elementary matrices generate SL(n, R) for every semilocal ring R,
    so for every finite Z/m; the fundamental ones give the rest by commutators (n >= 3)
    or are the whole elementary set (n = 2).
    """
    m = _need_modulus("sl_fund_roots", n, m)
    mats, names = [], []
    for k in range(n - 1):
        mats += [_elementary(n, k, k + 1), _elementary(n, k, k + 1, -1), _elementary(n, k + 1, k),
                 _elementary(n, k + 1, k, -1)]
        names += [f"e{k + 1}", f"e{k + 1}'", f"f{k + 1}", f"f{k + 1}'"]
    return MatrixGeneratorSet.from_matrices(mats, m, names, family="sl_fund_roots", params={"n": n, "m": m},
                                            generated="SL")


@register(
    "sl_root_weyl",
    reference=f"{_REF_CAYLEYPY}.special_linear_root_weyl; https://en.wikipedia.org/wiki/Coxeter_element",
    aliases=("root_weyl",),
    param_docs={"n": "matrix size", "m": "modulus (entries in Z/m)"},
    kind="matrix",
)
def sl_root_weyl(n: int, m: int | None = None) -> MatrixGeneratorSet:
    """SL(n, Z/m) by one root element I + E_12, a lift w of the Coxeter element, and inverses.

    ``w`` is the signed cyclic permutation matrix ``w[i, i+1] = 1``, ``w[n-1, 0] =
    (-1)^(n-1)`` (determinant 1); names ``e, e', w, w'`` as in CayleyPy. Conjugating
    ``e`` by powers of ``w`` gives every fundamental root matrix up to sign, so these
    generate SL(n, Z/m).
    """
    m = _need_modulus("sl_root_weyl", n, m)
    w = np.zeros((n, n), dtype=np.int64)
    for i in range(n - 1):
        w[i, i + 1] = 1
    w[n - 1, 0] = (-1) ** (n - 1)
    mats = [_elementary(n, 0, 1), _elementary(n, 0, 1, -1), w, w.T]
    return MatrixGeneratorSet.from_matrices(mats, m, ["e", "e'", "w", "w'"], family="sl_root_weyl",
                                            params={"n": n, "m": m}, generated="SL")


@register(
    "heisenberg",
    reference=f"{_REF_CAYLEYPY}.heisenberg; https://en.wikipedia.org/wiki/Heisenberg_group",
    min_degree=3,
    param_docs={"n": "matrix size", "m": "modulus (entries in Z/m)", "add_inverses": "add the missing inverses"},
    kind="matrix",
)
def heisenberg(n: int, m: int | None = None, add_inverses: bool = True) -> MatrixGeneratorSet:
    """Heisenberg group mod m: I + E_{0,i} and I + E_{i,n-1} (0 < i < n-1), plus inverses.

    For n = 3 the upper unitriangular group UT(3, Z/m) with generators x, y; for n >= 4
    the matrices that differ from the identity only in the top row and the right column
    (order m^(2n-3)), generators x1.., y1... Names and order as in CayleyPy
    (``add_inverses`` appends ``x'``, ``y'``, ... for generators that are not involutions).
    """
    if n < 3:
        raise InvalidInputError(f"family 'heisenberg' needs n >= 3, got {n}")
    m = _need_modulus("heisenberg", n, m)
    mats, names = [], []
    for i in range(1, n - 1):
        mats.append(_elementary(n, 0, i))
        names.append("x" if n == 3 else f"x{i}")
    for i in range(1, n - 1):
        mats.append(_elementary(n, i, n - 1))
        names.append("y" if n == 3 else f"y{i}")
    g = MatrixGeneratorSet.from_matrices(mats, m, names, family="heisenberg",
                                         params={"n": n, "m": m, "add_inverses": add_inverses}, generated="Heis")
    if add_inverses and not g.inverse_closed:
        missing = np.flatnonzero(g.inverse_index < 0)
        g = MatrixGeneratorSet(np.concatenate([g.matrices, g.inverses[missing]]),
                               g.names + tuple(g.names[i] + "'" for i in missing), m, g.family, g.params, "Heis")
    return g


@register(
    "unitriangular",
    reference="https://en.wikipedia.org/wiki/Unipotent#Unipotent_algebraic_groups; UT(3) is the Heisenberg group",
    aliases=("ut",),
    param_docs={"n": "matrix size", "m": "modulus (entries in Z/m)"},
    kind="matrix",
)
def unitriangular(n: int, m: int | None = None) -> MatrixGeneratorSet:
    """UT(n, Z/m), upper unitriangular matrices, by the superdiagonal I + E_{k,k+1} and inverses.

    Names ``e1, e1', e2, ...`` as in ``sl_fund_roots``; the superdiagonal elementary
    matrices generate UT(n, R) (their commutators give every I + c E_ij, i < j), order
    m^(n(n-1)/2).
    """
    m = _need_modulus("unitriangular", n, m)
    mats, names = [], []
    for k in range(n - 1):
        mats += [_elementary(n, k, k + 1), _elementary(n, k, k + 1, -1)]
        names += [f"e{k + 1}", f"e{k + 1}'"]
    return MatrixGeneratorSet.from_matrices(mats, m, names, family="unitriangular", params={"n": n, "m": m},
                                            generated="UT")


@register(
    "gl_roots",
    reference="https://en.wikipedia.org/wiki/General_linear_group#Over_finite_fields; "
    "GL(n, Z/m) = SL(n, Z/m) x| {diag(u, 1, ..., 1)}",
    aliases=("gl",),
    param_docs={"n": "matrix size", "m": "modulus (entries in Z/m; a prime p gives GL(n, p))"},
    kind="matrix",
)
def gl_roots(n: int, m: int | None = None) -> MatrixGeneratorSet:
    """GL(n, Z/m) by the fundamental roots of SL plus diag(u, 1, ..., 1) for generators u of (Z/m)^*.

    GL(n, Z/m) is the semidirect product of SL(n, Z/m) and the diagonal matrices
    diag(u, 1, ..., 1), u a unit; ``u`` runs over :func:`unit_generators` (one primitive
    root for a prime m). Names: those of ``sl_fund_roots``, then ``d<u>, d<u>'``.
    """
    m = _need_modulus("gl_roots", n, m)
    sl = sl_fund_roots(n, m)
    mats, names = list(sl.matrices), list(sl.names)
    for u in unit_generators(m):
        d = np.eye(n, dtype=np.int64)
        d[0, 0] = u
        mats.append(d)
        names.append(f"d{u}")
        d_inv = d.copy()
        d_inv[0, 0] = pow(u, -1, m)
        if not np.array_equal(d_inv, d):
            mats.append(d_inv)
            names.append(f"d{u}'")
    return MatrixGeneratorSet.from_matrices(mats, m, names, family="gl_roots", params={"n": n, "m": m},
                                            generated="GL")


