"""Smoke tests of the benchmark harness: the synthetic site and the JSON it reports.

No timing is asserted: only that the generator yields the promised publications with valid
pages reachable through the pagers, deterministically, and that ``python -m benchmarks`` writes
JSON with the expected keys.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from benchmarks.sitegen import ORIGIN, PROGRAM_PATH, generate_site
from regmig_scraper.normalize.urls import normalize_url
from regmig_scraper.sites.mpi import MpiDrupalSite
from regmig_scraper.snapshot import snapshot_relpath

REPO = Path(__file__).resolve().parent.parent
N = 40


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    work = tmp_path_factory.mktemp("bench-site")
    info = generate_site(work / "site", N, seed=3)
    truth = json.loads(Path(info.truth_path).read_text(encoding="utf-8"))
    return work / "site", truth


def _response(root: Path, url: str) -> HtmlResponse:
    body = (root / snapshot_relpath(url, with_host=False)).read_bytes()
    return HtmlResponse(url=url, body=body, encoding="utf-8", request=Request(url))


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_ground_truth_lists_n_distinct_publications(site) -> None:
    _, truth = site
    urls = [p["url"] for p in truth["publications"]]
    assert len(urls) == N
    assert len(set(urls)) == N


def test_every_publication_page_reads_as_that_publication(site) -> None:
    root, truth = site
    extractor = MpiDrupalSite()
    for pub in truth["publications"]:
        record = extractor.extract_publication(_response(root, pub["url"]))
        assert record["url"] == pub["url"]
        assert " ".join(record["title"].split()) == pub["title"]
        assert extractor.is_publication_kind(record["page_kind"])


def test_pagers_link_every_publication_and_every_linked_page_exists(site) -> None:
    root, truth = site
    extractor = MpiDrupalSite()
    start = extractor.listing_url(ORIGIN + PROGRAM_PATH)
    queue, seen, linked = [start], {start}, set()
    while queue:
        page = extractor.extract_listing(_response(root, queue.pop()))
        linked.update(normalize_url(t["url"]) for t in page.teasers)
        for url in page.listing_urls:
            if url not in seen:
                seen.add(url)
                queue.append(url)
    assert linked == {p["url"] for p in truth["publications"]}
    assert any("page=0,0" in url for url in seen)  # Drupal's multi-pager form is there


def test_generation_is_deterministic(tmp_path: Path) -> None:
    generate_site(tmp_path / "a" / "site", 12, seed=5)
    generate_site(tmp_path / "b" / "site", 12, seed=5)
    generate_site(tmp_path / "c" / "site", 12, seed=6)
    a, b, c = (_tree_digest(tmp_path / x / "site") for x in "abc")
    assert a == b
    assert a != c


@pytest.mark.slow
@pytest.mark.server
def test_harness_writes_json_with_the_expected_keys(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--publications",
            str(N),
            "--merge-rows",
            "2000",
            "--stage-items",
            "300",
            "--skip-trafilatura",
            "--skip-profile",
            "--keep",
            str(tmp_path / "work"),
            "--json",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.exists(), completed.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert {
        "config",
        "environment",
        "site",
        "runs",
        "ratios",
        "dataset",
        "stages",
        "crawl_profile",
        "store",
        "targets",
    } <= set(result)
    assert result["site"]["publications"] == N
    assert {"bare", "full", "replay", "trafilatura"} <= set(result["runs"])
    assert result["runs"]["trafilatura"]["status"] == "skipped"
    for name in ("bare", "full", "rerun", "replay"):
        assert {"status", "pages", "wall_s", "cpu_s", "peak_rss_mb"} <= set(result["runs"][name])
    # The second crawl of an unchanged site merges into the first one's dataset as no change.
    rerun = result["runs"]["rerun"]
    assert rerun["status"] == "ok"
    assert (rerun["publications_new"], rerun["publications_changed"]) == (0, 0)
    assert rerun["publications_unchanged"] == N
    assert result["dataset"]["full"]["coverage"]["every_publication_once"]
    assert {"full_vs_bare_cpu_per_page", "full_vs_bare_pages_per_s"} <= set(result["ratios"])
    assert {"repeated", "new"} <= set(result["stages"])
    for scenario in ("repeated", "new"):  # the stage benchmark ran, not only its slot exists
        assert result["stages"][scenario].get("status") != "failed", result["stages"][scenario]
    assert all({"target", "value", "threshold", "passed"} <= set(t) for t in result["targets"])
    assert "targets:" in completed.stdout
