"""GAP puzzle format: parse, export, round trip, errors, and `cayley growth --gens-file`."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from cayley import CayleyGraph, bfs
from cayley.cli.main import main
from cayley.errors import DegreeMismatchError, ParseError
from cayley.groups.gap_format import load_gap, read_gap, save_gap, write_gap
from cayley.groups.library import generators
from oracles import oracle_growth

CUBE_222 = """
# a 2x2x2 cube in PuzzleGeometry's style
M_F := (1,14,16,11)(2,15,17,12)(3,13,18,10);
M_U := (1,10,7,4)(2,11,8,5)
       (3,12,9,6);            # a statement may span lines
M_R := (1,6,22,15)(2,4,23,13)(3,5,24,14);
Gen := [M_U, M_R, M_F];
ip := [[1],[4],[7]];
Size(Group(Gen));
"""


def test_read_pieces():
    d = read_gap(CUBE_222)
    assert d.generators.names == ("U", "R", "F")
    assert d.generators.degree == 24
    assert d.generators["F"].array[0] == 13  # (1,14,...): p[0] = 13
    assert d.start is not None and len(set(d.start.tolist())) == 24  # singleton groups: all distinct
    # the fixed-corner 2x2x2 quarter-turn group
    assert d.generators.with_inverses().order() == 3674160


def test_overlapping_cycles_multiply_left_to_right():
    d = read_gap("M_a := (1,2)(2,3);")
    # first (1,2) then (2,3) on points: 1 -> 2 -> 3, 2 -> 1, 3 -> 2
    assert d.generators.perms.tolist() == [[2, 0, 1]]


def test_identical_pieces_colouring():
    d = read_gap("M_a := (1,2,3,4);\nip := [[1,3],[2,4]];")
    assert d.start.tolist() == [0, 1, 0, 1]
    g = CayleyGraph(d.generators.with_inverses(), start=d.start)
    assert list(bfs(g).growth) == oracle_growth(g.generators.perms.tolist(), d.start.tolist()) == [1, 1]


@pytest.mark.parametrize(
    "family,n",
    [("lrx", 6), ("pancake", 5), ("cube_fixed_qtm", 24), ("pyramorphix", 16), ("burnt_pancake", 3), ("coxeter", 5)],
)
def test_round_trip_same_generators_and_growth(family, n, tmp_path):
    g = generators(family, n)
    path = tmp_path / f"{family}.gap"
    save_gap(g, path)
    back = load_gap(path, degree=g.degree).generators
    assert np.array_equal(back.perms, g.perms)
    assert len(back.names) == len(g.names)
    limit = {"max_depth": 7} if family.startswith("cube") else {}  # 3.67M states: compare a ball
    a = bfs(CayleyGraph(g), **limit)
    b = bfs(CayleyGraph(back), **limit)
    assert (a.completed or limit) and list(a.growth) == list(b.growth)
    assert len(a.growth) > 7 or not limit


def test_written_files_keep_their_degree_without_group():
    """A fixed 2x2x2 corner is moved by no generator: the header comment keeps degree 24."""
    g = generators("cube_fixed_qtm", 24)
    assert (g.perms[:, 23] == 23).all() and g.degree == 24  # the last sticker never moves
    back = read_gap(write_gap(g)).generators
    assert back.degree == 24 and np.array_equal(back.perms, g.perms)
    assert read_gap("M_X := (1,2);").generators.degree == 2  # no header: the largest point moved


def test_round_trip_with_colouring():
    g = generators("lrx", 6)
    start = np.array([0, 0, 1, 1, 2, 2])
    d = read_gap(write_gap(g, start))
    assert np.array_equal(d.start, start)
    assert list(bfs(CayleyGraph(d.generators, start=d.start)).growth) == list(bfs(CayleyGraph(g, start=start)).growth)


def test_export_names_are_gap_identifiers():
    text = write_gap(generators("cube_atm", 24))
    assert "M_R_L_inv :=" in text
    for line in text.splitlines()[1:-1]:
        assert line.startswith("M_") and ":=" in line and line.endswith(";")


@pytest.mark.parametrize(
    "text,match",
    [
        ("M_X := (1,2,2);", "move 'X' \\(line 1\\): .*repeats"),
        ("M_A := (1,2);\nM_B := (1,x);", "move 'B' \\(line 2\\): .*integers"),
        ("M_A := (1,2);\nGen := [M_A, M_C];", "Gen lists 'M_C'"),
        ("M_A := (1,2);\nM_A := (2,3);", "move 'A' defined twice"),
        ("Foo := 3;", "unsupported statement Foo"),
        ("M_A := (1,2)", "missing ';'"),
        ("# nothing\n", "defines no moves"),
        ("M_A := (0,1);", "move 'A' .*1-based"),
    ],
)
def test_bad_definitions_name_the_move(text, match):
    with pytest.raises(ParseError, match=match):
        read_gap(text)


def test_degree_mismatch_names_the_move():
    with pytest.raises(DegreeMismatchError, match="move 'B' \\(line 2\\).*beyond degree 3"):
        read_gap("M_A := (1,2);\nM_B := (1,5);", degree=3)


def test_cli_gens_file(tmp_path):
    path = tmp_path / "cube.gap"
    path.write_text(CUBE_222)
    r = CliRunner().invoke(main, ["growth", "--gens-file", str(path), "--max-depth", "3", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    # directed: the file lists U, R, F without inverses; same as the library on the parsed file
    lib = bfs(CayleyGraph(read_gap(CUBE_222).generators), max_depth=3)
    assert d["growth"] == list(lib.growth) and d["growth"][:2] == [1, 3]
    # a GROUP sets the degree; lrx exported and read back gives the family's growth
    lrx = tmp_path / "lrx.gap"
    save_gap(generators("lrx", 5), lrx)
    r = CliRunner().invoke(main, ["growth", "S_5", "--gens-file", str(lrx), "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["growth"] == [1, 3, 6, 10, 16, 24, 29, 21, 6, 3, 1]


def test_cli_gens_and_gens_file_exclusive(tmp_path):
    path = tmp_path / "cube.gap"
    path.write_text(CUBE_222)
    r = CliRunner().invoke(main, ["growth", "S_24", "--gens", "lrx", "--gens-file", str(path)])
    assert r.exit_code == 2 and "exactly one of --gens and --gens-file" in r.output
    r = CliRunner().invoke(main, ["growth", "S_5"])
    assert r.exit_code == 2 and "exactly one" in r.output
    r = CliRunner().invoke(main, ["growth", "--gens", "lrx"])
    assert r.exit_code == 2 and "missing argument GROUP" in r.output


def test_cli_bad_file_one_line_error(tmp_path):
    bad = tmp_path / "bad.gap"
    bad.write_text("M_ok := (1,2);\nM_bad := (1,2,2);\n")
    r = CliRunner().invoke(main, ["growth", "--gens-file", str(bad)])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [r.output.strip()]
    assert "move 'bad' (line 2)" in r.output
    r = CliRunner().invoke(main, ["growth", "--gens-file", str(tmp_path / "missing.gap")])
    assert r.exit_code == 2 and "cannot read GAP file" in r.output


# ------------------------------------------------------------------------------------
# hardening (issue 17): untrusted files are bounded before allocating
# ------------------------------------------------------------------------------------
def test_huge_point_is_refused_before_allocating():
    from cayley.groups.perm import MAX_DEGREE

    for text in (
        "M_a := (1,300000000);",
        "M_a := (1,2);\nip := [[1,300000000]];",
        "# cayley generator set x (degree 300000000, 1 generators)\nM_a := (1,2);",
        f"M_a := (1,{MAX_DEGREE + 1});",
    ):
        with pytest.raises(ParseError) as info:
            read_gap(text)
        assert str(MAX_DEGREE) in str(info.value)
    with pytest.raises(ParseError):
        read_gap("M_a := (1,2);", degree=300_000_000)
    assert read_gap(f"M_a := (1,{MAX_DEGREE});").generators.degree == MAX_DEGREE


def test_many_moves_of_a_large_degree_are_refused(monkeypatch):
    import cayley.groups.gap_format as gap_mod

    monkeypatch.setattr(gap_mod, "MAX_GENERATOR_ENTRIES", 10_000, raising=False)
    text = "".join(f"M_m{i} := (1,1000);\n" for i in range(20))
    with pytest.raises(ParseError, match="20 moves"):
        read_gap(text)


@pytest.mark.parametrize(
    "text",
    [
        "M_a := hello;\nM_b := (1,2);\nGen := [M_b];",  # an unused move is still checked
        "M_a := hello;",
        "M_a := hello;\nM_b := (1,2);",
        "M_a := 3;\nM_b := (1,2);",
        "M_a := (1,2)x;\nM_b := (1,2);\nGen := [M_b];",
    ],
)
def test_a_move_that_is_not_cycles_is_an_error(text):
    with pytest.raises(ParseError, match="move 'a'"):
        read_gap(text)
    with pytest.raises(ParseError, match="move 'a'"):
        read_gap(text, degree=4)


def test_identity_move_is_still_accepted():
    d = read_gap("M_a := ();\nM_b := (1,2);")
    assert d.generators.perms.tolist() == [[0, 1], [1, 0]]


def test_statement_splitter_is_linear():
    import time

    t0 = time.perf_counter()
    d = read_gap("M_a := (1,2);" + ";" * 1_000_000 + "\nM_b := (2,3);")
    assert time.perf_counter() - t0 < 10  # quadratic splitting took ~50 s
    assert d.generators.names == ("a", "b")


@pytest.mark.parametrize(
    "data",
    [
        b"M_a := (1,2);\xff\xfe\n",
        "M_a := (1,2);".encode("utf-16"),
        b"\x80\x81\x82",
    ],
)
def test_undecodable_files_are_one_line_errors(tmp_path, data):
    f = tmp_path / "bad.gap"
    f.write_bytes(data)
    with pytest.raises(ParseError) as info:
        load_gap(f)
    assert "UTF-8" in str(info.value) and "\n" not in str(info.value)


def test_utf8_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.gap"
    f.write_bytes("M_a := (1,2);".encode("utf-8-sig"))
    assert load_gap(f).generators.names == ("a",)


def test_cli_undecodable_gens_file(tmp_path):
    f = tmp_path / "bad.gap"
    f.write_bytes("M_a := (1,2);".encode("utf-16"))
    r = CliRunner().invoke(main, ["growth", "S_3", "--gens-file", str(f)])
    assert r.exit_code == 2 and r.output.startswith("error: ") and "Traceback" not in r.output
