"""Merge the sightings of one publication into one row, and link translations.

A publication is seen on its own page and as teasers in any number of listing blocks and
pager pages. Which sighting wins, field by field (documented in the README):

============================  ==============================================================
field                          precedence
============================  ==============================================================
url                            the page's canonical link; else the teaser's link
title, authors, body, PDFs     the page; else the first teaser that has one
content_type(_label)           the first teaser's label (the program's own vocabulary), in
                               ``_teaser_order``; else the page's
published, date_precision      the most precise date among all sightings (day > month >
                               year), the page first on ties
summary                        the page's description; else the first teaser's
language                       the page's (it has the most text); else detected from the first
                               teaser's title and summary
modified, provenance           the page's (the rules that read it, field -> rule)
authors_raw                    the sighting the authors came from
site                           the host of the canonical URL
============================  ==============================================================

"First teaser" is in a fixed order, ``_teaser_order``: by block, position, listing URL. Not
the order of arrival, nor of listing URLs: a publication moves between pager pages as newer
ones push it down, and an incremental run walks fewer pages, yet a row must not depend on
which pages a run walked. A page seen twice in a run counts once, its last copy.
Pure functions, no Scrapy import.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from regmig_scraper.normalize.urls import (
    host_of,
    normalize_url,
    publication_id,
    rebase,
    url_key,
)
from regmig_scraper.record import SOURCE_PAGE

Record = Mapping[str, Any]
PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


def _first(records: Iterable[Record], field: str) -> Any:
    for record in records:
        value = record.get(field)
        if value not in (None, "", []):
            return value
    return None


def _best_date(records: Sequence[Record]) -> Record | None:
    best: Record | None = None
    for record in records:
        if record.get("published") is None:
            continue
        if best is None or PRECISION_RANK.get(record.get("date_precision") or "", 0) > (
            PRECISION_RANK.get(best.get("date_precision") or "", 0)
        ):
            best = record
    return best


# Flags a parsed date keeps in the row: an event's date in the future is its date, flagged.
DATED_FLAGS_KEPT = frozenset({"future"})


def _dated_flag(dated: Record) -> str | None:
    flag = dated.get("date_flag")
    return flag if flag in DATED_FLAGS_KEPT else None


def _teaser_order(record: Record) -> tuple[str, int, str]:
    """A fixed order of teasers that does not depend on which pager pages a run walked: by
    block, then position, then listing URL (a publication moves between pager pages as
    newer ones push it down, but a block shows it with the same fields on every page)."""
    position = record.get("position")
    return (
        record.get("block") or "",
        position if isinstance(position, int) else sys.maxsize,
        record.get("listing_url") or "",
    )


def _last_copy_of_each_page(pages: list[Record]) -> list[Record]:
    """One sighting per page URL, the last one: a page asked again in one run (a later
    teaser of it changed) arrives after its cached copy."""
    last: dict[str, Record] = {}
    for page in pages:
        last.pop(page.get("url") or "", None)
        last[page.get("url") or ""] = page
    return list(last.values())


def merge_sightings(
    records: Sequence[Record],
    *,
    is_publication: Callable[[Record], bool],
    resolve: Callable[[str], str | None] = lambda url: None,
    detect_language: Callable[[str | None, str | None], tuple[str, float]] | None = None,
) -> dict[str, Any] | None:
    """One publication row from its sightings; None when its page says it is no publication
    (``is_publication`` asks the page's site: people, topic and program pages are not)."""
    pages = _last_copy_of_each_page([r for r in records if r.get("source") == SOURCE_PAGE])
    teasers = sorted((r for r in records if r.get("source") != SOURCE_PAGE), key=_teaser_order)
    if pages and not any(is_publication(p) for p in pages):
        return None
    pages = [p for p in pages if is_publication(p)] or pages
    page_first = [*pages, *teasers]
    teaser_first = [*teasers, *pages]

    url = pages[0]["url"] if pages else normalize_url(teasers[0]["url"])
    dated = _best_date(page_first)
    undated = _first(page_first, "date_raw")
    language_source = next(
        (r for r in page_first if r.get("language") not in (None, "", "und")), None
    )
    label_source = next((r for r in teaser_first if r.get("content_type_label")), None)
    authors_source = next((r for r in page_first if r.get("authors")), None)
    language, confidence = (
        (language_source.get("language"), language_source.get("language_confidence"))
        if language_source
        else ("und", None)
    )
    if language_source is None and detect_language is not None:
        # No page told us (it failed, or is not read): decide from the teaser's own text.
        language, confidence = detect_language(
            _first(teaser_first, "title"), _first(teaser_first, "summary")
        )

    seen_urls: set[str] = set()
    for record in records:
        seen_urls.add(normalize_url(record["url"]))
        for extra in [record.get("request_url"), *(record.get("alternate_urls") or [])]:
            if extra:
                seen_urls.add(normalize_url(extra))
    seen_urls.discard(url)

    translations: set[str] = set()
    for page in pages:
        for other in page.get("translation_urls") or []:
            canonical = resolve(other) or normalize_url(other)
            if url_key(canonical) != url_key(url):
                translations.add(canonical)

    return {
        "id": publication_id(url),
        "url": url,
        "title": _first(page_first, "title"),
        "content_type": label_source.get("content_type") if label_source else None,
        "content_type_label": label_source.get("content_type_label") if label_source else None,
        "language": language,
        "language_confidence": confidence,
        "published": dated.get("published") if dated else None,
        "date_precision": dated.get("date_precision") if dated else None,
        "date_raw": dated.get("date_raw") if dated else undated,
        "date_flag": _dated_flag(dated) if dated else _first(page_first, "date_flag"),
        "posted": _first(pages, "posted"),
        "modified": _first(pages, "modified"),
        "authors": list(authors_source["authors"]) if authors_source else [],
        "authors_raw": (authors_source or {}).get("authors_raw")
        or _first(page_first, "authors_raw"),
        "summary": _first(page_first, "summary"),
        "body_text": _first(pages, "body_text"),
        "pdf_urls": list(_first(pages, "pdf_urls") or []),
        "program": _first(teaser_first, "program"),
        "site": host_of(url) or None,
        "listing_urls": sorted({r["listing_url"] for r in teasers if r.get("listing_url")}),
        "alternate_urls": sorted(seen_urls),
        "translation_urls": sorted(translations),
        "page_fetched": bool(pages),
        "provenance": dict(_first(pages, "provenance") or {}) or None,
    }


@dataclass(slots=True)
class TranslationKey:
    """What translation linking needs of one row: small, as it is held for every row at once.

    ``signature`` is a digest of (published, date_precision, content_type, authors), None
    when the row lacks any of them or its language is unknown.
    """

    url: str
    language: str | None
    translation_urls: tuple[str, ...]
    signature: bytes | None


# The columns ``translation_key`` reads.
TRANSLATION_COLUMNS = (
    "url", "language", "translation_urls", "published", "date_precision", "content_type",
    "authors",
)  # fmt: skip


def translation_key(row: Mapping[str, Any]) -> TranslationKey:
    signature = None
    language = row["language"]
    if row["authors"] and row["published"] is not None and language not in (None, "und"):
        described = [
            row["published"].isoformat(),
            row["date_precision"],
            row["content_type"],
            list(row["authors"]),
        ]
        signature = hashlib.blake2b(
            json.dumps(described, ensure_ascii=False).encode("utf-8"), digest_size=16
        ).digest()
    return TranslationKey(
        url=row["url"],
        language=sys.intern(language) if isinstance(language, str) else None,
        translation_urls=tuple(row["translation_urls"] or ()),
        signature=signature,
    )


def link_translations(keys: list[TranslationKey]) -> int:
    """Make translation links mutual, then pair the unlinked by matching metadata.

    Explicit links (hreflang, "en español" links) come from the pages. A publication with
    none is paired with one other publication in another language that has the same date,
    precision, content type and (non-empty) authors, when exactly one such candidate exists
    on each side. Updates ``translation_urls`` (sorted) in place; returns the number of
    linked pairs.
    """
    by_url = {key.url: key for key in keys}
    for key in keys:
        for other_url in key.translation_urls:
            other = by_url.get(other_url)
            if other is not None and key.url not in other.translation_urls:
                other.translation_urls = tuple(sorted({*other.translation_urls, key.url}))

    candidates: dict[bytes, list[TranslationKey]] = {}
    for key in keys:
        if not key.translation_urls and key.signature is not None:
            candidates.setdefault(key.signature, []).append(key)
    for group in candidates.values():
        if len(group) == 2 and group[0].language != group[1].language:
            first, second = group
            first.translation_urls = (second.url,)
            second.translation_urls = (first.url,)

    pairs = set()
    for key in keys:
        for other_url in key.translation_urls:
            if other_url in by_url:
                pairs.add(tuple(sorted((key.url, other_url))))
    return len(pairs)


# --- a canonical link that names another publication ----------------------------------------


def _own_url(page: Record) -> str:
    """The address a page was fetched at (after redirects), on its canonical's host."""
    parts = urlsplit(page["url"])
    return normalize_url(
        rebase(page.get("request_url") or page["url"], f"{parts.scheme}://{parts.netloc}")
    )


def _title_key(record: Record) -> str:
    return " ".join(str(record.get("title") or "").split()).casefold()


def split_canonical_conflicts(
    records: Sequence[Record], on_conflict: Callable[[str, str], None] | None = None
) -> list[list[Record]]:
    """One publication's sightings, split where a page's canonical link names another page
    that the crawl fetched as a different publication.

    Rule: when a group holds the page fetched at its canonical address (the owner) and another
    page whose canonical names that address but whose title differs, the canonical link is
    not followed: that page (a claimant) keeps its own address and its own row, with the
    teasers that linked to it. Pages with the owner's title (aliases, query strings,
    redirects) stay merged. ``on_conflict(claimant_url, canonical_url)`` is called for each
    split. Returns the groups to merge, the owner's first.
    """
    pages = [r for r in records if r.get("source") == SOURCE_PAGE]
    if len(pages) < 2:
        return [list(records)]
    owners = [p for p in pages if url_key(_own_url(p)) == url_key(p["url"])]
    if not owners:
        return [list(records)]
    owner_title = _title_key(owners[0])
    claimants = [
        p for p in pages
        if not any(p is o for o in owners) and _title_key(p) and _title_key(p) != owner_title
    ]  # fmt: skip
    if not claimants:
        return [list(records)]
    claimed = {id(p) for p in claimants}
    rest = [r for r in records if id(r) not in claimed]
    groups: list[list[Record]] = []
    for page in claimants:
        canonical = page["url"]
        own = _own_url(page)
        keys = {url_key(own), url_key(page.get("request_url") or own)}
        keys |= {url_key(u) for u in page.get("alternate_urls") or []}
        keys.discard(url_key(canonical))
        teasers = [r for r in rest if r.get("source") != SOURCE_PAGE and url_key(r["url"]) in keys]
        taken = {id(t) for t in teasers}
        rest = [r for r in rest if id(r) not in taken]
        alternates = [
            u for u in page.get("alternate_urls") or [] if url_key(u) != url_key(canonical)
        ]
        groups.append([{**page, "url": own, "alternate_urls": alternates}, *teasers])
        if on_conflict is not None:
            on_conflict(own, canonical)
    return [rest, *groups]
