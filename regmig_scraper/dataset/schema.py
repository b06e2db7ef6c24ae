"""The written-down Parquet schemas of the dataset, row conversion and schema evolution.

Nothing here is inferred from data: ``PUBLICATIONS_SCHEMA`` and ``RUNS_SCHEMA`` are explicit
``pa.schema`` objects carrying ``regmig.schema_version`` in their metadata, and
``rows_to_table`` converts Python rows with them, failing with ``SchemaMismatchError`` (naming
the column and the offending row) instead of coercing a value that does not fit.

``content_hash`` fingerprints what a publication *says* (``CONTENT_FIELDS``), not where or when
it was seen, so that re-crawling an unchanged site changes nothing but ``last_seen_at``.

How a page was read is not what it says: the columns added in version 2 -- ``modified`` (the
page's own "last modified" date), ``authors_raw`` (the byline as shown), ``site`` (the host) and
``provenance`` (field -> the rule that produced it) -- are ``REFRESHED_FIELDS``: left out of the
hash, and taken from this run whenever a publication is seen again unchanged. So the first run
of version 2 over a version-1 dataset reports 0 changed publications (the upgrade adds the four
columns, empty, and keeps every stored hash as it is, since the hash never covered them) and
fills the new columns of every row it sees; a new cascade rule answering for a page, or a site
bumping its modification date without changing the text, is not a change of the publication.

Schema evolution: a file written with an older ``regmig.schema_version`` is upgraded in memory
by the functions in ``PUBLICATIONS_UPGRADES`` (version N -> N + 1) and rewritten on the next
commit; a newer, unknown or missing version, or a column of an incompatible type, is refused.

No settings; pure functions over pyarrow (no Scrapy import).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 2
SCHEMA_VERSION_KEY = b"regmig.schema_version"
_SCHEMA_METADATA = {SCHEMA_VERSION_KEY: str(SCHEMA_VERSION).encode()}

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")
STRING_LIST = pa.list_(pa.string())
COUNTER_MAP = pa.map_(pa.string(), pa.int64())
STRING_MAP = pa.map_(pa.string(), pa.string())

PUBLICATIONS_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),  # publication_id(url): 16 hex chars
        pa.field("url", pa.string(), nullable=False),  # canonical URL
        pa.field("title", pa.string()),
        pa.field("content_type", pa.string()),  # stable code: report, policy_brief, ...
        pa.field("content_type_label", pa.string()),  # as displayed: "Policy Briefs"
        pa.field("language", pa.string()),  # ISO 639-1 or "und"
        pa.field("language_confidence", pa.float64()),
        pa.field("published", pa.date32()),  # first day of the period
        pa.field("date_precision", pa.string()),  # day | month | year | null
        pa.field("date_raw", pa.string()),  # as displayed: "April 2021"
        pa.field("date_flag", pa.string()),  # why no date: unparsed, implausible, ...
        pa.field("posted", pa.date32()),  # event pages: the page's own posted date
        pa.field("modified", pa.date32()),  # v2: the page's last modification date
        pa.field("authors", STRING_LIST),
        pa.field("authors_raw", pa.string()),  # v2: the byline as shown
        pa.field("summary", pa.string()),
        pa.field("body_text", pa.string()),
        pa.field("pdf_urls", STRING_LIST),
        pa.field("program", pa.string()),
        pa.field("site", pa.string()),  # v2: host of the canonical URL
        pa.field("listing_urls", STRING_LIST),  # listing pages it appeared on (sorted)
        pa.field("alternate_urls", STRING_LIST),  # other URLs that led to it (sorted)
        pa.field("translation_urls", STRING_LIST),  # canonical URLs of its translations
        pa.field("page_fetched", pa.bool_()),  # False: known from listings only
        pa.field("provenance", STRING_MAP),  # v2: field -> rule that produced it
        pa.field("content_hash", pa.string()),  # sha256 over CONTENT_FIELDS
        pa.field("first_seen_at", UTC_TIMESTAMP),  # started_at of the first run that saw it
        pa.field("last_seen_at", UTC_TIMESTAMP),  # started_at of the last run that saw it
        pa.field("crawl_id", pa.string()),  # run that first stored its current content
    ],
    metadata=_SCHEMA_METADATA,
)

RUNS_SCHEMA = pa.schema(
    [
        pa.field("crawl_id", pa.string(), nullable=False),
        pa.field("started_at", UTC_TIMESTAMP),
        pa.field("finished_at", UTC_TIMESTAMP),
        pa.field("start_url", pa.string()),
        pa.field("output", pa.string()),
        pa.field("pages_fetched", pa.int64()),
        pa.field("publications_total", pa.int64()),
        pa.field("publications_new", pa.int64()),
        pa.field("publications_changed", pa.int64()),
        pa.field("publications_unchanged", pa.int64()),
        pa.field("publications_not_seen", pa.int64()),
        pa.field("translation_pairs", pa.int64()),
        pa.field("drops", COUNTER_MAP),  # drop reason -> count
        pa.field("errors", COUNTER_MAP),  # error kind -> count
        pa.field("exit_status", pa.int32()),
        pa.field("package_version", pa.string()),
        pa.field("schema_version", pa.int32()),
        pa.field("stats_json", pa.string()),  # the full Scrapy stats, JSON, sorted keys
    ],
    metadata=_SCHEMA_METADATA,
)

# Columns the store fills on commit; the rows handed to it do not carry them.
STORE_FIELDS: tuple[str, ...] = ("content_hash", "first_seen_at", "last_seen_at", "crawl_id")
# Where a publication was seen: merged as a sorted union across runs, never part of the content.
SIGHTING_FIELDS: tuple[str, ...] = ("listing_urls", "alternate_urls")
# How (and when) the page was read, not what it says: not hashed; an unchanged publication
# takes this run's values (see the module docstring). All added in version 2.
REFRESHED_FIELDS: tuple[str, ...] = ("modified", "authors_raw", "site", "provenance")
# What a publication says: a change in any of these is a change of the publication.
CONTENT_FIELDS: tuple[str, ...] = tuple(
    name
    for name in PUBLICATIONS_SCHEMA.names
    if name not in {"id", *STORE_FIELDS, *SIGHTING_FIELDS, *REFRESHED_FIELDS}
)
# The schema of the rows a run hands to ``DatasetStore.commit``.
PUBLICATIONS_INPUT_SCHEMA = pa.schema(
    [field for field in PUBLICATIONS_SCHEMA if field.name not in STORE_FIELDS],
    metadata=_SCHEMA_METADATA,
)

_FLOAT_FIELDS = frozenset(f.name for f in PUBLICATIONS_SCHEMA if pa.types.is_floating(f.type))


class DatasetError(Exception):
    """Base class of the dataset store's errors."""


class SchemaMismatchError(DatasetError, ValueError):
    """Data does not fit the written-down schema (value, column type or schema version)."""


# --------------------------------------------------------------------------- content hash


def _canonical(name: str, value: Any) -> Any:
    """A JSON-ready, type-stable form of one content value."""
    kind = type(value)
    if kind is str or kind is bool or kind is float:  # the common cases first
        return value
    if isinstance(value, dt.date):  # datetime included: isoformat keeps its time
        return value.isoformat()
    if name in _FLOAT_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # 1 and 1.0 are stored alike, so hash alike
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return value
    if isinstance(value, Mapping):
        return {str(k): _canonical(name, v) for k, v in value.items()}
    return [_canonical(name, v) for v in value]  # lists/tuples/arrays, order kept


def content_hash(row: Mapping[str, Any]) -> str:
    """sha256 hex of the canonical JSON of ``row``'s ``CONTENT_FIELDS``.

    Dates are ISO strings, lists keep their order, keys are sorted, and a null value counts as
    absent (so adding a nullable column in a schema upgrade leaves existing hashes unchanged).
    Deterministic: no wall clock, no dict-order dependence.
    """
    content = {
        name: _canonical(name, row[name]) for name in CONTENT_FIELDS if row.get(name) is not None
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- rows -> table

# Values pyarrow would silently coerce (and so lose or invent data) are refused up front:
# (type predicate, accepted-value predicate, what the column expects). pyarrow itself refuses
# the rest (an int in a string column, a str in a bool column, ...).
_STRICT_VALUES: tuple[tuple[Callable[[pa.DataType], bool], Callable[[Any], bool], str], ...] = (
    # date32 takes an int as days since 1970 and truncates a datetime's time of day
    (
        pa.types.is_date,
        lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
        "a datetime.date",
    ),
    # timestamp takes an int as an epoch and reads a naive datetime as UTC
    (
        pa.types.is_timestamp,
        lambda v: isinstance(v, dt.datetime) and v.utcoffset() is not None,
        "a timezone-aware datetime",
    ),
    # list<string> splits a str into characters; sets and dicts have no reliable order
    (pa.types.is_list, lambda v: isinstance(v, list | tuple), "a list"),
    # map<string, string> (provenance): a dict of str -> str, stored in key order
    (
        lambda t: pa.types.is_map(t) and pa.types.is_string(t.item_type),
        lambda v: (
            isinstance(v, Mapping)
            and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items())
        ),
        "a dict of str -> str",
    ),
    # float64 takes True as 1.0
    (
        pa.types.is_floating,
        lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "a float",
    ),
    # int64 truncates 1.5 to 1
    (pa.types.is_integer, lambda v: isinstance(v, int) and not isinstance(v, bool), "an int"),
    # string takes bytes
    (pa.types.is_string, lambda v: isinstance(v, str), "a str"),
)


def _row_label(row: Mapping[str, Any]) -> str:
    """How an error message names a row: its id and url, whichever it has."""
    parts = [f"{k}={row[k]!r}" for k in ("id", "url", "crawl_id") if row.get(k) is not None]
    return ", ".join(parts) or "row without id/url"


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _column_array(
    field: pa.Field, rows: Sequence[Mapping[str, Any]], values: list[Any]
) -> pa.Array:
    for type_pred, accepted, expected in _STRICT_VALUES:
        if type_pred(field.type):
            for row, value in zip(rows, values, strict=True):
                if value is not None and not accepted(value):
                    raise SchemaMismatchError(
                        f"column {field.name!r} ({field.type}) expects {expected}, got "
                        f"{type(value).__name__} {_short(value)} in row {_row_label(row)}"
                    )
    if pa.types.is_map(field.type):
        values = [_stored(field, value) for value in values]
    try:
        array = pa.array(values, type=field.type, from_pandas=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as exc:
        for row, value in zip(rows, values, strict=True):  # find the offending row
            try:
                pa.array([value], type=field.type)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
                raise SchemaMismatchError(
                    f"column {field.name!r} ({field.type}) cannot hold "
                    f"{type(value).__name__} {_short(value)} in row {_row_label(row)}"
                ) from exc
        raise SchemaMismatchError(f"column {field.name!r} ({field.type}): {exc}") from exc
    if not field.nullable and array.null_count:
        row = next(r for r, v in zip(rows, values, strict=True) if v is None)
        raise SchemaMismatchError(
            f"column {field.name!r} must not be null, missing in row {_row_label(row)}"
        )
    return array


def _stored(field: pa.Field, value: Any) -> Any:
    """A map column's dict as pyarrow takes it: its items, sorted by key (a stable order)."""
    if isinstance(value, Mapping) and pa.types.is_map(field.type):
        return sorted(value.items())
    return value


def rows_to_table(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """Build a table of ``schema`` from ``rows``; never infer, never silently coerce.

    A missing key is null; an unknown key, a value that does not fit its column, or a null in a
    non-nullable column raises ``SchemaMismatchError`` naming the column and the row (id/url).
    """
    rows = list(rows)
    names = set(schema.names)
    for row in rows:
        unknown = row.keys() - names
        if unknown:
            raise SchemaMismatchError(
                f"unknown column(s) {sorted(unknown)} in row {_row_label(row)}; "
                f"the schema has {schema.names}"
            )
    arrays = [_column_array(field, rows, [row.get(field.name) for row in rows]) for field in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


# --------------------------------------------------------------------------- evolution


def _v0_to_v1(table: pa.Table) -> pa.Table:
    """Version 0 had no ``date_flag`` and no ``posted`` column: add them, empty."""
    for name, after in (("date_flag", "date_raw"), ("posted", "date_flag")):
        if name not in table.column_names:
            index = table.column_names.index(after) + 1
            field = PUBLICATIONS_SCHEMA.field(name)
            table = table.add_column(index, field, pa.nulls(table.num_rows, field.type))
    return table


def _v1_to_v2(table: pa.Table) -> pa.Table:
    """Version 2 adds ``modified``, ``authors_raw``, ``site`` and ``provenance``: empty here.

    The stored ``content_hash`` values stay valid: the hash never covers these columns
    (``REFRESHED_FIELDS``), so the next run fills them without counting a row as changed.
    """
    for name in REFRESHED_FIELDS:
        if name not in table.column_names:
            index = PUBLICATIONS_SCHEMA.names.index(name)
            field = PUBLICATIONS_SCHEMA.field(name)
            table = table.add_column(
                min(index, table.num_columns), field, pa.nulls(table.num_rows, field.type)
            )
    return table


def _runs_unchanged(table: pa.Table) -> pa.Table:
    """The runs table has the same columns in version 2 as in version 1."""
    return table


# version N -> function turning a version-N table into a version-N+1 table
PUBLICATIONS_UPGRADES: dict[int, Callable[[pa.Table], pa.Table]] = {0: _v0_to_v1, 1: _v1_to_v2}
RUNS_UPGRADES: dict[int, Callable[[pa.Table], pa.Table]] = {1: _runs_unchanged}


def schema_version(schema: pa.Schema) -> int | None:
    """The ``regmig.schema_version`` of a schema, None if absent or not an integer."""
    raw = (schema.metadata or {}).get(SCHEMA_VERSION_KEY)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def check_version(version: int | None, upgrades: Mapping[int, Any], where: object) -> None:
    """Refuse a version this code cannot read (newer, missing, or without an upgrade path)."""
    if version is None:
        raise SchemaMismatchError(
            f"{where}: no readable {SCHEMA_VERSION_KEY.decode()} in the Parquet metadata; "
            "it was not written by regmig (or was rewritten by another tool). Move it away "
            "or restore a file written by regmig."
        )
    if version > SCHEMA_VERSION:
        raise SchemaMismatchError(
            f"{where}: schema version {version} is newer than this regmig's "
            f"({SCHEMA_VERSION}); upgrade regmig-scraper to read or extend this dataset"
        )
    missing = [v for v in range(version, SCHEMA_VERSION) if v not in upgrades]
    if missing:
        raise SchemaMismatchError(
            f"{where}: schema version {version} cannot be upgraded to {SCHEMA_VERSION} "
            f"(no upgrade from version(s) {missing})"
        )


def _compatible(actual: pa.DataType, expected: pa.DataType) -> bool:
    """Types that hold the same values in another physical layout (e.g. from other writers)."""
    if actual.equals(expected):
        return True
    families: tuple[Callable[[pa.DataType], bool], ...] = (
        lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
        lambda t: pa.types.is_date(t),
        lambda t: pa.types.is_timestamp(t) and t.tz in ("UTC", "+00:00", "Etc/UTC"),
    )
    if any(family(actual) and family(expected) for family in families):
        return True
    if pa.types.is_list(expected) and (pa.types.is_list(actual) or pa.types.is_large_list(actual)):
        return _compatible(actual.value_type, expected.value_type)
    if pa.types.is_map(expected) and pa.types.is_map(actual):
        return _compatible(actual.key_type, expected.key_type) and _compatible(
            actual.item_type, expected.item_type
        )
    return False


def conform_table(table: pa.Table, schema: pa.Schema, where: object = "table") -> pa.Table:
    """``table`` with exactly ``schema`` (column order, types, metadata), or SchemaMismatchError.

    Columns may come in another order and in a compatible physical type (large_string for
    string, ...); a missing, extra or incompatible column, or a null where none is allowed, is
    refused: data of two shapes is never silently mixed.
    """
    missing = [n for n in schema.names if n not in table.column_names]
    extra = [n for n in table.column_names if n not in schema.names]
    if missing or extra:
        raise SchemaMismatchError(
            f"{where}: columns do not match the schema (missing {missing}, unexpected {extra})"
        )
    arrays = []
    for field in schema:
        column = table.column(field.name)
        if not _compatible(column.type, field.type):
            raise SchemaMismatchError(
                f"{where}: column {field.name!r} has type {column.type}, expected {field.type}"
            )
        if not column.type.equals(field.type):
            column = column.cast(field.type)
        if not field.nullable and column.null_count:
            raise SchemaMismatchError(
                f"{where}: column {field.name!r} has {column.null_count} null value(s)"
            )
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=schema)


def read_dataset_table(
    path: Path | str,
    *,
    schema: pa.Schema = PUBLICATIONS_SCHEMA,
    upgrades: Mapping[int, Callable[[pa.Table], pa.Table]] = PUBLICATIONS_UPGRADES,
) -> pa.Table:
    """Read one Parquet file of this dataset, upgraded in memory to the current schema.

    Same version: checked and returned. Older with an upgrade path: upgraded (the next commit
    rewrites it). Newer, unknown or missing version, or an incompatible column type:
    ``SchemaMismatchError``.
    """
    path = Path(path)
    file_schema = pq.read_schema(path)
    version = schema_version(file_schema)
    check_version(version, upgrades, path)
    table = pq.read_table(path)
    assert version is not None  # checked above
    for v in range(version, SCHEMA_VERSION):
        logger.info("Upgrading %s from schema version %s to %s", path, v, v + 1)
        table = upgrades[v](table)
    return conform_table(table, schema, path)
