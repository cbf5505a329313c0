"""The conjecture catalogue, its checks against computed data, discovery and the CLI."""

from __future__ import annotations

import json
import re
import time
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from click.testing import CliRunner

from cayley.cli.main import main
from cayley.conjectures.catalogue import CatalogueError, load_catalogue, parse_formula, parse_record
from cayley.conjectures.check import Checker, check_catalogue, check_record
from cayley.conjectures.discover import discover, fit_quasi_polynomial
from cayley.conjectures.store import ResultsStore
from cayley.errors import CayleyError
from cayley.groups.library import get_family
from cayley.reference import load_reference
from oracles import oracle_growth

CAT = load_catalogue()
BASE = {"title": "t", "statement": "s", "source": "test", "status": "conjecture"}


def rec(**kw):
    return parse_record({**BASE, **kw})


# -- the catalogue --------------------------------------------------------------------------
def test_catalogue_has_30_records_with_registered_families():
    assert len(CAT) >= 30
    topics = {r.topic for r in CAT.values()}
    assert {"permutations", "lrx", "strings", "bounds", "matrix"} <= topics
    for r in CAT.values():
        assert r.status in ("theorem", "conjecture", "refuted", "open")
        assert r.source and r.evidence and r.statement
        if r.family == "*" or r.group != "permutation":
            continue
        # the canonical registry name, not an alias, so the store and listings agree
        assert get_family(r.family).name == r.family, r.id


def test_catalogue_files_are_package_data():
    import tomllib

    root = Path(__file__).resolve().parents[1]
    cfg = tomllib.loads((root / "pyproject.toml").read_text())
    patterns = cfg["tool"]["setuptools"]["package-data"]["cayley"]
    files = sorted((root / "cayley" / "conjectures" / "data").glob("*.toml"))
    assert len(files) >= 5
    for f in files:
        rel = f.relative_to(root / "cayley").as_posix()
        assert any(Path(rel).match(p) for p in patterns), (rel, patterns)


def test_formulas_evaluate():
    assert CAT["lx-diameter"].expected(10) == 58
    assert CAT["stars-antipodes"].expected(9) == 105 and CAT["stars-antipodes"].expected(10) == 3465
    assert CAT["all-transpositions-stirling"].expected(5, 4) == 24
    assert CAT["coxeter-mahonian"].expected(3) == [1, 2, 2, 1]
    assert CAT["undirected-sn-diameter-bound"].expected(3) == Fraction(33, 2)
    assert CAT["pancake-diameter"].expected(11) == 13
    assert CAT["heisenberg-diameter"].expected(11) == 10  # a formula in the modulus m


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"id": "x", "family": "lrx", "invariant": "radius", "formula": "n"}, "invariant 'radius'"),
        ({"id": "x", "family": "lrx", "invariant": "diameter", "formula": "n +* 2"}, "cannot parse 'n \\+\\* 2'"),
        ({"id": "x", "family": "lrx", "invariant": "diameter", "formula": ["n", "n"], "period": 3}, "list of 3"),
        ({"id": "x", "family": "lrx", "invariant": "diameter"}, "exactly one of formula and values"),
        ({"id": "x", "family": "lrx", "invariant": "diameter", "formula": "n", "colour": 1}, "unknown field 'colour'"),
        ({"id": "X Y", "family": "lrx", "invariant": "diameter", "formula": "n"}, "kebab-case"),
        ({"id": "x", "family": "lrx", "invariant": "diameter", "formula": "n", "status": "proved"}, "status 'proved'"),
        ({"id": "x", "family": "lrx", "invariant": "diameter", "formula": "n", "status": "refuted"}, "counterexample"),
        ({"id": "x", "family": "lrx", "invariant": "layer", "formula": "n"}, "needs the field layer"),
        ({"id": "x", "family": "lrx", "invariant": "diameter", "formula": "n", "start": "zigzag"}, "unknown start"),
    ],
)
def test_bad_records_are_refused(fields, message):
    with pytest.raises(CatalogueError, match=message):
        rec(**fields)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": 5}, "title must be a string"),
        ({"statement": {"a": 1}}, "statement must be a string"),
        ({"family": 3}, "family must be a string"),
        ({"evidence": ["a"]}, "evidence must be a string"),
        ({"source": True}, "source must be a string"),
        ({"n_min": True}, "n_min must be a positive integer"),
        ({"n_min": 6, "n_max": 4}, "n_max 4 is below n_min 6"),
        ({"n_max": 2.5}, "n_max must be a positive integer"),
        ({"formula": None, "values": {"3": 2.5}}, "values must be a table n = integer"),
        ({"formula": None, "values": {"3": True}}, "values must be a table n = integer"),
        ({"formula": None, "values": {"0": 1}}, "values must be a table n = integer"),
        ({"formula": None, "values": {"3": "4"}}, "values must be a table n = integer"),
        ({"formula": None, "values": {}}, "values must be a table n = integer"),
        ({"status": "refuted", "counterexample": "n=5"}, "counterexample must be a positive integer"),
        ({"period": True, "formula": ["n"]}, "period must be an integer"),
        ({"params": {"k": {"a": 1}}}, "params"),
        ({"params": {"k": [1, 2]}}, "params"),
        ({"group": 5}, "group must be a string"),
        ({"families": 5, "family": "*"}, "families"),
        ({"variable": ["n"]}, "variable must be"),
        ({"relation": ["=="]}, "relation"),
        ({"invariant": "layer", "layer": "n +"}, "layer: cannot parse"),
        ({"invariant": "layer", "layer": [1]}, "layer must be"),
        ({"invariant": "layer", "layer": "__import__('os')"}, "layer: "),
        ({"start": 5}, "start must be a string"),
        ({"formula": "x + n"}, "unknown name 'x'"),
        ({"formula": "0.5*n"}, "0.5"),
    ],
)
def test_bad_fields_from_a_file_give_one_line(fields, message):
    data = {"id": "x", "family": "lrx", "invariant": "diameter", "formula": "n", **fields}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(CatalogueError, match=message) as info:
        rec(**data)
    assert "\n" not in str(info.value)


# -- formulas from a file are parsed by a whitelist, never evaluated as code (issue 17) ------------
def _old_parse(text):
    """The former parser (sympy.sympify): applied here to the trusted shipped text only."""
    from cayley.conjectures.catalogue import _functions, formula_symbols

    syms = formula_symbols()
    expr = sympy.sympify(text, locals={**syms, **_functions()})
    return expr.xreplace({sympy.Symbol(k): v for k, v in syms.items()})


def _shipped_texts():
    for r in CAT.values():
        texts = [] if r.formula is None else (list(r.formula) if r.period else [r.formula])
        if r.layer is not None:
            texts.append(r.layer)
        for t in texts:
            yield r.id, t


def test_shipped_formulas_parse_to_the_same_expressions():
    from cayley.conjectures.catalogue import formula_symbols

    s = formula_symbols()
    texts = list(_shipped_texts())
    assert len(texts) >= 40
    for rid, text in texts:
        new, old = parse_formula(text), _old_parse(text)
        if new == old:
            continue
        for n in range(1, 13):  # else the same values
            for d in range(4):
                sub = {s["n"]: n, s["m"]: n, s["d"]: d}
                assert sympy.simplify((new.subs(sub) - old.subs(sub)).doit()) == 0, (rid, text, n, d)


def test_discover_output_parses():
    # what discover writes (closed forms, polynomials, the Piecewise on Mod) is accepted
    s = parse_formula("Piecewise((3*n**2/16, Eq(Mod(n, 4), 0)), (3*n**2/16 + 1/4, Eq(Mod(n, 4), 2)), (n, True))")
    n = sympy.Symbol("n", integer=True, positive=True)
    assert [s.subs(n, k) for k in (4, 6, 7)] == [3, sympy.Rational(7, 1), 7]
    assert parse_formula("ceiling(n**2/3) - n + 1").subs(n, 4) == 3
    assert parse_formula("n//2 + n % 3").subs(n, 7) == 4
    assert parse_formula("Max(n, 3) + Min(n, 2) + binomial(n, 2)").subs(n, 2) == 6


EVIL = [
    "__import__('os').system('touch {sentinel}') + n",
    "__import__('os').system('touch {sentinel}')",
    "open('{sentinel}', 'w').close() or n",
    "exec(\"open('{sentinel}', 'w')\")",
    "eval(\"open('{sentinel}', 'w')\")",
    "(lambda: open('{sentinel}', 'w'))() + n",
    "n.__class__",
    "n.subs(n, 2)",
    "floor.__globals__",
    "getattr(n, 'is_integer')",
    "[1][0] + n",
    "(n, 1)[0]",
    "'a'",
    "{{1: 2}}",
    "n if n else 1",
    "[k for k in (1, 2)]",
    "factorial(n, evaluate=False)",
    "Symbol('n')",
    "S(1) + n",
    "Integer(2) * n",
    "sympify('n')",
    "__builtins__",
    "n; import os",
    "99999**99999",
    "2**2**2**2**2",
    "factorial(100000)",
    "1" * 40 + " + n",
    "n + " * 700 + "n",
    "floor(" * 120 + "n" + ")" * 120,
    "f(n)",
    "floor(n, n, n)",
    "binomial(n)",
    "Product(i, (i, 1, 10**9))",
    "i + n",
]


@pytest.mark.parametrize("text", EVIL)
def test_formulas_that_are_code_or_bombs_are_refused(text, tmp_path):
    sentinel = tmp_path / "pwned"
    text = text.format(sentinel=sentinel)
    t0 = time.perf_counter()
    with pytest.raises(CatalogueError) as info:
        parse_formula(text)
    assert time.perf_counter() - t0 < 5
    assert "\n" not in str(info.value)
    assert not sentinel.exists()


def test_a_catalogue_file_with_code_runs_nothing_in_the_cli(run, tmp_path):
    sentinel = tmp_path / "pwned"
    evil = tmp_path / "evil.toml"
    evil.write_text('[[record]]\nid = "evil"\ntitle = "t"\nstatement = "s"\nfamily = "lrx"\ninvariant = "diameter"\n'
                    f'formula = "__import__(\'os\').system(\'touch {sentinel}\') + n"\nsource = "x"\n'
                    'status = "conjecture"\n')
    for args in (["list"], ["show", "evil"], ["check", "evil", "--no-store"], ["export"]):
        res = run(*args, "--catalogue", str(evil))
        assert res.exit_code == 2, (args, res.output)
        assert res.output.startswith("error: ") and res.output.count("\n") == 1, res.output
        assert "'__import__'" in res.output
        assert not sentinel.exists(), args


def test_bad_catalogue_files_give_one_line(tmp_path):
    cases = {
        "binary.toml": b"\xff\xfe\x00 not utf-8",
        "nested.toml": b"x = " + b"[" * 5000 + b"]" * 5000,
        "records.toml": b"record = 5\n",
        "scalar.toml": b"record = [1, 2]\n",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(CatalogueError) as info:
            load_catalogue(tmp_path / name)
        assert name in str(info.value) and "\n" not in str(info.value), name


def test_evaluation_errors_are_catalogue_errors():
    r = rec(id="x", family="lrx", invariant="growth_polynomial", formula="floor(n/q)")
    with pytest.raises(CatalogueError, match="polynomial in q"):
        r.expected(3)
    r = rec(id="x", family="lrx", invariant="growth", formula="n")
    with pytest.raises(CayleyError, match="distance d"):
        r.expected(3)


def test_duplicate_ids_are_refused(tmp_path):
    extra = tmp_path / "dup.toml"
    extra.write_text('[[record]]\nid = "lrx-diameter"\ntitle = "t"\nstatement = "s"\nfamily = "lrx"\n'
                     'invariant = "diameter"\nformula = "n"\nsource = "x"\nstatus = "open"\n')
    with pytest.raises(CatalogueError, match="appears twice"):
        load_catalogue(extra)


# -- the data the checker uses agrees with the naive oracle -----------------------------------
def test_checker_results_match_the_networkx_oracle():
    chk = Checker()
    seen = 0
    for r in CAT.values():
        if r.family == "*" or r.group != "permutation" or r.status == "refuted":
            continue
        for n in chk.degrees(r, 5):
            g = chk.graph(r.family, n, r.params, r.start)
            assert list(chk.result(g).growth) == oracle_growth(g.generators.perms.tolist(), g.start.tolist()), (r.id, n)
            seen += 1
    assert seen > 60


# -- checking ------------------------------------------------------------------------------
FALSE = dict(id="coxeter-false", family="coxeter", invariant="diameter",
             formula="n*(n - 1)/2 + Piecewise((1, n >= 6), (0, True))", n_min=2)


def test_false_record_is_flagged_with_its_counterexample():
    res = check_record(rec(**FALSE), max_n=8)
    assert res.outcome == "fail" and not res.ok
    assert res.counterexample == {"n": 6, "expected": 16, "actual": 15}
    assert res.checked == (2, 3, 4, 5, 6)
    assert "n=6" in res.message


def test_false_piecewise_values_and_growth_records():
    res = check_record(rec(id="cc", family="cyclic_coxeter", invariant="last_layer_size", period=2,
                           formula=["2", "1"], n_min=3), max_n=6)
    assert res.counterexample == {"n": 3, "expected": 1, "actual": 2}
    res = check_record(rec(id="pk", family="pancake", invariant="diameter", values={"4": 4, "5": 6}), max_n=6)
    assert res.counterexample == {"n": 5, "expected": 6, "actual": 5}
    # the growth must also vanish beyond the diameter: a formula one layer too long fails
    res = check_record(rec(id="gr", family="all_transpositions", invariant="growth",
                           formula="stirling1(n + 1, n + 1 - d)", n_min=3), max_n=4)
    assert res.outcome == "fail" and res.counterexample["n"] == 3
    assert res.counterexample["actual"] == [1, 3, 2]


def test_false_bound_across_families_names_the_family():
    res = check_record(rec(id="b", family="*", families="undirected", invariant="diameter", relation="<=",
                           formula="n - 1", n_min=3), max_n=4)
    assert res.outcome == "fail"
    assert set(res.counterexample) == {"n", "family", "expected", "actual"}
    assert res.counterexample["n"] == 3 and res.counterexample["actual"] > 2


def test_refuted_records():
    assert check_record(CAT["lrx-diameter-small-n"], max_n=5).outcome == "pass"
    wrong = rec(id="r", family="lrx", invariant="diameter", formula="n*(n-1)/2", status="refuted", counterexample=5)
    res = check_record(wrong, max_n=6)
    assert res.outcome == "fail" and "claim holds" in res.message


def test_inverses_checks_the_undirected_graph():
    # directed consecutive 3-cycles at n = 6: diameter 9 (floor(n^2/4)); with the inverses
    # added (undirected) the diameter is 7, the bound of CayleyPy-4's Theorem 5
    directed = rec(id="d", family="consecutive_k_cycles", params={"k": 3}, invariant="diameter",
                   formula="floor(n**2/4)", n_min=6)
    undirected = rec(id="u", family="consecutive_k_cycles", params={"k": 3}, invariant="diameter",
                     formula="ceiling((n*(n - 1) - 2)/4)", n_min=6, inverses=True)
    assert check_record(directed, max_n=6).outcome == "pass"
    assert check_record(undirected, max_n=6).outcome == "pass"
    swapped = rec(id="s", family="consecutive_k_cycles", params={"k": 3}, invariant="diameter",
                  formula="floor(n**2/4)", n_min=6, inverses=True)
    res = check_record(swapped, max_n=6)
    assert res.outcome == "fail" and res.counterexample["actual"] == 7
    with pytest.raises(CatalogueError, match="inverses must be true or false"):
        rec(id="x", family="lrx", invariant="diameter", formula="n", inverses="yes")


def test_conjecture_11_refuted_at_6_by_the_catalogue():
    res = check_record(CAT["consecutive-4-cycles-conjecture-11"], max_n=7)
    assert res.outcome == "pass" and "n=6" in res.message and "diameter is 6" in res.message


def _matrix_groups_available() -> bool:
    from cayley.errors import UnknownFamilyError
    from cayley.graphs import CayleyGraph

    try:
        return get_family("heisenberg").kind == "matrix" and hasattr(CayleyGraph, "is_matrix")
    except (UnknownFamilyError, AttributeError):
        return False


def _heisenberg_oracle(m: int) -> tuple[int, int]:
    """(order, diameter) of the Heisenberg group over Z/m with x = E12, y = E23 and their
    inverses, by a plain BFS over triples (a, b, c) = [[1, a, c], [0, 1, b], [0, 0, 1]]."""
    import networkx as nx

    def mul(u, v):
        return ((u[0] + v[0]) % m, (u[1] + v[1]) % m, (u[2] + v[2] + u[0] * v[1]) % m)

    gens = [(1, 0, 0), (m - 1, 0, 0), (0, 1, 0), (0, m - 1, 0)]
    g, todo, seen = nx.Graph(), [(0, 0, 0)], {(0, 0, 0)}
    while todo:
        s = todo.pop()
        for x in gens:
            t = mul(s, x)
            g.add_edge(s, t)
            if t not in seen:
                seen.add(t)
                todo.append(t)
    dist = nx.single_source_shortest_path_length(g, (0, 0, 0))
    return len(dist), max(dist.values())


def test_heisenberg_oracle_supports_the_records():
    for m in range(2, 16):
        order, diameter = _heisenberg_oracle(m)
        assert order == CAT["heisenberg-order"].expected(m) == m**3
        if m >= CAT["heisenberg-diameter"].n_min:
            assert diameter == CAT["heisenberg-diameter"].expected(m)
    assert [_heisenberg_oracle(m)[1] for m in range(2, 10)] == [4, 4, 6, 6, 8, 8, 8, 8]


def test_matrix_records_are_checked_or_unsupported():
    res = check_record(CAT["heisenberg-diameter"], max_n=13)
    if not _matrix_groups_available():
        assert res.outcome == "unsupported" and "heisenberg" in res.message
        return
    assert res.outcome == "pass" and res.checked == (10, 11, 12, 13) and "m = 10..13" in res.message
    false = rec(id="h", family="heisenberg", group="matrix", variable="m", params={"n": 3},
                invariant="diameter", formula="2*floor(m/2)", n_min=2)
    res = check_record(false, max_n=12)
    assert res.counterexample == {"m": 2, "expected": 2, "actual": 4}


def test_out_of_range_and_unsupported():
    assert check_record(rec(id="big", family="lrx", invariant="diameter", formula="n*(n-1)/2", n_min=20),
                        max_n=10).outcome == "out of range"
    res = check_record(rec(id="u", family="no_such_family", invariant="diameter", formula="n"), max_n=4)
    assert res.outcome == "unsupported" and "no_such_family" in res.message
    res = check_record(rec(id="u2", family="no_such_matrices", group="matrix", variable="m", params={"n": 3},
                           invariant="order", formula="m**3"), max_n=4)
    assert res.outcome == "unsupported" and "no_such_matrices" in res.message


def test_budget_skips_degrees():
    res = check_record(CAT["coxeter-diameter"], max_n=8, max_states=1000)
    assert res.outcome == "pass" and res.checked == (2, 3, 4, 5, 6)
    assert [n for n, _ in res.skipped] == [7, 8] and "states > budget" in res.skipped[0][1]


def test_store_is_used_as_a_cache(tmp_path):
    store = ResultsStore(tmp_path / "r.sqlite")
    first = Checker(store)
    assert first.check(CAT["pancake-diameter"], max_n=7).outcome == "pass"
    assert first.computed == 6 and len(store) == 6
    second = Checker(store)
    assert second.check(CAT["pancake-antipodes"], max_n=7).outcome == "pass"
    assert second.computed == 0 and second.reused == 6


# -- discovery -------------------------------------------------------------------------------
def _parses_to(formula: str, values: dict):
    """The formula string, parsed by plain sympy and by the catalogue's parser, gives ``values``."""
    expr = sympy.sympify(formula)  # trusted text: what discover wrote
    n = sympy.Symbol("n")
    ours = parse_formula(formula)
    n_ours = sympy.Symbol("n", integer=True, positive=True)
    return all(expr.subs(n, k) == v and ours.subs(n_ours, k) == v for k, v in values.items())


def test_fit_is_exact_and_needs_held_out_points():
    f = fit_quasi_polynomial({n: Fraction(n * n, 3).__floor__() for n in range(1, 40)})
    assert f.period == 3 and f.degree == 2 and f.closed_form == "floor(n**2/3)"
    # a cubic through 4 points fits anything: without a 5th point nothing is reported
    assert fit_quasi_polynomial({1: 5, 2: 1, 3: 7, 4: 2}) is None
    # agrees with a quadratic on the fitted points, not on the held-out one
    data = {n: n * n for n in range(1, 6)}
    data[6] = 37
    assert fit_quasi_polynomial(data) is None
    data[6] = 36
    assert fit_quasi_polynomial(data).formula == "n**2"
    assert fit_quasi_polynomial({n: 2**n for n in range(1, 30)}) is None


def test_discover_lrx_and_cyclic_coxeter_from_computed_data():
    d = discover("lrx", range(3, 10), source="compute")
    assert set(d.sources.values()) == {"computed"}
    assert d.fit.formula == "n*(n - 1)/2" and d.fit.n_min == 4 and d.fit.held_out
    d = discover("cyclic_coxeter", range(3, 11), source="compute")
    assert d.fit.formula == "floor(n**2/4)" and d.fit.period == 2
    assert set(d.fit.held_out) == {9, 10}


def test_discover_lx_from_reference_rows():
    d = discover("lx", range(3, 16), source="reference")
    assert d.fit.formula == "floor(3*n**2/4) - 2*n + 3" and d.fit.n_min == 5
    assert d.fit.fitted == (5, 6, 7, 8, 9, 10) and d.fit.held_out == (11, 12, 13, 14, 15)


@pytest.mark.slow
def test_discover_lx_from_computed_diameters():
    d = discover("lx", range(3, 13), source="compute", checker=Checker(max_states=500_000_000, max_work=10**11))
    assert d.values[12] == 87
    assert d.fit.formula == "floor(3*n**2/4) - 2*n + 3" and set(d.fit.held_out) == {11, 12}


def test_discover_period_4_for_lrx_on_alternating_strings():
    d = discover("lrx", range(3, 33), start="alternating", source="reference")
    rows = load_reference("lrx_coset")
    assert d.values[29] == len(rows["01" * 14 + "0"]) - 1
    f = d.fit
    assert f.period == 4 and f.degree == 2 and f.closed_form is None
    assert min(f.held_out) > max(f.fitted)  # confirmed on larger n than it was fitted on
    held = {n: d.values[n] for n in f.held_out}
    assert _parses_to(f.formula, held)  # the Piecewise string
    dd = d.to_dict()
    for r, e in dd["cases"]:
        assert _parses_to(e, {n: v for n, v in d.values.items() if n % 4 == r and n >= f.n_min})
    # the catalogue record is the same formula
    record = CAT["lrx-alternating-diameter"]
    assert record.period == 4 and all(record.expected(n) == d.values[n] for n in d.values if n >= record.n_min)


def test_discover_record_is_ready_to_add(tmp_path):
    d = discover("lrx", range(3, 33), start="alternating", invariant="last_layer_size", source="reference")
    text = d.to_dict()["record"]
    (tmp_path / "new.toml").write_text(text)
    cat = load_catalogue(tmp_path / "new.toml")
    new = cat["lrx-alternating-last-layer-size"]
    assert new.period == 4 and check_record(new, max_n=10).outcome == "pass"


# -- the CLI ---------------------------------------------------------------------------------
@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    runner = CliRunner()
    return lambda *args: runner.invoke(main, ["conjectures", *args])


def test_cli_list_show_export(run):
    res = run("list", "--format", "json")
    assert res.exit_code == 0 and len(json.loads(res.output)) == len(CAT)
    res = run("list")
    assert "lrx-diameter" in res.output and f"{len(CAT)} records" in res.output
    res = run("show", "lx-diameter")
    assert "floor(3*n**2/4) - 2*n + 3" in res.output and "A039745" in res.output
    assert json.loads(run("show", "lx-diameter", "--format", "json").output)["n_min"] == 5
    res = run("show", "lx-diamter")
    assert res.exit_code == 2 and "did you mean lx-diameter" in res.output
    md = run("export", "--format", "md").output
    assert md.count("\n| **") == len(CAT) and "| id | status |" in md
    html = run("export", "--format", "html").output
    assert html.count("<tr><td>") == len(CAT) and "&lt;= n**2/2 + 4*n" in html


def test_cli_check_passes_and_flags_a_false_record(run, tmp_path):
    res = run("check", "stars-diameter", "--max-n", "7", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["results"][0]["outcome"] == "pass" and out["computed"] == 6
    res = run("check", "stars-diameter", "--max-n", "7", "--format", "json")
    assert json.loads(res.output)["reused"] == 6  # the default store kept them
    false = tmp_path / "false.toml"
    false.write_text('[[record]]\nid = "lrx-false"\ntitle = "t"\nstatement = "s"\nfamily = "lrx"\n'
                     'invariant = "diameter"\nformula = "n*(n - 1)/2 - Piecewise((1, n > 7), (0, True))"\n'
                     'n_min = 4\nsource = "test"\nstatus = "conjecture"\n')
    res = run("check", "lrx-false", "--catalogue", str(false), "--max-n", "9")
    assert res.exit_code == 1
    assert re.search(r"FAIL\s+lrx-false\s+counterexample at n=8: diameter is 28, the formula gives == 27", res.output)
    res = run("check", "lrx-false", "--catalogue", str(false), "--max-n", "9", "--format", "json")
    assert json.loads(res.output)["results"][0]["counterexample"] == {"n": 8, "expected": 27, "actual": 28}


def test_cli_discover(run):
    res = run("discover", "cyclic_coxeter", "--param", "n", "--range", "3..10", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["formula"] == "floor(n**2/4)" and out["period"] == 2
    assert _parses_to(out["formula"], {int(k): v for k, v in out["values"].items()})
    res = run("discover", "lrx", "--range", "3..32", "--start", "alternating", "--source", "reference")
    assert res.exit_code == 0 and "period 4, degree 2" in res.output and "[[record]]" in res.output
    res = run("discover", "lrx", "--range", "9..3")
    assert res.exit_code == 2 and "'9..3'" in res.output
    res = run("discover", "lrx", "--range", "3..8", "--param", "k")
    assert res.exit_code == 2 and "--param n" in res.output


@pytest.mark.slow
def test_check_whole_catalogue_max_n_10(tmp_path):
    store = ResultsStore(tmp_path / "r.sqlite")
    t0 = time.perf_counter()
    results = check_catalogue(CAT.values(), max_n=10, store=store)
    wall = time.perf_counter() - t0
    fails = [(r.record.id, r.message) for r in results if r.outcome == "fail"]
    print(f"\ncheck --max-n 10: {len(results)} records, {wall:.1f} s; "
          + ", ".join(f"{o}: {sum(r.outcome == o for r in results)}" for o in ("pass", "fail", "out of range", "unsupported")))
    assert not fails
    assert wall < 600
