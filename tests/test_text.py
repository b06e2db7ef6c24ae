"""Tests for pipelines/text.py: whitespace, boilerplate rules, markup and the text pipeline."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.exceptions import NotConfigured

from pipelines.text import TextPipeline
from regmig_scraper.items import PublicationRecord
from regmig_scraper.normalize.site_rules import SiteRules
from regmig_scraper.normalize.text import (
    BOILERPLATE_RULES,
    MAX_BOILERPLATE_CHARS,
    SHARED,
    boilerplate_for,
    clean_byline,
    clean_text,
    looks_like_file_name,
    normalize_whitespace,
    strip_markup,
    truncate_at_word,
)
from regmig_scraper.sites.mpi.rules import MPI_RULES
from tests.helpers import finishes, get_crawler

# The tables below are strings of MPI's pages: the shared rules plus MPI's own name and chrome.
MPI = boilerplate_for(MPI_RULES.names, MPI_RULES.chrome)
is_boilerplate = MPI.is_boilerplate
strip_boilerplate = MPI.strip_boilerplate

# --- normalize_whitespace ----------------------------------------------------------------------

NORMALIZE_CASES = [
    (None, None),
    ("", None),
    ("   \n\t  ", None),
    ("\u00a0\u200b\ufeff", None),
    ("By  Andrew Selee", "By Andrew Selee"),
    ("By\u00a0Andrew Selee", "By Andrew Selee"),
    ("By&nbsp;Andrew Selee &amp; Ariel G. Ruiz Soto", "By Andrew Selee & Ariel G. Ruiz Soto"),
    ("Mexico\u2019s New Migration Policy", "Mexico’s New Migration Policy"),
    ("Mexico&rsquo;s New Migration Policy", "Mexico’s New Migration Policy"),
    ("Building a Regional\n  Migration System\n", "Building a Regional Migration System"),
    ("Migra\u200bci\u200dón", "Migración"),  # joiners between Latin letters join nothing
    # ...but they are part of emoji sequences, Arabic-script words and Indic conjuncts
    ("👩\u200d💻 in tech", "👩\u200d💻 in tech"),
    ("می\u200cخواهم", "می\u200cخواهم"),
    ("क्\u200dष", "क्\u200dष"),
    ("\u200d👩 \u200d", "👩"),
    ("Migrac\u0327a\u0303o", "Migraçã\u006f"),  # decomposed -> NFC composed
    ("México", "México"),
    ("Word\u2009joined\u202fby\u3000odd spaces", "Word joined by odd spaces"),
    ("Line\r\nbreak\rstyles\u2028here", "Line break styles here"),
    ("soft\u00adhyphen", "softhyphen"),
    ("bell\x07and\x00nul", "bell and nul"),
    ("  Reports  ", "Reports"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE_CASES)
def test_normalize_whitespace(raw: str | None, expected: str | None) -> None:
    assert normalize_whitespace(raw) == expected


MULTILINE_CASES = [
    ("A\n\n\n\nB", "A\n\nB"),
    ("\n\nA  b\n C \n\n", "A b\nC"),
    ("A\u2029B", "A\nB"),
    ("  \n\t\n", None),
]


@pytest.mark.parametrize(("raw", "expected"), MULTILINE_CASES)
def test_normalize_whitespace_multiline(raw: str, expected: str | None) -> None:
    assert normalize_whitespace(raw, multiline=True) == expected


# --- is_boilerplate: positives ----------------------------------------------------------------

BOILERPLATE_CASES = [
    # Drupal date filter placeholder (seed, real-site-text, sample)
    ("E.g.,", "date_filter_placeholder"),
    ("E.g., 12/08/2021", "date_filter_placeholder"),
    (" E.g., 09/19/2022", "date_filter_placeholder"),
    ("E.g., 04/18/2024 E.g., 04/18/2024", "date_filter_placeholder"),
    ("e.g., 1/2/21", "date_filter_placeholder"),
    # pager
    ("Pages", "pager_heading"),
    ("Páginas", "pager_heading"),
    ("« first", "pager_link"),
    ("‹ previous", "pager_link"),
    ("next ›", "pager_link"),
    ("last »", "pager_link"),
    ("Go to next page", "pager_link"),
    ("Go to page 2", "pager_link"),
    ("2", "pager_link"),
    ("…", "pager_link"),
    ("« first ‹ previous 1 2 3 … next › last »", "pager_link"),
    ("Ir a la página siguiente", "pager_link"),
    # image file names and photo captions posing as text (seed, sample, real-site-text)
    ("coverthumb_biden starting gate", "file_name_caption"),
    ("Coverthumb_RegionalCooperation_EN_final", "file_name_caption"),
    ("coverthumb_RegionalMigrationSystem_2020", "file_name_caption"),
    ("129_Chicago_ERO_Repat_Plane_102115_JD", "file_name_caption"),
    ("CanadaBorder ckowalik Flickr", "file_name_caption"),
    (
        "EVENT PHOTO 2017.8.31   flickr   cesar bojorquez  "
        "Un dia sin migrantes (Tijuana B.C. Mexico)",
        "file_name_caption",
    ),
    ("EVENT PHOTO 2017.8.31", "file_name_caption"),
    ("cesar bojorquez", "file_name_caption"),
    ("Event PH 2018.6.5 Andrew Selee", "file_name_caption"),
    ("Interior Secretary for Web", "file_name_caption"),
    ("webinar_card_regional_cooperation_0415", "file_name_caption"),
    ("Tapachula_Chiapas_IOM_2019_RRodriguez", "file_name_caption"),
    ("coverthumb_SistemaMigratorio_ESP web", "file_name_caption"),
    ("Coverthumb MPI Migracion Mexico EstadosUnidos SPANISH", "file_name_caption"),
    ("Coverthumb US Mexico Migration English", "file_name_caption"),
    ("coverthumb_covid19 global mobility 2020", "file_name_caption"),
    ("Mexico_map", "file_name_caption"),
    ("_InternationalCooperation", "file_name_caption"),
    ("cover TCM_growingGlobalDemandSkilledMigrants", "file_name_caption"),
    ("cover HLD Munz", "file_name_caption"),
    ("cover migrationgreatrecession", "file_name_caption"),
    ("Cover MexinHI", "file_name_caption"),
    ("Cover ClemensSkilled", "file_name_caption"),
    ("OntheRoad MathiasDepardon UNHCR", "file_name_caption"),
    ("MigrantsTijuanaRiverBed_BBCWorldService2014", "file_name_caption"),
    ("MigrantCaravanMXCity2018_Wotancito_WikiCommons", "file_name_caption"),
    ("Guatemalans EricChan Flickr", "file_name_caption"),
    ("MexicanMasks antifluor Flickr", "file_name_caption"),
    ("MexicanGirl CurtCarnemark WorldBank", "file_name_caption"),
    ("HaitianInterdictions", "file_name_caption"),
    ("border-crossing.jpg", "file_name_caption"),
    # photo descriptions and credits
    (
        "Photo of woman in Central African Republic participating in cash for work program",
        "photo_description",
    ),
    (
        "Image of Central American migrant caravan passing through Chiapas, Mexico",
        "photo_description",
    ),
    ("Cover image for External Processing report", "photo_description"),
    (
        "Cover image for Migration, Integration, and Diaspora Engagement in the Caribbean",
        "photo_description",
    ),
    ("Rafael Rodríguez/IOM", "photo_credit"),
    ("IOM/Angela Wells", "photo_credit"),
    ("UNHCR/G. Welters", "photo_credit"),
    ("Cpl. Robert J. Maurer/U.S. Marine Corps", "photo_credit"),
    ("Hendri Lombard/World Bank", "photo_credit"),
    ("Kelsey Bell/National Archives", "photo_credit"),
    ("iStock.com/artJazz", "photo_credit"),
    ("ckowalik/Flickr", "photo_credit"),
    ("(Photo: IOM/Angela Wells)", "photo_credit"),
    ("Foto: Eric Chan", "photo_credit"),
    # newsletter, share, print, menus, footer
    ("Sign up for our newsletter", "newsletter_signup"),
    ("Subscribe", "newsletter_signup"),
    ("Enter your email", "newsletter_signup"),
    ("Email Address", "newsletter_signup"),
    ("Get MPI’s latest research, data, and events in your inbox.", "newsletter_signup"),
    ("Suscríbase para recibir actualizaciones de MPI en español", "newsletter_signup"),
    (
        "Subscribe to our Building a Regional Migration System RSS feed using your favorite "
        "RSS reader: Subscribe",
        "newsletter_signup",
    ),
    ("Share", "share_tools"),
    ("Print", "share_tools"),
    ("Share Twitter Facebook Email Print", "share_tools"),
    ("Twitter · Facebook · LinkedIn", "share_tools"),
    ("Skip to main content", "site_chrome"),
    ("Search form", "site_chrome"),
    ("Advanced search", "site_chrome"),
    ("Migration Information Source", "site_chrome"),
    ("Multimedia Tabs", "site_chrome"),
    ("Related Research", "site_chrome"),
    ("Recent Activity", "site_chrome"),
    ("Date range", "site_chrome"),
    ("© 2001-2022 Migration Policy Institute. All rights reserved.", "copyright"),
    ("© 2001", "copyright"),
    ("All rights reserved", "copyright"),
    ("quicktabs", "markup_class_name"),
    ("views-field", "markup_class_name"),
    ("field-name-field-authors", "markup_class_name"),
    ("migrationpolicy.org", "site_name_suffix"),
    # links and buttons
    ("Read more", "read_more"),
    ("Read More »", "read_more"),
    ("Leer más", "read_more"),
    ("Learn more about the Study Group’s mission here.", "read_more"),
    ("Download", "download_link"),
    ("Download MP3", "download_link"),
    ("Download Policy Brief", "download_link"),
    ("Descargar informe", "download_link"),
    ("Lea este informe en español", "translation_link"),
    ("Read this report in English", "translation_link"),
    ("Haga clic aquí para ver este video en español.", "translation_link"),
    ("Haga clic aquí para leer este artículo en español.", "translation_link"),
    ("Click here to read this article in English.", "translation_link"),
    ("Click here to read the article in English.", "translation_link"),
    ("Click here to view this video in English.", "translation_link"),
    # field labels
    ("Speakers:", "field_label"),
    ("Moderator:", "field_label"),
    ("Authors:", "field_label"),
    ("By", "field_label"),
    ("Por", "field_label"),
    ("Related topics:", "field_label"),
    ("Ponentes:", "field_label"),
]


@pytest.mark.parametrize(("text", "rule"), BOILERPLATE_CASES)
def test_is_boilerplate(text: str, rule: str) -> None:
    assert is_boilerplate(text) == rule


# --- is_boilerplate: negatives (real words of titles, labels, names, summaries) ------------------

NOT_BOILERPLATE = [
    "Pages of History: Migration between Mexico and the United States",
    "Share of immigrants rose in 2020",
    "Download the data to see how migration changed.",
    "Andrew Selee",
    "Olga Sánchez Cordero",
    "Ariel G. Ruiz Soto",
    "Building a Regional Migration System",
    "Video, Audio",
    "Video, Audio, Webinars",
    "Reports",
    "Audio",
    "Feature",
    "MPI Webinar",
    "Upcoming Event",
    "Press Release",
    "Migration Policy Institute",
    "April 2021",
    "2021",
    "February 28, 2019",
    "Thursday, April 15, 2021",
    "Interior Secretary",
    "Key Findings & Recommendations",
    "Images of America",
    "Copyright Law and Immigrant Artists",
    "Trump/Biden Immigration Policies Compared",
    "U.S./Mexico Border",
    "Informe final",
    "Un dia sin migrantes (Tijuana B.C. Mexico)",
    "Venezuelan migrants at the Colombian border.",
    "A caravan of migrants from Central America passes by Chiapas, Mexico.",
    "COVID-19 and the State of Global Mobility in 2020",
    "At the Starting Gate: The Incoming Biden Administration’s Immigration Plans",
    "Mexico’s New Migration Policy: A Public Address by Secretary of the Interior Olga Sánchez "
    "Cordero",
    "Rising Numbers of Asylum Seekers Test the Canada-U.S. Safe Third Country Agreement",
    "Sentando las bases para una cooperación regional: Política migratoria y capacidad "
    "institucional en México y Centroamérica",
    "La nueva política migratoria de México: Discurso de la Secretaria de Gobernación Olga "
    "Sánchez Cordero",
    "Fortaleciendo la protección de los menores no acompañados en tránsito por México",
    "Inmigrantes centroamericanos en los Estados Unidos",
    "Migrants in McAllen",
    "Next Steps for Regional Cooperation",
    "Print Media and Migration",
]


@pytest.mark.parametrize("text", NOT_BOILERPLATE)
def test_is_not_boilerplate(text: str) -> None:
    assert is_boilerplate(text) is None


def _first_rule_one_by_one(text: str) -> str | None:
    return next((rule.name for rule in MPI.rules if rule.matches(text)), None)


BOILERPLATE_WORDS = st.sampled_from(
    [text for text, _ in BOILERPLATE_CASES] + NOT_BOILERPLATE + ["E.g.,", "Pages", "_", "jpg"]
)


@pytest.mark.parametrize(
    "text", [text for text, _ in BOILERPLATE_CASES] + NOT_BOILERPLATE + ["", "x", "next ›"]
)
def test_the_combined_rule_check_finds_the_first_rule_as_the_rules_do(text: str) -> None:
    # _whole_rule asks one alternation of every ``whole`` pattern before the rules one by one
    assert MPI._whole_rule(text) == _first_rule_one_by_one(text)


@given(
    st.lists(BOILERPLATE_WORDS | st.text(max_size=12), max_size=4).map(" ".join)
    | st.text(max_size=60)
)
def test_the_combined_rule_check_agrees_on_any_line(text: str) -> None:
    assert MPI._whole_rule(text) == _first_rule_one_by_one(text)


@pytest.mark.parametrize("text", [None, "", "   ", "x" * (MAX_BOILERPLATE_CHARS + 1)])
def test_is_boilerplate_empty_or_long(text: str | None) -> None:
    assert is_boilerplate(text) is None


@pytest.mark.parametrize("text", ["_", "___", "_ _", "__\n__"])
def test_is_boilerplate_on_bare_underscores(text: str) -> None:
    # regression: the file-name heuristic once indexed an empty word list here
    assert is_boilerplate(text) is None


def test_expected_json_boilerplate_is_recognised(expected: dict) -> None:
    # The one real sentence in the list is an image alt: the caller never uses alt text as a
    # title, and is_boilerplate must not reject ordinary sentences.
    sentences = {"A caravan of migrants from Central America passes by Chiapas, Mexico."}
    missed = [s for s in expected["boilerplate"] if s not in sentences and not is_boilerplate(s)]
    assert missed == []


def test_rule_names_are_unique_and_commented() -> None:
    for rules in (BOILERPLATE_RULES, MPI.rules):
        names = [rule.name for rule in rules]
        assert len(names) == len(set(names))
        assert all(rule.comment for rule in rules)


@pytest.mark.parametrize(
    "text",
    ["migrationpolicy.org", "Migration Information Source", "About MPI", "Multimedia Tabs"],
)
def test_a_sites_own_name_and_chrome_are_its_rules_not_the_shared_ones(text: str) -> None:
    assert MPI.is_boilerplate(text) is not None
    assert SHARED.is_boilerplate(text) is None


def test_a_site_name_suffix_is_removed_for_that_site_only() -> None:
    title = "Migrants in McAllen | Example Institute"
    assert SHARED.clean_text(title) == (title, [])
    other = boilerplate_for(("Example Institute",), ())
    assert other.clean_text(title) == ("Migrants in McAllen", ["site_name_suffix"])
    assert MPI.clean_text(title) == (title, [])


def test_site_chrome_adds_to_the_shared_chrome() -> None:
    site = boilerplate_for((), ("Our Experts",))
    assert site.is_boilerplate("Our Experts") == "site_chrome"
    assert site.is_boilerplate("Skip to main content") == "site_chrome"
    assert [rule.name for rule in site.rules] == [rule.name for rule in BOILERPLATE_RULES]


FILE_NAME_NEGATIVES = [
    "Andrew Selee",
    "Photos were posted on Flickr by the agency.",
    "Cover Story: Immigrants in the Census",
    "G20 Summit",
    "iPhone Apps for Migrants",
    "Interior Secretary",
    "Migration Policy Institute",
]


@pytest.mark.parametrize("text", FILE_NAME_NEGATIVES)
def test_file_name_heuristic_negatives(text: str) -> None:
    assert not looks_like_file_name(text)


# --- strip_boilerplate and clean_text --------------------------------------------------------

STRIP_CASES = [
    (
        "E.g., 09/19/2022\nE.g., 09/19/2022\nBuilding a Regional Migration System",
        "Building a Regional Migration System",
        ["date_filter_placeholder", "date_filter_placeholder"],
    ),
    (
        "The work collected here aims to develop ideas.\nShare Twitter Facebook Email Print",
        "The work collected here aims to develop ideas.",
        ["share_tools"],
    ),
    (
        "Body.\n© 2001-2022 Migration Policy Institute. All rights reserved.",
        "Body.",
        ["copyright"],
    ),
    (
        "This policy brief outlines priorities. Read more »",
        "This policy brief outlines priorities.",
        ["read_more"],
    ),
    ("Andrew Selee | migrationpolicy.org", "Andrew Selee", ["site_name_suffix"]),
    (
        "Migrants walk along a highway near Tapachula, Chiapas. (Photo: IOM/Rafael Rodríguez)",
        "Migrants walk along a highway near Tapachula, Chiapas.",
        ["photo_credit"],
    ),
    (
        "Recent Activity\ncoverthumb_biden starting gate\nPolicy Briefs\nPages",
        "Policy Briefs",
        ["site_chrome", "file_name_caption", "pager_heading"],
    ),
    (
        "Share of immigrants rose.\nDownload the report to read more.",
        "Share of immigrants rose.\nDownload the report to read more.",
        [],
    ),
    ("Pages", None, ["pager_heading"]),
    ("A\n\nPrint\n\nB", "A\n\nB", ["share_tools"]),
]


@pytest.mark.parametrize(("raw", "text", "rules"), STRIP_CASES)
def test_strip_boilerplate(raw: str, text: str | None, rules: list[str]) -> None:
    assert strip_boilerplate(raw) == (text, rules)


CLEAN_CASES = [
    ("  Building a Regional\n  Migration System ", "Building a Regional Migration System", []),
    ("E.g., 12/08/2021 E.g., 12/08/2021", None, ["date_filter_placeholder"] * 2),
    ("coverthumb_biden starting gate", None, ["file_name_caption"]),
    ("Lea este informe en español", None, ["translation_link"]),
    ("Reports", "Reports", []),
    ("Video,&nbsp;Audio", "Video, Audio", []),
    (None, None, []),
]


@pytest.mark.parametrize(("raw", "text", "rules"), CLEAN_CASES)
def test_clean_text(raw: str | None, text: str | None, rules: list[str]) -> None:
    assert clean_text(raw) == (text, rules)


BYLINE_CASES = [
    (
        "By&nbsp; Doris Meissner\nand  Michelle Mittelstadt",
        "By Doris Meissner\nand Michelle Mittelstadt",
        [],
    ),
    ("Speakers:\u00a0\nAndrew Selee", "Speakers:\nAndrew Selee", []),
    ("By", None, ["field_label"]),
    ("Authors:\u00a0", None, ["field_label"]),
    ("  ", None, []),
]


@pytest.mark.parametrize(("raw", "text", "rules"), BYLINE_CASES)
def test_clean_byline(raw: str, text: str | None, rules: list[str]) -> None:
    assert clean_byline(raw) == (text, rules)


def test_clean_text_result_list_is_a_copy() -> None:
    _, fired = clean_text("Pages")
    fired.append("mutated")
    assert clean_text("Pages") == (None, ["pager_heading"])


def test_clean_text_seed_listing_keeps_content() -> None:
    seed = (
        "E.g., 12/08/2021\nE.g., 12/08/2021\nBuilding a Regional Migration System\n\n"
        "Recent Activity\n\nA caravan of migrants from Central America passes by Chiapas, "
        "Mexico.\nSentando las bases para una cooperación regional\nReports\nApril 2021\n"
        "By  Andrew Selee and Jessica Bolter\ncoverthumb_biden starting gate\nPolicy Briefs\n\n"
        "Pages\n\nCanadaBorder ckowalik Flickr\n"
    )
    text, fired = clean_text(seed, multiline=True)
    assert text == (
        "Building a Regional Migration System\n\nA caravan of migrants from Central America "
        "passes by Chiapas, Mexico.\nSentando las bases para una cooperación regional\nReports\n"
        "April 2021\nBy Andrew Selee and Jessica Bolter\nPolicy Briefs"
    )
    assert sorted(set(fired)) == [
        "date_filter_placeholder",
        "file_name_caption",
        "pager_heading",
        "site_chrome",
    ]


# --- markup --------------------------------------------------------------------------------

MARKUP_CASES = [
    ("<p>Hello <b>world</b></p>", "Hello world"),
    ("<div>Reports</div><script>alert(1)</script>", "Reports"),
    (
        "By <a href='/about/people/andrew-selee'>Andrew Selee</a> &amp; Ariel",
        "By Andrew Selee & Ariel",
    ),
    ("Title<!-- a comment --> here", "Title here"),
    ("a < b and c > d", "a < b and c > d"),
    ("x<y and z>w", "x<y and z>w"),
    # Tags whose "<" a mangled page lost: their attributes go, their text stays.
    ('a class="print-page" href="javascript:window.print()">Print', "Print"),
    ("<p>img src='/files/cover.jpg' alt=\"Cover\" />Report cover</p>", "Report cover"),
    ('span class="date-display-single" content="2021-04-01">April 2021', "April 2021"),
    ('<a href="/x">Real link</a> and div id="a">debris', "Real link and debris"),
    # Quotes, equals signs and ">" in prose stay.
    ('The "Remain in Mexico" policy > all others', 'The "Remain in Mexico" policy > all others'),
    ('Set x = "5" and compare: x > 4', 'Set x = "5" and compare: x > 4'),
    ("Ratio=2:1 > parity", "Ratio=2:1 > parity"),
]


@pytest.mark.parametrize(("raw", "expected"), MARKUP_CASES)
def test_strip_markup(raw: str, expected: str) -> None:
    assert normalize_whitespace(strip_markup(raw)) == expected


def test_strip_markup_breaks_blocks_into_lines() -> None:
    # Paragraphs are apart by a blank line, as the extractors' body_text joins them (one
    # walker reads both: normalize.html_text).
    text = normalize_whitespace(strip_markup("<p>One</p><p>Two</p>"), multiline=True)
    assert text == "One\n\nTwo"
    assert normalize_whitespace(strip_markup("<p>One<br>Two</p>"), multiline=True) == text


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("one two three four", 12, "one two"),
        ("abcdefghijklmnop", 5, "abcde"),
    ],
)
def test_truncate_at_word(text: str, limit: int, expected: str) -> None:
    assert truncate_at_word(text, limit) == expected


# --- properties: never raise, never hang ---------------------------------------------------


@given(st.one_of(st.none(), st.text()))
@settings(max_examples=400)
def test_normalize_whitespace_properties(text: str | None) -> None:
    out = normalize_whitespace(text)
    if out is not None:
        assert out == out.strip()
        assert "  " not in out and "\n" not in out
        assert not any(c in out for c in "\u200b\u00a0\ufeff\u2060")
        assert len(out) <= 3 * len(text or "")  # NFC can expand a few characters


@given(st.text())
@settings(max_examples=400)
def test_text_functions_never_raise(text: str) -> None:
    rule = is_boilerplate(text)
    assert rule is None or rule in {r.name for r in MPI.rules}  # the shared rules and MPI's
    stripped, fired = strip_boilerplate(text)
    assert stripped is None or len(stripped) <= len(text)
    assert all(isinstance(name, str) for name in fired)
    cleaned, _ = clean_text(text)
    assert cleaned is None or "\n" not in cleaned
    assert isinstance(strip_markup(text), str)


LONG_INPUTS = [
    " " * 100_000 + "x",
    "Read more" + " " * 100_000 + "x",
    "E.g., " * 20_000,
    "a_" * 50_000,
    "1 " * 50_000 + "x",
    "<div>" * 20_000,
    "<script>" * 12_000,
    "© 2001 " * 15_000,
    "(Photo: " * 15_000,
    " | migrationpolicy.org" * 5_000 + "x",
    "\u200b" * 100_000,
    'x="y" ' * 20_000 + ">",
    'a="' * 30_000 + ">",
]


@pytest.mark.parametrize("text", LONG_INPUTS, ids=range(len(LONG_INPUTS)))
def test_long_adversarial_inputs_finish(text: str) -> None:
    with finishes():
        is_boilerplate(text)
        strip_boilerplate(text)
        clean_text(text, multiline=True)
        strip_markup(text)


@given(st.text(min_size=1, max_size=20).map(lambda s: s * 5_000))
@settings(max_examples=25)
def test_long_repeated_text_is_handled(text: str) -> None:
    cleaned, _ = clean_text(text, multiline=True)
    assert cleaned is None or len(cleaned) <= len(text)
    assert is_boilerplate(text) is None or len(text) <= 4 * MAX_BOILERPLATE_CHARS


# --- the pipeline ----------------------------------------------------------------------------


def _pipeline(**settings_dict: object) -> tuple[TextPipeline, object]:
    crawler = get_crawler(settings_dict=settings_dict)
    return TextPipeline.from_crawler(crawler), crawler


def test_pipeline_cleans_fields_and_counts() -> None:
    pipeline, crawler = _pipeline()
    item = PublicationRecord(
        title="coverthumb_biden starting gate",
        summary="Joe Biden pledged&nbsp;during his campaign to reverse actions. Read more",
        content_type_label=" Policy\u00a0Briefs ",
        date_raw="E.g., 12/08/2021",
        posted_raw="November 2020",
        body_text="Intro.\n\nShare Twitter Facebook Email Print\nPages\nEnd.",
        authors_raw="By&nbsp; Doris Meissner\nand Michelle Mittelstadt",
    )
    pipeline.process_item(item)
    assert item["title"] is None
    assert item["summary"] == "Joe Biden pledged during his campaign to reverse actions."
    assert item["content_type_label"] == "Policy Briefs"
    assert item["date_raw"] is None
    assert item["posted_raw"] == "November 2020"
    assert item["body_text"] == "Intro.\n\nEnd."
    assert item["authors_raw"] == "By Doris Meissner\nand Michelle Mittelstadt"
    pipeline.close_spider()  # the counts reach the stats at close
    stats = crawler.stats
    assert stats.get_value("regmig/text/removed/file_name_caption") == 1
    assert stats.get_value("regmig/text/removed/read_more") == 1
    assert stats.get_value("regmig/text/removed/date_filter_placeholder") == 1
    assert stats.get_value("regmig/text/removed/share_tools") == 1
    assert stats.get_value("regmig/text/removed/pager_heading") == 1
    assert stats.get_value("regmig/text/emptied/title") == 1
    assert stats.get_value("regmig/text/emptied/date_raw") == 1
    assert stats.get_value("regmig/text/emptied/summary") is None


def test_pipeline_cleans_each_record_with_its_sites_rules() -> None:
    pipeline, crawler = _pipeline(
        REGMIG_SITES_BASE={"mpi": "regmig_scraper.sites.mpi.MpiDrupalSite"},
        REGMIG_SITES={"tiny": "tests.test_text.TinySite", "gone": None},
    )
    title = "Andrew Selee | migrationpolicy.org"
    mpi, other, unknown = ({"site": site, "title": title} for site in ("mpi", "tiny", None))
    for record in (mpi, other, unknown):
        pipeline.process_item(record)
    assert mpi["title"] == "Andrew Selee"
    assert other["title"] == title
    assert unknown["title"] == title
    other_chrome = {"site": "tiny", "title": "Our Experts"}
    assert pipeline.process_item(other_chrome)["title"] is None
    pipeline.close_spider()
    assert crawler.stats.get_value("regmig/text/removed/site_name_suffix") == 1
    assert crawler.stats.get_value("regmig/text/removed/site_chrome") == 1


class TinySite:
    """A site with its own chrome, for the test above."""

    name = "tiny"
    rules = SiteRules(chrome=("Our Experts",))


def test_pipeline_keeps_speaker_label_for_the_byline_splitter() -> None:
    pipeline, _ = _pipeline()
    item = PublicationRecord(authors_raw="Speakers:\u00a0\nAndrew Selee, President, MPI")
    pipeline.process_item(item)
    assert item["authors_raw"] == "Speakers:\nAndrew Selee, President, MPI"


def test_pipeline_strips_markup() -> None:
    pipeline, crawler = _pipeline()
    item = PublicationRecord(title="<h1>Vanishing <em>Frontiers</em></h1><script>x()</script>")
    pipeline.process_item(item)
    assert item["title"] == "Vanishing Frontiers"
    pipeline.close_spider()  # the counts reach the stats at close
    assert crawler.stats.get_value("regmig/text/markup/title") == 1


def test_pipeline_truncates_at_settings_limits() -> None:
    pipeline, crawler = _pipeline(REGMIG_TEXT_MAX_CHARS=20, REGMIG_TEXT_MAX_BODY_CHARS=30)
    item = PublicationRecord(
        summary="Migration between Mexico and the United States has changed",
        body_text="word " * 100,
    )
    pipeline.process_item(item)
    assert item["summary"] == "Migration between"
    assert len(item["body_text"]) <= 30
    pipeline.close_spider()  # the counts reach the stats at close
    assert crawler.stats.get_value("regmig/text/truncated/summary") == 1
    assert crawler.stats.get_value("regmig/text/truncated/body_text") == 1


def test_pipeline_leaves_missing_fields_alone() -> None:
    pipeline, crawler = _pipeline()
    item = PublicationRecord(title="Reports")
    pipeline.process_item(item)
    assert "summary" not in item
    assert crawler.stats.get_value("regmig/text/emptied/title") is None


def test_pipeline_works_on_plain_dicts_and_odd_types() -> None:
    pipeline, _ = _pipeline()
    item = {"title": ["Building a", "Regional Migration System"], "date_raw": 2021}
    pipeline.process_item(item)
    assert item == {"title": "Building a Regional Migration System", "date_raw": "2021"}


def test_pipeline_can_be_disabled() -> None:
    with pytest.raises(NotConfigured):
        _pipeline(REGMIG_TEXT_ENABLED=False)


# Fragments that make inline boilerplate, and the text around it.
INLINE_FRAGMENTS = (
    "E.g., 12/08/2021",
    "Read more »",
    "Read More",
    "Continue reading",
    "Leer más",
    "© 2001-2022 Migration Policy Institute. All rights reserved.",
    "©2021 All rights reserved",
    " | migrationpolicy.org",
    " – Migration Policy Institute",
    "(Photo: IOM/Angela Wells)",
    "(Fotos: Eric Chan)",
    "(Credit: UNHCR)",
    "(Photo credit: x)",
    "read more",
    "Photo: x",
    "migration policy",
    "\n",
    " ",
    "\t",
    "-",
    "The report examines migration.",
)


@given(st.lists(st.sampled_from(INLINE_FRAGMENTS), max_size=12))
@settings(max_examples=300, deadline=None)
def test_inline_rules_match_only_text_holding_their_literals(parts: list[str]) -> None:
    # strip_boilerplate skips an inline pattern when none of its rule's ``inline_needs``
    # occurs: exact only if every match holds one of them.
    text = "".join(parts)
    for rule in BOILERPLATE_RULES:
        if rule.inline is None:
            continue
        assert rule.inline_needs
        for match in rule.inline.finditer(text):
            assert any(literal in match.group(0) for literal in rule.inline_needs), rule.name
