"""The first hour (issue 18): generators from GAP files on every command, `cayley families
NAME`, `cayley store`, to_networkx, the spec shortcuts, and the CLI's consistency points."""

from __future__ import annotations

import json
import logging
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import cayley
from cayley.cli.main import main
from cayley.groups import parse_generators
from cayley.groups.gap_format import load_gap, read_gap

GAP_DIR = Path(str(resources.files("cayley") / "data" / "gap"))
POCKET = str(GAP_DIR / "pocket_cube_ur.gap")
TOP_SPIN = str(GAP_DIR / "top_spin_8.gap")


def run(*args, ok=True):
    r = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert r.exit_code == 0, r.output
    return r


# -- the shipped GAP files ------------------------------------------------------------------
def test_shipped_gap_files_read_and_their_groups_have_the_stated_orders():
    pocket = load_gap(POCKET, degree=24)
    assert pocket.generators.names == ("U", "R") and pocket.start is None
    assert pocket.generators.order() == 29160  # <U, R> of the 2x2x2 cube: 3,674,160 / 126
    spin = load_gap(TOP_SPIN)
    assert spin.generators.order() == 40320 and spin.start.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    d = json.loads(run("growth", "--gens-file", TOP_SPIN, "--inverses", "--format", "json").stdout)
    assert d["size"] == d["orbit_size"] == 70 and d["order"] == 40320  # C(8,4) colourings; the group S_8


def test_pocket_cube_growth_matches_a_networkx_oracle():
    import networkx as nx

    d = json.loads(run("growth", "S_24", "--gens-file", POCKET, "--inverses", "--format", "json").stdout)
    graph = cayley.CayleyGraph.from_spec("S_24", load_gap(POCKET, degree=24).generators.with_inverses())
    g = graph.to_networkx()
    dist = nx.single_source_shortest_path_length(g, tuple(range(24)))
    assert d["growth"] == np.bincount(list(dist.values())).tolist() and sum(d["growth"]) == 29160


# -- --gens-file on every command that takes generators -------------------------------------
def test_scramble_and_path_take_gens_file():
    state = run("scramble", "S_24", "--gens-file", POCKET, "--inverses", "--length", "12", "--seed", "3").stdout.strip()
    r = json.loads(run("path", "S_24", "--gens-file", POCKET, "--inverses", "--from", state, "--format", "json").stdout)
    gens = load_gap(POCKET, degree=24).generators.with_inverses()
    end = gens.apply_word(r["path"], np.array([int(x) for x in state.split(",")]))
    assert end.tolist() == list(range(24)) and r["optimal"] is True and 0 < r["length"] <= 12


def test_scramble_keeps_the_gap_files_colouring():
    out = run("scramble", "--gens-file", TOP_SPIN, "--inverses", "--length", "9", "--seed", "1").stdout.strip()
    assert sorted(out.split(",")) == ["0"] * 4 + ["1"] * 4


def test_dataset_export_paths_takes_gens_file_and_records_a_spec_that_reads_back(tmp_path):
    out = tmp_path / "spin"
    run("dataset", "export", "paths", "--gens-file", TOP_SPIN, "--inverses", "--count", "5",
        "--scramble-length", "6", "--out", out)
    info = json.loads((out / "puzzle_info.json").read_text())
    text = json.dumps(info)
    spec = next(v for v in info.values() if isinstance(v, str) and "T=" in v) if "T=" in text else None
    assert spec is not None, info
    gens = parse_generators(spec)
    assert gens.names == ("T", "F", "T^-1") and gens.perms[0].tolist() == [1, 2, 3, 4, 5, 6, 7, 0]
    assert run("dataset", "verify", out, "--submission", out / "sample_submission.csv").exit_code == 0


def test_train_heuristic_takes_gens_file(tmp_path):
    pytest.importorskip("torch")
    r = run("train", "heuristic", "S_6", "--gens-file", TOP_SPIN.replace("top_spin_8", "pocket_cube_ur"), ok=False)
    assert r.exit_code == 2  # a 23-point GAP file in S_6: refused in one line
    gap = tmp_path / "s6.gap"
    gap.write_text("M_L := (1,2,3,4,5,6);\nM_X := (1,2);\nGen := [M_L, M_X];\n")
    r = run("train", "heuristic", "--gens-file", gap, "--inverses", "--steps", "3", "--batch-size", "8",
            "--out", tmp_path / "h.pt", "--format", "json")
    assert json.loads(r.stdout)["graph"].startswith("S_6")


def test_gens_and_gens_file_are_exclusive_everywhere():
    for cmd in (["growth", "S_4"], ["diameter", "S_4"], ["scramble", "S_4", "--length", "2"],
                ["path", "S_4", "--from", "1,0,2,3"]):
        r = run(*cmd, "--gens", "lrx", "--gens-file", TOP_SPIN, ok=False)
        assert r.exit_code == 2 and "exactly one of --gens and --gens-file" in r.output, cmd


# -- cayley families NAME ---------------------------------------------------------------------
def test_families_name_shows_parameters_degrees_and_generators():
    out = run("families", "affine_line", "--n", "5").stdout
    assert "degrees      n >= 3 prime" in out and "generators   " in out
    out = run("families", "lrx", "--n", "6", "--set", "k=2").stdout
    assert "k=1 (X swaps positions 0 and k)" in out and "(0 2)" in out.split("X")[-1]
    r = run("families", "affine_line", "--n", "4", ok=False)
    assert r.exit_code == 2 and "prime" in r.output


@pytest.mark.parametrize("name,n", [("lrx", 7), ("pancake", 6), ("cube_qtm", 24)])
def test_families_formats_round_trip(name, n):
    expected = cayley.generators(name, n)
    gap = read_gap(run("families", name, "--n", n, "--format", "gap").stdout).generators
    assert np.array_equal(gap.perms, expected.perms)
    for fmt in ("cycles", "one-line"):
        back = parse_generators(run("families", name, "--n", n, "--format", fmt).stdout.strip(), n)
        assert np.array_equal(back.perms, expected.perms) and back.names == expected.names
    d = json.loads(run("families", name, "--n", n, "--format", "json").stdout)
    assert d["spec"]["perms"] == expected.perms.tolist() and d["degrees"] and d["accepts"]


def test_families_matrix_and_refusals():
    d = json.loads(run("families", "sl_fund_roots", "--n", "2", "--set", "m=3", "--format", "json").stdout)
    assert d["spec"]["modulus"] == 3 and d["spec"]["matrices"][0] == [[1, 1], [0, 1]]
    assert run("families", "sl_fund_roots", "--format", "gap", ok=False).exit_code == 2
    assert run("families", "--format", "gap", ok=False).exit_code == 2


# -- to_networkx ---------------------------------------------------------------------------------
def test_to_networkx_against_bfs_and_its_size_limit():
    import networkx as nx

    for group, gens, start in (("S_5", "lrx", None), ("S_6", "pancake", "001122"), ("SL(2,5)", "roots", None)):
        graph = cayley.CayleyGraph.from_spec(group, gens, start=start)
        g = graph.to_networkx()
        assert g.number_of_nodes() == graph.order()
        assert g.number_of_edges() == graph.order() * len(graph.generators)
        dist = nx.single_source_shortest_path_length(g, tuple(np.asarray(graph.start).reshape(-1).tolist()))
        assert tuple(np.bincount(list(dist.values())).tolist()) == cayley.bfs(graph).growth
    with pytest.raises(cayley.InvalidInputError, match="3,628,800 vertices"):
        cayley.CayleyGraph.from_spec("S_10", "lrx").to_networkx()


def test_to_networkx_without_networkx_is_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(cayley.InvalidInputError, match="pip install networkx"):
        cayley.CayleyGraph.from_spec("S_3", "lrx").to_networkx()


# -- a coherent API and CLI --------------------------------------------------------------------
def test_growth_and_diameter_take_a_spec():
    assert cayley.growth("S_6", "coxeter") == cayley.growth(cayley.CayleyGraph.from_spec("S_6", "coxeter"))
    assert cayley.growth("S_4", "lrx", start="0011") == (1, 2, 3)
    assert cayley.diameter("S_6", "coxeter") == 15
    with pytest.raises(cayley.InvalidInputError, match="needs generators"):
        cayley.growth("S_6")


def test_verbose_after_the_subcommand(monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", logging.WARNING)
    run("growth", "S_5", "--gens", "lrx", "-v")
    assert root.level == logging.INFO
    for args in (["families", "-v"], ["conjectures", "list", "--verbose"], ["store", "list", "-v", "--db", "x.db"]):
        assert run(*args).exit_code == 0


def test_diameter_csv_and_growth_out(tmp_path):
    lines = run("diameter", "S_6", "--gens", "coxeter", "--format", "csv").stdout.splitlines()
    assert lines[0] == "graph,diameter,depth,completed,last_layer_size,seconds"
    assert lines[1].split(",")[1:5] == ["15", "15", "True", "1"]
    out = tmp_path / "g.csv"
    r = run("growth", "S_5", "--gens", "pancake", "--format", "csv", "--out", out)
    assert r.stdout == "" and out.read_text().splitlines() == ["depth,states", "0,1", "1,4", "2,12", "3,35", "4,48",
                                                                 "5,20"]
    r = run("growth", "S_5", "--gens", "pancake", "--out", tmp_path / "no" / "g.txt", ok=False)
    assert r.exit_code == 2 and "folder does not exist" in r.output


def test_plot_without_matplotlib_is_refused_before_the_search(monkeypatch, tmp_path):
    import cayley.graphs

    monkeypatch.setitem(sys.modules, "matplotlib", None)

    def no_search(*a, **k):
        raise AssertionError("the search ran before the options were checked")

    monkeypatch.setattr(cayley.graphs, "bfs", no_search)
    r = run("growth", "S_12", "--gens", "lrx", "--plot", tmp_path / "x.png", ok=False)
    assert r.exit_code == 2 and "--plot needs matplotlib" in r.output


def test_memory_refusal_prints_a_readable_size():
    r = run("growth", "S_30", "--gens", "lrx", ok=False)
    assert r.exit_code == 2 and "e+25 GiB" in r.output and "0000000" not in r.output


def test_conjectures_export_out_and_the_old_output_name(tmp_path):
    run("conjectures", "export", "--format", "json", "--out", tmp_path / "a.json")
    run("conjectures", "export", "--format", "json", "--output", tmp_path / "b.json")
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text() != ""
    assert "--output" not in run("conjectures", "export", "--help").stdout


def test_discover_range_takes_both_spellings():
    a = json.loads(run("conjectures", "discover", "coxeter", "--range", "3..8", "--source", "reference",
                       "--format", "json").stdout)
    b = json.loads(run("conjectures", "discover", "coxeter", "--range", "3-8", "--source", "reference",
                       "--format", "json").stdout)
    assert a == b and a["found"] and a["formula"] == "n*(n - 1)/2"


# -- cayley store ---------------------------------------------------------------------------------
def test_store_list_show_clear(tmp_path):
    db = tmp_path / "r.sqlite"
    assert "0 results (no file yet)" in run("store", "list", "--db", db).stdout
    run("growth", "S_5", "--gens", "lrx", "--db", db)
    run("growth", "S_4", "--gens", "coxeter", "--max-depth", "2", "--db", db)
    rows = json.loads(run("store", "list", "--db", db, "--format", "json").stdout)["results"]
    assert [(r["graph"], r["completed"], r["size"]) for r in rows] == [("S_5 lrx(k=1)", True, 120),
                                                                        ("S_4 coxeter", False, 9)]
    table = run("store", "list", "--db", db).stdout
    assert "2 results" in table and rows[0]["key"][:12] in table and ">= 2 (stopped)" in table
    shown = json.loads(run("store", "show", rows[0]["key"][:8], "--db", db, "--format", "json").stdout)
    assert shown["growth"] == list(cayley.growth("S_5", "lrx")) and shown["diameter"] == 10
    assert run("store", "show", "zz", "--db", db, ok=False).exit_code == 2
    assert run("store", "clear", "--db", db, ok=False).exit_code == 2  # --key or --all
    assert "removed 1 result, 1 left" in run("store", "clear", "--key", rows[1]["key"][:10], "--db", db).stdout
    assert "removed 1 result, 0 left" in run("store", "clear", "--all", "--db", db).stdout


def test_dataset_export_growth_says_where_its_rows_came_from(tmp_path):
    db = tmp_path / "r.sqlite"
    run("growth", "S_4", "--gens", "lrx", "--db", db)  # an earlier run
    r = run("dataset", "export", "growth", "--families", "lrx@3-5", "--db", db, "--out", tmp_path / "a")
    assert "1 from the results store, 2 computed" in r.stdout
    assert f"1 rows were read from the results store {db}" in r.stdout and "--no-store" in r.stdout
    r = run("dataset", "export", "growth", "--families", "lrx@3-5", "--no-store", "--out", tmp_path / "b")
    assert "0 from the results store, 3 computed" in r.stdout and "were read from" not in r.stdout
