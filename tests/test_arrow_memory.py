"""Tests for regmig_scraper/dataset/arrow_memory.py and the setting that applies it."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pytest

from regmig_scraper.dataset.arrow_memory import ENVIRONMENT_VARIABLE, use_memory_pool


@pytest.fixture(autouse=True)
def restored_pool() -> Iterator[str]:
    """Each test starts from, and gives back, the pool the suite had."""
    before = pa.default_memory_pool()
    yield before.backend_name
    pa.set_memory_pool(before)


@pytest.mark.parametrize("name", ["system", "jemalloc", "mimalloc"])
def test_named_pool_becomes_the_default(name: str) -> None:
    assert use_memory_pool(name, environ={}) == name
    assert pa.default_memory_pool().backend_name == name
    assert pa.array(["allocated", "from", "it"]).to_pylist() == ["allocated", "from", "it"]


def test_empty_name_keeps_the_pool(restored_pool: str) -> None:
    assert use_memory_pool("", environ={}) == restored_pool


def test_pyarrow_environment_variable_decides(restored_pool: str) -> None:
    other = "jemalloc" if restored_pool != "jemalloc" else "system"
    assert use_memory_pool(other, environ={ENVIRONMENT_VARIABLE: "mimalloc"}) == restored_pool


def test_unknown_pool_names_the_setting_and_the_choices() -> None:
    with pytest.raises(ValueError, match=r"REGMIG_ARROW_MEMORY_POOL='malloc'.*system, jemalloc"):
        use_memory_pool("malloc", environ={})


def test_arrays_of_the_previous_pool_survive_a_switch() -> None:
    use_memory_pool("mimalloc", environ={})
    before = pa.array([f"row {i}" for i in range(1000)])
    use_memory_pool("system", environ={})
    after = pa.concat_arrays([before, pa.array(["last"])])
    del before
    assert after[999].as_py() == "row 999" and after[1000].as_py() == "last"


def test_dataset_pipeline_applies_the_setting(tmp_path, monkeypatch) -> None:
    from scrapy.utils.test import get_crawler

    from pipelines.dataset import DatasetPipeline

    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    for name in ("jemalloc", "system"):
        crawler = get_crawler(
            settings_dict={"REGMIG_OUTPUT": str(tmp_path), "REGMIG_ARROW_MEMORY_POOL": name}
        )
        DatasetPipeline.from_crawler(crawler)
        assert pa.default_memory_pool().backend_name == name
