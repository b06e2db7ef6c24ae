"""Tests for regmig_scraper/arrow_memory.py: pyarrow's allocator in a crawling process.

The choice only takes effect in a process that has not loaded pyarrow yet, so the behaviour is
checked in fresh interpreters; the test process itself has pyarrow loaded.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap

import pytest

from regmig_scraper.arrow_memory import (
    ENVIRONMENT_VARIABLE,
    ArrowMemoryAddon,
    check_pool_name,
    choose_memory_pool,
)
from tests.helpers import REPO


def fresh_python(*parts: str) -> str:
    """stdout of the code ``parts`` (each dedented) run by a new interpreter without
    ARROW_DEFAULT_MEMORY_POOL."""
    env = {k: v for k, v in os.environ.items() if k != ENVIRONMENT_VARIABLE}
    result = subprocess.run(
        [sys.executable, "-c", "\n".join(textwrap.dedent(part) for part in parts)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


# Reads a Parquet file and sorts it (C++ allocations), then prints the pool in use and the
# most each pool ever held: memory must come from the chosen pool only.
READ_AND_REPORT = """
    import pyarrow as pa, pyarrow.compute as pc, pyarrow.parquet as pq, tempfile, os
    path = os.path.join(tempfile.mkdtemp(), "t.parquet")
    pq.write_table(pa.table({"a": [str(i) for i in range(50_000)]}), path)
    table = pq.ParquetFile(path).read()
    pc.sort_indices(table.column("a"))
    held = {n: getattr(pa, n + "_memory_pool")().max_memory() > 0 for n in POOLS}
    print(memory_pool_in_use(), sorted(n for n, used in held.items() if used))
"""


@pytest.mark.parametrize("name", ["system", "jemalloc"])
def test_chosen_pool_serves_every_allocation(name: str) -> None:
    out = fresh_python(
        f"""
        from regmig_scraper.arrow_memory import POOLS, choose_memory_pool, memory_pool_in_use
        assert choose_memory_pool({name!r})
        """,
        READ_AND_REPORT,
    )
    assert out == f"{name} [{name!r}]"


def test_addon_applies_the_setting_before_pyarrow_loads() -> None:
    out = fresh_python(
        """
        from scrapy.settings import Settings
        from regmig_scraper.arrow_memory import POOLS, ArrowMemoryAddon, memory_pool_in_use
        ArrowMemoryAddon().update_settings(Settings({"REGMIG_ARROW_MEMORY_POOL": "jemalloc"}))
        """,
        READ_AND_REPORT,
    )
    assert out == "jemalloc ['jemalloc']"


def test_empty_name_and_a_set_variable_leave_the_environment_alone() -> None:
    environ = {ENVIRONMENT_VARIABLE: "mimalloc"}
    assert choose_memory_pool("system", environ)
    assert environ == {ENVIRONMENT_VARIABLE: "mimalloc"}
    environ = {}
    assert choose_memory_pool("", environ)
    assert environ == {}


def test_too_late_once_pyarrow_is_loaded() -> None:
    assert "pyarrow" in sys.modules  # the test process has loaded it
    environ: dict[str, str] = {}
    assert not choose_memory_pool("system", environ)
    assert environ == {}


def test_addon_warns_when_too_late(caplog: pytest.LogCaptureFixture, monkeypatch) -> None:
    from scrapy.settings import Settings

    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    with caplog.at_level(logging.WARNING, logger="regmig_scraper.arrow_memory"):
        ArrowMemoryAddon().update_settings(Settings({"REGMIG_ARROW_MEMORY_POOL": "system"}))
    assert "REGMIG_ARROW_MEMORY_POOL=system not applied" in caplog.text
    assert f"set {ENVIRONMENT_VARIABLE}=system in the environment" in caplog.text
    assert ENVIRONMENT_VARIABLE not in os.environ


@pytest.mark.parametrize("name", ["malloc", "System", "default"])
def test_unknown_pool_names_the_setting_and_the_choices(name: str) -> None:
    with pytest.raises(ValueError, match=rf"REGMIG_ARROW_MEMORY_POOL='{name}'.*system, jemalloc"):
        check_pool_name(name)
    with pytest.raises(ValueError):
        choose_memory_pool(name, {})
