"""Permutations as integer arrays: the kernels every other module builds on.

A permutation of degree n is an integer array ``p`` of shape ``(n,)`` holding each of
0..n-1 once (one-line notation). Bulk permutations and states are arrays of shape
``(..., n)``; every function here works on the last axis and broadcasts.

The action convention, used everywhere in cayley: a permutation ``p`` acts on a state
``s`` by a gather, ``act(s, p) = s[p]``, and ``compose(p, q) = p[q]``, so that acting by
``p`` and then by ``q`` is acting by ``compose(p, q)``:

>>> import numpy as np
>>> s = np.array([10, 20, 30]); p = np.array([1, 2, 0]); q = np.array([1, 0, 2])
>>> act(act(s, p), q).tolist() == act(s, compose(p, q)).tolist()
True
"""

from __future__ import annotations

from math import gcd
from typing import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import DegreeMismatchError, InvalidInputError, NotAPermutationError

__all__ = [
    "identity",
    "compose",
    "inverse",
    "act",
    "is_permutation",
    "check_permutation",
    "cycles",
    "from_cycles",
    "parity",
    "element_order",
    "short_repr",
    "MAX_DEGREE",
    "check_degree",
]

DTYPE = np.int64

#: Largest degree (number of points) accepted from user input: specs, GAP files, family
#: sizes. It is checked before anything of that size is allocated, so a typo such as
#: ``(0 99999999999)`` is a one-line error rather than a MemoryError.
MAX_DEGREE = 2**16


def check_degree(n: int, what: str = "degree", *, error: type[Exception] = InvalidInputError) -> int:
    """``n`` if ``1 <= n <= MAX_DEGREE``, else a one-line ``error`` naming ``what``.

    >>> check_degree(10)
    10
    >>> check_degree(10**9, "cycle notation '(0 999999999)'")
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: cycle notation '(0 999999999)' needs degree 1000000000, more than the largest supported degree 65536 (MAX_DEGREE)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise error(f"{what}: degree must be an integer, got {n!r}")
    if n > MAX_DEGREE:
        raise error(f"{what} needs degree {n}, more than the largest supported degree {MAX_DEGREE} (MAX_DEGREE)")
    if n < 1:
        raise error(f"{what}: degree must be >= 1, got {n}")
    return int(n)


def identity(n: int) -> np.ndarray:
    """The identity permutation of degree ``n``.

    >>> identity(4).tolist()
    [0, 1, 2, 3]
    """
    if n < 0:
        raise InvalidInputError(f"degree must be >= 0, got {n}")
    return np.arange(n, dtype=DTYPE)


def act(state: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Act by ``p`` on ``state`` (shape ``(..., n)``): ``state[..., p]``.

    >>> act(np.array([5, 6, 7]), np.array([2, 0, 1])).tolist()
    [7, 5, 6]
    """
    state = np.asarray(state)
    p = np.asarray(p)
    if state.ndim == 0 or p.ndim == 0 or state.shape[-1] != p.shape[-1]:
        raise DegreeMismatchError(
            f"cannot act: state shape {state.shape} and permutation shape {p.shape} "
            "must both be (..., n) with the same n"
        )
    if p.ndim == 1:
        return state[..., p]
    # batched permutations: broadcast the leading axes, so one state (n,) can be acted on
    # by a stack of permutations (k, n) and vice versa
    lead = np.broadcast_shapes(state.shape[:-1], p.shape[:-1])
    state = np.broadcast_to(state, lead + state.shape[-1:])
    p = np.broadcast_to(p, lead + p.shape[-1:])
    return np.take_along_axis(state, p, axis=-1)


def compose(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The product "first ``p``, then ``q``": ``p[q]``, batched over leading axes.

    >>> compose(np.array([1, 2, 0]), np.array([1, 0, 2])).tolist()
    [2, 1, 0]
    >>> compose(np.array([1, 2, 0]), np.array([[1, 0, 2], [0, 1, 2]])).tolist()
    [[2, 1, 0], [1, 2, 0]]
    """
    return act(p, q)


def inverse(p: np.ndarray) -> np.ndarray:
    """Inverse permutation(s), batched over leading axes.

    >>> inverse(np.array([1, 2, 0])).tolist()
    [2, 0, 1]
    """
    p = np.asarray(p)
    inv = np.empty_like(p)
    n = p.shape[-1]
    np.put_along_axis(inv, p, np.broadcast_to(np.arange(n, dtype=p.dtype), p.shape), axis=-1)
    return inv


def is_permutation(p: ArrayLike) -> bool:
    """Whether ``p`` is a one-dimensional array holding each of 0..n-1 once.

    >>> is_permutation([2, 0, 1]), is_permutation([0, 0, 1])
    (True, False)
    """
    a = np.asarray(p)
    if a.ndim != 1 or not np.issubdtype(a.dtype, np.integer):
        return False
    n = a.shape[0]
    if n == 0:
        return True
    if a.min() < 0 or a.max() >= n:
        return False
    return bool(np.bincount(a, minlength=n).max() == 1)


def check_permutation(p: ArrayLike, *, name: str | None = None) -> NDArray[np.int64]:
    """Return ``p`` as an int64 array, or raise :class:`NotAPermutationError`.

    >>> check_permutation([1, 0]).tolist()
    [1, 0]
    """
    try:
        a = np.asarray(p)
    except (TypeError, ValueError) as exc:  # ragged input
        raise NotAPermutationError(f"not a permutation: {p!r}") from exc
    label = f"generator {name!r} " if name else ""
    if a.ndim != 1:
        raise NotAPermutationError(f"{label}{short_repr(p)} is not a one-line permutation (a flat list)")
    if a.size and not np.issubdtype(a.dtype, np.integer):
        if np.issubdtype(a.dtype, np.floating) and np.all(a == np.round(a)):
            a = a.astype(DTYPE)
        else:
            raise NotAPermutationError(f"{label}{short_repr(p)} must hold integers")
    a = a.astype(DTYPE, copy=False)
    if not is_permutation(a):
        n = a.shape[0]
        raise NotAPermutationError(
            f"{label}{short_repr(a.tolist())} is not a permutation: expected each of 0..{n - 1} exactly once"
        )
    return a


def short_repr(x: object) -> str:
    """A list or array as text, cut to 80 characters for an error message.

    >>> len(short_repr(list(range(40)))), short_repr(list(range(40)))[-5:]
    (80, '21...')
    """
    s = str(list(x) if isinstance(x, np.ndarray) else x)
    return s if len(s) <= 80 else s[:77] + "..."


def cycles(p: ArrayLike, *, include_fixed: bool = False) -> list[tuple[int, ...]]:
    """Disjoint cycles of ``p``, each starting at its smallest point.

    Cycle ``(a b c)`` means a -> b -> c -> a under the map ``i -> p[i]``.

    >>> cycles([1, 2, 0, 3])
    [(0, 1, 2)]
    >>> cycles([1, 0, 2], include_fixed=True)
    [(0, 1), (2,)]
    """
    # validate first: on a non-permutation the cycle walk below would never terminate
    img: list[int] = check_permutation(p).tolist()
    seen = [False] * len(img)
    out: list[tuple[int, ...]] = []
    for i in range(len(img)):
        if seen[i]:
            continue
        cyc = [i]
        seen[i] = True
        j = img[i]
        while j != i:
            cyc.append(j)
            seen[j] = True
            j = img[j]
        if len(cyc) > 1 or include_fixed:
            out.append(tuple(cyc))
    return out


def from_cycles(cycs: Iterable[Sequence[int]], n: int | None = None) -> np.ndarray:
    """Permutation from disjoint cycles (0-based), ``i -> p[i]`` along each cycle.

    >>> from_cycles([(0, 1, 2)], 4).tolist()
    [1, 2, 0, 3]
    """
    cycs = [tuple(int(x) for x in c) for c in cycs]
    points = [x for c in cycs for x in c]
    if any(x < 0 for x in points):
        raise InvalidInputError(f"cycle points must be >= 0, got {cycs}")
    if len(points) != len(set(points)):
        raise InvalidInputError(f"cycles {cycs} are not disjoint")
    top = max(points, default=-1) + 1
    if n is None:
        n = top
    elif top > n:
        raise DegreeMismatchError(f"cycles {cycs} move point {top - 1}, beyond degree {n}")
    p = np.arange(n, dtype=DTYPE)
    for c in cycs:
        for a, b in zip(c, list(c[1:]) + list(c[:1])):
            p[a] = b
    return p


def parity(p: ArrayLike) -> int:
    """0 for an even permutation, 1 for an odd one.

    >>> parity([1, 0, 2]), parity([1, 2, 0])
    (1, 0)
    """
    p = np.asarray(p)
    return sum(len(c) - 1 for c in cycles(p)) % 2


def element_order(p: ArrayLike) -> int:
    """Order of ``p`` in the symmetric group (lcm of its cycle lengths).

    >>> element_order([1, 2, 0, 4, 3])
    6
    """
    o = 1
    for c in cycles(p):
        o = o * len(c) // gcd(o, len(c))
    return o
