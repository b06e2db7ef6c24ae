"""The one record type that flows from a site extractor through every normalizer.

A record is one *sighting* of a publication: either a teaser row on a listing page
(``source="listing"``) or the publication's own page (``source="page"``). Site extractors fill
the raw fields; normalizers add the parsed ones; the dataset layer groups the sightings of one
publication and merges them into a single row. Records are plain dicts (the cheapest item for
every step to read and write); ``RECORD_FIELDS`` names what they may hold, and
``regmig_scraper.items.PublicationRecord`` declares the same fields for Scrapy.

Raw fields keep what the page said (``date_raw``, ``content_type_label``, ``authors_raw``) so
that a bad parse can always be traced back. This module imports nothing from Scrapy: the
dataset layer and the normalizers use it.
"""

from __future__ import annotations

from typing import Any

SOURCE_LISTING = "listing"
SOURCE_PAGE = "page"

Record = dict[str, Any]

# Field name -> what it holds. Raw fields come from the site extractor, the others from the
# normalizers.
RECORD_FIELD_DOCS: dict[str, str] = {
    # --- identity and provenance (site extractor) ---
    "source": "SOURCE_LISTING | SOURCE_PAGE",
    "url": "page: canonical URL; listing: the teaser's link (absolute)",
    "request_url": "the URL that was requested (page) or linked (listing)",
    "alternate_urls": "list[str]: other URLs that led to this page",
    "listing_url": "listing: the listing page the teaser was on",
    "block": "listing: the view/block the teaser was in",
    "position": "listing: row index inside the block (0-based)",
    "repeat": "listing: the block showed it before; only the sighting is kept",
    "program": "the program page's title",
    "page_kind": "page: the CMS's node type ('publication', 'event', ...)",
    "site": "name of the site module that read the page",
    # --- raw content (site extractor) ---
    "title": "raw text, cleaned in place by the text normalizer",
    "content_type_label": "e.g. 'Policy Briefs', 'Video, Audio'",
    "date_raw": "displayed date text, e.g. 'April 2021'",
    "posted_raw": "event pages: the page's own posted date, if shown",
    "modified_raw": "page: its last modification date as found ('2023-05-04T10:00:00Z')",
    "authors_raw": "byline text, e.g. 'By A, B and C'",
    "summary": "teaser / description text",
    "body_text": "page: main text",
    "pdf_urls": "list[str]",
    "translation_urls": "list[str]: same publication in other languages",
    "html_lang": "<html lang>, usually the chrome's language",
    "content_lang": "lang attribute on the content node, if any",
    "og_locale": "og:locale meta, if any",
    "provenance": "dict[str, str]: field -> rule that produced it ('mpi', 'jsonld', ...)",
    # --- normalized ---
    "content_type": "stable code: report, policy_brief, ...",
    "language": "ISO 639-1 or 'und'",
    "language_confidence": "0..1",
    "published": "datetime.date, first day of the period, or None",
    "date_precision": "'day' | 'month' | 'year' | None",
    "date_flag": "why a date was not parsed: 'unparsed', 'implausible', ...",
    "posted": "datetime.date of posted_raw, or None",
    "modified": "datetime.date of modified_raw, or None",
    "authors": "list[str]; set by an extractor that split the byline itself (the generic "
    "cascade), kept by the authors normalizer",
}
RECORD_FIELDS: frozenset[str] = frozenset(RECORD_FIELD_DOCS)


def new_record(**fields: Any) -> Record:
    """A sighting as a site extractor yields it: a plain dict of ``RECORD_FIELDS``.

    Field names are checked as ``scrapy.Item`` checks them (KeyError), so a typo in an
    extractor fails its tests instead of adding a column nobody reads.
    """
    unknown = fields.keys() - RECORD_FIELDS
    if unknown:
        raise KeyError(f"PublicationRecord does not support field(s) {sorted(unknown)}")
    return fields
