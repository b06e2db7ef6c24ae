"""Politeness on live crawls, on by default, off with ``-s REGMIG_POLITE=false``.

``PolitenessAddon`` sets the delay-related settings at add-on priority, so a project
setting or a ``-s`` override still wins:

==================================  ==============  ===============
setting                              polite          not polite
==================================  ==============  ===============
``AUTOTHROTTLE_ENABLED``             True            False
``DOWNLOAD_DELAY``                   1.0             0
``CONCURRENT_REQUESTS_PER_DOMAIN``   2               16
==================================  ==============  ===============

It also builds the ``USER_AGENT`` when the crawler starts, from ``REGMIG_CONTACT_URL``
(``regmig-scraper/<version> (+<contact url>)``), so that ``-s REGMIG_CONTACT_URL=...`` is in
the requests; a ``USER_AGENT`` set by the user (``-s``, a spider's ``custom_settings``) wins.

robots.txt allow/disallow rules apply either way (``ROBOTSTXT_OBEY``). Scrapy itself ignores
robots.txt's ``Crawl-delay`` (the MPI site asks for 10 s); ``CrawlDelayMiddleware`` reads it
from the robots.txt that Scrapy fetches and keeps each host's download slot at least that
slow (capped by ``REGMIG_MAX_CRAWL_DELAY``). It also honours ``Retry-After`` on 429 and 503
responses (same cap) before Scrapy's retry middleware tries again. Replayed pages never
reach the downloader, so a replay never waits.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES

from regmig_scraper import __version__

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

POLITE = {
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 5.0,
    "AUTOTHROTTLE_MAX_DELAY": 60.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "DOWNLOAD_DELAY": 1.0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
}
NOT_POLITE = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0.0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


def user_agent(contact_url: str) -> str:
    """The User-Agent that names the project, its version and whom to contact."""
    return f"regmig-scraper/{__version__} (+{contact_url})"


class PolitenessAddon:
    """Scrapy add-on applying ``REGMIG_POLITE`` and ``REGMIG_CONTACT_URL``."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PolitenessAddon:
        return cls()

    def update_settings(self, settings: Settings) -> None:
        values = POLITE if settings.getbool("REGMIG_POLITE") else NOT_POLITE
        for name, value in values.items():
            settings.set(name, value, priority="addon")
        # Scrapy's own "Scrapy/2.x (+https://scrapy.org)" is at "default" priority: anything
        # higher was set on purpose and is left alone.
        if (settings.getpriority("USER_AGENT") or 0) <= SETTINGS_PRIORITIES["default"]:
            contact = settings.get("REGMIG_CONTACT_URL")
            settings.set("USER_AGENT", user_agent(contact), priority="addon")


class CrawlDelayMiddleware:
    """Downloader middleware honouring robots.txt ``Crawl-delay`` per host."""

    def __init__(self, crawler: Crawler, max_delay: float) -> None:
        self.crawler = crawler
        self.max_delay = max_delay
        self.delays: dict[str, float] = {}
        self.user_agent = crawler.settings.get("USER_AGENT", "*")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        if not crawler.settings.getbool("REGMIG_POLITE"):
            raise NotConfigured  # REGMIG_POLITE is off: nothing to honour
        return cls(crawler, crawler.settings.getfloat("REGMIG_MAX_CRAWL_DELAY"))

    def _slow_down(self, request: Request, delay: float) -> None:
        """Keep this host's download slot at least ``delay`` seconds between requests."""
        if self.crawler.engine is None:
            return
        downloader: Any = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None and slot.delay < delay:
            slot.delay = delay
            self.crawler.stats.inc_value("regmig/polite/retry_after")
            logger.info("%s asks to retry after %.0f s: slowing down", request.url, delay)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        delay = self.delays.get(urlsplit(request.url).netloc.lower())
        if not delay or self.crawler.engine is None:
            return None
        downloader: Any = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None and slot.delay < delay:
            slot.delay = delay
        elif slot is None:
            downloader._delay = max(downloader._delay, delay)
        return None

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        parts = urlsplit(request.url)
        if response.status in (429, 503):
            wait = retry_after(response.headers.get(b"Retry-After"))
            if wait:
                self._slow_down(request, min(wait, self.max_delay))
        if parts.path == "/robots.txt" and response.status == 200:
            delay = crawl_delay(response.body, self.user_agent)
            if delay:
                delay = min(delay, self.max_delay)
                self.delays[parts.netloc.lower()] = delay
                self.crawler.stats.set_value("regmig/polite/crawl_delay", delay)
                logger.info("robots.txt of %s asks for Crawl-delay %.1f s", parts.netloc, delay)
        return response


def retry_after(value: bytes | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    import datetime as dt

    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def crawl_delay(robots_txt: bytes, user_agent: str) -> float | None:
    """The ``Crawl-delay`` robots.txt sets for ``user_agent`` (or ``*``), if any."""
    from protego import Protego

    try:
        parser = Protego.parse(robots_txt.decode("utf-8", errors="replace"))
    except Exception:  # a broken robots.txt sets no delay
        return None
    delay = parser.crawl_delay(user_agent)
    return float(delay) if delay else None
