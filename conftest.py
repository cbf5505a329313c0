"""Test-session settings shared by the whole tree.

Modules that import torch at module level (torch is an optional extra) are found by
reading their source: without torch their doctests are not collected, and the tests that
need torch skip themselves, so the README's test command passes with or without the extra.
"""

import ast
import importlib.util
import os
import sys
from pathlib import Path

import pytest


def _imports_torch_at_top(path: Path) -> bool:
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "torch" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "torch":
            return True
    return False


collect_ignore = []
if importlib.util.find_spec("torch") is None:
    _here = Path(__file__).parent
    collect_ignore += sorted(
        str(p.relative_to(_here)) for p in (_here / "cayley").rglob("*.py") if _imports_torch_at_top(p)
    )


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


@pytest.fixture(autouse=True)
def _single_thread_torch(request):
    """Tests and doctests of the neural side (``nn``, ``symmetry``) run torch single-threaded:
    their models are small, and on a loaded 2-core machine two OpenMP threads that wait for
    each other make training many times slower."""
    torch = sys.modules.get("torch")
    if torch is None or not {"nn", "symmetry"} & set(Path(str(request.node.path)).parts):
        yield
        return
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(n)


# Property tests draw the same examples on every run (CI stays reproducible: a failure seen
# once is seen again); HYPOTHESIS_PROFILE=explore draws fresh ones for fuzzing campaigns.
try:
    from hypothesis import settings as _hyp_settings

    _hyp_settings.register_profile("ci", derandomize=True)
    _hyp_settings.register_profile("explore", derandomize=False)
    _hyp_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # the test extras are not installed
    pass
