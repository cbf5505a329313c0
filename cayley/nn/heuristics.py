"""Learned path-finding heuristics: distance regressors on one-hot states.

A :class:`NeuralHeuristic` is an MLP or residual MLP (as in the CayleyPy cube and RL
papers: Linear + BatchNorm + ReLU, scalar output) that estimates the distance from a state
to the graph's start. It implements :class:`cayley.graphs.heuristics.Heuristic`, so
:func:`cayley.graphs.paths.beam_search` uses it unchanged. :func:`train_heuristic` fits
one on random-walk step counts (:func:`cayley.graphs.paths.random_walks`, fresh walks for
every batch) or on exact breadth-first distances (it lives in :mod:`cayley.nn.training`).

Symmetry. The distance ``d(g)`` of a Cayley graph of a permutation group is invariant
under conjugation by every ``pi`` with ``pi S pi^-1 = S`` (:func:`generator_symmetries`)
and, when ``S`` is closed under inverses, under inversion ``g -> g^-1``. On the one-hot
input (an ``n x n`` matrix) both act by permuting entries, which makes them one
:class:`cayley.symmetry.PermutationGroup` ``K`` of degree ``n^2``. ``symmetry=``:

- ``"none"``: the plain model.
- ``"augment"``: every training state also enters as its ``|K|`` images.
- ``"canonical"``: the model sees one representative of its input's orbit, the image
  ``pi g pi^-1`` or ``pi g^-1 pi^-1`` that is lexicographically smallest as a state:
  exact, bitwise invariance, one model call. On a Schreier graph of colourings (a
  puzzle), the least image under its colouring symmetries
  (:class:`cayley.nn.canonical.ColouringCanonical`), the only symmetry offered there.
- ``"average"``: :class:`cayley.symmetry.GroupAverage` of the model over ``K`` (``|K|`` calls).

Weights are saved locally (:meth:`NeuralHeuristic.save`): one file holding a JSON header
(graph, architecture, symmetry, training summary, the tensors' names, dtypes and shapes)
and the raw tensors, with a sha256 checksum of both. Loading trusts nothing in a file:
see :func:`load_heuristic` and docs/security-heuristics.md.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import struct
from typing import Literal, Optional, Sequence

import numpy as np
import torch

from ..errors import InvalidInputError
from .architectures import build_model, parameter_count
from .canonical import input_symmetry
from ..graphs.graph import CayleyGraph
from ..graphs.paths import SeedLike
from ..groups import GeneratorSet, compose, inverse
from ..groups.automorphisms import generator_symmetries
from ..symmetry import Trivial, V

__all__ = ["NeuralHeuristic", "load_heuristic", "generator_symmetries", "FORMAT"]


FORMAT = "cayley-heuristic"
VERSION = 2  # 2: own container with a sha256 checksum; 1: torch.save of {header, state_dict}
READS = (1, 2)
# the container of version 2: MAGIC, then version (u32), header length (u64) and the sha256
# of everything after the preamble (32 bytes), then the UTF-8 JSON header, then the
# tensors' little-endian bytes in the order the header lists them
MAGIC = b"\x89cayley-heuristic\r\n\x1a\n"
_PREAMBLE = struct.Struct("<IQ32s")
# what a file may ask for: bounds checked before anything of that size is built
MAX_FILE_BYTES = 1 << 31
MAX_HEADER_BYTES = 1 << 24
MAX_DEGREE = 1024
MAX_GENERATORS = 4096
MAX_WIDTH = 1 << 16
MAX_LAYERS = 64
MAX_BLOCKS = 256
MAX_PARAMETERS = 1 << 27  # 512 MiB of float32 weights
MAX_SYMMETRY_ENTRIES = 1 << 25  # conjugators times n^2: the lifted symmetry group
_DTYPES = {"float32": (torch.float32, "<f4"), "int64": (torch.int64, "<i8")}
Symmetry = Literal["none", "augment", "canonical", "average"]
SYMMETRIES = ("none", "augment", "canonical", "average")
ARCHS = ("mlp", "resmlp")


def check_choice(name: str, value, choices: Sequence[str]) -> None:
    """Raise :class:`InvalidInputError` unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise InvalidInputError(f"unknown {name} {value!r}: expected one of {', '.join(choices)}")


# -------------------------------------------------------------------------------------
# the heuristic
# -------------------------------------------------------------------------------------
class NeuralHeuristic:
    """A trained distance regressor as a path-finding heuristic.

    ``h(states)`` takes an ``(m, n)`` integer array (or one state) and returns ``(m,)``
    float64 distance estimates to ``target`` (the graph's start). Build with
    :func:`train_heuristic`, or :meth:`load` a saved one.

    Parameters
    ----------
    graph : CayleyGraph
    arch : {"mlp", "resmlp"}
    hidden : sequence of int
        Widths of the hidden Linear + BatchNorm + ReLU layers.
    blocks : int
        Residual blocks after them (``resmlp``).
    symmetry : {"none", "augment", "canonical", "average"}
    seed : int, numpy Generator or None
        Initialisation.

    Examples
    --------
    >>> g = CayleyGraph.from_spec("S_5", "lrx")
    >>> h = NeuralHeuristic(g, hidden=(16,), symmetry="canonical", seed=0)
    >>> h(np.array([[0, 1, 2, 3, 4], [1, 0, 2, 3, 4]])).shape
    (2,)
    >>> h.symmetry_order     # the reflection i -> 1 - i mod 5, times inversion
    4
    """

    def __init__(
        self,
        graph: CayleyGraph,
        *,
        arch: str = "mlp",
        hidden: Sequence[int] = (256, 256),
        blocks: int = 0,
        symmetry: Symmetry = "none",
        seed: SeedLike = None,
        _header: Optional[dict] = None,
    ):
        if not isinstance(graph, CayleyGraph) or not graph.action().permutes_positions:
            raise InvalidInputError(f"a neural heuristic needs a CayleyGraph of permutations, got {graph!r}")
        check_choice("arch", arch, ARCHS)
        check_choice("symmetry", symmetry, SYMMETRIES)
        hidden = tuple(int(h) for h in hidden)
        if not hidden or min(hidden) < 1:
            raise InvalidInputError(f"hidden must be one or more positive widths, got {hidden!r}")
        if not isinstance(blocks, (int, np.integer)) or blocks < 0:
            raise InvalidInputError(f"blocks must be an integer >= 0, got {blocks!r}")
        self.graph = graph
        self.target = np.asarray(graph.start, dtype=np.int64)
        self.arch, self.hidden, self.blocks, self.symmetry = arch, hidden, int(blocks), symmetry
        n, c = graph.degree, graph.symbols
        self._n, self._c = n, c
        # relabel: symbol v -> its position in the target (the target's inverse), so the
        # target reads 0..n-1; Schreier graphs (repeated symbols) keep their symbols
        if graph.is_schreier:
            self._code = np.arange(int(self.target.max()) + 1, dtype=np.int64)
        else:
            self._code = inverse(self.target)
        self.group, self.conjugators, info, self._colourings = input_symmetry(graph, symmetry)
        self.symmetry_info = info
        if seed is not None:
            gen_state = torch.random.get_rng_state()
            torch.manual_seed(int(seed.integers(2**62)) if isinstance(seed, np.random.Generator) else int(seed))
        self.model = build_model(arch, n * c, hidden, self.blocks)
        if seed is not None:
            torch.random.set_rng_state(gen_state)
        self.model.eval()
        self.scale = 1.0  # targets are divided by this for training
        self._average = None
        if symmetry == "average":
            from ..symmetry import GroupAverage

            self._average = GroupAverage(self.model, V(self.group), Trivial(self.group))
        self.header = dict(_header or {})

    # -- encoding ------------------------------------------------------------------
    @property
    def symmetry_order(self) -> int:
        """``|K|``: conjugators times 2 when inversion applies (1 without symmetry)."""
        return int(self.symmetry_info["order"])

    def _states(self, states) -> np.ndarray:
        s = np.asarray(states)
        if s.ndim == 1:
            s = s.reshape(1, -1)
        if s.ndim != 2 or s.shape[1] != self._n or not np.issubdtype(s.dtype, np.integer):
            raise InvalidInputError(f"states must be an integer array of shape (m, {self._n}), got {s.shape}")
        if len(s) and (s.min() < 0 or s.max() >= len(self._code)):
            raise InvalidInputError(f"states hold symbols outside the target's {self.target.tolist()}")
        return s

    def input_codes(self, states) -> np.ndarray:
        """The symbol the model sees at each position, ``(m, n)`` (``uint8`` when they
        fit): the states relabelled, canonical with ``symmetry="canonical"``; the one-hot
        input of :meth:`encode` has a 1 at ``j * c + codes[:, j]``.

        >>> NeuralHeuristic(CayleyGraph.from_spec("S_3", "lrx"), hidden=(4,)).input_codes([[1, 0, 2]]).tolist()
        [[1, 0, 2]]
        """
        code = self._code.astype(np.uint8) if self._c <= 256 else self._code  # gathered straight into bytes
        s = code[self._states(states)]
        if self.symmetry == "canonical" and len(s):
            s = self.canonical(s)
        return s

    def encode(self, states, out: Optional[np.ndarray] = None) -> np.ndarray:
        """One-hot inputs ``(m, n * c)`` float32 of the (relabelled) states, canonicalised
        when ``symmetry="canonical"``; written into ``out`` when it is a float32 array of
        at least that many rows (training reuses one buffer: fresh pages cost more than
        the encoding itself).

        >>> h = NeuralHeuristic(CayleyGraph.from_spec("S_3", "lrx"), hidden=(4,), seed=0)
        >>> h.encode([[1, 0, 2]]).reshape(3, 3).tolist()
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
        """
        s = self.input_codes(states)
        m = len(s)
        shape = (m, self._n * self._c)
        if out is not None and out.dtype == np.float32 and out.ndim == 2 and out.shape[0] >= m and out.shape[1] == shape[1]:
            x = out[:m]
            x.fill(0.0)
        else:
            x = np.zeros(shape, dtype=np.float32)
        x[np.arange(m)[:, None], np.arange(self._n) * self._c + s] = 1.0
        return x

    def canonical(self, g: np.ndarray) -> np.ndarray:
        """The orbit representative of each relabelled state (group element) ``g``: the
        lexicographically smallest of ``pi g pi^-1`` (and ``pi g^-1 pi^-1`` when inversion
        is a symmetry) over the conjugators ``pi``. Equal on a whole orbit, so the model
        sees bitwise the same input for every symmetric image of a state.

        >>> h = NeuralHeuristic(CayleyGraph.from_spec("S_4", "lrx"), hidden=(4,), symmetry="canonical")
        >>> h.canonical(np.array([[1, 2, 3, 0], [3, 0, 1, 2], [0, 1, 3, 2]])).tolist()
        [[1, 2, 3, 0], [1, 2, 3, 0], [0, 1, 3, 2]]
        """
        if self._colourings is not None:  # a puzzle: least image under its colouring symmetries
            return self._colourings(g)
        g = np.asarray(g, dtype=np.int64)
        pis = self.conjugators
        # (m, |H|, n) images; conjugation pi g pi^-1 as compose(pi^-1, compose(g, pi))
        imgs = compose(inverse(pis)[None], compose(g[:, None, :], pis[None]))
        if self.symmetry_info["inversion"]:
            gi = inverse(g)
            imgs = np.concatenate([imgs, compose(inverse(pis)[None], compose(gi[:, None, :], pis[None]))], axis=1)
        alive = np.ones(imgs.shape[:2], dtype=bool)
        big = np.iinfo(np.int64).max
        for col in range(g.shape[1]):  # lexicographic minimum, column by column
            vals = np.where(alive, imgs[:, :, col], big)
            alive &= vals == vals.min(axis=1, keepdims=True)
            if not (alive.sum(axis=1) > 1).any():
                break
        return imgs[np.arange(len(g)), np.argmax(alive, axis=1)]

    def _forward(self, x: torch.Tensor) -> torch.Tensor:
        if self._average is not None:
            return self._average(x).reshape(-1)
        return self.model(x).reshape(-1)

    def __call__(self, states) -> np.ndarray:
        x = torch.from_numpy(self.encode(states))
        self.model.eval()
        with torch.no_grad():
            return self._forward(x).double().numpy() * self.scale

    # -- persistence ---------------------------------------------------------------
    def _full_header(self) -> dict:
        g = self.graph.generators
        head = {
            "format": FORMAT,
            "version": VERSION,
            "graph": self.graph.name,
            "degree": self._n,
            "generators": g.perms.tolist(),
            "names": list(g.names),
            "family": g.family,
            "params": {str(k): v for k, v in dict(g.params).items()},
            "start": self.target.tolist(),
            "arch": {"kind": self.arch, "hidden": list(self.hidden), "blocks": self.blocks},
            "symmetry": self.symmetry,
            "symmetry_info": self.symmetry_info,
            "scale": self.scale,
        }
        head.update({k: v for k, v in self.header.items() if k not in head})
        return head

    def save(self, path) -> None:
        """Write the JSON header and the weights to one local file, with a sha256 checksum.

        >>> import tempfile, os
        >>> h = NeuralHeuristic(CayleyGraph.from_spec("S_4", "lrx"), hidden=(8,), seed=0)
        >>> f = os.path.join(tempfile.mkdtemp(), "h.pt")
        >>> h.save(f)
        >>> g = NeuralHeuristic.load(f)
        >>> s = np.array([[3, 2, 1, 0]])
        >>> bool(np.array_equal(g(s), h(s))), g.graph == h.graph
        (True, True)
        """
        _write_file(path, self._full_header(), self.model.state_dict())

    @classmethod
    def load(cls, path, *, graph: Optional[CayleyGraph] = None, map_location: str = "cpu") -> "NeuralHeuristic":
        """Read a file written by :meth:`save` (or by cayley's format version 1), checking
        everything in it; with ``graph``, also that it was trained for that graph's
        generators. Every defect is an :class:`~cayley.errors.InvalidInputError`."""
        return _load(path, graph, map_location)

    def __repr__(self) -> str:
        return (
            f"NeuralHeuristic({self.graph.name}, arch={self.arch!r}, hidden={list(self.hidden)}, "
            f"blocks={self.blocks}, symmetry={self.symmetry!r})"
        )


def load_heuristic(path, *, graph: Optional[CayleyGraph] = None) -> NeuralHeuristic:
    """Load a heuristic saved by :meth:`NeuralHeuristic.save` (alias of :meth:`NeuralHeuristic.load`).

    Nothing in the file is trusted: the checksum, the header's every field (type, range,
    that the generators are permutations of the declared degree), the size of the model
    it declares (bounded before it is built), and that the stored tensors are exactly the
    model's (names, dtypes, shapes, finite values). No code is unpickled. With ``graph``,
    the file must be for that graph's generators.

    >>> load_heuristic("/nonexistent/h.pt")
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: no heuristic file '/nonexistent/h.pt'
    """
    return NeuralHeuristic.load(path, graph=graph)


# -------------------------------------------------------------------------------------
# the file format
# -------------------------------------------------------------------------------------
def _write_file(path, header: dict, state_dict) -> None:
    """Write ``header`` (plus the tensors' names, dtypes and shapes) and the tensors of
    ``state_dict`` in the version-2 container."""
    names, parts = [], []
    for name, t in state_dict.items():
        dt = str(t.dtype).replace("torch.", "")
        if dt not in _DTYPES:
            raise InvalidInputError(f"cannot save a {dt} tensor ({name})")
        names.append([name, dt, list(t.shape)])
        parts.append(t.detach().cpu().contiguous().numpy().astype(_DTYPES[dt][1]).tobytes())
    head = dict(header)
    head["tensors"] = names
    body = json.dumps(head, default=str).encode("utf-8")
    payload = b"".join(parts)
    digest = hashlib.sha256(body + payload).digest()
    try:
        with open(path, "wb") as f:
            f.write(MAGIC + _PREAMBLE.pack(VERSION, len(body), digest) + body + payload)
    except OSError as exc:
        raise InvalidInputError(f"cannot write heuristic {str(path)!r}: {exc.strerror}") from None


class _Bad(Exception):
    """A defect of a heuristic file (turned into one InvalidInputError line by _load)."""


def _load(path, graph: Optional[CayleyGraph], map_location: str) -> NeuralHeuristic:
    name = str(path)
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            start = f.read(len(MAGIC))
    except FileNotFoundError:
        raise InvalidInputError(f"no heuristic file {name!r}") from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read heuristic file {name!r}: {exc.strerror or exc}") from None
    try:
        if size > MAX_FILE_BYTES:
            raise _Bad(f"{size:,} bytes, more than the {MAX_FILE_BYTES:,} a heuristic file may have")
        if start == MAGIC:
            head, tensors = _read_v2(path, size)
        elif start.startswith(b"PK\x03\x04"):  # a zip: torch.save, format version 1
            head, tensors = _read_v1(path, size, map_location)
        else:
            raise _Bad("not a cayley heuristic file")
        return _build(head, tensors, graph)
    except _Bad as exc:
        msg = str(exc)
        if msg.startswith("not a cayley heuristic"):
            raise InvalidInputError(f"{name!r} is {msg}") from None
        raise InvalidInputError(f"heuristic file {name!r}: {msg}") from None


def _read_v2(path, size: int) -> tuple[dict, dict]:
    with open(path, "rb") as f:
        f.seek(len(MAGIC))
        pre = f.read(_PREAMBLE.size)
        if len(pre) != _PREAMBLE.size:
            raise _Bad("truncated (no complete preamble)")
        version, hlen, digest = _PREAMBLE.unpack(pre)
        if version != 2:
            raise _Bad(f"format version {version}; this cayley reads versions {', '.join(map(str, READS))}")
        rest = size - len(MAGIC) - _PREAMBLE.size
        if hlen > min(rest, MAX_HEADER_BYTES):
            raise _Bad(f"its header claims {hlen:,} bytes, but {rest:,} follow (at most {MAX_HEADER_BYTES:,})")
        data = f.read(rest)  # bounded by the file's real size, itself bounded above
    if len(data) != rest or hashlib.sha256(data).digest() != digest:
        raise _Bad("checksum mismatch: the file is damaged or was changed after it was written")
    try:
        head = json.loads(data[:hlen].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Bad("its header is not valid JSON") from None
    if not isinstance(head, dict):
        raise _Bad("its header is not a JSON object")
    _check_format(head, 2)
    listing = head.get("tensors")
    if not isinstance(listing, list) or len(listing) > 4 * (MAX_LAYERS + 2 * MAX_BLOCKS) * 4:
        raise _Bad("header field 'tensors' must list the stored tensors")
    tensors, pos = {}, hlen
    for item in listing:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str) and isinstance(item[1], str) and item[1] in _DTYPES
                and isinstance(item[2], list) and len(item[2]) <= 4
                and all(_is_int(d) and 0 <= d <= MAX_PARAMETERS for d in item[2])):
            raise _Bad(f"bad entry {_short(item)} in header field 'tensors'")
        tname, dt, shape = item
        count = math.prod(shape)
        if count > MAX_PARAMETERS or tname in tensors:
            raise _Bad(f"bad entry {_short(item)} in header field 'tensors'")
        np_dtype = np.dtype(_DTYPES[dt][1])
        nbytes = count * np_dtype.itemsize
        if pos + nbytes > len(data):
            raise _Bad(f"tensor {tname!r} runs past the end of the file")
        arr = np.frombuffer(data, dtype=np_dtype, count=count, offset=pos).reshape(shape)
        tensors[tname] = torch.from_numpy(arr.astype(np_dtype.newbyteorder("="), copy=True))
        pos += nbytes
    if pos != len(data):
        raise _Bad(f"{len(data) - pos:,} bytes after the last tensor")
    return head, tensors


def _read_v1(path, size: int, map_location: str) -> tuple[dict, dict]:
    """Format version 1: a torch.save zip, read with ``weights_only=True`` after checking
    that its records are stored uncompressed within the file (so no record can make
    torch allocate more than the file holds)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except Exception:  # noqa: BLE001 - zipfile raises many kinds on a damaged directory
        raise _Bad("not a cayley heuristic file (a damaged zip)") from None
    if len(infos) > 4096 or sum(i.file_size for i in infos) > size or any(
        i.compress_type != zipfile.ZIP_STORED or i.file_size != i.compress_size for i in infos
    ):
        raise _Bad("not a cayley heuristic file (unexpected zip records)")
    import warnings

    try:
        with warnings.catch_warnings():  # a damaged pickle can make torch warn as well as fail
            warnings.simplefilter("ignore")
            blob = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:  # noqa: BLE001 - not a torch file, or not a weights-only one
        raise _Bad(f"not a cayley heuristic file ({type(exc).__name__})") from None
    if not isinstance(blob, dict) or set(blob) != {"header", "state_dict"} or not isinstance(blob["header"], str):
        raise _Bad(f"not a cayley heuristic file (no {FORMAT} header)")
    try:
        head = json.loads(blob["header"])
    except (ValueError, RecursionError):
        head = None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise _Bad(f"not a cayley heuristic file (no {FORMAT} header)")
    _check_format(head, 1)
    sd = blob["state_dict"]
    if not isinstance(sd, dict) or not all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in sd.items()):
        raise _Bad("its state_dict is not a mapping of names to tensors")
    return head, dict(sd)


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _short(x) -> str:
    s = repr(x)
    return s if len(s) <= 60 else s[:57] + "..."


def _check_format(head: dict, container: int) -> None:
    if head.get("format") != FORMAT:
        raise _Bad(f"not a cayley heuristic file (no {FORMAT} header)")
    v = head.get("version")
    if not _is_int(v) or v != container:
        raise _Bad(f"header field 'version' is {_short(v)} in a version-{container} file; "
                   f"this cayley reads versions {', '.join(map(str, READS))}")


def _field(head: dict, key: str, check, what: str, *, optional: bool = False, label: Optional[str] = None):
    label = label or key
    if key not in head:
        if optional:
            return None
        raise _Bad(f"header field {label!r} is missing")
    v = head[key]
    if (v is None and optional) or check(v):
        return v
    raise _Bad(f"header field {label!r} must be {what}, got {_short(v)}")


def _build(head: dict, tensors: dict, graph: Optional[CayleyGraph]) -> NeuralHeuristic:
    _field(head, "graph", lambda v: isinstance(v, str) and len(v) <= 1000, "a graph name", optional=True)
    n = _field(head, "degree", lambda v: _is_int(v) and 1 <= v <= MAX_DEGREE, f"an integer in 1..{MAX_DEGREE}")
    gens = _field(
        head, "generators",
        lambda v: isinstance(v, list) and 1 <= len(v) <= MAX_GENERATORS
        and all(isinstance(p, list) and len(p) == n and all(_is_int(x) for x in p) for p in v),
        f"1..{MAX_GENERATORS} lists of {n} integers (the degree)",
    )
    names = _field(head, "names", lambda v: isinstance(v, list) and len(v) == len(gens)
                   and all(isinstance(x, str) and 0 < len(x) <= 100 for x in v),
                   f"{len(gens)} generator names")
    family = _field(head, "family", lambda v: isinstance(v, str), "a string", optional=True)
    params = _field(head, "params", lambda v: isinstance(v, dict) and all(
        isinstance(x, (str, int, float, bool)) or x is None for x in v.values()), "an object of numbers and strings",
        optional=True)
    start = _field(head, "start", lambda v: isinstance(v, list) and len(v) == n
                   and all(_is_int(x) and 0 <= x < n for x in v), f"{n} integers in 0..{n - 1}")
    arch = _field(head, "arch", lambda v: isinstance(v, dict), "an object")
    kind = _field(arch, "kind", lambda v: v in ARCHS, " or ".join(ARCHS), label="arch.kind")
    hidden = arch.get("hidden")
    if not (isinstance(hidden, list) and 1 <= len(hidden) <= MAX_LAYERS
            and all(_is_int(h) and 1 <= h <= MAX_WIDTH for h in hidden)):
        raise _Bad(f"header field 'arch.hidden' must be 1..{MAX_LAYERS} widths in 1..{MAX_WIDTH}, got {_short(hidden)}")
    blocks = arch.get("blocks", 0)
    if not (_is_int(blocks) and 0 <= blocks <= MAX_BLOCKS):
        raise _Bad(f"header field 'arch.blocks' must be an integer in 0..{MAX_BLOCKS}, got {_short(blocks)}")
    symmetry = _field(head, "symmetry", lambda v: v in SYMMETRIES, " or ".join(SYMMETRIES))
    info = _field(head, "symmetry_info", lambda v: isinstance(v, dict), "an object", optional=True)
    scale = _field(head, "scale", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
                   and math.isfinite(v) and 0 < v <= 1e9, "a number in (0, 1e9]")
    meta = {}
    for key in ("training", "graph_spec"):
        v = _field(head, key, lambda v: isinstance(v, dict), "an object", optional=True)
        if v is not None:
            meta[key] = v
    # the graph (GeneratorSet checks the permutations) and the model size, before building
    try:
        gs = GeneratorSet.from_perms(gens, names, family=family, params=params or None)
        g = CayleyGraph(gs, np.asarray(start, dtype=np.int64))
    except InvalidInputError as exc:
        raise _Bad(str(exc)) from None
    if graph is not None:
        a, b = g.generators.perms, graph.generators.perms
        if a.shape != b.shape or not (a == b).all():
            raise _Bad(f"it was trained for {g.name}, not for {graph.name}")
    in_features = n * g.symbols
    count = parameter_count(in_features, hidden, blocks, kind)
    if count > MAX_PARAMETERS:
        raise _Bad(f"its architecture has {count:,} parameters, more than the {MAX_PARAMETERS:,} allowed")
    if symmetry != "none" and g.action().permutes_positions and not g.is_schreier:
        try:
            conj = generator_symmetries(gs, max_count=max(1, MAX_SYMMETRY_ENTRIES // (n * n)))
        except InvalidInputError:
            raise _Bad(f"the generators have too many symmetries for symmetry={symmetry!r}") from None
        del conj
    try:
        h = NeuralHeuristic(g, arch=kind, hidden=hidden, blocks=blocks, symmetry=symmetry, _header=meta)
    except InvalidInputError as exc:
        raise _Bad(str(exc)) from None
    if info is not None and info != h.symmetry_info:
        raise _Bad(f"header field 'symmetry_info' {_short(info)} differs from this version's {h.symmetry_info} "
                   "for these generators")
    want = h.model.state_dict()
    if list(tensors) != list(want):
        missing = [k for k in want if k not in tensors]
        extra = [k for k in tensors if k not in want]
        raise _Bad(f"its tensors do not match the architecture (missing {missing[:5]}, unexpected {extra[:5]})")
    for key, t in tensors.items():
        w = want[key]
        if t.dtype != w.dtype or tuple(t.shape) != tuple(w.shape):
            raise _Bad(f"tensor {key!r} is {str(t.dtype).replace('torch.', '')} {list(t.shape)}, but the "
                       f"architecture needs {str(w.dtype).replace('torch.', '')} {list(w.shape)}")
        if t.is_floating_point() and not bool(torch.isfinite(t).all()):
            raise _Bad(f"tensor {key!r} holds values that are not finite")
    h.model.load_state_dict(tensors)
    h.model.eval()
    h.scale = float(scale)
    return h


# -------------------------------------------------------------------------------------
# training
# -------------------------------------------------------------------------------------
