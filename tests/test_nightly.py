"""Nightly incremental runs: each pager walked only while it shows something new, the pages
left read from the cache, a full walk on a schedule; counted from the mirror's side."""

from __future__ import annotations

import collections
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from regmig_scraper.mirror import ServedRequest, serving
from tests.helpers import SITE_ROOT, content_rows, run_regmig
from tests.shifted_site import NewPublication, add_publications

PROGRAM_PATH = "/programs/regional-migration"
# The program page's blocks and tabs: featured, research, articles, multimedia, the
# regional study group's publications, recent activity; five quicktabs.
BLOCKS_AND_TABS = 6 + 5
NEW = [
    NewPublication(
        "new-report-regional-cooperation-2022",
        "A New Report on Regional Cooperation",
        "/research/laying-foundation-regional-cooperation-migration-policy-institutional-capacity",
        ("featured_content/block_1", "program_research/block_2", "recent_activity_v2/block_5"),
    ),
    NewPublication(
        "new-brief-starting-gate-2022",
        "A New Policy Brief at the Starting Gate",
        "/research/biden-administration-immigration-plans-starting-gate",
        ("program_research/block_2", "recent_activity_v2/block_5"),
    ),
    NewPublication(
        "new-video-regional-migration-2022",
        "A New Video on Regional Migration",
        "/multimedia/mexico-new-migration-policy-secretary-olga-sanchez-cordero",
        ("program_multimedia/block_4", "recent_activity_v2/block_5"),
    ),
]


def _crawl(base: str, output: Path, *extra: str) -> str:
    result = run_regmig(
        "crawl", "--incremental", "--start-url", base + PROGRAM_PATH, "--output", str(output),
        "-s", "REGMIG_POLITE=false", *extra,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def _is_publication(entry: ServedRequest) -> bool:
    return not entry.path.startswith((PROGRAM_PATH, "/robots.txt"))


@pytest.mark.slow
@pytest.mark.server
def test_quiet_night_and_three_new_publications(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(SITE_ROOT, root)
    log: list[ServedRequest] = []
    nightly, full = tmp_path / "nightly", tmp_path / "full"
    with serving(root, log=log) as base:
        _crawl(base, nightly)  # the first run walks everything
        shutil.copytree(nightly, full)

        log.clear()
        quiet = _crawl(base, nightly)
        listing = [e for e in log if e.path.startswith(PROGRAM_PATH)]
        assert [e.path for e in log if not e.path.startswith(PROGRAM_PATH)] == ["/robots.txt"]
        assert len(listing) <= BLOCKS_AND_TABS
        assert all(e.status == 304 for e in log)
        assert "requests: 7 made" in quiet and "5 listing pages not walked" in quiet
        assert "(0 new, 0 changed, 16 unchanged)" in quiet

        add_publications(root, NEW)
        log.clear()
        after = _crawl(base, nightly)
        fetched = {e.path for e in log if _is_publication(e)}
        assert fetched == {f"/{n.template.split('/')[1]}/{n.slug}" for n in NEW}
        # a row pushed onto a pager page no run has fetched yet is not seen: kept as it was
        assert "(3 new, 0 changed, 15 unchanged)" in after, after[-700:]

        _crawl(base, full, "--full")
    pd.testing.assert_frame_equal(content_rows(nightly), content_rows(full))
    runs = pd.read_parquet(nightly / "runs").sort_values("started_at")
    stats = json.loads(runs["stats_json"].iloc[-1])
    assert stats["regmig/listing/not_walked"] > 0
    assert stats["regmig/incremental/full_walk"] is False


@pytest.mark.slow
@pytest.mark.server
def test_full_walk_every_nth_run(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(SITE_ROOT, root)
    log: list[ServedRequest] = []
    output = tmp_path / "out"
    with serving(root, log=log) as base:
        walks = []
        for _ in range(4):
            log.clear()
            _crawl(base, output, "-s", "REGMIG_FULL_EVERY=3")
            walks.append(collections.Counter(e.path.startswith(PROGRAM_PATH) for e in log)[True])
    # the first run (nothing known), then two partial walks, then the third run: full
    assert walks == [11, 6, 6, 11]


def _feed(base: str, paths: list[str]) -> str:
    """An RSS feed of ``paths``, each dated now (after the last run started)."""
    from email.utils import formatdate

    items = "".join(
        f"<item><title>{p}</title><link>{base}{p}</link>"
        f"<pubDate>{formatdate(usegmt=True)}</pubDate></item>"
        for p in paths
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'


def _sitemap(base: str, lastmod: dict[str, str]) -> str:
    urls = "".join(
        f"<url><loc>{base}{path}</loc><lastmod>{date}</lastmod></url>"
        for path, date in lastmod.items()
    )
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>"
    )


def _insert_row(listing: Path, block: str, template: str, slug: str) -> None:
    """A row for ``slug`` second in ``block`` on ``listing`` (not on top: an item the
    listing orders by an older date), cloned from ``template``'s row."""
    from lxml import html

    tree = html.fromstring(listing.read_bytes())
    view_id, display = block.split("/")
    (view,) = tree.xpath(
        f"//div[contains(@class, 'view-id-{view_id}') and "
        f"contains(@class, 'view-display-id-{display}')]"
    )
    rows = view.xpath(".//div[contains(@class, 'views-row')]")
    template_row = next(r for r in rows if template in html.tostring(r, encoding="unicode"))
    text = html.tostring(template_row, encoding="unicode").replace(template, slug)
    rows[0].addnext(html.fragment_fromstring(text))
    listing.write_bytes(html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>"))


@pytest.mark.slow
@pytest.mark.server
def test_feeds_and_sitemaps_find_what_the_walk_does_not_reach(tmp_path: Path) -> None:
    """A new publication that only a deep pager page shows, named by the feed, and a deep page
    changed without a new teaser that only the sitemap's lastmod tells: both asked for, no
    other publication page; a feed and a sitemap cost one request each."""
    import datetime as dt

    root = tmp_path / "site"
    shutil.copytree(SITE_ROOT, root)
    program = root / "programs" / "regional-migration" / "index.html"
    program.write_bytes(
        program.read_bytes().replace(
            b"</head>",
            b'<link rel="alternate" type="application/rss+xml" href="/rss/program.xml"></head>',
            1,
        )
    )
    deep = "/multimedia/promising-strategies-reintegration-migrants-returning-mexico-and-"
    deep += "central-america"  # only a deep pager page of the multimedia tab shows it
    deep_listing = root / "programs" / "regional-migration"
    deep_listing /= "index~page=0,0,0,1&qt-regional_study_group_tabs=2.html"
    new = "/multimedia/a-new-video-dated-earlier"
    log: list[ServedRequest] = []
    output = tmp_path / "out"
    with serving(root, log=log) as base:
        (root / "rss").mkdir()
        (root / "rss" / "program.xml").write_text(_feed(base, []), encoding="utf-8")
        robots = root / "robots.txt"
        robots.write_text(
            robots.read_text(encoding="utf-8") + f"\nSitemap: {base}/sitemap.xml\n",
            encoding="utf-8",
        )
        (root / "sitemap.xml").write_text(_sitemap(base, {deep: "2021-01-01"}), encoding="utf-8")
        _crawl(base, output)

        log.clear()
        _crawl(base, output)
        quiet = collections.Counter(e.path.split("?")[0] for e in log)
        assert quiet == {
            PROGRAM_PATH: 6,
            "/robots.txt": 1,
            "/rss/program.xml": 1,
            "/sitemap.xml": 1,
        }

        page = root / deep.strip("/") / "index.html"
        html = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"(<h1[^>]*>)", r"\1Corrected: ", html, count=1), encoding="utf-8")
        tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).date().isoformat()
        (root / "sitemap.xml").write_text(_sitemap(base, {deep: tomorrow}), encoding="utf-8")
        shutil.copytree(page.parent, root / new.strip("/"))
        new_page = root / new.strip("/") / "index.html"
        new_page.write_text(
            new_page.read_text(encoding="utf-8").replace(deep, new).replace("Corrected: ", "New: "),
            encoding="utf-8",
        )
        _insert_row(deep_listing, "program_multimedia/block_4", deep, new)
        (root / "rss" / "program.xml").write_text(_feed(base, [new]), encoding="utf-8")
        log.clear()
        result = _crawl(base, output)
    fetched = {(e.path, e.status) for e in log if _is_publication(e) and "." not in e.path}
    assert fetched == {(deep, 200), (new, 200)}, result[-600:]
    frame = pd.read_parquet(output / "publications").set_index("url")
    assert any(url.endswith(new) for url in frame.index)
    assert any(title.startswith("Corrected: ") for title in frame["title"].dropna())
