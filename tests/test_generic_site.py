"""The generic site module on saved and synthetic pages, without the engine: which links are
publications and pager pages, which blocks are listings, what a publication page's record
holds, site profiles, and the spider choosing a mirror's site by its canonical host."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from regmig_scraper.normalize.urls import normalize_url
from regmig_scraper.sites.generic import GenericSite
from regmig_scraper.sites.generic.links import (
    is_dated_path,
    is_publication_path,
    listing_block,
    pager_position,
    site_hosts,
)
from regmig_scraper.sites.generic.listing import listing_url
from regmig_scraper.sites.generic.profile import load_profile, parse_profile
from regmig_scraper.sites.mpi import MpiDrupalSite
from regmig_scraper.spiders.program import META_RECHOOSE, META_SITE, ProgramSpider
from tests.helpers import FIXTURES, get_crawler

WORDPRESS = FIXTURES / "wordpress" / "site"
REAL = "https://www.example-tank.org"
CRAWL = "http://127.0.0.1:8000"


def response(url: str, body: str | bytes, meta: dict | None = None) -> HtmlResponse:
    data = body.encode("utf-8") if isinstance(body, str) else body
    request = Request(url, meta=meta or {})
    return HtmlResponse(url=url, body=data, encoding="utf-8", request=request)


def saved(path: str, base: str = CRAWL) -> HtmlResponse:
    file = WORDPRESS / path.strip("/") / "index.html"
    return response(base + path, file.read_bytes())


@pytest.mark.parametrize(
    ("url", "publication"),
    [
        ("https://x.org/2023/11/what-works/", True),
        ("https://x.org/es/2023/11/que-funciona/", True),
        ("https://x.org/research/a-report", True),
        ("https://x.org/node/123", True),
        ("https://x.org/?p=123", True),
        ("https://x.org/?s=asylum", False),
        ("https://x.org/author/jane-doe/", False),
        ("https://x.org/category/reports/", False),
        ("https://x.org/es/category/informes/", False),
        ("https://x.org/tag/asylum/", False),
        ("https://x.org/topics/migration-governance/", False),
        ("https://x.org/topics/migration-governance/page/2/", False),
        ("https://x.org/register/a-policy-dialogue/", False),
        ("https://x.org/wp-content/uploads/2024/08/report.pdf", False),
        ("https://x.org/feed/", False),
        ("https://x.org/experts/jane-doe", False),
        ("https://x.org/", False),
        ("https://x.org/es/", False),
        ("https://x.org/publications?page=2", False),
    ],
)
def test_publication_paths(url: str, publication: bool) -> None:
    assert is_publication_path(url) is publication


@pytest.mark.parametrize(
    ("url", "base", "depth"),
    [
        ("https://x.org/topics/a/", "https://x.org/topics/a", 0),
        ("https://x.org/topics/a/page/3/", "https://x.org/topics/a", 2),
        ("https://x.org/research?page=2", "https://x.org/research", 2),
        ("https://x.org/research?page=0,0,4", "https://x.org/research", 4),
        ("https://x.org/research?type=report&page=1", "https://x.org/research?type=report", 1),
        ("https://x.org/blog/?paged=5", "https://x.org/blog", 4),
        ("https://x.org/blog/?utm_source=x&paged=2", "https://x.org/blog", 1),
    ],
)
def test_pager_positions(url: str, base: str, depth: int) -> None:
    assert pager_position(url) == (base, depth)


def test_each_pager_tab_and_language_version_is_a_block_of_its_own() -> None:
    """Every page of one pager is one block, whatever its host (a mirror's); another language
    version or tab of the listing is another, so which sighting of a publication both show
    is a bare repeat does not depend on which page a run read first."""
    first = listing_block("https://x.org/topics/a/")
    assert listing_block("http://127.0.0.1:8000/topics/a/page/3/") == first
    assert listing_block("https://x.org/es/topics/a/") != first
    assert listing_block("https://x.org/topics/a/?tab=2") != first
    assert listing_block("https://x.org/topics/a/?tab=2&page=3") == listing_block(
        "https://x.org/topics/a/?tab=2"
    )


def test_a_first_page_is_requested_without_its_number() -> None:
    assert listing_url("https://x.org/topics/a/page/1/") == "https://x.org/topics/a"
    assert listing_url("https://x.org/research?page=0") == "https://x.org/research"
    assert listing_url("https://x.org/topics/a/page/2/") == "https://x.org/topics/a/page/2"


def test_links_to_the_real_host_are_moved_onto_the_mirror() -> None:
    hosts = site_hosts(CRAWL + "/topics/a/", REAL + "/topics/a/")
    assert hosts.on_site(REAL + "/2023/01/x/") == CRAWL + "/2023/01/x/"
    assert hosts.on_site("https://example-tank.org/2023/01/x/") == CRAWL + "/2023/01/x/"
    assert hosts.on_site("https://twitter.com/x") is None
    assert hosts.named(CRAWL + "/2023/01/x/?utm_source=a") == REAL + "/2023/01/x"


# -- listings ------------------------------------------------------------------------------

CARD = '<article class="c"><h3><a href="{url}">{title}</a></h3><span>Report</span></article>'


def page(main: str, *, head: str = "", aside: str = "") -> str:
    return (
        f'<html><head><link rel="canonical" href="{REAL}/topics/a/">{head}</head><body>'
        f'<header><nav><a href="{REAL}/2020/01/menu-item-post/">A post named in the menu</a>'
        f'<a href="{REAL}/2020/01/other-menu-post/">Another post named in the menu</a></nav>'
        f"</header><main><h1>Topic A</h1>{main}</main>{aside}"
        f'<footer><ul><li><a href="{REAL}/2020/02/footer-post-one/">Footer post number one</a>'
        f'</li><li><a href="{REAL}/2020/02/footer-post-two/">Footer post number two</a></li>'
        f"</ul></footer></body></html>"
    )


def cards(*slugs: str) -> str:
    return "".join(CARD.format(url=f"{REAL}/2024/01/{s}/", title=f"Title of {s}") for s in slugs)


def read(html: str, url: str = CRAWL + "/topics/a/", seen=None):
    return GenericSite().extract_listing(response(url, html), seen)


def test_repeated_teasers_are_rows_and_chrome_is_not() -> None:
    related = (
        '<section><h2>Most read</h2><ul><li><a href="/2019/05/popular-one/">A popular post '
        'of the year</a></li><li><a href="/2019/05/popular-two/">Another popular post of the '
        "year</a></li></ul></section>"
    )
    listing = read(page(f"<div>{cards('a', 'b', 'c')}</div>{related}"))
    assert [t["url"] for t in listing.teasers] == [f"{REAL}/2024/01/{s}" for s in "abc"]
    assert listing.teasers[0]["request_url"] == f"{CRAWL}/2024/01/a/"
    assert listing.teasers[0]["title"] == "Title of a"
    assert listing.teasers[0]["content_type_label"] == "Report"
    assert listing.program == "Topic A"


def test_a_sidebar_list_is_no_listing() -> None:
    aside = f"<aside><h2>Related</h2><div>{cards('x', 'y')}</div></aside>"
    listing = read(page(f"<div>{cards('a', 'b')}</div>", aside=aside))
    assert [t["url"].rsplit("/", 1)[1] for t in listing.teasers] == ["a", "b"]


def test_a_title_above_a_read_more_link() -> None:
    rows = "".join(
        f'<div class="item"><h3>The title of report {s}</h3><p>What it finds.</p>'
        f'<a href="/research/{s}">Read more</a></div>'
        for s in "ab"
    )
    listing = read(page(f"<section>{rows}</section>"))
    assert [t["title"] for t in listing.teasers] == [
        "The title of report a",
        "The title of report b",
    ]


def test_switcher_links_home_are_not_the_program_in_another_language() -> None:
    switcher = (
        '<a hreflang="es" href="/es/">Español</a><a hreflang="fr" href="/fr/topics/x/">FR</a>'
    )
    listing = read(page(f"<div>{cards('a', 'b')}</div><div>{switcher}</div>"))
    assert [link.url for link in listing.links] == [f"{CRAWL}/fr/topics/x"]


@pytest.mark.parametrize(
    ("wrapper", "rows"),
    [
        ('<div class="container has-sidebar">{}</div>', 2),
        ('<div class="content-area">{}</div>', 2),
        ('<div class="widget-area">{}</div>', 0),
        ('<div id="sidebar-primary">{}</div>', 0),
        ('<div class="site-footer">{}</div>', 0),
        ('<div role="complementary">{}</div>', 0),
    ],
)
def test_chrome_is_told_by_its_tag_role_or_class_words(wrapper: str, rows: int) -> None:
    listing = read(page(wrapper.format(cards("a", "b"))))
    assert len(listing.teasers) == rows


def test_teasers_linking_to_people_taxonomies_and_files_are_not_rows() -> None:
    people = "".join(
        f'<li><a href="{REAL}/author/p{i}/">Person number {i} of the institute</a></li>'
        for i in range(3)
    )
    files = "".join(
        f'<li><a href="{REAL}/wp-content/uploads/f{i}.pdf">Download the file {i} now</a></li>'
        for i in range(3)
    )
    assert read(page(f"<ul>{people}</ul><ul>{files}</ul>")).teasers == []


@pytest.mark.parametrize(
    "pager",
    [
        '<a href="/topics/a/page/2/">Next »</a>',
        '<a href="/topics/a/page/2/">›</a>',
        '<a href="/topics/a/page/2/">Siguiente</a>',
        '<a class="load-more" href="/topics/a/page/2/">Load more</a>',
        '<a href="/topics/a/page/2/">2</a> <span>…</span> <a href="/topics/a/page/9/">9</a>',
    ],
)
def test_pager_links_in_any_form(pager: str) -> None:
    listing = read(page(f"<div>{cards('a', 'b')}</div><nav>{pager}</nav>"))
    assert f"{CRAWL}/topics/a/page/2" in listing.listing_urls
    assert not listing.is_continuation


def test_head_rel_next_and_drupal_pagers() -> None:
    head = f'<link rel="next" href="{REAL}/topics/a/?page=0,1">'
    listing = read(page(f"<div>{cards('a', 'b')}</div>", head=head))
    assert [(link.url, link.depth) for link in listing.links] == [(f"{CRAWL}/topics/a?page=0,1", 1)]
    second = read(page(f"<div>{cards('c', 'd')}</div>"), url=CRAWL + "/topics/a/?page=0,1")
    assert second.is_continuation


def test_links_to_other_listings_are_not_pager_pages() -> None:
    other = '<a href="/topics/b/page/2/">Next</a><a href="/category/reports/page/2/">2</a>'
    assert read(page(f"<div>{cards('a', 'b')}</div>{other}")).links == []


def test_a_featured_teaser_seen_before_is_a_repeat() -> None:
    seen: set[str] = set()

    def was_seen(url: str, block: str | None) -> bool:
        if url in seen:
            return True
        seen.add(url)
        return False

    read(page(f"<div>{cards('a', 'b')}</div>"), seen=was_seen)
    second = read(
        page(f"<div>{cards('a', 'c')}</div>"), url=CRAWL + "/topics/a/page/2/", seen=was_seen
    )
    assert [bool(t.get("repeat")) for t in second.teasers] == [True, False]


# Drupal 7 Views rows as a program page renders them: fields in ``views-field`` divs, the date
# an RDFa span showing the period, a row whose title field is empty (its cover links it), and
# a "Recent" view whose rows link their publication by its type label.
def views_row(n: int, *fields: str) -> str:
    return f'<div class="views-row views-row-{n}">{"".join(fields)}</div>'


def cover(path: str) -> str:
    image = f'<img src="/img/{n_of(path)}.jpg" alt="coverthumb_{n_of(path)}">'
    return f'<div class="field-content"><a href="{path}">{image}</a></div>'


def n_of(path: str) -> str:
    return path.rsplit("/", 1)[1]


def title_field(path: str, title: str) -> str:
    return f'<span class="field-content"><a href="{path}">{title}</a></span>'


def date_field(text: str, iso: str) -> str:
    return (
        '<div class="field-content"><span class="date-display-single" property="dc:date" '
        f'datatype="xsd:dateTime" content="{iso}T00:00:00-05:00">{text}</span></div>'
    )


def view(*rows: str) -> str:
    return f'<div class="view"><div class="view-content">{"".join(rows)}</div></div>'


RESEARCH_VIEW = view(
    views_row(1, cover("/research/a"), title_field("/research/a", "Laying the Foundation"),
              "<div>Reports</div>", date_field("April 2021", "2021-04-01")),
    views_row(2, cover("/research/b"), title_field("/research/b", "A New Regional System"),
              "<div>Reports</div>", date_field("November 2020", "2020-11-01")),
    views_row(3, cover("/research/c"), "<div>Policy Briefs</div>",
              date_field("November 2020", "2020-11-01")),
)  # fmt: skip
SUMMARY = "<p>What the publication finds, in a sentence or two.</p>"
RECENT_VIEW = view(
    views_row(1, title_field("/news/d", "Commentaries"), date_field("June 2021", "2021-06-01"),
              SUMMARY),
    views_row(2, title_field("/article/e", "Articles"), date_field("January 2021", "2021-01-01"),
              SUMMARY),
    views_row(3, title_field("/research/c", "Policy Briefs"),
              date_field("November 2020", "2020-11-01"), SUMMARY),
)  # fmt: skip


def test_a_views_row_whose_only_link_is_its_cover_is_a_row_of_its_view() -> None:
    """A row whose title field is empty is no teaser alone, but one of its view's rows."""
    listing = read(page(RESEARCH_VIEW))
    assert [n_of(t["url"]) for t in listing.teasers] == ["a", "b", "c"]
    third = listing.teasers[2]
    assert third["title"] is None  # its page names it
    assert (third["content_type_label"], third["date_raw"]) == ("Policy Briefs", "November 2020")


def test_a_lone_picture_link_is_no_teaser() -> None:
    picture = '<div class="promo">' + cover("/research/z") + "</div>"
    assert read(page(f"{picture}<div>{cards('a', 'b')}</div>")).teasers[0]["url"].endswith("/a")
    assert not any(t["url"].endswith("/z") for t in read(page(picture)).teasers)


def test_a_row_that_links_its_publication_by_its_type_is_a_teaser() -> None:
    """A "Recent" row: the type label is the link, a date and a summary beside it."""
    listing = read(page(RECENT_VIEW))
    assert [n_of(t["url"]) for t in listing.teasers] == ["d", "e", "c"]
    assert [(t["title"], t["content_type_label"], t["date_raw"]) for t in listing.teasers] == [
        (None, "Commentaries", "June 2021"),
        (None, "Articles", "January 2021"),
        (None, "Policy Briefs", "November 2020"),
    ]


@pytest.mark.parametrize(
    ("field", "date_raw"),
    [
        ('<time datetime="2019-02-28">Feb 28</time>', "Feb 28"),
        ('<span itemprop="datePublished" content="2019-02-28">February 28, 2019</span>',
         "February 28, 2019"),
        (date_field("February 28, 2019", "2019-02-28"), "February 28, 2019"),
        ('<span property="dc:date" content="2019-02-28T00:00:00Z"></span>', "2019-02-28T00:00:00Z"),
        ("<div>February 28, 2019</div>", "February 28, 2019"),
        ("<div>Thursday, April 15, 2021</div>", "Thursday, April 15, 2021"),
        ("<div>Video, Audio</div>", None),
        # a line that dates something else is no publication date
        ("<div>Updated May 2020</div>", None),
        ("<div>Deadline: June 1, 2021</div>", None),
    ],
)  # fmt: skip
def test_a_teasers_date_as_it_shows_it(field: str, date_raw: str | None) -> None:
    rows = "".join(
        f'<article><h3><a href="/research/{s}">The title of report {s}</a></h3>{field}</article>'
        for s in "ab"
    )
    assert read(page(f"<div>{rows}</div>")).teasers[0]["date_raw"] == date_raw


def test_a_title_with_a_date_in_it_is_no_date() -> None:
    rows = "".join(
        f'<li><a href="/research/{s}">Migration in May 2020 ({s})</a></li>' for s in "ab"
    )
    assert read(page(f"<ul>{rows}</ul>")).teasers[0]["date_raw"] is None


def test_two_views_of_one_page_each_read_the_publication() -> None:
    """A publication a page shows in two views (its tab, and "Recent" with its label and
    date) is read in both, whichever pages of the block came first; each view's later
    pages repeat it."""
    seen: set[tuple[str, str | None]] = set()

    def was_seen(url: str, block: str | None) -> bool:
        if (url, block) in seen:
            return True
        seen.add((url, block))
        return False

    html = page(RESEARCH_VIEW + RECENT_VIEW)
    first = read(html, seen=was_seen)
    shown_twice = [t for t in first.teasers if t["url"].endswith("/research/c")]
    assert [bool(t.get("repeat")) for t in shown_twice] == [False, False]
    assert {t["content_type_label"] for t in shown_twice} == {"Policy Briefs"}
    again = read(html, url=CRAWL + "/topics/a/page/2/", seen=was_seen)
    assert all(t.get("repeat") for t in again.teasers)


def test_the_wordpress_topic_page() -> None:
    listing = GenericSite().extract_listing(saved("/topics/migration-governance/"))
    urls = [t["url"] for t in listing.teasers]
    assert len(set(urls)) == 5  # four posts, and the featured one (listed at its own place later)
    assert all(is_dated_path(u) and "hemisphericmobility.org/" in u for u in urls)
    links = {link.url: link for link in listing.links}
    assert f"{CRAWL}/topics/migration-governance/page/6" in links
    spanish = links[f"{CRAWL}/es/topics/gobernanza-migratoria"]
    assert (spanish.kind, spanish.depth) == ("tab", 0)


# -- publication pages ---------------------------------------------------------------------


def test_a_wordpress_post_on_a_mirror() -> None:
    path = "/2023/11/what-works-in-asylum-capacity-evidence-from-central-america/"
    record = GenericSite().extract_publication(saved(path))
    real = "https://www.hemisphericmobility.org"
    assert record["url"] == real + path.rstrip("/")
    assert record["page_kind"] == "article"
    assert record["content_type_label"] == "Report"
    assert record["date_raw"] == "2023-11-08"
    assert record["translation_urls"] == [
        real + "/es/2023/11/que-funciona-en-la-capacidad-de-asilo-evidencia-de-centroamerica"
    ]
    assert record["html_lang"] == "en-US"
    assert record["body_text"] and "Share this" not in record["body_text"]
    assert CRAWL + path.rstrip("/") in record["alternate_urls"]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("<p>" + "word " * 200 + "</p>", "unknown"),  # long text, no type, no date
        ("<p>Page not found.</p>", None),
    ],
)
def test_untyped_pages(body: str, kind: str | None) -> None:
    html = f"<html><head><title>A page</title></head><body><h1>A page</h1>{body}</body></html>"
    record = GenericSite().extract_publication(response(REAL + "/research/x", html))
    assert record["page_kind"] == kind


@pytest.mark.parametrize("alias", ["/?p=446", "/node/446", "/2024/08/x/?utm_source=feed"])
def test_a_page_reached_through_an_alias_names_it(alias: str) -> None:
    path = "/2024/08/consular-protection-in-mexico-options-for-regional-cooperation/"
    body = (WORDPRESS / path.strip("/") / "index.html").read_bytes()
    record = GenericSite().extract_publication(response(CRAWL + alias, body))
    assert record["url"] == "https://www.hemisphericmobility.org" + path.rstrip("/")
    named = "https://www.hemisphericmobility.org" + alias.partition("?utm")[0].rstrip("/")
    assert normalize_url(named) in record["alternate_urls"]


def test_archive_and_profile_pages_are_no_publications() -> None:
    site = GenericSite()
    record = site.extract_publication(saved("/author/hannah-lindqvist/"))
    assert not site.is_publication_kind(record["page_kind"])


def node_page(before: str, after: str, *, aside: str = "") -> str:
    """A Drupal node page: an optional label before the title, the node's fields after it."""
    return (
        f'<html><head><link rel="canonical" href="{REAL}/news/x"></head><body>'
        '<header><nav><a href="/reports">Reports</a></nav></header><main>'
        f'<div class="title-wrapper">{before}<h1>Lessons from Europe for the Americas</h1></div>'
        f'<div class="node">{after}<div class="body"><p>As the United States embarks on a new '
        "strategy, there is much it can learn from Europe.</p><div>Reports</div></div></div>"
        f"</main>{aside}<footer><a href='/fact-sheets'>Fact Sheets</a></footer></body></html>"
    )


@pytest.mark.parametrize(
    ("before", "after", "label"),
    [
        ("", "<div>Commentaries</div><div>June 2021</div>", "Commentaries"),  # a type field
        ('<div class="pub-type">Policy Briefs</div>', "<div>By Jane Doe</div>", "Policy Briefs"),
        ("", '<div><span>Feature</span> | <span>2021</span></div>', "Feature"),
        # no label at the headline: the body's and the chrome's are not read
        ("", "<div>June 2021</div><div>Share</div>", None),
        ("", "<h3>Video</h3>", None),  # a section heading is no label
    ],
)  # fmt: skip
def test_a_type_label_at_the_headline(before: str, after: str, label: str | None) -> None:
    html = node_page(before, after, aside="<aside><div>Reports</div></aside>")
    record = GenericSite().extract_publication(response(REAL + "/news/x", html))
    assert record["content_type_label"] == label


@pytest.mark.parametrize(
    ("url", "label"),
    [
        (REAL + "/commentary/why-it-matters", "Commentary"),
        (REAL + "/events/a-dialogue", "Events"),
        (REAL + "/research/reports/a-study", "Reports"),  # the first section it knows
        (REAL + "/2024/01/a-post", None),
    ],
)
def test_type_labels_from_url_sections(url: str, label: str | None) -> None:
    html = f'<html><head><link rel="canonical" href="{url}"></head><body><h1>A title</h1>'
    assert GenericSite().extract_publication(response(url, html))["content_type_label"] == label


# -- profiles --------------------------------------------------------------------------------


def test_a_profile_names_the_listing_and_the_publication_paths(tmp_path) -> None:
    file = tmp_path / "site.toml"
    file.write_text(
        'listing_selector = ".results .row"\npaths = ["/research/"]\ndate_order = "dmy"\n'
        '[content_types]\n"Explainer" = "article"\n',
        encoding="utf-8",
    )
    profile = load_profile(file)
    assert profile.date_order == "DMY" and profile.content_types == {"Explainer": "article"}
    html = (
        '<html><body><div class="results">'
        '<div class="row"><a href="/research/one">One</a><em>Explainer</em></div>'
        '<div class="row"><a href="/blog/two">Two</a></div></div></body></html>'
    )
    listing = GenericSite(profile).extract_listing(response(CRAWL + "/list", html))
    assert [t["url"] for t in listing.teasers] == [CRAWL + "/research/one"]
    assert listing.teasers[0]["content_type_label"] == "Explainer"
    assert GenericSite.rules_for({"REGMIG_PROFILE": str(file)}).date_order == "DMY"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"listing": "x"}, "unknown profile keys"),
        ({"date_order": "XYZ"}, "date_order"),
        ({"paths": "/research/"}, "paths"),
        ({"content_types": {"A": "nope"}}, "content_types"),
    ],
)
def test_bad_profiles_say_what_is_wrong(data: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_profile(data)


# -- the spider: a mirror is read by the site its canonical host names ---------------------


def spider_for(url: str) -> ProgramSpider:
    crawler = get_crawler(ProgramSpider)
    return ProgramSpider.from_crawler(crawler, start_url=url)


def test_an_unclaimed_start_page_naming_a_claimed_host_is_read_by_that_site() -> None:
    spider = spider_for(CRAWL + "/programs/p")
    assert [p.site for p in spider.programs] == ["generic"]
    request = next(iter(spider.start_requests()))
    assert request.meta[META_RECHOOSE] is True
    html = '<html><head><link rel="canonical" href="https://www.migrationpolicy.org/programs/p">'
    start = response(CRAWL + "/programs/p", html + "</head><body></body></html>", request.meta)
    assert isinstance(spider._rechosen(start), MpiDrupalSite)
    unclaimed = response(CRAWL + "/programs/p", page(""), request.meta)
    assert spider._rechosen(unclaimed) is None


def test_a_claimed_or_forced_start_page_is_not_chosen_again() -> None:
    spider = spider_for("https://www.migrationpolicy.org/programs/p")
    request = next(iter(spider.start_requests()))
    assert META_RECHOOSE not in request.meta and request.meta[META_SITE] == "mpi"


def test_a_resumed_crawl_reads_pages_of_a_site_chosen_before_it_stopped() -> None:
    spider = spider_for(CRAWL + "/programs/p")  # a fresh spider: only the fallback built
    queued = response(CRAWL + "/programs/p?page=1", "<html></html>", {META_SITE: "mpi"})
    assert isinstance(spider._site_of(queued), MpiDrupalSite)
