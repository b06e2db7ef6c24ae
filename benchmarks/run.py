"""Benchmark: speed and memory at scale, side by side with the framework's ceiling and trafilatura.

``python -m benchmarks [--publications 5000] [--json PATH] [--keep DIR] ...``

1. generates a synthetic copy of the program site with N publications (``benchmarks.sitegen``)
   in a work directory under /tmp (``--keep DIR`` keeps it there and reuses it next time);
2. serves it with ``regmig_scraper.mirror.serving`` in a separate process (its CPU is reported
   apart, never counted against a crawler);
3. runs each crawl as a subprocess, measured from outside (``os.wait4``: CPU seconds, peak RSS;
   wall time): (1) a bare Scrapy spider that follows the same links and extracts nothing
   (``benchmarks.bare_spider``, the framework's ceiling), (2) the full ``regmig crawl`` with
   ``-s REGMIG_POLITE=false``, (2b) that crawl again into the dataset it wrote (the nightly
   case: the commit merges with an existing file), (2g) the same crawl read by the generic site
   module (``-s REGMIG_SITE=generic``: no MPI selectors), (3) the same crawl with ``--replay`` (no
   HTTP), (4) trafilatura's
   ``bare_extraction(..., with_metadata=True)`` over the same publication pages
   (``benchmarks.trafilatura_bench``), compared with our dataset and the ground truth;
4. checks that the crawl's dataset (after the re-run, when there is one) holds every one of
   the N publications once (and how many of its fields equal the ground truth);
5. profiles the full crawl with cProfile and splits its CPU by stage (extraction, each
   pipeline, the dataset commit, the rest = Scrapy/Twisted);
6. times the normalization pipelines in-process stage by stage (``benchmarks.stages``) over
   repeated strings and over all-new strings;
7. times the Parquet write of ``--merge-rows`` rows and the merge of 10,000 new rows into them
   (``benchmarks.store_bench``, built on ``benchmarks/merge_bench.py``);
8. prints a table, writes JSON (``--json``, default ``benchmarks/results/latest.json``, also
   copied to ``results/n<N>.json``) and checks the issue's targets.

A step that fails is reported with its exit code and log and the others still run. Exit status:
0 when every measured step ran (targets may still be missed: see the JSON), 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import logging
import os
import platform
import pstats
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.measure import Measurement, SiteServer, run_measured
from benchmarks.sitegen import GROUND_TRUTH, HOST, ORIGIN, PROGRAM_PATH, generate_site

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
DEFAULT_JSON = RESULTS / "latest.json"
JSON_SCHEMA_VERSION = 1
# The crawl's safety caps and their defaults when the project settings do not name them; the
# harness raises a cap the generated site would hit (and says so in the JSON).
CRAWL_CAPS = {
    # setting: (default, site-info key, margin)
    "REGMIG_MAX_PAGER_PAGE": (500, "max_pager_page", 1),
    "REGMIG_MAX_LISTING_PAGES": (2000, "listing_urls", 100),
}

# --- the targets --------------------------------------------------------------------
TARGET_CPU_RATIO = 2.0  # full crawl CPU per page <= 2.0x the bare spider's
STRETCH_CPU_RATIO = 1.5
TARGET_PEAK_RSS_MB = 400  # at 5,000 publications
TARGET_RSS_PUBLICATIONS = 5000
TARGET_RSS_GROWTH = 1.5  # from 5,000 to 50,000 publications
TARGET_REPEATED_ITEMS_PER_S = 20_000
TARGET_NEW_ITEMS_PER_S = 2_000
TARGET_MERGE_S = 10.0  # 1,000,000 existing rows + 10,000 new
TARGET_MERGE_ROWS = 1_000_000
MERGE_NEW_ROWS = 10_000

# Functions of the crawl profile that mark a stage: (label, file suffix, function name).
PROFILE_STAGES = (
    ("extract: listing pages", "regmig_scraper/sites/mpi/__init__.py", "extract_listing"),
    ("extract: publication pages", "regmig_scraper/sites/mpi/__init__.py", "extract_publication"),
    ("pipeline: text", "pipelines/text.py", "process_item"),
    ("pipeline: content_types", "pipelines/content_types.py", "process_item"),
    ("pipeline: dates", "pipelines/dates.py", "process_item"),
    ("pipeline: authors", "pipelines/authors.py", "process_item"),
    ("pipeline: language", "pipelines/language.py", "process_item"),
    ("pipeline: dataset (staging)", "pipelines/dataset.py", "process_item"),
    ("dataset: merge + commit", "pipelines/dataset.py", "spider_closed"),
)
PROFILE_TOP = 25


# ---------------------------------------------------------------------------- helpers


def _python() -> str:
    return sys.executable


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def _loadavg() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _measure(name: str, command: list[str], work: Path, timeout: float) -> Measurement:
    logger.info("running %s: %s", name, " ".join(command))
    return run_measured(
        command, cwd=REPO, env=_env(), log_path=work / f"{name}.log", timeout=timeout
    )


def _per_page(m: Measurement, pages: int, server_cpu: float | None = None) -> dict[str, Any]:
    data = m.as_dict()
    data["pages"] = pages
    data["pages_per_s"] = round(pages / m.wall_s, 1) if m.wall_s and pages else None
    data["cpu_s_per_1000_pages"] = round(1000 * m.cpu_s / pages, 3) if pages else None
    if server_cpu is not None:
        data["server_cpu_s"] = round(server_cpu, 3)
    data["status"] = "ok" if m.exit_code == 0 and not m.timed_out else "failed"
    return data


def read_run_record(output: Path) -> dict[str, Any]:
    """The last run's row of ``OUTPUT/runs/run-*.parquet`` (empty when there is none)."""
    runs = sorted((output / "runs").glob("run-*.parquet"))
    if not runs:
        return {}
    import pyarrow.parquet as pq

    return pq.read_table(runs[-1]).to_pylist()[-1]


def run_stats(record: dict[str, Any]) -> dict[str, Any]:
    """The Scrapy stats a runs/ row recorded (empty when it holds none that parse)."""
    try:
        return json.loads(record.get("stats_json") or "{}")
    except ValueError:
        return {}


def read_crawl_stats(output: Path) -> dict[str, Any]:
    """The Scrapy stats the last run recorded in ``OUTPUT/runs/``."""
    return run_stats(read_run_record(output))


# What a run did to the dataset, as its runs/ row says.
MERGE_OUTCOMES = (
    "publications_new",
    "publications_changed",
    "publications_unchanged",
    "publications_not_seen",
)


def _responses(stats: dict[str, Any]) -> int:
    return int(stats.get("response_received_count") or stats.get("downloader/response_count") or 0)


def _tail(path: str | None, lines: int = 15) -> str:
    if not path or not Path(path).exists():
        return ""
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


# ---------------------------------------------------------------------------- steps


def prepare_site(work: Path, publications: int, seed: int) -> tuple[dict[str, Any], Path, Path]:
    """Generate (or reuse, when ``work`` holds the same site) the site; its info and paths."""
    snapshot = work / "snapshot"
    site = snapshot / HOST
    truth_path = work / GROUND_TRUTH
    if truth_path.exists() and site.is_dir():
        info = json.loads(truth_path.read_text(encoding="utf-8"))["site"]
        if info.get("publications") == publications and info.get("seed") == seed:
            info["generate_s"] = None
            info["reused"] = True
            return info, site, truth_path
    t0 = time.perf_counter()
    info = asdict(generate_site(site, publications, seed, truth_path=truth_path))
    info["generate_s"] = round(time.perf_counter() - t0, 2)
    info["reused"] = False
    return info, site, truth_path


def raised_caps(info: dict[str, Any]) -> list[str]:
    """``-s NAME=VALUE`` for each crawl cap (``CRAWL_CAPS``) the site would otherwise hit."""
    from regmig_scraper import settings as project

    out: list[str] = []
    for name, (default, key, margin) in CRAWL_CAPS.items():
        cap = getattr(project, name, default)
        if info.get(key, 0) >= cap:
            out += ["-s", f"{name}={info[key] + margin}"]
    return out


def crawl_outcome(stats: dict[str, Any]) -> dict[str, Any]:
    """Drops and errors by reason, as the run recorded them (``regmig_scraper.status``)."""
    try:
        from regmig_scraper.status import drops_and_errors
    except ImportError:
        return {}
    drops, errors = drops_and_errors(stats)
    return {"drops": drops, "errors": errors}


def crawl_result(
    m: Measurement,
    stats: dict[str, Any],
    output: Path,
    load: float | None,
    *,
    server_cpu: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One ``regmig crawl`` run's figures: its measurement, what its stats say, ``extra``."""
    result = _per_page(m, _responses(stats), server_cpu)
    result.update(
        loadavg_before=load,
        output=str(output),
        items=stats.get("item_scraped_count", 0),
        publications=stats.get("regmig/dataset/publications"),
        elapsed_time_s=stats.get("elapsed_time_seconds"),
        listing_pages=stats.get("regmig/listing/pages"),
        publication_pages=stats.get("regmig/pages/fetched"),
        **extra,
        **crawl_outcome(stats),
    )
    if result["status"] != "ok":
        result["log_tail"] = _tail(m.log)
    return result


def crawl_command(
    start_url: str, output: Path, extra: Sequence[str] = (), *, under: Sequence[str] = ()
) -> list[str]:
    """``regmig crawl`` as a subprocess command; ``under``: interpreter options before it
    (``-m cProfile -o FILE`` for the profiled crawl)."""
    return [
        _python(),
        *under,
        "-m",
        "regmig_scraper.cli",
        "crawl",
        "--start-url",
        start_url,
        "--output",
        str(output),
        *extra,
    ]


def run_http_crawls(
    site: Path, work: Path, args: argparse.Namespace, settings: list[str], timeout: float
) -> dict[str, Any]:
    """Bare spider, full crawl and (optionally) the profiled crawl against one server."""
    runs: dict[str, Any] = {}
    with SiteServer(site) as server:
        start_url = server.base_url + PROGRAM_PATH
        cpu = server.cpu

        # (1) the framework's ceiling
        stats_path = work / "bare-stats.json"
        before, load = cpu.seconds(), _loadavg()
        m = _measure(
            "bare",
            [
                _python(),
                "-m",
                "benchmarks.bare_spider",
                "--start-url",
                start_url,
                "--stats",
                str(stats_path),
            ],
            work,
            timeout,
        )
        stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
        runs["bare"] = _per_page(m, _responses(stats), cpu.seconds() - before)
        runs["bare"].update(
            loadavg_before=load,
            items=stats.get("item_scraped_count", 0),
            elapsed_time_s=stats.get("elapsed_time_seconds"),
        )

        # (2) the full crawl, and (2b) the same crawl again into the dataset it wrote, as a
        # nightly schedule runs it: that commit merges with an existing file
        output = work / "out-full"
        shutil.rmtree(output, ignore_errors=True)
        cmd = crawl_command(start_url, output, ["-s", "REGMIG_POLITE=false", *settings])
        for name in ("full",) if args.skip_rerun else ("full", "rerun"):
            before, load = cpu.seconds(), _loadavg()
            m = _measure(name, cmd, work, timeout)
            record = read_run_record(output)
            stats = run_stats(record)
            runs[name] = crawl_result(
                m,
                stats,
                output,
                load,
                server_cpu=cpu.seconds() - before,
                **{key: record.get(key) for key in MERGE_OUTCOMES},
            )

        # (2g) the same crawl read by the generic site module: listings found by structure,
        # publication pages read by the generic metadata extractor
        if not args.skip_generic:
            output = work / "out-generic"
            shutil.rmtree(output, ignore_errors=True)
            cmd = crawl_command(
                start_url,
                output,
                ["-s", "REGMIG_POLITE=false", "-s", "REGMIG_SITE=generic", *settings],
            )
            before, load = cpu.seconds(), _loadavg()
            m = _measure("generic", cmd, work, timeout)
            stats = run_stats(read_run_record(output))
            runs["generic"] = crawl_result(
                m,
                stats,
                output,
                load,
                server_cpu=cpu.seconds() - before,
            )

        # the same crawl under cProfile, for the split of its CPU by stage
        if not args.skip_profile:
            output = work / "out-profile"
            shutil.rmtree(output, ignore_errors=True)
            prof = work / "crawl.prof"
            cmd = crawl_command(
                start_url,
                output,
                ["-s", "REGMIG_POLITE=false", *settings],
                under=["-m", "cProfile", "-o", str(prof)],
            )
            m = _measure("profile", cmd, work, timeout * 3)
            runs["profile_run"] = {
                "status": "ok" if prof.exists() else "failed",
                "wall_s": round(m.wall_s, 2),
                "profile": str(prof),
            }
    return runs


def run_replay(work: Path, settings: list[str], timeout: float) -> dict[str, Any]:
    output = work / "out-replay"
    shutil.rmtree(output, ignore_errors=True)
    snapshot = work / "snapshot"
    (snapshot / "index.jsonl").unlink(missing_ok=True)
    cmd = crawl_command(ORIGIN + PROGRAM_PATH, output, ["--replay", str(snapshot), *settings])
    load = _loadavg()
    m = _measure("replay", cmd, work, timeout)
    stats = read_crawl_stats(output)
    return crawl_result(
        m,
        stats,
        output,
        load,
        httpcache_hit=stats.get("httpcache/hit"),
        httpcache_ignore=stats.get("httpcache/ignore"),
    )


def run_trafilatura(
    site: Path, truth: Path, ours: Path | None, work: Path, timeout: float
) -> dict[str, Any]:
    if importlib.util.find_spec("trafilatura") is None:
        return {"status": "skipped", "reason": "skipped: trafilatura not installed"}
    out = work / "trafilatura.json"
    cmd = [
        _python(),
        "-m",
        "benchmarks.trafilatura_bench",
        "--site",
        str(site),
        "--truth",
        str(truth),
        "--json",
        str(out),
    ]
    if ours is not None and ours.exists():
        cmd += ["--ours", str(ours)]
    m = _measure("trafilatura", cmd, work, timeout)
    if m.exit_code != 0 or not out.exists():
        return {"status": "failed", "exit_code": m.exit_code, "log_tail": _tail(m.log)}
    result = json.loads(out.read_text())
    if result.get("status") != "ok":
        return result
    pages = result["pages"]
    result.update(
        wall_s=round(m.wall_s, 3),
        cpu_s=round(m.cpu_s, 3),
        peak_rss_mb=round(m.peak_rss_mb, 1),
        cpu_s_per_1000_pages=round(1000 * result["extract_cpu_s"] / pages, 3) if pages else None,
    )
    return result


def run_stages(site: Path, truth: Path, work: Path, items: int, timeout: float) -> dict[str, Any]:
    """Each scenario timed in one fresh process and profiled in another."""
    out: dict[str, Any] = {}
    records = work / "stage-records.pickle"  # shared by this run's scenarios only: the
    records.unlink(missing_ok=True)  # extraction is timed when it is written
    for scenario in ("repeated", "new"):
        results = {}
        for mode in ("time", "profile"):
            path = work / f"stages-{scenario}-{mode}.json"
            cmd = [
                _python(), "-m", "benchmarks.stages", "--site", str(site), "--truth", str(truth),
                "--scenario", scenario, "--items", str(items), "--records", str(records),
                "--mode", mode, "--profile", str(work / f"stages-{scenario}.prof"),
                "--json", str(path),
            ]  # fmt: skip
            m = _measure(f"stages-{scenario}-{mode}", cmd, work, timeout)
            if m.exit_code != 0 or not path.exists():
                results[mode] = {"status": "failed", "exit_code": m.exit_code,
                                 "log_tail": _tail(m.log)}  # fmt: skip
            else:
                results[mode] = {"status": "ok", **json.loads(path.read_text())}
        timed, profiled = results["time"], results["profile"]
        out[scenario] = {**timed, "profile": profiled.get("profile", profiled)}
    return out


def run_store(rows: int, changed: int, work: Path, timeout: float) -> dict[str, Any]:
    path = work / "store.json"
    cmd = [
        _python(),
        "-m",
        "benchmarks.store_bench",
        "--rows",
        str(rows),
        "--new",
        str(MERGE_NEW_ROWS),
        "--changed",
        str(changed),
        "--json",
        str(path),
    ]
    m = _measure("store", cmd, work, timeout)
    if m.exit_code != 0 or not path.exists():
        return {"status": "failed", "exit_code": m.exit_code, "log_tail": _tail(m.log)}
    return {"status": "ok", **json.loads(path.read_text()), "peak_rss_mb": round(m.peak_rss_mb, 1)}


def analyze_profile(path: Path) -> dict[str, Any]:
    """Split the profiled crawl's CPU by stage; its top functions."""
    stats = pstats.Stats(str(path))
    raw = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    shares = []
    attributed = 0.0
    for label, suffix, function in PROFILE_STAGES:
        cum = sum(
            value[3]
            for (file, _line, func), value in raw.items()
            if func == function and file.replace(os.sep, "/").endswith(suffix)
        )
        calls = sum(
            value[1]
            for (file, _line, func), value in raw.items()
            if func == function and file.replace(os.sep, "/").endswith(suffix)
        )
        attributed += cum
        shares.append(
            {
                "stage": label,
                "calls": calls,
                "cpu_s": round(cum, 3),
                "share": round(cum / total, 4) if total else None,
            }
        )
    rest = total - attributed
    shares.append(
        {
            "stage": "Scrapy, Twisted, HTTP and the rest",
            "calls": None,
            "cpu_s": round(rest, 3),
            "share": round(rest / total, 4) if total else None,
        }
    )

    def top(key: int) -> list[dict[str, Any]]:
        rows = sorted(raw.items(), key=lambda kv: kv[1][key], reverse=True)[:PROFILE_TOP]
        return [
            {
                "function": f"{_short_path(file)}:{line}({func})",
                "calls": value[1],
                "tottime_s": round(value[2], 3),
                "cumtime_s": round(value[3], 3),
            }
            for (file, line, func), value in rows
        ]

    packages: dict[str, float] = {}
    for (file, _line, func), value in raw.items():
        group = _package_of(file, func)
        packages[group] = packages.get(group, 0.0) + value[2]
    by_package = [
        {"package": name, "tottime_s": round(t, 3), "share": round(t / total, 4) if total else None}
        for name, t in sorted(packages.items(), key=lambda kv: kv[1], reverse=True)[:PROFILE_TOP]
    ]
    return {
        "profile": str(path),
        "total_s": round(total, 3),
        "stages": shares,
        "by_package": by_package,
        "top_tottime": top(2),
        "top_cumtime": top(3),
    }


def _package_of(file: str, func: str) -> str:
    """Where a profiled function lives: a package, a project module, stdlib or a builtin."""
    file = file.replace(os.sep, "/")
    if file.startswith("~"):  # a builtin: "<method 'xpath' of 'lxml.etree._Element' objects>"
        match = re.search(r"of '([\w.]+)' objects|<built-in method ([\w.]+)", func)
        owner = (match.group(1) or match.group(2)).split(".")[0] if match else ""
        return f"builtin {owner}".strip()
    if "site-packages/" in file:
        return file.split("site-packages/", 1)[1].split("/", 1)[0]
    repo = str(REPO).replace(os.sep, "/") + "/"
    if file.startswith(repo):
        return file[len(repo) :]
    match = re.search(r"/python3\.\d+/([^/]+)", file)
    return f"stdlib {match.group(1).removesuffix('.py')}" if match else file


def _short_path(file: str) -> str:
    for marker in ("site-packages/", "/work/main/", str(REPO) + "/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


# ---------------------------------------------------------------------------- targets


def _target(name: str, value: Any, threshold: str, passed: bool | None, note: str = "") -> dict:
    return {"target": name, "value": value, "threshold": threshold, "passed": passed, "note": note}


def check_targets(result: dict[str, Any], baseline: dict[str, Any] | None) -> list[dict]:
    runs, n = result["runs"], result["config"]["publications"]
    full, bare = runs.get("full", {}), runs.get("bare", {})
    targets = []
    ratio = result["ratios"].get("full_vs_bare_cpu_per_page")
    targets.append(
        _target(
            "full crawl CPU per page vs bare spider",
            ratio,
            f"<= {TARGET_CPU_RATIO}x (stretch {STRETCH_CPU_RATIO}x)",
            None if ratio is None else ratio <= TARGET_CPU_RATIO,
            "stretch met" if ratio and ratio <= STRETCH_CPU_RATIO else "",
        )
    )
    cov = result["dataset"].get("full", {}).get("coverage", {})
    targets.append(
        _target(
            "every publication in the dataset, once",
            f"{cov.get('rows')} rows, {cov.get('missing')} missing, "
            f"{cov.get('extra')} extra, {cov.get('duplicated')} duplicated",
            f"{n} rows, 0 missing/extra/duplicated",
            cov.get("every_publication_once"),
        )
    )
    rss = full.get("peak_rss_mb")
    applies = n == TARGET_RSS_PUBLICATIONS
    for key, name in (("full", "peak RSS of the full crawl"), ("rerun", "peak RSS of the re-run")):
        peak = runs.get(key, {}).get("peak_rss_mb")
        if key == "rerun" and peak is None:
            continue
        targets.append(
            _target(
                name,
                peak,
                f"<= {TARGET_PEAK_RSS_MB} MB at {TARGET_RSS_PUBLICATIONS} publications",
                (peak <= TARGET_PEAK_RSS_MB) if (applies and peak) else None,
                "" if applies else f"informational at {n} publications",
            )
        )
    growth = None
    if baseline and rss:
        base_rss = baseline.get("runs", {}).get("full", {}).get("peak_rss_mb")
        base_n = baseline.get("config", {}).get("publications")
        if base_rss and base_n and base_n < n:
            growth = round(rss / base_rss, 3)
            targets.append(
                _target(
                    f"peak RSS growth {base_n} -> {n} publications",
                    growth,
                    f"< {TARGET_RSS_GROWTH}x",
                    growth < TARGET_RSS_GROWTH,
                )
            )
    if growth is None:
        targets.append(
            _target(
                "peak RSS growth 5,000 -> 50,000 publications",
                None,
                f"< {TARGET_RSS_GROWTH}x",
                None,
                "needs a baseline run (results/n5000.json)",
            )
        )
    for scenario, floor in (
        ("repeated", TARGET_REPEATED_ITEMS_PER_S),
        ("new", TARGET_NEW_ITEMS_PER_S),
    ):
        rate = result["stages"].get(scenario, {}).get("chain", {}).get("items_per_s")
        targets.append(
            _target(
                f"normalization items/s per core ({scenario} strings)",
                rate,
                f">= {floor}",
                None if rate is None else rate >= floor,
            )
        )
    store = result.get("store", {})
    merge = store.get("merge_s")
    applies = store.get("rows") == TARGET_MERGE_ROWS
    targets.append(
        _target(
            "merge 1,000,000 existing rows + 10,000 new",
            merge,
            f"< {TARGET_MERGE_S} s",
            (merge < TARGET_MERGE_S) if (merge is not None and applies) else None,
            "" if applies else f"measured with {store.get('rows')} rows",
        )
    )
    del bare
    return targets


# ---------------------------------------------------------------------------- output


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render_table(result: dict[str, Any]) -> str:
    cfg, site, runs = result["config"], result["site"], result["runs"]
    lines = [
        f"regmig benchmark — {cfg['publications']:,} publications (seed {cfg['seed']}): "
        f"{site.get('listing_urls', 0):,} listing + {site.get('detail_files', 0):,} publication "
        f"pages, {site.get('bytes', 0) / 1e6:,.0f} MB; {result['environment']['cpus']} CPUs",
        "",
        f"{'run':<24}{'status':>8}{'pages':>8}{'wall s':>9}{'pages/s':>9}{'CPU s':>9}"
        f"{'CPU s/1k pg':>13}{'peak RSS MB':>13}{'server CPU s':>14}",
    ]
    labels = (
        ("bare", "(1) bare Scrapy spider"),
        ("full", "(2) regmig crawl"),
        ("rerun", "(2b) same, again"),
        ("generic", "(2g) REGMIG_SITE=generic"),
        ("replay", "(3) regmig crawl --replay"),
        ("trafilatura", "(4) trafilatura"),
    )
    for key, label in labels:
        run = runs.get(key)
        if not run:
            continue
        if run.get("status") == "skipped" or (run.get("status") == "failed" and "pages" not in run):
            lines.append(f"{label:<24}{run.get('status'):>8}  {run.get('reason', '')}")
            continue
        lines.append(
            f"{label:<24}{run.get('status', ''):>8}{_fmt(run.get('pages')):>8}"
            f"{_fmt(run.get('wall_s', run.get('extract_wall_s'))):>9}"
            f"{_fmt(run.get('pages_per_s')):>9}{_fmt(run.get('cpu_s')):>9}"
            f"{_fmt(run.get('cpu_s_per_1000_pages'), 2):>13}{_fmt(run.get('peak_rss_mb')):>13}"
            f"{_fmt(run.get('server_cpu_s')):>14}"
        )
    ratios = result["ratios"]
    lines += [
        "",
        f"(2)/(1): CPU per page {_fmt(ratios.get('full_vs_bare_cpu_per_page'), 2)}x, "
        f"CPU {_fmt(ratios.get('full_vs_bare_cpu'), 2)}x, "
        f"pages/s {_fmt(ratios.get('full_vs_bare_pages_per_s'), 2)}x; "
        f"(3)/(1) CPU per page {_fmt(ratios.get('replay_vs_bare_cpu_per_page'), 2)}x; "
        f"(2g)/(1) CPU per page {_fmt(ratios.get('generic_vs_bare_cpu_per_page'), 2)}x",
    ]
    for key in ("full", "generic", "replay"):
        data = result["dataset"].get(key)
        if not data:
            continue
        cov, acc = data["coverage"], data["accuracy"]["rates"]
        lines.append(
            f"dataset ({key}): {cov['rows']:,} rows; every publication once: "
            f"{'yes' if cov['every_publication_once'] else 'NO'} (missing {cov['missing']}, "
            f"extra {cov['extra']}, duplicated {cov['duplicated']}); fields = truth: "
            + ", ".join(f"{k} {_fmt(v, 3)}" for k, v in acc.items())
        )
    rerun = runs.get("rerun", {})
    if rerun.get("status") == "ok":
        lines.append(
            "(2b) into the dataset (2) wrote: "
            + ", ".join(
                f"{key.removeprefix('publications_')} {_fmt(rerun.get(key))}"
                for key in MERGE_OUTCOMES
            )
        )
    for key in ("full", "rerun", "replay"):
        run = runs.get(key, {})
        for kind in ("drops", "errors"):
            if run.get(kind):
                counts = ", ".join(f"{k}={v}" for k, v in run[kind].items())
                lines.append(f"{kind} ({key}): {counts}")
    traf = runs.get("trafilatura", {})
    if traf.get("status") == "ok":
        parts = [
            f"{name} {traf[name]['rates']}"
            for name in ("vs_ours", "vs_truth", "ours_vs_truth")
            if name in traf
        ]
        lines.append("trafilatura title/date/authors agreement: " + "; ".join(parts))
    for scenario in ("repeated", "new"):
        data = result["stages"].get(scenario, {})
        if data.get("status") != "ok":
            if data:
                lines.append(f"stages ({scenario}): FAILED")
            continue
        chain = data["chain"]
        lines.append("")
        lines.append(
            f"normalization, {scenario} strings: {_fmt(chain['items_per_s'])} items/s per core "
            f"over {chain['items']:,} items (warm-up {data['warmup_s']} s)"
        )
        for stage in data["stages"] + data["dataset"]:
            if "error" in stage:
                lines.append(f"  {stage['stage']:<28} ERROR {stage['error']}")
                continue
            share = f"{100 * stage['share']:5.1f}%" if stage.get("share") is not None else ""
            lines.append(
                f"  {stage['stage']:<28}{_fmt(stage['items_per_s']):>12} items/s {share:>7}"
            )
    ext = result["stages"].get("repeated", {}).get("extraction")
    if ext:
        lines.append(
            f"extraction: {ext['listing_ms_per_page']} ms per listing page "
            f"({ext['listing_pages']}), {ext['publication_ms_per_page']} ms per publication page "
            f"({ext['publication_pages']})"
        )
    prof = result.get("crawl_profile", {})
    if prof.get("stages"):
        lines.append("")
        lines.append(f"full crawl CPU by stage (cProfile, {prof['total_s']} s profiled):")
        for stage in prof["stages"]:
            lines.append(
                f"  {stage['stage']:<38}{stage['cpu_s']:>9.1f} s {100 * stage['share']:6.1f}%"
            )
        if prof.get("by_package"):
            lines.append(
                "  self time by package: "
                + ", ".join(
                    f"{p['package']} {100 * p['share']:.0f}%" for p in prof["by_package"][:10]
                )
            )
    store = result.get("store", {})
    if store.get("status") == "ok":
        lines.append("")
        lines.append(
            f"store: Parquet write of {store['rows']:,} rows {store['parquet_write_s']} s "
            f"({store['file_mb']} MB); merge of {store['new_rows']:,} new rows into them "
            f"{store['merge_s']} s wall, {store.get('merge_cpu_s')} s CPU, peak RSS of the "
            f"committing process {store.get('merge_peak_rss_mb')} MB"
        )
    elif store:
        lines.append(f"store: {store.get('status')}")
    lines.append("")
    lines.append("targets:")
    for t in result["targets"]:
        mark = {True: "PASS", False: "FAIL", None: " -- "}[t["passed"]]
        note = f"  ({t['note']})" if t.get("note") else ""
        lines.append(
            f"  [{mark}] {t['target']}: {_fmt(t['value'], 2)} (target {t['threshold']}){note}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--publications", "-n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where the JSON goes")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="work directory to keep (and reuse the site from); default: a "
        "temporary directory under /tmp, removed at the end",
    )
    parser.add_argument("--skip-trafilatura", action="store_true")
    parser.add_argument("--skip-replay", action="store_true")
    parser.add_argument(
        "--skip-rerun",
        action="store_true",
        help="no second crawl into the dataset the full crawl wrote",
    )
    parser.add_argument("--skip-profile", action="store_true", help="no cProfile'd crawl")
    parser.add_argument(
        "--skip-generic", action="store_true", help="no crawl with REGMIG_SITE=generic"
    )
    parser.add_argument("--skip-stages", action="store_true")
    parser.add_argument("--skip-store", action="store_true")
    parser.add_argument("--merge-rows", type=int, default=TARGET_MERGE_ROWS)
    parser.add_argument(
        "--merge-changed", type=int, default=0, help="also time a merge with this many changed rows"
    )
    parser.add_argument("--stage-items", type=int, default=20_000)
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="a previous JSON at fewer publications, for the RSS growth target "
        "(default: results/n5000.json when it exists)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds per crawl (default: 600 + 0.5 s per publication)",
    )
    return parser


def environment() -> dict[str, Any]:
    import scrapy

    versions = {"python": platform.python_version(), "scrapy": scrapy.__version__}
    for name in ("lxml", "parsel", "pyarrow", "dateparser", "trafilatura"):
        try:
            module = __import__(name)
            versions[name] = getattr(module, "__version__", "?")
        except ImportError:
            versions[name] = None
    return {
        "git": _git_state(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_at_start": _loadavg(),
        "versions": versions,
    }


def _git_state() -> dict[str, Any] | None:
    """The commit measured, and whether the working tree differed from it."""
    import subprocess

    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
    except OSError:
        return None
    if head.returncode != 0:
        return None
    return {"commit": head.stdout.strip(), "dirty": bool(dirty.stdout.strip())}


def run(args: argparse.Namespace) -> dict[str, Any]:
    n = args.publications
    timeout = args.timeout or 600 + 0.5 * n
    work = args.keep or Path(tempfile.mkdtemp(prefix="regmig-bench-", dir="/tmp"))
    work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "schema_version": JSON_SCHEMA_VERSION,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "config": {
            "publications": n,
            "seed": args.seed,
            "work_dir": str(work),
            "merge_rows": args.merge_rows,
            "stage_items": args.stage_items,
            "timeout_s": timeout,
        },
        "environment": environment(),
        "site": {},
        "runs": {},
        "ratios": {},
        "dataset": {},
        "stages": {},
        "crawl_profile": {},
        "store": {},
        "targets": [],
    }
    try:
        info, site, truth_path = prepare_site(work, n, args.seed)
        result["site"] = info
        settings = raised_caps(info)
        result["config"]["crawl_settings"] = settings

        runs = result["runs"]
        runs.update(run_http_crawls(site, work, args, settings, timeout))
        if not args.skip_replay:
            runs["replay"] = run_replay(work, settings, timeout)
        truth = json.loads(truth_path.read_text(encoding="utf-8"))["publications"]
        from benchmarks.compare import coverage, dataset_accuracy, read_dataset

        for key in ("full", "generic", "replay"):
            output = runs.get(key, {}).get("output")
            if output:
                rows = read_dataset(Path(output) / "publications")
                result["dataset"][key] = {
                    "coverage": coverage(rows, truth),
                    "accuracy": dataset_accuracy(rows, truth),
                }
        if args.skip_trafilatura:
            runs["trafilatura"] = {"status": "skipped", "reason": "skipped: --skip-trafilatura"}
        else:
            ours = Path(runs["full"]["output"]) / "publications"
            runs["trafilatura"] = run_trafilatura(site, truth_path, ours, work, timeout)
        bare, full, replay = runs.get("bare", {}), runs.get("full", {}), runs.get("replay", {})
        result["ratios"] = {
            "full_vs_bare_cpu_per_page": _ratio(
                full.get("cpu_s_per_1000_pages"), bare.get("cpu_s_per_1000_pages")
            ),
            "full_vs_bare_cpu": _ratio(full.get("cpu_s"), bare.get("cpu_s")),
            "full_vs_bare_pages_per_s": _ratio(full.get("pages_per_s"), bare.get("pages_per_s")),
            "replay_vs_bare_cpu_per_page": _ratio(
                replay.get("cpu_s_per_1000_pages"), bare.get("cpu_s_per_1000_pages")
            ),
            "generic_vs_bare_cpu_per_page": _ratio(
                runs.get("generic", {}).get("cpu_s_per_1000_pages"),
                bare.get("cpu_s_per_1000_pages"),
            ),
            "replay_vs_full_cpu_per_page": _ratio(
                replay.get("cpu_s_per_1000_pages"), full.get("cpu_s_per_1000_pages")
            ),
        }
        prof = runs.get("profile_run", {})
        if prof.get("status") == "ok":
            result["crawl_profile"] = analyze_profile(Path(prof["profile"]))
        if not args.skip_stages:
            result["stages"] = run_stages(site, truth_path, work, args.stage_items, timeout)
        if not args.skip_store:
            result["store"] = run_store(args.merge_rows, args.merge_changed, work, timeout)
    finally:
        result["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        baseline = _load_baseline(args, n)
        result["targets"] = check_targets(result, baseline)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return result


def _load_baseline(args: argparse.Namespace, n: int) -> dict[str, Any] | None:
    path = args.baseline or RESULTS / f"n{TARGET_RSS_PUBLICATIONS}.json"
    if n <= TARGET_RSS_PUBLICATIONS and not args.baseline:
        return None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _succeeded(result: dict[str, Any]) -> bool:
    statuses = [r.get("status") for r in result["runs"].values()]
    statuses += [s.get("status") for s in result["stages"].values()]
    if result["store"]:
        statuses.append(result["store"].get("status"))
    return bool(statuses) and all(s in ("ok", "skipped") for s in statuses)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    result = run(args)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=1, default=str)
    args.json.write_text(text, encoding="utf-8")
    if args.json.resolve() == DEFAULT_JSON.resolve():
        (RESULTS / f"n{args.publications}.json").write_text(text, encoding="utf-8")
    print(render_table(result))
    print(f"\nJSON: {args.json}")
    return 0 if _succeeded(result) else 1


if __name__ == "__main__":
    sys.exit(main())
