"""Write the run's records into the deduplicated Parquet dataset under ``REGMIG_OUTPUT``.

A thin adapter: records are staged on disk as they arrive (memory stays flat), and when
the spider closes they are grouped per publication (``RunStaging``), merged into one row
each (``merge_sightings``), translation pairs are linked, and the rows are committed to
``OUTPUT/publications/`` with one row in ``OUTPUT/runs/`` (``DatasetStore``): new rows
added, changed rows updated, the rest kept; written beside the old files and switched
atomically. The output directory is locked for the whole run.

Settings: ``REGMIG_OUTPUT`` (directory, default "output"), ``REGMIG_DATASET_ENABLED``,
``REGMIG_STRICT`` (partial failures give exit status 3), ``REGMIG_CRAWL_ID`` (default: a
fresh UTC timestamp id).

Stats: ``regmig/dataset/staged``, ``regmig/dataset/publications``,
``regmig/dataset/new|changed|unchanged|not_seen``, ``regmig/dataset/dropped/not_publication``,
``regmig/dataset/translation_pairs``, ``regmig/dataset/commit_failed``.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from regmig_scraper import __version__
from regmig_scraper.dataset.merge import link_translations, merge_sightings
from regmig_scraper.dataset.schema import PUBLICATIONS_INPUT_SCHEMA
from regmig_scraper.dataset.staging import RunStaging
from regmig_scraper.dataset.store import DatasetStore, RunInfo
from regmig_scraper.quality import (
    DEFAULT_MIN_FILL_RATES,
    fill_rate_violations,
    fill_rates,
    parse_min_fill_rates,
)
from regmig_scraper.sites.base import get_site
from regmig_scraper.status import EXIT_FAILED, decide_exit, drops_and_errors

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def new_crawl_id(now: dt.datetime) -> str:
    """A sortable, readable run id: ``20261128T181500Z-<pid>``."""
    import os

    return f"{now.strftime('%Y%m%dT%H%M%S')}Z-{os.getpid()}"


class DatasetPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.output = Path(settings.get("REGMIG_OUTPUT", "output")).resolve()
        self.strict = settings.getbool("REGMIG_STRICT", False)
        self.site = get_site(settings.get("REGMIG_SITE", "mpi"))
        self.min_fill_rates = parse_min_fill_rates(
            settings.getdict("REGMIG_MIN_FILL_RATES", DEFAULT_MIN_FILL_RATES),
            PUBLICATIONS_INPUT_SCHEMA.names,
        )
        self.started_at = dt.datetime.now(dt.UTC)
        self.crawl_id = settings.get("REGMIG_CRAWL_ID") or new_crawl_id(self.started_at)
        self.store = DatasetStore(self.output)
        self.staging: RunStaging | None = None
        self._lock: Any = None
        self.result: dict[str, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DatasetPipeline:
        if not crawler.settings.getbool("REGMIG_DATASET_ENABLED", True):
            raise NotConfigured("REGMIG_DATASET_ENABLED is off")
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        self.output.mkdir(parents=True, exist_ok=True)
        self._lock = self.store.lock()
        self._lock.__enter__()
        self.staging = RunStaging(self.output / f".staging-{self.crawl_id}.sqlite")

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        assert self.staging is not None
        self.staging.add(dict(item))
        self.crawler.stats.inc_value("regmig/dataset/staged")
        return item

    def close_spider(self, spider: Spider | None = None) -> None:
        """Nothing here: the commit needs the close reason, given to ``spider_closed``."""

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        try:
            rows = self._merge_rows()
            pairs = link_translations(rows)
            stats.set_value("regmig/dataset/translation_pairs", pairs)
            stats.set_value("regmig/dataset/publications", len(rows))
            self._check_quality(rows)
            status, why = decide_exit(
                stats.get_stats(), publications=len(rows), reason=reason, strict=self.strict
            )
            drops, errors = drops_and_errors(stats.get_stats())
            run = RunInfo(
                crawl_id=self.crawl_id,
                started_at=self.started_at,
                finished_at=dt.datetime.now(dt.UTC),
                start_url=getattr(spider, "start_url", None),
                pages_fetched=int(stats.get_value("regmig/listing/pages", 0))
                + int(stats.get_value("regmig/pages/fetched", 0)),
                drops=drops,
                errors=errors,
                exit_status=status,
                package_version=__version__,
                translation_pairs=pairs,
                stats=stats.get_stats(),
            )
            if not rows or status == EXIT_FAILED:
                logger.error("Nothing written (%s): the dataset is left as it was", why)
                self.result = {"status": status, "reason": why, "publications": 0}
                return
            outcome = self.store.commit(rows, run)
            for name in ("new", "changed", "unchanged", "not_seen"):
                stats.set_value(f"regmig/dataset/{name}", getattr(outcome, name))
            self.result = {"status": status, "reason": why, "publications": len(rows)}
            logger.info(
                "Wrote %s publications to %s (%s new, %s changed, %s unchanged, %s not seen)",
                len(rows),
                self.output / "publications",
                outcome.new,
                outcome.changed,
                outcome.unchanged,
                outcome.not_seen,
            )
        except Exception:
            stats.set_value("regmig/dataset/commit_failed", 1)
            logger.exception("Could not write the dataset; the previous one is left untouched")
            raise
        finally:
            if self.staging is not None:
                self.staging.close()
            if self._lock is not None:
                self._lock.__exit__(None, None, None)
                self._lock = None

    def _check_quality(self, rows: list[dict[str, Any]]) -> None:
        """Fail the run when a key column's fill rate drops: the site may have changed."""
        if not rows:
            return
        rates = fill_rates(rows, PUBLICATIONS_INPUT_SCHEMA.names)
        for column, message in fill_rate_violations(rates, self.min_fill_rates).items():
            logger.error("Quality gate: %s", message)
            self.crawler.stats.set_value(f"regmig/quality/failed/{column}", 1)

    def _merge_rows(self) -> list[dict[str, Any]]:
        assert self.staging is not None
        stats = self.crawler.stats
        rows = []
        for _key, records in self.staging.groups():
            row = merge_sightings(
                records,
                is_publication_kind=self.site.is_publication_kind,
                resolve=self.staging.resolve,
            )
            if row is None:
                stats.inc_value("regmig/dataset/dropped/not_publication")
                continue
            if not row["page_fetched"]:
                stats.inc_value("regmig/dataset/page_missing")
            rows.append(row)
        return rows
