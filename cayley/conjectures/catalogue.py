"""The conjecture catalogue: records shipped as TOML files under ``cayley/conjectures/data``.

One file per topic; each holds ``[[record]]`` tables with these keys:

``id`` (unique, kebab-case), ``title``, ``statement`` (one or two sentences, in words),
``family`` (a name from ``cayley families``, a matrix family such as ``heisenberg``, or
``"*"`` for a claim across families, see ``families``), ``params`` (a table of extra
family parameters), ``start`` (``"identity"`` for the Cayley graph, ``"alternating"``
for 0101..., ``"half"`` for 0^floor(n/2) 1^ceil(n/2), or a string pattern),
``invariant`` (see :data:`INVARIANTS`), ``layer`` (for ``invariant = "layer"``: the
depth, an expression in n), ``relation`` (``"=="`` default, ``"<="``, ``">="``),
``formula`` (an expression in ``n``; for ``growth`` in ``n`` and ``d``; for
``growth_polynomial`` in ``n`` and ``q``; read by :func:`parse_formula` from a whitelist,
never evaluated as code), or ``period`` with ``formula`` a list of
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
    "variable", "inverses",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9\-]*$")


class CatalogueError(InvalidInputError):
    """A catalogue record that does not have the expected form."""


@lru_cache(maxsize=1)
def formula_symbols() -> dict:
    """The sympy symbols catalogue formulas are written in: ``n``, ``d``, ``q``, ``m`` (cached).

    >>> sorted(formula_symbols())
    ['d', 'm', 'n', 'q']
    >>> formula_symbols()["n"].is_integer
    True
    """
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


# -- the formula parser: a whitelist over Python's syntax tree, never eval ---------------------------
MAX_FORMULA_CHARS = 2000  # longest formula text
MAX_FORMULA_DEPTH = 60  # deepest nesting of operations and calls
MAX_LITERAL_DIGITS = 30  # longest integer literal
MAX_NUMBER_BITS = 10_000  # largest number folded while parsing (e.g. 2**100)
MAX_EXPONENT = 1000  # largest numeric exponent (n**1000 still evaluates quickly)
MAX_COMBINATORIAL_ARGUMENT = 1000  # numeric arguments of factorial, binomial, stirling1, ...
MAX_RANGE = 10_000  # longest numeric Product/Sum range
_INDEX_NAMES = ("i", "j", "k")  # Product/Sum indices, bound only inside their Product/Sum


@lru_cache(maxsize=1)
def _calls() -> dict:
    """The functions a formula may call: name -> (least, most arguments, sympy constructor)."""
    import sympy

    rel = {"Eq": sympy.Eq, "Ne": sympy.Ne, "Lt": sympy.Lt, "Le": sympy.Le, "Gt": sympy.Gt, "Ge": sympy.Ge}
    calls = {
        "floor": (1, 1, sympy.floor), "ceiling": (1, 1, sympy.ceiling), "ceil": (1, 1, sympy.ceiling),
        "binomial": (2, 2, sympy.binomial), "factorial": (1, 1, sympy.factorial),
        "factorial2": (1, 1, sympy.factorial2), "stirling1": (2, 2, _functions()["stirling1"]),
        "Mod": (2, 2, sympy.Mod), "Abs": (1, 1, sympy.Abs), "abs": (1, 1, sympy.Abs),
        "Max": (1, 16, sympy.Max), "max": (1, 16, sympy.Max), "Min": (1, 16, sympy.Min), "min": (1, 16, sympy.Min),
        "Piecewise": (1, 16, sympy.Piecewise), "Product": (2, 2, sympy.Product), "Sum": (2, 2, sympy.Sum),
    }
    calls.update({k: (2, 2, f) for k, f in rel.items()})
    return calls


_COMBINATORIAL = ("factorial", "factorial2", "binomial", "stirling1")
_NODE_NAMES = {
    "Attribute": "attribute access", "Subscript": "subscripts", "Lambda": "lambda", "IfExp": "if-else",
    "List": "lists", "Dict": "dicts", "Set": "sets", "ListComp": "comprehensions", "SetComp": "comprehensions",
    "DictComp": "comprehensions", "GeneratorExp": "comprehensions", "JoinedStr": "strings",
    "NamedExpr": "assignments", "Starred": "starred arguments", "BoolOp": "and/or", "Await": "await",
    "Yield": "yield", "YieldFrom": "yield", "Slice": "slices",
}


def _quote(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")


class _FormulaBuilder:
    """Walks the syntax tree of a formula, accepting only the whitelist, and builds the sympy
    expression with sympy's constructors (no text is ever evaluated)."""

    def __init__(self, text: str, where: str):
        import ast

        import sympy

        self.ast, self.sympy = ast, sympy
        self.text, self.where = text, where
        self.symbols = formula_symbols()

    def refuse(self, what: str):
        raise CatalogueError(f"{self.where}: {what} in {_quote(self.text)}")

    def unknown(self, name: str):
        if name in _INDEX_NAMES:
            self.refuse(f"the index {name!r} outside a Product or Sum")
        self.refuse(f"unknown name {name!r} (formulas use {', '.join(self.symbols)} and the functions floor, "
                    "ceiling, binomial, factorial, ...)")

    def number(self, value):
        if isinstance(value, self.sympy.Rational) and max(int(value.p).bit_length(),
                                                           int(value.q).bit_length()) > MAX_NUMBER_BITS:
            self.refuse(f"a number larger than 2**{MAX_NUMBER_BITS}")
        return value

    def build(self, node, scope: tuple, depth: int = 0):
        ast, sympy = self.ast, self.sympy
        if depth > MAX_FORMULA_DEPTH:
            self.refuse(f"nesting deeper than {MAX_FORMULA_DEPTH}")
        kind = type(node).__name__
        if isinstance(node, ast.Expression):
            return self.build(node.body, scope, depth)
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool):
                return sympy.true if v else sympy.false
            if isinstance(v, int):
                if len(str(abs(v))) > MAX_LITERAL_DIGITS:
                    self.refuse(f"an integer literal of more than {MAX_LITERAL_DIGITS} digits")
                return sympy.Integer(v)
            if isinstance(v, (float, complex)):
                self.refuse(f"the number {v!r} (formulas are exact: write a fraction such as 1/2)")
            self.refuse("strings and other constants are not allowed")
        if isinstance(node, ast.Name):
            if node.id in self.symbols:
                return self.symbols[node.id]
            if node.id in scope:
                return sympy.Symbol(node.id)
            if node.id in _calls():
                self.refuse(f"the function {node.id!r} without arguments")
            self.unknown(node.id)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, (ast.USub, ast.UAdd)):
                x = self.build(node.operand, scope, depth + 1)
                return self.number(-x if isinstance(node.op, ast.USub) else x)
            self.refuse(f"the operator {type(node.op).__name__}")
        if isinstance(node, ast.BinOp):
            a = self.build(node.left, scope, depth + 1)
            b = self.build(node.right, scope, depth + 1)
            op = node.op
            if isinstance(op, (ast.Pow, ast.BitXor)):  # ^ is a power, as sympify reads it
                return self.number(self.power(a, b))
            ops = {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b,
                   ast.Div: lambda: a / b, ast.FloorDiv: lambda: sympy.floor(a / b), ast.Mod: lambda: sympy.Mod(a, b)}
            if type(op) not in ops:
                self.refuse(f"the operator {type(op).__name__}")
            return self.number(ops[type(op)]())
        if isinstance(node, ast.Compare):
            if len(node.ops) != 1:
                self.refuse("a chained comparison (use one comparison per condition)")
            rel = {ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne, ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt,
                   ast.GtE: sympy.Ge}.get(type(node.ops[0]))
            if rel is None:
                self.refuse(f"the comparison {type(node.ops[0]).__name__}")
            return rel(self.build(node.left, scope, depth + 1), self.build(node.comparators[0], scope, depth + 1))
        if isinstance(node, ast.Call):
            return self.call(node, scope, depth)
        if isinstance(node, ast.Tuple):
            self.refuse("a tuple outside Piecewise((value, condition), ...) and Product(f, (i, a, b))")
        self.refuse(f"{_NODE_NAMES.get(kind, kind)} not allowed")

    def power(self, a, b):
        if b.is_Number:
            if not b.is_Rational or abs(int(b.p)) > MAX_EXPONENT:
                self.refuse(f"an exponent {b} (numeric exponents are rationals up to {MAX_EXPONENT})")
            if a.is_Rational:
                bits = max(int(a.p).bit_length(), int(a.q).bit_length()) * abs(int(b.p))
                if bits > MAX_NUMBER_BITS:
                    self.refuse(f"a number larger than 2**{MAX_NUMBER_BITS}")
        return a**b

    def call(self, node, scope: tuple, depth: int):
        ast, sympy = self.ast, self.sympy
        func = node.func
        if not isinstance(func, ast.Name):
            self.refuse("a call of something other than a function name")
        name = func.id
        if name not in _calls():
            self.refuse(f"unknown function {name!r} (formulas may call {', '.join(sorted(_calls(), key=str.lower))})")
        least, most, make = _calls()[name]
        if node.keywords:
            self.refuse(f"keyword arguments to {name}")
        if not least <= len(node.args) <= most:
            many = str(least) if least == most else f"{least} to {most}"
            self.refuse(f"{name} with {len(node.args)} arguments (it takes {many})")
        if name == "Piecewise":
            pieces = []
            for arg in node.args:
                if not isinstance(arg, ast.Tuple) or len(arg.elts) != 2:
                    self.refuse("a Piecewise argument that is not a pair (value, condition)")
                pieces.append(tuple(self.build(e, scope, depth + 2) for e in arg.elts))
            return make(*pieces)
        if name in ("Product", "Sum"):
            rng = node.args[1]
            if not isinstance(rng, ast.Tuple) or len(rng.elts) != 3 or not isinstance(rng.elts[0], ast.Name) \
                    or rng.elts[0].id not in _INDEX_NAMES or rng.elts[0].id in scope:
                self.refuse(f"a {name} range that is not (i, a, b) with a new index i, j or k")
            index = sympy.Symbol(rng.elts[0].id)
            lo, hi = (self.build(e, scope, depth + 2) for e in rng.elts[1:])
            if lo.is_Number and hi.is_Number and hi - lo > MAX_RANGE:
                self.refuse(f"a {name} over more than {MAX_RANGE} terms")
            body = self.build(node.args[0], scope + (index.name,), depth + 1)
            return make(body, (index, lo, hi))
        args = [self.build(a, scope, depth + 1) for a in node.args]
        if name in _COMBINATORIAL and any(a.is_Number and abs(a) > MAX_COMBINATORIAL_ARGUMENT for a in args):
            self.refuse(f"{name} of a number above {MAX_COMBINATORIAL_ARGUMENT}")
        return self.number(make(*args))


def parse_formula(text: str, where: str = "formula"):
    """Parse a formula in ``n`` (and ``d``, ``q``, ``m``) into a sympy expression.

    The text is read as a Python expression tree (``ast.parse``) and rebuilt from a
    whitelist; it is never evaluated. Allowed: integer literals, the symbols ``n``, ``m``,
    ``d``, ``q`` (and ``i``, ``j``, ``k`` as indices inside ``Product``/``Sum``),
    ``+ - * / // % **`` (``^`` means ``**``), unary minus, comparisons (for ``Piecewise``
    conditions) and calls of ``floor``, ``ceiling``, ``binomial``, ``factorial``,
    ``factorial2``, ``stirling1`` (unsigned Stirling numbers of the first kind), ``Mod``,
    ``Max``, ``Min``, ``Abs``, ``Piecewise((value, condition), ...)``, ``Product(f, (i, a,
    b))``, ``Sum(f, (i, a, b))`` and ``Eq``/``Ne``/``Lt``/``Le``/``Gt``/``Ge``, with
    bounded sizes (:data:`MAX_FORMULA_CHARS` characters, nesting, literals, exponents).
    Anything else (names, attributes, subscripts, strings, lambdas, keywords, floats) raises
    :class:`CatalogueError` naming the text.

    >>> evaluate("floor(3*n**2/4) - 2*n + 3", 10)
    58
    >>> parse_formula("Product((1 - q**i)/(1 - q), (i, 1, n))")
    Product((1 - q**i)/(1 - q), (i, 1, n))
    >>> parse_formula("n**")
    Traceback (most recent call last):
    ...
    cayley.conjectures.catalogue.CatalogueError: formula: cannot parse 'n**' as a sympy expression in n
    >>> parse_formula("__import__('os').system('true') + n")
    Traceback (most recent call last):
    ...
    cayley.conjectures.catalogue.CatalogueError: formula: unknown name '__import__' (formulas use n, d, q, m and the functions floor, ceiling, binomial, factorial, ...) in "__import__('os').system('true') + n"
    """
    import ast
    import warnings

    import sympy

    if not isinstance(text, str) or not text.strip():
        raise CatalogueError(f"{where}: expected a formula as a string, got {text!r}")
    if len(text) > MAX_FORMULA_CHARS:
        raise CatalogueError(f"{where}: a formula of {len(text)} characters (at most {MAX_FORMULA_CHARS})")
    flat = " ".join(text.split())
    try:
        with warnings.catch_warnings():  # e.g. "invalid decimal literal" for 2if
            warnings.simplefilter("ignore")
            tree = ast.parse(flat, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError):
        raise CatalogueError(f"{where}: cannot parse {_quote(text)} as a sympy expression in n") from None
    builder = _FormulaBuilder(text, where)
    for node in ast.walk(tree):  # name the foreign names first (__import__, eval, x, ...)
        if isinstance(node, ast.Name) and node.id not in builder.symbols and node.id not in _INDEX_NAMES \
                and node.id not in _calls():
            builder.unknown(node.id)
    try:
        expr = builder.build(tree, ())
    except CatalogueError:
        raise
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError, NotImplementedError) as exc:
        msg = " ".join(str(exc).split())[:120]
        raise CatalogueError(f"{where}: cannot build {_quote(text)} ({type(exc).__name__}: {msg})") from None
    if not isinstance(expr, sympy.Expr):
        raise CatalogueError(f"{where}: {_quote(text)} is a condition, not a value")
    return expr


def evaluate(text: str, n: int, **others):
    """The value of formula ``text`` at ``n`` (and ``d``/``m``/``q`` given by name): an int
    when integral, else a :class:`fractions.Fraction`.

    >>> evaluate("n*(n - 1)/2", 10), evaluate("n**2/2 + 4*n", 3), evaluate("stirling1(n, n - d)", 5, d=2)
    (45, Fraction(33, 2), 35)
    """
    syms = formula_symbols()
    unknown = sorted(set(others) - set(syms))
    if unknown:
        raise InvalidInputError(f"evaluate: unknown variable {unknown[0]!r}; formulas use {', '.join(syms)}")
    sub = {syms["n"]: n, **{syms[k]: v for k, v in others.items()}}
    where = f"formula {_quote(text)} at n={n}"
    return _rational_value(_substitute(parse_formula(text), sub, where), where)


def _substitute(expr, sub: dict, where: str):
    """``expr.subs(sub)``, rebuilt from the leaves up with the parser's size guards, so that
    a formula such as ``factorial(factorial(factorial(n)))`` is refused at n = 6 with a
    :class:`CatalogueError` instead of computing for hours."""
    import sympy

    values = {}
    for k, v in sub.items():  # numbers only: never text that sympy would parse
        if isinstance(v, sympy.Rational):
            values[k] = v
        elif isinstance(v, int) and not isinstance(v, bool):
            values[k] = sympy.Integer(v)
        else:
            raise InvalidInputError(f"{where}: {k} must be an integer, got {v!r}")

    def walk(e):
        if e in values:
            return values[e]
        if not e.args:
            return e
        args = [walk(a) for a in e.args]
        name = getattr(e.func, "__name__", "")
        if name in _COMBINATORIAL and any(a.is_Number and abs(a) > MAX_COMBINATORIAL_ARGUMENT for a in args):
            raise CatalogueError(f"{where}: {name} of a number above {MAX_COMBINATORIAL_ARGUMENT}")
        if e.is_Pow and args[0].is_Rational and args[1].is_Rational:
            p = abs(int(args[1].p))
            if p > MAX_EXPONENT or max(int(args[0].p).bit_length(), int(args[0].q).bit_length()) * p > MAX_NUMBER_BITS:
                raise CatalogueError(f"{where}: a power {args[0]}**{args[1]} larger than 2**{MAX_NUMBER_BITS}")
        if name in ("Product", "Sum") and len(args) == 2:
            lo, hi = args[1].args[1:] if len(args[1].args) == 3 else (None, None)
            if lo is not None and lo.is_Number and hi.is_Number and hi - lo > MAX_RANGE:
                raise CatalogueError(f"{where}: a {name} over more than {MAX_RANGE} terms")
        out = e.func(*args)
        if out.is_Rational and max(int(out.p).bit_length(), int(out.q).bit_length()) > 4 * MAX_NUMBER_BITS:
            raise CatalogueError(f"{where}: a number larger than 2**{4 * MAX_NUMBER_BITS}")
        return out

    try:
        return walk(expr)
    except CatalogueError:
        raise
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError, NotImplementedError) as exc:
        raise CatalogueError(f"{where}: cannot evaluate ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})") from None


def _done(expr, where: str):
    """``nsimplify(expr.doit())``: Products and Sums carried out, as an exact number."""
    import sympy

    try:
        return sympy.nsimplify(expr.doit())
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError, NotImplementedError) as exc:
        raise CatalogueError(f"{where}: cannot evaluate ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})") from None


def _int_value(expr, where: str) -> int:
    value = _done(expr, where) if not expr.is_Integer else expr
    if not value.is_Integer:
        raise CatalogueError(f"{where} evaluates to {value}, not an integer")
    return int(value)


def _rational_value(expr, where: str):
    from fractions import Fraction

    value = _done(expr, where)
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
    inverses: bool = False  # add the missing inverses: the undirected graph of a directed family

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

        syms = formula_symbols()
        if self.values is not None:
            return int(self.values[n])
        text = self.formula[n % self.period] if self.period else self.formula
        expr = parse_formula(text, f"record {self.id}: formula")
        sub = {syms[self.variable]: n}
        if self.invariant == "growth":
            if d is None:
                raise InvalidInputError(f"record {self.id}: a growth formula needs the distance d")
            sub[syms["d"]] = d
        at = f"record {self.id}: formula at {self.variable}={n}" + (f", d={d}" if d is not None else "")
        value = _substitute(expr, sub, at)
        if self.invariant == "growth_polynomial":
            where = f"record {self.id}: formula at {self.variable}={n}"
            try:
                poly = sympy.Poly(sympy.cancel(value.doit()), syms["q"])
                coeffs = list(reversed(poly.all_coeffs()))
            except (sympy.polys.polyerrors.BasePolynomialError, TypeError, ValueError):
                raise CatalogueError(f"{where} is not a polynomial in q") from None
            if not all(c.is_Integer for c in coeffs):
                raise CatalogueError(f"{where} is not a polynomial in q with integer coefficients")
            return [int(c) for c in coeffs]
        where = f"record {self.id}: formula at {self.variable}={n}" + (f", d={d}" if d is not None else "")
        if self.relation != "==":  # a bound may be any rational number
            return _rational_value(value, where)
        return _int_value(value, where)

    def layer_index(self, n: int) -> int:
        """The depth named by ``layer`` at degree ``n``."""
        where = f"record {self.id}: layer at n={n}"
        return _int_value(_substitute(parse_formula(str(self.layer), f"record {self.id}: layer"),
                                      {formula_symbols()["n"]: n}, where), where)

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        d = {k: getattr(self, k) for k in (
            "id", "title", "statement", "topic", "family", "params", "start", "invariant", "layer", "relation",
            "formula", "period", "n_min", "n_max", "source", "status", "counterexample", "evidence", "families",
            "group", "variable", "inverses")}
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
    for name in ("title", "statement", "family", "source", "status", "evidence", "start", "families", "group",
                 "variable", "relation", "invariant"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise CatalogueError(f"{where}: {name} must be a string, got {_short_repr(data[name])}")
    invariant = data.get("invariant")
    if invariant not in INVARIANTS:
        raise CatalogueError(f"{where}: invariant {invariant!r} is not one of {', '.join(INVARIANTS)}")
    status = data["status"]
    if status not in STATUSES:
        raise CatalogueError(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}")
    relation = data.get("relation", "==")
    if relation not in RELATIONS:
        raise CatalogueError(f"{where}: relation {relation!r} is not one of {', '.join(RELATIONS)}")
    group = data.get("group", "permutation")  # another kind of group is "unsupported" by the checker
    formula, period, values = data.get("formula"), data.get("period"), data.get("values")
    if (formula is None) == (values is None):
        raise CatalogueError(f"{where}: give exactly one of formula and values")
    if values is not None:
        values = _values_table(values, where)
    if period is not None:
        if not _is_int(period) or not 1 <= period <= 12:
            raise CatalogueError(f"{where}: period must be an integer 1..12, got {_short_repr(period)}")
        if not isinstance(formula, list) or len(formula) != period:
            raise CatalogueError(f"{where}: a period-{period} formula is a list of {period} expressions (n mod {period} = 0, 1, ...)")
        for i, f in enumerate(formula):
            parse_formula(f, f"{where}: formula[{i}]")
    elif formula is not None:
        if not isinstance(formula, str):
            raise CatalogueError(f"{where}: formula must be a string (or a list with period), got {_short_repr(formula)}")
        parse_formula(formula, f"{where}: formula")
    layer = data.get("layer")
    if layer is not None:
        if isinstance(layer, bool) or not isinstance(layer, (str, int)):
            raise CatalogueError(f"{where}: layer must be a depth (an expression in n), got {_short_repr(layer)}")
        layer = str(layer)
        parse_formula(layer, f"{where}: layer")
    if invariant == "layer" and layer is None:
        raise CatalogueError(f"{where}: invariant 'layer' needs the field layer (a depth, an expression in n)")
    counterexample = data.get("counterexample")
    if counterexample is not None and (not _is_int(counterexample) or counterexample < 1):
        raise CatalogueError(f"{where}: counterexample must be a positive integer, got {_short_repr(counterexample)}")
    if status == "refuted" and counterexample is None:
        raise CatalogueError(f"{where}: a refuted record names its counterexample (the n where the claim fails)")
    n_min = data.get("n_min", min(values) if values else 1)
    n_max = data.get("n_max")
    for name, v in (("n_min", n_min), ("n_max", n_max)):
        if v is not None and (not _is_int(v) or v < 1):
            raise CatalogueError(f"{where}: {name} must be a positive integer, got {_short_repr(v)}")
    if n_max is not None and n_max < n_min:
        raise CatalogueError(f"{where}: n_max {n_max} is below n_min {n_min}")
    variable = data.get("variable", "n")
    if variable not in ("n", "m"):
        raise CatalogueError(f"{where}: variable must be n (the degree) or m (a modulus), got {variable!r}")
    family = data["family"]
    if family == "*" and data.get("families") != "undirected":
        raise CatalogueError(f"{where}: family '*' needs families = \"undirected\"")
    params = data.get("params", {})
    if not isinstance(params, dict):
        raise CatalogueError(f"{where}: params must be a table, got {_short_repr(params)}")
    for k, v in params.items():
        if not isinstance(k, str) or not k.isidentifier() or not isinstance(v, (int, str)):
            raise CatalogueError(f"{where}: params must map names to integers or strings, got {k} = {_short_repr(v)}")
    inverses = data.get("inverses", False)
    if not isinstance(inverses, bool):
        raise CatalogueError(f"{where}: inverses must be true or false, got {_short_repr(inverses)}")
    start = data.get("start", "identity")
    start_state(start, len(start) if start.isdigit() else 4)  # refuses unknown names
    return Record(
        id=rid, title=data["title"], statement=" ".join(data["statement"].split()), family=family,
        invariant=invariant, source=data["source"], status=status, topic=topic, params=dict(params), start=start,
        layer=layer, relation=relation, formula=formula, period=period, values=values, n_min=n_min, n_max=n_max,
        counterexample=counterexample, evidence=" ".join(data.get("evidence", "").split()),
        families=data.get("families"), group=group, variable=variable, inverses=inverses,
    )


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _short_repr(v) -> str:
    text = " ".join(repr(v).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _values_table(values, where: str) -> dict:
    """``values`` from a file: a non-empty table of positive n (keys, as TOML writes them,
    are strings) to integers."""
    bad = CatalogueError(f"{where}: values must be a table n = integer (n >= 1), got {_short_repr(values)}")
    if not isinstance(values, dict) or not values:
        raise bad
    out = {}
    for k, v in values.items():
        key = k if _is_int(k) else (int(k) if isinstance(k, str) and k.strip().isdigit() and len(k) < 19 else None)
        if key is None or key < 1 or not _is_int(v):
            raise bad
        out[key] = v
    return out


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
        raise CatalogueError(f"catalogue file {name}: {' '.join(str(exc).split())}") from None
    except (RecursionError, MemoryError, ValueError):  # e.g. arrays nested thousands deep
        raise CatalogueError(f"catalogue file {name}: not a TOML file cayley can read (nested too deeply?)") from None
    topic = name[: -len(".toml")] if name.endswith(".toml") else name
    tables = doc.get("record", [])
    if not isinstance(tables, list):
        raise CatalogueError(f"catalogue file {name}: expected [[record]] tables")
    records = []
    for t in tables:
        try:
            records.append(parse_record(t, topic))
        except CatalogueError as exc:
            raise CatalogueError(f"catalogue file {name}: {exc}") from None
    return records


def load_catalogue(*extra_files) -> dict[str, Record]:
    """The built-in catalogue plus records from ``extra_files`` (TOML paths), by id.

    >>> cat = load_catalogue()
    >>> list(dict.fromkeys(r.topic for r in cat.values()))
    ['permutations', 'lrx', 'strings', 'bounds', 'matrix', 'extended']
    """
    from pathlib import Path

    records = list(_load_builtin())
    for path in extra_files:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise CatalogueError(f"cannot read catalogue file {str(p)!r}: {exc.strerror}") from None
        except UnicodeDecodeError as exc:
            raise CatalogueError(f"catalogue file {p.name}: not UTF-8 text (byte {exc.start})") from None
        records.extend(_parse_file(text, p.name))
    out: dict[str, Record] = {}
    for r in records:
        if r.id in out:
            raise CatalogueError(f"record id {r.id!r} appears twice (topics {out[r.id].topic} and {r.topic})")
        out[r.id] = r
    return out
