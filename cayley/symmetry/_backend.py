"""Tiny numpy/torch dispatch used by representations (no torch import at module load).

Representations act on numpy arrays (the basis solver) and on torch tensors (layers and
symmetrisers) with the same code; these helpers pick the library from the argument.
Index gathers on numpy arrays go through :func:`cayley.groups.act`, the one written
action convention; torch tensors use ``torch.gather``, its tensor counterpart.
"""

from __future__ import annotations

import numpy as np

from ..groups import act


def is_torch(x) -> bool:
    """Whether ``x`` is a torch tensor (without importing torch)."""
    return type(x).__module__.split(".")[0] == "torch"


def like(a, x):
    """``a`` (numpy or torch) as the array type, dtype and device of ``x``.

    Integer arrays keep an integer dtype (int64); float arrays take ``x``'s float dtype.
    """
    if is_torch(x):
        import torch

        if is_torch(a):
            t = a
        else:
            t = torch.as_tensor(np.asarray(a))
        if t.dtype.is_floating_point or t.dtype.is_complex:
            return t.to(device=x.device, dtype=x.dtype)
        return t.to(device=x.device, dtype=torch.int64)
    if is_torch(a):
        a = a.detach().cpu().numpy()
    a = np.asarray(a)
    if np.issubdtype(a.dtype, np.floating):
        return a.astype(np.result_type(x.dtype, np.float32) if np.issubdtype(x.dtype, np.floating) else np.float64, copy=False)
    return a


def to_numpy(a) -> np.ndarray:
    """``a`` as a numpy array (detached, on the CPU)."""
    if is_torch(a):
        return a.detach().cpu().numpy()
    return np.asarray(a)


def mT(a):
    """Swap the last two axes."""
    if is_torch(a):
        return a.transpose(-1, -2)
    return np.swapaxes(a, -1, -2)


def moveaxis(x, src: int, dst: int):
    if is_torch(x):
        return x.movedim(src, dst)
    return np.moveaxis(x, src, dst)


def concat(xs, axis: int = -1):
    if is_torch(xs[0]):
        import torch

        return torch.cat(list(xs), dim=axis)
    return np.concatenate(xs, axis=axis)


def gather(x, idx):
    """``x[..., idx]`` with ``idx`` broadcast over leading axes (batched one-line arrays).

    numpy goes through :func:`cayley.groups.act`; torch through ``torch.gather``.
    """
    if is_torch(x):
        import torch

        idx = like(idx, x)
        if idx.ndim == 1:
            return x[..., idx]
        lead = torch.broadcast_shapes(x.shape[:-1], idx.shape[:-1])
        return torch.gather(x.expand(*lead, x.shape[-1]), -1, idx.expand(*lead, idx.shape[-1]))
    return act(x, np.asarray(idx))


def matvec(m, x):
    """``m @ x`` over the last axis of ``x`` with ``m`` of shape ``(..., a, b)``."""
    m = like(m, x)
    return (m @ x[..., None])[..., 0]
