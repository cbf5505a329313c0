"""The rank engine across processes (cayley.backends.distributed_rank): several local
processes on gloo must give exactly the numba engine's growth and last layers, and the CLI
runs under torchrun with only rank 0 printing."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.distributed as dist  # noqa: E402
import torch.multiprocessing as mp  # noqa: E402

from cayley import CayleyGraph, bfs  # noqa: E402
from cayley.errors import InvalidInputError  # noqa: E402

if not dist.is_available() or not dist.is_gloo_available():  # pragma: no cover
    pytest.skip("torch.distributed with gloo is not available", allow_module_level=True)

CASES = [(("S_8", "lrx"), None), (("S_7", "pancake"), None), (("S_7", "lx"), None), (("S_9", "coxeter"), None),
         (("S_10", "lrx"), "0001112223"), (("S_6", "all_transpositions"), None)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _worker(rank, world, port, out, work_bytes):
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = "127.0.0.1", str(port)
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    from cayley.graphs.rank_engine import rank_bfs

    rows = []
    for spec, start in CASES:
        r = rank_bfs(CayleyGraph.from_spec(*spec, start=start), backend="distributed", work_bytes=work_bytes)
        rows.append({"growth": list(r.growth), "backend": r.backend,
                     "last": None if r.last_layer is None else r.last_layer.tolist(),
                     "layers": {str(d): a.tolist() for d, a in r.layers.items()}})
    r = rank_bfs(CayleyGraph.from_spec("S_8", "lrx"), backend="distributed", max_depth=5)
    rows.append({"growth": list(r.growth), "completed": r.completed, "last": r.last_layer.tolist()})
    with open(os.path.join(out, f"rank{rank}.json"), "w") as f:
        json.dump(rows, f)
    dist.destroy_process_group()


@pytest.mark.parametrize("world,work_bytes,kernels", [(2, None, "numba"), (3, 2**14, "numba"), (2, None, "torch"),
                                                     (3, 2**14, "torch")])
def test_local_processes_equal_the_numba_engine(tmp_path, monkeypatch, world, work_bytes, kernels):
    """2 processes; 3 processes with small batches (~30 states on torch, one block of 5040
    ranks per chunk on numba), so a layer takes many rounds and processes run out of frontier
    at different rounds; CPU permutations take numba's expand/claim kernels, the rest torch's."""
    monkeypatch.setenv("CAYLEY_DIST_NUMBA", "1" if kernels == "numba" else "0")
    mp.spawn(_worker, args=(world, _free_port(), str(tmp_path), work_bytes), nprocs=world, join=True)
    runs = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in range(world)]
    assert all(run == runs[0] for run in runs)  # every process returns the same result
    for (spec, start), row in zip(CASES, runs[0]):
        ref = bfs(CayleyGraph.from_spec(*spec, start=start), engine="rank", backend="cpu")
        assert row["growth"] == list(ref.growth), spec
        assert row["last"] == ref.last_layer.tolist(), spec
        numba_used = kernels == "numba" and start is None
        assert row["backend"] == f"distributed-gloox{world}" + ("-numba" if numba_used else "")
        assert all(np.array_equal(np.array(row["layers"][str(d)]), a) for d, a in ref.layers.items())
    part = runs[0][-1]
    ref = bfs(CayleyGraph.from_spec("S_8", "lrx"), engine="rank", backend="cpu", max_depth=5)
    assert part["growth"] == list(ref.growth) and not part["completed"] and part["last"] == ref.last_layer.tolist()


def test_cli_under_torchrun_prints_once(tmp_path):
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-port", str(_free_port()),
           "-m", "cayley", "growth", "S_8", "--gens", "lrx", "--backend", "distributed", "--format", "json",
           "--no-progress"]
    env = dict(os.environ, OMP_NUM_THREADS="1", CAYLEY_DIST_BACKEND="gloo")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out["growth"] == list(bfs(CayleyGraph.from_spec("S_8", "lrx")).growth)
    assert out["backend"] == "distributed-gloox2-numba"


def _checkpoint_worker(rank, world, port, out, phase):
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = "127.0.0.1", str(port)
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    from cayley.graphs.rank_engine import rank_bfs

    graph = CayleyGraph.from_spec("S_8", "lrx")
    ck = os.path.join(out, "ck")
    kw = {"max_depth": 12, "checkpoint_seconds": 0} if phase == "first" else {}
    try:
        r = rank_bfs(graph, backend="distributed", checkpoint=ck, **kw)
        row = {"growth": list(r.growth), "last": r.last_layer.tolist(), "completed": r.completed}
    except Exception as exc:  # noqa: BLE001 - reported to the test
        row = {"error": f"{type(exc).__name__}: {exc}"}
    with open(os.path.join(out, f"{phase}{rank}.json"), "w") as f:
        json.dump(row, f)
    dist.destroy_process_group()


def test_checkpoints_resume_also_after_a_kill_mid_save(tmp_path):
    """Stop at depth 12 (saved after every layer), then make process 1 look killed in the
    middle of its last save (its newest slot gone, process 0's kept): the rerun resumes from
    the newest layer both hold and ends with the numba engine's result."""
    full = bfs(CayleyGraph.from_spec("S_8", "lrx"), engine="rank", backend="cpu")
    mp.spawn(_checkpoint_worker, args=(2, _free_port(), str(tmp_path), "first"), nprocs=2, join=True)
    first = json.loads((tmp_path / "first0.json").read_text())
    assert first["growth"] == list(full.growth[:13]) and not first["completed"]
    def depths(shard):
        return sorted(json.loads((p / "meta.json").read_text())["depth"] for p in shard.iterdir())

    shard0, shard1 = (tmp_path / "ck" / f"shard-000{r}-of-0002" for r in range(2))
    assert depths(shard0) == depths(shard1) == [11, 12]  # the last two layers, each process
    newest = max(shard1.iterdir(), key=lambda p: json.loads((p / "meta.json").read_text())["depth"])
    for f in newest.iterdir():
        f.unlink()
    newest.rmdir()
    assert depths(shard1) == [11]  # process 1 "died" saving layer 12: resume from 11
    mp.spawn(_checkpoint_worker, args=(2, _free_port(), str(tmp_path), "second"), nprocs=2, join=True)
    for r in range(2):
        row = json.loads((tmp_path / f"second{r}.json").read_text())
        assert row.get("error") is None, row
        assert row["growth"] == list(full.growth) and row["last"] == full.last_layer.tolist()
    # a different number of processes is refused with the reason
    mp.spawn(_checkpoint_worker, args=(3, _free_port(), str(tmp_path), "third"), nprocs=3, join=True)
    row = json.loads((tmp_path / "third0.json").read_text())
    assert "written by a run of 2 processes" in row["error"]


def test_memory_check_shares_the_machine_between_local_processes(monkeypatch):
    """Four processes on one machine each get a quarter of its memory: a search whose share
    fits one process alone is refused when four would hold it at once."""
    import importlib

    from cayley.errors import MemoryEstimateError

    bfs_mod = importlib.import_module("cayley.graphs.search")
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "4")
    monkeypatch.setattr(bfs_mod, "available_memory_bytes", lambda: 2**30)

    class _Plan:
        engine, peak_bytes = "rank", 400 * 2**20

        def describe(self):
            return "rank engine"

        def suggestion(self, limit):
            return "more memory"

    monkeypatch.setattr(bfs_mod, "plan_search", lambda *a, **k: _Plan())
    with pytest.raises(MemoryEstimateError, match="exceeds the limit"):
        bfs_mod.bfs(CayleyGraph.from_spec("S_6", "lrx"), backend="distributed")
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "1")
    monkeypatch.setattr(bfs_mod, "rank_backend", lambda *a, **k: ("cpu", None))  # no process group here
    assert bfs_mod.bfs(CayleyGraph.from_spec("S_6", "lrx"), backend="distributed").size == 720


def test_distributed_needs_torchrun_and_refuses_what_it_cannot_do(monkeypatch):
    for var in ("RANK", "WORLD_SIZE"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(InvalidInputError, match="torchrun"):
        bfs(CayleyGraph.from_spec("S_6", "lrx"), backend="distributed")
    with pytest.raises(InvalidInputError, match="rank engine only"):
        bfs(CayleyGraph.from_spec("S_6", "lrx"), backend="distributed", engine="hash")
    from cayley.graphs.rank_engine import rank_bfs

    with pytest.raises(InvalidInputError, match="process group"):
        rank_bfs(CayleyGraph.from_spec("S_6", "lrx"), backend="distributed")
