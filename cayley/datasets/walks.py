"""Random-walk training sets: states, how many moves the walk took, exact distances."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Mapping, Optional, Union

import numpy as np

from ..graphs.graph import CayleyGraph
from ..graphs.paths import SeedLike, check_positive, check_walk_mode
from ._format import (Resource, check_dataset_id, check_license, column, finish_folder, prepare_folder, reproduce,
                      write_json, write_table)
from .paths import TABLE_MAX_STATES
from .puzzle import LAYOUTS, parse_rename, puzzle_info

__all__ = ["WalksExport", "export_walks"]


@dataclass(frozen=True)
class WalksExport:
    """Summary of :func:`export_walks`: rows written, rows with an exact distance, and
    whether every walk length bounded its distance from above (always, by construction)."""

    out: str
    rows: int
    distances_known: int
    seconds: float
    metadata: dict


def export_walks(
    group: str,
    gens: str,
    *,
    count: int,
    length: int,
    out,
    mode: str = "classic",
    seed: SeedLike = 0,
    start: Optional[str] = None,
    rename: Union[None, str, Mapping[str, str]] = None,
    exact: bool = True,
    table_max_states: int = TABLE_MAX_STATES,
    title: Optional[str] = None,
    dataset_id: Optional[str] = None,
    license: str = "CC0-1.0",
    overwrite: bool = False,
) -> WalksExport:
    """Write a random-walk training set (``walks.csv``), ``puzzle_info.json``, ``README.md``
    and ``dataset-metadata.json``.

    The walks are :func:`cayley.graphs.paths.random_walks` from the central state by the
    inverse generators, so ``walk_length`` moves by the generators lead back from each
    state: an upper bound on its distance, the usual target of a learned heuristic.

    Parameters
    ----------
    group, gens : str
        The graph (``"S_12"``, ``"pancake"``).
    count, length : int
        Number of walks and moves per walk (``bfs_unique``: states kept per layer, layers).
    out : path
        Output folder.
    mode : {"classic", "non_backtracking", "reduced", "bfs_unique"}
        See :func:`~cayley.graphs.paths.random_walks`.
    seed : int, numpy Generator or None
    start : str, optional
        Central state (repeated symbols: a Schreier graph).
    rename : optional
        Move names in ``puzzle_info.json`` (see :func:`~cayley.datasets.puzzle.parse_rename`).
    exact : bool
        Fill ``distance`` from a breadth-first distance table when the graph has at most
        ``table_max_states`` states (left empty otherwise).
    title, dataset_id, license, overwrite
        As in :func:`~cayley.datasets.export_paths`.

    Examples
    --------
    >>> import tempfile
    >>> e = export_walks("S_6", "lrx", count=5, length=8, seed=0, out=tempfile.mkdtemp())
    >>> e.rows, e.distances_known
    (45, 45)
    """
    t0 = time.perf_counter()
    _check_walks_args(count, length, mode, table_max_states, license, dataset_id)
    graph = CayleyGraph.from_spec(group, gens, start=start)
    names = parse_rename(rename, graph.generators)
    with prepare_folder(out, overwrite) as folder:  # a failed export leaves out as it was

        from ..graphs.paths import random_walks

        table, order = _distance_table(graph, exact, table_max_states)
        w = random_walks(graph, count=count, length=length, mode=mode, seed=seed, table=table)
        dist = w.distances if w.distances is not None else [None] * len(w)
        if table is not None and np.any(np.asarray(dist) > w.steps):  # a walk shorter than the distance: a bug
            raise RuntimeError("internal error: a walk length is below the exact distance")
        cols = [column("state"), column("walk"), column("walk_length"), column("distance")]
        rows = write_table(folder / "walks.csv", cols, (
            [s, int(k), int(st), None if d is None or d < 0 else int(d)]
            for s, k, st, d in zip(w.states, w.walk, w.steps, dist)))
        write_json(folder / "puzzle_info.json", puzzle_info(graph, group, gens, names, LAYOUTS["id-path"]))
        known = 0 if w.distances is None else int(np.count_nonzero(np.asarray(w.distances) >= 0))

        resources = [
            Resource("walks.csv", "States from random walks with their walk lengths and exact distances.", cols),
            Resource("puzzle_info.json", "Central state and the generators (moves) by name as one-line permutations."),
        ]
        what, how = _describe_walks(graph, rows, count, length, mode, order if table is not None else None)
        command, python = _reproduce_walks(group, gens, count, length, mode, seed, start, rename, exact,
                                           table_max_states, title, dataset_id, license, out)
        facts = [("graph", graph.name), ("rows", f"{rows:,}"), ("exact distances", f"{known:,} of {rows:,}")]
        meta = finish_folder(
            folder, title=title or f"Cayley walks {graph.name}", dataset_id=dataset_id, license=license,
            resources=resources, what=what, how=how,
            subtitle=f"Random walks on {graph.name} with walk lengths and distances, made with cayley",
            command=command, python=python, facts=facts,
            keywords=["mathematics"],
        )
        return WalksExport(str(folder.out), rows, known, time.perf_counter() - t0, meta)


def _check_walks_args(count: int, length: int, mode: str, table_max_states: int, license: str,
                      dataset_id: Optional[str]) -> None:
    """Reject invalid settings (before the graph is built)."""
    check_positive("count", count, allow_none=False)
    check_positive("length", length, allow_zero=True, allow_none=False)
    check_positive("table_max_states", table_max_states, allow_zero=True, allow_none=False)
    check_walk_mode(mode)
    check_license(license)
    check_dataset_id(dataset_id)


def _distance_table(graph: CayleyGraph, exact: bool, limit: int):
    """A breadth-first distance table when asked for and the graph has at most ``limit``
    states (else None); and the graph's order when computed."""
    from ..graphs.heuristics import PatternDatabase

    table = None
    order = None
    if exact and limit:
        try:
            order = graph.orbit_size()
        except Exception:  # sympy failure: no table
            order = None
        if order is not None and order <= limit:
            table = PatternDatabase.build(graph)
    return table, order


def _describe_walks(graph: CayleyGraph, rows: int, count: int, length: int, mode: str, table_order: Optional[int]):
    """The README's ``what`` and ``how``; ``table_order`` is the order of the graph whose
    distance table gave the distances, None without one."""
    what = (f"Random-walk training set on the {'Schreier' if graph.is_schreier else 'Cayley'} graph {graph.name}: "
            f"{rows:,} states, each with the number of moves its walk took from the central state and, where "
            "computed, its exact distance. Use it to train a distance estimate (heuristic) for path finding.")
    mode_text = {"classic": "each move a uniformly random generator",
                 "non_backtracking": "never stepping straight back",
                 "reduced": "words kept reduced up to commuting generators",
                 "bfs_unique": "a breadth-first search whose layers were cut to random samples"}[mode]
    how = (f"{count} walks of {length} moves ({mode_text}) from the central state by the inverse generators "
           "(cayley.graphs.paths.random_walks), so walk_length moves by the generators lead back: an upper bound "
           "on the distance. " + (f"Exact distances from a breadth-first distance table of all {table_order:,} states."
                                  if table_order is not None else "Exact distances were not computed (graph too large)."))
    return what, how


def _reproduce_walks(group, gens, count, length, mode, seed, start, rename, exact, table_max_states, title,
                     dataset_id, license, out):
    """The command line and Python call that remake the export."""
    command, call = reproduce(
        ["cayley", "dataset", "export", "walks"], "export_walks", [(None, group), ("--gens", gens)], [
            ("--count", "count", count, None), ("--length", "length", length, None),
            ("--mode", "mode", mode, "classic"),
            ("--seed", "seed", seed if isinstance(seed, (int, np.integer)) else None, None),
            ("--start", "start", start, None), ("--rename", "rename", rename, None),
            ("--exact", "exact", exact, True),
            ("--table-max-states", "table_max_states", table_max_states, TABLE_MAX_STATES),
            ("--title", "title", title, None), ("--id", "dataset_id", dataset_id, None),
            ("--license", "license", license, "CC0-1.0"), ("--out", "out", str(out), None),
        ])
    return command, "from cayley.datasets import export_walks\n" + call
