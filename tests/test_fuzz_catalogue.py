"""Fuzzing the catalogue reader (issue 17): random formula strings and random TOML catalogue
files give a record or a one-line CayleyError, never another exception, and no formula can
run code: whatever it contains, an accepted formula is a sympy expression built from the
whitelist, and code (imports, attributes, lambdas, subscripts, strings) is refused."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cayley.conjectures.catalogue import (
    CatalogueError,
    _parse_file,
    parse_formula,
    parse_record,
)
from cayley.errors import CayleyError

SETTINGS = {"max_examples": 200, "deadline": None,
            "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}

TOKENS = [
    "n", "m", "d", "q", "i", "k", "x", "(", ")", "+", "-", "*", "/", "**", "//", "%", ",", " ", "0", "1", "2", "7",
    "10**", "floor", "ceiling", "binomial", "factorial", "factorial2", "stirling1", "Mod", "Max", "Min",
    "Piecewise", "Product", "Sum", "Eq", "True", "<", ">=", "==", "__import__", "'os'", ".", "system", "lambda",
    ":", "[", "]", "{", "}", "getattr", "__class__", "eval", "exec", "open", "=", ";", "if", "else", "\n", "1.5",
    "\"", "#", "@", "not", "and", "sympify", "Symbol", "S", "__builtins__",
]
formula_text = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=25).map("".join),
    st.text(alphabet=string.printable, max_size=40),
    st.text(max_size=20),
)


def _acceptable(text):
    """Parse ``text``: a sympy expression or a CatalogueError, nothing else."""
    import sympy

    try:
        expr = parse_formula(text)
    except CatalogueError as exc:
        assert "\n" not in str(exc)
        return None
    assert isinstance(expr, sympy.Basic)
    return expr


@settings(**SETTINGS)
@given(formula_text)
def test_random_formula_text_parses_or_gives_a_catalogue_error(text):
    _acceptable(text)


# well-formed formulas from the whitelist's grammar: accepted, and evaluate to a number or a
# CatalogueError (division by zero, a non-integer value) at small n
atom = st.one_of(st.sampled_from(["n", "m", "d", "q", "(n - 1)"]), st.integers(-5, 12).map(str))
unary = ["floor", "ceiling", "Abs", "factorial", "factorial2"]
binary = ["binomial", "Mod", "Max", "Min", "stirling1"]


def _grow(inner):
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, st.integers(0, 4)).map(lambda t: f"{t[0]}**{t[1]}"),
        st.tuples(st.sampled_from(unary), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(binary), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, st.sampled_from(["<", "<=", "==", ">"]), inner, inner).map(
            lambda t: f"Piecewise(({t[3]}, {t[0]} {t[1]} {t[2]}), (0, True))"),
    )


grammar = st.recursive(atom, _grow, max_leaves=6)


@settings(**SETTINGS)
@given(grammar, st.integers(1, 5))
def test_well_formed_formulas_are_accepted_and_evaluate_or_give_one_line(text, n):
    from cayley.conjectures.catalogue import evaluate

    if _acceptable(text) is None:  # e.g. Mod(n, 0), factorial(-3)**-1 fail while building
        return
    try:
        evaluate(text, n, d=1, m=3, q=2)
    except CatalogueError as exc:
        assert "\n" not in str(exc)


# code wrapped in arithmetic: all of it must be refused, and none of it may run
CODE = [
    "__import__('os').system('touch {s}')",
    "open('{s}', 'w')",
    "(lambda: open('{s}', 'w'))()",
    "exec(\"open('{s}', 'w')\")",
    "eval(\"open('{s}', 'w')\")",
    "getattr(__import__('os'), 'system')('touch {s}')",
    "n.__class__.__init__.__globals__",
    "[open('{s}', 'w')][0]",
    "floor.__call__(n)",
    "(n).subs(n, 1)",
    "sympify(\"open('{s}', 'w')\")",
    "S(\"open('{s}', 'w')\")",
]
safe = st.sampled_from(["n", "1", "floor(n/2)", "binomial(n, 2)", "n**2", "factorial(n - 1)", "(n + 1)"])


@settings(**SETTINGS)
@given(st.sampled_from(CODE), safe, safe, st.sampled_from(["+", "-", "*", "/", "**"]),
       st.sampled_from(["{c}", "{a} {op} {c}", "{c} {op} {b}", "floor({c})", "Max({a}, {c})",
                        "Piecewise(({c}, n > 2), ({b}, True))", "Product({c}, (i, 1, n))"]))
def test_code_is_refused_and_never_runs(tmp_path_factory, code, a, b, op, shape):
    sentinel = tmp_path_factory.getbasetemp() / "pwned"
    text = shape.format(c=code.format(s=sentinel), a=a, b=b, op=op)
    with pytest.raises(CatalogueError):
        parse_formula(text)
    assert not sentinel.exists(), text


# -- random catalogue files -------------------------------------------------------------------------
scalar = st.one_of(
    st.integers(-3, 40), st.booleans(), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["n", "n*(n - 1)/2", "floor(n/2)", "factorial(n)", "n**", "x", "__import__('os')", "identity",
                     "alternating", "0011", "lrx", "coxeter", "*", "undirected", "theorem", "conjecture", "refuted",
                     "open", "diameter", "order", "layer", "growth", "growth_polynomial", "last_layer_size",
                     "==", "<=", ">=", "m", "matrix", "permutation", "stirling1(n, n - d)", "q**n", "floor(n/q)",
                     "Product((1 - q**i)/(1 - q), (i, 1, n))", "2", "lie"]),
    st.text(max_size=8),
)
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.sampled_from(["1", "2", "3", "k", "n", "a"]),
                                                                     inner, max_size=3)), max_leaves=6)
FIELDS = ["id", "title", "statement", "family", "params", "start", "invariant", "layer", "relation", "formula",
          "period", "values", "n_min", "n_max", "source", "status", "counterexample", "evidence", "families", "group",
          "variable", "colour"]
GOOD = {"id": "fuzz", "title": "t", "statement": "s", "family": "lrx", "invariant": "diameter", "formula": "n",
        "source": "x", "status": "conjecture"}
record = st.builds(lambda base, changes: {**(GOOD if base else {}), **changes}, st.booleans(),
                   st.dictionaries(st.sampled_from(FIELDS), value, max_size=6))


def _toml_value(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v) if "." in repr(v) or "e" in repr(v) else repr(v) + ".0"
    if isinstance(v, int):
        return str(v)
    return json.dumps(v)


def _toml(records, junk):
    lines = []
    for r in records:
        lines.append("[[record]]")
        lines.extend(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in r.items())
    return "\n".join(lines) + "\n" + junk


def _use(r):
    """What list/show/check do with an accepted record: nothing but CayleyError may escape."""
    r.formula_text()
    r.to_dict()
    for n in range(r.n_min, r.n_min + 3):
        if not r.claims(n):
            continue
        calls = [(r.expected, (n, 1) if r.invariant == "growth" else (n,))]
        if r.layer is not None:
            calls.append((r.layer_index, (n,)))
        for call, args in calls:
            try:
                call(*args)
            except CayleyError as exc:
                assert "\n" not in str(exc)


@settings(**SETTINGS)
@given(st.lists(record, max_size=3), st.sampled_from(["", "x = 1\n", "[[record]]\n", "record = 5\n", "[x\n", "\x00"]))
def test_random_catalogue_files_load_or_give_one_line(records, junk):
    text = _toml(records, junk)
    try:
        recs = _parse_file(text, "fuzz.toml")
    except CayleyError as exc:
        assert "\n" not in str(exc)
        return
    for r in recs:
        _use(r)


@settings(**SETTINGS)
@given(record)
def test_random_records_parse_or_give_one_line(data):
    try:
        r = parse_record(data)
    except CayleyError as exc:
        assert "\n" not in str(exc)
        return
    _use(r)
