"""The program spider: a program page, every block and pager on it, every teaser's page.

It only routes. ``REGMIG_SITE`` picks the site extractor (default "mpi"); the extractor
reads the pages. Listing pages are followed only on the start page's own path, with their
URLs normalized (``page``/``qt-*`` only, Drupal's pager vector isolated) so pagers cannot
loop; a pager page that shows nothing new ends its pager; ``REGMIG_MAX_PAGER_PAGE`` caps
how deep a pager is followed and ``REGMIG_MAX_LISTING_PAGES`` how many listing pages one run
requests (a site generating pager or tab links without end cannot keep the crawl going).
Rows a block already showed are read as bare sightings (``repeat``), and each publication
page is requested once. Teasers are followed to their
publication's page; when that page fails, the teaser's own record still reaches the
dataset, flagged there by ``page_fetched = false``.

Every page that fails is counted once, by reason (``_failure_reason``): HTTP errors after
Scrapy's retries, timeouts, resets, size limits, robots.txt, offsite redirects (dropped by
Scrapy without calling the errback, counted here from the ``request_scheduled`` signal) and
redirect loops (dropped by the duplicate filter, counted from ``request_dropped``). A redirect
to a page already fetched from another link is requested once more so that the page's record
names the teaser's URL as an alias (otherwise the teaser would become a second row). Pages
whose declared charset is missing or wrong are decoded again (``sites.encoding``).

Arguments: ``start_url`` (any program page of the site, or of a copy of it served
elsewhere: allowed domains follow its host).

Stats: ``regmig/listing/pages``, ``regmig/listing/teasers``,
``regmig/listing/skipped/<reason>``, ``regmig/listing/repeats``,
``regmig/listing/exhausted`` (pager pages with nothing new), ``regmig/listing/pager_capped``
(links past the pager cap), ``regmig/listing/limit_reached`` (links past
``REGMIG_MAX_LISTING_PAGES``),
``regmig/listing/failed/<reason>``, ``regmig/pages/fetched``,
``regmig/pages/failed/<reason>``, ``regmig/pages/redirect_refetched``,
``regmig/encoding/repaired/<reason>``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from regmig_scraper.sites.base import SiteExtractor, get_site
from regmig_scraper.sites.encoding import repair_encoding
from regmig_scraper.status import LIMIT_REACHED
from regmig_scraper.urls import normalize_url, page_vector_of

logger = logging.getLogger(__name__)

PUBLICATION_PRIORITY = 10
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
        self.max_listing_pages = 0
        # Listing URLs requested so far: bounded by max_listing_pages.
        self._listing_requested: set[str] = set()
        self._limit_warned = False  # REGMIG_MAX_LISTING_PAGES reached: warned once
        # What this crawl already handled: memory grows with the site's publications (a
        # few dozen bytes each), not with its listing pages.
        self._publications_requested: set[str] = set()
        self._teasers_seen: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ProgramSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.site = get_site(crawler.settings.get("REGMIG_SITE", "mpi"))
        spider.max_pager_page = crawler.settings.getint("REGMIG_MAX_PAGER_PAGE")
        spider.max_listing_pages = crawler.settings.getint("REGMIG_MAX_LISTING_PAGES")
        crawler.signals.connect(spider.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        assert self.site is not None
        start = self.site.listing_url(self.start_url)
        self._listing_requested.add(start)
        yield scrapy.Request(
            start,
            callback=self.parse_listing,
            errback=self.listing_failed,
        )

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def _decoded(self, response: TextResponse) -> TextResponse:
        response, repair = repair_encoding(response)
        if repair is not None:
            self._inc(f"regmig/encoding/repaired/{repair}")
            logger.info("Decoded %s as %s (%s)", response.url, response.encoding, repair)
        return response

    def _seen_before(self, url: str, block: str | None) -> bool:
        """Whether ``block`` already showed ``url`` in this crawl (and remember it if not)."""
        key = hash((url, block))
        if key in self._teasers_seen:
            self._inc("regmig/listing/repeats")
            return True
        self._teasers_seen.add(key)
        return False

    def parse_listing(self, response: Response) -> Iterator[Any]:
        assert self.site is not None
        if not isinstance(response, TextResponse):
            self._inc("regmig/listing/failed/not_html")
            return
        response = self._decoded(response)
        self._inc("regmig/listing/pages")
        page = self.site.extract_listing(response, seen=self._seen_before)
        for reason, count in sorted(page.skipped.items()):
            self._inc(f"regmig/listing/skipped/{reason}", count)
        for teaser in page.teasers:
            self._inc("regmig/listing/teasers")
            yield teaser
            request_url = normalize_url(teaser["request_url"])
            if request_url in self._publications_requested:
                continue  # the duplicate filter would drop it; skip the round trip
            self._publications_requested.add(request_url)
            yield scrapy.Request(
                request_url,
                callback=self.parse_publication,
                errback=self.publication_failed,
                # Publication pages before more listing pages: the queue of pending
                # requests stays short however large the site.
                priority=PUBLICATION_PRIORITY,
                meta={"program": page.program, "teaser_link": teaser["request_url"]},
            )
        if page_vector_of(response.url) and not any(not t.get("repeat") for t in page.teasers):
            # A pager page past the first that shows nothing new: the pager ran out (or
            # loops, or generates pages without end). Its links lead nowhere new.
            self._inc("regmig/listing/exhausted")
            return
        for url in page.listing_urls:
            if urlsplit(url).netloc.lower() != self._start_host:
                continue
            if urlsplit(url).path.rstrip("/") != self._start_path:
                continue
            if max(page_vector_of(url), default=0) > self.max_pager_page:
                self._inc("regmig/listing/pager_capped")
                continue
            if url in self._listing_requested:
                continue  # already requested (Scrapy's duplicate filter would drop it too)
            if len(self._listing_requested) >= self.max_listing_pages:
                if not self._limit_warned:
                    self._limit_warned = True
                    self.logger.warning(
                        "REGMIG_MAX_LISTING_PAGES (%s) reached: further listing pages are not "
                        "followed and the crawl will be incomplete",
                        self.max_listing_pages,
                    )
                self._inc(LIMIT_REACHED)
                continue
            self._listing_requested.add(url)
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.listing_failed)

    def parse_publication(self, response: Response) -> Iterator[Any]:
        assert self.site is not None
        if not isinstance(response, TextResponse):
            self._inc("regmig/pages/failed/not_html")
            return
        response = self._decoded(response)
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

    # -- requests Scrapy drops without calling the errback

    @staticmethod
    def _is_listing(request: scrapy.Request) -> bool:
        return getattr(request.callback, "__func__", None) is ProgramSpider.parse_listing

    def _failed_prefix(self, request: scrapy.Request) -> str:
        return "regmig/listing/failed/" if self._is_listing(request) else "regmig/pages/failed/"

    def _is_allowed_host(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith(f".{d}") for d in self.allowed_domains)

    def request_scheduled(self, request: scrapy.Request, spider: Any = None) -> None:
        """Count a redirect off the allowed domains: Scrapy's offsite filter drops it here,
        before it is ever downloaded, without calling the errback."""
        if not request.meta.get("redirect_urls") or request.dont_filter:
            return
        if request.meta.get("allow_offsite") or self._is_allowed_host(request.url):
            return
        self._inc(f"{self._failed_prefix(request)}offsite_redirect")
        logger.warning(
            "Redirect off the site not followed: %s -> %s",
            normalize_url(request.meta["redirect_urls"][0]),
            request.url,
        )

    def request_dropped(self, request: scrapy.Request, spider: Any = None) -> None:
        """A redirect the duplicate filter dropped: a loop (counted as a failure), or a
        redirect to a page already requested from another link (requested once more, without
        following further redirects, so that the page's record names this alias)."""
        chain = request.meta.get("redirect_urls")
        if not chain or self.crawler.engine is None:
            return
        target = normalize_url(request.url)
        if target in {normalize_url(url) for url in chain}:
            self._inc(f"{self._failed_prefix(request)}redirect_loop")
            logger.warning("Redirect loop: %s -> %s", " -> ".join(chain), request.url)
            return
        if request.meta.get("regmig_refetched") or self._is_listing(request):
            return  # a listing page reached twice holds no alias worth a second request
        self._inc("regmig/pages/redirect_refetched")
        meta = {**request.meta, "regmig_refetched": True, "dont_redirect": True}
        self.crawler.engine.crawl(request.replace(dont_filter=True, meta=meta))


def _failure_url(failure: Failure) -> str:
    request = getattr(failure, "request", None)
    return normalize_url(request.url) if request is not None else "?"


# Reasons read from the message of an ``IgnoreRequest`` (Scrapy's middlewares all raise
# that one class), first match wins.
IGNORED_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"robots\.txt", re.IGNORECASE), "robots_txt"),
    (re.compile(r"offsite", re.IGNORECASE), "offsite_redirect"),
    (re.compile(r"max redirections", re.IGNORECASE), "too_many_redirects"),
    # HttpCompressionMiddleware: a gzip/deflate/brotli body over DOWNLOAD_MAXSIZE unpacked
    (re.compile(r"DOWNLOAD_MAXSIZE|max size", re.IGNORECASE), "too_large"),
    (re.compile(r"not in cache", re.IGNORECASE), "not_in_snapshot"),
)


@functools.cache
def _exception_reasons() -> tuple[tuple[tuple[type[BaseException], ...], str], ...]:
    """Download exceptions -> reason. Scrapy >= 2.13 wraps Twisted's errors in its own
    (``DownloadTimeoutError``...); both are listed so either gives the same reason."""
    from scrapy import exceptions as scrapy_errors
    from twisted.internet import error as tx_errors
    from twisted.web import client as tx_client

    def scrapy_types(*names: str) -> tuple[type[BaseException], ...]:
        return tuple(getattr(scrapy_errors, n) for n in names if hasattr(scrapy_errors, n))

    return (
        ((*scrapy_types("DownloadTimeoutError"), tx_errors.TimeoutError,
          tx_errors.TCPTimedOutError), "timeout"),
        ((*scrapy_types("CannotResolveHostError"), tx_errors.DNSLookupError), "dns"),
        ((*scrapy_types("DownloadConnectionRefusedError"), tx_errors.ConnectionRefusedError),
         "connection_refused"),
        # The HTTP/1.1 handler cancels a download only when the body passes DOWNLOAD_MAXSIZE
        # (announced by Content-Length, or counted while streaming).
        (scrapy_types("DownloadCancelledError"), "too_large"),
        (scrapy_types("ResponseDataLossError"), "data_loss"),
        ((*scrapy_types("DownloadFailedError"), tx_client.ResponseFailed,
          tx_client.ResponseNeverReceived, tx_errors.ConnectionLost, tx_errors.ConnectionDone),
         "connection_lost"),
    )  # fmt: skip


def _failure_reason(failure: Failure) -> str:
    """A short, stable reason: ``http_404``, ``timeout``, ``too_large``, ``robots_txt``..."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    value = failure.value
    if isinstance(value, HttpError):
        return f"http_{value.response.status}"
    if isinstance(value, IgnoreRequest):
        message = str(value)
        return next((reason for p, reason in IGNORED_REASONS if p.search(message)), "ignored")
    for types, reason in _exception_reasons():
        if types and isinstance(value, types):
            return reason
    return type(value).__name__.lower()
