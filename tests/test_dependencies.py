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


# ---------------------------------------------------------------------------------
# no import cycles, no private names across modules (docs/design.md, "Layout")
# ---------------------------------------------------------------------------------
def _module_names() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = ("cayley", *path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _module_names()


def _import_edges(path: Path, name: str):
    """(target module, imported name or None, line, inside a function) for every cayley import."""
    tree = ast.parse(path.read_text())
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_function |= {id(n) for n in ast.walk(node) if n is not node}
    base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(tree):
        local = id(node) in in_function
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("cayley"):
                    yield a.name, None, node.lineno, local
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                mod = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("cayley"):
                continue
            for a in node.names:
                sub = f"{mod}.{a.name}"
                yield (sub, None, node.lineno, local) if sub in MODULES else (mod, a.name, node.lineno, local)


# The CLI loads its subcommands on first use (cayley.cli.main.LAZY_COMMANDS): those
# imports are the one sanctioned way for a module to reach one that imports it back.
def _graph():
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for name, path in MODULES.items():
        for target, _, _, _ in _import_edges(path, name):
            if target in MODULES and target != name:
                edges[name].add(target)
    return edges


def _cycles(edges):
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    """No two cayley modules import each other, directly or through others, counting
    imports inside functions (a function-local import only hides a cycle)."""
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_private_names_across_modules():
    """No module imports an underscore name from another module, nor a private module
    (``_x.py``) from outside its own package."""
    bad = []
    for name, path in MODULES.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for target, imported, line, _ in _import_edges(path, name):
            where = f"{path.relative_to(ROOT.parent)}:{line}"
            if imported is not None and _private(imported) and target != name:
                bad.append(f"{where} imports {imported} from {target}")
            last = target.rsplit(".", 1)[-1]
            if _private(last) and not package.startswith(target.rsplit(".", 1)[0]):
                bad.append(f"{where} imports the private module {target}")
    assert bad == []


def test_packages_do_not_shadow_their_modules():
    """``import cayley.graphs.bfs as m`` gives the module, for every module of a package
    (a re-exported function named like its module hides it)."""
    import importlib

    shadowed = []
    for name in MODULES:
        if "." not in name or name.startswith("cayley.cli"):
            continue
        parent, last = name.rsplit(".", 1)
        pkg = importlib.import_module(parent)
        attr = getattr(pkg, last, None)
        if attr is not None and not hasattr(attr, "__path__") and getattr(attr, "__name__", None) != name:
            shadowed.append(f"{parent}.{last} is {type(attr).__name__}")
    assert shadowed == []


KERNEL_DECORATORS = {"njit", "jit", "intrinsic", "vectorize", "guvectorize", "stencil"}


def _is_kernel(fn) -> bool:
    for d in fn.decorator_list:
        node = d.func if isinstance(d, ast.Call) else d
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
        if name in KERNEL_DECORATORS:
            return True
    return False


def test_modules_and_functions_are_small():
    """No module over 800 lines; no function over 100 lines except numba kernels."""
    big = []
    for name, path in MODULES.items():
        text = path.read_text()
        if text.count("\n") > 800:
            big.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not _is_kernel(node):
                size = node.end_lineno - node.lineno + 1
                if size > 100:
                    big.append(f"{name}.{node.name}: {size} lines")
    assert big == []


def test_the_build_reads_the_version_statically():
    """pyproject's dynamic version names a module attribute that setuptools can read
    without importing the package (a literal assignment), or `pip install .` fails."""
    import pytest

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    text = (ROOT.parent / "pyproject.toml").read_text()
    attr = tomllib.loads(text)["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    module, name = attr.rsplit(".", 1)
    path = ROOT.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = ROOT.parent / module.replace(".", "/") / "__init__.py"
    literal = [
        n for n in ast.parse(path.read_text()).body
        if isinstance(n, ast.Assign) and any(getattr(t, "id", None) == name for t in n.targets)
        and isinstance(n.value, ast.Constant)
    ]
    assert literal, f"{attr} is not a literal assignment in {path.name}"
