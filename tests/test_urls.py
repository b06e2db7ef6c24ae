from __future__ import annotations

import pytest

from regmig_scraper.normalize.urls import normalize_url, publication_id, url_key
from regmig_scraper.sites.mpi.pager import (
    format_page_vector,
    normalize_listing_url,
    parse_page_vector,
)

B = "https://www.migrationpolicy.org"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{B}/research/x?utm_source=newsletter&utm_medium=email", f"{B}/research/x"),
        (f"{B}/research/x/", f"{B}/research/x"),
        (f"{B}/research/x#main-content", f"{B}/research/x"),
        ("HTTPS://WWW.MigrationPolicy.org:443/research/x", f"{B}/research/x"),
        ("http://www.migrationpolicy.org./article/y", "http://www.migrationpolicy.org/article/y"),
        ("http://127.0.0.1:8000/a?b=2&a=1", "http://127.0.0.1:8000/a?a=1&b=2"),
        (f"{B}/search?q=x&fbclid=abc&gclid=1", f"{B}/search?q=x"),
        (f"{B}/", f"{B}/"),
        (f"{B}/research/a%7Eb", f"{B}/research/a~b"),
        (f"{B}/research/espa%c3%b1a", f"{B}/research/espa%C3%B1a"),
        (f"{B}/research/%63ase-pub/", f"{B}/research/case-pub"),
        (f"{B}/research/a%2Fb", f"{B}/research/a%2Fb"),  # an encoded slash is not a slash
        (
            "http://www.migrationpolicy.org:80/x?UTM_Source=a&b=1",
            "http://www.migrationpolicy.org/x?b=1",
        ),
        ("mailto:info@migrationpolicy.org", "mailto:info@migrationpolicy.org"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (f"{B}/research/x", "http://migrationpolicy.org/research/x/"),
        (f"{B}/research/x?utm_campaign=c", "https://migrationpolicy.org./research/x"),
        (f"{B}/research/x", f"{B}/research/x#top"),
        # percent-encoding is made canonical (w3lib): unreserved characters decoded,
        # escapes upper-cased
        (f"{B}/research/a~b", f"{B}/research/a%7Eb"),
        (f"{B}/research/a~b", f"{B}/research/a%7eb"),
        (f"{B}/research/espa%c3%b1a", f"{B}/research/espa%C3%B1a"),
        (f"{B}/research/espa%C3%B1a", f"{B}/research/españa"),
        (f"{B}/research/%63ase-pub", f"{B}/research/case-pub"),
        (f"{B}/search?q=a%7Eb", f"{B}/search?q=a~b"),
    ],
)
def test_same_publication_same_key(a: str, b: str) -> None:
    assert url_key(a) == url_key(b)
    assert publication_id(a) == publication_id(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (f"{B}/research/x", f"{B}/research/y"),
        (f"{B}/research/x", "https://migrationpolicyinstitute-europe.com/research/x"),
        (f"{B}/research?page=1", f"{B}/research?page=2"),
    ],
)
def test_different_publications_different_keys(a: str, b: str) -> None:
    assert url_key(a) != url_key(b)


def test_publication_id_is_16_hex_digits_and_stable() -> None:
    first = publication_id(f"{B}/research/x")
    assert first == publication_id(f"{B}/research/x")
    assert len(first) == 16
    int(first, 16)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            f"{B}/programs/regional-migration?qt-regional_study_group_tabs=4&page=0%2C0%2C0%2C0%2C1",
            f"{B}/programs/regional-migration?page=0,0,0,0,1&qt-regional_study_group_tabs=4",
        ),
        (
            f"{B}/programs/regional-migration?qt-regional_study_group_tabs=4&page=0%2C0%2C0%2C0%2C0",
            f"{B}/programs/regional-migration?qt-regional_study_group_tabs=4",
        ),
        (f"{B}/programs/regional-migration?page=0", f"{B}/programs/regional-migration"),
        (
            f"{B}/programs/international-program?amp%3Bpage=3&amp%3Bterm_node_tid_region="
            "All%25252525252F&field_publication_type_tid=All&amp%253Bpage=66"
            "&qt-recent_activity_v2=4&page=3",
            f"{B}/programs/international-program?page=3&qt-recent_activity_v2=4",
        ),
        (
            f"{B}/programs/migration-information-source?ID=485&page=50",
            f"{B}/programs/migration-information-source?page=50",
        ),
        (f"{B}/programs/x?page=abc", f"{B}/programs/x"),
        (f"{B}/programs/x?page=2&page=3", f"{B}/programs/x?page=2"),
    ],
)
def test_normalize_listing_url(url: str, expected: str) -> None:
    assert normalize_listing_url(url) == expected


@pytest.mark.parametrize(
    ("value", "vector"),
    [("", []), ("0", [0]), ("0,0,2", [0, 0, 2]), ("x", None), ("1,,2", None), ("-1", None)],
)
def test_parse_page_vector(value: str, vector: list[int] | None) -> None:
    assert parse_page_vector(value) == vector


@pytest.mark.parametrize(
    ("vector", "text"), [([], None), ([0, 0], None), ([0, 1, 0], "0,1"), ([3], "3")]
)
def test_format_page_vector(vector: list[int], text: str | None) -> None:
    assert format_page_vector(vector) == text
