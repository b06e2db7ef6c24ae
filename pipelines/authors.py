"""``AuthorsPipeline`` sets ``item["authors"] = split_authors(item["authors_raw"])``.
Settings (defaults in ``regmig_scraper.settings``):
``REGMIG_AUTHORS_ENABLED``. Stats: ``regmig/authors/split`` (items with at least one
author), ``regmig/authors/empty`` (items with none, whatever the reason),
``regmig/authors/rejected/<reason>`` (``not_byline``, ``sentence``, ``single_word``,
``no_names``, ``too_long``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pipelines import CountingPipeline, record_fields
from regmig_scraper.normalize.authors import split_authors_detailed

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class AuthorsPipeline(CountingPipeline):
    """Set ``authors`` from ``authors_raw`` (see the module docstring)."""

    def __init__(self, *, stats: StatsCollector | None = None) -> None:
        super().__init__(stats)  # outcome counts, added to the stats in close_spider

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AuthorsPipeline:
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("REGMIG_AUTHORS_ENABLED"):
            raise NotConfigured("REGMIG_AUTHORS_ENABLED is off")
        return cls(stats=crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = record_fields(item)
        raw = adapter.get("authors_raw")
        if isinstance(raw, list | tuple):
            raw = "\n".join(str(v) for v in raw if v is not None)
        elif raw is not None and not isinstance(raw, str):
            raw = str(raw)
        result = split_authors_detailed(raw)
        adapter["authors"] = list(result.names)
        if result.names:
            self._inc("regmig/authors/split")
        else:
            self._inc("regmig/authors/empty")
            if result.reason is not None:
                self._inc(f"regmig/authors/rejected/{result.reason}")
                logger.debug("byline %r rejected (%s)", raw, result.reason)
        return item
