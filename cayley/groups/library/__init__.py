"""Named generator families: a registry of functions ``family(n, **params) -> GeneratorSet``.

Names and conventions follow the literature and CayleyPy where it has the family, so that
results and datasets interchange. Positions are 0-based and a generator ``p`` acts on a
state ``s`` by ``s[p]`` (see :mod:`cayley.groups.perm`).

The registry (:mod:`.registry`) imports no family; each kind of family lives in its own
module and registers itself when imported, and this package imports them all:
:mod:`.classic`, :mod:`.cycles`, :mod:`.prefix`, :mod:`.reversals`, :mod:`.networks`,
:mod:`.puzzles` and :mod:`.matrix`.

>>> g = generators("lrx", 4)
>>> g.names, g.perms.tolist()
(('L', 'R', 'X'), [[1, 2, 3, 0], [3, 0, 1, 2], [1, 0, 2, 3]])

Signed families (``burnt_pancake``, ``signed_reversals``) act on ``2n`` positions, as in
CayleyPy: element ``t`` is positions ``t`` and ``n + t``, its two sides.

>>> b = generators("burnt_pancake", 2)
>>> b.degree, b.names, b.perms.tolist()
(4, ('R1', 'R2'), [[2, 1, 0, 3], [3, 2, 1, 0]])
"""

from ..generator_set import MAX_GENERATOR_ENTRIES, MAX_GENERATORS
from ..perm import MAX_DEGREE
from . import classic, cycles, matrix, networks, prefix, puzzles, reversals  # noqa: F401  (they register)
from .moves import Moves, from_pairs, reversal, shift_left, shift_right, transposition
from .registry import Family, Param, attach_counts, build, families, generators, get_family, register

__all__ = [
    "Family", "Param", "Moves", "register", "attach_counts", "build", "get_family", "families", "generators",
    "transposition", "reversal", "from_pairs", "shift_left", "shift_right",
    "MAX_GENERATORS", "MAX_GENERATOR_ENTRIES", "MAX_DEGREE",
]
