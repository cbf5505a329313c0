"""Shared settings for the cayley.nn tests."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(autouse=True)
def _single_thread_torch():
    """Run torch single-threaded: the batched ops here are small, and on a loaded 2-core
    machine two OpenMP threads that wait for each other make training many times slower."""
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(n)
