"""The result of the generic extractor: ``PageMetadata``, one value per field and its provenance.

Each field holds the best value the cascade found (``regmig_scraper.metadata.cascade``) or
None / an empty list, and ``provenance[field]`` names the rule that produced it ("jsonld",
"citation_publication_date", "meta_author", "byline_element", "url", ...). Dates keep their raw
text and precision beside the parsed value (``DateValue``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from regmig_scraper.metadata.dates import DateValue


@dataclass(slots=True)
class PageMetadata:
    """Metadata of one publication page (see the module docstring)."""

    url: str
    title: str | None = None
    published: DateValue | None = None
    modified: DateValue | None = None
    authors_raw: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None  # ISO 639-1 primary subtag of the best hint, lower case
    language_hints: dict[str, str] = field(default_factory=dict)  # source -> raw value
    description: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    pdf_urls: list[str] = field(default_factory=list)
    page_types: list[str] = field(default_factory=list)  # "jsonld:newsarticle", "og:article"
    breadcrumbs: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ``{"value", "precision", "raw", "source"}``)."""
        return {
            "url": self.url,
            "title": self.title,
            "published": self.published.as_dict() if self.published else None,
            "modified": self.modified.as_dict() if self.modified else None,
            "authors_raw": self.authors_raw,
            "authors": list(self.authors),
            "language": self.language,
            "language_hints": dict(self.language_hints),
            "description": self.description,
            "canonical_url": self.canonical_url,
            "site_name": self.site_name,
            "pdf_urls": list(self.pdf_urls),
            "page_types": list(self.page_types),
            "breadcrumbs": list(self.breadcrumbs),
            "provenance": dict(self.provenance),
        }
