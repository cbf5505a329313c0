"""cayley.nn sits at the top: nothing but cayley.cli.nn imports it, importing the core or
the path commands loads no torch, and cayley.nn defines no permutation helpers of its own."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import cayley

ROOT = Path(cayley.__file__).parent


def _imports_nn(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    rel = path.relative_to(ROOT).parts
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level:  # resolve a relative import against the file's package
                base = ["cayley", *rel[:-1]][: len(rel) - node.level + 1]
                mod = ".".join(base + ([mod] if mod else []))
            names = [mod] + [f"{mod}.{a.name}" for a in node.names]
        else:
            continue
        if any(n == "cayley.nn" or n.startswith("cayley.nn.") for n in names):
            bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return bad


def test_nothing_but_cli_nn_imports_nn():
    """Only the applications import nn: its CLI and the puzzle solver (learned heuristics)."""
    bad = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(("nn/", "puzzles/")) or rel == "cli/nn.py":
            continue
        bad += _imports_nn(path)
    assert not bad, bad


def test_scanner_sees_relative_imports(tmp_path):
    fake = ROOT / "graphs" / "_probe_for_test.py"
    try:
        fake.write_text("from ..nn import heuristics\nfrom .paths import beam_search\n")
        assert _imports_nn(fake) == ["graphs/_probe_for_test.py:1"]
    finally:
        fake.unlink()


def test_core_and_path_commands_load_no_torch():
    code = (
        "import sys, cayley, cayley.groups, cayley.graphs, cayley.graphs.paths, cayley.cli.paths, cayley.nn\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_nn_defines_no_permutation_helpers():
    spec = importlib.util.spec_from_file_location(
        "_sym_scan", Path(__file__).parents[1] / "symmetry" / "test_sym_no_perm_helpers.py"
    )
    scan = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scan)
    bad = [v for path in sorted((ROOT / "nn").glob("*.py")) for v in scan._violations(path)]
    assert not bad, bad
