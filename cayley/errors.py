"""Exception hierarchy.

Every error raised on purpose by cayley derives from :class:`CayleyError`. Errors caused
by bad input also derive from :class:`ValueError`, so callers that already catch
``ValueError`` keep working. Messages quote the bad value and the expected form.
"""

from __future__ import annotations

__all__ = [
    "CayleyError",
    "InvalidInputError",
    "NotAPermutationError",
    "DegreeMismatchError",
    "UnknownFamilyError",
    "ParseError",
    "InvalidStateError",
    "MemoryEstimateError",
    "NoPathError",
]


class CayleyError(Exception):
    """Root of every error cayley raises on purpose."""


class InvalidInputError(CayleyError, ValueError):
    """Input that does not have the expected form."""


class NotAPermutationError(InvalidInputError):
    """An array that should be a permutation of 0..n-1 is not one."""


class DegreeMismatchError(InvalidInputError):
    """Permutations or states whose degrees disagree."""


class UnknownFamilyError(InvalidInputError):
    """A generator family name that is not registered."""


class ParseError(InvalidInputError):
    """A generator, group or state spec that cannot be parsed."""


class InvalidStateError(InvalidInputError):
    """A start state that does not fit the generators."""


class MemoryEstimateError(CayleyError, MemoryError):
    """A run refused before it starts because its estimated memory exceeds the limit."""

    def __init__(self, message: str, *, estimate_bytes: int, limit_bytes: int):
        super().__init__(message)
        self.estimate_bytes = estimate_bytes
        self.limit_bytes = limit_bytes


class NoPathError(CayleyError):
    """No path was found within the search's limits (depth, states, beam steps), or the
    target is not reachable at all.

    ``lower_bound`` is a proven lower bound on the distance when the search establishes
    one (an exact search stopped by a limit), else None; ``unreachable`` is True when an
    exact search exhausted the graph without meeting the target (no path exists).
    """

    def __init__(self, message: str, *, lower_bound: int | None = None, unreachable: bool = False):
        super().__init__(message)
        self.lower_bound = lower_bound
        self.unreachable = unreachable
