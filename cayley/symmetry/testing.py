"""Checking equivariance of any function (numpy or torch) against representations.

Group elements are every discrete generator plus random words in the generators (times a
random exponential for continuous groups). Following e3nn, the transformations are
applied in float64 and only then cast to the function's dtype, so the measured error is
the function's own.

>>> import numpy as np
>>> from cayley.symmetry import S, V, Trivial
>>> G = S(5)
>>> report = assert_equivariant(lambda x: x.sum(-1, keepdims=True), V(G), Trivial(G))
>>> report["worst"] < 1e-12
True
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import _backend as B
from .errors import EquivarianceError
from .reps import Rep

__all__ = ["equivariance_error", "assert_equivariant", "test_elements"]

DEFAULT_ATOL = {"float32": 1e-5, "float64": 1e-10, "float16": 1e-2, "bfloat16": 1e-1}


def _rng(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def test_elements(group, n_random: int = 10, seed=0) -> list[tuple[str, np.ndarray]]:
    """Named test elements: each discrete generator, then ``n_random`` random words.

    >>> from cayley.symmetry import S
    >>> [name for name, _ in test_elements(S(3), n_random=1)]
    ['S1', 'S2', 'random[0]']
    """
    rng = _rng(seed)
    names = getattr(getattr(group, "generators", None), "names", None)
    gens = group.discrete_generators
    out = [(names[i] if names else f"generator[{i}]", g) for i, g in enumerate(gens)]
    for i, g in enumerate(group.random_elements(n_random, seed=rng)):
        out.append((f"random[{i}]", g))
    return out


test_elements.__test__ = False  # not a pytest test despite its name


def _module_dtype_device(f):
    """``(dtype, device)`` of a torch module's first floating parameter/buffer, else None."""
    try:
        import torch
    except ImportError:  # pragma: no cover
        return None
    if not isinstance(f, torch.nn.Module):
        return None
    for t in list(f.parameters()) + list(f.buffers()):
        if t.is_floating_point():
            return t.dtype, t.device
    return torch.get_default_dtype(), torch.device("cpu")


def _caller(f, dtype):
    """Wrap ``f`` to take and return float64 numpy arrays."""
    md = _module_dtype_device(f)
    if md is not None or (dtype is not None and "torch" in str(dtype)):
        import torch

        tdtype, device = md if md is not None else (dtype, torch.device("cpu"))
        if dtype is not None and "torch" in str(dtype):
            tdtype = dtype

        def call(x):
            with torch.no_grad():
                y = f(torch.as_tensor(x, dtype=tdtype, device=device))
            return y.detach().cpu().double().numpy(), str(tdtype).replace("torch.", "")

        return call
    np_dtype = np.dtype(dtype or np.float64)

    def call(x):
        y = f(np.asarray(x, dtype=np_dtype))
        return B.to_numpy(y).astype(np.float64), np_dtype.name

    return call


def equivariance_error(
    f: Callable,
    rep_in: Rep,
    rep_out: Rep,
    *,
    x=None,
    n_random: int = 10,
    batch: int = 8,
    seed=0,
    dtype=None,
) -> dict:
    """Measure ``max |f(rho_in(g) x) - rho_out(g) f(x)|`` over test elements ``g``.

    Parameters
    ----------
    f : callable
        Maps ``(batch, rep_in.size)`` to ``(batch, rep_out.size)``: a numpy function, a
        torch module (its parameters' dtype and device are used) or a torch function
        (pass ``dtype=torch.float32``).
    rep_in, rep_out : Rep
    x : array, optional
        Inputs (default: ``batch`` standard normal vectors, which have trivial stabilisers).
    n_random : int
        Random group elements besides the generators.
    dtype : numpy or torch dtype, optional
        Dtype ``f`` is called with (default float64 for plain functions).

    Returns
    -------
    dict
        ``worst`` (largest max-abs error), ``worst_element`` (its name), ``errors``
        (name -> error), ``scale`` (max ``|f(x)|``) and ``dtype``.

    Examples
    --------
    >>> from cayley.symmetry import SO, V
    >>> r = equivariance_error(lambda x: 2 * x, V(SO(3)), V(SO(3)))
    >>> r["worst"] < 1e-12, r["dtype"]
    (True, 'float64')
    """
    rng = _rng(seed)
    call = _caller(f, dtype)
    x = rng.standard_normal((batch, rep_in.size)) if x is None else B.to_numpy(x).astype(np.float64)
    y, used = call(x)
    if y.shape[-1] != rep_out.size:
        raise EquivarianceError(f"f returned shape {y.shape}, expected (..., {rep_out.size}) for {rep_out!r}")
    errors = {}
    for name, g in test_elements(rep_in.group, n_random, rng):
        gy, _ = call(rep_in.apply(g, x))
        errors[name] = float(np.max(np.abs(gy - rep_out.apply(g, y)))) if y.size else 0.0
    worst_name = max(errors, key=errors.get) if errors else None
    return {
        "worst": errors[worst_name] if errors else 0.0,
        "worst_element": worst_name,
        "errors": errors,
        "scale": float(np.max(np.abs(y))) if y.size else 0.0,
        "dtype": used,
    }


def assert_equivariant(
    f: Callable,
    rep_in: Rep,
    rep_out: Rep,
    *,
    atol: float | None = None,
    rtol: float = 0.0,
    **kwargs,
) -> dict:
    """Raise :class:`EquivarianceError` unless ``f`` is equivariant to ``atol + rtol * scale``.

    Tests every generator and random words in the generators (see
    :func:`equivariance_error`, whose keyword arguments it takes). ``atol`` defaults to
    1e-5 for float32 and 1e-10 for float64. Returns the report on success.

    Examples
    --------
    >>> import numpy as np
    >>> from cayley.symmetry import S, V
    >>> G = S(4)
    >>> assert_equivariant(lambda x: np.sort(x, -1), V(G), V(G))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    cayley.symmetry.errors.EquivarianceError: not equivariant: worst error ...
    """
    report = equivariance_error(f, rep_in, rep_out, **kwargs)
    tol = (atol if atol is not None else DEFAULT_ATOL.get(report["dtype"], 1e-10)) + rtol * report["scale"]
    if not report["worst"] <= tol:
        raise EquivarianceError(
            f"not equivariant: worst error {report['worst']:.3g} at {report['worst_element']} "
            f"exceeds {tol:.3g} ({report['dtype']}, {rep_in!r} -> {rep_out!r}, output scale {report['scale']:.3g})"
        )
    report["tol"] = tol
    return report
