"""Growth tables past the published ones: compute, verify, record with provenance.

:func:`extend_tables` takes families and, for each, the ``count`` degrees after the last
one the published tables hold (:data:`PUBLISHED`, CayleyPy's ``*_cayley_growth.csv``
files), and computes each growth function with ``cayley growth`` in a child process with a
checkpoint folder, so that a budget that runs out (or a kill) loses nothing: the next
campaign resumes each search where it stopped. Every finished row is checked:

- ``layers``: the diameter is the number of layers less one, the last layer's size is the
  last entry, every entry is positive;
- ``order``: the states add up to the group order (for a Cayley graph of a group);
- ``second_route``: another engine (the hash engine for a rank-engine row, and the rank
  engine for a hash-engine row) gives the same growth, for rows of at most
  ``verify_states`` states (else recorded as not run);
- ``reference``: the same family at the published degrees equals the reference rows
  shipped in ``cayley/data/reference`` when it has them.

Rows go to the results store (``db``) and, with their provenance (engine, backend,
version, seconds, peak memory, machine, the checks), to ``rows.jsonl`` in the campaign
folder.

>>> plan_rows(["larx", "stars"], count=2)
[('larx', 8), ('larx', 9), ('stars', 12), ('stars', 13)]
>>> plan_rows(["involutive_derangements"], count=2)   # even degrees only
[('involutive_derangements', 12), ('involutive_derangements', 14)]
"""

from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from ..errors import InvalidInputError

__all__ = ["PUBLISHED", "CampaignRow", "extend_tables", "machine", "plan_rows", "read_rows", "shipped_rows"]

# The largest degree of each family in CayleyPy's published growth tables (its data folder's
# *_cayley_growth.csv files, as of cayleypy 0.2.0), by cayley's family name.
PUBLISHED: dict[str, int] = {
    "larx": 7,
    "down_cycles": 6,
    "lsl_cycles": 7,
    "all_cycles": 7,
    "derangements": 7,
    "prefix_cycles": 8,
    "burnt_pancake": 9,
    "signed_reversals": 9,
    "block_interchange": 9,
    "consecutive_k_cycles": 9,
    "increasing_k_cycles": 9,
    "involutive_derangements": 10,
    "transposons": 10,
    "stars": 11,
    "rapaport_m1": 12,
    "rapaport_m2": 13,
    "cyclic_coxeter": 13,
}

# reference files (cayley/data/reference) holding rows of these families, keyed by degree
_REFERENCE_FILE = {"cyclic_coxeter": "cyclic_coxeter", "derangements": "derangements", "all_cycles": "all_cycles",
                   "stars": "stars"}


@dataclass
class CampaignRow:
    """One row of a campaign: what was computed, how, and how it was checked."""

    family: str
    n: int
    status: str  # "new" (computed and checked), "stored" (already done), "stopped", "refused", "failed"
    growth: list[int] = field(default_factory=list)
    diameter: Optional[int] = None
    states: Optional[int] = None
    last_layer_size: Optional[int] = None
    engine: str = ""
    backend: str = ""
    version: str = ""
    seconds: float = 0.0
    peak_memory_bytes: int = 0
    machine: dict = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    message: str = ""
    params: dict = field(default_factory=dict)  # beyond n (the modulus m of a matrix family)
    start: str = ""  # the central string of a Schreier graph; "" for the identity

    @property
    def label(self) -> str:
        """The family with the row's parameters and start, e.g. ``heisenberg(m=11)`` or
        ``lrx on 0101``.

        >>> CampaignRow("heisenberg", 4, "new", params={"m": 11}).label
        'heisenberg(m=11)'
        """
        text = self.family
        if self.params:
            text += "(" + ", ".join(f"{k}={v}" for k, v in sorted(self.params.items())) + ")"
        return text + (f" on {self.start}" if self.start else "")

    def graph(self):
        """The graph this row is the growth of: the family at ``n`` with the row's
        parameters, from the identity or the row's central string.

        >>> CampaignRow("lrx", 6, "new", start="010101").graph().name
        'S_6 lrx(k=1) on 010101'
        """
        from ..graphs import CayleyGraph
        from ..groups.library import get_family

        if self.start:
            return CayleyGraph.from_spec(f"S_{self.n}", self.family, self.start)
        return CayleyGraph(get_family(self.family)(self.n, **self.params))

    @property
    def verified(self) -> bool:
        """Whether every check that ran passed (and at least the layer and order checks ran)."""
        ran = {k: v for k, v in self.checks.items() if v in (True, False)}
        return bool(ran) and all(ran.values()) and "layers" in ran

    def as_dict(self) -> dict:
        d = asdict(self)
        d["verified"] = self.verified
        return d


def machine() -> dict:
    """Where a row was computed: host, processor count, platform, Python and numba versions."""
    import numba
    import numpy

    return {
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "numba": numba.__version__,
    }


def plan_rows(families: Iterable[str], *, count: int = 2, after: Optional[int] = None) -> list[tuple[str, int]]:
    """The (family, n) rows of a campaign: ``count`` degrees after ``after`` (default the
    family's last published degree, :data:`PUBLISHED`)."""
    from ..groups import get_family

    out = []
    for fam in families:
        start = after if after is not None else PUBLISHED.get(fam)
        if start is None:
            known = ", ".join(sorted(PUBLISHED))
            raise InvalidInputError(f"no published table is known for {fam!r}; pass --after N (known: {known})")
        family = get_family(fam)
        n, rows = start, []
        while len(rows) < count and n < start + 64:  # the family's next valid degrees (e.g. even n only)
            n += 1
            if family.accepts(n):
                rows.append((fam, n))
        out.extend(rows)
    return out


def _spec(family: str, n: int) -> str:
    return f"{family}:n={n}"


def _growth_command(family: str, n: int, folder: Path, *, engine: str, memory_limit: Optional[str],
                    db: Optional[str]) -> list[str]:
    cmd = [sys.executable, "-m", "cayley", "growth", "--gens", _spec(family, n), "--engine", engine, "--format", "json",
           "--checkpoint", str(folder), "--checkpoint-every", "120"]
    if memory_limit:
        cmd += ["--memory-limit", memory_limit]
    if db:
        cmd += ["--db", db]
    return cmd


def _sigint_default() -> None:
    """In the child: SIGINT at its default, whatever the parent inherited.

    A campaign launched as a background job (``nohup cayley tables extend ... &``) starts with
    SIGINT ignored, and its children would inherit that: the interrupt that asks a row to save
    its checkpoint would do nothing and the row would be killed, losing its work since the
    last periodic save.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _run(cmd: list[str], seconds: Optional[float], grace: float = 120.0) -> tuple[int, str, str]:
    """Run ``cmd``; past ``seconds`` interrupt it (SIGINT: the search saves its checkpoint).

    The child gets ``grace`` seconds to save after the interrupt before it is killed.
    """
    posix = os.name == "posix"
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_sigint_default if posix else None)
    try:
        out, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        return -1, out, err
    return proc.returncode, out, err


def _second_route(family: str, n: int, engine: str, limit_states: int, states: int) -> tuple[object, str]:
    """Growth by the other engine, or why it was not run."""
    from ..graphs import CayleyGraph
    from ..graphs import bfs
    from ..graphs.rank_engine import supports

    if states > limit_states:
        return None, f"not run ({states:,} states > {limit_states:,})"
    graph = CayleyGraph.from_spec(None, _spec(family, n))
    other = "hash" if engine == "rank" else "rank"
    if other == "rank" and not supports(graph):
        return None, "not run (no perfect ranking for the rank engine)"
    result = bfs(graph, engine=other)
    return list(result.growth), f"{other} engine"


def _reference_check(family: str, upto: int) -> tuple[object, str]:
    """The family's growth at the published degrees against the shipped reference rows."""
    from ..graphs import CayleyGraph
    from ..graphs import bfs
    from ..reference import load_reference

    name = _REFERENCE_FILE.get(family)
    if name is None:
        return None, "no reference rows shipped for this family"
    rows = load_reference(name)
    checked = []
    for key, want in sorted(rows.items(), key=lambda kv: int(kv[0])):
        n = int(key)
        if n > upto or sum(want) > 5_000_000:
            continue
        got = tuple(bfs(CayleyGraph.from_spec(None, _spec(family, n))).growth)
        if got != tuple(want):
            return False, f"differs from the reference row at n = {n}"
        checked.append(n)
    if not checked:
        return None, "no reference row small enough to recompute"
    return True, f"equal to the reference rows n = {checked[0]}..{checked[-1]}"


def _check(row: CampaignRow, data: dict, verify_states: int, reference: bool) -> None:
    growth = row.growth
    row.checks["layers"] = (
        all(x > 0 for x in growth) and row.diameter == len(growth) - 1 and row.last_layer_size == growth[-1]
    )
    order, orbit = data.get("order"), data.get("orbit_size", data.get("order"))
    if order is not None and orbit is not None:
        # a Cayley graph's states are the whole group: orbit and order agree with the sum
        row.checks["order"] = sum(growth) == int(orbit) == int(order)
    else:
        row.checks["order"] = "not applicable (no group order)"
    other, how = _second_route(row.family, row.n, row.engine, verify_states, sum(growth))
    row.checks["second_route"] = (other == growth) if other is not None else how
    row.checks["second_route_by"] = how
    if reference:
        ok, how = _reference_check(row.family, PUBLISHED.get(row.family, row.n - 1))
        row.checks["reference"] = ok if ok is not None else how
        row.checks["reference_by"] = how


def extend_tables(
    families: Iterable[str],
    *,
    folder: "str | os.PathLike",
    count: int = 2,
    after: Optional[int] = None,
    seconds_per_row: Optional[float] = 1800.0,
    budget_seconds: Optional[float] = None,
    memory_limit: Optional[str] = None,
    engine: str = "auto",
    db: Optional[str] = None,
    verify_states: int = 20_000_000,
    reference: bool = True,
    on_row: Optional[Callable[[str, int], None]] = None,
) -> Iterator[CampaignRow]:
    """Compute each row of :func:`plan_rows` (see the module docstring); yields a
    :class:`CampaignRow` per row as it ends. Each row's search runs at most
    ``seconds_per_row`` (and within what is left of ``budget_seconds``); a stopped row
    keeps its checkpoint under ``folder`` and resumes on the next call."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "rows.jsonl"
    done = _finished_rows(log)
    t_start = time.monotonic()
    where = machine()
    for family, n in plan_rows(families, count=count, after=after):
        if (family, n) in done:
            yield done[(family, n)]
            continue
        left = None if budget_seconds is None else budget_seconds - (time.monotonic() - t_start)
        if left is not None and left <= 0:
            yield CampaignRow(family, n, "stopped", message="the campaign's time budget is spent")
            continue
        limit = min(x for x in (seconds_per_row, left) if x is not None) if (seconds_per_row or left) else None
        if on_row is not None:
            on_row(family, n)
        t0 = time.monotonic()
        cmd = _growth_command(family, n, folder / f"{family}-{n}", engine=engine, memory_limit=memory_limit, db=db)
        rc, out, err = _run(cmd, limit)
        line = (err.strip().splitlines() or [""])[-1]
        if rc == -1:
            yield CampaignRow(family, n, "stopped", seconds=time.monotonic() - t0,
                              message=f"time limit of {limit:.0f} s reached; rerun to resume from the checkpoint")
            continue
        if rc == 2:
            yield CampaignRow(family, n, "refused", message=line)
            continue
        if rc != 0:
            yield CampaignRow(family, n, "failed", message=line or f"exit code {rc}")
            continue
        data = json.loads(out)
        if not data.get("completed"):
            yield CampaignRow(family, n, "stopped", message=f"search stopped: {data.get('stop_reason')}")
            continue
        row = CampaignRow(
            family, n, "new", growth=list(data["growth"]), diameter=data["diameter"], states=sum(data["growth"]),
            last_layer_size=data.get("last_layer_size"), engine=data["engine"], backend=data["backend"],
            version=data["version"], seconds=float(data.get("seconds", 0.0)),
            peak_memory_bytes=int(data.get("peak_memory_bytes", 0)), machine=where,
        )
        _check(row, data, verify_states, reference)
        with log.open("a") as fh:
            fh.write(json.dumps(row.as_dict(), sort_keys=True) + "\n")
        yield row


def read_rows(log: Path | str) -> list[CampaignRow]:
    """The rows of a campaign log (``rows.jsonl``), in file order; unreadable lines are
    skipped (a campaign killed while writing leaves at most a partial last line)."""
    path = Path(log)
    out: list[CampaignRow] = []
    if not path.exists():
        return out
    for text in path.read_text().splitlines():
        try:
            d = json.loads(text)
            d.pop("verified", None)
            out.append(CampaignRow(**d))
        except (ValueError, TypeError):
            continue
    return out


def shipped_rows() -> list[CampaignRow]:
    """The rows past the published tables that ship with cayley (computed by
    :func:`extend_tables` and the rank engine's long runs; see docs/new-values.md).

    >>> rows = {(r.label, r.n): r for r in shipped_rows()}
    >>> rows["transposons", 12].diameter, rows["transposons", 12].states
    (7, 479001600)
    >>> rows["heisenberg(m=11)", 4].states   # rows with parameters carry them
    161051
    """
    from importlib import resources

    with resources.as_file(resources.files("cayley.conjectures") / "data" / "new_values.jsonl") as path:
        return read_rows(path)


def _finished_rows(log: Path) -> dict[tuple[str, int], CampaignRow]:
    """Rows a previous run of the campaign finished (from ``rows.jsonl``)."""
    out: dict[tuple[str, int], CampaignRow] = {}
    for row in read_rows(log):
        row.status = "stored"
        out[(row.family, row.n)] = row
    return out
