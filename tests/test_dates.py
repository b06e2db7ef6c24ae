"""Tests for pipelines/dates.py: the date cascade, plausibility, caching and the pipeline."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.exceptions import NotConfigured

from pipelines.dates import DatePipeline
from regmig_scraper.items import PublicationRecord
from regmig_scraper.normalize.dates import ParsedDate, more_precise, parse_date
from regmig_scraper.normalize.site_rules import SiteRules
from tests.helpers import finishes, get_crawler

TODAY = dt.date(2025, 6, 1)
D, M, Y = "day", "month", "year"

# (raw, expected ISO date or None, precision, flag), parsed with today=TODAY, order="MDY".
CASES = [
    # --- listing and detail labels from /work/shared/seed and site-sample ---
    ("April 2021", "2021-04-01", M, None),
    ("November 2020", "2020-11-01", M, None),
    ("September 2019", "2019-09-01", M, None),
    ("June 2021", "2021-06-01", M, None),
    ("December 2020", "2020-12-01", M, None),
    ("February 28, 2019", "2019-02-28", D, None),
    ("January 16, 2019", "2019-01-16", D, None),
    ("June 5, 2018", "2018-06-05", D, None),
    ("August 31, 2017", "2017-08-31", D, None),
    ("April 15, 2021", "2021-04-15", D, None),
    ("December 10, 2020", "2020-12-10", D, None),
    ("2021", "2021-01-01", Y, None),
    # --- real-site-text: event and press-release dates, listing months ---
    ("Thursday, April 15, 2021", "2021-04-15", D, None),
    ("Tuesday, May 24, 2022", "2022-05-24", D, None),
    ("Monday, May 16, 2022", "2022-05-16", D, None),
    ("May 24, 2022", "2022-05-24", D, None),
    ("Thursday, April 15, 2021 11:00 am – 12:30 pm EDT", "2021-04-15", D, None),
    ("Tuesday, May 24, 2022 11:00 A.M. EDT (New York, D.C.)", "2022-05-24", D, None),
    ("September 2013", "2013-09-01", M, None),
    ("July 2019", "2019-07-01", M, None),
    ("October 2008", "2008-10-01", M, None),
    ("February 2023", "2023-02-01", M, None),
    ("March 2021", "2021-03-01", M, None),
    # --- RSS post dates (RFC 2822): the date as written, whatever the offset ---
    ("Wed, 18 May 2022 16:15:34 -0400", "2022-05-18", D, None),
    ("Mon, 16 May 2022 16:25:12 -0400", "2022-05-16", D, None),
    ("Tue, 12 Apr 2022 17:11:29 -0400", "2022-04-12", D, None),
    ("Fri, 18 Mar 2022 18:21:40 -0400", "2022-03-18", D, None),
    ("Sat, 31 Dec 2022 23:59:59 +0900", "2022-12-31", D, None),
    # --- Spanish ---
    ("Noviembre 2020", "2020-11-01", M, None),
    ("28 de febrero de 2019", "2019-02-28", D, None),
    ("15 abril 2021", "2021-04-15", D, None),
    ("diciembre de 2020", "2020-12-01", M, None),
    ("1 de septiembre de 2019", "2019-09-01", D, None),
    ("Marzo 2022", "2022-03-01", M, None),
    ("jueves, 15 de abril de 2021", "2021-04-15", D, None),
    ("Miércoles, 18 de mayo de 2022", "2022-05-18", D, None),
    ("abril 15, 2021", "2021-04-15", D, None),
    ("setiembre 2019", "2019-09-01", M, None),
    ("28 de febrero del 2019", "2019-02-28", D, None),
    ("1º de agosto de 2017", "2017-08-01", D, None),
    # --- spelling variants ---
    ("  April\u00a02021 ", "2021-04-01", M, None),
    ("APRIL 2021", "2021-04-01", M, None),
    ("Sept. 2019", "2019-09-01", M, None),
    ("Apr. 15, 2021", "2021-04-15", D, None),
    ("Dec 10, 2020", "2020-12-10", D, None),
    ("April 15th, 2021", "2021-04-15", D, None),
    ("April 15 2021", "2021-04-15", D, None),
    ("15 April 2021", "2021-04-15", D, None),
    ("April, 2021", "2021-04-01", M, None),
    # --- ISO 8601 (machine attributes) ---
    ("2021-04-01", "2021-04-01", D, None),
    ("2021-04-01T00:00:00-05:00", "2021-04-01", D, None),
    ("2020-12-10T23:30:00Z", "2020-12-10", D, None),
    ("2021/04/15", "2021-04-15", D, None),
    ("2021-04", "2021-04-01", M, None),
    # --- dateparser step: formats outside the exact list ---
    ("15th of April 2021", "2021-04-15", D, None),
    ("April the 15th, 2021", "2021-04-15", D, None),
    ("15-Apr-2021", "2021-04-15", D, None),
    ("2021 April 15", "2021-04-15", D, None),
    # --- numeric, US order; ambiguity flagged, value kept ---
    ("09/19/2022", "2022-09-19", D, None),
    ("04/18/2024", "2024-04-18", D, None),
    ("12/08/2021", "2021-12-08", D, "ambiguous"),
    ("1/2/2021", "2021-01-02", D, "ambiguous"),
    ("12-08-2021", "2021-12-08", D, "ambiguous"),
    ("05/05/2021", "2021-05-05", D, None),
    ("02/29/2024", "2024-02-29", D, None),
    ("25/12/2021", "2021-12-25", D, None),  # only the day-first reading is a real date
    ("02/29/2023", None, None, "unparsed"),
    ("31/02/2021", None, None, "unparsed"),
    ("13/13/2021", None, None, "unparsed"),
    # --- implausible: after today or before 1990 ---
    ("July 2025", None, None, "implausible"),
    ("June 2, 2025", None, None, "implausible"),
    ("2026", None, None, "implausible"),
    ("01/01/2030", None, None, "implausible"),
    ("9999", None, None, "implausible"),
    ("1989", None, None, "implausible"),
    ("December 1989", None, None, "implausible"),
    ("15th of April 1985", None, None, "implausible"),
    ("June 2025", "2025-06-01", M, None),  # the current month is not in the future
    ("June 1, 2025", "2025-06-01", D, None),
    ("January 1990", "1990-01-01", M, None),
    # --- unparsed: no date, no year, or not a real date ---
    ("TBD", None, None, "unparsed"),
    ("Spring 2021", None, None, "unparsed"),
    ("primavera de 2021", None, None, "unparsed"),
    ("Pages", None, None, "unparsed"),
    ("Reports", None, None, "unparsed"),
    ("Video, Audio", None, None, "unparsed"),
    ("Upcoming Event", None, None, "unparsed"),
    ("12", None, None, "unparsed"),
    ("5", None, None, "unparsed"),
    ("April", None, None, "unparsed"),
    ("April 15", None, None, "unparsed"),
    ("mayo", None, None, "unparsed"),
    ("February 30, 2021", None, None, "unparsed"),
    ("2015-16", None, None, "unparsed"),
    ("2020-2021", None, None, "unparsed"),
    ("Q1 2021", None, None, "unparsed"),
    ("12/08/21", None, None, "unparsed"),  # two-digit years are not trusted
    ("15 abril 21", None, None, "unparsed"),
    ("yesterday", None, None, "unparsed"),
    ("hace 2 días", None, None, "unparsed"),
    ("2 years ago 2021", None, None, "unparsed"),
    ("1618444800", None, None, "unparsed"),
    ("0000", None, None, "unparsed"),
    ("—", None, None, "unparsed"),
    ("٢٠٢١", None, None, "unparsed"),  # Arabic-Indic digits are not read as a year
    # --- missing ---
    ("", None, None, None),
    ("   \n\t", None, None, None),
    (None, None, None, None),
    # --- too long for a date label ---
    ("April 2021 " * 10, None, None, "too_long"),
]


@pytest.mark.parametrize(("raw", "value", "precision", "flag"), CASES)
def test_parse_date(raw: str | None, value: str | None, precision: str | None, flag: str | None):
    expected = ParsedDate(dt.date.fromisoformat(value) if value else None, precision, flag)
    assert parse_date(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "value", "flag"),
    [
        ("12/08/2021", "2021-08-12", "ambiguous"),
        ("13/01/2021", "2021-01-13", None),
        ("01/13/2021", "2021-01-13", None),  # only the month-first reading is a real date
        ("31/02/2021", None, "unparsed"),
        ("18.05.2022", "2022-05-18", None),
    ],
)
def test_day_first_order(raw: str, value: str | None, flag: str | None) -> None:
    parsed = parse_date(raw, today=TODAY, order="DMY")
    assert (parsed.value, parsed.flag) == (dt.date.fromisoformat(value) if value else None, flag)


def test_unknown_order_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="date order"):
        parse_date("April 2021", today=TODAY, order="XYZ")


@pytest.mark.parametrize(
    ("raw", "languages", "expected"),
    [
        ("Noviembre 2020", ("en",), None),
        ("28 de febrero de 2019", ("en",), None),
        ("Noviembre 2020", ("es",), dt.date(2020, 11, 1)),
        ("November 2020", ("es",), None),
        # any language the caller names, from the one month table (metadata.dates)
        ("4. Mai 2023", ("de",), dt.date(2023, 5, 4)),
        ("Donnerstag, 4. Mai 2023", ("de",), dt.date(2023, 5, 4)),
        ("März 2021", ("de",), dt.date(2021, 3, 1)),
        ("12 avril 2022", ("fr",), dt.date(2022, 4, 12)),
        ("1er mai 2020", ("fr",), dt.date(2020, 5, 1)),
        ("févr. 2021", ("fr",), dt.date(2021, 2, 1)),
        ("4 de maio de 2023", ("pt",), dt.date(2023, 5, 4)),
        ("4 maggio 2023", ("it",), dt.date(2023, 5, 4)),
        ("4. Mai 2023", ("en", "es"), None),  # MPI's languages do not read German
        ("12 avril 2022", ("en", "es"), None),
    ],
)
def test_languages_restrict_month_names(
    raw: str, languages: tuple[str, ...], expected: dt.date | None
) -> None:
    assert parse_date(raw, today=TODAY, languages=languages).value == expected


class MemoryStats:
    """The one stats method the pipelines call."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


# (raw, future_days, expected value, flag): an event's date after today is its date, flagged.
FUTURE_CASES = [
    ("July 2025", 730, dt.date(2025, 7, 1), "future"),
    ("June 2, 2025", 730, dt.date(2025, 6, 2), "future"),
    ("Thursday, April 15, 2027", 730, dt.date(2027, 4, 15), "future"),
    ("June 1, 2025", 730, dt.date(2025, 6, 1), None),  # today is not the future
    ("May 2025", 730, dt.date(2025, 5, 1), None),
    ("June 2, 2028", 730, None, "implausible"),  # beyond the bound
    ("2030", 730, None, "implausible"),
    ("June 2, 2025", 0, None, "implausible"),  # no bound: not an event
]


@pytest.mark.parametrize(("raw", "future_days", "value", "flag"), FUTURE_CASES)
def test_future_dates_within_the_bound_are_kept_and_flagged(
    raw: str, future_days: int, value: dt.date | None, flag: str | None
) -> None:
    parsed = parse_date(raw, today=TODAY, future_days=future_days)
    assert (parsed.value, parsed.flag) == (value, flag)


def test_pipeline_keeps_an_upcoming_events_date_and_not_a_reports() -> None:
    stats = MemoryStats()
    pipeline = DatePipeline(today=TODAY, future_days=730, stats=stats)
    event = pipeline.process_item({"date_raw": "September 9, 2025", "page_kind": "event"})
    webinar = pipeline.process_item({"date_raw": "September 9, 2025", "content_type": "webinar"})
    report = pipeline.process_item({"date_raw": "September 9, 2025", "content_type": "report"})
    modified = pipeline.process_item({"date_raw": "2024", "modified_raw": "2025-05-04T10:00:00Z"})
    pipeline.close_spider()
    assert (event["published"], event["date_flag"]) == (dt.date(2025, 9, 9), "future")
    assert (webinar["published"], webinar["date_flag"]) == (dt.date(2025, 9, 9), "future")
    assert (report["published"], report["date_flag"]) == (None, "implausible")
    assert modified["modified"] == dt.date(2025, 5, 4)
    assert stats.values["regmig/dates/future"] == 2
    assert stats.values["regmig/dates/failed/implausible"] == 1  # the event is not an error
    assert stats.values["regmig/dates/modified/parsed"] == 1


def test_min_year_is_configurable() -> None:
    assert parse_date("1985", today=TODAY, min_year=1980).value == dt.date(1985, 1, 1)
    assert parse_date("1985", today=TODAY).flag == "implausible"


@pytest.mark.parametrize("raw", ["April 2021", "2021", "15th of April 2021", "Noviembre 2020"])
def test_result_does_not_depend_on_today(raw: str) -> None:
    early = parse_date(raw, today=dt.date(2022, 1, 1))
    late = parse_date(raw, today=dt.date(2031, 7, 19))
    assert early == late
    assert early.value is not None


def test_today_only_moves_the_future_boundary() -> None:
    assert parse_date("May 2022", today=dt.date(2022, 4, 30)).flag == "implausible"
    assert parse_date("May 2022", today=dt.date(2022, 5, 1)).value == dt.date(2022, 5, 1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("2020-12-01", M), ("2020-12-10", D), ("2020-12-10", D)),
        (("2020-12-10", D), ("2020-12-01", M), ("2020-12-10", D)),
        (("2021-01-01", Y), ("2021-04-01", M), ("2021-04-01", M)),
        (("2021-04-01", M), ("2021-01-01", Y), ("2021-04-01", M)),
        ((None, None), ("2021-01-01", Y), ("2021-01-01", Y)),
        (("2021-01-01", Y), (None, None), ("2021-01-01", Y)),
        (("2021-04-01", M), ("2021-05-01", M), ("2021-04-01", M)),  # tie keeps a
        (("2021-04-15", D), ("2021-04-16", D), ("2021-04-15", D)),
        ((None, None), (None, None), (None, None)),
    ],
)
def test_more_precise(
    a: tuple[str | None, str | None],
    b: tuple[str | None, str | None],
    expected: tuple[str | None, str | None],
) -> None:
    def make(pair: tuple[str | None, str | None]) -> ParsedDate:
        return ParsedDate(dt.date.fromisoformat(pair[0]) if pair[0] else None, pair[1], None)

    assert more_precise(make(a), make(b)) == make(expected)


def test_tie_keeps_first_even_when_flags_differ() -> None:
    a = ParsedDate(None, None, "unparsed")
    b = ParsedDate(None, None, "implausible")
    assert more_precise(a, b) is a


def test_parsed_date_is_frozen() -> None:
    parsed = parse_date("April 2021", today=TODAY)
    with pytest.raises(AttributeError):
        parsed.value = None  # type: ignore[misc]


# --- properties ---------------------------------------------------------------------------

VALID_FLAGS = {None, "unparsed", "implausible", "too_long", "ambiguous", "future"}

# Fragments that steer random strings into the exact formats and into dateparser.
DATE_FRAGMENTS = st.sampled_from(
    ["April", "abril", "de", "2021", "1989", "2031", "15", "31", "12", "/", "-", ",", " ", ".",
     "Thursday", "Wed,", "T", ":", "00", "am", "–", "Noviembre", "th", "0", "+0400", "º"]
)  # fmt: skip
DATE_LIKE = st.lists(st.one_of(DATE_FRAGMENTS, st.text(max_size=3)), max_size=12).map("".join)


def check_invariants(parsed: ParsedDate) -> None:
    assert parsed.flag in VALID_FLAGS
    if parsed.value is None:
        assert parsed.precision is None
    else:
        assert parsed.precision in {"day", "month", "year"}
        assert dt.date(1990, 1, 1) <= parsed.value <= TODAY
        if parsed.precision != "day":
            assert parsed.value.day == 1
        if parsed.precision == "year":
            assert parsed.value.month == 1


@given(st.one_of(st.none(), st.text(max_size=150), DATE_LIKE))
@settings(max_examples=500, deadline=None)
def test_parse_date_never_raises(raw: str | None) -> None:
    with finishes():
        parsed = parse_date(raw, today=TODAY)
    check_invariants(parsed)


@given(st.text(min_size=1, max_size=20).map(lambda s: s * 5_000))
@settings(max_examples=30, deadline=None)
def test_huge_strings_return(raw: str) -> None:
    with finishes():
        parsed = parse_date(raw, today=TODAY)
    check_invariants(parsed)


def test_hundred_thousand_char_date_is_too_long() -> None:
    raw = "April 2021 " + "x" * 100_000
    assert parse_date(raw, today=TODAY) == ParsedDate(None, None, "too_long")


@given(DATE_LIKE)
@settings(max_examples=200, deadline=None)
def test_parse_date_is_deterministic(raw: str) -> None:
    assert parse_date(raw, today=TODAY) == parse_date(raw, today=TODAY)


# --- the Scrapy pipeline -----------------------------------------------------------------


def make_pipeline(**settings_dict: object) -> tuple[DatePipeline, object]:
    crawler = get_crawler(settings_dict={"REGMIG_DATES_TODAY": "2025-06-01", **settings_dict})
    return DatePipeline.from_crawler(crawler), crawler


def test_pipeline_sets_fields_and_counts() -> None:
    pipeline, crawler = make_pipeline()
    raws = ["April 2021", "February 28, 2019", "2021", "12/08/2021", "TBD", "July 2025", None]
    items = [PublicationRecord(date_raw=raw) for raw in raws]
    for item in items:
        pipeline.process_item(item)
    assert [(i["published"], i["date_precision"], i["date_flag"]) for i in items] == [
        (dt.date(2021, 4, 1), "month", None),
        (dt.date(2019, 2, 28), "day", None),
        (dt.date(2021, 1, 1), "year", None),
        (dt.date(2021, 12, 8), "day", "ambiguous"),
        (None, None, "unparsed"),
        (None, None, "implausible"),
        (None, None, None),
    ]
    assert items[4]["date_raw"] == "TBD"  # the raw text stays beside the parsed value
    pipeline.close_spider()  # the counts reach the stats at close
    stats = crawler.stats
    assert stats.get_value("regmig/dates/parsed/month") == 1
    assert stats.get_value("regmig/dates/parsed/day") == 2
    assert stats.get_value("regmig/dates/parsed/year") == 1
    assert stats.get_value("regmig/dates/ambiguous") == 1
    assert stats.get_value("regmig/dates/failed/unparsed") == 1
    assert stats.get_value("regmig/dates/failed/implausible") == 1
    assert stats.get_value("regmig/dates/missing") == 1


def test_pipeline_counts_too_long() -> None:
    pipeline, crawler = make_pipeline()
    pipeline.process_item(PublicationRecord(date_raw="E.g., 12/08/2021 " * 20))
    pipeline.close_spider()  # the counts reach the stats at close
    assert crawler.stats.get_value("regmig/dates/failed/too_long") == 1


def test_pipeline_parses_posted_date() -> None:
    pipeline, crawler = make_pipeline()
    item = PublicationRecord(
        date_raw="Tuesday, May 24, 2022", posted_raw="Wed, 18 May 2022 16:15:34 -0400"
    )
    pipeline.process_item(item)
    assert (item["published"], item["posted"]) == (dt.date(2022, 5, 24), dt.date(2022, 5, 18))
    pipeline.close_spider()  # the counts reach the stats at close
    assert crawler.stats.get_value("regmig/dates/posted/parsed") == 1
    no_post = PublicationRecord(date_raw="April 2021")
    pipeline.process_item(no_post)
    assert no_post["posted"] is None


def test_pipeline_reads_today_and_order_settings() -> None:
    pipeline, _ = make_pipeline(REGMIG_DATES_TODAY="2021-04-10", REGMIG_DATES_ORDER="DMY")
    items = [PublicationRecord(date_raw=raw) for raw in ("April 15, 2021", "12/08/2020")]
    for item in items:
        pipeline.process_item(item)
    assert (items[0]["date_flag"], items[1]["published"]) == ("implausible", dt.date(2020, 8, 12))


def test_pipeline_reads_languages_and_min_year() -> None:
    pipeline, _ = make_pipeline(REGMIG_DATES_LANGUAGES=["en"], REGMIG_DATES_MIN_YEAR=2020)
    items = [PublicationRecord(date_raw=raw) for raw in ("Noviembre 2020", "November 2019")]
    for item in items:
        pipeline.process_item(item)
    assert [i["date_flag"] for i in items] == ["unparsed", "implausible"]


def test_pipeline_today_defaults_to_crawl_start() -> None:
    crawler = get_crawler(settings_dict={})
    assert DatePipeline.from_crawler(crawler).today == dt.date.today()


def test_pipeline_accepts_plain_dicts_and_odd_values() -> None:
    pipeline, crawler = make_pipeline()
    item = {"date_raw": 2021, "posted_raw": ["April 2021"]}
    pipeline.process_item(item)
    assert (item["published"], item["date_flag"], item["posted"]) == (None, "unparsed", None)
    pipeline.close_spider()  # the counts reach the stats at close
    assert crawler.stats.get_value("regmig/dates/failed/unparsed") == 1


def test_pipeline_can_be_disabled() -> None:
    with pytest.raises(NotConfigured):
        make_pipeline(REGMIG_DATES_ENABLED=False)


@pytest.mark.parametrize(
    "settings_dict",
    [
        {"REGMIG_DATES_ORDER": "YDM"},
        {"REGMIG_DATES_TODAY": "yesterday"},
        {"REGMIG_DATES_LANGUAGES": ["en", "klingon"]},
    ],
)
def test_pipeline_rejects_bad_settings_at_start(settings_dict: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        make_pipeline(**settings_dict)


class DayFirstSite:
    """A European site: numeric dates day first, French and English month names."""

    name = "dayfirst"
    rules = SiteRules(date_order="DMY", languages=("fr", "en"))


def test_pipeline_reads_each_record_by_its_sites_conventions() -> None:
    pipeline, _ = make_pipeline(REGMIG_SITES={"dayfirst": "tests.test_dates.DayFirstSite"})
    us, eu = ({"site": site, "date_raw": "04/05/2021"} for site in (None, "dayfirst"))
    french = {"site": "dayfirst", "date_raw": "12 avril 2022"}
    for record in (us, eu, french):
        pipeline.process_item(record)
    assert us["published"] == dt.date(2021, 4, 5)
    assert eu["published"] == dt.date(2021, 5, 4)
    assert (french["published"], french["date_precision"]) == (dt.date(2022, 4, 12), "day")
