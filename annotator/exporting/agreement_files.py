"""The agreement command's files: agreement.csv, agreement_units.csv and their dictionary.

Written by ``annotator team agreement`` (and :func:`write_agreement`) into a folder of
their own, not by every export: the report compares coders, which an export for
analysis does not need, and it takes its own choices (coders, matching rule). The folder
gets DATA_DICTIONARY.md and data_dictionary.csv describing these two files, built by the
export's dictionary code, with the paragraph on how units were matched and which formulas
were used.
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path

from annotator.core.agreement.compared import Compared
from annotator.core.agreement.report import MEASURES, AgreementReport, build_report, coders_text
from annotator.core.agreement.units import DEFAULT_RULE, MatchRule
from annotator.core.gcpause import gc_paused
from annotator.core.progress import Progress
from annotator.exporting.csv_profiles import write_csv
from annotator.exporting.data_dictionary import (
    DICTIONARY_NAME,
    _allowed,
    _cell,
    dictionary_body,
    loading_snippets,
)
from annotator.exporting.model import ID, INTEGER, NUMBER, STRING, Column, ExportTable
from annotator.store.agreement_reads import read_agreement_source
from annotator.store.project import Project

AGREEMENT = "agreement"
AGREEMENT_UNITS = "agreement_units"
AGREEMENT_FILES = (f"{AGREEMENT}.csv", f"{AGREEMENT_UNITS}.csv")

AGREEMENT_SPECS = [
    Column("scope", STRING, "pooled over documents, one document, or one pair of coders",
           allowed=("pooled", "document", "pair")),
    Column("document_id", ID, "the document, for scope document; else empty"),
    Column("category", STRING, "category key"),
    Column("attribute", STRING, "attribute key, stance_polarity or claim_record (claims); "
           "empty for units_matched and unitizing_alpha"),
    Column("measure", STRING, "the figure (see the method below)", allowed=MEASURES),
    Column("level", STRING, "level of measurement of krippendorff_alpha; nominal for the "
           "kappas and percent agreement", allowed=("nominal", "ordinal", "interval")),
    Column("coders", STRING, "the coders compared, separated by ' | '"),
    Column("coder_count", INTEGER, "how many coders are compared"),
    Column("value", NUMBER, "the figure; empty where it is not defined (fewer than two "
           "values to pair, or no variation at all)"),
    Column("units_paired", INTEGER, "units the figure rests on: with values of two or more "
           "coders (both, for Cohen's kappa); matched units for units_matched and "
           "unitizing_alpha"),
    Column("units_total", INTEGER, "units of the category in the scope, matched or not"),
]  # fmt: skip

UNIT_SPECS = [
    Column("unit_id", STRING, "the unit: its annotations' ids, sorted, joined by '+'"),
    Column("document_id", ID, "the document; joins documents.csv of an export"),
    Column("category", STRING, "category key"),
    Column("unit_start", INTEGER, "first code point any coder's span of the unit covers"),
    Column("unit_end", INTEGER, "end (exclusive) of the last code point covered"),
    Column("unit_coders", INTEGER, "how many coders have a span in the unit (1: unmatched)"),
    Column("coder", STRING, "a coder who coded the document"),
    Column("annotation_id", ID, "that coder's annotation; empty: the coder has no span here"),
    Column("start", INTEGER, "start of the coder's span (code points)"),
    Column("end", INTEGER, "end of the coder's span (exclusive)"),
    Column("quote", STRING, "the coder's span's text"),
]  # fmt: skip


def value_columns(report: AgreementReport) -> list[tuple[Compared, Column, Column]]:
    """Two columns per compared attribute: the value as read and the id compared."""
    found = []
    for rows in report.compared.values():
        for thing in rows:
            name = f"{thing.category}.{thing.key}"
            found.append(
                (
                    thing,
                    Column(name, STRING, f"{thing.category}: {thing.label}, as coded"),
                    Column(
                        f"{name}_id",
                        STRING,
                        f"{thing.category}: {thing.label}, as compared (choice id, actor:ID, "
                        "unit:UNIT_ID of the annotation referred to, number)",
                    ),
                )
            )
    return found


class _Readable:
    def __init__(self, report: AgreementReport) -> None:
        codebook = report.source.codebook
        self.choices = {c.id: c.label for a in codebook.attributes for c in a.choices}
        self.actors = report.source.actor_names
        self.booleans = {(a.key, c.key) for c in codebook.categories for a in
                         codebook.attributes_of(c.key) if a.type == "boolean"}  # fmt: skip

        self._known: dict[tuple[str, str, Hashable], str] = {}

    def text(self, thing: Compared, value: Hashable) -> str:
        if value is None:
            return ""
        key = (thing.category, thing.key, value)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._text(thing, value)
        return found

    def _text(self, thing: Compared, value: Hashable) -> str:
        if isinstance(value, tuple):
            return " / ".join(self.part(v) for v in value)
        if (thing.key, thing.category) in self.booleans and isinstance(value, int | float):
            return "yes" if value else "no"
        return self.part(value)

    def part(self, value: Hashable) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:g}"
        text = str(value)
        kind, _, ident = text.partition(":")
        if kind == "actor" and ident:
            return self.actors.get(ident, ident)
        if kind == "choice" and ident:
            return self.choices.get(ident, ident)
        if kind in ("unit", "annotation") and ident:
            return ident
        return self.choices.get(text, text)


def _ident(value: Hashable) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return " / ".join(_ident(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def figure_rows(report: AgreementReport) -> Iterator[list[object]]:
    for f in report.figures:
        yield [
            f.scope,
            f.document_id,
            f.category,
            f.attribute,
            f.measure,
            f.level,
            coders_text(f.coders),
            len(f.coders),
            f.value,
            f.units_paired,
            f.units_total,
        ]


def unit_rows(report: AgreementReport) -> Iterator[list[object]]:
    columns = value_columns(report)
    readable = _Readable(report)
    position = {(t.category, t.key): i for i, (t, _a, _b) in enumerate(columns)}
    blank: list[object] = ["", ""] * len(columns)
    for unit in report.units:
        coders = [c for c in report.coders if c in report.coded_by[unit.document_id]]
        head: list[object] = [
            unit.key,
            unit.document_id,
            unit.category,
            unit.start,
            unit.end,
            len(unit.spans),
        ]
        for coder in coders:
            span = unit.spans.get(coder)
            if span is None:
                yield [*head, coder, "", "", "", "", *blank]
                continue
            cells = list(blank)
            for thing in report.compared.get(unit.category, ()):
                value = span.values.get(thing.key)
                i = position[(thing.category, thing.key)]
                cells[2 * i] = readable.text(thing, value)
                cells[2 * i + 1] = _ident(value)
            quote = report.source.quotes.get(span.annotation_id, "")
            yield [*head, coder, span.annotation_id, span.start, span.end, quote, *cells]


def agreement_tables(report: AgreementReport) -> list[ExportTable]:
    values = [column for _t, a, b in value_columns(report) for column in (a, b)]
    return [
        ExportTable(
            AGREEMENT,
            "agreement between coders: one row per scope × category × attribute × "
            "measure × coder set",
            AGREEMENT_SPECS,
            list(figure_rows(report)),
        ),
        ExportTable(
            AGREEMENT_UNITS,
            "every matched or unmatched unit, one row per coder who coded its document: "
            "the coder's span and values",
            [*UNIT_SPECS, *values],
            list(unit_rows(report)),
        ),
    ]


def method_text(report: AgreementReport) -> str:
    """How units were matched and which formulas were used (the dictionary's paragraph)."""
    rule: MatchRule = report.rule
    return f"""\
## How agreement was computed

Coders compared: {", ".join(report.coders)}. Documents: the {len(report.documents)}
coded by at least two of them. A coder coded a document the lead gave them (Team ▸
Prepare Coder Copies), whether or not they marked anything there (a unit they did not
mark is then theirs missing), or one in which they made an annotation (in a project
without assignments, the only rule).

**Units.** Within one document and category, two coders' spans are matched when the code
points they share are at least {rule.min_overlap:.0%} of the code points either covers
(overlap over union). Candidate pairs are taken best first (highest ratio; ties by the
earlier position, then by annotation id); a pair joins its spans' units when the joined
unit still holds one span per coder and every two of its spans meet the bound. Every
span is in exactly one unit; a unit with one coder's span is unmatched, and the other
coders count as missing values there. Matching is done once over all coders compared;
a pair's figures use the same units.

**Scopes.** `pooled`: all coders over all these documents, every unit counted once (the
figure to publish; not an average of per-document figures). `document`: the coders who
coded that document. `pair`: two coders over the documents both coded.

**Measures** (nominal values unless a level is given; a reference is compared by the
registry actor it resolves to, directly or through an actor mention, else by the unit of
the annotation it points to; a polarity is also compared on its numeric codes, ordinal
and interval (a choice without a code, such as ambivalent, is then missing); numbers
interval; yes/no nominal; text and dates are not compared):

- `units_matched`: units with spans of two or more coders / all units.
- `unitizing_alpha`: Krippendorff's αu (Krippendorff 1995, 2004: *Content Analysis*,
  pp. 251–256) for the category over the documents every coder of the scope coded, laid
  end to end in project order as one continuum of code points; each coder's overlapping
  spans of one category are joined first. D_o sums (b_g−b_h)²+(e_g−e_h)² over
  overlapping units and l² for a unit inside the other coder's gap; D_e as in the book.
- `krippendorff_alpha`: α = 1 − (n−1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck over the coincidence
  matrix of pairable values (units with two or more values); δ² nominal, ordinal, interval
  as in Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability".
- `percent_agreement`: agreeing pairs of values within units over all pairs, averaged
  over units with two or more values.
- `cohen_kappa` (two coders): (p_o − p_e)/(1 − p_e), p_e from each coder's own
  distribution over the units both coded (Cohen 1960).
- `fleiss_kappa` (more coders): (P_a − P_e)/(1 − P_e), P_e = Σ π_k² (Fleiss 1971; with
  missing values Gwet's generalisation: π_k over units with at least one value).
- `gwet_ac1`: (P_a − P_e)/(1 − P_e), P_e = Σ π_k(1 − π_k)/(q − 1), q the categories given
  (Gwet 2008).
- Claims: `stance_polarity` is the polarity of the stance whose target is the claim (the
  first in the text if several); `claim_record` is (claimant, issue, stance polarity) as
  one value.

`units_paired` is the number of units a figure rests on; `units_total` all units of the
category in the scope, so unmatched units show in every figure as the difference.
"""


def agreement_markdown(tables: Sequence[ExportTable], report: AgreementReport) -> str:
    lines = [
        "# Data dictionary: agreement between coders",
        "",
        "Written by `annotator team agreement` (UTF-8 without BOM, LF). Offsets are "
        "Unicode code points, `[start, end)`.",
        "",
        "| file | content |",
        "| --- | --- |",
        *(f"| `{t.name}.csv` | {_cell(t.description)} |" for t in tables),
        f"| `{DICTIONARY_NAME}.csv` | these columns, one row each |",
        "",
        method_text(report),
    ]
    for t in tables:
        lines += [
            f"## {t.name}.csv",
            "",
            "| column | type | description | allowed values |",
            "| --- | --- | --- | --- |",
            *(
                f"| `{_cell(c.name)}` | {c.type} | {_cell(c.description)} | "
                f"{_cell(_allowed(c.value_labels, c.allowed))} |"
                for c in t.columns
            ),
            "",
        ]
    lines.append(loading_snippets("analysis"))
    return "\n".join(lines)


class AgreementRefused(ValueError):
    """The folder or the coders asked for cannot be used."""


def write_agreement(
    project: Project,
    out: str | Path,
    coders: Sequence[str] | None = None,
    rule: MatchRule = DEFAULT_RULE,
    progress: Progress | None = None,
) -> AgreementReport:
    """Compute the report and write its files into ``out`` (made if missing). A folder
    holding an export (its manifest.json) is refused: the dictionary would replace the
    export's."""
    folder = Path(out)
    if (folder / "manifest.json").exists():
        raise AgreementRefused(
            f"{folder} holds an export (manifest.json): write the agreement files into "
            "a folder of their own"
        )
    with gc_paused():  # a million small objects, none in a reference cycle
        report = _report(project, coders, rule, progress)
        folder.mkdir(parents=True, exist_ok=True)
        tables = agreement_tables(report)
    files = {
        f"{DICTIONARY_NAME}.csv": ExportTable(
            DICTIONARY_NAME,
            "",
            *dictionary_body(tables),
        ),
        **{f"{t.name}.csv": t for t in tables},
    }
    for name, table in files.items():
        partial = folder / f".{name}.partial"
        write_csv(table, partial)
        os.replace(partial, folder / name)
    markdown = folder / ".DATA_DICTIONARY.md.partial"
    markdown.write_text(agreement_markdown(tables, report), encoding="utf-8")
    os.replace(markdown, folder / "DATA_DICTIONARY.md")
    return report


def agreement(
    project: Project,
    coders: Sequence[str] | None = None,
    out: str | Path | None = None,
    min_overlap: float = DEFAULT_RULE.min_overlap,
    progress: Progress | None = None,
) -> AgreementReport:
    """The scripting API: the agreement report of ``coders`` (default: every coder who
    made annotations), its files written into ``out`` when given."""
    if not 0 <= min_overlap <= 1:
        raise AgreementRefused("the overlap a match needs is a share from 0 to 1")
    rule = MatchRule(min_overlap)
    if out is not None:
        return write_agreement(project, out, coders, rule, progress)
    with gc_paused():  # a million small objects, none in a reference cycle
        return _report(project, coders, rule, progress)


def _report(
    project: Project, coders: Sequence[str] | None, rule: MatchRule, progress: Progress | None
) -> AgreementReport:
    try:
        return build_report(read_agreement_source(project, coders), coders, rule, progress)
    except ValueError as exc:
        raise AgreementRefused(str(exc)) from exc
