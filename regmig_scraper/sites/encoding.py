"""Decode pages whose charset is missing or wrong, the way a reader's browser would.

Scrapy decodes a page by its BOM, then the ``Content-Type`` header, then the ``<meta>``
charset, then a guess (ASCII, UTF-8, then ``charset_normalizer``). Real sites get the
declaration wrong in three ways, repaired here from the most certain to the least:

1. declared UTF-8, but the body is not valid UTF-8: a legacy page in windows-1252 behind a
   server that adds ``charset=utf-8``. Decoded as windows-1252 (else every accent and curly
   quote becomes U+FFFD).
2. declared a single-byte Western charset (latin-1, windows-1252, ASCII), but the body is
   valid UTF-8 with multi-byte sequences. Decoded as UTF-8 (else "Niños" reads "NiÃ±os").
   Windows-1252 text that happens to be valid UTF-8 is vanishingly rare.
3. nothing declared, and not UTF-8. Decoded as windows-1252, the HTML standard's default for
   English and Spanish pages: ``charset_normalizer`` reads short Spanish texts as
   central-European code pages ("niñez" came out "nińez", "¿Qué" as "żQué").

A BOM is always obeyed (browsers do), and a page that is pure ASCII is never touched.
Pure functions; no settings. The spider counts each repair as
``regmig/encoding/repaired/<reason>``.
"""

from __future__ import annotations

import codecs
from typing import TYPE_CHECKING

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

if TYPE_CHECKING:
    from scrapy.http import TextResponse

# What an undeclared, non-UTF-8 page is decoded with (the HTML standard's default for the
# English and Spanish locales this site is written in).
UNDECLARED_FALLBACK_ENCODING = "cp1252"
# Codec names (``codecs.lookup(...).name``) of the single-byte charsets that Western pages
# declare; UTF-8 bytes under one of these are mojibake.
SINGLE_BYTE_WESTERN = frozenset({"cp1252", "iso8859-1", "iso8859-15", "ascii"})

REPAIR_DECLARED_UTF8 = "declared_utf8_not_utf8"  # case 1
REPAIR_UTF8_UNDER_SINGLE_BYTE = "utf8_declared_single_byte"  # case 2
REPAIR_UNDECLARED = "undeclared_not_utf8"  # case 3


def _codec_name(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def declared_encoding(body: bytes, content_type: str | None) -> str | None:
    """The charset the header (first) or the ``<meta>`` tag declares, as a codec name."""
    declared = http_content_type_encoding(content_type) if content_type else None
    return _codec_name(declared or html_body_declared_encoding(body))


def repaired_encoding(body: bytes, content_type: str | None) -> tuple[str, str] | None:
    """``(encoding, reason)`` to decode ``body`` with instead of what it declares; None to
    keep the declaration (see the module docstring for the three cases)."""
    if not body or body.isascii() or read_bom(body)[0] is not None:
        return None
    declared = declared_encoding(body, content_type)
    utf8 = _is_utf8(body)
    if declared is None:
        return None if utf8 else (UNDECLARED_FALLBACK_ENCODING, REPAIR_UNDECLARED)
    if declared == "utf-8" and not utf8:
        return UNDECLARED_FALLBACK_ENCODING, REPAIR_DECLARED_UTF8
    if declared in SINGLE_BYTE_WESTERN and utf8:
        return "utf-8", REPAIR_UTF8_UNDER_SINGLE_BYTE
    return None


def repair_encoding(response: TextResponse) -> tuple[TextResponse, str | None]:
    """``response`` decoded with the repaired encoding, and the repair's reason (or None)."""
    header = response.headers.get(b"Content-Type")
    content_type = header.decode("latin-1") if header else None
    found = repaired_encoding(response.body, content_type)
    if found is None or _codec_name(response.encoding) == _codec_name(found[0]):
        return response, None
    encoding, reason = found
    return response.replace(encoding=encoding), reason
