"""Score the generic metadata extractor on annotated real pages, beside trafilatura and htmldate.

Run as ``python -m benchmarks.realpages --corpus DIR [--out FILE.jsonl] [--limit N] [--json
FILE]``. ``DIR`` is laid out as trafilatura's ``tests/`` directory: ``DIR/evaldata.json`` maps
each URL to ``{"file": NAME, "author": ..., "date": ..., "title": ...}`` and the page is
``DIR/cache/NAME`` or ``DIR/eval/NAME``. Only annotated pages (with at least one of author, date,
title, language) are read. Scores are defined in ``benchmarks.metadata_scoring``.

Each tool runs on the same bytes: ours (``regmig_scraper.metadata.extract_metadata``, and the
language pipeline's rule for a site without module over its title, summary and declared
languages; the crawl and ``regmig_scraper.extract`` also read the page's body text),
trafilatura (``extract_metadata(html, default_url=url)``, its metadata step alone, so the speed
compares like with like) and htmldate (``find_date(html, url=url, original_date=True,
outputformat="%Y-%m-%d")``, dates only). Speed is pages per CPU second (``time.process_time``
around each call, parsing included): pages/s per core. A tool that is not installed is skipped
with a note. ``--out`` writes each page's fields, per tool, as JSON lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.metadata_scoring import Fields, score

ANNOTATED_KEYS = ("author", "date", "title", "language")
# The reference day for our plausibility bound: results do not depend on the wall clock.
TODAY = dt.date(2026, 12, 1)


def load_corpus(corpus: Path, limit: int | None = None) -> list[tuple[str, dict, Path]]:
    """(url, annotation, path) of every annotated page whose file exists, sorted by URL."""
    annotations = json.loads((corpus / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url in sorted(annotations):
        item = annotations[url]
        if not any(k in item for k in ANNOTATED_KEYS) or not item.get("file"):
            continue
        for sub in ("cache", "eval"):
            path = corpus / sub / item["file"]
            if path.is_file():
                pages.append((url, item, path))
                break
    return pages[:limit] if limit else pages


def _ours() -> Callable[[bytes, str], Fields]:
    from regmig_scraper import settings
    from regmig_scraper.metadata import extract_metadata
    from regmig_scraper.metadata.record import metadata_fields
    from regmig_scraper.normalize.language import UNDETERMINED, resolve_language

    languages = tuple(settings.REGMIG_LANGUAGE_LANGUAGES)

    def run(data: bytes, url: str) -> Fields:
        meta = extract_metadata(data, url, today=TODAY)
        date = None
        if meta.published is not None:
            date = meta.published.value.isoformat()
            if meta.published.precision != "day":
                date = f"{date}~{meta.published.precision}"  # answered, never an exact day
        # the language pipeline's rule for a site without module, over the cascade's fields
        # (the crawl and ``regmig_scraper.extract`` give it the body text too)
        fields = metadata_fields(meta)
        language, _, _ = resolve_language(
            fields.get("title"),
            fields.get("summary"),
            None,
            content_lang=fields.get("content_lang"),
            og_locale=fields.get("og_locale"),
            html_lang=fields.get("html_lang"),
            languages=languages,
            open_languages=True,
        )
        language = None if language == UNDETERMINED else language
        return Fields(meta.title, date, list(meta.authors), language)

    return run


def _trafilatura() -> Callable[[bytes, str], Fields]:
    from trafilatura import extract_metadata
    from trafilatura.utils import load_html

    def run(data: bytes, url: str) -> Fields:
        doc = extract_metadata(load_html(data), default_url=url)
        if doc is None:
            return Fields()
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        date = (doc.date or None) and doc.date[:10]
        return Fields(doc.title, date, authors, getattr(doc, "language", None))

    return run


def _htmldate() -> Callable[[bytes, str], Fields]:
    from htmldate import find_date

    def run(data: bytes, url: str) -> Fields:
        return Fields(date=find_date(data, url=url, original_date=True, outputformat="%Y-%m-%d"))

    return run


def _newspaper4k() -> Callable[[bytes, str], Fields]:
    from newspaper import Article
    from w3lib.encoding import html_to_unicode

    def run(data: bytes, url: str) -> Fields:
        # the HTML as newspaper4k's own download would hand it over: decoded by its declared
        # charset; no image is fetched (no network)
        _, html = html_to_unicode(None, data)
        article = Article(url, fetch_images=False)
        article.download(input_html=html)
        article.parse()
        published = article.publish_date
        date = published.date().isoformat() if published is not None else None
        return Fields(article.title or None, date, list(article.authors), article.meta_lang or None)

    return run


TOOLS: dict[str, Callable[[], Callable[[bytes, str], Fields]]] = {
    "ours": _ours,
    "trafilatura": _trafilatura,
    "htmldate": _htmldate,
    "newspaper4k": _newspaper4k,
}


def run(corpus: Path, *, limit: int | None = None, out: Path | None = None,
        tools: Sequence[str] = tuple(TOOLS), rounds: int = 1) -> dict[str, Any]:  # fmt: skip
    """Score each tool on the corpus. Speed is the best of ``rounds`` passes, the tools taking
    turns within each round, so that a slow spell of a shared machine does not fall on one
    tool only (the answers are those of the first pass)."""
    pages = load_corpus(corpus, limit)
    documents = [(url, item, path.read_bytes()) for url, item, path in pages]
    results: dict[str, Any] = {
        "corpus": str(corpus), "pages": len(documents), "rounds": rounds, "tools": {}
    }  # fmt: skip
    per_page: dict[str, dict[str, Any]] = {url: {"url": url} for url, _, _ in documents}
    extractors: dict[str, Callable[[bytes, str], Fields]] = {}
    for name in tools:
        try:
            extractors[name] = TOOLS[name]()
        except ImportError as exc:
            results["tools"][name] = {"status": f"skipped: not installed ({exc})"[:80]}
    answers: dict[str, list[tuple[dict, Fields]]] = {}
    failures: dict[str, int] = {}
    best_cpu: dict[str, float] = {}
    for round_number in range(max(1, rounds)):
        for name, extractor in extractors.items():
            pairs, cpu, failed = [], 0.0, 0
            gc.collect()  # the last tool's garbage is not collected on this tool's time
            for url, item, data in documents:
                start = time.process_time()
                try:
                    fields = extractor(data, url)
                except Exception as exc:  # a crash counts as no answer; the first is named
                    if not failed and not round_number:
                        print(f"{name}: {url}: {type(exc).__name__}: {exc}", file=sys.stderr)
                    fields, failed = Fields(), failed + 1
                cpu += time.process_time() - start
                pairs.append((item, fields))
            best_cpu[name] = min(cpu, best_cpu.get(name, cpu))
            if not round_number:
                answers[name], failures[name] = pairs, failed
    for name in extractors:
        for (url, _, _), (_, fields) in zip(documents, answers[name], strict=True):
            per_page[url][name] = {
                "title": fields.title,
                "date": fields.date,
                "authors": fields.authors,
                "language": fields.language,
            }
        cpu = best_cpu[name]
        scores = score(answers[name])
        scores.update(
            status="ok",
            failures=failures[name],
            cpu_s=round(cpu, 3),
            pages_per_cpu_s=round(len(documents) / cpu, 1) if cpu else None,
        )
        results["tools"][name] = scores
    if out is not None:
        with out.open("w", encoding="utf-8") as handle:
            for url, item, _ in documents:
                gold = {k: item[k] for k in ANNOTATED_KEYS if k in item}
                handle.write(json.dumps({**per_page[url], "gold": gold}, ensure_ascii=False))
                handle.write("\n")
    return results


ROWS = (
    ("date exact day (dated pages)", "date_exact_day", "dated_pages"),
    ("answers on undated pages", "undated_answered", "undated_pages"),
    ("authors precision", "authors_precision", "author_pages"),
    ("authors recall", "authors_recall", "author_pages"),
    ("authors micro-F1", "authors_f1", "author_pages"),
    ("authors exact set", "authors_exact_set", "author_pages"),
    ("false positives on authorless pages", "authorless_false_positive", "authorless_pages"),
    ("title (match)", "title_accuracy", "title_pages"),
    ("title (strict equality)", "title_exact", "title_pages"),
    ("language", "language_accuracy", "language_pages"),
)


def table(results: dict[str, Any]) -> str:
    tools = list(results["tools"])
    lines = [
        "| figure | pages | " + " | ".join(tools) + " |",
        "| --- | --- | " + " | ".join("---" for _ in tools) + " |",
    ]
    for label, key, pages_key in ROWS:
        cells, pages = [], "-"
        for tool in tools:
            scores = results["tools"][tool]
            if scores.get("status") != "ok":
                cells.append(scores.get("status", "-"))
                continue
            pages = str(scores.get(pages_key, "-"))
            value = scores.get(key)
            answers_dates = tool != "htmldate" or key.startswith(("date", "undated"))
            cells.append(f"{100 * value:.1f} %" if value is not None and answers_dates else "n/a")
        lines.append(f"| {label} | {pages} | " + " | ".join(cells) + " |")
    speeds = [
        str(results["tools"][t].get("pages_per_cpu_s", "-"))
        if results["tools"][t].get("status") == "ok"
        else "-"
        for t in tools
    ]
    lines.append(f"| pages/s per core | {results['pages']} | " + " | ".join(speeds) + " |")
    unscorable = max((t.get("date_unscorable") or 0 for t in results["tools"].values()), default=0)
    if unscorable:
        lines.append(f"\n{unscorable} date annotations are no calendar day and are not scored.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--out", type=Path, help="write each page's fields as JSON lines")
    parser.add_argument("--json", type=Path, help="write the scores as JSON")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tools")
    parser.add_argument(
        "--rounds", type=int, default=1, help="timed passes per tool, taking turns; best counts"
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    results = run(
        args.corpus, limit=args.limit, out=args.out, tools=args.tools.split(","),
        rounds=args.rounds,
    )  # fmt: skip
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
