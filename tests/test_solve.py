"""The puzzle solver: end to end through `cayley solve`, replayed; optimality only when
proven (checked against breadth-first distances); the heuristic cache."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest
from click.testing import CliRunner

from cayley.cli.main import main
from cayley.errors import InvalidInputError
from cayley.graphs import CayleyGraph
from cayley.graphs.paths import shortest_path
from cayley.groups.puzzles import cube_moves
from cayley.puzzles import (
    PuzzleType,
    check_submission,
    prepare,
    read_puzzle_info,
    read_puzzles,
    read_submission,
    replay,
    shorten,
    solve_state,
)

# a made-up puzzle on 7 positions: a 7-cycle and a transposition (S_7, 5040 states)
TOY = {"l": [1, 2, 3, 4, 5, 6, 0], "x": [1, 0, 2, 3, 4, 5, 6]}
LABELS = "ABCDEFG"


def _files(tmp_path, count=12, seed=0):
    rng = np.random.default_rng(seed)
    info = tmp_path / "info.csv"
    moves = "{" + ", ".join(f"'{k}': {v}" for k, v in TOY.items()) + "}"
    info.write_text(f'puzzle_type,allowed_moves\ntoy7,"{moves}"\n')
    lines = ["id,puzzle_type,solution_state,initial_state,num_wildcards"]
    gens = PuzzleType.from_moves("toy7", TOY).generators.perms
    for i in range(count):
        if i % 2:  # a uniformly random state
            p = rng.permutation(7)
        else:  # a short scramble: inside a ball of radius 3
            p = np.arange(7)
            for m in rng.integers(len(gens), size=3):
                p = p[gens[m]]
        lines.append(f"{i},toy7,{';'.join(LABELS)},{';'.join(LABELS[j] for j in p)},0")
    pz = tmp_path / "puzzles.csv"
    pz.write_text("\n".join(lines) + "\n")
    return str(info), str(pz)


def _bfs_distance(ptype, row):
    sol, ini = row.codes()
    g = CayleyGraph(ptype.generators, sol)
    return shortest_path(g, ini).length


def test_cli_end_to_end_replayed_and_optimal_only_when_proven(tmp_path):
    info, pz = _files(tmp_path)
    out = str(tmp_path / "sub.csv")
    # a small ball (radius 3: the 3 generators' worst case 1 + 3 + 6 + 12 fits 30 states),
    # so that the short scrambles start inside it (proven optimal) and the others do not
    r = CliRunner().invoke(main, ["solve", "--puzzle-info", info, "--puzzles", pz, "--out", out, "--heuristic",
                                  "hamming", "--ball-states", "30", "--time-per-puzzle", "0.3", "--format", "json",
                                  "--progress"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["solved"] == 12 and d["unsolved"] == []
    types = read_puzzle_info(info)
    rows = read_puzzles(pz, types)
    sub = read_submission(out)
    assert set(sub) == {row.id for row in rows}
    assert all(check_submission(rows, types, sub).values())
    byid = {row.id: row for row in rows}
    claimed = 0
    for res in d["rows"]:
        dist = _bfs_distance(types["toy7"], byid[res["id"]])
        assert res["length"] == len(sub[res["id"]])
        assert res["lower_bound"] <= dist <= res["length"]
        if res.get("optimal"):
            claimed += 1
            assert res["length"] == dist
        else:
            assert "optimal" not in res
    assert claimed >= 6
    # one progress line per row on stderr (CliRunner's stderr is not a TTY)
    assert sum(line.startswith("[") for line in r.stderr.splitlines()) == 12
    # `cayley dataset verify` reads the Santa layout: accepted, scored by total moves
    (tmp_path / "puzzle_info.csv").write_text(open(info).read())
    v = CliRunner().invoke(main, ["dataset", "verify", str(tmp_path), "--submission", out, "--format", "json"])
    assert v.exit_code == 0, v.output
    rep = json.loads(v.stdout)
    assert rep["ok"] and rep["score"] == sum(len(m) for m in sub.values()) and rep["expected_rows"] == 12
    # a wrong path, an unknown move, a repeated id and a missing id are each rejected
    lines = open(out).read().splitlines()
    first = lines[1].split(",")
    bad = [lines[0], f"{first[0]},{'.'.join((first[1].split('.') if first[1] else []) + ['l'])}",
           lines[2].split(",")[0] + ",zz", lines[3], lines[3]] + lines[5:]
    (tmp_path / "bad.csv").write_text("\n".join(bad) + "\n")
    v = CliRunner().invoke(main, ["dataset", "verify", str(tmp_path), "--submission", str(tmp_path / "bad.csv"),
                                  "--format", "json", "--max-errors", "10"])
    assert v.exit_code == 1, v.output
    reasons = " | ".join(e["reason"] for e in json.loads(v.stdout)["errors"])
    assert "positions different" in reasons and "'zz' is not a move" in reasons
    assert "appears again" in reasons and "has no row" in reasons


def test_cli_limit_ids_and_table(tmp_path):
    info, pz = _files(tmp_path, count=5, seed=1)
    out = str(tmp_path / "sub.csv")
    r = CliRunner().invoke(main, ["solve", "--puzzle-info", info, "--puzzles", pz, "--out", out, "--heuristic",
                                  "hamming", "--ids", "3,1", "--ids", "4", "--limit", "2", "--time-per-puzzle", "1"])
    assert r.exit_code == 0, r.output
    assert sorted(read_submission(out)) == ["1", "3"]
    assert "solved 2/2" in r.stdout
    r = CliRunner().invoke(main, ["solve", "--puzzle-info", info, "--puzzles", pz, "--out", out, "--ids", "99"])
    assert r.exit_code == 2 and "99" in r.output


def test_optimal_claim_matches_bfs_on_every_state_of_a_small_puzzle():
    t = PuzzleType.from_moves("toy7", TOY)
    p = prepare(t, list(LABELS), heuristic="hamming", ball_states=40)
    g = CayleyGraph(t.generators, np.arange(7))
    rng = np.random.default_rng(2)
    for _ in range(40):
        s = rng.permutation(7)
        sol = solve_state(p, s, time_limit=0.2, seed=0, max_width=64)
        d = shortest_path(g, s).length
        assert sol.lower_bound <= d <= sol.length
        assert not sol.optimal or sol.length == sol.lower_bound
        if sol.optimal:
            assert sol.length == d
        st = s.copy()
        for m in sol.moves:
            st = st[t.move(m)]
        assert st.tolist() == list(range(7))


def _pocket_cube(ball_states: int, seed: int, **kwargs):
    """Santa-style 2x2x2 (one colour per face), prepared with the Hamming heuristic, and
    a 30-move random scramble of it: ``(type, solution, prepared, scramble)``."""
    moves = {k: v.tolist() for k, v in cube_moves(2).items()}
    t = PuzzleType.from_moves("cube_2/2/2", moves)
    sol = np.repeat(np.arange(6), 4)
    p = prepare(t, sol, heuristic="hamming", ball_states=ball_states, **kwargs)
    rng = np.random.default_rng(seed)
    s = sol.copy()
    for m in rng.integers(len(t.generators), size=30):
        s = s[t.generators.perms[m]]
    return t, sol, p, s


def test_cube_222_scramble_solved_generically():
    t, sol, p, s = _pocket_cube(20_000, 0)
    res = solve_state(p, s, time_limit=5, seed=0)
    st = s.copy()
    for m in res.moves:
        st = st[t.move(m)]
    assert np.array_equal(st, sol)
    assert res.length <= 30 and res.lower_bound <= res.length


def test_time_limit_keeps_room_for_the_last_shortening(monkeypatch):
    """The beams stop early enough that shortening the last path still ends within the
    limit (a 60 s cube once took 60.0015 s): here every shortening takes 0.3 s."""
    import cayley.puzzles.solve as solve_mod

    _, _, p, s = _pocket_cube(2_000, 0, bound_states=0)
    slow = solve_mod.shorten

    def shorten(prep, path):
        time.sleep(0.3)
        return slow(prep, path)

    monkeypatch.setattr(solve_mod, "shorten", shorten)
    res = solve_state(p, s, time_limit=1.5, seed=0, first_width=64, meet_states=0)
    assert not res.optimal and len(res.widths) >= 2  # several beams ran up to the limit
    assert res.seconds <= 1.5


def test_inverse_scramble_of_a_coloured_cube_and_a_solve_through_it():
    """The 2x2x2's colours determine the group element piece by piece: the inverse scramble
    is the solution moved by the inverse walk, and a solve through it replays."""
    moves = {k: v.tolist() for k, v in cube_moves(2).items()}
    t = PuzzleType.from_moves("cube_2/2/2", moves)
    sol = np.repeat(np.arange(6), 4)
    p = prepare(t, sol, heuristic="hamming", ball_states=20_000)
    rng = np.random.default_rng(1)
    walk = np.arange(len(sol))
    for m in rng.integers(len(t.generators), size=25):
        walk = walk[t.generators.perms[m]]
    inverse = np.empty_like(walk)
    inverse[walk] = np.arange(len(walk))
    assert np.array_equal(p.inverse_state(sol[walk]), sol[inverse])
    res = solve_state(p, sol[walk], time_limit=4, seed=0, inverse=True)
    st = sol[walk]
    for m in res.moves:
        st = st[t.move(m)]
    assert np.array_equal(st, sol) and res.lower_bound <= res.length
    # pieces that look alike: no inverse (two corners coloured the same)
    p2 = prepare(t, np.zeros(len(sol), dtype=int) + (np.arange(len(sol)) >= 12), heuristic="hamming", ball_states=100)
    assert p2.inverse_state(p2.graph.start) is None


def test_the_beams_search_the_scramble_and_its_inverse(monkeypatch):
    """inverse="rest": the measuring beam searches the scramble, a second narrow beam its
    inverse, the next ones alternate; the path found replays on the scramble."""
    import cayley.puzzles.solve as solve_mod

    t, sol, p, s = _pocket_cube(2000, 2, bound_states=0)
    seen = []
    real = solve_mod.run_beam

    def spy(ops, src, *args, **kwargs):
        seen.append(np.array(src))
        return real(ops, src, *args, **kwargs)

    monkeypatch.setattr(solve_mod, "run_beam", spy)
    res = solve_state(p, s, time_limit=2, seed=0, first_width=64, meet_states=0, inverse="rest")
    back = p.inverse_state(s)
    assert len(seen) >= 4 and np.array_equal(seen[0], s) and np.array_equal(seen[1], back)
    assert res.widths[:2] == [64, 64]
    third = np.array_equal(seen[2], back)
    assert third or np.array_equal(seen[2], s)
    assert all(np.array_equal(x, back if (i % 2 == 0) == third else s) for i, x in enumerate(seen[2:]))
    st = s.copy()
    for m in res.moves:
        st = st[t.move(m)]
    assert np.array_equal(st, sol)
    with pytest.raises(InvalidInputError, match="inverse must be"):
        solve_state(p, s, time_limit=1, inverse="both")


def test_the_wide_beam_goes_to_the_direction_whose_narrow_beam_was_shorter(monkeypatch):
    """The first wide beam searches the direction (scramble or inverse scramble) whose
    narrow beam found the shorter path: checked with the other direction's paths made
    20 moves longer by detours that the (disabled) shortening would have removed."""
    import cayley.puzzles.solve as solve_mod

    t, sol, p, s = _pocket_cube(2000, 2, bound_states=0)
    back = p.inverse_state(s)
    real = solve_mod.run_beam
    monkeypatch.setattr(solve_mod, "shorten", lambda prep, moves: list(moves))
    for winner, loser in ((back, s), (s, back)):
        seen = []

        def spy(ops, src, *args, loser=loser, **kwargs):
            seen.append(np.array(src))
            moves, explored, cut = real(ops, src, *args, **kwargs)
            if np.array_equal(src, loser):
                moves = [0, int(t.generators.inverse_index[0])] * 10 + list(moves)
            return moves, explored, cut

        monkeypatch.setattr(solve_mod, "run_beam", spy)
        res = solve_state(p, s, time_limit=1.5, seed=0, first_width=128, meet_states=0, inverse="rest")
        assert len(seen) >= 3 and all(b[1] > 0 for b in res.beams[:2])
        assert np.array_equal(seen[2], winner) and res.widths[2] > 128
        st = s.copy()
        for m in res.moves:
            st = st[t.move(m)]
        assert np.array_equal(st, sol)


def test_shorten_removes_detours_and_keeps_the_action():
    t = PuzzleType.from_moves("toy7", TOY)
    p = prepare(t, list(LABELS), heuristic="hamming")
    names = t.generators.names
    word = [names.index(x) for x in ["l", "x", "x", "-l", "l", "l"]]  # == l.l (x is an involution)
    out = shorten(p, word)
    assert [names[m] for m in out] == ["l", "l"]
    rng = np.random.default_rng(3)
    for _ in range(20):
        w = rng.integers(len(names), size=15).tolist()
        s = shorten(p, w)
        assert len(s) <= len(w)
        a, b = np.arange(7), np.arange(7)
        for m in w:
            a = a[t.generators.perms[m]]
        for m in s:
            b = b[t.generators.perms[m]]
        assert np.array_equal(a, b)


def test_neural_heuristic_is_cached_checked_and_replaced_when_corrupt(tmp_path, monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.setenv("CAYLEY_CACHE_DIR", str(tmp_path / "cache"))
    t = PuzzleType.from_moves("toy7", TOY)
    kw = {"train_steps": 5, "batch_size": 64, "hidden": (16,), "seed": 0}
    p1 = prepare(t, list(LABELS), **kw)
    assert not p1.from_cache and p1.cache_file.startswith(str(tmp_path / "cache"))
    assert os.path.exists(p1.cache_file) and os.path.exists(p1.cache_file + ".sha256")
    p2 = prepare(t, list(LABELS), **kw)
    assert p2.from_cache and p2.cache_file == p1.cache_file
    s = np.array([[1, 0, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1, 0]])
    # the same weights; each scorer times single against pair tables, and the summation
    # order of float32 differs between them
    assert np.allclose(p1.heuristic(s), p2.heuristic(s), rtol=0, atol=1e-4)
    assert np.allclose(p1.heuristic.h(s), p2.heuristic.h(s), rtol=0, atol=1e-6)
    with open(p1.cache_file, "r+b") as f:  # corrupt one byte: the checksum catches it
        f.seek(100)
        b = f.read(1)
        f.seek(100)
        f.write(bytes([b[0] ^ 0xFF]))
    p3 = prepare(t, list(LABELS), **kw)
    assert not p3.from_cache
    # another solution pattern is another key, other training settings too
    p4 = prepare(t, list("AABBCCD"), **kw)
    assert p4.cache_file != p1.cache_file
    assert prepare(t, list(LABELS), **dict(kw, train_steps=6)).cache_file != p1.cache_file
    training = p1.heuristic.h.header["training"]
    assert training["schedule"] == "onecycle" and training["precision"] in ("float32", "bfloat16")
    res = solve_state(p2, np.array([6, 5, 4, 3, 2, 1, 0]), time_limit=1)
    assert replay_ok(t, np.array([6, 5, 4, 3, 2, 1, 0]), res.moves)


def test_preparation_training_keeps_to_its_time_budget(tmp_path, monkeypatch):
    """On a CPU too slow for the asked steps, prepare trains what its budget fits and
    says so (a CPU without bfloat16 matrix units took 19 minutes to prepare the cube
    before the budget); the steps asked stay the cache key, so the file is reused."""
    pytest.importorskip("torch")
    monkeypatch.setenv("CAYLEY_CACHE_DIR", str(tmp_path / "cache"))
    t = PuzzleType.from_moves("toy7", TOY)
    said: list[str] = []
    kw = {"train_steps": 200_000, "batch_size": 64, "hidden": (16,), "seed": 0, "bound_states": 0}
    start = time.perf_counter()
    p = prepare(t, list(LABELS), train_seconds=1.0, progress=said.append, **kw)
    assert time.perf_counter() - start < 30
    ran = p.heuristic.h.header["training"]["steps"]
    assert 50 <= ran < 200_000
    assert any(f"trained {ran} of 200000 steps" in m for m in said), said
    assert any(m.startswith("toy7: training step ") and "s left" in m for m in said), said
    again = prepare(t, list(LABELS), train_seconds=1.0, **kw)
    assert again.from_cache and again.cache_file == p.cache_file


def replay_ok(t, s, moves):
    for m in moves:
        s = s[t.move(m)]
    return s.tolist() == list(range(len(s)))


def test_replay_helper_agrees(tmp_path):
    info, pz = _files(tmp_path, count=1)
    types = read_puzzle_info(info)
    row = read_puzzles(pz, types)[0]
    p = prepare(types["toy7"], row.solution_state, heuristic="hamming")
    res = solve_state(p, row.codes()[1], time_limit=1)
    assert replay(row, types["toy7"], res.moves)


def test_one_hot_mlp_fast_path_matches_the_heuristic():
    pytest.importorskip("torch")
    from cayley.nn import train_heuristic
    from cayley.nn.scoring import OneHotMLP

    t = PuzzleType.from_moves("toy7", TOY)
    g = CayleyGraph(t.generators, np.array([0, 0, 1, 1, 2, 2, 3]))
    h = train_heuristic(g, hidden=(32, 16), steps=30, batch_size=64, symmetry="none", seed=0)
    s = np.random.default_rng(0).permuted(np.tile(g.start, (200, 1)), axis=1)
    fast = OneHotMLP(h, precision="float32", chunk=64)  # several chunks
    assert fast.fast
    assert np.allclose(fast(s), h(s), atol=1e-4)
    half = OneHotMLP(h, precision="bfloat16")
    # bfloat16 hidden layers: close, and not rounded to bfloat16 (few ties)
    assert np.abs(half(s) - h(s)).max() < 0.05 * max(1.0, np.abs(h(s)).max())
    assert len(np.unique(half(s))) > 0.9 * len(np.unique(h(s)))
    assert OneHotMLP(h).precision in ("float32", "bfloat16")
    with pytest.raises(ValueError):
        OneHotMLP(h, precision="int4")


@pytest.mark.parametrize("symmetry", ["none", "canonical"])
@pytest.mark.parametrize("start", [[0, 0, 1, 2, 3, 2, 1], [3, 1, 4, 0, 6, 5, 2]])
def test_one_hot_mlp_pair_table_is_the_same_function(start, symmetry):
    # pairs of positions (an odd degree pads the last one), relabelled symbols (a Cayley
    # graph whose start is not the identity), uint8 and int64 states, states canonicalised
    # first (colourings or conjugation and inversion): the same scores
    pytest.importorskip("torch")
    from cayley.nn import train_heuristic
    from cayley.nn.scoring import OneHotMLP

    t = PuzzleType.from_moves("toy7", TOY)
    g = CayleyGraph(t.generators, np.array(start))
    h = train_heuristic(g, hidden=(32, 16), steps=30, batch_size=64, symmetry=symmetry, seed=0)
    assert OneHotMLP(h, precision="float32").fast
    # the reflection i -> 1 - i mod 7 keeps the colouring; conjugation and inversion
    assert h.symmetry_order == {"none": 1, "canonical": 2 if start[0] == start[1] else 4}[symmetry]
    s = np.random.default_rng(0).permuted(np.tile(g.start, (200, 1)), axis=1)
    want = h(s)
    for pairs in (True, False):
        fast = OneHotMLP(h, precision="float32", chunk=64, pairs=pairs)
        assert fast.paired is pairs
        assert np.allclose(fast(s), want, atol=1e-4)
        assert np.allclose(fast(s.astype(np.uint8)), want, atol=1e-4)
    half = OneHotMLP(h, precision="bfloat16", pairs=True)
    assert np.abs(half(s) - want).max() < 0.05 * max(1.0, np.abs(want).max())
    assert OneHotMLP(h).paired in (True, False)  # "auto": by a timing
    with pytest.raises(ValueError):
        OneHotMLP(h, pairs="maybe")


def test_one_hot_mlp_falls_back_for_other_architectures():
    pytest.importorskip("torch")
    from cayley.nn import NeuralHeuristic
    from cayley.nn.scoring import OneHotMLP

    t = PuzzleType.from_moves("toy7", TOY)
    g = CayleyGraph(t.generators, np.array([0, 0, 1, 1, 2, 2, 3]))
    h = NeuralHeuristic(g, arch="resmlp", hidden=(16,), blocks=1, symmetry="none", seed=0)
    fast = OneHotMLP(h, chunk=7)
    s = np.random.default_rng(1).permuted(np.tile(g.start, (20, 1)), axis=1)
    assert not fast.fast and np.allclose(fast(s), h(s))


def test_training_steps_shrink_with_the_network_and_prepare_uses_them():
    from cayley.puzzles.solve import TRAIN_STEPS, train_steps_for

    cube = train_steps_for(54 * 6, (512, 256))
    assert cube == TRAIN_STEPS  # the reference network keeps the full budget
    bigger = [train_steps_for(n * 6, (512, 256)) for n in (54, 96, 150, 1000)]
    assert bigger == sorted(bigger, reverse=True) and bigger[1] < TRAIN_STEPS
    assert train_steps_for(10, (8,)) == TRAIN_STEPS  # never scaled up
    assert train_steps_for(10**6, (4096, 4096)) == 1000  # nor below the floor
    t = PuzzleType.from_moves("toy7", TOY)
    p = prepare(t, list("AABBCCD"), heuristic="hamming")
    assert p.info["settings"]["steps"] == train_steps_for(7 * 4, (512, 256))
    assert prepare(t, list("AABBCCD"), heuristic="hamming", train_steps=7).info["settings"]["steps"] == 7


def test_encode_into_a_buffer_is_the_same_encoding():
    pytest.importorskip("torch")
    from cayley.nn import NeuralHeuristic

    t = PuzzleType.from_moves("toy7", TOY)
    h = NeuralHeuristic(CayleyGraph(t.generators, np.array([0, 0, 1, 1, 2, 2, 3])), hidden=(8,), seed=0)
    s = np.random.default_rng(0).permuted(np.tile(h.target, (30, 1)), axis=1)
    want = h.encode(s)
    buf = np.full((40, want.shape[1]), 7.0, dtype=np.float32)  # stale values must be cleared
    got = h.encode(s, out=buf)
    assert np.array_equal(got, want) and np.shares_memory(got, buf)
    small = np.zeros((3, want.shape[1]), dtype=np.float32)  # too small: a fresh array
    assert np.array_equal(h.encode(s, out=small), want) and not np.shares_memory(h.encode(s, out=small), small)
