"""Matrix groups over Z/m: arithmetic, families, engines, CLI.

Oracles first (explicit graph + networkx BFS over matrices as tuples of Python ints;
sympy for determinants), then exact known values (group order formulas, the shared
sl_2_fund_roots reference rows, CayleyPy's generator matrices), then properties.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from click.testing import CliRunner

import cayley
from cayley import CayleyGraph, InvalidInputError, bfs
from cayley.cli.main import main
from cayley.groups.matrix import (
    MatrixGeneratorSet,
    det_mod,
    group_order,
    inverse_mod,
    mat_mul,
    matrix_generators,
    parse_matrix_generators,
    unit_generators,
)
from cayley.groups.parse import parse_group
from cayley.reference import load_reference
from oracles import matrix_oracle_growth

PRIMES = [2, 3, 5, 7, 11, 13]


def _py_mul(a, b, m):
    n, c = len(a), len(b[0])
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) % m for j in range(c)] for i in range(n)]


def _random_matrix(rng, n, m):
    return [[rng.randrange(m) for _ in range(n)] for _ in range(n)]


# -- arithmetic ---------------------------------------------------------------------
@pytest.mark.parametrize("m", [2, 6, 12, 97, 2**20 + 7, 2**31 - 1, 2**31])
def test_mat_mul_is_exact_for_every_modulus(m):
    rng = random.Random(m)
    for n in (1, 2, 3, 5):
        a, b = _random_matrix(rng, n, m), _random_matrix(rng, n, m)
        assert mat_mul(a, b, m).tolist() == _py_mul(a, b, m)


@pytest.mark.parametrize("m", [2, 4, 6, 7, 9, 12, 2**31 - 1])
def test_det_and_inverse_against_sympy(m):
    from sympy import Matrix

    rng = random.Random(100 + m)
    inverted = 0
    for n in (1, 2, 3, 4):
        for _ in range(15):
            a = _random_matrix(rng, n, m)
            det = int(Matrix(a).det()) % m
            assert det_mod(a, m) == det
            if np.gcd(det, m) == 1:
                inv = inverse_mod(a, m)
                assert inv.dtype == np.int64 and inv.min() >= 0 and inv.max() < m
                eye = np.eye(n, dtype=np.int64).tolist()
                assert _py_mul(a, inv.tolist(), m) == eye and _py_mul(inv.tolist(), a, m) == eye
                inverted += 1
            else:
                with pytest.raises(InvalidInputError, match="not invertible"):
                    inverse_mod(a, m)
    assert inverted > 10


def test_singular_generator_gives_one_line_error_naming_it():
    with pytest.raises(InvalidInputError) as exc:
        MatrixGeneratorSet.from_matrices([[[1, 1], [0, 1]], [[2, 4], [1, 2]]], 7, names=["A", "Bad"])
    msg = str(exc.value)
    assert "'Bad'" in msg and "[[2, 4], [1, 2]]" in msg and "\n" not in msg
    # a non-zero determinant that is not a unit mod a composite m is singular too
    with pytest.raises(InvalidInputError, match=r"'g1' = \[\[2, 0\], \[0, 1\]\] is not invertible mod 4"):
        parse_matrix_generators("[[1,1],[0,1]];[[2,0],[0,1]]", 2, 4)


def test_unit_generators_generate_the_unit_group():
    for m in range(2, 60):
        units = {u for u in range(1, m) if np.gcd(u, m) == 1}
        span, todo = {1 % m}, [1 % m]
        while todo:
            x = todo.pop()
            for g in unit_generators(m):
                y = x * g % m
                if y not in span:
                    span.add(y)
                    todo.append(y)
        assert span == units, m


def test_group_order_formulas_are_the_classical_ones():
    for p in PRIMES:
        assert group_order("SL", 2, p) == p * (p * p - 1)
        assert group_order("GL", 2, p) == (p * p - 1) * (p * p - p)
        assert group_order("UT", 3, p) == p**3
        assert group_order("SL", 3, p) == p**3 * (p**2 - 1) * (p**3 - 1)
        assert group_order("GL", 3, p) == (p**3 - 1) * (p**3 - p) * (p**3 - p**2)
    # |SL(2, Z/m)| = m^3 prod_{p | m} (1 - 1/p^2)
    assert [group_order("SL", 2, m) for m in (4, 6, 8, 9, 12)] == [48, 144, 384, 648, 1152]


# -- families -------------------------------------------------------------------------
def test_cayleypy_generator_matrices_and_names():
    # cayleypy.MatrixGroups (0.2.0), pinned from its own tests
    g = cayley.generators("sl_fund_roots", 3, m=10)
    assert g.names == ("e1", "e1'", "f1", "f1'", "e2", "e2'", "f2", "f2'")
    expected = [
        [[1, 1, 0], [0, 1, 0], [0, 0, 1]], [[1, -1, 0], [0, 1, 0], [0, 0, 1]],
        [[1, 0, 0], [1, 1, 0], [0, 0, 1]], [[1, 0, 0], [-1, 1, 0], [0, 0, 1]],
        [[1, 0, 0], [0, 1, 1], [0, 0, 1]], [[1, 0, 0], [0, 1, -1], [0, 0, 1]],
        [[1, 0, 0], [0, 1, 0], [0, 1, 1]], [[1, 0, 0], [0, 1, 0], [0, -1, 1]],
    ]
    assert g.matrices.tolist() == (np.array(expected) % 10).tolist()
    w = cayley.generators("sl_root_weyl", 2, m=7)
    assert w.names == ("e", "e'", "w", "w'")
    assert w.matrices.tolist() == (np.array([[[1, 1], [0, 1]], [[1, -1], [0, 1]], [[0, 1], [-1, 0]],
                                             [[0, -1], [1, 0]]]) % 7).tolist()
    h = cayley.generators("heisenberg", 3, m=10, add_inverses=False)
    assert h.names == ("x", "y") and h.matrices.tolist() == [[[1, 1, 0], [0, 1, 0], [0, 0, 1]],
                                                              [[1, 0, 0], [0, 1, 1], [0, 0, 1]]]
    h5 = cayley.generators("heisenberg", 5, m=100)
    assert h5.names == ("x1", "x2", "x3", "y1", "y2", "y3", "x1'", "x2'", "x3'", "y1'", "y2'", "y3'")
    assert h5.matrices[6][0].tolist() == [1, 99, 0, 0, 0]
    # mod 2 the roots are involutions: nothing is added, as in CayleyPy
    assert cayley.generators("heisenberg", 3, m=2).names == ("x", "y")


def test_matrix_families_are_registered_with_references():
    fams = {f.name: f for f in cayley.families("matrix")}
    assert set(fams) == {"sl_fund_roots", "sl_root_weyl", "heisenberg", "unitriangular", "gl_roots"}
    for fam in fams.values():
        assert fam.reference.strip() and fam.description.strip()
        assert [p.name for p in fam.params[:2]] == ["n", "m"]
        with pytest.raises(InvalidInputError, match="needs the modulus m"):
            fam(3)
    assert cayley.get_family("roots") is fams["sl_fund_roots"]
    rows = {r["name"]: r for r in json.loads(CliRunner().invoke(main, ["families", "--format", "json"]).stdout)}
    assert rows["sl_fund_roots"]["generators"] == 16 and rows["sl_fund_roots"]["inverse_closed"]


def test_permutation_group_with_a_matrix_family_asks_for_a_matrix_group():
    with pytest.raises(InvalidInputError, match=r"SL\(4,5\)"):
        CayleyGraph.from_spec("S_4", "roots")


# -- growth == group order (acceptance: p up to 13) ------------------------------------
def _growth(group, gens, start=None, **kw):
    graph = CayleyGraph.from_spec(group, gens, start=start)
    r = bfs(graph, engine="hash", **kw)
    assert r.completed
    return graph, r


@pytest.mark.parametrize("p", PRIMES)
def test_sl2_ut3_gl2_growth_sums_to_the_group_order(p):
    for group, gens, order in [
        (f"SL(2,{p})", "roots", p * (p * p - 1)),
        (f"SL(2,{p})", "root_weyl", p * (p * p - 1)),
        (f"UT(3,{p})", "ut", p**3),
        (f"UT(3,{p})", "heisenberg", p**3),
        (f"GL(2,{p})", "gl", (p * p - 1) * (p * p - p)),
    ]:
        graph, r = _growth(group, gens)
        assert r.size == order == graph.order(), (group, gens)


@pytest.mark.parametrize("m", [4, 6, 8, 9, 10, 12])
def test_sl2_and_gl2_over_composite_moduli(m):
    graph, r = _growth(f"SL(2,{m})", "roots")
    assert r.size == graph.order() == group_order("SL", 2, m)
    # (Z/8)^* and (Z/12)^* are not cyclic: gl_roots then takes two diagonal generators
    graph, r = _growth(f"GL(2,{m})", "gl")
    units = sum(1 for u in range(m) if np.gcd(u, m) == 1)
    assert r.size == graph.order() == units * group_order("SL", 2, m)


@pytest.mark.parametrize("group,gens", [("SL(3,2)", "roots"), ("SL(3,3)", "roots"), ("SL(3,3)", "root_weyl"),
                                        ("GL(3,2)", "gl"), ("GL(3,3)", "gl"), ("UT(3,13)", "ut"),
                                        ("UT(4,3)", "ut"), ("UT(4,5)", "heisenberg"), ("SL(4,2)", "roots")])
def test_larger_groups_growth_sums_to_the_order(group, gens):
    graph, r = _growth(group, gens)
    spec = parse_group(group)
    kind = "Heis" if gens == "heisenberg" else spec.kind
    assert r.size == graph.order() == group_order(kind, spec.degree, spec.modulus)


@pytest.mark.slow
@pytest.mark.parametrize("group,gens", [("SL(3,5)", "roots"), ("GL(3,5)", "gl"), ("SL(3,7)", "roots")])
def test_sl3_and_gl3_at_larger_primes(group, gens):
    graph, r = _growth(group, gens)
    assert r.size == graph.order() == group_order(parse_group(group).kind, 3, parse_group(group).modulus)


# CayleyPy's published SL(3, Z/m) rows (sl_3_fund_roots_growth.csv, sl_3_root_weyl_growth.csv:
# m = 2..5) and the first new row past them (docs/new-values.md, m = 6)
SL3_ROWS = {
    "roots": {
        2: [1, 4, 10, 22, 44, 44, 36, 6, 1],
        3: [1, 8, 40, 172, 614, 1512, 2488, 744, 35, 2],
        4: [1, 8, 44, 216, 930, 3192, 8840, 17368, 11222, 1120, 67],
        5: [1, 8, 48, 260, 1316, 5644, 20998, 66808, 151482, 117222, 8184, 28, 1],
        6: [1, 8, 48, 264, 1340, 5892, 23344, 80046, 229938, 395100, 199040, 8406, 61],
    },
    "root_weyl": {
        2: [1, 3, 4, 6, 8, 12, 16, 22, 22, 25, 26, 21, 2],
        3: [1, 4, 8, 16, 32, 64, 120, 200, 334, 530, 820, 1104, 1205, 824, 282, 62, 10],
        4: [1, 4, 9, 20, 44, 98, 210, 415, 775, 1473, 2713, 4711, 7598, 10005, 9039, 4796, 912, 162, 20, 3],
        5: [1, 4, 10, 24, 56, 136, 320, 740, 1416, 2962, 6298, 13008, 25259, 44111, 73378, 97407, 79069, 25296,
            2390, 112, 3],
        6: [1, 4, 10, 25, 60, 148, 360, 828, 1772, 3786, 8096, 17324, 35070, 68169, 121982, 198979, 246714,
            184746, 52719, 2685, 10],
    },
}


@pytest.mark.parametrize("gens,m", [(g, m) for g in SL3_ROWS for m in SL3_ROWS[g]])
def test_sl3_root_graphs_equal_the_published_rows_and_the_first_new_one(gens, m):
    graph = CayleyGraph.from_spec(f"SL(3,{m})", gens)
    for engine in ("rank", "hash"):
        r = bfs(graph, engine=engine)
        assert list(r.growth) == SL3_ROWS[gens][m], (gens, m, engine)
    assert sum(SL3_ROWS[gens][m]) == group_order("SL", 3, m)


def test_sl_2_fund_roots_reference_rows_match_exactly():
    ref = load_reference("sl_2_fund_roots")
    assert len(ref) >= 9
    for key, growth in ref.items():
        _, r = _growth(f"SL(2,{key})", "sl_fund_roots")
        assert r.growth == growth, key


# -- naive oracle ------------------------------------------------------------------------
ORACLE_CASES = [
    ("SL(2,3)", "roots", None),
    ("SL(2,4)", "root_weyl", None),
    ("SL(2,6)", "roots", None),
    ("GL(2,3)", "gl", None),
    ("UT(3,4)", "ut", None),
    ("UT(4,2)", "heisenberg", None),
    ("SL(3,2)", "root_weyl", None),
    ("SL(2,7)", "[[1,1],[0,1]];[[1,0],[1,1]]", None),  # directed: no inverses
    ("GL(2,5)", "A=[[2,0],[0,1]];B=[[1,1],[0,1]]", None),
    ("SL(2,5)", "roots", "1,0"),  # Schreier graphs on vectors
    ("SL(2,6)", "roots", "2,0"),
    ("GL(3,3)", "gl", "0,1,1"),
    ("UT(3,5)", "ut", "0,0,1"),
    ("SL(2,5)", "roots", "[[1,2],[3,4]]"),  # a singular n x n start: its orbit
    ("SL(2,7)", "roots", "[[1],[2]]"),
]


@pytest.mark.parametrize("group,gens,start", ORACLE_CASES)
def test_growth_matches_naive_oracle(group, gens, start):
    graph, r = _growth(group, gens, start)
    g = graph.generators
    expected = matrix_oracle_growth(g.matrices.tolist(), g.modulus, graph.start.tolist())
    assert list(r.growth) == expected
    assert r.size == graph.order()
    # the states found are the states of the explicit graph's layers
    last = {tuple(s) for s in r.last_layer.tolist()}
    assert len(last) == r.growth[-1]


def test_layers_hold_the_matrices_reached():
    graph, r = _growth("SL(2,5)", "roots")
    e1 = graph.generators["e1"]
    layer1 = {tuple(s) for s in r.layers[1].tolist()}
    assert tuple(e1.reshape(-1).tolist()) in layer1
    for s in r.layers[2].tolist():
        a = np.array(s).reshape(2, 2)
        assert det_mod(a, 5) == 1


# -- errors ---------------------------------------------------------------------------------
def _cli(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    "args,needle",
    [
        (["SL(2,7)", "--gens", "A=[[1,1],[0,1]];S=[[1,2],[2,4]]"], "'S' = [[1, 2], [2, 4]] is not invertible mod 7"),
        (["SL(2,7)", "--gens", "[[1,1],[0,1]];[[3,0],[0,1]]"], "'g1' = [[3, 0], [0, 1]] is not in SL(2,7)"),
        (["UT(3,5)", "--gens", "roots"], "'f1' = [[1, 0, 0], [1, 1, 0], [0, 0, 1]] is not in UT(3,5)"),
        (["SL(2,7)", "--gens", "[[1,1,0],[0,1,0],[0,0,1]]"], "is 3 x 3, but the group has 2 x 2 matrices"),
        (["SL(2,7)", "--gens", "[[1,1],[0]]"], "not square"),
        (["SL(2,7)", "--gens", "lrx"], "permutation family"),
        (["SL(2,5)", "--gens", "roots:m=7"], "has m=7, but the group is over Z/5"),
        (["SL(2,5)", "--gens", "[[1.5,0],[0,1]]"], "entries must be integers"),
        (["SL(2,7)", "--gens", "roots", "--start", "1,0,0"], "has 3 entries"),
        (["SL(2,1)", "--gens", "roots"], "modulus must satisfy 2 <= m"),
        (["SL(2;5)", "--gens", "roots"], "cannot parse group"),
    ],
)
def test_bad_input_is_one_line_exit_2(args, needle):
    r = _cli("growth", *args)
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], r.stderr


# -- CLI -----------------------------------------------------------------------------------
def test_cli_growth_of_matrix_groups():
    r = _cli("growth", "SL(3,3)", "--gens", "roots", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["size"] == d["order"] == 5616 and d["covers_group"] is True and d["completed"]
    assert d["graph"] == "SL(3,3) sl_fund_roots" and d["generators"][:2] == ["e1", "e1'"]
    r = _cli("growth", "UT(3,7)", "--gens", "ut")
    assert r.exit_code == 0 and "states     343" in r.stdout
    r = _cli("growth", "GL(2,5)", "--gens", "gl", "--format", "csv")
    assert r.exit_code == 0 and sum(int(x.split(",")[1]) for x in r.stdout.split()[1:]) == 480
    r = _cli("growth", "SL(3,5)", "--gens", "roots", "--start", "1,0,0", "--format", "json")
    d = json.loads(r.stdout)
    assert d["size"] == d["orbit_size"] == 5**3 - 1 and d["graph"].endswith("on vector [1, 0, 0]")
    assert d["order"] == 5**3 * (5**3 - 1) * (5**2 - 1)  # |SL(3,5)|: the group, not the orbit


# -- backends -------------------------------------------------------------------------------
@pytest.mark.parametrize("group,gens,start", [("SL(2,13)", "roots", None), ("SL(3,2)", "root_weyl", None),
                                              ("GL(2,7)", "gl", "1,3"), ("UT(4,3)", "ut", None)])
def test_torch_backend_agrees_with_numba(group, gens, start):
    pytest.importorskip("torch")
    graph = CayleyGraph.from_spec(group, gens, start=start)
    a = bfs(graph, engine="hash", backend="cpu")
    b = bfs(graph, engine="hash", backend="torch", device="cpu")
    assert a.growth == b.growth and b.backend == "torch-cpu"
    assert sorted(map(tuple, a.last_layer.tolist())) == sorted(map(tuple, b.last_layer.tolist()))


def test_large_modulus_products_do_not_overflow():
    # entries near 2**31: each product is reduced before the sum (numba kernel and numpy)
    m = 2**31 - 1
    gens = MatrixGeneratorSet.from_matrices([[[0, m - 1], [1, 1]]], m, names=["T"])  # x^2 - x + 1: order 6
    graph = CayleyGraph(gens)
    r = bfs(graph, engine="hash")
    assert r.growth == (1, 1, 1, 1, 1, 1) and r.size == graph.order() == 6
    a = gens.matrices[0].tolist()
    assert r.layers[2].reshape(2, 2).tolist() == _py_mul(a, a, m)


def test_matrix_generators_accept_a_generator_set():
    g = cayley.generators("sl_fund_roots", 2, m=5)
    assert matrix_generators(g, parse_group("SL(2,5)")) is g
    assert CayleyGraph.from_spec("SL(2,5)", g) == CayleyGraph(g)
    with pytest.raises(InvalidInputError, match="the group is SL\\(2,7\\)"):
        matrix_generators(g, parse_group("SL(2,7)"))


# -- rank engine: mixed-radix ranks ------------------------------------------------------------
def test_mixed_radix_ranking_is_lexicographic_and_bijective():
    from itertools import product

    from cayley.backends.ranking import MixedRadixRanking

    r = MixedRadixRanking(3, 4)
    states = np.array(list(product(range(3), repeat=4)))  # lexicographic order
    assert r.rank(states).tolist() == list(range(81))
    assert r.unrank(np.arange(81)).tolist() == states.tolist()
    assert MixedRadixRanking.fits(2**20, 2) and not MixedRadixRanking.fits(7, 16)


RANK_CASES = [
    ("SL(2,13)", "roots", None),
    ("SL(2,12)", "root_weyl", None),
    ("GL(2,7)", "gl", None),
    ("UT(3,7)", "heisenberg", None),
    ("UT(4,3)", "ut", None),
    ("SL(3,3)", "roots", None),
    ("GL(3,2)", "gl", None),
    ("SL(2,7)", "[[1,1],[0,1]];[[1,0],[1,1]]", None),  # directed
    ("SL(3,5)", "roots", "1,0,0"),
    ("GL(2,9)", "gl", "3,0"),
    ("SL(2,5)", "roots", "[[1,2],[3,4]]"),
]


@pytest.mark.parametrize("group,gens,start", RANK_CASES)
def test_rank_engine_agrees_with_hash_engine(group, gens, start):
    graph = CayleyGraph.from_spec(group, gens, start=start)
    a = bfs(graph, engine="rank")
    b = bfs(graph, engine="hash")
    assert a.engine == "rank" and b.engine == "hash"
    assert a.growth == b.growth and a.completed and a.size == graph.order()
    assert sorted(map(tuple, a.last_layer.tolist())) == sorted(map(tuple, b.last_layer.tolist()))
    for d in a.layers:
        assert sorted(map(tuple, a.layers[d].tolist())) == sorted(map(tuple, b.layers[d].tolist()))


def test_rank_engine_limits_and_auto_choice():
    from cayley.graphs.search import plan_search

    graph = CayleyGraph.from_spec("SL(3,3)", "roots")
    a, b = bfs(graph, engine="rank", max_depth=3), bfs(graph, engine="hash", max_depth=3)
    assert a.growth == b.growth and not a.completed and a.stop_reason == "max_depth"
    assert plan_search(graph).engine == "rank"  # 3**9 ranks: a 5 KB bitset
    big = CayleyGraph.from_spec("SL(4,13)", "roots")  # 13**16 > 2**41 ranks
    assert plan_search(big, max_depth=2).engine == "hash"
    with pytest.raises(InvalidInputError, match=r"13\*\*16"):
        bfs(big, engine="rank")
    with pytest.raises(InvalidInputError, match="numba CPU backend only"):
        bfs(graph, engine="rank", backend="torch")


def test_rank_engine_checkpoint_resumes_to_the_same_growth(tmp_path):
    graph = CayleyGraph.from_spec("SL(2,11)", "roots")
    part = bfs(graph, engine="rank", max_depth=4, checkpoint=str(tmp_path), checkpoint_seconds=0)
    assert not part.completed
    full = bfs(graph, engine="rank", checkpoint=str(tmp_path), checkpoint_seconds=0)
    assert full.growth == bfs(graph, engine="hash").growth and full.size == 1320


def test_cli_rank_engine():
    r = _cli("growth", "SL(2,13)", "--gens", "roots", "--engine", "rank", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["engine"] == "rank" and d["size"] == d["order"] == 13 * 168


def test_hash_engine_checkpoint_and_fingerprints(tmp_path):
    from cayley.graphs.checkpoint import graph_fingerprint

    graph = CayleyGraph.from_spec("SL(2,13)", "roots")
    part = bfs(graph, engine="hash", max_depth=5, checkpoint=str(tmp_path))
    assert part.growth == (1, 4, 12, 30, 68, 148) and not part.completed
    full = bfs(graph, engine="hash", checkpoint=str(tmp_path))
    assert full.completed and full.size == 13 * 168
    # same matrices over another modulus, or as permutations, are other runs
    prints = {graph_fingerprint(CayleyGraph.from_spec(f"SL(2,{m})", "roots")) for m in (11, 13)}
    assert len(prints) == 2 and graph_fingerprint(CayleyGraph.from_spec("S_4", "lrx")) not in prints
