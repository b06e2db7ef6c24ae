"""The generic metadata extractor (regmig_scraper.metadata) and its benchmark's scoring.

Pages here are small fixtures written in the style of real markup (Yoast's JSON-LD graph,
Highwire citation tags, WordPress and Drupal bylines, a related-articles sidebar), not copies of
any site's pages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.metadata_scoring import Fields, gold_authors, score, title_match
from regmig_scraper.metadata import cascade, dates, extract_metadata
from regmig_scraper.metadata.bylines import (
    clean_name,
    dated_handle,
    is_site_name,
    reads_as_byline,
    split_byline,
)
from regmig_scraper.metadata.dates import date_from_url, find_date_in_text, parse_date_value
from regmig_scraper.metadata.document import parse_html
from regmig_scraper.metadata.markup import last_crumbs, text_of
from regmig_scraper.normalize.text import ZERO_WIDTH_CHARS

TODAY = dt.date(2026, 12, 1)
URL = "https://example.org/research/a-report"


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return f"<!doctype html><html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


def meta(**values: str) -> str:
    """``<meta name=... content=...>`` tags; ``og_*`` keys become ``og:*`` properties."""
    tags = []
    for key, value in values.items():
        if key.startswith("og_"):
            tags.append(f'<meta property="og:{key[3:]}" content="{value}">')
        else:
            tags.append(f'<meta name="{key}" content="{value}">')
    return "".join(tags)


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def extract(html: str, url: str = URL):
    return extract_metadata(html, url, today=TODAY)


# --- dates: one value -----------------------------------------------------------------------

DATE_VALUES = [
    ("2021-04-15", dt.date(2021, 4, 15), "day"),
    ("2021-04-15T10:00:00Z", dt.date(2021, 4, 15), "day"),
    # the local calendar day is kept: no conversion to UTC
    ("2021-04-15T23:30:00-05:00", dt.date(2021, 4, 15), "day"),
    ("2022-5-3T23:57:00", dt.date(2022, 5, 3), "day"),
    ("2021/04/15", dt.date(2021, 4, 15), "day"),
    ("15.04.2021", dt.date(2021, 4, 15), "day"),
    ("4. Mai 2023", dt.date(2023, 5, 4), "day"),
    ("15 de abril de 2021", dt.date(2021, 4, 15), "day"),
    ("12 avril 2022", dt.date(2022, 4, 12), "day"),
    ("1er mai 2020", dt.date(2020, 5, 1), "day"),
    ("3 settembre 2019", dt.date(2019, 9, 3), "day"),
    ("12 stycznia 2020", dt.date(2020, 1, 12), "day"),
    # a range starts on its first day
    ("14. - 20. Januar 2022", dt.date(2022, 1, 14), "day"),
    ("3.–5. Mai 2023", dt.date(2023, 5, 3), "day"),
    ("14-20 April 2021", dt.date(2021, 4, 14), "day"),
    ("April 14–20, 2021", dt.date(2021, 4, 14), "day"),
    # a two-digit year is this century's
    ("31.10.23", dt.date(2023, 10, 31), "day"),
    ("2.11.22 18:30", dt.date(2022, 11, 2), "day"),
    # Russian and Ukrainian name the month in the genitive
    ("15 августа 2016, 13:43", dt.date(2016, 8, 15), "day"),
    ("1 марта 2021 г.", dt.date(2021, 3, 1), "day"),
    ("Опубліковано 3 травня 2022", dt.date(2022, 5, 3), "day"),
    ("12 грудня 2019 року", dt.date(2019, 12, 12), "day"),
    ("декабрь 2020", dt.date(2020, 12, 1), "month"),
    ("листопад 2021", dt.date(2021, 11, 1), "month"),
    ("April 15, 2021", dt.date(2021, 4, 15), "day"),
    ("Apr. 15 2021", dt.date(2021, 4, 15), "day"),
    ("Thursday, April 15, 2021 - 10:00", dt.date(2021, 4, 15), "day"),
    ("Wed, 04 May 2022 02:41:00 GMT", dt.date(2022, 5, 4), "day"),
    ("April 2021", dt.date(2021, 4, 1), "month"),
    ("diciembre de 2020", dt.date(2020, 12, 1), "month"),
    ("2021", dt.date(2021, 1, 1), "year"),
]


@pytest.mark.parametrize(("raw", "value", "precision"), DATE_VALUES)
def test_parse_date_value(raw, value, precision):
    parsed = parse_date_value(raw, today=TODAY)
    assert parsed is not None
    assert (parsed.value, parsed.precision, parsed.raw) == (value, precision, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "TBD",
        "Mayor of the city",  # a month name inside a word is no month
        "маяк 2020",  # "мая" inside "маяк" (a lighthouse)
        "v1.2.22",  # a version number, not a two-digit-year date
        "1.2.22.4",
        "12.34.56",  # no 34th month
        "1.2.27",  # after today
        "2027-01-01",  # after today
        "1890-05-01",  # before any web page
        "2021-02-30",  # no such day
        "12",
        "x" * 300,  # a dump, not a date
    ],
)
def test_parse_date_value_rejects(raw):
    assert parse_date_value(raw, today=TODAY) is None


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("Veröffentlicht am 4. Mai 2023, 10:12 Uhr", True, dt.date(2023, 5, 4)),
        ("Posted on 04/05/2021 by admin", False, dt.date(2021, 4, 5)),
        ("Posted on 04/05/2021 by admin", True, dt.date(2021, 5, 4)),
        ("Posted on 25/05/2021", False, dt.date(2021, 5, 25)),  # 25 cannot be a month
        ("first 12 avril 2022, then 2023-01-01", True, dt.date(2022, 4, 12)),  # the earliest
        ("A report from 2021 on 40 pages", True, None),  # a bare year in text is no date
        # more languages' month names, and the year-first forms of East Asia and Hungary
        ("duminică, 20 septembrie 2020", True, dt.date(2020, 9, 20)),
        ("Közzétéve: 2020. június 4. 09:27", True, dt.date(2020, 6, 4)),
        ("Publikováno 3. července 2020", True, dt.date(2020, 7, 3)),
        ("Publicerad 3 juli 2020 kl. 10.15", True, dt.date(2020, 7, 3)),
        ("Julkaistu 3. heinäkuuta 2020", True, dt.date(2020, 7, 3)),
        ("Yayınlanma: 7 Ekim 2020 Çarşamba", True, dt.date(2020, 10, 7)),
        ("Diterbitkan 4 Agustus 2020", True, dt.date(2020, 8, 4)),
        ("15 августа 2016, 12:05", True, dt.date(2016, 8, 15)),
        ("15 серпня 2016", True, dt.date(2016, 8, 15)),
        ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", True, dt.date(2020, 10, 7)),
        ("2020年07月03日 | 徒歩", True, dt.date(2020, 7, 3)),
        ("2020년 7월 3일 오후 2:10", True, dt.date(2020, 7, 3)),
        ("2020年7月", True, None),  # a month without its day is no day
        ("Tue Jul 30 09:35:14 CEST 2019", True, dt.date(2019, 7, 30)),  # Java's Date
        ("Wed Jan  6 23:01:02 2021", True, dt.date(2021, 1, 6)),  # Unix date
        ("Wochenbericht 14. - 20. Januar 2022", True, dt.date(2022, 1, 14)),  # a range's start
        ("10-12 people came on 4 May 2023", True, dt.date(2023, 5, 4)),  # no range of days
    ],
)
def test_find_date_in_text(text, day_first, expected):
    found = find_date_in_text(text, today=TODAY, day_first=day_first)
    assert (found.value if found else None) == expected


DATE_TEXTS = [
    "Published 2021-04-15T10:00:00Z",
    "15.04.2021 | 31.10.23",
    "04/15/2021",
    "15-04-2021",
    "Wochenbericht 14. - 20. Januar 2022",
    "April 14-20, 2021",
    "15 de abril de 2021",
    "Apr. 15 2021",
    "Tue Jul 30 09:35:14 CEST 2019",
    "2020年07月03日",
    "2020년 7월 3일",
    "2020. június 4.",
    "Mai 2023",
    "Mayor 2021 decision",
    "in 2021 we",
]


@pytest.mark.parametrize("text", DATE_TEXTS)
def test_find_date_in_text_cheap_tests_change_no_answer(text, monkeypatch):
    """The month-name and required-character tests only skip forms that cannot match."""
    fast = find_date_in_text(text, today=TODAY)
    monkeypatch.setattr(dates, "NAMED_MONTH_FORMS", frozenset())
    monkeypatch.setattr(dates, "REQUIRED_CHARS", {})
    assert find_date_in_text(text, today=TODAY) == fast


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://blog.example.org/2021/04/15/a-post/", (dt.date(2021, 4, 15), "day")),
        ("https://example.org/news/2021-04-15-a-post", (dt.date(2021, 4, 15), "day")),
        ("https://example.org/2021/04/a-post.html", (dt.date(2021, 4, 1), "month")),
        ("https://example.va/de/news/2022-08/a-post.html", (dt.date(2022, 8, 1), "month")),
        ("https://example.ch/ausgaben/2019-4/artikel/a-post", None),  # an issue number
        ("https://example.org/p/20210415/", (dt.date(2021, 4, 15), "day")),
        ("https://example.jp/world/20241203-OYT1T50218/", (dt.date(2024, 12, 3), "day")),
        ("https://example.org/p/20210415_interview", (dt.date(2021, 4, 15), "day")),
        ("https://example.org/p/202104151234/", None),  # a longer number is an id
        ("https://example.org/p/20211345-x/", None),  # no calendar day
        ("https://example.org/news/29-10-2021", (dt.date(2021, 10, 29), "day")),
        ("https://example.org/products/2021-model", None),
        ("https://example.org/a-post?id=2021", None),
    ],
)
def test_date_from_url(url, expected):
    found = date_from_url(url, today=TODAY)
    assert ((found.value, found.precision) if found else None) == expected


# --- bylines --------------------------------------------------------------------------------

BYLINES = [
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("By Jane Doe, John Roe, and Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"]),
    ("Von Anna Muster und Max Beispiel", ["Anna Muster", "Max Beispiel"]),
    ("Por Ana García y Luis Pérez", ["Ana García", "Luis Pérez"]),
    ("Par Marie Curie et Pierre Curie", ["Marie Curie", "Pierre Curie"]),
    ("Di Mario Rossi e Giulia Bianchi", ["Mario Rossi", "Giulia Bianchi"]),
    ("Written by: Jane Doe", ["Jane Doe"]),
    ("Jane Doe, Senior Fellow", ["Jane Doe"]),
    ("Jane Doe, Senior Fellow, and John Roe, Policy Analyst", ["Jane Doe", "John Roe"]),
    ("By Nada Tawfik, BBC News, New York", ["Nada Tawfik"]),
    ("By Jane Doe | April 4, 2021", ["Jane Doe"]),
    ("Von Anna Muster, 12.05.2023, 10:15 Uhr", ["Anna Muster"]),
    ("Jane Doe (Example Institute)", ["Jane Doe"]),
    ("Jane Doe & John Roe et al.", ["Jane Doe", "John Roe"]),
    ("Jane Doe; jane doe", ["Jane Doe"]),  # the same person once
    ("Staff", []),
    ("By", []),
    ("Email the author", []),
    ("@janedoe", []),
    ("jane@example.org", []),
    ("Redaktion", []),
    ("Olympia-Verlag GmbH, Nürnberg, Germany", []),
    ("Posted on", []),
    ("Veröffentlicht am 8. Februar 2022 von Anna Muster", ["Anna Muster"]),
    ("Datum: 19.11.2021 Autor: Fritz Muster Quelle: Agentur", ["Fritz Muster"]),
    ("Text und Interview: Harald Muster", ["Harald Muster"]),
    ("Von Tomas Muster Fr, 18. Oktober 2019", ["Tomas Muster"]),
    ("Jane Doe @janedoe", ["Jane Doe"]),
    ("edilson.la.rosa", ["edilson la rosa"]),
    ("example-news.de, Frankfurt, Germany", []),  # a domain, then its place
    ("Text von Christian Muster Illustration von Markus Beispiel", ["Christian Muster"]),
    ("Zeige alle Beiträge von Creeny »", ["Creeny"]),
    ("Donnerstag, 4. November 2021", []),
    ("Landesanstalt für Wald und Forstwirtschaft", []),
    ("ERBOL", []),
    ("von Musterfirma eG", []),
    ("selbst ist der Mann", []),
    ("Walter von Aachen", ["Walter von Aachen"]),
    # a particle inside a listed name; a role and its organisation after a name
    ("By Andrew Selee, Samuel Martínez de Lara, Rodrigo Hooper and Andrea Tanco",
     ["Andrew Selee", "Samuel Martínez de Lara", "Rodrigo Hooper", "Andrea Tanco"]),
    ("Jan Smit, Ursula von der Leyen and Bo Li", ["Jan Smit", "Ursula von der Leyen", "Bo Li"]),
    ("Ana Laura Martínez de Lara, Andrew Selee & Ariel G. Ruiz Soto",
     ["Ana Laura Martínez de Lara", "Andrew Selee", "Ariel G. Ruiz Soto"]),
    ("Autorin: Uta Muster, Projektleiterin der HSS in Tunesien", ["Uta Muster"]),
    ("Ana López, Universidad de Chile", ["Ana López"]),
    ("Ana López, Profesora de la Universidad", ["Ana López"]),
    ("Juan Pérez, de la Fundación", ["Juan Pérez"]),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "names"), BYLINES)
def test_split_byline(raw, names):
    assert split_byline(raw) == names


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Von Anna Muster und Max Beispiel", True),
        ("Autorin: Uta Muster, Projektleiterin der Stiftung in Tunis.", True),
        ("By Jane Doe | April 4, 2021", True),
        ("von Musk mit viel Geld aus Aktienverkäufen übernommen", False),
        ("Die Preise von Strom und Gas steigen", False),
    ],
)
def test_reads_as_byline(line, expected):
    assert reads_as_byline(line) is expected


def test_split_byline_drops_the_sites_own_name():
    site = frozenset({"example daily", "exampledaily"})
    assert split_byline("By Example Daily", site_names=site) == []
    assert split_byline("By The Example Daily", site_names=site) == []
    assert split_byline("By Jane Doe", site_names=site) == ["Jane Doe"]


@pytest.mark.parametrize(
    ("raw", "name"),
    [("Jane Doe", "Jane Doe"), ("  Jane   Doe ", "Jane Doe"), ("admin", None), ("EFE", None),
     # newspapers, agencies and the calls to follow someone are not people
     ("Lesotho Times", None), ("Salzburger Nachrichten", None), ("SID Nachrichtenagentur", None),
     ("ORF.at/ Agenturen", None), ("Twitter Facebook", None), ("Folgen", None),
     # a reporter's title beside a Chinese, Japanese or Korean name
     ("신현주 기자", "신현주"), ("이재명 특파원", "이재명"), ("山田太郎 記者", "山田太郎"),
     ("记者 张三", "张三"), ("기자", None)],
)  # fmt: skip
def test_clean_name(raw, name):
    assert clean_name(raw) == name


# Bylines as sites print them, one rule of ``split_byline`` per block.
BYLINE_RULES = [
    # degrees and credentials after a name are not part of it
    ("By Grant Muster, PhD", ["Grant Muster"]),
    ("Jane Doe MD, MPH", ["Jane Doe"]),
    ("Written by Ana Lima, RDN", ["Ana Lima"]),
    ("Reviewed by Ana Lima, RDN", []),  # a reviewer is not an author
    ("Michael Lee Anderson, Ph.D.", ["Michael Lee Anderson"]),
    ("Md Rahman", ["Md Rahman"]),  # a name, not a degree
    # a semicolon ends one person's affiliation ("A, PhD; B, PhD")
    ("Carla Muster, PhD; Devon Beispiel, PhD", ["Carla Muster", "Devon Beispiel"]),
    ("Jane Doe, Example University; John Roe, Example Institute", ["Jane Doe", "John Roe"]),
    # "Text & Fotos:" credits the writer (who took the photos too)
    ("Text & Fotos: Ivan Muster", ["Ivan Muster"]),
    ("Text und Bilder: Eva Beispiel", ["Eva Beispiel"]),
    ("Texto y fotos: Lucía Ejemplo", ["Lucía Ejemplo"]),
    # a name glued to an agency or a second name by a slash
    ("Peter Muster/SP-X", ["Peter Muster"]),
    ("Von Lisa Beispiel/dpa", ["Lisa Beispiel"]),
    ("E. Ejemplo/J. I. da Muestra", ["E. Ejemplo", "J. I. da Muestra"]),
    # one-word parts joined by a conjunction are a brand's words, not people
    ("Jobs & Hire", []),
    ("Vinos y Tapas", []),
    ("Haus und Garten", []),
    ("Anna Muster und Max Beispiel", ["Anna Muster", "Max Beispiel"]),
    # generic accounts inside a login name
    ("von wordpressadmin |", []),
    ("siteadmin", []),
    ("kb_redaktion", []),
    ("Posted by webmaster42", []),
    ("von gnaddrig |", ["gnaddrig"]),  # a blogger's handle is a name
    # "Co" without its period is a surname, "Co." and "& Co. KG" an organisation's
    ("By Emily Co", ["Emily Co"]),
    ("Oct 30 2020 by Emily Co", ["Emily Co"]),
    ("Muster Co. KG", []),
    # an organisation's name opens with an adjective no person's name does
    ("Deutsches Rotes Kreuz", []),
    ("Von Deutscher Tennis Bund 4. 2. 2022.", []),
    ("Deutscher Musterverband e. V.", []),
    ("Schweizerischer Musterfonds", []),
    ("European Example Network", []),
    ("Lisa Deutscher", ["Lisa Deutscher"]),  # a surname may be such a word
    # a label left inside a part (an editor's, a source's) is not a name
    ("责任编辑:孔德明", []),
    ("Lektorat:Max Muster", []),
    # soft hyphens and zero-width spaces inside words are not part of the name
    ("Von Mat\xadthi\xadas Muster", ["Matthias Muster"]),
    ("By Jane\u200b Doe", ["Jane Doe"]),
    # a social handle between two names ends the first
    (
        "By April Muster @aprilm28 Daniel O'Beispiel 01 October 2020",
        ["April Muster", "Daniel O'Beispiel"],
    ),
    # a heading that opens with an article is no name; a two-word nickname may be one
    ("Von der Befreiung zum Staats\xadvertrag", []),
    ("von der Michel", ["der Michel"]),
    # names in Han or Hangul are two to four characters; one is not a name
    ("孔德明", ["孔德明"]),
    ("김민수", ["김민수"]),
    ("孔", []),
    ("责任编辑：孔德明", []),  # the editor in charge
    # the post's category after the names
    ("Posted by Jane Doe in News", ["Jane Doe"]),
    ("Publié par Jean Exemple dans Actualités", ["Jean Exemple"]),
    ("By Jane Doe and John Roe in Politics, Economy", ["Jane Doe", "John Roe"]),
    # a signature line after a dash
    ("---- by Kenneth Muster", ["Kenneth Muster"]),
    ("— By Jane Doe", ["Jane Doe"]),
    ("-- the end", []),
    # an interview's author, not the one interviewed; elsewhere "with" joins two authors
    ("Ein Interview von Eugen Muster mit Sonja Beispiel.", ["Eugen Muster"]),
    ("An interview by Jane Doe with John Roe", ["Jane Doe"]),
    ("Interview par Claire Exemple avec Jean Exemple", ["Claire Exemple"]),
    ("By Jane Doe with John Roe", ["Jane Doe", "John Roe"]),
    # a job title before the name
    ("Autor: Rechtsanwalt Sebastian Muster", ["Sebastian Muster"]),
    ("Von Redakteurin Anna Beispiel und Korrespondent Max Muster", ["Anna Beispiel", "Max Muster"]),
    ("Por la periodista Ana García", []),
    ("By Senior Fellow", []),
    ("Rechtsanwalt Muster", []),
]


@pytest.mark.parametrize(("raw", "names"), BYLINE_RULES)
def test_split_byline_rules(raw, names):
    assert split_byline(raw) == names


@pytest.mark.parametrize(
    ("body", "names"),
    [
        # a label element with the name as the text right after it
        ("<div><h5 class='inline'>Autor: </h5>Peter Muster/SP-X</div>", ["Peter Muster"]),
        ("<p><strong>Author:</strong> Jane Doe</p>", ["Jane Doe"]),
        ("<p><b>Von</b> Anna Muster und Max Beispiel</p>", ["Anna Muster", "Max Beispiel"]),
        # a signature line under the entry
        ("<p><strong><em>---- by Kenneth Muster</em></strong></p>", ["Kenneth Muster"]),
        # a screen-reader label after a category in a meta line
        (
            "<div class='meta'><span>Lifestyle</span><span class='sr'>| By </span>"
            "<span>Cara Muster</span> | <time>April 13, 2020</time></div>",
            ["Cara Muster"],
        ),
        # the value after line breaks, a "Text:" credit, a heading label and its paragraph
        ("<p><b>Von:</b><br><br>Götz Muster</p>", ["Götz Muster"]),
        ("<p>Ende.<br><strong>Text:</strong> Klausmartin Beispiel</p>", ["Klausmartin Beispiel"]),
        # a credit line in the text node after a line break
        (
            "<div>Das Gericht entschied.<br><br>Quelle: Agentur<br>Autor: "
            "<a href='/anwalt/'>Rechtsanwalt</a> Sebastian Muster</div>",
            ["Sebastian Muster"],
        ),
        ("<div>Ende.<br>Author: Jane Doe<br>Photo: John Roe</div>", ["Jane Doe"]),
        ("<div>Ende.<br>Text: die Rede im Wortlaut</div>", []),
        # a magazine's credits: the interviewer is the author
        (
            "<div class='credits'><div class='credit'><div class='label'>Interview</div>"
            "<div class='value'>SVEN MUSTER</div></div><div class='credit'>"
            "<div class='label'>Fotograf</div><div class='value'>Jo Beispiel</div></div></div>",
            ["SVEN MUSTER"],
        ),
        ("<h4>Interview</h4><p>Sharon Muster spricht über ihre Rollen.</p>", []),
        (
            "<h4 class='meta-title'>Autor</h4><p><a href='/p/1'>Nikolai Muster</a>, </p>",
            ["Nikolai Muster"],
        ),
        # a CMS field's label and value, each in boxes of their own
        (
            "<div class='field'><p class='label'><strong>By</strong></p></div>"
            "<div class='field'><p class='full-name'>Todd Muster</p></div>",
            ["Todd Muster"],
        ),
        (
            "<div><div><span>Autorin:</span></div></div><div><a href='/a/1'>Eva Beispiel</a></div>",
            ["Eva Beispiel"],
        ),
        ("<div><p><b>Von</b></p><p>Berlin nach Hamburg fahren die Züge wieder.</p></div>", []),
        # a definition list's or a table's label and value
        (
            "<dl class='post-meta'><dt>Auteur</dt><dd><a href='/staff/ug/'>Ulrich Exemple</a></dd>"
            "<dt>Cover</dt><dd>Collège</dd></dl>",
            ["Ulrich Exemple"],
        ),
        ("<table><tr><th>Autorin</th><td>Eva Beispiel</td></tr></table>", ["Eva Beispiel"]),
        ("<dl><dt>Von</dt><dd>Berlin nach Hamburg fahren die Züge wieder.</dd></dl>", []),
        # ... but a sentence after the label is no byline
        ("<p><b>Von</b> Berlin nach Hamburg fahren die Züge wieder.</p>", []),
        ("<p><strong>Author:</strong> unknown at the time of writing</p>", []),
        ("<p><strong>Text:</strong> die Rede im Wortlaut</p>", []),
    ],
)
def test_byline_label_followed_by_its_text(body, names):
    html = page(body=f"<article><h1>A headline of the page</h1>{body}<p>Text.</p></article>")
    meta_ = extract(html)
    assert meta_.authors == names
    if names:
        assert meta_.provenance["authors"] in ("byline_label", "byline_text")


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # the opening in the element's own text, the names in its children, far from any
        # headline (a page without one, a credit under the text)
        ("<span>Geschrieben von <a href='/u?id=6'>Harald Beispiel</a></span>", ["Harald Beispiel"]),
        (
            "<em>Von <span itemscope><meta itemprop='name' content='Ute Muster'>"
            "Ute Muster</span></em>",
            ["Ute Muster"],
        ),
        ("<p>Posted by <a href='/author/jd'>Jane Doe</a> on <a>May 4, 2021</a></p>", ["Jane Doe"]),
        (
            "<small>Ein Beitrag von <b>Lena Muster</b> und <b>Ole Beispiel</b></small>",
            ["Lena Muster", "Ole Beispiel"],
        ),
        ("<p>Par <a href='/auteurs/cm'>Claire Martin</a></p>", ["Claire Martin"]),
        ("<p>Por: <strong>Ana García</strong></p>", ["Ana García"]),
        (
            "<p><em>Autor: <a href='/p/63322'>Samuel Muster </a>(Gastbeitrag)</em></p>",
            ["Samuel Muster"],
        ),
        ("<p>Autorin: <strong>Eva Beispiel</strong></p>", ["Eva Beispiel"]),
        (
            "<p><em>Ein Interview von <strong>Eugen Muster</strong> mit <strong>Sonja "
            "Beispiel</strong>.</em></p>",
            ["Eugen Muster"],
        ),
        ("<p>Author: <a href='/people/jd'>Jane Doe</a></p>", ["Jane Doe"]),
        # a sentence that opens a link list is no byline
        (
            "<p>Von <a href='/berlin'>Berlin</a> nach <a href='/hamburg'>Hamburg</a> "
            "mit der Bahn</p>",
            [],
        ),
        # an embedded post quoted in the text names the quoted post's author
        (
            "<blockquote><p>Prices rise.</p><p>Posted by <a href='/p'>Jane Doe</a> on "
            "<a>Monday, February 7, 2022</a></p></blockquote>",
            [],
        ),
        ("<blockquote><p>By Jane Doe, February 7, 2022</p></blockquote>", []),
    ],
)
def test_byline_opening_with_the_names_in_children(line, names):
    body = f"<div class='text'><p>{'Ein langer Absatz. ' * 60}</p>{line}</div>"
    meta_ = extract(page(body=body))
    assert meta_.authors == names
    if names:
        assert meta_.provenance["authors"] == "byline_text"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # a link to the author's page under the headline, the name its text or inside it
        ("<div class='my-2'><a href='/autoren/kathrin-muster-684124'><span class='pic'>"
         "<img alt=''><span class='credit'>© Foto Beispiel</span></span>"
         "<span itemprop='name'>Kathrin Muster</span></a></div>", ["Kathrin Muster"]),
        ("<p><a href='https://example.org/author/jane-doe/'>Jane Doe</a> · 4 min</p>",
         ["Jane Doe"]),
        ("<div><a href='/ueber-uns/autor/uta-beispiel'>Uta Beispiel</a></div>", ["Uta Beispiel"]),
        ("<span><a href='/auteurs/claire-martin?page=1'>Claire Martin</a></span>",
         ["Claire Martin"]),
        # a link to an author list, or a text that is no name
        ("<div><a href='/autoren/'>Unsere Autoren</a></div>", []),
        ("<div><a href='/author/jane-doe/'>alle Beiträge ansehen</a></div>", []),
        ("<div><a href='/books/authors-guide'>Jane Doe</a></div>", []),
        # an event's speakers and moderator link to their profiles: they are not its authors
        ("<p><strong>Speakers:</strong></p><ul><li>Ann Roe, Director</li>"
         "<li><a href='/author/jane-doe/'>Jane Doe</a>, Policy Analyst</li></ul>", []),
        ("<p><strong>Moderator:</strong> <a href='/author/jane-doe/'>Jane Doe</a>, Fellow</p>",
         []),
        ("<p><strong>Panelistas:</strong></p><ul><li><a href='/autor/ana-ruiz/'>Ana Ruiz</a>"
         "</li></ul><p><strong>Modera:</strong> <a href='/autor/luis-paz/'>Luis Paz</a></p>",
         []),
        ("<p>Referentin: <a href='/autorin/uta-beispiel/'>Uta Beispiel</a></p>", []),
    ],
)  # fmt: skip
def test_link_to_the_authors_page_at_the_headline(line, names):
    body = f"<article><h1>A headline of the page</h1>{line}<p>Text.</p></article>"
    meta_ = extract(page(body=body))
    assert meta_.authors == names
    if names:
        assert meta_.provenance["authors"] == "author_link"


TEXT_PARAGRAPH = "<p>" + "Die Mannschaft spielte stark und gewann verdient. " * 5 + "</p>"


@pytest.mark.parametrize(
    ("end", "names"),
    [
        # a name signed in bold or italics under the last paragraph
        ("<p><b><i>Stefan Muster</i></b></p>", ["Stefan Muster"]),
        (
            "<p align='right'><em>Denise Beispiel</em></p><p>(1) Quelle: Statistikamt.</p>",
            ["Denise Beispiel"],
        ),
        ("<br><p><strong>Jean-Luc Exemple</strong></p>", ["Jean-Luc Exemple"]),
        ("<p><i>Maria de la Cruz</i></p>", ["Maria de la Cruz"]),
        # a book's credits between the text and the signature
        (
            "<p><strong>Jane Doe (Hrsg.)<br>1619</strong><br>Verlag, 816 Seiten</p>"
            "<p class='clearfix'><strong>Marina Muster</strong></p>",
            ["Marina Muster"],
        ),
        # a letter's signature: the name, a line break, the date
        ("<p>Benni<br>10. September 2017</p>", ["Benni"]),
        ("<p>Jane Doe<br>\nApril 4, 2021</p>", ["Jane Doe"]),
        ("<p>Herzliche Grüße<br>10. September 2017</p>", []),
        ("<p>Benni<br>in Berlin</p>", []),
        # a bold line the text goes on after is a subheading
        ("<p><strong>Massive Kosten</strong></p><p>Die Stadt zahlt mehr als geplant.</p>", []),
        ("<p><b>Weitere Informationen</b></p><ul><li>Tabelle</li></ul>", []),
        # one word, a sentence, a date or plain text is no signature
        ("<p><b>Redaktion</b></p>", []),
        ("<p><b>Das war ein schönes Spiel heute</b></p>", []),
        ("<p><em>12. Mai 2022</em></p>", []),
        ("<p>Stefan Muster</p>", []),
    ],
)
def test_name_signed_under_the_text(end, names):
    body = f"<div class='text'>{TEXT_PARAGRAPH}{end}</div>"
    meta_ = extract(page(body=body, lang="de"))
    assert meta_.authors == names
    if names:
        assert meta_.provenance["authors"] == "signature"


@pytest.mark.parametrize(
    ("line", "handle"),
    [
        ("Gespeichert von rasos am 24. Juli 2017 - 18:55", "rasos"),
        ("von Marianne1 am 20.09.2020", "Marianne1"),
        ("Submitted by jdoe on 4 May 2021", "jdoe"),
        ("Posted by delta_7 | 2021-05-04", "delta_7"),
        ("Posted by k.lee on Monday, May 4, 2021", "k.lee"),
        ("Publié par zazou le 12/03/2020", "zazou"),
        # a name of two words, a generic account, no date, or a date alone: no handle line
        ("Von Jane Doe am 4. Mai 2021", None),
        ("von admin am 20.09.2020", None),
        ("Submitted by jdoe", None),
        ("von 2021 am 3. Mai", None),
        ("Die Preise von Strom am 3. Mai", None),
    ],
)
def test_dated_handle(line, handle):
    assert dated_handle(line) == handle


@pytest.mark.parametrize(
    ("lines", "names"),
    [
        # an account name and the post's date: the account is the author
        (["<div class='submitted'>Gespeichert von <span>rasos</span> am 24. Juli 2017</div>"],
         ["rasos"]),
        (["<p>von Marianne1 am 20.09.2020</p>"], ["Marianne1"]),
        # ... unless a byline names a person
        (["<div>Gespeichert von human am 7. Juli 2019 - 18:44</div>",
          "<p>Blog Beitrag von Margarita Beispiel</p>"], ["Margarita Beispiel"]),
    ],
)  # fmt: skip
def test_account_name_in_a_dated_byline(lines, names):
    body = f"<article><h1>A headline of the page</h1>{''.join(lines)}<p>Text.</p></article>"
    assert extract(page(body=body, lang="de")).authors == names


SITE = frozenset({"krimiblog", "limespace", "bayrischebembel", "example daily", "exampledaily"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Krimiblog", True),
        ("Example Daily", True),
        ("The Example Daily", True),
        # a name of several words holding the site's name is the site's ("EFC ...")
        ("EFC Bayrische Bembel", True),
        ("Krimiblog-Archiv", True),
        ("limespace.de", True),
        # one word extending the site's name is a member's handle
        ("Krimiblogger", False),
        ("Limespacer", False),
        ("Jane Doe", False),
    ],
)
def test_is_site_name(text, expected):
    assert is_site_name(text, SITE) is expected


@pytest.mark.parametrize(
    ("head", "byline", "url", "names"),
    [
        # a blog on a blog platform is named after its owner's handle
        (
            '<meta name="twitter:site" content="@gnaddrig">',
            "<span class='author vcard'>Autor: <a rel='author'>gnaddrig</a></span>",
            "https://gnadlib.wordpress.com/2020/01/05/paper-cuts/",
            ["gnaddrig"],
        ),
        (
            '<meta property="og:site_name" content="surfguard">',
            "<span class='byline'><a rel='author' href='/author/surfguard/'>surfguard</a></span>",
            "https://surfguard.wordpress.com/2016/11/01/media/",
            ["surfguard"],
        ),
        # ... but a blog's title with an article is not a handle
        (
            '<meta property="og:site_name" content="Das Nachtkabinett">',
            "<span class='author vcard'><a rel='author'>Das Nachtkabinett</a></span>",
            "https://nachtkabinett.wordpress.com/2016/06/19/spuk/",
            [],
        ),
        # elsewhere the site's own name in the byline is the publication
        (
            '<meta property="og:site_name" content="Example Daily">',
            "<span class='author vcard'><a rel='author'>Example Daily</a></span>",
            "https://example-daily.example/2016/06/19/news/",
            [],
        ),
    ],
)
def test_site_named_byline_on_a_blog_platform(head, byline, url, names):
    body = f"<article><h1>A post of the blog</h1><p>{byline}</p><p>Text.</p></article>"
    assert extract(page(head=head, body=body), url).authors == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("<small>04.02.2022 | 13:10 Uhr | Uta Muster</small>", ["Uta Muster"]),
        ("<p class='text-muted'>11.12.2019 - Amelie Beispiel</p>", ["Amelie Beispiel"]),
        ("<span class='field-content'>25.10.2022 - Reiner Muster</span>", ["Reiner Muster"]),
        ("<p><span>Jane Doe</span> | <span>April 4, 2021</span></p>", ["Jane Doe"]),
        ("<p>4. Mai 2023 – Eva Beispiel</p>", ["Eva Beispiel"]),
        # a date, then a byline label and the name: one word is a name too
        ("<span>06.11.2023 13:30 von Olga </span>", ["Olga"]),
        ("<p>April 4, 2021 | by Jane Doe</p>", ["Jane Doe"]),
        ("<p>12 mars 2022 par Claire Exemple</p>", ["Claire Exemple"]),
        ("<p>04.02.2022 von der Stadt veröffentlicht</p>", []),
        # a place, a section, a sentence or a lowercase word beside the date: no one
        ("<small>04.02.2022 | Berlin</small>", []),
        ("<small>04.02.2022 | Pressemitteilung</small>", []),
        ("<p>11.12.2019 - Frankfurt am Main</p>", []),
        ("<p>11.12.2019 - Die Stadt baut eine neue Brücke über den Fluss</p>", []),
        ("<p>04.02.2022 | 13:10 Uhr | EXAMPLE NEWS</p>", []),
    ],
)
def test_date_and_name_line_at_the_headline(line, names):
    html = page(body=f"<article>{line}<h1>A headline of the page</h1><p>Text.</p></article>")
    meta_ = extract(html)
    assert meta_.authors == names
    if names:
        assert meta_.provenance["authors"] == "dated_byline"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Example Daily - Jane Doe", ["Jane Doe"]),
        ("Example Daily | Jane Doe und Max Muster", ["Jane Doe", "Max Muster"]),
        ("Jane Doe - Example Daily", ["Jane Doe"]),
        ("Example Daily - Staff", []),
        ("Example Daily, New York", []),
    ],
)
def test_site_name_before_a_dash_is_left_out(raw, names):
    site = frozenset({"example daily", "exampledaily"})
    assert split_byline(raw, site_names=site) == names


@pytest.mark.parametrize(
    ("head", "names"),
    [
        (meta(author="Jan"), []),  # a CMS account's first name names no one
        (meta(author="Jan Muster"), ["Jan Muster"]),
        (meta(author="jan_m"), ["jan m"]),  # a login name is a handle
        (meta(author="happyface313"), ["happyface313"]),
        # a forum post's poster in JSON-LD is a handle, even a capitalized one
        (
            ld(
                {
                    "@type": "DiscussionForumPosting",
                    "headline": "Patch notes",
                    "author": {"@type": "Person", "name": "Tiberius"},
                }
            ),
            ["Tiberius"],
        ),
    ],
)
def test_given_name_alone_in_a_meta_tag(head, names):
    body = "<h1>Patch notes</h1><p>Thanks to Jan Muster, jan m, happyface313 and Tiberius.</p>"
    assert extract(page(head=head, body=body)).authors == names


@pytest.mark.parametrize(
    ("shown", "names"),
    [
        ("<p>We met Jane Doe.</p>", ["Jane Doe"]),  # as written
        ("<p>We met <b>JANE</b>\n  DOE.</p>", ["Jane Doe"]),  # another case, over elements
        ("<p>We met Jane\u00a0Doé.</p>", ["Jane Doe"]),  # accent-folded
        ("<p>We met Jane Doering.</p>", ["Jane Doe"]),  # inside a longer word: still shown
        ("<p>We met Jane.</p><script>var a = 'Jane Doe';</script>", []),  # a script's only
        ("<p>We met Janet Doe.</p>", []),
    ],
)
def test_a_metadata_author_is_kept_when_the_page_shows_the_name(shown, names):
    """A meta author the page never shows is a CMS account; shown in any case, spacing or
    accents, it is the page's author."""
    body = f"<h1>A report</h1>{shown}"
    assert extract(page(head=meta(author="Jane  Doe"), body=body)).authors == names


def test_meta_author_in_chinese_characters():
    head = meta(author="孔德明")
    body = "<h1>新闻标题</h1><p>正文。</p><span>作者：孔德明</span>"
    assert extract(page(head=head, body=body, lang="zh")).authors == ["孔德明"]


@pytest.mark.parametrize(
    ("line", "url", "names"),
    [
        (
            "Verfasst von: mitundvoneinander | 31. Dezember 2008",
            "https://mitundvoneinander.wordpress.com/2008/12/31/rat/",
            ["mitundvoneinander"],
        ),
        (
            "Posted by surfguard in Medien",
            "https://surfguard.wordpress.com/2016/11/01/m/",
            ["surfguard"],
        ),
        # lowercase words, or the same line on a site of its own: no byline (one account
        # name and a date is: see test_account_name_in_a_dated_byline)
        (
            "Verfasst von: jemand anders | 31. Dezember 2008",
            "https://mitundvoneinander.wordpress.com/2008/12/31/rat/",
            [],
        ),
        (
            "Verfasst von: mitundvoneinander | 31. Dezember 2008",
            "https://mitundvoneinander.example/2008/12/31/rat/",
            [],
        ),
    ],
)
def test_blog_handle_in_a_by_line(line, url, names):
    body = f"<article><h1>Ratschläge geben</h1><p>{line}</p><p>Text.</p></article>"
    assert extract(page(body=body, lang="de"), url).authors == names


def test_jsonld_author_with_a_degree_is_the_person():
    head = ld({"@type": "Article", "headline": "Ways to measure",
               "author": {"@type": "Person", "name": "Grant Muster, PhD"}})  # fmt: skip
    body = "<h1>Ways to measure</h1><p>By Grant Muster, PhD</p>"
    assert extract(page(head=head, body=body)).authors == ["Grant Muster"]


def test_brand_in_meta_author_gives_way_to_the_visible_byline():
    head = meta(author="Jobs & Hire")
    body = "<article><h1>What you need to know</h1><p>By Jose de la Muestra</p></article>"
    meta_ = extract(page(head=head, body=body))
    assert meta_.authors == ["Jose de la Muestra"]
    assert meta_.provenance["authors"] == "byline_text"


# --- whole pages ----------------------------------------------------------------------------

YOAST = page(
    head=(
        "<title>The Regional Migration System | Example Institute</title>"
        + meta(og_site_name="Example Institute", og_type="article", og_locale="en_US")
        + ld(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {
                        "@type": "WebPage",
                        "@id": f"{URL}#webpage",
                        "url": URL,
                        "name": "The Regional Migration System | Example Institute",
                        "datePublished": "2019-01-01T00:00:00+00:00",
                        "breadcrumb": {"@id": f"{URL}#breadcrumb"},
                    },
                    {
                        "@type": "Article",
                        "@id": f"{URL}#article",
                        "headline": "The Regional Migration System",
                        "datePublished": "2021-04-15T09:00:00-04:00",
                        "dateModified": "2021-05-02T12:00:00-04:00",
                        "author": [{"@id": "https://example.org/#/schema/person/1"}],
                        "publisher": {"@id": "https://example.org/#organization"},
                        "inLanguage": "en-US",
                        "mainEntityOfPage": {"@id": f"{URL}#webpage"},
                    },
                    {
                        "@type": "Person",
                        "@id": "https://example.org/#/schema/person/1",
                        "name": "Jane Doe",
                    },
                    {
                        "@type": "Organization",
                        "@id": "https://example.org/#organization",
                        "name": "Example Institute",
                    },
                    {
                        "@type": "BreadcrumbList",
                        "@id": f"{URL}#breadcrumb",
                        "itemListElement": [
                            {"@type": "ListItem", "position": 1, "name": "Home"},
                            {"@type": "ListItem", "position": 2, "name": "Research"},
                        ],
                    },
                ],
            }
        )
    ),
    body=(
        "<h1>A different visible headline</h1><h1>Second h1</h1>"
        "<p class='meta'><a href='/author/jane-doe/'>Jane Doe</a></p>"
    ),
)


def test_yoast_graph():
    meta_ = extract(YOAST)
    assert meta_.title == "The Regional Migration System"
    assert meta_.published.value == dt.date(2021, 4, 15)
    assert meta_.modified.value == dt.date(2021, 5, 2)
    assert meta_.authors == ["Jane Doe"]  # resolved through the @id reference
    assert meta_.language == "en"
    assert meta_.breadcrumbs == ["Home", "Research"]
    assert "jsonld:article" in meta_.page_types
    assert meta_.provenance["title"] == "jsonld"
    assert meta_.provenance["published"] == "jsonld"
    assert meta_.provenance["authors"] == "jsonld"


def test_webpage_node_alone_is_no_publication_date():
    graph = {"@graph": [{"@type": "WebPage", "datePublished": "2019-01-01", "name": "About"}]}
    assert extract(page(head=ld(graph), body="<h1>About us</h1>")).published is None


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ({"@type": "Person", "name": "Jane Doe"}, ["Jane Doe"]),
        ("Jane Doe", ["Jane Doe"]),
        ([{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}],
         ["Jane Doe", "John Roe"]),
        ({"@type": "Person", "givenName": "Jane", "familyName": "Doe"}, ["Jane Doe"]),
        ({"@type": "Organization", "name": "Example Institute"}, []),
    ],
)  # fmt: skip
def test_jsonld_author_shapes(author, expected):
    data = {"@type": "NewsArticle", "headline": "A headline here", "author": author}
    body = "<h1>A headline here</h1><p>Jane Doe and John Roe report.</p>"
    assert extract(page(head=ld(data), body=body)).authors == expected


def person(name: str, **more: str) -> dict:
    return {"@type": "Person", "name": name, **more}


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        # a display name that is a given name alone, its full name in the author's bio
        (person("Nils", description="Nils Muster ist freier Autor und Journalist."),
         ["Nils Muster"]),
        (person("Stefan", description="Stefan Beispiel - Maschinenbauer und Abenteurer."),
         ["Stefan Beispiel"]),
        (person("Jane", description="Jane Doe, senior writer, covers energy."), ["Jane Doe"]),
        (person("Luis", description="Luis de la Cruz es periodista."), ["Luis de la Cruz"]),
        (person("Anne", description="Anne van Dijk schrijft over klimaat."), ["Anne van Dijk"]),
        (person("Jane", familyName="Doe"), ["Jane Doe"]),
        # the bio does not spell the name: the display name stays
        (person("Nils", description="Nils schreibt über Fahrräder."), ["Nils"]),
        (person("Nils", description="Seit 2002 auf dem Rad unterwegs."), ["Nils"]),
        # a role or more capitalized words after the given name are no surname
        (person("Anna", description="Anna Redakteurin bei Beispiel Daily"), ["Anna"]),
        (person("Nils", description="Nils Muster Beispiel Autor Berlin"), ["Nils"]),
        # a full name is left as it is
        (person("Jane Doe", description="Jane Doe Roe is a writer."), ["Jane Doe"]),
    ],
)  # fmt: skip
def test_jsonld_person_given_name_completed_from_its_bio(author, expected):
    data = {"@type": "BlogPosting", "headline": "A headline here", "author": author}
    shown = "Nils Muster, Stefan Beispiel, Jane Doe, Luis de la Cruz, Anne van Dijk, Nils, Anna"
    body = f"<h1>A headline here</h1><p>{shown}.</p>"
    assert extract(page(head=ld(data), body=body)).authors == expected


@pytest.mark.parametrize(
    ("head", "byline", "names"),
    [
        # the CMS account that filed the story is shown elsewhere, the writer under the headline
        (meta(author="Isa Konto"), "Von Matthias Muster", ["Matthias Muster"]),
        (ld({"@type": "NewsArticle", "headline": "A headline of the page",
             "author": {"@type": "Person", "name": "Hanna Weber"}}),
         "By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        # the byline's spelling of the same person wins over a login name's
        (meta(author="gabor_munier"), "Von Gàbor Muniér", ["Gàbor Muniér"]),
        # the byline names one of the metadata's authors: the metadata stands
        (meta(author="Jane Doe, John Roe"), "By Jane Doe", ["Jane Doe", "John Roe"]),
        # ... but a byline naming the metadata's author and a co-author it leaves out wins
        (meta(author="Jane Doe"), "By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        # a sentence or a desk under the headline does not overrule the metadata
        (meta(author="Jane Doe"), "Von Berlin aus sieht man das anders", ["Jane Doe"]),
        (meta(author="Jane Doe"), "By Staff", ["Jane Doe"]),
        # scholarly metadata lists every author: a byline does not overrule it
        (meta(citation_author="Roe, John"), "By Jane Doe", ["John Roe"]),
    ],
)  # fmt: skip
def test_byline_at_the_headline_over_metadata_it_does_not_name(head, byline, names):
    body = (
        f"<article><h1>A headline of the page</h1><p>{byline}</p><p>Text.</p></article>"
        "<footer>Isa Konto, Hanna Weber, Jane Doe, John Roe, gabor munier</footer>"
    )
    meta_ = extract(page(head=head, body=body))
    assert meta_.authors == names


@pytest.mark.parametrize(
    ("name", "url", "names"),
    [
        # a Person named like the site is the site's account ...
        ("CyberKoch", "https://cyberkoch.example/rezepte/kuchen", []),
        # ... unless it is written as a handle, digits and all
        ("happyface313", "https://happyface313.example/2018/03/07/test/", ["happyface313"]),
        ("freeman1984", "https://freeman1984.example/post/", ["freeman1984"]),
        # a Person named like the site but not like the host is the blogger
        ("Jane Doe", "https://example.org/post/", ["Jane Doe"]),
    ],
)
def test_person_named_like_the_site(name, url, names):
    data = {"@type": "BlogPosting", "headline": "Im Test: Shampoo",
            "author": {"@type": "Person", "name": name}}  # fmt: skip
    head = ld(data) + meta(og_site_name=name)
    body = f"<h1>Im Test: Shampoo</h1><p>Text.</p><footer>{name}</footer>"
    assert extract(page(head=head, body=body), url).authors == names


def test_metadata_author_the_page_never_shows_is_not_used():
    data = {"@type": "NewsArticle", "headline": "A headline here", "author": "Web Editor Account"}
    head = ld(data) + meta(author="cms-user-17")
    body = "<h1>A headline here</h1><p class='byline'>By Jane Doe</p><p>Text.</p>"
    meta_ = extract(page(head=head, body=body))
    assert (meta_.authors, meta_.provenance["authors"]) == (["Jane Doe"], "byline_element")


def test_jsonld_with_a_trailing_comma_and_entities():
    script = (
        '<script type="application/ld+json">{"@type": "BlogPosting", '
        '"headline": "Olive &#038; Herb Bread", "datePublished": "2020-03-01",}</script>'
    )
    meta_ = extract(page(head=script))
    assert (meta_.title, meta_.published.value) == ("Olive & Herb Bread", dt.date(2020, 3, 1))


@pytest.mark.parametrize(
    "block",
    [
        # a stray closing brace a template left after the object
        '{"@type": "NewsArticle", "headline": "Direktor pozitivan", "datePublished": '
        '"2020-10-26T18:10:00+01:00"}\n    }',
        # two objects written one after the other in one block
        '{"@type": "Organization", "name": "Example"} {"@type": "NewsArticle", '
        '"headline": "Direktor pozitivan", "datePublished": "2020-10-26T18:10:00+01:00"}',
    ],
)
def test_jsonld_values_before_junk_or_in_sequence_are_read(block):
    meta_ = extract(page(head=f'<script type="application/ld+json">{block}</script>'))
    assert (meta_.title, meta_.published.value) == ("Direktor pozitivan", dt.date(2020, 10, 26))


def test_a_clip_embedded_in_the_page_is_not_the_page():
    """A news page's JSON-LD: the page as a WebPage, and a video clip it embeds."""
    page_url = "https://edition.example.com/2021/03/08/uk/interview-recap/index.html"
    webpage = {
        "@type": "WebPage",
        "name": "Eleven things we learned from the interview",
        "url": "https://www.example.com/2021/03/08/uk/interview-recap/index.html",
    }
    clip = {
        "@type": "VideoObject",
        "name": "The couple talk about leaving",
        "uploadDate": "2021-03-14T19:14:36Z",
        "embedUrl": "https://example.com/embed/1",
    }
    head = ld(webpage) + ld(clip) + meta(pubdate="2021-03-08T11:15:28Z")
    body = (
        "<main><h1>Eleven things we learned from the interview</h1><p>Text.</p>"
        "<div class='video'><h2>The couple talk about leaving</h2></div></main>"
    )
    meta_ = extract(page(head=head, body=body), page_url)
    assert meta_.title == "Eleven things we learned from the interview"
    assert meta_.published.value == dt.date(2021, 3, 8)
    # a video page: its clip is the page, whatever the WebPage node calls it
    webpage["name"] = "The couple talk about leaving - Example Video"
    meta_ = extract(page(head=ld(webpage) + ld(clip), body="<h1>Talk</h1>"), page_url)
    assert meta_.published.value == dt.date(2021, 3, 14)


def test_jsonld_that_does_not_parse_is_left_out():
    block = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    assert extract(page(head=block, body="<h1>Shown headline</h1>")).title == "Shown headline"


CITATION = page(
    head=(
        "<title>Border Policy after 2020 - Example Journal</title>"
        + meta(
            citation_title="Border Policy after 2020",
            citation_publication_date="2021/04/15",
            citation_pdf_url="/files/border-policy.pdf",
        )
        + '<meta name="citation_author" content="Doe, Jane">'
        + '<meta name="citation_author" content="Roe, John">'
    ),
    body="<p>Abstract.</p>",
)


def test_citation_tags():
    meta_ = extract(CITATION)
    assert meta_.title == "Border Policy after 2020"
    assert meta_.published.value == dt.date(2021, 4, 15)
    assert meta_.provenance["published"] == "citation_publication_date"
    assert meta_.authors == ["Jane Doe", "John Roe"]  # "Last, First" turned round
    assert meta_.provenance["authors"] == "citation_author"
    assert meta_.pdf_urls == ["https://example.org/files/border-policy.pdf"]


def test_dublin_core():
    head = (
        '<meta name="DC.title" content="Labour Mobility in the Americas">'
        '<meta name="DC.creator" content="Jane Doe">'
        '<meta name="DC.date" content="2020-11-02">'
    )
    meta_ = extract(page(head=head, body="<p>Jane Doe</p>"))
    assert (meta_.title, meta_.authors) == ("Labour Mobility in the Americas", ["Jane Doe"])
    assert (meta_.published.value, meta_.provenance["published"]) == (
        dt.date(2020, 11, 2),
        "dc.date",
    )


@pytest.mark.parametrize(
    ("markup", "source"),
    [
        ('<meta name="shareaholic:article_published_time" content="2014-03-17T01:44:37+01:00">',
         "shareaholic:article_published_time"),
        ('<div itemscope><meta itemprop="datePublished" content="2014-03-17"></div>',
         "microdata_datePublished"),
    ],
)  # fmt: skip
def test_other_publication_date_markup(markup, source):
    meta_ = extract(page(body=markup))
    assert (meta_.published.value, meta_.provenance["published"]) == (dt.date(2014, 3, 17), source)


def test_opengraph_article_tags():
    head = (
        '<meta property="og:title" content="Visas and Work Permits">'
        '<meta property="article:published_time" content="2022-03-09T08:00:00+01:00">'
        '<meta property="article:modified_time" content="2022-03-10T08:00:00+01:00">'
        '<meta property="article:author" content="https://www.facebook.com/janedoe">'
        '<meta name="author" content="Jane Doe">'
        '<link rel="canonical" href="/research/visas">'
    )
    meta_ = extract(page(head=head, body="<p>A report by Jane Doe.</p>"))
    assert meta_.published.value == dt.date(2022, 3, 9)
    assert meta_.modified.value == dt.date(2022, 3, 10)
    assert meta_.authors == ["Jane Doe"]  # the profile URL is not a name
    assert meta_.provenance["authors"] == "meta_author"
    assert meta_.canonical_url == "https://example.org/research/visas"


WORDPRESS = page(
    head="<title>Notes from the border &#8211; A Field Blog</title>",
    body="""
<header id="masthead"><p class="site-title"><a href="/">A Field Blog</a></p></header>
<main><article class="post-12 post type-post category-popular tag-related hentry">
  <header class="entry-header">
    <h1 class="entry-title">Notes from the border</h1>
    <div class="entry-meta">
      <span class="posted-on">Posted on
        <time class="entry-date published"
          datetime="2021-04-15T10:00:00+00:00">April 15, 2021</time>
        <time class="updated" datetime="2021-06-01T10:00:00+00:00">June 1, 2021</time></span>
      <span class="byline"> by <span class="author vcard"><a class="url fn n"
        href="/author/jdoe/">Jane Doe</a></span></span>
    </div>
  </header>
  <div class="entry-content"><p>Text of the post.</p></div>
  <div id="comments"><ol class="comment-list"><li class="comment">
    <div class="comment-author vcard"><b class="fn">Max Reader</b></div>
    <time datetime="2021-04-20T08:00:00+00:00">April 20, 2021</time></li></ol></div>
</article></main>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">
  <ul><li><a href="/p1">Older post</a> <span class="post-date">March 2, 2020</span></li></ul>
</section></aside>""",
)


def test_wordpress_post():
    meta_ = extract(WORDPRESS, "https://fieldblog.example.net/notes-from-the-border/")
    assert meta_.title == "Notes from the border"
    assert meta_.published.value == dt.date(2021, 4, 15)
    assert meta_.provenance["published"] == "time_element"
    assert meta_.modified.value == dt.date(2021, 6, 1)
    assert meta_.authors == ["Jane Doe"]  # not the commenter
    assert meta_.provenance["authors"] == "byline_element"


DRUPAL = page(
    body="""
<div id="page"><div id="content" class="column"><div class="region region-content">
<div id="node-17" class="node node-article node-full">
  <h1 class="title">Return Migration in Central America</h1>
  <div class="submitted">Submitted by <span class="username">Ana García</span>
    on 12. April 2022</div>
  <div class="field field-name-body"><p>Body.</p></div>
</div></div></div>
<div class="region region-sidebar-second"><div class="block block-views">
  <h2>Related</h2><div class="view-content"><div class="views-row">
  <span class="date-display-single">3. März 2021</span></div></div></div></div>
<div id="footer">© 2024 Example Institute</div></div>""",
    lang="de",
)


def test_drupal_node():
    meta_ = extract(DRUPAL)
    assert meta_.title == "Return Migration in Central America"
    assert meta_.published.value == dt.date(2022, 4, 12)
    assert meta_.authors == ["Ana García"]
    assert meta_.language == "de"


def test_updated_line_next_to_published_line():
    body = (
        "<article><h1>Asylum backlogs, explained</h1>"
        "<p class='dateline'>Updated: 6 May 2023 | Published: 4 May 2023</p>"
        "<p>Text.</p></article>"
    )
    meta_ = extract(page(body=body))
    assert meta_.published.value == dt.date(2023, 5, 4)


def test_related_articles_sidebar_dates_are_not_the_pages():
    body = (
        "<main><h1>About the programme</h1><p>What we do.</p></main>"
        "<aside class='sidebar'><h2>Related</h2><ul>"
        "<li><a href='/a'>A post</a> <time datetime='2020-01-02'>2 Jan 2020</time></li>"
        "<li><a href='/b'>B post</a> <span class='date'>3 Feb 2020</span></li></ul></aside>"
        "<div class='related-posts'><span class='post-date'>April 5, 2020</span></div>"
        "<footer><p>Copyright 2023 Example Institute. Last modified 1 March 2023.</p></footer>"
    )
    meta_ = extract(page(body=body))
    assert meta_.published is None
    assert "published" not in meta_.provenance


def test_page_with_no_date_gets_none():
    html = page(
        head="<title>Contact | Example Institute</title>",
        body="<h1>Contact</h1><p>Write to us at 1200 18th Street, Suite 2020.</p>",
    )
    assert extract(html).published is None


@pytest.mark.parametrize("kind", ["Recipe", "Product", "Course", "SoftwareApplication"])
def test_a_catalogue_entrys_database_date_is_not_a_publication_date(kind):
    data = {"@type": kind, "name": "Lemon cake", "datePublished": "2020-07-14"}
    html = page(head=ld(data), body="<h1>Lemon cake</h1><p>Ingredients.</p>")
    assert extract(html).published is None
    shown = page(head=ld(data), body="<h1>Lemon cake</h1><p class='date'>14.07.2020</p>")
    assert extract(shown).published.value == dt.date(2020, 7, 14)


@pytest.mark.parametrize("kind", ["HowTo", "Article", "BlogPosting"])
def test_a_how_to_guide_is_dated_like_an_article(kind):
    # a DIY guide is written and published like an article, not listed like a recipe
    data = {"@type": kind, "name": "Eine runde Tischdecke nähen", "datePublished": "2022-01-10"}
    html = page(head=ld(data), body="<h1>Eine runde Tischdecke nähen</h1><p>Schritt 1.</p>")
    assert extract(html).published.value == dt.date(2022, 1, 10)


def test_a_reviews_microdata_date_is_not_the_pages():
    body = (
        "<h1>Small animal hutch</h1><div itemprop='review' itemscope>"
        "<meta itemprop='datePublished' content='2020-06-08'><p>Great hutch.</p></div>"
    )
    assert extract(page(body=body)).published is None


def test_url_date_is_the_last_resort():
    html = page(body="<h1>A field note</h1><p>Text.</p>")
    meta_ = extract(html, "https://blog.example.net/2019/08/02/a-field-note/")
    assert (meta_.published.value, meta_.provenance["published"]) == (dt.date(2019, 8, 2), "url")


def test_visible_date_wins_over_a_utc_timestamp_a_day_away():
    head = '<meta property="article:published_time" content="2022-11-06T23:00:00.000Z">'
    body = "<article><h1>Winter tyres</h1><div class='date'>07.11.2022</div></article>"
    assert extract(page(head=head, body=body, lang="de")).published.value == dt.date(2022, 11, 7)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Von Anna Muster und Max Beispiel", ["Anna Muster", "Max Beispiel"]),
        ("Por Ana García y Luis Pérez", ["Ana García", "Luis Pérez"]),
        ("Par Marie Curie et Pierre Curie", ["Marie Curie", "Pierre Curie"]),
        ("Di Mario Rossi e Giulia Bianchi", ["Mario Rossi", "Giulia Bianchi"]),
        ("By Jane Doe, Senior Fellow", ["Jane Doe"]),
    ],
)
def test_visible_byline_under_the_headline(byline, names):
    body = f"<article><h1>A headline of the page</h1><p>{byline}</p><p>Text.</p></article>"
    meta_ = extract(page(body=body))
    assert meta_.authors == names
    assert meta_.authors_raw == byline
    assert meta_.provenance["authors"] == "byline_text"


def test_a_follow_the_author_button_names_no_author():
    body = (
        "<article><h1>Gemeinde räumt Versäumnisse ein</h1>"
        "<div class='authorBox'><button class='followAuthorBtn'>Folgen</button>"
        "<button class='followAuthorBtn' type='button'>Abbruch</button></div>"
        "<p>Text.</p></article>"
    )
    assert extract(page(body=body, lang="de")).authors == []
    named = body.replace("<div class='authorBox'>", "<div class='authorBox'>"
                         "<span class='author'>Anna Muster</span>")  # fmt: skip
    assert extract(page(body=named, lang="de")).authors == ["Anna Muster"]


@pytest.mark.parametrize(
    ("control", "names"),
    [
        # a link styled as a button, in a box of topics to follow
        ("<a href='/profil/themen/' class='followAuthorBtn'>Themen bearbeiten</a>", []),
        ("<a href='/author/anna' class='btn-primary author-link'>Alle Artikel</a>", []),
        # a link in a text style that looks like a button's is still the byline
        ("<a href='#article-authors' class='text-button-m author-link'><span>Anna Muster"
         "</span></a>", ["Anna Muster"]),
    ],
)  # fmt: skip
def test_a_link_styled_as_a_button_names_no_author(control, names):
    body = f"<article><h1>Gemeinde räumt Versäumnisse ein</h1>{control}<p>Text.</p></article>"
    assert extract(page(body=body, lang="de")).authors == names


@pytest.mark.parametrize(
    "figure",
    [
        "<figure><img src='/a.jpg'><figcaption><div class='copyright'>Jane Roe/AGENCY</div>"
        "<div class='caption'>Soldiers abroad (Kundus, 6.12.2010)</div></figcaption></figure>",
        "<div class='row'><div class='col'><figure><img src='/a.jpg'><figcaption>Kundus, "
        "6.12.2010</figcaption></figure></div></div>",
    ],
)
def test_a_photos_caption_near_the_headline_dates_the_photo_not_the_page(figure):
    article = {
        "@type": "NewsArticle",
        "headline": "Medals for killing",
        "datePublished": "2024-04-25T19:30:04+02:00",
    }
    body = (
        "<article><header><h1>Medals for killing</h1><address class='author'>Von Karim "
        f"Natour</address></header>{figure}<p>Every year the president lays a wreath.</p>"
        "</article>"
    )
    assert extract(page(head=ld(article), body=body, lang="de")).published.value == dt.date(
        2024, 4, 25
    )


def test_a_headline_set_in_a_cover_caption_keeps_its_date_line():
    body = (
        "<div class='aufmacher'><figure><img src='/a.jpg'></figure><figcaption><small>"
        "31.01.2022&nbsp; 2. HBL</small><h1 class='heading'>New head coach for Dormagen</h1>"
        "<p>The club announced it on Sunday.</p></figcaption></div>"
    )
    assert extract(page(body=body, lang="de")).published.value == dt.date(2022, 1, 31)


def test_a_headline_whose_kicker_the_metadata_title_leaves_out_dates_the_page():
    """No <h1>: the article's <h3> holds a roofline kicker the og:title leaves out; its date
    line, under it, dates the page (the URL names the month only)."""
    head = "<meta property='og:title' content='Old hotel opens once more as a theatre'>"
    body = (
        "<div class='teaser'><h3><a href='/a'>Another story</a></h3><p>Mo 01.04.24</p></div>"
        "<article role='article'><h3><span class='roofline'>Premiere in the east</span>"
        "<span class='hideme'> - </span><span class='titletext'>Old hotel opens once more as "
        "a theatre</span></h3><div class='technicalline'><div class='lineinfo'>Do 25.04.24 | "
        "14:07 Uhr | Von <span class='authorname'>Eva Kirchner</span></div></div>"
        "<p>Text.</p></article>"
    )
    url = "https://www.example.de/kultur/beitrag/2024/04/theater-hotel.html"
    meta_ = extract(page(head=head, body=body, lang="de"), url)
    assert meta_.published.value == dt.date(2024, 4, 25)
    assert meta_.authors == ["Eva Kirchner"]


def test_a_metadata_author_shown_only_as_the_editor_is_no_author():
    person = {
        "@type": "NewsArticle",
        "headline": "Farmers and teachers graduate",
        "author": {"@type": "Person", "name": "Heryadi"},
    }
    body = (
        "<article><h1>Farmers and teachers graduate</h1><div class='info'>"
        "<div class='author-2'>Naufal Zuhdi</div></div><p>Text.</p>"
        "<div class='info-author'>Editor : <a class='author' href='/author/112/heryadi'>"
        "Heryadi</a></div></article>"
    )
    meta_ = extract(page(head=ld(person), body=body))
    assert meta_.authors == ["Naufal Zuhdi"]
    # named as the writer somewhere too: the metadata's author stands
    shown = body.replace("<p>Text.</p>", "<p>Heryadi reports from Jakarta.</p>")
    assert extract(page(head=ld(person), body=shown)).authors == ["Heryadi"]


def test_only_as_editor():
    assert cascade.only_as_editor("Text. Editor : Heryadi More", "Heryadi")
    assert cascade.only_as_editor("责任编辑：孔德明", "孔德明")
    assert not cascade.only_as_editor("Von Heryadi. Editor: Heryadi", "Heryadi")
    assert not cascade.only_as_editor("Text", "Heryadi")


@pytest.mark.parametrize(
    ("box", "names"),
    [
        ("<div class='author-bio footer'><h3>Martin Junker</h3><p>Martin writes about cars."
         "</p></div>", ["Martin Junker"]),
        # a box headed by its label, not a name, names no one
        ("<div class='author-bio'><h3>About the author</h3><p>Our team writes.</p></div>", []),
    ],
)  # fmt: skip
def test_an_author_box_under_the_text_names_its_author(box, names):
    body = (
        "<article><header><h1 class='entry-title'>Company car: lease or finance?</h1></header>"
        f"<div class='entry-content'><p>Text.</p></div>{box}</article>"
    )
    assert extract(page(body=body)).authors == names


def test_a_brand_logo_named_for_screen_readers_is_no_author():
    body = (
        "<article><h2>Warum Kritik an Trumps Charakter so ineffektiv ist</h2>"
        "<div class='authors typo-article-info'><span class='brand-identifier "
        "authors__brand-identifier'><span class='u-visually-hidden'>capital</span></span>"
        "<ul><li class='authors__list-item'><span>von</span> <span>Jemima Kelly</span></li>"
        "</ul></div><p>Text.</p></article>"
    )
    assert extract(page(body=body, lang="de")).authors == ["Jemima Kelly"]


def test_a_sentence_with_von_is_no_byline():
    body = "<article><h1>Energy prices</h1><p>Die Preise von Strom und Gas steigen.</p></article>"
    assert extract(page(body=body, lang="de")).authors == []


def test_site_name_is_no_author_and_no_title():
    head = (
        "<title>Why visas matter | Example Daily</title>"
        + meta(author="Example Daily")
        + '<meta property="og:site_name" content="Example Daily">'
    )
    meta_ = extract(page(head=head, body="<p>Text.</p>"))
    assert meta_.authors == []
    assert meta_.title == "Why visas matter"
    assert meta_.site_name == "Example Daily"


def test_a_site_name_field_holding_the_headline_names_no_site():
    headline = "Künstliche Intelligenz in der Schule - Kinder werden schneller"
    head = f'<meta name="application-name" content="{headline}">' + meta(
        og_site_name="RP Online", og_title=headline
    )
    meta_ = extract(page(head=head, body=f"<nav><h1>{headline}</h1></nav>"))
    assert meta_.title == headline
    assert meta_.site_name == "RP Online"


def test_a_page_whose_every_title_is_the_sites_name_has_its_headline_read_from_its_class():
    head = "<title>ICON • Example Magazine</title>" + meta(
        og_title="Example Magazine", og_site_name="Example Magazine"
    )
    body = (
        "<header><h1 class='head-title'>Example Magazine</h1></header><div class='single'>"
        "<div class='editorial-module editorial-module--title'><p><em>Before and after"
        "</em></p></div><p>Text.</p></div>"
    )
    story = extract_metadata(
        page(head=head, body=body), "https://examplemagazine.org/story/interview/", today=TODAY
    )
    assert (story.title, story.provenance["title"]) == ("Before and after", "classed_headline")
    # the home page is the site's own page: its name is its title
    home = extract_metadata(page(head=head, body=body), "https://examplemagazine.org/", today=TODAY)
    assert home.title == "Example Magazine"


def test_an_application_name_that_is_the_whole_title_names_no_site():
    headline = "Student halls too full to be safe, experts warn"
    head = f"<title>{headline}</title><meta name='application-name' content='{headline}'>"
    body = "<p>Text.</p><div class='section-title'>What to watch next</div>"
    meta_ = extract(page(head=head, body=body))
    assert (meta_.title, meta_.site_name) == (headline, None)


def test_blog_h1_naming_the_site_is_not_the_title():
    html = page(
        head="<title>Interning of small integers | Four Years Left</title>",
        body="<h1>Four Years Left</h1><h2 class='entry-title'>Interning of small integers</h2>",
    )
    assert extract(html).title == "Interning of small integers"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Four Years Left » Blog Archive » Interning of small integers",
         "Interning of small integers"),
        ("Example Club - The club sets its course for the future - News",
         "The club sets its course for the future"),
        ("Why visas matter | Example Daily", "Why visas matter"),
        # a box-drawing bar set as the separator
        ("Become a tester: test for free and review │ Example Market",
         "Become a tester: test for free and review"),
    ],
)  # fmt: skip
def test_title_tag_parts(title, expected):
    assert extract(page(head=f"<title>{title}</title>", body="<p>Text.</p>")).title == expected


def test_kicker_inside_the_headline_is_left_out():
    html = page(
        head="<title>Hockey semi-final on Tuesday | Example Sports</title>",
        body="<h1><span class='kicker'>Ice hockey</span> Hockey semi-final on Tuesday</h1>",
    )
    assert extract(html).title == "Hockey semi-final on Tuesday"


def test_hidden_navigation_heading_is_not_the_headline():
    html = page(
        head="<title>Speech at the convention - Example Office</title>",
        body="<h1 class='sr-only'>Navigation and service</h1><h2>Speech at the convention</h2>",
    )
    assert extract(html).title == "Speech at the convention"


def test_blog_platform_subdomain_is_the_blogger():
    body = "<h1>Fog soup</h1><span class='author vcard'><a class='url fn n'>creeny</a></span>"
    assert extract(page(body=body), "https://creeny.wordpress.com/2019/01/02/fog/").authors == [
        "creeny"
    ]
    assert extract(page(body=body), "https://creeny.example/2019/01/02/fog/").authors == []


def test_archived_copy_is_read_as_the_original():
    html = page(body="<h1>A field note</h1><p>Text.</p>")
    url = "https://web.archive.org/web/20080731095558/http://www.example.de/2008/07/29/note/"
    assert extract(html, url).published.value == dt.date(2008, 7, 29)


def test_language_hints():
    head = (
        '<meta http-equiv="content-language" content="es-MX">'
        '<meta property="og:locale" content="es_MX">'
    )
    meta_ = extract(page(head=head, lang="es"))
    assert meta_.language == "es"
    assert meta_.language_hints["html_lang"] == "es"
    assert meta_.language_hints["og:locale"] == "es_MX"


def test_bytes_in_a_declared_charset():
    html = page(head='<meta charset="windows-1252">', body="<h1>Niños migrantes</h1>")
    assert extract(html.encode("cp1252")).title == "Niños migrantes"


@pytest.mark.parametrize(
    ("declared", "encoded", "headline"),
    [
        ("windows-1252", "cp1252", "Niños “migrantes”"),
        ("iso-8859-1", "cp1252", "Niños “migrantes”"),  # browsers read latin-1 as windows-1252
        ("iso-8859-15", "iso-8859-15", "Niños migrantes €"),
        ("shift_jis", "shift_jis", "移民の子ども"),
        ("gb2312", "gb2312", "移民儿童"),
        ("koi8-r", "koi8-r", "Дети мигрантов"),
        ("iso-2022-jp", "iso-2022-jp", "移民の子ども"),  # written in ASCII bytes
        # pages re-encoded as UTF-8 that keep their old declaration
        ("gb2312", "utf-8", "促进航天技术更好惠及人民"),
        ("iso-8859-15", "utf-8", "Verstappen tras su sanción"),
        ("windows-1251", "utf-8", "Дети мигрантов"),
        ("utf-16", "utf-8", "Niños migrantes"),  # a UTF-16 <meta> on bytes is no UTF-16
    ],
)
def test_bytes_are_read_in_the_charset_they_are_written_in(declared, encoded, headline):
    html = page(head=f'<meta charset="{declared}">', body=f"<h1>{headline}</h1>")
    assert extract(html.encode(encoded)).title == headline


@pytest.mark.parametrize("html", ["", "   ", b"", "<html></html>", b"\x00\x01binary"])
def test_empty_or_broken_input_gives_an_empty_result(html):
    meta_ = extract(html)
    assert (meta_.title, meta_.published, meta_.authors) == (None, None, [])


def test_as_dict_is_json_ready():
    data = extract(YOAST).as_dict()
    assert json.loads(json.dumps(data))["published"]["value"] == "2021-04-15"


# --- the benchmark's scoring ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "gold", "expected"),
    [
        ("The Headline", "The headline", True),
        ("The “Headline”", 'The "Headline"', True),
        ("The Headline | Site", "The Headline", True),  # contained, most of it
        ("Site", "The Headline of the Day | Site", False),  # contained, a small part
        ("Another headline", "The Headline", False),
        (None, "The Headline", False),
        ("Messengerdienste sind frei", "Mes\u00adsen\u00adger\u00addiens\u00adte sind frei", True),
        # the same words, punctuated or spaced otherwise
        ("Nationale Demo / Der 9. Juli naht", "Nationale Demo: Der 9. Juli naht", True),
        ("Krach vor der Versammlung: Es knirscht", "Krach vor der Versammlung:Es knirscht", True),
        ("OFFSHORE-WINDENERGIE SAUBERER STROM", "Offshore-Windenergie – Sauberer Strom", True),
        # containment is of whole words
        ("Demo Der Juli naht", "Demo Derby Juli naht", False),
        ("Headline of the day", "The Headline of the daylight show", False),
    ],
)
def test_title_match(ours, gold, expected):
    assert title_match(ours, gold) is expected


def test_gold_authors():
    assert gold_authors("Jane Doe; Jöhn Roe ;") == ["jane doe", "john roe"]
    assert gold_authors(["Jane Doe"]) == ["jane doe"]
    assert gold_authors("") == []


def test_score():
    pairs = [
        ({"date": "2021-04-15", "author": "Jane Doe; John Roe", "title": "T one"},
         Fields("T one", "2021-04-15", ["jane doe"])),
        ({"date": "2021-04-16", "author": "Ann Poe", "title": "T two"},
         Fields("other", "2021-04-15", ["Ann Poe", "Bob"])),
        ({"date": "", "author": ""}, Fields(None, "2020-01-01", ["Someone"])),
        ({"date": "", "author": ""}, Fields(None, None, [])),
        ({"title": "not annotated for dates"}, Fields("not annotated for dates", "2020-01-01")),
        ({"date": "2022-29-11"}, Fields(None, "2022-11-29")),  # no calendar day: not scored
        ({"date": "2022-11-1"}, Fields(None, "2022-11-01")),
    ]  # fmt: skip
    scores = score(pairs)
    assert scores["date_unscorable"] == 2
    assert scores["dated_pages"] == 2
    assert scores["date_exact_day"] == 0.5
    assert scores["undated_pages"] == 2
    assert scores["undated_answered"] == 0.5
    assert scores["author_pages"] == 2
    assert scores["authors_precision"] == pytest.approx(2 / 3)
    assert scores["authors_recall"] == pytest.approx(2 / 3)
    assert scores["authors_f1"] == pytest.approx(2 / 3)
    assert scores["authors_exact_set"] == 0.0
    assert scores["authorless_false_positive"] == 0.5
    assert scores["title_accuracy"] == pytest.approx(2 / 3)
    assert scores["language_accuracy"] is None


@pytest.mark.parametrize(
    ("ours", "gold", "right"),
    [("de", "de", True), ("de-AT", "de", True), ("en_US", "en", True), ("nb", "no", True),
     ("nn-NO", "no", True), ("da", "no", False), (None, "en", False)],
)  # fmt: skip
def test_language_score(ours, gold, right):
    pairs = [
        ({"language": gold}, Fields(language=ours)),
        ({"language": "fr"}, Fields(language="fr")),
    ]
    assert score(pairs)["language_accuracy"] == (1.0 if right else 0.5)


def test_a_tool_that_names_no_language_is_not_scored_on_it():
    assert score([({"language": "de"}, Fields())])["language_accuracy"] is None


def test_score_reads_nan_and_null_dates_as_undated():
    # htmldate's evaluation files mark an undated page with NaN (json.loads reads NaN)
    pairs = [
        (json.loads('{"date": NaN}'), Fields(None, "2020-01-01")),
        ({"date": None}, Fields(None, None)),
    ]
    scores = score(pairs)
    assert (scores["undated_pages"], scores["undated_answered"]) == (2, 0.5)
    assert scores["dated_pages"] == 0


def test_realpages_on_a_tiny_corpus(tmp_path, capsys):
    from benchmarks import realpages

    (tmp_path / "cache").mkdir()
    (tmp_path / "eval").mkdir()
    (tmp_path / "cache" / "a.html").write_bytes(WORDPRESS.encode())
    (tmp_path / "eval" / "b.html").write_text(DRUPAL, encoding="utf-8")
    annotations = {
        "https://fieldblog.example.net/notes/": {
            "file": "a.html",
            "author": "Jane Doe",
            "date": "2021-04-15",
            "title": "Notes from the border",
        },
        URL: {"file": "b.html", "date": "2022-04-12", "title": "Return Migration"},
        "https://example.org/unannotated": {"file": "a.html", "with": ["x"]},
        "https://example.org/missing": {"file": "missing.html", "date": ""},
    }
    (tmp_path / "evaldata.json").write_text(json.dumps(annotations), encoding="utf-8")
    out = tmp_path / "pages.jsonl"
    assert realpages.main(["--corpus", str(tmp_path), "--out", str(out), "--tools", "ours"]) == 0
    table = capsys.readouterr().out
    assert "| date exact day (dated pages) | 2 | 100.0 % |" in table
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["url"] for r in rows] == sorted([URL, "https://fieldblog.example.net/notes/"])
    blog = next(r for r in rows if r["url"].startswith("https://fieldblog"))
    assert blog["ours"]["authors"] == ["Jane Doe"]
    assert blog["gold"]["author"] == "Jane Doe"

    # timed in rounds: the same answers, one speed (the best pass), the rounds recorded
    scores = tmp_path / "scores.json"
    argv = ["--corpus", str(tmp_path), "--tools", "ours", "--rounds", "2", "--json", str(scores)]
    assert realpages.main(argv) == 0
    assert "| date exact day (dated pages) | 2 | 100.0 % |" in capsys.readouterr().out
    results = json.loads(scores.read_text(encoding="utf-8"))
    assert results["rounds"] == 2 and results["tools"]["ours"]["date_exact_day"] == 1.0
    with pytest.raises(SystemExit):
        realpages.main(["--corpus", str(tmp_path), "--rounds", "0"])


@pytest.mark.parametrize("tool", ["trafilatura", "htmldate", "newspaper4k"])
def test_each_other_tool_reads_a_page_offline(tool):
    """The tools ours is compared with (the ``bench`` extra; skipped where not installed)."""
    from benchmarks import realpages

    module = {"trafilatura": "trafilatura", "htmldate": "htmldate", "newspaper4k": "newspaper"}
    pytest.importorskip(module[tool])
    fields = realpages.TOOLS[tool]()(WORDPRESS.encode(), "https://fieldblog.example.net/notes/")
    assert fields.date == "2021-04-15"
    if tool != "htmldate":
        assert title_match(fields.title, "Notes from the border")


def test_the_package_imports_no_scrapy():
    import subprocess
    import sys

    code = (
        "import sys; import regmig_scraper.metadata as m; "
        "m.extract_metadata('<h1>x y</h1>', 'https://example.org/'); "
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('scrapy', 'twisted')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# A <time> element far from the headline, in a content column no class names as a date box:
# a government page's "Datum" box below the text, a serial's chapter footer.
TIME_FAR_FROM_HEADLINE = [
    (
        "<div class='c-intro'><h1>Rural development forum</h1><p>{filler}</p></div>"
        "<div class='c-box'><p>Datum</p><time datetime='2022-01-26'>26. Jan 2022</time></div>",
        dt.date(2022, 1, 26),
    ),
    (
        "<div class='chapter'><h1>Chapter 1: Prologue</h1></div><div class='chapter-inner'>"
        "<p>{filler}</p></div><div class='row'><span>Published</span>"
        "<time unixtime='1596705000'>Thursday, August 6, 2020 9:09:24 AM</time></div>",
        dt.date(2020, 8, 6),
    ),
]


@pytest.mark.parametrize(("body", "value"), TIME_FAR_FROM_HEADLINE)
def test_a_time_element_anywhere_outside_other_items_dates_the_page(body, value):
    filler = "A long paragraph of the text. " * 40  # beyond the lines read near the headline
    meta_ = extract(page(body=body.format(filler=filler)))
    assert (meta_.published.value, meta_.provenance["published"]) == (value, "time_element")


def test_a_time_element_in_a_comment_or_sidebar_does_not_date_the_page():
    filler = "A long paragraph of the text. " * 40
    body = (
        f"<article><h1>About us</h1><p>{filler}</p></article>"
        "<aside><time datetime='2021-03-04'>4 March 2021</time></aside>"
        "<div class='comments'><time datetime='2021-05-06'>6 May 2021</time></div>"
    )
    assert extract(page(body=body)).published is None


# Headlines as printed: the page's <h1> is its title, whatever its SEO title says; invisible
# characters and skip-navigation headings are not the headline's.
HEADLINES = [
    # several <h1> on the page (a hidden menu heading first), the title an SEO rewording
    ("<title>Product testers: test for free & review | Example Market</title>",
     "<h1 class='visually-hidden'>Main menu</h1><main><h1>Become a product tester now</h1>"
     "<p>Text.</p></main><footer><h1>Newsletter</h1></footer>",
     "Become a product tester now"),
    # an authority hyphenates its headline with soft hyphens and zero-width spaces
    ("<title>Press release</title>",
     "<main><h1>Mes&shy;sen&shy;ger&shy;diens&shy;te sind kein rechts&#8203;frei&shy;er Raum</h1>"
     "<p>Text.</p></main>",
     "Messengerdienste sind kein rechtsfreier Raum"),
    # a skip-link heading in camelCase classes comes before the article's own
    ("<title>Women in the relief agency: past and future</title>",
     "<div id='wrapperOuter'><h1 class='navSkip'>Main navigation</h1>"
     "<div class='mainContent'><h1>Women in the relief agency: past and future</h1>"
     "<p>Text.</p></div></div>",
     "Women in the relief agency: past and future"),
    # "Site - Section - Headline": the section's <h1> is not the headline, the longest part is
    ("<title>Customs online - Notices - Tobacco duty reform act announced</title>",
     "<div class='stage'><h1>Notices</h1></div>"
     "<div class='news'><h1>Tobacco duty reform act announced</h1><p>Text.</p></div>",
     "Tobacco duty reform act announced"),
    # "Headline - Site" with both sides of the same length: the headline comes first
    ("<title>Northern Germany finds its champs - Berlin Athletics Association e.V.</title>",
     "<div><h1 class='ce_headline'>Press releases</h1></div>"
     "<div class='reader'><h1>Northern Germany finds its champs</h1><p>Text.</p></div>",
     "Northern Germany finds its champs"),
    # a headline that mentions the site is no site name (snowmaps.ch)
    ("<title>snowmaps.ch - News - High-resolution snow maps on Snowmaps.ch</title>"
     "<meta property='og:title' content='snowmaps.ch - News - "
     "High-resolution snow maps on Snowmaps.ch'>",
     "<main><h1>News | Entry</h1><div><h2>High-resolution snow maps on Snowmaps.ch</h2>"
     "<p>Text.</p></div></main>",
     "High-resolution snow maps on Snowmaps.ch"),
    # inline markup adds no space: ruby readings in Japanese, a colon after an <em>
    ("<title>ニュース</title>",
     "<main><h1><ruby>子<rt>こ</rt></ruby>どもへの<ruby>体罰<rt>たいばつ</rt></ruby>を"
     "<ruby>禁止<rt>きんし</rt></ruby>する</h1><p>Text.</p></main>",
     "子どもへの体罰を禁止する"),
    ("<title>Press</title>",
     "<main><h1><em>Relief agency</em>: past and <a href='/x'>future</a></h1>"
     "<p>Text.</p></main>",
     "Relief agency: past and future"),
    # a kicker, a separator in an element of its own, then the headline
    ("<title>Press</title>",
     "<main><h1><span class='green'>Power price brake</span><span class='invisible'>: </span>"
     "<span class='headline'>Government throttles bioenergy</span></h1><p>Text.</p></main>",
     "Government throttles bioenergy"),
    ("<title>Press</title>",
     "<main><h1><span class='ts-overline'>Distance rules </span><span>: </span>"
     "<span>How firms protect their staff</span></h1><p>Text.</p></main>",
     "How firms protect their staff"),
    # ... unless the site's own metadata title says the kicker too: then it is the title,
    # spelled as the metadata spells it
    ("<title>Power price brake: Government throttles bioenergy - Example</title>",
     "<main><h1><span class='green'>Power price brake</span><span class='invisible'>: </span>"
     "<span class='headline'>Government throttles bioenergy</span></h1><p>Text.</p></main>",
     "Power price brake: Government throttles bioenergy"),
    ("<meta property='og:title' content='National demo / July 9 draws near'>",
     "<main><h1><span class='kicker'>National demo</span>July 9 draws near</h1>"
     "<p>Text.</p></main>",
     "National demo / July 9 draws near"),
    # a kicker span set on a line of its own by style: a word's end meets a capital
    ("<title>Press</title>",
     "<main><h1><span>National demo</span>July 9 draws near</h1><p>Text.</p></main>",
     "National demo July 9 draws near"),
    # ... but a separator followed by nothing readable leaves the headline whole
    ("<title>Press</title>",
     "<main><h1><span>Energy transition and mobility</span> <span class='aural'>: </span>"
     "<small class='c-topline'><span class='aural'>, Topic:</span> Research</small></h1>"
     "<p>Text.</p></main>",
     "Energy transition and mobility"),
    # several <h1>: a metadata title that rewords the printed headline yields to it
    ("<meta property='og:title' content='Paint minions with stencils - with a roller & "
     "bright paint'>",
     "<main><h1>Paint minions with stencils – with a paint roller and bright paints</h1>"
     "<p>Text.</p></main><aside class='widget'><h1>Archive</h1></aside><div><h1>Shop</h1></div>",
     "Paint minions with stencils – with a paint roller and bright paints"),
    # a line above the headline, set in the heading by layout alone (a CSS-in-JS class), that
    # the metadata title leaves out
    ("<title>Vaccination stays open everywhere until February</title>",
     "<main><h1 class='css-3003lo'><style>.css-umy{display:block}</style>"
     "<span class='css-umy'>Press release of the health directorate "
     "<span class='css-1ft'>:</span></span>Vaccination stays open everywhere until February"
     "</h1><p>Text.</p></main>",
     "Vaccination stays open everywhere until February"),
    ("<meta property='og:title' content='Why shared thinking beats lone smarts | Example'>",
     "<main><h1><span class='flytitle'>Open progress</span> Why shared thinking beats lone "
     "smarts</h1><p>Text.</p></main>",
     "Why shared thinking beats lone smarts"),
    # the printed headline goes on after a colon where the metadata title stops
    ("<title>Juicy lemon sheet cake | Baking makes happy</title>"
     "<script type='application/ld+json'>{\"@type\": \"Recipe\", \"name\": \"Lemon sheet cake\"}"
     "</script>",
     "<main><h1 class='entry-title'>Juicy lemon sheet cake: simply delicious!</h1><p>Text.</p>"
     "<div class='wprm-recipe'><h2 class='wprm-recipe-name'>Lemon sheet cake</h2></div></main>",
     "Juicy lemon sheet cake: simply delicious!"),
    # an entry's marked headline is no site name, whatever its theme's classes say, and no
    # site side of a title that adds a tail to it
    ("<title>Alcohol on the boat – learn more about the risks</title>",
     "<main><h1 class='post_title entry-title aungblogtitle' itemprop='headline'>Alcohol on "
     "the boat</h1><p>Text.</p><section><h2 class='post_title entry-title'>Ice fishing, "
     "farewell? – the ice is shrinking</h2></section></main>",
     "Alcohol on the boat"),
    # an <h1> that is all one link heads a box of links: the printed headline is the only one,
    # though every metadata title words it otherwise
    ("<title>Traffic chaos from heat: old trams and brittle concrete | Example</title>"
     "<meta property='og:title' content='When trams give up and concrete bursts'>",
     "<main><h1>How trams and motorways are readied for future heatwaves</h1><p>Text.</p>"
     "</main><div class='teaser-box'><h1><a href='/news/region'><span>More from the region"
     "</span></a></h1><h2><a href='/news/a'>Another story</a></h2></div>",
     "How trams and motorways are readied for future heatwaves"),
    # a theme's wrapper of the content and its sidebar holds the entry's marked headline
    ("<meta property='og:title' content='Company car: lease or finance? What pays off?'>",
     "<div class='site-content'><main><article class='post'><div class='sidebar-wrapper'>"
     "<div class='content-wrapper'><header><h1 class='entry-title'>Company car: leasing or "
     "financing?</h1></header><p>Text.</p></div><div class='sidebar'><h3>Newsletter</h3>"
     "</div></div></article></main></div>",
     "Company car: leasing or financing?"),
    ("<meta property='og:title' content='Clever ideas for a small nursery'>",
     "<div class='content-sidebar-wrap'><main class='content'><article><header>"
     "<h1 class='entry-title'>Twenty small nursery ideas when space is tight</h1></header>"
     "<p>Text.</p></article></main><aside class='sidebar'><h2>About me</h2></aside></div>",
     "Twenty small nursery ideas when space is tight"),
    # a theme and an SEO plugin each write an og:title: the printed headline agrees with one
    ("<meta property='og:title' content='Change the font size of a plot | Axis text'>"
     "<meta property='og:title' content='Change the font size of a plot (5 examples) | Axis "
     "text'>",
     "<main><section class='l-section for_sidebar at_right'><div class='l-content'>"
     "<h1>Change the font size of a plot (5 examples) | Axis text</h1><p>Text.</p></div>"
     "<div class='l-sidebar'><h3>Menu</h3></div></section></main>",
     "Change the font size of a plot (5 examples) | Axis text"),
    # the headline wrapped whole in a span, a kicker in a <small> at its start
    ("<title>Medley pyramid with GA2 - Swim</title>",
     "<main><h1 class='single-post-title'><span class='post-title' itemprop='headline'>"
     "<small>Workout of the week</small><br>Medley pyramid with GA2</span></h1><p>Text.</p>"
     "</main>",
     "Medley pyramid with GA2"),
    # several <h1>, an og:title that is a share prompt: the <title> rewords the first <h1>
    ("<title>The Insiders - Refreshed hair in any situation with the new dry shampoo - Info"
     "</title><meta property='og:title' content='Would you join The Insiders with me?'>",
     "<main><h1>Wellaflex – refreshed hair in any situation with the 10-in-1 dry shampoo</h1>"
     "<p>Text.</p><h1>How to use it</h1><p>Text.</p></main>",
     "Wellaflex – refreshed hair in any situation with the 10-in-1 dry shampoo"),
    # "Headline - Subheading : Site": the <h1> above the subheading is the headline
    ("<title>Thought from the ground up - Ann weaves the local and the global in her novel "
     "of the ancestors : reviews.example</title>",
     "<div id='content'><h1>Thought from the ground up</h1><h2>Ann weaves the local and the "
     "global in her novel of the ancestors</h2><h3 class='rez_autor'>By <a href='/staff/1'>"
     "Vanessa Franke</a></h3><p>Text.</p></div>",
     "Thought from the ground up"),
    # the page's name as the last crumb of a breadcrumb trail, in an <h1> for search engines:
    # the printed headline is the heading the metadata titles name
    ("<title>Couple split after half a year | Example News</title>"
     "<meta property='og:title' content='\"Finally free\": Couple split after half a year'>",
     "<div class='breadcrumbs'><a href='/'>Home</a> <span><h1>Couple split after half a year"
     "</h1></span></div><div class='post-title'><h2>\"Finally free\": Couple split after half "
     "a year</h2></div><p>Text.</p>",
     '"Finally free": Couple split after half a year'),
    # ... or the element marked itemprop=headline (a schema.org BreadcrumbList trail)
    ("<title>Sick child: what employers must know | Example</title>",
     "<ul itemscope itemtype='https://schema.org/BreadcrumbList'><li><a href='/'>Home</a></li>"
     "<li><h1>Sick child: what employers must know</h1></li></ul><header><div "
     "itemprop='headline'>What employers must know about parents' rights when a child is sick"
     "</div></header><p>Text.</p>",
     "What employers must know about parents' rights when a child is sick"),
    # ... but a printed heading that only resembles the crumb's title does not replace it
    ("<meta property='og:title' content='The mint as comfort: a report from a Turkish jail'>",
     "<nav class='breadcrumbNav'><a href='/'>Home</a><h1>The mint as comfort: a report from a "
     "Turkish jail</h1></nav><article><h2>The mint as comfort: a report from a Turkish</h2>"
     "<p>Text.</p></article>",
     "The mint as comfort: a report from a Turkish jail"),
    # the item's microdata headline is the heading as printed: the metadata title spells the
    # kicker's separator
    ("<meta property='og:title' content='Draft law: A bit of progress'>",
     "<article itemscope itemtype='https://schema.org/NewsArticle'><h1 itemprop='headline'>"
     "<span class='kicker'>Draft law</span> : A bit of progress</h1><p>Text.</p></article>",
     "Draft law: A bit of progress"),
    # no heading at all: the name of the page's review item (microdata)
    ("<title>Example Games | Previews: Anno 1800 Beta</title>"
     "<meta property='og:title' content='Industrially revolutionised?: Anno 1800 Beta'>",
     "<div itemscope itemtype='http://data-vocabulary.org/Review'><span class='title' "
     "itemprop='itemreviewed'>Anno 1800 Beta</span><span class='subtitle'>Industrially "
     "revolutionised?</span><meta itemprop='name' content='Anno 1800 Beta'><div "
     "itemprop='author' itemscope itemtype='http://schema.org/Person'><span itemprop='name'>"
     "Jan Kurz</span></div><p>Text.</p></div>",
     "Anno 1800 Beta"),
    # every box's heading an <h1>, none of them named by the <title>: the first h1/h2 tied to
    # the <title> by a word heads the page's text
    ("<title>Synchronized swimming - News | Swimming Federation</title>",
     "<div class='col'><h2>Club finder</h2><form><input name='q'></form></div>"
     "<div class='main'><h2>Level passes for synchronized swimming can be ordered now</h2>"
     "<p>Text.</p></div><div class='box'><h1>Quicklinks</h1><a href='/a'>Results</a></div>"
     "<div class='box'><h1>Hotels</h1><p>Book a hotel.</p></div>",
     "Level passes for synchronized swimming can be ordered now"),
    # a blog's ornamental <h1> above a post's title is no headline
    ("<title>...: Hello there!</title>",
     "<div class='header'><h1>...</h1></div><div class='post'><h3 class='post-title'>Hello "
     "there!</h3><p>Text.</p></div>",
     "Hello there!"),
    # the breadcrumb trail's last crumb names the page: the heading it repeats is the title,
    # over metadata titles that word it each their own way for search engines
    ("<title>What sets us apart from other firms?</title><meta property='og:title' "
     "content='Outsourcing sales - unlike others, or good to know'>"
     "<meta name='twitter:title' content='What sets us apart?'>",
     "<div class='page-title'><h2 class='page-title-heading'>Good to know</h2>"
     "<ol class='breadcrumb'><li class='breadcrumb-item'><a href='/'>Home</a></li> / "
     "<li class='breadcrumb-item'><a href='/services'>Services</a></li> / "
     "<li class='breadcrumb-item active'>Good to know</li></ol></div><p>Text.</p>",
     "Good to know"),
    # ... but a heading that repeats a crumb above the page (its section) is not the title
    ("<meta property='og:title' content='Wildlife-friendly snow sports'>",
     "<div class='page-title'><h2 class='page-title-heading'>Environment</h2>"
     "<ol class='breadcrumb'><li class='breadcrumb-item'><a href='/'>Home</a></li>"
     "<li class='breadcrumb-item'><a href='/env'>Environment</a></li>"
     "<li class='breadcrumb-item active'>Wildlife-friendly snow sports</li></ol></div>"
     "<p>Text.</p>",
     "Wildlife-friendly snow sports"),
    # no heading and no metadata title but the <title>'s SEO words: the element whose class
    # names it the headline is the printed one (a box's "title" is not)
    ("<title>Magic Cleaning | Example Shop Magazine</title>",
     "<div class='toc'><div class='title'>Table of contents</div></div>"
     "<div class='l-headline'><span class='l-bold'>The best tricks for wardrobe and "
     "drawers</span></div><p>Text.</p>",
     "The best tricks for wardrobe and drawers"),
    # the same <h1> twice (one layout for small screens) is still the page's only headline
    ("<script type='application/ld+json'>{\"@type\": \"Product\", \"name\": \"Desktop for "
     "Mac\"}</script>",
     "<main><div class='visible-xs'><h1>Desktop 15 for Mac</h1></div>"
     "<div class='hidden-xs'><h1>Desktop 15 for Mac</h1></div><p>Text.</p></main>",
     "Desktop 15 for Mac"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("heading", "title", "reworded"),
    [
        ("Paint minions with stencils – with a paint roller and bright paints",
         "Paint minions with stencils - with a roller & bright paint", True),
        ("Energy transition, mobility and sustainable business",
         "Energy transition and sustainable business", True),
        # the same words: the metadata title is the cleaner spelling
        ("Women in the relief agency : past and future",
         "Women in the relief agency: past and future", False),
        # half the words or fewer: another text (a blog's name, a section)
        ('"Downtown" Montauk', "Maybe the most beautiful end of the world: Montauk", False),
        ("Corsets – Germany", "Corsets - shops, designers, buy online", False),
    ],
)  # fmt: skip
def test_a_metadata_title_rewording_the_headline(heading, title, reworded):
    assert cascade._reworded(heading, title) is reworded


@pytest.mark.parametrize(
    ("text", "site_names", "is_site"),
    [
        ("EFC Bayrische Bembel", frozenset({"bayrischebembel"}), True),
        ("Marktplatz für ein gutes Leben", frozenset({"marktplatz"}), True),
        ("Krimiblog-Archiv", frozenset({"krimiblog"}), True),
        # a number of its own names a product's edition on the maker's site
        ("Parallels Desktop 15 for Mac", frozenset({"parallels"}), False),
        # a headline that names the site is not its name
        ("High-resolution snow maps on Snowmaps.ch", frozenset({"snowmaps"}), False),
    ],
)  # fmt: skip
def test_a_text_holding_the_host_label(text, site_names, is_site):
    assert is_site_name(text, site_names) is is_site


@pytest.mark.parametrize(("head", "body", "title"), HEADLINES)
def test_the_printed_headline_is_the_title(head, body, title):
    assert extract(page(head=head, body=body)).title == title


@pytest.mark.parametrize(
    ("body", "crumbs"),
    [
        # separators drawn as text are no crumbs
        ("<nav class='breadcrumbs'><a href='/'>Home</a> &gt; <a href='/a'>Services</a> &gt; "
         "<span>Good  to Know</span> &gt; </nav>", {"good to know"}),
        # a schema.org trail whose crumbs are each marked "breadcrumb" too
        ("<ol itemscope itemtype='https://schema.org/BreadcrumbList'><li class='breadcrumb'>"
         "<a href='/'>Home</a></li><li class='breadcrumb'>Reports</li></ol>", {"reports"}),
        # one trail per layout: both name the page
        ("<div id='breadcrumb-mobile'><a href='/'>Home</a> / Reports</div>"
         "<p aria-label='Breadcrumb'><a href='/'>Start</a> / Berichte</p>",
         {"reports", "berichte"}),
        ("<nav class='main-menu'><a href='/'>Home</a><a href='/a'>About</a></nav>", set()),
    ],
)  # fmt: skip
def test_the_last_crumb_of_each_breadcrumb_trail(body, crumbs):
    assert last_crumbs(parse_html(page(body=body))) == crumbs


@pytest.mark.parametrize(
    ("classes", "excluded"),
    [("navSkip", True), ("relatedPosts", True), ("articleFooterMeta", False),
     ("entry-content", False), ("share-buttons", True), ("NavigationBar", True),
     # a section laid out for a sidebar beside it is no sidebar
     ("l-section for_sidebar at_right", False), ("sidebar-widgets", True),
     # lists of the most read stories
     ("top-hits border-2", True), ("most-read", True), ("meistgelesen", True)],
)  # fmt: skip
def test_class_words_are_read_in_camel_case_too(classes, excluded):
    from regmig_scraper.metadata.document import parse_html
    from regmig_scraper.metadata.markup import is_excluded

    root = parse_html(page(body=f"<div class='{classes}'><p id='x'>Text</p></div>"))
    assert is_excluded(root.find(".//p")) is excluded


def test_an_events_start_date_ahead_is_kept_and_an_articles_is_not():
    event = {"@type": "Event", "name": "Regional dialogue", "startDate": "2027-03-04T10:00"}
    html = page(head=ld(event), body="<h1>Regional dialogue</h1><p>Register now.</p>")
    assert extract(html).published.value == dt.date(2027, 3, 4)
    article = {"@type": "Article", "headline": "A report", "datePublished": "2027-03-04"}
    html = page(head=ld(article), body="<h1>A report</h1><p>Text.</p>")
    assert extract(html).published is None


def test_the_public_extract_flags_an_upcoming_events_date():
    from regmig_scraper import extract as extract_row

    event = {"@type": "Event", "name": "Regional dialogue", "startDate": "2027-03-04T10:00"}
    html = page(head=ld(event), body="<h1>Regional dialogue</h1><p>Register now.</p>")
    row = extract_row(html, URL, site="generic", settings={"REGMIG_DATES_TODAY": "2026-12-01"})
    assert (row["published"], row["date_flag"]) == (dt.date(2027, 3, 4), "future")


def test_dates_of_the_articles_listed_under_a_page_are_not_its_date():
    teasers = "".join(
        f"<article class='post'><h3><a href='/news/{n}'>News {n}</a></h3>"
        f"<div class='post-meta-data'><span class='post-date'>2{n}. Juni 2022</span></div>"
        "<a href='/news/{n}'>Weiterlesen »</a></article>"
        for n in range(1, 4)
    )
    body = (
        "<main><h1>Batteriespeicher</h1><p>Was ein Batteriespeicher ist.</p></main>"
        f"<section class='more-posts'><div class='grid'>{teasers}</div></section>"
    )
    assert extract(page(body=body, lang="de")).published is None


def test_one_article_of_a_list_is_the_pages_when_it_holds_the_headline():
    body = (
        "<div class='posts'>"
        "<article><h1>Das Pilotprojekt</h1><p class='post-date'>06.12.2022</p><p>Text.</p>"
        "</article><article><h2><a href='/b'>Ein anderes Projekt</a></h2>"
        "<p class='post-date'>01.12.2022</p></article></div>"
    )
    meta_ = extract(page(body=body, lang="de"))
    assert meta_.published.value == dt.date(2022, 12, 6)
    headless = body.replace("<h1>Das Pilotprojekt</h1>", "")
    assert extract(page(body=headless, lang="de")).published is not None  # no list's item preferred


@pytest.mark.parametrize(
    ("line", "dated"),
    [
        ("<div class='release'><b>Release:</b> 14.11.2019</div>", False),
        ("<p class='meta'>Release date: March 3, 2021</p>", False),
        ("<p class='meta'>Press release: 14.11.2019</p>", True),
        # how long a video stays online
        (
            "<p class='mediaInfo'><span>02:57 Min.</span><span>Verfügbar bis 06.05.2024</span></p>",
            False,
        ),
        ("<p class='meta'>Available until March 3, 2021</p>", False),
        ("<p class='meta'>Published: 14.11.2019</p>", True),
    ],
)
def test_a_products_release_date_is_not_the_pages(line, dated):
    body = f"<main><h1>Bee Simulator</h1>{line}<p>Text.</p></main>"
    assert (extract(page(body=body)).published is not None) is dated


# Press releases open with a dateline: the place, then the day.
DATELINES = [
    ("Hofheim am Taunus | Wiesbaden, 11. November 2021 – Acht Produkte wurden prämiert.",
     dt.date(2021, 11, 11)),
    ("WASHINGTON, March 3, 2021 — The institute released a report today.", dt.date(2021, 3, 3)),
    ("Berlin, den 4. Mai 2023. Die Ministerin stellte heute den Bericht vor.",
     dt.date(2023, 5, 4)),
    ("Bern, 17.08.2007 - Rede beim Städtegipfel, Basel, 18. August 2007", dt.date(2007, 8, 17)),
    # a sentence that names a day is no dateline
    ("Die Messe, die am 4. Mai 2023 begann, war ein Erfolg.", None),
    ("In Berlin, Paris and Rome, 4 May 2023 was a holiday for many of the staff.", None),
]  # fmt: skip


@pytest.mark.parametrize(("paragraph", "value"), DATELINES)
def test_a_press_releases_dateline_dates_it(paragraph, value):
    body = f"<main><h1>Pressemitteilung</h1><p>{paragraph}</p></main>"
    found = extract(page(body=body, lang="de")).published
    assert (found.value if found else None) == value


# A news item opens its first paragraph with its date, whatever the paragraph's length.
FILLER = " Die Angaben stammen aus dem Jahresbericht des Vereins und wurden ergänzt." * 3
LEADING_DATES = [
    ("27.1.2022 - Bei der Erinnerung an die Verfolgten des NS-Regimes" + FILLER,
     dt.date(2022, 1, 27)),
    ("(21. November 2022) Energieverbraucher erhalten eine Preiserhöhung." + FILLER,
     dt.date(2022, 11, 21)),
    ("4 May 2023: The council approved the budget for the coming year." + FILLER,
     dt.date(2023, 5, 4)),
    ("2022-03-08 — Der Vorstand hat heute die neue Satzung beschlossen." + FILLER,
     dt.date(2022, 3, 8)),
    # a date further into a long paragraph is something the text talks about
    ("Am 4. Mai 2023 begann die Messe, die ein Erfolg war." + FILLER, None),
    ("12 Menschen kamen am 4. Mai 2023 zur Eröffnung." + FILLER, None),
    ("2023 war ein gutes Jahr für den Verein." + FILLER, None),
]  # fmt: skip


@pytest.mark.parametrize(("paragraph", "value"), LEADING_DATES)
def test_a_date_opening_a_long_first_paragraph_dates_the_page(paragraph, value):
    assert len(paragraph) > 160
    body = f"<main><h2>Meldung</h2><h1>Stolpersteine verlegt</h1><p>{paragraph}</p></main>"
    found = extract(page(body=body, lang="de")).published
    assert (found.value if found else None) == value


# A numeric date in a date line or a <time>'s text is read in the page's locale's order.
LOCALE_ORDERS = [
    ("en-US", "<p class='meta'>Posted 04/05/2021</p>", dt.date(2021, 4, 5)),
    ("en-US", "<time>04/05/2021</time>", dt.date(2021, 4, 5)),
    ("en-US", "<p>04/05/2021</p>", dt.date(2021, 4, 5)),
    ("en-GB", "<p class='meta'>Posted 04/05/2021</p>", dt.date(2021, 5, 4)),
    ("en-GB", "<time>04/05/2021</time>", dt.date(2021, 5, 4)),
    ("fr", "<p>04/05/2021</p>", dt.date(2021, 5, 4)),
    # a day above 12 decides the order in any locale
    ("en-GB", "<time>05/25/2021</time>", dt.date(2021, 5, 25)),
    ("en-US", "<p class='meta'>Posted 25/05/2021</p>", dt.date(2021, 5, 25)),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "line", "value"), LOCALE_ORDERS)
def test_a_visible_numeric_date_is_read_in_the_pages_locale(lang, line, value):
    body = f"<article><header><h1>Quarterly notes</h1>{line}</header><p>Text.</p></article>"
    found = extract(page(body=body, lang=lang)).published
    assert (found.value if found else None) == value


# A class part after "with"/"has" names something beside the element ("header-with-topbar" is
# a header, not a top bar): the element is not excluded for it.
LAYOUT_CLASSES = [
    ("page-header header-with-topbar", dt.date(2020, 2, 23)),
    ("layout--has-sidebar", dt.date(2020, 2, 23)),
    ("hero hasSidebar", dt.date(2020, 2, 23)),
    ("wrapper-without-ads", dt.date(2020, 2, 23)),
    # the element's own role still excludes it
    ("topbar", None),
    ("sidebar-with-widgets", None),
    ("nav-has-dropdown", None),
]


@pytest.mark.parametrize(("classes", "value"), LAYOUT_CLASSES)
def test_a_class_naming_a_layout_feature_does_not_exclude_the_element(classes, value):
    body = (
        f"<div class='{classes}'><div class='post-meta'>SeglerBlog am "
        "<time datetime='2020-02-23T10:07:02+01:00'>23. Februar 2020</time></div></div>"
        "<article><h1>Haltet unsere Gewässer sauber</h1><p>Text.</p></article>"
    )
    found = extract(page(body=body, lang="de")).published
    assert (found.value if found else None) == value


@pytest.mark.parametrize(
    ("date_class", "value"),
    [
        # an opinion piece's header: its block says "Comment", and it is the page's own
        ("ArticleHeaderComment_publishDate", dt.date(2019, 1, 29)),
        ("ArticleHeaderComment_date", dt.date(2019, 1, 29)),
        # ... but another block's comment, or a comment element of the page's block, is not
        ("CommentList_date", None),
        ("ArticleHeaderComment_comments", None),
    ],
)
def test_a_component_of_the_headlines_own_block_is_the_pages(date_class, value):
    body = (
        "<article class='ArticleHeaderComment'><div class='ArticleHeaderComment_subject'>"
        "<h1 class='ArticleHeaderComment_headline'>Was sich nach dem Urteil ändert</h1></div>"
        f"<div class='{date_class}'><span>Dienstag,</span><span> 29. Januar 2019</span></div>"
        "</article><div class='PageArticle_body'><p>Text.</p></div>"
    )
    head = "<title>Was sich nach dem Urteil ändert | Example</title>"
    found = extract(page(head=head, body=body, lang="de")).published
    assert (found.value if found else None) == value


# A publication label and its date far from the headline: a blog's data box, a post's footer.
LONG_TEXT = "<p>" + "Der Text des Beitrags geht hier weiter und weiter. " * 12 + "</p>"
LABELLED_DATES = [
    (f"<article><h1>Working with foreign DWG files</h1>{LONG_TEXT * 3}<aside class='blogData'>"
     "<dl><dt>Datum</dt><dd>12.01.2017</dd><dt>Kategorie</dt><dd>AutoCAD</dd></dl></aside>"
     "</article>", dt.date(2017, 1, 12)),
    (f"<main><h1>Annual figures</h1>{LONG_TEXT * 3}<table><tr><th>Published</th>"
     "<td>March 3, 2021</td></tr></table></main>", dt.date(2021, 3, 3)),
    (f"<main><h1>Eine Virtual Wall für den Roomba</h1>{LONG_TEXT * 3}<div class='post-footer'>"
     "Dieser Artikel wurde am 14. Dezember 2015 um 14:48 von <a href='/u'>Jan</a> "
     "veröffentlicht.</div></main>", dt.date(2015, 12, 14)),
    # a cell labelled otherwise is not the page's date
    (f"<main><h1>Annual figures</h1>{LONG_TEXT * 3}<table><tr><th>Deadline</th>"
     "<td>March 3, 2021</td></tr></table></main>", None),
    (f"<main><h1>Working with DWG files</h1>{LONG_TEXT * 3}<dl><dt>Datum der Prüfung:</dt>"
     "<dd>12.01.2017</dd></dl></main>", None),
]  # fmt: skip


@pytest.mark.parametrize(("body", "value"), LABELLED_DATES)
def test_a_labelled_date_far_from_the_headline_dates_the_page(body, value):
    found = extract(page(body=body, lang="de")).published
    assert (found.value if found else None) == value


# A UTC instant is the day the site's readers saw in the site's time zone, when the site's
# country (its TLD, its language tag's region, a one-zone language) keeps one zone.
UTC_INSTANTS = [
    ("https://example.de/a", "de", "2022-11-06T23:00:00.000Z", dt.date(2022, 11, 7)),
    # summer time: 22:30 UTC is past midnight in Berlin in July, 21:30 UTC is not
    ("https://example.org/a", "de-DE", "2022-07-06T22:30:00Z", dt.date(2022, 7, 7)),
    ("https://example.org/a", "de-DE", "2022-07-06T21:30:00Z", dt.date(2022, 7, 6)),
    ("https://example.org/a", "de", "2022-01-06T22:30:00Z", dt.date(2022, 1, 6)),
    ("https://example.org/a", "fi-FI", "2022-01-06T22:30:00Z", dt.date(2022, 1, 7)),
    ("https://example.com.ar/a", "es", "Wed, 04 May 2022 00:25:56 GMT", dt.date(2022, 5, 3)),
    ("https://example.com/a", "es-UY", "2022-05-11T01:10:00Z", dt.date(2022, 5, 10)),
    ("https://example.pe/a", "es-ES", "2022-05-07T03:43:46.000Z", dt.date(2022, 5, 6)),
    # an explicit +00:00 is the site's own offset, and midnight UTC a bare date: kept
    ("https://example.de/a", "de", "2022-11-06T23:00:00+00:00", dt.date(2022, 11, 6)),
    ("https://example.pe/a", "es", "2020-01-10T00:00:00Z", dt.date(2020, 1, 10)),
    # several zones (the United States) or no country known: kept
    ("https://example.com/a", "en-US", "2022-05-04T02:00:00Z", dt.date(2022, 5, 4)),
    ("https://example.co/a", "en", "2022-05-04T02:00:00Z", dt.date(2022, 5, 4)),
    ("https://example.com/a", "es", "2022-05-04T02:00:00Z", dt.date(2022, 5, 4)),
]  # fmt: skip


@pytest.mark.parametrize(("url", "lang", "raw", "value"), UTC_INSTANTS)
def test_a_utc_instant_is_dated_in_the_sites_time_zone(url, lang, raw, value):
    head = meta() + f'<meta property="article:published_time" content="{raw}">'
    html = page(head=head, body="<h1>Provence Travel Guide</h1><p>Text.</p>", lang=lang)
    found = extract_metadata(html, url, today=TODAY).published
    assert (found.value, found.raw) == (value, raw)


def test_a_url_day_after_today_is_not_the_pages_day():
    # the URL's day is bounded by ``today`` like every other date, never by the wall clock
    # (dates are plausible up to two days after ``today``: the URL's day is three)
    head = '<meta property="article:published_time" content="2026-11-29T23:30:00Z">'
    html = page(head=head, body="<h1>Provence Travel Guide</h1><p>Text.</p>", lang="en-US")
    url = "https://example.com/2026/11/30/story/"
    found = extract_metadata(html, url, today=dt.date(2026, 11, 27)).published
    assert found.value == dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("url", "raw", "value"),
    [
        # a Californian site's evening story: the UTC day is the next one, the URL's is its own
        ("https://example.com/2023/11/08/bay-area-story/", "2023-11-09T01:49:09Z",
         dt.date(2023, 11, 8)),
        ("https://example.com/2023/11/09/tokyo-story/", "2023-11-08T23:30:00Z",
         dt.date(2023, 11, 9)),
        # the URL agrees, or is further away (another day the URL names): the instant's day
        ("https://example.com/2023/11/09/story/", "2023-11-09T01:49:09Z", dt.date(2023, 11, 9)),
        ("https://example.com/2023/11/06/story/", "2023-11-09T01:49:09Z", dt.date(2023, 11, 9)),
        # an offset written by the site is its own day, and so is a day with no time
        ("https://example.com/2023/11/08/story/", "2023-11-09T01:49:09+01:00",
         dt.date(2023, 11, 9)),
        ("https://example.com/2023/11/08/story/", "9 Nov 2023", dt.date(2023, 11, 9)),
    ],
)  # fmt: skip
def test_a_utc_day_a_day_off_the_urls_day_is_the_urls(url, raw, value):
    head = f'<meta property="article:published_time" content="{raw}">'
    html = page(head=head, body="<h1>Provence Travel Guide</h1><p>Text.</p>", lang="en-US")
    assert extract_metadata(html, url, today=TODAY).published.value == value


@pytest.mark.parametrize(
    ("url", "value"),
    [
        # the URL's month holds the metadata's day, not the one shown: two sources against one
        ("https://example.va/de/news/2022-08/pater-kolbe.html", dt.date(2022, 8, 14)),
        ("https://example.va/de/news/2022/08/14/pater-kolbe.html", dt.date(2022, 8, 14)),
        # without it, the day shown at the headline wins, as before
        ("https://example.va/de/news/pater-kolbe.html", dt.date(2021, 8, 14)),
        ("https://example.va/de/news/2021-08/pater-kolbe.html", dt.date(2021, 8, 14)),
    ],
)
def test_a_url_that_agrees_with_the_metadata_date_keeps_it(url, value):
    head = '<meta property="article:published_time" content="2022-08-14T15:43:26+02:00">'
    body = "<article><h1>Pater Kolbe</h1><p class='date'>14/08/2021</p><p>Text.</p></article>"
    html = page(head=head, body=body, lang="de")
    assert extract_metadata(html, url, today=TODAY).published.value == value


# A page without h1-h3 headlines whose <title> names an h4-h6: that heading is the headline,
# and the date line beside it dates the page.
MINOR_HEADLINES = [
    ("h4", "Effiziente Hybridbatterie | Nachrichten", dt.date(2023, 11, 1)),
    ("h5", "Effiziente Hybridbatterie", dt.date(2023, 11, 1)),
    ("h6", "Presse: Effiziente Hybridbatterie", dt.date(2023, 11, 1)),
    # no title names it, but it is the page's only heading (see the lone heading's test)
    ("h4", "Nachrichten aus der Wissenschaft", dt.date(2023, 11, 1)),
]


@pytest.mark.parametrize(("tag", "title", "value"), MINOR_HEADLINES)
def test_a_minor_heading_the_title_names_is_the_headline(tag, title, value):
    body = (
        "<div class='content'><p><em>01.11.2023 11:35</em></p>"
        f"<{tag}>Effiziente Hybridbatterie</{tag}><p>Forschende stellen eine Batterie vor.</p>"
        "</div>"
    )
    found = extract(page(head=f"<title>{title}</title>", body=body, lang="de")).published
    assert (found.value if found else None) == value


# RDFa dates Drupal writes in the body (``content`` holds the ISO value), the page's when its
# head says nothing; a modification property is not one.
RDFA_DATES = [
    ("dc:date", dt.date(2022, 1, 28)),
    ("dcterms:issued", dt.date(2022, 1, 28)),
    ("schema:datePublished", dt.date(2022, 1, 28)),
    ("schema:dateCreated", dt.date(2022, 1, 28)),
    ("dcterms:created", dt.date(2022, 1, 28)),
    ("schema:dateModified", None),
    ("dcterms:modified", None),
]


@pytest.mark.parametrize(("prop", "value"), RDFA_DATES)
def test_an_rdfa_date_in_the_body_dates_the_page(prop, value):
    body = (
        "<article><h1>LVMH mit ordentlichem Wachstum</h1><div class='infos'>"
        "<span class='author'>0 Kommentare</span>"
        f"<span property='{prop}' content='2022-01-28T12:45:46+00:00' class='rdf-meta hidden'>"
        "</span></div><p>Text.</p></article>"
    )
    found = extract(page(body=body, lang="de")).published
    assert (found.value if found else None) == value


# The period a Drupal date field shows of its ``content`` value: a month, a year alone.
RDFA_SHOWN = [
    ("April 2021", (dt.date(2021, 4, 1), "month")),
    ("2021", (dt.date(2021, 1, 1), "year")),
    ("April 9, 2021", (dt.date(2021, 4, 9), "day")),
    ("2019", (dt.date(2021, 4, 9), "day")),  # another year: the value
    ("", (dt.date(2021, 4, 9), "day")),
]


@pytest.mark.parametrize(("shown", "expected"), RDFA_SHOWN)
def test_an_rdfa_date_is_the_period_it_shows(shown, expected):
    body = (
        "<div class='node'><h1>Mexico's Search for Its Disappeared Migrants</h1>"
        "<div class='meta'><span>Feature</span> | <span property='dc:date' "
        f"datatype='xsd:dateTime' content='2021-04-09T00:00:00-05:00'>{shown}</span></div>"
        "<p>Tens of thousands of migrants have gone missing in Mexico in recent years.</p></div>"
    )
    found = extract(page(body=body)).published
    assert (found.value, found.precision) == expected


# An author line below the text often carries the date ("Author: Bo2man am 29.12.2010").
AUTHOR_LINES = [
    ("left author", "Author: <a href='/p/58'><b>Bo2man</b></a> am 29.12.2010, 13:36 Uhr",
     dt.date(2010, 12, 29)),
    ("entry-author", "Geschrieben von Jana Weber, 4. Mai 2023", dt.date(2023, 5, 4)),
    ("postAuthor", "By Jane Doe on April 4, 2021", dt.date(2021, 4, 4)),
    # an update, or a reader's comment, is not the page's date
    ("entry-author", "Jana Weber, aktualisiert am 4. Mai 2023", None),
    ("comment-author", "Bo2man am 29.12.2010, 13:36 Uhr", None),
]  # fmt: skip


@pytest.mark.parametrize(("classes", "line", "value"), AUTHOR_LINES)
def test_an_author_line_far_from_the_headline_dates_the_page(classes, line, value):
    text = "<p>" + "Die Saison beginnt mit einem Turnier in der Halle. " * 20 + "</p>"
    body = f"<div><h1>Clan News</h1>{text}<div class='{classes}'>{line}</div></div>"
    found = extract(page(body=body, lang="de")).published
    assert (found.value if found else None) == value


# A date line is read as readers see it: a hidden stamp inside it is left out.
HIDDEN_STAMPS = [
    ("<div class='fusion-meta-info'><span class='updated rich-snippet-hidden'>"
     "2022-12-07T10:10:52+01:00</span><span>25. Dezember 2022</span></div>",
     dt.date(2022, 12, 25)),
    ("<p class='post-meta'><span class='visually-hidden'>2022-12-07</span> 25.12.2022</p>",
     dt.date(2022, 12, 25)),
    ("<p class='post-meta'><span class='hidden'>07.12.2022</span> 25.12.2022</p>",
     dt.date(2022, 12, 25)),
    ("<p class='post-meta'><span class='stamp_hidden'>07.12.2022</span> 25.12.2022</p>",
     dt.date(2022, 12, 25)),
    # a shown first date is the line's date
    ("<p class='post-meta'><span class='date'>07.12.2022</span> 25.12.2022</p>",
     dt.date(2022, 12, 7)),
    ("<p class='post-meta'><span class='hiddenite'>07.12.2022</span> 25.12.2022</p>",
     dt.date(2022, 12, 7)),
]  # fmt: skip


@pytest.mark.parametrize(("line", "value"), HIDDEN_STAMPS)
def test_a_hidden_stamp_in_a_date_line_is_not_its_date(line, value):
    body = f"<div><h1 class='entry-title'>Erfinderinnen</h1>{line}<p>Text.</p></div>"
    found = extract(page(body=body, lang="de")).published
    assert (found.value if found else None) == value


# A quoted or embedded post (a tweet, an Instagram post, a quote) is someone else's: its date is
# not the page's.
EMBEDS = [
    "<blockquote class='twitter-tweet'><p>Video notes for stories.</p>"
    "<p>— Radu (@radu) <a href='https://twitter.com/radu/status/1'>November 3, 2023</a></p>"
    "</blockquote>",
    "<blockquote class='instagram-media'><p>Ein Beitrag von Anna</p>"
    "<time datetime='2019-04-21T23:47:18+00:00'>Apr 21, 2019 at 4:47pm PDT</time></blockquote>",
    "<blockquote><p>Wir haben am 3. November 2023 entschieden.</p><p>3.11.2023</p></blockquote>",
]


@pytest.mark.parametrize("embed", EMBEDS)
def test_an_embedded_posts_date_is_not_the_pages(embed):
    head = meta() + "<meta property='article:published_time' content='2023-11-06T11:45:20+00:00'>"
    body = f"<article><h1>Instagram testet Video-Notizen</h1><p>Text.</p>{embed}</article>"
    found = extract(page(head=head, body=body, lang="de")).published
    assert found.value == dt.date(2023, 11, 6)
    assert extract(page(body=body, lang="de")).published is None


# German news sites print the date with a two-digit year beside the headline.
SHORT_YEAR_LINES = [
    ("<div class='article-meta-wrapper'>Von: Björn Jahner <span>|</span> <span>31.10.23</span>"
     "</div>", dt.date(2023, 10, 31)),
    ("<div class='date'>Kultur, 2.11.22</div>", dt.date(2022, 11, 2)),
    ("<div class='sub-title'><div class='uploaded-date'>23.09.22</div><div>-</div>"
     "<div>Homestory</div></div>", dt.date(2022, 9, 23)),
    # a version number is no date
    ("<div class='meta'>Firmware v1.2.22 für alle Modelle</div>", None),
]  # fmt: skip


@pytest.mark.parametrize(("line", "value"), SHORT_YEAR_LINES)
def test_a_date_with_a_two_digit_year_beside_the_headline_dates_the_page(line, value):
    body = f"<div><h1>Vintage-Flair mit viel Grün</h1>{line}<p>Text.</p></div>"
    found = extract(page(body=body, lang="de")).published
    assert (found.value if found else None) == value


# What only a printout shows (its header and footer) carries the day it was printed.
PRINT_ONLY = [
    ("print-header", None),
    ("printHeader", None),
    ("print-footer", None),
    ("show-for-print", None),
    ("visible-print-block", None),
    ("d-print-block", None),
    ("print-only", None),
    # hidden when printed: shown on screen, and the page's own
    ("hide-for-print", dt.date(2023, 1, 2)),
    ("d-print-none", dt.date(2023, 1, 2)),
    ("no-print", dt.date(2023, 1, 2)),
]


@pytest.mark.parametrize(("classes", "value"), PRINT_ONLY)
def test_a_print_only_header_does_not_date_the_page(classes, value):
    body = (
        f"<article><header class='{classes}'><span>FIT FOR FUN — <span class='date'>"
        "02.01.23</span><span class='time'>09:51</span></span></header>"
        "<header class='intro'><h1>Zwei Lebensmittel gegen Ängste</h1></header><p>Text.</p>"
        "</article>"
    )
    found = extract(page(body=body, lang="de")).published
    assert (found.value if found else None) == value


# A page with no h1-h3 outside other items: its first h4-h6 (20 characters or more) outside
# them is its headline, even when the <title> only names the site.
LONE_MINOR_HEADINGS = [
    ("", "h4", "Die Nacht der Geburt ist gesegnet!", dt.date(2021, 10, 16)),
    ("<div class='sidebar'><h2>Termine</h2></div>", "h6",
     "Energiepreiskrise: Entlastungen auf einen Blick", dt.date(2021, 10, 16)),
    # a heading of the page's own (an h2) is no lone page: no headline is guessed
    ("<h2>Aktuelles aus der Gemeinde</h2>", "h4", "Die Nacht der Geburt ist gesegnet!", None),
    # a short heading names a box, not the page
    ("", "h4", "Botschaft", None),
]  # fmt: skip


@pytest.mark.parametrize(("before", "tag", "heading", "value"), LONE_MINOR_HEADINGS)
def test_a_lone_minor_heading_is_the_headline(before, tag, heading, value):
    body = (
        f"{before}<div class='content'><p>2021-10-16 | Botschaft</p>"
        f"<{tag}>{heading}</{tag}><p>Wir gratulieren allen Gläubigen.</p></div>"
    )
    head = "<title>DITIB Union e.V.</title>"
    meta_ = extract(page(head=head, body=body, lang="de"))
    assert (meta_.published.value if meta_.published else None) == value
    assert (meta_.title == heading) is (value is not None)


# A <title> and its heading that differ only in typographic dashes and quotes agree.
TYPOGRAPHIC_TITLES = [
    ("Kolumne: Queer Royal – Über Dragqueens | nachtkritik",
     "Kolumne: Queer Royal - Über Dragqueens", True),
    ("Korsetts - Shops, Designer, online kaufen", "Korsetts – Shops, Designer, online kaufen",
     True),
    ("Les privatisations sont au profit d’intérêts privés | Attac",
     "Les privatisations sont au profit d'intérêts privés", True),
    ("„Wir bleiben“ — Die Mieter der Siedlung | Zeitung",
     '"Wir bleiben" - Die Mieter der Siedlung', True),
    # other words do not agree
    ("Kolumne: Queer Royal – Über Dragkings | nachtkritik",
     "Als ich noch ein Theaterkritiker war", False),
]  # fmt: skip


@pytest.mark.parametrize(("title", "heading", "agreed"), TYPOGRAPHIC_TITLES)
def test_a_title_and_heading_differing_in_dashes_and_quotes_agree(title, heading, agreed):
    body = f"<div><h2>{heading}</h2><p>31.10.2023</p><p>Dragqueens sind Kunstfiguren.</p></div>"
    meta_ = extract(page(head=f"<title>{title}</title>", body=body, lang="de"))
    assert (meta_.title == heading) is agreed
    assert (meta_.published.value if meta_.published else None) == (
        dt.date(2023, 10, 31) if agreed else None
    )


# An empty <time itemprop="datePublished"> (or a <meta>) is metadata readers never see: the
# day the date line at the headline shows wins over it.
HIDDEN_TIMES = [
    ("<time itemprop='datePublished' datetime='2022-12-06T14:42:13+01:00'></time>",
     "<div>04. Dezember 2022</div>", dt.date(2022, 12, 4)),
    ("<meta itemprop='datePublished' content='2022-12-06T14:42:13+01:00'>",
     "<div>04. Dezember 2022</div>", dt.date(2022, 12, 4)),
    ("<time datetime='2022-12-06T14:42:13+01:00'></time>",
     "<p class='meta'>Amelie Siekmann, 04.12.2022</p>", dt.date(2022, 12, 4)),
    # a shown <time> is what readers see; a hidden one without a date line stands
    ("<time itemprop='datePublished' datetime='2022-12-06T14:42:13+01:00'>6. Dezember 2022"
     "</time>", "<div>04. Dezember 2022</div>", dt.date(2022, 12, 6)),
    ("<time itemprop='datePublished' datetime='2022-12-06T14:42:13+01:00'></time>",
     "<div>Amelie Siekmann</div>", dt.date(2022, 12, 6)),
]  # fmt: skip


@pytest.mark.parametrize(("time", "line", "value"), HIDDEN_TIMES)
def test_a_hidden_time_loses_to_the_shown_date_line(time, line, value):
    body = (
        f"<article><h1>Heizen mit Pellets aus Laub</h1>{line}{time}"
        "<p>Ein Pilotprojekt zeigt, wie es geht.</p></article>"
    )
    found = extract(page(body=body, lang="de")).published
    assert found.value == value


# A link around a heading is a teaser card for another page: its date and byline are not the
# page's. The page's own headline wrapped in a link is still the page's.
TEASER_CARDS = [
    ("<a href='/news/10757'><div><h3>Zeitplan Skispringen Peking</h3>"
     "<span class='date'>13.01.2022 17:59</span><span class='author'>Von Elena Kuss</span>"
     "</div></a>", None, []),
    ("<a href='/news/10757'><h4>Zeitplan Skispringen Peking</h4></a>"
     "<p class='date'>13.01.2022 17:59</p><p class='author'>Von Elena Kuss</p>",
     dt.date(2022, 1, 13), ["Elena Kuss"]),
    ("<a href='/news/10757'><img src='a.jpg'><span class='date'>13.01.2022 17:59</span>"
     "<span class='author'>Von Elena Kuss</span></a>", dt.date(2022, 1, 13), ["Elena Kuss"]),
]  # fmt: skip


@pytest.mark.parametrize(("card", "value", "authors"), TEASER_CARDS)
def test_a_teaser_cards_date_and_byline_are_not_the_pages(card, value, authors):
    body = f"<div><h1>Lindvik gewinnt in Willingen</h1>{card}<p>Der Norweger siegte.</p></div>"
    meta_ = extract(page(body=body, lang="de"))
    assert (meta_.published.value if meta_.published else None) == value
    assert meta_.authors == authors


def test_a_headline_wrapped_in_a_link_is_still_the_pages():
    body = (
        "<div><a href='/news/10759'><h2 class='entry-title'>Lindvik gewinnt in Willingen</h2></a>"
        "<p class='date'>30.01.2022</p><p>Der Norweger siegte.</p></div>"
    )
    meta_ = extract(page(body=body, lang="de"))
    assert meta_.title == "Lindvik gewinnt in Willingen"
    assert meta_.published.value == dt.date(2022, 1, 30)


# A date the page only holds in an attribute (an empty <time>, a <meta itemprop>) is not what
# readers see: it does not override the head's metadata date; a shown one does.
HIDDEN_VERSUS_METADATA = [
    ("<time datetime='2021-03-08T11:15:28Z'></time>", dt.date(2021, 3, 14)),
    ("<time itemprop='datePublished' datetime='2021-03-08'></time>", dt.date(2021, 3, 14)),
    ("<meta itemprop='datePublished' content='2021-03-08'>", dt.date(2021, 3, 14)),
    ("<time datetime='2021-03-08T11:15:28Z'>March 8, 2021</time>", dt.date(2021, 3, 8)),
    ("<time itemprop='datePublished' datetime='2021-03-08'>8 March 2021</time>",
     dt.date(2021, 3, 8)),
]  # fmt: skip


@pytest.mark.parametrize(("time", "value"), HIDDEN_VERSUS_METADATA)
def test_a_hidden_time_does_not_override_the_metadata_date(time, value):
    head = meta() + "<meta property='article:published_time' content='2021-03-14T13:41:00Z'>"
    body = f"<article><header><h1>The interview, recapped</h1>{time}</header><p>Text.</p></article>"
    assert extract(page(head=head, body=body)).published.value == value


# A URL day beats a shown date a day away (a blog's URL keeps the post's day) unless the
# metadata shows the same day as the page: two sources outvote the URL.
URL_VERSUS_SHOWN = [
    ("2022-05-07T13:43:46-05:00", dt.date(2022, 5, 7)),
    ("", dt.date(2022, 5, 6)),
    ("2022-05-06T12:36:34-05:00", dt.date(2022, 5, 6)),
]


@pytest.mark.parametrize(("published", "value"), URL_VERSUS_SHOWN)
def test_metadata_and_shown_date_agreeing_outvote_the_url(published, value):
    head = ld({"@type": "NewsArticle", "headline": "Ronaldo lo sufre", "datePublished": published})
    body = (
        "<article><header><h1>Ronaldo lo sufre</h1><span class='author__date'>"
        "<time datetime='2022-05-07 13:43:46'>sábado 07 de mayo del 2022</time></span>"
        "</header><p>Texto.</p></article>"
    )
    url = "https://example.pe/futbol/2022/05/06/manchester-united-vs-brighton/"
    html = page(head=head if published else "", body=body, lang="es")
    assert extract_metadata(html, url, today=TODAY).published.value == value


def test_a_sources_stand_in_running_text_is_no_publication_label():
    body = (
        "<main><h1>Essen-Westviertel</h1><p>Die Angaben basieren auf dem Artikel "
        "Essen-Westviertel (Stand vom 15.11.2008) aus der freien Enzyklopädie.</p></main>"
    )
    assert extract(page(body=body, lang="de")).published is None


@pytest.mark.parametrize("href", ["a://[", "http://[::1", "https://[fe80::1%eth0"])
def test_a_canonical_link_that_is_no_url_is_skipped(href):
    head = f"<link rel='canonical' href='{href}'><meta property='og:url' content='{URL}'>"
    meta_ = extract(page(head=head, body="<h1>A report</h1>"))
    assert meta_.canonical_url == URL


def test_pdf_links_that_are_no_urls_are_skipped():
    head = "<meta name='citation_pdf_url' content='http://[::1/report.pdf'>"
    body = (
        "<article><h1>A report</h1><a href='https://[x/b.pdf'>PDF</a>"
        "<a href='/c.pdf'>PDF</a></article>"
    )
    meta_ = extract(page(head=head, body=body))
    assert meta_.pdf_urls == ["https://example.org/c.pdf"]


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        # no <h1>, no metadata title: the first content heading tied to the <title> by a word
        ("Feuerwehr Oldenburg - Ausbildung",
         "<nav><h2>Hauptmenü der Feuerwehr</h2></nav><div id='content'>"
         "<h2>Bootsdienst Ausbildung</h2><p>Text.</p></div>",
         "Bootsdienst Ausbildung"),
        ("BeginnersGuide/Download - Python Wiki",
         "<div id='page'><h2>Downloading Python</h2><p>Text.</p></div>", "Downloading Python"),
        # an inflected form of a word of the <title> ties the heading to it too
        ("Submission | Digital Review",
         "<div id='page'><div class='checklist'><h2>Checklist for submissions</h2>"
         "<p>Text.</p></div></div>", "Checklist for submissions"),
        # a heading sharing no word with the <title> is a menu's or a box's, not the page's
        ("Enchufla Figuren - Rueda Wiki",
         "<div id='page'><h2>Ansagen nach Grundschritt</h2><p>Text.</p></div>",
         "Enchufla Figuren - Rueda Wiki"),
        # headings for screen readers only come first: the first one readers see counts
        ("New workshop building - New WSL Birmensdorf",
         "<h2 class='sr-only'>Navigation with access keys</h2><h2 class='text-hide'>Main "
         "content</h2><div id='content'><h2 class='indent'>&nbsp;&nbsp;&nbsp;</h2>"
         "<h2>Project competition new workshop building WSL Birmensdorf</h2><p>Text.</p></div>",
         "Project competition new workshop building WSL Birmensdorf"),
    ],
)  # fmt: skip
def test_a_page_without_headline_or_metadata_title(title, body, expected):
    html = page(head=f"<title>{title}</title>", body=body, lang="de")
    assert extract(html, "https://wiki.example.net/page").title == expected


@pytest.mark.parametrize(
    "line",
    ["By", "Von:", "| Par", "Autorin:", "Auteurs", "Interview", "Text:", "Testo:", "Texto:",
     "Door", "Przez", "Posted by ", "Ein Beitrag von ", "Autore: "],
)  # fmt: skip
def test_the_byline_hint_covers_every_byline_form(line):
    from regmig_scraper.metadata import markup

    forms = (markup.BARE_BY_LABEL, markup.BY_OPENING)
    assert any(form.match(line) for form in forms), line  # a form the scan reads
    assert markup.BY_HINTS.found_in(line)  # ... is not turned away by the cheap test


# Class names and lines in any case, with the characters IGNORECASE relates to ASCII letters
# ("İ" to "i", "ı" to "i", "ſ" to "s", the Kelvin sign to "k") and word boundaries.
ANY_CASE_TEXTS = st.text(
    alphabet=st.sampled_from(list("abdeimnoprstuyzABDEIMNOPRSTUYZ -_:|0éäİıſ\u212a")),
    max_size=40,
)


@given(ANY_CASE_TEXTS)
@settings(max_examples=400, deadline=None)
def test_any_case_words_answer_as_an_ignorecase_search(text):
    """The fast any-case test finds a word exactly where an IGNORECASE search does."""
    from regmig_scraper.metadata import markup

    for words in (markup.DATE_ELEMENT_WORDS, markup.DATE_WORDS, markup.AUTHOR_WORDS,
                  markup.AUTHOR_BOX_WORDS, markup.BY_HINTS):  # fmt: skip
        expected = re.compile(words.lowercase.pattern, re.IGNORECASE).search(text) is not None
        assert words.found_in(text) == expected, (words.lowercase.pattern, text)
        expected = re.compile(words.lowercase.pattern, re.IGNORECASE).search(text, 2, 9)
        assert words.found_in(text, 2, 9) == (expected is not None)


@pytest.mark.parametrize(
    ("words", "text"),
    [("DATE_ELEMENT_WORDS", "Entry-DATE"), ("DATE_ELEMENT_WORDS", "post-İnfo"),
     ("AUTHOR_WORDS", "Post-Author"), ("BY_HINTS", "Posted BY"), ("BY_HINTS", "Teſt:")],
)  # fmt: skip
def test_any_case_words_find_words_in_any_case(words, text):
    from regmig_scraper.metadata import markup

    assert getattr(markup, words).found_in(text)


def test_any_case_words_refuse_a_pattern_with_capitals():
    """A capital in the pattern would mean something else once the text is lowercased."""
    from regmig_scraper.metadata.markup import AnyCaseWords

    with pytest.raises(ValueError):
        AnyCaseWords(r"[A-Z]+date")


def test_month_groups_start_with_distinct_letters():
    """No two groups of the month alternation start with letters IGNORECASE takes as one (nor
    that one character matches both: "I" for "i" and "ı"), so where one group's letter stands
    no other group can match, and the grouped alternation matches as the plain one."""
    firsts = sorted({word[0] for word in dates._MONTH_WORDS})
    assert len(firsts) > 20
    for first in firsts:
        others = [o for o in firsts if o != first]
        assert not [o for o in others if re.fullmatch(re.escape(first), o, re.IGNORECASE)]
        for variant in {first.upper(), first.title(), first.casefold(), first.swapcase()}:
            matching = [o for o in firsts if re.fullmatch(re.escape(o), variant, re.IGNORECASE)]
            assert len(matching) <= 1, (first, variant, matching)


def _plain_month_patterns() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """(grouped, plain) pairs of every date pattern naming a month: the plain one with the
    month words as one flat alternation, as they were written before grouping."""
    plain = "|".join(dates._MONTH_WORDS)
    pairs = [(dates.MONTH_ANYWHERE, re.compile(dates.MONTH.replace(dates._MONTH_ALT, plain), re.I))]
    for _name, pattern, _precision in dates.DATE_PATTERNS:
        if dates._MONTH_ALT in pattern.pattern:
            pairs.append(
                (pattern, re.compile(pattern.pattern.replace(dates._MONTH_ALT, plain), re.I))
            )
    return pairs


def test_every_month_word_matches_as_in_the_flat_alternation():
    """Each month word, in each case and beside a day, a year, a dot or another letter."""
    pairs = _plain_month_patterns()
    for word in dates.MONTHS:
        for form in {word, word.upper(), word.title()}:
            for text in (f"12. {form} 2021", f"{form}. 3, 2021", f"x{form} 2021", f"{form}s 2021"):
                for grouped, plain in pairs:
                    found = [(m.span(), m.groupdict()) for m in grouped.finditer(text)]
                    assert found == [(m.span(), m.groupdict()) for m in plain.finditer(text)], text


MONTH_PIECES = st.one_of(
    st.sampled_from(sorted(dates.MONTHS)).flatmap(
        lambda w: st.sampled_from([w, w.upper(), w.title(), w[:-1], w + "x"])
    ),
    st.text(alphabet="aeijmnorstuIİıſŞşÄä .,-|/0123456789", max_size=6),
    st.sampled_from(["2021", "15", "4.", "de", " ", ", "]),
)


@given(st.lists(MONTH_PIECES, max_size=8).map("".join))
@settings(max_examples=400, deadline=None)
def test_grouped_month_words_match_as_the_flat_alternation(text):
    """Every pattern naming a month finds the same matches (place, month word, all groups)
    with its month words grouped by first letter as with the flat alternation."""
    for grouped, plain in _plain_month_patterns():
        found = [(m.span(), m.groupdict()) for m in grouped.finditer(text)]
        assert found == [(m.span(), m.groupdict()) for m in plain.finditer(text)], text


@pytest.mark.parametrize("char", list(ZERO_WIDTH_CHARS))
def test_text_of_drops_each_invisible_character(char):
    """Each invisible character is dropped from an element's text, in or between words."""
    root = parse_html(
        f"<html><body><p>Mes{char}sen <b>ger{char}</b>{char} dienst</p></body></html>".encode()
    )
    assert text_of(root.find(".//p")) == "Messen ger dienst"


FIXTURE_PAGES = sorted(
    p
    for site in ("snapshot", "wordpress")
    for p in (Path(__file__).parent / "fixtures" / site).rglob("*.html")
    if not p.name.startswith(".")
)
# The keys of ``PageMetadata.as_dict()`` each costly field fills.
COSTLY_KEYS = {"title": ("title",), "published": ("published",), "modified": ("modified",),
               "authors": ("authors", "authors_raw")}  # fmt: skip


@pytest.mark.parametrize(
    "wanted",
    [{"title"}, {"published"}, {"modified"}, {"authors"}, {"published", "authors"},
     {"modified", "pdf_urls"}],
)  # fmt: skip
def test_a_field_asked_for_alone_is_read_as_with_all_of_them(wanted):
    assert set(COSTLY_KEYS) == cascade.COSTLY_FIELDS
    found = 0
    # the saved pages, and one whose dates are <time> elements at the headline
    dated = page(
        head="<title>A report</title>",
        body="<article><h1>A report</h1><p class='meta'>Published <time datetime='2024-04-01'>"
        "April 1, 2024</time>, updated <time class='updated' datetime='2024-05-02'>May 2, 2024"
        "</time></p><p>Text.</p></article>",
    )
    pages = [(p.read_bytes(), "https://www.example.org/" + p.stem) for p in FIXTURE_PAGES]
    for html, url in [*pages, (dated, URL)]:
        whole = extract_metadata(html, url, today=TODAY).as_dict()
        part = extract_metadata(html, url, today=TODAY, wanted=wanted).as_dict()
        costly = {key for keys in COSTLY_KEYS.values() for key in keys}
        for field, keys in COSTLY_KEYS.items():
            for key in keys:
                if field in wanted:
                    assert part[key] == whole[key], (url, key)
                    found += bool(whole[key])
                else:
                    assert not part[key], (url, key)
        for key in whole.keys() - costly - {"provenance"}:
            assert part[key] == whole[key], (url, key)
        assert part["provenance"].items() <= whole["provenance"].items(), url
    assert found >= 20  # the pages do have the fields asked for
