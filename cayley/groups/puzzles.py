"""Puzzle groups as generator sets (numpy only).

Each puzzle is a function returning a :class:`~cayley.groups.GeneratorSet` whose
permutations act on sticker positions with the usual cayley convention: a move ``p``
takes a sticker state ``s`` to ``s[p]`` (new position ``i`` holds the sticker that was
at position ``p[i]``).

The generators are built geometrically (stickers as points on the cube surface, a face
turn as a 90 degree rotation of one layer) rather than typed in, so the numbering below
is the whole specification.
"""

from __future__ import annotations

import numpy as np

from .generators import GeneratorSet
from .perm import inverse

__all__ = ["rubiks_cube_333", "CUBE_333_FACES"]

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


def _sticker_points() -> np.ndarray:
    """Integer coordinates (doubled, so they stay integral) of the 54 stickers."""
    pts = []
    for face in CUBE_333_FACES:
        normal, right, down = (np.array(v) for v in _FACE_FRAMES[face])
        for row in range(3):
            for col in range(3):
                pts.append(3 * normal + 2 * (col - 1) * right + 2 * (row - 1) * down)
    return np.array(pts, dtype=np.int64)


def _quarter_turn(axis: np.ndarray) -> np.ndarray:
    """Rotation matrix of -90 degrees about ``axis`` (clockwise seen from its tip)."""
    # Rodrigues with cos = 0, sin = -1: R v = (a.v) a - a x v
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.outer(axis, axis) - k


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
