"""Extraction for the Migration Policy Institute site (Drupal 7).

Reads the structure Drupal renders, not one page's quirks:

- Listing pages: every Views row (``.views-row``) of every block in the main content
  (featured blocks, quicktabs tabs), its fields (``views-field-*``) and the block it sits in;
  pagers (``ul.pager``, including the multi-pager form ``page=0,0,2``) and quicktabs tabs
  give the next listing pages. Sidebars, menus and footers are not read.
- Publication pages: the canonical link, the node (``.node-<type>``) and its fields, meta
  tags (``og:*``, hreflang alternates) and the translation link.

Raw text only: cleaning, parsing dates, splitting authors and mapping labels happen in the
pipelines. Image ``alt`` text is never read: on this site it is usually a file name.

Hostile markup never raises: a link no URL parser accepts is skipped like a missing one, a
canonical link that is not http(s) is ignored, and a displayed date is read as its first line
(an unclosed date ``<span>`` swallows the rest of the page). Listing rows that cannot be used
are counted by reason (``no_link``, ``offsite_link``, ``file_link``, ``not_publication_path``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector, SelectorList
from scrapy.http import TextResponse
from scrapy.utils.response import get_base_url

from regmig_scraper.items import SOURCE_LISTING, SOURCE_PAGE, Record, new_record
from regmig_scraper.normalize.urls import host_of, normalize_url, rebase
from regmig_scraper.sites.base import PAGER, TAB, ListingLink, ListingPage
from regmig_scraper.sites.markup import (
    absolute,
    attribute,
    element_text,
    first_text,
    join_url,
    link_href,
    meta_content,
    origin_of,
    visible_text,
)
from regmig_scraper.sites.mpi.pager import (
    isolate,
    normalize_listing_url,
    page_vector_of,
    pager_element,
)

# Where a page's own content lives (Drupal 7 themes); the whole body is the last resort.
MAIN_CONTENT = ("#content", "[role=main]", ".region-content", "main", "body")

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

# Paths that are never publications, whatever links to them.
NOT_PUBLICATION_PATH = re.compile(
    r"^/(about|topics|regions|programs|user|search|rss|taxonomy|sites/default/files|"
    r"contact|support|newsletter|events/?$|research/?$|multimedia/?$)(/|$)",
    re.IGNORECASE,
)
# File links (PDFs, images, data) are downloads, not publication pages.
FILE_EXTENSION = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|csv|zip|jpe?g|png|gif|svg|mp3|mp4|xml|txt)$", re.IGNORECASE
)

# Views rows in every style Drupal renders: unformatted/list (``.views-row``), table rows
# and grid cells (which carry no ``views-row`` class).
VIEWS_ROWS = ".views-row, table.views-table > tbody > tr, table.views-view-grid td:not(:empty)"
# Views fields, by what they hold (substring of the ``views-field-*`` class).
TITLE_FIELD_PATTERN = re.compile(r"views-field-(title|field-title|name)\b")
TYPE_FIELD_PATTERN = re.compile(r"views-field-(type|field-[a-z-]*type)\b")
AUTHOR_FIELD_PATTERN = re.compile(r"views-field-field-(authors?|byline|experts?|people)\b")
DATE_FIELD_PATTERN = re.compile(r"views-field-(field-[a-z-]*date[a-z-]*|created|changed)\b")
# Rows rendered as node teasers rather than as fields.
TEASER_NODE_TITLE = ("h2 a", "h3 a", ".node-title a", "h2", "h3")
TEASER_NODE_SUMMARY = (".field-name-body p", ".field-name-field-teaser", ".content p")
SUMMARY_FIELD_PATTERN = re.compile(
    r"views-field-(field-teaser|body|field-summary|field-description|field-subtitle)\b"
)
DATE_DISPLAY = (".date-display-single", ".date-display-start", "[property='dc:date']")
DATE_DISPLAY_CLASSES = frozenset({"date-display-single", "date-display-start"})

# Publication page fields.
PAGE_TITLE = ("h1#page-title", "h1.title", "h1.page-title", "#content h1", "h1")
PAGE_TYPE_LABEL = (
    ".pub-type",
    ".field-name-field-publication-type",
    ".field-name-field-multimedia-type",
    ".field-name-field-article-type",
    ".field-name-field-event-type",
    ".event-type",
    ".field-name-field-type",
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
PAGE_AUTHORS = (".field-name-field-authors", ".byline", ".field-name-field-author")
PAGE_BODY = (".field-name-body .field-item", ".field-name-body", ".node .content")
FIELD_LABEL = ".field-label, .views-label, .label-inline, .label-above"
LABEL_CLASSES = frozenset({"field-label", "views-label", "label-inline", "label-above"})

# Text of a link to the same publication in another language ("en español", "in English").
TRANSLATION_LINK_TEXT = (
    re.compile(r"\ben\s+espa[ñn]ol\b", re.IGNORECASE),
    re.compile(r"\bin\s+english\b|\ben\s+ingl[eé]s\b", re.IGNORECASE),
)


def _content_scope(selector: Selector) -> Selector:
    for query in MAIN_CONTENT:
        found = selector.css(query)
        if found:
            return found[0]
    return selector


def _classes(selector: Selector) -> list[str]:
    return (attribute(selector, "class") or "").split()


def _meta(response: TextResponse) -> dict:
    """The request's meta (empty for a response built without a request, as in tests)."""
    try:
        return response.meta or {}
    except AttributeError:
        return {}


def _program_path(response: TextResponse) -> str:
    """The path of the program a listing page belongs to: the path it was requested on
    (before any redirect), which the program's own pager and tab links keep."""
    requested = _meta(response).get("redirect_urls") or [response.url]
    return urlsplit(requested[0]).path.rstrip("/")


def _join(response: TextResponse, href: str | None) -> str | None:
    """``href`` made absolute as the page's links are (``<base href>`` first), if it is an
    http(s) URL; None for a link no parser accepts (a hostile ``<base>`` is ignored)."""
    try:
        base = get_base_url(response)
    except ValueError:
        base = response.url
    return join_url(base, href)


class MpiDrupalSite:
    """Extractor for migrationpolicy.org and its mirrors."""

    name = "mpi"
    hosts = ("migrationpolicy.org", "migrationpolicyinstitute-europe.com")

    # ------------------------------------------------------------------ listing pages
    def listing_url(self, url: str) -> str:
        return normalize_listing_url(url)

    def extract_listing(
        self, response: TextResponse, seen: Callable[[str, str | None], bool] | None = None
    ) -> ListingPage:
        scope = _content_scope(response.selector)
        program = first_text(response.selector, *PAGE_TITLE) or _title_from_head(response)
        page = ListingPage(program=program)
        site_hosts = self._site_hosts(response)
        origin = self._site_origin(response)
        for row in scope.css(VIEWS_ROWS):
            record, reason = self._teaser(row, response, site_hosts, program, origin, seen)
            if record is None:
                page.skipped[reason or "unknown"] += 1
            else:
                page.teasers.append(record)
        page.links = self._listing_links(scope, response, site_hosts)
        # A pager page past the first: if it shows nothing new, its pager ran out.
        page.is_continuation = bool(page_vector_of(response.url))
        return page

    def _site_hosts(self, response: TextResponse) -> set[str]:
        """Hosts that are this site: the crawl's host and the host the canonical link names."""
        hosts = {host_of(response.url)}
        canonical = _join(response, link_href(response.selector, "canonical"))
        if canonical:
            hosts.add(host_of(canonical))
        return hosts

    def _on_site(self, url: str, response: TextResponse, site_hosts: set[str]) -> str | None:
        """``url`` moved onto the crawl's host if it is on this site, else None (offsite)."""
        host = host_of(url)
        if host == host_of(response.url):
            return url
        if host in site_hosts or host.removeprefix("www.") in {
            h.removeprefix("www.") for h in site_hosts
        }:
            return rebase(url, origin_of(response.url))
        return None

    def _teaser(
        self,
        row: Selector,
        response: TextResponse,
        site_hosts: set[str],
        program: str | None,
        origin: str,
        seen: Callable[[str, str | None], bool] | None = None,
    ) -> tuple[Record | None, str | None]:
        fields = _RowFields(row.root)
        link = self._teaser_link(fields, response, site_hosts)
        if link is None:
            hrefs = absolute(response.url, [a.get("href") for a in fields.anchors])
            offsite = any(self._on_site(url, response, site_hosts) is None for url in hrefs)
            return None, "offsite_link" if offsite else "no_link"
        path = urlsplit(link).path
        if FILE_EXTENSION.search(path):
            return None, "file_link"
        if NOT_PUBLICATION_PATH.match(path):
            return None, "not_publication_path"
        url = normalize_url(rebase(link, origin))
        block = _block_name(row.root)
        sighting = {
            "source": SOURCE_LISTING,
            # Named on the site's own host (a mirror's links are moved back), so that a
            # teaser whose page cannot be fetched still carries the publication's real URL.
            "url": url,
            "request_url": link,
            "listing_url": response.url,
            "block": block,
            "position": _row_position(row),
        }
        if seen is not None and seen(url, block):
            # The block rendered this row before (on another pager page): the same view
            # display renders the same fields, so only where it was seen is new.
            return new_record(**sighting, repeat=True), None
        record = new_record(
            **sighting,
            program=program,
            title=fields.title(),
            content_type_label=fields.text(TYPE_FIELD_PATTERN),
            authors_raw=fields.text(AUTHOR_FIELD_PATTERN),
            summary=fields.text(SUMMARY_FIELD_PATTERN),
        )
        if not fields.fields:
            # A row rendered as a node teaser rather than as Views fields.
            record["title"] = first_text(row, *TEASER_NODE_TITLE)
            record["content_type_label"] = first_text(row, *PAGE_TYPE_LABEL, exclude=FIELD_LABEL)
            record["authors_raw"] = first_text(row, *PAGE_AUTHORS, exclude=FIELD_LABEL)
            record["summary"] = first_text(row, *TEASER_NODE_SUMMARY)
        if fields.date is not None:
            record["date_raw"] = _first_line(element_text(fields.date))
        else:
            record["date_raw"] = fields.text(DATE_FIELD_PATTERN)
        return record, None

    def _site_origin(self, response: TextResponse) -> str:
        """Scheme and host the site names itself by (its canonical link), else the crawl's."""
        canonical = _join(response, link_href(response.selector, "canonical"))
        return origin_of(canonical or response.url)

    def _teaser_link(
        self, fields: _RowFields, response: TextResponse, site_hosts: set[str]
    ) -> str | None:
        """The publication a row links to: its title link first, then any other field's link.

        Links inside author fields point to people, not to the publication.
        """
        for url in absolute(response.url, fields.link_candidates()):
            on_site = self._on_site(url, response, site_hosts)
            if on_site is not None:
                return on_site
        return None

    def _listing_links(
        self, scope: Selector, response: TextResponse, site_hosts: set[str]
    ) -> list[ListingLink]:
        """Pager and quicktabs links of this program: those on its program page's path.

        Each of Drupal's pagers is followed on its own (the others back on their first
        page), so several pagers on one page do not multiply into every combination.
        """
        program_path = _program_path(response)
        current_vector = page_vector_of(response.url)
        found: dict[str, ListingLink] = {}
        for pager in scope.css("ul.pager, ul.quicktabs-tabs"):
            kind = TAB if "quicktabs-tabs" in _classes(pager) else PAGER
            hrefs = absolute(response.url, pager.css("a::attr(href)").getall())
            element = pager_element(hrefs, current_vector)
            for url in hrefs:
                on_site = self._on_site(url, response, site_hosts)
                if on_site is None or urlsplit(on_site).path.rstrip("/") != program_path:
                    continue
                vector = page_vector_of(on_site)
                if element is not None and vector:
                    vector = tuple(isolate(vector, element))
                listing = normalize_listing_url(on_site, page_vector=vector)
                if listing not in found:
                    found[listing] = ListingLink(listing, kind, max(vector, default=0))
        return list(found.values())

    # -------------------------------------------------------------- publication pages
    def is_publication_kind(self, page_kind: str | None) -> bool:
        return page_kind is not None and page_kind not in NOT_PUBLICATION_KINDS

    def extract_publication(self, response: TextResponse) -> Record:
        selector = response.selector
        scope = _content_scope(selector)
        canonical_href = link_href(selector, "canonical") or meta_content(selector, "og:url")
        canonical = normalize_url(_join(response, canonical_href) or response.url)
        origin = origin_of(canonical)
        node = scope.css(".node")
        node = node[0] if node else None
        page_kind = _node_kind(node) if node is not None else None

        title = first_text(scope, *PAGE_TITLE) or meta_content(selector, "og:title")
        title = title or _title_from_head(response)
        type_label = first_text(scope, *PAGE_TYPE_LABEL, exclude=FIELD_LABEL)
        if page_kind is None and (type_label or scope.css(", ".join(DATE_DISPLAY))):
            page_kind = "unknown"  # no node markup, but it reads like a publication

        date_raw = _page_date(scope)
        body = node if node is not None else scope
        paragraphs = [
            visible_text(p).strip() for p in body.css(", ".join(f"{q} p" for q in PAGE_BODY))
        ]
        paragraphs = list(dict.fromkeys(p for p in paragraphs if p))
        body_text = "\n\n".join(paragraphs) or first_text(body, *PAGE_BODY)
        summary = meta_content(selector, "og:description") or (
            paragraphs[0] if paragraphs else None
        )
        described = meta_content(selector, "description", "twitter:description")
        if not summary and described:
            summary = described

        alternates = [response.url, response.request.url if response.request else None]
        alternates += list(_meta(response).get("redirect_urls", []))
        alternates += [meta_content(selector, "og:url"), link_href(selector, "shortlink")]
        # The same addresses on the site's own host, as a mirror's teasers name them.
        alternates += [rebase(u, origin) for u in absolute(response.url, alternates)]
        alternate_urls = sorted(
            {normalize_url(u) for u in absolute(response.url, alternates)} - {canonical}
        )

        translations = self._translations(selector, scope, response, canonical, origin)
        pdf_hrefs = body.css("a::attr(href)").getall()
        pdf_urls = [
            rebase(u, origin) if host_of(u) == host_of(response.url) else u
            for u in absolute(response.url, pdf_hrefs)
            if urlsplit(u).path.lower().endswith(".pdf")
        ]
        return new_record(
            source=SOURCE_PAGE,
            url=canonical,
            request_url=response.request.url if response.request else response.url,
            alternate_urls=alternate_urls,
            page_kind=page_kind,
            program=_meta(response).get("program"),
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
        )

    def _translations(
        self,
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
            joined = _join(response, href)
            if joined is not None:
                found.add(normalize_url(rebase(joined, origin)))
        links = scope.css(".field-name-field-translation a, a[hreflang]")
        for anchor in scope.css("a"):
            text = visible_text(anchor)
            if any(pattern.search(text) for pattern in TRANSLATION_LINK_TEXT):
                links.append(anchor)
        for anchor in links:
            href = attribute(anchor, "href")
            if not href or href.startswith(("#", "mailto:", "javascript:")):
                continue
            url = _join(response, href)
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


class _RowFields:
    """One pass over a listing row: its Views fields, links and displayed date.

    Listing pages repeat every teaser in several blocks and pager pages, so this runs for
    tens of thousands of rows per crawl: it walks the row's element tree once, with lxml,
    instead of asking a CSS query per field.
    """

    __slots__ = ("anchors", "date", "fields")

    def __init__(self, row) -> None:
        self.fields: list[tuple[str, Any]] = []  # (class attribute, element), document order
        self.anchors: list[Any] = []
        self.date: Any = None
        for element in row.iter():
            if not isinstance(element.tag, str):
                continue
            classes = element.get("class") or ""
            if "views-field" in classes:
                self.fields.append((classes, element))
            if element.tag == "a":
                self.anchors.append(element)
            if self.date is None and (
                DATE_DISPLAY_CLASSES.intersection(classes.split())
                or element.get("property") == "dc:date"
            ):
                self.date = element

    def _field(self, pattern: re.Pattern[str]) -> Any:
        for classes, element in self.fields:
            if pattern.search(classes):
                return element
        return None

    def text(self, pattern: re.Pattern[str]) -> str | None:
        """Text of the first field matching ``pattern`` (its ``.field-content``, no label)."""
        for classes, element in self.fields:
            if not pattern.search(classes):
                continue
            content = next(
                (
                    child
                    for child in element.iter()
                    if "field-content" in (child.get("class") or "").split()
                ),
                element,
            )
            text = element_text(content, LABEL_CLASSES).strip()
            if text:
                return text
        return None

    def title(self) -> str | None:
        field = self._field(TITLE_FIELD_PATTERN)
        if field is None:
            return None
        for anchor in field.iter("a"):
            text = element_text(anchor).strip()
            if text:
                return text
        return element_text(field, LABEL_CLASSES).strip() or None

    def link_candidates(self) -> list[str | None]:
        """hrefs in order of trust: the title field's, then other non-author fields', then
        (for a row without Views fields) every link in the row."""
        if not self.fields:
            return [anchor.get("href") for anchor in self.anchors]
        title = self._field(TITLE_FIELD_PATTERN)
        hrefs = [a.get("href") for a in title.iter("a")] if title is not None else []
        for classes, element in self.fields:
            if not AUTHOR_FIELD_PATTERN.search(classes):
                hrefs.extend(a.get("href") for a in element.iter("a"))
        return hrefs


def _title_from_head(response: TextResponse) -> str | None:
    title = response.selector.xpath("//head/title/text()").get()
    if not title:
        return None
    return re.split(r"\s+[|–—-]\s+", title.strip())[0] or None


def _node_kind(node: Selector) -> str | None:
    for css_class in _classes(node):
        if css_class.startswith("node-") and css_class not in NODE_DISPLAY_CLASSES:
            return css_class[len("node-") :]
    if "node-page" in _classes(node):
        return "page"
    return None


def _page_date(scope: Selector) -> str | None:
    """The publication's date on its own page (an event's date is when it takes place)."""
    for query in PAGE_DATE:
        for container in scope.css(query):
            date = container.css(", ".join(DATE_DISPLAY))
            if date:
                text = _first_line(visible_text(date[0]))
                if text:
                    return text
    # A date field rendered as plain text.
    return first_text(scope, *PAGE_DATE_FIELDS, exclude=FIELD_LABEL)


def _first_line(text: str) -> str | None:
    """The first non-blank line of a date element's text: a displayed date is one line, and
    an unclosed ``<span class="date-display-single">`` swallows the rest of the page."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


def _block_name(row) -> str | None:
    """``<view id>/<display id>`` of the Views block a row sits in."""
    for ancestor in row.iterancestors():
        classes = (ancestor.get("class") or "").split()
        if "view" not in classes:
            continue
        view_id = display = None
        for css_class in classes:
            if css_class.startswith("view-id-"):
                view_id = css_class[len("view-id-") :]
            elif css_class.startswith("view-display-id-"):
                display = css_class[len("view-display-id-") :]
        if view_id is None:
            return None
        return f"{view_id}/{display}" if display else view_id
    return None


def _row_position(row: Selector) -> int | None:
    for css_class in _classes(row):
        match = re.fullmatch(r"views-row-(\d+)", css_class)
        if match:
            return int(match.group(1)) - 1
    return None
