"""Pages per second of a distributed crawl with 1, 2 and 4 workers (README, "Distributed
crawls"), against the synthetic program site served on loopback with added latency per
response, so that the crawl waits on the network as real crawls do:

- ``off``: ``REGMIG_POLITE=false``, one host, each worker at most ``--concurrency`` requests
  at a time (a worker's share of a real crawl's connections);
- ``polite-1``: politeness on (the defaults: 1 s between requests to a host, AutoThrottle),
  one host whose robots.txt asks for ``Crawl-delay: --crawl-delay`` (1 s; the MPI site's 10 s
  would make the run last half an hour): the shared per-host limit holds every worker count
  to the rate of one;
- ``polite-4``: the same over four copies of the site on four loopback hosts (127.0.0.1-4),
  one start URL each: hosts go in parallel.

Pages/s is measured from the servers' request logs (first to last page request, robots.txt
aside), so process start-up and the workers' idle wait at the end are not counted; wall time
is reported beside it. Needs redis-server on PATH (or ``--redis-url``) and the ``distributed``
extra.

    python -m benchmarks.distributed_bench                  # about 5 minutes on 2 cores
    python -m benchmarks.distributed_bench --workers 1 2 --scenarios off
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.sitegen import PROGRAM_PATH, generate_site
from regmig_scraper.mirror import ServedRequest, serving

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = {"off": (False, 1), "polite-1": (True, 1), "polite-4": (True, 4)}


@contextlib.contextmanager
def redis_server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server not found: apt-get install redis-server, or pass --redis-url")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def regmig(*args: str) -> list[str]:
    return [sys.executable, "-m", "regmig_scraper.cli", *args]


def run(
    redis: str, sites: list[Path], workers: int, polite: bool, args: argparse.Namespace
) -> dict:
    import redis as redis_client

    redis_client.Redis.from_url(redis).flushdb()
    logs: list[list[ServedRequest]] = [[] for _ in sites]  # one per host
    with tempfile.TemporaryDirectory() as work, contextlib.ExitStack() as stack:
        output = Path(work) / "output"
        bases = [
            stack.enter_context(
                serving(site, log=logs[i], delay=args.latency, host=f"127.0.0.{i + 1}")
            )
            for i, site in enumerate(sites)
        ]
        settings = ["-s", f"REGMIG_POLITE={str(polite).lower()}", "-s", "LOG_LEVEL=WARNING"]
        starts = [arg for base in bases for arg in ("--start-url", base + PROGRAM_PATH)]
        subprocess.run(
            regmig("crawl", "--redis-url", redis, "--output", str(output), *starts, *settings),
            check=True,
            cwd=REPO,
            capture_output=True,
        )
        worker_settings = [
            *settings,
            "-s", "REGMIG_REDIS_IDLE_TIMEOUT=3",
            "-s", "REGMIG_REDIS_WORKER_TIMEOUT=10",
            "-s", "REGMIG_PROGRESS_INTERVAL=0",
            "-s", f"CONCURRENT_REQUESTS={args.concurrency}",
        ]  # fmt: skip
        started = time.monotonic()
        processes = [
            subprocess.Popen(
                regmig("worker", "--redis-url", redis, "--output", str(output), *worker_settings),
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(workers)
        ]
        errors = [p.communicate(timeout=args.timeout)[1] for p in processes]
        wall = time.monotonic() - started
        statuses = [p.returncode for p in processes]
        if any(statuses):
            print("\n".join(e[-2000:] for e in errors), file=sys.stderr)
        import pandas as pd

        publications = len(pd.read_parquet(output / "publications"))
    served = [(i, r) for i, log in enumerate(logs) for r in log]
    pages = sorted(r.at for _, r in served if not r.path.endswith("/robots.txt"))
    span = pages[-1] - pages[0] if len(pages) > 1 else float("nan")
    paths = [(i, r.path) for i, r in served if not r.path.endswith("/robots.txt")]
    return {
        "workers": workers,
        "pages": len(pages),
        "pages_fetched_twice": len(paths) - len(set(paths)),
        "publications": publications,
        "crawl_seconds": round(span, 2),
        "pages_per_second": round((len(pages) - 1) / span, 2),
        "wall_seconds": round(wall, 1),
        "exit_statuses": statuses,
        "load_average": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publications", type=int, default=150, help="site size, politeness off")
    parser.add_argument("--polite-publications", type=int, default=20, help="per host, polite")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds added per response")
    parser.add_argument("--crawl-delay", type=float, default=1.0, help="polite sites' robots.txt")
    parser.add_argument("--concurrency", type=int, default=4, help="requests at a time a worker")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=SCENARIOS)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks/results/distributed.json")
    args = parser.parse_args(argv)
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as work, redis_server(args.redis_url) as redis:
        big = generate_site(Path(work) / "big" / "site", args.publications, seed=1).root
        small = generate_site(Path(work) / "small" / "site", args.polite_publications, seed=1)
        robots = Path(small.root) / "robots.txt"
        robots.write_text(f"User-agent: *\nCrawl-delay: {args.crawl_delay:g}\n", "utf-8")
        for name in args.scenarios:
            polite, hosts = SCENARIOS[name]
            sites = [Path(small.root)] * hosts if polite else [Path(big)]
            for workers in args.workers:
                result = run(redis, sites, workers, polite, args)
                results.setdefault(name, []).append(result)
                print(f"{name:9} workers={workers}: {json.dumps(result)}", flush=True)
    print(f"\n{'scenario':10} " + " ".join(f"{w:>3} worker(s)" for w in args.workers))
    for name, rows in results.items():
        cells = " ".join(f"{r['pages_per_second']:>7.2f} p/s" for r in rows)
        print(f"{name:10} {cells}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"args": vars(args) | {"json": str(args.json)}, "results": results}, indent=1)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
