"""What every page of the MPI site shares: where its content is, its title, its field labels."""

from __future__ import annotations

import re

from parsel import Selector
from scrapy.http import TextResponse
from scrapy.utils.response import get_base_url

from regmig_scraper.sites.markup import (
    attribute,
    join_url,
)

# Where a page's own content lives (Drupal 7 themes); the whole body is the last resort.
MAIN_CONTENT = ("#content", "[role=main]", ".region-content", "main", "body")

# A page's title, type label and byline (publication pages, and listing rows drawn as nodes).
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

PAGE_AUTHORS = (".field-name-field-authors", ".byline", ".field-name-field-author")

DATE_DISPLAY = (".date-display-single", ".date-display-start", "[property='dc:date']")

DATE_DISPLAY_CLASSES = frozenset({"date-display-single", "date-display-start"})

FIELD_LABEL = ".field-label, .views-label, .label-inline, .label-above"

LABEL_CLASSES = frozenset({"field-label", "views-label", "label-inline", "label-above"})


def content_scope(selector: Selector) -> Selector:
    for query in MAIN_CONTENT:
        found = selector.css(query)
        if found:
            return found[0]
    return selector


def css_classes(selector: Selector) -> list[str]:
    return (attribute(selector, "class") or "").split()


def request_meta(response: TextResponse) -> dict:
    """The request's meta (empty for a response built without a request, as in tests)."""
    try:
        return response.meta or {}
    except AttributeError:
        return {}


def base_url(response: TextResponse) -> str:
    """The URL the page's relative links resolve against: its ``<base href>`` (itself
    resolved against the page URL), else the page URL; a hostile ``<base>`` is ignored."""
    try:
        base = get_base_url(response)
    except ValueError:
        return response.url
    return base if base.startswith(("http://", "https://")) else response.url


def join_href(response: TextResponse, href: str | None) -> str | None:
    """``href`` made absolute as the page's links are (``<base href>`` first), if it is an
    http(s) URL; None for a link no parser accepts."""
    return join_url(base_url(response), href)


def title_from_head(response: TextResponse) -> str | None:
    title = response.selector.xpath("//head/title/text()").get()
    if not title:
        return None
    return re.split(r"\s+[|–—-]\s+", title.strip())[0] or None


def first_line(text: str) -> str | None:
    """The first non-blank line of a date element's text: a displayed date is one line, and
    an unclosed ``<span class="date-display-single">`` swallows the rest of the page."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None
