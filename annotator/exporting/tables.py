"""The tables of an export for analysis, registered once, in order.

:data:`TABLES` is the one list every part of the export reads: which tables are
built and in what order, the CSV, Stata, SPSS and Excel files written from
them, the files derived from one table (the GraphML network), the data
dictionary (CSV and Markdown), the names an export may replace in its folder
(:data:`EXPORT_FILES`) and so the manifest and the counts shown afterwards.

A new table is one :class:`TableDefinition` added here, with the function that
builds its columns and rows, and its tests; no other module names it. The
README documents its columns (tests/exporting/test_readme_columns.py holds the
README to the registry and the data dictionary).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from annotator.exporting.actor_counts import ActorCounts, count_actor_stances
from annotator.exporting.actor_networks import (
    CONFLICT,
    CONGRUENCE,
    actor_network,
    graphml_feed,
    write_actor_graphml,
)
from annotator.exporting.adjudication_table import adjudication_table
from annotator.exporting.claims import Links, claim_attributes, claim_rows, statement_rows
from annotator.exporting.codebook_tables import actor_table, codebook_table
from annotator.exporting.csv_cells import RAW, CellForm
from annotator.exporting.csv_export import AnnotationLayout, document_table
from annotator.exporting.data import ExportData
from annotator.exporting.data_dictionary import DICTIONARY_NAME, dictionary_body
from annotator.exporting.date_columns import honest_dates, is_partial, typed_dates
from annotator.exporting.dna import DELIMITER, DNA_SPECS, dna_rows
from annotator.exporting.long_values import value_rows, value_specs
from annotator.exporting.model import DATE, FORMATS, Column, ExportTable, TableBody
from annotator.exporting.network import network_table, write_graphml
from annotator.exporting.streamed_csv import Feeder
from annotator.exporting.summaries import actor_by_polarity, document_by_category
from annotator.exporting.table_specs import (
    ACTOR_SPECS,
    ANNOTATION_SPECS,
    DOCUMENT_SPECS,
    claim_specs,
    codebook_specs,
    statement_specs,
    variable_spec,
)
from annotator.exporting.tallies import Tallies, count_summaries

# Files of the whole export, beside the tables' own.
XLSX = "export.xlsx"  # one sheet per table written as xlsx
DICTIONARY_MD = "DATA_DICTIONARY.md"
MANIFEST = "manifest.json"
# The formats written as one file per table (``annotations.dta``); xlsx is a sheet of XLSX.
FILE_FORMATS = ("csv", "dta", "sav")


class Batch(NamedTuple):
    """One group of documents: their view of the data, and their claims and stances."""

    data: ExportData
    links: Links


# The rows one group of documents gives a big table, their cells in a form.
BatchRows = Callable[[Batch, CellForm], Iterable[Sequence[object]]]


class TableSources:
    """What the builders read: the export's data, the form of the big tables'
    cells, the summaries' counts, and the tables built so far."""

    def __init__(self, data: ExportData, form: CellForm = RAW, actor_networks: bool = True) -> None:
        self.data = data
        self.form = form
        self.actor_networks = actor_networks  # whether the one-mode networks are built
        self.tables: list[ExportTable] = []  # in registry order, before the one being built
        self._tallies: Tallies | None = None
        self._actor_counts: ActorCounts | None = None
        self._partial_dates: set[str] | None = None

    def dates(self, columns: list[Column], specs_of: dict[str, list[Column]]) -> list[Column]:
        """A table's ``columns`` with the date columns holding partial dates (of the
        attributes in ``specs_of`` or the documents') typed as text."""
        data = self.data
        if self._partial_dates is None:
            ids = [a.id for a in data.codebook.attributes if a.type == DATE]
            self._partial_dates = data.reads.partial_dates(ids)
        partial_documents = any(is_partial(d.date) for d in data.documents)
        return typed_dates(columns, specs_of, self._partial_dates, partial_documents)

    def batches(self) -> Iterator[Batch]:
        """Every group of documents, in order (read anew each time)."""
        for part in self.data.batches():
            yield Batch(part, Links(part))

    def rows(self, rows_of: BatchRows) -> Iterator[Sequence[object]]:
        """A big table's rows, one group of documents after the other."""
        for batch in self.batches():
            yield from rows_of(batch, self.form)

    @property
    def tallies(self) -> Tallies:
        """The summaries' counts: those :meth:`count` added up while the big tables
        were written, else counted now."""
        if self._tallies is None:
            self._tallies = count_summaries(self.data, actor_networks=self.actor_networks)
        return self._tallies

    def counted(self, tallies: Tallies) -> None:
        """The summaries' counts, added up by whoever went through every group."""
        self._tallies = tallies

    @property
    def actor_counts(self) -> ActorCounts:
        """actor_by_polarity's and the actor × issue network's counts: those the
        Statistics view shows (``exporting/actor_counts.py``), counted once."""
        if self._actor_counts is None:
            data = self.data
            self._actor_counts = count_actor_stances(
                data.project, data.coder, codebook=data.codebook, actors=data.actors
            )
        return self._actor_counts


@dataclass(frozen=True)
class DerivedFile:
    """A file written from a table besides its CSV, Stata, SPSS and Excel forms,
    named ``TABLE.suffix`` (``network_actor_issue.graphml``)."""

    suffix: str
    description: str  # for DATA_DICTIONARY.md
    # Writes the file, returns the rows (edges) in it; calls the check (which may
    # raise to stop) now and then.
    write: Callable[[ExportTable, Path, Callable[[], None]], int]
    # Given the rows while the table's CSV file is streamed (streamed_csv.py), when
    # it can be: None, or the file then written from the same rows (no second reading).
    feed: Callable[[ExportTable, Path, Callable[[], None]], Feeder | None] | None = None


@dataclass(frozen=True)
class TableDefinition:
    """One table of the export: ``name`` is the file stem (``annotations``)."""

    name: str
    description: str  # "one row per …", for the data dictionary
    build: Callable[[TableSources], TableBody]
    # The formats the table is written in when they are asked for (xlsx: a sheet of XLSX).
    formats: tuple[str, ...] = FORMATS
    # The builder writes finished CSV cells when the form asks for them (the big tables).
    quotable: bool = False
    also_as: tuple[DerivedFile, ...] = ()
    # The data dictionary: built from the tables before it, written as CSV whatever
    # the formats, the workbook's last sheet, not counted in the workbook's rows.
    about_tables: bool = False
    # The big tables: the rows of one group of documents (``build`` gives them all,
    # read anew); an export writes them group by group, all such tables at once.
    batch_rows: BatchRows | None = None
    # Between the cells of its CSV file (a table written with another than "," is
    # never quotable: its rows are values).
    delimiter: str = ","

    def table(self, sources: TableSources) -> ExportTable:
        """The table built from ``sources``, its rows materialised (they may be read twice)."""
        columns, rows = self.build(sources)
        return ExportTable(
            self.name,
            self.description,
            columns,
            rows if isinstance(rows, list) else list(rows),
            self.quotable and sources.form.quoted,
            self.delimiter,
        )

    def writes(self, fmt: str, formats: Collection[str]) -> bool:
        """Whether an export in ``formats`` writes this table in ``fmt``."""
        return fmt in self.formats and (fmt in formats or self.about_tables and fmt == "csv")

    def file_names(self, formats: Collection[str]) -> list[str]:
        """The files of this table an export in ``formats`` writes: one per file
        format, then the derived files (written whatever the formats)."""
        names = [f"{self.name}.{fmt}" for fmt in FILE_FORMATS if self.writes(fmt, formats)]
        return names + [f"{self.name}.{derived.suffix}" for derived in self.also_as]


# -- builders of the tables whose rows come from elsewhere ------------------------
def _documents(sources: TableSources) -> TableBody:
    data = sources.data
    header, rows = document_table(data)
    variables = list(header)[len(DOCUMENT_SPECS) :]
    specs = [variable_spec(v, name) for v, name in zip(data.variables, variables, strict=True)]
    cells = [list(r) for r in rows]
    return TableBody(honest_dates([*DOCUMENT_SPECS, *specs], cells), cells)


def _annotation_rows(batch: Batch, form: CellForm) -> Iterable[Sequence[object]]:
    return AnnotationLayout(batch.data).rows(batch.data, form)


def _annotations(sources: TableSources) -> TableBody:
    layout = AnnotationLayout(sources.data)
    columns = sources.dates([*ANNOTATION_SPECS, *layout.specs], layout.specs_of)
    return TableBody(columns, sources.rows(_annotation_rows))


def _value_rows(batch: Batch, form: CellForm) -> Iterable[Sequence[object]]:
    return value_rows(batch.data, form)


def _values(sources: TableSources) -> TableBody:
    return TableBody(value_specs(sources.data.codebook), sources.rows(_value_rows))


def _claim_rows(batch: Batch, form: CellForm) -> Iterable[Sequence[object]]:
    return claim_rows(batch.links, form)


def _claims(sources: TableSources) -> TableBody:
    data = sources.data
    specs = AnnotationLayout(data).specs_of
    extra = [spec for a in claim_attributes(data.codebook) for spec in specs[a.id]]
    columns = sources.dates([*claim_specs(data.codebook), *extra], specs)
    return TableBody(columns, sources.rows(_claim_rows))


def _statement_rows(batch: Batch, form: CellForm) -> Iterable[Sequence[object]]:
    return statement_rows(batch.links, form)


def _statements(sources: TableSources) -> TableBody:
    columns = sources.dates(statement_specs(sources.data.codebook), {})
    return TableBody(columns, sources.rows(_statement_rows))


def _dna_rows(batch: Batch, form: CellForm) -> Iterable[Sequence[object]]:
    return dna_rows(batch.links)  # values whatever the form (see TableDefinition.delimiter)


def _dna(sources: TableSources) -> TableBody:
    return TableBody(sources.dates(list(DNA_SPECS), {}), sources.rows(_dna_rows))


def _actors(sources: TableSources) -> TableBody:
    return TableBody(list(ACTOR_SPECS), [list(r) for r in actor_table(sources.data)[1]])


def _codebook(sources: TableSources) -> TableBody:
    return TableBody(codebook_specs(sources.data.codebook), codebook_table(sources.data)[1])


GRAPHML = DerivedFile(
    "graphml",
    "the actor × issue network as GraphML (node attributes `type`: actor or issue, and "
    "`coder`; edge attributes as in network_actor_issue.csv; each coder's network apart, "
    "its node ids starting `coder:NAME/` when there are several; control characters XML "
    "cannot hold, other than tab and line breaks, become U+FFFD)",
    write_graphml,
)


def _one_mode(kind: str) -> DerivedFile:
    return DerivedFile(
        "graphml",
        f"the actor {kind} network as GraphML (undirected; node attributes `label`, "
        f"`actor_id`, `coder`; edge attributes the weights of actor_{kind}.csv and `coder`; "
        "each coder's network apart, its node ids starting `coder:NAME/` when there are "
        "several)",
        write_actor_graphml,
        graphml_feed,
    )


@dataclass(frozen=True)
class _ActorNetwork(TableDefinition):
    """A one-mode actor network: its description says how many statements it
    leaves out, and its edges are computed anew each time they are read."""

    def table(self, sources: TableSources) -> ExportTable:
        concepts = sources.tallies.actor_concepts
        columns, rows = self.build(sources)
        return ExportTable(self.name, self.description + concepts.note(), columns, rows)


@dataclass(frozen=True)
class _Streamed(TableDefinition):
    """A table whose rows, for the analysis CSV alone, are made while its file is
    written (:mod:`annotator.exporting.streamed_csv`), never held all at once."""

    def table(self, sources: TableSources) -> ExportTable:
        if not sources.form.quoted:
            return super().table(sources)
        columns, rows = self.build(sources)
        return ExportTable(self.name, self.description, columns, rows, False, self.delimiter)


TABLES: tuple[TableDefinition, ...] = (
    TableDefinition(
        "documents", "one row per document, with its metadata and variables", _documents
    ),
    TableDefinition(
        "annotations",
        "one row per annotation, every attribute as columns",
        _annotations,
        quotable=True,
        batch_rows=_annotation_rows,
    ),
    TableDefinition(
        "annotation_values",
        "one row per annotation and attribute value (the attributes of annotations.csv, long)",
        _values,
        quotable=True,
        batch_rows=_value_rows,
    ),
    TableDefinition(
        "claims",
        "one row per claim and linked stance",
        _claims,
        quotable=True,
        batch_rows=_claim_rows,
    ),
    TableDefinition(
        "statements",
        "one row per stance, or claim without a linked stance (Discourse Network Analyzer shape)",
        _statements,
        quotable=True,
        batch_rows=_statement_rows,
    ),
    TableDefinition(
        "dna_statements",
        "one row per stance that supports or opposes, in the Discourse Network Analyzer's "
        "statement event list shape (cells separated by `;`; agreement 1 support, 0 oppose)",
        _dna,
        batch_rows=_dna_rows,
        delimiter=DELIMITER,
    ),
    TableDefinition("actors", "one row per actor in the registry", _actors),
    TableDefinition("codebook", "one row per category, attribute and allowed value", _codebook),
    TableDefinition(
        "document_by_category",
        "one row per document and coder: counts of annotations per category and per choice "
        "value, per coder (a document nobody annotated: one row of zeros, no coder)",
        lambda sources: document_by_category(sources.data, sources.tallies),
    ),
    TableDefinition(
        "actor_by_polarity",
        "one row per registry actor and coder: stances it holds, by polarity, per coder "
        "(an actor holding none: one row of zeros, no coder)",
        lambda sources: actor_by_polarity(sources.data.actors, sources.actor_counts),
    ),
    TableDefinition(
        "network_actor_issue",
        "two-mode edge list, per coder: actor, issue, weight and counts by polarity",
        lambda sources: network_table(sources.data.codebook, sources.actor_counts),
        also_as=(GRAPHML,),
    ),
    _ActorNetwork(
        "actor_congruence",
        "one-mode edge list (Discourse Network Analyzer congruence), per coder: actor pairs "
        "agreeing with each other on concepts, weight unnormalised and normalised",
        lambda sources: actor_network(sources.tallies.actor_concepts, CONGRUENCE),
        formats=("csv",),
        also_as=(_one_mode(CONGRUENCE),),
    ),
    _ActorNetwork(
        "actor_conflict",
        "one-mode edge list (Discourse Network Analyzer conflict), per coder: actor pairs "
        "disagreeing with each other on concepts, weight unnormalised and normalised",
        lambda sources: actor_network(sources.tallies.actor_concepts, CONFLICT),
        formats=("csv",),
        also_as=(_one_mode(CONFLICT),),
    ),
    _Streamed(
        "adjudication",
        "one row per matched unit of the coders' annotations (documents coded by two or "
        "more coders): each coder's version, the unit's state and how it was settled",
        lambda sources: adjudication_table(sources.data),
    ),
    # Last: it describes every table before it, and itself.
    TableDefinition(
        DICTIONARY_NAME,
        "this dictionary: one row per column of every file",
        lambda sources: dictionary_body(sources.tables),
        formats=("csv", "xlsx"),
        about_tables=True,
    ),
)
TABLE_NAMES = tuple(definition.name for definition in TABLES)
ACTOR_NETWORKS = ("actor_congruence", "actor_conflict")  # written when asked for


def exported_tables(actor_networks: bool) -> tuple[TableDefinition, ...]:
    """The tables an export writes: all of them, the one-mode actor networks only
    when asked for (``ExportOptions.actor_networks``)."""
    if actor_networks:
        return TABLES
    return tuple(d for d in TABLES if d.name not in ACTOR_NETWORKS)


def table_definition(name: str) -> TableDefinition:
    """The definition of the table called ``name``; KeyError if there is none."""
    for definition in TABLES:
        if definition.name == name:
            return definition
    raise KeyError(name)


def build_tables(data: ExportData, form: CellForm = RAW) -> list[ExportTable]:
    """Every table of the export, in registry order, rows materialised.

    With a quoting ``form`` the quotable tables (annotations, claims,
    statements) hold finished CSV cells; the others always hold values.
    """
    sources = TableSources(data, form)
    for definition in TABLES:
        sources.tables.append(definition.table(sources))
    return sources.tables


def export_files(formats: Iterable[str], actor_networks: bool = True) -> list[str]:
    """The files an export in ``formats`` writes, as the data dictionary and
    the README list them: each table's, then the workbook, DATA_DICTIONARY.md
    and the manifest (the one-mode actor networks' with ``actor_networks``)."""
    formats = set(formats)
    definitions = exported_tables(actor_networks)
    names = [name for definition in definitions for name in definition.file_names(formats)]
    if any(definition.writes("xlsx", formats) for definition in definitions):
        names.append(XLSX)
    return [*names, DICTIONARY_MD, MANIFEST]


# Every file an export may write, whatever the formats: only these are ever
# replaced or removed as the previous export's (see ExportFolder.previous).
EXPORT_FILES = frozenset(export_files(FORMATS))
