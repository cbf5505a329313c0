"""Reference growth functions shipped with cayley, for tests and cross-checks.

The tables under ``cayley/data/reference/`` are exact growth functions (BFS layer sizes
from the start state) computed independently of cayley by the CayleyPy library (MIT
licence); ``README.md`` there describes each file. A file is a headerless CSV of rows
``key,"[l0, l1, ...]"``; the key is the degree n, or the start string for
``lrx_coset``, the modulus m for ``sl_2_fund_roots`` and the puzzle name for ``puzzles``.
Some puzzle rows are partial (their sum is below the group order).

>>> lrx = load_reference("lrx")
>>> lrx["5"]
(1, 3, 6, 10, 16, 24, 29, 21, 6, 3, 1)
>>> load_reference("lrx_coset")["0011"]
(1, 2, 3)
>>> "pancake" in reference_names()
True
"""

from __future__ import annotations

import csv
import difflib
import io
from functools import lru_cache
from importlib import resources

from .errors import InvalidInputError

__all__ = ["load_reference", "reference_names"]

_PACKAGE = "cayley"
_FOLDER = ("data", "reference")


def _folder():
    node = resources.files(_PACKAGE)
    for part in _FOLDER:
        node = node / part
    return node


@lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    return tuple(sorted(f.name[: -len(".csv")] for f in _folder().iterdir() if f.name.endswith(".csv")))


def reference_names() -> list[str]:
    """Names of the reference tables shipped with cayley (file names without ``.csv``).

    >>> reference_names()[:3]
    ['all_cycles', 'all_transpositions', 'coxeter']
    """
    return list(_names())


@lru_cache(maxsize=None)
def _load(name: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    text = (_folder() / f"{name}.csv").read_text(encoding="utf-8")
    rows = []
    for lineno, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row:
            continue
        if len(row) != 2:
            raise InvalidInputError(f"reference {name}.csv line {lineno}: expected key,\"[...]\", got {row!r}")
        key, body = row[0].strip(), row[1].strip()
        if not (body.startswith("[") and body.endswith("]")):
            raise InvalidInputError(f"reference {name}.csv line {lineno}: growth {body!r} is not a list")
        growth = tuple(int(x) for x in body[1:-1].split(",") if x.strip())
        rows.append((key, growth))
    return tuple(rows)


def load_reference(name: str) -> dict[str, tuple[int, ...]]:
    """The reference table ``name`` as ``{key: growth}``, in file order.

    Keys are strings as written in the file (``"5"``, ``"0011"``, ``"cube_222_htm"``);
    each growth is a tuple of layer sizes starting with 1. The result is a fresh dict.

    >>> load_reference("coxeter")["4"]
    (1, 3, 5, 6, 5, 3, 1)
    >>> load_reference("pancakes")
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: no reference table 'pancakes'; did you mean pancake?
    """
    key = str(name).strip()
    if key.endswith(".csv"):
        key = key[: -len(".csv")]
    if key not in _names():
        close = difflib.get_close_matches(key, _names(), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; available: {', '.join(_names())}"
        raise InvalidInputError(f"no reference table {name!r}{hint}")
    return dict(_load(key))
