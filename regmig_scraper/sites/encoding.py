"""Decode pages whose charset is missing or wrong, the way a reader's browser would.

Scrapy decodes a page by its BOM, then the ``Content-Type`` header, then the ``<meta>``
charset, then a guess (ASCII, UTF-8, then ``charset_normalizer``). Real sites get the
declaration wrong in three ways, repaired here from the most certain to the least:

1. declared UTF-8, but the body is not UTF-8: a legacy page in windows-1252 behind a
   server that adds ``charset=utf-8``. Decoded as windows-1252 (else every accent and curly
   quote becomes U+FFFD). Decided on evidence (``mostly_utf8``): a page whose non-ASCII text
   is mostly valid UTF-8 sequences, with a stray invalid byte or two (a pasted footer), is
   UTF-8 with a replacement character, not windows-1252 ("MigraciÃ³n" in every title).
2. declared another charset, but the body is valid UTF-8 with multi-byte sequences. Decoded
   as UTF-8 (else "Niños" reads "NiÃ±os", and a Chinese page re-encoded as UTF-8 under its old
   ``gb2312`` declaration reads as noise). Legacy text that happens to be valid UTF-8 is
   vanishingly rare: a single-byte letter would need one to three bytes of 0x80-0xBF after
   it, a double-byte character a lead byte of 0xC2-0xF4 and a trail byte of 0x80-0xBF.
3. nothing declared, and not UTF-8 (nor mostly UTF-8, which is decoded as UTF-8). Decoded as
   windows-1252, the HTML standard's default for English and Spanish pages:
   ``charset_normalizer`` reads short Spanish texts as central-European code pages ("niñez"
   came out "nińez", "¿Qué" as "żQué").

A BOM is always obeyed (browsers do), and a page that is pure ASCII is never touched.
Pure functions; no settings. The spider counts each repair as
``regmig/encoding/repaired/<reason>``.
"""

from __future__ import annotations

import codecs
import re
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
REPAIR_UTF8_UNDER_SINGLE_BYTE = "utf8_declared_single_byte"  # case 2, a Western charset
REPAIR_UTF8_UNDER_OTHER = "utf8_declared_other"  # case 2, any other (gb2312, shift_jis, koi8-r)
REPAIR_UNDECLARED = "undeclared_not_utf8"  # case 3
REPAIR_UNDECLARED_MOSTLY_UTF8 = "undeclared_mostly_utf8"  # case 3, UTF-8 with a stray byte

# One well-formed multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates).
UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ASCII = bytes(range(128))


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


def mostly_utf8(body: bytes) -> bool:
    """Whether ``body``, not valid UTF-8 as a whole, still reads as UTF-8 with a few bad bytes:
    it has more well-formed multi-byte sequences than non-ASCII bytes outside them.

    Windows-1252 text almost never forms a multi-byte UTF-8 sequence ("é" then two bytes of
    0x80-0xBF), so a legacy page scores none, while a UTF-8 page with one stray byte scores
    one per accented letter.
    """
    non_ascii = len(body.translate(None, _ASCII))
    sequences = UTF8_MULTIBYTE.findall(body)
    stray = non_ascii - sum(map(len, sequences))
    return len(sequences) > stray


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
        if utf8:
            return None
        if mostly_utf8(body):
            return "utf-8", REPAIR_UNDECLARED_MOSTLY_UTF8
        return UNDECLARED_FALLBACK_ENCODING, REPAIR_UNDECLARED
    if declared == "utf-8" and not utf8:
        # UTF-8 with a stray byte stays UTF-8 (the byte becomes U+FFFD)
        return None if mostly_utf8(body) else (UNDECLARED_FALLBACK_ENCODING, REPAIR_DECLARED_UTF8)
    if declared != "utf-8" and utf8:
        if declared in SINGLE_BYTE_WESTERN:
            return "utf-8", REPAIR_UTF8_UNDER_SINGLE_BYTE
        return "utf-8", REPAIR_UTF8_UNDER_OTHER
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
