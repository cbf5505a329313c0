"""The hash engine: breadth-first search over packed states with an exact visited set.

Any state space: states are bit-packed into rows of 64-bit words and deduplicated by the
backend's exact key set (:class:`~cayley.backends.registry.HashKernels`). Undirected
graphs keep a two-layer window (the neighbours of layer d+1 lie in layers d, d+1, d+2);
directed graphs keep every layer visited. :class:`HashStep` is the engine as a
:class:`~cayley.graphs.layers.SearchStep` of the layer loop.

>>> from cayley import CayleyGraph
>>> from cayley.backends.registry import hash_kernels
>>> from cayley.graphs.layers import bfs_layers
>>> r = bfs_layers(HashStep(CayleyGraph.from_spec("S_4", "coxeter"), hash_kernels("cpu")))
>>> r.growth, r.engine, r.last_layer.tolist()
((1, 3, 5, 6, 5, 3, 1), 'hash', [[3, 2, 1, 0]])
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..backends.packing import packing
from ..backends.registry import HashKernels, KeySet
from .checkpoint import Checkpoint, CheckpointError, CheckpointState, check_finished
from .graph import CayleyGraph
from .layers import CheckpointStore
from .memory import BATCH_NEIGHBOURS

__all__ = ["HashStep", "check_hash_state"]


class HashStep:
    """The hash engine's state between layers: packed layers by depth, the visited set and
    the frontier, over the kernels ``be``.

    ``keys[d]`` holds the packed states of layer ``d`` while the search still needs them
    (the last two layers, or every layer of a directed graph, plus small layers); with a
    checkpoint a directed search marks layers it keeps only on disk as None.
    ``order_known`` says whether the group order is cheap enough for progress reports.
    """

    engine = "hash"
    shares_folder = False

    def __init__(
        self,
        graph: CayleyGraph,
        be: HashKernels,
        *,
        store_layers_up_to: int = 1000,
        last_layer_limit: int = 1_000_000,
        order_known: bool = True,
    ) -> None:
        self.graph, self.be = graph, be
        self.backend = be.NAME
        self.action = graph.action()
        self.bits, self.words = packing(graph.symbols, graph.state_length)
        self.undirected = graph.undirected
        self.store_up_to, self.last_limit = store_layers_up_to, last_layer_limit
        self.order_known = order_known
        self.batch = max(1, BATCH_NEIGHBOURS // len(graph.generators))
        self.with_checkpoint = False
        self.keys: dict[int, Any] = {}
        self.visited: Optional[KeySet] = None
        self.cur: Any = None

    def _decode(self, keys: Any) -> np.ndarray:
        return self.be.decode(keys, self.graph.state_length, self.bits)

    def expected_order(self) -> Optional[int]:
        if not self.order_known:
            return None
        try:
            return int(self.graph.order())
        except Exception:  # order is a nicety for progress; never fail the search on it
            return None

    def open_checkpoint(self, folder: str) -> CheckpointStore:
        self.with_checkpoint = True
        return Checkpoint(folder, self.graph, engine="hash")

    def check_state(self, state: CheckpointState, where: str) -> None:
        check_hash_state(state, self.graph, self.words, self.undirected, where)

    def _saved_keys(self, state: CheckpointState) -> dict[int, Any]:
        return {int(name.split("-")[1]): self.be.from_numpy(a).reshape(-1, self.words) for name, a in state.arrays.items()}

    def cut_arrays(self, state: CheckpointState, depth: int) -> tuple[dict[int, np.ndarray], Optional[np.ndarray]]:
        keys = self._saved_keys(state)
        layers = {d: self._decode(a) for d, a in keys.items() if d <= depth and len(a) <= self.store_up_to}
        last = self._decode(keys[depth]) if depth in keys and len(keys[depth]) <= self.last_limit else None
        return layers, last

    def start(self) -> None:
        self.keys = {0: self.be.encode(self.graph.start.reshape(1, -1), self.bits, self.words)}
        self._init_visited(0)

    def resume(self, state: CheckpointState) -> tuple[list[int], bool]:
        self.keys = self._saved_keys(state)
        self._init_visited(len(state.growth) - 1)
        return list(state.growth), bool(state.extra.get("finished"))

    def _init_visited(self, depth: int) -> None:
        keys = self.keys
        visited = self.be.key_set(self.words, capacity=sum(len(a) for a in keys.values()))
        for d in sorted(keys):
            if not self.undirected or d >= depth - 1:
                visited.add_new(keys[d])
        if not self.undirected:  # now in the visited set; keep only what a checkpoint must list
            self.keys = {d: (a if d >= depth - 1 or len(a) <= self.store_up_to else None) for d, a in keys.items()}
        self.visited = visited
        self.cur = self.keys[depth]

    def _new_neighbours(self, cur: Any) -> list[Any]:
        assert self.visited is not None
        parts = []
        for lo in range(0, len(cur), self.batch):
            new = self.visited.add_new(self.be.expand(cur[lo : lo + self.batch], self.action, self.bits))
            if len(new):
                parts.append(new)
        return parts

    def expand(self, growth: list[int], total: int) -> int:
        parts = self._new_neighbours(self.cur)
        if not parts:
            return 0
        be, cur = self.be, self.cur
        nxt = be.concat(parts).reshape(-1, self.words)
        if self.undirected:
            # two-layer window: neighbours of layer d+1 lie in layers d, d+1, d+2
            visited = be.key_set(self.words, capacity=2 * (len(cur) + len(nxt)))
            visited.add_new(cur)
            visited.add_new(nxt)
            self.visited = visited
        depth = len(growth)
        keys = self.keys
        keys[depth] = self.cur = nxt
        # drop big layers the search no longer needs; a directed search keeps them in
        # its visited set, and a checkpoint keeps them on disk (None: saved, not in memory)
        for d in [d for d, a in keys.items() if d < depth - 1 and a is not None and len(a) > self.store_up_to]:
            if self.undirected:
                del keys[d]
            else:
                keys[d] = None
        if not self.undirected and not self.with_checkpoint:
            self.keys = {d: a for d, a in keys.items() if a is not None}
        return int(len(nxt))

    def save_due(self) -> bool:
        return True  # every layer

    def save(self, ck: CheckpointStore, growth: list[int], finished: bool) -> None:
        arrays = {f"layer-{d:06d}": a for d, a in self.keys.items()}
        if finished:
            ck.save(depth=len(growth) - 1, growth=growth, arrays=arrays, extra={"finished": True})
        else:
            ck.save(depth=len(growth) - 1, growth=growth, arrays=arrays)

    def stopped(self, ck: Optional[CheckpointStore], growth: list[int]) -> None:
        pass  # every layer is saved already

    def closed(self) -> bool:
        return not self._new_neighbours(self.cur)

    def result_arrays(self, growth: list[int], completed: bool) -> tuple[dict[int, np.ndarray], Optional[np.ndarray]]:
        layers = {d: self._decode(a) for d, a in sorted(self.keys.items()) if a is not None and len(a) <= self.store_up_to}
        last = self._decode(self.cur) if len(self.cur) <= self.last_limit else None
        return layers, last


def check_hash_state(state: CheckpointState, graph: CayleyGraph, words: int, undirected: bool, where: str) -> None:
    """A hash-engine checkpoint's arrays against its growth, before any kernel sees them:
    only layers, each with as many packed states as the growth says, and every layer the
    search needs to go on (the last two, or all of them for a directed graph)."""

    def corrupt(what: str) -> CheckpointError:
        return CheckpointError(
            f"checkpoint {str(where)!r} is corrupt: {what}; delete the folder (or use another one) to start afresh"
        )

    depth, growth = state.depth, state.growth
    for name, a in state.arrays.items():
        if not name.startswith("layer-"):
            raise corrupt(f"array {name!r} does not belong to a hash-engine checkpoint")
        d = int(name.split("-")[1])
        if a.dtype.itemsize != 8 or a.size != growth[d] * words or (a.ndim == 2 and a.shape[1] != words):
            raise corrupt(f"layer {d} holds {a.size} words of {a.dtype}, the growth says {growth[d]} states")
    needed = range(depth + 1) if not undirected else range(max(0, depth - 1), depth + 1)
    missing = [d for d in needed if f"layer-{d:06d}" not in state.arrays]
    if missing:
        raise corrupt(f"layers {missing} are missing")
    if state.extra.get("finished"):
        check_finished(graph, growth, where)
