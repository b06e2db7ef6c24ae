"""``extract(html, url)``: the row the crawl would write for one page, for people who already
have the HTML (notebooks, other crawlers, WARC files).

The page goes through what a crawl does to it, minus the crawling: the site module its host
belongs to (``REGMIG_SITES`` over ``REGMIG_SITES_BASE``; a host no module claims is read by the
generic cascade, ``regmig_scraper.metadata``, through ``metadata.record.metadata_record``), then
the same normalization pipelines in the same order (``ITEM_PIPELINES``: text, content types,
dates, authors, language), then the same merge (``dataset.merge.merge_sightings``) and content
hash. The result has the columns of ``publications/`` (``dataset.schema``), except the ones
only a run gives: ``first_seen_at``, ``last_seen_at`` and ``crawl_id``; and what listings add
(``program``, ``listing_urls``, a teaser's type label) is empty.

Settings: the project's (``regmig_scraper.settings``), with ``settings`` given here on top (e.g.
``{"REGMIG_DATES_TODAY": "2024-05-01"}`` for reproducible plausibility checks).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.utils.misc import load_object

from regmig_scraper.dataset.merge import merge_sightings
from regmig_scraper.dataset.schema import CONTENT_FIELDS, content_hash
from regmig_scraper.metadata import extract_metadata
from regmig_scraper.metadata.record import metadata_record
from regmig_scraper.normalize.urls import host_of
from regmig_scraper.sites.base import choose_site, unknown_site
from regmig_scraper.sites.registry import load_sites

logger = logging.getLogger(__name__)

# The name that forces the generic cascade, whatever the host.
GENERIC = "generic"
# Pipelines that only normalize one record (the dataset and counting ones are left out).
NORMALIZERS = (
    "pipelines.text.TextPipeline",
    "pipelines.content_types.ContentTypePipeline",
    "pipelines.dates.DatePipeline",
    "pipelines.authors.AuthorsPipeline",
    "pipelines.language.LanguagePipeline",
)


class _Stats:
    """The stats methods the pipelines call: counts kept, never read here."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = None) -> None:
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key: str, value: Any, spider: Any = None) -> None:
        self.values[key] = value

    def get_value(self, key: str, default: Any = None, spider: Any = None) -> Any:
        return self.values.get(key, default)


class _Crawler:
    """What a pipeline's ``from_crawler`` reads: settings and stats."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.stats = _Stats()


def _settings(overrides: Mapping[str, Any] | None) -> Settings:
    settings = Settings()
    settings.setmodule("regmig_scraper.settings", priority="project")
    settings.update(dict(overrides or {}), priority="cmdline")
    return settings


def _normalizers(settings: Settings) -> list[Any]:
    from scrapy.exceptions import NotConfigured

    crawler = _Crawler(settings)
    enabled = settings.getdict("ITEM_PIPELINES")
    pipelines = []
    for path in sorted(NORMALIZERS, key=lambda p: enabled.get(p, 0)):
        if path not in enabled or enabled[path] is None:
            continue
        try:
            pipelines.append(load_object(path).from_crawler(crawler))
        except NotConfigured:  # switched off by its REGMIG_<STAGE>_ENABLED
            continue
    return pipelines


def extract(
    html: str | bytes,
    url: str,
    *,
    site: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The normalized row the crawl would write for the page ``html`` found at ``url``.

    ``site``: a registered site module's name (``"mpi"``) to read the page with, or
    ``"generic"`` for the cascade alone; None chooses by the URL's host, and a host no module
    claims is read by the cascade. Returns None when the site module says the page is not a
    publication (a person's page, a topic page). Raises ``ValueError`` on an unknown ``site``.
    """
    config = _settings(settings)
    sites = load_sites(config)
    name = site if site is not None else choose_site(host_of(url), sites)
    if name is not None and name != GENERIC and name not in sites:
        raise unknown_site(name, [*sites, GENERIC])
    if name is None or name == GENERIC:
        record = metadata_record(extract_metadata(html, url), request_url=url)
        record["site"] = None

        def is_publication(record: Mapping[str, Any]) -> bool:
            return True
    else:
        reader = sites[name]()
        body = html.encode("utf-8") if isinstance(html, str) else html
        response = HtmlResponse(url=url, body=body, request=Request(url))
        record = dict(reader.extract_publication(response))
        record["site"] = reader.name

        def is_publication(record: Mapping[str, Any]) -> bool:
            return reader.is_publication_kind(record.get("page_kind"))

    if record.get("page_kind") is None:
        return None
    for pipeline in _normalizers(config):
        record = pipeline.process_item(record)
    row = merge_sightings([record], is_publication=is_publication)
    if row is None:
        return None
    row["content_hash"] = content_hash({name: row.get(name) for name in CONTENT_FIELDS})
    return row
