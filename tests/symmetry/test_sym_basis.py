"""Equivariant bases: known dimensions, the three routes agree, speed of the orbital route."""

from __future__ import annotations

import os
import time

import networkx as nx
import numpy as np
import pytest

from cayley.symmetry import (
    D,
    A,
    Hom,
    MatrixGroup,
    O,
    Regular,
    RubiksCube,
    S,
    SO,
    Sign,
    SolverError,
    T,
    Trivial,
    V,
    Z,
    cache_info,
    clear_cache,
    equivariant_basis,
    invariant_basis,
    orbit_labels,
)

BELL = [1, 1, 2, 5, 15]


@pytest.mark.parametrize("k, l", [(k, l) for k in range(5) for l in range(5) if k + l <= 4])
def test_bell_numbers_for_symmetric_groups(k, l):
    for n in (k + l, k + l + 1):
        if n < 2:
            continue
        G = S(n)
        assert equivariant_basis(T(k, 0, G), T(l, 0, G)).dim == BELL[k + l], (n, k, l)


def test_dims_table_of_the_background_note():
    G = S(5)
    assert equivariant_basis(V(G), V(G)).dim == 2
    assert equivariant_basis(V(G), T(2, 0, G)).dim == 5
    assert equivariant_basis(T(2, 0, G), T(2, 0, G)).dim == 15
    assert equivariant_basis(T(2, 0, G), Trivial(G)).dim == 2
    assert equivariant_basis(V(Z(7)), V(Z(7))).dim == 7  # circulants
    G = SO(3)
    assert equivariant_basis(V(G), V(G)).dim == 1
    assert equivariant_basis(T(2, 0, G), Trivial(G)).dim == 1  # delta
    assert equivariant_basis(T(3, 0, G), Trivial(G)).dim == 1  # epsilon
    assert equivariant_basis(T(2, 0, G), V(G)).dim == 1  # cross product
    G = O(3)
    assert equivariant_basis(T(3, 0, G), Trivial(G)).dim == 0  # epsilon is parity-odd
    assert equivariant_basis(T(2, 0, G), V(G)).dim == 0
    assert equivariant_basis(T(3, 0, G), Sign(G)).dim == 1  # ... but a pseudo-scalar


def _load() -> str:
    try:
        return "load average %.2f %.2f %.2f" % os.getloadavg()
    except OSError:  # pragma: no cover
        return "load unknown"


def test_rubiks_cube_orbital_dims_and_speed():
    clear_cache()
    G = RubiksCube()
    v, t2 = V(G), T(2, 0, G)
    t0 = time.perf_counter()
    dims = [equivariant_basis(Trivial(G), v).dim, equivariant_basis(v, v).dim, equivariant_basis(v, t2).dim]
    small = time.perf_counter() - t0
    assert dims == [8, 69, 645]
    assert small < 1.0, f"{small:.2f}s ({_load()})"
    t0 = time.perf_counter()
    big = equivariant_basis(t2, t2)
    seconds = time.perf_counter() - t0
    assert big.dim == 6542 and big.methods == {"orbital"}
    assert seconds < 30.0, f"{seconds:.2f}s ({_load()})"
    clear_cache()  # 8.5 M labels: do not keep them for the rest of the session


def _same_span(Q1, Q2, tol=1e-8):
    assert Q1.shape == Q2.shape, (Q1.shape, Q2.shape)
    P1, P2 = Q1 @ Q1.T, Q2 @ Q2.T
    return np.linalg.norm(P1 - P2) < tol


def _ortho(b):
    return b.orthonormal()


@pytest.mark.parametrize(
    "rep",
    [
        Hom(V(S(4)), T(2, 0, S(4))),
        T(4, 0, S(5)),
        Hom(V(Z(7)), V(Z(7))),
        T(2, 0, D(5)),
        T(3, 0, A(4)),
        Hom(Regular(S(3)), Regular(S(3))),
        Hom(V(S(4)) + Trivial(S(4)), V(S(4)).T * V(S(4))),
    ],
    ids=repr,
)
def test_orbital_and_dense_span_the_same_space(rep):
    orb = invariant_basis(rep, method="orbital")
    dense = invariant_basis(rep, method="dense")
    assert orb.dim == dense.dim
    assert _same_span(_ortho(orb), _ortho(dense))


@pytest.mark.slow
def test_orbital_and_dense_agree_on_the_cube_hom_v_v():
    G = RubiksCube()
    rep = Hom(V(G), V(G))  # 2916 unknowns: eigh of C^T C
    orb = invariant_basis(rep, method="orbital")
    dense = invariant_basis(rep, method="dense")
    assert orb.dim == dense.dim == 69
    assert _same_span(_ortho(orb), _ortho(dense))


@pytest.mark.parametrize(
    "rep",
    [T(4, 0, SO(3)), T(4, 0, O(3)), Hom(T(2, 0, O(3)), V(O(3)) + Trivial(O(3))), T(3, 0, SO(3)), Hom(V(Z(6)), V(Z(6)))],
    ids=repr,
)
def test_iterative_and_dense_span_the_same_space(rep):
    it = invariant_basis(rep, method="iterative")
    dense = invariant_basis(rep, method="dense")
    assert it.dim == dense.dim
    assert _same_span(it.Q, dense.Q)


@pytest.mark.slow
def test_iterative_route_on_a_larger_continuous_rep():
    """SO(3) invariants of V^(x 6): Riordan number 15; 729 unknowns, both routes."""
    rep = T(6, 0, SO(3))
    it = invariant_basis(rep, method="iterative")
    dense = invariant_basis(rep, method="dense")
    assert it.dim == dense.dim == 15
    assert _same_span(it.Q, dense.Q)


def test_iterative_route_beyond_dense_reach():
    """SO(3) invariants of V^(x 7): Riordan number 36, 2187 unknowns, lazy matvecs only;
    every basis vector satisfies the constraints to 1e-10."""
    rep = T(7, 0, SO(3))
    b = invariant_basis(rep, method="iterative")
    assert b.dim == 36
    assert np.abs(b.Q.T @ b.Q - np.eye(36)).max() < 1e-10
    for A_ in SO(3).lie_algebra:
        assert np.abs(rep.dapply(A_, b.Q.T)).max() < 1e-10


@pytest.mark.parametrize(
    "rep_in, rep_out",
    [
        (T(2, 0, S(4)), T(2, 0, S(4))),
        (V(O(3)) + T(2, 0, O(3)), V(O(3)) + Trivial(O(3))),
        (T(2, 0, SO(3)), V(SO(3))),
        (2 * V(RubiksCube()), V(RubiksCube())),
        (V(Z(7)), V(Z(7))),
        (Sign(S(4)), T(2, 0, S(4))),
    ],
    ids=repr,
)
def test_every_basis_element_is_equivariant(rep_in, rep_out):
    B = equivariant_basis(rep_in, rep_out)
    G = rep_in.group
    Ws = B.matrix().T.reshape(B.dim, rep_out.size, rep_in.size)
    x = np.random.default_rng(0).standard_normal((rep_in.size, 2))
    for g in list(G.discrete_generators) + list(G.random_elements(5, seed=1)):
        for W in Ws:
            # rho_out(g) W x == W rho_in(g) x
            lhs = rep_out.rho(g) @ (W @ x)
            rhs = W @ (rep_in.rho(g) @ x)
            assert np.abs(lhs - rhs).max() < 1e-10


def test_basis_by_blocks_matches_whole_solve():
    G = S(4)
    rep_in, rep_out = 2 * V(G) + Trivial(G), V(G) + T(2, 0, G)
    B = equivariant_basis(rep_in, rep_out)
    whole = invariant_basis(Hom(rep_in, rep_out), method="dense")
    assert B.dim == whole.dim
    Q, _ = np.linalg.qr(B.matrix())
    assert _same_span(Q, whole.Q)
    W = np.random.default_rng(0).standard_normal((rep_out.size, rep_in.size))
    P = B.project(W)
    assert np.allclose(B.project(P), P)
    assert np.allclose(P.reshape(-1), whole.Q @ (whole.Q.T @ W.reshape(-1)))


def test_cache_by_representation():
    clear_cache()
    G = S(6)
    equivariant_basis(T(2, 0, G), T(2, 0, G))
    before = cache_info()
    equivariant_basis(T(2, 0, S(6)), T(2, 0, S(6)))  # equal reps, new objects
    after = cache_info()
    assert after["hits"] == before["hits"] + 1 and after["size"] == before["size"]


def test_orbit_labels_match_networkx_components():
    rng = np.random.default_rng(7)
    for _ in range(20):
        n = int(rng.integers(1, 60))
        perms = []
        for _ in range(int(rng.integers(1, 4))):
            p = np.arange(n)
            # a random product of a few transpositions keeps several orbits
            for _ in range(int(rng.integers(0, n))):
                i, j = rng.integers(0, n, 2)
                p[[i, j]] = p[[j, i]]
            perms.append(p)
        labels, count = orbit_labels(perms, size=n)
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from((i, int(p[i])) for p in perms for i in range(n))
        comps = list(nx.connected_components(g))
        assert count == len(comps)
        for c in comps:
            assert len({labels[i] for i in c}) == 1
        firsts = sorted(min(c) for c in comps)
        assert [labels[i] for i in firsts] == list(range(count))


def test_method_errors_and_gap():
    with pytest.raises(Exception):
        invariant_basis(T(2, 0, SO(3)), method="orbital")
    with pytest.raises(Exception):
        invariant_basis(T(2, 0, SO(3)), method="nope")
    # a generator close to the identity leaves no clear gap in the spectrum
    near = MatrixGroup([[[1.0, 1e-6], [0.0, 1.0]]], name="near-identity")
    with pytest.raises(SolverError):
        invariant_basis(V(near), method="dense")
