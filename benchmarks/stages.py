"""Per-stage throughput of extraction, the normalization pipelines and the dataset staging.

Runs in its own process (``python -m benchmarks.stages ...``) so that each scenario starts with
cold caches, and writes JSON:

- records are what the crawl's spider yields: the project's site extractor
  (``regmig_scraper.sites``) run over the generated site's listing pages (every teaser of every
  block) and the publication pages they link, in crawl proportion; the extraction itself is
  timed (``extraction``: ms per listing page and per publication page);
- ``--scenario repeated``: the records as they are; labels, dates, bylines and the teasers of
  the blocks every listing page repeats recur as they do in a crawl;
- ``--scenario new``: every title, summary, body, byline and date made unique (dates are
  distinct days in rotating formats, names are invented), so no cache can help. Content-type
  labels keep the site's closed vocabulary;
- each pipeline of ``ITEM_PIPELINES`` (built with ``from_crawler`` from the project settings,
  the dataset pipeline excepted) runs over all records in order, as in the crawl, timed with
  ``time.process_time`` (CPU of this process = one core); then ``dataset.staging``
  (``RunStaging.add``) and ``dataset.merge`` (``groups`` + ``merge_sightings`` +
  ``link_translations``);
- models are loaded before timing by a warm-up pass over other records (reported as
  ``warmup_s``);
- ``--mode profile`` (run in another fresh process, so caches start as cold as in the timed
  run) runs the same chain once under cProfile: the top functions go to the JSON, the profile
  to ``--profile``.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import datetime as dt
import json
import logging
import pickle
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

WARMUP_ITEMS = 300
TOP_FUNCTIONS = 12
# Rotating date formats of the "new" scenario: every string a distinct day.
NEW_DATE_FORMATS = (
    lambda d: f"{d:%B} {d.day}, {d.year}",
    lambda d: f"{d.day} {d:%B} {d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{d:%A}, {d:%B} {d.day}, {d.year}",
    lambda d: f"{d:%m/%d/%Y}",
)
SYLLABLES = ("ka", "lo", "ve", "ni", "ra", "su", "mi", "do", "te", "ba", "go", "li", "ne", "po")


@dataclass
class Records:
    """Crawl-like records and what extracting them cost."""

    items: list[dict[str, Any]]
    warmup: list[dict[str, Any]]
    listing_pages: int
    publication_pages: int
    listing_cpu_s: float
    publication_cpu_s: float


def _response(root: Path, url: str) -> Any:
    from scrapy.http import HtmlResponse, Request

    from regmig_scraper.snapshot import snapshot_relpath

    path = root / snapshot_relpath(url, with_host=False)
    return HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8", request=Request(url))


def extract_records(root: Path, truth: dict[str, Any], limit: int) -> Records:
    """Records in crawl order: listing pages breadth-first, each followed by its new pages."""
    from regmig_scraper.normalize.urls import normalize_url
    from regmig_scraper.sites.mpi import MpiDrupalSite

    site = MpiDrupalSite()
    origin = truth["origin"]
    start = site.listing_url(origin + truth["start_path"])
    queue, seen_listing, seen_pages = [start], {start}, set()
    items: list[dict[str, Any]] = []
    listing_cpu = publication_cpu = 0.0
    listing_pages = publication_pages = 0
    program = None
    while queue and len(items) < limit:
        url = queue.pop(0)
        response = _response(root, url)
        t0 = time.process_time()
        page = site.extract_listing(response)
        listing_cpu += time.process_time() - t0
        listing_pages += 1
        program = program or page.program
        for link in page.listing_urls:
            if link not in seen_listing:
                seen_listing.add(link)
                queue.append(link)
        for teaser in page.teasers:
            items.append({**teaser, "site": site.name})  # as the spider yields it
            target = normalize_url(teaser["url"])
            if target in seen_pages:
                continue
            seen_pages.add(target)
            response = _response(root, target)
            response.meta["program"] = program
            t0 = time.process_time()
            record = site.extract_publication(response)
            publication_cpu += time.process_time() - t0
            publication_pages += 1
            items.append({**record, "site": site.name})
    # warm-up records: publication pages the timed records do not contain
    warmup = []
    for pub in reversed(truth["publications"]):
        if len(warmup) >= WARMUP_ITEMS:
            break
        if pub["url"] not in seen_pages:
            record = site.extract_publication(_response(root, pub["url"]))
            warmup.append({**record, "site": site.name})
    return Records(
        items[:limit], warmup, listing_pages, publication_pages, listing_cpu, publication_cpu
    )


def _word(number: int) -> str:
    letters = []
    number += len(SYLLABLES)
    while number:
        number, rest = divmod(number, len(SYLLABLES))
        letters.append(SYLLABLES[rest])
    word = "".join(letters)
    return word[0].upper() + word[1:]


def make_unique(items: Sequence[dict[str, Any]], salt: int) -> list[dict[str, Any]]:
    """Copies of ``items`` whose titles, texts, bylines and dates are all distinct strings."""
    out = []
    base = dt.date(1995, 1, 1)
    for i, item in enumerate(items):
        record = copy.deepcopy(item)
        n = salt * 1_000_003 + i
        tag = _word(n)
        if record.get("title"):
            record["title"] = f"{record['title']}: {tag}"
        if record.get("summary"):
            record["summary"] = f"{record['summary']} {tag} {_word(n + 7)}."
        if record.get("body_text"):
            record["body_text"] = f"{tag} {_word(n + 3)}. {record['body_text']}"
        if record.get("authors_raw"):
            names = [f"{_word(n + k)} {_word(n * 3 + k)}" for k in range(1 + i % 3)]
            record["authors_raw"] = "By " + (
                names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            )
        if record.get("date_raw"):
            day = base + dt.timedelta(days=(n // len(NEW_DATE_FORMATS)) % 10_000)
            record["date_raw"] = NEW_DATE_FORMATS[n % len(NEW_DATE_FORMATS)](day)
        out.append(record)
    return out


def build_pipelines(settings_overrides: dict[str, Any] | None = None) -> list[tuple[str, Any]]:
    """The project's item pipelines, in order, built with ``from_crawler``; no dataset stage."""
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.misc import build_from_crawler, load_object
    from scrapy.utils.test import get_crawler

    from regmig_scraper import settings as project_settings

    values = {k: v for k, v in vars(project_settings).items() if k.isupper()}
    values.update(settings_overrides or {})
    values.pop("ADDONS", None)
    crawler = get_crawler(settings_dict=values)
    stages = []
    for path, _ in sorted(values["ITEM_PIPELINES"].items(), key=lambda kv: kv[1]):
        if path.endswith("DatasetPipeline"):
            continue
        name = path.split(".")[-2]
        try:
            stages.append((name, build_from_crawler(load_object(path), crawler)))
        except NotConfigured:
            continue
        except Exception as error:  # a stage that cannot load is reported, not fatal
            stages.append((name, error))
    return stages


def _run_stage(pipeline: Any, items: list[Any]) -> tuple[list[Any], int]:
    from scrapy.exceptions import DropItem

    out, dropped = [], 0
    for item in items:
        try:
            out.append(pipeline.process_item(item))
        except DropItem:
            dropped += 1
    return out, dropped


def _as_items(records: Sequence[dict[str, Any]]) -> list[Any]:
    from regmig_scraper.items import new_record

    return [new_record(**copy.deepcopy(r)) for r in records]


def _stage_rate(name: str, count: int, cpu: float, **extra: Any) -> dict[str, Any]:
    return {
        "stage": name,
        "items": count,
        "cpu_s": round(cpu, 4),
        "items_per_s": round(count / cpu, 1) if cpu > 0 else None,
        **extra,
    }


def time_chain(
    stages: list[tuple[str, Any]], records: Sequence[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Run every stage over all records, in order; CPU seconds per stage."""
    items = _as_items(records)
    results = []
    for name, pipeline in stages:
        if isinstance(pipeline, Exception):
            results.append({"stage": name, "error": f"{type(pipeline).__name__}: {pipeline}"})
            continue
        t0 = time.process_time()
        items, dropped = _run_stage(pipeline, items)
        results.append(
            _stage_rate(name, len(items) + dropped, time.process_time() - t0, dropped=dropped)
        )
    return results, items


def time_dataset(items: Sequence[Any]) -> list[dict[str, Any]]:
    """``dataset.staging`` and ``dataset.merge`` over the normalized items."""
    from regmig_scraper.dataset.merge import link_translations, merge_sightings, translation_key
    from regmig_scraper.dataset.staging import RunStaging
    from regmig_scraper.sites.mpi import MpiDrupalSite

    site = MpiDrupalSite()
    with tempfile.TemporaryDirectory(prefix="regmig-stage-") as tmp:
        staging = RunStaging(Path(tmp) / "staging.sqlite")
        try:
            t0 = time.process_time()
            for item in items:
                staging.add(dict(item))
            staging_cpu = time.process_time() - t0
            t0 = time.process_time()
            rows = []
            for _key, group in staging.groups():
                row = merge_sightings(
                    group,
                    is_publication=lambda page: site.is_publication_kind(page.get("page_kind")),
                    resolve=staging.resolve,
                )
                if row is not None:
                    rows.append(row)
            pairs = link_translations([translation_key(row) for row in rows])
            merge_cpu = time.process_time() - t0
        finally:
            staging.close()
    return [
        _stage_rate("dataset.staging", len(items), staging_cpu),
        _stage_rate("dataset.merge", len(items), merge_cpu, rows=len(rows), pairs=pairs),
    ]


def _top(profile: pstats.Stats, predicate: Callable[[str], bool], limit: int) -> list[dict]:
    rows = []
    for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in profile.stats.items():  # type: ignore[attr-defined]
        if predicate(file):
            rows.append(
                {
                    "function": f"{Path(file).name}:{line}({func})",
                    "calls": calls,
                    "tottime_s": round(tottime, 4),
                    "cumtime_s": round(cumtime, 4),
                }
            )
    rows.sort(key=lambda r: r["tottime_s"], reverse=True)
    return rows[:limit]


def profile_chain(
    stages: list[tuple[str, Any]], records: Sequence[dict[str, Any]], out: Path | None
) -> dict[str, Any]:
    """Run the chain once more under cProfile; top functions overall, by tottime."""
    items = _as_items(records)
    profiler = cProfile.Profile()
    profiler.enable()
    for _name, pipeline in stages:
        if not isinstance(pipeline, Exception):
            items, _ = _run_stage(pipeline, items)
    profiler.disable()
    if out is not None:
        profiler.dump_stats(str(out))
    stats = pstats.Stats(profiler)
    return {
        "profile": str(out) if out else None,
        "total_s": round(stats.total_tt, 4),  # type: ignore[attr-defined]
        "top_functions": _top(stats, lambda _f: True, TOP_FUNCTIONS * 2),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    root = Path(args.site)
    truth = json.loads(Path(args.truth).read_text(encoding="utf-8"))
    cache = Path(args.records) if args.records else None
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            records = Records(**pickle.load(f))
    else:
        records = extract_records(root, truth, args.items)
        if cache is not None:
            with cache.open("wb") as f:
                pickle.dump(asdict(records), f)
    items = records.items
    extraction = {
        "listing_pages": records.listing_pages,
        "publication_pages": records.publication_pages,
        "listing_ms_per_page": round(
            1000 * records.listing_cpu_s / max(records.listing_pages, 1), 3
        ),
        "publication_ms_per_page": round(
            1000 * records.publication_cpu_s / max(records.publication_pages, 1), 3
        ),
        "records": len(items),
        "teasers": sum(1 for r in items if r.get("source") == "listing"),
    }
    stages = build_pipelines({"REGMIG_DATES_TODAY": "2025-06-30"})
    t0 = time.process_time()
    warm = records.warmup if args.scenario == "repeated" else make_unique(records.warmup, 99)
    time_chain(stages, warm)
    warmup_s = time.process_time() - t0
    timed = items if args.scenario == "repeated" else make_unique(items, 1)
    if args.mode == "profile":  # a fresh process: caches as cold as in the timed run
        profile = profile_chain(stages, timed, Path(args.profile) if args.profile else None)
        return {"scenario": args.scenario, "mode": "profile", "profile": profile}

    results, normalized = time_chain(stages, timed)
    ok = [r for r in results if "cpu_s" in r]
    total_cpu = sum(r["cpu_s"] for r in ok)
    for r in ok:
        r["share"] = round(r["cpu_s"] / total_cpu, 4) if total_cpu else None
    chain = _stage_rate("normalization (all stages)", len(timed), total_cpu)
    return {
        "scenario": args.scenario,
        "mode": "time",
        "extraction": extraction,
        "warmup_s": round(warmup_s, 3),
        "stages": results,
        "chain": chain,
        "dataset": time_dataset(normalized),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True, help="generated site root")
    parser.add_argument("--truth", required=True, help="its ground-truth.json")
    parser.add_argument("--scenario", choices=("repeated", "new"), default="repeated")
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--records", help="pickle cache of the extracted records")
    parser.add_argument(
        "--mode",
        choices=("time", "profile"),
        default="time",
        help="time each stage, or profile the chain (run each in a fresh process)",
    )
    parser.add_argument("--profile", help="profile mode: write the cProfile here")
    parser.add_argument("--json", required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    result = run(args)
    Path(args.json).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
