"""Symmetries of generator sets (cayley.groups.automorphisms): pi with pi S pi^-1 = S,
against a scan of all of Sym(n)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cayley import generators
from cayley.groups import compose, generator_symmetries, inverse


def _conj(pi, g):
    return compose(inverse(pi), compose(g, pi))


def _brute_force_symmetries(gens):
    """Oracle: scan all of Sym(n) for pi with pi S pi^-1 == S as a set."""
    perms = np.asarray(gens.perms)
    want = sorted(map(tuple, perms.tolist()))
    n = perms.shape[1]
    return sorted(
        pi for pi in itertools.permutations(range(n))
        if sorted(map(tuple, _conj(np.array(pi), perms).tolist())) == want
    )


@pytest.mark.parametrize(
    "family,n",
    [("lrx", 5), ("lrx", 6), ("lrx", 7), ("pancake", 6), ("coxeter", 5), ("cyclic_coxeter", 6),
     ("all_transpositions", 4), ("full_reversals", 5)],
)
def test_generator_symmetries_match_brute_force(family, n):
    gens = generators(family, n)
    got = generator_symmetries(gens)
    assert np.array_equal(got[0], np.arange(n))
    assert sorted(map(tuple, got.tolist())) == _brute_force_symmetries(gens)


def test_lrx_symmetry_is_the_reflection():
    """The background note's measurement: for LRX, H = {id, i -> 1 - i mod n}."""
    for n in (7, 8, 16):
        h = generator_symmetries(generators("lrx", n))
        assert h.tolist() == [list(range(n)), [(1 - i) % n for i in range(n)]]
    assert len(generator_symmetries(generators("pancake", 20))) == 1
