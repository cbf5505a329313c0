"""Path finding in Cayley and Schreier graphs.

Exact: :func:`shortest_path` (breadth-first search) and :func:`meet_in_the_middle`
(bidirectional, about twice the reach) and :func:`ida_star` (exact with an admissible
heuristic, little memory). Heuristic: :func:`beam_search` with any
:class:`~cayley.graphs.heuristics.Heuristic`. :func:`find_path` picks one.
:func:`random_walks` makes training data for heuristics and :func:`scramble` a random
state. Every path returned is a :class:`Path` checked by replaying its moves.

Convention: a generator ``p`` acts on a state ``s`` by ``s[p]``; a path's moves act on
its source in turn and give its target.
"""

from .common import Path, SeedLike, apply_path, as_state, check_positive, check_rearrangement, written_symbols
from .auto import find_path
from .beam import Ball, CpuBeamOps, TorchBeamOps, beam_search, run_beam
from .exact import meet_in_the_middle, shortest_path
from .ida import ida_star, is_admissible
from .walks import TRAINING_WALK_MODES, WALK_MODES, Walks, check_walk_mode, commuting_generators, random_walks, scramble

__all__ = [
    "Path",
    "SeedLike",
    "apply_path",
    "as_state",
    "check_positive",
    "check_rearrangement",
    "written_symbols",
    "find_path",
    "beam_search",
    "Ball",
    "CpuBeamOps",
    "TorchBeamOps",
    "run_beam",
    "meet_in_the_middle",
    "ida_star",
    "is_admissible",
    "shortest_path",
    "TRAINING_WALK_MODES",
    "WALK_MODES",
    "Walks",
    "check_walk_mode",
    "commuting_generators",
    "random_walks",
    "scramble",
]
