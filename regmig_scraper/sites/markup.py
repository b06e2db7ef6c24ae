"""Small readers of parsed HTML shared by site extractors: visible text, meta tags, links.

Extraction reads text the way a reader sees it: inline elements join without extra spaces
("<a>Andrew Selee</a>, <a>Ariel</a>" -> "Andrew Selee, Ariel"), block elements break lines,
and script, style, forms and invisible headings (Drupal's ``element-invisible``) are skipped.
Whitespace is left for the text pipeline to normalize.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin

from parsel import Selector, SelectorList

# Elements whose text is never content.
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "form", "select", "button"})
# Classes that hide an element from readers (Drupal's screen-reader-only text).
HIDDEN_CLASSES = frozenset({"element-invisible", "visually-hidden", "sr-only", "hidden"})
BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
        "th", "table", "section", "article", "header", "footer", "blockquote", "figure",
        "figcaption", "dd", "dt", "dl", "pre", "hr", "aside", "nav", "main",
    }
)  # fmt: skip


def _is_hidden(element) -> bool:
    classes = element.get("class")
    return bool(classes) and not HIDDEN_CLASSES.isdisjoint(classes.split())


def _walk(element, out: list[str], skipped: frozenset[int]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in SKIPPED_TAGS or id(element) in skipped or (tag and _is_hidden(element)):
        if element.tail:
            out.append(element.tail)
        return
    block = tag in BLOCK_TAGS
    if block:
        out.append("\n")
    if element.text and tag:
        out.append(element.text)
    for child in element:
        _walk(child, out, skipped)
    if block:
        out.append("\n")
    if element.tail:
        out.append(element.tail)


def visible_text(selection: Selector | SelectorList | None, *, exclude: str | None = None) -> str:
    """Text of the selected elements as a reader sees it, or "" when nothing is selected.

    ``exclude`` is a CSS selector of descendants to leave out (a field's label, say).
    """
    if selection is None:
        return ""
    selectors = [selection] if isinstance(selection, Selector) else list(selection)
    pieces: list[str] = []
    for selector in selectors:
        root = selector.root
        if not hasattr(root, "tag"):
            pieces.append(str(root))
            continue
        # Keep the excluded elements referenced so that their ids stay theirs.
        excluded = [match.root for match in selector.css(exclude)] if exclude else []
        skipped = frozenset(id(element) for element in excluded)
        out: list[str] = []
        if root.text:
            out.append(root.text)
        for child in root:
            _walk(child, out, skipped)
        pieces.append("".join(out))
    return "\n".join(piece for piece in pieces if piece)


def first_text(selector: Selector, *queries: str, exclude: str | None = None) -> str | None:
    """Visible text of the first CSS query that selects non-blank text."""
    for query in queries:
        for match in selector.css(query):
            text = visible_text(match, exclude=exclude).strip()
            if text:
                return text
    return None


def meta_content(selector: Selector, *names: str) -> str | None:
    """Content of the first ``<meta property|name=...>`` present among ``names``."""
    for name in names:
        value = selector.xpath(f"//head/meta[@property='{name}' or @name='{name}']/@content").get()
        if value and value.strip():
            return value.strip()
    return None


def link_href(selector: Selector, rel: str) -> str | None:
    """``href`` of the first ``<link rel=...>`` in the head."""
    value = selector.xpath(f"//head/link[@rel='{rel}']/@href").get()
    return value.strip() if value and value.strip() else None


def absolute(base_url: str, hrefs: Iterable[str | None]) -> list[str]:
    """Absolute http(s) URLs of ``hrefs`` (others dropped), in order, without duplicates."""
    seen: dict[str, None] = {}
    for href in hrefs:
        if not href:
            continue
        href = href.strip()
        if href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
            continue
        url = urljoin(base_url, href)
        if url.startswith(("http://", "https://")):
            seen.setdefault(url, None)
    return list(seen)
