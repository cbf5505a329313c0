"""Proxy: K agents (symmetric images / inverse of the scramble), each width W/K; min length."""

import sys
import time
import json
import argparse
import glob
import numpy as np
import os
from cayley.groups.generator_set import GeneratorSet
from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.puzzles.solve import shorten
from cayley.graphs.paths.beam import run_beam, CpuBeamOps
from cayley.groups.automorphisms import generator_symmetries
from cayley.nn.scoring import OneHotMLP
from cayley.nn.heuristics import load_heuristic

ap = argparse.ArgumentParser()
ap.add_argument("--agents", type=int, default=1)
ap.add_argument("--inverse", type=int, default=0)
ap.add_argument("--n", type=int, default=30)
ap.add_argument("--width", type=int, default=16384)
ap.add_argument("--load", default=None)
a = ap.parse_args()
S = "/work/shared/puzzles"
info = read_puzzle_info(f"{S}/puzzle_info.csv")
rows = read_puzzles(f"{S}/deepcubea_cube3.csv", info)[: a.n]
ptype = info["cube3_qtm"]

prep = prepare(ptype, rows[0].solution_state, bound_states=int(os.environ.get("BOUND", "0")), heuristic="hamming")
g = prep.graph
h = load_heuristic(a.load or glob.glob("/work/runs/pcache/puzzles/*.pt")[0], graph=g)
sc0 = OneHotMLP(h, precision="bfloat16", pairs=True)
if prep.bound is not None:

    def sc(s):
        return np.maximum(sc0(s), prep.bound(s))
else:
    sc = sc0
t = g.start
syms = []

P = np.asarray(g.generators.perms)
moved = np.flatnonzero((P != np.arange(P.shape[1])).any(axis=0))
fixed = np.setdiff1d(np.arange(P.shape[1]), moved)
pos = np.full(P.shape[1], -1)
pos[moved] = np.arange(len(moved))
sub = GeneratorSet.from_perms([pos[p[moved]] for p in P])
t0 = time.perf_counter()
subsyms = generator_symmetries(sub)
print("sub symmetries", len(subsyms), time.perf_counter() - t0, file=sys.stderr)


def extend(q):
    pi = np.arange(P.shape[1])
    pi[moved] = moved[q]
    lam = {}
    for x, y in zip(t[pi[moved]].tolist(), t[moved].tolist()):
        if lam.setdefault(x, y) != y:
            return None
    # fixed points: c takes a fixed point c2 with lam(t[c2]) = t[c]
    inv = {}
    for x, y in lam.items():
        inv[y] = x
    free = list(fixed)
    for c in fixed:
        want = inv.get(int(t[c]), int(t[c]))
        hit = [c2 for c2 in free if int(t[c2]) == want]
        if not hit:
            return None
        pi[c] = hit[0]
        free.remove(hit[0])
    return pi


for q in subsyms:
    pi = extend(q)
    if pi is None:
        continue
    tp = t[pi]
    lam = {}
    ok = True
    for x, y in zip(tp.tolist(), t.tolist()):
        if lam.setdefault(x, y) != y:
            ok = False
            break
    if ok and len(set(lam.values())) == len(lam):
        table = np.zeros(max(lam) + 1, dtype=t.dtype)
        for x, y in lam.items():
            table[x] = y
        syms.append((pi, table))
print("symmetries preserving the colouring:", len(syms), file=sys.stderr)
rng = np.random.default_rng(0)
res = []
t0 = time.perf_counter()
for r in rows:
    _, ini = r.codes()
    starts = []
    if a.inverse:
        starts.append(prep.inverse_state(ini))
    pick = [0] + list(rng.choice(np.arange(1, len(syms)), size=max(0, a.agents - len(starts) - 1), replace=False))
    for j in pick[: a.agents - len(starts)]:
        pi, lam = syms[j]
        starts.append(lam[ini[pi]])
    lens = []
    for s in starts:
        moves, explored, cut = run_beam(CpuBeamOps(g, 0), s, prep.ball, sc, a.width, 4 * prep.walk_length, 2)
        lens.append(len(shorten(prep, moves)))
    res.append((min(lens), int(dict(r.extra)["optimal_length"]), lens))
L = np.array([x[:2] for x in res])
print(
    json.dumps(
        {
            "agents": a.agents,
            "inverse": a.inverse,
            "n": a.n,
            "width": a.width,
            "mean": L[:, 0].mean(),
            "gap": (L[:, 0] - L[:, 1]).mean(),
            "opt%": (L[:, 0] == L[:, 1]).mean() * 100,
            "sec": round(time.perf_counter() - t0, 1),
            "agent_means": np.mean([x[2] for x in res], axis=0).round(2).tolist(),
        }
    ),
    flush=True,
)
