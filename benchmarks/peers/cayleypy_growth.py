# Copied from the project-provided reference driver /work/shared/peers/cayleypy_growth.py
# (how to run CayleyPy at its best); unchanged except this header, the usage path and
# --device (default cpu, as the reference; cuda for the GPU side-by-side runs).
"""Growth function (BFS layer sizes) of a Cayley graph of S_n with cayleypy 0.2.0, on CPU.

Usage:
    python benchmarks/peers/cayleypy_growth.py GRAPH N [--mode MODE] [--batch-size B]

GRAPH: lrx | coxeter | pancake | all_transpositions | top_spin
MODE:
    default  - CayleyGraph(defn, device="cpu").bfs()   (bit-encoded states, auto width)
    int64    - same, but bit_encoding_width=None (one int64 per element, states hashed)
    numpy    - cayleypy.bfs_numpy(graph)     (numpy set operations, inverse-closed only)
    bitmask  - cayleypy.bfs_bitmask(graph)   (3 bits per vertex, numba; needs n > 8)
Prints one JSON line with layer sizes and timings.
"""

import argparse
import json
import math
import time

T_START = time.perf_counter()
import torch  # noqa: E402
import cayleypy  # noqa: E402
from cayleypy import CayleyGraph, PermutationGroups, bfs_bitmask, bfs_numpy  # noqa: E402

T_IMPORTED = time.perf_counter()

GRAPHS = {
    "lrx": PermutationGroups.lrx,
    "coxeter": PermutationGroups.coxeter,
    "pancake": PermutationGroups.pancake,
    "all_transpositions": PermutationGroups.all_transpositions,
    "top_spin": PermutationGroups.top_spin,
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("graph", choices=sorted(GRAPHS))
    ap.add_argument("n", type=int)
    ap.add_argument("--mode", default="default", choices=["default", "int64", "numpy", "bitmask"])
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()

    defn = GRAPHS[args.graph](args.n)
    kwargs = {"device": args.device}
    if args.batch_size is not None:
        kwargs["batch_size"] = args.batch_size
    if args.mode == "int64":
        kwargs["bit_encoding_width"] = None
    t0 = time.perf_counter()
    graph = CayleyGraph(defn, **kwargs)
    t1 = time.perf_counter()
    if args.mode in ("default", "int64"):
        sizes = [int(x) for x in graph.bfs().layer_sizes]
    elif args.mode == "numpy":
        sizes = [int(x) for x in bfs_numpy(graph)]
    else:
        sizes = [int(x) for x in bfs_bitmask(graph)]
    if args.device != "cpu":
        torch.cuda.synchronize()
    t2 = time.perf_counter()
    total = sum(sizes)
    print(
        json.dumps(
            {
                "tool": "cayleypy",
                "cayleypy_version": getattr(cayleypy, "__version__", "0.2.0"),
                "torch_version": torch.__version__,
                "torch_threads": torch.get_num_threads(),
                "graph": args.graph,
                "n": args.n,
                "mode": args.mode,
                "device": torch.cuda.get_device_name() if args.device != "cpu" else "cpu",
                "n_generators": defn.n_generators,
                "encoded_state_size": graph.encoded_state_size,
                "bit_width": graph.string_encoder.w if graph.string_encoder is not None else None,
                "batch_size": graph.batch_size,
                "import_s": round(T_IMPORTED - T_START, 3),
                "build_s": round(t1 - t0, 3),
                "algo_s": round(t2 - t1, 3),
                "layer_sizes": sizes,
                "sum": total,
                "sum_ok": total == math.factorial(args.n),
                "diameter": len(sizes) - 1,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
