"""The document list's counts (annotations, incomplete annotations) are kept by the
schema as each write happens; they must equal a count made from scratch after any
operation and its undo: adds, deletes (with the links into other documents they
cut), values, registry merges and deletions, codebook changes."""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.core.codebook import Value
from annotator.ops import annotations as annotation_ops
from annotator.ops import codebook as codebook_ops
from annotator.ops import registry as registry_ops
from annotator.ops import values as value_ops
from annotator.ops.annotations import NewAnnotation
from annotator.ops.changes import Result
from annotator.store.project import Project, open_project
from annotator.store.schema import SCHEMA_VERSION
from tests.project_templates import template_copy

DATA = Path(__file__).resolve().parent.parent / "data"
DOCS, PER_DOC = 24, 125  # 3,000 annotations
Counts = dict[str, tuple[int, int]]


def from_scratch(path: Path) -> tuple[Counts, set[str]]:
    """Each document's (annotations, incomplete annotations) and the incomplete ids,
    counted with plain SQL and sets on a connection of its own: an annotation is
    incomplete when its category has a required attribute it has no value row for."""
    conn = sqlite3.connect(path)
    try:
        required: dict[str, set[str]] = {}
        for attribute_id, category_id in conn.execute(
            "SELECT id, category_id FROM attributes WHERE required = 1"
        ):
            required.setdefault(category_id, set()).add(attribute_id)
        given: dict[str, set[str]] = {}
        for annotation_id, attribute_id in conn.execute(
            "SELECT annotation_id, attribute_id FROM annotation_values"
        ):
            given.setdefault(annotation_id, set()).add(attribute_id)
        counts = {doc_id: [0, 0] for (doc_id,) in conn.execute("SELECT id FROM documents")}
        incomplete: set[str] = set()
        for annotation_id, doc_id, category_id in conn.execute(
            "SELECT id, document_id, category_id FROM annotations"
        ):
            counts[doc_id][0] += 1
            if required.get(category_id, set()) - given.get(annotation_id, set()):
                counts[doc_id][1] += 1
                incomplete.add(annotation_id)
        return {doc_id: (n, m) for doc_id, (n, m) in counts.items()}, incomplete
    finally:
        conn.close()


def assert_counts_match(project: Project) -> Counts:
    expected, incomplete = from_scratch(project.path)
    listed = {d.id: (d.annotation_count, d.incomplete_count) for d in project.documents()}
    assert listed == expected
    for doc_id, figures in expected.items():
        document = project.document(doc_id)
        assert (document.annotation_count, document.incomplete_count) == figures
    assert project.incomplete_ids() == incomplete
    by_document = set().union(*(project.incomplete_ids(doc_id) for doc_id in expected))
    assert by_document == incomplete
    return expected


def run_and_undo(project: Project, operation: Callable[[Project], Result[Any]]) -> Result[Any]:
    """Run an operation, undo it, do it again: the counts match after each step."""
    before = assert_counts_match(project)
    result = operation(project)
    after = assert_counts_match(project)
    assert result.undo is not None
    undone = result.undo(project)
    assert assert_counts_match(project) == before
    assert undone.undo is not None
    redone = undone.undo(project)
    assert assert_counts_match(project) == after
    return redone


def _code(project: Project) -> None:
    """Documents with a few thousand annotations: actors linked to registry actors,
    claims and stances pointing at mentions, some values missing (incomplete
    annotations)."""
    rng = random.Random(15)
    codebook = project.codebook()
    attr = {
        name: codebook.attribute(category, name)
        for category, name in (
            ("actor", "actor"),
            ("claim", "claimant"),
            ("claim", "issue"),
            ("stance", "polarity"),
            ("stance", "holder"),
            ("stance", "target"),
        )
    }
    actors = [project.add_actor(f"Actor {i}").id for i in range(12)]
    issue = project.add_choice(attr["issue"].id, "economy")
    docs = [
        project.import_text(
            f"Document {i}. " + "Kim met Putin and said no deal. " * 40, title=f"D{i}"
        )
        for i in range(DOCS)
    ]
    rows = []
    for doc in docs:
        for j in range(PER_DOC):
            start = rng.randrange(doc.char_count - 20)
            category = ("actor", "claim", "stance")[j % 3]
            rows.append((doc.id, start, start + rng.randint(1, 15), category, rng.choice("AB")))
    added = project.add_annotations(rows)
    mentions: dict[str, list[str]] = {}
    for ann in added:
        if ann.category == "actor":
            mentions.setdefault(ann.document_id, []).append(ann.id)
    values: list[tuple[str, Value]] = []
    for ann in added:
        if ann.category == "actor" and rng.random() < 0.7:
            values.append((ann.id, Value(attr["actor"].id, actor_id=rng.choice(actors))))
        elif ann.category == "claim":
            if rng.random() < 0.8:
                values.append(
                    (
                        ann.id,
                        Value(
                            attr["claimant"].id, annotation_id=rng.choice(mentions[ann.document_id])
                        ),
                    )
                )
            if rng.random() < 0.5:
                values.append((ann.id, Value(attr["issue"].id, choice_id=issue.id)))
        elif ann.category == "stance":
            polarity = rng.choice(attr["polarity"].choices)
            mention = rng.choice(mentions[ann.document_id])
            for value in (
                Value(attr["polarity"].id, choice_id=polarity.id),
                Value(attr["holder"].id, annotation_id=mention),
                Value(attr["target"].id, choice_id=issue.id),
            ):
                if rng.random() < 0.85:
                    values.append((ann.id, value))
    project.restore_values(values)


@pytest.fixture
def coded(tmp_path: Path, templates: Path) -> Iterator[Project]:
    """A copy of the file ``_code`` makes (built once), opened."""
    copy = template_copy("counts", _code, tmp_path / "counts.annotator", templates)
    project = open_project(copy)
    yield project
    project.close()


def test_counts_start_right_and_are_not_all_alike(coded):
    counts = assert_counts_match(coded)
    assert sum(n for n, _ in counts.values()) == DOCS * PER_DOC
    assert len({m for _, m in counts.values()}) > 3  # documents differ in incomplete ones


def test_adding_and_deleting_annotations_keeps_the_counts(coded):
    docs = coded.documents()
    codebook = coded.codebook()
    polarity = codebook.attribute("stance", "polarity")
    run_and_undo(
        coded, lambda p: annotation_ops.add_annotation(p, docs[0].id, 3, 9, "stance", coder="C")
    )
    run_and_undo(
        coded,
        lambda p: annotation_ops.add_annotation(
            p,
            docs[1].id,
            5,
            12,
            "stance",
            coder="C",
            values=(Value(polarity.id, choice_id=polarity.choices[0].id),),
        ),
    )
    specs = [NewAnnotation(d.id, 10, 20, "claim") for d in docs for _ in range(3)]
    run_and_undo(coded, lambda p: annotation_ops.add_annotations(p, specs, coder="C"))
    # Mentions that claims and stances point at: deleting them clears those values,
    # which leaves the annotations that held them incomplete.
    linked = coded._query(
        "SELECT DISTINCT ref_annotation_id FROM annotation_values"
        " WHERE ref_annotation_id IS NOT NULL LIMIT 40"
    )
    targets = [row[0] for row in linked]
    assert len(targets) == 40
    whole_document = [a.id for a in coded.annotations(docs[2].id) if a.id not in targets]
    run_and_undo(coded, lambda p: annotation_ops.delete_annotations(p, targets + whole_document))


def test_values_set_and_cleared_keep_the_counts(coded):
    codebook = coded.codebook()
    holder = codebook.attribute("stance", "holder")
    claimant = codebook.attribute("claim", "claimant")
    doc = coded.documents()[0]
    stances = [a for a in coded.annotations(doc.id) if a.category == "stance"]
    mention = next(a for a in coded.annotations(doc.id) if a.category == "actor")
    some_claim = next(a for a in coded.annotations(doc.id) if a.category == "claim")
    for stance in stances[:5]:
        run_and_undo(coded, lambda p, s=stance: value_ops.set_value(p, s.id, Value(holder.id)))
        run_and_undo(
            coded,
            lambda p, s=stance: value_ops.set_value(
                p, s.id, Value(holder.id, annotation_id=mention.id)
            ),
        )
    run_and_undo(
        coded,
        lambda p: value_ops.set_value(
            p, some_claim.id, Value(claimant.id, annotation_id=mention.id)
        ),
    )
    incomplete = sorted(coded.incomplete_ids(doc.id))
    assert incomplete  # some are, and completing them one by one lowers the counts
    for annotation_id in incomplete[:10]:
        missing = [
            a
            for a in codebook.attributes
            if a.required
            and a.id not in coded.values(annotation_id)
            and a.category_id == coded.annotation(annotation_id).category_id
        ]
        for attribute in missing:
            value = (
                Value(attribute.id, choice_id=attribute.choices[0].id)
                if attribute.choices
                else Value(attribute.id, annotation_id=mention.id)
            )
            run_and_undo(coded, lambda p, a=annotation_id, v=value: value_ops.set_value(p, a, v))


def test_registry_merges_and_deletions_keep_the_counts(coded):
    actors = coded.actors()
    actor_attribute = coded.codebook().attribute("actor", "actor")
    run_and_undo(coded, lambda p: registry_ops.merge_actors(p, actors[0].id, actors[1].id))
    run_and_undo(coded, lambda p: registry_ops.delete_actor(p, actors[2].id))
    # With the actor attribute required, a deleted actor leaves its mentions incomplete.
    run_and_undo(
        coded, lambda p: codebook_ops.update_attribute(p, actor_attribute.id, required=True)
    )
    before = assert_counts_match(coded)
    run_and_undo(coded, lambda p: registry_ops.delete_actor(p, actors[3].id))
    run_and_undo(coded, lambda p: registry_ops.merge_actors(p, actors[4].id, actors[5].id))
    assert assert_counts_match(coded) != before  # the redone deletion left some incomplete


def test_codebook_changes_keep_the_counts(coded):
    codebook = coded.codebook()
    claim, stance = codebook.category("claim"), codebook.category("stance")
    issue = codebook.attribute("claim", "issue")
    holder = codebook.attribute("stance", "holder")
    polarity = codebook.attribute("stance", "polarity")
    run_and_undo(coded, lambda p: codebook_ops.update_attribute(p, issue.id, required=True))
    run_and_undo(coded, lambda p: codebook_ops.update_attribute(p, holder.id, required=False))
    run_and_undo(coded, lambda p: codebook_ops.update_attribute(p, holder.id, label="Who"))
    run_and_undo(
        coded, lambda p: codebook_ops.add_attribute(p, claim.id, "Frame", "text", required=True)
    )
    run_and_undo(coded, lambda p: codebook_ops.add_attribute(p, claim.id, "Note", "text"))
    run_and_undo(coded, lambda p: codebook_ops.delete_attribute(p, holder.id))
    run_and_undo(coded, lambda p: codebook_ops.delete_choice(p, polarity.choices[0].id))
    run_and_undo(coded, lambda p: codebook_ops.delete_category(p, stance.id))
    run_and_undo(coded, lambda p: codebook_ops.delete_category(p, claim.id))
    frame = codebook_ops.add_category(coded, "Frame", "#123456").value
    run_and_undo(
        coded, lambda p: codebook_ops.add_attribute(p, frame.id, "Kind", "text", required=True)
    )


def test_writes_outside_the_store_are_counted_too(coded):
    """Raw SQL (a script, another tool) and foreign-key cascades keep them as well."""
    conn = coded.db.conn
    doc = coded.documents()[0]
    stance = next(a for a in coded.annotations(doc.id) if a.category == "stance")
    with conn:
        conn.execute("DELETE FROM annotation_values WHERE annotation_id = ?", (stance.id,))
    assert_counts_match(coded)
    with conn:
        conn.execute(
            "UPDATE annotations SET category_id = (SELECT id FROM categories WHERE key = 'actor')"
            " WHERE id = ?",
            (stance.id,),
        )
    assert_counts_match(coded)
    holder = coded.codebook().attribute("stance", "holder")
    actor = coded.category("actor")
    for sql, params in (  # a required attribute moved to another category, and back
        ("UPDATE attributes SET category_id = ? WHERE id = ?", (actor.id, holder.id)),
        (
            "UPDATE attributes SET category_id = ?, required = 0 WHERE id = ?",
            (holder.category_id, holder.id),
        ),
        ("UPDATE attributes SET required = 1 WHERE id = ?", (holder.id,)),
    ):
        with conn:
            conn.execute(sql, params)
        assert_counts_match(coded)
    other = coded.documents()[1]
    with conn:
        conn.execute(
            "UPDATE annotations SET document_id = ? WHERE document_id = ?", (other.id, doc.id)
        )
    assert_counts_match(coded)
    with conn:
        conn.execute("DELETE FROM annotations WHERE document_id = ?", (other.id,))
    assert_counts_match(coded)


def test_an_older_project_gets_its_counts_when_it_is_upgraded(tmp_path):
    """A schema 4 file (made by the version before the counts) is counted once, by
    the migration; from then on the counts follow every change."""
    path = tmp_path / "old.annotator"
    shutil.copy(DATA / "schema_4_counts.annotator", path)
    with open_project(path) as project:
        assert project.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        counts = assert_counts_match(project)
        listed = [(d.annotation_count, d.incomplete_count) for d in project.documents()]
        assert listed == [(5, 1), (11, 3), (17, 8), (23, 12)]
        assert sorted(counts.values()) == listed
        run_and_undo(
            project,
            lambda p: annotation_ops.delete_annotations(p, [a.id for a in p.annotations()][:9]),
        )


def test_a_read_only_connection_reads_the_counts(coded):
    expected = assert_counts_match(coded)
    coded.close()
    with open_project(coded.path, read_only=True) as project:
        listed = {d.id: (d.annotation_count, d.incomplete_count) for d in project.documents()}
        assert listed == expected
