"""Compare two runs of ``benchmarks/puzzles.py`` cube by cube (their logs or JSON files).

    python benchmarks/compare_puzzles.py results/puzzles_cpu_2026-12-07.log \
        results/puzzles_cpu_canon_2026-12-07.log

Prints, over the cubes both runs solved: the mean lengths, % optimal, how many cubes got
shorter / longer / stayed, the gap histogram and the median widest beam of each run.

    python benchmarks/compare_puzzles.py --combine first70.log rest30.log

prints the same figures for the union of runs over disjoint cubes (one run completed by
another with ``--first``); a cube in two of them is an error.
"""

from __future__ import annotations

import collections
import json
import statistics
import sys


def rows(path: str) -> dict[str, dict]:
    """The per-cube rows of a run: the JSON lines of its log, or its JSON file's rows."""
    with open(path) as f:
        text = f.read()
    if path.endswith(".json"):
        return {r["id"]: r for r in json.loads(text)["cayley"]["rows"]}
    return {r["id"]: r for r in (json.loads(line) for line in text.splitlines() if line.startswith("{"))}


def describe(name: str, run: dict[str, dict], ids: list[str]) -> None:
    """One line: mean length, % optimal, gap histogram, median widest beam, slowest cube."""
    lens = [run[i]["length"] for i in ids]
    gaps = collections.Counter(run[i]["length"] - run[i]["optimal_length"] for i in ids)
    widest = statistics.median(max(run[i]["widths"] or [0]) for i in ids)
    print(f"{name:6s} n={len(ids)} mean {statistics.mean(lens):.3f}  optimal {100 * gaps[0] / len(ids):.1f} %  "
          f"gaps {dict(sorted(gaps.items()))}  median widest beam {widest:.0f}  "
          f"max s {max(run[i]['seconds'] for i in ids):.4f}")


def combine(paths: list[str]) -> None:
    union: dict[str, dict] = {}
    for path in paths:
        part = rows(path)
        twice = sorted(set(part) & set(union))
        if twice:
            raise SystemExit(f"cubes {twice[:5]} are in two runs")
        union.update(part)
    ids = sorted(union, key=int)
    describe("union", union, ids)
    print(f"optimum mean {statistics.mean(union[i]['optimal_length'] for i in ids):.3f}; "
          f"mean s {statistics.mean(union[i]['seconds'] for i in ids):.2f}; solved "
          f"{sum(bool(union[i].get('solved', True)) for i in ids)}/{len(ids)}")


def main(a_path: str, b_path: str) -> None:
    a, b = rows(a_path), rows(b_path)
    ids = [i for i in b if i in a]
    if not ids:
        raise SystemExit("no cube in both runs")
    for name, run in (("first", a), ("second", b)):
        describe(name, run, ids)
    d = [b[i]["length"] - a[i]["length"] for i in ids]
    print(f"second vs first: shorter on {sum(x < 0 for x in d)}, the same on {sum(x == 0 for x in d)}, "
          f"longer on {sum(x > 0 for x in d)}; optimum mean {statistics.mean(b[i]['optimal_length'] for i in ids):.3f}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--combine":
        combine(sys.argv[2:])
    elif len(sys.argv) == 3:
        main(sys.argv[1], sys.argv[2])
    else:
        raise SystemExit(__doc__)
