"""Storing one extracted document: its text checked, its metadata mapped, then
written in one transaction, or a ``rejected``/``duplicate`` outcome saying why not.

:func:`write_document` is the one place an import writes to the project.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from pathlib import Path

from annotator.core.model import Document, Variable
from annotator.core.text import canonicalise, sha256_text
from annotator.importing.encodings import LOW
from annotator.importing.model import DOCUMENT_FIELDS, Extracted, FileOutcome, ImportRejected
from annotator.ops import documents as document_ops
from annotator.ops import variables as variable_ops
from annotator.store.codebook import make_key
from annotator.store.errors import ProjectError
from annotator.store.project import Project
from annotator.store.variables import check_variable_value

TITLE_CHARS = 300  # a longer title (a first line that is a whole article) is cut


def column_targets(columns: Iterable[str], variables: Iterable[Variable] = ()) -> dict[str, str]:
    """Where each of a table's columns goes: ``title``, ``source``, ``author`` or
    ``date`` (any case) onto the document, any other into the document variable
    of that label (any case), else the one whose key the column's name makes
    (``"Outlet name"`` → ``outlet_name``). ``ImportRejected`` when two columns
    would fill the same one."""
    labelled = {v.label.strip().casefold(): v.key for v in variables}
    targets: dict[str, str] = {}
    taken: dict[str, str] = {}
    for column in columns:
        folded = column.strip().lower()
        if folded in DOCUMENT_FIELDS:
            target = folded
        else:
            target = labelled.get(column.strip().casefold()) or make_key(column)
        if target in taken:
            raise ImportRejected(
                f"the columns “{taken[target]}” and “{column}” would both fill “{target}”;"
                " rename one of them"
            )
        taken[target] = column
        targets[column] = target
    return targets


def _describe(document: Document) -> str:
    name = f" ({document.file_name})" if document.file_name else ""
    return f"same text as “{document.title}”{name}"


def _metadata(
    metadata: Mapping[str, str],
    columns: Mapping[str, str],
    variables: Mapping[str, Variable],
) -> tuple[dict[str, str], dict[str, str | None], dict[str, str]]:
    """The document's fields, its variable values (checked against their types) and
    the text variables to create for columns no variable holds yet.

    ``metadata`` (a metadata CSV's row for the file) gives fields and existing
    variables by key; ``columns`` (the file's own, a table's row) gives them by
    column name and wins where it holds a value.
    """
    fields = {k: metadata.get(k, "").strip() for k in DOCUMENT_FIELDS}
    values: dict[str, str | None] = {}
    new: dict[str, str] = {}
    for key, value in metadata.items():
        if key in variables and value.strip():
            try:
                values[key] = check_variable_value(variables[key], value)
            except ValueError as exc:
                raise ImportRejected(f"metadata: {exc}") from None
    for column, target in column_targets(columns, variables.values()).items():
        value = columns[column].strip()
        if not value:
            continue
        if target in DOCUMENT_FIELDS:
            fields[target] = value
        elif target in variables:
            try:
                values[target] = check_variable_value(variables[target], value)
            except ValueError as exc:
                raise ImportRejected(f"column “{column}”: {exc}") from None
        else:
            new[target] = column.strip()
            values[target] = value
    return fields, values, new


def write_document(
    project: Project,
    text: str,
    *,
    title: str,
    file_name: str,
    encoding: str,
    fields: Mapping[str, str],
    values: dict[str, str | None],
    new_variables: Mapping[str, str],
) -> Document:
    """Store the document with its variable values, creating the text variables
    ``new_variables`` names (key → label) first: all of it, or nothing."""
    document_fields = {k: fields.get(k, "") for k in ("source", "author", "date")}
    # One transaction for the new variables and the document; the operations'
    # own transactions nest in it as savepoints.
    with project.db.atomic() if new_variables else nullcontext():
        for key, label in (new_variables or {}).items():
            variable_ops.add_variable(project, label, key=key)
        return document_ops.import_text(
            project,
            text,
            title=title,
            file_name=file_name,
            encoding=encoding,
            variables=values,
            **document_fields,
        ).value


def store_extracted(
    project: Project,
    path: Path,
    extracted: Extracted,
    *,
    metadata: Mapping[str, str] | None = None,
    allow_duplicates: bool = False,
) -> FileOutcome:
    """Import one extracted document in one transaction; a problem is an outcome,
    never an exception. A metadata value that does not fit its variable's type
    rejects the document."""
    row = extracted.row
    try:
        if extracted.problem:
            raise ImportRejected(extracted.problem)
        text = canonicalise(extracted.text)
        if "\x00" in text:  # any format: a NUL cannot be coded or exported
            raise ImportRejected("the text contains NUL characters (the file looks damaged)")
        if not text or text.isspace():
            raise ImportRejected("the text is empty" if row else "the file is empty (no text)")
        if not allow_duplicates:
            existing = project.find_document_by_sha256(sha256_text(text))
            if existing is not None:
                return FileOutcome(
                    path, "duplicate", _describe(existing), existing, extracted.encoding, row
                )
        variables = {v.key: v for v in project.variables()}
        fields, values, new = _metadata(metadata or {}, extracted.columns, variables)
        title = fields["title"] or extracted.title.strip() or path.stem
        document = write_document(
            project,
            text,
            title=title[:TITLE_CHARS],
            file_name=path.name,
            encoding=extracted.encoding,
            fields=fields,
            values=values,
            new_variables=new,
        )
    except ImportRejected as exc:
        return FileOutcome(path, "rejected", str(exc), row=row)
    except (ProjectError, ValueError, KeyError, sqlite3.Error) as exc:
        return FileOutcome(path, "rejected", f"could not be stored ({exc})", row=row)
    doubtful = not extracted.certain and extracted.confidence == LOW
    return FileOutcome(path, "imported", "", document, extracted.encoding, row, doubtful)
