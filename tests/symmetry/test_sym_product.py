"""Direct products of groups (ProductGroup) and their factors' representations (Factor):
point clouds under relabelling and rotation, S_n x O(3)."""

from __future__ import annotations

import numpy as np
import pytest

from cayley.symmetry import O, SO, Factor, ProductGroup, RepresentationError, S, Trivial, Z
from cayley.symmetry import equivariant_basis, invariant_basis


@pytest.mark.parametrize("n", [3, 4, 5])
def test_point_cloud_basis_dimensions(n):
    """Equivariant maps factor: Hom_{S_n}(V, V) = 2 (identity, mean), Hom_{O(3)}(R^3, R^3) = 1,
    so linear maps of point clouds commuting with both: 2; quadratic invariants: 2
    (sum |p_i|^2 and |sum p_i|^2); the sum of the points is the one map cloud -> R^3; there is
    no linear map cloud -> V (no linear O(3) invariant)."""
    G = ProductGroup(S(n), O(3))
    P, R = Factor(G, 0), Factor(G, 1)
    cloud = P * R
    assert equivariant_basis(cloud, cloud).dim == 2
    assert invariant_basis(cloud * cloud).dim == 2
    assert equivariant_basis(cloud, R).dim == 1
    assert equivariant_basis(cloud, P).dim == 0
    assert equivariant_basis(P, P).dim == 2 and equivariant_basis(R, R).dim == 1


def test_reflections_of_o3_count():
    """Cubic invariants of 3 points: none under O(3) (odd degree, p -> -p), but SO(3) keeps
    the determinant of the points (triple products): so the reflection generator is used."""
    for group, expect_zero in [(O(3), True), (SO(3), False)]:
        G = ProductGroup(S(3), group)
        cloud = Factor(G, 0) * Factor(G, 1)
        dim = invariant_basis(cloud * cloud * cloud).dim
        assert (dim == 0) == expect_zero, (group, dim)


def test_factor_actions_and_errors():
    G = ProductGroup(Z(5), O(3))
    g = G.random_elements(3, seed=2)
    x = np.random.default_rng(0).normal(size=(3, 15))
    cloud = Factor(G, 0) * Factor(G, 1)
    y = cloud.apply(g, x).reshape(3, 5, 3)
    want = np.einsum("bij,bjk,blk->bil", g[:, :5, :5], x.reshape(3, 5, 3), g[:, 5:, 5:])
    assert np.allclose(y, want)
    assert np.allclose(cloud.dense(G.mul(g[0], g[1])), cloud.dense(g[0]) @ cloud.dense(g[1]))
    with pytest.raises(RepresentationError, match="ProductGroup"):
        Factor(S(3), 0)
    with pytest.raises(RepresentationError, match="factor 2"):
        Factor(G, 2)
    with pytest.raises(RepresentationError, match="two factors"):
        ProductGroup(S(3))


def test_emlp_on_point_clouds_is_invariant_and_equivariant():
    torch = pytest.importorskip("torch")
    from cayley.symmetry import EMLP, assert_equivariant, equivariance_error

    torch.manual_seed(0)
    G = ProductGroup(S(4), O(3))
    P, R = Factor(G, 0), Factor(G, 1)
    cloud = P * R
    hidden = 8 * Trivial(G) + 2 * cloud + 2 * R
    inv = EMLP(cloud, Trivial(G), hidden=hidden, num_layers=2).double()
    eq = EMLP(cloud, cloud, hidden=hidden, num_layers=2).double()
    with torch.no_grad():  # every parameter random (the bilinear layers start at zero)
        for p in [*inv.parameters(), *eq.parameters()]:
            p.normal_(0, 0.3)
    assert_equivariant(inv, cloud, Trivial(G), atol=1e-10)
    assert_equivariant(eq, cloud, cloud, atol=1e-10)
    xs = torch.randn(8, 12, dtype=torch.float64)
    assert inv(xs).std() > 1e-6  # a nonconstant invariant (quadratic features of the points)
    # the default hidden representation of a product group is built from its factors
    default = EMLP(cloud, Trivial(G), ch=192, num_layers=2).double()
    with torch.no_grad():
        for p in default.parameters():
            p.normal_(0, 0.3)
    assert_equivariant(default, cloud, Trivial(G), atol=1e-9)
    assert default(xs).std() > 1e-3
    # a plain network is not: the check can fail
    plain = torch.nn.Sequential(torch.nn.Linear(12, 32), torch.nn.SiLU(), torch.nn.Linear(32, 1)).double()
    assert equivariance_error(plain, cloud, Trivial(G))["worst"] > 1e-3
