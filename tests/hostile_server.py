"""A hostile copy of the MPI site on 127.0.0.1: every way a real site breaks, one route each.

``serving_hostile()`` starts a small threaded HTTP server (stdlib only, port 0) and yields a
``HostileServer`` that logs every request it gets (path, query and headers), so that a test can
assert what the crawler did NOT ask for (robots.txt-disallowed paths, pager pages past the cap)
as well as what it did.

What it serves:

- ``/robots.txt`` disallowing ``/private/``.
- The program page (``PROGRAM_PATH``), built from the bundled fixture's own markup (head,
  header with the exposed date filter, footer), whose main content holds three blocks:

  * ``hostile_research``: Views rows linking to good publication pages (saved fixture pages,
    served as they are) and to one route per hostile case in ``PAGE_CASES``; its pager is
    endless (``?page=N`` for every N, "last" pointing at page 99999) and also links back to
    the page itself;
  * ``hostile_listing``: rows with broken fields (``LISTING_CASES``: no title, no date,
    "TBD", "Spring 2021", "31/02/2021", an author field holding a sentence, a 5,000-character
    title, markup and script inside fields, a link to another host only), each linking to a
    page that does not exist, so that only the row itself can give the publication;
  * quicktabs whose tab 1 (``?qt-hostile_tabs=1``) has a pager linking only to itself.

- ``/research/hostile-<case>``: the publication page of each case in ``PAGE_CASES``, generated
  from a fixture publication page (same head, chrome and node markup, other fields), then
  broken as the case says: truncated, unclosed or misnested HTML, no ``<body>``, an empty 200,
  binary bytes as text/html, a page of 1.5 MB (accepted) and of 6 MB (refused, with and
  without a Content-Length), a gzip bomb, windows-1252/latin-1 text with and without a
  declared charset, BOMs, wrong declared charsets, 404/410/500/503/429, a 503 that recovers,
  a body that never finishes, a connection reset, redirect loops, a redirect to
  ``http://offsite.invalid/`` (a reserved name that never resolves), an on-site redirect, the
  same publication under many query strings, and script inside the page's fields.
- ``/programs/broken-program``: a start page that always answers 500 (a failed run).
- ``/programs/small-program``: a small program (one row, a pager to page 1 with one more row);
  ``/programs/moved-program`` answers 301 to it (a program page that moved), and
  ``HostileServer.moved_host_url`` is a second server, on 127.0.0.2, that answers 301 to it
  for any path (a site typed without its ``www``).
- ``/programs/endless-tabs``: a program page whose quicktabs link ``?qt-endless=N+1`` for
  every N, without end (only ``REGMIG_MAX_LISTING_PAGES`` stops it).

No request ever leaves the loopback (127.0.0.1, and 127.0.0.2 for the moved host): the only
other hosts named are ``offsite.invalid`` and ``evil.example.net`` (a canonical link), which
the crawler must not request at all.
"""

from __future__ import annotations

import contextlib
import html
import random
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from regmig_scraper.snapshot import snapshot_relpath
from tests.helpers import SITE_ROOT

SITE = "https://www.migrationpolicy.org"
PROGRAM_PATH = "/programs/regional-migration"
BROKEN_PROGRAM_PATH = "/programs/broken-program"
ENDLESS_TABS_PATH = "/programs/endless-tabs"
SMALL_PROGRAM_PATH = "/programs/small-program"
MOVED_PROGRAM_PATH = "/programs/moved-program"
# Rows of the small program: one on its first page, one on its pager's page 1.
SMALL_PROGRAM_PAGES = (
    "/research/biden-administration-immigration-plans-starting-gate",
    "/research/laying-foundation-regional-cooperation-migration-policy-institutional-capacity",
)
OFFSITE_URL = "http://offsite.invalid/research/elsewhere"
PRIVATE_PATH = "/private/internal-report"
# Where the endless pager's "last" link points: far past any pager cap.
LAST_PAGER_PAGE = 99_999
MIB = 1024 * 1024

ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"

# Saved fixture pages served as they are: publications that must come out whole.
GOOD_PAGES = (
    "/research/new-regional-migration-system-us-mexico-central-america",
    "/research/biden-administration-immigration-plans-starting-gate",
    "/research/laying-foundation-regional-cooperation-migration-policy-institutional-capacity",
)
# Linked only from pager page 1 and from quicktab 1 (proves those listing pages are read).
PAGER_PAGE_ONE_GOOD = (
    "/multimedia/vanishing-frontiers-forces-driving-mexico-and-united-states-together"
)
QUICKTAB_GOOD = "/article/mexico-search-disappeared-migrants"
TEMPLATE_PAGE = "/research/biden-administration-immigration-plans-starting-gate"

# Titles of the generated pages whose text must survive the encoding round trip.
ENCODING_TITLE_CP1252 = "Migración “segura” — café, niñez y política"
ENCODING_TITLE_LATIN1 = "¿Qué sigue? «Política» de asilo en México"
ENCODING_TITLE_BOM = "Niños “migrantes” — ¿qué hacer? Año 2021"

ENCODING_TITLE_STRAY_BYTE = "Migración y niñez en México"
# Zero-width joiners that join: an emoji family, a Persian word (ZWNJ), a Devanagari conjunct.
ZWJ_TITLE = "Families 👨\u200d👩\u200d👧 crossing: می\u200cخواهم and क्\u200dष Report"
# A report with a hundred authors: a list, not a text dump.
MANY_AUTHORS = tuple(
    f"{given} {family}"
    for family in ("García", "Okafor", "Nakamura", "Dubois", "Ivanova", "Rossi", "Silva",
                   "Müller", "Khan", "Novak")
    for given in ("Ana", "Luis", "María", "John", "Sarah", "Kenji", "Amina", "Pierre",
                  "Olga", "Tomás")
)  # fmt: skip
# Canonical links of the canonical cases (``None``: the usual absolute one).
EVIL_CANONICAL = "http://evil.example.net/stolen"
# A teaser link past Scrapy's URLLENGTH_LIMIT (2083).
LONG_URL_PATH = "/research/hostile-long-url-" + "x" * 2500
# The same page under another percent-encoding of its path ("%63" is "c").
ENCODED_PATH = "/research/hostile-%63ase-pub"
LONG_TITLE = ("Regional Migration Cooperation " * 170)[:5000]
AUTHOR_SENTENCE = (
    "This report was produced with the generous support of the Foundation and reflects "
    "the views of its authors only, who thank the many officials interviewed."
)


def fixture_text(path: str) -> str:
    """The saved page of ``path`` in the bundled site, as text."""
    return (SITE_ROOT / snapshot_relpath(f"{SITE}{path}", with_host=False)).read_text("utf-8")


def fixture_bytes(path: str) -> bytes:
    return (SITE_ROOT / snapshot_relpath(f"{SITE}{path}", with_host=False)).read_bytes()


# ------------------------------------------------------------------------- page templates


def publication_html(
    slug: str,
    title: str,
    *,
    label: str = "Reports",
    date: str = "March 2021",
    authors: str = '<a href="/about/people/andrew-selee">Andrew Selee</a>',
    paragraphs: tuple[str, ...] = (
        "This report examines how governments in the region cooperate on migration "
        "management, asylum and legal pathways, and what that means for policy makers.",
    ),
    charset_meta: str | None = "utf-8",
    title_html: str | None = None,
    extra_body: str = "",
    canonical: str | None = None,
) -> str:
    """A publication page in the fixture's markup: its head, chrome and node, new fields.

    ``title``, ``label`` and ``date`` are text (escaped here); ``authors``, ``paragraphs``,
    ``title_html`` and ``extra_body`` are markup. ``canonical`` replaces the canonical link's
    href (the page's absolute URL on the real site).
    """
    template = fixture_text(TEMPLATE_PAGE)
    head_start = template.index("<head")
    head_open_end = template.index(">", head_start) + 1
    style_start = template.index("  <style")
    content_start = template.index('<div id="page-title-wrapper">')
    aside_start = template.index("<aside")
    url = f"{SITE}/research/{slug}"
    charset = (
        f'  <meta http-equiv="Content-Type" content="text/html; charset={charset_meta}" />\n'
        if charset_meta
        else ""
    )
    text_title = html.escape(title)
    description = html.escape(" ".join(paragraphs)[:300]) if paragraphs else ""
    head = (
        f"{charset}"
        f'<link rel="canonical" href="{html.escape(canonical or url)}" />\n'
        f'<meta property="og:url" content="{url}" />\n'
        f'<meta property="og:title" content="{text_title}" />\n'
        f'<meta property="og:description" content="{description}" />\n'
        f"  <title>{text_title} | migrationpolicy.org</title>\n"
    )
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    content = (
        '<div id="page-title-wrapper"><div class="pub-type field-name-field-publication-type">'
        f'{html.escape(label)}</div><h1 class="title" id="page-title">'
        f"{title_html if title_html is not None else text_title}</h1></div>\n"
        '<div class="region region-content"><div id="block-system-main" class="block '
        'block-system"><div class="content">\n'
        f'<div id="node-{slug}" class="node node-publication node-full clearfix" '
        f'about="/research/{slug}">\n  <div class="content">\n'
        '    <div class="field field-name-field-authors field-label-inline clearfix">'
        '<div class="field-label">By&nbsp;</div><div class="field-items"><div class="field-item '
        f'even">{authors}</div></div></div>\n'
        '    <div class="field field-name-field-date field-label-hidden"><div class="field-items">'
        '<div class="field-item even"><span class="date-display-single" property="dc:date">'
        f"{html.escape(date)}</span></div></div></div>\n"
        '    <div class="field field-name-body field-label-hidden"><div class="field-items">'
        f'<div class="field-item even" property="content:encoded">{body}{extra_body}'
        "</div></div></div>\n  </div>\n</div>\n</div></div></div>\n"
    )
    return (
        template[:head_open_end]
        + "\n"
        + head
        + template[style_start:content_start]
        + content
        + template[aside_start:]
    )


def views_row(
    index: int,
    href: str | None,
    title_html: str | None,
    *,
    label: str | None = "Reports",
    date: str | None = "March 2021",
    authors_html: str | None = '<a href="/about/people/andrew-selee">Andrew Selee</a>',
    summary_html: str | None = None,
    image_link: bool = False,
) -> str:
    """One Views row in the fixture's markup; ``None`` leaves a field out."""
    fields = []
    if image_link and href:
        fields.append(
            '<div class="views-field views-field-field-image"><div class="field-content">'
            f'<a href="{href}"><img src="/sites/default/files/images/cover.jpg" '
            'alt="coverthumb_hostile_2021" /></a></div></div>'
        )
    if title_html is not None:
        inner = f'<a href="{href}">{title_html}</a>' if href else title_html
        fields.append(
            '<div class="views-field views-field-title"><span class="field-content">'
            f"{inner}</span></div>"
        )
    if label is not None:
        fields.append(
            '<div class="views-field views-field-field-publication-type">'
            f'<div class="field-content">{html.escape(label)}</div></div>'
        )
    if date is not None:
        fields.append(
            '<div class="views-field views-field-field-date"><div class="field-content"><span '
            f'class="date-display-single" property="dc:date">{html.escape(date)}</span></div></div>'
        )
    if authors_html is not None:
        fields.append(
            '<div class="views-field views-field-field-authors"><span class="views-label '
            'views-label-field-authors">By&nbsp; </span><div class="field-content">'
            f"{authors_html}</div></div>"
        )
    if summary_html is not None:
        fields.append(
            '<div class="views-field views-field-field-teaser"><div class="field-content">'
            f"{summary_html}</div></div>"
        )
    return f'<div class="views-row views-row-{index + 1}">\n  ' + "\n  ".join(fields) + "\n</div>"


def view_block(block_id: str, view_id: str, display: str, rows: list[str], pager: str) -> str:
    return (
        f'<div id="block-views-{block_id}" class="block block-views"><div class="content">\n'
        f'<div class="view view-{view_id.replace("_", "-")} view-id-{view_id} '
        f'view-display-id-{display}">\n<div class="view-content">\n'
        + "\n".join(rows)
        + f"\n</div>\n{pager}\n</div>\n</div></div>"
    )


def pager_html(links: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<li class="pager-item"><a href="{href}">{text}</a></li>' for text, href in links
    )
    return (
        '<div class="item-list"><h2 class="element-invisible">Pages</h2>'
        f'<ul class="pager">{items}</ul></div>'
    )


def program_html(blocks: list[str], *, title: str = "Building a Regional Migration System") -> str:
    """The fixture's program page with its main content replaced by ``blocks``."""
    template = fixture_text(PROGRAM_PATH)
    content_start = template.index('<div class="region region-content">')
    footer_start = template.index('<footer id="footer"')
    title_start = template.index('<div id="page-title-wrapper">')
    return (
        template[:title_start]
        + f'<div id="page-title-wrapper"><h1 class="title" id="page-title">{title}</h1></div>\n'
        + template[title_start:content_start].split("</div>\n", 1)[1]
        + '<div class="region region-content">\n'
        + "\n".join(blocks)
        + "\n</div>\n  </div></div>\n</div></div>\n"
        + template[footer_start:]
    )


# ------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class PageCase:
    """A publication page that breaks in one way; ``title`` is the row's teaser title."""

    name: str
    title: str
    comment: str

    @property
    def path(self) -> str:
        return f"/research/hostile-{self.name}"


PAGE_CASES: tuple[PageCase, ...] = (
    PageCase("truncated", "Truncated Page Report", "the body stops mid-tag"),
    PageCase("unclosed", "Unclosed Tags Report", "no </div>, </p>, </body> or </html>"),
    PageCase("misnested", "Misnested Markup Report", "<b><i></b></i>, a div inside a p"),
    PageCase("no-body", "No Body Element Report", "head, then content without <body>"),
    PageCase("empty", "Empty Response Report", "200, text/html, zero bytes"),
    PageCase("binary", "Binary Payload Report", "64 KiB of random bytes as text/html"),
    PageCase("large", "Large Page Report", "1.5 MB of HTML: under the size limit"),
    PageCase("huge", "Huge Page Report", "6 MB with a Content-Length: over the limit"),
    PageCase("huge-streamed", "Huge Streamed Report", "6 MB, no Content-Length"),
    PageCase("gzip-bomb", "Gzip Bomb Report", "256 KiB of gzip unpacking to 256 MiB"),
    PageCase("cp1252", ENCODING_TITLE_CP1252, "windows-1252, declared in the header"),
    PageCase("cp1252-undeclared", ENCODING_TITLE_CP1252, "windows-1252, no charset anywhere"),
    PageCase("cp1252-meta", ENCODING_TITLE_CP1252, "windows-1252, declared in <meta> only"),
    PageCase("latin1", ENCODING_TITLE_LATIN1, "iso-8859-1, declared in the header"),
    PageCase("latin1-undeclared", ENCODING_TITLE_LATIN1, "iso-8859-1, no charset anywhere"),
    PageCase("bom-utf8", ENCODING_TITLE_BOM, "UTF-8 with a BOM, header says iso-8859-1"),
    PageCase("bom-utf16", ENCODING_TITLE_BOM, "UTF-16LE with a BOM, no charset"),
    PageCase("wrong-charset-utf8", ENCODING_TITLE_CP1252, "header utf-8, body windows-1252"),
    PageCase("wrong-charset-latin1", ENCODING_TITLE_BOM, "header iso-8859-1, body UTF-8"),
    PageCase("http-404", "Not Found Report", "404 with Drupal's not-found page"),
    PageCase("http-410", "Gone Report", "410 Gone"),
    PageCase("http-500", "Server Error Report", "500 every time"),
    PageCase("http-503", "Unavailable Report", "503 every time"),
    PageCase("http-429", "Rate Limited Report", "429 with Retry-After: 1, every time"),
    PageCase("flaky-503", "Flaky Server Report", "503 once, then the page"),
    PageCase("timeout", "Never Finishing Report", "headers and 100 bytes, then nothing"),
    PageCase("reset", "Connection Reset Report", "the connection is reset (RST)"),
    PageCase("redirect-loop", "Redirect Loop Report", "302 to -b, which 302s back"),
    PageCase("redirect-chain", "Redirect Chain Report", "302 to ?hop=n+1 forever"),
    PageCase("redirect-offsite", "Offsite Redirect Report", f"302 to {OFFSITE_URL}"),
    PageCase("redirect-ok", "Moved Report", "301 to -target, a good page"),
    PageCase("redirect-alias", "Moved Report Alias", "301 to -target too (a second alias)"),
    PageCase("script-fields", "Scripted Fields Report", "script/style/escaped tags in fields"),
    PageCase("stray-byte", ENCODING_TITLE_STRAY_BYTE, "UTF-8, one stray \\xff in the footer"),
    PageCase("base-href", "Base Href Report", "linked relatively, under the page's <base>"),
    PageCase("canonical-root", "Root Canonical Report", "canonical /research/..."),
    PageCase("canonical-relative", "Relative Canonical Report", "canonical ../research/..."),
    PageCase("canonical-offsite", "Offsite Canonical Report", f"canonical {EVIL_CANONICAL}"),
    PageCase("cut-short", "Cut Short Report", "no Content-Length, closed mid-document"),
    PageCase("huge-header", "Huge Header Report", "a 64 KiB response header"),
    PageCase("zwj", ZWJ_TITLE, "zero-width joiners that join characters in the title"),
    PageCase("many-authors", "Hundred Authors Report", "a byline of 100 names"),
    PageCase("case-pub", "Percent Encoded Report", f"also linked as {ENCODED_PATH}"),
    PageCase("canon-claimant", "Claimant Report", "its canonical names canon-owner's page"),
    PageCase("canon-owner", "Canonical Owner Report", "another publication, its own canonical"),
)
CASES_BY_NAME = {case.name: case for case in PAGE_CASES}

# The same publication under many query strings (the page's canonical link names it once).
MANY_URLS_PATH = "/research/hostile-many-urls"
MANY_URLS_HREFS = (
    f"{MANY_URLS_PATH}?ref=1",
    f"{MANY_URLS_PATH}?ref=2&sort=asc",
    f"{MANY_URLS_PATH}?utm_source=newsletter&utm_medium=email",
    f"{MANY_URLS_PATH}/",
    f"{MANY_URLS_PATH}?ref=3#section-2",
    f"{MANY_URLS_PATH}?sessionid=8f14e45f",
)


@dataclass(frozen=True)
class ListingCase:
    """A listing row with a broken field; its link leads to a page that does not exist."""

    name: str
    row: Callable[[int, str], str]
    comment: str

    @property
    def path(self) -> str:
        return f"/research/listing-only-{self.name}"


LISTING_CASES: tuple[ListingCase, ...] = (
    ListingCase(
        "no-title",
        lambda i, href: views_row(i, href, None, date="May 2021", image_link=True),
        "only an image links to the publication",
    ),
    ListingCase(
        "no-date",
        lambda i, href: views_row(i, href, "Undated Listing Report", date=None),
        "no date field",
    ),
    ListingCase(
        "date-tbd",
        lambda i, href: views_row(i, href, "Date TBD Report", date="TBD"),
        'date "TBD"',
    ),
    ListingCase(
        "date-season",
        lambda i, href: views_row(i, href, "Seasonal Report", date="Spring 2021"),
        'date "Spring 2021"',
    ),
    ListingCase(
        "date-impossible",
        lambda i, href: views_row(i, href, "Impossible Date Report", date="31/02/2021"),
        'date "31/02/2021"',
    ),
    ListingCase(
        "author-sentence",
        lambda i, href: views_row(
            i, href, "Sentence Byline Report", authors_html=html.escape(AUTHOR_SENTENCE)
        ),
        "the author field holds a sentence",
    ),
    ListingCase(
        "long-title",
        lambda i, href: views_row(i, href, html.escape(LONG_TITLE)),
        "a 5,000-character title",
    ),
    ListingCase(
        "markup-title",
        lambda i, href: views_row(
            i,
            href,
            "<b>Bold</b> Markup <script>alert('row')</script>Title "
            "&lt;i&gt;Escaped&lt;/i&gt; &lt;img src=x onerror=alert(1)&gt;",
            summary_html=(
                "<p>Summary with <style>p{color:red}</style>styles "
                "&lt;script&gt;alert(2)&lt;/script&gt;and escaped script.</p>"
                "<script>document.write('injected')</script>"
            ),
            authors_html="<a href='/about/people/andrew-selee'>Andrew <em>Selee</em></a>"
            "<script>alert(3)</script>",
        ),
        "tags, script and escaped markup inside title, summary and authors",
    ),
    ListingCase(
        "offsite-link",
        lambda i, href: views_row(i, OFFSITE_URL, "Offsite Listing Report"),
        "the row links only to another host",
    ),
)


# ------------------------------------------------------------------------- page bodies


def _program_page() -> bytes:
    # Good rows carry a title only: the pages' own labels, dates and bylines must decide.
    rows = [
        views_row(i, path, f"Good Page {i}", label=None, date=None, authors_html=None)
        for i, path in enumerate(GOOD_PAGES)
    ]
    for case in PAGE_CASES:
        rows.append(views_row(len(rows), case.path, html.escape(case.title)))
    for href in MANY_URLS_HREFS:
        rows.append(views_row(len(rows), href, "Many URLs Report"))
    rows.append(views_row(len(rows), PRIVATE_PATH, "Private Report"))
    rows.append(views_row(len(rows), ENCODED_PATH, "Percent Encoded Report"))
    rows.append(views_row(len(rows), LONG_URL_PATH, "Long URL Report"))
    research = view_block(
        "hostile-research",
        "hostile_research",
        "block_1",
        rows,
        _endless_pager(0),
    )
    listing_rows = [case.row(i, case.path) for i, case in enumerate(LISTING_CASES)]
    listing = view_block("hostile-listing", "hostile_listing", "block_2", listing_rows, "")
    tabs = (
        '<div id="block-quicktabs-hostile" class="block block-quicktabs"><div class="content">'
        '<div class="item-list"><ul class="quicktabs-tabs">'
        f'<li class="active first"><a href="{PROGRAM_PATH}?qt-hostile_tabs=0#qt-hostile_tabs">'
        "Research</a></li>"
        f'<li class="last"><a href="{PROGRAM_PATH}?qt-hostile_tabs=1#qt-hostile_tabs">Articles'
        "</a></li></ul></div></div></div>"
    )
    page = program_html([research, listing, tabs])
    # Links resolve against <base href>: the base-href case's teaser link is relative to it.
    head_end = page.index(">", page.index("<head")) + 1
    page = page[:head_end] + '\n<base href="/research/" />' + page[head_end:]
    page = page.replace('href="/research/hostile-base-href"', 'href="hostile-base-href"', 1)
    return page.encode("utf-8")


def _small_program(page: int) -> bytes:
    """The small program's page 0 or 1: one row each, a pager between them."""
    row = views_row(0, SMALL_PROGRAM_PAGES[page], f"Small Program Row {page}", label=None,
                    date=None, authors_html=None)  # fmt: skip
    pager = pager_html([("1", SMALL_PROGRAM_PATH), ("2", f"{SMALL_PROGRAM_PATH}?page=1")])
    block = view_block("small", "small_program", "block_1", [row], pager)
    return program_html([block], title="Small Program").encode("utf-8")


def _endless_pager(page: int) -> str:
    links = [("« first", f"{PROGRAM_PATH}?page=0")]  # the first page: this page, or page 0
    if page > 0:
        links.append(("‹ previous", f"{PROGRAM_PATH}?page={page - 1}"))
    links += [(str(n + 1), f"{PROGRAM_PATH}?page={n}") for n in range(max(page - 2, 0), page + 3)]
    links += [
        ("next ›", f"{PROGRAM_PATH}?page={page + 1}"),
        ("last »", f"{PROGRAM_PATH}?page={LAST_PAGER_PAGE}"),
    ]
    return pager_html(links)


def _pager_page(page: int) -> bytes:
    rows = []
    if page == 1:
        rows.append(
            views_row(
                0,
                PAGER_PAGE_ONE_GOOD,
                "Good Page On Pager Page 1",
                label=None,
                date=None,
                authors_html=None,
            )
        )
    block = view_block(
        "hostile-research", "hostile_research", "block_1", rows, _endless_pager(page)
    )
    return program_html([block]).encode("utf-8")


def _self_linking_tab() -> bytes:
    rows = [
        views_row(0, QUICKTAB_GOOD, "Good Page On A Tab", label=None, date=None, authors_html=None)
    ]
    here = f"{PROGRAM_PATH}?qt-hostile_tabs=1"
    pager = pager_html(
        [
            ("« first", here),
            ("1", f"{here}&page=0"),
            ("next ›", f"{here}&page=0#qt-hostile_tabs"),
            ("last »", f"{PROGRAM_PATH}?page=0&qt-hostile_tabs=1"),
        ]
    )
    block = view_block("hostile-tab", "hostile_tab", "block_3", rows, pager)
    return program_html([block]).encode("utf-8")


def _endless_tab(number: int) -> bytes:
    rows = [
        views_row(
            0,
            GOOD_PAGES[0],
            "Good Page Behind Endless Tabs",
            label=None,
            date=None,
            authors_html=None,
        )
    ]
    block = view_block("endless", "endless_tabs", "block_1", rows, "")
    tabs = "".join(
        f'<li><a href="{ENDLESS_TABS_PATH}?qt-endless={n}">Tab {n}</a></li>'
        for n in (number + 1, number + 2)
    )
    quicktabs = (
        '<div class="block block-quicktabs"><div class="item-list">'
        f'<ul class="quicktabs-tabs">{tabs}</ul></div></div>'
    )
    return program_html([block, quicktabs], title="Endless Tabs").encode("utf-8")


def _case_page(case: PageCase, **kwargs) -> str:
    return publication_html(f"hostile-{case.name}", case.title, **kwargs)


def _truncated() -> bytes:
    page = _case_page(
        CASES_BY_NAME["truncated"],
        paragraphs=("The first paragraph survives the cut and is long enough to be read.",) * 2,
    )
    cut = page.index("<p>", page.index("content:encoded")) + 30
    return page[:cut].encode("utf-8") + b'<a href="/x" class="unfinished'


def _unclosed() -> bytes:
    page = _case_page(CASES_BY_NAME["unclosed"])
    for tag in ("</div>", "</p>", "</li>", "</ul>", "</body>", "</html>", "</span>"):
        page = page.replace(tag, "")
    return page.encode("utf-8")


def _misnested() -> bytes:
    return _case_page(
        CASES_BY_NAME["misnested"],
        title_html="<b>Misnested <i>Markup</b> Report</i>",
        paragraphs=(
            "<div>A block inside a paragraph,</p> then <table><tr><td>a cell</p></td></table>",
            "<em><strong>crossed</em> tags</strong> and an orphan </span> closing tag.",
        ),
    ).encode("utf-8")


def _no_body() -> bytes:
    page = _case_page(CASES_BY_NAME["no-body"])
    start = page.index("<body")
    page = page[:start] + page[page.index(">", start) + 1 :]
    return page.replace("</body>", "").encode("utf-8")


@cache
def _binary() -> bytes:
    return random.Random(1234).randbytes(64 * 1024)


@cache
def _large() -> bytes:
    paragraph = (
        "Migration flows across the region changed as governments expanded legal pathways, "
        "asylum capacity and cooperation agreements with their neighbours. "
    ) * 3
    count = int(1.5 * MIB) // (len(paragraph) + 20)
    paragraphs = tuple(f"Paragraph {n}. {paragraph}" for n in range(count))  # all distinct
    page = _case_page(CASES_BY_NAME["large"], paragraphs=paragraphs)
    return page.encode("utf-8")


@cache
def _huge() -> bytes:
    filler = "<p>" + "Lorem ipsum dolor sit amet, " * 40 + "</p>\n"
    count = (6 * MIB) // len(filler)
    return _case_page(CASES_BY_NAME["huge"], extra_body=filler * count).encode("utf-8")


@cache
def _gzip_bomb() -> bytes:
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    chunk = b" " * MIB
    parts = [compressor.compress(b"<!DOCTYPE html><html><body><p>")]
    parts += [compressor.compress(chunk) for _ in range(256)]
    parts.append(compressor.compress(b"</p></body></html>"))
    parts.append(compressor.flush())
    return b"".join(parts)


def _encoded(name: str, encoding: str, *, charset_meta: str | None, bom: bytes = b"") -> bytes:
    case = CASES_BY_NAME[name]
    page = _case_page(
        case,
        paragraphs=(
            f"{case.title}. La política migratoria de la región cambió: “más vías legales” y "
            "menos detenciones — según el informe, que también examina la niñez migrante.",
        ),
        authors="<a href='/about/people/andrea-tanco'>Andrea Tanco</a> y "
        "<a href='/about/people/maria-jesus-mora'>María Jesús Mora</a>",
        date="Marzo 2021",
        charset_meta=charset_meta,
    )
    return bom + page.encode(encoding, errors="xmlcharrefreplace")


def _script_fields() -> bytes:
    return _case_page(
        CASES_BY_NAME["script-fields"],
        title_html="Scripted <script>alert('h1')</script>Fields <style>h1{}</style>Report",
        authors="<a href='/about/people/andrew-selee'>Andrew Selee</a>"
        "<script>var by = 'injected';</script>",
        paragraphs=(
            "A paragraph with <script>alert('body')</script>inline script, "
            "<style>.x{color:red}</style>a style and &lt;script&gt;alert(4)&lt;/script&gt; "
            'escaped script text, plus <img src=x onerror="alert(5)"> an image handler.',
            "<iframe src='javascript:alert(6)'></iframe>A second paragraph, "
            "&lt;b&gt;escaped bold&lt;/b&gt; and <noscript>no script</noscript>done.",
        ),
        extra_body="<script>window.location='http://offsite.invalid/'</script>",
    ).encode("utf-8")


def _stray_byte() -> bytes:
    """A Spanish page, declared and encoded as UTF-8, with one byte no UTF-8 has (0xFF) in
    its footer."""
    page = _encoded("stray-byte", "utf-8", charset_meta="utf-8")
    footer = page.index(b"<footer")
    return page[:footer] + b"<p>\xff</p>" + page[footer:]


def _cut_short() -> bytes:
    """A page whose connection closes mid-document, with no Content-Length to tell: the
    body stops inside its second paragraph."""
    page = _case_page(
        CASES_BY_NAME["cut-short"],
        paragraphs=(
            "The first paragraph arrives whole and says what the report is about.",
            "The second paragraph is cut off in the middle of its sentence, and nothing "
            "after it arrives: no closing tags, no footer.",
        ),
    )
    return page[: page.rindex("in the middle")].encode("utf-8")


def _not_found_page() -> bytes:
    return (SITE_ROOT / ".drupal-404.html").read_bytes()


# ------------------------------------------------------------------------- the server


@dataclass(frozen=True)
class LoggedRequest:
    path: str  # path only
    query: str
    headers: dict[str, str]

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


@dataclass
class HostileServer:
    """The running server: its base URL and the log of every request it got."""

    url: str = ""
    moved_host_url: str = ""  # another host (127.0.0.2): 301 to the small program on ``url``
    requests: list[LoggedRequest] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    hits: dict[str, int] = field(default_factory=dict)

    def log(self, entry: LoggedRequest) -> int:
        """Record a request; return how many times this path+query was asked for before."""
        with self.lock:
            self.requests.append(entry)
            seen = self.hits.get(entry.target, 0)
            self.hits[entry.target] = seen + 1
            return seen

    def requested(self, path: str) -> list[LoggedRequest]:
        """Requests whose path is ``path`` (any query)."""
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def pager_pages_requested(self) -> list[int]:
        """The ``page`` values requested on the program path, in order."""
        pages = []
        for entry in self.requested(PROGRAM_PATH):
            query = dict(parse_qsl(entry.query))
            if "page" in query and "qt-hostile_tabs" not in query:
                pages.append(int(query["page"].split(",")[0]))
        return pages


def _handler_for(server_state: HostileServer) -> type[BaseHTTPRequestHandler]:
    class HostileHandler(BaseHTTPRequestHandler):
        server_version = "hostile"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        # --- responses
        def _send(
            self,
            status: int,
            body: bytes = b"",
            content_type: str | None = "text/html; charset=utf-8",
            *,
            headers: dict[str, str] | None = None,
            length: bool = True,
        ) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            # The client may give up mid-body (a size limit): that is the point.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)
            self.close_connection = True

        def _redirect(self, status: int, location: str) -> None:
            self._send(status, b"", headers={"Location": location})

        def _reset(self) -> None:
            # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def _never_finish(self) -> None:
            self.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: 100000\r\n\r\n<html><head><title>Never"
            )
            self.wfile.flush()
            server_state.stopping.wait(60)  # hold the socket open until the server stops
            self.close_connection = True

        # --- routing
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            seen = server_state.log(
                LoggedRequest(parts.path, parts.query, {k: v for k, v in self.headers.items()})
            )
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            path = parts.path.rstrip("/") or "/"
            if path == "/robots.txt":
                return self._send(200, ROBOTS_TXT, "text/plain")
            if path == PROGRAM_PATH:
                return self._program(query)
            if path == ENDLESS_TABS_PATH:
                tab = query.get("qt-endless", "0")
                return self._send(200, _endless_tab(int(tab) if tab.isdigit() else 0))
            if path == BROKEN_PROGRAM_PATH:
                return self._send(500, b"<h1>Internal Server Error</h1>")
            if path == SMALL_PROGRAM_PATH:
                return self._send(200, _small_program(1 if query.get("page") == "1" else 0))
            if path == MOVED_PROGRAM_PATH:
                return self._redirect(301, SMALL_PROGRAM_PATH)
            if path in GOOD_PAGES or path in (PAGER_PAGE_ONE_GOOD, QUICKTAB_GOOD):
                return self._send(200, fixture_bytes(path))
            if path == MANY_URLS_PATH:
                page = publication_html("hostile-many-urls", "Many URLs Report")
                return self._send(200, page.encode("utf-8"))
            if path == LONG_URL_PATH:
                page = publication_html(LONG_URL_PATH.rsplit("/", 1)[1], "Long URL Report")
                return self._send(200, page.encode("utf-8"))
            if path.startswith("/research/hostile-"):
                return self._case(path.removeprefix("/research/hostile-"), query, seen)
            return self._send(404, _not_found_page())

        def _program(self, query: dict[str, str]) -> None:
            if query.get("qt-hostile_tabs") == "1":
                return self._send(200, _self_linking_tab())
            page = query.get("page", "0").split(",")[0]
            number = int(page) if page.isdigit() else 0
            if number > 0:
                return self._send(200, _pager_page(number))
            return self._send(200, _program_page())

        def _case(self, name: str, query: dict[str, str], seen: int) -> None:
            ok = "text/html; charset=utf-8"
            match name:
                case "truncated":
                    return self._send(200, _truncated())
                case "unclosed":
                    return self._send(200, _unclosed())
                case "misnested":
                    return self._send(200, _misnested())
                case "no-body":
                    return self._send(200, _no_body())
                case "empty":
                    return self._send(200, b"")
                case "binary":
                    return self._send(200, _binary(), "text/html")
                case "large":
                    return self._send(200, _large())
                case "huge":
                    return self._send(200, _huge())
                case "huge-streamed":
                    return self._send(200, _huge(), length=False)
                case "gzip-bomb":
                    return self._send(200, _gzip_bomb(), headers={"Content-Encoding": "gzip"})
                case "cp1252":
                    body = _encoded(name, "cp1252", charset_meta=None)
                    return self._send(200, body, "text/html; charset=windows-1252")
                case "cp1252-undeclared":
                    return self._send(200, _encoded(name, "cp1252", charset_meta=None), "text/html")
                case "cp1252-meta":
                    body = _encoded(name, "cp1252", charset_meta="windows-1252")
                    return self._send(200, body, "text/html")
                case "latin1":
                    body = _encoded(name, "latin-1", charset_meta=None)
                    return self._send(200, body, "text/html; charset=iso-8859-1")
                case "latin1-undeclared":
                    return self._send(
                        200, _encoded(name, "latin-1", charset_meta=None), "text/html"
                    )
                case "bom-utf8":
                    body = _encoded(name, "utf-8", charset_meta=None, bom=b"\xef\xbb\xbf")
                    return self._send(200, body, "text/html; charset=iso-8859-1")
                case "bom-utf16":
                    body = _encoded(name, "utf-16-le", charset_meta=None, bom=b"\xff\xfe")
                    return self._send(200, body, "text/html")
                case "wrong-charset-utf8":
                    body = _encoded(name, "cp1252", charset_meta="utf-8")
                    return self._send(200, body, ok)
                case "wrong-charset-latin1":
                    body = _encoded(name, "utf-8", charset_meta="iso-8859-1")
                    return self._send(200, body, "text/html; charset=iso-8859-1")
                case "http-404":
                    return self._send(404, _not_found_page())
                case "http-410":
                    return self._send(410, _not_found_page())
                case "http-500":
                    return self._send(500, b"<h1>Internal Server Error</h1>")
                case "http-503":
                    return self._send(503, b"<h1>Service Unavailable</h1>")
                case "http-429":
                    body = b"<h1>Too Many Requests</h1>"
                    return self._send(429, body, headers={"Retry-After": "1"})
                case "flaky-503":
                    if seen == 0:
                        return self._send(503, b"<h1>Busy</h1>", headers={"Retry-After": "0"})
                    page = _case_page(CASES_BY_NAME[name])
                    return self._send(200, page.encode("utf-8"))
                case "timeout":
                    return self._never_finish()
                case "reset":
                    return self._reset()
                case "redirect-loop":
                    return self._redirect(302, "/research/hostile-redirect-loop-b")
                case "redirect-loop-b":
                    return self._redirect(302, "/research/hostile-redirect-loop")
                case "redirect-chain":
                    hop = int(query.get("hop", "0") or 0)
                    return self._redirect(302, f"/research/hostile-redirect-chain?hop={hop + 1}")
                case "redirect-offsite":
                    return self._redirect(302, OFFSITE_URL)
                case "redirect-ok":
                    return self._redirect(301, "/research/hostile-redirect-target")
                case "redirect-alias":
                    return self._redirect(301, "/research/hostile-redirect-target")
                case "redirect-target":
                    page = publication_html("hostile-redirect-target", "Moved Report")
                    return self._send(200, page.encode("utf-8"))
                case "script-fields":
                    return self._send(200, _script_fields())
                case "stray-byte":
                    return self._send(200, _stray_byte())
                case "canonical-root":
                    page = _case_page(CASES_BY_NAME[name], canonical=f"/research/hostile-{name}")
                    return self._send(200, page.encode("utf-8"))
                case "canonical-relative":
                    canonical = f"../research/hostile-{name}"
                    page = _case_page(CASES_BY_NAME[name], canonical=canonical)
                    return self._send(200, page.encode("utf-8"))
                case "canonical-offsite":
                    page = _case_page(CASES_BY_NAME[name], canonical=EVIL_CANONICAL)
                    return self._send(200, page.encode("utf-8"))
                case "cut-short":
                    return self._send(200, _cut_short(), length=False)
                case "huge-header":
                    padding = "x" * (64 * 1024)
                    page = _case_page(CASES_BY_NAME[name]).encode("utf-8")
                    return self._send(200, page, headers={"X-Padding": padding})
                case "canon-claimant":
                    canonical = f"{SITE}{CASES_BY_NAME['canon-owner'].path}"
                    page = _case_page(CASES_BY_NAME[name], canonical=canonical)
                    return self._send(200, page.encode("utf-8"))
                case "zwj" | "base-href" | "case-pub" | "canon-owner":
                    return self._send(200, _case_page(CASES_BY_NAME[name]).encode("utf-8"))
                case "many-authors":
                    authors = ", ".join(MANY_AUTHORS[:-1]) + " and " + MANY_AUTHORS[-1]
                    page = _case_page(CASES_BY_NAME[name], authors=html.escape(authors))
                    return self._send(200, page.encode("utf-8"))
            return self._send(404, _not_found_page())

    return HostileHandler


def _moved_host_handler(target: str) -> type[BaseHTTPRequestHandler]:
    class MovedHostHandler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            if self.path == "/robots.txt":
                body = ROBOTS_TXT
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
            else:
                body = b""
                self.send_response(301)
                self.send_header("Location", target)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

    return MovedHostHandler


@contextmanager
def serving_hostile() -> Iterator[HostileServer]:
    """Serve the hostile site on 127.0.0.1 (a free port) in background threads, and the moved
    host on 127.0.0.2."""
    state = HostileServer()
    _gzip_bomb(), _huge(), _large()  # build the big bodies before the first request
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    moved = ThreadingHTTPServer(
        ("127.0.0.2", 0), _moved_host_handler(state.url + SMALL_PROGRAM_PATH)
    )
    moved.daemon_threads = True
    state.moved_host_url = f"http://127.0.0.2:{moved.server_address[1]}"
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (httpd, moved)]
    for thread in threads:
        thread.start()
    try:
        yield state
    finally:
        state.stopping.set()
        for server in (httpd, moved):
            server.shutdown()
            server.server_close()
