"""Naive reference implementations that share no code with cayley's engines.

Only for small graphs: every state is a Python tuple and every edge a networkx edge.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

import networkx as nx

# refuse explicit graphs larger than this many edges: the oracle is for small cases only
MAX_EDGES = 3_000_000


def explicit_graph(generators: Iterable[Sequence[int]], start: Sequence[int]) -> nx.DiGraph:
    """The explicit graph on the states reachable from ``start``.

    Generators are one-line permutations; a generator ``p`` sends the state ``s`` to
    ``s'`` with ``s'[i] = s[p[i]]``, and the graph has the edge ``s -> s'``. States are
    discovered by a plain worklist (no distances), so networkx alone computes distances.
    """
    gens = [tuple(int(x) for x in p) for p in generators]
    start = tuple(int(x) for x in start)
    if any(len(p) != len(start) for p in gens):
        raise ValueError("generators and start state have different lengths")
    graph = nx.DiGraph()
    graph.add_node(start)
    todo = [start]
    seen = {start}
    expanded = 0
    while todo:
        s = todo.pop()
        for p in gens:
            t = tuple(s[i] for i in p)
            graph.add_edge(s, t)
            if t not in seen:
                seen.add(t)
                todo.append(t)
        expanded += 1
        if expanded * len(gens) > MAX_EDGES:
            raise ValueError(f"oracle graph exceeds {MAX_EDGES} edges; use it on small cases only")
    return graph


def oracle_growth(generators: Iterable[Sequence[int]], start: Sequence[int] | None = None) -> list[int]:
    """Growth function (layer sizes from ``start``) by networkx BFS on the explicit graph.

    ``start`` defaults to the identity of the generators' degree.

    >>> oracle_growth([[1, 2, 0], [1, 0, 2]])  # L and X on S_3, directed: no inverse of L
    [1, 2, 3]
    >>> oracle_growth([[1, 2, 0], [2, 0, 1], [1, 0, 2]])  # L, R and X
    [1, 3, 2]
    >>> oracle_growth([[1, 2, 3, 0], [3, 0, 1, 2]], start=[0, 0, 1, 1])
    [1, 2, 1]
    """
    gens = [list(p) for p in generators]
    if start is None:
        start = list(range(len(gens[0])))
    graph = explicit_graph(gens, start)
    dist = nx.single_source_shortest_path_length(graph, tuple(int(x) for x in start))
    counts = Counter(dist.values())
    return [counts[d] for d in range(max(counts) + 1)]


def matrix_oracle_growth(
    matrices: Iterable[Sequence[Sequence[int]]], modulus: int, start: Sequence[int] | None = None
) -> list[int]:
    """Growth function of a matrix group's Cayley (or Schreier) graph, by networkx BFS on
    the explicit graph. States are tuples of Python ints: an ``n x c`` matrix row-major
    (default: the identity), acted on by ``S -> A S mod m`` with schoolbook products.

    >>> matrix_oracle_growth([[[1, 1], [0, 1]], [[1, 4], [0, 1]]], 5)  # a cyclic group of order 5
    [1, 2, 2]
    >>> matrix_oracle_growth([[[0, 1], [1, 0]]], 3, start=[1, 2])  # a vector, swapped
    [1, 1]
    """
    mats = [[[int(x) % modulus for x in row] for row in a] for a in matrices]
    n = len(mats[0])
    if start is None:
        start = [int(i == j) for i in range(n) for j in range(n)]
    start = tuple(int(x) % modulus for x in start)
    cols = len(start) // n

    def act(a, s):
        return tuple(
            sum(a[i][k] * s[k * cols + c] for k in range(n)) % modulus for i in range(n) for c in range(cols)
        )

    graph = nx.DiGraph()
    graph.add_node(start)
    todo, seen = [start], {start}
    while todo:
        s = todo.pop()
        for a in mats:
            t = act(a, s)
            graph.add_edge(s, t)
            if t not in seen:
                seen.add(t)
                todo.append(t)
        if graph.number_of_edges() > MAX_EDGES:
            raise ValueError(f"oracle graph exceeds {MAX_EDGES} edges; use it on small cases only")
    dist = nx.single_source_shortest_path_length(graph, start)
    counts = Counter(dist.values())
    return [counts[d] for d in range(max(counts) + 1)]
