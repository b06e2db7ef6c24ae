"""Extraction for the Migration Policy Institute site (Drupal 7).

Reads the structure Drupal renders, not one page's quirks:

- Listing pages: every Views row (``.views-row``) of every block in the main content
  (featured blocks, quicktabs tabs), its fields (``views-field-*``) and the block it sits in;
  pagers (``ul.pager``, including the multi-pager form ``page=0,0,2``) and quicktabs tabs
  give the next listing pages. Sidebars, menus and footers are not read.
- Publication pages: the canonical link, the node (``.node-<type>``) and its fields, meta
  tags (``og:*``, hreflang alternates) and the translation link.

Raw text only: cleaning, parsing dates, splitting authors and mapping labels happen in the
pipelines. Image ``alt`` text is never read: on this site it is usually a file name.

One module per kind of page: ``listing`` (program pages and their pagers and tabs),
``publication`` (a publication's own page), ``pager`` (Drupal's listing URLs and pager
vector), ``page`` (what both share).

Hostile markup never raises: a link no URL parser accepts is skipped like a missing one, a
canonical link that is not http(s) is ignored, and a displayed date is read as its first line
(an unclosed date ``<span>`` swallows the rest of the page). Listing rows that cannot be used
are counted by reason (``no_link``, ``offsite_link``, ``file_link``, ``not_publication_path``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from regmig_scraper.sites.mpi import listing, publication
from regmig_scraper.sites.mpi.pager import normalize_listing_url
from regmig_scraper.sites.mpi.rules import MPI_HOSTS, MPI_RULES

if TYPE_CHECKING:
    from scrapy.http import TextResponse

    from regmig_scraper.items import Record
    from regmig_scraper.sites.base import ListingPage


class MpiDrupalSite:
    """Extractor for migrationpolicy.org and its mirrors."""

    name = "mpi"
    hosts = MPI_HOSTS
    rules = MPI_RULES  # what its pages add to the shared normalizers

    def listing_url(self, url: str) -> str:
        return normalize_listing_url(url)

    def extract_listing(
        self, response: TextResponse, seen: Callable[[str, str | None], bool] | None = None
    ) -> ListingPage:
        return listing.extract_listing(response, seen)

    def extract_publication(self, response: TextResponse) -> Record:
        return publication.extract_publication(response)

    def is_publication_kind(self, page_kind: str | None) -> bool:
        return publication.is_publication_kind(page_kind)
