"""cayley: Cayley and Schreier graphs of permutation groups, fast.

>>> import cayley
>>> g = cayley.CayleyGraph.from_spec("S_5", "lrx")
>>> r = cayley.bfs(g)
>>> r.growth, r.diameter
((1, 3, 6, 10, 16, 24, 29, 21, 6, 3, 1), 10)

Importing cayley loads neither torch, cupy nor numba; numba is loaded on the first search.
"""

from .version import __version__  # noqa: E402

from .errors import (  # noqa: E402
    CayleyError,
    DegreeMismatchError,
    InvalidInputError,
    InvalidStateError,
    MemoryEstimateError,
    NotAPermutationError,
    ParseError,
    UnknownFamilyError,
)
from .groups import (  # noqa: E402
    GeneratorSet,
    Permutation,
    families,
    generators,
    get_family,
    parse_generators,
    parse_group,
    parse_permutation,
    parse_state,
)
from .graphs import BfsResult, CayleyGraph, Progress, bfs  # noqa: E402
from .shortcuts import diameter, growth  # noqa: E402  (also take a spec: growth("S_6", "coxeter"))

__all__ = [
    "__version__",
    "CayleyError",
    "DegreeMismatchError",
    "InvalidInputError",
    "InvalidStateError",
    "MemoryEstimateError",
    "NotAPermutationError",
    "ParseError",
    "UnknownFamilyError",
    "GeneratorSet",
    "Permutation",
    "families",
    "generators",
    "get_family",
    "parse_generators",
    "parse_group",
    "parse_permutation",
    "parse_state",
    "BfsResult",
    "CayleyGraph",
    "Progress",
    "bfs",
    "diameter",
    "growth",
]
from .errors import NoPathError  # noqa: E402
from .graphs import (  # noqa: E402
    Breakpoints,
    Hamming,
    Heuristic,
    Path,
    PatternDatabase,
    beam_search,
    find_path,
    meet_in_the_middle,
    random_walks,
    scramble,
    shortest_path,
)

__all__ += [
    "NoPathError",
    "Breakpoints",
    "Hamming",
    "Heuristic",
    "Path",
    "PatternDatabase",
    "beam_search",
    "find_path",
    "meet_in_the_middle",
    "random_walks",
    "scramble",
    "shortest_path",
]
