from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

import pytest
from scrapy.settings import Settings

from regmig_scraper.polite import NOT_POLITE, POLITE, PolitenessAddon, crawl_delay, retry_after

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
