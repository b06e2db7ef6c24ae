"""A generic publication-page metadata extractor: no site module, no Scrapy.

``extract_metadata(html, url) -> PageMetadata`` reads a page's title, publication and
modification dates, authors, language hints, description, canonical URL, PDF links and type
hints through one cascade (``cascade.py``) from the most reliable source to the least: JSON-LD,
citation / Dublin Core / OpenGraph meta tags, the markup around the ``<h1>``, then the URL.
Each module reads one kind of source: ``jsonld.py``, ``meta_tags.py``, ``markup.py`` (headline,
``<time>``, bylines and date lines), ``dates.py`` (date candidates), ``bylines.py`` (names).
"""

from __future__ import annotations

from regmig_scraper.metadata.cascade import extract_metadata
from regmig_scraper.metadata.dates import DateValue
from regmig_scraper.metadata.model import PageMetadata

__all__ = ["DateValue", "PageMetadata", "extract_metadata"]
