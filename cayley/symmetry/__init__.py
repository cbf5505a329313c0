"""Symmetry: representations of groups given by generators, equivariant bases and models.

The group code is cayley's own: :class:`PermutationGroup` wraps the
:class:`cayley.groups.GeneratorSet` the graph code uses, and no list of group elements is
needed where generators suffice. Everything importable from here without torch is
numpy-only; the torch layers and symmetrisers (``EquivariantLinear``, ``EMLP``,
``GroupAverage``, ``FrameAverage``, ``Canonicalize``, ...) load torch on first access.

>>> from cayley.symmetry import S, T, equivariant_basis
>>> [equivariant_basis(T(k, 0, S(5)), T(l, 0, S(5))).dim for k, l in [(1, 1), (1, 2), (2, 2)]]
[2, 5, 15]
"""

from __future__ import annotations

import importlib

from .basis import (
    BlockBasis,
    EquivariantBasis,
    cache_info,
    clear_cache,
    equivariant_basis,
    invariant_basis,
    orbit_labels,
)
from .errors import EquivarianceError, RepresentationError, SolverError
from .groups import A, D, Group, MatrixGroup, O, PermutationGroup, ProductGroup, RubiksCube, S, SO, Z, expm
from .reps import (
    DirectSum,
    Dual,
    Factor,
    Hom,
    LazyOperator,
    Regular,
    Rep,
    Scalar,
    Sign,
    T,
    TensorProduct,
    Trivial,
    V,
)
from .testing import assert_equivariant, equivariance_error

# name -> submodule, imported (with torch) on first attribute access
_LAZY = {
    "EquivariantLinear": "layers",
    "EquivariantBilinear": "layers",
    "GatedNonlinearity": "layers",
    "EMLPBlock": "layers",
    "EMLP": "layers",
    "MLP": "layers",
    "gated": "layers",
    "uniform_rep": "layers",
    "GroupAverage": "symmetrize",
    "FrameAverage": "symmetrize",
    "Canonicalize": "symmetrize",
    "sort_frame": "symmetrize",
    "pca_frame": "symmetrize",
    "SortCanonicalizer": "symmetrize",
    "LearnedPermutationCanonicalizer": "symmetrize",
    "LearnedOrthogonalCanonicalizer": "symmetrize",
    "soft_equivariance_loss": "regularizers",
}

__all__ = [
    "A", "D", "Group", "MatrixGroup", "O", "PermutationGroup", "ProductGroup", "RubiksCube", "S", "SO", "Z", "expm",
    "DirectSum", "Dual", "Factor", "Hom", "LazyOperator", "Regular", "Rep", "Scalar", "Sign", "T",
    "TensorProduct", "Trivial", "V",
    "BlockBasis", "EquivariantBasis", "cache_info", "clear_cache", "equivariant_basis",
    "invariant_basis", "orbit_labels",
    "EquivarianceError", "RepresentationError", "SolverError",
    "assert_equivariant", "equivariance_error",
]  # fmt: skip
# the torch names (``_LAZY``) stay out of __all__, so ``from cayley.symmetry import *``
# never imports torch; import them by name.


def __getattr__(name: str):
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'cayley.symmetry' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
