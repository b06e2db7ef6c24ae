"""``DatePipeline`` applies ``parse_date`` to ``date_raw`` (into ``published``, ``date_precision``,
``date_flag``), to ``posted_raw`` (into ``posted``) and to ``modified_raw`` (into ``modified``).

An event's date (``page_kind`` or ``content_type`` ``event``/``webinar``) after the crawl's
date is its date: kept with ``date_flag = "future"`` up to ``REGMIG_DATES_FUTURE_DAYS`` ahead,
counted as parsed (and under ``regmig/dates/future``), never as a failure.
Settings (defaults in ``regmig_scraper.settings``):

- ``REGMIG_DATES_ENABLED``: switch the pipeline off.
- ``REGMIG_DATES_ORDER``: order of numeric dates; MPI is a US site (MM/DD/YYYY).
- ``REGMIG_DATES_LANGUAGES``: languages of month and weekday names.
- ``REGMIG_DATES_MIN_YEAR``: earlier dates are implausible.
- ``REGMIG_DATES_FUTURE_DAYS``: how far ahead an event's date may lie.
- ``REGMIG_DATES_TODAY``: the reference date (ISO 8601); empty: the day the crawl
  starts (read once). Set it in tests for deterministic output.

Stats: ``regmig/dates/parsed/<precision>``, ``regmig/dates/failed/<flag>``,
``regmig/dates/ambiguous``, ``regmig/dates/missing`` for ``date_raw``;
``regmig/dates/future`` for an upcoming event's date; ``regmig/dates/posted/parsed`` and
``regmig/dates/posted/failed/<flag>`` for ``posted_raw``, ``regmig/dates/modified/parsed`` and
``regmig/dates/modified/failed/<flag>`` for ``modified_raw``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pipelines import CountingPipeline, record_fields, site_rules
from regmig_scraper.normalize.dates import (
    DATE_ORDERS,
    FLAG_AMBIGUOUS,
    FLAG_FUTURE,
    ParsedDate,
    date_data_parser,
    parse_date,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from regmig_scraper.normalize.site_rules import SiteRules

logger = logging.getLogger(__name__)

# What says a record is an event (its page's node type, or its type code): its date may lie in
# the future.
EVENT_KINDS = frozenset({"event", "webinar"})


def is_event(record: Mapping[str, Any]) -> bool:
    """Whether a record is an event (its date is when it takes place)."""
    return record.get("page_kind") in EVENT_KINDS or record.get("content_type") in EVENT_KINDS


class DatePipeline(CountingPipeline):
    """Parse ``date_raw`` into ``published``/``date_precision``/``date_flag``, ``posted_raw``
    into ``posted``."""

    def __init__(
        self,
        *,
        today: dt.date,
        order: str = "MDY",
        languages: tuple[str, ...] = ("en", "es"),
        min_year: int = 1990,
        future_days: int = 0,
        rules: Mapping[str, SiteRules] | None = None,
        stats: StatsCollector | None = None,
    ) -> None:
        self.today = today
        self.order = _checked_order(order)
        self.languages = tuple(languages)
        self.min_year = min_year
        self.future_days = future_days
        # (order, languages) of each site that says its own; the settings' for the others.
        self.conventions: dict[str | None, tuple[str, tuple[str, ...]]] = {
            name: (
                _checked_order(site.date_order or self.order),
                tuple(site.languages) or self.languages,
            )
            for name, site in (rules or {}).items()
        }
        super().__init__(stats)  # outcome counts, added to the stats in close_spider
        # Build the dateparser instances now: a bad language code fails here, not mid-crawl.
        for order, languages in {(self.order, self.languages), *self.conventions.values()}:
            date_data_parser(languages, order, self.today)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DatePipeline:
        from scrapy.exceptions import NotConfigured

        settings = crawler.settings
        if not settings.getbool("REGMIG_DATES_ENABLED"):
            raise NotConfigured("REGMIG_DATES_ENABLED is off")
        # The crawl's start date, read once; REGMIG_DATES_TODAY pins it (tests, re-runs).
        today_setting = settings.get("REGMIG_DATES_TODAY")
        today = dt.date.fromisoformat(str(today_setting)) if today_setting else dt.date.today()
        return cls(
            today=today,
            order=settings.get("REGMIG_DATES_ORDER"),
            languages=tuple(settings.getlist("REGMIG_DATES_LANGUAGES")),
            min_year=settings.getint("REGMIG_DATES_MIN_YEAR"),
            future_days=settings.getint("REGMIG_DATES_FUTURE_DAYS"),
            rules=site_rules(settings),
            stats=crawler.stats,
        )

    def _parse(self, raw: Any, site: str | None = None, *, event: bool = False) -> ParsedDate:
        order, languages = self.conventions.get(site, (self.order, self.languages))
        return parse_date(
            raw,
            today=self.today,
            order=order,
            languages=languages,
            min_year=self.min_year,
            future_days=self.future_days if event else 0,
        )

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = record_fields(item)
        site = adapter.get("site")
        parsed = self._parse(adapter.get("date_raw"), site, event=is_event(adapter))
        adapter["published"] = parsed.value
        adapter["date_precision"] = parsed.precision
        adapter["date_flag"] = parsed.flag
        if parsed.value is not None:
            self._inc(f"regmig/dates/parsed/{parsed.precision}")
            if parsed.flag == FLAG_AMBIGUOUS:
                self._inc("regmig/dates/ambiguous")
            elif parsed.flag == FLAG_FUTURE:
                self._inc("regmig/dates/future")
        elif parsed.flag is not None:
            self._inc(f"regmig/dates/failed/{parsed.flag}")
            logger.debug("date %r not parsed (%s)", adapter.get("date_raw"), parsed.flag)
        else:
            self._inc("regmig/dates/missing")

        self._parse_other(adapter, "posted", site)
        if adapter.get("modified_raw") is not None:
            self._parse_other(adapter, "modified", site)
        return item

    def _parse_other(self, adapter: Any, field: str, site: str | None) -> None:
        """``<field>_raw`` into ``<field>`` (an event's posting date, a page's modification
        date), counted under ``regmig/dates/<field>/``."""
        raw = adapter.get(f"{field}_raw")
        parsed = self._parse(raw, site)
        adapter[field] = parsed.value
        if parsed.value is not None:
            self._inc(f"regmig/dates/{field}/parsed")
        elif parsed.flag is not None:
            self._inc(f"regmig/dates/{field}/failed/{parsed.flag}")
            logger.debug("%s date %r not parsed (%s)", field, raw, parsed.flag)


def _checked_order(order: str) -> str:
    if order.upper() not in DATE_ORDERS:
        raise ValueError(f"REGMIG_DATES_ORDER must be one of {DATE_ORDERS}, not {order!r}")
    return order.upper()
