"""Name a response whose header is too long, instead of a bare "connection lost".

Twisted's HTTP/1.1 client (which Scrapy's default download handler uses) reads a response's
status line and headers line by line and gives up on a line longer than
``LineReceiver.MAX_LENGTH`` (16 KiB) by closing the connection, which reaches the spider as a
clean close, indistinguishable from a server hanging up. ``install()`` makes that parser
raise ``HeaderTooLargeError`` instead: the request then fails with that error inside its
``ResponseFailed``, and the spider counts it as ``header_too_large``. Nothing else changes
(the limit, the retries). Idempotent; a Twisted without that parser is left alone.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class HeaderTooLargeError(Exception):
    """A response header line longer than the HTTP client accepts."""


def _line_length_exceeded(self, line: bytes) -> None:
    raise HeaderTooLargeError(
        f"response header line longer than {self.MAX_LENGTH} bytes ({line[:40]!r}...)"
    )


def install() -> None:
    """Make Twisted's HTTP client parser raise ``HeaderTooLargeError`` on a long header."""
    try:
        from twisted.web._newclient import HTTPClientParser
    except ImportError:  # pragma: no cover - another Twisted
        logger.debug("twisted.web._newclient.HTTPClientParser not found: not installed")
        return
    HTTPClientParser.lineLengthExceeded = _line_length_exceeded  # type: ignore[method-assign]
