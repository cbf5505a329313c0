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
