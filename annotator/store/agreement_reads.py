"""What the agreement report reads: every coder's annotations and values at once.

A handful of queries inside one read transaction (``Project.snapshot``); the report itself
is computed in ``core/agreement`` from the records returned.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from annotator.core.agreement.source import (
    AgreementSource,
    SourceAnnotation,
    SourceDocument,
    SourceValue,
)
from annotator.store.project import Project

_VALUES = (
    "SELECT annotation_id, attribute_id, choice_id, value_number, ref_actor_id, "
    "ref_annotation_id FROM annotation_values"
)


def read_agreement_source(project: Project, coders: Sequence[str] | None = None) -> AgreementSource:
    """The records an agreement report needs; ``coders`` limits the annotations read
    (None: every coder's)."""
    with project.snapshot():
        names = [row[0] for row in project._query("SELECT name FROM coders ORDER BY name")]
        names.sort(key=str.casefold)
        if coders:
            where = "WHERE c.name IN (SELECT value FROM json_each(?))"
            params: list[object] = [json.dumps(list(coders))]
        else:
            where, params = "", []
        new = tuple.__new__  # SourceAnnotation's own __new__ is Python; the tuple's is not
        annotations = [
            new(SourceAnnotation, row)
            for row in project._query(
                'SELECT a.id, a.document_id, c.name, k.key, a.start, a."end" '
                "FROM annotations a JOIN coders c ON c.id = a.coder_id "
                f"JOIN categories k ON k.id = a.category_id {where}",
                params,
            )
        ]
        codebook = project.codebook()
        link = codebook.attribute("actor", "actor")
        # Every value, not only the coders' asked for: joining each to its annotation
        # costs more than the rows the report then passes over.
        values: list[SourceValue] = project._query(_VALUES)
        # Quotes are cut from the texts (which they always equal) when asked for.
        texts = dict(
            project._query(
                "SELECT id, text FROM documents "
                "WHERE id IN (SELECT DISTINCT document_id FROM annotations)"
            )
        )
        documents = [
            SourceDocument._make(row)
            for row in project._query(
                "SELECT id, title, char_count FROM documents ORDER BY position, id"
            )
        ]
        actor_names = dict(project._query("SELECT id, name FROM actors"))
        given: dict[str, set[str]] = {}
        for document_id, coder in project._query(
            "SELECT document_id, coder FROM team_documents WHERE assigned_at IS NOT NULL"
        ):
            given.setdefault(document_id, set()).add(coder)
    assigned = {d: frozenset(c) for d, c in given.items()}
    # A coder given documents who has coded nothing yet is a coder of the project too.
    names += sorted({c for group in given.values() for c in group} - set(names))
    names.sort(key=str.casefold)
    linking = link.id if link is not None else None
    mention_actor = {row[0]: row[4] for row in values if row[1] == linking and row[4] is not None}
    return AgreementSource(
        codebook,
        names,
        documents,
        annotations,
        values,
        mention_actor,
        texts,
        actor_names,
        assigned,
    )
