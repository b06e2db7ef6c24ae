"""The site seam: sites chosen by host, start URLs split, the spider's site per request."""

from __future__ import annotations

import logging

import pytest
from scrapy.settings import Settings

from regmig_scraper import settings as project_settings
from regmig_scraper.sites.base import ListingLink, ListingPage, choose_site, claimed_by
from regmig_scraper.sites.generic import GenericSite
from regmig_scraper.sites.mpi import MpiDrupalSite
from regmig_scraper.sites.registry import load_sites
from regmig_scraper.spiders.program import ProgramSpider, site_name_for, split_start_urls
from tests.helpers import SNAPSHOT, run_regmig


class OtherSite:
    name = "other"
    hosts = ("example.org",)


class BlogSite:
    name = "blog"
    hosts = ("www.blog.example.org",)


SITES = {"mpi": MpiDrupalSite, "other": OtherSite, "blog": BlogSite}


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("www.migrationpolicy.org", "mpi"),
        ("migrationpolicy.org", "mpi"),
        ("MigrationPolicy.org.", "mpi"),
        ("www.migrationpolicy.org:443", "mpi"),
        ("migrationpolicyinstitute-europe.com", "mpi"),
        ("example.org", "other"),
        ("www.example.org", "other"),
        ("news.example.org", "other"),
        ("blog.example.org", "blog"),  # the most specific claim wins
        ("www.blog.example.org", "blog"),
        ("a.blog.example.org", "blog"),
        ("127.0.0.1", None),
        ("notexample.org", None),
        ("migrationpolicy.org.evil.com", None),
    ],
)
def test_site_is_chosen_by_host(host: str, site: str | None) -> None:
    assert choose_site(host, SITES) == site


def test_claimed_by_names_the_claiming_host() -> None:
    assert claimed_by("www.a.b.org", ("b.org", "a.b.org")) == "a.b.org"
    assert claimed_by("c.org", ("b.org",)) is None


@pytest.mark.parametrize(
    ("value", "urls"),
    [
        (None, []),
        ("https://a.org/x", ["https://a.org/x"]),
        ("https://a.org/x https://b.org/y", ["https://a.org/x", "https://b.org/y"]),
        ("https://a.org/x,https://b.org/y", ["https://a.org/x", "https://b.org/y"]),
        (" https://a.org/x ,\n http://b.org/y ", ["https://a.org/x", "http://b.org/y"]),
        ("https://a.org/x?page=0,0,2", ["https://a.org/x?page=0,0,2"]),  # commas in a URL
        (["https://a.org/x", " "], ["https://a.org/x"]),
    ],
)
def test_split_start_urls(value, urls: list[str]) -> None:
    assert split_start_urls(value) == urls


def test_forced_site_wins_over_the_host() -> None:
    assert site_name_for("https://example.org/x", SITES, "mpi", "mpi") == "mpi"


def test_unclaimed_host_falls_back_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        assert site_name_for("http://127.0.0.1:8000/x", SITES, "", "mpi") == "mpi"
    assert "no site module for host 127.0.0.1: using mpi" in caplog.text


def test_unclaimed_host_without_fallback_is_refused() -> None:
    with pytest.raises(ValueError, match=r"no site module for host 127\.0\.0\.1"):
        site_name_for("http://127.0.0.1:8000/x", SITES, "", "")


@pytest.mark.parametrize(("forced", "fallback"), [("nope", "mpi"), ("", "nope")])
def test_unknown_site_name_lists_the_known_ones(forced: str, fallback: str) -> None:
    with pytest.raises(ValueError, match=r"unknown site 'nope': known sites are blog, mpi, other"):
        site_name_for("https://example.org/x", SITES, forced, fallback)


def test_project_sites_merge_over_the_built_in_ones() -> None:
    settings = Settings()
    settings.setmodule(project_settings)
    assert load_sites(settings) == {"mpi": MpiDrupalSite, "generic": GenericSite}
    settings.set("REGMIG_SITES", '{"other": "tests.test_sites.OtherSite"}')  # as -s gives it
    assert load_sites(settings) == {
        "mpi": MpiDrupalSite,
        "generic": GenericSite,
        "other": OtherSite,
    }
    settings.set("REGMIG_SITES", {"mpi": None, "generic": None})
    assert load_sites(settings) == {}


def test_each_start_url_gets_its_site_and_allowed_host() -> None:
    spider = ProgramSpider(
        start_url="https://www.migrationpolicy.org/programs/a",
        start_urls="https://news.example.org/topics/b http://127.0.0.1:8000/programs/c",
    )
    spider.choose_sites(SITES, forced="", fallback="mpi")
    assert [(p.start_url, p.site) for p in spider.programs] == [
        ("https://www.migrationpolicy.org/programs/a", "mpi"),
        ("https://news.example.org/topics/b", "other"),
        ("http://127.0.0.1:8000/programs/c", "mpi"),
    ]
    assert spider.allowed_domains == ["www.migrationpolicy.org", "news.example.org", "127.0.0.1"]
    assert set(spider.sites) == {"other", "mpi"}


def test_one_start_url_is_as_before() -> None:
    spider = ProgramSpider(start_url="https://www.migrationpolicy.org/programs/a")
    assert spider.start_urls == ["https://www.migrationpolicy.org/programs/a"]
    assert spider.start_url == "https://www.migrationpolicy.org/programs/a"
    assert spider.allowed_domains == ["www.migrationpolicy.org"]


def test_listing_page_urls_are_its_links_urls() -> None:
    page = ListingPage(program=None, links=[ListingLink("https://a.org/x?page=1", depth=1)])
    assert page.listing_urls == ["https://a.org/x?page=1"]


def test_unknown_forced_site_is_a_usage_error(tmp_path) -> None:
    result = run_regmig(
        "crawl", "--replay", str(SNAPSHOT), "--output", str(tmp_path), "-s", "REGMIG_SITE=nope"
    )
    assert result.returncode == 2
    assert "unknown site 'nope': known sites are generic, mpi" in result.stderr
