"""Tests for regmig_scraper/report.py and ``regmig report``: counts, fill rates, flags, runs,
the text and HTML renderings (parsed, and rendered by headless Chromium when installed)."""

from __future__ import annotations

import datetime as dt
import doctest
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bs4 import BeautifulSoup

from regmig_scraper import report as report_module
from regmig_scraper.dataset.schema import (
    PUBLICATIONS_SCHEMA,
    RUNS_SCHEMA,
    SCHEMA_VERSION_KEY,
    rows_to_table,
)
from regmig_scraper.report import (
    LAST_RUNS,
    ReportError,
    build_report,
    chart_series,
    language_colors,
    nice_ticks,
    render_html,
    render_text,
)
from tests.helpers import run_regmig

ROOT = Path(__file__).resolve().parent.parent
MPI = "https://www.migrationpolicy.org"
SEEN = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
D = dt.date


def pub(n: int, **fields) -> dict:
    """A publication row of the full schema; ``n`` makes id and url unique."""
    row = {
        "id": f"{n:016x}",
        "url": f"{MPI}/research/publication-{n}",
        "title": f"Publication {n}",
        "content_type": "report",
        "language": "en",
        "language_confidence": 0.99,
        "published": D(2021, 4, 1),
        "date_precision": "month",
        "date_raw": "April 2021",
        "authors": ["Andrew Selee"],
        "summary": "A summary.",
        "program": "Building a Regional Migration System",
        "page_fetched": True,
        "content_hash": f"{n:064x}",
        "first_seen_at": SEEN,
        "last_seen_at": SEEN + dt.timedelta(days=n),
        "crawl_id": "20261120T060000Z-1",
    }
    row.update(fields)
    return row


# Ten publications whose counts are worked out by hand in the tests below.
PUBLICATIONS = [
    pub(1, authors=["Andrew Selee", "Ariel G. Ruiz Soto"]),
    pub(2, language="es", authors=["Andrew Selee", "Ariel G. Ruiz Soto"]),
    pub(3, content_type="policy_brief", published=D(2020, 11, 1), authors=["Doris Meissner"]),
    pub(4, content_type="video", published=D(2019, 2, 28), authors=[]),
    pub(5, content_type="video", language="es", published=D(2019, 2, 28), authors=[]),
    pub(6, content_type="article", published=None, date_precision=None, date_raw=None),
    pub(7, content_type="commentary", published=D(2021, 6, 1), authors=[]),
    pub(
        8,
        title="",
        language="und",
        published=None,
        date_precision=None,
        date_raw="Spring 20X1",
        date_flag="unparsed",
        authors=[],
        page_fetched=False,
    ),
    pub(9, content_type="webinar", published=D(2017, 8, 31), authors=None),
    pub(
        10,
        content_type=None,
        language="es",
        published=D(2020, 12, 10),
        authors=["Andrew Selee", "Andrew Selee"],  # counted once for this publication
    ),
]


def run_row(day: int, **fields) -> dict:
    started = SEEN + dt.timedelta(days=day)
    row = {
        "crawl_id": started.strftime("%Y%m%dT%H%M%SZ-1"),
        "started_at": started,
        "finished_at": started + dt.timedelta(seconds=95),
        "start_url": f"{MPI}/programs/regional-migration",
        "output": "output",
        "pages_fetched": 40,
        "publications_total": 10,
        "publications_new": day,
        "publications_changed": 1,
        "publications_unchanged": 8,
        "publications_not_seen": 0,
        "translation_pairs": 2,
        "drops": [("regmig/dataset/dropped/not_publication", 3)],
        "errors": [],
        "exit_status": 0,
        "package_version": "0.1.0",
        "schema_version": 1,
        "stats_json": "{}",
    }
    row.update(fields)
    return row


RUNS = [run_row(day) for day in range(12)]
RUNS[11] = run_row(
    11, errors=[("regmig/pages/failed/404", 2), ("retry/max_reached", 3)], exit_status=1
)
RUNS[10] = run_row(10, finished_at=None)


def write_dataset(root: Path, publications: list[dict], runs: list[dict]) -> Path:
    """The store's layout: publications/publications.parquet and runs/run-<id>.parquet."""
    (root / "publications").mkdir(parents=True, exist_ok=True)
    (root / "runs").mkdir(exist_ok=True)
    rows = sorted(publications, key=lambda row: row["id"])
    pq.write_table(
        rows_to_table(rows, PUBLICATIONS_SCHEMA), root / "publications" / "publications.parquet"
    )
    for run in runs:
        table = rows_to_table([run], RUNS_SCHEMA)
        pq.write_table(table, root / "runs" / f"run-{run['crawl_id']}.parquet")
    return root


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "output", PUBLICATIONS, RUNS)


@pytest.fixture
def report(dataset: Path):
    return build_report(dataset)


@pytest.fixture
def soup(report) -> BeautifulSoup:
    return BeautifulSoup(render_html(report), "lxml")


# --------------------------------------------------------------------------- counts


def test_counts_by_type(report):
    assert report.publications == 10
    assert report.by_type == (
        ("report", 3),
        ("video", 2),
        ("article", 1),
        ("commentary", 1),
        ("policy_brief", 1),
        ("webinar", 1),
        ("(none)", 1),  # a missing type comes last
    )


def test_counts_by_language_unknown_last(report):
    assert report.by_language == (("en", 6), ("es", 3), ("und", 1))
    assert report.languages == ("en", "es", "und")


def test_counts_by_year_undated_last(report):
    assert report.by_year == ((2017, 1), (2019, 2), (2020, 2), (2021, 3), (None, 2))
    assert report.undated == 2


def test_counts_by_year_and_language(report):
    assert report.by_year_language == (
        (2017, (("en", 1),)),
        (2019, (("en", 1), ("es", 1))),
        (2020, (("en", 1), ("es", 1))),
        (2021, (("en", 2), ("es", 1))),
    )


def test_top_authors_count_publications_not_mentions(report):
    assert report.top_authors == (
        ("Andrew Selee", 4),
        ("Ariel G. Ruiz Soto", 2),
        ("Doris Meissner", 1),
    )
    assert report.authors_distinct == 3


def test_top_authors_are_capped(tmp_path):
    rows = [pub(n, authors=[f"Author {n:02d}"]) for n in range(1, 31)]
    report = build_report(write_dataset(tmp_path, rows, []))
    assert len(report.top_authors) == report_module.TOP_AUTHORS
    assert report.top_authors[0] == ("Author 01", 1)  # ties by name
    assert report.authors_distinct == 30


def test_programs_and_seen_range(report):
    assert report.programs == ("Building a Regional Migration System",)
    assert report.first_seen == SEEN
    assert report.last_seen == SEEN + dt.timedelta(days=10)


# --------------------------------------------------------------------------- fill rates


def test_fill_rates_of_every_column(report):
    rates = report.fill_rates
    assert list(rates) == PUBLICATIONS_SCHEMA.names
    assert rates["id"] == 1.0
    assert rates["title"] == 0.9  # one blank title
    assert rates["published"] == 0.8
    assert rates["language"] == 0.9  # "und" is not a language
    assert rates["authors"] == 0.5  # empty lists and nulls are empty
    assert rates["content_type"] == 0.9
    assert rates["date_flag"] == 0.1
    assert rates["page_fetched"] == 1.0  # False is a value
    assert rates["posted"] == 0.0
    assert report.fill_rate_violations == {}  # the defaults are met (0.9 is not below 0.9)


def test_fill_rate_violations_use_the_given_minimums(dataset):
    report = build_report(dataset, min_fill_rates={"title": 0.95, "published": 0.5})
    assert report.fill_rate_violations == {
        "title": "fill rate of title is 90.0% below 95.0%: the site may have changed"
    }


# --------------------------------------------------------------------------- flags


def test_quality_flags(report):
    flags = {flag.name: flag for flag in report.flags}
    assert [flag.name for flag in report.flags] == [
        "undated",
        "authorless",
        "untitled",
        "language_unknown",
        "page_not_fetched",
        "date_flagged",
    ]
    assert (flags["undated"].count, flags["undated"].base) == (2, 10)
    # among report/policy_brief/commentary/article/fact_sheet only: not the videos, the
    # webinar or the publication without a type
    assert (flags["authorless"].count, flags["authorless"].base) == (2, 6)
    assert flags["untitled"].count == 1
    assert flags["language_unknown"].count == 1
    assert flags["page_not_fetched"].count == 1
    assert flags["date_flagged"].count == 1
    assert flags["date_flagged"].breakdown == (("unparsed", 1),)


def test_an_upcoming_events_date_is_not_a_flagged_date() -> None:
    from regmig_scraper.report import quality_flags

    rows = [
        {"url": "https://x/e", "title": "Event", "published": dt.date(2030, 1, 1),
         "date_flag": "future", "content_type": "event"},
        {"url": "https://x/r", "title": "Report", "published": None, "date_flag": "unparsed",
         "content_type": "report"},
    ]  # fmt: skip
    flags = {flag.name: flag for flag in quality_flags(rows)}
    assert flags["date_flagged"].breakdown == (("unparsed", 1),)


def test_flag_examples_name_the_rows(report):
    flags = {flag.name: flag for flag in report.flags}
    assert [e.url for e in flags["undated"].examples] == [
        f"{MPI}/research/publication-6",
        f"{MPI}/research/publication-8",
    ]
    assert [e.detail for e in flags["undated"].examples] == ["", "Spring 20X1"]
    assert [e.detail for e in flags["authorless"].examples] == ["commentary", "report"]
    assert flags["untitled"].examples[0].title == ""


def test_flag_examples_are_capped(tmp_path):
    rows = [pub(n, published=None) for n in range(1, 9)]
    flag = build_report(write_dataset(tmp_path, rows, [])).flags[0]
    assert (flag.name, flag.count, len(flag.examples)) == ("undated", 8, 5)


def test_clean_dataset_raises_no_flag(tmp_path):
    report = build_report(write_dataset(tmp_path, [pub(1), pub(2, language="es")], []))
    assert [flag.count for flag in report.flags] == [0] * 6


# --------------------------------------------------------------------------- runs


def test_last_runs_newest_first(report):
    assert report.runs_total == 12
    assert len(report.runs) == LAST_RUNS
    assert [run.crawl_id for run in report.runs][:3] == [
        "20261201T060000Z-1",
        "20261130T060000Z-1",
        "20261129T060000Z-1",
    ]
    assert report.runs[-1].crawl_id == "20261122T060000Z-1"


def test_run_summary_fields(report):
    latest = report.runs[0]
    assert (latest.new, latest.changed, latest.unchanged, latest.not_seen) == (11, 1, 8, 0)
    assert latest.errors == 5
    assert latest.exit_status == 1
    assert latest.seconds == 95.0
    assert report.runs[1].finished_at is None
    assert report.runs[1].seconds is None
    assert report.runs[2].errors == 0


def test_no_runs_is_not_an_error(tmp_path):
    report = build_report(write_dataset(tmp_path, [pub(1)], []))
    assert (report.runs, report.runs_total) == ((), 0)
    assert "(no run recorded in runs/)" in render_text(report)


# --------------------------------------------------------------------------- reading


def test_missing_dataset(tmp_path):
    with pytest.raises(ReportError) as error:
        build_report(tmp_path / "nowhere")
    assert str(error.value) == f"no dataset at {tmp_path / 'nowhere'}: run `regmig crawl` first"


def test_empty_dataset(tmp_path):
    (tmp_path / "publications").mkdir()
    (tmp_path / "publications" / ".publications.parquet.tmp").write_bytes(b"partial")
    with pytest.raises(ReportError, match=r"no dataset at .*: run `regmig crawl` first"):
        build_report(tmp_path)
    write_dataset(tmp_path, [], [])
    with pytest.raises(ReportError, match="no dataset at"):
        build_report(tmp_path)


def test_foreign_file_is_a_report_error(tmp_path):
    (tmp_path / "publications").mkdir()
    pq.write_table(pa.table({"id": ["x"]}), tmp_path / "publications" / "other.parquet")
    with pytest.raises(ReportError, match=r"cannot read .*other\.parquet"):
        build_report(tmp_path)


def test_older_schema_version_is_upgraded(tmp_path):
    rows = [pub(1), pub(2, published=None)]
    table = rows_to_table(rows, PUBLICATIONS_SCHEMA).drop_columns(["date_flag", "posted"])
    table = table.replace_schema_metadata({SCHEMA_VERSION_KEY: b"0"})
    (tmp_path / "publications").mkdir()
    pq.write_table(table, tmp_path / "publications" / "publications.parquet")
    report = build_report(tmp_path)
    assert report.publications == 2
    assert report.fill_rates["date_flag"] == 0.0
    assert report.undated == 1


def test_several_files_are_read(tmp_path):
    write_dataset(tmp_path, [pub(1), pub(2)], [])
    extra = rows_to_table([pub(3, language="es")], PUBLICATIONS_SCHEMA)
    pq.write_table(extra, tmp_path / "publications" / "part-2.parquet")
    assert build_report(tmp_path).by_language == (("en", 2), ("es", 1))


# --------------------------------------------------------------------------- text


def test_text_report(report):
    text = render_text(report)
    assert text.startswith("regmig report: ")
    assert "10 publications, 3 authors, 12 runs" in text
    assert re.search(r"^  report\s+3\s+30\.0%", text, re.M)
    assert re.search(r"  en\s+6\s+60\.0%", text)
    assert re.search(r"  undated\s+2\s+20\.0%", text)
    assert re.search(r"^  Andrew Selee\s+4$", text, re.M)
    assert re.search(r"^  authorless\s+2\s+33\.3%", text, re.M)
    assert "quality gate passed (title >= 90.0%, published >= 50.0%, language >= 90.0%)" in text
    assert "Last runs (10 of 12)" in text
    assert text.index("20261201T060000Z-1") < text.index("20261130T060000Z-1")
    assert "20261121T060000Z-1" not in text  # the 11th newest run


def test_text_report_columns_are_aligned(report):
    lines = render_text(report).splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Last runs"))) + 1
    table = lines[start : start + 1 + LAST_RUNS]
    ends = {len(line) for line in table}
    assert len(ends) == 1  # right-aligned last column: every row ends at the same place


def test_text_report_shows_violations(dataset):
    text = render_text(build_report(dataset, min_fill_rates={"title": 0.95}))
    assert "quality gate FAILED (title >= 95.0%):" in text
    assert "  ! fill rate of title is 90.0% below 95.0%: the site may have changed" in text
    assert re.search(r"^  title\s+90\.0%  !", text, re.M)


# --------------------------------------------------------------------------- HTML


def test_html_is_self_contained(report):
    page = render_html(report)
    soup = BeautifulSoup(page, "lxml")
    assert page.startswith("<!DOCTYPE html>")
    assert soup.find("script") is None
    assert soup.find("link") is None
    assert soup.find(src=True) is None
    assert "@import" not in page
    assert "url(" not in page
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert hrefs
    assert all(href.startswith(f"{MPI}/research/") for href in hrefs)  # dataset links only


def test_html_has_two_svg_charts(soup):
    charts = soup.find_all("svg")
    assert [svg["id"] for svg in charts] == ["chart-years", "chart-types"]
    for svg in charts:
        assert svg.find("title") is not None
        assert len(svg.select("text.axis-title")) == 2
        assert svg.select("g.legend rect")


def test_year_chart_bars(soup):
    bars = soup.select("#chart-years rect.bar")
    pairs = sorted((bar["data-year"], bar["data-language"], int(bar["data-count"])) for bar in bars)
    assert pairs == [
        ("2017", "en", 1),
        ("2019", "en", 1),
        ("2019", "es", 1),
        ("2020", "en", 1),
        ("2020", "es", 1),
        ("2021", "en", 2),
        ("2021", "es", 1),
    ]
    assert all(bar.find("title") for bar in bars)
    assert bars[-1].find("title").get_text() == "2021, es: 1 publication"
    # every year from the first to the last, 2018 included although empty
    labels = [t.get_text() for t in soup.select("#chart-years g.bars text.tick")]
    assert labels == ["2017", "2018", "2019", "2020", "2021"]
    legend = [t.get_text() for t in soup.select("#chart-years g.legend text")]
    assert legend == ["en (5)", "es (3)"]  # dated publications only; no "und" bar to explain
    assert "2 undated publications not shown." in soup.get_text()


def test_year_chart_colours_follow_the_legend(soup):
    colours = language_colors(("en", "es", "und"))
    for bar in soup.select("#chart-years rect.bar"):
        assert bar["fill"] == colours[bar["data-language"]]
    assert colours["und"] == report_module.UNKNOWN_COLOR


def test_year_chart_groups_languages_beyond_the_palette(tmp_path):
    codes = ["en", "es", "fr", "de", "it", "pt", "ja", "ko"]  # en 8 times ... ko once
    rows = [pub(100 * i + k, language=code) for i, code in enumerate(codes) for k in range(8 - i)]
    rows.append(pub(999, language="und"))
    page = render_html(build_report(write_dataset(tmp_path, rows, [])))
    bars = BeautifulSoup(page, "lxml").select("#chart-years rect.bar")
    series = [(bar["data-language"], int(bar["data-count"])) for bar in bars]
    assert series == [
        ("en", 8),
        ("es", 7),
        ("fr", 6),
        ("de", 5),
        ("it", 4),
        ("pt", 3),
        ("other", 3),
        ("und", 1),
    ]
    assert bars[6].find("title").get_text() == "2021, other (ja, ko): 3 publications"
    assert len({bar["fill"] for bar in bars}) == len(bars)  # no colour used twice


@pytest.mark.parametrize(
    ("languages", "series"),
    [
        (["en", "es"], ["en", "es"]),
        (["und", "en"], ["und", "en"]),
        (["(none)", "es"], ["(none)", "es"]),
        (["a", "b", "c", "d", "e", "f", "g"], ["a", "b", "c", "d", "e", "f", "other"]),
        (
            ["a", "b", "c", "d", "e", "und", "f", "g"],
            ["a", "b", "c", "d", "e", "und", "f", "other"],
        ),
    ],
)
def test_chart_series(languages, series):
    assert list(chart_series(languages).values()) == series


def test_type_chart_bars(soup, report):
    bars = soup.select("#chart-types rect.bar")
    assert [(bar["data-type"], int(bar["data-count"])) for bar in bars] == list(report.by_type)
    assert bars[0].find("title").get_text() == "report: 3 publications (30.0%)"
    widths = [float(bar["width"]) for bar in bars]
    assert widths == sorted(widths, reverse=True)
    assert widths[0] == pytest.approx(widths[1] * 3 / 2, abs=0.2)  # proportional to the counts


def test_html_tables(soup):
    def rows(table_id: str) -> list[list[str]]:
        table = soup.find("table", id=table_id)
        return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.tbody]

    assert rows("by-type")[0] == ["report", "3", "30.0%"]
    assert len(rows("by-type")) == 7
    assert rows("by-language") == [
        ["en", "6", "60.0%"],
        ["es", "3", "30.0%"],
        ["und", "1", "10.0%"],
    ]
    assert rows("by-year")[-1] == ["undated", "2", "20.0%"]
    assert rows("top-authors")[0] == ["Andrew Selee", "4", "40.0%"]
    fill = {row[0]: row for row in rows("fill-rates")}
    assert len(fill) == len(PUBLICATIONS_SCHEMA.names)
    assert fill["title"][2:] == ["90.0%", "90.0%"]
    assert 'not language "und"' in soup.find("table", id="fill-rates").parent.get_text()
    flags = soup.select("#quality-flags tbody tr")
    assert [tr["data-flag"] for tr in flags][:2] == ["undated", "authorless"]
    assert "raised" in flags[0].get("class", [])
    runs = rows("runs")
    assert len(runs) == LAST_RUNS
    assert runs[0][0] == "20261201T060000Z-1"
    assert runs[0][-2:] == ["5", "1"]  # errors total, exit status


def test_html_escapes_dataset_text(tmp_path):
    rows = [
        pub(1, title="<script>alert(1)</script>", published=None),
        pub(2, url="javascript:alert(2)", published=None, content_type="<b>x</b>"),
    ]
    page = render_html(build_report(write_dataset(tmp_path, rows, [])))
    soup = BeautifulSoup(page, "lxml")
    assert soup.find("script") is None
    assert soup.find("b") is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not soup.select('a[href^="javascript"]')


def test_html_without_dated_publications_or_authors(tmp_path):
    rows = [pub(1, published=None, authors=[])]
    soup = BeautifulSoup(render_html(build_report(write_dataset(tmp_path, rows, []))), "lxml")
    assert soup.select("#chart-years rect.bar") == []
    assert "No dated publication" in soup.get_text()
    assert soup.find("table", id="top-authors") is None
    assert "No run recorded" in soup.get_text()


def test_output_is_deterministic(dataset, tmp_path):
    first = build_report(dataset)
    copy = shutil.copytree(dataset, tmp_path / "copy")
    again = build_report(dataset)
    assert render_html(first) == render_html(again)
    assert render_text(first) == render_text(again)
    # the same files elsewhere differ only by the path shown
    moved = render_html(build_report(copy)).replace(str(copy), str(dataset))
    assert moved == render_html(first)


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (16, [0, 5, 10, 15, 20]),
        (120, [0, 50, 100, 150]),
        (999, [0, 200, 400, 600, 800, 1000]),
    ],
)
def test_nice_ticks(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def test_doctests():
    assert doctest.testmod(report_module).failed == 0


# --------------------------------------------------------------------------- rendering


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB(A) rows of an 8-bit truecolour PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, *_ = header
    assert depth == 8 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa_, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa_ <= pb and pa_ <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(row[j : j + 3]) for row in rows for j in range(0, stride, bpp)]


@pytest.mark.slow
def test_html_renders_in_chromium(report, tmp_path):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("chromium not installed")
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    shot = tmp_path / "report.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                str(chromium),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                f"--screenshot={shot}",
                "--window-size=1200,1600",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    width, height, pixels = _png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    white = sum(1 for p in pixels if p == b"\xff\xff\xff")
    assert 0.02 < 1 - white / len(pixels) < 0.6  # ink, but not a black or broken page

    def near(colour: str) -> int:
        rgb = bytes.fromhex(colour.lstrip("#"))
        return sum(1 for p in pixels if all(abs(x - y) <= 6 for x, y in zip(p, rgb, strict=True)))

    colours = language_colors(report.languages)
    assert near(colours["en"]) > 2_000  # the English bars and the type bars
    assert near(colours["es"]) > 500  # the Spanish bars


# --------------------------------------------------------------------------- CLI


def _regmig(*args: str) -> subprocess.CompletedProcess:
    return run_regmig("report", *args, timeout=120)


def test_cli_report(dataset):
    result = _regmig(str(dataset))
    assert result.returncode == 0, result.stderr
    assert result.stdout == render_text(build_report(dataset))
    html_path = dataset / "report.html"
    assert html_path.read_text(encoding="utf-8") == render_html(build_report(dataset))
    assert str(html_path.resolve()) in result.stderr


def test_cli_report_html_path_and_no_html(dataset, tmp_path):
    target = tmp_path / "reports" / "latest.html"
    result = _regmig(str(dataset), "--html", str(target))
    assert result.returncode == 0, result.stderr
    assert target.exists()
    assert not (dataset / "report.html").exists()
    result = _regmig(str(dataset), "--no-html")
    assert result.returncode == 0, result.stderr
    assert not (dataset / "report.html").exists()
    assert result.stderr == ""


def test_cli_report_missing_dataset(tmp_path):
    result = _regmig(str(tmp_path / "empty"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"regmig: error: no dataset at {tmp_path / 'empty'}: run `regmig crawl` first"
    ]
    assert not (tmp_path / "empty").exists()


def test_cli_report_html_and_no_html_conflict(dataset):
    result = _regmig(str(dataset), "--html", "x.html", "--no-html")
    assert result.returncode == 2
    assert "not allowed with" in result.stderr
