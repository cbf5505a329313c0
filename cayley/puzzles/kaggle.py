"""Kaggle Santa 2023 file layouts, for the puzzle solver.

The readers and writers live in one place, :mod:`cayley.datasets.santa` (so that
``cayley dataset verify`` checks Santa submissions without importing the solver); this
module is that module's public API under ``cayley.puzzles``, name for name: whatever
``cayley.datasets.santa.__all__`` lists.

>>> from cayley.puzzles.kaggle import PuzzleType
>>> PuzzleType.from_moves("cyc3", {"r": [1, 2, 0]}).generators.names
('r', '-r')
>>> from cayley.datasets import santa
>>> all(globals()[name] is getattr(santa, name) for name in santa.__all__)
True
"""

from ..datasets import santa
from ..datasets.santa import *  # noqa: F403  (re-exported whole: the names are santa.__all__)

__all__ = list(santa.__all__)
