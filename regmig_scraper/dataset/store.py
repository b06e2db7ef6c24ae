"""The on-disk dataset: crash-safe, deduplicated, merged across runs.

Layout (a contract users depend on)::

    OUTPUT/.regmig.lock                    locked (filelock) for the duration of a run; its pid
    OUTPUT/publications/publications.parquet   one file, rows sorted by id, several row groups
    OUTPUT/runs/run-<crawl_id>.parquet     one row per run

``pandas.read_parquet("OUTPUT/publications")``, ``pyarrow.dataset.dataset(...)`` and DuckDB
``SELECT * FROM 'OUTPUT/publications/*.parquet'`` all read it.

Crash safety: every file is written to a temp file beside its target whose name starts with
"." and ends with ".tmp" (ignored by pyarrow datasets and by the ``*.parquet`` glob), fsync'ed,
switched in with ``os.replace`` and followed by a directory fsync (``regmig_scraper.atomic``).
A run killed at any moment (SIGKILL included) leaves the previous dataset complete; the next
run removes the leftovers.

Merge across runs, by ``id`` (see ``DatasetStore.commit``): new ids are added, a changed
``content_hash`` replaces the values (``first_seen_at`` kept), an unchanged one only moves
``last_seen_at``, unions ``listing_urls``/``alternate_urls`` and takes this run's
``REFRESHED_FIELDS`` (modified, authors_raw, site, provenance); ids not seen are kept.
The existing file is merge-joined in batches (``ParquetFile.iter_batches``) with this run's
rows; rows handed over in id order (``commit(..., ordered=True)``, as the dataset pipeline
does) are converted and merged as they come, so memory stays bounded by a few batches
whatever the size of the dataset or of the run. Rows in any order are sorted in memory first.

No settings; no Scrapy import.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import json
import logging
import os
import queue
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from regmig_scraper.atomic import TMP_PREFIX, TMP_SUFFIX, publish, tmp_path
from regmig_scraper.dataset.schema import (
    CONTENT_FIELDS,
    PUBLICATIONS_INPUT_SCHEMA,
    PUBLICATIONS_SCHEMA,
    PUBLICATIONS_UPGRADES,
    REFRESHED_FIELDS,
    RUNS_SCHEMA,
    RUNS_UPGRADES,
    SCHEMA_VERSION,
    SIGHTING_FIELDS,
    STRING_LIST,
    DatasetError,
    SchemaMismatchError,
    conform_table,
    content_hash,
    read_dataset_table,
    rows_to_table,
    schema_version,
)

logger = logging.getLogger(__name__)

LOCK_NAME = ".regmig.lock"
PUBLICATIONS_DIR = "publications"
PUBLICATIONS_FILE = "publications.parquet"
# Where Parquet files found in publications/ that regmig did not write are moved.
FOREIGN_DIR = "publications.foreign"
RUNS_DIR = "runs"
STAGING_GLOB = ".staging-*.sqlite*"
# crawl ids become file names: no separators, no leading dot
CRAWL_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")

# Rows merged per step (= one row group of the new file): about TARGET_BATCH_BYTES of
# uncompressed data, within [MIN_BATCH_ROWS, MAX_BATCH_ROWS]. Memory is bounded by a few
# batches, whatever the size of the dataset.
TARGET_BATCH_BYTES = 8 << 20
MIN_BATCH_ROWS = 1_024
MAX_BATCH_ROWS = 65_536
READ_BUFFER_BYTES = 1 << 20  # streamed reads of the existing file
INPUT_CHUNK_ROWS = 10_000  # run rows converted to Arrow at a time
ORDERED_CHUNK_ROWS = 2_048  # the same for rows that come in id order (held as dicts meanwhile)
# Low-cardinality columns get Parquet dictionary encoding; the rest (urls, texts, hashes) are
# mostly unique, where a dictionary only costs time.
DICTIONARY_COLUMNS = [
    "content_type",
    "content_type_label",
    "language",
    "date_precision",
    "date_raw",
    "date_flag",
    "program",
    "crawl_id",
    "first_seen_at",
    "last_seen_at",
]
# Snappy: Parquet's most widely read codec and the cheapest to write and read; zstd makes
# files about a third smaller for some 10 % more merge time (benchmarks/merge_bench.py).
COMPRESSION = "snappy"
COMPRESSION_LEVEL: int | None = None


class DatasetLockedError(DatasetError):
    """Another run holds the lock on this output directory."""


@dataclass(frozen=True)
class RunInfo:
    """What the store records about one run in ``runs/run-<crawl_id>.parquet``."""

    crawl_id: str
    started_at: dt.datetime  # timezone-aware; becomes first/last_seen_at
    finished_at: dt.datetime | None
    start_url: str
    pages_fetched: int = 0
    drops: Mapping[str, int] = field(default_factory=dict)  # drop reason -> count
    errors: Mapping[str, int] = field(default_factory=dict)  # error kind -> count
    exit_status: int = 0
    package_version: str = ""
    translation_pairs: int = 0
    stats: Mapping[str, Any] = field(default_factory=dict)  # the full Scrapy stats

    def __post_init__(self) -> None:
        if not CRAWL_ID_PATTERN.fullmatch(self.crawl_id or ""):
            raise ValueError(
                f"crawl_id {self.crawl_id!r} is not usable in a file name "
                f"(expected {CRAWL_ID_PATTERN.pattern})"
            )
        for name in ("started_at", "finished_at"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"RunInfo.{name} must be timezone-aware, got {value!r}")


@dataclass(frozen=True)
class CommitResult:
    """What a commit did, in publications (also recorded in the run's row)."""

    new: int
    changed: int
    unchanged: int
    not_seen: int
    total: int


# Locks this process holds: real path of the output directory -> (lock, depth).
_HELD: dict[str, tuple[FileLock, int]] = {}
_HELD_GUARD = threading.Lock()


# --------------------------------------------------------------------------- file helpers


def _batch_rows(num_rows: int, num_bytes: int) -> int:
    """Rows per merge step for rows of this average size."""
    per_row = max(num_bytes // max(num_rows, 1), 1)
    return max(MIN_BATCH_ROWS, min(MAX_BATCH_ROWS, TARGET_BATCH_BYTES // per_row))


def _to_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)


# --------------------------------------------------------------------------- merge


_PREFETCH_DEPTH = 1  # merged batches produced ahead of the writer


def _prefetched(items: Iterator[pa.Table], depth: int = _PREFETCH_DEPTH) -> Iterator[pa.Table]:
    """Iterate ``items`` in a thread, ``depth`` ahead: reading and merging (pyarrow releases
    the GIL) overlap with encoding and writing. Exceptions are re-raised here, in order."""
    channel: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def send(message: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                channel.put(message, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not send(("item", item)):
                    return
            send(("done", None))
        except BaseException as exc:  # handed over to the consumer
            send(("error", exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # closes the existing file when the writer gave up

    thread = threading.Thread(target=produce, name="regmig-merge", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = channel.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join()


def _set_column(table: pa.Table, name: str, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    index = table.schema.get_field_index(name)
    return table.set_column(index, table.schema.field(name), values)


def _union_lists(old: list[str] | None, new: list[str] | None) -> list[str] | None:
    if old is None and new is None:
        return None
    return sorted({*(old or ()), *(new or ())})


def _ascend_after(ids: pa.Array, previous: str | None) -> bool:
    """True when the non-empty ``ids`` have no null, strictly ascend, and follow ``previous``."""
    if ids.null_count or (previous is not None and ids[0].as_py() <= previous):
        return False
    return len(ids) < 2 or pc.all(pc.less(ids.slice(0, len(ids) - 1), ids.slice(1))).as_py()


class _SortedRows:
    """This run's rows as sorted tables, taken from the front by id.

    ``tables`` yields tables of the full schema, each sorted by id, each starting after the
    last id of the one before; a repeated id raises ValueError. At most the rows of one
    ``upto`` call (plus one table read ahead) are held.
    """

    def __init__(self, tables: Iterable[pa.Table]) -> None:
        self._tables = iter(tables)
        self._head: pa.Table | None = None  # the current table, from its first unread row
        self._head_ids: list[str] = []
        self._last: str | None = None  # last id handed out or read ahead

    def _advance(self) -> bool:
        """Load the next non-empty table as the head; False when there is none."""
        for table in self._tables:
            if table.num_rows == 0:
                continue
            ids = table.column("id").to_pylist()
            for previous, current in zip([self._last, *ids], ids, strict=False):
                if previous is not None and current <= previous:
                    kind = "duplicate" if current == previous else "out-of-order"
                    raise ValueError(f"{kind} id {current!r} among this run's rows")
            self._last = ids[-1]
            self._head, self._head_ids = table, ids
            return True
        self._head, self._head_ids = None, []
        return False

    def upto(self, last_id: str) -> pa.Table:
        """Remove and return the rows with id <= ``last_id`` (possibly none)."""
        pieces = []
        while self._head is not None or self._advance():
            assert self._head is not None
            end = bisect.bisect_right(self._head_ids, last_id)
            if end:
                pieces.append(self._head.slice(0, end))
            if end < len(self._head_ids):
                self._head = self._head.slice(end)
                self._head_ids = self._head_ids[end:]
                break
            self._head = None
        if not pieces:
            return PUBLICATIONS_SCHEMA.empty_table()
        return pieces[0] if len(pieces) == 1 else pa.concat_tables(pieces).combine_chunks()

    def rest(self) -> Iterator[pa.Table]:
        """Remove and yield the remaining rows in tables of ``_batch_rows`` rows (one row
        group each: a whole large run in one would be encoded in memory at once)."""
        pending: list[pa.Table] = []
        rows = 0
        while self._head is not None or self._advance():
            assert self._head is not None
            head, self._head = self._head, None
            pending.append(head)
            rows += head.num_rows
            size = _batch_rows(head.num_rows, head.nbytes)
            while rows >= size:
                table = pending[0] if len(pending) == 1 else pa.concat_tables(pending)
                yield table.slice(0, size).combine_chunks()
                remaining = table.slice(size)
                pending, rows = ([remaining] if remaining.num_rows else []), remaining.num_rows
        if rows:
            yield pa.concat_tables(pending).combine_chunks()


class _Merger:
    """Merge-join of sorted existing batches with this run's rows (sorted by id)."""

    def __init__(self, new: Iterable[pa.Table], run: RunInfo) -> None:
        self.new = _SortedRows(new)
        self.started = pa.scalar(
            _to_utc(run.started_at), PUBLICATIONS_SCHEMA.field("last_seen_at").type
        )
        self.crawl_id = pa.scalar(run.crawl_id, pa.string())
        self.counts = {"new": 0, "changed": 0, "unchanged": 0, "not_seen": 0, "total": 0}

    def _stamp(self, table: pa.Table, *, first_seen: pa.Array | None = None) -> pa.Table:
        """New or changed rows: seen now, content from this run."""
        n = table.num_rows
        started = pa.repeat(self.started, n)
        table = _set_column(
            table, "first_seen_at", first_seen if first_seen is not None else started
        )
        table = _set_column(table, "last_seen_at", started)
        return _set_column(table, "crawl_id", pa.repeat(self.crawl_id, n))

    def _not_after_now(self, first_seen: pa.Array | pa.ChunkedArray) -> pa.Array:
        """Stored first_seen_at values, none later than this run (a run whose clock ran
        ahead wrote them in the future): first_seen_at never passes last_seen_at."""
        if isinstance(first_seen, pa.ChunkedArray):
            first_seen = first_seen.combine_chunks()
        later = pc.fill_null(pc.greater(first_seen, self.started), False)
        return pc.if_else(later, self.started, first_seen)

    def _merge_chunk(self, existing: pa.Table, new: pa.Table) -> pa.Table:
        """Merge one existing batch with the run's rows whose ids fall in its range.

        The output shares the untouched rows with ``existing`` (zero-copy slices) and
        splices in the updated and added rows: the writer then encodes each row once.
        """
        if new.num_rows == 0:
            self.counts["not_seen"] += existing.num_rows
            return existing
        index = pc.index_in(new.column("id"), value_set=existing.column("id"))
        matched = pc.is_valid(index)
        old_hash = existing.column("content_hash").take(index)
        differs = pc.fill_null(pc.not_equal(old_hash, new.column("content_hash")), True)
        changed = pc.and_(matched, differs)
        unchanged = pc.and_(matched, pc.invert(differs))
        added = pc.invert(matched)

        kept = existing.take(index.filter(unchanged))
        kept = _set_column(kept, "last_seen_at", pa.repeat(self.started, kept.num_rows))
        kept = _set_column(kept, "first_seen_at", self._not_after_now(kept["first_seen_at"]))
        if kept.num_rows:
            sightings = new.filter(unchanged)
            for name in SIGHTING_FIELDS:
                merged = map(
                    _union_lists,
                    kept.column(name).to_pylist(),
                    sightings.column(name).to_pylist(),
                )
                kept = _set_column(kept, name, pa.array(list(merged), type=STRING_LIST))
            for name in REFRESHED_FIELDS:  # how the page was read: this run's, not hashed
                kept = _set_column(kept, name, sightings.column(name))
        changed_rows = self._stamp(
            new.filter(changed),
            first_seen=self._not_after_now(
                existing.column("first_seen_at").take(index.filter(changed))
            ),
        )
        added_rows = self._stamp(new.filter(added))
        self.counts["new"] += added_rows.num_rows
        self.counts["changed"] += changed_rows.num_rows
        self.counts["unchanged"] += kept.num_rows
        self.counts["not_seen"] += existing.num_rows - kept.num_rows - changed_rows.num_rows

        # The replacement rows back in the order of ``new`` (= id order).
        origin = pa.concat_arrays(
            [pc.indices_nonzero(mask) for mask in (unchanged, changed, added)]
        )
        updates = pa.concat_tables([kept, changed_rows, added_rows]).take(pc.sort_indices(origin))
        # Splice: update i goes at the position of its id among the existing ids, replacing
        # the existing row there if it is the same id.
        existing_ids = existing.column("id").to_pylist()
        pieces: list[pa.Table] = []
        cursor = 0  # next existing row to emit
        run_start = 0  # first update of the current run of adjacent updates
        for i, (update_id, replaces) in enumerate(
            zip(updates.column("id").to_pylist(), matched.to_pylist(), strict=True)
        ):
            position = bisect.bisect_left(existing_ids, update_id, lo=cursor)
            if position > cursor:
                if i > run_start:
                    pieces.append(updates.slice(run_start, i - run_start))
                pieces.append(existing.slice(cursor, position - cursor))
                run_start = i
            cursor = position + 1 if replaces else position
        pieces.append(updates.slice(run_start))
        pieces.append(existing.slice(cursor))
        # One contiguous copy: Parquet encodes a table of thousands of slices twice as slowly.
        return pa.concat_tables(pieces).combine_chunks()

    def merge(self, existing: Iterable[pa.RecordBatch]) -> Iterator[pa.Table]:
        """Yield output tables in id order; DatasetError if ``existing`` is not sorted."""
        previous: str | None = None
        for batch in existing:
            if batch.num_rows == 0:
                continue
            ids = batch.column("id")
            if not _ascend_after(ids, previous):
                raise DatasetError("the existing publications are not sorted by id")
            last = previous = ids[-1].as_py()
            chunk = self.new.upto(last)
            yield self._checked(self._merge_chunk(pa.Table.from_batches([batch]), chunk))
        # New rows past the last existing id, in row groups of bounded size: one row group
        # of a whole large run would be encoded and compressed in memory at once.
        for rest in self.new.rest():
            self.counts["new"] += rest.num_rows
            yield self._checked(self._stamp(rest))

    def _checked(self, table: pa.Table) -> pa.Table:
        """Every batch fits the schema before it is written (and long before any replace)."""
        if not table.schema.equals(PUBLICATIONS_SCHEMA, check_metadata=False):
            raise SchemaMismatchError(
                f"merged batch does not fit the publications schema:\n{table.schema}"
            )
        for name in ("id", "url"):
            if table.column(name).null_count:
                raise SchemaMismatchError(f"merged batch has a null {name!r}")
        self.counts["total"] += table.num_rows
        return table


# --------------------------------------------------------------------------- the store


def visible_parquet_files(directory: Path) -> list[Path]:
    """The Parquet files readers see in ``directory``: pyarrow datasets and DuckDB globs skip
    names starting with "." or "_" (the store's temp files among them)."""
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.glob("*.parquet")
        if path.is_file() and not path.name.startswith((".", "_"))
    )


def _read_files(files: list[Path], schema: pa.Schema, upgrades: Mapping[int, Any]) -> pa.Table:
    """The files as one table of ``schema`` (each upgraded); an error names the file."""
    tables = []
    for path in files:
        try:
            tables.append(read_dataset_table(path, schema=schema, upgrades=upgrades))
        except DatasetError as error:
            raise type(error)(f"cannot read {path}: {error}") from error
        except (OSError, pa.ArrowException) as error:
            raise DatasetError(f"cannot read {path}: {error}") from error
    return pa.concat_tables(tables) if tables else schema.empty_table()


def _sorted_by_id(table: pa.Table) -> tuple[pa.Table, str | None]:
    """``table`` sorted by id, and the first id that occurs twice (None if none does)."""
    table = table.take(pc.sort_indices(table.column("id")))
    ids = table.column("id")
    if table.num_rows > 1:
        dup = pc.equal(ids.slice(0, len(ids) - 1), ids.slice(1))
        if pc.any(dup).as_py():
            return table, ids[pc.index(dup, True).as_py()].as_py()
    return table, None


class DatasetStore:
    """The dataset under ``root`` (the ``--output`` directory)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.publications_dir = self.root / PUBLICATIONS_DIR
        self.publications_path = self.publications_dir / PUBLICATIONS_FILE
        self.runs_dir = self.root / RUNS_DIR
        self.lock_path = self.root / LOCK_NAME

    def __repr__(self) -> str:
        return f"<DatasetStore {self.root}>"

    # ------------------------------------------------------------------ lock

    @contextlib.contextmanager
    def lock(self) -> Iterator[DatasetStore]:
        """Hold ``OUTPUT/.regmig.lock`` for the duration of the block; clean leftovers.

        Re-entrant within one process (``commit`` inside a run's ``lock()`` block, even
        through another ``DatasetStore`` of the same directory). Raises
        ``DatasetLockedError`` at once if another process holds it. Take it before creating
        the run's ``RunStaging``: taking it removes the staging files of killed runs.
        """
        key = os.path.realpath(self.root)
        with _HELD_GUARD:
            held = _HELD.get(key)
            if held is not None:
                _HELD[key] = (held[0], held[1] + 1)
        if held is not None:
            try:
                yield self
            finally:
                with _HELD_GUARD:
                    lock, depth = _HELD[key]
                    _HELD[key] = (lock, depth - 1)
            return
        lock = self._acquire()
        with _HELD_GUARD:
            _HELD[key] = (lock, 1)
        try:
            self._remove_leftovers()
            yield self
        finally:
            with _HELD_GUARD:
                del _HELD[key]
            with contextlib.suppress(OSError):
                os.truncate(self.lock_path, 0)  # released: names nobody
            lock.release()

    def _acquire(self) -> FileLock:
        """Take the lock without waiting and write our pid into the lock file; return it.

        ``filelock`` holds an advisory ``flock`` on ``OUTPUT/.regmig.lock``: the kernel drops
        it when the process ends, however it ends, so a killed run never leaves a stale lock
        (only its stale pid, overwritten by the next run). The pid only names the holder in
        the refusal; filelock releases before 2026-07 (its issue #591) truncate the file when
        a second run tries the lock, and the refusal then says "pid unknown".
        """
        self.root.mkdir(parents=True, exist_ok=True)
        # thread_local=False: taken by the pipeline, it may be released from another thread.
        lock = FileLock(self.lock_path, timeout=0, thread_local=False)
        try:
            lock.acquire()
        except Timeout as exc:
            try:
                holder = self.lock_path.read_text(encoding="ascii").strip() or "unknown"
            except (OSError, ValueError):
                holder = "unknown"
            raise DatasetLockedError(
                f"another run holds the output directory {self.root} (pid {holder}, lock "
                f"file {self.lock_path}); wait for it to finish or choose another output "
                "directory"
            ) from exc
        self.lock_path.write_text(f"{os.getpid()}\n", encoding="ascii")
        return lock

    def _remove_leftovers(self) -> None:
        """Temp files and staging databases of runs that were killed (we hold the lock)."""
        leftovers = [
            *self.publications_dir.glob(f"{TMP_PREFIX}*{TMP_SUFFIX}"),
            *self.runs_dir.glob(f"{TMP_PREFIX}*{TMP_SUFFIX}"),
            *self.root.glob(STAGING_GLOB),
        ]
        for path in leftovers:
            logger.info("Removing leftover %s of an interrupted run", path)
            path.unlink(missing_ok=True)

    # ------------------------------------------------------------------ foreign files

    def foreign_files(self) -> list[Path]:
        """Parquet files in ``publications/`` that the store did not write: pandas, pyarrow
        and DuckDB would read them as part of the dataset."""
        return [
            path
            for path in visible_parquet_files(self.publications_dir)
            if path.name != PUBLICATIONS_FILE
        ]

    def move_foreign_files(self) -> list[Path]:
        """Move the ``foreign_files`` to ``OUTPUT/publications.foreign/`` (kept, never
        deleted), so that ``publications/`` holds only what regmig writes; warns for each.
        Hold the lock."""
        moved = []
        for path in self.foreign_files():
            target_dir = self.root / FOREIGN_DIR
            target_dir.mkdir(parents=True, exist_ok=True)
            target = target_dir / path.name
            for n in range(1, 1000):
                if not target.exists():
                    break
                target = target_dir / f"{path.stem}-{n}{path.suffix}"
            os.replace(path, target)
            logger.warning(
                "%s was not written by regmig and would be read as part of the dataset: "
                "moved to %s",
                path,
                target,
            )
            moved.append(target)
        return moved

    def last_run_started(self) -> dt.datetime | None:
        """When the latest recorded run started (None before the first run)."""
        files = visible_parquet_files(self.runs_dir)
        if not files:
            return None
        try:
            started = self.read_runs().column("started_at")
        except DatasetError as error:
            logger.warning("Cannot read the runs to check the clock: %s", error)
            return None
        latest = pc.max(started).as_py()
        return None if latest is None else _to_utc(latest)

    # ------------------------------------------------------------------ reading

    def read_publications(self) -> pa.Table:
        """All publications (upgraded to the current schema), or an empty table.

        Reads what pandas, pyarrow datasets and DuckDB read: every visible ``*.parquet`` file
        of ``publications/`` (the store writes one; a file put beside it is read too).
        """
        return _read_files(
            visible_parquet_files(self.publications_dir),
            PUBLICATIONS_SCHEMA,
            PUBLICATIONS_UPGRADES,
        )

    def read_own_publications(self, columns: list[str] | None = None) -> pa.Table:
        """The publications the store itself wrote (``PUBLICATIONS_FILE`` only, not a foreign
        file beside it), upgraded, optionally only ``columns``; an empty table if none."""
        table = _read_files(
            [path for path in [self.publications_dir / PUBLICATIONS_FILE] if path.is_file()],
            PUBLICATIONS_SCHEMA,
            PUBLICATIONS_UPGRADES,
        )
        return table.select(columns) if columns is not None else table

    def read_runs(self) -> pa.Table:
        """One row per run, ordered by started_at then crawl_id; empty table if none."""
        table = _read_files(visible_parquet_files(self.runs_dir), RUNS_SCHEMA, RUNS_UPGRADES)
        if table.num_rows == 0:
            return table
        return table.sort_by([("started_at", "ascending"), ("crawl_id", "ascending")])

    # ------------------------------------------------------------------ writing

    def _new_tables(
        self, rows: Iterable[Mapping[str, Any]], *, ordered: bool
    ) -> Iterator[pa.Table]:
        """This run's rows as tables of the full schema (hashed, checked), sorted by id.

        ``ordered``: the rows come in id order; they are converted a chunk at a time and
        streamed. Otherwise they are all converted, then sorted in one table.
        """
        buffer: list[dict[str, Any]] = []
        chunks: list[pa.Table] = []

        def convert() -> pa.Table:
            table = rows_to_table(buffer, PUBLICATIONS_INPUT_SCHEMA)
            buffer.clear()
            hashes = [content_hash(r) for r in table.select(list(CONTENT_FIELDS)).to_pylist()]
            n = table.num_rows
            columns = {name: table.column(name) for name in table.column_names}
            columns["content_hash"] = pa.array(hashes, pa.string())
            for name in ("first_seen_at", "last_seen_at", "crawl_id"):
                columns[name] = pa.nulls(n, PUBLICATIONS_SCHEMA.field(name).type)
            return pa.Table.from_arrays(
                [columns[name] for name in PUBLICATIONS_SCHEMA.names], schema=PUBLICATIONS_SCHEMA
            )

        chunk_rows = ORDERED_CHUNK_ROWS if ordered else INPUT_CHUNK_ROWS
        for row in rows:
            row = dict(row)
            for name in SIGHTING_FIELDS:  # where it was seen: a set, stored sorted
                value = row.get(name)
                if value is not None and isinstance(value, list | tuple):
                    row[name] = sorted(set(value))
            buffer.append(row)
            if len(buffer) >= chunk_rows:
                if ordered:
                    yield convert()
                else:
                    chunks.append(convert())
        if buffer:
            chunks.append(convert())
        if ordered:
            yield from chunks
            return
        if chunks:
            # Sorting copies the rows once; combining the chunks first would copy them twice.
            table = pa.concat_tables(chunks)
            chunks.clear()
            yield table.take(pc.sort_indices(table.column("id")))

    def _ids_sorted(self) -> bool:
        """True when the existing file's ids ascend (read as one narrow column, streamed)."""
        parquet = pq.ParquetFile(
            self.publications_path, pre_buffer=False, buffer_size=READ_BUFFER_BYTES
        )
        with parquet:
            previous: str | None = None
            for batch in parquet.iter_batches(batch_size=MAX_BATCH_ROWS, columns=["id"]):
                ids = batch.column(0)
                if not len(ids):
                    continue
                if not _ascend_after(ids, previous):
                    return False
                previous = ids[-1].as_py()
        return True

    def _existing_sorted(self) -> Iterator[pa.RecordBatch]:
        """The existing rows in stored order, batch by batch (exact current schema only)."""
        # pre_buffer would read row groups ahead (hundreds of MB); a small buffer streams.
        parquet = pq.ParquetFile(
            self.publications_path, pre_buffer=False, buffer_size=READ_BUFFER_BYTES
        )
        with parquet:
            meta = parquet.metadata
            size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
            batch_rows = _batch_rows(meta.num_rows, size)
            yield from parquet.iter_batches(batch_size=batch_rows)

    def _existing_in_memory(self) -> Iterator[pa.RecordBatch]:
        """The existing rows read whole, upgraded and sorted (unsorted or older files)."""
        table, duplicate = _sorted_by_id(read_dataset_table(self.publications_path))
        if duplicate is not None:
            raise DatasetError(
                f"{self.publications_path} holds id {duplicate!r} more than "
                "once; it was not written by regmig. Deduplicate or move it away."
            )
        yield from table.to_batches(max_chunksize=_batch_rows(table.num_rows, table.nbytes))

    def _can_stream(self) -> bool:
        """True when the existing file has exactly the current schema (else read + upgrade)."""
        file_schema = pq.read_schema(self.publications_path)
        return schema_version(file_schema) == SCHEMA_VERSION and file_schema.equals(
            PUBLICATIONS_SCHEMA, check_metadata=False
        )

    def _write_publications(self, tmp: Path, batches: Iterator[pa.Table]) -> None:
        with pq.ParquetWriter(
            tmp,
            PUBLICATIONS_SCHEMA,
            compression=COMPRESSION,
            compression_level=COMPRESSION_LEVEL,
            use_dictionary=DICTIONARY_COLUMNS,
            write_statistics=["id"],
        ) as writer:
            for table in _prefetched(batches):
                writer.write_table(table, row_group_size=max(table.num_rows, 1))

    def commit(
        self, rows: Iterable[Mapping[str, Any]], run: RunInfo, *, ordered: bool = False
    ) -> CommitResult:
        """Merge this run's publication rows into the dataset and record the run.

        ``rows`` carry the ``PUBLICATIONS_INPUT_SCHEMA`` columns (the store fills
        content_hash, first_seen_at, last_seen_at and crawl_id). By id: a new id is added; a
        known id with another content_hash is replaced (first_seen_at kept); a known id with
        the same hash keeps every stored value but last_seen_at (now) and the sorted union of
        listing_urls/alternate_urls; ids not in ``rows`` are kept untouched.

        ``ordered=True`` promises ``rows`` in ascending id order (as ``RunStaging`` gives them
        after ``set_group_order``): they are then merged as they come, so memory stays bounded
        by a few batches however large the run; a row out of order raises ValueError. Without
        it the run's rows are sorted in memory first.

        Nothing is replaced unless the whole new file was written and checked. Raises
        SchemaMismatchError (a row or the existing file does not fit), ValueError (duplicate
        id in ``rows``), DatasetLockedError (another run holds the output).
        """
        with self.lock():
            self.publications_dir.mkdir(parents=True, exist_ok=True)
            self.runs_dir.mkdir(parents=True, exist_ok=True)
            tmp = tmp_path(self.publications_path)
            merger = _Merger(self._new_tables(rows, ordered=ordered), run)
            try:
                if not self.publications_path.exists():
                    existing: Iterable[pa.RecordBatch] = []
                elif self._can_stream() and self._ids_sorted():
                    existing = self._existing_sorted()
                else:
                    if self._can_stream():
                        logger.warning(
                            "%s is not sorted by id; merging in memory", self.publications_path
                        )
                    existing = self._existing_in_memory()
                self._write_publications(tmp, merger.merge(existing))
                if pq.read_metadata(tmp).num_rows != merger.counts["total"] or not (
                    pq.read_schema(tmp).equals(PUBLICATIONS_SCHEMA, check_metadata=False)
                ):
                    raise DatasetError(f"{tmp} does not read back as written; not replacing")
                runs_path = self.runs_dir / f"run-{run.crawl_id}.parquet"
                runs_tmp = tmp_path(runs_path)
                result = CommitResult(**merger.counts)
                pq.write_table(self._run_table(run, result), runs_tmp, compression=COMPRESSION)
                # publications first: a crash between the two leaves the data of this run
                # without its run record, never a run record without its data
                publish(tmp, self.publications_path)
                publish(runs_tmp, runs_path)
            finally:
                tmp.unlink(missing_ok=True)
                tmp_path(self.runs_dir / f"run-{run.crawl_id}.parquet").unlink(missing_ok=True)
        logger.info(
            "Committed %s publications to %s: %s new, %s changed, %s unchanged, %s not seen",
            result.total,
            self.publications_path,
            result.new,
            result.changed,
            result.unchanged,
            result.not_seen,
        )
        return result

    def _run_table(self, run: RunInfo, result: CommitResult) -> pa.Table:
        row = {
            "crawl_id": run.crawl_id,
            "started_at": _to_utc(run.started_at),
            "finished_at": None if run.finished_at is None else _to_utc(run.finished_at),
            "start_url": run.start_url,
            "output": str(self.root),
            "pages_fetched": run.pages_fetched,
            "publications_total": result.total,
            "publications_new": result.new,
            "publications_changed": result.changed,
            "publications_unchanged": result.unchanged,
            "publications_not_seen": result.not_seen,
            "translation_pairs": run.translation_pairs,
            "drops": sorted(dict(run.drops).items()),
            "errors": sorted(dict(run.errors).items()),
            "exit_status": run.exit_status,
            "package_version": run.package_version,
            "schema_version": SCHEMA_VERSION,
            "stats_json": json.dumps(dict(run.stats), sort_keys=True, default=_json_default),
        }
        return conform_table(rows_to_table([row], RUNS_SCHEMA), RUNS_SCHEMA, "run record")
