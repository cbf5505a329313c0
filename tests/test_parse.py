"""The spec parser: generator, group and state specs, round trips and error messages."""

from __future__ import annotations

from functools import reduce

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation as SymPerm
from sympy.combinatorics import PermutationGroup

import cayley
from cayley import (
    CayleyError,
    DegreeMismatchError,
    GeneratorSet,
    InvalidStateError,
    NotAPermutationError,
    ParseError,
    Permutation,
    UnknownFamilyError,
)
from cayley.groups.parse import (
    as_generator_set,
    format_generators,
    parse_generators,
    parse_group,
    parse_permutation,
    parse_state,
)

SETTINGS = settings(max_examples=40, deadline=None)

names_st = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,3}(\^-1)?", fullmatch=True)


@st.composite
def gen_sets(draw, max_n: int = 9, max_k: int = 4):
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, max_k))
    perms = draw(st.lists(st.permutations(range(n)), min_size=k, max_size=k))
    names = draw(st.lists(names_st, min_size=k, max_size=k, unique=True))
    return GeneratorSet.from_perms([list(p) for p in perms], names)


one_perm = st.integers(1, 10).flatmap(lambda n: st.permutations(range(n))).map(Permutation)


# ------------------------------------------------------------------------------------
# round trips
# ------------------------------------------------------------------------------------
@SETTINGS
@given(gen_sets(), st.sampled_from(["one-line", "cycles", "gap"]))
def test_format_parses_back(gs, notation):
    text = format_generators(gs, notation)
    back = parse_generators(text, degree=gs.degree)
    np.testing.assert_array_equal(back.perms, gs.perms)
    assert back.names == gs.names
    assert back == gs


@SETTINGS
@given(one_perm)
def test_permutation_notations_parse_back(p):
    n = p.degree
    for text in (p.cycle_notation(), p.gap_notation(), repr(p.array.tolist())):
        np.testing.assert_array_equal(parse_permutation(text, n), p.array)
        assert Permutation.parse(text, n) == p
    if p != Permutation.identity(n):
        # without a degree, cycle notation gives the smallest degree that holds the moved points
        top = max(x for c in p.cycles() for x in c) + 1
        np.testing.assert_array_equal(parse_permutation(p.cycle_notation()), p.array[:top])
        np.testing.assert_array_equal(parse_permutation(p.gap_notation()), p.array[:top])


@SETTINGS
@given(gen_sets())
def test_gap_list_parses_back(gs):
    text = "[" + ",".join(Permutation(p).gap_notation() for p in gs.perms) + "]"
    np.testing.assert_array_equal(parse_generators(text, degree=gs.degree).perms, gs.perms)


# ------------------------------------------------------------------------------------
# overlapping cycles: left to right on points, as in GAP and sympy
# ------------------------------------------------------------------------------------
cycle_lists = st.integers(2, 7).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True), min_size=1, max_size=4
        ),
    )
)


@SETTINGS
@given(cycle_lists)
def test_overlapping_cycles_multiply_left_to_right_like_sympy(ncs):
    n, cs = ncs
    zero_based = "".join("(" + " ".join(map(str, c)) + ")" for c in cs)
    gap = "".join("(" + ",".join(str(x + 1) for x in c) + ")" for c in cs)
    # sympy: P1 * P2 * ... applies P1 first (left to right on points)
    expect = reduce(lambda a, b: a * b, (SymPerm([c], size=n) for c in cs)).array_form
    assert parse_permutation(zero_based, n).tolist() == expect
    if any(len(c) > 1 for c in cs):  # a GAP word needs a comma somewhere to be GAP
        assert parse_permutation(gap, n).tolist() == expect
    assert SymPerm([list(c) for c in cs], size=n).array_form == expect


def test_overlapping_cycles_example():
    # GAP: (1,2)(2,3) = (1,3,2)
    assert parse_permutation("(1,2)(2,3)", 3).tolist() == parse_permutation("(1,3,2)", 3).tolist() == [2, 0, 1]
    assert parse_permutation("(0 1)(1 2)", 3).tolist() == [2, 0, 1]


# ------------------------------------------------------------------------------------
# accepted forms
# ------------------------------------------------------------------------------------
def test_one_line():
    g = parse_generators("[1,0,2]")
    assert g.perms.tolist() == [[1, 0, 2]] and g.names == ("g0",)
    assert parse_generators("[1, 2, 0] ; [1 0 2]").perms.tolist() == [[1, 2, 0], [1, 0, 2]]
    assert parse_generators("[1,2,3,0];[1,0,2,3]").degree == 4


def test_named():
    g = parse_generators("L=[1,2,0];X=(0 1)")
    assert g.names == ("L", "X")
    assert g.perms.tolist() == [[1, 2, 0], [1, 0, 2]]
    assert parse_generators("L^-1 = (0 2 1); X' = (1,2)", 3).names == ("L^-1", "X'")


def test_cycles_0_based_and_gap():
    assert parse_generators("(0 1)(2 3)").perms.tolist() == [[1, 0, 3, 2]]
    assert parse_generators("(1,2)(3,4)").perms.tolist() == [[1, 0, 3, 2]]
    assert parse_generators("(1,2)(3,4)", degree=6).perms.tolist() == [[1, 0, 3, 2, 4, 5]]
    assert parse_generators("(1, 2)(3, 4)").perms.tolist() == [[1, 0, 3, 2]]
    # cycle generators of different sizes are padded to one degree
    assert parse_generators("(0 1);(1 2 3)").perms.tolist() == [[1, 0, 2, 3], [0, 2, 3, 1]]
    assert parse_generators("()", degree=3).perms.tolist() == [[0, 1, 2]]


def test_gap_list():
    g = parse_generators("[(1,2),(1,2,3)]")
    assert g.perms.tolist() == [[1, 0, 2], [1, 2, 0]]
    assert parse_generators("[(1,2), (1,2,3)]", degree=4).perms.tolist() == [[1, 0, 2, 3], [1, 2, 0, 3]]
    # one-point cycles in a GAP list are 1-based too
    assert parse_generators("[(1,2),(3)]").perms.tolist() == [[1, 0, 2], [0, 1, 2]]
    assert parse_generators("[(1,2),()]", degree=3).perms.tolist() == [[1, 0, 2], [0, 1, 2]]


def test_family_specs():
    n = parse_group("S_5").degree
    g = parse_generators("lrx", n)
    assert g.names == ("L", "R", "X")
    assert g.perms.tolist() == [[1, 2, 3, 4, 0], [4, 0, 1, 2, 3], [1, 0, 2, 3, 4]]
    g2 = parse_generators("lrx:k=2", n)
    assert g2.perms[2].tolist() == [2, 1, 0, 3, 4]
    assert dict(g2.params)["k"] == 2
    assert parse_generators("lrx:n=5") == g
    assert parse_generators("LRX", n) == g


def test_sympy_input():
    grp = PermutationGroup([SymPerm([1, 0, 2, 3]), SymPerm([1, 2, 3, 0])])
    g = as_generator_set(grp)
    assert g.perms.tolist() == [[1, 0, 2, 3], [1, 2, 3, 0]]
    assert g.order() == 24
    g2 = as_generator_set([SymPerm(0, 1), SymPerm(0, 1, 2)], 4)
    assert g2.perms.tolist() == [[1, 0, 2, 3], [1, 2, 0, 3]]
    assert as_generator_set(g2) is g2
    assert as_generator_set("[1,0]").perms.tolist() == [[1, 0]]
    assert as_generator_set(np.array([[1, 0, 2]])).perms.tolist() == [[1, 0, 2]]


@pytest.mark.parametrize("text", ["S_10", "S10", "s10", "Sym(10)", "Sym( 10 )", "10", " S_10 ", 10])
def test_parse_group(text):
    spec = parse_group(text)
    assert spec.degree == 10 and spec.name == "S_10"


@pytest.mark.parametrize("text", ["", "S", "S_", "S_0", "0", "A_10", "Sym(10", "S10)", "Sym10", "S_-3", "S_1.5", "GL(2)", "SL(2,1)"])
def test_parse_group_rejects(text):
    with pytest.raises(ParseError) as info:
        parse_group(text)
    assert repr(text) in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "text, expect",
    [
        ("00001111", [0, 0, 0, 0, 1, 1, 1, 1]),
        ("abba", [0, 1, 1, 0]),
        ("[2,0,2]", [1, 0, 1]),
        ("0,1,1", [0, 1, 1]),
        ("[0 1 1 2]", [0, 1, 1, 2]),
        ("210", [2, 1, 0]),
        ([5, 5, 7], [0, 0, 1]),
    ],
)
def test_parse_state(text, expect):
    assert parse_state(text).tolist() == expect
    assert parse_state(text, len(expect)).tolist() == expect


def test_start_states_in_graphs():
    g = cayley.CayleyGraph.from_spec("S_4", "lrx", start="0011")
    assert g.start.tolist() == [0, 0, 1, 1] and g.is_schreier


# ------------------------------------------------------------------------------------
# bad input: the class, and the message quotes the bad value
# ------------------------------------------------------------------------------------
def _raises(cls, fn, *fragments):
    with pytest.raises(cls) as info:
        fn()
    err = info.value
    assert isinstance(err, CayleyError) and isinstance(err, ValueError)
    msg = str(err)
    for f in fragments:
        assert f in msg, (f, msg)
    return msg


def test_not_a_permutation():
    _raises(NotAPermutationError, lambda: parse_generators("[0,0,1]"), "[0, 0, 1]", "exactly once")
    _raises(NotAPermutationError, lambda: parse_generators("A=[1,2,0];B=[0,0,1]"), "[0, 0, 1]")
    _raises(NotAPermutationError, lambda: parse_permutation("[1,2]"), "[1, 2]")


def test_degree_mismatch():
    _raises(DegreeMismatchError, lambda: parse_generators("[1,0,2,3,4,5]", degree=5), "[1,0,2,3,4,5]", "6", "5")
    _raises(DegreeMismatchError, lambda: parse_generators("(0 5)", degree=5), "(0 5)", "beyond degree 5")
    _raises(DegreeMismatchError, lambda: parse_generators("(1,6)", degree=5), "(1,6)", "moves point 6")
    _raises(DegreeMismatchError, lambda: parse_generators("[1,0];[1,2,0]"), "[2, 3]")
    _raises(DegreeMismatchError, lambda: parse_generators("lrx:n=6", degree=5), "lrx:n=6")
    _raises(DegreeMismatchError, lambda: as_generator_set([SymPerm(0, 5)], 3), "beyond degree 3")


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("(0 1", "'(0 1'"),
        ("(0 1)(1 2", "'(0 1)(1 2'"),
        ("(a b)", "'(a b)'"),
        ("(1,2 3)", "'(1,2 3)'"),
        ("(1,2)(3 4)", "'(1,2)(3 4)'"),
        ("(0,1)", "1-based"),
        ("(0 1),(2 3)", "'(0 1),(2 3)'"),
        ("(0 1 0)", "repeats"),
        ("[1,a,0]", "'[1,a,0]'"),
        ("[(1,2),(2,3)", "missing ']'"),
        ("L=1 0", "'1 0'"),
        ("()", "needs a degree"),
    ],
)
def test_malformed(spec, fragment):
    msg = _raises(ParseError, lambda: parse_generators(spec), fragment)
    if spec.startswith("("):
        assert "(0 1)" in msg or "1-based" in msg or "repeats" in msg or "degree" in msg  # says the form


@pytest.mark.parametrize("spec", ["", "   "])
def test_empty_spec(spec):
    _raises(ParseError, lambda: parse_generators(spec), "empty", repr(spec))
    _raises(ParseError, lambda: parse_permutation(spec), "empty")


def test_unknown_family_suggests_close_names():
    _raises(UnknownFamilyError, lambda: parse_generators("lrxx", 5), "'lrxx'", "lrx")
    _raises(UnknownFamilyError, lambda: cayley.CayleyGraph.from_spec("S_4", "lrxx"), "did you mean lrx")


def test_family_needs_a_degree():
    _raises(ParseError, lambda: parse_generators("lrx"), "needs a degree")
    _raises(ParseError, lambda: parse_generators("lrx:k", 5), "'k'", "key=value")


def test_bad_states():
    _raises(InvalidStateError, lambda: cayley.CayleyGraph.from_spec("S_4", "lrx", start="00111"), "'00111'", "5", "4")
    _raises(InvalidStateError, lambda: parse_state(""), "empty")
    _raises(InvalidStateError, lambda: parse_state("[]"), "'[]'")
    _raises(InvalidStateError, lambda: parse_state("0,1", 3), "'0,1'")
    _raises(InvalidStateError, lambda: parse_state([[0, 1], [1, 0]]), "flat")


def test_format_rejects_unknown_notation():
    g = parse_generators("[1,0]")
    _raises(ParseError, lambda: format_generators(g, "latex"), "'latex'")


def test_non_string_spec():
    _raises(ParseError, lambda: parse_generators(123), "int")  # type: ignore[arg-type]


@pytest.mark.parametrize("notation", ["one-line", "cycles", "gap"])
def test_format_generators_reads_back_for_every_family(notation):
    """Every registered permutation family's generators (names such as ``(0,1)`` or
    ``I[0..0,1..1]`` included) survive format_generators -> parse_generators."""
    import cayley
    from cayley.groups.generator_set import GeneratorSet
    from cayley.groups.library import generators

    checked = 0
    for fam in cayley.families():
        if fam.kind == "matrix":
            continue
        g = generators(fam.name, fam.state_degree(fam.example_degree()) if not fam.signed else fam.example_degree())
        if not isinstance(g, GeneratorSet):
            continue
        h = parse_generators(format_generators(g, notation), g.degree)
        assert h.names == g.names and np.array_equal(h.perms, g.perms), fam.name
        checked += 1
    assert checked >= 90
    odd = GeneratorSet([[1, 0, 2], [1, 2, 0]], names=['a"b;c', "x\\y=z"])
    assert parse_generators(format_generators(odd, notation)).names == odd.names


# ------------------------------------------------------------------------------------
# hardening (issue 17): every bad spec is one CayleyError, checked before allocating
# ------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", ["lrx:k=[a]", "lrx:k=[1,x]", "top_spin:k=[", "lrx:k=[]]"])
def test_bad_family_parameter_values_are_parse_errors(spec):
    with pytest.raises(CayleyError):
        parse_generators(spec, 5)


@pytest.mark.parametrize("spec", [";", " ; ;; ", ";;;"])
def test_only_separators_is_a_parse_error(spec):
    _raises(ParseError, lambda: parse_generators(spec), "no generator")
    _raises(ParseError, lambda: parse_generators(spec, 5), "no generator")


def test_huge_points_are_refused_before_allocating():
    from cayley.groups.perm import MAX_DEGREE

    for spec in ("(0 99999999999)", "(1,99999999999)", "[(1,99999999999)]", f"(0 {MAX_DEGREE})"):
        _raises(ParseError, lambda spec=spec: parse_generators(spec), "degree", str(MAX_DEGREE))
    _raises(CayleyError, lambda: parse_permutation("(0 99999999999)"), str(MAX_DEGREE))
    # the largest degree is still accepted
    assert parse_generators(f"(0 {MAX_DEGREE - 1})").degree == MAX_DEGREE


@pytest.mark.parametrize("spec", ["LRX:n=999999999", "lrx:n=-3", "coxeter:n=70000"])
def test_huge_family_degrees_are_refused(spec):
    with pytest.raises(CayleyError) as info:
        parse_generators(spec)
    assert "\n" not in str(info.value)


def test_huge_group_degree_is_refused():
    from cayley.groups.perm import MAX_DEGREE

    _raises(ParseError, lambda: parse_group("S_999999999"), "999999999", str(MAX_DEGREE))
    assert parse_group(f"S_{MAX_DEGREE}").degree == MAX_DEGREE


def test_many_large_generators_are_refused_before_allocating(monkeypatch):
    """k generators of degree n hold k * n entries: bounded before any is built."""
    import cayley.groups.parse as parse_mod

    monkeypatch.setattr(parse_mod, "MAX_GENERATOR_ENTRIES", 10_000, raising=False)
    spec = ";".join(["(0 999)"] * 20)  # 20 generators of degree 1000: 20,000 entries
    _raises(ParseError, lambda: parse_generators(spec), "20 generators", "degree 1,000")
    assert len(parse_generators(";".join(["(0 999)"] * 10))) == 10


def test_degree_zero_generators_are_refused():
    _raises(ParseError, lambda: parse_generators("[]"), "degree 0")
    _raises(ParseError, lambda: parse_generators("[];[]"), "degree 0")
