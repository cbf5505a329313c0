"""numba layer kernels of the rank engine for flat rank spaces: multiset permutations
(Schreier graphs on strings), matrices over Z/m and pieces (signed permutations, puzzles).

Both use flat ranks in fixed chunks of ``bwords`` words (``MultisetLayout``) and expand
one frontier state at a time (such spaces are small next to ``S_n``): unrank it, rank
each generator's neighbour, claim the unseen ones. The frontier scan, the scheduling and
the claim are :mod:`.numba_codes`' (shared with the permutation kernels); one thread
kernel serves both spaces, so a first run compiles it once.

- Multiset permutations: lexicographic ranks through the table ``cum`` of
  :class:`~cayley.backends.ranking.MultisetRanking`; generator ``g`` gathers, ``s[perms[g]]``.
- Matrices: a rank is the state's entries read as a base-``modulus`` number (row-major,
  first entry most significant); generator ``g`` maps ``S`` to ``mats[g] @ S mod modulus``.
- Pieces: :class:`~cayley.backends.pieces.PieceRanking`'s ranks; the generators act on the
  block permutation and orientations (:func:`~cayley.backends.pieces.piece_neighbours`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .numba_codes import claim_slot, is_unseen, next_batch
from .pieces import piece_neighbours
from .ranking import multiset_rank_one, multiset_unrank_one
from .threads import run_threads

__all__ = ["multiset_layer", "matrix_layer", "piece_layer"]

_BATCH = 256
_MULTISET, _MATRIX, _PIECES = 0, 1, 2


@njit(cache=True, inline="always")
def _matrix_neighbours(r, s, mats, modulus, cols, nbr):
    """Ranks of the neighbours of the matrix state with rank ``r`` (``s``: scratch)."""
    k, n, _ = mats.shape
    length = n * cols
    for i in range(length - 1, -1, -1):  # unrank: base-m digits
        s[i] = r % modulus
        r //= modulus
    for g in range(k):
        idx = np.int64(0)
        for a in range(n):
            for cc in range(cols):
                acc = np.int64(0)
                # modulus**length <= 2**41, so n * m^2 cannot overflow
                for bb in range(n):
                    acc += mats[g, a, bb] * s[bb * cols + cc]
                idx = idx * modulus + acc % modulus
        nbr[g] = idx


@njit(cache=True, inline="always")
def _multiset_neighbours(r, s, t, perms, cum, unit, full, nbr):
    """Ranks of the neighbours of the string with rank ``r`` (``s``, ``t``: scratch)."""
    multiset_unrank_one(r, cum, unit, full, s)
    for g in range(perms.shape[0]):
        for i in range(s.shape[0]):
            t[i] = s[perms[g, i]]
        nbr[g] = multiset_rank_one(t, cum, unit, full)


@njit(cache=True, nogil=True)
def _flat_layer_thread(t, ctl, newc, codes, flags, flags_next, bwords, shift, code_f, rec, probe, kind, perms, cum, unit, full, mats, modulus, cols, pieces):
    """One thread's share of a flat layer (blocks from the shared counter ``ctl[0]``)."""
    U = np.uint64
    src, twist, count, orient, ofact, weight, opow, mul, rule = pieces
    k = mats.shape[0] if kind == _MATRIX else (src.shape[0] if kind == _PIECES else perms.shape[0])
    length = mats.shape[1] * cols if kind == _MATRIX else perms.shape[1]
    beta = np.zeros((count.shape[0], src.shape[2]), np.int64)
    ori = np.zeros((count.shape[0], src.shape[2]), np.int64)
    prev = np.full(count.shape[0], -1, np.int64)
    code_n = U(3) - code_f
    stride = np.int64(bwords) * 32
    s = np.empty(length, np.int64)
    tmp = np.empty(length, np.int64)
    nbr = np.empty(k, np.int64)
    lob = np.empty(_BATCH, np.uint64)
    cur = np.array([0, 0, -1, 0], np.int64)
    cnt = 0
    stop = False
    while not stop:
        b, nb = next_batch(cur, flags, ctl, codes, bwords, code_f, not probe, False, probe, lob, rec)
        if b < 0:
            break
        for q in range(nb):
            r = b * stride + np.int64(lob[q])
            if kind == _MATRIX:
                _matrix_neighbours(r, s, mats, modulus, cols, nbr)
            elif kind == _PIECES:
                piece_neighbours(r, beta, ori, prev, src, twist, count, orient, ofact, weight, opow, mul, rule, nbr)
            else:
                _multiset_neighbours(r, s, tmp, perms, cum, unit, full, nbr)
            for g in range(k):
                idx = nbr[g]
                if is_unseen(codes, idx):
                    if probe:
                        ctl[2] = 1
                        stop = True
                        break
                    cnt += claim_slot(codes, idx, code_n, flags_next, idx >> shift)
            if stop:
                break
    newc[t] = cnt


_NO_PERMS = np.zeros((0, 1), np.int64)
_NO_TABLE = np.zeros((1, 1), np.int64)
_NO_UNIT = np.zeros(1, np.int64)
_NO_MATS = np.zeros((0, 1, 1), np.int64)
_I3 = np.zeros((0, 0, 1), np.int64)
_I1 = np.zeros(0, np.int64)
_NO_PIECES = (_I3, _I3, _I1, _I1, _I1, _I1, np.zeros((0, 1), np.int64), np.zeros((0, 1, 1), np.int64),
              np.zeros((0, 4), np.int64))


def _run(kind, codes, flags, flags_next, bwords, shift, code_f, rec, nthreads, probe, perms=_NO_PERMS,
         cum=_NO_TABLE, unit=_NO_UNIT, full=0, mats=_NO_MATS, modulus=1, cols=1, pieces=_NO_PIECES):
    ctl = np.zeros(3, np.int64)  # next chunk of blocks, rec fill, probe found
    newc = np.zeros(nthreads, np.int64)
    run_threads(
        _flat_layer_thread, nthreads, ctl, newc, codes, flags, flags_next, np.int64(bwords), np.int64(shift),
        np.uint64(code_f), rec, bool(probe), np.int64(kind), np.ascontiguousarray(perms, dtype=np.int64),
        np.ascontiguousarray(cum, dtype=np.int64), np.ascontiguousarray(unit, dtype=np.int64), np.int64(full),
        np.ascontiguousarray(mats, dtype=np.int64), np.int64(modulus), np.int64(cols),
        tuple(np.ascontiguousarray(a, dtype=np.int64) for a in pieces),
    )
    if probe:
        return int(ctl[2])
    return int(newc.sum())


def multiset_layer(codes, flags, flags_next, perms, cum, unit, full, bwords, shift, code_f, rec, nthreads, probe):
    """:func:`~cayley.backends.numba_rank.perm_layer` for multiset permutations (flat
    ranks, chunks of ``bwords`` words; block of index ``i`` is ``i >> shift``).

    Same contract: unseen neighbours of the frontier (code ``code_f``) get ``3 - code_f``
    (an atomic OR; the old value says who found a state, so counts are exact), the
    frontier becomes done, blocks receiving states are flagged in ``flags_next``; with
    ``probe`` it returns 1 if any neighbour is unseen and writes nothing. When ``rec`` is
    non-empty, the frontier's indices are written to it (unordered).

    >>> from cayley.backends.ranking import MultisetRanking
    >>> r = MultisetRanking([1, 1])                     # the strings 01 and 10
    >>> codes = np.array([0b11111111_11111111_11111111_11110001], np.uint64)  # 01: frontier
    >>> flags, nxt = np.ones(1, np.uint8), np.zeros(1, np.uint8)
    >>> multiset_layer(codes, flags, nxt, np.array([[1, 0]]), r.cum, r.unit, r.full, 1, 5, 1, np.empty(0, np.int64), 1, False)
    1
    >>> bin(int(codes[0]) & 0b1111)                     # 01 done, 10 in the next layer
    '0b1011'
    """
    return _run(_MULTISET, codes, flags, flags_next, bwords, shift, code_f, rec, nthreads, probe,
                perms=perms, cum=cum, unit=unit, full=full)


def matrix_layer(codes, flags, flags_next, mats, modulus, cols, bwords, shift, code_f, rec, nthreads, probe):
    """:func:`multiset_layer` for matrix states: a rank is the state's entries read as a
    base-``modulus`` number (row-major, first entry most significant); generator ``g``
    maps state ``S`` to ``mats[g] @ S mod modulus``.
    """
    return _run(_MATRIX, codes, flags, flags_next, bwords, shift, code_f, rec, nthreads, probe,
                mats=mats, modulus=modulus, cols=cols)


def piece_layer(codes, flags, flags_next, action, bwords, shift, code_f, rec, nthreads, probe):
    """:func:`multiset_layer` for a :class:`~cayley.backends.pieces.PieceRanking`, with the
    generators' action on pieces ``action`` (:meth:`~cayley.backends.pieces.PieceRanking.piece_action`)."""
    return _run(_PIECES, codes, flags, flags_next, bwords, shift, code_f, rec, nthreads, probe, pieces=action)
