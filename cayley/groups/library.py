"""Named generator families: a registry of functions ``family(n, **params) -> GeneratorSet``.

Names and conventions follow the literature and CayleyPy where it has the family, so that
results and datasets interchange. Positions are 0-based and a generator ``p`` acts on a
state ``s`` by ``s[p]`` (see :mod:`cayley.groups.perm`).

>>> g = generators("lrx", 4)
>>> g.names, g.perms.tolist()
(('L', 'R', 'X'), [[1, 2, 3, 0], [3, 0, 1, 2], [1, 0, 2, 3]])
>>> get_family("lrx").params
(Param(name='n', default=None, doc='degree'), Param(name='k', default=1, doc='X swaps positions 0 and k'))
"""

from __future__ import annotations

import difflib
import inspect
import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..errors import InvalidInputError, UnknownFamilyError
from .generators import GeneratorSet

__all__ = ["Family", "Param", "register", "get_family", "families", "generators"]


@dataclass(frozen=True)
class Param:
    name: str
    default: object
    doc: str


@dataclass(frozen=True)
class Family:
    """A registered generator family."""

    name: str
    func: Callable[..., GeneratorSet]
    params: tuple[Param, ...]
    description: str
    reference: str
    min_degree: int
    aliases: tuple[str, ...] = ()

    def __call__(self, n: int, **params) -> GeneratorSet:
        return build(self, n, **params)


_REGISTRY: dict[str, Family] = {}
_ALIASES: dict[str, str] = {}


def register(
    name: str,
    *,
    reference: str,
    min_degree: int = 2,
    aliases: Sequence[str] = (),
    param_docs: dict[str, str] | None = None,
):
    """Decorator registering ``func(n, **params) -> list of perms, names`` as a family.

    The function returns ``(perms, names)``; the registry validates them and builds the
    :class:`GeneratorSet`. Its first docstring line is the family's description.
    """

    def deco(func):
        sig = inspect.signature(func)
        docs = {"n": "degree", **(param_docs or {})}
        params = tuple(
            Param(p.name, None if p.default is inspect.Parameter.empty else p.default, docs.get(p.name, ""))
            for p in sig.parameters.values()
        )
        if not params or params[0].name != "n":
            raise TypeError(f"family {name}: first parameter must be n")
        description = (inspect.getdoc(func) or "").strip().splitlines()[0] if func.__doc__ else ""
        fam = Family(name, func, params, description, reference, min_degree, tuple(aliases))
        if name in _REGISTRY or name in _ALIASES:
            raise ValueError(f"family {name!r} registered twice")
        _REGISTRY[name] = fam
        for a in aliases:
            _ALIASES[a] = name
        return func

    return deco


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def get_family(name: str) -> Family:
    """Look up a family by name or alias; unknown names suggest the closest ones.

    >>> get_family("LRX").name
    'lrx'
    """
    key = _normalise(name)
    key = _ALIASES.get(key, key)
    if key in _REGISTRY:
        return _REGISTRY[key]
    known = sorted(_REGISTRY) + sorted(_ALIASES)
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `cayley families` lists them"
    raise UnknownFamilyError(f"unknown generator family {name!r}{hint}")


def families() -> list[Family]:
    """All registered families, sorted by name."""
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def build(fam: Family, n: int, **params) -> GeneratorSet:
    names = {p.name for p in fam.params[1:]}
    unknown = set(params) - names
    if unknown:
        raise InvalidInputError(
            f"family {fam.name!r} has no parameter {sorted(unknown)[0]!r}; parameters: {sorted(names) or 'none'}"
        )
    if not isinstance(n, (int, np.integer)) or n < fam.min_degree:
        raise InvalidInputError(f"family {fam.name!r} needs degree n >= {fam.min_degree}, got {n!r}")
    try:
        perms, gen_names = fam.func(int(n), **params)
    except (ValueError, IndexError, TypeError) as exc:
        if isinstance(exc, InvalidInputError):
            raise
        raise InvalidInputError(f"family {fam.name!r} with n={n}, {params}: {exc}") from exc
    full = {p.name: p.default for p in fam.params[1:]}
    full.update(params)
    return GeneratorSet.from_perms(perms, gen_names, family=fam.name, params={"n": int(n), **full})


def generators(name: str, n: int, **params) -> GeneratorSet:
    """The generator set of family ``name`` at degree ``n``.

    >>> generators("coxeter", 3).perms.tolist()
    [[1, 0, 2], [0, 2, 1]]
    """
    return build(get_family(name), n, **params)


# ----------------------------------------------------------------------------------
# helpers for family definitions
# ----------------------------------------------------------------------------------
def transposition(n: int, i: int, j: int) -> list[int]:
    """One-line form of the transposition of positions i and j."""
    if not (0 <= i < n and 0 <= j < n) or i == j:
        raise InvalidInputError(f"transposition ({i} {j}) is not valid at degree {n}")
    p = list(range(n))
    p[i], p[j] = p[j], p[i]
    return p


def reversal(n: int, i: int, j: int) -> list[int]:
    """Reverse the positions i..j (inclusive)."""
    p = list(range(n))
    p[i : j + 1] = p[i : j + 1][::-1]
    return p


def shift_left(n: int) -> list[int]:
    """Cyclic shift left: ``s'[i] = s[i + 1]``."""
    return list(range(1, n)) + [0]


def shift_right(n: int) -> list[int]:
    """Cyclic shift right: ``s'[i] = s[i - 1]``."""
    return [n - 1] + list(range(n - 1))


# ----------------------------------------------------------------------------------
# families
# ----------------------------------------------------------------------------------
@register(
    "lrx",
    reference="Cyclic shifts and a transposition; CayleyPy PermutationGroups.lrx; Babai-type diameter n(n-1)/2",
    min_degree=3,
    param_docs={"k": "X swaps positions 0 and k"},
)
def _lrx(n: int, k: int = 1):
    """Left shift L, right shift R, and X swapping positions 0 and k."""
    if not 1 <= k < n:
        raise InvalidInputError(f"lrx needs 1 <= k < n, got k={k}, n={n}")
    return [shift_left(n), shift_right(n), transposition(n, 0, k)], ["L", "R", "X"]


@register("coxeter", reference="Coxeter generators of S_n (adjacent transpositions); diameter n(n-1)/2, OEIS A008302")
def _coxeter(n: int):
    """Adjacent transpositions (i, i+1), i = 0..n-2."""
    return [transposition(n, i, i + 1) for i in range(n - 1)], [f"s{i}" for i in range(n - 1)]

