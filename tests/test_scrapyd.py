"""Scheduling with scrapyd, as the README shows it: a real scrapyd on 127.0.0.1, the project
deployed to it with ``scrapyd-deploy``, a crawl of the mirror scheduled through its HTTP API,
and the Parquet dataset the job wrote."""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.server]

REPO = Path(__file__).resolve().parent.parent
PROJECT = "regmig_scraper"
PROGRAM_PATH = "/programs/regional-migration"
# What a deploy needs from the repository (the egg is built from these, as in a checkout).
DEPLOYED = ("regmig_scraper", "pipelines", "scrapy.cfg", "pyproject.toml", "README.md")
STARTUP_SECONDS = 60
JOB_SECONDS = 240


def _require(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed: pip install -e '.[test]' installs it")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _api(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A scrapyd on a free 127.0.0.1 port, every directory in tmp; (base URL, its home)."""
    _require("scrapyd")
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        f"items_dir = {home / 'items'}\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "poll_interval = 0.5\n"
        "max_proc = 1\n",
        encoding="utf-8",
    )
    log = (home / "scrapyd.out").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapyd"], cwd=home, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                output = (home / "scrapyd.out").read_text(encoding="utf-8", errors="replace")
                pytest.fail(f"scrapyd exited with {process.returncode}:\n{output[-3000:]}")
            try:
                if _api(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"scrapyd did not answer on {base} within {STARTUP_SECONDS} s")
            time.sleep(0.2)
        yield base, home
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _checkout(tmp_path: Path, base: str) -> Path:
    """A copy of the deployable project whose scrapy.cfg targets this scrapyd."""
    project = tmp_path / "project"
    project.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in DEPLOYED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=ignore)
        else:
            shutil.copy2(source, project / name)
    config = (project / "scrapy.cfg").read_text(encoding="utf-8")
    assert "url = http://127.0.0.1:6800/" in config  # the README's default target
    config = config.replace("url = http://127.0.0.1:6800/", f"url = {base}/")
    (project / "scrapy.cfg").write_text(config, encoding="utf-8")
    return project


def test_deploy_schedule_and_read_the_parquet(
    scrapyd: tuple[str, Path], mirror_url: str, expected: dict, tmp_path: Path
) -> None:
    _require("scrapyd_client")
    base, home = scrapyd
    project = _checkout(tmp_path, base)
    egg = tmp_path / "regmig_scraper.egg"
    deploy = [sys.executable, "-m", "scrapyd_client.deploy"]

    built = subprocess.run(
        [*deploy, "--build-egg", str(egg)], cwd=project, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert {"pipelines/dataset.py", "regmig_scraper/settings.py"} <= names
    assert "regmig_scraper/spiders/program.py" in names
    assert not any(name.startswith("tests/") for name in names)  # no fixtures in the egg
    assert "[scrapy]" in entry_points and "settings = regmig_scraper.settings" in entry_points

    deployed = subprocess.run(
        [*deploy, "default", "-p", PROJECT, "--version", "r1", "--egg", str(egg)],
        cwd=project, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert _api(base, f"listspiders.json?project={PROJECT}")["spiders"] == ["program"]

    output = tmp_path / "output"
    job = _api(
        base,
        "schedule.json",
        [
            ("project", PROJECT),
            ("spider", "program"),
            ("start_url", mirror_url + PROGRAM_PATH),
            ("setting", f"REGMIG_OUTPUT={output}"),
            ("setting", "REGMIG_POLITE=false"),
        ],
    )
    assert job["status"] == "ok", job
    jobid = job["jobid"]

    deadline = time.monotonic() + JOB_SECONDS
    while True:
        jobs = _api(base, f"listjobs.json?project={PROJECT}")
        if any(j["id"] == jobid for j in jobs["finished"]):
            break
        assert time.monotonic() < deadline, f"job {jobid} not finished in {JOB_SECONDS} s: {jobs}"
        time.sleep(0.5)

    job_log = next((home / "logs").rglob(f"{jobid}.log"), None)
    log_text = job_log.read_text(encoding="utf-8", errors="replace") if job_log else ""
    assert "Spider closed (finished)" in log_text, log_text[-3000:]
    frame = pd.read_parquet(output / "publications")
    assert sorted(frame["url"]) == sorted(p["canonical_url"] for p in expected["publications"])
    runs = pd.read_parquet(output / "runs")
    assert list(runs["exit_status"]) == [0]
