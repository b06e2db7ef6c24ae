"""Visible text of an lxml element tree, as a reader sees it: the one HTML-to-text walker.

Site extractors read fields with it, and the text normalizer uses it to reduce a value that
leaked markup to its text. Inline elements join without extra spaces ("<a>Andrew Selee</a>,
<a>Ariel</a>" -> "Andrew Selee, Ariel"), block elements break lines, and scripts, styles,
forms and text hidden from readers (Drupal's ``element-invisible``, ``sr-only``...) are
skipped. Whitespace is left for ``normalize.text`` to normalize.

A walker of our own rather than html-text or lxml's ``text_content()``: those do not skip
hidden or labelled descendants, which every listing field needs, and the extractors call it on
tens of thousands of small elements per crawl.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

# Elements whose text is never content.
SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "form", "select", "button", "head", "title"}
)
# Classes that hide an element from readers (screen-reader-only text).
HIDDEN_CLASSES = frozenset({"element-invisible", "visually-hidden", "sr-only", "hidden"})
BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
        "th", "table", "section", "article", "header", "footer", "blockquote", "figure",
        "figcaption", "dd", "dt", "dl", "pre", "hr", "aside", "nav", "main",
    }
)  # fmt: skip


def _is_hidden(element: Any, skip_classes: frozenset[str]) -> bool:
    classes = element.get("class")
    return bool(classes) and not skip_classes.isdisjoint(classes.split())


def walk(
    element: Any,
    out: list[str],
    skipped: Collection[int] = frozenset(),
    skip_classes: frozenset[str] = HIDDEN_CLASSES,
) -> None:
    """Append the visible text of ``element`` and its tail to ``out``.

    ``skipped`` holds ``id()`` of elements to leave out (a field's label, say), and
    ``skip_classes`` the classes that hide an element. Comments and processing instructions
    give only their tail.
    """
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in SKIPPED_TAGS or id(element) in skipped or (tag and _is_hidden(element, skip_classes)):
        if element.tail:
            out.append(element.tail)
        return
    block = tag in BLOCK_TAGS
    if block:
        out.append("\n")
    if element.text and tag:
        out.append(element.text)
    for child in element:
        walk(child, out, skipped, skip_classes)
    if block:
        out.append("\n")
    if element.tail:
        out.append(element.tail)


def inner_text(
    element: Any,
    skipped: Collection[int] = frozenset(),
    skip_classes: frozenset[str] = HIDDEN_CLASSES,
) -> str:
    """Visible text inside ``element`` (its own tag and tail left out); "" for a script."""
    if not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS:
        return ""
    out: list[str] = [element.text] if element.text else []
    for child in element:
        walk(child, out, skipped, skip_classes)
    return "".join(out)
