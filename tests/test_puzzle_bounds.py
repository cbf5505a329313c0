"""Lower bounds of the puzzle solver: orbit pattern databases are admissible (never above
the breadth-first distance), IDA* with them is optimal, and every solution's lower bound
is at most the true distance ("optimal" only when proven). Checked on the 2x2x2 cube in
the quarter-turn metric (U, R, F and inverses: 3,674,160 states)."""

from __future__ import annotations

import numpy as np
import pytest

from cayley.graphs import CayleyGraph
from cayley.graphs.heuristics import PatternDatabase
from cayley.graphs.paths import ida_star, is_admissible
from cayley.groups.puzzles import cube_moves
from cayley.puzzles import PuzzleType, prepare, solve_state
from cayley.puzzles.bounds import OrbitBound, position_orbits, restrict_moves


@pytest.fixture(scope="module")
def cube2():
    m = cube_moves(2)
    t = PuzzleType.from_moves("cube2_qtm", {k: m[k].tolist() for k in "URF"})
    g = CayleyGraph(t.generators, np.arange(24))
    return t, g


@pytest.fixture(scope="module")
def table9(cube2):
    """Exact distances up to 9 (about 160k states), -1 beyond."""
    return PatternDatabase.build(cube2[1], max_depth=9, index="hash")


def _scrambles(g, count, lengths, seed):
    rng = np.random.default_rng(seed)
    perms = g.generators.perms
    out = []
    for _ in range(count):
        s = g.start.copy()
        for m in rng.integers(len(perms), size=int(rng.choice(lengths))):
            s = s[perms[m]]
        out.append(s)
    return np.array(out)


def test_orbits_of_the_3x3x3_are_corners_edges_and_fixed_centres():
    m = cube_moves(3)
    perms = np.array([m[k] for k in "URFDLB"])
    sizes = sorted(len(o) for o in position_orbits(perms))
    assert sizes == [1] * 6 + [24, 24]
    for o in position_orbits(perms):
        q = restrict_moves(perms, o)
        s = np.random.default_rng(0).permutation(54)
        for p, r in zip(perms, q):  # restriction commutes with the moves
            assert np.array_equal(s[p][o], s[o][r])
    with pytest.raises(ValueError):
        restrict_moves(perms, np.array([0, 1]))


def test_orbit_bound_is_admissible_on_the_2x2x2(cube2, table9):
    _, g = cube2
    ob = OrbitBound.build(g, max_states=20_000)
    assert not ob.complete and is_admissible(ob, g)
    states = _scrambles(g, 400, range(0, 14), seed=1)
    d = table9.distance(states)
    b = ob(states)
    known = d >= 0
    assert (b[known] <= d[known]).all()
    assert (b[~known] <= 20).all()  # finite; no state of the 2x2x2 is farther than 14
    assert (b[known] == d[known]).mean() > 0.3  # and not trivial: often exact near the solution
    # coloured stickers (6 labels of 4): a projection of the above, smaller bounds
    gc = CayleyGraph(g.generators, np.repeat(np.arange(6), 4))
    obc = OrbitBound.build(gc, max_states=20_000)
    colours = np.repeat(np.arange(6), 4)[states]
    assert (obc(colours)[known] <= d[known]).all()


def test_ida_star_with_the_orbit_bound_is_optimal_on_the_2x2x2(cube2, table9):
    _, g = cube2
    ob = OrbitBound.build(g, max_states=50_000)
    for s in _scrambles(g, 12, range(5, 12), seed=2):
        d = int(table9.distance(s.reshape(1, -1))[0])
        p = ida_star(g, s, ob, max_nodes=5_000_000)
        assert p.optimal and p.is_valid()
        if d >= 0:
            assert p.length == d
        else:
            assert p.length >= 10


def test_solutions_carry_a_lower_bound_and_claim_optimal_only_when_proven(cube2, table9):
    t, g = cube2
    prep = prepare(t, np.arange(24), heuristic="hamming", ball_states=5_000, bound_states=20_000)
    assert prep.bound is not None
    for i, s in enumerate(_scrambles(g, 10, range(6, 14), seed=3)):
        d = int(table9.distance(s.reshape(1, -1))[0])
        sol = solve_state(prep, s, time_limit=0.5, seed=0, max_width=256, prove_nodes=300_000 if i % 2 else 0)
        st = s.copy()
        for m in sol.moves:
            st = st[t.move(m)]
        assert np.array_equal(st, g.start)
        assert sol.lower_bound <= sol.length
        if d >= 0:
            assert sol.lower_bound <= d <= sol.length
            assert sol.optimal == (sol.length == sol.lower_bound)
            if sol.optimal:
                assert sol.length == d
        if sol.optimal:
            assert sol.lower_bound == sol.length


@pytest.mark.slow
def test_ida_star_optimal_against_the_full_bfs_table_of_the_2x2x2(cube2):
    _, g = cube2
    full = PatternDatabase.build(g)  # every state, exact: about 30 s
    assert full.size == 3_674_160 and full.depth == 14
    ob = OrbitBound.build(g, max_states=400_000)
    rng = np.random.default_rng(5)
    perms = g.generators.perms
    for _ in range(8):  # random states (long random walks)
        s = g.start.copy()
        for m in rng.integers(len(perms), size=60):
            s = s[perms[m]]
        d = int(full.distance(s.reshape(1, -1))[0])
        assert ob.bound(s) <= d
        p = ida_star(g, s, ob, max_nodes=50_000_000)
        assert p.optimal and p.length == d


def test_meet_in_the_middle_bound_is_exact_or_a_lower_bound(cube2, table9):
    t, g = cube2
    prep = prepare(t, np.arange(24), heuristic="hamming", ball_states=3_000, bound_states=0)
    met = 0
    for s in _scrambles(g, 30, range(3, 16), seed=4):
        d = int(table9.distance(s.reshape(1, -1))[0])
        lb, path = prep.meet(s, 2_000)
        if path is not None:
            met += 1
            st = s.copy()
            for m in path:
                st = st[g.generators.perms[m]]
            assert np.array_equal(st, g.start) and len(path) == lb == d
        else:
            assert lb > 0 and (d < 0 or lb <= d)
            assert d < 0 or d > lb - 1  # no path of length <= the two radii exists
    assert 0 < met < 30
