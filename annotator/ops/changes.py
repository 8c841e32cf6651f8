"""What an operation changed, and what it hands back.

Every operation returns a :class:`Result`: its value, a :class:`Changes`
description (ids added, removed and changed, per kind of record, plus the
records it produced, so that nobody has to read them again), and ``undo``: the
inverse operation, ready to run, which returns a ``Result`` of its own whose
``undo`` redoes the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, get_args

from annotator.core.codebook import Value
from annotator.core.model import Annotation, Document

if TYPE_CHECKING:
    from annotator.store.project import Project

# ``values``: annotations whose attribute values or memo changed (always "changed").
Kind = Literal[
    "annotation", "values", "document", "category", "attribute", "choice", "actor", "variable"
]
KINDS: tuple[Kind, ...] = get_args(Kind)
CODEBOOK_KINDS: tuple[Kind, ...] = ("category", "attribute", "choice")

T = TypeVar("T")
_NO_ANNOTATIONS: Mapping[str, Annotation] = MappingProxyType({})
_NO_VALUES: Mapping[str, Mapping[str, Value]] = MappingProxyType({})
_NO_DOCUMENTS: Mapping[str, Document] = MappingProxyType({})


@dataclass(frozen=True)
class Ids:
    """The ids of one kind of record that an operation added, removed or changed."""

    added: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()

    def __or__(self, other: Ids) -> Ids:
        return Ids(
            self.added | other.added, self.removed | other.removed, self.changed | other.changed
        )

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    @property
    def all(self) -> frozenset[str]:
        return self.added | self.removed | self.changed


_NONE = Ids()


@dataclass(frozen=True)
class Changes:
    """What an operation changed: per kind of record, the ids added, removed and
    changed; merge two with ``a | b``.

    The records the operation already had in hand come along, so listeners need
    not read them again: ``annotations`` (whole records of the annotations
    added), ``annotation_values`` (all values of those annotations, by
    attribute id) and ``documents`` (documents as they are after the change).
    They do not take part in comparisons.
    """

    annotation: Ids = _NONE
    values: Ids = _NONE
    document: Ids = _NONE
    category: Ids = _NONE
    attribute: Ids = _NONE
    choice: Ids = _NONE
    actor: Ids = _NONE
    variable: Ids = _NONE
    annotations: Mapping[str, Annotation] = field(
        default_factory=lambda: _NO_ANNOTATIONS, compare=False
    )
    annotation_values: Mapping[str, Mapping[str, Value]] = field(
        default_factory=lambda: _NO_VALUES, compare=False
    )
    documents: Mapping[str, Document] = field(default_factory=lambda: _NO_DOCUMENTS, compare=False)

    def ids(self, kind: Kind) -> Ids:
        ids: Ids = getattr(self, kind)
        return ids

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            annotation=self.annotation | other.annotation,
            values=self.values | other.values,
            document=self.document | other.document,
            category=self.category | other.category,
            attribute=self.attribute | other.attribute,
            choice=self.choice | other.choice,
            actor=self.actor | other.actor,
            variable=self.variable | other.variable,
            annotations=MappingProxyType({**self.annotations, **other.annotations}),
            annotation_values=MappingProxyType(
                {**self.annotation_values, **other.annotation_values}
            ),
            documents=MappingProxyType({**self.documents, **other.documents}),
        )

    def __bool__(self) -> bool:
        return any(self.ids(kind) for kind in KINDS)

    @property
    def codebook(self) -> bool:
        """Whether categories, attributes or choices changed."""
        return any(self.ids(kind) for kind in CODEBOOK_KINDS)

    def kinds(self) -> tuple[Kind, ...]:
        """The kinds of record that changed, in the order of ``KINDS``."""
        return tuple(kind for kind in KINDS if self.ids(kind))

    def with_records(
        self,
        *,
        annotations: Iterable[Annotation] = (),
        annotation_values: Mapping[str, Mapping[str, Value]] | None = None,
        documents: Iterable[Document] = (),
    ) -> Changes:
        """These changes, carrying these records as well."""
        return replace(
            self,
            annotations=MappingProxyType({**self.annotations, **{a.id: a for a in annotations}}),
            annotation_values=MappingProxyType(
                {**self.annotation_values, **(annotation_values or {})}
            ),
            documents=MappingProxyType({**self.documents, **{d.id: d for d in documents}}),
        )


NOTHING = Changes()


def _one(kind: Kind, ids: Ids) -> Changes:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of record: {kind!r}")
    one: dict[str, Any] = {kind: ids}
    return replace(NOTHING, **one)


def added(kind: Kind, ids: Iterable[str]) -> Changes:
    return _one(kind, Ids(added=frozenset(ids)))


def removed(kind: Kind, ids: Iterable[str]) -> Changes:
    return _one(kind, Ids(removed=frozenset(ids)))


def changed(kind: Kind, ids: Iterable[str]) -> Changes:
    return _one(kind, Ids(changed=frozenset(ids)))


Undo = Callable[["Project"], "Result[Any]"]


@dataclass(frozen=True)
class Result(Generic[T]):
    """An operation's value, what it changed, and its inverse (``undo(project)``),
    which returns a ``Result`` whose own ``undo`` does the operation again."""

    value: T
    changes: Changes
    undo: Undo | None = field(default=None, compare=False, repr=False)


def combined(value: T, results: Sequence[Result[Any]]) -> Result[T]:
    """One result for several operations run one after the other in one
    transaction: its undo runs theirs in reverse order, in one transaction, and
    the undo of that runs them again in their order."""
    changes = NOTHING
    for result in results:
        changes = changes | result.changes
    undos = [result.undo for result in reversed(results)]
    if any(undo is None for undo in undos):
        return Result(value, changes)

    def undo(project: Project) -> Result[T]:
        with project._transaction():
            undone = [step(project) for step in undos if step is not None]
        return combined(value, undone)

    return Result(value, changes, undo)
