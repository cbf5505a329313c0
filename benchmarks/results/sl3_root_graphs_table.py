"""Check the SL(3, Z/m) growth runs and write their rows (JSON) and Markdown table rows.

Inputs in FOLDER: ``sl3_{roots,root_weyl}_M.json`` (``cayley growth "SL(3,M)" --gens G
--format json``) and, for the second route, ``hash_sl3_G_M.json`` (same with ``--engine
hash``). Every row must add up to |SL(3, Z/m)|, match the hash engine where it ran, and at
m = 2..5 equal CayleyPy's published rows.

    python benchmarks/results/sl3_root_graphs_table.py FOLDER OUT.json
"""

import json
import os
import sys

from cayley.groups.matrix import group_order

PUBLISHED = {  # CayleyPy's sl_3_fund_roots_growth.csv and sl_3_root_weyl_growth.csv (m = 2..5)
    "roots": {
        2: [1, 4, 10, 22, 44, 44, 36, 6, 1],
        3: [1, 8, 40, 172, 614, 1512, 2488, 744, 35, 2],
        4: [1, 8, 44, 216, 930, 3192, 8840, 17368, 11222, 1120, 67],
        5: [1, 8, 48, 260, 1316, 5644, 20998, 66808, 151482, 117222, 8184, 28, 1],
    },
    "root_weyl": {
        2: [1, 3, 4, 6, 8, 12, 16, 22, 22, 25, 26, 21, 2],
        3: [1, 4, 8, 16, 32, 64, 120, 200, 334, 530, 820, 1104, 1205, 824, 282, 62, 10],
        4: [1, 4, 9, 20, 44, 98, 210, 415, 775, 1473, 2713, 4711, 7598, 10005, 9039, 4796, 912, 162, 20, 3],
        5: [1, 4, 10, 24, 56, 136, 320, 740, 1416, 2962, 6298, 13008, 25259, 44111, 73378, 97407, 79069, 25296,
            2390, 112, 3],
    },
}


def load(path: str):
    return json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) else None


def main() -> None:
    folder, out = sys.argv[1], sys.argv[2]
    rows, table = [], []
    for gens, family in (("roots", "sl_fund_roots"), ("root_weyl", "sl_root_weyl")):
        for m in range(2, 12):
            d = load(f"{folder}/sl3_{gens}_{m}.json")
            if d is None:
                continue
            g = d["growth"]
            checks = {"completed": d["completed"], "order": sum(g) == group_order("SL", 3, m) == d["order"],
                      "layers": all(x > 0 for x in g) and d["last_layer_size"] == g[-1]}
            if m in PUBLISHED[gens]:
                checks["cayleypy_table"] = g == PUBLISHED[gens][m]
            h = load(f"{folder}/hash_sl3_{gens}_{m}.json")
            if h is not None:
                checks["hash_engine"] = h["growth"] == g
            if not all(checks.values()):
                raise SystemExit(f"{family} m={m}: a check failed: {checks}")
            new = m not in PUBLISHED[gens]
            rows.append({"family": family, "n": 3, "m": m, "states": sum(g), "diameter": len(g) - 1,
                         "last_layer_size": g[-1], "growth": g, "engine": d["engine"], "backend": d["backend"],
                         "version": d["version"], "seconds": d["seconds"], "peak_memory_bytes": d.get("peak_memory_bytes"),
                         "checks": checks, "new": new})
            if new:
                by = "group order" + (", hash engine" if "hash_engine" in checks else "")
                table.append(f"| {family} | {m} | {sum(g):,} | {len(g) - 1} | {g[-1]:,} | {' '.join(map(str, g))} | "
                             f"{d['seconds']:.1f} | {by} |")
    with open(out, "w") as f:
        json.dump(rows, f, indent=1)
    print("\n".join(table))


if __name__ == "__main__":
    main()
