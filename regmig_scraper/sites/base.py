"""The one small interface a site module implements, and how a spider finds it.

A site module turns responses into records and says which listing pages to visit next;
it never normalizes (that is the pipelines' job) and never schedules requests (that is the
spider's). A second site is a new module registered in ``SITES``, not a new spider.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from scrapy.http import TextResponse

    from regmig_scraper.items import Record


@dataclass
class ListingPage:
    """What one listing page holds: teaser records and the listing pages it links to."""

    program: str | None
    teasers: list[Record] = field(default_factory=list)
    listing_urls: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> teaser rows skipped


class SiteExtractor(Protocol):
    """Extraction for one site's markup."""

    name: str

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


def get_site(name: str) -> SiteExtractor:
    """The extractor registered under ``name`` (``REGMIG_SITE`` setting, default "mpi")."""
    from regmig_scraper.sites import mpi

    sites: dict[str, type] = {"mpi": mpi.MpiDrupalSite}
    try:
        return sites[name]()
    except KeyError:
        raise ValueError(
            f"unknown site {name!r}: known sites are {', '.join(sorted(sites))}"
        ) from None
