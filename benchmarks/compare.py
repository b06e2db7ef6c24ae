"""Compare publication fields: a crawl's dataset, trafilatura's output and the ground truth.

Pure functions, no Scrapy import. Values are compared after light normalization so that
formatting differences do not count as errors: whitespace collapsed and case folded for titles;
for names, punctuation dropped too ("Ariel G. Ruiz Soto" = "Ariel G Ruiz Soto"); dates as ISO
``YYYY-MM-DD`` strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s]")


def norm_text(value: Any) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value))
    text = _SPACE.sub(" ", text).strip().casefold()
    return text or None


def norm_name(value: str) -> str:
    return (
        _SPACE.sub(" ", _NOT_WORD.sub(" ", unicodedata.normalize("NFC", value))).strip().casefold()
    )


def norm_names(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(n for n in (norm_name(v) for v in values or ()) if n)


def norm_date(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)[:10]
    return text if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None


def read_dataset(path: Path | str) -> list[dict[str, Any]]:
    """The rows of a ``publications/`` Parquet dataset as dicts (empty if it is missing)."""
    import pyarrow.dataset as ds

    path = Path(path)
    if not path.exists():
        return []
    table = ds.dataset(str(path), format="parquet").to_table()
    return table.to_pylist()


def coverage(rows: Sequence[Mapping[str, Any]], truth: Sequence[Mapping[str, Any]]) -> dict:
    """Every publication once: missing, extra and duplicated URLs of ``rows`` against truth."""
    from regmig_scraper.normalize.urls import url_key

    want = Counter(url_key(p["url"]) for p in truth)
    got = Counter(url_key(r["url"]) for r in rows)
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    duplicated = sorted(k for k, n in got.items() if n > 1)
    return {
        "expected": len(truth),
        "rows": len(rows),
        "missing": len(missing),
        "extra": len(extra),
        "duplicated": len(duplicated),
        "every_publication_once": not missing and not extra and not duplicated,
        "examples": {"missing": missing[:5], "extra": extra[:5], "duplicated": duplicated[:5]},
    }


def dataset_accuracy(
    rows: Sequence[Mapping[str, Any]], truth: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Share of publications whose fields equal the ground truth, field by field."""
    by_url = {r["url"]: r for r in rows}
    fields = ("title", "content_type", "language", "published", "authors", "translation")
    hits = dict.fromkeys(fields, 0)
    misses: dict[str, list] = {f: [] for f in fields}
    found = 0
    for pub in truth:
        row = by_url.get(pub["url"])
        if row is None:
            continue
        found += 1
        checks = {
            "title": norm_text(row.get("title")) == norm_text(pub["title"]),
            "content_type": row.get("content_type") == pub["content_type"],
            "language": row.get("language") == pub["language"],
            "published": norm_date(row.get("published")) == pub["published"]
            and row.get("date_precision") == pub["date_precision"],
            "authors": norm_names(row.get("authors")) == norm_names(pub["authors"]),
            "translation": sorted(row.get("translation_urls") or [])
            == ([pub["translation_of"]] if pub["translation_of"] else []),
        }
        for name, ok in checks.items():
            if ok:
                hits[name] += 1
            elif len(misses[name]) < 3:
                misses[name].append(_miss(name, row, pub))
    return {
        "publications": found,
        "rates": {f: round(hits[f] / found, 4) if found else None for f in fields},
        "examples": {f: m for f, m in misses.items() if m},
    }


def _miss(name: str, row: Mapping[str, Any], pub: Mapping[str, Any]) -> dict[str, Any]:
    got: Any
    if name == "published":
        got = [str(row.get("published")), row.get("date_precision"), row.get("date_raw")]
        want: Any = [pub["published"], pub["date_precision"]]
    elif name == "translation":
        got, want = row.get("translation_urls"), pub["translation_of"]
    else:
        got, want = row.get(name), pub[name]
    return {"url": pub["url"], "got": _plain(got), "want": _plain(want)}


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def trafilatura_fields(document: Any) -> dict[str, Any]:
    """Title, date and authors of a trafilatura ``bare_extraction`` result."""
    if document is None:
        return {"title": None, "date": None, "authors": ()}
    data = document if isinstance(document, dict) else document.as_dict()
    author = data.get("author") or ""
    return {
        "title": norm_text(data.get("title")),
        "date": norm_date(data.get("date")),
        "authors": norm_names(a for a in author.split(";") if a.strip()),
    }


def agreement(
    extracted: Mapping[str, Mapping[str, Any]], reference: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """Share of URLs on which ``extracted`` (title/date/authors) equals ``reference``."""
    fields = ("title", "date", "authors")
    hits = dict.fromkeys(fields, 0)
    compared = 0
    for url, theirs in extracted.items():
        ours = reference.get(url)
        if ours is None:
            continue
        compared += 1
        for name in fields:
            hits[name] += theirs[name] == ours[name]
    return {
        "compared": compared,
        "rates": {f: round(hits[f] / compared, 4) if compared else None for f in fields},
    }


def reference_fields(rows: Iterable[Mapping[str, Any]]) -> dict:
    """URL -> normalized title/date/authors, from dataset rows or from ground-truth records."""
    out = {}
    for row in rows:
        out[row["url"]] = {
            "title": norm_text(row.get("title")),
            "date": norm_date(row.get("published")),
            "authors": norm_names(row.get("authors")),
        }
    return out
