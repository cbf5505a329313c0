"""One-line forms of the moves the families are built from (transpositions, reversals,
cycles, block exchanges) and the parameter checks they share.

Positions are 0-based and a move ``p`` acts on a state ``s`` by ``s[p]``.

>>> transposition(4, 0, 2), reversal(4, 1, 3)
([2, 1, 0, 3], [0, 3, 2, 1])
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from ...errors import InvalidInputError

#: What a family function returns: the generators in one-line form and their names.
Moves = tuple[list[Any], list[str]]  # each generator a list of ints or an int array


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


def from_pairs(n: int, pairs: Sequence[tuple[int, int]]) -> list[int]:
    """One-line form of the product of the disjoint transpositions ``pairs``."""
    p = list(range(n))
    for i, j in pairs:
        p[i], p[j] = p[j], p[i]
    return p


def shift_left(n: int) -> list[int]:
    """Cyclic shift left: ``s'[i] = s[i + 1]``."""
    return list(range(1, n)) + [0]


def shift_right(n: int) -> list[int]:
    """Cyclic shift right: ``s'[i] = s[i - 1]``."""
    return [n - 1] + list(range(n - 1))


def signed_flip(n: int, i: int, j: int) -> list[int]:
    """Reverse the signed elements i..j of a 2n-position state and turn each over.

    Element ``t`` occupies positions ``t`` (one side) and ``n + t`` (the other side).
    """
    p = list(range(2 * n))
    for t in range(i, j + 1):
        p[t] = n + i + j - t
        p[n + t] = i + j - t
    return p


def cycle_perm(n: int, cycle: Sequence[int]) -> list[int]:
    """One-line form of the cycle ``c0 -> c1 -> ... -> c0`` (``p[c_t] = c_{t+1}``)."""
    p = list(range(n))
    for a, b in zip(cycle, list(cycle[1:]) + [cycle[0]]):
        p[a] = b
    return p


def perm_from_cycles(n: int, cycles: Sequence[Sequence[int]]) -> list[int]:
    """One-line form of a product of disjoint cycles, each ``c0 -> c1 -> ... -> c0``."""
    p = list(range(n))
    moved: set[int] = set()
    for cyc in cycles:
        for a, b in zip(cyc, list(cyc[1:]) + [cyc[0]]):
            if not (0 <= a < n) or a in moved:
                raise InvalidInputError(f"cycles {list(map(tuple, cycles))} are not disjoint cycles of 0..{n - 1}")
            moved.add(a)
            p[a] = b
    return p


def inverse_list(p: Sequence[int]) -> list[int]:
    q = [0] * len(p)
    for i, x in enumerate(p):
        q[x] = i
    return q


def int_list(value: Any, what: str) -> list[int]:
    """A list of integers from a sequence or from text such as ``"3,2"``, ``"(3 2)"`` or ``"3+2"``."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return [int(value)]
    if isinstance(value, str):
        tokens = re.findall(r"-?\d+", value)
        if not tokens or re.sub(r"[-\d\s,+()\[\]]", "", value):
            raise InvalidInputError(f"{what} must be integers like 3,2 or (3 2), got {value!r}")
        return [int(t) for t in tokens]
    try:
        out = [int(x) for x in value]
    except (TypeError, ValueError):
        raise InvalidInputError(f"{what} must be a list of integers, got {value!r}") from None
    if any(isinstance(x, bool) or int(x) != x for x in value):
        raise InvalidInputError(f"{what} must be a list of integers, got {value!r}")
    return out


def check_k(name: str, k: object, low: int, high: float, n: int, rule: str) -> int:
    """``k`` as an int if it is an integer in ``low..high``, else an error quoting ``rule``."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not low <= k <= high:
        raise InvalidInputError(f"{name} needs {rule}, got k={k!r}, n={n}")
    return int(k)


def one_line_name(p: Sequence[int], sep: str) -> str:
    """CayleyPy's name of a move: its entries in parentheses, e.g. ``(1 0 2)``."""
    return "(" + sep.join(str(x) for x in p) + ")"


def as_rng(seed: object) -> np.random.Generator:
    """A numpy Generator from a seed (an int, a Generator or None); anything else is refused."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise InvalidInputError(f"seed must be an integer, a numpy Generator or None, got {seed!r}")
    return np.random.default_rng(seed)


def block_exchange(n: int, i: int, j: int, k: int, l: int) -> list[int]:
    """Exchange the blocks [i..j-1] and [k..l-1] (i < j <= k < l <= n)."""
    return list(range(i)) + list(range(k, l)) + list(range(j, k)) + list(range(i, j)) + list(range(l, n))


def signed_shift(n: int) -> list[int]:
    """Shift n signed elements left by one, each with both its sides (positions t and n + t)."""
    return [(t + 1) % n for t in range(n)] + [n + (t + 1) % n for t in range(n)]


def map_perm(n: int, f: Callable[[int], int]) -> list[int]:
    """One-line form ``p[i] = f(i)`` of a map of 0..n-1 onto itself."""
    return [int(f(i)) for i in range(n)]


def with_inverse(perms: list[list[int]], names: list[str], p: list[int], name: str) -> None:
    """Append p and, when it is not an involution, its inverse ``name'``."""
    perms.append(p)
    names.append(name)
    inv = inverse_list(p)
    if inv != list(p):
        perms.append(inv)
        names.append(name + "'")


def distinct_moves(perms: list[list[int]], names: list[str]) -> tuple[list[list[int]], list[str]]:
    """Drop the identity and every repeat of an earlier generator (keeping the first name).

    CayleyPy builds some families at degenerate sizes with a repeated generator or the
    identity among them; neither adds an edge to the Cayley graph (a self-loop or a
    parallel edge), so the graph and its growth are those of the distinct moves.

    >>> distinct_moves([[1, 0], [0, 1], [1, 0]], ["a", "e", "b"])
    ([[1, 0]], ['a'])
    """
    ident = list(range(len(perms[0]))) if perms else []
    seen: set[tuple[int, ...]] = set()
    out_p: list[list[int]] = []
    out_n: list[str] = []
    for p, nm in zip(perms, names):
        key = tuple(p)
        if list(p) != ident and key not in seen:
            seen.add(key)
            out_p.append(list(p))
            out_n.append(nm)
    return out_p, out_n


def huge_count(log_value: float) -> float:
    """``exp(log_value)`` as a float, ``inf`` beyond floats: a count too large to state exactly."""
    return math.exp(log_value) if log_value < 700 else math.inf


def count_param(k: object, low: int, high: float) -> int:
    """A size parameter the count formula can use (else ValueError: the family function
    refuses it with its own message)."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not low <= k <= high:
        raise ValueError(k)
    return int(k)


def named_moves(items: Iterable[Sequence[int]], move: Callable[..., list[int]], name: str) -> Moves:
    """One move per index tuple ``t`` of ``items``: ``move(*t)``, named ``name.format(*t)``.

    >>> from functools import partial
    >>> named_moves([(0, 1), (1, 2)], partial(transposition, 3), "({},{})")
    ([[1, 0, 2], [0, 2, 1]], ['(0,1)', '(1,2)'])
    """
    ts = [tuple(t) for t in items]
    return [move(*t) for t in ts], [name.format(*t) for t in ts]


def cycle_moves(n: int, cycles: Iterable[Sequence[int]], sep: str) -> Moves:
    """The cycles ``c0 -> c1 -> ... -> c0``, each named by its points (``one_line_name``).

    >>> cycle_moves(3, [(0, 1, 2)], ",")
    ([[1, 2, 0]], ['(0,1,2)'])
    """
    cs = [list(c) for c in cycles]
    return [cycle_perm(n, c) for c in cs], [one_line_name(c, sep) for c in cs]


def cycles_both_ways(n: int, cycles: Iterable[Sequence[int]]) -> Moves:
    """Each cycle, named ``"(c0,c1,...)"``, then (unless it is a transposition) its inverse,
    named by the points in reverse ``"(...,c1,c0)"``.

    >>> cycles_both_ways(3, [(0, 1), (0, 1, 2)])[1]
    ['(0,1)', '(0,1,2)', '(2,1,0)']
    """
    perms: list[list[int]] = []
    names: list[str] = []
    for c in map(list, cycles):
        p = cycle_perm(n, c)
        perms.append(p)
        names.append(one_line_name(c, ","))
        if len(c) > 2:
            perms.append(inverse_list(p))
            names.append(one_line_name(c[::-1], ","))
    return perms, names


def block_moves(n: int, blocks: Iterable[tuple[int, int, int]]) -> Moves:
    """Block moves (transposons) ``T[i..e,k]``: the block of positions i..e moved to just
    after position k (i <= e < k), i.e. exchanged with the adjacent block e+1..k.

    >>> block_moves(4, [(0, 0, 2)])
    ([[1, 2, 0, 3]], ['T[0..0,2]'])
    """
    return named_moves(blocks, lambda i, e, k: block_exchange(n, i, e + 1, e + 1, k + 1), "T[{}..{},{}]")


def block_interchanges(n: int, blocks: Iterable[tuple[int, int, int, int]]) -> Moves:
    """Block interchanges ``I[i..e,k..f]``: the blocks of positions i..e and k..f
    exchanged (i <= e < k <= f).

    >>> block_interchanges(4, [(0, 0, 2, 3)])
    ([[2, 3, 1, 0]], ['I[0..0,2..3]'])
    """
    return named_moves(blocks, lambda i, e, k, f: block_exchange(n, i, e + 1, k, f + 1), "I[{}..{},{}..{}]")


def riffle(n: int, out: bool) -> list[int]:
    """A perfect shuffle of n cards (n even, positions 0..n-1 top first): cut into halves
    of m = n/2 and interleaved; the out-shuffle keeps the top card on top (new position
    2i takes card i, 2i+1 takes card m+i), the in-shuffle puts the second half's top card first.

    >>> riffle(4, out=True), riffle(4, out=False)
    ([0, 2, 1, 3], [2, 0, 3, 1])
    """
    m = n // 2
    p = [0] * n
    for i in range(m):
        p[2 * i], p[2 * i + 1] = (i, m + i) if out else (m + i, i)
    return p
