"""Embedding-bag (first layer) and hidden-layer timings on random indices, by table dtype."""
import time
import numpy as np
import torch
import torch.nn.functional as F
torch.set_num_threads(2)
def best(f, r=7):
    f()
    b = 1e9
    for _ in range(r):
        t = time.perf_counter()
        f()
        b = min(b, time.perf_counter() - t)
    return b
rng = np.random.default_rng(0)
N = 8192
for name, rows, bags in (("single", 54 * 6, 54), ("pair", 27 * 36, 27)):
    # one row of each bag's block of rows (a position's symbols), at random
    idx = torch.from_numpy((np.arange(bags)[None] * (rows // bags) + rng.integers(rows // bags, size=(N, bags))).astype(np.int64))
    for width in (512, 256):
        for dt in (torch.float32, torch.bfloat16, torch.float16):
            tab = torch.randn(rows, width).to(dt)
            with torch.inference_mode():
                t = best(lambda: F.embedding_bag(idx, tab, mode="sum"))
            print(f"{name} width {width} {dt}: {t / N * 1e6:.3f} us/state  table {tab.numel() * tab.element_size() / 1e6:.2f} MB")
w = torch.randn(256, 512)
x = torch.relu(torch.randn(N, 512))
with torch.inference_mode():
    print("linear 512->256 f32", best(lambda: F.linear(x, w)) / N * 1e6)
    xh = x.half()
    wh = w.half()
    print("linear f16", best(lambda: F.linear(xh, wh)) / N * 1e6)
