"""Resumable runs: each finished layer is written to a checkpoint folder atomically.

A checkpoint folder holds ``meta.json`` and one ``.npy`` file per saved array. Arrays are
written to a temporary name, flushed and renamed; ``meta.json`` (which lists the arrays
with their sizes and BLAKE2 checksums, and carries a BLAKE2 checksum of its own canonical
content) is replaced last, so a kill at any moment leaves either the previous checkpoint
or the new one, never a mix. Files no longer listed are removed after the new
``meta.json`` is in place; temporary files and unlisted data files that a killed save
left behind are removed by the next run (which holds the folder's lock, see
:func:`checkpoint_lock`). Loading verifies everything before a kernel sees it: the
checksums, every field's type and range, file names (plain names inside the folder),
and the growth against the arrays (see docs/security-checkpoint.md).

>>> import tempfile, numpy as np
>>> from cayley import CayleyGraph
>>> g = CayleyGraph.from_spec("S_4", "lrx")
>>> d = tempfile.mkdtemp()
>>> ck = Checkpoint(d, g, engine="hash")
>>> ck.save(depth=1, growth=[1, 3], arrays={"layer-000001": np.arange(3, dtype=np.uint64)})
>>> state = Checkpoint(d, g, engine="hash").load()
>>> state.depth, state.growth, state.arrays["layer-000001"].tolist()
(1, [1, 3], [0, 1, 2])
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import numpy as np

from ..version import __version__
from ..errors import CayleyError
from ..groups.matrix import MatrixGeneratorSet
from .graph import CayleyGraph

__all__ = ["Checkpoint", "CheckpointState", "CheckpointError", "ShardedCheckpoint", "checkpoint_lock", "seal", "check_finished"]

FORMAT = 2
LOCK_NAME = ".cayley-lock"
# array names a checkpoint may hold; a file is always the array's name plus ".npy"
_ARRAY_NAME = re.compile(r"(layer|codes|flags)-[0-9]{6}|last")
_DATA_FILE = re.compile(r"((layer|codes|flags)-[0-9]{6}|last)\.npy")
_META_KEYS = {"format", "cayley_version", "graph", "fingerprint", "engine", "depth", "growth", "files", "extra",
              "checksum"}
_REMEDY = "delete the folder (or use another one) to start afresh"
_saves_in_this_process = 0


class CheckpointError(CayleyError):
    """A checkpoint that cannot be written, or one that is corrupt or belongs to another run."""


@dataclass
class CheckpointState:
    depth: int
    growth: list[int]
    arrays: dict[str, np.ndarray]
    extra: dict[str, Any] = field(default_factory=dict)


def graph_fingerprint(graph: CayleyGraph) -> str:
    h = hashlib.blake2b(digest_size=16)
    gens = graph.generators
    if isinstance(gens, MatrixGeneratorSet):  # matrices and modulus; permutation fingerprints stay as they were
        h.update(b"matrix %d " % gens.modulus + gens.matrices.tobytes())
    else:
        h.update(gens.perms.tobytes())
    h.update(graph.start.tobytes())
    return h.hexdigest()


def _canonical(meta: dict[str, Any]) -> bytes:
    body = {k: v for k, v in meta.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def seal(meta: dict[str, Any]) -> dict[str, Any]:
    """``meta`` with its ``checksum``: BLAKE2b of its canonical JSON (sorted keys, no
    spaces) without the checksum itself.

    >>> seal({"depth": 1})["checksum"][:16]
    '565534306e7c28c3'
    """
    out = {k: v for k, v in meta.items() if k != "checksum"}
    out["checksum"] = hashlib.blake2b(_canonical(out), digest_size=32).hexdigest()
    return out


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


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


@contextmanager
def checkpoint_lock(directory: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold ``directory``'s lock (an ``fcntl`` lock on its ``.cayley-lock`` file) for one
    run; a second run on the same folder gets a :class:`CheckpointError` instead of racing.
    The lock goes with the process (a kill releases it).

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> with checkpoint_lock(d):
    ...     with checkpoint_lock(d):
    ...         pass
    Traceback (most recent call last):
    ...
    cayley.graphs.checkpoint.CheckpointError: checkpoint folder ... is in use by another run ...
    """
    root = Path(directory)
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise CheckpointError(f"cannot use checkpoint folder {str(root)!r}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            try:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            except OSError:
                holder = ""
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise CheckpointError(
                f"checkpoint folder {str(root)!r} is in use by another run{who}; wait for it to end or use another folder"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        except OSError:
            pass
        try:
            yield root
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _test_save_hook(directory: Path, meta_text: str) -> None:
    """Tests only (``CAYLEY_TEST_SAVE_HOOK=n``): the n-th save of this process stops after
    its data files are in place, with half its meta.json written to the temporary name,
    and waits to be killed."""
    global _saves_in_this_process
    hook = os.environ.get("CAYLEY_TEST_SAVE_HOOK")
    if not hook:
        return
    _saves_in_this_process += 1
    if _saves_in_this_process != int(hook):
        return
    (directory / ".meta.json.tmp").write_text(meta_text[: len(meta_text) // 2])
    print(f"cayley: save hook: save {hook} waits to be killed", file=sys.stderr, flush=True)
    time.sleep(600)


class Checkpoint:
    """A checkpoint folder for one run (graph + engine)."""

    def __init__(self, directory: str | os.PathLike[str], graph: CayleyGraph, *, engine: str) -> None:
        self.dir = Path(directory)
        self.graph = graph
        self.engine = engine
        self.fingerprint = graph_fingerprint(graph)
        self._files: dict[str, dict[str, Any]] = {}

    @property
    def meta_path(self) -> Path:
        return self.dir / "meta.json"

    def _corrupt(self, what: str) -> CheckpointError:
        return CheckpointError(f"checkpoint {str(self.dir)!r} is corrupt: {what}; {_REMEDY}")

    def _clean(self, keep: set[str]) -> None:
        """Remove what killed saves left: temporary files and data files not listed."""
        for p in self.dir.iterdir():
            stale_tmp = p.name.startswith(".") and p.name.endswith(".tmp")
            if stale_tmp or (_DATA_FILE.fullmatch(p.name) and p.name not in keep):
                try:
                    p.unlink()
                except OSError:
                    pass

    def load(self, *, clean: bool = False) -> Optional[CheckpointState]:
        """The saved state, or None for an empty or missing folder, or one whose first
        save never completed (a run killed before it).

        Raises :class:`CheckpointError` when the folder holds a checkpoint of another run,
        of another format, or a corrupt one (a checksum, a field, a missing file). With
        ``clean`` (the run holding the folder's lock) the leftovers of killed saves are
        removed.
        """
        if not self.meta_path.exists():
            if clean and self.dir.is_dir():
                self._clean(set())
            return None
        try:
            raw = self.meta_path.read_bytes()
            meta = json.loads(raw)
        except (OSError, ValueError, RecursionError) as exc:
            raise CheckpointError(f"checkpoint {str(self.meta_path)!r} is unreadable or corrupt ({exc}); {_REMEDY}") from None
        if not isinstance(meta, dict):
            raise self._corrupt("meta.json is not an object")
        if meta.get("format") != FORMAT:
            raise CheckpointError(
                f"checkpoint {str(self.dir)!r} has format {meta.get('format')!r}, this cayley ({__version__}) reads "
                f"format {FORMAT}; {_REMEDY}"
            )
        try:
            ok = isinstance(meta.get("checksum"), str) and seal(meta)["checksum"] == meta["checksum"]
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise self._corrupt("meta.json fails its checksum (edited or damaged)")
        if meta.get("fingerprint") != self.fingerprint or meta.get("engine") != self.engine:
            raise CheckpointError(
                f"checkpoint folder {str(self.dir)!r} belongs to another run "
                f"({meta.get('graph')!r}, engine {meta.get('engine')!r}); use an empty folder for {self.graph.name!r}"
            )
        depth, growth, files, extra = self._fields(meta)
        arrays = {}
        for name, info in files.items():
            path = self.dir / info["file"]
            if not path.is_file():
                raise self._corrupt(f"{info['file']} is missing")
            if path.stat().st_size != info["bytes"] or _digest(path) != info["digest"]:
                raise self._corrupt(f"{info['file']} fails its checksum")
            try:
                arr = np.load(path, allow_pickle=False)
            except (OSError, ValueError, EOFError) as exc:
                raise self._corrupt(f"{info['file']} is not a readable array ({exc})") from None
            if arr.dtype.kind not in "iu" or arr.ndim not in (1, 2):
                raise self._corrupt(f"{info['file']} holds {arr.dtype} of {arr.ndim} dimensions, not integers")
            arrays[name] = arr
        if clean:
            self._clean({info["file"] for info in files.values()})
        self._files = dict(files)
        return CheckpointState(depth, growth, arrays, extra)

    def _fields(self, meta: dict[str, Any]) -> tuple[int, list[int], dict[str, Any], dict[str, Any]]:
        """Validate meta.json's fields (types, ranges, file names); no file is opened."""
        unknown = set(meta) - _META_KEYS
        if unknown:
            raise self._corrupt(f"meta.json has unknown fields {sorted(unknown)}")
        depth, growth, files, extra = meta.get("depth"), meta.get("growth"), meta.get("files"), meta.get("extra")
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
            raise self._corrupt(f"depth {depth!r} is not a non-negative integer")
        if not isinstance(growth, list) or len(growth) != depth + 1:
            raise self._corrupt(f"the growth has {_len(growth)} entries for depth {depth}")
        if not all(_is_int(x) and x >= 1 for x in growth) or growth[0] != 1:
            raise self._corrupt("the growth is not a list of positive integers starting with 1")
        from .memory import ambient_size

        if sum(growth) > ambient_size(self.graph):
            raise self._corrupt(f"the growth counts {sum(growth):,} states, more than the state space holds")
        if not isinstance(extra, dict):
            raise self._corrupt("meta.json's extra is not an object")
        if "finished" in extra and not isinstance(extra["finished"], bool):
            raise self._corrupt(f"finished is {extra['finished']!r}, not true or false")
        if not isinstance(files, dict):
            raise self._corrupt("meta.json's files is not an object")
        for name, info in files.items():
            if not isinstance(info, dict) or set(info) != {"file", "bytes", "digest"}:
                raise self._corrupt(f"the entry of array {name!r} is malformed")
            fname = info["file"]
            if not isinstance(fname, str) or not _ARRAY_NAME.fullmatch(name) or fname != f"{name}.npy":
                raise self._corrupt(
                    f"array {name!r} has file name {fname!r}; file names must be the plain names NAME.npy inside the folder"
                )
            if not _is_int(info["bytes"]) or info["bytes"] < 0 or not isinstance(info["digest"], str):
                raise self._corrupt(f"the size or digest of {fname} is malformed")
            if name != "last" and int(name.split("-")[1]) > depth:
                raise self._corrupt(f"array {name!r} lies beyond the checkpoint's depth {depth}")
        return depth, [int(x) for x in growth], files, extra

    def save(
        self, *, depth: int, growth: list[int], arrays: dict[str, Optional[np.ndarray]], extra: dict[str, Any] | None = None
    ) -> None:
        """Atomically make ``arrays`` (plus nothing else) the saved state at ``depth``.

        An array whose name was saved before is not written again (layers are immutable);
        its value may then be None (kept on disk, no longer in memory). Data files are
        written under temporary names, synced and renamed; meta.json is renamed into place
        last, so until then the previous save stays complete.
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
                if not _ARRAY_NAME.fullmatch(name):
                    raise CheckpointError(f"array name {name!r} is not one a checkpoint holds")
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
            meta = seal({
                "format": FORMAT,
                "cayley_version": __version__,
                "graph": self.graph.name,
                "fingerprint": self.fingerprint,
                "engine": self.engine,
                "depth": int(depth),
                "growth": [int(x) for x in growth],
                "files": files,
                "extra": extra or {},
            })
            text = json.dumps(meta)
            _test_save_hook(self.dir, text)
            tmp = self.dir / ".meta.json.tmp"
            with open(tmp, "w") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            _fsync_dir(self.dir)  # the data files' names are durable before meta.json names them
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
            if _DATA_FILE.fullmatch(fname):
                try:
                    (self.dir / fname).unlink()
                except OSError:
                    pass


def _len(x: object) -> str:
    return str(len(x)) if isinstance(x, list) else "no list of"


def check_finished(graph: CayleyGraph, growth: list[int], where: object) -> None:
    """A checkpoint that says its search finished must have found the whole orbit: the
    growth's total against the group order (Schreier-Sims, computed independently).
    Graphs whose orbits are only counted by a search (matrix groups: the action's
    ``independent_order``) are not checked."""
    if not graph.action().independent_order:
        return
    try:
        order = graph.order()
    except CayleyError:
        raise
    except Exception:  # sympy failure: nothing to check against
        return
    if sum(growth) != order:
        raise CheckpointError(
            f"checkpoint {str(where)!r} is corrupt: it says the search finished with {sum(growth):,} states, "
            f"but the orbit has {order:,}; {_REMEDY}"
        )


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

    def __init__(
        self, directory: str | os.PathLike[str], graph: CayleyGraph, *, rank: int, world: int,
        gather: Callable[[Any], list[Any]],
    ) -> None:
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

    def load(self, *, clean: bool = True) -> Optional[CheckpointState]:
        """The newest layer every process holds (None when some process holds none);
        ``clean`` as :meth:`Checkpoint.load` (each process cleans its own slots)."""
        states = [slot.load(clean=clean) for slot in self.slots]
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

    def save(self, **kw: Any) -> None:
        if kw.get("depth") == self._last_depth:  # the same layer again (a stop after a save):
            self.slots[1 - self._next].save(**kw)  # rewrite it, keep the older save as the backup
            return
        self.slots[self._next].save(**kw)
        self._next = 1 - self._next
        self._last_depth = kw.get("depth")
