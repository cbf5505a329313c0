"""Resumable runs: a killed checkpointed run resumes to the identical result."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from cayley import CayleyGraph, bfs
from cayley.graphs.checkpoint import Checkpoint, CheckpointError


@pytest.mark.parametrize("family, n", [("lrx", 8), ("lx", 8)])
def test_resume_after_a_stop_gives_the_identical_result(tmp_path, family, n):
    graph = CayleyGraph.from_spec(f"S_{n}", family) if family != "lx" else CayleyGraph(
        [[*range(1, n), 0], [1, 0, *range(2, n)]]
    )
    full = bfs(graph)
    part = bfs(graph, max_depth=7, checkpoint=tmp_path / "ck", store_layers_up_to=0)
    assert not part.completed and part.growth == full.growth[:8]
    resumed = bfs(graph, checkpoint=tmp_path / "ck")
    assert resumed.growth == full.growth and resumed.completed
    assert resumed.last_layer.tolist() == full.last_layer.tolist()
    # a finished checkpoint returns the same result again without searching
    again = bfs(graph, checkpoint=tmp_path / "ck")
    assert again.growth == full.growth and again.completed


KILL_SCRIPT = """
import sys
from cayley import CayleyGraph, bfs
r = bfs(CayleyGraph.from_spec("S_10", "lrx"), engine="hash", checkpoint=sys.argv[1])
print(list(r.growth))
"""


def test_sigkill_mid_run_then_resume(tmp_path):
    ck = tmp_path / "ck"
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(ck)], stdout=subprocess.PIPE)
    meta = ck / "meta.json"
    deadline = time.time() + 120
    depth = -1
    while time.time() < deadline and proc.poll() is None:
        try:
            depth = json.loads(meta.read_text())["depth"]
        except (OSError, ValueError, KeyError):
            depth = -1
        if depth >= 20:
            break
        time.sleep(0.001)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)  # lands mid-layer, possibly mid-write
    proc.wait()
    state = Checkpoint(ck, CayleyGraph.from_spec("S_10", "lrx"), engine="hash").load()
    assert state is not None and 20 <= state.depth < 45
    resumed = bfs(CayleyGraph.from_spec("S_10", "lrx"), engine="hash", checkpoint=ck)
    assert resumed.growth == bfs(CayleyGraph.from_spec("S_10", "lrx")).growth
    assert resumed.diameter == 45 and resumed.size == 3628800


@pytest.mark.parametrize("engine", ["hash", "rank"])
def test_corrupt_checkpoint_is_an_error(tmp_path, engine):
    graph = CayleyGraph.from_spec("S_7", "lrx")
    bfs(graph, max_depth=6, checkpoint=tmp_path, engine=engine)
    layer = sorted(p for p in tmp_path.iterdir() if p.suffix == ".npy")[-1]
    data = bytearray(layer.read_bytes())
    data[-1] ^= 0xFF
    layer.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="fails its checksum"):
        bfs(graph, checkpoint=tmp_path, engine=engine)
    (tmp_path / "meta.json").unlink()
    with pytest.raises(CheckpointError, match="no meta.json"):
        bfs(graph, checkpoint=tmp_path, engine=engine)


def test_checkpoint_of_another_graph_is_refused(tmp_path):
    bfs(CayleyGraph.from_spec("S_6", "lrx"), max_depth=3, checkpoint=tmp_path)
    with pytest.raises(CheckpointError, match="belongs to another run"):
        bfs(CayleyGraph.from_spec("S_6", "coxeter"), checkpoint=tmp_path)


@pytest.mark.parametrize("engine", ["hash", "rank"])
def test_disk_full_keeps_the_previous_checkpoint(tmp_path, monkeypatch, engine):
    graph = CayleyGraph.from_spec("S_7", "lrx")
    bfs(graph, max_depth=4, checkpoint=tmp_path, engine=engine)

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "save", no_space)
    with pytest.raises(CheckpointError, match="No space left on device"):
        bfs(graph, checkpoint=tmp_path, engine=engine, checkpoint_seconds=0)
    monkeypatch.undo()
    state = Checkpoint(tmp_path, graph, engine=engine).load()
    assert state.depth == 4
    assert bfs(graph, checkpoint=tmp_path, engine=engine).growth == bfs(graph).growth


@pytest.mark.parametrize("family, n, start", [("lrx", 8, None), ("lx", 7, None), ("lrx", 10, "0000011111")])
def test_rank_engine_resume_gives_the_identical_result(tmp_path, family, n, start):
    graph = CayleyGraph.from_spec(f"S_{n}", family, start=start)
    full = bfs(graph, engine="rank")
    part = bfs(graph, engine="rank", max_depth=6, checkpoint=tmp_path, checkpoint_seconds=0)
    assert part.growth == full.growth[:7] and not part.completed
    resumed = bfs(graph, engine="rank", checkpoint=tmp_path, checkpoint_seconds=0)
    assert resumed.growth == full.growth and resumed.completed
    assert resumed.last_layer.tolist() == full.last_layer.tolist()
    again = bfs(graph, engine="rank", checkpoint=tmp_path)  # finished: no search
    assert again.growth == full.growth and again.last_layer.tolist() == full.last_layer.tolist()
    # a checkpoint of one engine is not taken for the other's
    with pytest.raises(CheckpointError, match="belongs to another run"):
        bfs(graph, engine="hash", checkpoint=tmp_path)


RANK_KILL_SCRIPT = """
import sys
from cayley import CayleyGraph, bfs
r = bfs(CayleyGraph.from_spec("S_11", "lrx"), engine="rank", checkpoint=sys.argv[1], checkpoint_seconds=0)
print(list(r.growth))
"""


def test_rank_engine_sigkill_mid_run_then_resume(tmp_path):
    ck = tmp_path / "ck"
    proc = subprocess.Popen([sys.executable, "-c", RANK_KILL_SCRIPT, str(ck)], stdout=subprocess.PIPE)
    meta = ck / "meta.json"
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        try:
            if json.loads(meta.read_text())["depth"] >= 30:
                break
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.001)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    graph = CayleyGraph.from_spec("S_11", "lrx")
    state = Checkpoint(ck, graph, engine="rank").load()
    assert state is not None and 30 <= state.depth < 55
    resumed = bfs(graph, engine="rank", checkpoint=ck)
    assert resumed.diameter == 55 and resumed.size == 39916800
    assert resumed.growth == bfs(graph, engine="rank").growth
