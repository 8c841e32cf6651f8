"""actors.csv (the registry) and codebook.csv (categories, attributes, choices)."""

from __future__ import annotations

from collections.abc import Iterator

from annotator.exporting.data import ExportData, Table, flag

ACTOR_COLUMNS = (
    "actor_id",
    "name",
    "type",
    "country",
    "aliases",
    "notes",
    "mention_count",
)

CODEBOOK_COLUMNS = (
    "category_key",
    "category_label",
    "category_colour",
    "category_hotkey",
    "attribute_key",
    "attribute_label",
    "attribute_type",
    "required",
    "targets",
    "choice_label",
    "choice_code",
    "choice_id",
)

SEPARATOR = " | "


def actor_table(data: ExportData) -> Table:
    """The registry, by name (ignoring case), then exact name, then id."""
    actors = sorted(data.actors, key=lambda a: (a.name.casefold(), a.name, a.id))
    return (
        ACTOR_COLUMNS,
        (
            (
                a.id,
                a.name,
                a.type,
                a.country,
                SEPARATOR.join(a.aliases),
                a.notes,
                a.mention_count,
            )
            for a in actors
        ),
    )


def _codebook_rows(data: ExportData) -> Iterator[list[object]]:
    codebook = data.codebook
    for category in codebook.categories:
        head = [category.key, category.label, category.colour, category.hotkey]
        attributes = codebook.attributes_of(category.key)
        if not attributes:
            yield [*head, "", "", "", "", "", "", "", ""]
        for attribute in attributes:
            middle = [
                attribute.key,
                attribute.label,
                str(attribute.type),
                flag(attribute.required),
                SEPARATOR.join(attribute.targets),
            ]
            if not attribute.choices:
                yield [*head, *middle, "", "", ""]
            for choice in attribute.choices:
                yield [*head, *middle, choice.label, choice.code_text, choice.id]


def codebook_table(data: ExportData) -> Table:
    return CODEBOOK_COLUMNS, _codebook_rows(data)
