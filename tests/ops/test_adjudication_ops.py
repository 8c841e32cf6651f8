"""Settling units into the adjudicated set, on a real project file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from annotator.core.adjudication import ADJUDICATED, DecisionKind, UnitState
from annotator.core.codebook import Value
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.ops import adjudication as adj
from annotator.ops.adjudication_units import Board, document_units
from annotator.ops.values import set_memo
from annotator.store.project import Project
from tests.adjudication_example import Example, build


@pytest.fixture
def example(project: Project) -> Example:
    return build(project)


def _unit(project: Project, ex: Example, category: str) -> str:
    units = document_units(project, ex.document_id)
    return next(u.key for u in units.units if u.category == category)


def _adjudicated(project: Project) -> list[tuple[str, str]]:
    return [(a.category, a.quote) for a in project.annotations() if a.coder == ADJUDICATED]


def _coders_rows(project: Project) -> list[tuple[object, ...]]:
    rows = [a for a in project.annotations() if a.coder != ADJUDICATED]
    return [(*a, sorted(project.values(a.id).values())) for a in rows]


def test_states_of_the_sample(project: Project, example: Example) -> None:
    units = document_units(project, example.document_id)
    states = [(u.category, units.state(u)) for u in units.units]
    assert states == [
        ("actor", UnitState.AGREED),
        ("actor", UnitState.SINGLE),
        ("claim", UnitState.DISAGREED),
        ("stance", UnitState.SINGLE),
    ]
    assert (units.settled, units.unsettled) == (0, 4)


def test_premerge_settles_the_agreed_actor_and_keeps_it_on_a_rerun(
    project: Project, example: Example
) -> None:
    before = _coders_rows(project)
    report = adj.premerge(project, settled_by="Lead").value
    assert (report.agreed, report.majority, report.carried, report.kept) == (1, 0, 0, 0)
    assert _adjudicated(project) == [("actor", "Merkel")]
    again = adj.premerge(project, settled_by="Lead").value
    assert (again.settled, again.kept, again.changed) == (0, 1, ())
    assert _coders_rows(project) == before
    # A coder's annotation changed underneath the decision: reported, decision kept.
    set_memo(project, example.ana_actor, "the chancellor")
    third = adj.premerge(project, settled_by="Lead").value
    assert third.settled == 0 and third.kept == 1
    assert [c.notes for c in third.changed] == [("Ana's annotation was changed",)]
    assert len(project.decisions()) == 1


def test_accepting_a_claim_brings_its_claimant_mention_along(
    project: Project, example: Example
) -> None:
    before = _coders_rows(project)
    adj.premerge(project, settled_by="Lead")
    result = adj.settle(
        project,
        example.document_id,
        _unit(project, example, "claim"),
        DecisionKind.ACCEPTED,
        coder="Bo",
        settled_by="Lead",
    )
    assert sorted(_adjudicated(project)) == [
        ("actor", "Macron"),
        ("actor", "Merkel"),
        ("claim", "Macron wants lower taxes for farmers"),
    ]
    claimant = project.codebook().attribute("claim", "claimant")
    assert claimant is not None
    claim = next(a for a in result.value.annotations if a.category == "claim")
    mention = project.values(claim.id)[claimant.id].annotation_id
    assert mention is not None and project.annotation(mention).coder == ADJUDICATED
    assert project.annotation(mention).quote == "Macron"
    decisions = {d.category + d.coder: d for d in project.decisions()}
    assert decisions["claimBo"].kind is DecisionKind.ACCEPTED
    assert decisions["actorBo"].members[0].annotation_id == example.bo_macron
    assert _coders_rows(project) == before
    # Undo takes both away; redo puts back the same ids.
    ids = sorted(a.id for a in result.value.annotations)
    undone = result.undo(project) if result.undo else None
    assert undone is not None and sorted(_adjudicated(project)) == [("actor", "Merkel")]
    redone = undone.undo(project) if undone.undo else None
    assert redone is not None
    assert sorted(a.id for a in project.annotations() if a.coder == ADJUDICATED) == sorted(
        [*ids, next(d.result_id for d in project.decisions() if d.kind is DecisionKind.PREMERGED)]
    )
    with pytest.raises(ValueError, match="settled already"):
        adj.settle(
            project,
            example.document_id,
            _unit(project, example, "claim"),
            DecisionKind.ACCEPTED,
            coder="Ana",
            settled_by="Lead",
        )


def test_reject_merge_and_edit(project: Project, example: Example) -> None:
    stance = _unit(project, example, "stance")
    rejected = adj.settle(
        project, example.document_id, stance, DecisionKind.REJECTED, settled_by="Lead"
    )
    assert rejected.value.annotations == () and _adjudicated(project) == []
    (decision,) = project.decisions()
    assert (decision.kind, decision.result_id, decision.settled_by) == (
        DecisionKind.REJECTED,
        None,
        "Lead",
    )
    claim = _unit(project, example, "claim")
    merged = adj.settle(
        project,
        example.document_id,
        claim,
        DecisionKind.MERGED,
        coder="Ana",
        values_coder="Bo",
        settled_by="Lead",
    ).value
    claim_record = next(a for a in merged.annotations if a.category == "claim")
    claimant = project.codebook().attribute("claim", "claimant")
    assert claimant is not None
    mention = project.values(claim_record.id)[claimant.id].annotation_id
    assert mention is not None and project.annotation(mention).quote == "Macron"
    actor = _unit(project, example, "actor")
    edited = adj.settle(
        project,
        example.document_id,
        actor,
        DecisionKind.EDITED,
        coder="Ana",
        span=(0, 4),
        settled_by="Lead",
    ).value
    assert [a.quote for a in edited.annotations] == ["Merk"]
    kinds = sorted(d.kind.value for d in project.decisions())
    assert kinds == ["accepted", "edited", "merged", "rejected"]


def test_majority_and_the_board(project: Project, example: Example) -> None:
    # A third coder agrees with Bo on the claim: two of three.
    claimant = project.codebook().attribute("claim", "claimant")
    issue = project.codebook().attribute("claim", "issue")
    assert claimant and issue
    bo_values = project.values(example.bo_claim)
    bo = project.annotation(example.bo_claim)
    project.add_annotation(
        example.document_id,
        bo.start,
        bo.end,
        "claim",
        coder="Cy",
        values=[bo_values[issue.id], Value(claimant.id, annotation_id=example.bo_macron)],
    )
    board = Board(project)
    first = board.next_unsettled(None, None)
    assert first is not None and first[1].category == "actor"
    report = adj.premerge(project, settled_by="Lead", majority=2).value
    assert (report.agreed, report.majority) == (0, 1)  # the Merkel actor
    # The claim names Bo's Macron, which only Bo tagged: no majority settled that
    # mention, so the claim waits for the lead rather than carry it along.
    assert (report.carried, report.waiting) == (0, 1)
    board.drop([example.document_id])
    assert board.progress() == (1, 3)


def test_units_where_everyone_agrees_are_matched_as_match_units_does() -> None:
    import random

    from annotator.core.agreement.units import CodedSpan, MatchRule, match_units
    from annotator.ops.adjudication_units import _matched

    rng = random.Random(7)
    coders = ("Ana", "Bo", "Cy")
    for _ in range(40):
        spans = []
        for g in range(rng.randint(1, 12)):
            start = rng.randrange(0, 200)
            end = start + rng.randint(1, 20)
            category = rng.choice(("actor", "claim"))
            for coder in coders:
                if rng.random() < 0.2:
                    continue
                s, e = start, end
                if rng.random() < 0.3:
                    s, e = s + rng.randint(0, 3), e + rng.randint(0, 3)
                copies = 2 if rng.random() < 0.05 else 1  # a duplicate now and then
                for c in range(copies):
                    spans.append(CodedSpan(f"{coder}{g}.{c}", coder, "d", category, s, e, {}))
        expected = {u.key for u in match_units(spans, coders, MatchRule())}
        assert {u.key for u in _matched("d", spans, coders)} == expected


def test_premerge_leaves_an_agreed_claim_whose_claimant_the_coders_disagree_on(
    project: Project,
) -> None:
    """Both coders' claims point at their own mention of Merkel, which they typed
    differently: the claims agree (a reference compares by span), the mentions do
    not. Settling the claim would carry one coder's mention into the adjudicated set
    as "premerged", undecided; it waits until the lead settles the mention."""
    text = "Merkel said that Macron wants lower taxes for farmers."
    doc = project.import_text(text, title="Taxes")
    codebook = project.codebook()
    kind, claimant = codebook.attribute("actor", "type"), codebook.attribute("claim", "claimant")
    assert kind is not None and claimant is not None
    mentions = {}
    for coder, choice in (("Ana", kind.choices[0]), ("Bo", kind.choices[2])):
        mention = project.add_annotation(
            doc.id, 0, 6, "actor", coder=coder, values=[Value(kind.id, choice_id=choice.id)]
        )
        mentions[coder] = mention.id
        project.add_annotation(
            doc.id,
            17,
            53,
            "claim",
            coder=coder,
            values=[Value(claimant.id, annotation_id=mention.id)],
        )
    units = document_units(project, doc.id)
    states = {u.category: units.raw[u.key] for u in units.units}
    assert states == {"actor": UnitState.DISAGREED, "claim": UnitState.AGREED}

    report = adj.premerge(project, settled_by="Lead").value
    assert (report.settled, report.waiting) == (0, 1)
    assert _adjudicated(project) == []

    # The lead settles the mention (Bo's type); pre-merge then settles the claim,
    # pointing at the mention the lead chose.
    mention_unit = next(u for u in units.units if u.category == "actor")
    adj.settle(
        project, doc.id, mention_unit.key, DecisionKind.ACCEPTED, coder="Bo", settled_by="Lead"
    )
    report = adj.premerge(project, settled_by="Lead").value
    assert (report.agreed, report.carried, report.waiting) == (1, 0, 0)
    decided = document_units(project, doc.id).decisions
    kinds = sorted((d.category, d.kind) for d in decided.values())
    assert kinds == [("actor", DecisionKind.ACCEPTED), ("claim", DecisionKind.PREMERGED)]
    claim = next(d for d in decided.values() if d.category == "claim")
    mention = next(d for d in decided.values() if d.category == "actor")
    held = project.values(claim.result_id or "")[claimant.id]
    assert held.annotation_id == mention.result_id


def test_a_coder_given_the_document_who_marked_nothing_there_disagrees_by_omission(
    project: Project, tmp_path: Path
) -> None:
    """As the agreement report counts them: Cy was given the document and marked
    nothing in it, so Ana's and Bo's actor is single (Cy's is missing), not agreed,
    and pre-merge leaves it; adjudication.csv lists the document with Cy's lane."""
    doc = project.import_text("Merkel said that Macron wants lower taxes.", title="t")
    for coder in ("Ana", "Bo"):
        project.add_annotation(doc.id, 0, 6, "actor", coder=coder)
    units = document_units(project, doc.id)
    assert [units.raw[u.key] for u in units.units] == [UnitState.AGREED]
    project.db.conn.executemany(
        "INSERT INTO team_documents (coder, document_id, assigned_at, sample)"
        " VALUES (?, ?, '2026-12-01T00:00:00.000Z', 1)",
        [(coder, doc.id) for coder in ("Ana", "Bo", "Cy")],
    )
    project.db.conn.commit()
    units = document_units(project, doc.id)
    assert units.coders == ("Ana", "Bo", "Cy")
    assert [units.raw[u.key] for u in units.units] == [UnitState.SINGLE]
    assert adj.premerge(project, settled_by="Lead").value.settled == 0
    assert Board(project).progress() == (0, 1)
    # A document only Ana marked, given to Ana and Cy: a unit to adjudicate too.
    other = project.import_text("Unions reject the plan.", title="u")
    project.add_annotation(other.id, 0, 6, "actor", coder="Ana")
    assert other.id not in project.adjudication_documents()
    project.db.conn.executemany(
        "INSERT INTO team_documents (coder, document_id, assigned_at, sample)"
        " VALUES (?, ?, '2026-12-01T00:00:00.000Z', 1)",
        [(coder, other.id) for coder in ("Ana", "Cy")],
    )
    project.db.conn.commit()
    assert sorted(project.adjudication_documents()) == sorted([doc.id, other.id])
    # adjudication.csv says the same, written during the big tables' pass (CSV) and
    # a document at a time (the Excel profile).
    for profile in ("analysis", "excel"):
        out = tmp_path / profile
        export_for_analysis(project, out, ExportOptions(profile=profile))
        with (out / "adjudication.csv").open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))  # the excel profile starts with a BOM
        assert sorted((r["document_id"], r["state"]) for r in rows) == sorted(
            [(doc.id, "single"), (other.id, "single")]
        )


def test_a_decision_whose_annotations_moved_to_another_unit_says_so(project: Project) -> None:
    """A re-merge moved Bo's span away (its own unit, settled on its own) and back
    (into Ana's unit again): the second decision settles no unit now, and its note
    said the annotations were deleted though both exist."""
    doc = project.import_text("Merkel said that Macron wants lower taxes.", title="t")
    ana = project.add_annotation(doc.id, 0, 10, "actor", coder="Ana")
    bo = project.add_annotation(doc.id, 0, 10, "actor", coder="Bo")
    adj.premerge(project, settled_by="Lead")

    def move(start: int, end: int, when: str) -> None:  # as a merge of Bo's file does
        project.db.conn.execute(
            'UPDATE annotations SET start = ?, "end" = ?, updated_at = ? WHERE id = ?',
            (start, end, when, bo.id),
        )
        project.db.conn.commit()

    move(29, 34, "2030-01-01T00:00:00.000Z")
    alone = next(u for u in document_units(project, doc.id).units if u.key == bo.id)
    adj.settle(project, doc.id, alone.key, DecisionKind.ACCEPTED, coder="Bo", settled_by="Lead")
    move(0, 10, "2030-01-02T00:00:00.000Z")
    units = document_units(project, doc.id)
    assert [u.key for u in units.units] == ["+".join(sorted([ana.id, bo.id]))]
    notes = [c.notes for c in adj.premerge(project, settled_by="Lead").value.changed]
    assert ("its annotations now belong to another unit: check that unit's decision",) in notes
    assert ("its annotations were deleted",) not in notes
