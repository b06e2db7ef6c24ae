"""``AuthorsPipeline`` sets ``item["authors"] = split_authors(item["authors_raw"])``.
Settings (defaults in ``regmig_scraper.settings``):
``REGMIG_AUTHORS_ENABLED``; ``REGMIG_AUTHORS_LANGUAGES``: the languages a byline is read in
("By"/"and", "Von"/"und", "Par"/"et"...), replaced by a site's own ``SiteRules.languages``
(MPI: English and Spanish). A record whose extractor already split its byline into people (the
generic cascade sets ``authors`` beside ``authors_raw``) keeps that list.
Stats: ``regmig/authors/split`` (items with at least one author), ``regmig/authors/empty``
(items with none, whatever the reason),
``regmig/authors/rejected/<reason>`` (``not_byline``, ``sentence``, ``single_word``,
``no_names``, ``too_long``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pipelines import CountingPipeline, record_fields, site_rules
from regmig_scraper.normalize.authors import DEFAULT_LANGUAGES, split_authors_detailed

if TYPE_CHECKING:
    from collections.abc import Mapping

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from regmig_scraper.normalize.site_rules import SiteRules

logger = logging.getLogger(__name__)


class AuthorsPipeline(CountingPipeline):
    """Set ``authors`` from ``authors_raw`` (see the module docstring)."""

    def __init__(
        self,
        *,
        languages: tuple[str, ...] = DEFAULT_LANGUAGES,
        rules: Mapping[str, SiteRules] | None = None,
        stats: StatsCollector | None = None,
    ) -> None:
        super().__init__(stats)  # outcome counts, added to the stats in close_spider
        self.languages = tuple(languages)
        self.site_languages = {
            name: tuple(site.languages) for name, site in (rules or {}).items() if site.languages
        }

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AuthorsPipeline:
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("REGMIG_AUTHORS_ENABLED"):
            raise NotConfigured("REGMIG_AUTHORS_ENABLED is off")
        return cls(
            languages=tuple(crawler.settings.getlist("REGMIG_AUTHORS_LANGUAGES")),
            rules=site_rules(crawler.settings),
            stats=crawler.stats,
        )

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = record_fields(item)
        raw = adapter.get("authors_raw")
        if isinstance(raw, list | tuple):
            raw = "\n".join(str(v) for v in raw if v is not None)
        elif raw is not None and not isinstance(raw, str):
            raw = str(raw)
        split = adapter.get("authors")
        if isinstance(split, list | tuple) and split:  # split by the extractor already
            adapter["authors"] = list(split)
            self._inc("regmig/authors/split")
            return item
        languages = self.site_languages.get(adapter.get("site"), self.languages)
        result = split_authors_detailed(raw, languages=languages)
        adapter["authors"] = list(result.names)
        if result.names:
            self._inc("regmig/authors/split")
        else:
            self._inc("regmig/authors/empty")
            if result.reason is not None:
                self._inc(f"regmig/authors/rejected/{result.reason}")
                logger.debug("byline %r rejected (%s)", raw, result.reason)
        return item
