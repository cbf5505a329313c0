#!/usr/bin/env python3
"""Complete puzzle rows of the shared reference table on a GPU (hash engine, torch backend):
the 2x2x2 cube in QTM/HTM/QSTM/ATM (88 million states each), dino (240 million) and
pyraminx (302 million), each compared in full with the reference growth. One line per row,
JSON to --out. Rows run in the order given while --budget seconds last.

    python benchmarks/gpu_puzzles.py --out r.json [--device cuda] [--rows cube_222_qtm,dino]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

ROWS = {
    "cube_222_qtm": ("cube_qtm", 24), "cube_222_htm": ("cube_htm", 24), "cube_222_qstm": ("cube_qstm", 24),
    "cube_222_atm": ("cube_atm", 24), "dino": ("dino", 24), "pyraminx": ("pyraminx", 36),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--rows", default=",".join(ROWS))
    ap.add_argument("--budget", type=float, default=240.0)
    ap.add_argument("--out", default=None)
    opts = ap.parse_args()
    import torch

    from cayley import CayleyGraph, bfs
    from cayley.groups.library import generators
    from cayley.reference import load_reference

    ref = load_reference("puzzles")
    rows, ok, t_all = [], True, time.perf_counter()
    for key in opts.rows.split(","):
        left = opts.budget - (time.perf_counter() - t_all)
        if rows and rows[-1].get("seconds") and rows[-1]["seconds"] * 3.5 > left:
            print(f"{key}: skipped, {left:.0f} s left", flush=True)
            rows.append({"row": key, "skipped": True})
            continue
        name, n = ROWS[key]
        graph = CayleyGraph(generators(name, n))
        if opts.device.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()
        t = time.perf_counter()
        r = bfs(graph, engine="hash", backend="cuda" if opts.device.startswith("cuda") else "torch",
                device=opts.device, last_layer_limit=10, store_layers_up_to=0)
        wall = time.perf_counter() - t
        same = r.completed and list(r.growth) == list(ref[key])
        ok &= same
        peak = torch.cuda.max_memory_allocated() if opts.device.startswith("cuda") else None
        rows.append({"row": key, "graph": graph.name, "states": r.size, "seconds": wall, "backend": r.backend,
                     "peak_device_bytes": peak, "growth": list(r.growth), "equals_reference": same})
        print(f"{key}: {r.size} states in {wall:.1f} s on {r.backend}, peak GPU "
              f"{(peak or 0) / 2**30:.2f} GiB, {'equals the reference row' if same else 'DIFFERS'}", flush=True)
        if opts.out:
            with open(opts.out, "w") as f:
                json.dump({"ok": bool(ok), "rows": rows}, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
