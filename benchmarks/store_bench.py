"""The dataset store at scale: Parquet write of N rows and the cross-run merge into them.

Run as ``python -m benchmarks.store_bench --rows 1000000 --new 10000 --json OUT``. Built on
``benchmarks/merge_bench.py`` (the dataset engineer's script): its ``make_table`` builds the
rows, its Parquet settings and row-group size lay the file out as the store does, and its
``timed_commit`` times ``DatasetStore.commit`` in a fresh process (so the commit's peak RSS is
its own, not this process's).

- ``parquet_write_s``: writing the N existing rows (generation of the rows excluded);
- ``merge_s``: ``DatasetStore.commit`` of a run of ``--new`` unseen publications into them (read,
  merge-join, rewrite, check, atomic switch), the run's rows given as Python dicts as the
  dataset pipeline gives them; ``merge_cpu_s`` and ``merge_peak_rss_mb`` of the committing
  process;
- with ``--changed``: the same with that many known publications changed
  (``merge_bench.run_rows``), as ``merge_mixed_*``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from benchmarks import merge_bench
from regmig_scraper.dataset import PUBLICATIONS_SCHEMA
from regmig_scraper.dataset.schema import STORE_FIELDS


def write_existing(root: Path, rows: int) -> tuple[Path, float]:
    """``merge_bench.write_existing`` with only the Parquet writes timed: (path, seconds)."""
    path = root / "publications" / "publications.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    numbers = np.arange(rows)[np.argsort(np.array(merge_bench.publication_ids(np.arange(rows))))]
    step = 3 * merge_bench.ROW_GROUP_ROWS
    writing = 0.0
    with pq.ParquetWriter(
        path,
        PUBLICATIONS_SCHEMA,
        compression=merge_bench.COMPRESSION,
        compression_level=merge_bench.COMPRESSION_LEVEL,
        use_dictionary=merge_bench.DICTIONARY_COLUMNS,
    ) as writer:
        for start in range(0, rows, step):
            table = merge_bench.make_table(
                numbers[start : start + step], start, merge_bench.EXISTING_STAMP
            )
            t0 = time.perf_counter()
            writer.write_table(table, row_group_size=merge_bench.ROW_GROUP_ROWS)
            writing += time.perf_counter() - t0
    return path, writing


def new_rows(first: int, count: int) -> list[dict[str, Any]]:
    """``count`` unseen publications, as the dataset pipeline hands them to the store."""
    table = merge_bench.make_table(np.arange(first, first + count), 5, merge_bench.RUN_STAMP)
    return table.drop_columns(list(STORE_FIELDS)).to_pylist()


def commit(root: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """``merge_bench.timed_commit`` in a fresh process, with the crawler's Arrow allocator."""
    merge_bench.use_crawler_allocator()
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        seconds, cpu, result, peak_kb, arrow_pool = pool.apply(
            merge_bench.timed_commit, (root, rows)
        )
    return {
        "arrow_memory_pool": arrow_pool,
        "s": round(seconds, 3),
        "cpu_s": round(cpu, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "result": vars(result),
    }


def run(rows: int, new: int, changed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="regmig-store-bench-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        path, write_s = write_existing(root, rows)
        build_s = time.perf_counter() - t0
        size = path.stat().st_size
        merged = commit(root, new_rows(rows, new))
        out: dict[str, Any] = {
            "rows": rows,
            "parquet_write_s": round(write_s, 3),
            "existing_built_s": round(build_s, 3),
            "file_mb": round(size / 1e6, 1),
            "new_rows": new,
            "merge_s": merged["s"],
            "merge_cpu_s": merged["cpu_s"],
            "merge_peak_rss_mb": merged["peak_rss_mb"],
            "merge_result": merged["result"],
            "merge_arrow_memory_pool": merged["arrow_memory_pool"],
        }
        if changed:
            total = rows + new
            mixed = merge_bench.run_rows(path, total, new, changed, 0)
            merged = commit(root, mixed)
            out.update(
                merge_mixed_changed=changed,
                merge_mixed_s=merged["s"],
                merge_mixed_peak_rss_mb=merged["peak_rss_mb"],
                merge_mixed_result=merged["result"],
            )
        return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=0)
    parser.add_argument("--json", required=True)
    args = parser.parse_args(argv)
    result = run(args.rows, args.new, args.changed)
    Path(args.json).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
