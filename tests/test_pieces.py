"""Pieces: block systems found from the generators, the piece ranking (wreath products side by
side) and the rank engine over it, checked against the hash engine."""

from __future__ import annotations

import os
from math import factorial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cayley import CayleyGraph, bfs
from cayley.backends.pieces import PieceRanking
from cayley.graphs.rank_engine import rank_bfs
from cayley.groups import generators
from cayley.groups.blocks import minimal_block_system, orbits, piece_structure

SLOW = bool(os.environ.get("CAYLEY_SLOW"))


def _kinds(perms):
    return [(k.count, k.width, k.orientations) for k in piece_structure(perms).kinds]


def test_signed_permutations_are_pairs_and_cubes_are_cubies():
    assert _kinds(generators("burnt_pancake", 7).perms) == [(7, 2, 2)]
    assert _kinds(generators("signed_reversals", 5).perms) == [(5, 2, 2)]
    assert _kinds(generators("cube_qtm", 24).perms) == [(8, 3, 3)]  # 2x2x2: eight corners
    # 3x3x3: corners and edges (the centres are fixed points)
    assert _kinds(generators("cube_qtm", 54).perms) == [(8, 3, 3), (12, 2, 2)]
    # the corners' twists add up to 0 mod 3: 8! 3^7 arrangements, the group's order
    assert piece_structure(generators("cube_qtm", 24).perms).size == factorial(8) * 3**7


def _laws(fam, n):
    return [(k.count, k.width, k.alternating, k.balanced, k.follows) for k in piece_structure(generators(fam, n).perms).kinds]


def test_laws_of_the_pieces_are_found_from_the_generators():
    # pyraminx: edges and centres move by even permutations with balanced twists; the tips
    # turn freely but are carried by the deep turns exactly as the centres are
    assert _laws("pyraminx", 36) == [(6, 2, True, True, -1), (4, 3, True, True, -1), (4, 3, True, False, 1)]
    # quarter turns are odd on the cube's corners and edges; the twists balance
    assert _laws("cube_qtm", 54) == [(8, 3, False, True, -1), (12, 2, False, True, -1)]
    # a burnt pancake flip of k pancakes flips k signs: no law
    assert _laws("burnt_pancake", 5) == [(5, 2, False, False, -1)]


def test_the_laws_make_the_pyraminx_ranking_perfect():
    """With the laws the ranking has exactly as many ranks as the group has elements
    (reference rows from CayleyPy's puzzles table)."""
    from cayley.reference import load_reference

    puzzles = load_reference("puzzles")
    for fam, n, key in [("pyraminx", 36, "pyraminx"), ("tetraminx", 24, "tetraminx"), ("cube_qtm", 24, "cube_222_qtm")]:
        r = CayleyGraph.from_spec(f"S_{n}", fam).piece_ranking()
        assert r.size == sum(puzzles[key])


def test_every_rank_of_a_lawful_ranking_is_a_state():
    """All three laws at once (the pyraminx's centres and tips: A_4 with balanced twists,
    the tips following): every rank unranks to a distinct state that ranks back."""
    kinds = piece_structure(generators("pyraminx", 36).perms).kinds
    centres, tips = kinds[1], kinds[2]
    r = PieceRanking(np.arange(36), [(centres.blocks, True, True, True, -1), (tips.blocks, True, False, False, 0)])
    assert r.size == 12 * 3**3 * 3**4
    every = r.unrank(np.arange(r.size))
    assert len(np.unique(every, axis=0)) == r.size
    assert r.rank(every).tolist() == list(range(r.size))


def test_a_ranking_refuses_generators_that_break_its_laws():
    kinds = piece_structure(generators("cube_qtm", 24).perms).kinds
    r = PieceRanking(np.arange(24), [(kinds[0].blocks, True, True, True, -1)])  # claims even corner perms
    with pytest.raises(ValueError, match="oddly"):
        r.piece_action(generators("cube_qtm", 24).perms)


def test_blocks_are_blocks():
    """Every generator maps each found block onto a block, for several families."""
    for fam, n in [("burnt_pancake", 6), ("cube_qtm", 54), ("megaminx", 120), ("pyraminx", 36)]:
        perms = generators(fam, n).perms
        for kind in piece_structure(perms).kinds:
            blocks = {frozenset(b.tolist()) for b in kind.blocks}
            for p in perms:
                assert {frozenset(p[list(b)].tolist()) for b in blocks} == blocks


def test_orbits_and_minimal_blocks():
    assert orbits(np.array([[1, 0, 2, 4, 3]])) == [[0, 1], [2], [3, 4]]
    assert minimal_block_system(np.array([[1, 2, 3, 4, 5, 0]]), 0, 3) == [[0, 3], [1, 4], [2, 5]]
    assert minimal_block_system(np.array([[1, 2, 3, 4, 5, 0]]), 0, 2) == [[0, 2, 4], [1, 3, 5]]


def _s3_wreath_s2():
    """S_3 wr S_2 on two blocks of three: the blocks' orientations are all of S_3."""
    return np.array([[1, 0, 2, 3, 4, 5], [1, 2, 0, 3, 4, 5], [3, 4, 5, 0, 1, 2]])


def test_orientations_that_are_not_rotations_take_all_arrangements():
    ps = piece_structure(_s3_wreath_s2())
    assert [(k.count, k.width, k.rotational, k.orientations) for k in ps.kinds] == [(2, 3, False, 6)]
    r = PieceRanking(np.arange(6), [(k.blocks, k.rotational) for k in ps.kinds])
    every = r.unrank(np.arange(r.size))
    assert r.size == 72 and len(np.unique(every, axis=0)) == 72
    assert r.rank(every).tolist() == list(range(72))


CASES = [("burnt_pancake", 6), ("cube_qtm", 24), ("cube_qtm", 54), ("pyraminx", 36), ("tetraminx", 24), ("dino", 24)]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(CASES), st.integers(0, 2**62))
def test_rank_unrank_round_trip(case, seed):
    fam, n = case
    gens = generators(fam, n)
    r = CayleyGraph.from_spec(f"S_{gens.degree}", fam).piece_ranking()
    if r is None:  # the 3x3x3's pieces have too many arrangements for a ranking: walk states instead
        return
    ranks = np.random.default_rng(seed).integers(0, r.size, 64)
    assert r.rank(r.unrank(ranks)).tolist() == ranks.tolist()
    # states reached by random moves rank within range and come back
    rng = np.random.default_rng(seed)
    s = np.arange(gens.degree)
    states = []
    for g in rng.integers(0, len(gens.perms), 40):
        s = s[gens.perms[g]]
        states.append(s)
    states = np.array(states)
    ranks = r.rank(states)
    assert (0 <= ranks).all() and (ranks < r.size).all()
    assert (r.unrank(ranks) == states).all()


def _cases(limit):
    """Signed families and puzzles whose piece ranking is used and whose group has at most
    ``limit`` elements (the reference's count for a puzzle, else the number of ranks)."""
    from cayley.groups.library.registry import families
    from cayley.reference import load_reference

    puzzles = load_reference("puzzles")
    out = []
    for fam in ("burnt_pancake", "signed_reversals", "coxeter_b", "coxeter_d", "cube_fixed_htm", "cube_qtm"):
        for n in range(2, 25):
            try:
                g = CayleyGraph.from_spec(f"S_{n}", fam)
            except Exception:
                continue
            pr = g.piece_ranking()
            if pr is not None and pr.size <= limit:
                out.append((fam, n))
    for f in families("puzzle"):
        n = f.example_degree()
        g = CayleyGraph.from_spec(f"S_{n}", f.name)
        pr = g.ranking()
        if not isinstance(pr, PieceRanking) or (f.name, n) in out:
            continue
        states = sum(puzzles[f.name]) if f.name in puzzles else pr.size
        if states <= limit and pr.size <= 64 * limit:
            out.append((f.name, n))
    return out


def _same_search(spec, fam):
    g = CayleyGraph.from_spec(spec, fam)
    a = rank_bfs(g, store_layers_up_to=8)
    b = bfs(g, engine="hash", store_layers_up_to=8)
    assert a.engine == "rank" and a.growth == b.growth
    for d in a.layers:
        assert {tuple(x) for x in a.layers[d].tolist()} == {tuple(x) for x in b.layers[d].tolist()}
    assert {tuple(x) for x in a.last_layer.tolist()} == {tuple(x) for x in b.last_layer.tolist()}
    # the rank engine keeps its layers in lexicographic order
    last = a.last_layer
    assert last.tolist() == sorted(last.tolist())


@pytest.mark.parametrize("fam,n", _cases(50_000))
def test_rank_engine_on_pieces_equals_hash_engine(fam, n):
    _same_search(f"S_{n}", fam)


@pytest.mark.skipif(not SLOW, reason="slow: run with CAYLEY_SLOW=1")
@pytest.mark.parametrize("fam,n", [c for c in _cases(10**7) if c not in _cases(50_000)])
def test_rank_engine_on_pieces_equals_hash_engine_to_ten_million(fam, n):
    _same_search(f"S_{n}", fam)


def test_burnt_pancake_diameters_are_oeis_a078941():
    # A078941: 1, 4, 6, 8, 10, 12, 14 for n = 1..7
    got = [rank_bfs(CayleyGraph.from_spec(f"S_{2 * n}", "burnt_pancake")).diameter for n in range(2, 8)]
    assert got == [4, 6, 8, 10, 12, 14]


def test_pieces_make_the_rank_engine_small():
    g = CayleyGraph.from_spec("S_24", "cube_qtm")  # the 2x2x2 cube's 24 stickers
    from cayley.graphs.rank_engine import rank_memory_bytes

    assert g.piece_ranking().size == factorial(8) * 3**7
    assert rank_memory_bytes(g) < 2**30
