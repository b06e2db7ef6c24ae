"""The program spider: a program page, every block and pager on it, every teaser's page.

It only schedules. Each start URL gets its site extractor, chosen by its host among the
classes ``REGMIG_SITES`` names over ``REGMIG_SITES_BASE`` (``REGMIG_SITE`` forces one for
every start URL; a host no site claims gets ``REGMIG_SITE_FALLBACK``, unless its start page's
canonical link names a host a site claims: a mirror is read by its site's module from its first
page on, ``regmig/sites/rechosen/<site>``), and every request
carries that site's name in ``meta["regmig_site"]``, so several programs on several sites
are crawled in one run. The site reads the pages and says which listing links belong to the
program, what each is (pager or tab, how deep) and whether a page continues a pager; the
spider follows those links once each, ends a pager whose page past the first shows nothing
new, and bounds the crawl: ``REGMIG_MAX_PAGER_PAGE`` caps how deep a pager is followed and
``REGMIG_MAX_LISTING_PAGES`` how many listing pages one run requests (a site generating
pager or tab links without end cannot keep the crawl going).
Rows a block already showed are read as bare sightings (``repeat``), and each publication
page is requested once. Teasers are followed to their
publication's page; when that page fails, the teaser's own record still reaches the
dataset, flagged there by ``page_fetched = false``. Every record names its site
(``site``).

Every page that fails is counted once, by reason (``_failure_reason``): HTTP errors after
Scrapy's retries, timeouts, resets, size limits, robots.txt, offsite redirects (dropped by
Scrapy without calling the errback, counted here from the ``request_scheduled`` signal) and
redirect loops (dropped by the duplicate filter, counted from ``request_dropped``), links
longer than ``URLLENGTH_LIMIT`` (which Scrapy's middleware drops silently: never requested,
counted as ``url_too_long``) and response headers too long for the HTTP client
(``header_too_large``, see ``regmig_scraper.http_limits``). A redirect
to a page already fetched from another link is requested once more so that the page's record
names the teaser's URL as an alias (otherwise the teaser would become a second row). Pages
whose declared charset is missing or wrong are decoded again (``sites.encoding``); documents
with no ``</html>`` are read and counted as truncated.

Arguments: ``start_url`` (any program page of a site, or of a copy of it served
elsewhere: allowed domains follow its host; a start URL that redirects is followed wherever
it leads, and the host it reaches joins the allowed domains) or ``start_urls`` (several,
separated by whitespace or commas, e.g. ``scrapy crawl program -a start_urls="URL1 URL2"``).

Stats: ``regmig/listing/pages``, ``regmig/listing/teasers``,
``regmig/listing/skipped/<reason>``, ``regmig/listing/repeats``,
``regmig/listing/exhausted`` (pager pages with nothing new), ``regmig/listing/pager_capped``
(links past the pager cap), ``regmig/listing/limit_reached`` (links past
``REGMIG_MAX_LISTING_PAGES``),
``regmig/listing/not_walked`` (incremental runs: pager pages not asked for, their block
showed nothing new; read from the cache, see ``regmig_scraper.incremental``),
``regmig/listing/not_walked_uncached``,
``regmig/listing/failed/<reason>``, ``regmig/pages/fetched``,
``regmig/pages/failed/<reason>`` (also ``url_too_long``: a URL over Scrapy's
``URLLENGTH_LIMIT``, which Scrapy would drop without a word), ``regmig/pages/redirect_refetched``,
``regmig/pages/dropped/duplicate`` and ``regmig/listing/dropped/duplicate`` (dropped by
Scrapy's duplicate filter), ``regmig/pages/truncated`` and ``regmig/listing/truncated``
(documents with no ``</html>``), ``regmig/pages/canonical_ignored/<reason>``,
``regmig/listing/start_redirected``, ``regmig/encoding/repaired/<reason>``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from regmig_scraper import http_limits
from regmig_scraper.incremental import (
    META_CACHE_ONLY,
    UNCACHED,
    TeaserMemory,
    teaser_memory,
)
from regmig_scraper.normalize.urls import normalize_url, url_key
from regmig_scraper.shutdown import SHUTDOWN_MESSAGE
from regmig_scraper.sites.base import (
    META_CANONICAL_IGNORED,
    META_TEASER_URL,
    PAGER,
    ListingLink,
    ListingPage,
    SiteExtractor,
    choose_site,
    unknown_site,
)
from regmig_scraper.sites.encoding import repair_encoding
from regmig_scraper.sites.markup import looks_truncated
from regmig_scraper.sites.registry import load_sites
from regmig_scraper.spiders.accelerators import FeedsAndSitemaps
from regmig_scraper.status import LIMIT_REACHED

logger = logging.getLogger(__name__)

PUBLICATION_PRIORITY = 10
# Pager pages an incremental run did not request: their block showed nothing new before.
NOT_WALKED = "regmig/listing/not_walked"
DEFAULT_START_URL = "https://www.migrationpolicy.org/programs/regional-migration"


# Request meta key: the name of the site a request's page belongs to.
META_SITE = "regmig_site"
# Request meta key: the request is a start URL's (its redirects are followed to any host:
# the page the start URL reached is the program, see ``_follow_moved_start``).
META_START = "regmig_start"
# Request meta key: a start page read by REGMIG_SITE_FALLBACK (its host is unclaimed): its
# response's canonical host may name a site module, which then reads the program (a mirror).
META_RECHOOSE = "regmig_rechoose"
# Start URLs given as one string (``-a start_urls=...``): separated by whitespace, or by a
# comma before the next URL (Drupal's pager values hold commas: ``page=0,0,2``).
START_URL_SEPARATOR = re.compile(r"\s+|,\s*(?=https?://)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Program:
    """One start URL and the site that reads its pages."""

    start_url: str
    site: str  # a key of ProgramSpider.sites
    # Chosen by REGMIG_SITE_FALLBACK: the start page's canonical host may choose again.
    by_fallback: bool = False


def split_start_urls(start_urls: str | Sequence[str] | None) -> list[str]:
    """The start URLs of a ``start_urls`` argument: a list, or one string of several."""
    if start_urls is None:
        return []
    if isinstance(start_urls, str):
        start_urls = START_URL_SEPARATOR.split(start_urls)
    return [url.strip() for url in start_urls if url and url.strip()]


def _checked_start_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"start_url must be an http(s) URL, got {url!r}")
    return url


def _site_choice(settings: BaseSettings) -> dict[str, str | None]:
    """``REGMIG_SITE`` (forced) and ``REGMIG_SITE_FALLBACK``, as ``choose_sites`` takes them."""
    return {
        "forced": settings.get("REGMIG_SITE"),
        "fallback": settings.get("REGMIG_SITE_FALLBACK"),
    }


def site_name_for(
    url: str, sites: Mapping[str, type[SiteExtractor]], forced: str | None, fallback: str | None
) -> str:
    """The site that reads ``url``'s pages: ``forced`` if set, else the one claiming its
    host, else ``fallback`` (logged: the crawl may read the pages poorly)."""
    for name in (forced, fallback):
        if name and name not in sites:
            raise unknown_site(name, sites)
    if forced:
        return forced
    host = urlsplit(url).hostname or ""
    name = choose_site(host, sites)
    if name is None:
        if not fallback:
            raise ValueError(f"no site module for host {host} and no REGMIG_SITE_FALLBACK")
        logger.info("no site module for host %s: using %s", host, fallback)
        return fallback
    return name


class ProgramSpider(FeedsAndSitemaps, scrapy.Spider):
    name = "program"

    def __init__(
        self,
        start_url: str | None = None,
        *args: Any,
        start_urls: str | Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        urls = split_start_urls([start_url or ""]) + split_start_urls(start_urls)
        self.start_urls = [_checked_start_url(u) for u in urls or [DEFAULT_START_URL]]
        # What the run's record names as its start (one URL, or several separated by spaces).
        self.start_url = " ".join(self.start_urls)
        self.allowed_domains = list(dict.fromkeys(urlsplit(u).hostname for u in self.start_urls))
        self.programs: list[Program] = []
        self.sites: dict[str, SiteExtractor] = {}  # name -> extractor, for the programs'
        self._site_classes: Mapping[str, type[SiteExtractor]] = {}
        self._settings: BaseSettings | None = None
        self.max_pager_page = 0
        self.max_listing_pages = 0
        self.max_url_length = 0  # Scrapy's URLLENGTH_LIMIT (0: none)
        # Listing URLs requested so far: bounded by max_listing_pages.
        self._listing_requested: set[str] = set()
        self._limit_warned = False  # REGMIG_MAX_LISTING_PAGES reached: warned once
        # What this crawl already handled: memory grows with the site's publications (a
        # few dozen bytes each), not with its listing pages.
        self._publications_requested: set[str] = set()
        self._teasers_seen: set[int] = set()
        # Incremental runs: what earlier runs' listings showed. Unless this run walks
        # everything, a pager is followed only while its pages show something new.
        self.memory: TeaserMemory | None = None
        self._not_walked: set[str] = set()  # pager pages left because nothing new led there
        self._not_walked_site: dict[str, str] = {}  # their site's name
        self.expected_from_feeds: set[str] = set()  # see spiders.accelerators
        self._named_hosts: dict[str, str] = {}  # see spiders.accelerators
        self._sitemap_pages: dict[str, set[str] | None] = {}  # see spiders.accelerators
        self._sitemaps_left: set[str] = set()  # see spiders.accelerators
        self._teaser_keys: set[str] = set()  # publications the listings showed (incremental)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ProgramSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.choose_sites(load_sites(settings), settings=settings, **_site_choice(settings))
        spider.max_pager_page = settings.getint("REGMIG_MAX_PAGER_PAGE")
        spider.max_listing_pages = settings.getint("REGMIG_MAX_LISTING_PAGES")
        spider.max_url_length = settings.getint("URLLENGTH_LIMIT")
        http_limits.install()  # a response header too long fails as header_too_large
        spider.memory = teaser_memory(crawler)
        if spider.memory is not None:
            crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    @classmethod
    def check(cls, settings: BaseSettings, start_urls: str | Sequence[str] | None) -> None:
        """Raise ValueError for a start URL or a site setting the crawl could not use (the
        command line checks before anything runs)."""
        spider = cls(start_urls=start_urls)
        spider.choose_sites(load_sites(settings), settings=settings, **_site_choice(settings))

    def choose_sites(
        self,
        sites: Mapping[str, type[SiteExtractor]],
        *,
        forced: str | None,
        fallback: str | None,
        settings: BaseSettings | None = None,
    ) -> None:
        """Give each start URL its site (one extractor per site, shared by its programs)."""
        self._site_classes, self._settings = sites, settings
        for url in self.start_urls:
            name = site_name_for(url, sites, forced, fallback)
            self._extractor(name)
            unclaimed = not forced and choose_site(urlsplit(url).hostname or "", sites) is None
            self.programs.append(Program(url, name, by_fallback=unclaimed))

    def _extractor(self, name: str) -> SiteExtractor:
        """The one extractor of site ``name`` (built from the settings if its class can)."""
        if name not in self.sites:
            site_class: Any = self._site_classes[name]
            if self._settings is not None and hasattr(site_class, "from_settings"):
                self.sites[name] = site_class.from_settings(self._settings)
            else:
                self.sites[name] = site_class()
        return self.sites[name]

    def _rechosen(self, response: TextResponse) -> SiteExtractor | None:
        """For a start page read by the fallback: the site its canonical host names (a
        mirror of a site a module claims), or None to keep the fallback."""
        if not response.meta.get(META_RECHOOSE):
            return None
        canonical = response.xpath(
            "//head/link[@rel='canonical']/@href | //head/meta[@property='og:url']/@content"
        ).get()
        host = urlsplit(response.urljoin(canonical.strip())).hostname if canonical else None
        name = choose_site(host, self._site_classes) if host else None
        if name is None or name == response.meta.get(META_SITE):
            return None
        logger.info("%s names host %s: read by site %s", response.url, host, name)
        self._inc(f"regmig/sites/rechosen/{name}")
        return self._extractor(name)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        for program in self.programs:
            start = self.sites[program.site].listing_url(program.start_url)
            if start in self._listing_requested:
                continue
            self._listing_requested.add(start)
            request = self._listing_request(start, program.site, **{META_START: True})
            # A start URL that redirects (no ``www``, a program page that moved) is followed
            # wherever it leads; its other requests keep to the allowed hosts.
            request.meta["allow_offsite"] = True
            if program.by_fallback:
                request.meta[META_RECHOOSE] = True
            yield request

    def _listing_request(self, url: str, site: str, **meta: Any) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            meta={META_SITE: site, **meta},
        )

    def _url_too_long(self, url: str, prefix: str) -> bool:
        """Whether Scrapy's ``URLLENGTH_LIMIT`` would drop a request for ``url`` (silently):
        counted here as a failure of the page instead, ``<prefix>url_too_long``."""
        if not self.max_url_length or len(url) <= self.max_url_length:
            return False
        self._inc(f"{prefix}url_too_long")
        logger.warning(
            "URL longer than URLLENGTH_LIMIT (%s), not requested: %s...",
            self.max_url_length,
            url[:200],
        )
        return True

    def _follow_moved_start(self, response: Response) -> None:
        """Count a start page reached through redirects (the site reads its final URL as
        the program's)."""
        chain = response.meta.get("redirect_urls")
        if response.meta.get(META_START) and chain:
            self._inc("regmig/listing/start_redirected")
            logger.info(
                "Start URL %s redirected to %s: crawling the program there", chain[0], response.url
            )

    def _allow_moved_start_host(self, request: scrapy.Request) -> None:
        """A start URL's redirect to another host: that host joins the allowed ones before
        the redirect is downloaded (so its robots.txt is fetched too, and the program's
        pager, tabs and publications are followed there)."""
        host = (urlsplit(request.url).hostname or "").lower()
        if host and not self._is_allowed_host(request.url):
            logger.info("Start URL moved to host %s: it joins the allowed domains", host)
            self.allowed_domains.append(host)

    def spider_idle(self, spider: Any = None) -> None:
        """Incremental runs: once the walk is over, read the pager pages it did not walk from
        their cached copies (no request), so the run sees every teaser a full walk would
        have, as the site last showed it; their own deeper pages follow the same way."""
        pending = sorted(self._not_walked - self._listing_requested)
        if not pending or self.crawler.engine is None:
            return
        # A feed named a new publication the walk has not met: walk on from the site.
        from_site = bool(self.expected_from_feeds - self._teaser_keys)
        for url in pending:
            if len(self._listing_requested) >= self.max_listing_pages:
                self._listing_limit_reached()
                break
            self._listing_requested.add(url)
            meta = {} if from_site else {META_CACHE_ONLY: True}
            if from_site:
                self._not_walked.discard(url)
                self._inc(NOT_WALKED, -1)
                self._inc("regmig/feeds/walked_on")
            request = self._listing_request(url, self._not_walked_site[url], **meta)
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def _site_of(self, response: Response) -> SiteExtractor:
        """The extractor of the site the response's request was made for (a request saved
        in a job directory before requests named their site: the first program's)."""
        name = response.meta.get(META_SITE) or self.programs[0].site
        # A resumed crawl's queue may name a site chosen again by a start page's canonical
        # host in the interrupted run: built on first use.
        return self.sites.get(name) or self._extractor(name)

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def _check_complete(self, response: TextResponse, kind: str) -> None:
        """Count a document that stops before its end (``regmig/<kind>/truncated``): its
        fields may be missing, a listing's last rows lost. The page is still read."""
        if looks_truncated(response.text):
            self._inc(f"regmig/{kind}/truncated")
            logger.warning("Truncated document (no </html>): %s", response.url)

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
        if UNCACHED in response.flags:
            # A page not walked that the cache does not hold either: nothing to read.
            self._inc("regmig/listing/not_walked_uncached")
            return
        if not isinstance(response, TextResponse):
            self._inc("regmig/listing/failed/not_html")
            return
        response = self._decoded(response)
        self._inc("regmig/listing/pages")
        self._check_complete(response, "listing")
        self._follow_moved_start(response)
        site = self._rechosen(response) or self._site_of(response)
        page = site.extract_listing(response, seen=self._seen_before)
        for reason, count in sorted(page.skipped.items()):
            self._inc(f"regmig/listing/skipped/{reason}", count)
        fresh = self._fresh_blocks(page)  # before the teasers go out (and are remembered)
        yield from self._follow_teasers(page, site)
        if page.is_continuation and all(t.get("repeat") for t in page.teasers):
            # A pager page past the first that shows nothing new: the pager ran out (or
            # loops, or generates pages without end). Its links lead nowhere new.
            self._inc("regmig/listing/exhausted")
            return
        yield from self._follow_listing_links(page, site, fresh)
        if response.meta.get(META_START):
            # incremental runs: the program's feeds and its site's sitemaps, one request each
            yield from self._accelerators(response, page.program, {META_SITE: site.name})

    def _fresh_blocks(self, page: ListingPage) -> set[str | None] | None:
        """The blocks of ``page`` that show a teaser earlier runs' listings did not (None
        when every pager is walked: not incremental, or a full walk). ``None`` in the set:
        the page shows something new somewhere."""
        if self.memory is None or self.memory.full_walk:
            return None
        fresh: set[str | None] = set()
        for teaser in page.teasers:
            if not self.memory.is_known(teaser):
                fresh.update((teaser.get("block"), None))
        return fresh

    def _walked_pager_links(
        self, page: ListingPage, fresh: set[str | None] | None
    ) -> set[str] | None:
        """The pager links of ``page`` an incremental run follows (None: every link).

        Listings are newest first, so what lies deeper than a page that shows nothing new
        is known too: a block's pager is walked one page at a time, to the next page (its
        shallowest link not requested yet) only from a page where that block showed
        something new. Tabs and first pages are always followed.
        """
        if fresh is None:
            return None
        shallowest: dict[str | None, ListingLink] = {}
        for link in page.links:
            if link.kind != PAGER or link.depth == 0 or link.url in self._listing_requested:
                continue
            if link.block not in fresh:
                continue
            best = shallowest.get(link.block)
            if best is None or link.depth < best.depth:
                shallowest[link.block] = link
        return {link.url for link in shallowest.values()}

    def _follow_teasers(self, page: ListingPage, site: SiteExtractor) -> Iterator[Any]:
        """Each teaser's record, and a request for its publication's page (once per page)."""
        for teaser in page.teasers:
            self._inc("regmig/listing/teasers")
            teaser["site"] = site.name
            if self.memory is not None:
                self._teaser_keys.add(url_key(teaser["request_url"]))
            yield teaser
            request_url = normalize_url(teaser["request_url"])
            if request_url in self._publications_requested:
                continue  # the duplicate filter would drop it; skip the round trip
            self._publications_requested.add(request_url)
            if self._url_too_long(request_url, "regmig/pages/failed/"):
                continue  # the teaser's row stays, page_fetched = false
            yield scrapy.Request(
                request_url,
                callback=self.parse_publication,
                errback=self.publication_failed,
                # Publication pages before more listing pages: the queue of pending
                # requests stays short however large the site.
                priority=PUBLICATION_PRIORITY,
                meta={
                    "program": page.program,
                    "teaser_link": teaser["request_url"],
                    META_TEASER_URL: teaser["url"],
                    META_SITE: site.name,
                },
            )

    def _follow_listing_links(
        self, page: ListingPage, site: SiteExtractor, fresh: set[str | None] | None = None
    ) -> Iterator[scrapy.Request]:
        """Requests for the program's pager and tab pages the site found, within bounds;
        in an incremental run, only those ``_walked_pager_links`` allows."""
        walked = self._walked_pager_links(page, fresh)
        for link in page.links:
            if link.depth > self.max_pager_page:
                self._inc("regmig/listing/pager_capped")
                continue
            if link.url in self._listing_requested:
                continue  # already requested (Scrapy's duplicate filter would drop it too)
            if (
                walked is not None
                and link.kind == PAGER
                and link.depth > 0
                and (link.url not in walked)
            ):
                if link.url not in self._not_walked:
                    self._not_walked.add(link.url)
                    self._not_walked_site[link.url] = site.name
                    self._inc(NOT_WALKED)
                continue
            if link.url in self._not_walked:  # another page showed something new after all
                self._not_walked.discard(link.url)
                self._inc(NOT_WALKED, -1)
            if len(self._listing_requested) >= self.max_listing_pages:
                self._listing_limit_reached()
                continue
            self._listing_requested.add(link.url)
            if self._url_too_long(link.url, "regmig/listing/failed/"):
                continue
            yield self._listing_request(link.url, site.name)

    def _listing_limit_reached(self) -> None:
        if not self._limit_warned:
            self._limit_warned = True
            self.logger.warning(
                "REGMIG_MAX_LISTING_PAGES (%s) reached: further listing pages are not "
                "followed and the crawl will be incomplete",
                self.max_listing_pages,
            )
        self._inc(LIMIT_REACHED)

    def parse_publication(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self._inc("regmig/pages/failed/not_html")
            return
        response = self._decoded(response)
        self._check_complete(response, "pages")
        site = self._site_of(response)
        record = site.extract_publication(response)
        ignored = response.meta.get(META_CANONICAL_IGNORED)
        if ignored:
            self._inc(f"regmig/pages/canonical_ignored/{ignored}")
            logger.warning("Canonical link of %s ignored (%s)", response.url, ignored)
        if record.get("page_kind") is None:
            # No node, no type label, no date: an error page served as 200, a login wall...
            # The teaser still gives the publication's row, flagged page_fetched = false.
            self._inc("regmig/pages/failed/not_a_publication_page")
            return
        self._inc("regmig/pages/fetched")
        record["site"] = site.name
        yield record

    def listing_failed(self, failure: Failure) -> None:
        if _failure_reason(failure) == SHUTDOWN:
            return  # dropped by a Ctrl-C (regmig_scraper.shutdown): not the page's failure
        self._inc(f"regmig/listing/failed/{_failure_reason(failure)}")
        logger.warning("Listing page failed: %s (%s)", _failure_url(failure), failure.value)

    def publication_failed(self, failure: Failure) -> None:
        if _failure_reason(failure) == SHUTDOWN:
            return  # dropped by a Ctrl-C (regmig_scraper.shutdown): not the page's failure
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
        if request.meta.get(META_START):
            self._allow_moved_start_host(request)
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
        """A request the duplicate filter dropped. A redirect: a loop (counted as a failure),
        or a redirect to a page already requested from another link (requested once more,
        without following further redirects, so that the page's record names this alias).
        Any other request: the same page as one already requested under another URL, counted
        under ``regmig/pages/dropped/duplicate`` (``regmig/listing/dropped/duplicate``)."""
        chain = request.meta.get("redirect_urls")
        if not chain:
            kind = "listing" if self._is_listing(request) else "pages"
            self._inc(f"regmig/{kind}/dropped/duplicate")
            logger.info("Duplicate request dropped: %s", request.url)
            return
        if self.crawler.engine is None:
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
SHUTDOWN = "shutdown"  # a request the first Ctrl-C dropped from the downloader's queues
IGNORED_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"robots\.txt", re.IGNORECASE), "robots_txt"),
    (re.compile(r"offsite", re.IGNORECASE), "offsite_redirect"),
    (re.compile(r"max redirections", re.IGNORECASE), "too_many_redirects"),
    # HttpCompressionMiddleware: a gzip/deflate/brotli body over DOWNLOAD_MAXSIZE unpacked
    (re.compile(r"DOWNLOAD_MAXSIZE|max size", re.IGNORECASE), "too_large"),
    (re.compile(r"not in cache", re.IGNORECASE), "not_in_snapshot"),
    (re.compile(re.escape(SHUTDOWN_MESSAGE)), SHUTDOWN),
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
    if http_limits.HeaderTooLargeError.__name__ in str(value):  # inside a ResponseFailed
        return "header_too_large"
    if isinstance(value, IgnoreRequest):
        message = str(value)
        return next((reason for p, reason in IGNORED_REASONS if p.search(message)), "ignored")
    for types, reason in _exception_reasons():
        if types and isinstance(value, types):
            return reason
    return type(value).__name__.lower()
