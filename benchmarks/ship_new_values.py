"""Write cayley/conjectures/data/new_values.jsonl, the rows past the published tables that
ship with cayley, from a campaign folder's ``rows.jsonl`` (``cayley tables extend``) and the
JSON output of long single runs (``cayley growth ... --format json``, e.g. burnt pancakes at
n = 10 through the piece ranking).

    python benchmarks/ship_new_values.py --campaign /work/runs/campaign \\
        --growth burnt_pancake:10:/work/runs/bp10.json \\
        --second-route transposons:11:/work/runs/verify-transposons-11.json \\
        --param-rows benchmarks/results/heisenberg_rows.json

``--param-rows`` takes the rows that the table scripts in benchmarks/results write (Heisenberg
and SL(3, Z/m) graphs with their modulus m, LRX on binary strings with their central string);
their new, fully checked rows ship with their parameters.

Each growth file is checked as the campaign checks its rows (positive layers, the last one
the stated last layer, the sum equal to the group order of the family) before it is written;
only verified rows of families past cayley's ``PUBLISHED`` table are shipped.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from cayley.conjectures.campaign import PUBLISHED, CampaignRow, read_rows

OUT = Path(__file__).resolve().parents[1] / "cayley" / "conjectures" / "data" / "new_values.jsonl"
ORDERS = {"burnt_pancake": lambda n: 2**n * math.factorial(n), "signed_reversals": lambda n: 2**n * math.factorial(n)}
OEIS = {"burnt_pancake": ("A078941", {9: 17, 10: 18})}


def growth_row(family: str, n: int, path: str) -> CampaignRow:
    d = json.loads(Path(path).read_text())
    g = [int(x) for x in d["growth"]]
    order = ORDERS.get(family, math.factorial)(n)
    checks: dict = {"layers": d["completed"] and all(x > 0 for x in g) and d["last_layer_size"] == g[-1],
                    "order": sum(g) == order}
    if family in OEIS:
        name, known = OEIS[family]
        checks["reference"] = known.get(n) == len(g) - 1
        checks["reference_by"] = f"diameter equals OEIS {name}"
    return CampaignRow(family=family, n=n, status="new", growth=g, diameter=len(g) - 1, states=sum(g),
                       last_layer_size=g[-1], engine=d["engine"], backend=d["backend"], version=d["version"],
                       seconds=float(d["seconds"]), peak_memory_bytes=int(d["peak_memory_bytes"]),
                       checks=checks, message=f"cayley growth {d['graph']} (piece ranking), one run")


def param_rows(path: str) -> list[CampaignRow]:
    """The new rows of a table script's JSON (every check passed), as campaign rows."""
    out = []
    for d in json.loads(Path(path).read_text()):
        if not d.get("new"):
            continue
        checks = {k: v for k, v in d["checks"].items()}
        if not all(v for v in checks.values() if isinstance(v, bool)):
            raise SystemExit(f"{path}: a check failed for {d['family']} n={d['n']}: {checks}")
        if "second_route" in d and checks.get("second_route") is True:
            checks["second_route_by"] = d["second_route"]
        family, params, start = d["family"], {}, ""
        if "m" in d:
            params = {"m": int(d["m"])}
        if family == "lrx_coset":
            family, start = "lrx", d["start"]
        out.append(CampaignRow(family=family, n=int(d["n"]), status="new", growth=[int(x) for x in d["growth"]],
                               diameter=int(d["diameter"]), states=int(d["states"]),
                               last_layer_size=int(d["last_layer_size"]), engine=d.get("engine", "hash"),
                               backend=d.get("backend", "cpu"), version=d["version"], seconds=float(d["seconds"]),
                               peak_memory_bytes=int(d.get("peak_memory_bytes") or 0), checks=checks,
                               message=f"{Path(path).name}: {d.get('route', d.get('engine', ''))}",
                               params=params, start=start))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--campaign", action="append", default=[], help="campaign folder (repeatable)")
    ap.add_argument("--growth", action="append", default=[], help="FAMILY:N:FILE.json (repeatable)")
    ap.add_argument("--second-route", action="append", default=[],
                    help="FAMILY:N:FILE.json, a second run (other engine) that must give the same layers")
    ap.add_argument("--param-rows", action="append", default=[],
                    help="JSON rows of a table script in benchmarks/results (repeatable)")
    args = ap.parse_args()
    rows: dict[tuple, CampaignRow] = {}
    for folder in args.campaign:
        for r in read_rows(Path(folder) / "rows.jsonl"):
            if r.status in ("new", "stored") and r.verified and r.n > PUBLISHED.get(r.family, 10**9):
                rows[r.family, r.n] = r
    for spec in args.growth:
        family, n, path = spec.split(":", 2)
        r = growth_row(family, int(n), path)
        if not r.verified:
            raise SystemExit(f"{spec}: a check failed: {r.checks}")
        rows[family, int(n)] = r
    for spec in args.second_route:
        family, n, path = spec.split(":", 2)
        d = json.loads(Path(path).read_text())
        r = rows[family, int(n)]
        if not d["completed"] or [int(x) for x in d["growth"]] != r.growth:
            raise SystemExit(f"{spec}: the second route's layers differ from the row's")
        r.checks["second_route"] = True
        r.checks["second_route_by"] = f"{d['engine']} engine ({d['backend']}), {float(d['seconds']):.0f} s"
    for path in args.param_rows:
        for r in param_rows(path):
            rows[r.label, r.n] = r
    if not args.campaign and not args.growth:  # adding parameter rows: keep what ships
        for r in read_rows(OUT):
            rows.setdefault((r.label, r.n), r)
    with OUT.open("w") as fh:
        for key in sorted(rows):
            fh.write(json.dumps(rows[key].as_dict(), sort_keys=True) + "\n")
    print(f"{len(rows)} rows -> {OUT}")


if __name__ == "__main__":
    main()
