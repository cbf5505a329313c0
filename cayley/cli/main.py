"""The ``cayley`` command line: parse, call the public API, print. No algorithms here."""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import sys
import time
from typing import Optional

import click

from .. import __version__
from ..backends.registry import BACKEND_NAMES
from ..errors import CayleyError
from .progress import bfs_progress

FORMATS = click.Choice(["table", "json", "csv"])


# Subcommands that live in their own modules, imported only when named (keeps `cayley growth`
# start-up free of their imports). A module not present in this installation is left out.
LAZY_COMMANDS = {
    "path": "cayley.cli.paths:path",
    "scramble": "cayley.cli.paths:scramble",
    "conjectures": "cayley.cli.conjectures:conjectures",
    "dataset": "cayley.cli.datasets:dataset",
    "nn": "cayley.cli.nn:nn",
    "train": "cayley.cli.nn:train",
    "solve": "cayley.cli.solve:solve",
}


def _module_present(spec: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(spec.split(":")[0]) is not None


class CayleyGroup(click.Group):
    """Turns cayley's own errors into one line on stderr and exit code 2.

    Also loads the subcommands of ``LAZY_COMMANDS`` on first use.
    """

    def list_commands(self, ctx):
        lazy = [name for name, spec in LAZY_COMMANDS.items() if _module_present(spec)]
        return sorted(set(super().list_commands(ctx)) | set(lazy))

    def get_command(self, ctx, name):
        if name in LAZY_COMMANDS and name not in self.commands:
            spec = LAZY_COMMANDS[name]
            if not _module_present(spec):
                return None
            import importlib

            module, attr = spec.split(":")
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CayleyError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=CayleyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cayley")
@click.option("-v", "--verbose", is_flag=True, help="Log the memory estimate and engine choice to stderr.")
def main(verbose: bool) -> None:
    """Cayley and Schreier graphs of permutation groups: growth, diameters, families.

    \b
    Examples:
      cayley growth S_10 --gens lrx
      cayley growth S_8 --gens "[1,2,3,4,5,6,7,0];(0 1)" --format json
      cayley growth S_12 --gens lrx --start 000000111111
      cayley growth "SL(3,5)" --gens roots
      cayley growth "UT(3,7)" --gens ut --start 0,0,1
      cayley diameter S_9 --gens pancake
      cayley families
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        stream=sys.stderr,
    )


# -------------------------------------------------------------------------------------
# shared options
# -------------------------------------------------------------------------------------
def _graph_options(f):
    """GROUP, --gens or --gens-file (exactly one), --start.

    With ``--gens-file`` the command receives the file's GeneratorSet as ``gens`` (and its
    ``ip`` colouring as ``start`` unless --start is given); GROUP may then be left out, and
    when given it sets the degree (GAP files do not state points that no move touches).
    """

    command = f

    @functools.wraps(command)
    def wrapper(*args, gens=None, gens_file=None, inverses=False, **kwargs):
        if (gens is None) == (gens_file is None):
            raise click.UsageError("give exactly one of --gens and --gens-file")
        if gens_file is not None:
            from ..groups.gap_format import load_gap

            from ..groups import parse_group

            group = kwargs.get("group")
            definition = load_gap(gens_file, degree=parse_group(group).degree if group is not None else None)
            gens = definition.generators
            if kwargs.get("start") is None and definition.start is not None:
                kwargs["start"] = definition.start
        elif kwargs.get("group") is None:
            # a family defined at one degree only (a puzzle: dino, mini_pyramorphix) implies it
            from ..groups import parse_generators

            try:
                kwargs["group"] = f"S_{parse_generators(gens).degree}"
            except CayleyError as exc:
                raise click.UsageError(
                    f"missing argument GROUP (e.g. S_10); it may be left out with --gens-file or a family of one "
                    f"size: {exc}"
                ) from None
        if inverses:  # the generators plus their missing inverses: an undirected graph
            from ..graphs import CayleyGraph

            gens = CayleyGraph.from_spec(kwargs.get("group"), gens).generators.with_inverses()
        return command(*args, gens=gens, **kwargs)

    f = wrapper
    f = click.option(
        "--inverses",
        is_flag=True,
        help="Add the missing inverses of the generators (an undirected graph), e.g. for a GAP file listing "
        "clockwise moves only.",
    )(f)
    f = click.option("--start", default=None, help="Start state, e.g. 00001111 (repeated symbols: Schreier graph).")(f)
    f = click.option(
        "--gens-file",
        type=click.Path(dir_okay=False),
        default=None,
        help="Generators from a GAP puzzle file (M_name := (1,2,3)(...); lines, optional Gen and ip).",
    )(f)
    f = click.option(
        "--gens",
        "-g",
        default=None,
        help="Generators: a family (lrx, lrx:k=2), one-line lists [1,0,2];[0,2,1], "
        "0-based cycles (0 1)(2 3) or GAP cycles (1,2)(3,4). Exactly one of --gens and --gens-file.",
    )(f)
    f = click.argument("group", required=False)(f)
    return f


def _run_options(f):
    f = click.option("--max-depth", type=click.IntRange(min=0), default=None, help="Stop after this many layers.")(f)
    f = click.option("--max-states", type=click.IntRange(min=1), default=None, help="Stop after this many states.")(f)
    f = click.option(
        "--engine", type=click.Choice(["auto", "hash", "rank"]), default="auto", show_default=True, help="BFS engine."
    )(f)
    f = click.option(
        "--backend",
        type=click.Choice(list(BACKEND_NAMES)),
        default="auto",
        show_default=True,
        help="cpu: numba; cuda: the GPU (the rank engine's fused CUDA kernels for permutations, "
        "torch otherwise); torch: torch on its default device; auto: the GPU when there is one "
        "(rank engine: for S_13 and larger, when CuPy is installed and the codes fit), else numba; "
        "distributed: the rank engine's codes split over the processes of torchrun "
        "(torchrun --nproc-per-node 4 -m cayley growth ... --backend distributed).",
    )(f)
    f = click.option(
        "--memory-limit",
        default=None,
        help="Refuse runs whose estimated peak exceeds this (e.g. 8G, 512M); default: available memory.",
    )(f)
    f = click.option(
        "--checkpoint",
        type=click.Path(file_okay=False),
        default=None,
        help="Folder to save the search in between layers; rerunning the same command resumes from it.",
    )(f)
    f = click.option(
        "--progress/--no-progress",
        default=None,
        help="Progress on stderr: a bar on a terminal, a line every few seconds in a log (default: bar on a terminal only).",
    )(f)
    return f


def _parse_bytes(text: Optional[str]) -> Optional[int]:
    if text is None:
        return None
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    mult = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    try:
        if t and t[-1] in mult:
            return int(float(t[:-1]) * mult[t[-1]])
        return int(t)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a size like 512M or 8G", param_hint="--memory-limit") from None


def _make_graph(group: str, gens: str, start: Optional[str]):
    from ..graphs import CayleyGraph

    return CayleyGraph.from_spec(group, gens, start=start)


def _run_bfs(graph, max_depth, max_states, engine, backend, memory_limit, checkpoint, progress, checkpoint_every=60.0):
    from ..graphs import bfs

    distributed = backend == "distributed"
    with bfs_progress(False if _quiet_process(backend) else progress, graph.name) as cb:
        try:
            return bfs(
                graph,
                max_depth=max_depth,
                max_states=max_states,
                engine=engine,
                backend=backend,
                memory_limit=_parse_bytes(memory_limit),
                checkpoint=checkpoint,
                checkpoint_seconds=checkpoint_every,
                progress=cb,
            )
        finally:
            if distributed and "torch.distributed" in sys.modules:
                import torch.distributed as dist

                if dist.is_initialized():  # the CLI joined the group (torchrun): leave it cleanly
                    dist.destroy_process_group()


def _quiet_process(backend) -> bool:
    """Under torchrun every process runs the command; only rank 0 prints."""
    import os

    return backend == "distributed" and os.environ.get("RANK", "0") != "0"


def _covers(result, order: Optional[int]) -> Optional[bool]:
    """Whether a completed search found exactly ``order`` states (the Schreier–Sims order
    or orbit size, computed independently of the search); None when it cannot say."""
    return None if order is None or not result.completed else result.size == order


def _result_json(result, order: Optional[int], wall: float) -> dict:
    d = result.to_dict()
    d["order"] = order
    d["covers_group"] = _covers(result, order)
    d["seconds"] = round(wall, 6)
    d["bfs_seconds"] = round(result.seconds, 6)
    return d


def _order(graph, result=None) -> Optional[int]:
    """The group order (orbit size for a Schreier graph), independently of ``result``.

    A completed search that reached every state of the ambient space needs no
    Schreier-Sims: the orbit cannot be larger than the space (this skips sympy's import,
    a third of a second, in the common S_n case).
    """
    from ..graphs.memory import ambient_size

    if result is not None and result.completed and not graph.is_matrix and result.size == ambient_size(graph):
        return result.size
    try:
        return graph.order()
    except CayleyError:
        raise
    except Exception:  # sympy failure: the order is optional in the output
        return None


# -------------------------------------------------------------------------------------
# commands
# -------------------------------------------------------------------------------------
@main.command()
@_graph_options
@_run_options
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--plot", type=click.Path(dir_okay=False, writable=True), default=None, help="Write a log-scale growth plot (PNG).")
@click.option("--save", is_flag=True, help="Store the result in the results store (see --db); later checks reuse it.")
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="Results store file (implies --save); default $XDG_DATA_HOME/cayley/results.sqlite.",
)
@click.option(
    "--checkpoint-every",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds between the rank engine's checkpoint saves (0: after every layer); the hash engine saves every layer.",
)
def growth(group, gens, start, max_depth, max_states, engine, backend, memory_limit, checkpoint, progress, fmt, plot,
           save, db, checkpoint_every):
    """Growth function (layer sizes) of the Cayley/Schreier graph of GROUP.

    \b
    Example:
      $ cayley growth S_5 --gens lrx
      $ cayley growth S_9 --gens pancake --save
    """
    t0 = time.perf_counter()
    graph = _make_graph(group, gens, start)
    store = None
    if save or db:
        from ..conjectures.store import ResultsStore

        store = ResultsStore(db)  # opened before the search: a bad path fails fast
    result = _run_bfs(graph, max_depth, max_states, engine, backend, memory_limit, checkpoint, progress, checkpoint_every)
    if _quiet_process(backend):
        return
    order = _order(graph, result)
    wall = time.perf_counter() - t0
    stored = store.save(result, seconds=wall) if store is not None else None
    if _covers(result, order) is False:
        click.echo(f"warning: the search found {result.size:,} states but the group order is {order:,}", err=True)
    if plot:
        _plot_growth(result, plot)
    if fmt == "json":
        d = _result_json(result, order, wall)
        if store is not None:
            d["store"] = {"path": str(store.path), "saved": stored}
        click.echo(json.dumps(d))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["depth", "states"])
        for d, c in enumerate(result.growth):
            w.writerow([d, c])
        click.echo(buf.getvalue(), nl=False)
    else:
        click.echo(f"graph      {graph.name}  ({len(graph.generators)} generators: {', '.join(graph.generators.names)})")
        click.echo(f"order      {order:,}" if order is not None else "order      unknown")
        click.echo(f"states     {result.size:,}")
        status = "yes" if result.completed else f"no (stopped: {result.stop_reason})"
        click.echo(f"completed  {status}")
        click.echo(f"diameter   {result.diameter}" if result.completed else f"depth      {result.depth}")
        click.echo(f"seconds    {wall:.3f}")
        if store is not None:
            kept = "saved" if stored else "not saved: the store holds a result at least as complete"
            click.echo(f"store      {store.path} ({kept})")
        click.echo("depth  states")
        for d, c in enumerate(result.growth):
            click.echo(f"{d:5d}  {c:,}")


@main.command()
@_graph_options
@_run_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def diameter(group, gens, start, max_depth, max_states, engine, backend, memory_limit, checkpoint, progress, fmt):
    """Diameter of the Cayley graph (eccentricity of the start) and the size of its last layer."""
    t0 = time.perf_counter()
    graph = _make_graph(group, gens, start)
    result = _run_bfs(graph, max_depth, max_states, engine, backend, memory_limit, checkpoint, progress)
    if _quiet_process(backend):
        return
    wall = time.perf_counter() - t0
    if fmt == "json":
        d = {
            "graph": graph.name,
            "diameter": result.diameter,
            "depth": result.depth,
            "completed": result.completed,
            "last_layer_size": result.growth[-1],
            "last_layer": result.to_dict()["last_layer"],
            "seconds": round(wall, 6),
        }
        click.echo(json.dumps(d))
        return
    if not result.completed:
        click.echo(
            f"incomplete: stopped at depth {result.depth} ({result.stop_reason}); "
            f"the diameter is at least {result.depth}; last layer: {result.growth[-1]:,} states"
        )
        return
    click.echo(f"diameter {result.diameter}")
    click.echo(f"last layer size {result.growth[-1]:,}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def families(fmt):
    """List the named generator families."""
    from ..errors import InvalidInputError
    from ..groups.library import families as all_families

    rows = []
    for fam in all_families():
        params = [p.name if p.default is None else f"{p.name}={p.default}" for p in fam.params]
        n = fam.example_degree()
        try:
            # a matrix family needs its modulus: list it over Z/5 (SL(5,5), ...)
            gens = fam(n, m=5) if fam.kind == "matrix" else fam(n)
            count, closed, degree = len(gens), gens.inverse_closed, gens.degree
        except InvalidInputError:  # a family that needs explicit parameters at this degree
            count = closed = degree = None
        rows.append(
            {
                "name": fam.name,
                "kind": fam.kind,
                "aliases": list(fam.aliases),
                "parameters": params,
                "min_degree": fam.min_degree,
                "degrees": fam.degree_rule(),
                "signed": fam.signed,
                "example_n": n,
                "degree": degree,
                "generators": count,
                "inverse_closed": closed,
                "description": fam.description,
                "reference": fam.reference,
            }
        )
    if fmt == "json":
        click.echo(json.dumps(rows))
        return

    def cell(r, key):
        v = r[key]
        if key == "inverse_closed":
            return "-" if v is None else ("yes" if v else "no")
        if key == "parameters":
            return ", ".join(v)
        return "-" if v is None else str(v)

    cols = [("name", "name"), ("parameters", "parameters"), ("example_n", "n"), ("generators", "gens"),
            ("inverse_closed", "inverse-closed"), ("reference", "reference")]
    widths = {k: max([len(h)] + [len(cell(r, k)) for r in rows]) for k, h in cols[:-1]}
    right = {"example_n", "generators"}

    def line(values):
        parts = [values[k].rjust(widths[k]) if k in right else values[k].ljust(widths[k]) for k, _ in cols[:-1]]
        return "  ".join(parts + [values["reference"]]).rstrip()

    click.echo(line({k: h for k, h in cols}))
    for r in rows:
        click.echo(line({k: cell(r, k) for k, _ in cols}))
    aliases = [f"{a} -> {r['name']}" for r in rows for a in r["aliases"]]
    if aliases:
        click.echo(f"\n{len(rows)} families; aliases: " + ", ".join(aliases))


def _plot_growth(result, path: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise CayleyError("--plot needs matplotlib: pip install 'cayley[plot]'") from None
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.semilogy(range(len(result.growth)), result.growth, marker="o", markersize=3)
    ax.set_xlabel("distance from start")
    ax.set_ylabel("states in layer")
    title = f"{result.graph.name}: growth"
    if result.completed:
        title += f" (diameter {result.diameter})"
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=120)
    except OSError as exc:
        raise CayleyError(f"cannot write plot {path!r}: {exc.strerror}") from None
    finally:
        plt.close(fig)


if __name__ == "__main__":  # pragma: no cover
    main()
