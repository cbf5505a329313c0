"""``cayley nn permutation``, ``cayley train heuristic`` and ``cayley path --heuristic FILE``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

torch = pytest.importorskip("torch")

from cayley.cli.main import main  # noqa: E402


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_nn_permutation_json():
    r = run("nn", "permutation", "--k", "6", "--models", "64", "--width", "256", "--steps", "150",
            "--seed", "2", "--sizes", "4,16", "--threads", "1", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["k"] == 6 and d["models"] == 64 and d["inputs"] == 63
    assert d["exact_match_rate"] == 1.0
    assert set(d["exact_match_rate_by_models"]) == {"4", "16", "64"}
    assert sorted(d["permutation"]) == list(range(6))


def test_nn_permutation_sample_for_large_k():
    r = run("nn", "permutation", "--k", "22", "--models", "2", "--width", "8", "--steps", "2",
            "--sample", "10", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["inputs"] == 22 + 231 + 10 and "random" in d["tested"]


def test_nn_permutation_bad_sizes():
    r = run("nn", "permutation", "--k", "4", "--models", "8", "--sizes", "0,4")
    assert r.exit_code == 2 and "sizes" in r.output


def test_train_heuristic_then_path_with_it(tmp_path):
    f = str(tmp_path / "lrx7.pt")
    r = run("train", "heuristic", "S_7", "--gens", "lrx", "--out", f, "--hidden", "64,64", "--steps", "150",
            "--batch-size", "256", "--seed", "1", "--threads", "1", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["out"] == f and d["symmetry"] == "canonical" and d["symmetry_order"] == 4 and d["steps"] == 150
    r = run("path", "S_7", "--gens", "lrx", "--from", "3,6,0,5,1,4,2", "--method", "beam", "--beam-width", "64",
            "--heuristic", f, "--format", "json")
    assert r.exit_code == 0, r.output
    p = json.loads(r.stdout)
    from cayley import CayleyGraph
    from cayley.graphs.paths import apply_path

    g = CayleyGraph.from_spec("S_7", "lrx")
    assert apply_path(g, [3, 6, 0, 5, 1, 4, 2], p["path"]).tolist() == list(range(7))
    assert p["method"] == "beam"
    # a heuristic for another graph, or a file that is not one: one line, exit 2
    r = run("path", "S_7", "--gens", "coxeter", "--from", "3,6,0,5,1,4,2", "--method", "beam", "--heuristic", f)
    assert r.exit_code == 2 and "trained for S_7 lrx" in r.output
    r = run("path", "S_7", "--gens", "lrx", "--from", "3,6,0,5,1,4,2", "--method", "beam", "--heuristic", "nosuch")
    assert r.exit_code == 2 and "expected auto, hamming, breakpoints or a heuristic file" in r.output
    r = run("path", "S_7", "--gens", "lrx", "--from", "3,6,0,5,1,4,2", "--method", "beam", "--heuristic", "hamming",
            "--format", "json")
    assert r.exit_code == 0


def test_train_heuristic_bad_input(tmp_path):
    r = run("train", "heuristic", "S_6", "--gens", "lrx", "--out", str(tmp_path / "x.pt"), "--hidden", "64,x")
    assert r.exit_code == 2 and "--hidden" in r.output
    r = run("train", "heuristic", "S_6", "--gens", "lrx", "--start", "000111", "--symmetry", "augment",
            "--out", str(tmp_path / "x.pt"), "--steps", "2")
    assert r.exit_code == 2 and "symmetry='canonical' or 'none'" in r.output and "Traceback" not in r.output
