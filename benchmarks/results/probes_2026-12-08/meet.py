"""Probe: does a beam meeting the other direction's beam find shorter paths than either beam alone?"""
import json
import sys
import time
import numpy as np
from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.puzzles.solve import shorten
from cayley.graphs.paths.beam import CpuBeamOps
from cayley.graphs.paths.common import cpu_backend as _be, kernels as K

SH = "/work/shared/puzzles"
ids = [int(x) for x in sys.argv[1].split(",")]
W = int(sys.argv[2])
info = read_puzzle_info(f"{SH}/puzzle_info.csv")
allrows = read_puzzles(f"{SH}/deepcubea_cube3.csv", info)
prep = prepare(info["cube3_qtm"], allrows[0].solution_state, bound_states=1_000_000, ball_states=25_000_000,
               progress=lambda m: print(m, file=sys.stderr, flush=True))
g = prep.graph
perms = g.generators.perms
ball = prep.ball

def record_beam(src, width, seed, meet=None):
    """run_beam's loop, keeping every layer (parents, moves)
    with meet=(index, rows, depth),
    checks each step's candidates (as states) against it: returns best meeting (total, step, cand idx, pos)."""
    ops = CpuBeamOps(g, seed)
    k = ops.k
    beam, keys = ops.start(src)
    recent = [keys]
    parents, movesl = [], []
    best_meet = None
    for step in range(1, 60):
        cand, ckeys = ops.expand(beam)
        if meet is not None:
            idx_m, rows_m, depth_m = meet
            pos = np.asarray(K.lookup(idx_m, rows_m, ckeys))
            hits = np.flatnonzero(pos >= 0)
            if len(hits):
                tot = depth_m[pos[hits]] + step
                j = int(np.argmin(tot))
                if best_meet is None or tot[j] < best_meet[0]:
                    best_meet = (int(tot[j]), step, int(hits[j]), int(pos[hits[j]]), [p.copy() for p in parents], [m.copy() for m in movesl])
        hit = ops.ball_hit(ball, cand, ckeys)
        if hit is not None:
            i, j = hit
            path = [i % k]
            parent = i // k
            for t in range(len(parents) - 1, -1, -1):
                path.append(int(movesl[t][parent]))
                parent = int(parents[t][parent])
            return path[::-1] + ball.path_from(j), parents, movesl, best_meet
        idx = ops.new(recent, ckeys)
        if len(idx) > width:
            scores = ops.scores(prep.heuristic, cand, idx)
            idx = ops.best(idx, scores, width)
        parents.append(ops.parents(idx))
        movesl.append(ops.moves(idx))
        beam, keys = ops.take(cand, ckeys, idx)
        recent = (recent + [keys])[-2:]
    return None, parents, movesl, best_meet

def word_states(parents, movesl):
    """start[A] for each kept state of each layer: packed rows, depth, and (layer, position)."""
    z = g.start.reshape(1, -1).astype(np.int64)
    rows, depth = [], []
    zs = [z]
    for t, (p, m) in enumerate(zip(parents, movesl)):
        zp = zs[-1][p]
        z = np.take_along_axis(zp, perms[m.astype(np.int64)], axis=1)
        zs.append(z)
    enc = [np.asarray(_be.encode(z, ball.bits, ball.words)) for z in zs]
    depth = np.concatenate([np.full(len(e), t, dtype=np.int64) for t, e in enumerate(enc)])
    rows = np.ascontiguousarray(np.concatenate(enc))
    return K.build_index(rows), rows, depth, [len(e) for e in enc]

def walk(parents, movesl, t, j):
    path = []
    for u in range(t - 1, -1, -1):
        path.append(int(movesl[u][j]))
        j = int(parents[u][j])
    return path[::-1]

def meet_path(a, par, mov, meet, bm):
    """The path from a: the first beam's word to the meeting state, then the second's read backwards."""
    tot, step, ci, pos, p2, m2 = bm
    sizes = meet[3]
    off = np.cumsum([0] + sizes)
    t = int(np.searchsorted(off, pos, side="right") - 1)
    A = walk(par, mov, t, pos - off[t])
    B = walk(p2, m2, step - 1, ci // len(perms)) + [ci % len(perms)]
    inv = g.generators.inverse_index
    path = A + [int(inv[m]) for m in reversed(B)]
    s = a.copy()
    for m in path:
        s = s[perms[m]]
    assert np.array_equal(s, g.start), "meeting path does not solve"
    return path

for i in ids:
    r = allrows[i]
    src = r.codes()[1]
    back = prep.inverse_state(src)
    opt = int(dict(r.extra)["optimal_length"])
    rec = {"i": i, "opt": opt}
    for name, a, b in (("fwd", src, back), ("inv", back, src)):
        t = time.perf_counter()
        pa, par, mov, _ = record_beam(a, W, 0)
        la = len(shorten(prep, pa)) if pa else None
        meet = word_states(par, mov)
        pb, _, _, bm = record_beam(b, W, 1, meet[:3])
        if bm:
            mp = meet_path(a, par, mov, meet, bm)
            assert len(mp) == bm[0]
            bm = (len(shorten(prep, mp)),)
        lb = len(shorten(prep, pb)) if pb else None
        rec[name] = {"first": la, "second": lb, "meet": bm[0] if bm else None, "s": round(time.perf_counter() - t, 1),
                     "stored": len(meet[1])}
    print(json.dumps(rec), flush=True)
