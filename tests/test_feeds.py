"""Feeds and sitemaps read from saved files (tests/fixtures/feeds/), without Scrapy."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from regmig_scraper.feeds import (
    MAX_SITEMAP_BYTES,
    Entry,
    changed_since,
    feed_links,
    parse_date,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
)
from tests.helpers import FIXTURES

FEEDS = FIXTURES / "feeds"
BASE = "https://www.example.org/"
UTC = dt.UTC


def _at(*args: int, tz: dt.tzinfo = UTC) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz)


def test_feed_links_names_rss_and_atom_once_each() -> None:
    html = (FEEDS / "page.html").read_text(encoding="utf-8")
    assert feed_links(html, BASE + "programs/example") == [
        "https://www.example.org/rss/program",
        "https://www.example.org/atom/program",
    ]


@pytest.mark.parametrize("html", ["", "<html><head></head></html>", "\x00\x01not html"])
def test_feed_links_of_pages_without_feeds(html: str) -> None:
    assert feed_links(html, BASE) == []


def test_rss_feed() -> None:
    entries = parse_feed((FEEDS / "rss.xml").read_bytes(), BASE + "rss/program")
    minus4 = dt.timezone(dt.timedelta(hours=-4))
    assert entries == [
        Entry(BASE + "research/newest-report", _at(2022, 5, 18, 16, 15, 34, tz=minus4)),
        Entry(BASE + "news/relative-commentary", _at(2022, 5, 16, 16, 25, 12, tz=minus4)),
        Entry("https://www.example.org/article/guid-only", None),
        Entry("https://www.example.org/research/bad-date", None),
    ]  # fmt: skip


def test_atom_feed() -> None:
    entries = parse_feed((FEEDS / "atom.xml").read_bytes(), "https://blog.example.org/feed/")
    assert entries == [
        Entry("https://blog.example.org/2024/05/first-post/", _at(2024, 5, 2, 10)),
        Entry("https://blog.example.org/2024/04/second-post/", _at(2024, 4, 20)),
    ]


def test_rss_1_0_feed() -> None:
    entries = parse_feed((FEEDS / "rdf.xml").read_bytes(), BASE)
    assert entries == [Entry("https://www.example.org/research/rdf-item", _at(2023, 1, 5))]


@pytest.mark.parametrize(
    "body", [b"", b"<html><body>not a feed</body></html>", b"<rss><channel><item>", b"\xff\xfe"]
)
def test_what_is_no_feed_gives_no_entries(body: bytes) -> None:
    assert parse_feed(body, BASE) == []


def test_robots_sitemaps() -> None:
    text = (FEEDS / "robots.txt").read_text(encoding="utf-8")
    assert robots_sitemaps(text, BASE + "robots.txt") == [
        "https://www.example.org/sitemap_index.xml",
        "https://www.example.org/sitemap-news.xml",
    ]
    assert robots_sitemaps("User-agent: *\nDisallow: /\n", BASE) == []


def test_sitemap_urlset() -> None:
    sitemap = parse_sitemap((FEEDS / "sitemap.xml").read_bytes(), BASE)
    assert sitemap.sitemaps == ()
    assert sitemap.entries == (
        Entry("https://www.example.org/research/newest-report", _at(2022, 5, 18)),
        Entry("https://www.example.org/research/older-report", _at(2021, 4, 1, 12)),
        Entry("https://www.example.org/about/people/someone", None),
    )


def test_sitemap_index() -> None:
    sitemap = parse_sitemap((FEEDS / "sitemap_index.xml").read_bytes(), BASE)
    assert sitemap.entries == ()
    assert sitemap.sitemaps == (
        "https://www.example.org/sitemap.xml?page=1",
        "https://www.example.org/sitemap.xml?page=2",
    )


def test_gzipped_sitemap_and_a_bomb() -> None:
    body = (FEEDS / "sitemap.xml").read_bytes()
    assert parse_sitemap(gzip.compress(body), BASE) == parse_sitemap(body, BASE)
    bomb = gzip.compress(b" " * (MAX_SITEMAP_BYTES + 1))
    assert parse_sitemap(bomb, BASE).entries == ()
    assert parse_sitemap(b"\x1f\x8bnot gzip", BASE).entries == ()


def test_entities_are_never_resolved() -> None:
    sitemap = parse_sitemap((FEEDS / "xxe.xml").read_bytes(), BASE)
    assert all("root:" not in entry.url for entry in sitemap.entries)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-05-18", _at(2022, 5, 18)),
        ("2022-05-18T10:00:00Z", _at(2022, 5, 18, 10)),
        ("2022-05-18T10:00:00+02:00", _at(2022, 5, 18, 8)),
        ("Wed, 18 May 2022 16:15:34 GMT", _at(2022, 5, 18, 16, 15, 34)),
        ("spring", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text, expected) -> None:
    assert parse_date(text) == expected


def test_changed_since() -> None:
    entries = [
        Entry("https://a/1", _at(2022, 5, 18)),
        Entry("https://a/2", _at(2021, 1, 1)),
        Entry("https://a/3", None),
    ]
    assert [e.url for e in changed_since(entries, _at(2022, 1, 1))] == ["https://a/1"]
    assert [e.url for e in changed_since(entries, None)] == ["https://a/1", "https://a/2"]
