"""Adjudication, pure: the state of a matched unit, the versions coders gave it, and
the decisions a study lead records when settling it.

A unit (``core.agreement.units.Unit``) is **agreed** when every coder who coded the
document gave it the same span and attribute values (the category is the unit's),
**disagreed** when they differ, **single** when only some of them coded it (or only
one coder coded the document), and **settled** once a decision is recorded for it.
The adjudicated set is the annotations of the coder named :data:`ADJUDICATED`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from annotator.core.agreement.units import CodedSpan, Unit

ADJUDICATED = "adjudicated"  # the coder whose annotations are the adjudicated set


class UnitState(StrEnum):
    AGREED = "agreed"
    DISAGREED = "disagreed"
    SINGLE = "single"
    SETTLED = "settled"


class DecisionKind(StrEnum):
    ACCEPTED = "accepted"  # one coder's version as it is
    EDITED = "edited"  # one coder's version, then its span or values changed
    MERGED = "merged"  # the span from one coder, the values from another
    REJECTED = "rejected"  # no annotation in the adjudicated set
    PREMERGED = "premerged"  # accepted by pre-merge: all (or a majority of) coders agreed


@dataclass(frozen=True)
class Member:
    """A coder's annotation in a settled unit, and its version (``updated_at``) then."""

    coder: str
    annotation_id: str
    modified_at: str


@dataclass(frozen=True)
class Decision:
    unit_key: str
    document_id: str
    category: str
    kind: DecisionKind
    coder: str  # whose version (span) was taken; "" when rejected
    values_coder: str  # whose values were taken (merged: another coder's)
    result_id: str | None  # the annotation of the adjudicated set; None when rejected
    settled_by: str
    settled_at: str
    members: tuple[Member, ...]

    @property
    def member_ids(self) -> frozenset[str]:
        return frozenset(m.annotation_id for m in self.members)


# A coder's version of a unit: span and values, comparable.
Version = tuple[int, int, tuple[tuple[str, object], ...]]


def version(span: CodedSpan) -> Version:
    return (span.start, span.end, tuple(sorted(span.values.items(), key=lambda kv: kv[0])))


def unit_start(unit: Unit) -> int:
    return min(s.start for s in unit.spans.values())


def raw_state(unit: Unit, document_coders: Sequence[str]) -> UnitState:
    """The state of an unsettled unit among the coders who coded its document."""
    if len(document_coders) < 2 or set(unit.spans) != set(document_coders):
        return UnitState.SINGLE
    versions = {version(s) for s in unit.spans.values()}
    return UnitState.AGREED if len(versions) == 1 else UnitState.DISAGREED


def majority_coder(unit: Unit, at_least: int) -> str | None:
    """The first coder (by name) whose version at least ``at_least`` coders share."""
    if at_least < 1:
        return None
    counts = Counter(version(s) for s in unit.spans.values())
    best = [v for v, n in counts.items() if n >= at_least]
    if not best:
        return None
    if len(best) > 1:  # two majorities can only be ties of a low threshold: undecided
        return None
    return min(c for c, s in unit.spans.items() if version(s) == best[0])


def changed_members(
    decision: Decision, unit: Unit | None, modified: Mapping[str, str]
) -> list[str]:
    """What changed underneath a decision since it was recorded (empty: nothing);
    ``modified``: each annotation's ``updated_at`` now."""
    if unit is None:
        return ["its annotations were deleted"]
    now = {s.annotation_id: s for s in unit.spans.values()}
    then = {m.annotation_id: m for m in decision.members}
    notes = [f"{s.coder}'s annotation is new" for i, s in now.items() if i not in then]
    notes += [f"{m.coder}'s annotation is gone" for i, m in then.items() if i not in now]
    notes += [
        f"{m.coder}'s annotation was changed"
        for i, m in then.items()
        if i in now and modified.get(i, m.modified_at) != m.modified_at
    ]
    return notes


def orphan_note(decision: Decision, present: Container[str]) -> str:
    """Why a decision settles no unit now: its annotations were deleted, or (some
    still ``present``) a re-merge moved them into another unit, which another
    decision settles or is left to settle."""
    if any(m.annotation_id in present for m in decision.members):
        return "its annotations now belong to another unit: check that unit's decision"
    return "its annotations were deleted"


def decision_of(unit: Unit, decisions: Iterable[Decision]) -> Decision | None:
    """The decision that settled ``unit``: the one recorded for its key, else one
    whose members share an annotation with it (the unit changed since)."""
    ids = {s.annotation_id for s in unit.spans.values()}
    found = None
    for decision in decisions:
        if decision.unit_key == unit.key:
            return decision
        if found is None and decision.member_ids & ids:
            found = decision
    return found
