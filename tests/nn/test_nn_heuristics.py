"""Neural path-finding heuristics: invariance under the generator set's symmetries, training,
beam search through the Heuristic protocol, saving and loading."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from cayley import CayleyGraph  # noqa: E402
from cayley.errors import InvalidInputError  # noqa: E402
from cayley.graphs.heuristics import Heuristic, PatternDatabase  # noqa: E402
from cayley.graphs.paths import beam_search  # noqa: E402
from cayley.groups import act, compose, inverse  # noqa: E402
from cayley.groups import generator_symmetries  # noqa: E402
from cayley.nn.heuristics import NeuralHeuristic  # noqa: E402
from cayley.nn.training import _bfs_dataset, train_heuristic  # noqa: E402


def _conj(pi, g):
    return compose(inverse(pi), compose(g, pi))


def test_distance_is_invariant_under_the_symmetries():
    """Oracle check of the mathematics: exact distances (BFS) of lrx n = 7 are invariant under
    the conjugators and inversion; a random conjugator breaks invariance."""
    g = CayleyGraph.from_spec("S_7", "lrx")
    s, d = _bfs_dataset(g)
    table = {row.tobytes(): dist for row, dist in zip(s, d)}

    def dist(states):
        return np.array([table[row.tobytes()] for row in np.ascontiguousarray(states, dtype=s.dtype)])

    for pi in generator_symmetries(g.generators):
        assert np.array_equal(dist(_conj(pi, s)), d)
    assert np.array_equal(dist(inverse(s)), d)
    assert not np.array_equal(dist(_conj(np.array([3, 1, 4, 0, 6, 5, 2]), s)), d)


def test_input_group_acts_as_conjugation_and_inversion_on_one_hot():
    g = CayleyGraph.from_spec("S_6", "lrx")
    h = NeuralHeuristic(g, hidden=(4,), seed=0)
    sym = NeuralHeuristic(g, hidden=(4,), symmetry="augment", seed=0)
    assert sym.symmetry_order == 4 and sym.group.order() == 4
    s = np.random.default_rng(0).permuted(np.tile(np.arange(6), (20, 1)), axis=1)
    x = h.encode(s)
    images = {act(x, e).tobytes() for e in sym.group.elements()}
    expected = {h.encode(_conj(pi, t)).tobytes() for pi in generator_symmetries(g.generators)
                for t in (s, inverse(s))}
    assert images == expected


@pytest.fixture(scope="module")
def lrx8():
    g = CayleyGraph.from_spec("S_8", "lrx")
    states, dist = _bfs_dataset(g)
    return g, states, dist


def test_bfs_dataset_is_exact(lrx8):
    g, states, dist = lrx8
    assert len(states) == 40320 and len(np.unique(states, axis=0)) == 40320
    assert np.array_equal(dist, PatternDatabase.build(g).distance(states))


def _random_states(n, m, seed):
    return np.random.default_rng(seed).permuted(np.tile(np.arange(n), (m, 1)), axis=1)


def _assert_bitwise_invariant(h, g, s):
    base = h(s)
    for pi in generator_symmetries(g.generators):
        assert np.array_equal(h(_conj(pi, s)), base)
        assert np.array_equal(h(inverse(_conj(pi, s))), base)
    return base


def test_canonical_model_is_bitwise_invariant(lrx8):
    """Acceptance: the canonicalised model's outputs on 1000 random lrx n = 8 states are
    bitwise equal under every conjugator and inversion (a briefly trained model)."""
    g, states, dist = lrx8
    h = train_heuristic(g, states=states[:3000], distances=dist[:3000], hidden=(64, 64), symmetry="canonical",
                        steps=60, batch_size=256, seed=0)
    s = _random_states(8, 1000, 1)
    base = _assert_bitwise_invariant(h, g, s)
    assert len(np.unique(base)) > 50  # not a constant model
    plain = NeuralHeuristic(g, hidden=(64, 64), seed=0)
    assert not np.array_equal(plain(inverse(s)), plain(s))  # the plain model is not invariant


@pytest.mark.slow
def test_symmetric_model_mae_no_worse_at_equal_data(lrx8):
    """Acceptance (lrx n = 8, exact BFS distances): trained on the same 20% of the states,
    the canonicalised model's MAE on the other 80% is no worse than the plain MLP's; it is
    bitwise invariant. (About a minute on two cores; benchmarks/neural_heuristics.py runs
    three seeds and the other variants.)"""
    g, states, dist = lrx8
    idx = np.random.default_rng(0).permutation(len(states))
    tr, te = idx[:8064], idx[8064:]
    kw = dict(states=states[tr], distances=dist[tr], hidden=(256, 256), steps=1500, batch_size=512, seed=0)
    plain = train_heuristic(g, symmetry="none", **kw)
    canon = train_heuristic(g, symmetry="canonical", **kw)
    mae_plain = np.abs(plain(states[te]) - dist[te]).mean()
    mae_canon = np.abs(canon(states[te]) - dist[te]).mean()
    constant = np.abs(dist[te] - np.median(dist[tr])).mean()
    print(f"lrx8 MAE plain {mae_plain:.3f} canonical {mae_canon:.3f} best constant {constant:.3f}")
    assert mae_canon <= mae_plain < constant
    _assert_bitwise_invariant(canon, g, _random_states(8, 1000, 1))


def test_average_mode_is_invariant_up_to_rounding(lrx8):
    g, states, dist = lrx8
    h = train_heuristic(g, states=states[:2000], distances=dist[:2000], hidden=(32,), symmetry="average",
                        steps=30, batch_size=256, seed=0)
    s = np.random.default_rng(2).permuted(np.tile(np.arange(8), (200, 1)), axis=1)
    assert np.allclose(h(inverse(s)), h(s), atol=1e-4)
    pi = generator_symmetries(g.generators)[1]
    assert np.allclose(h(_conj(pi, s)), h(s), atol=1e-4)


def test_trained_heuristic_guides_beam_search():
    """The Heuristic protocol: beam_search takes a trained model unchanged; paths are valid."""
    g = CayleyGraph.from_spec("S_8", "lrx")
    h = train_heuristic(g, hidden=(64, 64), steps=200, batch_size=512, seed=0)
    assert isinstance(h, Heuristic)
    rng = np.random.default_rng(3)
    for i in range(3):
        p = beam_search(g, rng.permutation(8), h, beam_width=128, seed=i)
        assert p.is_valid() and p.method == "beam"
    # a state two moves from the target: the heuristic ranks it above a far one
    near = g.start[g.generators.perms[0]][g.generators.perms[2]]
    assert h(near)[0] < h(np.array([7, 6, 5, 4, 3, 2, 1, 0]))[0]


def test_other_target_relabels_states():
    g = CayleyGraph.from_spec("S_5", "pancake", start=[4, 3, 2, 1, 0])
    h = NeuralHeuristic(g, hidden=(8,), symmetry="canonical", seed=0)
    assert h.encode([4, 3, 2, 1, 0]).reshape(5, 5).tolist() == np.eye(5).tolist()
    with pytest.raises(InvalidInputError, match="measures distance"):
        beam_search(CayleyGraph.from_spec("S_5", "pancake"), [1, 0, 2, 3, 4], h)


def test_schreier_graph_offers_canonical_or_none():
    g = CayleyGraph.from_spec("S_6", "lrx", start=[0, 0, 0, 1, 1, 1])
    for symmetry in ("augment", "average"):
        with pytest.raises(InvalidInputError, match="symmetry='canonical' or 'none'"):
            NeuralHeuristic(g, hidden=(4,), symmetry=symmetry)
    h = train_heuristic(g, data="bfs", symmetry="none", hidden=(16,), steps=20, batch_size=20, seed=0)
    assert h([[1, 1, 1, 0, 0, 0]]).shape == (1,)
    h = train_heuristic(g, data="bfs", symmetry="canonical", hidden=(16,), steps=20, batch_size=20, seed=0)
    assert h.symmetry_order == 1  # lrx's reflection i -> 1 - i mod 6 does not map 000111 to a recolouring
    g = CayleyGraph.from_spec("S_6", "lrx", start=[0, 1, 0, 1, 0, 1])
    h = train_heuristic(g, data="bfs", symmetry="canonical", hidden=(16,), steps=20, batch_size=20, seed=0)
    assert h.symmetry_order == 2  # now it does, exchanging the two colours
    s = np.array([[1, 1, 0, 0, 1, 0]])
    assert np.array_equal(h(s), h(1 - s[:, [1, 0, 5, 4, 3, 2]]))


def test_puzzle_heuristic_is_invariant_under_the_cubes_48_symmetries(tmp_path):
    """A puzzle (the 3x3x3 cube as a colouring, a Schreier graph) with symmetry
    "canonical": the model sees the least image under the cube's 48 colouring symmetries,
    so every image of a state scores bitwise the same, in the plain call, in the fast
    scorer (which canonicalises first) and after a save and load."""
    from cayley.groups import colouring_symmetries
    from cayley.groups.puzzles import face_colours, rubiks_cube_333
    from cayley.graphs.paths import random_walks
    from cayley.nn.scoring import OneHotMLP

    g = CayleyGraph(rubiks_cube_333(inverses=True), face_colours(54))
    h = train_heuristic(g, hidden=(32, 16), steps=30, batch_size=256, walk_length=20, seed=0)
    assert h.symmetry == "canonical" and h.symmetry_order == 48
    s = random_walks(g, count=20, length=20, mode="non_backtracking", seed=1).states
    fast = OneHotMLP(h, precision="float32", pairs=True)
    base, fbase = h(s), fast(s)
    assert np.allclose(base, fbase, atol=1e-4) and len(np.unique(base)) > 10
    pis, sigmas = colouring_symmetries(g.generators, g.start)
    for pi, sigma in zip(pis, sigmas):
        image = np.empty_like(s)
        image[:, pi] = sigma[s]
        assert np.array_equal(h(image), base) and np.array_equal(fast(image), fbase)
    h.save(tmp_path / "h.pt")
    assert np.array_equal(NeuralHeuristic.load(tmp_path / "h.pt")(s), base)


def test_save_load_roundtrip(tmp_path):
    g = CayleyGraph.from_spec("S_6", "lrx")
    h = train_heuristic(g, arch="resmlp", hidden=(32,), blocks=2, symmetry="canonical", steps=20, batch_size=64,
                        seed=0)
    f = tmp_path / "h.pt"
    h.save(f)
    h2 = NeuralHeuristic.load(f)
    s = np.random.default_rng(0).permuted(np.tile(np.arange(6), (50, 1)), axis=1)
    assert np.array_equal(h(s), h2(s))
    assert h2.graph == g and h2.arch == "resmlp" and h2.blocks == 2 and h2.symmetry == "canonical"
    assert h2.header["training"]["steps"] == 20
    (tmp_path / "junk.pt").write_bytes(b"not a torch file")
    with pytest.raises(InvalidInputError, match="not a cayley heuristic"):
        NeuralHeuristic.load(tmp_path / "junk.pt")
    torch.save({"state_dict": {}}, tmp_path / "other.pt")
    with pytest.raises(InvalidInputError, match="not a cayley heuristic"):
        NeuralHeuristic.load(tmp_path / "other.pt")


@pytest.mark.parametrize(
    "kwargs",
    [dict(arch="cnn"), dict(symmetry="all"), dict(hidden=()), dict(hidden=(0,)), dict(blocks=-1)],
)
def test_bad_model_options(kwargs):
    with pytest.raises(InvalidInputError):
        NeuralHeuristic(CayleyGraph.from_spec("S_4", "lrx"), **kwargs)


def test_bad_training_input():
    g = CayleyGraph.from_spec("S_4", "lrx")
    with pytest.raises(InvalidInputError):
        train_heuristic(g, data="dfs")
    with pytest.raises(InvalidInputError):
        train_heuristic(g, states=np.zeros((3, 4), dtype=int))
    with pytest.raises(InvalidInputError):
        train_heuristic(g, steps=0)
    with pytest.raises(InvalidInputError, match="walk_mode"):
        train_heuristic(g, steps=1, walk_mode="levy")
    h = NeuralHeuristic(g, hidden=(4,))
    with pytest.raises(InvalidInputError):
        h(np.array([[0, 1, 2]]))
    with pytest.raises(InvalidInputError):
        h(np.array([[0, 1, 2, 9]]))


def test_bfloat16_one_cycle_training_learns_the_distances():
    # the forward passes run under bfloat16 autocast; the weights stay float32
    g = CayleyGraph.from_spec("S_5", "lrx")
    h = train_heuristic(g, data="bfs", hidden=(64, 64), steps=150, batch_size=120, seed=0, precision="bfloat16",
                        schedule="onecycle")
    assert h.header["training"]["precision"] == "bfloat16" and h.header["training"]["schedule"] == "onecycle"
    assert all(p.dtype == torch.float32 for p in h.model.parameters())
    s = np.random.default_rng(0).permuted(np.tile(np.arange(5), (50, 1)), axis=1)
    assert np.abs(h(s) - PatternDatabase.build(g).distance(s)).mean() < 1.0
    with pytest.raises(InvalidInputError, match="precision"):
        train_heuristic(g, steps=1, precision="float16")
    with pytest.raises(InvalidInputError, match="schedule"):
        train_heuristic(g, steps=1, schedule="cosine")


def test_time_budget_cuts_the_steps():
    """A budget the asked steps cannot fit (100,000 steps, about a millisecond each)
    ends the training near the budget, the header saying how many steps ran and the
    progress reports counting to that new total. A budget they fit: every step."""
    import time

    import cayley.nn.training as training

    g = CayleyGraph.from_spec("S_5", "lrx")
    seen = []
    t = time.perf_counter()
    h = train_heuristic(g, data="bfs", hidden=(16,), steps=100_000, batch_size=32, seed=0, schedule="onecycle",
                        time_budget=0.5, progress=lambda step, steps, loss: seen.append((step, steps)))
    spent = time.perf_counter() - t
    ran = h.header["training"]["steps"]
    assert h.header["training"]["steps_asked"] == 100_000
    assert training.CALIBRATION <= ran < 100_000 and spent < 20, (ran, spent)
    assert seen[-1] == (ran, ran)
    full = train_heuristic(g, data="bfs", hidden=(16,), steps=120, batch_size=32, seed=0, time_budget=1e9)
    assert full.header["training"]["steps"] == 120
    with pytest.raises(InvalidInputError, match="time_budget"):
        train_heuristic(g, steps=1, time_budget=0)


def test_time_budget_gives_back_steps_a_slow_start_took(monkeypatch):
    """The first steps run slower (kernels built, the first walks drawn): a later timing
    that finds the steps faster plans more of them again, never more than asked."""
    import types

    import cayley.nn.training as training

    calls = iter([0.0, 0.0, 2.5, 12.5])  # the start, the fit's start, steps 50 and 500

    def perf_counter():
        return next(calls, 13.0)

    monkeypatch.setattr(training, "time", types.SimpleNamespace(perf_counter=perf_counter))
    g = CayleyGraph.from_spec("S_5", "lrx")
    plans = []
    h = train_heuristic(g, data="bfs", hidden=(8,), steps=10_000, batch_size=16, seed=0, schedule="onecycle",
                        time_budget=30.0, progress=lambda step, steps, loss: plans.append(steps))
    # 50 ms a step at step 50: 600 fit in 30 s; 25 ms a step at step 500: 1200
    assert plans[0] == 10_000 and 600 in plans and h.header["training"]["steps"] == 1200 and plans[-1] == 1200


def test_reduced_walks_train_a_heuristic():
    g = CayleyGraph.from_spec("S_5", "lrx")
    h = train_heuristic(g, hidden=(64, 64), steps=200, batch_size=256, walk_length=10, walk_mode="reduced", seed=0,
                        symmetry="none")
    assert h.header["training"]["data"] == "walks (reduced)"
    s = np.random.default_rng(0).permuted(np.tile(np.arange(5), (50, 1)), axis=1)
    d = PatternDatabase.build(g).distance(s)
    # measured: correlation 0.93 with the exact distances; a constant guess has none
    assert np.corrcoef(h(s), d)[0, 1] > 0.8


@pytest.mark.parametrize("spec,start,symmetry", [
    ("S_6 lrx", None, "none"),                  # a Cayley graph: symbols relabelled by the start's inverse
    ("S_6 lrx", [2, 0, 1, 5, 3, 4], "canonical"),
    ("S_6 coxeter", [0, 0, 1, 1, 2, 2], "canonical"),  # a Schreier graph of colourings
])
def test_training_batches_are_the_encoded_walk_states(spec, start, symmetry):
    """Training builds each batch's one-hot input from a pool of symbols
    (input_codes, then _one_hot in float32 or bfloat16): the same rows as encode() of the
    walk states it drew, replayed here from the same random stream."""
    from cayley.graphs.paths import random_walks
    from cayley.nn.training import _REFRESH, _walk_batches

    name, gens = spec.split()
    g = CayleyGraph.from_spec(name, gens)
    if start is not None:
        g = CayleyGraph(g.generators, np.array(start))
    h = NeuralHeuristic(g, hidden=(8,), symmetry=symmetry, seed=0)
    batch, length = 64, 6
    for dtype in (torch.float32, torch.bfloat16):
        xb, yb = next(_walk_batches(h, g, np.random.default_rng(7), batch, length, "non_backtracking", 6.0, dtype))
        rng = np.random.default_rng(7)  # the same draws: the pool's walks, then its order
        w = random_walks(g, count=max(1, _REFRESH * batch // (length + 1)), length=length,
                         mode="non_backtracking", seed=rng)
        part = rng.permutation(len(w.states))[:batch]
        assert xb.dtype == dtype and np.array_equal(xb.float().numpy(), h.encode(w.states[part]))
        assert np.array_equal(yb, (w.steps[part] / 6.0).astype(np.float32))
