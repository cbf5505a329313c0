"""Representations: homomorphism, transposes, Lie algebra, laziness, algebra of reps."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from cayley.groups import GeneratorSet, compose, inverse
from cayley.symmetry import (
    A,
    D,
    Hom,
    MatrixGroup,
    O,
    Regular,
    RepresentationError,
    RubiksCube,
    S,
    SO,
    Sign,
    T,
    Trivial,
    V,
    Z,
    expm,
)

C4 = MatrixGroup([[[0.0, -1.0], [1.0, 0.0]]], name="C4")


def _reps(G):
    v = V(G)
    out = [Trivial(G), v, v.T, T(2, 0, G), T(1, 1, G), v + 2 * Trivial(G), Hom(v + Trivial(G), T(2, 0, G)), Sign(G)]
    if G.is_finite and G.d <= 5:
        out.append(Regular(G))
        out.append(Regular(G) * v)
    return out


@pytest.mark.parametrize("G", [S(4), Z(5), D(4), A(4), C4, O(3), SO(3), SO(2)], ids=repr)
def test_homomorphism_and_transpose(G):
    rng = np.random.default_rng(0)
    for rep in _reps(G):
        g, h = G.random_elements(2, seed=rng)
        Rg, Rh, Rgh = rep.dense(g), rep.dense(h), rep.dense(G.mul(g, h))
        assert np.abs(Rgh - Rg @ Rh).max() < 1e-12, rep
        assert np.abs(rep.dense(G.inv(g)) @ Rg - np.eye(rep.size)).max() < 1e-12, rep
        x = rng.standard_normal((3, rep.size))
        assert np.abs(rep.apply(g, x, transpose=True) - x @ Rg).max() < 1e-12, rep
        assert np.abs(rep.rho(g).T.dense() - Rg.T).max() < 1e-12
        # batched elements broadcast against batched inputs
        gs = G.random_elements(3, seed=rng)
        y = rep.apply(gs, x)
        for i in range(3):
            assert np.abs(y[i] - rep.dense(gs[i]) @ x[i]).max() < 1e-12


@pytest.mark.parametrize("G", [SO(3), O(3), SO(4)], ids=repr)
def test_lie_algebra_is_derivative_of_group_rep(G):
    for rep in [V(G), T(2, 0, G), T(1, 1, G), V(G) + T(2, 0, G), Hom(V(G), T(2, 0, G)), Sign(G)]:
        for A_ in G.lie_algebra:
            eps = 1e-6
            fd = (rep.dense(expm(eps * A_)) - rep.dense(expm(-eps * A_))) / (2 * eps)
            assert np.abs(fd - rep.drho(A_).dense()).max() < 1e-7, rep
            x = np.random.default_rng(1).standard_normal(rep.size)
            assert np.allclose(rep.dapply(A_, x, transpose=True), rep.drho(A_).dense().T @ x)


def test_symmetric_group_order_by_enumeration():
    five_cycle = np.roll(np.arange(5), -1)
    swap = np.array([1, 0, 2, 3, 4])
    from cayley.symmetry import PermutationGroup

    G = PermutationGroup(GeneratorSet.from_perms([five_cycle, swap]))
    assert len(G.elements()) == 120 == G.order()
    assert len(C4.elements()) == 4
    assert Regular(D(5)).size == 10


def test_permutation_rep_perm_matches_dense():
    G = S(4)
    for rep in [V(G), T(3, 0, G), V(G).T * V(G), Regular(G), V(G) + T(2, 0, G)]:
        assert rep.is_permutation_rep
        g = G.random_elements(1, seed=2)[0]
        p = rep.perm(g)
        assert np.array_equal(rep.dense(g), np.eye(rep.size)[p])


def test_cube_tensor_rep_is_lazy():
    """T(4) of the cube group has 54**4 = 8.5 M coordinates; applying it must not build a matrix."""
    G = RubiksCube()
    rep = T(4, 0, G)
    assert rep.size == 54**4
    g = G.discrete_generators[0]
    x = np.arange(rep.size, dtype=np.float64)
    y = rep.apply(g, x)
    # rho(g) moves coordinate i to g(i): entry (i, j, k, l) comes from g^-1 of each index
    gi = inverse(g)
    t = y.reshape((54,) * 4)
    i, j, k, l = 3, 17, 40, 53
    assert t[i, j, k, l] == np.ravel_multi_index((gi[i], gi[j], gi[k], gi[l]), (54,) * 4)
    assert np.array_equal(rep.perm(g), y.astype(np.int64))


def test_compose_convention_matches_representation():
    G = S(5)
    g, h = G.random_elements(2, seed=5)
    x = np.arange(5.0)
    # one product, cayley.groups' compose(g, h) = g[h]: rho(g) rho(h) = rho(compose(g, h))
    assert np.array_equal(G.mul(g, h), compose(g, h))
    assert np.array_equal(V(G).apply(g, V(G).apply(h, x)), V(G).apply(compose(g, h), x))


def test_rep_algebra_and_errors():
    G = S(3)
    v = V(G)
    assert (v + v).size == 6 and (3 * v).size == 9 and (v * v).size == 9 and (v**3).size == 27
    assert v.T.T == v and Trivial(G).T == Trivial(G) and v**0 == Trivial(G)
    assert repr(3 * v + Trivial(G)) == "3V+T0"
    assert (v >> v) == Hom(v, v) and (v >> v).size == 9
    assert V(O(3)).T == V(O(3))  # orthogonal: dual is the same representation
    assert sum([v, v, Trivial(G)]).size == 7
    with pytest.raises(RepresentationError):
        v + V(S(4))
    with pytest.raises(RepresentationError):
        T(-1, 0, G)
    with pytest.raises(RepresentationError):
        SO(3).elements()
    with pytest.raises(RepresentationError):
        V(O(3)).perm(np.eye(3))
    with pytest.raises(RepresentationError):
        Regular(S(8), max_order=100)


def test_importing_cayley_and_symmetry_does_not_import_torch():
    code = (
        "import sys, cayley, cayley.groups, cayley.symmetry\n"
        "from cayley.symmetry import S, V, T, equivariant_basis, assert_equivariant\n"
        "equivariant_basis(V(S(3)), T(2, 0, S(3)))\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
        "from cayley.symmetry import EquivariantLinear\n"
        "assert 'torch' in sys.modules\n"
    )
    pytest.importorskip("torch")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_symmetry_depends_only_on_groups():
    """Dependency direction: symmetry -> groups (+ torch), never graphs/backends."""
    import ast
    from pathlib import Path

    import cayley.symmetry as sym

    for path in Path(sym.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                mod = ("." * node.level) + node.module
                assert not any(x in mod for x in ("graphs", "backends", "nn", "cli", "datasets")), (path.name, mod)
