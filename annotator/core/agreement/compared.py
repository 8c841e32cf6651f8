"""Which attributes agreement compares, at which levels, and the values it compares.

An attribute's type sets its levels of measurement: choice -> nominal (a polarity, whose
choices carry the codes +1, 0, -1, also ordinal and interval on the codes, a choice
without a code such as "ambivalent" then missing; other choices' codes are labels, not
scales); reference -> nominal, compared by what it resolves to (a registry actor, whether
named directly or through an actor mention; else the matched unit of the annotation it
points to; else the choice); number -> interval; yes/no -> nominal. Text and date
attributes are not compared.

Claims gain two compared values of their own: the polarity of the stance linked to the
claim (a stance whose ``target`` is the claim; the first in the text if several), and the
claim record: (claimant's registry actor, issue, linked stance polarity) as one value.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from annotator.core.agreement.alpha import Level
from annotator.core.agreement.source import SourceValue
from annotator.core.codebook import Attribute, Codebook

CLAIM = "claim"
STANCE = "stance"
LINKED_POLARITY = "stance_polarity"
CLAIM_RECORD = "claim_record"


@dataclass(frozen=True)
class Compared:
    """One compared attribute (or a claim's derived value) of one category."""

    category: str
    key: str  # attribute key, or LINKED_POLARITY / CLAIM_RECORD
    label: str
    type: str  # attribute type, or "claim" for the claim record
    levels: tuple[Level, ...]


class AnnotationRef(str):
    """A reference to an annotation that is no actor mention with a registry actor:
    resolved to the unit the annotation was matched into once units are known."""

    __slots__ = ()


POLARITY = "polarity"


def levels_of(attribute: Attribute) -> tuple[Level, ...]:
    if attribute.type == "choice":
        coded = any(choice.code is not None for choice in attribute.choices)
        if coded and attribute.key == POLARITY:
            return ("nominal", "ordinal", "interval")
        return ("nominal",)
    if attribute.type in ("reference", "boolean"):
        return ("nominal",)
    if attribute.type == "number":
        return ("interval",)
    return ()


def compared_attributes(codebook: Codebook) -> dict[str, list[Compared]]:
    """Category key -> what is compared for it, in codebook order."""
    found: dict[str, list[Compared]] = {}
    for category in codebook.categories:
        rows = found.setdefault(category.key, [])
        for attribute in codebook.attributes_of(category.key):
            levels = levels_of(attribute)
            if levels:
                rows.append(
                    Compared(category.key, attribute.key, attribute.label, attribute.type, levels)
                )
    polarity = codebook.attribute(STANCE, POLARITY)
    if CLAIM in found and polarity is not None and polarity.type == "choice":
        found[CLAIM].append(
            Compared(
                CLAIM, LINKED_POLARITY, "Linked stance polarity", "choice", levels_of(polarity)
            )
        )
        found[CLAIM].append(Compared(CLAIM, CLAIM_RECORD, "Claim record", "claim", ("nominal",)))
    return found


def raw_value(kind: str, row: SourceValue, mention_actor: dict[str, str]) -> Hashable:
    """The comparable form of a stored value of an attribute of type ``kind`` (None when
    it holds nothing to compare); ``mention_actor``: an actor mention's registry actor."""
    _annotation, _attribute, choice, number, actor, annotation = row
    if kind == "choice":
        return choice
    if kind in ("number", "boolean"):
        return number
    if kind == "reference":
        if actor is not None:
            return "actor:" + actor
        if annotation is not None:
            named = mention_actor.get(annotation)
            if named is not None:
                return "actor:" + named
            return AnnotationRef(annotation)
        if choice is not None:
            return "choice:" + choice
    return None


class Codes:
    """Choice id -> numeric code, for ordinal and interval levels."""

    def __init__(self, codebook: Codebook) -> None:
        self._codes = {
            choice.id: choice.code
            for attribute in codebook.attributes
            for choice in attribute.choices
            if choice.code is not None
        }

    def at(self, level: Level, value: object) -> Hashable:
        """``value`` as compared at ``level``: codes for ordinal/interval choices."""
        if value is None:
            return None
        if level == "nominal":
            return value
        if isinstance(value, str):
            return self._codes.get(value)
        if isinstance(value, int | float):
            return float(value)
        return None
