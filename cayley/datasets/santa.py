"""Kaggle Santa 2023 file layouts: ``puzzle_info.csv``, ``puzzles.csv``, submissions.

Three files, all untrusted:

- ``puzzle_info.csv``: columns ``puzzle_type, allowed_moves``; ``allowed_moves`` is a
  Python dict literal ``{'name': [permutation], ...}``. A move sends a state ``s`` to
  ``s[p]`` (cayley's convention); its inverse is written ``-name``. Parsed by
  :func:`ast.literal_eval` (which evaluates literals only, never code) after a size
  bound, then checked to be a dict of names to permutations of one degree.
- ``puzzles.csv``: ``id, puzzle_type, solution_state, initial_state, num_wildcards``
  (extra columns are ignored); states are ``;``-separated labels.
- a submission: ``id, moves`` with the moves joined by ``.``.

A row counts as solved when replaying its moves on ``initial_state`` leaves at most
``num_wildcards`` positions different from ``solution_state`` (Kaggle's rule).

Every malformed input raises :class:`~cayley.errors.PuzzleFileError` (a
:class:`~cayley.errors.CayleyError` and ``ValueError``) with a one-line message naming the
file, the line and the expected form.

Examples
--------
>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> info = os.path.join(d, "puzzle_info.csv")
>>> with open(info, "w") as f:
...     _ = f.write('puzzle_type,allowed_moves\\nswap3,"{\\'a\\': [1, 0, 2], \\'b\\': [0, 2, 1]}"\\n')
>>> types = read_puzzle_info(info)
>>> types["swap3"].generators.names
('a', 'b')
>>> pz = os.path.join(d, "puzzles.csv")
>>> with open(pz, "w") as f:
...     _ = f.write("id,puzzle_type,solution_state,initial_state,num_wildcards\\n0,swap3,A;B;C,B;C;A,0\\n")
>>> rows = read_puzzles(pz, types)
>>> rows[0].initial_state, rows[0].solution_state
(('B', 'C', 'A'), ('A', 'B', 'C'))
>>> replay(rows[0], types["swap3"], ["b", "a"])
True
"""

from __future__ import annotations

import ast
import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Union

import numpy as np

from ..errors import InvalidInputError
from ..groups.generator_set import GeneratorSet
from ..groups.perm import inverse

__all__ = [
    "LIMITS",
    "Puzzle",
    "PuzzleFileError",
    "PuzzleType",
    "check_submission",
    "read_puzzle_info",
    "read_puzzles",
    "read_submission",
    "replay",
    "write_submission",
]

PathLike = Union[str, "os.PathLike[str]"]

#: Bounds on what is read, checked before anything is allocated from the file's numbers.
LIMITS = {
    "file_bytes": 256 * 1024 * 1024,  # a whole file
    "field_chars": 4 * 1024 * 1024,  # one CSV field (allowed_moves of the largest Santa puzzles is ~0.3 MB)
    "rows": 1_000_000,  # rows of one file
    "degree": 10_000,  # positions of one puzzle
    "moves": 1_000,  # named moves of one puzzle type
    "name_chars": 64,  # a move name or puzzle type
    "solution_moves": 1_000_000,  # moves in one submission row
}


class PuzzleFileError(InvalidInputError):
    """A puzzle_info, puzzles or submission file that does not have the expected form."""


@dataclass(frozen=True, eq=False)
class PuzzleType:
    """One row of ``puzzle_info.csv``: a named puzzle and its allowed moves.

    ``moves`` maps each name to its permutation (int64 array, ``s -> s[p]``).
    ``generators`` is the :class:`~cayley.groups.GeneratorSet` a solver searches with: the
    moves, then the inverse ``-name`` of every move that is not its own inverse.

    >>> t = PuzzleType.from_moves("t", {"r": [1, 2, 0]})
    >>> t.generators.names, t.degree
    (('r', '-r'), 3)
    """

    name: str
    moves: Mapping[str, np.ndarray]
    generators: GeneratorSet

    @classmethod
    def from_moves(cls, name: str, moves: Mapping[str, Sequence[int]]) -> PuzzleType:
        """Check and build: every move a permutation of one degree, names usable in a
        submission (no ``.``, ``,``, whitespace or leading ``-``)."""
        if not moves:
            raise PuzzleFileError(f"puzzle type {name!r} has no moves")
        arrays: dict[str, np.ndarray] = {}
        degree = None
        for mname, perm in moves.items():
            _check_name(mname, f"move name of puzzle type {name!r}")
            a = np.asarray(perm, dtype=np.int64) if len(perm) else np.zeros(0, dtype=np.int64)
            if degree is None:
                degree = len(a)
            if len(a) != degree or not len(a):
                raise PuzzleFileError(
                    f"move {mname!r} of puzzle type {name!r} has length {len(a)}, expected {degree} (one degree for all moves)"
                )
            if not np.array_equal(np.sort(a), np.arange(degree)):
                raise PuzzleFileError(
                    f"move {mname!r} of puzzle type {name!r} is not a permutation of 0..{degree - 1}"
                )
            a.setflags(write=False)
            arrays[mname] = a
        names, perms = [], []
        for mname, a in arrays.items():
            names.append(mname)
            perms.append(a)
        for mname, a in arrays.items():
            inv = inverse(a)
            if not np.array_equal(inv, a):  # an involution is its own inverse: no '-m'
                names.append("-" + mname)
                perms.append(inv)
        gens = GeneratorSet(np.stack(perms), tuple(names), family=f"kaggle:{name}")
        return cls(name, arrays, gens)

    @property
    def degree(self) -> int:
        return self.generators.degree

    def move(self, name: str) -> np.ndarray:
        """The permutation of ``name`` or ``-name`` (its inverse)."""
        base = name.removeprefix("-")
        if base not in self.moves:
            raise PuzzleFileError(f"unknown move {name!r} for puzzle type {self.name!r}")
        p = self.moves[base]
        return inverse(p) if name.startswith("-") else p

    def __repr__(self) -> str:
        return f"PuzzleType({self.name!r}, degree={self.degree}, moves={len(self.moves)})"


@dataclass(frozen=True)
class Puzzle:
    """One row of ``puzzles.csv``. States are tuples of labels (strings)."""

    id: str
    puzzle_type: str
    solution_state: tuple[str, ...]
    initial_state: tuple[str, ...]
    num_wildcards: int
    extra: tuple[tuple[str, str], ...] = ()

    def codes(self) -> tuple[np.ndarray, np.ndarray]:
        """``(solution, initial)`` as int64 arrays: labels numbered in sorted order."""
        labels = sorted(set(self.solution_state))
        code = {lab: i for i, lab in enumerate(labels)}
        sol = np.array([code[x] for x in self.solution_state], dtype=np.int64)
        ini = np.array([code[x] for x in self.initial_state], dtype=np.int64)
        return sol, ini


# -------------------------------------------------------------------------------------
# reading
# -------------------------------------------------------------------------------------
def _check_name(name, what: str) -> None:
    if not isinstance(name, str) or not name or len(name) > LIMITS["name_chars"]:
        raise PuzzleFileError(f"bad {what} {str(name)[:80]!r}: expected 1..{LIMITS['name_chars']} characters")
    if name.startswith("-") or any(c in name for c in ".,;\"'") or any(c.isspace() for c in name):
        raise PuzzleFileError(f"bad {what} {name!r}: no leading '-', no '.', ',', ';', quotes or spaces")


def _read_text(path: PathLike, what: str) -> str:
    try:
        size = os.path.getsize(path)
        if size > LIMITS["file_bytes"]:
            raise PuzzleFileError(f"{what} {str(path)!r} has {size} bytes, more than the limit {LIMITS['file_bytes']}")
        with open(path, "rb") as f:
            raw = f.read(LIMITS["file_bytes"] + 1)
    except FileNotFoundError:
        raise PuzzleFileError(f"no {what} file {str(path)!r}") from None
    except IsADirectoryError:
        raise PuzzleFileError(f"{what} {str(path)!r} is a directory, expected a CSV file") from None
    except OSError as exc:
        raise PuzzleFileError(f"cannot read {what} {str(path)!r}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PuzzleFileError(f"{what} {str(path)!r} is not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise PuzzleFileError(f"{what} {str(path)!r} contains NUL bytes; expected a CSV text file")
    return text


def _rows(path: PathLike, what: str, required: Sequence[str]) -> Iterable[tuple[int, dict]]:
    """``(line, row)`` for each data row of a CSV file, with the header checked."""
    text = _read_text(path, what)
    old = csv.field_size_limit()
    csv.field_size_limit(LIMITS["field_chars"])
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise PuzzleFileError(f"{what} {str(path)!r} line 1: malformed CSV ({exc})") from None
        if header is None:
            raise PuzzleFileError(f"{what} {str(path)!r} is empty; expected a header {','.join(required)}")
        header = [h.strip() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise PuzzleFileError(
                f"{what} {str(path)!r} has columns {header[:8]}; missing {missing} (expected {','.join(required)})"
            )
        out = []
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise PuzzleFileError(f"{what} {str(path)!r} line {reader.line_num}: malformed CSV ({exc})") from None
            if not fields or fields == [""]:
                continue
            if len(fields) != len(header):
                raise PuzzleFileError(
                    f"{what} {str(path)!r} line {reader.line_num}: {len(fields)} fields, the header has {len(header)}"
                )
            if len(out) >= LIMITS["rows"]:
                raise PuzzleFileError(f"{what} {str(path)!r} has more than {LIMITS['rows']} rows")
            out.append((reader.line_num, dict(zip(header, fields))))
        return out
    finally:
        csv.field_size_limit(old)


def _parse_moves(text: str, where: str) -> dict:
    if len(text) > LIMITS["field_chars"]:
        raise PuzzleFileError(f"{where}: allowed_moves has {len(text)} characters, more than {LIMITS['field_chars']}")
    # literal_eval evaluates literals only (no names, calls or attributes); nesting is
    # bounded by the shape we accept, checked before it is parsed: at most dict > list
    depth, deepest = 0, 0
    for c in text:
        if c in "[{(":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]})":
            depth -= 1
    if deepest > 2:
        raise PuzzleFileError(f"{where}: allowed_moves nests {deepest} levels; expected {{'name': [0, 1, ...], ...}}")
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise PuzzleFileError(
            f"{where}: allowed_moves {text[:60]!r} is not a dict literal {{'name': [0, 1, ...], ...}}"
        ) from None
    if not isinstance(value, dict):
        raise PuzzleFileError(f"{where}: allowed_moves is a {type(value).__name__}, expected a dict of name -> list")
    if len(value) > LIMITS["moves"]:
        raise PuzzleFileError(f"{where}: {len(value)} moves, more than the limit {LIMITS['moves']}")
    for k, v in value.items():
        if not isinstance(k, str):
            raise PuzzleFileError(f"{where}: move name {k!r} is not a string")
        if not isinstance(v, list) or not all(type(x) is int for x in v):
            raise PuzzleFileError(f"{where}: move {k!r} is not a list of integers")
        if len(v) > LIMITS["degree"]:
            raise PuzzleFileError(f"{where}: move {k!r} has {len(v)} entries, more than the limit {LIMITS['degree']}")
    return value


def read_puzzle_info(path: PathLike) -> dict[str, PuzzleType]:
    """Read ``puzzle_info.csv``: puzzle type name -> :class:`PuzzleType`.

    Raises
    ------
    PuzzleFileError
        Missing file, not UTF-8, malformed CSV, a repeated type, an ``allowed_moves`` that
        is not a dict literal of names to permutations of one degree, sizes over
        :data:`LIMITS`.
    """
    types: dict[str, PuzzleType] = {}
    for line, row in _rows(path, "puzzle info", ("puzzle_type", "allowed_moves")):
        name = row["puzzle_type"].strip()
        where = f"puzzle info {str(path)!r} line {line}"
        _check_type_name(name, where)
        if name in types:
            raise PuzzleFileError(f"{where}: puzzle type {name!r} appears twice")
        moves = _parse_moves(row["allowed_moves"], where)
        try:
            types[name] = PuzzleType.from_moves(name, moves)
        except PuzzleFileError as exc:
            raise PuzzleFileError(f"{where}: {exc}") from None
    if not types:
        raise PuzzleFileError(f"puzzle info {str(path)!r} has no puzzle types")
    return types


def _check_type_name(name: str, where: str) -> None:
    if not name or len(name) > LIMITS["name_chars"] or any(c.isspace() for c in name):
        raise PuzzleFileError(f"{where}: bad puzzle type {name[:80]!r}")


def _state(text: str, where: str, what: str) -> tuple[str, ...]:
    labels = tuple(x.strip() for x in text.split(";"))
    if not text.strip() or any(not x for x in labels):
        raise PuzzleFileError(f"{where}: {what} {text[:60]!r} is not ';'-separated labels")
    if len(labels) > LIMITS["degree"]:
        raise PuzzleFileError(f"{where}: {what} has {len(labels)} labels, more than the limit {LIMITS['degree']}")
    return labels


def read_puzzles(path: PathLike, puzzle_info: Mapping[str, PuzzleType] | None = None) -> list[Puzzle]:
    """Read ``puzzles.csv`` (Santa 2023 layout; extra columns are kept in ``extra``).

    With ``puzzle_info`` each row is checked against its type: the type exists, both
    states have the type's degree, and the initial state holds the same labels as the
    solution state (same multiset; otherwise no sequence of moves can solve it).
    """
    out: list[Puzzle] = []
    seen: set[str] = set()
    req = ("id", "puzzle_type", "solution_state", "initial_state", "num_wildcards")
    for line, row in _rows(path, "puzzles", req):
        where = f"puzzles {str(path)!r} line {line}"
        pid = row["id"].strip()
        if not pid or len(pid) > LIMITS["name_chars"] or any(c in pid for c in ",\"\n\r"):
            raise PuzzleFileError(f"{where}: bad id {pid[:80]!r}")
        if pid in seen:
            raise PuzzleFileError(f"{where}: id {pid!r} appears twice")
        seen.add(pid)
        ptype = row["puzzle_type"].strip()
        _check_type_name(ptype, where)
        sol = _state(row["solution_state"], where, "solution_state")
        ini = _state(row["initial_state"], where, "initial_state")
        w = row["num_wildcards"].strip()
        if not w.isdigit() or len(w) > 9:
            raise PuzzleFileError(f"{where}: num_wildcards {w[:20]!r} is not a non-negative integer")
        if len(sol) != len(ini):
            raise PuzzleFileError(f"{where}: initial_state has {len(ini)} labels, solution_state {len(sol)}")
        if puzzle_info is not None:
            if ptype not in puzzle_info:
                raise PuzzleFileError(
                    f"{where}: unknown puzzle type {ptype!r}; the puzzle info has {sorted(puzzle_info)[:10]}"
                )
            deg = puzzle_info[ptype].degree
            if len(sol) != deg:
                raise PuzzleFileError(f"{where}: states have {len(sol)} labels, puzzle type {ptype!r} has degree {deg}")
        if sorted(sol) != sorted(ini):
            raise PuzzleFileError(
                f"{where}: initial_state and solution_state hold different labels (not the same multiset), "
                "so no moves can solve it"
            )
        extra = tuple((k, v) for k, v in row.items() if k not in req)
        out.append(Puzzle(pid, ptype, sol, ini, int(w), extra))
    return out


def read_submission(path: PathLike) -> dict[str, list[str]]:
    """Read a submission ``id,moves``: id -> list of move names (``-name`` for inverses)."""
    out: dict[str, list[str]] = {}
    for line, row in _rows(path, "submission", ("id", "moves")):
        where = f"submission {str(path)!r} line {line}"
        pid = row["id"].strip()
        if pid in out:
            raise PuzzleFileError(f"{where}: id {pid!r} appears twice")
        text = row["moves"].strip()
        moves = text.split(".") if text else []
        if len(moves) > LIMITS["solution_moves"]:
            raise PuzzleFileError(f"{where}: {len(moves)} moves, more than the limit {LIMITS['solution_moves']}")
        if any(not m or m == "-" for m in moves):
            raise PuzzleFileError(f"{where}: moves {text[:60]!r} are not '.'-separated names")
        out[pid] = moves
    return out


# -------------------------------------------------------------------------------------
# writing and checking
# -------------------------------------------------------------------------------------
def write_submission(path: PathLike, solutions: Mapping[str, Sequence[str]] | Iterable[tuple[str, Sequence[str]]]) -> None:
    """Write ``id,moves`` rows atomically (a temporary file in the same directory, then
    renamed over ``path``), moves joined by ``.``.

    >>> import os, tempfile
    >>> f = os.path.join(tempfile.mkdtemp(), "sub.csv")
    >>> write_submission(f, {"0": ["r", "-f"], "1": []})
    >>> open(f).read().splitlines()
    ['id,moves', '0,r.-f', '1,']
    >>> read_submission(f)
    {'0': ['r', '-f'], '1': []}
    """
    items = list(solutions.items()) if isinstance(solutions, Mapping) else list(solutions)
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "moves"])
    for pid, moves in items:
        for m in moves:
            base = m.removeprefix("-")
            _check_name(base, "move name")
        w.writerow([pid, ".".join(moves)])
    target = os.path.abspath(os.fspath(path))
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=".submission-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise PuzzleFileError(f"cannot write submission {str(path)!r}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise PuzzleFileError(f"cannot write submission {str(path)!r}: {exc.strerror}") from None


def replay(puzzle: Puzzle, ptype: PuzzleType, moves: Sequence[str]) -> bool:
    """Whether ``moves`` solve ``puzzle``: at most ``num_wildcards`` positions differ
    from the solution state after acting on the initial state by each move in turn.

    Raises
    ------
    PuzzleFileError
        An unknown move name, or a puzzle whose states do not fit the type.
    """
    if len(puzzle.initial_state) != ptype.degree:
        raise PuzzleFileError(
            f"puzzle {puzzle.id!r} has {len(puzzle.initial_state)} labels, type {ptype.name!r} degree {ptype.degree}"
        )
    sol, s = puzzle.codes()
    perm = np.arange(ptype.degree)
    cache: dict[str, np.ndarray] = {}
    for m in moves:
        p = cache.get(m)
        if p is None:
            p = cache[m] = ptype.move(m)
        perm = perm[p]  # compose: acting by perm then p is acting by perm[p]
    return int(np.count_nonzero(s[perm] != sol)) <= puzzle.num_wildcards


def check_submission(
    puzzles: Sequence[Puzzle], puzzle_info: Mapping[str, PuzzleType], solutions: Mapping[str, Sequence[str]]
) -> dict[str, bool]:
    """id -> solved, for every puzzle (a missing row counts as unsolved)."""
    out = {}
    for pz in puzzles:
        if pz.puzzle_type not in puzzle_info:
            raise PuzzleFileError(f"puzzle {pz.id!r}: unknown puzzle type {pz.puzzle_type!r}")
        moves = solutions.get(pz.id)
        out[pz.id] = moves is not None and replay(pz, puzzle_info[pz.puzzle_type], moves)
    return out

