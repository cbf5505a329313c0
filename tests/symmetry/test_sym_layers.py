"""Torch layers: equivariance at float32 / float64 on S_n, O(3) and the cube group; learning."""

from __future__ import annotations

import time

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from cayley.symmetry import (  # noqa: E402
    EMLP,
    MLP,
    EquivariantBilinear,
    EquivariantLinear,
    GatedNonlinearity,
    O,
    RubiksCube,
    S,
    Sign,
    T,
    Trivial,
    V,
    assert_equivariant,
    equivariant_basis,
    gated,
)

ATOL = {torch.float32: 1e-5, torch.float64: 1e-10}
DTYPES = [torch.float32, torch.float64]


def _cases():
    s, o, c = S(5), O(3), RubiksCube()
    return [
        ("S5 V->T2", V(s), T(2, 0, s)),
        ("S5 T2+V->T2+T0", T(2, 0, s) + V(s), T(2, 0, s) + Trivial(s)),
        ("O3 2V+T0->T2+V", 2 * V(o) + Trivial(o), T(2, 0, o) + V(o)),
        ("O3 T2->Sign+V", T(2, 0, o), Sign(o) + V(o)),
        ("cube V->V", V(c), V(c)),
        ("cube 2V+T0->V+T0", 2 * V(c) + Trivial(c), V(c) + Trivial(c)),
    ]


CASES = _cases()


def _randomise(model, seed=0):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype) * 0.5)
    return model


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name, rep_in, rep_out", CASES, ids=[c[0] for c in CASES])
def test_equivariant_linear(name, rep_in, rep_out, dtype):
    layer = _randomise(EquivariantLinear(rep_in, rep_out)).to(dtype)
    assert_equivariant(layer, rep_in, rep_out, atol=ATOL[dtype], rtol=ATOL[dtype] / 10)
    # W lies in the span of the basis and every basis map is used
    B = equivariant_basis(rep_in, rep_out)
    W = layer.weight().detach().double().numpy()
    assert np.allclose(B.project(W), W, atol=1e-5)
    assert sum(p.numel() for p in layer.weights) == B.dim


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize(
    "group", [S(5), O(3), RubiksCube()], ids=["S5", "O3", "cube"]
)
def test_gated_nonlinearity_and_bilinear(group, dtype):
    rep = 2 * V(group) + Trivial(group) + (T(2, 0, group) if group.d < 10 else V(group))
    for module, rin, rout in [
        (GatedNonlinearity(rep), gated(rep), rep),
        (EquivariantBilinear(gated(rep)), gated(rep), gated(rep)),
    ]:
        module = _randomise(module).to(dtype)
        assert_equivariant(module, rin, rout, atol=ATOL[dtype], rtol=ATOL[dtype] / 10, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("group", [S(4), O(3), RubiksCube()], ids=["S4", "O3", "cube"])
def test_emlp_is_equivariant(group, dtype):
    torch.manual_seed(0)
    rep_in = 2 * V(group)
    rep_out = V(group) + Trivial(group)
    model = EMLP(rep_in, rep_out, ch=48 if group.d < 10 else 120, num_layers=2).to(dtype)
    _randomise(model, 1)
    # scale-aware: random weights give outputs of size ~1e2
    assert_equivariant(model, rep_in, rep_out, atol=ATOL[dtype], rtol=ATOL[dtype] / 10)


def test_layers_take_no_device_and_move_with_to():
    layer = EquivariantLinear(V(O(3)), T(2, 0, O(3)))
    # basis tensors stay float64 (a float32-rounded basis is not equivariant in float64)
    assert all(not b.is_floating_point() or b.dtype == torch.float64 for b in layer.buffers())
    assert all(b.dtype == torch.float64 for b in layer.float().buffers() if b.is_floating_point())
    assert all(p.dtype == torch.float32 for p in layer.parameters())
    layer = layer.double()
    assert all(p.dtype == torch.float64 for p in layer.parameters())
    y = layer(torch.randn(3, 3, dtype=torch.float64))
    assert y.dtype == torch.float64 and y.shape == (3, 9)


def test_sparse_orbital_basis_for_large_permutation_reps():
    """The cube's Hom(T2, V) basis (157 464 entries, 645 maps) is stored as labels."""
    c = RubiksCube()
    layer = EquivariantLinear(T(2, 0, c), V(c), bias=False)
    (name,) = [n for n, _ in layer.named_buffers() if n.startswith("_basis")]
    buf = dict(layer.named_buffers())[name]
    assert buf.dtype == torch.int64 and buf.shape == (54 * 54 * 54,)
    assert layer.n_basis == 645
    assert_equivariant(layer.double(), T(2, 0, c), V(c), n_random=3, batch=2)


def _o5_data(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 10, generator=g, dtype=torch.float64)
    x1, x2 = x[:, :5], x[:, 5:]
    n1, n2 = x1.norm(dim=1), x2.norm(dim=1)
    y = torch.sin(n1) - 0.5 * n2**3 + (x1 * x2).sum(1) / (n1 * n2)
    return x.float(), y[:, None].float()


def _fit(model, x, y, xte, yte, epochs, lr=3e-3, bs=100):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * (len(x) // bs)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    g = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), bs):
            idx = perm[i : i + bs]
            loss = ((model(x[idx]) - y[idx]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    with torch.no_grad():
        return float(((model(xte) - yte) ** 2).mean())


@pytest.mark.slow
def test_emlp_beats_mlp_on_o5_synthetic():
    """O5Synthetic (Finzi et al.): y = sin|x1| - |x2|^3/2 + x1.x2/(|x1||x2|), 1000 samples."""
    torch.manual_seed(0)
    x, y = _o5_data(1000, 0)
    xte, yte = _o5_data(1000, 1)
    G = O(5)
    t0 = time.perf_counter()
    emlp = EMLP(2 * V(G), Trivial(G), ch=128, num_layers=2)
    mlp = MLP(10, 1, ch=128, num_layers=2)
    e = _fit(emlp, x, y, xte, yte, epochs=60)
    m = _fit(mlp, x, y, xte, yte, epochs=60)
    print(f"O5Synthetic N=1000: EMLP {e:.4f}  MLP {m:.4f}  ({time.perf_counter() - t0:.1f}s)")
    assert e <= m / 3, (e, m)
    assert e < 0.05
    # the trained model is still exactly equivariant
    assert_equivariant(emlp, 2 * V(G), Trivial(G), atol=1e-5, rtol=1e-5)
