"""A report on a crawl's dataset, for the data team: counts, fill rates, quality flags, runs.

``build_report(output)`` reads ``OUTPUT/publications/`` and ``OUTPUT/runs/`` with the store's
own readers (``DatasetStore.read_publications``/``read_runs``: every visible ``*.parquet``
file, upgraded to the current schema) and computes a
``Report``: publications by content type, language and year of ``published``, the top
authors, the fill rate of every column (``regmig_scraper.quality``: non-null, non-blank,
non-empty), quality flags (undated, authorless among types that normally have authors,
untitled, language unknown, page not fetched, date flagged) with example rows, and the last
runs. ``render_text(report)`` formats it for a terminal; ``render_html(report)`` as one
self-contained HTML page (inline CSS and SVG charts, no script, no external resource).

Deterministic: the same dataset gives the same text and HTML, byte for byte (ties are
broken by name, no wall clock: the only times shown are the dataset's own; the output path
is shown as given).
A missing or empty dataset raises ``ReportError``; so does a file the store could not read.

No settings (the fill-rate minimums shown are ``quality.DEFAULT_MIN_FILL_RATES`` unless
given); pyarrow only, no Scrapy import.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from regmig_scraper import __version__, atomic
from regmig_scraper.dataset.schema import RUNS_SCHEMA, DatasetError
from regmig_scraper.dataset.store import DatasetStore
from regmig_scraper.quality import (
    DEFAULT_MIN_FILL_RATES,
    PLACEHOLDERS,
    fill_rate_violations,
    fill_rates_table,
)

logger = logging.getLogger(__name__)

HTML_NAME = "report.html"  # written into the output directory by ``regmig report``

# Content types whose publications normally carry a byline: one without authors is suspect.
# (Videos, audio, webinars and events name speakers, who are not authors.)
AUTHORED_TYPES: tuple[str, ...] = ("report", "policy_brief", "commentary", "article", "fact_sheet")
UNKNOWN_LANGUAGE = "und"
MISSING = "(none)"  # how a null content type or language is shown
TOP_AUTHORS = 15
LAST_RUNS = 10
FLAG_EXAMPLES = 5  # example rows kept per quality flag (first by URL)
# The year chart shows every year between the first and the last (empty years included, so
# gaps are visible) unless that spans more than this many years; then only the years present.
MAX_YEAR_SPAN = 60

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
# The year chart gives each of the most frequent languages one of these colours; the rest
# share the OTHER_LANGUAGES series (its tooltips name them).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
OTHER_LANGUAGES = "other"
OTHER_COLOR = "#3D3D3D"
UNKNOWN_COLOR = "#9A9A9A"  # language "und" or missing
TYPE_BAR_COLOR = "#0072B2"


class ReportError(Exception):
    """No dataset to report on, or one that cannot be read."""


@dataclass(frozen=True)
class FlagExample:
    url: str
    title: str
    detail: str  # what makes it flagged, as stored ("date_raw", the type, ...)


@dataclass(frozen=True)
class QualityFlag:
    name: str  # stable key: "undated", "authorless", ...
    description: str
    count: int
    base: int  # rows the flag applies to (all publications, or the authored types)
    examples: tuple[FlagExample, ...] = ()
    breakdown: tuple[tuple[str, int], ...] = ()  # e.g. date_flag value -> count

    @property
    def share(self) -> float:
        return self.count / self.base if self.base else 0.0


@dataclass(frozen=True)
class RunSummary:
    crawl_id: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    pages_fetched: int | None
    publications_total: int | None
    new: int | None
    changed: int | None
    unchanged: int | None
    not_seen: int | None
    errors: int
    exit_status: int | None

    @property
    def seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


@dataclass(frozen=True)
class Report:
    source: str  # the output directory, as given
    publications: int
    programs: tuple[str, ...]
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    by_type: tuple[tuple[str, int], ...]  # most first; ties by name
    by_language: tuple[tuple[str, int], ...]  # most first; "und" and missing last
    by_year: tuple[tuple[int | None, int], ...]  # ascending, undated (None) last
    by_year_language: tuple[tuple[int, tuple[tuple[str, int], ...]], ...]  # dated years only
    top_authors: tuple[tuple[str, int], ...]
    authors_distinct: int
    fill_rates: dict[str, float]  # every column, schema order
    min_fill_rates: dict[str, float]
    fill_rate_violations: dict[str, str]
    flags: tuple[QualityFlag, ...]
    runs: tuple[RunSummary, ...]  # newest first, at most LAST_RUNS
    runs_total: int = 0
    languages: tuple[str, ...] = field(default=())  # legend order (= by_language order)

    @property
    def undated(self) -> int:
        return sum(count for year, count in self.by_year if year is None)


# --------------------------------------------------------------------------- reading


def read_publications(output: Path) -> pa.Table:
    """``OUTPUT/publications/`` as one table; ``ReportError`` when missing or empty."""
    try:
        table = DatasetStore(output).read_publications()
    except DatasetError as error:
        raise ReportError(str(error)) from error
    if table.num_rows == 0:
        raise ReportError(f"no dataset at {output}: run `regmig crawl` first")
    return table


def read_runs(output: Path) -> pa.Table:
    """``OUTPUT/runs/`` as one table (possibly empty), oldest first."""
    try:
        return DatasetStore(output).read_runs()
    except DatasetError as error:
        raise ReportError(str(error)) from error


# --------------------------------------------------------------------------- computing


def _ranked(counts: Counter[str], last: Iterable[str] = ()) -> tuple[tuple[str, int], ...]:
    """Most first, ties by name; the ``last`` keys (unknown values) after all others."""
    tail = set(last)
    return tuple(sorted(counts.items(), key=lambda item: (item[0] in tail, -item[1], item[0])))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _examples(
    rows: Iterable[Mapping[str, Any]], detail: str | None = None
) -> tuple[FlagExample, ...]:
    chosen = sorted(rows, key=lambda row: row["url"])[:FLAG_EXAMPLES]
    return tuple(
        FlagExample(
            url=row["url"],
            title=(row.get("title") or "").strip(),
            detail="" if detail is None or row.get(detail) is None else str(row[detail]),
        )
        for row in chosen
    )


def quality_flags(rows: Sequence[Mapping[str, Any]]) -> tuple[QualityFlag, ...]:
    """The quality flags of publication rows (dicts of the publication columns)."""
    total = len(rows)
    authored = [row for row in rows if row.get("content_type") in AUTHORED_TYPES]
    undated = [row for row in rows if row.get("published") is None]
    authorless = [row for row in authored if not row.get("authors")]
    untitled = [row for row in rows if _blank(row.get("title"))]
    unknown_language = [row for row in rows if row.get("language") in (None, "", UNKNOWN_LANGUAGE)]
    not_fetched = [row for row in rows if row.get("page_fetched") is False]
    # an upcoming event's date ("future") is its date: neither unparsed nor doubtful
    date_flagged = [row for row in rows if row.get("date_flag") not in (None, "future")]
    date_flags = Counter(str(row["date_flag"]) for row in date_flagged)
    return (
        QualityFlag(
            "undated",
            "no publication date (published is null)",
            len(undated),
            total,
            _examples(undated, "date_raw"),
        ),
        QualityFlag(
            "authorless",
            "no authors, among " + ", ".join(AUTHORED_TYPES),
            len(authorless),
            len(authored),
            _examples(authorless, "content_type"),
        ),
        QualityFlag("untitled", "no title", len(untitled), total, _examples(untitled)),
        QualityFlag(
            "language_unknown",
            f'language "{UNKNOWN_LANGUAGE}" (or missing)',
            len(unknown_language),
            total,
            _examples(unknown_language, "language_confidence"),
        ),
        QualityFlag(
            "page_not_fetched",
            "known from listings only (page_fetched is false)",
            len(not_fetched),
            total,
            _examples(not_fetched),
        ),
        QualityFlag(
            "date_flagged",
            "date not parsed or doubtful (date_flag is set)",
            len(date_flagged),
            total,
            _examples(date_flagged, "date_raw"),
            _ranked(date_flags),
        ),
    )


def _run_summaries(runs: pa.Table) -> tuple[RunSummary, ...]:
    columns = [name for name in RUNS_SCHEMA.names if name != "stats_json"]
    rows = runs.select(columns).to_pylist()
    rows.sort(
        key=lambda row: (
            row["started_at"] or dt.datetime.min.replace(tzinfo=dt.UTC),
            row["crawl_id"],
        ),
        reverse=True,
    )
    return tuple(
        RunSummary(
            crawl_id=row["crawl_id"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            pages_fetched=row["pages_fetched"],
            publications_total=row["publications_total"],
            new=row["publications_new"],
            changed=row["publications_changed"],
            unchanged=row["publications_unchanged"],
            not_seen=row["publications_not_seen"],
            errors=sum(count or 0 for _kind, count in row["errors"] or ()),
            exit_status=row["exit_status"],
        )
        for row in rows[:LAST_RUNS]
    )


def build_report(output: Path, *, min_fill_rates: Mapping[str, float] | None = None) -> Report:
    """Read the dataset under ``output`` and compute its ``Report``.

    ``min_fill_rates`` (default ``quality.DEFAULT_MIN_FILL_RATES``) marks the columns whose
    fill rate is below the quality gate's minimum. Raises ``ReportError`` when there is no
    dataset (``no dataset at OUTPUT: run `regmig crawl` first``) or a file cannot be read.
    """
    publications = read_publications(output)
    runs = read_runs(output)
    minimums = dict(DEFAULT_MIN_FILL_RATES if min_fill_rates is None else min_fill_rates)
    rates = fill_rates_table(publications)

    wanted = [
        "url",
        "title",
        "content_type",
        "language",
        "language_confidence",
        "published",
        "date_raw",
        "date_flag",
        "authors",
        "page_fetched",
        "program",
    ]
    rows = publications.select(wanted).to_pylist()
    types = Counter(row["content_type"] or MISSING for row in rows)
    languages = Counter(row["language"] or MISSING for row in rows)
    by_language = _ranked(languages, last=(UNKNOWN_LANGUAGE, MISSING))
    years = Counter(row["published"].year if row["published"] else None for row in rows)
    year_language: dict[int, Counter[str]] = {}
    for row in rows:
        if row["published"] is not None:
            year_language.setdefault(row["published"].year, Counter())[
                row["language"] or MISSING
            ] += 1
    authors: Counter[str] = Counter()
    for row in rows:
        names = (name.strip() for name in row["authors"] or () if name and name.strip())
        authors.update(set(names))  # publications per author, not mentions
    seen = publications.select(["first_seen_at", "last_seen_at"]).to_pydict()
    first = [value for value in seen["first_seen_at"] if value is not None]
    last = [value for value in seen["last_seen_at"] if value is not None]
    legend = tuple(code for code, _count in by_language)
    return Report(
        source=str(output),
        publications=len(rows),
        programs=tuple(sorted({row["program"] for row in rows if row["program"]})),
        first_seen=min(first) if first else None,
        last_seen=max(last) if last else None,
        by_type=_ranked(types, last=(MISSING,)),
        by_language=by_language,
        by_year=tuple(sorted(years.items(), key=lambda item: (item[0] is None, item[0] or 0))),
        by_year_language=tuple(
            (year, tuple((code, counts[code]) for code in legend if counts[code]))
            for year, counts in sorted(year_language.items())
        ),
        top_authors=_ranked(authors)[:TOP_AUTHORS],
        authors_distinct=len(authors),
        fill_rates=rates,
        min_fill_rates=minimums,
        fill_rate_violations=fill_rate_violations(rates, minimums),
        flags=quality_flags(rows),
        runs=_run_summaries(runs),
        runs_total=runs.num_rows,
        languages=legend,
    )


# --------------------------------------------------------------------------- formatting


def _when(value: dt.datetime | None) -> str:
    return "-" if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _pct(rate: float) -> str:
    return f"{rate:.1%}"


def _num(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _year(year: int | None) -> str:
    return "undated" if year is None else str(year)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# --------------------------------------------------------------------------- text


def _table(rows: Sequence[Sequence[str]], align: str, indent: int = 2) -> list[str]:
    """Rows aligned in columns; ``align`` has one "<" or ">" per column."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(align))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if how == "<" else cell.rjust(width)
            for cell, width, how in zip(row, widths, align, strict=True)
        ]
        lines.append((" " * indent + "  ".join(cells)).rstrip())
    return lines


def _side_by_side(blocks: Sequence[Sequence[str]], gap: int = 4) -> list[str]:
    widths = [max((len(line) for line in block), default=0) for block in blocks]
    height = max(len(block) for block in blocks)
    lines = []
    for i in range(height):
        parts = [
            (block[i] if i < len(block) else "").ljust(width)
            for block, width in zip(blocks, widths, strict=True)
        ]
        lines.append((" " * gap).join(parts).rstrip())
    return lines


def _counts_block(title: str, counts: Sequence[tuple[str, int]], total: int) -> list[str]:
    rows = [(name, f"{count:,}", _pct(count / total)) for name, count in counts]
    return [title, *_table(rows, "<>>")]


def render_text(report: Report) -> str:
    """The report for a terminal: aligned columns, about one screen for a typical dataset."""
    total = report.publications
    lines = [
        f"regmig report: {report.source}",
        f"  {_plural(total, 'publication')}, {_plural(report.authors_distinct, 'author')}, "
        f"{_plural(report.runs_total, 'run')}"
        + (f"; program: {', '.join(report.programs)}" if report.programs else ""),
        f"  first seen {_when(report.first_seen)} UTC, last seen {_when(report.last_seen)} UTC",
        "",
    ]
    lines += _side_by_side(
        [
            _counts_block("By type", report.by_type, total),
            _counts_block("By language", report.by_language, total),
            _counts_block("By year", [(_year(y), n) for y, n in report.by_year], total),
        ]
    )
    if report.top_authors:
        lines += ["", f"Top authors ({report.authors_distinct:,} in all)"]
        lines += _table([(name, f"{count:,}") for name, count in report.top_authors], "<>")

    lines += ["", "Fill rates"]
    cells = [
        (name, _pct(rate), "!" if name in report.fill_rate_violations else "")
        for name, rate in report.fill_rates.items()
    ]
    per_column = math.ceil(len(cells) / 3)
    lines += _side_by_side(
        [_table(cells[i : i + per_column], "<><") for i in range(0, len(cells), per_column)],
        gap=2,
    )
    gate = ", ".join(f"{name} >= {_pct(least)}" for name, least in report.min_fill_rates.items())
    if report.fill_rate_violations:
        lines.append(f"  quality gate FAILED ({gate}):")
        lines += [f"  ! {message}" for message in report.fill_rate_violations.values()]
    elif gate:
        lines.append(f"  quality gate passed ({gate})")

    lines += ["", "Quality flags"]
    flag_rows = [
        (flag.name, f"{flag.count:,}", _pct(flag.share), flag.description) for flag in report.flags
    ]
    for flag, line in zip(report.flags, _table(flag_rows, "<>><"), strict=True):
        breakdown = ", ".join(f"{name} {count}" for name, count in flag.breakdown)
        lines.append(line + (f" ({breakdown})" if breakdown else ""))
        lines += [f"      {example.url}" for example in flag.examples[:3]]

    lines += ["", f"Last runs ({len(report.runs)} of {report.runs_total})"]
    if report.runs:
        header = ("crawl_id", "started (UTC)", "time", "new", "changed", "unchanged", "not seen")
        run_rows = [(*header, "errors", "exit")]
        for run in report.runs:
            run_rows.append(
                (
                    run.crawl_id,
                    _when(run.started_at),
                    _duration(run.seconds),
                    _num(run.new),
                    _num(run.changed),
                    _num(run.unchanged),
                    _num(run.not_seen),
                    f"{run.errors:,}",
                    _num(run.exit_status),
                )
            )
        lines += _table(run_rows, "<<>>>>>>>")
    else:
        lines.append("  (no run recorded in runs/)")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- SVG charts


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def nice_ticks(maximum: int, target: int = 5) -> list[int]:
    """Integer axis ticks from 0 to a round number >= ``maximum`` (steps 1, 2, 5 x 10^k).

    >>> nice_ticks(16), nice_ticks(3), nice_ticks(0), nice_ticks(120)
    ([0, 5, 10, 15, 20], [0, 1, 2, 3], [0, 1], [0, 50, 100, 150])
    """
    if maximum <= 0:
        return [0, 1]
    raw = maximum / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, round(step))
    top = math.ceil(maximum / step) * step
    return list(range(0, top + 1, step))


def chart_series(languages: Sequence[str]) -> dict[str, str]:
    """Each language (in legend order) -> its series in the year chart.

    The first ``len(PALETTE)`` known languages are their own series, the rest are grouped as
    ``OTHER_LANGUAGES``; "und" and missing stay apart (they say something about quality).

    >>> chart_series(["en", "es", "und"])
    {'en': 'en', 'es': 'es', 'und': 'und'}
    """
    series: dict[str, str] = {}
    known = 0
    for code in languages:
        if code in (UNKNOWN_LANGUAGE, MISSING):
            series[code] = code
        else:
            series[code] = code if known < len(PALETTE) else OTHER_LANGUAGES
            known += 1
    return series


def language_colors(series: Sequence[str]) -> dict[str, str]:
    """A fixed colour per chart series, in legend order; unknown languages grey."""
    colors: dict[str, str] = {}
    palette = iter(PALETTE)
    for name in series:
        if name in (UNKNOWN_LANGUAGE, MISSING):
            colors[name] = UNKNOWN_COLOR
        elif name == OTHER_LANGUAGES:
            colors[name] = OTHER_COLOR
        else:
            colors[name] = next(palette, OTHER_COLOR)
    return colors


def _chart_years(report: Report) -> list[int]:
    years = [year for year, _counts in report.by_year_language]
    if not years:
        return []
    if years[-1] - years[0] + 1 <= MAX_YEAR_SPAN:
        return list(range(years[0], years[-1] + 1))
    return years


LEGEND_ROW = 20  # px between legend rows


def _legend(
    items: Sequence[tuple[str, str]], x: float, y: float, max_x: float
) -> tuple[list[str], float]:
    """Swatches with labels from (x, y), wrapped before ``max_x``; and the last row's y."""
    parts = ['<g class="legend">']
    start = x
    for label, color in items:
        item_w = 16 + 7.2 * len(label) + 18  # swatch, gap, label at ~7.2 px/char, spacing
        if x > start and x + item_w - 18 > max_x:
            x, y = start, y + LEGEND_ROW
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="11" height="11" rx="2" fill="{color}"/>'
            f'<text x="{x + 16:.1f}" y="{y:.1f}">{_e(label)}</text>'
        )
        x += item_w
    parts.append("</g>")
    return parts, y


def svg_years_by_language(report: Report) -> str:
    """Stacked bars: publications per year of ``published``, one colour per language."""
    years = _chart_years(report)
    series_of = chart_series(report.languages)
    per_year: dict[int, Counter[str]] = {}  # year -> series -> count
    members: dict[tuple[int, str], list[str]] = {}  # (year, series) -> languages in it
    for year, counts in report.by_year_language:
        per_year[year] = Counter()
        for code, count in counts:
            per_year[year][series_of[code]] += count
            members.setdefault((year, series_of[code]), []).append(code)
    order = sorted(
        dict.fromkeys(series_of.values()),
        key=lambda name: (name in (UNKNOWN_LANGUAGE, MISSING), name == OTHER_LANGUAGES),
    )  # stable: legend order, "other" then unknown last
    shown = [name for name in order if any(counts[name] for counts in per_year.values())]
    colors = language_colors(order)
    legend = [
        (f"{name} ({sum(counts[name] for counts in per_year.values()):,})", colors[name])
        for name in shown
    ]
    width, plot_h = 760, 240
    left, right, bottom = 56, 16, 56
    legend_parts, legend_y = _legend(legend, left, 18, width - right)
    top = legend_y + 26
    plot_w, height = width - left - right, top + plot_h + bottom
    maximum = max((sum(counts.values()) for counts in per_year.values()), default=0)
    ticks = nice_ticks(maximum)
    scale = plot_h / ticks[-1]
    band = plot_w / max(len(years), 1)
    bar_w = min(band * 0.72, 48)
    label_every = max(1, math.ceil(len(years) / 16))

    out = [
        f'<svg id="chart-years" class="chart" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-years-title">',
        '<title id="chart-years-title">Publications per year, by language</title>',
    ]
    out += legend_parts
    out.append('<g class="grid">')
    for tick in ticks:
        y = top + plot_h - tick * scale
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{tick:,}</text>'
        )
    out.append("</g>")
    out.append('<g class="bars">')
    for index, year in enumerate(years):
        x = left + index * band + (band - bar_w) / 2
        base = top + plot_h
        counts = per_year.get(year, {})
        total = sum(counts.values())
        for name in shown:
            count = counts.get(name, 0)
            if not count:
                continue
            h = count * scale
            base -= h
            label = name
            if name == OTHER_LANGUAGES:
                label = f"{name} ({', '.join(members[year, name])})"
            out.append(
                f'<rect class="bar" data-year="{year}" data-language="{_e(name)}" '
                f'data-count="{count}" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{colors[name]}"><title>{year}, {_e(label)}: '
                f"{_plural(count, 'publication')}</title></rect>"
            )
        if total and len(years) <= 30:
            out.append(
                f'<text class="value" x="{x + bar_w / 2:.1f}" y="{base - 4:.1f}" '
                f'text-anchor="middle">{total}</text>'
            )
        if index % label_every == 0:
            out.append(
                f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{top + plot_h + 18}" '
                f'text-anchor="middle">{year}</text>'
            )
    out.append("</g>")
    out += [
        f'<line class="axis" x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" '
        f'y2="{top + plot_h}"/>',
        f'<text class="axis-title" x="{left + plot_w / 2:.1f}" y="{height - 10}" '
        'text-anchor="middle">Year of publication</text>',
        f'<text class="axis-title" transform="translate(16 {top + plot_h / 2:.1f}) rotate(-90)" '
        'text-anchor="middle">Publications</text>',
    ]
    if not years:
        out.append(
            f'<text class="empty" x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" '
            'text-anchor="middle">No dated publication</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def svg_types(report: Report) -> str:
    """Horizontal bars: publications per content type, most first."""
    rows = report.by_type
    row_h = 26
    width = 760
    left, right, top, bottom = 132, 56, 40, 48
    plot_w = width - left - right
    plot_h = row_h * max(len(rows), 1)
    height = top + plot_h + bottom
    ticks = nice_ticks(max((count for _name, count in rows), default=0))
    scale = plot_w / ticks[-1]
    total = report.publications

    out = [
        f'<svg id="chart-types" class="chart" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-types-title">',
        '<title id="chart-types-title">Publications by content type</title>',
    ]
    out += _legend([(f"publications ({total:,} in all)", TYPE_BAR_COLOR)], left, 18, width)[0]
    out.append('<g class="grid">')
    for tick in ticks:
        x = left + tick * scale
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}"/>'
            f'<text class="tick" x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{tick:,}</text>"
        )
    out.append("</g>")
    out.append('<g class="bars">')
    for index, (name, count) in enumerate(rows):
        y = top + index * row_h + 4
        w = count * scale
        out.append(
            f'<text class="label" x="{left - 8}" y="{y + row_h / 2 + 1:.1f}" '
            f'text-anchor="end">{_e(name)}</text>'
            f'<rect class="bar" data-type="{_e(name)}" data-count="{count}" x="{left}" '
            f'y="{y:.1f}" width="{w:.1f}" height="{row_h - 8}" fill="{TYPE_BAR_COLOR}">'
            f"<title>{_e(name)}: {_plural(count, 'publication')} ({_pct(count / total)})"
            f"</title></rect>"
            f'<text class="value" x="{left + w + 6:.1f}" y="{y + row_h / 2 + 1:.1f}">'
            f"{count:,}</text>"
        )
    out.append("</g>")
    out += [
        f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}"/>',
        f'<text class="axis-title" x="{left + plot_w / 2:.1f}" y="{height - 8}" '
        'text-anchor="middle">Publications</text>',
        f'<text class="axis-title" transform="translate(16 {top + plot_h / 2:.1f}) rotate(-90)" '
        'text-anchor="middle">Content type</text>',
        "</svg>",
    ]
    return "\n".join(out)


# --------------------------------------------------------------------------- HTML

_CSS = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d8dee4;
  --soft: #f6f8fa; --bad: #b42318; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 40px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 10px; }
p.sub, p.note, footer { color: var(--muted); margin: 0; }
p.note { margin-top: 6px; font-size: 13px; }
section { margin-top: 26px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(128px, 1fr));
  gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .num { display: block; font-size: 22px; font-weight: 600;
  font-variant-numeric: tabular-nums; }
.card .lbl { color: var(--muted); font-size: 13px; }
.card.bad .num { color: var(--bad); }
.grid { display: grid; gap: 24px; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr));
  align-items: start; }
.panel { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  fill: var(--ink); }
svg.chart .tick, svg.chart .value { fill: var(--muted); font-size: 11px; }
svg.chart .axis-title { font-weight: 600; fill: var(--muted); }
svg.chart .grid line { stroke: #eaeef2; }
svg.chart line.axis { stroke: #8c959f; }
svg.chart rect.bar:hover { opacity: .8; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; white-space: nowrap; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr.bad td, tr.raised td.n, tr.raised td.flag { color: var(--bad); }
tr.raised td.flag code { font-weight: 600; }
td.m { width: 96px; padding-right: 0; }
.meter { display: inline-block; width: 88px; height: 8px; background: #eaeef2;
  border-radius: 4px; vertical-align: middle; position: relative; }
.meter span { display: block; height: 100%; border-radius: 4px; background: var(--accent); }
.meter i { position: absolute; top: -2px; width: 2px; height: 12px; background: var(--ink); }
tr.bad .meter span { background: var(--bad); }
code { font-size: 12px; }
ul.examples { margin: 4px 0 0; padding-left: 18px; font-size: 12px; color: var(--muted); }
ul.examples a { color: var(--accent); word-break: break-all; }
footer { margin-top: 32px; font-size: 12px; }
""".strip()


def _bad(bad: bool) -> str:
    return ' class="bad"' if bad else ""


def _raised(raised: bool) -> str:
    return ' class="raised"' if raised else ""


def _numeric(numeric: bool) -> str:
    return ' class="n"' if numeric else ""


def _link(url: str, text: str) -> str:
    if url.startswith(("http://", "https://")):
        return f'<a href="{_e(url)}">{_e(text)}</a>'
    return _e(text)


def _html_counts(table_id: str, heading: str, rows: Sequence[tuple[str, int]], total: int) -> str:
    body = "".join(
        f'<tr><td>{_e(name)}</td><td class="n">{count:,}</td>'
        f'<td class="n">{_pct(count / total)}</td></tr>'
        for name, count in rows
    )
    return (
        f'<div class="panel"><h2>{_e(heading)}</h2><table id="{table_id}">'
        f'<thead><tr><th></th><th class="n">publications</th><th class="n">share</th></tr>'
        f"</thead><tbody>{body}</tbody></table></div>"
    )


def _placeholders() -> str:
    """', not language "und"': the values that count as empty, from ``quality.PLACEHOLDERS``."""
    return "".join(
        f", not {_e(column)} " + " or ".join(f"&quot;{_e(value)}&quot;" for value in sorted(values))
        for column, values in sorted(PLACEHOLDERS.items())
    )


def _html_fill_rates(report: Report) -> str:
    rows = []
    for name, rate in report.fill_rates.items():
        minimum = report.min_fill_rates.get(name)
        bad = name in report.fill_rate_violations
        mark = "" if minimum is None else f'<i style="left:{minimum * 100:.1f}%"></i>'
        rows.append(
            f"<tr{_bad(bad)}><td><code>{_e(name)}</code></td>"
            f'<td class="m"><span class="meter"><span style="width:{rate * 100:.1f}%">'
            f"</span>{mark}</span></td>"
            f'<td class="n">{_pct(rate)}</td>'
            f'<td class="n">{"" if minimum is None else _pct(minimum)}</td></tr>'
        )
    return (
        '<div class="panel"><h2>Fill rates</h2><table id="fill-rates"><thead><tr>'
        '<th>column</th><th></th><th class="n">filled</th><th class="n">minimum</th></tr>'
        "</thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f'<p class="note">Filled: not null, not blank, not an empty list{_placeholders()}. '
        "The minimum is the quality gate's (<code>REGMIG_MIN_FILL_RATES</code>).</p></div>"
    )


def _html_flags(report: Report) -> str:
    rows = []
    for flag in report.flags:
        examples = ""
        if flag.examples:
            items = "".join(
                "<li>"
                + _link(example.url, example.title or example.url)
                + (f" <code>{_e(example.detail)}</code>" if example.detail else "")
                + "</li>"
                for example in flag.examples
            )
            more = flag.count - len(flag.examples)
            tail = f"<li>and {more:,} more</li>" if more > 0 else ""
            examples = f'<ul class="examples">{items}{tail}</ul>'
        breakdown = ", ".join(f"{_e(name)} {count:,}" for name, count in flag.breakdown)
        rows.append(
            f'<tr data-flag="{_e(flag.name)}"{_raised(flag.count > 0)}>'
            f'<td class="flag"><code>{_e(flag.name)}</code></td>'
            f'<td class="n">{flag.count:,}</td><td class="n">{_pct(flag.share)}</td>'
            f"<td>{_e(flag.description)}{f' ({breakdown})' if breakdown else ''}{examples}</td>"
            "</tr>"
        )
    return (
        '<section class="panel"><h2>Quality flags</h2><table id="quality-flags"><thead><tr>'
        '<th>flag</th><th class="n">rows</th><th class="n">share</th><th>meaning and examples'
        f"</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _html_runs(report: Report) -> str:
    if not report.runs:
        return (
            '<section class="panel"><h2>Last runs</h2>'
            '<p class="note">No run recorded in <code>runs/</code>.</p></section>'
        )
    head = "".join(
        f"<th{_numeric(numeric)}>{label}</th>"
        for label, numeric in (
            ("crawl_id", False),
            ("started (UTC)", False),
            ("finished (UTC)", False),
            ("time", True),
            ("pages", True),
            ("new", True),
            ("changed", True),
            ("unchanged", True),
            ("not seen", True),
            ("errors", True),
            ("exit", True),
        )
    )
    rows = []
    for run in report.runs:
        bad = run.exit_status not in (0, None)
        cells = [
            f"<td><code>{_e(run.crawl_id)}</code></td>",
            f"<td>{_when(run.started_at)}</td>",
            f"<td>{_when(run.finished_at)}</td>",
            *(
                f'<td class="n">{value}</td>'
                for value in (
                    _duration(run.seconds),
                    _num(run.pages_fetched),
                    _num(run.new),
                    _num(run.changed),
                    _num(run.unchanged),
                    _num(run.not_seen),
                    f"{run.errors:,}",
                    _num(run.exit_status),
                )
            ),
        ]
        rows.append(f"<tr{_bad(bad)}>{''.join(cells)}</tr>")
    return (
        f'<section class="panel"><h2>Last runs ({len(report.runs)} of {report.runs_total})</h2>'
        f'<table id="runs"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table></section>"
    )


def render_html(report: Report) -> str:
    """One self-contained HTML page: inline CSS and SVG, no script, no external resource."""
    total = report.publications
    flagged = sum(1 for flag in report.flags if flag.count)
    cards = [
        (f"{total:,}", "publications", False),
        (f"{len(report.by_type):,}", "content types", False),
        (f"{len(report.by_language):,}", "languages", False),
        (f"{report.authors_distinct:,}", "authors", False),
        (f"{report.runs_total:,}", "runs", False),
        (
            f"{len(report.fill_rate_violations):,}",
            "fill rates below minimum",
            bool(report.fill_rate_violations),
        ),
        (f"{flagged:,} of {len(report.flags)}", "quality flags raised", bool(flagged)),
    ]
    card_html = "".join(
        f'<div class="card{" bad" if bad else ""}"><span class="num">{_e(num)}</span>'
        f'<span class="lbl">{_e(label)}</span></div>'
        for num, label, bad in cards
    )
    undated = report.undated
    undated_note = (
        f'<p class="note">{_plural(undated, "undated publication")} not shown.</p>'
        if undated
        else ""
    )
    authors = (
        _html_counts(
            "top-authors",
            f"Top authors ({report.authors_distinct:,} in all)",
            report.top_authors,
            total,
        )
        if report.top_authors
        else '<div class="panel"><h2>Top authors</h2><p class="note">No author.</p></div>'
    )
    programs = f" · {_e(', '.join(report.programs))}" if report.programs else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>regmig report: {_plural(total, 'publication')}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body><main>",
        "<header><h1>Publications dataset report</h1>",
        f'<p class="sub"><code>{_e(report.source)}</code>{programs}</p>',
        f'<p class="sub">first seen {_when(report.first_seen)} UTC · last seen '
        f"{_when(report.last_seen)} UTC</p></header>",
        f'<section class="cards">{card_html}</section>',
        '<section class="panel"><h2>Publications per year, by language</h2>',
        svg_years_by_language(report),
        undated_note,
        "</section>",
        '<section class="panel"><h2>Publications by type</h2>',
        svg_types(report),
        "</section>",
        '<section class="grid">',
        _html_counts("by-type", "By type", report.by_type, total),
        _html_counts("by-language", "By language", report.by_language, total),
        _html_counts("by-year", "By year", [(_year(y), n) for y, n in report.by_year], total),
        "</section>",
        '<section class="grid">',
        authors,
        _html_fill_rates(report),
        "</section>",
        _html_flags(report),
        _html_runs(report),
        f"<footer>regmig-scraper {_e(__version__)} · <code>regmig report</code> · "
        "times are the dataset's own (UTC).</footer>",
        "</main></body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def write_html(report: Report, path: Path) -> Path:
    """Write ``render_html(report)`` to ``path`` atomically (``regmig_scraper.atomic``)."""
    return atomic.write_text(Path(path), render_html(report))
