"""Files a REFI-QDA import refuses with a plain message, leaving nothing behind."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.core.progress import Cancelled, Progress
from annotator.importing.model import ImportRejected
from annotator.importing.refi import archive, import_refi
from tests.importing.refi.refi_files import (
    CODE_CLAIM,
    CODE_GOV,
    Selection,
    Source,
    codebook_xml,
    make_qdpx,
    project_xml,
    write_qdpx,
)

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="x">&b;</Project>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="&e;"/>'
)


def refused(tmp_path: Path, path: Path) -> str:
    out = tmp_path / "new.annotator"
    with pytest.raises(ImportRejected) as caught:
        import_refi(path, out)
    assert sorted(p.name for p in tmp_path.iterdir() if "annotator" in p.name) == []
    return str(caught.value)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL])
def test_a_document_type_is_refused(tmp_path: Path, xml: str) -> None:
    assert "document type" in refused(tmp_path, write_qdpx(tmp_path / "h.qdpx", xml))


def test_not_a_zip_not_xml_not_refi(tmp_path: Path) -> None:
    (tmp_path / "a.qdpx").write_bytes(b"just text")
    assert "not a REFI-QDA project (not a zip archive)" in refused(tmp_path, tmp_path / "a.qdpx")
    write_qdpx(tmp_path / "b.qdpx", "<Project")
    assert "not well-formed XML" in refused(tmp_path, tmp_path / "b.qdpx")
    write_qdpx(tmp_path / "c.qdpx", '<Project xmlns="urn:other" name="x"/>')
    assert "is not a REFI-QDA file" in refused(tmp_path, tmp_path / "c.qdpx")
    with zipfile.ZipFile(tmp_path / "d.qdpx", "w") as z:
        z.writestr("other.xml", "<x/>")
    assert "holds no project.qde" in refused(tmp_path, tmp_path / "d.qdpx")
    (tmp_path / "e.qdc").write_text("<CodeBook xmlns='urn:QDA-XML:project:1.0'>", "utf-8")
    assert "not well-formed" in refused(tmp_path, tmp_path / "e.qdc")
    qde, _ = project_xml([])
    write_qdpx(tmp_path / "f.qdpx", qde.replace('startPosition="', 'x="'))
    bad = qde.replace("</Sources>", "").replace(
        "<Sources>",
        '<Sources><TextSource guid="E1" name="s"><PlainTextContent>t</PlainTextContent>'
        '<PlainTextSelection guid="S1" startPosition="one" endPosition="2"/></TextSource>'
        "</Sources>",
    )
    write_qdpx(tmp_path / "g.qdpx", bad)
    assert "not a whole number" in refused(tmp_path, tmp_path / "g.qdpx")


def test_too_many_tags_and_a_part_that_unpacks_too_far(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    qdpx = make_qdpx(tmp_path / "t.qdpx", [Source("s", "x" * 5000)])
    monkeypatch.setattr(archive, "MAX_XML_TAGS", 5)
    assert "more than 5 XML tags" in refused(tmp_path, qdpx)
    monkeypatch.setattr(archive, "MAX_XML_TAGS", 1000)
    monkeypatch.setattr(archive, "MAX_XML_BYTES", 100)
    assert "unpacks to more than" in refused(tmp_path, qdpx)


def test_a_source_too_large_is_skipped_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    qdpx = make_qdpx(tmp_path / "t.qdpx", [Source("big", "x" * 5000), Source("small", "ok")])
    monkeypatch.setattr(archive, "MAX_SOURCE_BYTES", 1000)
    monkeypatch.setattr("annotator.importing.refi.sources.MAX_SOURCE_BYTES", 1000)
    report = import_refi(qdpx, tmp_path / "new.annotator")
    assert report.documents == 1
    assert report.skipped["sources without a readable plain text"] == 1


def test_an_existing_project_is_never_replaced(tmp_path: Path) -> None:
    qdpx = make_qdpx(tmp_path / "t.qdpx", [Source("s", "text")])
    out = tmp_path / "kept.annotator"
    out.write_bytes(b"mine")
    with pytest.raises(ImportRejected, match="already exists"):
        import_refi(qdpx, out)
    assert out.read_bytes() == b"mine"


def test_cancelled_leaves_nothing(tmp_path: Path) -> None:
    qdpx = make_qdpx(tmp_path / "t.qdpx", [Source("a", "one"), Source("b", "two")])
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        import_refi(qdpx, tmp_path / "new.annotator", progress=progress)
    assert [p.name for p in tmp_path.iterdir()] == ["t.qdpx"]


def test_two_codes_with_one_guid_are_refused(tmp_path: Path) -> None:
    """Codings name codes by GUID: with two codes under one GUID, a coding would go to
    whichever came last, silently."""
    codebook = codebook_xml().replace(CODE_CLAIM, CODE_GOV)  # Claim takes Government's
    qde, members = project_xml(
        [Source("s", "Putin met Kim.", [Selection(0, 5, (CODE_GOV,))])], codebook=codebook
    )
    message = refused(tmp_path, write_qdpx(tmp_path / "dup.qdpx", qde, members))
    assert message.startswith("two codes (“Government” and “Claim”) have the same GUID")
