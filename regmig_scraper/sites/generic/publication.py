"""Publication pages of any site: the generic metadata extractor, plus what a row needs.

``extract_metadata`` (``regmig_scraper.metadata``) reads title, dates, authors, language hints,
description, canonical URL and type hints; ``page_record`` turns its ``PageMetadata`` into
the raw record the pipelines normalize (pure, no Scrapy). The page's markup adds what the
metadata does not hold: the main text, PDF links, translation links, and the type label, from
the first source that names a type the vocabulary knows (``TYPE_LABEL_SOURCES``, in order):
the post's category links (``rel="tag"``/``"category"``) near its headline, its breadcrumbs,
a short label at its headline (a kicker above it, a type field between it and the text:
"Reports", "Commentaries"), its JSON-LD/OpenGraph type, a section of its URL (``/reports/``,
``/commentary/``, ``/events/``).

``page_kind`` says what the page is: a JSON-LD/OpenGraph type for a publication
(``article``, ``event``, ``report``...), ``page`` for a path that is never a publication,
``collection`` for archives and profiles, ``unknown`` for an untyped page with a title and a
date or a long main text; None for a page that reads as nothing (an error page served as 200).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from regmig_scraper.metadata import PageMetadata, extract_metadata
from regmig_scraper.normalize.content_types import map_content_type
from regmig_scraper.normalize.urls import normalize_url
from regmig_scraper.record import SOURCE_PAGE, Record, new_record
from regmig_scraper.sites.generic.links import (
    SiteHosts,
    is_file,
    is_publication_path,
    path_segments,
    site_hosts,
)
from regmig_scraper.sites.generic.listing import PAGE_ROOTS, in_sidebar
from regmig_scraper.sites.markup import element_text, join_url

Mapper = Callable[[str | None], tuple[str | None, bool]]

# The order type labels are looked for, written down once (see the module docstring).
TYPE_LABEL_SOURCES = ("category_link", "breadcrumb", "headline_label", "page_type", "url_section")

# Page types (``PageMetadata.page_types``, without their source) of publications -> label.
PUBLICATION_TYPES: dict[str, str | None] = {
    "report": "Report",
    "event": "Event",
    "educationevent": "Event",
    "businessevent": "Event",
    "videoobject": "Video",
    "podcastepisode": "Podcast",
    "audioobject": "Audio",
    "book": "Book",
    "pressrelease": "Press Release",
    "scholarlyarticle": None,
    "newsarticle": None,
    "blogposting": None,
    "article": None,
    "analysisnewsarticle": None,
    "opinionnewsarticle": "Commentary",
    "creativework": None,
}
# Page types of pages that are no publication.
NOT_PUBLICATION_TYPES = frozenset(
    {"collectionpage", "profilepage", "person", "searchresultspage", "aboutpage", "contactpage"}
)
# Text of a link to the same publication in another language.
TRANSLATION_LINK_TEXT = re.compile(
    r"\ben\s+espa[ñn]ol\b|\bin\s+english\b|\ben\s+ingl[eé]s\b|\bread\s+(this\s+)?in\b|"
    r"\bleer\s+en\b|\blea\s+(este\s+texto\s+)?en\b",
    re.IGNORECASE,
)
MIN_PARAGRAPH_WORDS = 4
# A type label at the headline is short (a kicker, a field: "Policy Briefs", "Video, Audio").
MAX_LABEL_CHARS = 40
# How far from the headline a label is looked for: the elements after it, up to the text's
# first paragraph; and the siblings before it (and before its wrapper).
HEADLINE_LABEL_SPAN = 40
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Main text long enough for an untyped, undated page to read as a publication.
MIN_ARTICLE_WORDS = 150


def _type_name(page_type: str) -> str:
    """``"jsonld:newsarticle"`` -> ``"newsarticle"``; ``"og:type:article"`` -> ``"article"``."""
    return page_type.rpartition(":")[2].lower()


def page_kind(metadata: PageMetadata, url: str, body_text: str | None = None) -> str | None:
    """What the page is (see the module docstring)."""
    if not is_publication_path(url):
        return "page"
    names = [_type_name(t) for t in metadata.page_types]
    publication = [n for n in names if n in PUBLICATION_TYPES]
    if publication:
        return publication[0]
    if any(n in NOT_PUBLICATION_TYPES for n in names):
        return "collection"
    if metadata.title and (
        metadata.published is not None or len((body_text or "").split()) >= MIN_ARTICLE_WORDS
    ):
        return "unknown"  # no type named, but titled and dated or long: reads like one
    return None


def type_label_of(
    metadata: PageMetadata,
    url: str,
    category_labels: Iterable[str],
    mapper: Mapper,
    headline_labels: Iterable[str] = (),
) -> tuple[str | None, str | None]:
    """``(label, source)``: the first label a source gives that the vocabulary knows."""

    def known(label: str | None) -> bool:
        return bool(label) and mapper(label)[1] and mapper(label)[0] is not None

    candidates: dict[str, list[str | None]] = {
        "category_link": list(category_labels),
        "breadcrumb": list(metadata.breadcrumbs[:-1]),
        "headline_label": list(headline_labels),
        "page_type": [PUBLICATION_TYPES.get(_type_name(t)) for t in metadata.page_types],
        "url_section": [s.replace("-", " ").title() for s in path_segments(url)[:-1]],
    }
    for source in TYPE_LABEL_SOURCES:
        for label in candidates[source]:
            if label and known(label):
                return label, source
    return None, None


def _iso(metadata: PageMetadata) -> str | None:
    """The publication date as ISO text of its precision ("2023-05-04", "2023-05", "2023")."""
    date = metadata.published
    if date is None or date.value is None:
        return None
    iso = date.value.isoformat()
    return {"day": iso, "month": iso[:7], "year": iso[:4]}.get(date.precision or "day", iso)


def page_record(
    metadata: PageMetadata,
    *,
    request_url: str,
    hosts: SiteHosts,
    body_text: str | None = None,
    category_labels: Iterable[str] = (),
    headline_labels: Iterable[str] = (),
    translation_urls: Iterable[str] = (),
    pdf_urls: Iterable[str] = (),
    alternate_urls: Iterable[str] = (),
    program: str | None = None,
    mapper: Mapper = map_content_type,
) -> Record:
    """The raw record of a publication page from its metadata (pure)."""
    canonical = join_url(metadata.url, metadata.canonical_url) or metadata.url
    url = normalize_url(hosts.named(canonical))
    label, _source = type_label_of(metadata, url, category_labels, mapper, headline_labels)
    hints = metadata.language_hints
    alternates = {
        normalize_url(hosts.named(u)) for u in (request_url, metadata.url, *alternate_urls)
    }
    alternates |= {normalize_url(u) for u in (request_url, metadata.url, *alternate_urls)}
    return new_record(
        source=SOURCE_PAGE,
        url=url,
        request_url=request_url,
        alternate_urls=sorted(alternates - {url}),
        page_kind=page_kind(metadata, url, body_text),
        program=program,
        title=metadata.title,
        content_type_label=label,
        date_raw=_iso(metadata),
        authors_raw="\n".join(metadata.authors) or None,
        summary=metadata.description,
        body_text=body_text,
        pdf_urls=list(dict.fromkeys(pdf_urls)),
        translation_urls=sorted(set(translation_urls) - {url}),
        html_lang=hints.get("html_lang"),
        content_lang=hints.get("jsonld"),
        og_locale=hints.get("og:locale"),
    )


def _main_text(root: Any) -> str | None:
    """The paragraphs of the element whose own paragraphs hold the most text."""
    scores: dict[int, tuple[Any, int]] = {}
    for paragraph in root.iter("p"):
        parent = paragraph.getparent()
        if parent is None or in_sidebar(parent, root):
            continue
        words = len(element_text(paragraph).split())
        element, total = scores.get(id(parent), (parent, 0))
        scores[id(parent)] = (element, total + words)
    if not scores:
        return None
    best = max(scores.values(), key=lambda pair: pair[1])[0]
    texts = [element_text(p).strip() for p in best.iterchildren("p")]
    return "\n\n".join(t for t in texts if len(t.split()) >= MIN_PARAGRAPH_WORDS) or None


def _category_labels(root: Any) -> list[str]:
    """Texts of category/tag links, those in the headline's header first."""
    labels: list[str] = []
    for anchor in root.iter("a"):
        rel = (anchor.get("rel") or "").lower().split()
        if ("tag" in rel or "category" in rel) and not in_sidebar(anchor, root):
            text = element_text(anchor).strip()
            if text:
                labels.append(text)
    return labels


def _headline(root: Any) -> Any:
    """The page's first ``<h1>`` with text outside page chrome, else None."""
    for h1 in root.iter("h1"):
        if element_text(h1).strip() and not in_sidebar(h1, root):
            return h1
    return None


def _short_leaf_text(element: Any) -> str | None:
    """The text of an element that holds no other element (or a link's), when short."""
    if not isinstance(element.tag, str) or element.tag in HEADINGS:
        return None
    if len(element) and element.tag != "a":
        return None
    text = element_text(element).strip()
    return text if text and len(text) <= MAX_LABEL_CHARS else None


def _headline_labels(root: Any) -> list[str]:
    """Short texts at the headline, nearest first: the siblings before the ``<h1>`` and
    before its wrapper (a kicker), then the elements after it up to the text's first
    paragraph (a type field under the title). Which of them name a type the vocabulary
    decides (``type_label_of``)."""
    h1 = _headline(root)
    if h1 is None:
        return []
    labels: list[str] = []
    parent = h1.getparent()
    for element in (h1, parent):
        if element is None or element.tag in PAGE_ROOTS:
            break  # the page's own containers: what comes before them is the page's header
        for sibling in element.itersiblings(preceding=True):
            for node in sibling.iter():
                text = _short_leaf_text(node)
                if text and not in_sidebar(node, root):
                    labels.append(text)
    for node in h1.xpath(f"following::*[position() <= {HEADLINE_LABEL_SPAN}]"):
        if node.tag == "p" and len(element_text(node).split()) >= MIN_PARAGRAPH_WORDS:
            break
        text = _short_leaf_text(node)
        if text and not in_sidebar(node, root):
            labels.append(text)
    return labels


def _translations(response: TextResponse, hosts: SiteHosts) -> list[str]:
    selector = response.selector
    found: set[str] = set()
    hrefs = [
        link.attrib.get("href")
        for link in selector.xpath("//head/link[@rel='alternate'][@hreflang]")
        if (link.attrib.get("hreflang") or "").lower() != "x-default"
    ]
    for anchor in selector.root.iter("a"):
        if TRANSLATION_LINK_TEXT.search(element_text(anchor)) and not in_sidebar(
            anchor, selector.root
        ):
            hrefs.append(anchor.get("href"))
    for href in hrefs:
        url = join_url(response.url, href)
        if url is not None and hosts.on_site(url) and is_publication_path(url):
            found.add(hosts.named(url))
    return sorted(found)


def _pdfs(response: TextResponse, hosts: SiteHosts) -> list[str]:
    urls = []
    for href in response.selector.xpath("//body//a/@href").getall():
        url = join_url(response.url, href)
        if url and is_file(url) and urlsplit(url).path.lower().endswith(".pdf"):
            urls.append(hosts.named(url) if hosts.on_site(url) else url)
    return urls


def extract_publication(
    response: TextResponse, *, mapper: Mapper = map_content_type, real_origin: str | None = None
) -> Record:
    """The raw record of a publication page (``page_kind`` None: it reads as no page)."""
    metadata = extract_metadata(response.text, response.url)
    canonical = join_url(response.url, metadata.canonical_url) or real_origin
    hosts = site_hosts(response.url, canonical)
    root = response.selector.root
    meta = response.meta if response.request is not None else {}
    request_url = response.request.url if response.request is not None else response.url
    return page_record(
        metadata,
        request_url=request_url,
        hosts=hosts,
        body_text=_main_text(root),
        category_labels=_category_labels(root),
        headline_labels=_headline_labels(root),
        translation_urls=_translations(response, hosts),
        pdf_urls=_pdfs(response, hosts),
        alternate_urls=[*meta.get("redirect_urls", []), meta.get("teaser_link") or request_url],
        program=meta.get("program"),
        mapper=mapper,
    )
