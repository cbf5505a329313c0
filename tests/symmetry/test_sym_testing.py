"""assert_equivariant / equivariance_error: what they test and what they report."""

from __future__ import annotations

import numpy as np
import pytest

from cayley.symmetry import (
    EquivarianceError,
    O,
    RubiksCube,
    S,
    T,
    Trivial,
    V,
    assert_equivariant,
    equivariance_error,
)


def test_report_covers_every_generator_and_random_words():
    G = RubiksCube()
    rep = equivariance_error(lambda x: x.sum(-1, keepdims=True), V(G), Trivial(G), n_random=4)
    assert set(rep["errors"]) == {"U", "R", "F", "D", "L", "B", "random[0]", "random[1]", "random[2]", "random[3]"}
    assert rep["worst"] < 1e-12 and rep["dtype"] == "float64"


def test_catches_a_broken_map_and_names_the_worst_element():
    G = S(5)
    W = np.eye(5)
    W[0, 1] = 1e-3  # breaks S_5-equivariance slightly
    with pytest.raises(EquivarianceError, match=r"worst error .* at "):
        assert_equivariant(lambda x: x @ W.T, V(G), V(G))
    rep = equivariance_error(lambda x: x @ W.T, V(G), V(G))
    assert rep["worst"] > 1e-4 and rep["worst_element"] in rep["errors"]
    # loose enough tolerance passes
    assert_equivariant(lambda x: x @ W.T, V(G), V(G), atol=1.0)


def test_matrix_groups_and_dtypes():
    G = O(3)
    f = lambda x: np.einsum("bi,bj->bij", x, x).reshape(len(x), 9)  # noqa: E731  x -> x x^T
    assert_equivariant(f, V(G), T(2, 0, G), atol=1e-10)
    r = assert_equivariant(f, V(G), T(2, 0, G), dtype=np.float32, atol=1e-5)
    assert r["dtype"] == "float32"
    with pytest.raises(EquivarianceError):
        assert_equivariant(lambda x: x[:, :1] ** 2, V(G), Trivial(G))


def test_torch_functions_and_modules():
    torch = pytest.importorskip("torch")
    G = S(4)
    r = assert_equivariant(lambda x: torch.tanh(x), V(G), V(G), dtype=torch.float32)
    assert r["dtype"] == "float32"
    lin = torch.nn.Linear(4, 4).double()
    with pytest.raises(EquivarianceError):
        assert_equivariant(lin, V(G), V(G))
