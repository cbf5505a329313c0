"""Heuristic files (issue 17): every defect of a file read by ``load_heuristic`` or
``cayley path --heuristic FILE`` is one CayleyError line, never a traceback nor a huge
allocation; files carry a checksum; files of the previous format version still load."""

from __future__ import annotations

import contextlib
import copy
import json
import math
import resource

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from cayley import CayleyGraph  # noqa: E402
from cayley.errors import CayleyError  # noqa: E402
from cayley.nn.heuristics import NeuralHeuristic, load_heuristic  # noqa: E402


@contextlib.contextmanager
def address_space(extra_bytes: int = 2 << 30):
    """Cap this process's address space at its current size plus ``extra_bytes``: an
    attempt to allocate a huge layer fails (and the test with it) instead of swapping."""
    try:
        with open("/proc/self/status") as f:
            vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    except (OSError, StopIteration):  # not Linux: no cap
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = vm + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="module")
def model():
    g = CayleyGraph.from_spec("S_5", "lrx")
    h = NeuralHeuristic(g, hidden=(8, 8), symmetry="canonical", seed=0)
    h.scale = 7.0
    h.header["training"] = {"steps": 3}
    return h


STATES = np.random.default_rng(0).permuted(np.tile(np.arange(5), (20, 1)), axis=1)


def write_v1(path, header: dict, state_dict) -> None:
    """The format version 1 container (cayley before issue 17): torch.save of a dict."""
    torch.save({"header": json.dumps(header, default=str), "state_dict": state_dict}, path)


def v1_header(h: NeuralHeuristic) -> dict:
    head = h._full_header()
    head["version"] = 1
    head.pop("tensors", None)
    return head


def one_line_error(path, **kw) -> str:
    with address_space():
        with pytest.raises(CayleyError) as e:
            load_heuristic(path, **kw)
    msg = str(e.value)
    assert msg and "\n" not in msg
    return msg


def test_round_trip_and_version_1_files_still_load(model, tmp_path):
    f = tmp_path / "h.pt"
    model.save(f)
    h2 = load_heuristic(f)
    assert np.array_equal(h2(STATES), model(STATES)) and h2.scale == 7.0
    assert h2.header["training"] == {"steps": 3}
    old = tmp_path / "old.pt"
    write_v1(old, v1_header(model), model.model.state_dict())
    h1 = load_heuristic(old)
    assert np.array_equal(h1(STATES), model(STATES))


def test_checksum_detects_a_changed_byte(model, tmp_path):
    f = tmp_path / "h.pt"
    model.save(f)
    data = bytearray(f.read_bytes())
    w = model.model.state_dict()["0.weight"].numpy().astype("<f4").tobytes()
    at = bytes(data).find(w)
    assert at > 0  # the first layer's weights, as stored
    data[at + 5] ^= 0x10  # one bit of one weight
    f.write_bytes(bytes(data))
    assert "checksum" in one_line_error(f)


def test_truncated_file(model, tmp_path):
    f = tmp_path / "h.pt"
    model.save(f)
    data = f.read_bytes()
    for cut in (0, 3, 20, len(data) // 2, len(data) - 1):
        f.write_bytes(data[:cut])
        one_line_error(f)


REQUIRED = ("format", "version", "degree", "generators", "names", "start", "arch", "symmetry", "scale")


def _set(head: dict, path: str, value):
    keys = path.split(".")
    d = head
    for k in keys[:-1]:
        d = d[k]
    if value is _DELETE:
        del d[keys[-1]]
    else:
        d[keys[-1]] = value


class _Delete:
    def __repr__(self):
        return "DELETE"


_DELETE = _Delete()
BAD_FIELDS = [(k, _DELETE, None) for k in REQUIRED] + [
    ("arch.kind", _DELETE, None),
    ("arch.hidden", _DELETE, None),
    ("format", "other-format", "not a cayley heuristic"),
    ("version", 99, "version"),
    ("version", "1", "version"),
    ("graph", 5, "graph"),
    ("degree", 0, "degree"),
    ("degree", "5", "degree"),
    ("degree", 6, "degree"),
    ("degree", 10**9, "degree"),
    ("generators", "lrx", "generators"),
    ("generators", [], "generators"),
    ("generators", [[1, 1, 2, 3, 4]], None),
    ("generators", [[1, 0, 2, 3]], None),
    ("generators", [[1, 0, 2, 3, 4], "x"], None),
    ("generators", [[0, 1, 2, 3, 4]] * 100_000, "generators"),
    ("names", ["L", "R"], "names"),
    ("names", [1, 2, 3], "names"),
    ("family", 3, "family"),
    ("params", [1], "params"),
    ("start", [0, 1, 2, 3], "start"),
    ("start", [0, 1, 2, 3, 9], "start"),
    ("start", ["a", "b", "c", "d", "e"], "start"),
    ("arch", "mlp", "arch"),
    ("arch.kind", "cnn", "arch"),
    ("arch.hidden", [10**12], "hidden"),  # a layer of 4 TB
    ("arch.hidden", [40_000, 40_000, 40_000], "parameters"),  # each layer fine, 13 GB in all
    ("arch.hidden", [8] * 10_000, "hidden"),
    ("arch.hidden", [], "hidden"),
    ("arch.hidden", [0], "hidden"),
    ("arch.hidden", [-8], "hidden"),
    ("arch.hidden", ["8"], "hidden"),
    ("arch.hidden", [8.5], "hidden"),
    ("arch.hidden", [True], "hidden"),
    ("arch.hidden", 8, "hidden"),
    ("arch.blocks", -1, "blocks"),
    ("arch.blocks", 10**9, "blocks"),
    ("arch.blocks", None, "blocks"),
    ("symmetry", "all", "symmetry"),
    ("symmetry_info", {"conjugators": 5, "inversion": True, "order": 10}, "symmetry"),
    ("symmetry_info", "x", "symmetry"),
    ("scale", "1", "scale"),
    ("scale", -1.0, "scale"),
    ("scale", 0, "scale"),
    ("scale", math.nan, "scale"),
    ("scale", math.inf, "scale"),
    ("training", "x", "training"),
    ("graph_spec", 5, "graph_spec"),
]


@pytest.mark.parametrize("field,value,match", BAD_FIELDS, ids=lambda x: repr(x)[:30])
def test_bad_header_field_version_1(model, tmp_path, field, value, match):
    head = copy.deepcopy(v1_header(model))
    _set(head, field, value)
    f = tmp_path / "bad.pt"
    write_v1(f, head, model.model.state_dict())
    msg = one_line_error(f)
    if match:
        assert match in msg


@pytest.mark.parametrize("field,value,match", BAD_FIELDS, ids=lambda x: repr(x)[:30])
def test_bad_header_field_with_a_valid_checksum(model, tmp_path, field, value, match):
    """The same defects in the current format, written with a correct checksum: the
    checks of the header, not the checksum, refuse them."""
    from cayley.nn.heuristics import _write_file

    head = copy.deepcopy(model._full_header())
    _set(head, field, value)
    f = tmp_path / "bad.pt"
    _write_file(f, head, model.model.state_dict())
    msg = one_line_error(f)
    if match:
        assert match in msg


def test_tensors_must_match_the_architecture(model, tmp_path):
    sd = model.model.state_dict()
    f = tmp_path / "bad.pt"
    cases = []
    wrong_shape = dict(sd)
    wrong_shape["0.weight"] = torch.zeros(8, 24)
    cases.append(wrong_shape)
    missing = dict(sd)
    del missing["3.bias"]
    cases.append(missing)
    extra = dict(sd)
    extra["9.weight"] = torch.zeros(3)
    cases.append(extra)
    wrong_dtype = dict(sd)
    wrong_dtype["0.bias"] = torch.zeros(8, dtype=torch.float64)
    cases.append(wrong_dtype)
    nan = dict(sd)
    nan["3.weight"] = torch.full((1, 8), float("nan"))
    cases.append(nan)
    not_tensor = dict(sd)
    not_tensor["0.bias"] = [0.0] * 8
    cases.append(not_tensor)
    for sd2 in cases:
        write_v1(f, v1_header(model), sd2)
        one_line_error(f)
    torch.save({"header": json.dumps(v1_header(model)), "state_dict": [1, 2]}, f)
    one_line_error(f)
    torch.save(["header"], f)
    one_line_error(f)


def test_a_file_for_another_graph(model, tmp_path):
    f = tmp_path / "h.pt"
    model.save(f)
    assert "trained for" in one_line_error(f, graph=CayleyGraph.from_spec("S_5", "coxeter"))
    assert "trained for" in one_line_error(f, graph=CayleyGraph.from_spec("S_6", "lrx"))
    assert load_heuristic(f, graph=CayleyGraph.from_spec("S_5", "lrx")).graph.degree == 5


def test_no_code_is_unpickled(model, tmp_path):
    f = tmp_path / "evil.pt"
    torch.save({"header": json.dumps(v1_header(model)), "state_dict": model.model.state_dict(),
                "x": _Evil()}, f)
    assert "not a cayley heuristic" in one_line_error(f)
    assert not _Evil.ran


class _Evil:
    ran = False

    def __reduce__(self):
        return (_Evil._run, ())

    @staticmethod
    def _run():
        _Evil.ran = True
        return None


def test_cli_path_with_a_damaged_file(model, tmp_path):
    from click.testing import CliRunner

    from cayley.cli.main import main

    f = tmp_path / "h.pt"
    head = v1_header(model)
    head["arch"]["hidden"] = [10**12]
    write_v1(f, head, model.model.state_dict())
    with address_space():
        r = CliRunner().invoke(main, ["path", "S_5", "--gens", "lrx", "--from", "1,0,4,3,2", "--method", "beam",
                                      "--heuristic", str(f)])
    assert r.exit_code == 2 and r.stderr.startswith("error:") and "Traceback" not in r.output, r.output
    assert len(r.stderr.strip().splitlines()) == 1
