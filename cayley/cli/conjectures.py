"""``cayley conjectures``: the conjecture catalogue, checks against computed data, discovery.

Parse, call :mod:`cayley.conjectures`, print. Registered lazily in
``cayley.cli.main.LAZY_COMMANDS``.
"""

from __future__ import annotations

import html
import json
import sys
import time

import click

from ..conjectures.check import ns_text, range_text
from ..errors import InvalidInputError
from .options import parse_params

OUTPUT = click.Choice(["table", "json"])


def _db_option(f):
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        default=None,
        help="Results store file; default $XDG_DATA_HOME/cayley/results.sqlite.",
    )(f)


def _search_options(f):
    """--max-states, --db, --no-store and --format: the options of the commands that search."""
    f = click.option("--format", "fmt", type=OUTPUT, default="table", show_default=True)(f)
    f = click.option("--no-store", is_flag=True, help="Neither read nor write the results store.")(f)
    f = _db_option(f)
    return click.option("--max-states", type=click.IntRange(min=1), default=None,
                        help="Skip searches with more states than this (default 50,000,000).")(f)


def _catalogue(files):
    from ..conjectures.catalogue import load_catalogue

    return load_catalogue(*files)


def _record(cat, rid: str):
    if rid in cat:
        return cat[rid]
    import difflib

    close = difflib.get_close_matches(rid, list(cat), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `cayley conjectures list` shows the ids"
    raise InvalidInputError(f"no conjecture {rid!r}{hint}")


def _catalogue_option(f):
    return click.option(
        "--catalogue",
        "files",
        multiple=True,
        type=click.Path(dir_okay=False, exists=True),
        help="Extra TOML file of [[record]] tables (repeatable), read after the built-in catalogue.",
    )(f)


@click.group()
def conjectures():
    """Conjectures on diameters and growth, checked against computed data.

    \b
    Examples:
      cayley conjectures list
      cayley conjectures show lrx-diameter
      cayley conjectures check --max-n 10
      cayley conjectures discover cyclic_coxeter --param n --range 3..11
      cayley conjectures discover lrx --start alternating --range 3..32 --source reference
      cayley conjectures export --format md > conjectures.md
    """


@conjectures.command("list")
@_catalogue_option
@click.option("--topic", default=None, help="Only records of this topic (catalogue file name).")
@click.option("--status", type=click.Choice(["theorem", "conjecture", "refuted", "open"]), default=None)
@click.option("--format", "fmt", type=OUTPUT, default="table", show_default=True)
def list_(files, topic, status, fmt):
    """List the catalogue: id, status, family, invariant, formula."""
    recs = [r for r in _catalogue(files).values()
            if (topic is None or r.topic == topic) and (status is None or r.status == status)]
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in recs]))
        return
    rows = [(r.id, r.status, r.family, _invariant_text(r), f"{r.relation} {r.formula_text()}") for r in recs]
    heads = ("id", "status", "family", "invariant", "formula")
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(heads[:-1])]
    click.echo("  ".join(h.ljust(w) for h, w in zip(heads, widths)) + "  formula")
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + _short(row[-1], 70))
    click.echo(f"\n{len(rows)} records")


def _invariant_text(r) -> str:
    inv = r.invariant + (f"[{r.layer}]" if r.invariant == "layer" else "")
    if r.start != "identity":
        inv += f" from {r.start}"
    return inv


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


@conjectures.command()
@click.argument("record_id", metavar="ID")
@_catalogue_option
@click.option("--format", "fmt", type=OUTPUT, default="table", show_default=True)
def show(record_id, files, fmt):
    """Show one record in full."""
    r = _record(_catalogue(files), record_id)
    if fmt == "json":
        click.echo(json.dumps(r.to_dict()))
        return
    fields = [
        ("id", r.id), ("title", r.title), ("statement", r.statement), ("status", r.status),
        ("family", r.family + (f" {r.params}" if r.params else "") + (f" ({r.families})" if r.families else "")),
        ("start", r.start), ("invariant", _invariant_text(r)), ("formula", f"{r.relation} {r.formula_text()}"),
        ("range", range_text(r)), ("source", r.source), ("evidence", r.evidence or "-"), ("topic", r.topic),
    ]
    if r.counterexample is not None:
        fields.insert(9, ("counterexample", f"n = {r.counterexample}"))
    if r.group != "permutation":
        fields.insert(5, ("group", r.group))
    for k, v in fields:
        click.echo(f"{k:<14} {v}")


@conjectures.command()
@click.argument("record_id", metavar="[ID]", required=False)
@_catalogue_option
@click.option("--max-n", type=click.IntRange(min=1), default=10, show_default=True,
              help="Largest degree n (or modulus m, for matrix-group records) to check.")
@_search_options
@click.option("--progress/--no-progress", default=None, help="Show each search on stderr (default: when a terminal).")
def check(record_id, files, max_n, max_states, db, no_store, fmt, progress):
    """Check records (all, or ID) against computed data; exit code 1 if one fails.

    Results come from the results store when present; searches it lacks are run and stored.
    """
    from ..conjectures.store import ResultsStore

    cat = _catalogue(files)
    recs = [_record(cat, record_id)] if record_id else list(cat.values())
    store = None if no_store else ResultsStore(db)
    if progress is None:
        progress = sys.stderr.isatty()
    say = (lambda msg: click.echo(f"  {msg}", err=True)) if progress else None
    chk = _checker(store, max_states, progress=say)
    t0 = time.perf_counter()
    results = []
    width = max((len(r.id) for r in recs), default=0)
    for r in recs:
        res = chk.check(r, max_n=max_n)
        results.append(res)
        if fmt == "table":
            click.echo(f"{res.outcome.upper():<13} {r.id:<{width}} {res.message}")
    wall = time.perf_counter() - t0
    counts = {o: sum(1 for x in results if x.outcome == o) for o in ("pass", "fail", "out of range", "unsupported")}
    if fmt == "json":
        click.echo(json.dumps({
            "max_n": max_n,
            "results": [x.to_dict() for x in results],
            "counts": counts,
            "computed": chk.computed,
            "reused": chk.reused,
            "store": None if store is None else str(store.path),
            "seconds": round(wall, 3),
        }))
    else:
        click.echo(
            f"\n{counts['pass']} pass, {counts['fail']} fail, {counts['out of range']} out of range, "
            f"{counts['unsupported']} unsupported; {chk.computed} searches, {chk.reused} read from the store; "
            f"{wall:.1f} s"
        )
    if counts["fail"]:
        sys.exit(1)


def _parse_range(text: str) -> range:
    import re

    # A..B, or A-B as in `dataset export growth --families lrx@3-10`
    m = re.fullmatch(r"\s*(\d+)\s*(?:\.\.|-)\s*(\d+)\s*", text or "")
    if not m or int(m.group(1)) > int(m.group(2)):
        raise InvalidInputError(f"range {text!r} is not like 3..12 or 3-12 (A..B with A <= B)")
    return range(int(m.group(1)), int(m.group(2)) + 1)


@conjectures.command()
@click.argument("family")
@click.option("--param", default="n", show_default=True, help="The parameter that varies (the degree n).")
@click.option("--range", "range_", required=True, help="Values of the parameter, A..B (or A-B).")
@click.option("--invariant", type=click.Choice(["diameter", "last_layer_size", "order", "layer"]),
              default="diameter", show_default=True)
@click.option("--layer", type=click.IntRange(min=0), default=None, help="Depth, for --invariant layer.")
@click.option("--start", default="identity", show_default=True,
              help="identity, alternating (0101...), half (0..01..1) or a string.")
@click.option("--set", "sets", multiple=True, help="Fixed family parameter, e.g. --set k=2 (repeatable).")
@click.option("--source", type=click.Choice(["compute", "reference", "auto"]), default="compute", show_default=True,
              help="compute: the results store or a search; reference: the shipped CayleyPy rows only; "
              "auto: a reference row where there is one, else compute.")
@click.option("--holdout", type=click.IntRange(min=1), default=1, show_default=True,
              help="Held-out points each residue class must confirm.")
@click.option("--max-skip", type=click.IntRange(min=0), default=3, show_default=True,
              help="Smallest n that may be dropped as exceptions.")
@_search_options
def discover(family, param, range_, invariant, layer, start, sets, source, holdout, max_skip, max_states, db,
             no_store, fmt):
    """Fit a quasi-polynomial (period <= 6, degree <= 3) to an invariant of FAMILY.

    Prints the formula confirmed on held-out points and a ready-to-add catalogue record;
    exit code 1 when no formula is confirmed.
    """
    from ..conjectures.discover import discover as run
    from ..conjectures.store import ResultsStore

    if invariant == "layer" and layer is None:
        raise InvalidInputError("--invariant layer needs --layer K")
    ns = _parse_range(range_)
    store = None if (no_store or source == "reference") else ResultsStore(db)
    d = run(family, ns, param=param, params=parse_params(sets), invariant=invariant, start=start, layer=layer,
            source=source, checker=_checker(store, max_states), holdout=holdout, max_skip=max_skip)
    if fmt == "json":
        click.echo(json.dumps(d.to_dict()))
    else:
        vals = ", ".join(f"{k}: {v}" for k, v in sorted(d.values.items()))
        click.echo(f"data      {d.family} {d.invariant}" + (f" from {d.start}" if d.start != "identity" else "")
                   + f" ({', '.join(sorted(set(d.sources.values()))) or 'none'})")
        click.echo(f"values    {vals or '-'}")
        for k in sorted(d.skipped):
            click.echo(f"skipped   n = {k}: {d.skipped[k]}")
        f = d.fit
        if f is None:
            click.echo("formula   none found (period <= 6, degree <= 3, confirmed on held-out points)")
        else:
            click.echo(f"formula   {f.formula}   (n >= {f.n_min}; period {f.period}, degree {f.degree})")
            if f.period > 1:
                for r, e in f.cases_text():
                    click.echo(f"          n = {r} mod {f.period}: {e}")
            click.echo(f"fitted    n = {ns_text(f.fitted)}")
            click.echo(f"held out  n = {ns_text(f.held_out)} (all agree)")
            from ..conjectures.discover import toml_record

            click.echo("\n# ready to add to a catalogue file:\n" + toml_record(d), nl=False)
    if d.fit is None:
        sys.exit(1)


def _checker(store, max_states, progress=None):
    from ..conjectures.check import DEFAULT_MAX_STATES, DEFAULT_MAX_WORK, Checker

    if max_states is None:
        return Checker(store, progress=progress)
    # a larger state budget raises the work budget in proportion
    work = max(DEFAULT_MAX_WORK, DEFAULT_MAX_WORK * max_states // DEFAULT_MAX_STATES)
    return Checker(store, max_states=max_states, max_work=work, progress=progress)


@conjectures.command()
@_catalogue_option
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("--out", "-o", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of stdout.")
@click.option("--output", "output_alias", type=click.Path(dir_okay=False, writable=True), default=None, hidden=True)
def export(files, fmt, output, output_alias):
    """Render the catalogue with its evidence as a table (Markdown, HTML or JSON)."""
    if output and output_alias:
        raise click.UsageError("give --out only (--output is its old name)")
    output = output or output_alias  # --output: the old name, kept for scripts
    recs = list(_catalogue(files).values())
    if fmt == "json":
        text = json.dumps([r.to_dict() for r in recs], indent=1) + "\n"
    elif fmt == "md":
        text = _markdown(recs)
    else:
        text = _html(recs)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise InvalidInputError(f"cannot write {output!r}: {exc.strerror}") from None
    else:
        click.echo(text, nl=False)


_COLUMNS = ("id", "status", "family", "invariant", "claim", "range", "source", "evidence")


def _cells(r) -> dict:
    fam = r.family if r.family != "*" else f"all {r.families}"
    if r.params:
        fam += " (" + ", ".join(f"{k}={v}" for k, v in r.params.items()) + ")"
    return {
        "id": r.id,
        "status": r.status + (f" (counterexample n = {r.counterexample})" if r.counterexample else ""),
        "family": fam,
        "invariant": _invariant_text(r),
        "claim": f"{r.relation} {r.formula_text()}",
        "range": range_text(r),
        "source": r.source,
        "evidence": r.evidence or "-",
    }


def _markdown(recs) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    lines = [
        "# cayley conjecture catalogue",
        "",
        f"{len(recs)} records. Checked with `cayley conjectures check`; regenerate with "
        "`cayley conjectures export --format md`.",
        "",
        "| " + " | ".join(_COLUMNS) + " |",
        "|" + "|".join("---" for _ in _COLUMNS) + "|",
    ]
    for r in recs:
        c = _cells(r)
        c["id"] = f"**{c['id']}**<br>{r.title}"
        lines.append("| " + " | ".join(esc(c[k]) for k in _COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def _html(recs) -> str:
    e = html.escape
    head = "".join(f"<th>{e(k)}</th>" for k in _COLUMNS)
    rows = []
    for r in recs:
        c = _cells(r)
        cells = [f'<td><b id="{e(r.id)}">{e(r.id)}</b><br><small>{e(r.title)}</small><br>{e(r.statement)}</td>']
        cells += [f'<td class="{e(r.status)}">{e(c["status"])}</td>' if k == "status" else f"<td>{e(c[k])}</td>"
                  for k in _COLUMNS[1:]]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    style = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:90%}"
             "th{background:#eee;position:sticky;top:0}.theorem{color:#064}.conjecture{color:#036}"
             ".refuted{color:#a00}.open{color:#850}")
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>cayley conjecture catalogue</title>"
        f"<style>{style}</style></head>\n<body><h1>cayley conjecture catalogue</h1>"
        f"<p>{len(recs)} records, checked with <code>cayley conjectures check</code>.</p>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table></body></html>\n"
    )
