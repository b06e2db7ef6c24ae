"""A newcomer's mistakes and interruptions: one clear last line and the documented exit code.

Every case runs the command as a user would (a subprocess from the repository root, its real
exit status) and reads the last line of stderr, the one a person or a scheduler's mail reads;
none may show a traceback at the default log level (issue 15).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from regmig_scraper.mirror import ServedRequest, serving
from regmig_scraper.status import EXIT_FAILED, EXIT_USAGE
from tests.helpers import REPO, SITE_ROOT, SNAPSHOT, run_regmig

PROGRAM = "/programs/regional-migration"


def last_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def assert_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]


# --- 3. bad settings and options: exit 2, one line -------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (["-s", "DOWNLOAD_DELAY=abc"], "DOWNLOAD_DELAY='abc' is not valid: expected a number"),
        (["-s", "REGMIG_POLITE=maybe"], "REGMIG_POLITE='maybe' is not valid: expected true or"),
        (["-s", "REGMIG_MIN_FILL_RATES=notjson"], "expected a JSON object"),
        (["-s", "REGMIG_POLTE=false"], "unknown setting REGMIG_POLTE; did you mean REGMIG_POLITE?"),
        (["-s", "REGMIG_MAX_PAGER_PAGE=-5"], "REGMIG_MAX_PAGER_PAGE='-5' is not valid"),
        (["--log-level", "LOUD"], "argument --log-level: invalid choice: 'LOUD'"),
    ],
)
def test_a_bad_setting_is_a_usage_error_in_one_line(
    tmp_path: Path, arguments: list[str], line: str
) -> None:
    result = run_regmig("crawl", "--replay", str(SNAPSHOT), "--output", str(tmp_path), *arguments)
    assert result.returncode == EXIT_USAGE
    assert line in last_line(result.stderr)
    assert_no_traceback(result.stderr)
    assert not (tmp_path / "publications").exists()


def test_scrapy_crawl_refuses_a_bad_setting_with_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "program", "-s", "REGMIG_POLITE=maybe",
         "-s", f"REGMIG_OUTPUT={tmp_path}"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == EXIT_USAGE
    assert "REGMIG_POLITE='maybe' is not valid" in last_line(result.stderr)
    assert_no_traceback(result.stderr)


# --- 4. an output directory that cannot be used ----------------------------------------------


def test_an_output_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("not a directory")
    result = run_regmig("crawl", "--replay", str(SNAPSHOT), "--output", str(target))
    assert result.returncode == EXIT_USAGE
    assert (
        last_line(result.stderr)
        == f"regmig: error: --output {target}: exists and is not a directory"
    )


def test_an_output_that_cannot_be_made_is_one_line() -> None:
    result = run_regmig("crawl", "--replay", str(SNAPSHOT), "--output", "/proc/regmig-output")
    assert result.returncode == EXIT_FAILED
    assert last_line(result.stderr).startswith("regmig: error: --output /proc/regmig-output: ")
    assert_no_traceback(result.stderr)


# --- 1, 2. a failed or interrupted run says so, and that nothing was written -----------------


def test_a_failed_run_says_nothing_was_written(tmp_path: Path) -> None:
    result = run_regmig(
        "crawl", "--replay", str(SNAPSHOT), "--output", str(tmp_path),
        "-s", 'REGMIG_MIN_FILL_RATES={"authors": 1.0}',
    )  # fmt: skip
    assert result.returncode == EXIT_FAILED
    assert "publications written: 0 (16 found, not committed)" in result.stderr
    assert "fill rate of authors below REGMIG_MIN_FILL_RATES" in last_line(result.stderr)
    assert not list(tmp_path.glob("publications/*.parquet"))


def _interrupt(
    command: list[str], log: list[ServedRequest], signum: int
) -> tuple[subprocess.CompletedProcess[str], int]:
    """Send ``signum`` once the crawl fetched a few pages; also the requests made after it."""
    process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(log) < 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    before = len(log)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, "", stderr), len(log) - before


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_crawl_says_it_was_interrupted_and_stops_at_once(
    tmp_path: Path, signum: int
) -> None:
    log: list[ServedRequest] = []
    with serving(SITE_ROOT, log=log) as base:
        # polite: one request a second per host, so requests queue in the downloader
        command = [
            sys.executable, "-m", "regmig_scraper.cli", "crawl", "--start-url", base + PROGRAM,
            "--output", str(tmp_path), "-s", "DOWNLOAD_DELAY=1", "-s", "AUTOTHROTTLE_ENABLED=false",
            "-s", "REGMIG_MAX_CRAWL_DELAY=1",
        ]  # fmt: skip
        stopped, after_signal = _interrupt(command, log, signum)
    assert stopped.returncode == EXIT_FAILED
    assert "interrupted (Ctrl-C or SIGTERM)" in last_line(stopped.stderr)
    assert "nothing was written" in last_line(stopped.stderr)
    assert "fill rate" not in stopped.stderr  # not blamed on the site
    assert "publications written: 0" in stopped.stderr
    assert after_signal <= 2  # at most the downloads already in flight (2 per host)
    assert_no_traceback(stopped.stderr)
    assert not list(tmp_path.glob("publications/*.parquet"))


# --- 5. a host that cannot be reached: a short log, and scrapy crawl fails too ---------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_host_gives_a_short_log_and_exit_1(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}{PROGRAM}"
    result = run_regmig(
        "crawl", "--start-url", url, "--output", str(tmp_path),
        "-s", "REGMIG_POLITE=false", "-s", "RETRY_TIMES=0",
    )  # fmt: skip
    assert result.returncode == EXIT_FAILED
    assert last_line(result.stderr) == "regmig: FAILED (exit 1): no listing page could be fetched"
    assert_no_traceback(result.stderr)
    assert len(result.stderr.splitlines()) < 30  # not Scrapy's component lists and stats dump
    assert "listening on port" not in result.stderr  # no console or remote control opened


def test_scrapy_crawl_exits_with_the_runs_status(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}{PROGRAM}"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "program", "-a", f"start_url={url}",
         "-s", f"REGMIG_OUTPUT={tmp_path}", "-s", "REGMIG_POLITE=false", "-s", "RETRY_TIMES=0"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == EXIT_FAILED, result.stderr[-2000:]


# --- 7. regmig serve ----------------------------------------------------------------------------


def _serve(*arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "regmig_scraper.cli", "serve", *arguments],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _get(url: str) -> int:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.server
def test_serve_serves_a_snapshot_root_and_refuses_a_busy_port() -> None:
    port = _closed_port()
    server = _serve(str(SNAPSHOT), "--port", str(port))
    try:
        assert _get(f"http://127.0.0.1:{port}{PROGRAM}") == 200
        second = _serve(str(SNAPSHOT), "--port", str(port))
        _, stderr = second.communicate(timeout=30)
        assert second.returncode == EXIT_FAILED
        assert last_line(stderr) == (
            f"regmig: error: cannot serve on 127.0.0.1:{port} (Address already in use); "
            "pass another --port"
        )
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_serve_refuses_a_missing_directory(tmp_path: Path) -> None:
    result = run_regmig("serve", str(tmp_path / "nowhere"))
    assert result.returncode == EXIT_USAGE
    assert last_line(result.stderr) == f"regmig: error: no directory at {tmp_path / 'nowhere'}"


# --- 8. replaying a recording needs no --start-url -----------------------------------------------


@pytest.mark.slow
@pytest.mark.server
def test_a_recording_replays_without_its_start_url(tmp_path: Path) -> None:
    recording = tmp_path / "recording"
    with serving(SITE_ROOT) as base:
        recorded = run_regmig(
            "crawl", "--record", str(recording), "--start-url", base + PROGRAM,
            "--output", str(tmp_path / "live"), "-s", "REGMIG_POLITE=false",
        )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr[-2000:]
    replayed = run_regmig("crawl", "--replay", str(recording), "--output", str(tmp_path / "out"))
    assert replayed.returncode == 0, replayed.stderr[-2000:]
    assert last_line(replayed.stderr) == "regmig: ok (exit 0): 16 publications written"
    assert len(pd.read_parquet(tmp_path / "out" / "publications")) == 16


def test_a_snapshot_without_its_start_url_says_what_to_pass(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    shutil.copytree(SITE_ROOT / "research", snapshot / "example.org" / "research")
    result = run_regmig("crawl", "--replay", str(snapshot), "--output", str(tmp_path / "out"))
    assert result.returncode == EXIT_USAGE
    assert "pass --start-url (hosts in the snapshot: example.org)" in last_line(result.stderr)
