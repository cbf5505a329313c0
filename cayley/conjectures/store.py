"""A results store: computed growth functions in SQLite, keyed by the graph definition.

One table of BFS results, so that a growth function computed once (``cayley growth ...
--save``, ``cayley conjectures check``) is read back instead of recomputed, and so that
other tools (dataset export) can list everything computed so far.

API
---
``ResultsStore(path=None)``
    Open (creating if needed) the store at ``path``; the default is
    :func:`default_path` (``$XDG_DATA_HOME/cayley/results.sqlite``, else
    ``~/.local/share/cayley/results.sqlite``).
``store.save(result, *, seconds=None) -> bool``
    Store a :class:`~cayley.graphs.BfsResult` (complete or not). A stored result is
    replaced only by a better one: a completed search beats a stopped one, a deeper
    stopped search beats a shallower one; otherwise the stored one is kept. Returns
    whether the store changed. ``seconds`` is the wall time to record (default
    ``result.seconds``).
``store.load(graph) -> BfsResult | None``
    The stored result for a :class:`~cayley.graphs.CayleyGraph`, or None.
``store.results() -> Iterator[StoredResult]``
    Every stored entry (oldest first): the :class:`BfsResult` plus when it was saved and
    the wall seconds.
``store.remove(keys=None) -> int``
    Delete entries by key (or unique key prefix), or all of them.
``len(store)``, ``graph in store``, ``store.path``.

Key and provenance
------------------
A graph is identified by its canonical definition: the degree, the generator arrays (in
order), their names and the start state (as dense symbol codes, as
:class:`~cayley.graphs.CayleyGraph` stores it). :func:`graph_key` is the SHA-256 of that
definition written as compact JSON; the family name and parameters are stored too (to
rebuild the :class:`~cayley.groups.GeneratorSet` with its label) but are not part of the
key, so the same generators given as a family or as explicit arrays share one entry.
Each row records the cayley version, engine, backend, BFS seconds, wall seconds, peak
memory and the UTC time it was saved.

Concurrency
-----------
The database runs in WAL mode; each operation opens its own connection with a busy
timeout, writes inside ``BEGIN IMMEDIATE`` transactions and retries on "database is
locked", so several processes can save into one file at once without losing rows.

Opening an existing file
------------------------
An existing file is first read through a read-only connection (``mode=ro``): a database
that is not a cayley results store (other tables, or a ``results`` table of another form)
or has a newer schema is refused with a :class:`StoreError` before anything is written to
it. A store whose file or folder is not writable (read-only media) opens read-only
(``store.read_only``; ``mode=ro``, else ``immutable=1``): ``load``/``results`` work and
``save`` raises :class:`StoreError`. A malformed row (bad JSON) reads as one
:class:`StoreError` naming its key.

Schema (table ``results``, one row per graph key): ``key`` (primary key), ``degree``,
``family``, ``params`` (JSON object), ``names`` (JSON list), ``generators`` (JSON list of
lists), ``start`` (JSON list), ``graph_name``, ``growth`` (JSON list), ``completed``
(0/1), ``depth``, ``diameter`` (NULL unless completed), ``size``, ``stop_reason``,
``last_layer_size``, ``last_layer`` (JSON list of states when at most
``LAST_LAYER_LIMIT`` of them, else NULL), ``engine``, ``backend``, ``version``,
``seconds``, ``bfs_seconds``, ``peak_memory_bytes``, ``saved_at`` (ISO 8601 UTC),
``kind`` (``permutation`` or ``matrix``) and ``modulus`` (matrix groups; else NULL). The
schema version is SQLite's ``user_version`` (2; a version-1 store gains the last two
columns when opened).

>>> import tempfile, os
>>> from cayley import CayleyGraph, bfs
>>> path = os.path.join(tempfile.mkdtemp(), "results.sqlite")
>>> store = ResultsStore(path)
>>> g = CayleyGraph.from_spec("S_4", "coxeter")
>>> store.load(g) is None
True
>>> store.save(bfs(g))
True
>>> r = store.load(g)
>>> r.growth, r.completed, r.diameter, r.graph == g, len(store)
((1, 3, 5, 6, 5, 3, 1), True, 6, True, 1)
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

import numpy as np

from ..errors import CayleyError, InvalidInputError

__all__ = ["ResultsStore", "StoredResult", "default_path", "graph_key", "graph_definition", "StoreError"]

SCHEMA_VERSION = 2  # 2 added the columns kind and modulus (matrix groups)
LAST_LAYER_LIMIT = 1000  # keep the last layer's states when it has at most this many
BUSY_TIMEOUT_S = 60.0
_RETRIES = 50


class StoreError(CayleyError):
    """The results store cannot be opened, read or written."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    degree INTEGER NOT NULL,
    family TEXT,
    params TEXT NOT NULL,
    names TEXT NOT NULL,
    generators TEXT NOT NULL,
    start TEXT NOT NULL,
    graph_name TEXT NOT NULL,
    growth TEXT NOT NULL,
    completed INTEGER NOT NULL,
    depth INTEGER NOT NULL,
    diameter INTEGER,
    size INTEGER NOT NULL,
    stop_reason TEXT NOT NULL,
    last_layer_size INTEGER NOT NULL,
    last_layer TEXT,
    engine TEXT NOT NULL,
    backend TEXT NOT NULL,
    version TEXT NOT NULL,
    seconds REAL NOT NULL,
    bfs_seconds REAL NOT NULL,
    peak_memory_bytes INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'permutation',
    modulus INTEGER
);
CREATE INDEX IF NOT EXISTS results_family ON results (family, degree);
"""

_COLUMNS = (
    "key", "degree", "family", "params", "names", "generators", "start", "graph_name", "growth", "completed",
    "depth", "diameter", "size", "stop_reason", "last_layer_size", "last_layer", "engine", "backend", "version",
    "seconds", "bfs_seconds", "peak_memory_bytes", "saved_at", "kind", "modulus",
)


def default_path() -> Path:
    """Where the store lives by default: ``$XDG_DATA_HOME/cayley/results.sqlite``, or
    ``~/.local/share/cayley/results.sqlite`` when ``XDG_DATA_HOME`` is unset or empty.

    >>> default_path().name
    'results.sqlite'
    """
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "cayley" / "results.sqlite"


def graph_definition(graph) -> dict:
    """The canonical definition of a graph that keys the store: degree, generator arrays,
    their names and the start state (for a matrix group also the kind and the modulus,
    with the matrices as the generator arrays).

    >>> from cayley import CayleyGraph
    >>> graph_definition(CayleyGraph.from_spec("S_3", "coxeter"))
    {'degree': 3, 'generators': [[1, 0, 2], [0, 2, 1]], 'names': ['s0', 's1'], 'start': [0, 1, 2]}
    """
    return {
        **graph.action().definition(),
        "names": list(graph.generators.names),
        "start": np.asarray(graph.start).reshape(-1).tolist(),
    }


def graph_key(graph) -> str:
    """SHA-256 (hex) of :func:`graph_definition` as compact, key-sorted JSON.

    >>> from cayley import CayleyGraph
    >>> a = CayleyGraph.from_spec("S_4", "lrx")
    >>> b = CayleyGraph.from_spec(None, "lrx:n=4")
    >>> graph_key(a) == graph_key(b), len(graph_key(a))
    (True, 64)
    >>> graph_key(a) == graph_key(CayleyGraph.from_spec("S_4", "lrx", start="0011"))
    False
    """
    text = json.dumps(graph_definition(graph), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredResult:
    """One entry of the store: the result, its key, when it was saved (ISO 8601 UTC) and
    the wall seconds recorded with it (``result.seconds`` is the BFS time)."""

    key: str
    result: "object"  # BfsResult (annotated loosely: cayley.graphs is imported lazily)
    saved_at: str
    seconds: float

    @property
    def graph(self):
        return self.result.graph


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"), default=_jsonable)


def _jsonable(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    return str(value)


def _better(new_completed: bool, new_depth: int, old_completed: bool, old_depth: int) -> bool:
    """Whether a new result should replace the stored one."""
    if old_completed:
        return False
    return new_completed or new_depth > old_depth


def _transaction(con: sqlite3.Connection, body):
    """Run ``body(con)`` in a ``BEGIN IMMEDIATE`` transaction: committed when it returns,
    rolled back when it raises; returns what ``body`` returned."""
    con.execute("BEGIN IMMEDIATE")
    try:
        out = body(con)
        con.execute("COMMIT")
        return out
    except BaseException:
        con.execute("ROLLBACK")
        raise


class ResultsStore:
    """Computed BFS results in a SQLite file (see the module docstring).

    Parameters
    ----------
    path : file path of the database; None for :func:`default_path`. Its folder is
        created if needed.

    Examples
    --------
    >>> import tempfile, os
    >>> from cayley import CayleyGraph, bfs
    >>> store = ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
    >>> g = CayleyGraph.from_spec("S_5", "lrx")
    >>> store.save(bfs(g, max_depth=3)), store.load(g).completed
    (True, False)
    >>> store.save(bfs(g)), store.load(g).diameter
    (True, 10)
    >>> store.save(bfs(g, max_depth=2)), g in store
    (False, True)
    >>> [(e.graph.name, e.result.size) for e in store.results()]
    [('S_5 lrx(k=1)', 120)]
    """

    def __init__(self, path: "str | os.PathLike | None" = None):
        self.path = Path(path) if path is not None else default_path()
        self.read_only = False  # a store on read-only media: load/results work, save refuses
        self._uri: Optional[str] = None  # the read-only URI connections use when read_only
        self._columns = _COLUMNS
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"results store path {str(self.path)!r} is a folder, expected a file")
        if self.path.exists():
            # look before writing anything: a foreign or newer database is refused untouched
            version, uri = self._inspect()
            if not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)):
                self._open_read_only(version, uri)
                return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder of results store {str(self.path)!r}: {exc.strerror}") from None
        try:
            self._retry(self._init_schema)
        except StoreError as exc:
            if "readonly" not in str(exc) or not self.path.exists():
                raise
            self._open_read_only(*self._inspect())  # the file modes said writable, the media did not

    def __repr__(self) -> str:
        return f"ResultsStore({str(self.path)!r}{', read-only' if self.read_only else ''})"

    # -- connection handling -----------------------------------------------------------
    def _file_uri(self, query: str) -> str:
        from urllib.parse import quote

        return f"file:{quote(str(self.path.resolve()))}?{query}"

    def _inspect(self) -> "tuple[int, str]":
        """Read the schema through a read-only connection (never writing to the file):
        refuse a database that is not a cayley results store, or one of a newer schema.
        Returns the schema version and the read-only URI that could read it
        (``mode=ro``, else ``immutable=1`` when even the read locks cannot be taken)."""
        last = None
        for query in ("mode=ro", "mode=ro&immutable=1"):
            uri = self._file_uri(query)
            try:
                version, objects, cols = self._retry(self._read_schema, uri)
            except StoreError as exc:
                last = exc
                if "not a usable SQLite database" in str(exc):
                    raise
                continue
            break
        else:
            raise last
        where = f"results store {str(self.path)!r}"
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{where} has schema version {version}; this cayley reads "
                f"version {SCHEMA_VERSION}: upgrade cayley or use another --db"
            )
        need = set(_COLUMNS) if version >= 2 else set(_COLUMNS) - {"kind", "modulus"}
        if objects and not (cols and need <= cols):
            names = ", ".join(sorted(objects)[:4]) + (", ..." if len(objects) > 4 else "")
            raise StoreError(
                f"{where} is not a cayley results store (it holds {names}); it was left untouched: "
                "give another --db"
            )
        return version, uri

    @staticmethod
    def _read_schema(con: sqlite3.Connection):
        version = int(con.execute("PRAGMA user_version").fetchone()[0])
        objects = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
        cols = {row[1] for row in con.execute("PRAGMA table_info(results)")}
        return version, objects, cols

    def _open_read_only(self, version: int, uri: str) -> None:
        self.read_only = True
        self._uri = uri
        if version < 2:  # a version-1 store read as it is: the matrix columns take their defaults
            self._columns = tuple(c for c in _COLUMNS if c not in ("kind", "modulus"))

    def _connect(self, uri: Optional[str] = None) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a writer takes the
        # write lock before reading what it compares against (no lost update)
        uri = uri or self._uri
        if uri is not None:
            con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        else:
            con = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        return con

    def _retry(self, op, uri: Optional[str] = None):
        """Run ``op(connection)``, retrying when another process holds a lock that the busy
        timeout did not wait out (e.g. while the file is being created or switched to WAL)."""
        delay = 0.01
        for attempt in range(_RETRIES):
            try:
                con = self._connect(uri)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open results store {str(self.path)!r}: {exc}") from None
            try:
                return op(con)
            except sqlite3.OperationalError as exc:
                msg = str(exc).lower()
                if ("locked" in msg or "busy" in msg) and attempt < _RETRIES - 1:
                    time.sleep(delay * (1 + random.random()))
                    delay = min(delay * 2, 1.0)
                    continue
                raise StoreError(f"results store {str(self.path)!r}: {exc}") from None
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"results store {str(self.path)!r} is not a usable SQLite database: {exc}") from None
            finally:
                con.close()
        raise StoreError(f"results store {str(self.path)!r} stayed locked")  # pragma: no cover

    def _init_schema(self, con: sqlite3.Connection) -> None:
        mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError("database is locked (journal mode not switched to WAL yet)")
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version == 1:  # an older store: add the matrix-group columns
            def upgrade(con):
                cols = {row[1] for row in con.execute("PRAGMA table_info(results)")}
                if "kind" not in cols:
                    con.execute("ALTER TABLE results ADD COLUMN kind TEXT NOT NULL DEFAULT 'permutation'")
                if "modulus" not in cols:
                    con.execute("ALTER TABLE results ADD COLUMN modulus INTEGER")
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

            _transaction(con, upgrade)
            version = SCHEMA_VERSION
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"results store {str(self.path)!r} has schema version {version}; this cayley reads "
                f"version {SCHEMA_VERSION}: upgrade cayley or use another --db"
            )

        def create(con):
            for statement in _SCHEMA.split(";"):  # executescript would COMMIT our transaction
                if statement.strip():
                    con.execute(statement)
            if version < SCHEMA_VERSION:
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

        _transaction(con, create)

    # -- API ---------------------------------------------------------------------------
    def save(self, result, *, seconds: Optional[float] = None) -> bool:
        """Store ``result`` (a :class:`~cayley.graphs.BfsResult`) unless a better one is
        stored already; returns whether the store changed.

        ``seconds`` is the wall time to record (default: the BFS time ``result.seconds``).
        """
        from ..graphs import BfsResult

        if not isinstance(result, BfsResult):
            raise InvalidInputError(f"ResultsStore.save expects a BfsResult, got {type(result).__name__}")
        if self.read_only:
            raise StoreError(f"results store {str(self.path)!r} is read-only (file or folder not writable): "
                             "nothing saved; give another --db")
        if seconds is not None and (not isinstance(seconds, (int, float)) or seconds < 0):
            raise InvalidInputError(f"seconds must be a number >= 0, got {seconds!r}")
        row = self._row(result, seconds)

        def op(con):
            old = con.execute("SELECT completed, depth FROM results WHERE key = ?", (row["key"],)).fetchone()
            if old is not None and not _better(result.completed, result.depth, bool(old[0]), int(old[1])):
                return False
            cols = ", ".join(_COLUMNS)
            marks = ", ".join("?" for _ in _COLUMNS)
            con.execute(f"INSERT OR REPLACE INTO results ({cols}) VALUES ({marks})", [row[c] for c in _COLUMNS])
            return True

        return self._retry(lambda con: _transaction(con, op))

    def remove(self, keys: "Optional[list[str]]" = None) -> int:
        """Delete the entries whose key starts with one of ``keys`` (a key or a unique
        prefix of one, as ``cayley store list`` prints them), or every entry when ``keys``
        is None; returns how many were deleted.

        >>> import tempfile, os
        >>> from cayley import CayleyGraph, bfs
        >>> store = ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
        >>> for spec in ("coxeter", "lrx"):
        ...     _ = store.save(bfs(CayleyGraph.from_spec("S_4", spec)))
        >>> store.remove([graph_key(CayleyGraph.from_spec("S_4", "lrx"))[:12]]), len(store)
        (1, 1)
        >>> store.remove(), len(store)
        (1, 0)
        """
        if self.read_only:
            raise StoreError(f"results store {str(self.path)!r} is read-only (file or folder not writable): "
                             "nothing removed")
        if keys is not None:
            full = [e.key for e in self.results()]
            chosen = []
            for k in keys:
                hits = [f for f in full if f.startswith(k)] if k else []
                if len(hits) != 1:
                    why = "no entry" if not hits else f"{len(hits)} entries"
                    raise InvalidInputError(f"key {k!r} matches {why} of results store {str(self.path)!r}")
                chosen.append(hits[0])

        def op(con):
            if keys is None:
                return con.execute("DELETE FROM results").rowcount
            return sum(con.execute("DELETE FROM results WHERE key = ?", (k,)).rowcount for k in set(chosen))

        return self._retry(lambda con: _transaction(con, op))

    def load(self, graph):
        """The stored :class:`~cayley.graphs.BfsResult` of ``graph`` (completed or not), or
        None when nothing is stored. Its ``graph`` is ``graph`` itself; ``layers`` is empty."""
        key = graph_key(graph)
        cols = self._columns
        row = self._retry(
            lambda con: con.execute(f"SELECT {', '.join(cols)} FROM results WHERE key = ?", (key,)).fetchone()
        )
        if row is None:
            return None
        return self._checked_entry(dict(zip(cols, row)), graph).result

    def results(self) -> Iterator[StoredResult]:
        """Every stored entry, in the order saved (oldest first)."""
        cols = self._columns
        rows = self._retry(
            lambda con: con.execute(f"SELECT {', '.join(cols)} FROM results ORDER BY rowid").fetchall()
        )
        for row in rows:
            yield self._checked_entry(dict(zip(cols, row)))

    def _checked_entry(self, row: dict, graph=None) -> StoredResult:
        """:meth:`_entry`, with a malformed row (bad JSON, wrong shapes) as one StoreError."""
        row.setdefault("kind", "permutation")
        row.setdefault("modulus", None)
        try:
            return self._entry(row, graph)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, CayleyError) as exc:
            key = str(row.get("key"))[:12]
            msg = " ".join(str(exc).split())
            msg = msg if len(msg) <= 120 else msg[:117] + "..."
            raise StoreError(f"results store {str(self.path)!r}: the row of key {key}... is malformed "
                             f"({type(exc).__name__}: {msg}); delete it or use another --db") from None

    def __len__(self) -> int:
        return int(self._retry(lambda con: con.execute("SELECT COUNT(*) FROM results").fetchone()[0]))

    def __contains__(self, graph) -> bool:
        key = graph_key(graph)
        return self._retry(lambda con: con.execute("SELECT 1 FROM results WHERE key = ?", (key,)).fetchone()) is not None

    # -- rows ----------------------------------------------------------------------------
    @staticmethod
    def _row(result, seconds: Optional[float]) -> dict:
        graph = result.graph
        gens = graph.generators
        definition = graph_definition(graph)
        last = result.last_layer
        keep_last = last is not None and len(last) <= LAST_LAYER_LIMIT
        return {
            "key": graph_key(graph),
            "degree": int(graph.degree),
            "family": gens.family,
            "params": _json(dict(gens.params)),
            "names": _json(definition["names"]),
            "generators": _json(definition["generators"]),
            "start": _json(definition["start"]),
            "kind": definition.get("kind", "permutation"),
            "modulus": definition.get("modulus"),
            "graph_name": graph.name,
            "growth": _json([int(x) for x in result.growth]),
            "completed": int(bool(result.completed)),
            "depth": int(result.depth),
            "diameter": result.diameter,
            "size": int(result.size),
            "stop_reason": str(result.stop_reason),
            "last_layer_size": int(result.growth[-1]),
            "last_layer": _json(np.asarray(last).tolist()) if keep_last else None,
            "engine": str(result.engine),
            "backend": str(result.backend),
            "version": str(result.version),
            "seconds": float(result.seconds if seconds is None else seconds),
            "bfs_seconds": float(result.seconds),
            "peak_memory_bytes": int(result.peak_memory_bytes),
            "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }

    @staticmethod
    def _entry(row: dict, graph=None) -> StoredResult:
        from ..graphs import BfsResult, CayleyGraph
        from ..groups import GeneratorSet

        if graph is None:
            params = json.loads(row["params"])
            start = np.asarray(json.loads(row["start"]), dtype=np.int64)
            if row["kind"] == "matrix":
                from ..groups.matrix import MatrixGeneratorSet

                gens = MatrixGeneratorSet.from_matrices(
                    json.loads(row["generators"]), int(row["modulus"]), json.loads(row["names"]),
                    family=row["family"], params=params,
                )
            else:
                gens = GeneratorSet.from_perms(
                    json.loads(row["generators"]), json.loads(row["names"]), family=row["family"], params=params
                )
            graph = CayleyGraph(gens, start)
        last = None
        if row["last_layer"] is not None:
            last = np.asarray(json.loads(row["last_layer"]), dtype=np.int64)
            last = last.reshape(len(last), -1) if last.size else last.reshape(0, int(row["degree"]))
        result = BfsResult(
            graph=graph,
            growth=tuple(int(x) for x in json.loads(row["growth"])),
            completed=bool(row["completed"]),
            last_layer=last,
            layers={},
            engine=row["engine"],
            backend=row["backend"],
            version=row["version"],
            seconds=float(row["bfs_seconds"]),
            peak_memory_bytes=int(row["peak_memory_bytes"]),
            stop_reason=row["stop_reason"],
        )
        return StoredResult(key=row["key"], result=result, saved_at=row["saved_at"], seconds=float(row["seconds"]))
