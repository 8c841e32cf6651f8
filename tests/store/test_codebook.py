import pytest

from annotator.core.codebook import AttributeType, Value


def test_default_codebook(project):
    codebook = project.codebook()
    assert [(a.key, a.type, a.required) for a in codebook.attributes_of("claim")] == [
        ("claimant", AttributeType.REFERENCE, True),
        ("issue", AttributeType.CHOICE, False),
        ("addressee", AttributeType.REFERENCE, False),
    ]
    actor_type = codebook.attribute("actor", "type")
    assert [c.label for c in actor_type.choices] == [
        "person",
        "government",
        "party",
        "organisation",
        "media",
        "expert",
        "other",
    ]
    target = codebook.attribute("stance", "target")
    assert target.target_categories() == ("claim", "actor")
    assert target.allows_registry()
    assert target.choice_source() == ("claim", "issue")
    assert codebook.choices_for(target) == codebook.attribute("claim", "issue").choices


def test_rename_recolour_keeps_annotations(doc_project):
    project, doc = doc_project
    ann = project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    actor = project.category("actor")
    project.update_category(actor.id, label="Speaker", colour="#123456", hotkey="a")
    (stored,) = project.annotations()
    assert stored.id == ann.id and stored.category == "actor"
    assert project.category("actor").label == "Speaker"
    with pytest.raises(ValueError):
        project.update_category(actor.id, key="speaker")


def test_user_categories_attributes_and_choices(doc_project):
    project, doc = doc_project
    frame = project.add_category("Frame", "#aa00aa", hotkey="4")
    assert frame.key == "frame"
    attr = project.add_attribute(
        frame.id, "Frame type", "choice", choices=[{"label": "economic", "code": 1}]
    )
    assert attr.key == "frame_type"
    extra = project.add_choice(attr.id, "security", code=2)
    ann = project.add_annotation(
        doc.id, 0, 5, "frame", coder="Ana", values=[Value(attr.id, choice_id=extra.id)]
    )
    assert project.choice_usage(extra.id) == 1
    assert project.category_usage(frame.id) == 1
    project.reorder("choices", [extra.id, attr.choices[0].id])
    assert [c.label for c in project.codebook().attribute("frame", "frame_type").choices] == [
        "security",
        "economic",
    ]
    assert project.delete_choice(extra.id) == 1
    assert project.values(ann.id) == {}
    assert project.delete_category(frame.id) == 1
    assert project.annotations() == []
    assert "frame" not in {c.key for c in project.categories()}


def test_duplicate_keys_get_a_suffix(project):
    first = project.add_category("Frame", "#000000")
    second = project.add_category("Frame", "#000000")
    assert (first.key, second.key) == ("frame", "frame_2")


def test_values_are_checked_against_the_category(doc_project):
    project, doc = doc_project
    codebook = project.codebook()
    ann = project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    polarity = codebook.attribute("stance", "polarity")
    with pytest.raises(ValueError, match="does not belong"):
        project.set_value(ann.id, Value(polarity.id, choice_id=polarity.choices[0].id))
    assert project.values(ann.id) == {}


def test_set_value_returns_previous_and_clears(doc_project):
    project, doc = doc_project
    codebook = project.codebook()
    polarity = codebook.attribute("stance", "polarity")
    support, oppose = polarity.choices[:2]
    stance = project.add_annotation(doc.id, 6, 9, "stance", coder="Ana")
    assert project.incomplete_ids() == {stance.id}
    assert project.set_value(stance.id, Value(polarity.id, choice_id=support.id)) is None
    previous = project.set_value(stance.id, Value(polarity.id, choice_id=oppose.id))
    assert previous.choice_id == support.id
    assert project.values(stance.id)[polarity.id].choice_id == oppose.id
    project.set_value(stance.id, Value(polarity.id))
    assert project.values(stance.id) == {}


def test_deleting_a_linked_annotation_removes_and_restores_links(doc_project):
    project, doc = doc_project
    codebook = project.codebook()
    claimant = codebook.attribute("claim", "claimant")
    actor = project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    claim = project.add_annotation(
        doc.id, 6, 20, "claim", coder="Ana", values=[Value(claimant.id, annotation_id=actor.id)]
    )
    assert project.incomplete_ids() == set()
    assert project.documents()[0].incomplete_count == 0
    deletion = project.delete_annotation(actor.id)
    assert project.values(claim.id) == {}
    assert project.incomplete_ids() == {claim.id}
    assert project.documents()[0].incomplete_count == 1
    project.restore_deletions([deletion])
    assert project.values(claim.id)[claimant.id].annotation_id == actor.id


def test_self_reference_is_refused(doc_project):
    project, doc = doc_project
    claimant = project.codebook().attribute("claim", "claimant")
    claim = project.add_annotation(doc.id, 6, 20, "claim", coder="Ana")
    with pytest.raises(ValueError, match="itself"):
        project.set_value(claim.id, Value(claimant.id, annotation_id=claim.id))


def test_reference_to_missing_annotation_is_refused(doc_project):
    project, doc = doc_project
    claimant = project.codebook().attribute("claim", "claimant")
    claim = project.add_annotation(doc.id, 6, 20, "claim", coder="Ana")
    with pytest.raises(ValueError, match="not in the project"):
        project.set_value(claim.id, Value(claimant.id, annotation_id="nope"))
    assert project.values(claim.id) == {}


def test_restoring_annotations_that_point_at_each_other(doc_project):
    project, doc = doc_project
    claimant = project.codebook().attribute("claim", "claimant")
    claim = project.add_annotation(doc.id, 6, 20, "claim", coder="Ana")
    actor = project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    project.set_value(claim.id, Value(claimant.id, annotation_id=actor.id))
    deletions = project.delete_annotations([claim.id, actor.id])
    assert project.annotations() == []
    project.restore_deletions(deletions)
    assert {a.id for a in project.annotations()} == {claim.id, actor.id}
    assert project.values(claim.id)[claimant.id].annotation_id == actor.id
