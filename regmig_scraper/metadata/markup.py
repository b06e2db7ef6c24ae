"""Read the visible page: the headline, bylines and date lines near it, ``<time>`` elements.

The page's own metadata sits next to its headline; the same markup elsewhere belongs to other
items (sidebars, related-article lists, comments, footers, teasers). So every reader here
(1) skips elements inside an *excluded context* (``EXCLUDED_TAGS`` and class/id words in
``EXCLUDED_WORDS``), and (2) prefers the region around the ``<h1>``: its ``<header>`` /
``<article>`` ancestor, else the elements that follow it within ``NEAR_TITLE_CHARS`` of text.
Pure functions over an lxml tree.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from itertools import islice

from lxml import etree

from regmig_scraper.metadata.bylines import looks_like_name, reads_as_byline
from regmig_scraper.metadata.dates import DateValue, find_date_in_text, parse_date_value
from regmig_scraper.metadata.document import Element
from regmig_scraper.normalize.text import ZERO_WIDTH_CHARS

# Elements whose text readers do not read as text (ruby annotations: the reading of a kanji).
SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "select", "option", "rt", "rp"}
)
# Elements whose content is never the page's own metadata (an ``<aside>`` inside an
# ``<article>`` is the article's own meta box, and is read; a ``<blockquote>`` quotes someone
# else: an embedded tweet or Instagram post, with its own date).
EXCLUDED_TAGS = frozenset({"aside", "nav", "footer", "form", "blockquote"})
# Class / id words of containers of other items, matched against each class token or one of
# its "-"/"_" separated parts.
EXCLUDED_WORDS = frozenset(
    {
        "comment", "comments", "commentlist", "respond", "reply", "replies", "sidebar",
        "related", "recommended", "recirc", "teasers",
        "popular", "trending", "nav", "navigation", "navbar", "menu", "breadcrumb",
        "breadcrumbs", "share", "sharing", "social", "newsletter", "advert", "ads",
        "promo", "cookie", "cookies", "modal", "outbrain", "taboola", "pagination", "carousel",
        "slider", "more-stories", "also-read", "read-more", "next-post", "prev-post",
        "previous", "weitere", "sitemap", "topbar", "ticker", "dropdown",
        # lists of the most read stories ("top-hits", "most-read", "meistgelesen")
        "hits", "most-read", "mostread", "meistgelesen",
    }
)  # fmt: skip
# Class tokens that describe the item's taxonomy or layout, not its role: WordPress writes
# "category-popular tag-related has-sidebar" on the post itself.
NEUTRAL_CLASS_PREFIXES = ("tag-", "category-", "categories-", "has-", "with-", "no-", "format-",
                          "status-", "is-")  # fmt: skip
# "-" / "_" separated parts, and camelCase ones ("navSkip", "relatedPosts")
CLASS_PARTS = re.compile(r"[-_]|(?<=[a-z])(?=[A-Z])")
# Words excluded only as a whole class token or id: "footer" is the page's footer, but
# "rez_footer" / "entry-footer" is the article's own.
WHOLE_TOKEN_WORDS = frozenset(
    {"footer", "site-footer", "page-footer", "main-footer", "teaser", "widget", "widgets",
     "widget-area", "widget_text", "textwidget"}
)  # fmt: skip
# Marks the headline's ancestors (set by ``mark_headline``): never an excluded context, whatever
# their class says ("content-area sidebar" is a layout name on the main column).
HEADLINE_MARK = "data-regmig-headline"
# Set on the root when a headline was found (and its ancestors marked).
HEADLINE_FOUND = "data-regmig-headline-found"
# Set on the root: the class blocks of the headline and its ancestors (see ``_excluded_attrs``).
HEADLINE_BLOCKS = "data-regmig-headline-blocks"


def mark_headline(headline: Element | None) -> None:
    """Mark the headline's ancestors as the page's own containers (see ``is_excluded``).

    Called before any ``is_excluded`` that remembers its answer (``find_headline`` asks with
    ``remember=False``), so no answer cached before the marks is left to contradict them.
    """
    if headline is None:
        return
    blocks: set[str] = set()
    for element in (headline, *headline.iterancestors()):
        if element.tag in ("body", "html"):
            break
        if element is not headline:
            element.set(HEADLINE_MARK, "1")
        blocks.update(_block(token) for token in (element.get("class") or "").split())
    root = headline.getroottree().getroot()
    root.set(HEADLINE_FOUND, "1")
    root.set(HEADLINE_BLOCKS, " ".join(sorted(blocks)))


def _block(token: str) -> str:
    """A class token's block, in the BEM and CSS-module sense: "ArticleHeaderComment" for
    "ArticleHeaderComment_publishDate" and for "ArticleHeaderComment" itself."""
    return token.lstrip("_").split("_", 1)[0].lower()


class AnyCaseWords:
    """A pattern of lowercase words, found in any case, that answers only whether a text holds
    one (``found_in``), faster than an IGNORECASE pattern: an ASCII text (class names, most
    lines) is lowercased and searched by the case-sensitive form, whose words re rules out
    letter by letter in C, where with IGNORECASE it enters every alternative in turn
    (measured 2-3x faster on the class names of 851 pages). For ASCII text ignoring case is
    lowercasing, so the answers are the same; any other text is searched with IGNORECASE."""

    def __init__(self, source: str) -> None:
        if source != source.lower():
            # "[A-Z]" or "\W" would mean something else in the case-sensitive form
            raise ValueError(f"not a lowercase pattern: {source!r}")
        self.lowercase = re.compile(source)
        self.any_case = re.compile(source, re.IGNORECASE)

    def found_in(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        if text.isascii():
            return self.lowercase.search(text.lower(), pos, endpos) is not None
        return self.any_case.search(text, pos, endpos) is not None


# Class / id / itemprop words of a byline container.
AUTHOR_WORDS = AnyCaseWords(r"author|byline|autor|auteur|verfasser")
# Author-box words that are NOT the byline (biographies, avatars, "about the author").
AUTHOR_BOX_WORDS = AnyCaseWords(r"bio|avatar|about|description|img|image|photo|box")
# Class / id / itemprop words of a date container.
DATE_WORDS = AnyCaseWords(
    r"date|datum|time|posted|published|pubdate|meta|dateline|fecha|byline|info|submitted|"
    r"entry-header|post-header|article-header"
)
# Labels of a date that is not the publication date.
NOT_PUBLISHED = re.compile(
    r"updated|update|modified|last\s+(?:changed|edited|reviewed)|revised|aktualisiert|"
    r"geändert|zuletzt|mis\s+à\s+jour|modifié|actualizado|actualización|modificado|"
    r"aggiornat|atualizado|bijgewerkt|zaktualizowano|©|copyright|\(c\)|comment|kommentar|"
    r"expires|deadline|event\s+date|läuft\s+bis|"
    # how long a video or an offer stays online ("Verfügbar bis 06.05.2024")
    r"verfügbar\s+bis|gültig\s+bis|available\s+(?:until|till)|valid\s+(?:until|through)|"
    r"disponible\s+(?:jusqu|hasta)|disponibile\s+fino|"
    # a game's, film's or product's release, not the page's ("Release: 14.11.2019")
    r"(?<!press\s)\brelease(?:\s+date)?\s*:|"
    # a date filter's placeholder shows the crawl's date: "E.g., 09/19/2022", "z.B. 19.09.2022"
    r"\be\.\s?g\.|\bz\.\s?b\.|\bp\.\s?ej\.",
    re.IGNORECASE,
)
# Class words of a modification date. A bare "updated" class is not one: hAtom themes write
# "entry-date published updated" on the publication date.
MODIFIED_CLASS = re.compile(r"modified|last-?updated|date-?updated|updated-?(?:date|on|at)", re.I)
# Class words of a publication date, which win over any "updated" word beside them.
PUBLISHED_CLASS = re.compile(r"published|entry-date|post-date|pubdate|date-?published", re.I)

# Labels of a publication date ("Published", "Veröffentlicht", "Publié le", "Publicado").
PUBLISHED_LABEL = re.compile(
    r"published|posted|veröffentlicht|erschienen|publié|publicado|pubblicato|gepubliceerd|"
    r"opublikowano|datum|date|fecha",
    re.IGNORECASE,
)
# How much visible text after the headline counts as "near the title".
NEAR_TITLE_CHARS = 600
# How much visible text before the headline (a kicker or date line above it).
BEFORE_TITLE_CHARS = 200
# The longest text of an element read as a byline or a date line.
MAX_LINE_CHARS = 160


# The most characters of text read from one element: every reader here wants a short line,
# so a page-sized container is cut short instead of walked whole.
TEXT_LIMIT = 2000


def text_of(element: Element, limit: int = TEXT_LIMIT) -> str:
    """Visible text of an element (without its tail), whitespace-normalized, scripts and
    styles left out; at most about ``limit`` characters. (Here and below each lxml property is
    read once: every read builds a new string.)"""
    tag = element.tag
    if isinstance(tag, str) and tag in SKIPPED_TAGS:
        return ""
    text = element.text or ""
    parts: list[str] = [text]
    budget = [limit - len(text)]
    for child in element:
        if budget[0] <= 0:
            break
        _text_into(child, parts, budget)
    return _squeezed(" ".join(parts))


# Characters a reader never sees, the text normalizer's: soft hyphens (German authorities
# hyphenate their headlines: "Mes&shy;sen&shy;ger&shy;diens&shy;te"), zero-width spaces, BOMs.
INVISIBLE = dict.fromkeys(map(ord, ZERO_WIDTH_CHARS))
INVISIBLE_CHAR = re.compile(f"[{ZERO_WIDTH_CHARS}]")


def _squeezed(text: str) -> str:
    """Whitespace-normalized, without invisible characters (translated only when one is
    there: a search in C costs a fraction of the translation, and most texts hold none)."""
    if INVISIBLE_CHAR.search(text):
        text = text.translate(INVISIBLE)
    return " ".join(text.split())


def _text_into(element: Element, parts: list[str], budget: list[int]) -> None:
    tag = element.tag
    if isinstance(tag, str) and tag and tag not in SKIPPED_TAGS:
        text = element.text
        if text:
            parts.append(text)
            budget[0] -= len(text)
        for child in element:
            if budget[0] <= 0:
                return
            _text_into(child, parts, budget)
        if tag in BLOCK_BREAKS:
            parts.append(" ")
    tail = element.tail
    if tail:
        parts.append(tail)
        budget[0] -= len(tail)


BLOCK_BREAKS = frozenset({"br", "p", "div", "li", "td", "dd", "dt"})


def _attrs(element: Element) -> str:
    return " ".join(
        [v for v in (element.get("class"), element.get("id"), element.get("itemprop")) if v]
    )


def _pair(first: str | None, second: str | None) -> str:
    """The two texts that are not empty, joined by a space (a generator into ``join`` costs
    twice as much, on the thousands of elements a page has)."""
    if first and second:
        return f"{first} {second}"
    return first or second or ""


# Class tokens of what only a printout shows: its header and footer carry the day it was
# printed (the crawl's day), not the page's date.
PRINT_ONLY = re.compile(
    r"show-for-print|visible-print(?:-[a-z]+)?|print-?only|d-print-(?:block|inline|"
    r"inline-block|flex|table)|print-?header|print-?footer(?:-[a-z]+)?"
)


def _excluded_attrs(attrs: str, own_blocks: frozenset[str] = frozenset()) -> bool:
    """Whether class / id tokens name another item's container. A token of a block the
    headline's own elements are classed by ("ArticleHeaderComment_publishDate" beside
    "ArticleHeaderComment_headline": an opinion piece's header) is read by its element part
    alone: the block is the page's own component, whatever its name says."""
    for token in attrs.split():
        if own_blocks and "_" in token.lstrip("_") and _block(token) in own_blocks:
            token = token.lstrip("_").split("_", 1)[1]
        lowered = token.lower()
        if "print" in lowered and PRINT_ONLY.fullmatch(lowered):
            return True
        if lowered.startswith(NEUTRAL_CLASS_PREFIXES):
            continue
        if lowered in WHOLE_TOKEN_WORDS:
            return True
        if lowered in EXCLUDED_WORDS:
            return True
        parts = [p.lower() for p in CLASS_PARTS.split(token)]
        for index, part in enumerate(parts):
            if part in LAYOUT_FEATURE_WORDS:
                # "header-with-topbar", "layout--has-sidebar": what follows is something the
                # element has beside it, not what it is
                del parts[index:]
                break
        if not EXCLUDED_WORDS.isdisjoint(parts):
            return True
    return False


# A class part after which the class names a feature of the layout, not the element's role.
LAYOUT_FEATURE_WORDS = frozenset({"with", "has", "without", "no", "for"})


# Class tokens of an article's own container: its footer and aside are its meta boxes.
ARTICLE_CLASSES = frozenset({"article", "post", "entry", "hentry", "blog-post", "news-single"})
# Containers that are the article's own parts when inside an article.
OWN_PARTS = frozenset({"footer", "aside", "meta", "postmeta", "entry-footer", "post-footer"})


def _in_article(node: Element) -> bool:
    for ancestor in node.iterancestors():
        if ancestor.tag == "article":
            return True
        classes = (ancestor.get("class") or "").lower().split()
        if not ARTICLE_CLASSES.isdisjoint(classes):
            return True
    return False


# Caches ``is_excluded``'s answer on each element it visits ("1" / "0"): the scans ask about
# thousands of elements that share their ancestors.
EXCLUDED_MARK = "data-regmig-excluded"


def is_excluded(element: Element, remember: bool = True) -> bool:
    """True when the element or an ancestor is another item's container.

    An ``<aside>`` or a footer inside an article is the article's own meta box, not excluded.
    ``remember=False`` leaves no cached answer behind: for questions asked before
    ``mark_headline``, whose marks change the answers.
    """
    visited: list[Element] = []
    node = element
    answer = False
    while node is not None:
        cached = node.get(EXCLUDED_MARK)
        if cached is not None:
            answer = cached == "1"
            break
        visited.append(node)
        if _excluded_here(node):
            answer = True
            break
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("body", "html") or node.get(HEADLINE_MARK):
            break
        node = node.getparent()
    if remember:
        mark = "1" if answer else "0"
        for seen in visited:
            seen.set(EXCLUDED_MARK, mark)
    return answer


def _excluded_here(node: Element) -> bool:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in EXCLUDED_TAGS and not (tag in ("aside", "footer") and _in_article(node)):
        return True
    if tag in ("body", "html") or node.get(HEADLINE_MARK):
        return False
    if tag == "article":
        return _another_article(node)
    if tag == "a" and _holds_heading(node):
        # a link around a heading is a teaser card for another page (once the page's own
        # headline is known: before, the heading may be it)
        return bool(node.getroottree().getroot().get(HEADLINE_FOUND))
    attrs = _pair(node.get("class"), node.get("id"))
    if not attrs or not _excluded_attrs(attrs):
        return False
    own_blocks = node.getroottree().getroot().get(HEADLINE_BLOCKS)
    if own_blocks and not _excluded_attrs(attrs, frozenset(own_blocks.split())):
        return False
    if any(is_marked_headline(h) for h in node.iter("h1")):
        # a layout wrapper of the content and its sidebar ("content-sidebar-wrap") holds the
        # entry's own marked headline: a sidebar never does
        return False
    return not (OWN_PARTS.intersection(attrs.lower().split()) and _in_article(node))


TEASER_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _holds_heading(link: Element) -> bool:
    return next(link.iter(*TEASER_HEADINGS), None) is not None


def _another_article(article: Element) -> bool:
    """An ``<article>`` beside other ``<article>`` elements (a list of teasers: "more from the
    blog" under a post) that does not hold the page's headline is another item. Without a
    headline found, no article of the list is preferred, so none is excluded."""
    if not article.getroottree().getroot().get(HEADLINE_FOUND):
        return False
    parent = article.getparent()
    return parent is not None and sum(1 for _ in parent.iterchildren("article")) > 1


# Class words of a headline that is not an ``<h1>`` (blog themes put the site name in the h1).
HEADLINE_CLASS = re.compile(
    r"(?:entry|post|article|story|page|news|item|content|node)[-_]?(?:title|headline|heading)|"
    r"\bheadline\b|\btitle\b",
    re.IGNORECASE,
)


# Class / id words of a heading that holds the site's name, not the page's headline.
SITE_TITLE_CLASS = re.compile(r"site-?title|site-?name|logo|brand|blog-?title|masthead", re.I)
# A metadata title "agrees" with a heading whose text covers at least this share of it.
HEADLINE_SHARE = 0.5
# Separators inside a metadata title: "Headline | Site", "Site - Headline".
TITLE_PARTS = re.compile(r"\s+[|–—·•»/:-]\s+|\s*[|│]\s*|\s+::\s+")


# A kicker before the headline: "Siemens und die Kohlemine Adani: Kaeser verarscht Neubauer".
KICKER = re.compile(r":\s+")


def headline_parts(title: str) -> list[str]:
    """The readings of a metadata title as "Headline | Site" or "Site | Headline": the text
    before its last separator when it is the longer side, the text after its first separator
    when that is the longer side, and the text after a kicker's colon."""
    title = " ".join(title.split())
    parts = []
    separators = list(TITLE_PARTS.finditer(title))
    if separators:
        last, first = separators[-1], separators[0]
        before, after = title[: last.start()], title[last.end() :]
        if len(before) >= len(after):  # a tie: "Headline - Site" is the common order
            parts.append(before)
        before, after = title[: first.start()], title[first.end() :]
        if len(after) > len(before):
            parts.append(after)
    kicker = KICKER.search(title)
    if kicker and len(title) - kicker.end() >= 8:
        parts.append(title[kicker.end() :])
    return parts


# Typographic dashes and quotes, written plainly: a <title> and its heading often differ only
# in them ("Queer Royal – Über ..." / "Queer Royal - Über ...").
TYPOGRAPHY = str.maketrans({"–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "‐": "-",
                            "‑": "-", "’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'",
                            "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})  # fmt: skip


def plain(text: str) -> str:
    """A title or heading as compared: casefolded, typographic marks plain, spaces single."""
    return " ".join(text.casefold().translate(TYPOGRAPHY).split())


def agrees(heading: str, title: str) -> bool:
    """True when a heading's text is the headline a metadata title names: equal (casefolded),
    one of its ``headline_parts``, or most of the title."""
    heading, title = plain(heading), plain(title)
    if not heading or not title:
        return False
    if heading == title:
        return True
    if _extends(heading, title):
        return True
    if heading not in title:
        return False
    if heading in headline_parts(title):
        return True
    if any(heading == p for p in (title.rsplit(" ", 1)[0],)):  # a trailing word cut off
        return True
    return len(heading) >= HEADLINE_SHARE * len(title) and heading not in _site_sides(title)


def _extends(heading: str, title: str) -> bool:
    """True when the heading is the metadata title's headline with a tail after a colon or a
    dash ("saftiger zitronenkuchen vom blech: einfach köstlich!" for "saftiger zitronenkuchen
    vom blech | backen macht glücklich"): the metadata shortened the headline."""
    if len(heading) <= MIN_EXTENDED_CHARS or heading[:MIN_EXTENDED_CHARS] not in title:
        return False  # most headings: a search in C, before the title is cut into parts
    for text in (title, *headline_parts(title)):
        if (
            len(text) >= MIN_EXTENDED_CHARS
            and heading.startswith(text)
            and HEADLINE_TAIL.match(heading, len(text))
        ):
            return True
    return False


# The shortest metadata headline that a longer heading may extend.
MIN_EXTENDED_CHARS = 12
# Where a headline's tail starts: "Headline: tail", "Headline - tail".
HEADLINE_TAIL = re.compile(r"\s*:\s+\S|\s+[|–—-]\s+\S")


def _site_sides(title: str) -> list[str]:
    """The shorter sides of a title's first and last separators: where a site name sits."""
    separators = list(TITLE_PARTS.finditer(title))
    if not separators:
        return []
    last, first = separators[-1], separators[0]
    sides = [title[: first.start()], title[last.end() :]]
    # "Site - Section - Headline": the longest part is the headline, wherever it stands
    longest = max(TITLE_PARTS.split(title), key=len)
    return [s for s in sides if len(s) < len(longest)]


def _is_site_heading(heading: Element) -> bool:
    """A heading that names the site (a site-title/logo class, a link to the home page) or
    that readers never see (a screen-reader-only "Navigation" heading). A heading marked as
    the entry's headline is none, whatever else its classes say ("entry-title
    aungblogtitle")."""
    if is_marked_headline(heading):
        return _is_hidden(heading.get("class") or "")
    for element in (heading, *heading.iterchildren()):
        attrs = _pair(element.get("class"), element.get("id"))
        if attrs and SITE_TITLE_CLASS.search(attrs):
            return True
    if _is_hidden(heading.get("class") or ""):
        return True
    links = [a for a in heading.iter("a")]
    return len(links) == 1 and (links[0].get("href") or "").strip() in ("/", "./", "index.html")


def is_marked_headline(heading: Element) -> bool:
    """True when the markup says the heading is the item's headline: ``itemprop="headline"``
    or a class of an entry's title (``entry-title``, ``post_title``), never the site's."""
    if (heading.get("itemprop") or "").strip().lower() in ("headline", "name headline"):
        return True
    return bool(ITEM_TITLE_CLASS.search(heading.get("class") or ""))


# Classes of an entry's own title (not a bare "title", which a site's name wears too).
ITEM_TITLE_CLASS = re.compile(
    r"(?:entry|post|article|story|news|node)[-_]?(?:title|headline)", re.IGNORECASE
)


# Classes of text readers never see.
HIDDEN_CLASSES = frozenset(
    {"sr-only", "visually-hidden", "screen-reader-text", "element-invisible", "hidden",
     "aural", "u-visually-hidden", "visuallyhidden", "offscreen", "text-hide"}
)  # fmt: skip
# Classes of a kicker or a standfirst inside a headline element ("Dachzeile", "Topline").
KICKER_CLASS = re.compile(
    r"kicker|overline|topline|dachzeile|roofline|eyebrow|supertitle|subtitle|subline|"
    r"standfirst|teaser-?text",
    re.IGNORECASE,
)


def headline_text(heading: Element) -> str:
    """The headline's text without a kicker or standfirst printed inside the same element
    (``<h1><span class="kicker">Eishockey</span> Das Halbfinale...</h1>``)."""
    parts = [heading.text or ""]
    kicker: list[str] = []
    for child in heading:
        if not isinstance(child.tag, str):
            parts.append(f" {child.tail or ''}")
            continue
        if SEPARATOR.fullmatch(text_of(child)) and _only_elements_before(heading, child):
            # "<span>Kicker</span><span class=invisible>: </span><span>Headline</span>": a
            # separator of its own divides the kicker from the headline
            kicker, parts = parts, [child.tail or ""]
            continue
        classes = child.get("class") or ""
        if _is_hidden(classes) or KICKER_CLASS.search(classes):
            parts.append(f" {child.tail or ''}")
        else:
            _flowing_text(child, parts)
    text = LEADING_SEPARATOR.sub("", _squeezed(_joined(parts))) or _squeezed(_joined(kicker))
    return text or text_of(heading)


def heading_with_kicker(heading: Element) -> str:
    """The whole heading as laid out, a kicker printed inside it and the hidden separator after
    it included ("Entwurf des Selbstbestimmungsgesetzes: Ein bisschen Fortschritt")."""
    parts = [heading.text or ""]
    for child in heading:
        _flowing_text(child, parts)
    return _squeezed(_joined(parts))


def text_after_lead(heading: Element) -> str | None:
    """The heading's text after its first element, when the heading opens with that element
    and text follows it (``<h1><span>Medienmitteilung der Direktion :</span>Impfen und
    ...</h1>``): the headline, if the page's metadata title says just that; else None."""
    if (heading.text or "").strip():
        return None
    children = [c for c in heading if isinstance(c.tag, str) and c.tag not in SKIPPED_TAGS]
    if len(children) == 1 and not (children[0].tail or "").strip():
        # the headline wrapped whole in one element (``<span itemprop="headline">``)
        return text_after_lead(children[0])
    if len(children) < 1 or not text_of(children[0]):
        return None
    parts = [children[0].tail or ""]
    for child in children[0].itersiblings():
        _flowing_text(child, parts)
    rest = _squeezed(_joined(parts))
    return rest or None


# Punctuation between a kicker and a headline, alone in an element of its own.
SEPARATOR = re.compile(r"[:|–—-]")
# A separator left at the start once a kicker is taken out (": Wie Firmen ...").
LEADING_SEPARATOR = re.compile(r"^[:|–—-]\s+")


def _only_elements_before(heading: Element, child: Element) -> bool:
    """True when the heading's text before ``child`` sits in elements (a kicker's span), and
    text follows it."""
    if (heading.text or "").strip():
        return False
    before = list(child.itersiblings(preceding=True))
    return (
        bool(before)
        and not any((b.tail or "").strip() for b in before)
        and (bool((child.tail or "").strip()) or child.getnext() is not None)
    )


def _flowing_text(element: Element, parts: list[str]) -> None:
    """The text as a browser lays it out: inline markup adds no space of its own
    ("<ruby>子<rt>こ</rt></ruby>ども", "<em>THW</em>: Vergangenheit"); a block or a line
    break does. Inline edges are marked (``INLINE_EDGE``) for ``_joined``."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag and tag not in SKIPPED_TAGS:
        gap = INLINE_EDGE if tag in INLINE_TAGS else " "
        parts.append(gap + (element.text or ""))
        for child in element:
            _flowing_text(child, parts)
        parts.append(gap)
    parts.append(element.tail or "")


# The edge of an inline element in a heading's laid-out text.
INLINE_EDGE = "\x00"
# Edges between a word's end and a capital: a kicker span styled as a line of its own
# ("<span>Nationale Demo</span>Der 9. Juli naht").
CASE_EDGE = re.compile(r"(?<=[^\W\d_])\x00+(?=[^\W\d_])")


def _joined(parts: list[str]) -> str:
    """The parts as one text: an inline edge adds no space, except where a lowercase letter
    meets a capital (a word never changes case there: "DemoDer" is two lines)."""
    text = "".join(parts)
    if INLINE_EDGE not in text:
        return text
    text = CASE_EDGE.sub(_case_edge, text)
    return text.replace(INLINE_EDGE, "")


def _case_edge(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    return " " if text[start - 1].islower() and text[end].isupper() else ""


# Elements that flow within a line of text: their edges are no word boundary.
INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "i", "mark", "q", "ruby", "s",
     "small", "span", "strong", "sub", "sup", "time", "u"}
)  # fmt: skip


def find_headline(root: Element, title_hints: tuple[str, ...] = ()) -> Element | None:
    """The page's headline: the first h1/h2/h3 that ``agrees`` with a metadata title
    (``og:title``, ``<title>``: ``title_hints``), a breadcrumb trail's crumb yielding to a
    heading a title names word for word or to an ``itemprop="headline"`` element; else the
    first ``<h1>`` outside excluded contexts that does not name the site, preferring one in an
    ``<article>`` / ``<main>``, and among several such the first h1/h2 sharing a word with a
    title; else the first h2/h3 whose class says title or headline (``entry-title``,
    ``post-title``); else an h4-h6 a metadata title names, or on a page without h1-h3 the
    first h4-h6; None when there is none."""
    texts = {}
    for heading in root.iter("h1", "h2", "h3"):
        text = text_of(heading, limit=400)
        if len(text) >= 2 and not _is_site_heading(heading):
            texts[heading] = text
    headings = list(texts)
    if title_hints:
        # a heading the page's title names is the page's own, whatever its container's class
        # says (Blogger puts every post in a "widget"), but for a breadcrumb trail's last
        # crumb: it repeats the page's name for search engines, the printed headline is
        # elsewhere (in another heading a title names, or marked ``itemprop="headline"``)
        crumb = None
        for level in ("h1", "h2", "h3"):
            for heading in headings:
                if heading.tag == level and _named_by(heading, texts[heading], title_hints):
                    if in_breadcrumbs(heading):
                        crumb = crumb if crumb is not None else heading
                        continue
                    if crumb is not None and not _named_whole(heading, title_hints):
                        continue  # the crumb is the title; a heading like it is not better
                    over = _headline_over(heading, headings, texts, title_hints)
                    return heading if over is None else over
        if crumb is not None:
            marked = _marked_headline(root)
            return crumb if marked is None else marked
    headings = [h for h in headings if not is_excluded(h, remember=False)]
    candidates = [h for h in headings if h.tag == "h1"]
    if not candidates:
        for heading in headings:
            attrs = " ".join(v for v in (heading.get("class"), heading.get("itemprop")) if v)
            if attrs and HEADLINE_CLASS.search(attrs):
                return heading
        return _minor_headline(root, title_hints, alone=not headings)
    for h1 in candidates:
        if any(a.tag in ("article", "main") for a in h1.iterancestors()):
            return h1
    if len(candidates) > 1 and title_hints:
        # several <h1> that no title names: a CMS styling every box's heading as one
        # ("Quicklinks", "Our partners"); the first h1/h2 tied to the title by a word heads
        # the page's text
        tied = _first_tied(headings, title_hints)
        if tied is not None:
            return tied
    return candidates[0]


def _first_tied(headings: list[Element], title_hints: tuple[str, ...]) -> Element | None:
    """The first h1/h2 that ``shares_word`` with a metadata title."""
    words = {w for t in title_hints for w in LONG_WORD.findall(t)}
    for heading in headings:
        if heading.tag in ("h1", "h2") and shares_word(
            words, LONG_WORD.findall(text_of(heading).casefold())
        ):
            return heading
    return None


# A word that can tie a heading to a title (four letters or more, no digits).
LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def shares_word(title_words: set[str], heading_words: list[str]) -> bool:
    """True when a heading is tied to a title: it has one of the title's words (``LONG_WORD``),
    or one that begins with a title word or is the beginning of one (an inflection:
    "Beitragseinreichungen" for "Beitragseinreichung", "Ausbildung" for "Ausbildungen")."""
    if title_words.intersection(heading_words):
        return True
    return any(
        a.startswith(b) or b.startswith(a)
        for a in heading_words
        if len(a) >= MIN_STEM_CHARS
        for b in title_words
        if len(b) >= MIN_STEM_CHARS
    )


# The shortest word read as a stem of an inflected one.
MIN_STEM_CHARS = 6


def in_breadcrumbs(element: Element) -> bool:
    """True when the element is inside a breadcrumb trail (a ``breadcrumb`` class or id, a
    schema.org ``BreadcrumbList``, an ``aria-label`` that says so)."""
    for node in element.iterancestors():
        if node.tag in ("body", "html"):
            return False
        if _names_breadcrumbs(node):
            return True
    return False


def _names_breadcrumbs(node: Element) -> bool:
    attrs = " ".join(
        v for v in (node.get("class"), node.get("id"), node.get("itemtype"),
                    node.get("aria-label")) if v
    )  # fmt: skip
    return "breadcrumb" in attrs.lower()


def last_crumbs(root: Element) -> frozenset[str]:
    """The casefolded last crumb of each breadcrumb trail on the page: the name of the page
    the reader is on ("Start > Leistungen > Gut zu wissen"); separators drawn as text
    (">", "/") are no crumbs."""
    crumbs = set()
    for trail in root.iter(*TRAIL_TAGS):
        if not _names_breadcrumbs(trail) or in_breadcrumbs(trail):
            continue  # not a trail, or a crumb inside one ("breadcrumb-item")
        texts = [t for t in trail.itertext() if any(c.isalnum() for c in t)]
        if texts:
            crumbs.add(" ".join(texts[-1].strip(CRUMB_SEPARATORS).split()).casefold())
    return frozenset(crumbs)


# Elements that hold a breadcrumb trail.
TRAIL_TAGS = ("nav", "ol", "ul", "div", "p")
# Separators drawn between crumbs as text ("Home / Reports", "Start » Berichte").
CRUMB_SEPARATORS = " \t\n\r\xa0>»›/\\|·•→-–—"


def classed_headlines(root: Element, named: re.Pattern[str] = HEADLINE_CLASS) -> Iterator[str]:
    """Texts of the elements outside other items whose class ``named`` matches (a title or a
    headline), in page order: a headline a theme sets in a ``<div>`` or ``<p>`` rather than
    a heading. Menu entries, links and the site's own title are none."""
    for element in root.iterfind(".//*[@class]"):
        if element.tag in NOT_HEADLINE_TAGS:
            continue
        classes = element.get("class") or ""
        if not named.search(classes) or SITE_TITLE_CLASS.search(classes):
            continue
        text = text_of(element, limit=400)
        if text and not is_excluded(element) and not is_hidden(element):
            yield text


# A class that names a headline and nothing else ("l-headline"; "title" names boxes too).
HEADLINE_ONLY_CLASS = re.compile(r"headline", re.IGNORECASE)
# Elements whose text is no page's headline, whatever their class says.
NOT_HEADLINE_TAGS = frozenset(
    {"a", "li", "ul", "ol", "nav", "option", "button", "label", "title", "body", "html"}
)


def _named_whole(heading: Element, title_hints: tuple[str, ...]) -> bool:
    """True when a metadata title, or its headline side, has the heading's words in order
    (punctuation aside), with or without the kicker printed in it."""
    spelled = {_words(text) for text in (text_of(heading), headline_text(heading))}
    return any(_words(part) in spelled for t in title_hints for part in (t, *headline_parts(t)))


def _words(text: str) -> tuple[str, ...]:
    return tuple(TITLE_WORD.findall(text.casefold()))


# A word of a title or heading, punctuation aside.
TITLE_WORD = re.compile(r"\w+")


def _marked_headline(root: Element) -> Element | None:
    """The first element outside breadcrumbs and other items that the markup marks as the
    item's headline (``itemprop="headline"``), with text; else None."""
    for element in root.iterfind(".//*[@itemprop]"):
        if element.tag in ("meta", "link") or not is_marked_headline(element):
            continue
        if (
            text_of(element)
            and not in_breadcrumbs(element)
            and not is_excluded(element, remember=False)
        ):
            return element
    return None


def _named_by(heading: Element, text: str, title_hints: tuple[str, ...]) -> bool:
    """True when a metadata title names the heading: its whole text, or, when the title is
    inside it, its text without the kicker printed in it ("<span class=roofline>Premiere in
    Eisenhüttenstadt</span> - DDR-Hotel Lunik öffnet ...")."""
    if any(agrees(text, t) for t in title_hints):
        return True
    folded = text.casefold()
    if not any(t in folded for t in title_hints):
        return False  # most headings: a search in C before the kicker is read
    headline = headline_text(heading)
    return headline != text and any(agrees(headline, t) for t in title_hints)


def _headline_over(
    subheading: Element,
    headings: list[Element],
    texts: dict[Element, str],
    title_hints: tuple[str, ...],
) -> Element | None:
    """The ``<h1>`` above a subheading that a title names as "Headline - Subheading | Site"
    ("Vom Boden aus gedacht - Ann Cotten verwebt ... : literaturkritik.de"), else None."""
    if subheading.tag == "h1":
        return None
    below = plain(texts[subheading])
    hints = [plain(t) for t in title_hints]
    for heading in headings:
        if heading is subheading:
            return None
        if heading.tag != "h1":
            continue
        above = plain(texts[heading])
        if not any(c.isalpha() for c in above):
            continue  # a blog's "..." or an ornament
        if any(f"{above}{sep}{below}" in t for t in hints for sep in SUBTITLE_SEPS):
            return heading
    return None


# Between a headline and its subheading in a title (typographic dashes read as "-").
SUBTITLE_SEPS = (" - ", " : ", " | ")


def _minor_headline(root: Element, title_hints: tuple[str, ...], alone: bool) -> Element | None:
    """On a page without h1-h3 headlines, the first h4-h6 that a metadata title names
    (a CMS that styles its news item's headline as an ``<h4>``); when the page has no h1-h3
    outside other items at all (``alone``), its first h4-h6 outside them."""
    first = None
    for heading in root.iter("h4", "h5", "h6"):
        text = text_of(heading, limit=400)
        if len(text) < MIN_MINOR_HEADLINE_CHARS:
            continue
        named = any(agrees(text, t) for t in title_hints)
        if not (named or (alone and first is None)):
            continue
        if _is_site_heading(heading) or is_excluded(heading, remember=False):
            continue
        if named:
            return heading
        first = heading
    return first


# The shortest h4-h6 read as a headline without a title naming it ("Termine" is a box's name).
MIN_MINOR_HEADLINE_CHARS = 20


def headline_region(h1: Element) -> Element:
    """The smallest ancestor of the headline that holds its metadata: the ``<header>`` or
    ``<article>`` around it, else its parent."""
    parent = h1.getparent()
    for ancestor in h1.iterancestors():
        if ancestor.tag in ("header", "article") and not is_excluded(ancestor):
            return ancestor
        if ancestor.tag in ("body", "main"):
            break
    return parent if parent is not None else h1


def elements_near(h1: Element) -> Iterator[tuple[Element, bool]]:
    """Elements in document order around the headline: (element, after_title), within
    ``BEFORE_TITLE_CHARS`` before and ``NEAR_TITLE_CHARS`` after it (text measured), inside
    the ``<body>`` (the whole document when it has none)."""
    root = h1.getroottree().getroot()
    scope = root.find("body")
    if scope is None:
        scope = root
    elif not any(a is scope for a in h1.iterancestors()):
        return
    # walked outwards from the headline: walking the body from its start costs milliseconds
    # on pages with large menus
    before = list(islice(_before(h1, scope), BEFORE_ELEMENTS))
    before.reverse()
    yield from _last_within(before, BEFORE_TITLE_CHARS)
    budget = NEAR_TITLE_CHARS
    for element in _following(h1, scope):
        if not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS:
            continue
        yield element, True
        budget -= len((element.text or "").strip()) + len((element.tail or "").strip())
        if budget <= 0:
            return


# How many elements before the headline are looked at (then trimmed to BEFORE_TITLE_CHARS).
BEFORE_ELEMENTS = 60


def _before(h1: Element, scope: Element) -> Iterator[Element]:
    """The elements of ``scope`` (itself included) before the headline, nearest first
    (reverse document order, lazily)."""
    node = h1
    while node is not scope:
        for sibling in node.itersiblings(preceding=True):
            yield from _backwards(sibling)
        node = node.getparent()
        yield node


def _backwards(element: Element) -> Iterator[Element]:
    """The elements of a subtree in reverse document order (lazily)."""
    for child in element.iterchildren(reversed=True):
        if isinstance(child.tag, str):
            yield from _backwards(child)
    if isinstance(element.tag, str):
        yield element


def _following(h1: Element, scope: Element) -> Iterator[Element]:
    """The headline's descendants, then every element after it inside ``scope``, in
    document order (lazily: the caller stops after a few hundred characters)."""
    yield from h1.iterdescendants()
    node = h1
    while node is not scope:
        for sibling in node.itersiblings():
            yield from sibling.iter()
        node = node.getparent()


def _last_within(elements: list[Element], chars: int) -> Iterator[tuple]:
    picked: list[Element] = []
    for element in reversed(elements):
        if element.tag in SKIPPED_TAGS:
            continue
        chars -= len((element.text or "").strip()) + len((element.tail or "").strip())
        if chars < 0:
            break
        picked.append(element)
    for element in reversed(picked):
        yield element, False


def time_elements(
    scope: Element, today=None, day_first: bool = True
) -> tuple[DateValue | None, DateValue | None]:
    """(published, modified) from ``<time datetime>`` and ``itemprop`` dates inside ``scope``,
    outside excluded contexts. A time labelled "updated" (class or text) is a modification."""
    published = modified = None
    for element in scope.iter("time", "meta", "span", "div", "p", "abbr"):
        prop = (element.get("itemprop") or "").lower()
        if element.tag == "time":
            raw = element.get("datetime") or element.get("content") or text_of(element)
        elif prop in ("datepublished", "datecreated", "datemodified", "dateupdated"):
            raw = element.get("content") or element.get("datetime") or text_of(element)
        elif element.tag == "abbr" and "published" in (element.get("class") or ""):
            raw = element.get("title") or text_of(element)
        else:
            continue
        if not raw or is_excluded(element) or (prop and in_review(element)):
            continue
        classes = element.get("class") or ""
        label = " ".join(v for v in (_label_before(element), text_of(element)) if v)
        value = parse_date_value(raw, today=today, day_first=day_first) or find_date_in_text(
            raw, today=today, day_first=day_first
        )
        if value is None:
            continue
        # hAtom: a bare "updated" time after the "published" one is the modification
        updated_after = published is not None and "updated" in classes.lower().split()
        is_modified = prop in ("datemodified", "dateupdated") or (
            not PUBLISHED_CLASS.search(classes)
            and (
                updated_after
                or bool(MODIFIED_CLASS.search(classes))
                or bool(NOT_PUBLISHED.search(label))
            )
        )
        if is_modified:
            if modified is None:
                modified = DateValue(value.value, value.precision, raw, "time_modified")
            continue
        if published is None:
            source = "itemprop_datePublished" if prop == "datepublished" else "time_element"
            shown = element.tag != "meta" and bool(text_of(element, limit=40))
            published = DateValue(value.value, value.precision, raw, source, shown)
    return published, modified


def in_review(element: Element) -> bool:
    """True inside a microdata review, comment or answer: its date is the reader's."""
    for ancestor in element.iterancestors():
        kind = f"{ancestor.get('itemprop') or ''} {ancestor.get('itemtype') or ''}".lower()
        if any(word in kind for word in ("review", "comment", "answer")):
            return True
    return False


def _label_before(element: Element) -> str:
    """The text just before an element in its parent ("Updated: <time>")."""
    previous = element.getprevious()
    if previous is not None:
        return (previous.tail or "")[-40:] + text_of(previous)[-40:]
    parent = element.getparent()
    return (parent.text or "")[-40:] if parent is not None else ""


# A line element has at most this many children ("<p>Published <time>...</time></p>").
SMALL_LINE_CHILDREN = 6
DIGIT = re.compile(r"[0-9]")


def date_lines_near(h1: Element, today=None, day_first: bool = True) -> DateValue | None:
    """A publication date in a short line near the headline: an element whose class/id says
    date/time/meta or a line labelled "Published"; "Updated" lines are skipped."""
    for element, _after in elements_near(h1):
        attrs = _attrs(element)
        own = _pair((element.text or "").strip(), (element.tail or "").strip())
        # the whole text of a date element or of a small line ("<p>Published <time>..</p>"),
        # else the element's own text: containers are not read whole
        if (attrs and DATE_WORDS.found_in(attrs)) or 0 < len(element) <= SMALL_LINE_CHILDREN:
            text = text_of(element, limit=MAX_LINE_CHARS + 1)
            if len(text) > MAX_LINE_CHARS:
                text = own
        else:
            text = own
        if len(text) > MAX_LINE_CHARS and own:
            # a date that opens a long paragraph ("27.1.2022 - Bei der Erinnerung ..."): only
            # its opening is read
            found = _leading_date(own, today, day_first)
            if found is not None and not is_excluded(element):
                return found
        if not text or len(text) > MAX_LINE_CHARS or not DIGIT.search(text):
            continue
        if is_excluded(element) or _in_caption(element):
            continue  # a photo's caption dates the photo ("Kundus, 6.12.2010")
        if not (DATE_WORDS.found_in(attrs) or PUBLISHED_LABEL.search(text)):
            found = (
                _standalone_date(own or text, today, day_first)
                or _leading_date(own, today, day_first)
                or _dateline(own, today, day_first)
            )
            if found is not None and not own:
                # the line's date as readers see it (checked once a date is found: it costs)
                shown = _shown_text(element, text)
                if shown != text:
                    found = _standalone_date(shown, today, day_first)
            if found is not None:
                return found
            continue
        found = _segments_date(text, today, day_first)
        if found is not None and len(element):
            shown = _shown_text(element, text)
            if shown != text:
                found = _segments_date(shown, today, day_first)
        if found is not None:
            return found
    return None


def _segments_date(
    text: str, today, day_first: bool, source: str = "date_line"
) -> DateValue | None:
    """The first date of a date line's segments that are not labelled as another date."""
    for line in _segments(text):
        if NOT_PUBLISHED.search(line):
            continue
        found = find_date_in_text(line, source=source, today=today, day_first=day_first)
        if found is not None:
            return found
    return None


# How many hidden-looking descendants of a date line are read.
MAX_LINE_DESCENDANTS = 40


def _in_caption(element: Element) -> bool:
    """True when the element is, holds or sits in a ``<figure>`` or its ``<figcaption>`` that
    does not hold the headline (a theme may set its lead story's headline in the cover's
    caption)."""
    # a figure's wrapper is read whole: its text holds the caption (the lines outside the
    # figure are read one by one after it)
    return any(not f.get(HEADLINE_MARK) for f in element.iter(*FIGURE_TAGS)) or any(
        not a.get(HEADLINE_MARK) for a in element.iterancestors(*FIGURE_TAGS)
    )


# A picture and its caption: their dates are the picture's.
FIGURE_TAGS = ("figure", "figcaption")


def _shown_text(element: Element, text: str) -> str:
    """``text``, the text of a date line, as readers see it: without hidden stamps in it
    (Avada's ``<span class="updated rich-snippet-hidden">`` holds the modification time beside
    the shown day)."""
    for child in islice(HIDDEN_CANDIDATES(element), MAX_LINE_DESCENDANTS):
        if _is_hidden(child.get("class")):
            stamp = text_of(child)
            if stamp:
                text = _squeezed(text.replace(stamp, " ", 1))
    return text


# Descendants whose class may say hidden (selected in C; ``_is_hidden`` decides).
HIDDEN_CANDIDATES = etree.XPath(
    ".//*[contains(@class, 'hidden') or contains(@class, 'sr-only') or "
    "contains(@class, 'visually') or contains(@class, 'offscreen') or "
    "contains(@class, 'aural') or contains(@class, 'invisible') or "
    "contains(@class, 'screen-reader') or contains(@class, 'text-hide')]"
)


def is_hidden(element: Element) -> bool:
    """True when the element's classes hide it from readers (``_is_hidden``)."""
    return _is_hidden(element.get("class") or "")


def _is_hidden(classes: str) -> bool:
    """Classes that hide an element from readers: ``HIDDEN_CLASSES`` in any case, and any
    class ending in "-hidden" / "_hidden" (``rich-snippet-hidden``, ``u-text-hidden``)."""
    tokens = classes.lower().split()
    return not HIDDEN_CLASSES.isdisjoint(tokens) or any(
        t.endswith(("-hidden", "_hidden")) for t in tokens
    )


# Class / id words of an element that holds the page's date line (matched anywhere in the
# attribute: "entry-date", "itemPostDate", "documentPublished", "post_meta", "postmetadata"), and
# an author line, which often ends with the day ("Author: Bo2man am 29.12.2010").
DATE_ELEMENT_WORDS = AnyCaseWords(
    r"date|datum|published|pubdate|posted|dateline|fecha|submitted|postmeta|post_meta|"
    r"post-meta|entry-meta|article-meta|meta-info|byline|subline|\binfo\b|time|\bmeta\b|"
    r"author"
)


def date_elements(root: Element, today=None, day_first: bool = True) -> DateValue | None:
    """The first date in an element whose class/id says it holds a date (``entry-date``,
    ``post-meta``, ``documentPublished``), anywhere outside excluded contexts; "Updated"
    segments are skipped."""
    for element in ATTRIBUTED(root):
        if element.tag in SKIPPED_TAGS:
            continue
        attrs = _pair(element.get("class"), element.get("id"))
        if not attrs or not DATE_ELEMENT_WORDS.found_in(attrs):
            continue
        if MODIFIED_CLASS.search(attrs) and not PUBLISHED_CLASS.search(attrs):
            continue
        text = text_of(element)
        if not text or len(text) > MAX_LINE_CHARS or is_excluded(element):
            continue
        found = _segments_date(text, today, day_first, source="date_element")
        if found is not None:
            return found
    return None


# A line that is a date and little else: at most this many characters besides the date.
STANDALONE_SLACK = 25


def _standalone_date(text: str, today, day_first: bool = True) -> DateValue | None:
    """The date of a short line that is a date and little else ("10. September 2017",
    "Montag, 4. Mai 2023, 10:15 Uhr")."""
    if not text or len(text) > 80 or NOT_PUBLISHED.search(text):
        return None
    found = find_date_in_text(text, source="date_line", today=today, day_first=day_first)
    if found is None or len(text) - len(found.raw) > STANDALONE_SLACK:
        return None
    return found


# A date that opens a paragraph, as press releases write it: "29.11.2022 – Mehrfach hatte...",
# "(21. November 2022) Energieverbraucher...".
LEADING_DATE_CHARS = 3


def _leading_date(text: str, today, day_first: bool = True) -> DateValue | None:
    if not text or not text.lstrip("( ")[:1].isdigit():
        return None
    found = find_date_in_text(text[:40], source="date_line", today=today, day_first=day_first)
    if found is None or found.precision != "day":
        return None
    return found if text.find(found.raw) <= LEADING_DATE_CHARS else None


# A press release's dateline: the place, then the date, opening the text ("Hofheim am Taunus |
# Wiesbaden, 11. November 2021 – ...", "WASHINGTON, March 3, 2021 —", "Berlin, den 4. Mai 2023").
DATELINE = re.compile(
    r"^[A-ZÄÖÜÉ][^\W\d_]*(?:[ .|/–-]+[A-ZÄÖÜÉa-zäöüé][^\W\d_]*){0,5},\s+(?:den\s+)?"
)


def _dateline(text: str, today, day_first: bool = True) -> DateValue | None:
    match = DATELINE.match(text) if text else None
    if match is None:
        return None
    window = text[match.end() : match.end() + 40]
    found = find_date_in_text(window, source="date_line", today=today, day_first=day_first)
    if found is None or found.precision != "day":
        return None
    return found if text.find(found.raw, match.end()) == match.end() else None


# A publication label followed closely by a date ("Veröffentlicht am 16.08.2019", "Posted on
# April 4, 2021", "Publié le 12 avril 2022").
LABELLED_DATE = re.compile(
    r"\b(?:published|posted|veröffentlicht|erschienen|erstellt|publié|publiée|publicado|"
    r"publicada|pubblicato|gepubliceerd|opublikowano|pressemitteilung|pressemeldung|"
    r"meldung|press\s+release|datum|(?<!release\s)date|fecha|"
    # a post's footer sentence: "Dieser Artikel wurde am 14. Dezember 2015 ... veröffentlicht"
    r"(?:artikel|beitrag|eintrag)\s+wurde)"
    r"(?:\s+(?:on|am|le|el|em|il|op|the|vom|du|del|de))?"
    r"[\s:,–-]{0,4}",
    re.IGNORECASE,
)


def labelled_dates(root: Element, today=None, day_first: bool = True) -> DateValue | None:
    """The first date right after a publication label in the body's text, outside excluded
    contexts."""
    # text nodes holding a year (selected in C: the label and the date share a text node)
    for piece in YEAR_TEXT(root):
        if len(piece) > 2000:
            continue
        match = LABELLED_DATE.search(piece)
        if match is None:
            found = _labelled_cell(piece, today, day_first)
            if found is not None:
                return found
            continue
        element = piece.getparent()
        if element is None or element.tag in SKIPPED_TAGS:
            continue
        window = piece[match.end() : match.end() + 60]
        found = find_date_in_text(window, source="labelled_date", today=today, day_first=day_first)
        if found is not None and not is_excluded(element):
            return found
    return None


YEAR_TEXT = etree.XPath("//body/descendant::text()[contains(., '20') or contains(., '19')]")


def _labelled_cell(piece, today, day_first: bool) -> DateValue | None:
    """The date in a ``<dd>`` / ``<td>`` whose ``<dt>`` / ``<th>`` is a publication label
    alone ("<dt>Datum</dt><dd>12.01.2017</dd>")."""
    cell = piece.getparent()
    if cell is None or cell.tag not in ("dd", "td") or not piece.is_text:
        return None
    label = cell.getprevious()
    if label is None or label.tag not in ("dt", "th"):
        return None
    match = LABELLED_DATE.fullmatch(text_of(label, limit=40))
    if match is None or is_excluded(cell):
        return None
    return find_date_in_text(str(piece)[:60], source="labelled_date", today=today,
                             day_first=day_first)  # fmt: skip


def _segments(text: str) -> list[str]:
    """A date line cut before each label, so "Updated: B | Published: A" gives "Updated: B | "
    and "Published: A" apart (and the first is then skipped as a modification)."""
    cuts = sorted(
        m.start() for pattern in (NOT_PUBLISHED, LABELLED_DATE) for m in pattern.finditer(text)
    )
    if not cuts:
        return [text]
    pieces, start = [], 0
    for cut in cuts:
        if cut > start:
            pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


# Pre-selections in C (XPath) of the elements the Python readers look at: elements with a
# class or id, and elements with any attribute an author element is named by, or a <byline>
# (the attribute tests are then a regular expression each: lxml's XPath contains() is slower
# than Python's re over the same attributes, measured 3.2 s against 1.2 s on 851 pages).
# Written "//body/descendant::*", not "//body//*" (one step for libxml2 instead of a
# descendant-or-self::node() step and a child step per node), and as one path, not a union
# that must be sorted back into document order: the same elements, a third faster.
ATTRIBUTED = etree.XPath("//body/descendant::*[@class or @id]")
AUTHOR_CANDIDATES = etree.XPath(
    "//body/descendant::*[@class or @id or @rel or @itemprop or self::byline]"
)
AUTHOR_CLASS = re.compile("uthor|yline|utor|uteur")
AUTHOR_ID = re.compile("uthor|yline")


def author_elements(root: Element) -> Iterator[Element]:
    """Elements whose class or id names an author or a byline (``post-author``, ``byline``,
    ``autor``, ``auteur``), ``rel=author`` links, ``itemprop=author`` and ``<byline>``
    elements, in document order (case as written: "Author" classes are camelCase's inside)."""
    for element in AUTHOR_CANDIDATES(root):
        get = element.get
        classes, ident = get("class"), get("id")
        if (
            (classes and AUTHOR_CLASS.search(classes))
            or (ident and AUTHOR_ID.search(ident))
            or "author" in (get("rel") or "")
            or "uthor" in (get("itemprop") or "")
            or element.tag == "byline"
        ):
            yield element


def byline_candidates(h1: Element | None, root: Element) -> Iterator[tuple[str, str]]:
    """(raw byline, rule) candidates, best first: author elements and "By ..." lines near the
    headline, then ``rel=author`` links and author elements anywhere outside excluded
    contexts. The caller takes the first that yields names."""
    if h1 is not None:
        for element, _after in elements_near(h1):
            if not is_excluded(element):
                found = _byline_of(element) or _dated_byline(element) or _author_link(element)
                if found:
                    yield found
    for element in author_elements(root):
        wanted = element.tag not in SKIPPED_TAGS
        if wanted and not is_excluded(element):
            found = _byline_of(element)
            if found:
                yield found
    body = root.find("body")
    # one pass: "By ..." lines and credit lines after a break as they come, signatures last
    signatures: list[tuple[Element, tuple[str, str]]] = []
    for element in (body if body is not None else root).iter(*BYLINE_TEXT_TAGS, "br"):
        if element.tag == "br":
            line = element.tail
            # the label's colon comes early: a cheap test before the expression
            if line and ":" in line[:CREDIT_LABEL_CHARS] and CREDIT_LABEL.match(line):
                found = _line_after_break(element)
                if found and not is_excluded(element) and not _quoted(element):
                    yield found
            continue
        if element.tag == "p" and len(element) == 1:
            found = _signature(element)
            if found:
                signatures.append((element, found))
        text = element.text
        if not text or len(text) > MAX_LINE_CHARS or text.isspace() or not BY_HINTS.found_in(text):
            # each test below needs one of the hint words: cheap tests turn most texts away
            # (two in five are only the whitespace between tags)
            continue
        if (
            not _starts_by(text)
            and not (_is_bare_label(text) and _has_value(element))
            and not (len(element) and _opens_by(text))
        ):
            continue
        if not is_excluded(element):
            found = _byline_of(element)
            if found and not _quoted(element):
                yield found
    for element, found in signatures:
        if not is_excluded(element) and not _quoted(element):
            yield found


# Emphasis a signature is set in.
EMPHASIS_TAGS = frozenset({"strong", "b", "em", "i"})
# The shortest paragraph of text a signature follows.
MIN_SIGNED_PARAGRAPH_CHARS = 150
# Blocks of text that, after a bold line, make it a subheading.
TEXT_BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "div",
                             "blockquote", "dl"})  # fmt: skip
# The most paragraphs read back from a signature for the text it signs.
SIGNED_PARAGRAPHS = 3
# The most words of a signature.
MAX_SIGNATURE_WORDS = 4


def _signature(paragraph: Element) -> tuple[str, str] | None:
    """A name signed under the text: the last paragraph, holding only a person's name in bold
    or italics ("...</p><p><b><i>Jane Doe</i></b></p>") or a name and a date on two lines
    (a letter's: "<p>Benni<br>10. September 2017</p>"), right after paragraphs of text."""
    if len(paragraph) != 1:
        return None
    child = paragraph[0]
    if child.tag == "br":
        # a letter's signature: "Benni<br>10. September 2017"
        text = " ".join((paragraph.text or "").split())
        dated = _standalone_date((child.tail or "").strip(), None)
        if not dated or not 1 <= len(text.split()) <= MAX_SIGNATURE_WORDS:
            return None
    elif child.tag in EMPHASIS_TAGS and not (paragraph.text or "").strip():
        if (child.tail or "").strip():
            return None
        text = text_of(paragraph, limit=80)
        if len(text.split()) < 2:  # "Redaktion", "Fazit": a word in bold is a label
            return None
    else:
        return None
    if len(text.split()) > MAX_SIGNATURE_WORDS or not looks_like_name(text):
        return None
    previous = paragraph.getprevious()
    while previous is not None and previous.tag == "br":
        previous = previous.getprevious()
    if previous is None or previous.tag != "p":
        return None
    # the text it signs: the paragraphs right before it (a book's credits may stand between)
    chars = 0
    for _ in range(SIGNED_PARAGRAPHS):
        if previous is None or previous.tag != "p":
            return None
        chars += len(text_of(previous, limit=MIN_SIGNED_PARAGRAPH_CHARS + 1))
        if chars >= MIN_SIGNED_PARAGRAPH_CHARS:
            break
        previous = previous.getprevious()
    else:
        return None
    # a bold line the text goes on after is a subheading ("Massive Kosten"); a footnote
    # ("(1) Quelle: ...") may follow a signature
    for following in paragraph.itersiblings():
        if following.tag in TEXT_BLOCK_TAGS and text_of(following, limit=1)[:1].isalpha():
            return None
    return text, "signature"


# A link to an author's page: "/author/jane-doe/", "/autoren/kathrin-muster-684124",
# "/ueber-uns/autor/jane-doe".
AUTHOR_HREF = re.compile(
    r"/(?:authors?|autor(?:en|in|innen)?|auteurs?|autore?s?|autori)/[^/?#\s]+/?(?:[?#]|$)",
    re.IGNORECASE,
)


def _author_link(element: Element) -> tuple[str, str] | None:
    """A link to the author's page at the headline: its person's name (an ``itemprop=name``
    element inside, else its text)."""
    if element.tag != "a" or not AUTHOR_HREF.search(element.get("href") or ""):
        return None
    if _in_role_context(element):
        return None  # a speaker's or a moderator's profile, on an event page
    text = _name_or_text(element, lambda name: "name" in (name.get("itemprop") or "").split())
    return (text, "author_link") if text else None


# Roles beside authorship that link people to their profile pages: an event's speakers, its
# moderator, a podcast's guests and hosts.
OTHER_ROLE = re.compile(
    r"\b(?:speakers?|modera\w*|panel\w*|hosts?|hosted|guests?|presenters?|discussants?|"
    r"interviewees?|referent\w*|sprecher\w*|gäste|gast|ponentes?|intervenant\w*|"
    r"relator[ei]|ospiti|invitad[oa]s?|convidad[oa]s?)\b",
    re.IGNORECASE,
)
# Blocks whose text is a link's line.
LINE_BLOCKS = frozenset({"p", "li", "dd", "td", "div", "section"})


def _in_role_context(link: Element) -> bool:
    """Whether the link's line, or the label before its list, names a role other than
    authorship ("Speakers:", "<strong>Moderator:</strong> <a>...</a>")."""
    block = link.getparent()
    while block is not None and block.tag not in LINE_BLOCKS:
        block = block.getparent()
    if block is None:
        return False
    if OTHER_ROLE.search(text_of(block, limit=MAX_LINE_CHARS)):
        return True
    if block.tag == "li":
        items = block.getparent()
        label = items.getprevious() if items is not None else None
        if label is not None and OTHER_ROLE.search(text_of(label, limit=MAX_LINE_CHARS)):
            return True
    return False


def _name_or_text(element: Element, is_name: Callable[[Element], bool]) -> str | None:
    """The text of the first element inside ``element`` that ``is_name`` says holds the
    person's name, else the element's whole text; None when it is longer than a line."""
    for name in element.iter():
        if name is not element and isinstance(name.tag, str) and is_name(name):
            text = text_of(name)
            if text and len(text) <= MAX_LINE_CHARS:
                return text
    text = text_of(element)
    return text if text and len(text) <= MAX_LINE_CHARS else None


def _is_name_part(element: Element) -> bool:
    """An ``itemprop=name``, hCard ``fn`` or ``author-name`` element."""
    prop = (element.get("itemprop") or "") + " " + (element.get("class") or "")
    return NAME_PART.search(prop) is not None


NAME_PART = re.compile(r"\bname\b|fn\b|author-name")


def headline_bylines(h1: Element) -> Iterator[str]:
    """The "By ..." lines in the text at the headline ("Von Jane Doe", "Par A et B"), the
    bylines readers see first."""
    for element, _after in elements_near(h1):
        text = element.text
        if not text or not (_starts_by(text.lstrip()) or (len(element) and _opens_by(text))):
            continue  # a "By ..." line opens with its element's own text
        if not is_excluded(element):
            found = _byline_of(element)
            if found and found[1] == "byline_text":
                yield found[0]


# Form controls: their classes may say author (``followAuthorBtn``), their text is a command.
CONTROL_TAGS = frozenset({"button", "input", "select", "textarea", "label"})


# A credit's label with its colon: "Autor:", "Author:", "Text:", "Von:".
CREDIT_LABEL = re.compile(
    r"^\s*(?:autor(?:in|en)?|authors?|auteurs?|autore|text|texte|texto|von|by|par|por)\s*:",
    re.IGNORECASE,
)


# The furthest a credit label's colon stands from the line's start ("  Autorinnen :").
CREDIT_LABEL_CHARS = 16


def _line_after_break(br: Element) -> tuple[str, str] | None:
    """A "By ..." line after a line break, to the next break: "...<br>Autor: <a>Rechtsanwalt</a>
    Jane Doe</div>" (a credit under the text, in the text node after the break)."""
    parts = [br.tail or ""]
    for sibling in br.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag in ("br", "p", "div"):
            break
        parts += [text_of(sibling, limit=MAX_LINE_CHARS + 1), sibling.tail or ""]
    line = " ".join(" ".join(parts).split())
    return (line, "byline_text") if len(line) <= MAX_LINE_CHARS else None


def _quoted(element: Element) -> bool:
    """Whether an element is inside a quotation: an embedded post's "Posted by A" (a tweet's,
    a Facebook post's) names the quoted post's author, not the page's."""
    return any(a.tag == "blockquote" for a in element.iterancestors())


def _byline_of(element: Element) -> tuple[str, str] | None:
    if element.tag in CONTROL_TAGS:
        return None  # a "Follow the author" button's label ("Folgen", "Abbruch") names no one
    attrs = _attrs(element)
    if attrs and _control_class(attrs):
        return None  # a link styled as one ("followAuthorBtn": "Themen bearbeiten")
    rel = (element.get("rel") or "").split()
    if "author" in rel:
        text = text_of(element)
        if text and len(text) <= MAX_LINE_CHARS:
            return text, "rel_author"
        return None
    if (
        (attrs and AUTHOR_WORDS.found_in(attrs)) or AUTHOR_WORDS.found_in(element.tag)
    ) and not AUTHOR_BOX_WORDS.found_in(attrs):
        # a name inside the author element wins over the whole element's text; text only
        # screen readers get (a brand logo's name: "capital") is no byline
        text = _name_or_text(element, _is_name_part)
        if text:
            text = _shown_text(element, text)
        return (text, "byline_element") if text else None
    if attrs and AUTHOR_WORDS.found_in(attrs) and element.tag in BOX_TAGS:
        return _author_box_name(element)
    own = (element.text or "").strip()
    if element.tag in BYLINE_TEXT_TAGS and own:
        text = text_of(element)
        if len(text) <= MAX_LINE_CHARS and _starts_by(text):
            return text, "byline_text"
        # a label of its own ("<div>By</div><div>A, B and C</div>", Drupal's inline field
        # label): the names are the next element's, or the text right after the label
        # ("<h5>Autor:</h5>Jane Doe"), which must then read as names
        if len(element) == 0 and BARE_BY_LABEL.match(text):
            tail = _label_value(element)
            if tail:
                joined = f"{own.strip(' :|·•–—-')} {tail}"
                if len(joined) <= MAX_LINE_CHARS and reads_as_byline(joined):
                    return joined, "byline_label"
                return None
            names = _next_box(element)
            if names is not None and isinstance(names.tag, str):
                label = own.strip(" :|·•–—-")
                joined = f"{label} {text_of(names, limit=MAX_LINE_CHARS + 1)}"
                # "By delta201" (a handle) starts a byline; "Autor Jane Doe" reads as one
                if len(joined) <= MAX_LINE_CHARS and (
                    _starts_by(joined) or reads_as_byline(joined)
                ):
                    return joined, "byline_label"
    return None


def _control_class(attrs: str) -> bool:
    """True when a class names a button ("btn-primary", "followAuthorBtn"), not a text style
    that looks like one ("text-button-m")."""
    return any(
        t.lower().startswith(CONTROL_WORDS) or t.lower().endswith(CONTROL_WORDS)
        for t in attrs.split()
    )


# Words of a control's class, at its start or its end.
CONTROL_WORDS = ("btn", "button")


def _author_box_name(box: Element) -> tuple[str, str] | None:
    """The name an "about the author" box is headed by (``<div class="author-bio"><h3>Jane
    Doe</h3><p>Jane writes ...</p>``): the box of the page's own author. A heading that is no
    name ("Über den Autor") says nothing."""
    heading = next(box.iter(*BOX_HEADINGS), None)
    text = text_of(heading, limit=80) if heading is not None else ""
    if text and len(text.split()) <= MAX_SIGNATURE_WORDS and looks_like_name(text):
        return text, "author_box"
    return None


# Containers of an author box, and the headings that name its person.
BOX_TAGS = frozenset({"div", "section", "aside", "footer"})
BOX_HEADINGS = ("h2", "h3", "h4", "h5")


def _next_box(label: Element) -> Element | None:
    """The element after a label: its next sibling, or, when the label is alone in its boxes
    ("<div><p><strong>By</strong></p></div><div><p>Jane Doe</p></div>", a CMS field's label
    and value in boxes of their own), the next sibling of its outermost lone box."""
    node = label
    for _ in range(MAX_LABEL_BOXES + 1):
        following = node.getnext()
        if following is not None or (node.tail or "").strip():
            return following
        parent = node.getparent()
        if parent is None or len(parent) != 1 or (parent.text or "").strip():
            return None
        node = parent
    return None


# The most boxes a label stands alone in.
MAX_LABEL_BOXES = 2


def _label_value(element: Element) -> str:
    """The text right after a label element: its tail, or the tail of the line breaks after it
    ("<b>Von:</b><br><br>Jane Doe")."""
    node = element
    for _ in range(MAX_LABEL_BREAKS + 1):
        tail = " ".join((node.tail or "").split())
        if tail:
            return tail
        node = node.getnext()
        if node is None or node.tag != "br":
            return ""
    return ""


# The most line breaks between a label and its value.
MAX_LABEL_BREAKS = 2


def _has_value(element: Element) -> bool:
    """Whether a label element with no children of its own has a value after it: text, or
    the next element ("<h4>Autor</h4><p><a>Jane Doe</a></p>")."""
    return len(element) == 0 and (bool(_label_value(element)) or element.getnext() is not None)


# A date (and a time) and a name in one short line at the headline, the date line of many
# CMS templates: "04.02.2022 | 13:10 Uhr | Jane Doe", "11.12.2019 - Jane Doe",
# "Jane Doe | April 4, 2021".
_DATE = (
    r"(?:[0-9]{1,2}\.\s?[0-9]{1,2}\.\s?[0-9]{2,4}|[0-9]{4}-[0-9]{2}-[0-9]{2}|"
    r"[0-9]{1,2}\.?\s+[^\W\d_]{3,12}\.?\s+[0-9]{4}|[^\W\d_]{3,12}\.?\s+[0-9]{1,2},?\s+[0-9]{4})"
    r"(?:\s*[|,·•]?\s*[0-9]{1,2}[:.][0-9]{2}(?:\s*(?:uhr|h|am|pm))?)?"
)
DATED_BYLINE = re.compile(
    rf"^\s*(?:{_DATE}\s*[|·•–—-]?\s*(?:by|von|par|por|door)\s+(?P<labelled>[^|·•–—0-9]{{3,60}})|"
    rf"{_DATE}\s*[|·•–—-]\s*(?P<after>[^|·•–—0-9]{{4,60}})|"
    rf"(?P<before>[^|·•–—0-9]{{4,60}}?)\s*[|·•–—-]\s*{_DATE})\s*$",
    re.IGNORECASE,
)
# The fewest words of a name in a date line: one word is a place or a section ("Berlin").
MIN_DATED_NAME_WORDS = 2


def _dated_byline(element: Element) -> tuple[str, str] | None:
    """A short line at the headline made of a date and a person's name (see DATED_BYLINE)."""
    if len(element) > SMALL_LINE_CHILDREN:
        return None
    if not DIGIT.search(element.text or "") and not any(
        DIGIT.search(child.text or "") or DIGIT.search(child.tail or "") for child in element
    ):
        return None  # no date in the line's own text or its children's
    text = text_of(element, limit=MAX_LINE_CHARS + 1)
    if len(text) > MAX_LINE_CHARS or not DIGIT.search(text):
        return None
    match = DATED_BYLINE.match(text)
    if not match:
        return None
    labelled = (match.group("labelled") or "").strip()
    if labelled:
        # "06.11.2023 13:30 von Olga": the label makes one word a name
        return (labelled, "dated_byline") if looks_like_name(labelled) else None
    name = (match.group("after") or match.group("before") or "").strip()
    if len(name.split()) < MIN_DATED_NAME_WORDS or not looks_like_name(name):
        return None
    return name, "dated_byline"


# The longest label standing alone ("Autorinnen:").
MAX_BARE_LABEL_CHARS = 12


def _is_bare_label(text: str) -> bool:
    """``BARE_BY_LABEL`` behind a cheap length test: most texts are whitespace or longer."""
    stripped = text.strip()
    return 0 < len(stripped) <= MAX_BARE_LABEL_CHARS and bool(BARE_BY_LABEL.match(stripped))


# A byline label standing alone in its element: "By", "By:", "Von", "Por:", "Authors:", "| By"
# (after a category in a meta line), "Text:", a magazine's credit "Interview" (its interviewer).
BARE_BY_LABEL = re.compile(
    r"^\s*(?:[|·•–—-]\s*)?(?:(?:by|von|par|por|door|przez|authors?|autor(?:en|es|in)?|auteurs?|"
    r"interview)\s*:?|"
    r"(?:text|texte|texto|testo)\s*:)\s*$",
    re.I,
)


# The opening of a byline line: "By", "Posted by", "Ein Beitrag von", "Text:", "Autor:".
# Elements whose own text may be a "By ..." line.
BYLINE_TEXT_TAGS = frozenset(
    {"p", "span", "div", "strong", "em", "address", "li", "small", "a", "i", "b", "h4", "h5",
     "h6", "font", "td", "cite", "time", "dt", "th"}
)  # fmt: skip
BY_WORD = re.compile(
    r"^[\s–—-]*(?:(?:posted|written|submitted|geschrieben|verfasst|gespeichert|ein|eine|blog|"
    r"beitrag|artikel|article|story|text|interview|an|publié|écrit|escrito|publicado|scritto|"
    r"pubblicato)"
    r"\s+){0,3}(?:by|von|par|por|door|przez)\s*:?\s+\w|^\s*di\s+[A-Z]|"
    r"^\s*(?:text|autor|autorin|author|auteur|autore)\s*:\s*\w",
    re.I,
)


# Words one of which a byline's opening or a bare label holds: the cheap test before BY_WORD,
# BY_OPENING and BARE_BY_LABEL, so it must hold a word of each of their forms. The look-ahead
# names the letters the words start with (it matches nothing the words do not): re then tries
# the ten words only where one of them may start, not at every character (with IGNORECASE it
# finds no such prefix itself; measured a third of the time on texts that are not ASCII).
BY_HINTS = AnyCaseWords(r"(?=[bvpdtai])(?:by|von|par|por|door|przez|di |te[xs]t|aut|interview)")


def _starts_by(text: str) -> bool:
    return BY_HINTS.found_in(text, 0, 60) and bool(BY_WORD.match(text))


# A byline's opening whose names are the element's children: "Geschrieben von <a>A</a>",
# "<em>Von <span>A</span></em>", "<em>Autor: <a>A</a></em>".
BY_OPENING = re.compile(
    r"^[\s–—-]*(?:(?:posted|written|submitted|geschrieben|verfasst|gespeichert|ein|eine|blog|"
    r"beitrag|artikel|article|story|text|interview|an|publié|écrit|escrito|publicado|scritto|"
    r"pubblicato)"
    r"\s+){0,3}(?:by|von|par|por|door|przez)\s*:?\s*$|"
    r"^\s*(?:text|autor|autorin|author|auteur|autore)\s*:\s*$",
    re.I,
)


def _opens_by(text: str) -> bool:
    """Whether an element's own text is a byline's opening alone, its names in children."""
    return (
        len(text) <= MAX_OPENING_CHARS and BY_HINTS.found_in(text) and bool(BY_OPENING.match(text))
    )


# The longest opening read before the children ("  Ein Beitrag geschrieben von ").
MAX_OPENING_CHARS = 60
