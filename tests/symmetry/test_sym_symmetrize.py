"""Symmetrisers: group/frame averaging, canonicalisation, relaxed equivariance, priors, soft loss."""

from __future__ import annotations


import numpy as np
import pytest

torch = pytest.importorskip("torch")

from cayley.symmetry import (  # noqa: E402
    A,
    D,
    EMLP,
    MLP,
    Canonicalize,
    EquivariantLinear,
    FrameAverage,
    GroupAverage,
    LearnedOrthogonalCanonicalizer,
    LearnedPermutationCanonicalizer,
    MatrixGroup,
    O,
    RubiksCube,
    S,
    SO,
    SortCanonicalizer,
    T,
    Trivial,
    V,
    Z,
    assert_equivariant,
    equivariance_error,
    pca_frame,
    soft_equivariance_loss,
    sort_frame,
)

ATOL = {torch.float32: 1e-5, torch.float64: 1e-10}
DTYPES = [torch.float32, torch.float64]


def _mlp(n_in, n_out, dtype, seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(n_in, 32), torch.nn.Tanh(), torch.nn.Linear(32, n_out)).to(dtype)


def _check(f, rin, rout, dtype, **kw):
    return assert_equivariant(f, rin, rout, atol=ATOL[dtype], rtol=ATOL[dtype] / 10, dtype=dtype, **kw)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize(
    "rin, rout",
    [
        (V(S(4)), V(S(4))),
        (V(S(4)), Trivial(S(4))),
        (T(2, 0, A(4)), V(A(4))),
        (V(D(5)) + Trivial(D(5)), V(D(5))),
        (V(MatrixGroup([[[0.0, -1.0], [1.0, 0.0]]], name="C4")), V(MatrixGroup([[[0.0, -1.0], [1.0, 0.0]]], name="C4"))),
    ],
    ids=repr,
)
def test_group_average(rin, rout, dtype):
    f = GroupAverage(_mlp(rin.size, rout.size, dtype), rin, rout).to(dtype)
    _check(f, rin, rout, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("group", [S(5), RubiksCube()], ids=["S5", "cube"])
def test_sort_frame_average_and_canonicalize_on_permutation_groups(group, dtype):
    v = V(group)
    for rout in (v, Trivial(group), v + Trivial(group)):
        phi = _mlp(v.size, rout.size, dtype)
        _check(FrameAverage(phi, v, rout, sort_frame(group)), v, rout, dtype)
        _check(Canonicalize(phi, v, rout, SortCanonicalizer(group)), v, rout, dtype)
        # a learned (random, equivariant) score network as canonicaliser
        canon = LearnedPermutationCanonicalizer(v).to(dtype)
        with torch.no_grad():
            for p in canon.parameters():
                p.normal_()
        _check(Canonicalize(phi, v, rout, canon), v, rout, dtype)


def test_sort_frame_is_sorting_for_symmetric_groups_and_canonical_for_the_cube():
    x = torch.randn(6, 7, dtype=torch.float64)
    els, owner = sort_frame(S(7))(x)
    assert owner.tolist() == list(range(6))
    # rho(h) x = x[h^-1] is sorted for the frame's elements h
    assert torch.equal(V(S(7)).apply(els, x), torch.sort(x, 1).values)
    # cube: the canonical form is the same for every point of an orbit
    G = RubiksCube()
    f = sort_frame(G)
    x = np.random.default_rng(0).standard_normal((3, 54))
    g = G.random_elements(3, seed=1)
    els, _ = f.canonical(x)
    els2, _ = f.canonical(V(G).apply(g, x))
    assert np.array_equal(V(G).apply(els, x), V(G).apply(els2, V(G).apply(g, x)))


def test_sort_frame_ties_give_the_stabiliser_coset():
    G = S(4)
    x = torch.tensor([[1.0, 0.0, 1.0, 0.0]], dtype=torch.float64)
    els, owner = sort_frame(G)(x)
    assert len(els) == 4  # Stab(x) = S_2 x S_2
    assert all(torch.equal(V(G).apply(e, x[0]), torch.tensor([0.0, 0.0, 1.0, 1.0], dtype=torch.float64)) for e in els)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("special", [False, True], ids=["O3", "SO3"])
def test_pca_frame_average_on_point_clouds(special, dtype):
    G = SO(3) if special else O(3)
    rin = 5 * V(G)
    g = torch.Generator().manual_seed(0)
    # anisotropic clouds: a clear eigengap
    x = (torch.randn(8, 5, 3, generator=g, dtype=torch.float64) * torch.tensor([3.0, 2.0, 1.0], dtype=torch.float64)).reshape(8, 15)
    for rout in (V(G), Trivial(G), T(2, 0, G)):
        f = FrameAverage(_mlp(rin.size, rout.size, dtype), rin, rout, pca_frame(3, special=special))
        rep = _check(f, rin, rout, dtype, x=x)
        assert rep["worst"] <= ATOL[dtype] * (1 + rep["scale"])


def _random_orthogonal(d, g, dtype, special):
    q, r = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))
    q = q * torch.sign(torch.diagonal(r))
    if special and torch.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q.to(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("special", [False, True], ids=["E3", "SE3"])
def test_pca_frame_average_is_euclidean_equivariant(special, dtype):
    """E(3): f(Qx + t) = Q f(x) + t for point outputs, f(Qx + t) = f(x) for invariant ones."""
    G = SO(3) if special else O(3)
    rin = 5 * V(G)
    g = torch.Generator().manual_seed(1)
    x = (torch.randn(8, 5, 3, generator=g, dtype=torch.float64) * torch.tensor([3.0, 2.0, 1.0], dtype=torch.float64))
    x = x.reshape(8, 15).to(dtype)
    tol = ATOL[dtype] * 100
    for _ in range(5):
        Q = _random_orthogonal(3, g, dtype, special)
        t = (torch.randn(3, generator=g, dtype=torch.float64) * 10).to(dtype)
        moved = (x.reshape(8, 5, 3) @ Q.T + t).reshape(8, 15)
        points = FrameAverage(_mlp(rin.size, 6, dtype), rin, 2 * V(G), pca_frame(3, special=special), translation="points")
        want = (points(x).reshape(8, 2, 3) @ Q.T + t).reshape(8, 6)
        assert torch.allclose(points(moved), want, atol=tol * (1 + float(want.detach().abs().max())))
        inv = FrameAverage(_mlp(rin.size, 1, dtype), rin, Trivial(G), pca_frame(3, special=special), translation="invariant")
        assert torch.allclose(inv(moved), inv(x), atol=tol * (1 + float(inv(x).detach().abs().max())))
    # without translation handling the same model is not translation equivariant: the test can fail
    plain = FrameAverage(_mlp(rin.size, 6, dtype), rin, 2 * V(G), pca_frame(3, special=special))
    shifted = x + torch.tensor([5.0, -3.0, 2.0], dtype=dtype).repeat(5)
    assert not torch.allclose(plain(shifted), plain(x) + torch.tensor([5.0, -3.0, 2.0], dtype=dtype).repeat(2), atol=1e-2)


def test_frame_average_translation_needs_point_reps():
    G = O(3)
    with pytest.raises(ValueError, match="translation"):
        FrameAverage(_mlp(15, 1, torch.float64), 5 * V(G), Trivial(G), pca_frame(3), translation="rigid")
    with pytest.raises(ValueError, match="k \\* V"):
        FrameAverage(_mlp(15, 1, torch.float64), 5 * V(G), Trivial(G), pca_frame(3), translation="points")


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_learned_orthogonal_canonicalizer(dtype):
    G = O(3)
    rin = 4 * V(G)
    torch.manual_seed(0)
    canon = LearnedOrthogonalCanonicalizer(rin, hidden=24).to(dtype)
    with torch.no_grad():
        for p in canon.parameters():
            p.normal_(0, 0.5)
    for rout in (V(G), Trivial(G)):
        f = Canonicalize(_mlp(rin.size, rout.size, dtype), rin, rout, canon, prior_weight=0.1)
        _check(f, rin, rout, dtype)
        x = torch.randn(16, rin.size, dtype=dtype)
        reg = f.regularization(x)
        reg.backward()  # the prior trains the canonicaliser
        assert reg.item() > 0 and any(p.grad is not None for p in canon.parameters())


def test_prior_regularisation_makes_the_canonicaliser_choose_the_identity():
    """Mondal et al.: trained on 'upright' data (here: increasing vectors) with the prior,
    the learned canonicaliser maps (almost) every training input by the identity."""
    G = S(5)
    torch.manual_seed(0)
    canon = LearnedPermutationCanonicalizer(V(G)).double()
    with torch.no_grad():  # start by sorting the wrong way round
        for p in canon.parameters():
            p.copy_(-p.abs() - 0.5)
    x = torch.sort(torch.randn(256, 5, dtype=torch.float64), 1).values
    before = canon.identity_metric(x)
    opt = torch.optim.Adam(canon.parameters(), lr=0.05)
    for _ in range(150):
        loss = canon.prior_loss(x, beta=5.0)
        opt.zero_grad()
        loss.backward()
        opt.step()
    after = canon.identity_metric(x)
    assert before < 0.1 and after >= 0.95, (before, after)


def _stabiliser(G, x):
    return [g for g in G.elements() if np.array_equal(x[g], x)]


def test_relaxed_equivariance_definition_by_brute_force():
    """f(g x) = g h f(x) for some h in Stab(x), for every g in S_4 (Kaba & Ravanbakhsh)."""
    G = S(4)
    phi = _mlp(4, 4, torch.float64, seed=3)
    f = Canonicalize(phi, V(G), V(G), SortCanonicalizer(G), relaxed=True)
    feq = Canonicalize(phi, V(G), V(G), SortCanonicalizer(G), relaxed=False)
    elements = G.elements()
    for x in [np.array([1.0, 1.0, 2.0, 2.0]), np.array([0.5, 0.5, 0.5, 3.0]), np.ones(4), np.array([3.0, 1.0, 4.0, 2.0])]:
        stab = _stabiliser(G, x)
        fx = f(torch.tensor(x)[None])[0].detach().numpy()
        for g in elements:
            gx = V(G).apply(g, x)
            fgx = f(torch.tensor(gx)[None])[0].detach().numpy()
            best = min(np.abs(fgx - V(G).apply(G.mul(g, h), fx)).max() for h in stab)
            assert best < 1e-10
            # the averaged (non-relaxed) version is exactly equivariant even on symmetric inputs
            e = feq(torch.tensor(gx)[None])[0].detach().numpy()
            e0 = feq(torch.tensor(x)[None])[0].detach().numpy()
            assert np.abs(e - V(G).apply(g, e0)).max() < 1e-10
        if len(stab) == 1:  # trivial stabiliser: relaxed equivariance is equivariance
            assert np.allclose(fx, feq(torch.tensor(x)[None])[0].detach().numpy())


def _select_one_loss(y):
    """Pick-one-node loss on symmetric inputs: every one-hot e_i is a right answer."""
    n = y.shape[-1]
    eye = torch.eye(n, dtype=y.dtype)
    return ((y[:, None, :] - eye[None]) ** 2).sum(-1).min(-1).values.mean()


def test_symmetry_breaking_task_equivariant_fails_relaxed_succeeds():
    """Inputs c * (1, ..., 1) have stabiliser S_n; the task is to pick one node (any one-hot
    is right). An equivariant f must output a constant vector a * 1 there, so its loss is at
    least min_a (n - 1) a^2 + (1 - a)^2 = 1 - 1/n; the relaxed canonicalised model reaches 0."""
    n = 5
    G = S(n)
    torch.manual_seed(0)
    c = torch.linspace(-2, 2, 64, dtype=torch.float64)[:, None]
    x = c * torch.ones(1, n, dtype=torch.float64)
    emlp = EMLP(V(G), V(G), ch=40, num_layers=1).double()
    relaxed = Canonicalize(_mlp(n, n, torch.float64), V(G), V(G), SortCanonicalizer(G), relaxed=True)
    losses = {}
    for name, model, steps in [("equivariant", emlp, 100), ("relaxed", relaxed, 200)]:
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        for _ in range(steps):
            loss = _select_one_loss(model(x))
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            losses[name] = float(_select_one_loss(model(x)))
    bound = 1 - 1 / n
    print(f"pick-one-node on symmetric inputs: equivariant EMLP {losses['equivariant']:.4f} (bound {bound:.2f}), relaxed {losses['relaxed']:.4f}")
    assert losses["equivariant"] >= bound - 1e-6, losses
    assert losses["relaxed"] < 0.05, losses
    with torch.no_grad():
        y = emlp(x)
    assert torch.allclose(y, y.mean(-1, keepdim=True).expand_as(y), atol=1e-10)  # output as symmetric as input


def test_soft_equivariance_regulariser():
    G = S(4)
    rep = V(G)
    x = torch.randn(64, 4, dtype=torch.float64)
    lin = EquivariantLinear(rep, rep).double()
    assert soft_equivariance_loss(lin, rep, rep, x, seed=0).item() < 1e-20
    # an MLP fitted on a few points of an equivariant target, with and without the regulariser
    target = lambda z: z - z.mean(-1, keepdim=True) + torch.tanh(z)  # noqa: E731
    xs = torch.randn(16, 4, dtype=torch.float64)
    errs = {}
    for lam in (0.0, 5.0):
        torch.manual_seed(0)
        mlp = MLP(4, 4, ch=64, num_layers=2).double()
        opt = torch.optim.Adam(mlp.parameters(), lr=3e-3)
        first = last = None
        for step in range(400):
            loss = ((mlp(xs) - target(xs)) ** 2).mean()
            reg = soft_equivariance_loss(mlp, rep, rep, torch.randn(64, 4, dtype=torch.float64), seed=step)
            if lam:
                loss = loss + lam * reg
                first = reg.item() if first is None else first
                last = reg.item()
            opt.zero_grad()
            loss.backward()
            opt.step()
        errs[lam] = equivariance_error(mlp, rep, rep, batch=64, seed=1)["worst"]
        if lam:
            assert last < first
    assert errs[5.0] <= 0.1 * errs[0.0], errs


def test_pca_frame_warns_on_degenerate_covariance():
    """Known failure mode of PCA frames: (nearly) isotropic clouds have no well-defined axes."""
    pts = torch.tensor([[1.0, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], dtype=torch.float64)
    f = pca_frame(3)
    with pytest.warns(RuntimeWarning, match="eigengap"):
        f(pts.reshape(1, -1))
    assert float(f.last_eigengap[0]) < 1e-6


@pytest.mark.parametrize("group", [D(6), Z(7), D(5)], ids=str)
def test_first_only_gives_a_canonical_image_on_tied_inputs(group):
    """One element per input whose image is the lexicographic minimum over the group: the
    same image for x and every g.x, also when x has ties (0/1 and 3-valued vectors), where
    following only the first tie at each level of the chain does not give it."""
    from cayley.symmetry.symmetrize import sort_frame

    f = sort_frame(group)
    rng = np.random.default_rng(0)
    n = group.degree
    for trial in range(60):
        x = (rng.random(n) < 0.4).astype(float) if trial % 2 == 0 else rng.integers(0, 3, n).astype(float)
        g = group.random_elements(1, seed=int(rng.integers(1 << 30)))[0]
        xs = np.stack([x, group.act_on(g[None], x[None])[0]])
        els, owner = f.canonical(xs, first_only=True)
        assert owner.tolist() == [0, 1]
        imgs = group.act_on(els, xs[owner])
        assert np.array_equal(imgs[0], imgs[1])
        # and it is the minimum of the orbit (the groups here are small enough to list)
        elements = group.elements()
        orbit = group.act_on(elements, np.broadcast_to(x, (len(elements), n)))
        assert min(map(tuple, orbit)) == tuple(imgs[0])
