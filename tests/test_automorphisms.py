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


def _brute_force_colouring_symmetries(gens, colours):
    """Oracle: every pi of Sym(n) with pi S pi^-1 == S and a colour bijection sigma with
    colours[pi] == sigma[colours] that keeps the colours seen only on untouched positions;
    compared up to how same-coloured untouched positions are matched."""
    perms = np.asarray(gens.perms)
    moved = np.flatnonzero((perms != np.arange(perms.shape[1])).any(axis=0))
    want = sorted(map(tuple, perms.tolist()))
    col = np.asarray(colours)
    out = set()
    for pi in itertools.permutations(range(perms.shape[1])):
        pi = np.array(pi)
        if sorted(map(tuple, _conj(pi, perms).tolist())) != want:
            continue
        pairs = set(zip(col.tolist(), col[pi].tolist()))
        idle = set(col.tolist()) - set(col[moved].tolist())  # colours no move ever moves: kept
        if len({a for a, _ in pairs}) == len(pairs) == len({b for _, b in pairs}) and all(
                (a, a) in pairs for a in idle):
            out.add((tuple(col[pi].tolist()), tuple(pi[moved])))
    return out


@pytest.mark.parametrize("perms,colours", [
    ([[1, 2, 3, 0, 4, 5], [3, 0, 1, 2, 4, 5]], [0, 0, 1, 1, 2, 3]),
    ([[1, 0, 2, 3, 4, 5], [0, 2, 1, 3, 4, 5], [0, 1, 2, 4, 3, 5]], [0, 1, 0, 1, 2, 2]),
    ([[1, 2, 0, 4, 5, 3, 6]], [0, 1, 2, 0, 1, 2, 3]),
])
def test_colouring_symmetries_against_a_scan_of_sym_n(perms, colours):
    from cayley.groups import GeneratorSet, colouring_symmetries

    gens = GeneratorSet.from_perms(perms)
    pis, sigmas = colouring_symmetries(gens, colours)
    col = np.asarray(colours)
    assert np.array_equal(pis[0], np.arange(len(col))) and np.array_equal(sigmas[0], np.arange(col.max() + 1))
    moved = np.flatnonzero((np.asarray(perms) != np.arange(len(col))).any(axis=0))
    got = {(tuple(col[pi].tolist()), tuple(pi[moved])) for pi in pis}
    assert len(got) == len(pis)  # no pair twice
    for pi, sigma in zip(pis, sigmas):
        assert np.array_equal(col[pi], sigma[col])
    assert got == _brute_force_colouring_symmetries(gens, colours)


def test_colouring_symmetries_of_the_cube_keep_distances():
    """The 3x3x3 cube's 54 stickers: the 6 centres are fixed by every move, so
    generator_symmetries would permute them freely (more than 100000); as a colouring
    the cube has its 48 rotations and reflections, and each keeps every distance."""
    from cayley import CayleyGraph
    from cayley.graphs.paths import Ball, random_walks
    from cayley.groups import colouring_symmetries
    from cayley.groups.puzzles import face_colours, rubiks_cube_333

    gens = rubiks_cube_333(inverses=True)
    colours = face_colours(54)
    pis, sigmas = colouring_symmetries(gens, colours)
    assert len(pis) == 48
    g = CayleyGraph(gens, colours)
    ball = Ball(g, g.start, 4)
    states = random_walks(g, count=300, length=4, mode="reduced", seed=0).states
    depth = ball.depth[ball.lookup(ball.encode(states))]
    assert sorted(set(depth.tolist())) == [0, 1, 2, 3, 4]
    for pi, sigma in zip(pis, sigmas):
        image = np.empty_like(states)
        image[:, pi] = sigma[states]  # c'[pi[i]] = sigma[c[i]]
        pos = ball.lookup(ball.encode(image))
        assert (pos >= 0).all() and np.array_equal(ball.depth[pos], depth)


def test_colouring_symmetries_of_the_444_cube_are_symmetries_and_distinct():
    """The 4x4x4 cube's 96 stickers with every layer's quarter turns (24 moves): 96
    pairs (the search finds them in well under a second since it keeps candidate
    generators as bit masks; 9 s before), each mapping the moves onto the moves and the
    solved colouring onto itself, no two alike."""
    from cayley.groups import GeneratorSet, colouring_symmetries
    from cayley.groups.puzzles import cube_moves, face_colours, turn_moves

    perms, names = turn_moves(cube_moves(4), half=False)
    gens = GeneratorSet.from_perms(perms, names)
    colours = face_colours(96)
    pis, sigmas = colouring_symmetries(gens, colours)
    assert len(pis) == 96 and np.array_equal(pis[0], np.arange(96))
    assert len({p.tobytes() for p in pis}) == 96
    want = sorted(map(tuple, np.asarray(gens.perms).tolist()))
    for pi, sigma in zip(pis, sigmas):
        assert np.array_equal(colours[pi], sigma[colours])
        assert sorted(map(tuple, _conj(pi, np.asarray(gens.perms)).tolist())) == want
