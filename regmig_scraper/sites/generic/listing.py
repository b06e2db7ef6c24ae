"""Listing pages of any site: the blocks of repeated teasers, the pager, the other language.

No selector of any theme. A *teaser* is an element that links to exactly one publication
page of the site (its image and its title may both link to it) and shows it with a heading
or a long enough link text. A *block* is a parent whose children of one tag are teasers of
at least ``MIN_BLOCK_ROWS`` distinct publications: a list of cards, ``<li>`` items,
``<article>`` elements, Views rows, table rows. What is not the program's own listing is left
out by structure: elements inside page chrome (``nav``, ``header``, ``footer``, ``aside``,
forms, ARIA landmarks other than ``main``, sidebars and widgets), and blocks headed
"Related", "Most read", "Popular"... (``SIDEBAR_HEADING``). Links to people, taxonomies,
feeds, registration pages and files are never publications (``links.is_publication_path``).

Pager links are the links to the same listing with another page number, in every form
(``links.pager_position``), wherever they sit (the head's ``<link rel="next">``, a pager
``<nav>``, "Next »", "Siguiente", "Load more", numbers that skip); a page past the first is a
continuation. The program's other-language versions (``hreflang`` alternates, a language
switcher's ``a[hreflang]``) are tabs of the program, read on its first page.

The teasers of a record name their listing as their ``block`` (``links.listing_block``: the
pager, whatever the page; each tab and language version a block of its own). A publication a
block's view (the container of its rows) showed already is a bare repeat on that block's
other pages, but is read in full in another view or block: which sighting is read does not
depend on the order pages arrive in, which differs between a full walk and a nightly one
(``regmig_scraper.incremental``).

A site profile (``profile.SiteProfile``) may name the listing's CSS selector and the paths
publications live under, for sites where discovery needs help.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from scrapy.http import TextResponse

from regmig_scraper.metadata.cascade import RDFA_PUBLISHED_PROPERTIES
from regmig_scraper.metadata.dates import find_date_in_text
from regmig_scraper.metadata.markup import NOT_PUBLISHED
from regmig_scraper.normalize.content_types import map_content_type
from regmig_scraper.record import SOURCE_LISTING, new_record
from regmig_scraper.sites.base import PAGER, TAB, ListingLink, ListingPage
from regmig_scraper.sites.generic.links import (
    LANGUAGE_SEGMENT,
    SiteHosts,
    is_publication_path,
    listing_block,
    listing_request_url,
    pager_position,
    path_segments,
    site_hosts,
    tab_of,
)
from regmig_scraper.sites.generic.profile import SiteProfile
from regmig_scraper.sites.markup import element_text, join_url, link_href, meta_content

Mapper = Callable[[str | None], tuple[str | None, bool]]
MIN_BLOCK_ROWS = 2
# A lone row joins the listing when it shares this much of a block's row classes.
ALIKE_SHARE = 0.5
# Class words of a row's place in its view, not of its kind.
ROW_STATE = re.compile(r"(^|-)(first|last|odd|even|active)$")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that are page chrome wherever they sit.
CHROME_TAGS = frozenset(
    {"nav", "header", "footer", "aside", "form", "script", "style", "noscript", "template"}
)
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
# Class or id words of chrome, shared by most themes (a whole word of a class, or its part
# between hyphens/underscores).
CHROME_WORDS = frozenset(
    {
        "sidebar", "widget", "widgets", "menu", "breadcrumb", "breadcrumbs", "related",
        "share", "sharing", "sharedaddy", "social", "cookie", "newsletter", "comments",
        "comment", "tagcloud", "footer", "navbar", "popular", "trending", "masthead",
    }
)  # fmt: skip
# Headings of blocks that are not the program's listing.
SIDEBAR_HEADING = re.compile(
    r"^\s*(related|most (read|popular|viewed|shared)|popular|trending|you may also like|"
    r"read next|more from|recommended|see also|also of interest|relacionad[oa]s?|"
    r"lo m[aá]s (le[ií]do|visto)|m[aá]s le[ií]d[oa]s|populares|te puede interesar|"
    r"recomendad[oa]s|ver tambi[eé]n)\b",
    re.IGNORECASE,
)
# Teaser text that names the publication's type is short.
MAX_LABEL_CHARS = 40
# A link whose text is a title has a few words.
MIN_TITLE_WORDS = 3
CLASS_PART = re.compile(r"[-_]+")
# Class prefixes of a state, not of a part of the page ("has-sidebar" on a page's wrapper).
STATE_PREFIXES = ("has-", "has_", "with-", "no-", "is-", "show-", "hide-")
# Where the walk up from a block stops: the page's own containers are never chrome.
PAGE_ROOTS = frozenset({"html", "body", "main"})


def _chrome_class(token: str) -> bool:
    """Whether one class or id token names chrome: the word itself, or the word with a
    prefix or suffix ("site-footer", "widget-area"), but not a state ("has-sidebar")."""
    if token.startswith(STATE_PREFIXES):
        return False
    parts = CLASS_PART.split(token)
    return parts[0] in CHROME_WORDS or parts[-1] in CHROME_WORDS


def is_chrome(element: Any) -> bool:
    """Whether one element is page chrome by its tag, role or class words."""
    if element.tag in CHROME_TAGS:
        return True
    if (element.get("role") or "").lower() in CHROME_ROLES:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    return any(_chrome_class(token) for token in names)


def _heading_of(element: Any) -> str | None:
    """The text of the heading that introduces ``element``: its own first heading child,
    else the nearest heading among its previous siblings."""
    for child in element:
        if isinstance(child.tag, str) and child.tag in HEADINGS:
            return element_text(child).strip()
    for sibling in element.itersiblings(preceding=True):
        if isinstance(sibling.tag, str) and sibling.tag in HEADINGS:
            return element_text(sibling).strip()
    return None


def in_sidebar(element: Any, root: Any) -> bool:
    """Whether ``element`` sits in chrome or in a block headed like a sidebar."""
    node = element
    while node is not None and node is not root and node.tag not in PAGE_ROOTS:
        if is_chrome(node):
            return True
        heading = _heading_of(node)
        if heading and SIDEBAR_HEADING.match(heading):
            return True
        node = node.getparent()
    return False


class ListingReader:
    """One listing page read: its hosts, and which of its links are publications."""

    def __init__(
        self,
        response: TextResponse,
        profile: SiteProfile,
        real_origin: str | None,
        mapper: Mapper = map_content_type,
    ):
        self.response = response
        self.profile = profile
        self.mapper = mapper
        canonical = link_href(response.selector, "canonical") or meta_content(
            response.selector, "og:url"
        )
        canonical = join_url(response.url, canonical)
        if canonical is None and real_origin is not None:
            canonical = real_origin
        self.hosts: SiteHosts = site_hosts(response.url, canonical)
        self.root = response.selector.root

    def publication(self, href: str | None) -> str | None:
        """The URL to request for a link to a publication of this site, else None."""
        url = join_url(self.response.url, href)
        if url is None:
            return None
        on_site = self.hosts.on_site(url)
        if on_site is None or not is_publication_path(on_site):
            return None
        if self.profile.paths and not self.profile.allows(on_site):
            return None
        if pager_position(on_site)[0] == pager_position(self.response.url)[0]:
            return None  # the listing itself
        return on_site

    def links_of(self, element: Any) -> dict[str, list[Any]]:
        """Publication URL -> the anchors in ``element`` that link to it."""
        found: dict[str, list[Any]] = {}
        for anchor in element.iter("a"):
            url = self.publication(anchor.get("href"))
            if url is not None:
                found.setdefault(url, []).append(anchor)
        return found


def _is_label(text: str, mapper: Mapper) -> bool:
    """Whether ``text`` is a type label the vocabulary knows ("Reports", "Commentaries")."""
    code, known = mapper(text)
    return known and code is not None


def _teaser_title(
    anchors: list[Any], element: Any = None, mapper: Mapper | None = None
) -> str | None:
    """The heading around or inside one of the anchors, else the teaser's own heading (a
    title above a "Read more" link), else the longest anchor text, unless it is a type label
    (a row that links its publication by its type: "Commentaries")."""
    for anchor in anchors:
        for ancestor in (anchor, *anchor.iterancestors()):
            if ancestor.tag in HEADINGS:
                return element_text(ancestor).strip() or None
            if ancestor is element or ancestor.tag in ("li", "article", "tr", "td"):
                break
        for child in anchor.iter(*HEADINGS):
            return element_text(child).strip() or None
    if element is not None:
        for heading in element.iter(*HEADINGS):
            text = element_text(heading).strip()
            if text:
                return text
    texts = [element_text(anchor).strip() for anchor in anchors]
    longest = max(texts, key=len, default="")
    if mapper is not None and longest and _is_label(longest, mapper):
        return None
    return longest or None


def _is_teaser(anchors: list[Any], element: Any, mapper: Mapper = map_content_type) -> bool:
    """A link with a title (a heading, or a title-long link text); or a picture or a type
    label linking to the publication beside a paragraph that describes it (its title is on
    its page)."""
    title = _teaser_title(anchors, element, mapper)
    if not title:
        pictured = any(next(anchor.iter("img"), None) is not None for anchor in anchors)
        labelled = any(_is_label(element_text(a).strip(), mapper) for a in anchors)
        return (pictured or labelled) and any(
            len(element_text(p).split()) > MIN_TITLE_WORDS for p in element.iter("p")
        )
    has_heading = next(element.iter(*HEADINGS), None) is not None
    return has_heading or len(title.split()) >= MIN_TITLE_WORDS


def find_teasers(reader: ListingReader) -> list[tuple[Any, str, list[Any]]]:
    """``(element, url, anchors)`` of every teaser in the page's listing blocks, in document
    order; the profile's listing selector, when it names one, says where they are."""
    if reader.profile.listing_selector:
        scopes = [s.root for s in reader.response.css(reader.profile.listing_selector)]
        rows = []
        for scope in scopes:
            links = reader.links_of(scope)
            if len(links) == 1:
                url, anchors = next(iter(links.items()))
                rows.append((scope, url, anchors))
            else:
                rows.extend(_block_rows(reader, scope, require_block=False))
        return rows
    return _block_rows(reader, reader.root, require_block=True)


MANY = object()  # an element linking to several publications


def _link_summary(reader: ListingReader, elements: list[Any]) -> dict[int, Any]:
    """id of each of ``elements`` (a tree in document order) that links to publications ->
    ``(url, anchors)`` when it links to one, ``MANY`` when to several. One pass, children
    before their parents. (lxml makes a new proxy object, with a new id, for an element no
    Python reference holds: the caller keeps ``elements`` alive while it uses the ids.)"""
    summary: dict[int, Any] = {}
    for element in reversed(elements):
        if not isinstance(element.tag, str):
            continue
        found: Any = None
        if element.tag == "a":
            url = reader.publication(element.get("href"))
            if url is not None:
                found = (url, [element])
        for child in element:
            below = summary.get(id(child))
            if below is None:
                continue
            if below is MANY or (found is not None and found[0] != below[0]):
                found = MANY
                break
            found = below if found is None else (found[0], found[1] + below[1])
        if found is not None:
            summary[id(element)] = found
    return summary


def _signature(element: Any) -> tuple[str, frozenset[str]]:
    """An element's tag and the class words rows of one view share (no numbers, no
    first/last/odd/even)."""
    tokens = (element.get("class") or "").lower().split()
    return element.tag, frozenset(
        t for t in tokens if not any(c.isdigit() for c in t) and not ROW_STATE.search(t)
    )


def _alike(signature: tuple[str, frozenset[str]], block: tuple[str, frozenset[str]]) -> bool:
    """Whether a lone row looks like the rows of a block (same tag, most class words)."""
    if signature[0] != block[0] or not signature[1] or not block[1]:
        return False
    shared = len(signature[1] & block[1]) / len(signature[1] | block[1])
    return shared >= ALIKE_SHARE


def _picture_only(anchors: list[Any]) -> bool:
    """Whether a row links to its publication only through a picture (a cover image with no
    text): no teaser on its own, but a row of a block its siblings make."""
    return any(next(anchor.iter("img"), None) is not None for anchor in anchors) and not any(
        element_text(anchor).strip() for anchor in anchors
    )


def _same_row(signature: tuple[str, frozenset[str]], block: tuple[str, frozenset[str]]) -> bool:
    """Whether a sibling is a row of the same view as a block's rows: the same tag and class
    words (none on either side), or most of them."""
    return signature == block or _alike(signature, block)


def _block_rows(
    reader: ListingReader, root: Any, *, require_block: bool
) -> list[tuple[Any, str, list[Any]]]:
    """Rows of the blocks under ``root``; with ``require_block``, a lone row counts only when
    it looks like the rows of a block (a view's page or tab showing one row). A row whose only
    link is a picture joins the block its siblings of the same kind make (a Views row whose
    title field is empty)."""
    rows: list[tuple[Any, str, list[Any]]] = []
    lone: list[tuple[Any, str, list[Any]]] = []
    claimed: set[int] = set()  # ids of elements inside a block already taken
    elements = list(root.iter())  # alive while ids of its elements are used
    summary = _link_summary(reader, elements)
    page_root = reader.root.getroottree().getroot()
    for parent in elements:
        if not isinstance(parent.tag, str) or id(parent) in claimed or id(parent) not in summary:
            continue
        groups: dict[str, list[tuple[Any, str, list[Any]]]] = {}
        pictured: list[tuple[Any, str, list[Any]]] = []  # rows whose only link is a picture
        for child in parent:
            links = summary.get(id(child))
            if links is None or links is MANY or child.tag in CHROME_TAGS:
                continue
            url, anchors = links
            if _is_teaser(anchors, child, reader.mapper):
                groups.setdefault(child.tag, []).append((child, url, anchors))
            elif _picture_only(anchors):
                pictured.append((child, url, anchors))
        for group in groups.values():
            if in_sidebar(parent, page_root):
                continue
            if require_block and len({url for _, url, _ in group}) < MIN_BLOCK_ROWS:
                lone.extend(group)
                continue
            signatures = {_signature(element) for element, _, _ in group}
            group = group + [
                row for row in pictured if any(_same_row(_signature(row[0]), b) for b in signatures)
            ]
            rows.extend(group)
            for element, _, _ in group:
                claimed.update(id(e) for e in element.iter())
        if pictured and not in_sidebar(parent, page_root):
            lone.extend(pictured)  # those no block of their parent took: like a lone row
    blocks = {_signature(element) for element, _, _ in rows}
    for row in lone:
        if id(row[0]) not in claimed and any(_alike(_signature(row[0]), b) for b in blocks):
            rows.append(row)
            claimed.update(id(e) for e in row[0].iter())
    order = {id(e): i for i, e in enumerate(elements)}
    return sorted(rows, key=lambda row: order[id(row[0])])


def _type_label(element: Any, title_anchors: list[Any], mapper: Mapper) -> str | None:
    """The first short text of the teaser that names a type the vocabulary knows (a
    category link, a kicker, a label)."""
    skip = {id(a) for a in title_anchors}
    for node in element.iter():
        if not isinstance(node.tag, str) or id(node) in skip or node.tag in HEADINGS:
            continue
        if len(node) and node.tag != "a":
            continue  # a leaf's text, or a link's
        text = element_text(node).strip()
        if text and len(text) <= MAX_LABEL_CHARS:
            code, known = mapper(text)
            if known and code is not None:
                return text
    return None


def _date_text(element: Any, title_anchors: list[Any]) -> str | None:
    """The teaser's date as it shows it (a ``<time>``; a microdata ``datePublished`` or an
    RDFa ``dc:date``, as Drupal's Views render it: its text, else its value), else a short
    leaf whose text is a date ("April 2021", "February 28, 2019") outside the title."""
    for time in element.iter("time"):
        text = element_text(time).strip() or (time.get("datetime") or "").strip()
        if text:
            return text
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        if node.get("itemprop") == "datePublished" or (
            node.get("property") in RDFA_PUBLISHED_PROPERTIES and node.get("content")
        ):
            text = element_text(node).strip() or (node.get("content") or "").strip()
            if text:
                return text
    skip = {id(e) for anchor in title_anchors for e in anchor.iter()}
    for node in element.iter():
        if not isinstance(node.tag, str) or len(node) or id(node) in skip:
            continue
        if node.tag in HEADINGS or node.tag in CHROME_TAGS:
            continue
        text = element_text(node).strip()
        if not text or len(text) > MAX_LABEL_CHARS or NOT_PUBLISHED.search(text):
            continue  # "Updated May 2020", a deadline, a placeholder: no publication date
        if find_date_in_text(text) is not None:
            return text
    return None


def _summary(element: Any, title: str | None) -> str | None:
    texts = [element_text(p).strip() for p in element.iter("p")]
    texts = [t for t in texts if t and t != title and len(t.split()) > MIN_TITLE_WORDS]
    return max(texts, key=len, default=None)


def extract_listing(
    response: TextResponse,
    seen: Callable[[str, str | None], bool] | None,
    *,
    profile: SiteProfile,
    mapper: Mapper = map_content_type,
    real_origin: str | None = None,
) -> ListingPage:
    """Teasers of the page's listing blocks, its pager links and its other languages."""
    reader = ListingReader(response, profile, real_origin, mapper)
    program = _program_title(response)
    page = ListingPage(program=program)
    base, depth = pager_position(response.url)
    page.is_continuation = depth > 0
    block = listing_block(response.url)
    tree = reader.root.getroottree()
    for position, (element, request_url, anchors) in enumerate(find_teasers(reader)):
        url = reader.hosts.named(request_url)
        sighting = {
            "source": SOURCE_LISTING,
            "url": url,
            "request_url": request_url,
            "listing_url": response.url,
            "block": block,
            "position": position,
            # On repeats too: the row's program must not depend on which sighting came first.
            "program": program,
        }
        # A row repeats one its own view showed on this block's pages: a publication two
        # views of one page show (a tab's row and a "Recent" row, each with other fields) is
        # read in each, whichever page came first. The view is its rows' container, named
        # by its place in the page, the same on every page of a listing.
        if seen is not None and seen(url, f"{block} {tree.getpath(element.getparent())}"):
            page.teasers.append(new_record(**sighting, repeat=True))
            continue
        title = _teaser_title(anchors, element, mapper)
        page.teasers.append(
            new_record(
                **sighting,
                title=title,
                date_raw=_date_text(element, anchors),
                # a link named by the type is the label, not the title
                content_type_label=_type_label(element, anchors if title else [], mapper),
                summary=_summary(element, title),
            )
        )
    page.links = list(_pager_links(reader, base, depth))
    if not page.is_continuation:
        page.links += [link for link in _language_links(reader) if link not in page.links]
    return page


def _program_title(response: TextResponse) -> str | None:
    for h1 in response.selector.root.iter("h1"):
        text = element_text(h1).strip()
        if text:
            return text
    title = response.selector.xpath("//head/title/text()").get()
    return re.split(r"\s+[|–—-]\s+", title.strip())[0] if title and title.strip() else None


def _hrefs(reader: ListingReader) -> Iterator[str]:
    selector = reader.response.selector
    yield from selector.xpath("//head/link[@rel='next' or @rel='prev']/@href").getall()
    yield from selector.xpath("//body//a/@href").getall()


def _pager_links(reader: ListingReader, base: str, depth: int) -> Iterator[ListingLink]:
    """Links to the same listing with another page number (any pager form) or another tab
    (``?qt-<name>=N``, ``?tab=``)."""
    own = listing_url(reader.response.url)
    own_tab = tab_of(reader.response.url)
    found: set[str] = set()
    for href in _hrefs(reader):
        url = join_url(reader.response.url, href)
        on_site = reader.hosts.on_site(url) if url else None
        if on_site is None:
            continue
        link_base, link_depth = pager_position(on_site)
        if link_base != base:
            continue
        listing = listing_url(on_site)
        if listing != own and listing not in found:
            found.add(listing)
            kind = TAB if tab_of(on_site) != own_tab else PAGER
            yield ListingLink(listing, kind, link_depth)


def _language_links(reader: ListingReader) -> Iterator[ListingLink]:
    """The program page in its other languages: its hreflang alternates (a CMS names only
    real translations there), and language-switcher links that lead deeper than a
    language's home page (a switcher on a page without a translation links home)."""
    selector = reader.response.selector
    alternates = [
        link.attrib.get("href")
        for link in selector.xpath("//head/link[@rel='alternate'][@hreflang]")
        if (link.attrib.get("hreflang") or "").lower() != "x-default"
    ]
    switcher = selector.xpath("//body//a[@hreflang]/@href").getall()
    own = listing_url(reader.response.url)
    for href, alternate in [*((h, True) for h in alternates), *((h, False) for h in switcher)]:
        url = join_url(reader.response.url, href)
        on_site = reader.hosts.on_site(url) if url else None
        if on_site is None:
            continue
        segments = path_segments(on_site)
        if segments and LANGUAGE_SEGMENT.match(segments[0]):
            segments = segments[1:]
        if len(segments) < (1 if alternate else 2):
            continue  # a language's home page
        listing = listing_url(on_site)
        if listing != own:
            yield ListingLink(listing, TAB, 0)


def listing_url(url: str) -> str:
    """The request URL of a listing page: normalized, a first page without its number."""
    return listing_request_url(url)
