"""Split a byline into author names, in several languages, leaving out what is not a person.

``split_byline("By Jane Doe, Senior Fellow, and John Roe")`` -> ``["Jane Doe", "John Roe"]``;
``split_byline("Von Anna Muster und Max Beispiel")`` -> ``["Anna Muster", "Max Beispiel"]``.

Steps: drop the byline label ("By", "Von", "Par", "Por", "Di", "Door", "Autor:", "Written
by"...), a date or time glued after the names ("By A | April 4, 2021"), "et al."; cut at list
separators (commas, semicolons, "&", "and"/"und"/"et"/"y"/"e"/"en"/"i"/"und"); then drop each
part that is a role ("Senior Fellow"), a generic label ("Staff", "Redaktion", "Admin"), the
site's own name, a social handle or an e-mail, or a call to action ("Email the author").
``clean_name`` does the same for one value that is already a name (a ``citation_author``, a
JSON-LD Person). Pure functions.
"""

from __future__ import annotations

import re
import unicodedata

# Byline labels that open the text, in the languages of the corpus pages.
BYLINE_LABEL = re.compile(
    r"^\s*(?:(?:written|posted|published|reported|edited|compiled|text|story|words|"
    r"geschrieben|verfasst|erstellt|veröffentlicht|publié|écrit|publicado|escrito|"
    r"pubblicato|scritto)\s+)?"
    r"(?:by|von|vom|par|por|di|da|door|przez|af|av|from|autor(?:in|a|es)?|auteur|author(?:s)?|"
    r"autore|text|texte|texto|testo|redaktion|written\s+by|posted\s+by)\b\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
# "et al.", "and others" at the end.
ET_AL = re.compile(
    r"[\s,]*(?:\bet\.?\s+al\b\.?|\band\s+others\b|\bu\.\s?a\.)[\s.]*$", re.IGNORECASE
)
# Separators between names: punctuation, and conjunctions as whole lower-case words.
LIST_SEPARATOR = re.compile(
    r"\s*(?:[,;&|•·]|\s/\s|\n)\s*|\s+(?:and|und|et|y|e|en|i|und|og|och|with|mit|con|avec)\s+"
)
# A date, time or reading time glued to a byline: cut there ("By A — April 4, 2021", "Von A, 12.
# Mai", "A 10:15 Uhr", "A · 5 min read").
TRAILING_NOISE = re.compile(
    r"(?:\s*[|,·•–—-]\s*|\s+)(?:(?:on|am|le|el|il|em|updated|posted|published|"
    r"aktualisiert|veröffentlicht)\s+)?(?:[0-9]{1,4}[./-][0-9]{1,2}|[0-9]{1,2}\.?\s+[A-Za-zÄÖÜäöüéû]+"
    r"\s+[0-9]{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+[0-9]{1,2}|"
    r"[0-9]{1,2}:[0-9]{2}|[0-9]+\s*min).*$",
    re.IGNORECASE,
)
PARENTHESIS = re.compile(r"\s*[(\[][^()\[\]]{0,80}[)\]]")
EMAIL = re.compile(r"\S+@\S+\.\w+")
HANDLE = re.compile(r"^@\w+$")
URLISH = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)

# Words that make a part a role or a label, not a person (casefolded). Words that are also common
# surnames ("Dean", "Mayor", "Bishop") are left out.
ROLE_WORDS = frozenset(
    {
        "president", "director", "fellow", "analyst", "researcher", "professor", "editor",
        "editors", "manager", "officer", "consultant", "founder", "co-founder", "secretary",
        "minister", "ambassador", "chair", "chairman", "coordinator", "advisor", "adviser",
        "specialist", "scholar", "lecturer", "intern", "correspondent", "reporter", "columnist",
        "contributor", "writer", "journalist", "photographer", "student", "associate",
        "assistant", "ceo", "cto", "economist", "redakteur", "redakteurin", "korrespondent",
        "korrespondentin", "chefredakteur", "journaliste", "rédacteur", "rédactrice",
        "periodista", "redactor", "redactora", "corresponsal", "giornalista", "redattore",
        "phd", "dr.", "prof.", "senior", "junior", "head", "leiter", "leiterin",
        "autor", "autorin", "author", "guest", "gastautor", "gastbeitrag",
    }
)  # fmt: skip
# Parts that name no one: generic authors, desks, calls to action (casefolded, whole part).
GENERIC_AUTHORS = frozenset(
    {
        "staff", "admin", "administrator", "editor", "editors", "editorial", "redaktion",
        "red.", "red", "team", "the team", "newsroom", "news desk", "web desk", "webmaster",
        "rédaction", "la rédaction", "redacción", "redazione", "guest", "guest author",
        "anonymous", "unknown", "user", "by", "von", "par", "por", "email the author",
        "email", "e-mail", "contact", "follow", "twitter", "facebook", "linkedin", "more",
        "read more", "all posts", "view all posts", "see all", "author", "authors", "autor",
        "posted", "posted by", "written by", "share", "print", "comments", "staff writer",
        "staff report", "staff reports", "wire", "wire services", "press release",
        "pressemitteilung", "admin admin", "root", "default", "gast", "none", "null",
    }
)  # fmt: skip
# Calls to action and link texts that may follow a name in an author box.
ACTION_PREFIX = re.compile(
    r"^(?:e-?mail|contact|follow|view|see|read|more|all|alle|tous|ver|mehr|weitere)\b",
    re.IGNORECASE,
)
# A part that has at most this many words; more is a sentence, not a name.
MAX_NAME_WORDS = 6
MAX_BYLINE_CHARS = 300


def fold(text: str) -> str:
    """Casefolded, accent-stripped, whitespace-normalized: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _strip_label(text: str) -> str:
    for _ in range(2):  # "Autor: Von A"
        match = BYLINE_LABEL.match(text)
        if not match or match.end() == len(text):
            break
        text = text[match.end() :]
    return text


def clean_name(raw: str, *, site_names: frozenset[str] = frozenset()) -> str | None:
    """One author value as a name, or None when it names no person (see the module docstring)."""
    text = " ".join(raw.split()).strip(" \t,;:|-–—\"“”'‘’")
    if not text or len(text) > 100:
        return None
    text = _strip_label(text)
    text = PARENTHESIS.sub("", text).strip(" ,;:-–—")
    if not text:
        return None
    folded = fold(text)
    if (
        folded in GENERIC_AUTHORS
        or folded in site_names
        or HANDLE.match(text)
        or EMAIL.search(text)
        or URLISH.match(text)
        or ACTION_PREFIX.match(text)
    ):
        return None
    words = folded.split()
    if len(words) > MAX_NAME_WORDS or any(w.strip(".,") in ROLE_WORDS for w in words):
        return None
    if not any(c.isalpha() for c in text):
        return None
    return text


def split_byline(raw: str | None, *, site_names: frozenset[str] = frozenset()) -> list[str]:
    """The names of a byline, in order, deduplicated (accent- and case-insensitively)."""
    if not raw:
        return []
    text = " ".join(raw.split())
    if not text or len(text) > MAX_BYLINE_CHARS:
        return []
    text = _strip_label(text)
    text = EMAIL.sub(" ", text)
    text = TRAILING_NOISE.sub("", text)
    text = ET_AL.sub("", text)
    text = PARENTHESIS.sub("", text)
    names: list[str] = []
    seen: set[str] = set()
    for part in LIST_SEPARATOR.split(text):
        name = clean_name(part, site_names=site_names) if part else None
        if name is None:
            continue
        key = fold(name)
        if key not in seen:
            seen.add(key)
            names.append(name)
    return names


def looks_like_byline(text: str) -> bool:
    """True when a short text opens with a byline label ("By ...", "Von ...", "Por ...")."""
    match = BYLINE_LABEL.match(text)
    return bool(match) and match.end() < len(text)
