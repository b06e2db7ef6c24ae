"""Translation linking: explicit links made mutual, unlinked pairs matched by metadata."""

from __future__ import annotations

import datetime as dt
from typing import Any

from regmig_scraper.dataset.merge import link_translations, translation_key
from tests._dataset_helpers import REPORT_EN, REPORT_ES, SITE, make_row

BRIEF_EN = f"{SITE}/research/regional-labor-mobility-brief"
BRIEF_ES = f"{SITE}/research/movilidad-laboral-regional"
OTHER_EN = f"{SITE}/research/another-brief-same-day"


def linked(rows: list[dict[str, Any]]) -> tuple[int, dict[str, tuple[str, ...]]]:
    keys = [translation_key(row) for row in rows]
    pairs = link_translations(keys)
    return pairs, {key.url: key.translation_urls for key in keys}


def test_a_one_sided_link_becomes_mutual() -> None:
    pairs, links = linked(
        [
            make_row(REPORT_EN, translation_urls=[REPORT_ES]),
            make_row(REPORT_ES, language="es", translation_urls=[]),
        ]
    )
    assert pairs == 1
    assert links == {REPORT_EN: (REPORT_ES,), REPORT_ES: (REPORT_EN,)}


def test_unlinked_publications_with_the_same_metadata_in_two_languages_are_paired() -> None:
    pairs, links = linked([make_row(BRIEF_EN), make_row(BRIEF_ES, language="es")])
    assert pairs == 1
    assert links == {BRIEF_EN: (BRIEF_ES,), BRIEF_ES: (BRIEF_EN,)}


def test_metadata_pairing_needs_exactly_one_candidate_per_language() -> None:
    # two English publications with the same date, type and authors: which one is translated?
    rows = [make_row(BRIEF_EN), make_row(OTHER_EN), make_row(BRIEF_ES, language="es")]
    assert linked(rows) == (0, {BRIEF_EN: (), OTHER_EN: (), BRIEF_ES: ()})


def test_metadata_pairing_needs_two_languages_authors_a_date_and_a_known_language() -> None:
    same_language = [make_row(BRIEF_EN), make_row(OTHER_EN)]
    no_authors = [make_row(BRIEF_EN, authors=[]), make_row(BRIEF_ES, language="es", authors=[])]
    no_date = [
        make_row(BRIEF_EN, published=None),
        make_row(BRIEF_ES, language="es", published=None),
    ]
    unknown = [make_row(BRIEF_EN, language="und"), make_row(BRIEF_ES, language="es")]
    for rows in (same_language, no_authors, no_date, unknown):
        assert linked(rows)[0] == 0


def test_metadata_must_match_on_date_precision_type_and_authors() -> None:
    base = make_row(BRIEF_EN)
    for change in (
        {"published": dt.date(2021, 5, 1)},
        {"date_precision": "day"},
        {"content_type": "commentary"},
        {"authors": ["Andrew Selee"]},
        {"authors": list(reversed(base["authors"]))},  # order is part of a byline
    ):
        assert linked([base, make_row(BRIEF_ES, language="es", **change)])[0] == 0, change


def test_a_publication_already_linked_is_not_paired_again() -> None:
    rows = [
        make_row(REPORT_EN, translation_urls=[REPORT_ES]),
        make_row(REPORT_ES, language="es", translation_urls=[REPORT_EN]),
        make_row(BRIEF_ES, language="es"),  # same metadata as REPORT_EN
    ]
    pairs, links = linked(rows)
    assert pairs == 1 and links[BRIEF_ES] == ()


def test_links_to_publications_outside_the_run_are_kept_but_not_counted() -> None:
    elsewhere = f"{SITE}/research/not-in-this-program"
    pairs, links = linked([make_row(REPORT_EN, translation_urls=[elsewhere])])
    assert pairs == 0 and links == {REPORT_EN: (elsewhere,)}


def test_type_label_does_not_depend_on_which_pager_pages_a_run_walked() -> None:
    # The example: a publication's labelled teaser is in one block, an unlabelled or
    # differently labelled one in another; new publications push it onto other pager pages,
    # which reorders the listing URLs. The label must stay where it was.
    from regmig_scraper.dataset.merge import merge_sightings

    page = {"source": "page", "url": "https://x.org/article/a", "content_type_label": "Feature"}

    def teaser(block: str, listing: str, label: str | None, position: int) -> dict:
        return {
            "source": "listing", "url": "https://x.org/article/a", "block": block,
            "listing_url": f"https://x.org/p?{listing}", "content_type_label": label,
            "position": position,
        }  # fmt: skip

    before = [
        page,
        teaser("program_articles/block_3", "qt=1", None, 1),
        teaser("recent_activity_v2/block_5", "page=0,0,0,0,1&qt=4", "Articles", 0),
        teaser("zz_other/block_9", "page=0,0,0,0,0,0,0,0,2", "Feature", 2),
    ]
    after = [
        page,
        teaser("program_articles/block_3", "qt=1", None, 2),
        teaser("recent_activity_v2/block_5", "page=0,0,0,0,2&qt=4", "Articles", 3),
        teaser("zz_other/block_9", "page=0,0,0,0,0,0,0,0,1", "Feature", 1),
    ]
    labels = [
        merge_sightings(records, is_publication=lambda r: True)["content_type_label"]
        for records in (before, after, list(reversed(after)))
    ]
    assert labels == ["Articles", "Articles", "Articles"]


def test_a_page_seen_twice_in_a_run_counts_its_last_copy() -> None:
    from regmig_scraper.dataset.merge import merge_sightings

    url = "https://x.org/research/a"
    stale = {"source": "page", "url": url, "title": "Old title"}
    fresh = {"source": "page", "url": url, "title": "New title"}
    row = merge_sightings([stale, fresh], is_publication=lambda r: True)
    assert row["title"] == "New title"
