"""A static server for site mirrors and snapshots, on 127.0.0.1 only.

Static servers ignore query strings; this one maps each request to a file with
``snapshot_relpath`` (the site sample's rule: ``/a?b=1`` -> ``a/index~b=1.html``), so a
mirror of a Drupal site with pagers and quicktabs serves every page. Missing pages get a
404 (with ``.drupal-404.html`` as the body when the mirror has one). Used by the tests, the
benchmark and ``regmig serve``.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from regmig_scraper.snapshot import snapshot_relpath

logger = logging.getLogger(__name__)
NOT_FOUND_PAGE = ".drupal-404.html"


def _handler_for(root: Path) -> type[BaseHTTPRequestHandler]:
    root = root.resolve()

    class MirrorHandler(BaseHTTPRequestHandler):
        server_version = "regmig-mirror"

        def do_GET(self) -> None:
            relpath = snapshot_relpath(f"http://mirror{self.path}", with_host=False)
            path = (root / relpath).resolve()
            if root in path.parents and path.is_file():
                self._send(200, path.read_bytes(), self._content_type(path))
                return
            missing = root / NOT_FOUND_PAGE
            body = missing.read_bytes() if missing.is_file() else b"<h1>Not found</h1>"
            self._send(404, body, "text/html; charset=utf-8")

        def _content_type(self, path: Path) -> str:
            if path.suffix == ".html":
                return "text/html; charset=utf-8"
            return mimetypes.guess_type(path.name)[0] or "application/octet-stream"

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("mirror: " + format, *args)

    return MirrorHandler


@contextmanager
def serving(root: Path, port: int = 0) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 in a background thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(root))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
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
