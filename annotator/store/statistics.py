"""Counts for the Statistics view, each one SQL pass: annotations by category,
coder, document, source and month (of the document's date), and stances by
month and polarity. The actor tables come from the export's own counts
(``exporting/statistics.py``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
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


def count_annotations(project: Project) -> Counts:
    """The counts of the whole project (every coder) but the stances'."""
    db = project.db
    counts = Counts()
    for category, coder, n in db.execute(
        "SELECT c.key, k.name, n FROM (SELECT category_id, coder_id, COUNT(*) AS n"
        " FROM annotations GROUP BY category_id, coder_id) g"
        " JOIN categories c ON c.id = g.category_id JOIN coders k ON k.id = g.coder_id"
    ):
        counts.by_category[category] += n
        counts.by_coder[coder] += n
    # The documents' counts are kept by the schema's triggers (document_counts); a
    # document's own row is never read (it holds the text): its fields come from the
    # index the document list reads.
    documents = {d.id: d for d in project.documents(counts=False)}
    for doc_id, n in db.execute("SELECT document_id, annotations FROM document_counts"):
        doc = documents.get(doc_id)
        if doc is None:
            continue
        counts.by_document[doc_id] += n
        counts.by_source[doc.source or NO_SOURCE] += n
        counts.by_month[_month(doc.date)] += n
    return counts


def count_stances(
    project: Project, stance: str = "stance", polarity: str = "polarity"
) -> Counter[tuple[str, str]]:
    """Stances by (month of the document's date, polarity label)."""
    db = project.db
    counts = Counts()
    documents = {d.id: d for d in project.documents(counts=False)}
    codebook = project.codebook()
    attribute = codebook.attribute(stance, polarity)
    try:
        stance_id = codebook.category(stance).id
    except KeyError:
        return counts.stances
    labels = {c.id: c.label for c in attribute.choices} if attribute is not None else {}
    held: Counter[str] = Counter()  # stances with a polarity, by document
    if labels:
        # Two narrow index reads joined here: the stances' documents (the category
        # index holds each annotation's key) and the annotations holding each
        # polarity. SQLite's own join would read each stance's row (its quote).
        document_of = dict(
            db.execute(
                "SELECT id, document_id FROM annotations INDEXED BY annotations_by_category"
                " WHERE category_id = ?",
                [stance_id],
            ).fetchall()
        )
        marks = ", ".join("?" * len(labels))
        params: list[str] = list(labels)
        sql = (
            "SELECT choice_id, annotation_id FROM annotation_values INDEXED BY values_by_choice"
            f" WHERE choice_id IN ({marks})"
        )
        # Another stance attribute taking the polarity's choices holds them too: only
        # then is each value's attribute looked at (a look into its row).
        if any(a.choice_source() == (stance, polarity) for a in codebook.attributes_of(stance)):
            sql += " AND attribute_id = ?"
            params.append(attribute.id)  # type: ignore[union-attr]
        by_document: Counter[tuple[str, str]] = Counter()
        for choice_id, annotation_id in db.execute(sql, params):
            doc_id = document_of.get(annotation_id)
            if doc_id is not None:
                by_document[(doc_id, choice_id)] += 1
        del document_of
        for (doc_id, choice_id), n in by_document.items():
            doc = documents.get(doc_id)
            counts.stances[(_month(doc.date) if doc else NO_DATE, labels[choice_id])] += n
            held[doc_id] += n
    for doc_id, n in db.execute(
        "SELECT document_id, COUNT(*) FROM annotations WHERE category_id = ? GROUP BY document_id",
        [stance_id],
    ):
        if n > held[doc_id]:
            doc = documents.get(doc_id)
            counts.stances[(_month(doc.date) if doc else NO_DATE, NO_POLARITY)] += n - held[doc_id]
    return counts.stances


def stances_by_month(
    project: Project,
    stances: Iterable[tuple[str, str, str]],
    polarity: Mapping[str, str],
    stance: str = "stance",
    attribute: str = "polarity",
) -> Counter[tuple[str, str]]:
    """What :func:`count_stances` counts, from every coder's stances (id, coder id,
    document id) and their polarity (stance id → choice id) read already (the
    actor tables' reads, ``store/stance_reads.py``)."""
    found = project.codebook().attribute(stance, attribute)
    labels = {c.id: c.label for c in found.choices} if found is not None else {}
    months = {d.id: _month(d.date) for d in project.documents(counts=False)}
    by_document: Counter[tuple[str, str]] = Counter(
        (document, labels.get(polarity.get(ident, ""), NO_POLARITY))
        for ident, _coder, document in stances
    )
    counts: Counter[tuple[str, str]] = Counter()
    for (document, label), n in by_document.items():
        counts[(months.get(document, NO_DATE), label)] += n
    return counts
