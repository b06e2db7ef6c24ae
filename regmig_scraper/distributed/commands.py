"""``regmig crawl --redis-url`` (seed a run), ``regmig worker`` and ``regmig merge``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
from pathlib import Path
from typing import Any

from regmig_scraper.status import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_USAGE

logger = logging.getLogger(__name__)

EXTRA_MISSING = (
    "distributed crawls need scrapy-redis and redis: pip install 'regmig-scraper[distributed]'"
)


def _error(message: str) -> None:
    print(f"regmig: error: {message}", file=sys.stderr)


def _frontier(url: str) -> Any:
    from regmig_scraper.distributed.frontier import Frontier

    frontier = Frontier(url)
    frontier.ping()
    return frontier


def _extra_installed() -> bool:
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError:
        return False
    return True


def seed(settings: Any, start_urls: list[str] | None) -> int:
    """Record a new run in Redis and put its start URLs in the shared queue."""
    if not _extra_installed():
        _error(EXTRA_MISSING)
        return EXIT_USAGE
    import redis
    from scrapy_redis.dupefilter import RFPDupeFilter
    from scrapy_redis.queue import PriorityQueue

    from regmig_scraper.dataset.run import new_crawl_id
    from regmig_scraper.distributed.frontier import RunInfo, RunInProgressError
    from regmig_scraper.sites.registry import load_sites
    from regmig_scraper.spiders.program import ProgramSpider

    url = settings.get("REGMIG_REDIS_URL")
    if settings.get("JOBDIR") or settings.getbool("REGMIG_INCREMENTAL"):
        _error("--redis-url cannot be combined with --resume or --incremental")
        return EXIT_USAGE
    if settings.getbool("HTTPCACHE_ENABLED"):
        _error("--redis-url cannot be combined with --replay or --record")
        return EXIT_USAGE
    spider = ProgramSpider(start_urls=start_urls)
    spider.choose_sites(
        load_sites(settings),
        forced=settings.get("REGMIG_SITE"),
        fallback=settings.get("REGMIG_SITE_FALLBACK"),
    )
    now = dt.datetime.now(dt.UTC)
    run = RunInfo(
        crawl_id=settings.get("REGMIG_CRAWL_ID") or new_crawl_id(now),
        started_at=now.isoformat(),
        start_urls=spider.start_urls,
    )
    try:
        frontier = _frontier(url)
        frontier.begin(run)
    except redis.RedisError as error:
        _error(f"cannot reach Redis at {url}: {error}")
        return EXIT_FAILED
    except RunInProgressError as error:
        _error(str(error))
        return EXIT_LOCKED
    queue = PriorityQueue(frontier.server, spider, frontier.queue_key)
    dupefilter = RFPDupeFilter(frontier.server, frontier.dupefilter_key)
    seeded = 0
    for request in spider.start_requests():
        fingerprint = None if request.dont_filter else dupefilter.request_fingerprint(request)
        if frontier.push(queue._encode_request(request), request.priority, fingerprint):
            seeded += 1
    print(
        f"regmig: crawl {run.crawl_id} seeded in {url}: {seeded} start URLs queued; "
        f"start workers with: regmig worker --redis-url {url} --output OUTPUT",
        file=sys.stderr,
    )
    return EXIT_OK


def run_worker(args: argparse.Namespace) -> int:
    from regmig_scraper.cli import crawl_settings

    try:
        settings = crawl_settings(args)
    except ValueError as error:
        _error(str(error))
        return EXIT_USAGE
    url = args.redis_url or settings.get("REGMIG_REDIS_URL")
    if not url:
        _error("regmig worker needs --redis-url (or -s REGMIG_REDIS_URL=...)")
        return EXIT_USAGE
    if not _extra_installed():
        _error(EXTRA_MISSING)
        return EXIT_USAGE
    if settings.getbool("REGMIG_INCREMENTAL") or settings.get("JOBDIR"):
        _error("a worker cannot be incremental or resumable (its frontier is in Redis)")
        return EXIT_USAGE
    import redis

    try:
        return _work(settings, url)
    except redis.RedisError as error:
        _error(f"Redis at {url}: {error}")
        return EXIT_FAILED


def _work(settings: Any, url: str) -> int:
    from scrapy.crawler import CrawlerProcess

    from regmig_scraper.dataset.parts import PartWriter, part_directory
    from regmig_scraper.distributed.components import (
        DistributedProgramSpider,
        WorkerContext,
        worker_settings,
    )
    from regmig_scraper.distributed.frontier import new_worker_id

    idle_timeout = settings.getfloat("REGMIG_REDIS_IDLE_TIMEOUT")
    worker_timeout = settings.getfloat("REGMIG_REDIS_WORKER_TIMEOUT")
    frontier = _frontier(url)
    run = frontier.wait_for_run(idle_timeout)
    if run is None:
        print(f"regmig: nothing to crawl: no run seeded in {url}", file=sys.stderr)
        return EXIT_OK
    output = Path(settings.get("REGMIG_OUTPUT")).resolve()
    worker = new_worker_id()
    part = PartWriter(
        part_directory(output, run.crawl_id, worker),
        crawl_id=run.crawl_id,
        started_at=run.started_at,
        start_url=" ".join(run.start_urls),
        worker=worker,
    )
    context = WorkerContext(frontier, worker, run, part, idle_timeout, worker_timeout)
    worker_settings(settings, url)
    started = time.monotonic()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DistributedProgramSpider)
    crawler.regmig_worker = context  # type: ignore[attr-defined]
    process.crawl(crawler, start_urls=run.start_urls)
    process.start()
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    reason = stats.get("finish_reason")
    finished = reason == "finished"
    if context.heartbeat is not None:
        context.heartbeat.stop()  # before leaving: a late beat would join the run again
    frontier.leave(worker, requeue=not finished)
    pages = int(stats.get("regmig/listing/pages", 0)) + int(stats.get("regmig/pages/fetched", 0))
    print(
        f"regmig: worker {worker} of crawl {run.crawl_id}: {pages} pages, "
        f"{stats.get('regmig/dataset/staged', 0)} records staged in {part.job.directory} "
        f"({time.monotonic() - started:.1f} s)",
        file=sys.stderr,
    )
    if not finished:
        _error(f"worker stopped ({reason}): its requests went back to the queue")
        return EXIT_FAILED
    if not _run_over(frontier, worker_timeout):
        print("regmig: other workers go on; the last one merges", file=sys.stderr)
        return EXIT_OK
    if not frontier.claim_merge(worker):
        return EXIT_OK
    print(f"regmig: last worker of crawl {run.crawl_id}: merging", file=sys.stderr)
    try:
        status = merge(settings, output, alive_within=0.0)  # every other worker is gone
    finally:
        # the run is over: the next seeding starts afresh; the claim stays, so a worker that
        # finds the run over only now does not merge a second time
        frontier.clear(keep_merge_claim=True)
    return status


def _run_over(frontier: Any, worker_timeout: float, poll: float = 0.5) -> bool:
    """Whether every worker has left and nothing is queued, waiting up to the worker timeout
    for workers that are about to leave or died without a word."""
    deadline = time.monotonic() + worker_timeout + 1
    while True:
        frontier.reap()
        if frontier.busy():
            return False
        if not frontier.workers():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(poll)


def merge(settings: Any, output: Path, alive_within: float | None = None) -> int:
    """Merge every crawl's parts in ``output`` into its dataset; the exit status. Parts a
    worker may still write (updated less than ``alive_within`` seconds ago, by default
    ``REGMIG_REDIS_WORKER_TIMEOUT``) make it refuse."""
    if alive_within is None:
        alive_within = settings.getfloat("REGMIG_REDIS_WORKER_TIMEOUT")
    from pipelines.dataset import publication_judge
    from pipelines.language import LanguagePipeline
    from regmig_scraper.cli import print_summary
    from regmig_scraper.dataset.parts import merge_parts
    from regmig_scraper.dataset.schema import PUBLICATIONS_INPUT_SCHEMA
    from regmig_scraper.dataset.store import DatasetLockedError
    from regmig_scraper.quality import parse_min_fill_rates
    from regmig_scraper.sites.registry import load_sites

    started = time.monotonic()
    try:
        outcomes = merge_parts(
            output,
            is_publication=publication_judge(load_sites(settings), settings.get("REGMIG_SITE")),
            detect_language=LanguagePipeline.from_settings(settings).detector(),
            min_fill_rates=parse_min_fill_rates(
                settings.getdict("REGMIG_MIN_FILL_RATES"), PUBLICATIONS_INPUT_SCHEMA.names
            ),
            strict=settings.getbool("REGMIG_STRICT"),
            alive_within=alive_within,
        )
    except DatasetLockedError as error:
        _error(str(error))
        return EXIT_LOCKED
    if not outcomes:
        print(f"regmig: nothing to merge in {output}", file=sys.stderr)
        return EXIT_OK
    for outcome in outcomes:
        print_summary(
            outcome.stats, output, time.monotonic() - started, outcome.status, outcome.why
        )
    return max(outcome.status for outcome in outcomes)


def run_merge(args: argparse.Namespace) -> int:
    from regmig_scraper.cli import crawl_settings

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s"
    )
    try:
        settings = crawl_settings(args)
    except ValueError as error:
        _error(str(error))
        return EXIT_USAGE
    return merge(settings, Path(settings.get("REGMIG_OUTPUT")).resolve())
