"""Permutation puzzles given by their moves: Kaggle Santa 2023 files and a solver.

:mod:`cayley.puzzles.kaggle` reads ``puzzle_info.csv`` and ``puzzles.csv``, writes and
replays submissions (the readers live in :mod:`cayley.datasets.santa`);
:mod:`cayley.puzzles.preparation` prepares a puzzle type (ball around the solution, cached
neural heuristic, orbit pattern databases) and :mod:`cayley.puzzles.solve` solves states
by beam search meeting the ball; :mod:`cayley.puzzles.bounds` gives admissible lower bounds from the moves alone.
No puzzle is a special case: everything is derived from the moves.

Importing this package loads neither torch nor numba.
"""

from . import kaggle
from .kaggle import *  # noqa: F403  (the Santa file layout, as kaggle.__all__ lists it)
from .bounds import BallBound, OrbitBound, position_orbits, restrict_moves
from .preparation import Prepared, cache_dir, prepare
from .solve import Solution, shorten, solve_puzzle, solve_state

__all__ = [
    *kaggle.__all__,
    "BallBound",
    "OrbitBound",
    "Prepared",
    "Solution",
    "cache_dir",
    "prepare",
    "position_orbits",
    "restrict_moves",
    "shorten",
    "solve_puzzle",
    "solve_state",
]
