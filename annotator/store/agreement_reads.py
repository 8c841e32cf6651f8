"""What the agreement report reads: every coder's annotations and values at once.

A handful of queries inside one read transaction (``Project.snapshot``); the report itself
is computed in ``core/agreement`` from the records returned.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from annotator.core.agreement.source import AgreementSource, SourceAnnotation, SourceDocument
from annotator.store.export_reads import _values
from annotator.store.project import Project

_VALUE_COLUMNS = (
    "v.annotation_id, v.attribute_id, v.value_text, v.value_number, v.choice_id, "
    "v.ref_annotation_id, v.ref_actor_id"
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
        annotations = [
            SourceAnnotation._make(row)
            for row in project._query(
                'SELECT a.id, a.document_id, c.name, k.key, a.start, a."end", a.quote '
                "FROM annotations a JOIN coders c ON c.id = a.coder_id "
                f"JOIN categories k ON k.id = a.category_id {where}",
                params,
            )
        ]
        values = _values(
            project._query(
                f"SELECT {_VALUE_COLUMNS} FROM annotation_values v "
                "JOIN annotations a ON a.id = v.annotation_id "
                f"JOIN coders c ON c.id = a.coder_id {where}",
                params,
            )
        )
        codebook = project.codebook()
        link = codebook.attribute("actor", "actor")
        mention_actor: dict[str, str] = {}
        if link is not None:
            mention_actor = dict(
                project._query(
                    "SELECT v.annotation_id, v.ref_actor_id FROM annotation_values v "
                    "WHERE v.attribute_id = ? AND v.ref_actor_id IS NOT NULL AND v.annotation_id "
                    "IN (SELECT ref_annotation_id FROM annotation_values "
                    "WHERE ref_annotation_id IS NOT NULL)",
                    [link.id],
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
    return AgreementSource(
        codebook, names, documents, annotations, values, mention_actor, actor_names, assigned
    )
