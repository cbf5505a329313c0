"""Kaggle dataset export and submission checking: export -> verify round trips (lrx S_16,
pancake S_20), corrupted submissions, exact distances against a networkx oracle, the
Kaggle metadata schema, growth tables against the shared reference data, walks, load."""

from __future__ import annotations

import csv
import json
import shlex
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

from cayley.cli.main import main
from cayley.datasets import (
    export_growth,
    export_paths,
    export_walks,
    load,
    parse_family_range,
    parse_rename,
    reference_graphs,
    validate_metadata,
    verify_submission,
)
from cayley.errors import CayleyError, InvalidInputError
from cayley.groups import generators
from cayley.reference import load_reference
from oracles import explicit_graph


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(autouse=True)
def private_default_store(tmp_path, monkeypatch):
    """The default results store lives under $XDG_DATA_HOME: keep it private to each test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


# -------------------------------------------------------------------------------------
# independent oracles
# -------------------------------------------------------------------------------------
def read_csv(path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def replay_submission(folder: Path, submission: Path) -> int:
    """Check a submission with plain Python (no cayley code): every test id once, every
    move a generator of puzzle_info.json, s'[i] = s[p[i]], ending at the central state.
    Returns the total number of moves."""
    info = json.loads((folder / "puzzle_info.json").read_text())
    gens, central = info["generators"], info["central_state"]
    idc, sc, pc = info["id_column"], info["state_column"], info["path_column"]
    tests = {r[idc]: [int(x) for x in r[sc].split(",")] for r in read_csv(folder / "test.csv")}
    rows = read_csv(submission)
    assert sorted(r[idc] for r in rows) == sorted(tests), "ids differ from test.csv"
    total = 0
    for r in rows:
        s = tests[r[idc]]
        moves = r[pc].split(".") if r[pc] else []
        for m in moves:
            assert m in gens, f"id {r[idc]}: {m!r} is not a move"
            s = [s[i] for i in gens[m]]
        assert s == central, f"id {r[idc]} does not reach the central state"
        total += len(moves)
    return total


def oracle_distances(perms, central) -> dict:
    g = explicit_graph(perms, tuple(central))
    return nx.single_target_shortest_path_length(g, tuple(central))


# -------------------------------------------------------------------------------------
# Kaggle metadata: an independent JSON Schema of what `kaggle datasets create` requires
# (Kaggle API docs/datasets_metadata.md and the checks in kaggle_api_extended.py)
# -------------------------------------------------------------------------------------
KAGGLE_LICENSE_NAMES = [
    "CC0-1.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "GPL-2.0", "ODbL-1.0", "DbCL-1.0",
    "copyright-authors", "other", "unknown", "CC-BY-4.0", "CC-BY-NC-4.0", "PDDL", "CC-BY-3.0", "CC-BY-3.0-IGO",
    "US-Government-Works", "CC-BY-NC-SA-3.0-IGO", "CDLA-Permissive-1.0", "CDLA-Sharing-1.0", "CC-BY-ND-4.0",
    "CC-BY-NC-ND-4.0", "ODC-BY-1.0", "LGPL-3.0", "AGPL-3.0", "FDL-1.3", "EU-ODP-Legal-Notice", "apache-2.0",
    "GPL-3.0",
]
KAGGLE_SCHEMA = {
    "type": "object",
    "required": ["title", "id", "licenses"],
    "properties": {
        "title": {"type": "string", "minLength": 6, "maxLength": 50},
        "subtitle": {"type": "string", "minLength": 20, "maxLength": 80},
        "description": {"type": "string"},
        "id": {"type": "string", "pattern": r"^[^/]+/[a-z0-9][a-z0-9-]{4,48}[a-z0-9]$"},
        "licenses": {
            "type": "array", "minItems": 1, "maxItems": 1,
            "items": {"type": "object", "required": ["name"],
                      "properties": {"name": {"enum": KAGGLE_LICENSE_NAMES}}},
        },
        "keywords": {"type": "array", "items": {"type": "string"}},
        "resources": {
            "type": "array",
            "items": {
                "type": "object", "required": ["path"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "description": {"type": "string"},
                    "schema": {"type": "object", "required": ["fields"], "properties": {"fields": {
                        "type": "array", "items": {"type": "object", "required": ["name", "type"], "properties": {
                            "name": {"type": "string"},
                            "description": {"type": "string"},
                            "type": {"enum": ["string", "boolean", "numeric", "datetime", "id", "uuid", "latitude",
                                              "longitude", "coordinates", "country", "province", "postalcode",
                                              "address", "email", "url", "integer", "decimal", "city"]},
                        }}}}},
                },
            },
        },
    },
}


def check_kaggle_folder(folder: Path) -> dict:
    """dataset-metadata.json passes the schema; every resource exists; CSV schema fields
    list the file's columns in order; README.md names the exact command."""
    import jsonschema

    meta = json.loads((folder / "dataset-metadata.json").read_text())
    jsonschema.validate(meta, KAGGLE_SCHEMA)
    validate_metadata(meta, folder)
    paths = [r["path"] for r in meta["resources"]]
    assert len(paths) == len(set(paths))
    for r in meta["resources"]:
        assert (folder / r["path"]).is_file(), r["path"]
        if r["path"].endswith(".csv"):
            with open(folder / r["path"], newline="") as f:
                header = next(csv.reader(f))
            assert [fd["name"] for fd in r["schema"]["fields"]] == header
    readme = (folder / "README.md").read_text()
    assert meta["description"] == readme
    assert "```bash\ncayley dataset export" in readme and "## Files" in readme
    return meta


# -------------------------------------------------------------------------------------
# acceptance: export -> verify round trips
# -------------------------------------------------------------------------------------
def roundtrip(tmp_path, group, gens, count, length, **kw):
    out = tmp_path / "ds"
    e = export_paths(group, gens, count=count, scramble_length=length, seed=0, out=out, **kw)
    sub = out / "sample_submission.csv"
    report = verify_submission(out, sub)
    assert report.ok, report.summary()
    assert report.rows == report.valid_rows == report.expected_rows == count
    assert report.score == e.score == replay_submission(out, sub)
    r = run("dataset", "verify", out, "--submission", sub)
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == f"accepted: {count} rows, score {e.score} (total moves)"
    check_kaggle_folder(out)
    ds = load(out)
    sols = ds["solutions"]
    for row, sample in zip(sols, ds["sample_submission"]):
        path = sample.get("path", sample.get("solution"))
        assert row["sample_length"] == len(path) <= length  # beam found no longer than the scramble
        if row["optimal_length"] is not None:
            assert row["optimal_length"] <= row["sample_length"]
            assert len(row["optimal_path"]) == row["optimal_length"]
    return e, out


def test_acceptance_lrx16_roundtrip(tmp_path):
    e, out = roundtrip(tmp_path, "S_16", "lrx", 12, 24)
    assert e.beam_solved == 12  # every sample path came from beam search
    assert e.optimal_known == 12 and e.optimal_score <= e.score
    info = json.loads((out / "puzzle_info.json").read_text())
    assert list(info["generators"]) == ["L", "R", "X"] and info["central_state"] == list(range(16))
    assert (out / "test.csv").read_text().splitlines()[0] == "id,initial_state"
    assert (out / "sample_submission.csv").read_text().splitlines()[0] == "id,path"


def test_acceptance_pancake20_roundtrip(tmp_path):
    e, out = roundtrip(tmp_path, "S_20", "pancake", 12, 16, layout="id-permutation-solution",
                       rename="pancake-size", exact_max_states=20_000)
    assert e.beam_solved == 12
    info = json.loads((out / "puzzle_info.json").read_text())
    # Kaggle's pancake names: Rk flips the first k pancakes, k = 2..n
    assert list(info["generators"]) == [f"R{k}" for k in range(2, 21)]
    for k in range(2, 21):
        assert info["generators"][f"R{k}"] == list(range(k))[::-1] + list(range(k, 20))
    assert (out / "test.csv").read_text().splitlines()[0] == "id,n,permutation"
    assert (out / "sample_submission.csv").read_text().splitlines()[0] == "id,permutation,solution"
    sols = load(out)["solutions"]
    assert all(r["optimal_method"] in (None, "lower_bound", "mitm", "bfs") for r in sols)


@pytest.mark.slow
def test_acceptance_full_size(tmp_path, capsys):
    """100 states each: lrx S_16 (scramble 24) and pancake S_20 (scramble 40)."""
    import time

    t = time.perf_counter()
    e1, _ = roundtrip(tmp_path / "lrx", "S_16", "lrx", 100, 24)
    t1 = time.perf_counter() - t
    t = time.perf_counter()
    e2, _ = roundtrip(tmp_path / "pancake", "S_20", "pancake", 100, 40, layout="id-permutation-solution",
                      rename="pancake-size", exact_max_states=200_000)
    t2 = time.perf_counter() - t
    with capsys.disabled():
        print(f"\nlrx S_16: 100 states, score {e1.score}, beam {e1.beam_solved}/100, optimal known "
              f"{e1.optimal_known} (optimal score {e1.optimal_score}), {t1:.1f} s")
        print(f"pancake S_20: 100 states, score {e2.score}, beam {e2.beam_solved}/100, optimal known "
              f"{e2.optimal_known}, {t2:.1f} s")
    assert e1.beam_solved == 100 and e2.beam_solved == 100


# -------------------------------------------------------------------------------------
# corrupted submissions
# -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lrx_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("lrx") / "ds"
    export_paths("S_10", "lrx", count=6, scramble_length=8, seed=3, out=out)
    return out


def corrupt(folder: Path, tmp_path: Path, edit) -> Path:
    lines = (folder / "sample_submission.csv").read_text().splitlines()
    lines = edit(lines)
    p = tmp_path / "bad.csv"
    p.write_text("\n".join(lines) + "\n")
    return p


def _set_path(lines, row, path):
    i, _ = lines[row].split(",", 1)
    lines[row] = f"{i},{path}"
    return lines


def _extra_move(lines, row):
    i, path = lines[row].split(",", 1)
    lines[row] = f"{i},{path + '.X' if path else 'X'}"
    return lines


CORRUPTIONS = {
    "bad move name": (lambda ls: _set_path(ls, 3, "L.Q.R"), 3, "2", "move 2: 'Q' is not a move name"),
    "wrong end state": (lambda ls: _extra_move(ls, 2), 2, "1", "the path ends at"),
    "missing id": (lambda ls: ls[:4] + ls[5:], None, "3", "id 3 of test.csv has no row in the submission"),
    "duplicate id": (lambda ls: ls + [ls[1]], 7, "0", "id 0 appears again (first at row 1)"),
    "unknown id": (lambda ls: _set_id(ls, 5, "99"), 5, "99", "id '99' is not in test.csv"),
    "unsolved": (lambda ls: _set_path(ls, 1, "UNSOLVED"), 1, "0", "unsolved"),
    "empty move": (lambda ls: _set_path(ls, 6, "L..R"), 6, "5", "move 2: an empty move name"),
}


def _set_id(lines, row, new):
    _, path = lines[row].split(",", 1)
    lines[row] = f"{new},{path}"
    return lines


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_corrupted_submission_rejected(lrx_folder, tmp_path, name):
    edit, row, rid, reason = CORRUPTIONS[name]
    bad = corrupt(lrx_folder, tmp_path, edit)
    with pytest.raises(AssertionError):
        replay_submission(lrx_folder, bad)  # the oracle rejects it too
    r = verify_submission(lrx_folder, bad)
    assert not r.ok
    first = r.first_error
    assert (first.row, first.id) == (row, rid) and reason in first.reason, str(first)
    cli = run("dataset", "verify", lrx_folder, "--submission", bad)
    assert cli.exit_code == 1
    where = f"row {row} (id {rid})" if row is not None else f"missing row (id {rid})"
    assert cli.stdout.startswith(f"rejected: {where}: ") and reason in cli.stdout.splitlines()[0]


def test_first_bad_row_in_file_order_and_all_counted(lrx_folder, tmp_path):
    bad = corrupt(lrx_folder, tmp_path, lambda ls: _set_path(_extra_move(ls, 5), 2, "Z"))
    r = verify_submission(lrx_folder, bad)
    assert [e.row for e in r.errors] == [2, 5] and r.error_count == 2 and r.valid_rows == 4
    d = json.loads(run("dataset", "verify", lrx_folder, "--submission", bad, "--format", "json").stdout)
    assert d["ok"] is False and d["error_count"] == 2 and d["errors"][0]["row"] == 2


def test_bad_header_and_permutation_mismatch(lrx_folder, tmp_path):
    bad = corrupt(lrx_folder, tmp_path, lambda ls: ["id,moves"] + ls[1:])
    r = verify_submission(lrx_folder, bad)
    assert not r.ok and r.first_error.row == 0 and "missing column 'path'" in r.first_error.reason
    out = tmp_path / "perm"
    export_paths("S_7", "pancake", count=3, scramble_length=4, seed=0, out=out, layout="id-permutation-solution")
    lines = (out / "sample_submission.csv").read_text().splitlines()
    rid, perm_and_path = lines[2].split(",", 1)
    lines[2] = f'{rid},"6,5,4,3,2,1,0",{perm_and_path.rsplit(",", 1)[1]}'
    p = tmp_path / "perm.csv"
    p.write_text("\n".join(lines) + "\n")
    r = verify_submission(out, p)
    assert not r.ok and r.first_error.row == 2 and "is not the state of id 1" in r.first_error.reason


def test_verify_bad_folder_is_input_error(tmp_path):
    r = run("dataset", "verify", tmp_path, "--submission", tmp_path / "x.csv")
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "not a path-finding dataset" in r.output


# -------------------------------------------------------------------------------------
# exact distances, layouts, rename, determinism, fallbacks
# -------------------------------------------------------------------------------------
@pytest.mark.parametrize("group,gens,start", [("S_6", "lrx", None), ("S_6", "pancake", None),
                                              ("S_7", "lrx", "0001112"), ("S_5", "lx", None)])
def test_optimal_lengths_match_networkx(tmp_path, group, gens, start):
    e = export_paths(group, gens, count=8, scramble_length=7, seed=2, start=start, out=tmp_path / "d")
    ds = load(tmp_path / "d")
    info = ds.puzzle_info
    dist = oracle_distances(list(info["generators"].values()), info["central_state"])
    for t, s in zip(ds["test"], ds["solutions"]):
        d = dist[t["initial_state"]]
        assert s["optimal_length"] == d and s["optimal_method"] == "table"
        assert d <= s["sample_length"] <= 7
    assert e.optimal_score == sum(dist[t["initial_state"]] for t in ds["test"])
    assert len({t["initial_state"] for t in ds["test"]}) == 8  # distinct states
    assert all(t["initial_state"] != tuple(info["central_state"]) for t in ds["test"])


def test_mitm_exact_without_table(tmp_path):
    e = export_paths("S_7", "lrx", count=5, scramble_length=9, seed=1, table_max_states=0, ball=0,
                     beam_width=4, max_steps=20, out=tmp_path / "d")
    ds = load(tmp_path / "d")
    info = ds.puzzle_info
    dist = oracle_distances(list(info["generators"].values()), info["central_state"])
    for t, s in zip(ds["test"], ds["solutions"]):
        assert s["optimal_length"] == dist[t["initial_state"]]
        assert s["optimal_method"] in ("mitm", "bfs", "lower_bound")
    assert e.optimal_known == 5


@pytest.mark.parametrize("layout,test_header,sub_header", [
    ("id-path", "id,initial_state", "id,path"),
    ("initial-state-id", "initial_state_id,initial_state", "initial_state_id,path"),
    ("id-permutation-solution", "id,n,permutation", "id,permutation,solution"),
])
def test_layouts(tmp_path, layout, test_header, sub_header):
    out = tmp_path / "d"
    export_paths("S_6", "pancake", count=4, scramble_length=5, seed=0, out=out, layout=layout)
    assert (out / "test.csv").read_text().splitlines()[0] == test_header
    assert (out / "sample_submission.csv").read_text().splitlines()[0] == sub_header
    assert verify_submission(out, out / "sample_submission.csv").ok
    replay_submission(out, out / "sample_submission.csv")
    check_kaggle_folder(out)


def test_rename_table(tmp_path):
    gens = generators("lrx", 5)
    assert parse_rename("L=l,X=x", gens) == {"L": "l", "R": "R", "X": "x"}
    assert parse_rename({"R": "r"}, gens) == {"L": "L", "R": "r", "X": "X"}
    (tmp_path / "r.csv").write_text("cayley,dataset\nL,left\nR,right\n")
    assert parse_rename(str(tmp_path / "r.csv"), gens) == {"L": "left", "R": "right", "X": "X"}
    (tmp_path / "r.json").write_text('{"X": "swap"}')
    assert parse_rename(str(tmp_path / "r.json"), gens)["X"] == "swap"
    for bad, msg in [("Q=Z", "no generator named 'Q'"), ("L=X", "distinct"), ("L=a.b", "without"),
                     ("L", "expected OLD=NEW")]:
        with pytest.raises(InvalidInputError, match=msg):
            parse_rename(bad, gens)
    out = tmp_path / "d"
    export_paths("S_5", "lrx", count=3, scramble_length=4, seed=0, out=out, rename="L=left,R=right,X=swap")
    info = json.loads((out / "puzzle_info.json").read_text())
    assert list(info["generators"]) == ["left", "right", "swap"]
    assert info["renamed"] == {"L": "left", "R": "right", "X": "swap"}
    moves = {m for r in read_csv(out / "sample_submission.csv") for m in r["path"].split(".") if m}
    assert moves and moves <= {"left", "right", "swap"}
    assert verify_submission(out, out / "sample_submission.csv").ok


def test_readme_command_reproduces_files(tmp_path):
    out = tmp_path / "a"
    export_paths("S_9", "pancake", count=5, scramble_length=8, seed=4, out=out, layout="initial-state-id",
                 rename="pancake-size", beam_width=64)
    readme = (out / "README.md").read_text()
    command = readme.split("```bash\n")[1].split("\n```")[0]
    args = shlex.split(command)
    assert args[:4] == ["cayley", "dataset", "export", "paths"]
    args[args.index("--out") + 1] = str(tmp_path / "b")
    r = CliRunner().invoke(main, args[1:])
    assert r.exit_code == 0, r.output
    for name in ("test.csv", "sample_submission.csv", "solutions.csv", "puzzle_info.json"):
        assert (out / name).read_text() == (tmp_path / "b" / name).read_text(), name


def test_beam_failure_falls_back_to_undoing_the_scramble(tmp_path):
    out = tmp_path / "d"
    e = export_paths("S_12", "lrx", count=4, scramble_length=20, seed=0, out=out, beam_width=1, max_steps=1,
                     ball=0, exact=False)
    assert e.beam_solved < 4
    lengths = [len(r["path"].split(".")) for r in read_csv(out / "sample_submission.csv")]
    assert max(lengths) <= 20
    assert verify_submission(out, out / "sample_submission.csv").ok
    assert not (out / "solutions.csv").exists()
    assert "undo their scramble" in (out / "README.md").read_text()


def test_uniform_random_states(tmp_path):
    out = tmp_path / "d"
    e = export_paths("S_7", "pancake", count=6, seed=5, out=out)
    assert e.optimal_known == 6 and verify_submission(out, out / "sample_submission.csv").ok
    assert load(out)["solutions"][0]["scramble_length"] is None
    with pytest.raises(InvalidInputError, match="reach every arrangement"):
        export_paths("S_4", "(0 1 2)", count=2, out=tmp_path / "e")


def test_export_errors(tmp_path):
    out = tmp_path / "d"
    export_paths("S_5", "lrx", count=2, scramble_length=3, seed=0, out=out)
    r = run("dataset", "export", "paths", "S_5", "--gens", "lrx", "--count", 2, "--out", out)
    assert r.exit_code == 2 and "already holds a dataset" in r.output and r.output.count("\n") == 1
    r = run("dataset", "export", "paths", "S_5", "--gens", "lrx", "--count", 2, "--out", out, "--overwrite",
            "--rename", "Q=Z")
    assert r.exit_code == 2 and "no generator named 'Q'" in r.output
    r = run("dataset", "export", "walks", "S_5", "--gens", "lrx", "--count", 2, "--length", 3, "--out", out,
            "--overwrite")
    assert r.exit_code == 0 and not (out / "test.csv").exists() and load(out).kind == "walks"
    with pytest.raises(InvalidInputError, match="exceeds the 6 states"):
        export_paths("S_3", "lrx", count=7, scramble_length=3, out=tmp_path / "x")
    with pytest.raises(InvalidInputError, match="owner/slug"):
        export_paths("S_5", "lrx", count=2, scramble_length=3, out=tmp_path / "y", dataset_id="noslash")
    with pytest.raises(InvalidInputError, match="unknown license"):
        export_paths("S_5", "lrx", count=2, scramble_length=3, out=tmp_path / "z", license="MIT")
    with pytest.raises(CayleyError):
        export_paths("S_5", "lrx", count=2, scramble_length=3, out=tmp_path / "w", layout="csv")


def test_cli_export_paths_json(tmp_path):
    r = run("dataset", "export", "paths", "S_8", "--gens", "lrx", "--count", 3, "--scramble-length", 5,
            "--out", tmp_path / "d", "--id", "someone/lrx-eight-paths", "--title", "LRX eight paths",
            "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["count"] == 3 and d["id"] == "someone/lrx-eight-paths" and d["optimal_known"] == 3
    meta = check_kaggle_folder(tmp_path / "d")
    assert meta["title"] == "LRX eight paths"


def test_default_dataset_id(tmp_path, monkeypatch):
    monkeypatch.delenv("KAGGLE_USERNAME", raising=False)
    e = export_paths("S_5", "lrx", count=2, scramble_length=3, out=tmp_path / "a")
    assert e.metadata["id"] == "cayley/cayley-paths-s-5-lrx-k-1"
    monkeypatch.setenv("KAGGLE_USERNAME", "someone")
    e = export_paths("S_5", "lrx", count=2, scramble_length=3, out=tmp_path / "b", title="Five-point LRX")
    assert e.metadata["id"] == "someone/five-point-lrx"


# -------------------------------------------------------------------------------------
# metadata validation
# -------------------------------------------------------------------------------------
GOOD = {"title": "Pancake paths", "id": "someone/pancake-paths", "licenses": [{"name": "CC0-1.0"}]}


@pytest.mark.parametrize("change,msg", [
    ({"title": "abc"}, "title"),
    ({"title": "x" * 51}, "title"),
    ({"id": "pancake-paths"}, "owner/slug"),
    ({"id": "someone/abc"}, "slug"),
    ({"id": "someone/Pancake_Paths"}, "slug"),
    ({"licenses": [{"name": "CC0-1.0"}, {"name": "other"}]}, "exactly one"),
    ({"licenses": [{"name": "MIT"}]}, "unknown license"),
    ({"subtitle": "too short"}, "subtitle"),
    ({"resources": [{"path": "a.csv"}, {"path": "a.csv"}]}, "twice"),
    ({"resources": [{"path": "a.csv", "schema": {"fields": [{"name": "x", "type": "list"}]}}]}, "unknown type"),
])
def test_validate_metadata_rejects(change, msg):
    import jsonschema

    bad = {**GOOD, **change}
    with pytest.raises(InvalidInputError, match=msg):
        validate_metadata(bad)
    if "twice" not in msg:  # the independent schema agrees (it cannot express uniqueness of paths)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, KAGGLE_SCHEMA)
    for key in ("title", "id", "licenses"):
        with pytest.raises(InvalidInputError, match=f"missing required field '{key}'"):
            validate_metadata({k: v for k, v in GOOD.items() if k != key})


def test_validate_metadata_checks_files(tmp_path):
    meta = {**GOOD, "resources": [{"path": "a.csv", "schema": {"fields": [{"name": "x", "type": "integer"}]}}]}
    with pytest.raises(InvalidInputError, match="not a file"):
        validate_metadata(meta, tmp_path)
    (tmp_path / "a.csv").write_text("y\n1\n")
    with pytest.raises(InvalidInputError, match="do not match the columns"):
        validate_metadata(meta, tmp_path)
    (tmp_path / "a.csv").write_text("x\n1\n")
    validate_metadata(meta, tmp_path)


# -------------------------------------------------------------------------------------
# growth tables
# -------------------------------------------------------------------------------------
def test_growth_export_of_reference_families_rereads_identically(tmp_path):
    """Every shared reference family up to 5040 states: exported, re-read, identical to the
    independent reference rows; order = size = sum(growth); provenance filled in."""
    out = tmp_path / "g"
    graphs = reference_graphs(5040)
    e = export_growth(out=out, reference=True, reference_max_states=5040)
    assert e.rows == len(graphs) >= 50 and e.computed == e.rows
    rows = load(out)["growth"]
    assert len(rows) == len(graphs)
    import cayley

    for (table, g), row in zip(graphs, rows):
        key = "".join(map(str, g.start.tolist())) if table == "lrx_coset" else str(g.degree)
        ref = load_reference(table)[key]
        assert row["growth"] == ref, (table, key)
        assert row["family"] == g.generators.family and row["degree"] == g.degree
        assert row["start"] == tuple(g.start.tolist())
        assert row["diameter"] == len(ref) - 1 and row["completed"] is True
        assert row["order"] == row["size"] == sum(ref)
        assert row["version"] == cayley.__version__ and row["engine"] in ("hash", "rank") and row["seconds"] >= 0
        assert row["source"] == "computed"
        # the generators column reads back to the same generators
        assert list(row["generators"]) == list(g.generators.names)
        assert np.array_equal(np.array(list(row["generators"].values())), g.generators.perms)
    check_kaggle_folder(out)
    # the CSV text itself round-trips: writing the re-read rows gives the same file
    from cayley.datasets._format import COLUMNS, write_table
    from cayley.datasets.growth import GROWTH_COLUMNS

    write_table(tmp_path / "again.csv", [COLUMNS[c] for c in GROWTH_COLUMNS],
                ([r[c] for c in GROWTH_COLUMNS] for r in rows))
    assert (tmp_path / "again.csv").read_text() == (out / "growth.csv").read_text()


def test_growth_reference_round_trip_through_the_results_store(tmp_path):
    """Computed rows saved in the store, then exported from the store alone: identical to
    the reference rows and to the computed export."""
    from cayley.conjectures.store import ResultsStore

    db = tmp_path / "r.sqlite"
    first = export_growth(out=tmp_path / "a", reference=True, reference_max_states=720, store=db, save=True)
    assert first.computed == first.rows == first.saved == len(ResultsStore(db)) >= 30
    again = export_growth(out=tmp_path / "b", store=db, all_stored=True)
    assert again.from_store == again.rows == first.rows and again.computed == 0
    a, b = load(tmp_path / "a")["growth"], load(tmp_path / "b")["growth"]
    key = lambda r: (json.dumps(r["generators"]), r["start"])  # noqa: E731
    by_def = {key(r): r for r in b}
    for (table, g), row in zip(reference_graphs(720), a):
        other = by_def[key(row)]
        assert other["source"] == "store" and row["source"] == "computed"
        for c in ("family", "params", "degree", "order", "size", "growth", "diameter", "completed", "version",
                  "engine", "backend", "seconds"):
            assert other[c] == row[c], c
        ref_key = "".join(map(str, g.start.tolist())) if table == "lrx_coset" else str(g.degree)
        assert other["growth"] == load_reference(table)[ref_key]


def test_growth_rows_from_store_or_computed(tmp_path):
    from cayley import CayleyGraph, bfs
    from cayley.conjectures.store import ResultsStore

    db = tmp_path / "r.sqlite"
    store = ResultsStore(db)
    stored = bfs(CayleyGraph.from_spec("S_5", "lrx"))
    store.save(stored, seconds=123.0)
    e = export_growth(["lrx@4-6"], out=tmp_path / "a", store=db)
    assert (e.from_store, e.computed, e.saved, len(store)) == (1, 2, 0, 1)
    rows = load(tmp_path / "a")["growth"]
    assert [r["source"] for r in rows] == ["computed", "store", "computed"]
    assert rows[1]["seconds"] == round(stored.seconds, 6) and rows[1]["growth"] == stored.growth
    e = export_growth(["lrx@4-6"], out=tmp_path / "b", store=db, save=True)
    assert (e.from_store, e.computed, e.saved, len(store)) == (1, 2, 2, 3)
    # the default store ($XDG_DATA_HOME) is read when it exists, never created by a read
    export_growth(["lrx@4"], out=tmp_path / "c")
    assert not (tmp_path / "xdg").exists()
    r = run("dataset", "export", "growth", "--families", "lrx@4-5", "--save", "--out", tmp_path / "d",
            "--format", "json")
    assert json.loads(r.stdout)["saved"] == 2 and (tmp_path / "xdg" / "cayley" / "results.sqlite").is_file()
    r = run("dataset", "export", "growth", "--families", "lrx@4-5", "--out", tmp_path / "e", "--format", "json")
    assert json.loads(r.stdout)["from_store"] == 2
    r = run("dataset", "export", "growth", "--families", "lrx@4-5", "--no-store", "--out", tmp_path / "f",
            "--format", "json")
    assert json.loads(r.stdout)["from_store"] == 0
    r = run("dataset", "export", "growth", "--db", db, "--all-stored", "--out", tmp_path / "g", "--format", "json")
    assert json.loads(r.stdout)["rows"] == 3 and json.loads(r.stdout)["from_store"] == 3
    assert "--all-stored" in (tmp_path / "g" / "README.md").read_text()
    r = run("dataset", "export", "growth", "--families", "lrx@4", "--no-store", "--save", "--out", tmp_path / "h")
    assert r.exit_code == 2


def test_growth_families_and_cli(tmp_path):
    r = run("dataset", "export", "growth", "--families", "pancake@3-6", "--families", "top_spin:k=3@5",
            "--out", tmp_path / "g", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["rows"] == 5
    rows = load(tmp_path / "g")["growth"]
    assert [row["degree"] for row in rows] == [3, 4, 5, 6, 5]
    assert rows[4]["params"] == {"k": 3} and rows[4]["family"] == "top_spin"
    assert rows[3]["growth"] == load_reference("pancake")["6"]
    r = run("dataset", "export", "growth", "--families", "lrx@7", "--max-states", 100, "--out", tmp_path / "h")
    row = load(tmp_path / "h")["growth"][0]
    assert row["completed"] is False and row["diameter"] is None and row["order"] == 5040
    r = run("dataset", "export", "growth", "--families", "lrx@9-3", "--out", tmp_path / "i")
    assert r.exit_code == 2 and "empty degree range" in r.output
    assert parse_family_range("lrx:k=2@4..5,7") == [("lrx:k=2", 4), ("lrx:k=2", 5), ("lrx:k=2", 7)]


def test_growth_parquet_when_pyarrow(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    e = export_growth(["lrx@4-6"], out=tmp_path / "g")
    assert e.parquet
    t = pq.read_table(tmp_path / "g" / "growth.parquet").to_pylist()
    rows = load(tmp_path / "g")["growth"]
    assert [tuple(r["growth"]) for r in t] == [r["growth"] for r in rows]
    assert [r["order"] for r in t] == [r["order"] for r in rows]
    check_kaggle_folder(tmp_path / "g")
    # an order past int64 (21!) is kept exactly: a decimal string in Parquet, an int in the CSV
    export_growth(["lrx@21"], max_states=10, out=tmp_path / "big")
    from math import factorial

    assert pq.read_table(tmp_path / "big" / "growth.parquet").to_pylist()[0]["order"] == str(factorial(21))
    assert load(tmp_path / "big")["growth"][0]["order"] == factorial(21)


# -------------------------------------------------------------------------------------
# walks
# -------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["classic", "non_backtracking", "bfs_unique"])
def test_walks_distances_match_networkx(tmp_path, mode):
    out = tmp_path / "w"
    e = export_walks("S_6", "pancake", count=6, length=7, mode=mode, seed=1, out=out)
    ds = load(out)
    assert ds.kind == "walks" and e.rows == len(ds["walks"]) and e.distances_known == e.rows
    info = ds.puzzle_info
    dist = oracle_distances(list(info["generators"].values()), info["central_state"])
    for row in ds["walks"]:
        assert row["distance"] == dist[row["state"]] <= row["walk_length"]
    if mode == "bfs_unique":  # every state once
        assert len({row["state"] for row in ds["walks"]}) == e.rows
    check_kaggle_folder(out)


def test_walks_large_graph_without_distances(tmp_path):
    r = run("dataset", "export", "walks", "S_14", "--gens", "lrx", "--count", 10, "--length", 12,
            "--out", tmp_path / "w", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["rows"] == 130 and d["distances_known"] == 0
    rows = load(tmp_path / "w")["walks"]
    assert all(row["distance"] is None for row in rows)
    assert sorted({row["walk_length"] for row in rows}) == list(range(13))


def test_load_rejects_non_dataset(tmp_path):
    with pytest.raises(InvalidInputError, match="no dataset-metadata.json"):
        load(tmp_path)


# -------------------------------------------------------------------------------------
# hardening (issue 17): export never loses files, load stays inside the folder,
# verify gives one line for malformed input and streams
# -------------------------------------------------------------------------------------
def export_cli(*extra):
    return run("dataset", "export", "paths", "S_5", "--gens", "lrx", "--count", 2, "--scramble-length", 3, *extra)


def test_export_refuses_a_non_empty_folder_and_keeps_user_files(tmp_path):
    out = tmp_path / "d"
    out.mkdir()
    (out / "README.md").write_text("my notes\n")
    (out / "test.csv").write_text("my,data\n")
    r = export_cli("--out", out)
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "not empty" in r.output, r.output
    r = export_cli("--out", out, "--overwrite")  # --overwrite replaces only what cayley wrote
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "README.md" in r.output, r.output
    assert (out / "README.md").read_text() == "my notes\n" and (out / "test.csv").read_text() == "my,data\n"
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "test.csv"]


def test_overwrite_replaces_only_cayley_files(tmp_path):
    out = tmp_path / "d"
    out.mkdir()
    (out / "notes.txt").write_text("keep me\n")
    assert export_cli("--out", out).exit_code == 2  # not empty
    r = export_cli("--out", out, "--overwrite")
    assert r.exit_code == 0, r.output
    meta = json.loads((out / "dataset-metadata.json").read_text())
    assert sorted(meta["cayley_files"]) == sorted(
        ["dataset-metadata.json", "README.md", "test.csv", "sample_submission.csv", "solutions.csv",
         "puzzle_info.json"])
    assert (out / "notes.txt").read_text() == "keep me\n"
    # a walks export over it removes the paths files cayley wrote, keeps the user's
    r = run("dataset", "export", "walks", "S_5", "--gens", "lrx", "--count", 2, "--length", 3, "--out", out,
            "--overwrite")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["notes.txt", "walks.csv", "puzzle_info.json", "README.md", "dataset-metadata.json"])
    assert load(out).kind == "walks" and (out / "notes.txt").read_text() == "keep me\n"


def test_overwrite_refuses_a_user_file_under_a_cayley_name(tmp_path):
    out = tmp_path / "d"
    export_paths("S_5", "lrx", count=2, scramble_length=3, seed=0, out=out)
    meta = json.loads((out / "dataset-metadata.json").read_text())
    meta["cayley_files"].remove("solutions.csv")  # as if the user had put it there
    (out / "dataset-metadata.json").write_text(json.dumps(meta))
    before = (out / "solutions.csv").read_bytes()
    with pytest.raises(InvalidInputError, match="solutions.csv"):
        export_paths("S_5", "lrx", count=2, scramble_length=3, seed=1, out=out, overwrite=True)
    assert (out / "solutions.csv").read_bytes() == before


def test_a_failed_export_loses_nothing(tmp_path, monkeypatch):
    out = tmp_path / "d"
    export_paths("S_5", "lrx", count=2, scramble_length=3, seed=0, out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import cayley.datasets._format as fmt

    def disk_full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fmt, "readme_card", disk_full)
    with pytest.raises(OSError):
        export_paths("S_5", "lrx", count=3, scramble_length=3, seed=1, out=out, overwrite=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no staging files left either
    with pytest.raises(OSError):
        export_paths("S_5", "lrx", count=3, scramble_length=3, seed=1, out=tmp_path / "new")
    assert not (tmp_path / "new").exists()  # a folder the failed export created is removed


@pytest.fixture
def small_export(tmp_path):
    out = tmp_path / "ds"
    export_paths("S_5", "lrx", count=3, scramble_length=4, seed=0, out=out)
    return out


@pytest.mark.parametrize("where", ["../outside.csv", "ABSOLUTE", "sub/../../outside.csv"])
def test_load_keeps_resources_inside_the_folder(small_export, tmp_path, where):
    outside = tmp_path / "outside.csv"
    outside.write_text("id,secret\n1,x\n")
    meta = json.loads((small_export / "dataset-metadata.json").read_text())
    meta["resources"].append({"path": str(outside) if where == "ABSOLUTE" else where})
    (small_export / "dataset-metadata.json").write_text(json.dumps(meta))
    with pytest.raises(InvalidInputError, match="outside the dataset folder") as exc:
        load(small_export)
    assert "\n" not in str(exc.value)


def test_load_and_verify_refuse_symlinks_out_of_the_folder(small_export, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text((small_export / "test.csv").read_text())
    (small_export / "test.csv").unlink()
    (small_export / "test.csv").symlink_to(outside)
    with pytest.raises(InvalidInputError, match="outside the dataset folder"):
        load(small_export)
    r = run("dataset", "verify", small_export, "--submission", small_export / "sample_submission.csv")
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "outside the dataset folder" in r.output, r.output


def test_load_malformed_metadata_is_one_line(small_export):
    for text in ['{"resources": [5]}', '[1, 2]', '{"resources": "test.csv"}', "[" * 100_000,
                 '{"resources": [{"path": 7}]}']:
        (small_export / "dataset-metadata.json").write_text(text)
        with pytest.raises(InvalidInputError):
            load(small_export)


@pytest.mark.parametrize("data, why", [
    (b"{", ": not valid JSON (Expecting property name"),
    (b"[" * 100_000, ": nested too deeply"),
    (b"1" * 5000, ": not valid JSON (Exceeds the limit"),
    ('{"a": 1}'.encode("utf-16"), " is UTF-16 text; save it as UTF-8"),
    (b'{"a": "caf\xe9"}', " is not UTF-8 text (byte b'\\xe9'"),
])
def test_read_json_says_why_in_one_line(tmp_path, data, why):
    from cayley.datasets.files import read_json

    path = tmp_path / "m.json"
    path.write_bytes(data)
    with pytest.raises(InvalidInputError) as info:
        read_json(path)
    assert str(info.value).startswith(str(path) + why) and "\n" not in str(info.value)


def test_verify_santa_names_puzzles_csv_for_missing_ids(tmp_path):
    from cayley.datasets.verify import verify_santa

    (tmp_path / "puzzle_info.csv").write_text('puzzle_type,allowed_moves\ncyc3,"{\'r\': [1, 2, 0]}"\n')
    (tmp_path / "puzzles.csv").write_text("id,puzzle_type,solution_state,initial_state,num_wildcards\n"
                                          "0,cyc3,A;B;C,C;A;B,0\n1,cyc3,A;B;C,A;B;C,0\n2,cyc3,A;B;C,A;B;C,0\n")
    (tmp_path / "sub.csv").write_text("id,moves\n0,r\n")
    report = verify_santa(tmp_path, tmp_path / "sub.csv", max_errors=1)
    assert not report.ok and report.score == 1 and report.error_count == 2
    assert [r.reason for r in report.errors] == ["id 1 of puzzles.csv has no row in the submission"]


def test_the_column_registry_reads_from_its_data_file():
    from cayley.datasets._format import COLUMNS, KAGGLE_TYPES
    from importlib import resources

    rows = list(csv.DictReader((resources.files("cayley") / "data" / "dataset_columns.csv").open(encoding="utf-8")))
    assert [r["name"] for r in rows] == list(COLUMNS) and len(rows) >= 30  # in order, no name twice
    assert all(c.kind in KAGGLE_TYPES and c.description.endswith(".") for c in COLUMNS.values())
    assert COLUMNS["order"].description.startswith("Number of vertices")


def _verify_cli(folder, sub):
    return run("dataset", "verify", folder, "--submission", sub)


@pytest.mark.parametrize("case", ["utf16", "utf16le", "latin1", "huge field", "nul"])
def test_verify_malformed_submission_is_one_line_exit_2(lrx_folder, tmp_path, case):
    text = (lrx_folder / "sample_submission.csv").read_text()
    sub = tmp_path / "sub.csv"
    if case == "utf16":
        sub.write_bytes(text.encode("utf-16"))
    elif case == "utf16le":  # no byte-order mark: ASCII decodes as UTF-8 with a NUL after each character
        sub.write_bytes(text.encode("utf-16-le"))
    elif case == "latin1":
        sub.write_bytes(text.encode() + "5,caf\u00e9\n".encode("latin-1"))
    elif case == "huge field":
        sub.write_text(text + "5," + "L." * 70_000 + "L\n")
    else:
        sub.write_bytes(text.encode() + b"5,L\x00R\n")
    r = _verify_cli(lrx_folder, sub)
    if case == "nul":  # a NUL in a move name is a bad move: rejected, not malformed
        assert r.exit_code in (1, 2) and r.output.count("\n") <= 6 and "Traceback" not in r.output, r.output
        return
    assert r.exit_code == 2 and r.output.count("\n") == 1 and r.output.startswith("error: "), r.output
    with pytest.raises(InvalidInputError):
        verify_submission(lrx_folder, sub)


def test_verify_malformed_dataset_is_one_line_exit_2(tmp_path):
    base = tmp_path / "base"
    export_paths("S_5", "lrx", count=3, scramble_length=4, seed=0, out=base)
    sub = base / "sample_submission.csv"
    info = (base / "puzzle_info.json").read_text()
    test = (base / "test.csv").read_text()
    cases = {
        "puzzle_info.json": ["[" * 100_000, '{"generators": {"L": [1, 0]}, "central_state": [0, 1, 2, 3, 4]}',
                             info.replace('"path_separator": "."', '"path_separator": 5'),
                             info.replace('"path_separator": "."', '"path_separator": ""'),
                             "\ufeff\u00ff".encode("utf-16").decode("latin-1"),
                             '{"generators": {"L": [1.5, 0, 2, 3, 4]}, "central_state": [0, 1, 2, 3, 4]}'],
        "test.csv": ["id,initial_state\n0\n", "id,initial_state\n0,\"1,0,2,3,4\"\n0,\"1,0,2,3,4\"\n",
                     test + "9," + "1" * 200_000 + "\n"],
    }
    for name, texts in cases.items():
        for text in texts:
            (base / "puzzle_info.json").write_text(info)
            (base / "test.csv").write_text(test)
            (base / name).write_text(text, encoding="latin-1" if text.startswith("\xff") else "utf-8")
            r = _verify_cli(base, sub)
            assert r.exit_code == 2 and r.output.count("\n") == 1 and r.output.startswith("error: "), (
                name, text[:60], r.output[-300:])


def test_verify_duplicated_header_column_is_rejected(lrx_folder, tmp_path):
    bad = corrupt(lrx_folder, tmp_path, lambda ls: ["id,path,path"] + [f"{x},{x.split(',')[1]}" for x in ls[1:]])
    r = verify_submission(lrx_folder, bad)
    assert not r.ok and r.first_error.row == 0 and "'path' appears twice" in r.first_error.reason
    assert _verify_cli(lrx_folder, bad).exit_code == 1


def test_verify_accepts_trailing_blank_lines_only(lrx_folder, tmp_path):
    ok = corrupt(lrx_folder, tmp_path, lambda ls: ls + ["", "", "  "])
    r = verify_submission(lrx_folder, ok)
    assert r.ok and r.rows == 6, r.summary()
    bad = corrupt(lrx_folder, tmp_path, lambda ls: ls[:3] + [""] + ls[3:])
    r = verify_submission(lrx_folder, bad)
    assert not r.ok and r.first_error.row == 3 and "empty line" in r.first_error.reason


def test_verify_streams_rejected_rows(lrx_folder, tmp_path):
    """Memory does not grow with the number of rejected rows: only counts and the first
    few rejections are kept."""
    import tracemalloc

    def peak(rows):
        sub = tmp_path / f"many{rows}.csv"
        with open(sub, "w") as f:
            f.write("id,path\n")
            f.write("".join(f"{100 + i},L.R\n" for i in range(rows)))
        tracemalloc.start()
        r = verify_submission(lrx_folder, sub, max_errors=3)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert r.error_count == rows + 6 and len(r.errors) == 3 and r.first_error.row == 1
        return top

    small, large = peak(2_000), peak(30_000)
    assert large < small + 1_000_000, (small, large)


def test_verify_chunked_replay_matches_one_pass(lrx_folder, tmp_path, monkeypatch):
    """Replaying valid rows in chunks (here of 2 rows) gives the same report."""
    import cayley.datasets.verify as verify_mod

    bad = corrupt(lrx_folder, tmp_path, lambda ls: _set_path(_extra_move(_extra_move(ls, 5), 1), 3, "Q"))
    whole = verify_submission(lrx_folder, bad, max_errors=10)
    monkeypatch.setattr(verify_mod, "_CHUNK", 2)
    chunked = verify_submission(lrx_folder, bad, max_errors=10)
    assert chunked == whole
    monkeypatch.setattr(verify_mod, "_CHUNK_MOVES", 5)  # chunks by moves too
    assert verify_submission(lrx_folder, bad, max_errors=10) == whole and [e.row for e in whole.errors] == [1, 3, 5] and whole.valid_rows == 3
    assert verify_submission(lrx_folder, bad, max_errors=2).errors == whole.errors[:2]
    sample = verify_submission(lrx_folder, lrx_folder / "sample_submission.csv")
    monkeypatch.setattr(verify_mod, "_CHUNK", 1 << 14)
    assert sample == verify_submission(lrx_folder, lrx_folder / "sample_submission.csv") and sample.ok


def test_export_growth_of_the_shipped_rows(tmp_path):
    """The rows past the published tables, exported as a Kaggle dataset without a search."""
    from cayley.datasets import export_growth

    e = export_growth(store=False, shipped=True, out=tmp_path / "k")
    assert e.computed == 0 and e.rows >= 25
    rows = list(csv.DictReader(open(tmp_path / "k" / "growth.csv")))
    assert {r["source"] for r in rows} == {"shipped"}
    for r in rows:
        growth = json.loads(r["growth"])
        assert sum(growth) == int(r["size"]) == int(r["order"]) and int(r["diameter"]) == len(growth) - 1
    strings = [r for r in rows if r["family"] == "lrx" and r["degree"] == "31"]
    assert len(strings) == 3 and len({r["start"] for r in strings}) == 3
