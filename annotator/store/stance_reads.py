"""What the actor tables count (actor × polarity, actor × issue), read in a few
passes over the project rather than stance by stance.

Joining each stance to its holder, the holder's mention to its registry actor
and its target to the claim's issue inside SQLite costs a look into the values'
index and row per step (about 2 µs each; 1.9 s for the 166,000 stances of the
500,000-annotation study project, the polarity alone). Read instead: the stances
from the category index, the polarities from the choice index, and the values
of the holder, target, mention-actor and issue attributes in one sweep of the
values table; they are joined in dictionaries (``exporting/actor_counts.py``).

A value of an attribute sits only on an annotation of that attribute's category
(``store/values.py`` refuses any other), so the mention-actor values are those
of actor mentions and the issue values those of claims.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import NamedTuple

from annotator.store.errors import ProjectError, damaged_message
from annotator.store.project import Project

# A reference value: (choice id, referenced annotation id, registry actor id).
Ref = tuple[str | None, str | None, str | None]


class StanceReads(NamedTuple):
    # (stance id, coder id, document id), the coder's alone if asked
    stances: list[tuple[str, str, str]]
    coders: dict[str, str]  # coder id → name
    polarity: dict[str, str]  # stance id → choice id (of the polarity attribute)
    holder: dict[str, Ref]  # stance id → its holder value
    target: dict[str, Ref]  # stance id → its target value
    mention_actor: dict[str, str]  # actor mention id → registry actor id (its value)
    issue: dict[str, str]  # claim id → issue choice id


class AttributeIds(NamedTuple):
    """The attributes read (empty: the codebook has none such)."""

    stance: str  # the stance category's id
    polarity: str
    holder: str
    target: str
    mention_actor: str  # the actor category's ``actor`` attribute
    issue: str  # the claim category's ``issue`` attribute
    # Another stance attribute may hold a polarity choice too (a reference to the
    # polarity's choices): the choice index cannot tell them apart, the sweep can.
    polarity_shared: bool = False


def read_stances(project: Project, ids: AttributeIds, coder: str | None = None) -> StanceReads:
    """Every stance (of ``coder`` if given) with the values the actor tables need,
    and the values of the annotations those point to, whoever coded them."""
    conn = project.db.conn
    try:
        coders = dict(conn.execute("SELECT id, name FROM coders"))
        sql = (
            "SELECT id, coder_id, document_id FROM annotations INDEXED BY annotations_by_category"
            " WHERE category_id = ?"
        )
        params: list[object] = [ids.stance]
        if coder is not None:
            sql += " AND coder_id IN (SELECT id FROM coders WHERE name = ?)"
            params.append(coder)
        # Coder, document, choice and registry actor ids repeat across hundreds of
        # thousands of rows: one string each (``same``) instead of one per row.
        same: dict[str, str] = {}
        keep = same.setdefault
        stances = (
            [(s, keep(c, c), keep(d, d)) for s, c, d in conn.execute(sql, params)]
            if ids.stance
            else []
        )
        polarity: dict[str, str] = {}
        if ids.polarity and not ids.polarity_shared:
            polarity = {
                annotation_id: keep(choice_id, choice_id)
                for annotation_id, choice_id in conn.execute(
                    "SELECT annotation_id, choice_id FROM annotation_values"
                    " INDEXED BY values_by_choice"
                    " WHERE choice_id IN (SELECT id FROM choices WHERE attribute_id = ?)",
                    [ids.polarity],
                )
            }
        # One sweep of the values' table (no index holds an attribute's values): the
        # rows of the four attributes, kept by attribute.
        holder: dict[str, Ref] = {}
        target: dict[str, Ref] = {}
        mention_actor: dict[str, str] = {}
        issue: dict[str, str] = {}
        swept = [ids.holder, ids.target, ids.mention_actor, ids.issue]
        if ids.polarity_shared:
            swept.append(ids.polarity)
        wanted = [i for i in swept if i]
        if stances and wanted:
            marks = ", ".join("?" * len(wanted))
            rows = conn.execute(
                "SELECT attribute_id, annotation_id, choice_id, ref_annotation_id, ref_actor_id"
                f" FROM annotation_values NOT INDEXED WHERE attribute_id IN ({marks})",
                wanted,
            )
            for attribute_id, annotation_id, choice_id, annotation, actor in rows:
                if choice_id is not None:
                    choice_id = keep(choice_id, choice_id)
                if actor is not None:
                    actor = keep(actor, actor)
                if attribute_id == ids.holder:
                    holder[annotation_id] = (choice_id, annotation, actor)
                elif attribute_id == ids.target:
                    target[annotation_id] = (choice_id, annotation, actor)
                elif attribute_id == ids.mention_actor:
                    if actor is not None:
                        mention_actor[annotation_id] = actor
                elif attribute_id == ids.issue:
                    if choice_id is not None:
                        issue[annotation_id] = choice_id
                elif choice_id is not None:
                    polarity[annotation_id] = choice_id
    except sqlite3.DatabaseError as exc:  # a damaged file that still opened
        raise ProjectError(damaged_message(exc)) from exc
    return StanceReads(stances, coders, polarity, holder, target, mention_actor, issue)


def quotes_of(project: Project, ids: Iterable[str]) -> dict[str, str]:
    """Annotation id → quote, for those of ``ids`` the project has."""
    wanted = list(ids)
    if not wanted:
        return {}
    try:
        return dict(
            project.db.conn.execute(
                "SELECT id, quote FROM annotations WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(wanted)],
            )
        )
    except sqlite3.DatabaseError as exc:
        raise ProjectError(damaged_message(exc)) from exc
