"""What every path finder shares: the :class:`Path` value, state checks, validation."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np

from ...errors import InvalidInputError, InvalidStateError
from ...groups.parse import parse_state
from ..graph import CayleyGraph

__all__ = ["Path", "apply_path", "StateLike", "SeedLike", "Scorer", "written_symbols", "check_rearrangement"]


class _LazyModule:
    """A module imported on first attribute access: importing cayley loads no numba."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: Any = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            import importlib

            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


cpu_backend = _LazyModule("cayley.backends.cpu")
kernels = _LazyModule("cayley.graphs.paths.kernels")

StateLike = Union[str, Sequence[int], np.ndarray]
SeedLike = Union[int, np.random.Generator, None]
#: A heuristic as the searches take it: scores a batch of states, ``(m, n) -> (m,)``,
#: lower is closer (any callable; :class:`cayley.graphs.heuristics.Heuristic` names the protocol).
Scorer = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True, eq=False)
class Path:
    """A path in a Cayley or Schreier graph: acting on ``source`` by the generators
    ``moves[0]``, ``moves[1]``, ... in turn gives ``target``.

    ``method`` names the algorithm that found it (``"bfs"``, ``"mitm"``, ``"beam"``,
    ``"table"``, ``"scramble"``) and ``optimal`` is True when that algorithm proves no
    shorter path exists. ``explored`` counts the states the search generated or kept.
    Every path a cayley function returns has been checked by replaying its moves.

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> g = CayleyGraph.from_spec("S_3", "lrx")
    >>> p = Path(g, np.array([1, 0, 2]), np.array([0, 1, 2]), (2,), "bfs", True)
    >>> p.length, p.names, p.is_valid()
    (1, ('X',), True)
    >>> p.states().tolist()
    [[1, 0, 2], [0, 1, 2]]
    """

    graph: CayleyGraph
    source: np.ndarray
    target: np.ndarray
    moves: tuple[int, ...]
    method: str
    optimal: bool
    seconds: float = 0.0
    explored: int = 0

    def __post_init__(self) -> None:
        for name in ("source", "target"):
            a = np.array(getattr(self, name), dtype=np.int64).reshape(-1)
            a.setflags(write=False)
            object.__setattr__(self, name, a)
        object.__setattr__(self, "moves", tuple(int(m) for m in self.moves))

    @property
    def length(self) -> int:
        """Number of moves."""
        return len(self.moves)

    def __len__(self) -> int:
        return len(self.moves)

    @property
    def names(self) -> tuple[str, ...]:
        """The moves as generator names."""
        names = self.graph.generators.names
        return tuple(names[m] for m in self.moves)

    def states(self) -> np.ndarray:
        """All ``length + 1`` states along the path, as an ``(L + 1, n)`` array."""
        perms = self.graph.generators.perms
        out = np.empty((len(self.moves) + 1, len(self.source)), dtype=np.int64)
        out[0] = self.source
        for i, m in enumerate(self.moves):
            out[i + 1] = out[i][perms[m]]
        return out

    def is_valid(self) -> bool:
        """Whether replaying the moves on ``source`` gives ``target``."""
        return bool(np.array_equal(apply_path(self.graph, self.source, self.moves), self.target))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: the keys the CLI prints, plus source, target and timing."""
        return {
            "path": list(self.names),
            "length": self.length,
            "method": self.method,
            "optimal": bool(self.optimal),
            "source": self.source.tolist(),
            "target": self.target.tolist(),
            "seconds": round(self.seconds, 6),
            "explored": int(self.explored),
        }

    def __repr__(self) -> str:
        word = ".".join(self.names) if self.length <= 40 else ".".join(self.names[:40]) + "..."
        return f"Path(length={self.length}, method={self.method!r}, optimal={self.optimal}, moves={word!r})"


def apply_path(graph: CayleyGraph, state: StateLike, moves: Sequence[Union[int, str]]) -> np.ndarray:
    """Act on ``state`` by the generators ``moves`` (indices or names) in turn.

    Examples
    --------
    >>> from cayley import CayleyGraph
    >>> g = CayleyGraph.from_spec("S_4", "lrx")
    >>> apply_path(g, [0, 1, 2, 3], ["L", "X"]).tolist()
    [2, 1, 3, 0]
    """
    gens = graph.generators
    s = as_state(graph, state, "state", check_multiset=False)
    for m in moves:
        if isinstance(m, str):
            try:
                m = gens.names.index(m)
            except ValueError:
                raise InvalidInputError(f"no generator named {m!r}; names are {list(gens.names)}") from None
        m = int(m)
        if not 0 <= m < len(gens):
            raise InvalidInputError(f"move {m} out of range: the graph has {len(gens)} generators")
        s = s[gens.perms[m]]
    return s


def as_state(graph: CayleyGraph, state: StateLike, what: str, *, check_multiset: bool = True) -> np.ndarray:
    """``state`` as a flat int64 array of the graph's degree; with ``check_multiset`` it
    must be a rearrangement of the symbols of ``graph.start``."""
    n = graph.degree
    if isinstance(state, str):
        s = parse_state(state, n)
    else:
        try:
            s = np.asarray(state)
        except (TypeError, ValueError):
            raise InvalidStateError(f"{what} {state!r} is not a flat list of symbols") from None
        if s.ndim != 1 or (s.size and not np.issubdtype(s.dtype, np.integer)):
            raise InvalidStateError(f"{what} must be a flat list of integers, got {_short(state)}")
        if len(s) != n:
            raise InvalidStateError(f"{what} {_short(s)} has length {len(s)}, but the generators have degree {n}")
        s = s.astype(np.int64)
    if check_multiset and not np.array_equal(np.sort(s), np.sort(graph.start)):
        kind = "permutation of 0..n-1" if not graph.is_schreier else "rearrangement of the start state's symbols"
        raise InvalidStateError(
            f"{what} {_short(s)} is not a {kind} (graph start {_short(graph.start)}); "
            "build the graph with a start state that has the same symbols"
        )
    return np.ascontiguousarray(s, dtype=np.int64)


def written_symbols(text: str) -> np.ndarray:
    """The symbols of a state string as written, before :func:`~cayley.parse_state`
    relabels them ``0 .. k-1`` by rank: an int64 array when every symbol is an integer
    (``"9,1,2"``, ``"0011"``), else an object array of strings (``"abba"``, ``"x,y"``).

    Two strings stand for states of one graph only when they hold the same symbols
    (:func:`check_rearrangement`); each one's ranks alone cannot tell.

    Examples
    --------
    >>> written_symbols("9,1,2").tolist(), written_symbols("0011").tolist(), written_symbols("abba").tolist()
    ([9, 1, 2], [0, 0, 1, 1], ['a', 'b', 'b', 'a'])
    """
    t = str(text).strip()
    if t.startswith("[") or "," in t or " " in t:  # the same split as parse_state
        items = [x for x in re.split(r"[,\s]+", t.strip("[] ")) if x]
    else:
        items = list(t)
    try:
        return np.array([int(x) for x in items], dtype=np.int64)
    except (ValueError, OverflowError):
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out


def check_rearrangement(state: Any, target: Any, what: str = "target", of: str = "state") -> None:
    """Refuse a ``target`` that is not a rearrangement of ``state`` (the same symbols, as
    many times each): moves only permute positions, so no path joins them.

    Examples
    --------
    >>> check_rearrangement(written_symbols("0,1,1"), written_symbols("1,0,1"))
    >>> check_rearrangement(written_symbols("0,0,1,1"), written_symbols("1,1,2,2"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidStateError: the target [1, 1, 2, 2] is not a rearrangement of the state [0, 0, 1, 1] ...
    """
    a, b = np.asarray(state).reshape(-1).tolist(), np.asarray(target).reshape(-1).tolist()
    if len(a) != len(b):
        raise InvalidStateError(
            f"the {what} {_short(b)} has {len(b)} symbols but the {of} {_short(a)} has {len(a)}: "
            "it is not a rearrangement of it"
        )
    ca, cb = Counter(a), Counter(b)
    if ca != cb:

        def key(x: Any) -> tuple[bool, Any]:
            return (isinstance(x, str), str(x) if isinstance(x, str) else x)

        extra = ", ".join(map(str, sorted((cb - ca).elements(), key=key)))
        missing = ", ".join(map(str, sorted((ca - cb).elements(), key=key)))
        raise InvalidStateError(
            f"the {what} {_short(b)} is not a rearrangement of the {of} {_short(a)} (it has {extra} where the "
            f"{of} has {missing}): moves only permute positions, so no path joins them"
        )


def endpoints(graph: CayleyGraph, state: StateLike, target: Optional[StateLike]) -> tuple[np.ndarray, np.ndarray]:
    """Checked source and target (default: the graph's start). Two strings must hold the
    same symbols as written (each alone is relabelled by rank, which would hide it)."""
    if isinstance(state, str) and isinstance(target, str):
        check_rearrangement(written_symbols(state), written_symbols(target))
    src = as_state(graph, state, "state")
    tgt = graph.start.copy() if target is None else as_state(graph, target, "target")
    return src, tgt


def _replay_written(graph: CayleyGraph, moves: Sequence[int], written: tuple[Any, Any]) -> None:
    """Replay ``moves`` on the source as the user wrote it and compare with the target as
    written; strings keep their symbols (a relabelling cannot hide a wrong answer)."""
    state, target = written
    if not (isinstance(state, str) and isinstance(target, str)):
        return  # arrays are taken as they are: the replay of src/tgt is this replay
    s, t = written_symbols(state), written_symbols(target)
    perms = graph.generators.perms
    ok = s.shape == t.shape and s.dtype == t.dtype
    if ok:
        for m in moves:
            s = s[perms[m]]
        ok = bool(np.all(s == t))
    if not ok:
        raise RuntimeError(
            f"internal error: a path from {state!r} does not reach the target as written {target!r} "
            f"({graph.name}, moves {list(moves)}); please report it"
        )


def finish(
    graph: CayleyGraph,
    src: np.ndarray,
    tgt: np.ndarray,
    moves: Sequence[int],
    method: str,
    optimal: bool,
    t0: float,
    explored: int,
    written: Optional[tuple[Any, Any]] = None,
) -> Path:
    """Build the :class:`Path` and check it by replaying its moves; ``written``, the
    ``(state, target)`` the caller passed, is replayed as written too."""
    import time

    path = Path(graph, src, tgt, tuple(moves), method, optimal, time.perf_counter() - t0, int(explored))
    if not path.is_valid():  # a bug, never the user's input: say so loudly
        raise RuntimeError(
            f"internal error: {method} returned a path that does not reach the target "
            f"({graph.name}, source {src.tolist()}, moves {list(moves)}); please report it"
        )
    if written is not None:
        _replay_written(graph, path.moves, written)
    return path


def resolve_heuristic(heuristic: Any, tgt: np.ndarray, default: Callable[[], Any]) -> Any:
    """``heuristic``, or ``default()`` when it is None; refuses one that measures distance
    to another target than ``tgt`` (when it says which: a ``target`` attribute)."""
    if heuristic is None:
        return default()
    ht = getattr(heuristic, "target", None)
    if ht is not None and np.shape(ht) == tgt.shape and not np.array_equal(np.asarray(ht), tgt):
        raise InvalidInputError(
            f"the heuristic measures distance to {np.asarray(ht).tolist()}, but the target is {tgt.tolist()}"
        )
    return heuristic


def check_positive(name: str, value: Optional[int], *, allow_zero: bool = False, allow_none: bool = True) -> None:
    """Raise :class:`~cayley.errors.InvalidInputError` unless ``value`` is an integer >= 1
    (>= 0 with ``allow_zero``; None passes with ``allow_none``).

    >>> check_positive("width", 0, allow_zero=True)
    >>> check_positive("width", 0)
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: width must be >= 1, got 0
    """
    if value is None:
        if allow_none:
            return
        raise InvalidInputError(f"{name} is required")
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidInputError(f"{name} must be an integer, got {value!r}")
    lo = 0 if allow_zero else 1
    if value < lo:
        raise InvalidInputError(f"{name} must be >= {lo}, got {value}")


def _short(x: Any) -> str:
    s = str(np.asarray(x).tolist()) if not isinstance(x, str) else repr(x)
    return s if len(s) < 60 else s[:57] + "...]"
