"""Test helpers: saved pages as Scrapy responses and where the bundled fixtures live."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request

from regmig_scraper.snapshot import snapshot_relpath

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOT = FIXTURES / "snapshot"
SITE_ROOT = SNAPSHOT / "www.migrationpolicy.org"
BASE = "https://www.migrationpolicy.org"

# A hang guard, not a speed measurement (speed is measured by benchmarks/, never by a test):
# unbounded work on the adversarial inputs that use it (catastrophic regex backtracking, a
# quadratic loop over 100,000 characters) takes minutes, a bounded call milliseconds, so no
# machine is slow enough to trip it by accident.
HANG_GUARD_SECONDS = 30.0


@contextmanager
def finishes() -> Iterator[None]:
    """Fail when the block runs longer than ``HANG_GUARD_SECONDS``."""
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < HANG_GUARD_SECONDS, f"took {elapsed:.1f} s: unbounded work?"


def saved_response(url: str, *, request_url: str | None = None, meta: dict | None = None):
    """The saved page of ``url`` in the bundled snapshot, as Scrapy would hand it over."""
    path = SNAPSHOT / snapshot_relpath(request_url or url)
    request = Request(request_url or url, meta=meta or {})
    return HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8", request=request)


REPO = Path(__file__).resolve().parent.parent


def run_regmig(*args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """``regmig ARGS`` in a subprocess from the repository root, as a scheduler runs it.

    Twisted's reactor cannot be restarted inside one test process, so every crawl is a
    process of its own.
    """
    return subprocess.run(
        [sys.executable, "-m", "regmig_scraper.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def project_defaults() -> dict[str, Any]:
    """Every ``REGMIG_*`` default of ``regmig_scraper.settings``, where they are all defined.

    Components read them with Scrapy's typed getters and no fallback of their own, so a test
    crawler needs them as a real crawl has them (from the project's settings module).
    """
    from regmig_scraper import settings as project

    return {name: value for name, value in vars(project).items() if name.startswith("REGMIG_")}


def get_crawler(spidercls: Any = None, settings_dict: dict[str, Any] | None = None, **kwargs: Any):
    """``scrapy.utils.test.get_crawler`` with the project's ``REGMIG_*`` defaults beneath
    ``settings_dict``."""
    from scrapy.utils.test import get_crawler as scrapy_get_crawler

    merged = {**project_defaults(), **(settings_dict or {})}
    return scrapy_get_crawler(spidercls, settings_dict=merged, **kwargs)


def normalization_pipelines(**settings: Any) -> list[Any]:
    """The crawl's normalization pipelines (``ITEM_PIPELINES`` but the dataset's), in order."""
    from scrapy.utils.misc import load_object

    from regmig_scraper import settings as project

    crawler = get_crawler(settings_dict=settings)
    ordered = sorted(project.ITEM_PIPELINES.items(), key=lambda entry: entry[1])
    return [
        load_object(path).from_crawler(crawler)
        for path, _ in ordered
        if not path.endswith(".DatasetPipeline")
    ]


# Columns that say when and in which run a row was seen, or on which pages (a run that walks
# fewer pages names fewer of them): everything else of a nightly run must equal a full crawl's.
RUN_COLUMNS = ("first_seen_at", "last_seen_at", "crawl_id", "listing_urls")


def content_rows(output: Path) -> Any:
    """The dataset's rows by URL without the RUN_COLUMNS (a pandas DataFrame)."""
    import pandas as pd

    frame = pd.read_parquet(output / "publications").set_index("url").sort_index()
    return frame[[c for c in frame.columns if c not in RUN_COLUMNS]]
