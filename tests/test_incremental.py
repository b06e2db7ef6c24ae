"""Incremental crawls: the cache decision, the policy, the counting, teaser signatures, and
real runs against the mirror on 127.0.0.1 counted from the server's side."""

from __future__ import annotations

import collections
import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response

from regmig_scraper.incremental import (
    KIND_PUBLICATION,
    META_KIND,
    META_LISTING_CHANGED,
    REVALIDATE,
    SKIP,
    IncrementalAddon,
    IncrementalCacheMiddleware,
    IncrementalPolicy,
    TeaserMemory,
    TeaserSignatureMiddleware,
    cache_decision,
    full_walk_due,
    load_signatures,
    save_signatures,
    teaser_signature,
)
from regmig_scraper.items import PublicationRecord
from regmig_scraper.mirror import ServedRequest, etag_of, not_modified, serving
from regmig_scraper.normalize.urls import url_key
from tests.helpers import SITE_ROOT, get_crawler, run_regmig

REPO = Path(__file__).resolve().parent.parent
PROGRAM_PATH = "/programs/regional-migration"
DAY = 24 * 3600
WEEK = 7 * DAY

# --------------------------------------------------------------------------- decision


@pytest.mark.parametrize(
    ("kind", "listing_changed", "age", "refetch_age", "expected"),
    [
        (KIND_PUBLICATION, False, 60.0, WEEK, SKIP),  # fetched a minute ago
        (KIND_PUBLICATION, False, 6 * DAY, WEEK, SKIP),
        (KIND_PUBLICATION, False, 8 * DAY, WEEK, REVALIDATE),  # too old
        (KIND_PUBLICATION, False, WEEK, WEEK, REVALIDATE),  # exactly the age: old
        (KIND_PUBLICATION, True, 60.0, WEEK, REVALIDATE),  # its teaser changed
        (KIND_PUBLICATION, False, None, WEEK, REVALIDATE),  # unknown age
        (KIND_PUBLICATION, False, 60.0, 0, REVALIDATE),  # REGMIG_REFETCH_AGE=0
        (KIND_PUBLICATION, False, -5.0, WEEK, REVALIDATE),  # clock went backwards
        (None, False, 60.0, WEEK, REVALIDATE),  # listing pages: always
        ("listing", False, 1.0, WEEK, REVALIDATE),
    ],
)
def test_cache_decision(kind, listing_changed, age, refetch_age, expected) -> None:
    decision = cache_decision(
        kind=kind, listing_changed=listing_changed, age=age, refetch_age=refetch_age
    )
    assert decision == expected


# --------------------------------------------------------------------------- signatures

TEASER = {
    "source": "listing",
    "request_url": "https://www.migrationpolicy.org/research/x",
    "title": "Building a Regional Migration System",
    "date_raw": "December 2020",
    "content_type_label": "Reports",
    "authors_raw": "By Andrew Selee and Ariel G. Ruiz Soto",
    "summary": "The first summary.",
    "listing_url": "https://www.migrationpolicy.org/programs/regional-migration",
    "position": 0,
}


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({"title": "Building a Regional Migration System (updated)"}, False),
        ({"date_raw": "January 2021"}, False),
        ({"content_type_label": "Policy Briefs"}, False),
        ({"authors_raw": "By Andrew Selee"}, False),
        ({"title": None}, False),
        ({"title": "  Building a Regional\n Migration   System "}, True),  # whitespace only
        ({"summary": "Another summary."}, True),  # not what the signature covers
        ({"position": 3, "listing_url": "https://www.migrationpolicy.org/programs/x"}, True),
    ],
)
def test_teaser_signature(change: dict, same: bool) -> None:
    assert (teaser_signature({**TEASER, **change}) == teaser_signature(TEASER)) is same


def test_teaser_signature_is_short_hex() -> None:
    signature = teaser_signature(TEASER)
    assert len(signature) == 16 and int(signature, 16) >= 0


def test_signatures_round_trip_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "teasers.json"
    assert load_signatures(path) == {}
    save_signatures(path, {"b": {"2", "1"}, "a": ["3"]})
    assert load_signatures(path) == {"a": frozenset({"3"}), "b": frozenset({"1", "2"})}
    path.write_text("{not json", encoding="utf-8")
    assert load_signatures(path) == {}


def _listing_output(teaser: dict) -> list:
    item = PublicationRecord(**teaser)
    request = Request(teaser["request_url"], meta={"teaser_link": teaser["request_url"]})
    return [item, request]


def _signature_middleware(tmp_path: Path) -> tuple[TeaserSignatureMiddleware, object]:
    crawler = get_crawler(settings_dict={"REGMIG_INCREMENTAL": True, "REGMIG_OUTPUT": tmp_path})
    middleware = TeaserSignatureMiddleware.from_crawler(crawler)
    middleware.spider_opened(None)
    return middleware, crawler


def test_teaser_middleware_flags_only_changed_teasers(tmp_path: Path) -> None:
    first, _ = _signature_middleware(tmp_path)
    list(first.process_spider_output(None, _listing_output(TEASER)))
    first.spider_closed(None)
    assert load_signatures(tmp_path / ".httpcache" / "teasers.json") == {
        url_key(TEASER["request_url"]): frozenset({teaser_signature(TEASER)})
    }

    same, crawler = _signature_middleware(tmp_path)
    _, request = same.process_spider_output(None, _listing_output(TEASER))
    assert request.meta[META_KIND] == KIND_PUBLICATION
    assert META_LISTING_CHANGED not in request.meta
    assert crawler.stats.get_value("regmig/incremental/listing_changed") is None

    changed, crawler = _signature_middleware(tmp_path)
    output = _listing_output({**TEASER, "date_raw": "January 2021"})
    _, request = changed.process_spider_output(None, output)
    assert request.meta[META_LISTING_CHANGED] is True
    assert crawler.stats.get_value("regmig/incremental/listing_changed") == 1


def test_teaser_middleware_flags_unknown_publications_and_ignores_other_requests(
    tmp_path: Path,
) -> None:
    middleware, _ = _signature_middleware(tmp_path)
    _, request = middleware.process_spider_output(None, _listing_output(TEASER))
    assert request.meta[META_LISTING_CHANGED] is True  # never seen: nothing to trust
    (listing,) = middleware.process_spider_output(None, [Request("https://x.org/p?page=1")])
    assert META_KIND not in listing.meta and META_LISTING_CHANGED not in listing.meta


def test_listing_changed_counts_publications_not_teasers(tmp_path: Path) -> None:
    middleware, crawler = _signature_middleware(tmp_path)
    output = _listing_output(TEASER) + _listing_output({**TEASER, "position": 4})
    requests = [o for o in middleware.process_spider_output(None, output) if isinstance(o, Request)]
    assert [r.meta[META_LISTING_CHANGED] for r in requests] == [True, True]
    assert crawler.stats.get_value("regmig/incremental/listing_changed") == 1


def test_teaser_middleware_is_off_by_default() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        TeaserSignatureMiddleware.from_crawler(get_crawler(settings_dict={}))


# --------------------------------------------------------------------------- policy


class MemoryStorage:
    """An HTTPCACHE_STORAGE in a dict, with the cache time under the test's control."""

    entries: ClassVar[dict[str, tuple[Response, float]]] = {}

    def __init__(self, settings) -> None:
        MemoryStorage.entries = {}

    def open_spider(self, spider=None) -> None: ...

    def close_spider(self, spider=None) -> None: ...

    def retrieve_response(self, spider, request: Request) -> Response | None:
        found = self.entries.get(request.url)
        if found is None:
            return None
        response, stored = found
        request.meta["cache_timestamp"] = stored
        return response.replace()

    def store_response(self, spider, request: Request, response: Response) -> None:
        self.entries[request.url] = (response.replace(flags=[]), time.time())


VALIDATORS = {"ETag": '"abc"', "Last-Modified": "Sat, 28 Nov 2026 10:00:00 GMT"}


def _page(url: str, status: int = 200, body: bytes = b"<html>v1</html>") -> HtmlResponse:
    return HtmlResponse(url, status=status, body=body, headers=VALIDATORS)


def _cache_middleware(refetch_age: float = WEEK) -> tuple[IncrementalCacheMiddleware, object]:
    crawler = get_crawler(
        settings_dict={
            "HTTPCACHE_ENABLED": True,
            "HTTPCACHE_STORAGE": f"{__name__}.MemoryStorage",
            "HTTPCACHE_POLICY": "regmig_scraper.incremental.IncrementalPolicy",
            "REGMIG_REFETCH_AGE": refetch_age,
        }
    )
    return IncrementalCacheMiddleware.from_crawler(crawler), crawler


def _fetch(middleware, request: Request, server: Response) -> Response:
    """What the downloader would hand the spider, with ``server`` answering if asked."""
    early = middleware.process_request(request)
    if early is not None:
        return middleware.process_response(request, early)
    return middleware.process_response(request, server.replace(request=request))


def _publication(url: str, **meta) -> Request:
    return Request(url, meta={META_KIND: KIND_PUBLICATION, **meta})


def _counts(crawler) -> dict[str, int]:
    prefix = "regmig/incremental/"
    stats = crawler.stats.get_stats()
    return {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)}


def test_fresh_publication_is_served_from_the_cache_without_a_request() -> None:
    middleware, crawler = _cache_middleware()
    url = "https://www.migrationpolicy.org/research/x"
    _fetch(middleware, _publication(url), _page(url))
    request = _publication(url)
    assert isinstance(middleware.process_request(request), Response)  # nothing sent
    assert _counts(crawler) == {"new": 1, "skipped": 1}


def test_listing_page_is_revalidated_with_its_validators() -> None:
    middleware, crawler = _cache_middleware()
    url = "https://www.migrationpolicy.org/programs/regional-migration"
    _fetch(middleware, Request(url), _page(url))
    request = Request(url)
    assert middleware.process_request(request) is None  # goes out
    assert request.headers[b"If-None-Match"] == b'"abc"'
    assert request.headers[b"If-Modified-Since"] == VALIDATORS["Last-Modified"].encode()
    response = middleware.process_response(request, Response(url, status=304, request=request))
    assert response.status == 200 and response.body == b"<html>v1</html>"
    assert _counts(crawler) == {"new": 1, "revalidated": 1}


@pytest.mark.parametrize(
    ("meta", "refetch_age", "expected"),
    [
        ({META_LISTING_CHANGED: True}, WEEK, "revalidated"),
        ({}, 0, "revalidated"),
    ],
)
def test_changed_or_old_publication_is_revalidated(meta, refetch_age, expected) -> None:
    middleware, crawler = _cache_middleware(refetch_age)
    url = "https://www.migrationpolicy.org/research/x"
    _fetch(middleware, _publication(url), _page(url))
    request = _publication(url, **meta)
    response = _fetch(middleware, request, Response(url, status=304))
    assert request.headers[b"If-None-Match"] == b'"abc"'
    assert response.body == b"<html>v1</html>"
    assert _counts(crawler) == {"new": 1, expected: 1}


def test_changed_page_is_refetched_and_replaces_the_cached_copy() -> None:
    middleware, crawler = _cache_middleware(refetch_age=0)
    url = "https://www.migrationpolicy.org/research/x"
    _fetch(middleware, _publication(url), _page(url))
    response = _fetch(middleware, _publication(url), _page(url, body=b"<html>v2</html>"))
    assert response.body == b"<html>v2</html>"
    assert MemoryStorage.entries[url][0].body == b"<html>v2</html>"
    assert _counts(crawler) == {"new": 1, "refetched": 1}


def test_server_error_serves_the_cached_copy() -> None:
    middleware, crawler = _cache_middleware(refetch_age=0)
    url = "https://www.migrationpolicy.org/research/x"
    _fetch(middleware, _publication(url), _page(url))
    response = _fetch(middleware, _publication(url), _page(url, status=503, body=b""))
    assert response.status == 200 and response.body == b"<html>v1</html>"
    assert _counts(crawler) == {"new": 1, "stale_on_error": 1}


@pytest.mark.parametrize(
    ("status", "headers", "stored"),
    [
        (200, {}, True),  # no validator: still kept, the age rule needs no validator
        (200, VALIDATORS, True),
        (301, {"Location": "/y"}, True),
        (304, VALIDATORS, False),
        (302, {"Location": "/y"}, False),
        (404, {}, False),
        (500, {}, False),
        (200, {"Cache-Control": "no-store"}, False),
    ],
)
def test_what_is_stored(status: int, headers: dict, stored: bool) -> None:
    policy = IncrementalPolicy(get_crawler(settings_dict={}).settings)
    url = "https://www.migrationpolicy.org/research/x"
    response = Response(url, status=status, headers=headers)
    assert policy.should_cache_response(response, Request(url)) is stored


def test_addon_wires_the_cache_only_when_incremental(tmp_path: Path) -> None:
    from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
    from scrapy.utils.conf import build_component_list

    addons = {"ADDONS": {IncrementalAddon: 10}, "REGMIG_OUTPUT": str(tmp_path)}
    on = get_crawler(settings_dict={**addons, "REGMIG_INCREMENTAL": True}).settings
    assert on.getbool("HTTPCACHE_ENABLED")
    assert on["HTTPCACHE_DIR"] == str(tmp_path.resolve() / ".httpcache")
    assert on["HTTPCACHE_STORAGE"] == "scrapy.extensions.httpcache.DbmCacheStorage"
    middlewares = build_component_list(on.getwithbase("DOWNLOADER_MIDDLEWARES"))
    assert IncrementalCacheMiddleware in middlewares
    assert HttpCacheMiddleware not in middlewares
    assert "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware" not in middlewares
    assert TeaserSignatureMiddleware in build_component_list(on.getwithbase("SPIDER_MIDDLEWARES"))

    off = get_crawler(settings_dict=addons).settings
    assert not off.getbool("HTTPCACHE_ENABLED")


def test_addon_leaves_a_configured_cache_alone(tmp_path: Path) -> None:
    settings = get_crawler(
        settings_dict={
            "ADDONS": {IncrementalAddon: 10},
            "REGMIG_INCREMENTAL": True,
            "HTTPCACHE_ENABLED": True,  # as --replay sets it, at a higher priority
            "HTTPCACHE_STORAGE": "regmig_scraper.snapshot.SnapshotStorage",
        }
    ).settings
    assert settings["HTTPCACHE_STORAGE"] == "regmig_scraper.snapshot.SnapshotStorage"
    assert not settings.getbool("REGMIG_INCREMENTAL")


@pytest.mark.parametrize(("settings", "expected"), [({}, WEEK), ({"REGMIG_REFETCH_AGE": "60"}, 60)])
def test_refetch_age_setting(settings: dict, expected: float) -> None:
    assert IncrementalPolicy(get_crawler(settings_dict=settings).settings).refetch_age == expected


# --------------------------------------------------------------------------- the mirror


@pytest.mark.parametrize(
    ("if_none_match", "if_modified_since", "expected"),
    [
        ('"abc"', None, True),
        ('W/"abc"', None, True),  # weak comparison
        ('"x", "abc"', None, True),
        ("*", None, True),
        ('"other"', None, False),
        ('"other"', "Sat, 28 Nov 2099 10:00:00 GMT", False),  # If-None-Match decides
        (None, "Sat, 28 Nov 2026 10:00:00 GMT", True),  # mtime is then
        (None, "Sat, 28 Nov 2026 09:59:59 GMT", False),  # a second before mtime
        (None, "not a date", False),
        (None, None, False),
    ],
)
def test_not_modified(if_none_match, if_modified_since, expected) -> None:
    mtime = 1795860000.0  # Sat, 28 Nov 2026 10:00:00 GMT
    assert not_modified('"abc"', mtime, if_none_match, if_modified_since) is expected


@pytest.mark.server
def test_mirror_answers_conditional_requests(tmp_path: Path) -> None:
    page = tmp_path / "a" / "index.html"
    page.parent.mkdir()
    page.write_bytes(b"<html>one</html>")
    log: list[ServedRequest] = []
    with serving(tmp_path, log=log) as base:
        with urllib.request.urlopen(base + "/a") as response:
            etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
        assert etag == etag_of(b"<html>one</html>") and modified
        request = urllib.request.Request(base + "/a", headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request)
        assert answer.value.code == 304
        page.write_bytes(b"<html>two</html>")
        with urllib.request.urlopen(request) as response:
            assert response.status == 200 and response.read() == b"<html>two</html>"
    assert [(e.status, e.conditional) for e in log] == [(200, False), (304, True), (200, True)]


# --------------------------------------------------------------------------- real runs


regmig = run_regmig


def _is_publication(path: str) -> bool:
    return path.startswith(("/research/", "/article/", "/multimedia/", "/events/", "/news/"))


class Site:
    """A writable copy of the bundled site, served with a request log."""

    def __init__(self, root: Path, base: str, log: list[ServedRequest]) -> None:
        self.root, self.base, self.log = root, base, log
        self.output = root.parent / "output"

    def crawl(self, *extra: str) -> subprocess.CompletedProcess[str]:
        """An incremental run that walks every listing page (``--full``): what it costs to
        stop at the known is tests/test_nightly.py's business."""
        self.log.clear()
        result = regmig(
            "crawl", "--incremental", "--full", "--start-url", self.base + PROGRAM_PATH,
            "--output", str(self.output), "-s", "REGMIG_POLITE=false", *extra,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    def served(self) -> collections.Counter:
        """(kind, status, conditional) of every request the server answered."""
        return collections.Counter(
            ("publication" if _is_publication(e.path.split("?")[0]) else "other", e.status,
             e.conditional)
            for e in self.log
        )  # fmt: skip

    def paths(self, status: int) -> set[str]:
        return {e.path for e in self.log if e.status == status}


@pytest.fixture
def site(tmp_path: Path):
    root = tmp_path / "site"
    shutil.copytree(SITE_ROOT, root)
    log: list[ServedRequest] = []
    with serving(root, log=log) as base:
        yield Site(root, base, log)


def _stats_line(result: subprocess.CompletedProcess[str]) -> str:
    return next(line for line in result.stderr.splitlines() if "incremental:" in line)


@pytest.mark.slow
@pytest.mark.server
def test_second_run_sends_conditional_requests_and_skips_fresh_pages(site: Site) -> None:
    first = site.crawl()
    assert site.served() == {("other", 200, False): 12, ("publication", 200, False): 16}
    assert "0 skipped" in _stats_line(first) and "28 new" in _stats_line(first)
    before = pd.read_parquet(site.output / "publications")

    second = site.crawl()
    # listing pages and robots.txt: conditional, not modified; publications: not requested
    assert site.served() == {("other", 304, True): 12}
    assert "16 skipped" in _stats_line(second) and "12 revalidated" in _stats_line(second)
    assert "publications written: 16 (0 new, 0 changed, 16 unchanged)" in second.stderr
    after = pd.read_parquet(site.output / "publications")
    columns = [c for c in before.columns if c != "last_seen_at"]
    pd.testing.assert_frame_equal(before[columns], after[columns])  # same rows from the cache
    runs = pd.read_parquet(site.output / "runs").sort_values("started_at")
    stats = json.loads(runs["stats_json"].iloc[-1])
    assert stats["regmig/incremental/skipped"] == 16
    assert stats["regmig/incremental/revalidated"] == 12


@pytest.mark.slow
@pytest.mark.server
def test_old_pages_are_revalidated_and_changed_ones_refetched(site: Site) -> None:
    site.crawl()
    page = site.root / "research" / "new-regional-migration-system-us-mexico-central-america"
    page /= "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>Corrected.</p></body>", 1))

    result = site.crawl("-s", "REGMIG_REFETCH_AGE=0")
    assert site.served() == {
        ("other", 304, True): 12,
        ("publication", 304, True): 15,
        ("publication", 200, True): 1,  # conditional, but the page changed
    }
    assert site.paths(200) == {"/" + page.parent.relative_to(site.root).as_posix()}
    assert "27 revalidated" in _stats_line(result) and "1 refetched" in _stats_line(result)


@pytest.mark.slow
@pytest.mark.server
def test_changed_teaser_revalidates_its_publication_inside_the_refetch_age(site: Site) -> None:
    site.crawl()
    listing = site.root / "programs" / "regional-migration"
    listing /= "index~page=0,0,0,1&qt-regional_study_group_tabs=2.html"
    html = listing.read_bytes()
    assert html.count(b">August 31, 2017<") == 1  # the only teaser of this seminar
    listing.write_bytes(html.replace(b">August 31, 2017<", b">September 1, 2017<"))

    result = site.crawl()
    assert site.served() == {
        ("other", 304, True): 11,
        ("other", 200, True): 1,  # the edited listing page
        ("publication", 304, True): 1,  # its publication: asked, not modified
    }
    asked = {e.path for e in site.log if _is_publication(e.path)}
    assert asked == {"/multimedia/proteccion-menores-no-acompanados-mexico-seminario"}
    assert "15 skipped" in _stats_line(result)
    runs = pd.read_parquet(site.output / "runs").sort_values("started_at")
    assert json.loads(runs["stats_json"].iloc[-1])["regmig/incremental/listing_changed"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--incremental", "--replay", "tests/fixtures/snapshot"), "not allowed with argument"),
        (
            ("-s", "REGMIG_INCREMENTAL=true", "--replay", "tests/fixtures/snapshot"),
            "cannot be combined with --replay or --record",
        ),
    ],
)
def test_incremental_with_replay_is_a_usage_error(args: tuple, message: str, tmp_path) -> None:
    result = regmig("crawl", "--output", str(tmp_path), *args)
    assert result.returncode == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--full",),
        ("-s", "REGMIG_FULL_WALK=true"),
        ("--full", "--replay", "tests/fixtures/snapshot"),
    ],
)
def test_full_without_incremental_is_a_usage_error(args: tuple, tmp_path) -> None:
    """``--full`` only means something to an incremental run: alone it is refused before any
    request (exit 2, one line), not run as a plain crawl nor switched to incremental."""
    output = tmp_path / "out"
    result = regmig("crawl", "--output", str(output), *args)
    assert result.returncode == 2, result.stderr
    assert "give it with --incremental" in result.stderr
    assert not (output / ".httpcache").exists() and not (output / "publications").exists()


# --------------------------------------------------------------------------- nightly


@pytest.mark.parametrize(
    ("forced", "every", "partial_walks", "has_memory", "full"),
    [
        (False, 7, 0, False, True),  # the first run: nothing known
        (False, 7, 0, True, False),
        (False, 7, 5, True, False),
        (False, 7, 6, True, True),  # the 7th run since the last full walk
        (False, 0, 100, True, False),  # never on a schedule
        (True, 0, 0, True, True),  # --full
        (False, 1, 0, True, True),  # every run
    ],
)
def test_full_walk_due(forced, every, partial_walks, has_memory, full) -> None:
    assert (
        full_walk_due(
            forced=forced, every=every, partial_walks=partial_walks, has_memory=has_memory
        )
        is full
    )


def test_a_later_blocks_changed_teaser_asks_its_publication_again(tmp_path: Path) -> None:
    # issue 15, item 9: the first teaser of a publication is unchanged, so its request goes
    # out unflagged (served from the cache); another block's teaser of it changed
    first, _ = _signature_middleware(tmp_path)
    other_block = {**TEASER, "block": "b", "content_type_label": "Policy Briefs"}
    list(
        first.process_spider_output(
            None, [*_listing_output(TEASER), PublicationRecord(**other_block)]
        )
    )
    first.spider_closed(None)

    later, crawler = _signature_middleware(tmp_path)
    _, request = later.process_spider_output(None, _listing_output(TEASER))
    assert META_LISTING_CHANGED not in request.meta
    changed = PublicationRecord(**{**other_block, "date_raw": "January 2021"})
    _item, recheck = later.process_spider_output(None, [changed])
    assert recheck.url == TEASER["request_url"] and recheck.dont_filter
    assert recheck.meta[META_LISTING_CHANGED] is True
    assert crawler.stats.get_value("regmig/incremental/rechecked") == 1
    assert list(later.process_spider_output(None, [changed])) == [changed]  # asked once


def test_partial_walk_keeps_the_signatures_of_pages_it_left(tmp_path: Path) -> None:
    key = url_key(TEASER["request_url"])
    save_signatures(tmp_path / ".httpcache" / "teasers.json", {key: ["old"]})
    memory = TeaserMemory(tmp_path / ".httpcache", forced_full=False, full_every=0)
    assert not memory.full_walk
    memory.save({key: {"new"}})
    assert load_signatures(tmp_path / ".httpcache" / "teasers.json")[key] == {"old", "new"}
    full = TeaserMemory(tmp_path / ".httpcache", forced_full=True, full_every=0)
    full.save({key: {"new"}})
    assert load_signatures(tmp_path / ".httpcache" / "teasers.json")[key] == {"new"}
