"""``TextPipeline`` cleans ``title``, ``summary``, ``content_type_label``, ``date_raw``,
``posted_raw`` (one line each; a value that is boilerplate as a whole becomes ``None``),
``body_text`` (lines kept) and ``authors_raw`` (whitespace and markup only, lines kept: the byline
splitter needs them, and field labels such as "Speakers:" must reach it), with the shared
boilerplate rules plus those of the record's site (its ``SiteRules``: name and chrome).
Settings (defaults in ``regmig_scraper.settings``):

- ``REGMIG_TEXT_ENABLED``: switch the pipeline off.
- ``REGMIG_TEXT_MAX_CHARS``: longest title/summary/label/date/byline; longer values
  are cut at a word boundary.
- ``REGMIG_TEXT_MAX_BODY_CHARS``: same for ``body_text``.

Stats: ``regmig/text/removed/<rule>`` once per removed line or segment (or whole value),
``regmig/text/emptied/<field>`` when a non-blank value became ``None``,
``regmig/text/truncated/<field>``, ``regmig/text/markup/<field>`` when tags were stripped
(also tags that appear only once entities are unescaped, "&lt;script&gt;": stripped again, at
most ``MAX_MARKUP_ROUNDS`` times, then anything still tag-shaped is dropped).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pipelines import CountingPipeline, record_fields, site_rules
from regmig_scraper.normalize.text import (
    AUTHORS_FIELD,
    BODY_FIELD,
    CLEAN_CACHE_MAX_CHARS,
    SHARED,
    SINGLE_LINE_FIELDS,
    Boilerplate,
    FieldCleaning,
    boilerplate_for,
    clean_field,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from regmig_scraper.normalize.site_rules import SiteRules

logger = logging.getLogger(__name__)


# Distinct (field, short value) pairs remembered by one TextPipeline; a full cache starts over.
FIELD_CACHE_SIZE = 4_096


class TextPipeline(CountingPipeline):
    """Clean the text fields of every item in place (see the module docstring)."""

    def __init__(
        self,
        *,
        max_chars: int = 20000,
        max_body_chars: int = 200000,
        rules: Mapping[str, SiteRules] | None = None,
        stats: StatsCollector | None = None,
    ) -> None:
        if max_chars < 1 or max_body_chars < 1:
            raise ValueError("REGMIG_TEXT_MAX_CHARS and REGMIG_TEXT_MAX_BODY_CHARS must be >= 1")
        self.max_chars = max_chars
        self.max_body_chars = max_body_chars
        super().__init__(stats)  # outcome counts, added to the stats in close_spider
        # Each site's rule set: the shared rules plus its own name and chrome.
        self.boilerplate: dict[str | None, Boilerplate] = {
            name: boilerplate_for(site.names, site.chrome) for name, site in (rules or {}).items()
        }
        self._cache: dict[tuple[str | None, str, str], FieldCleaning] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TextPipeline:
        from scrapy.exceptions import NotConfigured

        settings = crawler.settings
        if not settings.getbool("REGMIG_TEXT_ENABLED"):
            raise NotConfigured("REGMIG_TEXT_ENABLED is off")
        return cls(
            max_chars=settings.getint("REGMIG_TEXT_MAX_CHARS"),
            max_body_chars=settings.getint("REGMIG_TEXT_MAX_BODY_CHARS"),
            rules=site_rules(settings),
            stats=crawler.stats,
        )

    def _cleaning(self, site: str | None, field: str, raw: Any) -> FieldCleaning:
        return clean_field(
            field,
            raw,
            max_chars=self.max_chars,
            max_body_chars=self.max_body_chars,
            boilerplate=self.boilerplate.get(site, SHARED),
        )

    def _clean_field(self, site: str | None, field: str, raw: Any) -> str | None:
        """``raw`` cleaned by ``site``'s rules, its stats counted. Short strings are cached per
        site and field (labels, dates, titles and bylines repeat across a site): a repeat costs
        one dict lookup."""
        if type(raw) is str and len(raw) <= CLEAN_CACHE_MAX_CHARS:
            key = (site, field, raw)
            cleaning = self._cache.get(key)
            if cleaning is None:
                if len(self._cache) >= FIELD_CACHE_SIZE:
                    self._cache.clear()
                cleaning = self._cache[key] = self._cleaning(site, field, raw)
        else:
            cleaning = self._cleaning(site, field, raw)
        for outcome in cleaning.outcomes:
            self._inc(f"regmig/text/{outcome}")
        if cleaning.emptied_by is not None:
            logger.debug("%s %r emptied by %s", field, raw[:80], cleaning.emptied_by)
        return cleaning.value

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = record_fields(item)
        site = adapter.get("site")
        for field in (*SINGLE_LINE_FIELDS, BODY_FIELD, AUTHORS_FIELD):
            raw = adapter.get(field)
            if raw is None:
                continue
            adapter[field] = self._clean_field(site, field, raw)
        return item
