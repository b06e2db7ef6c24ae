"""The registered site classes, loaded from the settings: what the spider chooses from and
the pipelines read each site's normalization rules from.

``REGMIG_SITES`` (a project's additions; an entry set to None removes a built-in site) merged
over ``REGMIG_SITES_BASE``, each an import path, as Scrapy merges ``FEED_STORAGES`` over its
``_BASE``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.utils.misc import load_object

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

    from regmig_scraper.sites.base import SiteExtractor


def load_sites(settings: BaseSettings) -> dict[str, type[SiteExtractor]]:
    """The site classes of ``REGMIG_SITES`` merged over ``REGMIG_SITES_BASE``, by name."""
    paths = {**settings.getdict("REGMIG_SITES_BASE"), **settings.getdict("REGMIG_SITES")}
    return {name: load_object(path) for name, path in sorted(paths.items()) if path is not None}
