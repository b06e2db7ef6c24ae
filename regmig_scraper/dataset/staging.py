"""Per-run staging of publication sightings on disk, grouped by publication at the end.

Every ``PublicationRecord`` a run produces (a listing teaser or a publication page) is stored
in a throw-away SQLite file, ``OUTPUT/.staging-<crawl_id>.sqlite``, so memory stays flat however
large the site grows. When the crawl is over, ``groups()`` streams the sightings back grouped
by publication:

- a ``page`` record defines the canonical key ``K = url_key(url)`` and claims the aliases
  ``url_key(a)`` for ``a`` in ``[request_url, *alternate_urls]``;
- a ``listing`` record's key is ``url_key(url)``, resolved through those aliases to ``K`` when a
  page claimed it (pages may arrive before or after the listings that link to them);
- an alias claimed by several pages goes to its own page if it is one, else to the smallest
  key, whatever the crawl order.

Records are serialized losslessly with pickle (the file is private to the run and deleted on
``close()``). Writes are batched (``executemany``) with WAL and ``synchronous=OFF``: durability
is pointless for a file that a crashed run's successor deletes anyway.

No settings; no Scrapy import. ``url_key`` comes from ``regmig_scraper.normalize.urls`` unless a
``key_func`` is given.
"""

from __future__ import annotations

import functools
import logging
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from regmig_scraper.record import SOURCE_LISTING, SOURCE_PAGE

logger = logging.getLogger(__name__)

# Order of the sources inside a group: the page first, then the listing teasers.
_SOURCE_RANK = {SOURCE_PAGE: 0, SOURCE_LISTING: 1}
# Alias priorities: a page's own canonical key beats any other page's claim on it.
_PRIORITY_SELF = 0
_PRIORITY_ALIAS = 1

_FLUSH_EVERY = 2_000  # records buffered in memory before one executemany
_URL_KEY_CACHE = 4_096  # listing URLs repeat across blocks and pager pages
_PICKLE_PROTOCOL = 5

_DDL = """
CREATE TABLE records (
    seq INTEGER PRIMARY KEY,
    raw_key TEXT NOT NULL,
    source_rank INTEGER NOT NULL,
    listing_url TEXT,
    block TEXT,
    position INTEGER,
    url TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE aliases (
    alias TEXT NOT NULL,
    priority INTEGER NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (alias, priority, key)
) WITHOUT ROWID;
CREATE TABLE pages (
    key TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (key, url)
) WITHOUT ROWID;
CREATE TABLE group_order (
    key TEXT PRIMARY KEY,
    sort_key TEXT NOT NULL
) WITHOUT ROWID;
"""

# The winning claim on each alias.
_RESOLVED = """
SELECT alias, key FROM (
    SELECT alias, key,
           ROW_NUMBER() OVER (PARTITION BY alias ORDER BY priority, key) AS rank
    FROM aliases
) WHERE rank = 1
"""

_KEYED = f"""
SELECT COALESCE(resolved.key, records.raw_key) AS group_key, records.*
FROM records LEFT JOIN ({_RESOLVED}) AS resolved ON resolved.alias = records.raw_key
"""
_WITHIN_GROUP = "source_rank, listing_url, block, position, url, seq"
_GROUPED = f"SELECT group_key, data FROM ({_KEYED}) ORDER BY group_key, {_WITHIN_GROUP}"
# The same, groups in the order ``set_group_order`` gave (groups without one first).
_GROUPED_IN_ORDER = f"""
SELECT keyed.group_key, keyed.data
FROM ({_KEYED}) AS keyed LEFT JOIN group_order ON group_order.key = keyed.group_key
ORDER BY group_order.sort_key, keyed.group_key, {_WITHIN_GROUP}
"""


def _default_key_func() -> Callable[[str], str]:
    from regmig_scraper.normalize.urls import url_key  # imported late: a sibling module

    return url_key


def _sort_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _sort_int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


class RunStaging:
    """Sightings of one run, on disk, streamed back grouped by publication.

    ``RunStaging(path)`` creates (or truncates) the SQLite file; ``close()`` deletes it. Use it
    as a context manager. Use it from one thread at a time: the store's merge thread reads
    ``groups()`` while the crawl thread waits for the commit.
    """

    def __init__(self, path: Path | str, *, key_func: Callable[[str], str] | None = None) -> None:
        self.path = Path(path)
        self._key_func = functools.lru_cache(maxsize=_URL_KEY_CACHE)(
            key_func or _default_key_func()
        )
        self._remove_files()  # a leftover of a killed run with the same crawl id
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=OFF")
        self._conn.execute("PRAGMA temp_store=FILE")  # big sorts spill to disk, not RAM
        self._conn.executescript(_DDL)
        self._records: list[tuple[Any, ...]] = []
        self._aliases: list[tuple[str, int, str]] = []
        self._pages: list[tuple[str, str]] = []
        self._count = 0

    # ------------------------------------------------------------------ writing

    def _url_key(self, url: str) -> str:
        """``url_key(url)``; a URL it cannot parse (``http://[::1``) is its own key."""
        try:
            return self._key_func(url)
        except ValueError:
            logger.debug("Unparsable URL %r kept as its own key", url)
            return url.strip()

    def add(self, record: Mapping[str, Any]) -> None:
        """Stage one normalized record (a plain dict of a ``PublicationRecord``).

        Raises ValueError if the record has no ``url`` or an unknown ``source``.
        """
        url = record.get("url")
        source = record.get("source")
        if not url or not isinstance(url, str):
            raise ValueError(f"staged record has no url: {dict(record)!r:.200}")
        if source not in _SOURCE_RANK:
            raise ValueError(f"staged record has source {source!r}, expected page or listing")
        key = self._url_key(url)
        if source == SOURCE_PAGE:
            self._pages.append((key, url))
            self._aliases.append((key, _PRIORITY_SELF, key))
            others = [record.get("request_url"), *(record.get("alternate_urls") or ())]
            for other in others:
                if other and isinstance(other, str):
                    alias = self._url_key(other)
                    if alias != key:
                        self._aliases.append((alias, _PRIORITY_ALIAS, key))
        self._records.append(
            (
                key,
                _SOURCE_RANK[source],
                _sort_text(record.get("listing_url")),
                _sort_text(record.get("block")),
                _sort_int(record.get("position")),
                url,
                pickle.dumps(dict(record), protocol=_PICKLE_PROTOCOL),
            )
        )
        self._count += 1
        if len(self._records) >= _FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        conn = self._connection()
        if not (self._records or self._aliases or self._pages):
            return
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO records (raw_key, source_rank, listing_url, block, position, url, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            self._records,
        )
        conn.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?, ?)", self._aliases)
        conn.executemany("INSERT OR IGNORE INTO pages VALUES (?, ?)", self._pages)
        conn.execute("COMMIT")
        self._records.clear()
        self._aliases.clear()
        self._pages.clear()

    # ------------------------------------------------------------------ reading

    def count(self) -> int:
        """Number of records staged so far."""
        return self._count

    def set_group_order(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Give groups a sort key (``(group key, sort key)`` pairs) for ``groups(ordered=True)``.

        The dataset store merges rows sorted by publication id: a first pass over ``groups()``
        records each group's id here, so that the second pass streams them in id order
        instead of sorting a whole run's rows in memory.
        """
        conn = self._connection()
        conn.execute("BEGIN")
        conn.executemany("INSERT OR REPLACE INTO group_order VALUES (?, ?)", pairs)
        conn.execute("COMMIT")

    def groups(self, *, ordered: bool = False) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """Yield ``(key, records)`` per publication, streamed from disk.

        Groups come by key, or with ``ordered`` by the sort keys ``set_group_order`` gave
        (then by key; groups without a sort key first). Inside a group: pages first (by url),
        then listings by (listing_url, block, position, insertion order). Only one group is
        held in memory at a time.
        """
        self._flush()
        cursor = self._connection().execute(_GROUPED_IN_ORDER if ordered else _GROUPED)
        current: str | None = None
        group: list[dict[str, Any]] = []
        while batch := cursor.fetchmany(1_000):
            for key, data in batch:
                if key != current:
                    if current is not None:
                        yield current, group
                    current, group = key, []
                group.append(pickle.loads(data))
        if current is not None:
            yield current, group

    def resolve_key(self, url: str) -> str | None:
        """The group key of the publication ``url`` (or an alias of it) belongs to, if any."""
        self._flush()
        row = (
            self._connection()
            .execute(
                "SELECT key FROM aliases WHERE alias = ? ORDER BY priority, key LIMIT 1",
                (self._url_key(url),),
            )
            .fetchone()
        )
        return None if row is None else row[0]

    def resolve(self, url: str) -> str | None:
        """The canonical URL (the page record's ``url``) for any URL or alias of a fetched page.

        None when no page record claimed it. Used to rewrite ``translation_urls``.
        """
        if not url:
            return None
        key = self.resolve_key(url)
        if key is None:
            return None
        row = self._connection().execute("SELECT min(url) FROM pages WHERE key = ?", (key,))
        return row.fetchone()[0]

    # ------------------------------------------------------------------ lifecycle

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"staging {self.path} is closed")
        return self._conn

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        """Close and delete the staging file (idempotent)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._records.clear()
        self._remove_files()

    def __enter__(self) -> RunStaging:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<RunStaging {self.path} records={self._count}>"
