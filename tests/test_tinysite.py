"""The site seam shown end to end: a second site (tests/sites/tinysite.py, WordPress-style)
crawled offline with the MPI snapshot in one run, two start URLs, two sites."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import FIXTURES, SNAPSHOT, run_regmig

pytestmark = pytest.mark.slow

MPI_START = "https://www.migrationpolicy.org/programs/regional-migration"
TINY_START = "https://tiny.example.org/topics/migration/"
TINY = "https://tiny.example.org"
TINY_SITES = '{"tiny": "tests.sites.tinysite.TinySite"}'

# url -> (title, published, authors, content_type)
TINY_ROWS = {
    f"{TINY}/2024/03/border-data": (
        "What the New Border Data Show", dt.date(2024, 3, 12), ["Ana Ruiz"], "policy_brief"
    ),
    f"{TINY}/2024/02/remittances-explained": (
        "Remittances, Explained", dt.date(2024, 2, 5), ["Ben Osei"], "report"
    ),
    f"{TINY}/2024/01/asylum-backlogs": (
        "Asylum Backlogs Across Europe", dt.date(2024, 1, 22), ["Ana Ruiz", "Ben Osei"], "report"
    ),
    f"{TINY}/2023/11/labor-pathways": (  # on the archive's page 2 only
        "Labor Pathways for Displaced Workers", dt.date(2023, 11, 30), ["Carla Mendes"],
        "policy_brief",
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory):
    """One replayed run over both snapshots (``--replay`` reads one directory)."""
    root = tmp_path_factory.mktemp("two-sites")
    snapshot = root / "snapshot"
    shutil.copytree(SNAPSHOT, snapshot)
    shutil.copytree(FIXTURES / "tinysite" / "tiny.example.org", snapshot / "tiny.example.org")
    output = root / "output"
    result = run_regmig(
        "crawl", "--replay", str(snapshot), "--output", str(output),
        "--start-url", MPI_START, "--start-url", TINY_START,
        "-s", f"REGMIG_SITES={TINY_SITES}",
    )  # fmt: skip
    return result, output


def _publications(output: Path) -> pd.DataFrame:
    return pd.read_parquet(output / "publications")


def test_two_sites_in_one_run(two_sites, expected) -> None:
    result, output = two_sites
    assert result.returncode == 0, result.stderr[-3000:]
    urls = set(_publications(output)["url"])
    mpi = {row["canonical_url"] for row in expected["publications"]}
    assert urls == mpi | set(TINY_ROWS)  # every row of both sites, none extra


@pytest.mark.parametrize("url", sorted(TINY_ROWS))
def test_second_site_rows_are_read_by_its_module(two_sites, url: str) -> None:
    _, output = two_sites
    row = _publications(output).set_index("url").loc[url]
    title, published, authors, content_type = TINY_ROWS[url]
    assert row["title"] == title
    assert row["published"] == published
    assert list(row["authors"]) == authors
    assert row["content_type"] == content_type
    assert row["language"] == "en"
    assert row["page_fetched"]


def test_each_site_keeps_its_own_program(two_sites) -> None:
    _, output = two_sites
    frame = _publications(output)
    tiny = frame[frame["url"].str.startswith(TINY)]
    assert set(tiny["program"]) == {"Migration"}
    assert "Migration" not in set(frame.loc[~frame.index.isin(tiny.index), "program"])


def test_both_start_urls_are_in_the_runs_record(two_sites) -> None:
    _, output = two_sites
    run = pd.read_parquet(output / "runs").iloc[-1]
    assert MPI_START in run["start_url"] and TINY_START in run["start_url"]
    stats = json.loads(run["stats_json"])
    assert stats["regmig/listing/pages"] == 11 + 2  # MPI's program page and tabs, two archives
