"""adjudication.csv written during the big tables' pass (from the annotations and
values read for them) is the file the table gives read a document at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.adjudication import DecisionKind
from annotator.core.codebook import Value
from annotator.exporting import analysis
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.csv_profiles import write_csv
from annotator.exporting.data import ExportData
from annotator.exporting.model import ExportOptions
from annotator.exporting.tables import TableSources, table_definition
from annotator.ops import adjudication as adj
from annotator.ops.adjudication_units import document_units
from annotator.store.project import Project
from tests.adjudication_example import build


def _one_at_a_time(project: Project, path: Path) -> bytes:
    """The table as adjudication_table reads it: document by document."""
    table = table_definition("adjudication").table(TableSources(ExportData(project)))
    write_csv(table, path)
    return path.read_bytes()


def _coded(project: Project, settle: bool) -> None:
    ex = build(project)
    # A second document coded by two coders (one linking a registry actor), and a
    # third coded by one coder (no units: not listed).
    actor = project.codebook().attribute("actor", "actor")
    assert actor is not None
    merkel = project.add_actor("Angela Merkel").id
    second = project.import_text("Merkel and Macron met.", title="Meeting").id
    project.add_annotation(second, 0, 6, "actor", coder="Ana")
    link = [Value(actor.id, actor_id=merkel)]
    project.add_annotation(second, 0, 6, "actor", coder="Cy", values=link)
    project.add_annotation(second, 11, 17, "actor", coder="Cy")
    third = project.import_text("Nobody else.", title="Alone").id
    project.add_annotation(third, 0, 6, "actor", coder="Ana")
    if settle:
        adj.premerge(project, settled_by="Lead")
        units = document_units(project, ex.document_id)
        claim = next(u for u in units.units if u.category == "claim")
        adj.settle(
            project, ex.document_id, claim.key, DecisionKind.ACCEPTED, coder="Bo", settled_by="Lead"
        )


@pytest.mark.parametrize("settle", [False, True])
def test_the_early_file_is_the_one_read_a_document_at_a_time(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settle: bool
) -> None:
    _coded(project, settle)
    monkeypatch.setattr("annotator.exporting.data.BATCH_ANNOTATIONS", 3)  # several groups
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions())
    early = (out / "adjudication.csv").read_bytes()
    assert early.count(b"\n") > 3
    assert early == _one_at_a_time(project, tmp_path / "again.csv")


def test_without_the_early_file_the_table_is_written_as_before(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a coder filter the pass reads one coder's annotations: the table (every
    coder's) is read a document at a time, as it is when the early file is off."""
    _coded(project, True)
    monkeypatch.setattr(analysis, "_early_adjudication", lambda *args: None)
    export_for_analysis(project, tmp_path / "late", ExportOptions())
    late = (tmp_path / "late" / "adjudication.csv").read_bytes()
    assert late == _one_at_a_time(project, tmp_path / "again.csv")
    export_for_analysis(project, tmp_path / "ana", ExportOptions(coder="Ana"))
    assert (tmp_path / "ana" / "adjudication.csv").read_bytes() == late
