"""Read schema.org JSON-LD (``<script type="application/ld+json">``) into the fields we need.

Parsed with the standard ``json`` module, not extruct: extruct parses the whole page again
with its own tree and reads microdata and RDFa too; we need a handful of keys of the JSON-LD
blocks only. Measured on 400 pages of the development set (extruct 0.18.0): ``read_jsonld``
takes 0.18 ms a page on the tree the cascade parses anyway, extruct 1.6 ms a page for JSON-LD
alone (its own parse) and about 400 ms a page with its default syntaxes; JSON-LD was found on
165 pages here and 162 there (the repairs below).

What is read: every node of every block (lists, ``@graph``, nested ``mainEntity``), an index of
the nodes by ``@id`` so that ``"author": {"@id": "#/schema/person/1"}`` resolves as Yoast writes
it, and the *main* node: the first node of an article-like type (``ARTICLE_TYPES``), preferring
one whose ``url``/``mainEntityOfPage`` is the page's URL; else a ``WebPage``-like node. Blocks
with JSON errors are repaired for the two common faults (raw newlines in strings, trailing
commas) and otherwise skipped. Pure functions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from regmig_scraper.metadata.bylines import clean_name
from regmig_scraper.metadata.document import Element

# schema.org types of a publication, an event or a video: the page's main item.
ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "report", "scholarlyarticle", "blogposting", "techarticle",
        "analysisnewsarticle", "opinionnewsarticle", "reportagenewsarticle", "reviewnewsarticle",
        "backgroundnewsarticle", "liveblogposting", "socialmediaposting", "posting", "review",
        "event", "videoobject", "audioobject", "podcastepisode", "creativework", "book",
        "chapter", "thesis", "dataset", "publicationissue", "recipe", "howto",
        "discussionforumposting",
        "legislation", "govermentpermit", "medicalscholarlyarticle", "course", "product",
        "educationevent", "businessevent", "socialevent", "musicrecording",
    }
)  # fmt: skip
# Types of the page itself: a fallback for the title and the dates.
PAGE_TYPES = frozenset(
    {
        "webpage", "itempage", "aboutpage", "collectionpage", "profilepage", "searchresultspage",
        "contactpage", "faqpage", "qapage", "medicalwebpage",
    }
)  # fmt: skip
# Types of a clip that a page may embed beside its own text.
MEDIA_TYPES = frozenset({"videoobject", "audioobject"})
PERSON_TYPES = frozenset({"person"})
ORGANIZATION_TYPES = frozenset(
    {"organization", "newsmediaorganization", "corporation", "educationalorganization",
     "governmentorganization", "ngo", "localbusiness", "website", "researchorganization"}
)  # fmt: skip

SCRIPT_TYPE = "application/ld+json"
TRAILING_COMMA = re.compile(r",\s*([}\]])")
# The most nodes read from one page (bounds the work on huge catalogue pages).
MAX_NODES = 500


@dataclass(slots=True)
class JsonLdData:
    """What the JSON-LD of a page says, as raw values (unparsed dates, unsplit names)."""

    types: list[str] = field(default_factory=list)  # @type of the main node, then others
    title: str | None = None
    published: str | None = None
    published_key: str | None = None
    modified: str | None = None
    authors: list[tuple[str, str]] = field(default_factory=list)  # (name, "person"|"org"|"text")
    language: str | None = None
    description: str | None = None
    url: str | None = None
    site_name: str | None = None
    publisher: str | None = None
    breadcrumbs: list[str] = field(default_factory=list)
    page_title: str | None = None  # name of the WebPage node
    page_published: str | None = None
    page_modified: str | None = None


def _load(text: str) -> Any:
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.strip().rstrip(";")
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    text = TRAILING_COMMA.sub(r"\1", text)
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    return _values_in_sequence(text)


_DECODER = json.JSONDecoder(strict=False)


def _values_in_sequence(text: str) -> Any:
    """The JSON values written one after another in a block ("{...} {...}"), or the one value
    before trailing junk (a stray "}" a template left): a list of what parses, or None."""
    values, position = [], 0
    while position < len(text):
        try:
            value, position = _DECODER.raw_decode(text, position)
        except ValueError:
            break
        values.append(value)
        while position < len(text) and text[position] in " \t\r\n,;":
            position += 1
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def _types(node: dict) -> list[str]:
    value = node.get("@type")
    if isinstance(value, str):
        return [value.rsplit("/", 1)[-1].lower()]
    if isinstance(value, list):
        return [v.rsplit("/", 1)[-1].lower() for v in value if isinstance(v, str)]
    return []


def _collect(value: Any, nodes: list[dict], depth: int = 0) -> None:
    if depth > 6 or len(nodes) >= MAX_NODES:
        return
    if isinstance(value, list):
        for item in value:
            _collect(item, nodes, depth + 1)
    elif isinstance(value, dict):
        if "@graph" in value:
            _collect(value["@graph"], nodes, depth + 1)
        if "@type" in value or "@id" in value:
            nodes.append(value)
        for key in ("mainEntity", "mainEntityOfPage", "itemListElement", "hasPart"):
            child = value.get(key)
            if isinstance(child, dict | list) and key != "itemListElement":
                _collect(child, nodes, depth + 1)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        # CMSs write HTML entities into JSON strings ("Olive &#038; Herb")
        text = " ".join((unescape(value) if "&" in value else value).split())
        return text or None
    if isinstance(value, list):
        for item in value:
            text = _text(item)
            if text:
                return text
    if isinstance(value, dict):
        return _text(value.get("@value") or value.get("name"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _resolve(value: Any, index: dict[str, dict]) -> Any:
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in index:
        return index[value["@id"]]
    return value


def _people(value: Any, index: dict[str, dict]) -> list[tuple[str, str]]:
    """Authors as (name, kind): kind "person", "org" or "text" (a bare string)."""
    found: list[tuple[str, str]] = []
    items = value if isinstance(value, list) else [value]
    for item in items[:50]:
        item = _resolve(item, index)
        if isinstance(item, str):
            if item.strip():
                found.append((" ".join(item.split()), "text"))
        elif isinstance(item, dict):
            name = _text(item.get("name"))
            if not name and (item.get("givenName") or item.get("familyName")):
                name = " ".join(
                    n for n in (_text(item.get("givenName")), _text(item.get("familyName"))) if n
                )
            if not name:
                continue
            name = _full_name(name, item)
            types = set(_types(item))
            kind = "org" if types & ORGANIZATION_TYPES and not types & PERSON_TYPES else "person"
            found.append((name, kind))
        elif isinstance(item, list):
            found.extend(_people(item, index))
    return found


# The most words of a surname read from a Person's description, and the particles in one.
MAX_SURNAME_WORDS = 2
SURNAME_PARTICLES = frozenset(
    {"von", "van", "de", "del", "der", "da", "di", "du", "le", "la", "ter"}
)
# Punctuation that ends a name in a description: "Stefan Beispiel - Maschinenbauer".
NAME_END = ",.:;("


def _full_name(name: str, person: dict) -> str:
    """A Person named by a given name alone ("Nils", a CMS account's display name) under its
    full name when the node spells it: ``familyName``, or a ``description`` that opens with
    the given name and a surname, then punctuation or a lowercase word (a Yoast author bio:
    "Nils Muster ist freier Autor ...", "Stefan Beispiel - Maschinenbauer")."""
    if " " in name.strip() or not name[:1].isupper():
        return name
    family = _text(person.get("familyName"))
    if family and family[:1].isupper() and " " not in family and family != name:
        return f"{name} {family}"
    description = _text(person.get("description")) or ""
    if not description.startswith(name + " "):
        return name
    words = description[len(name) :].split()[: MAX_SURNAME_WORDS + 3]
    surname: list[str] = []
    for word in words:
        bare = word.rstrip(NAME_END)
        if bare in SURNAME_PARTICLES and len(surname) < MAX_SURNAME_WORDS:
            surname.append(bare)
            continue
        if not (bare[:1].isupper() and bare.replace("-", "").replace("'", "").isalpha()):
            break
        surname.append(bare)
        if bare != word or len([w for w in surname if w[:1].isupper()]) == MAX_SURNAME_WORDS:
            break
    if not surname or not surname[-1][:1].isupper():
        return name
    rest = words[len(surname) :]
    ended = words[len(surname) - 1] != surname[-1] or not rest
    if not ended and not (rest[0][:1].islower() or rest[0] in ("-", "–", "—", "|")):
        return name  # "Anna Muster Beispiel Autorin": not a name and a lowercase word
    full = " ".join([name, *surname])
    # "Anna Muster Autorin bei ...": a role after the name is no surname
    return full if clean_name(full) == full else name


def _url_of(node: dict) -> set[str]:
    urls = set()
    for key in ("url", "@id", "mainEntityOfPage"):
        value = node.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str):
            urls.add(value.split("#", 1)[0].rstrip("/"))
    return urls


def _path(url: str) -> str:
    """A URL without scheme and host: a site's www and edition hosts name the same page."""
    return urlsplit(url).path.rstrip("/")


def _embedded_media(media: dict, page: dict, page_url: str) -> bool:
    """True when a video or audio node is a clip embedded in the page, not the page: the page's
    own ``WebPage`` node names this page under another title ("11 things we learned ..." with
    the clip "Harry and Meghan talk about ...")."""
    if not MEDIA_TYPES.intersection(_types(media)) or not page_url:
        return False
    path = _path(page_url)
    if path not in {_path(u) for u in _url_of(page)} or path in {_path(u) for u in _url_of(media)}:
        return False
    media_name = " ".join((_text(media.get("name")) or "").casefold().split())
    page_name = " ".join(
        (_text(page.get("name")) or _text(page.get("headline")) or "").casefold().split()
    )
    return (
        bool(media_name and page_name)
        and media_name not in page_name
        and page_name not in media_name
    )


def read_jsonld(root: Element, url: str = "") -> JsonLdData | None:
    """The JSON-LD of the page, or None when it has none that parses."""
    nodes: list[dict] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != SCRIPT_TYPE:
            continue
        data = _load(script.text or "")
        if data is not None:
            _collect(data, nodes)
    if not nodes:
        return None
    index = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    result = JsonLdData()
    page_url = url.split("#", 1)[0].rstrip("/")

    articles = [n for n in nodes if ARTICLE_TYPES.intersection(_types(n))]
    if len(articles) > 1 and page_url:
        on_page = [n for n in articles if page_url in _url_of(n)]
        # the page's own item first, then the others in page order
        articles = on_page + [n for n in articles if n not in on_page]
    pages = [n for n in nodes if PAGE_TYPES.intersection(_types(n))]
    if articles and pages and _embedded_media(articles[0], pages[0], page_url):
        articles = [n for n in articles if not MEDIA_TYPES.intersection(_types(n))]
    main = articles[0] if articles else None

    if main is not None:
        result.types.extend(_types(main))
        result.title = _text(main.get("headline")) or _text(main.get("name"))
        for key in ("datePublished", "dateCreated", "uploadDate", "startDate"):
            value = _text(main.get(key))
            if value:
                result.published, result.published_key = value, key
                break
        result.modified = _text(main.get("dateModified"))
        result.authors = _people(main.get("author") or main.get("creator"), index)
        result.language = _text(main.get("inLanguage"))
        result.description = _text(main.get("description"))
        result.url = next(iter(_url_of(main)), None)
        publisher = _resolve(main.get("publisher"), index)
        # a person publishing their own blog is not an organisation to keep out of the authors
        if isinstance(publisher, dict) and not PERSON_TYPES.intersection(_types(publisher)):
            result.publisher = _text(publisher.get("name"))
    for page in pages[:1]:
        result.types.extend(t for t in _types(page) if t not in result.types)
        result.page_title = _text(page.get("name")) or _text(page.get("headline"))
        result.page_published = _text(page.get("datePublished"))
        result.page_modified = _text(page.get("dateModified"))
        result.language = result.language or _text(page.get("inLanguage"))
        result.description = result.description or _text(page.get("description"))
        if not result.authors:
            result.authors = _people(page.get("author"), index)
        crumbs = _resolve(page.get("breadcrumb"), index)
        if isinstance(crumbs, dict):
            result.breadcrumbs = _breadcrumb_names(crumbs, index)
    for node in nodes:
        types = set(_types(node))
        if "website" in types and not result.site_name:
            result.site_name = _text(node.get("name"))
        if "breadcrumblist" in types and not result.breadcrumbs:
            result.breadcrumbs = _breadcrumb_names(node, index)
    return result


def _breadcrumb_names(node: dict, index: dict[str, dict]) -> list[str]:
    names = []
    items = node.get("itemListElement")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        name = _text(item.get("name"))
        if not name and isinstance(item.get("item"), dict):
            name = _text(_resolve(item["item"], index).get("name"))
        if name:
            names.append(name)
    return names
