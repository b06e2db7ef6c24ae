"""Fill rates of the dataset's columns, and a gate that fails a run when they drop.

When the site changes its markup, extraction rarely fails loudly: titles or dates simply stop
coming through. The fill rate of a column (the share of rows where it holds a value) catches
that. ``fill_rates(rows)`` computes it over the merged rows of a run, ``fill_rates_table``
over a pyarrow table (the report), with one definition of "filled":

- null (and a float NaN) is empty;
- a string is filled when it is not blank (``str.strip()``) and not a placeholder that means
  "unknown" for its column (``PLACEHOLDERS``: ``language`` "und");
- a list, tuple, set or mapping is filled when it is not empty;
- anything else that is not null is filled (``False``, ``0``, a date).

``quality_gate(fill_counter, thresholds)`` is the gate a run passes before its commit (the
dataset layer records each failed column as ``regmig/quality/failed/<column>``, which fails
the run). ``check_fill_rates(rates, thresholds)`` returns the violations as one-line
messages ("fill rate of title is 42.0% below 90.0%: the site may have changed");
``fill_rate_violations`` gives the same messages keyed by column.

Settings (read by the dataset pipeline):

``REGMIG_MIN_FILL_RATES``
    dict column -> minimum fill rate (a fraction, 0-1), default in ``regmig_scraper.settings``
    (``DEFAULT_MIN_FILL_RATES`` here); ``{}`` turns the gate off. On the
    command line: ``-s 'REGMIG_MIN_FILL_RATES={"title": 0.8}'``. ``parse_min_fill_rates``
    validates it (known columns, numbers in 0-1).

Pure functions; no Scrapy import (pyarrow only for ``fill_rates_table``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from regmig_scraper import settings as _settings

if TYPE_CHECKING:
    import pyarrow as pa

logger = logging.getLogger(__name__)

# The REGMIG_MIN_FILL_RATES default, defined in regmig_scraper.settings (a plain module, no
# Scrapy import), for the callers that have no crawler settings (the report).
DEFAULT_MIN_FILL_RATES: dict[str, float] = dict(_settings.REGMIG_MIN_FILL_RATES)

# String values that stand for "unknown" in a column: present, but no information.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "language": frozenset({"und"}),  # ISO 639-2 "undetermined", set when detection fails
}

# Appended to every violation: the likely cause, for whoever reads the scheduler's log.
VIOLATION_HINT = "the site may have changed"


def is_filled(value: Any, placeholders: Collection[str] = ()) -> bool:
    """Whether one value counts as filled (see the module docstring).

    >>> [is_filled(v) for v in (None, "", "  ", "A", [], ["A"], False, 0, float("nan"))]
    [False, False, False, True, False, True, True, True, False]
    >>> is_filled("und", {"und"})
    False
    """
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip()) and value not in placeholders
    if isinstance(value, float):
        return not math.isnan(value)
    if isinstance(value, list | tuple | set | frozenset | Mapping):
        return len(value) > 0
    return True


def fill_rates(
    rows: Iterable[Mapping[str, Any]],
    columns: Iterable[str] | None = None,
    *,
    placeholders: Mapping[str, Collection[str]] = PLACEHOLDERS,
) -> dict[str, float]:
    """Share of ``rows`` (0-1) where each column is filled, keyed by column.

    ``columns`` defaults to every key of the rows, in order of first appearance; a row without
    a column counts as empty. No rows: every rate is 0.0 (no data is no evidence of quality).

    >>> fill_rates([{"title": "A", "authors": []}, {"title": " ", "authors": ["B"]}])
    {'title': 0.5, 'authors': 0.5}
    """
    rows = list(rows)
    if columns is None:
        columns = dict.fromkeys(name for row in rows for name in row)
    counter = FillCounter(columns, placeholders=placeholders)
    for row in rows:
        counter.add(row)
    return counter.rates()


class FillCounter:
    """``fill_rates`` one row at a time, for rows streamed rather than held in memory."""

    def __init__(
        self,
        columns: Iterable[str],
        *,
        placeholders: Mapping[str, Collection[str]] = PLACEHOLDERS,
    ) -> None:
        self.names = list(dict.fromkeys(columns))
        self.placeholders = placeholders
        self.filled = dict.fromkeys(self.names, 0)
        self.rows = 0

    def add(self, row: Mapping[str, Any]) -> None:
        self.rows += 1
        for name in self.names:
            if is_filled(row.get(name), self.placeholders.get(name, ())):
                self.filled[name] += 1

    def rates(self) -> dict[str, float]:
        """Share of the rows seen so far where each column is filled (0.0 with no rows)."""
        if not self.rows:
            return dict.fromkeys(self.names, 0.0)
        return {name: self.filled[name] / self.rows for name in self.names}


def fill_rates_table(
    table: pa.Table, *, placeholders: Mapping[str, Collection[str]] = PLACEHOLDERS
) -> dict[str, float]:
    """``fill_rates`` over a pyarrow table, vectorized: same definition, every column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def filled_mask(name: str, column: pa.ChunkedArray) -> pa.ChunkedArray:
        kind = column.type
        mask = pc.is_valid(column)
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            trimmed = pc.utf8_length(pc.utf8_trim_whitespace(column))
            mask = pc.and_(mask, pc.greater(trimmed, 0))
            if placeholders.get(name):
                unknown = pa.array(sorted(placeholders[name]), type=kind)
                mask = pc.and_(mask, pc.invert(pc.is_in(column, value_set=unknown)))
        elif pa.types.is_floating(kind):
            mask = pc.and_(mask, pc.invert(pc.is_nan(column)))
        elif pa.types.is_map(kind):  # a map is a list of key/item structs
            entries = column.cast(pa.list_(pa.struct([kind.key_field, kind.item_field])))
            mask = pc.and_(mask, pc.greater(pc.list_value_length(entries), 0))
        elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
            mask = pc.and_(mask, pc.greater(pc.list_value_length(column), 0))
        return pc.fill_null(mask, False)

    rows = table.num_rows
    rates: dict[str, float] = {}
    for name in table.column_names:
        if rows == 0:
            rates[name] = 0.0
            continue
        filled = pc.sum(filled_mask(name, table.column(name))).as_py() or 0
        rates[name] = filled / rows
    return rates


def parse_min_fill_rates(
    value: Mapping[str, Any] | None, columns: Collection[str] | None = None
) -> dict[str, float]:
    """The ``REGMIG_MIN_FILL_RATES`` setting, checked: ``{column: fraction}``.

    Raises ``ValueError`` for a value that is not a number in 0-1, or, when ``columns`` is
    given, a column the dataset does not have (a typo would otherwise disable the gate or
    fail every run).
    """
    if value is None:
        return dict(DEFAULT_MIN_FILL_RATES)
    if not isinstance(value, Mapping):
        raise ValueError(f"REGMIG_MIN_FILL_RATES must be a dict column -> 0-1, got {value!r}")
    thresholds: dict[str, float] = {}
    for name, raw in value.items():
        if columns is not None and name not in columns:
            raise ValueError(
                f"REGMIG_MIN_FILL_RATES: unknown column {name!r}; columns: {sorted(columns)}"
            )
        try:
            minimum = float(raw)
        except (TypeError, ValueError):
            raise ValueError(
                f"REGMIG_MIN_FILL_RATES[{name!r}] must be a number in 0-1, got {raw!r}"
            ) from None
        if not 0.0 <= minimum <= 1.0:
            raise ValueError(f"REGMIG_MIN_FILL_RATES[{name!r}] must be in 0-1, got {raw!r}")
        thresholds[str(name)] = minimum
    return thresholds


def _percents(rate: float, minimum: float) -> tuple[str, str]:
    """Both as percentages, with enough decimals that a rate below the minimum shows below."""
    for digits in range(1, 7):
        shown = f"{rate:.{digits}%}", f"{minimum:.{digits}%}"
        if shown[0] != shown[1]:
            return shown
    return f"{rate:%}", f"{minimum:%}"


def fill_rate_violations(
    rates: Mapping[str, float], thresholds: Mapping[str, float]
) -> dict[str, str]:
    """Columns whose fill rate is below their minimum -> a one-line message, in threshold order.

    A column with a threshold but no rate (absent from the rows) is a violation too.

    >>> fill_rate_violations({"title": 0.42, "language": 1.0}, {"title": 0.9, "language": 0.9})
    {'title': 'fill rate of title is 42.0% below 90.0%: the site may have changed'}
    """
    violations: dict[str, str] = {}
    for name, minimum in thresholds.items():
        rate = rates.get(name)
        if rate is None:
            violations[name] = f"fill rate of {name} is unknown (no such column in the rows)"
        elif rate < minimum:
            shown, least = _percents(rate, minimum)
            violations[name] = f"fill rate of {name} is {shown} below {least}: {VIOLATION_HINT}"
    return violations


def quality_gate(fill: FillCounter, thresholds: Mapping[str, float]) -> dict[str, str]:
    """The gate at the end of a run: the columns ``fill`` counted below their minimum ->
    message. A run without rows passes: "no publication" is the exit policy's to report."""
    if not fill.rows:
        return {}
    return fill_rate_violations(fill.rates(), thresholds)


def check_fill_rates(rates: Mapping[str, float], thresholds: Mapping[str, float]) -> list[str]:
    """The violations of ``thresholds`` by ``rates`` as readable messages; [] when all pass."""
    return list(fill_rate_violations(rates, thresholds).values())
