"""Human-readable crawl snapshots: record a live crawl, replay it with no network.

A snapshot directory holds one file per page, laid out like the site itself
(``<host>/<path>/index.html``; a query becomes ``index~name=value&name=value.html``, see
``snapshot_relpath``), plus ``index.jsonl``: one line per recorded response with its URL,
status, headers and file. A page with no index line is served as a plain 200, so a static
mirror copied under ``<host>/`` is a valid snapshot too; that is how the bundled fixture
snapshot is kept.

Both modes run through Scrapy's own ``HttpCacheMiddleware``: ``SnapshotStorage`` is an
``HTTPCACHE_STORAGE``, ``RecordPolicy`` an ``HTTPCACHE_POLICY`` that always fetches and
stores; replay uses Scrapy's ``DummyPolicy`` with ``HTTPCACHE_IGNORE_MISSING`` so a page that
is not in the snapshot is ignored (and counted as ``httpcache/ignore``), never fetched.
Recording costs one file write and one index line per page (Scrapy's filesystem storage
writes seven files per page).

Settings: ``HTTPCACHE_DIR`` (absolute path of the snapshot).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from scrapy.extensions.httpcache import DummyPolicy
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url

from regmig_scraper import atomic

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

INDEX_FILE = "index.jsonl"
# The start URLs of the crawl that recorded the snapshot, one a line (written by --record), so
# that a replay needs no --start-url.
START_URLS_FILE = "start_urls.txt"
# Longest file name we write; longer query strings are hashed (most file systems stop at 255).
MAX_NAME_BYTES = 200
# Query parameters a static mirror cannot tell apart (tracking only).
IGNORED_QUERY_PREFIXES = ("utm_",)


def snapshot_relpath(url: str, *, with_host: bool = True) -> PurePosixPath:
    """Map a URL to its file in a snapshot (the rule of the site sample's README).

    ``/a/b`` -> ``a/b/index.html``; ``/a/b?y=2&x=1`` -> ``a/b/index~x=1&y=2.html`` (query
    percent-decoded, ``utm_*`` dropped, sorted by name, commas kept); a last segment with
    an extension (``/f/report.pdf``, ``/robots.txt``) is that file; a trailing slash is
    ignored. With ``with_host`` the path starts with the host (``www.example.org``).
    """
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s not in ("", ".", "..")]
    segments = [s.replace("/", "%2F") for s in segments]
    pairs = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.startswith(IGNORED_QUERY_PREFIXES)
    ]
    if segments and "." in segments[-1] and not pairs:
        name = segments.pop()
    elif pairs:
        query = "&".join(f"{k}={v}" for k, v in sorted(pairs)).replace("/", "%2F")
        name = f"index~{query}.html"
        if len(name.encode("utf-8")) > MAX_NAME_BYTES:
            digest = hashlib.sha1(query.encode("utf-8")).hexdigest()[:16]
            name = f"index~h-{digest}.html"
    else:
        name = "index.html"
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.port:
        host = f"{host}_{parts.port}"
    base = PurePosixPath(host) if with_host else PurePosixPath()
    return base.joinpath(*segments, name)


def index_key(url: str) -> str:
    """Key of a URL in ``index.jsonl``: Scrapy's canonical form, fragment dropped."""
    return canonicalize_url(url)


class SnapshotStorage:
    """``HTTPCACHE_STORAGE`` that reads and writes a human-readable snapshot directory."""

    def __init__(self, settings: BaseSettings):
        self.root = Path(settings["HTTPCACHE_DIR"]).resolve()
        self._index: dict[str, dict[str, Any]] = {}
        self._index_file: Any = None

    def open_spider(self, spider: Spider | None = None) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        index_path = self.root / INDEX_FILE
        if index_path.exists():
            with index_path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    try:
                        entry = json.loads(line)
                        self._index[index_key(entry["url"])] = entry
                    except (ValueError, KeyError, TypeError):
                        logger.warning("Skipping bad line %s of %s", number, index_path)
        self._index_file = index_path.open("a", encoding="utf-8")

    def close_spider(self, spider: Spider | None = None) -> None:
        if self._index_file is not None:
            self._index_file.close()
            self._index_file = None

    def retrieve_response(self, spider: Spider | None, request: Request) -> Response | None:
        entry = self._index.get(index_key(request.url))
        if entry is None:
            path = self.root / snapshot_relpath(request.url)
            if not path.is_file():
                return None
            entry = {"url": request.url, "status": 200, "headers": {}, "file": None}
            body = path.read_bytes()
        else:
            file = entry.get("file")
            body = (self.root / file).read_bytes() if file else b""
        headers = Headers(entry.get("headers") or {})
        if b"Content-Type" not in headers:
            guessed = _content_type_for(request.url, body)
            if guessed:
                headers[b"Content-Type"] = guessed
        url = entry.get("response_url") or request.url
        respcls = responsetypes.from_args(headers=headers, url=url, body=body)
        return respcls(url=url, headers=headers, status=int(entry.get("status", 200)), body=body)

    def store_response(self, spider: Spider | None, request: Request, response: Response) -> None:
        relpath = snapshot_relpath(request.url)
        file: str | None = None
        if response.body:
            # not fsync'ed: a page lost to a power cut is recorded again by the next --record
            atomic.write_bytes(self.root / relpath, response.body, durable=False)
            file = relpath.as_posix()
        entry = {
            "url": request.url,
            "response_url": response.url,
            "status": response.status,
            "headers": {
                k.decode("latin-1"): [v.decode("latin-1") for v in vs]
                for k, vs in response.headers.items()
            },
            "file": file,
        }
        self._index[index_key(request.url)] = entry
        if self._index_file is not None:
            self._index_file.write(json.dumps(entry, sort_keys=True) + "\n")
            self._index_file.flush()


class RecordPolicy(DummyPolicy):
    """``HTTPCACHE_POLICY`` for recording: always fetch, always store the fresh response."""

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        return False

    def is_cached_response_valid(
        self, cachedresponse: Response, response: Response, request: Request
    ) -> bool:
        return False


def _content_type_for(url: str, body: bytes) -> bytes | None:
    path = urlsplit(url).path.lower()
    if path.endswith(".pdf"):
        return b"application/pdf"
    if path.endswith(".txt"):
        return b"text/plain; charset=utf-8"
    if path.endswith((".xml", ".rss")):
        return b"application/xml"
    if body[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html")) or not path.rsplit(
        "/", 1
    )[-1].count("."):
        return b"text/html; charset=utf-8"
    return None


def host_directories(directory: Path) -> list[Path]:
    """The host folders of a snapshot root (``www.example.org``, ``127.0.0.1_8000``)."""
    if not directory.is_dir():
        return []
    return sorted(
        child
        for child in directory.iterdir()
        if child.is_dir() and not child.name.startswith(".") and HOST_FOLDER.fullmatch(child.name)
    )


# A host folder's name: a dotted host name or an IP address, with "_<port>" when not default.
HOST_FOLDER = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:_\d{1,5})?|\[[0-9a-f:]+\](?:_\d{1,5})?")


def write_start_urls(directory: Path, urls: list[str]) -> None:
    """Remember the crawl's start URLs in a snapshot being recorded."""
    directory.mkdir(parents=True, exist_ok=True)
    atomic.write_text(directory / START_URLS_FILE, "".join(f"{url}\n" for url in urls))


def recorded_start_urls(directory: Path) -> list[str]:
    """The start URLs a recording names (``START_URLS_FILE``); [] when it names none."""
    path = directory / START_URLS_FILE
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def holds_page(directory: Path, url: str) -> bool:
    """Whether a snapshot has a file for ``url``."""
    return (directory / snapshot_relpath(url)).is_file()
