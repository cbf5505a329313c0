"""numba CPU kernels for the rank engine: one BFS layer over a 2-bit code per rank.

Codes (2 bits per rank, 32 ranks per uint64 word): 0 = unseen, 3 = done, and 1 and 2
take turns as "frontier" and "next layer" (frontier code ``f``, next code ``3 - f``).

Top-down layer (:func:`perm_layer`): one parallel pass over the flagged blocks (those
holding frontier states). Frontier states are taken in batches of up to 256; each batch
is unranked, every generator is applied and each neighbour ranked with the loops running
over the batch's lanes (LLVM vectorises them: vpopcntq, vpsllvq, vpmullq on AVX-512), the
neighbours' codes are read branch-free, and an unseen one gets the next code with an
atomic OR (two threads setting the same code is harmless; the old value returned by the
OR says which one found the state, so the new layer is counted exactly). A word's
frontier codes become 3 with one atomic OR as its states are taken, so no second pass
over the codes is needed. Each block that receives a new state is flagged for the next
layer.

Bottom-up layer (:func:`perm_layer_pull`, direction-optimising BFS): once the unseen
states are few, each looks for a frontier state among its parents (neighbours under the
inverse generators) and stops at the first; no atomics (a thread writes only its own
blocks), and :func:`retire` then turns the frontier into "done".

Permutations use a blocked layout: the ``n!`` lexicographic ranks are cut into blocks of
``m!`` consecutive ranks (those sharing the first ``P = n - m`` symbols; ``m = 7`` measured
best), each padded to a whole number of words (the padding holds code 3). A block's prefix
is unranked once; a state's last ``m`` symbols are the block's remaining symbols in the
order ``table[lo]``. Ranking a neighbour is one popcount per position (see
:mod:`.ranking`); positions fed from the block's prefix are ranked once per block and
generator, and from the position after a generator's last moved point on, a neighbour's
Lehmer digits are the state's own (``lo % modf``), so e.g. an adjacent transposition near
the end costs two positions and a swap of the first two symbols costs none per state.

Measured single-threaded on the 2-core AMD EPYC (Zen 4) dev machine, S_11 lrx, largest
layers: about 23 ns per frontier state (three neighbours), of which ~9 ns are the block
scan, batch set-up and unrank, ~14 ns ranking, reading and setting the neighbours' codes.
The codes' random reads are hidden: blocked lexicographic ranks keep a block's neighbours
in a few dozen target blocks, so S_12 (120 MB of codes) costs the same per state.

Multiset permutations (Schreier graphs on strings) use flat lexicographic ranks and fixed
chunks of words; each frontier state is unranked through the multiset table (scalar code:
such orbits are small).

Threads take chunks of blocks from a shared atomic counter (dynamic scheduling), since
frontier density varies strongly across the rank space. The layer kernels are compiled
``nogil`` per thread and started by :func:`cayley.backends.threads.run_threads` rather
than through numba's ``parallel=True``: the same work split, a third of the compile time
(the first run in a fresh environment compiles them).
"""

from __future__ import annotations

from math import factorial

import numpy as np
from numba import njit

from .numba_codes import (
    atomic_add,
    atomic_load,
    atomic_or,
    claim_slot,
    count_code,
    count_in_blocks,
    extract,
    is_unseen,
    next_block,
    next_batch,
    num_threads,
    retire,
    span,
    take_frontier,
)
from .numba_flat_rank import multiset_layer, piece_layer
from .ranking import cttz, popcount
from .threads import run_threads

__all__ = [
    "atomic_or",
    "atomic_add",
    "atomic_load",
    "PermLayout",
    "MultisetLayout",
    "perm_layer",
    "perm_layer_pull",
    "retire",
    "multiset_layer",
    "extract",
    "count_code",
    "count_in_blocks",
    "perm_expand",
    "group_by_owner",
    "claim",
    "num_threads",
    "fill_padding",
    "NumbaRankKernels",
]

# permutations: a block holds the m! ranks sharing their first n - m symbols
BLOCK_SUFFIX = 7


# ---------------------------------------------------------------------------------
# layouts: where each state's code lives
# ---------------------------------------------------------------------------------
def _lex_table(m: int) -> np.ndarray:
    """Row ``lo`` is the permutation of ``0 .. m-1`` with lexicographic rank ``lo``."""
    from .ranking import unrank_permutations

    return unrank_permutations(np.arange(factorial(m)), m).astype(np.uint8)


class PermLayout:
    """Blocked layout of the ``n!`` permutation ranks (see the module docstring).

    ``index = (rank // m!) * stride + rank % m!`` where ``stride`` is ``m!`` rounded up to
    a multiple of 32 (a whole number of words per block).

    >>> lay = PermLayout(5, m=3)
    >>> lay.nblocks, lay.stride, lay.index_to_rank(lay.rank_to_index(np.arange(120))).tolist() == list(range(120))
    (20, 32, True)
    """

    kind = "permutations"

    def __init__(self, n: int, m: int | None = None):
        if m is None:
            m = min(n, BLOCK_SUFFIX)
        m = max(1, min(m, n))
        self.n, self.m, self.P = n, m, n - m
        self.mfact = factorial(m)
        self.bwords = -(-self.mfact // 32)
        self.stride = self.bwords * 32
        self.nblocks = factorial(n) // self.mfact
        self.nwords = self.nblocks * self.bwords
        self.size = factorial(n)
        # position weights: block-index digits for i < P, within-block digits after
        w = np.zeros(n, np.int64)
        for i in range(n):
            w[i] = factorial(n - 1 - i) // self.mfact if i < self.P else factorial(n - 1 - i)
        self.weights = w
        self.table = _lex_table(m)

    def rank_to_index(self, ranks):
        r = np.asarray(ranks, dtype=np.int64)
        return (r // self.mfact) * self.stride + r % self.mfact

    def index_to_rank(self, idx):
        i = np.asarray(idx, dtype=np.int64)
        return (i // self.stride) * self.mfact + i % self.stride

    def generator_parts(self, perms: np.ndarray):
        """Which positions of each generator's neighbour need ranking per state.

        Returns the generators that move something (the identity adds no edge to a new
        state) and, for each, ``fpart``: how many leading target positions take their
        symbol from the block prefix (ranked once per block); ``qend``: one past the last
        position to rank (a generator's neighbour has the state's own Lehmer digits from
        the position after its last moved point on, since it permutes the positions
        before it among themselves); ``modf``: the state's kept digits are
        ``lo % modf`` (1: none kept, 0: all of ``lo``).

        >>> lay = PermLayout(6, m=3)              # prefix of 3 positions
        >>> gens = np.array([[1, 0, 2, 3, 4, 5],  # swap 0, 1: all ranked per block
        ...                  [0, 1, 2, 3, 5, 4],  # swap 4, 5: positions 3, 4 per state
        ...                  [5, 0, 1, 2, 3, 4]]) # shift: everything per state
        >>> keep, fpart, qend, modf = lay.generator_parts(gens)
        >>> keep.tolist(), fpart.tolist(), qend.tolist(), modf.tolist()
        ([0, 1, 2], [3, 3, 0], [2, 5, 5], [0, 1, 1])
        """
        perms = np.asarray(perms, dtype=np.int64)
        n = self.n
        ident = np.arange(n)
        keep, fpart, qend, modf = [], [], [], []
        for g, p in enumerate(perms):
            moved = np.flatnonzero(p != ident)
            if len(moved) == 0:
                continue
            q = int(moved[-1]) + 1
            f = 0
            while f < self.P and p[f] < self.P:
                f += 1
            keep.append(g)
            fpart.append(f)
            qend.append(min(q, n - 1))
            mf = factorial(n - q)
            modf.append(0 if mf >= self.mfact else mf)
        u = np.uint64
        return (np.array(keep, np.int64), np.array(fpart, u), np.array(qend, u), np.array(modf, u))

    @property
    def code_bytes(self) -> int:
        return self.nwords * 8


class MultisetLayout:
    """Flat layout of multiset-permutation ranks in chunks of ``bwords`` words."""

    kind = "multiset"

    def __init__(self, ranking, bwords: int = 64):
        self.ranking = ranking
        self.n = ranking.n
        self.size = ranking.size
        self.bwords = bwords
        self.stride = bwords * 32
        self.nblocks = -(-self.size // self.stride)
        self.nwords = self.nblocks * bwords
        self.shift = int(self.stride).bit_length() - 1

    def rank_to_index(self, ranks):
        return np.asarray(ranks, dtype=np.int64)

    def index_to_rank(self, idx):
        return np.asarray(idx, dtype=np.int64)

    @property
    def code_bytes(self) -> int:
        return self.nwords * 8


def fill_padding(codes, lay, word=np.uint64) -> None:
    """Mark the slots that hold no state (each permutation block's tail, the multiset
    space's tail) as done (code 3), so that nothing ever takes them for unseen states.

    ``codes`` starts all zero; it may be a numpy or torch word array, ``word`` turns a
    64-bit pattern into its element type (torch's int64 words take the signed value).

    >>> codes = np.zeros(PermLayout(4, m=3).nwords, np.uint64)
    >>> fill_padding(codes, PermLayout(4, m=3)); hex(int(codes[0]))
    '0xfffffffffffff000'
    """
    full = 2**64 - 1
    if lay.kind == "permutations":
        last = lay.mfact - (lay.bwords - 1) * 32  # states in each block's last word
        if last < 32:
            codes.reshape(lay.nblocks, lay.bwords)[:, -1] |= word(~((1 << (2 * last)) - 1) & full)
        return
    tail = lay.nwords * 32 - lay.size  # slots past the last rank
    if tail:
        first, r = divmod(lay.size, 32)
        if r:
            codes[first] |= word(~((1 << (2 * r)) - 1) & full)
            first += 1
        codes[first:] = word(full)


# ---------------------------------------------------------------------------------
# layer kernels
# ---------------------------------------------------------------------------------
_BATCH = 256  # frontier states ranked together (the lane loops vectorise)


@njit(cache=True, inline="always")
def _digits_lanes(stb, acc, ub, cnt, shifts, g, lo, hi, weights):
    """Add the Lehmer digits of positions ``lo .. hi - 1`` (times their weights) of
    ``cnt`` neighbours (one per lane) to ``acc``; ``ub`` holds each lane's used symbols.
    Each position's loop runs over lanes, so LLVM vectorises it (vpopcntq, vpsllvq and
    vpmullq on AVX-512)."""
    one = np.uint64(1)
    fifteen = np.uint64(15)
    for i in range(lo, hi):
        sh = shifts[g, i]
        w = weights[i]
        for b in range(cnt):
            v = (stb[b] >> sh) & fifteen
            bit = one << v
            u = ub[b]
            acc[b] += (v - popcount(u & (bit - one))) * w
            ub[b] = u | bit


@njit(cache=True, inline="always")
def _rank_lanes(stb, hb, ub, lb, cnt, shifts, g, lo_pos, mid, hi_pos, weights):
    """Continue the Lehmer ranks of ``cnt`` neighbours (one per lane) over positions
    ``lo_pos .. hi_pos - 1``: digits before ``mid`` go to the block part ``hb``, the rest
    to ``lb``."""
    _digits_lanes(stb, hb, ub, cnt, shifts, g, lo_pos, min(mid, hi_pos), weights)
    _digits_lanes(stb, lb, ub, cnt, shifts, g, max(lo_pos, mid), hi_pos, weights)


@njit(cache=True, inline="always")
def _block_setup(b, P, n, shifts, fpart, weights, rem, bh, bu):
    """Unrank block ``b``'s prefix (returned, 4 bits per symbol), fill ``rem[r, j]`` with
    the ``r``-th remaining symbol shifted to slot ``P + j``, and rank every generator's
    prefix-fed leading positions (``bh``, ``bu``: partial block index and used symbols)."""
    U = np.uint64
    one = U(1)
    fifteen = U(15)
    m = n - P
    # mixed-radix digits of b (radix n - i at position i)
    x = b
    digits = U(0)
    for i in range(P):
        radix = m + U(i) + one  # position P-1-i has radix n - (P-1-i)
        digits |= (x % radix) << (U(4) * (P - one - U(i)))
        x //= radix
    unused = (one << n) - one
    ps = U(0)
    for i in range(P):
        u = unused
        d = (digits >> (U(4) * U(i))) & fifteen
        for _ in range(d):
            u &= u - one
        v = cttz(u)
        ps |= v << (U(4) * U(i))
        unused ^= one << v
    r = U(0)
    u = unused
    while u:
        v = cttz(u)
        for jj in range(m):
            rem[r, jj] = v << (U(4) * (P + U(jj)))
        r += one
        u &= u - one
    for g in range(shifts.shape[0]):
        used = U(0)
        h = U(0)
        for i in range(fpart[g]):
            v = (ps >> shifts[g, i]) & fifteen
            bit = one << v
            h += (v - popcount(used & (bit - one))) * weights[i]
            used |= bit
        bh[g] = h
        bu[g] = used
    return ps


@njit(cache=True, inline="always")
def _unrank_lanes(stb, lob, nb, ps, rem, table):
    """States of the block's slots ``lob[:nb]``: the prefix plus the remaining symbols
    in the order ``table[lo]``."""
    for q in range(nb):
        stb[q] = ps
    for jj in range(rem.shape[1]):
        for q in range(nb):
            stb[q] |= rem[table[lob[q], jj], jj]


@njit(cache=True, inline="always")
def _neighbour_lanes(stb, lob, hb, ub, lb, nb, g, bh, bu, shifts, fpart, qend, modf, weights, P, stride):
    """Index of generator ``g``'s neighbour of each lane's state, into ``lb`` (block
    index in ``hb``)."""
    U = np.uint64
    one = U(1)
    h0 = bh[g]
    u0 = bu[g]
    mf = modf[g]
    for q in range(nb):
        hb[q] = h0
        ub[q] = u0
    if mf == one:  # the generator moves the last position: no digit kept
        for q in range(nb):
            lb[q] = 0
    elif mf == 0:  # it fixes the whole block suffix: all kept
        for q in range(nb):
            lb[q] = lob[q]
    else:  # lo % mf, exactly, through doubles (lo < 2**24)
        fmf = np.float64(mf)
        inv = 1.0 / fmf
        for q in range(nb):
            lo = lob[q]
            lb[q] = lo - U(np.floor((np.float64(lo) + 0.5) * inv)) * mf
    _rank_lanes(stb, hb, ub, lb, nb, shifts, g, fpart[g], P, qend[g], weights)
    for q in range(nb):
        lb[q] = hb[q] * stride + lb[q]

@njit(cache=True, inline="always")
def _lane_scratch(shifts, P, bwords):
    """A thread's sizes and scratch for the lane kernels: ``k, n, m, stride`` and
    ``rem`` (``rem[r, j]``: the block's ``r``-th remaining symbol at slot ``P + j``),
    ``bh, bu`` (per generator) and ``lob, stb, hb, ub, lb`` (per lane)."""
    U = np.uint64
    k = U(shifts.shape[0])
    n = U(shifts.shape[1])
    m = n - P
    rem = np.empty((m, m), np.uint64)
    bh = np.empty(k, np.uint64)
    bu = np.empty(k, np.uint64)
    # separate allocations: LLVM knows they do not alias, so the lane loops vectorise
    # without run-time overlap checks
    lob = np.empty(_BATCH, np.uint64)
    stb = np.empty(_BATCH, np.uint64)
    hb = np.empty(_BATCH, np.uint64)
    ub = np.empty(_BATCH, np.uint64)
    lb = np.empty(_BATCH, np.uint64)
    return k, n, m, bwords * U(32), rem, bh, bu, lob, stb, hb, ub, lb


@njit(cache=True, nogil=True)
def _perm_layer_thread(t, ctl, newc, codes, flags, flags_next, shifts, fpart, qend, modf, weights, P, bwords, table, code_f, rec, probe):
    """One thread's share of :func:`perm_layer` (blocks from the shared counter ``ctl[0]``).

    The frontier gather is :func:`.numba_codes.take_frontier` (inline; S_11 lrx, coxeter
    and pancake measured at parity with it written out, 2026-12-06), but the block loop
    and the claim of new states are written out here rather than taken from
    :mod:`.numba_codes` (``next_batch``, ``claim_slot``): through those shared helpers
    this hottest loop ran 25-30% slower (S_12 lrx, one thread: 19.3 s against 14.7 s of
    kernel time; measured 2026-12-06), which the speed bar forbids."""
    U = np.uint64
    k, n, m, stride, rem, bh, bu, lob, stb, hb, ub, lb = _lane_scratch(shifts, P, bwords)
    code_n = U(3) - code_f
    one = U(1)
    three = U(3)
    recording = rec.shape[0] > 0
    cand = np.empty(_BATCH * k, np.uint64)
    hcand = np.empty(_BATCH * k, np.uint64)
    cnt = 0
    cur = 0
    end = 0
    while True:
        bi, cur, end = next_block(flags, ctl, cur, end, False)
        if bi < 0:
            break
        if probe and atomic_load(ctl, 2) != 0:
            break
        b = U(bi)
        ps = _block_setup(b, P, n, shifts, fpart, weights, rem, bh, bu)
        wbase = b * bwords
        w = U(0)
        stop = False
        while w < bwords and not stop:
            # gather a batch of frontier states; their codes turn to "done" at once
            # (only unseen codes are ever tested, so that is safe before expanding)
            nb, w = take_frontier(codes, wbase, w, bwords, code_f, not probe, lob)
            if nb == 0:
                continue
            if recording:
                pos = atomic_add(ctl, 1, nb)
                for q in range(nb):
                    rec[pos + q] = b * stride + lob[q]
            _unrank_lanes(stb, lob, nb, ps, rem, table)
            nc = 0
            for g in range(k):
                _neighbour_lanes(stb, lob, hb, ub, lb, nb, g, bh, bu, shifts, fpart, qend, modf, weights, P, stride)
                # branch-free filter: the loads are independent, so they overlap (a
                # plain load suffices: a code only ever leaves 0, so a stale 0 just
                # sends the state on to the atomic OR, which reads the truth)
                for q in range(nb):
                    idx = lb[q]
                    ub[q] = (codes[idx >> U(5)] >> ((idx & U(31)) << one)) & three
                for q in range(nb):
                    cand[nc] = lb[q]
                    hcand[nc] = hb[q]
                    nc += ub[q] == 0
            if nc and probe:
                ctl[2] = 1
                stop = True
                break
            for q in range(nc):
                idx = cand[q]
                wi = idx >> U(5)
                sh = (idx & U(31)) << one
                old = atomic_or(codes, wi, code_n << sh)
                if (old >> sh) & three == 0:
                    cnt += 1
                    h = hcand[q]
                    if flags_next[h] == 0:  # no store (and no line ping-pong) when set
                        flags_next[h] = 1
        if stop:
            break
    newc[t] = cnt


def perm_layer(codes, flags, flags_next, shifts, fpart, qend, modf, weights, P, bwords, table, code_f, rec, nthreads, probe):
    """Expand the frontier (code ``code_f``) in the flagged blocks (``flags``), flagging
    in ``flags_next`` the blocks that receive new states.

    ``shifts[g, i] = 4 * perms[g, i]``: states are held in registers, 4 bits per symbol
    (n <= 16). Generator ``g`` needs only positions ``fpart[g] .. qend[g] - 1`` ranked
    per state: the leading ones fed from the block prefix are ranked once per block, and
    from the first position after its last moved point on, a neighbour's Lehmer digits
    are the state's own, i.e. ``lo % modf[g]`` (see :meth:`PermLayout.generator_parts`).

    Returns the number of new states (or, with ``probe``, 1 if any neighbour is unseen
    and 0 otherwise, writing nothing). When ``rec`` is non-empty, the frontier's indices
    are written to it (unordered); it must hold the whole frontier.

    The hot loops work in uint64 only: unsigned indices need no negative-index
    wrap-around code, and mixing signed and unsigned would promote to float.
    """
    ctl = np.zeros(3, np.int64)  # next chunk of blocks, rec fill, probe found
    newc = np.zeros(nthreads, np.int64)
    run_threads(_perm_layer_thread, nthreads, ctl, newc, codes, flags, flags_next, shifts, fpart, qend, modf, weights, P, bwords, table, code_f, rec, probe)
    if probe:
        return int(ctl[2])
    return int(newc.sum())

@njit(cache=True, nogil=True)
def _perm_layer_pull_thread(t, ctl, newc, codes, flags_next, shifts, fpart, qend, modf, weights, P, bwords, table, code_f):
    """One thread's share of :func:`perm_layer_pull` (blocks from the shared counter ``ctl[0]``)."""
    U = np.uint64
    k, n, m, stride, rem, bh, bu, lob, stb, hb, ub, lb = _lane_scratch(shifts, P, bwords)
    code_n = U(3) - code_f
    one = U(1)
    three = U(3)
    cur = np.array([0, 0, -1, 0], np.int64)
    norec = np.empty(0, np.int64)
    last = -1
    ps = U(0)
    cnt = 0
    while True:
        # a batch of unseen states (every block; one without any costs no set-up)
        bi, nb = next_batch(cur, flags_next, ctl, codes, bwords, U(0), False, True, False, lob, norec)
        if bi < 0:
            break
        b = U(bi)
        if bi != last:
            ps = _block_setup(b, P, n, shifts, fpart, weights, rem, bh, bu)
            last = bi
        wbase = b * bwords
        _unrank_lanes(stb, lob, nb, ps, rem, table)
        for g in range(k):
            if nb == 0:
                break
            _neighbour_lanes(stb, lob, hb, ub, lb, nb, g, bh, bu, shifts, fpart, qend, modf, weights, P, stride)
            for q in range(nb):
                idx = lb[q]
                ub[q] = (codes[idx >> U(5)] >> ((idx & U(31)) << one)) & three
            keep = 0
            for q in range(nb):
                lo = lob[q]
                if ub[q] == code_f:  # a parent in the frontier: found (this thread's block only)
                    wi = wbase + (lo >> U(5))
                    codes[wi] = codes[wi] | (code_n << ((lo & U(31)) << one))
                    cnt += 1
                    flags_next[b] = 1
                else:
                    lob[keep] = lo
                    stb[keep] = stb[q]
                    keep += 1
            nb = keep
    newc[t] = cnt


def perm_layer_pull(codes, flags_next, shifts, fpart, qend, modf, weights, P, bwords, table, code_f, nthreads):
    """Bottom-up layer (direction-optimising BFS): each unseen state (in any block) looks
    for a frontier state among its neighbours under the *inverse* generators (``shifts``
    etc. describe those) and stops at the first one found. Cheaper than expanding the
    frontier once the unseen states are fewer than the frontier's.

    A thread writes only the codes of its own blocks (other threads just read them,
    looking for the frontier code, which nothing changes during the pass), so no atomic
    is needed; the frontier's codes are turned to "done" afterwards by :func:`retire`.
    Padding slots must hold code 3. Returns the number of new states.
    """
    ctl = np.zeros(1, np.int64)
    newc = np.zeros(nthreads, np.int64)
    run_threads(_perm_layer_pull_thread, nthreads, ctl, newc, codes, flags_next, shifts, fpart, qend, modf, weights, P, bwords, table, code_f)
    return int(newc.sum())

@njit(cache=True, nogil=True)
def _perm_expand_thread(t, nthreads, codes, blocks, b0, offsets, shifts, fpart, qend, modf, weights, P, bwords, table, code_f, out):
    """Thread ``t``'s share (a run of ``blocks``) of :func:`perm_expand`."""
    U = np.uint64
    k, n, m, stride, rem, bh, bu, lob, stb, hb, ub, lb = _lane_scratch(shifts, P, bwords)
    lo, hi = span(t, nthreads, blocks.shape[0])
    for i in range(lo, hi):
        local = U(blocks[i])
        ps = _block_setup(local + b0, P, n, shifts, fpart, weights, rem, bh, bu)
        wbase = local * bwords
        pos = offsets[i] * np.int64(k)
        w = U(0)
        while w < bwords:
            nb, w = take_frontier(codes, wbase, w, bwords, code_f, True, lob)
            if nb == 0:
                continue
            _unrank_lanes(stb, lob, nb, ps, rem, table)
            for g in range(k):
                _neighbour_lanes(stb, lob, hb, ub, lb, nb, g, bh, bu, shifts, fpart, qend, modf, weights, P, stride)
                for q in range(nb):
                    out[pos + q] = lb[q]
                pos += nb


def perm_expand(codes, blocks, b0, offsets, shifts, fpart, qend, modf, weights, P, bwords, table, code_f, out):
    """The neighbours' global indices of the frontier (code ``code_f``) in the blocks
    ``blocks`` of a shard of the codes (local block ``j`` is global block ``b0 + j``):
    block ``blocks[i]``'s frontier states, in slot order, write their ``k`` neighbours
    (generator-major per batch) to ``out[offsets[i] * k ...]``, and become "done". The
    perm_layer machinery without the marking: the distributed engine routes the indices
    to the shards that own them (:func:`claim`)."""
    nt = min(num_threads(), max(1, blocks.shape[0]))
    run_threads(_perm_expand_thread, nt, nt, codes, blocks, b0, offsets, shifts, fpart, qend, modf, weights, P,
                bwords, table, code_f, out)
    return out


@njit(cache=True)
def group_by_owner(idx, span, world):
    """``idx`` grouped by owner ``idx // span`` (a counting sort, stable) and the count per
    owner: the distributed engine's routing of neighbours to the shards that hold them."""
    counts = np.zeros(world, np.int64)
    for q in range(idx.shape[0]):
        counts[np.int64(idx[q] // span)] += 1
    start = np.zeros(world, np.int64)
    for r in range(1, world):
        start[r] = start[r - 1] + counts[r - 1]
    out = np.empty_like(idx)
    for q in range(idx.shape[0]):
        o = np.int64(idx[q] // span)
        out[start[o]] = idx[q]
        start[o] += 1
    return out, counts


@njit(cache=True, nogil=True)
def _claim_thread(t, nthreads, codes, idx, base_word, b0, stride, code_n, flags_next, newc):
    """Thread ``t``'s share (a run of ``idx``) of :func:`claim`."""
    U = np.uint64
    base = base_word << U(5)
    lo, hi = span(t, nthreads, idx.shape[0])
    cnt = 0
    for q in range(lo, hi):
        x = U(idx[q])
        local = x - base  # the slot within this shard's codes
        if is_unseen(codes, local):
            cnt += claim_slot(codes, local, code_n, flags_next, x // stride - b0)
    newc[t] = cnt


def claim(codes, idx, base_word, b0, stride, code_n, flags_next, nthreads):
    """Give the unseen slots among the global indices ``idx`` (all in this shard, repeats
    allowed) the code ``code_n`` with an atomic OR; the old value says who found a state, so
    the count of new states is exact. Flags the receiving (local) blocks."""
    nt = max(1, min(int(nthreads), idx.shape[0]))
    newc = np.zeros(nt, np.int64)
    run_threads(_claim_thread, nt, nt, codes, idx, base_word, b0, stride, code_n, flags_next, newc)
    return int(newc.sum())


# ---------------------------------------------------------------------------------
# the rank engine's backend primitives (the driver is cayley.graphs.rank_engine)
# ---------------------------------------------------------------------------------
class NumbaRankKernels:
    """The rank engine's primitives on the CPU (numba), holding the code and flag arrays.

    The driver (:func:`cayley.graphs.rank_engine.rank_bfs`) sees only these methods, the
    same as :class:`cayley.backends.torch_rank.TorchRankKernels`: ``reset``/``restore``
    the codes, ``push`` (top-down layer), ``pull`` (bottom-up layer; ``can_pull``),
    ``extract`` (a code's slots), ``probe`` (any unseen neighbour?) and ``host_arrays``
    (codes and flags as numpy, for checkpoints). Both backends use the same layout, so
    their arrays (and checkpoints) are identical.

    >>> from cayley.backends.ranking import PermutationRanking
    >>> k = NumbaRankKernels(PermutationRanking(3), PermLayout(3), np.array([[1, 0, 2], [0, 2, 1]]))
    >>> k.reset(0); k.push(1, record_size=1)
    (2, array([0]))
    >>> k.extract(2).tolist(), k.probe(2)
    ([1, 2], True)
    """

    name = "cpu"

    def __init__(self, ranking, lay, perms):
        self.ranking, self.lay = ranking, lay
        self.perms = np.ascontiguousarray(perms, dtype=np.int64)
        self.nthreads = num_threads()
        self.codes = self.flags = None
        self._pieces = None  # the generators acting on pieces (piece rankings), made on first use
        self.can_pull = lay.kind == "permutations"
        U = np.uint64
        if self.can_pull:
            keep, fpart, qend, modf = lay.generator_parts(self.perms)
            shifts = np.ascontiguousarray((4 * self.perms[keep]).astype(U))
            self._push_args = (shifts, fpart, qend, modf)
            # bottom-up layers look for a state's parents: neighbours under the inverses
            inv = np.argsort(self.perms, axis=1)
            ikeep, ifpart, iqend, imodf = lay.generator_parts(inv)
            self._pull_args = (np.ascontiguousarray((4 * inv[ikeep]).astype(U)), ifpart, iqend, imodf)

    def reset(self, start_idx: int) -> None:
        """Fresh codes: everything unseen except the padding (done) and the start (code 1)."""
        lay = self.lay
        self.codes = np.zeros(lay.nwords, np.uint64)
        fill_padding(self.codes, lay)
        self.flags = np.zeros(lay.nblocks, np.uint8)
        self.codes[start_idx >> 5] |= np.uint64(1) << np.uint64((start_idx & 31) * 2)
        self.flags[start_idx // lay.stride] = 1

    def restore(self, codes: np.ndarray, flags: np.ndarray) -> None:
        self.codes = np.ascontiguousarray(codes, dtype=np.uint64)
        self.flags = np.ascontiguousarray(flags, dtype=np.uint8)

    def host_arrays(self):
        return self.codes, self.flags

    def _layer(self, flags_next, code_f, rec, probe):
        U = np.uint64
        lay = self.lay
        if self.can_pull:
            shifts, fpart, qend, modf = self._push_args
            return perm_layer(
                self.codes, self.flags, flags_next, shifts, fpart, qend, modf, lay.weights.astype(U), U(lay.P),
                U(lay.bwords), lay.table, U(code_f), rec, self.nthreads, probe,
            )
        r = self.ranking
        if r.kind == "pieces":
            if self._pieces is None:
                self._pieces = r.piece_action(self.perms)
            return piece_layer(
                self.codes, self.flags, flags_next, self._pieces, lay.bwords, lay.shift, code_f, rec, self.nthreads,
                probe,
            )
        return multiset_layer(
            self.codes, self.flags, flags_next, self.perms, r.cum, r.unit, r.full, lay.bwords, lay.shift, code_f,
            rec, self.nthreads, probe,
        )

    def push(self, code_f: int, record_size=None):
        """Expand the frontier (code ``code_f``): unseen neighbours get ``3 - code_f``, the
        frontier becomes done, the flags move to the new layer's blocks. Returns the new
        layer's size and, when ``record_size`` (the frontier's size) is given, the
        frontier's indices (unordered)."""
        flags_next = np.zeros_like(self.flags)
        rec = np.empty(record_size if record_size is not None else 0, np.int64)
        new = int(self._layer(flags_next, code_f, rec, False))
        self.flags = flags_next
        return new, (rec if record_size is not None else None)

    def pull(self, code_f: int) -> int:
        """Bottom-up layer: each unseen state looking for a parent with code ``code_f``."""
        U = np.uint64
        lay = self.lay
        shifts, fpart, qend, modf = self._pull_args
        flags_next = np.zeros_like(self.flags)
        new = perm_layer_pull(
            self.codes, flags_next, shifts, fpart, qend, modf, lay.weights.astype(U), U(lay.P), U(lay.bwords),
            lay.table, U(code_f), self.nthreads,
        )
        retire(self.codes, self.flags, U(lay.bwords), U(code_f))
        self.flags = flags_next
        return int(new)

    def extract(self, code: int) -> np.ndarray:
        """Sorted indices of the slots holding ``code`` in the flagged blocks."""
        return extract(self.codes, np.flatnonzero(self.flags), self.lay.bwords, code)

    def probe(self, code_f: int) -> bool:
        """Whether some frontier state has an unseen neighbour (writes nothing)."""
        return bool(self._layer(np.zeros_like(self.flags), code_f, np.empty(0, np.int64), True))
