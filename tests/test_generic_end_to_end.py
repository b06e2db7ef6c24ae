"""The generic site module over real HTTP: the WordPress sample served on 127.0.0.1, crawled
with no flag and no profile, compared with its ``expected.json``; and both samples in one run.

``tests/fixtures/wordpress/`` is a copy of ``site-sample-wordpress`` (its README describes it).
Its canonical URLs end in a slash; the dataset names each publication by its normalized
canonical URL (``normalize_url``: no trailing slash), so URLs are compared normalized.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from regmig_scraper.mirror import serving
from regmig_scraper.normalize.urls import normalize_url
from tests.helpers import FIXTURES, run_regmig

pytestmark = pytest.mark.slow
WORDPRESS = FIXTURES / "wordpress"
START_PATH = "/topics/migration-governance/"
MPI_PROGRAM_PATH = "/programs/regional-migration"
# The bars: share of the expected publications whose field matches.
MIN_SHARE = {"title": 0.98, "language": 0.98, "content_type": 0.98, "date": 0.96}
MIN_SHARE |= {"authors": 0.96, "translations": 0.80}


@pytest.fixture(scope="module")
def wordpress_expected() -> dict:
    return json.loads((WORDPRESS / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wordpress_url() -> Iterator[str]:
    with serving(WORDPRESS / "site") as base_url:
        yield base_url


@pytest.fixture(scope="module")
def wordpress_crawl(wordpress_url: str, tmp_path_factory: pytest.TempPathFactory):
    output = tmp_path_factory.mktemp("wordpress-crawl")
    result = run_regmig(
        "crawl", "--start-url", wordpress_url + START_PATH, "--output", str(output),
        "-s", "REGMIG_POLITE=false",
    )  # fmt: skip
    return result, output


def _frame(output: Path) -> pd.DataFrame:
    return pd.read_parquet(output / "publications")


def _value(value):
    return None if not isinstance(value, list | tuple) and pd.isna(value) else value


def field_scores(frame: pd.DataFrame, expected: dict) -> dict[str, float]:
    """Share of the expected publications each field gets right (date: value and precision;
    authors: the exact list; translations: exactly the expected pair)."""
    rows = frame.set_index("url")
    right = dict.fromkeys(MIN_SHARE, 0)
    for want in expected["publications"]:
        got = rows.loc[normalize_url(want["canonical_url"])]
        for field in ("title", "language", "content_type"):
            right[field] += _value(got[field]) == want[field]
        published = dt.date.fromisoformat(want["published"]) if want["published"] else None
        right["date"] += (_value(got["published"]), _value(got["date_precision"])) == (
            published,
            want["date_precision"],
        )
        right["authors"] += list(got["authors"]) == want["authors"]
        pair = [normalize_url(want["translation_of"])] if want["translation_of"] else []
        right["translations"] += list(got["translation_urls"]) == pair
    return {field: count / len(expected["publications"]) for field, count in right.items()}


def test_wordpress_crawl_succeeds_with_the_generic_site(wordpress_crawl) -> None:
    result, _ = wordpress_crawl
    assert result.returncode == 0, result.stderr[-3000:]
    assert "no site module for host 127.0.0.1: using generic" in result.stderr
    assert "read by site" not in result.stderr  # its canonical host is claimed by no site


def test_wordpress_crawl_yields_exactly_the_expected_publications(
    wordpress_crawl, wordpress_expected
) -> None:
    _, output = wordpress_crawl
    frame = _frame(output)
    want = sorted(normalize_url(row["canonical_url"]) for row in wordpress_expected["publications"])
    assert sorted(frame["url"]) == want  # none missing, none extra, none twice
    assert frame["id"].is_unique


def test_wordpress_crawl_yields_no_non_publication_page(wordpress_crawl, wordpress_expected):
    _, output = wordpress_crawl
    paths = {url.split("hemisphericmobility.org", 1)[1] for url in _frame(output)["url"]}
    not_publications = {p.rstrip("/") for p in wordpress_expected["non_publication_paths"]}
    assert not {p.rstrip("/") for p in paths} & not_publications


@pytest.mark.parametrize("field", sorted(MIN_SHARE))
def test_wordpress_crawl_fields_match_the_sample(wordpress_crawl, wordpress_expected, field):
    _, output = wordpress_crawl
    score = field_scores(_frame(output), wordpress_expected)[field]
    assert score >= MIN_SHARE[field], (field, score)


def test_wordpress_crawl_has_no_boilerplate(wordpress_crawl, wordpress_expected) -> None:
    _, output = wordpress_crawl
    frame = _frame(output)
    boilerplate = wordpress_expected["boilerplate"]
    for column in ("title", "summary", "content_type_label"):
        for value in frame[column].dropna():
            assert not [text for text in boilerplate if text in value], (column, value)
    for authors in frame["authors"]:
        for name in authors:
            assert not [text for text in boilerplate if text in name], name


def test_wordpress_crawl_reads_the_spanish_topic_page_and_every_pager_page(
    wordpress_crawl,
) -> None:
    _, output = wordpress_crawl
    listings = {url for urls in _frame(output)["listing_urls"] for url in urls}
    paths = {url.split("/", 3)[3].rstrip("/") for url in listings}
    assert "es/topics/gobernanza-migratoria" in paths
    assert {f"topics/migration-governance/page/{n}" for n in range(2, 7)} <= paths


def test_both_samples_in_one_run(
    wordpress_url: str, mirror_url: str, wordpress_expected, expected, tmp_path: Path
) -> None:
    result = run_regmig(
        "crawl", "--start-url", wordpress_url + START_PATH,
        "--start-url", mirror_url + MPI_PROGRAM_PATH,
        "--output", str(tmp_path), "-s", "REGMIG_POLITE=false",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "read by site mpi" in result.stderr  # the MPI copy names its real host
    frame = _frame(tmp_path)
    want = [normalize_url(row["canonical_url"]) for row in wordpress_expected["publications"]]
    want += [row["canonical_url"] for row in expected["publications"]]
    assert sorted(frame["url"]) == sorted(want)
    programs = frame.set_index("url")["program"]
    assert programs[expected["publications"][0]["canonical_url"]] != programs[want[0]]


def test_an_unreadable_profile_is_a_usage_error(tmp_path: Path) -> None:
    profile = tmp_path / "site.toml"
    profile.write_text('date_order = "XYZ"\n', encoding="utf-8")
    result = run_regmig(
        "crawl", "--start-url", "http://127.0.0.1:9/topics/a/", "--profile", str(profile),
        "--output", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.returncode == 2
    assert "date_order must be one of MDY, DMY, YMD" in result.stderr
