"""Convert Fundus's parser test pages into the layout ``benchmarks.realpages`` reads.

Run as ``python -m benchmarks.fundus_corpus --fundus CHECKOUT --out DIR``, then
``python -m benchmarks.realpages --corpus DIR``.

Fundus (https://github.com/flairNLP/fundus) keeps, for each news publisher it supports, saved
article pages (``tests/resources/parser/test_data/<country>/<Publisher>_<YYYY_MM_DD>.html.gz``,
their URLs in the country's ``meta.info``) and what its hand-written parser for that publisher
extracts from them (``<Publisher>.json``: one entry per parser version, ``V1``, ``V1_1``,
``V2``..., in the order of the pages' dates). Those pages and fields were written by other
people for another purpose: a held-out set in dozens of languages, with a language label that
does not come from the page's own markup.

What each annotation is made of:

- ``title``: Fundus's title;
- ``date``: the calendar day of ``publishing_date`` in the offset it is written with (left out
  when Fundus has none);
- ``author``: Fundus's authors joined by "; ", left out when it has none (a publisher's parser
  that finds no author does not say that the page has none);
- ``language``: the publisher's language in Fundus's publisher table
  (``src/fundus/publishers/<country>/__init__.py``): the languages its sources declare, and the
  country's ``default_language`` for the sources that declare none; left out when that makes
  more than one language or cannot be read.

The labels are Fundus's, unchecked: a publisher's parser may name its newsroom as author, and a
publisher table may give a country's default to a page in another language.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TEST_DATA = Path("tests/resources/parser/test_data")
PUBLISHERS = Path("src/fundus/publishers")
PAGE_NAME = re.compile(r"^(?P<publisher>\w+?)_(?P<day>\d{4}_\d{2}_\d{2})\.html\.gz$")


def _version_key(version: str) -> tuple[int, ...]:
    """``V1_1`` -> (1, 1): the versions in the order they were written."""
    return tuple(int(part) for part in version.lstrip("V").split("_"))


def _string_set(node: ast.expr) -> set[str] | None:
    """The strings of a ``{"en", "es"}`` literal; None for anything computed."""
    if isinstance(node, ast.Set | ast.List | ast.Tuple) and all(
        isinstance(element, ast.Constant) and isinstance(element.value, str)
        for element in node.elts
    ):
        return {element.value for element in node.elts}  # type: ignore[attr-defined]
    return None


def _publisher_language(call: ast.Call, default: str | None) -> str | None:
    """The one language of a ``Publisher(...)`` definition, or None when not exactly one."""
    sources = next((k.value for k in call.keywords if k.arg == "sources"), None)
    if sources is None:
        return None
    languages: set[str] = set()
    for node in ast.walk(sources):
        if not isinstance(node, ast.Call):
            continue
        declared = next((k.value for k in node.keywords if k.arg == "languages"), None)
        if declared is None:
            if node.args and default:  # a source (it has a URL) with the country's language
                languages.add(default)
            continue
        found = _string_set(declared)
        if found is None:
            return None
        languages |= found
    return languages.pop() if len(languages) == 1 else None


def publisher_languages(module_source: str) -> dict[str, str]:
    """Publisher attribute name -> its one language, read from a country's publisher table."""
    languages: dict[str, str] = {}
    for group in ast.walk(ast.parse(module_source)):
        if not isinstance(group, ast.ClassDef):
            continue
        default = None
        for statement in group.body:
            if (
                isinstance(statement, ast.Assign)
                and any(getattr(t, "id", None) == "default_language" for t in statement.targets)
                and isinstance(statement.value, ast.Constant)
            ):
                default = statement.value.value
        for statement in group.body:
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and isinstance(statement.value, ast.Call)
                and getattr(statement.value.func, "id", None) == "Publisher"
            ):
                language = _publisher_language(statement.value, default)
                if language:
                    languages[statement.targets[0].id] = language
    return languages


def _annotation(fields: dict[str, Any], language: str | None) -> dict[str, str]:
    annotation: dict[str, str] = {}
    if fields.get("title"):
        annotation["title"] = fields["title"]
    published = fields.get("publishing_date")
    if published:
        annotation["date"] = str(published)[:10]  # the day in the offset it is written with
    authors = [name.strip() for name in fields.get("authors") or [] if name and name.strip()]
    if authors:
        annotation["author"] = "; ".join(authors)
    if language:
        annotation["language"] = language
    return annotation


def convert(fundus: Path, out: Path) -> dict[str, int]:
    """Write ``out/evaldata.json`` and ``out/cache/*.html``; return counts of what was written."""
    test_data = fundus / TEST_DATA
    if not test_data.is_dir():
        raise SystemExit(f"{fundus} is not a Fundus checkout: {TEST_DATA} is missing")
    (out / "cache").mkdir(parents=True, exist_ok=True)
    evaldata: dict[str, dict[str, str]] = {}
    counts = {"pages": 0, "languages": 0, "skipped": 0}
    for country in sorted(p for p in test_data.iterdir() if p.is_dir()):
        meta_info = json.loads((country / "meta.info").read_text(encoding="utf-8"))
        table = fundus / PUBLISHERS / country.name / "__init__.py"
        languages = {}
        if table.is_file():
            languages = publisher_languages(table.read_text(encoding="utf-8"))
        pages: dict[str, list[Path]] = {}
        for page in sorted(country.glob("*.html.gz")):
            match = PAGE_NAME.match(page.name)
            if match:
                pages.setdefault(match["publisher"], []).append(page)
        for publisher, files in pages.items():
            expected_file = country / f"{publisher}.json"
            if not expected_file.is_file():
                counts["skipped"] += len(files)
                continue
            expected = json.loads(expected_file.read_text(encoding="utf-8"))
            versions = sorted(expected, key=_version_key)
            if len(versions) != len(files):  # which page goes with which version is unknown
                counts["skipped"] += len(files)
                continue
            for page, version in zip(files, versions, strict=True):
                url = meta_info.get(page.name, {}).get("url")
                if not url or url in evaldata:
                    counts["skipped"] += 1
                    continue
                name = f"{country.name}_{page.name.removesuffix('.gz')}"
                (out / "cache" / name).write_bytes(gzip.decompress(page.read_bytes()))
                language = languages.get(publisher)
                evaldata[url] = {"file": name, **_annotation(expected[version], language)}
                counts["pages"] += 1
                counts["languages"] += bool(language)
    (out / "evaldata.json").write_text(
        json.dumps(evaldata, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fundus", required=True, type=Path, help="a checkout of flairNLP/fundus")
    parser.add_argument("--out", required=True, type=Path, help="the corpus directory to write")
    args = parser.parse_args(argv)
    counts = convert(args.fundus, args.out)
    print(
        f"{counts['pages']} pages ({counts['languages']} with a language), "
        f"{counts['skipped']} skipped, in {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
