"""What a generic site's links are: on the site or not, a publication or not, a pager page.

Pure functions of URLs (and the hosts a page names itself by), no markup: the listing and
publication readers share them.

- ``SiteHosts``: the crawl's origin and the origin the page's canonical link names (a mirror
  of ``www.example.org`` served on ``127.0.0.1:8000`` names the real host): links to either
  are on the site, and are moved onto the crawl's origin to be requested.
- ``is_publication_path``: paths that are never publications (people, taxonomies, feeds,
  registration forms, files) by their segments, whatever the theme.
- ``pager_position``: the listing a URL pages through and its page number, for every pager
  form (``/page/N/``, ``?page=N``, Drupal's ``?page=0,N``, ``?paged=N``, ``?pg=N``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from regmig_scraper.normalize.urls import host_of, normalize_url, rebase
from regmig_scraper.sites.markup import origin_of

# Path segments of pages that are never publications: people, taxonomies, site sections,
# feeds, forms, WordPress's own machinery (English and Spanish).
NOT_PUBLICATION_SEGMENTS = frozenset(
    {
        "author", "authors", "autor", "autores", "people", "person", "persons", "staff",
        "experts", "expert", "expertos", "team", "equipo", "our-team", "bio", "bios",
        "category", "categories", "categoria", "categorias", "tag", "tags", "etiqueta",
        "etiquetas", "topic", "topics", "tema", "temas", "taxonomy", "term", "region",
        "regions", "program", "programs", "programas", "issue", "issues", "series",
        "about", "about-us", "acerca", "nosotros", "contact", "contacto", "donate", "donar",
        "support", "careers", "jobs", "search", "buscar", "feed", "rss", "sitemap",
        "wp-content", "wp-json", "wp-admin", "wp-includes", "wp-login.php", "xmlrpc.php",
        "register", "registration", "registro", "rsvp", "login", "user", "users",
        "newsletter", "subscribe", "suscribirse", "privacy-policy", "cart", "shop",
    }
)  # fmt: skip

# Links to files are downloads, not publication pages.
FILE_EXTENSION = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|csv|zip|jpe?g|png|gif|svg|webp|mp3|mp4|xml|txt|json|ics)$",
    re.IGNORECASE,
)

# A language prefix of a multilingual site ("/es/", "/pt-br/").
LANGUAGE_SEGMENT = re.compile(r"^[a-z]{2}(?:-[a-z]{2})?$", re.IGNORECASE)

# WordPress's shortlink of a post (``/?p=123``): the post itself.
SHORTLINK = re.compile(r"(?:^|&)p=\d+(?:&|$)")

# A dated path (``/2023/11/slug/``): how blogs and WordPress name their posts.
DATED_PATH = re.compile(r"/(19|20)\d\d/(0?[1-9]|1[0-2])(/\d{1,2})?/[^/]+")

# ``/topics/x/page/3/`` -> page 3 (WordPress and most blogs).
PAGED_PATH = re.compile(r"^(?P<base>.*?)/page/(?P<page>\d{1,6})/?$", re.IGNORECASE)

# Query parameters that carry a pager's page number, and how the number counts.
ZERO_BASED_PAGE_PARAMS = ("page",)  # Drupal: ?page=1 is the second page; ?page=0,1 too
ONE_BASED_PAGE_PARAMS = ("paged", "pg", "pagina", "p_page", "page_num", "pagenum")
PAGE_PARAMS = (*ZERO_BASED_PAGE_PARAMS, *ONE_BASED_PAGE_PARAMS)
# Query parameters that pick a tab of a listing page.
TAB_PARAM_PREFIXES = ("qt-", "quicktabs")
TAB_PARAMS = frozenset({"tab"})
DRUPAL_PAGE_VECTOR = re.compile(r"^\d{1,6}(,\d{1,6})*$")


@dataclass(frozen=True, slots=True)
class SiteHosts:
    """The origin a page was fetched from, and the one it names itself by (canonical)."""

    crawl_origin: str
    site_origin: str

    def on_site(self, url: str) -> str | None:
        """``url`` moved onto the crawl's origin if it is on this site, else None."""
        host = _bare(host_of(url))
        if host == _bare(host_of(self.crawl_origin)):
            return url
        if host == _bare(host_of(self.site_origin)):
            return rebase(url, self.crawl_origin)
        return None

    def named(self, url: str) -> str:
        """``url`` as the site names it (on its own origin): the dataset's URL."""
        return normalize_url(rebase(url, self.site_origin)) if self.on_site(url) else url


def _bare(host: str) -> str:
    return host.removeprefix("www.")


def site_hosts(url: str, canonical: str | None) -> SiteHosts:
    """The hosts of a page fetched from ``url`` whose canonical link is ``canonical``."""
    return SiteHosts(origin_of(url), origin_of(canonical) if canonical else origin_of(url))


def path_segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.lower().split("/") if s]


def is_file(url: str) -> bool:
    return bool(FILE_EXTENSION.search(urlsplit(url).path))


def is_publication_path(url: str) -> bool:
    """Whether ``url``'s path may be a publication's page (not a person, a taxonomy, a feed,
    a file, a form, the home page or a language's home page)."""
    if is_file(url):
        return False
    segments = path_segments(url)
    if segments and LANGUAGE_SEGMENT.match(segments[0]):
        segments = segments[1:]
    if not segments:
        return bool(SHORTLINK.search(urlsplit(url).query))
    if any(s in NOT_PUBLICATION_SEGMENTS for s in segments):
        return False
    if pager_position(url)[1] > 0:
        return False
    query = dict(parse_qsl(urlsplit(url).query))
    return not any(name in query for name in PAGE_PARAMS)


def is_dated_path(url: str) -> bool:
    return bool(DATED_PATH.search(urlsplit(url).path))


def is_tab_param(name: str) -> bool:
    """Whether a query parameter picks a tab of a listing page (Drupal's quicktabs
    ``qt-<name>``, ``tab``)."""
    return name.lower().startswith(TAB_PARAM_PREFIXES) or name.lower() in TAB_PARAMS


def pager_position(url: str) -> tuple[str, int]:
    """The listing ``url`` pages through (normalized, without its page number and tab) and
    its page's depth: 0 for a first page, 1 for the second..."""
    parts = urlsplit(url)
    path, depth = parts.path, 0
    match = PAGED_PATH.match(path)
    if match:
        path, depth = match["base"] or "/", max(int(match["page"]) - 1, 0)
    query = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        lowered = name.lower()
        if lowered in ZERO_BASED_PAGE_PARAMS and DRUPAL_PAGE_VECTOR.match(value):
            depth = max(depth, *(int(v) for v in value.split(",")))
        elif lowered in ONE_BASED_PAGE_PARAMS and value.isdigit():
            depth = max(depth, int(value) - 1)
        elif not is_tab_param(name):
            query.append((name, value))
    base = urlunsplit((parts.scheme, parts.netloc, path, urlencode(sorted(query)), ""))
    return normalize_url(base), depth


def tab_of(url: str) -> tuple[tuple[str, str], ...]:
    """The tab parameters of ``url`` (empty: its listing's default tab)."""
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    return tuple(sorted((name, value) for name, value in query if is_tab_param(name)))


def listing_block(url: str) -> str:
    """The block a listing page's teasers belong to: its listing (path and query, without
    page number or host) and its tab. Each pager, tab and language version of a program is
    one block, so a publication two of them show is read in full on each: which of its
    sightings is a bare repeat must not depend on the order the pages arrive in (a nightly
    run that walks fewer pages meets them in another order than a full walk)."""
    base, _ = pager_position(url)
    parts = urlsplit(base)
    tab = urlencode(tab_of(url))
    return parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{tab}" if tab else "")


def listing_request_url(url: str) -> str:
    """The request URL of a listing page: normalized, a first page without its page
    number (Drupal's page vector keeps its commas: ``?page=0,1``)."""
    _, depth = pager_position(url)
    parts = urlsplit(url)
    path, query = parts.path, parse_qsl(parts.query, keep_blank_values=True)
    if depth == 0:
        match = PAGED_PATH.match(path)
        path = (match["base"] or "/") if match else path
        query = [(n, v) for n, v in query if n.lower() not in PAGE_PARAMS]
    plain = urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
    return normalize_url(plain).replace("%2C", ",")
