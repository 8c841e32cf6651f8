"""The actor registry: add, change, merge and delete actors, all undoable.

Deleting an actor clears the values that pointed to it; undo puts the actor
back under its own id, with those values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.codebook import Actor, Value
from annotator.ops import values
from annotator.ops.changes import Changes, Result, added, changed, combined, removed
from annotator.store.project import Project
from annotator.store.registry import Merge

ACTOR_FIELDS = ("name", "type", "country", "notes", "aliases")


@dataclass(frozen=True)
class ActorRemoval:
    """A deleted actor and the values that pointed to it."""

    actor: Actor
    values: tuple[tuple[str, Value], ...]  # (annotation_id, value)


def _values_of(project: Project, annotation_ids: Iterable[str]) -> Changes:
    """These annotations' values changed (and so, maybe, their documents' counts)."""
    ids = set(annotation_ids)
    documents = project.annotation_documents(ids).values()
    return changed("values", ids) | changed("document", documents)


def add_actor(
    project: Project,
    name: str,
    *,
    type: str = "",
    country: str = "",
    notes: str = "",
    aliases: Sequence[str] = (),
) -> Result[Actor]:
    with project._transaction():
        actor = project.add_actor(
            name, type=type, country=country, notes=notes, aliases=tuple(aliases)
        )
    return Result(actor, added("actor", [actor.id]), lambda p: delete_actor(p, actor.id))


def add_actor_as_value(
    project: Project, name: str, annotation_id: str, attribute_id: str
) -> Result[Actor]:
    """Add an actor and make it the value of an annotation's attribute, in one step."""
    with project._transaction():
        actor = add_actor(project, name)
        value = values.set_value(
            project, annotation_id, Value(attribute_id, actor_id=actor.value.id)
        )
    return combined(actor.value, [actor, value])


def update_actor(project: Project, actor_id: str, **fields: object) -> Result[Actor]:
    """Change ``name``, ``type``, ``country``, ``notes`` or ``aliases``; the value
    is the actor as it is now."""
    with project._transaction():
        before = project.actor(actor_id)
        actor = project.update_actor(actor_id, **fields)
    # A new name drops the alias it equals: undo puts the aliases back too.
    undone = {*fields, "aliases"} if "name" in fields else set(fields)
    previous = {name: getattr(before, name) for name in ACTOR_FIELDS if name in undone}
    return Result(
        actor, changed("actor", [actor_id]), lambda p: update_actor(p, actor_id, **previous)
    )


def merge_actors(project: Project, keep_id: str, drop_id: str) -> Result[Merge]:
    """Fold ``drop`` into ``keep``: its mentions, name and aliases move over."""
    with project._transaction():
        merge = project.merge_actors(keep_id, drop_id)
        values = _values_of(project, (annotation_id for annotation_id, _ in merge.moved))
    changes = removed("actor", [drop_id]) | changed("actor", [keep_id]) | values
    return Result(merge, changes, lambda p: unmerge(p, merge))


def unmerge(project: Project, merge: Merge) -> Result[None]:
    """Undo :func:`merge_actors`."""
    with project._transaction():
        project.unmerge(merge)
        values = _values_of(project, (annotation_id for annotation_id, _ in merge.moved))
    changes = added("actor", [merge.dropped.id]) | changed("actor", [merge.kept.id]) | values
    return Result(None, changes, lambda p: merge_actors(p, merge.kept.id, merge.dropped.id))


def delete_actor(project: Project, actor_id: str) -> Result[ActorRemoval]:
    """Delete an actor; values that pointed to it are cleared (undo restores them)."""
    with project._transaction():
        actor = project.actor(actor_id)
        referring = tuple(project.values_referring(actor_ids=[actor_id]))
        project.delete_actor(actor_id)
        values = _values_of(project, (annotation_id for annotation_id, _ in referring))
    removal = ActorRemoval(actor, referring)
    return Result(
        removal, removed("actor", [actor_id]) | values, lambda p: restore_actor(p, removal)
    )


def restore_actor(project: Project, removal: ActorRemoval) -> Result[Actor]:
    """Put a deleted actor back under its own id, with the values that pointed to it."""
    old = removal.actor
    with project._transaction():
        project.add_actor(
            old.name,
            type=old.type,
            country=old.country,
            notes=old.notes,
            aliases=old.aliases,
            actor_id=old.id,
        )
        project.restore_values(removal.values)
        values = _values_of(project, (annotation_id for annotation_id, _ in removal.values))
        actor = project.actor(old.id)  # with its mention count
    return Result(actor, added("actor", [old.id]) | values, lambda p: delete_actor(p, old.id))
