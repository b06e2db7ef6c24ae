"""Records: the spider's plain-dict records and PublicationRecord items normalize alike."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pipelines import StageCounts, stats_counter
from regmig_scraper.items import PublicationRecord, new_record
from regmig_scraper.sites.mpi import MpiDrupalSite
from tests.helpers import get_crawler, normalization_pipelines, saved_response

RAW = {
    "source": "listing",
    "url": "https://www.migrationpolicy.org/research/regional-migration-report",
    "title": "  Laying the Foundation for Regional Cooperation&nbsp;",
    "content_type_label": "Policy Briefs",
    "date_raw": "E.g., 12/08/2021\nApril 2021",
    "authors_raw": "By Andrew Selee, Ariel G. Ruiz Soto, Andrea Tanco and Luis Argueta",
    "summary": "Los países de la región enfrentan una oportunidad para cooperar.",
}


def test_new_record_refuses_a_field_publication_record_does_not_declare() -> None:
    assert new_record(**RAW) == RAW
    with pytest.raises(KeyError, match="autors_raw"):
        new_record(url="https://x.org/a", autors_raw="By A")


def test_dict_records_and_items_normalize_alike() -> None:
    stages = normalization_pipelines(REGMIG_DATES_TODAY="2024-01-01")
    as_dict: Any = new_record(**copy.deepcopy(RAW))
    as_item: Any = PublicationRecord(**copy.deepcopy(RAW))
    for stage in stages:
        as_dict = stage.process_item(as_dict)
        as_item = stage.process_item(as_item)
    assert type(as_dict) is dict and isinstance(as_item, PublicationRecord)
    assert as_dict == dict(as_item)
    assert as_dict["content_type"] == "policy_brief"
    assert as_dict["authors"] == [
        "Andrew Selee",
        "Ariel G. Ruiz Soto",
        "Andrea Tanco",
        "Luis Argueta",
    ]


def test_the_site_extractor_yields_plain_dict_records() -> None:
    page = MpiDrupalSite().extract_listing(
        saved_response("https://www.migrationpolicy.org/programs/regional-migration")
    )
    assert page.teasers and all(type(teaser) is dict for teaser in page.teasers)


def test_stats_counter_counts_into_the_crawlers_stats() -> None:
    crawler = get_crawler()
    count = stats_counter(crawler.stats)
    assert count is not None
    count("regmig/x")
    count("regmig/x", 2)
    assert crawler.stats.get_value("regmig/x") == 3
    assert stats_counter(None) is None


def test_stats_counter_takes_any_stats_collector() -> None:
    class PlainStats:  # no Scrapy wrapper around inc_value
        def __init__(self) -> None:
            self.values: dict[str, int] = {}

        def inc_value(self, key: str, count: int = 1) -> None:
            self.values[key] = self.values.get(key, 0) + count

    stats = PlainStats()
    count = stats_counter(stats)
    assert count is not None
    count("k")
    assert stats.values == {"k": 1}


def test_stage_counts_reach_the_stats_when_flushed_and_only_once() -> None:
    crawler = get_crawler()
    counts = StageCounts(crawler.stats)
    counts.inc("regmig/y")
    counts.inc("regmig/y")
    assert crawler.stats.get_value("regmig/y") is None  # kept until the spider closes
    counts.flush()
    counts.flush()
    assert crawler.stats.get_value("regmig/y") == 2
    StageCounts(None).flush()  # no stats: nothing to add to, nothing raised
