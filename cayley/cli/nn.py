"""``cayley nn permutation`` and ``cayley train heuristic``: parse, call cayley.nn, print.

torch is imported only when one of these commands runs (it is an optional extra).
"""

from __future__ import annotations

import json
import time
from typing import Optional

import click

from ..graphs.paths import TRAINING_WALK_MODES
from .options import graph_options, need_torch
from .progress import loss_progress


def heuristic_from_file(path: str, graph):
    """The heuristic for ``cayley path --heuristic FILE``: loaded and checked by cayley.nn,
    also against the graph (same generators; beam search checks the target)."""
    import os

    from ..errors import InvalidInputError

    if not os.path.isfile(path):
        raise InvalidInputError(f"--heuristic {path!r}: expected auto, hamming, breakpoints or a heuristic file")
    need_torch()
    from ..nn.heuristics import load_heuristic

    return load_heuristic(path, graph=graph)


def _set_threads(threads: Optional[int]) -> None:
    # small batched ops: on a loaded machine one thread is often much faster than two
    if threads is not None:
        import torch

        torch.set_num_threads(threads)


def _sizes(text: Optional[str], models: int) -> list[int]:
    if not text:
        return [models]
    try:
        sizes = sorted({int(t) for t in text.split(",") if t.strip()})
    except ValueError:
        raise click.BadParameter(f"expected comma-separated integers, got {text!r}", param_hint="--sizes") from None
    if not sizes or sizes[0] < 1 or sizes[-1] > models:
        raise click.BadParameter(f"sizes must lie in 1..{models}, got {text!r}", param_hint="--sizes")
    return sorted(set(sizes) | {models})


@click.group()
def nn():
    """Neural experiments (needs torch)."""


@nn.command()
@click.option("--k", "k", type=click.IntRange(min=1, max=62), required=True, help="Number of coordinates.")
@click.option("--models", type=click.IntRange(min=1), default=128, show_default=True, help="Ensemble size M.")
@click.option("--width", type=click.IntRange(min=1), default=1024, show_default=True, help="Hidden units per network.")
@click.option("--steps", type=click.IntRange(min=1), default=300, show_default=True, help="Gradient-descent steps.")
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=None, help="Step size (default: automatic).")
@click.option("--tau", type=float, default=0.01, show_default=True, help="Rounding threshold of the ensemble mean.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seeds the permutation and the initialisation.")
@click.option(
    "--sample",
    type=click.IntRange(min=0),
    default=None,
    help="Test all inputs with 1 or 2 ones plus this many random others (default: all 2^k - 1 inputs "
    "for k <= 20, a sample of 10000 above).",
)
@click.option("--sizes", default=None, help="Also report the rate of the first M' models, e.g. 16,32,64.")
@click.option("--device", default="cpu", show_default=True, help="Torch device (cpu, cuda).")
@click.option("--dtype", type=click.Choice(["float32", "float64"]), default="float32", show_default=True)
@click.option("--threads", type=click.IntRange(min=1), default=None, help="Torch CPU threads (default: torch's).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def permutation(k, models, width, steps, lr, tau, seed, sample, sizes, device, dtype, threads, fmt):
    """Train an ensemble of two-layer ReLU nets on the k basis vectors of a random
    permutation and report how often the rounded ensemble mean is exactly right.

    \b
    Examples:
      cayley nn permutation --k 8 --models 128 --seed 0
      cayley nn permutation --k 16 --models 256 --seed 1 --sizes 16,32,64,128 --format json
    """
    need_torch()
    _set_threads(threads)
    from ..nn.ntk import PermutationEnsemble, binary_inputs, random_permutation

    size_list = _sizes(sizes, models)
    if sample is None and k > 20:
        sample = 10_000
    perm = random_permutation(k, seed=seed)
    t0 = time.perf_counter()
    ens = PermutationEnsemble(
        k, width, models, lr=lr, steps=steps, tau=tau, dtype=dtype, device=device, seed=seed
    ).fit(perm)
    t1 = time.perf_counter()
    x = binary_inputs(k, sample=sample, seed=seed)
    curve = ens.exact_match_curve(x, size_list)
    t2 = time.perf_counter()
    inputs = f"all {len(x)} nonzero inputs" if sample is None else (
        f"{len(x)} inputs: all {k + k * (k - 1) // 2} with 1-2 ones + {sample} random with >= 3 ones"
    )
    out = {
        "k": k,
        "models": models,
        "width": width,
        "steps": steps,
        "lr": ens.lr,
        "tau": tau,
        "seed": seed,
        "permutation": perm.tolist(),
        "inputs": len(x),
        "tested": inputs,
        "exact_match_rate": curve[models],
        "exact_match_rate_by_models": {str(s): r for s, r in curve.items()},
        "train_mse": ens.train_mse,
        "device": str(ens.device),
        "train_seconds": round(t1 - t0, 3),
        "eval_seconds": round(t2 - t1, 3),
    }
    if fmt == "json":
        click.echo(json.dumps(out))
        return
    click.echo(f"k                 {k}")
    click.echo(f"models            {models} (width {width}, {steps} steps, lr {ens.lr:.4g}, train mse {ens.train_mse:.1e})")
    click.echo(f"tested            {inputs}")
    click.echo(f"tau               {tau}")
    click.echo(f"exact match rate  {curve[models]:.6f}")
    if len(curve) > 1:
        for s, r in curve.items():
            click.echo(f"  first {s:>6} models: {r:.6f}")
    click.echo(f"seconds           train {t1 - t0:.2f}, eval {t2 - t1:.2f} ({out['device']})")


@click.group()
def train():
    """Train models (needs torch)."""


def _widths(text: str) -> tuple[int, ...]:
    try:
        w = tuple(int(t) for t in text.split(",") if t.strip())
    except ValueError:
        w = ()
    if not w or min(w) < 1:
        raise click.BadParameter(f"expected comma-separated positive widths like 256,256, got {text!r}",
                                 param_hint="--hidden")
    return w


@train.command()
@graph_options(as_text=True)
@click.option("--out", "-o", "out", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option(
    "--data",
    type=click.Choice(["walks", "bfs"]),
    default="walks",
    show_default=True,
    help="walks: random-walk step counts (fresh each batch pool); bfs: exact distances (small graphs).",
)
@click.option("--walk-mode", type=click.Choice(list(TRAINING_WALK_MODES)), default="non_backtracking",
              show_default=True)
@click.option("--walk-length", type=click.IntRange(min=1), default=None, help="Default n(n-1)/2, at most 200.")
@click.option("--arch", type=click.Choice(["mlp", "resmlp"]), default="mlp", show_default=True)
@click.option("--hidden", default="256,256", show_default=True, help="Hidden layer widths.")
@click.option("--blocks", type=click.IntRange(min=0), default=0, show_default=True, help="Residual blocks (resmlp).")
@click.option(
    "--symmetry",
    type=click.Choice(["none", "augment", "canonical", "average"]),
    default="canonical",
    show_default=True,
    help="Use the conjugations that preserve the generators, and inversion.",
)
@click.option("--steps", type=click.IntRange(min=1), default=2000, show_default=True)
@click.option("--batch-size", type=click.IntRange(min=2), default=1024, show_default=True)
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=1e-3, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--threads", type=click.IntRange(min=1), default=None, help="Torch CPU threads (default: torch's).")
@click.option("--progress/--no-progress", default=None,
              help="Progress on stderr: a bar on a terminal, a line every few seconds in a log (default: bar on a terminal only).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def heuristic(group, gens, start, out, data, walk_mode, walk_length, arch, hidden, blocks, symmetry, steps,
              batch_size, lr, seed, threads, progress, fmt):
    """Train a neural distance heuristic for the Cayley/Schreier graph of GROUP and save it
    to --out, for `cayley path ... --heuristic FILE`.

    \b
    Examples:
      cayley train heuristic S_16 --gens lrx --out lrx16.pt
      cayley train heuristic S_8 --gens lrx --data bfs --steps 1500 --out lrx8.pt
    """
    need_torch()
    _set_threads(threads)
    from ..graphs import CayleyGraph
    from ..nn.training import train_heuristic

    widths = _widths(hidden)
    graph = CayleyGraph.from_spec(group, gens, start=start)
    with loss_progress(progress, graph.name) as cb:
        h = train_heuristic(
            graph, data=data, arch=arch, hidden=widths, blocks=blocks, symmetry=symmetry, steps=steps,
            batch_size=batch_size, lr=lr, walk_length=walk_length, walk_mode=walk_mode, seed=seed, progress=cb,
        )
    h.header["graph_spec"] = {"group": group, "gens": gens, "start": start}
    h.save(out)
    tr = h.header["training"]
    res = {
        "out": out,
        "graph": graph.name,
        "arch": arch,
        "hidden": list(widths),
        "blocks": blocks,
        "symmetry": symmetry,
        "symmetry_order": h.symmetry_order,
        "data": tr["data"],
        "steps": steps,
        "final_mse": tr["final_mse"],
        "seconds": tr["seconds"],
    }
    if fmt == "json":
        click.echo(json.dumps(res))
        return
    for key, v in res.items():
        click.echo(f"{key:<15}{v}")
