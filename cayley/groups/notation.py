"""Permutation notation: one-line lists, 0-based cycles and GAP's 1-based cycles, and the
lexical pieces the spec grammars share (names, splitting at the top level, bounded numbers).

In cycle notation ``(a b c)`` maps a -> b -> c -> a, and the one-line array ``p``
satisfies ``p[a] = b``; cycles written side by side are applied left to right (GAP's and
sympy's convention).

>>> parse_permutation("(1,2)(2,3)", 3).tolist()
[2, 0, 1]
>>> split_top("A=[1,0];B=(0 1)", ";")
['A=[1,0]', 'B=(0 1)']
"""

from __future__ import annotations

import re

import numpy as np

from ..errors import DegreeMismatchError, ParseError
from .perm import MAX_DEGREE, check_degree, check_permutation

#: A generator name: a letter or underscore, then letters, digits and _ ' - ^.
NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_'\-^]*"
# any other name, double-quoted, with \" and \\ escaped: "(0,1)"=[1,0,2]
QUOTED_PATTERN = r'"((?:[^"\\]|\\.)*)"'
CYCLE_RE = re.compile(r"\(([^()]*)\)")
CYCLE_FORMS = "expected cycles like (0 1)(2 3) (0-based) or (1,2)(3,4) (GAP, 1-based)"


def bounded_int(digits: str) -> int:
    """``int(digits)``, or ``10**20`` for a longer number (int() of thousands of digits is
    slow, and refused by Python beyond 4300): either way beyond any degree."""
    return int(digits) if len(digits.lstrip("0")) < 20 else 10**20


def clip(text: str, limit: int = 80) -> str:
    """``repr`` of ``text``, shortened for an error message (specs may be long)."""
    return repr(text) if len(text) <= limit else repr(text[: limit - 3]) + "..."


def parse_one_line(text: str) -> np.ndarray:
    body = text.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise ParseError(f"malformed one-line permutation {text!r}: expected a list like [1,0,2]")
    inner = body[1:-1].strip()
    if not inner:
        return np.zeros(0, dtype=np.int64)
    items = [x for x in re.split(r"[,\s]+", inner) if x != ""]
    if len(items) > MAX_DEGREE:
        check_degree(len(items), f"one-line permutation {clip(text)}", error=ParseError)
    try:
        values = [int(x) for x in items]
    except ValueError:
        raise ParseError(f"malformed one-line permutation {clip(text)}: entries must be integers") from None
    return check_permutation(values)


def parse_cycles(text: str, degree: int | None, gap: bool | None = None) -> np.ndarray:
    """Cycle notation; ``gap=None`` tells GAP (commas, 1-based) from 0-based (spaces)."""
    body = text.strip()
    if body == "()":
        if degree is None:
            raise ParseError("the identity '()' needs a degree: give the group, e.g. S_5")
        return np.arange(degree, dtype=np.int64)
    if CYCLE_RE.sub("", body).strip():
        raise ParseError(f"malformed cycle notation {text!r}: {CYCLE_FORMS}")
    cyc_bodies = CYCLE_RE.findall(body)
    if gap is None:
        gap = any("," in c for c in cyc_bodies)
    spaced = any(re.search(r"\d\s+\d", c) for c in cyc_bodies)
    if gap and spaced:
        raise ParseError(
            f"malformed cycle notation {text!r}: mixes GAP commas and 0-based spaces; {CYCLE_FORMS}"
        )
    cycs = []
    for c in cyc_bodies:
        items = [x for x in re.split(r"[,\s]+", c.strip()) if x != ""]
        if not items:
            raise ParseError(f"malformed cycle notation {text!r}: empty cycle; {CYCLE_FORMS}")
        try:
            pts = [int(x) for x in items]
        except ValueError:
            raise ParseError(
                f"malformed cycle notation {text!r}: points must be integers; {CYCLE_FORMS}"
            ) from None
        if gap:
            pts = [x - 1 for x in pts]
        if any(x < 0 for x in pts):
            base = "1-based in GAP notation" if gap else "0-based"
            raise ParseError(f"malformed cycle notation {text!r}: points are {base}; {CYCLE_FORMS}")
        if len(set(pts)) != len(pts):
            raise ParseError(
                f"malformed cycle notation {text!r}: a point repeats inside a cycle; {CYCLE_FORMS}"
            )
        cycs.append(pts)
    # cycles in one generator may overlap: multiply them left to right as written
    # (GAP and sympy convention: (1,2)(2,3) means first (1,2) then (2,3) on points).
    top = max(x for c in cycs for x in c) + 1
    n = degree if degree is not None else top
    if top > n:
        raise DegreeMismatchError(
            f"cycle notation {clip(text)} moves point {top - 1 + (1 if gap else 0)}, beyond degree {n}"
        )
    check_degree(n, f"cycle notation {clip(text)}", error=ParseError)  # before allocating n entries
    perm = np.arange(n, dtype=np.int64)  # image map i -> perm[i]
    where = np.arange(n, dtype=np.int64)  # its inverse: the point whose image is i
    for c in cycs:
        # first perm, then this cycle, on images: the points whose images lie on the cycle
        # move on along it (linear in the cycle's length, not in n)
        c = np.asarray(c, dtype=np.int64)
        nxt = np.roll(c, -1)
        src = where[c]
        perm[src] = nxt
        where[nxt] = src
    return perm


def parse_permutation(text: str, degree: int | None = None) -> np.ndarray:
    """Parse one permutation in one-line, 0-based cycle or GAP notation.

    In cycle notation ``(a b c)`` maps a -> b -> c -> a, and the one-line array ``p``
    satisfies ``p[a] = b``.

    >>> parse_permutation("(0 1 2)", 4).tolist()
    [1, 2, 0, 3]
    >>> parse_permutation("(1,2,3)", 4).tolist()
    [1, 2, 0, 3]
    """
    body = text.strip()
    if not body:
        raise ParseError(f"empty permutation spec {text!r}: expected [1,0,2], (0 1) or (1,2)")
    if body.startswith("["):
        p = parse_one_line(body)
        if degree is not None and len(p) != degree:
            raise DegreeMismatchError(
                f"permutation {body} has degree {len(p)}, but the group has degree {degree}"
            )
        return p
    if body.startswith("("):
        return parse_cycles(body, degree)
    raise ParseError(
        f"cannot parse permutation {text!r}: expected [1,0,2] (one-line), (0 1) (0-based cycles) "
        "or (1,2) (GAP cycles)"
    )


def split_top(spec: str, sep: str) -> list[str]:
    """Split on ``sep`` outside brackets, parentheses and double-quoted names."""
    parts, depth, cur, quoted, escaped = [], 0, [], False, False
    for ch in spec:
        if quoted:
            quoted = escaped or ch != '"'
            escaped = not escaped and ch == "\\"
            cur.append(ch)
            continue
        if ch == '"':
            quoted = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]
