"""cayley.symmetry uses cayley.groups for permutations and defines no helpers of its own.

The design allows one permutation library. This scans the source of every module of
cayley.symmetry (AST, not text) and fails on:

* a function or method whose name is a permutation helper (compose, inverse, act, ...),
* the classic re-implementations of the inverse (``inv[p] = arange(n)``,
  ``put_along_axis``, ``argsort`` of a permutation-named variable),
* a module-level name ``compose``/``inverse``/``act`` that is not cayley.groups' own object.

It also checks behaviour: the symmetric group's product is cayley.groups' compose.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import numpy as np

import cayley.groups as cg
import cayley.symmetry as sym

FORBIDDEN_DEFS = re.compile(
    r"^_*(compose|inverse|invert|act|permute|apply_perm|perm_(mul|compose|inverse|apply|act)|"
    r"(compose|invert|inverse|apply|mul)_perms?|cycles|from_cycles|parity|element_order|"
    r"is_permutation|check_permutation|identity_perm(utation)?)$"
)
PERM_NAME = re.compile(r"(^|_)(p|q|perm|perms|g|h|sigma|pi)($|_)")
SRC = Path(sym.__file__).parent


def _modules():
    return sorted(SRC.glob("*.py"))


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            name = getattr(node, "name", "")
            if FORBIDDEN_DEFS.match(name):
                bad.append(f"{path.name}:{node.lineno}: defines permutation helper {name!r}")
        if isinstance(node, ast.Attribute) and node.attr == "put_along_axis":
            bad.append(f"{path.name}:{node.lineno}: put_along_axis (inverse idiom)")
        if isinstance(node, ast.Assign):
            # inv[p] = np.arange(n) / torch.arange(n)
            for tgt in node.targets:
                if isinstance(tgt, ast.Subscript) and isinstance(node.value, ast.Call):
                    f = node.value.func
                    if isinstance(f, ast.Attribute) and f.attr == "arange":
                        bad.append(f"{path.name}:{node.lineno}: x[p] = arange(...) (inverse idiom)")
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr == "argsort":
                args = list(node.args) + ([f.value] if not isinstance(f.value, ast.Name) or f.value.id not in ("np", "torch") else [])
                for a in args:
                    if isinstance(a, ast.Name) and PERM_NAME.search(a.id):
                        bad.append(f"{path.name}:{node.lineno}: argsort of permutation {a.id!r} (inverse idiom)")
    return bad


def test_scanner_catches_helpers(tmp_path):
    """The scan is meaningful: it flags each kind of helper it is meant to forbid."""
    src = tmp_path / "bad.py"
    src.write_text(
        "import numpy as np\n"
        "def compose(p, q):\n    return p[q]\n"
        "class G:\n    def _inverse(self, p):\n        return np.argsort(p)\n"
        "def f(p):\n    inv = np.empty_like(p)\n    inv[p] = np.arange(len(p))\n    return inv\n"
        "def perm_mul(a, b):\n    return a[b]\n"
        "def h(p):\n    return perm.argsort()\n"
    )
    found = _violations(src)
    assert len(found) >= 5, found


def test_no_permutation_helpers_in_symmetry_source():
    bad = [v for path in _modules() for v in _violations(path)]
    assert not bad, "\n".join(bad)


def test_permutation_names_are_cayley_groups_objects():
    for info in pkgutil.iter_modules(sym.__path__):
        if info.name in ("layers", "symmetrize", "regularizers"):
            continue  # torch modules: scanned by source above, imported in their own tests
        mod = importlib.import_module(f"cayley.symmetry.{info.name}")
        for name in ("compose", "inverse", "act", "identity", "from_cycles", "parity"):
            if hasattr(mod, name):
                assert getattr(mod, name) is getattr(cg, name), f"cayley.symmetry.{info.name}.{name}"


def test_group_product_is_cayley_compose():
    G = sym.S(6)
    assert G.generators is not None and isinstance(G.generators, cg.GeneratorSet)
    g, h = G.random_elements(2, seed=3)
    # one multiplication order: symmetry's product is compose(g, h) of cayley.groups
    assert np.array_equal(G.mul(g, h), cg.compose(g, h))
    assert np.array_equal(G.inv(g), cg.inverse(g))
    x = np.arange(6.0)
    # the permutation representation moves x[i] to position g(i): rho(g) x = act(x, g^-1),
    # a homomorphism for that product
    assert np.array_equal(sym.V(G).apply(g, x), cg.act(x, cg.inverse(g)))
    assert np.array_equal(sym.V(G).apply(G.mul(g, h), x), sym.V(G).apply(g, sym.V(G).apply(h, x)))
    assert np.array_equal(G.matrix(g) @ x, sym.V(G).apply(g, x))


def test_symmetry_imports_group_types_from_cayley_groups():
    text = (SRC / "groups.py").read_text()
    assert "from ..groups import" in text
    from cayley.groups.puzzles import rubiks_cube_333

    assert sym.RubiksCube().generators == rubiks_cube_333()
