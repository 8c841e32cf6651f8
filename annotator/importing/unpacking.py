"""Bounds on what a document file unpacks to (checked before it is parsed) and on
what is extracted from it.

A file on disk is at most the import limit (``MAX_BYTES``), but a Word or
OpenDocument file is a zip: a megabyte can unpack to gigabytes of XML, and its
parser holds every element in memory. Before such a file is handed to its
parser, :func:`check_unpacked` reads the archive once, in bounded memory:

- it may hold at most :data:`MAX_PARTS` parts;
- the sizes its parts declare may add up to at most :data:`UNPACKED_BYTES`;
- the bytes actually unpacked, counted as they come (a part can lie about its
  size), may too;
- its XML parts together may hold at most ``max_tags`` tags (counted as ``<``),
  what the parser's memory grows with.

Whatever a reader extracts is then held to :data:`MAX_TEXT_CHARS` characters
(:func:`check_text_length`); a PDF's text while its pages are extracted, as are
the drawing operations they run (:data:`MAX_PDF_OPERATIONS`) and, before a page is
read, its content (:data:`MAX_PDF_PAGE_CONTENT`); a PDF of more than
:data:`MAX_PDF_PAGES` pages is refused before any page is read.
"""

from __future__ import annotations

import io
import zipfile

from annotator.importing.model import MAX_BYTES, ImportRejected

UNPACKED_BYTES = 40 * 2**20  # what a Word or OpenDocument file may unpack to, all parts
MAX_PARTS = 10_000  # the parts (files) in its zip: a document has tens, with images hundreds
# The tags (opening and closing ones) the XML parts may hold: what a parser holds in
# memory grows with them (python-docx about 110 bytes a tag, odfpy about 450). Some
# 40,000 paragraphs of ordinary Word or OpenDocument formatting.
WORD_TAGS = 600_000
OPENDOCUMENT_TAGS = 250_000
HTML_TAGS = 4_000_000  # a web page's tags (about 30 bytes each in the parser's memory)
# The longest text an import extracts from a document: as many characters (code
# points) as the file limit has bytes (50 Mi: what a plain-text file of the limit can
# hold); a reader is given the limit with the file.
MAX_TEXT_CHARS = MAX_BYTES
MAX_PDF_PAGES = 10_000  # a PDF's pages are extracted one by one; more are refused at once
# The drawing operations a PDF's pages may run while their text is extracted (a page
# of text runs a few hundred; pages can share one content stream, a few kilobytes
# compressed, that runs hundreds of thousands each, some 30 to 70 µs apiece).
MAX_PDF_OPERATIONS = 500_000
# What one page's content may unpack to: pypdf parses it whole before extracting
# (about 35 bytes of memory per byte). A page of text draws some kilobytes.
MAX_PDF_PAGE_CONTENT = 4 * 2**20
_CHUNK = 1 << 20


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def check_parts(data: bytes, kind: str) -> None:
    """Refuse a zip of more than :data:`MAX_PARTS` parts before its directory is
    read (some 800 bytes of memory a part). The count is an upper bound: a part's
    header signature could occur inside packed data."""
    if data.count(b"PK\x01\x02") > MAX_PARTS:
        raise ImportRejected(
            f"the {kind} file holds more than {MAX_PARTS:,} parts; it is damaged or built "
            "to exhaust memory"
        )


def check_declared(data: bytes, kind: str, max_bytes: int, advice: str) -> None:
    """Refuse a zip-packed ``kind`` file whose parts declare more than ``max_bytes``
    unpacked, before any is unpacked (``advice``: what the user can do instead)."""
    check_parts(data, kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRejected(
            f"the {kind} file is corrupt (not a valid zip archive: {exc})"
        ) from None
    if declared > max_bytes:
        raise ImportRejected(
            f"the {kind} file unpacks to {_megabytes(declared)}, more than "
            f"{max_bytes / 2**20:g} MB; {advice}"
        )


def check_unpacked(data: bytes, kind: str, max_tags: int, max_bytes: int = UNPACKED_BYTES) -> None:
    """Refuse a zip-packed ``kind`` document that unpacks to more than ``max_bytes``
    or whose XML holds more than ``max_tags`` tags; reads one chunk at a time."""
    check_declared(data, kind, max_bytes, "save it without images, or as plain text")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            unpacked = tags = 0
            for part in parts:
                xml = part.filename.lower().endswith((".xml", ".rels"))
                with archive.open(part) as stream:
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > max_bytes:  # a part unpacks to more than it says
                            raise ImportRejected(
                                f"the {kind} file unpacks to more than {max_bytes / 2**20:g} MB"
                                " (more than its parts declare: it is damaged or built to"
                                " exhaust memory)"
                            )
                        if xml:
                            tags += chunk.count(b"<")
                            if tags > max_tags:
                                raise ImportRejected(
                                    f"the {kind} document is too large to read: it holds more "
                                    f"than {max_tags:,} XML tags; split it, or save it as "
                                    "plain text"
                                )
    except ImportRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRejected(
            f"the {kind} file is corrupt (not a valid zip archive: {exc})"
        ) from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted part, unknown compression
        raise ImportRejected(f"the {kind} file cannot be unpacked ({exc})") from None


def check_text_length(length: int, kind: str, max_chars: int = MAX_TEXT_CHARS) -> None:
    """Refuse a text of more than ``max_chars`` characters extracted from a ``kind`` file."""
    if length > max_chars:
        raise ImportRejected(
            f"the {kind} text is longer than the limit ({max_chars:,} characters); split it"
        )
