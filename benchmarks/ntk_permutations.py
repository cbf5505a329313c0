"""Exact-match rate of NTK permutation ensembles versus ensemble size M.

For each k and seed: one ensemble of the largest M is trained on the k basis vectors of a
random permutation (seeded), and the ensembles of its first M' networks are evaluated on
all 2^k - 1 nonzero binary inputs (k <= 20) or on all inputs with 1-2 ones plus a random
sample (k > 20), rounding at tau. Prints a markdown table (one row per k, M) with the mean
and the worst rate over the seeds, and the same run as JSON lines on stderr.

    python benchmarks/ntk_permutations.py --k 8 16 --seeds 0 1 2 --models 256 --width 512
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch

from cayley.nn.ntk import PermutationEnsemble, binary_inputs, random_permutation


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, nargs="+", default=[8, 16])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--models", type=int, default=256)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--tau", type=float, default=0.01)
    ap.add_argument("--sample", type=int, default=10_000, help="random inputs with >= 3 ones, for k > 20")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--from-json", default=None, help="only print the table of JSON lines saved from earlier runs")
    a = ap.parse_args(argv)
    if a.from_json:
        with open(a.from_json) as f:
            recs = [json.loads(line) for line in f if line.startswith("{")]
        for r in recs:
            r["curve"] = {int(s): v for s, v in r["curve"].items()}
        table(recs)
        return
    if a.threads:
        torch.set_num_threads(a.threads)
    sizes = [s for s in (8, 16, 32, 64, 128, 256, 512, 1024) if s <= a.models]
    recs = []
    for k in a.k:
        for seed in a.seeds:
            t0 = time.perf_counter()
            ens = PermutationEnsemble(k, a.width, a.models, steps=a.steps, tau=a.tau, device=a.device, seed=seed)
            ens.fit(random_permutation(k, seed=seed))
            if a.device.startswith("cuda"):
                torch.cuda.synchronize()
            t1 = time.perf_counter()
            x = binary_inputs(k, sample=a.sample if k > 20 else None, seed=seed)
            curve = ens.exact_match_curve(x, sizes)
            t2 = time.perf_counter()
            rec = dict(k=k, seed=seed, width=a.width, steps=a.steps, tau=a.tau, inputs=len(x), train_mse=ens.train_mse,
                       train_s=round(t1 - t0, 2), eval_s=round(t2 - t1, 2), device=a.device, curve=curve)
            print(json.dumps(rec), file=sys.stderr, flush=True)
            recs.append(rec)
    table(recs)


def table(recs):
    """Markdown: one row per (k, M): mean and worst rate over the seeds."""
    print("| k | M | inputs | mean exact-match rate | worst seed | seeds 100% exact |")
    print("|---|---|---|---|---|---|")
    for k in sorted({r["k"] for r in recs}):
        per_seed = [r for r in recs if r["k"] == k]
        for s in sorted(per_seed[0]["curve"]):
            v = [p["curve"][s] for p in per_seed]
            print(f"| {k} | {s} | {per_seed[0]['inputs']} | {sum(v) / len(v):.6f} | {min(v):.6f} | "
                  f"{sum(x == 1.0 for x in v)}/{len(v)} |")


if __name__ == "__main__":
    main()
