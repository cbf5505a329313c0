"""Where a scorer call goes on this CPU, and what int8 (VNNI) would give for the hidden layer."""
import time
import numpy as np
import torch
import torch.nn.functional as F
from cayley.puzzles import prepare, read_puzzle_info, read_puzzles
from cayley.graphs.paths import random_walks
SH = "/work/shared/puzzles"
info = read_puzzle_info(f"{SH}/puzzle_info.csv")
rows = read_puzzles(f"{SH}/deepcubea_cube3.csv", info)[:1]
prep = prepare(info["cube3_qtm"], rows[0].solution_state, bound_states=0, ball_states=10_000)
sc = prep.heuristic
print(sc.describe(), torch.get_num_threads())
w = random_walks(prep.graph, count=65536 // 26 + 1, length=26, mode="non_backtracking", seed=0)
S = np.ascontiguousarray(w.states[:65536]).astype(np.uint8)
def best(f, r=5):
    f()
    b = 1e9
    for _ in range(r):
        t = time.perf_counter()
        f()
        b = min(b, time.perf_counter() - t)
    return b
N = len(S)
def us(t):
    return f"{t / N * 1e6:.3f} us/state"
print("whole scorer", us(best(lambda: sc(S))))
C = sc.h.canonical(S)
print("canonical", us(best(lambda: sc.h.canonical(S))))
for paired in (False, True):
    sc.paired = paired
    idx = sc._indices(C, paired)
    tab = (sc.ptables if paired else sc.tables)["float32"]
    print("paired", paired, "indices", us(best(lambda: sc._indices(C, paired))))
    with torch.inference_mode():
        print("  embedding_bag f32", us(best(lambda: F.embedding_bag(idx, tab, mode="sum"))))
        x = F.embedding_bag(idx, tab, mode="sum")
        print("  rest f32", us(best(lambda: sc._rest(x.clone(), "float32"))))
        print("  rest bf16", us(best(lambda: sc._rest(x.clone(), "bfloat16"))))
        print("  score chunks f32", us(best(lambda: [sc._score(C[i:i+8192]) for i in range(0, N, 8192)])))
# int8 dynamic quantisation of the hidden layer
w1, b1 = sc.hidden32[0]
lin = torch.nn.Linear(w1.shape[1], w1.shape[0])
lin.weight.data = w1.clone()
lin.bias.data = b1.clone()
q = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(lin), {torch.nn.Linear}, dtype=torch.qint8)
with torch.inference_mode():
    x = torch.relu(torch.randn(8192, w1.shape[1]))
    tf = best(lambda: F.linear(x, w1, b1), 10)
    tq = best(lambda: q(x), 10)
    print(f"hidden linear 8192 rows: f32 {tf*1e3:.2f} ms, int8 dynamic {tq*1e3:.2f} ms")
    err = (q(x) - F.linear(x, w1, b1)).abs().max().item()
    print("int8 max abs err", err)
