"""One run of the dataset, from the first staged record to the commit: ``RunWriter``.

Records are staged on disk as they arrive (memory stays flat): in ``RunStaging``
(``OUTPUT/.staging-<crawl_id>.sqlite``), or, for a resumable run (a job directory given),
appended to the journal in the job directory (``regmig_scraper.dataset.journal``). When the
crawl ends, ``finish(reason, start_url)``:

1. a resumable run that did not finish commits nothing: its counters go to the job state, the
   exit is ``INTERRUPTED_REASON`` (status 1), and the next run resumes it;
2. otherwise the records are grouped per publication and merged into one row each
   (``merge_sightings``), in two passes so that the run's rows are never all in memory: the
   first links translations, counts and measures fill rates on a small projection of each row
   (``regmig_scraper.quality.quality_gate``), the second streams full rows in id order into
   ``DatasetStore.commit``;
3. the exit status is decided, once, by ``regmig_scraper.status.decide_exit``, recorded in the
   ``runs/`` row and in the stats (``regmig/exit/status``, ``regmig/exit/reason``); a run that
   fails commits nothing and the dataset is left as it was.

The output directory is locked from ``open()`` to ``close()``.

Stats (anything with Scrapy's ``StatsCollector`` methods, see ``journal.Stats``):
``regmig/dataset/publications``, ``regmig/dataset/new|changed|unchanged|not_seen``,
``regmig/dataset/dropped/not_publication``, ``regmig/dataset/page_missing``,
``regmig/dataset/translation_pairs``, ``regmig/dataset/commit_failed``,
``regmig/quality/failed/<column>``, ``regmig/resume/segments``, ``regmig/resume/interrupted``,
``regmig/resume/journal_truncated``, ``regmig/dataset/open_failed`` (the output could not be
written at the start: the exit is recorded then, nothing is staged),
``regmig/dataset/clock_skew`` (this run started before the last recorded one),
``regmig/dataset/foreign_files_moved`` (Parquet files regmig did not write, moved out of
``publications/``), ``regmig/dataset/canonical_conflicts`` (a page whose canonical names
another publication keeps its own row, see ``merge.split_canonical_conflicts``).

No settings and no Scrapy import: the caller (``pipelines.dataset.DatasetPipeline``) reads the
settings and hands over what they say.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from regmig_scraper import __version__
from regmig_scraper.dataset.journal import (
    STATE_FILE,
    JobState,
    Stats,
    carried_stats,
    restore_stats,
)
from regmig_scraper.dataset.merge import (
    TRANSLATION_COLUMNS,
    TranslationKey,
    link_translations,
    merge_sightings,
    split_canonical_conflicts,
    translation_key,
)
from regmig_scraper.dataset.schema import PUBLICATIONS_INPUT_SCHEMA, DatasetError
from regmig_scraper.dataset.staging import RunStaging
from regmig_scraper.dataset.store import DatasetLockedError, DatasetStore, RunInfo
from regmig_scraper.quality import FillCounter, quality_gate
from regmig_scraper.record import Record
from regmig_scraper.status import (
    EXIT_FAILED,
    EXIT_REASON_STAT,
    EXIT_STATUS_STAT,
    INTERRUPTED_REASON,
    decide_exit,
    drops_and_errors,
)

logger = logging.getLogger(__name__)

ORDER_FLUSH_EVERY = 4_096  # group ids written to staging at a time by the first pass


def new_crawl_id(now: dt.datetime) -> str:
    """A sortable, readable run id: ``20261128T181500Z-<pid>``."""
    return f"{now.strftime('%Y%m%dT%H%M%S')}Z-{os.getpid()}"


# What a run that could not start writing into its output directory records as its exit.
OPEN_FAILED_STAT = "regmig/dataset/open_failed"
CLOCK_SKEW_STAT = "regmig/dataset/clock_skew"
FOREIGN_FILES_STAT = "regmig/dataset/foreign_files_moved"
CANONICAL_CONFLICTS_STAT = "regmig/dataset/canonical_conflicts"


def describe_write_error(error: BaseException) -> str:
    """A write error in a reader's words: "no space left on device" for a full disk, however
    it was raised (``OSError`` ENOSPC, SQLite's "database or disk is full")."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return f"no space left on device ({error.filename or error.strerror})"
    if isinstance(error, sqlite3.Error) and "full" in str(error).lower():
        return f"no space left on device (SQLite: {error})"
    return str(error) or type(error).__name__


class OutputUnwritableError(DatasetError):
    """The run could not start writing into its output directory (disk full, read-only)."""


def staging_path(output: Path, crawl_id: str) -> Path:
    """Where a run that is not resumable stages its records (removed by the store's lock
    when a killed run left it: ``store.STAGING_GLOB``)."""
    return output / f".staging-{crawl_id}.sqlite"


# The committed run's duration (runs/: finished_at - started_at, across resumed segments).
RUN_SECONDS_STAT = "regmig/run/seconds"


class RunWriter:
    """A run's records into ``output``'s dataset: stage, then merge, gate, decide, commit."""

    def __init__(
        self,
        output: Path,
        *,
        stats: Stats,
        is_publication: Callable[[Record], bool],
        detect_language: Callable[[str | None, str | None], tuple[str, float]],
        min_fill_rates: Mapping[str, float],
        strict: bool,
        crawl_id: str = "",
        job_dir: Path | None = None,
    ) -> None:
        self.output = output
        self.stats = stats
        self.is_publication = is_publication
        self.detect_language = detect_language
        self.min_fill_rates = dict(min_fill_rates)
        self.strict = strict
        self.started_at = dt.datetime.now(dt.UTC)
        self.crawl_id = crawl_id or new_crawl_id(self.started_at)
        self.store = DatasetStore(output)
        self.staging: RunStaging | None = None
        self._lock: contextlib.AbstractContextManager[Any] | None = None
        self.job = JobState(job_dir) if job_dir is not None else None
        self.resuming = False
        self.done = False  # finished: nothing left to resume (the job directory can go)
        if self.job is not None and self.job.load():
            self.resuming = True
            if crawl_id not in ("", self.job.state["crawl_id"]):
                logger.warning(
                    "Resuming crawl %s: REGMIG_CRAWL_ID=%s is ignored",
                    self.job.state["crawl_id"],
                    crawl_id,
                )
            self.crawl_id = self.job.state["crawl_id"]
            self.started_at = dt.datetime.fromisoformat(self.job.state["started_at"])

    # ------------------------------------------------------------------ while crawling

    def open(self) -> None:
        """Lock the output directory and start staging (or resume the journal).

        Raises ``OutputUnwritableError`` when the output cannot be written (a full disk
        says so: "no space left on device"), with the exit already recorded (status 1).
        """
        try:
            self._open()
        except DatasetLockedError:
            raise
        except (OSError, sqlite3.Error) as error:
            why = f"the output directory could not be written: {describe_write_error(error)}"
            self.stats.set_value(OPEN_FAILED_STAT, 1)
            self.done = True  # nothing to resume
            self._record(EXIT_FAILED, why)
            self.close()
            raise OutputUnwritableError(why) from error

    @property
    def open_failed(self) -> bool:
        return bool(self.stats.get_value(OPEN_FAILED_STAT))

    def _open(self) -> None:
        self.output.mkdir(parents=True, exist_ok=True)
        self._lock = self.store.lock()
        self._lock.__enter__()
        if self.job is None:
            self.staging = RunStaging(staging_path(self.output, self.crawl_id))
            return
        if self.resuming:
            if self.job.replay(None)[1]:  # repair a torn tail before appending after it
                self.stats.set_value("regmig/resume/journal_truncated", 1)
            restore_stats(self.stats, self.job.state.get("stats") or {})
            logger.info(
                "Resuming crawl %s from %s (%s records staged before)",
                self.crawl_id,
                self.job.directory,
                self.stats.get_value("regmig/dataset/staged", 0),
            )
        elif self.job.holds_foreign_state():
            logger.warning(
                "%s holds Scrapy state but no %s: records of the pages fetched before are "
                "not in this run; remove the directory to start over",
                self.job.directory,
                STATE_FILE,
            )
        self.stats.inc_value("regmig/resume/segments")
        self.job.save(crawl_id=self.crawl_id, started_at=self.started_at.isoformat())
        self.job.open_journal()

    def add(self, record: Mapping[str, Any]) -> None:
        """Stage one record (a listing teaser or a publication page)."""
        if self.job is not None:
            self.job.append(record)
        else:
            assert self.staging is not None, "open() first"
            self.staging.add(dict(record))

    # ------------------------------------------------------------------ at the end

    def finish(self, reason: str | None, start_url: str | None) -> tuple[int, str]:
        """End the run: suspend it, or merge, gate, decide and commit. Returns the exit
        status and its reason, also recorded in the stats. Raises when the commit fails
        (``regmig/dataset/commit_failed`` set, the exit recorded as a failure)."""
        if self.open_failed:  # nothing was staged; the exit was recorded by open()
            return EXIT_FAILED, str(self.stats.get_value(EXIT_REASON_STAT))
        try:
            if self.job is not None and reason != "finished":
                return self._suspend(reason)
            try:
                return self._commit(reason, start_url)
            except Exception:
                self.stats.set_value("regmig/dataset/commit_failed", 1)
                self._decide(0, reason)  # "the dataset could not be written"
                logger.exception("Could not write the dataset; the previous one is left untouched")
                raise
        finally:
            self.close()

    def close(self) -> None:
        """Release the staging, the journal and the lock (idempotent)."""
        if self.staging is not None:
            self.staging.close()
            self.staging = None
        if self.job is not None:
            self.job.close_journal()
        if self._lock is not None:
            self._lock.__exit__(None, None, None)
            self._lock = None

    def remove_job(self) -> None:
        """Remove a finished run's job directory (once Scrapy wrote its last state there)."""
        if self.job is not None and self.done:
            self.job.remove()

    def _record(self, status: int, why: str) -> tuple[int, str]:
        self.stats.set_value(EXIT_STATUS_STAT, status)
        self.stats.set_value(EXIT_REASON_STAT, why)
        return status, why

    def _decide(self, publications: int, reason: str | None) -> tuple[int, str]:
        status, why = decide_exit(
            self.stats.get_stats(), publications=publications, reason=reason, strict=self.strict
        )
        return self._record(status, why)

    def _suspend(self, reason: str | None) -> tuple[int, str]:
        """Keep an unfinished resumable run for ``--resume``: commit nothing."""
        assert self.job is not None
        self.job.close_journal()
        self.job.save(stats=carried_stats(self.stats.get_stats()), last_close_reason=reason)
        self.stats.set_value("regmig/resume/interrupted", 1)
        logger.warning(
            "Crawl %s stopped (%s) before it finished: nothing was committed; its state is in "
            "%s. Run again with --resume to continue.",
            self.crawl_id,
            reason,
            self.job.directory,
        )
        return self._record(EXIT_FAILED, INTERRUPTED_REASON)

    def _stage_journal(self) -> None:
        """Build the run's staging from the journal (resumable runs, at the end)."""
        assert self.job is not None
        self.job.close_journal()
        self.staging = RunStaging(self.job.staging_path)
        count, truncated = self.job.replay(self.staging)
        if truncated:
            self.stats.set_value("regmig/resume/journal_truncated", 1)
        logger.info("Staged %s records from %s", count, self.job.journal_path)

    def _commit(self, reason: str | None, start_url: str | None) -> tuple[int, str]:
        stats = self.stats
        if self.job is not None:
            self._stage_journal()
        translations, count, fill = self._survey()
        kept = self._kept_translation_keys({key.url for key in translations})
        pairs = link_translations(translations + kept)
        del kept  # linked through, never rewritten: only this run's rows are merged
        stats.set_value("regmig/dataset/translation_pairs", pairs)
        stats.set_value("regmig/dataset/publications", count)
        if reason in (None, "finished"):  # a crawl cut short is not judged by its fill rates
            for column, message in quality_gate(fill, self.min_fill_rates).items():
                logger.error("Quality gate: %s", message)
                stats.set_value(f"regmig/quality/failed/{column}", 1)
        status, why = self._decide(count, reason)
        if not count or status == EXIT_FAILED:
            self.done = True  # finished: nothing left to resume
            logger.error("Nothing written (%s): the dataset is left as it was", why)
            return status, why
        self._check_clock()
        moved = self.store.move_foreign_files()
        if moved:
            stats.set_value(FOREIGN_FILES_STAT, len(moved))
        drops, errors = drops_and_errors(stats.get_stats())
        finished_at = dt.datetime.now(dt.UTC)
        # The run's time as runs/ (and so `regmig report`) states it; the summary prints it.
        stats.set_value(RUN_SECONDS_STAT, (finished_at - self.started_at).total_seconds())
        run = RunInfo(
            crawl_id=self.crawl_id,
            started_at=self.started_at,
            finished_at=finished_at,
            start_url=start_url,
            pages_fetched=int(stats.get_value("regmig/listing/pages", 0))
            + int(stats.get_value("regmig/pages/fetched", 0)),
            drops=drops,
            errors=errors,
            exit_status=status,
            package_version=__version__,
            translation_pairs=pairs,
            stats=stats.get_stats(),
        )
        # Linking only adds links: the rows without any keep what the second pass merges.
        links = {
            key.url: list(key.translation_urls) for key in translations if key.translation_urls
        }
        del translations
        # A group split by a canonical conflict gives rows of several ids: sorted by the store.
        ordered = not stats.get_value(CANONICAL_CONFLICTS_STAT)
        outcome = self.store.commit(self._rows(links), run, ordered=ordered)
        self.done = True  # a commit that raised keeps the job directory: --resume retries it
        for name in ("new", "changed", "unchanged", "not_seen"):
            stats.set_value(f"regmig/dataset/{name}", getattr(outcome, name))
        logger.info(
            "Wrote %s publications to %s (%s new, %s changed, %s unchanged, %s not seen)",
            count,
            self.output / "publications",
            outcome.new,
            outcome.changed,
            outcome.unchanged,
            outcome.not_seen,
        )
        return status, why

    def _check_clock(self) -> None:
        """Warn when this run starts before the last run recorded: the clock is wrong now
        or was then (the store never writes a first_seen_at after a last_seen_at)."""
        last = self.store.last_run_started()
        if last is not None and self.started_at < last:
            self.stats.set_value(CLOCK_SKEW_STAT, 1)
            logger.warning(
                "Clock skew: this run started at %s, before the last recorded run (%s); "
                "check the system clock. first_seen_at is kept no later than last_seen_at.",
                self.started_at.isoformat(),
                last.isoformat(),
            )

    def _merged(
        self, *, count: bool = False, ordered: bool = False
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each publication's (group key, row), merged from its staged sightings."""
        assert self.staging is not None
        for key, group in self.staging.groups(ordered=ordered):
            for records in split_canonical_conflicts(
                group, self._canonical_conflict if count else None
            ):
                row = merge_sightings(
                    records,
                    is_publication=self.is_publication,
                    resolve=self.staging.resolve,
                    detect_language=self.detect_language,
                )
                if row is None:
                    if count:
                        self.stats.inc_value("regmig/dataset/dropped/not_publication")
                    continue
                if count and not row["page_fetched"]:
                    self.stats.inc_value("regmig/dataset/page_missing")
                yield key, row

    def _canonical_conflict(self, page_url: str, canonical: str) -> None:
        self.stats.inc_value(CANONICAL_CONFLICTS_STAT)
        logger.warning(
            "Canonical conflict: %s names %s as its canonical link, a page fetched with "
            "another title; kept as two publications (a canonical naming a different "
            "publication is not followed)",
            page_url,
            canonical,
        )

    def _survey(self) -> tuple[list[TranslationKey], int, FillCounter]:
        """First pass: what translation linking needs of each row, the count, fill rates.

        It also gives each group its publication id as sort key, so that the second pass
        streams the rows in the id order the store merges in.
        """
        assert self.staging is not None
        fill = FillCounter(PUBLICATIONS_INPUT_SCHEMA.names)
        projection = []
        order: list[tuple[str, str]] = []
        for key, row in self._merged(count=True):
            fill.add(row)
            projection.append(translation_key(row))
            order.append((key, row["id"]))
            if len(order) >= ORDER_FLUSH_EVERY:
                self.staging.set_group_order(order)
                order.clear()
        self.staging.set_group_order(order)
        return projection, len(projection), fill

    def _kept_translation_keys(self, seen: set[str]) -> list[TranslationKey]:
        """Translation keys of the stored rows this run did not see (an incremental run
        walks fewer listing pages): kept in the dataset, they still pair with this run's
        rows, so a row's links do not depend on which pages the run walked."""
        # the store's own rows: a foreign file beside them is moved away at the commit
        table = self.store.read_own_publications(list(TRANSLATION_COLUMNS))
        return [translation_key(row) for row in table.to_pylist() if row["url"] not in seen]

    def _rows(self, translations: Mapping[str, list[str]]) -> Iterator[dict[str, Any]]:
        """Second pass: full rows in id order with their linked translations, streamed."""
        for _key, row in self._merged(ordered=True):
            row["translation_urls"] = translations.get(row["url"], row["translation_urls"])
            yield row
