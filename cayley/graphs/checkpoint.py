"""Resumable runs: each finished layer is written to a checkpoint folder atomically.

A checkpoint folder holds ``meta.json`` and one ``.npy`` file per saved array. Arrays are
written to a temporary name, flushed and renamed; ``meta.json`` (which lists the arrays
with their sizes and BLAKE2 checksums) is replaced last, so a kill at any moment leaves
either the previous checkpoint or the new one, never a mix. Files no longer listed are
removed after the new ``meta.json`` is in place.

>>> import tempfile, numpy as np
>>> from cayley import CayleyGraph
>>> g = CayleyGraph.from_spec("S_4", "lrx")
>>> d = tempfile.mkdtemp()
>>> ck = Checkpoint(d, g, engine="hash")
>>> ck.save(depth=1, growth=[1, 3], arrays={"layer-1": np.arange(3, dtype=np.uint64)})
>>> state = Checkpoint(d, g, engine="hash").load()
>>> state.depth, state.growth, state.arrays["layer-1"].tolist()
(1, [1, 3], [0, 1, 2])
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

from .. import __version__
from ..errors import CayleyError
from .graph import CayleyGraph

__all__ = ["Checkpoint", "CheckpointState", "CheckpointError", "ShardedCheckpoint"]

FORMAT = 1


class CheckpointError(CayleyError):
    """A checkpoint that cannot be written, or one that is corrupt or belongs to another run."""


@dataclass
class CheckpointState:
    depth: int
    growth: list[int]
    arrays: dict[str, np.ndarray]
    extra: dict = field(default_factory=dict)


def graph_fingerprint(graph: CayleyGraph) -> str:
    h = hashlib.blake2b(digest_size=16)
    gens = graph.generators
    if graph.is_matrix:  # matrices and modulus; permutation fingerprints stay as they were
        h.update(b"matrix %d " % gens.modulus + gens.matrices.tobytes())
    else:
        h.update(gens.perms.tobytes())
    h.update(graph.start.tobytes())
    return h.hexdigest()


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 24), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Checkpoint:
    """A checkpoint folder for one run (graph + engine)."""

    def __init__(self, directory: str | os.PathLike, graph: CayleyGraph, *, engine: str):
        self.dir = Path(directory)
        self.graph = graph
        self.engine = engine
        self.fingerprint = graph_fingerprint(graph)
        self._files: dict[str, dict] = {}

    @property
    def meta_path(self) -> Path:
        return self.dir / "meta.json"

    def load(self) -> Optional[CheckpointState]:
        """The saved state, or None for an empty or missing folder.

        Raises :class:`CheckpointError` when the folder holds a checkpoint of another run
        or a corrupt one (a missing file, a wrong size or checksum).
        """
        if not self.meta_path.exists():
            if self.dir.exists() and any(p.suffix == ".npy" for p in self.dir.iterdir()):
                raise CheckpointError(f"checkpoint folder {str(self.dir)!r} has data files but no meta.json: corrupt")
            return None
        try:
            meta = json.loads(self.meta_path.read_text())
        except (OSError, ValueError) as exc:
            raise CheckpointError(f"checkpoint {str(self.meta_path)!r} is unreadable or corrupt: {exc}") from None
        if meta.get("format") != FORMAT:
            raise CheckpointError(f"checkpoint {str(self.dir)!r} has format {meta.get('format')!r}, expected {FORMAT}")
        if meta.get("fingerprint") != self.fingerprint or meta.get("engine") != self.engine:
            raise CheckpointError(
                f"checkpoint folder {str(self.dir)!r} belongs to another run "
                f"({meta.get('graph')!r}, engine {meta.get('engine')!r}); use an empty folder for {self.graph.name!r}"
            )
        arrays = {}
        for name, info in meta["files"].items():
            path = self.dir / info["file"]
            if not path.exists():
                raise CheckpointError(f"checkpoint {str(self.dir)!r} is corrupt: {info['file']} is missing")
            if path.stat().st_size != info["bytes"] or _digest(path) != info["digest"]:
                raise CheckpointError(f"checkpoint {str(self.dir)!r} is corrupt: {info['file']} fails its checksum")
            arrays[name] = np.load(path, allow_pickle=False)
        self._files = dict(meta["files"])
        return CheckpointState(int(meta["depth"]), [int(x) for x in meta["growth"]], arrays, meta.get("extra", {}))

    def save(
        self, *, depth: int, growth: list[int], arrays: dict[str, Optional[np.ndarray]], extra: dict | None = None
    ) -> None:
        """Atomically make ``arrays`` (plus nothing else) the saved state at ``depth``.

        An array whose name was saved before is not written again (layers are immutable);
        its value may then be None (kept on disk, no longer in memory).
        """
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            files = {}
            for name, arr in arrays.items():
                if name in self._files:
                    files[name] = self._files[name]
                    continue
                if arr is None:
                    raise CheckpointError(f"array {name!r} was never saved in {str(self.dir)!r}")
                fname = f"{name}.npy"
                tmp = self.dir / f".{fname}.tmp"
                if hasattr(arr, "cpu"):  # a torch tensor: copy to the host only when written
                    arr = arr.cpu().numpy()
                with open(tmp, "wb") as f:
                    np.save(f, np.ascontiguousarray(arr), allow_pickle=False)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, self.dir / fname)
                files[name] = {"file": fname, "bytes": (self.dir / fname).stat().st_size, "digest": _digest(self.dir / fname)}
            meta = {
                "format": FORMAT,
                "cayley_version": __version__,
                "graph": self.graph.name,
                "fingerprint": self.fingerprint,
                "engine": self.engine,
                "depth": depth,
                "growth": [int(x) for x in growth],
                "files": files,
                "extra": extra or {},
            }
            tmp = self.dir / ".meta.json.tmp"
            with open(tmp, "w") as f:
                json.dump(meta, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.meta_path)
            _fsync_dir(self.dir)
        except OSError as exc:
            raise CheckpointError(
                f"cannot write checkpoint in {str(self.dir)!r}: {exc.strerror or exc}; "
                "the previous checkpoint (if any) is intact"
            ) from None
        stale = {info["file"] for info in self._files.values()} - {info["file"] for info in files.values()}
        self._files = files
        for fname in stale:
            try:
                (self.dir / fname).unlink()
            except OSError:
                pass


class ShardedCheckpoint:
    """The checkpoint of a run split over processes (the distributed rank engine): folder
    ``shard-R-of-W`` per process, each with two slots that saves alternate between, so every
    process always holds its last two saves intact. All processes save at the same layers
    (the driver asks the kernels to agree), and :meth:`load` takes the newest layer that
    every process holds: a kill in the middle of a save, which leaves some processes one
    save ahead, resumes from the save before it. Same ``load``/``save`` contract as
    :class:`Checkpoint`; both are collective (``gather(obj)`` returns every process's
    ``obj`` in process order).
    """

    def __init__(self, directory, graph: CayleyGraph, *, rank: int, world: int, gather):
        root = Path(directory)
        mine = f"-of-{world:04d}"
        if root.exists():
            others = sorted({p.name.rsplit("-of-", 1)[1] for p in root.glob("shard-*-of-*") if not p.name.endswith(mine)})
            if others:
                raise CheckpointError(
                    f"checkpoint folder {str(root)!r} was written by a run of {int(others[0])} processes, this run has "
                    f"{world}: resume it with as many (torchrun --nproc-per-node ...) or use an empty folder"
                )
            if any(p.suffix == ".npy" or p.name == "meta.json" for p in root.iterdir()):
                raise CheckpointError(
                    f"checkpoint folder {str(root)!r} holds a single-process checkpoint; resume it without "
                    "--backend distributed or use an empty folder"
                )
        shard = root / f"shard-{rank:04d}{mine}"
        self.slots = [Checkpoint(shard / slot, graph, engine="rank") for slot in ("a", "b")]
        self.gather = gather
        self._next = 0
        self._last_depth: Optional[int] = None

    def load(self) -> Optional[CheckpointState]:
        states = [slot.load() for slot in self.slots]
        held = {s.depth: i for i, s in enumerate(states) if s is not None}
        everyone = self.gather(sorted(held))
        if not any(everyone):
            return None
        common = set(everyone[0]).intersection(*everyone[1:])
        if not common:
            raise CheckpointError(
                f"the processes' checkpoints hold no common layer (layers held: {everyone}): corrupt or mixed folders"
            )
        i = held[max(common)]
        self._next = 1 - i  # the next save replaces the other slot, never the one resumed from
        self._last_depth = max(common)
        return states[i]

    def save(self, **kw) -> None:
        if kw.get("depth") == self._last_depth:  # the same layer again (a stop after a save):
            self.slots[1 - self._next].save(**kw)  # rewrite it, keep the older save as the backup
            return
        self.slots[self._next].save(**kw)
        self._next = 1 - self._next
        self._last_depth = kw.get("depth")
