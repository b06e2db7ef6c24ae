"""A copy of the WordPress sample after new posts came out, as WordPress shows them.

WordPress lists a topic's posts newest first, a fixed number a page (the Query Loop block's
"posts per page"): a new post goes on top of page 1 and every other post moves down one place
per new post, across the pager's pages; the pager gains a page when the posts need one, and
every page's pager and ``<link rel="prev/next">`` say so. The sticky post's "Featured" box is
left as it is. A new post also gets its own page (made from the page of the post it is cloned
from, with its own URL, title and date), the first place of the feeds given (which keep their
length: the oldest item goes), and an ``<url>`` with its ``lastmod`` in the core sitemap file
that lists the post it is cloned from.

``add_posts(root, new)`` rewrites the mirror at ``root`` in place (a copy in ``tmp_path``).
Nothing is written for one post in particular: any post of the sample can be a template.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import html

SITE = "https://www.hemisphericmobility.org"
LISTING = "/topics/migration-governance/"
FEEDS = ("/feed/", "/topics/migration-governance/feed/")
# The Query Loop that pages (the "Featured" box is a Query Loop without a pager).
PAGED_LIST = (
    "//div[contains(@class, 'wp-block-query')][.//nav[contains(@class, "
    "'wp-block-query-pagination')]]/ul[contains(@class, 'wp-block-post-template')]"
)
PAGER = "//nav[contains(@class, 'wp-block-query-pagination')]"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


@dataclass(frozen=True)
class NewPost:
    slug: str  # its URL is /YYYY/MM/<slug>/ of its date
    title: str
    template: str  # path of the post whose teaser and page it is cloned from
    published: dt.datetime  # timezone-aware

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m}/{self.slug}/"


def _page_file(root: Path, listing: str, number: int) -> Path:
    page = listing if number == 1 else f"{listing}page/{number}/"
    return root / page.strip("/") / "index.html"


def _page_url(listing: str, number: int) -> str:
    return SITE + (listing if number == 1 else f"{listing}page/{number}/")


def _numbers(current: int, total: int, end_size: int = 1, mid_size: int = 2) -> list[int | None]:
    """The page numbers WordPress's ``paginate_links`` prints (None: the dots)."""
    shown: list[int | None] = []
    for number in range(1, total + 1):
        if number <= end_size or number > total - end_size or abs(number - current) <= mid_size:
            shown.append(number)
        elif shown and shown[-1] is not None:
            shown.append(None)
    return shown


def _pager_html(listing: str, current: int, total: int) -> str:
    parts = [
        '<nav class="wp-block-query-pagination is-content-justification-space-between '
        'is-layout-flex" aria-label="Pagination">'
    ]
    if current > 1:
        parts.append(
            f'<a href="{_page_url(listing, current - 1)}" class="wp-block-query-pagination-'
            'previous"><span class="wp-block-query-pagination-previous-arrow is-arrow-chevron" '
            'aria-hidden="true">«</span>Previous Page</a>'
        )
    numbers = []
    for number in _numbers(current, total):
        if number is None:
            numbers.append('<span class="page-numbers dots">…</span>')
        elif number == current:
            numbers.append(
                f'<span aria-current="page" class="page-numbers current">{number}</span>'
            )
        else:
            numbers.append(
                f'<a class="page-numbers" href="{_page_url(listing, number)}">{number}</a>'
            )
    parts.append('<div class="wp-block-query-pagination-numbers">' + "\n".join(numbers) + "</div>")
    if current < total:
        parts.append(
            f'<a href="{_page_url(listing, current + 1)}" class="wp-block-query-pagination-next">'
            'Next Page<span class="wp-block-query-pagination-next-arrow is-arrow-chevron" '
            'aria-hidden="true">»</span></a>'
        )
    return "".join(parts) + "</nav>"


def _local_date(text: str) -> str:
    """``2024-07-16T12:45:00-04:00`` -> ``July 16, 2024`` (as the theme prints it)."""
    day = dt.date.fromisoformat(text[:10])
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _retarget(text: str, post: NewPost, stamp: str | None) -> str:
    """The template's URL and dates in ``text`` made the new post's."""
    text = text.replace(SITE + post.template, SITE + post.path)
    if stamp and len(stamp) >= 10:
        local = post.published.isoformat()
        text = text.replace(stamp, local).replace(_local_date(stamp), _local_date(local))
        utc = dt.datetime.fromisoformat(stamp).astimezone(dt.UTC).isoformat()
        text = text.replace(utc, post.published.astimezone(dt.UTC).isoformat())
    return text


def _new_row(rows: list[html.HtmlElement], post: NewPost) -> html.HtmlElement:
    template = next(r for r in rows if SITE + post.template in html.tostring(r, encoding="unicode"))
    stamp = template.xpath(".//time/@datetime")[0]
    row = html.fragment_fromstring(
        _retarget(html.tostring(template, encoding="unicode"), post, stamp)
    )
    for anchor in row.xpath(".//h2//a | .//h3//a"):
        anchor.text = post.title
    return row


def _write(path: Path, tree: html.HtmlElement) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>"))


def _relink_head(tree: html.HtmlElement, listing: str, number: int, total: int) -> None:
    head = tree.find("head")
    for link in head.xpath("./link[@rel='prev' or @rel='next']"):
        head.remove(link)
    canonical = head.xpath("./link[@rel='canonical']")[0]
    if number < total:
        canonical.addnext(html.fragment_fromstring(
            f'<link rel="next" href="{_page_url(listing, number + 1)}">'))  # fmt: skip
    if number > 1:
        canonical.addnext(html.fragment_fromstring(
            f'<link rel="prev" href="{_page_url(listing, number - 1)}">'))  # fmt: skip


def _add_to_listing(root: Path, listing: str, new: list[NewPost]) -> None:
    files = []
    number = 1
    while _page_file(root, listing, number).is_file():
        files.append(_page_file(root, listing, number))
        number += 1
    trees = [html.fromstring(path.read_bytes()) for path in files]
    lists = [tree.xpath(PAGED_LIST)[0] for tree in trees]
    size = len(lists[0])
    rows = [row for ul in lists for row in ul]
    rows = [_new_row(rows, post) for post in new] + rows
    total = math.ceil(len(rows) / size)
    last = html.tostring(trees[-1], encoding="unicode")
    for number in range(len(trees) + 1, total + 1):  # pages the pager gained: like its last
        old = len(trees)
        text = last.replace(f"{listing}page/{old}/", f"{listing}page/{number}/")
        text = text.replace(f"paged-{old}", f"paged-{number}")
        text = re.sub(rf"Page {old} of", f"Page {number} of", text)
        trees.append(html.fromstring(text))
        lists.append(trees[-1].xpath(PAGED_LIST)[0])
    for number, (tree, ul) in enumerate(zip(trees, lists, strict=True), start=1):
        for row in list(ul):
            ul.remove(row)
        for row in rows[(number - 1) * size : number * size]:
            ul.append(copy.deepcopy(row))
        pager = tree.xpath(PAGER)[0]
        pager.getparent().replace(pager, html.fragment_fromstring(
            _pager_html(listing, number, total)))  # fmt: skip
        _relink_head(tree, listing, number, total)
        for element in tree.iter("title", "meta", "script"):
            for name in ("content",):
                if element.get(name):
                    element.set(name, re.sub(r"Page (\d+) of \d+", rf"Page \1 of {total}",
                                             element.get(name)))  # fmt: skip
            if element.text:
                element.text = re.sub(r"Page (\d+) of \d+", rf"Page \1 of {total}", element.text)
        _write(_page_file(root, listing, number), tree)


def _add_page(root: Path, post: NewPost) -> None:
    source = root / post.template.strip("/") / "index.html"
    text = source.read_text(encoding="utf-8")
    stamp = re.search(r'<time datetime="([^"]+)"', text)
    text = _retarget(text, post, stamp[1] if stamp else None)
    old_title = re.search(r"<h1[^>]*>(.*?)</h1>", text, flags=re.DOTALL)
    if old_title:
        plain = html.fragment_fromstring(f"<p>{old_title[1]}</p>").text_content()
        for old in {old_title[1], plain, escape(plain)}:
            text = text.replace(old, escape(post.title))
    # A post of its own: no translation (hreflang alternates of the template go).
    text = re.sub(r"<link[^>]*hreflang[^>]*>\n?", "", text)
    target = root / post.path.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _add_to_feed(path: Path, new: list[NewPost]) -> None:
    text = path.read_text(encoding="utf-8")
    items = re.findall(r"\t<item>.*?</item>\n", text, flags=re.DOTALL)
    fresh = []
    for post in new:
        url = SITE + post.path
        fresh.append(
            f"\t<item>\n\t\t<title>{escape(post.title)}</title>\n\t\t<link>{url}</link>\n"
            f"\t\t<pubDate>{post.published.astimezone(dt.UTC):%a, %d %b %Y %H:%M:%S +0000}"
            f'</pubDate>\n\t\t<guid isPermaLink="false">{url}</guid>\n\t</item>\n'
        )
    kept = (fresh + items)[: len(items)]  # the feed keeps its length: the oldest items go
    start = text.index(items[0])
    end = text.index(items[-1]) + len(items[-1])
    path.write_text(text[:start] + "".join(kept) + text[end:], encoding="utf-8")


def _add_to_sitemap(root: Path, post: NewPost) -> None:
    for path in sorted(root.glob("wp-sitemap-*.xml")):
        text = path.read_text(encoding="utf-8")
        if f"<loc>{SITE}{post.template}</loc>" in text:
            stamp = post.published.astimezone(dt.UTC).isoformat()
            entry = f"<url><loc>{SITE}{post.path}</loc><lastmod>{stamp}</lastmod></url>"
            path.write_text(text.replace("</urlset>", entry + "</urlset>"), encoding="utf-8")
            return


def add_posts(
    root: Path, new: list[NewPost], listing: str = LISTING, feeds: tuple[str, ...] = FEEDS
) -> None:
    """Publish ``new`` (newest first) on ``listing`` of the WordPress mirror at ``root``."""
    _add_to_listing(root, listing, new)
    for post in new:
        _add_page(root, post)
        _add_to_sitemap(root, post)
    for feed in feeds:
        _add_to_feed(root / feed.strip("/") / "index.html", new)
