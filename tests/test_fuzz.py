"""Fuzzing the extractors and normalizers with hypothesis: hostile input never raises.

Three kinds of pages go through ``MpiDrupalSite.extract_listing`` / ``extract_publication``
exactly as the spider hands them over (``repair_encoding`` first): arbitrary bytes under any
declared charset; saved fixture pages mangled (cut, sliced, spliced with stray tags and bytes);
and Drupal-shaped trees generated from the site's own class names with broken links, entities
and script. The records then run through every normalizing pipeline and are merged and
converted to the dataset's Parquet schema, so a hostile page cannot fail the commit.

The normalizers each have a "never raises" property in their own test module; here are the
ones that had none (URLs, links, encoding repair) and the text pipeline's promise that no
output field carries markup, whatever entities hide it.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Request

from regmig_scraper.dataset.merge import merge_sightings
from regmig_scraper.dataset.schema import PUBLICATIONS_INPUT_SCHEMA, rows_to_table
from regmig_scraper.items import PublicationRecord
from regmig_scraper.normalize.text import has_markup
from regmig_scraper.normalize.urls import host_of, normalize_url, url_key
from regmig_scraper.sites.base import ListingPage
from regmig_scraper.sites.encoding import repair_encoding, repaired_encoding
from regmig_scraper.sites.markup import absolute
from regmig_scraper.sites.mpi import MpiDrupalSite
from regmig_scraper.sites.mpi.pager import normalize_listing_url, page_vector_of, parse_page_vector
from tests.helpers import SITE_ROOT, normalization_pipelines

SITE = MpiDrupalSite()
BASE = "https://www.migrationpolicy.org"
LISTING_URL = f"{BASE}/programs/regional-migration"
PAGE_URL = f"{BASE}/research/some-report"
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Independent of pipelines.text: what an HTML parser reads as a tag ("<" then a letter, or
# "</" then a letter: "< ul>" is text), a comment, or a script payload.
TAG_OR_SCRIPT = re.compile(r"</?[a-zA-Z][^<>]*>|<!--|<script|javascript:", re.IGNORECASE)
TEXT_FIELDS = ("title", "summary", "content_type_label", "date_raw", "body_text", "program")

# --- strategies ----------------------------------------------------------------------------

CHARSETS = st.sampled_from(
    [None, "utf-8", "UTF8", "windows-1252", "iso-8859-1", "latin-1", "us-ascii", "utf-16",
     "shift_jis", "koi8-r", "x-no-such-charset", "", "utf-8; q=0.5"]
)  # fmt: skip

# Hrefs that break URL parsers: bad IPv6 brackets, ports out of range, control characters,
# schemes that are not http, pager values that are not numbers, tracking junk.
HOSTILE_HREFS = st.one_of(
    st.sampled_from(
        [
            "http://[::1",
            "http://[",
            "https://[fe80::1%25eth0]/x",
            "http://a:99999999/x",
            "http://a:-1/x",
            "https://www.migrationpolicy.org:0/research/x",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//offsite.invalid/research/x",
            "http://offsite.invalid/",
            "mailto:x@y",
            "",
            "#",
            "?page=999999999999999999",
            "?page=1,,2",
            "?page=-1",
            "?page=0%2C0%2C1&qt-tabs=3",
            "?qt-tabs=1&page=2&page=3",
            "/research/x?utm_source=a&fbclid=b",
            "/research/%ZZ%00",
            "/research/\x00\x7f",
            "/programs/regional-migration?page=1" + "&x=1" * 200,
            "https://www.migrationpolicy.org/research/" + "a" * 3000,
            "http:///x",
            "https://www.migrationpolicy.org./research/x/",
        ]
    ),
    st.text(max_size=40),
)
CLASSES = st.sampled_from(
    [
        "views-row",
        "views-row views-row-1",
        "views-row views-row-99999999999999999999",
        "view view-x view-id-x view-display-id-block_1",
        "view view-id-",
        "views-field views-field-title",
        "views-field views-field-field-publication-type",
        "views-field views-field-field-date",
        "views-field views-field-field-authors",
        "views-field views-field-field-teaser",
        "views-field views-field-type",
        "field-content",
        "date-display-single",
        "pager",
        "quicktabs-tabs",
        "item-list",
        "node node-publication",
        "node node-person",
        "node node-",
        "node",
        "field-name-body",
        "field-item",
        "field-name-field-authors",
        "field-name-field-date",
        "pub-type",
        "field-label",
        "element-invisible",
        "region region-content",
        "",
    ]
)
TAGS = st.sampled_from(
    ["div", "span", "a", "p", "ul", "li", "h1", "h2", "table", "tbody", "tr", "td", "em",
     "script", "style", "noscript", "form", "template", "br", "img", "svg", "math", "select"]
)  # fmt: skip
LEAVES = st.one_of(
    st.text(max_size=30).map(html.escape),
    st.sampled_from(
        [
            "&nbsp;",
            "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
            "&lt;b&gt;bold&lt;/b&gt;",
            "&#0;&#xD800;&#1114112;&bogus;",
            "April 15, 2021",
            "TBD",
            "31/02/2021",
            "By Andrew Selee and Ariel G. Ruiz Soto",
            "Speakers: A B",
            "E.g., 09/19/2022",
            "<!-- comment -->",
            "<![CDATA[ x ]]>",
            "\x00\x01\ufeff\u202e",
            "</div></div></body>",
            "<",
            "&",
        ]
    ),
)


def _element(tag: str, css: str, href: str, content: str, closed: bool) -> str:
    attributes = f' class="{html.escape(css)}" href="{html.escape(href)}"'
    attributes += f' lang="{html.escape(href[:5])}" content="{html.escape(content[:20])}"'
    return f"<{tag}{attributes}>{content}" + (f"</{tag}>" if closed else "")


TREES = st.recursive(
    LEAVES,
    lambda children: st.builds(
        _element, TAGS, CLASSES, HOSTILE_HREFS, st.lists(children, max_size=4).map("".join),
        st.booleans(),
    ),
    max_leaves=40,
)  # fmt: skip


@st.composite
def drupal_pages(draw: st.DrawFn) -> bytes:
    """A page with Drupal's structure and hostile content: links, heads and fields."""
    head = "".join(
        draw(
            st.lists(
                st.sampled_from(
                    [
                        f'<link rel="canonical" href="{html.escape(draw(HOSTILE_HREFS))}">',
                        f'<meta property="og:url" content="{html.escape(draw(HOSTILE_HREFS))}">',
                        f'<meta property="og:title" content="{html.escape(draw(LEAVES))}">',
                        f'<link rel="alternate" hreflang="es" href="{draw(HOSTILE_HREFS)}">',
                        f'<link rel="shortlink" href="{html.escape(draw(HOSTILE_HREFS))}">',
                        f"<title>{draw(LEAVES)}</title>",
                        '<meta charset="x-unknown">',
                    ]
                ),
                max_size=6,
            )
        )
    )
    body = draw(TREES)
    wrap = draw(st.sampled_from(["{h}{b}", "<html><head>{h}</head><body>{b}", "{b}"]))
    page = "<html>" + wrap.format(h=f"<head>{head}</head>", b=f'<div id="content">{body}</div>')
    return page.encode("utf-8", errors="surrogatepass")


FIXTURE_PAGES = sorted(
    p
    for p in SITE_ROOT.rglob("*.html")
    if "programs" in p.parts or "research" in p.parts or "multimedia" in p.parts
)
SPLICES = st.sampled_from(
    [
        b"</div>",
        b"<div class='views-row'>",
        b'<a href="http://[::1">x</a>',
        b'<a href="?page=99999999999">next</a>',
        b"<ul class='pager'>",
        b"<span class='date-display-single'>",
        b"<script>",
        b"<!--",
        b"\x00",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"\x93\x94\xe9",
        b"</html>",
    ]
)


@st.composite
def mangled_fixture_pages(draw: st.DrawFn) -> bytes:
    """A saved fixture page cut, sliced and spliced with stray tags and bytes."""
    body = draw(st.sampled_from(FIXTURE_PAGES)).read_bytes()
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(body)))
        operation = draw(st.sampled_from(["cut", "delete", "splice", "duplicate"]))
        if operation == "cut":
            body = body[:at]
        elif operation == "delete":
            body = body[:at] + body[at + draw(st.integers(1, 2000)) :]
        elif operation == "splice":
            body = body[:at] + draw(SPLICES) + body[at:]
        else:
            body = body[:at] + body[at : at + 500] * draw(st.integers(2, 20)) + body[at:]
    return body


ANY_PAGE = st.one_of(st.binary(max_size=2000), drupal_pages(), mangled_fixture_pages())


def response_for(url: str, body: bytes, charset: str | None) -> HtmlResponse:
    content_type = "text/html" + (f"; charset={charset}" if charset is not None else "")
    response = HtmlResponse(
        url=url, body=body, headers={"Content-Type": content_type}, request=Request(url)
    )
    return repair_encoding(response)[0]  # as the spider does


# --- the pipelines, as the crawl runs them ---------------------------------------------------


@pytest.fixture(scope="module")
def pipelines() -> list:
    return normalization_pipelines(REGMIG_DATES_TODAY="2024-01-01")


def normalized(record: PublicationRecord, pipelines: list) -> PublicationRecord:
    for pipeline in pipelines:
        record = pipeline.process_item(record)
    return record


def assert_clean(record: PublicationRecord) -> None:
    for field in TEXT_FIELDS:
        value = record.get(field)
        assert value is None or isinstance(value, str), (field, value)
        if value:
            assert not TAG_OR_SCRIPT.search(value), (field, value[:200])
    for name in record.get("authors") or []:
        assert isinstance(name, str) and not TAG_OR_SCRIPT.search(name), name


def assert_writable(records: list[PublicationRecord]) -> None:
    """The records merge into a row the dataset's explicit schema accepts."""
    row = merge_sightings([dict(r) for r in records], is_publication=lambda page: True)
    assert row is not None
    rows_to_table([row], PUBLICATIONS_INPUT_SCHEMA)


# --- extraction never raises -----------------------------------------------------------------


# Pages the fuzzer once found failing, kept as fixed examples of both extraction tests.
FOUND_PAGES = [
    # A control character lxml keeps as an attribute name: parsel's ``.attrib`` raised on it.
    b'<html><head><link rel="alternate"hreflang=""\x08>',
    # Written beside it: the same on the html element, a Views row and a teaser link.
    b'<html lang="es"\x01><body><div class="views-row"\x02><a href="/research/x"\x03>T</a>',
    # A tag that lost its "<": its attributes reached body_text as text.
    b'<html><body><div class="field-name-body"><p>a class="print-page"'
    b' href="javascript:window.print()">Print</a></p></div></body></html>',
]


def with_found_pages(test):
    for body in FOUND_PAGES:
        test = example(body=body, charset=None)(test)
    return test


@given(ANY_PAGE, CHARSETS)
@with_found_pages
@FUZZ
def test_extract_listing_never_raises(pipelines: list, body: bytes, charset: str | None) -> None:
    page = SITE.extract_listing(response_for(LISTING_URL, body, charset))
    assert isinstance(page, ListingPage)
    for url in page.listing_urls:
        assert url.startswith(("http://", "https://"))
    for teaser in page.teasers:
        assert isinstance(teaser["url"], str) and teaser["url"].startswith("http")
        assert_clean(normalized(teaser, pipelines))
    if page.teasers:
        assert_writable(page.teasers[:5])


@given(ANY_PAGE, CHARSETS)
@with_found_pages
@FUZZ
def test_extract_publication_never_raises(
    pipelines: list, body: bytes, charset: str | None
) -> None:
    record = SITE.extract_publication(response_for(PAGE_URL, body, charset))
    assert isinstance(record["url"], str) and record["url"]
    assert all(isinstance(u, str) for u in record["alternate_urls"] + record["pdf_urls"])
    record = normalized(record, pipelines)
    assert_clean(record)
    assert_writable([record])


@given(st.text(max_size=300), st.sampled_from([LISTING_URL, PAGE_URL, "http://127.0.0.1:1/x"]))
@FUZZ
def test_extraction_of_text_as_html_never_raises(text: str, url: str) -> None:
    body = text.encode("utf-8", errors="surrogatepass")
    SITE.extract_listing(response_for(url, body, "utf-8"))
    SITE.extract_publication(response_for(url, body, "utf-8"))


# --- normalizers without a property test elsewhere ------------------------------------------

URLISH = st.one_of(
    HOSTILE_HREFS.map(lambda href: f"{BASE}/{href}" if not href.startswith("http") else href),
    st.builds(
        lambda scheme, host, path, query: f"{scheme}://{host}/{path}?{query}",
        st.sampled_from(["http", "https", "HTTP", "ftp"]),
        st.sampled_from(["www.migrationpolicy.org", "WWW.MigrationPolicy.org.", "127.0.0.1:8000"]),
        st.text(max_size=20),
        st.text(max_size=40),
    ),
)


@given(URLISH)
@FUZZ
def test_url_normalizers_never_raise_on_hostile_links(url: str) -> None:
    """The extractor only hands these functions what ``absolute`` accepted."""
    for found in absolute(BASE, [url]):
        assert found.startswith(("http://", "https://"))
        once = normalize_url(found)
        listing = normalize_listing_url(found)
        url_key(found)
        host_of(found)
        assert all(n >= 0 for n in page_vector_of(found))
        assert normalize_url(once) == once
        assert normalize_listing_url(listing) == listing


def test_normalize_url_keeps_ipv6_hosts() -> None:
    assert normalize_url("http://[::1]:8000/research/x") == "http://[::1]:8000/research/x"


@given(st.text(max_size=30))
@FUZZ
def test_parse_page_vector_is_none_or_non_negative(value: str) -> None:
    vector = parse_page_vector(value)
    assert vector is None or all(isinstance(n, int) and n >= 0 for n in vector)


@given(st.binary(max_size=3000), CHARSETS)
@FUZZ
def test_encoding_repair_never_raises_and_decodes(body: bytes, charset: str | None) -> None:
    content_type = "text/html" + (f"; charset={charset}" if charset is not None else "")
    found = repaired_encoding(body, content_type)
    if found is not None and found[0] == "utf-8":
        body.decode("utf-8")  # only ever chosen for bodies that are UTF-8
    response = response_for(PAGE_URL, body, charset)
    assert isinstance(response.text, str)


MARKUPISH = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(2)&lt;/script&gt;",
                "&amp;lt;b&amp;gt;x&amp;lt;/b&amp;gt;",
                "&amp;amp;lt;i&amp;amp;gt;",
                "&amp;amp;amp;amp;lt;img src=x onerror=alert(1)&amp;amp;amp;amp;gt;",
                "<b>bold</b>",
                "<!-- c -->",
                "<style>p{}</style>",
                "</p>",
                "<a href='x'>",
                "\n",
                "<",
                ">",
            ]
        ),
    ),
    max_size=12,
).map("".join)


@given(MARKUPISH, st.sampled_from(["title", "summary", "body_text", "authors_raw"]))
@FUZZ
def test_text_pipeline_output_never_carries_markup(pipelines: list, raw: str, field: str) -> None:
    record = PublicationRecord(url=PAGE_URL, source="page", **{field: raw})
    cleaned = pipelines[0].process_item(record).get(field)
    assert cleaned is None or not has_markup(cleaned), cleaned


def test_text_pipeline_strips_markup_hidden_behind_entities(pipelines: list) -> None:
    record = PublicationRecord(
        url=PAGE_URL,
        source="page",
        summary="Text &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; and &lt;b&gt;more",
    )
    assert pipelines[0].process_item(record)["summary"] == "Text and more"
