"""What a nightly incremental run costs on the synthetic site, in requests and in time under
the real site's ``Crawl-delay: 10`` (issue #16).

```bash
python -m benchmarks.nightly                 # 5,000 publications
python -m benchmarks.nightly -n 500 --keep /tmp/nightly
```

Serves the generated site (``benchmarks.sitegen``, through ``benchmarks.run.prepare_site``)
with ``regmig_scraper.mirror.serving`` and its request log, then runs, into one output
directory, with ``REGMIG_POLITE=false`` (the delay is computed, not waited for):

1. ``--incremental`` for the first time: nothing is known, so it walks everything (what a full
   crawl asks for);
2. ``--incremental`` again on the unchanged site: the quiet night;
3. ``--incremental --full``: the scheduled full walk (``REGMIG_FULL_EVERY``), every listing
   page revalidated.

For each: the requests the server answered, by kind (listing pages, publication pages, the
rest: robots.txt, feeds, sitemaps) and status, and ``requests x 10 s``: the least time the run
takes at one request per Crawl-delay. Prints a table; writes ``results/nightly.json``.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.run import PROGRAM_PATH, prepare_site, raised_caps
from regmig_scraper.mirror import ServedRequest, serving

CRAWL_DELAY_S = 10  # robots.txt of migrationpolicy.org
RESULTS = Path(__file__).parent / "results" / "nightly.json"
RUNS = (
    ("first run (full walk)", ()),
    ("quiet night", ()),
    ("scheduled full walk", ("--full",)),
)


def _kind(path: str) -> str:
    if path.split("?")[0] == PROGRAM_PATH:
        return "listing"
    if path.startswith("/robots.txt") or path.endswith((".xml", ".rss")):
        return "other"
    return "publication"


def _duration(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours} h {rest // 60:02d} min" if hours else f"{rest // 60} min {rest % 60:02d} s"


def summarize(log: list[ServedRequest]) -> dict[str, Any]:
    """Requests by kind and status, and the time they take at one per Crawl-delay."""
    by_kind = collections.Counter(_kind(e.path) for e in log)
    by_status = collections.Counter(f"{_kind(e.path)} {e.status}" for e in log)
    return {
        "requests": len(log),
        "by_kind": dict(sorted(by_kind.items())),
        "by_status": dict(sorted(by_status.items())),
        "crawl_delay_s": len(log) * CRAWL_DELAY_S,
        "crawl_delay": _duration(len(log) * CRAWL_DELAY_S),
    }


def run(publications: int, seed: int, work: Path, timeout: float) -> dict[str, Any]:
    info, site, _truth = prepare_site(work, publications, seed)
    settings = ["-s", "REGMIG_POLITE=false", "-s", "REGMIG_PROGRESS_INTERVAL=0", *raised_caps(info)]
    output = work / "out-nightly"
    shutil.rmtree(output, ignore_errors=True)
    log: list[ServedRequest] = []
    results: dict[str, Any] = {"publications": publications, "site": info, "runs": {}}
    with serving(site, log=log) as base:
        for name, extra in RUNS:
            log.clear()
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "regmig_scraper.cli", "crawl", "--incremental", *extra,
                 "--start-url", base + PROGRAM_PATH, "--output", str(output), *settings],
                capture_output=True, text=True, timeout=timeout,
            )  # fmt: skip
            summary = summarize(log)
            summary["wall_s"] = round(time.perf_counter() - started, 1)
            summary["exit"] = done.returncode
            summary["summary"] = [
                line.strip() for line in done.stderr.splitlines()[-8:] if line.startswith("  ")
            ]
            results["runs"][name] = summary
    return results


def render(results: dict[str, Any]) -> str:
    lines = [
        f"{results['publications']:,} publications; time = requests x {CRAWL_DELAY_S} s",
        f"{'run':<24} {'requests':>9} {'listing':>8} {'publication':>12} {'other':>6}  time",
    ]
    for name, r in results["runs"].items():
        kinds = r["by_kind"]
        lines.append(
            f"{name:<24} {r['requests']:>9,} {kinds.get('listing', 0):>8,} "
            f"{kinds.get('publication', 0):>12,} {kinds.get('other', 0):>6,}  {r['crawl_delay']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publications", "-n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="work directory (reused: the site is kept)")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="regmig-nightly-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = run(args.publications, args.seed, work, args.timeout)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(render(results))
    return 0 if all(r["exit"] == 0 for r in results["runs"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
