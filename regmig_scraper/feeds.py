"""Feeds and sitemaps: what a site itself says is new or changed, read without Scrapy.

A nightly run uses them as accelerators and cross-checks, never as the only truth (a feed
shows only its latest items; a sitemap does not say which program lists a page):

- ``feed_links(html, base_url)``: the RSS/Atom feeds a page names
  (``<link rel="alternate" type="application/rss+xml">`` or ``application/atom+xml``);
- ``parse_feed(body, base_url)``: the entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, each a
  URL and the date the feed gives it (``pubDate``, ``dc:date``, ``updated``, ``published``);
- ``robots_sitemaps(text, base_url)``: the ``Sitemap:`` lines of a robots.txt;
- ``parse_sitemap(body, base_url)``: the URLs of an XML sitemap with their ``lastmod``, or the
  child sitemaps of a sitemap index (gzip-compressed sitemaps too, bounded when unpacked);
- ``changed_since(entries, since)``: the entries dated after ``since``.

XML is parsed without resolving entities or fetching anything (no XXE, no billion laughs),
element names are matched without their namespace, and broken input yields what could be read,
never an exception. Pure functions: no Scrapy, no settings.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})
# The most bytes a gzip-compressed sitemap may unpack to (the sitemap protocol's own limit
# is 50 MB uncompressed).
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Entry:
    """A page a feed or a sitemap names, and the date it gives (None: none, or unreadable)."""

    url: str
    updated: dt.datetime | None = None  # timezone-aware


@dataclass(frozen=True, slots=True)
class Sitemap:
    """What one sitemap file holds: page entries (a urlset) or child sitemaps (an index)."""

    entries: tuple[Entry, ...] = ()
    sitemaps: tuple[str, ...] = ()


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_pis=True
    )


def _root(body: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(body.lstrip(), _parser())
    except (etree.XMLSyntaxError, ValueError):
        return None


def _name(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _name(child) == name]


def _text(element: etree._Element, *names: str) -> str | None:
    for name in names:
        for child in _children(element, name):
            text = (child.text or "").strip()
            if text:
                return text
    return None


def _absolute(url: str | None, base_url: str) -> str | None:
    if not url:
        return None
    joined = urljoin(base_url, url.strip())
    return joined if urlsplit(joined).scheme in ("http", "https") else None


def parse_date(text: str | None) -> dt.datetime | None:
    """An RFC 822 date (RSS) or a W3C/ISO 8601 one (Atom, sitemaps), timezone-aware (UTC when
    it names no zone); None when unreadable."""
    if not text:
        return None
    text = text.strip()
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def feed_links(html: str, base_url: str) -> list[str]:
    """The RSS/Atom feeds a page names in ``<link rel="alternate" type=...>``, absolute, in
    order, each once."""
    try:
        document = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        url = _absolute(link.get("href"), base_url)
        if "alternate" in rel and kind in FEED_TYPES and url and url not in found:
            found.append(url)
    return found


def _rss_item(item: etree._Element, base_url: str) -> Entry | None:
    url = _absolute(_text(item, "link"), base_url)
    if url is None:  # a permalink guid stands in for a missing link
        for guid in _children(item, "guid"):
            if (guid.get("isPermaLink") or "true").lower() == "true":
                url = _absolute((guid.text or "").strip(), base_url)
    if url is None:
        return None
    return Entry(url, parse_date(_text(item, "pubdate", "date", "updated")))


def _atom_entry(entry: etree._Element, base_url: str) -> Entry | None:
    url = None
    for link in _children(entry, "link"):
        if (link.get("rel") or "alternate") == "alternate":
            url = _absolute(link.get("href"), base_url)
            if url:
                break
    if url is None:
        return None
    return Entry(url, parse_date(_text(entry, "updated", "published")))


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    """The entries of an RSS 2.0, RSS 1.0 or Atom feed, in the feed's order; [] when it is
    none of them."""
    root = _root(body)
    if root is None:
        return []
    entries: list[Entry | None] = []
    if _name(root) == "feed":  # Atom
        entries = [_atom_entry(e, base_url) for e in _children(root, "entry")]
    elif _name(root) in ("rss", "rdf"):
        channels = _children(root, "channel")
        items = [i for c in channels for i in _children(c, "item")] + _children(root, "item")
        entries = [_rss_item(i, base_url) for i in items]
    return [e for e in entries if e is not None]


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """The sitemaps a robots.txt names (``Sitemap:`` lines, any group), absolute, each once."""
    found: list[str] = []
    for match in SITEMAP_LINE.finditer(text):
        url = _absolute(match.group(1), base_url)
        if url and url not in found:
            found.append(url)
    return found


def _unpacked(body: bytes) -> bytes | None:
    if not body.startswith(GZIP_MAGIC):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as unpacked:
            data = unpacked.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError):
        return None
    return data if len(data) <= MAX_SITEMAP_BYTES else None


def parse_sitemap(body: bytes, base_url: str) -> Sitemap:
    """The page entries of a sitemap (``urlset``) or the child sitemaps of an index."""
    data = _unpacked(body)
    root = _root(data) if data is not None else None
    if root is None:
        return Sitemap()
    if _name(root) == "sitemapindex":
        children = (_absolute(_text(s, "loc"), base_url) for s in _children(root, "sitemap"))
        return Sitemap(sitemaps=tuple(dict.fromkeys(c for c in children if c)))
    if _name(root) != "urlset":
        return Sitemap()
    entries = []
    for url in _children(root, "url"):
        loc = _absolute(_text(url, "loc"), base_url)
        if loc:
            entries.append(Entry(loc, parse_date(_text(url, "lastmod"))))
    return Sitemap(entries=tuple(entries))


def changed_since(entries: Iterable[Entry], since: dt.datetime | None) -> list[Entry]:
    """The entries dated after ``since`` (all dated ones when ``since`` is None); undated
    entries say nothing and are left out."""
    return [e for e in entries if e.updated is not None and (since is None or e.updated > since)]
