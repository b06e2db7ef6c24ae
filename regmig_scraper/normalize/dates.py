"""Parse displayed publication dates into a date, a precision and a reason when parsing fails.

``parse_date("April 2021", today=...)`` gives ``ParsedDate(2021-04-01, "month", None)``: the value
is always the FIRST day of the period the text names, and ``precision`` says which period
(``"day"``, ``"month"`` or ``"year"``). The text is never guessed at: a value that cannot be read,
lies in the future of ``today`` or before ``min_year`` comes back as ``None`` with a ``flag``
saying why (``"unparsed"``, ``"implausible"``, ``"too_long"``), and the caller keeps the raw text.
An event's date after ``today`` is its date: with ``future_days`` the caller allows dates up to
that many days ahead, parsed and flagged ``"future"``.

The cascade runs from the most reliable reader to the least:

1. exact formats, matched whole by the regular expressions below (month names of the
   requested languages, from the one table in ``metadata.dates``: English, Spanish, German,
   French, Italian, Portuguese, Dutch, Polish; ISO 8601, RFC 2822 post dates, numeric dates
   read in ``order``); a text that has the shape of an exact format is decided there, even
   when the date it names does not exist;
2. only then ``dateparser`` (one ``DateDataParser`` per process and configuration), and only
   when the text holds a real date token (see ``_has_date_token``): dateparser reads words such
   as "Pages", "TBD" or a bare "12" as dates of the current month, which must not happen here.

Results never depend on the wall clock: ``today`` is an argument (the crawl's start date), and it
is used as dateparser's ``RELATIVE_BASE``; relative expressions ("yesterday") are not parsed.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from regmig_scraper.metadata.dates import MONTH_NAMES_BY_LANGUAGE

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

logger = logging.getLogger(__name__)

PRECISION_DAY = "day"
PRECISION_MONTH = "month"
PRECISION_YEAR = "year"
# Ranking used by ``more_precise``: a more precise reading of the same date wins.
PRECISION_RANK: Mapping[str | None, int] = {
    PRECISION_DAY: 3,
    PRECISION_MONTH: 2,
    PRECISION_YEAR: 1,
    None: 0,
}

FLAG_UNPARSED = "unparsed"  # no reader understood the text
FLAG_IMPLAUSIBLE = "implausible"  # a real date, but after ``today`` or before ``min_year``
FLAG_TOO_LONG = "too_long"  # longer than MAX_DATE_CHARS: not a date label, not parsed
FLAG_AMBIGUOUS = "ambiguous"  # numeric date that the other day/month order reads differently
FLAG_FUTURE = "future"  # parsed and kept: an event's date after ``today``, within the bound

# Orders of numeric dates "A/B/YYYY" supported by the exact step.
DATE_ORDERS = ("MDY", "DMY")

# A displayed date is a short label; anything longer is a text dump, not parsed at all (bounds the
# work per value, and keeps 100k-character strings out of the cache and of dateparser).
MAX_DATE_CHARS = 100

# Month names and abbreviations (casefolded) per language, for the exact step and the date-token
# guard: the generic extractor's table (``metadata.dates``), one table for the whole project.
MONTH_NAMES: Mapping[str, Mapping[str, int]] = MONTH_NAMES_BY_LANGUAGE

# Weekday names (casefolded) that may lead a date: "Thursday, April 15, 2021", "Wed, 18 May 2022".
# Full names are dropped when followed by a space; abbreviations only when followed by a comma
# (Spanish "mar" is also March).
WEEKDAY_NAMES: Mapping[str, tuple[str, ...]] = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "es": ("lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado",
           "domingo"),
    "de": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    "pt": ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
           "sábado", "domingo"),
}  # fmt: skip
WEEKDAY_ABBREVIATIONS: Mapping[str, tuple[str, ...]] = {
    "en": ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
    "es": ("lun", "mar", "mié", "mie", "jue", "vie", "sáb", "sab", "dom"),
}

# Building blocks of the exact formats (ASCII digits only: int() would accept other scripts).
YEAR = r"(?P<y>[0-9]{4})"
DAY = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th|er|º|°)?"
# A time of day: "16:15:34", "11:00", "11 a.m.", "9am".
TIME_OF_DAY = r"(?:[0-9]{1,2}(?::[0-9]{2}){1,2}(?![0-9])|[0-9]{1,2}\s?[ap]\.?\s?m\b\.?)"
# What may follow a full date: a time and anything after it ("11:00 am – 12:30 pm EDT",
# "16:15:34 -0400", "at 10:00"). Only allowed after day-precision formats.
TRAILING_TIME = rf"(?:\s*[,\-–—|@]?\s*(?:at\s+|a\s+las\s+)?{TIME_OF_DAY}.*)?"
# "12/08" of a numeric date: two parts, day and month in ``order``, and the separator.
NUMERIC_DAY_MONTH = r"(?P<a>[0-9]{1,2})(?P<sep>[/.\-])(?P<b>[0-9]{1,2})"
# ISO 8601 time part and offset: "T00:00:00-05:00", " 16:15:34Z" (text is casefolded).
ISO_TIME = r"(?:[t ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?\s*(?:z|[+-][0-9]{2}:?[0-9]{2})?)?"

# Exact formats, tried in this order with fullmatch on the normalised text. ``{MON}`` is the
# alternation of the month names of the requested languages. Kinds: how the groups are read.
EXACT_FORMATS: tuple[tuple[str, str, str], ...] = (
    # 2021-04-15, 2021-04-01T00:00:00-05:00 (ISO date and datetime, as in date attributes)
    ("iso", rf"{YEAR}-(?P<m>[0-9]{{2}})-(?P<d>[0-9]{{2}}){ISO_TIME}", PRECISION_DAY),
    # 2021/04/15
    ("iso", rf"{YEAR}/(?P<m>[0-9]{{1,2}})/(?P<d>[0-9]{{1,2}})", PRECISION_DAY),
    # 2021-04 (ISO year-month); also catches ranges such as "2015-16", which are not dates
    ("iso", rf"{YEAR}-(?P<m>[0-9]{{2}})", PRECISION_MONTH),
    # 12/08/2021, 12-08-2021, 12.08.2021: read in ``order``
    ("numeric", rf"{NUMERIC_DAY_MONTH}(?P=sep){YEAR}{TRAILING_TIME}", PRECISION_DAY),
    # April 15, 2021 / Apr. 15 2021 / abril 15, 2021 (+ optional time)
    ("name", rf"{{MON}}\.?\s*{DAY},?\s+{YEAR}{TRAILING_TIME}", PRECISION_DAY),
    # 15 April 2021 / 28 de febrero de 2019 / 18 May 2022 16:15:34 -0400 (RFC 2822 post date)
    # / 4. Mai 2023 / 1er mai 2020 / 4 de maio de 2023
    ("name", rf"{DAY}\.?\s*,?\s*(?:de\s+)?{{MON}}\.?,?\s+(?:del?\s+)?{YEAR}{TRAILING_TIME}",
     PRECISION_DAY),
    # April 2021 / Noviembre 2020 / diciembre de 2020 / Sept. 2019
    ("name", rf"{{MON}}\.?,?\s+(?:del?\s+)?{YEAR}", PRECISION_MONTH),
    # 2021
    ("iso", YEAR, PRECISION_YEAR),
)  # fmt: skip

# Date tokens that let a text through to dateparser: a four-digit year, or a numeric date, or
# (added per language in ``_grammar``) a month name as a whole word. Anything else is "unparsed".
FOUR_DIGIT_YEAR = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
NUMERIC_DATE_TOKEN = r"(?<![0-9])[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{4}(?![0-9])"

# dateparser's "period" of a result -> our precision. Other periods ("week", "quarter") are not
# a first-day-of-period value we can state: unparsed.
DATEPARSER_PERIODS: Mapping[str, str] = {
    "day": PRECISION_DAY,
    "time": PRECISION_DAY,
    "month": PRECISION_MONTH,
    "year": PRECISION_YEAR,
}
# Only the absolute readers: no timestamps ("1618444800"), no relative dates ("2 years ago"), no
# glued digits ("20210415").
DATEPARSER_PARSERS = ["custom-formats", "absolute-time"]

PARSE_CACHE_SIZE = 4_096


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date: ``value`` is the first day of a ``precision``-long period, or None."""

    value: dt.date | None
    precision: str | None
    flag: str | None


MISSING = ParsedDate(None, None, None)
UNPARSED = ParsedDate(None, None, FLAG_UNPARSED)
IMPLAUSIBLE = ParsedDate(None, None, FLAG_IMPLAUSIBLE)
TOO_LONG = ParsedDate(None, None, FLAG_TOO_LONG)


@dataclass(frozen=True, slots=True)
class _Grammar:
    """The compiled exact formats and date-token guard for one tuple of languages."""

    weekday_prefix: re.Pattern[str]
    formats: tuple[tuple[str, re.Pattern[str], str], ...]
    date_token: re.Pattern[str]
    months: Mapping[str, int]


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "marzo" is tried before "mar".
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@functools.lru_cache(maxsize=16)
def _grammar(languages: tuple[str, ...]) -> _Grammar:
    months: dict[str, int] = {}
    for lang in languages:
        months.update(MONTH_NAMES.get(lang, {}))
    full = [w for lang in languages for w in WEEKDAY_NAMES.get(lang, ())]
    abbrev = [w for lang in languages for w in WEEKDAY_ABBREVIATIONS.get(lang, ())]
    prefixes = []
    if full:
        prefixes.append(rf"(?:{_alternation(full)}),?\s+")
    if abbrev:
        prefixes.append(rf"(?:{_alternation(abbrev)})\.?,\s*")
    # A pattern that never matches when no weekday names are known.
    weekday_prefix = re.compile("|".join(prefixes) if prefixes else r"(?!)")
    month_group = rf"(?P<m>{_alternation(months)})" if months else r"(?P<m>(?!))"
    formats = tuple(
        (kind, re.compile(pattern.replace("{MON}", month_group)), precision)
        for kind, pattern, precision in EXACT_FORMATS
    )
    tokens = [FOUR_DIGIT_YEAR.pattern, NUMERIC_DATE_TOKEN]
    if months:
        # A month name as a whole word: not inside another word ("mayor", "decision").
        tokens.append(rf"(?<![^\W\d_])(?:{_alternation(months)})(?![^\W\d_])")
    return _Grammar(weekday_prefix, formats, re.compile("|".join(tokens)), months)


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _read_exact(
    text: str, grammar: _Grammar, order: str
) -> tuple[dt.date | None, str | None, str | None] | None:
    """Try the exact formats; None when no format has the shape of ``text``.

    Returns (value, precision, flag); value None (flag "unparsed") when the text has the shape of
    a format but names no real date ("February 30, 2021", "31/02/2021", "2015-16").
    """
    for kind, pattern, precision in grammar.formats:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groupdict()
        year = int(groups["y"])
        if kind == "numeric":
            first, second = int(groups["a"]), int(groups["b"])
            month, day = (first, second) if order == "MDY" else (second, first)
            value = _make_date(year, month, day)
            swapped = _make_date(year, day, month)
            if value is None:
                # Impossible in ``order`` but possible the other way round ("25/12/2021"):
                # only one reading names a real date, so it is not ambiguous.
                return (swapped, PRECISION_DAY, None) if swapped else (None, None, FLAG_UNPARSED)
            ambiguous = swapped is not None and first != second
            return value, PRECISION_DAY, FLAG_AMBIGUOUS if ambiguous else None
        if kind == "name":
            month = grammar.months[groups["m"]]
        else:
            month = int(groups["m"]) if groups.get("m") else 1
        day = int(groups["d"]) if groups.get("d") else 1
        value = _make_date(year, month, day)
        if value is None:
            return None, None, FLAG_UNPARSED
        return value, precision, None
    return None


@functools.lru_cache(maxsize=8)
def date_data_parser(languages: tuple[str, ...], order: str, today: dt.date) -> DateDataParser:
    """One dateparser instance per (languages, order, today): built once per crawl."""
    from dateparser.date import DateDataParser

    settings = {
        # "April 2021" -> April 1st, never today's day of month.
        "PREFER_DAY_OF_MONTH": "first",
        # No year in the text -> no date ("April 15"): we do not invent the year.
        "REQUIRE_PARTS": ["year"],
        # Missing parts come from the crawl's date, not from the wall clock.
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "DATE_ORDER": order,
        "PARSERS": DATEPARSER_PARSERS,
    }
    parser = DateDataParser(languages=list(languages), settings=settings)
    # dateparser loads (and validates) its languages on first use: do it now, so that an unknown
    # language code raises ValueError here rather than being taken for an unparseable date.
    parser.get_date_data("1 January 2000")
    return parser


def _read_dateparser(
    text: str, languages: tuple[str, ...], order: str, today: dt.date
) -> tuple[dt.date, str] | None:
    parser = date_data_parser(languages, order, today)
    try:
        data = parser.get_date_data(text)
    except Exception:  # dateparser bugs on odd input must not stop a crawl
        logger.debug("dateparser failed on %r", text, exc_info=True)
        return None
    if data is None or data.date_obj is None:
        return None
    precision = DATEPARSER_PERIODS.get(data.period or "")
    if precision is None:
        return None
    value = data.date_obj.date()
    # The year must be written out in the text: two-digit years ("15 abril 21") are not trusted.
    if str(value.year) not in FOUR_DIGIT_YEAR.findall(text):
        return None
    return _first_of_period(value, precision), precision


def _first_of_period(value: dt.date, precision: str) -> dt.date:
    if precision == PRECISION_YEAR:
        return value.replace(month=1, day=1)
    if precision == PRECISION_MONTH:
        return value.replace(day=1)
    return value


def _normalise(raw: str) -> str:
    """Casefold and collapse all whitespace (including no-break spaces) to single spaces."""
    return " ".join(raw.casefold().split())


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse_cached(
    text: str,
    today: dt.date,
    order: str,
    languages: tuple[str, ...],
    min_year: int,
    future_days: int,
) -> ParsedDate:
    grammar = _grammar(languages)
    text = _normalise(text)
    if weekday := grammar.weekday_prefix.match(text):
        text = text[weekday.end() :]  # "Thursday, April 15, 2021" reads as "April 15, 2021"
    # (a) exact formats: decisive when the text has their shape
    exact = _read_exact(text, grammar, order)
    if exact is not None:
        value, precision, flag = exact
    # (b) dateparser, only for texts holding a month name, a four-digit year or a numeric date
    elif grammar.date_token.search(text) and (
        found := _read_dateparser(text, languages, order, today)
    ):
        (value, precision), flag = found, None
    # (c) nothing understood it
    else:
        return UNPARSED
    if value is None or precision is None:
        return UNPARSED
    if value.year < min_year:
        return IMPLAUSIBLE
    if value > today:
        # An upcoming event's date is its date: kept and flagged, up to ``future_days`` ahead.
        if (value - today).days <= future_days:
            return ParsedDate(value, precision, FLAG_FUTURE)
        return IMPLAUSIBLE
    return ParsedDate(value, precision, flag)


def parse_date(
    raw: str | None,
    *,
    today: dt.date,
    order: str = "MDY",
    languages: tuple[str, ...] = ("en", "es"),
    min_year: int = 1990,
    future_days: int = 0,
) -> ParsedDate:
    """Parse a displayed date into the first day of its period, its precision and a flag.

    ``today`` is the reference date (the crawl's start): later dates are implausible, except
    up to ``future_days`` after it (an event's date, for the caller that knows it reads one):
    those are kept with the flag ``"future"``. ``order`` is
    the order of numeric dates ("MDY" or "DMY"); ``languages`` the languages of month names.
    Never raises on bad input; raises ``ValueError`` on an unknown ``order``, or on a language
    dateparser does not know (when the dateparser step is reached).
    """
    order = order.upper()
    if order not in DATE_ORDERS:
        raise ValueError(f"date order must be one of {DATE_ORDERS}, not {order!r}")
    if raw is None:
        return MISSING
    if not isinstance(raw, str):
        return UNPARSED
    text = raw.strip()
    if not text:
        return MISSING
    if len(text) > MAX_DATE_CHARS:
        return TOO_LONG
    return _parse_cached(text, today, order, tuple(languages), min_year, max(future_days, 0))


def more_precise(a: ParsedDate, b: ParsedDate) -> ParsedDate:
    """The more precise of two readings (day > month > year > none); ties keep ``a``."""
    return b if PRECISION_RANK.get(b.precision, 0) > PRECISION_RANK.get(a.precision, 0) else a
