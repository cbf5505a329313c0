"""Experiment: Bellman fine-tune of the cached cube3 net; proxy = fixed-width beam on N cubes."""

import time
import json
import argparse
import numpy as np
import glob
import torch
from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.puzzles.solve import shorten
from cayley.graphs.paths.beam import run_beam, CpuBeamOps
from cayley.graphs.paths import random_walks
from cayley.nn.scoring import OneHotMLP
from cayley.nn.heuristics import load_heuristic

ap = argparse.ArgumentParser()
ap.add_argument("--steps", type=int, default=0)
ap.add_argument("--mode", default="bellman")
ap.add_argument("--lr", type=float, default=2e-4)
ap.add_argument("--refresh", type=int, default=250)
ap.add_argument("--n", type=int, default=30)
ap.add_argument("--width", type=int, default=16384)
ap.add_argument("--save", default=None)
ap.add_argument("--load", default=None)
a = ap.parse_args()
torch.set_num_threads(2)
S = "/work/shared/puzzles"
info = read_puzzle_info(f"{S}/puzzle_info.csv")
rows = read_puzzles(f"{S}/deepcubea_cube3.csv", info)[: a.n]
ptype = info["cube3_qtm"]
prep = prepare(ptype, rows[0].solution_state, bound_states=0)
g = prep.graph
cf = prep.cache_file if hasattr(prep, "cache_file") else None

h = load_heuristic(a.load or glob.glob("/work/runs/pcache/puzzles/*.pt")[0], graph=g)
print("loaded", h.scale, flush=True)
perms = g.generators.perms
ball = prep.ball


def targets(states, walk_steps, scorer):
    m = len(states)
    nb = states[:, perms].reshape(-1, states.shape[1]) if False else np.concatenate([states[:, p] for p in perms])
    v = scorer(nb).reshape(len(perms), m)
    pos = ball.lookup(ball.encode(nb)).reshape(len(perms), m)
    v = np.where(pos >= 0, ball.depth[np.maximum(pos, 0)], np.maximum(v, 0.0))
    t = np.minimum(walk_steps.astype(np.float64), 1.0 + v.min(axis=0))
    own = ball.lookup(ball.encode(states))
    t = np.where(own >= 0, ball.depth[np.maximum(own, 0)], t)
    return t


if a.steps:
    rng = np.random.default_rng(1)
    model = h.model
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.steps, pct_start=0.05)
    B = 4096
    L = prep.walk_length
    t0 = time.perf_counter()
    ema = None
    tt = 0
    buf = None
    for step in range(a.steps):
        if step % a.refresh == 0:
            model.eval()
            scorer = OneHotMLP(h, precision="bfloat16", pairs=True)
            model.train()
        if step % 8 == 0:
            w = random_walks(g, count=8 * B // (L + 1) + 1, length=L, mode="non_backtracking", seed=rng)
            perm = rng.permutation(len(w.states))
            ws, wk = w.states[perm], w.steps[perm]
        sl = slice((step % 8) * B, (step % 8 + 1) * B)
        st, sk = ws[sl], wk[sl]
        t1 = time.perf_counter()
        y = targets(st, sk, scorer) if a.mode == "bellman" else sk.astype(np.float64)
        tt += time.perf_counter() - t1
        x = torch.from_numpy(h.encode(st, out=buf))
        buf = x.numpy() if buf is None else buf
        yt = torch.from_numpy((y / h.scale).astype(np.float32))
        with torch.autocast("cpu", dtype=torch.bfloat16):
            pred = model(x).reshape(-1).float()
        loss = torch.mean((pred - yt) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        lv = float(loss) * h.scale**2
        ema = lv if ema is None else 0.98 * ema + 0.02 * lv
        if step % 200 == 0:
            print(f"step {step} mse {ema:.3f} {time.perf_counter() - t0:.1f}s targets {tt:.1f}s", flush=True)
    model.eval()
    print("finetune", time.perf_counter() - t0, flush=True)
    if a.save:
        h.save(a.save)

sc = OneHotMLP(h, precision="bfloat16", pairs=True)
res = []
t0 = time.perf_counter()
for r in rows:
    _, ini = r.codes()
    moves, explored, cut = run_beam(CpuBeamOps(g, 0), ini, ball, sc, a.width, 4 * prep.walk_length, 2)
    moves = shorten(prep, moves)
    res.append((len(moves), int(dict(r.extra)["optimal_length"])))
L = np.array(res)
print(
    json.dumps(
        {
            "mode": a.mode,
            "steps": a.steps,
            "lr": a.lr,
            "n": a.n,
            "width": a.width,
            "mean": L[:, 0].mean(),
            "gap": (L[:, 0] - L[:, 1]).mean(),
            "opt%": (L[:, 0] == L[:, 1]).mean() * 100,
            "sec": time.perf_counter() - t0,
        }
    ),
    flush=True,
)
