"""Every ``REGMIG_*`` setting has its default in ``regmig_scraper/settings.py`` and a row in the
README's "Settings" table, with the same default where the table states a plain value; and no
component falls back to a default of its own."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from regmig_scraper import settings as project

REPO = Path(__file__).resolve().parent.parent
NAME = re.compile(r"`(REGMIG_[A-Z0-9_<>]+)`")
STAGE = "REGMIG_<STAGE>_ENABLED"
# a settings.get*() call with a fallback: settings.getint("REGMIG_X", 10)
INLINE_FALLBACK = re.compile(r"""\.get\w*\(\s*["'](REGMIG_\w+)["']\s*,""")


def defined() -> dict[str, Any]:
    return {name: value for name, value in vars(project).items() if name.startswith("REGMIG_")}


def table_rows() -> list[tuple[str, str, str]]:
    """(names, default, meaning) of each row of the README's Settings table."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows.append((cells[0], cells[1], cells[2]))
    return rows


def documented() -> dict[str, str]:
    """Setting name -> the default cell as the README states it (for that one name)."""
    found: dict[str, str] = {}
    for names_cell, default, meaning in table_rows():
        names = NAME.findall(names_cell)
        if names == [STAGE]:
            stages = re.findall(r"`([A-Z_]+)`", meaning)
            names = [f"REGMIG_{stage}_ENABLED" for stage in stages]
            assert stages, meaning
        if not names:
            continue  # Scrapy's own (JOBDIR)
        values = [default]
        if len(names) > 1 and _plain(default) is None:
            values = [part.strip() for part in default.split(",")]
            assert len(values) == len(names), names_cell
        for index, name in enumerate(names):
            found[name] = values[min(index, len(values) - 1)]
    return found


def _plain(cell: str) -> Any:
    """The value a default cell states, or None when it describes one in words.

    ``604800`` (7 days) -> 604800; `true` -> True; `system` -> "system"; timestamp-pid -> None.
    """
    cell = re.sub(r"\s*\([^()]*\)\s*$", "", cell).strip()
    quoted = cell.startswith("`") and cell.endswith("`")
    text = cell.strip("`")
    try:
        return json.loads(text)
    except ValueError:
        return text if quoted else None


def test_the_readme_lists_exactly_the_settings_defined() -> None:
    assert sorted(documented()) == sorted(defined())


@pytest.mark.parametrize("name", sorted(defined()))
def test_the_readme_states_the_defined_default(name: str) -> None:
    stated = _plain(documented().get(name, ""))
    if stated is None:
        pytest.skip(f"{name}: the README describes its default in words")
    value = defined()[name]
    if isinstance(value, bool) or isinstance(stated, bool):
        assert stated is value
    elif isinstance(value, int | float):
        assert float(stated) == float(value)
    else:
        assert stated == value


def test_no_component_has_a_default_of_its_own() -> None:
    sources = [*(REPO / "regmig_scraper").rglob("*.py"), *(REPO / "pipelines").glob("*.py")]
    fallbacks = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in sources
        for match in INLINE_FALLBACK.finditer(path.read_text(encoding="utf-8"))
        if match.group(1) != "REGMIG_SITE"  # its registry is being rewritten elsewhere
    ]
    assert fallbacks == []
