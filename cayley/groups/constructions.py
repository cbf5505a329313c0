"""New generator sets and start states from old: products, wreath products, group actions.

Everything here returns plain :class:`~cayley.groups.GeneratorSet` values or start states
(integer arrays), so it stays in the numpy-only ``groups`` layer; a graph is then
``CayleyGraph(gens, start=state)``. Conventions are cayley's: positions are 0-based and a
generator ``p`` acts on a state ``s`` by ``s[p]``.

- :func:`direct_product` (and :func:`direct_power`): the factors act side by side on
  disjoint blocks of positions; the Cayley graph is the Cartesian product of the factors'
  Cayley graphs, so its growth is the convolution of theirs.
- :func:`wreath_product`: ``H wr K`` with ``H`` on each of the blocks and ``K`` permuting
  the blocks; :func:`cyclic_wreath` is ``C_k wr S_n`` (the generalized symmetric group
  of k-coloured permutations, order ``k^n n!``) and :func:`hyperoctahedral` is
  ``C_2 wr S_n`` laid out like cayley's signed families.
- :func:`inverse_closure`: add the missing inverses (an undirected graph).
- Start states for Schreier graphs: :func:`subset_state` (the action on k-subsets),
  :func:`colouring_state` (strings / colourings with given colour counts) and
  :func:`arrangement_state` (k-arrangements, i.e. injective words).

>>> g = direct_product("coxeter:n=3", "cyclic:n=3")
>>> g.degree, g.names
(6, ('s0', 's1', 'L', 'R'))
>>> g.order()
18
>>> w = cyclic_wreath(3, 2)
>>> w.degree, w.order() == 3**2 * 2
(6, True)
"""

from __future__ import annotations

from itertools import chain
from math import factorial, prod
from typing import Callable, Sequence

import numpy as np

from ..errors import InvalidInputError
from .generator_set import GeneratorSet
from .parse import as_generator_set

__all__ = [
    "direct_product",
    "direct_power",
    "wreath_product",
    "cyclic_wreath",
    "hyperoctahedral",
    "inverse_closure",
    "subset_state",
    "colouring_state",
    "arrangement_state",
    "orbit_size_on_colourings",
]


def _gens(spec: object, degree: int | None = None) -> GeneratorSet:
    """A GeneratorSet from a GeneratorSet, a spec string with its degree (``"lrx:n=5"``) or one-line lists."""
    return as_generator_set(spec, degree)


def _qualified_names(factors: Sequence[GeneratorSet]) -> list[list[str]]:
    """Keep the factors' generator names when they are distinct across factors, else prefix ``i:``."""
    flat = [nm for g in factors for nm in g.names]
    if len(set(flat)) == len(flat):
        return [list(g.names) for g in factors]
    return [[f"{i}:{nm}" for nm in g.names] for i, g in enumerate(factors)]


def direct_product(*factors: object) -> GeneratorSet:
    """Direct product of generator sets acting on consecutive blocks of positions.

    Factor ``i`` acts on its own block (the first factor on positions ``0..n0-1``, the next
    on ``n0..n0+n1-1``, ...) and fixes the rest; the generators are all the factors'
    generators, in order. The group is the direct product of the factors' groups, and the
    Cayley graph is the Cartesian product of their Cayley graphs (distances add). Names
    are kept when they are distinct across the factors, otherwise prefixed with the
    factor's index (``"0:L"``, ``"1:L"``).

    Parameters
    ----------
    *factors : GeneratorSet or str
        At least one factor; a string is a generator spec with its degree, e.g.
        ``"lrx:n=4"`` or ``"[1,2,0];[1,0,2]"``.

    >>> g = direct_product("lx:n=3", "lx:n=3")
    >>> g.names
    ('0:L', '0:X', '1:L', '1:X')
    >>> g.perms.tolist()[2]
    [0, 1, 2, 4, 5, 3]
    """
    if not factors:
        raise InvalidInputError("direct_product needs at least one factor")
    gens = [_gens(f) for f in factors]
    total = sum(g.degree for g in gens)
    perms, offset = [], 0
    for g in gens:
        for p in g.perms:
            q = np.arange(total, dtype=np.int64)
            q[offset : offset + g.degree] = p + offset
            perms.append(q)
        offset += g.degree
    names = list(chain.from_iterable(_qualified_names(gens)))
    return GeneratorSet.from_perms(perms, names)


def direct_power(gens: object, m: int) -> GeneratorSet:
    """The direct product of ``m`` copies of a generator set (names prefixed ``0:``, ``1:``, ...).

    >>> direct_power("cyclic:n=3", 2).order()
    9
    """
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise InvalidInputError(f"direct_power needs m >= 1 copies, got {m!r}")
    g = _gens(gens)
    if m == 1:
        return g
    return direct_product(*([g] * int(m)))


def _block_position(layout: str, m: int, k: int) -> Callable[[int, int], int]:
    """Position of point ``i`` of block ``b`` (blocks of ``m`` points, ``k`` blocks)."""
    if layout == "blocks":
        return lambda b, i: b * m + i
    if layout == "layers":
        return lambda b, i: i * k + b
    raise InvalidInputError(f"unknown layout {layout!r}: expected 'blocks' or 'layers'")


def wreath_product(base: object, top: object, *, layout: str = "blocks") -> GeneratorSet:
    """The permutational wreath product ``base wr top`` acting on ``m * k`` positions.

    ``base`` acts on ``m`` points, ``top`` on ``k`` points (the blocks). The result acts
    on ``k`` blocks of ``m`` positions: each generator of ``base`` acting inside one
    block, named ``"h[b]"`` for block ``b``, then each generator of ``top`` moving whole
    blocks (same names as in ``top``). A copy of ``base`` is placed on one block of each
    orbit of ``top`` (block 0 alone when ``top`` is transitive), which is enough to
    generate the full wreath product ``base^k ⋊ top``, of order ``|base|^k |top|``.

    ``layout="blocks"`` puts point ``i`` of block ``b`` at position ``b*m + i``;
    ``layout="layers"`` at ``i*k + b`` (so with ``m = 2`` the two points of block ``t``
    sit at ``t`` and ``k + t``, like cayley's signed families).

    The action: a top generator ``t`` (a permutation of the blocks in the ``s[t]``
    convention) moves the contents of block ``t[b]`` into block ``b``.

    >>> w = wreath_product("[1,0]", "[1,2,0];[1,0,2]")  # C_2 wr S_3
    >>> w.names, w.degree
    (('g0[0]', 'g0', 'g1'), 6)
    >>> w.order() == 2**3 * 6
    True
    """
    h, t = _gens(base), _gens(top)
    m, k = h.degree, t.degree
    pos = _block_position(layout, m, k)
    # one representative block per orbit of the top group
    seen, reps = set(), []
    for b in range(k):
        if b in seen:
            continue
        reps.append(b)
        todo = [b]
        seen.add(b)
        while todo:
            x = todo.pop()
            for p in t.perms:
                for y in (int(p[x]), int(np.flatnonzero(p == x)[0])):
                    if y not in seen:
                        seen.add(y)
                        todo.append(y)
    perms, names = [], []
    for b in reps:
        for hname, hp in zip(h.names, h.perms):
            q = np.arange(m * k, dtype=np.int64)
            for i in range(m):
                q[pos(b, i)] = pos(b, int(hp[i]))
            perms.append(q)
            names.append(f"{hname}[{b}]")
    for tname, tp in zip(t.names, t.perms):
        q = np.empty(m * k, dtype=np.int64)
        for b in range(k):
            for i in range(m):
                q[pos(b, i)] = pos(int(tp[b]), i)
        perms.append(q)
        names.append(tname)
    return GeneratorSet.from_perms(perms, names)


def _cycle_generators(k: int, inverses: bool) -> GeneratorSet:
    rot = [(i + 1) % k for i in range(k)]
    if not inverses or k <= 2:
        return GeneratorSet.from_perms([rot], ["c"])
    return GeneratorSet.from_perms([rot, [(i - 1) % k for i in range(k)]], ["c", "c^-1"])


def cyclic_wreath(k: int, n: int, top: object = "coxeter", *, inverses: bool = True, layout: str = "layers") -> GeneratorSet:
    """``C_k wr S_n``, the generalized symmetric group of k-coloured permutations (order ``k^n n!``).

    Element ``t`` (of ``n``) carries a colour in ``Z_k``, realised as the ``k`` positions
    ``t, n + t, ..., (k-1)n + t`` (``layout="layers"``, the default) that the colour
    rotates. Generators: the rotation ``c[0]`` of element 0's colour (and ``c^-1[0]`` when
    ``inverses`` and ``k >= 3``, so the graph is undirected), then the generators of
    ``top``, a family name or spec acting on the ``n`` elements (default the Coxeter
    generators). With ``k = 2`` this is the hyperoctahedral group B_n and the generators
    are those of ``coxeter_b``.

    >>> g = cyclic_wreath(3, 2)
    >>> g.names
    ('c[0]', 'c^-1[0]', 's0')
    >>> g.order()
    18
    """
    for name, v, low in (("k", k, 2), ("n", n, 1)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < low:
            raise InvalidInputError(f"cyclic_wreath needs {name} >= {low}, got {name}={v!r}")
    if n == 1:
        c = _cycle_generators(k, inverses)
        return GeneratorSet.from_perms(c.perms, [f"{nm}[0]" for nm in c.names])
    top_gens = as_generator_set(top, n) if isinstance(top, str) else _gens(top)
    if top_gens.degree != n:
        raise InvalidInputError(f"cyclic_wreath: top generators have degree {top_gens.degree}, expected n={n}")
    return wreath_product(_cycle_generators(k, inverses), top_gens, layout=layout)


def hyperoctahedral(n: int, top: object = "coxeter") -> GeneratorSet:
    """The hyperoctahedral group ``B_n = C_2 wr S_n`` (signed permutations, order ``2^n n!``) on 2n positions.

    Element ``t`` is positions ``t`` and ``n + t`` (its two signs), as in cayley's signed
    families (``burnt_pancake``, ``signed_reversals``, ``coxeter_b``). Generators: the
    sign flip of element 0, ``"c[0]"`` = (0, n), then ``top`` (default the Coxeter
    generators) acting on the elements with their signs; with the default this is
    ``coxeter_b``'s generating set.

    >>> g = hyperoctahedral(3)
    >>> g.perms.tolist()[0], g.order()
    ([3, 1, 2, 0, 4, 5], 48)
    """
    return cyclic_wreath(2, n, top, inverses=False, layout="layers")


def inverse_closure(gens: object, degree: int | None = None) -> GeneratorSet:
    """The generator set plus the inverses it lacks (named ``name^-1``): an undirected graph.

    Uses :meth:`GeneratorSet.with_inverses`; involutions and generators whose inverse is
    already present are not repeated.

    >>> inverse_closure("consecutive_k_cycles:n=4").names
    ('(0,1,2)', '(1,2,3)', '(0,1,2)^-1', '(1,2,3)^-1')
    """
    return _gens(gens, degree).with_inverses()


def subset_state(n: int, k: int, subset: Sequence[int] | None = None) -> np.ndarray:
    """Start state for the action on k-subsets: 1 on the ``k`` positions of ``subset`` (default the first k), 0 elsewhere.

    The Schreier graph from this state has the k-subsets of the group's orbit as
    vertices; for a generating set of S_n there are C(n, k) of them. With
    ``all_transpositions`` it is the Johnson graph J(n, k) (with a loop at each vertex for
    the transpositions inside or outside the subset), of diameter min(k, n - k).

    >>> subset_state(5, 2).tolist(), subset_state(5, 2, [1, 4]).tolist()
    ([1, 1, 0, 0, 0], [0, 1, 0, 0, 1])
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidInputError(f"subset_state needs n >= 1, got {n!r}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= n:
        raise InvalidInputError(f"subset_state needs 0 <= k <= n, got k={k!r}, n={n}")
    chosen = list(range(k)) if subset is None else [int(x) for x in subset]
    if len(chosen) != k or len(set(chosen)) != k or any(not 0 <= x < n for x in chosen):
        raise InvalidInputError(f"subset {chosen} is not a set of k={k} positions in 0..{n - 1}")
    s = np.zeros(n, dtype=np.int64)
    s[chosen] = 1
    return s


def colouring_state(counts: Sequence[int]) -> np.ndarray:
    """Start state with ``counts[c]`` positions of colour ``c``, in order: the action on strings/colourings.

    ``colouring_state([2, 3])`` is ``00111``; under S_n the orbit has the multinomial
    number ``n! / prod(counts!)`` of states.

    >>> colouring_state([2, 1, 2]).tolist()
    [0, 0, 1, 2, 2]
    """
    cs = [int(c) for c in counts]
    if not cs or any(c < 0 for c in cs) or sum(cs) == 0:
        raise InvalidInputError(f"colouring_state needs non-negative colour counts with a positive sum, got {list(counts)}")
    return np.repeat(np.arange(len(cs), dtype=np.int64), cs)


def arrangement_state(n: int, k: int) -> np.ndarray:
    """Start state ``0, 1, ..., k-1, k, k, ..., k``: the action on k-arrangements (injective words of length k).

    Positions ``0..k-1`` carry distinct symbols and the other ``n - k`` one shared blank,
    so a state records where each of the k symbols sits: n!/(n-k)! states under S_n (the
    cosets of the stabiliser S_{n-k}).

    >>> arrangement_state(5, 2).tolist()
    [0, 1, 2, 2, 2]
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= n:
        raise InvalidInputError(f"arrangement_state needs 0 <= k <= n, got k={k!r}, n={n!r}")
    return np.array(list(range(k)) + [k] * (n - k), dtype=np.int64)


def orbit_size_on_colourings(counts: Sequence[int]) -> int:
    """The orbit size of :func:`colouring_state` under the full symmetric group: a multinomial.

    >>> from math import comb
    >>> orbit_size_on_colourings([2, 3]) == comb(5, 2)
    True
    """
    cs = [int(c) for c in counts]
    return factorial(sum(cs)) // prod(factorial(c) for c in cs)
