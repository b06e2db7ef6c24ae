"""The small HTML readers site modules share (``regmig_scraper.sites.markup``)."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from regmig_scraper.sites.markup import first_text, link_href, meta_content, visible_text

PAGE = b"""<html><head>
<meta property="og:description" content="  ">
<meta name="og:title" content="Named title">
<meta name="description" content="A summary">
<link rel="canonical" href=" /a/report ">
</head><body>
<div class="node"><h1 class="title"><span class="label">Report:</span> Moving Beyond
<em>Borders</em></h1>
<div class="field-authors"><span class="field-label">Authors:&nbsp;</span>
<a href="/p/1">Andrew Selee</a>, <a href="/p/2">Ariel Ruiz Soto</a></div>
<p class="empty"> </p><p class="lead">First paragraph.</p></div>
</body></html>"""


@pytest.fixture
def selector():
    return HtmlResponse("https://example.org/a", body=PAGE, encoding="utf-8").selector


@pytest.mark.parametrize(
    ("queries", "exclude", "text"),
    [
        ((".missing", ".node h1"), None, "Report: Moving Beyond\nBorders"),
        ((".node h1",), ".label", "Moving Beyond\nBorders"),
        ((".field-authors",), ".field-label", "Andrew Selee, Ariel Ruiz Soto"),
        # a blank match is skipped for the next one
        (("p",), None, "First paragraph."),
        ((".node h1 em::text",), None, "Borders"),
        ((".missing",), None, None),
    ],
)  # fmt: skip
def test_first_text(selector, queries, exclude, text):
    found = first_text(selector, *queries, exclude=exclude)
    assert (found.split() if found else found) == (text.split() if text else text)
    # ... as parsel's own selectors read the same query
    if text is not None:
        query = next(q for q in queries if selector.css(q))
        expected = next(
            t for m in selector.css(query) if (t := visible_text(m, exclude=exclude).strip())
        )
        assert found == expected


def test_meta_content_takes_the_first_name_with_a_value(selector):
    assert meta_content(selector, "og:title") == "Named title"  # by name= as by property=
    assert meta_content(selector, "missing", "description", "og:title") == "A summary"
    assert meta_content(selector, "og:description", "og:title") == "Named title"  # blank: next
    assert meta_content(selector, "missing") is None


def test_link_href(selector):
    assert link_href(selector, "canonical") == "/a/report"
    assert link_href(selector, "shortlink") is None


def test_a_list_of_selectors_is_read_in_its_order(selector):
    nodes = selector.css("div.node, div.field-authors")
    assert first_text(nodes, ".field-label") == "Authors:"
    assert first_text(nodes, "a") == "Andrew Selee"
    assert first_text(selector.css(".missing"), "a") is None
    assert meta_content(nodes, "description") == "A summary"
    assert meta_content(selector.css(".missing"), "description") is None
    assert link_href(nodes, "canonical") == "/a/report"
