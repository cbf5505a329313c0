"""Discover formulas: fit quasi-polynomials to computed invariants by exact interpolation.

A quasi-polynomial of period s is a polynomial chosen by ``n mod s``. :func:`fit_quasi_polynomial`
tries periods s = 1..6 and degrees 0..3 in that order (simplest first). For each residue
class it interpolates the first ``degree + 1`` points exactly (rational arithmetic) and
keeps the candidate only if every later point of every class agrees; at least
``holdout`` such held-out points per class are required, so no formula is reported that
the data do not test. Leading points may be dropped (``max_skip``) when small n are
exceptions; the fit then reports the n where it starts.

A period-s fit is also offered in closed form when ``floor`` or ``ceiling`` of one of
its polynomials reproduces every point (``floor(n**2/4)`` for the cyclic bubble sort).

>>> fit = fit_quasi_polynomial({n: n * n // 4 for n in range(3, 15)})
>>> fit.period, fit.degree, fit.formula
(2, 2, 'floor(n**2/4)')
>>> fit.cases_text()
[(0, 'n**2/4'), (1, 'n**2/4 - 1/4')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Optional, Sequence

from ..errors import InvalidInputError
from .catalogue import formula_symbols, load_catalogue, parse_formula, start_state
from .check import BeyondBudget, Checker, ns_text

__all__ = ["QuasiPolynomial", "fit_quasi_polynomial", "collect_values", "discover", "Discovery", "toml_record"]

MAX_PERIOD = 6
MAX_DEGREE = 3


def _interpolate(xs: Sequence[int], ys: Sequence[int]) -> list[Fraction]:
    """Coefficients c[0..k] (of n^0..n^k) of the polynomial through the points, exactly."""
    k = len(xs)
    coeffs = [Fraction(0)] * k
    for i in range(k):
        # Lagrange basis polynomial for xs[i], expanded
        basis = [Fraction(1)]
        denom = Fraction(1)
        for j in range(k):
            if j == i:
                continue
            basis = [Fraction(0)] + basis  # multiply by n
            for t in range(len(basis) - 1):
                basis[t] -= xs[j] * basis[t + 1]
            denom *= xs[i] - xs[j]
        for t in range(k):
            coeffs[t] += Fraction(ys[i]) * basis[t] / denom
    return coeffs


def _eval(coeffs: Sequence[Fraction], n: int) -> Fraction:
    v = Fraction(0)
    for c in reversed(coeffs):
        v = v * n + c
    return v


def _trim(coeffs: list[Fraction]) -> list[Fraction]:
    while len(coeffs) > 1 and coeffs[-1] == 0:
        coeffs = coeffs[:-1]
    return coeffs


def _poly_text(coeffs: Sequence[Fraction]) -> str:
    """``c_k n^k + ... + c_0`` in descending degree, sympy-parsable: ``3*n**2/4 - 2*n + 3``."""
    import sympy

    n = formula_symbols()["n"]
    terms = []
    for k in range(len(coeffs) - 1, -1, -1):
        c = coeffs[k]
        if c == 0:
            continue
        t = str(sympy.Rational(abs(c.numerator), c.denominator) * n**k)
        if not terms:
            terms.append(("-" if c < 0 else "") + t)
        else:
            terms.append(("- " if c < 0 else "+ ") + t)
    return " ".join(terms) if terms else "0"


@dataclass(frozen=True)
class QuasiPolynomial:
    """A polynomial in n chosen by ``n mod period``: ``cases[r]`` holds the coefficients
    (of n^0, n^1, ...) used when ``n % period == r``. ``fitted`` and ``held_out`` are the
    n used to interpolate and the n that confirmed the fit; ``n_min`` is where it starts.

    >>> q = QuasiPolynomial(1, ((Fraction(0), Fraction(-1, 2), Fraction(1, 2)),), n_min=2)
    >>> q(10), q.formula, q.degree
    (45, 'n*(n - 1)/2', 2)
    """

    period: int
    cases: tuple[tuple[Fraction, ...], ...]
    n_min: int = 1
    fitted: tuple[int, ...] = ()
    held_out: tuple[int, ...] = ()

    def __call__(self, n: int):
        v = _eval(self.cases[n % self.period], n)
        return int(v) if v.denominator == 1 else v

    @property
    def degree(self) -> int:
        return max(len(_trim(list(c))) - 1 for c in self.cases)

    def expr(self, r: int):
        """The sympy polynomial of residue class ``r``."""
        import sympy

        n = formula_symbols()["n"]
        return sum((sympy.Rational(c.numerator, c.denominator) * n**i for i, c in enumerate(self.cases[r])),
                   sympy.Integer(0))

    def cases_text(self) -> list[tuple[int, str]]:
        """``(residue, expression)`` pairs, sympy-parsable."""
        return [(r, str(self.expr(r))) for r in range(self.period)]

    def piecewise(self):
        """The quasi-polynomial as a sympy ``Piecewise`` on ``Mod(n, period)``."""
        import sympy

        n = formula_symbols()["n"]
        if self.period == 1:
            return self.expr(0)
        pieces = [(self.expr(r), sympy.Eq(sympy.Mod(n, self.period), r)) for r in range(self.period - 1)]
        return sympy.Piecewise(*pieces, (self.expr(self.period - 1), True))

    @property
    def closed_form(self) -> Optional[str]:
        """A single expression equal to the quasi-polynomial on every fitted and held-out
        point: the factored polynomial (period 1), or floor/ceiling of one of its
        polynomials (None if neither works)."""
        import sympy

        if self.period == 1:
            return str(sympy.factor(self.expr(0)))
        n = formula_symbols()["n"]
        points = sorted(set(self.fitted) | set(self.held_out))
        for r in range(self.period):
            coeffs = self.cases[r]
            # floor(f + g) = floor(f) + g when g has integer coefficients
            frac = [c if c.denominator != 1 else Fraction(0) for c in coeffs]
            whole = [c if c.denominator == 1 else Fraction(0) for c in coeffs]
            for rounding in ("floor", "ceiling"):
                text = f"{rounding}({_poly_text(frac)})"
                rest = _poly_text(whole)
                if rest != "0":
                    text += f" - {rest[1:]}" if rest.startswith("-") else f" + {rest}"
                cand = parse_formula(text)
                if all(cand.subs(n, x) == self(x) for x in points):
                    return text
        return None

    @property
    def formula(self) -> str:
        """A sympy-parsable string: the closed form when there is one, else the Piecewise."""
        return self.closed_form or str(self.piecewise())

    def toml_formula(self) -> str:
        """The formula as TOML catalogue fields (``formula = ...`` and maybe ``period``)."""
        cf = self.closed_form
        if cf is not None:
            return f'formula = "{cf}"'
        items = ", ".join(f'"{self.expr(r)}"' for r in range(self.period))
        return f"period = {self.period}\nformula = [{items}]"


def fit_quasi_polynomial(
    values: Mapping[int, int],
    *,
    max_period: int = MAX_PERIOD,
    max_degree: int = MAX_DEGREE,
    holdout: int = 1,
    max_skip: int = 0,
) -> Optional[QuasiPolynomial]:
    """The simplest quasi-polynomial (smallest period, then degree, then fewest dropped
    leading points) through ``values`` ({n: value}) confirmed on held-out points, or None.

    Parameters
    ----------
    values : the data, n -> integer value.
    max_period, max_degree : the search space (1..6 and 0..3 by default).
    holdout : held-out points each residue class must have beyond the interpolated ones.
    max_skip : how many of the smallest n may be dropped as exceptions.

    Examples
    --------
    >>> fit_quasi_polynomial({n: n * (n - 1) // 2 for n in range(4, 12)}).formula
    'n*(n - 1)/2'
    >>> fit_quasi_polynomial({n: n**5 for n in range(1, 30)}) is None
    True
    >>> lx = {3: 2, 4: 6, 5: 11, 6: 18, 7: 25, 8: 35, 9: 45, 10: 58, 11: 71, 12: 87}
    >>> f = fit_quasi_polynomial(lx, max_skip=3)
    >>> f.n_min, f.formula
    (5, 'floor(3*n**2/4) - 2*n + 3')
    """
    if not 1 <= max_period <= 12 or not 0 <= max_degree <= 6 or holdout < 1 or max_skip < 0:
        raise InvalidInputError(
            f"need 1 <= max_period <= 12, 0 <= max_degree <= 6, holdout >= 1, max_skip >= 0; got "
            f"{max_period}, {max_degree}, {holdout}, {max_skip}"
        )
    pts = sorted((int(n), int(v)) for n, v in values.items())
    best = None
    for skip in range(0, min(max_skip, max(len(pts) - 1, 0)) + 1):
        data = pts[skip:]
        for s in range(1, max_period + 1):
            if best is not None and (s, 0) > best[0][:2]:
                break
            for d in range(0, max_degree + 1):
                if best is not None and (s, d) >= best[0][:2]:
                    break
                q = _fit(data, s, d, holdout)
                if q is not None:
                    best = ((s, d, skip), q)
                    break
    return None if best is None else best[1]


def _fit(data: list[tuple[int, int]], s: int, d: int, holdout: int) -> Optional[QuasiPolynomial]:
    classes: dict[int, list[tuple[int, int]]] = {r: [] for r in range(s)}
    for n, v in data:
        classes[n % s].append((n, v))
    cases, fitted, held = [], [], []
    for r in range(s):
        pts = classes[r]
        if len(pts) < d + 1 + holdout:
            return None
        head, tail = pts[: d + 1], pts[d + 1:]
        coeffs = _interpolate([x for x, _ in head], [y for _, y in head])
        if any(_eval(coeffs, x) != y for x, y in tail):
            return None
        cases.append(tuple(_trim(coeffs)))
        fitted += [x for x, _ in head]
        held += [x for x, _ in tail]
    return QuasiPolynomial(s, tuple(cases), data[0][0], tuple(sorted(fitted)), tuple(sorted(held)))


# ---------------------------------------------------------------------------------------
# data and the discover command's logic
# ---------------------------------------------------------------------------------------
_REFERENCE_FAMILIES = {"lrx", "lx", "coxeter", "cyclic_coxeter", "pancake", "all_transpositions", "stars",
                       "full_reversals", "top_spin", "derangements", "all_cycles"}


def _reference_growth(family: str, start: Optional[str], n: int, params: Mapping) -> Optional[tuple]:
    """The growth function from the shipped CayleyPy reference rows, when there is one."""
    from ..reference import load_reference

    if params and dict(params) not in ({"k": 1},) or family not in _REFERENCE_FAMILIES:
        return None
    if start is None:
        if family == "top_spin" and params.get("k", 4) != 4:
            return None
        return load_reference(family).get(str(n))
    if family == "lrx" and set(start) <= {"0", "1"}:
        return load_reference("lrx_coset").get(start)
    return None


def _invariant_of_growth(invariant: str, growth: Sequence[int], layer: Optional[int]) -> int:
    if invariant == "diameter":
        return len(growth) - 1
    if invariant == "last_layer_size":
        return int(growth[-1])
    if invariant == "order":
        return int(sum(growth))
    if invariant == "layer":
        return int(growth[layer]) if layer is not None and layer < len(growth) else 0
    raise InvalidInputError(f"unknown invariant {invariant!r}: expected diameter, last_layer_size, order or layer")


@dataclass(frozen=True)
class Discovery:
    """What :func:`discover` found: the data, where each value came from, and the fit."""

    family: str
    param: str
    invariant: str
    start: str
    params: dict
    values: dict  # n -> value
    sources: dict  # n -> "reference" | "store" | "computed"
    fit: Optional[QuasiPolynomial]
    skipped: dict = field(default_factory=dict)  # n -> reason
    layer: Optional[int] = None

    def to_dict(self) -> dict:
        f = self.fit
        d = {
            "family": self.family,
            "param": self.param,
            "params": self.params,
            "start": self.start,
            "invariant": self.invariant,
            "values": {str(k): v for k, v in sorted(self.values.items())},
            "sources": {str(k): v for k, v in sorted(self.sources.items())},
            "skipped": {str(k): v for k, v in sorted(self.skipped.items())},
            "found": f is not None,
        }
        if f is not None:
            d.update({
                "formula": f.formula,
                "closed_form": f.closed_form,
                "piecewise": str(f.piecewise()),
                "cases": [[r, e] for r, e in f.cases_text()],
                "period": f.period,
                "degree": f.degree,
                "n_min": f.n_min,
                "fitted": list(f.fitted),
                "held_out": list(f.held_out),
                "record": toml_record(self),
            })
        return d


def collect_values(family: str, ns: Sequence[int], *, param: str = "n", params: Optional[Mapping] = None,
                   invariant: str = "diameter", start: str = "identity", layer: Optional[int] = None,
                   source: str = "compute", checker=None):
    """Values of ``invariant`` for ``family`` as ``param`` runs over ``ns``.

    ``source`` is ``"compute"`` (the results store or a search; the default),
    ``"reference"`` (only the shipped CayleyPy rows) or ``"auto"`` (a reference row when
    there is one, else compute). Returns
    ``(values, sources, skipped)`` dicts keyed by the parameter value.

    >>> vals, src, _ = collect_values("lrx", [4, 5, 6], source="reference")
    >>> vals, src[4]
    ({4: 6, 5: 10, 6: 15}, 'reference')
    """
    if source not in ("auto", "reference", "compute"):
        raise InvalidInputError(f"source must be auto, reference or compute, got {source!r}")
    params = dict(params or {})
    if param != "n":
        raise InvalidInputError(f"only the degree can vary (--param n), got {param!r}: catalogue records are indexed by n")
    chk = checker or Checker()
    values, sources, skipped = {}, {}, {}
    for x in ns:
        p = dict(params)
        n = x
        growth = None
        if source in ("auto", "reference"):
            from ..groups.library import get_family

            fam = get_family(family)
            if not (fam.accepts(n) or p):
                skipped[x] = f"family {fam.name!r} needs degree {fam.degree_rule()}"
                continue
            growth = _reference_growth(fam.name, start_state(start, fam.state_degree(n)), n, p)
            if growth is not None:
                sources[x] = "reference"
        if growth is None and source == "reference":
            skipped[x] = "no reference row"
            continue
        if growth is None:
            try:
                graph = chk.graph(family, n, p, start)
            except InvalidInputError as exc:
                skipped[x] = str(exc)
                continue
            try:
                before = chk.reused
                growth = chk.result(graph).growth
                sources[x] = "store" if chk.reused > before else "computed"
            except BeyondBudget as exc:
                skipped[x] = str(exc)
                continue
        values[x] = _invariant_of_growth(invariant, growth, layer)
    return values, sources, skipped


def discover(family: str, ns: Sequence[int], *, param: str = "n", params: Optional[Mapping] = None,
             invariant: str = "diameter", start: str = "identity", layer: Optional[int] = None,
             source: str = "compute", checker=None, holdout: int = 1,
             max_skip: int = 3, max_period: int = MAX_PERIOD, max_degree: int = MAX_DEGREE) -> Discovery:
    """Collect the values (see :func:`collect_values`) and fit them
    (:func:`fit_quasi_polynomial`).

    >>> d = discover("lrx", range(3, 12), source="reference")
    >>> d.fit.formula, d.fit.n_min, d.fit.held_out
    ('n*(n - 1)/2', 4, (7, 8, 9, 10, 11))
    """
    from ..groups.library import get_family

    fam = get_family(family)
    values, sources, skipped = collect_values(
        fam.name, ns, param=param, params=params, invariant=invariant, start=start, layer=layer, source=source,
        checker=checker,
    )
    fit = fit_quasi_polynomial(values, holdout=holdout, max_skip=max_skip, max_period=max_period,
                               max_degree=max_degree) if values else None
    return Discovery(fam.name, param, invariant, start, dict(params or {}), values, sources, fit, skipped, layer)


def toml_record(d: Discovery) -> str:
    """A ready-to-add catalogue record (TOML) for a discovery with a fit.

    >>> print(toml_record(discover("coxeter", range(2, 9))))  # doctest: +ELLIPSIS
    [[record]]
    id = "coxeter-diameter-discovered"
    ...
    formula = "n*(n - 1)/2"
    n_min = 2
    ...
    evidence = "fitted on n = 2..4; confirmed on held-out n = 5..8"
    <BLANKLINE>
    """
    f = d.fit
    if f is None:
        raise InvalidInputError("nothing to write: no formula was found")
    tag = d.family.replace("_", "-")
    if d.start != "identity":
        tag += f"-{d.start}"
    inv = d.invariant.replace("_", "-") + (f"-{d.layer}" if d.invariant == "layer" else "")
    where = f"{d.family}" + (f" on {d.start} strings" if d.start != "identity" else "")
    rid = f"{tag}-{inv}"
    try:
        if rid in load_catalogue():
            rid += "-discovered"  # the catalogue has this id already: a new one to compare
    except InvalidInputError:
        pass
    lines = [
        "[[record]]",
        f'id = "{rid}"',
        f'title = "{where}: {d.invariant.replace("_", " ")} (discovered)"',
        f'statement = "The {d.invariant.replace("_", " ")} of {where} is {f.formula} for {d.param} >= {f.n_min}."',
        f'family = "{d.family}"',
    ]
    params = dict(d.params)
    if params:
        lines.append("params = { " + ", ".join(f"{k} = {v!r}" for k, v in params.items()) + " }")
    if d.start != "identity":
        lines.append(f'start = "{d.start}"')
    lines.append(f'invariant = "{d.invariant}"')
    if d.invariant == "layer":
        lines.append(f'layer = "{d.layer}"')
    lines.append(f.toml_formula())
    lines.append(f"n_min = {f.n_min}")
    srcs = sorted(set(d.sources.values()))
    lines += [
        f'source = "discovered with cayley conjectures discover ({", ".join(srcs)} data)"',
        'status = "conjecture"',
        f'evidence = "fitted on {d.param} = {ns_text(f.fitted)}; confirmed on held-out {d.param} = {ns_text(f.held_out)}"',
    ]
    return "\n".join(lines) + "\n"
