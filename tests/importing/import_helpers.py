"""Files for the import tests, generated in tmp_path, and a round-trip check."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from annotator.store.project import open_project


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Summit in Pyongyang", level=1)
    document.add_paragraph("Putin met Kim on Tuesday.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Actor"
    table.cell(0, 1).text = "Claim"
    table.cell(1, 0).text = "Kim"
    table.cell(1, 1).text = "no deal 👍🏽"
    document.add_paragraph("Seoul responded later.")
    document.save(str(path))
    return path


DOCX_TEXT = (
    "Summit in Pyongyang\nPutin met Kim on Tuesday.\nActor\tClaim\nKim\tno deal 👍🏽\n"
    "Seoul responded later."
)


def make_pdf(path: Path, text: bool = True, password: str = "") -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Press release")
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.add_page()
    if text:
        pdf.set_font("helvetica", size=12)
        pdf.cell(text="Putin met Kim in Pyongyang.")
        pdf.ln()
        pdf.cell(text="Seoul responded.")
    else:
        pdf.rect(20, 20, 100, 60, style="F")  # a "scan": marks, no text layer
    pdf.output(str(path))
    return path


def make_odt(path: Path) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Seoul responds"))
    document.text.addElement(P(text="The ministry said “no”. 소아쌤"))
    table = Table(name="T")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    row = TableRow()
    for cell_text in ("Moon", "yes"):
        cell = TableCell()
        cell.addElement(P(text=cell_text))
        row.addElement(cell)
    table.addElement(row)
    document.text.addElement(table)
    document.save(str(path))
    return path


ODT_TEXT = "Seoul responds\nThe ministry said “no”. 소아쌤\nMoon\tyes"

RTF = (
    rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times;}}"
    rb"\f0 Gr\'fc\'dfe aus K\'f6ln.\par Merkel said \'93yes\'94.\par}"
)
RTF_TEXT = "Grüße aus Köln.\nMerkel said “yes”.\n"

HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Page title</title>
<style>body { color: red; }</style>
<script>var secret = "do not import";</script></head>
<body><h1>Kim  visits</h1>
<p>Kim went to <b>Seoul</b>
 on Monday.</p><div>Second block &amp; more</div>
<script>alert("no")</script></body></html>
"""
HTML_TEXT = "Kim visits\n\nKim went to Seoul on Monday.\n\nSecond block & more\n"


def check_round_trip(project_path: Path, doc_id: str, expected: str, quote: str) -> None:
    """Text, char_count, SHA-256 and a tagged span's quote after reopening."""
    with open_project(project_path) as project:
        text = project.document_text(doc_id)
        start = text.index(quote)
        project.add_annotation(doc_id, start, start + len(quote), "actor", coder="Ana")
    with open_project(project_path) as project:
        document = project.document(doc_id)
        text = project.document_text(doc_id)
        assert text == expected
        assert text == unicodedata.normalize("NFC", text)
        assert "\r" not in text and not text.startswith("\ufeff")
        assert document.char_count == len(expected)
        assert document.sha256 == hashlib.sha256(expected.encode("utf-8")).hexdigest()
        (annotation,) = project.annotations(doc_id)
        assert annotation.quote == quote == text[annotation.start : annotation.end]
