"""Split a byline into an ordered, deduplicated list of display names.

``split_authors("By  Andrew Selee, Ariel G. Ruiz Soto and Andrea Tanco")`` gives
``["Andrew Selee", "Ariel G. Ruiz Soto", "Andrea Tanco"]``. It is only ever given a byline
field (``authors_raw``), and reads, in order:

1. whitespace and entities normalized (``normalize.text.normalize_whitespace``, lines kept);
2. a string that opens with another field's label ("Speakers:", "Moderator:", "Photo:") is not
   a byline: rejected (``not_byline``);
3. byline labels go: "By", "Por", "Written by", "Authors:", "Autores:" (``BYLINE_LABEL``), and
   the label of each of the byline's ``languages`` ("Von", "Par", "Di": the one table of byline
   words, ``metadata.bylines.BYLINE_WORDS``);
4. "et al." / "and others" / "y otros" at the end go (``ET_AL``); parenthesized affiliations
   "(MPI)" go;
5. the rest is cut at list separators: newlines, ";", ",", "&", and the conjunctions of the
   ``languages`` ("and", "with", "y", "con"; "und", "et", "e"... from the same table;
   ``LIST_SEPARATOR``; the Oxford comma needs nothing special);
6. each part is classified: a ROLE ("President", "Senior Policy Analyst"), an ORGANISATION
   ("Migration Policy Institute", "MPI") or a NAME. Roles and organisations after a name are
   that person's affiliation and are dropped, as are the parts that follow them up to the next
   name that itself carries a role; a byline made only of organisations ("By Migration Policy
   Institute") returns the organisations. Roles are the one table of role words,
   ``metadata.bylines.ROLE_WORDS``, that the generic cascade uses too;
7. every name must look like a name (``_sentence_signal``). A part that does not is a sentence
   posing as a byline, and the WHOLE byline is rejected (``sentence``): returning the
   capitalized fragments of a sentence ("Mexico", "Central America") would be worse than
   nothing. The sentence signals: a lowercase word that is not a name particle ("de", "van",
   "le"...), more than ``MAX_NAME_WORDS`` words, a digit, or a sentence terminator ("?", "!").
   A single trailing period is dropped first: bylines sometimes end with one, and the other
   signals already catch a sentence ("This report examines how ..."). Role and organisation
   parts are held to a looser shape (``_phrase_signal``: lowercase words only as connectives
   such as "of", "to the", "de"), so "Andrew Selee, who said that ..." is rejected too;
8. a one-word name is rejected as well (``single_word``): a display name has a given name and
   a surname, a lone word is a label ("Reports") or a fragment. "Jr."/"III" after a comma
   join the name before them.

Names come back whitespace-normalized, without "By"/"Por", deduplicated case-insensitively in
first-seen order. Results are cached (``lru_cache``).
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from regmig_scraper.metadata.bylines import BYLINE_WORDS, ROLE_WORDS
from regmig_scraper.normalize.text import has_markup, normalize_whitespace, strip_markup

logger = logging.getLogger(__name__)

REJECT_NOT_BYLINE = "not_byline"  # another field's label: speakers, moderators, photo credit
REJECT_SENTENCE = "sentence"  # a part does not look like a name (see _sentence_signal)
REJECT_SINGLE_WORD = "single_word"  # a one-word part: "Reports", "Video", a lone surname
REJECT_NO_NAMES = "no_names"  # nothing but labels, roles or punctuation
REJECT_TOO_LONG = "too_long"  # longer than MAX_BYLINE_CHARS: a text dump, not a byline

# Longer input is not parsed at all (bounds the work and keeps dumps out of the cache). A
# byline may be a long list: reports with 60 or more authors exist, and a list of several
# hundred names stays below this; only a text dump passes it.
MAX_BYLINE_CHARS = 20_000
# A person's display name has a given name and a surname; a one-word part is a label
# ("Reports"), a lone surname or a fragment.
MIN_NAME_WORDS = 2
# The most words one person's name has ("Maria Belen Zanzuchi", "Pauline Endres de Oliveira",
# "Ana Laura Martínez de Lara" = 5); more is a sentence fragment.
MAX_NAME_WORDS = 6

# Labels of OTHER fields: a string that starts with one is not a byline.
NOT_BYLINE = re.compile(
    r"(?:(?:featured\s+)?speakers?|moderators?|moderator\(s\)|panelists?|introduction|"
    r"photos?|fotos?|photo\s+credit|credits?|cr[eé]dito|ponentes?|moderador(?:a|es)?|"
    r"presentador(?:a|es)?)\s*:",
    re.IGNORECASE,
)
# The languages a byline is read in when the caller names none (MPI's).
DEFAULT_LANGUAGES = ("en", "es")
# Byline labels at the start: "By", "Por", "Written by", "Authors:", "Autores:", "By:"; ``{LABEL}``
# is the alternation of the languages' labels (``BYLINE_WORDS``).
BYLINE_LABEL_PATTERN = (
    r"(?:(?:written|edited|compiled|posted|escrito|editado|publicado)\s+)?(?:{LABEL})\b\s*:?\s*|"
    r"(?:authors?|autor(?:a|es)?|byline|written\s+by)\s*:\s*"
)
# "et al." and friends at the end of the list.
ET_AL = re.compile(
    r"[\s,]*(?:\bet\.?\s+al\b\.?|\band\s+others\b|\band\s+colleagues\b|\by\s+otros\b|"
    r"\by\s+col\b\.?)[\s.]*$",
    re.IGNORECASE,
)
# A parenthesized affiliation or role: "Andrew Selee (MPI)", "(Moderator)".
PARENTHESIS = re.compile(r"\([^()\n]{0,120}\)")
# Separators of a list of names. Conjunctions are lowercase words between spaces, so a name
# holding "y" inside a word ("Yi-Ying") is never cut.
LIST_SEPARATOR_PATTERN = r"[,;\n&]|(?<!\S)(?:{CONJUNCTION})(?!\S)"
# "the Migration Policy Institute" -> "Migration Policy Institute".
LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)  # Spanish "El Colegio" keeps its "El"
# Generational suffixes that follow a name after a comma: "John Smith, Jr." is one person.
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# A "by"/"por" repeated inside the list: "By A and by B".
INNER_LABEL_PATTERN = r"^(?:{LABEL})\s+"


@dataclass(frozen=True, slots=True)
class _Grammar:
    """The byline patterns of one tuple of languages."""

    label: re.Pattern[str]
    separator: re.Pattern[str]
    inner_label: re.Pattern[str]


@functools.lru_cache(maxsize=16)
def _grammar(languages: tuple[str, ...]) -> _Grammar:
    labels = [w for lang in languages for w in BYLINE_WORDS.get(lang, ((), ()))[0]]
    conjunctions = [w for lang in languages for w in BYLINE_WORDS.get(lang, ((), ()))[1]]
    label = "|".join(dict.fromkeys(labels)) or "(?!)"
    conjunction = "|".join(dict.fromkeys(conjunctions)) or "(?!)"
    return _Grammar(
        re.compile(BYLINE_LABEL_PATTERN.replace("{LABEL}", label), re.IGNORECASE),
        re.compile(LIST_SEPARATOR_PATTERN.replace("{CONJUNCTION}", conjunction)),
        re.compile(INNER_LABEL_PATTERN.replace("{LABEL}", label), re.IGNORECASE),
    )


# Lowercase words that belong in names: particles of Spanish, Portuguese, French, Dutch,
# German, Arabic names ("Pauline Endres de Oliveira", "Camille Le Coz" in lower case).
NAME_PARTICLES = frozenset(
    {
        "de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du", "la", "las",
        "le", "les", "lo", "los", "el", "van", "von", "ter", "ten", "zu", "y", "e", "bin", "ibn",
        "al", "ben", "st.", "mac", "d'", "d’",
    }
)  # fmt: skip

# Words of organisation names (casefolded, English and Spanish).
ORGANISATION_WORDS = frozenset(
    {
        "institute", "instituto", "institut", "university", "universidad", "college", "colegio",
        "center", "centre", "centro", "foundation", "fundación", "commission", "comisión",
        "council", "consejo", "department", "departamento", "ministry", "ministerio",
        "secretaría", "government", "gobierno", "organization", "organisation", "organización",
        "program", "programme", "programa", "initiative", "iniciativa", "association",
        "asociación", "bank", "banco", "office", "oficina", "agency", "agencia", "network",
        "coalition", "coalición", "committee", "comité", "school", "escuela", "society",
        "sociedad", "forum", "foro", "union", "unión", "corporation", "inc.", "inc", "ltd",
        "llc", "nations", "naciones", "observatory", "observatorio", "trust", "fund", "fondo",
        "press", "staff", "team", "equipo", "alliance", "alianza", "partnership", "group",
        "grupo", "project", "proyecto", "service", "services", "servicio", "embassy",
        "embajada",
    }
)  # fmt: skip
# Lowercase words allowed inside a role or organisation: "Advisor to the President", "Director
# of Research for U.S. Programs", "Secretaría de Gobernación", "Gobierno de México".
AFFILIATION_CONNECTIVES = frozenset(
    {
        "of", "for", "the", "to", "on", "in", "at", "and", "de", "del", "la", "las", "los", "el",
        "para", "y", "e", "en", "sobre", "a", "an",
    }
)  # fmt: skip
# The most words of one role or organisation ("Senior Manager, Latin America and Caribbean
# Initiative" is cut at commas and "and" first).
MAX_AFFILIATION_WORDS = 12
# An acronym standing alone for an organisation: "MPI", "UNHCR", "COMAR".
ACRONYM = re.compile(r"[A-Z]{2,8}")

KIND_NAME = "name"
KIND_ROLE = "role"
KIND_ORG = "org"


@dataclass(frozen=True, slots=True)
class AuthorSplit:
    """The names read from a byline, and why nothing was read when ``names`` is empty."""

    names: tuple[str, ...]
    reason: str | None = None  # a REJECT_* constant when the byline was rejected


def _folded_words(part: str) -> list[str]:
    return [w.casefold().strip(".,;:'’") for w in part.split()]


def _classify(part: str) -> str:
    words = _folded_words(part)
    if any(w in ROLE_WORDS for w in words):
        return KIND_ROLE
    if ACRONYM.fullmatch(part) or any(w in ORGANISATION_WORDS for w in words):
        return KIND_ORG
    return KIND_NAME


def _name_word_ok(word: str) -> bool:
    if word.casefold() in NAME_PARTICLES:
        return True
    if word[:2].casefold() in {"d'", "d’", "l'", "l’", "o'", "o’"} and len(word) > 2:
        word = word[2:]
    return word[0].isupper() and all(c.isalpha() or c in ".-'’" for c in word)


def _sentence_signal(part: str) -> bool:
    """True when ``part`` cannot be a person's name (see the module docstring, step 7)."""
    words = part.split()
    if not words or len(words) > MAX_NAME_WORDS:
        return True
    if any(c.isdigit() for c in part) or part[-1] in "?!":
        return True
    if not words[0][0].isupper():
        return True
    return not all(_name_word_ok(w) for w in words)


def _phrase_signal(part: str) -> bool:
    """True when a role or organisation part reads as a sentence: a lowercase word that is not
    a connective ("of", "to the", "de") or itself a role/organisation word ("author of X"), a
    sentence terminator, or more than MAX_AFFILIATION_WORDS words."""
    words = _folded_words(part)
    if not words or len(words) > MAX_AFFILIATION_WORDS or part[-1] in "?!":
        return True
    return any(
        raw[0].islower()
        and word not in AFFILIATION_CONNECTIVES
        and word not in ROLE_WORDS
        and word not in ORGANISATION_WORDS
        for raw, word in zip(part.split(), words, strict=True)
        if raw[0].isalpha()
    )


def _clean_part(part: str, grammar: _Grammar) -> str:
    part = grammar.inner_label.sub("", part.strip())
    part = part.strip(" \t,;:-–—\"“”'‘’")
    return _drop_trailing_period(part.lstrip(".")).strip()


def _drop_trailing_period(text: str) -> str:
    if not text.endswith(".") or not text.split():
        return text
    last = text.split()[-1]
    # "Jr." "Sr." "G." keep their period; "Bolter." loses it.
    if len(last.rstrip(".")) <= 2 or last.casefold() in {"jr.", "sr.", "inc.", "st."}:
        return text
    return text[:-1]


# Bylines repeat (a publication's teasers and page, frequent authors); a bounded cache keeps
# the hits and keeps memory flat however large the site.
SPLIT_CACHE_SIZE = 4_096


@functools.lru_cache(maxsize=SPLIT_CACHE_SIZE)
def _split(raw: str, languages: tuple[str, ...]) -> AuthorSplit:
    grammar = _grammar(languages)
    text = normalize_whitespace(strip_markup(raw) if has_markup(raw) else raw, multiline=True)
    if text is None:
        return AuthorSplit(())
    if len(text) > MAX_BYLINE_CHARS:
        return AuthorSplit((), REJECT_TOO_LONG)
    if NOT_BYLINE.match(text):
        return AuthorSplit((), REJECT_NOT_BYLINE)
    for _ in range(2):  # "Authors: By A" has two labels
        text = grammar.label.sub("", text, count=1) if grammar.label.match(text) else text
    text = ET_AL.sub("", text)
    text = PARENTHESIS.sub(" ", text)
    text = _drop_trailing_period(text.strip())

    parts = [p for p in (_clean_part(p, grammar) for p in grammar.separator.split(text)) if p]
    if not parts:
        return AuthorSplit((), REJECT_NO_NAMES)
    kinds = [_classify(p) for p in parts]

    names: list[str] = []
    organisations: list[str] = []
    in_affiliation = False  # after a role/organisation that follows a name
    for index, (part, kind) in enumerate(zip(parts, kinds, strict=True)):
        if kind == KIND_NAME:
            if names and not in_affiliation and part.casefold() in NAME_SUFFIXES:
                names[-1] = f"{names[-1]} {part}"  # "John Smith, Jr."
                continue
            if _sentence_signal(part):
                return AuthorSplit((), REJECT_SENTENCE)
            if len(part.split()) < MIN_NAME_WORDS and not in_affiliation:
                return AuthorSplit((), REJECT_SINGLE_WORD)
            if in_affiliation:
                # A name-shaped part inside an affiliation ("Latin America") only starts a new
                # person when a role follows it ("..., MPI, and B, Policy Analyst, MPI").
                next_kind = kinds[index + 1] if index + 1 < len(kinds) else None
                if next_kind != KIND_ROLE:
                    continue
                in_affiliation = False
            names.append(part)
            continue
        if _phrase_signal(part):
            return AuthorSplit((), REJECT_SENTENCE)
        if names:
            in_affiliation = True  # this person's role or employer
        elif kind == KIND_ORG:
            organisations.append(LEADING_ARTICLE.sub("", part))
        else:
            # a role before any name: "Senior Fellow, MPI" names nobody
            return AuthorSplit((), REJECT_NO_NAMES)

    result = names or organisations
    seen: set[str] = set()
    unique: list[str] = []
    for name in result:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(name)
    if not unique:
        return AuthorSplit((), REJECT_NO_NAMES)
    return AuthorSplit(tuple(unique))


def split_authors_detailed(
    raw: str | None, *, languages: tuple[str, ...] = DEFAULT_LANGUAGES
) -> AuthorSplit:
    """Like ``split_authors`` but also says why a byline gave no names."""
    if not isinstance(raw, str) or not raw.strip():
        return AuthorSplit(())
    return _split(raw, tuple(languages))


def split_authors(raw: str | None, *, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> list[str]:
    """The display names of a byline read in ``languages``, in order, deduplicated; ``[]`` when
    there are none."""
    return list(split_authors_detailed(raw, languages=languages).names)
