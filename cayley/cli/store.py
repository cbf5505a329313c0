"""``cayley store list|show|clear``: the results store (computed growth functions that
``growth --save``, ``conjectures check`` and ``dataset export growth`` reuse).
Parse, call :mod:`cayley.conjectures.store`, print."""

from __future__ import annotations

import json

import click

from ..errors import InvalidInputError

KEY_CHARS = 12  # keys print shortened; any unique prefix selects an entry


def _db_option(f):
    return click.option("--db", type=click.Path(dir_okay=False), default=None,
                        help="Results store file; default $XDG_DATA_HOME/cayley/results.sqlite.")(f)


def _open(db):
    """The store at --db (default path), or None when its file does not exist (nothing is created)."""
    import os

    from ..conjectures.store import ResultsStore, default_path

    path = default_path() if db is None else db
    if not os.path.exists(path):
        return None, str(path)
    return ResultsStore(path), str(path)


def _summary(entry) -> dict:
    r = entry.result
    return {
        "key": entry.key,
        "graph": r.graph.name,
        "degree": r.graph.degree,
        "size": r.size,
        "completed": r.completed,
        "diameter": r.diameter,
        "depth": r.depth,
        "last_layer_size": r.growth[-1],
        "engine": r.engine,
        "version": r.version,
        "saved_at": entry.saved_at,
        "seconds": entry.seconds,
    }


@click.group()
def store():
    """The results store: computed growth functions, reused by later commands.

    \b
    Examples:
      cayley store list
      cayley store show 3f2a9c41b0de
      cayley store clear --key 3f2a9c41b0de
      cayley store clear --all
    """


@store.command("list")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_(db, fmt):
    """Every stored result: key, graph, states, diameter, when it was saved."""
    st, path = _open(db)
    rows = [] if st is None else [_summary(e) for e in st.results()]
    if fmt == "json":
        click.echo(json.dumps({"store": path, "results": rows}))
        return
    click.echo(f"store {path}: {len(rows)} result{'s' if len(rows) != 1 else ''}"
               + ("" if st is not None else " (no file yet)"))
    if not rows:
        return
    heads = ("key", "graph", "states", "diameter", "saved")
    body = [(r["key"][:KEY_CHARS], r["graph"], f"{r['size']:,}",
             str(r["diameter"]) if r["completed"] else f">= {r['depth']} (stopped)", r["saved_at"][:19])
            for r in rows]
    widths = [max([len(h)] + [len(b[i]) for b in body]) for i, h in enumerate(heads)]
    for line in [heads] + body:
        click.echo("  ".join(v.rjust(w) if i == 2 else v.ljust(w) for i, (v, w) in enumerate(zip(line, widths)))
                   .rstrip())


def _find(st, path: str, key: str):
    hits = [] if st is None else [e for e in st.results() if e.key.startswith(key)]
    if len(hits) != 1:
        why = "no entry" if not hits else f"{len(hits)} entries (give more of the key)"
        raise InvalidInputError(f"key {key!r} matches {why} in results store {path!r}; `cayley store list` shows them")
    return hits[0]


@store.command()
@click.argument("key")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def show(key, db, fmt):
    """One stored result in full (KEY: a key, or a unique prefix of one)."""
    st, path = _open(db)
    entry = _find(st, path, key)
    d = _summary(entry)
    d["growth"] = list(entry.result.growth)
    if fmt == "json":
        click.echo(json.dumps(d))
        return
    for k, v in d.items():
        if k != "growth":
            click.echo(f"{k:<16} {v}")
    click.echo("depth  states")
    for depth, count in enumerate(d["growth"]):
        click.echo(f"{depth:5d}  {count:,}")


@store.command()
@_db_option
@click.option("--key", "keys", multiple=True, help="Remove this entry (a key or unique prefix; repeatable).")
@click.option("--all", "all_", is_flag=True, help="Remove every entry.")
def clear(db, keys, all_):
    """Remove entries (--key) or every entry (--all) from the results store."""
    if bool(keys) == all_:
        raise click.UsageError("give --key KEY (repeatable) or --all")
    st, path = _open(db)
    if st is None:
        click.echo(f"store {path}: no file, nothing to remove")
        return
    n = st.remove(None if all_ else list(keys))
    click.echo(f"store {path}: removed {n} result{'s' if n != 1 else ''}, {len(st)} left")
