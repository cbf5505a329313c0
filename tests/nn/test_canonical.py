"""ColouringCanonical's kernel against the definition: the lexicographically least of all
the images ``sigma[c[pi^-1]]``, with many ties (few colours, symmetric states)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from cayley import CayleyGraph  # noqa: E402
from cayley.graphs.paths import random_walks  # noqa: E402
from cayley.groups.puzzles import face_colours, rubiks_cube_333  # noqa: E402
from cayley.nn.canonical import ColouringCanonical  # noqa: E402


def _least_images(canon, states):
    """Oracle: every image of every row, the least as a tuple."""
    pinv = np.argsort(canon.pis, axis=1)
    return np.array([min(tuple(sig[c[p]]) for p, sig in zip(pinv, canon.sigmas)) for c in states])


@pytest.mark.parametrize(
    "graph",
    [
        CayleyGraph(rubiks_cube_333(inverses=True), face_colours(54)),  # 48 symmetries, 6 colours
        CayleyGraph(rubiks_cube_333(inverses=True), face_colours(54) % 2),  # 2 colours: ties on the key
        CayleyGraph.from_spec("S_6", "lrx", start=[0, 1, 0, 1, 0, 1]),
        CayleyGraph.from_spec("S_8", "coxeter", start=[0, 0, 1, 1, 2, 2, 3, 3]),
    ],
    ids=["cube", "cube-2-colours", "lrx-010101", "coxeter-00112233"],
)
def test_least_image_matches_the_definition(graph):
    canon = ColouringCanonical(graph)
    walks = random_walks(graph, count=300, length=12, mode="non_backtracking", seed=3).states
    states = np.concatenate([walks, np.tile(graph.start, (3, 1))])  # the start: every image ties
    want = _least_images(canon, states)
    for dtype in (np.uint8, np.int64):
        got = canon(states.astype(dtype))
        assert got.dtype == dtype and np.array_equal(got, want)
    if len(canon) > 1:  # equal on an orbit: an image of each row has the same canonical form
        pi, sigma = canon.pis[-1], canon.sigmas[-1]
        image = np.empty_like(states)
        image[:, pi] = sigma[states]
        assert np.array_equal(canon(image), want)
