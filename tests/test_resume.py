"""``--resume``: an interrupted crawl continues where it stopped and commits as if it had not
been interrupted. The job state helpers, then real crawls of a slowed-down mirror on 127.0.0.1
interrupted with SIGTERM / SIGINT (Ctrl-C)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from regmig_scraper.dataset.journal import JobState, carried_stats
from regmig_scraper.dataset.staging import RunStaging
from regmig_scraper.mirror import ServedRequest, serving
from regmig_scraper.status import INTERRUPTED_REASON
from tests.helpers import SITE_ROOT

REPO = Path(__file__).resolve().parent.parent
PROGRAM_PATH = "/programs/regional-migration"
MIRROR_ORIGIN = re.compile(r"http://127\.0\.0\.1:\d+")
# Columns that differ between two runs of the same crawl by design.
RUN_COLUMNS = ("first_seen_at", "last_seen_at", "crawl_id")

# --------------------------------------------------------------------------- job state


@pytest.mark.parametrize(
    ("stats", "carried"),
    [
        ({"regmig/listing/pages": 3, "item_scraped_count": 40}, {"regmig/listing/pages": 3,
                                                                 "item_scraped_count": 40}),
        ({"elapsed_time_seconds": 2.5, "finish_reason": "shutdown"}, {}),  # not counters
        ({"regmig/resume/interrupted": 1, "memusage/startup": 10**8}, {}),  # this run's own
        ({"some/flag": True}, {}),  # a bool is not a count
        ({"request_depth_max": 4}, {"request_depth_max": 4}),
    ],
)  # fmt: skip
def test_carried_stats(stats: dict, carried: dict) -> None:
    assert carried_stats(stats) == carried


def _record(n: int) -> dict:
    return {"source": "listing", "url": f"https://www.migrationpolicy.org/research/p{n}"}


def test_journal_round_trip_across_runs(tmp_path: Path) -> None:
    first = JobState(tmp_path / ".job")
    assert not first.load()
    first.save(crawl_id="20261128T000000Z-1", started_at="2026-11-28T00:00:00+00:00")
    first.open_journal()
    first.append(_record(1))
    first.close_journal()

    second = JobState(tmp_path / ".job")
    assert second.load() and second.state["crawl_id"] == "20261128T000000Z-1"
    second.open_journal()
    second.append(_record(2))
    second.close_journal()
    with RunStaging(tmp_path / "staging.sqlite") as staging:
        assert second.replay(staging) == (2, False)
        assert sorted(records[0]["url"] for _, records in staging.groups()) == [
            _record(1)["url"],
            _record(2)["url"],
        ]


def test_torn_journal_tail_is_cut_off(tmp_path: Path) -> None:
    job = JobState(tmp_path / ".job")
    job.open_journal()
    job.append(_record(1))
    job.append(_record(2))
    job.close_journal()
    whole = job.journal_path.stat().st_size
    with job.journal_path.open("r+b") as journal:  # SIGKILL in the middle of a write
        journal.truncate(whole - 5)
    assert job.replay(None) == (1, True)  # what a resumed run does before appending
    assert job.replay(None) == (1, False)
    job.open_journal()  # later appends stay readable
    job.append(_record(3))
    job.close_journal()
    with RunStaging(tmp_path / "staging2.sqlite") as staging:
        assert job.replay(staging) == (2, False)


def test_unreadable_state_refuses_to_resume(tmp_path: Path) -> None:
    job = JobState(tmp_path)
    (tmp_path / "regmig.json").write_text("{", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"remove .* to start over"):
        job.load()


# --------------------------------------------------------------------------- real crawls


def regmig_command(base: str, output: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "regmig_scraper.cli", "crawl", "--start-url", base + PROGRAM_PATH,
        "--output", str(output), "-s", "REGMIG_POLITE=false", *extra,
    ]  # fmt: skip


def _unported(value: object) -> object:
    """The mirror's address (a new port for every server) made comparable."""
    if isinstance(value, str):
        return MIRROR_ORIGIN.sub("http://mirror", value)
    if hasattr(value, "tolist"):
        return [_unported(v) for v in value.tolist()]
    return value


def publications(output: Path) -> pd.DataFrame:
    frame = pd.read_parquet(output / "publications").drop(columns=list(RUN_COLUMNS))
    for column in ("listing_urls", "alternate_urls"):
        frame[column] = frame[column].map(_unported)
    return frame.sort_values("id").reset_index(drop=True)


@pytest.fixture(scope="module")
def uninterrupted(mirror_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("uninterrupted")
    result = subprocess.run(
        regmig_command(mirror_url, output), cwd=REPO, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return output


def _interrupt_after(
    command: list[str], log: list[ServedRequest], requests: int, signum: int
) -> subprocess.CompletedProcess[str]:
    process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(log) < requests and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, "", stderr)


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_interrupted_crawl_resumes_and_merges_like_an_uninterrupted_one(
    uninterrupted: Path, tmp_path: Path, signum: int
) -> None:
    output = tmp_path / "output"
    log: list[ServedRequest] = []
    # slowed down (0.15 s an answer, two at a time) so the signal lands mid-crawl
    with serving(SITE_ROOT, log=log, delay=0.15) as base:
        command = regmig_command(base, output, "--resume", "-s", "CONCURRENT_REQUESTS=2")
        stopped = _interrupt_after(command, log, requests=10, signum=signum)
        first = [e.path for e in log]

        assert stopped.returncode == 1, stopped.stderr[-3000:]
        assert INTERRUPTED_REASON in stopped.stderr
        assert not list(output.glob("publications/*.parquet"))  # nothing committed
        state = json.loads((output / ".job" / "regmig.json").read_text(encoding="utf-8"))
        assert state["stats"]["regmig/dataset/staged"] > 0

        log.clear()
        resumed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=240)
        second = [e.path for e in log]

    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "this crawl took 2 runs" in resumed.stderr
    reference = json.loads(pd.read_parquet(uninterrupted / "runs")["stats_json"][0])
    assert len(second) > 1  # the first run did not finish
    assert set(first) & set(second) == {"/robots.txt"}  # nothing else fetched twice
    assert len(first) + len(second) == reference["downloader/request_count"] + 1
    pd.testing.assert_frame_equal(publications(output), publications(uninterrupted))
    written = pd.read_parquet(output / "publications")
    assert set(written["crawl_id"]) == {state["crawl_id"]}
    runs = pd.read_parquet(output / "runs")
    assert list(runs["crawl_id"]) == [state["crawl_id"]]
    assert json.loads(runs["stats_json"][0])["regmig/resume/segments"] == 2
    assert not (output / ".job").exists()  # cleaned once finished


@pytest.mark.slow
@pytest.mark.server
def test_uninterrupted_resumable_run_leaves_no_job_directory(
    mirror_url: str, uninterrupted: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        regmig_command(mirror_url, tmp_path, "--resume"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (tmp_path / ".job").exists()
    pd.testing.assert_frame_equal(publications(tmp_path), publications(uninterrupted))
