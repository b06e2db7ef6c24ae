"""The shared frontier's Redis steps (regmig_scraper.distributed.frontier) and the merge of
worker parts (regmig_scraper.dataset.parts), one behaviour each."""

from __future__ import annotations

import datetime as dt
import pickle
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from regmig_scraper.dataset.parts import PartWriter, merge_parts, part_directory
from regmig_scraper.dataset.store import DatasetLockedError, DatasetStore
from regmig_scraper.record import SOURCE_PAGE
from tests.redis_server import redis_url


@pytest.fixture
def frontier(tmp_path: Path) -> Iterator[object]:
    with redis_url(tmp_path) as url:
        from regmig_scraper.distributed.frontier import Frontier

        yield Frontier(url)


def _queue(frontier, *requests: tuple[bytes, int]) -> None:
    for data, priority in requests:
        frontier.server.zadd(frontier.queue_key, {data: -priority})


@pytest.mark.redis
def test_pop_takes_the_highest_priority_into_the_workers_inflight(frontier) -> None:
    _queue(frontier, (b"listing", 0), (b"page", 10))
    frontier.join("w1", timeout=30)
    inflight_id, data = frontier.pop("w1")
    assert data == b"page"
    assert frontier.server.hget(frontier.inflight_key("w1"), inflight_id) == b"-10\npage"
    assert frontier.queued() == 1


@pytest.mark.redis
def test_a_dead_workers_inflight_requests_go_back_to_the_queue(frontier) -> None:
    _queue(frontier, (b"a", 10), (b"b", 0))
    frontier.join("dead", timeout=0.05)
    frontier.pop("dead")
    frontier.pop("dead")
    time.sleep(0.1)  # its heartbeat expires
    assert frontier.reap() == 2
    assert frontier.workers() == []
    frontier.join("other", timeout=30)
    assert frontier.pop("other")[1] == b"a"  # with its priority


@pytest.mark.redis
def test_a_worker_taken_for_dead_takes_nothing_until_it_beats_again(frontier) -> None:
    _queue(frontier, (b"a", 0), (b"b", 0))
    frontier.join("stalled", timeout=0.05)
    frontier.pop("stalled")
    time.sleep(0.1)  # it stalls past the worker timeout
    assert frontier.reap() == 1  # another worker queues its request again
    # Taking more now would hold requests no worker of the run knows of.
    assert frontier.pop("stalled") is None
    assert frontier.heartbeat("stalled", timeout=30)  # it learns it was taken for dead
    assert frontier.workers() == ["stalled"]
    assert frontier.pop("stalled") is not None
    assert not frontier.heartbeat("stalled", timeout=30)  # an ordinary beat


@pytest.mark.redis
def test_push_records_the_fingerprint_and_queues_together(frontier) -> None:
    assert frontier.push(b"page", 10, "fp1")
    assert frontier.server.sismember(frontier.dupefilter_key, "fp1")
    assert frontier.server.zrange(frontier.queue_key, 0, -1, withscores=True) == [(b"page", -10)]
    assert not frontier.push(b"same page again", 10, "fp1")  # seen: not queued
    assert frontier.queued() == 1
    assert frontier.push(b"retry", 0, None) and frontier.push(b"retry 2", 0, None)  # unfiltered
    assert frontier.queued() == 3


@pytest.mark.redis
def test_a_live_workers_inflight_requests_stay(frontier) -> None:
    _queue(frontier, (b"a", 0))
    frontier.join("alive", timeout=30)
    frontier.pop("alive")
    assert frontier.reap() == 0
    assert frontier.busy()


@pytest.mark.redis
def test_done_requests_leave_the_frontier_empty(frontier) -> None:
    _queue(frontier, (b"a", 0))
    frontier.join("w1", timeout=30)
    inflight_id, _ = frontier.pop("w1")
    frontier.done("w1", [inflight_id])
    assert not frontier.busy()


@pytest.mark.redis
def test_leaving_with_requeue_hands_requests_back(frontier) -> None:
    _queue(frontier, (b"a", 0))
    frontier.join("w1", timeout=30)
    frontier.pop("w1")
    frontier.leave("w1", requeue=True)
    assert frontier.workers() == [] and frontier.queued() == 1


@pytest.mark.redis
def test_one_host_is_spaced_by_its_crawl_delay_for_every_worker(frontier) -> None:
    frontier.set_crawl_delay("a.test", 0.5)
    assert frontier.acquire("a.test", 0.0) == 0
    assert 0.3 < frontier.acquire("a.test", 0.0) <= 0.5  # another worker's request waits


@pytest.mark.redis
def test_other_hosts_are_not_held_up(frontier) -> None:
    frontier.set_crawl_delay("a.test", 5)
    frontier.acquire("a.test", 0.0)
    assert frontier.acquire("b.test", 0.0) == 0


@pytest.mark.redis
def test_retry_after_holds_a_host(frontier) -> None:
    frontier.hold("a.test", 2)
    assert 1.5 < frontier.acquire("a.test", 0.0) <= 2


@pytest.mark.redis
def test_claim_merge_has_one_winner(frontier) -> None:
    assert [frontier.claim_merge(w) for w in ("w1", "w2")] == [True, False]


@pytest.mark.redis
def test_a_worker_late_to_a_merged_run_does_not_merge_again(frontier) -> None:
    from regmig_scraper.distributed.frontier import RunInfo

    frontier.begin(RunInfo("c1", "2026-12-01T03:15:00+00:00", ["http://127.0.0.1/x"]))
    assert frontier.claim_merge("w1")
    frontier.clear(keep_merge_claim=True)  # what the merging worker does at the end
    assert not frontier.claim_merge("w2")  # found the run over only now: no second merge
    frontier.begin(RunInfo("c2", "2026-12-02T03:15:00+00:00", ["http://127.0.0.1/x"]))
    assert frontier.claim_merge("w2")  # a new run has its own merge


# --------------------------------------------------------------------------- parts (no Redis)

STARTED = dt.datetime(2026, 12, 1, 3, 15, tzinfo=dt.UTC)


def _page(url: str, title: str) -> dict:
    return {
        "source": SOURCE_PAGE, "url": url, "request_url": url, "title": title,
        "page_kind": "publication", "content_type": "report", "language": "en",
        "published": dt.date(2024, 1, 1), "date_precision": "day",
    }  # fmt: skip


def _part(output: Path, worker: str, records: list[dict], *, finished: bool) -> PartWriter:
    part = PartWriter(
        part_directory(output, "crawl-1", worker),
        crawl_id="crawl-1",
        started_at=STARTED.isoformat(),
        start_url="https://example.org/programs/x",
        worker=worker,
    )
    part.open()
    for record in records:
        part.add(record)
    stats = {"regmig/listing/pages": 1, "regmig/pages/fetched": len(records)}
    if finished:
        part.finish(stats, finished=True)
    else:
        part.checkpoint(stats)
    return part


def _merge(output: Path, alive_within: float = 0.0):
    return merge_parts(
        output,
        is_publication=lambda record: True,
        detect_language=lambda title, body: ("en", 1.0),
        min_fill_rates={},
        strict=False,
        alive_within=alive_within,
    )


def test_parts_merge_into_one_row_per_publication_and_one_run(tmp_path: Path) -> None:
    _part(tmp_path, "w1", [_page("https://example.org/a", "A")], finished=True)
    both = [_page("https://example.org/a", "A"), _page("https://example.org/b", "B")]
    _part(tmp_path, "w2", both, finished=True)
    [outcome] = _merge(tmp_path)
    assert outcome.status == 0
    store = DatasetStore(tmp_path)
    assert sorted(store.read_publications()["url"].to_pylist()) == [
        "https://example.org/a", "https://example.org/b",
    ]  # fmt: skip
    runs = store.read_runs()
    assert runs["crawl_id"].to_pylist() == ["crawl-1"]
    assert runs["pages_fetched"].to_pylist() == [2 + 3]  # every worker's pages
    assert not (tmp_path / ".parts" / "crawl-1").exists()


def test_a_killed_workers_torn_last_record_is_cut_off(tmp_path: Path) -> None:
    part = _part(tmp_path, "w1", [_page("https://example.org/a", "A")], finished=False)
    with part.job.journal_path.open("ab") as journal:
        journal.write(pickle.dumps(_page("https://example.org/b", "B"))[:-5])  # SIGKILL here
    [outcome] = _merge(tmp_path)
    assert outcome.stats["regmig/resume/journal_truncated"] == 1
    assert outcome.stats["regmig/distributed/workers_lost"] == 1
    assert DatasetStore(tmp_path).read_publications()["url"].to_pylist() == [
        "https://example.org/a"
    ]


def test_merge_refuses_while_a_worker_may_still_run(tmp_path: Path) -> None:
    _part(tmp_path, "w1", [_page("https://example.org/a", "A")], finished=False)
    with pytest.raises(DatasetLockedError, match="may still be running"):
        _merge(tmp_path, alive_within=60)


def test_a_merge_killed_after_its_commit_is_not_committed_twice(tmp_path: Path) -> None:
    _part(tmp_path, "w1", [_page("https://example.org/a", "A")], finished=True)
    saved = tmp_path / "saved-parts"
    shutil.copytree(tmp_path / ".parts", saved)
    _merge(tmp_path)
    shutil.copytree(
        saved, tmp_path / ".parts", dirs_exist_ok=True
    )  # as if killed before removing the parts
    [outcome] = _merge(tmp_path)
    assert outcome.why == "committed before"
    assert len(DatasetStore(tmp_path).read_runs()) == 1


# --------------------------------------------------------------------------- a worker's page


def _worker_scheduler(frontier, tmp_path: Path):
    """A worker's scheduler and spider middleware on a real Redis, as ``regmig worker`` sets
    them up."""
    from scrapy.settings import Settings

    from regmig_scraper.distributed.components import (
        DistributedProgramSpider,
        InflightScheduler,
        InflightSpiderMiddleware,
        WorkerContext,
        worker_settings,
    )
    from regmig_scraper.distributed.frontier import RunInfo
    from tests.helpers import get_crawler

    settings = Settings()
    worker_settings(settings, frontier.url)
    names = ("REDIS_URL", "SCHEDULER_PERSIST", "SCHEDULER_QUEUE_CLASS", "SCHEDULER_QUEUE_KEY")
    names += ("SCHEDULER_DUPEFILTER_KEY", "DUPEFILTER_CLASS")
    crawler = get_crawler(DistributedProgramSpider, {name: settings[name] for name in names})
    run = RunInfo("crawl-1", STARTED.isoformat(), ["http://127.0.0.1:9/topics/a/"])
    part = PartWriter(tmp_path, crawl_id="crawl-1", started_at="", start_url="", worker="w1")
    crawler.regmig_worker = WorkerContext(frontier, "w1", run, part, 30, 30)
    spider = crawler._create_spider(start_urls=run.start_urls)
    crawler.spider = spider
    scheduler = InflightScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler, InflightSpiderMiddleware.from_crawler(crawler)


@pytest.mark.redis
def test_a_page_is_in_flight_until_its_records_are_staged_and_its_requests_queued(
    frontier, tmp_path: Path
) -> None:
    """Scrapy reads a callback's whole output before it stages a record or queues a request:
    a page struck off then, and its worker killed, would lose all it led to."""
    from scrapy import Request
    from scrapy.http import HtmlResponse

    scheduler, middleware = _worker_scheduler(frontier, tmp_path)
    frontier.join("w1", timeout=30)
    scheduler.enqueue_request(Request("http://127.0.0.1:9/topics/a/"))
    request = scheduler.next_request()
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    record = {"url": "http://127.0.0.1:9/2024/01/p/"}
    found = Request("http://127.0.0.1:9/2024/01/p/")

    read = list(middleware.process_spider_output(response, iter([record, found])))
    assert read == [record, found]
    inflight = frontier.inflight_key("w1")
    assert frontier.server.hlen(inflight) == 1  # read, but nothing handed on yet
    middleware.item_handed_on(record, response=response)  # staged
    assert frontier.server.hlen(inflight) == 1
    assert scheduler.enqueue_request(found)  # queued
    assert frontier.server.hlen(inflight) == 0
    assert frontier.queued() == 1
    assert not scheduler.enqueue_request(Request(found.url))  # the duplicate filter holds


@pytest.mark.redis
def test_a_worker_whose_reactor_is_busy_stays_alive(frontier) -> None:
    """The heartbeat has a thread of its own: a worker busy past the timeout (a large page
    parsed on a loaded machine) is not taken for dead, so its pages are not fetched twice."""
    from regmig_scraper.distributed.components import Heartbeat

    heartbeat = Heartbeat(frontier, "busy", timeout=0.3)
    heartbeat.start()
    _queue(frontier, (b"a", 0))
    frontier.pop("busy")
    try:
        time.sleep(1.0)  # the reactor's thread does not come back for three timeouts
        assert frontier.reap() == 0
        assert frontier.workers() == ["busy"]
    finally:
        heartbeat.stop()
    assert heartbeat.rejoined == 0
    time.sleep(0.4)  # stopped: its heartbeat expires, and it is reaped like a dead worker
    assert frontier.reap() == 1
