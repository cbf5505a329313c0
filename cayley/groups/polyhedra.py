"""Twisty puzzles cut from regular polyhedra (numpy only).

A puzzle is a regular polyhedron (tetrahedron ``t``, cube ``c``, octahedron ``o`` or
dodecahedron ``d``, scaled so that every face plane is at distance 1 from the centre)
and a set of cutting planes: for every face normal (``f``), vertex direction (``v``) or
edge-midpoint direction (``e``) ``a`` of the polyhedron and every listed depth ``d``, the
plane ``a . x = d``. The planes cut each face into stickers. A move turns everything
beyond the outermost plane along a direction ``a`` by one step of the polyhedron's
rotational symmetry about ``a`` (clockwise seen from outside), which is the notation of
T. Rokicki's PuzzleGeometry (e.g. ``"c f 0.333333333333333"`` for the 3x3x3 cube).

Stickers that no move touches (fixed centres) are left out. Stickers are numbered face
by face (faces in the order of :func:`polyhedron`), and within a face by angle about the
face centre starting from a fixed reference direction, inner rings first; a move ``p``
acts on a state ``s`` by ``s[p]``.

>>> p = cut_puzzle("c", [("f", 0.0)])          # the 2x2x2 cube
>>> p.degree, len(p.moves)
(24, 6)
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from string import ascii_uppercase
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InvalidInputError
from .perm import inverse

__all__ = ["polyhedron", "cut_puzzle", "CutPuzzle"]

_EPS = 1e-7
_PHI = (1 + 5**0.5) / 2


def _unit(v: ArrayLike) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    arr = np.asarray(v, dtype=float)
    unit: np.ndarray = arr / np.linalg.norm(arr)
    return unit


def polyhedron(shape: str) -> np.ndarray:
    """Unit face normals of a regular polyhedron: ``t``, ``c``, ``o`` or ``d``.

    >>> polyhedron("c").shape, polyhedron("d").shape
    ((6, 3), (12, 3))
    """
    normals: list[tuple[float, float, float]]
    if shape == "c":
        normals = [(0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1), (1, 0, 0), (-1, 0, 0)]
    elif shape == "t":
        normals = [(1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)]
    elif shape == "o":
        normals = [(x, y, z) for x in (1, -1) for y in (1, -1) for z in (1, -1)]
    elif shape == "d":
        normals = []
        for s1 in (1, -1):
            for s2 in (1, -1):
                normals += [(0, s1, s2 * _PHI), (s1, s2 * _PHI, 0), (s2 * _PHI, 0, s1)]
    else:
        raise InvalidInputError(f"unknown polyhedron {shape!r}: expected t, c, o or d")
    return np.array([_unit(v) for v in normals])


def _vertices(normals: np.ndarray) -> np.ndarray:
    out: list[np.ndarray] = []
    for i, j, k in combinations(range(len(normals)), 3):
        m = normals[[i, j, k]]
        if abs(np.linalg.det(m)) < 1e-9:
            continue
        x = np.linalg.solve(m, np.ones(3))
        if np.all(normals @ x <= 1 + 1e-9) and not any(np.allclose(x, y) for y in out):
            out.append(x)
    return np.array(out)


def _face_polygon(normal: np.ndarray, verts: np.ndarray) -> list[np.ndarray]:
    on = verts[np.abs(verts @ normal - 1) < 1e-9]
    centre = on.mean(axis=0)
    u = _unit(on[0] - centre)
    w = np.cross(normal, u)
    ang = np.arctan2((on - centre) @ w, (on - centre) @ u)
    return [on[i] for i in np.argsort(ang)]


def _split(
    poly: list[np.ndarray], a: np.ndarray, d: float
) -> tuple[list[np.ndarray], list[np.ndarray]] | None:
    """The parts of a convex polygon on each side of the plane a.x = d (None if the plane misses it)."""
    vals = [float(p @ a - d) for p in poly]
    if all(v >= -_EPS for v in vals) or all(v <= _EPS for v in vals):
        return None
    above: list[np.ndarray] = []
    below: list[np.ndarray] = []
    n = len(poly)
    for i in range(n):
        p, q, vp, vq = poly[i], poly[(i + 1) % n], vals[i], vals[(i + 1) % n]
        if vp >= -_EPS:
            above.append(p)
        if vp <= _EPS:
            below.append(p)
        if (vp > _EPS and vq < -_EPS) or (vp < -_EPS and vq > _EPS):
            x = p + (q - p) * (vp / (vp - vq))
            above.append(x)
            below.append(x)
    return above, below


def _area(poly: list[np.ndarray]) -> float:
    total = np.zeros(3)
    for i in range(1, len(poly) - 1):
        total += np.cross(poly[i] - poly[0], poly[i + 1] - poly[0])
    return float(np.linalg.norm(total) / 2)


def _rotation(axis: np.ndarray, angle: float) -> np.ndarray:
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rot: np.ndarray = np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * (k @ k)
    return rot


@dataclass(frozen=True)
class CutPuzzle:
    """Stickers and moves of a cut polyhedron (see :func:`cut_puzzle`).

    ``moves`` maps a move name to its one-line permutation of the ``degree`` stickers;
    ``faces[i]`` is the face (index into :func:`polyhedron`) of sticker ``i`` and
    ``pieces[i]`` the piece it belongs to (stickers that always move together).
    """

    degree: int
    moves: dict[str, np.ndarray]
    faces: np.ndarray
    pieces: np.ndarray

    def identical_pieces_colouring(self) -> np.ndarray:
        """Colour of each sticker as the solver sees it when pieces with the same face
        colours are interchangeable: (its face, the set of faces of its piece).

        Equal to the face colouring of the distinct pieces' stickers, except that
        stickers of interchangeable pieces (e.g. the five identical pieces around a face
        of the Starminx 2) share colours.

        >>> c = cut_puzzle("c", [("f", 0.0)]).identical_pieces_colouring()   # 2x2x2
        >>> len(c), len(set(c.tolist()))
        (24, 24)
        """
        piece_faces: dict[int, list[int]] = {}
        for f, pc in zip(self.faces.tolist(), self.pieces.tolist()):
            piece_faces.setdefault(pc, []).append(f)
        keys = [(f, tuple(sorted(piece_faces[pc]))) for f, pc in zip(self.faces.tolist(), self.pieces.tolist())]
        code = {k: i for i, k in enumerate(dict.fromkeys(keys))}
        return np.array([code[k] for k in keys], dtype=np.int64)


def _directions(kind: str, normals: np.ndarray, verts: np.ndarray) -> tuple[list[np.ndarray], list[int]]:
    """Unit directions of one kind with the rotation order about each and face labels."""
    if kind == "f":
        dirs = list(normals)
        orders = [int(np.sum(np.abs(verts @ a - 1) < 1e-9)) for a in dirs]
    elif kind == "v":
        dirs = [_unit(v) for v in verts]
        orders = [int(np.sum(np.abs(normals @ v - 1) < 1e-9)) for v in verts]
    elif kind == "e":
        dirs, orders = [], []
        for i, j in combinations(range(len(verts)), 2):
            shared = np.sum((np.abs(normals @ verts[i] - 1) < 1e-9) & (np.abs(normals @ verts[j] - 1) < 1e-9))
            if shared == 2:
                dirs.append(_unit(verts[i] + verts[j]))
                orders.append(2)
    else:
        raise InvalidInputError(f"unknown cut kind {kind!r}: expected f (faces), v (vertices) or e (edges)")
    return dirs, orders


def _label(a: np.ndarray, normals: np.ndarray, kind: str) -> str:
    """A move name: the letters of the faces nearest to the direction."""
    dots = normals @ a
    if kind == "f":
        idx = [int(np.argmax(dots))]
    else:
        idx = sorted(np.flatnonzero(dots > dots.max() - 1e-6).tolist())
    return "".join(ascii_uppercase[i] for i in idx)


def cut_puzzle(shape: str, cuts: Sequence[tuple[str, float]]) -> CutPuzzle:
    """Cut the polyhedron ``shape`` by the planes ``cuts = [(kind, depth), ...]``.

    Moves are named by the faces (lettered ``A, B, ...`` in :func:`polyhedron`'s order)
    nearest to their axis: ``A`` turns about face A's normal, ``ABC`` about the vertex
    of faces A, B and C, ``AB`` about the midpoint of the edge of A and B.

    >>> p = cut_puzzle("t", [("v", 1 / 3), ("v", 5 / 3)])   # the pyraminx
    >>> p.degree, sorted(p.moves)[:4]
    (36, ['A', 'ABC', 'ABD', 'ACD'])
    """
    normals = polyhedron(shape)
    verts = _vertices(normals)
    # (a, d): cut planes; (a, order, kind): move axes
    planes: list[tuple[np.ndarray, float]] = []
    axes: list[tuple[np.ndarray, int, str]] = []
    for kind, depth in cuts:
        dirs, orders = _directions(kind, normals, verts)
        for a, k in zip(dirs, orders):
            planes.append((a, float(depth)))
            # an axis turns at both ends (a tetrahedron's vertex axis ends in a face)
            for b in (a, -a):
                if not any(np.allclose(b, c) for c, _, _ in axes):
                    axes.append((b, k, kind))
    # stickers: each face polygon split by every plane
    polys: list[np.ndarray] = []
    faces: list[int] = []
    for fi, nrm in enumerate(normals):
        parts = [_face_polygon(nrm, verts)]
        for a, d in planes:
            nxt: list[list[np.ndarray]] = []
            for poly in parts:
                s = _split(poly, a, d)
                if s is None:
                    nxt.append(poly)
                else:
                    nxt += [q for q in s if len(q) >= 3 and _area(q) > 1e-6]
            parts = nxt
        for poly in parts:
            polys.append(np.mean(poly, axis=0))
            faces.append(fi)
    cents = np.array(polys)
    face_of = np.array(faces, dtype=np.int64)
    # moves: everything beyond the outermost plane along each axis
    raw = {}
    for a, k, kind in axes:
        depths = [d for b, d in planes if np.allclose(b, a)] + [-d for b, d in planes if np.allclose(b, -a)]
        m = max(depths)
        inside = cents @ a > m + 1e-6
        if not inside.any() or inside.all():
            continue
        rot = _rotation(a, -2 * np.pi / k)
        dest = np.arange(len(cents))
        for i in np.flatnonzero(inside):
            target = rot @ cents[i]
            dist = np.linalg.norm(cents - target, axis=1)
            j = int(np.argmin(dist))
            if dist[j] > 1e-5:
                raise InvalidInputError(f"cut {shape} {cuts}: a turn about {a} does not map stickers to stickers")
            dest[i] = j
        raw[_label(a, normals, kind)] = dest
    moved = np.zeros(len(cents), dtype=bool)
    for dest in raw.values():
        moved |= dest != np.arange(len(cents))
    # number the moved stickers face by face, by angle about the face centre, inner first
    order_list: list[int] = []
    for fi, nrm in enumerate(normals):
        idx = np.flatnonzero((face_of == fi) & moved)
        ref = _unit(np.cross(nrm, [0.1234, 0.5678, 0.9]))
        w = np.cross(nrm, ref)
        rel = cents[idx] - nrm
        key = [(round(float(np.linalg.norm(r)), 6), round(float(np.arctan2(r @ w, r @ ref)), 6)) for r in rel]
        order_list += [int(idx[t]) for t in sorted(range(len(idx)), key=lambda t: key[t])]
    order = np.array(order_list, dtype=np.int64)
    new_index = np.full(len(cents), -1, dtype=np.int64)
    new_index[order] = np.arange(len(order))
    moves = {}
    for name, dest in raw.items():
        d2 = new_index[dest[order]]  # sticker at new position t goes to d2[t]
        moves[name] = inverse(d2)  # gather convention: new[d2[t]] = old[t]
    # pieces: stickers in the same cell of the plane arrangement move together
    sig = [tuple(bool(c @ a > d) for a, d in planes) for c in cents[order]]
    code = {s: i for i, s in enumerate(dict.fromkeys(sig))}
    pieces = np.array([code[s] for s in sig], dtype=np.int64)
    return CutPuzzle(len(order), moves, face_of[order], pieces)
