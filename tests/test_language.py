"""Tests for pipelines/language.py: language detection and the page-signal fallback rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.exceptions import NotConfigured

from pipelines.language import LanguagePipeline
from regmig_scraper.items import PublicationRecord
from regmig_scraper.normalize import language
from regmig_scraper.normalize.language import (
    detect_language,
    normalize_language_tag,
    resolve_language,
)
from regmig_scraper.normalize.site_rules import SiteRules
from tests.helpers import get_crawler

# Every title and summary of /work/shared/site-sample/expected.json with its expected language.
SAMPLE_TITLES_AND_SUMMARIES = [
    (
        (
            "Laying the Foundation for Regional Cooperation: Migration Policy and "
            "Institutional Capacity in Mexico and Central America"
        ),
        "en",
    ),
    (
        (
            "The countries in the region that stretches from Panama to the U.S.-Mexico "
            "border face an important opportunity to strengthen cooperation on migration."
            " This report examines key building blocks that can lay the foundation for "
            "regional cooperation. In addition to assessing institutional capacity, legal"
            " frameworks, and migration policies, it also identifies key areas for "
            "capacity-building efforts."
        ),
        "en",
    ),
    (
        (
            "Sentando las bases para una cooperación regional: Política migratoria y "
            "capacidad institucional en México y Centroamérica"
        ),
        "es",
    ),
    (
        (
            "Los países de la región que se extiende desde Panamá hasta la frontera entre"
            " Estados Unidos y México enfrentan una importante oportunidad para "
            "fortalecer la cooperación en materia de migración. Este informe examina los "
            "pilares fundamentales que pueden sentar las bases de la cooperación "
            "regional. Además de evaluar la capacidad institucional, los marcos legales y"
            " las políticas migratorias, también identifica áreas clave en el desarrollo "
            "de capacidades."
        ),
        "es",
    ),
    ("At the Starting Gate: The Incoming Biden Administration’s Immigration Plans", "en"),
    (
        (
            "Joe Biden pledged during his campaign to reverse some of the most "
            "restrictive immigration actions undertaken during Donald Trump’s four years "
            "in office. While some actions can be undone with the stroke of a pen, others"
            " will take more time. This policy brief outlines the incoming "
            "administration’s top immigration priorities, examines challenges and "
            "opportunities ahead, and previews MPI policy ideas that could improve the "
            "immigration system and advance the national interest."
        ),
        "en",
    ),
    (
        (
            "Building a New Regional Migration System: Redefining U.S. Cooperation with "
            "Mexico and Central America"
        ),
        "en",
    ),
    (
        (
            "Addressing regional cooperation around migration will be among the "
            "immigration challenges and opportunities facing the incoming Biden "
            "administration. This report examines how movement between the United States,"
            " Mexico, and Central America has evolved in recent decades, and lays out a "
            "four-part strategy to expand opportunities for legal migration, address "
            "humanitarian protection needs, improve enforcement, and mitigate some of the"
            " forces driving people to emigrate."
        ),
        "en",
    ),
    (
        (
            "Construyendo un nuevo sistema migratorio regional: Redefiniendo la "
            "cooperación de Estados Unidos con México y Centroamérica"
        ),
        "es",
    ),
    (
        (
            "Un desafío y una oportunidad clave que enfrentará la administración de Joe "
            "Biden será cómo abordar la cooperación regional en relación a la migración. "
            "Este informe explora la evolución de la movilidad entre los Estados Unidos, "
            "México y Centroamérica y presenta una estrategia para ampliar las "
            "oportunidades en cuanto a la migración legal, abordar necesidades "
            "humanitarias, fortalecer la aplicación de la ley y mitigar algunas de las "
            "fuerzas que provocan la emigración."
        ),
        "es",
    ),
    (
        (
            "Investing in the Neighborhood: Changing Mexico-U.S. Migration Patterns and "
            "Opportunities for Sustainable Cooperation"
        ),
        "en",
    ),
    (
        (
            "Migration between Mexico and the United States has changed dramatically over"
            " the past decade, as fewer Mexicans head north and more Central Americans "
            "transit through Mexico. Drawing on the discussions of a binational study "
            "group convened by El Colegio de México and MPI, this report examines these "
            "shifts and outlines opportunities for the two governments to cooperate on "
            "labor mobility, humanitarian protection, and the reintegration of returning "
            "migrants."
        ),
        "en",
    ),
    (
        (
            "Invertir en el vecindario: Cambios en los patrones migratorios entre México "
            "y Estados Unidos y oportunidades para una cooperación sostenible"
        ),
        "es",
    ),
    (
        (
            "La migración entre México y Estados Unidos ha cambiado de manera profunda en"
            " la última década: cada vez menos mexicanos se dirigen al norte y más "
            "centroamericanos transitan por México. A partir de las discusiones de un "
            "grupo de estudio binacional convocado por El Colegio de México y MPI, este "
            "informe analiza estos cambios y propone oportunidades de cooperación en "
            "movilidad laboral, protección humanitaria y reintegración de migrantes "
            "retornados."
        ),
        "es",
    ),
    (("Rising Numbers of Asylum Seekers Test the Canada-U.S. Safe Third Country Agreement"), "en"),
    (
        (
            "Amid a sense of declining welcome in the United States, growing numbers of "
            "asylum seekers have crossed into Canada in recent months, entering illegally"
            " to take advantage of a loophole in the Canada-U.S. Safe Third Country "
            "Agreement. The result? Refugee advocates and politicians in Canada are "
            "issuing growing calls to change or suspend the treaty. This article examines"
            " the treaty's history, effects, and current challenges."
        ),
        "en",
    ),
    (
        (
            "La nueva política migratoria de México: Discurso de la Secretaria de "
            "Gobernación Olga Sánchez Cordero"
        ),
        "es",
    ),
    (
        (
            "Durante su primera visita oficial a Washington, DC, la Secretaria de "
            "Gobierno Olga Sánchez Cordero presento un discurso público sobre la nueva "
            "política migratoria de México en el Instituto de Políticas Migratorias."
        ),
        "es",
    ),
    (
        (
            "Mexico’s New Migration Policy: A Public Address by Secretary of the Interior"
            " Olga Sánchez Cordero"
        ),
        "en",
    ),
    (
        (
            "On her first official trip to Washington, DC, Secretary of the Interior Olga"
            " Sánchez Cordero offered a public address on Mexico’s new approach to "
            "migration policy at MPI. Her remarks and the event discussion were mostly "
            "conducted in Spanish, and this recording is of the simultaneous English "
            "interpretation."
        ),
        "en",
    ),
    (
        (
            "Promising Strategies for Reintegration of Migrants Returning to Mexico and "
            "Central America"
        ),
        "en",
    ),
    (
        (
            "This MPI webinar focuses on reception and reintegration services for "
            "returning migrants, along with the heightened pressure policymakers in "
            "Mexico and Central America are facing to design systems and programs that "
            "support both returnees and the communities in which they settle. Authors of "
            "a year-long study of reception and reintegration services in Mexico and the "
            "Northern Triangle discuss the findings of their fieldwork."
        ),
        "en",
    ),
    (("Vanishing Frontiers: The Forces Driving Mexico and the United States Together"), "en"),
    (
        (
            "Marking the release of MPI President Andrew Selee's latest book, speakers "
            "explore emerging trends in migration, economic interdependence, technology "
            "innovation, and cultural exchange that are transforming the relationship "
            "between the United States and Mexico, and the policy implications of these "
            "changes for the future."
        ),
        "en",
    ),
    (("Fortaleciendo la protección de los menores no acompañados en tránsito por México"), "es"),
    (
        (
            "Durante este seminario, ponentes presentaron hallazgos de un reciente "
            "informe que utiliza datos de agencias gubernamentales mexicanas, entrevistas"
            " con funcionarios clave y relatos de la sociedad civil para examinar el "
            "marco legal para la protección de menores no acompañados y su aplicación, al"
            " igual que las brechas entre este marco y su aplicación durante los procesos"
            " de detención, interrogación y alojamiento. El presidente de MPI, Andrew "
            "Selee, también expuso cómo el cambio en la dinámica política en Estados "
            "Unidos puede afectar las cuestiones migratorias con México, así como los "
            "efectos en la relación bilateral en medio de tensiones sobre el muro "
            "fronterizo, la renegociación del acuerdo del TLCAN y una cifra significativa"
            " de repatriaciones de migrantes mexicanos."
        ),
        "es",
    ),
    (
        (
            "Lessons from Europe: The U.S. Opportunity to Rethink the Links Between "
            "Development Assistance and Migration"
        ),
        "en",
    ),
    (
        (
            "As the United States embarks on a new strategy to address the root causes of"
            " migration and displacement from Central America, there is much that it can "
            "learn from Europe's experience in linking up migration and development aid. "
            "This commentary examines the experience of the EU Emergency Trust Fund for "
            "Africa (EUTF), drawing five key lessons directly applicable to the situation"
            " in Central America."
        ),
        "en",
    ),
    ("Mexico’s Search for Disappeared Migrants Has Evolved, but Challenges Remain", "en"),
    (
        (
            "Tens of thousands of migrants have gone missing in Mexico in recent years, "
            "with the country having one of world's highest rates of disappeared persons."
            " In 2015, the Mexican government created institutions to investigate these "
            "cases and work with the missing migrants' families, who are often their most"
            " vocal advocates. This article explores the reasons why migrants disappear, "
            "as well the institutions established to investigate cases and their impact."
        ),
        "en",
    ),
    (
        (
            "Laying the Foundation for Regional Cooperation: Migration Management in "
            "Mexico and Central America"
        ),
        "en",
    ),
    (
        (
            "This report release event examines migration management in Mexico and "
            "Central America, and the growing government attention to migration "
            "functions, enhanced immigration enforcement, increased investments in asylum"
            " systems and existing protection frameworks, as well as labor migration "
            "policies. This is the original audio. Speakers made their remarks in Spanish"
            " and English. There is no interpretation on this version. Spanish and "
            "English interpretations will be posted soon."
        ),
        "en",
    ),
]

# Short labels and titles, the seed page's and the real site's text (/work/shared/seed,
# /work/shared/real-site-text).
SHORT_AND_REAL_TEXTS = [
    # content-type labels, both languages
    ("Reports", "en"),
    ("Informes", "es"),
    ("Comentario", "es"),
    ("Comentarios", "es"),
    ("Policy Briefs", "en"),
    ("Hojas informativas", "es"),
    ("Fact Sheets", "en"),
    ("Commentaries", "en"),
    ("Articles", "en"),
    ("Artículos", "es"),
    ("Webinars", "en"),
    ("Resúmenes de políticas", "es"),
    # short titles and page text
    ("La nueva política migratoria de México", "es"),
    ("Política migratoria", "es"),
    ("Un dia sin migrantes", "es"),
    ("Migración", "es"),
    ("Migration Policy", "en"),
    ("Vanishing Frontiers", "en"),
    ("Beyond the Border", "en"),
    ("Press Release", "en"),
    ("Upcoming Event", "en"),
    ("Recent Activity", "en"),
    ("Building a Regional Migration System", "en"),
    ("Sentando las bases para una cooperación regional", "es"),
    ("Inmigrantes centroamericanos en los Estados Unidos", "es"),
    ("Banderas de las naciones centroamericanas en una marcha en San Diego.", "es"),
    ("Lea este informe en español", "es"),
    ("Read this report in English", "en"),
    ("Click here to read this article in English.", "en"),
    ("Haga clic aquí para leer este artículo en español.", "es"),
    ("Suscríbase para recibir actualizaciones de MPI en español", "es"),
    ("Seeking Safety: Regional Protection Options for Central Americans", "en"),
    ("In a Dramatic Shift, the Americas Have Become a Leading Migration Destination", "en"),
    (
        "Reporte de MPI examina la frágil pero creciente capacidad en México y Centroamérica "
        "para gestionar la migración, establece papel de apoyo para EE.UU. y organizaciones "
        "internacionales",
        "es",
    ),
    (
        "MPI Report Examines the Fragile but Increasing Capacity in Central America & Mexico "
        "to Manage Migration, Sets Out Supporting Role for U.S., International Organizations",
        "en",
    ),
    (
        "Para la mayoría de las personas centroamericanas que se ven forzadas a abandonar sus "
        "hogares, viajar a México o Estados Unidos para solicitar refugio o asilo es la única "
        "opción para buscar protección internacional.",
        "es",
    ),
    (
        "For most Central Americans forced to flee their homes, traveling to Mexico or the "
        "United States to apply for asylum is their only option to seek international "
        "protection.",
        "en",
    ),
]

LONG_TEXT_CASES = [
    (text, lang)
    for text, lang in SAMPLE_TITLES_AND_SUMMARIES + SHORT_AND_REAL_TEXTS
    if len(text) >= 40
]


@pytest.mark.parametrize(("text", "expected"), SAMPLE_TITLES_AND_SUMMARIES + SHORT_AND_REAL_TEXTS)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text)[0] == expected


@pytest.mark.parametrize(("text", "expected"), LONG_TEXT_CASES)
def test_long_texts_are_confident(text: str, expected: str) -> None:
    lang, confidence = detect_language(text)
    assert (lang, confidence >= 0.8) == (expected, True)


@pytest.mark.parametrize(
    "text", ["Reports", "Informes", "Hojas informativas", "Video, Audio", "Olga Sánchez Cordero"]
)
def test_short_texts_are_only_guesses(text: str) -> None:
    assert 0.0 < detect_language(text)[1] <= 0.5


@pytest.mark.parametrize("text", [None, "", "   \n\t ", "12/08/2021", "—", "2021 12345", "¡¿?!"])
def test_texts_without_letters_are_undetermined(text: str | None) -> None:
    assert detect_language(text) == ("und", 0.0)


def test_detector_knows_only_the_requested_languages() -> None:
    # German text with only English and Spanish loaded: the answer is one of the two.
    text = "Die Migrationspolitik der Bundesregierung wird in diesem Bericht untersucht."
    assert detect_language(text, languages=("en", "es"))[0] in {"en", "es"}
    assert detect_language(text, languages=("de", "en", "es"))[0] == "de"


def test_unknown_language_profile_is_rejected() -> None:
    with pytest.raises(ValueError, match="no profile"):
        language.detector_factory(("en", "xx"))


def test_detection_caps_the_text_it_reads() -> None:
    spanish = "La migración entre México y Estados Unidos ha cambiado de manera profunda. "
    english_tail = "The rest of this very long page is written in English only. " * 5_000
    # Reading it all would make it English: 300,000 English characters against 1,500 Spanish.
    assert detect_language(spanish * 20 + english_tail)[0] == "es"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("es-MX", "es"),
        ("es_ES", "es"),
        ("en-US", "en"),
        ("EN", "en"),
        (" es ", "es"),
        ("zh-Hant-TW", "zh"),
        ("es-419", "es"),
        ("", None),
        (None, None),
        ("x-default", None),
        ("und", None),
        ("spanish", None),
        ("e", None),
        ("es-MX, en", None),
    ],
)
def test_normalize_language_tag(tag: str | None, expected: str | None) -> None:
    assert normalize_language_tag(tag) == expected


SPANISH_TITLE = "Fortaleciendo la protección de los menores no acompañados en tránsito por México"
SPANISH_SUMMARY = (
    "Durante su primera visita oficial a Washington, DC, la Secretaria de Gobierno Olga Sánchez "
    "Cordero presento un discurso público sobre la nueva política migratoria de México."
)
ENGLISH_TITLE = "Promising Strategies for Reintegration of Migrants Returning to Mexico"
# English title + Spanish summary, half and half: langdetect is not confident.
MIXED = ("Vanishing Frontiers", "Fronteras que desaparecen")


@pytest.mark.parametrize(
    ("texts", "signals", "expected"),
    [
        # 1. confident text wins over every page signal, the chrome's "en" included
        ((SPANISH_TITLE, SPANISH_SUMMARY, None), {"html_lang": "en"}, ("es", "text")),
        ((SPANISH_TITLE, None, None), {"html_lang": "en", "og_locale": "en_US"}, ("es", "text")),
        ((None, None, SPANISH_SUMMARY), {"content_lang": "en"}, ("es", "text")),
        ((ENGLISH_TITLE, None, None), {"html_lang": "es"}, ("en", "text")),
        # 2-4. short or mixed text: page signals, in order
        (
            ("Informes", None, None),
            {"content_lang": "es", "html_lang": "en"},
            ("es", "content_lang"),
        ),
        ((*MIXED, None), {"content_lang": "es", "html_lang": "en"}, ("es", "content_lang")),
        (("Informes", None, None), {"og_locale": "es_MX", "html_lang": "en"}, ("es", "og_locale")),
        (("Reports", None, None), {"html_lang": "en-US"}, ("en", "html_lang")),
        (("Informes", None, None), {"html_lang": "en"}, ("en", "html_lang")),
        ((*MIXED, None), {"html_lang": "en"}, ("en", "html_lang")),
        # unusable signals are skipped
        (("Informes", None, None), {"content_lang": "", "og_locale": "es_ES"}, ("es", "og_locale")),
        (
            ("Reports", None, None),
            {"content_lang": "x-default", "html_lang": "en"},
            ("en", "html_lang"),
        ),
        # 5. no signal: the weak text guess
        (("Informes", None, None), {}, ("es", "text")),
        (("Hojas informativas", None, None), {}, ("es", "text")),
        (("Policy Briefs", None, None), {}, ("en", "text")),
        # 6. nothing
        ((None, None, None), {}, ("und", "und")),
        (("", "  ", "12/08/2021"), {}, ("und", "und")),
    ],
)
def test_resolve_language(
    texts: tuple[str | None, str | None, str | None],
    signals: dict[str, str],
    expected: tuple[str, str],
) -> None:
    lang, confidence, method = resolve_language(*texts, **signals)
    assert (lang, method) == expected
    assert 0.0 <= confidence <= 1.0


def test_min_confidence_decides_between_text_and_signals() -> None:
    text_confidence = detect_language(" ".join(MIXED))[1]
    assert 0.0 < text_confidence < 0.8
    strict = resolve_language(*MIXED, None, html_lang="en", min_confidence=0.8)
    lenient = resolve_language(*MIXED, None, html_lang="en", min_confidence=text_confidence)
    assert (strict[2], lenient[2]) == ("html_lang", "text")


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_detect_language_never_raises(text: str) -> None:
    lang, confidence = detect_language(text)
    assert lang in {"en", "es", "und"}
    assert 0.0 <= confidence <= 1.0


@given(
    st.one_of(st.none(), st.text(max_size=120)),
    st.one_of(st.none(), st.text(max_size=120)),
    st.one_of(st.none(), st.text(max_size=50)),
)
@settings(max_examples=200, deadline=None)
def test_resolve_language_never_raises(
    title: str | None, summary: str | None, tag: str | None
) -> None:
    lang, confidence, method = resolve_language(
        title, summary, None, content_lang=tag, og_locale=tag, html_lang=tag
    )
    assert method in {"text", "content_lang", "og_locale", "html_lang", "und"}
    assert 0.0 <= confidence <= 1.0
    assert lang == "und" or len(lang) == 2


@given(st.text(min_size=1, max_size=300))
@settings(max_examples=100, deadline=None)
def test_detect_language_is_deterministic(text: str) -> None:
    first = detect_language(text)
    assert detect_language(text) == first
    # A fresh factory and an empty cache give the same answer.
    language.detector_factory.cache_clear()
    language._detect_cached.cache_clear()
    assert detect_language(text) == first


@pytest.mark.parametrize(("text", "expected"), SAMPLE_TITLES_AND_SUMMARIES[:6])
def test_seed_controls_the_sampling_not_the_answer(text: str, expected: str) -> None:
    assert {detect_language(text, seed=seed)[0] for seed in (0, 1, 42)} == {expected}


# --- the Scrapy pipeline -----------------------------------------------------------------


def make_pipeline(**settings_dict: object) -> tuple[LanguagePipeline, object]:
    crawler = get_crawler(settings_dict=settings_dict)
    return LanguagePipeline.from_crawler(crawler), crawler


def test_pipeline_sets_language_from_text_over_chrome() -> None:
    pipeline, crawler = make_pipeline()
    item = PublicationRecord(
        title=SPANISH_TITLE,
        summary=SPANISH_SUMMARY,
        content_type_label="Audio",
        html_lang="en",
    )
    pipeline.process_item(item)
    assert (item["language"], item["language_confidence"] >= 0.8) == ("es", True)
    pipeline.close_spider()  # the counts reach the stats at close
    assert crawler.stats.get_value("regmig/language/detected/es") == 1
    assert crawler.stats.get_value("regmig/language/method/text") == 1


def test_pipeline_falls_back_to_page_signals() -> None:
    pipeline, crawler = make_pipeline()
    items = [
        PublicationRecord(title="Informes", content_lang="es", html_lang="en"),
        PublicationRecord(title="Informes", og_locale="es_MX", html_lang="en"),
        PublicationRecord(title="Reports", html_lang="en"),
    ]
    for item in items:
        pipeline.process_item(item)
    assert [i["language"] for i in items] == ["es", "es", "en"]
    pipeline.close_spider()  # the counts reach the stats at close
    assert crawler.stats.get_value("regmig/language/method/content_lang") == 1
    assert crawler.stats.get_value("regmig/language/method/og_locale") == 1
    assert crawler.stats.get_value("regmig/language/method/html_lang") == 1
    assert crawler.stats.get_value("regmig/language/detected/es") == 2


def test_pipeline_ignores_the_type_label() -> None:
    # "Informes" as a label says nothing about the item; only title/summary/body and signals do.
    pipeline, _ = make_pipeline()
    item = PublicationRecord(content_type_label="Informes", html_lang="en")
    pipeline.process_item(item)
    assert item["language"] == "en"


def test_pipeline_counts_undetermined_items() -> None:
    pipeline, crawler = make_pipeline()
    item = PublicationRecord(title=None, summary="", url="https://example.org/x")
    pipeline.process_item(item)
    assert (item["language"], item["language_confidence"]) == ("und", 0.0)
    pipeline.close_spider()  # the counts reach the stats at close
    assert crawler.stats.get_value("regmig/language/undetermined") == 1
    assert crawler.stats.get_value("regmig/language/method/und") == 1


def test_pipeline_accepts_plain_dicts_and_odd_values() -> None:
    pipeline, _ = make_pipeline()
    item = {"title": ["not", "a", "string"], "summary": 42, "html_lang": 7, "og_locale": "es_ES"}
    pipeline.process_item(item)
    assert (item["language"], item["language_confidence"]) == ("es", 0.8)


def test_pipeline_settings() -> None:
    pipeline, _ = make_pipeline(
        REGMIG_LANGUAGE_LANGUAGES=["es", "en", "pt"],
        REGMIG_LANGUAGE_SEED=7,
        REGMIG_LANGUAGE_MIN_CONFIDENCE=0.95,
    )
    assert (pipeline.languages, pipeline.seed, pipeline.min_confidence) == (
        ("es", "en", "pt"),
        7,
        0.95,
    )


def test_pipeline_can_be_disabled() -> None:
    with pytest.raises(NotConfigured):
        make_pipeline(REGMIG_LANGUAGE_ENABLED=False)


def test_pipeline_rejects_unknown_languages_at_start() -> None:
    with pytest.raises(ValueError, match="no profile"):
        make_pipeline(REGMIG_LANGUAGE_LANGUAGES=["en", "klingon"])


# Texts langdetect finds hard or odd: mixed languages, capitals runs, accents, other scripts,
# URLs and e-mail addresses (removed first), combining marks, nothing to go on.
DETECTOR_EDGE_TEXTS = [
    *(text for text, _ in SAMPLE_TITLES_AND_SUMMARIES),
    " ".join(MIXED),
    SPANISH_TITLE + " " + ENGLISH_TITLE,
    "MPI USA-MEXICO BORDER REPORT and the NAFTA",
    "Olga Sánchez Cordero Video, Audio February 28, 2019",
    "¿Qué pasa? ¡Ñandú! émigré naïve café",
    "see https://www.migrationpolicy.org/research/x and mail info@example.org now",
    "Привет мир, это текст",
    "日本語のテキストとカタカナ",
    "Vie\u0301t Nam ho\u0323c",
    "a  b   c",
    "x",
    "12/08/2021",
    "",
]


@pytest.mark.parametrize("text", DETECTOR_EDGE_TEXTS)
def test_detection_is_deterministic_and_never_raises(text: str) -> None:
    # The same text gives the same answer whatever ran before: the cache cleared, the detector
    # rebuilt, another seed used in between.
    for languages in (("en", "es"), ("es", "en"), ("en", "es", "de")):
        first = language._langdetect(text, languages, 0)
        language._langdetect(text, languages, 1)
        language.detector_factory.cache_clear()
        language._detect_cached.cache_clear()
        assert language._langdetect(text, languages, 0) == first
        if first is not None:
            assert first[0] in languages
            assert 0.0 < first[1] <= 1.0


def test_detection_uses_only_the_configured_profiles() -> None:
    factory = language.detector_factory(("en", "es"), 0)
    assert sorted(factory.get_lang_list()) == ["en", "es"]
    # German text with only English and Spanish known: one of those, never "de".
    found = language._langdetect("Die Migrationspolitik der Bundesregierung", ("en", "es"), 0)
    assert found is not None and found[0] in ("en", "es")


# Language sets whose profiles know different n-grams: the word cache is per factory.
WORD_DETECTOR_LANGUAGES = [
    ("en", "es"),
    ("es", "en", "de"),
    ("ru", "uk", "bg", "mk"),
    ("ja", "zh-cn"),
]
# Characters the word-by-word steps treat apart: spaces, capitals, punctuation, Latin-1 letters
# and symbols, combining marks (Vietnamese), Romanian comma letters, general punctuation, other
# scripts, and the pieces of URLs and e-mail addresses.
WORD_DETECTOR_ALPHABET = st.sampled_from(
    list("  aAbBeEiInNoOsStTxXzZ.,:;/@-_?&=01")
    + list("ñÑéÉüÜ¿¡\u00a0«»ßșțĂ\u0301\u0323\u0300\u2019\u2014ẠỆ")
    + list("приветМИРあアカ日本語한글ابپی")
    + ["https://", "http://x.org/a?b=1", "ab@cd.org", "MPI", "USA"]
)


def _word_detector_steps(detector, text: str) -> tuple:
    """The text after append and cleaning, the n-gram list, and the probabilities (or None)."""
    from langdetect.lang_detect_exception import LangDetectException

    detector.append(text)
    detector.cleaning_text()
    cleaned, ngrams = detector.text, detector._extract_ngrams()
    detector.text = ""
    detector.append(text)
    try:
        found = [(p.lang, p.prob) for p in detector.get_probabilities()]
    except LangDetectException:
        found = None
    return cleaned, ngrams, found


@pytest.mark.parametrize("languages", WORD_DETECTOR_LANGUAGES)
@pytest.mark.parametrize("text", DETECTOR_EDGE_TEXTS)
def test_word_cached_detector_gives_langdetects_steps_and_answers(text, languages) -> None:
    from regmig_scraper.normalize.langdetect_words import create_detector

    factory = language.detector_factory(languages, 0)
    ours = create_detector(factory)
    assert type(ours) is not type(factory.create())
    assert _word_detector_steps(ours, text) == _word_detector_steps(factory.create(), text)


@given(
    st.lists(WORD_DETECTOR_ALPHABET, max_size=120).map("".join),
    st.sampled_from(WORD_DETECTOR_LANGUAGES),
)
@settings(max_examples=400, deadline=None)
def test_word_cached_detector_matches_langdetect_on_any_text(text, languages) -> None:
    from regmig_scraper.normalize.langdetect_words import create_detector

    factory = language.detector_factory(languages, 0)
    expected = _word_detector_steps(factory.create(), text)
    assert _word_detector_steps(create_detector(factory), text) == expected


def test_one_configured_language_needs_no_detector() -> None:
    assert language.detect_language(SPANISH_TITLE, languages=("en",)) == ("en", 1.0)


class PortugueseSite:
    """A site publishing in Portuguese and English."""

    name = "pt"
    rules = SiteRules(languages=("pt", "en"))


def test_pipeline_detects_among_each_records_sites_languages() -> None:
    pipeline, _ = make_pipeline(
        REGMIG_SITES={"pt": "tests.test_language.PortugueseSite"},
        REGMIG_LANGUAGE_LANGUAGES=["en", "es"],
    )
    text = "A política migratória do Brasil e a cooperação regional na América do Sul"
    portuguese = pipeline.process_item({"site": "pt", "title": text})
    default = pipeline.process_item({"title": text})
    assert portuguese["language"] == "pt"
    assert default["language"] in ("en", "es")


# A site without languages of its own (the generic module's): the script, the page's declared
# language and the length of the text decide along with langdetect.
OPEN_SITE_PAGES = [
    # a script only a few languages use: Chinese, Japanese (kana beside kanji), Korean, Greek
    ("益阳：“数字”是优长", None, None, "zh", "script"),
    ("子どもへの体罰を禁止する法律ができる", None, None, "ja", "script"),
    ("서울시, 내년부터 청년 주거 지원 확대", None, None, "ko", "script"),
    ("Η κυβέρνηση ανακοίνωσε νέα μέτρα για τη στέγαση", None, None, "el", "script"),
    # Cyrillic: the declared language among the script's, else langdetect among them
    ("Подольски завершил карьеру в сборной Германии", None, "uk", "uk", "script"),
    ("Подольски завершил карьеру в сборной Германии после чемпионата мира", None, None, "ru",
     "script"),
    # a language outside the configured six, declared by the page: it joins the detector's
    ("Leudot talvet tekevät meistä väsyneempiä – näillä keinoilla jaksat paremmin koko "
     "talven, kertoo asiantuntija", "Talven pimeys vaikuttaa unirytmiin, ja moni tuntee "
     "olonsa väsyneeksi aamuisin.", "fi", "fi", "text"),
    # Norwegian Bokmål is read with the Norwegian profile and keeps its declared tag (six
    # languages alone read it as German)
    ("Angsten vil øke", "USAs angrep på Venezuela skaper spenning i Nord-Korea, mener "
     "ekspert, men tror et liknende angrep på regimet er usannsynlig.", "nb-NO", "nb", "text"),
    # a language neither configured nor declared, read among all Latin-script languages when
    # the text is long and the six are unsure (WordPress's default "en-US" on a Swahili page)
    ("Watu kumi na nane wanaswa kwa makosa mbalimbali mkoani", "Jeshi la Polisi mkoani "
     "limefanikiwa kukamata watu kwa kutuhumiwa makosa mbalimbali katika kipindi cha mwezi "
     "huu, amesema kamanda wa polisi wa mkoa.", "en-US", "sw", "text"),
    ("Nederland investeert in nieuwe dijken", "De regering heeft besloten om de komende "
     "jaren extra geld uit te trekken voor de versterking van dijken langs de kust en de "
     "grote rivieren.", None, "nl", "text"),
    # ... but an English text stays English under that rule
    ("The study examines how immigration affects the labour market", "It shows the role "
     "of language, the recognition of qualifications and networks, and what employers can "
     "do about them.", "en-US", "en", "text"),
    # a title and a teaser do not overrule the declared language...
    ("Magic Cleaning", "Magic Cleaning | Example ♥ Magazin", "de", "de", "html_lang"),
    ("Editor's Letter: bye OC Baby, hi Bernsi Baby!", "bye, bye...", "de-DE", "de", "html_lang"),
    # ... a text of some length does (a German template's "en" on a German article)
    ("Die Studie untersucht, wie sich die Zuwanderung auf den Arbeitsmarkt auswirkt",
     "Sie zeigt, welche Rolle die Sprache, die Anerkennung von Abschlüssen und die Netzwerke "
     "spielen, und was Betriebe tun können.", "en", "de", "text"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "summary", "html_lang", "expected", "method"), OPEN_SITE_PAGES)
def test_language_on_a_site_without_languages_of_its_own(
    title, summary, html_lang, expected, method
):
    language, _, how = resolve_language(
        title,
        summary,
        None,
        html_lang=html_lang,
        languages=("en", "es", "de", "fr", "pt", "it"),
        open_languages=True,
    )
    assert (language, how) == (expected, method)


def test_a_site_with_its_own_languages_keeps_the_text_rule():
    # MPI's chrome says "en" on Spanish pages: there the text decides, however short
    language, _, method = resolve_language(
        "Informes sobre migración", None, None, html_lang="es", languages=("en", "es")
    )
    assert (language, method) == ("es", "text")
    language, _, method = resolve_language(
        "Magic Cleaning", "Magic Cleaning | Example Magazine", None, html_lang="es",
        languages=("en", "es"),
    )  # fmt: skip
    assert (language, method) == ("en", "text")


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("蔡健雅", "han"),
        ("体罰を禁止する", "kana"),
        ("Подольски", "cyrillic"),
        ("Berlin – 北京 partnership talks resume", None),  # mostly Latin
        ("Österreichs Tauchmesse", None),
        ("", None),
    ],
)
def test_text_script(text, script):
    assert language.text_script(text) == script


def test_the_pipeline_opens_the_languages_of_sites_without_their_own():
    pipeline = LanguagePipeline(
        languages=("en", "es", "de", "fr", "pt", "it"),
        rules={"mpi": SiteRules(languages=("en", "es"))},
    )
    page = {"source": "page", "title": "Magic Cleaning", "summary": "Magic Cleaning | Example",
            "html_lang": "de"}  # fmt: skip
    assert pipeline.process_item(PublicationRecord(**page, site="generic"))["language"] == "de"
    assert pipeline.process_item(PublicationRecord(**page, site="mpi"))["language"] == "en"
