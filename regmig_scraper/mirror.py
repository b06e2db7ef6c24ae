"""A static server for site mirrors and snapshots, on 127.0.0.1 only.

Static servers ignore query strings; this one maps each request to a file with
``snapshot_relpath`` (the site sample's rule: ``/a?b=1`` -> ``a/index~b=1.html``), so a
mirror of a Drupal site with pagers and quicktabs serves every page. Missing pages get a
404 (with ``.drupal-404.html`` as the body when the mirror has one). Used by the tests, the
benchmark and ``regmig serve``.

Like a real web server it sends validators, ``ETag`` (a hash of the file's bytes) and
``Last-Modified`` (its mtime), and answers a conditional request (``If-None-Match``, else
``If-Modified-Since``) for an unchanged file with ``304 Not Modified``, so incremental crawls
can be tested against it. ``serving(..., log=...)`` records every request it answers
(``ServedRequest``); ``delay`` slows every answer down (interrupting a crawl in a test).
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from regmig_scraper.snapshot import snapshot_relpath

logger = logging.getLogger(__name__)
NOT_FOUND_PAGE = ".drupal-404.html"
ETAG_HEX_DIGITS = 16  # of the sha1 of the file's bytes: a strong validator


@dataclass(frozen=True)
class ServedRequest:
    """One request the mirror answered (what the tests count)."""

    method: str
    path: str  # as requested, query included
    status: int
    conditional: bool  # it carried If-None-Match or If-Modified-Since
    at: float = 0.0  # when the request arrived (time.time())


def etag_of(body: bytes) -> str:
    """The (strong) ETag the mirror sends for a file with these bytes."""
    return '"' + hashlib.sha1(body).hexdigest()[:ETAG_HEX_DIGITS] + '"'


def not_modified(
    etag: str, mtime: float, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False  # an unparsable date is ignored, as the RFC says
        return int(mtime) <= since
    return False


def _handler_for(
    root: Path, *, log: list[ServedRequest] | None = None, delay: float = 0.0
) -> type[BaseHTTPRequestHandler]:
    root = root.resolve()

    class MirrorHandler(BaseHTTPRequestHandler):
        server_version = "regmig-mirror"

        def do_GET(self) -> None:
            self.arrived = time.time()
            if delay > 0:
                time.sleep(delay)
            relpath = snapshot_relpath(f"http://mirror{self.path}", with_host=False)
            path = (root / relpath).resolve()
            if root in path.parents and path.is_file():
                body = path.read_bytes()
                validators = {
                    "ETag": etag_of(body),
                    "Last-Modified": formatdate(int(path.stat().st_mtime), usegmt=True),
                }
                if not_modified(
                    validators["ETag"],
                    path.stat().st_mtime,
                    self.headers.get("If-None-Match"),
                    self.headers.get("If-Modified-Since"),
                ):
                    self._send(304, b"", None, validators)
                    return
                self._send(200, body, self._content_type(path), validators)
                return
            missing = root / NOT_FOUND_PAGE
            body = missing.read_bytes() if missing.is_file() else b"<h1>Not found</h1>"
            self._send(404, body, "text/html; charset=utf-8")

        def _content_type(self, path: Path) -> str:
            if path.suffix == ".html":
                return "text/html; charset=utf-8"
            return mimetypes.guess_type(path.name)[0] or "application/octet-stream"

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str | None,
            headers: dict[str, str] | None = None,
        ) -> None:
            if log is not None:
                conditional = any(
                    name in self.headers for name in ("If-None-Match", "If-Modified-Since")
                )
                arrived = getattr(self, "arrived", time.time())
                log.append(ServedRequest(self.command, self.path, status, conditional, arrived))
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Type", content_type or "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("mirror: " + format, *args)

    return MirrorHandler


@contextmanager
def serving(
    root: Path,
    port: int = 0,
    *,
    log: list[ServedRequest] | None = None,
    delay: float = 0.0,
    host: str = "127.0.0.1",
) -> Iterator[str]:
    """Serve ``root`` on ``host`` (a loopback address) in a background thread; yields the base
    URL.

    ``log``: a list that receives a ``ServedRequest`` per answered request. ``delay``:
    seconds every answer waits first. ``host``: another loopback address (127.0.0.2...)
    serves a second site under a host of its own.
    """
    if not host.startswith("127."):
        raise ValueError(f"the mirror serves on loopback addresses only, not {host}")
    server = ThreadingHTTPServer((host, port), _handler_for(root, log=log, delay=delay))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def serve_forever(root: Path, port: int = 8000) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(root))
    print(f"Serving {root} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
