"""Wide summaries: document_by_category.csv and actor_by_polarity.csv."""

from __future__ import annotations

from annotator.core.types import attribute_type
from annotator.exporting.claims import Links
from annotator.exporting.data import STANCE, ExportData
from annotator.exporting.model import ID, INTEGER, STRING, Column, TableBody, unique_name

NO_POLARITY = "no_polarity"


def document_by_category(data: ExportData) -> TableBody:
    """One row per document: annotations per category, and per choice value."""
    codebook = data.codebook
    keys: list[tuple[str, str]] = []  # (category key, "") or (attribute id, choice id)
    names: list[str] = []
    meanings: list[str] = []
    for category in codebook.categories:
        keys.append((category.key, ""))
        names.append(category.key)
        meanings.append(f"number of {category.label} annotations")
    for category in codebook.categories:
        for attribute in codebook.attributes_of(category.key):
            if not attribute_type(attribute.type).has_choice_list:
                continue
            for choice in attribute.choices:
                keys.append((attribute.id, choice.id))
                names.append(f"{category.key}.{attribute.key}={choice.label}")
                meanings.append(
                    f"number of {category.label} annotations with {attribute.label} "
                    f"= {choice.label}"
                )
    names = label_columns(names, ("document_id", "document_title"))
    index = {key: i for i, key in enumerate(keys)}
    counts = {d.id: [0] * len(keys) for d in data.documents}
    values = data.values
    for a in data.annotations:
        row = counts[a.document_id]
        i = index.get((a.category, ""))
        if i is not None:
            row[i] += 1
        for attribute_id, value in values.get(a.id, {}).items():
            if value.choice_id is not None:
                j = index.get((attribute_id, value.choice_id))
                if j is not None:
                    row[j] += 1
    columns = [
        Column("document_id", ID, "the document; joins documents.csv"),
        Column("document_title", STRING, "the document's title"),
        *(Column(n, INTEGER, m) for n, m in zip(names, meanings, strict=True)),
    ]
    rows = [[d.id, d.title, *counts[d.id]] for d in data.documents]
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


def actor_by_polarity(data: ExportData, links: Links) -> TableBody:
    """One row per registry actor: the stances it holds, by polarity. The holder
    is the registry actor directly or through the mention's ``actor`` value."""
    labels = polarity_labels(data)
    names = [
        *label_columns(labels, ("actor_id", "name", NO_POLARITY, "stances")),
        NO_POLARITY,
        "stances",
    ]
    slot = {label: i for i, label in enumerate(labels)}
    counts = {a.id: [0] * len(names) for a in data.actors}
    for stance in links.stances.values():
        actor = stance.holder.actor
        if actor is None or actor.id not in counts:
            continue
        row = counts[actor.id]
        row[slot.get(stance.polarity[0], len(labels))] += 1
        row[-1] += 1
    actors = sorted(data.actors, key=lambda a: (a.name.casefold(), a.name, a.id))
    columns = [
        Column("actor_id", ID, "the registry actor; joins actors.csv"),
        Column("name", STRING, "the actor's canonical name"),
        *(
            Column(n, INTEGER, f"stances held with polarity {label}")
            for n, label in zip(names, labels, strict=False)
        ),
        Column(names[-2], INTEGER, "stances held without a polarity"),
        Column(names[-1], INTEGER, "all stances held"),
    ]
    return TableBody(columns, [[a.id, a.name, *counts[a.id]] for a in actors])
