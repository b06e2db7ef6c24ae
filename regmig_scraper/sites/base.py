"""The one small interface a site module implements, and how a site is chosen for a URL.

A site module turns responses into records and says which listing pages to visit next and
what they are (pager or tab, how deep); it never normalizes (that is the pipelines' job) and
never schedules requests (that is the spider's). Each site class declares the hosts it
handles (``hosts``); the spider loads the classes named in ``REGMIG_SITES`` and picks one per
start URL with ``choose_site``, so a second site is a new module registered there, not a new
spider. Nothing here loads classes or reads settings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from scrapy.http import TextResponse

    from regmig_scraper.items import Record
    from regmig_scraper.normalize.site_rules import SiteRules

PAGER: Literal["pager"] = "pager"
TAB: Literal["tab"] = "tab"

# Request meta keys the spider and the site modules share.
# The URL of the teaser that led to a publication's page, on the site's own host (a mirror's
# links are moved back): the page's canonical link is read against it.
META_TEASER_URL = "regmig_teaser_url"
# Set by a site module on a publication's response when it ignored the page's canonical link
# (its value says why, e.g. "offsite"); the spider counts it.
META_CANONICAL_IGNORED = "regmig_canonical_ignored"


@dataclass(frozen=True, slots=True)
class ListingLink:
    """A listing page another listing page links to, as the site reads it.

    ``kind`` says what the link is (a pager's next/previous page, or a tab of the program
    page); ``depth`` is its page number in its pager (0 for a first page or a tab), which
    the spider compares with ``REGMIG_MAX_PAGER_PAGE``. ``block`` names the block whose
    pager the link moves, as the teasers name theirs (``record["block"]``): an incremental
    run follows it only when that block showed something new on the page (None: the site
    cannot tell, so every teaser of the page counts).
    """

    url: str
    kind: Literal["pager", "tab"] = PAGER
    depth: int = 0
    block: str | None = None


@dataclass
class ListingPage:
    """What one listing page holds: teaser records and the listing pages to visit next.

    ``links`` holds only the links that belong to the program being crawled (the site
    decides which do). ``is_continuation`` says the page is past the first page of its
    pager: if it shows nothing new, the spider takes its pager as run out.
    """

    program: str | None
    teasers: list[Record] = field(default_factory=list)
    links: list[ListingLink] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> teaser rows skipped
    is_continuation: bool = False

    @property
    def listing_urls(self) -> list[str]:
        """The URLs of ``links``, in order."""
        return [link.url for link in self.links]


class SiteExtractor(Protocol):
    """Extraction for one site's markup."""

    name: str
    # Hosts this site handles, each with its subdomains, ``www.`` or not.
    hosts: tuple[str, ...]
    # What its pages add to the shared normalizers: its name, chrome, type labels, languages
    # (optional: a site without it is normalized by the shared rules alone).
    rules: SiteRules

    def listing_url(self, url: str) -> str:
        """The normalized request URL of a listing page (so equal pages are one request)."""
        ...

    def extract_listing(
        self, response: TextResponse, seen: Callable[[str, str | None], bool] | None = None
    ) -> ListingPage:
        """Teasers of every block on a listing page and the pager/tab pages it links to.

        ``seen(url, block)`` says whether the same block already showed that publication
        (Drupal renders the first page of every block on every pager page): such a row is
        returned as a bare sighting (``repeat=True``), its fields left unread.
        """
        ...

    def extract_publication(self, response: TextResponse) -> Record:
        """The raw record of a publication's own page (``page_kind`` says what it is)."""
        ...

    def is_publication_kind(self, page_kind: str | None) -> bool:
        """Whether a page of this kind is a publication (people and topic pages are not)."""
        ...


def _bare_host(host: str) -> str:
    """``host`` lower-cased, without port, trailing dot or ``www.``."""
    host = host.lower().rpartition("@")[2]
    if not host.startswith("["):
        host = host.partition(":")[0]
    return host.rstrip(".").removeprefix("www.")


def claimed_by(host: str, hosts: Iterable[str]) -> str | None:
    """The entry of ``hosts`` that claims ``host`` (itself or a subdomain), longest first."""
    bare = _bare_host(host)
    claims = [h for h in map(_bare_host, hosts) if bare == h or bare.endswith(f".{h}")]
    return max(claims, key=len, default=None)


def choose_site(host: str, sites: Mapping[str, type[SiteExtractor]]) -> str | None:
    """The name of the site whose ``hosts`` claim ``host`` (the most specific claim wins);
    None when no site does."""
    best: tuple[int, str] | None = None
    for name, site in sites.items():
        claim = claimed_by(host, getattr(site, "hosts", ()))
        if claim is not None and (best is None or len(claim) > best[0]):
            best = (len(claim), name)
    return best[1] if best is not None else None


def unknown_site(name: str, sites: Iterable[str]) -> ValueError:
    """The error for a site name no registry entry has."""
    return ValueError(f"unknown site {name!r}: known sites are {', '.join(sorted(sites))}")
