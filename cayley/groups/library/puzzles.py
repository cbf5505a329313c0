"""Puzzles as registered families (kind ``"puzzle"``): NxNxN cubes in several metrics, the
polyhedral cut puzzles, the mini Pyramorphix, globes and Hungarian rings. A puzzle's degree
``n`` is its number of stickers; the geometry lives in :mod:`cayley.groups.puzzles`.

>>> from cayley.groups.library import generators
>>> g = generators("cube_qtm", 24)         # the 2x2x2 cube: 6 * 2^2 stickers
>>> len(g), g.names[:4]
(12, ('U', "U'", 'R', "R'"))
"""

from __future__ import annotations

import functools
import operator
from typing import Any, Callable

import math
from itertools import product

import numpy as np

from ...errors import InvalidInputError
from ..perm import compose, inverse
from ..puzzles import (
    CUT_PUZZLES,
    CUT_STICKERS,
    cube_moves,
    cube_size,
    cut_puzzle_generators,
    is_cube_degree,
    layer_name,
    layer_moves,
    mini_pyramorphix_moves,
    rotation_moves,
    turn_moves,
)
from .moves import Moves, cycle_perm, distinct_moves, inverse_list
from .registry import FamilyFunc, attach_counts, register

_CUBE_REF = (
    "D. Singmaster, Notes on Rubik's Magic Cube (1981); T. Rokicki, H. Kociemba, M. Davidson, J. Dethridge, "
    "The diameter of the Rubik's cube group is twenty, SIAM Rev. 56 (2014) 645-670; "
    "https://www.speedsolving.com/wiki/index.php/Metric; CayleyPy Puzzles.rubik_cube"
)
_CUBE_RULE = "n = 6 N^2 stickers, N >= 2 (24, 54, 96, ...)"
_ROT_DOC = {"rotations": "add the whole-cube rotations x, y, z (and their inverses)"}


def _register_cube(
    name: str, metric: str, facts: str = "", aliases: tuple[str, ...] = ()
) -> Callable[[FamilyFunc], FamilyFunc]:
    """Register a cube family, defined for every NxNxN cube (n = 6 N^2 stickers); its reference
    is the ``metric``, the cube references and the ``facts`` that follow them."""
    return register(
        name, reference=f"{metric}: {_CUBE_REF}{facts}", min_degree=24, aliases=aliases, param_docs=_ROT_DOC,
        kind="puzzle", degree_test=is_cube_degree, rule=_CUBE_RULE,
    )


def _layer_turns(n: int, rotations: bool, *, middle: bool, half: bool) -> Moves:
    """A metric of single layer turns: every layer's quarter turn both ways, an odd cube's
    middle slices only with ``middle``, half turns too with ``half``; ``rotations`` adds the
    whole-cube rotations in the same metric."""
    size = cube_size(n)
    perms, names = turn_moves(layer_moves(size, middle=middle), half=half)
    if rotations:
        rp, rn = turn_moves(rotation_moves(size), half)
        perms, names = perms + rp, names + rn
    return perms, names


@_register_cube(
    "cube_qtm", "NxNxN cube, quarter turn metric", "; 3x3x3 QTM diameter 26 (Rokicki, Davidson 2014)",
    aliases=("rubiks_cube", "rubik_cube_qtm"),
)
def _cube_qtm(n: int, rotations: bool = False) -> Moves:
    """NxNxN cube (n = 6 N^2 stickers), quarter-turn metric: quarter turns of every layer but an odd cube's middle one, both ways.

    Generators ``X, X'`` for the outer layers ``U R F D L B`` and the inner layers
    ``2U, 3U, ...`` of :func:`cube_moves` (2x2x2: 12, 3x3x3: 12, 4x4x4: 24). With
    ``rotations=True`` the whole-cube rotations ``x, x', y, y', z, z'`` are added. The
    state is the sticker permutation (start: the identity; :func:`face_colours` gives
    the colour state).
    """
    return _layer_turns(n, rotations, middle=False, half=False)


@_register_cube(
    "cube_htm", "NxNxN cube, half turn (face turn) metric", "; 3x3x3 HTM diameter 20",
    aliases=("rubik_cube_htm", "cube_ftm"),
)
def _cube_htm(n: int, rotations: bool = False) -> Moves:
    """NxNxN cube (n = 6 N^2 stickers), half-turn metric: quarter and half turns of every layer but an odd cube's middle one.

    Generators ``X, X', X2`` for the layers of ``cube_qtm`` (2x2x2 and 3x3x3: 18).
    ``rotations=True`` adds ``x, x', x2, y, ...``.
    """
    return _layer_turns(n, rotations, middle=False, half=True)


@_register_cube(
    "cube_qstm", "NxNxN cube, quarter slice turn metric (slice turns count one move)", aliases=("rubik_cube_qstm",)
)
def _cube_qstm(n: int, rotations: bool = False) -> Moves:
    """NxNxN cube (n = 6 N^2 stickers), quarter slice turn metric: quarter turns of every layer, middle slices included.

    The ``cube_qtm`` generators plus ``M, M', E, E', S, S'`` on odd cubes (3x3x3: 18);
    on even cubes it equals ``cube_qtm``.
    """
    return _layer_turns(n, rotations, middle=True, half=False)


@_register_cube(
    "cube_atm", "NxNxN cube, axial turn metric (turns of parallel layers about one axis count one move)",
    aliases=("rubik_cube_atm",),
)
def _cube_atm(n: int) -> Moves:
    """NxNxN cube (n = 6 N^2 stickers), axial turn metric: any quarter turns of the N parallel layers of one axis at once.

    For each axis (x through R, y through U, z through F) and each assignment of a turn
    (none, clockwise, anticlockwise, seen from R, U or F) to its N layers, not all none:
    3 (3^N - 1) generators (2x2x2: 24, 3x3x3: 78). Turning all layers alike is a whole-cube
    rotation, so rotations are among the moves. Names join the layer turns with ``+``,
    layers named as in :func:`cube_moves` (``R+L'``, ...).
    """
    size = cube_size(n)
    moves = cube_moves(size)
    perms: list[Any] = []
    names: list[str] = []
    for ref in ("R", "U", "F"):
        layers = []  # (name, clockwise turn seen from ref) for depth 0..N-1 from ref
        for depth in range(size):
            nm, clockwise = layer_name(size, ref, depth)
            layers.append((nm, moves[nm]) if clockwise else (nm + "'", inverse(moves[nm])))
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


def _corner_fixed_layers(n: int) -> dict[str, np.ndarray]:
    """The layers that miss the DLB corner (seen from U, R and F at depths 0..N-2), by name."""
    size = cube_size(n)
    moves = cube_moves(size)
    names = [layer_name(size, face, depth)[0] for face in ("U", "R", "F") for depth in range(size - 1)]
    return {nm: moves[nm] for nm in names}


@_register_cube(
    "cube_fixed_qtm", "Cube with a fixed corner (whole-cube rotations factored out), quarter turns",
    "; 2x2x2: 3 674 160 states, diameter 14 (https://en.wikipedia.org/wiki/Pocket_Cube)",
)
def _cube_fixed_qtm(n: int) -> Moves:
    """NxNxN cube (n = 6 N^2 stickers) with the DLB corner fixed: quarter turns of the layers that miss that corner.

    Layers seen from U, R and F at depths 1..N-1 (not the D, L, B faces), both ways:
    for the 2x2x2 the 6 moves ``U U' R R' F F'``, whose group (order 3 674 160) is the
    2x2x2 group modulo whole-cube rotations.
    """
    return turn_moves(_corner_fixed_layers(n), half=False)


@_register_cube(
    "cube_fixed_htm", "Cube with a fixed corner, half turn metric",
    "; 2x2x2: 3 674 160 states, diameter 11 (https://en.wikipedia.org/wiki/Pocket_Cube)",
)
def _cube_fixed_htm(n: int) -> Moves:
    """NxNxN cube (n = 6 N^2 stickers) with the DLB corner fixed: quarter and half turns of the layers that miss it.

    The layers of ``cube_fixed_qtm`` with ``X, X', X2`` each (2x2x2: 9 moves).
    """
    return turn_moves(_corner_fixed_layers(n), half=True)


_PG_REF = "T. Rokicki, PuzzleGeometry (cubing.js), cut notation "
#: stickers of each polyhedral puzzle (from the catalogue, without geometry)
CUT_DEGREES = CUT_STICKERS


def _register_cut_puzzle(name: str, shape: str, cuts: list[tuple[str, float]], doc: str, ref: str) -> None:
    degree = CUT_DEGREES[name]
    cut_text = " ".join(f"{k} {d:.15g}" for k, d in cuts)

    def family(n: int) -> Moves:
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
        degree_test=functools.partial(operator.eq, degree),
        rule=f"n = {degree} stickers",
    )(family)


for _name, (_shape, _cuts, _doc, _ref) in CUT_PUZZLES.items():
    _register_cut_puzzle(_name, _shape, _cuts, _doc, _ref)


@register("mini_pyramorphix", min_degree=24, kind="puzzle", degree_test=lambda n: n == 24, rule="n = 24 tiles")
def _mini_pyramorphix(n: int) -> Moves:
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

    References
    ----------
    Mini Pyramorphix (CayleyPy Puzzles.mini_pyramorphix: 17 moves on 24 tiles, group of order 288);
    the Pyramorphix is the 2x2x2 cube in a tetrahedral shape:
    https://www.jaapsch.net/puzzles/pyramorph.htm, https://en.wikipedia.org/wiki/Pyramorphix
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
    min_degree=1,
    kind="puzzle",
    degree_test=lambda n: n == _globe_degree(1, 2),
    rule="n = 2 (a+1) b cells (8 with the defaults a=1, b=2)",
)
def _globe(n: int, a: int = 1, b: int = 2) -> Moves:
    """Globe puzzle: a + 1 rings of 2b cells (n = 2(a+1)b); ring rotations r_i, r_i' and 2b half-turn flips f_j.

    Cell (i, j), ring i and column j, is position ``2b i + j``. ``r_i`` rotates ring i by
    one column. ``f_j`` turns the half globe of columns j..j+b-1 (mod 2b) over by 180
    degrees about an equatorial axis: cell (i, j+k) trades places with (a-i, j+b-1-k).
    On a middle ring (a even) that reverses its b cells in place, as the physical
    puzzle does; CayleyPy's ``globe_puzzle`` leaves that ring alone (same graphs for odd a).

    Parameters
    ----------
    a
        a + 1 rings of latitude
    b
        each ring has 2b cells; a flip turns b columns

    References
    ----------
    Globe puzzles (a + 1 rings of 2b cells, rotations and half-turn flips): CayleyPy
    Puzzles.globe_puzzle (the same graphs for odd a; for even a a flip here also reverses the
    equator ring's cells, as on the physical puzzle, where CayleyPy's equator never turns);
    https://www.jaapsch.net/puzzles/globe.htm
    """
    if a < 1 or b < 1:
        raise InvalidInputError(f"globe needs a >= 1 and b >= 1, got a={a}, b={b}")
    if n != _globe_degree(a, b):
        raise InvalidInputError(f"globe with a={a}, b={b} has n = 2(a+1)b = {_globe_degree(a, b)} cells, got n={n}")
    w = 2 * b
    perms: list[list[int]] = []
    names: list[str] = []
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
    min_degree=1,
    kind="puzzle",
    degree_test=lambda n: n == 38,
    rule="n = left_size + right_size - 2, or - 1 with one crossing (38 with the defaults)",
)
def _hungarian_rings(n: int, left_size: int = 20, left_index: int = 5, right_size: int = 20, right_index: int = 5) -> Moves:
    """Hungarian rings: two rings sharing one or two balls, each rotated one place either way (L, L', R, R').

    The left ring is positions 0..left_size-1 in order. The right ring passes through
    position 0 and, with two crossings, ``right_index`` places later through position
    ``left_index``; its other balls are the positions left_size, left_size+1, ... in ring
    order. Both indices 0 mean one crossing (ball 0 only), as in CayleyPy: then
    n = left_size + right_size - 1, else n = left_size + right_size - 2. A ring of 2 balls
    turns the same way both ways, so its inverse is left out (CayleyPy does the same), and
    two rings of the same two balls are one generator. The classic puzzle has two rings of
    20 balls crossing 5 places apart.

    Parameters
    ----------
    left_size
        balls on the left ring
    left_index
        the second crossing is this many places along the left ring (0: one crossing)
    right_size
        balls on the right ring
    right_index
        the second crossing is this many places along the right ring (0: one crossing)

    References
    ----------
    Hungarian rings (E. Rubik's Magic Rings, T. Gyuri): two intersecting rings of balls; CayleyPy
    Puzzles.hungarian_rings; https://www.jaapsch.net/puzzles/hungrings.htm

    Examples
    --------
    >>> from cayley.groups.library import generators
    >>> generators("hungarian_rings", 4, left_size=2, left_index=0, right_size=3, right_index=0).names
    ('L', 'R', "R'")
    """
    ls, li, rs, ri = left_size, left_index, right_size, right_index
    one = li == 0 and ri == 0
    if not (ls >= 2 and rs >= 2 and (one or (0 < li < ls and 0 < ri < rs))):
        raise InvalidInputError(
            "hungarian_rings needs rings of at least 2 balls and either left_index = right_index = 0 (one "
            f"crossing) or 0 < left_index < left_size and 0 < right_index < right_size; got {ls}, {li}, {rs}, {ri}"
        )
    balls = ls + rs - (1 if one else 2)
    if n != balls:
        raise InvalidInputError(f"hungarian_rings with these rings has n = {balls} balls, got n={n}")
    left = list(range(ls))
    fresh = iter(range(ls, n))
    right = [0 if k == 0 else li if (k == ri and not one) else next(fresh) for k in range(rs)]
    perms: list[list[int]] = []
    names: list[str] = []
    for ring, nm in ((left, "L"), (right, "R")):
        p = cycle_perm(n, ring)
        perms += [p, inverse_list(p)]
        names += [nm, nm + "'"]
    return distinct_moves(perms, names)


# the number of moves grows exponentially with the size (n = 6 N^2 stickers of the
# N x N x N cube): every combination of layer turns about one axis is one move
attach_counts({
    "cube_atm": lambda n: 3 * (3 ** math.isqrt(n // 6) - 1) if n < 6 * 400**2 else math.inf,
})
