"""What an export reads, a few documents at a time.

An export of a study-sized project cannot hold every annotation and value at
once; it reads the annotations of a few documents, the stances anywhere that
target their claims, the annotations their values point to, and the values of
all of these (:class:`ExportReads`). Each query reads only what it returns; run
them inside one read transaction (``Project.snapshot``) for one state of the
project.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from annotator.core.codebook import Value
from annotator.core.model import Annotation
from annotator.store.errors import ProjectError
from annotator.store.project import Project

_ANNOTATION_COLUMNS = (
    'a.id, a.document_id, a.coder_id, a.category_id, a.start, a."end", a.quote, a.memo, '
    "a.created_at, a.updated_at"
)
_VALUE_COLUMNS = (
    "v.annotation_id, v.attribute_id, v.value_text, v.value_number, v.choice_id, "
    "v.ref_annotation_id, v.ref_actor_id"
)
_OF_CODER = "a.coder_id IN (SELECT id FROM coders WHERE name = ?)"
_IDS = "(SELECT value FROM json_each(?))"


class ExportReads:
    """Queries over one project for an export; ``coder`` limits the annotations
    exported (not those they point to) to one coder's."""

    def __init__(self, project: Project, coder: str | None = None) -> None:
        self._project = project
        self._coder = coder
        self._coders = dict(self._query("SELECT id, name FROM coders"))
        self._categories = dict(self._query("SELECT id, key FROM categories"))

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return self._project._query(sql, params)

    def _annotations(self, rows: Iterable[tuple[Any, ...]]) -> list[Annotation]:
        coders, categories = self._coders, self._categories
        new = tuple.__new__  # Annotation._make is Python; the tuple's __new__ is not
        try:
            # Each row holds the record's first ten fields in order; the coder's name
            # and the category's key complete it.
            return [new(Annotation, (*row, coders[row[2]], categories[row[3]])) for row in rows]
        except KeyError as exc:  # a coder or category row missing: a damaged file
            raise ProjectError(f"The project file is damaged: no coder or category {exc}") from exc

    def _coder_filter(self, params: list[object]) -> str:
        if self._coder is None:
            return ""
        params.append(self._coder)
        return f" AND {_OF_CODER}"

    def annotation_counts(self) -> dict[str, int]:
        """Document id → the number of annotations exported from it."""
        params: list[object] = []
        where = self._coder_filter(params)
        rows = self._query(
            f"SELECT a.document_id, COUNT(*) FROM annotations a WHERE 1 {where} "
            "GROUP BY a.document_id",
            params,
        )
        return dict(rows)

    def partial_dates(self, attribute_ids: Collection[str]) -> set[str]:
        """Those of ``attribute_ids`` (date attributes) that hold a year or a month
        rather than a calendar date (``YYYY-MM-DD``) in an exported annotation."""
        if not attribute_ids:
            return set()
        params: list[object] = [json.dumps(list(attribute_ids))]
        where = self._coder_filter(params)
        rows = self._query(
            "SELECT DISTINCT v.attribute_id FROM annotation_values v "
            "JOIN annotations a ON a.id = v.annotation_id "
            "WHERE v.attribute_id IN (SELECT value FROM json_each(?)) "
            f"AND v.value_text != '' AND length(v.value_text) != 10 {where}",
            params,
        )
        return {row[0] for row in rows}

    def annotations_of(self, document_id: str) -> list[Annotation]:
        """The document's annotations exported, in text order (as ``Project.annotations``)."""
        params: list[object] = [document_id]
        where = self._coder_filter(params)
        return self._annotations(
            self._query(
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotations a WHERE a.document_id = ?{where}",
                params,
            )
        )

    def spans_of(self, document_id: str) -> list[tuple[str, int, int, str]]:
        """(id, start, end, quote) of the document's annotations exported, in text order."""
        params: list[object] = [document_id]
        where = self._coder_filter(params)
        return self._query(
            f'SELECT a.id, a.start, a."end", a.quote FROM annotations a '
            f"WHERE a.document_id = ?{where}",
            params,
        )

    def annotations_by_id(self, ids: Collection[str]) -> list[Annotation]:
        """The annotations with these ids, whoever coded them (missing ones left out)."""
        if not ids:
            return []
        return self._annotations(
            self._query(
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotations a WHERE a.id IN {_IDS}",
                (json.dumps(list(ids)),),
            )
        )

    def annotations_pointing_to(self, attribute_id: str, ids: Collection[str]) -> list[Annotation]:
        """The exported annotations whose ``attribute_id`` value points to one of ``ids``."""
        if not ids:
            return []
        params: list[object] = [attribute_id, json.dumps(list(ids))]
        where = self._coder_filter(params)
        return self._annotations(
            self._query(
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotation_values v "
                "JOIN annotations a ON a.id = v.annotation_id "
                f"WHERE v.attribute_id = ? AND v.ref_annotation_id IN {_IDS}{where}",
                params,
            )
        )

    def values_of(self, ids: Collection[str]) -> dict[str, dict[str, Value]]:
        """Annotation id → attribute id → value, for the annotations with these ids."""
        if not ids:
            return {}
        return _values(
            self._query(
                f"SELECT {_VALUE_COLUMNS} FROM annotation_values v WHERE v.annotation_id IN {_IDS}",
                (json.dumps(list(ids)),),
            )
        )

    def values_in(self, document_id: str) -> dict[str, dict[str, Value]]:
        """The values of the document's annotations exported, as :meth:`values_of`."""
        params: list[object] = [document_id]
        where = self._coder_filter(params)
        return _values(
            self._query(
                f"SELECT {_VALUE_COLUMNS} FROM annotations a "
                "JOIN annotation_values v ON v.annotation_id = a.id "
                f"WHERE a.document_id = ?{where}",
                params,
            )
        )

    def references_to(self, ids: Collection[str]) -> dict[str, int]:
        """Annotation id → the number of values (of any annotation) that point to it,
        for those of ``ids`` some value points to."""
        if not ids:
            return {}
        return dict(
            self._query(
                "SELECT v.ref_annotation_id, COUNT(*) FROM annotation_values v "
                f"WHERE v.ref_annotation_id IN {_IDS} GROUP BY v.ref_annotation_id",
                (json.dumps(list(ids)),),
            )
        )

    def actor_mentions(self) -> dict[str, int]:
        """Registry actor id → values of the exported annotations that point to it."""
        params: list[object] = []
        where = self._coder_filter(params)
        rows = self._query(
            "SELECT v.ref_actor_id, COUNT(*) FROM annotation_values v "
            "JOIN annotations a ON a.id = v.annotation_id "
            f"WHERE v.ref_actor_id IS NOT NULL{where} GROUP BY v.ref_actor_id",
            params,
        )
        return dict(rows)

    def others_values(self, category_id: str, attribute_ids: Collection[str]) -> list[Value]:
        """The ``attribute_ids`` values of the category's annotations by coders other
        than the one exported, that point to something (empty without a coder)."""
        if self._coder is None or not attribute_ids:
            return []
        rows = self._query(
            f"SELECT {_VALUE_COLUMNS} FROM annotation_values v "
            "JOIN annotations a ON a.id = v.annotation_id "
            f"WHERE a.category_id = ? AND v.attribute_id IN {_IDS} AND NOT {_OF_CODER} "
            "AND (v.choice_id IS NOT NULL OR v.ref_annotation_id IS NOT NULL "
            "OR v.ref_actor_id IS NOT NULL)",
            (category_id, json.dumps(list(attribute_ids)), self._coder),
        )
        return [Value(*row[1:]) for row in rows]

    def missing_annotations(self, ids: Collection[str]) -> set[str]:
        """Those of ``ids`` that no annotation has."""
        if not ids:
            return set()
        rows = self._query(
            "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM annotations)",
            (json.dumps(list(ids)),),
        )
        return {row[0] for row in rows}


def _values(rows: Iterable[tuple[Any, ...]]) -> dict[str, dict[str, Value]]:
    result: dict[str, dict[str, Value]] = {}
    new = tuple.__new__  # Value's own __new__ is Python; the tuple's is not
    for row in rows:
        own = result.get(row[0])
        if own is None:
            own = result[row[0]] = {}
        own[row[1]] = new(Value, row[1:])
    return result
