"""Soft equivariance for ordinary models (imports torch).

``soft_equivariance_loss`` is ``sum_G lambda_G E_{x, g ~ G} ||f(rho_in(g) x) - rho_out(g) f(x)||^2``
(in the spirit of Kim et al. 2023, "Regularizing towards soft equivariance under mixed
symmetries"), with ``g`` random words in each group's generators. It is zero for an
equivariant model and can be added to any training loss.

>>> import torch
>>> from cayley.symmetry import S, V, Trivial, EquivariantLinear
>>> G = S(4)
>>> lin = EquivariantLinear(V(G), Trivial(G)).double()
>>> soft_equivariance_loss(lin, V(G), Trivial(G), torch.randn(8, 4, dtype=torch.float64)).item() < 1e-20
True
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch

from .reps import Rep

__all__ = ["soft_equivariance_loss"]


def soft_equivariance_loss(
    model: Callable,
    rep_in: Rep | Sequence[Rep],
    rep_out: Rep | Sequence[Rep],
    x: torch.Tensor,
    *,
    weights: Sequence[float] | None = None,
    n_elements: int = 1,
    seed=None,
) -> torch.Tensor:
    """Mean squared equivariance violation of ``model`` on inputs ``x``.

    Parameters
    ----------
    model : callable
        ``(batch, rep_in.size) -> (batch, rep_out.size)`` torch function or module.
    rep_in, rep_out : Rep or sequences of Rep
        One pair per (approximate) symmetry group; the loss sums over groups.
    x : torch.Tensor
        A batch of inputs.
    weights : sequence of float, optional
        ``lambda_G`` per group (default 1).
    n_elements : int
        Random group elements per input (each input gets its own).
    seed : int or numpy Generator, optional

    Returns
    -------
    torch.Tensor
        Scalar loss, differentiable in the model's parameters.
    """
    ins = [rep_in] if isinstance(rep_in, Rep) else list(rep_in)
    outs = [rep_out] if isinstance(rep_out, Rep) else list(rep_out)
    weights = [1.0] * len(ins) if weights is None else list(weights)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    fx = model(x)
    total = x.new_zeros(())
    for lam, ri, ro in zip(weights, ins, outs):
        G = ri.group
        for _ in range(n_elements):
            g = G.random_elements(x.shape[0], seed=rng)
            gt = torch.as_tensor(g, device=x.device)
            if gt.is_floating_point():
                gt = gt.to(x.dtype)
            diff = model(ri.apply(gt, x)) - ro.apply(gt, fx)
            total = total + lam * (diff**2).sum(-1).mean() / n_elements
    return total
