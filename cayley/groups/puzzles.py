"""Puzzle groups as generator sets (numpy only).

Each puzzle is a function returning a :class:`~cayley.groups.GeneratorSet` whose
permutations act on sticker positions with the usual cayley convention: a move ``p``
takes a sticker state ``s`` to ``s[p]`` (new position ``i`` holds the sticker that was
at position ``p[i]``).

The generators are built geometrically (stickers as points on the puzzle's surface, a
turn as a rotation of the stickers on one side of a cutting plane) rather than typed in,
so the numbering described in each docstring is the whole specification. The puzzles are
registered in the family registry (:mod:`cayley.groups.library`) with kind ``"puzzle"``;
a puzzle's degree ``n`` is its number of stickers, so ``cayley growth S_24 --gens dino``
works like any family:

>>> from cayley.groups.library import generators
>>> g = generators("cube_qtm", 24)         # the 2x2x2 cube: 6 * 2^2 stickers
>>> len(g), g.names[:4]
(12, ('U', "U'", 'R', "R'"))
"""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidInputError
from .generator_set import GeneratorSet
from .perm import compose, inverse

if TYPE_CHECKING:
    from .polyhedra import CutPuzzle

__all__ = [
    "rubiks_cube_333",
    "CUBE_333_FACES",
    "cube_moves",
    "cube_size",
    "layer_name",
    "face_colours",
    "cut_puzzle_generators",
    "puzzle_start",
    "mini_pyramorphix_moves",
    "MINI_PYRAMORPHIX_FACES",
]

#: Face order of the 54-sticker numbering (Kociemba's facelet order).
CUBE_333_FACES = ("U", "R", "F", "D", "L", "B")

# Axes: x points to R, y to U, z to F.  For each face: outward normal, and the "right"
# and "down" directions of the face as drawn in the usual net (U above F, with L F R B
# in a row and D below F).
_FACE_FRAMES = {
    "U": ((0, 1, 0), (1, 0, 0), (0, 0, 1)),  # seen from above, B at the top
    "R": ((1, 0, 0), (0, 0, -1), (0, -1, 0)),  # seen from the right, F on the left
    "F": ((0, 0, 1), (1, 0, 0), (0, -1, 0)),
    "D": ((0, -1, 0), (1, 0, 0), (0, 0, -1)),  # seen from below, F at the top
    "L": ((-1, 0, 0), (0, 0, 1), (0, -1, 0)),  # seen from the left, B on the left
    "B": ((0, 0, -1), (-1, 0, 0), (0, -1, 0)),  # seen from behind, R on the left
}
OPPOSITE_FACE = {"U": "D", "D": "U", "R": "L", "L": "R", "F": "B", "B": "F"}
# middle slices of odd cubes, each turned like the face it names (Singmaster)
SLICES = {"L": "M", "D": "E", "F": "S"}


def _sticker_points(size: int = 3) -> np.ndarray:
    """Integer coordinates (doubled, so they stay integral) of the 6 size^2 stickers."""
    pts = []
    for face in CUBE_333_FACES:
        normal, right, down = (np.array(v) for v in _FACE_FRAMES[face])
        for row in range(size):
            for col in range(size):
                pts.append(size * normal + (2 * col - (size - 1)) * right + (2 * row - (size - 1)) * down)
    return np.array(pts, dtype=np.int64)


def _quarter_turn(axis: np.ndarray) -> np.ndarray:
    """Rotation matrix of -90 degrees about ``axis`` (clockwise seen from its tip)."""
    # Rodrigues with cos = 0, sin = -1: R v = (a.v) a - a x v
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rot: np.ndarray = np.outer(axis, axis) - k
    return rot


def _layer_turn(size: int, face: str, depth: int) -> np.ndarray:
    """Clockwise quarter turn (seen from ``face``) of the layer ``depth`` cubies deep."""
    pts = _sticker_points(size)
    normals = np.repeat(np.array([_FACE_FRAMES[f][0] for f in CUBE_333_FACES]), size * size, axis=0)
    cubies = pts - normals  # the centre of the cubie that carries each sticker
    index = {tuple(p): i for i, p in enumerate(pts.tolist())}
    normal = np.array(_FACE_FRAMES[face][0])
    rot = _quarter_turn(normal)
    dest = np.arange(len(pts))
    for i in np.flatnonzero(cubies @ normal == size - 1 - 2 * depth):
        dest[i] = index[tuple((rot @ pts[i]).tolist())]
    # the sticker at i goes to dest[i]; the gather convention wants new[dest[i]] = old[i]
    return inverse(dest)


def cube_size(n: int) -> int:
    """The edge length N of the NxNxN cube with ``n = 6 N^2`` stickers (N >= 2).

    >>> cube_size(24), cube_size(54)
    (2, 3)
    """
    size = math.isqrt(n // 6) if n > 0 else 0
    if n % 6 or size * size * 6 != n or size < 2:
        raise InvalidInputError(f"an NxNxN cube has n = 6 N^2 stickers with N >= 2 (24, 54, 96, ...), got n={n}")
    return size


def is_cube_degree(n: int) -> bool:
    try:
        cube_size(n)
    except InvalidInputError:
        return False
    return True


def cube_moves(size: int) -> dict[str, np.ndarray]:
    """Clockwise quarter turns of every layer of the NxNxN cube, by name.

    Outer layers are named by their face (``U R F D L B``), inner layers in SiGN
    notation (``2R`` is the second layer seen from R, ``3R`` the third, ...), counted
    from the nearer face; the middle layer of an odd cube is ``M`` (turned like L),
    ``E`` (like D) or ``S`` (like F). Each turn is clockwise as seen from the face that
    names it. Stickers are numbered face by face in the order ``U R F D L B``, row by row
    as in :func:`rubiks_cube_333`'s net (position ``N^2 * face + N * row + col``).

    >>> sorted(cube_moves(3))
    ['B', 'D', 'E', 'F', 'L', 'M', 'R', 'S', 'U']
    >>> sorted(cube_moves(4))[:4]
    ['2B', '2D', '2F', '2L']
    """
    out = {}
    for face in CUBE_333_FACES:
        for depth in range((size + 1) // 2):
            name, clockwise = layer_name(size, face, depth)
            if clockwise:  # (not the middle layer again from the face whose slice it is not)
                out[name] = _layer_turn(size, face, depth)
    return out


def layer_name(size: int, face: str, depth: int) -> tuple[str, bool]:
    """The :func:`cube_moves` name of the layer ``depth`` deep seen from ``face``, and whether
    that move turns it clockwise seen from ``face`` (False for a layer named from the
    opposite face, and for a middle slice turned like the opposite face).

    >>> layer_name(3, "U", 0), layer_name(3, "U", 1), layer_name(3, "U", 2), layer_name(4, "R", 1)
    (('U', True), ('E', False), ('D', False), ('2R', True))
    """
    opposite = OPPOSITE_FACE[face]
    if 2 * depth == size - 1:  # the middle layer of an odd cube, named once per axis
        slice_face = face if face in SLICES else opposite
        return SLICES[slice_face], slice_face == face
    if 2 * depth < size - 1:
        return (face if depth == 0 else f"{depth + 1}{face}"), True
    from_opposite = size - 1 - depth
    return (opposite if from_opposite == 0 else f"{from_opposite + 1}{opposite}"), False


def face_colours(n: int) -> np.ndarray:
    """The solved colouring of the NxNxN cube with ``n = 6 N^2`` stickers: colour = face.

    As a start state it gives the usual puzzle state space, where same-coloured centre
    pieces of big cubes are indistinguishable (a Schreier graph); for N <= 3 every state
    is determined by its colouring, so the graph is the Cayley graph itself.

    >>> face_colours(24).tolist()[:6]
    [0, 0, 0, 0, 1, 1]
    """
    size = cube_size(n)
    return np.repeat(np.arange(6), size * size)


def rotation_moves(size: int) -> dict[str, np.ndarray]:
    """Whole-cube rotations x (like R), y (like U), z (like F)."""
    out = {}
    for name, face in (("x", "R"), ("y", "U"), ("z", "F")):
        p = np.arange(6 * size * size)
        for depth in range(size):
            p = compose(p, _layer_turn(size, face, depth))
        out[name] = p
    return out


def turn_moves(moves: dict[str, np.ndarray], half: bool) -> tuple[list[np.ndarray], list[str]]:
    """Each move, its inverse ``X'`` and (``half``) its square ``X2``."""
    perms, names = [], []
    for name, p in moves.items():
        perms += [p, inverse(p)]
        names += [name, name + "'"]
        if half:
            perms.append(compose(p, p))
            names.append(name + "2")
    return perms, names


def layer_moves(size: int, middle: bool) -> dict[str, np.ndarray]:
    moves = cube_moves(size)
    return {k: v for k, v in moves.items() if middle or k not in SLICES.values()}


def rubiks_cube_333(*, inverses: bool = False) -> GeneratorSet:
    """Face quarter turns of the 3x3x3 Rubik's cube on its 54 stickers.

    Generators ``U, R, F, D, L, B`` turn one face a quarter turn clockwise as seen from
    outside that face; with ``inverses=True`` their inverses ``U^-1, ...`` follow (the
    quarter-turn metric). Centre stickers never move, so the group (order
    43 252 003 274 489 856 000) has 8 orbits on stickers: the 6 centres, the 24 edge
    stickers and the 24 corner stickers.

    Sticker numbering (Kociemba's facelet order): faces ``U, R, F, D, L, B`` hold
    positions ``0-8, 9-17, 18-26, 27-35, 36-44, 45-53``; inside a face the 9 stickers are
    numbered row by row, left to right, as the face looks in the usual net::

                  U0 U1 U2
                  U3 U4 U5
                  U6 U7 U8
        L0 L1 L2  F0 F1 F2  R0 R1 R2  B0 B1 B2
        L3 L4 L5  F3 F4 F5  R3 R4 R5  B3 B4 B5
        L6 L7 L8  F6 F7 F8  R6 R7 R8  B6 B7 B8
                  D0 D1 D2
                  D3 D4 D5
                  D6 D7 D8

    i.e. U is seen from above with B at its top edge, D from below with F at its top
    edge, and L, F, R, B from outside, upright. ``Xk`` is position ``9 * face_index + k``
    (so ``U4 = 4`` and ``F4 = 22`` are centres). A move ``p`` acts on a sticker state
    ``s`` by ``s[p]``.

    Examples
    --------
    >>> g = rubiks_cube_333()
    >>> g.names, g.degree
    (('U', 'R', 'F', 'D', 'L', 'B'), 54)
    >>> import numpy as np
    >>> u = g["U"].array
    >>> int((u != np.arange(54)).sum()), g["U"].order   # 20 stickers move, order 4
    (20, 4)
    >>> # after U the front face's top row shows what the right face's top row showed
    >>> s = np.repeat(np.arange(6), 9)            # solved: colour = face index
    >>> s[u][18:21].tolist(), s[u][22].item()
    ([1, 1, 1], 2)
    """
    perms = [_layer_turn(3, face, 0) for face in CUBE_333_FACES]
    gens = GeneratorSet(np.stack(perms), CUBE_333_FACES, family="cube_333", params=(("metric", "qtm"),))
    return gens.with_inverses() if inverses else gens


# ----------------------------------------------------------------------------------
# puzzles cut from regular polyhedra (cayley.groups.polyhedra)
# ----------------------------------------------------------------------------------
def _cut_catalogue() -> dict[str, dict[str, Any]]:
    """The polyhedral puzzles of ``cayley/data/puzzles/cut_puzzles.json``: per name its shape
    (t, c, o, d: tetrahedron, cube, octahedron, dodecahedron), cuts (kind v, e or f: about a
    vertex, edge or face axis, and depth), stickers, first docstring line and reference."""
    text = (resources.files("cayley") / "data" / "puzzles" / "cut_puzzles.json").read_text(encoding="utf-8")
    catalogue: dict[str, dict[str, Any]] = json.loads(text)
    return catalogue


_CUT_CATALOGUE = _cut_catalogue()
#: name: (shape, cuts, first docstring line, extra reference) of each polyhedral puzzle
CUT_PUZZLES: dict[str, tuple[str, list[tuple[str, float]], str, str]] = {
    name: (r["shape"], [(str(k), float(d)) for k, d in r["cuts"]], r["description"], r["reference"])
    for name, r in _CUT_CATALOGUE.items()
}
#: stickers of each polyhedral puzzle, stated so that registering the families at import
#: costs no geometry (cutting all 19 took 0.6 s of every start-up); a test checks each
#: against :func:`~cayley.groups.polyhedra.cut_puzzle`
CUT_STICKERS: dict[str, int] = {name: int(r["stickers"]) for name, r in _CUT_CATALOGUE.items()}


def cut_puzzle_generators(name: str) -> GeneratorSet:
    """The moves of a polyhedral puzzle of the registry with their inverses (a
    GeneratorSet on its moving stickers), without registry checks.

    >>> g = cut_puzzle_generators("dino")
    >>> g.degree, len(g), g.inverse_closed
    (24, 16, True)
    """

    if name not in CUT_PUZZLES:
        raise InvalidInputError(f"unknown polyhedral puzzle {name!r}; known: {', '.join(sorted(CUT_PUZZLES))}")
    shape, cuts, _, _ = CUT_PUZZLES[name]
    p = _cut_cache(shape, tuple(cuts))
    perms, names = [], []
    for nm, q in p.moves.items():
        perms.append(q)
        names.append(nm)
        inv = inverse(q)
        if not np.array_equal(inv, q):
            perms.append(inv)
            names.append(nm + "'")
    return GeneratorSet.from_perms(perms, names, family=name)


_CUT_CACHE: dict[tuple[str, tuple[tuple[str, float], ...]], CutPuzzle] = {}


def _cut_cache(shape: str, cuts: tuple[tuple[str, float], ...]) -> CutPuzzle:
    # the geometry is imported on first use: registering the puzzles at start-up needs none
    from .polyhedra import cut_puzzle

    key = (shape, cuts)
    if key not in _CUT_CACHE:
        _CUT_CACHE[key] = cut_puzzle(shape, list(cuts))
    return _CUT_CACHE[key]


def puzzle_start(name: str) -> np.ndarray:
    """The start colouring of a polyhedral puzzle in which interchangeable pieces
    (same face colours) share colours (see
    :meth:`~cayley.groups.polyhedra.CutPuzzle.identical_pieces_colouring`).

    >>> len(set(puzzle_start("dino").tolist()))
    24
    """
    if name not in CUT_PUZZLES:
        raise InvalidInputError(f"unknown polyhedral puzzle {name!r}; known: {', '.join(sorted(CUT_PUZZLES))}")
    shape, cuts, _, _ = CUT_PUZZLES[name]
    return _cut_cache(shape, tuple(cuts)).identical_pieces_colouring()


# ----------------------------------------------------------------------------------
# mini Pyramorphix: the 2x2x2 mechanism as a tetrahedron, half turns and rotations
# ----------------------------------------------------------------------------------
#: Outward normal of each tetrahedron face of the mini Pyramorphix, in the cube frame of
#: :func:`cube_moves` (x to R, y to U, z to F); the same four directions as the tetrahedron
#: of :func:`cayley.groups.polyhedra.polyhedron`. The face's centre piece is the 2x2x2 corner
#: in this direction, the tip opposite the face is the antipodal corner.
MINI_PYRAMORPHIX_FACES = {"F": (1, 1, 1), "D": (-1, -1, 1), "L": (-1, 1, -1), "R": (1, -1, -1)}


def _third_turn(axis: np.ndarray) -> np.ndarray:
    """Rotation matrix of -120 degrees about a body diagonal ``axis`` (entries +-1),
    clockwise seen from its tip; integral: Rodrigues with cos = -1/2, sin = -sqrt(3)/2."""
    cross = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rot: np.ndarray = (np.outer(axis, axis) - cross - np.eye(3, dtype=np.int64)) // 2
    return rot


def _whole_turn(rot: np.ndarray) -> np.ndarray:
    """The 2x2x2 sticker permutation of the whole-cube rotation ``rot`` (gather convention)."""
    pts = _sticker_points(2)
    index = {tuple(p): i for i, p in enumerate(pts.tolist())}
    dest = np.array([index[tuple((rot @ p).tolist())] for p in pts])
    return inverse(dest)


def mini_pyramorphix_moves() -> dict[str, np.ndarray]:
    """The 17 moves of the mini Pyramorphix on the 24 stickers of the 2x2x2 cube, by name.

    Tetrahedron faces ``F D L R`` (:data:`MINI_PYRAMORPHIX_FACES`); ``XY`` names the edge
    where faces X and Y meet, whose half of the puzzle is a 2x2x2 face layer:

    - ``M_XY`` for the six edges ``DF RL LF RD DL FR``: half turn of the half holding edge
      ``XY`` (the 2x2x2 face half turns ``F2 B2 U2 D2 L2 R2``);
    - ``M_XYv`` for ``DF LF DL``: the whole puzzle turned half a turn about that edge's axis
      (``M_XY`` and the opposite half together: ``z2 y2 x2``);
    - ``M_Xv`` and ``M_Xvi`` for ``F D L R``: the whole puzzle turned a third of a turn about
      the axis through the centre of face X and the opposite tip, clockwise and
      anticlockwise seen from face X.

    >>> m = mini_pyramorphix_moves()
    >>> len(m), [int((p != np.arange(24)).sum()) for p in (m["M_DF"], m["M_DFv"], m["M_Fv"])]
    (17, [12, 24, 24])
    >>> moves = cube_moves(2)
    >>> bool((m["M_DF"] == compose(moves["F"], moves["F"])).all())
    True
    """
    faces = {k: np.array(v) for k, v in MINI_PYRAMORPHIX_FACES.items()}
    layers = cube_moves(2)
    # CayleyPy's edge names, each edge followed by the opposite one
    edge_names = ("DF", "RL", "LF", "RD", "DL", "FR")
    half = {}
    for face in CUBE_333_FACES:
        # the 2x2x2 layer of this face holds the centres of the two tetrahedron faces
        # whose normals point to its side, hence the edge where they meet
        normal = np.array(_FACE_FRAMES[face][0])
        pair = {k for k, c in faces.items() if c @ normal > 0}
        edge = next(e for e in edge_names if set(e) == pair)
        half[edge] = compose(layers[face], layers[face])
    out = {}
    for i in range(0, 6, 2):
        a, b = edge_names[i], edge_names[i + 1]
        out[f"M_{a}"] = half[a]
        out[f"M_{b}"] = half[b]
        out[f"M_{a}v"] = compose(half[a], half[b])
    for face in ("F", "D", "L", "R"):
        turn = _whole_turn(_third_turn(faces[face]))
        out[f"M_{face}v"] = turn
        out[f"M_{face}vi"] = inverse(turn)
    return out

