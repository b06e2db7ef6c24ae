"""``ProvenancePipeline`` counts which rule produced each field of each page record.

A record's ``provenance`` maps a field to the rule that read it: a site module's selectors
(``"mpi"``) or a rule of the generic cascade (``"generic:jsonld"``, ``"generic:byline_text"``,
...; ``regmig_scraper.metadata``). Stats: ``regmig/extract/rule/<field>/<rule>`` for every
field, and ``regmig/extract/fallback/<field>`` for a field the site module could not find and
the cascade filled. No settings; it only counts (the merge keeps the page's provenance).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipelines import CountingPipeline, record_fields
from regmig_scraper.metadata.record import GENERIC_RULE_PREFIX

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class ProvenancePipeline(CountingPipeline):
    """Count each record's field -> rule pairs (see the module docstring)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProvenancePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        provenance = record_fields(item).get("provenance")
        if not provenance:
            return item
        site_read = record_fields(item).get("site")
        for field, rule in sorted(provenance.items()):
            self._inc(f"regmig/extract/rule/{field}/{rule}")
            # A fallback: a site module read the page, and the cascade answered this field.
            if site_read and rule.startswith(GENERIC_RULE_PREFIX):
                self._inc(f"regmig/extract/fallback/{field}")
        return item
