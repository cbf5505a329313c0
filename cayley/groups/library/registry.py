"""The family registry: :class:`Family`, the :func:`register` decorator, lookup by name and
:func:`build`, which validates parameters and the generators a family function returns.

The kind modules of :mod:`cayley.groups.library` register into it when imported; this module
imports none of them, and :mod:`cayley.groups.library` imports them all.

>>> from cayley.groups.library import generators
>>> g = generators("lrx", 4)
>>> g.names, g.perms.tolist()
(('L', 'R', 'X'), [[1, 2, 3, 0], [3, 0, 1, 2], [1, 0, 2, 3]])
>>> get_family("lrx").params
(Param(name='n', default=None, doc='degree'), Param(name='k', default=1, doc='X swaps positions 0 and k'))
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar, cast

import numpy as np

from ...errors import InvalidInputError, UnknownFamilyError
from ..generator_set import GeneratorSet, check_generator_count
from ..perm import check_degree

#: A family function: ``func(n, **params)`` returning :data:`Moves` (a matrix family: its own set).
FamilyFunc = TypeVar("FamilyFunc", bound=Callable[..., object])


@dataclass(frozen=True)
class Param:
    """A family parameter: its name, default (None for the degree n) and a line of documentation."""

    name: str
    default: object
    doc: str


@dataclass(frozen=True)
class Family:
    """A registered generator family."""

    name: str
    func: Callable[..., object]
    params: tuple[Param, ...]
    description: str
    reference: str
    min_degree: int
    aliases: tuple[str, ...] = ()
    signed: bool = False
    degree_step: int = 1
    kind: str = "permutation"
    degree_test: Callable[[int], bool] | None = None
    rule: str | None = None
    count: Callable[..., int | float] | None = None

    def __call__(self, n: int, **params: Any) -> GeneratorSet:
        return build(self, n, **params)

    def generator_count(self, n: int, **params: Any) -> int | float | None:
        """The number of generators at degree ``n`` in closed form, without building them
        (None for a family without a formula: a few generators). A float stands for a
        count too large to compute exactly.

        >>> get_family("derangements").generator_count(14)
        32071101049
        >>> get_family("k_cycles").generator_count(6, k=3)
        40
        """
        if self.count is None:
            return None
        full = {p.name: p.default for p in self.params[1:]}
        full.update(params)
        return self.count(int(n), **full)

    def accepts(self, n: int) -> bool:
        """Whether the family is defined at degree ``n`` with its default parameters.

        >>> f = get_family("involutive_derangements")
        >>> [n for n in range(1, 9) if f.accepts(n)]
        [2, 4, 6, 8]
        """
        if self.degree_test is not None:
            return n >= self.min_degree and bool(self.degree_test(n))
        return n >= self.min_degree and (n - self.min_degree) % self.degree_step == 0

    def degrees(self, up_to: int) -> list[int]:
        """The degrees ``n <= up_to`` at which the family is defined (default parameters)."""
        if self.degree_test is not None:
            return [n for n in range(self.min_degree, up_to + 1) if self.accepts(n)]
        return list(range(self.min_degree, up_to + 1, self.degree_step))

    def example_degree(self, at_least: int = 5) -> int:
        """The smallest degree ``n >= at_least`` the family accepts (an example for listings).

        >>> get_family("lrx").example_degree(), get_family("involutive_derangements").example_degree()
        (5, 6)
        """
        n = max(self.min_degree, at_least)
        while not self.accepts(n):
            n += 1
        return n

    def degree_rule(self) -> str:
        """The accepted degrees in words, e.g. ``n >= 3`` or ``n >= 2, n even``."""
        if self.rule is not None:
            return self.rule
        rule = f"n >= {self.min_degree}"
        if self.degree_step == 2:
            rule += ", n even" if self.min_degree % 2 == 0 else ", n odd"
        elif self.degree_step > 2:
            rule += f", n = {self.min_degree} mod {self.degree_step}"
        return rule

    def state_degree(self, n: int) -> int:
        """Length of the states the generators act on: ``2 * n`` for a signed family
        (element ``i`` has two sides, positions ``i`` and ``n + i``), else ``n``.

        >>> get_family("burnt_pancake").state_degree(5), get_family("pancake").state_degree(5)
        (10, 5)
        """
        return 2 * n if self.signed else n


#: every family by name; the kind modules of this package fill it when imported
_REGISTRY: dict[str, Family] = {}
_ALIASES: dict[str, str] = {}


def register(
    name: str,
    *,
    reference: str | None = None,
    min_degree: int = 2,
    aliases: Sequence[str] = (),
    param_docs: dict[str, str] | None = None,
    signed: bool = False,
    degree_step: int = 1,
    kind: str = "permutation",
    degree_test: Callable[[int], bool] | None = None,
    rule: str | None = None,
    count: Callable[..., int | float] | None = None,
) -> Callable[[FamilyFunc], FamilyFunc]:
    """Decorator registering ``func(n, **params) -> list of perms, names`` as a family.

    The function returns ``(perms, names)``; the registry validates them and builds the
    :class:`GeneratorSet`. Its docstring (numpydoc) gives the rest: its first line is the
    family's description, its ``References`` section the reference (unless ``reference``
    is passed) and its ``Parameters`` section the parameters' documentation (``param_docs``
    overrides it); see :func:`docstring_sections`.
    ``min_degree`` is the smallest ``n`` for which the family is defined with its default
    parameters. ``signed`` marks a family of ``n`` signed elements realised on ``2n``
    positions (see :meth:`Family.state_degree`). ``degree_step`` restricts the degrees to
    ``min_degree, min_degree + step, ...`` (2 for families defined at even n only).
    ``kind`` is ``"permutation"`` for the families of S_n and ``"puzzle"`` for puzzles
    (:mod:`cayley.groups.puzzles`), whose degree is their number of stickers; a puzzle
    gives ``degree_test`` (which degrees ``n`` it accepts) and ``rule`` (the same in words).
    ``count(n, **params)`` is the number of generators in closed form (every parameter
    passed, defaults filled in): :func:`build` checks it against ``MAX_GENERATORS`` before
    enumerating; a family whose number of generators grows with ``n`` must give it.
    """

    def deco(func: FamilyFunc) -> FamilyFunc:
        sig = inspect.signature(func)
        sections = docstring_sections(inspect.getdoc(func) or "")
        docs = {"n": "degree", **_entries(sections.get("Parameters", [])), **(param_docs or {})}
        ref = reference if reference is not None else " ".join(sections.get("References", []))
        if not ref:
            raise TypeError(f"family {name}: give a reference (a References section or reference=)")
        params = tuple(
            Param(p.name, None if p.default is inspect.Parameter.empty else p.default, docs.get(p.name, ""))
            for p in sig.parameters.values()
        )
        if not params or params[0].name != "n":
            raise TypeError(f"family {name}: first parameter must be n")
        description = (inspect.getdoc(func) or "").strip().splitlines()[0] if func.__doc__ else ""
        fam = Family(
            name, func, params, description, ref, min_degree, tuple(aliases), signed, degree_step,
            kind, degree_test, rule, count,
        )
        for key in (name, *aliases):
            if key in _REGISTRY or key in _ALIASES:
                raise ValueError(f"family name {key!r} registered twice")
        _REGISTRY[name] = fam
        for a in aliases:
            _ALIASES[a] = name
        return func

    return deco


def docstring_sections(doc: str) -> dict[str, list[str]]:
    r"""The numpydoc sections of a (dedented) docstring: each header's lines, blank lines
    dropped and trailing space stripped; the summary and the text before the first header
    are left out.

    >>> doc = "Summary.\n\nParameters\n----------\nk\n    the k\n\nReferences\n----------\nA. B, C (1999);\nD."
    >>> docstring_sections(doc)
    {'Parameters': ['k', '    the k'], 'References': ['A. B, C (1999);', 'D.']}
    """
    lines = doc.splitlines()
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and re.fullmatch(r"-{3,}", lines[i + 1].strip()) and line.strip():
            current = out.setdefault(line.strip(), [])
        elif current is not None and line.strip() and not re.fullmatch(r"-{3,}", line.strip()):
            current.append(line.rstrip())
    return out


def _entries(lines: list[str]) -> dict[str, str]:
    """A Parameters section's lines -> {name: its indented description, joined by spaces}."""
    out: dict[str, list[str]] = {}
    key = ""
    for line in lines:
        if not line.startswith(" "):
            key = line.partition(" : ")[0].strip()
            out[key] = []
        elif key:
            out[key].append(line.strip())
    return {k: " ".join(v) for k, v in out.items()}


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


_NUMBER_WORDS = {"2": "two", "3": "three", "4": "four", "5": "five", "6": "six"}


def get_family(name: str) -> Family:
    """Look up a family by name or alias; unknown names suggest the closest ones.

    >>> get_family("LRX").name
    'lrx'
    """
    key = _normalise(name)
    key = _ALIASES.get(key, key)
    if key in _REGISTRY:
        return _REGISTRY[key]
    known = sorted(_REGISTRY) + sorted(_ALIASES)
    # "3_cycles" should find three_cycles: also match with digits spelled out
    spelled = re.sub(r"\d+", lambda m: _NUMBER_WORDS.get(m.group(), m.group()), key)
    close = difflib.get_close_matches(spelled, known, n=3, cutoff=0.5) if spelled != key else []
    close = list(dict.fromkeys(close + difflib.get_close_matches(key, known, n=3, cutoff=0.5)))[:3]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `cayley families` lists them"
    raise UnknownFamilyError(f"unknown generator family {name!r}{hint}")


def families(kind: str | None = None) -> list[Family]:
    """All registered families, sorted by name; ``kind`` keeps one kind
    (``"permutation"``, ``"puzzle"`` or ``"matrix"``: :mod:`cayley.groups.matrix`).

    >>> "pyraminx" in [f.name for f in families("puzzle")]
    True
    """
    return [_REGISTRY[k] for k in sorted(_REGISTRY) if kind is None or _REGISTRY[k].kind == kind]


def build(fam: Family, n: int, **params: Any) -> GeneratorSet:
    """Validate ``n`` and the parameters, call the family function, and check its output.

    With default parameters the degree must satisfy the family's degree rule
    (``min_degree``, ``degree_step``). Non-default parameters may make the family valid
    at smaller degrees, so then any ``n >= 1`` is passed to the family function, which
    validates it; either way the result is refused if a generator is the identity or
    two generators coincide.
    """
    names = {p.name for p in fam.params[1:]}
    unknown = set(params) - names
    if unknown:
        raise InvalidInputError(
            f"family {fam.name!r} has no parameter {sorted(unknown)[0]!r}; parameters: {sorted(names) or 'none'}"
        )
    defaults = {p.name: p.default for p in fam.params[1:]}
    non_default = any(not _same_value(v, defaults[k]) for k, v in params.items())
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidInputError(f"family {fam.name!r} needs degree {fam.degree_rule()}, got {n!r}")
    if not non_default and not fam.accepts(int(n)):
        raise InvalidInputError(f"family {fam.name!r} needs degree {fam.degree_rule()}, got {n!r}")
    _check_size(fam, int(n), params)
    try:
        built = fam.func(int(n), **params)
    except (ValueError, IndexError, TypeError) as exc:
        if isinstance(exc, InvalidInputError):
            raise
        raise InvalidInputError(f"family {fam.name!r} with n={n}, {params}: {exc}") from exc
    if not isinstance(built, tuple):
        # a matrix family builds and checks its own MatrixGeneratorSet, which callers use
        # through the same interface (names, degree, order, ...)
        return cast(GeneratorSet, built)
    perms, gen_names = built
    where = f"family {fam.name!r} at n={n}" + (f" with {params}" if params else "")
    if not perms:
        raise InvalidInputError(f"{where} has no generators")
    seen: dict[tuple[int, ...], str] = {}
    ident = tuple(range(len(perms[0])))
    for p, nm in zip(perms, gen_names):
        key = tuple(int(x) for x in p)
        if key == ident:
            raise InvalidInputError(f"{where}: generator {nm!r} is the identity")
        if key in seen:
            raise InvalidInputError(f"{where}: generators {seen[key]!r} and {nm!r} coincide")
        seen[key] = nm
    full = dict(defaults)
    full.update(params)
    return GeneratorSet.from_perms(perms, gen_names, family=fam.name, params={"n": int(n), **full})


def _check_size(fam: Family, n: int, params: dict[str, Any]) -> None:
    """Refuse, before enumerating, a degree beyond ``MAX_DEGREE`` or more generators (or
    entries) than ``MAX_GENERATORS`` (``MAX_GENERATOR_ENTRIES``), by the family's formula."""
    where = f"family {fam.name!r} at n={n}" + (f" with {params}" if params else "")
    if fam.kind == "matrix":  # n x n matrices: states of n * n entries
        check_degree(n * n, f"{where} (states of {n}x{n} matrices)")
        return
    degree = check_degree(fam.state_degree(n), where)
    try:
        count = fam.generator_count(n, **params)
    except InvalidInputError:
        raise
    except (ValueError, TypeError, ArithmeticError, IndexError):
        count = None  # parameters the family function itself refuses, with its own message
    if count is not None:
        check_generator_count(count, degree, where)


def _same_value(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except Exception:  # e.g. numpy arrays or generators compare elementwise or not at all
        return a is b


def generators(name: str, n: int, **params: Any) -> GeneratorSet:
    """The generator set of family ``name`` at degree ``n``.

    >>> generators("coxeter", 3).perms.tolist()
    [[1, 0, 2], [0, 2, 1]]
    """
    return build(get_family(name), n, **params)


def attach_counts(counts: dict[str, Callable[..., int | float]]) -> None:
    """Give registered families their generator count in closed form (``count(n, **params)``,
    every parameter passed), which :func:`build` checks against ``MAX_GENERATORS``.

    >>> get_family("coxeter").generator_count(5)
    4
    """
    for name, count in counts.items():
        _REGISTRY[name] = dataclasses.replace(_REGISTRY[name], count=count)
