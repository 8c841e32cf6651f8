"""Everything an export reads, fetched once and indexed, so rows need no queries.

Exports read the project with the same handful of queries however large it is
(documents, annotations, values, codebook, registry, incomplete ids) and then
only look things up in dictionaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from annotator.core.codebook import Actor, Attribute, Choice, Value
from annotator.core.completeness import missing_required, required_by_category
from annotator.core.model import Annotation, Document
from annotator.core.types.columns import number_text as number_text
from annotator.exporting.csv_cells import CellForm
from annotator.store.errors import ProjectError
from annotator.store.project import Project

# Category and attribute keys the claim, stance and actor exports rely on.
ACTOR, CLAIM, STANCE = "actor", "claim", "stance"

KIND_ANNOTATION, KIND_ACTOR, KIND_CHOICE = "annotation", "actor", "choice"

# A file to write: its header and its rows.
Table = tuple[Sequence[str], Iterable[Sequence[object]]]


def flag(value: bool | None) -> str:
    """``1``, ``0`` or empty."""
    if value is None:
        return ""
    return "1" if value else "0"


class Reference(NamedTuple):
    """What a reference value points to, resolved for export. The first four
    fields are the ``_id``, ``_kind``, readable and ``_actor`` cells."""

    id: str = ""
    kind: str = ""  # "annotation", "actor", "choice" or empty
    readable: str = ""  # the annotation's quote, the actor's name, the choice's label
    actor_name: str = ""  # the registry actor's name (directly or through a mention)
    actor: Actor | None = None
    annotation: Annotation | None = None  # the referenced annotation, if any

    @property
    def actor_id(self) -> str:
        return self.actor.id if self.actor is not None else ""

    @property
    def who(self) -> str:
        """The registry actor's name, falling back to the readable text (a mention's quote)."""
        return self.actor_name or self.readable


EMPTY = Reference()
NO_CHOICE = ("", "")


class ExportData:
    """A read-only snapshot of one project, indexed for export."""

    def __init__(self, project: Project, coder: str | None = None) -> None:
        self.coder = coder
        self.codebook = project.codebook()
        self.documents: list[Document] = project.documents(counts=False)  # counted below
        self.document_by_id = {d.id: d for d in self.documents}
        self.texts = {d.id: project.document_text(d.id) for d in self.documents}
        self.variables = project.variables()
        self.document_variables = project.all_document_variables()
        self.annotations: list[Annotation] = project.annotations()
        # References resolve against every annotation, rows come from the coder's only.
        self.annotation_by_id = {a.id: a for a in self.annotations}
        self.values: dict[str, dict[str, Value]] = project.values_for_document(None)
        self.actors: list[Actor] = project.actors()
        if coder is not None:
            self._keep_coder(coder)
        else:
            self._count_annotations()
        self.actor_by_id = {a.id: a for a in self.actors}
        self.incomplete: set[str] = self._incomplete_ids()
        self.choice_by_id: dict[str, Choice] = {
            c.id: c for attribute in self.codebook.attributes for c in attribute.choices
        }
        self._choice_cells = {c.id: (c.label, c.code_text) for c in self.choice_by_id.values()}
        # An actor mention's registry actor: the value of its ``actor`` attribute.
        self.mention_actor: dict[str, Actor] = {}
        link = self.attribute(ACTOR, ACTOR)
        if link is not None:
            for annotation in self.annotation_by_id.values():
                if annotation.category == ACTOR:
                    value = self.values.get(annotation.id, {}).get(link.id)
                    actor = self.actor_by_id.get(value.actor_id or "") if value else None
                    if actor is not None:
                        self.mention_actor[annotation.id] = actor
        # Resolved references, by what they point to.
        self._annotation_refs: dict[str, Reference] = {}
        # (kind, id) of references to something the project no longer has: only a
        # file changed outside the app (its foreign keys off) can hold one.
        self.dangling: set[tuple[str, str]] = set()
        self._actor_refs = {
            a.id: Reference(a.id, KIND_ACTOR, a.name, a.name, a) for a in self.actors
        }
        self._choice_refs = {
            c.id: Reference(c.id, KIND_CHOICE, c.label) for c in self.choice_by_id.values()
        }

    def _incomplete_ids(self) -> set[str]:
        """Annotations lacking a value for a required attribute (the rule of
        ``core.completeness``, applied to what is already read)."""
        required = required_by_category(self.codebook)
        nothing: dict[str, Value] = {}
        values = self.values
        return {
            a.id
            for a in self.annotations
            if (ids := required.get(a.category))
            and missing_required(ids, values.get(a.id, nothing).keys())
        }

    def _count_annotations(self) -> None:
        """Each document's count of the annotations exported."""
        counts: dict[str, int] = {}
        for a in self.annotations:
            counts[a.document_id] = counts.get(a.document_id, 0) + 1
        self.documents = [replace(d, annotation_count=counts.get(d.id, 0)) for d in self.documents]
        self.document_by_id = {d.id: d for d in self.documents}

    def _keep_coder(self, coder: str) -> None:
        """Keep one coder's annotations; recount what documents and actors show."""
        self.annotations = [a for a in self.annotations if a.coder == coder]
        self._count_annotations()
        mentions: dict[str, int] = {}
        for a in self.annotations:
            for value in self.values.get(a.id, {}).values():
                if value.actor_id is not None:
                    mentions[value.actor_id] = mentions.get(value.actor_id, 0) + 1
        self.actors = [replace(a, mention_count=mentions.get(a.id, 0)) for a in self.actors]

    def check_quotes(self) -> None:
        """Refuse to export an annotation whose quote has drifted from its text."""
        texts = self.texts
        drifted = [a for a in self.annotations if texts[a.document_id][a.start : a.end] != a.quote]
        if drifted:
            first = drifted[0]
            quote = first.quote if len(first.quote) <= 40 else first.quote[:40] + "…"
            title = self.document_by_id[first.document_id].title
            what = (
                "An annotation no longer matches"
                if len(drifted) == 1
                else f"{len(drifted):,} annotations no longer match"
            )
            raise ProjectError(
                f"{what} the document text: “{quote}” ({first.category}, characters "
                f"{first.start}–{first.end} of “{title}”) is not what the text holds there. "
                "The project file was probably changed outside Annotator. Export stopped; "
                "nothing was written."
            )

    def attribute(self, category_key: str, attribute_key: str) -> Attribute | None:
        return self.codebook.attribute(category_key, attribute_key)

    def choice_cells(self, value: Value | None) -> tuple[str, str]:
        """A choice value's label and code text; empty strings for none."""
        if value is None or value.choice_id is None:
            return NO_CHOICE
        cells = self._choice_cells.get(value.choice_id)
        if cells is None:
            self.dangling.add((KIND_CHOICE, value.choice_id))
            return NO_CHOICE
        return cells

    def reference_cells(self, ref: Reference, form: CellForm) -> tuple[str, str, str, str]:
        """A resolved reference's id, kind, readable and actor-name cells in ``form``."""
        if not form.quoted:
            return ref[:4]
        many = form.many
        return many[ref.id], many[ref.kind], many[ref.readable], many[ref.actor_name]

    def reference(self, value: Value | None) -> Reference:
        """Resolve a reference value to its id, kind, readable text and registry actor."""
        if value is None:
            return EMPTY
        if value.annotation_id is not None:
            ref = self._annotation_refs.get(value.annotation_id)
            if ref is None:
                ref = self._annotation_refs[value.annotation_id] = self._annotation_ref(
                    value.annotation_id
                )
            return ref
        if value.actor_id is not None:
            return self._actor_refs.get(value.actor_id) or self._missing(KIND_ACTOR, value.actor_id)
        if value.choice_id is not None:
            return self._choice_refs.get(value.choice_id) or self._missing(
                KIND_CHOICE, value.choice_id
            )
        return EMPTY

    def _missing(self, kind: str, ident: str) -> Reference:
        self.dangling.add((kind, ident))
        return Reference(ident, kind)

    def dangling_warning(self) -> list[str]:
        """A warning naming the references that join nothing, if there are any."""
        if not self.dangling:
            return []
        kind, ident = min(self.dangling)
        count = len(self.dangling)
        things = "thing is" if count == 1 else "things are"
        return [
            f"{count} referenced {things} no longer in the project (e.g. {kind} "
            f"{ident}): the reference cells keep the id, which joins no file"
        ]

    def _annotation_ref(self, annotation_id: str) -> Reference:
        annotation = self.annotation_by_id.get(annotation_id)
        if annotation is None:
            self.dangling.add((KIND_ANNOTATION, annotation_id))
        actor = self.mention_actor.get(annotation_id)
        return Reference(
            annotation_id,
            KIND_ANNOTATION,
            annotation.quote if annotation is not None else "",
            actor.name if actor is not None else "",
            actor,
            annotation,
        )
