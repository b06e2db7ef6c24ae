"""Time ``DatasetStore.commit`` merging one run into a large existing dataset.

Usage::

    python benchmarks/merge_bench.py [--existing 1000000] [--new 10000] [--changed 5000]
                                     [--unchanged 5000] [--dir /tmp]

Writes an existing dataset of ``--existing`` publications laid out as the store lays it out
(sorted by id, current schema, 65,536-row row groups), then commits a run with ``--new`` unseen
publications, ``--changed`` known ones with other texts and ``--unchanged`` known ones as
stored, and prints the commit's wall time, the peak RSS and the file size. Rows have a
realistic shape: unique title (~70 chars), summary (~300) and body_text (~900) drawn from
sentence pools, two or three authors, one or two listing URLs.

Setting up the million rows takes longer than the commit itself, which is why this is a
script and not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

if __package__ in (None, ""):  # run as a script from anywhere
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from regmig_scraper.dataset import PUBLICATIONS_SCHEMA, CommitResult, DatasetStore, RunInfo
from regmig_scraper.dataset.schema import CONTENT_FIELDS, STORE_FIELDS, content_hash
from regmig_scraper.dataset.store import (
    COMPRESSION,
    COMPRESSION_LEVEL,
    DICTIONARY_COLUMNS,
)

BASE = "https://www.migrationpolicy.org/research/"
LISTING = "https://www.migrationpolicy.org/programs/regional-migration"
WORDS = [
    "migration", "policy", "regional", "cooperation", "Mexico", "Central", "America",
    "asylum", "labor", "pathways", "humanitarian", "protection", "border", "management",
    "remittances", "integration", "refugees", "visas", "enforcement", "development",
    "climate", "displacement", "governance", "capacity", "institutions", "Guatemala",
    "Honduras", "El", "Salvador", "returnees", "workers", "families", "children", "the",
    "of", "and", "in", "for", "a", "to",
]  # fmt: skip
ROW_GROUP_ROWS = 65_536
POOL = 4_096  # distinct sentences per pool; rows combine several, so texts are unique
HASHED_EVERY = 50  # rows whose number is a multiple get a real content_hash (else a fake one)
EXISTING_STAMP = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
RUN_STAMP = dt.datetime(2024, 2, 1, tzinfo=dt.UTC)


def _pool(rng: np.random.Generator, words: int) -> pa.Array:
    picks = rng.integers(0, len(WORDS), size=(POOL, words))
    return pa.array([" ".join(WORDS[i] for i in row).capitalize() + "." for row in picks])


def _text(rng: np.random.Generator, pool: pa.Array, n: int, parts: int) -> pa.Array:
    pieces = [pool.take(pa.array(rng.integers(0, POOL, n))) for _ in range(parts)]
    return pc.binary_join_element_wise(*pieces, " ")


def publication_ids(numbers: np.ndarray) -> list[str]:
    """Ids as ``publication_id`` makes them: 16 hex chars of a sha1."""
    return [hashlib.sha1(f"migrationpolicy.org/research/p-{n}".encode()).hexdigest()[:16]
            for n in numbers]  # fmt: skip


def make_table(numbers: np.ndarray, seed: int, stamp: dt.datetime) -> pa.Table:
    """Publications ``numbers`` as a full-schema table sorted by id (store columns filled)."""
    rng = np.random.default_rng(seed)
    n = len(numbers)
    ids = pa.array(publication_ids(numbers), pa.string())
    slugs = pa.array([f"p-{x}" for x in numbers], pa.string())  # typed: n may be 0
    kind = pa.array(rng.integers(0, 4, n))
    pick = pa.array(rng.integers(0, 8, n))
    authors = pa.array([["Andrew Selee", "Ariel G. Ruiz Soto", "Andrea Tanco"]] * 4
                       + [["Jessica Bolter", "Luis Argueta"]] * 4)  # fmt: skip
    listings = pa.array([[LISTING], [LISTING, f"{LISTING}?page=1"]] * 4)
    stamps = pa.array([stamp] * n, PUBLICATIONS_SCHEMA.field("first_seen_at").type)
    texts = {
        "title": pc.binary_join_element_wise(_text(rng, _pool(rng, 8), n, 1), slugs, " "),
        "summary": _text(rng, _pool(rng, 14), n, 3),
        "body_text": _text(rng, _pool(rng, 20), n, 6),
    }
    columns = {
        "id": ids,
        "url": pc.binary_join_element_wise(BASE, slugs, ""),
        **texts,
        "content_type": pa.array(["report", "policy_brief", "commentary", "article"]).take(kind),
        "content_type_label": pa.array(
            ["Reports", "Policy Briefs", "Commentaries", "Articles"]
        ).take(kind),
        "language": pa.array(["en"] * n, pa.string()),
        "language_confidence": pa.array(rng.random(n)),
        "published": pa.array(rng.integers(12_000, 20_000, n).astype("int32")).cast(pa.date32()),
        "date_precision": pa.array(["month"] * n, pa.string()),
        "date_raw": pa.array(["April 2021"] * n, pa.string()),
        "date_flag": pa.nulls(n, pa.string()),
        "posted": pa.nulls(n, pa.date32()),
        "authors": authors.take(pick),
        "pdf_urls": pa.array([[]] * n, pa.list_(pa.string())),
        "program": pa.array(["Building a Regional Migration System"] * n, pa.string()),
        "listing_urls": listings.take(pick),
        "alternate_urls": pa.nulls(n, pa.list_(pa.string())),
        "translation_urls": pa.array([[]] * n, pa.list_(pa.string())),
        "page_fetched": pa.array([True] * n, pa.bool_()),
        "content_hash": pc.binary_join_element_wise(
            ids, pa.array([f"{seed}"] * n, pa.string()), "-"
        ),
        "first_seen_at": stamps,
        "last_seen_at": stamps,
        "crawl_id": pa.array(["bench-0"] * n),
    }
    table = pa.Table.from_arrays(
        [columns[name] for name in PUBLICATIONS_SCHEMA.names], schema=PUBLICATIONS_SCHEMA
    )
    # Hashing every row in Python would dominate the setup; the rows a run may present
    # unchanged (multiples of HASHED_EVERY) get their real hash.
    hashed = pc.equal(pa.array(numbers % HASHED_EVERY), 0)
    real = np.flatnonzero(hashed.to_numpy(zero_copy_only=False))
    if len(real):
        hashes = table.column("content_hash").to_pylist()
        rows = table.take(real).select(list(CONTENT_FIELDS)).to_pylist()
        for i, row in zip(real, rows, strict=True):
            hashes[i] = content_hash(row)
        table = table.set_column(
            table.schema.get_field_index("content_hash"),
            PUBLICATIONS_SCHEMA.field("content_hash"),
            pa.array(hashes, pa.string()),
        )
    return table.take(pc.sort_indices(table.column("id")))


def write_existing(root: Path, n: int) -> Path:
    """Write ``n`` publications where ``DatasetStore(root)`` keeps them; return the path."""
    path = root / "publications" / "publications.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    numbers = np.arange(n)[np.argsort(np.array(publication_ids(np.arange(n))))]
    step = 3 * ROW_GROUP_ROWS  # chunks follow the global id order
    with pq.ParquetWriter(
        path,
        PUBLICATIONS_SCHEMA,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=DICTIONARY_COLUMNS,
    ) as writer:
        for start in range(0, n, step):
            chunk = numbers[start : start + step]
            writer.write_table(
                make_table(chunk, start, EXISTING_STAMP), row_group_size=ROW_GROUP_ROWS
            )
    return path


def run_rows(path: Path, existing: int, new: int, changed: int, unchanged: int) -> list[dict]:
    """This run's rows (input schema): unseen, changed and unchanged publications."""
    rng = np.random.default_rng(7)
    hashed = np.arange(0, existing, HASHED_EVERY)
    same = rng.choice(hashed, size=min(unchanged, len(hashed)), replace=False)
    others = np.setdiff1d(np.arange(existing), same)
    known = rng.choice(others, size=changed, replace=False)
    fresh = np.arange(existing, existing + new)
    parts = [make_table(known, 99, RUN_STAMP), make_table(fresh, 5, RUN_STAMP)]
    if unchanged:  # exactly as stored
        ids = pa.array(publication_ids(same))
        for batch in pq.ParquetFile(path).iter_batches():
            part = pa.Table.from_batches([batch])
            parts.append(part.filter(pc.is_in(part.column("id"), value_set=ids)))
    return [row for part in parts for row in part.drop_columns(list(STORE_FIELDS)).to_pylist()]


def use_crawler_allocator() -> None:
    """Processes spawned from now on load pyarrow with the crawler's allocator
    (``REGMIG_ARROW_MEMORY_POOL``, through the variable pyarrow reads when it loads)."""
    from regmig_scraper import settings as project
    from regmig_scraper.arrow_memory import ENVIRONMENT_VARIABLE

    if project.REGMIG_ARROW_MEMORY_POOL:
        os.environ.setdefault(ENVIRONMENT_VARIABLE, project.REGMIG_ARROW_MEMORY_POOL)


def timed_commit(root: Path, rows: list[dict]) -> tuple[float, float, CommitResult, int, str]:
    """Commit ``rows`` as run ``bench-1``: (wall s, CPU s of all threads, result, peak RSS kB,
    Arrow memory pool). Run it in a process spawned after ``use_crawler_allocator``."""
    from regmig_scraper.arrow_memory import memory_pool_in_use

    pool = memory_pool_in_use()
    cpu = time.process_time()
    start = time.perf_counter()
    result = DatasetStore(root).commit(rows, RunInfo("bench-1", RUN_STAMP, None, LISTING))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    status = Path("/proc/self/status").read_text()  # VmHWM: peak RSS since exec
    peak_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    return seconds, cpu, result, peak_kb, pool


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--existing", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=5_000)
    parser.add_argument("--unchanged", type=int, default=5_000)
    parser.add_argument("--dir", default=None, help="where to put the temporary dataset")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        path = write_existing(root, args.existing)
        t1 = time.perf_counter()
        rows = run_rows(path, args.existing, args.new, args.changed, args.unchanged)
        t2 = time.perf_counter()
        # The commit runs in a fresh process so that its peak memory is its own.
        use_crawler_allocator()
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            seconds, cpu, result, peak_kb, arrow_pool = pool.apply(timed_commit, (root, rows))
        meta = pq.read_metadata(path)
        print(f"setup: existing file written in {t1 - t0:.1f} s, run rows in {t2 - t1:.1f} s")
        print(f"commit: {seconds:.2f} s wall, {cpu:.1f} s CPU, Arrow pool {arrow_pool}  {result}")
        print(
            f"file: {path.stat().st_size / 1e6:.0f} MB, {meta.num_rows} rows, "
            f"{meta.num_row_groups} row groups; peak RSS of the committing process "
            f"{peak_kb / 1e3:.0f} MB (interpreter and the run's rows included)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
