"""Read the ``<meta>`` and ``<link>`` tags of a page's head into plain dictionaries.

``read_meta(root)`` maps each lower-cased ``name`` / ``property`` / ``itemprop`` /
``http-equiv`` to the list of its ``content`` values in page order (``citation_author`` repeats
once per author). ``read_links(root)`` maps each ``rel`` to its ``href`` values. Meta tags are read
everywhere in the document (some CMSs emit them in the body), ``itemprop`` tags only in the head
(in the body they belong to comments, related items and the like). Pure functions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import unescape

from regmig_scraper.metadata.document import Element

# Meta keys, grouped by the field they feed, in order of reliability within each group.
TITLE_KEYS = ("citation_title", "dc.title", "dcterms.title", "og:title", "twitter:title",
              "parsely-title", "sailthru.title")  # fmt: skip
PUBLISHED_KEYS = (
    "citation_publication_date", "citation_date", "citation_online_date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created", "dc.date.created",
    "article:published_time", "og:article:published_time", "og:published_time",
    "parsely-pub-date", "sailthru.date", "pubdate", "publishdate", "publish-date",
    "publish_date", "date", "dc.date.published", "article.published", "published_time",
    "datepublished", "original-publish-date", "release_date", "article_date_original",
    "cxenseparse:recs:publishtime", "date_published", "published-date",
)  # fmt: skip
# Any other key named like a publication date ("shareaholic:article_published_time").
PUBLISHED_KEY_NAME = re.compile(
    r"publi(?:shed|cation)[_:.-]?(?:time|date)|date[_:.-]?publi(?:shed|cation)|pub[_-]?date"
)
MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "dcterms.modified",
                 "dc.date.modified", "last-modified", "datemodified",
                 "sailthru.lastmodified")  # fmt: skip
AUTHOR_KEYS = ("citation_author", "dc.creator", "dcterms.creator", "article:author",
               "parsely-author", "sailthru.author", "author", "byl", "dc.creator.personalname",
               "twitter:creator")  # fmt: skip
DESCRIPTION_KEYS = ("og:description", "description", "dc.description", "dcterms.abstract",
                    "dcterms.description", "twitter:description", "citation_abstract")  # fmt: skip
LANGUAGE_KEYS = ("content-language", "dc.language", "dcterms.language", "citation_language",
                 "language", "og:locale")  # fmt: skip
SITE_NAME_KEYS = ("og:site_name", "application-name", "citation_journal_title",
                  "dc.publisher", "citation_publisher", "twitter:site", "publisher")  # fmt: skip
TYPE_KEYS = ("og:type", "parsely-type", "dc.type", "dcterms.type", "citation_article_type")


def read_meta(root: Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    head = root.find("head")
    for meta in root.iter("meta"):
        content = meta.get("content")
        if content is None:
            content = meta.get("value")
        if content is None or not content.strip():
            continue
        if "&" in content:  # double-escaped entities: content="Olive &amp;#038; Herb"
            content = unescape(content)
        content = " ".join(content.split())
        for attr in ("name", "property", "http-equiv"):
            key = meta.get(attr)
            if key:
                for one in key.lower().split():
                    found[one].append(content)
        key = meta.get("itemprop")
        if key and head is not None and _inside(meta, head):
            found[key.lower()].append(content)
    return dict(found)


def _inside(element: Element, ancestor: Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def read_links(root: Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for link in root.iter("link"):
        href = (link.get("href") or "").strip()
        rel = (link.get("rel") or "").lower().split()
        if href:
            for one in rel:
                found[one].append(href)
    return dict(found)


def first(meta: dict[str, list[str]], keys: tuple[str, ...]) -> tuple[str, str] | None:
    """The first (key, value) among ``keys``, in the order of ``keys``."""
    for key in keys:
        values = meta.get(key)
        if values:
            return key, values[0]
    return None
