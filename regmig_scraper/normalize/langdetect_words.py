"""langdetect's ``Detector`` with the text's n-grams read word by word, the same answers.

Why: every publication page is a new text, so the per-text cache of ``normalize.language``
cannot help, and langdetect spends about half of a 300-character detection building the text's
n-gram list one character at a time through an ``NGram`` object (``Detector._extract_ngrams``),
and more copying the text character by character (``append``) and classifying every character
(``cleaning_text``). ``WordCachedDetector`` overrides those three steps only:

- ``append``: the same URL, e-mail and Vietnamese rewriting, then runs of spaces collapsed by a
  regular expression instead of a character loop;
- ``cleaning_text``: skipped when no character is at or above U+0300, where langdetect's loop
  counts no non-Latin letter and so changes nothing;
- ``_extract_ngrams``: ``NGram`` starts over after every space (of the text after
  ``NGram.normalize``), so the n-grams of a word depend only on the word and on whether a space
  follows it; they are computed once per word (``WORD_CACHE_SIZE``) and the text's list is their
  concatenation in text order, the list langdetect builds.

The random trials, the probabilities and their sorting are langdetect's own code, untouched;
``tests/test_language.py`` compares each overridden step and the final probabilities with
langdetect's on generated texts.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Container

from langdetect.detector import Detector
from langdetect.detector_factory import DetectorFactory
from langdetect.utils.ngram import NGram

# Distinct (word, space after) pairs kept per factory, and distinct characters normalized; a full
# cache starts over (texts of one site share most words).
WORD_CACHE_SIZE = 16_384
SPACE_RUNS = re.compile(" {2,}")
# langdetect's cleaning_text counts a character as non-Latin only from U+0300 on.
NON_LATIN_FROM = "\u0300"

WordNgrams = dict[tuple[str, bool], tuple[str, ...]]


class _Normalized(dict[int, str]):
    """``str.translate`` table: code point -> ``NGram.normalize`` of it, filled on first use."""

    def __missing__(self, code: int) -> str:
        value = self[code] = NGram.normalize(chr(code))
        return value


_NORMALIZED = _Normalized()
# One word cache per factory: a word's n-grams are those its factory's profiles know.
_WORDS: weakref.WeakKeyDictionary[DetectorFactory, WordNgrams] = weakref.WeakKeyDictionary()


def word_ngrams(word: str, space_after: bool, known: Container[str]) -> tuple[str, ...]:
    """The n-grams ``Detector._extract_ngrams`` yields for a word of normalized text: after the
    space that starts it, the 1-, 2- and 3-grams ending at each character (and at the space after
    it), none inside a run of capitals, ``' '`` never, and only those in ``known``."""
    padded = " " + word + " " if space_after else " " + word
    found = []
    previous = " "
    for end in range(1, len(padded)):
        char = padded[end]
        if not (char.isupper() and previous.isupper()):  # NGram.capitalword
            for n in (1, 2, 3) if end >= 2 else (1, 2):
                gram = padded[end + 1 - n : end + 1]
                if gram != " " and gram in known:
                    found.append(gram)
        previous = char
    return tuple(found)


class WordCachedDetector(Detector):
    """A ``Detector`` whose text preparation is per word and cached (see the module docstring)."""

    def __init__(self, factory: DetectorFactory, words: WordNgrams) -> None:
        super().__init__(factory)
        self.words = words

    def append(self, text: str) -> None:
        """``Detector.append``: the same rewriting; space runs collapsed by one substitution."""
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        self.text += SPACE_RUNS.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        """``Detector.cleaning_text``, which changes nothing when no character is non-Latin."""
        if self.text and max(self.text) >= NON_LATIN_FROM:
            super().cleaning_text()

    def _extract_ngrams(self) -> list[str]:
        known = self.word_lang_prob_map
        cache = self.words
        if len(cache) > WORD_CACHE_SIZE:
            cache.clear()
        if len(_NORMALIZED) > WORD_CACHE_SIZE:
            _NORMALIZED.clear()
        words = self.text.translate(_NORMALIZED).split(" ")
        last = len(words) - 1
        result: list[str] = []
        for index, word in enumerate(words):
            if word:
                key = (word, index < last)
                grams = cache.get(key)
                if grams is None:
                    grams = cache[key] = word_ngrams(word, index < last, known)
                result.extend(grams)
        return result


def create_detector(factory: DetectorFactory) -> Detector:
    """``factory.create()``, as a ``WordCachedDetector`` sharing the factory's word cache."""
    if not factory.get_lang_list():
        return factory.create()  # langdetect's own error: no profiles loaded
    words = _WORDS.get(factory)
    if words is None:
        words = _WORDS[factory] = {}
    return WordCachedDetector(factory, words)
