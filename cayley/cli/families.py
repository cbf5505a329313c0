"""``cayley families [NAME]``: the named generator families, and one family's parameters,
valid degrees and generators (cycles, one-line, GAP or JSON). Parse, call cayley.groups, print."""

from __future__ import annotations

import json
import textwrap
from typing import Optional

import click

from ..errors import InvalidInputError
from .options import parse_params

WIDTH = 100  # the table fits a terminal of this many columns


def _params_text(fam, skip_degree: bool = True) -> str:
    params = fam.params[1:] if skip_degree else fam.params
    return ", ".join(p.name if p.default is None else f"{p.name}={p.default}" for p in params) or "-"


def _example(fam):
    """The family at its example degree (a matrix family over Z/5), or None if that needs parameters."""
    n = fam.example_degree()
    try:
        return n, (fam(n, m=5) if fam.kind == "matrix" else fam(n))
    except InvalidInputError:  # a family that needs explicit parameters at this degree
        return n, None


def _row(fam) -> dict:
    n, gens = _example(fam)
    return {
        "name": fam.name,
        "kind": fam.kind,
        "aliases": list(fam.aliases),
        "parameters": [p.name if p.default is None else f"{p.name}={p.default}" for p in fam.params],
        "min_degree": fam.min_degree,
        "degrees": fam.degree_rule(),
        "signed": fam.signed,
        "example_n": n,
        "degree": None if gens is None else gens.degree,
        "generators": None if gens is None else len(gens),
        "inverse_closed": None if gens is None else gens.inverse_closed,
        "description": fam.description,
        "reference": fam.reference,
    }


def table(rows: list[dict], width: int = WIDTH) -> str:
    """The families as a table with labelled columns, no wider than ``width`` (long
    degree rules and parameter lists wrap within their column).

    >>> rows = [{"name": "lrx", "kind": "permutation", "degrees": "n >= 3", "parameters": ["n", "k=1"],
    ...          "example_n": 5, "generators": 3, "inverse_closed": True, "aliases": []}]
    >>> print(table(rows))
    name  kind  degrees  parameters  gens at n  undirected
    lrx   perm  n >= 3   k=1            3 at 5  yes
    <BLANKLINE>
    `cayley families NAME` shows a family's parameters, degrees and generators.
    """
    def cells(r):
        gens = "-" if r["generators"] is None else f"{r['generators']} at {r['example_n']}"
        closed = "-" if r["inverse_closed"] is None else ("yes" if r["inverse_closed"] else "no")
        params = ", ".join(r["parameters"][1:]) or "-"
        kind = {"permutation": "perm"}.get(r["kind"], r["kind"])
        return [r["name"], kind, r["degrees"], params, gens, closed]

    heads = ["name", "kind", "degrees", "parameters", "gens at n", "undirected"]
    body = [cells(r) for r in rows]
    widths = [max([len(h)] + [len(c[i]) for c in body]) for i, h in enumerate(heads)]
    # the free-text columns (parameters, then degrees) give way until the table fits
    for i in (3, 2):
        excess = sum(widths) + 2 * (len(widths) - 1) - width
        if excess > 0:
            widths[i] = max(len(heads[i]) + 2, widths[i] - excess)

    def lines_of(values):
        wrapped = [textwrap.wrap(v, w) or [""] for v, w in zip(values, widths)]
        out = []
        for k in range(max(map(len, wrapped))):
            parts = [(col[k] if k < len(col) else "") for col in wrapped]
            parts = [v.rjust(w) if i == 4 else v.ljust(w) for i, (v, w) in enumerate(zip(parts, widths))]
            out.append("  ".join(parts).rstrip())
        return out

    lines = lines_of(heads)
    for c in body:
        lines += lines_of(c)
    aliases = [f"{a} -> {r['name']}" for r in rows for a in r["aliases"]]
    if aliases:
        lines.append("")
        line = f"{len(rows)} families; aliases:"
        for i, alias in enumerate(aliases):  # an alias never splits across lines
            item = " " + alias + ("," if i < len(aliases) - 1 else "")
            if len(line) + len(item) > width:
                lines.append(line)
                line = " " * 2 + item.lstrip()
            else:
                line += item
        lines.append(line)
    lines += ["", "`cayley families NAME` shows a family's parameters, degrees and generators."]
    return "\n".join(lines)


def _generators_json(fam, gens) -> dict:
    d = {"family": fam.name, "degree": gens.degree, "params": dict(gens.params or {}), "names": list(gens.names),
         "inverse_closed": gens.inverse_closed}
    if fam.kind == "matrix":
        d["modulus"] = gens.modulus
        d["matrices"] = [m.tolist() for m in gens.matrices]
    else:
        d["perms"] = gens.perms.tolist()
    return d


def _describe(fam, n: int, gens) -> str:
    from ..groups import GeneratorSet, format_generators

    lines = [
        f"name         {fam.name}" + (f" (aliases: {', '.join(fam.aliases)})" if fam.aliases else ""),
        f"kind         {fam.kind}" + (" (signed: a sign bit per point, on 2n positions)" if fam.signed else ""),
        f"degrees      {fam.degree_rule()}",
        "parameters   " + ", ".join(f"{p.name}" + ("" if p.default is None else f"={p.default}") + f" ({p.doc})"
                                    for p in fam.params),
    ]
    lines += textwrap.wrap(fam.description, width=WIDTH, initial_indent="description  ", subsequent_indent=" " * 13)
    lines += textwrap.wrap(fam.reference, width=WIDTH, initial_indent="reference    ", subsequent_indent=" " * 13)
    closed = "inverse-closed (an undirected graph)" if gens.inverse_closed else "not inverse-closed (a directed graph)"
    lines.append(f"generators   {len(gens)} at n = {n}, {closed}")
    if fam.kind == "matrix":
        for name, m in zip(gens.names, gens.matrices):
            lines.append(f"  {name:<8} {m.tolist()}")
    else:
        w = max(len(name) for name in gens.names)
        for name, p in zip(gens.names, gens.perms):
            one = GeneratorSet([p], names=["g"])
            lines.append(f"  {name:<{w}}  {format_generators(one, 'cycles')[2:]}")
    return "\n".join(lines)


@click.command()
@click.argument("name", required=False)
@click.option("--n", "n", type=click.IntRange(min=1), default=None,
              help="Degree for NAME's generators (default: the family's example degree).")
@click.option("--set", "sets", multiple=True, help="A family parameter, e.g. --set k=2 or --set m=7 (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "cycles", "gap", "one-line"]), default="table",
              show_default=True, help="cycles, gap, one-line: NAME's generators as a spec for --gens or a GAP file.")
def families(name: Optional[str], n: Optional[int], sets, fmt):
    """The named generator families; with NAME, one family in full: its parameters, valid
    degrees and generators at degree --n.

    \b
    Examples:
      cayley families
      cayley families lrx --n 6
      cayley families lrx --n 6 --format gap > lrx6.gap
      cayley families pancake --n 5 --format cycles
      cayley families sl_fund_roots --n 3 --set m=5 --format json
    """
    from ..groups.library import families as all_families
    from ..groups.library import get_family

    if name is None:
        if n is not None or sets or fmt not in ("table", "json"):
            raise click.UsageError("--n, --set and --format cycles|gap|one-line need a family NAME")
        rows = [_row(fam) for fam in all_families()]
        click.echo(json.dumps(rows) if fmt == "json" else table(rows))
        return
    fam = get_family(name)
    n = fam.example_degree() if n is None else n
    params = parse_params(sets)
    if fam.kind == "matrix":
        params.setdefault("m", 5)
    gens = fam(n, **params)
    if fmt == "json":
        d = _row(fam)
        d.update(example_n=n, degree=gens.degree, generators=len(gens), inverse_closed=gens.inverse_closed,
                 accepts=[k for k in range(fam.min_degree, fam.min_degree + 40) if fam.accepts(k)][:12],
                 spec=_generators_json(fam, gens))
        click.echo(json.dumps(d))
        return
    if fmt == "table":
        click.echo(_describe(fam, n, gens))
        return
    if fam.kind == "matrix":
        raise InvalidInputError(f"{fam.name} is a matrix family: its generators print as --format json or table")
    if fmt == "gap":
        from ..groups.gap_format import write_gap

        click.echo(write_gap(gens, title=f"{fam.name} at n = {n}"), nl=False)
    else:
        from ..groups import format_generators

        click.echo(format_generators(gens, fmt))
