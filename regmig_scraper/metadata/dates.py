"""Date candidates: read a date (with its precision) out of a metadata value, a text or a URL.

``parse_date_value("2021-04-15T10:00:00-04:00")`` gives ``DateValue(2021-04-15, "day", ...)``;
``find_date_in_text("Veröffentlicht am 4. Mai 2023, 10:12 Uhr")`` finds the first date in a
short text; ``date_from_url("https://x.org/2021/04/15/slug")`` reads a date in the URL path.

Exact-format regular expressions only (ISO 8601 first: the common case in metadata), with the
month names of English, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Romanian,
Hungarian, Czech, Swedish, Danish, Finnish, Turkish, Indonesian, Russian, Ukrainian and Arabic
(not Croatian: its "listopada" is October, Polish's November), and the year-month-day forms of
Chinese, Japanese, Korean and Hungarian. A date is written as given: an ISO datetime with an
offset keeps its local calendar day (no conversion to UTC, which would move evening posts to the
next day); only a UTC instant ("...Z", "... GMT") is moved to the site's time zone, by
``local_day``. Values outside ``MIN_YEAR`` .. ``today`` are implausible and dropped.
``dateparser`` is not used here: it is slow, and it reads words ("May", "12") as dates of the
current month, which is exactly the guess this package must not make. Pure functions, no
settings.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

PRECISION_DAY = "day"
PRECISION_MONTH = "month"
PRECISION_YEAR = "year"

# Earliest plausible publication year of a web page.
MIN_YEAR = 1995
# The most characters of a metadata value that is parsed (a date is short; a dump is not).
MAX_VALUE_CHARS = 200

# Month names per language (casefolded): full names, then the abbreviations that language uses.
# The one table of month names in this project: ``normalize.dates`` reads its languages from it.
_MONTH_LISTS = {
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
    "novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
    "listopada grudnia",
    "ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie "
    "noiembrie decembrie",
    "hu": "január február március április május június július augusztus szeptember október "
    "november december",
    "cs": "ledna února března dubna května června července srpna září října listopadu prosince",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "fi": "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta "
    "elokuuta syyskuuta lokakuuta marraskuuta joulukuuta",
    "tr": "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "id": "januari februari maret april mei juni juli agustus september oktober november desember",
    # Russian and Ukrainian dates name the month in the genitive ("15 августа 2016")
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "uk": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
}
# Other forms: abbreviations, Austrian German, Polish nominatives, Southern Cone "setiembre".
_MONTH_FORMS = {
    "en": {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
           "sept": 9, "oct": 10, "nov": 11, "dec": 12},
    "de": {"jänner": 1, "feber": 2, "maerz": 3, "sept": 9, "okt": 10, "dez": 12, "mär": 3,
           "mrz": 3},
    "fr": {"janv": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7, "sept": 9, "déc": 12},
    "es": {"setiembre": 9, "ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6,
           "jul": 7, "ago": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dic": 12},
    "it": {"gen": 1, "giu": 6, "lug": 7, "set": 9, "ott": 10, "dic": 12},
    "pt": {"set": 9, "out": 10},
    "nl": {"mei": 5, "mrt": 3, "okt": 10},
    "pl": {"styczeń": 1, "luty": 2, "marzec": 3, "kwiecień": 4, "maj": 5, "czerwiec": 6,
           "lipiec": 7, "sierpień": 8, "wrzesień": 9, "październik": 10, "listopad": 11,
           "grudzień": 12},
    "ru": {"январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7,
           "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12},
    "uk": {"січень": 1, "лютий": 2, "березень": 3, "квітень": 4, "травень": 5, "червень": 6,
           "липень": 7, "серпень": 8, "вересень": 9, "жовтень": 10, "листопад": 11,
           "грудень": 12},
    "ar": {"إبريل": 4, "ابريل": 4, "اغسطس": 8, "اكتوبر": 10, "يوليه": 7, "يونيه": 6},
}  # fmt: skip


def _without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


# Language -> month name (casefolded, accents kept and also stripped) -> month number.
MONTH_NAMES_BY_LANGUAGE: dict[str, dict[str, int]] = {}
for _lang, _names in _MONTH_LISTS.items():
    _table = dict(zip(_names.split(), range(1, 13), strict=True))
    _table.update(_MONTH_FORMS.get(_lang, {}))
    for _word, _number in list(_table.items()):
        _table.setdefault(_without_accents(_word), _number)
    MONTH_NAMES_BY_LANGUAGE[_lang] = _table
# Every language's month names at once: the extractor reads pages in any language.
MONTHS: dict[str, int] = {}
for _table in MONTH_NAMES_BY_LANGUAGE.values():
    for _word, _number in _table.items():
        MONTHS.setdefault(_word, _number)
MONTHS["okt."] = 10


def _by_first_letter(words: list[str]) -> str:
    """An alternation of ``words`` (in their order within each group) grouped by their first
    letter: "m(?:ärz|ay|ai)|j(?:uly|une)". At each position re enters only the group whose
    letter is there, not every word: with IGNORECASE it cannot rule a word out before entering
    it (measured 6x faster on pages' texts). The match is the same: no other group can match
    where a group's letter stands (``test_month_groups_start_with_distinct_letters``)."""
    groups: dict[str, list[str]] = {}
    for word in words:
        if word.startswith("\\"):  # an escaped first character is two characters long
            raise ValueError(f"a word starts with an escape: {word!r}")
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


# Longest first: "sept" before "sep" (the whole-word test after it then picks the longest).
_MONTH_WORDS = sorted((re.escape(w) for w in MONTHS), key=len, reverse=True)
_MONTH_ALT = _by_first_letter(_MONTH_WORDS)
# A month name as a whole word (not "mayor", "decision", "marchand").
MONTH = rf"(?P<mon>(?<![^\W\d_])(?:{_MONTH_ALT})(?![^\W\d_]))\.?"
YEAR = r"(?P<y>(?:19|20)[0-9]{2})(?![0-9])"
DAY = r"(?P<d>[0-3]?[0-9])(?:st|nd|rd|th|er|º|°)?"

# Date shapes, tried in this order; each is searched (not matched whole) in a text.
# (name, pattern, precision)
DATE_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE), precision)
    for name, pattern, precision in (
        # 2021-04-15, 2021-04-15T10:00:00-04:00, 2021/04/15, 2021.04.15
        ("iso", r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?P<s>[-/.])(?P<m>[01]?[0-9])(?P=s)"
         r"(?P<d>[0-3]?[0-9])(?![0-9])", PRECISION_DAY),
        # 15.04.2021, 15. 4. 2021 (day first: the dotted form is European)
        ("dotted", r"(?<![0-9.])(?P<d>[0-3]?[0-9])\.\s?(?P<m>[01]?[0-9])\.\s?" + YEAR,
         PRECISION_DAY),
        # 31.10.23, 2.11.22: a two-digit year, read in this century (German news sites)
        ("dotted_short", r"(?<![\w.])(?P<d>[0-3]?[0-9])\.(?P<m>[01]?[0-9])\.(?P<yy>[0-9]{2})"
         r"(?![0-9]|\.[0-9])", PRECISION_DAY),
        # 04/15/2021 or 15/04/2021 (order decided by the values, else by the language)
        ("slashed", r"(?<![0-9/])(?P<a>[0-3]?[0-9])[/-](?P<b>[0-3]?[0-9])[/-]" + YEAR,
         PRECISION_DAY),
        # a range starts on its first day: 14.-20. Januar 2022, 14-20 April 2021
        ("day_range", rf"(?<![0-9]){DAY}\.?\s*[-–—]\s*[0-3]?[0-9]\.?\s*(?:de\s+)?{MONTH},?\s+"
         rf"(?:de[l]?\s+)?{YEAR}", PRECISION_DAY),
        # April 14-20, 2021
        ("month_day_range", rf"{MONTH}\s*{DAY}\s*[-–—]\s*[0-3]?[0-9],?\s+{YEAR}",
         PRECISION_DAY),
        # 15 April 2021, 4. Mai 2023, 15 de abril de 2021, 12 avril 2022, 1er mai 2020
        ("day_month", rf"(?<![0-9]){DAY}\.?\s*(?:de\s+)?{MONTH},?\s+(?:de[l]?\s+)?{YEAR}",
         PRECISION_DAY),
        # April 15, 2021 / Apr. 15 2021
        ("month_day", rf"{MONTH}\s*{DAY},?\s+{YEAR}", PRECISION_DAY),
        # Tue Jul 30 09:35:14 CEST 2019 (Java's and Unix date's default form)
        ("month_day_time", rf"{MONTH}\s+{DAY}\s+[0-2]?[0-9]:[0-5][0-9](?::[0-5][0-9])?\s+"
         rf"(?:[A-Z]{{2,5}}\s+)?{YEAR}", PRECISION_DAY),
        # 2020年7月3日 (Chinese, Japanese), 2020년 7월 3일 (Korean)
        ("cjk", r"(?P<y>(?:19|20)[0-9]{2})\s*[年년]\s*(?P<m>[01]?[0-9])\s*[月월]\s*"
         r"(?P<d>[0-3]?[0-9])\s*[日일]", PRECISION_DAY),
        # 2020. június 4. (Hungarian: year, month, day)
        ("year_month_day", rf"(?<![0-9]){YEAR}\.\s*{MONTH}\s+(?P<d>[0-3]?[0-9])\.",
         PRECISION_DAY),
        # April 2021 / Mai 2023 / abril de 2021
        ("month_year", rf"{MONTH},?\s+(?:de[l]?\s+)?{YEAR}", PRECISION_MONTH),
    )
)  # fmt: skip
# Cheap tests before the patterns: a four-digit year, or the dotted form's two-digit one.
# The forms that name the month: a text with no month name anywhere is matched by none of
# them, so one search for a month name spares the eight (most texts with a year hold none).
NAMED_MONTH_FORMS = frozenset({"day_range", "month_day_range", "day_month", "month_day",
                               "month_day_time", "year_month_day", "month_year"})  # fmt: skip
MONTH_ANYWHERE = re.compile(MONTH, re.IGNORECASE)
# The character each numeric form cannot match without (a substring test costs far less than
# a pattern that starts with a look-behind and is tried at every position).
REQUIRED_CHARS: dict[str, tuple[str, ...]] = {
    "iso": ("-", "/", "."),
    "dotted": (".",),
    "dotted_short": (".",),
    "slashed": ("/", "-"),
    "cjk": ("年", "년"),
}
FOUR_DIGITS = re.compile(r"(?:19|20)[0-9]{2}")
SHORT_YEAR = re.compile(r"[0-9]\.[0-9]{2}(?![0-9])")
YEAR_ONLY = re.compile(r"^\s*((?:19|20)[0-9]{2})\s*$")

# Dates in URL paths: /2021/04/15/, /2021-04-15-slug, /20210415/, /20210415-OYT1T50218/,
# /2021/04/, /2021-04/ (not /2019-4/: a magazine's fourth issue).
URL_DAY = re.compile(
    r"/((?:19|20)[0-9]{2})[/_-]([01]?[0-9])[/_-]([0-3]?[0-9])(?:[/_.-]|$)"
    r"|/((?:19|20)[0-9]{2})([01][0-9])([0-3][0-9])(?:[/_-]|$)"
)
URL_MONTH = re.compile(r"/((?:19|20)[0-9]{2})(?:/([01]?[0-9])|[_-]([01][0-9]))/")
# Day first in a path segment: /meldungen/29-10-2021
URL_DAY_FIRST = re.compile(r"/([0-3]?[0-9])[-_.]([01]?[0-9])[-_.]((?:19|20)[0-9]{2})(?:[/_.-]|$)")


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date read from the page: the first day of a ``precision``-long period, the raw text
    it was read from and the rule that found it."""

    value: dt.date
    precision: str
    raw: str
    source: str = ""
    # False for a date only an attribute holds (an empty ``<time datetime>``, a ``<meta>``):
    # the page never shows it to its readers
    shown: bool = field(default=True, compare=False)

    def as_dict(self) -> dict[str, str]:
        return {
            "value": self.value.isoformat(),
            "precision": self.precision,
            "raw": self.raw,
            "source": self.source,
        }


def _plausible(value: dt.date, today: dt.date | None, future: bool = False) -> bool:
    """After MIN_YEAR and, unless ``future`` (an event's start), not after ``today``."""
    if future:
        return dt.date(MIN_YEAR, 1, 1) <= value
    latest = (today or dt.date.today()) + dt.timedelta(days=2)
    return dt.date(MIN_YEAR, 1, 1) <= value <= latest


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _read_match(name: str, match: re.Match[str], day_first: bool) -> dt.date | None:
    groups = match.groupdict()
    if name == "dotted_short":
        return _make(2000 + int(groups["yy"]), int(groups["m"]), int(groups["d"]))
    year = int(groups["y"])
    if name in ("iso", "dotted", "cjk"):
        return _make(year, int(groups["m"]), int(groups["d"]))
    if name == "slashed":
        a, b = int(groups["a"]), int(groups["b"])
        if a > 12:
            return _make(year, b, a)
        if b > 12:
            return _make(year, a, b)
        return _make(year, b, a) if day_first else _make(year, a, b)
    month = MONTHS.get(groups["mon"].casefold().rstrip("."))
    if month is None:
        return None
    day = int(groups["d"]) if groups.get("d") else 1
    return _make(year, month, day)


def find_date_in_text(
    text: str,
    *,
    source: str = "",
    today: dt.date | None = None,
    day_first: bool = True,
    future: bool = False,
) -> DateValue | None:
    """The earliest-placed plausible date in ``text`` (day or month precision), or None.

    ``day_first`` decides "04/05/2021" when both numbers could be the month (False: US order).
    A bare year in running text is never a date. ``future``: dates after ``today`` are
    plausible (an event's start date; the normalizer flags and bounds them).
    """
    if not text or (FOUR_DIGITS.search(text) is None and SHORT_YEAR.search(text) is None):
        return None  # every form holds a year: most lines near a headline have none
    best: tuple[int, DateValue] | None = None
    named_month: bool | None = None  # searched for once, when a named-month form comes up
    for name, pattern, precision in DATE_PATTERNS:
        if name in NAMED_MONTH_FORMS:
            if named_month is None:
                named_month = MONTH_ANYWHERE.search(text) is not None
            if not named_month:
                continue
        elif name in REQUIRED_CHARS and not any(c in text for c in REQUIRED_CHARS[name]):
            continue
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            value = _read_match(name, match, day_first)
            if value is None or not _plausible(value, today, future):
                continue
            candidate = DateValue(value, precision, match.group(0).strip(), source)
            best = (match.start(), candidate)
            break
    return best[1] if best else None


def parse_date_value(
    raw: str | None,
    *,
    source: str = "",
    today: dt.date | None = None,
    day_first: bool = True,
    future: bool = False,
) -> DateValue | None:
    """A metadata value ("2021-04-15", "2021-04-15T10:00:00Z", "15 April 2021", "2021");
    ``future`` as for ``find_date_in_text``."""
    if not raw:
        return None
    raw = raw.strip()
    if not raw or len(raw) > MAX_VALUE_CHARS:
        return None
    year = YEAR_ONLY.match(raw)
    if year:
        value = dt.date(int(year.group(1)), 1, 1)
        plausible = _plausible(value, today, future)
        return DateValue(value, PRECISION_YEAR, raw, source) if plausible else None
    found = find_date_in_text(raw, source=source, today=today, day_first=day_first, future=future)
    if found is not None:
        return DateValue(found.value, found.precision, raw, source)
    return None


def date_from_url(
    url: str, *, source: str = "url", today: dt.date | None = None
) -> DateValue | None:
    """A date written in the URL path (``/2021/04/15/slug``: day; ``/2021/04/slug``: month)."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    match = URL_DAY.search(path)
    if match:
        y, m, d = (match.group(i) or match.group(i + 3) for i in (1, 2, 3))
        value = _make(int(y), int(m), int(d))
        if value is not None and _plausible(value, today):
            return DateValue(value, PRECISION_DAY, match.group(0), source)
    match = URL_DAY_FIRST.search(path)
    if match:
        value = _make(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if value is not None and _plausible(value, today):
            return DateValue(value, PRECISION_DAY, match.group(0), source)
    match = URL_MONTH.search(path)
    if match:
        value = _make(int(match.group(1)), int(match.group(2) or match.group(3)), 1)
        if value is not None and _plausible(value, today):
            return DateValue(value, PRECISION_MONTH, match.group(0), source)
    return None


# --- a UTC instant shown in the site's time zone ---------------------------------------------

# A timestamp written as a UTC instant ("2022-11-06T23:00:00.000Z", "Wed, 04 May 2022 00:25:56
# GMT"): a server's clock, which the page shows its readers in the site's own time zone. An
# explicit "+00:00" is not one: it is the offset the site itself is set to (WordPress writes
# it when the site runs on UTC, and shows that day).
# Machine-written values only (ISO 8601, RFC 2822): a page's text that says "10:00 UTC" shows
# its readers that day.
UTC_INSTANT = re.compile(
    r"^(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ]|(?:[A-Za-z]{3},\s*)?[0-9]{1,2} [A-Za-z]{3} [0-9]{4} )"
    r"(?P<h>[0-2]?[0-9]):(?P<mi>[0-5][0-9])(?::[0-5][0-9](?:[.,][0-9]+)?)?\s*(?:Z|GMT|UTC)$"
)
# Standard UTC offsets (hours) of countries that keep one time zone, by ISO 3166 code or
# country-code TLD; "eu" marks the European Union's summer time (+1 hour from the last Sunday
# of March to the last Sunday of October, 01:00 UTC). Countries spanning several zones (the
# United States, Canada, Russia, Australia, Mexico, Brazil's west) are left out: their day
# cannot be told.
REGION_OFFSETS: dict[str, tuple[float, bool]] = {
    **dict.fromkeys(("gb", "uk", "ie", "pt"), (0, True)),
    **dict.fromkeys(("de", "at", "ch", "li", "fr", "be", "nl", "lu", "it", "es", "dk", "no",
                     "se", "pl", "cz", "sk", "hu", "si", "hr", "rs", "ba", "mk", "al", "mt"),
                    (1, True)),
    **dict.fromkeys(("fi", "ee", "lv", "lt", "gr", "ro", "bg", "cy"), (2, True)),
    **dict.fromkeys(("ar", "uy"), (-3, False)),
    **dict.fromkeys(("pe", "co", "ec", "pa"), (-5, False)),
    **dict.fromkeys(("ve", "bo"), (-4, False)),
    **dict.fromkeys(("jp", "kr"), (9, False)),
    **dict.fromkeys(("cn", "tw", "hk", "sg", "my", "ph"), (8, False)),
    "in": (5.5, False),
}  # fmt: skip


def _eu_summer_time(moment: dt.datetime) -> bool:
    """Whether a UTC moment falls in the European Union's summer time."""

    def last_sunday(month: int) -> dt.datetime:
        last = dt.datetime(moment.year, month, 31, 1, 0)
        return last - dt.timedelta(days=(last.weekday() + 1) % 7)

    return last_sunday(3) <= moment < last_sunday(10)


def is_utc_instant(value: DateValue) -> bool:
    """Whether the value was read from a machine-written UTC instant (``UTC_INSTANT``)."""
    return UTC_INSTANT.match(value.raw.strip()) is not None


def local_day(value: DateValue, region: str | None) -> DateValue:
    """``value`` moved to the calendar day of ``region``'s time zone when it is a UTC instant
    with a time of day ("2022-11-06T23:00:00Z" is 7 November in Berlin); unchanged otherwise.
    Midnight UTC is a bare date stored as an instant, not a moment, and is kept."""
    if value.precision != PRECISION_DAY or region not in REGION_OFFSETS:
        return value
    match = UTC_INSTANT.match(value.raw.strip())
    if match is None:
        return value
    hour, minute = int(match.group("h")), int(match.group("mi"))
    if hour > 23 or (hour, minute) == (0, 0):
        return value
    moment = dt.datetime(value.value.year, value.value.month, value.value.day, hour, minute)
    offset, summer_time = REGION_OFFSETS[region]
    if summer_time and _eu_summer_time(moment):
        offset += 1
    day = (moment + dt.timedelta(hours=offset)).date()
    if day == value.value:
        return value
    return DateValue(day, value.precision, value.raw, value.source)
