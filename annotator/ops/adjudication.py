"""Settling units into the adjudicated set: accept a coder's version, accept and
edit it, merge the span of one with the values of another, reject it, or pre-merge
every unit the coders agree on. Each is one transaction with undo; redo puts back
the same annotations (same ids). The coders' own annotations are never written.

A settled annotation's references follow it: a reference to a coder's annotation
(a claim's claimant mention, a stance's claim) becomes a reference to that
annotation's adjudicated version, settled along with it (accepting the same coder's
version) when its unit is not settled yet; a unit rejected leaves the reference out
(the settlement's ``notes`` say so). No reference dangles.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from annotator.core.adjudication import (
    ADJUDICATED,
    Decision,
    DecisionKind,
    Member,
    UnitState,
    changed_members,
    majority_coder,
    orphan_note,
)
from annotator.core.agreement.units import Unit
from annotator.core.clock import new_id, utc_now
from annotator.core.codebook import Value
from annotator.core.gcpause import gc_paused
from annotator.core.model import Annotation, Category, Coder
from annotator.core.progress import Progress
from annotator.ops.adjudication_units import DocumentUnits, document_units, read_everything
from annotator.ops.changes import Result, added, changed, removed
from annotator.store.project import Project


@dataclass(frozen=True)
class Settlement:
    """What one operation added to the adjudicated set: annotations (with values)
    and decisions; ``notes`` say what could not be carried over."""

    annotations: tuple[Annotation, ...] = ()
    values: Mapping[str, tuple[Value, ...]] = field(default_factory=dict)
    decisions: tuple[Decision, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangedUnit:
    """A settled unit whose coders' annotations changed since it was settled."""

    document_id: str
    unit_key: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class PremergeReport:
    settlement: Settlement
    agreed: int  # units settled because every coder agreed
    majority: int  # units settled because at least the majority agreed
    carried: int  # units settled because a settled annotation referred to them
    kept: int  # decisions already recorded, left as they were
    changed: tuple[ChangedUnit, ...]  # of those, the ones whose members changed since
    # Agreed (or by the majority), but pointing at an annotation whose unit the coders
    # disagree on: left for the lead, who settles that one first.
    waiting: int = 0

    @property
    def settled(self) -> int:
        return self.agreed + self.majority + self.carried


class _Planner:
    """Builds a settlement: the adjudicated annotations, their values (references
    mapped to adjudicated versions) and the decisions."""

    def __init__(
        self,
        project: Project,
        settled_by: str,
        units_of: Callable[[str], DocumentUnits],
        values_of: Callable[[str], Mapping[str, Value]],
        carry: DecisionKind = DecisionKind.ACCEPTED,
    ) -> None:
        self.project = project
        self.settled_by = settled_by
        self.units_of = units_of
        self.values_of = values_of
        self.carry = carry
        self.now = utc_now()
        self.coder: Coder = project.ensure_coder(ADJUDICATED)
        self.categories: dict[str, Category] = {c.key: c for c in project.categories()}
        self.annotations: list[Annotation] = []
        self.values: dict[str, tuple[Value, ...]] = {}
        self.decisions: list[Decision] = []
        self.notes: list[str] = []
        self.result_of: dict[str, str | None] = {}  # coder annotation id → adjudicated id
        self.carried = 0

    def settlement(self) -> Settlement:
        return Settlement(
            tuple(self.annotations), dict(self.values), tuple(self.decisions), tuple(self.notes)
        )

    def settle(
        self,
        units: DocumentUnits,
        unit: Unit,
        kind: DecisionKind,
        coder: str = "",
        values_coder: str = "",
        span: tuple[int, int] | None = None,
        values: Sequence[Value] = (),
    ) -> str | None:
        """Plan one unit's decision; returns the adjudicated annotation's id."""
        if unit.key in units.decisions or any(
            s.annotation_id in self.result_of for s in unit.spans.values()
        ):
            raise ValueError("That unit is settled already: undo its decision first.")
        members = tuple(
            Member(c, s.annotation_id, units.modified.get(s.annotation_id, ""))
            for c, s in sorted(unit.spans.items())
        )
        result_id: str | None = None
        if kind is not DecisionKind.REJECTED:
            if coder not in unit.spans:
                raise ValueError(f"{coder or 'Nobody'} did not code that unit.")
            values_coder = values_coder or coder
            if values_coder not in unit.spans:
                raise ValueError(f"{values_coder} did not code that unit.")
            result_id = new_id()
            for s in unit.spans.values():  # references to any member now resolve here
                self.result_of[s.annotation_id] = result_id
            base = unit.spans[coder]
            start, end = span if span is not None else (base.start, base.end)
            text = self.project.document_text(unit.document_id)
            if not 0 <= start < end <= len(text):
                raise ValueError(f"span [{start}, {end}) is outside the document")
            record = Annotation(
                result_id,
                unit.document_id,
                self.coder.id,
                self.categories[unit.category].id,
                start,
                end,
                text[start:end],
                "",
                self.now,
                self.now,
                ADJUDICATED,
                unit.category,
            )
            taken = dict(self.values_of(unit.spans[values_coder].annotation_id))
            taken.update({v.attribute_id: v for v in values})
            self.annotations.append(record)
            self.values[result_id] = tuple(
                mapped
                for v in taken.values()
                if not v.is_empty() and (mapped := self._mapped(v, unit)) is not None
            )
        else:
            coder = values_coder = ""
            for s in unit.spans.values():
                self.result_of[s.annotation_id] = None
        self.decisions.append(
            Decision(
                unit.key,
                unit.document_id,
                unit.category,
                kind,
                coder,
                values_coder if kind is DecisionKind.MERGED else coder,
                result_id,
                self.settled_by,
                self.now,
                members,
            )
        )
        return result_id

    def _mapped(self, value: Value, owner: Unit) -> Value | None:
        """A value as the adjudicated annotation holds it: a reference to a coder's
        annotation becomes one to its adjudicated version."""
        ref = value.annotation_id
        if ref is None:
            return value
        if ref in self.result_of:
            result = self.result_of[ref]
        else:
            result = self._carry(ref)
        if result is None:
            self.notes.append(
                f"A reference of the {owner.category} at {_where(owner)} was left out: "
                "the annotation it pointed to was rejected."
            )
            return None
        return value._replace(annotation_id=result)

    def _carry(self, ref: str) -> str | None:
        """The adjudicated version of a coder's annotation, settling its unit now
        (accepting that coder's version) if nobody settled it yet."""
        documents = self.project.annotation_documents([ref])
        if ref not in documents:
            return None
        units = self.units_of(documents[ref])
        unit = units.unit_of(ref)
        if unit is None:
            return None
        decision = units.decisions.get(unit.key)
        if decision is not None:
            return decision.result_id
        coder = next(c for c, s in unit.spans.items() if s.annotation_id == ref)
        self.carried += 1
        return self.settle(units, unit, self.carry, coder)


def _where(unit: Unit) -> str:
    start = min(s.start for s in unit.spans.values())
    return f"position {start}"


def _result(project: Project, settlement: Settlement) -> Result[Settlement]:
    ids = [a.id for a in settlement.annotations]
    documents = {d.document_id for d in settlement.decisions}
    changes = (added("annotation", ids) | changed("document", documents)).with_records(
        annotations=settlement.annotations,
        annotation_values={
            i: {v.attribute_id: v for v in vals} for i, vals in settlement.values.items()
        },
    )
    return Result(settlement, changes, lambda p: withdraw(p, settlement))


def apply_settlement(project: Project, settlement: Settlement) -> Result[Settlement]:
    """Write a settlement planned before (redo: the same ids)."""
    with project._transaction():
        project.record_settlement(settlement.annotations, settlement.values, settlement.decisions)
    return _result(project, settlement)


def withdraw(project: Project, settlement: Settlement) -> Result[Settlement]:
    """Take a settlement back: its adjudicated annotations and decisions go."""
    ids = [a.id for a in settlement.annotations]
    with project._transaction():
        project.withdraw_settlement(ids, [d.unit_key for d in settlement.decisions])
    documents = {d.document_id for d in settlement.decisions}
    changes = removed("annotation", ids) | changed("document", documents)
    return Result(settlement, changes, lambda p: apply_settlement(p, settlement))


def settle(
    project: Project,
    document_id: str,
    unit_key: str,
    kind: DecisionKind,
    *,
    settled_by: str,
    coder: str = "",
    values_coder: str = "",
    span: tuple[int, int] | None = None,
    values: Sequence[Value] = (),
    units: DocumentUnits | None = None,
) -> Result[Settlement]:
    """Settle one unit of a document: ``kind`` accepted (``coder``'s version), edited
    (``coder``'s version with ``span`` and/or ``values`` changed), merged (span of
    ``coder``, values of ``values_coder``) or rejected. ``units``: the document's
    units as read just now (else read here)."""
    if kind is DecisionKind.PREMERGED:
        raise ValueError("Pre-merge settles units with premerge().")
    with project._transaction():
        read: dict[str, DocumentUnits] = {}
        here = units if units is not None else document_units(project, document_id)
        read[document_id] = here

        def units_of(ident: str) -> DocumentUnits:
            if ident not in read:
                read[ident] = document_units(project, ident)
            return read[ident]

        unit = next((u for u in here.units if u.key == unit_key), None)
        if unit is None:
            raise ValueError("That unit is no longer there: its annotations changed.")
        planner = _Planner(project, settled_by.strip() or "lead", units_of, project.values)
        planner.settle(here, unit, kind, coder, values_coder, span, values)
        settlement = planner.settlement()
        project.record_settlement(settlement.annotations, settlement.values, settlement.decisions)
    return _result(project, settlement)


def premerge(
    project: Project,
    *,
    settled_by: str,
    majority: int | None = None,
    progress: Progress | None = None,
    units: Sequence[DocumentUnits] | None = None,
) -> Result[PremergeReport]:
    """Settle every unit all coders of its document agree on (and, with ``majority``,
    every unit on which at least that many coders agree); decisions recorded before
    stay, and those whose coders' annotations changed since are reported. ``units``:
    every document's units as read just now (else read here)."""
    progress = progress or Progress()
    with gc_paused():  # the result's records too: a collection would scan all the read
        report, base = _premerge(project, settled_by, majority, progress, units)
    return Result(report, base.changes, base.undo)


def _premerge(
    project: Project,
    settled_by: str,
    majority: int | None,
    progress: Progress,
    units: Sequence[DocumentUnits] | None,
) -> tuple[PremergeReport, Result[Settlement]]:
    with project._transaction():
        progress.step(0, 3, "reading the coders' annotations")
        if units is None:
            every, all_values = read_everything(project, progress)
        else:
            every, all_values = list(units), project.values_for_document(None)
        by_document = {u.document_id: u for u in every}
        progress.step(1, 3, "settling")

        def values_of(ident: str) -> Mapping[str, Value]:
            return all_values.get(ident, {})

        planner = _Planner(
            project,
            settled_by.strip() or "lead",
            by_document.__getitem__,
            values_of,
            DecisionKind.PREMERGED,
        )

        def _units_holding(ref: str) -> DocumentUnits | None:
            """The units of the document holding annotation ``ref`` (another one's)."""
            document = project.annotation_documents([ref]).get(ref)
            return by_document.get(document) if document is not None else None

        def points_at_agreed(
            unit: Unit, doc_units: DocumentUnits, unit_of: Mapping[str, Unit]
        ) -> bool:
            """Whether every annotation the unit's versions point at is in a unit
            settled already, agreed, or (with ``majority``) one the majority agrees
            on; else settling this one would carry that one along undecided, one
            coder's version taken as the team's."""
            for span in unit.spans.values():
                for value in values_of(span.annotation_id).values():
                    ref = value.annotation_id
                    if ref is None or ref in planner.result_of:
                        continue
                    target = unit_of.get(ref)  # of another document: read there
                    units = doc_units if target is not None else _units_holding(ref)
                    target = target or (units.unit_of(ref) if units else None)
                    if units is None or target is None:
                        continue
                    if (
                        target.key not in units.decisions
                        and units.raw[target.key] is not UnitState.AGREED
                        and (majority is None or majority_coder(target, majority) is None)
                    ):
                        return False
            return True

        agreed = by_majority = 0
        waiting = 0  # agreed, but pointing at a unit the coders disagree on
        changed_units: list[ChangedUnit] = []
        for number, doc_units in enumerate(every):
            if number % 10 == 0:
                progress.step(number, len(every), "settling the agreed units")
            else:
                progress.check()
            unit_of = {s.annotation_id: u for u in doc_units.units for s in u.spans.values()}

            for unit in doc_units.units:
                decision = doc_units.decisions.get(unit.key)
                if decision is not None:
                    notes = changed_members(decision, unit, doc_units.modified)
                    if notes:
                        changed_units.append(
                            ChangedUnit(doc_units.document_id, unit.key, tuple(notes))
                        )
                    continue
                if any(s.annotation_id in planner.result_of for s in unit.spans.values()):
                    continue  # carried along already
                state = doc_units.raw[unit.key]
                if state is UnitState.AGREED:
                    coder = min(unit.spans)
                elif majority is not None and (found := majority_coder(unit, majority)):
                    coder = found
                else:
                    continue
                if not points_at_agreed(unit, doc_units, unit_of):
                    waiting += 1
                    continue
                if state is UnitState.AGREED:
                    agreed += 1
                else:
                    by_majority += 1
                planner.settle(doc_units, unit, DecisionKind.PREMERGED, coder)
            for decision in doc_units.orphans:
                changed_units.append(
                    ChangedUnit(
                        doc_units.document_id,
                        decision.unit_key,
                        (orphan_note(decision, doc_units.modified),),
                    )
                )
        kept = sum(len(u.decisions) for u in every) + sum(len(u.orphans) for u in every)
        settlement = planner.settlement()
        progress.step(2, 3, "saving")
        project.record_settlement(settlement.annotations, settlement.values, settlement.decisions)
    report = PremergeReport(
        settlement, agreed, by_majority, planner.carried, kept, tuple(changed_units), waiting
    )
    return report, _result(project, settlement)
