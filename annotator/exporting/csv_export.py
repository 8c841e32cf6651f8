"""Export a project as CSV files for statisticians.

The rows and columns of the main files; :mod:`annotator.exporting.analysis`
writes them (staging folder, then ``os.replace``) with the other export files.

``documents.csv`` and ``annotations.csv`` are built here; ``claims.csv`` and
``statements.csv`` in :mod:`annotator.exporting.claims`; ``actors.csv`` and
``codebook.csv`` in :mod:`annotator.exporting.codebook_tables`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from annotator.core.codebook import Attribute, Value
from annotator.core.types import attribute_type
from annotator.core.types.columns import Cells
from annotator.exporting.csv_cells import RAW, CellForm
from annotator.exporting.data import ExportData, Table
from annotator.exporting.model import Column, unique_name
from annotator.exporting.table_specs import attribute_specs
from annotator.store.project import Project

DOCUMENT_COLUMNS = (
    "document_id",
    "title",
    "source",
    "author",
    "date",
    "file_name",
    "encoding",
    "status",
    "char_count",
    "sha256",
    "imported_at",
    "annotation_count",
    "text",
)
# documents.csv: DOCUMENT_COLUMNS, then one ``var.<key>`` column per document
# variable, in the project's variable order.
VARIABLE_PREFIX = "var."
# The key of annotations.csv's cells in ``ExportData.shared_cells``.
ANNOTATION_CELLS = "annotations"
# The fixed columns of annotations.csv; one group per codebook attribute follows.
ANNOTATION_COLUMNS = (
    "annotation_id",
    "document_id",
    "document_title",
    "coder",
    "category",
    "start",
    "end",
    "quote",
    "memo",
    "created_at",
    "updated_at",
    "incomplete",
)


def attribute_columns(attribute: Attribute, prefix: str) -> list[str]:
    """The column names of one attribute (``prefix`` is ``category.attribute``), as its
    type lays them out."""
    plans = attribute_type(attribute.type).columns(attribute, "")
    return [prefix + plan.suffix for plan in plans]


class _Group:
    """One category's attribute columns: a contiguous block, with the blanks that
    fill the other categories' columns before and after it."""

    def __init__(self, first: int) -> None:
        self.first = first  # offset of the block among the attribute columns
        self.width = 0
        self.total = 0  # attribute columns of all categories
        # (attribute id, cells repeated?, cells, columns)
        self.attributes: list[tuple[str, bool, Cells, int]] = []

    def add(self, attribute: Attribute, cells: Cells, width: int) -> None:
        repeated = attribute_type(attribute.type).repeated_cells
        self.attributes.append((attribute.id, repeated, cells, width))
        self.width += width

    def close(self, total: int) -> None:
        self.total = total

    def in_form(
        self, form: CellForm
    ) -> tuple[tuple[str, ...], list[tuple[str, bool, Cells, tuple[str, ...]]], tuple[str, ...]]:
        """The blanks before the block, its attributes (blanks for no value
        last) and the blanks after it, in ``form``."""
        attributes = [(*a[:3], form.blanks(a[3])) for a in self.attributes]
        after = self.total - self.first - self.width
        return form.blanks(self.first), attributes, form.blanks(after)


def unique_columns(planned: list[tuple[str, list[str]]], taken: set[str]) -> list[list[str]]:
    """Unique names for each attribute's columns, given as (prefix, names).

    Keys like "x" and "x_code" can give the same name twice. The names an
    attribute derives from its prefix (x_code, x_id, x_kind, x_actor) are given
    first, so they hold what the dictionary says they do; the clashing
    attribute's own column becomes x_code_2.
    """
    given: dict[tuple[int, int], str] = {}
    for derived in (True, False):
        for i, (prefix, names) in enumerate(planned):
            for j, name in enumerate(names):
                if (name != prefix) == derived:
                    given[i, j] = unique_name(name, taken)
    return [[given[i, j] for j in range(len(names))] for i, (_, names) in enumerate(planned)]


class AnnotationLayout:
    """The columns of annotations.csv for one codebook, and where each attribute goes."""

    def __init__(self, data: ExportData) -> None:
        self.columns: list[str] = list(ANNOTATION_COLUMNS)
        # The typed attribute columns (name, type, value labels), in column order.
        self.specs: list[Column] = []
        self.groups: dict[str, _Group] = {}
        # Attribute id → its typed columns (claims.csv repeats the claim's).
        self.specs_of: dict[str, list[Column]] = {}
        codebook = data.codebook
        pairs = [(c, a) for c in codebook.categories for a in codebook.attributes_of(c.key)]
        prefixes = [f"{c.key}.{a.key}" for c, a in pairs]
        planned = [(p, attribute_columns(a, p)) for (_, a), p in zip(pairs, prefixes, strict=True)]
        names = iter(unique_columns(planned, set(self.columns)))
        cells_of = iter(attribute_type(a.type).cells(a, data) for _, a in pairs)
        for category in codebook.categories:
            group = _Group(len(self.columns) - len(ANNOTATION_COLUMNS))
            for attribute in codebook.attributes_of(category.key):
                uniques = next(names)
                group.add(attribute, next(cells_of), len(uniques))
                self.columns += uniques
                specs = attribute_specs(attribute, category.label, uniques)
                self.specs += specs
                self.specs_of[attribute.id] = specs
            self.groups[category.key] = group
        for group in self.groups.values():
            group.close(len(self.columns) - len(ANNOTATION_COLUMNS))

    def rows(self, data: ExportData, form: CellForm = RAW) -> Iterator[Sequence[object]]:
        """One row per annotation, its cells in ``form``; quoted, each row is one
        finished line (a one-cell row)."""
        if form.quoted:
            return self._lines(data, form)
        return self._rows(data, form)

    def _lines(self, data: ExportData, form: CellForm) -> Iterator[tuple[str]]:
        """The quoted rows as finished lines. An attribute's cells are the same for
        the same value: each distinct value is quoted and joined once for this
        group, a choice or a registry actor once for the export; a reference to an
        annotation (its id and quote, seldom met again) each time."""
        one, many = form.one, form.many
        lasting = data.shared_cells.setdefault(ANNOTATION_CELLS, {})
        in_group: dict[Value, str] = {}
        blank_row = form.blanks(len(self.columns) - len(ANNOTATION_COLUMNS))
        groups = {}
        for key, laid in self.groups.items():
            before, attributes, after = laid.in_form(form)
            plans = [
                (attribute_id, many.__getitem__ if few else one, cells, blanks, kept)
                for attribute_id, few, cells, blanks in attributes
                if blanks  # an attribute without columns has no cells either
                for kept in [lasting.setdefault(attribute_id, {})]
            ]
            groups[key] = (before, plans, after)
        documents = {d.id: f"{one(d.id)},{many[d.title]}" for d in data.documents}
        incomplete = data.incomplete
        values = data.values
        for a in data.annotations:
            ident, memo, created, updated = a.id, a.memo, a.created_at, a.updated_at
            plain = ident + memo + created + updated  # seldom any of them needs quoting
            if "," in plain or '"' in plain or "\n" in plain:
                ident, memo, created, updated = one(ident), one(memo), one(created), one(updated)
            head = (
                f"{ident},{documents[a.document_id]},{many[a.coder]},{many[a.category]},"
                f"{a.start},{a.end},{one(a.quote)},{memo},{created},{updated},"
                f"{'1' if a.id in incomplete else '0'}"
            )
            group = groups.get(a.category)
            own = values.get(a.id)
            if group is None or not own:
                yield (",".join((head, *blank_row)),)
                continue
            before, plans, after = group
            row = [head, *before]
            for attribute_id, text, cells, blanks, kept in plans:
                value = own.get(attribute_id)
                if value is None:
                    row += blanks
                    continue
                if value.annotation_id is not None:  # its own id and quote: seldom again
                    row.append(",".join(map(one, cells(value))))
                    continue
                cache = in_group if value.choice_id is None and value.actor_id is None else kept
                cell = cache.get(value)
                if cell is None:
                    cell = cache[value] = ",".join(map(text, cells(value)))
                row.append(cell)
            row += after
            yield (",".join(row),)

    def _rows(self, data: ExportData, form: CellForm) -> Iterator[list[object]]:
        blank_row = form.blanks(len(self.columns) - len(ANNOTATION_COLUMNS))
        groups = {key: group.in_form(form) for key, group in self.groups.items()}
        one, many, integer, quoted = form.one, form.many, form.integer, form.quoted
        repeated = many.__getitem__  # a label or name: each distinct text quoted once
        documents = {d.id: (one(d.id), many[d.title]) for d in data.documents}
        incomplete = data.incomplete
        values = data.values
        for a in data.annotations:
            document_id, title = documents[a.document_id]
            row: list[object] = [
                one(a.id),
                document_id,
                title,
                many[a.coder],
                many[a.category],
                integer(a.start),
                integer(a.end),
                one(a.quote),
                one(a.memo),
                one(a.created_at),
                one(a.updated_at),
                "1" if a.id in incomplete else "0",
            ]
            group = groups.get(a.category)
            own = values.get(a.id)
            if group is None or not own:
                row += blank_row
                yield row
                continue
            before, attributes, after = group
            row += before
            for attribute_id, few, cells, blanks in attributes:
                value = own.get(attribute_id)
                if value is None:
                    row += blanks
                elif not quoted:
                    row += cells(value)
                else:
                    row += map(repeated if few else one, cells(value))
            row += after
            yield row


def _document_table(data: ExportData) -> Table:
    keys = [v.key for v in data.variables]
    values = data.document_variables
    return (
        (*DOCUMENT_COLUMNS, *(VARIABLE_PREFIX + key for key in keys)),
        (
            (
                d.id,
                d.title,
                d.source,
                d.author,
                d.date,
                d.file_name,
                d.encoding,
                d.status.value,
                d.char_count,
                d.sha256,
                d.imported_at,
                d.annotation_count,
                data.texts[d.id],
                *(values.get(d.id, {}).get(key, "") for key in keys),
            )
            for d in data.documents
        ),
    )


def document_table(data: ExportData) -> Table:
    """documents.csv: header and rows."""
    return _document_table(data)


def export_csv(project: Project, out_dir: str | Path) -> dict[str, int]:
    """Write ``documents.csv``, ``annotations.csv``, ``claims.csv``,
    ``statements.csv``, ``actors.csv`` and ``codebook.csv`` (and the analysis
    extras: summaries, network, data dictionary, manifest) into ``out_dir``.

    Returns the number of rows written per file name, for the six main files.
    """
    from annotator.exporting.analysis import export_for_analysis
    from annotator.exporting.model import ExportOptions

    result = export_for_analysis(project, out_dir, ExportOptions())
    return {name: result.files[name] for name in MAIN_FILES}


MAIN_FILES = (
    "documents.csv",
    "annotations.csv",
    "claims.csv",
    "statements.csv",
    "actors.csv",
    "codebook.csv",
)
