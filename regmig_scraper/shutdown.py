"""A first Ctrl-C (or SIGTERM) stops a crawl that cannot be resumed at once.

Scrapy's graceful shutdown stops taking requests from the scheduler, but every request already
handed to the downloader is still fetched; on a polite crawl those wait in the per-host queues
for the Crawl-delay, so a Ctrl-C took most of a minute and fetched a dozen more pages. A run
without ``JOBDIR`` (no ``--resume``) that is interrupted writes nothing, so those pages would
only be thrown away: this extension drops the queued requests as the shutdown begins and says
so. With ``--resume`` (``JOBDIR``) it puts them back into the scheduler, whose queue Scrapy
saves in the job directory, so the next run fetches them and misses nothing. Either way the
crawl stops within the downloads in flight; a second Ctrl-C still forces Scrapy to stop at once.

Dropped requests end in the spider's errbacks as ``IgnoreRequest(SHUTDOWN_MESSAGE)``; the
spider does not count them as failed pages.
"""

from __future__ import annotations

import logging
import signal
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

SHUTDOWN_MESSAGE = "the crawl is shutting down"
SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def drop_queued(downloader: Any, requeue: Callable[[Request], Any] | None = None) -> int:
    """Fail every request waiting in the downloader's per-host queues (after handing it to
    ``requeue``, when given); how many there were."""
    dropped = 0
    for slot in list(downloader.slots.values()):
        while slot.queue:
            request, waiting = slot.queue.popleft()
            if requeue is not None:
                # already seen by the duplicate filter: it must let this copy through
                requeue(request.replace(dont_filter=True))
            waiting.errback(IgnoreRequest(SHUTDOWN_MESSAGE))
            dropped += 1
    return dropped


class PromptShutdown:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.resumable = bool(crawler.settings.get("JOBDIR"))
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PromptShutdown:
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self) -> None:
        """Chain a handler before Scrapy's own for each shutdown signal."""
        for signum in SHUTDOWN_SIGNALS:
            previous = signal.getsignal(signum)
            if callable(previous):
                signal.signal(signum, self._handler(previous))

    def _handler(self, previous: Any) -> Any:
        def handle(signum: int, frame: Any) -> None:
            if not self.stopping:
                self.stopping = True
                from twisted.internet import reactor

                # Runs in the reactor before Scrapy's own shutdown, which it schedules next.
                reactor.callFromThread(self._stop_downloads)
            previous(signum, frame)

        return handle

    def _stop_downloads(self) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        if self.resumable:
            scheduler = engine._slot.scheduler if engine._slot is not None else None
            dropped = drop_queued(engine.downloader, getattr(scheduler, "enqueue_request", None))
            self.crawler.stats.inc_value("regmig/shutdown/dropped", dropped)
            logger.warning(
                "Stopping now: %s queued requests kept in the job directory for --resume",
                dropped,
            )
            return
        dropped = drop_queued(engine.downloader)
        self.crawler.stats.inc_value("regmig/shutdown/dropped", dropped)
        logger.warning(
            "Stopping now: %s queued requests dropped; an interrupted run writes nothing "
            "(use --resume to make a crawl resumable)",
            dropped,
        )
