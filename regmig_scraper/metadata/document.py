"""Parse a page once into an lxml tree, decoding bytes the way a browser would.

Bytes are decoded by their BOM; else as UTF-8 when they are valid UTF-8 with some non-ASCII
byte, whatever they declare (legacy text that happens to be valid UTF-8 is vanishingly rare,
while pages re-encoded as UTF-8 under their old ``<meta charset="gb2312">`` are common in
archives and saved copies); else by the ``<meta charset>`` / ``http-equiv`` declaration in the
first 4 KB; else as windows-1252 (the HTML standard's default for Western pages, and what
browsers read for a declared latin-1 or ASCII). Pure functions; no settings.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

# The element type of the parsed tree (lxml's plain elements: no per-element class lookup, which
# costs a third of the parse in lxml.html).
Element = etree._Element

# The first bytes searched for a charset declaration.
DECLARATION_WINDOW = 4096
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
UNDECLARED_FALLBACK_ENCODING = "cp1252"
# An XML declaration, whose encoding would contradict the UTF-8 the parser is told.
XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
NOT_BLANK = re.compile(rb"\S")

# Fed UTF-8 bytes, whatever the page's own encoding: the text is decoded first (``decode``), and
# libxml2 reads bytes of a known encoding faster than a Python str (measured: 14 % of the parse).
# No table of the ``id`` attributes is built (``collect_ids``): nothing looks an element up by
# its id, and the table costs 3 % of the parse.
_PARSER = etree.HTMLParser(
    remove_comments=True,
    remove_pis=True,
    default_doctype=False,
    encoding="utf-8",
    collect_ids=False,
)


def decode(data: bytes) -> str:
    """The text of an HTML document given as bytes (see the module docstring)."""
    encoding, payload = _encoding(data)
    if encoding == "utf-8":
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode(UNDECLARED_FALLBACK_ENCODING, errors="replace")
    return payload.decode(encoding, errors="replace")


def _encoding(data: bytes) -> tuple[str, bytes]:
    """(encoding, the bytes after a BOM): "utf-8" when the bytes are to be tried as UTF-8
    first, falling back to windows-1252."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            # a BOM is believed: its bytes are decoded with replacements, never as windows-1252
            return ("utf_8" if encoding == "utf-8" else encoding), data[len(bom) :]
    declared = META_CHARSET.search(data[:DECLARATION_WINDOW])
    if declared:
        try:
            name = codecs.lookup(declared.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            name = None
        if name and name != "utf-8" and not _reads_as_utf8(data):
            # ASCII bytes keep their declaration: ISO-2022-JP is written in them
            return WHATWG_ALIASES.get(name, name), data
    return "utf-8", data


# Declarations browsers read as another encoding (the WHATWG Encoding standard): latin-1 and
# ASCII as windows-1252, a UTF-16 ``<meta>`` (bytes that reach the parser are no UTF-16) as UTF-8.
WHATWG_ALIASES = {
    "iso8859-1": UNDECLARED_FALLBACK_ENCODING,
    "ascii": UNDECLARED_FALLBACK_ENCODING,
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}


def _reads_as_utf8(data: bytes) -> bool:
    """True when the bytes are valid UTF-8 and not all ASCII."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")  # validates in C; the str is dropped at once
    except UnicodeDecodeError:
        return False
    return True


def _utf8(data: bytes) -> bytes:
    """The document as UTF-8 bytes: the bytes themselves when they are UTF-8 already (no
    decoding to a str and encoding back, a tenth of the parse)."""
    encoding, payload = _encoding(data)
    if encoding == "utf-8":
        try:
            payload.decode("utf-8")  # validates in C; the str is dropped at once
            return payload
        except UnicodeDecodeError:
            encoding = UNDECLARED_FALLBACK_ENCODING
    return payload.decode(encoding, errors="replace").encode("utf-8")


def parse_html(source: str | bytes) -> Element | None:
    """The document's root element, or None when there is nothing to parse."""
    # "replace": a str handed in may hold lone surrogates, which UTF-8 cannot carry
    data = _utf8(source) if isinstance(source, bytes) else source.encode("utf-8", "replace")
    data = XML_DECLARATION.sub(b"", data, count=1)
    if NOT_BLANK.search(data) is None:
        return None
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root
