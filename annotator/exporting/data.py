"""Everything an export reads, fetched once and indexed, so rows need no queries.

Exports read what every table shares once (documents, codebook, registry) and
the annotations and their values a group of documents at a time, each group
with a handful of queries, then only look things up in dictionaries.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import NamedTuple

from annotator.core.codebook import Actor, Attribute, Choice, Value
from annotator.core.completeness import missing_required, required_by_category
from annotator.core.model import Annotation, Document
from annotator.core.types.columns import number_text as number_text
from annotator.exporting.csv_cells import CellForm
from annotator.store.errors import ProjectError
from annotator.store.export_reads import ExportReads
from annotator.store.project import Project

# Category and attribute keys the claim, stance and actor exports rely on.
ACTOR, CLAIM, STANCE = "actor", "claim", "stance"

KIND_ANNOTATION, KIND_ACTOR, KIND_CHOICE = "annotation", "actor", "choice"

# About this many annotations are read, and their rows written, at a time: the
# memory an export needs does not grow with the project, and its progress moves.
BATCH_ANNOTATIONS = 10_000

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
    """A read-only view of one project for export.

    What every table shares (codebook, documents, registry) is read at once;
    annotations and their values a few documents at a time: :meth:`batches`
    gives one view per group of documents, whose ``annotations`` are that
    group's (in document and text order) and whose ``annotation_by_id`` and
    ``values`` also hold what those point to, and the stances elsewhere that
    target the group's claims (``extra_stances``).
    """

    def __init__(self, project: Project, coder: str | None = None) -> None:
        self.coder = coder
        self.project = project  # for the tables that read more than annotations
        self.reads = ExportReads(project, coder)
        self.codebook = project.codebook()
        counts = self.reads.annotation_counts()
        self.documents: list[Document] = [
            replace(d, annotation_count=counts.get(d.id, 0))
            for d in project.documents(counts=False)
        ]
        self.document_by_id = {d.id: d for d in self.documents}
        self._position = {d.id: i for i, d in enumerate(self.documents)}
        self.texts = {d.id: project.document_text(d.id) for d in self.documents}
        self.variables = project.variables()
        self.document_variables = project.all_document_variables()
        self.actors: list[Actor] = project.actors()
        if coder is not None:  # the mentions in that coder's annotations
            mentions = self.reads.actor_mentions()
            self.actors = [replace(a, mention_count=mentions.get(a.id, 0)) for a in self.actors]
        self.actor_by_id = {a.id: a for a in self.actors}
        self.choice_by_id: dict[str, Choice] = {
            c.id: c for attribute in self.codebook.attributes for c in attribute.choices
        }
        self._choice_cells = {c.id: (c.label, c.code_text) for c in self.choice_by_id.values()}
        # (kind, id) of references to something the project no longer has: only a
        # file changed outside the app (its foreign keys off) can hold one.
        self.dangling: set[tuple[str, str]] = set()
        self._actor_refs = {
            a.id: Reference(a.id, KIND_ACTOR, a.name, a.name, a) for a in self.actors
        }
        self._choice_refs = {
            c.id: Reference(c.id, KIND_CHOICE, c.label) for c in self.choice_by_id.values()
        }
        # One group of documents (see batches); none before the first.
        self.annotations: list[Annotation] = []
        self.annotation_by_id: dict[str, Annotation] = {}
        self.values: dict[str, dict[str, Value]] = {}
        self.extra_stances: list[Annotation] = []
        self.incomplete: set[str] = set()
        self.mention_actor: dict[str, Actor] = {}
        self._annotation_refs: dict[str, Reference] = {}
        self._others_checked = False
        # Finished cells a table keeps for the whole export (shared by every group's
        # view): table → attribute id → value → cells.
        self.shared_cells: dict[str, dict[str, dict[Value, str]]] = {}

    @property
    def annotation_total(self) -> int:
        """The number of annotations exported."""
        return sum(d.annotation_count for d in self.documents)

    def plan(self, size: int | None = None) -> list[list[str]]:
        """The documents' ids in groups of about ``size`` annotations (by default
        :data:`BATCH_ANNOTATIONS`), in order."""
        size = size or BATCH_ANNOTATIONS
        groups: list[list[str]] = []
        group: list[str] = []
        count = 0
        for document in self.documents:
            group.append(document.id)
            count += document.annotation_count
            if count >= size:
                groups.append(group)
                group, count = [], 0
        if group or not groups:
            groups.append(group)
        return groups

    def batches(self, size: int | None = None) -> Iterator[ExportData]:
        """One view per group of :meth:`plan`, in order."""
        for group in self.plan(size):
            yield self.batch(group)

    def batch(self, document_ids: Sequence[str]) -> ExportData:
        """The view of these documents' annotations (see the class)."""
        self._check_others()
        reads = self.reads
        annotations = [a for d in document_ids for a in reads.annotations_of(d)]
        own = {a.id for a in annotations}
        values: dict[str, dict[str, Value]] = {}
        for document_id in document_ids:
            values.update(reads.values_in(document_id))
        # How many of these values point to each annotation (claims, mentions…).
        pointing: dict[str, int] = {}
        for own_values in values.values():
            for value in own_values.values():
                if value.annotation_id is not None:
                    pointing[value.annotation_id] = pointing.get(value.annotation_id, 0) + 1
        extra = self._stances_elsewhere(annotations, own, pointing)
        pointed = {ident for ident in pointing if ident not in own}
        if extra:
            extra_values = reads.values_of([s.id for s in extra])
            values.update(extra_values)
            known = own | {s.id for s in extra}
            pointed |= {
                v.annotation_id
                for vs in extra_values.values()
                for v in vs.values()
                if v.annotation_id is not None
            }
            pointed -= known
        referenced = reads.annotations_by_id(pointed)
        values.update(reads.values_of([a.id for a in referenced]))
        part = copy.copy(self)
        part.annotations = annotations
        part.annotation_by_id = {a.id: a for a in (*annotations, *extra, *referenced)}
        part.values = values
        part.extra_stances = extra
        part.incomplete = part._incomplete_ids()
        part.mention_actor = part._mention_actors()
        part._annotation_refs = {}
        return part

    def _stances_elsewhere(
        self, annotations: list[Annotation], own: set[str], pointing: dict[str, int]
    ) -> list[Annotation]:
        """The stances exported outside ``annotations`` whose target is one of their
        claims, in export order. Only claims that more values point to than those
        of ``annotations`` (``pointing``: annotation id → their values pointing to
        it) are looked for."""
        target = self.attribute(STANCE, "target")
        if target is None:
            return []
        claims = [a.id for a in annotations if a.category == CLAIM]
        outside = [
            claim
            for claim, count in self.reads.references_to(claims).items()
            if count > pointing.get(claim, 0)
        ]
        extra = [
            s
            for s in self.reads.annotations_pointing_to(target.id, outside)
            if s.id not in own and s.category == STANCE
        ]
        extra.sort(key=self.order)
        return extra

    def order(self, annotation: Annotation) -> tuple[int, int, int, str]:
        """Where an annotation comes in the export: by document, then in text order."""
        return (
            self._position.get(annotation.document_id, -1),
            annotation.start,
            annotation.end,
            annotation.id,
        )

    def _mention_actors(self) -> dict[str, Actor]:
        """An actor mention's registry actor: the value of its ``actor`` attribute."""
        found: dict[str, Actor] = {}
        link = self.attribute(ACTOR, ACTOR)
        if link is None:
            return found
        for annotation in self.annotation_by_id.values():
            if annotation.category == ACTOR:
                value = self.values.get(annotation.id, {}).get(link.id)
                actor = self.actor_by_id.get(value.actor_id or "") if value else None
                if actor is not None:
                    found[annotation.id] = actor
        return found

    def _check_others(self) -> None:
        """With a coder filter, the references in other coders' claims that join
        nothing are reported too (claims.csv resolves every claim's claimant,
        issue and addressee), once."""
        if self._others_checked:
            return
        self._others_checked = True
        categories = self.codebook.categories if self.coder is not None else []
        claim = next((c for c in categories if c.key == CLAIM), None)
        if claim is None:
            return
        issue = self.attribute(CLAIM, "issue")
        refs = [self.attribute(CLAIM, "claimant"), self.attribute(CLAIM, "addressee")]
        ids = {a.id for a in refs if a is not None}
        values = self.reads.others_values(claim.id, ids | ({issue.id} if issue else set()))
        pointed = {v.annotation_id for v in values if v.attribute_id in ids and v.annotation_id}
        missing = self.reads.missing_annotations(pointed)
        for value in values:
            if value.attribute_id not in ids:
                self.choice_cells(value)
            elif value.annotation_id is not None:
                if value.annotation_id in missing:
                    self.dangling.add((KIND_ANNOTATION, value.annotation_id))
            else:
                self.reference(value)

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

    def check_quotes(self) -> None:
        """Refuse to export an annotation whose quote has drifted from its text
        (in this group of documents; the message counts those after it too)."""
        texts = self.texts
        drifted = [a for a in self.annotations if texts[a.document_id][a.start : a.end] != a.quote]
        if drifted:
            first = drifted[0]
            later = self.documents[self._position[self.annotations[-1].document_id] + 1 :]
            count = len(drifted) + sum(
                texts[d.id][start:end] != quote
                for d in later
                for _id, start, end, quote in self.reads.spans_of(d.id)
            )
            quote = first.quote if len(first.quote) <= 40 else first.quote[:40] + "…"
            title = self.document_by_id[first.document_id].title
            what = (
                "An annotation no longer matches"
                if count == 1
                else f"{count:,} annotations no longer match"
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
        if ref.kind == KIND_ANNOTATION:  # its id and quote are seldom met again: not kept
            return form.one(ref.id), many[ref.kind], form.one(ref.readable), many[ref.actor_name]
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
