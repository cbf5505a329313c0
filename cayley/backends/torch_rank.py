"""torch backend (CPU or CUDA) for the rank engine's primitives.

The same primitives as :class:`cayley.backends.numba_rank.NumbaRankKernels`, run by the
same driver (:func:`cayley.graphs.rank_engine.rank_bfs`), on tensors that stay on the
device for the whole search. The code array is the numba backend's, bit for bit: 2 bits
per rank, 32 ranks per 64-bit word (torch int64, so the top slot's high bit is the sign
bit; words are only shifted right and masked, so that changes nothing), in the same
blocked layout with the same padding, and the same per-block flags. That is why a
checkpoint written by one backend resumes on the other, and why tests can compare the
two arrays after every layer.

A top-down layer (:meth:`TorchRankKernels.push`) takes the flagged blocks in groups sized
by the memory budget, and per group:

1. frontier scan: the words' slots holding the frontier code, by bit masks over whole
   words, then ``torch.nonzero`` over the unpacked slots of the words that hold any;
2. unrank the frontier in batches (vectorised Lehmer decode for permutations, the
   multiset table for strings: O(n^2) tensor operations over the batch, none per state);
3. apply every generator in one gather (the batch's states are columns, ``(n, batch)``;
   gathering rows by the generators gives ``(n, k * batch)``, every neighbour at once);
4. rank the neighbours in batch and read their codes; keep the unseen ones, make them
   distinct with ``torch.unique`` and write the new code with one ``index_add_`` on the
   word array (see :meth:`TorchRankKernels._mark` for why an add is a bitwise update);
5. turn the group's frontier codes into "done" with one masked OR per word.

A bottom-up layer (:meth:`TorchRankKernels.pull`, the numba engine's trick for late
layers) scans for unseen slots instead, ranks each one's neighbours under the inverse
generators and marks it when one of them holds the frontier code. The driver chooses
between the two with the numba engine's rule.

Memory: besides the codes (``n!/4`` bytes, e.g. ~22 GB for S_14) and one flag byte per
block (``n!/5040``), nothing scales with the state space: every temporary is bounded by
the batch, which ``work_bytes`` sets (default 256 MiB on the CPU, and on a GPU a quarter
of the device memory left after the codes, at most 8 GiB).

>>> from cayley.backends.ranking import PermutationRanking
>>> from cayley.backends.numba_rank import PermLayout
>>> k = TorchRankKernels(PermutationRanking(3), PermLayout(3), np.array([[1, 0, 2], [0, 2, 1]]), device="cpu")
>>> k.reset(0); k.push(1, record_size=1)
(2, array([0]))
>>> k.extract(2).tolist(), k.probe(2)
([1, 2], True)
"""

from __future__ import annotations

import sys
from math import factorial
from typing import Optional

import numpy as np
import torch

from ..errors import MemoryEstimateError
from .numba_rank import fill_padding

__all__ = ["TorchRankKernels", "rank_permutations", "unrank_permutations", "bytes_per_state"]

_LO = 0x5555555555555555  # the low bit of every 2-bit slot (fits a signed int64)
_FULL = 2**64 - 1


def signed_word(v: int) -> int:
    """A 64-bit pattern as the int64 value torch stores.

    >>> signed_word(2**64 - 1), signed_word(5)
    (-1, 5)
    """
    v &= _FULL
    return v - 2**64 if v >= 2**63 else v


def _frontier_bits(x: torch.Tensor, code: int) -> torch.Tensor:
    """One bit (the low bit of each 2-bit slot) per slot of the words ``x`` holding ``code``.
    ``x >> 1`` is an arithmetic shift, but the mask drops the sign bits it brings in."""
    lo = x & _LO
    hi = (x >> 1) & _LO
    a = lo if code & 1 else ~lo
    b = hi if code & 2 else ~hi
    return a & b & _LO


# ---------------------------------------------------------------------------------
# batch rankings (lexicographic, as cayley.backends.ranking), O(n^2) tensor ops per batch
# ---------------------------------------------------------------------------------
# States in a batch are columns: (n, m) uint8, row i holding every state's symbol i, so
# every step below works on whole contiguous rows of m bytes (measured on the CPU: ~10x
# faster than the same counts over (m, n) rows of states; on a GPU, coalesced kernels).
# The CPU runs exactly the code a GPU runs, so CI tests the GPU path.
def rank_permutations(states: torch.Tensor, fact: list[int]) -> torch.Tensor:
    """Lexicographic ranks (int64) of the permutations in the *columns* of ``states``
    ((n, m) uint8): Lehmer digit ``i`` counts the later symbols smaller than symbol ``i``,
    one comparison of rows and one uint8 reduction per position (so n kernels on a GPU;
    on the CPU within ~10% of one operation per pair of rows, measured); ``fact[i] = i!``.

    >>> s = torch.tensor([[0, 1, 2], [2, 1, 0], [1, 0, 2]], dtype=torch.uint8).T
    >>> rank_permutations(s, [1, 1, 2]).tolist()
    [0, 5, 2]
    """
    n, m = states.shape
    r = torch.zeros(m, dtype=torch.int64, device=states.device)
    for i in range(n - 1):
        d = (states[i + 1 :] < states[i]).sum(0, dtype=torch.uint8)
        r.add_(d, alpha=fact[n - 1 - i])
    return r


def unrank_permutations(ranks: torch.Tensor, n: int, fact: list[int]) -> torch.Tensor:
    """The permutations with lexicographic ranks ``ranks``, as columns ((n, m) uint8):
    the Lehmer digits by the factorial number system, then decoded right to left (digit
    ``i`` becomes the symbol, and every later symbol at least as large moves up by one).

    >>> unrank_permutations(torch.tensor([3, 5]), 3, [1, 1, 2]).T.tolist()
    [[1, 2, 0], [2, 1, 0]]
    """
    r = ranks.clone()
    s = torch.empty((n, len(ranks)), dtype=torch.uint8, device=ranks.device)
    for i in range(n):
        f = fact[n - 1 - i]
        d = torch.div(r, f, rounding_mode="floor")
        r.sub_(d, alpha=f)
        s[i] = d
    for i in range(n - 2, -1, -1):
        tail = s[i + 1 :]
        tail += tail >= s[i]
    return s


def _rank_multiset(states: torch.Tensor, cum: torch.Tensor, unit: torch.Tensor, full: int) -> torch.Tensor:
    """Lexicographic ranks of the strings in the columns of ``states`` through the
    multiset table (see ``MultisetRanking``)."""
    c = torch.full((states.shape[1],), full, dtype=torch.int64, device=states.device)
    r = torch.zeros_like(c)
    for i in range(states.shape[0] - 1):
        v = states[i].long()
        r += cum[c, v]
        c -= unit[v]
    return r


def _unrank_multiset(ranks: torch.Tensor, n: int, cum: torch.Tensor, unit: torch.Tensor, full: int) -> torch.Tensor:
    """The strings of these ranks, as columns: symbol ``i`` is the number of table entries
    ``cum[c, 1:]`` not above the remaining rank (the table's rows are non-decreasing)."""
    r = ranks.clone()
    c = torch.full_like(r, full)
    s = torch.empty((n, len(r)), dtype=torch.uint8, device=r.device)
    for i in range(n):
        row = cum[c]
        v = (row[:, 1:] <= r[:, None]).sum(1)
        r -= row.gather(1, v[:, None])[:, 0]
        s[i] = v
        c -= unit[v]
    return s


def bytes_per_state(n: int, k: int) -> int:
    """Working bytes budgeted per frontier state in a batch (``work_bytes`` divided by
    this is the batch size): its index, rank and state, then per neighbour the state
    (uint8), the Lehmer temporaries, rank, index, word and code read, and the sort behind
    ``torch.unique``. Measured on torch's CPU, S_11 lrx (batches of 142k and 568k
    states): peak working memory 60 MiB and 225 MiB for budgets of 64 and 256 MiB.

    >>> bytes_per_state(14, 3)   # S_14 lrx: an 8 GiB budget takes 17 million states a batch
    506
    """
    return 64 + 2 * n + k * (3 * n + 96)


class TorchRankKernels:
    """The rank engine's primitives on a torch device (see the module docstring).

    Parameters
    ----------
    ranking, lay : the state space's ranking and its code layout (``PermLayout`` or
        ``MultisetLayout`` from :mod:`cayley.backends.numba_rank`).
    perms : (k, n) generators.
    device : torch device; default CUDA when torch sees one, else CPU.
    work_bytes : memory budget for one batch's temporaries (sets the batch size).

    >>> from cayley.backends.ranking import MultisetRanking
    >>> from cayley.backends.numba_rank import MultisetLayout
    >>> mr = MultisetRanking([2, 2])
    >>> k = TorchRankKernels(mr, MultisetLayout(mr), np.array([[1, 2, 3, 0]]), device="cpu")
    >>> k.reset(0); [k.push(c, record_size=None)[0] for c in (1, 2, 1, 2)]
    [1, 1, 1, 0]
    """

    can_pull = True

    def __init__(self, ranking, lay, perms, device=None, work_bytes: Optional[int] = None):
        if device is None:
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = torch.device(device)
        self.name = "cuda" if self.device.type == "cuda" else "torch-cpu"
        self.ranking, self.lay = ranking, lay
        dev = self.device
        perms = np.array(perms, dtype=np.int64)  # a writable copy (torch shares its memory)
        self.k, self.n = perms.shape
        # row i * k + g of a gather of state columns by these is generator g's symbol i
        self.perms = torch.as_tensor(np.ascontiguousarray(perms.T).reshape(-1), device=dev)
        self.inv = torch.as_tensor(np.ascontiguousarray(np.argsort(perms, axis=1).T).reshape(-1), device=dev)
        self.perm_space = lay.kind == "permutations"
        if self.perm_space:
            self.fact = [factorial(i) for i in range(self.n)]
        else:
            self.cum = torch.as_tensor(ranking.cum, device=dev)
            self.unit = torch.as_tensor(ranking.unit, device=dev)
            self.full = int(ranking.full)
        code_bytes = lay.nwords * 8 + lay.nblocks * 2
        if work_bytes is None:
            if dev.type == "cuda":
                free, _ = torch.cuda.mem_get_info(dev)
                work_bytes = int(min(8 * 2**30, max(2**26, (free - code_bytes) // 4)))
            else:
                work_bytes = 256 * 2**20
        if dev.type == "cuda":
            free, _ = torch.cuda.mem_get_info(dev)
            if code_bytes + work_bytes > free:
                raise MemoryEstimateError(
                    f"the rank engine needs {(code_bytes + work_bytes) / 2**30:.2f} GiB on {dev} "
                    f"({code_bytes / 2**30:.2f} GiB of codes, {work_bytes / 2**30:.2f} GiB of batches) "
                    f"but {free / 2**30:.2f} GiB are free; try --backend cpu or a smaller work budget",
                    estimate_bytes=code_bytes + work_bytes,
                    limit_bytes=free,
                )
        self.work_bytes = int(work_bytes)
        # frontier states per batch, and blocks per scan group (a scanned word costs its
        # index, value and masks, ~40 B, and a word holding frontier slots 32 x 8 B more)
        self.batch = max(1024, self.work_bytes // bytes_per_state(self.n, self.k))
        self.group_blocks = max(1, (self.work_bytes // 2) // (lay.bwords * 300))
        self.codes: Optional[torch.Tensor] = None
        self.flags: Optional[torch.Tensor] = None
        # _byte_slots[code][b, j]: slot j of byte b holds code (bytes in memory order:
        # little-endian words, as on x86, ARM and CUDA, keep slot 4 * i + j in byte i)
        if sys.byteorder != "little":  # pragma: no cover - no big-endian torch platform in use
            raise NotImplementedError("the torch rank backend assumes little-endian words")
        b = torch.arange(256, device=dev)
        self._byte_slots = [((b[:, None] >> (2 * torch.arange(4, device=dev))) & 3) == c for c in range(4)]
        self._word_offsets = torch.arange(lay.bwords, dtype=torch.int64, device=dev)

    # -- state ---------------------------------------------------------------------------
    def reset(self, start_idx: int) -> None:
        """Fresh codes: everything unseen except the padding (done) and the start (code 1)."""
        lay = self.lay
        self.codes = torch.zeros(lay.nwords, dtype=torch.int64, device=self.device)
        fill_padding(self.codes, lay, word=signed_word)
        self.flags = torch.zeros(lay.nblocks, dtype=torch.uint8, device=self.device)
        self.codes[start_idx >> 5] |= 1 << ((start_idx & 31) * 2)
        self.flags[start_idx // lay.stride] = 1

    def restore(self, codes: np.ndarray, flags: np.ndarray) -> None:
        self.codes = torch.as_tensor(np.ascontiguousarray(codes, dtype=np.uint64).view(np.int64), device=self.device)
        self.flags = torch.as_tensor(np.ascontiguousarray(flags, dtype=np.uint8), device=self.device)

    def host_arrays(self):
        """Codes (uint64, the numba backend's dtype) and flags, copied to the host."""
        return self.codes.cpu().numpy().view(np.uint64), self.flags.cpu().numpy()

    # -- rank space ----------------------------------------------------------------------
    def _to_rank(self, idx: torch.Tensor) -> torch.Tensor:
        lay = self.lay
        if not self.perm_space:
            return idx
        return (idx // lay.stride) * lay.mfact + idx % lay.stride

    def _to_index(self, ranks: torch.Tensor) -> torch.Tensor:
        lay = self.lay
        if not self.perm_space:
            return ranks
        return (ranks // lay.mfact) * lay.stride + ranks % lay.mfact

    def _states(self, idx: torch.Tensor) -> torch.Tensor:
        r = self._to_rank(idx)
        if self.perm_space:
            return unrank_permutations(r, self.n, self.fact)
        return _unrank_multiset(r, self.n, self.cum, self.unit, self.full)

    def _neighbour_index(self, states: torch.Tensor, perms: torch.Tensor) -> torch.Tensor:
        """Indices of every generator's neighbour of every state column, (k * batch,),
        generator-major: all generators in one gather of rows, ``(n * k, batch)`` viewed
        as ``(n, k * batch)`` (neighbour ``g * batch + b`` is generator g on state b)."""
        nb = states[perms].reshape(self.n, -1)
        if self.perm_space:
            r = rank_permutations(nb, self.fact)
        else:
            r = _rank_multiset(nb, self.cum, self.unit, self.full)
        return self._to_index(r)

    def _read(self, idx: torch.Tensor) -> torch.Tensor:
        return (self.codes[idx >> 5] >> ((idx & 31) << 1)) & 3

    def _mark(self, idx: torch.Tensor, code: int) -> None:
        """Give the distinct slots ``idx``, all unseen (code 0), the code ``code``.

        ``index_add_`` adds ``(code - 0) << shift`` to each slot's word. The slots are
        distinct and their fields hold 0, so the contributions to one word touch
        disjoint bit fields of zeros: no carry ever crosses a field, and the sum is
        exactly the bitwise OR (in two's complement too: adding bit patterns disjoint
        from the word's set bits cannot overflow). So the update is exact with no
        atomic OR, which torch lacks; on CUDA the adds to one word are atomic adds,
        and their order does not matter.
        """
        sh = (idx & 31) << 1
        self.codes.index_add_(0, idx >> 5, torch.full_like(sh, code) << sh)

    # -- scanning ------------------------------------------------------------------------
    def _groups(self, blocks: Optional[torch.Tensor]):
        """Word indices of groups of blocks (``blocks``, sorted; None: all), ascending."""
        lay = self.lay
        nb = lay.nblocks if blocks is None else len(blocks)
        for g0 in range(0, nb, self.group_blocks):
            g1 = min(nb, g0 + self.group_blocks)
            if blocks is None:
                yield torch.arange(g0 * lay.bwords, g1 * lay.bwords, dtype=torch.int64, device=self.device)
            else:
                yield (blocks[g0:g1, None] * lay.bwords + self._word_offsets).reshape(-1)

    def _slots(self, widx: torch.Tensor, code: int):
        """Sorted slot indices holding ``code`` in the words ``widx``, plus the words that
        hold any and their per-slot bit masks. The words that hold any are unpacked a
        byte (4 slots) at a time through a 256-entry table, 32 B per word."""
        words = self.codes[widx]
        fm = _frontier_bits(words, code)
        hit = torch.nonzero(fm).reshape(-1)
        wsel, fsel = widx[hit], fm[hit]
        slots = self._byte_slots[code][words[hit].view(torch.uint8).long()].reshape(-1, 32)
        w, j = torch.nonzero(slots, as_tuple=True)
        return wsel[w] * 32 + j, wsel, fsel

    def _active(self) -> torch.Tensor:
        return torch.nonzero(self.flags).reshape(-1)

    # -- layers --------------------------------------------------------------------------
    def push(self, code_f: int, record_size=None):
        """Top-down layer from the frontier (code ``code_f``); unseen neighbours get
        ``3 - code_f``, the frontier becomes done, the flags move to the new layer's
        blocks. Returns the new layer's size and, when ``record_size`` is given, the
        frontier's indices (sorted, on the host)."""
        code_n = 3 - code_f
        stride = self.lay.stride
        flags_next = torch.zeros_like(self.flags)
        new = 0
        rec = []
        for widx in self._groups(self._active()):
            idx, wsel, fsel = self._slots(widx, code_f)
            if record_size is not None:
                rec.append(idx)
            for b0 in range(0, len(idx), self.batch):
                nidx = self._neighbour_index(self._states(idx[b0 : b0 + self.batch]), self.perms)
                unseen = torch.unique(nidx[self._read(nidx) == 0])
                if len(unseen):
                    self._mark(unseen, code_n)
                    flags_next[unseen // stride] = 1
                    new += len(unseen)
            # retire the group's frontier: only unseen codes are ever tested, and these
            # slots' fields are disjoint from those just marked
            if len(wsel):
                self.codes[wsel] |= (fsel << 1) if code_f == 1 else fsel
        self.flags = flags_next
        if record_size is None:
            return new, None
        return new, (torch.cat(rec).cpu().numpy() if rec else np.empty(0, np.int64))

    def pull(self, code_f: int) -> int:
        """Bottom-up layer: every unseen slot whose neighbour under some inverse generator
        holds ``code_f`` joins the new layer (``3 - code_f``); then the frontier becomes
        done. Each slot is marked only by itself, so the marks are distinct."""
        code_n = 3 - code_f
        stride = self.lay.stride
        flags_next = torch.zeros_like(self.flags)
        new = 0
        for widx in self._groups(None):
            idx, _, _ = self._slots(widx, 0)
            for b0 in range(0, len(idx), self.batch):
                part = idx[b0 : b0 + self.batch]
                nidx = self._neighbour_index(self._states(part), self.inv)
                found = part[(self._read(nidx) == code_f).reshape(self.k, len(part)).any(0)]
                if len(found):
                    self._mark(found, code_n)
                    flags_next[found // stride] = 1
                    new += len(found)
        for widx in self._groups(self._active()):
            fm = _frontier_bits(self.codes[widx], code_f)
            self.codes[widx] |= (fm << 1) if code_f == 1 else fm
        self.flags = flags_next
        return new

    def extract(self, code: int) -> np.ndarray:
        """Sorted indices of the slots holding ``code`` in the flagged blocks (host)."""
        parts = [self._slots(widx, code)[0] for widx in self._groups(self._active())]
        return torch.cat(parts).cpu().numpy() if parts else np.empty(0, np.int64)

    def probe(self, code_f: int) -> bool:
        """Whether some frontier state has an unseen neighbour (writes nothing)."""
        for widx in self._groups(self._active()):
            idx = self._slots(widx, code_f)[0]
            for b0 in range(0, len(idx), self.batch):
                nidx = self._neighbour_index(self._states(idx[b0 : b0 + self.batch]), self.perms)
                if bool((self._read(nidx) == 0).any()):
                    return True
        return False
