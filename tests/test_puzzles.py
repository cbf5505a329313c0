"""Puzzles: reference rows (CayleyPy data, computed from T. Rokicki's PuzzleGeometry files),
group orders, the naive oracle on small Schreier graphs, and the registry entries."""

from __future__ import annotations

import numpy as np
import pytest

import cayley
from cayley import CayleyGraph, InvalidInputError, bfs
from cayley.groups.library import generators, get_family
from cayley.groups.puzzles import cube_moves, face_colours, mini_pyramorphix_moves, puzzle_start, rubiks_cube_333
from cayley.reference import load_reference
from oracles import oracle_growth

REF = load_reference("puzzles")

# reference key -> (family, degree, quick prefix depth); complete rows are checked in full (slow)
REFERENCE_PUZZLES = {
    "cube_222_qtm": ("cube_qtm", 24, 5),
    "cube_222_htm": ("cube_htm", 24, 4),
    "cube_222_qstm": ("cube_qstm", 24, 5),
    "cube_222_atm": ("cube_atm", 24, 3),
    "cube_222_fixed_qtm": ("cube_fixed_qtm", 24, 6),
    "cube_222_fixed_htm": ("cube_fixed_htm", 24, 5),
    "cube_333_qtm": ("cube_qtm", 54, 4),
    "cube_333_htm": ("cube_htm", 54, 3),
    "dino": ("dino", 24, 4),
    "master_pyramorphix": ("master_pyramorphix", 36, 6),
    "mastermorphix": ("mastermorphix", 40, 6),
    "mini_pyramorphix": ("mini_pyramorphix", 24, 5),  # the complete row
    "pyraminx": ("pyraminx", 36, 3),
    "pyramorphix": ("pyramorphix", 16, 4),
    "skewb_diamond": ("skewb_diamond", 32, 3),
    "starminx": ("starminx", 120, 2),
    "starminx_2": ("starminx_2", 132, 2),
    "tetraminx": ("tetraminx", 24, 3),
}


def test_every_reference_puzzle_is_covered():
    assert set(REF) == set(REFERENCE_PUZZLES)


@pytest.mark.parametrize("key", sorted(REFERENCE_PUZZLES))
def test_reference_prefix(key):
    name, n, depth = REFERENCE_PUZZLES[key]
    gens = generators(name, n)
    res = bfs(CayleyGraph(gens), max_depth=depth)
    assert list(res.growth) == list(REF[key][: depth + 1])


def _complete(key):
    name, n, _ = REFERENCE_PUZZLES[key]
    return sum(REF[key]) == generators(name, n).order()


@pytest.mark.slow
@pytest.mark.parametrize(
    "key", ["cube_222_fixed_qtm", "cube_222_fixed_htm", "master_pyramorphix", "mastermorphix", "pyramorphix",
            "skewb_diamond", "tetraminx"]
)
def test_complete_reference_rows(key):
    """Complete rows (sum = group order) match in full; the 88M-state 2x2x2 rows and the
    240M/300M dino and pyraminx rows run on a GPU (below; recorded in benchmarks/RESULTS.md
    from an H100: all six equal the reference)."""
    assert _complete(key)
    name, n, _ = REFERENCE_PUZZLES[key]
    res = bfs(CayleyGraph(generators(name, n)))
    assert res.completed and list(res.growth) == list(REF[key])


@pytest.mark.slow
@pytest.mark.parametrize("key", ["cube_222_qtm", "pyraminx"])
def test_big_puzzle_rows_on_the_cpu_in_under_a_gibibyte(key):
    """The 88M-state 2x2x2 and the 302M-state pyraminx on the CPU: the piece ranking with
    its laws has exactly one rank per state, so the rank engine needs 2 bits a state
    (pyraminx: 148 s, 317 MiB peak on the 2-core machine)."""
    from cayley.graphs.rank_engine import rank_bfs, rank_memory_bytes

    name, n, _ = REFERENCE_PUZZLES[key]
    graph = CayleyGraph(generators(name, n))
    assert graph.ranking().size == sum(REF[key])
    assert rank_memory_bytes(graph) < 2**30
    res = rank_bfs(graph, store_layers_up_to=0)
    assert res.completed and list(res.growth) == list(REF[key])


@pytest.mark.gpu
@pytest.mark.parametrize("key", ["cube_222_qtm", "cube_222_htm", "cube_222_qstm", "cube_222_atm", "dino", "pyraminx"])
def test_complete_reference_rows_on_a_gpu(key):
    """The big complete rows on a CUDA GPU (hash engine; 10-135 s each on an H100)."""
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    assert _complete(key)
    name, n, _ = REFERENCE_PUZZLES[key]
    res = bfs(CayleyGraph(generators(name, n)), engine="hash", backend="cuda", store_layers_up_to=0,
              last_layer_limit=10)
    assert res.completed and list(res.growth) == list(REF[key])


def test_complete_rows_are_the_group_orders():
    for key in ["cube_222_qtm", "cube_222_atm", "cube_222_fixed_qtm", "dino", "pyraminx", "pyramorphix",
                "mastermorphix", "master_pyramorphix", "mini_pyramorphix", "skewb_diamond", "tetraminx"]:
        assert _complete(key), key
    for key in ["cube_333_qtm", "cube_333_htm"]:  # depth-limited rows
        assert sum(REF[key]) < generators(*REFERENCE_PUZZLES[key][:2]).order()


# group orders: Wikipedia / Jaap's puzzle pages for the puzzles, and the order sympy finds for
# the same puzzle defined by PuzzleGeometry (CayleyPy 0.2.0's GAP files), checked when written
KNOWN_ORDERS = {
    ("cube_qtm", 54): 43252003274489856000,  # Rubik's cube
    ("cube_fixed_qtm", 24): 3674160,  # Pocket cube
    ("cube_qtm", 24): 24 * 3674160,
    ("cube_atm", 24): 24 * 3674160,
    ("dino", 24): 239500800,  # 12!/2
    ("skewb", 30): 37791360,
    ("pyraminx", 36): 302330880,
    ("tetraminx", 24): 11197440,
    ("pyramorphix", 16): 96,
    ("mastermorphix", 40): 5308416,
    ("master_pyramorphix", 36): 1327104,
    # CayleyPy's docstring: 288; 24 positions of the 2x2x2 by half turns (a corner fixed) x 12 rotations
    ("mini_pyramorphix", 24): 288,
    ("skewb_diamond", 32): 1658880,
    ("master_tetraminx", 48): 2681795837952000,
    ("christophers_jewel", 48): 2009078326886400,
    ("helicopter", 48): 11848661611315200000,
    ("little_chop", 24): 310224200866619719680000,
    ("fto", 72): 158260810061489362698240000000,
}


@pytest.mark.parametrize("name,n", sorted(KNOWN_ORDERS))
def test_group_orders(name, n):
    assert generators(name, n).order() == KNOWN_ORDERS[(name, n)]


@pytest.mark.slow
def test_dodecahedral_orders():
    mega = 100669616553523347122516032313645505168688116411019768627200000000000
    assert generators("megaminx", 120).order() == mega
    assert generators("starminx", 120).order() == 248270459431215031814452911028288348886138880000000


# the dodecahedral puzzles (120+ stickers) take minutes here: sympy's orbit computation for
# the engine choice dominates on a loaded 2-core machine, so they run with the slow tests
PUZZLES = [
    pytest.param(f.name, marks=[pytest.mark.slow] if f.example_degree() > 100 else [])
    for f in cayley.families("puzzle")
]


def _one_piece_start(n, piece):
    """Mark the stickers of positions ``piece`` with distinct colours, all others 0: the
    Schreier graph on where those stickers went (small orbits, fit for the oracle)."""
    s = np.zeros(n, dtype=np.int64)
    for c, i in enumerate(piece, start=1):
        s[i] = c
    return s


@pytest.mark.parametrize("name", PUZZLES)
def test_puzzle_schreier_graph_against_oracle(name):
    fam = get_family(name)
    n = fam.example_degree()
    gens = fam(n)
    assert fam.kind == "puzzle" and gens.degree == n and gens.inverse_closed
    # track two stickers of the first moved orbit: at most n(n-1) states
    moved = np.flatnonzero((gens.perms != np.arange(n)).any(axis=0))
    start = _one_piece_start(n, moved[:2])
    res = bfs(CayleyGraph(gens, start=start))
    assert res.completed
    assert list(res.growth) == oracle_growth(gens.perms.tolist(), start.tolist())


def test_mini_pyramorphix_complete_row():
    """The whole Cayley graph (288 states, all tiles distinct at the start): the reference row
    in full, the group order, and the naive oracle."""
    g = generators("mini_pyramorphix", 24)
    assert len(g) == 17 and g.inverse_closed and g.degree == 24
    res = bfs(CayleyGraph(g))
    assert res.completed and not CayleyGraph(g).is_schreier
    assert list(res.growth) == list(REF["mini_pyramorphix"]) == oracle_growth(g.perms.tolist())
    assert res.size == g.order() == 288


def test_mini_pyramorphix_moves():
    m = mini_pyramorphix_moves()
    cube = cube_moves(2)
    ident = np.arange(24)
    # the six half turns are the 2x2x2 face half turns ...
    halves = ["M_DF", "M_RL", "M_LF", "M_RD", "M_DL", "M_FR"]
    assert sorted(m[k].tobytes() for k in halves) == sorted(p[p].tobytes() for p in cube.values())
    # ... and a half with the opposite one is a whole-puzzle half turn, which moves every tile
    rot = generators("cube_qtm", 24, rotations=True)
    for a, b, r in (("DF", "RL", "z"), ("LF", "RD", "y"), ("DL", "FR", "x")):
        assert np.array_equal(m[f"M_{a}v"], m[f"M_{a}"][m[f"M_{b}"]])
        assert np.array_equal(m[f"M_{a}v"], rot.product([r, r]).array)
        assert not (m[f"M_{a}v"] == ident).any()
    thirds = []
    for face in "FDLR":
        turn = m[f"M_{face}v"]
        # order 3 and no tile fixed: the two pieces on the axis twist in place, six others cycle
        assert np.array_equal(turn[turn][turn], ident) and not (turn == ident).any()
        assert np.array_equal(m[f"M_{face}vi"], turn[turn])
        thirds.append(turn)
    # the third turns generate the 12 rotations of the tetrahedron, the whole half turns among them
    assert cayley.GeneratorSet.from_perms(thirds).order() == 12
    whole = thirds + [m[f"M_{a}v"] for a in ("DF", "LF", "DL")]
    assert cayley.GeneratorSet.from_perms(whole).order() == 12


def test_mini_pyramorphix_bad_input():
    from click.testing import CliRunner

    from cayley.cli.main import main

    with pytest.raises(InvalidInputError, match="'mini_pyramorphix' needs degree n = 24 tiles, got 25"):
        generators("mini_pyramorphix", 25)
    with pytest.raises(InvalidInputError, match="has no parameter 'k'"):
        generators("mini_pyramorphix", 24, k=2)
    r = CliRunner().invoke(main, ["growth", "S_25", "--gens", "mini_pyramorphix"])
    assert r.exit_code == 2 and r.stdout == "" and "Traceback" not in r.output
    assert r.stderr == "error: family 'mini_pyramorphix' needs degree n = 24 tiles, got 25\n"


def test_cube_moves_are_layer_turns():
    assert sorted(cube_moves(2)) == ["B", "D", "F", "L", "R", "U"]
    g = rubiks_cube_333()
    m = cube_moves(3)
    assert all(np.array_equal(g[nm].array, m[nm]) for nm in g.names)
    # a slice is a face turn times the opposite face turn, modulo a rotation: R L' M' ... commutes
    # with R: layers of one axis commute
    four = cube_moves(4)
    assert np.array_equal(four["R"][four["2R"]], four["2R"][four["R"]])
    assert len(generators("cube_qtm", 96)) == 24 and len(generators("cube_qstm", 54)) == 18
    assert len(generators("cube_atm", 54)) == 78


def test_cube_rotations_and_colours():
    g = generators("cube_qtm", 54, rotations=True)
    assert g.names[-6:] == ("x", "x'", "y", "y'", "z", "z'")
    # x turns the whole cube like R: R, then M' (M turns like L), then L'
    m = cube_moves(3)
    x = m["R"][np.argsort(m["M"])][np.argsort(m["L"])]
    assert np.array_equal(g["x"].array, x)
    # x moves every sticker but the R and L centres
    assert int((g["x"].array != np.arange(54)).sum()) == 52
    s = face_colours(96)
    assert len(s) == 96 and np.bincount(s).tolist() == [16] * 6


@pytest.mark.slow
def test_starminx_2_identical_pieces():
    # the five identical centre triangles of each face share a colour
    s = puzzle_start("starminx_2")
    assert len(s) == 132 and len(set(s.tolist())) < 132
    res = bfs(CayleyGraph(generators("starminx_2", 132), start=s), max_depth=2)
    assert list(res.growth) == list(REF["starminx_2"][:3])


def test_globe_and_hungarian_rings():
    # rows from CayleyPy's data (globes_growth, hungarian_rings_growth)
    g = generators("globe", 8)
    assert list(bfs(CayleyGraph(g)).growth) == [
        1, 8, 48, 220, 575, 1100, 1952, 3520, 5312, 6304, 7168, 7264, 5056, 1568, 224]
    g = generators("globe", 4, a=1, b=1)
    assert list(bfs(CayleyGraph(g)).growth) == [1, 4, 10, 8, 1] == oracle_growth(g.perms.tolist())
    h = generators("hungarian_rings", 8, left_size=5, left_index=2, right_size=5, right_index=2)
    res = bfs(CayleyGraph(h))
    assert list(res.growth) == [1, 4, 12, 32, 86, 228, 594, 1485, 3337, 5692, 5860, 2520, 296, 13]
    assert res.size == h.order()
    with pytest.raises(InvalidInputError, match="globe with a=2, b=1 has n = 2\\(a\\+1\\)b = 6"):
        generators("globe", 12, a=2, b=1)


def test_puzzle_degrees_are_sticker_counts():
    with pytest.raises(InvalidInputError, match="needs degree n = 24 stickers"):
        generators("dino", 25)
    with pytest.raises(InvalidInputError, match="n = 6 N\\^2"):
        generators("cube_qtm", 30)
    g = cayley.parse_generators("dino", degree=24)
    assert len(g) == 16


def test_cut_puzzle_catalogue_records():
    """Each record of cayley/data/puzzles/cut_puzzles.json names a shape, its cuts (kind and
    depth), a sticker count, a one-line description and a reference, and registers a family."""
    import json
    from importlib import resources

    from cayley.groups import puzzles

    path = resources.files("cayley") / "data" / "puzzles" / "cut_puzzles.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    assert list(records) == list(puzzles.CUT_PUZZLES) and len(records) == 19
    for name, r in records.items():
        assert set(r) == {"shape", "cuts", "stickers", "description", "reference"}, name
        assert r["shape"] in "tcod" and r["cuts"] and all(k in "vef" and isinstance(d, float) for k, d in r["cuts"])
        assert isinstance(r["stickers"], int) and "\n" not in r["description"] and r["reference"]
        fam = get_family(name)
        assert fam.description == r["description"] and fam.reference.startswith(r["reference"] + "; ")
        assert fam.degrees(200) == [r["stickers"]]


def test_stated_puzzle_degrees_are_the_cut_puzzles():
    """The sticker counts stated for registration (no geometry at import) are the cut's."""
    from cayley.groups import puzzles
    from cayley.groups.library.puzzles import CUT_DEGREES
    from cayley.groups.polyhedra import cut_puzzle

    assert set(CUT_DEGREES) == set(puzzles.CUT_PUZZLES)
    for name, (shape, cuts, _, _) in puzzles.CUT_PUZZLES.items():
        assert cut_puzzle(shape, list(cuts)).degree == CUT_DEGREES[name], name
        assert get_family(name).accepts(CUT_DEGREES[name])
