"""The big tables' quoted rows, joined with ",", are exactly what csv.writer writes
for the same tables built with values; a carriage return falls back to csv.writer."""

import csv
import io

import pytest

from annotator.core.codebook import Value
from annotator.exporting.analysis import build_tables, export_for_analysis
from annotator.exporting.csv_cells import RAW, csv_cell, csv_form
from annotator.exporting.data import ExportData
from annotator.exporting.model import ExportOptions
from tests.exporting.coded_example import build, span, write_unchecked

AWKWARD = ['Kim, the "leader"', "two\nlines", '"', ",", "", "plain", "=1+1", "👍🏽 소아쌤, x"]


@pytest.fixture
def example(project):
    """The coded example, plus every attribute type, and names, labels and memos
    that need quoting."""
    ex = build(project)
    frame = project.add_category("Frame, or not", "#aa00aa")
    note = project.add_attribute(frame.id, "Note", "text")
    weight = project.add_attribute(frame.id, "Weight", "number")
    salient = project.add_attribute(frame.id, "Salient", "boolean")
    about = project.add_attribute(frame.id, "About", "reference", targets=[])
    kind = project.add_attribute(frame.id, "Kind", "choice")
    odd = project.add_choice(kind.id, 'odd, "very"', code=2.5)
    boss = project.add_actor('Kim, "the boss"', type="person, party", country="K,R")
    doc = project.import_text(
        "Alpha beta gamma delta epsilon zeta eta theta.",
        title='Second, "quoted"\ntitle',
        source="a,b",
        date="2024",
    )
    for i, memo in enumerate(AWKWARD):
        word = ["Alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"][i]
        annotation = project.add_annotation(
            doc.id,
            *span(project, doc, word),
            frame.key,
            coder='Lee, "Jr"' if i % 2 else "Ana",
            memo=memo,
        )
        write_unchecked(  # yes/no as text, references to another document
            project,
            annotation.id,
            [
                Value(note.id, text=memo),
                Value(weight.id, number=[1.0, 2.5, -3.0, 1e-7][i % 4]),
                Value(salient.id, text=["yes", "No", "", "maybe"][i % 4]),
                Value(
                    about.id,
                    **[
                        {"annotation_id": ex.claim.id},
                        {"actor_id": boss.id},
                        {"choice_id": odd.id},
                        {"annotation_id": ex.mention.id},
                    ][i % 4],
                ),
                Value(kind.id, choice_id=odd.id),
            ][: 1 + i % 5],
        )
    project.add_annotation(
        ex.doc.id,
        *span(project, ex.doc, "Analysts"),
        "stance",
        coder="Ana",
        memo="x,y",
        values=[Value(project.codebook().attribute("stance", "holder").id, actor_id=boss.id)],
    )
    return ex


def _csv_writer_text(table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return out.getvalue()


@pytest.mark.parametrize("coder", [None, "Ana"])
def test_quoted_rows_join_to_what_csv_writer_writes(example, coder):
    data = ExportData(example.project, coder)
    quoted = build_tables(data, csv_form())
    values = build_tables(data, RAW)
    big = {"annotations", "annotation_values", "claims", "statements"}
    assert {t.name for t in quoted if t.quoted} == big
    for mine, theirs in zip(quoted, values, strict=True):
        if not mine.quoted:
            continue
        assert len(mine.rows) == len(theirs.rows) > 0
        text = "".join(",".join(row) + "\n" for row in [map(csv_cell, mine.header), *mine.rows])
        assert text == _csv_writer_text(theirs), mine.name


def test_a_carriage_return_quotes_every_cell_of_that_file_only(example, tmp_path):
    project = example.project
    project.set_memo(example.claim.id, "one\rtwo, three")
    export_for_analysis(project, tmp_path / "out", ExportOptions())
    raw = (tmp_path / "out" / "annotations.csv").read_bytes()
    assert raw.startswith(b'"annotation_id","document_id"')  # QUOTE_ALL
    with (tmp_path / "out" / "annotations.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["annotation_id"]: r for r in csv.DictReader(handle)}
    assert rows[example.claim.id]["memo"] == "one\rtwo, three"
    assert len(rows) == len(project.annotations())
    claims = (tmp_path / "out" / "claims.csv").read_bytes()
    assert claims.startswith(b"claim_id,document_id")  # untouched: minimal quoting


def test_blanks_give_the_same_line_in_both_forms():
    for before, count, after in [
        (["a"], 3, ["b"]),
        ([], 2, ["b"]),
        (["a"], 4, []),
        (["a"], 0, ["b"]),
        ([], 1, []),
    ]:
        expected = ",".join([*before, *RAW.blanks(count), *after])
        assert ",".join([*before, *csv_form().blanks(count), *after]) == expected
