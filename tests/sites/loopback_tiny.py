"""The tiny WordPress-style site (``tinysite.TinySite``) as a site module for a copy served on
loopback: ``tests/test_distributed.py`` serves it with ``Crawl-delay: 1`` and forces this module
(``REGMIG_SITE``) to show that two workers keep one host's delay together."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.sites.tinysite import TinySite

HOST = "127.0.0.3"
REAL = "https://tiny.example.org"


class LoopbackTinySite(TinySite):
    hosts = (HOST,)


def loopback_copy(source: Path, target: Path, base_url: str) -> Path:
    """``source`` (a tiny.example.org mirror) copied to ``target`` with its absolute links
    pointing at ``base_url`` (where it will be served)."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    for page in target.rglob("*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace(REAL, base_url), "utf-8")
    return target
