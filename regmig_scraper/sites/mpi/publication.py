"""MPI publication pages: the canonical link, the node (``.node-<type>``) and its fields, meta
tags (``og:*``, hreflang alternates) and the translation links.

The generic cascade (``regmig_scraper.metadata``) is the fallback under the selectors: a field
they cannot find (``FALLBACK_FIELDS``: title, date, authors, summary, PDFs, language hints) is
filled from ``extract_metadata`` on the same page, and ``provenance`` says which rule answered
(``"mpi"`` for the selectors, ``"generic:<rule>"`` for the cascade; the pipelines count both).
The page is parsed a second time only then: the cascade needs its own tree (it marks the
headline in it), so a page whose selectors find everything costs nothing more.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urlsplit

from parsel import Selector, SelectorList
from scrapy.http import TextResponse

from regmig_scraper.items import SOURCE_PAGE, Record, new_record
from regmig_scraper.metadata import extract_metadata
from regmig_scraper.metadata.record import metadata_fields
from regmig_scraper.normalize.urls import host_of, normalize_url, rebase
from regmig_scraper.sites.base import META_CANONICAL_IGNORED, META_TEASER_URL, claimed_by
from regmig_scraper.sites.markup import (
    absolute,
    attribute,
    element_text,
    first_text,
    link_href,
    meta_content,
    origin_of,
    visible_text,
)
from regmig_scraper.sites.mpi.page import (
    DATE_DISPLAY,
    FIELD_LABEL,
    PAGE_AUTHORS,
    PAGE_TITLE,
    PAGE_TYPE_LABEL,
    content_scope,
    css_classes,
    first_line,
    join_href,
    request_meta,
    title_from_head,
)
from regmig_scraper.sites.mpi.rules import MPI_HOSTS

# Drupal node types (``node-<type>`` classes) that are publications, and those that are not.
PUBLICATION_KINDS = frozenset(
    {
        "publication", "article", "commentary", "multimedia", "event", "video", "audio",
        "webinar", "podcast", "news", "press-release", "press_release", "book", "testimony",
        "fact-sheet", "report", "policy-brief", "blog", "blog-post", "feature",
    }
)  # fmt: skip

NOT_PUBLICATION_KINDS = frozenset(
    {"person", "people", "staff", "topic", "region", "program", "page", "webform", "panel"}
)

# node-* classes that describe the display, not the type.
NODE_DISPLAY_CLASSES = frozenset(
    {"node-full", "node-teaser", "node-promoted", "node-sticky", "node-unpublished", "node-page"}
)

PAGE_DATE = (
    ".event-when",
    ".field-name-field-date",
    ".field-name-field-event-date",
    ".field-name-field-publication-date",
    ".article-meta",
    ".node",
)

PAGE_DATE_FIELDS = (
    ".field-name-field-date",
    ".field-name-field-publication-date",
    ".field-name-field-event-date",
    ".date",
)

PAGE_POSTED = (".field-name-post-date", ".submitted", ".posted-date", ".field-name-field-posted")

PAGE_BODY = (".field-name-body .field-item", ".field-name-body", ".node .content")

# Text of a link to the same publication in another language ("en español", "in English").
TRANSLATION_LINK_TEXT = (
    re.compile(r"\ben\s+espa[ñn]ol\b", re.IGNORECASE),
    re.compile(r"\bin\s+english\b|\ben\s+ingl[eé]s\b", re.IGNORECASE),
)


# The rule name of a field the selectors found.
SITE_RULE = "mpi"
# Record field -> the provenance key of the field the cascade may fill when the selectors miss.
FALLBACK_FIELDS: dict[str, str] = {
    "title": "title",
    "date_raw": "published",
    "authors_raw": "authors",
    "summary": "summary",
    "pdf_urls": "pdf_urls",
}
LANGUAGE_HINT_FIELDS = ("html_lang", "content_lang", "og_locale")


def is_publication_kind(page_kind: str | None) -> bool:
    """Any node type but people, topic, program and plain pages: new types are kept."""
    return page_kind is not None and page_kind not in NOT_PUBLICATION_KINDS


def extract_publication(response: TextResponse) -> Record:
    """The raw record of a publication's own page (``page_kind`` None: not one)."""
    selector = response.selector
    scope = content_scope(selector)
    canonical = _canonical_url(response)
    origin = origin_of(canonical)
    node = scope.css(".node")
    node = node[0] if node else None
    page_kind = _node_kind(node) if node is not None else None

    title = first_text(scope, *PAGE_TITLE) or meta_content(selector, "og:title")
    title = title or title_from_head(response)
    type_label = first_text(scope, *PAGE_TYPE_LABEL, exclude=FIELD_LABEL)
    if page_kind is None and (type_label or scope.css(", ".join(DATE_DISPLAY))):
        page_kind = "unknown"  # no node markup, but it reads like a publication

    date_raw = _page_date(scope)
    body = node if node is not None else scope
    paragraphs = [visible_text(p).strip() for p in body.css(", ".join(f"{q} p" for q in PAGE_BODY))]
    paragraphs = list(dict.fromkeys(p for p in paragraphs if p))
    body_text = "\n\n".join(paragraphs) or first_text(body, *PAGE_BODY)
    summary = meta_content(selector, "og:description") or (paragraphs[0] if paragraphs else None)
    described = meta_content(selector, "description", "twitter:description")
    if not summary and described:
        summary = described

    alternates = [response.url, response.request.url if response.request else None]
    alternates += list(request_meta(response).get("redirect_urls", []))
    alternates += [meta_content(selector, "og:url"), link_href(selector, "shortlink")]
    # The same addresses on the site's own host, as a mirror's teasers name them.
    alternates += [rebase(u, origin) for u in absolute(response.url, alternates)]
    alternate_urls = sorted(
        {normalize_url(u) for u in absolute(response.url, alternates)} - {canonical}
    )

    translations = _translations(selector, scope, response, canonical, origin)
    pdf_hrefs = body.css("a::attr(href)").getall()
    pdf_urls = [
        rebase(u, origin) if host_of(u) == host_of(response.url) else u
        for u in absolute(response.url, pdf_hrefs)
        if urlsplit(u).path.lower().endswith(".pdf")
    ]
    record = new_record(
        source=SOURCE_PAGE,
        url=canonical,
        request_url=response.request.url if response.request else response.url,
        alternate_urls=alternate_urls,
        page_kind=page_kind,
        program=request_meta(response).get("program"),
        title=title,
        content_type_label=type_label,
        date_raw=date_raw,
        posted_raw=first_text(scope, *PAGE_POSTED, exclude=FIELD_LABEL),
        authors_raw=first_text(body, *PAGE_AUTHORS, exclude=FIELD_LABEL)
        if node is not None
        else first_text(scope, *PAGE_AUTHORS, exclude=FIELD_LABEL),
        summary=summary,
        body_text=body_text,
        pdf_urls=list(dict.fromkeys(pdf_urls)),
        translation_urls=translations,
        html_lang=_lang_attribute(selector.xpath("/html")),
        content_lang=_lang_attribute(node),
        og_locale=meta_content(selector, "og:locale"),
        modified_raw=meta_content(selector, "article:modified_time", "og:updated_time"),
    )
    return _with_fallback(record, response)


def _with_fallback(record: Record, response: TextResponse) -> Record:
    """Fill what the selectors missed from the generic cascade; record each field's rule."""
    missing = [f for f in FALLBACK_FIELDS if not record.get(f)]
    no_language = not any(record.get(f) for f in LANGUAGE_HINT_FIELDS)
    provenance = {FALLBACK_FIELDS[f]: SITE_RULE for f in FALLBACK_FIELDS if record.get(f)}
    if any(record.get(f) for f in LANGUAGE_HINT_FIELDS):
        provenance["language"] = SITE_RULE
    if record.get("modified_raw"):
        provenance["modified"] = SITE_RULE
    if missing or no_language:
        unknown_kind = record.get("page_kind") is None
        wanted = {FALLBACK_FIELDS[f] for f in missing} | {"modified"}
        if unknown_kind:
            wanted |= {"published", "authors"}  # what says the page reads like a publication
        found = metadata_fields(extract_metadata(response.text, response.url, wanted=wanted))
        generic = found["provenance"]
        for field in missing:
            key = FALLBACK_FIELDS[field]
            if found.get(field):
                record[field] = found[field]
                provenance[key] = generic[key]
        if "authors_raw" in missing and found.get("authors"):
            record["authors"] = found["authors"]  # the cascade's split, kept by the pipeline
        if no_language and "language" in generic:
            for field in LANGUAGE_HINT_FIELDS:
                if found.get(field):
                    record[field] = found[field]
            provenance["language"] = generic["language"]
        if not record.get("modified_raw") and found.get("modified_raw"):
            record["modified_raw"] = found["modified_raw"]
            provenance["modified"] = generic["modified"]
        dated = found.get("date_raw") and generic.get("published") != "generic:url"
        if unknown_kind and (dated or found.get("authors")):
            record["page_kind"] = "unknown"  # no node markup, but it reads like a publication
    record["provenance"] = provenance
    return record


def _same_site(host: str, hosts: set[str]) -> bool:
    return host.removeprefix("www.") in {h.removeprefix("www.") for h in hosts}


def _canonical_url(response: TextResponse) -> str:
    """The page's canonical URL, on the site's own host.

    The canonical link (else ``og:url``) is resolved against the document's base URL, so a
    relative or root-relative one works; one on the crawl's host (a copy served elsewhere)
    is moved onto the site's host that the teaser named, as listing links are. A canonical
    on another site is ignored (the page's own URL stands, and the response's meta says
    why under ``META_CANONICAL_IGNORED``): a page cannot claim another site's address.
    """
    page_url = response.url
    teaser_url = request_meta(response).get(META_TEASER_URL)
    site_origin = origin_of(teaser_url) if teaser_url else None
    if site_origin and host_of(site_origin) != host_of(page_url):
        page_url = rebase(page_url, site_origin)  # a mirror's page, named as the teaser does
    href = link_href(response.selector, "canonical") or meta_content(response.selector, "og:url")
    joined = join_href(response, href)
    if joined is None:
        return normalize_url(page_url)
    host = host_of(joined)
    if host == host_of(response.url):
        return normalize_url(rebase(joined, origin_of(page_url)))
    site_hosts = {host_of(page_url)}
    if _same_site(host, site_hosts) or claimed_by(host, MPI_HOSTS) is not None:
        return normalize_url(joined)
    with contextlib.suppress(AttributeError):
        response.meta[META_CANONICAL_IGNORED] = "offsite"
    return normalize_url(page_url)


def _translations(
    selector: Selector,
    scope: Selector,
    response: TextResponse,
    canonical: str,
    origin: str,
) -> list[str]:
    """Other-language versions: hreflang alternates and "en español"-style links."""
    found: set[str] = set()
    for link in selector.xpath("//head/link[@rel='alternate'][@hreflang]"):
        href, lang = attribute(link, "href"), attribute(link, "hreflang") or ""
        if not href or lang.lower() in ("x-default", ""):
            continue
        joined = join_href(response, href)
        if joined is not None:
            found.add(normalize_url(rebase(joined, origin)))
    hrefs = [
        attribute(anchor, "href")
        for anchor in scope.css(".field-name-field-translation a, a[hreflang]")
    ]
    # every link of the text is read for its words: lxml's elements, not a selector each
    root = scope.root
    for anchor in root.iter("a") if hasattr(root, "iter") else ():
        text = element_text(anchor)
        if any(pattern.search(text) for pattern in TRANSLATION_LINK_TEXT):
            hrefs.append(anchor.get("href"))
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        url = join_href(response, href)
        if url is None or host_of(url) not in (host_of(response.url), host_of(canonical)):
            continue
        found.add(normalize_url(rebase(url, origin)))
    return sorted(found - {canonical})


def _lang_attribute(element: Selector | SelectorList | None) -> str | None:
    """``lang`` or ``xml:lang`` of an element (XHTML pages carry only the latter)."""
    if element is None or not element:
        return None
    first = element if isinstance(element, Selector) else element[0]
    value = attribute(first, "lang") or attribute(first, "xml:lang")
    return value.strip() if value and value.strip() else None


def _node_kind(node: Selector) -> str | None:
    for css_class in css_classes(node):
        if css_class.startswith("node-") and css_class not in NODE_DISPLAY_CLASSES:
            return css_class[len("node-") :]
    if "node-page" in css_classes(node):
        return "page"
    return None


def _page_date(scope: Selector) -> str | None:
    """The publication's date on its own page (an event's date is when it takes place)."""
    for query in PAGE_DATE:
        for container in scope.css(query):
            date = container.css(", ".join(DATE_DISPLAY))
            if date:
                text = first_line(visible_text(date[0]))
                if text:
                    return text
    # A date field rendered as plain text.
    return first_text(scope, *PAGE_DATE_FIELDS, exclude=FIELD_LABEL)
