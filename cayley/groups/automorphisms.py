"""Symmetries of a generator set: the permutations ``pi`` with ``pi S pi^-1 = S``.

Conjugation by such a ``pi`` maps the Cayley graph Cay(G, S) onto itself (relabelling the
arcs), so every graph invariant of a state, its distance to the identity first, is
invariant under it. The neural heuristics (:mod:`cayley.nn.heuristics`) use them to make
learned distances exactly invariant; they are group data, so they live here.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidInputError
from .generator_set import GeneratorSet
from .perm import compose, cycles, inverse

__all__ = ["generator_symmetries"]


def _conjugate(pi: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``pi g pi^-1`` as one-line arrays: ``out[pi[i]] = pi[g[i]]`` (batched over ``g``)."""
    return compose(inverse(pi), compose(g, pi))


def generator_symmetries(gens: GeneratorSet, *, max_count: int = 100_000) -> np.ndarray:
    """All ``pi`` in Sym(n) that conjugate the generator set onto itself (``pi S pi^-1 = S``
    as a set), identity first; a backtracking search, not a scan of Sym(n).

    ``pi`` is an isomorphism of the arc-labelled graph ``i -> s[i]`` onto itself that may
    relabel the arcs: points are assigned in breadth-first order along the generators, so
    each new image is forced up to the choice of the conjugate generator, and candidates
    are pruned by cycle type and consistency.

    Examples
    --------
    >>> from cayley import generators
    >>> generator_symmetries(generators("lrx", 7)).tolist()
    [[0, 1, 2, 3, 4, 5, 6], [1, 0, 6, 5, 4, 3, 2]]
    >>> len(generator_symmetries(generators("all_transpositions", 4)))
    24
    >>> len(generator_symmetries(generators("pancake", 8)))
    1
    """
    perms = np.asarray(gens.perms, dtype=np.int64)
    k, n = perms.shape
    keys = {p.tobytes(): i for i, p in enumerate(perms)}
    ctype = [tuple(sorted(len(c) for c in cycles(p, include_fixed=True))) for p in perms]
    cand0 = [np.array([j for j in range(k) if ctype[j] == ctype[i]], dtype=np.int64) for i in range(k)]
    # breadth-first order of the points along the generators, with the arc reaching each
    order: list[int] = []
    parent: dict[int, tuple[int, int] | None] = {}
    for root in range(n):
        if root in parent:
            continue
        parent[root] = None
        queue = [root]
        while queue:
            a = queue.pop(0)
            order.append(a)
            for s in range(k):
                b = int(perms[s, a])
                if b not in parent:
                    parent[b] = (a, s)
                    queue.append(b)
    found: list[np.ndarray] = []
    img = np.full(n, -1, dtype=np.int64)
    used = np.zeros(n, dtype=bool)

    def consistent(cands: list[np.ndarray], a: int) -> list[np.ndarray] | None:
        # arcs i -> s[i] with both ends assigned and one of them `a`: t[img[i]] == img[s[i]]
        out = []
        for s in range(k):
            c = cands[s]
            for i in (a, int(np.flatnonzero(perms[s] == a)[0])):
                j = int(perms[s, i])
                if img[i] >= 0 and img[j] >= 0:
                    c = c[perms[c, img[i]] == img[j]]
            if not len(c):
                return None
            out.append(c)
        return out

    def extend(depth: int, cands: list[np.ndarray]) -> None:
        if len(found) > max_count:
            return
        if depth == n:
            pi = img.copy()
            conj = _conjugate(pi, perms)
            if all(c.tobytes() in keys for c in conj):
                found.append(pi)
            return
        a = order[depth]
        arc = parent[a]
        if arc is None:
            options = np.flatnonzero(~used)
        else:
            p, s = arc
            options = np.unique(perms[cands[s], img[p]])
        for v in options:
            if used[v]:
                continue
            img[a], used[v] = v, True
            nxt = consistent(cands, a)
            if nxt is not None:
                extend(depth + 1, nxt)
            img[a], used[v] = -1, False

    extend(0, cand0)
    if len(found) > max_count:
        raise InvalidInputError(f"more than {max_count} generator symmetries; pass a larger max_count")
    ident = np.arange(n, dtype=np.int64)
    found.sort(key=lambda p: (not np.array_equal(p, ident), p.tolist()))
    return np.stack(found)
