"""annotation_values.csv: one row per annotation and attribute value (long form).

The wide ``annotations.csv`` gives every attribute of every category its own
columns, most of them empty on any one row. This table holds the same values
one per row: the annotation, the attribute, its type, and the cells the value
fills in ``annotations.csv`` (its main column, and its ``_code``, ``_id``,
``_kind`` and ``_actor`` columns where the type has them), taken from the same
type definitions, so the two files always agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import itemgetter

from annotator.core.codebook import Attribute, Codebook, Value
from annotator.core.types import ATTRIBUTE_TYPES, attribute_type
from annotator.core.types.attributes import REFERENCE_KINDS
from annotator.core.types.columns import Cells
from annotator.exporting.csv_cells import RAW, CellForm
from annotator.exporting.data import ExportData
from annotator.exporting.model import ID, NUMBER, STRING, Column

# The cells of annotation_values.csv taken from a value's columns in annotations.csv,
# by the suffix of the column (``C.A``, ``C.A_code``, ``C.A_id``, ``C.A_kind``, ``C.A_actor``).
SUFFIXES = ("", "_code", "_id", "_kind", "_actor")

# The key of this table's cells in ``ExportData.shared_cells``.
VALUE_CELLS = "annotation_values"

VALUE_COLUMNS = (
    "annotation_id",
    "document_id",
    "category",
    "attribute_key",
    "attribute_type",
    "value",
    "code",
    "reference_id",
    "reference_kind",
    "reference_actor",
)


def value_specs(codebook: Codebook) -> list[Column]:
    """The columns of annotation_values.csv."""
    used = {str(a.type) for a in codebook.attributes}
    types = tuple(t for t in ATTRIBUTE_TYPES if t in used)
    return [
        Column("annotation_id", ID, "the annotation; joins annotations.csv"),
        Column("document_id", ID, "the annotation's document; joins documents.csv"),
        Column("category", STRING, "the annotation's category key"),
        Column(
            "attribute_key", STRING, "the attribute's key (annotations.csv: CATEGORY.ATTRIBUTE)"
        ),
        Column("attribute_type", STRING, "the attribute's type", allowed=types),
        Column(
            "value",
            STRING,
            "the value as annotations.csv's CATEGORY.ATTRIBUTE cell holds it: text, number, "
            "1/0 for yes/no, date, choice label; for a reference the annotation's quote, "
            "the actor's name or the choice's label",
        ),
        Column("code", NUMBER, "a choice's numeric code (CATEGORY.ATTRIBUTE_code); else empty"),
        Column(
            "reference_id", ID, "a reference's annotation, actor or choice id (_id); else empty"
        ),
        Column(
            "reference_kind",
            STRING,
            "what reference_id points to (_kind); empty for other types",
            allowed=REFERENCE_KINDS,
        ),
        Column(
            "reference_actor",
            STRING,
            "a reference's registry actor name, directly or through an actor mention (_actor)",
        ),
    ]


class _Plan:
    """One attribute: its key and type, the function giving its cells, and the
    picking of SUFFIXES' cells from them followed by an empty cell (the type's
    missing columns pick that one)."""

    def __init__(self, attribute: Attribute, data: ExportData) -> None:
        kind = attribute_type(attribute.type)
        plans = kind.columns(attribute, "")
        self.id = attribute.id
        self.key = attribute.key
        self.type = str(attribute.type)
        self.cells: Cells = kind.cells(attribute, data)
        self.repeated = kind.repeated_cells
        where = {plan.suffix: i for i, plan in enumerate(plans)}
        self.pick = itemgetter(*(where.get(suffix, len(plans)) for suffix in SUFFIXES))


def value_rows(data: ExportData, form: CellForm = RAW) -> Iterator[Sequence[object]]:
    """annotation_values.csv's rows for the annotations of ``data`` (in export order,
    each annotation's values in codebook order), their cells in ``form``; quoted,
    each row is one finished line (a one-cell row)."""
    codebook = data.codebook
    plans = {
        c.key: [_Plan(a, data) for a in codebook.attributes_of(c.key)] for c in codebook.categories
    }
    if form.quoted:
        return _lines(data, form, plans)
    return _rows(data, form, plans)


def _rows(
    data: ExportData, form: CellForm, plans: dict[str, list[_Plan]]
) -> Iterator[list[object]]:
    one, many, quoted = form.one, form.many, form.quoted
    documents = {d.id: one(d.id) for d in data.documents}
    values = data.values
    for a in data.annotations:
        own = values.get(a.id)
        if not own:
            continue
        for plan in plans.get(a.category, ()):
            value = own.get(plan.id)
            if value is None or value.is_empty():
                continue
            cells = plan.cells(value)
            if quoted:
                cells = tuple(map(many.__getitem__ if plan.repeated else one, cells))
            yield [
                one(a.id),
                documents[a.document_id],
                many[a.category],
                many[plan.key],
                many[plan.type],
                *plan.pick((*cells, "")),
            ]


def _tail(plan: _Plan, value: Value, form: CellForm) -> str:
    """The quoted cells of a value's row after its annotation's, joined; empty for
    an empty value (no row)."""
    if value.is_empty():
        return ""
    # A referenced annotation's id and quote are seldom met again: not kept.
    repeated = plan.repeated and value.annotation_id is None
    text = form.many.__getitem__ if repeated else form.one
    cells = tuple(map(text, plan.cells(value)))
    many = form.many
    return ",".join([many[plan.key], many[plan.type], *plan.pick((*cells, ""))])


def _lines(data: ExportData, form: CellForm, plans: dict[str, list[_Plan]]) -> Iterator[tuple[str]]:
    """The quoted rows as finished lines. A value's cells after its annotation's
    are the same wherever it comes: each distinct value is turned into them once
    for this group, and a choice or a registry actor once for the export (a few
    labels and names: the memory this keeps does not grow with the project)."""
    one, many = form.one, form.many
    lasting = data.shared_cells.setdefault(VALUE_CELLS, {})
    group: dict[Value, str] = {}
    caches = {
        key: [(p, lasting.setdefault(p.id, {}), group) for p in category_plans]
        for key, category_plans in plans.items()
    }
    documents = {d.id: one(d.id) for d in data.documents}
    values = data.values
    for a in data.annotations:
        own = values.get(a.id)
        if not own:
            continue
        head = f"{one(a.id)},{documents[a.document_id]},{many[a.category]},"
        for plan, kept, in_group in caches.get(a.category, ()):
            value = own.get(plan.id)
            if value is None:
                continue
            cache = in_group if value.choice_id is None and value.actor_id is None else kept
            tail = cache.get(value)
            if tail is None:
                tail = cache[value] = _tail(plan, value, form)
            if tail:
                yield (head + tail,)
