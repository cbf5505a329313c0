"""Probe: does scoring a state by the mean of the network on it and on its inverse
scramble help the beam? Fixed-width beams on DeepCubeA cubes, plain W, plain 2W, sym W."""

import sys
import time
import itertools
import numpy as np
from cayley.puzzles import read_puzzle_info, read_puzzles
from cayley.graphs.graph import CayleyGraph
from cayley.graphs.paths import Ball, CpuBeamOps, run_beam
from cayley.groups.blocks import piece_structure
from cayley.nn.heuristics import NeuralHeuristic
from cayley.nn.scoring import OneHotMLP

SH = "/work/shared/puzzles"
N, W = int(sys.argv[1]), int(sys.argv[2])
modes = sys.argv[3].split(",")
info = read_puzzle_info(f"{SH}/puzzle_info.csv")
rows = read_puzzles(f"{SH}/deepcubea_cube3.csv", info)
sol, _ = rows[0].codes()
g = CayleyGraph(info["cube3_qtm"].generators, sol)
h = NeuralHeuristic.load(
    sys.argv[4] if len(sys.argv) > 4 else "/work/runs/pcache3/puzzles/509c0cad871444155199f7693fb311ec.pt"
)
sc = OneHotMLP(h)
ball = Ball(g, g.start.copy(), 6)


class Inverter:
    def __init__(self, g, sol):
        ps = piece_structure(g.generators.perms)
        self.n = len(sol)
        self.sol = sol
        ncol = int(sol.max()) + 1
        self.parts = []
        for kind in ps.kinds:
            bl = kind.blocks
            b = bl.shape[1]
            turns = (
                [np.roll(np.arange(b), -r) for r in range(b)]
                if kind.rotational
                else [np.array(t) for t in itertools.permutations(range(b))]
            )
            weights = ncol ** np.arange(b)
            table = np.full(ncol**b, -1, np.int64)
            target = np.zeros((len(bl) * len(turns), b), np.int64)
            for j, other in enumerate(bl):
                for ti, t in enumerate(turns):
                    code = int((sol[other[t]] * weights).sum())
                    assert table[code] == -1
                    table[code] = j * len(turns) + ti
                    target[j * len(turns) + ti] = other[t]
            self.parts.append((bl, weights, table, target))

    def __call__(self, states):
        m = len(states)
        p = np.tile(np.arange(self.n, dtype=np.int16), (m, 1))
        for bl, w, table, target in self.parts:
            codes = (states[:, bl].astype(np.int64) * w).sum(axis=2)
            p[:, bl] = target[table[codes]]
        inv = np.empty_like(p)
        np.put_along_axis(inv, p.astype(np.int64), np.arange(self.n, dtype=np.int16)[None, :].repeat(m, 0), axis=1)
        return self.sol[inv].astype(states.dtype)


inverter = Inverter(g, sol)
# check on a random walk
s = g.start.copy()
rng = np.random.default_rng(1)
mv = rng.integers(12, size=15)
for m in mv:
    s = s[g.generators.perms[m]]
t = g.start.copy()
invi = g.generators.inverse_index
for m in mv[::-1]:
    t = t[g.generators.perms[invi[m]]]
assert np.array_equal(inverter(s[None].astype(np.uint8))[0], t), "inverse wrong"


def sym(states):
    return 0.5 * (np.asarray(sc(states)) + np.asarray(sc(inverter(states))))


def smax(states):
    return np.maximum(np.asarray(sc(states)), np.asarray(sc(inverter(states))))


res = {m: [] for m in modes}
for r in rows[100 : 100 + N]:
    _, ini = r.codes()
    opt = int(dict(r.extra)["optimal_length"])
    line = [r.id, opt]
    for mode in modes:
        kind, mult = mode.split(":")
        heur = {"plain": sc, "sym": sym, "max": smax}[kind]
        t0 = time.perf_counter()
        moves, explored, cut = run_beam(CpuBeamOps(g, 0), ini, ball, heur, int(W * float(mult)), 100, 2)
        dt = time.perf_counter() - t0
        res[mode].append((len(moves) - opt, dt))
        line += [mode, len(moves), round(dt, 1)]
    print(*line, flush=True)
for mode, v in res.items():
    gaps = np.array([a for a, _ in v])
    ts = [b for _, b in v]
    print("SUMMARY", mode, "gap", gaps.mean(), "optimal", (gaps == 0).mean(), "sec", np.mean(ts), flush=True)
