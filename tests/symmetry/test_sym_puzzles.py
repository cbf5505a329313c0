"""The 54-sticker Rubik's cube generators (cayley.groups.puzzles)."""

from __future__ import annotations

import numpy as np
import pytest

from cayley.groups import GeneratorSet, compose, identity
from cayley.groups.puzzles import CUBE_333_FACES, rubiks_cube_333
from cayley.reference import load_reference

CUBE_ORDER = 43_252_003_274_489_856_000


def _growth(gens: np.ndarray, depth: int) -> list[int]:
    """Plain BFS on sticker states (rows), small depths only."""
    start = np.arange(gens.shape[1])[None]
    seen = {start[0].tobytes()}
    frontier, out = start, [1]
    for _ in range(depth):
        nxt = np.unique(frontier[:, gens].reshape(-1, gens.shape[1]), axis=0)
        new = np.array([r for r in nxt if r.tobytes() not in seen])
        seen.update(r.tobytes() for r in new)
        out.append(len(new))
        frontier = new
    return out


def test_shape_and_names():
    g = rubiks_cube_333()
    assert isinstance(g, GeneratorSet)
    assert g.names == CUBE_333_FACES == ("U", "R", "F", "D", "L", "B")
    assert g.degree == 54 and len(g) == 6
    q = rubiks_cube_333(inverses=True)
    assert len(q) == 12 and q.inverse_closed


def test_group_order_by_schreier_sims():
    assert rubiks_cube_333().order() == CUBE_ORDER


@pytest.mark.parametrize("metric, depth", [("cube_333_qtm", 4), ("cube_333_htm", 3)])
def test_growth_matches_reference(metric, depth):
    g = rubiks_cube_333(inverses=True)
    gens = g.perms
    if metric == "cube_333_htm":  # add half turns
        halves = np.stack([compose(p, p) for p in rubiks_cube_333().perms])
        gens = np.concatenate([gens, halves])
    ref = load_reference("puzzles")[metric]
    assert tuple(_growth(gens, depth)) == ref[: depth + 1]


def test_each_turn_is_a_quarter_turn_of_one_face():
    g = rubiks_cube_333()
    centres = [9 * f + 4 for f in range(6)]
    for name, p in zip(g.names, g.perms):
        moved = np.flatnonzero(p != identity(54))
        assert len(moved) == 20, name  # 8 on the face, 12 on the four neighbours
        face = CUBE_333_FACES.index(name)
        assert set(range(9 * face, 9 * face + 9)) - {9 * face + 4} <= set(moved.tolist())
        assert not set(centres) & set(moved.tolist())
        assert g[name].order == 4


def test_turn_directions_follow_singmaster():
    """Clockwise seen from the face: U takes R's top row to F, R takes F's right column to U ..."""
    g = rubiks_cube_333()
    solved = np.repeat(np.arange(6), 9)  # colour = face index (U R F D L B)
    U, R, F, D, L, B = range(6)

    def face(state, f):
        return state[9 * f : 9 * f + 9].reshape(3, 3)

    assert (face(solved[g["U"].array], F)[0] == R).all()
    assert (face(solved[g["R"].array], U)[:, 2] == F).all()
    assert (face(solved[g["F"].array], R)[:, 0] == U).all()
    assert (face(solved[g["D"].array], F)[2] == L).all()
    assert (face(solved[g["L"].array], F)[:, 0] == U).all()
    assert (face(solved[g["B"].array], U)[0] == R).all()
