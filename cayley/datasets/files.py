"""Reading files of a dataset folder safely: one-line errors for whatever a malformed
file raises (:func:`reading`, :func:`read_json`), paths confined to the folder
(:func:`inside`), repeated names found (:func:`repeated_name`).

Everything read from a file is untrusted (docs/security.md): these turn decoding, CSV,
JSON and OS errors into :class:`~cayley.errors.InvalidInputError` with the file's name.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from pathlib import Path as FsPath
from typing import Optional, Sequence

from ..errors import InvalidInputError

__all__ = ["first_line", "inside", "read_json", "reading", "repeated_name", "unreadable"]


def repeated_name(names: Sequence[str]) -> Optional[str]:
    """The first name that appears twice, or None.

    >>> repeated_name(["a", "b", "a"]), repeated_name(["a"])
    ('a', None)
    """
    seen: set = set()
    for n in names:
        if n in seen:
            return n
        seen.add(n)
    return None


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message, at most 200 characters (for one-line errors).

    >>> first_line(ValueError("bad\\nmore"))
    'bad'
    """
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) <= 200 else line[:197] + "..."


@contextlib.contextmanager
def reading(path: os.PathLike, what: Optional[str] = None):
    """Turn what reading a text file can raise (not UTF-8, a CSV error, JSON nested too
    deeply, an OS error) into one-line :class:`~cayley.errors.InvalidInputError`.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.csv")
    >>> _ = open(p, "wb").write("a,b".encode("utf-16"))
    >>> with reading(p, "submission"):
    ...     _ = open(p, encoding="utf-8").read()
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: submission ...x.csv is UTF-16 text; save it as UTF-8
    """
    name = f"{what} {path}" if what else f"{path}"
    try:
        yield
    except (UnicodeDecodeError, csv.Error, RecursionError, OSError) as exc:
        raise InvalidInputError(unreadable(name, exc, path)) from None


def unreadable(name: str, exc: BaseException, path: Optional[os.PathLike] = None) -> str:
    """The one-line message for what reading or parsing the file ``name`` raised: a
    decoding error (UTF-16 recognised when ``path`` is given), malformed CSV or JSON,
    nesting too deep, numbers too long, an OS error.

    >>> import json
    >>> unreadable("m.json", RecursionError("maximum recursion depth exceeded"))
    'm.json: nested too deeply'
    >>> try:
    ...     json.loads("{")
    ... except ValueError as exc:
    ...     unreadable("m.json", exc)
    'm.json: not valid JSON (Expecting property name enclosed in double quotes, line 1)'
    """
    if isinstance(exc, UnicodeDecodeError):
        head = b""
        if path is not None:
            with contextlib.suppress(OSError), open(path, "rb") as f:
                head = f.read(4)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return f"{name} is UTF-16 text; save it as UTF-8"
        return f"{name} is not UTF-8 text (byte {exc.object[exc.start:exc.start + 1]!r} cannot be decoded)"
    if isinstance(exc, json.JSONDecodeError):
        return f"{name}: not valid JSON ({exc.msg}, line {exc.lineno})"
    if isinstance(exc, csv.Error):
        return f"{name}: malformed CSV ({first_line(exc)})"
    if isinstance(exc, RecursionError):
        return f"{name}: nested too deeply"
    if isinstance(exc, OSError):
        return f"cannot read {name}: {exc.strerror or first_line(exc)}"
    return f"{name}: not valid JSON ({first_line(exc)})"  # a ValueError of json.loads: numbers too long


def inside(folder: os.PathLike, name, what: str = "dataset-metadata.json") -> FsPath:
    """The file ``name`` of the dataset ``folder``, refused unless it lies inside the
    folder once every symbolic link is followed (no absolute paths, no ``..`` out of it,
    no link pointing elsewhere).

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> inside(d, "test.csv").name
    'test.csv'
    >>> inside(d, "../secret.csv")
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: dataset-metadata.json: '../secret.csv' is outside the dataset folder
    """
    if not isinstance(name, str) or not name or "\x00" in name:
        raise InvalidInputError(f"{what}: a file name must be a non-empty string, got {name!r}")
    try:
        root = FsPath(folder).resolve()
        target = (root / name).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise InvalidInputError(f"{what}: cannot resolve {name!r} ({first_line(exc)})") from None
    if os.path.isabs(name) or target == root or not target.is_relative_to(root):
        norm = os.path.normpath(name)
        if os.path.isabs(name) or norm == "." or norm.split(os.sep)[0] == "..":
            raise InvalidInputError(f"{what}: {name!r} is outside the dataset folder")
        raise InvalidInputError(f"{what}: {name!r} is a symbolic link to outside the dataset folder")
    return target



def read_json(path: FsPath):
    """Parse a JSON file; anything malformed (not UTF-8, not JSON, nested too deeply,
    numbers too long) is one-line :class:`~cayley.errors.InvalidInputError`.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.json"
    >>> _ = p.write_text('{"id": 1}'); read_json(p)
    {'id': 1}
    """
    with reading(path):
        text = path.read_text(encoding="utf-8")
        try:
            return json.loads(text)
        except ValueError as exc:  # malformed, or numbers too long
            raise InvalidInputError(unreadable(str(path), exc)) from None
