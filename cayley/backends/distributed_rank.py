"""The rank engine across processes (torch.distributed): the code array sharded by blocks.

Each of the ``W`` processes owns a contiguous range of the layout's blocks (about ``1/W`` of
the codes, so ``W`` machines hold a state space ``W`` times larger than one can: S_15's
327 GB of codes on eight 80 GB GPUs). The one driver,
:func:`cayley.graphs.rank_engine.rank_bfs`, runs in every process (SPMD) over these
primitives; every collective decision it takes (the layer sizes) is the same everywhere
because the counts are all-reduced.

A top-down layer, in rounds of at most one batch of frontier states per process:

1. each process unranks a batch of its own frontier states and ranks every neighbour (on
   CPUs for permutations: numba's :func:`~cayley.backends.numba_rank.perm_expand`, the
   perm_layer machinery; otherwise the torch backend's batch kernels, on its device);
2. the neighbours' distinct indices are sorted, so they are already grouped by owner
   (ownership is monotone in the index); one ``all_to_all`` exchanges the counts and one
   the indices;
3. each owner keeps the received indices that are unseen in its shard, makes them
   distinct and marks them with the next code (numba: atomic ORs whose old value decides
   who counts a state); then retires its frontier.

The number of rounds is agreed with an all-reduce per round (a process out of frontier
sends nothing but keeps answering). Layers are top-down only (a bottom-up layer would need
a request/answer exchange for every parent). With a checkpoint folder each process saves its
shard (:class:`cayley.graphs.checkpoint.ShardedCheckpoint`), all at the same layers, and a run resumes from the
newest layer every process holds, also after a kill in the middle of a save.

Process groups: gloo with CPU tensors (tested here with several local processes), or NCCL
with one GPU per process (``cuda:LOCAL_RANK``). Launch with ``torchrun``, which sets the
environment :func:`init_from_env` reads::

    torchrun --nproc-per-node 4 -m cayley growth S_12 --gens lrx --backend distributed

>>> ShardedRankKernels.owner_ranges(10, 4)
[(0, 3), (3, 6), (6, 9), (9, 10)]
"""

from __future__ import annotations

import os
from typing import Optional

import numpy as np
import torch
import torch.distributed as dist

from ..errors import InvalidInputError
from .torch_rank import TorchRankKernels, signed_word

__all__ = ["ShardedRankKernels", "init_from_env"]

_FULL = 2**64 - 1


def init_from_env() -> None:
    """Join the process group described by torchrun's environment (``RANK``,
    ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT``) unless one is initialised: NCCL
    when CUDA is available, gloo otherwise."""
    if dist.is_initialized():
        return
    if "WORLD_SIZE" not in os.environ or "RANK" not in os.environ:
        raise InvalidInputError(
            "backend 'distributed' runs under torchrun (which sets RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT), "
            "e.g. torchrun --nproc-per-node 4 -m cayley growth S_12 --gens lrx --backend distributed"
        )
    use_nccl = torch.cuda.is_available() and os.environ.get("CAYLEY_DIST_BACKEND", "") != "gloo"
    if use_nccl:
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    dist.init_process_group("nccl" if use_nccl else "gloo")


def _device_for_group() -> torch.device:
    if dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def _share_cores() -> None:
    """CPU processes on one machine share its cores: at most cores / LOCAL_WORLD_SIZE torch
    threads each (measured: 2 processes of 2 threads on 2 cores took S_11 lrx 34 s, of one
    thread 11 s)."""
    local = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    want = max(1, cores // max(1, local))
    if torch.get_num_threads() > want:
        torch.set_num_threads(want)
    import numba

    if numba.get_num_threads() > want:
        numba.set_num_threads(want)


class _Shard:
    """The part of a layout one process owns: blocks ``b0 .. b1 - 1`` (local words from 0)."""

    def __init__(self, lay, b0: int, b1: int):
        self.kind, self.bwords, self.stride = lay.kind, lay.bwords, lay.stride
        self.mfact = getattr(lay, "mfact", None)
        self.b0, self.b1 = b0, b1
        self.nblocks = b1 - b0
        self.nwords = self.nblocks * lay.bwords
        self.base_word = b0 * lay.bwords
        self.size = lay.size


class ShardedRankKernels(TorchRankKernels):
    """The rank engine's primitives with the codes sharded across the process group (see
    the module docstring). Every method is collective: all processes call it together."""

    can_pull = False

    @staticmethod
    def owner_ranges(nblocks: int, world: int) -> list[tuple[int, int]]:
        """Block ranges ``[b0, b1)`` of the ``world`` processes: equal shares, the last
        one shorter."""
        per = -(-nblocks // world)
        return [(min(r * per, nblocks), min((r + 1) * per, nblocks)) for r in range(world)]

    def __init__(self, ranking, lay, perms, group=None, work_bytes: Optional[int] = None):
        if not dist.is_initialized():
            raise InvalidInputError("the distributed rank engine needs an initialised torch.distributed process group")
        self.group = group
        self.rank, self.world = dist.get_rank(group), dist.get_world_size(group)
        self.per = -(-lay.nblocks // self.world)
        b0, b1 = self.owner_ranges(lay.nblocks, self.world)[self.rank]
        self.shard = _Shard(lay, b0, b1)
        self.global_layout = lay
        device = _device_for_group()
        if device.type == "cpu":
            _share_cores()
        super().__init__(ranking, self.shard, perms, device=device, work_bytes=work_bytes or 2**27)
        self.lay = self.shard
        self.name = f"distributed-{dist.get_backend(group)}x{self.world}"
        # on CPUs, permutations expand and claim through numba (perm_layer's machinery)
        self._numba = device.type == "cpu" and lay.kind == "permutations" and os.environ.get("CAYLEY_DIST_NUMBA", "1") != "0"
        if self._numba:
            keep, fpart, qend, modf = lay.generator_parts(np.asarray(perms, dtype=np.int64))
            shifts = np.ascontiguousarray((4 * np.asarray(perms, dtype=np.int64)[keep]).astype(np.uint64))
            self._expand_args = (shifts, fpart, qend, modf, lay.weights.astype(np.uint64), np.uint64(lay.P),
                                 np.uint64(lay.bwords), lay.table)
            self._k_kept = len(keep)
            self.name += "-numba"

    # -- rank space: the torch backend's (a shard keeps the layout's stride and block size);
    # ownership: equal runs of blocks --------------------------------------------------------
    def _owner(self, idx: torch.Tensor) -> torch.Tensor:
        return torch.div(idx, self.global_layout.stride * self.per, rounding_mode="floor")

    # -- local codes, global indices ----------------------------------------------------------
    def reset(self, start_idx: int) -> None:
        sh = self.shard
        self.codes = torch.zeros(sh.nwords, dtype=torch.int64, device=self.device)
        self.flags = torch.zeros(sh.nblocks, dtype=torch.uint8, device=self.device)
        if sh.kind == "permutations":
            last = sh.mfact - (sh.bwords - 1) * 32
            if last < 32 and sh.nblocks:
                self.codes.view(sh.nblocks, sh.bwords)[:, -1] |= signed_word(~((1 << (2 * last)) - 1) & _FULL)
        else:  # the slots past the last rank, where they fall in this shard
            lo, hi = max(sh.size, sh.base_word * 32), (sh.base_word + sh.nwords) * 32
            for slot in range(lo, hi):
                w = (slot >> 5) - sh.base_word
                self.codes[w] |= signed_word(3 << (2 * (slot & 31)))
        if self._owner(torch.tensor(start_idx)).item() == self.rank:
            w = (start_idx >> 5) - sh.base_word
            self.codes[w] |= 1 << ((start_idx & 31) * 2)
            self.flags[start_idx // sh.stride - sh.b0] = 1

    # -- checkpoints: every process saves its shard (host_arrays/restore are the torch backend's;
    # the folder logic is cayley.graphs.checkpoint.ShardedCheckpoint) --
    def gather_object(self, obj) -> list:
        """``obj`` of every process, in process order (collective)."""
        everyone: list = [None] * self.world
        dist.all_gather_object(everyone, obj, group=self.group)
        return everyone

    def agree(self, due: bool) -> bool:
        """Whether any process wants a checkpoint now (so all save at the same layer)."""
        return self._sum(int(bool(due))) > 0

    def _local_word(self, idx: torch.Tensor) -> torch.Tensor:
        return (idx >> 5) - self.shard.base_word

    def _read(self, idx: torch.Tensor) -> torch.Tensor:
        return (self.codes[self._local_word(idx)] >> ((idx & 31) << 1)) & 3

    def _mark(self, idx: torch.Tensor, code: int) -> None:
        sh = (idx & 31) << 1
        self.codes.index_add_(0, self._local_word(idx), torch.full_like(sh, code) << sh)

    def _slots(self, widx: torch.Tensor, code: int):
        idx, wsel, fsel = super()._slots(widx, code)
        return idx + self.shard.base_word * 32, wsel, fsel

    # -- collectives ----------------------------------------------------------------------------
    def _sum(self, value: int) -> int:
        t = torch.tensor([value], dtype=torch.int64, device=self.device)
        dist.all_reduce(t, group=self.group)
        return int(t.item())

    def _exchange(self, idx: torch.Tensor) -> torch.Tensor:
        """Send each of the sorted distinct global indices ``idx`` to its owner; returns the
        indices this process received (from all processes, itself included)."""
        return self._exchange_sorted(idx, torch.bincount(self._owner(idx), minlength=self.world))

    def _exchange_sorted(self, idx: torch.Tensor, counts: torch.Tensor) -> torch.Tensor:
        """Send ``idx`` (grouped by owner, ``counts[r]`` for process ``r``) to the owners."""
        counts = counts.to(torch.int64)
        got = torch.empty_like(counts)
        dist.all_to_all_single(got, counts, group=self.group)
        out = torch.empty(int(got.sum().item()), dtype=torch.int64, device=self.device)
        dist.all_to_all_single(out, idx, output_split_sizes=got.tolist(), input_split_sizes=counts.tolist(),
                               group=self.group)
        return out

    def _gather(self, idx: torch.Tensor) -> np.ndarray:
        """Every process's ``idx`` (variable lengths), concatenated and sorted, everywhere."""
        n = torch.tensor([len(idx)], dtype=torch.int64, device=self.device)
        sizes = [torch.zeros_like(n) for _ in range(self.world)]
        dist.all_gather(sizes, n, group=self.group)
        m = max(int(s.item()) for s in sizes)
        pad = torch.full((m,), -1, dtype=torch.int64, device=self.device)
        pad[: len(idx)] = idx
        parts = [torch.empty_like(pad) for _ in range(self.world)]
        dist.all_gather(parts, pad, group=self.group)
        allidx = torch.cat([p[: int(s.item())] for p, s in zip(parts, sizes)]).cpu().numpy()
        return np.sort(allidx)

    def _frontier_batches(self, code: int):
        """This process's frontier (global indices) in batches, then forever empty batches,
        each with the local words to retire once its group is done."""
        for widx in self._groups(self._active()):
            idx, wsel, fsel = self._slots(widx, code)
            for b0 in range(0, len(idx), self.batch):
                yield idx[b0 : b0 + self.batch], None
            yield None, (wsel, fsel)
        while True:
            yield None, None

    def _rounds(self, code: int):
        """Batches of the local frontier, round by round, until every process is out of them
        (one all-reduce a round); retirements are passed through as ``(None, words)``."""
        it = self._frontier_batches(code)
        empty = torch.empty(0, dtype=torch.int64, device=self.device)
        done_here = False
        while True:
            batch = None
            while batch is None and not done_here:
                batch, retire = next(it)
                if retire is not None:
                    yield None, retire
                elif batch is None:
                    done_here = True
            if self._sum(0 if done_here else 1) == 0:
                return
            yield (batch if batch is not None else empty), None

    # -- layers -----------------------------------------------------------------------------------
    def _push_numba(self, code_f: int, rec):
        """The top-down layer on CPUs: numba expands chunks of the flagged blocks (global
        neighbour indices, frontier retired), groups them by owner (a counting sort),
        all_to_all, and numba claims the received ones with atomics."""
        import numba

        from .numba_rank import claim, count_in_blocks, group_by_owner, perm_expand

        U = np.uint64
        sh = self.shard
        codes = self.codes.numpy().view(np.uint64)  # the tensor's memory
        flags = self.flags.numpy()
        active = np.flatnonzero(flags).astype(np.int64)
        counts = count_in_blocks(codes, active, U(sh.bwords), U(code_f))
        k = max(1, self._k_kept)
        chunk_states = max(5040, self.work_bytes // (k * 8 * 4))
        flags_next = np.zeros_like(flags)
        span = self.global_layout.stride * self.per
        new, i0, nthreads = 0, 0, numba.get_num_threads()
        while True:
            i1 = i0
            total = 0
            while i1 < len(active) and (total == 0 or total + counts[i1] <= chunk_states):
                total += int(counts[i1])
                i1 += 1
            if self._sum(1 if i1 > i0 else 0) == 0:
                break
            if i1 > i0:
                offsets = np.zeros(i1 - i0, np.int64)
                np.cumsum(counts[i0 : i1 - 1], out=offsets[1:])
                out = perm_expand(codes, active[i0:i1], U(sh.b0), offsets, *self._expand_args, U(code_f),
                                  np.empty(total * self._k_kept, np.uint64))
            else:
                out = np.empty(0, np.uint64)
            i0 = i1
            grouped, per_owner = group_by_owner(out, U(span), self.world)
            got = self._exchange_sorted(torch.from_numpy(grouped.view(np.int64)), torch.from_numpy(per_owner))
            if len(got):
                new += int(claim(codes, got.numpy().view(np.uint64), U(sh.base_word), U(sh.b0),
                                 U(sh.stride), U(3 - code_f), flags_next, nthreads))
        self.flags = torch.from_numpy(flags_next)
        return self._sum(new), rec

    def push(self, code_f: int, record_size=None):
        if self._numba:
            return self._push_numba(code_f, self.extract(code_f) if record_size is not None else None)
        code_n = 3 - code_f
        rec = self.extract(code_f) if record_size is not None else None
        flags_next = torch.zeros_like(self.flags)
        new = 0
        for batch, retire in self._rounds(code_f):
            if retire is not None:
                wsel, fsel = retire
                if len(wsel):
                    self.codes[wsel] |= (fsel << 1) if code_f == 1 else fsel
                continue
            nidx = self._neighbour_index(self._states(batch), self.perms) if len(batch) else batch
            mine = self._exchange(torch.unique(nidx))
            unseen = torch.unique(mine[self._read(mine) == 0])
            if len(unseen):
                self._mark(unseen, code_n)
                flags_next[torch.div(unseen, self.shard.stride, rounding_mode="floor") - self.shard.b0] = 1
                new += len(unseen)
        self.flags = flags_next
        return self._sum(new), rec

    def pull(self, code_f: int) -> int:  # pragma: no cover - the driver never pulls (can_pull is False)
        raise NotImplementedError("the distributed rank engine finds layers top-down only")

    def extract(self, code: int) -> np.ndarray:
        parts = [self._slots(widx, code)[0] for widx in self._groups(self._active())]
        local = torch.cat(parts) if parts else torch.empty(0, dtype=torch.int64, device=self.device)
        return self._gather(local)

    def probe(self, code_f: int) -> bool:
        found = False
        for batch, retire in self._rounds(code_f):
            if retire is not None:
                continue
            nidx = self._neighbour_index(self._states(batch), self.perms) if len(batch) else batch
            mine = self._exchange(torch.unique(nidx))
            found = found or bool((self._read(mine) == 0).any())
        return self._sum(int(found)) > 0

