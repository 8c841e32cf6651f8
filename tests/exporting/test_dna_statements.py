"""dna_statements.csv against a hand-made example: the Discourse Network
Analyzer's statement event list, `;`-separated, agreement 1 support / 0 oppose."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from annotator.core.codebook import Value
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.dna import DNA_COLUMNS
from annotator.exporting.model import ExportOptions
from annotator.store.project import Project

TEXT = "Kim; the minister backed the bill. The union fought it. Lee shrugged. Park hedged."


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _build(project: Project) -> dict[str, str]:
    """Kim (a person) supports the bill claim, the union (an organization) opposes it,
    Lee is neutral, Park ambivalent, a mention without registry actor opposes too."""
    attr = project.codebook().attribute
    doc = project.import_text(
        TEXT, title="Bill; day 1", author="A. Writer", source="Daily", date="2024-03-01"
    )
    kim = project.add_actor("Kim Min", type="Person")
    union = project.add_actor("Metal Union", type="trade union")
    lee = project.add_actor("Lee", type="person")
    bill = project.add_choice(attr("claim", "issue").id, "bill", code=1)
    claim = project.add_annotation(
        doc.id,
        *_span(TEXT, "backed the bill"),
        "claim",
        coder="Ana",
        values=[Value(attr("claim", "issue").id, choice_id=bill.id)],
    )
    mention = project.add_annotation(doc.id, *_span(TEXT, "Park"), "actor", coder="Ana")
    polarity = {c.label: c.id for c in attr("stance", "polarity").choices}

    def stance(needle: str, label: str, holder: Value, coder: str = "Bo") -> str:
        return project.add_annotation(
            doc.id,
            *_span(TEXT, needle),
            "stance",
            coder=coder,
            values=[
                Value(attr("stance", "polarity").id, choice_id=polarity[label]),
                holder,
                Value(attr("stance", "target").id, annotation_id=claim.id),
            ],
        ).id

    holder = attr("stance", "holder").id
    return {
        "doc": doc.id,
        "kim": stance("Kim; the minister backed", "support", Value(holder, actor_id=kim.id)),
        "union": stance("The union fought it", "oppose", Value(holder, actor_id=union.id)),
        "lee": stance("Lee shrugged", "neutral", Value(holder, actor_id=lee.id)),
        "park": stance("Park hedged", "ambivalent", Value(holder, annotation_id=mention.id)),
        "mention": stance("hedged", "oppose", Value(holder, annotation_id=mention.id), "Cy"),
    }


def _expected(ids: dict[str, str]) -> list[list[str]]:
    """The file as written by hand."""
    doc = [ids["doc"], "Bill; day 1", "A. Writer", "Daily"]
    return [
        list(DNA_COLUMNS),
        [ids["kim"], "2024-03-01", "Kim Min", "", "bill", "1", "0", "24",
         "Kim; the minister backed", "Bo", *doc],
        [ids["union"], "2024-03-01", "", "Metal Union", "bill", "0", "35", "54",
         "The union fought it", "Bo", *doc],
        [ids["mention"], "2024-03-01", "", "Park", "bill", "0", "75", "81", "hedged", "Cy", *doc],
    ]  # fmt: skip


@pytest.mark.parametrize("formats", [("csv",), ("csv", "dta", "sav")])
def test_the_event_list_is_the_hand_made_one(project, tmp_path, formats):
    ids = _build(project)
    out = tmp_path / "out"
    result = export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=formats))
    raw = (out / "dna_statements.csv").read_text(encoding="utf-8")
    assert raw.splitlines()[0] == ";".join(DNA_COLUMNS)
    assert '"Kim; the minister backed"' in raw and '"Bill; day 1"' in raw
    with (out / "dna_statements.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows == _expected(ids)
    assert result.files["dna_statements.csv"] == 3
    assert result.warnings == [
        "dna_statements.csv leaves out 2 stances whose polarity is neither agreement nor "
        "disagreement (1 neutral, 1 ambivalent): the Discourse Network Analyzer's agreement "
        "is 1 or 0; statements.csv has them",
        # the mention "Park" opposing is linked to no registry actor
        "actor_congruence and actor_conflict leave out 1 statement whose holder is not "
        "linked to a registry actor (an unlinked mention, or none): the networks' nodes are "
        "registry actors; dna_statements.csv has them",
    ]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["warnings"] == result.warnings
    assert manifest["files"]["dna_statements.csv"]["rows"] == 3


def test_pandas_reads_it_with_its_separator(project, tmp_path):
    ids = _build(project)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True))
    frame = pd.read_csv(out / "dna_statements.csv", sep=";", keep_default_na=False)
    assert frame["agreement"].tolist() == [1, 0, 0]
    assert frame["statement_id"].tolist() == [ids["kim"], ids["union"], ids["mention"]]
    assert frame["start"].tolist() == [0, 35, 75]


def test_the_excel_profile_keeps_the_separator(project, tmp_path):
    ids = _build(project)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True, profile="excel"))
    raw = (out / "dna_statements.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfstatement_id;time;") and b"\r\n" in raw
    with (out / "dna_statements.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows == _expected(ids)


def test_a_carriage_return_in_a_quote_quotes_every_cell(project, tmp_path):
    attr = project.codebook().attribute
    doc = project.import_text("Kim said yes.", title="t", source="one\rtwo; three")
    kim = project.add_actor("Kim", type="person")
    support = next(c for c in attr("stance", "polarity").choices if c.label == "support")
    stance = project.add_annotation(
        doc.id,
        0,
        8,
        "stance",
        coder="Bo",
        values=[
            Value(attr("stance", "polarity").id, choice_id=support.id),
            Value(attr("stance", "holder").id, actor_id=kim.id),
        ],
    )
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True))
    raw = (out / "dna_statements.csv").read_bytes()
    assert raw.startswith(b'"statement_id";"time";')
    with (out / "dna_statements.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["statement_id"], r["text"], r["document_source"]) for r in rows] == [
        (stance.id, "Kim said", "one\rtwo; three")
    ]


def test_the_dictionary_says_how_polarity_and_actors_are_mapped(project, tmp_path):
    _build(project)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True))
    with (out / "data_dictionary.csv").open(encoding="utf-8", newline="") as handle:
        listed = {
            r["column"]: r for r in csv.DictReader(handle) if r["file"] == "dna_statements.csv"
        }
    assert list(listed) == list(DNA_COLUMNS)
    assert listed["agreement"]["allowed_values"] == (
        "1 = agreement (support) | 0 = disagreement (oppose)"
    )
    assert "neutral" in listed["agreement"]["description"]
    assert "person" in listed["person"]["description"]
    markdown = Path(out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "separated by `;`" in markdown


def test_a_stance_without_polarity_is_left_out_without_a_warning(project, tmp_path):
    attr = project.codebook().attribute
    doc = project.import_text("Kim said yes.", title="t")
    kim = project.add_actor("Kim", type="person")
    project.add_annotation(
        doc.id,
        0,
        8,
        "stance",
        coder="Bo",
        values=[Value(attr("stance", "holder").id, actor_id=kim.id)],
    )
    out = tmp_path / "out"
    result = export_for_analysis(project, out, ExportOptions(actor_networks=True))
    assert result.files["dna_statements.csv"] == 0
    assert result.files["statements.csv"] == 1
    assert result.warnings == []
    assert (out / "dna_statements.csv").read_text(encoding="utf-8") == ";".join(DNA_COLUMNS) + "\n"
