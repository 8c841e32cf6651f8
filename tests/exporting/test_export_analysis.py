"""export_for_analysis: profiles, summaries, network, dictionary, manifest, coder
filter and other formats, from a real project, files read back with csv and pandas."""

import csv
import hashlib
import json
import math
import os
import sys

import networkx as nx
import pandas as pd
import pytest

from annotator.core.codebook import Value
from annotator.exporting.analysis import content_sha256, export_for_analysis
from annotator.exporting.csv_profiles import neutralise
from annotator.exporting.model import ExportOptions
from annotator.exporting.tables import TABLE_NAMES, export_files, table_definition
from annotator.store.backups import restore_backup
from annotator.store.project import create_project, open_project
from tests.exporting.coded_example import build, span, write_unchecked

TRICKY = '=HYPERLINK("x"), Kim said "never"\nand 👍🏽 소아쌤'
CSV_FILES = sorted(f"{name}.csv" for name in TABLE_NAMES)


@pytest.fixture
def example(project):
    ex = build(project)
    attr = project.codebook().attribute
    doc = project.import_text(f"Intro. {TRICKY} End. Minus -1 here.", title="@home, -lead")
    start = project.document_text(doc.id).index(TRICKY)
    ex.tricky = project.add_annotation(
        doc.id, start, start + len(TRICKY), "claim", coder="Ana", memo="-1"
    )
    ex.minus = project.add_annotation(
        doc.id, *span(project, doc, "-1"), "actor", coder="Bo", memo="+49 30 1234\tx"
    )
    seoul = project.add_actor("Seoul", type="government", country="KR")
    polarity = {c.label: c for c in attr("stance", "polarity").choices}
    issue = attr("claim", "issue").choices[0]
    project.add_annotation(
        ex.doc.id,
        *span(project, ex.doc, "Seoul rejected it"),
        "stance",
        coder="Ana",
        values=[
            Value(attr("stance", "polarity").id, choice_id=polarity["oppose"].id),
            Value(attr("stance", "holder").id, actor_id=seoul.id),
            Value(attr("stance", "target").id, choice_id=issue.id),
        ],
    )
    ex.seoul = seoul
    return ex


def _delimiter(path) -> str:
    """The delimiter the registry gives the file's table (``;`` for dna_statements.csv)."""
    return table_definition(path.stem).delimiter


def _csv(path, encoding="utf-8"):
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=_delimiter(path)))


def _number_attribute(project, label: str, text: str, number: float):
    """A category Frame with a number attribute: one annotation holding ``text``
    (typed in another tool), one holding ``number``."""
    frame = project.add_category("Frame", "#aa00aa")
    attribute = project.add_attribute(frame.id, label, "number")
    doc = project.import_text("Alpha beta gamma.", title="t")
    as_text = project.add_annotation(doc.id, 0, 5, frame.key, coder="Ana")
    write_unchecked(project, as_text.id, [Value(attribute.id, text=text)])
    as_number = project.add_annotation(
        doc.id, 6, 10, frame.key, coder="Ana", values=[Value(attribute.id, number=number)]
    )
    return as_text, as_number


def _export(project, out, **options):
    """Every file, the one-mode actor networks included (asked for)."""
    return export_for_analysis(project, out, ExportOptions(**{"actor_networks": True, **options}))


def test_every_csv_reads_back_with_csv_and_pandas(example, tmp_path):
    out = tmp_path / "out"
    result = _export(example.project, out)
    assert sorted(n for n in os.listdir(out) if n.endswith(".csv")) == CSV_FILES
    for name in CSV_FILES:
        rows = _csv(out / name)
        frame = pd.read_csv(
            out / name,
            encoding="utf-8",
            dtype=str,
            keep_default_na=False,
            sep=_delimiter(out / name),
        )
        assert list(frame.columns) == rows[0], name
        assert frame.values.tolist() == rows[1:], name
        assert result.files[name] == len(rows) - 1
    anns = {
        r["annotation_id"]: r
        for r in csv.DictReader((out / "annotations.csv").open(encoding="utf-8", newline=""))
    }
    assert anns[example.tricky.id]["quote"] == TRICKY
    assert anns[example.tricky.id]["memo"] == "-1"
    project = example.project
    for ann in project.annotations():
        row = anns[ann.id]
        assert (row["quote"], row["coder"], int(row["start"]), int(row["end"])) == (
            ann.quote,
            ann.coder,
            ann.start,
            ann.end,
        )
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert docs["text"].tolist() == [project.document_text(d.id) for d in project.documents()]
    assert docs["title"].tolist() == [d.title for d in project.documents()]


def test_excel_profile_neutralises_exactly_the_dangerous_text_cells(example, tmp_path):
    _export(example.project, tmp_path / "a")
    _export(example.project, tmp_path / "x", profile="excel")
    changed = set()
    for name in CSV_FILES:
        raw = (tmp_path / "x" / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
        analysis = _csv(tmp_path / "a" / name)
        excel = _csv(tmp_path / "x" / name, "utf-8-sig")
        assert len(analysis) == len(excel) == raw.count(b"\r\n")  # one CRLF per record
        for a_row, x_row in zip(analysis, excel, strict=True):
            for column, a, x in zip(analysis[0], a_row, x_row, strict=True):
                if a != x:
                    assert x == "'" + a
                    changed.add((name, column, a))
    assert changed == {
        ("annotations.csv", "quote", TRICKY),
        ("annotations.csv", "memo", "+49 30 1234\tx"),
        ("claims.csv", "claim_quote", TRICKY),
        ("documents.csv", "title", "@home, -lead"),
        ("annotations.csv", "document_title", "@home, -lead"),
        ("claims.csv", "document_title", "@home, -lead"),
        ("statements.csv", "document_title", "@home, -lead"),
        ("statements.csv", "concept", TRICKY),
        ("document_by_category.csv", "document_title", "@home, -lead"),
    }
    claims = list(
        csv.DictReader((tmp_path / "x" / "claims.csv").open(encoding="utf-8-sig", newline=""))
    )
    assert "-1" in {r["polarity_code"] for r in claims}
    minus = [
        r
        for r in csv.DictReader(
            (tmp_path / "x" / "annotations.csv").open(encoding="utf-8-sig", newline="")
        )
        if r["annotation_id"] == example.minus.id
    ]
    assert minus[0]["quote"] == "-1"  # a plain number in a text column stays as it is


def test_analysis_profile_has_no_bom_and_lf_only(example, tmp_path):
    _export(example.project, tmp_path / "a")
    for name in CSV_FILES:
        raw = (tmp_path / "a" / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert b"\r\n" not in raw


def test_neutralise():
    assert [
        neutralise(c)
        for c in ("=1+1", "+x", "-x", "@a", "\tx", "\rx", "-1", "-2.5", "+3e5", "a=b", "")
    ] == ["'=1+1", "'+x", "'-x", "'@a", "'\tx", "'\rx", "-1", "-2.5", "+3e5", "a=b", ""]


def test_export_twice_is_byte_identical_except_manifest_time(example, tmp_path):
    for profile in ("analysis", "excel"):
        _export(example.project, tmp_path / f"{profile}1", profile=profile)
        _export(example.project, tmp_path / f"{profile}2", profile=profile)
        one, two = tmp_path / f"{profile}1", tmp_path / f"{profile}2"
        names = sorted(os.listdir(one))
        assert names == sorted(os.listdir(two)) == sorted(export_files(("csv",)))
        for name in names:
            if name != "manifest.json":
                assert (one / name).read_bytes() == (two / name).read_bytes(), name
        m1, m2 = (json.loads((d / "manifest.json").read_text("utf-8")) for d in (one, two))
        m1.pop("exported_at")
        m2.pop("exported_at")
        assert m1 == m2


def test_stata_spss_and_excel_files_are_byte_identical_twice(example, tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    pytest.importorskip("openpyxl")
    formats = ("csv", "dta", "sav", "xlsx")
    one = _export(example.project, tmp_path / "one", formats=formats)
    two = _export(example.project, tmp_path / "two", formats=formats)
    assert not one.skipped_formats and not two.skipped_formats
    names = sorted(n for n in one.files if n.endswith((".dta", ".sav", ".xlsx")))
    assert names == sorted(
        n for n in export_files(formats) if n.endswith((".dta", ".sav", ".xlsx"))
    )
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    # They still read back, with their value labels.
    for suffix, read in ((".dta", pyreadstat.read_dta), (".sav", pyreadstat.read_sav)):
        frame, meta = read(str(tmp_path / "one" / f"claims{suffix}"))
        assert len(frame) == one.files[f"claims{suffix}"]
        assert {"oppose", "support"} <= set(meta.variable_value_labels["polarity_code"].values())
        assert str(meta.creation_time) == "2000-01-01 00:00:00"
    stata = pd.read_stata(tmp_path / "one" / "claims.dta")
    spss = pd.read_spss(tmp_path / "one" / "claims.sav")
    assert set(stata["polarity_code"].dropna()) == {"oppose", "support"}
    assert set(spss["polarity_code"].dropna()) == {"oppose", "support"}


def test_a_number_attribute_holding_text_is_left_empty_in_stata_spss_excel(project, tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    openpyxl = pytest.importorskip("openpyxl")
    about, exact = _number_attribute(project, "Weight", "about 3", 2.5)
    out = tmp_path / "out"
    result = _export(project, out, formats=("csv", "dta", "sav", "xlsx"))
    assert not result.skipped_formats
    (warning,) = [w for w in result.warnings if "not a number" in w]
    assert "annotations.csv, column frame.weight, row 1: “about 3”" in warning
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert warning in manifest["warnings"]
    rows = {r[0]: r for r in _csv(out / "annotations.csv")[1:]}
    column = _csv(out / "annotations.csv")[0].index("frame.weight")
    assert (rows[about.id][column], rows[exact.id][column]) == ("about 3", "2.5")
    for suffix, read in ((".dta", pyreadstat.read_dta), (".sav", pyreadstat.read_sav)):
        data, _ = read(str(out / f"annotations{suffix}"))
        by_id = dict(zip(data["annotation_id"], data["frame_weight"], strict=True))
        assert math.isnan(by_id[about.id]) and by_id[exact.id] == 2.5
    sheet = openpyxl.load_workbook(out / "export.xlsx")["annotations"]
    header = [c.value for c in sheet[1]]
    by_id = {r[0]: r[header.index("frame.weight")] for r in sheet.iter_rows(2, values_only=True)}
    assert (by_id[about.id], by_id[exact.id]) == (None, 2.5)


def test_manifest_matches_the_files(example, tmp_path):
    out = tmp_path / "out"
    result = _export(example.project, out, coder="Ana")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["app_version"]
    assert manifest["schema_version"] >= 1
    assert manifest["project"]["file_name"] == "test.annotator"
    assert manifest["project"]["content_sha256"] == content_sha256(example.project)
    assert manifest["exported_at"].endswith("Z")
    assert (manifest["coder"], manifest["profile"]) == ("Ana", "analysis")
    files = manifest["files"]
    assert sorted(files) == sorted(n for n in os.listdir(out) if n != "manifest.json")
    assert sorted(result.written) == sorted(os.listdir(out))
    for name, info in files.items():
        assert info["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest()
        if name.endswith(".csv"):
            assert info["rows"] == len(_csv(out / name)) - 1 == result.files[name]


def test_content_hash_follows_the_content(example):
    before = content_sha256(example.project)
    assert content_sha256(example.project) == before
    example.project.add_actor("Tokyo")
    assert content_sha256(example.project) != before


def test_manifest_hashes_the_file_the_tables_came_from(tmp_path):
    """A read-only window exports after the other window restored a backup over
    the project file: data and hash both come from the file it has open."""
    path = tmp_path / "p.annotator"
    writer = create_project(path)
    backup = writer.backup("manual")
    writer.add_actor("Tokyo")
    reader = open_project(path, read_only=True)
    expected = content_sha256(reader)
    writer.close()
    restore_backup(backup, path)
    try:
        _export(reader, tmp_path / "out")
    finally:
        reader.close()
    assert "Tokyo" in (tmp_path / "out" / "actors.csv").read_text("utf-8")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["project"]["content_sha256"] == expected


def test_dictionary_lists_every_column_of_every_file(example, tmp_path):
    out = tmp_path / "out"
    _export(example.project, out)
    listed = {
        (r["file"], r["column"]): r
        for r in csv.DictReader((out / "data_dictionary.csv").open(encoding="utf-8", newline=""))
    }
    markdown = (out / "DATA_DICTIONARY.md").read_text("utf-8")
    for name in CSV_FILES:
        for column in _csv(out / name)[0]:
            assert (name, column) in listed
            assert f"`{column}`" in markdown
    assert listed[("annotations.csv", "stance.polarity")]["allowed_values"] == (
        "1 = support | -1 = oppose | 0 = neutral | ambivalent (no code)"
    )
    assert listed[("annotations.csv", "start")]["type"] == "integer"
    assert listed[("annotations.csv", "stance.polarity_code")]["type"] == "number"
    assert listed[("documents.csv", "imported_at")]["type"] == "datetime"
    assert 'locale = locale(encoding = "UTF-8")' in markdown
    assert 'fileEncoding = "UTF-8"' in markdown
    assert 'encoding("utf-8") bindquote(strict) varnames(1) clear' in markdown
    assert "Profile: **analysis**" in markdown


def test_summaries_and_network(example, tmp_path):
    """Counted per coder: Ana coded Putin's mention, the claim and Seoul's stance,
    Bo Putin's two stances (the rows say whose)."""
    out = tmp_path / "out"
    _export(example.project, out)
    ex = example
    by_doc = [
        r
        for r in csv.DictReader((out / "document_by_category.csv").open(encoding="utf-8"))
        if r["document_id"] == ex.doc.id
    ]
    assert [(r["coder"], r["actor"], r["claim"], r["stance"]) for r in by_doc] == [
        ("Ana", "1", "1", "1"),
        ("Bo", "0", "0", "2"),
    ]
    assert [(r["stance.polarity=oppose"], r["stance.polarity=support"]) for r in by_doc] == [
        ("1", "0"),
        ("1", "1"),
    ]
    actors = {
        r["name"]: r for r in csv.DictReader((out / "actor_by_polarity.csv").open(encoding="utf-8"))
    }
    assert (
        actors["Vladimir Putin"]["support"],
        actors["Vladimir Putin"]["oppose"],
        actors["Vladimir Putin"]["stances"],
        actors["Vladimir Putin"]["coder"],
    ) == ("1", "1", "2", "Bo")
    assert (actors["Seoul"]["oppose"], actors["Seoul"]["stances"]) == ("1", "1")
    assert actors["Seoul"]["coder"] == "Ana"
    edges = list(csv.DictReader((out / "network_actor_issue.csv").open(encoding="utf-8")))
    assert [(e["actor"], e["issue"], e["weight"], e["stances"], e["coder"]) for e in edges] == [
        ("Seoul", "security", "-1", "1", "Ana"),
        ("Vladimir Putin", "security", "0", "2", "Bo"),
    ]
    graph = nx.read_graphml(out / "network_actor_issue.graphml")
    types = nx.get_node_attributes(graph, "type")
    assert sorted(types.values()) == ["actor", "actor", "issue", "issue"]  # an issue a coder
    edge = graph.edges[f"coder:Ana/actor:{ex.seoul.id}", "coder:Ana/issue:security"]
    assert (edge["weight"], edge["oppose"], edge["stances"], edge["coder"]) == (-1.0, 1, 1, "Ana")
    assert graph.nodes[f"coder:Bo/actor:{ex.putin.id}"]["coder"] == "Bo"
    assert nx.is_bipartite(graph)


def test_graphml_parses_with_control_characters_in_names(example, tmp_path):
    example.project.update_actor(example.putin.id, name="Vladimir\x02Putin\x01")
    security = example.project.codebook().attribute("claim", "issue").choices[0]
    example.project.update_choice(security.id, label="secu\x1frity")
    _export(example.project, tmp_path / "out")
    graph = nx.read_graphml(tmp_path / "out" / "network_actor_issue.graphml")
    labels = set(nx.get_node_attributes(graph, "label").values())
    assert {"Vladimir\ufffdPutin\ufffd", "secu\ufffdrity", "Seoul"} <= labels
    edges = list(
        csv.DictReader(
            (tmp_path / "out" / "network_actor_issue.csv").open(encoding="utf-8", newline="")
        )
    )
    assert "Vladimir\x02Putin\x01" in {e["actor"] for e in edges}  # the CSV keeps them


def test_polarity_labels_never_take_a_fixed_column_name(example, tmp_path):
    polarity = {
        c.label: c for c in example.project.codebook().attribute("stance", "polarity").choices
    }
    example.project.update_choice(polarity["support"].id, label="weight")
    example.project.update_choice(polarity["oppose"].id, label="stances")
    out = tmp_path / "out"
    _export(example.project, out)
    edges = _csv(out / "network_actor_issue.csv")
    header = edges[0]
    assert len(set(header)) == len(header)
    putin = dict(zip(header, next(r for r in edges if r[1] == "Vladimir Putin"), strict=True))
    assert (putin["weight"], putin["weight_2"], putin["stances_2"], putin["stances"]) == (
        "0",
        "1",
        "1",
        "2",
    )
    graph = nx.read_graphml(out / "network_actor_issue.graphml")
    edge = graph.edges[f"coder:Bo/actor:{example.putin.id}", "coder:Bo/issue:security"]
    assert (edge["weight"], edge["weight_2"], edge["stances"]) == (0.0, 1, 2)
    actors = _csv(out / "actor_by_polarity.csv")
    assert len(set(actors[0])) == len(actors[0])
    row = dict(zip(actors[0], next(r for r in actors if r[1] == "Vladimir Putin"), strict=True))
    assert (row["weight"], row["stances_2"], row["stances"]) == ("1", "1", "2")


def test_graphml_node_ids_stay_unique_after_replacing_control_characters(project, tmp_path):
    attr = project.codebook().attribute
    doc = project.import_text("Kim\x0b said no and Kim\x0c said yes.", title="t")
    issue = project.add_choice(attr("claim", "issue").id, "security", code=1)
    polarity = attr("stance", "polarity").choices[0]
    text = project.document_text(doc.id)
    for name, stance_at in (("Kim\x0b", "said no"), ("Kim\x0c", "said yes")):
        start = text.index(name)
        mention = project.add_annotation(doc.id, start, start + 4, "actor", coder="Ana")
        at = text.index(stance_at)
        project.add_annotation(
            doc.id,
            at,
            at + len(stance_at),
            "stance",
            coder="Ana",
            values=[
                Value(attr("stance", "polarity").id, choice_id=polarity.id),
                Value(attr("stance", "holder").id, annotation_id=mention.id),
                Value(attr("stance", "target").id, choice_id=issue.id),
            ],
        )
    _export(project, tmp_path / "out")
    import xml.etree.ElementTree as ET

    root = ET.parse(tmp_path / "out" / "network_actor_issue.graphml").getroot()
    ids = [node.get("id") for node in root.iter("{http://graphml.graphdrawing.org/xmlns}node")]
    assert ids == ["actor:Kim\ufffd", "issue:security"]  # each node once
    assert len(_csv(tmp_path / "out" / "network_actor_issue.csv")) == 3  # two edges in the CSV


def test_the_dictionary_lists_a_name_only_stata_changes(example, tmp_path):
    pytest.importorskip("pyreadstat")
    polarity = {
        c.label: c for c in example.project.codebook().attribute("stance", "polarity").choices
    }
    example.project.update_choice(polarity["support"].id, label="long")
    _export(example.project, tmp_path / "out", formats=("csv", "dta"))
    section = (
        (tmp_path / "out" / "DATA_DICTIONARY.md")
        .read_text("utf-8")
        .split("## Stata, SPSS and Excel files")[1]
    )
    assert "| file | CSV column | Stata |\n| --- | --- | --- |" in section
    assert "| `actor_by_polarity` | `long` | `long_` |" in section


def test_coder_filter_keeps_only_that_coders_annotations(example, tmp_path):
    out = tmp_path / "out"
    result = _export(example.project, out, coder="Bo")
    anns = list(csv.DictReader((out / "annotations.csv").open(encoding="utf-8")))
    assert {a["coder"] for a in anns} == {"Bo"} and len(anns) == 3
    assert result.files["documents.csv"] == 2
    assert result.files["codebook.csv"] == 17
    docs = {
        d["document_id"]: d for d in csv.DictReader((out / "documents.csv").open(encoding="utf-8"))
    }
    assert docs[example.doc.id]["annotation_count"] == "2"
    claims = list(csv.DictReader((out / "claims.csv").open(encoding="utf-8")))
    assert claims == []  # the claims are Ana's
    statements = list(csv.DictReader((out / "statements.csv").open(encoding="utf-8")))
    assert {s["coder"] for s in statements} == {"Bo"} and len(statements) == 2
    actors = {
        r["name"]: r for r in csv.DictReader((out / "actor_by_polarity.csv").open(encoding="utf-8"))
    }
    assert actors["Seoul"]["stances"] == "0"
    assert actors["Vladimir Putin"]["stances"] == "2"


def _no_writers(monkeypatch) -> None:
    """Neither the Stata/SPSS writer nor the xlsx writer's extra installed."""
    import types

    class MissingExtra(Exception):
        pass

    def write_xlsx(tables, path, warnings=None):
        raise MissingExtra("install annotator[excel]")

    fake = types.ModuleType("annotator.exporting.xlsx")
    fake.write_xlsx = write_xlsx
    monkeypatch.setitem(sys.modules, "annotator.exporting.stata_spss", None)  # import fails
    monkeypatch.setitem(sys.modules, "annotator.exporting.xlsx", fake)


def test_no_warning_about_files_that_were_not_written(project, tmp_path, monkeypatch):
    _no_writers(monkeypatch)
    _number_attribute(project, "Weight", "about 3", 2.5)
    result = _export(project, tmp_path / "out", formats=("csv", "dta", "sav", "xlsx"))
    assert set(result.skipped_formats) == {"dta", "sav", "xlsx"}
    assert result.warnings == []


def test_missing_writers_are_skipped_with_a_reason(example, tmp_path, monkeypatch):
    _no_writers(monkeypatch)
    result = _export(example.project, tmp_path / "out", formats=("csv", "dta", "sav", "xlsx"))
    assert set(result.skipped_formats) == {"dta", "sav", "xlsx"}
    assert result.skipped_formats["xlsx"] == "install annotator[excel]"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["skipped_formats"] == result.skipped_formats
    assert "annotations.csv" in result.files


def test_long_cells_are_reported_in_excel_profile(project, tmp_path):
    long_text = "x" * 40_000
    project.import_text(long_text, title="Long")
    result = _export(project, tmp_path / "out", profile="excel")
    assert any("documents.csv, column text, row 1" in w for w in result.warnings)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["warnings"] == result.warnings


def test_the_dictionary_covers_the_stata_spss_and_excel_files(example, tmp_path):
    pytest.importorskip("pyreadstat")
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    _export(example.project, out, formats=("csv", "dta", "sav", "xlsx"))
    markdown = (out / "DATA_DICTIONARY.md").read_text("utf-8")
    assert "| `annotations.dta` | see “Stata, SPSS and Excel files” |" in markdown
    assert "| `export.xlsx` | see “Stata, SPSS and Excel files” |" in markdown
    section = markdown.split("## Stata, SPSS and Excel files")[1]
    assert (
        "| `annotations` | `stance.polarity_code` | `stance_polarity_code` | "
        "`stance_polarity_code` |"
    ) in section
    assert "`data_dictionary`" not in section  # written as CSV only
    sheet = openpyxl.load_workbook(out / "export.xlsx")["data_dictionary"]
    rows = list(sheet.iter_rows(values_only=True))
    dictionary = _csv(out / "data_dictionary.csv")
    assert [list(r) for r in rows][0] == dictionary[0] and len(rows) == len(dictionary)
    _export(example.project, tmp_path / "csv")
    assert "## Stata, SPSS and Excel files" not in (
        tmp_path / "csv" / "DATA_DICTIONARY.md"
    ).read_text("utf-8")


def test_references_to_things_no_longer_there_are_reported(example, tmp_path):
    path = example.project.path
    example.project.close()
    import sqlite3

    raw = sqlite3.connect(path)  # another tool, foreign keys off, deletes rows
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("DELETE FROM actors WHERE id = ?", (example.putin.id,))
    raw.execute("DELETE FROM annotations WHERE id = ?", (example.claim.id,))
    raw.execute("DELETE FROM choices WHERE label = 'oppose'")
    raw.commit()
    raw.close()
    with open_project(path) as project:
        result = _export(project, tmp_path / "out")
    warning, networks = result.warnings
    # The stance whose target claim went has no concept: the networks say they leave it.
    assert networks.startswith("actor_congruence and actor_conflict leave out 1 statement")
    assert warning == (
        f"3 referenced things are no longer in the project (e.g. actor "
        f"{example.putin.id}): the reference cells keep the id, which joins "
        "no file"
    )
    rows = list(csv.DictReader((tmp_path / "out" / "annotations.csv").open(encoding="utf-8")))
    assert example.claim.id in {r["stance.target_id"] for r in rows}
    assert example.claim.id not in {r["annotation_id"] for r in rows}


def test_every_file_an_export_writes_is_one_it_may_replace_later(example, tmp_path):
    from annotator.exporting.analysis import EXPORT_FILES

    pytest.importorskip("pyreadstat")
    pytest.importorskip("openpyxl")
    result = _export(example.project, tmp_path / "out", formats=("csv", "dta", "sav", "xlsx"))
    assert not result.skipped_formats
    assert set(result.written) <= EXPORT_FILES
    assert set(os.listdir(tmp_path / "out")) == set(result.written)


def test_excel_counts_length_as_excel_does(project, tmp_path):
    doc = project.import_text("Alpha beta gamma.", title="t")
    project.add_annotation(doc.id, 0, 5, "actor", coder="Ana", memo="👍" * 17_000)
    result = _export(project, tmp_path / "out", profile="excel")
    (warning,) = result.warnings
    assert warning.startswith("annotations.csv, column memo, row 1: 34,000 characters")


def test_cells_cut_in_the_workbook_are_reported(project, tmp_path):
    pytest.importorskip("openpyxl")
    project.import_text("y" * 40_000, title="Long")
    result = _export(project, tmp_path / "out", formats=("csv", "xlsx"))
    (warning,) = result.warnings
    assert warning.startswith("documents.csv, column text, row 1: text longer than Excel's")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["warnings"] == result.warnings


def test_excel_profile_neutralises_text_in_a_number_column(project, tmp_path):
    formula, negative = _number_attribute(project, "Score", "=1+2", -2.5)
    _export(project, tmp_path / "out", profile="excel")
    rows = _csv(tmp_path / "out" / "annotations.csv", "utf-8-sig")
    column = rows[0].index("frame.score")
    by_id = {r[0]: r[column] for r in rows[1:]}
    assert (by_id[formula.id], by_id[negative.id]) == ("'=1+2", "-2.5")


def test_document_variables_keep_their_type(project, tmp_path):
    project.add_variable("Outlet type", "choice", key="outlet", choices=["tabloid", "broadsheet"])
    project.add_variable("Year", "number", key="year")
    project.add_variable("Published on", "date", key="published")
    project.add_variable("Front page", "boolean", key="front")
    project.add_variable("Desk", key="desk")
    doc = project.import_text("Alpha beta gamma.", title="t")
    project.set_document_variables(
        doc.id,
        {
            "outlet": "tabloid",
            "year": "2024",
            "published": "2024-06",
            "front": "yes",
            "desk": "Politics",
        },
    )
    out = tmp_path / "out"
    _export(project, out)
    rows = {
        r["column"]: r
        for r in csv.DictReader((out / "data_dictionary.csv").open(encoding="utf-8", newline=""))
        if r["file"] == "documents.csv"
    }
    described = {
        name: (rows[name]["type"], rows[name]["description"], rows[name]["allowed_values"])
        for name in ("var.outlet", "var.year", "var.published", "var.front", "var.desk")
    }
    assert described == {
        "var.outlet": (
            "string",
            "document variable: Outlet type",
            "tabloid (no code) | broadsheet (no code)",
        ),
        "var.year": ("number", "document variable: Year", ""),
        "var.published": (  # a partial date: text, not typed as a date
            "string",
            "document variable: Published on (YYYY, YYYY-MM or YYYY-MM-DD); "
            "text, not typed as a date: it holds partial dates (a year or a month)",
            "",
        ),
        "var.front": ("integer", "document variable: Front page (1 yes, 0 no)", "1 = yes | 0 = no"),
        "var.desk": ("string", "document variable: Desk", ""),
    }
    (document,) = csv.DictReader((out / "documents.csv").open(encoding="utf-8", newline=""))
    assert (document["var.year"], document["var.front"]) == ("2024", "1")
    pyreadstat = pytest.importorskip("pyreadstat")
    _export(project, tmp_path / "stata", formats=("csv", "dta"))
    data, meta = pyreadstat.read_dta(str(tmp_path / "stata" / "documents.dta"))
    assert data["var_year"].tolist() == [2024.0]
    assert meta.variable_value_labels["var_front"] == {1.0: "yes", 0.0: "no"}


def test_unknown_profile_or_format_is_refused(project, tmp_path):
    with pytest.raises(ValueError, match="profile"):
        _export(project, tmp_path / "out", profile="stata")
    with pytest.raises(ValueError, match="format"):
        _export(project, tmp_path / "out", formats=("parquet",))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "text", ['Kim & "Putin" <Seoul>', "line\r\nbreak\ttab", "plain 👍🏽 소아쌤", ""]
)
def test_graphml_escapes_as_elementtree_does(text):
    import xml.etree.ElementTree as ET

    from annotator.exporting.network import _attrib, _cdata

    element = ET.Element("data", key=text)
    element.text = text
    expected = ET.tostring(element, encoding="unicode")
    assert expected in (
        f'<data key="{_attrib(text)}">{_cdata(text)}</data>',
        f'<data key="{_attrib(text)}" />',
    )
