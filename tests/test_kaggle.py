"""Kaggle Santa 2023 files: readers, writer, replay, and one-line errors for bad files."""

from __future__ import annotations

import os

import numpy as np
import pytest
from click.testing import CliRunner

from cayley.cli.main import main
from cayley.errors import CayleyError
from cayley.puzzles import (
    LIMITS,
    PuzzleFileError,
    PuzzleType,
    check_submission,
    read_puzzle_info,
    read_puzzles,
    read_submission,
    replay,
    write_submission,
)

SHARED = "/work/shared/puzzles"
# a 2x2 sliding-free toy: r rotates positions 0..3, s swaps 0 and 1 (an involution)
INFO = 'puzzle_type,allowed_moves\ntoy4,"{\'r\': [1, 2, 3, 0], \'s\': [1, 0, 2, 3]}"\n'


def write(tmp_path, name, text, mode="w"):
    p = tmp_path / name
    if mode == "wb":
        p.write_bytes(text)
    else:
        p.write_text(text)
    return str(p)


def puzzles_csv(rows, extra=""):
    head = "id,puzzle_type,solution_state,initial_state,num_wildcards" + (",optimal_length" if extra else "")
    return head + "\n" + "".join(r + "\n" for r in rows)


@pytest.fixture
def info(tmp_path):
    return read_puzzle_info(write(tmp_path, "info.csv", INFO))


def test_read_info_and_generators(info):
    t = info["toy4"]
    assert t.degree == 4
    # s is an involution: no '-s'; r gets '-r'
    assert t.generators.names == ("r", "s", "-r")
    assert t.move("-r").tolist() == [3, 0, 1, 2]
    assert t.move("r")[t.move("-r")].tolist() == [0, 1, 2, 3]


def test_roundtrip_replay_wildcards(tmp_path, info):
    p = write(tmp_path, "p.csv", puzzles_csv(
        ["0,toy4,A;B;C;D,B;C;D;A,0,1", "1,toy4,A;A;B;B,A;B;A;B,0,9", "2,toy4,A;B;C;D,B;A;C;D,2,0"], extra=1))
    rows = read_puzzles(p, info)
    assert [r.id for r in rows] == ["0", "1", "2"]
    assert rows[0].extra == (("optimal_length", "1"),)
    # state B;C;D;A acted on by -r: s[p] with p = [3,0,1,2] gives A;B;C;D
    assert replay(rows[0], info["toy4"], ["-r"])
    assert not replay(rows[0], info["toy4"], ["r"])
    assert replay(rows[0], info["toy4"], ["r", "r", "r"])
    # row 2 differs in 2 positions and allows 2 wildcards: solved by no moves
    assert replay(rows[2], info["toy4"], [])
    sub = str(tmp_path / "sub.csv")
    write_submission(sub, {"0": ["-r"], "1": ["s", "r"], "2": []})
    got = read_submission(sub)
    assert got == {"0": ["-r"], "1": ["s", "r"], "2": []}
    assert check_submission(rows, info, got) == {"0": True, "1": replay(rows[1], info["toy4"], ["s", "r"]), "2": True}
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]  # atomic: no leftovers


def test_real_files_read():
    if not os.path.exists(f"{SHARED}/puzzle_info.csv"):
        pytest.skip("shared puzzle files absent")
    info = read_puzzle_info(f"{SHARED}/puzzle_info.csv")
    assert {"cube3_qtm", "cube_3/3/3", "cube_4/4/4", "cube_5/5/5"} <= set(info)
    assert info["cube3_qtm"].generators.names[:6] == ("U", "D", "L", "R", "B", "F")
    assert len(info["cube3_qtm"].generators) == 12
    rows = read_puzzles(f"{SHARED}/deepcubea_cube3.csv", info)
    assert len(rows) == 1000 and rows[0].puzzle_type == "cube3_qtm"


def test_unknown_move_in_replay(info, tmp_path):
    rows = read_puzzles(write(tmp_path, "p.csv", puzzles_csv(["0,toy4,A;B;C;D,B;C;D;A,0"])), info)
    with pytest.raises(PuzzleFileError, match="unknown move 'x'"):
        replay(rows[0], info["toy4"], ["x"])


BAD_INFO = {
    "not a permutation": 'puzzle_type,allowed_moves\nt,"{\'a\': [0, 0, 1]}"\n',
    "length 2, expected 3": 'puzzle_type,allowed_moves\nt,"{\'a\': [0, 1, 2], \'b\': [1, 0]}"\n',
    "not a dict literal": 'puzzle_type,allowed_moves\nt,"__import__(\'os\').system(\'echo hi\')"\n',
    "is a list": 'puzzle_type,allowed_moves\nt,"[[0, 1]]"\n',
    "not a list of integers": 'puzzle_type,allowed_moves\nt,"{\'a\': [0, 1.0]}"\n',
    "nests 3 levels": 'puzzle_type,allowed_moves\nt,"{\'a\': [[0], [1]]}"\n',
    "missing": "puzzle_type,moves\nt,x\n",
    "appears twice": 'puzzle_type,allowed_moves\nt,"{\'a\': [1, 0]}"\nt,"{\'a\': [1, 0]}"\n',
    "bad move name": 'puzzle_type,allowed_moves\nt,"{\'a.b\': [1, 0]}"\n',
    "fields, the header has": 'puzzle_type,allowed_moves\nt,"{\'a\': [1, 0]}",x\n',
    "is empty": "",
    "malformed CSV": 'puzzle_type,allowed_moves\nt,"{\'a\': [1, 0]}"x"\n',
}


@pytest.mark.parametrize("message", sorted(BAD_INFO))
def test_bad_info(tmp_path, message):
    path = write(tmp_path, "info.csv", BAD_INFO[message])
    with pytest.raises(PuzzleFileError, match=message):
        read_puzzle_info(path)


BAD_PUZZLES = {
    "unknown puzzle type 'nope'": ["0,nope,A;B;C;D,A;B;C;D,0"],
    "puzzle type 'toy4' has degree 4": ["0,toy4,A;B;C,B;C;A,0"],
    "initial_state has 3 labels, solution_state 4": ["0,toy4,A;B;C;D,A;B;C,0"],
    "not the same multiset": ["0,toy4,A;B;C;D,A;B;C;C,0"],
    "num_wildcards '-1'": ["0,toy4,A;B;C;D,A;B;C;D,-1"],
    "not ';'-separated labels": ["0,toy4,A;;C;D,A;B;C;D,0"],
    "id '0' appears twice": ["0,toy4,A;B;C;D,A;B;C;D,0", "0,toy4,A;B;C;D,A;B;C;D,0"],
}


@pytest.mark.parametrize("message", sorted(BAD_PUZZLES))
def test_bad_puzzles(tmp_path, info, message):
    path = write(tmp_path, "p.csv", puzzles_csv(BAD_PUZZLES[message]))
    with pytest.raises(PuzzleFileError, match=message):
        read_puzzles(path, info)


def test_not_utf8_nul_missing_and_oversized(tmp_path, info, monkeypatch):
    with pytest.raises(PuzzleFileError, match="not UTF-8"):
        read_puzzle_info(write(tmp_path, "a.csv", b"puzzle_type,allowed_moves\nt,\xff\xfe\n", "wb"))
    with pytest.raises(PuzzleFileError, match="NUL"):
        read_puzzles(write(tmp_path, "b.csv", b"id,puzzle_type\x00\n", "wb"), info)
    with pytest.raises(PuzzleFileError, match="no puzzles file"):
        read_puzzles(str(tmp_path / "absent.csv"), info)
    with pytest.raises(PuzzleFileError, match="is a directory"):
        read_puzzle_info(str(tmp_path))
    # an over-long field is refused by the CSV reader, an over-large file before reading
    monkeypatch.setitem(LIMITS, "field_chars", 50)
    big = 'puzzle_type,allowed_moves\nt,"{\'a\': [' + ", ".join(map(str, range(40))) + ']}"\n'
    with pytest.raises(PuzzleFileError, match="malformed CSV|characters"):
        read_puzzle_info(write(tmp_path, "c.csv", big))
    monkeypatch.setitem(LIMITS, "file_bytes", 10)
    with pytest.raises(PuzzleFileError, match="more than the limit"):
        read_puzzle_info(write(tmp_path, "d.csv", INFO))
    monkeypatch.setitem(LIMITS, "file_bytes", 1 << 20)
    monkeypatch.setitem(LIMITS, "field_chars", 1 << 20)
    monkeypatch.setitem(LIMITS, "degree", 3)
    with pytest.raises(PuzzleFileError, match="more than the limit 3"):
        read_puzzle_info(write(tmp_path, "e.csv", INFO))


def test_bad_submission(tmp_path):
    with pytest.raises(PuzzleFileError, match="not '.'-separated names"):
        read_submission(write(tmp_path, "s.csv", "id,moves\n0,r..s\n"))
    with pytest.raises(PuzzleFileError, match="missing"):
        read_submission(write(tmp_path, "t.csv", "id,solution\n0,r\n"))
    with pytest.raises(PuzzleFileError, match="bad move name"):
        write_submission(str(tmp_path / "u.csv"), {"0": ["a.b"]})


def test_errors_are_cayley_errors_and_cli_exit_2(tmp_path):
    assert issubclass(PuzzleFileError, CayleyError) and issubclass(PuzzleFileError, ValueError)
    info = write(tmp_path, "info.csv", BAD_INFO["not a permutation"])
    pz = write(tmp_path, "p.csv", puzzles_csv(["0,t,A;B;C,A;B;C,0"]))
    r = CliRunner().invoke(main, ["solve", "--puzzle-info", info, "--puzzles", pz, "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 2, r.output
    assert r.output.startswith("error: ") and r.output.count("\n") == 1 and "not a permutation" in r.output
    good = write(tmp_path, "good.csv", INFO)
    pz = write(tmp_path, "q.csv", puzzles_csv(["0,toy4,A;B;C;D,A;B;C;E,0"]))
    r = CliRunner().invoke(main, ["solve", "--puzzle-info", good, "--puzzles", pz, "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 2 and "not the same multiset" in r.output and r.output.count("\n") == 1
    assert not os.path.exists(tmp_path / "o.csv")


def test_puzzle_type_from_moves_checks():
    with pytest.raises(PuzzleFileError, match="no moves"):
        PuzzleType.from_moves("t", {})
    t = PuzzleType.from_moves("t", {"a": np.array([2, 0, 1])})
    assert t.generators.names == ("a", "-a")
