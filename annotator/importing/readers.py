"""Readers of the formats that hold one document per file: plain text, HTML,
Word, PDF, RTF and OpenDocument. Each turns a file into its text, encoding and
title (a list of one :class:`Extracted`), as ``annotator.importing.formats``
registers them.

Each reader raises ``ImportRejected`` with a reason a user understands; the
text they return is not yet canonical (``Project.import_text`` does that).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from annotator.importing.encodings import (
    Decoded,
    decode_as,
    decode_data,
    decode_with,
    read_bytes,
)
from annotator.importing.model import Extracted, ImportRejected, ReadOptions
from annotator.importing.unpacking import (
    HTML_TAGS,
    MAX_PDF_OPERATIONS,
    MAX_PDF_PAGE_CONTENT,
    MAX_PDF_PAGES,
    OPENDOCUMENT_TAGS,
    WORD_TAGS,
    check_text_length,
    check_unpacked,
)

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: encrypted Office file


def first_line(text: str) -> str:
    """The first line that holds anything, stripped; reads only as far as it (a
    large text is not split whole)."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        if size < len(text):
            lines = lines[:-1]  # it may go on past the piece
        found = next((line.strip() for line in lines if line.strip()), None)
        if found is not None or size >= len(text):
            return found or ""
        size *= 4


def blank(text: str) -> bool:
    """Nothing but white space (what ``not text.strip()`` says, without a copy)."""
    return not text or text.isspace()


def read_plain(path: Path, options: ReadOptions) -> list[Extracted]:
    decoded = decode_with(read_bytes(path, options.max_bytes), options.encoding)
    title = first_line(decoded.text)
    if path.suffix.lower() == ".md":
        title = title.lstrip("#").strip()
    return [
        Extracted(
            decoded.text, decoded.encoding, title, decoded.certain, confidence=decoded.confidence
        )
    ]


# -- HTML ---------------------------------------------------------------------
_BLOCK = frozenset(
    "address article aside blockquote body br dd details div dl dt fieldset figcaption figure"
    " footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody"
    " thead tfoot tr ul caption".split()
)
_HIDDEN = frozenset("script style noscript template head svg object iframe".split())
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# What a browser decodes a page's declared charset as (the WHATWG encoding
# standard): "iso-8859-1" and "us-ascii" mean Windows-1252, whose curly quotes and
# dashes pages so labelled hold; the East Asian labels mean Microsoft's supersets.
_CHARSET_AS = {
    **dict.fromkeys(
        "ascii us-ascii iso-8859-1 iso8859-1 iso_8859-1 latin1 latin-1 l1 cp819 ibm819"
        " iso-ir-100 csisolatin1 x-cp1252".split(),
        "cp1252",
    ),
    **dict.fromkeys("iso-8859-9 iso8859-9 latin5 l5 iso-ir-148".split(), "cp1254"),
    **dict.fromkeys("tis-620 iso-8859-11 iso8859-11".split(), "cp874"),
    **dict.fromkeys("gb2312 gb_2312-80 csgb2312 x-gbk".split(), "gbk"),
    **dict.fromkeys("shift_jis shift-jis sjis x-sjis ms_kanji csshiftjis".split(), "cp932"),
    **dict.fromkeys("euc-kr ks_c_5601-1987 ksc5601 cseuckr".split(), "cp949"),
}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.pre = 0
        self.title = ""
        self.heading = ""
        self._in_title = False
        self._in_heading = False
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag == "body" and self._in_head:  # </head> may be left out
            self._in_head = False
            self.hidden = max(0, self.hidden - 1)
        if tag == "head":
            self._in_head = True
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in ("td", "th"):
            self.parts.append("\t")
        elif tag in _BLOCK:
            self.parts.append("\n")
            self.pre += tag == "pre"
            self._in_heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6") and not self.heading

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <br/> is one break, as <br> is
        if tag not in _BLOCK:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "head":
            if not self._in_head:
                return  # closed already where the body began
            self._in_head = False
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")
            self.pre -= tag == "pre" and self.pre > 0
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self.hidden:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        if self._in_heading:
            self.heading += data
        self.parts.append(data)

    def text(self) -> str:
        # Each step lets go of the one before: a large page is held twice at most.
        lines = "".join(self.parts).split("\n")
        self.parts.clear()
        for index, line in enumerate(lines):
            lines[index] = re.sub(r" *\t[ \t]*", "\t", line.strip(" \t"))
        text = "\n".join(lines)
        del lines
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def read_html(path: Path, options: ReadOptions) -> list[Extracted]:
    data = read_bytes(path, options.max_bytes)
    if data.count(b"<") > HTML_TAGS:  # the parser's memory and time grow with the tags
        raise ImportRejected(
            f"the page is too large to read: it holds more than {HTML_TAGS:,} tags; "
            "save it as plain text"
        )
    if not options.encoding:
        match = _META_CHARSET.search(data[:4096])
        if match is not None and not data.startswith(_BOMS):  # a BOM wins, as in browsers
            label = match.group(1).decode("ascii").lower()
            label = _CHARSET_AS.get(label, label)
            try:
                decoded = Decoded(decode_as(data, label), label, True)
            except ImportRejected:
                decoded = decode_data(data)
        else:
            decoded = decode_data(data)
    else:
        decoded = decode_with(data, options.encoding)
    del data
    parser = _TextParser()
    parser.feed(decoded.text)
    parser.close()
    encoding, certain, confidence = decoded.encoding, decoded.certain, decoded.confidence
    del decoded
    text = parser.text()
    if blank(text):
        raise ImportRejected("the page has no visible text")
    title = " ".join(parser.heading.split()) or " ".join(parser.title.split())
    return [Extracted(text, encoding, title or first_line(text), certain, confidence=confidence)]


# -- Office and PDF --------------------------------------------------------------
def check_zip(data: bytes, kind: str) -> None:
    if data.startswith(_CFB_MAGIC):
        raise ImportRejected(
            f"the {kind} file is password-protected (encrypted); "
            "save an unprotected copy and import that"
        )
    if not data.startswith(b"PK"):
        raise ImportRejected(f"the file is not a valid {kind} document (corrupt or wrong type)")


def _declares_entities(document: Any) -> bool:
    """Whether an XML part python-docx read has a DOCTYPE. Its parser does not
    resolve entities (so an external one cannot read a file), but then the text
    of a paragraph stops at the first entity reference, without a word."""
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is not None and element.getroottree().docinfo.doctype:
            return True
    return False


# Word's XML, read a block at a time in reading order. python-docx's own paragraphs
# and tables leave out what sits in a content control (w:sdt), a tracked insertion
# (w:ins), a smart tag or a field's result, and give a merged cell once per column
# it spans; these read every w:t Word shows, once.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WRAPPERS = frozenset(f"{_W}{t}" for t in ("sdt", "sdtContent", "customXml", "smartTag"))
# Not read inside a paragraph: a text box's own paragraphs (python-docx leaves them
# out too), the copy of a drawing for older readers, a deletion Word keeps tracked.
_SKIPPED = frozenset(
    [
        f"{_W}txbxContent",
        f"{_W}del",
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
    ]
)


def _docx_children(element: Any, tag: str) -> Iterator[Any]:
    """``element``'s children named ``tag``, and those inside content controls."""
    for child in element:
        if child.tag == f"{_W}{tag}":
            yield child
        elif child.tag in _WRAPPERS:
            yield from _docx_children(child, tag)


def _docx_blocks(body: Any) -> Iterator[tuple[str, Any]]:
    """The body's paragraphs ("p") and table rows ("tr") in reading order."""
    for child in body:
        if child.tag == f"{_W}p":
            yield "p", child
        elif child.tag == f"{_W}tbl":
            for row in _docx_children(child, "tr"):
                yield "tr", row
        elif child.tag in _WRAPPERS:
            yield from _docx_blocks(child)


def _docx_paragraphs(element: Any) -> Iterator[Any]:
    """Every paragraph inside ``element`` (a cell: its own, and its tables')."""
    for child in element:
        if child.tag == f"{_W}p":
            yield child
        elif child.tag not in _SKIPPED:
            yield from _docx_paragraphs(child)


def _docx_runs(element: Any) -> Iterator[Any]:
    for child in element:
        if child.tag == f"{_W}r":
            yield child
        elif child.tag not in _SKIPPED and child.tag != f"{_W}p":
            yield from _docx_runs(child)


def _docx_paragraph_text(paragraph: Any) -> str:
    """What Word shows of a paragraph: each run's text (python-docx's, with its tabs
    and breaks), inside insertions, hyperlinks, smart tags and fields too."""
    return "".join(run.text for run in _docx_runs(paragraph))


def read_docx(path: Path, options: ReadOptions) -> list[Extracted]:
    import io

    import docx
    from docx.text.paragraph import Paragraph

    data = read_bytes(path, options.max_bytes)
    check_zip(data, "Word")
    check_unpacked(data, "Word", WORD_TAGS)
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        heading = ""
        for kind, element in _docx_blocks(document.element.body):
            if kind == "p":
                text = _docx_paragraph_text(element)
                lines.append(text)
                paragraph = Paragraph(element, document._body)
                style = paragraph.style.name if paragraph.style is not None else ""
                if not heading and text.strip() and style.startswith(("Heading", "Title")):
                    heading = text.strip()
            else:
                lines.append(
                    "\t".join(
                        " ".join(_docx_paragraph_text(p) for p in _docx_paragraphs(cell)).strip()
                        for cell in _docx_children(element, "tc")
                    )
                )
        title = (document.core_properties.title or "").strip()
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise ImportRejected(
            f"the Word file is corrupt or unreadable ({type(exc).__name__})"
        ) from None
    if _declares_entities(document):
        raise ImportRejected(
            "the Word file declares its own XML entities (a DOCTYPE), which Word never "
            "writes; their text cannot be read safely, so the file is refused"
        )
    text = "\n".join(lines)
    check_text_length(len(text), "Word", options.max_bytes)
    if blank(text):
        raise ImportRejected("the Word document contains no text")
    return [Extracted(text, "", title or heading or first_line(text))]


def _content_bytes(page: Any) -> int:  # a pypdf page
    """The size of a PDF page's content streams, unpacked (pypdf bounds each); 0
    when they cannot be unpacked (extracting the text then says what is wrong)."""
    try:
        contents = page.get("/Contents")
        if contents is None:
            return 0
        contents = contents.get_object()
        streams = contents if isinstance(contents, list) else [contents]
        return sum(len(stream.get_object().get_data()) for stream in streams)
    except Exception:  # noqa: BLE001 (pypdf raises many kinds on a damaged stream)
        return 0


def read_pdf(path: Path, options: ReadOptions) -> list[Extracted]:
    import io

    from pypdf import PdfReader

    data = read_bytes(path, options.max_bytes)
    if not data.lstrip()[:5] == b"%PDF-":
        raise ImportRejected("the file is not a valid PDF (corrupt or wrong type)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportRejected("the PDF is password-protected; save an unprotected copy")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ImportRejected(
                f"the PDF has {len(reader.pages):,} pages, more than {MAX_PDF_PAGES:,}; split it"
            )
        pages: list[str] = []
        length = operations = 0

        def count(*_args: object) -> None:  # each drawing operation, as pypdf reads it
            nonlocal operations
            operations += 1
            if operations > MAX_PDF_OPERATIONS:
                raise ImportRejected(
                    f"the PDF is too complex to read: its pages draw more than "
                    f"{MAX_PDF_OPERATIONS:,} operations; split it, or save it as plain text"
                )

        for number, page in enumerate(reader.pages, start=1):
            # pypdf parses a page's content whole before extracting: bound it first
            if _content_bytes(page) > MAX_PDF_PAGE_CONTENT:
                raise ImportRejected(
                    f"the PDF is too complex to read: page {number} draws more than "
                    f"{MAX_PDF_PAGE_CONTENT / 2**20:g} MB of content; split it, or save it as "
                    "plain text"
                )
            # the text is held to the limit as it is extracted
            pages.append(page.extract_text(visitor_operand_before=count) or "")
            length += len(pages[-1]) + 2
            check_text_length(length, "PDF", options.max_bytes)
        title = str((reader.metadata.title if reader.metadata else None) or "").strip()
    except ImportRejected:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise ImportRejected(f"the PDF is corrupt or unreadable ({type(exc).__name__})") from None
    text = "\n\n".join(page.strip("\n") for page in pages)
    if blank(text):
        raise ImportRejected(
            "the PDF has no text layer (probably a scan); run OCR on it first "
            "(e.g. OCRmyPDF) and import the result"
        )
    return [Extracted(text, "", title or first_line(text))]


def read_rtf(path: Path, options: ReadOptions) -> list[Extracted]:
    from striprtf.striprtf import rtf_to_text

    data = read_bytes(path, options.max_bytes)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ImportRejected("the file is not a valid RTF document")
    codepage = options.encoding or "cp1252"
    match = re.search(rb"\\ansicpg(\d+)", data[:2048])
    if match is not None and not options.encoding:
        codepage = f"cp{int(match.group(1))}"
    try:
        # striprtf declares itself typed (py.typed) but leaves rtf_to_text unannotated.
        text = rtf_to_text(data.decode("latin-1"), encoding=codepage, errors="strict")  # type: ignore[no-untyped-call]
    except (UnicodeDecodeError, LookupError) as exc:
        raise ImportRejected(f"the RTF text cannot be decoded as {codepage} ({exc})") from None
    except Exception as exc:  # striprtf on a damaged file
        raise ImportRejected(f"the RTF file is corrupt ({type(exc).__name__})") from None
    # Word writes a character beyond the BMP (an emoji) as two \u escapes, the halves
    # of its UTF-16 surrogate pair: joined here (a half alone becomes U+FFFD).
    if re.search("[\ud800-\udfff]", text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if blank(text):
        raise ImportRejected("the RTF document contains no text")
    return [Extracted(text, codepage, first_line(text))]


def _odt_blocks(node: object, text_ns: str, table_ns: str) -> Iterator[tuple[str, str]]:
    from odf import teletype

    for child in getattr(node, "childNodes", ()):
        qname = getattr(child, "qname", None)
        if qname in ((text_ns, "p"), (text_ns, "h")):
            yield qname[1], teletype.extractText(child)
        elif qname == (table_ns, "table-row"):
            cells = [
                " ".join(t for _k, t in _odt_blocks(cell, text_ns, table_ns))
                for cell in child.childNodes
                if getattr(cell, "qname", None) == (table_ns, "table-cell")
            ]
            yield "row", "\t".join(cells)
        else:
            yield from _odt_blocks(child, text_ns, table_ns)


def read_odt(path: Path, options: ReadOptions) -> list[Extracted]:
    import io

    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    data = read_bytes(path, options.max_bytes)
    check_zip(data, "OpenDocument")
    check_unpacked(data, "OpenDocument", OPENDOCUMENT_TAGS)
    try:
        document = load(io.BytesIO(data))
        blocks = list(_odt_blocks(document.text, TEXTNS, TABLENS))
        title = ""
        for element in document.meta.childNodes:
            if getattr(element, "qname", (None, None))[1] == "title":
                title = str(element).strip()
    except Exception as exc:  # odfpy raises many kinds on a damaged file
        raise ImportRejected(f"the OpenDocument file is corrupt ({type(exc).__name__})") from None
    text = "\n".join(t for _k, t in blocks)
    check_text_length(len(text), "OpenDocument", options.max_bytes)
    if blank(text):
        raise ImportRejected("the OpenDocument file contains no text")
    heading = next((t.strip() for k, t in blocks if k == "h" and t.strip()), "")
    return [Extracted(text, "", title or heading or first_line(text))]
