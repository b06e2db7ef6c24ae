"""Feeds and sitemaps in incremental runs: one request each, accelerators and cross-checks.

``ProgramSpider`` mixes this in. After an incremental run reads a program's first page it asks,
once each:

- the RSS/Atom feeds the page names (``<link rel="alternate">``): an entry the teaser memory
  does not know, dated after the last run started, is a publication the walk should meet (it
  stops where a pager shows nothing new): if the walk ends without meeting it, the pager pages
  it left are asked for from the site instead of read from the cache (the spider's
  ``spider_idle``). It is never requested on the feed's word alone: a page's feeds may be the
  whole site's. A known entry dated after the last run started is asked again (revalidated):
  its teaser may say nothing of the change;
- the XML sitemaps the site's robots.txt names (the robots.txt Scrapy fetched already: the
  HTTP cache answers it, no second request), and the child sitemaps of a sitemap index (at
  most ``MAX_CHILD_SITEMAPS``): a publication the memory knows whose ``lastmod`` is after the
  last run started is revalidated. A page a sitemap names but no listing of the program ever
  showed is left alone (a sitemap does not say which program lists a page). A child sitemap
  that named none of the publications the program's listings show, the last time it was read
  (a site's sitemaps of tags, people or pages), is not asked for again until the next full
  walk (``OUTPUT/.httpcache/sitemaps.json``): a new child, or one that named the program's
  publications, is asked every night.

A copy of a site served elsewhere (a mirror) names its feeds, sitemaps and pages on the host
its canonical link names, as the site does: those URLs are moved onto the host being crawled
(``_on_crawl_host``), as the site modules move the links of its pages.

Nothing is ever skipped because of a feed or a sitemap: they only add requests. One that
fails is counted (``regmig/feeds/failed/<reason>``), never a failure of the run. Parsing is
``regmig_scraper.feeds`` (pure functions).

Stats: ``regmig/feeds/requested``, ``regmig/feeds/entries``, ``regmig/feeds/new`` (publications,
each once however many feeds name it),
``regmig/feeds/changed``, ``regmig/feeds/walked_on`` (pages asked for from the site because a
feed's new entry was not met), ``regmig/sitemaps/requested``, ``regmig/sitemaps/entries``,
``regmig/sitemaps/changed``, ``regmig/sitemaps/not_listed``, ``regmig/sitemaps/capped``,
``regmig/sitemaps/left`` (child sitemaps not asked for: they named none of the program's
publications when last read),
``regmig/feeds/failed/<reason>``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from regmig_scraper import atomic, feeds
from regmig_scraper.incremental import (
    META_LISTING_CHANGED,
    META_ONCE_PER_RUN,
    META_TEASER_LINK,
)
from regmig_scraper.normalize.urls import host_of, normalize_url, rebase, url_key
from regmig_scraper.sites.markup import origin_of

if TYPE_CHECKING:
    from regmig_scraper.incremental import TeaserMemory

logger = logging.getLogger(__name__)

MAX_CHILD_SITEMAPS = 20  # of one sitemap index: a site's whole archive is not a nightly's job
ACCELERATOR_PRIORITY = 20  # before the walk goes deep: what they flag is asked early
META_PROGRAM = "program"
META_SITEMAP_DEPTH = "regmig_sitemap_depth"
SITEMAPS_FILE = "sitemaps.json"  # beside the teaser memory: child sitemaps of no use
WITHOUT_PUBLICATIONS = "without_publications"


def load_sitemaps_without_publications(path: Path) -> frozenset[str]:
    """Keys of the child sitemaps that named none of the program's publications when last
    read; empty when the file is missing or unreadable (every child is asked then)."""
    try:
        return frozenset(
            map(str, json.loads(path.read_text(encoding="utf-8"))[WITHOUT_PUBLICATIONS])
        )
    except FileNotFoundError:
        return frozenset()
    except (OSError, ValueError, TypeError, KeyError) as error:
        logger.warning("Ignoring unreadable sitemap memory %s (%s)", path, error)
        return frozenset()


def _site_of(meta: dict[str, Any]) -> dict[str, Any]:
    """The site's name of a request's meta (``regmig_site``), all a side request carries on."""
    return {key: value for key, value in meta.items() if key == "regmig_site"}


class FeedsAndSitemaps:
    """Requests and callbacks for feeds and sitemaps (mixed into the program spider)."""

    memory: TeaserMemory | None
    _publications_requested: set[str]
    # Keys of publications a feed dates after the last run that no listing showed before:
    # when the walk has not met them by its end, it walks the pages it left from the site.
    expected_from_feeds: set[str]
    # host a program's first page names itself by (its canonical link) -> the origin it was
    # crawled from: a mirror's feeds and sitemaps name the real host
    _named_hosts: dict[str, str]
    # child sitemap key -> None when it named a publication the earlier runs' listings showed,
    # else the keys of the pages it names (checked against this run's teasers at the close)
    _sitemap_pages: dict[str, set[str] | None]
    _sitemaps_left: set[str]  # child sitemaps not asked for in this run
    _teaser_keys: set[str]  # provided by the spider: publications the listings showed

    # provided by the spider
    def _inc(self, key: str, count: int = 1) -> None: ...
    def _is_allowed_host(self, url: str) -> bool: ...
    def parse_publication(self, response: Response) -> Iterator[Any]: ...
    def publication_failed(self, failure: Failure) -> None: ...

    def _accelerators(
        self, response: TextResponse, program: str | None, meta: dict[str, Any]
    ) -> Iterator[scrapy.Request]:
        """Requests for the feeds a program's first page names and its site's robots.txt."""
        if self.memory is None:
            return
        self._remember_named_host(response)
        for url in self._on_crawl_host(feeds.feed_links(response.text, response.url)):
            if url:
                self._inc("regmig/feeds/requested")
                yield self._side_request(url, self.parse_feed, program, meta)
        parts = urlsplit(response.url)
        robots = f"{parts.scheme}://{parts.netloc}/robots.txt"
        # Scrapy's robots.txt middleware fetched it already: the cache answers
        yield self._side_request(
            robots, self.parse_robots, program, meta, **{META_ONCE_PER_RUN: True}
        )

    def _remember_named_host(self, response: TextResponse) -> None:
        """Note the host a first page's canonical link names, when it is not the crawl's."""
        canonical = response.xpath(
            "//head/link[@rel='canonical']/@href | //head/meta[@property='og:url']/@content"
        ).get()
        if not canonical:
            return
        named = response.urljoin(canonical.strip())
        if named.startswith(("http://", "https://")) and not self._is_allowed_host(named):
            self._named_hosts.setdefault(host_of(named), origin_of(response.url))

    def _on_crawl_host(self, urls: Iterable[str]) -> Iterator[str | None]:
        """Each of ``urls`` on the host being crawled (a link to the host a program page
        names itself by moved onto it); None for a URL of another site."""
        for url in urls:
            if self._is_allowed_host(url):
                yield url
            elif (origin := self._named_hosts.get(host_of(url))) is not None:
                yield rebase(url, origin)
            else:
                yield None

    def _side_request(
        self, url: str, callback: Any, program: str | None, meta: dict[str, Any], **extra: Any
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.accelerator_failed,
            priority=ACCELERATOR_PRIORITY,
            # the site's name only: a response's meta (robots.txt's cache timestamp, its
            # once-per-run flag, a sitemap's depth) is not the new request's
            meta={**_site_of(meta), META_PROGRAM: program, **extra},
        )

    def _recheck(self, url: str, program: str | None, meta: dict[str, Any]) -> scrapy.Request:
        """A request for a publication page flagged as changed (asked again even when the
        walk requested it already)."""
        request_url = normalize_url(url)
        again = request_url in self._publications_requested
        self._publications_requested.add(request_url)
        return scrapy.Request(
            request_url,
            callback=self.parse_publication,
            errback=self.publication_failed,
            priority=ACCELERATOR_PRIORITY,
            dont_filter=again,
            meta={
                **_site_of(meta),
                META_PROGRAM: program,
                META_TEASER_LINK: url,
                META_LISTING_CHANGED: True,
            },
        )

    def _changed_since_last_run(self, entries: list[feeds.Entry]) -> set[str]:
        assert self.memory is not None
        if self.memory.last_run is None:
            return set()
        return {e.url for e in feeds.changed_since(entries, self.memory.last_run)}

    def parse_feed(self, response: Response) -> Iterator[Any]:
        assert self.memory is not None
        entries = feeds.parse_feed(response.body, response.url)
        self._inc("regmig/feeds/entries", len(entries))
        changed = self._changed_since_last_run(entries)
        program = response.meta.get(META_PROGRAM)
        for entry, url in zip(entries, self._on_crawl_host(e.url for e in entries), strict=True):
            if url is None:
                continue
            key = url_key(url)
            if key not in self.memory.previous:
                # No listing showed it to the last runs. It may be the program's, deeper than
                # the walk goes, or another program's (a site-wide feed): the walk looks for
                # it (``expected_from_feeds``), never the feed alone.
                new = self.memory.last_run is None or entry.url in changed
                if new and key not in self.expected_from_feeds:  # once, whatever its feeds
                    self._inc("regmig/feeds/new")
                    self.expected_from_feeds.add(key)
            elif entry.url in changed:
                self._inc("regmig/feeds/changed")
                yield self._recheck(url, program, response.meta)

    def parse_robots(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        program = response.meta.get(META_PROGRAM)
        for url in self._on_crawl_host(feeds.robots_sitemaps(response.text, response.url)):
            if url:
                self._inc("regmig/sitemaps/requested")
                yield self._side_request(url, self.parse_sitemap, program, response.meta)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        assert self.memory is not None
        sitemap = feeds.parse_sitemap(response.body, response.url)
        program = response.meta.get(META_PROGRAM)
        if sitemap.sitemaps and not response.meta.get(META_SITEMAP_DEPTH):
            children = [url for url in self._on_crawl_host(sitemap.sitemaps) if url]
            if not self.memory.full_walk:
                useless = load_sitemaps_without_publications(self._sitemaps_path())
                left = [url for url in children if url_key(url) in useless]
                self._sitemaps_left.update(map(url_key, left))
                self._inc("regmig/sitemaps/left", len(left))
                children = [url for url in children if url_key(url) not in useless]
            if len(children) > MAX_CHILD_SITEMAPS:
                self._inc("regmig/sitemaps/capped", len(children) - MAX_CHILD_SITEMAPS)
            for url in children[:MAX_CHILD_SITEMAPS]:
                self._inc("regmig/sitemaps/requested")
                yield self._side_request(
                    url, self.parse_sitemap, program, response.meta, **{META_SITEMAP_DEPTH: 1}
                )
        self._inc("regmig/sitemaps/entries", len(sitemap.entries))
        if response.meta.get(META_SITEMAP_DEPTH):
            self._note_sitemap_pages(url_key(response.url), sitemap.entries)
        changed = self._on_crawl_host(sorted(self._changed_since_last_run(list(sitemap.entries))))
        for url in changed:
            if url is None:
                continue
            if url_key(url) not in self.memory.previous:
                self._inc("regmig/sitemaps/not_listed")
                continue
            self._inc("regmig/sitemaps/changed")
            yield self._recheck(url, program, response.meta)

    def _sitemaps_path(self) -> Path:
        assert self.memory is not None
        return self.memory.signatures_path.parent / SITEMAPS_FILE

    def _note_sitemap_pages(self, key: str, entries: Iterable[feeds.Entry]) -> None:
        """Remember whether a child sitemap names the program's publications (decided at the
        close for one that names none the earlier runs knew: this run's walk may meet them)."""
        assert self.memory is not None
        pages = {url_key(url) for url in self._on_crawl_host(e.url for e in entries) if url}
        known = any(page in self.memory.previous for page in pages)
        self._sitemap_pages[key] = None if known else pages

    def closed(self, reason: str) -> None:
        """Save which child sitemaps named none of the program's publications (called by
        Scrapy when the spider closes): the next partial walks leave them."""
        if self.memory is None or reason != "finished":
            return
        useless = set()
        if not self.memory.full_walk:  # those left this time stay left
            before = load_sitemaps_without_publications(self._sitemaps_path())
            useless = set(before & self._sitemaps_left)
        useless.update(
            key
            for key, pages in self._sitemap_pages.items()
            if pages is not None and not pages & self._teaser_keys
        )
        try:
            atomic.write_text(
                self._sitemaps_path(), json.dumps({WITHOUT_PUBLICATIONS: sorted(useless)})
            )
        except OSError as error:
            logger.warning("Could not save the sitemap memory (%s)", error)

    def accelerator_failed(self, failure: Failure) -> None:
        from regmig_scraper.spiders.program import _failure_reason

        self._inc(f"regmig/feeds/failed/{_failure_reason(failure)}")
        request = getattr(failure, "request", None)
        logger.info(
            "Feed or sitemap not read: %s (%s)", getattr(request, "url", "?"), failure.value
        )
