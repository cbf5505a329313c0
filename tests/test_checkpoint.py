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
    # data files without a meta.json: a run killed before its first complete save; the
    # next run cleans them and starts afresh
    (tmp_path / "meta.json").unlink()
    (tmp_path / ".meta.json.tmp").write_text("{")
    assert bfs(graph, checkpoint=tmp_path, engine=engine).growth == bfs(graph).growth
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


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


# ---------------------------------------------------------------------------------------
# issue 17: a checkpoint is verified (checksum, fields) before any kernel sees it
# ---------------------------------------------------------------------------------------
CLI_ENV = {**os.environ, "NUMBA_NUM_THREADS": "1"}


def _cli(*args, cwd, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "cayley", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=CLI_ENV
    )


def _reseal(ck):
    """Rewrite meta.json's checksum after an edit (what a careful forger would do)."""
    from cayley.graphs.checkpoint import seal

    meta = json.loads((ck / "meta.json").read_text())
    (ck / "meta.json").write_text(json.dumps(seal(meta)))


def _edit_meta(ck, fn, reseal=False):
    meta = json.loads((ck / "meta.json").read_text())
    fn(meta)
    (ck / "meta.json").write_text(json.dumps(meta))
    if reseal:
        _reseal(ck)


def test_edited_layer_size_is_refused_not_reported(tmp_path):
    ck = tmp_path / "c"
    r = _cli("growth", "S_8", "--gens", "lrx", "--engine", "hash", "--checkpoint", "c", "--max-depth", "9", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = (ck / "meta.json").read_text()
    assert '"growth": [1, 3, 6, 12, 23, 44,' in text
    (ck / "meta.json").write_text(text.replace(" 44,", " 45,", 1))  # one digit of a stored layer size
    r = _cli("growth", "S_8", "--gens", "lrx", "--engine", "hash", "--checkpoint", "c", "--save", "--db", "r.sqlite",
             cwd=tmp_path)
    assert r.returncode == 2 and "completed" not in r.stdout
    assert r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1
    assert "checksum" in r.stderr and "delete" in r.stderr


@pytest.mark.parametrize("engine", ["hash", "rank"])
@pytest.mark.parametrize("reseal", [False, True])
def test_finished_flag_with_dropped_entry_is_refused(tmp_path, engine, reseal):
    graph = CayleyGraph.from_spec("S_7", "lrx")
    bfs(graph, engine=engine, checkpoint=tmp_path)  # a finished checkpoint

    def drop(meta):
        meta["growth"].pop()
        meta["depth"] -= 1
        for name in [n for n in meta["files"] if n.startswith("layer-") and int(n[6:]) > meta["depth"]]:
            del meta["files"][name]
        meta["files"].pop("last", None)
        meta["extra"]["finished"] = True

    _edit_meta(tmp_path, drop, reseal)
    with pytest.raises(CheckpointError):
        bfs(graph, engine=engine, checkpoint=tmp_path)


RANK_EDITS = {
    "growth one long": lambda m: m["growth"].append(5),
    "growth one short": lambda m: m["growth"].pop(),
    "growth last +1": lambda m: m["growth"].__setitem__(-1, m["growth"][-1] + 1),
    "code_f": lambda m: m["extra"].__setitem__("code_f", 3 - m["extra"]["code_f"]),
    "code_f 7": lambda m: m["extra"].__setitem__("code_f", 7),
    "growth null": lambda m: m.__setitem__("growth", None),
    "growth []": lambda m: m.__setitem__("growth", []),
    "depth str": lambda m: m.__setitem__("depth", "3"),
    "files list": lambda m: m.__setitem__("files", []),
    "no extra": lambda m: m.pop("extra"),
}


@pytest.mark.parametrize("edit", sorted(RANK_EDITS))
def test_rank_engine_never_trusts_meta(tmp_path, edit):
    """Today each of these segfaults, aborts, hangs or prints a traceback; run in a
    subprocess so that a crash is a failure, not the end of the test session."""
    r = _cli("growth", "S_7", "--gens", "lrx", "--engine", "rank", "--checkpoint", "c", "--max-depth", "6",
             cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    _edit_meta(tmp_path / "c", RANK_EDITS[edit], reseal=True)
    try:
        r = _cli("growth", "S_7", "--gens", "lrx", "--engine", "rank", "--checkpoint", "c", cwd=tmp_path, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the resume hung")
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr[-500:])
    assert r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1, r.stderr


@pytest.mark.parametrize("engine", ["hash", "rank"])
@pytest.mark.parametrize("bad", ["../outside.npy", "/tmp/x.npy", "sub/x.npy", "..", ""])
def test_file_names_must_stay_inside_the_folder(tmp_path, engine, bad):
    graph = CayleyGraph.from_spec("S_6", "lrx")
    ck = tmp_path / "ck"
    bfs(graph, engine=engine, max_depth=3, checkpoint=ck, checkpoint_seconds=0)
    outside = tmp_path / "outside.npy"
    outside.write_bytes(b"keep me")
    victim = sorted(n for n in json.loads((ck / "meta.json").read_text())["files"])[0]
    _edit_meta(ck, lambda m: m["files"][victim].__setitem__("file", bad), reseal=True)
    with pytest.raises(CheckpointError, match="file name"):
        bfs(graph, engine=engine, checkpoint=ck, checkpoint_seconds=0)
    assert outside.read_bytes() == b"keep me"


def test_old_format_is_refused_with_a_remedy(tmp_path):
    graph = CayleyGraph.from_spec("S_6", "lrx")
    bfs(graph, max_depth=3, checkpoint=tmp_path)
    _edit_meta(tmp_path, lambda m: m.__setitem__("format", 1), reseal=False)
    with pytest.raises(CheckpointError, match="format.*(delete|another)"):
        bfs(graph, checkpoint=tmp_path)


@pytest.mark.parametrize("engine", ["hash", "rank"])
def test_resume_honours_smaller_limits(tmp_path, engine):
    graph = CayleyGraph.from_spec("S_7", "lrx")
    full = bfs(graph, engine=engine)
    bfs(graph, engine=engine, max_depth=10, checkpoint=tmp_path, checkpoint_seconds=0)
    r = bfs(graph, engine=engine, max_depth=4, checkpoint=tmp_path)
    assert r.growth == full.growth[:5] and not r.completed and r.stop_reason == "max_depth"
    assert r.last_layer is not None and len(r.last_layer) == full.growth[4]
    r = bfs(graph, engine=engine, max_states=30, checkpoint=tmp_path)
    cut = next(d for d in range(len(full.growth)) if sum(full.growth[: d + 1]) >= 30)
    assert r.growth == full.growth[: cut + 1] and r.stop_reason == "max_states"
    # the checkpoint is untouched: a full resume still gives the whole growth
    assert bfs(graph, engine=engine, checkpoint=tmp_path).growth == full.growth
    r = bfs(graph, engine=engine, max_depth=2, checkpoint=tmp_path)  # from a finished checkpoint
    assert r.growth == full.growth[:3] and not r.completed


def test_two_runs_on_one_folder_are_refused(tmp_path):
    from cayley.graphs.checkpoint import checkpoint_lock

    graph = CayleyGraph.from_spec("S_6", "lrx")
    code = "import sys, time\nfrom cayley.graphs.checkpoint import checkpoint_lock\n" \
        "with checkpoint_lock(sys.argv[1]):\n    print('locked', flush=True)\n    time.sleep(30)\n"
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(CheckpointError, match="in use"):
            bfs(graph, checkpoint=tmp_path)
    finally:
        proc.kill()
        proc.wait()
    with checkpoint_lock(tmp_path):
        pass
    assert bfs(graph, checkpoint=tmp_path).completed
