"""Properties of :class:`cayley.GeneratorSet`, with sympy as the oracle for group orders."""

from __future__ import annotations

import dataclasses
from functools import reduce
from math import factorial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation as SymPerm
from sympy.combinatorics import PermutationGroup

from cayley import (
    CayleyError,
    DegreeMismatchError,
    GeneratorSet,
    InvalidInputError,
    NotAPermutationError,
    Permutation,
)
from cayley.groups.perm import compose, identity, inverse

SETTINGS = settings(max_examples=40, deadline=None)


def perm_of(n: int):
    return st.permutations(range(n)).map(lambda xs: list(xs))


names_st = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,3}", fullmatch=True)


@st.composite
def gen_sets(draw, max_n: int = 7, max_k: int = 4, with_inverse_pairs: bool = True):
    n = draw(st.integers(1, max_n))
    perms = draw(st.lists(perm_of(n), min_size=1, max_size=max_k))
    if with_inverse_pairs and draw(st.booleans()):
        # make inverses present more often than chance would
        perms = perms + [inverse(np.array(perms[0])).tolist()]
    names = draw(st.lists(names_st, min_size=len(perms), max_size=len(perms), unique=True))
    return GeneratorSet.from_perms(perms, names)


def sympy_group(perms) -> PermutationGroup:
    """Independent construction straight from the one-line lists."""
    return PermutationGroup([SymPerm(list(p)) for p in perms])


# ------------------------------------------------------------------------------------
# inverses
# ------------------------------------------------------------------------------------
@SETTINGS
@given(gen_sets())
def test_inverse_index(g):
    e = identity(g.degree)
    keys = [p.tobytes() for p in g.perms]
    for i, j in enumerate(g.inverse_index.tolist()):
        if j >= 0:
            np.testing.assert_array_equal(compose(g.perms[i], g.perms[j]), e)
            np.testing.assert_array_equal(compose(g.perms[j], g.perms[i]), e)
        else:
            assert inverse(g.perms[i]).tobytes() not in keys
    assert g.inverse_closed == all(j >= 0 for j in g.inverse_index.tolist())
    np.testing.assert_array_equal(g.involutions, g.inverse_index == np.arange(len(g)))
    assert g.has_identity == any((p == e).all() for p in g.perms)


@SETTINGS
@given(gen_sets())
def test_with_inverses(g):
    h = g.with_inverses()
    assert h.inverse_closed
    assert h.degree == g.degree
    # the original generators come first, unchanged
    np.testing.assert_array_equal(h.perms[: len(g)], g.perms)
    assert h.names[: len(g)] == g.names
    # only missing inverses are added, named name^-1
    missing = [i for i, j in enumerate(g.inverse_index.tolist()) if j < 0]
    assert len(h) == len(g) + len(missing)
    assert h.names[len(g):] == tuple(g.names[i] + "^-1" for i in missing)
    for i, extra in zip(missing, h.perms[len(g):]):
        np.testing.assert_array_equal(extra, inverse(g.perms[i]))
    if g.inverse_closed:
        assert h is g
    assert h.with_inverses() == h


# ------------------------------------------------------------------------------------
# order, products, sympy
# ------------------------------------------------------------------------------------
@SETTINGS
@given(gen_sets(max_n=6))
def test_order_matches_sympy(g):
    assert g.order() == sympy_group(g.perms.tolist()).order()
    assert g.with_inverses().order() == g.order()


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_order_of_known_generating_sets(n):
    transpositions = [[*range(i), i + 1, i, *range(i + 2, n)] for i in range(n - 1)]
    assert GeneratorSet.from_perms(transpositions).order() == factorial(n)
    cycle = [[*range(1, n), 0]]
    assert GeneratorSet.from_perms(cycle).order() == n


@SETTINGS
@given(gen_sets(), st.data())
def test_product_and_apply_word(g, data):
    word = data.draw(st.lists(st.sampled_from(g.names), max_size=6))
    prod = g.product(word)
    expect = reduce(compose, (g[w].array for w in word), identity(g.degree))
    np.testing.assert_array_equal(prod.array, expect)
    np.testing.assert_array_equal(g.apply_word(word), prod.array)
    idx = [g.names.index(w) for w in word]
    np.testing.assert_array_equal(g.apply_word(idx), prod.array)
    # sympy multiplies left to right on images, so the word reads backwards there
    sym = reduce(lambda a, b: b * a, (g[w].to_sympy() for w in word), SymPerm(list(range(g.degree))))
    assert Permutation.from_sympy(sym, g.degree) == prod
    # acting on a batch of states
    s = np.arange(2 * g.degree).reshape(2, g.degree) % 3
    np.testing.assert_array_equal(g.apply_word(word, s), s[:, prod.array])


@SETTINGS
@given(gen_sets())
def test_sympy_round_trip(g):
    sym = [p.to_sympy() for p in g]
    back = GeneratorSet.from_sympy(sym, g.degree)
    np.testing.assert_array_equal(back.perms, g.perms)
    back2 = GeneratorSet.from_sympy(sym, g.degree + 2)
    assert back2.degree == g.degree + 2
    np.testing.assert_array_equal(back2.perms[:, : g.degree], g.perms)
    # a sympy group may drop duplicate and identity generators, but it is the same group
    grp = g.to_sympy()
    from_group = GeneratorSet.from_sympy(grp, g.degree)
    assert {p.tobytes() for p in from_group.perms} <= {p.tobytes() for p in g.perms} | {identity(g.degree).tobytes()}
    assert from_group.order() == g.order()


def test_from_sympy_pads_to_the_largest_degree():
    g = GeneratorSet.from_sympy([SymPerm(0, 1), SymPerm(1, 2, 3)])
    assert g.degree == 4
    assert g.perms.tolist() == [[1, 0, 2, 3], [0, 2, 3, 1]]


# ------------------------------------------------------------------------------------
# value semantics
# ------------------------------------------------------------------------------------
@SETTINGS
@given(gen_sets())
def test_equality_and_hash_are_by_value(g):
    same = GeneratorSet.from_perms(g.perms.copy().tolist(), list(g.names))
    assert same == g and hash(same) == hash(g)
    assert len({g, same}) == 1 and {g: 1}[same] == 1
    renamed = GeneratorSet.from_perms(g.perms.tolist(), [n + "x" for n in g.names])
    assert renamed != g
    if len(g) > 1:
        rev = GeneratorSet.from_perms(g.perms[::-1].tolist(), list(g.names[::-1]))
        assert rev != g or np.array_equal(rev.perms, g.perms)
    ns = {"GeneratorSet": GeneratorSet}
    assert eval(repr(g), ns) == g
    assert [Permutation(p) for p in g.perms] == list(g)
    assert all(g[name] == g[i] for i, name in enumerate(g.names))


def test_generator_set_is_frozen():
    g = GeneratorSet.from_perms([[1, 2, 0], [1, 0, 2]], names=["L", "X"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.perms = np.array([[0, 1, 2]])  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.names = ("A", "B")  # type: ignore[misc]
    with pytest.raises(ValueError):
        g.perms[0, 0] = 0
    with pytest.raises(ValueError):
        g.inverse_index[0] = 0
    h = hash(g)
    assert hash(GeneratorSet.from_perms([[1, 2, 0], [1, 0, 2]], names=["L", "X"])) == h


def test_input_arrays_are_copied():
    src = np.array([[1, 2, 0], [1, 0, 2]])
    g = GeneratorSet.from_perms(src, names=["L", "X"])
    src[0] = [0, 1, 2]
    assert g.perms.tolist() == [[1, 2, 0], [1, 0, 2]]


def test_getitem_unknown_name():
    g = GeneratorSet.from_perms([[1, 0]], names=["X"])
    with pytest.raises(KeyError, match="'Y'"):
        g["Y"]


# ------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------
def _raises(cls, fn, *fragments):
    with pytest.raises(cls) as info:
        fn()
    err = info.value
    assert isinstance(err, CayleyError) and isinstance(err, ValueError)
    for f in fragments:
        assert f in str(err), (f, str(err))
    return err


def test_not_a_permutation():
    _raises(NotAPermutationError, lambda: GeneratorSet.from_perms([[1, 2, 0], [0, 0, 1]], ["L", "X"]), "'X'", "[0, 0, 1]")
    _raises(NotAPermutationError, lambda: GeneratorSet.from_perms([[1, 2, 3]]), "[1, 2, 3]")
    _raises(NotAPermutationError, lambda: GeneratorSet(np.array([[0, 0]]), ("a",)), "[0, 0]")


def test_mixed_degrees():
    _raises(DegreeMismatchError, lambda: GeneratorSet.from_perms([[1, 0], [1, 2, 0]]), "[2, 3]")
    _raises(DegreeMismatchError, lambda: GeneratorSet([[1, 0], [1, 2, 0]], ("a", "b")), "[1, 2, 0]")


def test_duplicate_names():
    _raises(InvalidInputError, lambda: GeneratorSet.from_perms([[1, 0], [0, 1]], ["X", "X"]), "'X'", "distinct")


def test_other_bad_input():
    _raises(InvalidInputError, lambda: GeneratorSet.from_perms([]), "at least one")
    _raises(InvalidInputError, lambda: GeneratorSet.from_perms([[1, 0]], ["A", "B"]), "2 names for 1")
    _raises(InvalidInputError, lambda: GeneratorSet(np.array([1, 0]), ("a",)), "(k, n)")


# ------------------------------------------------------------------------------------
# the order of S_n and A_n is recognised without Schreier-Sims (issue 17)
# ------------------------------------------------------------------------------------
def test_order_of_large_symmetric_and_alternating_groups_is_fast():
    import time

    from cayley.groups.library import generators

    t0 = time.perf_counter()
    assert generators("lrx", 300).order() == factorial(300)
    assert generators("three_cycles_01i", 200).order() == factorial(200) // 2
    assert generators("pancake", 120).order() == factorial(120)
    assert time.perf_counter() - t0 < 5  # sympy's Schreier-Sims took minutes for lrx at n = 300


@st.composite
def structured_sets(draw):
    """Generator sets of degree 8..12 that are often S_n or A_n, and often imprimitive,
    intransitive or small, where a wrong shortcut would show."""
    n = draw(st.integers(8, 12))
    kind = draw(st.sampled_from(["random", "even", "blocks", "intransitive", "cyclic"]))
    if kind == "blocks":  # the halves {0..m-1}, {m..2m-1} form a block system
        m = n // 2
        n = 2 * m
        perms = []
        for _ in range(draw(st.integers(1, 3))):
            p = draw(perm_of(m))
            perms.append(p + [x + m for x in p])
        perms.append([*range(m, n), *range(m)])
    elif kind == "intransitive":  # point n-1 fixed
        perms = [q + [n - 1] for q in draw(st.lists(perm_of(n - 1), min_size=1, max_size=3))]
    elif kind == "cyclic":
        perms = [[*range(1, n), 0]]
    else:
        perms = draw(st.lists(perm_of(n), min_size=1, max_size=3))
        if kind == "even":
            perms = [p if Permutation(p).parity == 0 else [p[1], p[0], *p[2:]] for p in perms]
    names = [f"g{i}" for i in range(len(perms))]
    return GeneratorSet.from_perms(perms, names)


@settings(max_examples=60, deadline=None)
@given(structured_sets())
def test_order_shortcut_agrees_with_sympy(g):
    assert g.order() == sympy_group(g.perms.tolist()).order()
