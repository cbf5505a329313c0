"""One entry point that picks a path finder."""

from __future__ import annotations

from typing import Literal, Optional


from ...errors import InvalidInputError, NoPathError
from ..graph import CayleyGraph
from .common import Path, Scorer, SeedLike, StateLike, check_positive
from .beam import beam_search
from .exact import meet_in_the_middle, shortest_path
from .ida import ida_star

__all__ = ["find_path", "METHODS"]

METHODS = ("auto", "bfs", "mitm", "ida", "beam")


def find_path(
    graph: CayleyGraph,
    state: StateLike,
    *,
    target: Optional[StateLike] = None,
    method: Literal["auto", "bfs", "mitm", "ida", "beam"] = "auto",
    max_states: int = 20_000_000,
    heuristic: Optional[Scorer] = None,
    beam_width: int = 1024,
    max_steps: int = 1000,
    ball: int = 0,
    seed: SeedLike = None,
) -> Path:
    """A path from ``state`` to ``target`` (default ``graph.start``).

    ``method="auto"`` first tries :func:`meet_in_the_middle` (optimal) with at most
    ``max_states`` states, and when that is not enough runs :func:`beam_search` with
    ``heuristic`` (default: breakpoints for pancake and reversals, Hamming otherwise).
    ``"bfs"``, ``"mitm"``, ``"ida"`` and ``"beam"`` run one method; :func:`ida_star`
    uses ``heuristic`` (default: an admissible one) and ``max_states`` as its node budget.

    Parameters
    ----------
    graph : CayleyGraph
    state : str, sequence of int or ndarray
    target : same, optional
    method : {"auto", "bfs", "mitm", "ida", "beam"}
    max_states : int
        State budget of the exact searches (nodes generated, for IDA*).
    heuristic, beam_width, max_steps, ball, seed
        Passed to :func:`beam_search`.

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> g = CayleyGraph.from_spec("S_7", "pancake")
    >>> find_path(g, [3, 6, 0, 5, 2, 4, 1]).method
    'mitm'
    >>> p = find_path(g, [3, 6, 0, 5, 2, 4, 1], max_states=10)
    >>> p.method, p.is_valid()
    ('beam', True)
    """
    if method not in METHODS:
        raise InvalidInputError(f"unknown method {method!r}: expected one of {', '.join(METHODS)}")
    check_positive("max_states", max_states, allow_none=False)
    if method == "bfs":
        return shortest_path(graph, state, target=target, max_states=max_states)
    if method == "mitm":
        return meet_in_the_middle(graph, state, target=target, max_states=max_states)
    if method == "ida":
        return ida_star(graph, state, heuristic, target=target, max_nodes=max_states)
    if method != "beam":
        try:
            return meet_in_the_middle(graph, state, target=target, max_states=max_states)
        except NoPathError as exc:
            if exc.unreachable:
                raise
    return beam_search(
        graph, state, heuristic, target=target, beam_width=beam_width, max_steps=max_steps, ball=ball, seed=seed
    )
