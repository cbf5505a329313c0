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

import math
from itertools import product

import numpy as np

from ..errors import InvalidInputError
from .generators import GeneratorSet
from .library import register
from .perm import compose, inverse

__all__ = [
    "rubiks_cube_333",
    "CUBE_333_FACES",
    "cube_moves",
    "cube_size",
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
_OPPOSITE = {"U": "D", "D": "U", "R": "L", "L": "R", "F": "B", "B": "F"}
# middle slices of odd cubes, each turned like the face it names (Singmaster)
_SLICES = {"L": "M", "D": "E", "F": "S"}


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
    return np.outer(axis, axis) - k


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


def _is_cube_degree(n: int) -> bool:
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
            if 2 * depth == size - 1:  # the middle layer, named once per axis
                if face in _SLICES:
                    out[_SLICES[face]] = _layer_turn(size, face, depth)
                continue
            out[face if depth == 0 else f"{depth + 1}{face}"] = _layer_turn(size, face, depth)
    return out


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


def _rotation_moves(size: int) -> dict[str, np.ndarray]:
    """Whole-cube rotations x (like R), y (like U), z (like F)."""
    out = {}
    for name, face in (("x", "R"), ("y", "U"), ("z", "F")):
        p = np.arange(6 * size * size)
        for depth in range(size):
            p = compose(p, _layer_turn(size, face, depth))
        out[name] = p
    return out


def _turns(moves: dict[str, np.ndarray], half: bool):
    """Each move, its inverse ``X'`` and (``half``) its square ``X2``."""
    perms, names = [], []
    for name, p in moves.items():
        perms += [p, inverse(p)]
        names += [name, name + "'"]
        if half:
            perms.append(compose(p, p))
            names.append(name + "2")
    return perms, names


def _outer_and_inner(size: int, middle: bool) -> dict[str, np.ndarray]:
    moves = cube_moves(size)
    return {k: v for k, v in moves.items() if middle or k not in _SLICES.values()}


_CUBE_REF = (
    "D. Singmaster, Notes on Rubik's Magic Cube (1981); T. Rokicki, H. Kociemba, M. Davidson, J. Dethridge, "
    "The diameter of the Rubik's cube group is twenty, SIAM Rev. 56 (2014) 645-670; "
    "https://www.speedsolving.com/wiki/index.php/Metric; CayleyPy Puzzles.rubik_cube"
)
_CUBE_RULE = "n = 6 N^2 stickers, N >= 2 (24, 54, 96, ...)"
_ROT_DOC = {"rotations": "add the whole-cube rotations x, y, z (and their inverses)"}


def _with_rotations(size, perms, names, rotations: bool, half: bool):
    if rotations:
        rp, rn = _turns(_rotation_moves(size), half)
        perms, names = perms + rp, names + rn
    return perms, names


@register(
    "cube_qtm",
    reference="NxNxN cube, quarter turn metric: " + _CUBE_REF + "; 3x3x3 QTM diameter 26 (Rokicki, Davidson 2014)",
    min_degree=24,
    kind="puzzle",
    degree_test=_is_cube_degree,
    rule=_CUBE_RULE,
    param_docs=_ROT_DOC,
    aliases=("rubiks_cube", "rubik_cube_qtm"),
)
def _cube_qtm(n: int, rotations: bool = False):
    """NxNxN cube (n = 6 N^2 stickers), quarter-turn metric: quarter turns of every layer but an odd cube's middle one, both ways.

    Generators ``X, X'`` for the outer layers ``U R F D L B`` and the inner layers
    ``2U, 3U, ...`` of :func:`cube_moves` (2x2x2: 12, 3x3x3: 12, 4x4x4: 24). With
    ``rotations=True`` the whole-cube rotations ``x, x', y, y', z, z'`` are added. The
    state is the sticker permutation (start: the identity; :func:`face_colours` gives
    the colour state).
    """
    size = cube_size(n)
    perms, names = _turns(_outer_and_inner(size, middle=False), half=False)
    return _with_rotations(size, perms, names, rotations, half=False)


@register(
    "cube_htm",
    reference="NxNxN cube, half turn (face turn) metric: " + _CUBE_REF + "; 3x3x3 HTM diameter 20",
    min_degree=24,
    kind="puzzle",
    degree_test=_is_cube_degree,
    rule=_CUBE_RULE,
    param_docs=_ROT_DOC,
    aliases=("rubik_cube_htm", "cube_ftm"),
)
def _cube_htm(n: int, rotations: bool = False):
    """NxNxN cube (n = 6 N^2 stickers), half-turn metric: quarter and half turns of every layer but an odd cube's middle one.

    Generators ``X, X', X2`` for the layers of ``cube_qtm`` (2x2x2 and 3x3x3: 18).
    ``rotations=True`` adds ``x, x', x2, y, ...``.
    """
    size = cube_size(n)
    perms, names = _turns(_outer_and_inner(size, middle=False), half=True)
    return _with_rotations(size, perms, names, rotations, half=True)


@register(
    "cube_qstm",
    reference="NxNxN cube, quarter slice turn metric (slice turns count one move): " + _CUBE_REF,
    min_degree=24,
    kind="puzzle",
    degree_test=_is_cube_degree,
    rule=_CUBE_RULE,
    param_docs=_ROT_DOC,
    aliases=("rubik_cube_qstm",),
)
def _cube_qstm(n: int, rotations: bool = False):
    """NxNxN cube (n = 6 N^2 stickers), quarter slice turn metric: quarter turns of every layer, middle slices included.

    The ``cube_qtm`` generators plus ``M, M', E, E', S, S'`` on odd cubes (3x3x3: 18);
    on even cubes it equals ``cube_qtm``.
    """
    size = cube_size(n)
    perms, names = _turns(_outer_and_inner(size, middle=True), half=False)
    return _with_rotations(size, perms, names, rotations, half=False)


@register(
    "cube_atm",
    reference="NxNxN cube, axial turn metric (turns of parallel layers about one axis count one move): "
    + _CUBE_REF,
    min_degree=24,
    kind="puzzle",
    degree_test=_is_cube_degree,
    rule=_CUBE_RULE,
    aliases=("rubik_cube_atm",),
)
def _cube_atm(n: int):
    """NxNxN cube (n = 6 N^2 stickers), axial turn metric: any quarter turns of the N parallel layers of one axis at once.

    For each axis (x through R, y through U, z through F) and each assignment of a turn
    (none, clockwise, anticlockwise, seen from R, U or F) to its N layers, not all none:
    3 (3^N - 1) generators (2x2x2: 24, 3x3x3: 78). Turning all layers alike is a whole-cube
    rotation, so rotations are among the moves. Names join the layer turns with ``+``,
    layers named as in :func:`cube_moves` (``R+L'``, ...).
    """
    size = cube_size(n)
    moves = cube_moves(size)
    perms, names = [], []
    for ref in ("R", "U", "F"):
        layers = []  # (name, clockwise turn seen from ref) for depth 0..N-1 from ref
        for depth in range(size):
            if 2 * depth == size - 1:
                nm = next(v for k, v in _SLICES.items() if k in (ref, _OPPOSITE[ref]))
                p = moves[nm]
                slice_face = next(k for k, v in _SLICES.items() if v == nm)
                layers.append((nm, p) if slice_face == ref else (nm + "'", inverse(p)))
            elif 2 * depth < size - 1:
                nm = ref if depth == 0 else f"{depth + 1}{ref}"
                layers.append((nm, moves[nm]))
            else:
                d2 = size - 1 - depth
                opp = _OPPOSITE[ref]
                nm = opp if d2 == 0 else f"{d2 + 1}{opp}"
                layers.append((nm + "'", inverse(moves[nm])))
        for combo in product((0, 1, -1), repeat=size):
            if not any(combo):
                continue
            p = np.arange(6 * size * size)
            parts = []
            for (nm, q), c in zip(layers, combo):
                if c:
                    p = compose(p, q if c == 1 else inverse(q))
                    parts.append(nm if c == 1 else (nm[:-1] if nm.endswith("'") else nm + "'"))
            perms.append(p)
            names.append("+".join(parts))
    return perms, names


@register(
    "cube_fixed_qtm",
    reference="Cube with a fixed corner (whole-cube rotations factored out), quarter turns: " + _CUBE_REF
    + "; 2x2x2: 3 674 160 states, diameter 14 (https://en.wikipedia.org/wiki/Pocket_Cube)",
    min_degree=24,
    kind="puzzle",
    degree_test=_is_cube_degree,
    rule=_CUBE_RULE,
)
def _cube_fixed_qtm(n: int):
    """NxNxN cube (n = 6 N^2 stickers) with the DLB corner fixed: quarter turns of the layers that miss that corner.

    Layers seen from U, R and F at depths 1..N-1 (not the D, L, B faces), both ways:
    for the 2x2x2 the 6 moves ``U U' R R' F F'``, whose group (order 3 674 160) is the
    2x2x2 group modulo whole-cube rotations.
    """
    size = cube_size(n)
    moves = cube_moves(size)
    chosen = {}
    for face in ("U", "R", "F"):
        for depth in range(size - 1):
            if 2 * depth == size - 1:
                nm = next(v for k, v in _SLICES.items() if k in (face, _OPPOSITE[face]))
                chosen[nm] = moves[nm]
            elif 2 * depth < size - 1:
                nm = face if depth == 0 else f"{depth + 1}{face}"
                chosen[nm] = moves[nm]
            else:
                d2 = size - 1 - depth
                nm = f"{d2 + 1}{_OPPOSITE[face]}"
                chosen[nm] = moves[nm]
    return _turns(chosen, half=False)


@register(
    "cube_fixed_htm",
    reference="Cube with a fixed corner, half turn metric: " + _CUBE_REF
    + "; 2x2x2: 3 674 160 states, diameter 11 (https://en.wikipedia.org/wiki/Pocket_Cube)",
    min_degree=24,
    kind="puzzle",
    degree_test=_is_cube_degree,
    rule=_CUBE_RULE,
)
def _cube_fixed_htm(n: int):
    """NxNxN cube (n = 6 N^2 stickers) with the DLB corner fixed: quarter and half turns of the layers that miss it.

    The layers of ``cube_fixed_qtm`` with ``X, X', X2`` each (2x2x2: 9 moves).
    """
    perms, names = _cube_fixed_qtm(n)
    out_p, out_n = [], []
    for i in range(0, len(perms), 2):
        p = perms[i]
        out_p += [p, perms[i + 1], compose(p, p)]
        out_n += [names[i], names[i + 1], names[i] + "2"]
    return out_p, out_n


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
    pts = _sticker_points()
    index = {tuple(p): i for i, p in enumerate(pts.tolist())}
    perms = []
    for face in CUBE_333_FACES:
        normal = np.array(_FACE_FRAMES[face][0])
        rot = _quarter_turn(normal)
        moved = pts @ normal >= 2  # the face layer: cubie coordinate 1 along the normal
        dest = np.arange(len(pts))
        for i in np.flatnonzero(moved):
            dest[i] = index[tuple((rot @ pts[i]).tolist())]
        # the sticker at i goes to dest[i]; the gather convention wants new[dest[i]] = old[i]
        perms.append(inverse(dest))
    gens = GeneratorSet(np.stack(perms), CUBE_333_FACES, family="cube_333", params=(("metric", "qtm"),))
    return gens.with_inverses() if inverses else gens


# ----------------------------------------------------------------------------------
# puzzles cut from regular polyhedra (cayley.groups.polyhedra)
# ----------------------------------------------------------------------------------
_PG_REF = "T. Rokicki, PuzzleGeometry (cubing.js), cut notation "
_CUT_PUZZLES = {
    # name: (shape, cuts, first docstring line, extra reference)
    "pyraminx": ("t", [("v", 1 / 3), ("v", 5 / 3)],
                 "Pyraminx: tetrahedron cut at 1/3 and 5/3 along each vertex axis; tips and layers turn (36 stickers).",
                 "https://en.wikipedia.org/wiki/Pyraminx"),
    "tetraminx": ("t", [("v", 1 / 3)],
                  "Tetraminx: the Pyraminx without tips, cut at 1/3 along each vertex axis (24 stickers).",
                  "https://www.jaapsch.net/puzzles/pyraminx.htm"),
    "master_tetraminx": ("t", [("v", 0.0), ("v", 1.0)],
                         "Master Tetraminx: tetrahedron cut at 0 and 1 along each vertex axis.",
                         "https://www.jaapsch.net/puzzles/pyraminx.htm"),
    "pyramorphix": ("t", [("e", 0.0)],
                    "Pyramorphix: tetrahedron cut through the centre along each edge axis (2x2x2 shape mod, 16 stickers).",
                    "https://en.wikipedia.org/wiki/Pyramorphix"),
    "mastermorphix": ("t", [("e", 0.346184634065199)],
                      "Mastermorphix: tetrahedral 3x3x3 shape mod, edge axes cut at 0.3462 (40 stickers).",
                      "https://en.wikipedia.org/wiki/Pyramorphix"),
    "master_pyramorphix": ("t", [("e", 0.866025403784437)],
                           "Master Pyramorphix: tetrahedron with edge axes cut at sqrt(3)/2 (36 stickers).",
                           "https://www.jaapsch.net/puzzles/pyramorph.htm"),
    "skewb": ("c", [("v", 0.0)],
              "Skewb: cube cut through the centre perpendicular to each vertex axis (deep-cut corner turns).",
              "https://en.wikipedia.org/wiki/Skewb"),
    "master_skewb": ("c", [("v", 0.275)],
                     "Master Skewb: cube with vertex axes cut at 0.275.",
                     "https://www.jaapsch.net/puzzles/skewb.htm"),
    "dino": ("c", [("v", 3 ** -0.5)],
             "Dino cube: cube cut through the face centres perpendicular to each vertex axis (24 stickers).",
             "https://www.jaapsch.net/puzzles/dino.htm"),
    "little_chop": ("c", [("e", 0.0)],
                    "Little chop: cube with half turns about the edge axes, cut through the centre.",
                    "https://www.jaapsch.net/puzzles/helicopter.htm"),
    "helicopter": ("c", [("e", 2 ** -0.5)],
                   "Helicopter cube: half turns about the edge axes, cut through the face centres (restricted to turns "
                   "that map stickers to stickers).",
                   "https://en.wikipedia.org/wiki/Helicopter_Cube"),
    "skewb_diamond": ("o", [("f", 0.0)],
                      "Skewb diamond: octahedron cut through the centre parallel to each face (32 stickers).",
                      "https://en.wikipedia.org/wiki/Skewb_Diamond"),
    "fto": ("o", [("f", 1 / 3)],
            "Face-turning octahedron: octahedron cut at 1/3 parallel to each face.",
            "https://www.jaapsch.net/puzzles/fto.htm"),
    "christophers_jewel": ("o", [("v", 3 ** -0.5)],
                           "Christopher's jewel: octahedron with vertex (4-fold) turns cut at 1/sqrt(3).",
                           "https://www.jaapsch.net/puzzles/jewel.htm"),
    "megaminx": ("d", [("f", 0.7)],
                 "Megaminx: dodecahedron cut at 0.7 parallel to each face (120 moving stickers).",
                 "https://en.wikipedia.org/wiki/Megaminx"),
    "pentultimate": ("d", [("f", 0.0)],
                     "Pentultimate: dodecahedron cut through the centre parallel to each face.",
                     "https://www.jaapsch.net/puzzles/pentult.htm"),
    "pyraminx_crystal": ("d", [("f", 5 ** -0.5)],
                         "Pyraminx crystal: dodecahedron cut at 1/sqrt(5) parallel to each face.",
                         "https://en.wikipedia.org/wiki/Pyraminx_Crystal"),
    "starminx": ("d", [("v", 0.937962370425399)],
                 "Starminx: dodecahedron with vertex turns, cut at 0.938 along each vertex axis (120 stickers).",
                 "https://www.jaapsch.net/puzzles/megaminx.htm"),
    "starminx_2": ("d", [("f", 0.23606797749979)],
                   "Starminx 2: dodecahedron cut at sqrt(5)-2 parallel to each face (132 stickers).",
                   "https://www.jaapsch.net/puzzles/megaminx.htm"),
}


def cut_puzzle_generators(name: str) -> GeneratorSet:
    """The moves of a polyhedral puzzle of the registry with their inverses (a
    GeneratorSet on its moving stickers), without registry checks.

    >>> g = cut_puzzle_generators("dino")
    >>> g.degree, len(g), g.inverse_closed
    (24, 16, True)
    """

    if name not in _CUT_PUZZLES:
        raise InvalidInputError(f"unknown polyhedral puzzle {name!r}; known: {', '.join(sorted(_CUT_PUZZLES))}")
    shape, cuts, _, _ = _CUT_PUZZLES[name]
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


_CUT_CACHE: dict = {}


def _cut_cache(shape, cuts):
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
    if name not in _CUT_PUZZLES:
        raise InvalidInputError(f"unknown polyhedral puzzle {name!r}; known: {', '.join(sorted(_CUT_PUZZLES))}")
    shape, cuts, _, _ = _CUT_PUZZLES[name]
    return _cut_cache(shape, tuple(cuts)).identical_pieces_colouring()


#: Stickers of each polyhedral puzzle, stated so that registering the families at import
#: costs no geometry (cutting all 19 took 0.6 s of every start-up); a test checks each
#: against :func:`~cayley.groups.polyhedra.cut_puzzle`.
_CUT_DEGREES = {
    "pyraminx": 36, "tetraminx": 24, "master_tetraminx": 48, "pyramorphix": 16, "mastermorphix": 40,
    "master_pyramorphix": 36, "skewb": 30, "master_skewb": 78, "dino": 24, "little_chop": 24, "helicopter": 48,
    "skewb_diamond": 32, "fto": 72, "christophers_jewel": 48, "megaminx": 120, "pentultimate": 72,
    "pyraminx_crystal": 120, "starminx": 120, "starminx_2": 132,
}


def _register_cut_puzzle(name: str, shape: str, cuts, doc: str, ref: str) -> None:
    degree = _CUT_DEGREES[name]
    cut_text = " ".join(f"{k} {d:.15g}" for k, d in cuts)

    def family(n: int):
        g = cut_puzzle_generators(name)
        return list(g.perms), list(g.names)

    family.__doc__ = (
        f"{doc}\n\n"
        f"Generated by :func:`cayley.groups.polyhedra.cut_puzzle` from ``{shape} {cut_text}``\n"
        "(shape, then kind and depth of each cut); every move with its inverse.\n"
    )
    family.__name__ = f"_{name}"
    register(
        name,
        reference=f"{ref}; {_PG_REF}'{shape} {cut_text}'",
        min_degree=degree,
        kind="puzzle",
        degree_test=lambda n, d=degree: n == d,
        rule=f"n = {degree} stickers",
    )(family)


for _name, (_shape, _cuts, _doc, _ref) in _CUT_PUZZLES.items():
    _register_cut_puzzle(_name, _shape, _cuts, _doc, _ref)


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
    return (np.outer(axis, axis) - cross - np.eye(3, dtype=np.int64)) // 2


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


@register(
    "mini_pyramorphix",
    reference="Mini Pyramorphix (CayleyPy Puzzles.mini_pyramorphix: 17 moves on 24 tiles, group of order 288); "
    "the Pyramorphix is the 2x2x2 cube in a tetrahedral shape: https://www.jaapsch.net/puzzles/pyramorph.htm, "
    "https://en.wikipedia.org/wiki/Pyramorphix",
    min_degree=24,
    kind="puzzle",
    degree_test=lambda n: n == 24,
    rule="n = 24 tiles",
)
def _mini_pyramorphix(n: int):
    """Mini Pyramorphix: half turns about the 6 edge axes and whole-puzzle rotations of the tetrahedral 2x2x2 (24 tiles, 17 moves).

    The Pyramorphix is a 2x2x2 cube shaped as a tetrahedron: four of the cube's corners are
    its tips, the other four the centres of its faces, and a 2x2x2 face layer is the half
    of the tetrahedron beyond a cut through the centre across an edge axis. The 24 tiles
    are the 24 stickers of the 2x2x2 cube, numbered as in :func:`cube_moves` (three per
    piece: a tip shows all three, a face centre one, its other two tiles track its twist).
    The moves (:func:`mini_pyramorphix_moves`, CayleyPy's names) are the six half turns
    ``M_XY`` of a half holding edge ``XY``, the three whole-puzzle half turns ``M_XYv`` and
    the eight whole-puzzle third turns ``M_Xv, M_Xvi`` about a face axis. Every tile is
    distinct at the start (the identity), so the graph is the Cayley graph of the group
    they generate, of order 288 (2x2x2 half-turn positions of a fixed corner, 24, times
    the 12 rotations of the tetrahedron).
    """
    m = mini_pyramorphix_moves()
    return list(m.values()), list(m)


# ----------------------------------------------------------------------------------
# globe and Hungarian rings
# ----------------------------------------------------------------------------------
def _globe_degree(a: int, b: int) -> int:
    return 2 * (a + 1) * b


@register(
    "globe",
    reference="Globe puzzles (a + 1 rings of 2b cells, rotations and half-turn flips): CayleyPy Puzzles.globe_puzzle; "
    "https://www.jaapsch.net/puzzles/globe.htm",
    min_degree=1,
    kind="puzzle",
    degree_test=lambda n: n == _globe_degree(1, 2),
    rule="n = 2 (a+1) b cells (8 with the defaults a=1, b=2)",
    param_docs={"a": "a + 1 rings of latitude", "b": "each ring has 2b cells; a flip turns b columns"},
)
def _globe(n: int, a: int = 1, b: int = 2):
    """Globe puzzle: a + 1 rings of 2b cells (n = 2(a+1)b); ring rotations r_i, r_i' and 2b half-turn flips f_j.

    Cell (i, j), ring i and column j, is position ``2b i + j``. ``r_i`` rotates ring i by
    one column. ``f_j`` turns the half globe of columns j..j+b-1 (mod 2b) over by 180
    degrees about an equatorial axis: cell (i, j+k) trades places with (a-i, j+b-1-k).
    On a middle ring (a even) that reverses its b cells in place, as the physical
    puzzle does; CayleyPy's ``globe_puzzle`` leaves that ring alone (same graphs for odd a).
    """
    if a < 1 or b < 1:
        raise InvalidInputError(f"globe needs a >= 1 and b >= 1, got a={a}, b={b}")
    if n != _globe_degree(a, b):
        raise InvalidInputError(f"globe with a={a}, b={b} has n = 2(a+1)b = {_globe_degree(a, b)} cells, got n={n}")
    w = 2 * b
    perms, names = [], []
    for i in range(a + 1):
        p = list(range(n))
        for j in range(w):
            p[i * w + j] = i * w + (j + 1) % w
        perms.append(p)
        names.append(f"r{i}")
        if w > 2:  # a ring of two cells: the rotation is its own inverse
            perms.append(list(inverse(np.array(p))))
            names.append(f"r{i}'")
    for j in range(w):
        p = list(range(n))
        for i in range(a + 1):
            for k in range(b):
                p[i * w + (j + k) % w] = (a - i) * w + (j + b - 1 - k) % w
        perms.append(p)
        names.append(f"f{j}")
    return perms, names


@register(
    "hungarian_rings",
    reference="Hungarian rings (E. Rubik's Magic Rings, T. Gyuri): two intersecting rings of balls; CayleyPy "
    "Puzzles.hungarian_rings; https://www.jaapsch.net/puzzles/hungrings.htm",
    min_degree=1,
    kind="puzzle",
    degree_test=lambda n: n == 38,
    rule="n = left_size + right_size - 2 (38 with the defaults)",
    param_docs={
        "left_size": "balls on the left ring",
        "left_index": "the second crossing is this many places along the left ring",
        "right_size": "balls on the right ring",
        "right_index": "the second crossing is this many places along the right ring",
    },
)
def _hungarian_rings(n: int, left_size: int = 20, left_index: int = 5, right_size: int = 20, right_index: int = 5):
    """Hungarian rings: two rings sharing two balls, each rotated one place either way (L, L', R, R').

    The left ring is positions 0..left_size-1 in order. The right ring passes through
    position 0 and, ``right_index`` places later, through position ``left_index``; its
    other balls are the positions left_size, left_size+1, ... in ring order. The classic
    puzzle has two rings of 20 balls crossing 5 places apart.
    """
    ls, li, rs, ri = left_size, left_index, right_size, right_index
    if not (0 < li < ls and 0 < ri < rs and ls >= 3 and rs >= 3):
        raise InvalidInputError(
            f"hungarian_rings needs 0 < left_index < left_size, 0 < right_index < right_size, sizes >= 3; "
            f"got {ls}, {li}, {rs}, {ri}"
        )
    if n != ls + rs - 2:
        raise InvalidInputError(f"hungarian_rings with these rings has n = {ls + rs - 2} balls, got n={n}")
    left = list(range(ls))
    fresh = iter(range(ls, n))
    right = [0 if k == 0 else li if k == ri else next(fresh) for k in range(rs)]
    perms, names = [], []
    for ring, nm in ((left, "L"), (right, "R")):
        p = list(range(n))
        for k in range(len(ring)):
            p[ring[k]] = ring[(k + 1) % len(ring)]
        perms += [p, list(inverse(np.array(p)))]
        names += [nm, nm + "'"]
    return perms, names
