"""Nightly incremental runs on the WordPress sample, read by the generic site module, counted
from the mirror's side: a quiet night asks for the topic's first pages, robots.txt, the feeds
the topic page names, the sitemap robots.txt names and the one of its files that lists posts
(those of tags, categories, pages and people named none of the topic's posts: left until the
next full walk), once each; three new posts on top of the topic cost their three pages and no
other post's, and the dataset equals a full crawl's."""

from __future__ import annotations

import collections
import datetime as dt
import json
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
from lxml import html
from scrapy.http import Request, XmlResponse

from regmig_scraper.mirror import ServedRequest, serving
from tests.helpers import FIXTURES, content_rows, get_crawler, run_regmig
from tests.shifted_wordpress import PAGED_LIST, SITE, NewPost, add_posts

WORDPRESS = FIXTURES / "wordpress"
START = "/topics/migration-governance/"
# The topic's first page and its Spanish version (a tab of the program: its hreflang).
FIRST_PAGES = {"/topics/migration-governance", "/es/topics/gobernanza-migratoria"}
# The feeds the topic page names (<link rel="alternate" type="application/rss+xml">).
FEEDS = {"/feed/", "/topics/migration-governance/feed/"}
# Posts without a translation, of three types, from three pager pages.
TEMPLATES = (
    "/2024/07/five-priorities-for-return-and-reintegration-in-the-andean-region/",
    "/2024/01/why-humanitarian-parole-programs-cant-wait-in-the-caribbean/",
    "/2023/07/consular-protection-in-the-caribbean-experts-discuss-the-road-ahead/",
)


def _publish_new_posts(root: Path) -> list[NewPost]:
    """Three posts published a second apart from now on (after the last run started, as a
    feed's ``pubDate`` and a sitemap's ``lastmod`` then say), newest first; returns once the
    newest is no longer in the future."""
    first = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).replace(microsecond=0)
    new = [
        NewPost(
            f"a-new-post-{number}",
            f"A New Post Number {number} on Migration Governance",
            template,
            first + dt.timedelta(seconds=len(TEMPLATES) - number),
        )
        for number, template in enumerate(TEMPLATES, start=1)
    ]
    add_posts(root, new)
    time.sleep(max(0.0, (new[0].published - dt.datetime.now(dt.UTC)).total_seconds() + 0.1))
    return new


def _crawl(base: str, output: Path, *extra: str) -> str:
    result = run_regmig(
        "crawl", "--incremental", "--start-url", base + START, "--output", str(output),
        "-s", "REGMIG_POLITE=false", *extra,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def _sitemaps(root: Path) -> set[str]:
    """The sitemap files of the mirror: the one robots.txt names and those it lists."""
    return {"/" + path.name for path in root.glob("wp-sitemap*.xml")}


def _sitemaps_of_posts(root: Path, posts: set[str]) -> set[str]:
    """The sitemap robots.txt names, and the files it lists that name one of ``posts``."""
    named = {
        urlsplit(line.split(":", 1)[1].strip()).path
        for line in (root / "robots.txt").read_text(encoding="utf-8").splitlines()
        if line.lower().startswith("sitemap:")
    }
    return named | {
        "/" + path.name
        for path in root.glob("wp-sitemap-*.xml")
        if any(f"<loc>{SITE}{post}</loc>" in path.read_text(encoding="utf-8") for post in posts)
    }


def _post_paths() -> set[str]:
    expected = json.loads((WORDPRESS / "expected.json").read_text(encoding="utf-8"))
    return {urlsplit(row["canonical_url"]).path for row in expected["publications"]}


def _kind(path: str, posts: set[str], sitemaps: set[str]) -> str:
    """What a request the mirror answered was for (``other``: nothing a night should ask)."""
    if path == "/robots.txt":
        return "robots"
    if path in FEEDS:
        return "feed"
    if path in sitemaps:
        return "sitemap"
    if path.rstrip("/") in FIRST_PAGES or path.rstrip("/").startswith(tuple(FIRST_PAGES)):
        return "listing"
    if path.rstrip("/") + "/" in posts:
        return "post"
    return "other"


def _page(root: Path, number: int) -> Path:
    """The file of the topic's page ``number`` in the mirror at ``root``."""
    return root / START.strip("/") / ("" if number == 1 else f"page/{number}") / "index.html"


def _links(page: Path) -> list[str]:
    """The paths of the posts the paged list of a topic page shows, in order."""
    tree = html.fromstring(page.read_bytes())
    return [urlsplit(a).path for a in tree.xpath(f"{PAGED_LIST}/li//h2//a/@href")]


def _check_sightings(output: Path, root: Path, base: str) -> None:
    """What the night after the new posts says of the old ones (the README's "What a page
    not walked means"): the last post of page 1, pushed onto the walked page 2, lists both
    and was seen tonight; posts pushed from page 2 onto page 3, whose cached copy is older
    than the push and which the walk left, were seen by no page tonight: their
    ``last_seen_at`` is the night before's, and ``listing_urls`` does not name page 3."""
    frame = pd.read_parquet(output / "publications")
    frame["path"] = [urlsplit(url).path.rstrip("/") + "/" for url in frame["url"]]
    frame = frame.set_index("path")
    tonight = frame["last_seen_at"].max()
    sample = WORDPRESS / "site"
    moved_down = _links(_page(sample, 1))[-1]
    pushed = [p for p in _links(_page(root, 3)) if p not in _links(_page(sample, 3))]
    assert len(pushed) == len(TEMPLATES)
    moved = frame.loc[moved_down]
    assert moved["last_seen_at"] == tonight
    assert {base + START.rstrip("/"), base + START + "page/2"} <= set(moved["listing_urls"])
    for path in pushed:
        assert frame.loc[path, "last_seen_at"] < tonight
        assert base + START + "page/3" not in set(frame.loc[path, "listing_urls"])


@pytest.mark.slow
@pytest.mark.server
def test_wordpress_quiet_night_and_three_new_posts(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(WORDPRESS / "site", root)
    posts, sitemaps = _post_paths(), _sitemaps(root)
    log: list[ServedRequest] = []
    nightly, full = tmp_path / "nightly", tmp_path / "full"
    with serving(root, log=log) as base:
        _crawl(base, nightly)  # the first run walks everything
        shutil.copytree(nightly, full)

        log.clear()
        quiet = _crawl(base, nightly)
        kinds = collections.Counter(_kind(e.path, posts, sitemaps) for e in log)
        paths = collections.Counter(e.path for e in log)
        assert {p.rstrip("/") for p in paths if _kind(p, posts, sitemaps) == "listing"} == (
            FIRST_PAGES
        )
        assert kinds == {
            "robots": 1, "listing": len(FIRST_PAGES), "feed": len(FEEDS), "sitemap": 2,
        }, paths  # fmt: skip
        assert {p for p in paths if p in sitemaps} == _sitemaps_of_posts(root, posts)
        assert max(paths.values()) == 1  # each asked once
        assert all(e.status == 304 for e in log)
        assert "(0 new, 0 changed, 24 unchanged)" in quiet, quiet[-700:]
        assert "requests: 7 made" in quiet, quiet[-700:]

        new = _publish_new_posts(root)
        log.clear()
        after = _crawl(base, nightly)
        posts |= {post.path for post in new}
        fetched = {
            e.path.rstrip("/") + "/" for e in log if _kind(e.path, posts, sitemaps) == "post"
        }
        assert fetched == {post.path for post in new}, after[-700:]
        assert not [e.path for e in log if _kind(e.path, posts, sitemaps) == "other"]
        listing = {e.path.rstrip("/") for e in log if _kind(e.path, posts, sitemaps) == "listing"}
        # the first page shows the new posts, its next page only known ones: the walk stops
        assert listing == FIRST_PAGES | {"/topics/migration-governance/page/2"}
        # The three posts pushed off the walked second page sit on the third now, whose cached
        # copy (read, not asked for) predates them: not seen tonight, kept as they were.
        assert "(3 new, 0 changed, 21 unchanged, 3 not seen)" in after, after[-700:]
        assert {e.path for e in log if e.path in sitemaps} == _sitemaps_of_posts(root, posts)
        assert "requests: 11 made" in after, after[-700:]

        log.clear()
        _crawl(base, full, "--full")
        # a full walk asks every sitemap file again, those left on the nights too
        assert {e.path for e in log if e.path in sitemaps} == sitemaps
    _check_sightings(nightly, root, base)
    pd.testing.assert_frame_equal(content_rows(nightly), content_rows(full))
    assert len(content_rows(nightly)) == 27
    runs = pd.read_parquet(nightly / "runs").sort_values("started_at")
    stats = json.loads(runs["stats_json"].iloc[-1])
    assert stats["regmig/listing/not_walked"] > 0
    assert stats["regmig/feeds/new"] == len(new)


def _xml(url: str, body: str, **meta: object) -> XmlResponse:
    return XmlResponse(url, body=body.encode(), request=Request(url, meta=meta))


def test_sitemaps_without_the_programs_publications_are_left_until_a_full_walk(
    tmp_path: Path,
) -> None:
    """A child sitemap that named none of the program's publications when last read is not
    asked for on a partial walk (a new child is); at the close, a child naming only pages no
    listing showed joins them, one naming a publication the walk met does not."""
    from regmig_scraper.incremental import teaser_memory
    from regmig_scraper.spiders.accelerators import META_SITEMAP_DEPTH
    from regmig_scraper.spiders.program import ProgramSpider

    cache = tmp_path / ".httpcache"
    cache.mkdir()
    host = "http://127.0.0.1:9"
    (cache / "teasers.json").write_text(json.dumps({"127.0.0.1:9/2023/01/known": ["x"]}))
    (cache / "walks.json").write_text(json.dumps({"partial_walks_since_full": 0}))
    (cache / "sitemaps.json").write_text(
        json.dumps({"without_publications": ["127.0.0.1:9/tags.xml"]})
    )
    crawler = get_crawler(
        ProgramSpider, {"REGMIG_INCREMENTAL": True, "REGMIG_OUTPUT": str(tmp_path)}
    )
    spider = ProgramSpider.from_crawler(crawler, start_url=host + START)
    crawler.stats.open_spider()
    assert teaser_memory(crawler) is spider.memory and not spider.memory.full_walk

    index = "".join(
        f"<sitemap><loc>{host}/{name}.xml</loc></sitemap>" for name in ("posts", "tags", "new")
    )
    meta = {"regmig_site": "generic", "cache_timestamp": 1.0}  # as the cache leaves it
    index_xml = _xml(host + "/sitemap.xml", f"<sitemapindex>{index}</sitemapindex>", **meta)
    asked = list(spider.parse_sitemap(index_xml))
    assert [r.url for r in asked] == [host + "/posts.xml", host + "/new.xml"]
    # a child request carries the site's name on, not the index response's cache meta
    assert all(r.meta["regmig_site"] == "generic" for r in asked)
    assert not any("cache_timestamp" in r.meta for r in asked)
    assert crawler.stats.get_value("regmig/sitemaps/left") == 1

    def urlset(*paths: str) -> str:
        return "<urlset>" + "".join(f"<url><loc>{host}{p}</loc></url>" for p in paths) + "</urlset>"

    depth = {META_SITEMAP_DEPTH: 1}
    list(spider.parse_sitemap(_xml(host + "/posts.xml", urlset("/2023/01/known"), **depth)))
    list(spider.parse_sitemap(_xml(host + "/new.xml", urlset("/2024/05/met", "/about"), **depth)))
    spider._teaser_keys.add("127.0.0.1:9/2024/05/met")  # the walk met a page new.xml names
    spider.closed("finished")
    saved = json.loads((cache / "sitemaps.json").read_text())["without_publications"]
    assert saved == ["127.0.0.1:9/tags.xml"]

    spider._teaser_keys.clear()  # had the walk not met it, new.xml would be left too
    spider.closed("finished")
    saved = json.loads((cache / "sitemaps.json").read_text())["without_publications"]
    assert saved == ["127.0.0.1:9/new.xml", "127.0.0.1:9/tags.xml"]
