"""Test-session settings shared by the whole tree.

The modules below import torch at module level (torch is an optional extra). Without
torch their doctests are not collected, and the tests that need torch skip themselves,
so the README's test command passes with or without the extra.
"""

import importlib.util

collect_ignore = []
if importlib.util.find_spec("torch") is None:
    collect_ignore += [
        "cayley/backends/torch_hash.py",
        "cayley/nn/heuristics.py",
        "cayley/nn/ntk.py",
        "cayley/backends/torch_rank.py",
        "cayley/symmetry/layers.py",
        "cayley/symmetry/regularizers.py",
        "cayley/symmetry/symmetrize.py",
    ]


# Tests marked ``slow`` (acceptance runs of minutes each: full puzzle rows, 100-state path
# searches, the conjecture catalogue, n = 8, 9 engine agreement) run with --run-slow or
# CAYLEY_SLOW=1; the default run (the README's test command, CI) stays within minutes.
def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False, help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    import os

    import pytest

    if config.getoption("--run-slow") or os.environ.get("CAYLEY_SLOW") == "1" or config.getoption("-m"):
        return  # asked for them (or chose by marker: -m slow / -m "not slow")
    skip = pytest.mark.skip(reason="slow: run with --run-slow or CAYLEY_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
