"""Fine-tune a cached distance net with Bellman targets t = clip(1 + min_child h(child), 0, k)."""

import sys
import time
import numpy as np
import torch
from cayley.nn.heuristics import NeuralHeuristic
from cayley.nn.scoring import OneHotMLP
from cayley.graphs.paths import random_walks

src, out, steps, lr = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
refresh = int(sys.argv[5]) if len(sys.argv) > 5 else 200
mode = sys.argv[6] if len(sys.argv) > 6 else "non_backtracking"
h = NeuralHeuristic.load(src)
g = h.graph
perms = np.ascontiguousarray(g.generators.perms)
k = len(perms)
L = int(h.header["training"]["walk_length"])
scale = h.scale
B = 4096
count = B // (L + 1) + 1
sol = np.asarray(g.start)
rng = np.random.default_rng(123)
opt = torch.optim.Adam(h.model.parameters(), lr=lr)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.05)
t0 = time.perf_counter()
ema = None
tt = 0.0
for step in range(steps):
    if step % refresh == 0:
        h.model.eval()
        tgt = OneHotMLP(h)
        h.model.train()
    w = random_walks(g, count=count, length=L, mode=mode, seed=rng)
    s = w.states[:B].astype(np.uint8)
    kk = w.steps[:B].astype(np.float64)
    ta = time.perf_counter()
    ch = s[:, perms].reshape(-1, s.shape[1])
    v = np.asarray(tgt(ch), dtype=np.float64).reshape(len(s), k)
    v[(ch == sol).all(axis=1).reshape(len(s), k)] = 0.0
    t = np.clip(1.0 + v.min(axis=1), 0.0, kk)
    t[kk == 0] = 0.0
    tt += time.perf_counter() - ta
    x = torch.from_numpy(h.encode(s))
    y = torch.from_numpy((t / scale).astype(np.float32))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        pred = h.model(x).reshape(-1).float()
    loss = torch.mean((pred - y) ** 2)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    lv = float(loss) * scale * scale
    ema = lv if ema is None else 0.98 * ema + 0.02 * lv
    if step % 100 == 0:
        print(
            step,
            round(ema, 3),
            "targets mean %.2f" % t.mean(),
            "sec %.1f (targets %.1f)" % (time.perf_counter() - t0, tt),
            flush=True,
        )
h.model.eval()
h.header.setdefault("training", {})["bellman_steps"] = steps
h.save(out)
print("done", time.perf_counter() - t0, flush=True)
