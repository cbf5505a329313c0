"""Permutation groups given by generators (depends on numpy only; sympy lazily)."""

from .automorphisms import colouring_symmetries, generator_symmetries
from .gap_format import write_gap
from .generator_set import GeneratorSet
from .library import Family, families, generators, get_family, register
from .modular import MatrixGeneratorSet
from .parse import (
    GroupSpec,
    as_generator_set,
    format_generators,
    parse_generators,
    parse_group,
    parse_permutation,
    parse_state,
)
from .perm import (
    act,
    check_permutation,
    compose,
    cycles,
    element_order,
    from_cycles,
    identity,
    inverse,
    is_permutation,
    parity,
)
from .permutation import Permutation

__all__ = [
    "GeneratorSet",
    "MatrixGeneratorSet",
    "colouring_symmetries",
    "generator_symmetries",
    "Family",
    "families",
    "generators",
    "get_family",
    "register",
    "GroupSpec",
    "as_generator_set",
    "format_generators",
    "parse_generators",
    "parse_group",
    "parse_permutation",
    "parse_state",
    "write_gap",
    "Permutation",
    "act",
    "check_permutation",
    "compose",
    "cycles",
    "element_order",
    "from_cycles",
    "identity",
    "inverse",
    "is_permutation",
    "parity",
]
