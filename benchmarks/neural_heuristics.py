"""Neural path-finding heuristics (cayley.nn) against the classical ones, end to end.

1. lrx n = 8, exact BFS distances: the plain MLP and the symmetry-aware variants trained on
   the same random fraction of the 40 320 states; MAE on the other states; bitwise
   invariance of the canonicalised model under its symmetry group on 1000 random states.
2. lrx n = 16 and pancake n = 20: a heuristic trained on random walks, then beam search
   from the same uniformly random states with the neural and the classical heuristic
   (Hamming for lrx, breakpoints for pancake) at the same beam width; every path replayed.

    python benchmarks/neural_heuristics.py --part all --threads 1
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import torch

from cayley import CayleyGraph
from cayley.graphs.heuristics import Breakpoints, Hamming
from cayley.graphs.paths import beam_search
from cayley.nn.training import _bfs_dataset, train_heuristic


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def mae_part(a):
    g = CayleyGraph.from_spec("S_8", "lrx")
    states, dist = _bfs_dataset(g)
    rows = []
    for seed in a.seeds:
        rng = np.random.default_rng(seed)
        idx = rng.permutation(len(states))
        cut = int(a.fraction * len(states))
        tr, te = idx[:cut], idx[cut:]
        for sym in a.variants:
            t0 = time.perf_counter()
            h = train_heuristic(g, states=states[tr], distances=dist[tr], hidden=(256, 256), symmetry=sym,
                                steps=a.mae_steps, batch_size=512, seed=seed)
            secs = time.perf_counter() - t0
            mae = float(np.abs(h(states[te]) - dist[te]).mean())
            rec = {"part": "lrx8_mae", "seed": seed, "symmetry": sym, "train_states": len(tr), "test_states": len(te),
                   "mae": round(mae, 4), "train_seconds": round(secs, 1)}
            if sym == "canonical":
                s = np.random.default_rng(100 + seed).permuted(np.tile(np.arange(8), (1000, 1)), axis=1)
                base = h(s)
                from cayley.groups import compose, inverse
                from cayley.groups import generator_symmetries

                ok = True
                for pi in generator_symmetries(g.generators):
                    conj = compose(inverse(pi), compose(s, pi))
                    ok &= np.array_equal(h(conj), base) and np.array_equal(h(inverse(conj)), base)
                rec["bitwise_invariant_1000"] = bool(ok)
            log(json.dumps(rec))
            rows.append(rec)
    print("\n### lrx n = 8, exact distances: test MAE at equal data\n")
    print(f"train states {rows[0]['train_states']} ({a.fraction:.0%}), test states {rows[0]['test_states']}, "
          f"MLP 256-256, {a.mae_steps} Adam steps, batch 512\n")
    print("| symmetry | " + " | ".join(f"seed {s}" for s in a.seeds) + " | mean MAE | train s (mean) |")
    print("|---|" + "---|" * len(a.seeds) + "---|---|")
    for sym in a.variants:
        r = [x for x in rows if x["symmetry"] == sym]
        print(f"| {sym} | " + " | ".join(f"{x['mae']:.3f}" for x in r)
              + f" | {np.mean([x['mae'] for x in r]):.3f} | {np.mean([x['train_seconds'] for x in r]):.0f} |")
    inv = [x["bitwise_invariant_1000"] for x in rows if "bitwise_invariant_1000" in x]
    print(f"\ncanonical model bitwise invariant on 1000 random states (all conjugators x inversion): {all(inv)}")


def beam_part(a, group, gens, classical, steps, hidden):
    g = CayleyGraph.from_spec(group, gens)
    n = g.degree
    rng = np.random.default_rng(2026)
    starts = np.stack([rng.permutation(n) for _ in range(a.states)])
    cname = type(classical).__name__.lower()
    if a.part == "classical":  # the classical heuristic alone, at each of --widths
        runs, h, train_s = [(f"{cname} (width {w})", classical, w) for w in a.widths], None, 0.0
    else:
        t0 = time.perf_counter()
        h = train_heuristic(g, data="walks", hidden=hidden, symmetry=a.symmetry, steps=steps, batch_size=a.batch,
                            walk_length=a.walk_length.get(gens), seed=0)
        train_s = time.perf_counter() - t0
        log(f"{group} {gens}: trained {h} in {train_s:.0f} s, final mse {h.header['training']['final_mse']:.3g}")
        runs = [("neural", h, a.width), (cname, classical, a.width)]
    res = {}
    for name, heur, width in runs:
        lengths, fails, t1 = [], 0, time.perf_counter()
        for i, s in enumerate(starts):
            try:
                p = beam_search(g, s, heur, beam_width=width, max_steps=a.max_steps, seed=i)
            except Exception as exc:  # NoPathError: counted, reported
                fails += 1
                log(f"  {name} state {i}: {exc}")
                continue
            if not p.is_valid():
                raise SystemExit(f"invalid path for state {i}")
            lengths.append(p.length)
        res[name] = {"solved": len(lengths), "failed": fails, "mean_length": float(np.mean(lengths)) if lengths else None,
                     "max_length": max(lengths) if lengths else None, "seconds": round(time.perf_counter() - t1, 1)}
        log(f"  {name}: {json.dumps(res[name])}")
    if h is None:
        return {"graph": g.name, "steps": 0, "train_seconds": 0, "walk_length": None, "results": res}
    return {"graph": g.name, "train_seconds": round(train_s, 1), "heuristic": repr(h),
            "final_mse": h.header["training"]["final_mse"], "walk_length": h.header["training"]["walk_length"],
            "steps": steps, "results": res}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=["mae", "beam", "classical", "all"], default="all")
    ap.add_argument("--widths", type=int, nargs="+", default=[4096, 16384], help="beam widths of --part classical")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--fraction", type=float, default=0.2)
    ap.add_argument("--mae-steps", type=int, default=1500)
    ap.add_argument("--states", type=int, default=100)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--max-steps", type=int, default=300)
    ap.add_argument("--variants", nargs="+", default=["none", "canonical", "augment"],
                    choices=["none", "canonical", "augment", "average"])
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--symmetry", default="canonical")
    ap.add_argument("--hidden", default="256,256", help="hidden widths of the walk-trained models")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--only", choices=["lrx", "pancake"], default=None)
    a = ap.parse_args(argv)
    a.walk_length = {"lrx": None, "pancake": 30}
    hidden = tuple(int(w) for w in a.hidden.split(","))
    if a.threads:
        torch.set_num_threads(a.threads)
    if a.part in ("mae", "all"):
        mae_part(a)
    if a.part in ("beam", "classical", "all"):
        out = []
        if a.only in (None, "lrx"):
            out.append(beam_part(a, "S_16", "lrx", Hamming(np.arange(16)), a.steps, hidden))
        if a.only in (None, "pancake"):
            out.append(beam_part(a, "S_20", "pancake", Breakpoints(np.arange(20)), a.steps, hidden))
        print(f"\n### beam search from {a.states} uniformly random states, max {a.max_steps} steps\n")
        print("| graph | heuristic | beam width | solved | mean length | max length | search s | training |")
        print("|---|---|---|---|---|---|---|---|")
        for o in out:
            for name, r in o["results"].items():
                train = (f"{o['steps']} steps, {o['train_seconds']:.0f} s, walks of {o['walk_length']}"
                         if name == "neural" else "-")
                ml = f"{r['mean_length']:.2f}" if r["mean_length"] is not None else "-"
                w = a.width if "width" not in name else int(name.split("width ")[1].rstrip(")"))
                print(f"| {o['graph']} | {name.split(' (')[0]} | {w} | {r['solved']}/{a.states} | {ml} | {r['max_length']} "
                      f"| {r['seconds']} | {train} |")
        log(json.dumps(out))


if __name__ == "__main__":
    main()
