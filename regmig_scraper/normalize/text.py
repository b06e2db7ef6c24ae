"""Normalize whitespace and Unicode in text fields and remove site boilerplate from them.

Three layers, each a pure function of a string:

- ``normalize_whitespace(text)``: HTML entities unescaped, NFC, non-breaking and other exotic
  spaces made plain spaces, zero-width characters and control characters removed, runs of
  whitespace collapsed. ``multiline=True`` keeps line breaks (one line per block, at most one
  blank line between paragraphs); the default joins everything into one line. Empty -> ``None``.
- ``is_boilerplate(text)``: the name of the rule in ``BOILERPLATE_RULES`` that matches the WHOLE
  string, or ``None``. Used to refuse a candidate title, caption or summary ("Pages",
  "coverthumb_biden starting gate", "E.g., 12/08/2021"). Ordinary sentences are never
  boilerplate here: an image's alt text that is a real sentence is the caller's business.
- ``strip_boilerplate(text)``: remove the boilerplate lines and the few boilerplate segments
  that hide inside longer text (the Drupal date-filter placeholder, "Read more", a
  "| migrationpolicy.org" title suffix...) and say which rules fired.

``clean_text`` chains the first and third (cached); ``clean_byline`` only normalizes a byline
(lines and field labels kept) and refuses it when it is boilerplate as a whole.
``strip_markup`` reduces a value that leaked HTML to its text.

The rules are data: ``BOILERPLATE_RULES`` is a tuple of named, commented ``BoilerplateRule``; the
file-name-caption heuristic is a set of named shapes (``FILE_NAME_STRONG_SHAPES``,
``FILE_NAME_WEAK_SHAPES``). Every regular expression is bounded: whole-string rules only ever see
strings of at most ``MAX_BOILERPLATE_CHARS`` characters, and the inline patterns have no nested
quantifiers, so no input makes them backtrack catastrophically.
"""

from __future__ import annotations

import functools
import html
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from regmig_scraper.normalize.html_text import inner_text

logger = logging.getLogger(__name__)

# --- whitespace and Unicode ------------------------------------------------------------------

# Characters deleted outright: zero-width space, word joiner, BOM/zero-width no-break space,
# soft hyphen, Mongolian vowel separator. They are invisible on the page and break equality
# between two sightings of the same title.
ZERO_WIDTH_CHARS = "\u200b\u2060\ufeff\u00ad\u180e"
# Zero-width joiner and non-joiner: part of the text where they join two characters of which
# one needs them (emoji sequences such as 👩‍💻, Arabic-script words such as Persian's
# می‌خواهم, Indic conjuncts), deleted elsewhere (Latin letters, edges, beside a space), where
# they are as invisible as the characters above. A run of them is one.
JOINER_RUN = re.compile(r"[\u200c\u200d]+")
# Unicode categories of characters joiners work on: symbols (emoji, skin tones) and marks
# (viramas, variation selectors); letters outside Latin, Greek and Cyrillic (U+0000-U+052F).
JOINING_CATEGORIES = frozenset({"So", "Sk", "Mn", "Mc", "Me"})
LAST_ALPHABETIC = 0x052F


def _joins(char: str) -> bool:
    category = unicodedata.category(char)
    return category in JOINING_CATEGORIES or (
        category.startswith("L") and ord(char) > LAST_ALPHABETIC
    )


def _joiner(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if start == 0 or end == len(text):
        return ""
    before, after = text[start - 1], text[end]
    if before.isspace() or after.isspace() or not (_joins(before) or _joins(after)):
        return ""
    return match.group()[0]


# Characters that are spaces to a reader: no-break space, ogham space, the en/em/thin/hair space
# family, narrow no-break space, medium mathematical space, ideographic space, tab and friends.
SPACE_CHARS = "\u00a0\u1680\u202f\u205f\u3000\t\v\f" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
# Characters that end a line: CR (CRLF is folded first), NEL, line and paragraph separators.
LINE_BREAK_CHARS = "\r\u0085\u2028\u2029"


def _translation_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # C0 and C1 control characters (other than \t \n, handled below) carry no text.
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        table[code] = " "
    table.update(dict.fromkeys(map(ord, ZERO_WIDTH_CHARS)))
    table.update(dict.fromkeys(map(ord, SPACE_CHARS), " "))
    table.update(dict.fromkeys(map(ord, LINE_BREAK_CHARS), "\n"))
    table[ord("\n")] = "\n"
    return table


_TRANSLATION = _translation_table()


def normalize_whitespace(text: str | None, *, multiline: bool = False) -> str | None:
    """Unescape entities, NFC-normalize, unify spaces and collapse whitespace; ``None`` if empty.

    With ``multiline`` each line is collapsed on its own, blank-line runs become one blank line
    (a paragraph break) and leading/trailing blank lines go; otherwise the result is one line.
    """
    if not isinstance(text, str) or not text:
        return None
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\r\n", "\n").translate(_TRANSLATION)
    if "\u200c" in text or "\u200d" in text:
        text = JOINER_RUN.sub(_joiner, text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not multiline:
        return " ".join(text.split()) or None
    lines: list[str] = []
    for raw_line in text.split("\n"):
        line = " ".join(raw_line.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) or None


# --- markup that leaked into a text field --------------------------------------------------

# A value "contains markup" only when it holds a real HTML tag or comment: "a < b" or "x<y and
# z>w" in prose is left alone. Bounded: at most 500 characters inside one tag.
MARKUP_TAG = re.compile(
    r"<(?:!--|/?(?:a|abbr|article|aside|b|blockquote|body|br|button|caption|cite|code|dd|del|"
    r"details|div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|"
    r"iframe|img|input|ins|label|li|link|main|meta|nav|noscript|ol|option|p|picture|pre|q|s|"
    r"script|section|select|small|source|span|strong|style|sub|summary|sup|svg|table|tbody|td|"
    r"template|textarea|tfoot|th|thead|time|title|tr|u|ul|video)(?=[\s/>])[^<>]{0,500}>)",
    re.IGNORECASE,
)
# The head of a tag whose "<" a mangled page lost: attributes, then ">" or "/>"
# ('a class="print-page" href="javascript:window.print()">Print'). Prose never writes
# name="value">. Read only in text already outside tags, so it never cuts a real tag in two.
TAG_REMNANT = re.compile(
    r"""(?:\b[a-zA-Z][a-zA-Z0-9]{0,15}\s+)?"""
    r"""(?:[a-zA-Z_:][-a-zA-Z0-9_:.]{0,40}\s*=\s*(?:"[^"<>\n]{0,500}"|'[^'<>\n]{0,500}')\s*){1,20}"""
    r"""/?>"""
)


def _has_tag(text: str) -> bool:
    return "<" in text and MARKUP_TAG.search(text) is not None


def _has_tag_remnant(text: str) -> bool:
    return "=" in text and ">" in text and TAG_REMNANT.search(text) is not None


def has_markup(text: str) -> bool:
    """True when ``text`` contains an HTML tag, a comment or the remnant of a tag."""
    return _has_tag(text) or _has_tag_remnant(text)


def _strip_tags_fallback(text: str) -> str:
    # Only for strings lxml refuses (NUL bytes and such): drop anything shaped like a tag.
    return re.sub(r"<[^<>]{0,1000}>", " ", text)


def strip_markup(text: str) -> str:
    """The visible text of an HTML fragment: scripts and styles dropped, block elements as
    line breaks, entities decoded, remnants of tags dropped. Text without any is returned
    unchanged."""
    if _has_tag(text):
        text = _fragment_text(text)
    if _has_tag_remnant(text):
        text = TAG_REMNANT.sub(" ", text)
    return text


def _fragment_text(text: str) -> str:
    try:
        import lxml.html

        root = lxml.html.fragment_fromstring(text, create_parent="div")
    except Exception:  # lxml rejects some control characters; never fail on a field
        return html.unescape(_strip_tags_fallback(text))
    try:
        return inner_text(root)
    except RecursionError:  # absurdly deep nesting: fall back to dropping the tags
        return html.unescape(_strip_tags_fallback(text))


# --- boilerplate rules -----------------------------------------------------------------------

# Whole-string boilerplate is short; a longer string is never tested (also bounds regex work).
MAX_BOILERPLATE_CHARS = 300

# Lowercase function words of English and Spanish titles and sentences: their presence says
# "this is language", not a file name or a photographer's handle.
FUNCTION_WORDS = frozenset(
    {
        "a", "an", "the", "of", "in", "on", "at", "for", "to", "from", "by", "with", "and", "or",
        "but", "as", "is", "are", "was", "were", "be", "been", "this", "that", "these", "those",
        "its", "it", "his", "her", "their", "our", "about", "into", "over", "after", "before",
        "between", "un", "una", "unos", "unas", "el", "la", "lo", "los", "las", "de", "del", "en",
        "y", "e", "o", "u", "con", "por", "para", "sin", "sobre", "entre", "al", "su", "sus", "se",
        "que", "es", "son",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    """One kind of boilerplate.

    ``whole`` is matched against the whole normalized string (``fullmatch``), ``test`` is a
    predicate for shapes a single expression says badly, ``inline`` finds the same boilerplate
    as a segment inside longer text (removed by ``strip_boilerplate``).
    """

    name: str
    comment: str
    whole: re.Pattern[str] | None = None
    test: Callable[[str], bool] | None = None
    inline: re.Pattern[str] | None = None
    # Literal substrings of which every ``inline`` match holds at one: a text holding none is
    # not searched (five regex passes over every body cost more than these substring tests).
    inline_needs: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        if self.whole is not None and self.whole.fullmatch(text):
            return True
        return self.test is not None and self.test(text)


# -- the file-name-caption heuristic --
# Drupal image fields often carry the uploaded file's name as alt/title text. These shapes say
# "file name or photo credit", never "title". A STRONG shape alone decides; WEAK shapes need a
# second one. Strings that read as sentences (ending in . ! ? with four or more words), longer
# than FILE_NAME_MAX_CHARS or with more than FILE_NAME_MAX_WORDS words are never file names.
FILE_NAME_MAX_CHARS = 160
FILE_NAME_MAX_WORDS = 16

# Words glued in camel case, the way file names are typed: "CanadaBorder", "EstadosUnidos",
# "MexinHI". Two lowercase letters before the capital keep "McAllen", "DeSantis", "iPhone" out.
CAMEL_TOKEN = re.compile(r"[a-z]{2}[A-Z]|[a-z][A-Z]{2}")

FILE_NAME_STRONG_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Words joined by underscores: "129_Chicago_ERO_Repat_Plane_102115_JD",
    # "webinar_card_regional_cooperation_0415", "_InternationalCooperation", "Mexico_map".
    ("underscore_joined", re.compile(r"(?:^|[^\W_])_[^\W_]")),
    # Photo dates written with dots: "EVENT PHOTO 2017.8.31", "Event PH 2018.6.5".
    ("dotted_date", re.compile(r"\b(?:19|20)\d\d\.[01]?\d\.[0-3]?\d\b")),
    # An image file extension: "border-crossing.jpg".
    ("image_extension", re.compile(r"\.(?:jpe?g|png|gif|webp|tiff?|bmp|svg|heic)$", re.I)),
    # MPI's cover thumbnails: "coverthumb_biden starting gate", "Coverthumb US Mexico ...".
    ("thumbnail_word", re.compile(r"coverthumb|\bthumb(?:nail)?s?\b", re.I)),
    # Photo sites named in the file name: "CanadaBorder ckowalik Flickr", "... WikiCommons".
    (
        "photo_site",
        re.compile(
            r"(?:\b|_)(?:flickr|wiki ?commons|wikimedia|istock|shutterstock|unsplash)", re.I
        ),
    ),
    # Images exported "for Web": "Interior Secretary for Web".
    ("for_web_suffix", re.compile(r"\bfor[ _]web$", re.I)),
    # Event photo prefixes: "Event PH 2018.6.5 Andrew Selee", "EVENT PHOTO ...".
    ("event_photo_prefix", re.compile(r"^event[ _]ph(?:oto)?\b", re.I)),
)

# Last words that export tools and editors add: "coverthumb_SistemaMigratorio_ESP web",
# "Coverthumb_RegionalCooperation_EN_final", "... SPANISH", "... English".
EXPORT_SUFFIXES = frozenset(
    {
        "web", "final", "esp", "en", "eng", "es", "spa", "spanish", "english", "ingles", "español",
        "hires", "hi-res", "lowres", "lores", "sm", "lg", "crop", "cropped", "draft", "v1", "v2",
        "v3", "rev",
    }
)  # fmt: skip

FILE_NAME_WEAK_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # A year glued to letters: "RegionalMigrationSystem_2020", "MXCity2018".
    ("glued_year", re.compile(r"[A-Za-z]{2}(?:19|20)\d\d\b|\b(?:19|20)\d\d[A-Za-z]{2}")),
    # A six-digit date code: "102115" (MMDDYY).
    ("six_digit_code", re.compile(r"(?<!\d)\d{6}(?!\d)")),
    # A lowercase run too long for one word: "migrationgreatrecession".
    ("glued_lowercase", re.compile(r"\b[a-z]{18,}\b")),
)


def _inline_flags(pattern: re.Pattern[str]) -> str:
    flags = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.VERBOSE, "x"))
    return "".join(letter for flag, letter in flags if pattern.flags & flag)


def _any_of(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str]:
    """One alternation of ``patterns``, each with its own flags: one regex call instead of one
    per pattern, for the many strings that match none."""
    return re.compile("|".join(f"(?{_inline_flags(p)}:{p.pattern})" for p in patterns))


_ANY_STRONG_SHAPE = _any_of(pattern for _, pattern in FILE_NAME_STRONG_SHAPES)


def _words(text: str) -> list[str]:
    return text.replace("_", " ").split()


def looks_like_file_name(text: str) -> bool:
    """True when ``text`` has the shape of an image file name or photo credit used as a caption.

    Decides on orthography only (see the shape tables above), never on vocabulary, so it holds
    for new captions: "MigrantsTijuanaRiverBed_BBCWorldService2014" (underscores),
    "MexicanGirl CurtCarnemark WorldBank" (two camel-case runs), "cover HLD Munz" (a cover
    prefix on a non-sentence), "cesar bojorquez" (a lowercase photographer's name).
    """
    if not text or len(text) > FILE_NAME_MAX_CHARS:
        return False
    tokens = text.split()
    if len(tokens) > FILE_NAME_MAX_WORDS:
        return False
    if text[-1] in ".!?" and len(tokens) >= 4:  # a sentence, even a short one
        return False
    if _ANY_STRONG_SHAPE.search(text):
        return True
    words = _words(text)
    if not words:  # only underscores
        return False
    lowered = [w.casefold().strip("()[],;:") for w in words]
    has_function_word = any(w in FUNCTION_WORDS for w in lowered[1:])
    camel = sum(1 for w in words if CAMEL_TOKEN.search(w))
    # Two camel-case runs ("OntheRoad MathiasDepardon UNHCR"), or one that is the whole string
    # ("HaitianInterdictions").
    if camel >= 2 or (camel == 1 and len(tokens) == 1):
        return True
    # "Cover" then a non-sentence: "cover HLD Munz", "Cover MexinHI".
    if (
        lowered[0] == "cover"
        and 1 < len(words) <= 5
        and not has_function_word
        and ":" not in text
        and not any(c in text for c in ",;")
    ):
        return True
    # A short all-lowercase name with no function word: a photographer's name or handle,
    # "cesar bojorquez". Titles, labels and summaries are capitalized.
    if (
        2 <= len(words) <= 3
        and all(w.isalpha() and w.islower() for w in words)
        and not any(w in FUNCTION_WORDS for w in lowered)
    ):
        return True
    weak = sum(1 for _, pattern in FILE_NAME_WEAK_SHAPES if pattern.search(text))
    weak += camel == 1
    weak += len(words) > 1 and lowered[-1] in EXPORT_SUFFIXES
    return weak >= 2


# -- photo credits --
# Agencies and stock sites that appear on one side of a "Person/Agency" credit. A side must BE
# one of these (whole), so "Mexico/U.S. Relations" is not a credit.
CREDIT_AGENCY = re.compile(
    r"(?:[A-Z]{2,7}|U\.S\. (?:Army|Navy|Air Force|Marine Corps|Coast Guard|State Department|"
    r"Department of \w+|Customs and Border Protection|Embassy \w+)|World Bank|White House|"
    r"National Archives|Flickr|Getty Images|Reuters|AP|AFP|Wiki ?[Cc]ommons|Wikimedia|Unsplash|"
    r"Shutterstock|iStock(?:photo)?(?:\.com)?|State Department|European Union|"
    r"[\w-]{2,30}\.(?:com|org|net|gov))"
)
# A person's name as credited: 2-5 capitalized words or initials ("G. Welters",
# "Cpl. Robert J. Maurer", "Rafael Rodríguez").
CREDIT_PERSON = re.compile(r"(?:[^\W\d_][\w'’.-]{0,30} ){1,4}[^\W\d_][\w'’.-]{0,30}")
# A one-word handle next to a stock site or "Flickr": "ckowalik/Flickr", "iStock.com/artJazz".
CREDIT_HANDLE = re.compile(r"[\w.-]{2,40}")
CREDIT_HANDLE_SITES = re.compile(
    r"Flickr|Wiki ?[Cc]ommons|Wikimedia|Unsplash|Shutterstock|iStock(?:photo)?(?:\.com)?|"
    r"[\w-]{2,30}\.(?:com|org|net)"
)


def _is_slash_credit(text: str) -> bool:
    """A "Person/Agency" or "handle/Site" credit: "Rafael Rodríguez/IOM", "IOM/Angela Wells",
    "ckowalik/Flickr", "© UNICEF/Grove Hermansen"."""
    text = text.removeprefix("©").strip()
    if text.count("/") != 1 or " /" in text or "/ " in text or len(text.split()) > 8:
        return False
    left, right = text.split("/")
    for agency, person in ((left, right), (right, left)):
        if CREDIT_AGENCY.fullmatch(agency) and CREDIT_PERSON.fullmatch(person):
            return person[0].isupper() and all(
                w[0].isupper() or w.casefold() in {"de", "del", "la", "van", "von"}
                for w in person.split()
            )
        if CREDIT_HANDLE_SITES.fullmatch(agency) and CREDIT_HANDLE.fullmatch(person):
            return True
    return False


# -- picture descriptions --
# "Cover image for X" always describes a picture. "Photo of ..." / "Image of ..." do when they go
# on in sentence case (a lowercase content word: "Photo of woman in ..."); a Title Case
# "Images of America" is a title.
COVER_IMAGE_PREFIX = re.compile(r"(?:cover (?:image|photo)|portada) (?:for|of|de|del)\b", re.I)
PICTURE_PREFIX = re.compile(r"(?:photo|image|picture|foto|imagen)s? (?:of|from|de|del)\b ?", re.I)


def _is_photo_description(text: str) -> bool:
    if COVER_IMAGE_PREFIX.match(text):
        return True
    prefix = PICTURE_PREFIX.match(text)
    if prefix is None:
        return False
    rest = text[prefix.end() :].split()
    return any(w.islower() and w.isalpha() and w not in FUNCTION_WORDS for w in rest)


# -- site chrome: menus, header, footer, block headings --
# Exact strings (casefolded) seen as the whole text of a menu item, heading or button.
SITE_CHROME = frozenset(
    s.casefold()
    for s in (
        "Skip to main content",
        "Main menu",
        "Search form",
        "Search",
        "Advanced search",
        "Date range",
        "Log in",
        "Donate",
        "Menu",
        "Toggle navigation",
        "Back to top",
        "Recent Activity",
        "Related Research",
        "Related Publications",
        "More from this program",
        "Table of Contents",
        "Contact Us",
        "Privacy Policy",
        "Press Room",
        "No content matches your filter criteria.",
        "Ir al contenido principal",
        "Buscar",
    )
)

_I = re.IGNORECASE

BOILERPLATE_RULES: tuple[BoilerplateRule, ...] = (
    BoilerplateRule(
        "date_filter_placeholder",
        "Drupal's exposed date filter prints 'E.g., MM/DD/YYYY' under each date box; it lands in "
        "text dumps, often twice, and must never be read as a publication date.",
        whole=re.compile(r"(?:E\.g\.,?\s*(?:\d{1,2}/\d{1,2}/\d{2,4})?\s*)+", _I),
        inline=re.compile(r"(?<!\S)E\.g\.,\s*\d{1,2}/\d{1,2}/\d{2,4}(?!\S)"),
        inline_needs=("E.g.,",),
    ),
    BoilerplateRule(
        "pager_heading",
        "Drupal pagers carry an invisible <h2>Pages</h2>; only the bare word is boilerplate "
        "('Pages of History: ...' is a title).",
        whole=re.compile(r"P[aá]ginas?|Pages|Pagination", _I),
    ),
    BoilerplateRule(
        "pager_link",
        "Pager link texts and their title attributes: '« first', '‹ previous', 'next ›', "
        "'last »', 'Go to next page', 'Go to page 2', bare page numbers (1-3 digits, so years "
        "stay), or a whole pager line of them.",
        whole=re.compile(
            r"(?:(?:[«‹›»…]|\.\.\.|first|previous|prev|next|last|primera|anterior|siguiente|"
            r"[úu]ltima|\d{1,3}|go to (?:first|previous|next|last|page \d{1,4})(?: page)?|"
            r"ir a la p[aá]gina (?:\d{1,4}|siguiente|anterior)|current page|\(current\))"
            r"(?:\s+|$))+",
            _I,
        ),
    ),
    BoilerplateRule(
        "share_tools",
        "Share/print bars: 'Share', 'Print', 'Share Twitter Facebook Email Print' (only these "
        "words, so 'Share of immigrants rose' stays).",
        whole=re.compile(
            r"(?:(?:share(?: this(?: page)?)?|print(?: this page)?|e-?mail(?: this page)?|"
            r"twitter|x|facebook|linkedin|whatsapp|youtube|rss|reddit|compartir|imprimir|"
            r"correo(?: electr[oó]nico)?)(?:\s*[|·•,]\s*|\s+|$))+",
            _I,
        ),
    ),
    BoilerplateRule(
        "newsletter_signup",
        "Newsletter and subscription blocks in the footer and sidebars (English and Spanish).",
        whole=re.compile(
            r"sign up(?: (?:for|to) (?:our|the|mpi.s) (?:newsletters?|e-?mail updates|"
            r"mailing list))?|subscribe(?: (?:now|here))?|subscribe to [^\n]{1,150}|"
            r"enter your e-?mail(?: address)?|e-?mail address|your e-?mail|newsletter|"
            r"get mpi.s latest research, data, and events in your inbox\.?|"
            r"suscr[ií]b(?:ase|ete|irse)(?: [^\n]{1,150})?|bolet[ií]n",
            _I,
        ),
    ),
    BoilerplateRule(
        "download_link",
        "Download buttons: 'Download', 'Download MP3', 'Download Policy Brief', 'Descargar'. A "
        "sentence containing 'download' is not touched.",
        whole=re.compile(
            r"(?:download|descargar?)(?: (?:the |el |la )?(?:full |complete )?"
            r"(?:mp3|pdf|report|policy brief|brief|fact sheet|executive summary|summary|"
            r"transcript|audio|video|slides|presentation|infographic|informe|reporte|resumen|"
            r"documento|archivo))?(?: ?\([^()\n]{0,40}\))?",
            _I,
        ),
    ),
    BoilerplateRule(
        "read_more",
        "Teaser links: 'Read more', 'Read More »', 'Leer más', 'Learn more about the Study "
        "Group’s mission here.'; removed inline only at the end of a line.",
        whole=re.compile(
            r"(?:(?:read|learn|find out) more(?: about [^\n]{1,120}?)?(?: here)?|more|"
            r"continue reading|leer m[aá]s|m[aá]s informaci[oó]n|ver m[aá]s)\s*[.»›>…]?",
            _I,
        ),
        inline=re.compile(
            r"\b(?:Read more|Read More|Continue reading|Leer más)[ \t]*+[»›>…]?[ \t]*+$",
            re.MULTILINE,
        ),
        inline_needs=("Read more", "Read More", "Continue reading", "Leer más"),
    ),
    BoilerplateRule(
        "translation_link",
        "Links to the other-language version: 'Lea este informe en español', 'Read this "
        "report in English', 'Haga clic aquí para ver este video en español.', 'Click here to "
        "read this article in English.'",
        whole=re.compile(
            r"(?:click here to (?:read|view|watch|listen to|download) (?:this|the) \w+ in "
            r"(?:english|spanish|español)|read (?:this|the) \w+ in (?:english|spanish)|"
            r"(?:haga )?clic aqu[ií] para (?:leer|ver|escuchar|descargar) (?:este|esta|el|la) "
            r"\w+ en (?:español|ingl[eé]s)|lea (?:este|esta|el|la) \w+ en (?:español|ingl[eé]s)|"
            r"(?:versi[oó]n )?en (?:español|ingl[eé]s)|(?:in )?english(?: version)?|"
            r"spanish version)\.?",
            _I,
        ),
    ),
    BoilerplateRule(
        "field_label",
        "Field labels printed before their values: 'Speakers:', 'Moderator:', 'Authors:', "
        "'By', 'Por', 'Related topics:' (the whole string is only the label).",
        whole=re.compile(
            r"(?:(?:featured )?speakers?|moderators?|moderator\(s\)|authors?|introduction|"
            r"contact|related topics|topics|regions|programs|tags|date|posted|ponentes?|"
            r"moderador(?:a|es)?|autor(?:a|es)?|presentaci[oó]n|fecha|temas)\s*:|by:?|por:?",
            _I,
        ),
    ),
    BoilerplateRule(
        "copyright",
        "Footer copyright: '© 2001-2022 Migration Policy Institute. All rights reserved.', "
        "'© 2001', 'All rights reserved'.",
        whole=re.compile(
            r"(?:(?:©|\(c\)|copyright(?=\s*(?:©|\(c\)|\d{4})))[^\n]{0,120}|"
            r"all rights reserved\.?|todos los derechos reservados\.?)",
            _I,
        ),
        inline=re.compile(
            r"©[ \t]*+\d{4}(?:[ \t]*+[-–][ \t]*+\d{4})?[^\n©]{0,100}?All rights reserved\.?"
        ),
        inline_needs=("©",),
    ),
    BoilerplateRule(
        "site_chrome",
        "Menu items, block headings and buttons of the site's chrome (SITE_CHROME).",
        test=lambda text: text.casefold() in SITE_CHROME,
    ),
    BoilerplateRule(
        "markup_class_name",
        "CSS class names and Drupal internals that leak as text: 'quicktabs', 'views-field', "
        "'field-name-field-authors', 'element-invisible' (lowercase only, as in markup).",
        whole=re.compile(
            r"quicktabs[\w-]*|clearfix|element-invisible|"
            r"(?:views?|field|block|pane|region|node|pager|qt)-[a-z0-9][a-z0-9_-]*"
        ),
    ),
    BoilerplateRule(
        "photo_description",
        "Alt texts that describe the picture rather than name the content: 'Cover image for "
        "...', 'Photo of woman in Central African Republic ...', 'Image of Central American "
        "migrant caravan ...', 'Foto de ...' (see _is_photo_description).",
        test=_is_photo_description,
    ),
    BoilerplateRule(
        "photo_credit",
        "Photo credits: 'Rafael Rodríguez/IOM', 'IOM/Angela Wells', 'ckowalik/Flickr', "
        "'© UNICEF/Grove Hermansen', '(Photo: IOM/Angela Wells)', 'Foto: Eric Chan'. Inline, a "
        "parenthesized credit after a caption is removed.",
        whole=re.compile(
            r"\(?(?:photos?|fotos?|credits?|cr[eé]dito|photo credit)\s*:[^\n]{1,100}", _I
        ),
        test=_is_slash_credit,
        inline=re.compile(r"\((?:Photos?|Fotos?|Photo credit|Credit):[^()\n]{1,100}\)"),
        inline_needs=("(Photo", "(Foto", "(Credit"),
    ),
    BoilerplateRule(
        "file_name_caption",
        "Image file names and camera captions posing as text: see looks_like_file_name.",
        test=looks_like_file_name,
    ),
)


def site_name_rule(names: Sequence[str]) -> BoilerplateRule | None:
    """The rule for a site's own names, appended to a title ("Andrew Selee |
    migrationpolicy.org", "... - Migration Policy Institute"), where they are removed inline at
    the end of a line. A host name alone ("migrationpolicy.org") is boilerplate as a whole; an
    organisation's name alone is not (it may be a byline). None for a site with no names."""
    names = tuple(dict.fromkeys(name.strip() for name in names if name and name.strip()))
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    hosts = [re.escape(name) for name in names if HOST_NAME.fullmatch(name)]
    return BoilerplateRule(
        "site_name_suffix",
        f"The site's own name, appended to a title: {', '.join(names)}.",
        whole=re.compile(rf"(?:www\.)?(?:{'|'.join(hosts)})", _I) if hosts else None,
        inline=re.compile(rf"(?<!\S)[|–-][ \t]++(?:{alternatives})[ \t]*+$", re.MULTILINE | _I),
        inline_needs=tuple(sorted({v for name in names for v in (name, name.lower())})),
    )


# A host name: "migrationpolicy.org", "www.example.org".
HOST_NAME = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", re.IGNORECASE)


def site_chrome_rule(strings: Iterable[str]) -> BoilerplateRule | None:
    """The chrome rule with a site's own menu items and block headings ("About MPI") added
    to the shared ``SITE_CHROME``; None when the site adds none."""
    own = frozenset(text.casefold() for text in strings if text.strip())
    if not own:
        return None
    chrome = SITE_CHROME | own
    return BoilerplateRule(
        "site_chrome",
        "Menu items, block headings and buttons of the site's chrome (SITE_CHROME and the "
        "site's own).",
        test=lambda text: text.casefold() in chrome,
    )


# Bounded caches of the pure cleaners: labels, dates, titles and bylines repeat across a site;
# a cache that fills early keeps memory flat however large the site grows.
CLEAN_CACHE_SIZE = 4_096
# Strings longer than this are cleaned without the cache: labels, dates and titles repeat
# across a site, summaries and bodies do not, and caching them would only hold memory.
CLEAN_CACHE_MAX_CHARS = 500


SITE_CHROME_RULE = "site_chrome"


class Boilerplate:
    """A set of boilerplate rules compiled for speed: the shared ``BOILERPLATE_RULES``, plus
    what a site adds (``for_site``). Its cleaners are the module's functions, cached per set.
    """

    def __init__(self, rules: Sequence[BoilerplateRule]) -> None:
        self.rules = tuple(rules)
        # Every rule's ``whole`` pattern in one alternation: most lines match none.
        self._any_whole = _any_of(rule.whole for rule in self.rules if rule.whole is not None)
        self._tested_rules = tuple(rule for rule in self.rules if rule.test is not None)
        self._inline_patterns = tuple(
            (rule.name, rule.inline, rule.inline_needs)
            for rule in self.rules
            if rule.inline is not None
        )
        # Every inline rule's literal cues at once, when each rule has some: a text with none
        # of them (most bodies) skips the inline rules in one search.
        self._any_inline_cue: re.Pattern[str] | None = (
            re.compile(
                "|".join(re.escape(cue) for _, _, needs in self._inline_patterns for cue in needs)
            )
            if all(needs for _, _, needs in self._inline_patterns)
            else None
        )
        cache = functools.lru_cache(maxsize=CLEAN_CACHE_SIZE)
        self._whole_rule = cache(self._whole_rule_uncached)
        self._clean_cached = cache(self._clean)
        self._clean_byline_cached = cache(self._clean_byline)

    def with_rules(self, *extra: BoilerplateRule | None) -> Boilerplate:
        """This set with ``extra`` rules: one of the same name as a rule replaces it in place,
        the others come right after the site-chrome rule (site rules before the shape
        heuristics, which report the name of the first rule that matches)."""
        added = {rule.name: rule for rule in extra if rule is not None}
        if not added:
            return self
        new_names = [name for name in added if name not in {rule.name for rule in self.rules}]
        rules: list[BoilerplateRule] = []
        for rule in self.rules:
            rules.append(added.get(rule.name, rule))
            if rule.name == SITE_CHROME_RULE:
                rules.extend(added[name] for name in new_names)
        if SITE_CHROME_RULE not in {rule.name for rule in self.rules}:
            rules.extend(added[name] for name in new_names)
        return Boilerplate(rules)

    def _whole_rule_uncached(self, text: str) -> str | None:
        # ``text`` is already one normalized line of at most MAX_BOILERPLATE_CHARS characters.
        if self._any_whole.fullmatch(text) is None:  # only a rule's test can match, in order
            return next((rule.name for rule in self._tested_rules if rule.test(text)), None)
        for rule in self.rules:
            if rule.matches(text):
                return rule.name
        return None

    def is_boilerplate(self, text: str | None) -> str | None:
        """The name of the first rule matching the WHOLE (normalized) string, or ``None``."""
        if not isinstance(text, str) or not text or len(text) > 4 * MAX_BOILERPLATE_CHARS:
            return None
        normalized = normalize_whitespace(text)
        if normalized is None or len(normalized) > MAX_BOILERPLATE_CHARS:
            return None
        return self._whole_rule(normalized)

    def strip_boilerplate(self, text: str | None) -> tuple[str | None, list[str]]:
        """Remove boilerplate segments and lines from ``text``; return the rest and the rule
        names.

        Inline segments (``BoilerplateRule.inline``) go first, then every line that is
        boilerplate as a whole. One name is reported per removal. Line breaks of the remaining
        text are kept; ``None`` when nothing is left.
        """
        if not isinstance(text, str) or not text:
            return None, []
        fired: list[str] = []
        cue = self._any_inline_cue
        inline = self._inline_patterns if cue is None or cue.search(text) else ()
        for name, pattern, needs in inline:
            if needs and not any(literal in text for literal in needs):
                continue
            text, count = pattern.subn("", text)
            fired.extend([name] * count)
        kept: list[str] = []
        for line in text.split("\n"):
            stripped = " ".join(line.split())
            if not stripped:
                if kept and kept[-1]:
                    kept.append("")
                continue
            name = self._whole_rule(stripped) if len(stripped) <= MAX_BOILERPLATE_CHARS else None
            if name is not None:
                fired.append(name)
                continue
            kept.append(stripped)
        while kept and not kept[-1]:
            kept.pop()
        return ("\n".join(kept) or None), fired

    def _clean(self, text: str, multiline: bool) -> tuple[str | None, tuple[str, ...]]:
        normalized = normalize_whitespace(text, multiline=True)
        cleaned, fired = self.strip_boilerplate(normalized)
        if cleaned is not None and not multiline:
            cleaned = " ".join(cleaned.split())
        return cleaned, tuple(fired)

    def clean_text(
        self, text: str | None, *, multiline: bool = False
    ) -> tuple[str | None, list[str]]:
        """``normalize_whitespace`` then ``strip_boilerplate``: the cleaned text (one line
        unless ``multiline``) and the names of the rules that fired. Cached for short strings.
        """
        if not isinstance(text, str) or not text:
            return None, []
        if len(text) <= CLEAN_CACHE_MAX_CHARS:
            cleaned, fired = self._clean_cached(text, multiline)
        else:
            cleaned, fired = self._clean(text, multiline)
        return cleaned, list(fired)

    def _clean_byline(self, text: str) -> tuple[str | None, tuple[str, ...]]:
        cleaned = normalize_whitespace(text, multiline=True)
        name = self.is_boilerplate(cleaned)
        return (None, (name,)) if name else (cleaned, ())

    def clean_byline(self, text: str | None) -> tuple[str | None, list[str]]:
        """Whitespace-normalize a byline, keeping its lines and labels ("Speakers:" must reach
        the byline splitter); ``None`` when the whole value is boilerplate ("By", "Authors:").
        """
        if not isinstance(text, str) or not text:
            return None, []
        if len(text) <= CLEAN_CACHE_MAX_CHARS:
            cleaned, fired = self._clean_byline_cached(text)
        else:
            cleaned, fired = self._clean_byline(text)
        return cleaned, list(fired)


# The shared rules, for text of no particular site.
SHARED = Boilerplate(BOILERPLATE_RULES)
is_boilerplate = SHARED.is_boilerplate
strip_boilerplate = SHARED.strip_boilerplate
clean_text = SHARED.clean_text
clean_byline = SHARED.clean_byline


@functools.lru_cache(maxsize=64)
def boilerplate_for(site_names: tuple[str, ...], chrome: tuple[str, ...]) -> Boilerplate:
    """The shared rules plus a site's own name and chrome; one compiled set per site."""
    return SHARED.with_rules(site_name_rule(site_names), site_chrome_rule(chrome))


def truncate_at_word(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at the last space if one is near the end."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip()


# Where a byline may be cut: between two of its entries, never inside a name.
LIST_BREAK = re.compile(r"[,;\n]")


def truncate_list(text: str, limit: int) -> str:
    """A list (a byline) cut to at most ``limit`` characters after its last whole entry; at a
    word when it has no separator in its second half."""
    if len(text) <= limit:
        return text
    breaks = [m.start() for m in LIST_BREAK.finditer(text, 0, limit + 1)]
    if breaks and breaks[-1] >= limit // 2:
        return text[: breaks[-1]].rstrip()
    return truncate_at_word(text, limit)


# --- record fields ---------------------------------------------------------------------------

# Fields cleaned to one line; a value that is boilerplate as a whole becomes None.
SINGLE_LINE_FIELDS = ("title", "summary", "content_type_label", "date_raw", "posted_raw")
# Fields whose line breaks carry meaning.
BODY_FIELD = "body_text"
AUTHORS_FIELD = "authors_raw"


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value if v is not None)
    return str(value)


# Rounds of "strip tags, unescape" before the remaining tag-shaped text is dropped outright.
MAX_MARKUP_ROUNDS = 3


def _clean_once(field: str, text: str, boilerplate: Boilerplate) -> tuple[str | None, list[str]]:
    if field == AUTHORS_FIELD:
        return boilerplate.clean_byline(text)
    return boilerplate.clean_text(text, multiline=field == BODY_FIELD)


def _drop_tags(text: str, *, multiline: bool) -> str | None:
    """``text`` without anything tag-shaped, whitespace collapsed, never unescaped again."""
    text = TAG_REMNANT.sub(" ", MARKUP_TAG.sub(" ", text))
    if multiline:
        lines = (" ".join(line.split()) for line in text.split("\n"))
        return "\n".join(line for line in lines if line) or None
    return " ".join(text.split()) or None


@dataclass(frozen=True, slots=True)
class FieldCleaning:
    """What cleaning one field value gives: the value, the outcomes to count (in order) and,
    when a non-blank value was emptied, the rules that did it (for the debug log)."""

    value: str | None
    outcomes: tuple[str, ...]
    emptied_by: tuple[str, ...] | None = None


NOTHING_TO_CLEAN = FieldCleaning(None, ())


def clean_field(
    field: str,
    raw: Any,
    *,
    max_chars: int,
    max_body_chars: int,
    boilerplate: Boilerplate = SHARED,
) -> FieldCleaning:
    """One record field cleaned as its kind wants (one line, body lines, byline lines).

    Outcomes are ``markup/<field>``, ``removed/<rule>``, ``truncated/<field>`` and
    ``emptied/<field>``, in the order they happened.
    """
    counted: list[str] = []
    text = _as_text(raw)
    if text is None:
        return NOTHING_TO_CLEAN
    if has_markup(text):
        text = strip_markup(text)
        counted.append(f"markup/{field}")
    cleaned, fired = _clean_once(field, text, boilerplate)
    # Escaped markup ("&lt;script&gt;", or "&amp;lt;b&amp;gt;" in a meta tag) turns into
    # tags only when the cleaning unescapes it: strip and clean again, a few times, then
    # drop whatever is still tag-shaped without unescaping any further.
    for _ in range(MAX_MARKUP_ROUNDS):
        if cleaned is None or not has_markup(cleaned):
            break
        counted.append(f"markup/{field}")
        cleaned, more = _clean_once(field, strip_markup(cleaned), boilerplate)
        fired += more
    if cleaned is not None and has_markup(cleaned):
        cleaned = _drop_tags(cleaned, multiline=field in (BODY_FIELD, AUTHORS_FIELD))
    counted.extend(f"removed/{name}" for name in fired)
    if cleaned is not None:
        limit = max_body_chars if field == BODY_FIELD else max_chars
        if len(cleaned) > limit:
            cut = truncate_list if field == AUTHORS_FIELD else truncate_at_word
            cleaned = cut(cleaned, limit)
            counted.append(f"truncated/{field}")
    emptied_by = None
    if cleaned is None and text.strip():
        counted.append(f"emptied/{field}")
        emptied_by = tuple(fired)
    return FieldCleaning(cleaned, tuple(counted), emptied_by)
