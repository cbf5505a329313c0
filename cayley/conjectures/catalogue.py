"""The conjecture catalogue: records shipped as TOML files under ``cayley/conjectures/data``.

One file per topic; each holds ``[[record]]`` tables with these keys:

``id`` (unique, kebab-case), ``title``, ``statement`` (one or two sentences, in words),
``family`` (a name from ``cayley families``, a matrix family such as ``heisenberg``, or
``"*"`` for a claim across families, see ``families``), ``params`` (a table of extra
family parameters), ``start`` (``"identity"`` for the Cayley graph, ``"alternating"``
for 0101..., ``"half"`` for 0^floor(n/2) 1^ceil(n/2), or a string pattern),
``invariant`` (see :data:`INVARIANTS`), ``layer`` (for ``invariant = "layer"``: the
depth, an expression in n), ``relation`` (``"=="`` default, ``"<="``, ``">="``),
``formula`` (a sympy expression in ``n``; for ``growth`` in ``n`` and ``d``; for
``growth_polynomial`` in ``n`` and ``q``), or ``period`` with ``formula`` a list of
``period`` expressions chosen by ``n mod period``, or ``values`` (a table ``n = value``,
e.g. an OEIS sequence), ``n_min`` / ``n_max`` (the range where the claim is made;
``n_max`` absent means all larger n), ``source``, ``status`` (``theorem``,
``conjecture``, ``refuted``, ``open``), ``counterexample`` (a refuted record: the n where
the claim fails), ``evidence`` (what has been checked, in words), ``families`` (for
``family = "*"``: ``"undirected"`` means every undirected permutation family of the
registry whose generators generate S_n), ``group`` (``"matrix"`` for matrix groups) and
``variable`` (``"n"``, the degree, by default; ``"m"`` for a modulus: then ``n_min`` and
``n_max`` bound m, ``params`` fixes n, and formulas are in ``m``).

>>> cat = load_catalogue()
>>> len(cat) >= 30
True
>>> r = cat["coxeter-diameter"]
>>> r.family, r.invariant, r.expected(10)
('coxeter', 'diameter', 45)
>>> cat["cyclic-coxeter-diameter"].formula_text()
'floor(n**2/4)'
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

from ..errors import InvalidInputError

__all__ = [
    "Record",
    "load_catalogue",
    "parse_record",
    "parse_formula",
    "evaluate",
    "INVARIANTS",
    "STATUSES",
    "CatalogueError",
    "start_state",
]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 ships no tomllib
    import tomli as tomllib

INVARIANTS = {
    "diameter": "largest distance from the start (the diameter of a Cayley graph)",
    "order": "number of vertices (the group order, or the orbit size of a Schreier graph); the growth sum",
    "last_layer_size": "number of states at the largest distance (antipodes)",
    "layer": "number of states at distance `layer` (an expression in n)",
    "growth": "the whole growth function: formula in n and d gives the layer size at distance d",
    "growth_polynomial": "the growth function as the coefficients of a polynomial in q (formula in n and q)",
}
STATUSES = ("theorem", "conjecture", "refuted", "open")
RELATIONS = ("==", "<=", ">=")
_FIELDS = {
    "id", "title", "statement", "family", "params", "start", "invariant", "layer", "relation", "formula",
    "period", "values", "n_min", "n_max", "source", "status", "counterexample", "evidence", "families", "group",
    "variable",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9\-]*$")


class CatalogueError(InvalidInputError):
    """A catalogue record that does not have the expected form."""


@lru_cache(maxsize=1)
def _symbols():
    import sympy

    return {
        "n": sympy.Symbol("n", integer=True, positive=True),
        "d": sympy.Symbol("d", integer=True, nonnegative=True),
        "q": sympy.Symbol("q"),
        "m": sympy.Symbol("m", integer=True, positive=True),
    }


@lru_cache(maxsize=1)
def _functions():
    import sympy
    from sympy.functions.combinatorial.numbers import stirling

    class stirling1(sympy.Function):  # noqa: N801 - the name formulas use
        """Unsigned Stirling number of the first kind c(n, k); unevaluated until both
        arguments are integers (sympy's ``stirling`` refuses symbols)."""

        @classmethod
        def eval(cls, n, k):
            if n.is_Integer and k.is_Integer:
                return sympy.Integer(stirling(int(n), int(k), kind=1, signed=False)) if k >= 0 else sympy.Integer(0)
            return None

    return {"stirling1": stirling1}


def parse_formula(text: str, where: str = "formula"):
    """Parse a sympy expression in ``n`` (and ``d``, ``q``); ``floor``, ``ceiling``,
    ``binomial``, ``factorial``, ``factorial2``, ``Mod``, ``Piecewise``, ``Product``, ... are
    sympy's; ``stirling1(n, k)`` is the unsigned Stirling number of the first kind. Raises :class:`CatalogueError` naming the text when it does not parse.

    >>> evaluate("floor(3*n**2/4) - 2*n + 3", 10)
    58
    >>> parse_formula("n**")
    Traceback (most recent call last):
    ...
    cayley.conjectures.catalogue.CatalogueError: formula: cannot parse 'n**' as a sympy expression in n
    """
    import sympy

    if not isinstance(text, str) or not text.strip():
        raise CatalogueError(f"{where}: expected a sympy expression as a string, got {text!r}")
    syms = _symbols()
    local = {**syms, **_functions()}
    try:
        expr = sympy.sympify(text, locals=local)
    except (sympy.SympifyError, SyntaxError, TypeError, ValueError, AttributeError):
        raise CatalogueError(f"{where}: cannot parse {text!r} as a sympy expression in n") from None
    # a formula written with plain symbols 'n' still means our integer n
    plain = {sympy.Symbol(k): v for k, v in syms.items()}
    return expr.xreplace(plain)


def evaluate(text: str, n: int, **others):
    """The value of formula ``text`` at ``n`` (and ``d``/``m``/``q`` given by name): an int
    when integral, else a :class:`fractions.Fraction`.

    >>> evaluate("n*(n - 1)/2", 10), evaluate("n**2/2 + 4*n", 3), evaluate("stirling1(n, n - d)", 5, d=2)
    (45, Fraction(33, 2), 35)
    """
    syms = _symbols()
    sub = {syms["n"]: n, **{syms[k]: v for k, v in others.items()}}
    return _rational_value(parse_formula(text).subs(sub), f"formula {text!r} at n={n}")


def _int_value(expr, where: str) -> int:
    import sympy

    value = sympy.nsimplify(expr.doit()) if not expr.is_Integer else expr
    if not value.is_Integer:
        raise CatalogueError(f"{where} evaluates to {value}, not an integer")
    return int(value)


def _rational_value(expr, where: str):
    from fractions import Fraction

    import sympy

    value = sympy.nsimplify(expr.doit())
    if not value.is_Rational:
        raise CatalogueError(f"{where} evaluates to {value}, not a rational number")
    f = Fraction(int(value.p), int(value.q))
    return int(f) if f.denominator == 1 else f


def start_state(pattern: str, n: int) -> Optional[str]:
    """The start state named by ``pattern`` at degree ``n`` (None for the identity).

    >>> start_state("identity", 5), start_state("alternating", 5), start_state("half", 5)
    (None, '01010', '00111')
    >>> start_state("0011", 4)
    '0011'
    """
    if pattern in ("identity", "", None):
        return None
    if pattern == "alternating":
        return ("01" * n)[:n]
    if pattern == "half":
        return "0" * (n // 2) + "1" * (n - n // 2)
    if re.fullmatch(r"[0-9]+", pattern):
        if len(pattern) != n:
            raise CatalogueError(f"start {pattern!r} has length {len(pattern)}, not the degree {n}")
        return pattern
    raise CatalogueError(f"unknown start {pattern!r}: expected identity, alternating, half or a string like 0011")


@dataclass(frozen=True)
class Record:
    """One catalogue record (see the module docstring for the fields).

    >>> r = load_catalogue()["stars-antipodes"]
    >>> r.formula_text(), r.claims(1), r.claims(10), r.expected(10)
    ('[factorial2(n + 1)/3, factorial2(n - 2)] by n mod 2', False, True, 3465)
    >>> load_catalogue()["lrx-first-layers"].layer_index(7)
    2
    """

    id: str
    title: str
    statement: str
    family: str
    invariant: str
    source: str
    status: str
    topic: str = ""
    params: dict = field(default_factory=dict)
    start: str = "identity"
    layer: Optional[str] = None
    relation: str = "=="
    formula: Any = None  # a string, or a list of strings (one per residue n mod period)
    period: Optional[int] = None
    values: Optional[dict] = None  # {n: value}
    n_min: int = 1
    n_max: Optional[int] = None
    counterexample: Optional[int] = None
    evidence: str = ""
    families: Optional[str] = None
    group: str = "permutation"
    variable: str = "n"

    # -- formulas --------------------------------------------------------------------
    def formula_text(self) -> str:
        """The formula as written (piecewise records as ``[e0, e1, ...] by n mod s``)."""
        if self.values is not None:
            terms = ", ".join(f"{k}: {v}" for k, v in sorted(self.values.items()))
            return f"values {{{terms}}}"
        if self.period:
            return "[" + ", ".join(self.formula) + f"] by n mod {self.period}"
        return str(self.formula)

    def claims(self, n: int) -> bool:
        """Whether the record makes a claim at degree ``n`` (its range, its table)."""
        if n < self.n_min or (self.n_max is not None and n > self.n_max):
            return False
        return self.values is None or n in self.values

    def expected(self, n: int, d: Optional[int] = None):
        """The value the formula gives at ``n`` (an int), or for ``growth`` at distance
        ``d``; for ``growth_polynomial`` the list of coefficients of q^0, q^1, ...."""
        import sympy

        syms = _symbols()
        if self.values is not None:
            return int(self.values[n])
        text = self.formula[n % self.period] if self.period else self.formula
        expr = parse_formula(text, f"record {self.id}: formula")
        sub = {syms[self.variable]: n}
        if self.invariant == "growth":
            if d is None:
                raise InvalidInputError(f"record {self.id}: a growth formula needs the distance d")
            sub[syms["d"]] = d
        value = expr.subs(sub)
        if self.invariant == "growth_polynomial":
            poly = sympy.Poly(sympy.cancel(value.doit()), syms["q"])
            return [int(c) for c in reversed(poly.all_coeffs())]
        where = f"record {self.id}: formula at {self.variable}={n}" + (f", d={d}" if d is not None else "")
        if self.relation != "==":  # a bound may be any rational number
            return _rational_value(value, where)
        return _int_value(value, where)

    def layer_index(self, n: int) -> int:
        """The depth named by ``layer`` at degree ``n``."""
        return _int_value(parse_formula(str(self.layer), f"record {self.id}: layer").subs(_symbols()["n"], n),
                          f"record {self.id}: layer at n={n}")

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        d = {k: getattr(self, k) for k in (
            "id", "title", "statement", "topic", "family", "params", "start", "invariant", "layer", "relation",
            "formula", "period", "n_min", "n_max", "source", "status", "counterexample", "evidence", "families",
            "group", "variable")}
        d["values"] = None if self.values is None else {str(k): v for k, v in sorted(self.values.items())}
        return d


def parse_record(data: dict, topic: str = "") -> Record:
    """Validate one record table (as read from TOML) and build a :class:`Record`.

    >>> r = parse_record({"id": "x", "title": "t", "statement": "s", "family": "coxeter",
    ...                   "invariant": "diameter", "formula": "n*(n-1)/2", "source": "folklore",
    ...                   "status": "theorem", "n_min": 2})
    >>> r.expected(5)
    10
    >>> parse_record({"id": "x", "invariant": "radius"})
    Traceback (most recent call last):
    ...
    cayley.conjectures.catalogue.CatalogueError: record 'x': missing title, statement, family, source, status
    """
    if not isinstance(data, dict):
        raise CatalogueError(f"a record must be a table, got {data!r}")
    rid = data.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise CatalogueError(f"record id must be lower-case kebab-case, got {rid!r}")
    where = f"record {rid!r}"
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise CatalogueError(f"{where}: unknown field {unknown[0]!r}; fields: {', '.join(sorted(_FIELDS))}")
    missing = [k for k in ("title", "statement", "family", "source", "status") if not data.get(k)]
    if missing:
        raise CatalogueError(f"{where}: missing {', '.join(missing)}")
    invariant = data.get("invariant")
    if invariant not in INVARIANTS:
        raise CatalogueError(f"{where}: invariant {invariant!r} is not one of {', '.join(INVARIANTS)}")
    status = data["status"]
    if status not in STATUSES:
        raise CatalogueError(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}")
    relation = data.get("relation", "==")
    if relation not in RELATIONS:
        raise CatalogueError(f"{where}: relation {relation!r} is not one of {', '.join(RELATIONS)}")
    formula, period, values = data.get("formula"), data.get("period"), data.get("values")
    if (formula is None) == (values is None):
        raise CatalogueError(f"{where}: give exactly one of formula and values")
    if values is not None:
        try:
            values = {int(k): int(v) for k, v in values.items()}
        except (AttributeError, TypeError, ValueError):
            raise CatalogueError(f"{where}: values must be a table n = integer, got {values!r}") from None
    if period is not None:
        if not isinstance(period, int) or not 1 <= period <= 12:
            raise CatalogueError(f"{where}: period must be an integer 1..12, got {period!r}")
        if not isinstance(formula, list) or len(formula) != period:
            raise CatalogueError(f"{where}: a period-{period} formula is a list of {period} expressions (n mod {period} = 0, 1, ...)")
        for i, f in enumerate(formula):
            parse_formula(f, f"{where}: formula[{i}]")
    elif formula is not None:
        if not isinstance(formula, str):
            raise CatalogueError(f"{where}: formula must be a string (or a list with period), got {formula!r}")
        parse_formula(formula, f"{where}: formula")
    if invariant == "layer" and data.get("layer") is None:
        raise CatalogueError(f"{where}: invariant 'layer' needs the field layer (a depth, an expression in n)")
    if status == "refuted" and data.get("counterexample") is None:
        raise CatalogueError(f"{where}: a refuted record names its counterexample (the n where the claim fails)")
    n_min = data.get("n_min", min(values) if values else 1)
    n_max = data.get("n_max")
    for name, v in (("n_min", n_min), ("n_max", n_max)):
        if v is not None and (not isinstance(v, int) or v < 1):
            raise CatalogueError(f"{where}: {name} must be a positive integer, got {v!r}")
    variable = data.get("variable", "n")
    if variable not in ("n", "m"):
        raise CatalogueError(f"{where}: variable must be n (the degree) or m (a modulus), got {variable!r}")
    family = data["family"]
    if family == "*" and data.get("families") != "undirected":
        raise CatalogueError(f"{where}: family '*' needs families = \"undirected\"")
    params = data.get("params", {})
    if not isinstance(params, dict):
        raise CatalogueError(f"{where}: params must be a table, got {params!r}")
    start = data.get("start", "identity")
    if not isinstance(start, str):
        raise CatalogueError(f"{where}: start must be a string, got {start!r}")
    start_state(start, len(start) if start.isdigit() else 4)  # refuses unknown names
    return Record(
        id=rid, title=data["title"], statement=" ".join(str(data["statement"]).split()), family=family,
        invariant=invariant, source=data["source"], status=status, topic=topic, params=dict(params), start=start,
        layer=None if data.get("layer") is None else str(data["layer"]), relation=relation, formula=formula,
        period=period, values=values, n_min=n_min, n_max=n_max, counterexample=data.get("counterexample"),
        evidence=" ".join(str(data.get("evidence", "")).split()), families=data.get("families"),
        group=data.get("group", "permutation"), variable=variable,
    )


# the order topics are listed in; files not named here follow alphabetically
_TOPIC_ORDER = ("permutations", "lrx", "strings", "bounds", "matrix")


def _topic_key(f):
    stem = f.name[: -len(".toml")]
    return (_TOPIC_ORDER.index(stem) if stem in _TOPIC_ORDER else len(_TOPIC_ORDER), stem)


def _data_folder():
    return resources.files("cayley.conjectures") / "data"


@lru_cache(maxsize=1)
def _load_builtin() -> tuple[Record, ...]:
    records = []
    files = sorted((f for f in _data_folder().iterdir() if f.name.endswith(".toml")), key=_topic_key)
    for f in files:
        records.extend(_parse_file(f.read_text(encoding="utf-8"), f.name))
    return tuple(records)


def _parse_file(text: str, name: str) -> list[Record]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"catalogue file {name}: {exc}") from None
    topic = name[: -len(".toml")] if name.endswith(".toml") else name
    tables = doc.get("record", [])
    if not isinstance(tables, list):
        raise CatalogueError(f"catalogue file {name}: expected [[record]] tables")
    return [parse_record(t, topic) for t in tables]


def load_catalogue(*extra_files) -> dict[str, Record]:
    """The built-in catalogue plus records from ``extra_files`` (TOML paths), by id.

    >>> cat = load_catalogue()
    >>> list(dict.fromkeys(r.topic for r in cat.values()))
    ['permutations', 'lrx', 'strings', 'bounds', 'matrix']
    """
    from pathlib import Path

    records = list(_load_builtin())
    for path in extra_files:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise CatalogueError(f"cannot read catalogue file {str(p)!r}: {exc.strerror}") from None
        records.extend(_parse_file(text, p.name))
    out: dict[str, Record] = {}
    for r in records:
        if r.id in out:
            raise CatalogueError(f"record id {r.id!r} appears twice (topics {out[r.id].topic} and {r.topic})")
        out[r.id] = r
    return out
