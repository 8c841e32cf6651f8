"""The REFI-QDA export: valid against the published schemas, positions in code
points, readable notes, the same bytes every time, and a cancel that leaves
nothing behind."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annotator.core.codebook import Value
from annotator.core.progress import Cancelled, Progress
from annotator.exporting.refi import write_qdc, write_qdpx
from annotator.store.corpus_index import INDEX_TABLE, NUMBERS_TABLE
from annotator.store.project import Project, open_project
from annotator.store.refi_reads import SETTLEMENT_TABLES, TEAM_TABLES
from tests.exporting.coded_example import MIXED_TEXT, build, build_mixed

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "refi"
NS = {"q": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def project_xml(qdpx: Path) -> etree._Element:
    with zipfile.ZipFile(qdpx) as archive:
        return etree.fromstring(archive.read("project.qde"))


def assert_valid(qdpx: Path) -> etree._Element:
    root = project_xml(qdpx)
    checker = schema("Project-mrt2019.xsd")
    assert checker.validate(root), checker.error_log
    return root


def selections(root: etree._Element) -> dict[str, etree._Element]:
    return {e.get("guid"): e for e in root.iterfind(".//q:PlainTextSelection", NS)}


def test_the_project_file_is_valid_and_counts_code_points(project: Project, tmp_path: Path):
    example = build_mixed(project)
    out = tmp_path / "study.qdpx"
    result = write_qdpx(project, out)
    root = assert_valid(out)
    assert (result.documents, result.annotations) == (1, 4)
    source = root.find(".//q:TextSource", NS)
    assert source.get("guid") == example.doc.id
    assert source.get("plainTextPath") == f"internal://{example.doc.id}.txt"
    with zipfile.ZipFile(out) as archive:
        text = archive.read(f"sources/{example.doc.id}.txt").decode("utf-8")
    assert text == MIXED_TEXT
    found = selections(root)
    assert set(found) == {a.id for a in project.annotations()}
    for annotation in project.annotations():
        element = found[annotation.id]
        start, end = int(element.get("startPosition")), int(element.get("endPosition"))
        # Code points: the same offsets as Python's, not UTF-16 units or bytes.
        assert MIXED_TEXT[start:end] == annotation.quote
        assert (start, end) == (
            MIXED_TEXT.index(annotation.quote),
            MIXED_TEXT.index(annotation.quote) + len(annotation.quote),
        )
    claim = found[example.claim.id]
    assert (
        int(claim.get("startPosition"))
        != len(MIXED_TEXT[: MIXED_TEXT.index("the treaty")].encode("utf-16-le")) // 2
    )


def test_users_codes_and_codings(project: Project, tmp_path: Path):
    example = build(project)
    out = tmp_path / "study.qdpx"
    write_qdpx(project, out)
    root = assert_valid(out)
    users = {u.get("name"): u.get("guid") for u in root.iterfind(".//q:User", NS)}
    assert set(users) == {"Ana", "Bo"}
    codebook = project.codebook()
    stance = codebook.category("stance")
    polarity = codebook.attribute("stance", "polarity")
    oppose = next(c for c in polarity.choices if c.label == "oppose")
    stance_code = root.find(f".//q:Code[@guid='{stance.id}']", NS)
    assert stance_code.get("name") == stance.label
    assert stance_code.get("color") == stance.colour
    children = {c.get("guid"): c.get("name") for c in stance_code.findall("q:Code", NS)}
    assert children[oppose.id] == f"{polarity.label}: oppose"
    assert len(children) == len(polarity.choices)

    element = selections(root)[example.oppose.id]
    assert element.get("creatingUser") == users["Bo"]
    assert element.get("creationDateTime") == example.oppose.created_at
    refs = [c.find("q:CodeRef", NS).get("targetGUID") for c in element.findall("q:Coding", NS)]
    assert refs == [stance.id, oppose.id]
    note = element.findtext("q:Description", namespaces=NS)
    holder = codebook.attribute("stance", "holder").label
    target = codebook.attribute("stance", "target").label
    assert f"{polarity.label}: oppose" in note.splitlines()
    assert f"{holder}: “Putin” → Vladimir Putin" in note.splitlines()
    assert f"{target}: “the treaty guarantees security in the region”" in note.splitlines()


def test_memo_first_then_values_and_hostile_characters_stay_valid(project: Project, tmp_path: Path):
    example = build(project)
    project.set_memo(example.mention.id, "Said twice\x07 <b>&amp; “quoted”")
    out = tmp_path / "study.qdpx"
    write_qdpx(project, out)
    note = selections(assert_valid(out))[example.mention.id].findtext(
        "q:Description", namespaces=NS
    )
    memo, values = note.split("\n\n")
    assert memo == "Said twice\ufffd <b>&amp; “quoted”"
    assert values == f"{project.codebook().attribute('actor', 'actor').label}: Vladimir Putin"


def test_variables_are_typed_only_when_every_value_fits(project: Project, tmp_path: Path):
    project.add_variable("Pages", "number", key="pages")
    project.add_variable("Issued", "date", key="issued")
    first = project.import_text("One text.", title="one", date="2024-07")
    second = project.import_text("Another text.", title="two", date="2024-07-02")
    project.set_document_variables(first.id, {"pages": "12", "issued": "2024-01-05"})
    project.set_document_variables(second.id, {"pages": "3.5", "issued": "2024"})
    out = tmp_path / "vars.qdpx"
    write_qdpx(project, out)
    root = assert_valid(out)
    kinds = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind(".//q:Variable", NS)}
    assert kinds["Pages"] == "Float"
    assert kinds["Issued"] == "Text"  # "2024" is not an xsd:date
    assert kinds["Date"] == "Text"  # nor is "2024-07"
    first_source = root.find(f".//q:TextSource[@guid='{first.id}']", NS)
    assert [v.text for v in first_source.iterfind(".//q:FloatValue", NS)] == ["12"]


def test_an_empty_project_is_valid(project: Project, tmp_path: Path):
    out = tmp_path / "empty.qdpx"
    result = write_qdpx(project, out)
    assert result.documents == 0
    assert_valid(out)


def test_same_project_same_bytes(project: Project, tmp_path: Path):
    build_mixed(project)
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    write_qdpx(project, first)
    write_qdpx(project, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[-1] == "annotator/project.json"


def test_the_extension_holds_every_stored_row(project: Project, tmp_path: Path):
    example = build(project)
    out = tmp_path / "study.qdpx"
    write_qdpx(project, out)
    with zipfile.ZipFile(out) as archive:
        extension = json.loads(archive.read("annotator/project.json"))
    assert (extension["format"], extension["version"]) == ("annotator-refi-extension", 1)
    assert {a["name"] for a in extension["tables"]["actors"]} == {"Vladimir Putin"}
    (document,) = extension["documents"]
    assert document["guid"] == example.doc.id
    assert "text" not in document["document"]
    stored = {a.id: a for a in project.annotations()}
    assert {
        a["id"]: (a["start"], a["end"], a["memo"], a["updated_at"]) for a in document["annotations"]
    } == {i: (a.start, a.end, a.memo, a.updated_at) for i, a in stored.items()}
    values = {(v["annotation_id"], v["attribute_id"]): v for v in document["annotation_values"]}
    holder = project.codebook().attribute("stance", "holder")
    assert values[(example.oppose.id, holder.id)]["ref_annotation_id"] == example.mention.id


def test_cancel_leaves_the_previous_file(project: Project, tmp_path: Path):
    build(project)
    out = tmp_path / "study.qdpx"
    out.write_bytes(b"previous")

    def cancel_at_selections(done: int, total: int, label: str) -> None:
        if label == "coded spans":
            progress.cancel()

    progress = Progress(cancel_at_selections)
    with pytest.raises(Cancelled):
        write_qdpx(project, out, progress)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir() if ".annotator" not in p.name] == ["study.qdpx"]


def test_codebook_file_is_valid(project: Project, tmp_path: Path):
    build(project)
    # Two categories with one label: QualCoder would merge them, so the names differ.
    project.add_category(project.codebook().category("claim").label, "#123456", key="claim_2")
    out = tmp_path / "codes.qdc"
    result = write_qdc(project, out)
    root = etree.parse(str(out)).getroot()
    checker = schema("Codebook-mrt2019.xsd")
    assert checker.validate(root), checker.error_log
    names = [c.get("name") for c in root.iterfind(".//c:Code", NS)]
    assert len(names) == len({n.casefold() for n in names}) == result.codes
    assert f"{project.codebook().category('claim').label} (claim_2)" in names


def test_long_names_are_cut_and_stay_apart(project: Project, tmp_path: Path):
    long = "Position on the proposed reform of the regional transport authority " * 2
    first = project.add_category(long, "#123456", key="reform_a")
    project.add_category(long, "#654321", key="reform_b")
    out = tmp_path / "codes.qdc"
    write_qdc(project, out)
    root = etree.parse(str(out)).getroot()
    codes = {c.get("guid"): c for c in root.iterfind(".//c:Code", NS)}
    names = [c.get("name") for c in codes.values()]
    assert max(len(n) for n in names) == 63
    assert len({n.casefold() for n in names}) == len(names)
    assert codes[first.id].findtext("c:Description", namespaces=NS) == first.label
    assert codes[first.id].get("name") == first.label[:62] + "…"


def test_a_read_only_project_exports(tmp_path: Path):
    path = tmp_path / "p.annotator"
    with open_project(path, create=True) as project:
        example = build(project)
        project.set_value(
            example.claim.id, Value(project.codebook().attribute("claim", "issue").id)
        )
    with open_project(path, read_only=True) as project:
        write_qdpx(project, tmp_path / "ro.qdpx")
    assert_valid(tmp_path / "ro.qdpx")


def test_a_codebook_without_categories_is_refused(project: Project, tmp_path: Path):
    for category in project.categories():
        project.delete_category(category.id)
    with pytest.raises(ValueError, match="no categories"):
        write_qdc(project, tmp_path / "codes.qdc")
    assert list(tmp_path.glob("*.qdc*")) == []
    write_qdpx(project, tmp_path / "bare.qdpx")  # a project without a codebook is valid
    assert_valid(tmp_path / "bare.qdpx")


# Tables the schema's triggers fill from the others, and sqlite-utils' own.
DERIVED = {"document_counts", "incomplete_annotations", "_sqlite_migrations", *TEAM_TABLES}
# The corpus index and its numbering are built again from the documents' texts.
DERIVED |= {NUMBERS_TABLE, INDEX_TABLE} | {
    f"{INDEX_TABLE}_{part}" for part in ("data", "idx", "docsize", "config", "content")
}


def test_the_extension_misses_no_table_or_row(project: Project, tmp_path: Path):
    build_mixed(project)
    project.add_variable("Outlet", "text", key="outlet")
    (document,) = project.documents()
    project.set_document_variables(document.id, {"outlet": "KBS"})
    out = tmp_path / "study.qdpx"
    write_qdpx(project, out)
    with zipfile.ZipFile(out) as archive:
        extension = json.loads(archive.read("annotator/project.json"))
        texts = {
            d["guid"]: archive.read(d["source"]).decode("utf-8") for d in extension["documents"]
        }
    per_document = {"documents", "document_values", "annotations", "annotation_values"}
    tables = {
        name
        for (name,) in project.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert tables - DERIVED == set(extension["tables"]) | per_document
    for table in tables - DERIVED:
        (stored,) = project.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        if table in per_document:
            key = "document" if table == "documents" else table
            held = sum(1 if key == "document" else len(d[key]) for d in extension["documents"])
        else:
            held = len(extension["tables"][table])
        # Decisions are held too (test_refi_own_round_trip rebuilds an adjudicated project).
        assert held == stored and (stored > 0 or table in SETTLEMENT_TABLES), table
    for doc_id, text in texts.items():
        assert text == project.document_text(doc_id)
