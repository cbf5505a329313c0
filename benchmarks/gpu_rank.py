#!/usr/bin/env python3
"""The rank engine on a GPU (torch backend): an exactness check against the numba CPU
engine, then timed growth of S_n lrx, largest last. One short script, meant to be run
as-is on a machine with one CUDA GPU (e.g. an H100), from the repository root:

    python benchmarks/gpu_rank.py --out "${OUT:-.}/gpu_rank.json"           # S_12, S_13
    python benchmarks/gpu_rank.py --work-mib 2048 --out r.json              # S_13 near 4 GiB
    python benchmarks/gpu_rank.py --cases 12,13,14 --budget 840 --out r.json  # and S_14

and on any machine, for the same comparison on torch's CPU device:

    python benchmarks/gpu_rank.py --device cpu --cases 10 --check-max 9

Steps:

1. exactness: for small graphs (S_n lrx and pancake up to ``--check-max``, a Schreier
   graph on strings, directed lx), the torch backend's growth and last layer must equal
   the numba engine's, and the torch code array must equal numba's bit for bit after
   every layer on S_9 lrx. Any mismatch: exit status 1.
2. timings: ``rank_bfs(S_n lrx, backend="torch", device=..., work_bytes=--work-mib)`` per
   case in ``--cases``, after a warm-up on S_10; wall time of the search (CUDA
   synchronised; the process start and imports are not in it), states/s, peak GPU memory
   (``torch.cuda.max_memory_allocated``) and bytes per state. The growth must sum to n!
   and the diameter must be n(n-1)/2 (lrx). A case is skipped when the previous case's
   rate predicts it would overrun what is left of ``--budget`` seconds.
3. the numba CPU engine on the largest case that fits ``--cpu-max`` (default 12) for the
   same machine's CPU-vs-GPU comparison, and its growth must equal the GPU's.

Prints one line per step and writes everything (with the machine, versions and the exact
command) as JSON to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def log(*a):
    print(*a, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", default="cuda", help="torch device (default cuda)")
    ap.add_argument("--cases", default="12,13", help="degrees n of the timed S_n lrx runs")
    ap.add_argument("--check-max", type=int, default=10, help="largest n of the exactness checks")
    ap.add_argument("--cpu-max", type=int, default=12, help="largest n also timed on the numba CPU engine")
    ap.add_argument("--budget", type=float, default=420.0, help="seconds for the timed runs in all")
    ap.add_argument("--out", default=None, help="JSON file for the results")
    ap.add_argument("--threads", type=int, default=None, help="torch and numba CPU threads (default: theirs)")
    ap.add_argument("--torch-cases", default="12",
                    help="degrees also timed on the tensor-operation torch path (the fused kernels off)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per case while they take under 5 s (median)")
    ap.add_argument("--emulate", action="store_true",
                    help="CPU device: time the fused kernels' host-compiled emulation (a dry run of this script)")
    ap.add_argument("--work-mib", type=int, default=None,
                    help="the torch backend's batch budget for the timed runs (default: its own; "
                         "2048 keeps S_13 near 4 GiB of GPU memory)")
    opts = ap.parse_args()

    import numba
    import numpy as np
    import torch

    if opts.threads:
        torch.set_num_threads(opts.threads)
        numba.set_num_threads(opts.threads)

    import cayley
    from cayley import CayleyGraph
    from cayley.backends.numba_rank import NumbaRankKernels
    from cayley.backends.cuda_rank import CudaRankKernels, fused_available
    from cayley.backends.torch_rank import TorchRankKernels
    from cayley.graphs import rank_engine
    from cayley.graphs.rank_engine import rank_bfs

    dev = torch.device(opts.device)
    backend = "fused" if opts.emulate else "cuda" if dev.type == "cuda" else "torch"
    if dev.type == "cuda" and not torch.cuda.is_available():
        log("no CUDA device visible to torch; use --device cpu")
        return 2
    info = {
        "command": " ".join([sys.executable, *sys.argv]),
        "machine": platform.node(),
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "threads": {"torch": torch.get_num_threads(), "numba": numba.get_num_threads()},
        "device": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "torch CPU",
        "torch": torch.__version__,
        "cayley": cayley.__version__,
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    log(json.dumps(info))
    fused = fused_available(dev) or opts.emulate
    info["fused_kernels"] = "emulated" if opts.emulate else bool(fused)
    result = {"info": info, "checks": [], "runs": []}
    ok = True

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize(dev)

    def run(graph, be, **kw):
        """``be``: "cpu" (numba), or the GPU path: "fused" (emulated on a CPU device) / "cuda" / "torch"."""
        if dev.type == "cuda":
            torch.cuda.reset_peak_memory_stats(dev)
        sync()
        t = time.perf_counter()
        if be == "cpu":
            r = rank_bfs(graph, backend="cpu", **kw)
        else:
            r = rank_bfs(graph, backend="fused" if be == "fused" else "torch", device=dev, **kw)
        sync()
        return r, time.perf_counter() - t

    # 1. exactness ---------------------------------------------------------------------
    t_check = time.perf_counter()
    cases = [(f"S_{n}", fam, None) for n in range(4, opts.check_max + 1) for fam in ("lrx", "pancake")]
    cases += [("S_8", "lx", None), ("S_10", "lrx", "0001112223"), ("S_12", "coxeter", "000011112222")]
    paths = [("fused", "1"), ("tensor-ops", "0")] if fused else [("tensor-ops", "0")]
    for group, fam, start in cases:
        graph = CayleyGraph.from_spec(group, fam, start=start)
        c, tc = run(graph, "cpu")
        for label, flag in paths:
            os.environ["CAYLEY_FUSED_KERNELS"] = flag
            g, tg = run(graph, backend)
            same = g.growth == c.growth and g.completed and (
                (g.last_layer is None and c.last_layer is None) or np.array_equal(g.last_layer, c.last_layer)
            )
            ok &= same
            result["checks"].append({"graph": graph.name, "path": label, "backend": g.backend, "same": same,
                                     "gpu_s": tg, "numba_s": tc})
            log(f"check {graph.name:40s} {label:10s} {'same' if same else 'MISMATCH'}  {g.backend} {tg:.3f} s  "
                f"numba {tc:.3f} s")
    os.environ["CAYLEY_FUSED_KERNELS"] = "1"
    graph = CayleyGraph.from_spec("S_9", "lrx")
    ranking, lay = rank_engine.layout(graph)
    kinds = [("tensor-ops", TorchRankKernels)] + ([("fused", CudaRankKernels)] if fused else [])
    for label, cls in kinds:
        a = NumbaRankKernels(ranking, lay, graph.generators.perms)
        b = cls(ranking, lay, graph.generators.perms, device=dev)
        a.reset(0)
        b.reset(0)
        code, layers, same = 1, 0, True
        while True:
            na, nb = a.push(code)[0], b.push(code)[0]
            (ca, fa), (cb, fb) = a.host_arrays(), b.host_arrays()
            same &= na == nb and np.array_equal(ca, cb) and np.array_equal(fa, fb)
            layers += 1
            if na == 0 or not same:
                break
            code = 3 - code
        ok &= same
        result["checks"].append({"graph": "S_9 lrx codes after every layer", "path": label, "same": bool(same),
                                 "layers": layers})
        log(f"check S_9 lrx code arrays ({label}), {layers} layers: {'bit for bit equal' if same else 'MISMATCH'}")
    log(f"checks took {time.perf_counter() - t_check:.1f} s")

    # 2. timed GPU runs ----------------------------------------------------------------
    cases = [int(x) for x in opts.cases.split(",") if x]
    torch_cases = [int(x) for x in opts.torch_cases.split(",") if x]
    run(CayleyGraph.from_spec("S_10", "lrx"), backend)  # warm-up (allocator, kernels)
    if fused:  # compile each case's kernels once (NVRTC; CuPy caches them on disk, as a rerun would)
        for n in cases:
            graph = CayleyGraph.from_spec(f"S_{n}", "lrx")
            ranking, lay = rank_engine.layout(graph)
            t = time.perf_counter()
            CudaRankKernels(ranking, lay, graph.generators.perms, device=dev)
            log(f"S_{n} lrx: kernels compiled in {time.perf_counter() - t:.2f} s")
            result["runs"].append({"graph": graph.name, "compile_s": time.perf_counter() - t})
    left = opts.budget
    rate = None
    gpu_growth = {}
    jobs = [(n, "fused" if fused else "tensor-ops") for n in cases]
    jobs += [(n, "tensor-ops") for n in torch_cases if fused and dev.type == "cuda"]
    for n, label in jobs:
        states = math.factorial(n)
        if rate is not None and states / rate > left:
            log(f"S_{n} lrx ({label}) skipped: predicted {states / rate:.0f} s at {rate:.3g} states/s, {left:.0f} s left")
            result["runs"].append({"graph": f"S_{n} lrx", "path": label, "skipped": True, "predicted_s": states / rate})
            continue
        os.environ["CAYLEY_FUSED_KERNELS"] = "1" if label == "fused" else "0"
        graph = CayleyGraph.from_spec(f"S_{n}", "lrx")
        work = opts.work_mib * 2**20 if opts.work_mib else None
        walls, peaks = [], []
        for rep in range(opts.repeat):
            r, wall = run(graph, backend, work_bytes=work, last_layer_limit=1000, store_layers_up_to=0)
            walls.append(wall)
            peaks.append(torch.cuda.max_memory_allocated(dev) if dev.type == "cuda" else None)
            left -= wall
            if wall > 5 or wall * 2 > left:
                break
        wall = sorted(walls)[len(walls) // 2]
        if label == "fused" or not fused:
            rate = states / max(walls)
        peak = peaks[-1]
        good = r.completed and r.size == states and r.diameter == n * (n - 1) // 2
        ok &= good
        if label == ("fused" if fused else "tensor-ops"):
            gpu_growth[n] = r.growth
        row = {
            "graph": graph.name, "path": label, "backend": r.backend, "work_mib": opts.work_mib,
            "seconds": wall, "seconds_all": walls, "bfs_seconds": r.seconds,
            "states_per_s": states / wall, "peak_device_bytes": peak,
            "device_bytes_per_state": (peak / states) if peak else None,
            "host_peak_rss_bytes": r.peak_memory_bytes, "diameter": r.diameter, "size": r.size,
            "growth": list(r.growth), "checks_ok": good,
        }
        result["runs"].append(row)
        mem = f"peak GPU {peak / 2**30:.2f} GiB ({peak / states:.3f} B/state)" if peak else ""
        log(f"S_{n} lrx on {r.backend} ({label}): median {wall:.3f} s of {[round(w, 3) for w in walls]}, "
            f"{states / wall:.3g} states/s, diameter {r.diameter}, {mem} {'ok' if good else 'WRONG'}")
        if opts.out:  # keep what is done if a later case runs out of time
            with open(opts.out, "w") as f:
                json.dump(result, f, indent=1)
    os.environ["CAYLEY_FUSED_KERNELS"] = "1"

    # 3. the numba CPU engine on the same machine ----------------------------------------
    cpu_cases = [n for n in gpu_growth if n <= opts.cpu_max]
    if cpu_cases:
        n = max(cpu_cases)
        r, wall = run(CayleyGraph.from_spec(f"S_{n}", "lrx"), "cpu", last_layer_limit=1000, store_layers_up_to=0)
        same = r.growth == gpu_growth[n]
        ok &= same
        result["runs"].append({"graph": f"S_{n} lrx", "backend": "cpu", "seconds": wall,
                               "states_per_s": math.factorial(n) / wall, "same_growth_as_gpu": same})
        log(f"S_{n} lrx on numba CPU ({numba.get_num_threads()} threads): {wall:.2f} s; growth "
            f"{'equals' if same else 'DIFFERS FROM'} the GPU's")

    result["ok"] = bool(ok)
    if opts.out:
        with open(opts.out, "w") as f:
            json.dump(result, f, indent=1)
    log("ALL OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
