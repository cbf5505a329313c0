"""Cayley and Schreier graphs and the algorithms on them."""

from .bfs import BfsResult, Progress, SearchPlan, bfs, diameter, growth, plan_search
from .graph import CayleyGraph
from .memory import MemoryEstimate, estimate_memory

__all__ = ["BfsResult", "Progress", "SearchPlan", "plan_search", "bfs", "diameter", "growth", "CayleyGraph", "MemoryEstimate", "estimate_memory"]
