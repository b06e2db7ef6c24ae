"""A resumable run's own state in Scrapy's ``JOBDIR``: crawl id, record journal, carried stats.

Scrapy keeps its request queue and seen requests in ``JOBDIR``; this keeps what the dataset
needs beside them, so that an interrupted crawl resumed with the same ``JOBDIR`` commits the
dataset an uninterrupted run would have written:

- ``JOBDIR/regmig.json``: ``crawl_id``, ``started_at`` (ISO 8601, UTC) and, once a run was
  interrupted, the counters it had reached (``stats``) and why it stopped; written atomically
  (``regmig_scraper.atomic``);
- ``JOBDIR/records.pickle``: every staged record, one pickle frame each, appended as they
  come. A run killed outright (SIGKILL) can leave half a frame at the end: it is cut off;
- ``JOBDIR/staging.sqlite``: built from the journal when the crawl finishes.

Counters carry over (``carried_stats``, ``restore_stats``): a resumed run adds to them, keeps
the larger of maxima (``MAX_STATS``), and drops what belongs to one process
(``NOT_CARRIED_STATS``).

No settings; no Scrapy import (stats are anything with Scrapy's ``StatsCollector`` methods).
"""

from __future__ import annotations

import json
import logging
import pickle
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Protocol

from regmig_scraper import atomic
from regmig_scraper.dataset.staging import RunStaging

logger = logging.getLogger(__name__)

STATE_FILE = "regmig.json"  # in JOBDIR: crawl id, start time, stats of the earlier runs
JOURNAL_FILE = "records.pickle"  # in JOBDIR: every staged record, one pickle frame each
STAGING_FILE = "staging.sqlite"  # in JOBDIR: built from the journal when the crawl finishes
_PICKLE_PROTOCOL = 5
# Stats a resumed run does not add up: maxima keep the larger value; the rest stay this run's.
MAX_STATS = frozenset({"request_depth_max", "memusage/max"})
NOT_CARRIED_STATS = frozenset(
    {"memusage/startup", "regmig/resume/interrupted", "regmig/exit/status"}
)


class Stats(Protocol):
    """The part of Scrapy's ``StatsCollector`` the dataset layer uses."""

    def get_value(self, key: str, default: Any = None) -> Any: ...
    def set_value(self, key: str, value: Any) -> None: ...
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...
    def max_value(self, key: str, value: Any) -> None: ...
    def get_stats(self) -> dict[str, Any]: ...


def carried_stats(stats: Mapping[str, Any]) -> dict[str, int]:
    """The counters an interrupted run hands to the run that resumes it (ints, not bools)."""
    return {
        key: value
        for key, value in sorted(stats.items())
        if isinstance(value, int) and not isinstance(value, bool) and key not in NOT_CARRIED_STATS
    }


def restore_stats(stats: Stats, carried: Mapping[str, Any]) -> None:
    """Add an interrupted run's counters to this run's (maxima: keep the larger)."""
    for key, value in dict(carried).items():
        if key in MAX_STATS:
            stats.max_value(key, value)
        elif key not in NOT_CARRIED_STATS:
            stats.inc_value(key, value)


def _non_empty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


class JobState:
    """A resumable run's own state in ``directory`` (Scrapy's ``JOBDIR``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.state_path = directory / STATE_FILE
        self.journal_path = directory / JOURNAL_FILE
        self.staging_path = directory / STAGING_FILE
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

    def holds_foreign_state(self) -> bool:
        """Scrapy state from before (``requests.seen``) but none of ours: records are lost."""
        return _non_empty(self.directory / "requests.seen") and not self.state_path.exists()

    def save(self, **values: Any) -> None:
        """Update and write the state atomically."""
        self.state.update(values)
        self.directory.mkdir(parents=True, exist_ok=True)
        atomic.write_text(self.state_path, json.dumps(self.state, sort_keys=True, indent=1))

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
