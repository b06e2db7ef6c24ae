"""Shared helpers of the dataset store tests (rows shaped like the sample site's).

Also run as a subprocess by the crash and lock tests::

    python tests/_dataset_helpers.py hold OUTPUT       # take the lock, print "locked", wait
    python tests/_dataset_helpers.py commit OUTPUT N   # commit N generated publications
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # until the project is installed (pip install -e .)
    sys.path.insert(0, str(REPO))

SITE = "https://www.migrationpolicy.org"
PROGRAM = f"{SITE}/programs/regional-migration"
PROGRAM_TITLE = "Building a Regional Migration System"
REPORT_EN = (
    f"{SITE}/research/"
    "laying-foundation-regional-cooperation-migration-policy-institutional-capacity"
)
REPORT_ES = (
    f"{SITE}/research/"
    "sentando-bases-cooperacion-regional-politica-migratoria-capacidad-institucional"
)
AUTHORS = ["Andrew Selee", "Ariel G. Ruiz Soto", "Andrea Tanco", "Luis Argueta", "Jessica Bolter"]


def pub_id(url: str) -> str:
    """The publication id of a canonical URL (``regmig_scraper.normalize.urls.publication_id``)."""
    from regmig_scraper.normalize.urls import publication_id

    return publication_id(url)


def make_row(url: str, /, **overrides: Any) -> dict[str, Any]:
    """A complete publication row as a run hands it to ``DatasetStore.commit``."""
    row: dict[str, Any] = {
        "id": pub_id(url),
        "url": url,
        "title": f"Publication at {url.rsplit('/', 1)[-1]}",
        "content_type": "report",
        "content_type_label": "Reports",
        "language": "en",
        "language_confidence": 0.99,
        "published": dt.date(2021, 4, 1),
        "date_precision": "month",
        "date_raw": "April 2021",
        "date_flag": None,
        "posted": None,
        "modified": None,
        "authors": list(AUTHORS),
        "authors_raw": None,
        "summary": "The countries in the region face an opportunity to strengthen cooperation.",
        "body_text": "Migration profoundly shapes the U.S. relationship with Mexico.",
        "pdf_urls": [f"{SITE}/sites/default/files/publications/report.pdf"],
        "program": PROGRAM_TITLE,
        "site": None,
        "listing_urls": [PROGRAM],
        "alternate_urls": [],
        "translation_urls": [],
        "page_fetched": True,
        "provenance": None,
    }
    row.update(overrides)
    return row


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def generated_rows(n: int, *, text_chars: int = 2_000) -> list[dict[str, Any]]:
    """``n`` distinct publications with texts of about ``text_chars`` characters."""
    words = ["regional", "migration", "cooperation", "asylum", "labor", "border", "policy"]
    rows = []
    for i in range(n):
        body = " ".join(
            words[(i + j) % len(words)] + str(i * 7 + j) for j in range(text_chars // 12)
        )
        rows.append(make_row(f"{SITE}/research/generated-{i}", body_text=body))
    return rows


def _main(argv: list[str]) -> int:
    from regmig_scraper.dataset import DatasetStore, RunInfo

    command, root = argv[0], Path(argv[1])
    store = DatasetStore(root)
    if command == "hold":
        with store.lock():
            print("locked", flush=True)
            sys.stdin.read()  # until the test closes our stdin
        return 0
    if command == "commit":
        from regmig_scraper.dataset import store as store_module

        store_module.MAX_BATCH_ROWS = 1_000  # many row groups: a long window to be killed in
        rows = generated_rows(int(argv[2]))
        print("committing", flush=True)
        store.commit(rows, RunInfo("killed-run", utc(2024, 3, 1), None, PROGRAM))
        print("committed", flush=True)
        return 0
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
