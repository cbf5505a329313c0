import numpy as np
from cayley.puzzles import prepare, read_puzzle_info
from cayley.graphs.paths import random_walks

S = "/work/shared/puzzles"
info = read_puzzle_info(f"{S}/puzzle_info.csv")
for name, sol, R in (("cube3_qtm", None, 6), ("cube_4/4/4", np.repeat(np.arange(6), 16), 4)):
    t = info[name]
    if sol is None:
        from cayley.puzzles import read_puzzles

        sol = read_puzzles(f"{S}/deepcubea_cube3.csv", info)[0].solution_state
    prep = prepare(t, sol, heuristic="hamming", bound_states=0, ball_states=3_000_000 if R == 6 else 600_000)
    g, ball = prep.graph, prep.ball
    rng = np.random.default_rng(0)
    for mode in ("nbt", "reduced"):
        w = random_walks(g, count=20000, length=ball.radius, mode="non_backtracking" if mode == "nbt" else mode, seed=1)
        s, k = w.states, w.steps
        pos = ball.lookup(ball.encode(s))
        d = ball.depth[pos]
        assert (pos >= 0).all()
        print(
            name,
            mode,
            "radius",
            ball.radius,
            " ".join(
                f"k={j}: exact {np.mean(d[k == j] == j) * 100:.0f}% mean d {d[k == j].mean():.2f}"
                for j in range(1, ball.radius + 1)
            ),
            flush=True,
        )
