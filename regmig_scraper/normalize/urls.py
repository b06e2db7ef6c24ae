"""URL normalization: one publication, one key, however many URLs lead to it.

Two levels, each for one job, both built on w3lib's ``canonicalize_url`` (percent-encoding
made canonical: ``/a%7Eb`` is ``/a~b``, ``%c3%b1`` is ``%C3%B1``, ``%63`` is ``c``; query
sorted; fragment dropped) and ``url_query_cleaner`` (tracking parameters dropped):

- ``normalize_url``: the URL we request and report. Tracking parameters and fragments go,
  the host is lower-cased (trailing dot and default port dropped), the query sorted, a
  trailing slash dropped. The scheme and ``www.`` stay: they are part of a real address.
- ``url_key``: the comparison key for deduplication. Also drops the scheme and ``www.``, so
  ``http://migrationpolicy.org./x/`` and ``https://www.migrationpolicy.org/x?utm_source=a``
  are the same publication.

Which listing pages are the same page (Drupal's pager vector, quicktabs) is a site's
knowledge: it lives in the site's module (``regmig_scraper.sites.mpi.pager``). No Scrapy here;
w3lib only.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import re
from urllib.parse import SplitResult, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

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

DEFAULT_PORTS = {"http": 80, "https": 443}


@functools.cache
def name_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a tuple of shell-style name patterns (``utm_*``): one match per name
    instead of one ``fnmatch`` per pattern. Match it against the lower-cased name."""
    return re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns))


def _clean_host(hostname: str | None, port: int | None, scheme: str) -> str:
    host = (hostname or "").lower().rstrip(".")
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        return f"{host}:{port}"
    return host


def split_url(url: str) -> tuple[SplitResult, str, str]:
    """``url`` split, with its lower-cased scheme and its clean host (see ``host_of``).

    Raises ValueError for a URL no parser accepts (``http://[::1``); a port that is not a
    number is dropped rather than refused.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the rest of the URL
        port = None
    return parts, scheme, _clean_host(parts.hostname, port, scheme)


def _tracking_names(query: str) -> list[str]:
    """Names of the tracking parameters in an (already canonical) query string."""
    tracking = name_pattern(TRACKING_PARAM_PATTERNS).match
    names = (pair.partition("=")[0] for pair in query.split("&"))
    return [name for name in names if name and tracking(name.lower())]


def _without_trailing_slash(url: str) -> str:
    """``url`` whose path (not the root) has no trailing slash."""
    end = url.find("?")
    path_end = len(url) if end < 0 else end
    start = url.find("/", url.find("//") + 2)
    if start < 0 or path_end - start <= 1 or url[path_end - 1] != "/":
        return url
    stripped = url[start:path_end].rstrip("/") or "/"
    return url[:start] + stripped + url[path_end:]


# Pure functions of a string, called for every link of every page: the same links repeat
# on every listing page, so their results are cached.
_cached = functools.lru_cache(maxsize=1 << 12)


@_cached
def normalize_url(url: str) -> str:
    """Return the URL without tracking parameters, fragment, trailing slash or noise."""
    parts, scheme, host = split_url(url)
    if scheme not in ("http", "https"):
        return url.strip()
    canonical = canonicalize_url(urlunsplit((scheme, host, parts.path or "/", parts.query, "")))
    query = canonical.partition("?")[2]
    if query:
        names = _tracking_names(query)
        if names:
            canonical = url_query_cleaner(canonical, names, remove=True, unique=False)
    return _without_trailing_slash(canonical)


@_cached
def url_key(url: str) -> str:
    """Return the deduplication key: ``normalize_url`` without scheme and ``www.``."""
    normalized = normalize_url(url)
    _, sep, rest = normalized.partition("://")
    if not sep:  # not a web address (mailto:...): its path is its key
        parts = urlsplit(normalized)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return rest.removeprefix("www.")


def publication_id(canonical_url: str) -> str:
    """Stable 16-hex-digit id of a publication, derived from its canonical URL."""
    return hashlib.sha1(url_key(canonical_url).encode("utf-8")).hexdigest()[:16]


@_cached
def host_of(url: str) -> str:
    """Lower-cased host (with a non-default port) of ``url``."""
    return split_url(url)[2]


def rebase(url: str, origin: str) -> str:
    """Put ``url``'s path and query on ``origin``'s scheme and host."""
    parts = urlsplit(url)
    base = urlsplit(origin)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))
