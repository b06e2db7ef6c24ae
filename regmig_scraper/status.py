"""Exit status policy: what a scheduler sees when a run ends.

====  =====================================================================================
code  meaning
====  =====================================================================================
0     success: publications written; some pages may have failed (counted in ``runs/`` and
      the summary) unless ``REGMIG_STRICT`` is on
1     failure: no listing page could be fetched, no publication was produced, the crawl was
      stopped before it finished, a key column's fill rate fell below
      ``REGMIG_MIN_FILL_RATES`` (nothing is written then), or the dataset could not be
      written
2     usage error (bad arguments or settings)
3     partial failure with ``REGMIG_STRICT``: publications written, but pages failed, the
      spider raised errors, or the run reached ``REGMIG_MAX_LISTING_PAGES`` (links not
      followed)
4     the output directory is locked by another run
====  =====================================================================================

What counts as a failed page: a listing or publication page that could not be used in the
end (``regmig/listing/failed/<reason>``, ``regmig/pages/failed/<reason>``: HTTP errors after
retries, timeouts, resets, size limits, robots.txt, redirect loops, offsite redirects, pages
that are not HTML or not a publication, links over ``URLLENGTH_LIMIT``), documents read but cut
short (``regmig/pages/truncated``, ``regmig/listing/truncated``), and errors raised by the
spider (``spider_exceptions/*``). A request that failed once and succeeded on retry is not a
failure: it is only counted (``retry/count``, ``downloader/exception_type_count/*``) and
reported among the errors.

The status is decided once, by ``decide_exit``, when the run ends (the dataset layer,
``regmig_scraper.dataset.run``): it is written into the ``runs/`` row and recorded in the
crawl's stats (``EXIT_STATUS_STAT``, ``EXIT_REASON_STAT``), where ``regmig crawl`` reads it
(``recorded_exit``) to exit with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_LOCKED = 4

# Where the decided status and its one-line reason are recorded in the crawl's stats.
EXIT_STATUS_STAT = "regmig/exit/status"
EXIT_REASON_STAT = "regmig/exit/reason"
# A resumable run stopped before it finished: nothing committed, its state kept for --resume.
INTERRUPTED_REASON = "interrupted: run again with --resume to continue"
# What a run that recorded no status exits with (it ended before the dataset step decided).
NO_OUTCOME_REASON = "the run ended before its outcome was decided (see the log)"

# Listing links the run did not follow because it reached REGMIG_MAX_LISTING_PAGES: unlike a
# capped pager (usually a "last" link into nowhere), this cuts a real crawl short.
LIMIT_REACHED = "regmig/listing/limit_reached"

# Stats prefixes that count pages or records we could not use, and why.
DROP_PREFIXES = (
    "regmig/listing/skipped/",
    "regmig/listing/pager_capped",  # pager links past REGMIG_MAX_PAGER_PAGE
    LIMIT_REACHED,  # listing links past REGMIG_MAX_LISTING_PAGES
    "regmig/dataset/dropped/",
    "regmig/pages/dropped/",  # requests Scrapy's duplicate filter dropped
    "regmig/listing/dropped/",
    "regmig/pages/canonical_ignored/",  # canonical links on another site
    "item_dropped_reasons_count/",
)
# Documents that stopped before their end (read, but fields or rows may be missing).
TRUNCATED_PREFIXES = ("regmig/listing/truncated", "regmig/pages/truncated")
ERROR_PREFIXES = (
    "regmig/listing/failed/",
    "regmig/pages/failed/",
    *TRUNCATED_PREFIXES,
    "spider_exceptions/",
    "downloader/exception_type_count/",
    "retry/max_reached",
)
IGNORE_REQUEST_COUNT = "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest"
# The subset that says a page (or the spider) failed for good: one count per page, whatever
# the retries before. Partial failure (and ``REGMIG_STRICT``) is decided on these alone.
FAILURE_PREFIXES = (
    "regmig/listing/failed/",
    "regmig/pages/failed/",
    *TRUNCATED_PREFIXES,
    "spider_exceptions/",
)


def _count(stats: Mapping[str, Any], prefixes: tuple[str, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, value in stats.items():
        if isinstance(value, int) and key.startswith(prefixes):
            found[key] = value
    return dict(sorted(found.items()))


def drops_and_errors(stats: Mapping[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    """Drops and errors by reason (the stats keys), for the ``runs/`` dataset."""
    errors = _count(stats, ERROR_PREFIXES)
    errors.pop("spider_exceptions/count", None)
    # Requests a Ctrl-C dropped from the downloader's queues (regmig_scraper.shutdown) reach
    # Scrapy's exception counts as IgnoreRequest: they are not errors of the site.
    dropped = int(stats.get("regmig/shutdown/dropped", 0) or 0)
    if dropped and IGNORE_REQUEST_COUNT in errors:
        errors[IGNORE_REQUEST_COUNT] -= dropped
        if errors[IGNORE_REQUEST_COUNT] <= 0:
            del errors[IGNORE_REQUEST_COUNT]
    return _count(stats, DROP_PREFIXES), errors


def failed_count(stats: Mapping[str, Any]) -> int:
    """Pages that failed for good plus spider errors (see the module docstring)."""
    failures = _count(stats, FAILURE_PREFIXES)
    failures.pop("spider_exceptions/count", None)
    return sum(failures.values())


def decide_exit(
    stats: Mapping[str, Any], *, publications: int, reason: str | None, strict: bool
) -> tuple[int, str]:
    """The exit status and a one-line reason for a finished run."""
    if not stats.get("regmig/listing/pages"):
        return EXIT_FAILED, "no listing page could be fetched"
    if stats.get("regmig/dataset/commit_failed"):
        return EXIT_FAILED, "the dataset could not be written"
    if reason not in (None, "finished"):
        # before the quality gate: a crawl cut short has low fill rates, not a changed site
        return EXIT_FAILED, stopped_reason(reason)
    failed_columns = sorted(
        key.rsplit("/", 1)[1] for key in stats if key.startswith("regmig/quality/failed/")
    )
    if failed_columns:
        return EXIT_FAILED, (
            f"fill rate of {', '.join(failed_columns)} below REGMIG_MIN_FILL_RATES: "
            "the site may have changed"
        )
    if publications == 0:
        return EXIT_FAILED, "no publication was produced"
    failed = failed_count(stats)
    not_followed = int(stats.get(LIMIT_REACHED, 0) or 0)
    if failed or not_followed:
        message = f"{publications} publications written"
        if failed:
            message += f"; {failed} pages failed (see errors)"
        if not_followed:
            message += (
                f"; {not_followed} listing links not followed: REGMIG_MAX_LISTING_PAGES "
                "reached, the crawl is incomplete"
            )
        return (EXIT_PARTIAL if strict else EXIT_OK), message
    return EXIT_OK, f"{publications} publications written"


# Scrapy's close reasons for a crawl stopped by a signal (Ctrl-C, SIGTERM) or by the engine.
INTERRUPTION_REASONS = frozenset({"shutdown", "cancelled"})


def stopped_reason(reason: str) -> str:
    """Why a run that did not finish wrote nothing, in the words a person reads last."""
    if reason in INTERRUPTION_REASONS:
        return (
            "interrupted (Ctrl-C or SIGTERM) before the crawl finished: nothing was written "
            "(run with --resume to make a crawl resumable)"
        )
    return f"the crawl stopped before it finished ({reason}): nothing was written"


def recorded_exit(stats: Mapping[str, Any]) -> tuple[int, str]:
    """The exit status and reason the run recorded in its stats (``decide_exit``'s result);
    ``EXIT_FAILED`` when it recorded none."""
    status = stats.get(EXIT_STATUS_STAT)
    if not isinstance(status, int) or isinstance(status, bool):
        return EXIT_FAILED, NO_OUTCOME_REASON
    return status, str(stats.get(EXIT_REASON_STAT) or "")
