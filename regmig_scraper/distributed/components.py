"""A worker's Scrapy components: scrapy-redis's scheduler with in-flight bookkeeping, the
shared per-host rate limit, the part pipeline, and the extension that keeps the worker alive
while the frontier has work and stops it when it has had none for a while.

``regmig worker`` installs them (``worker_settings``) and hands them the worker's
``WorkerContext`` as ``crawler.regmig_worker``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import redis
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
# Request meta key: a request found on a page: the in-flight id of that page's request (taken
# off before the request is queued).
META_PARENT = "regmig_parent"
# How often an idle worker looks for requests other workers queued (Scrapy's engine itself
# looks every 5 s).
POLL_SECONDS = 0.5


class PageOutputs:
    """What each in-flight request's page gave (records, requests) that is not handed on yet.

    Scrapy exhausts a callback's output before it processes it: it reads the output into a
    queue of its own and stages records and queues requests from there, a reactor turn or
    many later (``CONCURRENT_ITEMS`` at a time). A request struck off when its output is read
    would leave, if the worker died then, records never staged and requests never queued,
    and nobody would fetch its page again: a whole pager lost. So a request is done once its
    output has been read to its end (``close``) and every record and request in it has been
    handed on (``settle``)."""

    def __init__(self) -> None:
        self._pending: dict[str, int] = {}
        self._reading: set[str] = set()

    def open(self, inflight_id: str) -> None:
        self._reading.add(inflight_id)

    def add(self, inflight_id: str) -> None:
        self._pending[inflight_id] = self._pending.get(inflight_id, 0) + 1

    def settle(self, inflight_id: str) -> bool:
        """One output handed on; whether its request is done now."""
        if inflight_id not in self._pending:
            return False
        self._pending[inflight_id] -= 1
        return self._done(inflight_id)

    def close(self, inflight_id: str) -> bool:
        """The output was read to its end (or the page failed); whether its request is done."""
        self._reading.discard(inflight_id)
        return self._done(inflight_id)

    def _done(self, inflight_id: str) -> bool:
        if inflight_id in self._reading or self._pending.get(inflight_id, 0) > 0:
            return False
        self._pending.pop(inflight_id, None)
        return True

    def clear(self) -> None:
        self._pending.clear()
        self._reading.clear()


class Heartbeat:
    """A worker's heartbeat, from a thread of its own.

    A worker counts as alive while its process is: a reactor busy for a while (a large page
    parsed on a loaded machine, a pipeline's first use) must not make the other workers take
    it for dead and fetch its pages a second time. A worker taken for dead all the same (its
    process stalled past the timeout) learns it at its next beat and joins again
    (``rejoined``, read by the reactor)."""

    def __init__(self, frontier: Frontier, worker: str, timeout: float) -> None:
        self.frontier = frontier
        self.worker = worker
        self.timeout = timeout
        self.rejoined = 0
        self._last = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="regmig-heartbeat", daemon=True)

    def start(self) -> None:
        """Join the run and beat every third of the timeout until ``stop``."""
        self.frontier.join(self.worker, self.timeout)
        self._last = time.monotonic()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.timeout / 3):
            self.beat()

    def beat(self) -> None:
        now = time.monotonic()
        gap, self._last = now - self._last, now
        try:
            rejoined = self.frontier.heartbeat(self.worker, self.timeout)
        except redis.RedisError as error:  # the next beat tries again
            logger.warning("Heartbeat of worker %s failed: %s", self.worker, error)
            return
        if rejoined:
            self.rejoined += 1
            logger.warning(
                "Worker %s was taken for dead (no heartbeat for %.1f s, the timeout is %s s): "
                "its requests were queued again (fetched twice); it joins again",
                self.worker,
                gap,
                self.timeout,
            )

    def stop(self) -> None:
        """No more beats (before the worker leaves the run: a late beat would join it again)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()


@dataclass
class WorkerContext:
    frontier: Frontier
    worker: str
    run: RunInfo
    part: PartWriter
    idle_timeout: float
    worker_timeout: float
    outputs: PageOutputs = field(default_factory=PageOutputs)
    heartbeat: Heartbeat | None = None

    def settle(self, inflight_id: str | None) -> None:
        """One record or request of the page of ``inflight_id`` handed on."""
        if inflight_id and self.outputs.settle(inflight_id):
            self.frontier.done(self.worker, [inflight_id])

    def close(self, inflight_id: str | None) -> None:
        """The page of ``inflight_id`` gave all it gives (or failed)."""
        if inflight_id and self.outputs.close(inflight_id):
            self.frontier.done(self.worker, [inflight_id])


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
        """scrapy-redis's, with the fingerprint recorded and the request queued in one Redis
        step (``Frontier.push``), and the page the request was found on told."""
        parent = request.meta.pop(META_PARENT, None)
        try:
            fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
            data = self.queue._encode_request(request)
            if not self.context.frontier.push(data, request.priority, fingerprint):
                self.df.log(request, self.spider)
                return False
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/redis")
            return True
        finally:
            self.context.settle(parent)

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
    """A request gave all it gives: struck off once what it gave is handed on."""
    if request is not None:
        context.close(request.meta.get(META_INFLIGHT))


class InflightSpiderMiddleware:
    """Follows each page's output (``PageOutputs``): its request is done once the output is
    read to its end and its records are staged (the item signals) and its requests queued
    (``InflightScheduler.enqueue_request``)."""

    def __init__(self, context: WorkerContext) -> None:
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InflightSpiderMiddleware:
        middleware = cls(context_of(crawler))
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(middleware.item_handed_on, signal=signal)
        return middleware

    def _track(self, inflight_id: str | None, output: Any) -> None:
        if output is None or not inflight_id:
            return
        from scrapy import Request

        if isinstance(output, Request):
            # A new request, never its page's retry: it carries no in-flight id of its own.
            output.meta.pop(META_INFLIGHT, None)
            output.meta[META_PARENT] = inflight_id
        self.context.outputs.add(inflight_id)

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterator[Any]:
        inflight_id = response.request.meta.get(META_INFLIGHT) if response.request else None
        if inflight_id:
            self.context.outputs.open(inflight_id)
        try:
            for output in result:
                self._track(inflight_id, output)
                yield output
        finally:
            self.context.close(inflight_id)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        inflight_id = response.request.meta.get(META_INFLIGHT) if response.request else None
        if inflight_id:
            self.context.outputs.open(inflight_id)
        try:
            async for output in result:
                self._track(inflight_id, output)
                yield output
        finally:
            self.context.close(inflight_id)

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Spider | None = None
    ) -> None:
        _finish(self.context, response.request)

    def item_handed_on(self, item: Any, response: Response | None = None, **kwargs: Any) -> None:
        """A record staged (``item_scraped``), dropped or failed in a pipeline (counted
        there): either way handed on."""
        request = getattr(response, "request", None)
        if request is not None:
            self.context.settle(request.meta.get(META_INFLIGHT))


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
        context.heartbeat = Heartbeat(context.frontier, context.worker, context.worker_timeout)
        context.heartbeat.start()
        logger.info("Worker %s joined crawl %s", context.worker, context.run.crawl_id)
        for function, interval in (
            (self._beat, context.worker_timeout / 3),
            (self._poll, POLL_SECONDS),
        ):
            loop = task.LoopingCall(function)
            loop.start(interval, now=False)
            self._loops.append(loop)

    def _beat(self) -> None:
        """The reactor's share of a beat: the part's checkpoint, dead workers reaped."""
        heartbeat = self.context.heartbeat
        if heartbeat is not None and heartbeat.rejoined:
            self.crawler.stats.set_value("regmig/distributed/rejoined", heartbeat.rejoined)
        self.context.part.checkpoint(self.crawler.stats.get_stats())
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
        self._reap()
        # The engine is idle: nothing this worker took is still in its hands, and every
        # record and request its pages gave is handed on.
        frontier.clear_inflight(context.worker)
        context.outputs.clear()
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
        if self.context.heartbeat is not None:
            self.context.heartbeat.stop()

    def request_scheduled(self, request: Request, spider: Spider | None = None) -> None:
        """A retry or a redirect inherits its parent's in-flight id: the parent is done once
        its successor is queued (or dropped), at the next turn of the reactor."""
        inflight_id = request.meta.pop(META_INFLIGHT, None)
        if inflight_id:
            from twisted.internet import reactor

            reactor.callLater(0, self.context.close, inflight_id)
