"""A distributed run's parts: each worker stages its records in a part of its own, and
``merge_parts`` compacts them into the dataset with the single-process machinery.

Layout::

    OUTPUT/.parts/<crawl_id>/<worker>/regmig.json     crawl id, start, start URLs, worker,
                                                      counters (checkpointed), finished
    OUTPUT/.parts/<crawl_id>/<worker>/records.pickle  every record, one pickle frame each

A part is a ``journal.JobState`` directory (the format ``--resume`` uses), written by one
worker only, so workers never share a file. Each record is flushed to the operating system
as it is staged: a worker killed outright (SIGKILL) keeps every record it staged but a torn
last frame, which the merge cuts off (``regmig/resume/journal_truncated``).

``merge_parts`` reuses ``run.RunWriter``: one staging for the records of every part of a
crawl, the same grouping and merge per publication, quality gate, exit decision, lock and
atomic commit (``store.DatasetStore``) as a single-process run, and one ``runs/`` row whose
counters are the sum of every worker's. A crawl whose ``runs/`` row exists was committed
already (a merge killed after its commit): its parts are only removed. Parts are removed
after a successful commit and kept otherwise (a failed quality gate, a commit that raised),
so that ``regmig merge`` can be run again.

No settings; no Scrapy import.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regmig_scraper.dataset.journal import JobState, carried_stats, restore_stats
from regmig_scraper.dataset.run import RunWriter
from regmig_scraper.dataset.store import RUNS_DIR, DatasetLockedError
from regmig_scraper.record import Record
from regmig_scraper.status import EXIT_FAILED, EXIT_OK

logger = logging.getLogger(__name__)

PARTS_DIR = ".parts"


def part_directory(output: Path, crawl_id: str, worker: str) -> Path:
    return output / PARTS_DIR / crawl_id / worker


class DictStats:
    """The ``journal.Stats`` a merge counts in (Scrapy's ``StatsCollector`` methods)."""

    def __init__(self) -> None:
        self._stats: dict[str, Any] = {}

    def get_value(self, key: str, default: Any = None) -> Any:
        return self._stats.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self._stats[key] = value

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self._stats[key] = self._stats.get(key, start) + count

    def max_value(self, key: str, value: Any) -> None:
        self._stats[key] = max(self._stats.get(key, value), value)

    def get_stats(self) -> dict[str, Any]:
        return self._stats


class PartWriter:
    """One worker's part of a distributed run."""

    def __init__(
        self,
        directory: Path,
        *,
        crawl_id: str,
        started_at: str,
        start_url: str,
        worker: str,
    ) -> None:
        self.job = JobState(directory)
        self.header = {
            "crawl_id": crawl_id,
            "started_at": started_at,
            "start_url": start_url,
            "worker": worker,
        }

    def open(self) -> None:
        self.job.save(**self.header, finished=False, heartbeat_at=time.time())
        self.job.open_journal()

    def add(self, record: Mapping[str, Any]) -> None:
        """Stage one record; it is in the operating system's hands when this returns."""
        self.job.append(record)
        journal = self.job._journal
        if journal is not None:
            journal.flush()

    def checkpoint(self, stats: Mapping[str, Any]) -> None:
        """Save the worker's counters so far (what a killed worker's part reports)."""
        self.job.save(stats=carried_stats(stats), heartbeat_at=time.time())

    def finish(self, stats: Mapping[str, Any], *, finished: bool) -> None:
        """The worker stops: it finished its share (``finished``) or was stopped; either way
        it writes no more (``closed``)."""
        self.job.close_journal()
        self.job.save(
            stats=carried_stats(stats), finished=finished, closed=True, heartbeat_at=time.time()
        )


@dataclass(frozen=True)
class MergeOutcome:
    crawl_id: str
    status: int
    why: str
    stats: dict[str, Any]


def _parts_of(crawl_dir: Path) -> list[JobState]:
    parts = []
    for directory in sorted(p for p in crawl_dir.iterdir() if p.is_dir()):
        part = JobState(directory)
        if part.load():
            parts.append(part)
        else:
            logger.warning("%s holds no part state: skipped", directory)
    return parts


def pending_crawls(output: Path) -> list[Path]:
    """The crawls whose parts wait for a merge, oldest crawl id first."""
    root = output / PARTS_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir())


def merge_parts(
    output: Path,
    *,
    is_publication: Callable[[Record], bool],
    detect_language: Callable[[str | None, str | None], tuple[str, float]],
    min_fill_rates: Mapping[str, float],
    strict: bool,
    alive_within: float,
) -> list[MergeOutcome]:
    """Merge every crawl's parts into ``output``'s dataset, one ``runs/`` row per crawl.

    Refuses (``DatasetLockedError``) while a part whose worker did not close it was
    checkpointed less than ``alive_within`` seconds ago: its worker may still be running (the
    last worker, which knows from Redis that every other one left or died, passes 0).
    """
    outcomes = []
    for crawl_dir in pending_crawls(output):
        parts = _parts_of(crawl_dir)
        if not parts:
            shutil.rmtree(crawl_dir, ignore_errors=True)
            continue
        now = time.time()
        for part in parts:
            age = now - float(part.state.get("heartbeat_at") or 0)
            if not part.state.get("closed") and age < alive_within:
                raise DatasetLockedError(
                    f"worker {part.state.get('worker')} of crawl {crawl_dir.name} may still be "
                    f"running (its part was updated {age:.0f} s ago); merge when the workers "
                    "have finished"
                )
        outcomes.append(
            _merge_crawl(
                output,
                crawl_dir,
                parts,
                is_publication=is_publication,
                detect_language=detect_language,
                min_fill_rates=min_fill_rates,
                strict=strict,
            )
        )
    return outcomes


def _merge_crawl(
    output: Path,
    crawl_dir: Path,
    parts: list[JobState],
    **writer_args: Any,
) -> MergeOutcome:
    first = parts[0].state
    crawl_id = first["crawl_id"]
    stats = DictStats()
    for part in parts:
        restore_stats(stats, part.state.get("stats") or {})
    stats.set_value("regmig/distributed/workers", len(parts))
    lost = sum(1 for part in parts if not part.state.get("finished"))
    if lost:
        stats.set_value("regmig/distributed/workers_lost", lost)
    if (output / RUNS_DIR / f"run-{crawl_id}.parquet").exists():
        logger.info("Crawl %s was committed already: removing its parts", crawl_id)
        shutil.rmtree(crawl_dir, ignore_errors=True)
        return MergeOutcome(crawl_id, EXIT_OK, "committed before", stats.get_stats())
    writer = RunWriter(output, stats=stats, crawl_id=crawl_id, **writer_args)
    writer.started_at = dt.datetime.fromisoformat(first["started_at"])
    writer.open()  # the output directory's lock, held to the end of the commit
    try:
        assert writer.staging is not None
        for part in parts:
            count, truncated = part.replay(writer.staging)
            if truncated:
                stats.inc_value("regmig/resume/journal_truncated")
            logger.info("Staged %s records of worker %s", count, part.state.get("worker"))
    except BaseException:
        writer.close()
        raise
    status, why = writer.finish("finished", first.get("start_url"))
    if status != EXIT_FAILED:
        shutil.rmtree(crawl_dir, ignore_errors=True)
    else:
        logger.error("Parts of crawl %s kept in %s for another merge", crawl_id, crawl_dir)
    return MergeOutcome(crawl_id, status, why, stats.get_stats())
