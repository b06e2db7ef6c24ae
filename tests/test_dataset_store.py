"""DatasetStore: layout, round trip through pandas/pyarrow/DuckDB, merge rules, crash safety."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from regmig_scraper.dataset import store as store_module
from regmig_scraper.dataset.schema import (
    PUBLICATIONS_SCHEMA,
    DatasetError,
    SchemaMismatchError,
    content_hash,
    rows_to_table,
)
from regmig_scraper.dataset.store import (
    CommitResult,
    DatasetLockedError,
    DatasetStore,
    RunInfo,
)
from regmig_scraper.status import EXIT_LOCKED
from tests._dataset_helpers import (
    PROGRAM,
    REPORT_EN,
    REPORT_ES,
    SITE,
    make_row,
    utc,
)
from tests.helpers import SNAPSHOT, run_regmig

HELPER = Path(__file__).with_name("_dataset_helpers.py")
JAN, FEB, MAR = utc(2024, 1, 1, 9, 30), utc(2024, 2, 1, 9, 30), utc(2024, 3, 1, 9, 30)
TAB0 = f"{PROGRAM}?qt-regional_study_group_tabs=0"
WEBINAR = f"{SITE}/events/regional-cooperation-webinar"
COMMENTARY = f"{SITE}/news/regional-cooperation-commentary"


def run(crawl_id: str, started: dt.datetime, **fields: Any) -> RunInfo:
    finished = started + dt.timedelta(minutes=5)
    return RunInfo(crawl_id, started, finished, PROGRAM, **fields)


def publications_file(root: Path) -> Path:
    return root / "publications" / "publications.parquet"


def by_id(table: pa.Table) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in table.to_pylist()}


def sample_rows() -> list[dict[str, Any]]:
    """An English report and its Spanish translation, a webinar and a listing-only item."""
    return [
        make_row(REPORT_EN, translation_urls=[REPORT_ES], alternate_urls=[f"{SITE}/node/123"]),
        make_row(
            REPORT_ES,
            title="Sentando las bases para una cooperación regional",
            language="es",
            language_confidence=0.9999957,
            translation_urls=[REPORT_EN],
            listing_urls=[PROGRAM, TAB0],
        ),
        make_row(
            WEBINAR,
            content_type="webinar",
            content_type_label="Video, Audio, Webinars",
            published=dt.date(2021, 4, 15),
            date_precision="day",
            date_raw="April 15, 2021",
            posted=dt.date(2021, 4, 16),
            authors=[],
            pdf_urls=[],
        ),
        make_row(
            COMMENTARY,
            title=None,
            published=None,
            date_precision=None,
            date_raw="Spring",
            date_flag="unparsed",
            authors=None,
            body_text=None,
            pdf_urls=None,
            page_fetched=False,
            language_confidence=None,
        ),
    ]


def expected_rows(rows: list[dict], started: dt.datetime, crawl_id: str) -> dict[str, dict]:
    """What the store should hold after a first commit of ``rows``."""
    out = {}
    for row in rows:
        full = dict(row)
        full["content_hash"] = content_hash(row)
        full["first_seen_at"] = full["last_seen_at"] = started
        full["crawl_id"] = crawl_id
        for name in ("listing_urls", "alternate_urls"):
            if full[name] is not None:
                full[name] = sorted(set(full[name]))
        out[row["id"]] = full
    return out


# --------------------------------------------------------------------------- round trip


@pytest.fixture
def committed(tmp_path: Path) -> tuple[Path, dict[str, dict]]:
    rows = sample_rows()
    DatasetStore(tmp_path).commit(rows, run("c1", JAN))
    return tmp_path, expected_rows(rows, JAN, "c1")


def test_layout_on_disk(committed: tuple[Path, dict]) -> None:
    root, _ = committed
    assert sorted(p.name for p in (root / "publications").iterdir()) == ["publications.parquet"]
    assert sorted(p.name for p in (root / "runs").iterdir()) == ["run-c1.parquet"]
    assert sorted(p.name for p in root.iterdir()) == [".regmig.lock", "publications", "runs"]


def test_round_trip_pyarrow(committed: tuple[Path, dict]) -> None:
    root, expected = committed
    table = pads.dataset(root / "publications", format="parquet").to_table()
    assert table.schema.equals(PUBLICATIONS_SCHEMA, check_metadata=False)
    assert pq.read_schema(publications_file(root)).metadata[b"regmig.schema_version"] == b"2"
    assert table.column("id").to_pylist() == sorted(expected)  # written in id order
    assert by_id(table) == expected


def test_round_trip_pandas(committed: tuple[Path, dict]) -> None:
    root, expected = committed
    frame = pd.read_parquet(root / "publications")
    assert list(frame.columns) == PUBLICATIONS_SCHEMA.names
    assert str(frame["first_seen_at"].dt.tz) == "UTC"
    assert str(frame["last_seen_at"].dt.tz) == "UTC"
    assert frame["language_confidence"].dtype == "float64"
    for record in frame.to_dict("records"):
        want = expected[record["id"]]
        for name, value in record.items():
            if isinstance(want[name], list):  # lists come back as arrays
                assert list(value) == want[name], name
            elif want[name] is None:
                assert value is None or pd.isna(value), name
            elif isinstance(want[name], dt.datetime):
                assert value.to_pydatetime() == want[name], name
            elif isinstance(want[name], dt.date):
                assert type(value) is dt.date and value == want[name], name
            else:
                assert value == want[name], name


DUCKDB_TYPES = {
    "id": "VARCHAR",
    "published": "DATE",
    "posted": "DATE",
    "authors": "VARCHAR[]",
    "listing_urls": "VARCHAR[]",
    "language_confidence": "DOUBLE",
    "page_fetched": "BOOLEAN",
    "first_seen_at": "TIMESTAMP WITH TIME ZONE",
    "last_seen_at": "TIMESTAMP WITH TIME ZONE",
}


def test_round_trip_duckdb(committed: tuple[Path, dict]) -> None:
    root, expected = committed
    relation = duckdb.sql(f"SELECT * FROM '{root}/publications/*.parquet' ORDER BY id")
    types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert {name: types[name] for name in DUCKDB_TYPES} == DUCKDB_TYPES
    rows = [dict(zip(relation.columns, values, strict=True)) for values in relation.fetchall()]
    assert {row["id"]: row for row in rows} == expected  # aware datetimes compare by instant


def test_readers_ignore_temp_files(committed: tuple[Path, dict]) -> None:
    root, expected = committed
    (root / "publications" / ".publications.parquet.tmp").write_bytes(b"PAR1 half written")
    assert len(pd.read_parquet(root / "publications")) == len(expected)
    assert pads.dataset(root / "publications", format="parquet").count_rows() == len(expected)
    sql = f"SELECT count(*) FROM '{root}/publications/*.parquet'"
    assert duckdb.sql(sql).fetchall() == [(len(expected),)]


def test_read_publications_empty_store(tmp_path: Path) -> None:
    table = DatasetStore(tmp_path / "nothing").read_publications()
    assert table.num_rows == 0 and table.schema.equals(PUBLICATIONS_SCHEMA)
    assert DatasetStore(tmp_path / "nothing").read_runs().num_rows == 0


def test_commit_with_no_rows_writes_a_readable_empty_dataset(tmp_path: Path) -> None:
    result = DatasetStore(tmp_path).commit([], run("c1", JAN))
    assert result == CommitResult(new=0, changed=0, unchanged=0, not_seen=0, total=0)
    frame = pd.read_parquet(tmp_path / "publications")
    assert len(frame) == 0 and list(frame.columns) == PUBLICATIONS_SCHEMA.names


# --------------------------------------------------------------------------- merge rules


def test_two_runs_new_changed_unchanged_vanished(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path)
    report, spanish, webinar, commentary = sample_rows()
    first = store.commit([report, spanish, webinar], run("c1", JAN, pages_fetched=3))
    assert first == CommitResult(new=3, changed=0, unchanged=0, not_seen=0, total=3)
    before = by_id(store.read_publications())

    seen_again = {**report, "listing_urls": [f"{PROGRAM}?page=1"]}  # new place, same content
    changed = {**spanish, "title": "Sentando las bases (edición revisada)"}
    second = store.commit([changed, seen_again, commentary], run("c2", FEB, pages_fetched=2))
    assert second == CommitResult(new=1, changed=1, unchanged=1, not_seen=1, total=4)

    after = by_id(store.read_publications())
    assert after[webinar["id"]] == before[webinar["id"]]  # vanished: untouched
    kept = after[report["id"]]
    assert kept == {**before[report["id"]], "last_seen_at": FEB,
                    "listing_urls": [PROGRAM, f"{PROGRAM}?page=1"]}  # fmt: skip
    updated = after[spanish["id"]]
    assert updated["title"] == "Sentando las bases (edición revisada)"
    assert updated["content_hash"] == content_hash(changed) != before[spanish["id"]]["content_hash"]
    assert (updated["first_seen_at"], updated["last_seen_at"], updated["crawl_id"]) == (
        JAN,
        FEB,
        "c2",
    )
    added = after[commentary["id"]]
    assert (added["first_seen_at"], added["last_seen_at"], added["crawl_id"]) == (FEB, FEB, "c2")

    runs = store.read_runs().to_pylist()
    assert [r["crawl_id"] for r in runs] == ["c1", "c2"]
    assert [(r["publications_new"], r["publications_changed"], r["publications_unchanged"],
             r["publications_not_seen"], r["publications_total"]) for r in runs] == [
        (3, 0, 0, 0, 3),
        (1, 1, 1, 1, 4),
    ]  # fmt: skip
    assert [r["pages_fetched"] for r in runs] == [3, 2]


def test_same_crawl_twice_changes_only_last_seen_at(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path)
    store.commit(sample_rows(), run("c1", JAN))
    once = store.read_publications()
    result = store.commit(list(reversed(sample_rows())), run("c2", FEB))
    twice = store.read_publications()
    assert result == CommitResult(new=0, changed=0, unchanged=4, not_seen=0, total=4)
    assert twice.drop_columns(["last_seen_at"]).equals(once.drop_columns(["last_seen_at"]))
    assert set(twice.column("last_seen_at").to_pylist()) == {FEB}


def test_sighting_lists_are_stored_as_sorted_sets(tmp_path: Path) -> None:
    row = make_row(REPORT_EN, listing_urls=[TAB0, PROGRAM, TAB0], alternate_urls=["b", "a"])
    DatasetStore(tmp_path).commit([row], run("c1", JAN))
    [stored] = DatasetStore(tmp_path).read_publications().to_pylist()
    assert stored["listing_urls"] == [PROGRAM, TAB0] and stored["alternate_urls"] == ["a", "b"]


def test_duplicate_ids_in_one_commit_are_refused(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path)
    store.commit(sample_rows()[:1], run("c1", JAN))
    before = publications_file(tmp_path).read_bytes()
    twice = [make_row(REPORT_ES), make_row(REPORT_EN), make_row(REPORT_EN, title="Other")]
    with pytest.raises(ValueError, match=f"duplicate id '{twice[1]['id']}'"):
        store.commit(twice, run("c2", FEB))
    assert publications_file(tmp_path).read_bytes() == before
    assert not (tmp_path / "runs" / "run-c2.parquet").exists()


def test_run_record(tmp_path: Path) -> None:
    stats = {"start_time": dt.datetime(2024, 1, 1, 9, 30), "item_scraped_count": 4,
             "downloader/response_status_count/200": 12}  # fmt: skip
    info = run(
        "c1",
        JAN,
        pages_fetched=12,
        drops={"not_a_publication": 5, "duplicate": 2},
        errors={"http_404": 1},
        exit_status=0,
        package_version="0.1.0",
        translation_pairs=1,
        stats=stats,
    )
    DatasetStore(tmp_path).commit(sample_rows(), info)
    [record] = DatasetStore(tmp_path).read_runs().to_pylist()
    assert record["drops"] == [("duplicate", 2), ("not_a_publication", 5)]
    assert record["errors"] == [("http_404", 1)]
    assert (record["started_at"], record["finished_at"]) == (JAN, JAN + dt.timedelta(minutes=5))
    assert record["output"] == str(tmp_path) and record["schema_version"] == 2
    assert record["translation_pairs"] == 1 and record["package_version"] == "0.1.0"
    assert json.loads(record["stats_json"]) == {
        "downloader/response_status_count/200": 12,
        "item_scraped_count": 4,
        "start_time": "2024-01-01T09:30:00",
    }
    assert record["stats_json"].index("downloader") < record["stats_json"].index("start_time")
    runs_file = tmp_path / "runs" / "run-c1.parquet"
    assert pq.read_schema(runs_file).metadata[b"regmig.schema_version"] == b"2"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"crawl_id": "../escape"}, "crawl_id"),
        ({"crawl_id": ""}, "crawl_id"),
        ({"started_at": dt.datetime(2024, 1, 1)}, "timezone-aware"),
        ({"finished_at": dt.datetime(2024, 1, 1)}, "timezone-aware"),
    ],
)
def test_run_info_validation(kwargs: dict, message: str) -> None:
    fields = {"crawl_id": "c1", "started_at": JAN, "finished_at": None, "start_url": PROGRAM}
    with pytest.raises(ValueError, match=message):
        RunInfo(**{**fields, **kwargs})


def test_non_utc_start_is_stored_as_the_same_instant(tmp_path: Path) -> None:
    eastern = dt.timezone(dt.timedelta(hours=-5))
    started = dt.datetime(2024, 1, 1, 4, 30, tzinfo=eastern)
    DatasetStore(tmp_path).commit(sample_rows()[:1], run("c1", started))
    [row] = DatasetStore(tmp_path).read_publications().to_pylist()
    assert row["first_seen_at"] == JAN and row["first_seen_at"].utcoffset() == dt.timedelta(0)


# --------------------------------------------------------------------------- streaming merge


def _reference_merge(stored: dict[str, dict], rows: list[dict], started, crawl_id) -> dict:
    """The merge rules, applied naively row by row."""
    out = {key: dict(value) for key, value in stored.items()}
    for row in rows:
        fresh = expected_rows([row], started, crawl_id)[row["id"]]
        old = out.get(row["id"])
        if old is None:
            out[row["id"]] = fresh
        elif old["content_hash"] != fresh["content_hash"]:
            out[row["id"]] = {**fresh, "first_seen_at": old["first_seen_at"]}
        else:
            old["last_seen_at"] = started
            for name in ("listing_urls", "alternate_urls"):
                if old[name] is not None or row[name] is not None:
                    old[name] = sorted({*(old[name] or ()), *(row[name] or ())})
    return out


@pytest.mark.parametrize("ordered", [False, True], ids=["any-order", "id-order"])
@pytest.mark.parametrize("seed", range(4))
def test_streaming_merge_matches_the_rules_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, ordered: bool
) -> None:
    # tiny batches: every merge step crosses batch (and input chunk) boundaries
    monkeypatch.setattr(store_module, "MIN_BATCH_ROWS", 3)
    monkeypatch.setattr(store_module, "MAX_BATCH_ROWS", 7)
    monkeypatch.setattr(store_module, "ORDERED_CHUNK_ROWS", 2)
    rng = random.Random(seed)
    store = DatasetStore(tmp_path)
    model: dict[str, dict] = {}
    universe = [f"{SITE}/research/item-{i}" for i in range(60)]
    for number in range(5):
        started = JAN + dt.timedelta(days=number)
        rows = []
        for url in rng.sample(universe, rng.randint(0, 40)):
            rows.append(
                make_row(
                    url,
                    title=f"Title {rng.randint(0, 2)}",  # often the same content again
                    listing_urls=[f"{PROGRAM}?page={rng.randint(0, 3)}"],
                    alternate_urls=rng.choice([None, [], [f"{url}/"]]),
                )
            )
        expected = _reference_merge(model, rows, started, f"c{number}")
        if ordered:
            rows.sort(key=lambda row: row["id"])
        result = store.commit(rows, run(f"c{number}", started), ordered=ordered)
        table = store.read_publications()
        assert table.column("id").to_pylist() == sorted(expected)
        assert by_id(table) == expected
        assert result.total == len(expected) and result.new == len(expected.keys() - model.keys())
        assert result.new + result.changed + result.unchanged == len(rows)
        assert result.not_seen == len(model.keys() - {row["id"] for row in rows})
        model = expected
    assert pq.read_metadata(publications_file(tmp_path)).num_row_groups > 3


def test_rows_in_id_order_are_merged_as_they_come(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "MIN_BATCH_ROWS", 3)
    monkeypatch.setattr(store_module, "MAX_BATCH_ROWS", 5)
    monkeypatch.setattr(store_module, "ORDERED_CHUNK_ROWS", 4)
    store = DatasetStore(tmp_path)
    universe = sorted(
        (make_row(f"{SITE}/research/item-{i}") for i in range(80)), key=lambda r: r["id"]
    )
    store.commit(universe[::2], run("c1", JAN), ordered=True)
    pulled = 0
    pulled_at_write: list[int] = []

    def rows() -> Any:
        nonlocal pulled
        for row in universe:
            pulled += 1
            yield row

    real_checked = store_module._Merger._checked

    def checked(self: Any, table: pa.Table) -> pa.Table:
        pulled_at_write.append(pulled)
        return real_checked(self, table)

    monkeypatch.setattr(store_module._Merger, "_checked", checked)
    result = store.commit(rows(), run("c2", FEB), ordered=True)
    assert result == CommitResult(new=40, changed=0, unchanged=40, not_seen=0, total=80)
    assert store.read_publications().column("id").to_pylist() == [r["id"] for r in universe]
    # the first merged batches were handed on long before the run's last row was read
    assert pulled_at_write[0] <= 20 and len(pulled_at_write) >= 8


@pytest.mark.parametrize("flaw", ["out-of-order", "duplicate"])
def test_rows_promised_in_id_order_that_are_not_replace_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flaw: str
) -> None:
    monkeypatch.setattr(store_module, "ORDERED_CHUNK_ROWS", 3)
    store = DatasetStore(tmp_path)
    rows = sorted((make_row(f"{SITE}/research/item-{i}") for i in range(12)), key=lambda r: r["id"])
    store.commit(rows[:6], run("c1", JAN))
    before = publications_file(tmp_path).read_bytes()
    if flaw == "out-of-order":
        rows[7], rows[8] = rows[8], rows[7]  # across an input chunk boundary
    else:
        rows[6] = rows[5]
    with pytest.raises(ValueError, match=f"{flaw} id"):
        store.commit(rows, run("c2", FEB), ordered=True)
    assert publications_file(tmp_path).read_bytes() == before
    assert not list((tmp_path / "publications").glob(".*.tmp"))
    assert [r["crawl_id"] for r in store.read_runs().to_pylist()] == ["c1"]


def test_unsorted_existing_file_is_merged_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "MIN_BATCH_ROWS", 3)
    monkeypatch.setattr(store_module, "MAX_BATCH_ROWS", 5)
    store = DatasetStore(tmp_path)
    rows = [make_row(f"{SITE}/research/item-{i}") for i in range(30)]
    store.commit(rows, run("c1", JAN))
    table = store.read_publications()
    order = list(range(30))
    random.Random(1).shuffle(order)  # a human rewrites it in another order
    pq.write_table(table.take(pa.array(order)), publications_file(tmp_path), row_group_size=4)
    model = by_id(table)
    again = [*rows[::3], *(make_row(f"{SITE}/research/new-{i}") for i in range(10))]
    expected = _reference_merge(model, again, FEB, "c2")
    result = store.commit(again, run("c2", FEB))
    assert result == CommitResult(new=10, changed=0, unchanged=10, not_seen=20, total=40)
    merged = store.read_publications()
    assert merged.column("id").to_pylist() == sorted(expected)
    assert by_id(merged) == expected


def test_existing_file_with_duplicate_ids_is_refused(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path)
    store.commit(sample_rows(), run("c1", JAN))
    table = store.read_publications()
    pq.write_table(pa.concat_tables([table, table.slice(0, 1)]), publications_file(tmp_path))
    before = publications_file(tmp_path).read_bytes()
    with pytest.raises(DatasetError, match="more than once"):
        store.commit(sample_rows(), run("c2", FEB))
    assert publications_file(tmp_path).read_bytes() == before


# --------------------------------------------------------------------------- schema safety


def test_schema_mismatch_leaves_the_old_dataset_untouched(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path)
    store.commit(sample_rows(), run("c1", JAN))
    before = publications_file(tmp_path).read_bytes()
    bad = make_row(f"{SITE}/research/bad", published="April 2021")
    with pytest.raises(SchemaMismatchError, match=r"'published'.*research/bad"):
        store.commit([*sample_rows(), bad], run("c2", FEB))
    assert publications_file(tmp_path).read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "publications").iterdir()) == ["publications.parquet"]
    assert [r["crawl_id"] for r in store.read_runs().to_pylist()] == ["c1"]


def test_a_bad_batch_during_the_merge_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DatasetStore(tmp_path)
    store.commit(sample_rows(), run("c1", JAN))
    before = publications_file(tmp_path).read_bytes()
    seen: list[Path] = []

    def broken(self: Any, existing: pa.Table, new: pa.Table) -> pa.Table:
        seen.extend((tmp_path / "publications").glob(".*.tmp"))  # the temp file is being written
        return existing.drop_columns(["crawl_id"])  # wrong shape

    monkeypatch.setattr(store_module._Merger, "_merge_chunk", broken)
    with pytest.raises(SchemaMismatchError, match="does not fit"):
        store.commit(sample_rows(), run("c2", FEB))
    assert seen and not any(path.exists() for path in seen)
    assert publications_file(tmp_path).read_bytes() == before


def _write_v0(root: Path, rows: list[dict]) -> None:
    full = list(expected_rows(rows, JAN, "c0").values())
    table = rows_to_table(full, PUBLICATIONS_SCHEMA).drop_columns(["date_flag", "posted"])
    publications_file(root).parent.mkdir(parents=True)
    pq.write_table(table.replace_schema_metadata({b"regmig.schema_version": b"0"}),
                   publications_file(root))  # fmt: skip


def test_older_schema_version_is_upgraded_and_rewritten_on_commit(tmp_path: Path) -> None:
    rows = [make_row(REPORT_EN), make_row(REPORT_ES)]
    _write_v0(tmp_path, rows)
    store = DatasetStore(tmp_path)
    upgraded = store.read_publications()
    assert upgraded.column("posted").null_count == 2
    result = store.commit(rows, run("c1", FEB))
    assert result == CommitResult(new=0, changed=0, unchanged=2, not_seen=0, total=2)
    assert pq.read_schema(publications_file(tmp_path)).metadata[b"regmig.schema_version"] == b"2"
    after = by_id(store.read_publications())
    assert {row["crawl_id"] for row in after.values()} == {"c0"}  # content unchanged
    assert {row["last_seen_at"] for row in after.values()} == {FEB}


V2_COLUMNS = ["modified", "authors_raw", "site", "provenance"]


def test_v2_run_over_a_v1_dataset_changes_nothing_and_fills_the_new_columns(
    tmp_path: Path,
) -> None:
    v1_rows = [make_row(REPORT_EN), make_row(REPORT_ES)]
    full = list(expected_rows(v1_rows, JAN, "c0").values())
    table = rows_to_table(full, PUBLICATIONS_SCHEMA).drop_columns(V2_COLUMNS)
    publications_file(tmp_path).parent.mkdir(parents=True)
    pq.write_table(table.replace_schema_metadata({b"regmig.schema_version": b"1"}),
                   publications_file(tmp_path))  # fmt: skip
    # The same input read by version 2: the same content, and the new columns filled.
    v2_rows = [
        {
            **row,
            "modified": dt.date(2024, 5, 4),
            "authors_raw": "By " + " and ".join(row["authors"]),
            "site": "www.migrationpolicy.org",
            "provenance": {"title": "mpi", "published": "generic:jsonld"},
        }
        for row in v1_rows
    ]
    store = DatasetStore(tmp_path)
    result = store.commit(v2_rows, run("c1", FEB))
    assert result == CommitResult(new=0, changed=0, unchanged=2, not_seen=0, total=2)
    after = by_id(store.read_publications())
    assert {row["crawl_id"] for row in after.values()} == {"c0"}  # not reported as changed
    assert {row["site"] for row in after.values()} == {"www.migrationpolicy.org"}
    assert all(row["modified"] == dt.date(2024, 5, 4) for row in after.values())
    assert all(dict(row["provenance"])["published"] == "generic:jsonld" for row in after.values())
    # and a third run over the same input is still unchanged
    again = store.commit(v2_rows, run("c2", FEB + dt.timedelta(days=1)))
    assert (again.changed, again.unchanged) == (0, 2)


def test_newer_schema_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path)
    store.commit(sample_rows(), run("c1", JAN))
    table = pq.read_table(publications_file(tmp_path))
    pq.write_table(table.replace_schema_metadata({b"regmig.schema_version": b"7"}),
                   publications_file(tmp_path))  # fmt: skip
    before = publications_file(tmp_path).read_bytes()
    with pytest.raises(SchemaMismatchError, match=r"version 7 is newer"):
        store.read_publications()
    with pytest.raises(SchemaMismatchError, match=r"upgrade regmig"):
        store.commit(sample_rows(), run("c2", FEB))
    assert publications_file(tmp_path).read_bytes() == before


# --------------------------------------------------------------------------- lock


def _start_helper(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HELPER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    holder = _start_helper("hold", str(tmp_path))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        store = DatasetStore(tmp_path)
        with pytest.raises(DatasetLockedError) as info, store.lock():
            pass
        message = str(info.value)
        assert str(tmp_path) in message and f"pid {holder.pid}" in message
        with pytest.raises(DatasetLockedError):
            store.commit(sample_rows(), run("c1", JAN))
        assert not publications_file(tmp_path).exists()
    finally:
        holder.communicate("", timeout=30)  # closing stdin releases the lock
    assert holder.returncode == 0
    DatasetStore(tmp_path).commit(sample_rows(), run("c1", JAN))


def test_regmig_crawl_refuses_a_held_output_with_exit_4(tmp_path: Path) -> None:
    holder = _start_helper("hold", str(tmp_path))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = run_regmig("crawl", "--replay", str(SNAPSHOT), "--output", str(tmp_path))
    finally:
        holder.communicate("", timeout=30)
    assert result.returncode == EXIT_LOCKED, result.stderr[-2000:]
    assert "another run holds the output directory" in result.stderr
    assert not (tmp_path / "publications").exists()


def test_lock_of_a_killed_run_is_free(tmp_path: Path) -> None:
    holder = _start_helper("hold", str(tmp_path))
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait(timeout=30)
    assert (tmp_path / ".regmig.lock").read_text().strip() == str(holder.pid)  # stale pid
    with DatasetStore(tmp_path).lock():
        assert (tmp_path / ".regmig.lock").read_text().strip() == str(os.getpid())


def test_lock_is_reentrant_and_cleans_leftovers(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path)
    store.commit(sample_rows(), run("c1", JAN))
    leftovers = [
        tmp_path / "publications" / ".publications.parquet.tmp",
        tmp_path / "runs" / ".run-c2.parquet.tmp",
        tmp_path / ".staging-c2.sqlite",
        tmp_path / ".staging-c2.sqlite-wal",
    ]
    kept = [tmp_path / "notes.txt", tmp_path / "publications" / "README"]
    for path in leftovers + kept:
        path.write_bytes(b"x")
    with store.lock():
        assert not any(path.exists() for path in leftovers)
        assert all(path.exists() for path in kept)
        with store.lock():  # re-entrant
            store.commit(sample_rows(), run("c2", FEB))
        DatasetStore(tmp_path / "." / "").commit(sample_rows(), run("c3", MAR))  # same process
        assert (tmp_path / ".regmig.lock").read_text().strip() == str(os.getpid())
    assert (tmp_path / ".regmig.lock").read_text() == ""  # released
    assert len(store.read_runs()) == 3


# --------------------------------------------------------------------------- crash safety

KILL_ROWS = "30000"


@pytest.mark.parametrize("when", ["temp file appears", "temp file half written"])
def test_sigkill_while_writing_leaves_the_previous_dataset(tmp_path: Path, when: str) -> None:
    store = DatasetStore(tmp_path)
    store.commit(sample_rows(), run("c1", JAN))
    before_bytes = publications_file(tmp_path).read_bytes()
    before = store.read_publications()
    temp = tmp_path / "publications" / ".publications.parquet.tmp"
    min_size = 0 if when == "temp file appears" else 2_000_000

    child = _start_helper("commit", str(tmp_path), KILL_ROWS)
    try:
        deadline = time.monotonic() + 120
        while not (temp.exists() and temp.stat().st_size >= min_size):
            assert child.poll() is None, "the commit finished before it could be killed"
            assert time.monotonic() < deadline, "no temp file appeared"
            time.sleep(0.002)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert temp.exists()  # killed mid-write: the leftover is there...

    assert publications_file(tmp_path).read_bytes() == before_bytes  # ...the data untouched
    assert store.read_publications().equals(before)
    assert len(pd.read_parquet(tmp_path / "publications")) == before.num_rows
    sql = f"SELECT count(*) FROM '{tmp_path}/publications/*.parquet'"
    assert duckdb.sql(sql).fetchall() == [(before.num_rows,)]
    assert [r["crawl_id"] for r in store.read_runs().to_pylist()] == ["c1"]

    result = store.commit([make_row(f"{SITE}/research/after-the-crash")], run("c3", MAR))
    assert result.new == 1 and result.total == before.num_rows + 1
    assert not temp.exists()
    assert sorted(p.name for p in (tmp_path / "publications").iterdir()) == ["publications.parquet"]
    assert [r["crawl_id"] for r in store.read_runs().to_pylist()] == ["c1", "c3"]
