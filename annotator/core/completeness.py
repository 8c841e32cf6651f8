"""When an annotation is incomplete: it lacks a value for a required attribute.

The one rule the export's ``incomplete`` column, the annotation table and the
attribute panel all use; the store's schema applies it in SQL (the triggers of
step 5 in store/schema.py keep the document counts and "only incomplete").
"""

from __future__ import annotations

from collections.abc import Set

from annotator.core.codebook import Codebook

NOTHING: frozenset[str] = frozenset()


def missing_required(required: Set[str], given: Set[str]) -> Set[str]:
    """The ``required`` attribute ids that ``given`` (the ids of the attributes an
    annotation has values for) lacks. The annotation is incomplete when any are."""
    return NOTHING if required <= given else required - given


def required_by_category(codebook: Codebook) -> dict[str, frozenset[str]]:
    """Category key → ids of its required attributes (categories without any left out)."""
    return {
        category.key: ids
        for category in codebook.categories
        if (ids := frozenset(a.id for a in codebook.attributes_of(category.key) if a.required))
    }
