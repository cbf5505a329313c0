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
from .graphs import *  # noqa: E402, F403  (everything in cayley.graphs.__all__)
from .shortcuts import diameter, growth  # noqa: E402  (after graphs': these also take a spec, growth("S_6", "coxeter"))

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
    "diameter",
    "growth",
]
from .errors import NoPathError  # noqa: E402
from . import graphs  # noqa: E402

# the rest of the graphs API (path finding, heuristics, search plans), as cayley.graphs
# lists it: one list of names, there
__all__ += ["NoPathError"] + [name for name in graphs.__all__ if name not in __all__]
