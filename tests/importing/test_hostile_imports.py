"""Files built to exhaust an import: zip bombs in Word and OpenDocument clothing, a
part that lies about its size, a PDF whose text outgrows the file. Each is refused
with a reason, quickly, in bounded memory; the files after it are still imported."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from annotator.importing import readers
from annotator.importing.formats import format_of
from annotator.importing.model import ReadOptions
from annotator.importing.pipeline import import_documents, import_paths
from annotator.importing.unpacking import (
    HTML_TAGS,
    MAX_PARTS,
    MAX_PDF_PAGES,
    OPENDOCUMENT_TAGS,
    UNPACKED_BYTES,
    WORD_TAGS,
)
from annotator.store.project import open_project

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
WORD_PARAGRAPH = b"<w:p><w:r><w:t>aaaa</w:t></w:r></w:p>"  # 6 tags in 38 bytes
ODT_PARAGRAPH = b"<text:p>aaaa</text:p>"


def _write_repeated(stream: object, unit: bytes, size: int) -> None:
    block = unit * (2**20 // len(unit))
    written = 0
    while written < size:
        stream.write(block)  # type: ignore[attr-defined]
        written += len(block)


def word_bomb(path: Path, size: int) -> Path:
    """A Word file whose document part unpacks to ``size`` bytes of paragraphs,
    written through a streaming writer (nothing of that size is held)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><w:document {W}><w:body>'.encode())
            _write_repeated(part, WORD_PARAGRAPH, size)
            part.write(b"</w:body></w:document>")
    return path


def odt_bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        with archive.open("content.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names'
                b':tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:'
                b'opendocument:xmlns:text:1.0"><office:body><office:text>'
            )
            _write_repeated(part, ODT_PARAGRAPH, size)
            part.write(b"</office:text></office:body></office:document-content>")
    return path


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="measures the child with wait4")
def test_a_word_zip_bomb_is_refused_in_bounded_memory_and_time(tmp_path):
    """A 0.2 MB .docx unpacking to 64 MB of XML, in a real ``annotator import``:
    refused before parsing (the old import took gigabytes and minutes)."""
    bomb = word_bomb(tmp_path / "bomb.docx", 64 * 2**20)
    assert bomb.stat().st_size < 2**20
    (tmp_path / "z.txt").write_text("A text after the bomb.\n", encoding="utf-8")
    project_path = tmp_path / "p.annotator"
    out = tmp_path / "out.txt"

    def limit() -> None:  # a safety net for the machine if the bound fails
        import resource

        try:
            resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
        except (ValueError, OSError):  # macOS does not lower it
            pass

    started = time.monotonic()
    with out.open("w", encoding="utf-8") as stdout:
        child = subprocess.Popen(
            [sys.executable, "-m", "annotator", "import", project_path, bomb, tmp_path / "z.txt"],
            stdout=stdout,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            preexec_fn=limit,
        )
        while (waited := os.wait4(child.pid, os.WNOHANG))[0] == 0:
            if time.monotonic() - started > 60:
                child.kill()
                pytest.fail("the import of the bomb did not end within a minute")
            time.sleep(0.02)
    _pid, status, usage = waited
    child.returncode = os.waitstatus_to_exitcode(status)
    output = out.read_text(encoding="utf-8")
    assert child.returncode == 0, output
    assert re.search(
        rf"^rejected  bomb\.docx: the Word file unpacks to 6\d\.\d MB, more than "
        rf"{UNPACKED_BYTES / 2**20:g} MB; save it without images, or as plain text$",
        output,
        re.M,
    )
    assert "imported  z.txt (utf-8)" in output
    # the whole process, Python included; in kilobytes (bytes on macOS)
    assert usage.ru_maxrss < 300 * 2**20 / (1 if sys.platform == "darwin" else 1024)
    assert time.monotonic() - started < 30
    with open_project(project_path) as project:
        assert [d.file_name for d in project.documents()] == ["z.txt"]


@pytest.mark.parametrize(
    ("maker", "unit", "tags", "kind"),
    [
        (word_bomb, WORD_PARAGRAPH, WORD_TAGS, "Word"),
        (odt_bomb, ODT_PARAGRAPH, OPENDOCUMENT_TAGS, "OpenDocument"),
    ],
)
def test_xml_with_more_elements_than_a_parser_can_hold_is_refused(
    project, tmp_path, maker, unit, tags, kind
):
    """Small enough unpacked, but so dense in elements that parsing would take
    hundreds of megabytes: refused from a count of the tags, read chunk by chunk."""
    size = (tags // unit.count(b"<") + 50_000) * len(unit)
    assert size < UNPACKED_BYTES
    path = maker(tmp_path / f"dense.{'docx' if kind == 'Word' else 'odt'}", size)
    started = time.monotonic()
    (outcome,) = import_documents(project, path)
    assert time.monotonic() - started < 20  # refused without parsing: no hang (not a timing target)
    assert outcome.status == "rejected"
    assert outcome.reason == (
        f"the {kind} document is too large to read: it holds more than {tags:,} XML "
        "tags; split it, or save it as plain text"
    )
    assert project.documents() == []


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused(project, tmp_path):
    path = word_bomb(tmp_path / "liar.docx", 2**20)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    true_size = info.file_size.to_bytes(4, "little")
    # zip64: the sizes are in the extra fields; lie in every place a reader may look
    for start in range(len(data) - 8):
        if data[start : start + 8] == info.file_size.to_bytes(8, "little"):
            data[start : start + 8] = (1000).to_bytes(8, "little")
    data = data.replace(true_size, (1000).to_bytes(4, "little"))
    path.write_bytes(bytes(data))
    (outcome,) = import_documents(project, path)
    assert outcome.status == "rejected"
    assert "corrupt" in outcome.reason
    assert project.documents() == []


def test_a_pdf_whose_text_outgrows_the_limit_is_refused_as_it_is_extracted(project, tmp_path):
    from fpdf import FPDF

    pdf = FPDF()  # content streams compressed: far more text than file
    pdf.set_font("helvetica", size=8)
    for _page in range(6):
        pdf.add_page()
        for _line in range(60):
            pdf.cell(text="The minister said the talks would continue next week. " * 2)
            pdf.ln()
    pdf.output(str(tmp_path / "long.pdf"))
    size = (tmp_path / "long.pdf").stat().st_size
    (tmp_path / "z.txt").write_text("A short text.\n", encoding="utf-8")
    limit = size + 100
    report = import_paths(project, [tmp_path / "long.pdf", tmp_path / "z.txt"], max_bytes=limit)
    long, short = report.outcomes
    assert long.status == "rejected"
    assert long.reason == (
        f"the PDF text is longer than the limit ({limit:,} characters); split it"
    )
    assert short.status == "imported"
    assert [d.file_name for d in project.documents()] == ["z.txt"]


def _pdf_of_blank_pages(path: Path, count: int, operations: int = 0) -> Path:
    """A valid PDF of ``count`` pages, written directly (quick at any count); with
    ``operations``, they all show text from one compressed content stream that runs
    that many operations."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (3 + n) for n in range(count))
        + b"] /Count %d >>" % count,
    ]
    if operations:
        shown = b"BT /F1 12 Tf 1 1 Td\n" + b"(news) Tj\n" * (operations - 4) + b"ET\n"
        stream = zlib.compress(shown)
        objects += [
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ]
        first = len(objects) + 1
        objects[1] = (
            b"<< /Type /Pages /Kids ["
            + b" ".join(b"%d 0 R" % (first + n) for n in range(count))
            + b"] /Count %d >>" % count
        )
        page = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Resources << /Font "
            b"<< /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    objects += [page] * count
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def test_a_pdf_of_too_many_pages_is_refused_before_any_is_extracted(project, tmp_path):
    path = _pdf_of_blank_pages(tmp_path / "pages.pdf", MAX_PDF_PAGES + 1)
    started = time.monotonic()
    (outcome,) = import_documents(project, path)
    assert time.monotonic() - started < 20  # refused without parsing: no hang (not a timing target)
    assert outcome.status == "rejected"
    assert outcome.reason == (
        f"the PDF has {MAX_PDF_PAGES + 1:,} pages, more than {MAX_PDF_PAGES:,}; split it"
    )
    small = _pdf_of_blank_pages(tmp_path / "small.pdf", 3)  # the same file, smaller, is read
    (outcome,) = import_documents(project, small)
    assert "no text layer" in outcome.reason


def test_a_pdf_whose_pages_run_too_many_operations_is_refused(project, tmp_path, monkeypatch):
    """Pages sharing one small compressed content stream that runs many operations
    each: extraction stops at the bound (lowered here, to be quick) with a reason."""
    path = _pdf_of_blank_pages(tmp_path / "busy.pdf", 5, operations=2000)
    assert path.stat().st_size < 2000
    monkeypatch.setattr(readers, "MAX_PDF_OPERATIONS", 9000)
    (outcome,) = import_documents(project, path)
    assert outcome.status == "rejected"
    assert outcome.reason == (
        "the PDF is too complex to read: its pages draw more than 9,000 operations; "
        "split it, or save it as plain text"
    )
    monkeypatch.setattr(readers, "MAX_PDF_OPERATIONS", 10_000)  # just enough: it is read
    (outcome,) = import_documents(project, path)
    assert outcome.status == "imported", outcome.reason
    assert project.document_text(outcome.document.id).count("news") == 5 * 1996


def test_a_web_page_of_more_tags_than_the_parser_can_hold_is_refused(project, tmp_path):
    page = tmp_path / "tags.html"
    page.write_bytes(b"<html><body>" + b"<p>" * HTML_TAGS + b"</body></html>")
    started = time.monotonic()
    (outcome,) = import_documents(project, page)
    assert time.monotonic() - started < 20  # refused without parsing: no hang (not a timing target)
    assert outcome.status == "rejected"
    assert outcome.reason == (
        f"the page is too large to read: it holds more than {HTML_TAGS:,} tags; "
        "save it as plain text"
    )
    page.write_bytes(b"<html><body>" + b"<p>Kim said no." * 1000 + b"</body></html>")
    (outcome,) = import_documents(project, page)
    assert outcome.status == "imported"


def test_a_large_text_is_read_without_copies_of_it(tmp_path):
    """Reading a plain-text file holds its bytes and its text, and no stripped or
    split copies of the text (an emoji makes Python hold 4 bytes a character)."""
    import tracemalloc

    line = "👍🏽 Kim said no. " * 4 + "\n"
    path = tmp_path / "large.txt"
    path.write_text(line * (4 * 2**20 // len(line.encode())), encoding="utf-8")
    tracemalloc.start()
    try:
        (extracted,) = format_of(path).documents(path, ReadOptions())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert extracted.title == line.strip()
    assert peak < 2.2 * sys.getsizeof(extracted.text)


def test_a_pdf_page_of_too_much_content_is_refused_before_it_is_parsed(
    project, tmp_path, monkeypatch
):
    """A page's content stream is parsed whole by pypdf: one that unpacks to more
    than the bound (lowered here, to be quick) is refused before that."""
    path = _pdf_of_blank_pages(tmp_path / "dense.pdf", 2, operations=3000)
    monkeypatch.setattr(readers, "MAX_PDF_PAGE_CONTENT", 20_000)
    (outcome,) = import_documents(project, path)
    assert outcome.status == "rejected"
    assert outcome.reason == (
        "the PDF is too complex to read: page 1 draws more than 0.0190735 MB of content; "
        "split it, or save it as plain text"
    )
    monkeypatch.setattr(readers, "MAX_PDF_PAGE_CONTENT", 40_000)
    (outcome,) = import_documents(project, path)
    assert outcome.status == "imported", outcome.reason


@pytest.mark.parametrize(
    ("name", "kind"),
    [("parts.docx", "Word"), ("parts.odt", "OpenDocument"), ("parts.xlsx", "Excel")],
)
def test_a_zip_of_too_many_parts_is_refused_before_its_directory_is_read(
    project, tmp_path, name, kind
):
    """Each part costs memory when the zip's directory is read: 400,000 empty parts
    in 34 MB took 334 MB. A document holds tens of parts."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        for number in range(MAX_PARTS):
            archive.writestr(zipfile.ZipInfo(f"p/{number:x}"), b"")
    (outcome,) = import_documents(project, path)
    assert outcome.status == "rejected"
    assert outcome.reason == (
        f"the {kind} file holds more than {MAX_PARTS:,} parts; it is damaged or built to "
        "exhaust memory"
    )
