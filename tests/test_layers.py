"""The layers the code enforces: the dataset layer and the helpers it uses know no Scrapy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "regmig_scraper"
# Modules that run without Scrapy: the dataset layer, and what it imports.
SCRAPY_FREE = [
    *sorted((PACKAGE / "dataset").glob("*.py")),
    PACKAGE / "atomic.py",
    PACKAGE / "quality.py",
    PACKAGE / "status.py",
    PACKAGE / "record.py",
    PACKAGE / "settings.py",
]
FORBIDDEN = ("scrapy", "itemadapter", "twisted", "pipelines", "regmig_scraper.spiders",
             "regmig_scraper.sites", "regmig_scraper.items")  # fmt: skip


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", SCRAPY_FREE, ids=lambda path: path.name)
def test_module_imports_no_scrapy_layer(path: Path) -> None:
    leaks = sorted(
        name for name in imported(path) for layer in FORBIDDEN
        if name == layer or name.startswith(layer + ".")
    )  # fmt: skip
    assert leaks == []
