"""``ContentTypePipeline`` sets ``content_type`` from ``content_type_label`` (kept as is) and
never drops an item.
Settings (defaults in ``regmig_scraper.settings``):

- ``REGMIG_CONTENT_TYPES_ENABLED``: switch the pipeline off.
- ``REGMIG_CONTENT_TYPES_EXTRA`` (dict label -> code, {}): labels added to, or overriding, the
  vocabulary. A code outside ``CONTENT_TYPES`` is a configuration error (``ValueError``).

Stats: ``regmig/content_type/mapped/<code>`` for known labels, ``regmig/content_type/unknown``
(the label is logged once per crawl at INFO), ``regmig/content_type/missing`` for items
without a label.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pipelines import CountingPipeline, record_fields, site_rules
from regmig_scraper.normalize.content_types import make_mapper

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from regmig_scraper.normalize.site_rules import SiteRules

logger = logging.getLogger(__name__)


class ContentTypePipeline(CountingPipeline):
    """Set ``content_type`` from ``content_type_label`` (see the module docstring)."""

    def __init__(
        self,
        *,
        extra: Mapping[str, str] | None = None,
        rules: Mapping[str, SiteRules] | None = None,
        stats: StatsCollector | None = None,
    ) -> None:
        self.map = make_mapper(extra)
        # A site's own labels, then the project's REGMIG_CONTENT_TYPES_EXTRA over them.
        self.map_by_site = {
            name: make_mapper({**site.content_types, **(extra or {})})
            for name, site in (rules or {}).items()
            if site.content_types
        }
        super().__init__(stats)  # outcome counts, added to the stats in close_spider
        self._logged_unknown: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContentTypePipeline:
        from scrapy.exceptions import NotConfigured

        settings = crawler.settings
        if not settings.getbool("REGMIG_CONTENT_TYPES_ENABLED"):
            raise NotConfigured("REGMIG_CONTENT_TYPES_ENABLED is off")
        return cls(
            extra=settings.getdict("REGMIG_CONTENT_TYPES_EXTRA"),
            rules=site_rules(settings),
            stats=crawler.stats,
        )

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = record_fields(item)
        label = adapter.get("content_type_label")
        if label is not None and not isinstance(label, str):
            label = str(label)
        code, known = self.map_by_site.get(adapter.get("site"), self.map)(label)
        adapter["content_type"] = code
        if code is None:
            self._inc("regmig/content_type/missing")
        elif known:
            self._inc(f"regmig/content_type/mapped/{code}")
        else:
            self._inc("regmig/content_type/unknown")
            if label not in self._logged_unknown:
                self._logged_unknown.add(label)
                logger.info("unknown content type label %r mapped to %r", label, code)
        return item
