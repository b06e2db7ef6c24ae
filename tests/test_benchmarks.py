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
    for name in ("bare", "full", "rerun", "generic", "replay"):
        assert {"status", "pages", "wall_s", "cpu_s", "peak_rss_mb"} <= set(result["runs"][name])
    assert "generic_vs_bare_cpu_per_page" in result["ratios"]
    assert "generic" in result["dataset"]  # its rows against the truth
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


# --- benchmarks.fundus_corpus: Fundus's parser test pages as an annotated corpus -------------

PUBLISHER_TABLE = """
class XX(metaclass=PublisherGroup):
    default_language = "de"

    Daily = Publisher(name="Daily", domain="https://daily.example/", parser=P,
                      sources=[RSSFeed("https://daily.example/rss")])
    Both = Publisher(name="Both", domain="https://both.example/", parser=P,
                     sources=[Sitemap("https://both.example/s.xml"),
                              NewsMap("https://both.example/en.xml", languages={"en"})])
    English = Publisher(name="English", domain="https://en.example/", parser=P,
                        sources=[RSSFeed("https://en.example/rss", languages={"en"})])
"""


def _fundus_checkout(root: Path) -> Path:
    import gzip

    (root / "src/fundus/publishers/xx").mkdir(parents=True)
    (root / "src/fundus/publishers/xx/__init__.py").write_text(PUBLISHER_TABLE)
    data = root / "tests/resources/parser/test_data/xx"
    data.mkdir(parents=True)
    pages = {
        "Daily_2024_01_02.html.gz": "https://daily.example/old",
        "Daily_2025_03_04.html.gz": "https://daily.example/new",
        "Both_2024_05_06.html.gz": "https://both.example/a",
        "English_2024_05_06.html.gz": "https://en.example/a",
    }
    for name, url in pages.items():
        (data / name).write_bytes(gzip.compress(f"<html><h1>{url}</h1></html>".encode()))
    (data / "meta.info").write_text(
        json.dumps({name: {"url": url, "crawl_date": "x"} for name, url in pages.items()})
    )
    fields = {"body": {}, "topics": []}
    (data / "Daily.json").write_text(json.dumps({
        "V1_1": {**fields, "title": "New", "authors": [], "publishing_date": None},
        "V1": {**fields, "title": "Old", "authors": ["A B", " "],
               "publishing_date": "2024-01-01 23:30:00+01:00"},
    }))  # fmt: skip
    for publisher in ("Both", "English"):
        (data / f"{publisher}.json").write_text(json.dumps({
            "V1": {**fields, "title": publisher, "authors": ["C D", "E F"],
                   "publishing_date": "2024-05-06 08:00:00+00:00"},
        }))  # fmt: skip
    return root


def test_fundus_pages_become_an_annotated_corpus(tmp_path: Path) -> None:
    from benchmarks.fundus_corpus import convert
    from benchmarks.realpages import load_corpus

    counts = convert(_fundus_checkout(tmp_path / "fundus"), tmp_path / "corpus")
    evaldata = json.loads((tmp_path / "corpus/evaldata.json").read_text(encoding="utf-8"))
    # the pages pair with the parser versions in date order (V1 before V1_1)
    assert evaldata["https://daily.example/old"] == {
        "file": "xx_Daily_2024_01_02.html", "title": "Old", "author": "A B",
        "date": "2024-01-01", "language": "de",
    }  # fmt: skip
    # no author and no date from Fundus: not annotated (not "the page has none")
    assert evaldata["https://daily.example/new"] == {
        "file": "xx_Daily_2025_03_04.html", "title": "New", "language": "de"
    }  # fmt: skip
    # a publisher with sources in two languages gets no language; one declared language wins
    assert "language" not in evaldata["https://both.example/a"]
    assert evaldata["https://en.example/a"]["language"] == "en"
    assert evaldata["https://en.example/a"]["author"] == "C D; E F"
    assert counts == {"pages": 4, "languages": 3, "skipped": 0}
    pages = load_corpus(tmp_path / "corpus")
    assert [url for url, _, _ in pages] == sorted(evaldata)
    assert pages[0][2].read_text() == "<html><h1>https://both.example/a</h1></html>"


def test_fundus_converter_refuses_a_directory_that_is_no_checkout(tmp_path: Path) -> None:
    from benchmarks.fundus_corpus import convert

    with pytest.raises(SystemExit, match="not a Fundus checkout"):
        convert(tmp_path, tmp_path / "corpus")
