"""Scores of a metadata extractor against annotated pages (used by ``benchmarks.realpages``).

The annotation of one page is trafilatura's ``evaldata.json`` entry: ``"author": "A; B"``
(an empty string: annotated as having no author; a missing key: not annotated), ``"date":
"YYYY-MM-DD"`` (likewise), ``"title"``, optionally ``"language"``. An extractor's answer is a
``Fields``: title, date (ISO day or None), authors (list), language. Definitions:

- date: exact-day accuracy on the pages annotated with a date (a missing or other answer is
  wrong), and the share of pages annotated as undated (an empty string; NaN or null, as
  htmldate's evaluation files write it) that got an answer anyway; an annotation
  that is no calendar day ("2022-29-11", "2022-11-1": typos no answer can equal) is not scored
  and is counted as ``date_unscorable``;
- authors: micro precision / recall / F1 over names on the pages annotated with authors (names
  compared case- and accent-insensitively, whitespace-normalized; the annotation split at
  ";"), the share of those pages whose name set is exactly right, and the share of pages
  annotated as authorless that got any name (false positives);
- title: ``title_match``: the same words in the same order (``title_words``: case, accents,
  punctuation and spacing aside, so "Demo / Der Juli" is "Demo: Der Juli" and "Demo Der
  Juli"), or one's words run inside the other's while the shorter has at least
  ``TITLE_MIN_SHARE`` of the longer's characters (so "Headline" matches "Headline | Site" but
  not "Site"); also the strict-equality rate (equal after ``normalize_title``, punctuation
  included);
- language: the primary subtag equals the annotation's, a language counting as its
  macrolanguage (``MACROLANGUAGE``: Norwegian Bokmål ``nb`` is Norwegian ``no``); a tool that
  names no page's language is not scored on it (None).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# A contained title counts when it has at least this share of the other's characters.
TITLE_MIN_SHARE = 0.5
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'",
                        "‚": "'", "–": "-", "—": "-", "\u00a0": " ",
                        # invisible: a soft hyphen or a zero-width space is not part of a title
                        "\u00ad": None, "\u200b": None, "\ufeff": None})  # fmt: skip


@dataclass(slots=True)
class Fields:
    """What one extractor said about one page."""

    title: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def normalize_title(text: str | None) -> str:
    if not text:
        return ""
    return fold(text.translate(QUOTES)).strip(" .:;,!?\"'-")


# A word of a title: what is left once punctuation and spacing are set aside.
WORD = re.compile(r"\w+")


def title_words(text: str | None) -> str:
    """The title's words, casefolded and without accents, one space apart."""
    return " ".join(WORD.findall(normalize_title(text)))


def title_match(ours: str | None, gold: str) -> bool:
    a, b = title_words(ours), title_words(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return f" {shorter} " in f" {longer} " and len(shorter) >= TITLE_MIN_SHARE * len(longer)


def gold_authors(annotation: str | list[str]) -> list[str]:
    """The annotated names: "A; B" or a list of names."""
    parts = annotation if isinstance(annotation, list) else annotation.split(";")
    return [a for a in (fold(p) for p in parts) if a]


# ISO 639 individual languages and their macrolanguage, as annotations name them.
MACROLANGUAGE = {"nb": "no", "nn": "no"}


def _primary_language(tag: str | None) -> str:
    primary = (tag or "").lower().replace("_", "-").split("-")[0]
    return MACROLANGUAGE.get(primary, primary)


def _is_iso_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == len("YYYY-MM-DD")


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def score(pairs: Iterable[tuple[dict, Fields]]) -> dict[str, float | int | None]:
    """The scores of one extractor over (annotation, answer) pairs (see the module docstring)."""
    dated = date_ok = undated = undated_answered = unscorable = 0
    tp = fp = fn = with_authors = exact = authorless = authorless_fp = 0
    titled = title_ok = title_exact = 0
    lang_pages = lang_ok = lang_answered = 0
    for gold, ours in pairs:
        if "date" in gold:
            # htmldate's evaluation files write an undated page's date as NaN (or null)
            day = gold["date"] if isinstance(gold["date"], str) else ""
            if day and not _is_iso_day(day[:10]):
                unscorable += 1
            elif day:
                dated += 1
                date_ok += ours.date == day[:10]
            else:
                undated += 1
                undated_answered += ours.date is not None
        if "author" in gold:
            names = set(gold_authors(gold["author"]))
            found = {fold(a) for a in ours.authors if a.strip()}
            if names:
                with_authors += 1
                tp += len(found & names)
                fp += len(found - names)
                fn += len(names - found)
                exact += found == names
            else:
                authorless += 1
                authorless_fp += bool(found)
        if gold.get("title"):
            titled += 1
            title_ok += title_match(ours.title, gold["title"])
            title_exact += normalize_title(ours.title) == normalize_title(gold["title"])
        if gold.get("language"):
            lang_pages += 1
            lang_answered += bool(ours.language)
            lang_ok += _primary_language(ours.language) == _primary_language(gold["language"])
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else (0.0 if with_authors else None)
    )
    return {
        "dated_pages": dated,
        "date_exact_day": _ratio(date_ok, dated),
        "undated_pages": undated,
        "undated_answered": _ratio(undated_answered, undated),
        "date_unscorable": unscorable,
        "author_pages": with_authors,
        "authors_precision": precision,
        "authors_recall": recall,
        "authors_f1": f1,
        "authors_exact_set": _ratio(exact, with_authors),
        "authorless_pages": authorless,
        "authorless_false_positive": _ratio(authorless_fp, authorless),
        "title_pages": titled,
        "title_accuracy": _ratio(title_ok, titled),
        "title_exact": _ratio(title_exact, titled),
        "language_pages": lang_pages,
        # a tool that names no language at all (trafilatura's metadata) is not scored on it
        "language_accuracy": _ratio(lang_ok, lang_pages) if lang_answered else None,
    }


__all__ = [
    "Fields", "fold", "gold_authors", "normalize_title", "score", "title_match", "title_words"
]  # fmt: skip
