"""The backend registry: the one place that turns backend names and devices into kernels.

A search names its backend as one of :data:`BACKEND_NAMES` (``auto``, ``cpu``, ``torch``,
``cuda``, ``distributed``; ``numba`` is an alias of ``cpu``) and optionally a torch
device. :func:`check_backend` validates the name (one error message for every caller),
:func:`hash_kernels` and :func:`rank_kernels` build the primitives the engines run, and
:func:`rank_backend` / :func:`rank_placement` say where the rank engine runs, for the
kernels and for the memory plan. The kernel contracts are written as Protocols
(:class:`HashKernels`, :class:`KeySet`, :class:`RankKernels`, :class:`ShardedKernels`)
so the engines call methods, never probe with ``hasattr``.

This module imports no torch, numba or cupy at import time; building kernels does.

>>> check_backend("numba"), check_backend("cuda")
('cpu', 'cuda')
>>> check_backend("gpu")
Traceback (most recent call last):
...
cayley.errors.InvalidInputError: unknown backend 'gpu': expected one of auto, cpu, torch, cuda, distributed
>>> hash_kernels("cpu").NAME
'cpu'
"""

from __future__ import annotations

import importlib.util
import os
import sys
from typing import Any, Callable, Literal, Optional, Protocol, runtime_checkable

import numpy as np

from ..errors import InvalidInputError
from .actions import Action, MatrixAction, PermutationAction, as_perms

__all__ = [
    "BACKEND_NAMES",
    "RANK_KERNEL_NAMES",
    "Action",
    "HashKernels",
    "KeySet",
    "RankKernels",
    "ShardedKernels",
    "check_backend",
    "cuda_available",
    "torch_device",
    "hash_kernels",
    "rank_backend",
    "rank_placement",
    "rank_kernels",
    "rank_family_error",
    "rank_prefers_gpu",
    "search_backend",
]

#: The backend names a search accepts (``numba`` is also accepted, as ``cpu``).
BACKEND_NAMES = ("auto", "cpu", "torch", "cuda", "distributed")
_ALIASES = {"numba": "cpu"}
#: The rank engine's kernel families: ``fused`` asks for the fused CUDA kernels anywhere
#: (on a CPU device, their host-compiled emulation; used by tests and benchmarks).
RANK_KERNEL_NAMES = ("cpu", "torch", "fused", "distributed")

# auto takes the GPU for permutation searches of at least this many ranks (S_13 and up)
GPU_MIN_RANKS = 2**32



class KeySet(Protocol):
    """An exact set of packed states (rows of ``words`` 64-bit words)."""

    def add_new(self, rows: Any) -> Any:
        """Insert ``rows``; return the rows that were not in the set (each once)."""


@runtime_checkable
class HashKernels(Protocol):
    """The hash engine's primitives over packed states (numpy arrays or torch tensors).

    ``encode``/``decode`` pack ``(m, n)`` states into ``(m, words)`` keys and back;
    ``expand`` applies every generator (row ``i * k + g`` is state ``i`` under ``g``);
    ``key_set`` makes an empty :class:`KeySet`; ``concat`` joins batches;
    ``from_numpy``/``to_numpy`` move keys between the host and the kernels' arrays.
    """

    NAME: str

    def encode(self, states: np.ndarray, bits: int, words: int) -> Any: ...

    def decode(self, keys: Any, n: int, bits: int) -> np.ndarray: ...

    def expand(self, keys: Any, action: Any, bits: int) -> Any: ...

    def key_set(self, words: int, capacity: int = 0) -> Any: ...

    def concat(self, parts: Any) -> Any: ...

    def to_numpy(self, a: Any) -> np.ndarray: ...

    def from_numpy(self, a: np.ndarray) -> Any: ...


@runtime_checkable
class RankKernels(Protocol):
    """The rank engine's primitives, holding a 2-bit code per rank (and block flags).

    ``reset(start_idx)`` starts afresh (the start holds code 1); ``restore(codes, flags)``
    resumes from a checkpoint's arrays and ``host_arrays()`` gives them back as numpy.
    ``push(code_f, record_size)`` finds the next layer top-down from the states holding
    frontier code ``code_f`` and returns ``(new states, frontier slots or None)``;
    ``pull(code_f)`` does it bottom-up (only when ``can_pull``); ``extract(code)`` lists
    a code's slots; ``probe(code_f)`` says whether the frontier has an unseen neighbour.
    ``name`` is the backend recorded in results; ``lay`` the layout the codes follow.
    """

    name: str
    lay: Any
    can_pull: bool

    def reset(self, start_idx: int) -> None: ...

    def restore(self, codes: np.ndarray, flags: np.ndarray) -> None: ...

    def host_arrays(self) -> tuple[np.ndarray, np.ndarray]: ...

    def push(self, code_f: int, record_size: Optional[int] = None) -> tuple[int, Optional[np.ndarray]]: ...

    def pull(self, code_f: int) -> int: ...

    def extract(self, code: int) -> np.ndarray: ...

    def probe(self, code_f: int) -> bool: ...


@runtime_checkable
class ShardedKernels(RankKernels, Protocol):
    """Rank kernels whose codes are split over a process group: every method is
    collective; ``agree`` makes the processes take one decision (e.g. to save now), and
    ``gather_object`` collects a value from each process."""

    rank: int
    world: int

    def agree(self, due: bool) -> bool: ...

    def gather_object(self, obj: Any) -> list[Any]: ...


def check_backend(name: str) -> str:
    """The canonical backend name for ``name``, or one :class:`InvalidInputError` that
    lists the valid names.

    >>> check_backend("auto")
    'auto'
    """
    name = _ALIASES.get(name, name)
    if name not in BACKEND_NAMES:
        raise InvalidInputError(f"unknown backend {name!r}: expected one of {', '.join(BACKEND_NAMES)}")
    return name


def cuda_available() -> bool:
    """Whether torch sees a CUDA GPU; never imports torch on a machine with no NVIDIA
    driver (importing torch costs seconds of start-up).

    >>> isinstance(cuda_available(), bool)
    True
    """
    if "torch" not in sys.modules:
        if not os.path.exists("/dev/nvidiactl") or importlib.util.find_spec("torch") is None:
            return False
    import torch

    return bool(torch.cuda.is_available())


def torch_device(name: str, device: Optional[str] = None) -> str:
    """The torch device of backend ``name`` (``torch`` or ``cuda``), for both engines:
    ``cuda`` needs a GPU (default ``"cuda"``); ``torch`` defaults to CUDA when torch sees
    one, else torch's CPU (which runs the GPU code path on any machine).

    >>> import importlib.util   # without torch: InvalidInputError ("needs torch")
    >>> importlib.util.find_spec("torch") is None or torch_device("torch", "cpu") == "cpu"
    True
    """
    if importlib.util.find_spec("torch") is None:
        raise InvalidInputError(f"backend {name!r} needs torch: pip install 'cayley[torch]'")
    if name == "cuda":
        if not cuda_available():
            raise InvalidInputError("backend 'cuda' needs a CUDA GPU visible to torch; none was found")
        return str(device or "cuda")
    return str(device or ("cuda" if cuda_available() else "cpu"))


def hash_kernels(name: str, device: Optional[str] = None) -> HashKernels:
    """The hash engine's primitives: numba on the CPU, or torch on ``device``.

    ``auto`` takes CUDA when torch sees a GPU (or ``device`` names one), else numba;
    ``cpu`` is numba; ``torch`` is torch on ``device`` (default: CUDA if available, else
    torch's CPU); ``cuda`` is torch on the GPU.

    >>> hash_kernels("auto", None).NAME in ("cpu", "cuda")
    True
    """
    name = check_backend(name)
    if name == "auto":
        name = "cuda" if (device is not None and str(device).startswith("cuda")) or cuda_available() else "cpu"
    if name == "cpu":
        from . import cpu

        return cpu  # type: ignore[return-value]  # a module satisfies the Protocol
    if name == "distributed":
        raise InvalidInputError("backend 'distributed' runs the rank engine only; use --engine rank or auto")
    dev = torch_device(name, device)
    from .torch_hash import TorchBackend

    return TorchBackend(dev)  # type: ignore[return-value]


def search_backend(name: str, device: Optional[str] = None) -> tuple[Literal["cpu", "torch"], Optional[str]]:
    """The kernel family and torch device of a one-process search with numpy/numba and
    torch kernels (beam search): ``auto`` and ``cpu`` (``numpy`` too) are ``("cpu",
    None)``; ``torch`` is torch on ``device`` (None: the search's default, torch's CPU);
    ``cuda`` is torch on ``device`` or ``"cuda"`` (it needs a GPU). ``distributed`` is
    refused.

    >>> search_backend("auto"), search_backend("numpy"), search_backend("torch", "cpu")
    (('cpu', None), ('cpu', None), ('torch', 'cpu'))
    >>> search_backend("distributed")
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: backend 'distributed' runs breadth-first search (the rank engine) only; use auto, cpu, torch or cuda
    """
    name = check_backend("cpu" if name == "numpy" else name)
    if name == "distributed":
        raise InvalidInputError(
            "backend 'distributed' runs breadth-first search (the rank engine) only; use auto, cpu, torch or cuda"
        )
    if name in ("auto", "cpu"):
        return "cpu", None
    if name == "cuda":
        return "torch", torch_device("cuda", device)
    return "torch", device


def rank_backend(name: str, device: Optional[str] = None, prefers_gpu: bool = False) -> tuple[str, Optional[str]]:
    """The rank engine's kernel family and torch device for a search's backend ``name``:
    ``cpu`` is numba; ``torch`` and ``cuda`` are torch on :func:`torch_device` (on a CUDA
    device, the fused kernels for permutations); ``distributed`` is the sharded kernels;
    ``auto`` is the GPU when ``device`` names one or ``prefers_gpu`` (see
    :func:`rank_prefers_gpu`), else numba.

    >>> rank_backend("auto"), rank_backend("cpu")
    (('cpu', None), ('cpu', None))
    >>> import importlib.util   # torch on its CPU, when torch is installed
    >>> importlib.util.find_spec("torch") is None or rank_backend("torch", "cpu") == ("torch", "cpu")
    True
    """
    name = check_backend(name)
    if name == "distributed":
        return "distributed", None
    if name == "auto" and (str(device or "").startswith("cuda") or (device is None and prefers_gpu)):
        name = "cuda"
    if name in ("auto", "cpu"):
        return "cpu", None
    return "torch", torch_device(name, device)


def rank_placement(
    name: str, device: Optional[str], engine: str, prefers_gpu: Callable[[], bool] = lambda: False
) -> tuple[str, bool]:
    """Where the memory plan puts the rank engine for backend ``name``, without importing
    torch: ``(kernel family, codes on the host?)``. The family is ``cpu`` (numba),
    ``torch`` or ``distributed``; ``prefers_gpu()`` is only asked for ``auto`` with no
    device when the engine may be the rank engine (``engine != "hash"``).

    >>> rank_placement("auto", None, "auto"), rank_placement("torch", "cpu", "rank")
    (('cpu', True), ('torch', True))
    >>> rank_placement("cuda", None, "auto"), rank_placement("auto", None, "auto", lambda: True)
    (('torch', False), ('torch', False))
    """
    name = check_backend(name)
    if name == "distributed":
        return "distributed", True
    gpu_named = name == "auto" and str(device or "").startswith("cuda")
    gpu_auto = name == "auto" and device is None and engine != "hash" and prefers_gpu()
    family = "torch" if name in ("torch", "cuda") or gpu_named or gpu_auto else "cpu"
    on_host = family == "cpu" or str(device or ("cuda" if name == "cuda" else "")).startswith("cpu")
    return family, on_host


def rank_prefers_gpu(ranking: Any, nwords: int, nblocks: int) -> bool:
    """Whether ``backend="auto"`` runs the rank engine on the GPU: a permutation state space
    (``ranking``) of at least :data:`GPU_MIN_RANKS` ranks, a CUDA GPU with CuPy (for the
    fused kernels), and room in the GPU's free memory for ``nwords`` code words and
    ``nblocks`` flags. Measured on an H100 host (benchmarks/RESULTS.md): S_12 lrx 0.064 s
    on the GPU vs 2.05 s for numba on 16 cores, but importing torch and CuPy costs
    seconds, so smaller graphs stay on numba (and never import torch).

    >>> from cayley.backends.ranking import PermutationRanking
    >>> rank_prefers_gpu(PermutationRanking(5), 4, 1)
    False
    """
    if ranking is None or ranking.kind != "permutations" or ranking.size < GPU_MIN_RANKS:
        return False
    if importlib.util.find_spec("cupy") is None or not cuda_available():
        return False
    import torch

    from .cuda_rank import fused_available

    if not fused_available("cuda"):
        return False
    free, _ = torch.cuda.mem_get_info()
    return bool(nwords * 8 + nblocks * 2 + 2**28 <= free)


def rank_family_error(family: str, action: Action, ranking: Any) -> Optional[str]:
    """Why the rank kernels of ``family`` cannot run ``action`` over ``ranking``, or None
    when they can: matrix groups (:attr:`~cayley.backends.actions.MatrixAction.rank_families`)
    and piece rankings (signed permutations, puzzles) have numba kernels only.

    >>> from cayley.backends.actions import MatrixAction, PermutationAction
    >>> rank_family_error("torch", PermutationAction(np.array([[1, 0]])), None) is None
    True
    >>> rank_family_error("torch", MatrixAction(np.zeros((1, 2, 2), np.int64), 3, 2), None)[:44]
    'the rank engine runs matrix groups on the nu'
    """
    family = _ALIASES.get(family, family)
    if family not in action.rank_families:  # an action's families are all, or numba's alone
        what = action.what
    elif getattr(ranking, "kind", None) == "pieces" and family != "cpu":
        what = "piece rankings (signed permutations, puzzles)"
    else:
        return None
    return (
        f"the rank engine runs {what} on the numba CPU backend only; use --backend cpu "
        "(or --engine hash, which has a torch backend)"
    )


def rank_kernels(
    family: str, device: Optional[str], ranking: Any, lay: Any, action: Action, work_bytes: Optional[int] = None
) -> RankKernels:
    """The rank engine's primitives of kernel ``family`` (one of :data:`RANK_KERNEL_NAMES`;
    ``numba`` is ``cpu``) for generators ``action`` on the rank layout ``lay``.

    >>> from cayley.backends.numba_rank import PermLayout
    >>> from cayley.backends.ranking import PermutationRanking
    >>> k = rank_kernels("cpu", None, PermutationRanking(3), PermLayout(3), np.array([[1, 0, 2]]))
    >>> k.name, isinstance(k, RankKernels)
    ('cpu', True)
    >>> rank_kernels("gpu", None, PermutationRanking(3), PermLayout(3), np.array([[1, 0, 2]]))
    Traceback (most recent call last):
    ...
    cayley.errors.InvalidInputError: unknown rank-engine backend 'gpu': expected one of cpu, torch, fused, distributed
    """
    family = _ALIASES.get(family, family)
    if family not in RANK_KERNEL_NAMES:
        raise InvalidInputError(
            f"unknown rank-engine backend {family!r}: expected one of {', '.join(RANK_KERNEL_NAMES)}"
        )
    if not isinstance(action, (MatrixAction, PermutationAction)):
        action = PermutationAction(np.asarray(action))  # a (k, n) array: a gather
    error = rank_family_error(family, action, ranking)
    if error is not None:
        raise InvalidInputError(error)
    if isinstance(action, MatrixAction):
        from .numba_matrix_rank import NumbaMatrixRankKernels

        return NumbaMatrixRankKernels(ranking, lay, action)  # type: ignore[no-any-return]
    action = as_perms(action)
    if family == "cpu":
        from .numba_rank import NumbaRankKernels

        return NumbaRankKernels(ranking, lay, action)  # type: ignore[no-any-return]
    if family == "distributed":
        from .distributed_rank import ShardedRankKernels

        return ShardedRankKernels(ranking, lay, action, work_bytes=work_bytes)  # type: ignore[no-any-return]
    from .cuda_rank import CudaRankKernels, fused_available

    # permutations on a GPU take the fused kernels when CuPy can compile them;
    # "fused" asks for them anywhere (on a CPU device: their host-compiled emulation)
    if lay.kind == "permutations" and (family == "fused" or fused_available(device)):
        return CudaRankKernels(ranking, lay, action, device=device, work_bytes=work_bytes)  # type: ignore[no-any-return]
    from .torch_rank import TorchRankKernels

    return TorchRankKernels(ranking, lay, action, device=device, work_bytes=work_bytes)  # type: ignore[no-any-return]
