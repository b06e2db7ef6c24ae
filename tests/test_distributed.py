"""Distributed crawls: workers sharing one frontier in a real Redis (README, "Distributed
crawls"). The MPI sample (127.0.0.1) and the WordPress sample (127.0.0.2, read by the generic
site module) are served on loopback; three workers crawl them, one is killed with SIGKILL in the
middle, and the merged dataset must hold every publication of both exactly once, equal field by
field to a single-process crawl's, with every page fetched once but those the killed worker held
in flight at its death (fetched again, once, after it); a slow pipeline keeps records on their
way, so that the kill finds pages whose records and requests are not all handed on. Two
workers on a host with ``Crawl-delay: 1`` (the tiny site) make at most one request a second
together.
"""

from __future__ import annotations

import itertools
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from regmig_scraper import settings as project_settings
from regmig_scraper.mirror import ServedRequest, serving
from regmig_scraper.normalize.urls import normalize_url
from tests.helpers import FIXTURES, REPO, SITE_ROOT, run_regmig
from tests.redis_server import redis_url
from tests.sites.loopback_tiny import HOST as TINY_HOST
from tests.sites.loopback_tiny import loopback_copy

pytestmark = [pytest.mark.redis, pytest.mark.server, pytest.mark.slow]

MPI_PATH = "/programs/regional-migration"
WORDPRESS = FIXTURES / "wordpress"
WORDPRESS_HOST = "127.0.0.2"
WORDPRESS_PATH = "/topics/migration-governance/"
TINY_PATH = "/topics/migration/"
WORKER_SETTINGS = (
    "-s", "REGMIG_REDIS_IDLE_TIMEOUT=2",
    "-s", "REGMIG_REDIS_WORKER_TIMEOUT=3",
    "-s", "REGMIG_PROGRESS_INTERVAL=0",
)  # fmt: skip
WORKER_SECONDS = 180
# Every record held a while before the project's pipelines (tests/slow_pipeline.py).
SLOW_PIPELINES = json.dumps(
    {**project_settings.ITEM_PIPELINES, "tests.slow_pipeline.SlowPipeline": 50}
)
# Columns that say when and by which run: the rest must equal a single-process crawl's.
RUN_COLUMNS = {"first_seen_at", "last_seen_at", "crawl_id"}


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[str]:
    with redis_url(tmp_path) as url:
        yield url


class Sites:
    """The MPI mirror on 127.0.0.1 and the WordPress sample on 127.0.0.2, each with its
    request log."""

    def __init__(self, logs: dict[str, list[ServedRequest]], mpi: str, wordpress: str) -> None:
        self.logs = logs  # host:port -> the requests its server answered
        self.start_urls = [mpi + MPI_PATH, wordpress + WORDPRESS_PATH]

    def clear(self) -> None:
        for log in self.logs.values():
            log.clear()

    def requests(self) -> list[tuple[str, ServedRequest]]:
        """Every page request, as (``host:port/path``, request), robots.txt aside (each
        worker reads each host's robots.txt once)."""
        return [
            (origin + r.path, r)
            for origin, log in self.logs.items()
            for r in list(log)
            if r.path != "/robots.txt"
        ]

    def pages(self) -> Counter[str]:
        """How often each page was requested."""
        return Counter(page for page, _ in self.requests())

    def robots(self) -> int:
        return sum(r.path == "/robots.txt" for log in self.logs.values() for r in log)


@pytest.fixture(scope="module")
def sites() -> Iterator[Sites]:
    logs: dict[str, list[ServedRequest]] = {}
    mpi_log: list[ServedRequest] = []
    wordpress_log: list[ServedRequest] = []
    # Slow answers keep pages in flight, so the killed worker dies holding some.
    with (
        serving(SITE_ROOT, log=mpi_log, delay=0.2) as mpi,
        serving(WORDPRESS / "site", log=wordpress_log, delay=0.2, host=WORDPRESS_HOST) as wp,
    ):
        logs[urlsplit(mpi).netloc] = mpi_log
        logs[urlsplit(wp).netloc] = wordpress_log
        yield Sites(logs, mpi, wp)


def _start_args(sites: Sites) -> list[str]:
    return [arg for url in sites.start_urls for arg in ("--start-url", url)]


def _worker(redis: str, output: Path, *settings: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable, "-m", "regmig_scraper.cli", "worker", "--redis-url", redis,
            "--output", str(output), *WORKER_SETTINGS, *settings,
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def _finish(workers: list[subprocess.Popen[str]], logs: Path) -> dict[int, str]:
    """Each worker's output once it ended (also kept in ``logs``/worker-PID.log)."""
    outputs = {}
    for worker in workers:
        outputs[worker.pid] = worker.communicate(timeout=WORKER_SECONDS)[0]
        (logs / f"worker-{worker.pid}.log").write_text(outputs[worker.pid], encoding="utf-8")
    return outputs


def _warnings(outputs: dict[int, str]) -> str:
    """What the workers warned about: the first place to look when a check fails."""
    return "\n".join(
        f"{pid}: {line}"
        for pid, text in outputs.items()
        for line in text.splitlines()
        if " WARNING" in line or " ERROR" in line or line.startswith("regmig:")
    )


def _comparable(output: Path) -> pd.DataFrame:
    frame = pd.read_parquet(output / "publications").drop(columns=sorted(RUN_COLUMNS))
    for column in frame.columns:
        if frame[column].map(lambda v: hasattr(v, "__len__") and not isinstance(v, str)).any():
            frame[column] = frame[column].map(lambda v: sorted(v) if v is not None else None)
    return frame.sort_values("id").reset_index(drop=True)


def _expected_urls() -> list[str]:
    """Every publication of both samples, as the dataset names them (from the samples'
    expected.json files, not from a crawl)."""
    mpi = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    wordpress = json.loads((WORDPRESS / "expected.json").read_text(encoding="utf-8"))
    urls = [row["canonical_url"] for row in mpi["publications"]]
    urls += [normalize_url(row["canonical_url"]) for row in wordpress["publications"]]
    return sorted(urls)


@pytest.fixture(scope="module")
def single_process(sites: Sites, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    output = tmp_path_factory.mktemp("single") / "output"
    result = run_regmig(
        "crawl", *_start_args(sites), "--output", str(output),
        "-s", "REGMIG_POLITE=false",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    sites.clear()
    frame = _comparable(output)
    # the reference itself holds every publication of both samples, once
    assert set(_expected_urls()) <= set(frame["url"]), result.stderr[-3000:]
    assert frame["url"].is_unique
    return frame


def _victim(
    workers: list[subprocess.Popen[str]], output: Path, redis: str, seconds: float = 120
) -> tuple[subprocess.Popen[str], str]:
    """A worker in the middle of its work: it staged records and holds requests in flight
    (its part and its in-flight hash are named after its pid); with its worker id."""
    import redis as redis_client

    server = redis_client.Redis.from_url(redis)
    by_pid = {worker.pid: worker for worker in workers}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for journal in output.glob(".parts/*/*/records.pickle"):
            worker_id = journal.parent.name
            pid = int(worker_id.rsplit("-", 2)[1])
            inflight = server.hlen(f"regmig:program:inflight:{worker_id}")
            if pid in by_pid and journal.stat().st_size > 0 and inflight >= 2:
                return by_pid[pid], worker_id
        time.sleep(0.02)
    raise AssertionError(f"no worker was in the middle of its work within {seconds} s")


def _held(redis: str, worker_id: str) -> list[str]:
    """The pages a worker holds in flight (``host:port/path``), read from Redis."""
    import redis as redis_client

    server = redis_client.Redis.from_url(redis)
    held = []
    for value in server.hvals(f"regmig:program:inflight:{worker_id}"):
        _, data = value.split(b"\n", 1)
        url = urlsplit(pickle.loads(data)["url"])
        held.append(url.netloc + (url.path or "/") + (f"?{url.query}" if url.query else ""))
    return held


def test_three_workers_one_killed_give_the_single_process_dataset(
    redis: str, sites: Sites, single_process: pd.DataFrame, tmp_path: Path
) -> None:
    sites.clear()
    output = tmp_path / "output"
    seeded = run_regmig("crawl", "--redis-url", redis, *_start_args(sites), "--output", str(output))
    assert seeded.returncode == 0, seeded.stderr
    # Records held a while on their way to the part: the kill finds pages read whose records
    # and requests are not all handed on yet.
    workers = [
        _worker(
            redis, output, "-s", "REGMIG_POLITE=false", "-s", f"ITEM_PIPELINES={SLOW_PIPELINES}"
        )
        for _ in range(3)
    ]
    try:
        victim, victim_id = _victim(workers, output, redis)
        # Frozen first, so that what it holds is read exactly at its death.
        os.kill(victim.pid, signal.SIGSTOP)
        in_flight = _held(redis, victim_id)
        killed_at = time.time()
        victim.send_signal(signal.SIGKILL)
        outputs = _finish(workers, tmp_path)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    survivors = [w for w in workers if w is not victim]
    assert victim.returncode == -signal.SIGKILL
    for worker in survivors:
        assert worker.returncode == 0, outputs[worker.pid][-3000:]
    assert sum("merging" in outputs[w.pid] for w in survivors) == 1  # the last one merged
    assert not list(output.glob(".parts/*/*")), "the merged parts are removed"
    assert in_flight, "the victim held requests in flight"
    held = set(in_flight)

    merged = _comparable(output)
    assert merged["id"].is_unique
    missing = sorted(set(single_process["url"]) - set(merged["url"]))
    assert not missing, (missing, held, _warnings(outputs))
    assert set(_expected_urls()) <= set(merged["url"])
    pd.testing.assert_frame_equal(merged, single_process)

    runs = pd.read_parquet(output / "runs")
    assert len(runs) == 1
    stats = json.loads(runs.iloc[0]["stats_json"])
    assert stats["regmig/distributed/workers"] == 3
    assert stats["regmig/distributed/workers_lost"] == 1
    assert stats["regmig/distributed/requeued"] == len(in_flight)  # no live worker's
    assert runs.iloc[0]["exit_status"] == 0

    # Every page once, but those the killed worker held: queued again and fetched once more
    # by a survivor, after the kill (once in all if the victim had not sent it yet).
    fetched = sites.pages()
    assert set(fetched) & held == held  # none of them lost
    again = {page: n for page, n in fetched.items() if n > 1 and page not in held}
    assert not again, (again, held, _warnings(outputs))
    assert all(fetched[page] <= 2 for page in held), {page: fetched[page] for page in held}
    for page in held:
        times = sorted(r.at for p, r in sites.requests() if p == page)
        assert times[-1] > killed_at, page  # a survivor fetched it after the kill


def test_three_workers_fetch_every_page_once(
    redis: str, sites: Sites, single_process: pd.DataFrame, tmp_path: Path
) -> None:
    sites.clear()
    output = tmp_path / "output"
    seeded = run_regmig("crawl", "--redis-url", redis, *_start_args(sites), "--output", str(output))
    assert seeded.returncode == 0, seeded.stderr
    workers = [_worker(redis, output, "-s", "REGMIG_POLITE=false") for _ in range(3)]
    outputs = _finish(workers, tmp_path)
    assert [w.returncode for w in workers] == [0, 0, 0], "\n".join(
        o[-2000:] for o in outputs.values()
    )
    fetched = sites.pages()
    twice = [p for p, n in fetched.items() if n > 1]
    assert set(fetched.values()) == {1}, (twice, _warnings(outputs))
    assert sites.robots() <= 3 * 2  # each worker reads each host's robots.txt once
    pd.testing.assert_frame_equal(_comparable(output), single_process)


@pytest.fixture
def crawl_delayed_site(tmp_path: Path) -> Iterator[tuple[str, list[ServedRequest]]]:
    """The tiny site alone on its own loopback host, whose robots.txt asks for
    ``Crawl-delay: 1``."""
    log: list[ServedRequest] = []
    root = tmp_path / "site"
    root.mkdir()
    with serving(root, log=log, host=TINY_HOST) as base:
        loopback_copy(FIXTURES / "tinysite" / "tiny.example.org", root, base)
        (root / "robots.txt").write_text("User-agent: *\nCrawl-delay: 1\n", encoding="utf-8")
        yield base, log


def test_two_workers_keep_the_crawl_delay_together(
    redis: str, crawl_delayed_site: tuple[str, list[ServedRequest]], tmp_path: Path
) -> None:
    base, log = crawl_delayed_site
    output = tmp_path / "output"
    sites = '{"tiny": "tests.sites.loopback_tiny.LoopbackTinySite"}'
    forced = ("-s", "REGMIG_SITE=tiny", "-s", f"REGMIG_SITES={sites}")
    seeded = run_regmig(
        "crawl", "--redis-url", redis, "--start-url", base + TINY_PATH, "--output", str(output),
        *forced,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr
    # Polite (the default), and no delay of Scrapy's own: only the Crawl-delay spaces pages.
    # One request at a time per worker, so that neither takes every page of the host.
    settings = (
        *forced, "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false",
        "-s", "CONCURRENT_REQUESTS=1",
    )  # fmt: skip
    workers = [_worker(redis, output, *settings) for _ in range(2)]
    outputs = [worker.communicate(timeout=WORKER_SECONDS)[0] for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], "\n".join(o[-2000:] for o in outputs)
    assert sum(r.path == "/robots.txt" for r in log) == 2  # both workers crawled the host
    pages = sorted(r.at for r in log if r.path != "/robots.txt")
    assert len(pages) == 6  # two archive pages, four posts
    # At most one page a second, all workers together: any two pages at least a second apart
    # (the limit is taken in Redis right before a request goes; 50 ms for the way to the
    # server), so that n pages span at least n - 1 seconds.
    gaps = [later - earlier for earlier, later in itertools.pairwise(pages)]
    assert min(gaps) >= 0.95, gaps
    assert len(pages) <= (pages[-1] - pages[0]) / 0.95 + 1


def test_seeding_refuses_while_a_run_is_in_progress(redis: str, tmp_path: Path) -> None:
    start = ("--start-url", "http://127.0.0.1:9/programs/regional-migration")
    first = run_regmig("crawl", "--redis-url", redis, *start, "--output", str(tmp_path))
    assert first.returncode == 0, first.stderr
    second = run_regmig("crawl", "--redis-url", redis, *start, "--output", str(tmp_path))
    assert second.returncode == 4
    assert "a distributed run is in progress" in second.stderr


def test_a_worker_with_nothing_seeded_ends_at_once(redis: str, tmp_path: Path) -> None:
    result = run_regmig(
        "worker", "--redis-url", redis, "--output", str(tmp_path),
        "-s", "REGMIG_REDIS_IDLE_TIMEOUT=0.5",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "nothing to crawl" in result.stderr


def test_merge_with_no_parts_is_a_no_op(tmp_path: Path) -> None:
    result = run_regmig("merge", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "nothing to merge" in result.stderr
