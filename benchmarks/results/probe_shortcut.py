"""Probe (found nothing): shorten finished DeepCubeA paths by meeting balls of radius D
around every pair of states on the path, and the solution ball at the end; prints per cube
the optimal, found and shortened lengths.

    CAYLEY_CACHE_DIR=DIR PYTHONPATH=$PWD python benchmarks/results/probe_shortcut.py N SECONDS D
"""

import sys
import time
import numpy as np
from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.puzzles.solve import solve_state, shorten
from cayley.graphs.paths.beam import Ball

SHARED = "/work/shared/puzzles"
N, SECONDS, D = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
info = read_puzzle_info(f"{SHARED}/puzzle_info.csv")
every = read_puzzles(f"{SHARED}/deepcubea_cube3.csv", info)
t = time.perf_counter()
prep = prepare(info["cube3_qtm"], every[0].solution_state, ball_states=25_000_000)
print("prep", round(time.perf_counter() - t, 1), flush=True)
g = prep.graph
perms = g.generators.perms
inv = g.generators.inverse_index


def shortcut(src, moves, d):
    states = [src]
    for m in moves:
        states.append(states[-1][perms[m]])
    n = len(moves)
    balls = [Ball(g, s, d) for s in states]
    INF = 10**9
    best = [INF] * (n + 1)
    best[0] = 0
    how = [None] * (n + 1)
    # edges
    for i in range(n + 1):
        if best[i] == INF:
            continue
        bi = balls[i]
        # to the solution through the big ball
        pos = prep.ball.lookup(bi.rows)
        hits = np.flatnonzero(pos >= 0)
        if len(hits):
            tot = bi.depth[hits] + prep.ball.depth[pos[hits]]
            k = hits[np.argmin(tot)]
            dist = int(tot.min())
            if best[i] + dist < best[n]:
                there = [int(inv[m]) for m in reversed(bi.path_from(int(k)))]
                best[n] = best[i] + dist
                how[n] = (i, there + prep.ball.path_from(int(pos[k])))
        for j in range(i + 1, n):
            if j - i <= 1:
                dist, path = 1, [moves[i]]
            else:
                bj = balls[j]
                pos = bi.lookup(bj.rows)
                hits = np.flatnonzero(pos >= 0)
                if not len(hits):
                    continue
                tot = bj.depth[hits] + bi.depth[pos[hits]]
                k = hits[np.argmin(tot)]
                dist = int(tot.min())
                # from s_i to x: inverse of x->s_i path; x->s_j
                there = [int(inv[m]) for m in reversed(bi.path_from(int(pos[k])))]
                path = there + bj.path_from(int(k))
            if best[i] + dist < best[j]:
                best[j] = best[i] + dist
                how[j] = (i, path)
    out = []
    j = n
    while j:
        i, p = how[j]
        out = p + out
        j = i
    return out


tot0 = tot1 = topt = 0
for r in every[:N]:
    _, ini = r.codes()
    opt = int(dict(r.extra)["optimal_length"])
    s = solve_state(prep, ini, time_limit=SECONDS)
    idx = {nm: i for i, nm in enumerate(g.generators.names)}
    mv = [idx[m] for m in s.moves]
    t = time.perf_counter()
    cur = mv
    while True:
        nxt = shortcut(ini, cur, D)
        if len(nxt) >= len(cur):
            break
        cur = shorten(prep, nxt)
    x = ini.copy()
    for m in cur:
        x = x[perms[m]]
    assert np.array_equal(x, g.start)
    print(r.id, opt, len(mv), len(cur), round(time.perf_counter() - t, 2), flush=True)
    tot0 += len(mv)
    tot1 += len(cur)
    topt += opt
print("SUMMARY", tot0 / N, tot1 / N, topt / N)
