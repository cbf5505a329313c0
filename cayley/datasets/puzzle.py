"""The puzzle a path-finding dataset poses: generators under their dataset names (after an
optional rename table), the central state, and the table layout (``puzzle_info.json``).

Verification reads only ``puzzle_info.json`` and ``test.csv``, so a folder can be checked
without knowing which cayley family made it.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Mapping, Union

import numpy as np

from ..errors import CayleyError, InvalidInputError
from ..graphs.graph import CayleyGraph
from ..groups.generator_set import GeneratorSet

__all__ = ["Layout", "LAYOUTS", "parse_rename", "puzzle_info", "graph_from_info", "RENAME_PRESETS"]


@dataclass(frozen=True)
class Layout:
    """Column names of one competition layout.

    ``test`` lists test.csv's columns and ``submission`` the submission's; ``id`` names
    the id column, ``state`` the column holding the initial state and ``path`` the
    column holding the moves.
    """

    name: str
    id: str
    test: tuple[str, ...]
    state: str
    submission: tuple[str, ...]
    path: str


LAYOUTS: dict[str, Layout] = {
    # the competition layout: test.csv id,initial_state; submission id,path
    "id-path": Layout("id-path", "id", ("id", "initial_state"), "initial_state", ("id", "path"), "path"),
    # CayleyPy competitions keyed by initial_state_id (transposons, reversals, cubes, ...)
    "initial-state-id": Layout(
        "initial-state-id", "initial_state_id", ("initial_state_id", "initial_state"), "initial_state",
        ("initial_state_id", "path"), "path",
    ),
    # CayleyPy pancake / Glushkov / RapaportM2: test.csv id,n,permutation; submission id,permutation,solution
    "id-permutation-solution": Layout(
        "id-permutation-solution", "id", ("id", "n", "permutation"), "permutation",
        ("id", "permutation", "solution"), "solution",
    ),
}


def get_layout(name: str) -> Layout:
    try:
        return LAYOUTS[name]
    except KeyError:
        raise InvalidInputError(f"unknown layout {name!r}: expected one of {', '.join(LAYOUTS)}") from None


def _pancake_size(gens: GeneratorSet) -> dict[str, str]:
    """Name each prefix reversal by how many elements it flips (R1 -> R2, ...), the names
    of the Kaggle CayleyPy pancake competition."""
    if gens.family != "pancake":
        raise InvalidInputError(f"rename preset 'pancake-size' needs the pancake family, not {gens.family or 'custom'}")
    out = {}
    for name, p in zip(gens.names, gens.perms):
        moved = np.flatnonzero(p != np.arange(len(p)))
        out[name] = f"R{int(moved.max()) + 1}"
    return out


RENAME_PRESETS = {"pancake-size": _pancake_size}
_NAME = re.compile(r"[^\s.,;=\"']+")


def parse_rename(spec: Union[None, str, Mapping[str, str]], gens: GeneratorSet) -> dict[str, str]:
    """The rename table ``{cayley name: dataset name}`` for every generator.

    ``spec`` is None (keep the names), a mapping, ``"OLD=NEW,OLD=NEW"``, a preset
    (``"pancake-size"``: ``R1`` -> ``R2``, the number of elements flipped), or the path of a
    CSV file with two columns (cayley name, dataset name) or of a JSON object.
    Unlisted generators keep their names; dataset names must be distinct and free of
    ``.``, ``,``, ``;``, ``=``, quotes and spaces.

    Examples
    --------
    >>> from cayley.groups import generators
    >>> parse_rename("X=S", generators("lrx", 4))
    {'L': 'L', 'R': 'R', 'X': 'S'}
    >>> parse_rename("pancake-size", generators("pancake", 4))
    {'R1': 'R2', 'R2': 'R3', 'R3': 'R4'}
    """
    table: dict[str, str]
    if spec is None or spec == "":
        table = {}
    elif isinstance(spec, Mapping):
        table = {str(k): str(v) for k, v in spec.items()}
    elif spec in RENAME_PRESETS:
        table = RENAME_PRESETS[spec](gens)
    elif os.path.isfile(spec):
        table = _read_rename_file(spec)
    else:
        table = {}
        for item in spec.split(","):
            if not item.strip():
                continue
            if item.count("=") != 1:
                raise InvalidInputError(
                    f"rename item {item!r}: expected OLD=NEW (e.g. R1=R2,R2=R3), a preset "
                    f"({', '.join(RENAME_PRESETS)}) or a CSV/JSON file"
                )
            old, new = (x.strip() for x in item.split("="))
            table[old] = new
    for old in table:
        if old not in gens.names:
            raise InvalidInputError(f"rename: no generator named {old!r}; names are {list(gens.names)}")
    full = {name: table.get(name, name) for name in gens.names}
    for new in full.values():
        if not _NAME.fullmatch(new):
            raise InvalidInputError(f"rename: move name {new!r} must be non-empty without . , ; = quotes or spaces")
    dup = sorted({v for v in full.values() if list(full.values()).count(v) > 1})
    if dup:
        raise InvalidInputError(f"rename: move names must be distinct, repeated: {dup}")
    return full


def _read_rename_file(path: str) -> dict[str, str]:
    text = FsPath(path).read_text(encoding="utf-8")
    if path.endswith(".json"):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"rename file {path}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise InvalidInputError(f"rename file {path}: expected a JSON object {{old: new}}")
        return {str(k): str(v) for k, v in obj.items()}
    rows = [r for r in csv.reader(text.splitlines()) if r]
    if rows and [c.strip().lower() for c in rows[0]] in (["cayley", "dataset"], ["old", "new"], ["from", "to"]):
        rows = rows[1:]
    bad = [r for r in rows if len(r) != 2]
    if bad:
        raise InvalidInputError(f"rename file {path}: expected two columns (cayley name, dataset name), got {bad[0]}")
    return {r[0].strip(): r[1].strip() for r in rows}


def puzzle_info(graph: CayleyGraph, group: str, gens: str, rename: dict[str, str], layout: Layout) -> dict:
    """The ``puzzle_info.json`` object of a dataset on ``graph``: the central state, the
    generators under their dataset names (``rename`` from :func:`parse_rename`), the
    action convention and the layout's column names.

    >>> g = CayleyGraph.from_spec("S_3", "lrx")
    >>> info = puzzle_info(g, "S_3", "lrx", {"L": "L", "R": "R", "X": "S"}, LAYOUTS["id-path"])
    >>> info["central_state"], info["generators"], info["renamed"]
    ([0, 1, 2], {'L': [1, 2, 0], 'R': [2, 0, 1], 'S': [1, 0, 2]}, {'X': 'S'})
    """
    names = [rename[n] for n in graph.generators.names]
    return {
        "puzzle": graph.name,
        "group": group,
        "generators_spec": gens,
        "degree": graph.degree,
        "central_state": graph.start.tolist(),
        "generators": {name: p.tolist() for name, p in zip(names, graph.generators.perms)},
        "inverse_closed": bool(graph.undirected),
        "convention": "A move p sends a state s to s' with s'[i] = s[p[i]]. A path's moves, "
        "applied in turn to the initial state, must end at the central state.",
        "path_separator": ".",
        "layout": layout.name,
        "id_column": layout.id,
        "state_column": layout.state,
        "path_column": layout.path,
        "test_columns": list(layout.test),
        "submission_columns": list(layout.submission),
        "renamed": {old: new for old, new in rename.items() if old != new},
    }


def graph_from_info(info: dict) -> tuple[CayleyGraph, Layout]:
    """The graph (generators under their dataset names, start = the central state) and
    layout a ``puzzle_info.json`` object describes.

    >>> g, layout = graph_from_info({"central_state": [0, 0, 1], "generators": {"a": [1, 2, 0]}})
    >>> g.generators.names, g.start.tolist(), layout.path
    (('a',), [0, 0, 1], 'path')
    """
    where = "puzzle_info.json"
    if not isinstance(info, dict):
        raise InvalidInputError(f"{where}: expected a JSON object, got {type(info).__name__}")
    gens = info.get("generators")
    if not isinstance(gens, dict) or not gens or not all(isinstance(k, str) and k for k in gens):
        raise InvalidInputError(f"{where}: generators must be a non-empty object {{name: permutation}}")
    lists = [("central_state", info.get("central_state"))] + [(f"generator {k!r}", v) for k, v in gens.items()]
    for what, value in lists:
        if not isinstance(value, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in value):
            raise InvalidInputError(f"{where}: {_clip(what)} must be a list of integers, got {_clip(value)}")
    try:
        central = np.asarray(info["central_state"], dtype=np.int64)
        names = list(gens)
        perms = np.asarray([gens[k] for k in names], dtype=np.int64)
        layout = get_layout(info.get("layout", "id-path"))
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise InvalidInputError(f"{where}: missing or malformed field ({_clip(exc)})") from None
    if central.ndim != 1 or perms.ndim != 2 or perms.shape[1] != central.size or central.size == 0:
        raise InvalidInputError(f"{where}: central_state must be a list of integers and every generator a list "
                                "of as many")
    try:
        graph = CayleyGraph(GeneratorSet.from_perms(perms, names=names), central)
    except CayleyError:
        raise
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        raise InvalidInputError(f"{where}: {_clip(exc)}") from None
    if not np.array_equal(graph.start, central):
        raise InvalidInputError(
            f"puzzle_info.json: central_state {_clip(central.tolist())} must use the symbols 0..k-1 "
            "(each at least once)"
        )
    return graph, layout


def _clip(obj, limit: int = 100) -> str:
    lines = str(obj).strip().splitlines()
    text = lines[0] if lines else ""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def inverse_graph(graph: CayleyGraph) -> CayleyGraph:
    """The same vertices with every generator replaced by its inverse (same names): a walk
    by it from the start is undone by its moves in reverse by ``graph``.

    >>> inverse_graph(CayleyGraph.from_spec("S_3", "lx")).generators.perms.tolist()
    [[2, 0, 1], [1, 0, 2]]
    """
    from ..groups.perm import inverse

    g = graph.generators
    return CayleyGraph(GeneratorSet(inverse(g.perms), g.names, g.family, g.params), graph.start)


def state_key(state: np.ndarray) -> bytes:
    return np.ascontiguousarray(state, dtype=np.int64).tobytes()
