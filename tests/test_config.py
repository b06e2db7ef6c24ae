"""Tests for regmig_scraper/config.py: a bad setting is one clear line, found before the crawl."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from regmig_scraper import settings as project_settings
from regmig_scraper.config import FULL_WITHOUT_INCREMENTAL, check_settings, project_defaults


def _settings(**overrides: object) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def test_the_project_defaults_pass() -> None:
    assert check_settings(_settings()) == []


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("REGMIG_POLITE", "maybe", "true or false"),
        ("REGMIG_MAX_PAGER_PAGE", "-5", "a whole number >= 1"),
        ("REGMIG_MAX_PAGER_PAGE", "ten", "a whole number"),
        ("REGMIG_MIN_FILL_RATES", "notjson", "a JSON object"),
        ("DOWNLOAD_DELAY", "abc", "a number of seconds >= 0"),
        ("DOWNLOAD_DELAY", "-1", "a number of seconds >= 0"),
        ("LOG_LEVEL", "LOUD", "DEBUG, INFO, WARNING, ERROR or CRITICAL"),
        ("CONCURRENT_REQUESTS", "0", "a whole number >= 1"),
    ],
)
def test_a_bad_value_is_one_clear_line(name: str, value: str, expected: str) -> None:
    problem = f"{name}={value!r} is not valid: expected {expected}"
    assert check_settings(_settings(**{name: value})) == [problem]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("REGMIG_POLTE", "unknown setting REGMIG_POLTE; did you mean REGMIG_POLITE?"),
        ("REGMIG_MAX_PAGER_PAGES", "unknown setting REGMIG_MAX_PAGER_PAGES; did you mean "
         "REGMIG_MAX_PAGER_PAGE?"),
        ("REGMIG_NOTHING_LIKE_IT", "unknown setting REGMIG_NOTHING_LIKE_IT"),
    ],
)  # fmt: skip
def test_an_unknown_project_setting_is_refused_with_a_hint(name: str, problem: str) -> None:
    assert check_settings(_settings(**{name: "1"})) == [problem]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REGMIG_POLITE", "false"),
        ("REGMIG_MAX_PAGER_PAGE", "3"),
        ("REGMIG_MIN_FILL_RATES", "{}"),
        ("DOWNLOAD_DELAY", "0.5"),
        ("LOG_LEVEL", "debug"),
    ],
)
def test_good_values_from_the_command_line_pass(name: str, value: str) -> None:
    assert check_settings(_settings(**{name: value})) == []


def test_every_project_setting_is_checked_with_its_defaults_type() -> None:
    defaults = project_defaults()
    assert "REGMIG_POLITE" in defaults and "REGMIG_OUTPUT" in defaults
    assert all(name.startswith("REGMIG_") for name in defaults)


@pytest.mark.parametrize(
    ("overrides", "refused"),
    [
        ({"REGMIG_FULL_WALK": "true"}, True),  # --full alone: which run was meant is unknown
        ({"REGMIG_FULL_WALK": "true", "REGMIG_INCREMENTAL": "true"}, False),
        ({"REGMIG_INCREMENTAL": "true"}, False),
        ({"REGMIG_FULL_WALK": "false"}, False),
    ],
)
def test_a_full_walk_needs_an_incremental_run(overrides: dict, refused: bool) -> None:
    """The check both ``regmig crawl`` and ``scrapy crawl`` run (SettingsCheckAddon)."""
    assert check_settings(_settings(**overrides)) == ([FULL_WITHOUT_INCREMENTAL] if refused else [])


def test_an_unreadable_full_walk_is_reported_once() -> None:
    assert check_settings(_settings(REGMIG_FULL_WALK="maybe")) == [
        "REGMIG_FULL_WALK='maybe' is not valid: expected true or false"
    ]
