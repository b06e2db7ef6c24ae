"""Incremental crawls: a later run fetches only what changed.

On with ``regmig crawl --incremental`` or ``-s REGMIG_INCREMENTAL=true`` (``IncrementalAddon``
wires the rest). Every response goes through Scrapy's HTTP cache (``HttpCacheMiddleware``)
with Scrapy's ``DbmCacheStorage`` in ``OUTPUT/.httpcache/`` and ``IncrementalPolicy``, Scrapy's
``RFC2616Policy`` with one freshness rule of our own (``cache_decision``):

- listing pages (and robots.txt, anything that is not a publication page) are always
  revalidated: a conditional request (``If-None-Match`` / ``If-Modified-Since`` from the
  cached ``ETag`` / ``Last-Modified``); a ``304`` serves the cached copy;
- a publication page whose cached copy was stored or revalidated less than
  ``REGMIG_REFETCH_AGE`` seconds ago is served from the cache without any request
  ("skipped"), unless its teaser changed on the listing since the last run; older ones (and
  changed ones) are revalidated.

Whether a teaser changed is decided by ``TeaserSignatureMiddleware``, a spider middleware:
each listing teaser's title, date, type label and byline, as the listing shows them, hash to a
signature (``teaser_signature``); the signatures of the last runs are kept per publication
URL in ``OUTPUT/.httpcache/teasers.json`` (loaded once when the spider opens, saved when it
closes), and a request for a publication whose teaser shows a signature not seen before is
flagged ``META_LISTING_CHANGED``. Comparing teaser with teaser (not with the merged dataset
row, whose title and date come from the page) makes "unchanged" exact.

A skipped page is still parsed from its cached copy, so the dataset is complete either way.

The teaser memory (``TeaserMemory``, one per crawler, shared with the spider) also decides how
far a run walks: unless the run is a full walk (``full_walk_due``: the first run, every
``REGMIG_FULL_EVERY``-th, or ``REGMIG_FULL_WALK``), the spider follows a block's pager only
from a page where the block shows a teaser the memory does not hold, and reads the pages it
leaves from the cache (``META_CACHE_ONLY``: the cached copy, or an empty answer flagged
``UNCACHED``; never a request). A partial walk adds to the memory what it saw (the pages it
left keep their teasers); a full walk replaces it. ``OUTPUT/.httpcache/walks.json`` counts the
partial walks since the last full one and keeps when the last run started (feeds and sitemaps
date changes against it). A later teaser of a publication that changed after its request went
out unflagged (another block, a later page) asks the page again (``rechecked``).

Settings (defaults in ``regmig_scraper.settings``): ``REGMIG_INCREMENTAL``,
``REGMIG_REFETCH_AGE`` (seconds; 0 revalidates every page), ``REGMIG_FULL_EVERY``,
``REGMIG_FULL_WALK``, ``REGMIG_OUTPUT`` (the cache lives in ``OUTPUT/.httpcache``); Scrapy's
``HTTPCACHE_*`` settings are set by the add-on.

Stats: ``regmig/incremental/skipped`` (served from the cache, no request),
``regmig/incremental/revalidated`` (conditional request answered 304),
``regmig/incremental/refetched`` (was cached, the server sent a new copy),
``regmig/incremental/new`` (not in the cache yet), ``regmig/incremental/stale_on_error``
(the server failed; the cached copy was used), ``regmig/incremental/listing_changed``
(publications whose teaser changed, or was not seen before), ``regmig/incremental/rechecked``,
``regmig/incremental/listing_from_cache`` (listing pages not walked, read from the cache),
``regmig/incremental/reused`` (robots.txt read again), ``regmig/incremental/full_walk``
(a bool), ``regmig/requests/sent`` (requests that went to the site).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from regmig_scraper import atomic
from regmig_scraper.items import SOURCE_LISTING
from regmig_scraper.normalize.urls import url_key

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings, Settings

logger = logging.getLogger(__name__)

CACHE_DIR_NAME = ".httpcache"  # under REGMIG_OUTPUT
SIGNATURES_FILE = "teasers.json"  # in the cache directory
WALKS_FILE = "walks.json"  # in the cache directory: partial walks since the last full one
PARTIAL_WALKS = "partial_walks_since_full"
LAST_RUN = "last_run_started_at"  # feeds and sitemaps: what is dated after it changed

# Request meta keys. The spider marks a publication request with its teaser's link.
META_TEASER_LINK = "teaser_link"
META_KIND = "regmig_page_kind"  # KIND_PUBLICATION, or absent (always revalidated)
META_LISTING_CHANGED = "regmig_listing_changed"  # its teaser differs from the last run's
KIND_PUBLICATION = "publication"
# A page the site need not be asked about twice in a run (robots.txt, read again for its
# sitemaps): when it answered already, the cached copy.
META_ONCE_PER_RUN = "regmig_once_per_run"
# A listing page the run does not walk: read from its cached copy, never asked for.
META_CACHE_ONLY = "regmig_cache_only"

# Teaser fields that make its signature: what a listing shows of a publication.
SIGNATURE_FIELDS = ("title", "date_raw", "content_type_label", "authors_raw")
SIGNATURE_HEX_DIGITS = 16

# Cache decisions.
SKIP = "skip"  # serve the cached copy, send nothing
REVALIDATE = "revalidate"  # conditional request

# Outcomes, counted as regmig/incremental/<outcome>.
SKIPPED = "skipped"
REVALIDATED = "revalidated"
REFETCHED = "refetched"
NEW = "new"
STALE_ON_ERROR = "stale_on_error"
LISTING_CHANGED = "listing_changed"
RECHECKED = "rechecked"  # asked again: a later teaser of it changed
FULL_WALK = "full_walk"  # this run walked every listing page (a bool stat)
REQUESTS_SENT = "regmig/requests/sent"  # went to the site (not answered from the cache)
UNCACHED = "regmig_uncached"  # the flag of the answer for a page not walked nor cached
REUSED = "reused"  # asked once in this run already: the cached answer again
LISTING_FROM_CACHE = "listing_from_cache"  # listing pages not walked, read from the cache

SCRAPY_CACHE_MIDDLEWARE = "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware"
CACHE_MIDDLEWARE_ORDER = 900  # where DOWNLOADER_MIDDLEWARES_BASE puts Scrapy's own

# Responses worth keeping: pages and permanent redirects. A 304 never is; errors and
# temporary redirects are asked for again.
CACHEABLE_STATUSES = frozenset({200, 203, 301, 308})


def cache_decision(
    *, kind: str | None, listing_changed: bool, age: float | None, refetch_age: float
) -> str:
    """``SKIP`` or ``REVALIDATE`` for a request whose page is in the cache.

    ``age``: seconds since the cached copy was stored or last revalidated (None: unknown).
    Only publication pages are ever skipped: listing pages are how a run learns what changed.
    """
    if kind != KIND_PUBLICATION or listing_changed or age is None:
        return REVALIDATE
    return SKIP if 0 <= age < refetch_age else REVALIDATE


def teaser_signature(teaser: Mapping[str, Any]) -> str:
    """A short hash of what a listing teaser shows (``SIGNATURE_FIELDS``, whitespace folded)."""
    values = []
    for name in SIGNATURE_FIELDS:
        value = teaser.get(name)
        if isinstance(value, list | tuple):
            value = " | ".join(str(v) for v in value)
        values.append(" ".join(str(value).split()) if value is not None else None)
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:SIGNATURE_HEX_DIGITS]


def cache_dir(settings: BaseSettings) -> Path:
    """``OUTPUT/.httpcache``, absolute."""
    return Path(settings.get("REGMIG_OUTPUT")).resolve() / CACHE_DIR_NAME


# --------------------------------------------------------------------------- the policy


class IncrementalPolicy(RFC2616Policy):
    """``HTTPCACHE_POLICY``: RFC 2616 validation, freshness by ``cache_decision``."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.refetch_age = settings.getfloat("REGMIG_REFETCH_AGE")

    def should_cache_response(self, response: Response, request: Request) -> bool:
        if b"no-store" in self._parse_cachecontrol(response):
            return False
        return response.status in CACHEABLE_STATUSES

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        stored = request.meta.get("cache_timestamp")  # set by DbmCacheStorage
        age = time.time() - float(stored) if stored is not None else None
        decision = cache_decision(
            kind=request.meta.get(META_KIND),
            listing_changed=bool(request.meta.get(META_LISTING_CHANGED)),
            age=age,
            refetch_age=self.refetch_age,
        )
        if decision == SKIP:
            return True
        self._set_conditional_validators(request, cachedresponse)
        return False


# --------------------------------------------------------------------------- counting


class IncrementalCacheMiddleware(HttpCacheMiddleware):
    """Scrapy's ``HttpCacheMiddleware`` that also counts what each request cost, reads the
    listing pages a run does not walk from the cache (``META_CACHE_ONLY``) and asks the site
    about a ``META_ONCE_PER_RUN`` URL once per run (robots.txt, read again for its sitemaps).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answered: set[str] = set()  # URLs the site answered (200 or 304) in this run

    def _count(self, outcome: str) -> None:
        self.stats.inc_value(f"regmig/incremental/{outcome}")

    def process_request(
        self, request: Request, spider: Spider | None = None
    ) -> Request | Response | None:
        if request.meta.get(META_CACHE_ONLY):
            return self._cached_only(request)
        if request.meta.get(META_ONCE_PER_RUN) and request.url in self.answered:
            cached = self.storage.retrieve_response(self.crawler.spider, request)
            if cached is not None:  # the site answered it in this run already
                cached.flags.append("cached")
                self._count(REUSED)
                return cached
        result = super().process_request(request)
        if isinstance(result, Response):
            self._count(SKIPPED)
        elif result is None:
            self.stats.inc_value(REQUESTS_SENT)  # goes to the site (retries included)
        return result

    def _cached_only(self, request: Request) -> Response:
        """The cached copy of a listing page the run does not walk; IgnoreRequest when there
        is none (nothing is asked of the site)."""
        cached = self.storage.retrieve_response(self.crawler.spider, request)
        if cached is None:
            # Nothing to read and nothing to ask: an empty answer the spider recognizes (an
            # exception here would count as a download error).
            return Response(request.url, status=204, request=request, flags=["cached", UNCACHED])
        cached.flags.append("cached")
        self._count(LISTING_FROM_CACHE)
        return cached

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        passes_through = (
            request.meta.get("dont_cache", False)
            or "_dont_cache" in request.meta
            or "cached" in response.flags
        )
        cached = request.meta.get("cached_response")
        result = super().process_response(request, response)
        if not passes_through and response.status in (*CACHEABLE_STATUSES, 304):
            self.answered.add(request.url)
        if not passes_through:
            if cached is None:
                self._count(NEW)
            elif result is cached:
                self._count(REVALIDATED if response.status == 304 else STALE_ON_ERROR)
            else:
                self._count(REFETCHED)
        return result

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Response):
            self._count(STALE_ON_ERROR)
        return result


# --------------------------------------------------------------------------- teasers


def load_signatures(path: Path) -> dict[str, frozenset[str]]:
    """The saved teaser signatures per publication key; empty when missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): frozenset(map(str, v)) for k, v in dict(data).items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError) as error:
        logger.warning("Ignoring unreadable teaser signatures %s (%s)", path, error)
        return {}


def save_signatures(path: Path, signatures: Mapping[str, Iterable[str]]) -> None:
    """Write the signatures atomically (``regmig_scraper.atomic``)."""
    data = {key: sorted(values) for key, values in sorted(signatures.items())}
    atomic.write_text(path, json.dumps(data, separators=(",", ":")))


def full_walk_due(*, forced: bool, every: int, partial_walks: int, has_memory: bool) -> bool:
    """Whether this incremental run walks every listing page.

    ``partial_walks``: runs that stopped at the known since the last full walk. The first run
    (no teaser memory) walks everything; so does every ``every``-th run (0: never on a
    schedule) and a run asked to (``--full``).
    """
    if forced or not has_memory:
        return True
    return every > 0 and partial_walks + 1 >= every


def load_walk_state(path: Path) -> tuple[int, dt.datetime | None]:
    """Partial walks since the last full walk and when the last run started, as saved
    ((0, None) when missing or unreadable)."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        partial = max(0, int(state[PARTIAL_WALKS]))
        started = state.get(LAST_RUN)
        last_run = dt.datetime.fromisoformat(started) if started else None
        if last_run is not None and last_run.tzinfo is None:
            last_run = last_run.replace(tzinfo=dt.UTC)
        return partial, last_run
    except FileNotFoundError:
        return 0, None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        logger.warning("Ignoring unreadable walk state %s (%s)", path, error)
        return 0, None


class TeaserMemory:
    """What the last runs' listings showed, and whether this run walks every listing page.

    One per crawler (``teaser_memory``), shared by the spider (which stops walking a pager
    where its pages show only what is known) and ``TeaserSignatureMiddleware`` (which flags
    publications whose teaser changed, and saves what this run saw).
    """

    def __init__(self, directory: Path, *, forced_full: bool, full_every: int) -> None:
        self.signatures_path = directory / SIGNATURES_FILE
        self.state_path = directory / WALKS_FILE
        self.previous = load_signatures(self.signatures_path)
        self.partial_walks, self.last_run = load_walk_state(self.state_path)
        self.started = dt.datetime.now(dt.UTC)
        self.full_walk = full_walk_due(
            forced=forced_full,
            every=full_every,
            partial_walks=self.partial_walks,
            has_memory=bool(self.previous),
        )

    def is_known(self, teaser: Mapping[str, Any]) -> bool:
        """Whether an earlier run's listings showed this teaser as it is now (a bare
        sighting, ``repeat``, was read already in this run: nothing new either)."""
        if teaser.get("repeat"):
            return True
        key = url_key(teaser["request_url"])
        return teaser_signature(teaser) in self.previous.get(key, frozenset())

    def save(self, seen: Mapping[str, Iterable[str]]) -> None:
        """Keep what this run saw (over the last runs') and count the walk."""
        merged: dict[str, Iterable[str]] = dict(self.previous)
        for key, signatures in seen.items():
            # A full walk saw every teaser: what it saw replaces what the last runs did. A
            # partial walk saw some: the teasers of the pages it left are still there.
            merged[key] = set(signatures) if self.full_walk else {*merged.get(key, ()), *signatures}
        save_signatures(self.signatures_path, merged)
        partial = 0 if self.full_walk else self.partial_walks + 1
        state = {PARTIAL_WALKS: partial, LAST_RUN: self.started.isoformat()}
        atomic.write_text(self.state_path, json.dumps(state))


_MEMORIES: weakref.WeakKeyDictionary[Crawler, TeaserMemory] = weakref.WeakKeyDictionary()


def teaser_memory(crawler: Crawler) -> TeaserMemory | None:
    """The crawler's ``TeaserMemory`` (loaded once); None when the run is not incremental."""
    settings = crawler.settings
    if not settings.getbool("REGMIG_INCREMENTAL"):
        return None
    memory = _MEMORIES.get(crawler)
    if memory is None:
        memory = TeaserMemory(
            cache_dir(settings),
            forced_full=settings.getbool("REGMIG_FULL_WALK"),
            full_every=settings.getint("REGMIG_FULL_EVERY"),
        )
        _MEMORIES[crawler] = memory
    return memory


class TeaserSignatureMiddleware(BaseSpiderMiddleware):
    """Spider middleware: flag publication requests whose listing teaser changed.

    A publication is requested on its first teaser; when a later teaser of it (another
    block, a later pager page) shows a change after its request went out unflagged, it is
    requested once more, flagged (``regmig/incremental/rechecked``).
    """

    def __init__(self, crawler: Crawler, memory: TeaserMemory) -> None:
        super().__init__(crawler)
        self.memory = memory
        self.path = memory.signatures_path
        self.seen: defaultdict[str, set[str]] = defaultdict(set)
        self.changed: dict[str, bool] = {}
        self.flagged: set[str] = set()
        # Publication requests that went out unflagged, by key: asked again if a later
        # teaser of theirs changed.
        self.unflagged: dict[str, Request] = {}

    @property
    def previous(self) -> dict[str, frozenset[str]]:
        return self.memory.previous

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TeaserSignatureMiddleware:
        memory = teaser_memory(crawler)
        if memory is None:
            raise NotConfigured("REGMIG_INCREMENTAL is off")
        middleware = cls(crawler, memory)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        logger.info(
            "Incremental crawl: %s publications known from earlier listings; %s",
            len(self.previous),
            "walking every listing page"
            if self.memory.full_walk
            else "stopping each pager where it shows nothing new",
        )
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(f"regmig/incremental/{FULL_WALK}", self.memory.full_walk)

    def spider_closed(self, spider: Spider) -> None:
        try:
            self.memory.save(self.seen)
        except OSError as error:
            logger.warning("Could not save teaser signatures to %s (%s)", self.path, error)

    def process_spider_output(
        self, response: Response | None, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterable[Any]:
        for output in result:
            yield from self._processed(output, response)

    async def process_spider_output_async(
        self, response: Response | None, result: Any, spider: Spider | None = None
    ) -> Any:
        async for output in result:
            for processed in self._processed(output, response):
                yield processed

    def _processed(self, output: Any, response: Response | None) -> Iterator[Any]:
        if isinstance(output, Request):
            yield self.get_processed_request(output, response)
            return
        recheck = self._teaser_seen(output)
        yield output
        if recheck is not None:
            yield recheck

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        self._teaser_seen(item)
        return item

    def _teaser_seen(self, item: Any) -> Request | None:
        """Remember a teaser's signature; a request to ask its publication again when the
        teaser changed after the publication was requested unflagged."""
        try:
            is_teaser = (
                item.get("source") == SOURCE_LISTING
                and item.get("request_url")
                and not item.get("repeat")  # a bare sighting shows nothing to compare
            )
        except AttributeError:  # not a mapping: not ours
            return None
        if not is_teaser:
            return None
        key = url_key(item["request_url"])
        signature = teaser_signature(item)
        self.seen[key].add(signature)
        changed = signature not in self.previous.get(key, frozenset())
        self.changed[key] = self.changed.get(key, False) or changed
        if changed and key in self.unflagged:
            request = self.unflagged.pop(key)
            self._count_flagged(key)
            self.crawler.stats.inc_value(f"regmig/incremental/{RECHECKED}")
            meta = {**request.meta, META_LISTING_CHANGED: True}
            return request.replace(dont_filter=True, meta=meta)
        return None

    def _count_flagged(self, key: str) -> None:
        if key not in self.flagged:  # a publication, not each of its teasers
            self.flagged.add(key)
            self.crawler.stats.inc_value(f"regmig/incremental/{LISTING_CHANGED}")

    def get_processed_request(self, request: Request, response: Response | None) -> Request:
        link = request.meta.get(META_TEASER_LINK)
        if link:
            request.meta[META_KIND] = KIND_PUBLICATION
            key = url_key(link)
            if request.meta.get(META_LISTING_CHANGED) or self.changed.get(key, True):
                request.meta[META_LISTING_CHANGED] = True
                self.unflagged.pop(key, None)
                self._count_flagged(key)
            elif key not in self.flagged:
                self.unflagged[key] = request
        return request


# --------------------------------------------------------------------------- wiring


class IncrementalAddon:
    """Scrapy add-on: with ``REGMIG_INCREMENTAL`` on, route every request through the cache."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalAddon:
        return cls()

    def update_settings(self, settings: Settings) -> None:
        if not settings.getbool("REGMIG_INCREMENTAL"):
            return
        if (settings.getpriority("HTTPCACHE_ENABLED") or 0) > SETTINGS_PRIORITIES["addon"]:
            # --replay / --record (or the user) already configured the HTTP cache
            logger.warning("REGMIG_INCREMENTAL is ignored: the HTTP cache is configured already")
            settings.set("REGMIG_INCREMENTAL", False, priority="cmdline")
            return
        for name, value in (
            ("HTTPCACHE_ENABLED", True),
            ("HTTPCACHE_DIR", str(cache_dir(settings))),
            ("HTTPCACHE_STORAGE", "scrapy.extensions.httpcache.DbmCacheStorage"),
            ("HTTPCACHE_POLICY", "regmig_scraper.incremental.IncrementalPolicy"),
            ("HTTPCACHE_EXPIRATION_SECS", 0),  # age is REGMIG_REFETCH_AGE's business
            ("HTTPCACHE_IGNORE_MISSING", False),
        ):
            settings.set(name, value, priority="addon")
        # Scrapy's own cache middleware is listed by import path in DOWNLOADER_MIDDLEWARES_BASE:
        # switched off by that path, replaced by ours at its place
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        middlewares[SCRAPY_CACHE_MIDDLEWARE] = None
        middlewares[IncrementalCacheMiddleware] = CACHE_MIDDLEWARE_ORDER
        settings.set(
            "DOWNLOADER_MIDDLEWARES",
            middlewares,
            priority=settings.getpriority("DOWNLOADER_MIDDLEWARES") or 0,
        )
        settings.set_in_component_priority_dict(
            "SPIDER_MIDDLEWARES", TeaserSignatureMiddleware, 700
        )
