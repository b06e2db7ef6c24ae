"""Shared fixtures: the sample's expected output and the bundled site served on 127.0.0.1."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from regmig_scraper.mirror import serving
from tests.helpers import FIXTURES, SITE_ROOT

# The suite is repeatable: property tests draw the same examples on every run, so CI's verdict
# depends on the code alone. `HYPOTHESIS_PROFILE=explore` draws new examples each run, to hunt
# for new failing inputs; add what it finds as an explicit `@example`.
# No deadline in CI: a slow machine must not fail a test (hang guards use tests.helpers.finishes).
settings.register_profile(
    "repeatable", derandomize=True, database=None, deadline=None, print_blob=True
)
settings.register_profile("explore", derandomize=False, deadline=5000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def mirror_url() -> Iterator[str]:
    """The bundled site served on 127.0.0.1 by the project's mirror server."""
    with serving(SITE_ROOT) as base_url:
        yield base_url
