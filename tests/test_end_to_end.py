"""The real crawl over real HTTP (a mirror on 127.0.0.1), replay, record, and the CLI contract.

Each crawl runs in a subprocess, as a scheduler would run it: Twisted's reactor cannot be
restarted inside one test process.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import REPO, SNAPSHOT, run_regmig

pytestmark = pytest.mark.slow
PROGRAM_PATH = "/programs/regional-migration"


regmig = run_regmig


def read_publications(output: Path) -> pd.DataFrame:
    return pd.read_parquet(output / "publications")


@pytest.fixture(scope="module")
def mirror_crawl(mirror_url: str, tmp_path_factory: pytest.TempPathFactory):
    output = tmp_path_factory.mktemp("mirror-crawl")
    result = regmig(
        "crawl",
        "--start-url",
        mirror_url + PROGRAM_PATH,
        "--output",
        str(output),
        "-s",
        "REGMIG_POLITE=false",
    )
    return result, output


# Columns of a crawl's row that the page alone decides (the others come from listings too:
# the program, the teasers' type label and dates, the URLs that led to it).
PAGE_COLUMNS = ("id", "url", "title", "language", "authors", "authors_raw", "summary",
                "body_text", "pdf_urls", "site", "provenance", "modified",
                "page_fetched")  # fmt: skip


def test_public_extract_gives_the_crawls_row_for_each_page(mirror_crawl) -> None:
    import pyarrow.parquet as pq

    from regmig_scraper import extract
    from tests.helpers import snapshot_relpath

    _, output = mirror_crawl
    rows = pq.read_table(output / "publications").to_pylist()
    compared = 0
    for row in rows:
        if not row["page_fetched"]:
            continue
        path = SNAPSHOT / snapshot_relpath(row["url"])
        if not path.is_file():
            continue  # read from an alias URL only
        got = extract(path.read_bytes(), row["url"])
        assert got is not None, row["url"]
        row["provenance"] = dict(row["provenance"] or [])
        for column in PAGE_COLUMNS:
            assert got[column] == row[column], (row["url"], column)
        assert got["published"] in (row["published"], None) or got["date_precision"] != "day"
        compared += 1
    assert compared >= 10


def test_a_v2_run_over_a_v1_dataset_reports_nothing_changed(
    mirror_crawl, mirror_url: str, tmp_path: Path
) -> None:
    import shutil

    import pyarrow.parquet as pq

    _, output = mirror_crawl
    shutil.copytree(output / "publications", tmp_path / "publications")
    # The same dataset as version 1 wrote it: without the version-2 columns.
    path = tmp_path / "publications" / "publications.parquet"
    table = pq.read_table(path).drop_columns(["modified", "authors_raw", "site", "provenance"])
    pq.write_table(table.replace_schema_metadata({b"regmig.schema_version": b"1"}), path)
    result = regmig(
        "crawl", "--start-url", mirror_url + PROGRAM_PATH, "--output", str(tmp_path),
        "-s", "REGMIG_POLITE=false",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    runs = pd.read_parquet(tmp_path / "runs")
    assert runs["publications_changed"].tolist() == [0]
    assert runs["publications_new"].tolist() == [0]
    upgraded = pq.read_table(path)
    assert pq.read_schema(path).metadata[b"regmig.schema_version"] == b"2"
    assert upgraded.column("site").null_count == 0  # filled on the rows it saw again


def test_mirror_crawl_succeeds(mirror_crawl) -> None:
    result, _ = mirror_crawl
    assert result.returncode == 0, result.stderr[-3000:]
    assert "publications written: 16" in result.stderr


def test_mirror_crawl_yields_exactly_the_expected_publications(mirror_crawl, expected) -> None:
    _, output = mirror_crawl
    frame = read_publications(output)
    expected_urls = {row["canonical_url"] for row in expected["publications"]}
    assert sorted(frame["url"]) == sorted(expected_urls)  # none missing, none extra, none twice
    assert frame["id"].is_unique


def test_every_pipelines_counts_reach_the_runs_record(mirror_crawl) -> None:
    # pipelines count in memory and add to the crawl's stats when the spider closes: the run
    # record (written at spider_closed) must hold them, one count per record and stage
    _, output = mirror_crawl
    stats = json.loads(pd.read_parquet(output / "runs").iloc[-1]["stats_json"])
    items = stats["item_scraped_count"]

    def total(prefix: str) -> int:
        return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))

    assert total("regmig/content_type/") == items  # mapped, unknown or missing: one each
    assert total("regmig/authors/split") + total("regmig/authors/empty") == items
    assert total("regmig/language/detected/") > 0
    assert total("regmig/dates/parsed/") > 0
    # (the text pipeline's removals are checked on the hostile site's run record)


FIELDS = ("title", "content_type", "content_type_label", "language", "date_precision", "summary")


@pytest.mark.parametrize("field", FIELDS)
def test_mirror_crawl_field_matches_sample(mirror_crawl, expected, field: str) -> None:
    _, output = mirror_crawl
    frame = read_publications(output).set_index("url")
    wrong = {}
    for row in expected["publications"]:
        got = frame.loc[row["canonical_url"], field]
        got = None if pd.isna(got) else got  # pandas 3 reads a null string as NaN
        if got != row[field]:
            wrong[row["canonical_url"]] = (got, row[field])
    assert not wrong


def test_mirror_crawl_dates_and_authors_match_sample(mirror_crawl, expected) -> None:
    _, output = mirror_crawl
    frame = read_publications(output).set_index("url")
    for row in expected["publications"]:
        got = frame.loc[row["canonical_url"]]
        want = dt.date.fromisoformat(row["published"]) if row["published"] else None
        published = None if pd.isna(got["published"]) else got["published"]
        assert published == want, row["canonical_url"]
        assert list(got["authors"]) == row["authors"], row["canonical_url"]


def test_mirror_crawl_links_every_translation_pair(mirror_crawl, expected) -> None:
    _, output = mirror_crawl
    frame = read_publications(output).set_index("url")
    for row in expected["publications"]:
        links = list(frame.loc[row["canonical_url"], "translation_urls"])
        assert links == ([row["translation_of"]] if row["translation_of"] else [])


def test_no_boilerplate_in_text_columns(mirror_crawl, expected) -> None:
    _, output = mirror_crawl
    frame = read_publications(output)
    for column in ("title", "summary", "content_type_label"):
        for value in frame[column].dropna():
            for text in expected["boilerplate"]:
                assert text not in value, (column, text, value)
    for authors in frame["authors"]:
        for name in authors:
            assert not any(text in name for text in expected["boilerplate"]), name


def test_non_publication_pages_yield_no_rows(mirror_crawl, expected) -> None:
    _, output = mirror_crawl
    paths = {url.split("migrationpolicy.org", 1)[1] for url in read_publications(output)["url"]}
    assert not paths & set(expected["non_publication_paths"])


def test_listing_urls_record_where_each_publication_was_seen(mirror_crawl) -> None:
    _, output = mirror_crawl
    frame = read_publications(output).set_index("url")
    seen = frame.loc[
        "https://www.migrationpolicy.org/multimedia/proteccion-menores-no-acompanados-mexico-seminario",
        "listing_urls",
    ]
    assert len(seen) == 1 and "page=0,0,0,1" in seen[0]  # only a tab's second pager page shows it


def test_replay_of_bundled_snapshot_gives_the_same_rows(mirror_crawl, tmp_path: Path) -> None:
    _, mirror_output = mirror_crawl
    result = regmig("crawl", "--replay", str(SNAPSHOT), "--output", str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    replayed = read_publications(tmp_path).set_index("id")
    served = read_publications(mirror_output).set_index("id")
    assert sorted(replayed.index) == sorted(served.index)
    for column in ("url", "title", "content_type", "language", "published", "summary"):
        assert replayed[column].sort_index().equals(served[column].sort_index()), column


def test_second_identical_run_changes_only_last_seen_at(tmp_path: Path) -> None:
    first = regmig("crawl", "--replay", str(SNAPSHOT), "--output", str(tmp_path))
    assert first.returncode == 0, first.stderr[-3000:]
    before = read_publications(tmp_path)
    second = regmig("crawl", "--replay", str(SNAPSHOT), "--output", str(tmp_path))
    assert second.returncode == 0, second.stderr[-3000:]
    after = read_publications(tmp_path)
    assert (after["last_seen_at"] > before["last_seen_at"]).all()
    unchanged = [c for c in before.columns if c != "last_seen_at"]
    pd.testing.assert_frame_equal(before[unchanged], after[unchanged])
    runs = pd.read_parquet(tmp_path / "runs")
    assert len(runs) == 2
    assert sorted(runs["publications_unchanged"]) == [0, 16]


def test_record_then_replay(mirror_url: str, tmp_path: Path) -> None:
    snapshot, first_out, second_out = tmp_path / "snap", tmp_path / "a", tmp_path / "b"
    start = mirror_url + PROGRAM_PATH
    recorded = regmig(
        "crawl", "--start-url", start, "--record", str(snapshot), "--output", str(first_out),
        "-s", "REGMIG_POLITE=false",
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr[-3000:]
    assert (snapshot / "index.jsonl").is_file()
    replayed = regmig(
        "crawl", "--start-url", start, "--replay", str(snapshot), "--output", str(second_out)
    )
    assert replayed.returncode == 0, replayed.stderr[-3000:]
    assert sorted(read_publications(first_out)["url"]) == sorted(
        read_publications(second_out)["url"]
    )


def test_scrapy_crawl_gives_the_same_result(mirror_url: str, mirror_crawl, tmp_path: Path) -> None:
    _, mirror_output = mirror_crawl
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "program",
         "-a", f"start_url={mirror_url}{PROGRAM_PATH}",
         "-s", f"REGMIG_OUTPUT={tmp_path}", "-s", "REGMIG_POLITE=false"],
        cwd=REPO, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(read_publications(tmp_path)["url"]) == sorted(
        read_publications(mirror_output)["url"]
    )


def test_nothing_fetched_exits_non_zero_with_a_reason(mirror_url: str, tmp_path: Path) -> None:
    result = regmig(
        "crawl", "--start-url", mirror_url + "/programs/no-such-program", "--output",
        str(tmp_path), "-s", "REGMIG_POLITE=false",
    )  # fmt: skip
    assert result.returncode == 1
    assert "no listing page could be fetched" in result.stderr
    assert not (tmp_path / "publications").exists() or not any(
        (tmp_path / "publications").glob("*.parquet")
    )


def test_bad_start_url_is_a_usage_error(tmp_path: Path) -> None:
    result = regmig("crawl", "--start-url", "ftp://example.org/x", "--output", str(tmp_path))
    assert result.returncode == 2
    assert "start_url must be an http(s) URL" in result.stderr


@pytest.mark.parametrize(
    ("chosen", "status", "says"),
    [
        ([], 0, "pyarrow allocates with system"),
        (["-s", "REGMIG_ARROW_MEMORY_POOL=jemalloc"], 0, "pyarrow allocates with jemalloc"),
        (
            ["-s", "REGMIG_ARROW_MEMORY_POOL=malloc"],
            2,
            "REGMIG_ARROW_MEMORY_POOL='malloc' is not a pyarrow memory pool",
        ),
    ],
    ids=["default", "jemalloc", "unknown"],
)
def test_crawl_allocates_with_the_chosen_arrow_pool(
    tmp_path: Path, chosen: list[str], status: int, says: str
) -> None:
    result = regmig(
        "crawl", "--replay", str(SNAPSHOT), "--output", str(tmp_path), "--log-level", "DEBUG",
        *chosen,
    )  # fmt: skip
    assert result.returncode == status, result.stderr[-2000:]
    assert says in result.stderr
    assert (tmp_path / "publications").exists() == (status == 0)


def test_quality_gate_fails_the_run_and_writes_nothing(tmp_path: Path) -> None:
    # One sample publication (the Canada article) shows no date anywhere: published is 15/16.
    result = regmig(
        "crawl", "--replay", str(SNAPSHOT), "--output", str(tmp_path),
        "-s", 'REGMIG_MIN_FILL_RATES={"published": 1.0}',
    )  # fmt: skip
    assert result.returncode == 1
    assert "fill rate of published below REGMIG_MIN_FILL_RATES" in result.stderr
    assert not list((tmp_path / "publications").glob("*.parquet"))


def test_readme_quick_start_run_command(tmp_path: Path) -> None:
    """The README's first quick-start command, word for word after its install step."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2  # one to install and run, one to install and test
    run = commands[0].split(" && ")[-1].split()
    assert run[0].endswith("regmig"), run
    (tmp_path / "tests" / "fixtures").mkdir(parents=True)
    (tmp_path / "tests" / "fixtures" / "snapshot").symlink_to(SNAPSHOT)
    result = subprocess.run(
        [sys.executable, "-m", "regmig_scraper.cli", *run[1:]],
        cwd=tmp_path, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(read_publications(tmp_path / "output")) == 16
    test_command = commands[1].split(" && ")[-1]
    assert test_command in (REPO / ".ci" / "run").read_text(encoding="utf-8")
