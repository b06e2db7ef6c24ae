"""The record declared as a Scrapy item, for tools that expect one (feed exports, scrapyd).

The record itself is a plain dict described in ``regmig_scraper.record`` (no Scrapy there, so
the normalizers and the dataset layer can use it); this class declares the same fields.
"""

from __future__ import annotations

import scrapy

from regmig_scraper.record import (
    RECORD_FIELDS,
    SOURCE_LISTING,
    SOURCE_PAGE,
    Record,
    new_record,
)

__all__ = [
    "RECORD_FIELDS",
    "SOURCE_LISTING",
    "SOURCE_PAGE",
    "PublicationRecord",
    "Record",
    "new_record",
]

PublicationRecord = type(
    "PublicationRecord",
    (scrapy.Item,),
    {name: scrapy.Field() for name in sorted(RECORD_FIELDS)},
)
