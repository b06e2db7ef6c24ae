"""The written-down schemas, content_hash, rows_to_table and schema evolution."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regmig_scraper.dataset.schema import (
    CONTENT_FIELDS,
    PUBLICATIONS_INPUT_SCHEMA,
    PUBLICATIONS_SCHEMA,
    PUBLICATIONS_UPGRADES,
    RUNS_SCHEMA,
    SCHEMA_VERSION,
    SchemaMismatchError,
    content_hash,
    read_dataset_table,
    rows_to_table,
)
from tests._dataset_helpers import AUTHORS, REPORT_EN, REPORT_ES, make_row, utc

TS = pa.timestamp("us", tz="UTC")
STRINGS = pa.list_(pa.string())

# The contract, as written in the brief (not copied from the code).
EXPECTED_PUBLICATION_COLUMNS = [
    ("id", pa.string(), False),
    ("url", pa.string(), False),
    ("title", pa.string(), True),
    ("content_type", pa.string(), True),
    ("content_type_label", pa.string(), True),
    ("language", pa.string(), True),
    ("language_confidence", pa.float64(), True),
    ("published", pa.date32(), True),
    ("date_precision", pa.string(), True),
    ("date_raw", pa.string(), True),
    ("date_flag", pa.string(), True),
    ("posted", pa.date32(), True),
    ("modified", pa.date32(), True),
    ("authors", STRINGS, True),
    ("authors_raw", pa.string(), True),
    ("summary", pa.string(), True),
    ("body_text", pa.string(), True),
    ("pdf_urls", STRINGS, True),
    ("program", pa.string(), True),
    ("site", pa.string(), True),
    ("listing_urls", STRINGS, True),
    ("alternate_urls", STRINGS, True),
    ("translation_urls", STRINGS, True),
    ("page_fetched", pa.bool_(), True),
    ("provenance", pa.map_(pa.string(), pa.string()), True),
    ("content_hash", pa.string(), True),
    ("first_seen_at", TS, True),
    ("last_seen_at", TS, True),
    ("crawl_id", pa.string(), True),
]
COUNTS = pa.map_(pa.string(), pa.int64())
EXPECTED_RUN_COLUMNS = [
    ("crawl_id", pa.string()),
    ("started_at", TS),
    ("finished_at", TS),
    ("start_url", pa.string()),
    ("output", pa.string()),
    ("pages_fetched", pa.int64()),
    ("publications_total", pa.int64()),
    ("publications_new", pa.int64()),
    ("publications_changed", pa.int64()),
    ("publications_unchanged", pa.int64()),
    ("publications_not_seen", pa.int64()),
    ("translation_pairs", pa.int64()),
    ("drops", COUNTS),
    ("errors", COUNTS),
    ("exit_status", pa.int32()),
    ("package_version", pa.string()),
    ("schema_version", pa.int32()),
    ("stats_json", pa.string()),
]


# --------------------------------------------------------------------------- schemas


def test_publications_schema_columns_types_and_order() -> None:
    actual = [(f.name, f.type, f.nullable) for f in PUBLICATIONS_SCHEMA]
    assert actual == EXPECTED_PUBLICATION_COLUMNS


def test_runs_schema_columns_types_and_order() -> None:
    assert [(f.name, f.type) for f in RUNS_SCHEMA] == EXPECTED_RUN_COLUMNS


@pytest.mark.parametrize("schema", [PUBLICATIONS_SCHEMA, RUNS_SCHEMA])
def test_schemas_carry_their_version(schema: pa.Schema) -> None:
    assert SCHEMA_VERSION == 2
    assert schema.metadata == {b"regmig.schema_version": b"2"}


def test_content_fields_are_everything_but_identity_and_sightings() -> None:
    not_content = {
        "id",
        "content_hash",
        "first_seen_at",
        "last_seen_at",
        "crawl_id",
        "listing_urls",
        "alternate_urls",
        # how the page was read (version 2): not hashed, refreshed on every sighting
        "modified",
        "authors_raw",
        "site",
        "provenance",
    }
    assert set(CONTENT_FIELDS) == set(PUBLICATIONS_SCHEMA.names) - not_content
    assert "title" in CONTENT_FIELDS and "translation_urls" in CONTENT_FIELDS


def test_input_schema_lacks_the_store_filled_columns() -> None:
    store_filled = {"content_hash", "first_seen_at", "last_seen_at", "crawl_id"}
    assert set(PUBLICATIONS_INPUT_SCHEMA.names) == set(PUBLICATIONS_SCHEMA.names) - store_filled


# --------------------------------------------------------------------------- content_hash


def test_content_hash_is_sha256_of_sorted_compact_json_without_nulls() -> None:
    row = {"url": REPORT_EN, "title": "Título", "published": dt.date(2021, 4, 1), "summary": None}
    text = (
        '{"published":"2021-04-01","title":"Título","url":"' + REPORT_EN + '"}'
    )  # written by hand: sorted keys, ISO date, UTF-8, no null
    assert content_hash(row) == hashlib.sha256(text.encode()).hexdigest()


def test_content_hash_is_deterministic_and_independent_of_key_order() -> None:
    row = make_row(REPORT_EN)
    reordered = dict(reversed(list(row.items())))
    assert content_hash(row) == content_hash(reordered) == content_hash(make_row(REPORT_EN))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", REPORT_ES),
        ("title", "Sentando las bases para una cooperación regional"),
        ("content_type", "policy_brief"),
        ("content_type_label", "Policy Briefs"),
        ("language", "es"),
        ("language_confidence", 0.5),
        ("published", dt.date(2021, 4, 2)),
        ("date_precision", "day"),
        ("date_raw", "April 2, 2021"),
        ("date_flag", "implausible"),
        ("posted", dt.date(2021, 4, 1)),
        ("authors", ["Andrew Selee"]),
        ("authors", list(reversed(AUTHORS))),
        ("summary", "Another summary."),
        ("body_text", "Another body."),
        ("pdf_urls", []),
        ("program", "Another program"),
        ("translation_urls", [REPORT_ES]),
        ("page_fetched", False),
    ],
)
def test_content_hash_changes_with_every_content_field(field: str, value: object) -> None:
    row = make_row(REPORT_EN)
    assert content_hash({**row, field: value}) != content_hash(row)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "0123456789abcdef"),
        ("listing_urls", ["https://www.migrationpolicy.org/programs/regional-migration?page=1"]),
        ("alternate_urls", [REPORT_EN + "?utm_source=twitter"]),
        ("crawl_id", "another-run"),
        ("first_seen_at", utc(2030, 1, 1)),
        ("last_seen_at", utc(2030, 1, 1)),
        ("content_hash", "x"),
    ],
)
def test_content_hash_ignores_identity_and_where_it_was_seen(field: str, value: object) -> None:
    row = make_row(REPORT_EN)
    assert content_hash({**row, field: value}) == content_hash(row)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"summary": None}, {}),  # null is absent
        ({"language_confidence": 1}, {"language_confidence": 1.0}),  # stored alike
        ({"authors": ("A", "B")}, {"authors": ["A", "B"]}),
    ],
)
def test_content_hash_equal_for_equal_stored_values(a: dict, b: dict) -> None:
    base = {"url": REPORT_EN}
    assert content_hash({**base, **a}) == content_hash({**base, **b})


def test_content_hash_keeps_list_order_and_empty_list_differs_from_null() -> None:
    assert content_hash({"url": "u", "authors": ["A", "B"]}) != content_hash(
        {"url": "u", "authors": ["B", "A"]}
    )
    assert content_hash({"url": "u", "pdf_urls": []}) != content_hash({"url": "u"})


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(),
    authors=st.lists(st.text(), max_size=5),
    confidence=st.floats(allow_nan=True),
)
def test_content_hash_never_raises_on_arbitrary_unicode(
    title: str, authors: list[str], confidence: float
) -> None:
    digest = content_hash({"url": "u", "title": title, "authors": authors,
                           "language_confidence": confidence})  # fmt: skip
    assert len(digest) == 64 and int(digest, 16) >= 0


# --------------------------------------------------------------------------- rows_to_table


def test_rows_to_table_uses_the_schema_and_fills_missing_with_null() -> None:
    table = rows_to_table([{"id": "a", "url": "https://x/a"}], PUBLICATIONS_SCHEMA)
    assert table.schema.equals(PUBLICATIONS_SCHEMA, check_metadata=True)
    row = table.to_pylist()[0]
    assert row["title"] is None and row["authors"] is None and row["published"] is None


def test_rows_to_table_empty_keeps_schema() -> None:
    table = rows_to_table([], RUNS_SCHEMA)
    assert table.num_rows == 0 and table.schema.equals(RUNS_SCHEMA)


def test_rows_to_table_keeps_python_types() -> None:
    row = make_row(REPORT_EN, posted=dt.date(2021, 3, 31), date_flag="unparsed")
    back = rows_to_table([row], PUBLICATIONS_INPUT_SCHEMA).to_pylist()[0]
    assert back == row


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("title", 1),
        ("title", ["a list"]),
        ("published", "2021-04-01"),
        ("published", dt.datetime(2021, 4, 1, 12, 30)),  # would lose its time silently
        ("posted", 20210401),
        ("authors", "Andrew Selee, Jessica Bolter"),  # would be split into characters
        ("authors", {"Andrew Selee"}),  # no order
        ("authors", [1, 2]),
        ("pdf_urls", {"a": "b"}),
        ("language_confidence", "high"),
        ("language_confidence", True),  # would become 1.0
        ("page_fetched", "yes"),
        ("page_fetched", 1),
        ("url", None),  # not nullable
        ("id", None),
    ],
)
def test_rows_to_table_refuses_what_does_not_fit(column: str, value: object) -> None:
    rows = [make_row(REPORT_ES), make_row(REPORT_EN, **{column: value})]
    with pytest.raises(SchemaMismatchError) as info:
        rows_to_table(rows, PUBLICATIONS_INPUT_SCHEMA)
    message = str(info.value)
    assert repr(column) in message
    bad = rows[1]  # named by whichever of id and url it has
    assert (bad["id"] or bad["url"]) in message and rows[0]["id"] not in message


def test_rows_to_table_names_the_row_by_id_and_url() -> None:
    bad = make_row(REPORT_EN, title=3)
    with pytest.raises(SchemaMismatchError, match=bad["id"]) as info:
        rows_to_table([bad], PUBLICATIONS_INPUT_SCHEMA)
    assert REPORT_EN in str(info.value)


def test_rows_to_table_refuses_unknown_columns_by_name() -> None:
    with pytest.raises(SchemaMismatchError, match=r"unknown column.*'titel'"):
        rows_to_table([make_row(REPORT_EN, titel="typo")], PUBLICATIONS_INPUT_SCHEMA)


def test_rows_to_table_refuses_store_columns_in_run_rows() -> None:
    with pytest.raises(SchemaMismatchError, match="content_hash"):
        rows_to_table([make_row(REPORT_EN, content_hash="x")], PUBLICATIONS_INPUT_SCHEMA)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("pages_fetched", 1.5),  # would be truncated to 1
        ("started_at", dt.datetime(2024, 1, 1)),  # naive: which zone?
        ("drops", {"duplicate": "three"}),
        ("exit_status", "0"),
    ],
)
def test_run_rows_refuse_what_does_not_fit(column: str, value: object) -> None:
    with pytest.raises(SchemaMismatchError, match=repr(column)):
        rows_to_table([{"crawl_id": "c1", column: value}], RUNS_SCHEMA)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5), st.text())
def test_rows_to_table_round_trips_arbitrary_unicode(authors: list[str], title: str) -> None:
    row = {"id": "a", "url": "https://x/a", "title": title, "authors": authors}
    back = rows_to_table([row], PUBLICATIONS_SCHEMA).to_pylist()[0]
    assert back["title"] == title and back["authors"] == authors


# --------------------------------------------------------------------------- evolution


def _full_table(n: int = 3) -> pa.Table:
    rows = []
    for i in range(n):
        row = make_row(f"{REPORT_EN}-{i}", date_flag="unparsed", posted=dt.date(2020, 1, i + 1))
        row.update(content_hash=f"h{i}", first_seen_at=utc(2024, 1, 1), crawl_id="c0")
        row["last_seen_at"] = utc(2024, 1, 2)
        rows.append(row)
    return rows_to_table(rows, PUBLICATIONS_SCHEMA)


def _write(table: pa.Table, path: Path, version: bytes | None) -> Path:
    metadata = {} if version is None else {b"regmig.schema_version": version}
    pq.write_table(table.replace_schema_metadata(metadata), path)
    return path


def test_read_current_version(tmp_path: Path) -> None:
    table = _full_table()
    back = read_dataset_table(_write(table, tmp_path / "p.parquet", b"2"))
    assert back.equals(table) and back.schema.metadata == PUBLICATIONS_SCHEMA.metadata


def test_version_0_file_is_upgraded_in_memory(tmp_path: Path) -> None:
    v0 = _full_table().drop_columns(["date_flag", "posted"])
    path = _write(v0, tmp_path / "p.parquet", b"0")
    back = read_dataset_table(path)
    assert back.schema.equals(PUBLICATIONS_SCHEMA, check_metadata=True)
    assert back.column("date_flag").null_count == back.num_rows == 3
    assert back.column("posted").type == pa.date32()
    assert back.column("title").to_pylist() == v0.column("title").to_pylist()
    assert back.column("published").to_pylist() == [dt.date(2021, 4, 1)] * 3
    assert pq.read_schema(path).metadata[b"regmig.schema_version"] == b"0"  # not rewritten


def test_upgrade_registry_covers_every_older_version() -> None:
    assert set(PUBLICATIONS_UPGRADES) == set(range(SCHEMA_VERSION))


def test_upgrade_keeps_content_hash_of_rows_without_the_new_columns() -> None:
    row = make_row(REPORT_EN)
    old_row = {k: v for k, v in row.items() if k not in ("date_flag", "posted")}
    assert content_hash(old_row) == content_hash({**old_row, "date_flag": None, "posted": None})


def test_version_1_file_gets_the_version_2_columns_empty(tmp_path: Path) -> None:
    v1 = _full_table().drop_columns(["modified", "authors_raw", "site", "provenance"])
    back = read_dataset_table(_write(v1, tmp_path / "p.parquet", b"1"))
    assert back.schema.equals(PUBLICATIONS_SCHEMA, check_metadata=True)
    for name in ("modified", "authors_raw", "site", "provenance"):
        assert back.column(name).null_count == back.num_rows
    assert back.column("content_hash").to_pylist() == v1.column("content_hash").to_pylist()


def test_content_hash_ignores_how_the_page_was_read() -> None:
    row = make_row(REPORT_EN)
    read = {
        "modified": dt.date(2024, 5, 4),
        "authors_raw": "By A and B",
        "site": "www.migrationpolicy.org",
        "provenance": {"title": "mpi", "published": "generic:jsonld"},
    }
    assert content_hash(row) == content_hash({**row, **read})


def test_provenance_map_round_trips_sorted_by_field() -> None:
    row = {"id": "a", "url": "https://x/a", "provenance": {"title": "mpi", "authors": "mpi"}}
    back = rows_to_table([row], PUBLICATIONS_SCHEMA).to_pylist()[0]
    assert back["provenance"] == [("authors", "mpi"), ("title", "mpi")]


def test_provenance_must_map_strings_to_strings() -> None:
    row = {"id": "a", "url": "https://x/a", "provenance": {"title": 1}}
    with pytest.raises(SchemaMismatchError, match="provenance"):
        rows_to_table([row], PUBLICATIONS_SCHEMA)


def test_newer_version_is_refused(tmp_path: Path) -> None:
    path = _write(_full_table(), tmp_path / "p.parquet", b"3")
    with pytest.raises(SchemaMismatchError, match=r"version 3 is newer"):
        read_dataset_table(path)


@pytest.mark.parametrize("version", [None, b"one", b""])
def test_missing_or_unreadable_version_is_refused(tmp_path: Path, version: bytes | None) -> None:
    path = _write(_full_table(), tmp_path / "p.parquet", version)
    with pytest.raises(SchemaMismatchError, match=r"regmig\.schema_version"):
        read_dataset_table(path)


def test_incompatible_column_type_is_refused_by_name(tmp_path: Path) -> None:
    table = _full_table()
    index = table.schema.get_field_index("published")
    table = table.set_column(index, "published", pa.array(["2021-04-01"] * 3))
    path = _write(table, tmp_path / "p.parquet", b"1")
    with pytest.raises(SchemaMismatchError, match=r"'published' has type string, expected date32"):
        read_dataset_table(path)


@pytest.mark.parametrize(
    ("drop", "add"),
    [(["posted"], []), ([], [("extra", pa.array([1, 2, 3]))])],
)
def test_missing_or_extra_column_is_refused(tmp_path: Path, drop: list, add: list) -> None:
    table = _full_table().drop_columns(drop)
    for name, values in add:
        table = table.append_column(name, values)
    path = _write(table, tmp_path / "p.parquet", b"1")
    with pytest.raises(SchemaMismatchError, match="columns do not match"):
        read_dataset_table(path)


def test_compatible_physical_types_are_accepted(tmp_path: Path) -> None:
    table = _full_table()
    for name in ("title", "summary"):  # e.g. written by another tool with large_string
        index = table.schema.get_field_index(name)
        table = table.set_column(index, name, table.column(name).cast(pa.large_string()))
    shuffled = table.select(list(reversed(table.column_names)))
    back = read_dataset_table(_write(shuffled, tmp_path / "p.parquet", b"1"))
    assert back.equals(_full_table())


def test_null_id_in_a_file_is_refused(tmp_path: Path) -> None:
    table = _full_table()
    nullable = pa.schema([f.with_nullable(True) for f in table.schema])
    table = table.cast(nullable)
    index = table.schema.get_field_index("id")
    table = table.set_column(index, nullable.field("id"), pa.array(["a", None, "c"]))
    path = _write(table, tmp_path / "p.parquet", b"1")
    with pytest.raises(SchemaMismatchError, match=r"'id' has 1 null"):
        read_dataset_table(path)


def test_canonical_json_of_dates_and_lists() -> None:
    row = {"url": "u", "posted": dt.date(2020, 2, 29), "pdf_urls": ["b", "a"]}
    expected = json.dumps(
        {"pdf_urls": ["b", "a"], "posted": "2020-02-29", "url": "u"},
        separators=(",", ":"),
    )
    assert content_hash(row) == hashlib.sha256(expected.encode()).hexdigest()
