"""Errors raised by :mod:`cayley.symmetry` (all derive from :class:`cayley.CayleyError`)."""

from __future__ import annotations

from ..errors import CayleyError, InvalidInputError

__all__ = ["RepresentationError", "SolverError", "EquivarianceError"]


class RepresentationError(InvalidInputError):
    """Representations that do not fit together (different groups, wrong sizes, ...)."""


class SolverError(CayleyError, ArithmeticError):
    """The equivariant-basis solver could not separate the nullspace from the rest."""


class EquivarianceError(CayleyError, AssertionError):
    """Raised by :func:`cayley.symmetry.assert_equivariant` when the error exceeds ``atol``."""
