"""What every export shares: typed columns, CSV cells, the Kaggle metadata file, the README
card, and reading a folder back (:func:`load`).

One registry, :data:`COLUMNS`, says for each column name how its cells are written and
read, its Kaggle type and its description; the writers, the metadata's ``schema.fields``,
the README's column table and :func:`load` all read it, so they cannot disagree.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path as FsPath
from typing import Any, Iterable, Optional, Sequence

import numpy as np

from ..errors import InvalidInputError
from .files import first_line, inside, read_json, reading, repeated_name

__all__ = [
    "Column",
    "COLUMNS",
    "KAGGLE_LICENSES",
    "KAGGLE_TYPES",
    "Dataset",
    "load",
    "kaggle_metadata",
    "validate_metadata",
    "inside",
    "reading",
    "ExportFolder",
]


# -------------------------------------------------------------------------------------
# columns and cells
# -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A column of an exported table.

    ``kind`` says how a cell is written and read: ``int``, ``float``, ``bool``, ``str``,
    ``state`` (symbols joined by commas, ``"3,1,0,2"``), ``path`` (move names joined by
    ``"."``; empty for no moves), ``ints`` (a JSON list, ``"[1, 3, 6]"``) or ``json``
    (a JSON object). An empty cell reads as None (unknown), except a ``path`` (no moves).
    """

    name: str
    kind: str
    description: str

    @property
    def kaggle_type(self) -> str:
        return KAGGLE_TYPES[self.kind]


# Kaggle's column types (docs/datasets_metadata.md of the Kaggle API)
KAGGLE_TYPES = {
    "int": "integer",
    "float": "numeric",
    "bool": "boolean",
    "str": "string",
    "state": "string",
    "path": "string",
    "ints": "string",
    "json": "string",
}

def _registered_columns() -> list[Column]:
    """The registry's rows, in order, from the package's ``data/dataset_columns.csv``
    (``name, kind, description``: one line a column, so the table reads as a table)."""
    text = (resources.files("cayley") / "data" / "dataset_columns.csv").read_text(encoding="utf-8")
    return [Column(r["name"], r["kind"], r["description"]) for r in csv.DictReader(io.StringIO(text))]


#: Every column an export may write, by name (see :class:`Column`).
COLUMNS: dict[str, Column] = {c.name: c for c in _registered_columns()}


def column(name: str, description: Optional[str] = None) -> Column:
    """The registered column ``name`` (optionally with another description)."""
    c = COLUMNS[name]
    return c if description is None else Column(c.name, c.kind, description)


def format_state(state) -> str:
    """A state as symbols joined by commas.

    >>> format_state(np.array([3, 1, 0, 2]))
    '3,1,0,2'
    """
    return ",".join(str(int(x)) for x in np.asarray(state).reshape(-1))


def parse_state_cell(text: str) -> tuple[int, ...]:
    """Inverse of :func:`format_state`; brackets and spaces are tolerated.

    >>> parse_state_cell("[3, 1, 0, 2]")
    (3, 1, 0, 2)
    """
    t = text.strip().strip("[]")
    return tuple(int(x) for x in re.split(r"[,\s]+", t) if x)


def _write_cell(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == "state":
        return format_state(value)
    if kind == "path":
        return ".".join(value) if not isinstance(value, str) else value
    if kind == "ints":
        return json.dumps([int(x) for x in value])
    if kind == "json":
        return json.dumps(value)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "float":
        return repr(float(value))
    if kind == "int":
        return str(int(value))
    return str(value)


def _read_cell(kind: str, text: str):
    if kind == "path":
        return tuple(text.split(".")) if text else ()
    if text == "":
        return None
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "bool":
        low = text.strip().lower()
        if low not in ("true", "false", "1", "0"):
            raise InvalidInputError(f"{text!r} is not a boolean (true or false)")
        return low in ("true", "1")
    if kind == "state":
        return parse_state_cell(text)
    if kind == "ints":
        return tuple(int(x) for x in json.loads(text))
    if kind == "json":
        return json.loads(text)
    return text  # str


def write_table(path: os.PathLike, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """Write a CSV with a header; returns the number of data rows."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([c.name for c in columns])
        for row in rows:
            w.writerow([_write_cell(c.kind, v) for c, v in zip(columns, row)])
            count += 1
    return count


def read_table(path: os.PathLike) -> list[dict]:
    """Read a CSV written by :func:`write_table`: one dict per row, cells typed by
    :data:`COLUMNS` (unregistered columns stay strings).

    Raises
    ------
    InvalidInputError
        One line naming the file and line for anything malformed: not UTF-8, a CSV error,
        a repeated column, a row with more fields than the header, a cell of the wrong type.
    """
    with reading(path), open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None) or []
        dup = repeated_name(header)
        if dup is not None:
            raise InvalidInputError(f"{path}: column {dup!r} appears twice in the header")
        kinds = [COLUMNS[name].kind if name in COLUMNS else "str" for name in header]
        rows = []
        for rec in reader:
            if not rec:
                continue
            if len(rec) > len(header):
                raise InvalidInputError(f"{path}: line {reader.line_num}: {len(rec)} fields, the header has "
                                        f"{len(header)}")
            rec = rec + [""] * (len(header) - len(rec))
            try:
                rows.append({k: _read_cell(kind, v) for k, kind, v in zip(header, kinds, rec)})
            except (ValueError, TypeError, RecursionError) as exc:
                what = "nested too deeply" if isinstance(exc, RecursionError) else first_line(exc)
                raise InvalidInputError(f"{path}: line {reader.line_num}: {what}") from None
    return rows


# -------------------------------------------------------------------------------------
# Kaggle metadata (dataset-metadata.json)
# -------------------------------------------------------------------------------------
# the license names the Kaggle API accepts (docs/datasets_metadata.md)
KAGGLE_LICENSES = (
    "CC0-1.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "GPL-2.0", "ODbL-1.0", "DbCL-1.0",
    "copyright-authors", "other", "unknown", "CC-BY-4.0", "CC-BY-NC-4.0", "PDDL", "CC-BY-3.0",
    "CC-BY-3.0-IGO", "US-Government-Works", "CC-BY-NC-SA-3.0-IGO", "CDLA-Permissive-1.0",
    "CDLA-Sharing-1.0", "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "ODC-BY-1.0", "LGPL-3.0", "AGPL-3.0",
    "FDL-1.3", "EU-ODP-Legal-Notice", "apache-2.0", "GPL-3.0",
)
_KAGGLE_FIELD_TYPES = (
    "string", "boolean", "numeric", "datetime", "id", "uuid", "latitude", "longitude", "coordinates",
    "country", "province", "postalcode", "address", "email", "url", "integer", "decimal", "city",
)
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


def slugify(text: str, *, limit: int = 50) -> str:
    """A Kaggle dataset slug: lowercase letters, digits and hyphens.

    >>> slugify("Cayley S_16 lrx(k=1): paths")
    'cayley-s-16-lrx-k-1-paths'
    """
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:limit].strip("-")


def validate_metadata(meta: dict, folder: Optional[os.PathLike] = None) -> None:
    """Check a ``dataset-metadata.json`` object against what ``kaggle datasets create``
    requires: a title of 6 to 50 characters, an ``id`` ``owner/slug`` with a slug of 6 to
    50 lowercase letters, digits and hyphens, exactly one license with a name Kaggle knows,
    a subtitle (if any) of 20 to 80 characters, and resources (if any) naming distinct
    files (present in ``folder`` when given) with schema fields of Kaggle types.

    Raises
    ------
    InvalidInputError
        Naming the first field that fails.

    Examples
    --------
    >>> validate_metadata({"title": "Pancake paths", "id": "me/pancake-paths", "licenses": [{"name": "CC0-1.0"}]})
    >>> validate_metadata({"title": "Pancake paths", "id": "pancake-paths", "licenses": [{"name": "CC0-1.0"}]})
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: dataset-metadata.json: id 'pancake-paths' must be owner/slug
    """
    where = "dataset-metadata.json"
    if not isinstance(meta, dict):
        raise InvalidInputError(f"{where}: expected a JSON object, got {type(meta).__name__}")
    for key in ("title", "id", "licenses"):
        if key not in meta:
            raise InvalidInputError(f"{where}: missing required field {key!r}")
    title = meta["title"]
    if not isinstance(title, str) or not 6 <= len(title) <= 50:
        raise InvalidInputError(f"{where}: title {title!r} must be a string of 6 to 50 characters")
    ref = meta["id"]
    parts = ref.split("/") if isinstance(ref, str) else []
    if len(parts) != 2 or not parts[0]:
        raise InvalidInputError(f"{where}: id {ref!r} must be owner/slug")
    slug = parts[1]
    if not 6 <= len(slug) <= 50 or not _SLUG.fullmatch(slug):
        raise InvalidInputError(
            f"{where}: slug {slug!r} must have 6 to 50 characters: lowercase letters, digits and hyphens"
        )
    if slug == "INSERT_SLUG_HERE" or title == "INSERT_TITLE_HERE":
        raise InvalidInputError(f"{where}: replace the placeholder title and slug")
    lic = meta["licenses"]
    if not isinstance(lic, list) or len(lic) != 1 or not isinstance(lic[0], dict) or "name" not in lic[0]:
        raise InvalidInputError(f"{where}: licenses must hold exactly one {{\"name\": ...}}, got {lic!r}")
    if lic[0]["name"] not in KAGGLE_LICENSES:
        raise InvalidInputError(
            f"{where}: unknown license {lic[0]['name']!r}; Kaggle accepts {', '.join(KAGGLE_LICENSES)}"
        )
    sub = meta.get("subtitle")
    if sub is not None and (not isinstance(sub, str) or not 20 <= len(sub) <= 80):
        raise InvalidInputError(f"{where}: subtitle {sub!r} must be a string of 20 to 80 characters")
    if "description" in meta and not isinstance(meta["description"], str):
        raise InvalidInputError(f"{where}: description must be a string")
    resources = meta.get("resources", [])
    if not isinstance(resources, list):
        raise InvalidInputError(f"{where}: resources must be a list")
    owned = meta.get(CAYLEY_FILES, [])
    if not isinstance(owned, list) or not all(isinstance(x, str) for x in owned):
        raise InvalidInputError(f"{where}: {CAYLEY_FILES} must be a list of file names")
    seen = set()
    for r in resources:
        path = r.get("path") if isinstance(r, dict) else None
        if not isinstance(path, str) or not path:
            raise InvalidInputError(f"{where}: every resource needs a path, got {r!r}")
        if path in seen:
            raise InvalidInputError(f"{where}: resource {path!r} is listed twice")
        seen.add(path)
        if folder is not None and not inside(folder, path, where).is_file():
            raise InvalidInputError(f"{where}: resource {path!r} is not a file in {folder}")
        schema = r.get("schema", {})
        fields = schema.get("fields", []) if isinstance(schema, dict) else None
        if not isinstance(fields, list):
            raise InvalidInputError(f"{where}: {path}: schema must be {{\"fields\": [...]}}")
        for fdef in fields:
            if not isinstance(fdef, dict) or not isinstance(fdef.get("name"), str):
                raise InvalidInputError(f"{where}: {path}: every schema field needs a name, got {fdef!r}")
            if fdef.get("type", "string") not in _KAGGLE_FIELD_TYPES:
                raise InvalidInputError(
                    f"{where}: {path}: field {fdef['name']!r} has unknown type {fdef.get('type')!r}"
                )
        if fields and folder is not None and path.endswith(".csv"):
            # Kaggle matches fields to columns by position: they must list every column, in order
            file = inside(folder, path, where)
            with reading(file), open(file, newline="", encoding="utf-8") as f:
                header = next(csv.reader(f), [])
            if header != [fd["name"] for fd in fields]:
                raise InvalidInputError(f"{where}: {path}: schema fields {[fd['name'] for fd in fields]} "
                                        f"do not match the columns {header}")


@dataclass
class Resource:
    """A file of an export: its description and, for tables, its columns."""

    path: str
    description: str
    columns: Optional[Sequence[Column]] = None

    def to_json(self) -> dict:
        d: dict = {"path": self.path, "description": self.description}
        if self.columns is not None:
            d["schema"] = {
                "fields": [{"name": c.name, "description": c.description, "type": c.kaggle_type} for c in self.columns]
            }
        return d


def kaggle_metadata(
    *, title: str, dataset_id: Optional[str], subtitle: str, description: str, license: str,
    resources: Sequence[Resource], keywords: Sequence[str] = (),
) -> dict:
    """The ``dataset-metadata.json`` object (validated); ``dataset_id`` defaults to
    ``OWNER/<slug of the title>`` with OWNER the ``KAGGLE_USERNAME`` environment variable
    (which the Kaggle API reads too), else ``cayley``."""
    title = title if len(title) <= 50 else title[:47].rstrip() + "..."
    if len(title) < 6:
        title = f"cayley {title}"
    if dataset_id is None:
        slug = slugify(title)
        owner = os.environ.get("KAGGLE_USERNAME") or "cayley"
        dataset_id = f"{owner}/{slug if len(slug) >= 6 else 'cayley-' + slug}"
    if len(subtitle) > 80:
        subtitle = subtitle[:77].rstrip() + "..."
    meta = {
        "title": title,
        "id": dataset_id,
        "subtitle": subtitle if len(subtitle) >= 20 else f"{subtitle} (made with cayley)",
        "description": description,
        "licenses": [{"name": license}],
        "resources": [r.to_json() for r in resources],
    }
    if keywords:
        meta["keywords"] = list(keywords)
    validate_metadata(meta)
    return meta


# -------------------------------------------------------------------------------------
# README card and folder writing
# -------------------------------------------------------------------------------------
def readme_card(
    *, title: str, what: str, how: str, command: str, python: str, resources: Sequence[Resource],
    facts: Sequence[tuple[str, str]] = (),
) -> str:
    """The dataset card: what it is, how it was made, the exact command, its files and
    columns."""
    from .. import __version__

    out = [f"# {title}", "", what, "", "## How it was generated", "", how, "",
           f"Made with cayley {__version__}. The exact command:", "", "```bash", command, "```", "",
           "or, in Python:", "", "```python", python, "```", ""]
    if facts:
        out += ["## Summary", "", "| | |", "| --- | --- |"]
        out += [f"| {k} | {v} |" for k, v in facts]
        out.append("")
    out += ["## Files", ""]
    for r in resources:
        out.append(f"- `{r.path}`: {r.description}")
    for r in resources:
        if not r.columns:
            continue
        out += ["", f"### Columns of `{r.path}`", "", "| column | type | description |", "| --- | --- | --- |"]
        out += [f"| `{c.name}` | {c.kaggle_type} | {c.description} |" for c in r.columns]
    out.append("")
    return "\n".join(out)


def write_json(path: os.PathLike, obj) -> None:
    """Indented JSON with lists of numbers kept on one line (states, permutations)."""
    text = json.dumps(obj, indent=2)
    text = re.sub(r"\[\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*\]", lambda m: "[" + ", ".join(
        x.strip() for x in m.group(1).split(",")) + "]", text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")


def reproduce(command: Sequence[str], function: str, positional: Sequence, options: Sequence[tuple]) -> tuple[str, str]:
    """The shell command and the Python call that make an export again.

    ``positional`` holds ``(flag, value)`` for the function's positional arguments (flag
    None: positional on the command line too); ``options`` holds ``(flag, keyword, value,
    default)``; options at their default are left out and True/False flags become
    ``--flag`` / ``--no-flag``.

    >>> cmd, call = reproduce(["cayley", "x"], "f", [(None, "S_4")], [("--count", "count", 3, None),
    ...                                                             ("--exact", "exact", False, True)])
    >>> print(cmd); print(call)
    cayley x S_4 --count 3 --no-exact
    f('S_4', count=3, exact=False)
    """
    import shlex

    args = list(command)
    for flag, value in positional:
        args += [str(value)] if flag is None else [flag, str(value)]
    kwargs = []
    for flag, keyword, value, default in options:
        if value is None or value == default:
            continue
        if isinstance(value, bool):
            args.append(flag if value else "--no-" + flag[2:])
        elif isinstance(value, (list, tuple)):
            for v in value:
                args += [flag, str(v)]
        else:
            args += [flag, str(value)]
        if keyword is not None:
            kwargs.append(f"{keyword}={value!r}")
    cmd = " ".join(shlex.quote(a) for a in args)
    call = f"{function}(" + ", ".join([repr(v) for _, v in positional] + kwargs) + ")"
    return cmd, call


# every file an export writes
EXPORT_FILES = ("dataset-metadata.json", "README.md", "puzzle_info.json", "test.csv", "sample_submission.csv",
                "solutions.csv", "walks.csv", "growth.csv", "growth.parquet")
# the field of dataset-metadata.json listing the files cayley wrote (the only ones --overwrite replaces)
CAYLEY_FILES = "cayley_files"
_STAGE_PREFIX = ".cayley-export-"


class ExportFolder:
    """An export being written: files go to a hidden staging folder inside ``out``
    (``folder / "test.csv"`` is the staged path) and :meth:`commit` moves each into place
    with an atomic rename, ``dataset-metadata.json`` last. Used as a context manager, an
    export that fails leaves ``out`` as it was.

    ``out`` must be empty or new unless ``overwrite``; then it may hold other files, which
    are kept, but only the files an earlier cayley export listed under ``cayley_files`` in
    its ``dataset-metadata.json`` are replaced or removed: any other file under an export
    file's name (a user's ``README.md`` or ``test.csv``) is refused.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "test.csv"), "w").write("mine")
    >>> ExportFolder(d, overwrite=False)
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: '...' is not empty (it holds test.csv); ...
    >>> ExportFolder(d, overwrite=True)
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: '...': will not replace test.csv, which no cayley export wrote ...
    """

    def __init__(self, out: os.PathLike, overwrite: bool):
        self.out = FsPath(out)
        self.stage: Optional[FsPath] = None
        self.names: list[str] = []
        self._created = False
        self.owned: set[str] = set()
        p = self.out
        if p.exists() and not p.is_dir():
            raise InvalidInputError(f"output {str(p)!r} exists and is not a folder")
        if not p.is_dir():
            return
        entries = sorted(e.name for e in p.iterdir())
        if not entries:
            return
        if not overwrite:
            if os.path.lexists(p / "dataset-metadata.json"):
                raise InvalidInputError(
                    f"{str(p)!r} already holds a dataset; pass overwrite=True (--overwrite) to replace it")
            shown = ", ".join(entries[:3]) + (f" and {len(entries) - 3} more" if len(entries) > 3 else "")
            raise InvalidInputError(f"{str(p)!r} is not empty (it holds {shown}); choose a new or empty folder, "
                                    "or pass overwrite=True (--overwrite) to write beside those files")
        self.owned = _cayley_files(p)
        self._refuse_foreign(EXPORT_FILES)

    def _refuse_foreign(self, names) -> None:
        foreign = [n for n in names if n not in self.owned and os.path.lexists(self.out / n)]
        if foreign:
            it = "it" if len(foreign) == 1 else "them"
            raise InvalidInputError(
                f"{str(self.out)!r}: will not replace {', '.join(foreign)}, which no cayley export wrote "
                f"(dataset-metadata.json lists cayley's files under {CAYLEY_FILES}); move {it} or choose "
                "another folder"
            )

    def __truediv__(self, name: str) -> FsPath:
        """The staged path of the export file ``name`` (created on first use)."""
        if name not in EXPORT_FILES:
            raise ValueError(f"internal error: {name!r} is not an export file")
        if self.stage is None:
            if not self.out.is_dir():
                self.out.mkdir(parents=True, exist_ok=True)
                self._created = True
            self.stage = FsPath(tempfile.mkdtemp(prefix=_STAGE_PREFIX, dir=self.out))
        if name not in self.names:
            self.names.append(name)
        return self.stage / name

    def written(self) -> list[str]:
        """The files staged so far, in the order they were written."""
        return [n for n in self.names if self.stage is not None and (self.stage / n).is_file()]

    def commit(self) -> None:
        """Move the staged files into ``out`` (``dataset-metadata.json`` last) and remove
        the files of the earlier cayley export that this one does not write."""
        names = self.written()
        self._refuse_foreign(names)  # checked again: the folder may have changed meanwhile
        names.sort(key=lambda n: n == "dataset-metadata.json")
        for n in names:
            os.replace(self.stage / n, self.out / n)
        for n in sorted(self.owned - set(names)):
            q = self.out / n
            if q.is_file() and not q.is_symlink():
                q.unlink()
        self._drop_stage()

    def discard(self) -> None:
        """Forget the staged files; ``out`` is left as it was."""
        self._drop_stage()
        if self._created:
            with contextlib.suppress(OSError):
                self.out.rmdir()  # only when still empty

    def _drop_stage(self) -> None:
        if self.stage is not None:
            shutil.rmtree(self.stage, ignore_errors=True)
            self.stage = None

    def __enter__(self) -> "ExportFolder":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None or self.stage is not None:
            self.discard()


def _cayley_files(folder: FsPath) -> set[str]:
    """The export files of ``folder`` that an earlier cayley export wrote (its
    ``dataset-metadata.json`` lists them under ``cayley_files``); regular files only."""
    meta_file = folder / "dataset-metadata.json"
    if meta_file.is_symlink() or not meta_file.is_file():
        return set()
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (ValueError, RecursionError, OSError):
        return set()
    names = meta.get(CAYLEY_FILES) if isinstance(meta, dict) else None
    if not isinstance(names, list):
        return set()
    return {n for n in names if isinstance(n, str) and n in EXPORT_FILES
            and not (folder / n).is_symlink() and (folder / n).is_file()}


def prepare_folder(out: os.PathLike, overwrite: bool) -> ExportFolder:
    """Check ``out`` and start an export there (see :class:`ExportFolder`): refused when it
    is not empty unless ``overwrite``, and then when a file under an export file's name
    was not written by cayley."""
    return ExportFolder(out, overwrite)


def finish_folder(
    out: ExportFolder, *, title: str, dataset_id: Optional[str], subtitle: str, license: str,
    resources: list[Resource], what: str, how: str, command: str, python: str,
    facts: Sequence[tuple[str, str]], keywords: Sequence[str],
) -> dict:
    """Write README.md and dataset-metadata.json (whose description is the card, and whose
    ``cayley_files`` lists every file of the export), then move the export into place."""
    all_resources = resources + [Resource("README.md", "Dataset card: what, how it was generated, columns.")]
    card = readme_card(title=title, what=what, how=how, command=command, python=python,
                       resources=all_resources, facts=facts)
    with open(out / "README.md", "w", encoding="utf-8") as f:
        f.write(card)
    meta = kaggle_metadata(title=title, dataset_id=dataset_id, subtitle=subtitle, description=card,
                           license=license, resources=all_resources, keywords=keywords)
    meta[CAYLEY_FILES] = sorted(set(out.written()) | {"dataset-metadata.json"})
    write_json(out / "dataset-metadata.json", meta)
    validate_metadata(meta, out.stage)
    out.commit()
    return meta


def check_license(license: str) -> None:
    if license not in KAGGLE_LICENSES:
        raise InvalidInputError(f"unknown license {license!r}; Kaggle accepts {', '.join(KAGGLE_LICENSES)}")


def check_dataset_id(dataset_id: Optional[str]) -> None:
    if dataset_id is None:
        return
    parts = dataset_id.split("/")
    if len(parts) != 2 or not parts[0] or not 6 <= len(parts[1]) <= 50 or not _SLUG.fullmatch(parts[1]):
        raise InvalidInputError(
            f"dataset id {dataset_id!r} must be owner/slug, the slug 6 to 50 lowercase letters, digits and hyphens"
        )


# -------------------------------------------------------------------------------------
# reading back
# -------------------------------------------------------------------------------------
@dataclass
class Dataset:
    """An exported folder read back by :func:`load`.

    ``kind`` is ``"paths"``, ``"walks"`` or ``"growth"``; ``tables`` maps each CSV's name
    without ``.csv`` to its rows (dicts with typed cells, see :data:`COLUMNS`);
    ``puzzle_info`` is the parsed ``puzzle_info.json`` (paths and walks) and ``metadata``
    the parsed ``dataset-metadata.json``.
    """

    path: FsPath
    kind: str
    metadata: dict
    tables: dict[str, list[dict]] = field(default_factory=dict)
    puzzle_info: Optional[dict] = None

    def __getitem__(self, name: str) -> list[dict]:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"no table {name!r}; tables are {sorted(self.tables)}") from None


def load(folder: os.PathLike) -> Dataset:
    """Read an exported dataset folder: every CSV listed in its ``dataset-metadata.json``,
    with typed cells, and ``puzzle_info.json`` when present.

    Examples
    --------
    >>> import tempfile
    >>> from cayley.datasets import export_paths
    >>> d = tempfile.mkdtemp()
    >>> _ = export_paths("S_5", "lrx", count=3, scramble_length=4, seed=0, out=d)
    >>> ds = load(d)
    >>> ds.kind, sorted(ds.tables), len(ds["test"])
    ('paths', ['sample_submission', 'solutions', 'test'], 3)
    >>> ds["test"][0]["initial_state"]
    (4, 0, 1, 2, 3)
    """
    p = FsPath(folder)
    if not os.path.lexists(p / "dataset-metadata.json"):
        raise InvalidInputError(f"{str(p)!r} is not an exported dataset: no dataset-metadata.json")
    meta_file = inside(p, "dataset-metadata.json", str(p))
    if not meta_file.is_file():
        raise InvalidInputError(f"{str(p)!r} is not an exported dataset: no dataset-metadata.json")
    meta = read_json(meta_file)
    if not isinstance(meta, dict):
        raise InvalidInputError(f"{meta_file}: expected a JSON object, got {type(meta).__name__}")
    resources = meta.get("resources", [])
    if not isinstance(resources, list):
        raise InvalidInputError(f"{meta_file}: resources must be a list")
    tables = {}
    for r in resources:
        path = r.get("path") if isinstance(r, dict) else None
        if not isinstance(path, str) or not path:
            raise InvalidInputError(f"{meta_file}: every resource needs a path, got {r!r}")
        file = inside(p, path)
        if path.endswith(".csv"):
            if not file.is_file():
                raise InvalidInputError(f"{str(p)!r}: {path} is listed in dataset-metadata.json but missing")
            tables[path[: -len(".csv")]] = read_table(file)
    info = None
    if os.path.lexists(p / "puzzle_info.json"):
        info_file = inside(p, "puzzle_info.json", str(p))
        info = read_json(info_file) if info_file.is_file() else None
    if "growth" in tables:
        kind = "growth"
    elif "walks" in tables:
        kind = "walks"
    elif info is not None:
        kind = "paths"
    else:
        raise InvalidInputError(f"{str(p)!r}: no growth.csv, walks.csv or puzzle_info.json; not a cayley export")
    return Dataset(p, kind, meta, tables, info)
