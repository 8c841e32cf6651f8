"""The Statistics view's tables, each with the chart drawn from it: counts by
category, coder, document, source and month, stances over time, and the
export's actor × polarity and actor × issue tables."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotator.core.codebook import Codebook
from annotator.core.model import Document
from annotator.exporting.model import TableBody
from annotator.store.statistics import NO_DATE, NO_POLARITY, Counts

Row = list[object]
CHART_ROWS = 30  # bars for the largest ones


@dataclass
class StatTable:
    name: str  # file names: NAME.csv, NAME.png
    title: str
    headers: list[str]
    rows: list[Row]
    kind: str = "bars"  # or "lines"
    labels: list[str] = field(default_factory=list)
    series: list[tuple[str, list[float]]] = field(default_factory=list)


def _counted(
    name: str, title: str, what: str, counts: Counter[str], names: dict[str, str]
) -> StatTable:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0]).casefold()))
    rows: list[Row] = [[names.get(k, k), n] for k, n in ordered]
    top = rows[:CHART_ROWS]
    return StatTable(
        name,
        title,
        [what, "annotations"],
        rows,
        labels=[str(r[0]) for r in top],
        series=[("annotations", [float(r[1]) for r in top])],  # type: ignore[arg-type]
    )


def count_tables(counts: Counts, codebook: Codebook, documents: list[Document]) -> list[StatTable]:
    labels = {c.key: c.label for c in codebook.categories}
    titles = {d.id: d.title for d in documents}
    by_category = Counter({c.key: counts.by_category.get(c.key, 0) for c in codebook.categories})
    tables = [
        _counted("by_category", "Annotations by category", "category", by_category, labels),
        _counted("by_coder", "Annotations by coder", "coder", counts.by_coder, {}),
        _counted("by_document", "Annotations by document", "document", counts.by_document, titles),
        _counted("by_source", "Annotations by source", "source", counts.by_source, {}),
    ]
    months = sorted(m for m in counts.by_month if m != NO_DATE)
    rows: list[Row] = [[m, counts.by_month[m]] for m in months]
    if NO_DATE in counts.by_month:
        rows.append([NO_DATE, counts.by_month[NO_DATE]])
    tables.append(
        StatTable(
            "by_month",
            "Annotations by month (document date)",
            ["month", "annotations"],
            rows,
            "lines",
            months,
            [("annotations", [float(counts.by_month[m]) for m in months])],
        )
    )
    return tables


def stance_table(stances: Counter[tuple[str, str]], codebook: Codebook) -> StatTable:
    """Stances by month of the document's date, one column and line per polarity."""
    polarity = codebook.attribute("stance", "polarity")
    order = [c.label for c in polarity.choices] if polarity is not None else []
    found = {label for _, label in stances}
    order += sorted(found - set(order) - {NO_POLARITY}) + [NO_POLARITY]
    months = sorted({m for m, _ in stances if m != NO_DATE})
    rows: list[Row] = [[m, *(stances.get((m, p), 0) for p in order)] for m in months]
    if any(m == NO_DATE for m, _ in stances):
        rows.append([NO_DATE, *(stances.get((NO_DATE, p), 0) for p in order)])
    return StatTable(
        "stances_by_month",
        "Stances over time (document date), by polarity",
        ["month", *order],
        rows,
        "lines",
        months,
        [(p, [float(stances.get((m, p), 0)) for m in months]) for p in order],
    )


def body_table(name: str, title: str, body: TableBody, label_columns: int) -> StatTable:
    """An export table as the view shows it; the chart stacks the count columns
    (all but the first ``label_columns`` and the totals) of the rows with most stances."""
    headers = [c.name for c in body.columns]
    rows: list[Row] = [list(r) for r in body.rows]
    total = headers.index("stances")
    first = headers.index("weight") + 1 if "weight" in headers else label_columns
    ranked = sorted(rows, key=lambda r: -int(r[total]))[:CHART_ROWS]  # type: ignore[call-overload]
    ranked = [r for r in ranked if int(r[total])]  # type: ignore[call-overload]
    series = [  # the legend says "no polarity" as the stances over time do
        (headers[j].replace("_", " "), [float(r[j]) for r in ranked])  # type: ignore[arg-type]
        for j in range(first, total)
    ]
    return StatTable(
        name,
        title,
        headers,
        rows,
        "bars",
        [_bar_label(r, label_columns, headers) for r in ranked],
        series,
    )


def _bar_label(row: Row, label_columns: int, headers: list[str]) -> str:
    """A bar's label: the row's label columns but the id, and its coder (an actor's
    rows are one a coder)."""
    parts = [str(c) for c in row[1:label_columns]]
    if headers[-1] == "coder" and row[-1]:
        parts.append(f"({row[-1]})")
    return " · ".join(parts)
