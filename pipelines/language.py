"""Decide the language of a publication from its text, falling back to page signals.

``detect_language(text)`` runs langdetect with a detector restricted to the configured languages
(profiles loaded once per process and languages tuple) and a fixed seed, so the same text always
gives the same answer. The detection itself is ``FastDetector``: langdetect's algorithm with the
same random draws and float operations (so the same answers, bit for bit) at about a quarter of
its cost, which matters because every publication page is a new text. Texts shorter than
``min_chars`` letters are guesses: their confidence is capped at ``SHORT_TEXT_MAX_CONFIDENCE``,
and for them a cheap lexical vote (``LEXICAL_CUES``, ``SPANISH_ONLY_CHARS``) overrides
langdetect, which misreads short Spanish labels such as "Informes" or "Hojas informativas" as
English.

``resolve_language(title, summary, body, ...)`` applies the rule, most reliable source first:

1. the text (title + summary + body, in that order), when long enough and detected with
   confidence >= ``min_confidence`` (method "text");
2. the ``lang`` attribute of the content node (method "content_lang");
3. the page's own ``hreflang`` alternate (method "hreflang");
4. ``og:locale`` (method "og_locale");
5. ``<html lang>`` (method "html_lang"), last among the page signals: it belongs to the site's
   chrome and stays "en" on Spanish pages, so it never overrides a confident text result;
6. the low-confidence text guess, if any (method "text");
7. "und" (method "und").

The content-type label ("Video, Audio", "Reports") is never used: it is a site vocabulary, not
the publication's language.

``LanguagePipeline`` sets ``language`` and ``language_confidence`` from ``title``, ``summary``,
``body_text``, ``content_lang``, ``og_locale`` and ``html_lang``. Settings:

- ``REGMIG_LANGUAGE_ENABLED`` (bool, True): switch the pipeline off.
- ``REGMIG_LANGUAGE_LANGUAGES`` (list, ["en", "es"]): the only languages the detector knows.
- ``REGMIG_LANGUAGE_SEED`` (int, 0): langdetect's random seed.
- ``REGMIG_LANGUAGE_MIN_CONFIDENCE`` (float, 0.80): below it, page signals decide.

Stats: ``regmig/language/detected/<code>``, ``regmig/language/method/<method>``,
``regmig/language/undetermined``.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import re
from collections.abc import Callable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from pipelines import CountingPipeline, record_fields

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

UNDETERMINED = "und"

METHOD_TEXT = "text"
METHOD_CONTENT_LANG = "content_lang"
METHOD_HREFLANG = "hreflang"
METHOD_OG_LOCALE = "og_locale"
METHOD_HTML_LANG = "html_lang"
METHOD_UNDETERMINED = "und"

# Only the start of a text is needed to tell English from Spanish (title first, then the start
# of the summary or body). langdetect's cost is linear in the text: 300 characters keep a
# title + summary under ~0.5 ms while every sample title and summary stays correct.
MAX_DETECT_CHARS = 300
# A text with fewer letters than ``min_chars`` is a guess, never a confident result.
SHORT_TEXT_MAX_CONFIDENCE = 0.5

# How far each page signal is trusted (reported as the confidence of a signal-based result).
SIGNAL_CONFIDENCE: Mapping[str, float] = {
    METHOD_CONTENT_LANG: 0.9,  # set on the publication's own node
    METHOD_HREFLANG: 0.85,  # the page's alternate link pointing at itself
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
# langdetect's Detector: the longest text it reads, and the runs of spaces its append() folds.
MAX_DETECTOR_TEXT = 10_000
SPACE_RUNS = re.compile(" {2,}")


@functools.lru_cache(maxsize=8)
def detector_factory(languages: tuple[str, ...]) -> DetectorFactory:
    """A langdetect factory holding only the profiles of ``languages``; built once per tuple.

    Raises ``ValueError`` when a language has no langdetect profile.
    """
    from langdetect.detector_factory import DetectorFactory
    from langdetect.utils.lang_profile import LangProfile

    languages = tuple(dict.fromkeys(languages))  # langdetect refuses a profile loaded twice
    if not languages:
        raise ValueError("at least one language is needed for language detection")
    profiles = resources.files("langdetect") / "profiles"
    factory = DetectorFactory()
    for index, lang in enumerate(languages):
        profile_file = profiles / lang
        if not profile_file.is_file():
            raise ValueError(f"langdetect has no profile for language {lang!r}")
        data = json.loads(profile_file.read_text(encoding="utf-8"))
        factory.add_profile(LangProfile(**data), index, len(languages))
    factory.seed = 0
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


class _Normalized(dict[int, str]):
    """``str.translate`` table: code point -> ``NGram.normalize`` of it, filled on first use."""

    def __missing__(self, code: int) -> str:
        from langdetect.utils.ngram import NGram

        value = self[code] = NGram.normalize(chr(code))
        return value


class FastDetector:
    """langdetect's ``Detector`` for one factory, step for step, at a quarter of the cost.

    Why: langdetect spends ~0.5 ms per text building n-grams one character at a time through
    Python objects, and every publication page is a new text. This class computes the same
    n-gram list (in the same order: the n-grams of a word depend only on the word and on
    whether a space follows it, so they are cached per word), then runs the same trials with
    the same ``random.Random`` calls and the same float operations in the same order, so its
    answers are langdetect's, bit for bit (tests/test_language.py compares the two).
    """

    N_TRIAL = 7  # Detector.n_trial
    WORD_CACHE_SIZE = 16_384  # distinct words; a full cache starts over

    def __init__(self, factory: DetectorFactory) -> None:
        from langdetect.detector import Detector

        self.detector_class = Detector
        self.probabilities: dict[str, list[float]] = factory.word_lang_prob_map
        self.languages: list[str] = list(factory.langlist)
        self.normalized = _Normalized()
        self.word_ngrams: dict[tuple[str, bool], tuple[list[float], ...]] = {}

    def _text(self, text: str) -> str:
        """``Detector.append`` then ``Detector.cleaning_text``, characters normalized."""
        from langdetect.utils.ngram import NGram
        from langdetect.utils.unicode_block import unicode_block

        detector = self.detector_class
        text = detector.URL_RE.sub(" ", text)
        text = detector.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        text = SPACE_RUNS.sub(" ", text[:MAX_DETECTOR_TEXT])
        if text and max(text) >= "\u0300":  # else no non-Latin character: cleaning is a no-op
            latin = non_latin = 0
            for ch in text:
                if "A" <= ch <= "z":
                    latin += 1
                elif ch >= "\u0300" and unicode_block(ch) != "Latin Extended Additional":
                    non_latin += 1
            if latin * 2 < non_latin:
                text = "".join(ch for ch in text if ch < "A" or ch > "z")
        if len(self.normalized) > self.WORD_CACHE_SIZE:
            self.normalized.clear()
        return text.translate(self.normalized)

    def _ngrams_of_word(self, word: str, space_after: bool) -> tuple[list[float], ...]:
        """``Detector._extract_ngrams`` over " word" (+ " "): 1-, 2- and 3-grams ending at each
        character, skipped inside an all-capitals run, kept only when profiled."""
        padded = " " + word + (" " if space_after else "")
        probabilities = self.probabilities
        found = []
        for i in range(1, len(padded)):
            ch = padded[i]
            if ch.isupper() and padded[i - 1].isupper():
                continue
            grams = (
                (ch, padded[i - 1 : i + 1])
                if i == 1
                else (ch, padded[i - 1 : i + 1], padded[i - 2 : i + 1])
            )
            for gram in grams:
                if gram != " ":
                    probs = probabilities.get(gram)
                    if probs is not None:
                        found.append(probs)
        return tuple(found)

    def ngrams(self, text: str) -> list[list[float]]:
        """The language probabilities of every n-gram langdetect samples from, in its order."""
        words = self._text(text).split(" ")
        cache = self.word_ngrams
        if len(cache) > self.WORD_CACHE_SIZE:
            cache.clear()
        last = len(words) - 1
        found: list[list[float]] = []
        for index, word in enumerate(words):
            if word:
                key = (word, index < last)
                grams = cache.get(key)
                if grams is None:
                    grams = cache[key] = self._ngrams_of_word(word, index < last)
                found.extend(grams)
        return found

    def best(self, text: str, seed: int) -> tuple[str, float] | None:
        """langdetect's most probable (language, probability), or None for no features."""
        ngrams = self.ngrams(text)
        if not ngrams:
            return None
        detector = self.detector_class
        alpha_default, alpha_width = detector.ALPHA_DEFAULT, detector.ALPHA_WIDTH
        base_freq, limit = detector.BASE_FREQ, detector.ITERATION_LIMIT
        threshold, n_trial = detector.CONV_THRESHOLD, self.N_TRIAL
        count = len(self.languages)
        rng = random.Random(seed)  # per call, as langdetect's Detector: no state shared
        getrandbits, gauss = rng.getrandbits, rng.gauss
        # random.Random.choice(ngrams), inlined: ngrams[_randbelow(len)], where _randbelow
        # draws getrandbits(len.bit_length()) until the value is below len (CPython 3.10-3.13).
        size = len(ngrams)
        bits = size.bit_length()
        totals = [0.0] * count
        for _ in range(n_trial):
            prob = [1.0 / count] * count
            weight = (alpha_default + gauss(0.0, 1.0) * alpha_width) / base_freq
            i = 0
            if count == 2:  # the usual case, unrolled: the same operations as the loop below
                p0, p1 = prob
                while True:
                    r = getrandbits(bits)
                    while r >= size:
                        r = getrandbits(bits)
                    word = ngrams[r]
                    p0 *= weight + word[0]
                    p1 *= weight + word[1]
                    if i % 5 == 0:
                        total = sum((p0, p1))
                        p0, p1 = p0 / total, p1 / total
                        if p0 > threshold or p1 > threshold or i >= limit:
                            break
                    i += 1
                prob = [p0, p1]
            else:
                while True:
                    r = getrandbits(bits)
                    while r >= size:
                        r = getrandbits(bits)
                    word = ngrams[r]
                    for j in range(count):
                        prob[j] *= weight + word[j]
                    if i % 5 == 0:
                        total = sum(prob)
                        prob = [p / total for p in prob]
                        if max(0.0, *prob) > threshold or i >= limit:
                            break
                    i += 1
            for j in range(count):
                totals[j] += prob[j] / n_trial
        best: tuple[str, float] | None = None
        for lang, p in zip(self.languages, totals, strict=True):
            if p > detector.PROB_THRESHOLD and (best is None or p > best[1]):
                best = (lang, p)
        return best


def _inlined_choice_is_randoms() -> bool:
    """True when ``FastDetector``'s inlined draw is what this Python's ``Random.choice`` does.

    The inlining follows CPython 3.10-3.13; on a Python whose ``random`` differs, detection
    falls back to langdetect itself (slower, same answers) instead of answering differently.
    """
    for seed in range(5):
        for size in (1, 2, 3, 7, 100, 1_000, 12_345):
            expected, ours = random.Random(seed), random.Random(seed)
            bits = size.bit_length()
            for _ in range(20):
                r = ours.getrandbits(bits)
                while r >= size:
                    r = ours.getrandbits(bits)
                if r != expected.choice(range(size)):
                    return False
    return True


@functools.lru_cache(maxsize=8)
def fast_detector(languages: tuple[str, ...]) -> FastDetector | None:
    """The ``FastDetector`` of ``detector_factory(languages)``; one per tuple. None when this
    Python's ``random`` does not draw as ``FastDetector`` assumes."""
    if not _inlined_choice_is_randoms():
        logger.warning("random.choice differs from FastDetector's; using langdetect directly")
        return None
    return FastDetector(detector_factory(languages))


def _langdetect_itself(
    text: str, languages: tuple[str, ...], seed: int
) -> tuple[str, float] | None:
    from langdetect.lang_detect_exception import LangDetectException

    detector = detector_factory(languages).create()
    # Detector copies the factory's seed at creation; set ours on the detector so the shared
    # factory is never mutated.
    detector.seed = seed
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):  # no usable features ("12/08", "—")
        return None
    return best.lang, float(best.prob)


def _langdetect(text: str, languages: tuple[str, ...], seed: int) -> tuple[str, float] | None:
    fast = fast_detector(languages)
    if fast is None:
        return _langdetect_itself(text, languages, seed)
    return fast.best(text, seed)


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
    hreflang_self: str | None = None,
    languages: tuple[str, ...] = ("en", "es"),
    min_confidence: float = 0.80,
    seed: int = 0,
) -> tuple[str, float, str]:
    """Return (language, confidence, method) by the rule in the module docstring."""
    parts = [p[: MAX_DETECT_CHARS * 4] for p in (title, summary, body) if isinstance(p, str)]
    text_lang, text_confidence = detect_language(" ".join(parts), languages=languages, seed=seed)
    # 1. a confident text result
    if text_lang != UNDETERMINED and text_confidence >= min_confidence:
        return text_lang, text_confidence, METHOD_TEXT
    # 2-5. page signals, the page's own statements before the chrome's
    for method, tag in (
        (METHOD_CONTENT_LANG, content_lang),
        (METHOD_HREFLANG, hreflang_self),
        (METHOD_OG_LOCALE, og_locale),
        (METHOD_HTML_LANG, html_lang),
    ):
        lang = normalize_language_tag(tag)
        if lang is not None:
            return lang, SIGNAL_CONFIDENCE[method], method
    # 6. the text's guess, however weak
    if text_lang != UNDETERMINED:
        return text_lang, text_confidence, METHOD_TEXT
    # 7. nothing to go on
    return UNDETERMINED, 0.0, METHOD_UNDETERMINED


class LanguagePipeline(CountingPipeline):
    """Set ``language`` and ``language_confidence`` on every item."""

    def __init__(
        self,
        *,
        languages: tuple[str, ...] = ("en", "es"),
        seed: int = 0,
        min_confidence: float = 0.80,
        stats: StatsCollector | None = None,
    ) -> None:
        self.languages = tuple(languages)
        self.seed = seed
        self.min_confidence = min_confidence
        super().__init__(stats)  # outcome counts, added to the stats in close_spider
        # Load the profiles now (once per process): a bad code fails here, not on the first item.
        detector_factory(self.languages)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LanguagePipeline:
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("REGMIG_LANGUAGE_ENABLED"):
            raise NotConfigured("REGMIG_LANGUAGE_ENABLED is off")
        return cls.from_settings(crawler.settings, stats=crawler.stats)

    @classmethod
    def from_settings(
        cls, settings: BaseSettings, stats: StatsCollector | None = None
    ) -> LanguagePipeline:
        return cls(
            languages=tuple(settings.getlist("REGMIG_LANGUAGE_LANGUAGES")),
            seed=settings.getint("REGMIG_LANGUAGE_SEED"),
            min_confidence=settings.getfloat("REGMIG_LANGUAGE_MIN_CONFIDENCE"),
            stats=stats,
        )

    def detector(self) -> Callable[[str | None, str | None], tuple[str, float]]:
        """``(title, summary) -> (language, confidence)`` with this pipeline's settings."""

        def detect(title: str | None, summary: str | None) -> tuple[str, float]:
            language, confidence, _ = resolve_language(
                title,
                summary,
                None,
                languages=self.languages,
                min_confidence=self.min_confidence,
                seed=self.seed,
            )
            return language, confidence

        return detect

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = record_fields(item)
        if adapter.get("source") == "listing":
            # A teaser's language only matters when its publication's page, which has far
            # more text, could not be read: the dataset pipeline decides it then.
            self._inc("regmig/language/deferred")
            return item
        language, confidence, method = resolve_language(
            adapter.get("title"),
            adapter.get("summary"),
            adapter.get("body_text"),
            content_lang=adapter.get("content_lang"),
            og_locale=adapter.get("og_locale"),
            html_lang=adapter.get("html_lang"),
            languages=self.languages,
            min_confidence=self.min_confidence,
            seed=self.seed,
        )
        adapter["language"] = language
        adapter["language_confidence"] = confidence
        self._inc(f"regmig/language/method/{method}")
        if language == UNDETERMINED:
            self._inc("regmig/language/undetermined")
            logger.debug("language undetermined for %s", adapter.get("url"))
        else:
            self._inc(f"regmig/language/detected/{language}")
        return item
