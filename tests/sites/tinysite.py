"""A WordPress-style site in one module: what a second site costs (README, "Another site").

Topic archives list ``<article>`` teasers and page with ``/page/N/`` (``<link rel="next">``
and ``.pagination`` links); a post's page has its title, ``<time datetime>``, byline and
category. Registered in tests with ``-s REGMIG_SITES={"tiny": "tests.sites.tinysite.TinySite"}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scrapy.http import TextResponse

from regmig_scraper.normalize.urls import normalize_url
from regmig_scraper.record import SOURCE_LISTING, SOURCE_PAGE, Record, new_record
from regmig_scraper.sites.base import PAGER, ListingLink, ListingPage
from regmig_scraper.sites.markup import first_text, join_url, link_href, meta_content

# ``/topics/migration/page/3/`` -> (``/topics/migration``, 3)
PAGED_PATH = re.compile(r"^(?P<archive>.*?)(?:/page/(?P<page>\d+))?/?$")
PAGER_LINKS = "link[rel=next]::attr(href), link[rel=prev]::attr(href), .pagination a::attr(href)"
TEASER = "main article"
BLOCK = "archive"


def _paged(url: str) -> tuple[str, int]:
    """The archive a listing URL pages through, and its page number (1 for the first)."""
    path = url.partition("://")[2].partition("/")[2].partition("?")[0]
    match = PAGED_PATH.match("/" + path)
    assert match is not None  # the pattern matches every path
    return match["archive"], int(match["page"] or 1)


class TinySite:
    """Extractor for tiny.example.org, a WordPress think tank."""

    name = "tiny"
    hosts = ("tiny.example.org",)

    def listing_url(self, url: str) -> str:
        return normalize_url(url)

    def extract_listing(
        self, response: TextResponse, seen: Callable[[str, str | None], bool] | None = None
    ) -> ListingPage:
        archive, number = _paged(response.url)
        page = ListingPage(program=first_text(response.selector, "h1.page-title"))
        page.is_continuation = number > 1
        for position, article in enumerate(response.css(TEASER)):
            href = join_url(response.url, article.css(".entry-title a::attr(href)").get())
            if href is None:
                page.skipped["no_link"] += 1
                continue
            url = normalize_url(href)
            sighting = {
                "source": SOURCE_LISTING,
                "url": url,
                "request_url": href,
                "listing_url": response.url,
                "block": BLOCK,
                "position": position,
            }
            if seen is not None and seen(url, BLOCK):
                page.teasers.append(new_record(**sighting, repeat=True))
                continue
            page.teasers.append(
                new_record(
                    **sighting,
                    program=page.program,
                    title=first_text(article, ".entry-title"),
                    date_raw=first_text(article, "time.published"),
                    authors_raw=first_text(article, ".byline"),
                    summary=first_text(article, ".entry-summary"),
                    content_type_label=first_text(article, ".cat-links"),
                )
            )
        for href in response.css(PAGER_LINKS).getall():
            url = join_url(response.url, href)
            if url is not None and _paged(url)[0] == archive:
                link = ListingLink(self.listing_url(url), PAGER, _paged(url)[1] - 1)
                if link not in page.links:
                    page.links.append(link)
        return page

    def extract_publication(self, response: TextResponse) -> Record:
        selector = response.selector
        post = selector.css("article.type-post")
        canonical = join_url(response.url, link_href(selector, "canonical")) or response.url
        request_url = response.request.url if response.request else response.url
        return new_record(
            source=SOURCE_PAGE,
            url=normalize_url(canonical),
            request_url=request_url,
            alternate_urls=sorted({normalize_url(request_url)} - {normalize_url(canonical)}),
            page_kind="post" if post else None,
            program=response.meta.get("program"),
            title=first_text(post, ".entry-title"),
            date_raw=first_text(post, "time.published"),
            authors_raw=first_text(post, ".byline"),
            content_type_label=first_text(post, ".cat-links"),
            summary=meta_content(selector, "og:description"),
            body_text="\n\n".join(
                p.strip() for p in post.css(".entry-content p").xpath("string()").getall()
            ),
            html_lang=selector.xpath("/html/@lang").get(),
        )

    def is_publication_kind(self, page_kind: str | None) -> bool:
        return page_kind == "post"
