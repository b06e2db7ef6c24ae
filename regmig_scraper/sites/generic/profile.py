"""Site profiles: a small TOML file that helps the generic reader on a hard site.

``--profile FILE`` (``REGMIG_PROFILE``) names it; every key is optional::

    # profile for www.example-think-tank.org
    listing_selector = "main .results > .card"   # where the listing's teasers are
    paths = ["/research/", "/commentary/"]       # publications live only under these
    date_order = "DMY"                           # numeric dates are day/month/year
    languages = ["en", "es"]                     # languages the site publishes in

    [content_types]                              # the site's own type labels
    "Explainer" = "article"
    "Working Brief" = "policy_brief"

Without a profile the site is read by structure alone (``SiteProfile()``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from regmig_scraper.normalize.content_types import CONTENT_TYPES

PROFILE_KEYS = frozenset({"listing_selector", "paths", "date_order", "languages", "content_types"})
DATE_ORDERS = ("MDY", "DMY", "YMD")


@dataclass(frozen=True)
class SiteProfile:
    """What a profile file says (see the module docstring)."""

    listing_selector: str = ""
    paths: tuple[str, ...] = ()
    date_order: str = ""
    languages: tuple[str, ...] = ()
    content_types: Mapping[str, str] = field(default_factory=dict)

    def allows(self, url: str) -> bool:
        """Whether ``url``'s path is under one of the profile's publication paths."""
        path = urlsplit(url).path
        return any(path.startswith(prefix) for prefix in self.paths)


NO_PROFILE = SiteProfile()


def parse_profile(data: Mapping[str, object]) -> SiteProfile:
    """A profile from parsed TOML; ValueError says what is wrong in one line."""
    unknown = set(data) - PROFILE_KEYS
    if unknown:
        raise ValueError(
            f"unknown profile keys {sorted(unknown)}: known are {sorted(PROFILE_KEYS)}"
        )
    selector = data.get("listing_selector", "")
    paths = data.get("paths", [])
    order = str(data.get("date_order", "")).upper()
    languages = data.get("languages", [])
    types = data.get("content_types", {})
    if not isinstance(selector, str):
        raise ValueError("listing_selector must be a string")
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ValueError("paths must be a list of strings")
    if order and order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {', '.join(DATE_ORDERS)}")
    if not isinstance(languages, list) or not all(isinstance(v, str) for v in languages):
        raise ValueError("languages must be a list of strings")
    if not isinstance(types, dict) or any(v not in CONTENT_TYPES for v in types.values()):
        raise ValueError(f"content_types values must be among {', '.join(CONTENT_TYPES)}")
    return SiteProfile(
        listing_selector=selector,
        paths=tuple(paths),
        date_order=order,
        languages=tuple(languages),
        content_types=dict(types),
    )


def load_profile(path: str | Path | None) -> SiteProfile:
    """The profile in the TOML file at ``path`` (no path: ``NO_PROFILE``)."""
    if not path:
        return NO_PROFILE
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"cannot read profile {path}: {error}") from error
    return parse_profile(data)
