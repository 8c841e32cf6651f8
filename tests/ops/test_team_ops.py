"""Coder copies and merging coders' files, with real project files in tmp_path."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.codebook import Value
from annotator.core.progress import Cancelled, Progress
from annotator.ops import annotations as annotation_ops
from annotator.ops import codebook as codebook_ops
from annotator.ops import registry as registry_ops
from annotator.ops import values as value_ops
from annotator.ops.team import MergeCancelled, merge_coder_files, plan_for, prepare_coder_copies
from annotator.store.backups import list_backups
from annotator.store.errors import ProjectError
from annotator.store.project import Project, create_project, open_project

TEXTS = [
    "Putin met Kim in Pyongyang on Monday.",
    "The minister said the deal was bad for farmers.",
    "Unions called for a general strike in March.",
    "The court ruled against the government.",
]


@pytest.fixture
def lead(tmp_path: Path):
    project = create_project(tmp_path / "lead.annotator")
    for index, text in enumerate(TEXTS):
        project.import_text(text, title=f"Doc {index}")
    yield project
    project.close()


def _prepare(lead: Project, tmp_path: Path, coders=("ana", "ben"), **sample) -> dict[str, Path]:
    plan = plan_for(lead, list(coders), **sample)
    return prepare_coder_copies(lead, plan, tmp_path / "copies").value.files


def _tag(copy: Project, doc: int, word: str, category: str = "actor") -> str:
    document = copy.documents()[doc]
    text = copy.document_text(document.id)
    start = text.index(word)
    coder = copy.copy_coder()
    return annotation_ops.add_annotation(
        copy, document.id, start, start + len(word), category, coder=coder
    ).value.id


def _merge(lead: Project, *paths: Path):
    return merge_coder_files(lead, list(paths)).value


def _rows(project: Project) -> list[tuple]:
    return sorted(
        (a.id, a.document_id, a.coder, a.category, a.start, a.end, a.memo)
        for a in project.annotations()
    )


def test_prepare_everything_for_everyone_writes_blind_copies(lead, tmp_path):
    annotation_ops.add_annotation(lead, lead.documents()[0].id, 0, 5, "actor", coder="lead")
    files = _prepare(lead, tmp_path)
    assert sorted(p.name for p in files.values()) == ["lead-ana.annotator", "lead-ben.annotator"]
    for coder, path in files.items():
        with open_project(path) as copy:
            assert copy.copy_coder() == coder
            assert copy.team_identity().project_id == lead.project_id
            assert len(copy.documents()) == len(TEXTS)
            assert copy.annotations() == []  # none of the others' annotations
            assert [c.key for c in copy.categories()] == [c.key for c in lead.categories()]
        raw = path.read_bytes()
        assert b"Putin" in raw  # the text is there; the lead's coder name is not
        assert b"'lead'" not in raw and b"lead\x00" not in raw
    progress = lead.coder_progress()
    assert {(p.coder, p.assigned) for p in progress} == {("ana", True), ("ben", True)}
    assert lead.team_identity().role == "lead"


def test_prepare_split_deals_documents_and_shares_a_seeded_sample(lead, tmp_path):
    plan = plan_for(lead, ["ana", "ben"], percent=25)
    again = plan_for(lead, ["ana", "ben"], percent=25)
    assert plan.documents == again.documents and len(plan.sample) == 1
    files = prepare_coder_copies(lead, plan, tmp_path / "out").value.files
    ids = {}
    for coder, path in files.items():
        with open_project(path) as copy:
            ids[coder] = {d.id for d in copy.documents()}
    assert ids["ana"] & ids["ben"] == set(plan.sample)
    assert ids["ana"] | ids["ben"] == {d.id for d in lead.documents()}
    sampled = {(p.coder, p.document_id) for p in lead.coder_progress() if p.sample}
    assert sampled == {(c, d) for c in ("ana", "ben") for d in plan.sample}


def test_prepare_with_named_sample_documents(lead, tmp_path):
    chosen = [lead.documents()[2].id]
    plan = plan_for(lead, ["ana", "ben", "cem"], sample=chosen)
    assert plan.sample == frozenset(chosen)
    assert all(chosen[0] in docs for docs in plan.documents.values())
    with pytest.raises(ValueError, match="No document"):
        plan_for(lead, ["ana"], sample=["nope"])


def test_prepare_refuses_to_overwrite_and_writes_nothing(lead, tmp_path):
    out = tmp_path / "copies"
    out.mkdir()
    (out / "lead-ben.annotator").write_text("mine")
    plan = plan_for(lead, ["ana", "ben"])
    with pytest.raises(ProjectError, match="lead-ben.annotator exists already"):
        prepare_coder_copies(lead, plan, out)
    assert sorted(p.name for p in out.iterdir()) == ["lead-ben.annotator"]
    assert (out / "lead-ben.annotator").read_text() == "mine"
    assert lead.coder_progress() == []


def test_prepare_cancelled_leaves_no_copy(lead, tmp_path):
    progress = Progress(lambda done, total, label: progress.cancel() if done == 1 else None)
    with pytest.raises(Cancelled):
        prepare_coder_copies(lead, plan_for(lead, ["ana", "ben"]), tmp_path / "c", progress)
    assert list((tmp_path / "c").iterdir()) == []
    assert lead.coder_progress() == []


def test_merge_brings_new_annotations_then_nothing_twice(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        first = _tag(copy, 0, "Putin")
        _tag(copy, 1, "minister")
    reports = _merge(lead, files["ana"])
    assert [(r.added, r.updated, r.deleted, r.unchanged) for r in reports] == [(2, 0, 0, 0)]
    assert lead.annotation(first).coder == "ana"
    before = _rows(lead)
    again = _merge(lead, files["ana"])[0]
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 2)
    assert not again.changed_anything and again.compared == 2
    assert _rows(lead) == before
    assert len(list_backups(lead.path)) >= 1  # a verified backup before the first merge


def test_merge_brings_changes_and_deletions(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        kept = _tag(copy, 0, "Putin")
        dropped = _tag(copy, 0, "Kim")
    _merge(lead, files["ana"])
    with open_project(files["ana"]) as copy:
        value_ops.set_memo(copy, kept, "the president")
        annotation_ops.delete_annotations(copy, [dropped])
    report = _merge(lead, files["ana"])[0]
    assert (report.added, report.updated, report.deleted) == (0, 1, 1)
    assert lead.annotation(kept).memo == "the president"
    with pytest.raises(KeyError):
        lead.annotation(dropped)
    again = _merge(lead, files["ana"])[0]
    assert (again.updated, again.deleted, again.unchanged) == (0, 0, 2)  # the deletion too


def test_a_deletion_the_lead_made_stays_when_the_copy_did_not_change(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        ident = _tag(copy, 0, "Putin")
    _merge(lead, files["ana"])
    annotation_ops.delete_annotations(lead, [ident])
    report = _merge(lead, files["ana"])[0]
    assert report.unchanged == 1 and report.added == 0
    with pytest.raises(KeyError):
        lead.annotation(ident)


def test_changed_on_both_sides_is_a_conflict_the_newer_kept(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        ident = _tag(copy, 0, "Putin")
    _merge(lead, files["ana"])
    value_ops.set_memo(lead, ident, "lead's note", updated_at="2030-01-01T00:00:00.000Z")
    with open_project(files["ana"]) as copy:
        value_ops.set_memo(copy, ident, "coder's note", updated_at="2029-01-01T00:00:00.000Z")
    report = _merge(lead, files["ana"])[0]
    assert len(report.conflicts) == 1
    conflict = report.conflicts[0]
    assert conflict.kept == "lead"
    assert conflict.copy_version["memo"] == "coder's note"
    assert conflict.lead_version["memo"] == "lead's note"
    assert lead.annotation(ident).memo == "lead's note"
    logged = lead.db.execute("SELECT report FROM merge_log ORDER BY id DESC").fetchone()[0]
    assert "coder's note" in logged  # the version not kept is in the log
    # The coder edits again, later than the lead: the coder's version is newer.
    with open_project(files["ana"]) as copy:
        value_ops.set_memo(copy, ident, "coder's second", updated_at="2031-01-01T00:00:00.000Z")
    report = _merge(lead, files["ana"])[0]
    assert report.conflicts[0].kept == "copy"
    assert lead.annotation(ident).memo == "coder's second"
    assert report.conflicts[0].lead_version["memo"] == "lead's note"


def test_choices_and_actors_the_coder_added_come_along(lead, tmp_path):
    registry_ops.add_actor(lead, "Vladimir Putin", aliases=["Putin"])
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        ident = _tag(copy, 0, "Putin")
        book = copy.codebook()
        actor_attr = next(a for a in book.attributes if a.key == "actor")
        type_attr = next(a for a in book.attributes if a.key == "type")
        added = codebook_ops.add_choice(copy, type_attr.id, "monarch").value
        actor = registry_ops.add_actor(copy, "putin").value
        value_ops.set_value(copy, ident, Value(type_attr.id, choice_id=added.id))
        value_ops.set_value(copy, ident, Value(actor_attr.id, actor_id=actor.id))
    report = _merge(lead, files["ana"])[0]
    assert report.new_choices == ["monarch"] and report.new_actors == ["putin"]
    assert report.duplicate_actors == [("putin", "Vladimir Putin")] or report.duplicate_actors == [
        ("putin", "Putin")
    ]
    values = lead.values(ident)
    labels = {c.id: c.label for a in lead.codebook().attributes for c in a.choices}
    assert {labels.get(v.choice_id) for v in values.values()} >= {"monarch"}
    assert any(v.actor_id == actor.id for v in values.values())
    assert _merge(lead, files["ana"])[0].new_actors == []


def test_two_coders_code_the_same_document(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        _tag(copy, 0, "Putin")
    with open_project(files["ben"]) as copy:
        _tag(copy, 0, "Putin", "claim")
    reports = _merge(lead, files["ana"], files["ben"])
    assert [r.added for r in reports] == [1, 1]
    assert sorted((a.coder, a.category) for a in lead.annotations()) == [
        ("ana", "actor"),
        ("ben", "claim"),
    ]
    merged = {(p.coder, p.document_id) for p in lead.coder_progress() if p.merged_at}
    assert (("ana", lead.documents()[0].id)) in merged


def test_a_file_of_another_project_is_refused(lead, tmp_path):
    other = create_project(tmp_path / "other.annotator")
    other.import_text(TEXTS[0], title="same text, other project")
    other.close()
    before = _rows(lead)
    report = _merge(lead, tmp_path / "other.annotator")[0]
    assert "another project" in report.refused_file
    assert _rows(lead) == before and lead.merge_history() == []


def test_a_different_text_under_the_same_id_is_refused(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    doc_id = lead.documents()[0].id
    with open_project(files["ana"]) as copy:
        _tag(copy, 1, "minister")
    conn = sqlite3.connect(files["ana"])
    conn.execute("DROP TRIGGER IF EXISTS counts_document_added")
    conn.execute(
        "UPDATE documents SET text = 'Other words here.', sha256 = 'x' WHERE id = ?", (doc_id,)
    )
    conn.commit()
    conn.close()
    report = _merge(lead, files["ana"])[0]
    assert "different text" in report.refused_file and doc_id in report.refused_file
    assert lead.annotations() == []


def test_a_newer_or_damaged_file_is_refused(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        _tag(copy, 0, "Putin")
    newer = tmp_path / "newer.annotator"
    newer.write_bytes(files["ana"].read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    damaged = tmp_path / "damaged.annotator"
    data = bytearray(files["ana"].read_bytes())
    data[5000:9000] = b"\xff" * 4000
    damaged.write_bytes(bytes(data))
    junk = tmp_path / "junk.annotator"
    junk.write_text("not a project")
    reports = _merge(lead, newer, damaged, junk, lead.path)
    assert "newer version" in reports[0].refused_file
    assert reports[1].refused_file and reports[2].refused_file
    assert "this project itself" in reports[3].refused_file
    assert lead.annotations() == [] and lead.merge_history() == []


def test_a_cancelled_merge_changes_nothing(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        _tag(copy, 0, "Putin")
    progress = Progress(
        lambda d, t, label: progress.cancel() if label.endswith("writing") else None
    )
    with pytest.raises(Cancelled):
        merge_coder_files(lead, [files["ana"]], progress)
    assert lead.annotations() == [] and lead.merge_history() == []


def test_deletions_are_recorded_whatever_deletes(lead):
    doc = lead.documents()[0]
    ident = annotation_ops.add_annotation(lead, doc.id, 0, 5, "actor", coder="x").value.id
    lead.db.execute("DELETE FROM annotations WHERE id = ?", (ident,))
    assert lead.db.execute("SELECT COUNT(*) FROM annotation_tombstones").fetchone()[0] == 1


def test_a_copy_without_shared_documents_or_of_an_older_version_is_refused(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    empty = tmp_path / "empty.annotator"
    empty.write_bytes(files["ana"].read_bytes())
    conn = sqlite3.connect(empty)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM documents")
    conn.commit()
    conn.close()
    older = tmp_path / "older.annotator"
    older.write_bytes(files["ben"].read_bytes())
    conn = sqlite3.connect(older)
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    reports = _merge(lead, empty, older)
    assert "shares no document" in reports[0].refused_file
    assert "older version" in reports[1].refused_file
    assert lead.merge_history() == []


def test_annotations_of_a_category_the_lead_lacks_are_refused_and_listed(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        codebook_ops.add_category(copy, "Frame", "#123456", key="frame")
        ident = _tag(copy, 0, "Putin", "frame")
        _tag(copy, 1, "minister")
    report = _merge(lead, files["ana"])[0]
    assert report.added == 1
    assert report.refused == [f"annotation {ident}: no category “frame” in this project"]
    with pytest.raises(KeyError):
        lead.annotation(ident)


def test_the_coders_own_annotations_travel_and_come_back_changed(lead, tmp_path):
    doc = lead.documents()[0]
    ident = annotation_ops.add_annotation(lead, doc.id, 0, 5, "actor", coder="ana").value.id
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        assert [a.id for a in copy.annotations()] == [ident]
        value_ops.set_memo(copy, ident, "checked")
    with open_project(files["ben"]) as copy:
        assert copy.annotations() == []  # not Ben's
    report = _merge(lead, files["ana"])[0]
    assert (report.updated, len(report.conflicts)) == (1, 0)
    assert lead.annotation(ident).memo == "checked"


def test_deleted_in_the_copy_and_changed_by_the_lead_is_a_conflict(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        ident = _tag(copy, 0, "Putin")
    _merge(lead, files["ana"])
    with open_project(files["ana"]) as copy:
        annotation_ops.delete_annotations(copy, [ident])
    value_ops.set_memo(lead, ident, "the lead's later note", updated_at="2099-01-01T00:00:00.000Z")
    report = _merge(lead, files["ana"])[0]
    (conflict,) = report.conflicts
    assert conflict.copy_version is None and conflict.kept == "lead"
    assert lead.annotation(ident).memo == "the lead's later note"
    again = _merge(lead, files["ana"])[0]
    assert again.conflicts == [] and again.unchanged == 1  # listed once, not at every merge


def test_a_value_its_type_refuses_is_not_merged(lead, tmp_path):
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        ident = _tag(copy, 0, "Putin")
        type_attr = copy.codebook().attribute("actor", "type")
        person = next(c for c in type_attr.choices if c.label == "person")
        value_ops.set_value(copy, ident, Value(type_attr.id, choice_id=person.id))
    conn = sqlite3.connect(files["ana"])  # as another tool might have written it
    conn.execute("UPDATE annotation_values SET choice_id = NULL, value_text = 'a king'")
    conn.commit()
    conn.close()
    report = _merge(lead, files["ana"])[0]
    assert report.added == 1
    (refused,) = report.refused
    assert refused.startswith(f"a value of annotation {ident}:") and "choices" in refused
    assert lead.values(ident) == {}


def test_a_copy_of_the_leads_own_project_is_refused(lead, tmp_path):
    """Yesterday's copy of the lead's file (or a backup of it) is not a coder's copy:
    merged, it would bring back what the lead deleted since."""
    doc = lead.documents()[0]
    ident = annotation_ops.add_annotation(lead, doc.id, 0, 5, "actor", coder="lead").value.id
    _prepare(lead, tmp_path)  # a team project: the lead's file says so
    yesterday = tmp_path / "yesterday.annotator"
    lead.db.execute("VACUUM INTO ?", (str(yesterday),))
    annotation_ops.delete_annotations(lead, [ident])
    before = _rows(lead)
    report = _merge(lead, yesterday)[0]
    assert "not a coder's copy" in report.refused_file
    assert _rows(lead) == before and lead.merge_history() == []


def test_an_older_file_of_the_same_coder_undoes_nothing(lead, tmp_path):
    """Monday's attachment merged again after Wednesday's file: the coder's later edit
    stays and the annotation deleted on Wednesday stays deleted; the report says so."""
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        keep = _tag(copy, 0, "Putin")
        drop = _tag(copy, 0, "Kim")
    monday = tmp_path / "ana-monday.annotator"
    monday.write_bytes(files["ana"].read_bytes())
    _merge(lead, monday)
    with open_project(files["ana"]) as copy:
        value_ops.set_memo(copy, keep, "checked on Wednesday")
        annotation_ops.delete_annotations(copy, [drop])
    _merge(lead, files["ana"])
    after_wednesday = _rows(lead)
    assert lead.annotation(keep).memo == "checked on Wednesday"
    assert drop not in {a.id for a in lead.annotations()}

    report = _merge(lead, monday)[0]
    assert _rows(lead) == after_wednesday
    assert (report.added, report.updated, report.deleted, report.conflicts) == (0, 0, 0, [])
    assert report.unchanged == 2
    assert report.refused == [
        "2 annotations: this file holds an older version than one merged before (from a"
        " newer file of the same coder), so they were left as the project has them"
    ]
    # And Wednesday's file again, or a newer one, still merges as before.
    with open_project(files["ana"]) as copy:
        value_ops.set_memo(copy, keep, "Thursday")
    report = _merge(lead, files["ana"])[0]
    assert report.updated == 1 and report.conflicts == []
    assert lead.annotation(keep).memo == "Thursday"


def test_choices_come_back_as_the_leads_own_whatever_the_lead_renamed(lead, tmp_path):
    """A choice the lead renamed after preparing the copies is still that choice; a
    stance's target choosing an issue holds the issue's choice (not a new choice of
    the target); an issue a coder added from a stance's target joins the issues."""
    issue = lead.codebook().attribute("claim", "issue")
    pensions = codebook_ops.add_choice(lead, issue.id, "pensions").value
    files = _prepare(lead, tmp_path)
    codebook = lead.codebook()
    kind = codebook.attribute("actor", "type")
    target = codebook.attribute("stance", "target")
    person = kind.choices[0]
    with open_project(files["ana"]) as copy:
        putin = _tag(copy, 0, "Putin")
        value_ops.set_value(copy, putin, Value(kind.id, choice_id=person.id))
        stance = _tag(copy, 1, "said", "stance")
        value_ops.set_value(copy, stance, Value(target.id, choice_id=pensions.id))
        other = _tag(copy, 2, "called", "stance")
        added = codebook_ops.add_choice_as_value(copy, issue.id, "strikes", other, target.id)
    codebook_ops.update_choice(lead, person.id, label=person.label + " (renamed)")
    before = {a.id: [c.id for c in a.choices] for a in lead.codebook().attributes}

    report = _merge(lead, files["ana"])[0]
    assert report.refused == [] and report.new_choices == ["strikes"]
    after = {a.id: [c.id for c in a.choices] for a in lead.codebook().attributes}
    assert after[issue.id] == [*before[issue.id], added.value.id]
    assert {k: v for k, v in after.items() if k != issue.id} == {
        k: v for k, v in before.items() if k != issue.id
    }
    assert lead.values(putin)[kind.id].choice_id == person.id
    assert lead.values(stance)[target.id].choice_id == pensions.id
    assert lead.values(other)[target.id].choice_id == added.value.id


def test_a_cancel_in_the_second_file_keeps_the_first_files_report(lead, tmp_path):
    """The first file stays merged: the cancel says what it did, so that the window
    refreshes and clears its history, and the user is told which file stays."""
    files = _prepare(lead, tmp_path)
    with open_project(files["ana"]) as copy:
        _tag(copy, 0, "Putin")
    with open_project(files["ben"]) as copy:
        _tag(copy, 0, "Kim")
    progress = Progress(
        lambda d, t, label: (
            progress.cancel() if "lead-ben" in label and "writing" in label else None
        )
    )
    with pytest.raises(MergeCancelled) as stopped:
        merge_coder_files(lead, [files["ana"], files["ben"]], progress)
    assert [(r.coder, r.added) for r in stopped.value.reports] == [("ana", 1)]
    assert [a.coder for a in lead.annotations()] == ["ana"]
    assert len(lead.merge_history()) == 1
