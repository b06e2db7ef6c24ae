"""Write the run's records into the deduplicated Parquet dataset under ``REGMIG_OUTPUT``.

A thin adapter: records are staged on disk as they arrive (memory stays flat), and when
the spider closes they are grouped per publication (``RunStaging``), merged into one row
each (``merge_sightings``), translation pairs are linked, and the rows are committed to
``OUTPUT/publications/`` with one row in ``OUTPUT/runs/`` (``DatasetStore``): new rows
added, changed rows updated, the rest kept; written beside the old files and switched
atomically. The output directory is locked for the whole run. Memory stays flat at the end
too: a first pass over the groups keeps only what translation linking needs and records each
publication's id; the second streams the full rows in id order into the store's merge-join.

Resumable runs (Scrapy's ``JOBDIR`` set, as ``regmig crawl --resume`` does with
``OUTPUT/.job``): records go to a journal in the job directory instead (``JobState``), with
the run's crawl id, start time and stats in ``JOBDIR/regmig.json``. A run that stops before it
finishes (Ctrl-C, SIGTERM, a CLOSESPIDER limit) commits nothing: it keeps the job directory,
sets ``regmig/resume/interrupted`` and ends with ``INTERRUPTED_REASON`` (exit status 1). The
next run with the same ``JOBDIR`` continues where Scrapy stopped, with the same crawl id and
start time, adds to the same journal and to the carried-over stats, and commits everything
when it finishes; then the job directory is removed. If that commit fails, the job directory
is kept, so that running again with ``--resume`` retries it.

Settings: ``REGMIG_OUTPUT`` (directory),
``REGMIG_STRICT`` (partial failures give exit status 3), ``REGMIG_CRAWL_ID`` (default: a
fresh UTC timestamp id), ``JOBDIR`` (Scrapy's; makes the run resumable), and
``REGMIG_ARROW_MEMORY_POOL`` (applied before this module loads pyarrow, by
``regmig_scraper.arrow_memory.ArrowMemoryAddon``).

Stats: ``regmig/dataset/staged``, ``regmig/dataset/publications``,
``regmig/dataset/new|changed|unchanged|not_seen``, ``regmig/dataset/dropped/not_publication``,
``regmig/dataset/translation_pairs``, ``regmig/dataset/commit_failed``,
``regmig/resume/segments`` (runs that made up this crawl), ``regmig/resume/interrupted``,
``regmig/resume/journal_truncated`` (a killed run left half a record; it was cut off).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import pickle
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals

from pipelines import stats_counter
from pipelines.language import LanguagePipeline
from regmig_scraper import __version__
from regmig_scraper.arrow_memory import memory_pool_in_use
from regmig_scraper.dataset.merge import (
    TranslationKey,
    link_translations,
    merge_sightings,
    translation_key,
)
from regmig_scraper.dataset.schema import PUBLICATIONS_INPUT_SCHEMA
from regmig_scraper.dataset.staging import RunStaging
from regmig_scraper.dataset.store import DatasetStore, RunInfo
from regmig_scraper.quality import (
    FillCounter,
    fill_rate_violations,
    parse_min_fill_rates,
)
from regmig_scraper.sites.base import get_site
from regmig_scraper.status import EXIT_FAILED, decide_exit, drops_and_errors

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

INTERRUPTED_REASON = "interrupted: run again with --resume to continue"
STATE_FILE = "regmig.json"  # in JOBDIR: crawl id, start time, stats of the earlier runs
JOURNAL_FILE = "records.pickle"  # in JOBDIR: every staged record, one pickle frame each
STAGING_FILE = "staging.sqlite"  # in JOBDIR: built from the journal when the crawl finishes
_PICKLE_PROTOCOL = 5
ORDER_FLUSH_EVERY = 4_096  # group ids written to staging at a time by the first pass
# Stats a resumed run does not add up: maxima keep the larger value; the rest stay this run's.
MAX_STATS = frozenset({"request_depth_max", "memusage/max"})
NOT_CARRIED_STATS = frozenset({"memusage/startup", "regmig/resume/interrupted"})


def new_crawl_id(now: dt.datetime) -> str:
    """A sortable, readable run id: ``20261128T181500Z-<pid>``."""
    import os

    return f"{now.strftime('%Y%m%dT%H%M%S')}Z-{os.getpid()}"


def carried_stats(stats: Mapping[str, Any]) -> dict[str, int]:
    """The counters an interrupted run hands to the run that resumes it (ints, not bools)."""
    return {
        key: value
        for key, value in sorted(stats.items())
        if isinstance(value, int) and not isinstance(value, bool) and key not in NOT_CARRIED_STATS
    }


def _non_empty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


class JobState:
    """A resumable run's own state in Scrapy's ``JOBDIR``: crawl id, journal, carried stats.

    ``JOBDIR/regmig.json`` holds ``crawl_id``, ``started_at`` (ISO 8601, UTC) and, once a run
    was interrupted, ``stats``; ``JOBDIR/records.pickle`` every staged record. No Scrapy import.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.state_path = directory / STATE_FILE
        self.journal_path = directory / JOURNAL_FILE
        self.state: dict[str, Any] = {}
        self._journal: IO[bytes] | None = None

    def load(self) -> bool:
        """Read the state an interrupted run left; False when there is none."""
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return False
        except (OSError, ValueError) as error:
            raise RuntimeError(
                f"cannot resume: {self.state_path} is unreadable ({error}); "
                f"remove {self.directory} to start over"
            ) from error
        if not isinstance(state, dict) or not state.get("crawl_id"):
            raise RuntimeError(f"cannot resume: {self.state_path} holds no crawl id")
        self.state = state
        return True

    def save(self, **values: Any) -> None:
        """Update and write the state atomically."""
        self.state.update(values)
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_name(f".{STATE_FILE}.tmp")
        tmp.write_text(json.dumps(self.state, sort_keys=True, indent=1), encoding="utf-8")
        os.replace(tmp, self.state_path)

    def open_journal(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._journal = self.journal_path.open("ab")

    def append(self, record: Mapping[str, Any]) -> None:
        assert self._journal is not None, "open_journal() first"
        pickle.dump(dict(record), self._journal, protocol=_PICKLE_PROTOCOL)

    def close_journal(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def replay(self, staging: RunStaging | None) -> tuple[int, bool]:
        """Stage every journaled record; (count, whether a torn tail was cut off).

        A run killed outright (SIGKILL) can leave half a record at the end: it is cut off, so
        that later appends stay readable. With ``staging`` None the journal is only checked
        (and repaired): a resumed run does that before it appends.
        """
        count, truncated = 0, False
        if not self.journal_path.exists():
            return 0, False
        with self.journal_path.open("rb+") as journal:
            while True:
                good = journal.tell()
                try:
                    record = pickle.load(journal)
                except EOFError:
                    if journal.tell() != good:  # half a frame
                        journal.truncate(good)
                        truncated = True
                    break
                except (pickle.UnpicklingError, ValueError, AttributeError, IndexError):
                    journal.truncate(good)
                    truncated = True
                    break
                if staging is not None:
                    staging.add(record)
                count += 1
        if truncated:
            logger.warning("Cut off a torn record at the end of %s", self.journal_path)
        return count, truncated

    def remove(self) -> None:
        self.close_journal()
        shutil.rmtree(self.directory, ignore_errors=True)


class DatasetPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.output = Path(settings.get("REGMIG_OUTPUT")).resolve()
        self.strict = settings.getbool("REGMIG_STRICT")
        self.site = get_site(settings.get("REGMIG_SITE", "mpi"))
        self.detect_language = LanguagePipeline.from_settings(settings).detector()
        self.min_fill_rates = parse_min_fill_rates(
            settings.getdict("REGMIG_MIN_FILL_RATES"),
            PUBLICATIONS_INPUT_SCHEMA.names,
        )
        self._count_staged = stats_counter(crawler.stats)
        logger.debug("pyarrow allocates with %s", memory_pool_in_use())
        self.started_at = dt.datetime.now(dt.UTC)
        self.crawl_id = settings.get("REGMIG_CRAWL_ID") or new_crawl_id(self.started_at)
        self.store = DatasetStore(self.output)
        self.staging: RunStaging | None = None
        self._lock: Any = None
        self.result: dict[str, Any] = {}
        jobdir = settings.get("JOBDIR")
        self.job = JobState(Path(jobdir).resolve()) if jobdir else None
        self.resuming = False
        self._remove_job = False
        if self.job is not None and self.job.load():
            self.resuming = True
            if settings.get("REGMIG_CRAWL_ID") not in (None, "", self.job.state["crawl_id"]):
                logger.warning(
                    "Resuming crawl %s: REGMIG_CRAWL_ID=%s is ignored",
                    self.job.state["crawl_id"],
                    settings.get("REGMIG_CRAWL_ID"),
                )
            self.crawl_id = self.job.state["crawl_id"]
            self.started_at = dt.datetime.fromisoformat(self.job.state["started_at"])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DatasetPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.engine_stopped, signal=signals.engine_stopped)
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        self.output.mkdir(parents=True, exist_ok=True)
        self._lock = self.store.lock()
        self._lock.__enter__()
        if self.job is None:
            self.staging = RunStaging(self.output / f".staging-{self.crawl_id}.sqlite")
            return
        stats = self.crawler.stats
        if self.resuming:
            if self.job.replay(None)[1]:  # repair a torn tail before appending after it
                stats.set_value("regmig/resume/journal_truncated", 1)
            for key, value in dict(self.job.state.get("stats") or {}).items():
                if key in MAX_STATS:
                    stats.max_value(key, value)
                elif key not in NOT_CARRIED_STATS:
                    stats.inc_value(key, value)
            logger.info(
                "Resuming crawl %s from %s (%s records staged before)",
                self.crawl_id,
                self.job.directory,
                stats.get_value("regmig/dataset/staged", 0),
            )
        elif _non_empty(self.job.directory / "requests.seen"):  # Scrapy's, from before
            logger.warning(
                "%s holds Scrapy state but no %s: records of the pages fetched before are "
                "not in this run; remove the directory to start over",
                self.job.directory,
                STATE_FILE,
            )
        stats.inc_value("regmig/resume/segments")
        self.job.save(crawl_id=self.crawl_id, started_at=self.started_at.isoformat())
        self.job.open_journal()

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if self.job is not None:
            self.job.append(item)
        else:
            assert self.staging is not None
            self.staging.add(dict(item))
        self._count_staged("regmig/dataset/staged")
        return item

    def _suspend(self, reason: str) -> None:
        """Keep an unfinished resumable run for ``--resume``: commit nothing."""
        assert self.job is not None
        stats = self.crawler.stats
        self.job.close_journal()
        self.job.save(stats=carried_stats(stats.get_stats()), last_close_reason=reason)
        stats.set_value("regmig/resume/interrupted", 1)
        self.result = {"status": EXIT_FAILED, "reason": INTERRUPTED_REASON, "publications": 0}
        logger.warning(
            "Crawl %s stopped (%s) before it finished: nothing was committed; its state is in "
            "%s. Run again with --resume to continue.",
            self.crawl_id,
            reason,
            self.job.directory,
        )

    def _stage_journal(self) -> None:
        """Build the run's staging from the journal (resumable runs, at the end)."""
        assert self.job is not None
        self.job.close_journal()
        self.staging = RunStaging(self.job.directory / STAGING_FILE)
        count, truncated = self.job.replay(self.staging)
        if truncated:
            self.crawler.stats.set_value("regmig/resume/journal_truncated", 1)
        logger.info("Staged %s records from %s", count, self.job.journal_path)

    def engine_stopped(self) -> None:
        """Remove a finished run's job directory (after Scrapy wrote its last state there)."""
        if self.job is not None and self._remove_job:
            self.job.remove()

    def close_spider(self, spider: Spider | None = None) -> None:
        """Nothing here: the commit needs the close reason, given to ``spider_closed``."""

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        if self.job is not None and reason != "finished":
            try:
                self._suspend(reason)
            finally:
                self._release()
            return
        try:
            if self.job is not None:
                self._stage_journal()
            # Two passes over the staged records, so that the run's rows are never all in
            # memory: the first links translations and measures fill rates on a small
            # projection of each row, the second streams full rows into the store.
            translations, count, fill = self._survey()
            pairs = link_translations(translations)
            stats.set_value("regmig/dataset/translation_pairs", pairs)
            stats.set_value("regmig/dataset/publications", count)
            self._check_quality(fill)
            status, why = decide_exit(
                stats.get_stats(), publications=count, reason=reason, strict=self.strict
            )
            drops, errors = drops_and_errors(stats.get_stats())
            run = RunInfo(
                crawl_id=self.crawl_id,
                started_at=self.started_at,
                finished_at=dt.datetime.now(dt.UTC),
                start_url=getattr(spider, "start_url", None),
                pages_fetched=int(stats.get_value("regmig/listing/pages", 0))
                + int(stats.get_value("regmig/pages/fetched", 0)),
                drops=drops,
                errors=errors,
                exit_status=status,
                package_version=__version__,
                translation_pairs=pairs,
                stats=stats.get_stats(),
            )
            if not count or status == EXIT_FAILED:
                logger.error("Nothing written (%s): the dataset is left as it was", why)
                self.result = {"status": status, "reason": why, "publications": 0}
                self._remove_job = True  # finished: nothing left to resume
                return
            # Linking only adds links: the rows without any keep what the second pass merges.
            links = {
                key.url: list(key.translation_urls) for key in translations if key.translation_urls
            }
            del translations
            outcome = self.store.commit(self._rows(links), run, ordered=True)
            self._remove_job = True
            for name in ("new", "changed", "unchanged", "not_seen"):
                stats.set_value(f"regmig/dataset/{name}", getattr(outcome, name))
            self.result = {"status": status, "reason": why, "publications": count}
            logger.info(
                "Wrote %s publications to %s (%s new, %s changed, %s unchanged, %s not seen)",
                count,
                self.output / "publications",
                outcome.new,
                outcome.changed,
                outcome.unchanged,
                outcome.not_seen,
            )
        except Exception:
            stats.set_value("regmig/dataset/commit_failed", 1)
            logger.exception("Could not write the dataset; the previous one is left untouched")
            raise
        finally:
            self._release()

    def _release(self) -> None:
        if self.staging is not None:
            self.staging.close()
        if self.job is not None:
            self.job.close_journal()
        if self._lock is not None:
            self._lock.__exit__(None, None, None)
            self._lock = None

    def _check_quality(self, fill: FillCounter) -> None:
        """Fail the run when a key column's fill rate drops: the site may have changed."""
        if not fill.rows:
            return
        for column, message in fill_rate_violations(fill.rates(), self.min_fill_rates).items():
            logger.error("Quality gate: %s", message)
            self.crawler.stats.set_value(f"regmig/quality/failed/{column}", 1)

    def _merged(
        self, *, count: bool = False, ordered: bool = False
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each publication's (group key, row), merged from its staged sightings."""
        assert self.staging is not None
        stats = self.crawler.stats
        for key, records in self.staging.groups(ordered=ordered):
            row = merge_sightings(
                records,
                is_publication_kind=self.site.is_publication_kind,
                resolve=self.staging.resolve,
                detect_language=self.detect_language,
            )
            if row is None:
                if count:
                    stats.inc_value("regmig/dataset/dropped/not_publication")
                continue
            if count and not row["page_fetched"]:
                stats.inc_value("regmig/dataset/page_missing")
            yield key, row

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

    def _rows(self, translations: Mapping[str, list[str]]) -> Iterator[dict[str, Any]]:
        """Second pass: full rows in id order with their linked translations, streamed."""
        for _key, row in self._merged(ordered=True):
            row["translation_urls"] = translations.get(row["url"], row["translation_urls"])
            yield row
