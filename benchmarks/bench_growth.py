#!/usr/bin/env python3
"""Growth of Cayley graphs of S_n: cayley side by side with CayleyPy and GAP.

Every run is a separate subprocess, timed from spawn to exit (start-up included), with the
child's peak RSS from os.wait4. The growth vectors of all tools must agree exactly and sum
to |G| (n!, or n!/2 for top_spin at odd n); a mismatch or a failed run is reported loudly
and makes the exit status 1. A run past --timeout is killed and recorded as "> S s".

    python3 benchmarks/bench_growth.py --cases lrx:11,coxeter:11 --repeat 3 --out r.json

Set the peers up once with benchmarks/setup_peers.sh. Stdlib only.
"""

import argparse
import datetime
import json
import math
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "peers")
FAMILIES = ("lrx", "coxeter", "pancake", "all_transpositions", "top_spin")
TOOLS = ("cayley", "cayley-hash", "cayleypy", "cayleypy-fast", "gap", "gap-builtin")


def fast_batch(n):
    """CayleyPy's fastest CPU batch size (see peers/README): 2^24 up to n=11, 2^26 above."""
    return 2**24 if n <= 11 else 2**26


def expected_order(family, n):
    """|G|: every family generates S_n, except top_spin at odd n (all generators even: A_n)."""
    return math.factorial(n) // (2 if family == "top_spin" and n % 2 else 1)


def command(tool, family, n, opts):
    """argv and a short config label for one tool on one case."""
    if tool in ("cayley", "cayley-hash"):
        extra = shlex.split(opts.cayley_args) + (["--engine", "hash"] if tool == "cayley-hash" else [])
        argv = [opts.cayley, "growth", f"S_{n}", "--gens", family, "--format", "json", "--no-progress", *extra]
        return argv, " ".join(extra)
    if tool.startswith("cayleypy"):
        argv = [opts.peer_python, os.path.join(PEERS, "cayleypy_growth.py"), family, str(n)]
        if tool == "cayleypy-fast":
            b = fast_batch(n)
            return argv + ["--batch-size", str(b)], f"batch_size=2^{b.bit_length() - 1}"
        return argv, "default (batch_size=2^20)"
    mode = "builtin" if tool == "gap-builtin" else "sets"
    setup = f'FAMILY:="{family}";; N:={n};; MODE:="{mode}";;'
    argv = [opts.gap, "-q", "-A", "-o", "20g", "-m", "2g", "-c", setup, os.path.join(PEERS, "gap_growth.g")]
    return argv, "GrowthFunctionOfGroup" if mode == "builtin" else "sets, -m 2g"


def parse(tool, stdout):
    """(growth, algo seconds, tool-specific extras) from a tool's JSON output."""
    line = [s for s in stdout.splitlines() if s.lstrip().startswith("{")][-1]
    d = json.loads(line)
    if tool in ("cayley", "cayley-hash"):
        extra = {k: d.get(k) for k in ("engine", "backend", "version", "seconds", "peak_memory_bytes", "completed")}
        return list(d["growth"]), d.get("bfs_seconds", d["seconds"]), extra
    if tool.startswith("cayleypy"):
        extra = {k: d.get(k) for k in ("import_s", "build_s", "batch_size", "bit_width", "torch_threads")}
        return d["layer_sizes"], d["algo_s"], extra
    return d["layer_sizes"], d["algo_cpu_ms"] / 1000, {"chunk": d.get("chunk"), "algo_is_cpu_time": True}


def run_once(argv, timeout):
    """Run argv to completion or timeout; wall time, peak RSS (bytes), exit code, output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the whole group: GAP's shell wrapper included
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # we reaped it, not Popen
        out.seek(0)
        err.seek(0)
        return {
            "wall_s": round(wall, 3),
            "peak_rss_bytes": ru.ru_maxrss * 1024,  # Linux reports KiB
            "user_s": round(ru.ru_utime, 3),
            "sys_s": round(ru.ru_stime, 3),
            "returncode": proc.returncode,
            "timed_out": timed_out.is_set(),
            "stdout": out.read().decode(errors="replace"),
            "stderr": err.read().decode(errors="replace")[-4000:],
        }


def sh(argv, default="?"):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=120).stdout.strip() or default
    except (OSError, subprocess.SubprocessError):
        return default


def interpreter_of(script):
    """The python behind a console script (its shebang), to ask it for package versions."""
    try:
        with open(shutil.which(script) or script, "rb") as f:
            first = f.readline().decode()
        return first[2:].strip().split()[0] if first.startswith("#!") else sys.executable
    except (OSError, IndexError):
        return sys.executable


VERSIONS = (
    "import importlib.metadata as m, json, sys\n"
    "def v(p):\n"
    "    try: return m.version(p)\n"
    "    except Exception: return None\n"
    "print(json.dumps({'python': sys.version.split()[0], **{p: v(p) for p in sys.argv[1:]}}))"
)


def machine_info():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(next(l for l in f if l.startswith("MemTotal")).split()[1])
    osname = platform.platform()
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            rel = dict(l.rstrip().split("=", 1) for l in f if "=" in l)
        osname = f"{rel.get('PRETTY_NAME', '?').strip(chr(34))}, kernel {platform.release()}"
    return {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
            "ram_gib": round(mem_kib / 2**20, 1), "os": osname}


def versions(opts, tools):
    def py(interp, *pkgs):
        try:
            return json.loads(sh([interp, "-c", VERSIONS, *pkgs], "{}"))
        except json.JSONDecodeError:
            return {}

    v = {"harness_python": sys.version.split()[0]}
    if "cayley" in tools:
        v["cayley"] = py(interpreter_of(opts.cayley), "cayley", "numba", "numpy")
    if any(t.startswith("cayleypy") for t in tools):
        v["cayleypy"] = py(opts.peer_python, "cayleypy", "torch", "numpy")
    if any(t.startswith("gap") for t in tools):
        v["gap"] = sh([opts.gap, "-q", "-A", "-c", 'Print(GAPInfo.Version, "\\n"); QUIT;'])
    return v


def fmt_s(x):
    return "—" if x is None else f"{x:.2f}"


def summarize(case, tool, config, runs, timeout):
    ok = [r for r in runs if r["returncode"] == 0 and not r["timed_out"] and r.get("growth")]
    row = {"case": case, "tool": tool, "config": config, "runs": len(runs), "ok_runs": len(ok),
           "timed_out": any(r["timed_out"] for r in runs), "failed": any(r.get("error") for r in runs)}
    if ok:
        row["wall_s"] = statistics.median(r["wall_s"] for r in ok)
        row["algo_s"] = statistics.median(r["algo_s"] for r in ok)
        row["peak_rss_mib"] = statistics.median(r["peak_rss_bytes"] for r in ok) / 2**20
    elif row["timed_out"]:
        row["wall_s"] = None
        row["wall_text"] = f"> {timeout:g} s"
    return row


def markdown(rows):
    base = {r["case"]: r.get("wall_s") for r in rows if r["tool"] == "cayley"}
    out = ["| case | tool | config | wall s (median) | algo s | peak RSS MiB | ratio vs cayley |",
           "|---|---|---|---:|---:|---:|---:|"]
    for r in rows:
        if r.get("wall_s") is not None:
            wall = f"{r['wall_s']:.2f}"
            b = base.get(r["case"])
            ratio = f"{r['wall_s'] / b:.2f}x" if b else "—"
            algo, rss = fmt_s(r["algo_s"]), f"{r['peak_rss_mib']:.0f}"
        else:
            wall = r.get("wall_text", "FAILED")
            b = base.get(r["case"])
            ratio = f"> {float(wall.split()[1]) / b:.1f}x" if b and r["timed_out"] else "—"
            algo, rss = "—", "—"
        out.append(f"| {r['case']} | {r['tool']} | {r['config']} | {wall} | {algo} | {rss} | {ratio} |")
    return "\n".join(out)


def parse_cases(text):
    cases = []
    for item in text.split(","):
        fam, _, n = item.strip().partition(":")
        if fam not in FAMILIES or not n.isdigit():
            raise SystemExit(f"bad case {item!r}: expected FAMILY:N with FAMILY in {', '.join(FAMILIES)}")
        cases.append((fam, int(n)))
    return cases


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", default="lrx:9,coxeter:9,pancake:9", help="FAMILY:N,... (default: %(default)s)")
    ap.add_argument("--tools", default="cayley,cayleypy,cayleypy-fast,gap",
                    help=f"comma list from {','.join(TOOLS)} (default: %(default)s)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per tool and case; the median is reported")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per run (default: %(default)s)")
    ap.add_argument("--out", help="write raw results (JSON) here")
    ap.add_argument("--cayley-args", default="", help='extra args for cayley growth, e.g. --cayley-args="--engine rank"')
    ap.add_argument("--cayley", default="cayley", help="cayley executable (default: %(default)s)")
    default_peer = os.environ.get("PEER_VENV", os.path.join(HERE, ".peervenv"))
    ap.add_argument("--peer-python", default=os.path.join(default_peer, "bin", "python"),
                    help="python of the CayleyPy venv (default: $PEER_VENV or benchmarks/.peervenv)")
    ap.add_argument("--gap", default="gap", help="gap executable (default: %(default)s)")
    opts = ap.parse_args(argv)

    cases = parse_cases(opts.cases)
    tools = [t.strip() for t in opts.tools.split(",") if t.strip()]
    bad = [t for t in tools if t not in TOOLS]
    if bad or opts.repeat < 1:
        raise SystemExit(f"bad --tools {bad} (choose from {', '.join(TOOLS)}) or --repeat < 1")

    meta = {
        "command": shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv])),
        "cwd": os.getcwd(),
        "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_info(),
        "versions": versions(opts, tools),
        "load_before": sh(["uptime"]),
        "repeat": opts.repeat,
        "timeout_s": opts.timeout,
    }
    print(f"# {meta['started']}  {meta['command']}", file=sys.stderr)
    print(f"# load before: {meta['load_before']}", file=sys.stderr)

    raw, rows, problems = [], [], []
    for family, n in cases:
        case = f"{family}:{n}"
        order = expected_order(family, n)
        per_tool = {t: [] for t in tools}
        configs = {}
        for rep in range(opts.repeat):  # interleave tools so slow drift hits all alike
            for tool in tools:
                if any(r["timed_out"] for r in per_tool[tool]):
                    continue  # one timeout is enough; do not burn another S seconds
                argv, configs[tool] = command(tool, family, n, opts)
                try:
                    r = run_once(argv, opts.timeout)
                except OSError as e:
                    r = {"wall_s": None, "peak_rss_bytes": 0, "returncode": None, "timed_out": False,
                         "stdout": "", "stderr": str(e)}
                r.update(case=case, tool=tool, rep=rep, argv=argv)
                if r["returncode"] == 0 and not r["timed_out"]:
                    try:
                        r["growth"], r["algo_s"], r["extra"] = parse(tool, r["stdout"])
                    except (ValueError, KeyError, IndexError) as e:
                        r["error"] = f"unparsable output: {e}"
                elif not r["timed_out"]:
                    r["error"] = f"exit {r['returncode']}: {r['stderr'].strip()[-500:]}"
                if tool in ("cayley", "cayley-hash") and r.get("extra", {}).get("engine"):
                    configs[tool] = f"engine={r['extra']['engine']} backend={r['extra']['backend']} {configs[tool]}".strip()
                if r.get("error"):
                    problems.append(f"{case} {tool} rep {rep}: {r['error']}")
                status = "TIMEOUT" if r["timed_out"] else ("ERROR" if r.get("error") else "ok")
                print(f"{case:>22} {tool:<14} rep {rep}  {status:<7} wall {fmt_s(r['wall_s'])} s  "
                      f"rss {r['peak_rss_bytes'] / 2**20:.0f} MiB", file=sys.stderr, flush=True)
                r["stdout"] = r["stdout"][-2000:]
                per_tool[tool].append(r)
                raw.append(r)
        # exact agreement: every successful run of every tool against |G| and each other
        ref = None
        for tool in tools:
            for r in per_tool[tool]:
                g = r.get("growth")
                if g is None:
                    continue
                if sum(g) != order:
                    problems.append(f"MISMATCH {case} {tool} rep {r['rep']}: sum {sum(g)} != |G| = {order}")
                if ref is None:
                    ref = (tool, g)
                elif g != ref[1]:
                    problems.append(f"MISMATCH {case}: {tool} (diameter {len(g) - 1}) {g} != "
                                    f"{ref[0]} (diameter {len(ref[1]) - 1}) {ref[1]}")
        meta.setdefault("diameters", {})[case] = None if ref is None else len(ref[1]) - 1
        rows += [summarize(case, t, configs.get(t, ""), per_tool[t], opts.timeout) for t in tools]

    meta["load_after"] = sh(["uptime"])
    meta["problems"] = problems
    m = meta["machine"]
    print(f"Machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), {m['ram_gib']} GiB RAM, {m['os']}")
    print(f"Versions: {json.dumps(meta['versions'])}")
    print(f"Command: `{meta['command']}`  (repeat {opts.repeat}, timeout {opts.timeout:g} s)")
    print(f"Load before: {meta['load_before']}\nLoad after:  {meta['load_after']}")
    print("Growth vectors: " + ("all agree exactly, sums = |G| (n!; n!/2 for top_spin, odd n)" if not problems else "SEE PROBLEMS BELOW")
          + f"; diameters {meta['diameters']}\n")
    print(markdown(rows))
    if opts.out:
        with open(opts.out, "w") as f:
            json.dump({**meta, "summary": rows, "runs": raw}, f, indent=1)
    if problems:
        bar = "!" * 78
        print(f"\n{bar}\nFAILED: {len(problems)} problem(s)\n" + "\n".join(problems) + f"\n{bar}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
