"""Permutation puzzles given by their moves: Kaggle Santa 2023 files and a solver.

:mod:`cayley.puzzles.kaggle` reads ``puzzle_info.csv`` and ``puzzles.csv``, writes and
replays submissions (the readers live in :mod:`cayley.datasets.santa`);
:mod:`cayley.puzzles.solve` prepares a puzzle type (ball around the solution, cached
neural heuristic, orbit pattern databases) and solves states by beam search meeting the
ball; :mod:`cayley.puzzles.bounds` gives admissible lower bounds from the moves alone.
No puzzle is a special case: everything is derived from the moves.

Importing this package loads neither torch nor numba.
"""

from .kaggle import (
    LIMITS,
    Puzzle,
    PuzzleFileError,
    PuzzleType,
    check_submission,
    read_puzzle_info,
    read_puzzles,
    read_submission,
    replay,
    write_submission,
)
from .bounds import OrbitBound, position_orbits, restrict_moves
from .solve import (
    BallBound,
    Prepared,
    Solution,
    cache_dir,
    prepare,
    shorten,
    solve_puzzle,
    solve_state,
)

__all__ = [
    "LIMITS",
    "BallBound",
    "OrbitBound",
    "Prepared",
    "Puzzle",
    "PuzzleFileError",
    "PuzzleType",
    "Solution",
    "cache_dir",
    "check_submission",
    "prepare",
    "read_puzzle_info",
    "read_puzzles",
    "read_submission",
    "position_orbits",
    "replay",
    "restrict_moves",
    "shorten",
    "solve_puzzle",
    "solve_state",
    "write_submission",
]
