"""Fuzz: random mutations of a real checkpoint (meta.json fields, with or without a
recomputed checksum; data file bytes) either resume to the exact growth or end in a
CayleyError -- never a crash, a hang or a wrong result."""

from __future__ import annotations

import json
import shutil
import signal
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cayley import CayleyError, CayleyGraph, bfs

GRAPH = CayleyGraph.from_spec("S_6", "lrx")
FULL = bfs(GRAPH).growth


@contextmanager
def _deadline(seconds):
    def boom(*_):
        raise TimeoutError("the resume hung")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    out = {}
    for engine in ("hash", "rank"):
        for kind in ("partial", "finished"):
            d = tmp_path_factory.mktemp(f"{engine}-{kind}")
            bfs(GRAPH, engine=engine, checkpoint=d, checkpoint_seconds=0, max_depth=5 if kind == "partial" else None)
            out[engine, kind] = d
    return out


values = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 10), st.integers(-(2**70), 2**70), st.floats(allow_nan=False),
    st.text(max_size=12), st.sampled_from(["../x.npy", "/etc/passwd", "meta.json", "layer-000001.npy", ".."]),
    st.lists(st.integers(-2, 800), max_size=12), st.dictionaries(st.text(max_size=5), st.integers(0, 3), max_size=2),
)


def _paths(meta):
    """Every (container, key) of the meta's tree, containers included."""
    out = []

    def walk(node):
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for k, v in items:
            out.append((node, k))
            walk(v)

    walk(meta)
    return out


def _resume_and_check(engine, folder):
    try:
        with _deadline(30):
            r = bfs(GRAPH, engine=engine, checkpoint=folder, checkpoint_seconds=0)
    except CayleyError:
        return
    assert r.growth == FULL and r.completed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(engine=st.sampled_from(["hash", "rank"]), kind=st.sampled_from(["partial", "finished"]),
       data=st.data(), reseal=st.booleans())
def test_meta_mutations(bases, tmp_path_factory, engine, kind, data, reseal):
    from cayley.graphs.checkpoint import seal

    folder = tmp_path_factory.mktemp("m") / "ck"
    shutil.copytree(bases[engine, kind], folder)
    meta = json.loads((folder / "meta.json").read_text())
    for _ in range(data.draw(st.integers(1, 3))):
        node, key = data.draw(st.sampled_from(_paths(meta)))
        if data.draw(st.booleans()) and isinstance(node, dict):
            del node[key]
        else:
            node[key] = data.draw(values)
    if reseal and isinstance(meta, dict):
        try:
            meta = seal(meta)
        except Exception:  # a meta that cannot be sealed (not JSON-canonical): keep it as is
            pass
    (folder / "meta.json").write_text(json.dumps(meta))
    _resume_and_check(engine, folder)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(engine=st.sampled_from(["hash", "rank"]), kind=st.sampled_from(["partial", "finished"]), data=st.data())
def test_data_file_mutations(bases, tmp_path_factory, engine, kind, data):
    folder = tmp_path_factory.mktemp("d") / "ck"
    shutil.copytree(bases[engine, kind], folder)
    files = sorted(p for p in folder.iterdir() if p.suffix in (".npy", ".json"))
    target = data.draw(st.sampled_from(files))
    raw = bytearray(target.read_bytes())
    how = data.draw(st.sampled_from(["flip", "truncate", "append", "delete", "swap"]))
    if how == "flip":
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] ^= data.draw(st.integers(1, 255))
        target.write_bytes(bytes(raw))
    elif how == "truncate":
        target.write_bytes(bytes(raw[: data.draw(st.integers(0, len(raw) - 1))]))
    elif how == "append":
        target.write_bytes(bytes(raw) + data.draw(st.binary(min_size=1, max_size=16)))
    elif how == "delete":
        target.unlink()
    else:
        other = data.draw(st.sampled_from(files))
        target.write_bytes(other.read_bytes())
    _resume_and_check(engine, folder)
