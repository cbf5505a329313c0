"""Puzzle definitions in GAP format: read and write (numpy only).

The format is the one GAP programs and Rokicki's PuzzleGeometry use for twisty puzzles::

    # comments run to the end of a line
    M_F := (1,14,16,11)(2,15,17,12);      # a move: GAP's 1-based cycles
    M_U := (1,10,7,4)(2,11,8,5);
    Gen := [M_F, M_U];                    # optional: which moves, in which order
    ip := [[1,2],[3]];                    # optional: identical pieces (a start colouring)

Every ``M_name := ...;`` statement defines a move called ``name``; a statement may span
lines and ends at ``;``. Cycles within one move may overlap and are multiplied left to
right, as in GAP. ``Gen`` picks the generators (default: every move, in file order).
``ip`` lists groups of positions that hold identical pieces; positions not listed are
distinct. The degree is the largest point moved, unless given.

A cycle ``(a,b,c)`` maps a to b to c to a, and the one-line array ``p`` has
``p[a-1] = b-1``: the same reading as :func:`cayley.groups.parse_permutation`.

>>> text = "M_A := (1,2,3);\\nM_B := (1,2);\\nGen := [M_B, M_A];"
>>> d = read_gap(text)
>>> d.generators.names, d.generators.perms.tolist(), d.start
(('B', 'A'), [[1, 0, 2], [1, 2, 0]], None)
>>> read_gap(write_gap(d.generators)).generators == d.generators
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
from numpy.typing import ArrayLike

from ..errors import DegreeMismatchError, ParseError
from .generator_set import (
    MAX_GENERATOR_ENTRIES,
    MAX_GENERATORS,
    GeneratorSet,
    check_generator_count,
)
from .notation import CYCLE_FORMS, bounded_int, clip, parse_cycles
from .perm import check_degree
from .permutation import Permutation

#: Largest GAP file :func:`load_gap` reads (puzzle definitions are kilobytes).
MAX_GAP_FILE_BYTES = 64 * 2**20

__all__ = ["GapDefinition", "read_gap", "load_gap", "write_gap", "save_gap"]


@dataclass(frozen=True, eq=False)
class GapDefinition:
    """A parsed GAP puzzle file: its generators and, if it has ``ip``, a start colouring."""

    generators: GeneratorSet
    start: np.ndarray | None = None


_STATEMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:=\s*(.*)$", re.S)


def _statements(text: str) -> Iterator[tuple[int, str]]:
    """(line number, statement) pairs: comments removed, split at ``;``.

    Linear in the text: each line is split once (splitting off one statement at a time
    copied the rest of the line each time, quadratic for a line of many ``;``).
    """
    buf, start = [], None
    for lineno, line in enumerate(text.splitlines(), start=1):
        pieces = line.split("#", 1)[0].split(";")
        for head in pieces[:-1]:
            buf.append(head)
            stmt = " ".join(buf).strip()
            if stmt:
                yield (start or lineno), stmt
            buf, start = [], None
        rest = pieces[-1]
        if rest.strip():
            buf.append(rest)
            start = start or lineno
    if " ".join(buf).strip():
        raise ParseError(f"GAP text ends inside a statement starting at line {start}: missing ';'")


def _identical_pieces(value: str, lineno: int, degree: int) -> np.ndarray:
    body = re.sub(r"\s+", "", value)
    if not re.fullmatch(r"\[(\[\d+(,\d+)*\](,\[\d+(,\d+)*\])*)?\]", body):
        raise ParseError(f"line {lineno}: malformed ip := {value!r}: expected a list of lists like [[1,2],[3]]")
    groups = [[int(x) - 1 for x in g.split(",")] for g in re.findall(r"\[([\d,]+)\]", body[1:-1])]
    colour = np.full(degree, -1, dtype=np.int64)
    for g in groups:
        for x in g:
            if not 0 <= x < degree:
                raise DegreeMismatchError(f"line {lineno}: ip names point {x + 1}, beyond degree {degree}")
            if colour[x] >= 0:
                raise ParseError(f"line {lineno}: ip lists point {x + 1} twice")
            colour[x] = 1
    # colours in order of first position, as in PuzzleGeometry's reading of ip
    group_of = {x: gi for gi, g in enumerate(groups) for x in g}
    out, seen, nxt = np.empty(degree, dtype=np.int64), {}, 0
    for i in range(degree):
        key = ("g", group_of[i]) if i in group_of else ("p", i)
        if key not in seen:
            seen[key] = nxt
            nxt += 1
        out[i] = seen[key]
    return out


_HEADER_DEGREE = re.compile(r"^#\s*cayley generator set .*\(degree (\d+),", re.MULTILINE)
# a move: GAP cycles of positive integers, or the identity ()
_MOVE_BODY = re.compile(r"\s*(?:\(\s*\)|(?:\(\s*\d+(?:\s*,\s*\d+)*\s*\)\s*)+)\s*")
_MISSPELT = re.compile(r"\s*(M_[A-Za-z0-9_]*|Gen|ip)\s*(?:=|:[^=])")


def _check_move(name: str, lineno: int, value: str) -> None:
    """Every ``M_name := ...`` must be GAP cycles, whether or not ``Gen`` uses it."""
    if _MOVE_BODY.fullmatch(value):
        return
    detail = f"malformed cycle notation {clip(value)}: {CYCLE_FORMS}"
    if len(value) <= 1000 and "(" in value:
        try:  # its message says what is wrong (a point that is not an integer, ...)
            parse_cycles(value, None, gap=True)
        except (ParseError, DegreeMismatchError) as exc:
            detail = str(exc)
    raise ParseError(f"move {name!r} (line {lineno}): {detail}")


def read_gap(text: str, *, degree: int | None = None) -> GapDefinition:
    """Parse GAP puzzle text (see the module docstring).

    Errors name the offending move and its line: a move that is not a permutation, a
    point beyond ``degree``, a ``Gen`` entry that is not a defined move.

    >>> read_gap("M_X := (1,2)(3,4);").generators.perms.tolist()
    [[1, 0, 3, 2]]
    >>> read_gap("M_X := (1,2,2);")
    Traceback (most recent call last):
    ...
    cayley.errors.ParseError: move 'X' (line 1): malformed cycle notation '(1,2,2)': a point repeats inside a cycle; expected cycles like (0 1)(2 3) (0-based) or (1,2)(3,4) (GAP, 1-based)
    """
    if not isinstance(text, str):
        raise ParseError(f"GAP text must be a string, got {type(text).__name__}")
    moves: dict[str, tuple[int, str]] = {}
    gen_list: tuple[int, list[str]] | None = None
    ip: tuple[int, str] | None = None
    for lineno, stmt in _statements(text):
        m = _STATEMENT.match(stmt)
        if not m:
            if _MISSPELT.match(stmt):  # M_F = (1,2): a move that would silently go missing
                raise ParseError(f"line {lineno}: malformed statement {clip(stmt)}: expected name := value")
            continue  # a bare expression such as Size(Group(Gen)): nothing to define
        key, value = m.group(1), m.group(2).strip()
        if key.startswith("M_"):
            name = key[2:]
            if not name:
                raise ParseError(f"line {lineno}: move {key!r} has no name after M_")
            if name in moves:
                raise ParseError(f"line {lineno}: move {name!r} defined twice (first at line {moves[name][0]})")
            _check_move(name, lineno, value)
            moves[name] = (lineno, value)
        elif key == "Gen":
            body = value.replace(" ", "")
            if not (body.startswith("[") and body.endswith("]")):
                raise ParseError(f"line {lineno}: malformed Gen := {value!r}: expected a list like [M_F, M_U]")
            gen_list = (lineno, [x for x in body[1:-1].split(",") if x])
        elif key == "ip":
            ip = (lineno, value)
        else:
            raise ParseError(
                f"line {lineno}: unsupported statement {key} := ...: expected M_name := (cycles), "
                "Gen := [M_name, ...] or ip := [[...], ...]"
            )
    if not moves:
        raise ParseError("GAP text defines no moves: expected lines like M_F := (1,2,3)(4,5);")
    if gen_list is not None:
        lineno, items = gen_list
        names = []
        for item in items:
            if not item.startswith("M_") or item[2:] not in moves:
                raise ParseError(f"line {lineno}: Gen lists {item!r}, which is not a defined move M_name")
            names.append(item[2:])
        if not names:
            raise ParseError(f"line {lineno}: Gen := [] lists no moves")
    else:
        names = list(moves)
    if degree is None:
        points = [bounded_int(x) for nm in names for x in re.findall(r"\d+", moves[nm][1])]
        degree = max(points, default=0)
        # files written by write_gap record the degree in their header comment: points no
        # move touches (a fixed corner) are part of the state too
        header = _HEADER_DEGREE.search(text)
        if header is not None:
            degree = max(degree, bounded_int(header.group(1)))
        if ip is not None:
            degree = max([degree] + [bounded_int(x) for x in re.findall(r"\d+", ip[1])])
        if degree < 1:
            raise ParseError("GAP text: every move is the identity and no degree was given")
    # bounded before anything of this size is allocated
    check_degree(degree, "GAP text", error=ParseError)
    check_generator_count(
        len(names), degree, "GAP text", noun="moves", error=ParseError,
        max_generators=MAX_GENERATORS, max_entries=MAX_GENERATOR_ENTRIES,
    )
    perms = []
    for nm in names:
        lineno, value = moves[nm]
        try:
            perms.append(parse_cycles(value, degree, gap=True))
        except (ParseError, DegreeMismatchError) as exc:
            raise type(exc)(f"move {nm!r} (line {lineno}): {exc}") from None
    gens = GeneratorSet.from_perms(perms, names)
    start = _identical_pieces(ip[1], ip[0], degree) if ip is not None else None
    return GapDefinition(gens, start)


def load_gap(path: str | Path, *, degree: int | None = None) -> GapDefinition:
    """Read a GAP puzzle file (see :func:`read_gap`).

    >>> import tempfile, os
    >>> from cayley.groups.library import generators
    >>> f = os.path.join(tempfile.mkdtemp(), "lrx.gap")
    >>> save_gap(generators("lrx", 4), f)
    >>> load_gap(f).generators.names
    ('L', 'R', 'X')
    """
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_GAP_FILE_BYTES + 1)
    except OSError as exc:
        raise ParseError(f"cannot read GAP file {str(path)!r}: {exc.strerror}") from None
    if len(data) > MAX_GAP_FILE_BYTES:
        raise ParseError(f"GAP file {str(path)!r} is larger than {MAX_GAP_FILE_BYTES:,} bytes (MAX_GAP_FILE_BYTES)")
    try:
        text = data.decode("utf-8-sig")  # a byte order mark is allowed
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"GAP file {str(path)!r} is not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
            "save it as UTF-8"
        ) from None
    return read_gap(text, degree=degree)


def _gap_name(name: str) -> str:
    """A GAP identifier for a generator name: X' -> X_inv, X2 stays, others to _."""
    out = name.replace("^-1", "_inv").replace("'", "_inv").replace("+", "_")
    out = re.sub(r"[^A-Za-z0-9_]", "_", out)
    return out


def write_gap(gens: GeneratorSet, start: ArrayLike | None = None, *, title: str | None = None) -> str:
    """GAP text for a generator set: one ``M_name := cycles;`` per generator, ``Gen``, and
    ``ip`` when a start colouring with repeated colours is given.

    Names become GAP identifiers (``X'`` -> ``X_inv``, other characters -> ``_``; a
    clash gets a numeric suffix).

    >>> from cayley.groups.library import generators
    >>> print(write_gap(generators("coxeter", 3)), end="")
    # cayley generator set coxeter (degree 3, 2 generators)
    M_s0 := (1,2);
    M_s1 := (2,3);
    Gen := [M_s0, M_s1];
    """
    if not isinstance(gens, GeneratorSet):
        raise ParseError(f"write_gap needs a GeneratorSet, got {type(gens).__name__}")
    used: set[str] = set()
    names = []
    for nm in gens.names:
        base = _gap_name(nm) or "g"
        cand, k = base, 1
        while cand in used:
            cand, k = f"{base}_{k}", k + 1
        used.add(cand)
        names.append(cand)
    label = title or (gens.family or "custom")
    lines = [f"# cayley generator set {label} (degree {gens.degree}, {len(gens)} generators)"]
    for nm, p in zip(names, gens.perms):
        lines.append(f"M_{nm} := {Permutation(p).gap_notation()};")
    lines.append("Gen := [" + ", ".join(f"M_{nm}" for nm in names) + "];")
    if start is not None:
        s = np.asarray(start)
        if s.shape != (gens.degree,):
            raise DegreeMismatchError(f"start state has length {s.size}, but the generators have degree {gens.degree}")
        groups = [np.flatnonzero(s == c) + 1 for c in dict.fromkeys(s.tolist())]
        groups = [g for g in groups if len(g) > 1]
        if groups:
            lines.append("ip := [" + ",".join("[" + ",".join(map(str, g.tolist())) + "]" for g in groups) + "];")
    return "\n".join(lines) + "\n"


def save_gap(gens: GeneratorSet, path: str | Path, start: ArrayLike | None = None) -> None:
    """Write :func:`write_gap`'s text to ``path``."""
    try:
        Path(path).write_text(write_gap(gens, start), encoding="utf-8")
    except OSError as exc:
        raise ParseError(f"cannot write GAP file {str(path)!r}: {exc.strerror}") from None
