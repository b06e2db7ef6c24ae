"""The program spider: a program page, every block and pager on it, every teaser's page.

It only routes. ``REGMIG_SITE`` picks the site extractor (default "mpi"); the extractor
reads the pages. Listing pages are followed only on the start page's own path, with their
URLs normalized (``page``/``qt-*`` only, Drupal's pager vector isolated) so pagers cannot
loop; ``REGMIG_MAX_PAGER_PAGE`` caps how deep a pager is followed. Teasers are followed to
their publication's page; when that page fails, the teaser's own record still reaches the
dataset, flagged there by ``page_fetched = false``.

Arguments: ``start_url`` (any program page of the site, or of a copy of it served
elsewhere: allowed domains follow its host).

Stats: ``regmig/listing/pages``, ``regmig/listing/teasers``,
``regmig/listing/skipped/<reason>``, ``regmig/listing/pager_capped``,
``regmig/pages/fetched``, ``regmig/pages/failed/<reason>``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from regmig_scraper.sites.base import SiteExtractor, get_site
from regmig_scraper.urls import normalize_url, page_vector_of

logger = logging.getLogger(__name__)

DEFAULT_START_URL = "https://www.migrationpolicy.org/programs/regional-migration"


class ProgramSpider(scrapy.Spider):
    name = "program"

    def __init__(self, start_url: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_url = (start_url or DEFAULT_START_URL).strip()
        parts = urlsplit(self.start_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"start_url must be an http(s) URL, got {self.start_url!r}")
        self.allowed_domains = [parts.hostname]
        self._start_host = parts.netloc.lower()
        self._start_path = parts.path.rstrip("/")
        self.site: SiteExtractor | None = None
        self.max_pager_page = 0

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ProgramSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.site = get_site(crawler.settings.get("REGMIG_SITE", "mpi"))
        spider.max_pager_page = crawler.settings.getint("REGMIG_MAX_PAGER_PAGE", 500)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        assert self.site is not None
        yield scrapy.Request(
            self.site.listing_url(self.start_url),
            callback=self.parse_listing,
            errback=self.listing_failed,
        )

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        assert self.site is not None
        if not isinstance(response, TextResponse):
            self._inc("regmig/listing/failed/not_html")
            return
        self._inc("regmig/listing/pages")
        page = self.site.extract_listing(response)
        for reason, count in sorted(page.skipped.items()):
            self._inc(f"regmig/listing/skipped/{reason}", count)
        for teaser in page.teasers:
            self._inc("regmig/listing/teasers")
            yield teaser
            yield scrapy.Request(
                normalize_url(teaser["request_url"]),
                callback=self.parse_publication,
                errback=self.publication_failed,
                meta={"program": page.program, "teaser_link": teaser["request_url"]},
            )
        for url in page.listing_urls:
            if urlsplit(url).netloc.lower() != self._start_host:
                continue
            if urlsplit(url).path.rstrip("/") != self._start_path:
                continue
            if max(page_vector_of(url), default=0) > self.max_pager_page:
                self._inc("regmig/listing/pager_capped")
                continue
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.listing_failed)

    def parse_publication(self, response: Response) -> Iterator[Any]:
        assert self.site is not None
        if not isinstance(response, TextResponse):
            self._inc("regmig/pages/failed/not_html")
            return
        record = self.site.extract_publication(response)
        if record.get("page_kind") is None:
            # No node, no type label, no date: an error page served as 200, a login wall...
            # The teaser still gives the publication's row, flagged page_fetched = false.
            self._inc("regmig/pages/failed/not_a_publication_page")
            return
        self._inc("regmig/pages/fetched")
        yield record

    def listing_failed(self, failure: Failure) -> None:
        self._inc(f"regmig/listing/failed/{_failure_reason(failure)}")
        logger.warning("Listing page failed: %s (%s)", _failure_url(failure), failure.value)

    def publication_failed(self, failure: Failure) -> None:
        self._inc(f"regmig/pages/failed/{_failure_reason(failure)}")
        logger.warning("Publication page failed: %s (%s)", _failure_url(failure), failure.value)


def _failure_url(failure: Failure) -> str:
    request = getattr(failure, "request", None)
    return normalize_url(request.url) if request is not None else "?"


def _failure_reason(failure: Failure) -> str:
    """A short, stable reason: ``http_404``, ``timeout``, ``dns``, ``ignored``..."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import (
        ConnectionLost,
        ConnectionRefusedError,
        DNSLookupError,
        TCPTimedOutError,
        TimeoutError,
    )

    value = failure.value
    if isinstance(value, HttpError):
        return f"http_{value.response.status}"
    if isinstance(value, (TimeoutError, TCPTimedOutError)):
        return "timeout"
    if isinstance(value, DNSLookupError):
        return "dns"
    if isinstance(value, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(value, ConnectionLost):
        return "connection_lost"
    if isinstance(value, IgnoreRequest):
        return "ignored"
    return type(value).__name__.lower()
