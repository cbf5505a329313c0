#!/usr/bin/env python3
"""Beam-search throughput (steps per second): cayley side by side with CayleyPy 0.2.0.

Same graph, start state (a seeded random permutation), heuristic (Hamming distance to the
identity) and number of steps for every tool; the start is far from the identity, so no
run can succeed and each does exactly --steps steps. Each run is a subprocess; its search
time (imports and the numba warm-up excluded) gives steps/s. A run past --timeout is
killed and reported as a lower bound on its time.

    python3 benchmarks/bench_beam.py --graph lrx --n 24 --widths 16,18,20,22 --steps 24 \
        --tools cayley,cayleypy-simple,cayleypy-advanced --out benchmarks/results/beam.json

Peers: benchmarks/setup_peers.sh (or PEER_VENV=/path/to/venv with cayleypy==0.2.0).
"""

import argparse
import datetime
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_growth import HERE, PEERS, machine_info, run_once, sh  # noqa: E402

TOOLS = ("cayley", "cayley-torch", "cayleypy-simple", "cayleypy-advanced")


def argv_for(tool, opts, width):
    case = [opts.graph, str(opts.n), "--width", str(width), "--steps", str(opts.steps), "--seed", str(opts.seed)]
    if tool.startswith("cayley-") or tool == "cayley":
        backend = "torch" if tool == "cayley-torch" else "cpu"
        dev = ["--device", opts.device] if opts.device else []
        return [sys.executable, os.path.join(HERE, "cayley_beam.py"), *case, "--backend", backend, *dev]
    mode = tool.split("-", 1)[1]
    return [opts.peer_python, os.path.join(PEERS, "cayleypy_beam.py"), *case, "--mode", mode,
            "--device", opts.device or "cpu"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", default="lrx")
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--widths", default="16,18,20,22", help="log2 of the beam widths")
    ap.add_argument("--steps", type=int, default=24)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tools", default="cayley,cayleypy-simple,cayleypy-advanced")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--device", default=None, help="torch device for cayley-torch and CayleyPy (default cpu)")
    ap.add_argument("--peer-python", default=None)
    ap.add_argument("--out", default=None)
    opts = ap.parse_args()
    venv = os.environ.get("PEER_VENV", os.path.join(HERE, ".peervenv"))
    opts.peer_python = opts.peer_python or os.path.join(venv, "bin", "python")
    tools = opts.tools.split(",")
    bad = [t for t in tools if t not in TOOLS]
    if bad:
        sys.exit(f"unknown tools {bad}; choose from {TOOLS}")
    rows = []
    for w in (int(x) for x in opts.widths.split(",")):
        width = 2**w
        for tool in tools:
            times, lower = [], None
            for _ in range(opts.repeat):
                r = run_once(argv_for(tool, opts, width), opts.timeout)
                if r["timed_out"]:
                    lower = opts.timeout
                    break
                if r["returncode"] != 0:
                    sys.exit(f"{tool} width 2^{w} failed:\n{r['stderr']}")
                d = json.loads([s for s in r["stdout"].splitlines() if s.startswith("{")][-1])
                if d["found"]:
                    sys.exit(f"{tool} width 2^{w} found a path: the case is too easy for a throughput benchmark")
                times.append(d["search_s"])
                rss = r["peak_rss_bytes"]
            row = {"width_log2": w, "tool": tool, "steps": opts.steps, "load": os.getloadavg()}
            if times:
                med = statistics.median(times)
                row.update(search_s=med, steps_per_s=opts.steps / med, peak_rss_mib=rss / 2**20, runs=times)
            else:
                row.update(search_s=None, timed_out_after_s=lower, steps_per_s_below=opts.steps / lower)
            rows.append(row)
            print(json.dumps(row), flush=True)
    print("\n| width | tool | search s | steps/s | peak RSS MiB | cayley's throughput / this |")
    print("|---:|---|---:|---:|---:|---:|")
    for r in rows:
        base = next((x for x in rows if x["width_log2"] == r["width_log2"] and x["tool"] == tools[0]), None)
        if r.get("search_s") is not None:
            ratio = base["steps_per_s"] / r["steps_per_s"] if base and base.get("steps_per_s") else None
            print(f"| 2^{r['width_log2']} | {r['tool']} | {r['search_s']:.2f} | {r['steps_per_s']:.3f} | "
                  f"{r['peak_rss_mib']:.0f} | {'%.1fx' % ratio if ratio else '—'} |")
        else:
            ratio = base["steps_per_s"] / r["steps_per_s_below"] if base and base.get("steps_per_s") else None
            print(f"| 2^{r['width_log2']} | {r['tool']} | > {r['timed_out_after_s']:.0f} | < {r['steps_per_s_below']:.3f} | — | "
                  f"{'> %.1fx' % ratio if ratio else '—'} |")
    if opts.out:
        meta = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "machine": machine_info(), "command": " ".join(sys.argv),
                "cayleypy": sh([opts.peer_python, "-c", "import cayleypy, torch; print(cayleypy.__version__ if hasattr(cayleypy, '__version__') else '0.2.0', torch.__version__)"])}
        with open(opts.out, "w") as f:
            json.dump({"meta": meta, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
