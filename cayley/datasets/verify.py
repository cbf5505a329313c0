"""Check a submission against an exported path-finding dataset."""

from __future__ import annotations

import csv
import heapq
import os
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Optional

import numpy as np

from ..errors import InvalidInputError
from ._format import parse_state_cell
from .files import inside, read_json, reading, repeated_name
from .puzzle import graph_from_info

__all__ = ["Rejection", "VerifyReport", "verify_santa", "verify_submission"]


@dataclass(frozen=True)
class Rejection:
    """Why a submission is rejected: ``row`` is the data row (1 = the line after the
    header; 0 = the file as a whole; None = an id with no row), ``id`` the row's id."""

    row: Optional[int]
    id: Optional[str]
    reason: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.reason
        where = f"row {self.row}" if self.row is not None else "missing row"
        return f"{where} (id {self.id}): {self.reason}" if self.id is not None else f"{where}: {self.reason}"


@dataclass(frozen=True)
class VerifyReport:
    """Result of :func:`verify_submission`.

    ``ok`` is True when every test id has exactly one row whose path is valid and ends at
    the central state. ``score`` is the total number of moves of the rows that passed (the
    competition score when ``ok``). ``errors`` holds the first ``max_errors`` rejections
    in row order (``error_count`` counts them all).
    """

    ok: bool
    score: int
    rows: int
    valid_rows: int
    expected_rows: int
    errors: tuple[Rejection, ...]
    error_count: int

    @property
    def first_error(self) -> Optional[Rejection]:
        return self.errors[0] if self.errors else None

    def summary(self) -> str:
        """One line: accepted with the score, or rejected with the first bad row."""
        if self.ok:
            return f"accepted: {self.rows} rows, score {self.score} (total moves)"
        more = f" ({self.error_count} problems in all)" if self.error_count > 1 else ""
        return f"rejected: {self.first_error}{more}"


def verify_submission(folder: os.PathLike, submission: os.PathLike, *, max_errors: int = 10) -> VerifyReport:
    """Check every row of ``submission`` against the dataset in ``folder``: a cayley
    export (``puzzle_info.json``, ``test.csv``) or the Kaggle Santa 2023 layout
    (``puzzle_info.csv``, ``puzzles.csv``; see :func:`verify_santa`).

    A submission passes when its header has the layout's columns, every id of
    ``test.csv`` appears exactly once, every move is one of the names in
    ``puzzle_info.json``, and replaying each path from its initial state ends at the
    central state (and, in the ``id-permutation-solution`` layout, each row's permutation
    is its test state). The paths are replayed together, one numpy step per move, in
    chunks of rows as the file is read: memory holds the test states, one row number per
    test id and the first ``max_errors`` rejections, not the submission. Blank lines at the
    end of the file are ignored; elsewhere they are rejected rows.

    Parameters
    ----------
    folder : path
        An export of :func:`~cayley.datasets.export_paths` (``puzzle_info.json``, ``test.csv``).
    submission : path
        The CSV to check.
    max_errors : int
        How many rejections to keep (all are counted).

    Returns
    -------
    VerifyReport

    Raises
    ------
    InvalidInputError
        One line, when the folder is not a path-finding dataset (or a file of it lies outside
        it, or is malformed), or the submission cannot be read (not UTF-8, malformed CSV, a
        field over the csv module's limit of 131,072 characters). A submission that reads
        but does not pass is not an error: it is a report with ``ok`` False.

    Examples
    --------
    >>> import tempfile, os
    >>> from cayley.datasets import export_paths
    >>> d = tempfile.mkdtemp()
    >>> e = export_paths("S_5", "lrx", count=3, scramble_length=4, seed=0, out=d)
    >>> r = verify_submission(d, os.path.join(d, "sample_submission.csv"))
    >>> r.ok, r.score == e.score
    (True, True)
    """
    if not isinstance(max_errors, int) or max_errors < 1:
        raise InvalidInputError(f"max_errors must be an integer >= 1, got {max_errors!r}")
    p = FsPath(folder)
    if os.path.lexists(p / "puzzle_info.csv") and os.path.lexists(p / "puzzles.csv"):
        return verify_santa(folder, submission, max_errors=max_errors)
    info_file, test_file = _export_files(p)
    sub = FsPath(submission)
    if not sub.is_file():
        raise InvalidInputError(f"submission {str(sub)!r} is not a file")
    graph, layout, sep, tests = _read_export(info_file, test_file)
    central = graph.start
    perms = graph.generators.perms
    move_index = {name: i for i, name in enumerate(graph.generators.names)}

    errors = _Rejections(max_errors)
    first_row: dict[str, int] = {}  # at most one entry per test id
    pending: list[tuple[int, str, np.ndarray]] = []  # (row, id, move indices), replayed in chunks
    pending_moves = 0
    score = valid = 0
    nrows = 0
    blank_from, blanks = 0, 0  # a run of blank lines, rejected unless it ends the file
    with reading(sub, "submission"), open(sub, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return _report(0, 0, len(tests), [Rejection(0, None, "the submission is empty (no header)")], max_errors)
        header, reason = _check_header(header, layout, sub)
        if reason is not None:
            return _report(0, 0, len(tests), [Rejection(0, None, reason)], max_errors)
        col = {c: header.index(c) for c in layout.submission}
        for nrows, rec in enumerate(reader, start=1):
            if not rec or (len(rec) == 1 and not rec[0].strip()):
                if not blanks:
                    blank_from = nrows
                blanks += 1
                continue
            for b in range(blank_from, blank_from + blanks):
                errors.add(Rejection(b, None, "empty line"))
            blanks = 0
            checked = _check_row(rec, nrows, header, col, layout, tests, first_row, sep, move_index, errors)
            if checked is None:
                continue
            rid, moves = checked
            pending.append((nrows, rid, moves))
            pending_moves += len(moves)
            if len(pending) >= _CHUNK or pending_moves >= _CHUNK_MOVES:
                s, v = _replay(pending, tests, perms, central, errors)
                score, valid = score + s, valid + v
                pending, pending_moves = [], 0
    if pending:
        s, v = _replay(pending, tests, perms, central, errors)
        score, valid = score + s, valid + v
    nrows -= blanks  # trailing blank lines are not rows
    return _final_report(errors, tests, first_row, score, nrows, valid, max_errors)


def _export_files(p: FsPath) -> tuple[FsPath, FsPath]:
    """The ``puzzle_info.json`` and ``test.csv`` of the cayley export in ``p`` (see
    :func:`verify_submission`)."""
    if not os.path.lexists(p / "puzzle_info.json") or not os.path.lexists(p / "test.csv"):
        raise InvalidInputError(f"{str(p)!r} is not a path-finding dataset: it needs puzzle_info.json and test.csv "
                                "(or puzzle_info.csv and puzzles.csv: the Santa layout)")
    info_file, test_file = inside(p, "puzzle_info.json", str(p)), inside(p, "test.csv", str(p))
    if not info_file.is_file() or not test_file.is_file():
        raise InvalidInputError(f"{str(p)!r} is not a path-finding dataset: it needs puzzle_info.json and test.csv "
                                "(or puzzle_info.csv and puzzles.csv: the Santa layout)")
    return info_file, test_file


def _read_export(info_file: FsPath, test_file: FsPath):
    """The graph, layout, path separator and test states of a cayley export."""
    info = read_json(info_file)
    graph, layout = graph_from_info(info)
    sep = info.get("path_separator", ".")
    if not isinstance(sep, str) or not sep:
        raise InvalidInputError(f"puzzle_info.json: path_separator must be a non-empty string, got {sep!r}")
    tests = _read_tests(test_file, layout, graph.degree)
    return graph, layout, sep, tests


def _check_header(header: list[str], layout, sub: FsPath) -> tuple[list[str], Optional[str]]:
    """The stripped submission header and why it is rejected (None when it has the
    layout's columns); raises on NUL characters (UTF-16 text)."""
    if any("\x00" in h for h in header):
        raise InvalidInputError(f"submission {sub} has NUL characters in its header (UTF-16 text without a "
                                "byte-order mark?); save it as UTF-8")
    header = [h.strip() for h in header]
    missing = [c for c in layout.submission if c not in header]
    extra = [c for c in header if c not in layout.submission]
    dup = repeated_name(header)
    if missing or extra or dup is not None:
        what = (f"missing column {missing[0]!r}" if missing else f"unexpected column {extra[0]!r}" if extra
                else f"column {dup!r} appears twice")
        return header, f"{what}; expected the header {','.join(layout.submission)}"
    return header, None


def _check_row(rec, nrows, header, col, layout, tests, first_row, sep, move_index,
               errors: _Rejections) -> Optional[tuple[str, np.ndarray]]:
    """The id and move indices of submission row ``nrows``, or None after rejecting it
    (wrong field count, unknown or repeated id, wrong state, UNSOLVED, unknown move).
    Records the row of a new id in ``first_row``."""
    if len(rec) != len(header):
        errors.add(Rejection(nrows, None, f"{len(rec)} fields, expected {len(header)}"))
        return None
    rid = rec[col[layout.id]].strip()
    if rid not in tests:
        errors.add(Rejection(nrows, _clip(rid), f"id {_clip(rid)!r} is not in test.csv"))
        return None
    if rid in first_row:
        errors.add(Rejection(nrows, rid, f"id {rid} appears again (first at row {first_row[rid]})"))
        return None
    first_row[rid] = nrows
    if layout.path != layout.state and layout.state in col:
        try:
            given = np.array(parse_state_cell(rec[col[layout.state]]), dtype=np.int64)
        except (ValueError, OverflowError):
            given = None
        if given is None or not np.array_equal(given, tests[rid]):
            errors.add(Rejection(nrows, rid, f"{layout.state} {_clip(rec[col[layout.state]])!r} is not the "
                                             f"state of id {rid} in test.csv"))
            return None
    text = rec[col[layout.path]].strip()
    if text.upper() == "UNSOLVED":
        errors.add(Rejection(nrows, rid, "unsolved (UNSOLVED instead of a path)"))
        return None
    tokens = text.split(sep) if text else []
    bad = next(((k, t) for k, t in enumerate(tokens, start=1) if t not in move_index), None)
    if bad is not None:
        k, t = bad
        what = "an empty move name" if t == "" else f"{_clip(t)!r} is not a move name"
        errors.add(Rejection(nrows, rid, f"move {k}: {what}; moves are {_clip(', '.join(move_index))}"))
        return None
    return rid, np.array([move_index[t] for t in tokens], dtype=np.int64)


def _final_report(errors: _Rejections, tests, first_row, score, nrows, valid, max_errors,
                  ids_file: str = "test.csv") -> VerifyReport:
    """The report of :func:`verify_submission` and :func:`verify_santa`: the kept
    rejections, then the ids of ``ids_file`` with no row (as many as fit in
    ``max_errors``); every rejection is counted."""
    rejected = errors.sorted()
    missing_ids = [rid for rid in tests if rid not in first_row]
    room = max(0, max_errors - len(rejected))
    rejected += [Rejection(None, rid, f"id {rid} of {ids_file} has no row in the submission")
                 for rid in missing_ids[:room]]
    count = errors.count + len(missing_ids)
    return VerifyReport(count == 0, score, nrows, valid, len(tests), tuple(rejected), count)


def verify_santa(folder: os.PathLike, submission: os.PathLike, *, max_errors: int = 10) -> VerifyReport:
    """Check a Kaggle Santa 2023 submission (``id,moves``, moves joined by ``.``, ``-name``
    the inverse of ``name``) against ``puzzle_info.csv`` and ``puzzles.csv`` in ``folder``:
    every puzzle id once, move names of the row's puzzle type, and replaying the moves on
    the initial state leaves at most ``num_wildcards`` positions different from the
    solution state. ``score`` is the total number of moves of the rows that pass.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "puzzle_info.csv"), "w").write(
    ...     'puzzle_type,allowed_moves\\ncyc3,"{\\'r\\': [1, 2, 0]}"\\n')
    >>> _ = open(os.path.join(d, "puzzles.csv"), "w").write(
    ...     "id,puzzle_type,solution_state,initial_state,num_wildcards\\n0,cyc3,A;B;C,C;A;B,0\\n")
    >>> _ = open(os.path.join(d, "sub.csv"), "w").write("id,moves\\n0,r\\n")
    >>> verify_santa(d, os.path.join(d, "sub.csv")).summary()
    'accepted: 1 rows, score 1 (total moves)'
    >>> _ = open(os.path.join(d, "sub.csv"), "w").write("id,moves\\n0,-r\\n")
    >>> verify_santa(d, os.path.join(d, "sub.csv")).summary()
    'rejected: row 1 (id 0): the moves leave 3 positions different from the solution state (0 wildcards)'
    """
    from .santa import PuzzleFileError, read_puzzle_info, read_puzzles

    p = FsPath(folder)
    info_file, puzzles_file = inside(p, "puzzle_info.csv", str(p)), inside(p, "puzzles.csv", str(p))
    types = read_puzzle_info(info_file)
    puzzles = {row.id: row for row in read_puzzles(puzzles_file, types)}
    sub = FsPath(submission)
    if not sub.is_file():
        raise InvalidInputError(f"submission {str(sub)!r} is not a file")
    errors = _Rejections(max_errors)
    first_row: dict[str, int] = {}
    score = valid = nrows = 0
    with reading(sub, "submission"), open(sub, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        if sorted(header) != ["id", "moves"]:
            reason = f"the header is {','.join(header) or 'missing'}; expected id,moves"
            return _report(0, 0, len(puzzles), [Rejection(0, None, reason)], max_errors)
        col_id, col_moves = header.index("id"), header.index("moves")
        for nrows, rec in enumerate(reader, start=1):
            if len(rec) != 2:
                errors.add(Rejection(nrows, None, f"{len(rec)} fields, expected 2"))
                continue
            rid, text = rec[col_id].strip(), rec[col_moves].strip()
            if rid not in puzzles:
                errors.add(Rejection(nrows, _clip(rid), f"id {_clip(rid)!r} is not in puzzles.csv"))
                continue
            if rid in first_row:
                errors.add(Rejection(nrows, rid, f"id {rid} appears again (first at row {first_row[rid]})"))
                continue
            first_row[rid] = nrows
            ok, reason, moves = _santa_row(puzzles[rid], types[puzzles[rid].puzzle_type], text, PuzzleFileError)
            if ok:
                score, valid = score + moves, valid + 1
            else:
                errors.add(Rejection(nrows, rid, reason))
    return _final_report(errors, puzzles, first_row, score, nrows, valid, max_errors, "puzzles.csv")


def _santa_row(puzzle, ptype, text: str, file_error) -> tuple[bool, str, int]:
    """(solved, why not, moves) for one Santa row."""
    moves = text.split(".") if text else []
    sol, state = puzzle.codes()
    perm = np.arange(ptype.degree)
    cache: dict[str, np.ndarray] = {}
    for k, m in enumerate(moves, start=1):
        q = cache.get(m)
        if q is None:
            try:
                q = cache[m] = ptype.move(m)
            except file_error:
                return False, f"move {k}: {_clip(m)!r} is not a move of {ptype.name}", 0
        perm = perm[q]  # acting by perm then q is acting by perm[q]
    diff = int(np.count_nonzero(state[perm] != sol))
    if diff > puzzle.num_wildcards:
        return False, (f"the moves leave {diff} positions different from the solution state "
                       f"({puzzle.num_wildcards} wildcards)"), 0
    return True, "", len(moves)


# valid rows replayed together at a time: memory stays bounded however long the submission
_CHUNK = 1 << 14
_CHUNK_MOVES = 1 << 22  # or as many moves (32 MiB of move indices)


class _Rejections:
    """Counts every rejection and keeps the ``keep`` with the smallest rows."""

    def __init__(self, keep: int):
        self.keep = keep
        self.count = 0
        self._heap: list = []  # (-row, -seq, rejection): a max-heap on the row

    def add(self, r: Rejection) -> None:
        self.count += 1
        item = (-r.row, -self.count, r)
        if len(self._heap) < self.keep:
            heapq.heappush(self._heap, item)
        elif item > self._heap[0]:
            heapq.heapreplace(self._heap, item)

    def sorted(self) -> list[Rejection]:
        return [r for _, _, r in sorted(self._heap, reverse=True)]


def _replay(rows, tests, perms, central, errors: _Rejections) -> tuple[int, int]:
    """Replay the paths of ``rows`` together (step t moves every row with more than t
    moves); reject those not ending at the central state. Returns (score, valid rows)."""
    states = np.stack([tests[rid] for _, rid, _ in rows])
    lengths = np.array([len(m) for _, _, m in rows], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    flat = np.concatenate([m for _, _, m in rows]) if lengths.sum() else np.zeros(0, dtype=np.int64)
    for t in range(int(lengths.max(initial=0))):
        idx = np.flatnonzero(lengths > t)
        states[idx] = np.take_along_axis(states[idx], perms[flat[offsets[idx] + t]], axis=1)
    wrong = ~np.all(states == central, axis=1)
    for j in np.flatnonzero(wrong):
        row, rid, _ = rows[j]
        errors.add(Rejection(row, rid, f"the path ends at {_short(states[j])}, not the central state "
                                       f"{_short(central)}"))
    return int(lengths[~wrong].sum()), int((~wrong).sum())


def _report(rows, valid, expected, errors, max_errors, score=0) -> VerifyReport:
    return VerifyReport(not errors, score, rows, valid, expected, tuple(errors[:max_errors]), len(errors))


def _read_tests(path: FsPath, layout, degree: int) -> dict[str, np.ndarray]:
    with reading(path), open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or layout.id not in reader.fieldnames or layout.state not in reader.fieldnames:
            raise InvalidInputError(f"{path}: expected columns {','.join(layout.test)}, got "
                                    f"{_clip(str(reader.fieldnames))}")
        out = {}
        for row in reader:
            lineno = reader.line_num
            rid, cell = row[layout.id], row[layout.state]
            if rid is None or cell is None:
                raise InvalidInputError(f"{path}: line {lineno}: too few fields")
            try:
                s = np.array(parse_state_cell(cell), dtype=np.int64)
            except (ValueError, OverflowError):
                raise InvalidInputError(f"{path}: line {lineno}: state {_clip(cell)!r} is not a list of "
                                        "integers") from None
            if len(s) != degree:
                raise InvalidInputError(f"{path}: line {lineno}: state has {len(s)} symbols, the puzzle {degree}")
            rid = rid.strip()
            if rid in out:
                raise InvalidInputError(f"{path}: line {lineno}: id {_clip(rid)!r} appears twice")
            out[rid] = s
    return out


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _short(a: np.ndarray) -> str:
    s = ",".join(map(str, a.tolist()))
    return s if len(s) <= 60 else s[:57] + "..."
