"""claims.csv holds every attribute of the claim category, and statements.csv
the kind of each stance's target: real exports read back with csv and pandas."""

from __future__ import annotations

import pandas as pd
import pytest

from annotator.core.codebook import Value
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.claims import CLAIM_COLUMNS, STATEMENT_COLUMNS
from annotator.exporting.model import ExportOptions
from tests.exporting.coded_example import Example, build, header, read_csv, span


@pytest.fixture
def example(project) -> Example:
    return build(project)


def _claim_attributes(ex: Example) -> dict[str, str]:
    """A note, an intensity (choice) and a flag on the claim category; the example's
    claim gets a note and an intensity, a second claim only a flag."""
    project = ex.project
    claim = project.codebook().category("claim")
    note = project.add_attribute(claim.id, "Note", "text")
    intensity = project.add_attribute(claim.id, "Intensity", "choice")
    flag = project.add_attribute(claim.id, "Flag", "boolean")
    strong = project.add_choice(intensity.id, "strong", code=2)
    project.set_value(ex.claim.id, Value(note.id, text='said "twice", at least'))
    project.set_value(ex.claim.id, Value(intensity.id, choice_id=strong.id))
    lone = project.add_annotation(
        ex.doc.id, *span(project, ex.doc, "Analysts doubt it"), "claim", coder="Cy"
    )
    project.set_value(lone.id, Value(flag.id, number=1))
    return {"lone": lone.id}


@pytest.mark.parametrize("formats", [("csv",), ("csv", "dta")])
def test_claims_csv_ends_with_every_other_attribute_of_the_claim(example, tmp_path, formats):
    ex = example
    lone = _claim_attributes(ex)["lone"]
    out = tmp_path / "out"
    export_for_analysis(ex.project, out, ExportOptions(formats=formats))
    extra = ["claim.note", "claim.intensity", "claim.intensity_code", "claim.flag"]
    assert header(out / "claims.csv") == [*CLAIM_COLUMNS, *extra]
    rows = read_csv(out / "claims.csv")
    assert [r["claim_id"] for r in rows] == [ex.claim.id, ex.claim.id, lone]
    for row in rows[:2]:  # repeated on each linked stance's row
        assert [row[c] for c in extra] == ['said "twice", at least', "strong", "2", ""]
    assert [rows[2][c] for c in extra] == ["", "", "", "1"]
    assert rows[2]["stance_id"] == ""
    # The cells are those of annotations.csv.
    wide = {r["annotation_id"]: r for r in read_csv(out / "annotations.csv")}
    for row in rows:
        assert [row[c] for c in extra] == [wide[row["claim_id"]][c] for c in extra]
    dictionary = read_csv(out / "data_dictionary.csv")
    described = {r["column"]: r for r in dictionary if r["file"] == "claims.csv"}
    assert described["claim.intensity_code"]["allowed_values"] == "2 = strong"
    assert described["claim.flag"]["type"] == "integer"


def test_pandas_reads_the_claim_attributes_typed(example, tmp_path):
    ex = example
    _claim_attributes(ex)
    out = tmp_path / "out"
    export_for_analysis(ex.project, out, ExportOptions())
    frame = pd.read_csv(out / "claims.csv")
    assert frame["claim.intensity_code"].tolist()[:2] == [2.0, 2.0]
    assert frame["claim.note"].tolist()[0] == 'said "twice", at least'


def test_a_default_codebook_keeps_claims_csv_as_it_was(example, tmp_path):
    out = tmp_path / "out"
    export_for_analysis(example.project, out, ExportOptions())
    assert header(out / "claims.csv") == list(CLAIM_COLUMNS)


def test_statements_csv_names_the_kind_of_each_target(example, tmp_path):
    ex = example
    project = ex.project
    attr = project.codebook().attribute
    issue = attr("claim", "issue").choices[0]
    lone = project.add_annotation(
        ex.doc.id, *span(project, ex.doc, "Analysts doubt it"), "claim", coder="Cy"
    )

    def stance(needle: str, target: Value) -> str:
        return project.add_annotation(
            ex.doc.id, *span(project, ex.doc, needle), "stance", coder="Cy", values=[target]
        ).id

    target = attr("stance", "target").id
    on_issue = stance("Washington", Value(target, choice_id=issue.id))
    on_actor = stance("Seoul", Value(target, actor_id=ex.putin.id))
    on_mention = stance("Analysts", Value(target, annotation_id=ex.mention.id))
    untargeted = stance("talks", Value(attr("stance", "holder").id, actor_id=ex.putin.id))
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions())
    assert header(out / "statements.csv") == list(STATEMENT_COLUMNS)
    assert STATEMENT_COLUMNS[-1] == "target_kind"
    kinds = {r["statement_id"]: r["target_kind"] for r in read_csv(out / "statements.csv")}
    assert kinds == {
        ex.oppose.id: "annotation",
        ex.support.id: "annotation",
        on_issue: "choice",
        on_actor: "actor",
        on_mention: "annotation",
        untargeted: "",
        lone.id: "",
    }
