"""Wide summaries: document_by_category.csv and actor_by_polarity.csv."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.core.codebook import Actor
from annotator.core.types import attribute_type
from annotator.exporting.data import STANCE, ExportData
from annotator.exporting.model import ID, INTEGER, STRING, Column, TableBody, unique_name

if TYPE_CHECKING:
    from annotator.exporting.actor_counts import ActorCounts
    from annotator.exporting.tallies import Tallies

NO_POLARITY = "no_polarity"
CODER = "coder"  # the last column of every summary and network: whose annotations


def coder_key(coder: str) -> tuple[str, str]:
    """The order of coders in a summary: by name, ignoring case."""
    return coder.casefold(), coder


def by_coder(counts: dict[str, list[int]], width: int) -> list[tuple[list[int], str]]:
    """Each coder's counts in coder order; one row of zeros, no coder, for none."""
    if not counts:
        return [([0] * width, "")]
    return [(counts[c], c) for c in sorted(counts, key=coder_key)]


def document_by_category(data: ExportData, tallies: Tallies) -> TableBody:
    """One row per document and coder: annotations per category, and per choice
    value (a document nobody annotated: one row of zeros, no coder)."""
    codebook = data.codebook
    names: list[str] = []
    meanings: list[str] = []
    for category in codebook.categories:
        names.append(category.key)
        meanings.append(f"number of {category.label} annotations")
    for category in codebook.categories:
        for attribute in codebook.attributes_of(category.key):
            if not attribute_type(attribute.type).has_choice_list:
                continue
            for choice in attribute.choices:
                names.append(f"{category.key}.{attribute.key}={choice.label}")
                meanings.append(
                    f"number of {category.label} annotations with {attribute.label} "
                    f"= {choice.label}"
                )
    names = label_columns(names, ("document_id", "document_title", CODER))
    columns = [
        Column("document_id", ID, "the document; joins documents.csv"),
        Column("document_title", STRING, "the document's title"),
        *(Column(n, INTEGER, m) for n, m in zip(names, meanings, strict=True)),
        Column(CODER, STRING, "the coder whose annotations are counted (empty: nobody's)"),
    ]
    counts, width = tallies.by_document, len(names)
    rows = [
        [d.id, d.title, *row, coder]
        for d in data.documents
        for row, coder in by_coder(counts[d.id], width)
    ]
    return TableBody(columns, rows)


def label_columns(labels: list[str], fixed: tuple[str, ...]) -> list[str]:
    """Column names for choice labels beside the ``fixed`` columns of a table: a
    label that repeats a fixed name (or an earlier label) becomes ``label_2``…;
    the fixed columns keep their names."""
    taken = set(fixed)
    return [unique_name(label, taken) for label in labels]


def polarity_labels(data: ExportData) -> list[str]:
    attribute = data.attribute(STANCE, "polarity")
    return [c.label for c in attribute.choices] if attribute is not None else []


def actor_by_polarity(actors: Sequence[Actor], tallies: ActorCounts) -> TableBody:
    """One row per registry actor and coder: the stances it holds, by polarity
    (an actor holding none: one row of zeros, no coder). The holder is the
    registry actor directly or through the mention's ``actor`` value."""
    labels = tallies.labels
    names = [
        *label_columns(labels, ("actor_id", "name", NO_POLARITY, "stances", CODER)),
        NO_POLARITY,
        "stances",
    ]
    ordered = sorted(actors, key=lambda a: (a.name.casefold(), a.name, a.id))
    columns = [
        Column("actor_id", ID, "the registry actor; joins actors.csv"),
        Column("name", STRING, "the actor's canonical name"),
        *(
            Column(n, INTEGER, f"stances held with polarity {label}")
            for n, label in zip(names, labels, strict=False)
        ),
        Column(names[-2], INTEGER, "stances held without a polarity"),
        Column(names[-1], INTEGER, "all stances held"),
        Column(CODER, STRING, "the coder whose stances are counted (empty: nobody's)"),
    ]
    counts, width = tallies.by_actor, len(labels) + 2
    rows = [
        [a.id, a.name, *row, coder]
        for a in ordered
        for row, coder in by_coder(counts.get(a.id, {}), width)
    ]
    return TableBody(columns, rows)
