"""Tests for regmig_scraper/quality.py: what counts as filled, fill rates, the gate's messages."""

from __future__ import annotations

import datetime as dt
import doctest
import math

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regmig_scraper import quality
from regmig_scraper.dataset.schema import PUBLICATIONS_SCHEMA, rows_to_table
from regmig_scraper.quality import (
    DEFAULT_MIN_FILL_RATES,
    check_fill_rates,
    fill_rate_violations,
    fill_rates,
    fill_rates_table,
    is_filled,
    parse_min_fill_rates,
)

# (value, placeholders of its column, filled?)
FILLED_CASES = [
    ("Laying the Foundation for Regional Cooperation", (), True),
    ("Sentando las bases para una cooperación regional", (), True),
    ("A", (), True),
    ("", (), False),
    ("   ", (), False),
    ("\n\t", (), False),
    ("\xa0", (), False),  # a non-breaking space alone is blank
    ("\u3000", (), False),  # ideographic space
    ("und", {"und"}, False),  # language placeholder: present, but unknown
    ("und", (), True),  # the same string in another column is a value
    ("en", {"und"}, True),
    (" und", {"und"}, True),  # only the exact placeholder is unknown
    (None, (), False),
    ([], (), False),
    (["Andrew Selee"], (), True),
    ([""], (), True),  # a list with an element is not empty
    ((), (), False),
    ({}, (), False),
    ({"regmig/pages/failed/404": 1}, (), True),
    (False, (), True),  # page_fetched = False is a value
    (True, (), True),
    (0, (), True),
    (0.0, (), True),
    (0.97, (), True),
    (float("nan"), (), False),
    (dt.date(2021, 4, 1), (), True),
    (dt.datetime(2026, 11, 28, tzinfo=dt.UTC), (), True),
]


@pytest.mark.parametrize(("value", "placeholders", "filled"), FILLED_CASES)
def test_is_filled(value, placeholders, filled):
    assert is_filled(value, placeholders) is filled


# (rows, columns, expected rates)
RATE_CASES = [
    ([{"title": "A"}, {"title": ""}], None, {"title": 0.5}),
    ([{"title": "A"}, {"title": None}, {"title": "B"}, {"title": " "}], None, {"title": 0.5}),
    ([{"a": 1}, {"b": 2}], None, {"a": 0.5, "b": 0.5}),  # a missing key is empty
    ([{"authors": []}, {"authors": ["A"]}], None, {"authors": 0.5}),
    ([{"language": "und"}, {"language": "es"}], None, {"language": 0.5}),
    ([{"language": "en"}, {"language": "es"}], None, {"language": 1.0}),
    ([{"page_fetched": False}, {"page_fetched": None}], None, {"page_fetched": 0.5}),
    ([{"title": "A", "x": 1}], ["title", "published"], {"title": 1.0, "published": 0.0}),
    ([], None, {}),
    ([], ["title"], {"title": 0.0}),  # no rows is no evidence of quality
]


@pytest.mark.parametrize(("rows", "columns", "expected"), RATE_CASES)
def test_fill_rates(rows, columns, expected):
    assert fill_rates(rows, columns) == expected


def test_fill_rates_keeps_column_order_of_first_appearance():
    rows = [{"b": 1, "a": None}, {"c": "x", "a": 2}]
    assert list(fill_rates(rows)) == ["b", "a", "c"]


def test_fill_rates_accepts_a_generator():
    assert fill_rates({"title": t} for t in ["A", "", "B", "C"]) == {"title": 0.75}


def test_fill_rates_placeholders_can_be_overridden():
    rows = [{"language": "und"}, {"language": "en"}]
    assert fill_rates(rows, placeholders={}) == {"language": 1.0}


def test_fill_rates_table_on_the_publication_schema():
    rows = [
        {
            "id": "a" * 16,
            "url": "https://www.migrationpolicy.org/research/a",
            "title": "A",
            "language": "en",
            "language_confidence": 0.99,
            "published": dt.date(2021, 4, 1),
            "authors": ["Andrew Selee"],
            "page_fetched": True,
        },
        {
            "id": "b" * 16,
            "url": "https://www.migrationpolicy.org/research/b",
            "title": "  ",
            "language": "und",
            "language_confidence": float("nan"),
            "authors": [],
            "page_fetched": False,
        },
    ]
    rates = fill_rates_table(rows_to_table(rows, PUBLICATIONS_SCHEMA))
    assert list(rates) == PUBLICATIONS_SCHEMA.names
    assert rates["id"] == 1.0
    assert rates["title"] == 0.5
    assert rates["language"] == 0.5
    assert rates["language_confidence"] == 0.5
    assert rates["published"] == 0.5
    assert rates["authors"] == 0.5
    assert rates["page_fetched"] == 1.0
    assert rates["summary"] == 0.0
    assert rates == fill_rates(rows, PUBLICATIONS_SCHEMA.names)


def test_fill_rates_table_empty_table():
    assert set(fill_rates_table(PUBLICATIONS_SCHEMA.empty_table()).values()) == {0.0}


def test_fill_rates_table_map_column():
    errors = pa.array([[("x", 1)], [], None], type=pa.map_(pa.string(), pa.int64()))
    assert fill_rates_table(pa.table({"errors": errors})) == {"errors": pytest.approx(1 / 3)}


_TEXT = st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["und", " ", "\xa0", "en"]))
_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "title": _TEXT,
            "language": _TEXT,
            "authors": st.one_of(st.none(), st.lists(st.text(max_size=4), max_size=3)),
            "language_confidence": st.one_of(st.none(), st.floats(allow_nan=True)),
            "page_fetched": st.one_of(st.none(), st.booleans()),
        }
    ),
    max_size=12,
)
_TYPES = {
    "title": pa.string(),
    "language": pa.string(),
    "authors": pa.list_(pa.string()),
    "language_confidence": pa.float64(),
    "page_fetched": pa.bool_(),
}


@settings(max_examples=200, deadline=None)
@given(_ROWS)
def test_table_and_rows_agree_on_arbitrary_values(rows):
    table = pa.table(
        {name: pa.array([r[name] for r in rows], type=t) for name, t in _TYPES.items()}
    )
    by_rows = fill_rates(rows, list(_TYPES))
    assert fill_rates_table(table) == pytest.approx(by_rows)
    assert all(0.0 <= rate <= 1.0 for rate in by_rows.values())


@given(st.text())
def test_is_filled_never_raises_on_unicode(text):
    assert is_filled(text) is bool(text.strip())


def test_default_thresholds():
    assert DEFAULT_MIN_FILL_RATES == {"title": 0.9, "published": 0.5, "language": 0.9}


# (rates, thresholds, messages)
CHECK_CASES = [
    ({"title": 1.0}, {"title": 0.9}, []),
    ({"title": 0.9}, {"title": 0.9}, []),  # the minimum itself passes
    (
        {"title": 0.42},
        {"title": 0.9},
        ["fill rate of title is 42.0% below 90.0%: the site may have changed"],
    ),
    (
        {"title": 0.8999},
        {"title": 0.9},
        ["fill rate of title is 89.99% below 90.00%: the site may have changed"],
    ),
    (
        {"title": 0.0, "published": 0.1, "language": 1.0},
        {"title": 0.9, "published": 0.5, "language": 0.9},
        [
            "fill rate of title is 0.0% below 90.0%: the site may have changed",
            "fill rate of published is 10.0% below 50.0%: the site may have changed",
        ],
    ),
    ({"title": 0.0}, {}, []),  # no thresholds: the gate is off
    ({}, {"title": 0.9}, ["fill rate of title is unknown (no such column in the rows)"]),
]


@pytest.mark.parametrize(("rates", "thresholds", "messages"), CHECK_CASES)
def test_check_fill_rates(rates, thresholds, messages):
    assert check_fill_rates(rates, thresholds) == messages


def test_violations_are_keyed_by_column_in_threshold_order():
    rates = {"title": 0.1, "language": 0.2, "published": 0.9}
    violations = fill_rate_violations(rates, {"language": 0.9, "title": 0.9, "published": 0.5})
    assert list(violations) == ["language", "title"]
    assert violations["title"].startswith("fill rate of title is 10.0% below 90.0%")


def test_gate_on_rows_end_to_end():
    rows = [{"title": "A", "published": None, "language": "und"}] * 3 + [
        {"title": "", "published": dt.date(2021, 1, 1), "language": "en"}
    ]
    assert check_fill_rates(fill_rates(rows), DEFAULT_MIN_FILL_RATES) == [
        "fill rate of title is 75.0% below 90.0%: the site may have changed",
        "fill rate of published is 25.0% below 50.0%: the site may have changed",
        "fill rate of language is 25.0% below 90.0%: the site may have changed",
    ]


# (setting value, parsed)
PARSE_CASES = [
    (None, DEFAULT_MIN_FILL_RATES),
    ({}, {}),
    ({"title": 0.8}, {"title": 0.8}),
    ({"title": "0.8"}, {"title": 0.8}),  # -s values arrive as strings
    ({"title": 1}, {"title": 1.0}),
    ({"title": 0}, {"title": 0.0}),
]


@pytest.mark.parametrize(("value", "parsed"), PARSE_CASES)
def test_parse_min_fill_rates(value, parsed):
    assert parse_min_fill_rates(value, PUBLICATIONS_SCHEMA.names) == parsed


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"titel": 0.9}, "unknown column 'titel'"),
        ({"title": 1.5}, "must be in 0-1"),
        ({"title": -0.1}, "must be in 0-1"),
        ({"title": "most"}, "must be a number in 0-1"),
        ({"title": None}, "must be a number in 0-1"),
        ({"title": math.nan}, "must be in 0-1"),
        ("title=0.9", "must be a dict"),
    ],
)
def test_parse_min_fill_rates_refuses(value, message):
    with pytest.raises(ValueError, match=message):
        parse_min_fill_rates(value, PUBLICATIONS_SCHEMA.names)


def test_parse_min_fill_rates_without_columns_accepts_any_name():
    assert parse_min_fill_rates({"anything": 0.5}) == {"anything": 0.5}


def test_doctests():
    assert doctest.testmod(quality).failed == 0


def test_fill_rates_of_many_rows():
    rows = [
        {"title": f"T{i}", "language": "en" if i % 4 else "und", "authors": ["A"] * (i % 2)}
        for i in range(20_000)
    ]
    rows[0]["published"] = dt.date(2021, 4, 1)
    assert fill_rates(rows, placeholders={"language": {"und"}}) == {
        "title": 1.0,
        "language": 0.75,
        "authors": 0.5,
        "published": 1 / 20_000,
    }
