"""Cayley and Schreier graphs and the algorithms on them."""

from .layers import BfsResult, Progress
from .search import SearchPlan, bfs, diameter, growth, plan_search
from .graph import CayleyGraph
from .memory import MemoryEstimate, estimate_memory

__all__ = ["BfsResult", "Progress", "SearchPlan", "plan_search", "bfs", "diameter", "growth", "CayleyGraph", "MemoryEstimate", "estimate_memory"]
from .heuristics import Breakpoints, Hamming, Heuristic, MaxOf, PatternDatabase, default_heuristic  # noqa: E402
from .paths import (  # noqa: E402
    Path,
    Walks,
    apply_path,
    beam_search,
    find_path,
    meet_in_the_middle,
    random_walks,
    scramble,
    shortest_path,
)

__all__ += [
    "Breakpoints",
    "Hamming",
    "Heuristic",
    "MaxOf",
    "PatternDatabase",
    "default_heuristic",
    "Path",
    "Walks",
    "apply_path",
    "beam_search",
    "find_path",
    "meet_in_the_middle",
    "random_walks",
    "scramble",
    "shortest_path",
]
