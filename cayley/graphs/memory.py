"""Memory estimates made before a run, and memory readings during it."""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from typing import Optional


from ..backends.packing import packing
from .graph import CayleyGraph

__all__ = ["MemoryEstimate", "estimate_memory", "available_memory_bytes", "peak_rss_bytes", "rss_bytes", "gib", "BATCH_NEIGHBOURS", "limit_bound"]

_BASE_BYTES = 200 * 2**20  # interpreter, numpy, numba and compiled kernels
_TABLE_SLACK = 1 / 0.35  # worst-case slots per key in the hash table after a doubling
_PER_STATE_NUM, _PER_STATE_DEN = 61, 14  # _TABLE_SLACK + 1.5 = 20/7 + 3/2 as an exact fraction
#: Neighbours expanded per batch by the hash engine (bounds its buffer: batch * k words).
BATCH_NEIGHBOURS = 1 << 23


@dataclass(frozen=True)
class MemoryEstimate:
    """Upper-bound estimate of a hash-engine run's peak memory."""

    order: int
    order_known: bool
    states_bound: int
    words: int
    bytes_per_state: float
    peak_bytes: int
    available_bytes: int

    def describe(self) -> str:
        return (
            f"{gib(self.peak_bytes)} (up to {_count(self.states_bound)} states at "
            f"{self.bytes_per_state:.0f} B/state, {self.words} word(s) per packed state)"
        )


def _sci(x: int) -> str:
    """A non-negative integer of any size in the form 5.2e+300 (no float conversion).

    >>> _sci(7), _sci(99), _sci(996), _sci(123456)
    ('7.0e+00', '9.9e+01', '1.0e+03', '1.2e+05')
    """
    digits = str(int(x))
    if len(digits) == 1:
        return f"{digits}.0e+00"
    lead = int(digits[:3].ljust(3, "0")) + 5  # three leading digits, rounded to two
    rounded = str(lead)[:2] if lead < 1000 else "10"
    exp = len(digits) - 1 + (1 if rounded == "10" else 0)
    mant = "1.0" if rounded == "10" else f"{rounded[0]}.{rounded[1]}"
    return f"{mant}e+{exp:02d}"


def _count(n: int) -> str:
    """A state count, readable at any size.

    >>> _count(12345), _count(10**30 * 7)
    ('12,345', 'about 7.0e+30')
    """
    return f"{n:,}" if n < 10**15 else f"about {_sci(n)}"


def gib(b: int | float) -> str:
    """Bytes in MiB or GiB, readable at any size (integers beyond floats included).

    >>> gib(3 * 2**20), gib(5 * 2**30), gib(52 * 10**299 * 2**30)
    ('3 MiB', '5.00 GiB', 'about 5.2e+300 GiB')
    """
    b = int(b)
    if b < 2**28:
        return f"{b / 2**20:.0f} MiB"
    if b < 2**50:
        return f"{b / 2**30:.2f} GiB"
    return f"about {_sci(b >> 30)} GiB"


def estimate_memory(
    graph: CayleyGraph,
    *,
    max_states: Optional[int] = None,
    max_depth: Optional[int] = None,
    exact_order: bool = True,
) -> MemoryEstimate:
    """Estimate peak memory of a full BFS of ``graph`` with the hash engine.

    ``exact_order=False`` bounds the number of states by the size of the ambient space
    (n!, the multinomial for strings, m^entries for matrices) instead of computing the
    group order (Schreier-Sims, which imports sympy and can take seconds for large
    generator sets); ``order_known`` is then False.

    >>> est = estimate_memory(CayleyGraph.from_spec("S_13", "lrx"))
    >>> est.order, est.peak_bytes > 100 * 2**30
    (6227020800, True)
    >>> estimate_memory(CayleyGraph.from_spec("S_6", "lrx", "001122"), exact_order=False).order
    90
    """
    order, known = None, False
    if exact_order:
        try:
            order, known = graph.order(), True
        except Exception:  # pragma: no cover - sympy failure: fall back to the ambient bound
            pass
    if order is None:
        order = ambient_size(graph)
    limit = limit_bound(len(graph.generators), max_states=max_states, max_depth=max_depth)
    bound = order if limit is None else min(order, limit)
    _, words = packing(graph.symbols, graph.state_length)
    per_state = 8 * words * (_TABLE_SLACK + 1.5)
    # the neighbours of one batch of the frontier (at most the whole bound, times k)
    neighbours = min(BATCH_NEIGHBOURS, bound * max(1, len(graph.generators)))
    neighbour_buffer = neighbours * 8 * words * 2
    # integers throughout: the bound of S_170 and beyond does not fit a float
    peak = _BASE_BYTES + neighbour_buffer + bound * 8 * words * _PER_STATE_NUM // _PER_STATE_DEN
    return MemoryEstimate(order, known, bound, words, per_state, peak, available_memory_bytes())


def limit_bound(k: int, *, max_states: Optional[int] = None, max_depth: Optional[int] = None) -> Optional[int]:
    """Most states a search limited by ``max_states`` / ``max_depth`` can hold with ``k``
    generators (None without limits): a ball of radius d has at most 1 + k + ... + k^d.

    >>> limit_bound(3, max_depth=2), limit_bound(3, max_states=10), limit_bound(3)
    (13, 31, None)
    """
    bound = None if max_states is None else max_states * k + 1
    if max_depth is not None:
        ball = max_depth + 1 if k == 1 else (k ** (max_depth + 1) - 1) // (k - 1)
        bound = ball if bound is None else min(bound, ball)
    return bound


def ambient_size(graph: CayleyGraph) -> int:
    """Number of states of the start's shape: n! for distinct symbols, the multinomial
    coefficient for strings, m^entries for matrices; an upper bound on any orbit.

    >>> ambient_size(CayleyGraph.from_spec("S_5", "lrx")), ambient_size(CayleyGraph.from_spec("S_4", "lrx", "0011"))
    (120, 6)
    """
    return graph.action().ambient_size(graph.start)


def available_memory_bytes() -> int:
    """Memory this process may still use: MemAvailable, capped by a cgroup limit."""
    avail = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    avail = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    if avail is None:
        try:
            avail = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            avail = 8 * 2**30
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path) as f:
                text = f.read().strip()
            if text != "max" and int(text) < 2**60:
                avail = min(avail, int(text) - rss_bytes())
        except (OSError, ValueError):
            pass
    return int(avail)


def rss_bytes() -> int:
    """Current resident memory of this process."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return peak_rss_bytes()


def peak_rss_bytes() -> int:
    """Peak resident memory of this process so far."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024
