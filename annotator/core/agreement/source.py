"""What an agreement report reads from a project: plain records, no SQL here.

The store fills an :class:`AgreementSource` (``store/agreement_reads.py``); the report
(``report.py``) computes from it alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from annotator.core.codebook import Codebook


class SourceDocument(NamedTuple):
    id: str
    title: str
    length: int  # code points


class SourceAnnotation(NamedTuple):
    id: str
    document_id: str
    coder: str  # coder name
    category: str  # category key
    start: int
    end: int


# One stored value as read (plain rows, no objects made per value): annotation id,
# attribute id, choice id, number, registry actor id, annotation id referred to.
SourceValue = tuple[str, str, str | None, float | None, str | None, str | None]


@dataclass
class AgreementSource:
    codebook: Codebook
    coders: list[str]  # every coder of the project, by name
    documents: list[SourceDocument]  # in project order
    annotations: list[SourceAnnotation]  # those of the coders asked for
    values: list[SourceValue]  # every stored value of the annotations' attributes
    # An actor mention's registry actor (the value of its ``actor`` attribute): what a
    # reference to the mention is compared by.
    mention_actor: dict[str, str]
    texts: dict[str, str]  # document id -> text, for the documents annotated
    actor_names: dict[str, str] = field(default_factory=dict)  # registry actor id -> name
    # The lead's assignments (Team ▸ Prepare Coder Copies): document id -> the coders
    # given it; empty for a project that records none.
    assigned: dict[str, frozenset[str]] = field(default_factory=dict)

    @cached_property
    def quotes(self) -> dict[str, str]:
        """Annotation id -> its quote (the text it spans, which the stored quote always
        equals: cut here, for the files and the window, rather than read with every
        annotation)."""
        texts = self.texts
        return {a.id: texts[a.document_id][a.start : a.end] for a in self.annotations}
