"""Annotator's own ``.qdpx``: the exact copy the export puts beside the standard's
XML (``annotator/project.json``, described in ``exporting/refi/extension.py``)
rebuilds the project as it was: ids, codebook settings, the actor registry,
typed values, references between annotations, document fields, statuses and
timestamps. The copy is used only when it agrees with the archive: the same
schema, every text in ``sources/`` the one its row's SHA-256 names, every
annotation's quote found at its place. Otherwise :class:`NotExact` says why, and
the file is imported as any tool's REFI-QDA project."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from annotator.core.text import sha256_text
from annotator.importing.model import ImportRejected
from annotator.importing.refi.archive import Archive
from annotator.importing.refi.report import RefiReport
from annotator.importing.refi.sources import decode
from annotator.ops import restore_rows as restore_ops
from annotator.store.errors import ProjectError
from annotator.store.project import Project
from annotator.store.row_restore import RESTORABLE, Row
from annotator.store.schema import SCHEMA_VERSION

EXTENSION_NAME = "annotator/project.json"
EXTENSION_FORMAT = "annotator-refi-extension"
EXTENSION_VERSION = 1
# The copy holds every row but the texts: some 500 bytes an annotation.
MAX_COPY_BYTES = 100 * 2**20
_DEFINITIONS = RESTORABLE[: RESTORABLE.index("documents")]
# Put back after every annotation, which they name.
_SETTLEMENTS = RESTORABLE[RESTORABLE.index("annotation_values") + 1 :]


class NotExact(Exception):
    """The copy cannot rebuild the project exactly; the message says why."""


def _rows(value: object, where: str) -> list[Row]:
    if not isinstance(value, list) or not all(
        isinstance(row, dict) and all(isinstance(k, str) for k in row) for row in value
    ):
        raise NotExact(f"its {where} are not rows")
    return value


def read_extension(archive: Archive) -> dict[str, Any] | None:
    """The copy, checked for its format, version and schema; ``None`` if absent."""
    name = archive.find(EXTENSION_NAME)
    if name is None:
        return None
    try:
        data = json.loads(archive.read(name, MAX_COPY_BYTES, name).decode("utf-8"))
    except ImportRejected as exc:
        raise NotExact(str(exc)) from None
    except (ValueError, RecursionError) as exc:
        raise NotExact(f"it is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != EXTENSION_FORMAT:
        raise NotExact("it is not in Annotator's format")
    if data.get("version") != EXTENSION_VERSION:
        raise NotExact(f"it is of version {data.get('version')!r}; this Annotator reads 1")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise NotExact(
            f"it was written with project schema {data.get('schema_version')!r}, "
            f"this Annotator's is {SCHEMA_VERSION}"
        )
    tables = data.get("tables")
    if not isinstance(tables, dict) or not set(tables) <= set(_DEFINITIONS + _SETTLEMENTS):
        raise NotExact("its tables are not Annotator's")
    if not isinstance(data.get("documents"), list):
        raise NotExact("it lists no documents")
    return data


def _text(archive: Archive, entry: dict[str, Any]) -> tuple[Row, str]:
    document = entry.get("document")
    source = entry.get("source")
    if not isinstance(document, dict) or not isinstance(source, str):
        raise NotExact("a document entry is damaged")
    member = archive.find(source)
    if member is None:
        raise NotExact(f"{source} is missing")
    try:
        text = decode(archive.read_text_part(member), source)
    except ImportRejected as exc:
        raise NotExact(str(exc)) from None
    if sha256_text(text) != document.get("sha256") or len(text) != document.get("char_count"):
        raise NotExact(f"the text of “{document.get('title')}” was changed after the export")
    for row in _rows(entry.get("annotations"), "annotations"):
        start, end = row.get("start"), row.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
            raise NotExact("an annotation's position is damaged")
        if text[start:end] != row.get("quote"):
            raise NotExact(f"an annotation of “{document.get('title')}” is not where it says")
    return document, text


def rebuild(
    project: Project,
    archive: Archive,
    copy: dict[str, Any],
    report: RefiReport,
    step: Callable[[int, int, str], None],
) -> None:
    """Put the copy's rows back into the new ``project`` (one transaction)."""
    documents: list[dict[str, Any]] = copy["documents"]
    values: list[Row] = []
    try:
        with project.db.atomic():
            restore_ops.clear_new_codebook(project)
            for table in _DEFINITIONS:
                rows = _rows(copy["tables"].get(table, []), table)
                restore_ops.restore_rows(project, table, rows)
            report.categories = len(copy["tables"].get("categories", []))
            report.choices = len(copy["tables"].get("choices", []))
            report.variables = len(copy["tables"].get("variables", []))
            for index, entry in enumerate(documents):
                if not isinstance(entry, dict):
                    raise NotExact("a document entry is damaged")
                document, text = _text(archive, entry)
                step(index, len(documents), str(document.get("title", "")))
                restore_ops.restore_rows(project, "documents", [{**document, "text": text}])
                restore_ops.restore_rows(
                    project, "document_values", _rows(entry.get("document_values"), "values")
                )
                annotations = _rows(entry.get("annotations"), "annotations")
                restore_ops.restore_rows(project, "annotations", annotations)
                values += _rows(entry.get("annotation_values"), "values")
                report.documents += 1
                report.annotations += len(annotations)
                report.memos += sum(1 for a in annotations if a.get("memo"))
            # Last: a value may refer to an annotation of a later document.
            restore_ops.restore_rows(project, "annotation_values", values)
            for table in _SETTLEMENTS:
                rows = _rows(copy["tables"].get(table, []), table)
                restore_ops.restore_rows(project, table, rows)
            step(len(documents), len(documents), "")
    except (sqlite3.Error, ProjectError) as exc:
        raise NotExact(f"its rows do not fit the project ({exc})") from None
    report.coders = project.coder_names()
    report.exact = True
