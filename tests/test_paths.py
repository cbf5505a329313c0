"""Path finding: exact searches against a networkx oracle, beam search, random walks,
scrambles, the CLI, and (slow) the S_12 acceptance checks."""

from __future__ import annotations

import json
import os
import time

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cayley import CayleyGraph, GeneratorSet, InvalidStateError
from cayley.errors import InvalidInputError, NoPathError
from cayley.groups.perm import inverse
from cayley.graphs.heuristics import Breakpoints, Hamming, PatternDatabase
from cayley.graphs.paths import (
    commuting_generators,
    Path,
    apply_path,
    beam_search,
    find_path,
    meet_in_the_middle,
    random_walks,
    scramble,
    shortest_path,
)
from oracles import explicit_graph

try:
    import torch  # noqa: F401

    HAS_TORCH = True
except ImportError:  # pragma: no cover
    HAS_TORCH = False


def oracle_distances(graph: CayleyGraph, target) -> dict:
    """Distance of every state to ``target`` (networkx on the explicit graph)."""
    g = explicit_graph(graph.generators.perms.tolist(), tuple(int(x) for x in target))
    return nx.single_target_shortest_path_length(g, tuple(int(x) for x in target))


def replay(graph: CayleyGraph, source, moves) -> np.ndarray:
    """Independent replay: a generator p sends s to s' with s'[i] = s[p[i]]."""
    s = [int(x) for x in source]
    for m in moves:
        p = graph.generators.perms[m].tolist()
        s = [s[i] for i in p]
    return np.array(s)


def check_path(path: Path, source, target, distance=None):
    assert np.array_equal(replay(path.graph, source, path.moves), np.asarray(target))
    assert path.length == len(path.moves) == len(path.names)
    if distance is not None:
        assert path.length >= distance
        if path.optimal:
            assert path.length == distance


SMALL = [
    ("S_5", "lrx", None),
    ("S_6", "pancake", None),
    ("S_5", "coxeter", None),
    ("S_6", "lx", None),  # directed
    ("S_6", "lrx", "001122"),  # Schreier graph on strings
    ("S_7", "lrx", "0001111"),
]


@pytest.mark.parametrize("group,gens,start", SMALL)
def test_exact_methods_match_oracle(group, gens, start):
    g = CayleyGraph.from_spec(group, gens, start=start)
    dist = oracle_distances(g, g.start)
    rng = np.random.default_rng(1)
    states = list(dist)
    for i in rng.choice(len(states), size=min(25, len(states)), replace=False):
        s = np.array(states[i])
        d = dist[states[i]]
        for fn in (shortest_path, meet_in_the_middle):
            p = fn(g, s)
            assert p.optimal and p.length == d, (fn.__name__, s, p)
            check_path(p, s, g.start, d)


def test_every_state_of_a_directed_graph_both_ways():
    g = CayleyGraph.from_spec("S_5", "lx")
    rng = np.random.default_rng(0)
    target = rng.permutation(5)
    dist = oracle_distances(g, target)
    for s, d in dist.items():
        assert meet_in_the_middle(g, s, target=target).length == d
    # directed: the distance from x to y is not the distance from y to x
    assert any(meet_in_the_middle(g, target, target=s).length != d for s, d in dist.items())


def test_trivial_path_and_target_option():
    g = CayleyGraph.from_spec("S_4", "lrx")
    for fn in (shortest_path, meet_in_the_middle, beam_search, find_path):
        p = fn(g, [0, 1, 2, 3])
        assert p.length == 0 and p.optimal and p.is_valid()
    p = meet_in_the_middle(g, "0123", target=[1, 0, 2, 3])
    assert p.names == ("X",) and p.to_dict()["path"] == ["X"]


def test_unreachable_target():
    # two even permutations generate A_5: an odd state is in another component
    g = CayleyGraph(GeneratorSet.from_perms([[1, 2, 0, 3, 4], [0, 1, 3, 4, 2]]))
    odd = [1, 0, 2, 3, 4]
    for fn in (shortest_path, meet_in_the_middle):
        with pytest.raises(NoPathError) as e:
            fn(g, odd)
        assert e.value.unreachable
    with pytest.raises(NoPathError):
        beam_search(g, odd, beam_width=8, max_steps=50)
    with pytest.raises(NoPathError):
        find_path(g, odd)


def test_limits_give_lower_bounds():
    g = CayleyGraph.from_spec("S_6", "lrx")
    s = [1, 0, 5, 4, 3, 2]  # the longest element: distance 15
    for fn in (shortest_path, meet_in_the_middle):
        with pytest.raises(NoPathError) as e:
            fn(g, s, max_depth=10)
        assert e.value.lower_bound == 11 and not e.value.unreachable
        with pytest.raises(NoPathError) as e:
            fn(g, s, max_states=50)
        assert 1 <= e.value.lower_bound <= 15
    assert meet_in_the_middle(g, s, max_depth=15).length == 15


def test_multiword_states():
    # 17 distinct symbols need 5 bits: 12 per word, so two words per state
    g = CayleyGraph.from_spec("S_17", "lrx")
    p = scramble(g, 9, seed=3)
    q = meet_in_the_middle(g, p.target)
    assert q.length <= 9 and q.is_valid()
    r = shortest_path(g, p.target)
    assert r.length == q.length


def test_bad_input():
    g = CayleyGraph.from_spec("S_4", "lrx")
    with pytest.raises(InvalidStateError):
        shortest_path(g, [0, 1, 2])
    with pytest.raises(InvalidStateError):
        meet_in_the_middle(g, [0, 0, 1, 2])
    with pytest.raises(InvalidStateError):
        beam_search(g, [0, 1, 2, 3], target=[5, 1, 2, 3])
    with pytest.raises(InvalidInputError):
        beam_search(g, [1, 0, 2, 3], beam_width=0)
    with pytest.raises(InvalidInputError):
        shortest_path(g, [1, 0, 2, 3], max_depth=-1)
    with pytest.raises(InvalidInputError):
        find_path(g, [1, 0, 2, 3], method="dijkstra")
    with pytest.raises(InvalidInputError):
        beam_search(g, [1, 0, 2, 3], Hamming([3, 2, 1, 0]))  # heuristic for another target
    with pytest.raises(InvalidInputError):
        apply_path(g, [0, 1, 2, 3], ["Q"])


# -------------------------------------------------------------------------------------
# beam search
# -------------------------------------------------------------------------------------
def test_beam_search_pancake_breakpoints():
    g = CayleyGraph.from_spec("S_8", "pancake")
    table = PatternDatabase.build(g)
    rng = np.random.default_rng(5)
    for _ in range(20):
        s = rng.permutation(8)
        d = int(table.distance(s.reshape(1, -1))[0])
        p = beam_search(g, s, Breakpoints(np.arange(8)), beam_width=32, seed=1)
        check_path(p, s, g.start, d)
        assert p.length <= d + 2


def test_beam_search_is_bfs_when_never_cut():
    g = CayleyGraph.from_spec("S_6", "lrx")
    dist = oracle_distances(g, g.start)
    for s in [(1, 0, 5, 4, 3, 2), (2, 3, 4, 5, 0, 1)]:
        p = beam_search(g, s, beam_width=10**6, seed=0)
        assert p.optimal and p.length == dist[s]


def test_beam_search_seeded_and_directed():
    g = CayleyGraph.from_spec("S_9", "lx")
    s = scramble(g, 30, seed=2).target
    pdb = PatternDatabase.build(g, classes=[0, 1, 2, 3, 4, 4, 4, 4, 4])  # Hamming is lost on LX
    a = beam_search(g, s, pdb, beam_width=64, seed=7)
    b = beam_search(g, s, pdb, beam_width=64, seed=np.random.default_rng(7))
    assert a.moves == b.moves and a.is_valid() and not a.optimal
    assert a.length >= meet_in_the_middle(g, s).length
    with pytest.raises(NoPathError):
        beam_search(g, s, beam_width=4, max_steps=3)


def test_beam_search_with_pattern_database_and_schreier():
    g = CayleyGraph.from_spec("S_10", "lrx", start="0001112222")
    pdb = PatternDatabase.build(g)  # exact for the Schreier graph
    s = scramble(g, 40, seed=4).target
    p = beam_search(g, s, pdb, beam_width=8, seed=0)
    assert p.length == pdb.distance(s.reshape(1, -1))[0]  # exact heuristic: greedy is optimal


@pytest.mark.parametrize("backend", ["cpu", "torch"] if HAS_TORCH else ["cpu"])
def test_beam_search_meets_a_ball_around_the_target(backend):
    g = CayleyGraph.from_spec("S_9", "lrx")
    table = PatternDatabase.build(g)
    rng = np.random.default_rng(8)
    for _ in range(6):
        s = rng.permutation(9)
        d = int(table.distance(s.reshape(1, -1))[0])
        p = beam_search(g, s, beam_width=128, ball=8, seed=0, backend=backend)
        check_path(p, s, g.start, d)
        # an uncut beam that meets the ball is a bidirectional BFS: optimal
        q = beam_search(g, s, beam_width=10**6, ball=6, backend=backend)
        assert q.optimal and q.length == d
    near = scramble(g, 4, seed=0).target  # inside the ball from the start
    p = beam_search(g, near, beam_width=2, ball=5, backend=backend)
    assert p.optimal and p.length == table.distance(near.reshape(1, -1))[0]


@pytest.mark.skipif(not HAS_TORCH, reason="torch not installed")
def test_beam_search_torch_backend_on_cpu():
    g = CayleyGraph.from_spec("S_9", "pancake")
    table = PatternDatabase.build(g)
    rng = np.random.default_rng(3)
    for _ in range(5):
        s = rng.permutation(9)
        d = int(table.distance(s.reshape(1, -1))[0])
        for h in (None, table):  # breakpoints run in torch; the table through numpy
            p = beam_search(g, s, h, beam_width=64, seed=0, backend="torch", device="cpu")
            check_path(p, s, g.start, d)
    # an exhaustive beam is a BFS in torch too, with multi-word keys
    g = CayleyGraph.from_spec("S_17", "lrx")
    s = scramble(g, 6, seed=0).target
    p = beam_search(g, s, beam_width=10**6, backend="torch")
    assert p.optimal and p.length == meet_in_the_middle(g, s).length


# -------------------------------------------------------------------------------------
# property test: every path is valid and no shorter than the BFS distance
# -------------------------------------------------------------------------------------
@st.composite
def graph_and_states(draw):
    n = draw(st.integers(3, 6))
    perms = draw(st.lists(st.permutations(list(range(n))), min_size=1, max_size=3))
    if draw(st.booleans()):
        perms = perms + [list(np.argsort(p)) for p in perms]  # undirected
    start = draw(st.permutations(list(range(n))))
    if draw(st.booleans()):  # a Schreier graph: merge symbols
        cut = draw(st.integers(1, n - 1))
        start = [min(x, cut) for x in start]
    g = CayleyGraph(GeneratorSet.from_perms(perms), start)
    state = np.array(draw(st.permutations(list(g.start))))
    return g, state


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph_and_states(), st.integers(1, 8), st.integers(0, 2**31))
def test_property_paths_valid_and_not_shorter_than_bfs(gs, width, seed):
    g, state = gs
    dist = oracle_distances(g, g.start)
    d = dist.get(tuple(int(x) for x in state))
    for fn in (shortest_path, meet_in_the_middle):
        if d is None:
            with pytest.raises(NoPathError):
                fn(g, state)
            continue
        p = fn(g, state)
        check_path(p, state, g.start, d)
        assert p.length == d
    try:
        p = beam_search(g, state, beam_width=width, max_steps=60, seed=seed)
    except NoPathError:
        return
    assert d is not None
    check_path(p, state, g.start, d)


# -------------------------------------------------------------------------------------
# random walks and scrambles
# -------------------------------------------------------------------------------------
def test_random_walks_modes():
    g = CayleyGraph.from_spec("S_7", "lrx")
    table = PatternDatabase.build(g)
    for mode in ("classic", "non_backtracking", "reduced"):
        w = random_walks(g, count=50, length=12, mode=mode, seed=0, table=table)
        assert w.states.shape == (50 * 13, 7) and len(w) == 650
        assert np.all(w.distances <= w.steps) and np.all(w.distances >= 0)
        assert np.all(np.sort(w.states, axis=1) == np.arange(7))
        # consecutive states of one walk are one move apart
        st_ = w.states.reshape(13, 50, 7)
        for t in range(1, 13):
            nb = st_[t - 1][:, g.generators.perms]  # (50, k, 7): inverses of lrx are lrx
            assert np.all(np.any(np.all(nb == st_[t][:, None, :], axis=2), axis=1))
        if mode != "classic":
            assert not np.any(np.all(st_[2:] == st_[:-2], axis=2))
            assert not np.any(np.all(st_[1:] == st_[:-1], axis=2))
    w = random_walks(g, count=30, length=20, mode="bfs_unique", seed=1, table=table)
    keys = {tuple(s) for s in w.states.tolist()}
    assert len(keys) == len(w) and np.all(w.distances <= w.steps)
    assert w.steps[0] == 0 and np.all(np.diff(w.steps) >= 0) and np.all(w.walk == -1)
    a = random_walks(g, count=5, length=5, seed=np.random.default_rng(3))
    b = random_walks(g, count=5, length=5, seed=3)
    assert np.array_equal(a.states, b.states) and a.distances is None


def test_reduced_walks_step_counts_are_distances_on_commuting_moves():
    # Z4 x Z4: two 4-cycles on disjoint points, with their inverses (diameter 4). A
    # non-backtracking walk may turn a a a (distance 1) or a b a^-1 (distance 1); a
    # reduced walk's word has neither, so within the diameter its step count is the
    # distance exactly.
    a, b = [1, 2, 3, 0, 4, 5, 6, 7], [0, 1, 2, 3, 5, 6, 7, 4]
    gens = GeneratorSet.from_perms([a, inverse(np.array(a)).tolist(), b, inverse(np.array(b)).tolist()])
    g = CayleyGraph(gens, np.arange(8))
    dist = oracle_distances(g, g.start)
    for mode, exact in (("reduced", True), ("non_backtracking", False)):
        w = random_walks(g, count=200, length=4, mode=mode, seed=0)
        d = np.array([dist[tuple(s)] for s in w.states.tolist()])
        assert np.all(d <= w.steps)
        assert np.array_equal(d, w.steps) == exact, mode
    # after a a b b (or the like) every move is forbidden: the fifth is then uniform
    w = random_walks(g, count=200, length=5, mode="reduced", seed=1)
    st_ = w.states.reshape(6, 200, 8)
    back = inverse(gens.perms)
    used = {int(np.flatnonzero((st_[4][i][back] == st_[5][i]).all(axis=1))[0]) for i in range(200)}
    assert len(used) == 4
    c = commuting_generators(gens.perms)
    assert c.all()  # every pair commutes
    assert not commuting_generators(CayleyGraph.from_spec("S_5", "lrx").generators.perms).all()


def test_random_walks_directed_go_backwards():
    g = CayleyGraph.from_spec("S_6", "lx")
    w = random_walks(g, count=40, length=10, mode="non_backtracking", seed=2)
    dist = oracle_distances(g, g.start)
    assert all(dist[tuple(s)] <= t for s, t in zip(w.states.tolist(), w.steps.tolist()))
    with pytest.raises(InvalidInputError):
        random_walks(g, count=1, length=1, mode="levy")


def test_scramble():
    g = CayleyGraph.from_spec("S_8", "lrx")
    a, b = scramble(g, 25, seed=11), scramble(g, 25, seed=11)
    assert a.moves == b.moves and a.length == 25 and a.is_valid()
    assert np.array_equal(a.source, g.start)
    assert meet_in_the_middle(g, a.target).length <= 25
    assert not any(x == y for x, y in zip(a.moves, a.moves[1:]) if x == 2)  # X never twice in a row


# -------------------------------------------------------------------------------------
# CLI
# -------------------------------------------------------------------------------------
def cli(*args):
    from cayley.cli.main import main

    return CliRunner().invoke(main, list(args))


def test_cli_path_json():
    r = cli("path", "S_5", "--gens", "lrx", "--from", "1,0,4,3,2", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["length"] == 10 and d["optimal"] is True and d["method"] == "mitm" and len(d["path"]) == 10
    g = CayleyGraph.from_spec("S_5", "lrx")
    assert apply_path(g, [1, 0, 4, 3, 2], d["path"]).tolist() == [0, 1, 2, 3, 4]
    for method in ("bfs", "beam"):
        r = cli("path", "S_5", "--gens", "lrx", "--from", "[1,0,4,3,2]", "--method", method, "--format", "json")
        d = json.loads(r.stdout)
        assert d["method"] == method and d["length"] >= 10
    r = cli("path", "S_4", "--gens", "lrx", "--from", "0011", "--to", "1100")
    assert r.exit_code == 0 and "length" in r.stdout and "optimal" in r.stdout


def test_cli_path_beam_and_errors():
    r = cli("path", "S_12", "--gens", "pancake", "--from", "3,7,1,11,0,5,2,8,10,6,4,9", "--method", "beam",
            "--beam-width", "64", "--seed", "0", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["optimal"] is False
    g = CayleyGraph.from_spec("S_9", "lrx")
    s = scramble(g, 16, seed=1).target
    r = cli("path", "S_9", "--gens", "lrx", "--from", ",".join(map(str, s)), "--method", "beam", "--ball", "6",
            "--beam-width", "64", "--format", "json")
    assert r.exit_code == 0, r.output
    assert apply_path(g, s, json.loads(r.stdout)["path"]).tolist() == list(range(9))
    r = cli("path", "S_4", "--gens", "lrx", "--from", "0,1,2")
    assert r.exit_code == 2 and r.stderr.startswith("error:")
    r = cli("path", "S_5", "--gens", "(1,2,3);(3,4,5)", "--from", "1,0,2,3,4")
    assert r.exit_code == 2 and "not reachable" in r.stderr
    r = cli("path", "S_6", "--gens", "lrx", "--from", "1,0,5,4,3,2", "--method", "mitm", "--max-states", "20")
    assert r.exit_code == 2 and "error:" in r.stderr


def test_cli_scramble_round_trip():
    r = cli("scramble", "S_9", "--gens", "lrx", "--length", "12", "--seed", "5")
    assert r.exit_code == 0, r.output
    state = r.stdout.strip()
    assert sorted(int(x) for x in state.split(",")) == list(range(9))
    r2 = cli("scramble", "S_9", "--gens", "lrx", "--length", "12", "--seed", "5", "--format", "json")
    d = json.loads(r2.stdout)
    assert ",".join(map(str, d["state"])) == state and len(d["moves"]) == 12
    r3 = cli("path", "S_9", "--gens", "lrx", "--from", state, "--format", "json")
    assert json.loads(r3.stdout)["length"] <= 12


# -------------------------------------------------------------------------------------
# slow: the S_12 acceptance checks
# -------------------------------------------------------------------------------------
def ida_star_pancake(state) -> int:
    """Optimal pancake distance by IDA* with the gap heuristic (an independent oracle)."""
    n = len(state)
    s = list(state) + [n]

    def gaps(s):
        return sum(abs(s[i] - s[i + 1]) != 1 for i in range(n))

    def dfs(s, g, bound, last):
        h = gaps(s)
        if h == 0:
            return g
        if g + h > bound:
            return None
        for k in range(2, n + 1):
            if k == last:
                continue
            s[:k] = s[k - 1 :: -1]
            r = dfs(s, g + 1, bound, k)
            s[:k] = s[k - 1 :: -1]
            if r is not None:
                return r
        return None

    bound = gaps(s)
    while True:
        r = dfs(s, 0, bound, 0)
        if r is not None:
            return r
        bound += 1


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CAYLEY_S12") != "1", reason="set CAYLEY_S12=1: 479 MB table, minutes")
def test_acceptance_s12_lrx_full_table(capsys):
    """MITM on 100 random states of LRX S_12 equals the full BFS distance table (479M
    states, checked against the reference growth function)."""
    from cayley.reference import load_reference

    g = CayleyGraph.from_spec("S_12", "lrx")
    t0 = time.perf_counter()
    table = PatternDatabase.build(g)
    t_table = time.perf_counter() - t0
    assert table.index == "rank" and table.growth == load_reference("lrx")["12"]
    rng = np.random.default_rng(12)
    states = np.array([rng.permutation(12) for _ in range(100)])
    exact = table.distance(states)
    t0 = time.perf_counter()
    lengths = [meet_in_the_middle(g, s).length for s in states]
    t_mitm = time.perf_counter() - t0
    assert lengths == exact.tolist()
    with capsys.disabled():
        print(f"\nlrx S_12: table {t_table:.0f} s; 100 MITM {t_mitm:.1f} s; mean distance {np.mean(lengths):.2f}, "
              f"max {max(lengths)}; MITM == table for 100/100")


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CAYLEY_S12") != "1", reason="set CAYLEY_S12=1: 100 S_12 searches, minutes")
def test_acceptance_s12_pancake_ida_star(capsys):
    """MITM on 100 random pancake S_12 states equals IDA* with the gap heuristic."""
    g = CayleyGraph.from_spec("S_12", "pancake")
    rng = np.random.default_rng(12)
    states = np.array([rng.permutation(12) for _ in range(100)])
    t0 = time.perf_counter()
    lengths = [meet_in_the_middle(g, s).length for s in states]
    t_mitm = time.perf_counter() - t0
    t0 = time.perf_counter()
    exact = [ida_star_pancake(s.tolist()) for s in states]
    t_ida = time.perf_counter() - t0
    assert lengths == exact
    with capsys.disabled():
        print(f"\npancake S_12: 100 MITM {t_mitm:.1f} s, IDA* {t_ida:.1f} s; mean distance {np.mean(lengths):.2f}; "
              "MITM == IDA* for 100/100")


@pytest.mark.slow
def test_acceptance_pancake_30_beam(capsys):
    """Beam search with breakpoints: valid paths for 100 random 30-pancake stacks."""
    g = CayleyGraph.from_spec("S_30", "pancake")
    h = Breakpoints(np.arange(30))
    rng = np.random.default_rng(30)
    lengths, bounds = [], []
    t0 = time.perf_counter()
    for _ in range(100):
        s = rng.permutation(30)
        p = beam_search(g, s, h, beam_width=256, seed=0)
        check_path(p, s, g.start)
        lengths.append(p.length)
        bounds.append(h(s.reshape(1, -1))[0])
    dt = time.perf_counter() - t0
    assert all(a >= b for a, b in zip(lengths, bounds))
    with capsys.disabled():
        print(f"\npancake n=30, width 256: mean length {np.mean(lengths):.2f} (gap lower bound {np.mean(bounds):.2f}), "
              f"{dt:.1f} s for 100")


# -------------------------------------------------------------------------------------
# issue 17: a target that is not a rearrangement of the start; symbols as written
# -------------------------------------------------------------------------------------
METHODS = ("auto", "bfs", "mitm", "ida", "beam")
IMPOSSIBLE = [
    ("S_4", "coxeter", "0,0,1,1", "1,1,2,2"),  # relabelled separately, both read 0011
    ("S_5", "coxeter", "1,0,2,3,4", "9,1,2,3,5"),  # both read as permutations of 0..4
    ("S_4", "lrx", "0011", "0012"),
    ("S_4", "lrx", "abba", "abbc"),
    ("S_4", "lrx", "0,1,2,3", "a,b,c,d"),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("group,gens,src,tgt", IMPOSSIBLE)
def test_cli_target_that_is_no_rearrangement_is_one_line_error(method, group, gens, src, tgt):
    r = cli("path", group, "--gens", gens, "--from", src, "--to", tgt, "--method", method)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("error:") and "rearrangement" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("group,gens,src,tgt", IMPOSSIBLE)
def test_api_string_target_that_is_no_rearrangement(method, group, gens, src, tgt):
    g = CayleyGraph.from_spec(group, gens)
    fns = {"bfs": shortest_path, "mitm": meet_in_the_middle, "beam": beam_search}
    with pytest.raises(InvalidStateError, match="rearrangement"):
        find_path(g, src, target=tgt, method=method)
    if method in fns:
        with pytest.raises(InvalidStateError, match="rearrangement"):
            fns[method](g, src, target=tgt)
    if method == "ida":
        from cayley.graphs.paths import ida_star

        with pytest.raises(InvalidStateError, match="rearrangement"):
            ida_star(g, src, target=tgt)


def _replay_written(perms, source: list, moves: list) -> list:
    s = list(source)
    for m in moves:
        s = [s[i] for i in perms[m]]
    return s


@pytest.mark.parametrize("method", METHODS)
def test_cli_path_replays_on_the_symbols_as_written(method):
    """Symbols that are not 0..k-1 (numbers or letters): the path, replayed on the states as
    the user wrote them, gives the target as the user wrote it."""
    cases = [
        ("S_5", "coxeter", "9,5,1,2,3", "1,2,3,5,9"),
        ("S_5", "lrx", "3,3,7,7,9", "9,7,3,7,3"),
        ("S_4", "lrx", "bcab", "abbc"),
        ("S_4", "lrx", "1122", None),  # default target: the sorted state
    ]
    for group, gens, src, tgt in cases:
        args = ["path", group, "--gens", gens, "--from", src, "--method", method, "--format", "json"]
        r = cli(*args + (["--to", tgt] if tgt else []))
        assert r.exit_code == 0, r.output
        d = json.loads(r.stdout)
        g = CayleyGraph.from_spec(group, gens)
        names = list(g.generators.names)
        perms = g.generators.perms.tolist()
        moves = [names.index(x) for x in d["path"]]
        written = src.split(",") if "," in src else list(src)
        want = (tgt.split(",") if "," in tgt else list(tgt)) if tgt else sorted(written)
        assert _replay_written(perms, written, moves) == want, (src, tgt, d)


def test_api_paths_are_replayed_on_the_written_states(monkeypatch):
    """The last guard: even when the rearrangement check is skipped, a path is replayed on
    the states as written before it is returned, so the relabelled answer never escapes."""
    import cayley.graphs.paths.common as common

    g = CayleyGraph.from_spec("S_5", "coxeter")
    monkeypatch.setattr(common, "check_rearrangement", lambda *a, **k: None)
    for method in METHODS:
        with pytest.raises(RuntimeError, match="does not reach the target as written"):
            find_path(g, "1,0,2,3,4", target="9,1,2,3,5", method=method)


def test_cli_scramble_keeps_the_start_symbols_and_round_trips():
    r = cli("scramble", "S_6", "--gens", "lrx", "--start", "1,1,2,2,7,7", "--length", "9", "--seed", "3")
    assert r.exit_code == 0, r.output
    state = r.stdout.strip()
    assert sorted(int(x) for x in state.split(",")) == [1, 1, 2, 2, 7, 7]
    r = cli("path", "S_6", "--gens", "lrx", "--from", state, "--to", "1,1,2,2,7,7", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["length"] <= 9
    r = cli("scramble", "S_4", "--gens", "lrx", "--start", "abba", "--length", "5", "--seed", "0", "--format", "json")
    assert r.exit_code == 0, r.output
    assert sorted(json.loads(r.stdout)["state"]) == ["a", "a", "b", "b"]


def test_scramble_and_walks_share_the_state_check():
    g = CayleyGraph.from_spec("S_4", "lrx", start="0011")
    with pytest.raises(InvalidStateError, match="rearrangement"):
        scramble(g, 3, start=[0, 1, 2, 3], seed=0)
    with pytest.raises(InvalidStateError, match="rearrangement"):
        random_walks(g, count=2, length=2, target=[0, 0, 0, 1])
    p = scramble(g, 4, start="1100", seed=0)
    assert p.is_valid() and sorted(p.target.tolist()) == [0, 0, 1, 1]
