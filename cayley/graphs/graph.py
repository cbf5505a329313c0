"""The definition of a Cayley or Schreier graph: generators and a start state."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from math import factorial
from typing import TYPE_CHECKING, Any, Optional, Union

import numpy as np

from ..backends.actions import Action, MatrixAction, PermutationAction
from ..errors import InvalidStateError
from ..groups.generator_set import GeneratorSet
from ..groups.matrix import MatrixGeneratorSet, matrix_generators, orbit_size, parse_vector
from ..groups.parse import as_generator_set, parse_group, parse_state

if TYPE_CHECKING:
    from ..backends.pieces import PieceRanking
    from ..backends.ranking import MixedRadixRanking, MultisetRanking, PermutationRanking

    Ranking = Union[PermutationRanking, MultisetRanking, MixedRadixRanking, PieceRanking]

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

    Matrix generators over Z/m (:class:`~cayley.groups.matrix.MatrixGeneratorSet`) act by
    left multiplication, ``S -> A S mod m``; states are ``n x c`` matrices stored
    row-major. The default start is the identity (the Cayley graph); a start vector of
    ``n`` entries gives the Schreier graph of the action on ``(Z/m)^n``.

    >>> h = CayleyGraph.from_spec("SL(2,5)", "roots")
    >>> h.name, h.degree, h.state_length, h.order()
    ('SL(2,5) sl_fund_roots', 2, 4, 120)
    >>> CayleyGraph.from_spec("SL(2,5)", "roots", start="1,0").order()
    24
    """

    generators: GeneratorSet | MatrixGeneratorSet
    start: np.ndarray = field(default=None)  # type: ignore[arg-type]  # parsed in __post_init__

    def __post_init__(self) -> None:
        gens = self.generators
        if isinstance(gens, MatrixGeneratorSet):
            n, m = gens.degree, gens.modulus
            start = gens.identity() if self.start is None else parse_vector(self.start, n, m)
            start.setflags(write=False)
            object.__setattr__(self, "start", start)
            return
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
    def from_spec(cls, group: str | None, gens: Any, start: Any = None) -> "CayleyGraph":
        """Build from a group spec (``"S_10"``, or a matrix group ``"SL(3,5)"``), a
        generator spec and an optional start."""
        spec = parse_group(group) if group is not None else None
        if spec is not None and spec.is_matrix:
            return cls(matrix_generators(gens, spec), start)
        if isinstance(gens, MatrixGeneratorSet):
            return cls(gens, start)
        degree = spec.degree if spec is not None else None
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
    def is_matrix(self) -> bool:
        """True when the generators are matrices over Z/m."""
        return isinstance(self.generators, MatrixGeneratorSet)

    def action(self) -> Action:
        """How the generators act on states, as one object that the kernels apply and
        that answers what the engines ask of the state space (see
        :mod:`cayley.backends.actions`): a
        :class:`~cayley.backends.actions.PermutationAction` (a gather, ``s[p]``), or for
        matrix generators a :class:`~cayley.backends.actions.MatrixAction` (left
        multiplication mod m).

        >>> a = CayleyGraph.from_spec("S_3", "lrx").action()
        >>> a.perms.tolist(), a.ambient_size(np.arange(3))
        ([[1, 2, 0], [2, 0, 1], [1, 0, 2]], 6)
        >>> m = CayleyGraph.from_spec("SL(2,5)", "roots").action()
        >>> m.shape, m.rank_families
        ((4, 4), ('cpu',))
        """
        gens = self.generators
        if isinstance(gens, MatrixGeneratorSet):
            return MatrixAction(np.ascontiguousarray(gens.matrices), gens.modulus, self.state_length // gens.degree)
        return PermutationAction(np.ascontiguousarray(gens.perms))

    def ranking(self) -> Optional[Ranking]:
        """A perfect ranking of the states (the rank engine's index), or None when none
        fits in about 2**41 ranks: lexicographic ranks of the rearrangements of the start
        (permutations, or multiset permutations for strings), or for matrix groups every
        ``n x c`` matrix over Z/m as a base-m number.

        >>> CayleyGraph.from_spec("S_4", "lrx").ranking().size
        24
        >>> CayleyGraph.from_spec("S_16", "lrx").ranking() is None
        True
        """
        from ..backends.ranking import MixedRadixRanking, ranking_for  # loads numba

        if isinstance(self.generators, MatrixGeneratorSet):
            m, length = self.symbols, self.state_length
            return MixedRadixRanking(m, length) if MixedRadixRanking.fits(m, length) else None
        plain = ranking_for(self.start)
        pieces = self.piece_ranking()
        if pieces is not None and (plain is None or 4 * pieces.size < plain.size):
            return pieces
        return plain

    def piece_ranking(self) -> "Optional[PieceRanking]":
        """The ranking of the states by pieces (:class:`~cayley.backends.pieces.PieceRanking`:
        the blocks that the generators keep together, each with an orientation; signed
        permutations, puzzles' cubies), or None for matrix groups, starts that repeat a
        label, and pieces with too many arrangements. :meth:`ranking` takes it when it
        has at most a quarter of the plain ranking's ranks.

        >>> CayleyGraph.from_spec("S_12", "burnt_pancake").piece_ranking().size   # 2^6 6!
        46080
        >>> CayleyGraph.from_spec("S_24", "cube_qtm").ranking().size   # the 2x2x2: 8! 3^7, not 24!
        88179840
        """
        from ..backends.pieces import MAX_RANKS, PieceRanking
        from ..groups.blocks import piece_structure

        start = np.asarray(self.start)
        n = start.shape[0]
        if isinstance(self.generators, MatrixGeneratorSet) or n > 512 or len(np.unique(start)) != n:
            return None
        ps = piece_structure(self.generators.perms)
        if ps is None or ps.size > MAX_RANKS:
            return None
        try:
            return PieceRanking(start, [(k.blocks, k.rotational, k.alternating, k.balanced, k.follows) for k in ps.kinds])
        except ValueError:  # pieces the ranking does not cover (too many, or too wide to orient)
            return None

    @property
    def state_length(self) -> int:
        """Number of symbols in a state: the degree for permutations, ``n * c`` entries
        for matrix groups (``n * n`` for the Cayley graph, ``n`` for vectors)."""
        return len(self.start)

    @property
    def is_schreier(self) -> bool:
        """True when the start state repeats a symbol (action on strings); for a matrix
        group, when the start is not an ``n x n`` matrix (action on vectors)."""
        if self.is_matrix:
            return self.state_length != self.degree**2
        return len(np.unique(self.start)) < self.degree

    @property
    def symbols(self) -> int:
        """Number of distinct symbols a state entry can take: those of the start state,
        or the modulus m for a matrix group."""
        if isinstance(self.generators, MatrixGeneratorSet):
            return int(self.generators.modulus)
        return int(self.start.max()) + 1 if self.degree else 0

    @property
    def name(self) -> str:
        g = self.generators
        if isinstance(g, MatrixGeneratorSet):
            base = f"{g.group_label} {g.family or 'custom'}"
            if self.is_schreier:
                cols = self.state_length // self.degree
                base += f" on {'vector' if cols == 1 else 'matrix'} {self.start.tolist()}"
            return base
        base = g.family or "custom"
        extra = ",".join(f"{k}={v}" for k, v in g.params if k != "n")
        label = f"{base}({extra})" if extra else base
        s = f"S_{self.degree} {label}"
        if self.is_schreier:
            s += " on " + "".join(map(str, self.start.tolist())) if self.symbols <= 10 else " on strings"
        return s

    # -- computed facts (methods: they may run group theory or a search) -------------
    def group_order(self) -> int:
        """Order |G| of the group the generators generate, whatever the start: n! or
        n!/2 recognised directly, else Schreier–Sims (sympy); for matrix generators the
        group's formula, else an enumeration. Cached per graph.

        >>> g = CayleyGraph.from_spec("S_4", "lrx", start="0011")
        >>> g.group_order(), g.orbit_size()
        (24, 6)
        """
        return _group_order(self)

    def orbit_size(self) -> int:
        """Number of vertices: the states reachable from the start. For a Cayley graph
        (the identity as start) this is :meth:`group_order`; for a Schreier graph, the
        size of the orbit of the start state. Cached per graph.

        >>> CayleyGraph.from_spec("SL(2,5)", "roots", start="1,0").orbit_size()
        24
        """
        return _order(self)

    def order(self) -> int:
        """Number of vertices, the same as :meth:`orbit_size` (the group order for a
        Cayley graph, the orbit size for a Schreier graph). For the order of the group
        itself on a Schreier graph, use :meth:`group_order`."""
        return self.orbit_size()

    # -- value semantics ------------------------------------------------------------
    def _key(self) -> tuple[Any, bytes]:
        return (self.generators, self.start.tobytes())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CayleyGraph) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"CayleyGraph({self.generators!r}, start={self.start.tolist()})"

    def to_networkx(self, max_nodes: int = 100_000):  # type: ignore[no-untyped-def]
        """The graph as a ``networkx.MultiDiGraph``: one node per reachable state (a tuple
        of ints), one edge ``s -> s[p]`` per state and generator, keyed and labelled
        (``generator``) by the generator's name. Needs networkx (``pip install networkx``).

        Graphs with more than ``max_nodes`` vertices are refused before any work (a
        networkx node costs about a kilobyte); use :func:`cayley.bfs` for those.

        >>> import networkx as nx
        >>> g = CayleyGraph.from_spec("S_3", "lrx").to_networkx()
        >>> g.number_of_nodes(), g.number_of_edges()
        (6, 18)
        >>> sorted(nx.single_source_shortest_path_length(g, (0, 1, 2)).values())
        [0, 1, 1, 1, 2, 2]
        """
        from ..errors import InvalidInputError

        try:
            import networkx as nx
        except ImportError:
            raise InvalidInputError("to_networkx needs networkx: pip install networkx") from None
        size = self.orbit_size()
        if size > max_nodes:
            raise InvalidInputError(
                f"{self.name} has {size:,} vertices, more than max_nodes={max_nodes:,} for networkx "
                "(about 1 KB each); pass a larger max_nodes, or use cayley.bfs for the growth function"
            )
        gens = self.generators
        if isinstance(gens, MatrixGeneratorSet):
            mats = np.asarray(gens.matrices, dtype=np.int64)
            n, m = gens.degree, int(gens.modulus)

            def step(frontier: np.ndarray) -> np.ndarray:  # (k, n*c) -> (k, g, n*c): S -> A S mod m
                s = frontier.reshape(len(frontier), n, -1)
                out: np.ndarray = np.einsum("gij,kjc->kgic", mats, s) % m
                return out.reshape(len(frontier), len(mats), -1)
        else:
            perms = np.asarray(gens.perms)

            def step(frontier: np.ndarray) -> np.ndarray:  # (k, L) -> (k, g, L): s -> s[p]
                return frontier[:, perms]

        out = nx.MultiDiGraph(name=self.name)
        start = tuple(int(v) for v in np.asarray(self.start).reshape(-1))
        out.add_node(start)
        frontier = np.asarray([start], dtype=np.int64)
        while len(frontier):
            nbrs = step(frontier)
            fresh: dict[tuple[int, ...], None] = {}
            for src, row in zip(map(tuple, frontier.tolist()), nbrs.tolist()):
                for name, dst in zip(gens.names, map(tuple, row)):
                    if dst not in out and dst not in fresh:
                        fresh[dst] = None
                    out.add_edge(src, dst, key=name, generator=name)
            frontier = np.asarray(list(fresh), dtype=np.int64).reshape(len(fresh), len(start))
        return out


def _fmt(a: Any) -> str:
    s = str(np.asarray(a).tolist())
    return s if len(s) < 60 else s[:57] + "...]"


@lru_cache(maxsize=256)
def _group_order(graph: CayleyGraph) -> int:
    # S_n and A_n are recognised without Schreier-Sims (GeneratorSet.order): sympy took
    # minutes for lrx at n = 300
    return int(graph.generators.order())


@lru_cache(maxsize=256)
def _order(graph: CayleyGraph) -> int:
    gens = graph.generators
    if isinstance(gens, MatrixGeneratorSet):
        if not graph.is_schreier and gens.generated is not None:
            # an invertible start's orbit is the whole group (translate by the start)
            from ..groups.matrix import det_mod
            from math import gcd

            start = graph.start.reshape(gens.degree, gens.degree)
            if gcd(det_mod(start, gens.modulus), gens.modulus) == 1:
                return _group_order(graph)
        return orbit_size(gens, graph.start)
    order = _group_order(graph)
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

    def fixes(g: Any) -> bool:
        a = g.array_form
        return all(start[a[i]] == start[i] for i in range(n))

    try:
        stab = gens.to_sympy().subgroup_search(fixes)
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
