"""Progress of a running crawl: one line at a steady interval, or a live line on a terminal.

``ProgressExtension`` (a Scrapy extension) reads the crawl's stats every
``REGMIG_PROGRESS_INTERVAL`` seconds (0 turns it off) and logs one line::

    Progress: 120 pages (36.0/min), 310 records staged, 14 queued, 2 errors, 3m20s

pages are responses received (cached ones included), records the publication sightings staged
for the dataset (teasers and pages), queued the requests still waiting in the scheduler,
errors what the end-of-run summary counts as errors. When stderr is a terminal it draws a
single line updated in place instead (every ``TTY_REFRESH`` seconds, plain text, no
dependency), with a bar of pages done against pages known so far; log lines printed
meanwhile clear it first, so the two never mix.

One progress line, not two: while it is on, ``ProgressAddon`` switches Scrapy's own
``LogStats`` off (its "Crawled N pages (at X pages/min), scraped M items" line says less, on
another clock); with ``REGMIG_PROGRESS_INTERVAL = 0`` this extension is off and Scrapy's
``LogStats`` logs as usual (every ``LOGSTATS_INTERVAL`` seconds, Scrapy's 60 by default).

Settings: ``REGMIG_PROGRESS_INTERVAL`` (seconds; 0 disables; default in
``regmig_scraper.settings``).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from regmig_scraper.status import drops_and_errors

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

TTY_REFRESH = 1.0  # seconds between two redraws of the live line
BAR_WIDTH = 24
CLEAR_LINE = "\r\x1b[K"  # carriage return + erase to end of line (VT100, every terminal)


@dataclass(frozen=True)
class Progress:
    """What one progress line says."""

    pages: int  # responses received
    records: int  # sightings staged for the dataset
    queued: int  # requests waiting in the scheduler
    errors: int
    rate: float  # pages per minute since the previous line
    elapsed: float  # seconds since the crawl started


def take_progress(
    stats: Mapping[str, Any], *, elapsed: float, previous_pages: int, seconds: float
) -> Progress:
    """A ``Progress`` from a stats snapshot; ``rate`` over the last ``seconds``."""
    pages = int(stats.get("response_received_count", 0))
    queued = int(stats.get("scheduler/enqueued", 0)) - int(stats.get("scheduler/dequeued", 0))
    _, errors = drops_and_errors(stats)
    rate = (pages - previous_pages) * 60.0 / seconds if seconds > 0 else 0.0
    return Progress(
        pages=pages,
        records=int(stats.get("regmig/dataset/staged", 0)),
        queued=max(queued, 0),
        errors=sum(errors.values()),
        rate=max(rate, 0.0),
        elapsed=max(elapsed, 0.0),
    )


def format_duration(seconds: float) -> str:
    """``42s``, ``3m20s``, ``2h05m``."""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def format_line(progress: Progress) -> str:
    """The log line (no prefix)."""
    return (
        f"{progress.pages} pages ({progress.rate:.1f}/min), {progress.records} records staged, "
        f"{progress.queued} queued, {progress.errors} errors, {format_duration(progress.elapsed)}"
    )


def format_bar(progress: Progress, width: int = BAR_WIDTH) -> str:
    """The live terminal line: a bar of pages done over pages known so far, then the counts."""
    known = progress.pages + progress.queued
    done = width * progress.pages // max(known, 1)
    bar = "#" * done + "-" * (width - done)
    return (
        f"[{bar}] {progress.pages}/{known} pages | {progress.records} records | "
        f"{progress.rate:.0f}/min | {progress.errors} errors | {format_duration(progress.elapsed)}"
    )


class _ClearLiveLine(logging.Filter):
    """Handler filter: erase the live line before a log record is written under it."""

    def __init__(self, extension: ProgressExtension) -> None:
        super().__init__()
        self.extension = extension

    def filter(self, record: logging.LogRecord) -> bool:
        self.extension.clear()
        return True


class ProgressAddon:
    """Scrapy add-on: with progress on, its line replaces Scrapy's ``LogStats`` line.

    ``LOGSTATS_INTERVAL = 0`` is how Scrapy turns ``LogStats`` off; set at add-on priority, an
    explicit ``-s LOGSTATS_INTERVAL=60`` still brings it back.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        if settings.getfloat("REGMIG_PROGRESS_INTERVAL") > 0:
            settings.set("LOGSTATS_INTERVAL", 0, priority="addon")


class ProgressExtension:
    """Scrapy extension: periodic progress, as log lines or a live terminal line."""

    def __init__(self, crawler: Crawler, interval: float, stream: IO[str], live: bool) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.live = live
        self.task: Any = None
        self.started = time.monotonic()
        self.last_time = self.started
        self.last_pages = 0
        self.drawn = False
        self._filter = _ClearLiveLine(self)
        self._filtered: list[logging.Handler] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        interval = crawler.settings.getfloat("REGMIG_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("REGMIG_PROGRESS_INTERVAL is 0")
        stream = sys.stderr
        live = bool(getattr(stream, "isatty", lambda: False)())
        extension = cls(crawler, interval, stream, live)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = self.last_time = time.monotonic()
        if self.live:
            for handler in logging.getLogger().handlers:
                if getattr(handler, "stream", None) is self.stream:
                    handler.addFilter(self._filter)
                    self._filtered.append(handler)
        self.task = _looping_call(self.tick)
        self.task.start(min(self.interval, TTY_REFRESH) if self.live else self.interval, now=False)

    def _snapshot(self) -> Progress:
        now = time.monotonic()
        progress = take_progress(
            self.crawler.stats.get_stats(),
            elapsed=now - self.started,
            previous_pages=self.last_pages,
            seconds=now - self.last_time,
        )
        if not self.live or now - self.last_time >= self.interval:
            # the rate is per interval on a terminal too, so it does not jitter every second
            self.last_time, self.last_pages = now, progress.pages
        return progress

    def tick(self) -> None:
        progress = self._snapshot()
        if self.live:
            self.draw(format_bar(progress))
        else:
            logger.info("Progress: %s", format_line(progress))

    def draw(self, text: str) -> None:
        try:
            self.stream.write(CLEAR_LINE + text)
            self.stream.flush()
            self.drawn = True
        except (OSError, ValueError):  # the terminal went away
            self.live = False

    def clear(self) -> None:
        if self.drawn:
            try:
                self.stream.write(CLEAR_LINE)
                self.stream.flush()
            except (OSError, ValueError):
                pass
            self.drawn = False

    def spider_closed(self, spider: Spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        for handler in self._filtered:
            handler.removeFilter(self._filter)
        self._filtered.clear()
        if self.live:
            self.draw(format_bar(self._snapshot()))
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def _looping_call(function: Any) -> Any:
    try:  # Scrapy >= 2.14 picks the asyncio or the Twisted implementation
        from scrapy.utils.asyncio import create_looping_call
    except ImportError:  # pragma: no cover - older Scrapy
        from twisted.internet.task import LoopingCall

        return LoopingCall(function)
    return create_looping_call(function)
