"""The results store: round trips, replacement policy, the default path, and two
processes writing at once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from cayley import CayleyGraph, GeneratorSet, bfs
from cayley.conjectures.store import ResultsStore, StoreError, default_path, graph_key
from cayley.errors import CayleyError, InvalidInputError
from oracles import oracle_growth


@pytest.fixture
def store(tmp_path):
    return ResultsStore(tmp_path / "results.sqlite")


def test_round_trip_matches_oracle_and_provenance(store):
    g = CayleyGraph.from_spec("S_5", "pancake")
    r = bfs(g)
    assert store.save(r, seconds=1.5)
    back = store.load(g)
    assert list(back.growth) == oracle_growth(g.generators.perms.tolist())
    assert back.completed and back.diameter == r.diameter
    assert back.engine == r.engine and back.backend == r.backend and back.version == r.version
    assert back.last_layer.tolist() == r.last_layer.tolist()
    (entry,) = list(store.results())
    assert entry.seconds == 1.5 and entry.result.seconds == pytest.approx(r.seconds)
    assert entry.saved_at.endswith("+00:00")
    # the entry rebuilds the graph from the stored definition alone
    assert entry.graph == g and entry.graph.generators.family == "pancake"
    assert entry.key == graph_key(g)


def test_schreier_graph_and_explicit_generators_share_the_key(store):
    g = CayleyGraph.from_spec("S_6", "lrx", start="001011")
    store.save(bfs(g))
    same = CayleyGraph(GeneratorSet.from_perms(g.generators.perms, g.generators.names), g.start.copy())
    assert store.load(same).growth == bfs(g).growth
    # another start state or other generator names is another graph
    assert store.load(CayleyGraph.from_spec("S_6", "lrx")) is None
    renamed = CayleyGraph(GeneratorSet.from_perms(g.generators.perms, ["a", "b", "c"]), g.start.copy())
    assert store.load(renamed) is None


def test_replacement_policy(store):
    g = CayleyGraph.from_spec("S_6", "coxeter")
    assert store.save(bfs(g, max_depth=2))
    assert store.load(g).growth == (1, 5, 14)
    assert not store.save(bfs(g, max_depth=1))  # shallower: kept the deeper one
    assert store.save(bfs(g, max_depth=4))
    assert store.load(g).depth == 4 and not store.load(g).completed
    assert store.save(bfs(g))
    assert store.load(g).diameter == 15
    assert not store.save(bfs(g, max_depth=14))  # a completed result is never replaced
    assert store.load(g).completed and len(store) == 1


def test_large_last_layer_is_not_stored(store):
    g = CayleyGraph.from_spec("S_7", "all_transpositions")
    r = bfs(g)
    assert r.growth[-1] == 720 and r.last_layer is not None
    store.save(r)
    assert store.load(g).last_layer.shape == (720, 7)
    g8 = CayleyGraph.from_spec("S_8", "all_transpositions")
    store.save(bfs(g8))
    back = store.load(g8)
    assert back.growth[-1] == 5040 and back.last_layer is None


def test_default_path_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "cayley" / "results.sqlite"
    s = ResultsStore()
    assert s.path == default_path() and s.path.exists()
    monkeypatch.setenv("XDG_DATA_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / ".local" / "share" / "cayley" / "results.sqlite"


def test_wal_mode_and_schema(store):
    con = sqlite3.connect(store.path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    finally:
        con.close()


def test_a_version_1_store_is_upgraded(tmp_path):
    path = tmp_path / "v1.sqlite"
    old = ResultsStore(path)
    g = CayleyGraph.from_spec("S_5", "lrx")
    old.save(bfs(g))
    con = sqlite3.connect(path)  # make it look like a store written by schema version 1
    con.execute("CREATE TABLE r1 AS SELECT * FROM results")
    con.execute("DROP TABLE results")
    cols = [r[1] for r in con.execute("PRAGMA table_info(r1)") if r[1] not in ("kind", "modulus")]
    con.execute(f"CREATE TABLE results AS SELECT {', '.join(cols)} FROM r1")
    con.execute("DROP TABLE r1")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    store = ResultsStore(path)
    assert store.load(g).diameter == 10
    (entry,) = store.results()
    assert entry.graph == g
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    assert con.execute("SELECT kind, modulus FROM results").fetchone() == ("permutation", None)
    con.close()


def test_matrix_group_results(store):
    matrix = pytest.importorskip("cayley.groups.matrix")
    from cayley.groups.library import get_family

    g = CayleyGraph(get_family("heisenberg")(3, m=5))
    if not hasattr(g, "is_matrix"):
        pytest.skip("CayleyGraph has no matrix groups in this tree")
    r = bfs(g)
    store.save(r)
    assert store.load(g).growth == r.growth and r.size == 125
    (entry,) = store.results()
    assert isinstance(entry.graph.generators, matrix.MatrixGeneratorSet)
    assert entry.graph == g and entry.graph.generators.modulus == 5
    # the same matrices mod another modulus are another graph
    assert store.load(CayleyGraph(get_family("heisenberg")(3, m=7))) is None


def test_bad_inputs(tmp_path):
    s = ResultsStore(tmp_path / "r.sqlite")
    with pytest.raises(InvalidInputError, match="BfsResult"):
        s.save({"growth": [1]})
    with pytest.raises(StoreError, match="is a folder"):
        ResultsStore(tmp_path)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CayleyError, match="junk.sqlite"):
        ResultsStore(junk)


_WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from cayley import CayleyGraph, GeneratorSet
    from cayley.graphs import BfsResult
    from cayley.conjectures.store import ResultsStore

    path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = ResultsStore(path)
    for i in range(count):
        # distinct graphs: the generator names carry the writer's tag and the index
        names = [f"{tag}{i}a", f"{tag}{i}b"]
        g = CayleyGraph(GeneratorSet.from_perms([[1, 2, 3, 0], [1, 0, 2, 3]], names))
        r = BfsResult(graph=g, growth=(1, 2, i), completed=True, last_layer=None, layers={},
                      engine="test", backend=tag, version="0", seconds=0.0, peak_memory_bytes=0)
        assert store.save(r)
        # and one graph both writers race on
        shared = CayleyGraph(GeneratorSet.from_perms([[1, 2, 3, 0], [1, 0, 2, 3]], ["L", "X"]))
        store.save(BfsResult(graph=shared, growth=(1,) * (i + 1), completed=False, last_layer=None,
                             layers={}, engine="test", backend=tag, version="0", seconds=0.0,
                             peak_memory_bytes=0, stop_reason="max_depth"))
    print("done", tag)
    """
)


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.sqlite"  # not created yet: both processes race to create it
    count = 150
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the cayley under test
    env["PYTHONPATH"] = os.pathsep.join([root, env.get("PYTHONPATH", "")])
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), tag, str(count)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for tag in ("p", "q")
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert out.startswith("done")
    store = ResultsStore(path)
    entries = list(store.results())
    assert len(entries) == 2 * count + 1
    mine = {e.graph.generators.names[0] for e in entries if e.result.engine == "test"}
    assert mine >= {f"{t}{i}a" for t in "pq" for i in range(count)}
    growths = {e.graph.generators.names[0]: e.result.growth for e in entries}
    assert all(growths[f"{t}{i}a"] == (1, 2, i) for t in "pq" for i in range(count))
    # the shared graph holds the deepest result either writer saved
    shared = CayleyGraph(GeneratorSet.from_perms([[1, 2, 3, 0], [1, 0, 2, 3]], ["L", "X"]))
    assert store.load(shared).depth == count - 1


def test_cli_growth_save_and_db(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cayley.cli.main import main

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    runner = CliRunner()
    res = runner.invoke(main, ["growth", "S_6", "--gens", "stars", "--save", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["store"] == {"path": str(default_path()), "saved": True}
    g = CayleyGraph.from_spec("S_6", "stars")
    assert ResultsStore().load(g).growth == tuple(out["growth"]) == tuple(oracle_growth(g.generators.perms.tolist()))
    # --db names another store (and implies --save); a second identical run keeps the first
    db = tmp_path / "other.sqlite"
    res = runner.invoke(main, ["growth", "S_6", "--gens", "stars", "--db", str(db)])
    assert res.exit_code == 0 and f"store      {db} (saved)" in res.output
    res = runner.invoke(main, ["growth", "S_6", "--gens", "stars", "--db", str(db)])
    assert "not saved" in res.output
    assert len(ResultsStore(db)) == 1
    # without --save nothing is written
    runner.invoke(main, ["growth", "S_5", "--gens", "stars"])
    assert ResultsStore().load(CayleyGraph.from_spec("S_5", "stars")) is None
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"x" * 4096)
    res = runner.invoke(main, ["growth", "S_5", "--gens", "stars", "--db", str(junk)])
    assert res.exit_code == 2 and "junk.sqlite" in res.output


# -- hardening (issue 17) ------------------------------------------------------------------
@pytest.mark.parametrize(
    "column, value",
    [("growth", "[1, 2,"), ("params", "{not json"), ("generators", '"abc"'), ("start", "[[["),
     ("last_layer", "[1, 2"), ("names", "[1, 2, 3, 4, 5, 6, 7]"), ("growth", '{"a": 1}')],
)
def test_a_malformed_row_gives_one_line(tmp_path, column, value):
    path = tmp_path / "r.sqlite"
    store = ResultsStore(path)
    g = CayleyGraph.from_spec("S_4", "coxeter")
    store.save(bfs(g))
    con = sqlite3.connect(path)
    con.execute(f"UPDATE results SET {column} = ?", (value,))
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="r.sqlite") as info:
        list(store.results())
    assert "\n" not in str(info.value)
    if column in ("growth", "last_layer"):  # read back for this very graph
        with pytest.raises(StoreError, match="malformed"):
            store.load(g)


def _foreign(path):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.execute("INSERT INTO notes VALUES ('mine')")
    con.commit()
    con.close()
    return path.read_bytes()


def test_a_foreign_database_is_refused_before_anything_is_written(tmp_path):
    from click.testing import CliRunner

    from cayley.cli.main import main

    for schema in ("notes", "results"):
        path = tmp_path / f"{schema}.sqlite"
        con = sqlite3.connect(path)
        con.execute(f"CREATE TABLE {schema} (x TEXT)")  # a 'results' table of another schema too
        con.execute(f"INSERT INTO {schema} VALUES ('mine')")
        con.commit()
        con.close()
        before = path.read_bytes()
        with pytest.raises(StoreError, match="not a cayley results store") as info:
            ResultsStore(path)
        assert "\n" not in str(info.value)
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(schema)) == [path.name]
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        con.close()
        res = CliRunner().invoke(main, ["conjectures", "check", "coxeter-diameter", "--max-n", "3", "--db", str(path)])
        assert res.exit_code == 2 and "not a cayley results store" in res.output, res.output
        assert path.read_bytes() == before
    newer = tmp_path / "newer.sqlite"
    ResultsStore(newer)
    con = sqlite3.connect(newer)
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute("PRAGMA user_version = 9")
    con.close()
    before = newer.read_bytes()
    with pytest.raises(StoreError, match="schema version 9"):
        ResultsStore(newer)
    assert newer.read_bytes() == before
    con = sqlite3.connect(newer)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_an_empty_or_new_file_becomes_a_store(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert len(ResultsStore(empty)) == 0
    assert len(ResultsStore(empty)) == 0  # and opens again


def _read_only_store(tmp_path, *, wal_files: bool):
    """A store with S_5 stars in a read-only folder: checkpointed (the file alone), or a copy
    taken while another connection was open (its rows still in the -wal file beside it)."""
    import shutil

    folder = tmp_path / "media"
    folder.mkdir()
    path = folder / "r.sqlite"
    g = CayleyGraph.from_spec("S_5", "stars")
    if wal_files:
        live = tmp_path / "live.sqlite"
        ResultsStore(live)
        hold = sqlite3.connect(live)  # keeps the rows from being checkpointed into the file
        hold.execute("SELECT COUNT(*) FROM results").fetchall()
        ResultsStore(live).save(bfs(g))
        for suffix in ("", "-wal", "-shm"):
            shutil.copyfile(f"{live}{suffix}", f"{path}{suffix}")
        hold.close()
        assert os.path.getsize(f"{path}-wal") > 0
    else:
        ResultsStore(path).save(bfs(g))
        assert sorted(p.name for p in folder.iterdir()) == ["r.sqlite"]
    for p in folder.iterdir():
        p.chmod(0o444)
    folder.chmod(0o555)
    return folder, path, g


def _modes_enforced(tmp_path) -> bool:
    """Whether file modes stop this process (not for root with CAP_DAC_OVERRIDE)."""
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0o444)
    try:
        with open(probe, "a"):
            return False
    except PermissionError:
        return True
    finally:
        probe.chmod(0o644)
        probe.unlink()


@pytest.mark.parametrize("wal_files", [False, True])
def test_a_read_only_store_can_be_read(tmp_path, wal_files):
    from click.testing import CliRunner

    from cayley.cli.main import main

    if not _modes_enforced(tmp_path):
        pytest.skip("file modes are not enforced for this user (root): read-only media cannot be imitated")
    folder, path, g = _read_only_store(tmp_path, wal_files=wal_files)
    try:
        before = sorted((p.name, p.read_bytes()) for p in folder.iterdir())
        store = ResultsStore(path)
        assert store.read_only
        assert store.load(g).diameter == 6 and len(store) == 1 and g in store
        (entry,) = store.results()
        assert entry.graph == g
        with pytest.raises(StoreError, match="read-only"):
            store.save(bfs(CayleyGraph.from_spec("S_4", "stars")))
        res = CliRunner().invoke(main, ["conjectures", "check", "stars-diameter", "--max-n", "5", "--db", str(path),
                                        "--format", "json"])
        assert res.exit_code == 0, res.output
        out = json.loads(res.output)
        assert out["reused"] == 1 and out["results"][0]["outcome"] == "pass"  # S_5 read; S_2..S_4 computed, not saved
        assert sorted((p.name, p.read_bytes()) for p in folder.iterdir()) == before
    finally:
        folder.chmod(0o755)
