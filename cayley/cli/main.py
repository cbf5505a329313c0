"""The ``cayley`` command line: parse, call the public API, print. No algorithms here."""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from typing import Optional

import click

from .. import __version__
from ..errors import CayleyError
from .options import configure_logging, graph_options, parse_bytes, run_options, verbose_option
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
    "tables": "cayley.cli.tables:tables",
    "families": "cayley.cli.families:families",
    "store": "cayley.cli.store:store",
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
        command = super().get_command(ctx, name)
        if command is not None:
            _accept_verbose(command)
        return command

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CayleyError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


def _accept_verbose(command: click.Command) -> None:
    """``-v`` after the subcommand too (``cayley growth S_10 --gens lrx -v``), on every level."""
    if not any(p.name == "verbose" for p in command.params):
        verbose_option(command)
    for sub in getattr(command, "commands", {}).values():
        _accept_verbose(sub)


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
      cayley diameter S_9 --gens pancake --format csv
      cayley families
      cayley families lrx --n 6 --format gap
      cayley growth S_24 --gens-file puzzle.gap --inverses
      cayley store list
    """
    configure_logging(verbose)


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
                memory_limit=parse_bytes(memory_limit),
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


def _covers(result, orbit: Optional[int]) -> Optional[bool]:
    """Whether a completed search found exactly ``orbit`` states (the Schreier–Sims order
    or orbit size, computed independently of the search); None when it cannot say."""
    return None if orbit is None or not result.completed else result.size == orbit


def _result_json(result, sizes: dict, wall: float) -> dict:
    d = result.to_dict()
    d.update(sizes)
    d["covers_group"] = _covers(result, sizes["orbit_size"])
    d["seconds"] = round(wall, 6)
    d["bfs_seconds"] = round(result.seconds, 6)
    return d


def _orbit(graph, result=None) -> Optional[int]:
    """The number of vertices: the group order, or the orbit size for a Schreier graph,
    independently of ``result``.

    A completed search that reached every state of the ambient space needs no
    Schreier-Sims: the orbit cannot be larger than the space (this skips sympy's import,
    a third of a second, in the common S_n case).
    """
    from ..graphs.memory import ambient_size

    if result is not None and result.completed and result.size == ambient_size(graph):
        return result.size
    try:
        return graph.orbit_size()
    except CayleyError:
        raise
    except Exception:  # sympy failure: the order is optional in the output
        return None


def _sizes(graph, result) -> dict:
    """``order`` (|G|) and ``orbit_size`` (the vertices: |G| for a Cayley graph, the orbit of
    the start for a Schreier graph); None where they cannot be computed."""
    orbit = _orbit(graph, result)
    if not graph.is_schreier:
        return {"order": orbit, "orbit_size": orbit}
    try:
        order = graph.group_order()
    except CayleyError:
        order = None  # a matrix group too large to enumerate: the orbit is still known
    except Exception:  # sympy failure
        order = None
    return {"order": order, "orbit_size": orbit}


def _need_matplotlib() -> None:
    """Refuse --plot before any search when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CayleyError("--plot needs matplotlib: pip install 'cayley[plot]'") from None


def _growth_text(graph, result, sizes: dict, wall: float, fmt: str, store=None, stored=None) -> str:
    """The growth command's output in ``fmt`` (table, json or csv)."""
    if fmt == "json":
        d = _result_json(result, sizes, wall)
        if store is not None:
            d["store"] = {"path": str(store.path), "saved": stored}
        return json.dumps(d) + "\n"
    buf = io.StringIO()
    if fmt == "csv":
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["depth", "states"])
        w.writerows(enumerate(result.growth))
        return buf.getvalue()

    def say(text: str) -> None:
        buf.write(text + "\n")

    say(f"graph      {graph.name}  ({len(graph.generators)} generators: {', '.join(graph.generators.names)})")
    order, orbit = sizes["order"], sizes["orbit_size"]
    say(f"order      {order:,}" if order is not None else "order      unknown")
    if graph.is_schreier:
        say(f"orbit      {orbit:,}" if orbit is not None else "orbit      unknown")
    say(f"states     {result.size:,}")
    say(f"completed  {'yes' if result.completed else f'no (stopped: {result.stop_reason})'}")
    say(f"diameter   {result.diameter}" if result.completed else f"depth      {result.depth}")
    say(f"seconds    {wall:.3f}")
    if store is not None:
        kept = "saved" if stored else "not saved: the store holds a result at least as complete"
        say(f"store      {store.path} ({kept})")
    say("depth  states")
    for d, c in enumerate(result.growth):
        say(f"{d:5d}  {c:,}")
    return buf.getvalue()


def _emit(text: str, out: Optional[str]) -> None:
    """Print ``text``, or write it to ``out``."""
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise CayleyError(f"cannot write {out!r}: {exc.strerror}") from None


def _check_writable(path: Optional[str], option: str) -> None:
    """Refuse an output file whose folder does not exist, before any search."""
    import os

    if path is not None and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        raise click.BadParameter(f"{path!r}: the folder does not exist", param_hint=option)


# -------------------------------------------------------------------------------------
# commands
# -------------------------------------------------------------------------------------
@main.command()
@graph_options()
@run_options
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--out", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the output (in --format) to this file instead of stdout.")
@click.option("--plot", type=click.Path(dir_okay=False, writable=True), default=None, help="Write a log-scale growth plot (PNG).")
@click.option("--save", is_flag=True, help="Store the result in the results store (see --db); later checks reuse it.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Results store file (implies --save); default $XDG_DATA_HOME/cayley/results.sqlite.")
@click.option("--checkpoint-every", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds between the rank engine's checkpoint saves (0: after every layer); the hash engine "
              "saves every layer.")
def growth(group, gens, start, max_depth, max_states, engine, backend, memory_limit, checkpoint, progress, fmt, out,
           plot, save, db, checkpoint_every):
    """Growth function (layer sizes) of the Cayley/Schreier graph of GROUP.

    \b
    Example:
      $ cayley growth S_5 --gens lrx
      $ cayley growth S_9 --gens pancake --save
      $ cayley growth S_10 --gens coxeter --format csv --out growth10.csv
    """
    t0 = time.perf_counter()
    # every option is checked before the search: a run of hours must not fail at the end
    if plot:
        _need_matplotlib()
    _check_writable(plot, "--plot")
    _check_writable(out, "--out")
    graph = _make_graph(group, gens, start)
    store = None
    if save or db:
        from ..conjectures.store import ResultsStore

        store = ResultsStore(db)  # opened before the search: a bad path fails fast
    result = _run_bfs(graph, max_depth, max_states, engine, backend, memory_limit, checkpoint, progress, checkpoint_every)
    if _quiet_process(backend):
        return
    sizes = _sizes(graph, result)
    wall = time.perf_counter() - t0
    stored = store.save(result, seconds=wall) if store is not None else None
    if _covers(result, sizes["orbit_size"]) is False:
        click.echo(f"warning: the search found {result.size:,} states but the orbit has {sizes['orbit_size']:,}",
                   err=True)
    if plot:
        _plot_growth(result, plot)
    _emit(_growth_text(graph, result, sizes, wall, fmt, store, stored), out)


@main.command()
@graph_options()
@run_options
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def diameter(group, gens, start, max_depth, max_states, engine, backend, memory_limit, checkpoint, progress, fmt):
    """Diameter of the Cayley graph (eccentricity of the start) and the size of its last layer."""
    t0 = time.perf_counter()
    graph = _make_graph(group, gens, start)
    result = _run_bfs(graph, max_depth, max_states, engine, backend, memory_limit, checkpoint, progress)
    if _quiet_process(backend):
        return
    wall = time.perf_counter() - t0
    d = {
        "graph": graph.name,
        "diameter": result.diameter,
        "depth": result.depth,
        "completed": result.completed,
        "last_layer_size": result.growth[-1],
        "last_layer": result.to_dict()["last_layer"],
        "seconds": round(wall, 6),
    }
    if fmt == "json":
        click.echo(json.dumps(d))
    elif fmt == "csv":
        buf = io.StringIO()
        keys = ["graph", "diameter", "depth", "completed", "last_layer_size", "seconds"]
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(keys)
        w.writerow(["" if d[k] is None else d[k] for k in keys])
        click.echo(buf.getvalue(), nl=False)
    elif not result.completed:
        click.echo(
            f"incomplete: stopped at depth {result.depth} ({result.stop_reason}); "
            f"the diameter is at least {result.depth}; last layer: {result.growth[-1]:,} states"
        )
    else:
        click.echo(f"diameter {result.diameter}")
        click.echo(f"last layer size {result.growth[-1]:,}")


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
