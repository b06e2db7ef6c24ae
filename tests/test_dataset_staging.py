"""RunStaging: sightings on disk, grouped by publication through the page aliases."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regmig_scraper.dataset.staging import RunStaging
from regmig_scraper.normalize.urls import url_key
from tests._dataset_helpers import PROGRAM, REPORT_EN, REPORT_ES, SITE

TAB0 = f"{PROGRAM}?qt-regional_study_group_tabs=0"
TAB4 = f"{PROGRAM}?qt-regional_study_group_tabs=4&page=0,0,0,0,1"
COMMENTARY = f"{SITE}/news/regional-cooperation-commentary"


def page(url: str, **fields: Any) -> dict[str, Any]:
    return {"source": "page", "url": url, "request_url": url, "title": "T", **fields}


def listing(url: str, listing_url: str, block: str, position: int, **fields: Any) -> dict:
    return {
        "source": "listing",
        "url": url,
        "request_url": url,
        "listing_url": listing_url,
        "block": block,
        "position": position,
        **fields,
    }


# One publication seen in three listing blocks (one link with utm_ parameters, one with a
# trailing slash and no www) and on its own page, reached through a redirect from /node/123.
REPORT_SIGHTINGS = [
    listing(REPORT_EN, PROGRAM, "views-recent-activity", 0),
    listing(REPORT_EN + "?utm_source=newsletter&utm_medium=email", TAB0, "quicktabs-0", 3),
    listing(REPORT_EN.replace("www.", "") + "/", TAB4, "quicktabs-4", 1),
    page(REPORT_EN, request_url=f"{SITE}/node/123", alternate_urls=[REPORT_EN + "/"]),
]


def staged(tmp_path: Path, records: list[dict], name: str = "s.sqlite") -> RunStaging:
    staging = RunStaging(tmp_path / name, key_func=url_key)
    for record in records:
        staging.add(record)
    return staging


def test_one_publication_from_three_blocks_a_utm_link_and_its_page(tmp_path: Path) -> None:
    with staged(tmp_path, REPORT_SIGHTINGS) as staging:
        groups = list(staging.groups())
    assert len(groups) == 1
    key, records = groups[0]
    assert key == "migrationpolicy.org" + REPORT_EN.removeprefix("https://www.migrationpolicy.org")
    assert [r["source"] for r in records] == ["page", "listing", "listing", "listing"]
    assert [r.get("listing_url") for r in records[1:]] == [PROGRAM, TAB0, TAB4]


@pytest.mark.parametrize("seed", range(5))
def test_grouping_does_not_depend_on_arrival_order(tmp_path: Path, seed: int) -> None:
    records = [
        *REPORT_SIGHTINGS,
        page(REPORT_ES, alternate_urls=[f"{SITE}/node/124"]),
        listing(f"{SITE}/node/124", TAB0, "quicktabs-0", 0),  # linked by node URL only
        listing(COMMENTARY, PROGRAM, "views-recent-activity", 1),  # never fetched
        listing(COMMENTARY + "/", TAB0, "quicktabs-0", 7),
    ]
    shuffled = records[:]
    random.Random(seed).shuffle(shuffled)
    with staged(tmp_path, records, "a.sqlite") as a, staged(tmp_path, shuffled, "b.sqlite") as b:
        in_order, reshuffled = list(a.groups()), list(b.groups())
    assert in_order == reshuffled
    sizes = {key.rsplit("/", 1)[-1]: len(group) for key, group in in_order}
    assert sizes == {
        "laying-foundation-regional-cooperation-migration-policy-institutional-capacity": 4,
        "sentando-bases-cooperacion-regional-politica-migratoria-capacidad-institucional": 2,
        "regional-cooperation-commentary": 2,
    }


def test_groups_are_sorted_by_key(tmp_path: Path) -> None:
    urls = [f"{SITE}/research/{slug}" for slug in ("zeta", "alpha", "mid", "beta")]
    with staged(tmp_path, [page(u) for u in urls]) as staging:
        keys = [key for key, _ in staging.groups()]
    assert keys == sorted(keys) and len(keys) == 4


def test_groups_follow_the_order_given_then_their_key(tmp_path: Path) -> None:
    records = [
        *REPORT_SIGHTINGS,
        page(REPORT_ES),
        listing(COMMENTARY, PROGRAM, "views-recent-activity", 1),
        *(page(f"{SITE}/research/{slug}") for slug in ("zeta", "alpha")),
    ]
    with staged(tmp_path, records) as staging:
        by_key = dict(staging.groups())
        keys = {key.rsplit("/", 1)[-1][:8]: key for key in by_key}
        staging.set_group_order(
            [(keys["laying-f"], "2"), (keys["sentando"], "1"), (keys["regional"], "3")]
        )
        ordered = list(staging.groups(ordered=True))
    names = [key.rsplit("/", 1)[-1][:8] for key, _ in ordered]
    assert names == ["alpha", "zeta", "sentando", "laying-f", "regional"]  # unordered first
    assert dict(ordered) == by_key  # the same groups, each in the same inner order


def test_listings_inside_a_group_order_by_listing_block_position_then_arrival(
    tmp_path: Path,
) -> None:
    records = [
        listing(REPORT_EN, TAB0, "b", 2, tag=1),
        listing(REPORT_EN, TAB0, "b", 1, tag=2),
        listing(REPORT_EN, TAB0, "a", 9, tag=3),
        listing(REPORT_EN, PROGRAM, "z", 5, tag=4),
        listing(REPORT_EN, TAB0, "b", 1, tag=5),  # same place as tag 2: arrival order
        page(REPORT_EN, tag=6),
    ]
    with staged(tmp_path, records) as staging:
        [(_, group)] = list(staging.groups())
    assert [r["tag"] for r in group] == [6, 4, 3, 2, 5, 1]


def test_a_listing_no_page_claims_stays_its_own_publication(tmp_path: Path) -> None:
    records = [listing(COMMENTARY, PROGRAM, "recent", 0), page(REPORT_EN)]
    with staged(tmp_path, records) as staging:
        groups = dict(staging.groups())
    assert url_key(COMMENTARY) in groups and len(groups) == 2


def test_a_page_keeps_its_own_url_even_if_another_page_lists_it_as_alias(tmp_path: Path) -> None:
    records = [
        page(REPORT_EN, alternate_urls=[REPORT_ES]),  # e.g. a wrong redirect
        page(REPORT_ES),
        listing(REPORT_ES, PROGRAM, "recent", 0),
    ]
    with staged(tmp_path, records) as staging:
        groups = dict(staging.groups())
        assert staging.resolve(REPORT_ES) == REPORT_ES
    assert len(groups[url_key(REPORT_ES)]) == 2 and len(groups[url_key(REPORT_EN)]) == 1


def test_an_alias_claimed_by_two_pages_goes_to_the_smaller_key(tmp_path: Path) -> None:
    shared = f"{SITE}/node/999"
    records = [
        page(REPORT_ES, request_url=shared),
        page(REPORT_EN, request_url=shared),
        listing(shared, PROGRAM, "recent", 0),
    ]
    with staged(tmp_path, records) as staging:
        groups = dict(staging.groups())
        resolved = staging.resolve(shared)
    winner = min(url_key(REPORT_EN), url_key(REPORT_ES))
    assert len(groups[winner]) == 2
    assert resolved in (REPORT_EN, REPORT_ES) and url_key(resolved) == winner


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (REPORT_EN, REPORT_EN),
        (REPORT_EN + "/", REPORT_EN),
        (REPORT_EN + "?utm_campaign=x#top", REPORT_EN),
        (REPORT_EN.replace("https://www.", "http://"), REPORT_EN),
        (f"{SITE}/node/123", REPORT_EN),  # the request URL that redirected
        (f"{SITE}/research/never-fetched", None),
        ("", None),
    ],
)
def test_resolve_gives_the_canonical_url_of_a_fetched_page(
    tmp_path: Path, url: str, expected: str | None
) -> None:
    with staged(tmp_path, REPORT_SIGHTINGS) as staging:
        assert staging.resolve(url) == expected


def test_records_come_back_losslessly(tmp_path: Path) -> None:
    record = page(
        REPORT_EN,
        title="Sentando las bases — cooperación",
        position=3,
        language_confidence=0.8571428571428571,
        page_fetched=True,
        date_flag=None,
        published=dt.date(2021, 4, 1),
        authors=["Andrew Selee", "Ariel G. Ruiz Soto"],
        translation_langs={REPORT_ES: "es"},
        pdf_urls=[],
    )
    with staged(tmp_path, [record]) as staging:
        [(_, [back])] = list(staging.groups())
    assert back == record
    assert type(back["published"]) is dt.date and type(back["position"]) is int


def test_staged_records_are_snapshots(tmp_path: Path) -> None:
    record = page(REPORT_EN, authors=["A"])
    with staged(tmp_path, [record]) as staging:
        record["authors"].append("B")
        [(_, [back])] = list(staging.groups())
    assert back["authors"] == ["A"]


def test_count_and_file_lifecycle(tmp_path: Path) -> None:
    path = tmp_path / ".staging-c1.sqlite"
    path.write_bytes(b"leftover of a killed run")
    staging = RunStaging(path, key_func=url_key)
    for record in REPORT_SIGHTINGS:
        staging.add(record)
    assert staging.count() == 4 and path.exists()
    staging.close()
    staging.close()  # idempotent
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(RuntimeError, match="closed"):
        list(staging.groups())


@pytest.mark.parametrize(
    "record",
    [
        {"source": "page"},
        {"source": "page", "url": ""},
        {"source": "teaser", "url": REPORT_EN},
        {"url": REPORT_EN},
    ],
)
def test_add_refuses_records_without_url_or_source(tmp_path: Path, record: dict) -> None:
    with staged(tmp_path, []) as staging, pytest.raises(ValueError, match=r"url|source"):
        staging.add(record)


def test_default_key_function_is_the_projects_url_key(tmp_path: Path) -> None:
    with RunStaging(tmp_path / "s.sqlite") as staging:
        for record in REPORT_SIGHTINGS:
            staging.add(record)
        assert len(list(staging.groups())) == 1


def test_groups_stream_one_group_at_a_time(tmp_path: Path) -> None:
    with staged(tmp_path, [page(f"{SITE}/research/p-{i}") for i in range(5_000)]) as staging:
        groups = staging.groups()
        first = next(groups)
        assert first[0] == min(url_key(f"{SITE}/research/p-{i}") for i in range(5_000))
        assert sum(1 for _ in groups) == 4_999


def test_100k_records_stage_and_group(tmp_path: Path) -> None:
    records = []
    for i in range(20_000):  # 20,000 publications, each a page and four teasers
        url = f"{SITE}/research/publication-{i}"
        records.append(page(url, summary="A summary of the publication. " * 5))
        for j, listing_url in enumerate((PROGRAM, TAB0, TAB4, f"{PROGRAM}?page={i % 40}")):
            records.append(listing(url + "?utm_source=x" * (j % 2), listing_url, "b", i % 10))
    with staged(tmp_path, records) as staging:
        assert staging.count() == 100_000
        assert sum(1 for _ in staging.groups()) == 20_000


URL_TEXT = st.one_of(
    st.text(max_size=40),
    st.builds(lambda path: f"{SITE}/{path}", st.text(max_size=30)),
    st.sampled_from(["http://[::1", "http://a:99999999/x", "", " ", "mailto:x", "//"]),
)


@settings(max_examples=60, deadline=None)
@given(
    pages=st.lists(st.tuples(URL_TEXT, st.lists(URL_TEXT, max_size=3)), max_size=4),
    listings=st.lists(URL_TEXT, max_size=6),
)
def test_arbitrary_urls_never_raise_and_no_record_is_lost(
    tmp_path_factory: pytest.TempPathFactory, pages: list, listings: list
) -> None:
    records = [page(url, alternate_urls=alternates) for url, alternates in pages if url] + [
        listing(url, PROGRAM, "b", i) for i, url in enumerate(listings) if url
    ]
    with staged(tmp_path_factory.mktemp("s"), records) as staging:
        grouped = list(staging.groups())
        for url, _ in pages:
            if url:
                assert staging.resolve(url) is not None
    assert sum(len(group) for _, group in grouped) == len(records)
    assert [key for key, _ in grouped] == sorted({key for key, _ in grouped})
