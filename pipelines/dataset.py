"""Write the run's records into the deduplicated Parquet dataset under ``REGMIG_OUTPUT``.

A thin Scrapy adapter around ``regmig_scraper.dataset.run.RunWriter``, which stages,
merges, gates, decides the exit status and commits without knowing Scrapy: this reads the
settings once, hands every item to the writer, and connects the writer's end to Scrapy's
signals (``spider_closed`` gives the close reason the commit needs, ``engine_stopped`` comes
after Scrapy wrote its last state into ``JOBDIR``, when a finished run's job directory can go).

Resumable runs (Scrapy's ``JOBDIR`` set, as ``regmig crawl --resume`` does with
``OUTPUT/.job``): records go to a journal in the job directory
(``regmig_scraper.dataset.journal``); a run that stops before it finishes commits nothing and
exits with ``INTERRUPTED_REASON``; the next run with the same ``JOBDIR`` continues it.

Settings (defaults in ``regmig_scraper.settings``): ``REGMIG_OUTPUT``, ``REGMIG_STRICT``
(partial failures give exit status 3), ``REGMIG_CRAWL_ID`` (empty: a fresh UTC timestamp id),
``REGMIG_MIN_FILL_RATES`` (the quality gate), ``REGMIG_SITES`` (each page's site says whether
its kind is a publication),
the ``REGMIG_LANGUAGE_*`` settings (detection of merged rows), ``JOBDIR`` (Scrapy's; makes the
run resumable), and ``REGMIG_ARROW_MEMORY_POOL`` (applied before this module loads pyarrow, by
``regmig_scraper.arrow_memory.ArrowMemoryAddon``).

Stats: ``regmig/dataset/staged`` here; the rest are the writer's (see its module).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from pipelines import stats_counter
from pipelines.language import LanguagePipeline
from regmig_scraper.arrow_memory import memory_pool_in_use
from regmig_scraper.dataset.run import OutputUnwritableError, RunWriter
from regmig_scraper.dataset.schema import PUBLICATIONS_INPUT_SCHEMA
from regmig_scraper.quality import parse_min_fill_rates
from regmig_scraper.sites.registry import load_sites
from regmig_scraper.status import INTERRUPTED_REASON

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from scrapy import Spider
    from scrapy.crawler import Crawler

    from regmig_scraper.sites.base import SiteExtractor

__all__ = ["INTERRUPTED_REASON", "DatasetPipeline"]

logger = logging.getLogger(__name__)


def publication_judge(
    sites: Mapping[str, type[SiteExtractor]], forced: str | None = None
) -> Callable[[Mapping[str, Any]], bool]:
    """``page -> bool``: whether a page record is a publication, as its own site says (the
    site named in ``record["site"]``, else the forced one; a page of no known site is)."""
    extractors = {name: site() for name, site in sites.items()}

    def is_publication(page: Mapping[str, Any]) -> bool:
        site = extractors.get(page.get("site") or forced or "")
        return site is None or site.is_publication_kind(page.get("page_kind"))

    return is_publication


class DatasetPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        jobdir = settings.get("JOBDIR")
        self.writer = RunWriter(
            Path(settings.get("REGMIG_OUTPUT")).resolve(),
            stats=crawler.stats,
            is_publication=publication_judge(load_sites(settings), settings.get("REGMIG_SITE")),
            detect_language=LanguagePipeline.from_settings(settings).detector(),
            min_fill_rates=parse_min_fill_rates(
                settings.getdict("REGMIG_MIN_FILL_RATES"), PUBLICATIONS_INPUT_SCHEMA.names
            ),
            strict=settings.getbool("REGMIG_STRICT"),
            crawl_id=settings.get("REGMIG_CRAWL_ID") or "",
            job_dir=Path(jobdir).resolve() if jobdir else None,
        )
        self.crawler = crawler
        self._count_staged = stats_counter(crawler.stats)
        logger.debug("pyarrow allocates with %s", memory_pool_in_use())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DatasetPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.engine_stopped, signal=signals.engine_stopped)
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        try:
            self.writer.open()
        except OutputUnwritableError as error:
            # Said once, without a traceback; the crawl stops before its first request (its
            # pages could not be kept) and the exit is the writer's: status 1, this reason.
            logger.error("regmig: %s", error)
            self.crawler.signals.connect(self._stop_crawl, signal=signals.spider_opened)

    def _stop_crawl(self, spider: Spider) -> None:
        from scrapy.utils.defer import deferred_from_coro

        engine = self.crawler.engine
        if engine is None:
            return
        if hasattr(engine, "close_spider_async"):  # Scrapy >= 2.14
            deferred_from_coro(engine.close_spider_async(reason="output_unwritable"))
        else:
            engine.close_spider(spider, reason="output_unwritable")

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if self.writer.open_failed:
            return item  # nowhere to stage it; the run already failed
        self.writer.add(item)
        self._count_staged("regmig/dataset/staged")
        return item

    def close_spider(self, spider: Spider | None = None) -> None:
        """Nothing here: the commit needs the close reason, given to ``spider_closed``."""

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.writer.finish(reason, getattr(spider, "start_url", None))

    def engine_stopped(self) -> None:
        self.writer.remove_job()
