"""Fuzz tests of dataset loading and submission checking (issue 17).

Random and mutated submissions and dataset folders: only :class:`CayleyError` escapes
:func:`load` and :func:`verify_submission`, and nothing accepted is wrong: an accepted
submission replays, by the plain-Python oracle below, from every test state to the central
state, with the reported score. Every test is bounded (max_examples, small datasets).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cayley.datasets import LAYOUTS, export_paths, load, verify_submission
from cayley.errors import CayleyError

# CAYLEY_FUZZ_EXAMPLES raises the number of examples for a longer campaign
FUZZ = settings(max_examples=int(os.environ.get("CAYLEY_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz")
    out = {}
    out["id-path"] = base / "lrx"
    export_paths("S_5", "lrx", count=4, scramble_length=5, seed=0, out=out["id-path"])
    out["id-permutation-solution"] = base / "pancake"
    export_paths("S_5", "pancake", count=3, scramble_length=4, seed=1, out=out["id-permutation-solution"],
                 layout="id-permutation-solution")
    return out


# -------------------------------------------------------------------------------------
# the oracle: plain Python, no cayley code but the layout table (column names)
# -------------------------------------------------------------------------------------
def oracle_score(folder: Path, submission: Path) -> int:
    """Replay an accepted submission independently; returns its total number of moves.
    Fails (AssertionError or a parse error) when some test id is not solved exactly once."""
    info = json.loads((folder / "puzzle_info.json").read_text(encoding="utf-8"))
    lay = LAYOUTS[info.get("layout", "id-path")]
    gens, central = info["generators"], [int(x) for x in info["central_state"]]
    sep = info.get("path_separator", ".")
    with open(folder / "test.csv", newline="", encoding="utf-8") as f:
        tests = {r[lay.id].strip(): [int(x) for x in r[lay.state].strip("[] ").replace(" ", ",").split(",") if x]
                 for r in csv.DictReader(f)}
    text = submission.read_bytes().decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in records[0]]  # cayley reads " id" as the column id
    rows = [dict(zip(header, rec)) for rec in records[1:] if any(v.strip() for v in rec)]
    assert sorted(r[lay.id].strip() for r in rows) == sorted(tests), "ids differ from test.csv"
    total = 0
    for r in rows:
        s = tests[r[lay.id].strip()]
        if lay.state in r and lay.state != lay.path:
            given_state = [int(x) for x in r[lay.state].strip("[] ").replace(" ", ",").split(",") if x]
            assert given_state == s, "the row's state is not its test state"
        path = r[lay.path].strip()
        moves = path.split(sep) if path else []
        for m in moves:
            assert m in gens, f"{m!r} is not a move"
            s = [s[i] for i in gens[m]]
        assert s == central, f"id {r[lay.id]} does not reach the central state"
        total += len(moves)
    return total


def check(folder: Path, submission: Path):
    """verify_submission raises only CayleyError; an accepted submission is right."""
    try:
        r = verify_submission(folder, submission)
    except CayleyError as exc:
        assert "\n" not in str(exc), str(exc)
        return None
    assert r.error_count >= len(r.errors) and (r.ok == (r.error_count == 0))
    if r.ok:
        assert oracle_score(folder, submission) == r.score
    return r


def write(data: bytes) -> Path:
    d = tempfile.mkdtemp(prefix="cayley-fuzz-")
    p = Path(d) / "sub.csv"
    p.write_bytes(data)
    return p


# -------------------------------------------------------------------------------------
# submissions
# -------------------------------------------------------------------------------------
@FUZZ
@given(data=st.binary(max_size=400), layout=st.sampled_from(list(LAYOUTS)[::2]))
def test_random_bytes_submission(folders, data, layout):
    sub = write(data)
    try:
        check(folders[layout], sub)
    finally:
        shutil.rmtree(sub.parent)


ALPHABET = "0123456789,.\n\r\" LRXQ\t;\ufeff\x00\u00e9[]-" + "R1R2R3R4"


def mutate(text: str, ops) -> str:
    for kind, pos, payload in ops:
        if not text:
            text = payload
            continue
        i = pos % (len(text) + 1)
        if kind == "insert":
            text = text[:i] + payload + text[i:]
        elif kind == "delete":
            text = text[:i] + text[i + len(payload):]
        elif kind == "replace":
            text = text[:i] + payload + text[i + len(payload):]
        else:  # duplicate or drop a line
            lines = text.split("\n")
            j = pos % len(lines)
            lines = lines[:j] + ([lines[j]] * 2 if kind == "dup" else []) + lines[j + 1:]
            text = "\n".join(lines)
    return text


OPS = st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace", "dup", "drop"]), st.integers(0, 10_000),
                         st.text(alphabet=ALPHABET, min_size=1, max_size=6)), min_size=1, max_size=5)


@FUZZ
@given(ops=OPS, layout=st.sampled_from(list(LAYOUTS)[::2]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_mutated_submission(folders, ops, layout, encoding):
    folder = folders[layout]
    text = mutate((folder / "sample_submission.csv").read_text(), ops)
    sub = write(text.encode(encoding, errors="replace"))
    try:
        check(folder, sub)
    finally:
        shutil.rmtree(sub.parent)


@FUZZ
@given(st.data())
def test_generated_paths_accepted_exactly_when_they_solve(folders, data):
    """Rows built from the sample paths with random moves inserted: verify accepts a
    submission exactly when the oracle does, with the same score."""
    folder = folders["id-path"]
    info = json.loads((folder / "puzzle_info.json").read_text())
    moves = list(info["generators"])
    with open(folder / "sample_submission.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    out = ["id,path"]
    for r in rows:
        path = r["path"].split(".") if r["path"] else []
        if data.draw(st.booleans(), label="change"):
            i = data.draw(st.integers(0, len(path)), label="at")
            extra = data.draw(st.sampled_from([["L", "R"], ["R", "L"], ["X", "X"], ["L"], ["X"], []]), label="ins")
            path = path[:i] + extra + path[i:]
        assert all(m in moves for m in path)
        out.append(f"{r['id']},{'.'.join(path)}")
    out += [""] * data.draw(st.integers(0, 2), label="trailing blank lines")
    sub = write(("\n".join(out) + "\n").encode())
    try:
        r = verify_submission(folder, sub)
        try:
            expected = oracle_score(folder, sub)
        except AssertionError:
            expected = None
        assert r.ok == (expected is not None), r.summary()
        if r.ok:
            assert r.score == expected
    finally:
        shutil.rmtree(sub.parent)


# -------------------------------------------------------------------------------------
# dataset folders
# -------------------------------------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10) | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)
INFO_KEYS = ["generators", "central_state", "layout", "path_separator", "id_column"]
META_PATHS = st.sampled_from(["test.csv", "../test.csv", "/etc/hostname", "a/../../x.csv", "./test.csv",
                              "sub/x.csv", "", ".", "..", "test.csv\x00", "solutions.csv"])


@FUZZ
@given(target=st.sampled_from(["puzzle_info.json", "test.csv", "dataset-metadata.json"]), ops=OPS,
       key=st.sampled_from(INFO_KEYS), value=JSON_VALUES, path=META_PATHS, structural=st.booleans(),
       link=st.booleans())
def test_mutated_dataset_folder(folders, target, ops, key, value, path, structural, link):
    """A mutated puzzle_info.json, test.csv or dataset-metadata.json: load and verify raise
    only CayleyError, load reads nothing outside the folder (the mutated file may be a
    link to a file outside: refused), and an accepted submission replays (by the oracle)
    against the mutated folder."""
    tmp = Path(tempfile.mkdtemp(prefix="cayley-fuzz-"))
    try:
        folder = tmp / "ds"
        shutil.copytree(folders["id-path"], folder)
        f = folder / target
        if structural and target == "puzzle_info.json":
            info = json.loads(f.read_text())
            info[key] = value
            f.write_text(json.dumps(info))
        elif structural and target == "dataset-metadata.json":
            meta = json.loads(f.read_text())
            meta["resources"].append({"path": path} if path != "" else value)
            f.write_text(json.dumps(meta))
        else:
            f.write_text(mutate(f.read_text(), ops))
        if link:
            f.rename(tmp / target)
            f.symlink_to(tmp / target)
        try:
            ds = load(folder)
        except CayleyError as exc:
            assert "\n" not in str(exc), str(exc)
        else:
            assert not link, "load read a file outside the folder"
            root = os.path.realpath(folder)
            for r in ds.metadata.get("resources", []):
                real = os.path.realpath(os.path.join(folder, r["path"]))
                assert real.startswith(root + os.sep), r["path"]
        r = check(folder, folder / "sample_submission.csv")
        assert r is None or not link or target == "dataset-metadata.json", "verify read a file outside the folder"
    finally:
        shutil.rmtree(tmp)
