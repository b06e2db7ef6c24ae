"""What a site adds to the shared normalizers: its own name, chrome, type labels, languages.

A site module owns these (``SiteExtractor.rules``); the normalizers are shared. The pipelines
read a record's ``site`` and normalize it with the shared rules plus that site's, so a new site
is a new module, never an edit to ``normalize``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SiteRules:
    """A site's additions to the normalizers; every field may stay empty."""

    # Names the site goes by, appended to its <title>s ("Andrew Selee | migrationpolicy.org")
    # and never a title or an author by themselves.
    names: tuple[str, ...] = ()
    # Its own menu items and block headings ("About MPI"), beyond the shared SITE_CHROME.
    chrome: tuple[str, ...] = ()
    # Type labels the shared vocabulary does not know: label -> type code.
    content_types: Mapping[str, str] = field(default_factory=dict)
    # Languages it publishes in; empty: REGMIG_LANGUAGE_LANGUAGES / REGMIG_DATES_LANGUAGES.
    languages: tuple[str, ...] = ()
    # Order of its numeric dates ("MDY", "DMY"); empty: REGMIG_DATES_ORDER.
    date_order: str = ""


NO_RULES = SiteRules()
