"""``PageMetadata`` as the raw fields of a page record: what a site module yields for a page.

``metadata_fields(meta)`` maps the generic extractor's result onto the record's raw fields
(``regmig_scraper.record.RECORD_FIELD_DOCS``): ``title``, ``date_raw``, ``modified_raw``,
``authors_raw`` (and ``authors``, already split into people by the cascade), ``summary``,
``pdf_urls``, the language hints (``html_lang``, ``content_lang``, ``og_locale``) and
``provenance``: for each record field the cascade filled, ``"generic:<rule>"``
(``generic:jsonld``, ``generic:citation_publication_date``, ``generic:byline_element``...).

Dates are given in ISO form at their precision ("2021-04-15", "2021-04", "2021"): the form every
date normalizer reads whatever the page's language, so the row's date is the cascade's.

``metadata_record(meta)`` is a whole page record for a site that has no module (a page read by
the cascade alone): both the site modules' fallback (``sites/mpi/publication.py``) and the
generic site reader use these, so the two never differ. Pure; no settings, no Scrapy.
"""

from __future__ import annotations

from typing import Any

from regmig_scraper.metadata.dates import PRECISION_DAY, PRECISION_MONTH, DateValue
from regmig_scraper.metadata.model import PageMetadata

# How a record's provenance names a rule of the generic cascade.
GENERIC_RULE_PREFIX = "generic:"

# Record field -> (the PageMetadata provenance key, the dataset column it becomes).
PROVENANCE_KEYS: dict[str, str] = {
    "title": "title",
    "published": "published",
    "modified": "modified",
    "authors": "authors",
    "summary": "description",
    "pdf_urls": "pdf_urls",
    "language": "language",
}

# JSON-LD / OpenGraph types of a page that is an event (its date may lie in the future).
EVENT_PAGE_TYPES = frozenset({"jsonld:event", "jsonld:educationevent", "jsonld:businessevent"})


def iso_date(value: DateValue | None) -> str | None:
    """A date at its precision, in ISO form: "2021-04-15", "2021-04" or "2021"."""
    if value is None:
        return None
    if value.precision == PRECISION_DAY:
        return value.value.isoformat()
    if value.precision == PRECISION_MONTH:
        return f"{value.value.year:04d}-{value.value.month:02d}"
    return f"{value.value.year:04d}"


def rule_of(meta: PageMetadata, field: str) -> str:
    """``"generic:<rule>"`` for a record field the cascade filled."""
    return GENERIC_RULE_PREFIX + (meta.provenance.get(PROVENANCE_KEYS[field]) or "unknown")


def metadata_fields(meta: PageMetadata) -> dict[str, Any]:
    """The raw record fields the cascade found (absent when it found nothing), with provenance."""
    hints = meta.language_hints
    fields: dict[str, Any] = {
        "title": meta.title,
        "date_raw": iso_date(meta.published),
        "modified_raw": iso_date(meta.modified),
        "authors_raw": meta.authors_raw or ("; ".join(meta.authors) if meta.authors else None),
        "authors": list(meta.authors) or None,
        "summary": meta.description,
        "pdf_urls": list(meta.pdf_urls) or None,
        "html_lang": hints.get("html_lang"),
        "content_lang": hints.get("jsonld") or hints.get("content-language"),
        "og_locale": hints.get("og:locale"),
    }
    fields = {name: value for name, value in fields.items() if value is not None}
    provenance = {}
    for field, present in (
        ("title", "title"),
        ("published", "date_raw"),
        ("modified", "modified_raw"),
        ("authors", "authors"),
        ("summary", "summary"),
        ("pdf_urls", "pdf_urls"),
        ("language", "html_lang"),
    ):
        if present in fields or (field == "language" and meta.language):
            provenance[field] = rule_of(meta, field)
    fields["provenance"] = provenance
    return fields


def metadata_record(meta: PageMetadata, *, request_url: str | None = None) -> dict[str, Any]:
    """A whole raw page record from the cascade alone (``source="page"``)."""
    event = any(t.lower() in EVENT_PAGE_TYPES for t in meta.page_types)
    return {
        "source": "page",
        "url": meta.canonical_url or meta.url,
        "request_url": request_url or meta.url,
        "page_kind": "event" if event else "publication",
        **metadata_fields(meta),
    }
