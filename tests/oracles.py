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
