"""Shared numba pieces of the rank engine's layer kernels: atomics, the 2-bit code scan,
block scheduling and the claim of an unseen state.

Codes are 2 bits per rank, 32 ranks per uint64 word: 0 = unseen, 3 = done, and 1 and 2
take turns as "frontier" and "next layer" (frontier code ``f``, next code ``3 - f``).
Every layer kernel (:mod:`.numba_rank`'s permutations and multisets,
:mod:`.numba_matrix_rank`'s matrices) is built from the inline functions here, so the
frontier scan, the dynamic scheduling and the exact count of new states are written once.

>>> import numpy as np
>>> x = np.uint64(0b11_10_01_00)           # slots 0..3 hold codes 0, 1, 2, 3
>>> bin(frontier_bits(x, 1)), bin(frontier_bits(x, 2)), bin(frontier_bits(x, 3))
('0b100', '0b10000', '0b1000000')
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from .ranking import cttz, num_threads, popcount, span
from .threads import run_threads

__all__ = [
    "atomic_or",
    "atomic_add",
    "atomic_load",
    "num_threads",
    "frontier_bits",
    "count_frontier",
    "next_block",
    "take_frontier",
    "record_batch",
    "next_batch",
    "claim_slot",
    "is_unseen",
    "span",
    "count_code",
    "count_in_blocks",
    "extract",
    "retire",
    "CHUNK",
]

LO_BITS = np.uint64(0x5555555555555555)
CHUNK = 16  # blocks a thread takes at a time from the shared counter


# ---------------------------------------------------------------------------------
# atomics (numba has none on CPU): LLVM atomicrmw / atomic load, "monotonic" ordering.
# The threads' join orders everything between layers.
# ---------------------------------------------------------------------------------
def _item_ptr(context, builder, arrt, arr, idx, idxt):
    ary = context.make_array(arrt)(context, builder, arr)
    i = context.cast(builder, idx, idxt, types.intp)
    return cgutils.get_item_pointer(context, builder, arrt, ary, [i])


def _is_word_array(a):
    return isinstance(a, types.Array) and isinstance(a.dtype, types.Integer) and a.dtype.bitwidth == 64


def _rmw(op):
    def impl(typingctx, arr, idx, val):
        if not (_is_word_array(arr) and isinstance(idx, types.Integer) and isinstance(val, types.Integer)):
            return None
        dt = arr.dtype
        sig = dt(arr, idx, val)

        def codegen(context, builder, sig, args):
            arrt, idxt, valt = sig.args
            ptr = _item_ptr(context, builder, arrt, args[0], args[1], idxt)
            v = context.cast(builder, args[2], valt, dt)
            return builder.atomic_rmw(op, ptr, v, "monotonic")

        return sig, codegen

    return impl


atomic_or = intrinsic(_rmw("or"))
atomic_or.__doc__ = "``old = a[i]; a[i] |= v`` atomically; returns the old value."
atomic_add = intrinsic(_rmw("add"))
atomic_add.__doc__ = "``old = a[i]; a[i] += v`` atomically; returns the old value."


@intrinsic
def atomic_load(typingctx, arr, idx):
    """``a[i]`` read atomically (a plain load on x86, but never cached by the compiler)."""
    if not (_is_word_array(arr) and isinstance(idx, types.Integer)):
        return None
    sig = arr.dtype(arr, idx)

    def codegen(context, builder, sig, args):
        arrt, idxt = sig.args
        ptr = _item_ptr(context, builder, arrt, args[0], args[1], idxt)
        return builder.load_atomic(ptr, "monotonic", 8)

    return sig, codegen


# ---------------------------------------------------------------------------------
# the code scan
# ---------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def frontier_bits(x, code):
    """One bit (the low bit of each 2-bit slot) per slot of ``x`` holding ``code``."""
    lo = x & LO_BITS
    hi = (x >> np.uint64(1)) & LO_BITS
    # slot == code  <=>  lo bit == code bit 0 and hi bit == code bit 1
    a = lo if code & 1 else ~lo
    b = hi if code & 2 else ~hi
    return a & b & LO_BITS


@njit(cache=True, inline="always")
def count_frontier(codes, wbase, bwords, code):
    """Slots holding ``code`` in the ``bwords`` words from ``wbase``."""
    U = np.uint64
    wb = U(wbase)
    c = 0
    for w in range(np.int64(bwords)):
        c += np.int64(popcount(frontier_bits(codes[wb + U(w)], code)))
    return c


@njit(cache=True, inline="always")
def next_block(flags, ctl, cur, end, everything):
    """Dynamic scheduling: the next block (flagged, unless ``everything``) for this
    thread, taking chunks of :data:`CHUNK` blocks from the counter ``ctl[0]``; -1 when
    none is left. Returns ``(block, cur, end)`` (the thread's cursor)."""
    nblocks = flags.shape[0]
    while True:
        if cur >= end:
            c = atomic_add(ctl, 0, 1)
            if c * CHUNK >= nblocks:
                return -1, cur, end
            cur = c * CHUNK
            end = min(nblocks, cur + CHUNK)
        b = cur
        cur += 1
        if everything or flags[b] != 0:
            return b, cur, end


@njit(cache=True, inline="always")
def take_frontier(codes, wbase, w0, bwords, code_f, retire, lob):
    """Gather the frontier slots (code ``code_f``) of the block's words ``w0 ..`` (the
    block starts at word ``wbase``) into ``lob`` (offsets within the block) until a word
    would overflow it; with ``retire``, their codes turn to "done" at once (safe before
    expanding them: only unseen codes are ever tested). Returns ``(count, next word)``."""
    U = np.uint64
    one = U(1)
    w = U(w0)
    bw = U(bwords)
    wb = U(wbase)
    nb = 0
    while w < bw and nb + 32 <= lob.shape[0]:
        fm = frontier_bits(atomic_load(codes, wb + w), code_f)
        if fm != 0:
            if retire:
                atomic_or(codes, wb + w, fm << one if code_f == one else fm)
            while fm:
                lob[nb] = w * U(32) + (cttz(fm) >> one)
                nb += 1
                fm &= fm - one
        w += one
    return nb, w


@njit(cache=True, inline="always")
def next_batch(cur, flags, ctl, codes, bwords, code, retire, everything, probe, lob, rec):
    """The thread's next batch of slots holding ``code``: the frontier scan of every layer
    kernel. Walks the blocks that :func:`next_block` hands out (flagged ones, unless
    ``everything``) and gathers their slots with :func:`take_frontier` (``retire``: turn
    them "done"); when ``rec`` is non-empty, the batch's indices are appended to it.

    ``cur`` is the thread's cursor, an int64 array of 4 (chunk position, chunk end,
    block, next word) starting as ``[0, 0, -1, 0]``. Returns ``(block, count)``, block -1
    when no block is left (or, with ``probe``, once some thread found an unseen state,
    ``ctl[2] != 0``)."""
    U = np.uint64
    nw = np.int64(bwords)
    while True:
        b = cur[2]
        if b < 0 or cur[3] >= nw:
            b, c0, c1 = next_block(flags, ctl, cur[0], cur[1], everything)
            cur[0] = c0
            cur[1] = c1
            cur[2] = b
            cur[3] = 0
            if b < 0 or (probe and atomic_load(ctl, 2) != 0):
                return -1, 0
        wbase = U(b) * U(nw)
        nb, w = take_frontier(codes, wbase, cur[3], nw, code, retire, lob)
        cur[3] = np.int64(w)
        if nb:
            if rec.shape[0] > 0:
                record_batch(rec, ctl, wbase * U(32), lob, nb)
            return b, nb


@njit(cache=True, inline="always")
def record_batch(rec, ctl, base, lob, nb):
    """Append the batch's indices ``base + lob[:nb]`` to ``rec`` (fill count ``ctl[1]``)."""
    pos = atomic_add(ctl, 1, nb)
    for q in range(nb):
        rec[pos + q] = base + lob[q]


@njit(cache=True, inline="always")
def claim_slot(codes, idx, code_n, flags_next, block):
    """Give slot ``idx`` the code ``code_n`` if it is unseen (an atomic OR; the old value
    says who found the state, so counts are exact) and flag ``block`` for the next layer.
    Returns 1 if this call found the state, else 0."""
    U = np.uint64
    x = U(idx)
    wi = x >> U(5)
    sh = (x & U(31)) << U(1)
    old = atomic_or(codes, wi, U(code_n) << sh)
    if (old >> sh) & U(3) == 0:
        if flags_next[block] == 0:  # no store (and no line ping-pong) when set
            flags_next[block] = 1
        return 1
    return 0


@njit(cache=True, inline="always")
def is_unseen(codes, idx):
    """Whether slot ``idx`` holds code 0 (a plain load: a code only ever leaves 0, so a
    stale 0 just sends the state on to :func:`claim_slot`, which reads the truth)."""
    U = np.uint64
    x = U(idx)
    return (atomic_load(codes, x >> U(5)) >> ((x & U(31)) << U(1))) & U(3) == 0


# ---------------------------------------------------------------------------------
# whole-array passes, on the kernel threads (nogil; see :mod:`.threads`)
# ---------------------------------------------------------------------------------
_SMALL = 1 << 14  # words or blocks below which one thread does a pass


def _threads_for(n: int) -> int:
    return 1 if n < _SMALL else num_threads()


@njit(cache=True, nogil=True)
def _count_code_thread(t, nthreads, codes, code, out):
    lo, hi = span(t, nthreads, codes.shape[0])
    out[t] = count_frontier(codes, lo, hi - lo, code)


def count_code(codes, code) -> int:
    """Number of slots holding ``code``.

    >>> count_code(np.array([0b11_10_01_00, 0b01_01], np.uint64), 1)
    3
    """
    nt = _threads_for(codes.shape[0])
    out = np.zeros(nt, np.int64)
    run_threads(_count_code_thread, nt, nt, codes, np.uint64(code), out)
    return int(out.sum())


@njit(cache=True, nogil=True)
def _blocks_thread(t, nthreads, codes, blocks, bwords, code, counts, out, phase):
    """Phase 0: ``counts[j + 1]`` = slots holding ``code`` in block ``blocks[j]``; phase 1:
    their indices written to ``out[counts[j]:]`` (``counts`` now a cumulative sum);
    phase 2: the frontier ``code`` turned "done" in the blocks (``blocks[j] != 0`` are
    the flags: block ``j`` is taken)."""
    U = np.uint64
    one = U(1)
    bw = U(bwords)
    lo, hi = span(t, nthreads, blocks.shape[0])
    for j in range(lo, hi):
        if phase == 2:
            if blocks[j] == 0:
                continue
            wbase = U(j) * bw
            for w in range(bwords):
                x = codes[wbase + U(w)]
                fm = frontier_bits(x, code)
                if fm:
                    codes[wbase + U(w)] = x | (fm << one if code == one else fm)
            continue
        wbase = U(blocks[j]) * bw
        if phase == 0:
            counts[j + 1] = count_frontier(codes, wbase, bwords, code)
            continue
        pos = counts[j]
        for w in range(bwords):
            fm = frontier_bits(codes[wbase + U(w)], code)
            while fm:
                out[pos] = np.int64((wbase + U(w)) * U(32) + (cttz(fm) >> one))
                pos += 1
                fm &= fm - one


def _blocks_pass(codes, blocks, bwords, code, phase, counts=None, out=None):
    nt = _threads_for(blocks.shape[0] * bwords)
    if counts is None:
        counts = np.zeros(blocks.shape[0] + 1, np.int64)
    if out is None:
        out = np.empty(0, np.int64)
    run_threads(_blocks_thread, nt, nt, codes, blocks, np.int64(bwords), np.uint64(code), counts, out, phase)
    return counts, out


def count_in_blocks(codes, blocks, bwords, code) -> np.ndarray:
    """Slots holding ``code`` in each of the blocks ``blocks``.

    >>> count_in_blocks(np.array([0b01, 0b0101, 0], np.uint64), np.array([1, 0]), 1, 1).tolist()
    [2, 1]
    """
    blocks = np.ascontiguousarray(blocks, dtype=np.int64)
    return _blocks_pass(codes, blocks, bwords, code, 0)[0][1:].copy()


def extract(codes, active, bwords, code) -> np.ndarray:
    """Sorted indices of the slots holding ``code`` in the blocks ``active`` (sorted).

    >>> extract(np.array([0b01, 0b01_00_00], np.uint64), np.array([0, 1]), 1, 1).tolist()
    [0, 34]
    """
    active = np.ascontiguousarray(active, dtype=np.int64)
    counts, _ = _blocks_pass(codes, active, bwords, code, 0)
    np.cumsum(counts, out=counts)
    out = np.empty(int(counts[-1]), np.int64)
    _blocks_pass(codes, active, bwords, code, 1, counts, out)
    return out


def retire(codes, flags, bwords, code_f) -> None:
    """Turn the frontier code into "done" (3) in the flagged blocks (no other writer).

    >>> codes = np.array([0b10_01], np.uint64); retire(codes, np.array([1], np.uint8), 1, 1); bin(codes[0])
    '0b1011'
    """
    _blocks_pass(codes, np.ascontiguousarray(flags, dtype=np.int64), bwords, code_f, 2)
