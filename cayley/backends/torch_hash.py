"""torch backend (CPU or CUDA) for the hash engine's primitives.

The same primitives as :mod:`cayley.backends.cpu`, on torch tensors that stay on the
device for the whole search: packed states are int64 rows (the same bit layout as the
numba backend; the top bit may make a word negative, which changes nothing since words
are only compared for equality and sorted consistently). ``expand`` applies every
generator in one gather, and the exact visited set keeps sorted runs of distinct keys,
so dedup and set difference are ``torch.unique`` and ``torch.searchsorted``. On a machine
without a GPU the same code runs on torch's CPU device, which is how CI tests it.
"""

from __future__ import annotations

import numpy as np
import torch

from .actions import MatrixAction, as_perms
from .numpy_sets import SortedRuns
from .packing import packing

__all__ = ["TorchBackend", "packing"]


class TorchBackend:
    """Hash-engine primitives on one torch device.

    >>> be = TorchBackend("cpu")
    >>> keys = be.encode(np.array([[0, 1, 2], [2, 1, 0]]), 2, 1)
    >>> be.decode(be.expand(keys, np.array([[1, 2, 0]]), 2), 3, 2).tolist()
    [[1, 2, 0], [1, 0, 2]]
    """

    def __init__(self, device: str | torch.device | None = None):
        if device is None:
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = torch.device(device)
        self.NAME = "cuda" if self.device.type == "cuda" else "torch-cpu"
        self._perm_cache: dict[bytes, torch.Tensor] = {}

    # -- layout ---------------------------------------------------------------------
    @staticmethod
    def _layout(n: int, bits: int):
        per = 64 // bits
        words = -(-n // per)
        return per, words

    def encode(self, states: np.ndarray, bits: int, words: int) -> torch.Tensor:
        s = torch.as_tensor(np.array(states, dtype=np.int64), device=self.device)  # a writable copy
        return self._pack(s, bits, words)

    def _pack(self, s: torch.Tensor, bits: int, words: int) -> torch.Tensor:
        """(..., n) symbols -> (..., words) int64; disjoint bit fields, so a sum is an OR."""
        n = s.shape[-1]
        per = 64 // bits
        shifts = (torch.arange(n, device=s.device) % per) * bits
        fields = s << shifts
        out = [fields[..., w * per : min(n, (w + 1) * per)].sum(-1) for w in range(words)]
        return torch.stack(out, dim=-1)

    def _unpack(self, keys: torch.Tensor, n: int, bits: int) -> torch.Tensor:
        per = 64 // bits
        pos = torch.arange(n, device=keys.device)
        word_of = keys[..., pos // per]
        return (word_of >> ((pos % per) * bits)) & ((1 << bits) - 1)

    def decode(self, keys: torch.Tensor, n: int, bits: int) -> np.ndarray:
        keys = keys.reshape(keys.shape[0], -1)
        return self._unpack(keys, n, bits).cpu().numpy().astype(np.int64)

    def _perms(self, perms: np.ndarray) -> torch.Tensor:
        key = perms.tobytes() + bytes(perms.shape)
        t = self._perm_cache.get(key)
        if t is None:
            t = torch.as_tensor(np.array(perms, dtype=np.int64), device=self.device)  # a writable copy
            self._perm_cache = {key: t}
        return t

    def expand(self, keys: torch.Tensor, action, bits: int) -> torch.Tensor:
        """(m, words) -> (m * k, words): row i*k+g is state i acted on by generator g.

        ``action`` is a :class:`~cayley.backends.actions.PermutationAction` (or its
        ``(k, n)`` array; a gather) or a :class:`~cayley.backends.actions.MatrixAction`
        (left multiplication mod m).
        """
        if isinstance(action, MatrixAction):
            return self._expand_matrix(keys, action, bits)
        p = self._perms(as_perms(action))
        k, n = p.shape
        m, words = keys.shape
        states = self._unpack(keys, n, bits)  # (m, n)
        neighbours = states[:, p]  # (m, k, n): every generator in one gather
        return self._pack(neighbours, bits, words).reshape(m * k, words)

    def _expand_matrix(self, keys: torch.Tensor, action: MatrixAction, bits: int) -> torch.Tensor:
        mats = self._perms(action.mats)  # (k, n, n) int64 on the device (cached like perms)
        k, n, _ = mats.shape
        m, words = keys.shape
        states = self._unpack(keys, n * action.cols, bits).reshape(m, 1, 1, n, action.cols)
        # int64 products of entries below m <= 2**31 fit; reduce each before the sum
        # (CUDA has no int64 matmul, so this is a broadcast multiply and a sum)
        prods = torch.remainder(mats.reshape(1, k, n, n, 1) * states, action.modulus)
        neighbours = torch.remainder(prods.sum(dim=3), action.modulus)  # (m, k, n, cols)
        return self._pack(neighbours.reshape(m, k, n * action.cols), bits, words).reshape(m * k, words)

    def key_set(self, words: int, capacity: int = 0) -> "SortedKeySet":
        return SortedKeySet(words, self.device)

    # -- plumbing the driver needs ------------------------------------------------------
    def concat(self, parts: list[torch.Tensor]) -> torch.Tensor:
        return parts[0] if len(parts) == 1 else torch.cat(parts)

    def to_numpy(self, a: torch.Tensor) -> np.ndarray:
        return a.cpu().numpy()

    def from_numpy(self, a: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.ascontiguousarray(a).view(np.int64), device=self.device)


def _unique_rows(rows: torch.Tensor) -> torch.Tensor:
    if rows.shape[1] == 1:
        return torch.unique(rows.reshape(-1)).reshape(-1, 1)
    return torch.unique(rows, dim=0)


def _setdiff(u: torch.Tensor, part: torch.Tensor) -> torch.Tensor:
    """Rows of distinct sorted ``u`` not in distinct sorted ``part``."""
    if len(u) == 0 or len(part) == 0:
        return u
    if u.shape[1] == 1:
        a, b = u.reshape(-1), part.reshape(-1)
        idx = torch.searchsorted(b, a).clamp_(max=len(b) - 1)
        return u[b[idx] != a]
    both = torch.cat([part, u])
    _, inverse = torch.unique(both, dim=0, return_inverse=True)
    in_part = torch.zeros(int(inverse.max()) + 1, dtype=torch.bool, device=u.device)
    in_part[inverse[: len(part)]] = True
    return u[~in_part[inverse[len(part) :]]]


class SortedKeySet(SortedRuns):
    """Exact set of packed states on a torch device, as sorted runs of distinct rows.

    >>> ks = SortedKeySet(1, torch.device("cpu"))
    >>> ks.add_new(torch.tensor([[5], [7], [5]])).reshape(-1).tolist()
    [5, 7]
    >>> ks.add_new(torch.tensor([[7], [9]])).reshape(-1).tolist(), len(ks)
    ([9], 3)
    """

    def __init__(self, words: int, device: torch.device):
        super().__init__(words)
        self.device = device

    def as_rows(self, rows: torch.Tensor) -> torch.Tensor:
        return rows.reshape(-1, self.words)

    def unique(self, rows: torch.Tensor) -> torch.Tensor:
        return _unique_rows(rows)

    def setdiff(self, new: torch.Tensor, part: torch.Tensor) -> torch.Tensor:
        return _setdiff(new, part)

    def merge(self, parts: list[torch.Tensor]) -> torch.Tensor:
        return _unique_rows(torch.cat(parts))
