"""Who coded which document: the lead's assignments, else the annotations; never the
adjudicated set among the default coders."""

from __future__ import annotations

from annotator.core.adjudication import ADJUDICATED
from annotator.core.agreement.report import COHEN, DOCUMENT, MATCHED, PAIR, POOLED, build_report
from annotator.core.team import Plan
from annotator.store.agreement_reads import read_agreement_source
from tests.agreement_project import build
from tests.store.test_agreement_report import pick


def assign(project, documents: dict[str, tuple[str, ...]]) -> None:
    everyone = frozenset(d for docs in documents.values() for d in docs)
    plan = Plan(tuple(documents), documents, everyone, seed=1, percent=None)
    project.record_assignments(plan, {})


def test_without_assignments_a_coder_coded_where_they_annotated(tmp_path):
    project, ids = build(tmp_path / "p.annotator")
    with project:
        report = build_report(read_agreement_source(project))
    # Only ann annotated "Solo": it is not among the compared documents.
    assert report.documents == [ids["doc"]]
    actor = pick(report, MATCHED, "actor")
    assert (actor.units_paired, actor.units_total) == (1, 1)


def test_an_assigned_document_coded_by_one_coder_counts_against_the_other(tmp_path):
    project, ids = build(tmp_path / "p.annotator")
    with project:
        assign(project, {"ann": (ids["doc"], ids["other"]), "bob": (ids["doc"], ids["other"])})
        report = build_report(read_agreement_source(project))
    # bob was given "Solo" and marked nothing there: ann's actor (0-4) is a unit of hers
    # alone, so the pooled actor units are 1 matched of 2, and "Solo"'s 0 of 1.
    assert report.documents == [ids["doc"], ids["other"]]
    actor = pick(report, MATCHED, "actor")
    assert (actor.units_paired, actor.units_total, actor.value) == (1, 2, 0.5)
    solo = [
        f
        for f in report.figures
        if f.scope == DOCUMENT and f.document_id == ids["other"] and f.measure == MATCHED
    ]
    assert [(f.category, f.value, f.units_total) for f in solo] == [("actor", 0.0, 1)]
    assert solo[0].coders == ("ann", "bob")


def test_a_coder_given_documents_who_coded_nothing_is_a_default_coder(tmp_path):
    project, ids = build(tmp_path / "p.annotator")
    with project:
        assign(project, {"ann": (ids["doc"],), "bob": (ids["doc"],), "cat": (ids["doc"],)})
        report = build_report(read_agreement_source(project))
    assert report.coders == ("ann", "bob", "cat")
    # The stance units: 4 both ann and bob marked, ann's fifth alone; cat marked none.
    stance = pick(report, MATCHED, "stance")
    assert (stance.units_paired, stance.units_total) == (4, 5)
    # ann and cat share no unit: nothing to pair for Cohen's kappa.
    kappa = pick(report, COHEN, "stance", "polarity", "nominal", scope=PAIR, coders=("ann", "cat"))
    assert kappa.value is None and kappa.units_paired == 0


def test_the_adjudicated_set_is_not_a_default_coder(tmp_path):
    project, ids = build(tmp_path / "p.annotator")
    with project:
        project.add_annotation(ids["doc"], 0, 6, "actor", coder=ADJUDICATED)
        report = build_report(read_agreement_source(project))
        asked = build_report(read_agreement_source(project), ["ann", ADJUDICATED])
    assert report.coders == ("ann", "bob")
    assert pick(report, MATCHED, "actor", scope=POOLED).units_total == 1
    # Asked for by name, it is compared like any coder.
    assert asked.coders == ("ann", ADJUDICATED)
