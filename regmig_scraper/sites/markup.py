"""Small readers of parsed HTML shared by site extractors: visible text, meta tags, links.

Extraction reads text the way a reader sees it: inline elements join without extra spaces
("<a>Andrew Selee</a>, <a>Ariel</a>" -> "Andrew Selee, Ariel"), block elements break lines,
and script, style, forms and invisible headings (Drupal's ``element-invisible``) are skipped.
Whitespace is left for the text normalizer; the walker itself is ``normalize.html_text``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from parsel import Selector, SelectorList

from regmig_scraper.normalize.html_text import HIDDEN_CLASSES, inner_text


def element_text(element, skip_classes: frozenset[str] = frozenset()) -> str:
    """Visible text of one lxml element, leaving out descendants with ``skip_classes``.

    The fast path for hot loops (every field of every listing row): no selector objects.
    """
    return inner_text(element, skip_classes=HIDDEN_CLASSES | skip_classes)


def visible_text(selection: Selector | SelectorList | None, *, exclude: str | None = None) -> str:
    """Text of the selected elements as a reader sees it, or "" when nothing is selected.

    ``exclude`` is a CSS selector of descendants to leave out (a field's label, say).
    """
    if selection is None:
        return ""
    selectors = [selection] if isinstance(selection, Selector) else list(selection)
    pieces: list[str] = []
    for selector in selectors:
        root = selector.root
        if not hasattr(root, "tag"):
            pieces.append(str(root))
            continue
        # Keep the excluded elements referenced so that their ids stay theirs.
        excluded = [match.root for match in selector.css(exclude)] if exclude else []
        pieces.append(inner_text(root, frozenset(id(element) for element in excluded)))
    return "\n".join(piece for piece in pieces if piece)


def first_text(selector: Selector, *queries: str, exclude: str | None = None) -> str | None:
    """Visible text of the first CSS query that selects non-blank text."""
    for query in queries:
        for match in selector.css(query):
            text = visible_text(match, exclude=exclude).strip()
            if text:
                return text
    return None


def meta_content(selector: Selector, *names: str) -> str | None:
    """Content of the first ``<meta property|name=...>`` present among ``names``."""
    for name in names:
        value = selector.xpath(f"//head/meta[@property='{name}' or @name='{name}']/@content").get()
        if value and value.strip():
            return value.strip()
    return None


def attribute(selector: Selector, name: str) -> str | None:
    """One attribute of an element, or None.

    Parsel's ``Selector.attrib`` copies every attribute, and lxml refuses to read any of them
    once a broken page gives one a control character in its name; asking for one by name
    reads only that one.
    """
    root = selector.root
    return root.get(name) if hasattr(root, "get") else None


def link_href(selector: Selector, rel: str) -> str | None:
    """``href`` of the first ``<link rel=...>`` in the head."""
    value = selector.xpath(f"//head/link[@rel='{rel}']/@href").get()
    return value.strip() if value and value.strip() else None


JOIN_CACHE_SIZE = 4_096  # listing pages repeat the same links page after page
_NETLOC = re.compile(r"https?://[^/?#]")  # an absolute link with a host


@functools.lru_cache(maxsize=JOIN_CACHE_SIZE)
def _join(base_url: str, href: str) -> str | None:
    try:
        url = urljoin(base_url, href)
        urlsplit(url)
    except ValueError:
        return None
    return url if url.startswith(("http://", "https://")) else None


_ORIGIN = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)")


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL, as ``urlsplit`` reads them (the scheme
    lowercased), without parsing the rest: it runs for every root-relative link. A string
    that is not an absolute URL is returned as it is."""
    match = _ORIGIN.match(url)
    return f"{match[1].lower()}://{match[2]}" if match else url


def join_url(base_url: str, href: str | None) -> str | None:
    """``href`` made absolute against ``base_url`` if the result is an http(s) URL, else None.

    A link no URL parser accepts (``http://[::1``, an unbalanced IPv6 bracket) is None too:
    one broken link on a page must not cost the page. Cached on only the part of the base
    that decides the result (none of it for an absolute link, its origin for a root-relative
    one), so the links every listing page repeats are joined once.
    """
    if not href:
        return None
    href = href.strip()
    if href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
        return None
    if href.startswith(("http://", "https://")) and _NETLOC.match(href):
        base_url = base_url[: base_url.find(":") + 1]  # only its scheme matters
    elif href.startswith("/") and not href.startswith("//"):
        base_url = origin_of(base_url)
    return _join(base_url, href)


def absolute(base_url: str, hrefs: Iterable[str | None]) -> list[str]:
    """Absolute http(s) URLs of ``hrefs`` (others dropped), in order, without duplicates."""
    seen: dict[str, None] = {}
    for href in hrefs:
        url = join_url(base_url, href)
        if url is not None:
            seen.setdefault(url, None)
    return list(seen)


# How far from the end of a document its closing ``</html>`` may sit (comments, scripts a
# server appends after it).
HTML_END_WINDOW = 4_096
HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
HTML_START = re.compile(r"<html[\s>]", re.IGNORECASE)


def looks_truncated(text: str) -> bool:
    """Whether an HTML document stops before its end: it opens ``<html>`` but has no
    ``</html>`` near its end (a connection closed early with no Content-Length to tell)."""
    head = text[: HTML_END_WINDOW * 4]
    return bool(HTML_START.search(head)) and not HTML_END.search(text[-HTML_END_WINDOW:])
