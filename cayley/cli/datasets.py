"""``cayley dataset``: export Kaggle datasets and verify submissions; parse, call
cayley.datasets, print."""

from __future__ import annotations

import json

import click

from ..datasets.paths import TABLE_MAX_STATES
from ..graphs.paths import WALK_MODES
from .options import graph_options
from .progress import count_progress



def _common_meta(f):
    f = click.option("--overwrite", is_flag=True,
                     help="Write into a non-empty --out: replace the files an earlier cayley export wrote there "
                          "(its dataset-metadata.json lists them) and keep every other file; a file cayley did "
                          "not write under an export file's name (README.md, test.csv, ...) is refused.")(f)
    f = click.option("--license", "license_", default="CC0-1.0", show_default=True, help="Kaggle license name.")(f)
    f = click.option("--id", "dataset_id", default=None,
                     help="Kaggle dataset id owner/slug (default $KAGGLE_USERNAME or cayley, /<slug of the title>).")(f)
    f = click.option("--title", default=None, help="Kaggle dataset title (6 to 50 characters).")(f)
    f = click.option("--out", "-o", required=True, type=click.Path(file_okay=False),
                     help="Output folder: new or empty (see --overwrite).")(f)
    return f


def _progress_option(f):
    return click.option("--progress/--no-progress", default=None,
                        help="Progress on stderr: a bar on a terminal, a line every few seconds in a log "
                        "(default: bar on a terminal only).")(f)


def _format_option(f):
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)(f)


def _ball(value: str):
    if value == "auto":
        return value
    try:
        v = int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not auto or an integer >= 0", param_hint="--ball") from None
    if v < 0:
        raise click.BadParameter(f"{value!r} is not auto or an integer >= 0", param_hint="--ball")
    return v


@click.group()
def dataset():
    """Kaggle datasets: export path-finding benchmarks, random walks and growth tables;
    verify submissions.

    \b
    Examples:
      cayley dataset export paths S_16 --gens lrx --count 100 --scramble-length 24 --seed 0 --out lrx16
      cayley dataset verify lrx16 --submission lrx16/sample_submission.csv
      cayley dataset export walks S_10 --gens pancake --count 1000 --length 20 --out walks10
      cayley dataset export growth --families lrx@3-10 --families pancake@3-9 --out growth
    """


@dataset.group()
def export():
    """Write a dataset folder (with dataset-metadata.json and README.md)."""


@export.command("paths")
@graph_options(as_text=True)
@click.option("--count", "-n", type=click.IntRange(min=1), required=True, help="Number of test states.")
@click.option("--scramble-length", "-l", type=click.IntRange(min=0), default=None,
              help="Random moves per state (default: uniformly random states).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seeds the states and beam search.")
@click.option("--layout", type=click.Choice(["id-path", "initial-state-id", "id-permutation-solution"]),
              default="id-path", show_default=True,
              help="id,initial_state / id,path; initial_state_id,...; or id,n,permutation / id,permutation,solution.")
@click.option("--rename", default=None,
              help="Move names: OLD=NEW,OLD=NEW, a CSV/JSON file, or the preset pancake-size (R1 -> R2, ...).")
@click.option("--heuristic", type=click.Choice(["auto", "hamming", "breakpoints"]), default="auto", show_default=True,
              help="Beam search heuristic; auto: breakpoints for pancake and reversals, else Hamming.")
@click.option("--beam-width", type=click.IntRange(min=1), default=1024, show_default=True)
@click.option("--max-steps", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--ball", default="auto", show_default=True,
              help="Radius of the BFS ball beam search meets around the central state (auto: <= 50,000 states).")
@click.option("--exact/--no-exact", default=True, show_default=True, help="Write solutions.csv with exact distances.")
@click.option("--exact-max-states", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="State budget of meet-in-the-middle per row.")
@click.option("--table-max-states", type=click.IntRange(min=0), default=TABLE_MAX_STATES, show_default=True,
              help="Use one BFS distance table when the graph has at most this many states.")
@_common_meta
@_format_option
@_progress_option
def export_paths_cmd(group, gens, start, count, scramble_length, seed, layout, rename, heuristic, beam_width,
                     max_steps, ball, exact, exact_max_states, table_max_states, out, title, dataset_id, license_,
                     overwrite, fmt, progress):
    """Path-finding benchmark on the Cayley/Schreier graph of GROUP in the Kaggle layout:
    test.csv, puzzle_info.json, sample_submission.csv (beam search) and solutions.csv."""
    from ..datasets import export_paths

    with count_progress(progress, "solving") as cb:
        e = export_paths(
            group, gens, count=count, out=out, scramble_length=scramble_length, seed=seed, start=start, layout=layout,
            rename=rename, heuristic=heuristic, beam_width=beam_width, max_steps=max_steps, ball=_ball(ball),
            exact=exact, exact_max_states=exact_max_states, table_max_states=table_max_states, title=title,
            dataset_id=dataset_id, license=license_, overwrite=overwrite, progress=cb,
        )
    d = {"out": e.out, "count": e.count, "score": e.score, "beam_solved": e.beam_solved,
         "optimal_known": e.optimal_known, "optimal_score": e.optimal_score, "seconds": round(e.seconds, 3),
         "id": e.metadata["id"]}
    if fmt == "json":
        click.echo(json.dumps(d))
        return
    click.echo(f"wrote {e.out}: {e.count} states, sample submission score {e.score} "
               f"({e.beam_solved} solved by beam search)")
    if exact:
        opt = f", optimal score {e.optimal_score}" if e.optimal_score is not None else ""
        click.echo(f"exact distances known for {e.optimal_known} of {e.count}{opt}")
    click.echo(f"{e.seconds:.2f} s; kaggle datasets create -p {e.out}")


@export.command("walks")
@graph_options(as_text=True)
@click.option("--count", "-n", type=click.IntRange(min=1), required=True, help="Number of walks.")
@click.option("--length", "-l", type=click.IntRange(min=0), required=True, help="Moves per walk.")
@click.option("--mode", type=click.Choice(list(WALK_MODES)), default="classic",
              show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--rename", default=None, help="Move names in puzzle_info.json (as for export paths).")
@click.option("--exact/--no-exact", default=True, show_default=True, help="Exact distances from a BFS table.")
@click.option("--table-max-states", type=click.IntRange(min=0), default=TABLE_MAX_STATES, show_default=True)
@_common_meta
@_format_option
def export_walks_cmd(group, gens, start, count, length, mode, seed, rename, exact, table_max_states, out, title,
                     dataset_id, license_, overwrite, fmt):
    """Random-walk training set on GROUP: state, walk length, exact distance when known."""
    from ..datasets import export_walks

    e = export_walks(group, gens, count=count, length=length, out=out, mode=mode, seed=seed, start=start,
                     rename=rename, exact=exact, table_max_states=table_max_states, title=title,
                     dataset_id=dataset_id, license=license_, overwrite=overwrite)
    if fmt == "json":
        click.echo(json.dumps({"out": e.out, "rows": e.rows, "distances_known": e.distances_known,
                               "seconds": round(e.seconds, 3), "id": e.metadata["id"]}))
        return
    click.echo(f"wrote {e.out}: {e.rows:,} states, exact distances for {e.distances_known:,}; {e.seconds:.2f} s")


@export.command("growth")
@click.option("--families", "-f", multiple=True, help="FAMILY[:PARAMS]@DEGREES, e.g. lrx@3-10, top_spin:k=3@5,7.")
@click.option("--reference", is_flag=True, help="Also export the graphs of cayley's shared reference tables.")
@click.option("--reference-max-states", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Largest reference graph to include.")
@click.option("--start", default=None, help="Start state for the --families rows.")
@click.option("--engine", type=click.Choice(["auto", "hash", "rank"]), default="auto", show_default=True)
@click.option("--max-states", type=click.IntRange(min=1), default=None, help="Stop each search after this many states.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Results store file; default $XDG_DATA_HOME/cayley/results.sqlite (read when it exists).")
@click.option("--store/--no-store", default=True, show_default=True,
              help="Take rows from the results store when it holds them; --no-store computes every row.")
@click.option("--save", is_flag=True, help="Save the computed rows in the results store.")
@click.option("--all-stored", is_flag=True, help="Also export every result in the results store.")
@click.option("--shipped", is_flag=True,
              help="Also export the rows past the published tables that ship with cayley (permutation groups).")
@_common_meta
@_format_option
@_progress_option
def export_growth_cmd(families, reference, reference_max_states, start, engine, max_states, db, store, save,
                      all_stored, shipped, out, title, dataset_id, license_, overwrite, fmt, progress):
    """Growth functions (CSV, and Parquet when pyarrow is installed) with provenance."""
    from ..datasets import export_growth

    if not store and (db or save or all_stored):
        raise click.UsageError("--no-store cannot be combined with --db, --save or --all-stored")
    with count_progress(progress, "graphs") as cb:
        e = export_growth(list(families), out=out, reference=reference, reference_max_states=reference_max_states,
                          start=start, engine=engine, max_states=max_states, store=(db if store else False),
                          save=save, all_stored=all_stored, shipped=shipped, title=title, dataset_id=dataset_id,
                          license=license_, overwrite=overwrite, progress=cb)
    store_path = None
    if store:
        from ..conjectures.store import default_path

        store_path = str(db or default_path())
    if fmt == "json":
        click.echo(json.dumps({"out": e.out, "rows": e.rows, "from_store": e.from_store, "computed": e.computed,
                               "saved": e.saved, "store": store_path, "parquet": e.parquet,
                               "seconds": round(e.seconds, 3), "id": e.metadata["id"]}))
        return
    extra = " and growth.parquet" if e.parquet else ""
    saved = f", {e.saved} saved" if save else ""
    click.echo(f"wrote {e.out}/growth.csv{extra}: {e.rows} graphs ({e.from_store} from the results store, "
               f"{e.computed} computed{saved}); {e.seconds:.2f} s")
    if e.from_store:  # rows that earlier runs saved: say where they came from and how to avoid them
        click.echo(f"{e.from_store} rows were read from the results store {store_path} (column source = store; "
                   f"`cayley store list` shows them); --no-store computes every row")


@dataset.command("verify")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--submission", "-s", required=True, type=click.Path(dir_okay=False), help="Submission CSV.")
@click.option("--max-errors", type=click.IntRange(min=1), default=5, show_default=True, help="Problems to list.")
@_format_option
def verify(folder, submission, max_errors, fmt):
    """Check a submission against the dataset in FOLDER: every id once, valid move names,
    every path ends at the central state. Prints the score (total moves).

    Exit code 0: accepted; 1: rejected (the first problems are listed); 2: the submission
    or the dataset cannot be read (not UTF-8, malformed CSV or JSON, a file outside FOLDER).
    """
    from ..datasets import verify_submission

    r = verify_submission(folder, submission, max_errors=max_errors)
    if fmt == "json":
        click.echo(json.dumps({
            "ok": r.ok, "score": r.score, "rows": r.rows, "valid_rows": r.valid_rows,
            "expected_rows": r.expected_rows, "error_count": r.error_count,
            "errors": [{"row": e.row, "id": e.id, "reason": e.reason} for e in r.errors],
        }))
    else:
        click.echo(r.summary())
        for e in r.errors[1:]:
            click.echo(f"  also: {e}")
    if not r.ok:
        click.get_current_context().exit(1)
