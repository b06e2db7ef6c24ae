"""A hostile site on 127.0.0.1: the crawl keeps going, counts what it could not do, loses nothing.

``tests.hostile_server`` serves the program page with good publications and one route per way
a real site breaks. One crawl of that whole site runs in a subprocess (as a scheduler runs it)
in a module-scoped fixture, with small bounds passed by ``-s``; most tests assert on its
output: the rows, the ``runs/`` row (``drops``, ``errors``, ``stats_json``), the exit status,
the stderr summary, and the server's log of what was (and was not) requested. Cases that need
a crawl of their own (a failed run over an earlier dataset, endless tabs) run their own.

The last section holds the unit tables of the pieces the crawl relies on: the exit policy,
failure reasons, encoding repair and the default bounds.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regmig_scraper.status import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, decide_exit
from tests.hostile_server import (
    AUTHOR_SENTENCE,
    BROKEN_PROGRAM_PATH,
    CASES_BY_NAME,
    ENCODED_PATH,
    ENCODING_TITLE_BOM,
    ENCODING_TITLE_CP1252,
    ENCODING_TITLE_LATIN1,
    ENCODING_TITLE_STRAY_BYTE,
    ENDLESS_TABS_PATH,
    GOOD_PAGES,
    LONG_URL_PATH,
    MANY_AUTHORS,
    MANY_URLS_PATH,
    MIB,
    MOVED_PROGRAM_PATH,
    PAGER_PAGE_ONE_GOOD,
    PRIVATE_PATH,
    PROGRAM_PATH,
    QUICKTAB_GOOD,
    SITE,
    SMALL_PROGRAM_PAGES,
    SMALL_PROGRAM_PATH,
    ZWJ_TITLE,
    HostileServer,
    serving_hostile,
)

REPO = Path(__file__).resolve().parent.parent
# Small bounds: the whole hostile crawl takes about 8 s (the never-finishing response costs
# two DOWNLOAD_TIMEOUTs). No test measures how long it took: a crawl that ran into
# CLOSESPIDER_TIMEOUT ends with finish_reason "closespider_timeout" instead of "finished", and
# the subprocess is killed after CRAWL_TIMEOUT whatever happens.
BOUNDS = {
    "CLOSESPIDER_TIMEOUT": "90",
    "REGMIG_POLITE": "false",
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": "1",
    "REDIRECT_MAX_TIMES": "5",
    "REGMIG_MAX_PAGER_PAGE": "30",
    "DOWNLOAD_MAXSIZE": str(2 * MIB),
    "DOWNLOAD_WARNSIZE": str(MIB),
    "REGMIG_TEXT_MAX_CHARS": "1000",
    "REGMIG_DATES_TODAY": "2024-01-01",
    "REGMIG_PROGRESS_INTERVAL": "0",
}
CRAWL_TIMEOUT = 120
# Requests the whole hostile crawl may send: 72 today (pages, retries, redirects,
# robots.txt); an unbounded pager or retry loop sends thousands.
MAX_REQUESTS = 300
# Peak memory of the crawl process. A normal crawl peaks near 200 MiB; unpacking the 256 MiB
# gzip bomb, or holding the 6 MB pages, would go far past this (measured: 1.4 GiB with
# DOWNLOAD_MAXSIZE=0).
MEMORY_BOUND_KIB = 512 * 1024
# Runs the CLI and reports the process's peak memory on stderr.
RUNNER = """\
import resource, sys
from regmig_scraper.cli import main
code = main(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if sys.platform == "darwin":
    peak //= 1024  # bytes there, KiB on Linux
print(f"regmig-test: maxrss_kib={peak}", file=sys.stderr)
sys.exit(code)
"""
MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>|<!--", re.IGNORECASE)
SCRIPT_TRACES = ("alert(", "javascript:", "document.write", "window.location", "onerror")


def crawl_test(function):
    """A test that runs (or reads) a crawl against the hostile server."""
    return pytest.mark.server(pytest.mark.slow(function))


def regmig(*args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return regmig_after("", *args, **settings)


def regmig_after(prelude: str, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """``regmig`` run after ``prelude`` (code that breaks something first: the clock, the
    disk)."""
    options = [item for name, value in settings.items() for item in ("-s", f"{name}={value}")]
    return subprocess.run(
        [sys.executable, "-c", prelude + "\n" + RUNNER, *args, *options],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
    )


@dataclass
class Crawl:
    result: subprocess.CompletedProcess[str]
    server: HostileServer
    rows: pd.DataFrame  # publications, indexed by url
    run: pd.Series  # the runs/ row
    stats: dict[str, Any]  # the run's stats_json

    def row(self, path: str) -> pd.Series:
        return self.rows.loc[f"{SITE}{path}"]

    def failed(self) -> dict[str, int]:
        prefix = "regmig/pages/failed/"
        return {k[len(prefix) :]: v for k, v in self.stats.items() if k.startswith(prefix)}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    output = tmp_path_factory.mktemp("hostile")
    with serving_hostile() as server:
        result = regmig(
            "crawl", "--start-url", server.url + PROGRAM_PATH, "--output", str(output), **BOUNDS
        )
    if not (output / "runs").is_dir():
        pytest.fail(f"the hostile crawl wrote no dataset:\n{result.stderr[-3000:]}")
    rows = pd.read_parquet(output / "publications").set_index("url")
    runs = pd.read_parquet(output / "runs")
    run = runs.iloc[-1]
    return Crawl(result, server, rows, run, json.loads(run["stats_json"]))


def value(cell: Any) -> Any:
    """A parquet cell as Python: None for nulls (pandas reads null strings as NaN)."""
    if isinstance(cell, list | tuple) or hasattr(cell, "tolist"):
        return list(cell)
    return None if pd.isna(cell) else cell


# --- the run as a whole ------------------------------------------------------------------------


@crawl_test
def test_partial_failure_exits_0_and_is_reported(crawl: Crawl) -> None:
    assert crawl.result.returncode == EXIT_OK, crawl.result.stderr[-3000:]
    assert "regmig: ok (exit 0)" in crawl.result.stderr
    assert re.search(r"\d+ publications written; \d+ pages failed", crawl.result.stderr)
    assert "regmig/pages/failed/timeout=1" in crawl.result.stderr  # the summary's errors line


@crawl_test
def test_crawl_finishes_within_its_bounds(crawl: Crawl) -> None:
    assert crawl.stats["finish_reason"] == "finished"  # not "closespider_timeout"
    # bounded work: every request the server saw was counted by the crawl, each page at most
    # RETRY_TIMES + 1 times, and the pagers and tabs did not run away
    requests = crawl.stats["downloader/request_count"]
    assert len(crawl.server.requests) <= requests <= MAX_REQUESTS, requests
    per_path = Counter(r.path + "?" + r.query for r in crawl.server.requests)
    assert max(per_path.values()) <= int(BOUNDS["RETRY_TIMES"]) + 1, per_path.most_common(3)


@crawl_test
def test_memory_stays_bounded(crawl: Crawl) -> None:
    found = re.search(r"regmig-test: maxrss_kib=(\d+)", crawl.result.stderr)
    assert found is not None
    assert int(found.group(1)) < MEMORY_BOUND_KIB


@crawl_test
def test_runs_row_records_drops_errors_and_exit_status(crawl: Crawl) -> None:
    assert crawl.run["exit_status"] == EXIT_OK
    errors, drops = dict(crawl.run["errors"]), dict(crawl.run["drops"])
    for reason, count in crawl.failed().items():
        assert errors[f"regmig/pages/failed/{reason}"] == count
    assert errors["retry/max_reached"] == 6
    assert drops["regmig/listing/pager_capped"] > 0
    assert drops["regmig/listing/skipped/offsite_link"] > 0


@crawl_test
def test_strict_mode_turns_the_same_run_into_a_partial_failure(crawl: Crawl) -> None:
    publications = len(crawl.rows)
    strict = decide_exit(crawl.stats, publications=publications, reason="finished", strict=True)
    assert strict[0] == EXIT_PARTIAL
    lenient = decide_exit(crawl.stats, publications=publications, reason="finished", strict=False)
    assert lenient[0] == EXIT_OK


# --- every failed page is counted by reason, and its teaser row kept -------------------------

FAILED_CASES = [
    ("empty", "not_a_publication_page"),
    ("binary", "not_a_publication_page"),
    ("huge", "too_large"),
    ("huge-streamed", "too_large"),
    ("gzip-bomb", "too_large"),
    ("http-404", "http_404"),
    ("http-410", "http_410"),
    ("http-500", "http_500"),
    ("http-503", "http_503"),
    ("http-429", "http_429"),
    ("timeout", "timeout"),
    ("reset", "connection_lost"),
    ("redirect-loop", "redirect_loop"),
    ("redirect-chain", "too_many_redirects"),
    ("redirect-offsite", "offsite_redirect"),
    ("huge-header", "header_too_large"),
]


@crawl_test
def test_each_failed_page_is_counted_once_by_reason(crawl: Crawl) -> None:
    assert crawl.failed() == {
        "not_a_publication_page": 2,  # empty, binary
        "too_large": 3,  # huge, huge-streamed, gzip-bomb
        "http_404": 9,  # http-404 and the eight listing-only rows' missing pages
        "http_410": 1,
        "http_500": 1,
        "http_503": 1,
        "http_429": 1,
        "timeout": 1,
        "connection_lost": 1,
        "header_too_large": 1,  # named, not connection_lost
        "url_too_long": 1,  # dropped by URLLENGTH_LIMIT before: counted now
        "redirect_loop": 1,
        "too_many_redirects": 1,
        "offsite_redirect": 1,
        "robots_txt": 1,
    }


@crawl_test
@pytest.mark.parametrize(("case", "reason"), FAILED_CASES)
def test_failed_page_keeps_its_teaser_row(crawl: Crawl, case: str, reason: str) -> None:
    row = crawl.row(CASES_BY_NAME[case].path)
    assert not row["page_fetched"]
    assert row["title"] == CASES_BY_NAME[case].title
    assert row["published"] == dt.date(2021, 3, 1)
    assert crawl.failed()[reason] >= 1


# --- good pages still yield their rows ----------------------------------------------------------


@crawl_test
@pytest.mark.parametrize("path", [*GOOD_PAGES, PAGER_PAGE_ONE_GOOD, QUICKTAB_GOOD])
def test_good_page_yields_its_row(crawl: Crawl, expected: dict, path: str) -> None:
    want = next(p for p in expected["publications"] if p["canonical_url"] == f"{SITE}{path}")
    row = crawl.row(path)
    assert row["page_fetched"]
    assert row["title"] == want["title"]
    assert row["content_type"] == want["content_type"]
    assert row["language"] == want["language"]
    assert value(row["published"]) == dt.date.fromisoformat(want["published"])
    assert value(row["authors"]) == want["authors"]


@crawl_test
@pytest.mark.parametrize(
    "case",
    [
        "truncated", "unclosed", "misnested", "no-body", "large", "flaky-503", "script-fields",
        "cut-short",
    ],
)  # fmt: skip
def test_broken_but_readable_page_yields_its_row(crawl: Crawl, case: str) -> None:
    row = crawl.row(CASES_BY_NAME[case].path)
    assert row["page_fetched"]
    assert row["title"] == CASES_BY_NAME[case].title
    assert value(row["authors"]) == ["Andrew Selee"]
    assert value(row["published"]) == dt.date(2021, 3, 1)


@crawl_test
def test_large_page_is_kept_and_its_body_bounded(crawl: Crawl) -> None:
    body = crawl.row(CASES_BY_NAME["large"].path)["body_text"]
    assert body.startswith("Paragraph 0. Migration flows across the region")
    assert 150_000 < len(body) <= 200_000  # REGMIG_TEXT_MAX_BODY_CHARS
    assert crawl.stats["regmig/text/truncated/body_text"] == 1


# --- encodings ------------------------------------------------------------------------------

ENCODING_CASES = [
    ("cp1252", ENCODING_TITLE_CP1252),
    ("cp1252-undeclared", ENCODING_TITLE_CP1252),
    ("cp1252-meta", ENCODING_TITLE_CP1252),
    ("latin1", ENCODING_TITLE_LATIN1),
    ("latin1-undeclared", ENCODING_TITLE_LATIN1),
    ("bom-utf8", ENCODING_TITLE_BOM),
    ("bom-utf16", ENCODING_TITLE_BOM),
    ("wrong-charset-utf8", ENCODING_TITLE_CP1252),
    ("wrong-charset-latin1", ENCODING_TITLE_BOM),
    ("stray-byte", ENCODING_TITLE_STRAY_BYTE),  # UTF-8 with one invalid byte stays UTF-8
]


@crawl_test
@pytest.mark.parametrize(("case", "title"), ENCODING_CASES)
def test_text_survives_any_declared_charset(crawl: Crawl, case: str, title: str) -> None:
    row = crawl.row(CASES_BY_NAME[case].path)
    assert row["page_fetched"]
    assert row["title"] == title
    assert value(row["authors"]) == ["Andrea Tanco", "María Jesús Mora"]
    assert row["language"] == "es"
    for column in ("title", "summary", "body_text"):
        assert not re.search("\ufffd|Ã|â€", row[column]), (column, row[column])


@crawl_test
def test_encoding_repairs_are_counted(crawl: Crawl) -> None:
    prefix = "regmig/encoding/repaired/"
    assert {k[len(prefix) :]: v for k, v in crawl.stats.items() if k.startswith(prefix)} == {
        "declared_utf8_not_utf8": 1,  # wrong-charset-utf8
        "utf8_declared_single_byte": 1,  # wrong-charset-latin1
        "undeclared_not_utf8": 3,  # cp1252-undeclared, latin1-undeclared, binary
    }  # stray-byte is not among them: no repair


@crawl_test
def test_retries_count_the_huge_header_once_by_its_name(crawl: Crawl) -> None:
    assert len(crawl.server.requested(CASES_BY_NAME["huge-header"].path)) == 2  # retried
    assert "header_too_large" in crawl.result.stderr


# --- documents cut short, links, canonicals ---------------------------------------------------


@crawl_test
def test_truncated_documents_are_counted(crawl: Crawl) -> None:
    # truncated (cut mid-tag), unclosed (no </html> at all), cut-short (no Content-Length)
    assert crawl.stats["regmig/pages/truncated"] == 3
    assert dict(crawl.run["errors"])["regmig/pages/truncated"] == 3
    row = crawl.row(CASES_BY_NAME["cut-short"].path)
    assert row["body_text"].startswith("The first paragraph arrives whole")


@crawl_test
def test_listing_links_resolve_against_base_href(crawl: Crawl) -> None:
    row = crawl.row(CASES_BY_NAME["base-href"].path)  # linked as "hostile-base-href"
    assert row["page_fetched"]
    assert row["title"] == "Base Href Report"
    assert "regmig/listing/skipped/not_publication_path" not in crawl.stats


@crawl_test
@pytest.mark.parametrize("case", ["canonical-root", "canonical-relative", "canonical-offsite"])
def test_canonical_link_resolves_onto_the_site(crawl: Crawl, case: str) -> None:
    path = CASES_BY_NAME[case].path
    assert [url for url in crawl.rows.index if path in url] == [f"{SITE}{path}"]  # one row
    row = crawl.row(path)
    assert row["page_fetched"]
    assert row["title"] == CASES_BY_NAME[case].title


@crawl_test
def test_no_row_is_named_by_the_crawl_host_or_another_site(crawl: Crawl) -> None:
    for url, row in crawl.rows.iterrows():
        assert url.startswith(f"{SITE}/"), url
        assert not any("evil.example.net" in u for u in value(row["alternate_urls"])), url
    assert crawl.stats["regmig/pages/canonical_ignored/offsite"] == 1
    assert dict(crawl.run["drops"])["regmig/pages/canonical_ignored/offsite"] == 1


@crawl_test
def test_canonical_naming_another_publication_does_not_merge_them(crawl: Crawl) -> None:
    for case in ("canon-claimant", "canon-owner"):
        row = crawl.row(CASES_BY_NAME[case].path)
        assert row["page_fetched"], case
        assert row["title"] == CASES_BY_NAME[case].title  # each keeps its own
    assert crawl.stats["regmig/dataset/canonical_conflicts"] == 1
    assert "Canonical conflict" in crawl.result.stderr


@crawl_test
def test_same_page_under_another_percent_encoding_is_one_row(crawl: Crawl) -> None:
    path = CASES_BY_NAME["case-pub"].path
    assert [url for url in crawl.rows.index if "ase-pub" in url] == [f"{SITE}{path}"]
    assert crawl.row(path)["page_fetched"]
    assert len(crawl.server.requested(path)) == 1
    assert not crawl.server.requested(ENCODED_PATH)


@crawl_test
def test_url_over_urllength_limit_is_a_counted_failure(crawl: Crawl) -> None:
    row = crawl.row(LONG_URL_PATH)
    assert not row["page_fetched"] and row["title"] == "Long URL Report"
    assert crawl.failed()["url_too_long"] == 1
    assert "urllength/request_ignored_count" not in crawl.stats  # never left to Scrapy


@crawl_test
def test_zero_width_joiners_that_join_are_kept(crawl: Crawl) -> None:
    assert crawl.row(CASES_BY_NAME["zwj"].path)["title"] == ZWJ_TITLE


@crawl_test
def test_a_hundred_authors_are_a_list(crawl: Crawl) -> None:
    authors = value(crawl.row(CASES_BY_NAME["many-authors"].path)["authors"])
    # REGMIG_TEXT_MAX_CHARS=1000 in this crawl cuts the byline after its last whole name
    assert len(authors) >= 70
    assert authors == list(MANY_AUTHORS[: len(authors)])
    assert "regmig/authors/rejected/too_long" not in crawl.stats
    assert "regmig/authors/rejected/single_word" not in crawl.stats


# --- retries, timeouts, resets ----------------------------------------------------------------


@crawl_test
@pytest.mark.parametrize(
    ("case", "requests"),
    [
        ("http-500", 2),  # 1 + RETRY_TIMES
        ("http-503", 2),
        ("http-429", 2),
        ("timeout", 2),
        ("reset", 2),
        ("flaky-503", 2),  # the retry succeeds
        ("http-404", 1),  # not retried
        ("http-410", 1),
    ],
)
def test_retried_then_given_up(crawl: Crawl, case: str, requests: int) -> None:
    assert len(crawl.server.requested(CASES_BY_NAME[case].path)) == requests


@crawl_test
def test_retries_are_counted(crawl: Crawl) -> None:
    assert crawl.stats["retry/max_reached"] == 6  # 500, 503, 429, timeout, reset, huge-header
    assert crawl.stats["retry/count"] == 7  # those six and the flaky 503


# --- redirects, offsite, robots.txt ----------------------------------------------------------


@crawl_test
def test_offsite_redirect_is_never_requested(crawl: Crawl) -> None:
    assert crawl.stats["offsite/filtered"] == 1
    # Every request the downloader made reached this server: none went to offsite.invalid.
    assert crawl.stats["downloader/request_count"] == len(crawl.server.requests)
    assert not [k for k in crawl.stats if "Resolve" in k or "DNSLookup" in k]
    for url, row in crawl.rows.iterrows():
        assert "offsite.invalid" not in url
        assert not any("offsite.invalid" in u for u in value(row["alternate_urls"]))


@crawl_test
def test_every_request_came_from_the_crawler(crawl: Crawl) -> None:
    for request in crawl.server.requests:
        assert request.headers["User-Agent"].startswith("regmig-scraper/"), request.target
        assert "gzip" in request.headers.get("Accept-Encoding", "")  # so the bomb is live


@crawl_test
def test_redirect_loop_and_chain_stop(crawl: Crawl) -> None:
    assert len(crawl.server.requested("/research/hostile-redirect-loop")) == 1
    assert len(crawl.server.requested("/research/hostile-redirect-loop-b")) == 1
    chain = crawl.server.requested(CASES_BY_NAME["redirect-chain"].path)
    assert len(chain) == 1 + 5  # the first request and REDIRECT_MAX_TIMES redirects


@crawl_test
def test_two_redirects_to_one_page_make_one_row(crawl: Crawl) -> None:
    target = crawl.row("/research/hostile-redirect-target")
    aliases = set(value(target["alternate_urls"]))
    assert {f"{SITE}/research/hostile-redirect-ok", f"{SITE}/research/hostile-redirect-alias"} <= (
        aliases
    )
    assert f"{SITE}/research/hostile-redirect-ok" not in crawl.rows.index
    assert f"{SITE}/research/hostile-redirect-alias" not in crawl.rows.index
    assert crawl.stats["regmig/pages/redirect_refetched"] == 1


@crawl_test
def test_robots_txt_is_obeyed(crawl: Crawl) -> None:
    assert not crawl.server.requested(PRIVATE_PATH)
    assert len(crawl.server.requested("/robots.txt")) == 1
    assert crawl.stats["robotstxt/forbidden"] == 1
    assert not crawl.row(PRIVATE_PATH)["page_fetched"]  # known from its teaser only


# --- pagers and query strings --------------------------------------------------------------


@crawl_test
def test_endless_pager_stops_at_its_end_and_never_past_max_pager_page(crawl: Crawl) -> None:
    pages = crawl.server.pager_pages_requested()
    assert len(pages) == len(set(pages))  # each page once
    assert 1 in pages  # the one pager page with a row is read
    assert max(pages) <= 30  # the cap is a hard bound...
    assert crawl.stats["regmig/listing/pager_capped"] > 0  # ("last »" points at page 99999)
    # ...but an empty pager page already ends the pager: not every page up to the cap.
    assert crawl.stats["regmig/listing/exhausted"] > 0
    assert len(pages) < 30


@crawl_test
def test_self_linking_pager_is_requested_once(crawl: Crawl) -> None:
    targets = [r.target for r in crawl.server.requested(PROGRAM_PATH)]
    assert targets.count(f"{PROGRAM_PATH}?qt-hostile_tabs=1") == 1
    assert targets.count(PROGRAM_PATH) == 1


@crawl_test
def test_one_row_for_a_publication_under_many_query_strings(crawl: Crawl) -> None:
    matching = [url for url in crawl.rows.index if "hostile-many-urls" in url]
    assert matching == [f"{SITE}{MANY_URLS_PATH}"]
    aliases = value(crawl.rows.loc[matching[0], "alternate_urls"])
    for query in ("ref=1", "ref=2&sort=asc", "ref=3", "sessionid=8f14e45f"):
        assert any(u.endswith(f"{MANY_URLS_PATH}?{query}") for u in aliases), query


# --- listing rows with broken fields ------------------------------------------------------------


def listing_row(crawl: Crawl, case: str) -> pd.Series:
    return crawl.row(f"/research/listing-only-{case}")


@crawl_test
def test_row_without_title_is_kept(crawl: Crawl) -> None:
    row = listing_row(crawl, "no-title")
    assert value(row["title"]) is None
    assert value(row["published"]) == dt.date(2021, 5, 1)


@crawl_test
def test_row_without_date_is_kept(crawl: Crawl) -> None:
    row = listing_row(crawl, "no-date")
    assert row["title"] == "Undated Listing Report"
    assert value(row["date_raw"]) is None and value(row["published"]) is None
    assert value(row["date_flag"]) is None


@crawl_test
@pytest.mark.parametrize(
    ("case", "raw"),
    [("date-tbd", "TBD"), ("date-season", "Spring 2021"), ("date-impossible", "31/02/2021")],
)
def test_unparseable_date_keeps_raw_with_null_parsed(crawl: Crawl, case: str, raw: str) -> None:
    row = listing_row(crawl, case)
    assert row["date_raw"] == raw
    assert value(row["published"]) is None and value(row["date_precision"]) is None
    assert row["date_flag"] == "unparsed"


@crawl_test
def test_author_sentence_gives_no_authors(crawl: Crawl) -> None:
    row = listing_row(crawl, "author-sentence")
    assert value(row["authors"]) == []
    assert row["title"] == "Sentence Byline Report"
    assert crawl.stats["regmig/authors/rejected/sentence"] >= 1
    # the raw byline is kept beside the parsed names (authors_raw), and nowhere else
    assert AUTHOR_SENTENCE[:30] in row["authors_raw"]
    assert not any(AUTHOR_SENTENCE[:30] in str(v) for v in row.drop("authors_raw").to_numpy())


@crawl_test
def test_long_title_is_cut_to_the_limit(crawl: Crawl) -> None:
    title = listing_row(crawl, "long-title")["title"]
    assert title.startswith("Regional Migration Cooperation Regional")
    assert 900 < len(title) <= 1000  # REGMIG_TEXT_MAX_CHARS, cut at a word
    assert crawl.stats["regmig/text/truncated/title"] >= 1


@crawl_test
def test_markup_and_script_in_fields_leave_only_text(crawl: Crawl) -> None:
    row = listing_row(crawl, "markup-title")
    assert row["title"] == "Bold Markup Title Escaped"
    assert row["summary"] == "Summary with styles and escaped script."
    assert value(row["authors"]) == ["Andrew Selee"]


@crawl_test
def test_row_linking_only_offsite_is_skipped_and_counted(crawl: Crawl) -> None:
    assert "Offsite Listing Report" not in set(crawl.rows["title"].dropna())
    assert crawl.stats["regmig/listing/skipped/offsite_link"] >= 1


@crawl_test
def test_no_text_field_carries_markup_or_script(crawl: Crawl) -> None:
    for url, row in crawl.rows.iterrows():
        texts = [v for v in row.to_numpy() if isinstance(v, str)]
        texts += value(row["authors"])
        for text in texts:
            assert not MARKUP.search(text), (url, text[:200])
            assert not any(trace in text for trace in SCRIPT_TRACES), (url, text[:200])


# --- crawls of their own ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def earlier_dataset(mirror_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset written by a good crawl of the bundled site (copied by each test)."""
    output = tmp_path_factory.mktemp("earlier")
    result = regmig(
        "crawl", "--start-url", mirror_url + PROGRAM_PATH, "--output", str(output), **BOUNDS
    )
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    return output


def dataset_files(output: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(output)): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


@crawl_test
@pytest.mark.parametrize(
    "start_path",
    [BROKEN_PROGRAM_PATH, CASES_BY_NAME["reset"].path, "/private/program"],
    ids=["start-page-500", "start-page-reset", "start-page-robots-disallowed"],
)
def test_failed_run_leaves_earlier_output_untouched(
    earlier_dataset: Path, tmp_path: Path, start_path: str
) -> None:
    output = tmp_path / "output"
    shutil.copytree(earlier_dataset, output)
    before = dataset_files(output)
    assert any(name.startswith("publications/") for name in before)
    with serving_hostile() as server:
        result = regmig(
            "crawl", "--start-url", server.url + start_path, "--output", str(output), **BOUNDS
        )
    assert result.returncode == EXIT_FAILED, result.stderr[-3000:]
    assert "FAILED (exit 1): no listing page could be fetched" in result.stderr
    assert dataset_files(output) == before


@crawl_test
def test_endless_tabs_stop_at_max_listing_pages(tmp_path: Path) -> None:
    with serving_hostile() as server:
        result = regmig(
            "crawl", "--start-url", server.url + ENDLESS_TABS_PATH, "--output", str(tmp_path),
            **{**BOUNDS, "REGMIG_MAX_LISTING_PAGES": "12"},
        )  # fmt: skip
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    assert len(server.requested(ENDLESS_TABS_PATH)) == 12
    stats = json.loads(pd.read_parquet(tmp_path / "runs").iloc[-1]["stats_json"])
    assert stats["regmig/listing/limit_reached"] > 0
    assert stats["regmig/listing/pages"] == 12
    # an incomplete crawl says so, and a strict run fails on it
    assert "REGMIG_MAX_LISTING_PAGES (12) reached" in result.stderr
    assert "listing links not followed: REGMIG_MAX_LISTING_PAGES reached" in result.stderr
    with serving_hostile() as server:
        strict = regmig(
            "crawl", "--start-url", server.url + ENDLESS_TABS_PATH, "--output", str(tmp_path),
            **{**BOUNDS, "REGMIG_MAX_LISTING_PAGES": "12", "REGMIG_STRICT": "true"},
        )  # fmt: skip
    assert strict.returncode == EXIT_PARTIAL, strict.stderr[-3000:]


def small_program_rows(output: Path) -> pd.DataFrame:
    return pd.read_parquet(output / "publications").set_index("url")


@crawl_test
@pytest.mark.parametrize("moved", ["path", "host"])
def test_start_url_that_redirects_crawls_where_it_leads(tmp_path: Path, moved: str) -> None:
    """A program page that moved (301 to a new path), or a host that redirects (a site typed
    without its www): the page reached is the program, its pager is followed there."""
    with serving_hostile() as server:
        start = (
            server.url + MOVED_PROGRAM_PATH
            if moved == "path"
            else server.moved_host_url + "/programs/small-program"
        )
        result = regmig("crawl", "--start-url", start, "--output", str(tmp_path), **BOUNDS)
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    rows = small_program_rows(tmp_path)
    assert sorted(rows.index) == sorted(f"{SITE}{path}" for path in SMALL_PROGRAM_PAGES)
    assert rows["page_fetched"].all()
    stats = json.loads(pd.read_parquet(tmp_path / "runs").iloc[-1]["stats_json"])
    assert stats["regmig/listing/pages"] == 2  # the program page and its pager's page 1
    assert stats["regmig/listing/start_redirected"] == 1
    assert not [k for k in stats if k.startswith(("regmig/listing/failed/", "offsite/"))]


RIVAL_PRELUDE = """\
import os, subprocess, sys
import scrapy.crawler
_start = scrapy.crawler.CrawlerProcess.start
def _start_after_a_rival(self, *args, **kwargs):
    # a second run of the same command, started once this one has checked its output
    rival = subprocess.run([sys.executable, "-m", "regmig_scraper.cli", *sys.argv[1:]],
                           capture_output=True, text=True, timeout=100)
    with open(os.environ["REGMIG_TEST_RIVAL"], "w") as out:
        out.write(f"{rival.returncode}\\n{rival.stderr}")
    return _start(self, *args, **kwargs)
scrapy.crawler.CrawlerProcess.start = _start_after_a_rival
"""


@crawl_test
def test_two_runs_started_together_the_second_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rival = tmp_path / "rival.txt"
    monkeypatch.setenv("REGMIG_TEST_RIVAL", str(rival))
    output = tmp_path / "output"
    with serving_hostile() as server:
        first = regmig_after(
            RIVAL_PRELUDE, "crawl", "--start-url", server.url + SMALL_PROGRAM_PATH,
            "--output", str(output), **BOUNDS,
        )  # fmt: skip
    assert first.returncode == EXIT_OK, first.stderr[-3000:]
    status, _, stderr = rival.read_text().partition("\n")
    assert int(status) == 4, stderr[-3000:]
    assert "another run holds the output directory" in stderr
    assert "Traceback" not in stderr
    assert len(pd.read_parquet(output / "runs")) == 1  # only the first run wrote


DISK_FULL_PRELUDE = """\
import sqlite3
import regmig_scraper.dataset.run
class _FullDisk:
    def __init__(self, *args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")
regmig_scraper.dataset.run.RunStaging = _FullDisk
"""


@crawl_test
def test_full_disk_at_start_is_reported_as_such(earlier_dataset: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    shutil.copytree(earlier_dataset, output)
    before = dataset_files(output)
    with serving_hostile() as server:
        result = regmig_after(
            DISK_FULL_PRELUDE, "crawl", "--start-url", server.url + SMALL_PROGRAM_PATH,
            "--output", str(output), **BOUNDS,
        )  # fmt: skip
        publications_requested = [r for r in server.requests if r.path in SMALL_PROGRAM_PAGES]
    assert result.returncode == EXIT_FAILED, result.stderr[-3000:]
    assert (
        "FAILED (exit 1): the output directory could not be written: no space left on device"
        in (result.stderr)
    )
    assert "no listing page could be fetched" not in result.stderr
    assert "Traceback" not in result.stderr
    assert not publications_requested  # the crawl stopped before it began
    assert dataset_files(output) == before


FUTURE_CLOCK_PRELUDE = """\
import datetime, types
import regmig_scraper.dataset.run
class _Future(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2099, 1, 1, tzinfo=tz)
regmig_scraper.dataset.run.dt = types.SimpleNamespace(datetime=_Future, UTC=datetime.UTC)
"""


@crawl_test
def test_a_clock_that_went_back_is_warned_and_times_stay_ordered(tmp_path: Path) -> None:
    with serving_hostile() as server:
        args = ("crawl", "--start-url", server.url + SMALL_PROGRAM_PATH, "--output", str(tmp_path))
        future = regmig_after(FUTURE_CLOCK_PRELUDE, *args, **BOUNDS)
        assert future.returncode == EXIT_OK, future.stderr[-3000:]
        now = regmig(*args, **BOUNDS)
    assert now.returncode == EXIT_OK, now.stderr[-3000:]
    assert "Clock skew" in now.stderr
    rows = small_program_rows(tmp_path)
    assert len(rows) == 2
    assert (rows["first_seen_at"] <= rows["last_seen_at"]).all(), rows[
        ["first_seen_at", "last_seen_at"]
    ]
    runs = pd.read_parquet(tmp_path / "runs").sort_values("started_at")
    assert [r.year for r in runs["started_at"]][-1] == 2099
    assert json.loads(runs.iloc[0]["stats_json"])["regmig/dataset/clock_skew"] == 1  # now


@crawl_test
def test_foreign_parquet_files_leave_the_dataset_directory(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    with serving_hostile() as server:
        args = ("crawl", "--start-url", server.url + SMALL_PROGRAM_PATH, "--output", str(tmp_path))
        assert regmig(*args, **BOUNDS).returncode == EXIT_OK
        junk = pa.table({"a": list(range(23)), "b": ["junk"] * 23})
        pq.write_table(junk, tmp_path / "publications" / "notes.parquet")
        again = regmig(*args, **BOUNDS)
    assert again.returncode == EXIT_OK, again.stderr[-3000:]
    assert "notes.parquet was not written by regmig" in again.stderr
    rows = pd.read_parquet(tmp_path / "publications")  # what an analyst reads
    assert len(rows) == 2 and "title" in rows.columns and "a" not in rows.columns
    moved = tmp_path / "publications.foreign" / "notes.parquet"
    assert pq.read_table(moved).equals(junk)  # kept, out of the way


# --- the pieces the crawl relies on (no server) ----------------------------------------------

FAILED_STATS = {"regmig/listing/pages": 3, "regmig/pages/failed/http_404": 1}


@pytest.mark.parametrize(
    ("stats", "publications", "reason", "strict", "status"),
    [
        ({}, 0, "finished", False, EXIT_FAILED),  # no listing page
        ({"regmig/listing/failed/http_500": 1}, 0, "finished", False, EXIT_FAILED),
        ({"regmig/listing/pages": 3, "regmig/dataset/commit_failed": 1}, 5, "finished", False,
         EXIT_FAILED),
        ({"regmig/listing/pages": 3}, 5, "shutdown", False, EXIT_FAILED),  # interrupted
        ({"regmig/listing/pages": 3}, 0, "finished", False, EXIT_FAILED),  # nothing produced
        ({"regmig/listing/pages": 3}, 5, "finished", True, EXIT_OK),
        (FAILED_STATS, 5, "finished", False, EXIT_OK),  # partial: reported, exit 0
        (FAILED_STATS, 5, "finished", True, EXIT_PARTIAL),  # partial, strict
        # the listing page limit cut the crawl short: incomplete, like a failed page
        ({"regmig/listing/pages": 3, "regmig/listing/limit_reached": 2}, 5, "finished", True,
         EXIT_PARTIAL),
        ({"regmig/listing/pages": 3, "regmig/listing/limit_reached": 2}, 5, "finished", False,
         EXIT_OK),
        # a capped pager ("last" into nowhere) is only counted
        ({"regmig/listing/pages": 3, "regmig/listing/pager_capped": 2}, 5, "finished", True,
         EXIT_OK),
        ({"regmig/listing/pages": 3, "spider_exceptions/ValueError": 1,
          "spider_exceptions/count": 1}, 5, "finished", True, EXIT_PARTIAL),
        # requests Scrapy would drop by itself, and documents cut short, fail a strict run
        ({"regmig/listing/pages": 3, "regmig/pages/failed/url_too_long": 1}, 5, "finished",
         True, EXIT_PARTIAL),
        ({"regmig/listing/pages": 3, "regmig/listing/truncated": 1}, 5, "finished", True,
         EXIT_PARTIAL),
        ({"regmig/listing/pages": 3, "regmig/pages/dropped/duplicate": 1}, 5, "finished", True,
         EXIT_OK),  # a duplicate's page was requested under its other URL
        # retried and then fetched: not a failure, even when strict
        ({"regmig/listing/pages": 3, "retry/count": 4,
          "downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError": 2},
         5, "finished", True, EXIT_OK),
    ],
)  # fmt: skip
def test_exit_policy(
    stats: dict, publications: int, reason: str, strict: bool, status: int
) -> None:
    assert decide_exit(stats, publications=publications, reason=reason, strict=strict)[0] == status


def test_partial_failure_message_counts_pages_not_retries() -> None:
    stats = {**FAILED_STATS, "retry/max_reached": 1, "retry/count": 2}
    _, message = decide_exit(stats, publications=5, reason="finished", strict=False)
    assert message == "5 publications written; 1 pages failed (see errors)"


def _failure(error: BaseException):
    from twisted.python.failure import Failure

    return Failure(error)


def _http_error(status: int) -> BaseException:
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError

    return HttpError(Response("http://x/", status=status), "Ignoring non-200 response")


def _error_cases() -> list[tuple[BaseException, str]]:
    from scrapy import exceptions as errors
    from twisted.internet import error as tx

    return [
        (_http_error(404), "http_404"),
        (_http_error(503), "http_503"),
        (errors.IgnoreRequest("Forbidden by robots.txt"), "robots_txt"),
        (errors.IgnoreRequest("Filtered offsite request to 'offsite.invalid'"),
         "offsite_redirect"),
        (errors.IgnoreRequest("max redirections reached"), "too_many_redirects"),
        (errors.IgnoreRequest("Ignored response <200 x> ... exceeded DOWNLOAD_MAXSIZE"),
         "too_large"),
        (errors.IgnoreRequest("Ignored request not in cache: <GET http://x/>"), "not_in_snapshot"),
        (errors.IgnoreRequest("something else"), "ignored"),
        (errors.DownloadTimeoutError("took longer than 3.0 seconds"), "timeout"),
        (tx.TimeoutError(), "timeout"),
        (errors.DownloadCancelledError(""), "too_large"),
        (errors.DownloadFailedError("Connection lost"), "connection_lost"),
        (tx.ConnectionLost(), "connection_lost"),
        (errors.CannotResolveHostError("offsite.invalid"), "dns"),
        (tx.DNSLookupError(), "dns"),
        (errors.DownloadConnectionRefusedError(), "connection_refused"),
        (errors.ResponseDataLossError(), "data_loss"),
        (ValueError("x"), "valueerror"),
    ]  # fmt: skip


@pytest.mark.parametrize("index", range(len(_error_cases())))
def test_failure_reasons(index: int) -> None:
    from regmig_scraper.spiders.program import _failure_reason

    error, reason = _error_cases()[index]
    assert _failure_reason(_failure(error)) == reason


CP1252 = "Migración “segura” — niñez".encode("cp1252")
UTF8 = "Niños “migrantes” — ¿qué?".encode()


@pytest.mark.parametrize(
    ("body", "content_type", "repair"),
    [
        (CP1252, "text/html; charset=utf-8", ("cp1252", "declared_utf8_not_utf8")),
        (b'<meta charset="utf-8">' + CP1252, "text/html", ("cp1252", "declared_utf8_not_utf8")),
        (UTF8, "text/html; charset=iso-8859-1", ("utf-8", "utf8_declared_single_byte")),
        (UTF8, "text/html; charset=windows-1252", ("utf-8", "utf8_declared_single_byte")),
        (UTF8, "text/html; charset=us-ascii", ("utf-8", "utf8_declared_single_byte")),
        (CP1252, "text/html", ("cp1252", "undeclared_not_utf8")),
        (CP1252, None, ("cp1252", "undeclared_not_utf8")),
        # UTF-8 with one stray byte is UTF-8 (the byte becomes U+FFFD), declared or not...
        (UTF8 + b"\xff", "text/html; charset=utf-8", None),
        (b"<p>\xa9 2024</p>" + UTF8, "text/html; charset=utf-8", None),
        (UTF8 + b"\xff", None, ("utf-8", "undeclared_mostly_utf8")),
        # ...but windows-1252 with a UTF-8 sequence or two in it is windows-1252
        (
            CP1252 + CP1252 + "ñ".encode(),
            "text/html; charset=utf-8",
            ("cp1252", "declared_utf8_not_utf8"),
        ),
        # kept as declared
        (UTF8, "text/html; charset=utf-8", None),
        (UTF8, "text/html", None),  # undeclared UTF-8: Scrapy's own guess is right
        (CP1252, "text/html; charset=windows-1252", None),
        (b"\xef\xbb\xbf" + UTF8, "text/html; charset=iso-8859-1", None),  # a BOM wins
        (b"plain ascii <p>text</p>", "text/html; charset=iso-8859-1", None),
        (b"", "text/html; charset=utf-8", None),
        ("移民".encode("shift_jis"), "text/html; charset=shift_jis", None),
        ("Миграция".encode("koi8-r"), "text/html; charset=koi8-r", None),
        # a page re-encoded as UTF-8 that still declares its old charset
        ("人民网 移民".encode(), "text/html; charset=gb2312", ("utf-8", "utf8_declared_other")),
        (b'<meta charset="shift_jis">' + "移民".encode(), None, ("utf-8", "utf8_declared_other")),
        ("Миграция".encode(), "text/html; charset=windows-1251", ("utf-8", "utf8_declared_other")),
        (UTF8, "text/html; charset=iso-8859-15", ("utf-8", "utf8_declared_single_byte")),
    ],
)
def test_encoding_repair(body: bytes, content_type: str | None, repair: tuple | None) -> None:
    from regmig_scraper.sites.encoding import repaired_encoding

    assert repaired_encoding(body, content_type) == repair


def test_one_stray_byte_does_not_garble_a_utf8_page() -> None:
    from scrapy.http import HtmlResponse

    from regmig_scraper.sites.encoding import repair_encoding

    title = "Migración y niñez en México"
    body = f"<html><head><title>{title}</title></head><body>{title}<footer>".encode()
    response = HtmlResponse(
        "https://example.org/x",
        body=body + b"\xff</footer></body></html>",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    repaired, reason = repair_encoding(response)
    assert reason is None
    assert repaired.css("title::text").get() == title
    assert "\ufffd" in repaired.text


@pytest.mark.parametrize(
    ("href", "joined"),
    [
        ("/research/x", "https://www.migrationpolicy.org/research/x"),
        ("?page=2", "https://www.migrationpolicy.org/programs/p?page=2"),
        ("//www.migrationpolicy.org/y", "https://www.migrationpolicy.org/y"),
        ("http://[::1", None),  # unbalanced IPv6 bracket: ValueError in urllib
        ("https://[::1]:8000/x", "https://[::1]:8000/x"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("ftp://example.org/f", None),
        ("#top", None),
        ("", None),
        (None, None),
    ],
)
def test_join_url(href: str | None, joined: str | None) -> None:
    from regmig_scraper.sites.markup import join_url

    assert join_url("https://www.migrationpolicy.org/programs/p", href) == joined


BASES = (
    "https://www.migrationpolicy.org/programs/p",
    "https://www.migrationpolicy.org/programs/p/?qt-tabs=1&page=0%2C2#top",
    "http://127.0.0.1:8080/a/b/../c;params?x=1",
    "https://user@[::1]:8000",
    "https://www.migrationpolicy.org",
)
HREF_PARTS = st.sampled_from(
    ["/", "//", "http://", "https://", "..", ".", "?", "#", ";", "%2F", "a", "b/", "[::1", ":"]
)


@given(
    st.sampled_from(BASES),
    st.lists(HREF_PARTS, max_size=8).map("".join) | st.text(max_size=30),
)
def test_join_url_cache_gives_what_urljoin_gives(base: str, href: str) -> None:
    """The cache keys on part of the base only where the rest cannot change the result."""
    from urllib.parse import urljoin, urlsplit

    from regmig_scraper.sites.markup import join_url

    stripped = href.strip()
    try:
        expected = urljoin(base, stripped)
        urlsplit(expected)
    except ValueError:
        expected = None
    if not href or stripped.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
        expected = None
    if expected is not None and not expected.startswith(("http://", "https://")):
        expected = None
    assert join_url(base, href) == expected


def test_listing_rows_without_usable_links_are_skipped_by_reason() -> None:
    from scrapy.http import HtmlResponse

    from regmig_scraper.sites.mpi import MpiDrupalSite
    from tests.hostile_server import views_row

    rows = "".join(
        [
            views_row(0, "/research/good", "Good"),
            views_row(1, "http://offsite.invalid/research/x", "Elsewhere"),
            views_row(2, None, "No Link", authors_html=None),
            views_row(3, "http://[::1", "Broken Link"),
        ]
    )
    body = f'<html><body><div id="content">{rows}</div></body></html>'
    url = "https://www.migrationpolicy.org/programs/p"
    page = MpiDrupalSite().extract_listing(HtmlResponse(url, body=body, encoding="utf-8"))
    assert [t["title"] for t in page.teasers] == ["Good"]
    assert dict(page.skipped) == {"offsite_link": 1, "no_link": 2}


@pytest.mark.parametrize(
    ("html_date", "raw"),
    [
        ('<span class="date-display-single">March 2021</span>', "March 2021"),
        # an unclosed span swallows what follows: only its first line is the date
        ('<span class="date-display-single">March 2021\n<p>A long paragraph.</p>', "March 2021"),
        ('<span class="date-display-single">\n  April 15, 2021<br>11:00 am</span>',
         "April 15, 2021"),
    ],
)  # fmt: skip
def test_date_element_gives_its_first_line(html_date: str, raw: str) -> None:
    from scrapy.http import HtmlResponse

    from regmig_scraper.sites.mpi import MpiDrupalSite

    body = (
        '<html><body><div id="content"><div class="node node-publication"><h1>T</h1>'
        f'<div class="field-name-field-date">{html_date}</div></div></div></body></html>'
    )
    url = "https://www.migrationpolicy.org/research/x"
    record = MpiDrupalSite().extract_publication(HtmlResponse(url, body=body, encoding="utf-8"))
    assert record["date_raw"] == raw


@pytest.mark.parametrize(
    ("text", "truncated"),
    [
        ("<!DOCTYPE html><html><body><p>whole</p></body></html>", False),
        ("<html><body><p>whole</p></body></html>\n<!-- served by x -->\n", False),
        ("<HTML><BODY>upper case</BODY></HTML >", False),
        ("<html><body><p>cut in the mid", True),
        ("<html><body>" + "<p>long</p>" * 2000, True),  # no </html> near the end
        ("<p>a fragment, never a document</p>", False),
        ("", False),
    ],
)
def test_looks_truncated(text: str, truncated: bool) -> None:
    from regmig_scraper.sites.markup import looks_truncated

    assert looks_truncated(text) is truncated


def test_default_bounds_are_safe() -> None:
    from scrapy.settings import Settings

    from regmig_scraper import settings as project

    settings = Settings()
    settings.setmodule(project)
    assert 0 < settings.getint("DOWNLOAD_TIMEOUT") <= 60
    assert 0 < settings.getint("DOWNLOAD_MAXSIZE") <= 64 * MIB
    assert 0 < settings.getint("DOWNLOAD_WARNSIZE") <= settings.getint("DOWNLOAD_MAXSIZE")
    assert 0 < settings.getint("RETRY_TIMES") <= 5
    assert {429, 500, 503} <= set(settings.getlist("RETRY_HTTP_CODES"))
    assert 0 < settings.getint("REDIRECT_MAX_TIMES") <= 20
    assert 0 < settings.getint("REGMIG_MAX_PAGER_PAGE") <= 10_000
    assert 0 < settings.getint("REGMIG_MAX_LISTING_PAGES") <= 100_000
    assert settings.getbool("ROBOTSTXT_OBEY")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.migrationpolicy.org/programs/p?x=1",
        "https://www.migrationpolicy.org",
        "https://www.migrationpolicy.org?page=2",
        "https://www.migrationpolicy.org#top",
        "HTTP://Example.ORG:8080/a",
        "http://127.0.0.1:8765/programs/regional-migration",
        "https://user@[::1]:8000/x",
    ],
)
def test_origin_of_reads_what_urlsplit_reads(url: str) -> None:
    from urllib.parse import urlsplit

    from regmig_scraper.sites.markup import origin_of

    parts = urlsplit(url)
    assert origin_of(url) == f"{parts.scheme}://{parts.netloc}"
