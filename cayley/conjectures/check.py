"""Check catalogue records against computed growth functions.

For each degree n in a record's claimed range (up to ``max_n``) the checker builds the
graph, reads its BFS result from the results store, else from the rows past the published
tables that ship with cayley (:func:`~cayley.conjectures.campaign.shipped_rows`: burnt
pancakes at n = 10, stars at 13, ...), else computes (and stores) it, and compares the
record's invariant with its formula. Outcomes:

``pass``
    every checked n satisfies the claim (a ``refuted`` record passes when its recorded
    counterexample is confirmed: the claim fails there);
``fail``
    a counterexample: the first n (and family, for claims across families) where the
    computed value contradicts the claim;
``out of range``
    no n in the claimed range is at most ``max_n`` (or all are beyond the state budget);
``unsupported``
    the family is not known to this installation (e.g. matrix groups not available).

Degrees whose search would exceed the budget (``max_states`` states, or ``max_work``
generator applications) are skipped and reported, not computed.

>>> from cayley.conjectures.catalogue import load_catalogue
>>> c = check_record(load_catalogue()["coxeter-diameter"], max_n=6)
>>> c.outcome, c.checked
('pass', (2, 3, 4, 5, 6))
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import lru_cache
from math import factorial
from typing import Callable, Iterable, Optional

from ..errors import CayleyError, InvalidInputError, UnknownFamilyError
from .catalogue import Record, start_state

__all__ = ["CheckResult", "Checker", "check_record", "check_catalogue", "shipped_result", "OUTCOMES"]

log = logging.getLogger(__name__)

OUTCOMES = ("pass", "fail", "out of range", "unsupported")
DEFAULT_MAX_STATES = 50_000_000
# generator applications a search may cost: the rank engine sweeps its whole bitset
# (n! ranks for S_n) once per layer; the hash engine is ~20x slower per application
DEFAULT_MAX_WORK = 2_000_000_000
_HASH_WORK_FACTOR = 20
_MAX_GENERATORS_TO_PLAN = 200


class Unsupported(CayleyError):
    """The record needs a family or group kind this installation does not have."""


class BeyondBudget(CayleyError):
    """The search for one degree would exceed the checker's budget."""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one record.

    ``checked`` lists the degrees compared; ``skipped`` the degrees in range left out
    (with why); ``counterexample`` is a dict (``n``, ``expected``, ``actual``, and
    ``family`` for claims across families) when the outcome is ``fail``, or the
    confirmed counterexample of a ``refuted`` record.
    """

    record: Record
    outcome: str
    checked: tuple[int, ...] = ()
    skipped: tuple[tuple[int, str], ...] = ()
    counterexample: Optional[dict] = None
    message: str = ""
    seconds: float = 0.0
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Not a failure (pass, out of range or unsupported)."""
        return self.outcome != "fail"

    def to_dict(self) -> dict:
        """JSON-ready fields (fractions as strings such as ``"33/2"``)."""
        return _jsonable({
            "id": self.record.id,
            "outcome": self.outcome,
            "checked": list(self.checked),
            "skipped": [{"n": n, "reason": why} for n, why in self.skipped],
            "counterexample": self.counterexample,
            "message": self.message,
            "seconds": round(self.seconds, 3),
            **({"details": self.details} if self.details else {}),
        })


def _jsonable(x):
    from fractions import Fraction

    if isinstance(x, Fraction):
        return str(x)
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    return x


def _compare(relation: str, actual, expected) -> bool:
    if relation == "==":
        return actual == expected
    if relation == "<=":
        return actual <= expected
    return actual >= expected


class Checker:
    """Computes (or reads from a :class:`~cayley.conjectures.store.ResultsStore`) the
    results records need, sharing them between records.

    Parameters
    ----------
    store : a ResultsStore used as a cache (None: compute, keep in memory only).
    max_states, max_work : the budget per search (states; generator applications).
    progress : called with a one-line message before each search (for the CLI).

    Examples
    --------
    >>> from cayley.conjectures.catalogue import load_catalogue
    >>> cat = load_catalogue()
    >>> chk = Checker()
    >>> chk.check(cat["stars-diameter"], max_n=7).outcome
    'pass'
    >>> chk.degrees(cat["lx-diameter"], 8)
    [5, 6, 7, 8]
    >>> g = chk.graph("lrx", 5, {}, "alternating")
    >>> g.name, chk.value(cat["lrx-alternating-order"], chk.result(g), 5)
    ('S_5 lrx(k=1) on 01010', 10)
    """

    def __init__(self, store=None, *, max_states: int = DEFAULT_MAX_STATES, max_work: int = DEFAULT_MAX_WORK,
                 progress: Optional[Callable[[str], None]] = None):
        if max_states < 1 or max_work < 1:
            raise InvalidInputError(f"budgets must be positive, got max_states={max_states}, max_work={max_work}")
        self.store = store
        self.max_states = int(max_states)
        self.max_work = int(max_work)
        self.progress = progress
        self._memo: dict = {}
        self.computed = 0  # searches run (not read from the store)
        self.reused = 0  # results read from the store or the shipped rows

    # -- graphs and results -----------------------------------------------------------
    def graph(self, family: str, n: int, params: dict, start: str, inverses: bool = False):
        """The graph of ``family`` at degree ``n`` with ``params`` and a start pattern (with
        the missing inverses added when ``inverses``: the undirected graph)."""
        from ..graphs import CayleyGraph
        from ..groups.library import get_family

        try:
            fam = get_family(family)
        except UnknownFamilyError:
            raise Unsupported(f"family {family!r} is not in this installation's registry") from None
        if getattr(fam, "kind", "permutation") not in ("permutation",):
            raise Unsupported(f"family {family!r} is a {fam.kind} family; records cover permutation families")
        gens = fam(n, **params)
        if inverses:
            gens = gens.with_inverses()
        s = start_state(start, gens.degree)
        return CayleyGraph(gens, s)

    def matrix_graph(self, family: str, m: int, params: dict):
        """The Cayley graph of matrix family ``family`` over Z/``m`` (``params`` fixes the
        matrix size n); :class:`Unsupported` when this installation has no matrix groups."""
        from ..graphs import CayleyGraph
        from ..groups.library import get_family

        try:
            fam = get_family(family)
        except UnknownFamilyError:
            raise Unsupported(f"matrix family {family!r} is not in this installation (no matrix groups)") from None
        if getattr(fam, "kind", None) != "matrix":
            raise Unsupported(f"family {family!r} is not a matrix family")
        p = dict(params)
        n = p.pop("n", None)
        if n is None:
            raise InvalidInputError(f"matrix family {family!r} needs params.n, the matrix size")
        return CayleyGraph(fam(int(n), m=m, **p))

    def _record_graph(self, record: Record, x: int):
        if record.group == "matrix":
            return self.matrix_graph(record.family, x, record.params)
        return self.graph(record.family, x, record.params, record.start, record.inverses)

    def result(self, graph):
        """The completed BFS result of ``graph`` (memo, then store, then a search)."""
        from ..graphs import bfs

        if graph in self._memo:
            return self._memo[graph]
        r = self.store.load(graph) if self.store is not None else None
        if r is None or not r.completed:
            r = shipped_result(graph)
        if r is not None and r.completed:
            self.reused += 1
        else:
            self._check_budget(graph)
            log.info("conjectures: computing %s", graph.name)
            if self.progress:
                self.progress(f"computing {graph.name}")
            t0 = time.perf_counter()
            r = bfs(graph)
            self.computed += 1
            if self.store is not None and not getattr(self.store, "read_only", False):  # read-only media: keep in memory
                self.store.save(r, seconds=time.perf_counter() - t0)
        self._memo[graph] = r
        return r

    def _check_budget(self, graph) -> None:
        self._check_work(graph, _vertex_bound(graph))

    def _check_work(self, graph, states: int) -> None:
        from ..graphs import plan_search, rank_engine

        k = len(graph.generators)
        if states > self.max_states:
            raise BeyondBudget(f"{states:,} states > budget {self.max_states:,}")
        if not graph.action().permutes_positions:  # matrices: ranked over far more than an orbit
            if states * k * _HASH_WORK_FACTOR > self.max_work:
                raise BeyondBudget(f"~{states * k * _HASH_WORK_FACTOR:.1e} generator applications > budget")
            return
        if rank_engine.supports(graph):
            work = _ambient(graph) * k
            if work <= self.max_work:
                return
            if k > _MAX_GENERATORS_TO_PLAN:
                # planning asks sympy for the group order, which takes minutes on
                # thousands of generators: refuse without it
                raise BeyondBudget(f"{k:,} generators over {_ambient(graph):,} states > budget {self.max_work:.1e}")
        if plan_search(graph).engine == "rank":
            work = _ambient(graph) * k
        else:
            work = states * k * _HASH_WORK_FACTOR
        if states > self.max_states:
            raise BeyondBudget(f"{states:,} states > budget {self.max_states:,}")
        if work > self.max_work:
            raise BeyondBudget(f"~{work:.1e} generator applications > budget {self.max_work:.1e}")

    # -- values --------------------------------------------------------------------------
    def value(self, record: Record, result, n: int):
        """The record's invariant in ``result`` (a completed search at degree ``n``)."""
        inv = record.invariant
        g = result.growth
        if inv == "diameter":
            return result.diameter
        if inv == "order":
            return result.size
        if inv == "last_layer_size":
            return g[-1]
        if inv == "layer":
            k = record.layer_index(n)
            return g[k] if 0 <= k < len(g) else 0
        if inv in ("growth", "growth_polynomial"):
            return list(g)
        raise InvalidInputError(f"record {record.id}: unknown invariant {inv!r}")  # pragma: no cover

    def expected(self, record: Record, n: int, actual=None):
        if record.invariant == "growth":
            # one more distance than found: the formula must vanish beyond the diameter
            length = len(actual) + 1 if actual is not None else None
            vals = [record.expected(n, d) for d in range(length)]
            while len(vals) > 1 and vals[-1] == 0:
                vals.pop()
            return vals
        if record.invariant == "growth_polynomial":
            coeffs = record.expected(n)
            while len(coeffs) > 1 and coeffs[-1] == 0:
                coeffs.pop()
            return coeffs
        return record.expected(n)

    # -- checking ------------------------------------------------------------------------
    def degrees(self, record: Record, max_n: int) -> list[int]:
        from ..groups.library import get_family

        hi = max_n if record.n_max is None else min(record.n_max, max_n)
        ns = [n for n in range(record.n_min, hi + 1) if record.claims(n)]
        if record.family != "*" and record.group == "permutation":
            try:
                fam = get_family(record.family)
            except UnknownFamilyError:
                return ns
            if not record.params:  # non-default parameters may widen the degrees
                ns = [n for n in ns if fam.accepts(n)]
        return ns

    def check(self, record: Record, *, max_n: int = 10) -> CheckResult:
        """Check ``record`` at every claimed degree up to ``max_n`` within the budget."""
        if max_n < 1:
            raise InvalidInputError(f"max_n must be >= 1, got {max_n}")
        t0 = time.perf_counter()
        try:
            if record.group not in ("permutation", "matrix"):
                raise Unsupported(f"record {record.id} needs {record.group} groups, which the checker does not know")
            if record.family == "*":
                res = self._check_across(record, max_n)
            elif record.status == "refuted":
                res = self._check_refuted(record, max_n)
            else:
                res = self._check_one(record, max_n)
        except Unsupported as exc:
            res = CheckResult(record, "unsupported", message=str(exc))
        return CheckResult(**{**res.__dict__, "seconds": time.perf_counter() - t0})

    def _check_one(self, record: Record, max_n: int) -> CheckResult:
        ns = self.degrees(record, max_n)
        checked, skipped = [], []
        for n in ns:
            try:
                r = self.result(self._record_graph(record, n))
            except BeyondBudget as exc:
                skipped.append((n, str(exc)))
                continue
            actual = self.value(record, r, n)
            expected = self.expected(record, n, actual)
            checked.append(n)
            if not _compare(record.relation, actual, expected):
                v = record.variable
                cx = {v: n, "expected": expected, "actual": actual}
                return CheckResult(
                    record, "fail", tuple(checked), tuple(skipped), cx,
                    f"counterexample at {v}={n}: {record.invariant} is {actual}, the formula gives "
                    f"{record.relation} {expected}",
                )
        return self._summary(record, max_n, checked, skipped)

    def _summary(self, record, max_n, checked, skipped, extra: str = "", details=None) -> CheckResult:
        if not checked:
            why = "beyond the state budget" if skipped else f"no claimed {record.variable} <= {max_n}"
            return CheckResult(record, "out of range", (), tuple(skipped), None,
                               f"nothing checked: {why} (claimed for {range_text(record)})")
        v = record.variable
        msg = f"holds for {v} = {ns_text(checked)}"
        if skipped:
            msg += f"; {v} = {ns_text([n for n, _ in skipped])} beyond the budget"
        return CheckResult(record, "pass", tuple(checked), tuple(skipped), None, msg + extra, details=details or {})

    def _check_refuted(self, record: Record, max_n: int) -> CheckResult:
        n = int(record.counterexample)
        if n > max_n:
            return CheckResult(record, "out of range", (), (), None,
                               f"the recorded counterexample n={n} is above --max-n {max_n}")
        try:
            r = self.result(self._record_graph(record, n))
        except BeyondBudget as exc:
            return CheckResult(record, "out of range", (), ((n, str(exc)),), None,
                               f"the recorded counterexample n={n} is beyond the budget")
        actual = self.value(record, r, n)
        expected = self.expected(record, n, actual)
        cx = {"n": n, "expected": expected, "actual": actual}
        if _compare(record.relation, actual, expected):
            return CheckResult(record, "fail", (n,), (), cx,
                               f"recorded as refuted at n={n}, but the claim holds there ({actual})")
        return CheckResult(record, "pass", (n,), (), cx,
                           f"refutation confirmed at n={n}: {record.invariant} is {actual}, "
                           f"the claim says {record.relation} {expected}")

    def _check_across(self, record: Record, max_n: int) -> CheckResult:
        from ..groups.library import families

        hi = max_n if record.n_max is None else min(record.n_max, max_n)
        checked, skipped, counted = [], [], 0
        worst = None  # (ratio, family, n, actual, bound)
        too_big: set[str] = set()  # beyond the budget at a smaller n: generator sets only grow
        for n in range(record.n_min, hi + 1):
            any_here = False
            for fam in families():
                if getattr(fam, "kind", "permutation") != "permutation" or fam.signed or not fam.accepts(n):
                    continue
                if fam.name in too_big:
                    skipped.append((n, f"{fam.name}: beyond the budget at a smaller n"))
                    continue
                try:
                    gens = fam(n)
                except InvalidInputError:
                    continue
                if not gens.inverse_closed or gens.degree != n:
                    continue
                graph = self.graph(fam.name, n, {}, "identity")
                try:
                    if graph not in self._memo and (self.store is None or graph not in self.store):
                        self._check_work(graph, factorial(n))
                    r = self.result(graph)
                except BeyondBudget as exc:
                    too_big.add(fam.name)
                    skipped.append((n, f"{fam.name}: {exc}"))
                    continue
                if not r.completed or r.size != factorial(n):
                    continue  # the generators do not generate S_n (the search counts the group)
                any_here = True
                counted += 1
                actual = self.value(record, r, n)
                expected = self.expected(record, n, actual)
                if expected and (worst is None or actual / expected > worst[0]):
                    worst = (actual / expected, fam.name, n, actual, expected)
                if not _compare(record.relation, actual, expected):
                    cx = {"n": n, "family": fam.name, "expected": expected, "actual": actual}
                    return CheckResult(
                        record, "fail", tuple(checked + [n]), tuple(skipped), cx,
                        f"counterexample: {fam.name} at n={n}: {record.invariant} {actual}, "
                        f"bound {record.relation} {expected}",
                    )
            if any_here:
                checked.append(n)
        details = {"graphs": counted}
        extra = f" ({counted} graphs)"
        if worst is not None:
            details["tightest"] = {"family": worst[1], "n": worst[2], "actual": worst[3], "bound": worst[4]}
            extra += f"; tightest: {worst[1]} at n={worst[2]} ({worst[3]} vs {worst[4]})"
        skipped_n = sorted({n for n, _ in skipped})
        res = self._summary(record, max_n, checked, [], extra, details)
        if skipped_n and res.outcome == "pass":
            res = CheckResult(record, "pass", res.checked, tuple(skipped), None,
                              res.message + f"; {len(skipped)} graphs beyond the budget", details=details)
        return res


@lru_cache(maxsize=1)
def _shipped_index() -> dict:
    from .campaign import shipped_rows

    index: dict = {}
    for r in shipped_rows():
        index.setdefault((r.family, r.n), []).append(r)
    return index


def shipped_result(graph):
    """The result of ``graph`` from the rows that ship with cayley (growth only, no last
    layer), when ``graph`` is a shipped row's graph (the same generators and start); else
    None.

    >>> from cayley import CayleyGraph
    >>> from cayley.groups.library import get_family
    >>> r = shipped_result(CayleyGraph(get_family("transposons")(12)))
    >>> r.diameter, r.size, r.engine
    (7, 479001600, 'rank (shipped row)')
    >>> shipped_result(CayleyGraph(get_family("transposons")(5))) is None   # published: not shipped
    True
    >>> shipped_result(CayleyGraph(get_family("heisenberg")(4, m=11))).diameter
    20
    """
    from ..graphs import BfsResult
    from .store import graph_key

    gens = graph.generators
    family = getattr(gens, "family", None)
    params = dict(getattr(gens, "params", ()) or ())
    n = params.get("n", getattr(gens, "n", None))
    rows = _shipped_index().get((family, n), [])
    if not rows:
        return None
    key = graph_key(graph)
    for row in rows:
        if graph_key(row.graph()) == key:
            return BfsResult(graph=graph, growth=tuple(row.growth), completed=True, last_layer=None, layers={},
                             engine=f"{row.engine} (shipped row)", backend=row.backend, version=row.version,
                             seconds=row.seconds, peak_memory_bytes=row.peak_memory_bytes)
    return None


def _ambient(graph) -> int:
    """Size of the rank engine's bitset: the ranks of the graph's ranking (n!, the
    multinomial of the start's symbols, or the arrangements of its pieces: 2^n n! for
    signed permutations rather than (2n)!)."""
    ranking = graph.ranking()
    return int(ranking.size) if ranking is not None else _arrangements(graph)


def _arrangements(graph) -> int:
    """Arrangements of the start's symbols: n! over the factorials of the repeats."""
    import numpy as np

    total = factorial(graph.degree)
    for c in np.bincount(graph.start):
        total //= factorial(int(c))
    return total


def _vertex_bound(graph) -> int:
    """An upper bound on the number of vertices without a search: the group order
    (Schreier–Sims) for a Cayley graph, the number of arrangements for a Schreier graph."""
    if graph.is_schreier:
        return _arrangements(graph)
    return int(graph.generators.order())


def ns_text(ns: Iterable[int]) -> str:
    """Integers as short runs, the way ranges are written everywhere in cayley: ``A..B``.

    >>> ns_text([3, 4, 5, 6, 9, 11, 12])
    '3..6, 9, 11, 12'
    >>> ns_text([])
    '-'
    """
    ns = sorted(set(ns))
    if not ns:
        return "-"
    runs, a, b = [], ns[0], ns[0]
    for x in ns[1:]:
        if x == b + 1:
            b = x
            continue
        runs.append((a, b))
        a = b = x
    runs.append((a, b))
    return ", ".join(str(a) if a == b else (f"{a}, {b}" if b == a + 1 else f"{a}..{b}") for a, b in runs)


def range_text(record: Record) -> str:
    """The range a record claims, e.g. ``n >= 3``, ``3 <= n <= 12`` or ``n in 3..6, 9``.

    >>> from cayley.conjectures.catalogue import load_catalogue
    >>> range_text(load_catalogue()["all-transpositions-diameter"])
    'n >= 2'
    """
    if record.values is not None:
        return f"{record.variable} in {ns_text(record.values)}"
    v = record.variable
    return f"{v} >= {record.n_min}" if record.n_max is None else f"{record.n_min} <= {v} <= {record.n_max}"


def check_record(record: Record, *, max_n: int = 10, store=None, **budget) -> CheckResult:
    """Check one record (see :class:`Checker` for the store and budget).

    >>> from cayley.conjectures.catalogue import load_catalogue
    >>> check_record(load_catalogue()["all-transpositions-diameter"], max_n=5).message
    'holds for n = 2..5'
    """
    return Checker(store, **budget).check(record, max_n=max_n)


def check_catalogue(records: Iterable[Record], *, max_n: int = 10, store=None, **budget) -> list[CheckResult]:
    """Check several records, sharing computed results between them.

    >>> from cayley.conjectures.catalogue import load_catalogue
    >>> cat = load_catalogue()
    >>> [c.outcome for c in check_catalogue([cat["coxeter-diameter"], cat["coxeter-order"]], max_n=5)]
    ['pass', 'pass']
    """
    chk = Checker(store, **budget)
    return [chk.check(r, max_n=max_n) for r in records]
