"""Every supported format and encoding, stored right and read back after reopening."""

import os
import zipfile

import pytest

from annotator.importing.pipeline import (
    ImportRejected,
    collect_files,
    decode_as,
    detect_encoding,
    import_one,
    is_plain_text,
)

from .import_helpers import (
    DOCX_TEXT,
    HTML,
    HTML_TEXT,
    ODT_TEXT,
    RTF,
    RTF_TEXT,
    check_round_trip,
    make_docx,
    make_odt,
    make_pdf,
)

GERMAN = "Grüße aus Köln – „schön“ für alle, sagte Merkel. Straße, Café, naïve Ideen.\n" * 3
JAPANESE = "日本語のテキストです。東京で首脳会談が開かれ、金氏は「合意はない」と述べた。\n" * 3
KOREAN = "한국어 텍스트입니다. 서울에서 정상회담이 열렸고 김 위원장은 합의가 없다고 말했다.\n" * 3
TRICKY = "Kim 👍🏽 met 👨‍👩‍👧 and said “no”.\nCafe\u0301 e\u0301te\u0301 — שלום.\n"

ENCODED = [
    # file name, bytes, stored text, encoding recorded, certain, a quote to tag
    ("cp1252.txt", GERMAN.encode("cp1252"), GERMAN, "cp1252", False, "Köln"),
    ("sjis.txt", JAPANESE.encode("shift_jis"), JAPANESE, None, False, "東京"),
    ("euckr.txt", KOREAN.encode("euc-kr"), KOREAN, None, False, "서울"),
    ("le.txt", TRICKY.encode("utf-16"), None, "utf-16", True, "👍🏽"),
    ("le2.txt", b"\xff\xfe" + TRICKY.encode("utf-16-le"), None, "utf-16", True, "👨‍👩‍👧"),
    ("be.txt", b"\xfe\xff" + TRICKY.encode("utf-16-be"), None, "utf-16", True, "👍🏽"),
    (
        "bom.txt",
        b"\xef\xbb\xbf" + "Kim said “no”.\n".encode(),
        "Kim said “no”.\n",
        "utf-8-sig",
        True,
        "“no”",
    ),
    ("crlf.txt", b"one\r\ntwo\rthree\nfour\r\n", "one\ntwo\nthree\nfour\n", "utf-8", True, "two"),
    ("tricky.md", TRICKY.encode(), None, "utf-8", True, "Café"),
]


@pytest.mark.parametrize(("name", "data", "expected", "encoding", "certain", "quote"), ENCODED)
def test_plain_text_in_any_encoding(
    project, tmp_path, name, data, expected, encoding, certain, quote
):
    import unicodedata

    expected = expected or unicodedata.normalize("NFC", TRICKY)
    path = tmp_path / name
    path.write_bytes(data)
    decoded = detect_encoding(path)
    assert decoded.certain is certain
    if encoding:
        assert decoded.encoding == encoding
    outcome = import_one(project, path)
    assert outcome.status == "imported", outcome.reason
    assert outcome.document.encoding == outcome.encoding == decoded.encoding
    check_round_trip(project.path, outcome.document.id, expected, quote)


def test_detected_guesses_name_the_usual_encodings(tmp_path):
    for name, text, encoding in (("a.txt", JAPANESE, "shift_jis"), ("b.txt", KOREAN, "euc-kr")):
        (tmp_path / name).write_bytes(text.encode(encoding))
        decoded = detect_encoding(tmp_path / name)
        assert decoded.encoding in (encoding, {"shift_jis": "cp932", "euc-kr": "cp949"}[encoding])
        assert decoded.text == text and decoded.alternatives


def test_a_chosen_encoding_overrides_the_guess(project, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Köln".encode("cp1252") * 20)
    assert decode_as(path.read_bytes(), "latin-1") == "Köln" * 20
    outcome = import_one(project, path, encoding="cp1252")
    assert (outcome.status, outcome.encoding) == ("imported", "cp1252")
    with pytest.raises(ImportRejected, match="not valid utf-8"):
        decode_as(path.read_bytes(), "utf-8")
    with pytest.raises(ImportRejected, match="not a known text encoding"):
        decode_as(b"abc", "klingon-8")
    rejected = import_one(project, tmp_path / "a.txt", encoding="utf-8", allow_duplicates=True)
    assert rejected.status == "rejected" and "utf-8" in rejected.reason


def test_docx_heading_paragraphs_and_table_in_reading_order(project, tmp_path):
    outcome = import_one(project, make_docx(tmp_path / "summit.docx"))
    assert outcome.status == "imported", outcome.reason
    assert outcome.document.title == "Summit in Pyongyang"
    check_round_trip(project.path, outcome.document.id, DOCX_TEXT, "no deal 👍🏽")


def test_pdf_with_text_layer(project, tmp_path):
    outcome = import_one(project, make_pdf(tmp_path / "release.pdf"))
    assert outcome.status == "imported", outcome.reason
    assert outcome.document.title == "Press release"
    text = project.document_text(outcome.document.id)
    assert "Putin met Kim in Pyongyang." in text and "Seoul responded." in text
    check_round_trip(project.path, outcome.document.id, text, "Pyongyang")


def test_html_keeps_visible_text_only(project, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    outcome = import_one(project, path)
    assert outcome.status == "imported", outcome.reason
    assert outcome.document.title == "Kim visits"
    check_round_trip(project.path, outcome.document.id, HTML_TEXT, "Seoul")


def test_html_is_read_as_a_browser_reads_it(project, tmp_path):
    """A page labelled iso-8859-1 holds Windows-1252's quotes, dash and ellipsis
    (browsers read it so); a BOM wins over the page's label; </head> may be left
    out; <br/> is one line break, as <br> is."""
    pages = {
        "latin.html": b'<html><head><meta charset="iso-8859-1"><title>t</title></head>'
        b"<body><p>\x93Hello\x94 \x96 it\x92s fine\x85</p></body></html>",
        "bom.html": "\ufeff<html><head><meta charset=windows-1252></head>"
        "<body><p>He said “hello” café</p></body></html>".encode(),
        "no-head-end.html": b"<html><head><title>Short</title><body><p>Seoul said no.</p>"
        b"<p>One<br/>two<br>three</p></body></html>",
    }
    texts = {}
    for name, data in pages.items():
        (tmp_path / name).write_bytes(data)
        outcome = import_one(project, tmp_path / name)
        assert outcome.status == "imported", outcome.reason
        texts[name] = project.document_text(outcome.document.id)
    assert texts["latin.html"] == "“Hello” – it’s fine…\n"
    assert texts["bom.html"] == "He said “hello” café\n"
    assert texts["no-head-end.html"] == "Seoul said no.\n\nOne\ntwo\nthree\n"


def test_word_text_in_tracked_changes_content_controls_fields_and_merged_cells(project, tmp_path):
    """What Word shows, once: python-docx's paragraphs left out a tracked insertion,
    a paragraph in a content control, a field's result and a nested table, and gave
    a merged cell once per column it spans. A tracked deletion stays out."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    paragraph = document.add_paragraph("Before ")
    paragraph._p.append(
        parse_xml(f'<w:ins {w} w:id="1" w:author="A"><w:r><w:t>INSERTED</w:t></w:r></w:ins>')
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {w} w:id="2" w:author="A"><w:r><w:delText>GONE</w:delText></w:r></w:del>'
        )
    )
    paragraph._p.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve"> after.</w:t></w:r>'))
    paragraph = document.add_paragraph("Place: ")
    paragraph._p.append(
        parse_xml(f'<w:smartTag {w} w:element="place"><w:r><w:t>Seoul</w:t></w:r></w:smartTag>')
    )
    paragraph._p.append(
        parse_xml(f'<w:fldSimple {w} w:instr="DATE"><w:r><w:t>, 5 May</w:t></w:r></w:fldSimple>')
    )
    body = document.element.body
    body.insert(
        len(body) - 1,
        parse_xml(
            f"<w:sdt {w}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>In a content control"
            "</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Merged"
    table.cell(1, 0).text = "a"
    table.cell(1, 1).text = "b"
    table.cell(1, 2).add_table(rows=1, cols=1).cell(0, 0).text = "nested"
    document.add_paragraph("Last paragraph.")
    document.save(tmp_path / "features.docx")

    outcome = import_one(project, tmp_path / "features.docx")
    assert outcome.status == "imported", outcome.reason
    assert project.document_text(outcome.document.id) == (
        "Before INSERTED after.\nPlace: Seoul, 5 May\nIn a content control\nMerged\n"
        "a\tb\tnested\nLast paragraph."
    )


def test_rtf_with_an_emoji_as_word_writes_it(project, tmp_path):
    """Two \\u escapes, the halves of a UTF-16 surrogate pair: it was refused ('could
    not be stored ... surrogates not allowed')."""
    (tmp_path / "e.rtf").write_bytes(
        b"{\\rtf1\\ansi\\ansicpg1252\\uc1 Thanks \\u-10179?\\u-8704? and bye\\par}"
    )
    outcome = import_one(project, tmp_path / "e.rtf")
    assert outcome.status == "imported", outcome.reason
    assert project.document_text(outcome.document.id).strip() == "Thanks 😀 and bye"


def test_rtf_and_odt(project, tmp_path):
    (tmp_path / "a.rtf").write_bytes(RTF)
    rtf = import_one(project, tmp_path / "a.rtf")
    assert rtf.status == "imported", rtf.reason
    check_round_trip(project.path, rtf.document.id, RTF_TEXT, "“yes”")
    odt = import_one(project, make_odt(tmp_path / "b.odt"))
    assert odt.status == "imported", odt.reason
    assert odt.document.title == "Seoul responds"
    check_round_trip(project.path, odt.document.id, ODT_TEXT, "소아쌤")


def _corrupt_docx(path):
    make_docx(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _docx_without_document_part(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return path


def _bytes(data):
    def make(path):
        path.write_bytes(data)
        return path

    return make


BAD = [
    ("empty.txt", _bytes(b""), "empty"),
    ("blank.txt", _bytes(b" \r\n\t \n"), "empty"),
    ("blank16.txt", _bytes(" \n".encode("utf-16")), "empty"),
    ("photo.txt", _bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), "binary"),
    ("nul.txt", _bytes(b"Kim said\x00 no"), "NUL"),
    ("controls.txt", _bytes(bytes(range(1, 32)) * 40), "binary"),
    ("broken.docx", _corrupt_docx, "corrupt"),
    ("nodoc.docx", _docx_without_document_part, "corrupt"),
    ("text.docx", _bytes(b"not a zip"), "not a valid Word"),
    (
        "locked.docx",
        _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        "password-protected",
    ),
    ("locked.pdf", lambda p: make_pdf(p, password="secret"), "password-protected"),
    ("scan.pdf", lambda p: make_pdf(p, text=False), "OCR"),
    ("broken.pdf", _bytes(b"%PDF-1.4\n1 0 obj garbage"), "PDF"),
    ("notpdf.pdf", _bytes(b"hello"), "not a valid PDF"),
    ("bad.rtf", _bytes(b"plain words"), "not a valid RTF"),
    ("bad.odt", _bytes(b"PK\x03\x04junk"), "corrupt"),
    ("folder.txt", lambda p: p.mkdir() or p, "folder"),
    ("missing.txt", lambda p: p, "does not exist"),
]


@pytest.mark.parametrize(("name", "make", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_rejected_and_change_nothing(doc_project, tmp_path, name, make, reason):
    project, _doc = doc_project
    before = project.documents()
    outcome = import_one(project, make(tmp_path / name))
    assert outcome.status == "rejected"
    assert reason in outcome.reason
    assert outcome.document is None
    assert project.documents() == before


def test_files_over_the_size_limit_are_rejected(project, tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 300)
    outcome = import_one(project, path, max_bytes=1000)
    assert outcome.status == "rejected" and "larger than the limit" in outcome.reason
    assert project.documents() == []
    assert import_one(project, path).status == "imported"


def test_unreadable_file_is_rejected(project, tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("hidden")
    path.chmod(0)
    if os.name != "posix" or os.geteuid() == 0:
        # File modes do not stop root (nor apply on Windows): refuse the read the
        # way the operating system would for anyone else.
        real_open = os.open

        def refuse(file, flags, *args, **kwargs):
            if os.fspath(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    try:
        outcome = import_one(project, path)
        assert outcome.status == "rejected"
        assert "permission denied" in outcome.reason
        assert project.documents() == []
    finally:
        path.chmod(0o600)


def test_plain_text_and_folder_collection(tmp_path):
    assert is_plain_text(tmp_path / "a.TXT") and is_plain_text(tmp_path / "notes.log")
    assert not is_plain_text(tmp_path / "a.docx")
    for rel in ("b.txt", "sub/c.pdf", "sub/d.log", ".hidden/e.txt", "sub/.f.txt", "a.HTML"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    (tmp_path / "z.log").write_text("x")
    found = collect_files([tmp_path / "z.log", tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.HTML",
        "b.txt",
        "sub/c.pdf",
        "z.log",
    ]
    assert collect_files([tmp_path], extensions=[".log"]) == [
        tmp_path / "sub/d.log",
        tmp_path / "z.log",
    ]
