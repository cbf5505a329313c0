"""NTK permutation ensembles: closed-form kernel predictor, batched training, rounding."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from cayley.errors import InvalidInputError  # noqa: E402
from cayley.groups import act  # noqa: E402
from cayley.nn.ntk import PermutationEnsemble, arccos_kernel, binary_inputs, random_permutation  # noqa: E402


def test_arccos_kernel_matches_monte_carlo():
    """Oracle: the closed form against a Monte-Carlo average over random first-layer weights."""
    rng = np.random.default_rng(0)
    k = 6
    a = binary_inputs(k)[[0, 2, 6, 62]].astype(float)
    w = rng.normal(0, 1 / np.sqrt(k), size=(400_000, k))
    h = np.maximum(a @ w.T, 0)
    mc = h @ h.T / len(w)
    assert np.allclose(arccos_kernel(a, a), mc, rtol=0.02, atol=2e-3)


@pytest.mark.parametrize("k", [2, 3, 5, 8, 12, 16])
def test_analytic_mean_sign_pattern(k):
    """Acceptance: the infinite-width mean has the sign pattern of Px on every input with
    at least two ones (all 2^k - 1 - k of them), and equals Px on the training vectors."""
    ens = PermutationEnsemble(k, width=8, n_models=1, steps=1, seed=0).fit(random_permutation(k, seed=k))
    x = binary_inputs(k)
    mu, var = ens.analytic_mean_var(x)
    want = act(x, ens.perm)
    multi = x.sum(axis=1) >= 2
    assert multi.sum() == 2**k - 1 - k
    assert np.array_equal(np.sign(mu[multi]), 2 * want[multi] - 1)
    assert np.allclose(mu[~multi], want[~multi], atol=1e-12)
    assert np.allclose(var[~multi], 0, atol=1e-12) and np.all(var[multi] > 0)


def test_analytic_reference_numbers():
    """The background note's closed-form figures: the hardest (two-ones) zero coordinate,
    the posterior sd, and the smallest positive mean (all ones, k = 30)."""
    ref_zero = {5: -0.0396, 10: -0.0233, 16: -0.0156, 30: -0.0088}
    for k, z in ref_zero.items():
        ens = PermutationEnsemble(k, width=8, n_models=1, steps=1, seed=0).fit(np.arange(k))
        two = np.zeros((1, k), dtype=int)
        two[0, :2] = 1
        mu, var = ens.analytic_mean_var(two)
        assert abs(float(mu[0, -1]) - z) <= 1e-4  # the note quotes 4 decimals
        if k in (10, 30):
            assert round(float(np.sqrt(var[0])), 3) == {10: 0.079, 30: 0.045}[k]
    mu, _ = PermutationEnsemble(30, width=8, n_models=1, steps=1, seed=0).fit(np.arange(30)).analytic_mean_var(
        np.ones((1, 30), dtype=int)
    )
    assert round(float(mu[0, 0]), 2) == 0.04


def test_batched_training_equals_one_network_at_a_time():
    """The batched tensor trains each network exactly as it would be trained alone: a
    network's weights do not depend on the others (compared with autograd on one model)."""
    k, m, steps = 5, 32, 40
    p = random_permutation(k, seed=1)
    ens = PermutationEnsemble(k, width=m, n_models=3, steps=steps, dtype="float64", seed=4).fit(p)
    gen = torch.Generator().manual_seed(4)
    w1 = torch.randn((3, m, k), generator=gen, dtype=torch.float64) / np.sqrt(k)
    w2 = torch.randn((3, k, m), generator=gen, dtype=torch.float64) / np.sqrt(m)
    x = torch.eye(k, dtype=torch.float64)
    y = torch.as_tensor(act(np.eye(k), p), dtype=torch.float64)
    a, b = w1[1].clone().requires_grad_(), w2[1].clone().requires_grad_()
    opt = torch.optim.SGD([a, b], lr=ens.lr)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((torch.relu(x @ a.T) @ b.T - y) ** 2).sum() / (2 * k)
        loss.backward()
        opt.step()
    assert torch.allclose(ens.w1[1], a.detach(), atol=1e-12)
    assert torch.allclose(ens.w2[1], b.detach(), atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_k8_m128_recovers_permutation_on_all_inputs(seed):
    """Acceptance: k = 8, M = 128, tau = 0.01: exact on all 255 nonzero inputs, 3 of 3 seeds."""
    torch.set_num_threads(1)
    ens = PermutationEnsemble(8, width=512, n_models=128, steps=200, seed=seed).fit(random_permutation(8, seed=seed))
    assert ens.train_mse < 1e-10
    x = binary_inputs(8)
    assert np.array_equal(ens.predict(x, tau=0.01), act(x, ens.perm))
    assert ens.exact_match_rate(x) == 1.0
    # the ensemble mean approaches the infinite-width mean
    mu, var = ens.analytic_mean_var(x)
    assert np.max(np.abs(ens.mean(x) - mu)) < 6 * np.sqrt(var.max() / 128) + 0.02


def test_tau_zero_fails_on_the_training_vectors():
    """Documents the rounding pitfall: the zero coordinates of the mean at a training vector
    are training residuals of either sign, so tau = 0 gets (almost) every training vector
    wrong while tau = 0.01 gets them all right."""
    torch.set_num_threads(1)
    ens = PermutationEnsemble(8, width=512, n_models=64, steps=200, seed=0).fit(random_permutation(8, seed=0))
    e = np.eye(8, dtype=int)
    zeros = ens.mean(e)[act(e, ens.perm) == 0]
    assert np.abs(zeros).max() < 1e-5 and (zeros > 0).any() and (zeros < 0).any()
    assert ens.exact_match_rate(e, tau=0.0) < 0.5
    assert ens.exact_match_rate(e, tau=0.01) == 1.0


def test_exact_match_curve_prefix_sizes_agree_with_smaller_ensembles():
    """The curve's M' entry is the ensemble of the first M' networks."""
    ens = PermutationEnsemble(6, width=64, n_models=16, steps=100, seed=3).fit(random_permutation(6, seed=3))
    x = binary_inputs(6)
    curve = ens.exact_match_curve(x, sizes=[4, 16])
    small = PermutationEnsemble(6, width=64, n_models=16, steps=100, seed=3).fit(ens.perm)
    small.w1, small.w2, small.n_models = small.w1[:4], small.w2[:4], 4
    assert curve[4] == small.exact_match_rate(x)
    assert curve[16] == ens.exact_match_rate(x)


def test_binary_inputs_sample():
    x = binary_inputs(22, sample=500, seed=1)
    assert len(np.unique(x, axis=0)) == len(x) == 22 + 231 + 500
    assert (x.sum(axis=1)[253:] >= 3).all()
    assert len(binary_inputs(10)) == 1023


@pytest.mark.parametrize(
    "call",
    [
        lambda: PermutationEnsemble(0),
        lambda: PermutationEnsemble(4, width=-1),
        lambda: PermutationEnsemble(4, dtype="float16"),
        lambda: PermutationEnsemble(4, n_models=2, width=4).fit([0, 1, 2]),
        lambda: PermutationEnsemble(4, n_models=2, width=4).fit([0, 1, 1, 2]),
        lambda: PermutationEnsemble(4, n_models=2, width=4).predict([1, 0, 0, 0]),
        lambda: PermutationEnsemble(2, n_models=2, width=4, steps=1).fit([1, 0]).predict([0, 0]),
        lambda: PermutationEnsemble(2, n_models=2, width=4, steps=1).fit([1, 0]).predict([2, 0]),
        lambda: binary_inputs(40),
    ],
)
def test_bad_input(call):
    with pytest.raises(InvalidInputError):
        call()
