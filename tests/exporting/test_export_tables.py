"""annotations.csv attribute columns, claims.csv, statements.csv, actors.csv and
codebook.csv, exported from real project files and read back with the csv module."""

import os

import pytest

from annotator.core.codebook import Value
from annotator.exporting.claims import CLAIM_COLUMNS, STATEMENT_COLUMNS
from annotator.exporting.codebook_tables import ACTOR_COLUMNS, CODEBOOK_COLUMNS
from annotator.exporting.csv_export import ANNOTATION_COLUMNS, export_csv
from annotator.exporting.tables import export_files
from annotator.store.errors import ProjectError
from tests.exporting.coded_example import build, header, read_csv, span

TRICKY = 'Kim, the leader, said "never"\nand =SUM(A1) 👍🏽 소아쌤'

STANCE_COLUMNS = (
    "stance_id",
    "stance_quote",
    "stance_holder",
    "stance_holder_actor",
    "polarity",
    "polarity_code",
)


@pytest.fixture
def example(project):
    return build(project)


def _export(project, tmp_path):
    out = tmp_path / "out"
    export_csv(project, out)
    return {name: read_csv(out / name) for name in os.listdir(out) if name.endswith(".csv")}


def _by_id(rows, column):
    return {row[column]: row for row in rows}


def test_annotation_columns_follow_the_codebook(example, tmp_path):
    export_csv(example.project, tmp_path / "out")
    assert header(tmp_path / "out" / "annotations.csv") == [
        *ANNOTATION_COLUMNS,
        "actor.actor_id",
        "actor.actor_kind",
        "actor.actor",
        "actor.actor_actor",
        "actor.type",
        "actor.type_code",
        "claim.claimant_id",
        "claim.claimant_kind",
        "claim.claimant",
        "claim.claimant_actor",
        "claim.issue",
        "claim.issue_code",
        "claim.addressee_id",
        "claim.addressee_kind",
        "claim.addressee",
        "claim.addressee_actor",
        "stance.polarity",
        "stance.polarity_code",
        "stance.holder_id",
        "stance.holder_kind",
        "stance.holder",
        "stance.holder_actor",
        "stance.target_id",
        "stance.target_kind",
        "stance.target",
        "stance.target_actor",
    ]


def test_annotation_attribute_values(example, tmp_path):
    ex = example
    rows = _by_id(_export(ex.project, tmp_path)["annotations.csv"], "annotation_id")
    mention, claim = rows[ex.mention.id], rows[ex.claim.id]
    oppose, support = rows[ex.oppose.id], rows[ex.support.id]
    assert (
        mention["actor.actor_id"],
        mention["actor.actor_kind"],
        mention["actor.actor"],
        mention["actor.actor_actor"],
    ) == (ex.putin.id, "actor", "Vladimir Putin", "Vladimir Putin")
    assert (
        claim["claim.claimant_id"],
        claim["claim.claimant_kind"],
        claim["claim.claimant"],
        claim["claim.claimant_actor"],
    ) == (ex.mention.id, "annotation", "Putin", "Vladimir Putin")
    assert (claim["claim.issue"], claim["claim.issue_code"]) == ("security", "3")
    assert (oppose["stance.polarity"], oppose["stance.polarity_code"]) == ("oppose", "-1")
    assert (support["stance.polarity"], support["stance.polarity_code"]) == ("support", "1")
    assert (
        oppose["stance.target_id"],
        oppose["stance.target_kind"],
        oppose["stance.target"],
        oppose["stance.target_actor"],
    ) == (ex.claim.id, "annotation", ex.claim.quote, "")
    assert oppose["stance.holder_actor"] == "Vladimir Putin"
    # columns of other categories stay empty; nobody lacks a required value
    assert all(v == "" for k, v in mention.items() if k.startswith(("claim.", "stance.")))
    assert all(v == "" for k, v in claim.items() if k.startswith(("actor.", "stance.")))
    assert {row["incomplete"] for row in rows.values()} == {"0"}


def test_text_number_boolean_and_narrow_reference_columns(doc_project, tmp_path):
    project, doc = doc_project
    frame = project.add_category("Frame", "#aa00aa")
    note = project.add_attribute(frame.id, "Note", "text")
    weight = project.add_attribute(frame.id, "Weight", "number", required=True)
    salient = project.add_attribute(frame.id, "Salient", "boolean")
    about = project.add_attribute(frame.id, "About", "reference", targets=["category:claim"])
    claim = project.add_annotation(doc.id, 10, 13, "claim", coder="Ana")
    whole = project.add_annotation(
        doc.id,
        0,
        5,
        "frame",
        coder="Ana",
        values=[
            Value(note.id, text=TRICKY),
            Value(weight.id, number=3.0),
            Value(salient.id, number=1),
            Value(about.id, annotation_id=claim.id),
        ],
    )
    half = project.add_annotation(
        doc.id,
        6,
        9,
        "frame",
        coder="Ana",
        values=[Value(weight.id, number=2.5), Value(salient.id, number=0)],
    )
    bare = project.add_annotation(doc.id, 14, 17, "frame", coder="Ana")
    export_csv(project, tmp_path / "out")
    columns = header(tmp_path / "out" / "annotations.csv")
    assert columns[-6:] == [
        "frame.note",
        "frame.weight",
        "frame.salient",
        "frame.about_id",
        "frame.about_kind",
        "frame.about",
    ]
    rows = _by_id(read_csv(tmp_path / "out" / "annotations.csv"), "annotation_id")
    assert [rows[whole.id][c] for c in columns[-6:]] == [
        TRICKY,
        "3",
        "1",
        claim.id,
        "annotation",
        "Kim",
    ]
    assert [rows[half.id][c] for c in columns[-6:]] == ["", "2.5", "0", "", "", ""]
    assert [rows[bare.id][c] for c in columns[-6:]] == [""] * 6
    assert [rows[a.id]["incomplete"] for a in (whole, half, bare, claim)] == ["0", "0", "1", "1"]


def test_claims_has_one_row_per_linked_stance(example, tmp_path):
    ex = example
    rows = _export(ex.project, tmp_path)["claims.csv"]
    assert header(tmp_path / "out" / "claims.csv") == list(CLAIM_COLUMNS)
    assert [r["claim_id"] for r in rows] == [ex.claim.id, ex.claim.id]
    first, second = rows
    assert (first["claimant_id"], first["claimant_kind"], first["claimant_mention"]) == (
        ex.mention.id,
        "annotation",
        "Putin",
    )
    assert (
        first["claimant_actor_id"],
        first["claimant_actor"],
        first["claimant_actor_type"],
        first["claimant_actor_country"],
    ) == (ex.putin.id, "Vladimir Putin", "person", "RU")
    assert (first["issue"], first["issue_code"]) == ("security", "3")
    assert (first["document_title"], first["document_source"], first["document_date"]) == (
        "Treaty, “reactions”",
        "Yonhap",
        "2024-06-20",
    )
    text = ex.project.document_text(ex.doc.id)
    assert text[int(first["claim_start"]) : int(first["claim_end"])] == first["claim_quote"]
    assert [(r["stance_id"], r["polarity"], r["polarity_code"]) for r in rows] == [
        (ex.oppose.id, "oppose", "-1"),
        (ex.support.id, "support", "1"),
    ]
    assert {
        (r["stance_holder"], r["stance_holder_actor"], r["stance_holder_actor_id"]) for r in rows
    } == {("Putin", "Vladimir Putin", ex.putin.id)}
    assert {r["addressee_actor_id"] for r in rows} == {""}


def test_every_id_joins_a_row_of_another_file(example, tmp_path):
    ex = example
    project = ex.project
    attr = project.codebook().attribute
    seoul = project.add_actor("Seoul")
    security = attr("claim", "issue").choices[0]
    project.set_value(ex.claim.id, Value(attr("claim", "addressee").id, actor_id=seoul.id))
    project.set_value(ex.support.id, Value(attr("stance", "target").id, choice_id=security.id))
    files = _export(project, tmp_path)
    actor_ids = {r["actor_id"] for r in files["actors.csv"]}
    choice_ids = {r["choice_id"] for r in files["codebook.csv"] if r["choice_label"]}
    assert security.id in choice_ids
    (claim_row,) = files["claims.csv"]  # the support stance no longer targets the claim
    assert claim_row["addressee_actor_id"] == seoul.id in actor_ids
    annotation_ids = {r["annotation_id"] for r in files["annotations.csv"]}
    for row in files["annotations.csv"]:
        for column, cell in row.items():
            if column.endswith("_id") and cell and column != "annotation_id":
                kind = row.get(column[:-3] + "_kind", "")
                joins = {
                    "annotation": annotation_ids,
                    "actor": actor_ids,
                    "choice": choice_ids,
                }.get(kind, annotation_ids | actor_ids)
                assert cell in joins or column == "document_id", (column, cell)


def test_claim_without_stances_gives_one_row(example, tmp_path):
    ex = example
    project = ex.project
    claimant = project.codebook().attribute("claim", "claimant")
    lone = project.add_annotation(
        ex.doc.id,
        *span(project, ex.doc, "Analysts doubt it"),
        "claim",
        coder="Cy",
        values=[Value(claimant.id, actor_id=ex.putin.id)],
    )
    rows = [r for r in _export(project, tmp_path)["claims.csv"] if r["claim_id"] == lone.id]
    assert len(rows) == 1
    (row,) = rows
    assert all(row[c] == "" for c in STANCE_COLUMNS)
    assert (
        row["claimant_id"],
        row["claimant_kind"],
        row["claimant_mention"],
        row["claimant_actor"],
    ) == (ex.putin.id, "actor", "", "Vladimir Putin")
    assert (row["issue"], row["issue_code"], row["coder"]) == ("", "", "Cy")


def test_statements_in_the_discourse_network_analyzer_shape(example, tmp_path):
    ex = example
    project = ex.project
    codebook = project.codebook()
    attr = codebook.attribute
    ambivalent = next(c for c in attr("stance", "polarity").choices if c.label == "ambivalent")
    security = attr("claim", "issue").choices[0]
    lone = project.add_annotation(
        ex.doc.id, *span(project, ex.doc, "Analysts doubt it"), "claim", coder="Cy"
    )
    seoul = project.add_annotation(ex.doc.id, *span(project, ex.doc, "Seoul"), "actor", coder="Cy")
    on_issue = project.add_annotation(
        ex.doc.id,
        *span(project, ex.doc, "doubt"),
        "stance",
        coder="Cy",
        values=[
            Value(attr("stance", "polarity").id, choice_id=ambivalent.id),
            Value(attr("stance", "holder").id, annotation_id=seoul.id),
            Value(attr("stance", "target").id, choice_id=security.id),
        ],
    )
    rows = _export(project, tmp_path)["statements.csv"]
    assert header(tmp_path / "out" / "statements.csv") == list(STATEMENT_COLUMNS)
    by_id = _by_id(rows, "statement_id")
    assert [r["statement_id"] for r in rows] == [ex.oppose.id, ex.support.id, lone.id, on_issue.id]
    for stance, agreement, polarity in ((ex.oppose, "-1", "oppose"), (ex.support, "1", "support")):
        row = by_id[stance.id]
        assert (
            row["actor"],
            row["actor_id"],
            row["concept"],
            row["agreement"],
            row["polarity"],
            row["claim_id"],
        ) == ("Vladimir Putin", ex.putin.id, "security", agreement, polarity, ex.claim.id)
        assert (row["date"], row["coder"], row["document_id"]) == ("2024-06-20", "Bo", ex.doc.id)
    assert {k: by_id[lone.id][k] for k in ("actor", "concept", "agreement", "claim_id")} == {
        "actor": "",
        "concept": "Analysts doubt it",
        "agreement": "",
        "claim_id": lone.id,
    }
    assert {
        k: by_id[on_issue.id][k]
        for k in ("actor", "actor_id", "concept", "agreement", "polarity", "claim_id")
    } == {
        "actor": "Seoul",
        "actor_id": "",
        "concept": "security",
        "agreement": "",
        "polarity": "ambivalent",
        "claim_id": "",
    }


def test_actors_sorted_with_aliases_and_counts(example, tmp_path):
    project = example.project
    project.add_actor(
        "government of South Korea",
        type="state",
        country="KR",
        aliases=["Seoul", "South Korea"],
        notes='says "no", often',
    )
    project.add_actor("Kim Jong Un", type="person", country="KP")
    rows = _export(project, tmp_path)["actors.csv"]
    assert header(tmp_path / "out" / "actors.csv") == list(ACTOR_COLUMNS)
    assert [r["name"] for r in rows] == [
        "government of South Korea",
        "Kim Jong Un",
        "Vladimir Putin",
    ]
    korea, _, putin = rows
    assert (korea["aliases"], korea["notes"], korea["country"]) == (
        "Seoul | South Korea",
        'says "no", often',
        "KR",
    )
    assert (putin["actor_id"], putin["type"], putin["aliases"], putin["mention_count"]) == (
        example.putin.id,
        "person",
        "Putin",
        "1",
    )


def test_codebook_rows(example, tmp_path):
    project = example.project
    project.add_category("Frame", "#aa00aa", hotkey="4")
    rows = _export(project, tmp_path)["codebook.csv"]
    assert header(tmp_path / "out" / "codebook.csv") == list(CODEBOOK_COLUMNS)
    polarity = [
        r for r in rows if (r["category_key"], r["attribute_key"]) == ("stance", "polarity")
    ]
    assert [(r["choice_label"], r["choice_code"]) for r in polarity] == [
        ("support", "1"),
        ("oppose", "-1"),
        ("neutral", "0"),
        ("ambivalent", ""),
    ]
    assert {(r["attribute_type"], r["required"]) for r in polarity} == {("choice", "1")}
    (target,) = [r for r in rows if r["attribute_key"] == "target"]
    assert target["targets"] == "category:claim | category:actor | registry | choices:claim.issue"
    assert target["choice_label"] == ""
    (issue,) = [r for r in rows if r["attribute_key"] == "issue"]
    assert (issue["choice_label"], issue["choice_code"], issue["required"]) == (
        "security",
        "3",
        "0",
    )
    (frame,) = [r for r in rows if r["category_key"] == "frame"]
    assert (frame["category_label"], frame["category_hotkey"], frame["attribute_key"]) == (
        "Frame",
        "4",
        "",
    )


def test_export_is_byte_identical_twice(example, tmp_path):
    export_csv(example.project, tmp_path / "a")
    export_csv(example.project, tmp_path / "b")
    names = sorted(n for n in os.listdir(tmp_path / "a") if n != "manifest.json")
    assert names == sorted(
        n for n in export_files(("csv",), actor_networks=False) if n != "manifest.json"
    )
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        assert b"\r\n" not in (tmp_path / "a" / name).read_bytes()


def test_tricky_quotes_survive_every_file(project, tmp_path):
    doc = project.import_text(f"Intro. {TRICKY} End.", title="=cmd|' /C calc'!A0")
    claim_attr = project.codebook().attribute
    start = project.document_text(doc.id).index("Kim")
    mention = project.add_annotation(doc.id, start, start + 3, "actor", coder="Ana")
    claim = project.add_annotation(
        doc.id,
        start,
        start + len(TRICKY),
        "claim",
        coder="Ana",
        values=[Value(claim_attr("claim", "claimant").id, annotation_id=mention.id)],
    )
    files = _export(project, tmp_path)
    (row,) = [r for r in files["annotations.csv"] if r["annotation_id"] == claim.id]
    assert row["quote"] == TRICKY
    assert files["claims.csv"][0]["claim_quote"] == TRICKY
    assert files["claims.csv"][0]["claimant_mention"] == "Kim"
    (statement,) = files["statements.csv"]
    assert (statement["concept"], statement["actor"]) == (TRICKY, "Kim")
    assert statement["document_title"] == "=cmd|' /C calc'!A0"


def test_drifted_quote_stops_the_export_and_writes_nothing(example, tmp_path):
    project = example.project
    with project.db.atomic():
        project.db.execute("UPDATE annotations SET quote = 'x' WHERE id = ?", [example.claim.id])
    with pytest.raises(ProjectError) as raised:
        export_csv(project, tmp_path / "out")
    claim = example.claim
    assert str(raised.value).startswith(
        f"An annotation no longer matches the document text: “x” (claim, characters "
        f"{claim.start}–{claim.end} of “Treaty, “reactions””) is not what the text holds"
    )
    assert not (tmp_path / "out").exists()
    with project.db.atomic():
        project.db.execute("UPDATE annotations SET quote = 'y' WHERE id = ?", [example.support.id])
    with pytest.raises(ProjectError, match="^2 annotations no longer match the document text"):
        export_csv(project, tmp_path / "out")


def _count_queries(project, out):
    statements = []
    project.db.conn.set_trace_callback(statements.append)
    try:
        export_csv(project, out)
    finally:
        project.db.conn.set_trace_callback(None)
    return len(statements)


def test_export_runs_the_same_few_queries_however_many_annotations(example, tmp_path):
    project = example.project
    small = _count_queries(project, tmp_path / "small")
    codebook = project.codebook()
    claimant = codebook.attribute("claim", "claimant")
    text = project.document_text(example.doc.id)
    for n in range(30):
        project.add_annotation(
            example.doc.id,
            n,
            n + 5,
            "claim",
            coder="Ana",
            values=[Value(claimant.id, annotation_id=example.mention.id)],
        )
    assert len(text) > 35
    assert _count_queries(project, tmp_path / "large") == small


def test_export_copes_with_a_codebook_without_stances_or_claimants(example, tmp_path):
    project = example.project
    codebook = project.codebook()
    project.delete_attribute(codebook.attribute("claim", "claimant").id)
    project.delete_category(project.category("stance").id)
    files = _export(project, tmp_path)
    (claim,) = files["claims.csv"]
    assert (claim["claimant_id"], claim["issue"], claim["stance_id"]) == ("", "security", "")
    (statement,) = files["statements.csv"]
    assert (statement["statement_id"], statement["concept"]) == (example.claim.id, "security")
    columns = header(tmp_path / "out" / "annotations.csv")
    assert not [c for c in columns if c.startswith(("stance.", "claim.claimant"))]


def test_derived_column_names_win_over_an_attribute_named_like_them(project, tmp_path):
    frame = project.add_category("Frame", "#aa00aa")
    note = project.add_attribute(frame.id, "Kind code", "text", key="kind_code")
    kind = project.add_attribute(
        frame.id, "Kind", "choice", key="kind", choices=[{"label": "economic", "code": 1}]
    )
    ref_id = project.add_attribute(frame.id, "Ref id", "text", key="ref_id")
    ref = project.add_attribute(frame.id, "Ref", "reference", key="ref", targets=["registry"])
    seoul = project.add_actor("Seoul")
    doc = project.import_text("Alpha beta gamma.", title="t")
    project.add_annotation(
        doc.id,
        0,
        5,
        frame.key,
        coder="Ana",
        values=[
            Value(note.id, text="a note"),
            Value(kind.id, choice_id=kind.choices[0].id),
            Value(ref_id.id, text="typed"),
            Value(ref.id, actor_id=seoul.id),
        ],
    )
    (row,) = _export(project, tmp_path)["annotations.csv"]
    assert (row["frame.kind"], row["frame.kind_code"], row["frame.kind_code_2"]) == (
        "economic",
        "1",
        "a note",
    )
    assert (
        row["frame.ref_id"],
        row["frame.ref_kind"],
        row["frame.ref"],
        row["frame.ref_id_2"],
    ) == (seoul.id, "actor", "Seoul", "typed")
    names = header(tmp_path / "out" / "annotations.csv")
    assert names[-8:] == [
        "frame.kind_code_2",
        "frame.kind",
        "frame.kind_code",
        "frame.ref_id_2",
        "frame.ref_id",
        "frame.ref_kind",
        "frame.ref",
        "frame.ref_actor",
    ]
