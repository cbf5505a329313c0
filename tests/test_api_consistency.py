"""Issue 18's "Inconsistencies" and "Late checks", one pin each.

The bullets whose fix landed with its own test elsewhere are pinned there; the map below
names each such test, and ``test_every_bullet_has_a_pin`` checks that the named tests exist:

=================================================================  ==================================================
bullet (issue 18)                                                   pinned by
=================================================================  ==================================================
``cayley.growth("S_6", "coxeter")`` raises TypeError                test_cli_interop.py::test_growth_and_diameter_take_a_spec
``order()``/``states()`` methods, ``degree``/``length`` properties  here: test_methods_compute_and_properties_are_stored_facts
``cayley.scramble()`` returns a Path, not a state                   here: test_scramble_returns_a_path_whose_target_is_the_state
``BfsResult.layers`` holds only small layers plus the last          here: test_layers_hold_the_small_layers_and_last_layer_the_last
no ``last_layer_size`` although the JSON has it                     here: test_last_layer_size_as_in_the_json
``-v`` only before the subcommand (and refused after it)            test_cli_interop.py::test_verbose_after_the_subcommand
``diameter`` has no ``--format csv``, ``growth`` no ``--out``       test_cli_interop.py::test_diameter_csv_and_growth_out
the ``order`` row shows the orbit size for Schreier graphs          here: test_order_is_the_group_and_orbit_size_the_vertices
``growth S_30`` refused with 25832904952780992083394560.00 GiB      test_cli_interop.py::test_memory_refusal_prints_a_readable_size
the results store is global, no ``cayley store``                    test_cli_interop.py::test_store_list_show_clear
``dataset export growth`` silently took rows from other runs        test_cli_interop.py::test_dataset_export_growth_says_where_its_rows_came_from
``--plot`` without matplotlib runs the whole search first           test_cli_interop.py::test_plot_without_matplotlib_is_refused_before_the_search
``conjectures export`` says ``--output``, the others ``--out``      test_cli_interop.py::test_conjectures_export_out_and_the_old_output_name
ranges ``lrx@3-10`` in one command, ``--range 3..10`` in another    test_cli_interop.py::test_discover_range_takes_both_spellings
=================================================================  ==================================================
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import re
from pathlib import Path as FilePath

import numpy as np
import pytest
from click.testing import CliRunner

import cayley
from cayley import BfsResult, CayleyGraph, Path
from cayley.cli.main import main
from cayley.groups import GeneratorSet
from cayley.groups.modular import MatrixGeneratorSet

# The rule (docs/design.md, conventions): properties are stored or O(1) facts, methods compute.
PROPERTIES = {
    CayleyGraph: {"degree", "undirected", "is_matrix", "state_length", "is_schreier", "symbols", "name"},
    BfsResult: {"diameter", "depth", "size", "last_layer_size"},
    Path: {"length", "names"},
}
METHODS = {
    CayleyGraph: {"from_spec", "order", "group_order", "orbit_size", "to_networkx", "action", "ranking",
                  "piece_ranking"},
    BfsResult: {"to_dict"},
    Path: {"states", "is_valid", "to_dict"},
}


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r


def test_every_bullet_has_a_pin():
    here = FilePath(__file__).parent
    pins = re.findall(r"(?:(test_\w+\.py)::|here: )(test_\w+)", __doc__ or "")
    assert len(pins) == 14
    for path, name in pins:
        tree = ast.parse((here / (path or "test_api_consistency.py")).read_text())
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert name in defined, f"{path or 'this file'} has no {name}"


def _public(cls) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_")}


@pytest.mark.parametrize("cls", [CayleyGraph, BfsResult, Path], ids=lambda c: c.__name__)
def test_methods_compute_and_properties_are_stored_facts(cls, monkeypatch):
    fields = {f.name for f in dataclasses.fields(cls)}
    props, methods = PROPERTIES[cls], METHODS[cls]
    # every public name is classified, so a new one has to be placed under the rule
    assert _public(cls) - fields == props | methods and not fields & (props | methods)
    for name in props:
        assert isinstance(inspect.getattr_static(cls, name), property), f"{cls.__name__}.{name} is not a property"
    for name in methods:
        assert not isinstance(inspect.getattr_static(cls, name), property), f"{cls.__name__}.{name} is a property"
        assert callable(getattr(cls, name))

    # the properties compute nothing: with every computing entry point broken they still answer
    def computes(*args, **kwargs):
        raise AssertionError("a property ran a computation")

    graphs = [CayleyGraph.from_spec("S_300", "lrx", start=[0] * 150 + [1] * 150),
              CayleyGraph.from_spec("SL(3,5)", "roots", start="1,0,0")]
    path = cayley.scramble(graphs[0], 5, seed=0)
    result = cayley.bfs(graphs[0], max_depth=2)
    for name in METHODS[CayleyGraph]:
        monkeypatch.setattr(CayleyGraph, name, computes)
    for name in ("order", "to_sympy", "apply_word", "product"):
        monkeypatch.setattr(GeneratorSet, name, computes, raising=False)
        monkeypatch.setattr(MatrixGeneratorSet, name, computes, raising=False)
    monkeypatch.setattr(cayley, "bfs", computes)
    objects = {CayleyGraph: graphs, BfsResult: [result], Path: [path]}[cls]
    for obj in objects:
        for name in props | fields:
            getattr(obj, name)


def test_scramble_returns_a_path_whose_target_is_the_state():
    graph = CayleyGraph.from_spec("S_6", "pancake")
    walk = cayley.scramble(graph, 7, seed=3)
    assert isinstance(walk, Path) and walk.method == "scramble" and walk.length == 7
    assert np.array_equal(walk.source, graph.start)
    assert np.array_equal(walk.target, graph.generators.apply_word(walk.names, graph.start))
    assert walk.states()[-1].tolist() == walk.target.tolist() and walk.is_valid()
    # the same walk from another start state
    other = cayley.scramble(graph, 7, seed=3, start=walk.target)
    assert np.array_equal(other.source, walk.target) and other.is_valid()


@pytest.mark.parametrize("engine", ["hash", "rank"])
def test_layers_hold_the_small_layers_and_last_layer_the_last(engine):
    graph = CayleyGraph.from_spec("S_5", "lrx")  # growth 1 3 6 10 16 24 29 21 6 3 1
    r = cayley.bfs(graph, engine=engine, store_layers_up_to=6, last_layer_limit=10)
    assert sorted(r.layers) == [d for d, c in enumerate(r.growth) if c <= 6] == [0, 1, 2, 8, 9, 10]
    assert all(len(r.layers[d]) == r.growth[d] for d in r.layers)
    assert r.last_layer.tolist() == r.layers[10].tolist()
    # a search cut at a large layer: that layer is not in ``layers`` (too large), and
    # ``last_layer`` is missing too when it is over last_layer_limit; its size is still there
    cut = cayley.bfs(graph, engine=engine, store_layers_up_to=6, last_layer_limit=10, max_depth=5)
    assert sorted(cut.layers) == [0, 1, 2] and cut.last_layer is None and cut.last_layer_size == 24
    cut = cayley.bfs(graph, engine=engine, store_layers_up_to=6, last_layer_limit=100, max_depth=5)
    assert sorted(cut.layers) == [0, 1, 2] and len(cut.last_layer) == 24


def test_last_layer_size_as_in_the_json():
    r = cayley.bfs(CayleyGraph.from_spec("S_6", "lrx"), last_layer_limit=0)
    assert r.last_layer is None and r.last_layer_size == r.growth[-1] == r.to_dict()["last_layer_size"] == 1
    d = json.loads(run("growth", "S_6", "--gens", "lrx", "--max-depth", "4", "--format", "json").stdout)
    assert d["last_layer_size"] == cayley.bfs(CayleyGraph.from_spec("S_6", "lrx"), max_depth=4).last_layer_size == 20


@pytest.mark.parametrize(
    "group, gens, start, group_order, orbit",
    [
        ("S_5", "coxeter", None, 120, 120),
        ("S_4", "lrx", "0011", 24, 6),
        ("S_8", "pancake", "01234567", 40320, 40320),
        ("S_6", "lrx", "001122", 720, 90),
        ("SL(2,5)", "roots", None, 120, 120),
        ("SL(2,5)", "roots", "1,0", 120, 24),
    ],
)
def test_order_is_the_group_and_orbit_size_the_vertices(group, gens, start, group_order, orbit, monkeypatch):
    graph = CayleyGraph.from_spec(group, gens, start=start)
    assert (graph.group_order(), graph.orbit_size(), graph.order()) == (group_order, orbit, orbit)
    assert cayley.bfs(graph).size == orbit
    args = ["growth", group, "--gens", gens, "--format", "json"] + (["--start", start] if start else [])
    d = json.loads(run(*args).stdout)
    assert (d["order"], d["orbit_size"], d["size"]) == (group_order, orbit, orbit)
    # the CLI reports what the graph says, not a second computation of its own
    if graph.is_schreier:
        monkeypatch.setattr(CayleyGraph, "group_order", lambda self: 7)
        assert json.loads(run(*args).stdout)["order"] == 7


def test_growth_and_bfs_take_a_generator_set():
    """``cayley.growth(gens)`` and ``cayley.graphs.bfs(gens)`` build the Cayley graph of a
    GeneratorSet themselves (both raised before: AttributeError and a confusing message)."""
    import cayley
    from cayley.graphs import bfs
    from cayley.groups import generators

    gens = generators("pancake", 5)
    assert cayley.growth(gens) == cayley.growth("S_5", "pancake") == (1, 4, 12, 35, 48, 20)
    assert bfs(gens).diameter == 5
    assert cayley.growth(generators("lrx", 4), start="0011") == (1, 2, 3)
