"""Conjectures on Cayley graphs as data: a catalogue checked against computed results,
a results store, and formula discovery.

``cayley.conjectures.store`` holds :class:`ResultsStore` (computed BFS results in SQLite).
"""

from .store import ResultsStore, StoredResult, default_path, graph_key

__all__ = ["ResultsStore", "StoredResult", "default_path", "graph_key"]
