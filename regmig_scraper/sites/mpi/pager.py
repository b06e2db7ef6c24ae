"""Drupal's listing URLs: which query parameters select content, and its multi-pager vector.

A Drupal views page with several pagers carries one ``page`` value for all of them
(``page=0,0,2``: the third pager on its page 2). ``normalize_listing_url`` keeps the
parameters that select content (``page``, ``qt-*`` by default) and drops everything else,
including the mangled ``amp;page`` keys and double-encoded filters that real crawls pick up;
the vector loses its trailing zeros, so equal pages get equal URLs and the crawl cannot loop.
``pager_element`` tells which pager a ``ul.pager``'s links move, so that each pager is
followed on its own (``isolate``) and pagers do not multiply into every combination.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from regmig_scraper.normalize.urls import name_pattern, normalize_url

# Listing-page parameters that select content on a Drupal views page: the pager(s) and
# the quicktabs tab. Everything else (exposed filters left at "All", stray IDs, keys
# mangled by HTML-escaping such as "amp;page") is dropped.
DEFAULT_LISTING_PARAMS: tuple[str, ...] = ("page", "qt-*")

_PAGE_VECTOR = re.compile(r"^\d{1,9}(,\d{1,9})*$")


def parse_page_vector(value: str | None) -> list[int] | None:
    """Parse Drupal's ``page`` value ("2", "0,0,1"); None when it is not a pager value."""
    if value is None or value == "":
        return []
    value = value.strip()
    if not _PAGE_VECTOR.match(value):
        return None
    return [int(part) for part in value.split(",")]


def format_page_vector(vector: Sequence[int]) -> str | None:
    """Format a page vector without trailing zeros; None when every pager is on page 0."""
    trimmed = list(vector)
    while trimmed and trimmed[-1] == 0:
        trimmed.pop()
    if not trimmed:
        return None
    return ",".join(str(n) for n in trimmed)


@functools.lru_cache(maxsize=1 << 12)
def page_vector_of(url: str) -> tuple[int, ...]:
    """The page vector of a listing URL (() for the first page of every pager)."""
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key == "page":
            return tuple(parse_page_vector(value) or ())
    return ()


def isolate(vector: Sequence[int], element: int) -> list[int]:
    """``vector`` with every pager but ``element`` back on its first page."""
    isolated = [0] * (element + 1)
    isolated[element] = vector[element] if element < len(vector) else 0
    return isolated


def pager_element(hrefs: list[str], current: Sequence[int]) -> int | None:
    """Which of Drupal's pagers (an index into ``page=a,b,c``) a pager's links move.

    Links of one pager differ from the current page in one position only; if they differ
    in several (or none), the pager cannot be told apart and links are kept as they are.
    """
    positions: set[int] = set()
    for url in hrefs:
        query = dict(
            pair.split("=", 1) if "=" in pair else (pair, "")
            for pair in urlsplit(url).query.split("&")
        )
        vector = parse_page_vector(query.get("page", "").replace("%2C", ",").replace("%2c", ","))
        if vector is None:
            continue
        width = max(len(vector), len(current))
        padded = vector + [0] * (width - len(vector))
        base = list(current) + [0] * (width - len(current))
        positions.update(i for i in range(width) if padded[i] != base[i])
    return positions.pop() if len(positions) == 1 else None


def _encode_query(pairs: Sequence[tuple[str, str]]) -> str:
    # Commas stay readable: Drupal's multi-pager values look like "0,0,2".
    return urlencode(sorted(pairs), quote_via=quote, safe=",")


def normalize_listing_url(
    url: str,
    keep_params: Sequence[str] = DEFAULT_LISTING_PARAMS,
    page_vector: Sequence[int] | None = None,
) -> str:
    """Normalize a listing URL, keeping only the parameters that select content.

    ``page_vector`` replaces the URL's own ``page`` value (used to isolate one pager).
    A ``page`` value that is not a pager value is dropped.
    """
    return _normalize_listing_url(
        url, tuple(keep_params), None if page_vector is None else tuple(page_vector)
    )


def _keeps(name: str, keep_params: tuple[str, ...]) -> bool:
    return name_pattern(keep_params).match(name.lower()) is not None


@functools.lru_cache(maxsize=1 << 12)
def _normalize_listing_url(
    url: str, keep_params: tuple[str, ...], page_vector: tuple[int, ...] | None
) -> str:
    base, _, query = normalize_url(url).partition("?")
    pairs: list[tuple[str, str]] = []
    vector: list[int] | None = list(page_vector) if page_vector is not None else None
    seen: set[str] = set()  # several values for one key cannot select more content
    for key, value in parse_qsl(query, keep_blank_values=True):
        if not _keeps(key, keep_params):
            continue
        if key == "page":
            if vector is None:
                vector = parse_page_vector(value) or []
            continue
        if value == "" or key in seen:
            continue
        seen.add(key)
        pairs.append((key, value))
    formatted = format_page_vector(vector or [])
    if formatted is not None:
        pairs.append(("page", formatted))
    return f"{base}?{_encode_query(pairs)}" if pairs else base
