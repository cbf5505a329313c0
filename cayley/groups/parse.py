"""One parser for generator, group and state specs.

Generator specs (``--gens``), several generators separated by ``;``:

- a named family: ``lrx``, ``lrx:k=2``, ``top_spin:k=4`` (the degree comes from the group);
- one-line lists: ``[1,0,2,3]``, ``[1,2,3,0];[1,0,2,3]``;
- 0-based cycle notation with spaces: ``(0 1)(2 3)``;
- 1-based GAP notation with commas: ``(1,2)(3,4)``, or a GAP list ``[(1,2),(1,2,3)]``;
- any of these may carry a name: ``L=[1,2,0];X=(0 1)``.

>>> parse_generators("L=[1,2,0];X=(0 1)").names
('L', 'X')
>>> parse_generators("(1,2)(3,4)", degree=5).perms.tolist()
[[1, 0, 3, 2, 4]]
>>> parse_generators("lrx:k=2", degree=5).perms[2].tolist()
[2, 1, 0, 3, 4]
>>> parse_group("S_10").degree, parse_group("S10").degree
(10, 10)
>>> parse_state("00001111").tolist()
[0, 0, 0, 0, 1, 1, 1, 1]
"""

from __future__ import annotations

import re
from typing import Any, Iterable, cast
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from ..errors import DegreeMismatchError, InvalidStateError, ParseError
from .generator_set import (
    MAX_GENERATOR_ENTRIES,
    MAX_GENERATORS,
    GeneratorSet,
    check_generator_count,
)
from .library import Family, get_family
from .notation import (
    CYCLE_RE,
    NAME_PATTERN,
    QUOTED_PATTERN,
    bounded_int,
    clip,
    parse_cycles,
    parse_permutation,
    split_top,
)
from .perm import MAX_DEGREE, check_degree
from .permutation import Permutation

__all__ = [
    "parse_permutation",
    "parse_generators",
    "as_generator_set",
    "parse_group",
    "parse_state",
    "format_generators",
    "GroupSpec",
]

def family_and_params(spec: str) -> tuple[Family, dict[str, object]]:
    """``"lrx:k=2"`` -> (the registered family, ``{"k": 2}``).

    >>> fam, params = family_and_params("lrx:k=2")
    >>> fam.name, params
    ('lrx', {'k': 2})
    """
    name, _, arg = spec.partition(":")
    fam = get_family(name)
    params: dict[str, object] = {}
    for item in split_top(arg, ",") if arg else []:
        key, eq, val = item.partition("=")
        if not eq:
            raise ParseError(f"malformed family parameter {item!r} in {spec!r}: expected key=value")
        params[key.strip()] = _parse_value(val.strip())
    return fam, params


def _parse_family_spec(spec: str, degree: int | None) -> GeneratorSet:
    fam, params = family_and_params(spec)
    if "n" in params:
        n = params.pop("n")
        if not isinstance(n, int):
            raise ParseError(f"malformed family parameter n={n!r} in {spec!r}: expected an integer")
        check_degree(fam.state_degree(n) if n > 0 else n, f"{clip(spec)}", error=ParseError)
        if degree is not None and fam.state_degree(n) != degree:
            raise DegreeMismatchError(
                f"{spec!r} acts on {fam.state_degree(n)} positions, but the group has degree {degree}"
            )
    elif degree is None:
        fixed = fam.degrees(256)
        if len(fixed) != 1 or fam.signed:  # a puzzle of one size needs no degree
            example = fam.state_degree(fam.example_degree())
            raise ParseError(
                f"family {fam.name!r} needs a degree ({fam.degree_rule()}): give the group (e.g. S_{example}) "
                f"or n={fam.example_degree()}"
            )
        n = fixed[0]
    elif fam.signed:
        # n signed elements live on 2n positions: the group's degree is 2n
        if degree % 2:
            raise DegreeMismatchError(
                f"family {fam.name!r} acts on 2n positions (n signed elements), but the group has odd "
                f"degree {degree}: for n={degree} use S_{2 * degree}"
            )
        n = degree // 2
    else:
        n = degree
    return fam(n, **params)


def _parse_value(text: str) -> int | bool | list[int] | str:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text.startswith("["):
        try:
            return [int(x) for x in re.split(r"[,\s]+", text.strip("[] ")) if x]
        except ValueError:
            raise ParseError(f"malformed list {clip(text)}: expected integers like [1,2,3]") from None
    return text


def parse_generators(spec: str, degree: int | None = None) -> GeneratorSet:
    """Parse a generator spec (see the module docstring) into a :class:`GeneratorSet`."""
    if not isinstance(spec, str):
        raise ParseError(f"generator spec must be a string, got {type(spec).__name__}")
    text = spec.strip()
    if not text:
        raise ParseError(f"empty generator spec {spec!r}: expected e.g. lrx, [1,0,2];[1,2,0] or (0 1)")
    # GAP list of permutations: [(1,2),(1,2,3)]
    if text.startswith("[") and text[1:].lstrip().startswith("("):
        inner = text.strip()[1:-1] if text.endswith("]") else None
        if inner is None:
            raise ParseError(f"malformed GAP list {spec!r}: missing ']'")
        items = split_top(inner, ",")
        if not items:
            raise ParseError(f"GAP list {clip(spec)} has no generators: expected e.g. [(1,2),(1,2,3)]")
        gap_items = [it if "," in it or it == "()" else it.replace(" ", ",") for it in items]
        _check_size(gap_items, degree, spec, gap=True)
        # every item of a GAP list is GAP notation, also one-point cycles like (3)
        perms = [parse_cycles(it, degree, gap=True) for it in gap_items]
        return _assemble(perms, [None] * len(perms), [False] * len(perms), spec, degree)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]*(:.*)?", text) and not re.match(rf"{NAME_PATTERN}\s*=", text):
        return _parse_family_spec(text, degree)
    perms, names, one_line = [], [], []
    items = split_top(text, ";")
    if not items:
        raise ParseError(
            f"generator spec {clip(spec)} has no generators: expected e.g. lrx, [1,0,2];[1,2,0] or (0 1)"
        )
    _check_size(items, degree, spec)
    for item in items:
        m = re.match(rf"^(?:({NAME_PATTERN})|{QUOTED_PATTERN})\s*=\s*(.*)$", item, re.S)
        if m:
            name = m.group(1) if m.group(1) is not None else re.sub(r"\\(.)", r"\1", m.group(2))
            body = m.group(3)
        else:
            name, body = None, item
        perms.append(parse_permutation(body, degree))
        names.append(name)
        one_line.append(body.strip().startswith("["))
    return _assemble(perms, names, one_line, spec, degree)


def _check_size(items: list[str], degree: int | None, spec: str, gap: bool = False) -> None:
    """Refuse a spec whose generators would be too many or too large, before building them.

    Without a degree, the largest number in the spec bounds the degree of cycle notation
    (a one-line list is as long as its text allows).
    """
    if degree is None:
        numbers = [x for body in CYCLE_RE.findall(spec) for x in re.findall(r"\d+", body)]
        top = max((bounded_int(x) for x in numbers), default=0)
        degree = max(1, top + (0 if gap else 1))
        if degree > MAX_DEGREE:
            check_degree(degree, f"generator spec {clip(spec)}", error=ParseError)
    check_generator_count(
        len(items), degree, f"generator spec {clip(spec)}", error=ParseError,
        max_generators=MAX_GENERATORS, max_entries=MAX_GENERATOR_ENTRIES,
    )


def _assemble(
    perms: list[np.ndarray], names: list[str | None], one_line: list[bool], spec: str, degree: int | None
) -> GeneratorSet:
    final_names = [nm if nm else f"g{i}" for i, nm in enumerate(names)]
    if degree is None:
        # a one-line list states its degree; cycle notation only gives a lower bound and is
        # padded with fixed points. One-line lists of different lengths are an error.
        explicit = sorted({len(p) for p, ol in zip(perms, one_line) if ol})
        if len(explicit) > 1:
            raise DegreeMismatchError(
                f"generators in {spec!r} have different degrees {explicit}; all must have the same n"
            )
        degree = explicit[0] if explicit else max(len(p) for p in perms)
        perms = [np.concatenate([p, np.arange(len(p), degree)]) if len(p) < degree else p for p in perms]
    if degree < 1:
        raise ParseError(f"generator spec {clip(spec)} has degree 0: a generator needs at least one point")
    for nm, p in zip(final_names, perms):
        if len(p) != degree:
            raise DegreeMismatchError(
                f"generator {nm!r} = {p.tolist()} in {spec!r} has degree {len(p)}, "
                f"but the others have degree {degree}"
            )
    return GeneratorSet.from_perms(perms, final_names)


def as_generator_set(spec: object, degree: int | None = None) -> GeneratorSet:
    """Coerce any generator input: a spec string, a GeneratorSet, a sympy group or list of
    sympy permutations, or a list of one-line arrays.

    >>> as_generator_set([[1, 0, 2]]).perms.tolist()
    [[1, 0, 2]]
    """
    if isinstance(spec, GeneratorSet):
        gs = spec
    elif isinstance(spec, str):
        gs = parse_generators(spec, degree)
    elif hasattr(spec, "generators") or (
        isinstance(spec, (list, tuple)) and spec and hasattr(spec[0], "array_form")
    ):
        gs = GeneratorSet.from_sympy(spec, degree)
    else:
        gs = GeneratorSet.from_perms(cast(Iterable[ArrayLike], spec))  # from_perms checks each row
    if degree is not None and gs.degree != degree:
        raise DegreeMismatchError(f"generators have degree {gs.degree}, but the group has degree {degree}")
    return gs


def format_generators(gs: GeneratorSet, notation: str = "one-line") -> str:
    """Format a generator set as a spec that :func:`parse_generators` reads back.

    >>> g = parse_generators("A=[1,2,0];B=[1,0,2]")
    >>> format_generators(g)
    'A=[1,2,0];B=[1,0,2]'
    >>> format_generators(g, "gap")
    'A=(1,2,3);B=(1,2)'

    Names outside the bare-name grammar are double-quoted, so any name reads back:

    >>> h = parse_generators(format_generators(GeneratorSet([[1, 0, 2]], names=["(0,1)"])))
    >>> h.names, format_generators(h)
    (('(0,1)',), '"(0,1)"=[1,0,2]')
    """
    out = []
    for name, p in zip(gs.names, gs.perms):
        perm = Permutation(p)
        if notation == "one-line":
            body = "[" + ",".join(map(str, p.tolist())) + "]"
        elif notation == "cycles":
            body = perm.cycle_notation()
        elif notation == "gap":
            body = perm.gap_notation()
        else:
            raise ParseError(f"unknown notation {notation!r}: expected one-line, cycles or gap")
        if not re.fullmatch(NAME_PATTERN, name):
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(f"{name}={body}")
    return ";".join(out)


@dataclass(frozen=True)
class GroupSpec:
    """A parsed group spec: the ambient group in which the generators live.

    ``kind`` is ``S`` (permutations of ``degree`` points) or a matrix group over Z/m
    (``SL``, ``GL``, ``UT``; ``degree`` is the matrix size and ``modulus`` is m).
    """

    name: str
    degree: int
    kind: str = field(default="S", repr=False)
    modulus: int | None = field(default=None, repr=False)

    @property
    def is_matrix(self) -> bool:
        return self.modulus is not None


_MATRIX_GROUP_RE = re.compile(r"(SL|GL|UT)\s*\(\s*(\d+)\s*,\s*(?:Z\s*/\s*)?(\d+)\s*(?:Z)?\s*\)", re.I)


def parse_group(text: str) -> GroupSpec:
    """Parse ``S_10``, ``S10``, ``Sym(10)`` or a bare degree ``10``; or a matrix group
    over Z/m: ``SL(3,5)``, ``GL(2,7)``, ``UT(3,7)`` (also written ``SL(3, Z/5)``).

    >>> parse_group("Sym(7)")
    GroupSpec(name='S_7', degree=7)
    >>> g = parse_group("SL(3, Z/5)")
    >>> g.name, g.degree, g.kind, g.modulus
    ('SL(3,5)', 3, 'SL', 5)
    """
    t = str(text).strip()
    mm = _MATRIX_GROUP_RE.fullmatch(t)
    if mm:
        kind, n, m = mm.group(1).upper(), bounded_int(mm.group(2)), bounded_int(mm.group(3))
        if n < 1:
            raise ParseError(f"group {text!r}: matrix size must be >= 1")
        if n * n > MAX_DEGREE:  # a state holds n * n entries
            raise ParseError(
                f"group {clip(t)}: matrix size {n} gives states of {n * n} entries, more than the largest "
                f"supported degree {MAX_DEGREE} (MAX_DEGREE)"
            )
        if not 2 <= m <= 2**31:
            raise ParseError(f"group {text!r}: modulus must satisfy 2 <= m <= 2**31")
        return GroupSpec(f"{kind}({n},{m})", n, kind, m)
    sym = re.fullmatch(r"[Ss]_?(\d+)|Sym\(\s*(\d+)\s*\)|(\d+)", t)
    if not sym:
        raise ParseError(
            f"cannot parse group {text!r}: expected S_n, Sn or Sym(n), e.g. S_10, or a matrix group "
            "SL(n,m), GL(n,m), UT(n,m), e.g. SL(3,5)"
        )
    digits = next(g for g in sym.groups() if g is not None)
    n = bounded_int(digits)
    if n < 1:
        raise ParseError(f"group {text!r}: degree must be >= 1")
    check_degree(n, f"group {clip(t)}", error=ParseError)
    return GroupSpec(f"S_{n}", n)


def parse_state(text: object, degree: int | None = None) -> np.ndarray:
    """Parse a start state: a digit/letter string ``00001111``, a list ``[0,0,1,1]`` or
    ``0,0,1,1``. Symbols become integers 0..k-1 in sorted order of the symbols.

    >>> parse_state("abba").tolist(), parse_state("[2,0,2]").tolist()
    ([0, 1, 1, 0], [1, 0, 1])
    """
    if isinstance(text, str):
        t = text.strip()
        if not t:
            raise InvalidStateError("empty start state")
        if t.startswith("[") or "," in t or " " in t:
            items = [x for x in re.split(r"[,\s]+", t.strip("[] ")) if x]
            raw: list[Any]
            try:
                raw = [int(x) for x in items]
            except ValueError:
                raw = items  # symbols as strings
        else:
            raw = list(t)
    else:
        arr = np.asarray(text)
        if arr.ndim != 1:
            raise InvalidStateError(f"start state {text!r} must be a flat list of symbols")
        raw = arr.tolist()
    if not raw:
        raise InvalidStateError(f"empty start state {text!r}: expected e.g. 00001111 or [0,0,1,1]")
    symbols = sorted(set(raw), key=lambda x: (isinstance(x, str), x))
    code = {s: i for i, s in enumerate(symbols)}
    state = np.array([code[x] for x in raw], dtype=np.int64)
    if degree is not None and len(state) != degree:
        raise InvalidStateError(
            f"start state {text!r} has length {len(state)}, but the generators have degree {degree}"
        )
    return state
