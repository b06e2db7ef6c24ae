"""The tiny WordPress-style site (``tinysite.TinySite``) served on a loopback address of its
own, 127.0.0.2, so that a crawl over the network reads it with its own module while the MPI
mirror on 127.0.0.1 falls back to ``mpi`` (tests/test_distributed.py, benchmarks/)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.sites.tinysite import TinySite

HOST = "127.0.0.2"
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
