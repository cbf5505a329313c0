"""Check a submission against an exported path-finding dataset."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Optional

import numpy as np

from ..errors import InvalidInputError
from ._format import _read_json, parse_state_cell
from .puzzle import graph_from_info

__all__ = ["Rejection", "VerifyReport", "verify_submission"]


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
    """Check every row of ``submission`` against the dataset in ``folder``.

    A submission passes when its header has the layout's columns, every id of
    ``test.csv`` appears exactly once, every move is one of the names in
    ``puzzle_info.json``, and replaying each path from its initial state ends at the
    central state (and, in the ``id-permutation-solution`` layout, each row's permutation
    is its test state). The paths are replayed together, one numpy step per move.

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
        When the folder is not a path-finding dataset, or the submission cannot be read.

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
    p = FsPath(folder)
    if not (p / "puzzle_info.json").is_file() or not (p / "test.csv").is_file():
        raise InvalidInputError(f"{str(p)!r} is not a path-finding dataset: it needs puzzle_info.json and test.csv")
    sub = FsPath(submission)
    if not sub.is_file():
        raise InvalidInputError(f"submission {str(sub)!r} is not a file")
    info = _read_json(p / "puzzle_info.json")
    graph, layout = graph_from_info(info)
    sep = info.get("path_separator", ".")
    central = graph.start
    perms = graph.generators.perms
    move_index = {name: i for i, name in enumerate(graph.generators.names)}
    tests = _read_tests(p / "test.csv", layout, graph.degree)

    errors: list[Rejection] = []
    with open(sub, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return _report(0, 0, len(tests), [Rejection(0, None, "the submission is empty (no header)")], max_errors)
        header = [h.strip() for h in header]
        missing = [c for c in layout.submission if c not in header]
        extra = [c for c in header if c not in layout.submission]
        if missing or extra:
            what = f"missing column {missing[0]!r}" if missing else f"unexpected column {extra[0]!r}"
            reason = f"{what}; expected the header {','.join(layout.submission)}"
            return _report(0, 0, len(tests), [Rejection(0, None, reason)], max_errors)
        col = {c: header.index(c) for c in layout.submission}
        first_row: dict[str, int] = {}
        rows_ok: list[tuple[int, str, np.ndarray]] = []  # (row, id, move indices)
        nrows = 0
        for nrows, rec in enumerate(reader, start=1):
            if not rec:
                errors.append(Rejection(nrows, None, "empty line"))
                continue
            if len(rec) != len(header):
                errors.append(Rejection(nrows, None, f"{len(rec)} fields, expected {len(header)}"))
                continue
            rid = rec[col[layout.id]].strip()
            if rid not in tests:
                errors.append(Rejection(nrows, rid, f"id {rid!r} is not in test.csv"))
                continue
            if rid in first_row:
                errors.append(Rejection(nrows, rid, f"id {rid} appears again (first at row {first_row[rid]})"))
                continue
            first_row[rid] = nrows
            if layout.path != layout.state and layout.state in col:
                try:
                    given = np.array(parse_state_cell(rec[col[layout.state]]), dtype=np.int64)
                except ValueError:
                    given = None
                if given is None or not np.array_equal(given, tests[rid]):
                    errors.append(Rejection(nrows, rid, f"{layout.state} {rec[col[layout.state]]!r} is not the "
                                                        f"state of id {rid} in test.csv"))
                    continue
            text = rec[col[layout.path]].strip()
            if text.upper() == "UNSOLVED":
                errors.append(Rejection(nrows, rid, "unsolved (UNSOLVED instead of a path)"))
                continue
            tokens = text.split(sep) if text else []
            bad = next(((k, t) for k, t in enumerate(tokens, start=1) if t not in move_index), None)
            if bad is not None:
                k, t = bad
                what = "an empty move name" if t == "" else f"{t!r} is not a move name"
                errors.append(Rejection(nrows, rid, f"move {k}: {what}; moves are {', '.join(move_index)}"))
                continue
            rows_ok.append((nrows, rid, np.array([move_index[t] for t in tokens], dtype=np.int64)))

    # replay all paths together: step t moves every row with more than t moves
    score = 0
    if rows_ok:
        states = np.stack([tests[rid] for _, rid, _ in rows_ok])
        lengths = np.array([len(m) for _, _, m in rows_ok], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        flat = np.concatenate([m for _, _, m in rows_ok]) if lengths.sum() else np.zeros(0, dtype=np.int64)
        for t in range(int(lengths.max(initial=0))):
            idx = np.flatnonzero(lengths > t)
            states[idx] = np.take_along_axis(states[idx], perms[flat[offsets[idx] + t]], axis=1)
        wrong = ~np.all(states == central, axis=1)
        for j in np.flatnonzero(wrong):
            row, rid, _ = rows_ok[j]
            errors.append(Rejection(row, rid, f"the path ends at {_short(states[j])}, not the central state "
                                              f"{_short(central)}"))
        score = int(lengths[~wrong].sum())
        valid = int((~wrong).sum())
    else:
        valid = 0
    errors.sort(key=lambda e: e.row)
    for rid in tests:
        if rid not in first_row:
            errors.append(Rejection(None, rid, f"id {rid} of test.csv has no row in the submission"))
    return _report(nrows, valid, len(tests), errors, max_errors, score)


def _report(rows, valid, expected, errors, max_errors, score=0) -> VerifyReport:
    return VerifyReport(not errors, score, rows, valid, expected, tuple(errors[:max_errors]), len(errors))


def _read_tests(path: FsPath, layout, degree: int) -> dict[str, np.ndarray]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or layout.id not in reader.fieldnames or layout.state not in reader.fieldnames:
            raise InvalidInputError(f"{path}: expected columns {','.join(layout.test)}, got {reader.fieldnames}")
        out = {}
        for lineno, row in enumerate(reader, start=2):
            try:
                s = np.array(parse_state_cell(row[layout.state]), dtype=np.int64)
            except ValueError:
                raise InvalidInputError(f"{path}: line {lineno}: state {row[layout.state]!r} is not a list of "
                                        "integers") from None
            if len(s) != degree:
                raise InvalidInputError(f"{path}: line {lineno}: state has {len(s)} symbols, the puzzle {degree}")
            out[row[layout.id].strip()] = s
    return out


def _short(a: np.ndarray) -> str:
    s = ",".join(map(str, a.tolist()))
    return s if len(s) <= 60 else s[:57] + "..."
