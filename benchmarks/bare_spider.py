"""The framework's ceiling: a bare Scrapy spider that follows the crawl's links, extracts nothing.

It requests what ``regmig crawl`` requests (robots.txt, the program page, every pager and
quicktab page of it, every teaser's publication page) with the same download settings
(concurrency, timeouts, retries, reactor, User-Agent, robots.txt) and no item pipelines:
listing pages are parsed only to find their links, publication pages are not parsed at all.
Links are normalized with the project's own URL functions so that both crawls request the same
URLs (Scrapy's duplicate filter then drops the same repeats).

Run as ``python -m benchmarks.bare_spider --start-url URL --stats PATH``; the harness measures
its CPU time and peak RSS from outside. The Scrapy stats are written to ``PATH`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from regmig_scraper.normalize.urls import normalize_url
from regmig_scraper.sites.mpi.pager import normalize_listing_url

logger = logging.getLogger(__name__)

# The regmig crawl's download settings with politeness off (``-s REGMIG_POLITE=false``).
BARE_SETTINGS: dict[str, Any] = {
    "BOT_NAME": "regmig_bare_benchmark",
    "USER_AGENT": "regmig-scraper-benchmark (+https://github.com/regmig-scraper/regmig-scraper)",
    "ROBOTSTXT_OBEY": True,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0.0,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 30,
    "DOWNLOAD_MAXSIZE": 16 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 4 * 1024 * 1024,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 2,
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
    "REDIRECT_MAX_TIMES": 10,
    "DEPTH_LIMIT": 0,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "INFO",
    "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "ITEM_PIPELINES": {},
}

# Where the regmig spider looks for teasers and listing links (``regmig_scraper.sites.mpi``).
CONTENT = "#content"
TEASER_LINKS = ".views-row a::attr(href)"
LISTING_LINKS = "ul.pager a::attr(href), ul.quicktabs-tabs a::attr(href)"
# Teaser links the regmig crawl does not follow: people, topics, files.
NOT_PUBLICATION = re.compile(
    r"^/(about|topics|regions|programs|user|search|rss|taxonomy|sites/default/files)(/|$)"
    r"|\.(pdf|jpe?g|png|gif|mp3|mp4|docx?|xlsx?|zip)$",
    re.IGNORECASE,
)


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_url: str, *args: Any, dedup: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_url = start_url
        # dedup: yield each publication page's request once per crawl (not once per listing
        # page), to measure what Scrapy's handling of duplicate requests costs
        self.dedup = dedup
        self._requested: set[str] = set()
        parts = urlsplit(start_url)
        self.allowed_domains = [parts.hostname or ""]
        self._host = parts.netloc.lower()
        self._path = parts.path.rstrip("/")

    async def start(self) -> Any:
        yield scrapy.Request(normalize_listing_url(self.start_url), callback=self.parse_listing)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            return
        scope = response.css(CONTENT) or [response.selector]
        seen: set[str] = set()
        for href in scope[0].css(TEASER_LINKS).getall():
            url = normalize_url(response.urljoin(href))
            parts = urlsplit(url)
            if parts.netloc.lower() != self._host or NOT_PUBLICATION.search(parts.path):
                continue
            if url not in seen and not (self.dedup and url in self._requested):
                seen.add(url)
                self._requested.add(url)
                yield scrapy.Request(url, callback=self.parse_page)
        for href in scope[0].css(LISTING_LINKS).getall():
            url = normalize_listing_url(response.urljoin(href))
            parts = urlsplit(url)
            if parts.netloc.lower() == self._host and parts.path.rstrip("/") == self._path:
                yield scrapy.Request(url, callback=self.parse_listing)

    def parse_page(self, response: Response) -> None:
        """Extract nothing."""
        return None


def run(
    start_url: str,
    stats_path: Path | None,
    settings: dict[str, Any] | None = None,
    *,
    dedup: bool = False,
) -> int:
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess({**BARE_SETTINGS, **(settings or {})})
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start_url=start_url, dedup=dedup)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    if stats_path is not None:
        stats_path.write_text(json.dumps(stats, default=str, sort_keys=True), encoding="utf-8")
    return 0 if stats.get("finish_reason") == "finished" else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start-url", required=True)
    parser.add_argument("--stats", type=Path, default=None, help="write Scrapy stats here")
    parser.add_argument(
        "--dedup", action="store_true", help="request each publication page once (experiment)"
    )
    parser.add_argument(
        "-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE"
    )
    args = parser.parse_args(argv)
    extra = dict(item.split("=", 1) for item in args.settings)
    return run(args.start_url, args.stats, extra, dedup=args.dedup)


if __name__ == "__main__":
    sys.exit(main())
