"""The dependency direction of docs/design.md, checked on the source: groups -> numpy only (plus
errors and its own modules); backends never import graphs (or anything above them);
nothing imports nn or cli (except cli's own lazy commands and nn itself)."""

from __future__ import annotations

import ast
from pathlib import Path

import cayley

ROOT = Path(cayley.__file__).parent


def _imports(path: Path) -> set[str]:
    """Absolute names of the cayley modules a file imports (relative imports resolved)."""
    pkg = ".".join(("cayley", *path.relative_to(ROOT).with_suffix("").parts))
    if path.name == "__init__.py":
        pkg += ".__init__"
    base = pkg.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("cayley")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                mod = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.startswith("cayley"):
                out.add(mod)
                out |= {f"{mod}.{a.name}" for a in node.names}
    return out


def _package(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def _violations(subpackage: str, forbidden: set[str]) -> list[str]:
    bad = []
    for path in sorted((ROOT / subpackage).rglob("*.py")):
        for mod in _imports(path):
            if _package(mod) in forbidden:
                bad.append(f"{path.relative_to(ROOT)} imports {mod}")
    return bad


def test_backends_never_import_graphs_or_above():
    assert _violations("backends", {"graphs", "symmetry", "nn", "conjectures", "datasets", "cli"}) == []


def test_groups_import_no_graphs_backends_or_above():
    assert _violations("groups", {"graphs", "backends", "symmetry", "nn", "conjectures", "datasets", "cli"}) == []


def test_nothing_imports_nn_or_cli():
    for sub in ("groups", "backends", "graphs", "symmetry", "conjectures", "datasets"):
        assert _violations(sub, {"nn", "cli", "puzzles"}) == [], sub
    # the puzzle solver is an application over graphs and nn: it may use nn, never the CLI
    assert _violations("puzzles", {"cli"}) == []
