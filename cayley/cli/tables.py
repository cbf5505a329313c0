"""``cayley tables``: growth tables past the published ones (see
:mod:`cayley.conjectures.campaign`)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..conjectures.campaign import PUBLISHED, extend_tables


@click.group()
def tables():
    """Growth tables past the published ones: compute, verify, record."""


def _duration(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600}
    t = text.strip().lower()
    try:
        if t and t[-1] in units:
            return float(t[:-1]) * units[t[-1]]
        return float(t)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a duration (e.g. 90, 30m, 2h)") from None


@tables.command("extend")
@click.argument("families", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every family with a known published table.")
@click.option("--count", type=click.IntRange(1, 20), default=2, show_default=True,
              help="Degrees to compute past the last published one.")
@click.option("--after", type=click.IntRange(1), default=None,
              help="Start after this degree instead of the published table's last.")
@click.option("--folder", type=click.Path(file_okay=False), default="cayley-tables", show_default=True,
              help="Campaign folder: checkpoints and rows.jsonl (rerun to resume).")
@click.option("--row-time", default="30m", show_default=True, help="Time limit of one row's search (e.g. 90, 30m).")
@click.option("--budget", default=None, help="Time limit of the whole campaign (e.g. 2h).")
@click.option("--memory-limit", default=None, help="Refuse rows whose estimated peak exceeds this (e.g. 12G).")
@click.option("--engine", type=click.Choice(["auto", "hash", "rank"]), default="auto", show_default=True)
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Results store file for the rows (default: the user's store).")
@click.option("--verify-states", type=click.IntRange(0), default=20_000_000, show_default=True,
              help="Recompute rows of at most this many states with the other engine.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def extend(families, every, count, after, folder, row_time, budget, memory_limit, engine, db, verify_states, fmt):
    """Compute FAMILIES past their published growth tables, checking each row.

    \b
      $ cayley tables extend larx stars --count 2 --row-time 30m
      $ cayley tables extend --all --budget 4h --memory-limit 12G

    Each search runs in a child process with a checkpoint under --folder: a row that runs
    out of time (or a killed campaign) resumes on the next run.
    """
    names = sorted(PUBLISHED) if every else list(families)
    if not names:
        raise click.UsageError("name one or more families, or pass --all")
    row_seconds = _duration(row_time)
    budget_seconds = _duration(budget) if budget else None

    def started(family, n):
        click.echo(f"{family} n={n}: computing", err=True)

    rows = []
    for row in extend_tables(
        names, folder=folder, count=count, after=after, seconds_per_row=row_seconds, budget_seconds=budget_seconds,
        memory_limit=memory_limit, engine=engine, db=db, verify_states=verify_states, on_row=started,
    ):
        rows.append(row)
        if fmt == "table":
            click.echo(_line(row))
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in rows], indent=1))
    elif fmt == "markdown":
        click.echo(markdown(rows))


def _line(row) -> str:
    if row.status in ("new", "stored"):
        mark = "verified" if row.verified else "CHECK FAILED"
        return (f"{row.label:24s} n={row.n:<3d} {row.status:6s} states {row.states:,}  diameter {row.diameter}  "
                f"last layer {row.last_layer_size:,}  {row.engine}/{row.backend} {row.seconds:.1f} s  {mark}")
    return f"{row.label:24s} n={row.n:<3d} {row.status:6s} {row.message}"


def markdown(rows) -> str:
    """The finished rows as a Markdown table (family, n, states, diameter, last layer,
    how it was verified)."""
    out = ["| family | n | states | diameter | last layer | growth | seconds | verified by |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.status not in ("new", "stored"):
            continue
        how = [k for k in ("order", "second_route", "reference") if r.checks.get(k) is True]
        by = ", ".join("second route: " + r.checks.get("second_route_by", "") if k == "second_route" else
                       ("group order" if k == "order" else r.checks.get("reference_by", "")) for k in how)
        out.append(f"| {r.label} | {r.n} | {r.states:,} | {r.diameter} | {r.last_layer_size:,} | "
                   f"{' '.join(map(str, r.growth))} | {r.seconds:.1f} | {by or 'layer checks only'} |")
    return "\n".join(out)


@tables.command("show")
@click.option("--folder", type=click.Path(file_okay=False, exists=True), default=None,
              help="Campaign folder (default: cayley-tables).")
@click.option("--shipped", is_flag=True, help="The rows past the published tables that ship with cayley.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def show(folder, shipped, fmt):
    """The rows a campaign folder holds (or, with --shipped, those cayley ships).

    \b
      $ cayley tables show --shipped --format markdown
    """
    from ..conjectures.campaign import read_rows, shipped_rows

    if shipped and folder:
        raise click.UsageError("--shipped and --folder exclude each other")
    if shipped:
        rows = shipped_rows()
    else:
        folder = folder or "cayley-tables"
        if not Path(folder).is_dir():
            raise click.BadParameter(f"no campaign folder {folder!r}", param_hint="--folder")
        rows = read_rows(Path(folder) / "rows.jsonl")
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in rows], indent=1))
    elif fmt == "markdown":
        click.echo(markdown(rows))
    else:
        for r in rows:
            click.echo(_line(r))
