"""A worker's Scrapy components: scrapy-redis's scheduler with in-flight bookkeeping, the
shared per-host rate limit, the part pipeline, and the extension that keeps the worker alive
while the frontier has work and stops it when it has had none for a while.

``regmig worker`` installs them (``worker_settings``) and hands them the worker's
``WorkerContext`` as ``crawler.regmig_worker``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from regmig_scraper.dataset.parts import PartWriter
from regmig_scraper.distributed.frontier import Frontier, RunInfo
from regmig_scraper.polite import crawl_delay, retry_after
from regmig_scraper.spiders.program import ProgramSpider

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

# Request meta key: the id under which the worker's in-flight requests hold this request.
META_INFLIGHT = "regmig_inflight"
# How often an idle worker looks for requests other workers queued (Scrapy's engine itself
# looks every 5 s).
POLL_SECONDS = 0.5


@dataclass
class WorkerContext:
    frontier: Frontier
    worker: str
    run: RunInfo
    part: PartWriter
    idle_timeout: float
    worker_timeout: float


def context_of(crawler: Crawler) -> WorkerContext:
    context = getattr(crawler, "regmig_worker", None)
    if context is None:
        raise NotConfigured("not a regmig worker (crawler.regmig_worker is not set)")
    return context


def worker_settings(settings: Settings, url: str) -> None:
    """Switch a crawl's settings to a worker's (command-line priority)."""
    here = __name__
    values: dict[str, Any] = {
        "REGMIG_REDIS_URL": url,
        "REDIS_URL": url,
        "SCHEDULER": f"{here}.InflightScheduler",
        # The run's queue and fingerprints outlive each worker; the last one clears them.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": "%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": "%(spider)s:dupefilter",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "DOWNLOAD_HANDLERS": {
            "http": f"{here}.SharedRateDownloadHandler",
            "https": f"{here}.SharedRateDownloadHandler",
        },
    }
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines["pipelines.dataset.DatasetPipeline"] = None
    pipelines[f"{here}.PartPipeline"] = 900
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions[f"{here}.WorkerExtension"] = 100
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    # Closest to the engine: they see what every other middleware let through.
    spider_mws = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    spider_mws[f"{here}.InflightSpiderMiddleware"] = 1
    settings.set("SPIDER_MIDDLEWARES", spider_mws, priority="cmdline")
    download_mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    download_mws[f"{here}.InflightDownloaderMiddleware"] = 1
    settings.set("DOWNLOADER_MIDDLEWARES", download_mws, priority="cmdline")


class DistributedProgramSpider(ProgramSpider):
    """The program spider as a worker: its requests come from the shared queue (the seeding
    put the start URLs there), so it starts none itself."""

    async def start(self) -> AsyncIterator[Any]:
        return
        yield  # an async generator that yields nothing


class InflightScheduler(Scheduler):
    """scrapy-redis's scheduler; a request taken from the queue is recorded among the worker's
    in-flight requests in the same Redis step (``Frontier.pop``)."""

    context: WorkerContext

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InflightScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.context = context_of(crawler)
        return scheduler

    def open(self, spider: Spider) -> None:
        """scrapy-redis's ``open`` without its ``spider.log`` call (deprecated in Scrapy 2.13)."""
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if len(self.queue):
            logger.info("Joining a crawl with %s requests queued", len(self.queue))

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis's, counting without the ``spider`` argument Scrapy deprecated."""
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        popped = self.context.frontier.pop(self.context.worker)
        if popped is None:
            return None
        inflight_id, data = popped
        request = self.queue._decode_request(data)
        request.meta[META_INFLIGHT] = inflight_id
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


def _finish(context: WorkerContext, request: Request | None) -> None:
    """Strike a request off the worker's in-flight ones (once)."""
    if request is None:
        return
    inflight_id = request.meta.pop(META_INFLIGHT, None)
    if inflight_id:
        context.frontier.done(context.worker, [inflight_id])


class InflightSpiderMiddleware:
    """A page's request is done once its callback's output (records, new requests) has been
    handed on: the records are staged and the requests queued."""

    def __init__(self, context: WorkerContext) -> None:
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InflightSpiderMiddleware:
        return cls(context_of(crawler))

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterator[Any]:
        try:
            yield from result
        finally:
            _finish(self.context, response.request)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        try:
            async for item in result:
                yield item
        finally:
            _finish(self.context, response.request)

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Spider | None = None
    ) -> None:
        _finish(self.context, response.request)


class InflightDownloaderMiddleware:
    """A request whose download failed for good (no middleware retried it) is done."""

    def __init__(self, context: WorkerContext) -> None:
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InflightDownloaderMiddleware:
        return cls(context_of(crawler))

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> None:
        _finish(self.context, request)


class SharedRateDownloadHandler:
    """Scrapy's HTTP handler behind a per-host rate limit kept in Redis for all workers.

    On polite crawls (``REGMIG_POLITE``) two requests to one host, from any workers, are at
    least ``DOWNLOAD_DELAY`` apart, or the host's robots.txt ``Crawl-delay`` (shared through
    Redis by the first worker that reads it), and none goes while a ``Retry-After`` holds
    (both capped by ``REGMIG_MAX_CRAWL_DELAY``). The wait is taken right before the request
    goes out, after Scrapy's own per-worker delays. Other hosts are not held up.
    """

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.context = context_of(crawler)
        self.polite = settings.getbool("REGMIG_POLITE")
        self.interval = settings.getfloat("DOWNLOAD_DELAY") if self.polite else 0.0
        self.max_delay = settings.getfloat("REGMIG_MAX_CRAWL_DELAY")
        self.user_agent = settings.get("USER_AGENT")
        self.stats = crawler.stats
        inner = load_object(settings.getdict("DOWNLOAD_HANDLERS_BASE")["http"])
        self.inner = build_from_crawler(inner, crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedRateDownloadHandler:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        host = urlsplit(request.url).netloc.lower()
        if self.polite:
            from twisted.internet import reactor

            waited = 0.0
            while (wait := self.context.frontier.acquire(host, self.interval)) > 0:
                waited += wait
                await maybe_deferred_to_future(task.deferLater(reactor, wait))
            if waited and self.stats is not None:
                self.stats.inc_value("regmig/distributed/rate_limited")
        response = await self.inner.download_request(request)
        if self.polite:
            self._learn(host, request, response)
        return response

    def _learn(self, host: str, request: Request, response: Response) -> None:
        if response.status in (429, 503):
            wait = retry_after(response.headers.get(b"Retry-After"))
            if wait:
                self.context.frontier.hold(host, min(wait, self.max_delay))
        if urlsplit(request.url).path == "/robots.txt" and response.status == 200:
            delay = crawl_delay(response.body, self.user_agent or "*")
            if delay:
                self.context.frontier.set_crawl_delay(host, min(delay, self.max_delay))

    async def close(self) -> None:
        await self.inner.close()


class PartPipeline:
    """Stages each record in the worker's part (``dataset.parts``), in place of the
    single-process dataset pipeline; the merge commits the parts."""

    def __init__(self, crawler: Crawler) -> None:
        self.context = context_of(crawler)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PartPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        self.context.part.open()

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        self.context.part.add(item)
        self.stats.inc_value("regmig/dataset/staged")
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.context.part.finish(self.stats.get_stats(), finished=reason == "finished")


class WorkerExtension:
    """Joins the run, beats, puts dead workers' requests back in the queue, and keeps the
    spider open while any worker has work (``DontCloseSpider``): it closes once the shared
    frontier has been empty for ``REGMIG_REDIS_IDLE_TIMEOUT`` seconds."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = context_of(crawler)
        self.idle_since: float | None = None
        self._loops: list[task.LoopingCall] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerExtension:
        extension = cls(crawler)
        connect = crawler.signals.connect
        connect(extension.spider_opened, signal=signals.spider_opened)
        connect(extension.spider_idle, signal=signals.spider_idle)
        connect(extension.spider_closed, signal=signals.spider_closed)
        connect(extension.request_scheduled, signal=signals.request_scheduled)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        context = self.context
        context.frontier.join(context.worker, context.worker_timeout)
        logger.info("Worker %s joined crawl %s", context.worker, context.run.crawl_id)
        for function, interval in (
            (self._beat, context.worker_timeout / 3),
            (self._poll, POLL_SECONDS),
        ):
            loop = task.LoopingCall(function)
            loop.start(interval, now=False)
            self._loops.append(loop)

    def _beat(self) -> None:
        context = self.context
        context.frontier.heartbeat(context.worker, context.worker_timeout)
        context.part.checkpoint(self.crawler.stats.get_stats())
        self._reap()

    def _reap(self) -> None:
        requeued = self.context.frontier.reap()
        if requeued:
            self.crawler.stats.inc_value("regmig/distributed/requeued", requeued)
            logger.warning("Queued again %s requests of workers that died", requeued)

    def _poll(self) -> None:
        """Let the engine ask the queue now (requests other workers added)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None and getattr(slot, "closing", None) is None:
            nextcall.schedule()

    def spider_idle(self, spider: Spider) -> None:
        context = self.context
        frontier = context.frontier
        frontier.heartbeat(context.worker, context.worker_timeout)
        self._reap()
        # The engine is idle: nothing this worker took is still in its hands.
        frontier.clear_inflight(context.worker)
        if frontier.busy():
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < context.idle_timeout:
            raise DontCloseSpider
        logger.info(
            "The frontier has been empty for %.0f s: worker %s stops",
            now - self.idle_since,
            context.worker,
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        for loop in self._loops:
            if loop.running:
                loop.stop()

    def request_scheduled(self, request: Request, spider: Spider | None = None) -> None:
        """A retry or a redirect inherits its parent's in-flight id: the parent is done once
        its successor is queued (or dropped), at the next turn of the reactor."""
        inflight_id = request.meta.pop(META_INFLIGHT, None)
        if inflight_id:
            from twisted.internet import reactor

            context = self.context
            reactor.callLater(0, context.frontier.done, context.worker, [inflight_id])
