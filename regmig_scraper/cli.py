"""The ``regmig`` command line.

``regmig crawl`` runs the program spider with the project's settings, like
``scrapy crawl program -a start_url=...`` from the repository root, plus: ``--replay DIR``
(crawl a saved snapshot, no network at all), ``--record DIR`` (save what a live crawl
fetched), ``--incremental`` (fetch only what changed, see ``regmig_scraper.incremental``),
``--resume`` (Scrapy's ``JOBDIR`` in ``OUTPUT/.job``: an interrupted crawl continues where it
stopped), ``-s NAME=VALUE`` (any Scrapy or project setting, highest priority), an
end-of-run summary on stderr and an exit status a scheduler can act on (see
``regmig_scraper.status``). ``regmig report [OUTPUT]`` summarizes a dataset (text and a
self-contained HTML page). ``regmig serve DIR`` serves a static mirror on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from regmig_scraper import __version__
from regmig_scraper.status import EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE, recorded_exit

SETTINGS_MODULE = "regmig_scraper.settings"
JOB_DIR_NAME = ".job"  # --resume: Scrapy's JOBDIR, under the output directory


def _parse_setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value


def _add_log_and_settings_arguments(command: argparse.ArgumentParser) -> None:
    """``--log-level`` and ``-s NAME=VALUE``, as every command that runs a crawler takes them."""
    command.add_argument(
        "--log-level",
        default=None,
        type=str.upper,
        choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
        help="DEBUG, INFO, WARNING, ERROR",
    )
    command.add_argument(
        "-s",
        "--set",
        dest="settings",
        action="append",
        type=_parse_setting,
        default=[],
        metavar="NAME=VALUE",
        help="set a Scrapy or project setting (repeatable)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regmig", description="Crawl think-tank program pages into Parquet datasets."
    )
    parser.add_argument("--version", action="version", version=f"regmig {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    crawl = commands.add_parser("crawl", help="crawl a program page into OUTPUT/publications/")
    crawl.add_argument(
        "--start-url",
        action="append",
        help="program page to crawl, repeatable: one site per host (default: the MPI program)",
    )
    crawl.add_argument("--output", default=None, help="output directory (default: output)")
    crawl.add_argument(
        "--profile",
        metavar="FILE",
        help="TOML site profile helping the generic site module (REGMIG_PROFILE)",
    )
    mode = crawl.add_mutually_exclusive_group()
    mode.add_argument("--replay", metavar="DIR", help="crawl a saved snapshot, no network")
    mode.add_argument("--record", metavar="DIR", help="save every fetched page into DIR")
    mode.add_argument(
        "--incremental",
        action="store_true",
        help="fetch only what changed since the last run (HTTP cache in OUTPUT/.httpcache)",
    )
    crawl.add_argument(
        "--full",
        action="store_true",
        help="with --incremental (required): walk every listing page this time (REGMIG_FULL_WALK)",
    )
    crawl.add_argument(
        "--resume",
        action="store_true",
        help="keep the crawl's state in OUTPUT/.job so that an interrupted run continues "
        "where it stopped when run again with --resume",
    )
    _add_log_and_settings_arguments(crawl)
    _add_distributed_arguments(crawl, commands)

    serve = commands.add_parser("serve", help="serve a static mirror directory on 127.0.0.1")
    serve.add_argument("directory", help="mirror root (pages laid out like a snapshot)")
    serve.add_argument("--port", type=int, default=8000)

    report = commands.add_parser("report", help="summarize OUTPUT's dataset (text and HTML)")
    report.add_argument("output", nargs="?", default="output", help="default: output")
    html = report.add_mutually_exclusive_group()
    html.add_argument("--html", metavar="PATH", help="HTML report path (OUTPUT/report.html)")
    html.add_argument("--no-html", action="store_true", help="print the text report only")
    return parser


def _add_distributed_arguments(crawl: argparse.ArgumentParser, commands: Any) -> None:
    """``crawl --redis-url`` / ``--start-urls-file``, ``worker`` and ``merge`` (README,
    "Distributed crawls"; ``regmig_scraper.distributed.commands``)."""
    crawl.add_argument(
        "--redis-url",
        help="seed a distributed crawl in this Redis (redis://HOST:6379/0) for workers to run",
    )
    crawl.add_argument(
        "--start-urls-file", metavar="FILE", help="start URLs, one a line (# comments)"
    )
    worker = commands.add_parser("worker", help="crawl from a distributed run's shared frontier")
    merge = commands.add_parser("merge", help="merge the workers' parts into OUTPUT's dataset")
    worker.add_argument("--redis-url", help="the run's Redis (or -s REGMIG_REDIS_URL=...)")
    worker.add_argument("--output", default=None, help="output directory (default: output)")
    merge.add_argument("output", nargs="?", default=None, help="default: output")
    for command in (worker, merge):
        _add_log_and_settings_arguments(command)
        command.set_defaults(replay=None, record=None)


def _start_urls(args: argparse.Namespace) -> list[str] | None:
    """``--start-url`` values, then those of ``--start-urls-file``."""
    urls = list(args.start_url or [])
    if getattr(args, "start_urls_file", None):
        try:
            lines = Path(args.start_urls_file).read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise ValueError(f"--start-urls-file: {error}") from error
        urls += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return urls or None


def crawl_settings(args: argparse.Namespace) -> Any:
    """The project settings with the command line applied (``-s`` last, highest priority)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    from scrapy.settings import SETTINGS_PRIORITIES
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if args.output:
        settings.set("REGMIG_OUTPUT", str(Path(args.output).resolve()), priority="cmdline")
    if getattr(args, "profile", None):
        settings.set("REGMIG_PROFILE", str(Path(args.profile).resolve()), priority="cmdline")
    if args.log_level:
        settings.set("LOG_LEVEL", args.log_level.upper(), priority="cmdline")
    snapshot = args.replay or args.record
    if snapshot:
        directory = Path(snapshot).resolve()
        if args.replay and not directory.is_dir():
            raise ValueError(f"--replay: no snapshot directory at {directory}")
        settings.set("HTTPCACHE_ENABLED", True, priority="cmdline")
        settings.set("HTTPCACHE_DIR", str(directory), priority="cmdline")
        settings.set("HTTPCACHE_STORAGE", "regmig_scraper.snapshot.SnapshotStorage", "cmdline")
        settings.set("HTTPCACHE_IGNORE_HTTP_CODES", [], priority="cmdline")
        settings.set("HTTPCACHE_EXPIRATION_SECS", 0, priority="cmdline")
    if args.replay:
        settings.set("HTTPCACHE_POLICY", "scrapy.extensions.httpcache.DummyPolicy", "cmdline")
        settings.set("HTTPCACHE_IGNORE_MISSING", True, priority="cmdline")
        settings.set("REGMIG_POLITE", False, priority="cmdline")
    if args.record:
        settings.set("HTTPCACHE_POLICY", "regmig_scraper.snapshot.RecordPolicy", "cmdline")
    for name, value in args.settings:
        settings.set(name, value, priority="cmdline")
    from regmig_scraper.config import check_settings

    if settings.getpriority("STATS_DUMP") <= SETTINGS_PRIORITIES["project"]:
        settings.set("STATS_DUMP", False, priority="project")  # the summary and runs/ hold them
    if getattr(args, "incremental", False):
        settings.set("REGMIG_INCREMENTAL", True, priority="cmdline")
    if getattr(args, "full", False):
        settings.set("REGMIG_FULL_WALK", True, priority="cmdline")
    problems = check_settings(settings)  # before anything reads a value it cannot parse
    if problems:
        raise ValueError("; ".join(problems))
    if settings.getbool("REGMIG_INCREMENTAL") and snapshot:
        raise ValueError("REGMIG_INCREMENTAL cannot be combined with --replay or --record")
    from regmig_scraper.arrow_memory import SETTING, choose_memory_pool

    choose_memory_pool(settings.get(SETTING) or "")  # before anything loads pyarrow
    if getattr(args, "resume", False) and not any(name == "JOBDIR" for name, _ in args.settings):
        output = Path(settings.get("REGMIG_OUTPUT")).resolve()
        settings.set("JOBDIR", str(output / JOB_DIR_NAME), priority="cmdline")
    return settings


def replay_start_urls(snapshot: Path, given: list[str] | None) -> list[str] | None:
    """The start URLs of a replay: those given, else those the recording names, else the
    default when the snapshot holds its page (None); else a ValueError saying what to pass."""
    from regmig_scraper.snapshot import holds_page, host_directories, recorded_start_urls
    from regmig_scraper.spiders.program import DEFAULT_START_URL

    if given:
        return given
    recorded = recorded_start_urls(snapshot)
    if recorded:
        return recorded
    if holds_page(snapshot, DEFAULT_START_URL):
        return None
    hosts = ", ".join(path.name for path in host_directories(snapshot)) or "none"
    raise ValueError(
        f"--replay {snapshot}: the snapshot names no start URL and has no page for the default "
        f"one ({DEFAULT_START_URL}); pass --start-url (hosts in the snapshot: {hosts})"
    )


def unusable_output(output: Path) -> str | None:
    """Why the output directory cannot be used (made, or written in), in one line; None if
    it can. Checked before the crawl: a crawl whose dataset cannot be written is wasted."""
    if output.exists() and not output.is_dir():
        return f"--output {output}: exists and is not a directory"
    try:
        output.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=output):
            pass
    except OSError as error:
        return f"--output {output}: cannot write there ({error.strerror or error})"
    return None


def run_crawl(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from regmig_scraper.logs import shorten
    from regmig_scraper.spiders.program import ProgramSpider

    try:
        settings = crawl_settings(args)
        args.start_url = _start_urls(args)
        if args.replay:
            args.start_url = replay_start_urls(Path(args.replay).resolve(), args.start_url)
        if getattr(args, "redis_url", None):
            settings.set("REGMIG_REDIS_URL", args.redis_url, priority="cmdline")
        ProgramSpider.check(settings, args.start_url)  # URLs and sites, before anything runs
        if args.record:
            from regmig_scraper.snapshot import write_start_urls
            from regmig_scraper.spiders.program import DEFAULT_START_URL

            write_start_urls(Path(args.record).resolve(), args.start_url or [DEFAULT_START_URL])
    except ValueError as error:
        print(f"regmig: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if settings.get("REGMIG_REDIS_URL"):
        from regmig_scraper.distributed.commands import seed

        return seed(settings, args.start_url)
    from regmig_scraper.dataset.store import DatasetLockedError, DatasetStore  # loads pyarrow

    output = Path(settings.get("REGMIG_OUTPUT")).resolve()
    problem = unusable_output(output)
    if problem is not None:
        print(f"regmig: error: {problem}", file=sys.stderr)
        return EXIT_USAGE if output.exists() and not output.is_dir() else EXIT_FAILED
    # The lock is taken before the crawl starts and held until it ends: a second run started
    # at the same moment is refused here (exit 4), never half-way through its crawl.
    held = contextlib.ExitStack()
    try:
        held.enter_context(DatasetStore(output).lock())
    except DatasetLockedError as error:
        print(f"regmig: error: {error}", file=sys.stderr)
        return EXIT_LOCKED
    except OSError as error:
        from regmig_scraper.dataset.run import describe_write_error

        print(
            f"regmig: error: cannot write to the output directory {output}: "
            f"{describe_write_error(error)}",
            file=sys.stderr,
        )
        return EXIT_FAILED

    started = time.monotonic()
    with held:
        shorten(settings)
        process = CrawlerProcess(settings)
        shorten(settings)  # Scrapy's logging set-up resets the levels
        crawler = process.create_crawler(ProgramSpider)
        kwargs = {"start_urls": args.start_url} if args.start_url else {}
        process.crawl(crawler, **kwargs)
        process.start()

    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    status, why = recorded_exit(stats)  # decided once, by the dataset step (status.py)
    print_summary(stats, output, time.monotonic() - started, status, why)
    return status


def print_summary(
    stats: dict[str, Any], output: Path, seconds: float, status: int, why: str
) -> None:
    """A short end-of-run summary on stderr: what was fetched, written and dropped; the verdict
    is the last line, the one a person (or a scheduler's mail) reads."""
    found = int(stats.get("regmig/dataset/publications", 0) or 0)
    committed = "regmig/dataset/new" in stats  # the store's counts exist only after a commit
    if committed:
        written = (
            f"  publications written: {found} "
            f"({stats.get('regmig/dataset/new', 0)} new, "
            f"{stats.get('regmig/dataset/changed', 0)} changed, "
            f"{stats.get('regmig/dataset/unchanged', 0)} unchanged) -> {output / 'publications'}"
        )
    else:
        written = f"  publications written: 0 ({found} found, not committed)"
    lines = [
        f"  pages fetched: {stats.get('regmig/listing/pages', 0)} listing, "
        f"{stats.get('regmig/pages/fetched', 0)} publication",
        written,
        f"  translation pairs: {stats.get('regmig/dataset/translation_pairs', 0)}",
    ]
    from regmig_scraper.status import drops_and_errors

    drops, errors = drops_and_errors(stats)
    for title, counts in (("drops", drops), ("errors", errors)):
        if counts:
            lines.append(f"  {title}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    if any(key.startswith("regmig/incremental/") for key in stats):
        lines.append(
            "  incremental: "
            f"{stats.get('regmig/incremental/skipped', 0)} skipped (cached copy, no request), "
            f"{stats.get('regmig/incremental/revalidated', 0)} revalidated (not modified), "
            f"{stats.get('regmig/incremental/refetched', 0)} refetched (changed), "
            f"{stats.get('regmig/incremental/new', 0)} new"
        )
        lines.append(requests_line(stats))
    if stats.get("regmig/resume/interrupted"):
        lines.append(f"  resume: state kept in {output / JOB_DIR_NAME}; run again with --resume")
    elif int(stats.get("regmig/resume/segments", 0)) > 1:
        lines.append(f"  resumed: this crawl took {stats['regmig/resume/segments']} runs")
    # the committed run's time, as runs/ and `regmig report` give it; else the process's
    seconds = float(stats.get("regmig/run/seconds", seconds))
    lines.append(f"  time: {seconds:.1f} s")
    verdict = "ok" if status == 0 else "FAILED" if status == EXIT_FAILED else "partial"
    lines.append(f"regmig: {verdict} (exit {status}): {why}")
    print("\n".join(lines), file=sys.stderr)


def requests_line(stats: dict[str, Any]) -> str:
    """What an incremental run asked the site for, and what it did not have to."""
    from regmig_scraper.spiders.program import NOT_WALKED

    cached = int(stats.get("regmig/incremental/skipped", 0))
    not_walked = int(stats.get(NOT_WALKED, 0))
    left = int(stats.get("regmig/sitemaps/left", 0))
    walk = "full walk" if stats.get("regmig/incremental/full_walk") else "stopped at the known"
    sitemaps = f", {left} sitemaps without the program's publications" if left else ""
    return (
        f"  requests: {stats.get('regmig/requests/sent', 0)} made, "
        f"{cached + not_walked + left} saved ({cached} pages from the cache, {not_walked} "
        f"listing pages not walked: {walk}{sitemaps})"
    )


def run_serve(args: argparse.Namespace) -> int:
    """Serve a mirror, or a snapshot's one host, on 127.0.0.1; one line for what is wrong."""
    from regmig_scraper.mirror import serve_forever
    from regmig_scraper.snapshot import host_directories

    directory = Path(args.directory).resolve()
    if not directory.is_dir():
        print(f"regmig: error: no directory at {directory}", file=sys.stderr)
        return EXIT_USAGE
    hosts = host_directories(directory)
    if len(hosts) > 1:
        names = ", ".join(str(host) for host in hosts)
        print(
            f"regmig: error: {directory} is a snapshot of several hosts: serve one of {names}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if hosts:  # a snapshot root: its pages are under the one host's folder
        print(f"regmig: serving the snapshot's pages of {hosts[0].name}", file=sys.stderr)
        directory = hosts[0]
    try:
        serve_forever(directory, port=args.port)
    except OSError as error:
        print(
            f"regmig: error: cannot serve on 127.0.0.1:{args.port} ({error.strerror or error})"
            + ("; pass another --port" if error.errno == errno.EADDRINUSE else ""),
            file=sys.stderr,
        )
        return EXIT_FAILED
    return 0


def run_report(args: argparse.Namespace) -> int:
    """Print the dataset report; write the HTML page unless ``--no-html``."""
    from regmig_scraper.report import HTML_NAME, ReportError, build_report, render_text, write_html

    output = Path(args.output).resolve()
    try:
        report = build_report(output)
        sys.stdout.write(render_text(report))
        if not args.no_html:
            path = write_html(report, Path(args.html) if args.html else output / HTML_NAME)
            print(f"regmig: HTML report written to {path.resolve()}", file=sys.stderr)
    except (ReportError, OSError) as error:
        print(f"regmig: error: {' '.join(str(error).split())}", file=sys.stderr)
        return EXIT_FAILED
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "crawl":
        return run_crawl(args)
    if args.command == "serve":
        return run_serve(args)
    if args.command == "report":
        return run_report(args)
    if args.command in ("worker", "merge"):
        from regmig_scraper.distributed import commands

        return commands.run_worker(args) if args.command == "worker" else commands.run_merge(args)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
