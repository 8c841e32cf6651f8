"""The coders' annotations as units to adjudicate, read from the project: matched
(``core.agreement.units``), each with its state, the decision that settled it and
the progress per document and overall. Reads only; the window keeps a
:class:`Board` and drops a document's units when an operation changed them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from annotator.core.adjudication import Decision, UnitState, decision_of, raw_state, unit_start
from annotator.core.agreement.units import CodedSpan, MatchRule, Unit, match_units
from annotator.core.codebook import Value
from annotator.core.gcpause import gc_paused
from annotator.core.progress import Progress
from annotator.store.adjudication import CodedSpans
from annotator.store.project import Project


@dataclass
class DocumentUnits:
    """One document's units, in text order, with their states and decisions."""

    document_id: str
    coders: tuple[str, ...]  # the coders who coded the document (adjudicated left out)
    units: list[Unit]
    modified: dict[str, str]  # annotation id → updated_at
    raw: dict[str, UnitState] = field(default_factory=dict)  # key → state before settling
    decisions: dict[str, Decision] = field(default_factory=dict)  # key → what settled it
    orphans: list[Decision] = field(default_factory=list)  # decisions with no unit left

    def state(self, unit: Unit) -> UnitState:
        return UnitState.SETTLED if unit.key in self.decisions else self.raw[unit.key]

    @property
    def settled(self) -> int:
        return len(self.decisions)

    @property
    def unsettled(self) -> int:
        return len(self.units) - len(self.decisions)

    def unit_of(self, annotation_id: str) -> Unit | None:
        for unit in self.units:
            if any(s.annotation_id == annotation_id for s in unit.spans.values()):
                return unit
        return None


class KeyedUnit(Unit):
    """A unit whose key is worked out once (adjudication asks for it at every step)."""

    @cached_property
    def key(self) -> str:
        return "+".join(sorted(span.annotation_id for span in self.spans.values()))


def _keyed(units: Iterable[Unit]) -> list[Unit]:
    return [KeyedUnit(u.document_id, u.category, u.spans) for u in units]


def _matched(document_id: str, spans: Sequence[CodedSpan], coders: tuple[str, ...]) -> list[Unit]:
    """``match_units``, quicker: where every coder of the document put one span of a
    category at exactly the same place, that is a unit as the matching would make it
    (no other span can join a unit that holds every coder), so only the rest is
    matched pair by pair."""
    if len(coders) < 2:
        return _keyed(match_units(spans, coders, MatchRule()))
    places: dict[tuple[str, int, int], list[CodedSpan]] = defaultdict(list)
    for span in spans:
        places[(span.category, span.start, span.end)].append(span)
    whole: list[Unit] = []
    rest: list[CodedSpan] = []
    everyone = set(coders)
    for (category, _start, _end), group in places.items():
        if len(group) == len(coders) and {s.coder for s in group} == everyone:
            whole.append(KeyedUnit(document_id, category, {s.coder: s for s in group}))
        else:
            rest += group
    return whole + _keyed(match_units(rest, coders, MatchRule()))


def units_of(
    document_id: str,
    spans: Sequence[CodedSpan],
    modified: dict[str, str],
    decisions: Iterable[Decision],
    assigned: frozenset[str] = frozenset(),
) -> DocumentUnits:
    """One document's units from its spans as :meth:`Project.coded_spans` gives them
    (read by the caller with what else it reads), its recorded decisions and the
    coders given it (:meth:`Project.assigned_coders`)."""
    # The document's coders: those who coded in it and those given it (a unit one of
    # them did not mark is theirs missing: single, not agreed).
    coders = tuple(sorted({s.coder for s in spans} | assigned, key=str.casefold))
    units = _matched(document_id, spans, coders)
    keyed = sorted(((unit_start(u), u.category, u.key, u) for u in units), key=lambda t: t[:3])
    result = DocumentUnits(document_id, coders, [t[3] for t in keyed], modified)
    pending = list(decisions)
    by_member: dict[str, Decision] = {m.annotation_id: d for d in pending for m in d.members}
    by_key = {d.unit_key: d for d in pending}
    used: set[str] = set()
    for _start, _category, key, unit in keyed:
        result.raw[key] = raw_state(unit, coders)
        if not pending:
            continue
        decision = by_key.get(key)
        if decision is None:
            near = [
                by_member[s.annotation_id]
                for s in unit.spans.values()
                if s.annotation_id in by_member
            ]
            decision = decision_of(unit, near) if near else None
        if decision is not None and decision.unit_key not in used:
            used.add(decision.unit_key)
            result.decisions[key] = decision
    result.orphans = [d for d in pending if d.unit_key not in used]
    return result


def document_units(project: Project, document_id: str) -> DocumentUnits:
    coded = project.coded_spans(document_id)
    assigned = project.assigned_coders(document_id).get(document_id, frozenset())
    return units_of(
        document_id, coded.spans, coded.modified, project.decisions(document_id), assigned
    )


def all_document_units(project: Project, progress: Progress | None = None) -> list[DocumentUnits]:
    """Every document's units (documents in project order), from one read of each table."""
    return read_everything(project, progress)[0]


def read_everything(
    project: Project, progress: Progress | None = None
) -> tuple[list[DocumentUnits], dict[str, dict[str, Value]]]:
    """Every document's units, and the coders' values as stored (annotation id →
    attribute id → value). ``progress``: steps per document, and Cancel."""
    with gc_paused():  # hundreds of thousands of small records, none in a cycle
        return _read_everything(project, progress or Progress())


def _read_everything(
    project: Project, progress: Progress
) -> tuple[list[DocumentUnits], dict[str, dict[str, Value]]]:
    progress.step(0, 1, "reading the coders' annotations")
    with project.snapshot():
        coded: CodedSpans = project.coded_spans()
        decisions = project.decisions()
        order = [d.id for d in project.documents(counts=False)]
        assigned = project.assigned_coders()
    spans: dict[str, list[CodedSpan]] = defaultdict(list)
    for span in coded.spans:
        spans[span.document_id].append(span)
    by_document: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_document[decision.document_id].append(decision)
    built: list[DocumentUnits] = []
    for number, ident in enumerate(order):
        if number % 10 == 0:
            progress.step(number, len(order), "matching the coders' units")
        else:
            progress.check()
        given = assigned.get(ident, frozenset())
        built.append(units_of(ident, spans[ident], coded.modified, by_document[ident], given))
    return built, coded.values


class Board:
    """Units of every document, read once a document and kept until dropped."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.document_ids = [d.id for d in project.documents(counts=False)]
        self._units: dict[str, DocumentUnits] = {}

    def load_all(self) -> None:
        """Read every document's units at once (faster than one by one)."""
        self.fill(all_document_units(self.project))

    def fill(self, every: Iterable[DocumentUnits]) -> None:
        """Units read elsewhere (a worker's own connection) for this board to keep."""
        for units in every:
            self._units[units.document_id] = units

    def forget(self, decisions: Iterable[Decision]) -> None:
        """Decisions just withdrawn (undo): their units are unsettled again."""
        gone: dict[str, set[str]] = defaultdict(set)
        for decision in decisions:
            gone[decision.document_id].add(decision.unit_key)
        for ident, keys in gone.items():
            units = self._units.get(ident)
            if units is None:
                continue
            for key, decision in list(units.decisions.items()):
                if decision.unit_key in keys:
                    del units.decisions[key]

    def units(self, document_id: str) -> DocumentUnits:
        found = self._units.get(document_id)
        if found is None:
            found = self._units[document_id] = document_units(self.project, document_id)
        return found

    def drop(self, document_ids: Iterable[str]) -> None:
        for ident in document_ids:
            self._units.pop(ident, None)

    def record(self, decisions: Iterable[Decision]) -> None:
        """Decisions just recorded (by this board's reader): the units they settle are
        marked settled without reading the document again (the coders' annotations did
        not change); a decision for a unit not in view drops its document."""
        for decision in decisions:
            units = self._units.get(decision.document_id)
            if units is None:
                continue
            if decision.unit_key in units.raw:
                units.decisions[decision.unit_key] = decision
            else:
                self.drop([decision.document_id])

    def progress(self) -> tuple[int, int]:
        """(settled, unsettled) over every document (reads those not yet read)."""
        settled = unsettled = 0
        for ident in self.document_ids:
            units = self.units(ident)
            settled += units.settled
            unsettled += units.unsettled
        return settled, unsettled

    def next_unsettled(
        self, document_id: str | None, unit_key: str | None, *, backwards: bool = False
    ) -> tuple[str, Unit] | None:
        """The next (previous) unsettled unit after ``unit_key`` in ``document_id``,
        going on through the following (preceding) documents and round to the start."""
        ids = self.document_ids
        if not ids:
            return None
        here = ids.index(document_id) if document_id in ids else 0
        step = -1 if backwards else 1
        for turn in range(len(ids) + 1):
            ident = ids[(here + step * turn) % len(ids)]
            units = self.units(ident)
            order = units.units[::-1] if backwards else units.units
            passed = not (turn == 0 and unit_key is not None)
            for unit in order:
                if not passed:
                    passed = unit.key == unit_key
                    continue
                if unit.key not in units.decisions:
                    return ident, unit
            if turn == 0 and unit_key is not None and not passed:
                # the unit is gone: start the document again from its beginning
                for unit in order:
                    if unit.key not in units.decisions:
                        return ident, unit
        return None
