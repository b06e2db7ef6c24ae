"""Shared fixtures: the sample's expected output and the bundled site served on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from regmig_scraper.mirror import serving
from tests.helpers import FIXTURES, SITE_ROOT


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def mirror_url() -> Iterator[str]:
    """The bundled site served on 127.0.0.1 by the project's mirror server."""
    with serving(SITE_ROOT) as base_url:
        yield base_url
