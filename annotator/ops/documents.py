"""Documents: importing a text, its properties, variable values and status.

Each result carries the document as it is afterwards, so the window shows it
without reading it again.
"""

from __future__ import annotations

from collections.abc import Mapping

from annotator.core.model import Document, DocumentStatus
from annotator.ops.changes import Result, added, changed
from annotator.store.project import Project

PROPERTIES = ("title", "source", "author", "date")


def import_text(
    project: Project,
    text: str,
    *,
    title: str,
    source: str = "",
    author: str = "",
    date: str = "",
    file_name: str = "",
    encoding: str = "",
    variables: Mapping[str, str | None] | None = None,
) -> Result[Document]:
    """Store a document and its variable values (see ``Project.import_text``).
    Importing is not undone: the value has no ``undo``."""
    with project._transaction():
        document = project.import_text(
            text,
            title=title,
            source=source,
            author=author,
            date=date,
            file_name=file_name,
            encoding=encoding,
            variables=dict(variables) if variables else None,
        )
    return Result(document, added("document", [document.id]).with_records(documents=[document]))


def edit_document(
    project: Project,
    document_id: str,
    properties: Mapping[str, str] | None = None,
    variables: Mapping[str, str | None] | None = None,
    *,
    restore: bool = False,
) -> Result[Document]:
    """Change properties (``title``, ``source``, ``author``, ``date``) and variable
    values (by key; empty clears one) in one step: all of it, or nothing when a
    value does not fit. ``restore`` (undo and redo): the values go back as they
    were, whatever the variables allow now (a choice since removed from a list)."""
    properties = dict(properties or {})
    variables = dict(variables or {})
    with project._transaction():
        before = project.document(document_id)  # KeyError for an unknown document
        old_values = project.document_variables(document_id)
        if variables:  # checked in full before anything is written
            project.set_document_variables(document_id, variables, restore=restore)
        document = project.update_document(document_id, **properties)
    previous = {name: str(getattr(before, name)) for name in properties if name in PROPERTIES}
    previous_values: dict[str, str | None] = {key: old_values.get(key) for key in variables}
    return Result(
        document,
        changed("document", [document_id]).with_records(documents=[document]),
        lambda p: edit_document(p, document_id, previous, previous_values, restore=True),
    )


def update_document(project: Project, document_id: str, **properties: str) -> Result[Document]:
    """Change ``title``, ``source``, ``author`` or ``date``; the text never changes."""
    return edit_document(project, document_id, properties)


def set_document_variables(
    project: Project, document_id: str, values: Mapping[str, str | None]
) -> Result[Document]:
    """Set variable values by key (empty or ``None`` clears one), all checked first."""
    return edit_document(project, document_id, variables=values)


def set_document_status(
    project: Project, document_id: str, status: DocumentStatus
) -> Result[Document]:
    with project._transaction():
        before = project.document(document_id)
        project.set_document_status(document_id, status)
        document = project.document(document_id)
    return Result(
        document,
        changed("document", [document_id]).with_records(documents=[document]),
        lambda p: set_document_status(p, document_id, before.status),
    )
