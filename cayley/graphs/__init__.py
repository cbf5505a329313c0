"""Cayley and Schreier graphs and the algorithms on them."""

from .bfs import BfsResult, Progress, bfs, diameter, growth
from .graph import CayleyGraph
from .memory import MemoryEstimate, estimate_memory

__all__ = ["BfsResult", "Progress", "bfs", "diameter", "growth", "CayleyGraph", "MemoryEstimate", "estimate_memory"]
