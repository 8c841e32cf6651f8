"""The records the store hands out: plain, immutable values.

Annotations are named tuples: a document may hold tens of thousands, and a
tuple is built several times faster than a frozen dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class DocumentStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"todo": "To do", "in_progress": "In progress", "done": "Done"}[self.value]


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str
    source: str
    author: str
    date: str
    file_name: str
    sha256: str
    char_count: int
    imported_at: str
    status: DocumentStatus
    position: int
    annotation_count: int = 0
    incomplete_count: int = 0
    encoding: str = ""  # as detected or chosen at import


class VariableType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    BOOLEAN = "boolean"


@dataclass(frozen=True, slots=True)
class Variable:
    """A document variable the project defines (outlet, country, genre, …)."""

    id: str
    key: str
    label: str
    type: str  # a name in annotator.core.types.VARIABLE_TYPES
    choices: tuple[str, ...]
    position: int


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    key: str
    label: str
    colour: str
    hotkey: str
    description: str
    position: int


@dataclass(frozen=True, slots=True)
class Coder:
    id: str
    name: str


class Annotation(NamedTuple):
    id: str
    document_id: str
    coder_id: str
    category_id: str
    start: int
    end: int
    quote: str
    memo: str
    created_at: str
    updated_at: str
    # Resolved names, filled by the store's queries for display and export.
    coder: str = ""
    category: str = ""
