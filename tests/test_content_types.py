"""Tests for pipelines/content_types.py: label vocabulary, multi-labels and the pipeline."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.exceptions import NotConfigured

from pipelines.content_types import ContentTypePipeline
from regmig_scraper.items import PublicationRecord
from regmig_scraper.normalize.content_types import (
    CONTENT_TYPES,
    VOCABULARY,
    label_key,
    make_mapper,
    map_content_type,
)
from regmig_scraper.sites.mpi.rules import MPI_RULES
from tests.helpers import get_crawler

# (label as printed, expected code); all of these are known labels.
KNOWN_CASES = [
    # --- seed and sample labels ---
    ("Reports", "report"),
    ("Policy Briefs", "policy_brief"),
    ("Fact Sheets", "fact_sheet"),
    ("Commentaries", "commentary"),
    ("Articles", "article"),
    ("Feature", "article"),
    ("Spotlight", "article"),
    ("Video, Audio", "video"),
    ("Video", "video"),
    ("Audio", "audio"),
    ("Video, Audio, Webinars", "webinar"),
    ("Webinars", "webinar"),
    ("Webinar", "webinar"),
    # --- real-site-text labels ---
    ("Press Release", "press_release"),
    ("Upcoming Event", "event"),
    # --- singular / plural / case / whitespace ---
    ("Report", "report"),
    ("REPORTS", "report"),
    ("  reports\u00a0", "report"),
    ("Policy Brief", "policy_brief"),
    ("policy  briefs", "policy_brief"),
    ("Fact Sheet", "fact_sheet"),
    ("Commentary", "commentary"),
    ("Article", "article"),
    ("Event", "event"),
    ("Events", "event"),
    ("Books", "book"),
    ("Book", "book"),
    ("Testimony", "testimony"),
    ("Testimonies", "testimony"),
    ("Press Releases", "press_release"),
    ("Podcast", "audio"),
    ("Podcasts", "audio"),
    ("Journal Articles", "article"),
    ("Other", "other"),
    ("Videos", "video"),
    # --- Spanish ---
    ("Informes", "report"),
    ("Informe", "report"),
    ("Hojas informativas", "fact_sheet"),
    ("Hoja informativa", "fact_sheet"),
    ("Comentario", "commentary"),
    ("Comentarios", "commentary"),
    ("Artículo", "article"),
    ("Artículos", "article"),
    ("Articulo", "article"),
    ("Vídeo", "video"),
    ("Eventos", "event"),
    ("Libros", "book"),
    ("Comunicado de prensa", "press_release"),
    ("Seminario web", "webinar"),
    # --- multi-labels: exact combination first, else the first known part ---
    ("Video,Audio", "video"),
    ("video ,  audio ,  webinars", "webinar"),
    ("Video/Audio", "video"),
    ("Video & Audio", "video"),
    ("Audio, Video", "video"),
    ("Policy Briefs, Reports", "policy_brief"),
    ("Something New, Reports", "report"),
    ("Reports (12)", "report"),
    ("Reports:", "report"),
    # labels of other think tanks (the WordPress sample's among them)
    ("Data Tool", "other"),
    ("Mapa interactivo", "other"),
    ("Informe de política", "policy_brief"),
    ("Discussion Paper", "report"),
    ("Entrevista", "article"),
    ("Pódcast", "audio"),
    ("Seminario web", "webinar"),
]


@pytest.mark.parametrize(("label", "code"), KNOWN_CASES)
def test_map_known_labels(label: str, code: str) -> None:
    assert map_content_type(label) == (code, True)


UNKNOWN_CASES = [
    "Multimedia",
    "Something New",
    "Research & Policy, Data",
    "x" * 500,
]


@pytest.mark.parametrize("label", UNKNOWN_CASES)
def test_map_unknown_labels(label: str) -> None:
    assert map_content_type(label) == ("other", False)


@pytest.mark.parametrize("label", [None, "", "   ", "\u00a0", ",", " , ; "])
def test_map_missing_labels(label: str | None) -> None:
    assert map_content_type(label) == (None, True)


def test_vocabulary_matches_expected_json(expected: dict) -> None:
    for label, code in expected["content_type_vocabulary"].items():
        assert map_content_type(label) == (code, True), label
    for publication in expected["publications"]:
        code, known = map_content_type(publication["content_type_label"])
        assert (code, known) == (publication["content_type"], True)


def test_vocabulary_codes_are_valid() -> None:
    assert set(VOCABULARY.values()) <= set(CONTENT_TYPES)


def test_vocabulary_keys_do_not_collide() -> None:
    keys: dict[str, str] = {}
    for label, code in VOCABULARY.items():
        key = label_key(label)
        assert keys.setdefault(key, code) == code, f"{label!r} collides on {key!r}"


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Commentaries", "commentary"),
        ("Hojas informativas", "hoja informativa"),
        ("Press Releases", "press release"),
        ("Video, Audio, Webinars", "video, audio, webinar"),
        ("Artículos", "articulo"),
        ("News", "news"),
    ],
)
def test_label_key(label: str, key: str) -> None:
    assert label_key(label) == key


def test_a_sites_own_labels_are_its_rules_not_the_shared_vocabulary() -> None:
    assert map_content_type("MPI Webinar") == ("other", False)
    assert make_mapper(MPI_RULES.content_types)("MPI Webinar") == ("webinar", True)


def test_extra_labels_override_and_extend() -> None:
    mapper = make_mapper({"Multimedia": "video", "Feature": "commentary", "Data Tools": "other"})
    assert mapper("Multimedia") == ("video", True)
    assert mapper("Feature") == ("commentary", True)
    assert mapper("data tool") == ("other", True)
    assert mapper("Reports") == ("report", True)
    assert map_content_type("Multimedia") == ("other", False)  # the default is untouched


def test_extra_label_with_unknown_code_is_an_error() -> None:
    with pytest.raises(ValueError, match="not one of"):
        make_mapper({"Multimedia": "movie"})


@given(st.one_of(st.none(), st.text()))
@settings(max_examples=500)
def test_map_content_type_never_raises(label: str | None) -> None:
    code, known = map_content_type(label)
    assert code is None or code in CONTENT_TYPES
    assert isinstance(known, bool)
    assert code is not None or known


@given(st.text(min_size=1, max_size=20).map(lambda s: s * 5_000))
@settings(max_examples=20)
def test_map_content_type_long_input(label: str) -> None:
    code, _ = map_content_type(label)
    assert code in (None, "other")


# --- the pipeline ----------------------------------------------------------------------------


def _pipeline(**settings_dict: object) -> tuple[ContentTypePipeline, object]:
    crawler = get_crawler(settings_dict=settings_dict)
    return ContentTypePipeline.from_crawler(crawler), crawler


def test_pipeline_sets_code_and_counts(caplog: pytest.LogCaptureFixture) -> None:
    pipeline, crawler = _pipeline()
    labels = ["Reports", "Reports", "Video, Audio, Webinars", "Multimedia", "Multimedia", None]
    items = [PublicationRecord(content_type_label=label) for label in labels]
    with caplog.at_level(logging.INFO, logger="pipelines.content_types"):
        for item in items:
            assert pipeline.process_item(item) is item
    assert [item["content_type"] for item in items] == [
        "report",
        "report",
        "webinar",
        "other",
        "other",
        None,
    ]
    assert [item["content_type_label"] for item in items] == labels
    pipeline.close_spider()  # the counts reach the stats at close
    stats = crawler.stats
    assert stats.get_value("regmig/content_type/mapped/report") == 2
    assert stats.get_value("regmig/content_type/mapped/webinar") == 1
    assert stats.get_value("regmig/content_type/unknown") == 2
    assert stats.get_value("regmig/content_type/missing") == 1
    assert stats.get_value("regmig/content_type/mapped/other") is None
    unknown_logs = [r for r in caplog.records if "Multimedia" in r.getMessage()]
    assert len(unknown_logs) == 1


def test_pipeline_reads_extra_labels_from_settings() -> None:
    pipeline, crawler = _pipeline(REGMIG_CONTENT_TYPES_EXTRA={"Multimedia": "video"})
    item = PublicationRecord(content_type_label="Multimedia")
    pipeline.process_item(item)
    assert item["content_type"] == "video"
    pipeline.close_spider()  # the counts reach the stats at close
    assert crawler.stats.get_value("regmig/content_type/mapped/video") == 1


def test_pipeline_reads_extra_labels_as_json() -> None:
    pipeline, _ = _pipeline(REGMIG_CONTENT_TYPES_EXTRA='{"Data Tool": "fact_sheet"}')
    item = {"content_type_label": "Data Tools"}
    pipeline.process_item(item)
    assert item["content_type"] == "fact_sheet"


def test_pipeline_rejects_bad_extra_code() -> None:
    with pytest.raises(ValueError):
        _pipeline(REGMIG_CONTENT_TYPES_EXTRA={"Multimedia": "movie"})


def test_pipeline_can_be_disabled() -> None:
    with pytest.raises(NotConfigured):
        _pipeline(REGMIG_CONTENT_TYPES_ENABLED=False)
