"""URL normalization: one publication, one key, however many URLs lead to it.

Three levels, each for one job:

- ``normalize_url``: the URL we request and report. Tracking parameters and fragments go,
  the host is lower-cased (trailing dot and default port dropped), the query sorted, a
  trailing slash dropped. The scheme and ``www.`` stay: they are part of a real address.
- ``url_key``: the comparison key for deduplication. Also drops the scheme and ``www.``, so
  ``http://migrationpolicy.org./x/`` and ``https://www.migrationpolicy.org/x?utm_source=a``
  are the same publication.
- ``normalize_listing_url``: listing pages only. Keeps the query parameters that select
  content (``page``, ``qt-*`` by default) and drops everything else, including the mangled
  ``amp;page`` keys and double-encoded filters that real crawls of Drupal sites pick up.
  Drupal's multi-pager value (``page=0,0,2``) loses trailing zeros, so equal pages get equal
  URLs and the crawl cannot loop.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

# Query parameters that only track the visitor, never select content.
TRACKING_PARAM_PATTERNS: tuple[str, ...] = (
    "utm_*",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "yclid",
    "igshid",
    "ref_src",
)

# Listing-page parameters that select content on a Drupal views page: the pager(s) and
# the quicktabs tab. Everything else (exposed filters left at "All", stray IDs, keys
# mangled by HTML-escaping such as "amp;page") is dropped.
DEFAULT_LISTING_PARAMS: tuple[str, ...] = ("page", "qt-*")

DEFAULT_PORTS = {"http": 80, "https": 443}
_PAGE_VECTOR = re.compile(r"^\d{1,9}(,\d{1,9})*$")


def _matches_any(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name.lower(), pattern) for pattern in patterns)


def _clean_host(hostname: str | None, port: int | None, scheme: str) -> str:
    host = (hostname or "").lower().rstrip(".")
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        return f"{host}:{port}"
    return host


def _split(url: str):
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the URL as it is
        port = None
    return parts, scheme, _clean_host(parts.hostname, port, scheme)


def _query_pairs(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


def _encode_query(pairs: Sequence[tuple[str, str]]) -> str:
    # Commas stay readable: Drupal's multi-pager values look like "0,0,2".
    return urlencode(sorted(pairs), quote_via=quote, safe=",")


def _clean_path(path: str) -> str:
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path or "/"


# Pure functions of a string, called for every link of every page: the same links repeat
# on every listing page, so their results are cached.
_cached = functools.lru_cache(maxsize=1 << 12)


@_cached
def normalize_url(url: str) -> str:
    """Return the URL without tracking parameters, fragment, trailing slash or noise."""
    parts, scheme, host = _split(url)
    if scheme not in ("http", "https"):
        return url.strip()
    pairs = [
        (k, v) for k, v in _query_pairs(parts.query) if not _matches_any(k, TRACKING_PARAM_PATTERNS)
    ]
    return urlunsplit((scheme, host, _clean_path(parts.path), _encode_query(pairs), ""))


@_cached
def url_key(url: str) -> str:
    """Return the deduplication key: ``normalize_url`` without scheme and ``www.``."""
    normalized = normalize_url(url)
    parts = urlsplit(normalized)
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    key = host + (parts.path or "/")
    if parts.query:
        key += "?" + parts.query
    return key


def publication_id(canonical_url: str) -> str:
    """Stable 16-hex-digit id of a publication, derived from its canonical URL."""
    return hashlib.sha1(url_key(canonical_url).encode("utf-8")).hexdigest()[:16]


@_cached
def host_of(url: str) -> str:
    """Lower-cased host (with a non-default port) of ``url``."""
    return _split(url)[2]


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


def page_vector_of(url: str) -> list[int]:
    """The page vector of a listing URL ([] for the first page of every pager)."""
    for key, value in _query_pairs(urlsplit(url).query):
        if key == "page":
            return parse_page_vector(value) or []
    return []


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


@_cached
def _normalize_listing_url(
    url: str, keep_params: tuple[str, ...], page_vector: tuple[int, ...] | None
) -> str:
    parts, scheme, host = _split(url)
    pairs: list[tuple[str, str]] = []
    vector: list[int] | None = list(page_vector) if page_vector is not None else None
    for key, value in _query_pairs(parts.query):
        if not _matches_any(key, keep_params):
            continue
        if key == "page":
            if vector is None:
                vector = parse_page_vector(value) or []
            continue
        if value == "":
            continue
        pairs.append((key, value))
    formatted = format_page_vector(vector or [])
    if formatted is not None:
        pairs.append(("page", formatted))
    # Several values for one key cannot select more content; keep the first of each.
    seen: set[str] = set()
    unique = []
    for key, value in pairs:
        if key not in seen:
            seen.add(key)
            unique.append((key, value))
    return urlunsplit((scheme, host, _clean_path(parts.path), _encode_query(unique), ""))


def rebase(url: str, origin: str) -> str:
    """Put ``url``'s path and query on ``origin``'s scheme and host."""
    parts = urlsplit(url)
    base = urlsplit(origin)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


def same_path(url_a: str, url_b: str) -> bool:
    """True when both URLs have the same host and path (queries may differ)."""
    a, b = urlsplit(normalize_url(url_a)), urlsplit(normalize_url(url_b))
    return host_of(url_a) == host_of(url_b) and a.path == b.path
