"""Fuzzing heuristic files (issue 17): random byte flips, insertions, truncations of real
files (both format versions) and random values in their header fields, written with a
correct checksum. Loading either gives a working heuristic or raises one CayleyError
line; never another exception, and never an allocation past the address-space cap."""

from __future__ import annotations

import contextlib
import json
import resource

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cayley import CayleyGraph  # noqa: E402
from cayley.errors import CayleyError  # noqa: E402
from cayley.nn.heuristics import _write_file, load_heuristic  # noqa: E402
from cayley.nn.training import train_heuristic  # noqa: E402

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
STATES = np.random.default_rng(1).permuted(np.tile(np.arange(5), (8, 1)), axis=1)


@contextlib.contextmanager
def address_space(extra_bytes: int = 2 << 30):
    """Cap the address space at its current size plus ``extra_bytes`` (restored after)."""
    try:
        with open("/proc/self/status") as f:
            vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    except (OSError, StopIteration):  # not Linux: no cap
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = vm + extra_bytes if hard == resource.RLIM_INFINITY else min(vm + extra_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """A trained heuristic, saved in the current format and in format version 1."""
    d = tmp_path_factory.mktemp("fuzz")
    h = train_heuristic(CayleyGraph.from_spec("S_5", "lrx"), arch="resmlp", hidden=(16,), blocks=1,
                        symmetry="canonical", steps=5, batch_size=32, seed=0)
    v2 = d / "h2.pt"
    h.save(v2)
    head = h._full_header()
    head["version"] = 1
    v1 = d / "h1.pt"
    torch.save({"header": json.dumps(head), "state_dict": h.model.state_dict()}, v1)
    return {"h": h, "v2": v2.read_bytes(), "v1": v1.read_bytes(), "dir": d}


def check_load(path) -> None:
    """Only CayleyError (one line) escapes; a file that loads must score states."""
    with address_space():
        try:
            h = load_heuristic(path)
        except CayleyError as exc:
            assert str(exc) and "\n" not in str(exc)
            return
        v = h(STATES)
    assert v.shape == (len(STATES),) and np.isfinite(v).all()


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("set"), st.integers(0, 10**6), st.sampled_from([0, 0x7F, 0x80, 0xFF])),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 16)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
)


def mutate(data: bytes, ops) -> bytes:
    b = bytearray(data)
    for op, pos, arg in ops:
        if not b:
            break
        i = pos % len(b)
        if op == "flip":
            b[i] ^= arg
        elif op == "set":
            b[i] = arg
        elif op == "insert":
            b[i:i] = arg
        elif op == "delete":
            del b[i : i + arg]
        else:
            del b[i:]
    return bytes(b)


@settings(SETTINGS, max_examples=500)
@given(version=st.sampled_from(["v1", "v2"]), ops=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_bytes(real, version, ops):
    f = real["dir"] / f"bytes_{version}.pt"
    f.write_bytes(mutate(real[version], ops))
    check_load(f)


json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.sampled_from([0, 1, -1, 5, 16, 2**31, 2**63, 10**12])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
FIELDS = ["format", "version", "graph", "degree", "generators", "names", "family", "params", "start", "arch",
          "arch.kind", "arch.hidden", "arch.blocks", "symmetry", "symmetry_info", "scale", "training", "tensors",
          "tensors.0", "tensors.0.2", "tensors.3.1", "generators.0", "generators.1.2", "start.4", "arch.hidden.0"]
widths = st.lists(st.integers(min_value=-3, max_value=10**13), min_size=0, max_size=6)


def _put(head, path: str, value, delete: bool):
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    d = head
    for k in keys[:-1]:
        d = d[k]
    if delete:
        del d[keys[-1]]
    else:
        d[keys[-1]] = value


@SETTINGS
@given(
    version=st.sampled_from(["v1", "v2"]),
    edits=st.lists(
        st.tuples(st.sampled_from(FIELDS), st.one_of(json_value, widths), st.booleans()), min_size=1, max_size=3
    ),
)
def test_mutated_header_fields(real, version, edits):
    h = real["h"]
    head = json.loads(json.dumps(h._full_header()))
    head["tensors"] = [[k, str(t.dtype).replace("torch.", ""), list(t.shape)] for k, t in h.model.state_dict().items()]
    for path, value, delete in edits:
        try:
            _put(head, path, value, delete)
        except (KeyError, IndexError, TypeError):
            pass  # the path no longer exists after an earlier edit
    f = real["dir"] / f"header_{version}.pt"
    if version == "v2":
        tensors = head.pop("tensors", None)
        _write_file(f, head, h.model.state_dict())
        if tensors is not None:  # keep the edited listing, with a correct checksum
            _rewrite_listing(f, tensors)
    else:
        head["version"] = head.get("version", 1) if "version" in head else None
        head.pop("tensors", None)
        torch.save({"header": json.dumps(head), "state_dict": h.model.state_dict()}, f)
    check_load(f)


def _rewrite_listing(f, tensors) -> None:
    """Put ``tensors`` as the header's listing and recompute the checksum."""
    import hashlib

    from cayley.nn.heuristics import _PREAMBLE, MAGIC

    data = f.read_bytes()
    version, hlen, _ = _PREAMBLE.unpack_from(data, len(MAGIC))
    body0 = data[len(MAGIC) + _PREAMBLE.size :]
    head = json.loads(body0[:hlen])
    head["tensors"] = tensors
    body = json.dumps(head).encode()
    payload = body0[hlen:]
    f.write_bytes(MAGIC + _PREAMBLE.pack(version, len(body), hashlib.sha256(body + payload).digest()) + body + payload)
