"""Exact growth functions against the shipped reference tables (independent CayleyPy data).

Each reference row is its own test. Rows are limited to n <= 9 (at most 9! = 362880
states) and lrx_coset start strings of length <= 14, so the file stays fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import cayley
from cayley import CayleyGraph, InvalidInputError, bfs
from cayley.reference import load_reference, reference_names

MAX_N = 9
MAX_COSET_LENGTH = 14

# tables keyed by the degree n whose graph is the family of the same name with its
# default parameters (top_spin: k = 4; lrx: k = 1), started at the identity
CAYLEY_TABLES = [
    "lrx",
    "lx",
    "coxeter",
    "cyclic_coxeter",
    "pancake",
    "all_transpositions",
    "stars",
    "full_reversals",
    "top_spin",
    # cheap extras: few rows, n <= 7
    "derangements",
    "all_cycles",
]

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"


def _degree_rows(below_min_degree: bool = False):
    """Rows with n <= MAX_N; with ``below_min_degree`` the rows that CayleyPy computes
    below the family's min_degree instead (degenerate generator sets)."""
    out = []
    for name in CAYLEY_TABLES:
        fam = cayley.get_family(name)
        for key, growth in load_reference(name).items():
            n = int(key)
            if n <= MAX_N and (n < fam.min_degree) == below_min_degree:
                out.append(pytest.param(name, n, growth, id=f"{name}-{key}"))
    return out


def _coset_rows():
    return [
        pytest.param(key, growth, id=f"lrx_coset-{key}")
        for key, growth in load_reference("lrx_coset").items()
        if len(key) <= MAX_COSET_LENGTH
    ]


ENGINES = ["hash", "rank"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name,n,expected", _degree_rows())
def test_cayley_graph_growth_equals_reference(name, n, expected, engine):
    graph = CayleyGraph(cayley.generators(name, n))
    result = bfs(graph, engine=engine)
    assert result.completed and result.engine == engine
    assert result.growth == expected


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("start,expected", _coset_rows())
def test_lrx_schreier_growth_equals_reference(start, expected, engine):
    graph = CayleyGraph(cayley.generators("lrx", len(start)), start=start)
    result = bfs(graph, engine=engine)
    assert result.completed and result.engine == engine
    assert result.growth == expected
    assert result.size == graph.order()


def test_no_row_is_below_a_family_min_degree():
    """Every published row is a degree the family accepts: CayleyPy builds cyclic_coxeter at
    n = 2, where (0, n-1) repeats (0, 1); cayley builds it too, with (0, 1) once."""
    assert _degree_rows(below_min_degree=True) == []
    assert ("cyclic_coxeter", 2, (1, 1)) in [tuple(p.values) for p in _degree_rows()]


def test_row_counts_cover_the_brief():
    rows = _degree_rows()
    assert {p.values[0] for p in rows} == set(CAYLEY_TABLES)
    assert max(p.values[1] for p in rows) == MAX_N
    assert len(_coset_rows()) >= 20


@pytest.mark.parametrize("name", reference_names())
def test_every_table_loads(name):
    table = load_reference(name)
    assert table
    for key, growth in table.items():
        assert key and isinstance(key, str)
        assert growth[0] == 1 and all(isinstance(x, int) and x > 0 for x in growth)


def test_load_reference_returns_a_fresh_dict():
    a = load_reference("pancake")
    a.clear()
    assert load_reference("pancake.csv")["4"] == (1, 3, 6, 11, 3)


def test_unknown_table_suggests_close_names():
    with pytest.raises(InvalidInputError, match="did you mean lrx_coset"):
        load_reference("lrx_cosets")
    with pytest.raises(InvalidInputError, match="available: "):
        load_reference("zzzzqqq")


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared reference folder is not next to this checkout")
def test_packaged_tables_equal_the_shared_reference():
    shared = sorted(p.stem for p in SHARED.glob("*.csv"))
    assert shared == reference_names()
    for name in shared:
        packaged = load_reference(name)
        text = (SHARED / f"{name}.csv").read_text()
        assert len(packaged) == len([line for line in text.splitlines() if line.strip()])
