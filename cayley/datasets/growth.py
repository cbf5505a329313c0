"""Growth-function tables: one row per graph, with provenance."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from ..errors import InvalidInputError
from ..graphs.graph import CayleyGraph
from ._format import (Resource, check_dataset_id, check_license, column, finish_folder, prepare_folder, reproduce,
                      write_table)

__all__ = ["GrowthExport", "export_growth", "parse_family_range", "reference_graphs"]

GROWTH_COLUMNS = ("family", "params", "degree", "generators", "start", "order", "size", "growth", "diameter",
                  "completed", "source", "version", "engine", "backend", "seconds")

# the shared reference tables (cayley.reference) that are named families, keyed by degree
_REFERENCE_FAMILIES = ("all_cycles", "all_transpositions", "coxeter", "cyclic_coxeter", "derangements",
                       "full_reversals", "lrx", "lx", "pancake", "stars", "top_spin")


@dataclass(frozen=True)
class GrowthExport:
    """Summary of :func:`export_growth`: rows written, how many came from the results
    store and how many were computed (and saved into it), and whether a Parquet copy was
    written."""

    out: str
    rows: int
    from_store: int
    computed: int
    saved: int
    parquet: bool
    seconds: float
    metadata: dict


def parse_family_range(text: str) -> list[tuple[str, int]]:
    """``FAMILY[:PARAMS]@DEGREES`` as ``(generator spec, degree)`` pairs; degrees are
    ``5``, ``3-9`` (or ``3..9``) or a comma list ``4,6,8``.

    Examples
    --------
    >>> parse_family_range("lrx@3-5")
    [('lrx', 3), ('lrx', 4), ('lrx', 5)]
    >>> parse_family_range("top_spin:k=3@5,7")
    [('top_spin:k=3', 5), ('top_spin:k=3', 7)]
    """
    t = text.strip()
    if t.count("@") != 1:
        raise InvalidInputError(f"family {text!r}: expected FAMILY[:PARAMS]@DEGREES, e.g. lrx@3-9 or pancake@5,7")
    spec, degrees = (x.strip() for x in t.split("@"))
    out = []
    for part in degrees.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*(?:(?:-|\.\.)\s*(\d+)\s*)?", part)
        if not m or not spec:
            raise InvalidInputError(f"family {text!r}: degrees {degrees!r} must look like 5, 3-9 or 4,6,8")
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if hi < lo:
            raise InvalidInputError(f"family {text!r}: empty degree range {part.strip()!r}")
        out += [(spec, n) for n in range(lo, hi + 1)]
    return out


def reference_graphs(max_states: int = 1_000_000) -> list[tuple[str, CayleyGraph]]:
    """The graphs of the shared reference tables (:mod:`cayley.reference`) with at most
    ``max_states`` vertices, as ``(table, graph)``: each named family at each degree of its
    table, and ``lrx_coset`` as lrx on each start string.

    >>> [(t, g.name) for t, g in reference_graphs(6)][8:11]
    [('pancake', 'S_3 pancake'), ('stars', 'S_3 stars'), ('lrx_coset', 'S_3 lrx(k=1) on 001')]
    """
    from ..reference import load_reference

    out = []
    for table in _REFERENCE_FAMILIES:
        for key, growth in load_reference(table).items():
            if sum(growth) <= max_states and sum(growth) > 2:
                try:
                    out.append((table, CayleyGraph.from_spec(f"S_{int(key)}", table)))
                except InvalidInputError:  # a degree the family does not take
                    continue
    for key, growth in load_reference("lrx_coset").items():
        if sum(growth) <= max_states:
            out.append(("lrx_coset", CayleyGraph.from_spec(f"S_{len(key)}", "lrx", start=key)))
    return out


def export_growth(
    families: Sequence[str] = (),
    *,
    out,
    reference: bool = False,
    reference_max_states: int = 1_000_000,
    start: Optional[str] = None,
    engine: str = "auto",
    max_states: Optional[int] = None,
    store=None,
    save: bool = False,
    all_stored: bool = False,
    shipped: bool = False,
    title: Optional[str] = None,
    dataset_id: Optional[str] = None,
    license: str = "CC0-1.0",
    overwrite: bool = False,
    progress: Optional[Callable[[int, int], None]] = None,
) -> GrowthExport:
    """Write growth functions as ``growth.csv`` (and ``growth.parquet`` when pyarrow is
    installed), with ``README.md`` and ``dataset-metadata.json``.

    Each row is one graph: family, parameters, degree, generators, start state, order,
    growth, diameter, completed flag and provenance (cayley version, engine, backend,
    seconds). A row comes from the results store (:mod:`cayley.conjectures.store`) when it
    holds the graph's completed search (or, with ``max_states``, a search at least that
    large); otherwise it is computed by :func:`cayley.bfs` (and saved there with ``save``).

    Parameters
    ----------
    families : sequence of str
        ``FAMILY[:PARAMS]@DEGREES`` items (see :func:`parse_family_range`).
    out : path
        Output folder.
    reference : bool
        Also export the graphs of the shared reference tables (:func:`reference_graphs`)
        with at most ``reference_max_states`` vertices.
    start : str, optional
        Start state for the ``families`` rows (its length must match every degree).
    engine : {"auto", "hash", "rank"}
        BFS engine.
    max_states : int, optional
        Stop each search after this many states (the row is then marked incomplete).
    store : path, ResultsStore, False or None
        The results store to read (and with ``save`` write). None: the default store
        (``$XDG_DATA_HOME/cayley/results.sqlite``) when that file exists; False: none,
        compute every row.
    save : bool
        Save the computed rows in the store (created if needed).
    shipped : bool
        Also export the rows that ship with cayley (:func:`~cayley.conjectures.campaign.shipped_rows`;
        permutation groups with at most :data:`MAX_EXPORT_GENERATORS` generators), source ``shipped``.
    all_stored : bool
        Also export every result in the store.
    title, dataset_id, license, overwrite
        As in :func:`~cayley.datasets.export_paths`.
    progress : callable, optional
        ``progress(done, total)`` after each row.

    Examples
    --------
    >>> import tempfile
    >>> from cayley.datasets import load
    >>> d = tempfile.mkdtemp()
    >>> e = export_growth(["lrx@3-5"], out=d)
    >>> [(r["degree"], r["growth"], r["diameter"]) for r in load(d)["growth"]]
    [(3, (1, 3, 2), 2), (4, (1, 3, 5, 6, 5, 3, 1), 6), (5, (1, 3, 6, 10, 16, 24, 29, 21, 6, 3, 1), 10)]
    """
    t0 = time.perf_counter()
    check_license(license)
    check_dataset_id(dataset_id)
    if engine not in ("auto", "hash", "rank"):
        raise InvalidInputError(f"unknown engine {engine!r}: expected auto, hash or rank")
    families = [families] if isinstance(families, str) else families
    graphs, db = _graphs_to_export(families, start, reference, reference_max_states, store, save, all_stored, shipped)
    with prepare_folder(out, overwrite) as folder:  # a failed export leaves out as it was
        rows, saved = _growth_rows(graphs, db, engine, max_states, save, progress)
        cols = [column(c) for c in GROWTH_COLUMNS]
        write_table(folder / "growth.csv", cols, ([r[c] for c in GROWTH_COLUMNS] for r in rows))
        resources = [Resource("growth.csv", "Growth functions, one graph per row.", cols)]
        parquet = _write_parquet(folder / "growth.parquet", rows)
        if parquet:
            resources.append(Resource("growth.parquet",
                                      "The same table in Parquet (growth and start as integer lists)."))

        from_store, from_shipped = (sum(1 for r in rows if r["source"] == k) for k in ("store", "shipped"))
        what, how = _growth_description(len(rows), from_store, reference, from_shipped)
        command, python = _reproduce_growth(families, reference, reference_max_states, start, engine, max_states,
                                            store, save, all_stored, title, dataset_id, license, out, shipped)
        done = sum(1 for r in rows if r["completed"])
        facts = [("graphs", str(len(rows))), ("completed searches", f"{done} of {len(rows)}"),
                 ("largest graph", f"{max(r['size'] for r in rows):,} states")]
        meta = finish_folder(
            folder, title=title or "Cayley graph growth functions", dataset_id=dataset_id, license=license,
            resources=resources, what=what, how=how,
            subtitle="Exact growth functions and diameters of Cayley graphs, made with cayley",
            command=command, python=python, facts=facts, keywords=["mathematics"],
        )
        return GrowthExport(str(folder.out), len(rows), from_store, len(rows) - from_store - from_shipped, saved, parquet,
                            time.perf_counter() - t0, meta)


MAX_EXPORT_GENERATORS = 5000  # a row's generators are written out in full


def _graphs_to_export(families, start, reference, reference_max_states, store, save, all_stored, shipped=False):
    """The graphs to export, each once in order of first mention (``families``, then the
    reference graphs, then the stored results, then the shipped rows), and the results
    store (see :func:`export_growth`)."""
    graphs: list[CayleyGraph] = []
    for item in families:
        for spec, n in parse_family_range(item):
            graphs.append(CayleyGraph.from_spec(f"S_{n}", spec, start=start))
    if reference:
        graphs += [g for _, g in reference_graphs(reference_max_states)]
    db = _open_store(store, save or all_stored)
    if all_stored:
        graphs += [e.graph for e in db.results()]
    if shipped:
        from ..conjectures.campaign import shipped_rows
        from ..groups.library import get_family

        for row in shipped_rows():
            if getattr(get_family(row.family), "kind", "permutation") == "matrix":
                continue
            g = row.graph()
            if len(g.generators) <= MAX_EXPORT_GENERATORS:
                graphs.append(g)
    graphs = list(dict.fromkeys(graphs))  # each graph once, first mention first
    if not graphs:
        raise InvalidInputError(
            "nothing to export: give families (e.g. lrx@3-9), reference=True (--reference) or all_stored=True "
            "(--all-stored) with a non-empty store"
        )
    return graphs, db


def _growth_rows(graphs, db, engine, max_states, save, progress) -> tuple[list[dict], int]:
    """One row per graph, read from the store when it holds a search that is complete
    (or has at least ``max_states`` states), else computed by BFS (and saved with
    ``save``); also how many computed results the store took."""
    rows = []
    saved = 0
    from ..conjectures.check import shipped_result

    for i, g in enumerate(graphs):
        stored = db.load(g) if db is not None else None
        ship = shipped_result(g) if stored is None or not stored.completed else None
        if stored is not None and (stored.completed or (max_states is not None and stored.size >= max_states)):
            rows.append(_result_row(stored, "store"))
        elif ship is not None:
            rows.append(_result_row(ship, "shipped"))
        else:
            from ..graphs import bfs

            r = bfs(g, engine=engine, max_states=max_states, store_layers_up_to=0, last_layer_limit=0)
            if save:
                saved += int(db.save(r))
            rows.append(_result_row(r, "computed"))
        if progress is not None:
            progress(i + 1, len(graphs))
    return rows, saved


def _growth_description(nrows: int, from_store: int, reference: bool, from_shipped: int = 0) -> tuple[str, str]:
    """What the growth table holds and how it was made (for the README)."""
    what = (f"Growth functions of {nrows} Cayley and Schreier graphs of permutation groups: for each graph, "
            "the number of states at each distance from the start state (growth[d]), the diameter, the order "
            "and how the row was computed. Sum of growth = order for completed rows.")
    how = ("Breadth-first search from the start state with cayley.bfs (engines: hash = exact hash sets of packed "
           "states; rank = a 2-bit-per-state bitset over a perfect ranking). Order: Schreier-Sims (sympy) or the "
           f"orbit size. {nrows - from_store - from_shipped} rows were computed for this export and {from_store} "
           "read from the cayley results store, where earlier runs saved them (column source). "
           + (f"{from_shipped} rows are growth functions past the published tables that ship with cayley, each "
              "checked by a second route when computed (source shipped; see cayley's docs/new-values.md). "
              if from_shipped else "")
           + ("Includes the graphs of cayley's shared reference tables (independent CayleyPy data), "
              "which the rows reproduce exactly. " if reference else ""))
    return what, how


def _reproduce_growth(families, reference, reference_max_states, start, engine, max_states, store, save,
                      all_stored, title, dataset_id, license, out, shipped=False) -> tuple[str, str]:
    """The shell command and the Python code that reproduce an :func:`export_growth` call."""
    command, call = reproduce(
        ["cayley", "dataset", "export", "growth"], "export_growth", [], [
            ("--families", "families", list(families), []), ("--reference", "reference", reference, False),
            ("--reference-max-states", "reference_max_states", reference_max_states, 1_000_000),
            ("--start", "start", start, None), ("--engine", "engine", engine, "auto"),
            ("--max-states", "max_states", max_states, None),
            ("--db", "store", None if store is None or store is False else str(getattr(store, "path", store)),
             None),
            ("--store", "store", False if store is False else None, None),
            ("--save", "save", save, False), ("--all-stored", "all_stored", all_stored, False),
            ("--shipped", "shipped", shipped, False),
            ("--title", "title", title, None),
            ("--id", "dataset_id", dataset_id, None), ("--license", "license", license, "CC0-1.0"),
            ("--out", "out", str(out), None),
        ])
    return command, "from cayley.datasets import export_growth\n" + call


def _open_store(store, create: bool):
    """The results store to use, or None (see :func:`export_growth`)."""
    if store is False:
        return None
    from ..conjectures.store import ResultsStore, default_path

    if isinstance(store, ResultsStore):
        return store
    path = default_path() if store is None else store
    if store is None and not create and not path.exists():
        return None  # reading only: do not create an empty default store
    return ResultsStore(path)


def _result_row(result, source: str) -> dict:
    g = result.graph
    gs = g.generators
    try:
        order = g.orbit_size()
    except Exception:  # sympy failure: the order is optional
        order = None
    return {
        "family": gs.family or "custom",
        "params": {k: v for k, v in gs.params if k != "n"},
        "degree": g.degree,
        "generators": {name: p.tolist() for name, p in zip(gs.names, gs.perms)},
        "start": g.start.tolist(),
        "order": order,
        "size": result.size,
        "growth": list(result.growth),
        "diameter": result.diameter,
        "completed": bool(result.completed),
        "source": source,
        "version": result.version,
        "engine": result.engine,
        "backend": result.backend,
        "seconds": round(float(result.seconds), 6),
    }


def _write_parquet(path, rows: list[dict]) -> bool:
    """Write the rows as Parquet when pyarrow is installed (optional, not a dependency)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return False
    import json

    cols = {c: [r[c] for r in rows] for c in GROWTH_COLUMNS}
    for c in ("params", "generators"):
        cols[c] = [json.dumps(v) for v in cols[c]]
    fits = all(o is None or o < 2**63 for o in cols["order"])
    if not fits:
        cols["order"] = [None if o is None else str(o) for o in cols["order"]]
    schema = pa.schema([
        ("family", pa.string()), ("params", pa.string()), ("degree", pa.int64()), ("generators", pa.string()),
        # orders past int64 (degree 21 and up) are written as decimal strings
        ("start", pa.list_(pa.int64())), ("order", pa.int64() if fits else pa.string()), ("size", pa.int64()),
        ("growth", pa.list_(pa.int64())), ("diameter", pa.int64()), ("completed", pa.bool_()),
        ("source", pa.string()), ("version", pa.string()), ("engine", pa.string()), ("backend", pa.string()),
        ("seconds", pa.float64()),
    ])
    pq.write_table(pa.table(cols, schema=schema), path)
    return True
