"""The generic cascade under a site module: what MPI's selectors miss, the cascade fills (and
says so in ``provenance``), what they find stays theirs; and the public ``extract`` call."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from scrapy.http import HtmlResponse

from pipelines.provenance import ProvenancePipeline
from regmig_scraper import extract
from regmig_scraper.dataset.merge import merge_sightings
from regmig_scraper.metadata import extract_metadata
from regmig_scraper.metadata.record import metadata_fields, metadata_record
from regmig_scraper.sites.mpi import MpiDrupalSite
from tests.helpers import BASE, SNAPSHOT, snapshot_relpath

SITE = MpiDrupalSite()
REPORT = (
    f"{BASE}/research/laying-foundation-regional-cooperation-migration-policy-"
    "institutional-capacity"
)
SETTINGS = {"REGMIG_DATES_TODAY": "2025-06-01"}
# Every class and id attribute: what a redesign of the site's theme would change.
CLASS_OR_ID = re.compile(r'\s(?:class|id)="[^"]*"')


def saved(url: str) -> str:
    return (SNAPSHOT / snapshot_relpath(url)).read_text(encoding="utf-8")


def stripped(url: str) -> str:
    return CLASS_OR_ID.sub("", saved(url))


def test_mpi_page_without_its_classes_still_yields_title_date_and_authors() -> None:
    row = extract(stripped(REPORT), REPORT, site="mpi", settings=SETTINGS)
    assert row is not None
    assert row["title"].startswith("Laying the Foundation for Regional Cooperation")
    assert (row["published"], row["date_precision"]) == (dt.date(2021, 4, 1), "month")
    assert row["authors"] == [
        "Andrew Selee",
        "Ariel G. Ruiz Soto",
        "Andrea Tanco",
        "Luis Argueta",
        "Jessica Bolter",
    ]
    assert row["provenance"]["published"] == "generic:rdfa_date"
    assert row["provenance"]["authors"].startswith("generic:")


def test_mpi_page_read_by_its_selectors_has_no_generic_field() -> None:
    response = HtmlResponse(url=REPORT, body=saved(REPORT).encode(), encoding="utf-8")
    record = SITE.extract_publication(response)
    assert record["date_raw"] == "April 2021"
    assert set(record["provenance"].values()) == {"mpi"}
    assert record.get("modified_raw") is None  # the page shows none


def test_the_same_page_reads_the_same_through_the_site_and_the_cascade() -> None:
    by_site = extract(saved(REPORT), REPORT, settings=SETTINGS)
    by_cascade = extract(saved(REPORT), REPORT, site="generic", settings=SETTINGS)
    assert by_site is not None and by_cascade is not None
    for column in ("id", "url", "title", "published", "date_precision", "authors", "language"):
        assert by_cascade[column] == by_site[column], column
    assert by_site["site"] == by_cascade["site"] == "www.migrationpolicy.org"


def test_unknown_site_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown site 'nope'"):
        extract("<html></html>", REPORT, site="nope")


# A think tank's WordPress page in German with no site module: the cascade alone.
GERMAN_PAGE = """<!DOCTYPE html><html lang="de-DE"><head>
<title>Migration und Arbeitsmarkt | Beispiel-Institut</title>
<meta property="og:site_name" content="Beispiel-Institut">
<meta property="article:modified_time" content="2023-06-01T08:00:00+00:00">
</head><body><article>
<h1 class="entry-title">Migration und Arbeitsmarkt</h1>
<p class="byline">Von Anna Müller und Bernd Schmidt</p>
<p class="date">4. Mai 2023</p>
<p>Die Studie untersucht, wie sich die Zuwanderung auf den Arbeitsmarkt auswirkt, und sie
zeigt, welche Rolle die Sprache, die Anerkennung von Abschlüssen und die Netzwerke spielen.</p>
</article></body></html>"""


def test_a_page_of_a_site_without_module_is_read_by_the_cascade() -> None:
    url = "https://www.beispiel-institut.de/publikationen/migration-und-arbeitsmarkt/"
    row = extract(GERMAN_PAGE, url, settings=SETTINGS)
    assert row is not None
    assert row["title"] == "Migration und Arbeitsmarkt"
    assert row["published"] == dt.date(2023, 5, 4)
    assert row["modified"] == dt.date(2023, 6, 1)
    assert row["language"] == "de"
    assert row["authors"] == ["Anna Müller", "Bernd Schmidt"]
    assert row["site"] == "www.beispiel-institut.de"
    assert row["provenance"]["authors"].startswith("generic:")


def test_metadata_record_names_every_rule_it_used() -> None:
    url = "https://www.beispiel-institut.de/publikationen/migration-und-arbeitsmarkt/"
    meta = extract_metadata(GERMAN_PAGE, url)
    fields = metadata_fields(meta)
    assert fields["date_raw"] == "2023-05-04" and fields["modified_raw"] == "2023-06-01"
    assert {"title", "published", "modified", "authors"} <= set(fields["provenance"])
    assert all(rule.startswith("generic:") for rule in fields["provenance"].values())
    assert metadata_record(meta)["page_kind"] == "publication"


class MemoryStats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def test_provenance_pipeline_counts_rules_and_fallbacks() -> None:
    stats = MemoryStats()
    pipeline = ProvenancePipeline(stats)
    pipeline.process_item(
        {"site": "mpi", "provenance": {"title": "mpi", "published": "generic:rdfa_date"}}
    )
    pipeline.process_item({"site": None, "provenance": {"title": "generic:h1"}})
    pipeline.close_spider()
    assert stats.values == {
        "regmig/extract/rule/title/mpi": 1,
        "regmig/extract/rule/published/generic:rdfa_date": 1,
        "regmig/extract/fallback/published": 1,  # MPI's page, the cascade's date
        "regmig/extract/rule/title/generic:h1": 1,  # no site module: not a fallback
    }


def test_merge_keeps_the_pages_provenance_modified_and_an_events_future_date() -> None:
    page = {
        "source": "page",
        "url": f"{BASE}/events/upcoming-webinar",
        "page_kind": "event",
        "title": "Upcoming webinar",
        "published": dt.date(2026, 9, 9),
        "date_precision": "day",
        "date_raw": "September 9, 2026",
        "date_flag": "future",
        "modified": dt.date(2025, 5, 4),
        "authors": ["Jane Doe"],
        "authors_raw": "By Jane Doe",
        "provenance": {"title": "mpi", "published": "mpi"},
    }
    teaser = {"source": "listing", "url": page["url"], "title": "Upcoming", "listing_url": BASE}
    row = merge_sightings([page, teaser], is_publication=lambda r: True)
    assert row is not None
    assert (row["published"], row["date_flag"]) == (dt.date(2026, 9, 9), "future")
    assert row["modified"] == dt.date(2025, 5, 4)
    assert row["authors_raw"] == "By Jane Doe"
    assert row["provenance"] == {"title": "mpi", "published": "mpi"}
    assert row["site"] == "www.migrationpolicy.org"
