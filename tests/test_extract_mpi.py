"""Extraction on saved MPI pages, one test per template, without the Scrapy engine."""

from __future__ import annotations

import pytest

from regmig_scraper.items import SOURCE_LISTING, SOURCE_PAGE
from regmig_scraper.sites.mpi import MpiDrupalSite
from tests.helpers import BASE, saved_response

SITE = MpiDrupalSite()
PROGRAM = f"{BASE}/programs/regional-migration"


def listing(url: str = PROGRAM):
    return SITE.extract_listing(saved_response(url))


def test_program_page_reads_every_block() -> None:
    page = listing()
    assert page.program == "Building a Regional Migration System"
    blocks = {t["block"] for t in page.teasers}
    assert blocks == {
        "featured_content/block_1",
        "program_research/block_2",
        "program_articles/block_3",
        "program_multimedia/block_4",
        "rmsg_publications/block_6",
        "recent_activity_v2/block_5",
    }
    assert all(t["source"] == SOURCE_LISTING for t in page.teasers)
    assert all(t["listing_url"] == PROGRAM for t in page.teasers)


def test_teaser_fields_come_from_views_fields() -> None:
    teaser = next(
        t
        for t in listing().teasers
        if t["block"] == "featured_content/block_1" and "laying-foundation" in t["url"]
    )
    assert teaser["title"].startswith("Laying the Foundation for Regional Cooperation")
    assert teaser["content_type_label"] == "Reports"
    assert teaser["date_raw"] == "April 2021"
    assert teaser["authors_raw"].endswith("Luis Argueta and Jessica Bolter")
    assert "By" not in teaser["authors_raw"]  # the views label is not part of the names


def test_teaser_without_title_never_takes_the_image_alt() -> None:
    for teaser in listing().teasers:
        assert teaser.get("title") != "coverthumb_biden starting gate"
        if "biden-administration" in teaser["url"]:
            assert teaser.get("title") is None


def test_teaser_link_drops_tracking_parameters() -> None:
    urls = {t["url"] for t in listing().teasers}
    assert f"{BASE}/research/biden-administration-immigration-plans-starting-gate" in urls
    assert not any("utm_" in url for url in urls)
    raw = {t["request_url"] for t in listing().teasers}
    assert any("utm_source" in url for url in raw)  # the link as found is kept as an alias


def test_teaser_whose_only_link_is_the_type_label() -> None:
    recent = [t for t in listing().teasers if t["block"] == "recent_activity_v2/block_5"]
    assert [t["content_type_label"] for t in recent][:2] == [
        "Commentaries",
        "Video, Audio, Webinars",
    ]
    assert recent[0]["url"] == f"{BASE}/news/rethink-links-between-development-aid-migration"


def test_author_links_are_not_teaser_links() -> None:
    assert not any("/about/people/" in t["url"] for t in listing().teasers)


def test_pager_and_tab_links_are_normalized() -> None:
    urls = listing().listing_urls
    assert f"{PROGRAM}?page=1" in urls
    assert f"{PROGRAM}?page=0,0,0,0,2&qt-regional_study_group_tabs=4" in urls
    assert f"{PROGRAM}?qt-regional_study_group_tabs=3" in urls
    assert all("#" not in url and "%2C" not in url for url in urls)
    # Links to other sections (menus, body text, footer) are not listing pages.
    assert not any("/topics/" in url or "mission" in url for url in urls)


def test_listing_links_say_what_they_are() -> None:
    links = {link.url: link for link in listing().links}
    assert (links[f"{PROGRAM}?page=1"].kind, links[f"{PROGRAM}?page=1"].depth) == ("pager", 1)
    tab = links[f"{PROGRAM}?qt-regional_study_group_tabs=3"]
    assert (tab.kind, tab.depth) == ("tab", 0)
    deep = links[f"{PROGRAM}?page=0,0,0,0,2&qt-regional_study_group_tabs=4"]
    assert (deep.kind, deep.depth) == ("pager", 2)


@pytest.mark.parametrize(
    ("url", "continuation"),
    [
        (PROGRAM, False),
        (f"{PROGRAM}?qt-regional_study_group_tabs=3", False),
        (f"{PROGRAM}?page=1", True),
        (f"{PROGRAM}?page=0,0,0,1&qt-regional_study_group_tabs=2", True),
    ],
)
def test_pages_past_the_first_of_a_pager_are_continuations(url: str, continuation: bool) -> None:
    assert listing(url).is_continuation is continuation


def test_pager_page_links_back_without_loop() -> None:
    page = listing(f"{PROGRAM}?page=1")
    assert PROGRAM in page.listing_urls  # "« first" goes back to the normalized first page
    assert len(page.listing_urls) == len(set(page.listing_urls))


def test_later_pager_page_holds_publications_the_first_does_not() -> None:
    first = {t["url"] for t in listing().teasers}
    later = {
        t["url"] for t in listing(f"{PROGRAM}?page=0,0,0,1&qt-regional_study_group_tabs=2").teasers
    }
    assert f"{BASE}/multimedia/proteccion-menores-no-acompanados-mexico-seminario" in later - first


@pytest.mark.parametrize(
    ("path", "kind", "label", "date_raw"),
    [
        ("/research/laying-foundation-regional-cooperation-migration-policy-institutional-capacity",
         "publication", "Reports", "April 2021"),
        ("/research/nuevo-sistema-migratorio-regional-estados-unidos-mexico-centroamerica",
         "publication", "Reports", "December 10, 2020"),
        ("/article/mexico-search-disappeared-migrants", "article", "Feature", "2021"),
        ("/article/asylum-seekers-canada-safe-third-country-agreement", "article", "Feature", None),
        ("/news/rethink-links-between-development-aid-migration", "commentary", "Commentaries",
         "June 2021"),
        ("/multimedia/proteccion-menores-no-acompanados-mexico-seminario", "multimedia", "Audio",
         "August 31, 2017"),
        ("/events/migration-management-mexico-central-america-regional-cooperation", "event",
         "Webinar", "Thursday, April 15, 2021"),
    ],
)  # fmt: skip
def test_publication_templates(path: str, kind: str, label: str, date_raw: str | None) -> None:
    record = SITE.extract_publication(saved_response(BASE + path))
    assert record["source"] == SOURCE_PAGE
    assert record["url"] == BASE + path
    assert record["page_kind"] == kind
    assert SITE.is_publication_kind(record["page_kind"])
    assert record["content_type_label"] == label
    assert record.get("date_raw") == date_raw


def test_publication_page_fields_match_the_sample(expected: dict) -> None:
    for row in expected["publications"]:
        record = SITE.extract_publication(saved_response(row["canonical_url"]))
        assert record["url"] == row["canonical_url"]
        assert record["title"] == row["title"]
        assert " ".join(record["summary"].split()) == row["summary"]
        if row["translation_of"]:
            assert row["translation_of"] in record["translation_urls"]


def test_event_speakers_are_not_authors() -> None:
    url = f"{BASE}/events/migration-management-mexico-central-america-regional-cooperation"
    record = SITE.extract_publication(saved_response(url))
    assert record.get("authors_raw") is None  # the page lists speakers and a moderator only


def test_byline_with_linked_and_unlinked_names() -> None:
    record = SITE.extract_publication(
        saved_response(f"{BASE}/article/mexico-search-disappeared-migrants")
    )
    assert record["authors_raw"] == "By María Jesús Mora and Karina Fonseca Romero"


def test_authors_field_label_is_left_out() -> None:
    record = SITE.extract_publication(
        saved_response(f"{BASE}/news/rethink-links-between-development-aid-migration")
    )
    assert record["authors_raw"] == "Camille Le Coz & Ariel G. Ruiz Soto"


def test_alias_request_url_and_shortlink_become_alternates() -> None:
    url = f"{BASE}/research/nuevo-sistema-migratorio-regional-estados-unidos-mexico-centroamerica"
    record = SITE.extract_publication(saved_response(url, request_url=url + "/"))
    assert record["url"] == url
    assert record["request_url"] == url + "/"
    assert any("/node/" in alias for alias in record["alternate_urls"])
    assert url not in record["alternate_urls"]


def test_pdf_links_and_language_signals() -> None:
    url = f"{BASE}/research/sentando-bases-cooperacion-regional-politica-migratoria-"
    url += "capacidad-institucional"
    record = SITE.extract_publication(saved_response(url))
    assert record["pdf_urls"] == [
        f"{BASE}/sites/default/files/publications/MPI-Cooperacion-Regional-2021_ESP_FINAL.pdf"
    ]
    assert record["content_lang"] == "es"
    assert record["html_lang"] == "en"  # the chrome stays English on Spanish pages


@pytest.mark.parametrize(
    "path",
    ["/about/people/andrew-selee", "/topics/migration-development",
     "/programs/regional-migration-study-group/mission"],
)  # fmt: skip
def test_pages_that_are_not_publications(path: str) -> None:
    record = SITE.extract_publication(saved_response(BASE + path))
    assert not SITE.is_publication_kind(record["page_kind"])


def test_mirror_links_are_rebased_onto_the_crawl_host() -> None:
    body = saved_response(PROGRAM).body.replace(
        b'href="/research/biden', b'href="https://www.migrationpolicy.org/research/biden'
    )
    from scrapy.http import HtmlResponse, Request

    url = "http://127.0.0.1:8765/programs/regional-migration"
    response = HtmlResponse(url=url, body=body, encoding="utf-8", request=Request(url))
    teasers = SITE.extract_listing(response).teasers
    # Fetched from the mirror, named by the site's own host (its canonical link's).
    assert all(t["request_url"].startswith("http://127.0.0.1:8765/") for t in teasers)
    assert all(t["url"].startswith(f"{BASE}/") for t in teasers)
    assert f"{BASE}/research/biden-administration-immigration-plans-starting-gate" in {
        t["url"] for t in teasers
    }


LISTING_STYLES = {
    "node teasers": """<div class="view view-id-x view-display-id-page"><div class="view-content">
        <div class="views-row"><div class="node node-publication node-teaser">
        <h2><a href="/research/a-report">A Report on Things</a></h2>
        <div class="field-name-field-publication-type">Reports</div>
        <span class="date-display-single">May 2020</span>
        <div class="field-name-field-authors"><div class="field-label">By</div>Ana Pérez</div>
        <div class="field-name-body"><p>What the report finds.</p></div></div></div>
        </div></div>""",
    "table": """<div class="view view-id-x view-display-id-page"><table class="views-table">
        <thead><tr><th>Title</th></tr></thead><tbody>
        <tr class="odd views-row-first"><td class="views-field views-field-title">
        <a href="/research/a-report">A Report on Things</a></td>
        <td class="views-field views-field-field-publication-type">Reports</td>
        <td class="views-field views-field-field-date">May 2020</td></tr></tbody></table></div>""",
}


@pytest.mark.parametrize("style", sorted(LISTING_STYLES))
def test_other_views_row_styles(style: str) -> None:
    from scrapy.http import HtmlResponse, Request

    html = f"<html><body><div id='content'>{LISTING_STYLES[style]}</div></body></html>"
    url = f"{BASE}/programs/x"
    response = HtmlResponse(url=url, body=html.encode(), encoding="utf-8", request=Request(url))
    (teaser,) = SITE.extract_listing(response).teasers
    assert teaser["url"] == f"{BASE}/research/a-report"
    assert teaser["title"] == "A Report on Things"
    assert teaser["content_type_label"] == "Reports"
    assert teaser["date_raw"] == "May 2020"
    assert teaser["block"] == "x/page"


def test_attributes_are_read_past_a_control_character_in_an_attribute_name() -> None:
    """lxml keeps ``\\x08`` as an attribute name; every other attribute must still be read."""
    from scrapy.http import HtmlResponse, Request

    url = f"{BASE}/research/some-report"
    html = (
        '<html lang="en" \x08><head>'
        f'<link rel="canonical" href="{url}">'
        '<link rel="alternate" hreflang="es" \x08 href="/research/algun-informe">'
        "</head><body><h1>Some report</h1>"
        '<div class="field-name-field-translation" \x08><a href="/research/otro" hreflang="es"'
        " \x08>Leer en espa\u00f1ol</a></div></body></html>"
    )
    response = HtmlResponse(url=url, body=html.encode(), encoding="utf-8", request=Request(url))
    record = SITE.extract_publication(response)
    assert record["html_lang"] == "en"
    translations = [f"{BASE}/research/algun-informe", f"{BASE}/research/otro"]
    assert record["translation_urls"] == translations
