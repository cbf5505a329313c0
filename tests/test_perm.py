"""Properties of permutation arrays and :class:`cayley.Permutation`.

The action convention (DESIGN.md): ``act(s, p) = s[p]`` and ``compose(p, q) = p[q]``, so
``act(act(s, p), q) == act(s, compose(p, q))``; ``compose(p, q)`` is sympy's ``Q * P``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation as SymPerm

from cayley import CayleyError, DegreeMismatchError, InvalidInputError, NotAPermutationError, Permutation
from cayley.groups.perm import (
    act,
    check_permutation,
    compose,
    cycles,
    element_order,
    from_cycles,
    identity,
    inverse,
    is_permutation,
    parity,
)

SETTINGS = settings(max_examples=60, deadline=None)
MAX_N = 9


def perm_of(n: int):
    return st.permutations(range(n)).map(lambda xs: np.array(xs, dtype=np.int64))


degrees = st.integers(1, MAX_N)
one_perm = degrees.flatmap(perm_of)
two_perms = degrees.flatmap(lambda n: st.tuples(perm_of(n), perm_of(n)))
three_perms = degrees.flatmap(lambda n: st.tuples(perm_of(n), perm_of(n), perm_of(n)))


def batch_of(n: int, max_k: int = 4):
    return st.lists(perm_of(n), min_size=1, max_size=max_k).map(np.stack)


# ------------------------------------------------------------------------------------
# group axioms
# ------------------------------------------------------------------------------------
@SETTINGS
@given(three_perms)
def test_compose_is_associative(pqr):
    p, q, r = pqr
    np.testing.assert_array_equal(compose(compose(p, q), r), compose(p, compose(q, r)))


@SETTINGS
@given(one_perm)
def test_identity_is_neutral_on_both_sides(p):
    e = identity(len(p))
    np.testing.assert_array_equal(compose(p, e), p)
    np.testing.assert_array_equal(compose(e, p), p)


@SETTINGS
@given(one_perm)
def test_inverse_on_both_sides(p):
    e = identity(len(p))
    q = inverse(p)
    assert is_permutation(q)
    np.testing.assert_array_equal(compose(p, q), e)
    np.testing.assert_array_equal(compose(q, p), e)
    np.testing.assert_array_equal(inverse(q), p)


@SETTINGS
@given(two_perms)
def test_inverse_of_product_reverses_order(pq):
    p, q = pq
    np.testing.assert_array_equal(inverse(compose(p, q)), compose(inverse(q), inverse(p)))


# ------------------------------------------------------------------------------------
# the action convention
# ------------------------------------------------------------------------------------
@SETTINGS
@given(two_perms, st.data())
def test_action_convention_on_one_state(pq, data):
    p, q = pq
    n = len(p)
    s = np.array(data.draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n)))
    np.testing.assert_array_equal(act(act(s, p), q), act(s, compose(p, q)))
    np.testing.assert_array_equal(act(s, p), s[p])


@SETTINGS
@given(two_perms, st.lists(st.integers(1, 3), min_size=1, max_size=3), st.integers(0, 2**32 - 1))
def test_action_convention_on_batched_states(pq, lead, seed):
    p, q = pq
    n = len(p)
    s = np.random.default_rng(seed).integers(0, 4, size=(*lead, n))
    got = act(act(s, p), q)
    assert got.shape == s.shape
    np.testing.assert_array_equal(got, act(s, compose(p, q)))
    # batched = row by row
    flat = s.reshape(-1, n)
    np.testing.assert_array_equal(got.reshape(-1, n), np.stack([r[p][q] for r in flat]))


@SETTINGS
@given(degrees.flatmap(lambda n: st.tuples(batch_of(n), batch_of(n))), st.integers(0, 2**32 - 1))
def test_batched_permutations_broadcast(PQ, seed):
    P, Q = PQ
    k = min(len(P), len(Q))
    P, Q = P[:k], Q[:k]
    n = P.shape[1]
    s = np.random.default_rng(seed).integers(0, 3, size=n)
    # one state, a stack of permutations
    np.testing.assert_array_equal(act(s, P), np.stack([s[p] for p in P]))
    # row-wise composition of two stacks, and against one permutation either side
    np.testing.assert_array_equal(compose(P, Q), np.stack([p[q] for p, q in zip(P, Q)]))
    np.testing.assert_array_equal(compose(P[0], Q), np.stack([P[0][q] for q in Q]))
    np.testing.assert_array_equal(compose(P, Q[0]), np.stack([p[Q[0]] for p in P]))
    np.testing.assert_array_equal(inverse(P), np.stack([inverse(p) for p in P]))
    # the convention holds row-wise for stacks too
    S = np.random.default_rng(seed + 1).integers(0, 3, size=(k, n))
    np.testing.assert_array_equal(act(act(S, P), Q), act(S, compose(P, Q)))


def test_act_rejects_a_state_of_another_degree():
    with pytest.raises(DegreeMismatchError, match=r"\(4,\)"):
        act(np.arange(4), np.array([1, 0, 2]))


# ------------------------------------------------------------------------------------
# Permutation: value semantics, repr, numpy interop
# ------------------------------------------------------------------------------------
@SETTINGS
@given(one_perm)
def test_repr_evaluates_back(p):
    P = Permutation(p)
    ns = {}
    exec("from cayley import Permutation", ns)
    Q = eval(repr(P), ns)
    assert Q == P and hash(Q) == hash(P)
    assert Permutation(P) == P


@SETTINGS
@given(two_perms)
def test_permutation_operators_match_array_functions(pq):
    p, q = pq
    P, Q = Permutation(p), Permutation(q)
    np.testing.assert_array_equal((P * Q).array, compose(p, q))
    np.testing.assert_array_equal(P.inverse().array, inverse(p))
    np.testing.assert_array_equal(P(np.arange(len(p)) * 10), np.arange(len(p))[p] * 10)
    assert (P == Q) == bool(np.array_equal(p, q))
    assert len(P) == P.degree == len(p)
    assert list(P) == p.tolist()
    # numpy interop: a Permutation is array-like
    np.testing.assert_array_equal(np.asarray(P), p)
    np.testing.assert_array_equal(compose(P, Q), compose(p, q))


@SETTINGS
@given(one_perm, st.integers(-7, 7), st.integers(-7, 7))
def test_powers(p, a, b):
    P = Permutation(p)
    assert P ** (a + b) == (P**a) * (P**b)
    assert P**-1 == P.inverse()
    assert P**0 == Permutation.identity(len(p))


def test_permutation_is_immutable():
    P = Permutation([1, 2, 0])
    with pytest.raises(ValueError):
        P.array[0] = 2
    with pytest.raises(AttributeError):
        P.extra = 1  # type: ignore[attr-defined]
    src = [1, 2, 0]
    Q = Permutation(np.array(src))
    src[0] = 0
    assert Q == P


def test_permutation_operator_errors():
    with pytest.raises(DegreeMismatchError, match="3 and 4"):
        Permutation([1, 2, 0]) * Permutation([1, 0, 2, 3])
    with pytest.raises(TypeError):
        Permutation([1, 0]) * 3  # type: ignore[operator]
    with pytest.raises(TypeError):  # no silent elementwise arithmetic through numpy
        np.array([1, 0]) * Permutation([1, 0])
    assert Permutation([1, 0]) != [1, 0]


# ------------------------------------------------------------------------------------
# cycles, parity, order
# ------------------------------------------------------------------------------------
@SETTINGS
@given(one_perm)
def test_cycles_round_trip(p):
    n = len(p)
    cs = cycles(p)
    # disjoint, each starts at its smallest point, no fixed points unless asked
    pts = [x for c in cs for x in c]
    assert len(pts) == len(set(pts))
    assert all(c[0] == min(c) and len(c) > 1 for c in cs)
    # cycle (a b c) means p[a] = b
    assert all(p[c[i]] == c[(i + 1) % len(c)] for c in cs for i in range(len(c)))
    np.testing.assert_array_equal(from_cycles(cs, n), p)
    full = cycles(p, include_fixed=True)
    assert sorted(x for c in full for x in c) == list(range(n))
    np.testing.assert_array_equal(from_cycles(full), p)
    assert Permutation.from_cycles(cs, n) == Permutation(p)
    assert Permutation(p).cycles() == cs


@SETTINGS
@given(one_perm, st.randoms(use_true_random=False))
def test_from_cycles_ignores_rotation_and_order(p, rnd):
    cs = [list(c) for c in cycles(p)]
    for c in cs:
        k = rnd.randrange(len(c))
        c[:] = c[k:] + c[:k]
    rnd.shuffle(cs)
    np.testing.assert_array_equal(from_cycles(cs, len(p)), p)


@SETTINGS
@given(two_perms)
def test_parity_is_a_homomorphism(pq):
    p, q = pq
    assert parity(compose(p, q)) == parity(p) ^ parity(q)
    assert parity(p) == SymPerm(p.tolist()).parity()
    assert parity(inverse(p)) == parity(p)


@SETTINGS
@given(one_perm)
def test_element_order(p):
    P = Permutation(p)
    k = element_order(p)
    e = Permutation.identity(len(p))
    assert k == P.order == SymPerm(p.tolist()).order()
    assert P**k == e
    assert all(P**j != e for j in range(1, k))


def test_parity_and_order_examples():
    assert parity(identity(5)) == 0 and element_order(identity(5)) == 1
    assert parity([1, 0, 2]) == 1 and parity([1, 2, 0]) == 0
    assert element_order([1, 0, 3, 4, 2]) == 6


# ------------------------------------------------------------------------------------
# sympy
# ------------------------------------------------------------------------------------
@SETTINGS
@given(one_perm, st.integers(0, 3))
def test_sympy_round_trip(p, pad):
    P = Permutation(p)
    sp = P.to_sympy()
    assert sp.array_form == p.tolist()
    assert all(sp(i) == p[i] for i in range(len(p)))  # same image map
    assert Permutation.from_sympy(sp) == P
    bigger = Permutation.from_sympy(sp, len(p) + pad)
    assert bigger.array.tolist() == p.tolist() + list(range(len(p), len(p) + pad))
    # trimming trailing fixed points back to the degree
    assert Permutation.from_sympy(bigger.to_sympy(), len(p)) == P


@SETTINGS
@given(two_perms)
def test_compose_is_sympy_Q_times_P(pq):
    """Pinned: ``compose(p, q)`` corresponds to sympy's ``Q * P`` (sympy multiplies
    left to right on images: ``(P*Q)(i) = Q(P(i))``)."""
    p, q = pq
    P, Q = Permutation(p).to_sympy(), Permutation(q).to_sympy()
    assert Permutation.from_sympy(Q * P) == Permutation(compose(p, q))
    assert (Permutation(p) * Permutation(q)).to_sympy() == Q * P


def test_from_sympy_beyond_degree():
    with pytest.raises(DegreeMismatchError, match="beyond degree 3"):
        Permutation.from_sympy(SymPerm(0, 4), 3)


# ------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad, fragment",
    [
        ([0, 0, 1], "[0, 0, 1]"),
        ([1, 2], "[1, 2]"),
        ([-1, 0], "[-1, 0]"),
        ([[0, 1], [1, 0]], "[[0, 1], [1, 0]]"),
        ([0.5, 1], "[0.5, 1]"),
        (["a", "b"], "'a'"),
        ([True, False], "True"),
        ([[0, 1], [0]], "[[0, 1], [0]]"),
        (3, "3"),
    ],
)
def test_check_permutation_rejects(bad, fragment):
    with pytest.raises(NotAPermutationError) as info:
        check_permutation(bad)
    assert isinstance(info.value, ValueError) and isinstance(info.value, CayleyError)
    assert fragment in str(info.value)
    with pytest.raises(NotAPermutationError):
        Permutation(bad)


def test_check_permutation_accepts_integral_floats_and_names_the_generator():
    assert check_permutation([1.0, 0.0]).dtype == np.int64
    with pytest.raises(NotAPermutationError, match="generator 'X'"):
        check_permutation([0, 0], name="X")


def test_cycles_of_a_non_permutation_raises_instead_of_hanging():
    with pytest.raises(NotAPermutationError):
        cycles([0, 0, 1])
    with pytest.raises(NotAPermutationError):
        parity([1, 1])


def test_from_cycles_errors():
    with pytest.raises(InvalidInputError, match="not disjoint"):
        from_cycles([(0, 1), (1, 2)])
    with pytest.raises(InvalidInputError, match=">= 0"):
        from_cycles([(-1, 0)])
    with pytest.raises(DegreeMismatchError, match="beyond degree 3"):
        from_cycles([(0, 3)], 3)
    with pytest.raises(InvalidInputError, match="-1"):
        identity(-1)
