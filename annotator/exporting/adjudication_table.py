"""``adjudication.csv``: one row per matched unit of the coders' annotations, with
each coder's version, the unit's state and how it was settled, so that a methods
section can count how many disagreements were settled which way.

Units are listed for every document that at least two coders coded, and wherever
a decision was recorded. The coders' columns come grouped by field
(``Ana_start``, ``Bo_start``, then ``Ana_end``…), one per coder in the project
other than ``adjudicated``, whatever the export's coder filter.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path

from annotator.core.adjudication import ADJUDICATED, Decision, changed_members, orphan_note
from annotator.core.agreement.units import CodedSpan, Unit
from annotator.exporting.csv_profiles import FileWriter, Written
from annotator.exporting.data import ExportData
from annotator.exporting.model import DATETIME, ID, INTEGER, STRING, Column, TableBody
from annotator.exporting.streamed_csv import LazyRows, StreamedTable
from annotator.ops.adjudication_units import DocumentUnits, document_units, units_of

ADJUDICATION_SPECS = [
    Column("document_id", ID, "the document; joins documents.csv"),
    Column("unit", STRING, "the unit: its coders' annotation ids, sorted, joined by +"),
    Column("category", STRING, "category key of the unit"),
    Column(
        "state",
        STRING,
        "agreed (every coder of the document: same span and values), disagreed, single "
        "(only some coders coded it), settled",
        allowed=("agreed", "disagreed", "single", "settled"),
    ),
    Column(
        "decision",
        STRING,
        "how it was settled; empty while unsettled",
        allowed=("accepted", "edited", "merged", "rejected", "premerged"),
    ),
    Column("decision_coder", STRING, "whose version (span) the adjudicated annotation took"),
    Column("values_coder", STRING, "whose values it took (another coder's when merged)"),
    Column(
        "adjudicated_id",
        ID,
        "the annotation of the adjudicated set (coder `adjudicated`); joins annotations.csv",
    ),
    Column("settled_by", STRING, "who settled the unit"),
    Column("settled_at", DATETIME, "when it was settled (UTC)"),
    Column(
        "changed_since",
        STRING,
        "what changed in the coders' annotations since the unit was settled; empty: nothing",
    ),
]
_FIELDS = (
    ("annotation_id", ID, "{coder}'s annotation in the unit; empty: {coder} did not code it"),
    ("start", INTEGER, "start of {coder}'s span in code points"),
    ("end", INTEGER, "end of {coder}'s span in code points (exclusive)"),
    ("values", STRING, "{coder}'s attribute values, `key=value` joined by `; `"),
)


def adjudication_coders(data: ExportData) -> list[str]:
    return [c for c in data.project.coder_names() if c != ADJUDICATED]


def _label(data: ExportData, value: object) -> str:
    if isinstance(value, tuple):
        kind = value[0]
        if kind == "actor":
            actor = data.actor_by_id.get(str(value[1]))
            return actor.name if actor else str(value[1])
        if kind == "choice":
            choice = data.choice_by_id.get(str(value[1]))
            return choice.label if choice else str(value[1])
        if kind == "span":
            return f"{value[1]} [{value[2]}, {value[3]})"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _values(data: ExportData, span: CodedSpan) -> str:
    return "; ".join(f"{k}={_label(data, v)}" for k, v in sorted(span.values.items()))


def _row(
    data: ExportData,
    coders: Sequence[str],
    document_id: str,
    key: str,
    category: str,
    state: str,
    decision: Decision | None,
    spans: Mapping[str, CodedSpan],
    changed: str,
) -> list[object]:
    row: list[object] = [document_id, key, category, state]
    if decision is None:
        row += ["", "", "", "", "", ""]
    else:
        row += [
            decision.kind.value,
            decision.coder,
            decision.values_coder,
            decision.result_id or "",
            decision.settled_by,
            decision.settled_at,
        ]
    row.append(changed)
    row += [spans[c].annotation_id if c in spans else "" for c in coders]
    row += [spans[c].start if c in spans else None for c in coders]
    row += [spans[c].end if c in spans else None for c in coders]
    row += [_values(data, spans[c]) if c in spans else "" for c in coders]
    return row


def _columns(coders: Sequence[str]) -> list[Column]:
    columns = list(ADJUDICATION_SPECS)
    for name, kind, about in _FIELDS:
        columns += [Column(f"{c}_{name}", kind, about.format(coder=c)) for c in coders]
    return columns


def adjudication_table(data: ExportData) -> TableBody:
    """The table; its rows are worked out a document at a time each time they are
    read (:class:`LazyRows`): memory stays bounded, and the analysis CSV is written
    as they come."""
    coders = adjudication_coders(data)
    return TableBody(_columns(coders), LazyRows(partial(_rows, data, coders)))


def _rows(data: ExportData, coders: list[str]) -> Iterator[list[object]]:
    project = data.project
    wanted = set(project.adjudication_documents())
    for document in data.documents:  # one document at a time: memory stays bounded
        if document.id in wanted:
            yield from _unit_rows(data, coders, document_units(project, document.id))


def _unit_rows(data: ExportData, coders: list[str], units: DocumentUnits) -> Iterator[list[object]]:
    unit: Unit
    for unit in units.units:
        decision = units.decisions.get(unit.key)
        notes = changed_members(decision, unit, units.modified) if decision else []
        yield _row(
            data,
            coders,
            units.document_id,
            unit.key,
            unit.category,
            units.state(unit).value,
            decision,
            unit.spans,
            "; ".join(notes),
        )
    for decision in units.orphans:
        yield _row(
            data,
            coders,
            units.document_id,
            decision.unit_key,
            decision.category,
            "settled",
            decision,
            {},
            orphan_note(decision, units.modified),
        )


class AdjudicationFile:
    """adjudication.csv written during the big tables' pass (analysis CSV, no coder
    filter), from each group's annotations and values as read for those tables
    rather than read again a document at a time: :meth:`add` a group's view, in
    order. :meth:`finish` gives what was written, or None if a cell held a carriage
    return (the table is then written as :func:`adjudication_table` makes it)."""

    def __init__(self, data: ExportData, path: Path, files: FileWriter) -> None:
        self._data = data
        self._coders = adjudication_coders(data)
        self._wanted = set(data.project.adjudication_documents())
        self._assigned = data.project.assigned_coders()
        self._keys = {a.id: a.key for a in data.codebook.attributes}
        header = [c.name for c in _columns(self._coders)]
        self._file = StreamedTable(header, path, files)

    def add(self, part: ExportData, document_ids: Sequence[str]) -> None:
        """The rows of the group ``part`` of these documents."""
        wanted = [d for d in document_ids if d in self._wanted]
        if not wanted:
            return
        spans = _coded_spans(part, self._keys)
        project, coders = self._data.project, self._coders
        rows: list[Sequence[object]] = []
        for document_id in wanted:
            own, modified = spans.get(document_id, ([], {}))
            units = units_of(
                document_id,
                own,
                modified,
                project.decisions(document_id),
                self._assigned.get(document_id, frozenset()),
            )
            rows += _unit_rows(self._data, coders, units)
        self._file.add(rows)

    def finish(self) -> Written | None:
        return self._file.finish()

    def abandon(self) -> None:
        self._file.abandon()


_NO_VALUES: dict[str, object] = {}


def _coded_spans(
    part: ExportData, keys: Mapping[str, str]
) -> dict[str, tuple[list[CodedSpan], dict[str, str]]]:
    """Document id → its spans and their ``updated_at``, as ``Project.coded_spans``
    reads them (the adjudicated set left out; values in comparable form), from a
    group's view read without a coder filter."""
    values, by_id = part.values, part.annotation_by_id
    targets: dict[str, tuple[object, ...]] = {}

    def target(ident: str) -> tuple[object, ...]:
        # What a referenced annotation compares as: the registry actor it names
        # (the least id, as SQL's MIN), else its category and span.
        found = targets.get(ident)
        if found is None:
            annotation = by_id.get(ident)
            named = [v.actor_id for v in values.get(ident, {}).values() if v.actor_id is not None]
            if named:
                found = ("actor", min(named))
            elif annotation is not None:
                found = ("span", annotation.category, annotation.start, annotation.end)
            else:
                found = ("span", "", -1, -1)
            targets[ident] = found
        return found

    result: dict[str, tuple[list[CodedSpan], dict[str, str]]] = {}
    for a in part.annotations:
        if a.coder == ADJUDICATED:
            continue
        own = values.get(a.id)
        comparable: dict[str, object] = {}
        for v in own.values() if own else ():
            value: object
            if v.actor_id is not None:
                value = ("actor", v.actor_id)
            elif v.annotation_id is not None:
                value = target(v.annotation_id)
            elif v.choice_id is not None:
                value = ("choice", v.choice_id)
            elif v.number is not None:
                value = v.number
            else:
                value = v.text
            comparable[keys.get(v.attribute_id, v.attribute_id)] = value
        spans, modified = result.setdefault(a.document_id, ([], {}))
        spans.append(
            CodedSpan(
                a.id,
                a.coder,
                a.document_id,
                a.category,
                a.start,
                a.end,
                comparable if own else _NO_VALUES,
            )
        )
        modified[a.id] = a.updated_at
    return result
