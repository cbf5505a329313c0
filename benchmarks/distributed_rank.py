#!/usr/bin/env python3
"""The distributed rank engine (``--backend distributed``) under torchrun: S_n lrx growth
with W processes, checked against the shared reference rows (package copy), timed, with
each process's peak memory. Run it through torchrun, on one machine or several:

    torchrun --nproc-per-node 2 benchmarks/distributed_rank.py --cases 10,11          # gloo, CPUs
    torchrun --nproc-per-node 8 benchmarks/distributed_rank.py --cases 13,14,15 --out r.json   # NCCL, 8 GPUs

Process 0 prints one line per case and writes JSON (machine, versions, command, per-case
seconds, states/s, each process's peak RSS and peak GPU memory) to ``--out``. Exit status
1 when a growth differs from the reference.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", default="10,11", help="degrees n of S_n lrx")
    ap.add_argument("--work-mib", type=int, default=None, help="batch budget per process (default the backend's)")
    ap.add_argument("--out", default=None)
    opts = ap.parse_args()

    import torch
    import torch.distributed as dist

    import cayley
    from cayley import CayleyGraph
    from cayley.backends.distributed_rank import init_from_env
    from cayley.graphs.rank_engine import rank_bfs
    from cayley.reference import load_reference

    init_from_env()
    rank, world = dist.get_rank(), dist.get_world_size()
    gpu = dist.get_backend() == "nccl"
    ref = load_reference("lrx")
    rows, ok = [], True
    for n in [int(x) for x in opts.cases.split(",") if x]:
        graph = CayleyGraph.from_spec(f"S_{n}", "lrx")
        if gpu:
            torch.cuda.reset_peak_memory_stats()
        dist.barrier()
        t = time.perf_counter()
        r = rank_bfs(graph, backend="distributed", store_layers_up_to=0, last_layer_limit=1000,
                     work_bytes=opts.work_mib * 2**20 if opts.work_mib else None)
        if gpu:
            torch.cuda.synchronize()
        dist.barrier()
        wall = time.perf_counter() - t
        mine = {"rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "gpu_bytes": torch.cuda.max_memory_allocated() if gpu else None}
        per_process: list = [None] * world
        dist.all_gather_object(per_process, mine)
        same = str(n) in ref and list(r.growth) == list(ref[str(n)])
        ok &= same and r.size == math.factorial(n)
        rows.append({"graph": graph.name, "processes": world, "backend": r.backend, "seconds": wall,
                     "states_per_s": math.factorial(n) / wall, "diameter": r.diameter, "growth": list(r.growth),
                     "equals_reference": same, "per_process": per_process})
        if rank == 0:
            peak_gpu = max((p["gpu_bytes"] or 0) for p in per_process) / 2**30
            peak_rss = max(p["rss_bytes"] for p in per_process) / 2**30
            print(f"S_{n} lrx on {r.backend}: {wall:.2f} s, {math.factorial(n) / wall:.3g} states/s, diameter "
                  f"{r.diameter}, peak per process: RSS {peak_rss:.2f} GiB" + (f", GPU {peak_gpu:.2f} GiB" if gpu else "")
                  + f"; {'equals the reference' if same else 'DIFFERS from the reference'}", flush=True)
    if rank == 0 and opts.out:
        info = {"command": " ".join([sys.executable, *sys.argv]), "machine": platform.node(), "processes": world,
                "process_group": dist.get_backend(), "torch": torch.__version__, "cayley": cayley.__version__,
                "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
        with open(opts.out, "w") as f:
            json.dump({"info": info, "ok": bool(ok), "runs": rows}, f, indent=1)
    dist.destroy_process_group()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
