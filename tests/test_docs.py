"""Every ```python block of README.md and docs/**/*.md runs (blocks of one page share a
namespace, in order). A block that cannot run here is marked on the line before it with
``<!-- not run: REASON -->`` (the reason is required)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md"] + sorted((ROOT / "docs").rglob("*.md"))
BLOCK = re.compile(r"(?P<before>[^\n]*)\n```python\n(?P<code>.*?)\n```", re.S)
SKIP = re.compile(r"<!--\s*not run:\s*(?P<reason>\S.*?)\s*-->")
NEEDS_TORCH = ("torch", "cayley.symmetry import EMLP", "cayley.nn")


def blocks(page: Path) -> list[tuple[int, str, str | None]]:
    """(line, code, reason to skip or None) for each python block of ``page``."""
    text = "\n" + page.read_text(encoding="utf-8")
    out = []
    for m in BLOCK.finditer(text):
        skip = SKIP.search(m.group("before"))
        out.append((text[: m.start("code")].count("\n"), m.group("code"), skip.group("reason") if skip else None))
    return out


def test_there_are_examples_to_run():
    assert sum(len(blocks(p)) for p in PAGES) >= 10


def test_skip_markers_give_a_reason():
    for page in PAGES:
        for line in page.read_text(encoding="utf-8").splitlines():
            if "not run" in line and line.strip().startswith("<!--"):
                assert SKIP.search(line), f"{page.name}: a skip marker without a reason: {line!r}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples_run(page, monkeypatch, tmp_path):
    found = blocks(page)
    if not found:
        pytest.skip("no python examples")
    if any(needle in code for _, code, _ in found for needle in NEEDS_TORCH):
        pytest.importorskip("torch")
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # and never touch the user's store
    namespace: dict = {"__name__": "__docs__"}
    t0 = time.perf_counter()
    for line, code, reason in found:
        if reason is not None:
            continue
        try:
            exec(compile(code, f"{page.name}:{line}", "exec"), namespace)
        except Exception as exc:  # name the page and the block's line
            raise AssertionError(f"{page.relative_to(ROOT)} line {line}: {type(exc).__name__}: {exc}") from exc
    assert time.perf_counter() - t0 < 60, f"{page.name}: examples must stay fast"
