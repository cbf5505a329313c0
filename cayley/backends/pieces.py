"""A perfect ranking of puzzle states by pieces, and the rank engine's layer kernel for it.

A state of a group whose positions fall into blocks (a cube's cubies, a burnt pancake's
two sides; see :func:`cayley.groups.blocks.piece_structure`) is, per kind of piece, a
permutation of the blocks and an orientation of each block. :class:`PieceRanking` ranks
those ``prod m_k! * o_k ** m_k`` arrangements (the wreath products ``C_b wr S_m`` side by
side) instead of all ``n!`` arrangements of the positions: burnt pancakes of ``n`` take
``2^n n!`` ranks rather than ``(2n)!``, the 2x2x2 cube's 24 stickers ``8! 3^7``.
Laws the generators obey shrink it further (:class:`~cayley.groups.blocks.PieceKind`): an
even permutation takes half the Lehmer code, balanced twists drop the last orientation, and
a kind that moves with another keeps no permutation of its own.

Ranks are mixed radix: the first kind is most significant; within a kind the Lehmer code
of the block permutation comes before the orientations (first block most significant).

>>> import numpy as np
>>> start = np.arange(6)                       # three burnt pancakes on 6 positions
>>> r = PieceRanking(start, [(np.array([[0, 3], [1, 4], [2, 5]]), True)])
>>> r.size, r.rank([[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0]]).tolist()
(48, [0, 47])
>>> r.unrank([47]).tolist()
[[5, 4, 3, 2, 1, 0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import permutations
from math import factorial

import numpy as np
from numba import njit

from ..groups.perm import parity
from .ranking import popcount

__all__ = ["PieceRanking", "piece_neighbours", "piece_rank_one", "piece_unrank_one"]

MAX_RANKS = 2**41
_FACT = np.array([factorial(i) for i in range(21)], dtype=np.int64)


@njit(cache=True, inline="always")
def piece_rank_one(s, tab):
    """Rank of the state ``s`` (see the module docstring); ``tab`` is
    :attr:`PieceRanking.tables`."""
    inv_start, start, count, width, orient, rot, blocks, where, slot, weight, fact, rule = tab
    r = np.int64(0)
    for k in range(count.shape[0]):
        m = count[k]
        b = width[k]
        o = orient[k]
        lehmer = np.int64(0)
        ori = np.int64(0)
        used = np.uint64(0)
        for i in range(m):
            h0 = inv_start[s[blocks[k, i, 0]]]
            beta = where[h0]
            below = used & ((np.uint64(1) << np.uint64(beta)) - np.uint64(1))
            lehmer = lehmer * (m - i) + (beta - np.int64(popcount(below)))
            used |= np.uint64(1) << np.uint64(beta)
            if rule[k, 2] and i == m - 1:  # balanced: the last orientation is implied
                break
            if rot[k]:
                ori = ori * o + slot[h0]
            else:  # the block's arrangement as a Lehmer code over b
                code = np.int64(0)
                seen = np.uint64(0)
                for j in range(b):
                    v = slot[inv_start[s[blocks[k, i, j]]]]
                    lower = seen & ((np.uint64(1) << np.uint64(v)) - np.uint64(1))
                    code = code * (b - j) + (v - np.int64(popcount(lower)))
                    seen |= np.uint64(1) << np.uint64(v)
                ori = ori * o + code
        r += (_perm_digit(lehmer, rule[k]) * fact[k] + ori) * weight[k]
    return r


@njit(cache=True, inline="always")
def _perm_digit(lehmer, law):
    """The ranking's digit for a kind's block permutation of Lehmer code ``lehmer`` under
    the kind's ``law`` (see :attr:`PieceRanking.tables`): the code itself, half of it when
    the permutation is even (the last two digits follow from the parity), 0 for a kind
    that follows another."""
    if law[3] >= 0:
        return np.int64(0)
    if law[1]:
        return lehmer >> 1
    return lehmer


@njit(cache=True, inline="always")
def _nth_unused(used, d):
    """The ``d``-th (from 0) value whose bit in ``used`` is clear."""
    v = 0
    while True:
        if not (used >> np.uint64(v)) & np.uint64(1):
            if d == 0:
                return v
            d -= 1
        v += 1


@njit(cache=True, inline="always")
def _decode_kind(rk, m, ofact, o, law, lead, beta, ori):
    """Block permutation ``beta[:m]`` and orientations ``ori[:m]`` of one kind's part
    ``rk`` of a rank; ``lead`` holds the leading kind's permutation when ``law[3] >= 0``."""
    lehmer = rk // ofact
    rest = rk - lehmer * ofact
    if law[1]:
        lehmer <<= 1
    used = np.uint64(0)
    opow = ofact // o if ofact >= o else np.int64(0)
    parity = np.int64(0)
    total = np.int64(0)
    for i in range(m):
        if law[3] >= 0:
            beta[i] = lead[i]
        else:
            if law[1] and i == m - 2:
                lehmer = parity & 1  # what is left is 0: the parity picks the last two
            d = lehmer // _FACT[m - 1 - i]
            v = _nth_unused(used, d)
            lehmer -= d * _FACT[m - 1 - i]
            used |= np.uint64(1) << np.uint64(v)
            parity += d
            beta[i] = v
        if law[2] and i == m - 1:
            ori[i] = (o - total % o) % o
        else:
            oi = rest // opow if opow > 0 else np.int64(0)
            rest -= oi * opow
            ori[i] = oi
            total += oi
            opow //= o


@njit(cache=True, inline="always")
def piece_unrank_one(r, tab, out, beta, ori):
    """The state of rank ``r`` into ``out`` (the inverse of :func:`piece_rank_one`);
    ``beta``, ``ori`` (kinds x blocks) are scratch."""
    inv_start, start, count, width, orient, rot, blocks, where, slot, weight, fact, rule = tab
    for x in range(out.shape[0]):
        out[x] = start[x]
    for k in range(count.shape[0]):
        m = count[k]
        b = width[k]
        rk = (r // weight[k]) % (fact[k] * rule[k, 0])
        lead = beta[max(rule[k, 3], 0)]
        _decode_kind(rk, m, fact[k], orient[k], rule[k], lead, beta[k], ori[k])
        for i in range(m):
            oi = ori[k, i]
            if rot[k]:
                for j in range(b):
                    out[blocks[k, i, j]] = start[blocks[k, beta[k, i], (oi + j) % b]]
            else:  # oi is the Lehmer code of the block's arrangement
                seen = np.uint64(0)
                for j in range(b):
                    d = oi // _FACT[b - 1 - j]
                    v = _nth_unused(seen, d)
                    oi -= d * _FACT[b - 1 - j]
                    seen |= np.uint64(1) << np.uint64(v)
                    out[blocks[k, i, j]] = start[blocks[k, beta[k, i], v]]


@njit(cache=True)
def _rank_many(states, tab):
    out = np.empty(states.shape[0], np.int64)
    for i in range(states.shape[0]):
        out[i] = piece_rank_one(states[i], tab)
    return out


@njit(cache=True)
def _unrank_many(ranks, n, tab):
    out = np.empty((ranks.shape[0], n), np.int64)
    beta = np.zeros(tab[6].shape[:2], np.int64)
    ori = np.zeros(tab[6].shape[:2], np.int64)
    for i in range(ranks.shape[0]):
        piece_unrank_one(ranks[i], tab, out[i], beta, ori)
    return out


def _lehmer(p: list[int]) -> int:
    """Lexicographic rank of the permutation ``p`` of ``0 .. len(p)-1``."""
    r = 0
    for i, v in enumerate(p):
        r = r * (len(p) - i) + sum(1 for u in p[i + 1 :] if u < v)
    return r


class PieceRanking:
    """Ranking of the arrangements of a puzzle's pieces (see the module docstring).

    ``start`` is the start state (distinct labels); ``kinds`` lists, per kind of piece,
    its blocks (an ``(m, b)`` array of positions, each row in the order the generators
    rotate) and whether orientations are rotations (else all ``b!`` arrangements).
    Positions in no block are fixed.
    """

    kind = "pieces"

    def __init__(self, start: "np.typing.ArrayLike", kinds: "Sequence[tuple]") -> None:
        start = np.ascontiguousarray(start, dtype=np.int64).reshape(-1)
        n = start.shape[0]
        if sorted(start.tolist()) != list(range(n)):
            raise ValueError("a piece ranking needs a start state with distinct labels 0 .. n-1")
        self.n = n
        full = [tuple(kind) + (False, False, -1)[len(kind) - 2 :] for kind in kinds]
        keep = [i for i, kind in enumerate(full) if np.asarray(kind[0]).size > 1]
        renumber = {old: new for new, old in enumerate(keep)}
        laws = []
        self.kinds = []
        for i in keep:
            b, rot, alternating, balanced, follows = full[i]
            b = np.asarray(b, dtype=np.int64).reshape(len(b), -1)
            if follows >= 0 and (follows not in renumber or renumber[follows] >= len(self.kinds)):
                raise ValueError("a kind of pieces can only follow an earlier kind")
            self.kinds.append((b, bool(rot)))
            laws.append((bool(alternating) and b.shape[0] > 1, bool(balanced) and bool(rot), renumber.get(follows, -1)))
        K = len(self.kinds)
        mb = max([b.shape[0] for b, _ in self.kinds], default=1)
        wb = max([b.shape[1] for b, _ in self.kinds], default=1)
        if mb > 20 or any(b.shape[1] > 5 and not r for b, r in self.kinds) or wb > 64:
            raise ValueError(f"too many pieces to rank ({mb} blocks of up to {wb} positions)")
        count = np.zeros(K, np.int64)
        width = np.zeros(K, np.int64)
        orient = np.zeros(K, np.int64)
        rot = np.zeros(K, np.bool_)
        blocks = np.zeros((K, mb, wb), np.int64)
        where = np.zeros(n, np.int64)
        slot = np.zeros(n, np.int64)
        rule = np.zeros((K, 4), np.int64)
        sizes = []
        ofact = np.zeros(K, np.int64)
        seen = np.zeros(n, np.bool_)
        for k, ((b, r), (alternating, balanced, follows)) in enumerate(zip(self.kinds, laws)):
            m, w = b.shape
            if seen[b.reshape(-1)].any() or b.min() < 0 or b.max() >= n:
                raise ValueError("the blocks of a piece ranking must be disjoint sets of positions")
            if follows >= 0 and count[follows] != m:
                raise ValueError("a kind of pieces can only follow a kind with as many pieces")
            seen[b.reshape(-1)] = True
            count[k], width[k], rot[k] = m, w, r
            orient[k] = w if r else factorial(w)
            blocks[k, :m, :w] = b
            for i in range(m):
                for j in range(w):
                    where[b[i, j]] = i
                    slot[b[i, j]] = j
            ofact[k] = int(orient[k]) ** (m - 1 if balanced else m)
            nperm = 1 if follows >= 0 else factorial(m) // (2 if alternating else 1)
            rule[k] = (nperm, alternating, balanced, follows)
            sizes.append(nperm * int(ofact[k]))
        size = 1
        for s in sizes:
            size *= s
        if size > MAX_RANKS:
            raise ValueError(f"{size} arrangements of pieces are too many to rank (at most 2**41)")
        self.size = size
        weight = np.zeros(K, np.int64)
        acc = 1
        for k in range(K - 1, -1, -1):
            weight[k] = acc
            acc *= sizes[k]
        inv_start = np.argsort(start).astype(np.int64)
        self.tables = (inv_start, start, count, width, orient, rot, blocks, where, slot, weight, ofact, rule)

    def piece_action(self, perms):
        """The generators ``perms`` (rows; a state ``s`` goes to ``s[p]``) as actions on
        pieces, for :func:`piece_neighbours`: ``src[g, k, i]`` is the block whose piece block
        ``i`` of kind ``k`` receives, ``twist[g, k, i]`` the orientation it adds (composed
        by the table ``mul[k]``), with the kinds' sizes and the weights of the digits.
        Raises ValueError when a generator does not map blocks onto blocks."""
        perms = np.asarray(perms, dtype=np.int64).reshape(-1, self.n)
        inv_start, start, count, width, orient, rot, blocks, where, slot, weight, ofact, rule = self.tables
        K = count.shape[0]
        mmax = int(count.max(initial=1))
        omax = int(orient.max(initial=1))
        src = np.zeros((len(perms), K, mmax), np.int64)
        twist = np.zeros((len(perms), K, mmax), np.int64)
        for g, p in enumerate(perms):
            for k in range(K):
                b = int(width[k])
                for i in range(int(count[k])):
                    image = p[blocks[k, i, :b]]
                    j = int(where[image[0]])
                    if not np.array_equal(np.sort(image), np.sort(blocks[k, j, :b])):
                        raise ValueError(f"generator {g} does not map the pieces onto pieces")
                    tau = slot[image]
                    src[g, k, i] = j
                    if rot[k]:
                        if not np.array_equal(tau, (tau[0] + np.arange(b)) % b):
                            raise ValueError(f"generator {g} does not turn piece {i} by a rotation")
                        twist[g, k, i] = tau[0]
                    else:
                        twist[g, k, i] = _lehmer(tau.tolist())
        mul = np.zeros((K, omax, omax), np.int64)
        opow = np.zeros((K, mmax), np.int64)
        for k in range(K):
            b, o, m = int(width[k]), int(orient[k]), int(count[k])
            nperm, alternating, balanced, follows = (int(x) for x in rule[k])
            for i in range(m - balanced):  # a balanced kind's last orientation has no digit
                opow[k, i] = o ** (m - 1 - balanced - i)
            for g in range(len(perms)):
                if alternating and parity(src[g, k, :m]):
                    raise ValueError(f"generator {g} permutes pieces of kind {k} oddly")
                if balanced and twist[g, k, :m].sum() % o:
                    raise ValueError(f"generator {g} twists the pieces of kind {k} by a nonzero total")
                if follows >= 0 and not np.array_equal(src[g, k, :m], src[g, follows, :m]):
                    raise ValueError(f"generator {g} moves the pieces of kind {k} unlike kind {follows}")
            if rot[k]:
                mul[k, :o, :o] = (np.arange(o)[:, None] + np.arange(o)[None, :]) % b
            else:
                arr = list(permutations(range(b)))  # lexicographic: index = Lehmer code
                for x, sx in enumerate(arr):
                    for y, ty in enumerate(arr):
                        mul[k, x, y] = _lehmer([sx[t] for t in ty])
        return src, twist, count, orient, ofact, weight, opow, mul, rule

    def rank(self, states) -> np.ndarray:
        s = np.ascontiguousarray(states, dtype=np.int64)
        if s.shape[-1:] != (self.n,) or (s.size and (s.min() < 0 or s.max() >= self.n)):
            raise ValueError(f"states to rank must be rows of {self.n} labels 0 .. {self.n - 1}")
        s = s.reshape(-1, self.n)
        return _rank_many(s, self.tables)

    def unrank(self, ranks) -> np.ndarray:
        r = np.ascontiguousarray(ranks, dtype=np.int64).reshape(-1)
        if r.size and (r.min() < 0 or r.max() >= self.size):
            raise ValueError(f"ranks must lie in 0 .. {self.size - 1}")
        return _unrank_many(r, self.n, self.tables)

    def __repr__(self) -> str:
        parts = ", ".join(f"{b.shape[0]}x{b.shape[1]}{'' if r else '!'}" for b, r in self.kinds)
        return f"PieceRanking({self.n}: {parts})"


# ---------------------------------------------------------------------------------
# neighbours for the layer kernel: generators act on (block permutation, orientations)
# ---------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def piece_neighbours(r, beta, ori, prev, src, twist, count, orient, ofact, weight, opow, mul, rule, nbr):
    """Ranks of the neighbours of the state with rank ``r`` into ``nbr``, straight from its
    pieces: generator ``g`` moves block ``src[g, k, i]`` of kind ``k`` to block ``i``,
    turning it by ``twist[g, k, i]`` (composed by ``mul[k]``); ``rule`` holds the kinds'
    laws (:attr:`PieceRanking.tables`). ``beta``, ``ori`` (kinds x blocks) and ``prev``
    (per kind, start at -1) are the caller's scratch: a kind whose part of the rank did
    not change since the last call is not decoded again."""
    one = np.uint64(1)
    K = count.shape[0]
    for k in range(K):
        rk = (r // weight[k]) % (ofact[k] * rule[k, 0])
        if rk != prev[k]:  # a follower's blocks are not read here: its lead stands in
            _decode_kind(rk, count[k], ofact[k], orient[k], rule[k], beta[max(rule[k, 3], 0)], beta[k], ori[k])
            prev[k] = rk
    for g in range(src.shape[0]):
        idx = np.int64(0)
        for k in range(K):
            m = count[k]
            lehmer = np.int64(0)
            oval = np.int64(0)
            used = np.uint64(0)
            follows = rule[k, 3] >= 0
            for i in range(m):
                j = src[g, k, i]
                if not follows:
                    v = beta[k, j]
                    below = used & ((one << np.uint64(v)) - one)
                    lehmer = lehmer * (m - i) + (v - np.int64(popcount(below)))
                    used |= one << np.uint64(v)
                oval += mul[k, ori[k, j], twist[g, k, i]] * opow[k, i]
            idx += (_perm_digit(lehmer, rule[k]) * ofact[k] + oval) * weight[k]
        nbr[g] = idx
