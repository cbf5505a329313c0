"""``cayley nn permutation``, ``cayley train heuristic`` and ``cayley path --heuristic FILE``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

pytest.importorskip("torch")

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
