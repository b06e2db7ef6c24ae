"""Decide the language of a publication from its text, falling back to page signals.

``detect_language(text)`` runs langdetect with a detector restricted to the configured languages
(profiles loaded once per process and languages tuple) and a fixed seed, so the same text always
gives the same answer. Detection goes through langdetect's public API (``load_json_profile``,
``set_seed``, ``Detector.get_probabilities``), with the text's n-grams read word by word
(``normalize.langdetect_words``: langdetect's answers at under half its cost, every publication
page being a new text); results are cached per text, and only the first ``MAX_DETECT_CHARS``
characters are read, which keeps a page's detection near a quarter of a millisecond.
Texts shorter than ``min_chars`` letters are guesses: their confidence is capped at
``SHORT_TEXT_MAX_CONFIDENCE``, and for them a cheap lexical vote (``LEXICAL_CUES``,
``SPANISH_ONLY_CHARS``) overrides langdetect, which misreads short Spanish labels such as
"Informes" or "Hojas informativas" as English.

``resolve_language(title, summary, body, ...)`` applies the rule, most reliable source first:

1. the text (title + summary + body, in that order), when long enough and detected with
   confidence >= ``min_confidence`` (method "text");
2. the ``lang`` attribute of the content node (method "content_lang");
3. ``og:locale`` (method "og_locale");
4. ``<html lang>`` (method "html_lang"), last among the page signals: it belongs to the site's
   chrome and stays "en" on Spanish pages, so it never overrides a confident text result;
5. the low-confidence text guess, if any (method "text");
6. "und" (method "und").

A site that names no languages of its own (``open_languages``: any think tank read by the
generic module) adds these steps before that rule:

- a text mostly in a script that only a few languages use (Han, kana, Hangul, Cyrillic, Greek,
  Arabic, Hebrew, Devanagari, Thai) is read among those languages (method "script"): the
  configured languages are Latin-script ones, and langdetect restricted to them calls a Chinese
  page English;
- the page's declared language joins the detector's languages when langdetect has a profile
  for it (a Finnish page on a site whose settings list six others);
- a short text (under ``SHORT_TEXT_LETTERS`` letters: a title and a teaser) does not overrule
  the language the page declares: langdetect is sure of "Magic Cleaning" being English;
- a longer text that the configured and declared languages do not read with confidence, or
  read as another language than the declared one (or with none declared), is read among all
  of langdetect's Latin-script languages, and a confident answer there wins (a Swahili page
  under WordPress's default ``en-US``; a Norwegian page that six languages read as German).
  Norwegian Bokmål and Nynorsk (``nb``, ``nn``) are detected with langdetect's Norwegian
  (``no``) profile and keep their declared tag.

The content-type label ("Video, Audio", "Reports") is never used: it is a site vocabulary, not
the publication's language.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

logger = logging.getLogger(__name__)

UNDETERMINED = "und"

METHOD_TEXT = "text"
METHOD_CONTENT_LANG = "content_lang"
METHOD_OG_LOCALE = "og_locale"
METHOD_HTML_LANG = "html_lang"
METHOD_UNDETERMINED = "und"
METHOD_SCRIPT = "script"

# Only the start of a text is needed to tell English from Spanish (title first, then the start
# of the summary or body). langdetect's cost is linear in the text: 300 characters keep a
# title + summary under ~0.5 ms while every sample title and summary stays correct.
MAX_DETECT_CHARS = 300
# A text with fewer letters than ``min_chars`` is a guess, never a confident result.
SHORT_TEXT_MAX_CONFIDENCE = 0.5

# How far each page signal is trusted (reported as the confidence of a signal-based result).
SIGNAL_CONFIDENCE: Mapping[str, float] = {
    METHOD_CONTENT_LANG: 0.9,  # set on the publication's own node
    METHOD_OG_LOCALE: 0.8,  # page-level meta, usually right
    METHOD_HTML_LANG: 0.5,  # site chrome: "en" even on Spanish pages
}

# Short-text lexical vote (only for texts under ``min_chars`` letters). Function words and the
# site's own type labels, casefolded. A word counts one vote for its language.
LEXICAL_CUES: Mapping[str, frozenset[str]] = {
    "es": frozenset(
        {
            # function words that English does not use
            "de", "del", "la", "las", "el", "los", "en", "para", "por", "con", "una", "y",
            "que", "sobre", "entre", "al",
            # labels and title words of the site that langdetect reads as English
            "informe", "informes", "hoja", "hojas", "informativa", "informativas",
            "comentario", "comentarios", "artículo", "artículos", "resumen", "resúmenes",
            "política", "políticas", "seminario", "seminarios", "migración", "migratoria",
            "migratorio",
        }
    ),
    "en": frozenset(
        {
            "the", "of", "and", "for", "on", "with", "by", "from", "to", "in", "is",
            "report", "reports", "brief", "briefs", "fact", "sheet", "sheets", "commentary",
            "commentaries", "article", "articles", "policy", "webinar", "webinars", "migration",
        }
    ),
}  # fmt: skip
# Characters only Spanish uses among the two languages; a word holding one votes for Spanish.
# Accented vowels also appear in names inside English text ("Olga Sánchez Cordero"), so this is
# one vote per word, like a function word, and only for short texts.
SPANISH_ONLY_CHARS = frozenset("ñ¿¡áéíóúü")
WORD = re.compile(r"[^\W\d_]+")
# Locale tags: "es-MX", "es_ES", "en-US" -> primary subtag; only two-letter ISO 639-1 codes.
LANGUAGE_TAG = re.compile(r"([a-zA-Z]{2})(?:[-_][0-9a-zA-Z]{1,8})*")

DETECT_CACHE_SIZE = 4_096

# Below this many letters, a text's detection does not overrule a declared language (open sites).
SHORT_TEXT_LETTERS = 100
# Scripts only a few languages are written in: (first, last code point, script).
SCRIPT_RANGES = (
    (0x0370, 0x03FF, "greek"), (0x0400, 0x052F, "cyrillic"), (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"), (0x0900, 0x097F, "devanagari"), (0x0E00, 0x0E7F, "thai"),
    (0x3040, 0x30FF, "kana"), (0x3400, 0x9FFF, "han"), (0xAC00, 0xD7AF, "hangul"),
)  # fmt: skip
# The languages written in each script (langdetect's codes; kana and Hangul name one).
SCRIPT_LANGUAGES: Mapping[str, tuple[str, ...]] = {
    "greek": ("el",), "cyrillic": ("ru", "uk", "bg", "mk"), "hebrew": ("he",),
    "arabic": ("ar", "fa", "ur"), "devanagari": ("hi", "mr", "ne"), "thai": ("th",),
    "kana": ("ja",), "han": ("zh",), "hangul": ("ko",),
}  # fmt: skip
# A text is in a script when at least this share of its letters are.
SCRIPT_SHARE = 0.5
# Declared languages that langdetect knows by their macrolanguage's profile.
PROFILE_OF = {"nb": "no", "nn": "no"}
# How sure langdetect, over all its Latin-script languages, must be to name a language the
# site's configured and declared languages do not include.
OPEN_MIN_CONFIDENCE = 0.95


@functools.lru_cache(maxsize=32)  # open sites add their declared language
def detector_factory(languages: tuple[str, ...], seed: int = 0) -> DetectorFactory:
    """A langdetect factory holding only the profiles of ``languages``, seeded; built once per
    tuple and seed, through langdetect's public ``load_json_profile`` and ``set_seed``.

    Raises ``ValueError`` when a language has no langdetect profile.
    """
    from langdetect.detector_factory import DetectorFactory

    languages = tuple(dict.fromkeys(languages))  # langdetect refuses a profile loaded twice
    if not languages:
        raise ValueError("at least one language is needed for language detection")
    profiles = resources.files("langdetect") / "profiles"
    documents = []
    for lang in languages:
        profile_file = profiles / lang
        if not profile_file.is_file():
            raise ValueError(f"langdetect has no profile for language {lang!r}")
        documents.append(profile_file.read_text(encoding="utf-8"))
    factory = DetectorFactory()
    if len(documents) > 1:  # langdetect wants two profiles at least; one needs no detector
        factory.load_json_profile(documents)
    factory.set_seed(seed)
    return factory


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _lexical_vote(text: str, languages: tuple[str, ...]) -> str | None:
    """The language with most cue words in a short text, or None on a tie or no cue."""
    votes = dict.fromkeys(languages, 0)
    for word in WORD.findall(text.casefold()):
        for lang in languages:
            if word in LEXICAL_CUES.get(lang, ()):
                votes[lang] += 1
        if "es" in votes and not SPANISH_ONLY_CHARS.isdisjoint(word):
            votes["es"] += 1
    ranked = sorted(votes.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _langdetect(text: str, languages: tuple[str, ...], seed: int) -> tuple[str, float] | None:
    """langdetect's most probable (language, probability), or None for a text without
    features ("12/08", "—"). One language needs no detection."""
    from langdetect.lang_detect_exception import LangDetectException

    from regmig_scraper.normalize.langdetect_words import create_detector

    if len(languages) == 1:
        return languages[0], 1.0
    detector = create_detector(detector_factory(languages, seed))
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None
    return best.lang, float(best.prob)


@functools.lru_cache(maxsize=DETECT_CACHE_SIZE)
def _detect_cached(
    text: str, languages: tuple[str, ...], seed: int, min_chars: int
) -> tuple[str, float]:
    letters = _letters(text)
    if letters == 0:
        return UNDETERMINED, 0.0
    found = _langdetect(text, languages, seed)
    if letters >= min_chars:
        return (found[0], round(found[1], 4)) if found else (UNDETERMINED, 0.0)
    # Short text: the lexical vote wins over langdetect; either way only a guess.
    vote = _lexical_vote(text, languages)
    if vote is not None:
        return vote, SHORT_TEXT_MAX_CONFIDENCE
    if found is None:
        return UNDETERMINED, 0.0
    return found[0], round(min(found[1], SHORT_TEXT_MAX_CONFIDENCE), 4)


def _prepare(text: str) -> str:
    # Collapse whitespace on a bounded slice, then keep the first MAX_DETECT_CHARS characters.
    return " ".join(text[: MAX_DETECT_CHARS * 4].split())[:MAX_DETECT_CHARS]


def detect_language(
    text: str | None,
    *,
    languages: tuple[str, ...] = ("en", "es"),
    seed: int = 0,
    min_chars: int = 20,
) -> tuple[str, float]:
    """Return (ISO 639-1 code or "und", confidence 0..1) for ``text``.

    Only ``languages`` are considered. Texts with fewer than ``min_chars`` letters get at most
    ``SHORT_TEXT_MAX_CONFIDENCE``. Deterministic; never raises on bad input.
    """
    if not isinstance(text, str):
        return UNDETERMINED, 0.0
    prepared = _prepare(text)
    if not prepared:
        return UNDETERMINED, 0.0
    return _detect_cached(prepared, tuple(languages), seed, min_chars)


def text_script(text: str) -> str | None:
    """The script of most of the text's letters among ``SCRIPT_RANGES`` (Japanese: kana
    anywhere beside Han), or None for Latin and mixed texts."""
    counts: dict[str, int] = {}
    letters = 0
    for char in text[: MAX_DETECT_CHARS * 2]:
        if not char.isalpha():
            continue
        letters += 1
        point = ord(char)
        if point < SCRIPT_RANGES[0][0]:
            continue
        for first, last, script in SCRIPT_RANGES:
            if first <= point <= last:
                counts[script] = counts.get(script, 0) + 1
                break
    if "kana" in counts and "han" in counts:  # kanji with kana: Japanese
        counts["kana"] += counts.pop("han")
    if not counts:
        return None
    script, count = max(counts.items(), key=lambda kv: kv[1])
    return script if count >= SCRIPT_SHARE * letters else None


@functools.cache
def has_profile(language: str) -> bool:
    """Whether langdetect knows ``language``."""
    return (resources.files("langdetect") / "profiles" / language).is_file()


def _by_script(script: str, text: str, declared: list[str], seed: int) -> tuple[str, float, str]:
    """The language of a text in a script a few languages share: the declared one if it is
    one of them, else the only one, else langdetect's pick among them."""
    candidates = SCRIPT_LANGUAGES[script]
    for lang in declared:
        if lang in candidates:
            return lang, SIGNAL_CONFIDENCE[METHOD_CONTENT_LANG], METHOD_SCRIPT
    if len(candidates) == 1:
        return candidates[0], SIGNAL_CONFIDENCE[METHOD_CONTENT_LANG], METHOD_SCRIPT
    found = _langdetect(_prepare(text), candidates, seed)
    if found is None:
        return candidates[0], SHORT_TEXT_MAX_CONFIDENCE, METHOD_SCRIPT
    return found[0], round(found[1], 4), METHOD_SCRIPT


def normalize_language_tag(tag: str | None) -> str | None:
    """ "es-MX", "es_ES", "en-US", "EN" -> "es"/"en"; None for empty or non-ISO-639-1 tags."""
    if not isinstance(tag, str):
        return None
    match = LANGUAGE_TAG.fullmatch(tag.strip())
    return match.group(1).lower() if match else None


def resolve_language(
    title: str | None,
    summary: str | None,
    body: str | None,
    *,
    content_lang: str | None = None,
    html_lang: str | None = None,
    og_locale: str | None = None,
    languages: tuple[str, ...] = ("en", "es"),
    min_confidence: float = 0.80,
    seed: int = 0,
    open_languages: bool = False,
) -> tuple[str, float, str]:
    """Return (language, confidence, method) by the rule in the module docstring;
    ``open_languages``: the site names no languages of its own."""
    parts = [p[: MAX_DETECT_CHARS * 4] for p in (title, summary, body) if isinstance(p, str)]
    text = " ".join(parts)
    declared: list[str] = []
    if open_languages:
        tags = (content_lang, og_locale, html_lang)
        declared = [lang for lang in map(normalize_language_tag, tags) if lang is not None]
        script = text_script(text)
        if script is not None:
            return _by_script(script, text, declared, seed)
        profiles = [PROFILE_OF.get(lang, lang) for lang in declared[:1]]
        languages = tuple(
            dict.fromkeys([*languages, *(p for p in profiles if _latin(p) and has_profile(p))])
        )
    declared_profile = PROFILE_OF.get(declared[0], declared[0]) if declared else None
    # counted on open sites only (their rules need it; MPI's calls do not)
    letters = _letters(_prepare(text)) if open_languages else 0
    if declared_profile in languages and letters < SHORT_TEXT_LETTERS:
        # a title and a teaser are too little text to overrule what the page declares
        text_lang, text_confidence = UNDETERMINED, 0.0
    else:
        text_lang, text_confidence = detect_language(text, languages=languages, seed=seed)
        # no declaration to agree with is no confirmation either: six languages read Dutch
        # as German with confidence
        unsure = text_confidence < min_confidence or declared_profile != text_lang
        if open_languages and unsure and letters >= SHORT_TEXT_LETTERS:
            wider, confidence = detect_language(text, languages=latin_profiles(), seed=seed)
            if wider not in (UNDETERMINED, *languages) and confidence >= OPEN_MIN_CONFIDENCE:
                text_lang, text_confidence = wider, confidence
        if declared and text_lang == declared_profile:
            text_lang = declared[0]  # "nb" detected as Norwegian stays "nb"
    # 1. a confident text result
    if text_lang != UNDETERMINED and text_confidence >= min_confidence:
        return text_lang, text_confidence, METHOD_TEXT
    # 2-4. page signals, the page's own statements before the chrome's
    for method, tag in (
        (METHOD_CONTENT_LANG, content_lang),
        (METHOD_OG_LOCALE, og_locale),
        (METHOD_HTML_LANG, html_lang),
    ):
        lang = normalize_language_tag(tag)
        if lang is not None:
            return lang, SIGNAL_CONFIDENCE[method], method
    # 5. the text's guess, however weak
    if text_lang != UNDETERMINED:
        return text_lang, text_confidence, METHOD_TEXT
    # 6. nothing to go on
    return UNDETERMINED, 0.0, METHOD_UNDETERMINED


# langdetect's languages in scripts ``SCRIPT_RANGES`` does not list (Indic scripts, and
# Chinese under its two regional profiles).
OTHER_SCRIPT_PROFILES = frozenset({"bn", "gu", "kn", "ml", "pa", "ta", "te", "zh-cn", "zh-tw"})


@functools.cache
def latin_profiles() -> tuple[str, ...]:
    """langdetect's languages written in the Latin script, sorted."""
    profiles = resources.files("langdetect") / "profiles"
    return tuple(
        sorted(
            p.name
            for p in profiles.iterdir()
            if p.is_file() and _latin(p.name) and p.name not in OTHER_SCRIPT_PROFILES
        )
    )


def _latin(language: str) -> bool:
    """Whether the language is written in the Latin script (not one of ``SCRIPT_LANGUAGES``)."""
    return not any(language in languages for languages in SCRIPT_LANGUAGES.values())
