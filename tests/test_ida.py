"""IDA* against independent distances (networkx, BFS distance tables, the pure-Python
pancake IDA* oracle), and the 2x2x2 cube (cube_fixed_qtm / cube_fixed_htm of
cayley.groups.puzzles) with pattern databases: IDA* and beam search against the full BFS
of the cube (slow) or meet-in-the-middle (fast)."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from cayley import CayleyGraph, GeneratorSet
from cayley.errors import InvalidInputError, NoPathError
from cayley.graphs.heuristics import Breakpoints, Hamming, MaxOf, PatternDatabase
from cayley.graphs.paths import beam_search, find_path, ida_star, is_admissible, meet_in_the_middle, scramble
from cayley.groups.perm import inverse
from cayley.groups.puzzles import face_colours
from test_paths import check_path, cli, ida_star_pancake, oracle_distances


# -------------------------------------------------------------------------------------
# exactness against independent distances
# -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "group,gens,start,classes",
    [
        ("S_6", "lrx", None, None),  # default: the Hamming bound
        ("S_6", "pancake", None, None),  # default: breakpoints
        ("S_6", "lx", None, [0, 1, 2, 3, 4, 4]),  # directed, a projection's table
        ("S_7", "lrx", "0001112", [0, 0, 1]),  # Schreier graph, a coarser projection
        ("S_6", "full_reversals", None, None),  # breakpoints / 2
    ],
)
def test_ida_star_is_optimal_against_networkx(group, gens, start, classes):
    g = CayleyGraph.from_spec(group, gens, start=start)
    h = None if classes is None else PatternDatabase.build(g, classes=classes)
    dist = oracle_distances(g, g.start)
    states = list(dist)
    rng = np.random.default_rng(4)
    for i in rng.choice(len(states), size=min(15, len(states)), replace=False):
        s = np.array(states[i])
        p = ida_star(g, s, h)
        assert p.optimal and p.method == "ida" and p.length == dist[states[i]], (s, p)
        check_path(p, s, g.start, dist[states[i]])


def test_ida_star_against_a_full_distance_table_with_several_heuristics():
    g = CayleyGraph.from_spec("S_8", "pancake")
    table = PatternDatabase.build(g)  # BFS distance table of all 40320 states
    heuristics = [
        Breakpoints(range(8)),
        Breakpoints(range(8), kind="reversals"),
        PatternDatabase.build(g, classes=[0, 1, 2, 3, 4, 4, 4, 4]),
        MaxOf([Breakpoints(range(8)), PatternDatabase.build(g, classes=[4, 4, 4, 4, 0, 1, 2, 3])]),
    ]
    rng = np.random.default_rng(9)
    states = np.array([rng.permutation(8) for _ in range(10)])
    exact = table.distance(states)
    for h in heuristics:
        assert is_admissible(h, g)
        for s, d in zip(states, exact):
            p = ida_star(g, s, h, batch=64)
            assert p.optimal and p.length == d
            check_path(p, s, g.start, d)


def test_ida_star_pancake_12_matches_the_pure_python_oracle():
    """Random pancake S_12 stacks: the library IDA* (batched numpy) gives the lengths of
    the independent scalar IDA* of tests/test_paths.py, and MITM agrees on one."""
    g = CayleyGraph.from_spec("S_12", "pancake")
    h = Breakpoints(np.arange(12))
    rng = np.random.default_rng(12)
    states = [rng.permutation(12) for _ in range(30)]
    lengths = [ida_star(g, s, h).length for s in states]
    assert lengths == [ida_star_pancake(s.tolist()) for s in states]
    i = int(np.argmin(lengths))  # the nearest stack: a quick meet-in-the-middle
    assert meet_in_the_middle(g, states[i]).length == lengths[i]


def test_ida_star_target_and_trivial_path():
    g = CayleyGraph.from_spec("S_6", "lx")
    t = np.array([2, 0, 1, 5, 4, 3])
    dist = oracle_distances(g, t)
    for s, d in list(dist.items())[::37]:
        p = ida_star(g, s, target=t)
        assert p.length == d and np.array_equal(p.target, t) and p.is_valid()
    p = ida_star(g, t, target=t)
    assert p.length == 0 and p.optimal


def test_inadmissible_heuristic_is_not_called_optimal():
    g = CayleyGraph.from_spec("S_7", "lrx")
    dist = oracle_distances(g, g.start)
    assert not is_admissible(Hamming(range(7)), g)
    rng = np.random.default_rng(1)
    for _ in range(5):
        s = rng.permutation(7)
        p = ida_star(g, s, Hamming(range(7)))
        assert not p.optimal
        check_path(p, s, g.start, dist[tuple(s.tolist())])
    # a pattern database of other generators promises nothing here
    other = PatternDatabase.build(CayleyGraph.from_spec("S_7", "pancake"))
    assert not is_admissible(other, g)


def test_max_nodes_gives_a_lower_bound_and_unreachable_states():
    g = CayleyGraph.from_spec("S_6", "lrx")
    s = [1, 0, 5, 4, 3, 2]  # the longest element: distance 15
    with pytest.raises(NoPathError) as e:
        ida_star(g, s, max_nodes=500)
    assert e.value.lower_bound is not None and 1 <= e.value.lower_bound <= 15 and not e.value.unreachable
    with pytest.raises(NoPathError) as e:
        ida_star(g, s, Hamming(range(6)), max_nodes=500)  # not admissible: no bound claimed
    assert e.value.lower_bound is None
    # two even generators: odd states are in another component; a complete table says so
    g = CayleyGraph(GeneratorSet.from_perms([[1, 2, 0, 3, 4], [0, 1, 3, 4, 2]]))
    with pytest.raises(NoPathError) as e:
        ida_star(g, [1, 0, 2, 3, 4], PatternDatabase.build(g))
    assert e.value.unreachable


def test_ida_star_bad_input():
    g = CayleyGraph.from_spec("S_5", "pancake")
    with pytest.raises(InvalidInputError):
        ida_star(g, [1, 0, 2, 3, 4], max_nodes=0)
    with pytest.raises(InvalidInputError):
        ida_star(g, [1, 0, 2, 3, 4], batch=-1)
    with pytest.raises(InvalidInputError):
        ida_star(g, [1, 0, 2, 3, 4], Breakpoints([4, 3, 2, 1, 0]))  # heuristic for another target
    with pytest.raises(ValueError):
        ida_star(g, [1, 0, 2, 3])


def test_find_path_and_cli_method_ida():
    g = CayleyGraph.from_spec("S_10", "pancake")
    s = [3, 7, 1, 9, 0, 5, 2, 8, 6, 4]
    p = find_path(g, s, method="ida")
    assert p.method == "ida" and p.optimal and p.length == meet_in_the_middle(g, s).length
    r = cli("path", "S_10", "--gens", "pancake", "--from", ",".join(map(str, s)), "--method", "ida", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["method"] == "ida" and d["optimal"] is True and d["length"] == p.length
    # lrx with --heuristic auto: the admissible default, so the path is optimal
    r = cli("path", "S_6", "--gens", "lrx", "--from", "1,0,5,4,3,2", "--method", "ida", "--format", "json")
    d = json.loads(r.stdout)
    assert r.exit_code == 0 and d["optimal"] is True and d["length"] == 15
    r = cli("path", "S_6", "--gens", "lrx", "--from", "1,0,5,4,3,2", "--method", "ida", "--max-states", "50")
    assert r.exit_code == 2 and r.stderr.startswith("error:")


# -------------------------------------------------------------------------------------
# the 2x2x2 cube
# -------------------------------------------------------------------------------------
def cubies(perms: np.ndarray) -> list[list[int]]:
    """The moving cubies, found from the generators alone: the minimal blocks of size 3
    of the action on stickers (so this works for any sticker numbering)."""
    n = perms.shape[1]
    moving = np.flatnonzero(np.any(perms != np.arange(n), axis=0))
    images = [inverse(p) for p in perms]  # the sticker at x goes to images[g][x]

    def block(a: int, b: int) -> frozenset:
        parent = list(range(n))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(x, y):
            x, y = find(x), find(y)
            if x == y:
                return False
            parent[x] = y
            return True

        union(a, b)
        changed = True
        while changed:
            changed = False
            for im in images:
                for x in range(n):
                    changed |= union(int(im[x]), int(im[find(x)]))
        r = find(a)
        return frozenset(x for x in range(n) if find(x) == r)

    found = {block(int(a), int(b)) for a in moving for b in moving if a < b}
    return sorted(sorted(c) for c in found if len(c) == 3)


def cube_graph(metric: str = "qtm") -> CayleyGraph:
    """The 2x2x2 cube with a fixed corner (cayley.groups.puzzles): 24 stickers, moves
    U, R, F and inverses (qtm), and U2, R2, F2 too (htm)."""
    return CayleyGraph.from_spec("S_24", f"cube_fixed_{metric}")


def cube_heuristics(g: CayleyGraph):
    """Pattern databases of three projections (Schreier graphs where stickers are made
    equal) and their maximum: corner orientations (729 states), corner positions (5040),
    and positions and orientations of three cubies with the others' orientations (153090)."""
    cs = cubies(g.generators.perms)
    assert len(cs) == 7
    ud = np.isin(face_colours(24), [0, 3]).astype(np.int64)  # the stickers of the U and D faces
    ori = PatternDatabase.build(g, classes=ud)
    pos = np.zeros(24, dtype=np.int64)
    for i, c in enumerate(cs):
        pos[c] = i + 1
    perm = PatternDatabase.build(g, classes=pos, index="hash")
    return ori, perm, cs, ud


def three_cubies(g: CayleyGraph, cs, ud, which) -> PatternDatabase:
    classes = np.where(ud == 1, 0, 1)
    nxt = 2
    for i in which:
        for x in cs[i]:
            classes[x] = nxt
            nxt += 1
    return PatternDatabase.build(g, classes=classes, index="hash")


@pytest.mark.parametrize("metric", ["qtm", "htm"])
def test_cube_222_definition_and_cubies(metric):
    from cayley.reference import load_reference

    g = cube_graph(metric)
    ref = load_reference("puzzles")[f"cube_222_fixed_{metric}"]
    head = PatternDatabase.build(g, max_depth=5, index="hash").growth
    assert head == ref[:6]  # the full growth is checked in the slow test
    cs = cubies(g.generators.perms)
    assert len(cs) == 7 and sorted(x for c in cs for x in c) == sorted(set(range(24)) - {14, 18, 23})
    # every cubie shows three different faces, exactly one of them U or D
    colours = face_colours(24)
    assert all(len({int(colours[x]) for x in c}) == 3 and np.isin(colours[c], [0, 3]).sum() == 1 for c in cs)


def test_cube_222_ida_and_beam_with_pattern_databases():
    """Fast variant: 6 scrambles, distances from meet-in-the-middle."""
    g = cube_graph()
    ori, perm, cs, ud = cube_heuristics(g)
    h_ida = MaxOf([ori, perm])
    h_beam = MaxOf([three_cubies(g, cs, ud, (0, 1, 2)), ori, perm])
    assert is_admissible(h_ida, g) and is_admissible(h_beam, g)
    gaps = []
    for seed in range(6):
        s = scramble(g, 40 + seed % 2, seed=seed).target  # both parities of distance
        d = meet_in_the_middle(g, s).length
        p = ida_star(g, s, h_ida)
        assert p.optimal and p.length == d
        check_path(p, s, g.start, d)
        q = beam_search(g, s, h_beam, beam_width=256, seed=0)
        check_path(q, s, g.start, d)
        gaps.append(q.length - d)
    assert max(gaps) <= 2 and np.mean(gaps) <= 0.5


@pytest.mark.slow
@pytest.mark.parametrize("metric", ["qtm", "htm"])
def test_acceptance_cube_222_100_scrambles(capsys, metric):
    """Full BFS of the 2x2x2 (3 674 160 states, the reference growth), then 100 random
    scrambles: IDA* with pattern databases is optimal; beam search with them is near it."""
    from cayley.reference import load_reference

    g = cube_graph(metric)
    t0 = time.perf_counter()
    table = PatternDatabase.build(g, index="hash")
    t_table = time.perf_counter() - t0
    assert table.growth == load_reference("puzzles")[f"cube_222_fixed_{metric}"] and table.size == 3_674_160
    t0 = time.perf_counter()
    ori, perm, cs, ud = cube_heuristics(g)
    big = [three_cubies(g, cs, ud, (0, 1, 2)), three_cubies(g, cs, ud, (4, 5, 6))]
    t_pdb = time.perf_counter() - t0
    rng = np.random.default_rng(222)
    # 40 or 41 moves: in QTM every move flips the corners' parity, so one length alone
    # would give distances of one parity only
    states = np.array([scramble(g, 40 + int(rng.integers(2)), seed=rng).target for _ in range(100)])
    exact = table.distance(states)
    lines = [f"\n2x2x2 fixed_{metric}: full BFS {t_table:.0f} s ({table.size:,} states); PDBs {t_pdb:.1f} s; "
             f"100 scrambles, mean distance {exact.mean():.2f}, max {exact.max()}, "
             f"distance counts {dict(zip(*(a.tolist() for a in np.unique(exact, return_counts=True))))}"]
    for name, h in [("IDA* max(ori 729, pos 5040)", MaxOf([ori, perm])),
                    ("IDA* max(+ two 3-cubie 153090)", MaxOf(big + [ori, perm]))]:
        t0 = time.perf_counter()
        paths = [ida_star(g, s, h) for s in states]
        dt = time.perf_counter() - t0
        assert [p.length for p in paths] == exact.tolist() and all(p.optimal for p in paths)
        for p, s in zip(paths, states):
            check_path(p, s, g.start)
        nodes = sum(p.explored for p in paths)
        lines.append(f"{name}: 100/100 optimal, {dt:.1f} s, {nodes:,} nodes ({nodes / dt:,.0f}/s)")
    for name, h in [("beam max(ori, pos)", MaxOf([ori, perm])), ("beam max(two 3-cubie, ori, pos)", MaxOf(big + [ori, perm]))]:
        for width in ((256, 1024) if "3-cubie" not in name else (256,)):
            t0 = time.perf_counter()
            lengths = []
            for s in states:
                try:
                    p = beam_search(g, s, h, beam_width=width, seed=0, max_steps=200)
                except NoPathError:
                    lengths.append(None)
                    continue
                check_path(p, s, g.start)
                lengths.append(p.length)
            dt = time.perf_counter() - t0
            ok = [(L, d) for L, d in zip(lengths, exact.tolist()) if L is not None]
            gap = np.array([L - d for L, d in ok])
            assert np.all(gap >= 0)
            lines.append(f"{name}, width {width}: solved {len(ok)}/100, mean length {np.mean([L for L, _ in ok]):.2f}, "
                         f"mean gap {gap.mean():.2f}, max gap {gap.max()}, optimal {int(np.sum(gap == 0))}/100, {dt:.1f} s")
            if "3-cubie" in name:
                assert len(ok) == 100 and gap.mean() <= 0.5
    with capsys.disabled():
        print("\n".join(lines))
