"""Fuzzing the parsers of untrusted input (issue 17): generator specs and GAP files.

Whatever the text, only a :class:`CayleyError` escapes, and whatever is accepted is a
valid set of permutations of bounded degree and size.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cayley.errors import CayleyError
from cayley.groups.gap_format import load_gap, read_gap
from cayley.groups.generator_set import GeneratorSet
from cayley.groups.library import MAX_GENERATOR_ENTRIES, MAX_GENERATORS
from cayley.groups.parse import parse_generators, parse_group
from cayley.groups.perm import MAX_DEGREE

FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# families whose generator count grows fast: small degrees only, so each example is quick
SPEC_FAMILIES = ["lrx", "LRX", "top_spin", "coxeter", "pancake", "stars", "all_transpositions", "three_cycles",
                 "conjugacy_classes", "rand_generators", "circulant", "burnt_pancake", "cube_qtm", "derangements",
                 "increasing_k_cycles", "restricted_rotator", "transposition_tree", "unknown_family"]
PARAMS = ["k", "n", "classes", "seed", "jumps", "lengths", "edges", "add_inverses", "subset", "x"]
SPEC_CHARS = "0123456789()[],; =:_-\"\\'^lrxLRXabkn\t\n"


def _small_numbers():
    return st.one_of(st.integers(-3, 12), st.integers(0, 10**12), st.sampled_from([MAX_DEGREE - 1, MAX_DEGREE]))


@st.composite
def spec_texts(draw):
    kind = draw(st.sampled_from(["random", "family", "cycles", "one_line", "gap_list", "mixed"]))
    if kind == "random":
        return draw(st.text(SPEC_CHARS, max_size=40))
    if kind == "family":
        name = draw(st.sampled_from(SPEC_FAMILIES))
        params = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(PARAMS),
                    st.one_of(st.integers(-2, 9).map(str), st.text(SPEC_CHARS, max_size=6)),
                ),
                max_size=3,
            )
        )
        return name + (":" + ",".join(f"{k}={v}" for k, v in params) if params else "")
    if kind == "cycles":
        cyc = st.lists(_small_numbers(), min_size=0, max_size=4)
        sep = draw(st.sampled_from([" ", ","]))
        return "".join("(" + sep.join(map(str, c)) + ")" for c in draw(st.lists(cyc, min_size=1, max_size=3)))
    if kind == "one_line":
        rows = draw(st.lists(st.lists(_small_numbers(), max_size=8), min_size=1, max_size=3))
        return ";".join("[" + ",".join(map(str, r)) + "]" for r in rows)
    if kind == "gap_list":
        items = draw(st.lists(st.lists(st.integers(0, 12), max_size=4), max_size=3))
        return "[" + ",".join("(" + ",".join(map(str, c)) + ")" for c in items) + "]"
    parts = draw(st.lists(st.sampled_from(["L=[1,2,0]", "X=(0 1)", '"a;b"=(1,2)', ";", "(0 1)(1 2)", "[]", "()", "=",
                                           "lrx", "[(1,2)]"]), max_size=5))
    return ";".join(parts)


def _check_valid(gs: GeneratorSet) -> None:
    assert isinstance(gs, GeneratorSet)
    k, n = gs.perms.shape
    assert 1 <= n <= MAX_DEGREE
    assert 1 <= k <= MAX_GENERATORS and k * n <= MAX_GENERATOR_ENTRIES
    assert np.array_equal(np.sort(gs.perms, axis=1), np.broadcast_to(np.arange(n), (k, n)))
    assert len(set(gs.names)) == k


@FUZZ
@given(spec_texts(), st.one_of(st.none(), st.integers(-2, 8)))
def test_generator_specs_only_raise_cayley_errors(spec, degree):
    try:
        gs = parse_generators(spec, degree)
    except CayleyError as exc:
        assert "\n" not in str(exc).strip() or "\n" in spec
        return
    _check_valid(gs)
    if degree is not None:
        assert gs.degree == degree


@FUZZ
@given(st.one_of(st.text(max_size=20), st.from_regex(r"(S_?|Sym\()?[0-9]{1,14}\)?", fullmatch=True)))
def test_group_specs_only_raise_cayley_errors(text):
    try:
        g = parse_group(text)
    except CayleyError:
        return
    assert 1 <= g.degree <= MAX_DEGREE or g.is_matrix


@st.composite
def gap_texts(draw):
    names = draw(st.lists(st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,3}", fullmatch=True), min_size=1, max_size=4,
                          unique=True))
    lines = []
    if draw(st.booleans()):
        deg = draw(st.one_of(st.integers(0, 20), st.integers(0, 10**10)))
        lines.append(f"# cayley generator set x (degree {deg}, {len(names)} generators)")
    for nm in names:
        kind = draw(st.sampled_from(["cycles", "cycles", "junk", "identity"]))
        if kind == "cycles":
            cycs = draw(st.lists(st.lists(st.one_of(st.integers(0, 12), st.integers(0, 10**10)), max_size=4),
                                 min_size=1, max_size=3))
            body = "".join("(" + ",".join(map(str, c)) + ")" for c in cycs)
        elif kind == "identity":
            body = "()"
        else:
            body = draw(st.text("abc(),;:=[]0123 \n#", max_size=12))
        lines.append(f"M_{nm} := {body};{draw(st.sampled_from(['', ' # note', ';;', chr(10)]))}")
    if draw(st.booleans()):
        listed = draw(st.lists(st.sampled_from(names + ["x"]), max_size=4))
        lines.append("Gen := [" + ", ".join(f"M_{x}" for x in listed) + "];")
    if draw(st.booleans()):
        groups = draw(st.lists(st.lists(st.integers(0, 14), min_size=1, max_size=3), max_size=3))
        lines.append("ip := [" + ",".join("[" + ",".join(map(str, g)) + "]" for g in groups) + "];")
    text = "\n".join(lines)
    if draw(st.booleans()):  # mutate: cut, insert junk
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.text(max_size=8)) + text[cut:]
    return text


def _read_or_error(fn, *args, **kwargs):
    try:
        d = fn(*args, **kwargs)
    except CayleyError as exc:
        assert "Traceback" not in str(exc)
        return
    _check_valid(d.generators)
    if d.start is not None:
        assert d.start.shape == (d.generators.degree,)


@FUZZ
@given(gap_texts(), st.one_of(st.none(), st.integers(-1, 16)))
def test_gap_texts_only_raise_cayley_errors(text, degree):
    _read_or_error(read_gap, text, degree=degree)


@FUZZ
@given(st.one_of(st.binary(max_size=200), gap_texts().map(lambda t: t.encode("utf-8")),
                 gap_texts().map(lambda t: t.encode("utf-16"))))
def test_gap_files_of_random_bytes_only_raise_cayley_errors(data):
    fd, path = tempfile.mkstemp(suffix=".gap")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        _read_or_error(load_gap, path)
    finally:
        os.unlink(path)
