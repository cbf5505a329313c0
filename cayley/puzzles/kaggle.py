"""Kaggle Santa 2023 file layouts, for the puzzle solver: the readers and writers live in
:mod:`cayley.datasets.santa` (so that ``cayley dataset verify`` checks Santa submissions
without importing the solver); this module keeps their names under ``cayley.puzzles``.

>>> from cayley.puzzles.kaggle import PuzzleType
>>> PuzzleType.from_moves("cyc3", {"r": [1, 2, 0]}).generators.names
('r', '-r')
"""

from ..datasets.santa import (
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

__all__ = [
    "LIMITS",
    "Puzzle",
    "PuzzleFileError",
    "PuzzleType",
    "check_submission",
    "read_puzzle_info",
    "read_puzzles",
    "read_submission",
    "replay",
    "write_submission",
]
