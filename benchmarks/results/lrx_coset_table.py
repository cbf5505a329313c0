"""Schreier graphs of LRX on binary strings past CayleyPy's ``lrx_coset`` table, each row by two routes.

CayleyPy's ``lrx_coset_growth.csv`` (the orbit of a 0/1 string under L, R and X, keyed by
the central string) has all three central strings of each length up to n = 29, and at
n = 32 only 0^16 1^16. This script reproduces the three n = 29 rows and computes the
central strings 0^a 1^b (both splits) and 0101... at n = 30 and 31. Every row runs on the
rank engine (numba, multiset ranking) and again on the hash engine (numba), must add up to
the number of strings C(n, #ones) and must have positive layers.

    python benchmarks/results/lrx_coset_table.py OUT.json
"""

import json
import os
import platform
import sys
import time
from math import comb

from cayley import CayleyGraph, bfs
from cayley.reference import load_reference
from cayley.version import __version__


def centres(n: int) -> list[str]:
    a = n // 2
    out = ["0" * (n - a) + "1" * a]
    if n % 2:
        out.append("0" * a + "1" * (n - a))
    out.append(("01" * n)[:n])
    return out


def run(start: str) -> dict:
    n = len(start)
    graph = CayleyGraph.from_spec(f"S_{n}", "lrx", start)
    t = time.perf_counter()
    first = bfs(graph, engine="rank", backend="cpu", store_layers_up_to=0)
    seconds = time.perf_counter() - t
    t = time.perf_counter()
    second = bfs(graph, engine="hash", backend="cpu", store_layers_up_to=0)
    seconds_second = time.perf_counter() - t
    g = list(first.growth)
    published = load_reference("lrx_coset").get(start)
    checks = {
        "completed": bool(first.completed and second.completed),
        "order": sum(g) == comb(n, start.count("1")),
        "layers": all(x > 0 for x in g),
        "second_route": list(second.growth) == g,
    }
    if published is not None:
        checks["cayleypy_table"] = g == list(published)
    if not all(checks.values()):
        raise SystemExit(f"lrx_coset {start}: a check failed: {checks}")
    return {"family": "lrx_coset", "n": n, "start": start, "states": sum(g), "diameter": len(g) - 1,
            "engine": first.engine, "backend": first.backend, "peak_memory_bytes": first.peak_memory_bytes,
            "last_layer_size": g[-1], "growth": g, "new": published is None,
            "route": "rank engine, numba", "second_route": "hash engine, numba",
            "seconds": round(seconds, 3), "seconds_second_route": round(seconds_second, 3), "checks": checks,
            "version": __version__,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}}


def main() -> None:
    out = sys.argv[1]
    sizes = [int(x) for x in sys.argv[2].split(",")] if len(sys.argv) > 2 else [29, 30, 31]
    rows = json.load(open(out)) if os.path.exists(out) else []
    done = {r["start"] for r in rows}
    for n in sizes:
        for start in centres(n):
            if start not in done:
                rows.append(run(start))
                json.dump(rows, open(out, "w"), indent=1)  # after every row: a kill loses one row at most
                print(f"{start}: {rows[-1]['states']:,} states, diameter {rows[-1]['diameter']}, "
                      f"{rows[-1]['seconds']} s / {rows[-1]['seconds_second_route']} s", flush=True)
    print("| n | central string | states | diameter | last layer | seconds |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        if r["new"]:
            print(f"| {r['n']} | {r['start']} | {r['states']:,} | {r['diameter']} | {r['last_layer_size']} | "
                  f"{r['seconds']} |")


if __name__ == "__main__":
    main()
