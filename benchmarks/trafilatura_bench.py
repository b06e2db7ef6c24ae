"""trafilatura's ``bare_extraction(..., with_metadata=True)`` over the generated detail pages.

Run as ``python -m benchmarks.trafilatura_bench --site ROOT --truth PATH [--ours DIR] --json
OUT`` (the harness measures the process's CPU and peak RSS from outside). Pages are read from
disk; only the ``bare_extraction`` calls are timed. The JSON holds pages/s, CPU ms per page,
and how often trafilatura's title, date and authors agree with our dataset (``--ours``, a
``publications/`` directory) and with the ground truth. trafilatura is not a project
dependency: without it, the JSON says ``skipped``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.compare import agreement, read_dataset, reference_fields, trafilatura_fields


def run(site: Path, truth: dict[str, Any], ours: Path | None, limit: int | None) -> dict:
    try:
        import trafilatura
        from trafilatura import bare_extraction
    except ImportError:
        return {"status": "skipped", "reason": "skipped: trafilatura not installed"}
    from regmig_scraper.snapshot import snapshot_relpath

    publications = truth["publications"][:limit] if limit else truth["publications"]
    extracted: dict[str, dict[str, Any]] = {}
    cpu = wall = 0.0
    failures = 0
    for pub in publications:
        html = (site / snapshot_relpath(pub["url"], with_host=False)).read_text(encoding="utf-8")
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            document = bare_extraction(html, url=pub["url"], with_metadata=True)
        except Exception:
            document = None
            failures += 1
        cpu += time.process_time() - c0
        wall += time.perf_counter() - t0
        extracted[pub["url"]] = trafilatura_fields(document)
    pages = len(publications)
    result: dict[str, Any] = {
        "status": "ok",
        "version": trafilatura.__version__,
        "pages": pages,
        "failures": failures,
        "extract_wall_s": round(wall, 3),
        "extract_cpu_s": round(cpu, 3),
        "pages_per_s": round(pages / wall, 1) if wall else None,
        "cpu_ms_per_page": round(1000 * cpu / pages, 3) if pages else None,
        "vs_truth": agreement(extracted, reference_fields(publications)),
    }
    if ours is not None:
        rows = read_dataset(ours)
        result["vs_ours"] = agreement(extracted, reference_fields(rows))
        ours_fields = {k: v for k, v in reference_fields(rows).items() if k in extracted}
        result["ours_vs_truth"] = agreement(ours_fields, reference_fields(publications))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--ours", help="our publications/ dataset directory")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", required=True)
    args = parser.parse_args(argv)
    truth = json.loads(Path(args.truth).read_text(encoding="utf-8"))
    result = run(Path(args.site), truth, Path(args.ours) if args.ours else None, args.limit)
    Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
