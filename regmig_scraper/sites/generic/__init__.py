"""Extraction for any site no site module claims: listings, pagers and publications found by
their structure, not by one theme's selectors.

- ``listing``: the blocks of repeated teasers on a program, topic or publications page, its
  pager in every form and its other-language versions;
- ``publication``: a publication's page read by the generic metadata extractor
  (``regmig_scraper.metadata``) into a raw record;
- ``links``: which links are on the site (a mirror's links to the real host included), which
  are publications, which are pager pages;
- ``profile``: an optional TOML site profile (``REGMIG_PROFILE``, ``--profile``) for sites
  where discovery needs help.

A copy of a site served elsewhere is read as the site: the host its canonical links name is
remembered from the first page that names it, links to that host are moved onto the crawl's
host, and rows are named on the real host.

Settings: ``REGMIG_PROFILE``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from regmig_scraper.normalize.content_types import make_mapper
from regmig_scraper.normalize.site_rules import SiteRules
from regmig_scraper.sites.generic import listing, publication
from regmig_scraper.sites.generic.profile import NO_PROFILE, SiteProfile, load_profile
from regmig_scraper.sites.markup import link_href, meta_content, origin_of

if TYPE_CHECKING:
    from scrapy.http import TextResponse

    from regmig_scraper.items import Record
    from regmig_scraper.sites.base import ListingPage

# What every site read generically adds to the shared normalizers: nothing of its own.
GENERIC_RULES = SiteRules()


def rules_of(profile: SiteProfile) -> SiteRules:
    """A profile's additions to the normalizers (type labels, date order, languages)."""
    return SiteRules(
        content_types=dict(profile.content_types),
        languages=profile.languages,
        date_order=profile.date_order,
    )


class GenericSite:
    """Extractor for any think-tank site, read by structure (see the module docstring)."""

    name = "generic"
    hosts: tuple[str, ...] = ()  # claims no host: the fallback for hosts no site claims
    rules = GENERIC_RULES

    def __init__(self, profile: SiteProfile = NO_PROFILE) -> None:
        self.profile = profile
        self.rules = rules_of(profile)
        self._mapper = make_mapper(profile.content_types)
        # crawl origin -> the origin its pages' canonical links name (a mirror's real host)
        self._real_origins: dict[str, str] = {}

    @classmethod
    def from_settings(cls, settings: Any) -> GenericSite:
        return cls(load_profile(settings.get("REGMIG_PROFILE")))

    @classmethod
    def rules_for(cls, settings: Any) -> SiteRules:
        return rules_of(load_profile(settings.get("REGMIG_PROFILE")))

    def _real_origin(self, response: TextResponse) -> str | None:
        """The origin the site names itself by, remembered per crawl origin."""
        crawl = origin_of(response.url)
        canonical = link_href(response.selector, "canonical") or meta_content(
            response.selector, "og:url"
        )
        if canonical and canonical.startswith(("http://", "https://")):
            self._real_origins.setdefault(crawl, origin_of(canonical))
        return self._real_origins.get(crawl)

    def listing_url(self, url: str) -> str:
        return listing.listing_url(url)

    def extract_listing(
        self, response: TextResponse, seen: Callable[[str, str | None], bool] | None = None
    ) -> ListingPage:
        return listing.extract_listing(
            response,
            seen,
            profile=self.profile,
            mapper=self._mapper,
            real_origin=self._real_origin(response),
        )

    def extract_publication(self, response: TextResponse) -> Record:
        return publication.extract_publication(
            response, mapper=self._mapper, real_origin=self._real_origin(response)
        )

    def is_publication_kind(self, page_kind: str | None) -> bool:
        return page_kind not in (None, "page", "collection")
