from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.settings import Settings

from regmig_scraper import __version__
from regmig_scraper import settings as project
from regmig_scraper.polite import NOT_POLITE, POLITE, PolitenessAddon, crawl_delay, retry_after
from tests.helpers import run_regmig

ROBOTS = b"User-agent: *\nCrawl-delay: 10\nDisallow: /admin/\n"


@pytest.mark.parametrize(
    ("body", "agent", "delay"),
    [
        (ROBOTS, "regmig-scraper/0.1", 10.0),
        (b"User-agent: *\nDisallow: /x\n", "regmig-scraper/0.1", None),
        (b"User-agent: other\nCrawl-delay: 5\n", "regmig-scraper/0.1", None),
        (b"\xff\xfe garbage", "regmig-scraper/0.1", None),
    ],
)
def test_crawl_delay(body: bytes, agent: str, delay: float | None) -> None:
    assert crawl_delay(body, agent) == delay


def test_retry_after_seconds_and_dates() -> None:
    assert retry_after(b"120") == 120.0
    assert retry_after(None) is None
    assert retry_after(b"soon") is None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=90)
    assert 80 <= retry_after(format_datetime(later, usegmt=True).encode()) <= 90
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    assert retry_after(format_datetime(earlier, usegmt=True).encode()) == 0.0


@pytest.mark.parametrize(("polite", "values"), [("true", POLITE), ("false", NOT_POLITE)])
def test_addon_sets_delays_below_user_overrides(polite: str, values: dict) -> None:
    settings = Settings({"REGMIG_POLITE": polite})
    settings.set("DOWNLOAD_DELAY", 7.5, priority="cmdline")  # as -s DOWNLOAD_DELAY=7.5
    PolitenessAddon().update_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == 7.5
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is values["AUTOTHROTTLE_ENABLED"]
    assert (
        settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        == values["CONCURRENT_REQUESTS_PER_DOMAIN"]
    )


# --------------------------------------------------------------------------- User-Agent

CONTACT = "https://example.org/contact"


@pytest.mark.parametrize(
    ("cmdline", "expected"),
    [
        ({}, f"regmig-scraper/{__version__} (+{project.REGMIG_CONTACT_URL})"),
        ({"REGMIG_CONTACT_URL": CONTACT}, f"regmig-scraper/{__version__} (+{CONTACT})"),
        ({"REGMIG_CONTACT_URL": CONTACT, "USER_AGENT": "x"}, "x"),
    ],
)
def test_user_agent_is_built_at_start(cmdline: dict, expected: str) -> None:
    settings = Settings()
    settings.setmodule(project, priority="project")
    settings.setdict(cmdline, priority="cmdline")  # as -s NAME=VALUE
    PolitenessAddon().update_settings(settings)
    assert settings.get("USER_AGENT") == expected


@contextmanager
def recording_user_agents() -> Iterator[tuple[str, list[str]]]:
    """A 127.0.0.1 server answering 404 to everything, recording each User-Agent."""
    agents: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            agents.append(self.headers.get("User-Agent", ""))
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", agents
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["-s", f"REGMIG_CONTACT_URL={CONTACT}"], f"regmig-scraper/{__version__} (+{CONTACT})"),
        (["-s", f"REGMIG_CONTACT_URL={CONTACT}", "-s", "USER_AGENT=x"], "x"),
    ],
)
def test_crawl_sends_the_user_agent(tmp_path: Path, options: list[str], expected: str) -> None:
    with recording_user_agents() as (base, agents):
        result = run_regmig(
            "crawl", "--start-url", f"{base}/programs/p", "--output", str(tmp_path),
            "-s", "REGMIG_POLITE=false", "-s", "REGMIG_PROGRESS_INTERVAL=0", *options,
        )  # fmt: skip
    assert agents, result.stderr[-3000:]  # robots.txt and the program page at least
    assert set(agents) == {expected}
