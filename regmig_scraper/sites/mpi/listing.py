"""MPI listing pages: every Views row of every block, and the program's pager and tab links.

Reads every Views row (``.views-row``, table rows, grid cells) of every block in the main
content (featured blocks, quicktabs tabs), its fields (``views-field-*``) and the block it
sits in; pagers (``ul.pager``, including the multi-pager form ``page=0,0,2``, see
``pager``) and quicktabs tabs give the next listing pages. Sidebars, menus and footers are not
read. Rows that cannot be used are counted by reason (``no_link``, ``offsite_link``,
``file_link``, ``not_publication_path``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import TextResponse

from regmig_scraper.items import SOURCE_LISTING, Record, new_record
from regmig_scraper.normalize.urls import host_of, normalize_url, rebase
from regmig_scraper.sites.base import PAGER, TAB, ListingLink, ListingPage
from regmig_scraper.sites.markup import (
    absolute,
    element_text,
    first_text,
    link_href,
    origin_of,
)
from regmig_scraper.sites.mpi.page import (
    DATE_DISPLAY_CLASSES,
    FIELD_LABEL,
    LABEL_CLASSES,
    PAGE_AUTHORS,
    PAGE_TITLE,
    PAGE_TYPE_LABEL,
    base_url,
    content_scope,
    css_classes,
    first_line,
    join_href,
    request_meta,
    title_from_head,
)
from regmig_scraper.sites.mpi.pager import (
    isolate,
    normalize_listing_url,
    page_vector_of,
    pager_element,
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


def extract_listing(
    response: TextResponse, seen: Callable[[str, str | None], bool] | None = None
) -> ListingPage:
    """Teasers of every block on a program page, and its pager and tab links (see
    ``SiteExtractor.extract_listing``)."""
    scope = content_scope(response.selector)
    program = first_text(response.selector, *PAGE_TITLE) or title_from_head(response)
    page = ListingPage(program=program)
    site_hosts = _site_hosts(response)
    origin = _site_origin(response)
    for row in scope.css(VIEWS_ROWS):
        record, reason = _teaser(row, response, site_hosts, program, origin, seen)
        if record is None:
            page.skipped[reason or "unknown"] += 1
        else:
            page.teasers.append(record)
    page.links = _listing_links(scope, response, site_hosts)
    # A pager page past the first: if it shows nothing new, its pager ran out.
    page.is_continuation = bool(page_vector_of(response.url))
    return page


def _site_hosts(response: TextResponse) -> set[str]:
    """Hosts that are this site: the crawl's host and the host the canonical link names."""
    hosts = {host_of(response.url)}
    canonical = join_href(response, link_href(response.selector, "canonical"))
    if canonical:
        hosts.add(host_of(canonical))
    return hosts


def _on_site(url: str, response: TextResponse, site_hosts: set[str]) -> str | None:
    """``url`` moved onto the crawl's host if it is on this site, else None (offsite)."""
    host = host_of(url)
    if host == host_of(response.url):
        return url
    if host in site_hosts or host.removeprefix("www.") in {
        h.removeprefix("www.") for h in site_hosts
    }:
        return rebase(url, origin_of(response.url))
    return None


def _site_origin(response: TextResponse) -> str:
    """Scheme and host the site names itself by (its canonical link), else the crawl's."""
    canonical = join_href(response, link_href(response.selector, "canonical"))
    return origin_of(canonical or response.url)


def _teaser(
    row: Selector,
    response: TextResponse,
    site_hosts: set[str],
    program: str | None,
    origin: str,
    seen: Callable[[str, str | None], bool] | None = None,
) -> tuple[Record | None, str | None]:
    fields = _RowFields(row.root)
    link = _teaser_link(fields, response, site_hosts)
    if link is None:
        hrefs = absolute(base_url(response), [a.get("href") for a in fields.anchors])
        offsite = any(_on_site(url, response, site_hosts) is None for url in hrefs)
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
        # On repeats too: the row's program must not depend on which sighting came first.
        "program": program,
    }
    if seen is not None and seen(url, block):
        # The block rendered this row before (on another pager page): the same view
        # display renders the same fields, so only where it was seen is new.
        return new_record(**sighting, repeat=True), None
    record = new_record(
        **sighting,
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
        record["date_raw"] = first_line(element_text(fields.date))
    else:
        record["date_raw"] = fields.text(DATE_FIELD_PATTERN)
    return record, None


def _teaser_link(fields: _RowFields, response: TextResponse, site_hosts: set[str]) -> str | None:
    """The publication a row links to: its title link first, then any other field's link.

    Links inside author fields point to people, not to the publication.
    """
    for url in absolute(base_url(response), fields.link_candidates()):
        on_site = _on_site(url, response, site_hosts)
        if on_site is not None:
            return on_site
    return None


def _listing_links(
    scope: Selector, response: TextResponse, site_hosts: set[str]
) -> list[ListingLink]:
    """Pager and quicktabs links of this program: those on its program page's path.

    Each of Drupal's pagers is followed on its own (the others back on their first
    page), so several pagers on one page do not multiply into every combination.
    """
    program_paths = _program_paths(response)
    current_vector = page_vector_of(response.url)
    found: dict[str, ListingLink] = {}
    base = base_url(response)
    for pager in scope.css("ul.pager, ul.quicktabs-tabs"):
        kind = TAB if "quicktabs-tabs" in css_classes(pager) else PAGER
        block = _block_name(pager.root) if kind == PAGER else None
        hrefs = absolute(base, pager.css("a::attr(href)").getall())
        element = pager_element(hrefs, current_vector)
        for url in hrefs:
            on_site = _on_site(url, response, site_hosts)
            if on_site is None or urlsplit(on_site).path.rstrip("/") not in program_paths:
                continue
            vector = page_vector_of(on_site)
            if element is not None and vector:
                vector = tuple(isolate(vector, element))
            listing = normalize_listing_url(on_site, page_vector=vector)
            if listing not in found:
                found[listing] = ListingLink(listing, kind, max(vector, default=0), block)
    return list(found.values())


def _program_paths(response: TextResponse) -> set[str]:
    """The paths of the program a listing page belongs to, which its own pager and tab links
    keep: the path it was requested on and, when it redirected (a program page that moved),
    the path it reached and the one its canonical link names."""
    requested = request_meta(response).get("redirect_urls") or [response.url]
    paths = {urlsplit(requested[0]).path, urlsplit(response.url).path}
    if request_meta(response).get("redirect_urls"):
        canonical = join_href(response, link_href(response.selector, "canonical"))
        if canonical:
            paths.add(urlsplit(canonical).path)
    return {path.rstrip("/") for path in paths}


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
    for css_class in css_classes(row):
        match = re.fullmatch(r"views-row-(\d+)", css_class)
        if match:
            return int(match.group(1)) - 1
    return None
