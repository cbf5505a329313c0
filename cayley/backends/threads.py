"""Run a numba kernel on several CPU threads: ``kernel(t, *args)`` for ``t < nthreads``.

The kernels are compiled with ``nogil=True`` and take their work from shared atomic
counters, so plain Python threads run them in parallel. This replaces numba's
``parallel=True`` for kernels that only used ``prange`` to start one worker per thread:
the parfor machinery tripled their compile time (the first run in a fresh environment
compiles them), and the work split is theirs either way.

>>> import numpy as np
>>> out = np.zeros(3, np.int64)
>>> def fill(t, a):
...     a[t] = t + 1
>>> run_threads(fill, 3, out)
>>> out.tolist()
[1, 2, 3]
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

__all__ = ["run_threads"]

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_size = 0


def _executor(workers: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size < workers:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cayley-kernel")
            _pool_size = workers
        return _pool


def run_threads(kernel, nthreads: int, *args) -> None:
    """Call ``kernel(t, *args)`` for ``t = 0 .. nthreads - 1``, concurrently; re-raise the first error."""
    if nthreads <= 1:
        kernel(0, *args)
        return
    pool = _executor(nthreads - 1)
    futures = [pool.submit(kernel, t, *args) for t in range(1, nthreads)]
    error = None
    try:
        kernel(0, *args)  # the calling thread takes a share too
    except BaseException as exc:  # wait for the others before raising
        error = exc
    for f in futures:
        try:
            f.result()
        except BaseException as exc:
            error = error or exc
    if error is not None:
        raise error
