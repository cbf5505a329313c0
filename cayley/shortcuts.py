"""``cayley.growth`` and ``cayley.diameter``: the graph functions of :mod:`cayley.graphs`,
also taking a group and generator spec, as the command line does.

``cayley.growth("S_6", "coxeter")`` is ``growth(CayleyGraph.from_spec("S_6", "coxeter"))``.
(Once :func:`cayley.graphs.growth` takes specs itself, this module can go.)
"""

from __future__ import annotations

from typing import Any, Optional

from . import graphs
from .errors import InvalidInputError
from .graphs import CayleyGraph
from .groups import GeneratorSet, MatrixGeneratorSet

__all__ = ["as_graph", "growth", "diameter"]


def as_graph(graph: "CayleyGraph | GeneratorSet | MatrixGeneratorSet | str | None", gens: Any = None, start: Optional[Any] = None) -> CayleyGraph:
    """A :class:`CayleyGraph` as given, or built by ``CayleyGraph.from_spec(graph, gens, start=start)``.

    >>> as_graph("S_4", "lrx", start="0011").order()
    6
    >>> g = CayleyGraph.from_spec("S_4", "lrx")
    >>> as_graph(g) is g
    True
    >>> from cayley.groups import generators
    >>> as_graph(generators("lrx", 4), start="0011").order()
    6
    """
    if isinstance(graph, (GeneratorSet, MatrixGeneratorSet)):
        if gens is not None:
            raise InvalidInputError("a GeneratorSet is the generators already: pass no gens beside it")
        return CayleyGraph(graph, start)
    if isinstance(graph, CayleyGraph):
        if gens is not None or start is not None:
            raise InvalidInputError("gens and start go with a group spec such as 'S_6', not with a CayleyGraph")
        return graph
    if gens is None:
        raise InvalidInputError(f"{graph!r} needs generators: growth({graph!r}, 'lrx'), or pass a CayleyGraph")
    return CayleyGraph.from_spec(graph, gens, start=start)


def growth(graph: "CayleyGraph | str | None", gens: Any = None, *, start: Optional[Any] = None,
           **kwargs: Any) -> tuple[int, ...]:
    """Growth function (layer sizes) of a graph, or of the graph of a group and generator spec.

    Keyword arguments go to :func:`cayley.bfs`.

    >>> growth("S_4", "coxeter")
    (1, 3, 5, 6, 5, 3, 1)
    >>> growth("S_4", "lrx", start="0011")
    (1, 2, 3)
    """
    return graphs.growth(as_graph(graph, gens, start), **kwargs)


def diameter(graph: "CayleyGraph | str | None", gens: Any = None, *, start: Optional[Any] = None,
             **kwargs: Any) -> int:
    """Eccentricity of the start state (the diameter, for a Cayley graph), of a graph or of
    the graph of a group and generator spec.

    >>> diameter("S_5", "pancake"), diameter(CayleyGraph.from_spec("S_5", "pancake"))
    (5, 5)
    """
    return graphs.diameter(as_graph(graph, gens, start), **kwargs)
