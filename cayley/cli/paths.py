"""``cayley path`` and ``cayley scramble``: parse, call cayley.graphs.paths, print."""

from __future__ import annotations

import json
from typing import Optional

import click

from .nn import heuristic_from_file
from .options import graph_options


def _symbol_key(x):
    return (isinstance(x, str), x)


def _graph(group: str, gens: str, start: Optional[str]):
    from ..graphs import CayleyGraph

    return CayleyGraph.from_spec(group, gens, start=start)


@click.command()
@graph_options(start=False)
@click.option("--from", "source", required=True, help="Start of the path, e.g. 3,1,0,2 or 0101.")
@click.option("--to", "target", default=None, help="End of the path; default the sorted state (the identity).")
@click.option(
    "--method",
    type=click.Choice(["auto", "bfs", "mitm", "ida", "beam"]),
    default="auto",
    show_default=True,
    help="auto: meet-in-the-middle within --max-states, else beam search. ida: IDA*, optimal with an "
    "admissible --heuristic (auto picks one; --max-states is its node budget).",
)
@click.option("--beam-width", type=click.IntRange(min=1), default=1024, show_default=True)
@click.option("--max-steps", type=click.IntRange(min=1), default=1000, show_default=True, help="Beam search steps.")
@click.option("--ball", type=click.IntRange(min=0), default=0, show_default=True,
              help="Beam search meets a BFS ball of this radius around the target.")
@click.option("--heuristic", default="auto", show_default=True,
              help="Beam search heuristic: auto (breakpoints for pancake and reversals, else Hamming), hamming, "
              "breakpoints, or a file written by `cayley train heuristic` (needs torch).")
@click.option("--max-states", type=click.IntRange(min=1), default=20_000_000, show_default=True,
              help="State budget of the exact searches.")
@click.option("--seed", type=int, default=0, show_default=True, help="Beam search tie-breaking.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def path(group, gens, source, target, method, beam_width, max_steps, ball, heuristic, max_states, seed, fmt):
    """A short path from one state to another in the Cayley/Schreier graph of GROUP.

    Moves act on positions: a generator p sends state s to s[p]. The path's moves, applied
    to --from in turn, give --to.

    \b
    Examples:
      cayley path S_5 --gens lrx --from 1,0,4,3,2
      cayley path S_12 --gens pancake --from 3,7,1,11,0,5,2,8,10,6,4,9 --method beam --format json
      cayley path S_6 --gens lrx --from 001011 --to 000111
      cayley path S_14 --gens pancake --from 3,7,1,13,0,5,2,8,12,10,6,4,11,9 --method ida
      cayley path --gens-file puzzle.gap --from 1,0,2,3,4,5 --inverses
    """
    from ..graphs.heuristics import Breakpoints, Hamming, default_heuristic
    from ..graphs.paths import check_rearrangement, find_path, written_symbols

    # the symbols as written: --to must hold the same ones (each state alone is relabelled
    # 0..k-1 by rank, which would make 0011 and 1122 the same state)
    written = written_symbols(source)
    if target is None:  # the sorted state, in the symbols as written
        target = ",".join(map(str, sorted(written.tolist(), key=_symbol_key)))
    check_rearrangement(written, written_symbols(target), "--to", "--from")
    graph = _graph(group, gens, target)
    if heuristic == "hamming":
        h = Hamming(graph.start)
    elif heuristic == "breakpoints":
        h = Breakpoints(graph.start, kind="reversals" if graph.generators.family == "full_reversals" else "pancake")
    elif heuristic == "auto":  # IDA* picks an admissible default itself
        h = None if method == "ida" else default_heuristic(graph)
    else:  # a trained heuristic file (torch, loaded lazily)
        h = heuristic_from_file(heuristic, graph)
    p = find_path(  # replays the path on --from and --to as written before returning it
        graph,
        source,
        target=target,
        method=method,
        max_states=max_states,
        heuristic=h,
        beam_width=beam_width,
        max_steps=max_steps,
        ball=ball,
        seed=seed,
    )
    if fmt == "json":
        d = p.to_dict()
        click.echo(json.dumps({k: d[k] for k in ("path", "length", "method", "optimal", "seconds")}))
        return
    click.echo(f"graph    {graph.name}")
    click.echo(f"length   {p.length}")
    click.echo(f"optimal  {'yes' if p.optimal else 'not proven'}")
    click.echo(f"method   {p.method}")
    click.echo(f"seconds  {p.seconds:.3f}")
    click.echo(f"path     {'.'.join(p.names) if p.length else '(empty)'}")


@click.command()
@graph_options()
@click.option("--length", "-l", "length", type=click.IntRange(min=0), required=True, help="Number of random moves.")
@click.option("--seed", type=int, default=None, help="Random seed (default: fresh randomness).")
@click.option(
    "--backtracking/--no-backtracking",
    default=False,
    show_default=True,
    help="Allow a move to undo the previous one.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def scramble(group, gens, start, length, seed, backtracking, fmt):
    """A random state: LENGTH random moves from the start of the graph of GROUP.

    Prints the state as comma-separated symbols, ready for `cayley path --from`.

    \b
    Example:
      cayley scramble S_12 --gens pancake --length 30 --seed 1
    """
    from ..graphs.paths import scramble as do_scramble
    from ..graphs.paths import written_symbols

    graph = _graph(group, gens, start)
    p = do_scramble(graph, length, seed=seed, non_backtracking=not backtracking)
    state = p.target.tolist()
    if start is not None and graph.action().relabels_symbols:
        # the graph relabels the start's symbols 0..k-1 by rank: print them as written
        symbols = sorted(set(written_symbols(start).tolist()), key=_symbol_key)
        state = [symbols[v] for v in state]
    text = ",".join(map(str, state))
    if fmt == "json":
        click.echo(json.dumps({"state": state, "moves": list(p.names), "length": p.length, "seed": seed}))
        return
    click.echo(text)
