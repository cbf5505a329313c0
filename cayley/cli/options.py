"""Options and helpers shared by the ``cayley`` commands: the graph options (GROUP, --gens,
--gens-file, --start, --inverses), the search options, sizes and trained heuristics.

One place per concept: every command that takes generators takes them through
:func:`graph_options`, so ``--gens-file`` works wherever ``--gens`` does.
"""

from __future__ import annotations

import functools
import logging
import sys
from typing import Callable, Optional

import click

from ..backends.registry import BACKEND_NAMES
from ..errors import CayleyError, InvalidInputError

GENS_HELP = (
    "Generators: a family (lrx, pancake, lrx:k=2), one-line lists [1,0,2];[0,2,1], "
    "0-based cycles (0 1)(2 3) or GAP cycles (1,2)(3,4). Exactly one of --gens and --gens-file."
)
GENS_FILE_HELP = "Generators from a GAP puzzle file (M_name := (1,2,3)(...); lines, optional Gen and ip)."


def _apply(f: Callable, options: list) -> Callable:
    """Apply click decorators so that ``--help`` lists them in the order given."""
    for option in reversed(options):
        f = option(f)
    return f


def _from_file(path: str, group: Optional[str], start, as_text: bool):
    """The generators (and start, when the file has ``ip`` and --start is not given) of a GAP file."""
    from ..groups import format_generators, parse_group
    from ..groups.gap_format import load_gap

    definition = load_gap(path, degree=parse_group(group).degree if group is not None else None)
    gens = definition.generators
    if start is None and definition.start is not None:  # written as --start would be
        start = ",".join(str(int(v)) for v in definition.start)
    if as_text:  # a spec string that reads back to the same generators (datasets record it)
        gens = format_generators(gens)
    return gens, start


def _degree_from_family(gens: str) -> str:
    """``S_n`` for a family defined at one degree only (a puzzle: dino, mini_pyramorphix)."""
    from ..groups import parse_generators

    try:
        return f"S_{parse_generators(gens).degree}"
    except CayleyError as exc:
        raise click.UsageError(
            f"missing argument GROUP (e.g. S_10); it may be left out with --gens-file or a family of one "
            f"size: {exc}"
        ) from None


def graph_options(*, start: bool = True, inverses: bool = True, as_text: bool = False) -> Callable:
    """GROUP, --gens or --gens-file (exactly one), and optionally --start and --inverses.

    With ``--gens-file`` the command receives the file's generators as ``gens`` (a
    GeneratorSet, or with ``as_text`` a spec string that reads back to them) and its ``ip``
    colouring as ``start`` unless --start is given; GROUP may then be left out, and when
    given it sets the degree (GAP files do not state points that no move touches).
    """

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args, gens=None, gens_file=None, inverses=False, **kwargs):
            if (gens is None) == (gens_file is None):
                raise click.UsageError("give exactly one of --gens and --gens-file")
            if gens_file is not None:
                gens, file_start = _from_file(gens_file, kwargs.get("group"), kwargs.get("start"), as_text)
                if start:
                    kwargs["start"] = file_start
                if as_text and kwargs.get("group") is None:  # recorded specs name the group: S_n
                    kwargs["group"] = _degree_from_family(gens)
            elif kwargs.get("group") is None:
                kwargs["group"] = _degree_from_family(gens)
            if inverses:  # the generators plus their missing inverses: an undirected graph
                from ..graphs import CayleyGraph
                from ..groups import format_generators

                gens = CayleyGraph.from_spec(kwargs.get("group"), gens).generators.with_inverses()
                gens = format_generators(gens) if as_text else gens
            return command(*args, gens=gens, **kwargs)

        options = [
            click.argument("group", required=False),
            click.option("--gens", "-g", default=None, help=GENS_HELP),
            click.option("--gens-file", type=click.Path(dir_okay=False), default=None, help=GENS_FILE_HELP),
        ]
        if start:
            options.append(click.option("--start", default=None,
                                        help="Start state, e.g. 00001111 (repeated symbols: Schreier graph)."))
        if inverses:
            options.append(click.option(
                "--inverses", is_flag=True,
                help="Add the missing inverses of the generators (an undirected graph), e.g. for a GAP file listing "
                "clockwise moves only."))
        return _apply(wrapper, options)

    return decorate


BACKEND_HELP = (
    "cpu: numba; cuda: the GPU (the rank engine's fused CUDA kernels for permutations, "
    "torch otherwise); torch: torch on its default device; auto: the GPU when there is one "
    "(rank engine: for S_13 and larger, when CuPy is installed and the codes fit), else numba; "
    "distributed: the rank engine's codes split over the processes of torchrun "
    "(torchrun --nproc-per-node 4 -m cayley growth ... --backend distributed)."
)


def run_options(f: Callable) -> Callable:
    """The search options of ``growth`` and ``diameter``: limits, engine, backend, memory,
    checkpoint, progress."""
    return _apply(f, [
        click.option("--progress/--no-progress", default=None,
                     help="Progress on stderr: a bar on a terminal, a line every few seconds in a log "
                     "(default: bar on a terminal only)."),
        click.option("--checkpoint", type=click.Path(file_okay=False), default=None,
                     help="Folder to save the search in between layers; rerunning the same command resumes from it."),
        click.option("--memory-limit", default=None,
                     help="Refuse runs whose estimated peak exceeds this (e.g. 8G, 512M); default: available memory."),
        click.option("--backend", type=click.Choice(list(BACKEND_NAMES)), default="auto",
                     show_default=True, help=BACKEND_HELP),
        click.option("--engine", type=click.Choice(["auto", "hash", "rank"]), default="auto", show_default=True,
                     help="BFS engine."),
        click.option("--max-states", type=click.IntRange(min=1), default=None, help="Stop after this many states."),
        click.option("--max-depth", type=click.IntRange(min=0), default=None, help="Stop after this many layers."),
    ])


def parse_bytes(text: Optional[str]) -> Optional[int]:
    """A size like ``512M``, ``8G``, ``1.5GiB`` or ``1000`` in bytes (None stays None).

    >>> parse_bytes("8G"), parse_bytes("512MiB"), parse_bytes("1000"), parse_bytes(None)
    (8589934592, 536870912, 1000, None)
    """
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


def parse_params(items) -> dict:
    """``--set k=2`` options as a dict: integers, true/false, else strings.

    >>> parse_params(["k=2", "rotations=true", "jumps=1,2"])
    {'k': 2, 'rotations': True, 'jumps': '1,2'}
    """
    out: dict = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInputError(f"parameter {item!r} is not like k=2")
        value = value.strip()
        try:
            out[key.strip()] = int(value)
        except ValueError:
            out[key.strip()] = {"true": True, "false": False}.get(value.lower(), value)
    return out


def need_torch() -> None:
    """Refuse, in one line, a command that needs torch when torch is not installed."""
    try:
        import torch  # noqa: F401
    except ImportError:
        raise CayleyError("this command needs torch: pip install 'cayley[torch]'") from None


def set_verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Callback of ``-v``/``--verbose`` (before or after the subcommand): log at INFO to stderr."""
    if value:
        logging.getLogger().setLevel(logging.INFO)


def verbose_option(f: Callable) -> Callable:
    """``-v``/``--verbose`` on a subcommand, the same flag as ``cayley -v``."""
    return click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True, callback=set_verbose,
                        help="Log the memory estimate and engine choice to stderr.")(f)


def configure_logging(verbose: bool) -> None:
    """stderr logging for the CLI: INFO with -v, else WARNING."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s", stream=sys.stderr)
