"""Split a byline into author names, in several languages, leaving out what is not a person.

``split_byline("By Jane Doe, Senior Fellow, and John Roe")`` -> ``["Jane Doe", "John Roe"]``;
``split_byline("Von Anna Muster und Max Beispiel")`` -> ``["Anna Muster", "Max Beispiel"]``.

Steps: drop the byline label ("By", "Von", "Par", "Por", "Di", "Door", "Autor:", "Written
by", "Text & Fotos:"...), the site's name before a dash ("Example - A"), a date or time glued
after the names ("By A | April 4, 2021"), the post's category ("Posted by A in News"), "et
al."; cut at list separators (commas, semicolons, "&", "/", "and"/"und"/"et"/"y"/"e"/"en"/"i",
a social handle between two names); then drop each part that is a role ("Senior Fellow"), a
generic label ("Staff", "Redaktion", "Admin", "wordpressadmin"), an organisation ("BBC News",
"Deutsches Rotes Kreuz"), the site's own name, a social handle or an e-mail, or a call to
action ("Email the author"), and credentials after a name ("A, PhD"). One-word parts joined by
a conjunction are a brand ("Jobs & Hire"), not people. ``clean_name`` does the same for one
value that is already a name (a ``citation_author``, a JSON-LD Person). The role words are
the project's one table of them (``ROLE_WORDS``; ``normalize.authors`` reads it too). Pure
functions.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from regmig_scraper.normalize.text import ZERO_WIDTH_CHARS

# Per language: the word that opens a byline ("By A") and the words that join two people
# ("A and B"). ``normalize.authors`` builds its byline grammar for a site's languages from this
# table; the patterns below read every language at once.
BYLINE_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (("by",), ("and", "with")),
    "es": (("por",), ("y", "con")),
    "de": (("von",), ("und", "mit")),
    "fr": (("par",), ("et", "avec")),
    "pt": (("por",), ("e", "com")),
    "it": (("di",), ("e", "con")),
    "nl": (("door",), ("en", "met")),
}

# Byline labels that open the text, in the languages of the corpus pages.
BYLINE_LABEL = re.compile(
    r"^\s*(?:(?:written|posted|published|reported|edited|compiled|text|story|words|"
    r"geschrieben|verfasst|erstellt|veröffentlicht|publié|écrit|publicado|escrito|"
    r"pubblicato|scritto)\s+)?"
    r"(?:text\s+und\s+interview|text\s+and\s+interview|written\s+by|posted\s+by|"
    r"(?:text|texto|texte)\s*(?:&|und|and|y|et|e|\+)\s*(?:fotos?|photos?|bilder?|bild)|"
    r"by|von|vom|par|por|di|da|door|przez|af|av|from|autor(?:in|innen|en|a|es)?|auteurs?|"
    r"authors?|autore|text|texte|texto|testo|redaktion|interview|words)\b\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
# "et al.", "and others" at the end.
ET_AL = re.compile(
    r"[\s,]*(?:\bet\.?\s+al\b\.?|\band\s+others\b|\bu\.\s?a\.)[\s.]*$", re.IGNORECASE
)
# Separators between names: punctuation, and conjunctions as whole lower-case words.
LIST_SEPARATOR = re.compile(
    r"\s*(?:[,;&|•·»]|\s/\s|\s[-–—]\s|\n)\s*|\s+(?:and|und|et|y|e|en|i|und|og|och|with|mit|con|avec)\s+"
)
# A date, time or reading time glued to a byline: cut there ("By A — April 4, 2021", "Von A, 12.
# Mai", "A 10:15 Uhr", "A · 5 min read").
TRAILING_NOISE = re.compile(
    r"(?:\s*[|,·•–—@»-]\s*|\s+)(?:(?:on|am|le|el|il|em|updated|posted|published|"
    r"aktualisiert|veröffentlicht)\s+)?(?:(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun|"
    r"lun|mar|mer|jeu|ven|sam|dim)[a-z]*\.?,?\s+)?(?:[0-9]{1,4}[./-][0-9]{1,2}|[0-9]{1,2}\.?\s+[A-Za-zÄÖÜäöüéû]+"
    r"\s+[0-9]{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+[0-9]{1,2}|"
    r"[0-9]{1,2}:[0-9]{2}|[0-9]+\s*min).*$",
    re.IGNORECASE,
)
PARENTHESIS = re.compile(r"\s*[(\[][^()\[\]]{0,80}[)\]]")
EMAIL = re.compile(r"\S+@\S+\.\w+")
HANDLE = re.compile(r"^@\w+$")
# A social handle after a name: "Williams Perdomo @wperdomod".
HANDLE_IN_NAME = re.compile(r"\s+@\w+")
# A login name made of words joined by dots or underscores.
USERNAME_PARTS = re.compile(r"^[a-zäöüéèáíóúñ]+(?:[._][a-zäöüéèáíóúñ]+)+$")
# Degrees and credentials after a name: "Grant Tinsley, PhD", "Jane Doe MD, MPH".
CREDENTIALS = re.compile(
    r"(?:,?\s+(?:ph\.?\s?d|m\.?d|mba|mph|msc|m\.?sc|bsc|rdn?|dphil|esq|lmft|cpa|rn)\.?)+$",
    re.IGNORECASE,
)
URLISH = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)

# Head words of job titles and bylines' roles (casefolded): a part holding one is a role or a
# label, not a person ("Senior Fellow", "Director of Research", "Redakteurin", "Gastautor").
# The one table of role words: ``normalize.authors`` (the site modules' bylines) classifies its
# parts with it too. Words that are also common surnames or name parts ("Dean", "Mayor",
# "Bishop", "Head", "Senior", "Junior") are left out, and so are honorifics ("Dr.", "Prof.",
# "PhD"), which stand beside a person's name rather than instead of it.
ROLE_WORDS = frozenset(
    {
        # English
        "president", "vice-president", "director", "fellow", "analyst", "researcher",
        "professor", "editor", "editors", "manager", "officer", "consultant", "founder",
        "co-founder", "cofounder", "secretary", "minister", "ambassador", "chair", "co-chair",
        "chairman", "chairwoman", "coordinator", "advisor", "adviser", "specialist", "scholar",
        "lecturer", "intern", "commissioner", "representative", "official", "ceo", "cto",
        "economist", "journalist", "reporter", "correspondent", "columnist", "contributor",
        "writer", "photographer", "senator", "governor", "deputy", "undersecretary", "attorney",
        "lawyer", "counsel", "filmmaker", "convenor", "convener", "associate", "assistant",
        "author", "guest", "moderator", "speaker", "student", "candidate", "former",
        # Spanish and Portuguese
        "presidente", "presidenta", "directora", "analista", "investigador", "investigadora",
        "profesor", "profesora", "editora", "gerente", "consultor", "consultora", "fundador",
        "fundadora", "secretaria", "secretario", "ministra", "ministro", "embajador",
        "embajadora", "coordinador", "coordinadora", "asesor", "asesora", "especialista",
        "comisionado", "comisionada", "funcionario", "funcionaria", "economista", "periodista",
        "senador", "senadora", "gobernador", "alcalde", "alcaldesa", "subsecretario",
        "subsecretaria", "abogado", "abogada", "autor", "autora", "moderador", "moderadora",
        "redactor", "redactora", "corresponsal",
        # German
        "redakteur", "redakteurin", "korrespondent", "korrespondentin", "chefredakteur",
        "leiter", "leiterin", "autorin", "gastautor", "gastbeitrag", "rechtsanwalt",
        "rechtsanwältin", "fachanwalt", "fachanwältin", "notar", "notarin", "pfarrer",
        "pfarrerin",
        # French and Italian
        "journaliste", "rédacteur", "rédactrice", "giornalista", "redattore",
        # Korean, Japanese, Chinese
        "기자", "특파원", "記者", "记者",
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
        "publisher", "super user", "anonimo", "anonyme", "anonym", "redaktion online",
        "online redaktion", "online-redaktion", "editorial team", "editorial staff",
    }
)  # fmt: skip
# Generic accounts inside a one-word login name: "wordpressadmin", "siteadmin", "kb_redaktion".
GENERIC_IN_USERNAME = re.compile(r"admin|redaktion|redaccion|redazione|redaction|webmaster")
# Words of organisation names (casefolded): a part holding one is not a person. Also ends the
# person before it: "Nada Tawfik, BBC News, New York" is Nada Tawfik and her affiliation.
ORGANISATION_WORDS = frozenset(
    {
        "gmbh", "ag", "e.v.", "ev", "kg", "co.", "inc", "inc.", "ltd", "ltd.", "llc", "corp",
        "eg", "ug", "ohg", "gbr", "kgaa", "sarl", "sas", "bv", "nv",
        "s.a.", "sa", "sl", "srl", "spa", "plc", "verlag", "magazin", "magazine", "zeitung",
        "redaktion", "redaktionsteam", "redacción", "rédaction", "redazione", "media", "news",
        "press", "presse", "agency", "agentur", "institut", "institute", "university",
        "universität", "ministerium", "bundesministerium", "ministry", "department",
        "departement", "verband", "bundesverband", "partei", "fraktion", "bundestagsfraktion",
        "team", "staff", "desk", "foundation", "stiftung", "association", "verein", "online",
        "group", "gruppe", "office", "council", "society", "network", "netzwerk", "company",
        "services", "service", "solutions", "marketing", "editorial", "reuters", "dpa", "afp",
        "ap", "apa", "sda", "kna", "epd", "efe", "ansa", "kirche", "diakonie", "caritas",
        "copyright", "©", "rights", "reserved", "landesanstalt", "anstalt", "bundesamt",
        "amt", "behörde", "kommission", "pressestelle", "collectif", "agencies", "agencia",
        "agence", "agenturen", "nachrichtenagentur", "nachrichten", "universidad",
        "universidade", "università", "université", "instituto", "istituto", "fundación",
        "fundação", "fondazione", "fondation",
        # newspapers' names ("Lesotho Times", "Salzburger Nachrichten", "Corriere della Sera")
        "times", "herald", "tribune", "gazette", "journal", "chronicle", "observer", "kurier",
        "anzeiger", "rundschau", "tagblatt", "tageblatt", "wochenblatt", "gazzetta", "gazeta",
        "dziennik", "diario", "corriere", "quotidien",
    }
)  # fmt: skip
# Calls to action and link texts that may follow a name in an author box.
ACTION_PREFIX = re.compile(
    r"^(?:e-?mail|contact|follow|view|see|read|more|all|alle|tous|ver|mehr|weitere)\b",
    re.IGNORECASE,
)
# A part that has at most this many words; more is a sentence, not a name.
MAX_NAME_WORDS = 5
MAX_BYLINE_CHARS = 300


def _folded_set(words: frozenset[str]) -> frozenset[str]:
    """The words as ``fold`` writes them (accents stripped), beside the originals."""
    return words | {fold(w) for w in words}


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Casefolded, accent-stripped, whitespace-normalized: how names are compared."""
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


# Invisible characters inside words, the text normalizer's: soft hyphens and zero-width
# spaces ("Mat\xadthias"); joiners stay, they are part of Persian and Indic names.
INVISIBLE = dict.fromkeys(map(ord, ZERO_WIDTH_CHARS))


def _unhyphenated(text: str) -> str:
    return text.translate(INVISIBLE) if not text.isascii() else text


def _strip_label(text: str) -> str:
    for _ in range(2):  # "Autor: Von A"
        match = BYLINE_LABEL.match(text)
        if not match or match.end() == len(text):
            break
        text = text[match.end() :]
    return text


def clean_name(raw: str, *, site_names: frozenset[str] = frozenset()) -> str | None:
    """One author value as a name, or None when it names no person (see the module docstring)."""
    text = " ".join(_unhyphenated(raw).split()).strip(" \t,;:|/-–—\"“”'‘’»«")
    if not text or len(text) > 100:
        return None
    text = _strip_label(text)
    text = PARENTHESIS.sub("", text).strip(" ,;:-–—")
    text = HANDLE_IN_NAME.sub("", text).strip()
    text = CREDENTIALS.sub("", text).strip(" ,")
    text = CJK_ROLE.sub("", text).strip()
    if USERNAME_PARTS.match(text):  # "edilson.la.rosa", "gabor_munier"
        text = re.sub(r"[._]", " ", text)
    words = text.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        text = " ".join(words[:half])  # the name printed twice (a link and its tooltip)
    if not text:
        return None
    folded = fold(text)
    if (
        folded in GENERIC_AUTHORS
        or (" " not in folded and GENERIC_IN_USERNAME.search(folded))
        or is_site_name(text, site_names)
        or HANDLE.match(text)
        or EMAIL.search(text)
        or URLISH.match(text)
        or ACTION_PREFIX.match(text)
    ):
        return None
    words = folded.split()
    if len(words) > MAX_NAME_WORDS or any(w.strip(".,") in ROLE_WORDS for w in words):
        return None
    if any(w.strip(".,:") in NOT_NAME_WORDS for w in words):
        return None
    if is_organisation(text):
        return None
    if len(words) > 1 and any(c.isdigit() for c in text):  # "Dezember 10"; "r23" may pass
        return None
    letters = sum(c.isalpha() for c in text)
    # initials or an agency code ("mf", "EFE", "dpa", "AgE"), not a short first name ("Kay");
    # a Chinese, Japanese or Korean name is written in two to four characters ("孔德明")
    short = letters <= 2 or (letters == 3 and not SHORT_NAME.match(text))
    if short and not (letters >= MIN_CJK_NAME_CHARS and CJK_NAME.match(text)):
        return None
    first = text.split()[0]
    mixed = any(w[:1].isupper() for w in text.split()[1:])
    long_title = first in ARTICLES and len(text.split()) > MAX_NICKNAME_WORDS
    if mixed and first.islower() and (first not in NAME_PARTICLES or long_title):
        # "selbst ist der Mann", "der Befreiung zum Staatsvertrag": a title, not a name (a
        # blogger's nickname may open with an article: "der Michel")
        return None
    if not any(c.isalpha() for c in text) or text[-1] in "!?":
        return None
    if ":" in text or "：" in text:
        return None  # a label left in ("责任编辑:A" names an editor), not a name
    return text


# A byline's lead-in of up to three words before "by"/"von": "Posted by", "Ein Beitrag von",
# "Artikel von:".
BYLINE_LEAD = re.compile(
    r"^(?:(?:posted|written|submitted|geschrieben|verfasst|gespeichert|ein|eine|blog|beitrag|"
    r"artikel|pressemitteilung|meldung|interview|an|zeige|alle|all|view|more|mehr|weitere|posts|"
    r"articles|beiträge|"
    r"article|story|text|publié|écrit|escrito|publicado|scritto|pubblicato)\s+){0,3}"
    r"(?:by|von|par|por|door|przez|di)\s*:?\s+(?=\S)",
    re.IGNORECASE,
)
# An interview's byline, and the word that introduces the one interviewed after its author.
INTERVIEW = re.compile(r"\binterview\b", re.IGNORECASE)
INTERVIEWEE = re.compile(r"\s+(?:mit|with|avec|con|met)\s+", re.IGNORECASE)
# Words that never occur in a person's name: a date label, a reading time, a call to action.
NOT_NAME_WORDS = frozenset(
    {
        "on", "am", "um", "posted", "published", "publiziert", "veröffentlicht", "publié",
        "publicado", "min", "minutes", "minuten", "read", "lesezeit", "uhr", "comments",
        "kommentare", "comment", "kommentar", "views", "share", "teilen", "in", "im",
        "updated", "aktualisiert", "kiosques", "recipe", "rezept", "photo", "foto", "bild",
        "stand", "illustration", "illustrationen", "fotos", "photos", "video", "the",
        "über", "about", "datum", "date", "quelle", "source", "artikel", "beitrag", "beiträge",
        "posts", "articles", "zeige", "montag", "dienstag", "mittwoch", "donnerstag",
        "freitag", "samstag", "sonntag", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
        "samedi", "dimanche", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
        "domingo", "фото", "by", "reviewed", "edited", "fact-checked",
        # social networks and the calls to follow an author on them ("Folgen", "Twitter
        # Facebook" left in an author box)
        "twitter", "facebook", "instagram", "linkedin", "whatsapp", "telegram", "mastodon",
        "bluesky", "tiktok", "youtube", "xing", "pinterest", "threads", "folgen", "follow",
        "abonnieren", "subscribe", "suivre", "seguir",
        # a letter's closing above its signature
        "grüße", "grüsse", "gruß", "gruss", "regards", "cheers", "sincerely", "herzliche",
        "herzlichst", "saludos", "cordialement", "salutations",
    }
)  # fmt: skip


# "Doe, Jane" / "Doe, Jane A." as citation_author and DC.creator write one name.
LAST_FIRST = re.compile(r"^([^,\s][^,]{0,40}),\s*([^,\s][^,]{0,40})$")


def first_last(value: str) -> str:
    """A "Last, First" name as "First Last"; any other value unchanged."""
    match = LAST_FIRST.match(value.strip())
    if not match or not all(len(p.split()) <= 3 for p in match.groups()):
        return value
    last, first = match.groups()
    if is_organisation(value) or any(w.casefold() in ROLE_WORDS for w in value.split()):
        return value
    return f"{first.strip()} {last.strip()}"


# Particles that are also articles: only a nickname opens with one ("der Michel"), a longer
# text is a title ("der Befreiung zum Staatsvertrag").
ARTICLES = frozenset({"der", "den", "la", "le", "zum", "zur", "vom", "e", "y"})
MAX_NICKNAME_WORDS = 2
# A name in Han, kana or Hangul characters, and its fewest characters.
CJK_NAME = re.compile(r"^[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af·・]+$")
# A reporter's title beside a Chinese, Japanese or Korean name: "신현주 기자", "山田太郎 記者",
# "记者 张三" (the name is kept, the title dropped).
CJK_ROLE = re.compile(
    r"^(?:记者|記者|기자)\s*(?=[\u4e00-\u9fff\uac00-\ud7af])"
    r"|(?<=[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af])\s*"
    r"(?:선임기자|기자|특파원|논설위원|記者|记者|特派員|特派员|編集委員|通讯员)$"
)
MIN_CJK_NAME_CHARS = 2
# A three-letter first name: "Kay", "Ela".
SHORT_NAME = re.compile(r"^[A-ZÄÖÜÉ][a-zäöüéè]{2}$")
# Lowercase words that belong to names ("Walter von Aachen", "Jose de la Cruz").
NAME_PARTICLES = frozenset(
    {"von", "van", "de", "der", "den", "da", "di", "del", "della", "du", "la", "le", "y", "e",
     "bin", "al", "zu", "dos", "das", "ter", "ten", "vom", "zum", "zur", "mac", "st."}
)  # fmt: skip


# Particles inside the names of a comma-separated list ("Samuel Martínez de Lara"): not the
# German articles, which join a role to its organisation as often ("Leiterin der Stiftung").
LISTED_NAME_PARTICLES = frozenset(
    {"von", "van", "de", "da", "di", "del", "della", "du", "la", "le", "dos", "bin", "al",
     "ter", "ten"}
)  # fmt: skip


def reads_as_byline(raw: str) -> bool:
    """True when a "By ..." line holds names only: after the label and a trailing date, every
    word is capitalized, a name particle, a conjunction or punctuation ("Von A und B"), so
    "von Musk mit viel Geld aus ..." is a sentence, not a byline."""
    text = _strip_label(" ".join(_unhyphenated(raw).split()).lstrip("-–— "))
    lead = BYLINE_LEAD.match(text)
    if lead:
        text = text[lead.end() :]
    text = NEXT_LABEL.split(TRAILING_NOISE.sub("", text), maxsplit=1)[0]
    text = PARENTHESIS.sub("", ET_AL.sub("", text))
    # each person's first part (a role or an affiliation after a comma may be lowercase)
    names = [LIST_SEPARATOR.split(group)[0] for group in CONJUNCTION.split(text)]
    for word in re.findall(r"[^\W\d_][\w'’.-]*", " ".join(names)):
        if word[0].isupper() or word in NAME_PARTICLES:
            continue
        return False
    return True


# A byline of one account name and the date of the post: "Gespeichert von rasos am 24. Juli
# 2017", "von Marianne1 am 20.09.2020", "Submitted by jdoe on 4 May 2021", "Posted by
# delta_7 | 2021-05-04".
DATED_HANDLE = re.compile(
    r"^\s*(?:(?:posted|written|submitted|geschrieben|verfasst|gespeichert|erstellt|eingestellt|"
    r"ein|eine|beitrag|publié|publicado|pubblicato)\s+){0,3}(?:by|von|par|por|door|di)\s*:?\s+"
    r"(?P<handle>[^\W_][\w.-]{2,29})"
    r"(?:\s*[|·•,»–—-]\s*|\s+(?:am|on|le|el|il|em|op|at)\s+)"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun|mo|di|mi|do|fr|sa|so)[a-z]*\.?,?\s+)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?[0-9]",
    re.IGNORECASE,
)


def dated_handle(raw: str) -> str | None:
    """The account name of a byline made of it and the post's date (see DATED_HANDLE), which
    need not look like a person's name ("rasos", "Marianne1"); None for any other line."""
    match = DATED_HANDLE.match(" ".join(raw.split()))
    if not match:
        return None
    handle = match.group("handle").strip(".-")
    if not any(c.isalpha() for c in handle) or handle.casefold() in GENERIC_AUTHORS:
        return None
    return handle


def looks_like_name(name: str) -> bool:
    """A display name as bylines print it: one to four words, each capitalized (particles
    such as "von", "de", "van" aside), letters only, not shouted in capitals."""
    words = name.replace("-", " ").split()
    if not 1 <= len(words) <= 4 or any(c.isdigit() for c in name):
        return False
    if len(name) > 4 and name.isupper():
        return False
    for word in words:
        if word.casefold() in NAME_PARTICLES:
            continue
        if not word[0].isupper() or not all(c.isalpha() or c in ".'’" for c in word):
            return False
    return True


# Articles that lead a publication's name ("Die FURCHE", "The Guardian", "L'Opinion").
LEADING_ARTICLE = re.compile(r"^(?:the|die|der|das|la|le|les|el|il|lo|l'|l’)\s*", re.IGNORECASE)


def is_site_name(text: str, site_names: frozenset[str]) -> bool:
    """True when ``text`` is the site's own name: equal to one of ``site_names`` (casefolded
    names and letters-only forms of the site's names and host labels), without a leading
    article, or, written in more than one word, holding a host label of eight letters or
    more that makes at least ``SITE_LABEL_SHARE`` of its letters ("EFC Bayrische Bembel" on
    bayrische-bembel.de; "Limespacer" on limespace.de is a member's handle; a headline that
    mentions the site, "Hochauflösende Schneekarten auf Gipfelbuch.ch", is not its name)."""
    folded = fold(text)
    if _names_site(folded, site_names):
        return True
    squashed = "".join(c for c in folded if c.isalnum())
    # a one-word name that extends the site's is its member's handle ("Limespacer" on
    # limespace.de, "Krimiblogger" on krimiblog.de), not the site
    if folded.isalpha():
        return False
    if any(c.isdigit() for c in squashed) and not any(c.isdigit() for c in "".join(site_names)):
        # a number of the text's own names a product or an edition ("Parallels Desktop 15
        # for Mac" on parallels.com), not the site
        return False
    return any(
        len(name) >= max(8, SITE_LABEL_SHARE * len(squashed))
        and name.isalnum()
        and name in squashed
        for name in site_names
    )


def is_site_name_exactly(text: str, site_names: frozenset[str]) -> bool:
    """True when ``text`` is one of ``site_names`` as it is, in letters and digits only, or
    without a leading article ("The Example Times" for "Example Times")."""
    return _names_site(fold(text), site_names)


def _names_site(folded: str, site_names: frozenset[str]) -> bool:
    squashed = "".join(c for c in folded if c.isalnum())
    bare = "".join(c for c in LEADING_ARTICLE.sub("", folded) if c.isalnum())
    return folded in site_names or squashed in site_names or bare in site_names


# The least share of a name's letters its host label makes ("Marktplatz für ein gutes Leben").
SITE_LABEL_SHARE = 1 / 3


# Lowercase words that join the words of an institution's name, never of a person's
# ("Landesanstalt für Wald", "Department of State").
INSTITUTION_JOINERS = frozenset({"für", "fur", "for", "of", "pour", "per", "para", "voor"})


# Adjectives that open an organisation's name, never a person's ("Deutsches Rotes Kreuz",
# "Deutsche Welle", "Schweizerischer Nationalfonds", "Internationale Gesellschaft").
ORGANISATION_OPENERS = frozenset(
    {
        "deutsche", "deutscher", "deutsches", "österreichische", "österreichischer",
        "österreichisches", "schweizerische", "schweizerischer", "schweizer", "europäische",
        "europäischer", "internationale", "internationaler", "bundesdeutsche", "evangelische",
        "katholische", "national", "international", "european", "american", "british",
    }
)  # fmt: skip


def is_organisation(text: str) -> bool:
    """True when a part names an organisation ("Olympia-Verlag GmbH", "BBC News", "Deutsches
    Institut für ...") or is an acronym standing alone ("ERBOL")."""
    raw_words = text.replace("-", " ").split()
    words = [w.strip(".,:;()") for w in fold(text).replace("-", " ").split()]
    # "inc" stands for "inc.", but "Co" without its period is a surname ("Emily Co")
    if any(w in ORGANISATION_WORDS or (w != "co" and w + "." in ORGANISATION_WORDS) for w in words):
        return True
    if len(raw_words) > 2 and any(w in INSTITUTION_JOINERS for w in words[1:-1]):
        return True
    if len(words) > 1 and words[0] in ORGANISATION_OPENERS:
        return True
    return len(raw_words) == 1 and len(text) >= 4 and text.isupper() and text.isalpha()


# Conjunctions and semicolons between two people; after one, an affiliation has ended ("A,
# PhD; B, PhD").
CONJUNCTION = re.compile(r"\s+(?:and|und|et|y|e|en|i|og|och|with|mit|con|avec)\s+|\s*&\s*|\s*;\s*")


# A byline label inside a line ("... von A", "... Autor: A").
INNER_LABEL = re.compile(
    r"\s(?:by|von|par|por|door)\s+(?=[A-ZÄÖÜÉ])|\b(?:autor(?:in)?|author|auteur)\s*:\s*",
    re.IGNORECASE,
)
# What may stand before an inner label: a date, a time or a publication label.
DATE_OR_LABEL = re.compile(
    r"[0-9]{4}|[0-9]{1,2}:[0-9]{2}|posted|published|veröffentlicht|erstellt|publié|publicado",
    re.IGNORECASE,
)
# The next field's label after the names: "A Quelle: B", "A Foto: C", "A in Category".
NEXT_LABEL = re.compile(
    r"\s+(?:quelle|source|fuente|foto|photo|bild|image|datum|date|fecha|kategorie|category|"
    r"tags?)\s*:|\s+(?:illustrationen|illustration|fotos?|photos?|bilder?|grafiken?)\s+"
    r"(?:von|by|de|par)\b|"
    # the post's category after the names: "Posted by A in News", "Publié par A dans Actualités"
    r"\s+(?:in|dans)\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
# A slash glued between a name and an agency or a second name: "Peter Muster/SP-X".
GLUED_SLASH = re.compile(r"(?<=[^\W\d_])/(?=[^\W\d_])")
# A name before a dash or a bar, and what follows ("unocero - Jane Doe").
SITE_PREFIX = re.compile(r"^([^,;|–—-]{2,60}?)\s+[|–—-]\s+(\S.*)$")
# A domain name standing for the site or a publication ("hessenschau.de", "stol.it").
DOMAIN = re.compile(
    r"^[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{2}|com|net|org|info|biz|edu|gov|news|online)$",
    re.IGNORECASE,
)


def split_byline(raw: str | None, *, site_names: frozenset[str] = frozenset()) -> list[str]:
    """The names of a byline, in order, deduplicated (accent- and case-insensitively)."""
    if not raw:
        return []
    text = " ".join(_unhyphenated(raw).split()).lstrip("-–— ")  # "— By A", "-- by A"
    if not text or len(text) > MAX_BYLINE_CHARS:
        return []
    opening = BYLINE_LEAD.match(text) or BYLINE_LABEL.match(text)
    interview = bool(opening and INTERVIEW.search(opening.group(0)))
    text = _strip_label(text)
    lead = BYLINE_LEAD.match(text)
    if interview:
        # "Ein Interview von A mit B": B is the one interviewed
        text = INTERVIEWEE.split(text, maxsplit=1)[0]
    if lead:
        text = text[lead.end() :]
    else:
        # "Veröffentlicht am 8. Februar 2022 von A", "Datum: 19.11.2021 Autor: A Quelle: B"
        inner = INNER_LABEL.search(text)
        if inner and (DATE_OR_LABEL.search(text[: inner.start()]) or inner.group(0)[-1] == ":"):
            text = text[inner.end() :]
    text = NEXT_LABEL.split(text, maxsplit=1)[0]
    text = EMAIL.sub(" ", text)
    text = HANDLE_IN_NAME.sub(",", text)  # "A @a_handle B": the handle ends A's name
    text = GLUED_SLASH.sub(" / ", text)
    text = TRAILING_NOISE.sub("", text)
    text = ET_AL.sub("", text)
    text = PARENTHESIS.sub("", text)
    names: list[str] = []
    seen: set[str] = set()
    first_part = LIST_SEPARATOR.split(CONJUNCTION.split(text)[0])[0]
    prefixed = SITE_PREFIX.match(text)
    if prefixed and is_site_name(prefixed.group(1), site_names):
        # "Example - Jane Doe": the site's name, a dash, then the writer
        text = prefixed.group(2)
        first_part = LIST_SEPARATOR.split(CONJUNCTION.split(text)[0])[0]
    if is_organisation(first_part) or is_site_name(first_part, site_names):
        return []  # "Bundesministerium für Wirtschaft und Klimaschutz" names no one
    for group in CONJUNCTION.split(text):
        # within one person's group "Name, Role, Organisation, City": the first name only
        for part in LIST_SEPARATOR.split(group):
            if not part:
                continue
            part = _without_leading_role(part)
            if (
                is_organisation(part)
                or DOMAIN.match(part.strip())
                or is_site_name(part, site_names)
                or any(w.strip(".,") in ROLE_WORDS for w in fold(part).split())
            ):
                break
            name = clean_name(part, site_names=site_names)
            if name is None:
                continue
            key = fold(name)
            if key not in seen:
                seen.add(key)
                names.append(name)
            if len(group) > len(part) + 2 and "," in group and not names_list(group):
                break
    if len(names) > 1 and all(" " not in n for n in names):
        return []  # "Jobs & Hire", "Vinos y Tapas": a brand's words, not people
    return names


def _without_leading_role(part: str) -> str:
    """A part without the job title before the person's name ("Rechtsanwalt Sebastian Muster",
    "Redakteurin Anna Beispiel"): the title's words, then a name of two words or more."""
    words = part.split()
    cut = 0
    while cut < len(words) - 2 and fold(words[cut]).strip(".,:") in ROLE_WORDS:
        cut += 1
    if not cut:
        return part
    rest = " ".join(words[cut:])
    return rest if looks_like_name(rest) else part


def names_list(group: str) -> bool:
    """True when every comma-separated part of a group looks like a name ("A B, C D, E F";
    a particle inside a name is lowercase: "Samuel Martínez de Lara"), False when the parts
    after the first are an affiliation, a role or a place ("Profesora de la Universidad")."""
    parts = [p.strip() for p in group.split(",") if p.strip()]
    return all(_listed_name(part) for part in parts)


def _listed_name(part: str) -> bool:
    words = part.split()
    # two to four words besides its particles ("Ana Laura Martínez de Lara")
    if not 1 < len([w for w in words if w not in LISTED_NAME_PARTICLES]) <= 4:
        return False
    if words[0][:1].isalpha() and not words[0][:1].isupper():
        return False  # "de la Universidad"
    if any(w.strip(".,") in ROLE_WORDS for w in fold(part).split()) or is_organisation(part):
        return False
    for i, word in enumerate(words):
        if not word.isalpha() or word[:1].isupper() or word in LISTED_NAME_PARTICLES:
            continue
        if word in ("der", "den") and words[i - 1] in ("van", "von"):
            continue  # "Ursula von der Leyen"
        return False  # "Projektleiterin der HSS": a role and its organisation
    return True


def looks_like_byline(text: str) -> bool:
    """True when a short text opens with a byline label ("By ...", "Von ...", "Por ...")."""
    match = BYLINE_LABEL.match(text)
    return bool(match) and match.end() < len(text)


# Compared with folded text: hold the accent-stripped forms too ("redacción" -> "redaccion").
ROLE_WORDS = _folded_set(ROLE_WORDS)
GENERIC_AUTHORS = _folded_set(GENERIC_AUTHORS)
ORGANISATION_WORDS = _folded_set(ORGANISATION_WORDS)
ORGANISATION_OPENERS = _folded_set(ORGANISATION_OPENERS)
NOT_NAME_WORDS = _folded_set(NOT_NAME_WORDS)
