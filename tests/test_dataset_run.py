"""RunWriter: a run's records into the dataset, exit decided once, without Scrapy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from regmig_scraper.dataset.run import RunWriter
from regmig_scraper.dataset.store import DatasetStore
from regmig_scraper.status import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_STATUS_STAT,
    INTERRUPTED_REASON,
    recorded_exit,
)
from tests._dataset_helpers import PROGRAM
from tests.test_dataset_staging import REPORT_SIGHTINGS


class DictStats:
    """Scrapy's StatsCollector methods over a dict: all the dataset layer needs."""

    def __init__(self, **values: Any) -> None:
        self.values: dict[str, Any] = dict(values)

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def max_value(self, key: str, value: Any) -> None:
        self.values[key] = max(self.values.get(key, value), value)

    def get_stats(self) -> dict[str, Any]:
        return self.values


def writer(output: Path, stats: DictStats, **options: Any) -> RunWriter:
    defaults: dict[str, Any] = {
        "is_publication": lambda page: page.get("page_kind") in (None, "publication"),
        "detect_language": lambda title, summary: ("en", 0.99),
        "min_fill_rates": {},
        "strict": False,
        "crawl_id": "c1",
    }
    return RunWriter(output, stats=stats, **{**defaults, **options})


def run(output: Path, reason: str = "finished", **options: Any) -> tuple[DictStats, tuple]:
    stats = DictStats(**{"regmig/listing/pages": 1})
    run_writer = writer(output, stats, **options)
    run_writer.open()
    for record in REPORT_SIGHTINGS:
        run_writer.add(record)
    return stats, run_writer.finish(reason, PROGRAM)


def test_a_run_commits_one_row_and_records_its_exit(tmp_path: Path) -> None:
    stats, outcome = run(tmp_path)
    assert outcome == (EXIT_OK, "1 publications written")
    assert recorded_exit(stats.values) == outcome  # what regmig crawl exits with
    [row] = DatasetStore(tmp_path).read_publications().to_pylist()
    assert row["crawl_id"] == "c1"
    [record] = DatasetStore(tmp_path).read_runs().to_pylist()
    assert (record["exit_status"], record["start_url"]) == (EXIT_OK, PROGRAM)


def test_the_quality_gate_fails_the_run_and_writes_nothing(tmp_path: Path) -> None:
    stats, (status, why) = run(tmp_path, min_fill_rates={"published": 1.0})
    assert status == EXIT_FAILED and "fill rate of published" in why
    assert stats.values["regmig/quality/failed/published"] == 1
    assert not (tmp_path / "publications").exists()


def test_an_interrupted_resumable_run_commits_nothing_and_keeps_its_state(tmp_path: Path) -> None:
    job = tmp_path / ".job"
    stats, outcome = run(tmp_path, reason="shutdown", job_dir=job)
    assert outcome == (EXIT_FAILED, INTERRUPTED_REASON)
    assert stats.values["regmig/resume/interrupted"] == 1
    assert not (tmp_path / "publications").exists()
    carried = json.loads((job / "regmig.json").read_text(encoding="utf-8"))["stats"]
    assert EXIT_STATUS_STAT not in carried  # a resumed run decides its own
    resumed_stats, outcome = run(tmp_path, job_dir=job, crawl_id="")
    assert outcome[0] == EXIT_OK
    assert resumed_stats.values["regmig/resume/segments"] == 2
    [record] = DatasetStore(tmp_path).read_runs().to_pylist()
    assert record["crawl_id"] == "c1"  # the interrupted run's id
