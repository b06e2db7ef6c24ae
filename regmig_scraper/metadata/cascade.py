"""The cascade: which source answers each field, from the most reliable to the least.

``extract_metadata(html, url)`` parses the page once and fills each field from the first source
that answers; ``provenance[field]`` records that source. The order, written down here and only
here:

title
    The headline is the h1/h2/h3 that agrees with og:title/<title> (equal, the longer side of
    "Headline | Site", after a kicker's colon, or most of it), else the first visible <h1>
    that does not name the site, else an ``entry-title``-like heading, else an h4-h6 that a
    metadata title names (or, on a page with no h1-h3, its first h4-h6); kickers and
    screen-reader text inside it are left out. A heading "agrees" too when it is the
    metadata title with a tail after a colon or dash (the metadata shortened it); an <h2>
    the title names as "Headline - Subheading | Site" yields to the <h1> above it; a
    heading marked as the entry's (``itemprop=headline``, ``entry-title``) is never the
    site's name, and the layout wrapper of content and sidebar holding it is no sidebar.
    Every og:title/twitter:title value is read (a theme and an SEO plugin each write one).
    A heading in a breadcrumb trail (its last crumb, in an <h1> for search engines) yields to
    another heading a metadata title names word for word, else to an element marked
    ``itemprop=headline``; a headline marked so is trusted like an <h1>. Several <h1> that
    no title names are boxes' headings: the first h1/h2 sharing a word with a title heads
    the page.
    1. that headline when a metadata title agrees with it, or when it is the page's only
       <h1> (a copy with the same text, or an <h1> that is all one link, aside), or when a
       metadata title rewords it, or when a breadcrumb trail's last crumb (the page the
       reader is on) repeats it (``h1``); a line opening the heading that the metadata
       title leaves out is a kicker, and the rest is the headline;
    2. JSON-LD ``headline``/``name`` of the main item (``jsonld``), the microdata
       ``headline``/``name`` of the first article-like item (``microdata``), ``citation_title``,
       ``DC.title``, ``og:title``, ``twitter:title`` ... (the meta key), each without a
       " | Site Name" part (``og:site_name``, JSON-LD ``WebSite``/``publisher``, the host, or
       the part that is not the headline);
    3. the headline alone; 4. with no headline and no metadata title but ``<title>``, the
       first content <h2> sharing a word, or an inflection of one, with it, else the first
       element whose class says headline (``first_heading``); 5. ``<title>`` without its
       site part (``title_tag``).
    A title that is the site's name on a page below the home page (every source gave it)
    yields to the first element whose class says title or headline (``classed_headline``).
    An ``application-name`` that is the whole ``<title>`` (a CMS's per-page value) names no
    site.
published (never a modification date, a copyright year, a comment's or a teaser's date)
    Metadata:
    1. JSON-LD ``datePublished`` / ``dateCreated`` / ``uploadDate`` / ``startDate`` of the main
       item (``jsonld``; not the ``WebPage`` node's: Yoast dates every page; a video the page
       embeds under another name than its ``WebPage`` node's is not the main item);
    2. meta tags in ``meta_tags.PUBLISHED_KEYS`` order: ``citation_publication_date``,
       ``citation_date``, Dublin Core, ``article:published_time``, ``parsely-pub-date``,
       ``sailthru.date``... (the key), then any key named like a publication date;
    3. microdata ``itemprop=datePublished`` outside sidebars (``microdata_datePublished``), then
       RDFa ``property="dc:date"`` / ``dcterms:issued`` / ``schema:dateCreated`` ...
       (``rdfa_date``; the period shown when it is a month or year of that value).
    Visible (dates that name a day):
    4. ``itemprop=datePublished`` and ``<time>`` elements in the headline's ``<header>`` /
       ``<article>`` (``itemprop_datePublished``, ``time_element``; an empty one, or a
       ``<meta>``, yields to a different day the date line at the headline shows);
    5. a date line near the headline ("Published April 4, 2021", "4. Mai 2023", a date that
       opens the first paragraph; ``date_line``);
    6. an element whose class says date/meta/byline/author (``date_element``), a date after a
       publication label ("Veröffentlicht am"; ``labelled_date``), a date in the headline or
       <title> (``headline``, ``title_tag``) -- only read when the metadata is silent.
    URL: 7. a date in the path (``url``).
    The metadata date wins, except that a visible date from 4-5 wins over it, and any visible
    date one or two days away from it wins (a UTC timestamp shown in the site's time zone);
    "visible" is shown to readers: an empty ``<time>`` or a ``<meta>`` never overrides it;
    a URL day beats a visible date one or two days away, unless the metadata names the
    visible date's day too. A Recipe/Product/Course/SoftwareApplication's JSON-LD date needs
    a visible date (a HowTo guide is dated like an article). Nothing else: a page with none
    of these gets None.
    A UTC instant ("2022-11-06T23:00:00Z", "... GMT") is the day in the site's time zone
    when its country keeps one (its TLD, its language tag's region, a one-zone language).
modified
    JSON-LD ``dateModified``, then ``article:modified_time`` and friends, then an "Updated"
    ``<time>`` near the headline.
authors
    1. JSON-LD ``author`` of the main item (Persons and strings; Organizations are not
       people), ``jsonld``; 2. one ``citation_author`` per author; 3. ``DC.creator`` /
       ``dcterms.creator``; 4. ``article:author`` (when not a URL), ``parsely-author``,
       ``sailthru.author``; 5. ``<meta name="author">``; 6. the visible byline: an author
       element or a "By ..." line near the ``<h1>``, a ``rel=author`` link, a label element
       and its value ("<h5>Autor:</h5>Jane Doe"), a date line holding a name
       ("04.02.2022 | Jane Doe") or a link to the author's page ("/autoren/jane-doe") at the
       headline (``byline_element``, ``byline_text``, ``rel_author``, ``byline_label``,
       ``dated_byline``, ``author_link``), last a name signed under the text's last
       paragraph, in bold or italics or above a date (``signature``); an account name in a
       dated line ("Gespeichert von rasos am 24. Juli 2017") only when no byline names a
       person. A JSON-LD Person
       shown by a given name alone takes its full name from its ``familyName`` or its bio
       ("Nils Muster ist ...").
       Each source's names go through ``bylines.clean_name`` / ``split_byline``; the site's
       own name is never an author (except a blog's handle on a blog platform: its
       subdomain or its name in a byline; a JSON-LD Person named like the site when nothing
       else names anyone, unless it is the host's name and no handle with digits);
       a bare given name in a ``<meta>`` author tag is a CMS account; and a JSON-LD or meta
       author (``citation_author`` aside) counts only when the page's visible text shows
       the name: one it never shows is a CMS account, not a byline, and one shown only
       after an editor's label ("Editor : Heryadi", "责任编辑") is the editor. An "about
       the author" box headed by a name names the author (``author_box``); a link styled
       as a button, and text only screen readers get, are no bylines. A "By ..." line at the
       headline naming none of the metadata's authors replaces them (the account that
       filed the story is not its writer), and spells them when it names the same people.
language
    JSON-LD ``inLanguage``, ``<html lang>``, ``content-language``, ``og:locale``
    (all kept in ``language_hints``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from urllib.parse import urljoin, urlsplit

from lxml import etree

from regmig_scraper.metadata import meta_tags
from regmig_scraper.metadata.bylines import (
    CJK_NAME,
    LEADING_ARTICLE,
    clean_name,
    dated_handle,
    first_last,
    fold,
    is_site_name,
    is_site_name_exactly,
    looks_like_name,
    reads_as_byline,
    split_byline,
)
from regmig_scraper.metadata.dates import (
    YEAR_ONLY,
    DateValue,
    date_from_url,
    find_date_in_text,
    is_utc_instant,
    local_day,
    parse_date_value,
)
from regmig_scraper.metadata.document import Element, parse_html
from regmig_scraper.metadata.jsonld import ARTICLE_TYPES, JsonLdData, read_jsonld
from regmig_scraper.metadata.markup import (
    HEADLINE_CLASS,
    HEADLINE_ONLY_CLASS,
    LONG_WORD,
    TITLE_WORD,
    _site_sides,
    agrees,
    byline_candidates,
    classed_headlines,
    date_elements,
    date_lines_near,
    find_headline,
    heading_with_kicker,
    headline_bylines,
    headline_parts,
    headline_region,
    headline_text,
    in_breadcrumbs,
    in_review,
    is_excluded,
    is_hidden,
    is_marked_headline,
    labelled_dates,
    last_crumbs,
    mark_headline,
    shares_word,
    text_after_lead,
    text_of,
    time_elements,
)
from regmig_scraper.metadata.model import PageMetadata

# Separators between a headline and the site's name in a title.
TITLE_SEPARATOR = re.compile(r"\s+[|–—·•»:/-]\s+|\s+::\s+|\s*[|│]\s*")
# The most values of one metadata title key read (a page may repeat og:title).
MAX_TITLE_VALUES = 3
# A title cut into this many parts by separators names its headline as the longest part.
MANY_PARTS = 3
# The shortest headline kept after cutting a site suffix (shorter: keep the whole title).
MIN_TITLE_CHARS = 8
# A language tag: "en", "en-US", "de_DE", "pt-br".
LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$", re.IGNORECASE)
# Regions whose numeric dates are month first.
MONTH_FIRST_REGIONS = frozenset({"us", "ph", "fm", "pw"})
# The most PDF links read from a page.
MAX_PDF_URLS = 20
# The fields whose rules cost most of the cascade's time (``extract_metadata(wanted=...)``).
COSTLY_FIELDS = frozenset({"title", "published", "modified", "authors"})
DATE_FIELDS = frozenset({"published", "modified"})


def extract_metadata(
    html_source: str | bytes,
    url: str,
    *,
    today: dt.date | None = None,
    wanted: Collection[str] | None = None,
) -> PageMetadata:
    """The metadata of a publication page (see the module docstring for the cascade).

    ``today`` bounds plausible dates (default: the current date); pass it for reproducible
    results. ``wanted`` names the costly fields a caller needs (of ``COSTLY_FIELDS``: a site
    module's fallback asks for the ones its selectors missed); the others stay None, and
    each wanted one is read exactly as with ``wanted=None`` (all of them). The cheap fields
    (language, site name, description, canonical URL, PDF links, page types) are always read.
    """
    want = COSTLY_FIELDS if wanted is None else COSTLY_FIELDS.intersection(wanted)
    result = PageMetadata(url=url)
    url = original_url(url)
    root = parse_html(html_source)
    if root is None:
        _published_from_url(result, url, today)
        return result
    meta = meta_tags.read_meta(root)
    links = meta_tags.read_links(root)
    ld = read_jsonld(root, url)
    tag_text = _title_text(root)
    h1 = find_headline(root, _title_hints(meta, ld, tag_text))
    mark_headline(h1)

    _language(result, root, meta, ld)
    site_names = _site_names(result, tag_text, meta, ld, url)
    host_labels = frozenset(
        _squash(label) for label in (urlsplit(url).hostname or "").split(".") if label
    )
    if "title" in want:
        _title(result, root, meta, ld, h1, site_names, tag_text)
        _replace_site_name_title(result, root, site_names, url)
    day_first = _day_first(result)
    # the page's own region, and its <time> elements, read once for both dates
    scope = _metadata_scope(root, h1)
    scope_times = None
    if scope is not None and not want.isdisjoint(DATE_FIELDS):
        scope_times = time_elements(scope, today=today, day_first=day_first)
    if "published" in want:
        _published(result, root, meta, ld, h1, url, today, day_first, scope, scope_times)
    if "modified" in want:
        _modified(result, meta, ld, today, day_first, scope_times)
    _in_site_time_zone(result, url, today)
    if "authors" in want:
        _authors(result, root, meta, ld, h1, site_names, host_labels)
    _description(result, meta, ld)
    _canonical(result, links, meta, url)
    _pdf_urls(result, meta, scope, url)
    _page_types(result, meta, ld)
    return result


def _title_hints(meta, ld: JsonLdData | None, tag_text: str) -> tuple[str, ...]:
    hints = [
        v for key in ("og:title", "twitter:title") for v in meta.get(key, [])[:MAX_TITLE_VALUES]
    ]
    if ld and ld.title:
        hints.append(ld.title)
    hints.append(tag_text)
    return tuple(" ".join(h.split()).casefold() for h in hints if h)


def _title_text(root: Element) -> str:
    """The text of the page's ``<title>``, whitespace collapsed ("" without one)."""
    element = root.find(".//title")
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


# A web archive's copy of a page: /web/<timestamp>/<original URL>.
ARCHIVED_COPY = re.compile(r"^https?://web\.archive\.org/web/[0-9a-z_]+/(https?://.+)$")


def original_url(url: str) -> str:
    """The URL of the page itself when ``url`` is a web archive's copy of it."""
    match = ARCHIVED_COPY.match(url)
    return match.group(1) if match else url


# --- language -------------------------------------------------------------------------------


def _language(result: PageMetadata, root, meta, ld: JsonLdData | None) -> None:
    hints = result.language_hints
    if ld and ld.language:
        hints["jsonld"] = ld.language
    if root.get("lang") or root.get("xml:lang"):
        hints["html_lang"] = root.get("lang") or root.get("xml:lang")
    for key in meta_tags.LANGUAGE_KEYS:
        if meta.get(key):
            hints[key] = meta[key][0]
    for source, value in hints.items():
        match = LANGUAGE_TAG.match(value.strip())
        if match:
            result.language = match.group(1).lower()
            result.provenance["language"] = source
            return


def _tagged_regions(result: PageMetadata) -> Iterator[tuple[str, str]]:
    """(language, region) of each language hint that names a region ("en-US", "de_CH")."""
    for value in result.language_hints.values():
        parts = re.split(r"[-_]", value.strip().lower())
        if len(parts) > 1:
            yield parts[0], parts[1]


def _day_first(result: PageMetadata) -> bool:
    for language, region in _tagged_regions(result):
        if language == "en":
            return region not in MONTH_FIRST_REGIONS
    return result.language != "en"


# Country-code TLDs sold worldwide as generic names (".co" for "company", ".io", ".tv"): they
# say nothing of where the site is.
VANITY_TLDS = frozenset({"co", "io", "tv", "me", "fm", "ai", "ly", "to", "cc", "ws", "la"})
# Languages spoken in one time zone's countries (a bare "de" is Germany, Austria or Switzerland,
# all on Central European time); "en", "es", "fr", "pt" span continents.
ONE_ZONE_LANGUAGES = {"de": "de", "it": "it", "nl": "nl", "pl": "pl", "cs": "cz", "sk": "sk",
                      "hu": "hu", "da": "dk", "sv": "se", "nb": "no", "no": "no", "fi": "fi",
                      "ja": "jp", "ko": "kr"}  # fmt: skip


def _region(result: PageMetadata, url: str) -> str | None:
    """Where the site is, for its time zone: the host's country-code TLD, else the region of a
    language tag ("es-AR", "de_CH"), else a language spoken in one zone ("de")."""
    host = urlsplit(url).hostname or ""
    tld = host.rsplit(".", 1)[-1].lower()
    if len(tld) == 2 and tld not in VANITY_TLDS:
        return tld
    for _language, region in _tagged_regions(result):
        if len(region) == 2:
            return region
    return ONE_ZONE_LANGUAGES.get(result.language or "")


def _in_site_time_zone(result: PageMetadata, url: str, today: dt.date | None) -> None:
    """A date read from a UTC instant ("2022-11-06T23:00:00Z") is the day the site's readers
    saw: the instant in the site's time zone (Berlin's 7 November), when the site's country
    keeps one zone."""
    dates = [d for d in (result.published, result.modified) if d is not None]
    if not any(d.raw[-1:].isalpha() for d in dates):
        return  # no "Z", "GMT" or "UTC" at the end of any raw value: nothing to move
    region = _region(result, url)
    if result.published is not None:
        result.published = local_day(result.published, region)
        in_url = date_from_url(url, today=today)
        if (
            is_utc_instant(result.published)
            and in_url is not None
            and in_url.precision == "day"
            and abs((result.published.value - in_url.value).days) == 1
        ):
            # still a UTC day a day off the URL's (a site in a country of several zones, or
            # of none known): the URL's day is the one the site itself wrote
            result.published = in_url
            result.provenance["published"] = in_url.source
    if result.modified is not None:
        result.modified = local_day(result.modified, region)


# --- title ----------------------------------------------------------------------------------


def _site_names(
    result: PageMetadata, tag_text: str, meta, ld: JsonLdData | None, url: str
) -> frozenset[str]:
    # a CMS that fills ``application-name`` with each page's headline, or its whole
    # <title>, names no site by it
    application = [n for n in meta.get("application-name", [])[:1] if fold(n) != fold(tag_text)]
    names = [*meta.get("og:site_name", [])[:1], *application, *meta.get("twitter:site", [])[:1]]
    if ld:
        names.extend(n for n in (ld.site_name, ld.publisher) if n)
    titles = {fold(t) for key in ("og:title", "twitter:title") for t in meta.get(key, [])[:1]}
    if ld and ld.title:
        titles.add(fold(ld.title))
    names = [n for n in names if fold(n) not in titles]
    if names:
        result.site_name = names[0].lstrip("@")
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    folded = {fold(n.lstrip("@")) for n in names if n.strip()}
    folded |= {_squash(n) for n in folded}
    folded |= {_squash(LEADING_ARTICLE.sub("", n)) for n in folded}
    if host and not host.endswith(BLOG_PLATFORMS):
        # on a blog platform the subdomain is the blogger's handle, not a site to keep out
        folded.add(host)
        folded |= {_squash(label) for label in host.split(".") if len(label) > 3}
    return frozenset(folded)


# Hosts whose subdomains are people's blogs (creeny.wordpress.com is Creeny's).
BLOG_PLATFORMS = (
    ".wordpress.com", ".blogspot.com", ".blogspot.de", ".tumblr.com", ".substack.com",
    ".typepad.com", ".livejournal.com", ".over-blog.com", ".blogger.com", ".medium.com",
)  # fmt: skip


def _squash(text: str) -> str:
    """Letters and digits only: "Lebensmittel Praxis" and "lebensmittel-praxis" meet."""
    return "".join(c for c in fold(text) if c.isalnum())


def _strip_site(title: str, site_names: frozenset[str], h1_text: str | None) -> str:
    """``title`` without a " | Site Name" prefix or suffix."""
    parts = [p for p in TITLE_SEPARATOR.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    if h1_text:
        for part in parts:
            if fold(part) == fold(h1_text):
                return part.strip()
    kept = [
        p
        for p in parts
        if not any(
            fold(p) == s or (len(s) > 3 and fold(p).replace(" ", "") in s) for s in site_names
        )
    ]
    if len(kept) == len(parts) and len(parts) >= MANY_PARTS:
        # "Blog » Archive » Headline", "Club - Headline - Section": the headline is the
        # longest part
        longest = max((p.strip() for p in parts), key=len)
        if len(longest) >= MIN_TITLE_CHARS:
            return longest
    if len(kept) == len(parts) or not kept:
        if len(parts) >= 2 and TITLE_SEPARATOR.search(title):
            # no site name known: a trailing short part after " | " is the site
            last = TITLE_SEPARATOR.split(title)
            bar = max(title.rfind("|"), title.rfind("│"))
            if bar >= 0 and len(last[-1]) < len(title) / 2:
                candidate = title[:bar].strip()
                if len(candidate) >= MIN_TITLE_CHARS:
                    return candidate
        return title
    # rebuild from the original text: keep the span from the first to the last kept part
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    stripped = title[start:end].strip() if start >= 0 and end > start else " ".join(kept)
    return stripped if len(stripped) >= MIN_TITLE_CHARS else title


def _title(
    result: PageMetadata, root, meta, ld, h1, site_names: frozenset[str], tag_text: str
) -> None:
    h1_text = headline_text(h1) if h1 is not None else None
    if h1_text and (len(h1_text) > 300 or is_site_name(h1_text, site_names)):
        h1_text = None  # no headline, or the blog's name in an <h1>
    candidates: list[tuple[str, str]] = []
    if ld and ld.title:
        candidates.append(("jsonld", ld.title))
    microdata = _microdata_title(root)
    if microdata:
        candidates.append(("microdata", microdata))
    for key in meta_tags.TITLE_KEYS:
        # every value: a theme and an SEO plugin each write an og:title, the printed headline
        # agreeing with one of them
        for value in meta.get(key, [])[:MAX_TITLE_VALUES]:
            candidates.append((key, value))
    if ld and ld.page_title:
        candidates.append(("jsonld_webpage", ld.page_title))
    if tag_text:
        candidates.append(("title_tag", tag_text))
    if h1_text and h1 is not None:
        # a kicker printed in the heading is part of the title when the site's own metadata
        # title says it too ("Entwurf des Gesetzes: Ein bisschen Fortschritt"), spelled as
        # the metadata spells it (the heading's kicker is often set off by layout alone)
        whole = heading_with_kicker(h1)
        if whole != h1_text:
            for source, value in candidates:
                if source == "microdata":
                    continue  # the item's name as the heading prints it, kicker and all
                named = _naming_part(whole, value)
                if named:
                    result.title, result.provenance["title"] = named, source
                    return

    if h1_text:
        for _source, value in candidates:
            if agrees(h1_text, value):
                result.title, result.provenance["title"] = h1_text, "h1"
                return
        # a line above the headline, set in the heading by layout alone, that the metadata
        # title leaves out: the heading's text after it is the headline
        rest = text_after_lead(h1) if h1 is not None else None
        if rest and any(_names_exactly(value, rest) for _, value in candidates):
            result.title, result.provenance["title"] = rest, "h1"
            return
    # a heading that is the short side of the <title> ("Post | Blog Name") names the site
    # (unless the markup marks it as the entry's headline: "Alkohol auf dem Boot – Erfahre
    # mehr zu den Risiken" over an ``itemprop="headline"`` "Alkohol auf dem Boot")
    h1_is_site = (
        bool(h1_text)
        and not (h1 is not None and is_marked_headline(h1))
        and any(fold(h1_text) in map(fold, _site_sides(v.casefold())) for _, v in candidates)
    )
    # the page's only <h1> is its visible headline, even when the metadata title is an SEO
    # rewording of it ("Wärmepumpe im Altbau - Wann es sich lohnt")
    if (
        h1_text
        and not h1_is_site
        and h1 is not None
        and (h1.tag == "h1" or is_marked_headline(h1))
        and (_only_h1(root, h1) or any(_reworded(h1_text, v) for _, v in candidates))
    ):
        result.title, result.provenance["title"] = h1_text, "h1"
        return
    if (
        h1_text
        and not h1_is_site
        and h1 is not None
        and not in_breadcrumbs(h1)
        and fold(h1_text) in last_crumbs(root)
    ):
        # the breadcrumb trail's last crumb names the page the reader is on: the headline it
        # repeats is the page's title, over metadata titles worded for search engines
        result.title, result.provenance["title"] = h1_text, "h1"
        return
    if h1 is None and [source for source, _ in candidates] == ["title_tag"]:
        # no headline found and no metadata title: the first content heading is the page's
        # title more often than its <title> ("Page - Section - Site"), else an element
        # whose class names it the headline ("<div class=l-headline>")
        heading = _first_content_heading(root, tag_text) or _classed_headline(
            root, site_names, HEADLINE_ONLY_CLASS
        )
        if heading is not None and not is_site_name(heading, site_names):
            result.title, result.provenance["title"] = heading, "first_heading"
            return
    for source, value in candidates:
        if source == "title_tag" and h1_text and not h1_is_site:
            break
        title = _strip_site(value, site_names, h1_text)
        if title and fold(title) not in site_names:
            result.title, result.provenance["title"] = title, source
            return
    if h1_text and not h1_is_site:
        result.title, result.provenance["title"] = h1_text, "h1"
    elif tag_text:
        result.title = _strip_site(tag_text, site_names, None)
        result.provenance["title"] = "title_tag"


def _replace_site_name_title(
    result: PageMetadata, root, site_names: frozenset[str], url: str
) -> None:
    """A page below the home page whose every title source gives the site's name ("ICON
    Magazine" on iconmagazine.de/story/...) prints its headline where its class says so."""
    title = result.title
    if not title or result.provenance.get("title") == "h1" or not urlsplit(url).path.strip("/"):
        return  # a printed headline is the page's, whatever name a CMS gives the site
    if is_site_name_exactly(title, site_names):
        headline = _classed_headline(root, site_names)
        if headline is not None:
            result.title, result.provenance["title"] = headline, "classed_headline"


def _classed_headline(
    root, site_names: frozenset[str], named: re.Pattern[str] = HEADLINE_CLASS
) -> str | None:
    """The first ``classed_headlines`` text of a headline's length that is not the site's
    name."""
    return next(
        (
            text
            for text in classed_headlines(root, named)
            if MIN_TITLE_CHARS <= len(text) <= MAX_CLASSED_CHARS
            and not is_site_name(text, site_names)
        ),
        None,
    )


# The longest text read as a headline from an element's class alone.
MAX_CLASSED_CHARS = 200


def _microdata_title(root: Element) -> str | None:
    """The ``headline`` (else ``name``) of the page's first microdata item of a publication's
    type (JSON-LD's ``ARTICLE_TYPES``) outside other items' containers (``<meta itemprop=name
    content=...>`` or the element's text); a person's or an organisation's name inside it
    belongs to their own item."""
    scope = next((s for s in root.iterfind(".//*[@itemtype]") if _is_article_item(s)), None)
    if scope is None:
        return None
    found: dict[str, str] = {}
    for element in scope.iterfind(".//*[@itemprop]"):
        props = (element.get("itemprop") or "").lower().split()
        key = "headline" if "headline" in props else "name" if "name" in props else None
        if key is None or key in found or _item_of(element) is not scope:
            continue
        value = element.get("content") if element.tag == "meta" else text_of(element)
        if value := " ".join((value or "").split()):
            found[key] = value
    title = found.get("headline") or found.get("name")
    return title if title and len(title) <= 300 else None


def _is_article_item(scope: Element) -> bool:
    # "https://schema.org/NewsArticle", the retired "http://data-vocabulary.org/Review"
    types = (scope.get("itemtype") or "").split()
    kind = types[0].rstrip("/").rsplit("/", 1)[-1].lower() if types else ""
    return kind in ARTICLE_TYPES and not is_excluded(scope)


def _item_of(element: Element) -> Element | None:
    """The nearest enclosing ``itemscope`` of an ``itemprop`` element."""
    for ancestor in element.iterancestors():
        if ancestor.get("itemscope") is not None or ancestor.get("itemtype"):
            return ancestor
    return None


def _naming_part(heading: str, title: str) -> str | None:
    """The metadata title, or its headline side, when it has the heading's words in order,
    punctuation aside ("Nationale Demo / Der 9. Juli naht" for "Nationale Demo Der 9. Juli
    naht"); else None."""
    words = TITLE_WORD.findall(fold(heading))
    for text in (title, *headline_parts(title)):
        if TITLE_WORD.findall(fold(text)) == words:
            return " ".join(text.split())
    return None


def _names_exactly(title: str, headline: str) -> bool:
    """True when a metadata title is ``headline``, alone or beside the site's name."""
    folded = fold(headline)
    return fold(title) == folded or folded in map(fold, headline_parts(title))


def _first_content_heading(root, title: str) -> str | None:
    """The first ``<h2>`` outside other items that shares a word with the page's ``<title>``
    ("Bootsdienst Ausbildung" under "Feuerwehr Oldenburg - Ausbildung"); a menu's or a
    skip-link's heading shares none."""
    title_words = set(LONG_WORD.findall(fold(title)))
    for heading in root.iter("h2"):
        text = headline_text(heading)
        if not MIN_TITLE_CHARS <= len(text) <= 200 or is_excluded(heading):
            continue
        if is_hidden(heading):
            continue  # a screen reader's "Hauptnavigation" names no page
        return text if shares_word(title_words, LONG_WORD.findall(fold(text))) else None
    return None


def _reworded(heading: str, title: str) -> bool:
    """True when a metadata title says the headline in other words: most of the words of the
    shorter are the longer's ("Minions mit Schablonen malen - mit Malerrolle & bunter Farbe"
    for "Minions mit Schablonen malen – mit Malerrolle und bunten Farben"), but not all in the
    same order (then the metadata title is the cleaner spelling of the same headline)."""
    heading_words, title_words = LONG_WORD.findall(fold(heading)), LONG_WORD.findall(fold(title))
    if not heading_words or not title_words or heading_words == title_words:
        return False
    shared = len(set(heading_words) & set(title_words))
    return shared > REWORDED_SHARE * min(len(set(heading_words)), len(set(title_words)))


# A metadata title sharing more than this share of the shorter side's words rewords the h1.
REWORDED_SHARE = 0.5


def _only_h1(root, h1) -> bool:
    """True when ``h1`` is the page's one ``<h1>`` outside excluded contexts; a copy of it
    with the same text (a layout for small screens) is the same headline, and an ``<h1>``
    that is all one link ("Mehr aus Sachsen-Anhalt") heads a box of links to other pages."""
    text = text_of(h1)
    return all(
        h is h1 or is_excluded(h) or text_of(h) in ("", text) or _all_link(h) or in_breadcrumbs(h)
        for h in root.iter("h1")
    )


def _all_link(heading) -> bool:
    """True when the heading's text is one link's text."""
    links = list(heading.iter("a"))
    return len(links) == 1 and text_of(links[0]) == text_of(heading)


# --- dates ----------------------------------------------------------------------------------


# A visible date this close to the metadata date is the same date seen in another time zone
# ("2022-11-06T23:00:00Z" shown as 7 November): the visible one is what readers see.
SAME_DATE_DAYS = 2


# (published, modified) of the ``<time>`` elements in the page's own region (``time_elements``).
ScopeTimes = tuple[DateValue | None, DateValue | None]


def _published(
    result, root, meta, ld, h1, url, today, day_first, scope, scope_times: ScopeTimes | None
) -> None:
    metadata = _published_in_metadata(root, meta, ld, today, day_first)
    # beside a metadata date only the headline's own date is read (the page-wide scans cost
    # the most and only matter when the metadata is silent)
    visible = _published_visible(
        root, h1, scope, scope_times, today, day_first, at_headline=metadata is not None
    )
    in_url = date_from_url(url, today=today)
    og_type = (meta.get("og:type") or [""])[0].lower()
    catalogue = bool(ld and CATALOGUE_TYPES.intersection(ld.types[:1])) or og_type in (
        "product",
        "og:product",
    )
    if catalogue and visible is None:
        # a recipe's or a product's datePublished is its database entry, not a date the page
        # shows its readers: without a visible date the page is undated
        metadata = None
    # a blog's URL day is the post's day; a date line a day off is a time zone or an event,
    # unless the metadata names the same day as the page shows (two sources against one)
    if (
        visible is not None
        and in_url is not None
        and _close(visible, in_url)
        and not (metadata is not None and metadata.value == visible.value)
    ):
        visible = in_url
    if metadata is not None:
        # the date printed at the headline is what readers see; metadata dates are often a
        # re-publication, a sitemap's or a CMS's (measured: the headline's date is right
        # three times as often when they disagree); a date only an attribute holds is not
        # printed at all
        if (
            visible is not None
            and visible.shown
            and (_close(visible, metadata) or visible.source in AT_HEADLINE_SOURCES)
            and not (_in_period(metadata, in_url) and not _in_period(visible, in_url))
        ):
            # (two sources against one: a URL's month or day that holds the metadata date
            # and not the shown one keeps the metadata)
            metadata = visible
        result.published, result.provenance["published"] = metadata, metadata.source
        return
    if visible is not None:
        result.published, result.provenance["published"] = visible, visible.source
        return
    _published_from_url(result, url, today)


# Microdata publication dates anywhere in the body, and RDFa ones (Drupal writes
# ``property="dc:date"`` with the ISO value in ``content`` on the date it shows): one scan in C
# for both (each scan of a large page costs most of a millisecond).
RDFA_PUBLISHED_PROPERTIES = ("dc:date", "dcterms:date", "dc:created", "dcterms:created",
                             "dcterms:issued", "schema:datePublished",
                             "schema:dateCreated")  # fmt: skip
PUBLISHED_MARKUP = etree.XPath(
    "//body/descendant::*[@itemprop='datePublished' or (@content and ("
    + " or ".join(f"@property='{p}'" for p in RDFA_PUBLISHED_PROPERTIES)
    + "))]"
)


# JSON-LD types of catalogue entries rather than publications (a HowTo is a guide written and
# dated like an article: not one of them).
CATALOGUE_TYPES = frozenset({"recipe", "product", "course", "softwareapplication"})
# Visible dates read at the headline itself (its header's <time>, a date line beside it).
AT_HEADLINE_SOURCES = frozenset({"time_element", "itemprop_datePublished", "date_line"})


def _in_period(date: DateValue, period: DateValue | None) -> bool:
    """Whether a day falls in a URL's day or month."""
    if period is None or period.precision not in ("day", "month"):
        return False
    if period.precision == "day":
        return date.value == period.value
    return (date.value.year, date.value.month) == (period.value.year, period.value.month)


def _close(one: DateValue, other: DateValue) -> bool:
    """Two day dates at most SAME_DATE_DAYS apart, and not equal."""
    if one.precision != "day" or other.precision != "day":
        return False
    return 0 < abs((one.value - other.value).days) <= SAME_DATE_DAYS


def _published_in_metadata(root, meta, ld, today, day_first) -> DateValue | None:
    """Steps 1-2 of the cascade: JSON-LD of the main item, then the meta tags (the known keys,
    then any key named like a publication date: ``shareaholic:article_published_time``),
    then microdata ``itemprop=datePublished`` and RDFa ``property="dc:date"`` (and friends)
    outside sidebars and lists. An RDFa date that shows a coarser period of its own value
    ("April 2021", or "2021" alone, on ``content="2021-04-01T00:00:00-05:00"``) is that
    period.

    The JSON-LD ``WebPage`` node's date is not read: every page of a WordPress site has one
    (Yoast), articles and static pages alike, so it does not say the page is dated.
    """
    candidates: list[tuple[str | None, str]] = []
    if ld and ld.published:
        candidates.append((ld.published, "jsonld"))
    for key in meta_tags.PUBLISHED_KEYS:
        candidates += [(v, key) for v in meta.get(key, [])[:1]]
    for key, values in meta.items():
        if key not in meta_tags.PUBLISHED_KEYS and meta_tags.PUBLISHED_KEY_NAME.search(key):
            candidates.append((values[0], key))
    # an event's start date may lie ahead: it is the event's date (the normalizer flags it)
    event_start = bool(ld and ld.published_key == "startDate")
    for raw, source in candidates:
        future = event_start and source == "jsonld"
        value = parse_date_value(
            raw, source=source, today=today, day_first=day_first, future=future
        )
        if value is not None:
            return value
    # the body's markup is scanned only when the head said nothing (the scan costs most of a
    # millisecond on a large page)
    microdata = rdfa = None
    for element in PUBLISHED_MARKUP(root):
        if is_excluded(element) or in_review(element):
            continue
        if microdata is None and element.get("itemprop") == "datePublished":
            microdata = element
        if (
            rdfa is None
            and element.get("content") is not None
            and (element.get("property") in RDFA_PUBLISHED_PROPERTIES)
        ):
            rdfa = element
        if microdata is not None and rdfa is not None:
            break
    if microdata is not None:
        raw = microdata.get("content") or microdata.get("datetime") or text_of(microdata)
        value = parse_date_value(raw, source="microdata_datePublished", today=today,
                                 day_first=day_first)  # fmt: skip
        if value is not None:
            return value
    if rdfa is not None:
        value = parse_date_value(rdfa.get("content"), source="rdfa_date", today=today,
                                 day_first=day_first)  # fmt: skip
        if value is not None:
            text = text_of(rdfa, limit=80)
            shown = find_date_in_text(text, source="rdfa_date", today=today)
            if shown is None and YEAR_ONLY.match(text):  # "2021": the year is all it shows
                shown = parse_date_value(text, source="rdfa_date", today=today)
            return shown if shown is not None and _shown_period(shown, value) else value
    return None


def _shown_period(shown: DateValue, value: DateValue) -> bool:
    """Whether ``shown`` is a coarser period that holds ``value`` (month or year of it)."""
    if shown.precision == "month":
        return (shown.value.year, shown.value.month) == (value.value.year, value.value.month)
    if shown.precision == "year":
        return shown.value.year == value.value.year
    return False


def _published_visible(
    root, h1, scope, scope_times: ScopeTimes | None, today, day_first, at_headline=False
) -> DateValue | None:
    """Steps 4-6: the page's own ``<time>``, date lines near the headline, date elements,
    labelled dates and ``<time>`` elements anywhere outside excluded contexts. Visible text
    dates must name a day: a bare "November 2022" in a page's text is as often a topic as a
    date line."""
    found = _first_visible(root, h1, scope, scope_times, today, day_first, at_headline)
    return found if found is not None and found.precision == "day" else None


def _first_visible(
    root, h1, scope, scope_times: ScopeTimes | None, today, day_first, at_headline
) -> DateValue | None:
    if scope_times is not None:
        published, _modified = scope_times
        if published is not None:
            if not published.shown and h1 is not None:
                # an empty <time itemprop=datePublished> is metadata: the day the date line
                # at the headline shows its readers wins over it
                line = date_lines_near(h1, today=today, day_first=day_first)
                if line is not None and line.precision == "day" and line.value != published.value:
                    return line
            return published
    if h1 is not None:
        found = date_lines_near(h1, today=today, day_first=day_first)
        if found is not None:
            return found
    if at_headline:
        return None
    found = date_elements(root, today=today, day_first=day_first)
    if found is not None:
        return found
    found = labelled_dates(root, today=today, day_first=day_first)
    if found is not None:
        return found
    # a <time> far from the headline, outside other items (a "Datum" box below the text)
    body = root.find("body")
    if body is not None and body is not scope:
        published, _modified = time_elements(body, today=today, day_first=day_first)
        if published is not None:
            return published
    # a press release's headline or <title>: "Pressemitteilung vom 22.04.2020",
    # "08.11.2021 | Online-Fachtag"
    title = root.find(".//title")
    for element, source in ((h1, "headline"), (title, "title_tag")):
        if element is not None:
            text = text_of(element)
            found = find_date_in_text(text, source=source, today=today, day_first=day_first)
            if found is not None and found.precision == "day":
                return found
    return None


def _published_from_url(result: PageMetadata, url: str, today) -> None:
    found = date_from_url(url, today=today)
    if found is not None:
        result.published, result.provenance["published"] = found, "url"


def _metadata_scope(root, h1) -> Element | None:
    """Where the page's own ``<time>`` elements are: the headline's header/article, else the
    first ``<article>`` outside excluded contexts."""
    if h1 is not None:
        return headline_region(h1)
    for article in root.iter("article"):
        if not is_excluded(article):
            return article
    return None


def _modified(result, meta, ld, today, day_first, scope_times: ScopeTimes | None) -> None:
    candidates: list[tuple[str | None, str]] = []
    if ld:
        candidates += [(ld.modified, "jsonld"), (ld.page_modified, "jsonld_webpage")]
    for key in meta_tags.MODIFIED_KEYS:
        candidates += [(v, key) for v in meta.get(key, [])[:1]]
    for raw, source in candidates:
        value = parse_date_value(raw, source=source, today=today, day_first=day_first)
        if value is not None:
            result.modified, result.provenance["modified"] = value, source
            return
    if scope_times is not None:
        _published, modified = scope_times
        if modified is not None:
            result.modified, result.provenance["modified"] = modified, modified.source


# --- authors --------------------------------------------------------------------------------

# The text nodes readers see in the body (not scripts: JSON-LD repeats the author there). Text
# nodes tested by their parent, in one descendant step: the same nodes as selecting the
# elements and then their text() children, a third faster.
VISIBLE_TEXT = etree.XPath(
    "//body/descendant::text()"
    "[not(parent::script or parent::style or parent::noscript or parent::template)]",
    smart_strings=False,
)


def is_given_name_alone(name: str) -> bool:
    """One capitalized word of letters ("Jan", "Stefanus"), as a CMS shows an account by its
    first name; a handle ("happyface313", "gnaddrig") is written otherwise."""
    return (
        " " not in name
        and name.isalpha()
        and name[:1].isupper()
        and name[1:].islower()
        and not CJK_NAME.match(name)
    )


# Meta keys repeated once per author, each value one name (possibly "Last, First").
ONE_NAME_PER_TAG = frozenset({"citation_author", "dc.creator", "dcterms.creator"})
# The longest "By ..." line read from the page's text (longer: a sentence with "von" in it).
MAX_TEXT_BYLINE_CHARS = 80
# Meta keys of author names, after JSON-LD; each value is one name or a byline.
AUTHOR_META_ORDER = (
    ("citation_author", "citation_author"),
    ("dc.creator", "dc_creator"),
    ("dcterms.creator", "dc_creator"),
    ("article:author", "article_author"),
    ("parsely-author", "parsely_author"),
    ("sailthru.author", "sailthru_author"),
    ("author", "meta_author"),
    ("byl", "meta_byl"),
)

# The rules of ``<meta>`` author tags.
META_AUTHOR_SOURCES = frozenset({source for _key, source in AUTHOR_META_ORDER})


def _authors(result, root, meta, ld, h1, site_names, host_labels: frozenset[str]) -> None:
    def accept(
        raws: list[str],
        source: str,
        split: bool,
        strict: bool = False,
        names_to_skip: frozenset[str] = site_names,
        shown: bool = False,
        owner_ok: bool = False,
    ) -> bool:
        names: list[str] = []
        for raw in raws:
            if split:
                found = split_byline(raw, site_names=site_names)
                if not found and owner_ok:
                    found = [n for n in split_byline(raw) if is_owner(n)]
                # visible text: every name must look like one, or the line is not a byline
                if strict and not all(looks_like_name(n) for n in found):
                    found = []
                names += found
            else:
                name = clean_name(raw, site_names=names_to_skip)
                if name is None and raw:
                    names += split_byline(raw, site_names=names_to_skip)
                elif name is not None:
                    names.append(name)
        unique: list[str] = []
        for name in names:
            if fold(name) not in {fold(u) for u in unique}:
                unique.append(name)
        if shown:
            # a metadata author the page never shows is a CMS account, not a byline
            unique = [n for n in unique if is_shown(n)]
        if source in META_AUTHOR_SOURCES:
            # nor is a bare given name in a meta tag ("Jan"): the account's first name, which
            # names no one (JSON-LD's Person of a forum post is its poster's handle: "Tiberius")
            unique = [n for n in unique if not is_given_name_alone(n)]
        if not unique:
            return False
        result.authors = unique
        result.authors_raw = "; ".join(raws)
        result.provenance["authors"] = source
        return True

    host = urlsplit(original_url(result.url)).hostname or ""
    on_blog_platform = host.endswith(BLOG_PLATFORMS)
    # the blogger's handle: the blog's subdomain on a blog platform
    blog_handle = host.split(".", 1)[0] if on_blog_platform and host.count(".") >= 2 else ""

    def is_owner(name: str) -> bool:
        """On a blog platform, a name in the page's author markup that is the blog's own name
        is the blogger: the blog is named after its owner's handle ("gnaddrig" on a blog whose
        ``twitter:site`` is "@gnaddrig"). A name with a leading article ("Das Kabinett") is
        the blog's title, not a handle. Elsewhere a site-named author is the publication."""
        return (
            on_blog_platform and is_site_name(name, site_names) and not LEADING_ARTICLE.match(name)
        )

    text_cache: dict[str, str] = {}

    def is_shown(name: str) -> bool:
        """The name is in the page's visible text (casefolded; accent-folded only when that
        fails, as folding a whole page costs milliseconds). A name found as written is shown
        without casefolding the page: casefolding maps each character on its own, and the
        name's single spaces stand between words, so it is in the casefolded text too."""
        if "visible" not in text_cache:
            text_cache["visible"] = " ".join(VISIBLE_TEXT(root))
        written = " ".join(name.split())
        if written in text_cache["visible"]:
            # a name the page shows only as its editor's ("Editor : Heryadi") is no author's
            return not only_as_editor(text_cache["visible"], written)
        if "casefolded" not in text_cache:
            text_cache["casefolded"] = " ".join(text_cache["visible"].casefold().split())
        if " ".join(name.casefold().split()) in text_cache["casefolded"]:
            return True
        if "folded" not in text_cache:
            text_cache["folded"] = fold(text_cache["casefolded"])
        return fold(name) in text_cache["folded"]

    def in_metadata() -> bool:
        if people and not site_person and accept(people, "jsonld", split=False, shown=True):
            return True
        for key, source in AUTHOR_META_ORDER:
            values = [v for v in meta.get(key, []) if not v.lower().startswith(("http", "www."))]
            values = [first_last(v) for v in values] if key in ONE_NAME_PER_TAG else values[:1]
            shown = key != "citation_author"  # scholarly pages list authors in metadata only
            if values and accept(values, source, split=len(values) == 1, shown=shown):
                return True
        return False

    people = [name for name, kind in ld.authors if kind != "org"] if ld else []
    # a Person named like the site is the site (a newsroom account), unless nothing else names
    # anyone: then it is the blogger whose blog bears their name
    site_person = bool(people) and all(is_site_name(p, site_names) for p in people)
    if in_metadata():
        if h1 is not None and result.provenance["authors"] != "citation_author":
            _prefer_headline_byline(result, h1, site_names)
        return
    handles: list[str] = []
    for raw, rule in byline_candidates(h1, root):
        # an author element's markup vouches for it; a "By ..." line in the text must read
        # as names, or name the blog's owner by the handle in its address ("Verfasst von:
        # surfguard" on surfguard.wordpress.com)
        if rule == "byline_text" and blog_handle and _names_handle(raw, blog_handle):
            accept([raw], rule, split=True)
            return
        handle = dated_handle(raw) if rule == "byline_text" else None
        if handle and not looks_like_name(handle):
            # an account name and the post's date ("Gespeichert von rasos am 24. Juli 2017"):
            # the CMS account, after any byline naming a person
            handles.append(handle)
            continue
        if rule == "byline_text" and (len(raw) > MAX_TEXT_BYLINE_CHARS or not reads_as_byline(raw)):
            continue
        # the markup of an author element or link vouches for a site-named owner
        owner_ok = rule != "byline_text"
        strict = rule in ("byline_text", "author_link", "signature", "author_box")
        if accept([raw], rule, split=True, strict=strict, owner_ok=owner_ok):
            return
    if handles and accept(handles[:1], "byline_text", split=False):
        return
    # ... but not when the name is the host's ("CyberCook" on cybercook.com.br), unless it is
    # written as a handle, with digits ("happyface313" on happyface313.com)
    if site_person and all(
        not is_site_name(p, host_labels) or HANDLE_WITH_DIGITS.match(p) for p in people
    ):
        accept(people, "jsonld", split=False, names_to_skip=frozenset())


# A one-word account name ending in digits: "happyface313", "freeman1984".
HANDLE_WITH_DIGITS = re.compile(r"^[^\W\d_][\w.]*[^\W\d_][0-9]+$")


def only_as_editor(text: str, name: str) -> bool:
    """True when every place ``text`` names ``name`` follows an editor's label ("Editor :
    Heryadi", "Redaktion: Anna Muster"): the issue's rule, an editor is not an author."""
    start = text.find(name)
    if start < 0:
        return False
    while start >= 0:
        if not EDITOR_LABEL.search(text, max(0, start - EDITOR_LABEL_CHARS), start):
            return False
        start = text.find(name, start + len(name))
    return True


# An editor's label right before a name, and how far back it is looked for.
EDITOR_LABEL = re.compile(
    r"(?:\beditors?|\beditora|\bredakteur(?:in)?|\bredaktion|\bbearbeitet von|\bedited by|"
    r"\beditado por|\bédité par|\bredaksi|\bpenyunting|责任编辑|编辑)\s*[:：]?\s*$",
    re.IGNORECASE,
)
EDITOR_LABEL_CHARS = 24


def _prefer_headline_byline(result: PageMetadata, h1, site_names: frozenset[str]) -> None:
    """The "By ..." line at the headline over metadata authors it does not name: the CMS
    account that filed a story ("Web Desk Account" in JSON-LD, "Von Jane Doe" under the
    headline) is not its writer; and its spelling over theirs when they are the same people
    ("gabor munier" from a login name, "Gàbor Muniér" in the byline)."""
    for raw in headline_bylines(h1):
        if len(raw) > MAX_TEXT_BYLINE_CHARS or not reads_as_byline(raw):
            continue
        names = split_byline(raw, site_names=site_names)
        if not names or not all(looks_like_name(n) for n in names):
            continue
        shown = [fold(n) for n in names]
        kept = [fold(n) for n in result.authors]
        if (
            set(shown).isdisjoint(kept)
            or set(kept) < set(shown)  # a co-author the metadata leaves out
            or (sorted(shown) == sorted(kept) and names != result.authors)
        ):
            result.authors, result.authors_raw = names, raw
            result.provenance["authors"] = "byline_text"
        return


def _names_handle(raw: str, handle: str) -> bool:
    """Whether a short "By ..." line names exactly the blog's handle (the site's name on a
    blog platform is its owner's, so the site names are not left out here)."""
    if len(raw) > MAX_TEXT_BYLINE_CHARS:
        return False
    return [fold(n) for n in split_byline(raw)] == [fold(handle)]


# --- the rest -------------------------------------------------------------------------------


def _description(result: PageMetadata, meta, ld) -> None:
    if ld and ld.description:
        result.description, result.provenance["description"] = ld.description, "jsonld"
        return
    found = meta_tags.first(meta, meta_tags.DESCRIPTION_KEYS)
    if found:
        result.description, result.provenance["description"] = found[1], found[0]


def _canonical(result: PageMetadata, links, meta, url: str) -> None:
    for source, values in (("canonical", links.get("canonical")), ("og:url", meta.get("og:url"))):
        for value in values or []:
            absolute = _absolute(url, value)
            if absolute and absolute.startswith(("http://", "https://")):
                result.canonical_url, result.provenance["canonical_url"] = absolute, source
                return


def _pdf_urls(result: PageMetadata, meta, scope: Element | None, url: str) -> None:
    found: list[str] = []
    for value in meta.get("citation_pdf_url", []):
        found.append(_absolute(url, value))
    if scope is not None:
        for link in scope.iter("a"):
            href = (link.get("href") or "").strip()
            if href.lower().split("?", 1)[0].endswith(".pdf") and not is_excluded(link):
                found.append(_absolute(url, href))
    seen: set[str] = set()
    kept = [u for u in found if u and not (u in seen or seen.add(u))]
    result.pdf_urls = kept[:MAX_PDF_URLS]


def _absolute(url: str, value: str) -> str | None:
    """``value`` resolved against the page's URL; None when it is no URL at all ("a://[",
    an unclosed IPv6 bracket, which urljoin refuses)."""
    try:
        return urljoin(url, value)
    except ValueError:
        return None


def _page_types(result: PageMetadata, meta, ld) -> None:
    types: list[str] = []
    if ld:
        types += [f"jsonld:{t}" for t in ld.types]
        result.breadcrumbs = list(ld.breadcrumbs)
    for key in meta_tags.TYPE_KEYS:
        types += [f"{key}:{v.lower()}" for v in meta.get(key, [])[:1]]
    result.page_types = types


__all__ = ["DateValue", "extract_metadata"]
