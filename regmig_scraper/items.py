"""The one record type that flows from the spider through every pipeline.

A ``PublicationRecord`` is one *sighting* of a publication: either a teaser row on a
listing page (``source="listing"``) or the publication's own page (``source="page"``).
The spider fills the raw fields only; pipelines add the normalized ones; the dataset
pipeline groups the sightings of one publication and merges them into a single row. The
class declares the fields; the spider yields each record as a plain dict of them
(``new_record``), the cheapest item for the pipelines to read and write.

Raw fields keep what the page said (``date_raw``, ``content_type_label``,
``authors_raw``) so that a bad parse can always be traced back.
"""

from __future__ import annotations

from typing import Any

import scrapy

SOURCE_LISTING = "listing"
SOURCE_PAGE = "page"


class PublicationRecord(scrapy.Item):
    # --- identity and provenance (spider) ---
    source = scrapy.Field()  # SOURCE_LISTING | SOURCE_PAGE
    url = scrapy.Field()  # page: canonical URL; listing: the teaser's link (absolute)
    request_url = scrapy.Field()  # the URL that was requested (page) or linked (listing)
    alternate_urls = scrapy.Field()  # list[str]: other URLs that led to this page
    listing_url = scrapy.Field()  # listing: the listing page the teaser was on
    block = scrapy.Field()  # listing: the Drupal view/block the teaser was in
    position = scrapy.Field()  # listing: row index inside the block (0-based)
    repeat = scrapy.Field()  # listing: the block showed it before; only the sighting is kept
    program = scrapy.Field()  # the program page's title
    page_kind = scrapy.Field()  # page: Drupal node type ("publication", "event", ...)

    # --- raw content (spider) ---
    title = scrapy.Field()  # raw text, cleaned in place by the text pipeline
    content_type_label = scrapy.Field()  # e.g. "Policy Briefs", "Video, Audio"
    date_raw = scrapy.Field()  # displayed date text, e.g. "April 2021"
    date_attr = scrapy.Field()  # machine date attribute if any (ISO 8601), not trusted
    posted_raw = scrapy.Field()  # event pages: the page's own posted date, if shown
    authors_raw = scrapy.Field()  # byline text, e.g. "By A, B and C"
    summary = scrapy.Field()  # teaser / description text
    body_text = scrapy.Field()  # page: main text
    pdf_urls = scrapy.Field()  # list[str]
    translation_urls = scrapy.Field()  # list[str]: same publication in other languages
    translation_langs = scrapy.Field()  # dict[str, str]: translation URL -> language code
    html_lang = scrapy.Field()  # <html lang>, usually the chrome's language
    content_lang = scrapy.Field()  # lang attribute on the content node, if any
    og_locale = scrapy.Field()  # og:locale meta, if any

    # --- normalized (pipelines) ---
    content_type = scrapy.Field()  # stable code: report, policy_brief, ...
    language = scrapy.Field()  # ISO 639-1 or "und"
    language_confidence = scrapy.Field()  # 0..1
    published = scrapy.Field()  # datetime.date, first day of the period, or None
    date_precision = scrapy.Field()  # "day" | "month" | "year" | None
    date_flag = scrapy.Field()  # why a date was not parsed: "unparsed", "implausible", ...
    posted = scrapy.Field()  # datetime.date of posted_raw, or None
    authors = scrapy.Field()  # list[str]


Record = dict[str, Any]  # a sighting as the spider yields it: ``PublicationRecord``'s fields
RECORD_FIELDS: frozenset[str] = frozenset(PublicationRecord.fields)


def new_record(**fields: Any) -> Record:
    """A sighting as the spider yields it: a plain dict of ``PublicationRecord`` fields.

    A dict, because every pipeline reads and writes several fields of every record (see
    ``pipelines.record_fields``). Field names are checked as ``PublicationRecord`` checks them
    (KeyError).
    """
    unknown = fields.keys() - RECORD_FIELDS
    if unknown:
        raise KeyError(f"PublicationRecord does not support field(s) {sorted(unknown)}")
    return fields
