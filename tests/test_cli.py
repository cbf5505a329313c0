"""Command line: outputs, formats and one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cayley.cli.main import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_growth_json():
    r = run("growth", "S_6", "--gens", "lrx", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["growth"] == [1, 3, 6, 11, 20, 35, 55, 81, 109, 128, 126, 95, 40, 6, 3, 1]
    assert d["diameter"] == 15 and d["order"] == 720 and d["completed"] is True and d["covers_group"] is True
    assert d["seconds"] > 0 and d["last_layer_size"] == 1


def test_growth_table_and_csv():
    r = run("growth", "S4", "--gens", "coxeter")
    assert r.exit_code == 0
    assert "diameter   6" in r.stdout and "order      24" in r.stdout
    r = run("growth", "S_4", "--gens", "coxeter", "--format", "csv")
    assert r.stdout.splitlines() == ["depth,states", "0,1", "1,3", "2,5", "3,6", "4,5", "5,3", "6,1"]


def test_growth_schreier_and_explicit_generators():
    r = run("growth", "S_4", "--gens", "lrx", "--start", "0011", "--format", "json")
    d = json.loads(r.stdout)
    # a Schreier graph: the orbit has 6 strings, the group (S_4) has order 24
    assert d["growth"] == [1, 2, 3] and d["orbit_size"] == 6 and d["order"] == 24 and d["covers_group"] is True
    table = run("growth", "S_4", "--gens", "lrx", "--start", "0011").stdout
    assert "order      24" in table and "orbit      6" in table
    r = run("growth", "S_4", "--gens", "(1,2,3,4);(1,2)", "--format", "json")
    assert sum(json.loads(r.stdout)["growth"]) == 24
    r = run("growth", "S_4", "--gens", "[1,2,3,0];(0 1)", "--format", "json")
    assert sum(json.loads(r.stdout)["growth"]) == 24


def test_max_depth_reports_incomplete():
    d = json.loads(run("growth", "S_7", "--gens", "lrx", "--max-depth", "3", "--format", "json").stdout)
    assert d["growth"] == [1, 3, 6, 12] and d["completed"] is False and d["diameter"] is None


def test_diameter_command():
    r = run("diameter", "S_5", "--gens", "pancake")
    assert r.exit_code == 0
    assert r.stdout.splitlines() == ["diameter 5", "last layer size 20"]
    d = json.loads(run("diameter", "S_5", "--gens", "coxeter", "--format", "json").stdout)
    assert d["diameter"] == 10 and d["last_layer"] == [[4, 3, 2, 1, 0]]


def test_families_lists_lrx():
    rows = json.loads(run("families", "--format", "json").stdout)
    lrx = next(r for r in rows if r["name"] == "lrx")
    assert lrx["parameters"] == ["n", "k=1"] and lrx["description"]
    assert "lrx" in run("families").stdout


def test_plot_writes_png(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "growth.png"
    r = run("growth", "S_5", "--gens", "lrx", "--plot", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_group_implied_by_a_family_of_one_size_or_explicit_generators():
    r = run("growth", "--gens", "mini_pyramorphix", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["growth"] == [1, 17, 54, 84, 92, 40]
    r = run("growth", "--gens", "[1,2,0];[1,0,2]", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["growth"] == [1, 2, 3]  # directed: a 3-cycle and a swap
    r = run("growth", "--gens", "lrx")  # lrx lives at every n >= 3: the degree must be given
    assert r.exit_code == 2 and "missing argument GROUP" in r.output and "(e.g. S_5) or n=5" in r.output


def test_inverses_option_makes_the_graph_undirected(tmp_path):
    """--inverses adds the missing inverses: lx becomes lrx (L^-1 = R), for --gens and for a
    GAP file of clockwise moves, and for matrix generators."""
    lrx = json.loads(run("growth", "S_6", "--gens", "lrx", "--format", "json").stdout)["growth"]
    r = run("growth", "S_6", "--gens", "lx", "--inverses", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["growth"] == lrx and d["generators"] == ["L", "X", "L^-1"]
    directed = json.loads(run("growth", "S_6", "--gens", "lx", "--format", "json").stdout)["growth"]
    assert directed != lrx
    gap = tmp_path / "lx.gap"
    gap.write_text("M_L := (1,2,3,4,5,6);\nM_X := (1,2);\nGen := [M_L, M_X];\n")
    r = run("growth", "S_6", "--gens-file", str(gap), "--inverses", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["growth"] == lrx
    r = run("growth", "SL(2,5)", "--gens", "[[1,1],[0,1]];[[1,0],[1,1]]", "--inverses", "--format", "json")
    assert r.exit_code == 0 and sum(json.loads(r.stdout)["growth"]) == 120  # |SL(2,5)|


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["growth", "S_3", "--gens", "[0,0,1]"], "[0, 0, 1] is not a permutation"),
        (["growth", "S_5", "--gens", "[0,1,2,3,4,5]"], "has degree 6, but the group has degree 5"),
        (["growth", "S_5", "--gens", "lrxx"], "did you mean lrx"),
        (["growth", "S_5", "--gens", "(0 1"], "malformed cycle notation '(0 1'"),
        (["growth", "S_5", "--gens", "(1,2)(3 4)"], "malformed cycle notation"),
        (["growth", "S_5", "--gens", "lrx", "--start", "0011"], "has length 4, but the generators have degree 5"),
        (["growth", "T_5", "--gens", "lrx"], "cannot parse group 'T_5'"),
        (["growth", "S_15", "--gens", "lrx"], "estimated peak memory"),
        (["growth", "S_10", "--gens", "lrx", "--memory-limit", "1M"], "exceeds the limit"),
    ],
)
def test_bad_input_is_one_line_exit_2(args, fragment):
    r = run(*args)
    assert r.exit_code == 2
    assert fragment in r.stderr
    assert r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.output and r.stdout == ""


def test_console_script_runs_in_a_subprocess():
    # the real entry point: stdout is clean JSON, errors are one line with exit code 2
    ok = subprocess.run(
        [sys.executable, "-m", "cayley", "growth", "S_5", "--gens", "lrx", "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["diameter"] == 10
    bad = subprocess.run(
        [sys.executable, "-m", "cayley", "growth", "S_5", "--gens", "[0,0]"],
        capture_output=True, text=True, check=False,
    )
    assert bad.returncode == 2 and bad.stdout == "" and bad.stderr.count("\n") == 1


@pytest.mark.slow
def test_s11_lrx_growth_completes():
    d = json.loads(run("growth", "S_11", "--gens", "lrx", "--format", "json").stdout)
    assert d["diameter"] == 55 and sum(d["growth"]) == 39916800 == d["order"]


@pytest.mark.parametrize("engine", ["hash", "rank"])
def test_checkpoint_option_resumes(tmp_path, engine):
    ck = str(tmp_path / "ck")
    part = json.loads(run("growth", "S_8", "--gens", "lrx", "--engine", engine, "--checkpoint", ck,
                          "--max-depth", "9", "--format", "json").stdout)
    assert part["completed"] is False and len(part["growth"]) == 10
    full = json.loads(run("growth", "S_8", "--gens", "lrx", "--engine", engine, "--checkpoint", ck,
                          "--format", "json").stdout)
    assert full["completed"] and full["diameter"] == 28 and sum(full["growth"]) == 40320
    assert full["growth"][:10] == part["growth"] and full["engine"] == engine
