"""Fused CUDA kernels for the rank engine on permutations (one kernel launch per layer).

The torch backend (:mod:`cayley.backends.torch_rank`) builds a layer from tensor
operations: it materialises every frontier state, every neighbour and its rank in device
memory, then sorts them. This backend does the whole layer in one kernel, with nothing in
device memory but the codes: one thread per 64-bit word of the flagged blocks (a grid-stride
loop) takes the word's frontier slots, unranks each (the block's prefix once per word), applies
every generator, ranks the neighbour, reads its code and gives an unseen one the next code
with an atomic OR whose old value says who found it (so the layer is counted exactly: a warp
sum, one atomic add per warp), then retires the word's frontier with one more atomic OR. The
bottom-up layer (``pull``) is the same loop over the unseen slots and the inverse generators.

The source is generated per graph: ``n``, the block layout and the generators are
compile-time constants, so the Lehmer loops unroll and each generator is a few shifts and
masks of the state packed as 4-bit symbols in one 64-bit register (``n <= 15``, which the
rank engine's 2**41-rank limit implies). It is compiled by NVRTC through CuPy on a GPU, and
for tests and CI the *same source* is compiled by the host C++ compiler with a small shim
(``CAYLEY_HOST_EMULATION``: one "thread" runs the grid-stride loop over everything, the warp
sum is the identity, atomics are the compiler's builtins), so the kernels' arithmetic is
checked bit for bit against the numba engine on machines with no GPU.

The codes are the numba and torch backends' array (same layout and padding), kept in a torch
tensor, so everything else (frontier extraction, probing, checkpoints) is inherited from
:class:`~cayley.backends.torch_rank.TorchRankKernels` and checkpoints move between backends.

>>> from cayley.backends.ranking import PermutationRanking
>>> from cayley.backends.numba_rank import PermLayout
>>> import shutil
>>> k = CudaRankKernels(PermutationRanking(4), PermLayout(4), np.array([[1, 0, 2, 3], [1, 2, 3, 0], [3, 0, 1, 2]]),
...                     device="cpu") if shutil.which("c++") else None
>>> if k is not None:  # S_4 lrx, layer by layer (1 + 3 + 5 + 6 + 5 + 3 + 1 = 4!)
...     k.reset(0); assert [k.push(c)[0] for c in (1, 2, 1, 2, 1, 2, 1)] == [3, 5, 6, 5, 3, 1, 0]
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
from math import factorial
from typing import Optional

import numpy as np
import torch

from ..errors import InvalidInputError
from .torch_rank import TorchRankKernels

__all__ = ["CudaRankKernels", "kernel_source", "fused_available"]

_THREADS = 256  # threads per CUDA block

_PRELUDE = r"""
typedef unsigned long long u64;
typedef unsigned int u32;
#ifdef CAYLEY_HOST_EMULATION
/* the same kernels on the host, for tests: one thread walks every grid-stride loop */
struct cayley_dim3 { u32 x; };
static const cayley_dim3 threadIdx = {0}, blockIdx = {0}, blockDim = {1}, gridDim = {1};
#define CAYLEY_KERNEL extern "C"
#define __device__
#define __forceinline__ inline
static inline u64 atomicOr(u64 *p, u64 v) { return __atomic_fetch_or(p, v, __ATOMIC_RELAXED); }
static inline u64 atomicAdd(u64 *p, u64 v) { return __atomic_fetch_add(p, v, __ATOMIC_RELAXED); }
static inline int __popc(u32 x) { return __builtin_popcount(x); }
static inline int __ffsll(long long x) { return __builtin_ffsll(x); }
static inline u64 warp_sum(u64 v) { return v; }
#define IS_WARP_LEADER 1
#else
__device__ __forceinline__ u64 warp_sum(u64 v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    return v;
}
#define IS_WARP_LEADER ((threadIdx.x & 31) == 0)
#define CAYLEY_KERNEL extern "C" __global__
#endif
#define LO 0x5555555555555555ULL

/* one bit (the low bit of each 2-bit slot) per slot of x holding code */
__device__ __forceinline__ u64 code_bits(u64 x, int code) {
    u64 lo = x & LO, hi = (x >> 1) & LO;
    u64 a = (code & 1) ? lo : ~lo;
    u64 b = (code & 2) ? hi : ~hi;
    return a & b & LO;
}

/* take the symbol at nibble d out of the list avail (the nibbles above move down) */
#define PICK(i) { u64 lm = (1ULL << (4 * d)) - 1; \
    s |= ((avail >> (4 * d)) & 15ULL) << (4 * (i)); \
    avail = (avail & lm) | ((avail >> 4) & ~lm); }
"""

_KERNELS = r"""
/* top-down layer: every frontier slot (code code_f) of the words of the active blocks;
   unseen neighbours get 3 - code_f, the frontier becomes done (3) */
CAYLEY_KERNEL void push_layer(u64 *codes, const long long *active, u64 nactive,
                           unsigned char *flags_next, u64 *counter, int code_f) {
    const u64 total = nactive * BWORDS;
    const u64 code_n = (u64)(3 - code_f);
    u64 cnt = 0;
    for (u64 gid = (u64)blockIdx.x * blockDim.x + threadIdx.x; gid < total; gid += (u64)blockDim.x * gridDim.x) {
        const u64 blk = (u64)active[gid / BWORDS];
        const u32 w = (u32)(gid % BWORDS);
        const u64 word = blk * BWORDS + w;
        const u64 fm = code_bits(codes[word], code_f);
        if (!fm) continue;
        u64 sp, ap;
        unrank_prefix(blk, sp, ap);
        for (u64 bits = fm; bits; bits &= bits - 1) {
            const u32 j = (u32)(__ffsll((long long)bits) - 1) >> 1;
            const u64 s = unrank_suffix(w * 32 + j, sp, ap);
            PUSH_NEIGHBOURS
        }
        atomicOr(&codes[word], code_f == 1 ? (fm << 1) : fm);
    }
    cnt = warp_sum(cnt);
    if (IS_WARP_LEADER && cnt) atomicAdd(counter, cnt);
}

/* bottom-up layer: every unseen slot with a parent (inverse generator) holding code_f
   gets 3 - code_f; a thread writes only its own word */
CAYLEY_KERNEL void pull_layer(u64 *codes, u64 nwords, unsigned char *flags_next, u64 *counter, int code_f) {
    u64 cnt = 0;
    for (u64 gid = (u64)blockIdx.x * blockDim.x + threadIdx.x; gid < nwords; gid += (u64)blockDim.x * gridDim.x) {
        const u64 um = code_bits(codes[gid], 0);
        if (!um) continue;
        const u64 blk = gid / BWORDS;
        const u32 w = (u32)(gid % BWORDS);
        u64 sp, ap;
        unrank_prefix(blk, sp, ap);
        u64 mark = 0;
        for (u64 bits = um; bits; bits &= bits - 1) {
            const u32 b = (u32)(__ffsll((long long)bits) - 1);
            const u64 s = unrank_suffix(w * 32 + (b >> 1), sp, ap);
            bool found = false;
            PULL_PARENTS
            if (found) { mark |= 1ULL << b; cnt++; }
        }
        if (mark) {
            atomicOr(&codes[gid], code_f == 2 ? mark : (mark << 1));
            flags_next[blk] = 1;
        }
    }
    cnt = warp_sum(cnt);
    if (IS_WARP_LEADER && cnt) atomicAdd(counter, cnt);
}

/* the frontier of the active blocks becomes done (after a pull) */
CAYLEY_KERNEL void retire_layer(u64 *codes, const long long *active, u64 nactive, int code_f) {
    const u64 total = nactive * BWORDS;
    for (u64 gid = (u64)blockIdx.x * blockDim.x + threadIdx.x; gid < total; gid += (u64)blockDim.x * gridDim.x) {
        const u64 word = (u64)active[gid / BWORDS] * BWORDS + gid % BWORDS;
        const u64 x = codes[word];
        const u64 fm = code_bits(x, code_f);
        if (fm) codes[word] = x | (code_f == 1 ? (fm << 1) : fm);
    }
}
"""


def _apply_code(perm) -> str:
    """The neighbour ``t[i] = s[perm[i]]`` of a state ``s`` packed as 4-bit symbols: one
    mask and shift per distinct displacement ``i - perm[i]``."""
    by_delta: dict[int, int] = {}
    for i, p in enumerate(perm):
        by_delta[i - int(p)] = by_delta.get(i - int(p), 0) | (15 << (4 * int(p)))
    terms = []
    for delta, mask in sorted(by_delta.items()):
        t = f"(s & 0x{mask:x}ULL)"
        terms.append(t if delta == 0 else f"({t} << {4 * delta})" if delta > 0 else f"({t} >> {-4 * delta})")
    return " | ".join(terms)


def kernel_source(n: int, m: int, bwords: int, perms: np.ndarray) -> str:
    """CUDA C++ for the layer kernels of S_n with blocks of ``m!`` ranks (``bwords`` words
    each) and generators ``perms`` ((k, n), ``t[i] = s[perm[i]]``)."""
    if not 1 <= n <= 15:
        raise InvalidInputError(f"the fused rank kernels pack a permutation into 4-bit symbols: n <= 15, got {n}")
    P = n - m
    perms = np.asarray(perms, dtype=np.int64)
    inv = np.argsort(perms, axis=1)
    lines = [f"#define N {n}", f"#define BWORDS {bwords}ULL", f"#define STRIDE {bwords * 32}ULL", _PRELUDE]
    all_symbols = sum(i << (4 * i) for i in range(n))
    # unrank: the block index gives the first P Lehmer digits (weights (n-1-i)!/m!), the
    # offset within the block the last m
    body = [f"    u64 avail = 0x{all_symbols:x}ULL, s = 0; u32 b = (u32)blk, d;"]
    for i in range(P):
        wgt = factorial(n - 1 - i) // factorial(m)
        body.append(f"    d = b / {wgt}u; b -= d * {wgt}u; PICK({i})")
    body.append("    sp = s; ap = avail;")
    lines.append("__device__ __forceinline__ void unrank_prefix(u64 blk, u64 &sp, u64 &ap) {\n" + "\n".join(body) + "\n}")
    body = ["    u64 avail = ap, s = sp; u32 d;"]
    for i in range(P, n):
        wgt = factorial(n - 1 - i)
        body.append(f"    d = within / {wgt}u; within -= d * {wgt}u; PICK({i})")
    body.append("    return s;")
    lines.append("__device__ __forceinline__ u64 unrank_suffix(u32 within, u64 sp, u64 ap) {\n" + "\n".join(body) + "\n}")
    # rank: the Lehmer digit of position i is the symbol minus the smaller symbols used before
    body = ["    u32 used = 0, v, d; u64 blk = 0; u32 within = 0;"]
    for i in range(n - 1):
        acc = f"blk += (u64)d * {factorial(n - 1 - i) // factorial(m)}ULL;" if i < P else f"within += d * {factorial(n - 1 - i)}u;"
        body.append(f"    v = (u32)(t >> {4 * i}) & 15u; d = v - __popc(used & ((1u << v) - 1u)); used |= 1u << v; {acc}")
    body.append("    return blk * STRIDE + within;")
    lines.append("__device__ __forceinline__ u64 rank_index(u64 t) {\n" + "\n".join(body) + "\n}")
    push, pull = [], []
    for g, p in enumerate(perms):
        if np.array_equal(p, np.arange(n)):
            continue  # the identity adds a loop, never a new state
        push.append(
            f"{{ const u64 idx = rank_index({_apply_code(p)}); const u64 tw = idx >> 5; const u32 sh = (u32)(idx & 31) * 2;"
            f" if (((codes[tw] >> sh) & 3) == 0) {{ const u64 old = atomicOr(&codes[tw], code_n << sh);"
            f" if (((old >> sh) & 3) == 0) {{ cnt++; flags_next[idx / STRIDE] = 1; }} }} }}"
        )
        pull.append(
            f"if (!found) {{ const u64 idx = rank_index({_apply_code(inv[g])});"
            f" found = ((codes[idx >> 5] >> ((idx & 31) * 2)) & 3) == (u64)code_f; }}"
        )
    kernels = _KERNELS.replace("PUSH_NEIGHBOURS", "\n            ".join(push) or ";")
    kernels = kernels.replace("PULL_PARENTS", "\n            ".join(pull) or ";")
    return "\n".join(lines) + kernels


# ---------------------------------------------------------------------------------------
# launchers: NVRTC through CuPy on a GPU, the host compiler for the emulation
# ---------------------------------------------------------------------------------------
class _CupyModule:
    def __init__(self, src: str, device: torch.device):
        import cupy

        self.cupy = cupy
        self.device = device
        with cupy.cuda.Device(device.index or 0):
            mod = cupy.RawModule(code=src, options=("--std=c++14",))
            self.fns = {name: mod.get_function(name) for name in ("push_layer", "pull_layer", "retire_layer")}
        props = torch.cuda.get_device_properties(device)
        self.max_blocks = props.multi_processor_count * 16

    def __call__(self, name: str, total: int, *args) -> None:
        cp = self.cupy
        conv = []
        for a in args:
            if isinstance(a, torch.Tensor):
                conv.append(cp.asarray(a))  # zero-copy (__cuda_array_interface__)
            elif isinstance(a, tuple):  # (numpy scalar type, value)
                conv.append(a[0](a[1]))
            else:
                conv.append(a)
        blocks = max(1, min(self.max_blocks, -(-total // _THREADS)))
        stream = torch.cuda.current_stream(self.device).cuda_stream
        with cp.cuda.Device(self.device.index or 0):
            if stream:  # launch on torch's stream, so the kernels are ordered with its operations
                with cp.cuda.ExternalStream(stream):
                    self.fns[name]((blocks,), (_THREADS,), tuple(conv))
            else:  # torch's legacy default stream is CuPy's default too
                self.fns[name]((blocks,), (_THREADS,), tuple(conv))


_CTYPES = {np.uint64: ctypes.c_uint64, np.int32: ctypes.c_int32}


class _HostModule:
    """The kernels compiled for the host (``CAYLEY_HOST_EMULATION``), called through ctypes."""

    def __init__(self, src: str):
        cxx = os.environ.get("CXX") or shutil.which("c++") or shutil.which("g++") or shutil.which("clang++")
        if cxx is None:
            raise InvalidInputError("the host emulation of the CUDA rank kernels needs a C++ compiler (c++, g++)")
        key = hashlib.sha256(src.encode()).hexdigest()[:20]
        folder = os.path.join(tempfile.gettempdir(), f"cayley-cuda-emulation-{os.getuid() if hasattr(os, 'getuid') else 0}")
        os.makedirs(folder, exist_ok=True)
        lib = os.path.join(folder, f"rank_{key}.so")
        if not os.path.exists(lib):
            cu = os.path.join(folder, f"rank_{key}.{os.getpid()}.cpp")  # per process: builds may race
            with open(cu, "w") as f:
                f.write(src)
            tmp = f"{lib}.{os.getpid()}.tmp"
            cmd = [cxx, "-O2", "-shared", "-fPIC", "-DCAYLEY_HOST_EMULATION", "-x", "c++", cu, "-o", tmp]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"compiling the host emulation failed:\n{done.stderr[-4000:]}")
            os.replace(tmp, lib)
            os.unlink(cu)
        self.lib = ctypes.CDLL(lib)

    def __call__(self, name: str, total: int, *args) -> None:
        conv = []
        for a in args:
            if isinstance(a, torch.Tensor):
                conv.append(ctypes.c_void_p(a.data_ptr()))
            else:
                conv.append(_CTYPES[a[0]](a[1]))
        getattr(self.lib, name)(*conv)


_MODULES: dict = {}


def fused_available(device) -> bool:
    """Whether the fused kernels can run on ``device``: a CUDA device with CuPy importable
    (``CAYLEY_FUSED_KERNELS=0`` turns them off, leaving the tensor-operation backend)."""
    if os.environ.get("CAYLEY_FUSED_KERNELS", "1") == "0":
        return False
    dev = torch.device(device if device is not None else ("cuda" if torch.cuda.is_available() else "cpu"))
    if dev.type != "cuda" or not torch.cuda.is_available():
        return False
    try:
        import cupy  # noqa: F401
    except Exception:
        return False
    return True


class CudaRankKernels(TorchRankKernels):
    """The rank engine's primitives with the fused layer kernels (see the module docstring):
    ``push`` and ``pull`` are one kernel each; the rest is the torch backend's. On a CPU
    ``device`` the kernels run as the host-compiled emulation (tests)."""

    def __init__(self, ranking, lay, perms, device=None, work_bytes: Optional[int] = None):
        if lay.kind != "permutations":
            raise InvalidInputError("the fused CUDA rank kernels cover permutations; strings use the torch backend")
        if work_bytes is None:
            work_bytes = 2**28  # only extract/probe (small layers) use batches here
        super().__init__(ranking, lay, perms, device=device, work_bytes=work_bytes)
        src = kernel_source(self.n, lay.m, lay.bwords, np.asarray(perms))
        if self.device.type == "cuda":
            key = (src, str(self.device))
            if key not in _MODULES:  # one compiled module per graph and device in a process
                _MODULES[key] = _CupyModule(src, self.device)
            self._mod = _MODULES[key]
            self.name = "cuda-fused"
        else:
            self._mod = _HostModule(src)
            self.name = "cuda-emulated"
        self._counter = torch.zeros(1, dtype=torch.int64, device=self.device)

    def _count(self) -> int:
        return int(self._counter.item())

    def push(self, code_f: int, record_size=None):
        rec = self.extract(code_f) if record_size is not None else None
        active = self._active()
        flags_next = torch.zeros_like(self.flags)
        self._counter.zero_()
        total = len(active) * self.lay.bwords
        if total:
            self._mod("push_layer", total, self.codes, active, (np.uint64, len(active)), flags_next, self._counter,
                      (np.int32, code_f))
        self.flags = flags_next
        return self._count(), rec

    def pull(self, code_f: int) -> int:
        active = self._active()
        flags_next = torch.zeros_like(self.flags)
        self._counter.zero_()
        self._mod("pull_layer", self.lay.nwords, self.codes, (np.uint64, self.lay.nwords), flags_next, self._counter,
                  (np.int32, code_f))
        if len(active):
            self._mod("retire_layer", len(active) * self.lay.bwords, self.codes, active, (np.uint64, len(active)),
                      (np.int32, code_f))
        self.flags = flags_next
        return self._count()
