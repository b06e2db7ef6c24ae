"""Progress while a crawl runs: the numbers, the log line, the live terminal line, and real
crawls of a slowed-down mirror on 127.0.0.1 (piped stderr, then a pseudo-terminal)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings

from regmig_scraper.mirror import serving
from regmig_scraper.progress import (
    CLEAR_LINE,
    Progress,
    ProgressAddon,
    ProgressExtension,
    format_bar,
    format_duration,
    format_line,
    take_progress,
)
from tests.helpers import SITE_ROOT, get_crawler, project_defaults

REPO = Path(__file__).resolve().parent.parent
PROGRAM_PATH = "/programs/regional-migration"
LOG_LINE = re.compile(
    r"Progress: (\d+) pages \(\d+\.\d/min\), (\d+) records staged, \d+ queued, \d+ errors, \w+"
)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (42.9, "42s"), (60, "1m00s"), (200, "3m20s"), (3600, "1h00m"), (7500, "2h05m")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


STATS = {
    "response_received_count": 120,
    "regmig/dataset/staged": 310,
    "scheduler/enqueued": 140,
    "scheduler/dequeued": 126,
    "regmig/pages/failed/http_404": 2,
    "regmig/listing/skipped/no_link": 5,  # a drop, not an error
}


def test_take_progress() -> None:
    progress = take_progress(STATS, elapsed=200.0, previous_pages=60, seconds=100.0)
    assert progress == Progress(
        pages=120, records=310, queued=14, errors=2, rate=36.0, elapsed=200.0
    )


@pytest.mark.parametrize(
    ("stats", "seconds", "expected"),
    [
        ({}, 30.0, Progress(0, 0, 0, 0, 0.0, 5.0)),  # nothing yet
        ({"response_received_count": 3}, 0.0, Progress(3, 0, 0, 0, 0.0, 5.0)),  # no interval
        ({"scheduler/enqueued": 1, "scheduler/dequeued": 2}, 30.0, Progress(0, 0, 0, 0, 0, 5.0)),
    ],
)
def test_take_progress_edges(stats: dict, seconds: float, expected: Progress) -> None:
    assert take_progress(stats, elapsed=5.0, previous_pages=0, seconds=seconds) == expected


def test_format_line() -> None:
    progress = Progress(pages=120, records=310, queued=14, errors=2, rate=36.0, elapsed=200.0)
    line = format_line(progress)
    assert line == "120 pages (36.0/min), 310 records staged, 14 queued, 2 errors, 3m20s"
    assert LOG_LINE.fullmatch("Progress: " + line)


@pytest.mark.parametrize(
    ("pages", "queued", "bar"),
    [
        (0, 0, "[------------------------]"),
        (6, 18, "[######------------------]"),
        (12, 12, "[############------------]"),
        (30, 0, "[########################]"),
    ],
)
def test_format_bar(pages: int, queued: int, bar: str) -> None:
    text = format_bar(Progress(pages, 7, queued, 1, 42.4, 61.0))
    assert text == f"{bar} {pages}/{pages + queued} pages | 7 records | 42/min | 1 errors | 1m01s"


@pytest.mark.parametrize("interval", ["0", "-1"])
def test_zero_interval_disables_progress(interval: str) -> None:
    crawler = get_crawler(settings_dict={"REGMIG_PROGRESS_INTERVAL": interval})
    with pytest.raises(NotConfigured):
        ProgressExtension.from_crawler(crawler)


def test_default_interval_is_thirty_seconds() -> None:
    extension = ProgressExtension.from_crawler(get_crawler(settings_dict={}))
    assert extension.interval == 30.0


@pytest.mark.parametrize(("interval", "logstats"), [("30", False), ("0", True)])
def test_progress_replaces_scrapys_logstats(interval: str, logstats: bool) -> None:
    settings = Settings({**project_defaults(), "REGMIG_PROGRESS_INTERVAL": interval})
    ProgressAddon().update_settings(settings)
    assert (settings.getfloat("LOGSTATS_INTERVAL") > 0) is logstats  # 0: LogStats is off


# --------------------------------------------------------------------------- real crawls


def _command(base: str, output: Path, interval: str) -> list[str]:
    return [
        sys.executable, "-m", "regmig_scraper.cli", "crawl", "--start-url", base + PROGRAM_PATH,
        "--output", str(output), "-s", "REGMIG_POLITE=false", "-s", "CONCURRENT_REQUESTS=2",
        "-s", f"REGMIG_PROGRESS_INTERVAL={interval}",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def slow_mirror():
    with serving(SITE_ROOT, delay=0.1) as base:  # about 1.5 s for the 28 requests
        yield base


@pytest.mark.slow
@pytest.mark.server
def test_progress_lines_at_a_steady_interval(slow_mirror: str, tmp_path: Path) -> None:
    result = subprocess.run(
        _command(slow_mirror, tmp_path, "0.3"), cwd=REPO, capture_output=True, text=True,
        timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    lines = LOG_LINE.findall(result.stderr)
    assert len(lines) >= 3
    pages = [int(p) for p, _ in lines]
    assert pages == sorted(pages) and pages[-1] > 0
    assert CLEAR_LINE not in result.stderr  # not a terminal: plain log lines only
    assert "Crawled " not in result.stderr  # one progress line, not Scrapy's LogStats too


@pytest.mark.slow
@pytest.mark.server
def test_progress_off(slow_mirror: str, tmp_path: Path) -> None:
    result = subprocess.run(
        _command(slow_mirror, tmp_path, "0"), cwd=REPO, capture_output=True, text=True,
        timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Progress:" not in result.stderr
    assert re.search(r"Crawled \d+ pages \(at \d+ pages/min\)", result.stderr)  # LogStats is back


def _run_on_a_terminal(command: list[str]) -> tuple[int, str]:
    """Run ``command`` with stderr on a pseudo-terminal; its exit status and what it showed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        command, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal
    )
    os.close(terminal)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(controller, 65536)
            except OSError:  # EIO: the other side is closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    status = process.wait(timeout=240)
    reader.join(timeout=10)
    os.close(controller)
    return status, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.server
def test_live_line_on_a_terminal(slow_mirror: str, tmp_path: Path) -> None:
    status, shown = _run_on_a_terminal(_command(slow_mirror, tmp_path, "0.3"))
    assert status == 0, shown[-3000:]
    assert "Progress:" not in shown  # the live line replaces the log lines
    lines = shown.replace("\r\n", "\n").split("\n")
    drawn = [line.split(CLEAR_LINE)[-1] for line in lines if CLEAR_LINE in line]
    bars = [text for text in drawn if re.match(r"\[[#-]{24}\] \d+/\d+ pages \|", text)]
    assert bars, shown[-3000:]
    assert re.match(r"\[#{24}\] (\d+)/\1 pages \|", bars[-1])  # ends complete, on its own line
    for line in lines:  # a log line never lands after a bar on the same screen line
        visible = line.split(CLEAR_LINE)[-1]
        assert not ("pages |" in visible and " INFO: " in visible), line
