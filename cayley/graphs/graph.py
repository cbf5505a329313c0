"""The definition of a Cayley or Schreier graph: generators and a start state."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from math import factorial

import numpy as np

from ..errors import InvalidStateError
from ..groups.generators import GeneratorSet
from ..groups.parse import as_generator_set, parse_group, parse_state

__all__ = ["CayleyGraph"]


@dataclass(frozen=True, eq=False)
class CayleyGraph:
    """Vertices are the states reachable from ``start``; an edge joins ``s`` to
    ``s[p]`` for each generator ``p``.

    With the identity as ``start`` this is the Cayley graph of the group the generators
    generate; a start state with repeated symbols makes it the Schreier graph of the
    action on such strings. The graph is a cheap, frozen, hashable value: computing on it
    is done by functions such as :func:`cayley.bfs`.

    >>> g = CayleyGraph.from_spec("S_4", "lrx")
    >>> g.degree, g.undirected, g.is_schreier, g.order()
    (4, True, False, 24)
    >>> CayleyGraph.from_spec("S_4", "lrx", start="0011").order()
    6
    """

    generators: GeneratorSet
    start: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self):
        gens = self.generators
        if not isinstance(gens, GeneratorSet):
            gens = as_generator_set(gens)
            object.__setattr__(self, "generators", gens)
        if self.start is None:
            start = np.arange(gens.degree, dtype=np.int64)
        else:
            start = parse_state(self.start) if isinstance(self.start, str) else np.asarray(self.start)
            if start.ndim != 1 or not np.issubdtype(start.dtype, np.integer):
                raise InvalidStateError(f"start state must be a flat list of symbols, got {self.start!r}")
            if len(start) != gens.degree:
                raise InvalidStateError(
                    f"start state {_fmt(start)} has length {len(start)}, but the generators have degree {gens.degree}"
                )
            # symbols as dense codes 0..k-1 in sorted order, so states pack tightly
            _, start = np.unique(start, return_inverse=True)
            start = start.astype(np.int64).reshape(-1)
        start = np.ascontiguousarray(start, dtype=np.int64)
        start.setflags(write=False)
        object.__setattr__(self, "start", start)

    @classmethod
    def from_spec(cls, group: str | None, gens, start=None) -> "CayleyGraph":
        """Build from a group spec (``"S_10"``), a generator spec and an optional start."""
        degree = parse_group(group).degree if group is not None else None
        gs = as_generator_set(gens, degree)
        if isinstance(start, str):
            start = parse_state(start, gs.degree)
        return cls(gs, start)

    # -- properties -----------------------------------------------------------------
    @property
    def degree(self) -> int:
        return self.generators.degree

    @property
    def undirected(self) -> bool:
        """True when the generators are closed under inverses."""
        return self.generators.inverse_closed

    @property
    def is_schreier(self) -> bool:
        """True when the start state repeats a symbol (action on strings)."""
        return len(np.unique(self.start)) < self.degree

    @property
    def symbols(self) -> int:
        """Number of distinct symbols in the start state."""
        return int(self.start.max()) + 1 if self.degree else 0

    @property
    def name(self) -> str:
        g = self.generators
        base = g.family or "custom"
        extra = ",".join(f"{k}={v}" for k, v in g.params if k != "n")
        label = f"{base}({extra})" if extra else base
        s = f"S_{self.degree} {label}"
        if self.is_schreier:
            s += " on " + "".join(map(str, self.start.tolist())) if self.symbols <= 10 else " on strings"
        return s

    def order(self) -> int:
        """Number of vertices: the group order (Schreier–Sims, sympy), or for a Schreier
        graph the size of the orbit of the start state."""
        return _order(self)

    # -- value semantics ------------------------------------------------------------
    def _key(self):
        return (self.generators, self.start.tobytes())

    def __eq__(self, other) -> bool:
        return isinstance(other, CayleyGraph) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"CayleyGraph({self.generators!r}, start={self.start.tolist()})"


def _fmt(a) -> str:
    s = str(np.asarray(a).tolist())
    return s if len(s) < 60 else s[:57] + "...]"


@lru_cache(maxsize=256)
def _order(graph: CayleyGraph) -> int:
    group = graph.generators.to_sympy()
    order = int(group.order())
    if not graph.is_schreier:
        return order
    n = graph.degree
    counts = np.bincount(graph.start)
    multinomial = factorial(n)
    for c in counts:
        multinomial //= factorial(int(c))
    if order == factorial(n):
        return multinomial
    if 2 * order == factorial(n):  # the alternating group, the only index-2 subgroup
        return multinomial if counts.max() > 1 else multinomial // 2
    if order == 1:
        return 1
    # general case: |orbit| = |G| / |stabiliser of the colouring|
    start = graph.start.tolist()

    def fixes(g) -> bool:
        a = g.array_form
        return all(start[a[i]] == start[i] for i in range(n))

    try:
        stab = group.subgroup_search(fixes)
        return order // int(stab.order())
    except Exception:  # sympy's search fails on some small groups: count the orbit directly
        if multinomial > 5_000_000:
            raise
        return _orbit_size_by_search(graph)


def _orbit_size_by_search(graph: CayleyGraph) -> int:
    perms = graph.generators.perms.tolist()
    seen = {tuple(graph.start.tolist())}
    todo = list(seen)
    while todo:
        s = todo.pop()
        for p in perms:
            t = tuple(s[i] for i in p)
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return len(seen)
