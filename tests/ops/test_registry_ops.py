"""Registry edits through the operations; deleting an actor is undone with its links."""

from annotator.core.codebook import Value
from annotator.ops import registry
from tests.exporting.coded_example import build

from .roundtrip import check_undo_redo


def test_add_actor_undo_redo(project):
    result = check_undo_redo(
        project, lambda p: registry.add_actor(p, "Moon Jae-in", type="person", aliases=["Moon"])
    )
    assert result.changes.actor.added == {result.value.id}


def test_update_actor_undo_redo(project):
    example = build(project)
    result = check_undo_redo(
        project,
        lambda p: registry.update_actor(p, example.putin.id, name="V. Putin", aliases=("VVP",)),
    )
    assert result.value.aliases == ("VVP",)
    assert result.changes.actor.changed == {example.putin.id}


def test_renaming_an_actor_to_its_alias_is_undone_with_the_alias(project):
    """The alias equal to the new name goes (a name is not its own alias); undo
    renamed the actor back but left the alias out."""
    example = build(project)
    assert project.actor(example.putin.id).aliases == ("Putin",)
    renamed = registry.update_actor(project, example.putin.id, name="Putin")
    assert (renamed.value.name, renamed.value.aliases) == ("Putin", ())
    back = renamed.undo(project)
    assert (back.value.name, back.value.aliases) == ("Vladimir Putin", ("Putin",))
    check_undo_redo(project, lambda p: registry.update_actor(p, example.putin.id, name="Putin"))


def test_delete_actor_clears_links_and_undo_restores_them(project):
    example = build(project)
    result = registry.delete_actor(project, example.putin.id)
    assert result.changes.actor.removed == {example.putin.id}
    assert result.changes.values.changed == {example.mention.id}
    assert project.values(example.mention.id) == {}
    restored = result.undo(project)
    assert restored.value.mention_count == 1
    actor_attr = project.codebook().attribute("actor", "actor")
    assert project.values(example.mention.id) == {
        actor_attr.id: Value(actor_attr.id, actor_id=example.putin.id)
    }
    check_undo_redo(project, lambda p: registry.delete_actor(p, example.putin.id))


def test_merge_undo_redo(project):
    example = build(project)
    other = project.add_actor("Wladimir Putin")
    actor_attr = project.codebook().attribute("actor", "actor")
    project.set_value(example.mention.id, Value(actor_attr.id, actor_id=other.id))
    result = check_undo_redo(
        project, lambda p: registry.merge_actors(p, example.putin.id, other.id)
    )
    assert result.changes.actor.removed == {other.id}
    assert result.changes.actor.changed == {example.putin.id}
    assert result.changes.values.changed == {example.mention.id}


def test_a_new_actor_as_a_value_is_one_step(project):
    example = build(project)
    attr = project.codebook().attribute("actor", "actor")
    result = check_undo_redo(
        project,
        lambda p: registry.add_actor_as_value(p, "Moon Jae-in", example.mention.id, attr.id),
    )
    assert result.value.name == "Moon Jae-in"
    assert result.changes.actor.added == {result.value.id}
    assert result.changes.values.changed == {example.mention.id}
    assert project.values(example.mention.id)[attr.id].actor_id == result.value.id
