"""The store checks every value it writes against its attribute's type."""

import pytest

from annotator.core.codebook import Value
from annotator.core.completeness import missing_required, required_by_category


@pytest.fixture
def coded(doc_project):
    """A claim with every attribute type, an actor mention, and a second document."""
    project, doc = doc_project
    claim_category = project.category("claim")
    add = project.add_attribute
    attributes = {
        "weight": add(claim_category.id, "Weight", "number"),
        "quoted": add(claim_category.id, "Quoted", "boolean"),
        "note": add(claim_category.id, "Note", "text"),
        "signed": add(claim_category.id, "Signed", "date"),
        "mention": add(claim_category.id, "Mention", "reference", targets=["category:actor"]),
    }
    codebook = project.codebook()
    for key in ("claimant", "issue"):
        attributes[key] = codebook.attribute("claim", key)
    attributes["actor_type"] = codebook.attribute("actor", "type")
    attributes["target"] = codebook.attribute("stance", "target")
    mention = project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    claim = project.add_annotation(doc.id, 6, 20, "claim", coder="Ana")
    stance = project.add_annotation(doc.id, 21, 25, "stance", coder="Ana")
    other = project.import_text("Elsewhere, Kim spoke.", title="Other")
    far = project.add_annotation(other.id, 11, 14, "actor", coder="Ana")
    actor = project.add_actor("Kim Jong Un")
    security = project.add_choice(attributes["issue"].id, "security", code=3)
    return project, attributes, mention, claim, stance, far, actor, security


def _refused(project, annotation, value, message):
    before = project.values(annotation.id)
    updated = project.annotation(annotation.id).updated_at
    with pytest.raises(ValueError, match=message):
        project.set_value(annotation.id, value)
    assert project.values(annotation.id) == before
    assert project.annotation(annotation.id).updated_at == updated


def test_each_type_refuses_what_it_does_not_take(coded):
    project, a, mention, claim, stance, far, actor, security = coded
    person = a["actor_type"].choices[0]
    refusals = [
        (claim, Value(a["weight"].id, text="lots"), "“Weight” takes a number, not text"),
        (claim, Value(a["weight"].id, number=float("inf")), "“Weight” takes a finite number"),
        (claim, Value(a["quoted"].id, number=2), r"“Quoted” takes yes \(1\) or no \(0\)"),
        (claim, Value(a["quoted"].id, text="yes"), r"“Quoted” takes yes \(1\) or no \(0\)"),
        (claim, Value(a["note"].id, number=3), "“Note” takes text, not a number"),
        (claim, Value(a["signed"].id, text="2024-13"), "“Signed”: “2024-13” is not a date"),
        (claim, Value(a["signed"].id, text="last May"), "“Signed”: “last May” is not a date"),
        (claim, Value(a["signed"].id, number=2024), "“Signed” takes text, not a number"),
        (claim, Value(a["issue"].id, choice_id=person.id), "“Issue”: that is not one of"),
        (claim, Value(a["issue"].id, text="security"), "“Issue” takes one of its choices"),
        (
            claim,
            Value(a["note"].id, text="x", number=1),
            "“Note” takes text, not several values at once",
        ),
        # References: only what the attribute's targets allow.
        (claim, Value(a["claimant"].id, annotation_id=stance.id), "may not point to a “stance”"),
        (claim, Value(a["claimant"].id, annotation_id=far.id), "in the same document"),
        (claim, Value(a["claimant"].id, annotation_id="gone"), "not in the project"),
        (claim, Value(a["claimant"].id, annotation_id=claim.id), "cannot refer to itself"),
        (claim, Value(a["mention"].id, actor_id=actor.id), "“Mention” may not point to a regis"),
        (claim, Value(a["claimant"].id, actor_id="gone"), "not in the registry"),
        (claim, Value(a["claimant"].id, choice_id=security.id), "may not point to a choice"),
        (stance, Value(a["target"].id, choice_id=person.id), "not one it may point to"),
        (claim, Value(a["claimant"].id, text="Putin"), "“Claimant” points to an annotation, a"),
        # A value for another category's attribute.
        (mention, Value(a["weight"].id, number=1), "does not belong"),
    ]
    for annotation, value, message in refusals:
        _refused(project, annotation, value, message)


def test_each_type_takes_what_it_should(coded):
    project, a, mention, claim, stance, far, actor, security = coded
    accepted = [
        (claim, Value(a["weight"].id, number=-2.5)),
        (claim, Value(a["quoted"].id, number=0)),
        (claim, Value(a["note"].id, text="odd, “quoted”")),
        (claim, Value(a["signed"].id, text="2024")),
        (claim, Value(a["signed"].id, text="2024-06")),
        (claim, Value(a["signed"].id, text="2024-02-29")),
        (claim, Value(a["issue"].id, choice_id=security.id)),
        (claim, Value(a["claimant"].id, annotation_id=mention.id)),
        (claim, Value(a["claimant"].id, actor_id=actor.id)),
        (claim, Value(a["mention"].id, annotation_id=mention.id)),
        (stance, Value(a["target"].id, choice_id=security.id)),  # borrowed from claim.issue
        (stance, Value(a["target"].id, annotation_id=claim.id)),
        (claim, Value(a["weight"].id)),  # clearing is always allowed
    ]
    for annotation, value in accepted:
        project.set_value(annotation.id, value)
        stored = project.values(annotation.id).get(value.attribute_id)
        assert stored == (None if value.is_empty() else value)


def test_a_new_annotation_with_a_bad_value_is_not_added(coded):
    project, a, mention, claim, *_ = coded
    count = project.annotation_count()
    with pytest.raises(ValueError, match="“Weight” takes a number"):
        project.add_annotation(
            claim.document_id,
            30,
            33,
            "claim",
            coder="Ana",
            values=[
                Value(a["claimant"].id, annotation_id=mention.id),
                Value(a["weight"].id, text="lots"),
            ],
        )
    assert project.annotation_count() == count


def test_values_another_tool_wrote_still_read_export_and_come_back(coded, tmp_path):
    """Checking is on write: a value the types refuse, already in a file, is read,
    exported, and put back by undoing a deletion."""
    from annotator.exporting.analysis import export_for_analysis

    project, a, mention, claim, *_ = coded
    project.db.execute(
        "INSERT INTO annotation_values (annotation_id, attribute_id, value_text, updated_at)"
        " VALUES (?, ?, 'lots', '2026-01-01T00:00:00.000Z')",
        (claim.id, a["weight"].id),
    )
    project.db.conn.commit()
    assert project.values(claim.id)[a["weight"].id].text == "lots"
    deletion = project.delete_annotation(claim.id)
    project.restore_deletions([deletion])
    assert project.values(claim.id)[a["weight"].id].text == "lots"
    export_for_analysis(project, tmp_path / "out")
    text = (tmp_path / "out" / "annotations.csv").read_text(encoding="utf-8")
    assert ",lots," in text
    # A coder replaces it, then undoes: the value the file held comes back as it was.
    previous = project.set_value(claim.id, Value(a["weight"].id, number=3))
    with pytest.raises(ValueError, match="takes a number"):
        project.set_value(claim.id, previous)
    project.set_value(claim.id, previous, restore=True)
    assert project.values(claim.id)[a["weight"].id].text == "lots"
    with pytest.raises(ValueError, match="does not belong"):
        project.set_value(mention.id, previous, restore=True)


def test_the_incomplete_rule(coded):
    project, a, mention, claim, stance, *_ = coded
    required = required_by_category(project.codebook())
    assert required["claim"] == {a["claimant"].id}
    assert "actor" not in required
    assert missing_required(required["claim"], set()) == {a["claimant"].id}
    assert not missing_required(required["claim"], {a["claimant"].id, a["weight"].id})
    assert claim.id in project.incomplete_ids()
    project.set_value(claim.id, Value(a["claimant"].id, annotation_id=mention.id))
    assert claim.id not in project.incomplete_ids()


def test_a_reference_without_targets_may_point_to_anything_in_its_document(coded):
    """A codebook file may leave a reference's targets out; the export has always
    read that as "anything", and so does the store."""
    project, a, mention, claim, stance, far, actor, security = coded
    loose = project.add_attribute(project.category("claim").id, "Loose", "reference")
    for value in (
        Value(loose.id, annotation_id=stance.id),
        Value(loose.id, actor_id=actor.id),
        Value(loose.id, choice_id=a["actor_type"].choices[0].id),
    ):
        project.set_value(claim.id, value)
        assert project.values(claim.id)[loose.id] == value
    _refused(project, claim, Value(loose.id, annotation_id=far.id), "in the same document")
    _refused(project, claim, Value(loose.id, choice_id="gone"), "not in the codebook")
