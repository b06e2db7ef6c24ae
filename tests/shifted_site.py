"""A copy of the bundled MPI sample after new publications came out, as the real site shows it.

Listings are newest first: a new publication goes on top of the blocks that list it, and every
other row of those blocks moves down one place per new row, across the block's pager pages
(a block's pages keep their size; its pager gains a page when the rows need one). Each new
publication gets its own page, made from the page of the publication its row was cloned from.

``add_publications(root, new)`` rewrites the listing pages of the mirror at ``root`` in place.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from lxml import html

from regmig_scraper.snapshot import snapshot_relpath

PROGRAM_PATH = "/programs/regional-migration"
TAB_PARAM = "qt-regional_study_group_tabs"
# The sample's paged blocks: their element in Drupal's page vector and the tab they sit in
# (None: outside the quicktabs, its links carry no tab).
PAGERS: dict[str, tuple[int, int | None]] = {
    "featured_content/block_1": (0, None),
    "program_research/block_2": (1, 0),
    "program_multimedia/block_4": (3, 2),
    "recent_activity_v2/block_5": (4, 4),
}


@dataclass(frozen=True)
class NewPublication:
    slug: str  # under the template's section (/research/<slug>)
    title: str
    template: str  # path of the publication whose row and page it is cloned from
    blocks: tuple[str, ...]  # blocks that list it, on top


def _block_of(view: html.HtmlElement) -> str:
    classes = view.get("class", "").split()
    view_id = next(c[len("view-id-") :] for c in classes if c.startswith("view-id-"))
    prefix = "view-display-id-"
    display = next(c[len(prefix) :] for c in classes if c.startswith(prefix))
    return f"{view_id}/{display}"


def _page_vector(path: Path) -> tuple[int, ...]:
    match = re.search(r"page=([\d,]+)", path.name)
    return tuple(int(n) for n in match.group(1).split(",")) if match else ()


def _page_in(block: str, vector: tuple[int, ...]) -> int:
    element = PAGERS[block][0] if block in PAGERS else None
    return vector[element] if element is not None and element < len(vector) else 0


def _page_url(block: str, page: int) -> str:
    element, tab = PAGERS[block]
    query = []
    if tab is not None:
        query.append(f"{TAB_PARAM}={tab}")
    if page:
        query.append("page=" + quote(",".join(["0"] * element + [str(page)]), safe=""))
    return PROGRAM_PATH + ("?" + "&".join(query) if query else "")


def _pager_html(block: str, page: int, pages: int) -> str:
    items = []
    for number in range(pages):
        if number == page:
            items.append(f'<li class="pager-current">{number + 1}</li>')
        else:
            href = _page_url(block, number).replace("&", "&amp;")
            items.append(f'<li class="pager-item"><a href="{href}">{number + 1}</a></li>')
    return '<ul class="pager">' + "".join(items) + "</ul>"


def _listing_files(root: Path) -> list[Path]:
    return sorted((root / PROGRAM_PATH.strip("/")).glob("index*.html"))


def _rows(view: html.HtmlElement) -> list[html.HtmlElement]:
    return view.xpath("./div[contains(@class, 'view-content')]/div[contains(@class, 'views-row')]")


def _new_row(rows: list[html.HtmlElement], new: NewPublication) -> html.HtmlElement:
    template = next(r for r in rows if new.template in html.tostring(r, encoding="unicode"))
    text = html.tostring(template, encoding="unicode")
    text = text.replace(new.template, f"/{new.template.split('/')[1]}/{new.slug}")
    row = html.fragment_fromstring(text)
    anchors = [a for a in row.iter("a") if new.slug in (a.get("href") or "")]
    title_anchor = next((a for a in anchors if a.getparent().getparent() is not None and
                         "views-field-title" in (a.getparent().getparent().get("class") or "")),
                        None)  # fmt: skip
    if title_anchor is not None:
        title_anchor.text = new.title
    return row


def add_publications(root: Path, new: list[NewPublication]) -> None:
    """Put ``new`` (newest first) on top of their blocks in the mirror at ``root``."""
    files = _listing_files(root)
    trees = {path: html.fromstring(path.read_bytes()) for path in files}
    # Each paged or unpaged block's rows, page by page, as the site shows them now.
    sequences: dict[str, dict[int, list[html.HtmlElement]]] = {}
    for path, tree in trees.items():
        vector = _page_vector(path)
        for view in tree.xpath("//div[contains(@class, 'view-id-')]"):
            block = _block_of(view)
            sequences.setdefault(block, {}).setdefault(_page_in(block, vector), _rows(view))
    pages: dict[str, list[list[html.HtmlElement]]] = {}
    for block, by_page in sequences.items():
        size = len(by_page.get(0, []))
        if not size:
            continue  # not a list of Views rows (the date filter, a table): left as it is
        rows = [row for number in sorted(by_page) for row in by_page[number]]
        top = [_new_row(rows, n) for n in new if block in n.blocks]
        rows = top + rows
        if block not in PAGERS:
            rows = rows[:size]  # an unpaged block shows its newest rows only
        pages[block] = [rows[i : i + size] for i in range(0, len(rows), size)]

    def render(tree: html.HtmlElement, vector: tuple[int, ...]) -> None:
        for view in tree.xpath("//div[contains(@class, 'view-id-')]"):
            block = _block_of(view)
            if block not in pages:
                continue
            number = _page_in(block, vector)
            content = view.xpath("./div[contains(@class, 'view-content')]")[0]
            for row in _rows(view):
                content.remove(row)
            for position, row in enumerate(pages[block][number]):
                row = copy.deepcopy(row)
                row.set("class", re.sub(r"views-row-\d+", f"views-row-{position + 1}",
                                        row.get("class", "")))  # fmt: skip
                content.append(row)
            for pager in view.xpath(".//ul[contains(@class, 'pager')]"):
                pager.getparent().replace(
                    pager, html.fragment_fromstring(
                        _pager_html(block, number, len(pages[block]))))  # fmt: skip

    for path, tree in trees.items():
        render(tree, _page_vector(path))
        path.write_bytes(html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>"))
    # Pages a pager gained: the block's first page with that page of the block.
    for block, block_pages in pages.items():
        for number in range(1, len(block_pages)):
            target = root / snapshot_relpath(f"http://mirror{_page_url(block, number)}",
                                             with_host=False)  # fmt: skip
            if target.exists():
                continue
            tree = html.fromstring(
                (root / snapshot_relpath(f"http://mirror{_page_url(block, 0)}",
                                         with_host=False)).read_bytes())  # fmt: skip
            vector = tuple([0] * PAGERS[block][0] + [number])
            render(tree, vector)
            target.write_bytes(html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>"))
    for publication in new:
        source = root / new_path(publication.template) / "index.html"
        section = publication.template.split("/")[1]
        target = root / section / publication.slug / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        page = source.read_text(encoding="utf-8").replace(
            publication.template, f"/{section}/{publication.slug}"
        )
        page = re.sub(r"<h1([^>]*)>.*?</h1>", rf"<h1\1>{publication.title}</h1>", page, count=1,
                      flags=re.DOTALL)  # fmt: skip
        page = re.sub(r"<title>.*?</title>", f"<title>{publication.title}</title>", page, count=1)
        # No translation of its own: the template's links to its translation go.
        page = re.sub(r'<link rel="alternate" hreflang[^>]*>', "", page)
        page = re.sub(r'<a href="/[a-z]+/(sentando|nueva)-[^"]*">', '<a href="#">', page)
        target.write_text(page, encoding="utf-8")


def new_path(path: str) -> str:
    return path.strip("/")
