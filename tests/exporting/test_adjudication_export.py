"""The adjudicated set in the export: ``--coder adjudicated``, adjudication.csv,
the coders named in the manifest and dictionary, and the coders' own files
unchanged by adjudicating."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.adjudication import DecisionKind
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.ops import adjudication as adj
from annotator.ops.adjudication_units import document_units
from annotator.store.project import Project
from tests.adjudication_example import Example, build
from tests.exporting.coded_example import read_csv

SKIP = {"manifest.json", "adjudication.csv"}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name not in SKIP}


def _adjudicate(project: Project, ex: Example) -> None:
    adj.premerge(project, settled_by="Lead")
    units = document_units(project, ex.document_id)
    claim = next(u for u in units.units if u.category == "claim")
    stance = next(u for u in units.units if u.category == "stance")
    adj.settle(
        project, ex.document_id, claim.key, DecisionKind.ACCEPTED, coder="Bo", settled_by="Lead"
    )
    adj.settle(project, ex.document_id, stance.key, DecisionKind.REJECTED, settled_by="Lead")


def test_the_coders_files_do_not_change_and_the_adjudicated_set_exports(
    project: Project, tmp_path: Path
) -> None:
    ex = build(project)
    before = {}
    for coder in ("Ana", "Bo"):
        export_for_analysis(project, tmp_path / f"before-{coder}", ExportOptions(coder=coder))
        before[coder] = _files(tmp_path / f"before-{coder}")
    _adjudicate(project, ex)
    for coder in ("Ana", "Bo"):
        export_for_analysis(project, tmp_path / f"after-{coder}", ExportOptions(coder=coder))
        assert _files(tmp_path / f"after-{coder}") == before[coder], coder

    out = tmp_path / "adjudicated"
    result = export_for_analysis(project, out, ExportOptions(coder="adjudicated"))
    assert not [w for w in result.warnings if "dangling" in w or "no longer" in w]
    claims = read_csv(out / "claims.csv")
    assert [(c["claim_quote"], c["coder"], c["claimant_actor"]) for c in claims] == [
        ("Macron wants lower taxes for farmers", "adjudicated", "Emmanuel Macron")
    ]
    annotations = read_csv(out / "annotations.csv")
    ids = {a["annotation_id"] for a in annotations}
    assert claims[0]["claimant_id"] in ids  # the mention came along: no dangling reference
    assert sorted(a["quote"] for a in annotations) == [
        "Macron",
        "Macron wants lower taxes for farmers",
        "Merkel",
    ]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["coders"] == ["adjudicated"]

    rows = read_csv(out / "adjudication.csv")
    decided = [(r["category"], r["state"], r["decision"], r["decision_coder"]) for r in rows]
    assert decided == [
        ("actor", "settled", "premerged", "Ana"),
        ("actor", "settled", "accepted", "Bo"),
        ("claim", "settled", "accepted", "Bo"),
        ("stance", "settled", "rejected", ""),
    ]
    claim_row = rows[2]
    assert claim_row["Ana_values"] == "claimant=Angela Merkel; issue=taxes"
    assert claim_row["Bo_values"] == "claimant=Emmanuel Macron; issue=taxes"
    assert claim_row["adjudicated_id"] == claims[0]["claim_id"]
    assert {r["settled_by"] for r in rows} == {"Lead"}


def test_the_default_export_names_its_coders(project: Project, tmp_path: Path) -> None:
    ex = build(project)
    export_for_analysis(project, tmp_path / "before", ExportOptions())
    rows = read_csv(tmp_path / "before" / "adjudication.csv")
    assert [(r["category"], r["state"]) for r in rows] == [
        ("actor", "agreed"),
        ("actor", "single"),
        ("claim", "disagreed"),
        ("stance", "single"),
    ]
    _adjudicate(project, ex)
    out = tmp_path / "all"
    export_for_analysis(project, out, ExportOptions())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["coders"] == ["adjudicated", "Ana", "Bo"]
    dictionary = (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "Coders in this export: adjudicated, Ana, Bo." in dictionary
    assert "`adjudicated` is the adjudicated set" in dictionary


def test_one_coder_project_has_an_empty_adjudication_table(
    doc_project: tuple[Project, object], tmp_path: Path
) -> None:
    project, doc = doc_project
    project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")  # type: ignore[attr-defined]
    export_for_analysis(project, tmp_path / "out", ExportOptions())
    assert read_csv(tmp_path / "out" / "adjudication.csv") == []
