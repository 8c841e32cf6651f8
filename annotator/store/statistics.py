"""Counts for the Statistics view, each one SQL pass: annotations by category,
coder, document, source and month (of the document's date), and stances by
month and polarity. The actor tables come from the export's own counts
(``exporting/statistics.py``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotator.store.project import Project

NO_DATE = "no date"
NO_SOURCE = "no source"
NO_POLARITY = "no polarity"


@dataclass
class Counts:
    """Annotations per category (keys), coder (names), document (id), source and
    month ("2024-03"; ``NO_DATE`` for documents without a date); stances per
    (month, polarity label)."""

    by_category: Counter[str] = field(default_factory=Counter)
    by_coder: Counter[str] = field(default_factory=Counter)
    by_document: Counter[str] = field(default_factory=Counter)
    by_source: Counter[str] = field(default_factory=Counter)
    by_month: Counter[str] = field(default_factory=Counter)
    stances: Counter[tuple[str, str]] = field(default_factory=Counter)


def _month(date: str) -> str:
    return date[:7] if len(date) >= 7 else (date or NO_DATE)


def count_annotations(
    project: Project, stance: str = "stance", polarity: str = "polarity"
) -> Counts:
    """The counts of the whole project (every coder)."""
    db = project.db
    counts = Counts()
    for category, coder, n in db.execute(
        "SELECT c.key, k.name, n FROM (SELECT category_id, coder_id, COUNT(*) AS n"
        " FROM annotations GROUP BY category_id, coder_id) g"
        " JOIN categories c ON c.id = g.category_id JOIN coders k ON k.id = g.coder_id"
    ):
        counts.by_category[category] += n
        counts.by_coder[coder] += n
    # The documents' counts are kept by the schema's triggers (document_counts).
    for doc_id, source, date, n in db.execute(
        "SELECT d.id, d.source, d.date, n.annotations FROM documents d"
        " JOIN document_counts n ON n.document_id = d.id"
    ):
        counts.by_document[doc_id] += n
        counts.by_source[source or NO_SOURCE] += n
        counts.by_month[_month(date)] += n
    for date, label, n in db.execute(
        "SELECT d.date, ch.label, COUNT(*) FROM annotations a"
        " JOIN categories c ON c.id = a.category_id AND c.key = ?"
        " JOIN documents d ON d.id = a.document_id"
        " LEFT JOIN attributes t ON t.category_id = c.id AND t.key = ?"
        " LEFT JOIN annotation_values v ON v.annotation_id = a.id AND v.attribute_id = t.id"
        " LEFT JOIN choices ch ON ch.id = v.choice_id GROUP BY d.date, ch.label",
        [stance, polarity],
    ):
        counts.stances[(_month(date), label or NO_POLARITY)] += n
    return counts
