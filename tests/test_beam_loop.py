"""The one beam-search loop (run_beam) over both backends' primitives: same contract
(valid paths into the ball, breadth-first when never cut, dead ends, deadlines), and the
ball's exact look-ups."""

from __future__ import annotations

import time

import numpy as np
import pytest

from cayley.errors import NoPathError
from cayley.graphs import CayleyGraph
from cayley.graphs.heuristics import Breakpoints, Hamming
from cayley.groups import GeneratorSet
from cayley.graphs.paths import Ball, CpuBeamOps, TorchBeamOps, run_beam, shortest_path


def _ops(kind, g, seed):
    if kind == "torch":
        pytest.importorskip("torch")
        return TorchBeamOps(g, seed, "cpu")
    return CpuBeamOps(g, seed)


def _apply(g, s, moves):
    s = np.array(s)
    for m in moves:
        s = s[g.generators.perms[m]]
    return s


@pytest.mark.parametrize("kind", ["cpu", "torch"])
def test_run_beam_paths_end_in_the_target_on_both_backends(kind):
    g = CayleyGraph.from_spec("S_12", "pancake")
    rng = np.random.default_rng(0)
    ball = Ball(g, g.start, 2)
    for _ in range(5):
        s = rng.permutation(12)
        moves, explored, cut = run_beam(_ops(kind, g, 1), s, ball, Breakpoints(g.start), 16, 500)
        assert np.array_equal(_apply(g, s, moves), g.start) and cut and explored > 1
    # never cut: a breadth-first search meeting the ball, hence a shortest path
    g = CayleyGraph.from_spec("S_8", "lrx")
    ball = Ball(g, g.start, 3)
    s = rng.permutation(8)
    moves, _, cut = run_beam(_ops(kind, g, 0), s, ball, None, 10**7, 100)
    assert not cut and len(moves) == shortest_path(g, s).length


@pytest.mark.parametrize("kind", ["cpu", "torch"])
def test_run_beam_dead_end_step_limit_and_deadline(kind):
    g = CayleyGraph.from_spec("S_6", "lrx")
    far = np.array([5, 4, 3, 2, 1, 0])
    ball = Ball(g, g.start, 0)
    with pytest.raises(NoPathError, match="within 2 steps"):
        run_beam(_ops(kind, g, 0), far, ball, Hamming(g.start), 4, 2)
    with pytest.raises(NoPathError, match="out of time"):
        run_beam(_ops(kind, g, 0), far, ball, Hamming(g.start), 4, 100, deadline=time.perf_counter() - 1)
    # a 6-cycle alone never reaches a transposition: the search runs out of unseen states
    cyc = CayleyGraph(GeneratorSet.from_perms([[1, 2, 3, 4, 5, 0]]))
    with pytest.raises(NoPathError, match="unseen"):
        run_beam(_ops(kind, cyc, 0), np.array([1, 0, 2, 3, 4, 5]), Ball(cyc, cyc.start, 0), None, 4, 100,
                 history=100)


@pytest.mark.parametrize("kind", ["cpu", "torch"])
def test_a_beam_near_its_deadline_narrows_instead_of_failing(kind):
    # a slow heuristic (exact distances, 100 us a state): full beams of 1024 would need
    # up to 0.6 s a step, 1.4 s in all; with a deadline 1.0 s away the beam narrows to
    # what half the time left fits and still finishes in time
    from cayley.graphs.heuristics import PatternDatabase

    g = CayleyGraph.from_spec("S_8", "pancake")
    exact = PatternDatabase.build(g)
    far = np.array([3, 7, 1, 5, 0, 6, 2, 4])
    exact.distance(far[None])  # compiled before the clock starts

    def slow(states):
        time.sleep(1e-4 * len(states))
        return exact.distance(np.asarray(states))

    ops, ball = _ops(kind, g, 0), Ball(g, g.start, 1)
    t = time.perf_counter()
    moves, _, cut = run_beam(ops, far, ball, slow, 1024, 100, deadline=t + 1.0)
    assert cut and np.array_equal(_apply(g, far, moves), g.start)
    assert time.perf_counter() - t < 2.0


def test_a_step_whose_scoring_is_slow_stops_at_the_deadline(monkeypatch):
    # a heuristic slowed by an outside load (0.5 ms a state): step 4 is the first to cut
    # the beam and scores about 3000 new candidates (1.5 s); the deadline is 0.3 s
    # away, so the search must give up within about one slice (100 states, 50 ms) of it
    # instead of finishing the step
    import cayley.graphs.paths.beam as beam

    monkeypatch.setattr(beam, "SCORE_SLICE", 100)
    g = CayleyGraph.from_spec("S_10", "pancake")
    far = np.random.default_rng(3).permutation(10)
    ham = Hamming(g.start)
    ball = Ball(g, g.start, 0)
    run_beam(CpuBeamOps(g, 0), far, ball, ham, 2000, 100)  # the kernels compiled before the clock starts

    def loaded(states):
        time.sleep(5e-4 * len(states))
        return ham(np.asarray(states))

    t = time.perf_counter()
    with pytest.raises(NoPathError, match="out of time"):
        run_beam(CpuBeamOps(g, 0), far, ball, loaded, 2000, 100, deadline=t + 0.3)
    assert time.perf_counter() - t < 0.6


def test_ball_lookup_depths_match_breadth_first_distances():
    g = CayleyGraph.from_spec("S_7", "pancake")
    ball = Ball(g, g.start, 4)
    assert ball.radius == 4 and sum(ball.layer_sizes) == ball.size
    rng = np.random.default_rng(1)
    states = np.array([rng.permutation(7) for _ in range(200)])
    pos = ball.lookup(ball.encode(states))
    for s, p in zip(states, pos):
        d = shortest_path(g, s).length
        assert (p >= 0) == (d <= 4)
        if p >= 0:
            assert ball.depth[p] == d
            assert np.array_equal(_apply(g, s, ball.path_from(int(p))), g.start)
