"""Permutation puzzles given by their moves: Kaggle Santa 2023 files and a solver.

:mod:`cayley.puzzles.kaggle` reads ``puzzle_info.csv`` and ``puzzles.csv``, writes and
replays submissions; :mod:`cayley.puzzles.solve` prepares a puzzle type (ball around the
solution, cached neural heuristic) and solves states by beam search meeting the ball.
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
from .solve import (
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
    "replay",
    "shorten",
    "solve_puzzle",
    "solve_state",
    "write_submission",
]
