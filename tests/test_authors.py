"""Tests for pipelines/authors.py: byline splitting, rejections and the authors pipeline."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.exceptions import NotConfigured

from pipelines.authors import AuthorsPipeline
from regmig_scraper.items import PublicationRecord
from regmig_scraper.normalize.authors import split_authors, split_authors_detailed
from tests.helpers import finishes, get_crawler

SELEE = "Andrew Selee"
RUIZ = "Ariel G. Ruiz Soto"

# A report with a hundred authors (1,341 characters): a list, not a text dump.
HUNDRED_NAMES = [
    f"{given} {family}"
    for family in ("García", "Okafor", "Nakamura", "Dubois", "Ivanova", "Rossi", "Silva",
                   "Müller", "Khan", "Novak")
    for given in ("Ana", "Luis", "María", "John", "Sarah", "Kenji", "Amina", "Pierre",
                  "Olga", "Tomás")
]  # fmt: skip

# (byline as the page prints it, expected names)
SPLIT_CASES = [
    ("By " + ", ".join(HUNDRED_NAMES[:-1]) + " and " + HUNDRED_NAMES[-1], HUNDRED_NAMES),
    # --- seed listing bylines (double space after "By") ---
    (
        "By  Andrew Selee, Ariel G. Ruiz Soto, Andrea Tanco, Luis Argueta and Jessica Bolter",
        [SELEE, RUIZ, "Andrea Tanco", "Luis Argueta", "Jessica Bolter"],
    ),
    ("By  Doris Meissner and Michelle Mittelstadt", ["Doris Meissner", "Michelle Mittelstadt"]),
    (
        "By  Andrew Selee, Silvia E. Giorguli-Saucedo, Ariel G. Ruiz Soto and Claudia Masferrer",
        [SELEE, "Silvia E. Giorguli-Saucedo", RUIZ, "Claudia Masferrer"],
    ),
    # --- sample detail pages: nbsp, entities, Oxford comma, no conjunction, "&" ---
    ("By\u00a0Andrew Selee and Ariel G. Ruiz Soto", [SELEE, RUIZ]),
    ("By&nbsp;Andrew Selee &amp; Ariel G. Ruiz Soto", [SELEE, RUIZ]),
    (
        "By\u00a0Andrew Selee, Ariel G. Ruiz Soto, Andrea Tanco, Luis Argueta, and Jessica Bolter",
        [SELEE, RUIZ, "Andrea Tanco", "Luis Argueta", "Jessica Bolter"],
    ),
    (
        "By\u00a0Andrew Selee, Silvia E. Giorguli-Saucedo, Ariel G. Ruiz Soto, Claudia Masferrer",
        [SELEE, "Silvia E. Giorguli-Saucedo", RUIZ, "Claudia Masferrer"],
    ),
    ("By Kelly Kupferberg", ["Kelly Kupferberg"]),
    (
        "By María Jesús Mora and Karina Fonseca Romero",
        ["María Jesús Mora", "Karina Fonseca Romero"],
    ),
    ("Authors:\u00a0Camille Le Coz & Ariel G. Ruiz Soto", ["Camille Le Coz", RUIZ]),
    ("Camille Le Coz & Ariel G. Ruiz Soto", ["Camille Le Coz", RUIZ]),
    # --- real-site-text bylines ---
    (
        "By  Meghan Benton, Jeanne Batalova, Samuel Davidoff-Gore and Timo Schmidt",
        ["Meghan Benton", "Jeanne Batalova", "Samuel Davidoff-Gore", "Timo Schmidt"],
    ),
    (
        "By  Valerie Lacarte, Jordi Amaral, Diego Chaves-González, Ana María Sáiz and "
        "Jeremy Harris",
        [
            "Valerie Lacarte",
            "Jordi Amaral",
            "Diego Chaves-González",
            "Ana María Sáiz",
            "Jeremy Harris",
        ],
    ),
    (
        "By  Pauline Endres de Oliveira and Nikolas Feith Tan",
        ["Pauline Endres de Oliveira", "Nikolas Feith Tan"],
    ),
    (
        "By  Michael Fix, Demetrios G. Papademetriou, Jeanne Batalova, Aaron Terrazas, Serena "
        "Yi-Ying Lin and Michelle Mittelstadt",
        [
            "Michael Fix",
            "Demetrios G. Papademetriou",
            "Jeanne Batalova",
            "Aaron Terrazas",
            "Serena Yi-Ying Lin",
            "Michelle Mittelstadt",
        ],
    ),
    ("By  Lesleyanne Hawthorne", ["Lesleyanne Hawthorne"]),
    ("By  Elena Zúñiga and Miguel Molina", ["Elena Zúñiga", "Miguel Molina"]),
    ("By  Camille Le Coz and Kathleen Newland", ["Camille Le Coz", "Kathleen Newland"]),
    (
        "By  Camille Le Coz, Samuel Davidoff-Gore, Timo Schmidt, Susan Fratzke, Andrea Tanco, "
        "Maria Belen Zanzuchi and Jessica Bolter",
        [
            "Camille Le Coz",
            "Samuel Davidoff-Gore",
            "Timo Schmidt",
            "Susan Fratzke",
            "Andrea Tanco",
            "Maria Belen Zanzuchi",
            "Jessica Bolter",
        ],
    ),
    ("By  Ariel G. Ruiz Soto and Andrew Selee", [RUIZ, SELEE]),
    # --- Spanish ---
    ("Por Andrew Selee y Ariel G. Ruiz Soto", [SELEE, RUIZ]),
    ("Por Andrew Selee, Andrea Tanco y Luis Argueta", [SELEE, "Andrea Tanco", "Luis Argueta"]),
    ("Por  María Jesús Mora", ["María Jesús Mora"]),
    (
        "Autores: Ana Laura Martínez de Lara y Gisela Zapata-Gómez",
        ["Ana Laura Martínez de Lara", "Gisela Zapata-Gómez"],
    ),
    # --- other byline shapes ---
    ("By Andrew Selee with Doris Meissner", [SELEE, "Doris Meissner"]),
    ("Written by Kelly Kupferberg", ["Kelly Kupferberg"]),
    ("By: Kelly Kupferberg", ["Kelly Kupferberg"]),
    ("Andrew Selee\nAriel G. Ruiz Soto\n", [SELEE, RUIZ]),
    ("By\nAndrew Selee,\nAriel G. Ruiz Soto", [SELEE, RUIZ]),
    ("Andrew Selee; Ariel G. Ruiz Soto", [SELEE, RUIZ]),
    ("By Andrew Selee and by Ariel G. Ruiz Soto", [SELEE, RUIZ]),
    ("Diego Chaves-González and Camille Le Coz", ["Diego Chaves-González", "Camille Le Coz"]),
    ("By Andrew Selee and Andrew Selee", [SELEE]),
    ("By Andrew Selee, ANDREW SELEE", [SELEE]),
    ("By Ariel G. Ruiz Soto and Andrew Selee.", [RUIZ, SELEE]),
    ("By John D'Amato Jr.", ["John D'Amato Jr."]),
    ("John Smith, Jr. and Ana Díaz", ["John Smith Jr.", "Ana Díaz"]),
    # --- roles and affiliations are not names ---
    ("Andrew Selee, President, MPI", [SELEE]),
    ("Andrew Selee (MPI)", [SELEE]),
    ("Andrew Selee, Migration Policy Institute", [SELEE]),
    ("By Kathleen Newland, Senior Fellow and Co-Founder, MPI", ["Kathleen Newland"]),
    (
        "Andrea Tanco, Strategic Advisor to the President and Associate Policy Analyst, MPI",
        ["Andrea Tanco"],
    ),
    (
        "Diego Chaves-González, Senior Manager, Latin America and Caribbean Initiative, MPI",
        ["Diego Chaves-González"],
    ),
    ("Andrew Selee, President, MPI, and Ariel G. Ruiz Soto, Policy Analyst, MPI", [SELEE, RUIZ]),
    ("Rodrigo Dominguez Villegas, Investigador, MPI", ["Rodrigo Dominguez Villegas"]),
    ("By Andrew Selee and MPI staff", [SELEE]),
    # --- "et al." and "and others" ---
    ("Andrew Selee et al.", [SELEE]),
    ("Andrew Selee, Ariel G. Ruiz Soto, and others", [SELEE, RUIZ]),
    ("Andrew Selee y otros", [SELEE]),
    # --- an organisation alone is the author ---
    ("By Migration Policy Institute", ["Migration Policy Institute"]),
    ("By the Migration Policy Institute", ["Migration Policy Institute"]),
    ("By MPI", ["MPI"]),
    ("Por El Colegio de México", ["El Colegio de México"]),
    # --- nothing to read ---
    (None, []),
    ("", []),
    ("   ", []),
    ("By", []),
    ("By\u00a0", []),
]


@pytest.mark.parametrize(("raw", "expected"), SPLIT_CASES)
def test_split_authors(raw: str | None, expected: list[str]) -> None:
    assert split_authors(raw) == expected


# (byline, languages, names): any language the caller names, from the one table of byline
# words (metadata.bylines.BYLINE_WORDS); MPI's languages (en, es) leave the others alone.
LANGUAGE_CASES = [
    ("Von Anna Müller und Bernd Schmidt", ("de",), ["Anna Müller", "Bernd Schmidt"]),
    ("Par Claire Dubois et Jean Martin", ("fr",), ["Claire Dubois", "Jean Martin"]),
    ("Por Ana Souza e João Silva", ("pt",), ["Ana Souza", "João Silva"]),
    ("Di Marco Rossi e Giulia Bianchi", ("it",), ["Marco Rossi", "Giulia Bianchi"]),
    ("Por Ana Souza y Juan Pérez", ("es",), ["Ana Souza", "Juan Pérez"]),
    ("By Ana Souza and Juan Pérez", ("en", "es", "de", "fr", "pt", "it"),
     ["Ana Souza", "Juan Pérez"]),
    ("Anna Müller und Bernd Schmidt", ("en", "es"), []),  # a sentence to MPI's languages
    ("Par Claire Dubois et Jean Martin", ("en", "es"), []),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "languages", "expected"), LANGUAGE_CASES)
def test_split_authors_in_the_sites_languages(
    raw: str, languages: tuple[str, ...], expected: list[str]
) -> None:
    assert split_authors(raw, languages=languages) == expected


def test_pipeline_reads_bylines_in_the_sites_languages() -> None:
    from regmig_scraper.normalize.site_rules import SiteRules

    pipeline = AuthorsPipeline(
        languages=("en", "es", "de", "fr", "pt", "it"),
        rules={"mpi": SiteRules(languages=("en", "es"))},
    )
    german = pipeline.process_item({"authors_raw": "Von Anna Müller und Bernd Schmidt"})
    on_mpi = pipeline.process_item(
        {"site": "mpi", "authors_raw": "Von Anna Müller und Bernd Schmidt"}
    )
    assert german["authors"] == ["Anna Müller", "Bernd Schmidt"]
    assert on_mpi["authors"] == []


def test_pipeline_keeps_names_the_extractor_split() -> None:
    pipeline = AuthorsPipeline()
    item = pipeline.process_item({"authors_raw": "Jane Doe; X", "authors": ["Jane Doe"]})
    assert item["authors"] == ["Jane Doe"]


# (text that is not a byline, rejection reason)
REJECTED_CASES = [
    (
        "This report examines how movement between the United States, Mexico, and Central "
        "America has evolved in recent decades.",
        "sentence",
    ),
    (
        "Migration between Mexico and the United States has changed dramatically over the past "
        "decade.",
        "sentence",
    ),
    ("Andrew Selee, who said that Mexico changed", "sentence"),
    ("Los países de la región enfrentan una importante oportunidad.", "sentence"),
    ("April 2021", "sentence"),
    ("Building a Regional Migration System", "sentence"),
    ("Why Do Migrants Leave?", "sentence"),
    ("Speakers: Andrew Selee, President, MPI", "not_byline"),
    ("Speakers:\nAndrew Selee", "not_byline"),
    ("Moderator: Doris Meissner", "not_byline"),
    ("Photo: IOM/Angela Wells", "not_byline"),
    ("Ponentes: Andrew Selee", "not_byline"),
    ("Reports", "single_word"),
    ("Video, Audio", "single_word"),
    ("By Selee", "single_word"),
    ("Senior Fellow, MPI", "no_names"),
    ("By ,", "no_names"),
    ("By " + "Andrew Selee, " * 2000, "too_long"),  # 28,000 characters: a dump
]


@pytest.mark.parametrize(("raw", "reason"), REJECTED_CASES)
def test_rejected_bylines(raw: str, reason: str) -> None:
    result = split_authors_detailed(raw)
    assert result.names == ()
    assert result.reason == reason


def test_names_never_keep_the_label() -> None:
    names = split_authors("By  Andrew Selee and Por Ariel G. Ruiz Soto")
    assert names == [SELEE, RUIZ]


def test_byline_of_expected_json(expected: dict) -> None:
    # The sample's listing bylines, rebuilt the way the site prints them, give its authors.
    for publication in expected["publications"]:
        authors = publication["authors"]
        if not authors:
            continue
        byline = "By\u00a0" + (
            authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
        )
        assert split_authors(byline) == authors


# --- properties ------------------------------------------------------------------------------


@given(st.one_of(st.none(), st.text()))
@settings(max_examples=500)
def test_split_authors_never_raises(raw: str | None) -> None:
    names = split_authors(raw)
    assert isinstance(names, list)
    for name in names:
        assert name == name.strip() and name
        assert "  " not in name and "\n" not in name
        assert not name.casefold().startswith(("by ", "por "))
    assert len(names) == len({n.casefold() for n in names})


NAME = st.sampled_from([SELEE, RUIZ, "María Jesús Mora", "Camille Le Coz", "Doris Meissner"])


@given(st.lists(NAME, min_size=1, max_size=5, unique=True), st.sampled_from([" and ", " & "]))
@settings(max_examples=200)
def test_split_authors_round_trips_name_lists(names: list[str], conjunction: str) -> None:
    byline = "By  " + (
        names[0] if len(names) == 1 else ", ".join(names[:-1]) + conjunction + names[-1]
    )
    assert split_authors(byline) == names


@given(st.text(min_size=1, max_size=20).map(lambda s: s * 5_000))
@settings(max_examples=25)
def test_split_authors_long_input(raw: str) -> None:
    assert split_authors(raw) == [] or len(raw) <= 5_000


@pytest.mark.parametrize(
    "raw",
    ["A" * 100_000, "a, " * 30_000, "By " + " and " * 20_000, "(" * 50_000 + "x", "y " * 50_000],
    ids=range(5),
)
def test_split_authors_adversarial_input_finishes(raw: str) -> None:
    with finishes():
        assert isinstance(split_authors(raw), list)


# --- the pipeline ----------------------------------------------------------------------------


def _pipeline(**settings_dict: object) -> tuple[AuthorsPipeline, object]:
    crawler = get_crawler(settings_dict=settings_dict)
    return AuthorsPipeline.from_crawler(crawler), crawler


def test_pipeline_sets_authors_and_counts() -> None:
    pipeline, crawler = _pipeline()
    items = [
        PublicationRecord(authors_raw="By  Doris Meissner and Michelle Mittelstadt"),
        PublicationRecord(authors_raw="By Kelly Kupferberg"),
        PublicationRecord(authors_raw="Speakers: Andrew Selee"),
        PublicationRecord(authors_raw="This report examines how movement has evolved."),
        PublicationRecord(title="no byline"),
    ]
    for item in items:
        pipeline.process_item(item)
    assert items[0]["authors"] == ["Doris Meissner", "Michelle Mittelstadt"]
    assert items[1]["authors"] == ["Kelly Kupferberg"]
    assert items[2]["authors"] == []
    assert items[3]["authors"] == []
    assert items[4]["authors"] == []
    assert items[0]["authors_raw"] == "By  Doris Meissner and Michelle Mittelstadt"
    pipeline.close_spider()  # the counts reach the stats at close
    stats = crawler.stats
    assert stats.get_value("regmig/authors/split") == 2
    assert stats.get_value("regmig/authors/empty") == 3
    assert stats.get_value("regmig/authors/rejected/not_byline") == 1
    assert stats.get_value("regmig/authors/rejected/sentence") == 1


def test_pipeline_returns_a_fresh_list_per_item() -> None:
    pipeline, _ = _pipeline()
    first = PublicationRecord(authors_raw="By Kelly Kupferberg")
    second = PublicationRecord(authors_raw="By Kelly Kupferberg")
    pipeline.process_item(first)
    pipeline.process_item(second)
    first["authors"].append("Someone Else")
    assert second["authors"] == ["Kelly Kupferberg"]


def test_pipeline_accepts_a_list_of_lines() -> None:
    pipeline, _ = _pipeline()
    item = {"authors_raw": ["Andrew Selee", "Ariel G. Ruiz Soto"]}
    pipeline.process_item(item)
    assert item["authors"] == [SELEE, RUIZ]


def test_pipeline_can_be_disabled() -> None:
    with pytest.raises(NotConfigured):
        _pipeline(REGMIG_AUTHORS_ENABLED=False)
