"""Matrix groups over Z/m as users name them: a matrix family or explicit matrices for a
group spec such as ``SL(3,5)``, checked to lie in the group. The arithmetic, the action
convention (``S -> A S mod m``) and :class:`MatrixGeneratorSet` live in
:mod:`cayley.groups.modular`; the families in :mod:`cayley.groups.library.matrix`; both
are re-exported here.

>>> g = generators("sl_fund_roots", 2, m=5)
>>> g.names, g.matrices[0].tolist(), g.inverse_closed, g.order()
(('e1', "e1'", 'f1', "f1'"), [[1, 1], [0, 1]], True, 120)
>>> inverse_mod([[2, 1], [1, 1]], 7).tolist()
[[1, 6], [6, 2]]
>>> act_matrix(g.matrices[0], [[1, 0], [0, 1]], 5).tolist()  # A @ S mod m
[[1, 1], [0, 1]]

Families (registered with :mod:`cayley.groups.library`, so ``cayley families`` lists
them): ``sl_fund_roots`` (alias ``roots``), ``sl_root_weyl`` (``root_weyl``),
``heisenberg``, ``unitriangular`` (``ut``) and ``gl_roots`` (``gl``); the first three
have CayleyPy 0.2.0's names, generator order and generator names.
"""

from __future__ import annotations

import re
from math import gcd
from typing import Any, Callable, cast

import numpy as np

from ..errors import DegreeMismatchError, InvalidInputError, ParseError
from .library import generators as family_generators
# re-exported: matrix groups were one module before the split (cayley.groups.matrix.X keeps working)
from .library.matrix import (
    gl_roots as gl_roots,
    heisenberg as heisenberg,
    sl_fund_roots as sl_fund_roots,
    sl_root_weyl as sl_root_weyl,
    unitriangular as unitriangular,
)
from .modular import (
    MAX_MODULUS as MAX_MODULUS,
    MatrixGeneratorSet as MatrixGeneratorSet,
    act_matrix as act_matrix,
    check_modulus as check_modulus,
    det_mod as det_mod,
    group_order as group_order,
    inverse_mod as inverse_mod,
    mat_mul as mat_mul,
    orbit_size as orbit_size,
    parse_matrix as parse_matrix,
    parse_vector as parse_vector,
    unit_generators as unit_generators,
)
from .notation import NAME_PATTERN, split_top
from .parse import GroupSpec, family_and_params

__all__ = ["generators", "parse_matrix_generators", "matrix_generators"]


def generators(name: str, n: int, **params: Any) -> MatrixGeneratorSet:
    """A matrix family's generator set (as :func:`cayley.groups.generators`, which
    returns the same; this one refuses permutation families).

    >>> generators("ut", 3, m=2).names
    ('e1', "e1'", 'e2', "e2'")
    """
    g = family_generators(name, n, **params)
    if not isinstance(g, MatrixGeneratorSet):
        raise InvalidInputError(f"family {name!r} is not a matrix family")
    return g



_CHECKS: dict[str, tuple[str, Callable[[np.ndarray, int], bool]]] = {
    "SL": ("does not have determinant 1", lambda a, m: det_mod(a, m) == 1 % m),
    "UT": (
        "is not upper unitriangular",
        lambda a, m: bool(np.all(np.tril(a, -1) == 0) and np.all(np.diag(a) == 1 % m)),
    ),
    "GL": ("is not invertible", lambda a, m: gcd(det_mod(a, m), m) == 1),
}


def parse_matrix_generators(spec: str, n: int | None, m: int) -> MatrixGeneratorSet:
    """Explicit matrices ``[[1,1],[0,1]];B=[[1,0],[1,1]]`` (``;`` between generators,
    optional ``name=``) or a matrix family ``roots`` / ``heisenberg:add_inverses=false``.

    >>> parse_matrix_generators("A=[[1,1],[0,1]];[[1,0],[1,1]]", 2, 7).names
    ('A', 'g1')
    >>> parse_matrix_generators("root_weyl", 3, 2).names
    ('e', "e'", 'w', "w'")
    """
    text = spec.strip() if isinstance(spec, str) else ""
    if not text:
        raise ParseError(f"empty generator spec {spec!r}: expected e.g. roots or [[1,1],[0,1]];[[1,0],[1,1]]")
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]*(:.*)?", text) and not re.match(rf"{NAME_PATTERN}\s*=", text):
        fam, params = family_and_params(text)
        fm = params.pop("m", m)
        if fm != m:
            raise InvalidInputError(f"{spec!r} has m={fm}, but the group is over Z/{m}")
        fn = params.pop("n", n)
        if n is not None and fn != n:
            raise DegreeMismatchError(f"{spec!r} has n={fn}, but the group has {n} x {n} matrices")
        if fam.kind != "matrix":
            raise InvalidInputError(
                f"family {fam.name!r} is a permutation family; a matrix group takes a matrix family "
                "(sl_fund_roots, sl_root_weyl, heisenberg, unitriangular, gl_roots) or matrices like [[1,1],[0,1]]"
            )
        if not isinstance(fn, int):
            raise ParseError(f"malformed matrix size n={fn!r} in {spec!r}: expected an integer")
        return cast(MatrixGeneratorSet, fam(fn, m=m, **params))  # a matrix family builds one
    mats, names = [], []
    for i, item in enumerate(split_top(text, ";")):
        mt = re.match(rf"^({NAME_PATTERN})\s*=\s*(.*)$", item, re.S)
        name, body = (mt.group(1), mt.group(2)) if mt else (f"g{i}", item)
        a = parse_matrix(body)
        if n is not None and a.shape[0] != n:
            raise DegreeMismatchError(f"generator {name!r} = {a.tolist()} is {a.shape[0]} x {a.shape[0]}, "
                                      f"but the group has {n} x {n} matrices")
        mats.append(a)
        names.append(name)
    return MatrixGeneratorSet.from_matrices(mats, m, names)


def matrix_generators(spec: str | MatrixGeneratorSet, group: GroupSpec) -> MatrixGeneratorSet:
    """Generators for a parsed matrix group spec (``parse_group("SL(3,5)")``): a family or
    explicit matrices; each generator must lie in the group (determinant 1 for SL,
    unitriangular for UT, invertible for GL), else a one-line error names it.

    >>> from cayley.groups.parse import parse_group
    >>> matrix_generators("roots", parse_group("SL(3,5)")).order()
    372000
    >>> matrix_generators("[[2,0],[0,1]]", parse_group("SL(2,5)"))
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: generator 'g0' = [[2, 0], [0, 1]] is not in SL(2,5): it does not have determinant 1
    """
    if isinstance(spec, MatrixGeneratorSet):
        g = spec
        if g.degree != group.degree or g.modulus != group.modulus:
            raise DegreeMismatchError(
                f"generators are {g.degree} x {g.degree} mod {g.modulus}, but the group is {group.name}"
            )
    else:
        if group.modulus is None:
            raise InvalidInputError(f"{group.name} is not a matrix group: matrix generators need SL, GL or UT(n, m)")
        g = parse_matrix_generators(spec, group.degree, group.modulus)
    why, ok = _CHECKS[group.kind]
    for nm, a in zip(g.names, g.matrices):
        if not ok(a, g.modulus):
            raise InvalidInputError(f"generator {nm!r} = {a.tolist()} is not in {group.name}: it {why}")
    return g
