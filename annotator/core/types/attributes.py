"""Attribute types: one definition per type.

A definition says everything type-specific about an attribute: its name and the
label the codebook editor lists, how typed input becomes a stored
:class:`~annotator.core.codebook.Value`, what the store accepts (checked on
every write, with a message naming the attribute), which export columns it
fills with which dictionary type, and how a value becomes their cells. Its
editor in the attribute panel is the one Qt-side part (``qt/coding``).

Adding a type: a definition here, listed in ``ATTRIBUTE_TYPES``. The store,
the export, the codebook editor and the codebook file take it from there; the
attribute panel edits it in a line unless ``qt/coding/attribute_panel.py``
gives it an editor of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from annotator.core.codebook import Attribute, AttributeType, Choice, Codebook, Value
from annotator.core.types.columns import (
    DATE,
    ID,
    INTEGER,
    NO_WORDS,
    NUMBER,
    STRING,
    YES_NO,
    YES_WORDS,
    Cells,
    ColumnPlan,
    Resolver,
    coded_choices,
    lookup,
    number_text,
)
from annotator.core.types.dates import DATE_FORMS, check_date

# Category key of actor mentions: a reference that may point to one gets an ``_actor`` column.
ACTOR_CATEGORY = "actor"
REFERENCE_KINDS = ("annotation", "actor", "choice")
_FIELDS = ("text", "number", "choice_id", "annotation_id", "actor_id")


class Target(NamedTuple):
    """A referenced annotation, as far as checking a reference needs it."""

    category: str  # its category key
    document_id: str


class Where(NamedTuple):
    """Where a value is written, and what checking it may look up."""

    codebook: Codebook
    annotation_id: str
    document_id: str
    target: Callable[[str], Target | None]  # annotation id → its category and document
    actor_exists: Callable[[str], bool]


def given_fields(value: Value) -> list[str]:
    """The fields of ``value`` that hold something (empty text counts as nothing)."""
    return [f for f in _FIELDS if getattr(value, f) not in (None, "")]


def _shown(text: str | None) -> str:
    if text is None:
        return ""
    return text if len(text) <= 40 else text[:39] + "…"


class AttributeKind:
    """The behaviour every type shares; a type overrides what differs."""

    name: str = ""
    label: str = ""  # in the codebook editor's list of types
    hint: str = ""  # placeholder of a typed-in value's field
    field: str = "text"  # the Value field a value of the type is stored in
    has_choice_list = False  # its own choices, edited in the codebook
    takes_targets = False  # says what it may point to (category:KEY, registry, choices:C.A)
    repeated_cells = False  # export cells come from a few texts (labels, names)

    # -- input and storage ----------------------------------------------------------
    def parse(self, attribute: Attribute, text: str, codebook: Codebook) -> Value:
        """The value typed in as ``text`` (stripped; empty clears); ``ValueError`` if it
        does not fit."""
        text = text.strip()
        if not text:
            return Value(attribute.id)
        return self._parse(attribute, text, codebook)

    def _parse(self, attribute: Attribute, text: str, codebook: Codebook) -> Value:
        return Value(attribute.id, text=text)  # a type stored elsewhere parses for itself

    def check(self, attribute: Attribute, value: Value, where: Where) -> None:
        """Refuse (``ValueError``) a non-empty value the type does not accept."""
        given = given_fields(value)
        if given != [self.field]:
            raise ValueError(f"“{attribute.label}” takes {self._takes()}, not {_what(value)}.")
        self._check(attribute, value, where)

    def _takes(self) -> str:
        return {"text": "text", "number": "a number", "choice_id": "one of its choices"}.get(
            self.field, self.field
        )

    def _check(self, attribute: Attribute, value: Value, where: Where) -> None:
        pass

    def shown(self, value: Value | None) -> str:
        """The value as its field in the attribute panel shows it."""
        if value is None:
            return ""
        return value.text or ""

    # -- export ------------------------------------------------------------------------
    def columns(self, attribute: Attribute, what: str) -> tuple[ColumnPlan, ...]:
        """The export columns of the attribute (``what`` names it in descriptions)."""
        return (ColumnPlan("", STRING, what),)

    def cells(self, attribute: Attribute, resolver: Resolver) -> Cells:
        """The function that turns a value into the cells of :meth:`columns`."""
        return _text_cells


def _what(value: Value) -> str:
    given = given_fields(value)
    if len(given) > 1:
        return "several values at once"
    return {
        "text": f"text (“{_shown(value.text)}”)",
        "number": f"a number ({number_text(value.number)})",
        "choice_id": "a choice",
        "annotation_id": "a reference to an annotation",
        "actor_id": "a registry actor",
    }[given[0]]


def _text_cells(value: Value) -> tuple[str]:
    return (value.text if value.text is not None else number_text(value.number),)


class TextKind(AttributeKind):
    name, label = AttributeType.TEXT.value, "Text"


class NumberKind(AttributeKind):
    name, label, field = AttributeType.NUMBER.value, "Number", "number"

    def _parse(self, attribute: Attribute, text: str, codebook: Codebook) -> Value:
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ValueError(f"“{attribute.label}”: “{_shown(text)}” is not a number.")
        return Value(attribute.id, number=number)

    def _check(self, attribute: Attribute, value: Value, where: Where) -> None:
        if value.number is None or not math.isfinite(value.number):
            raise ValueError(f"“{attribute.label}” takes a finite number.")

    def shown(self, value: Value | None) -> str:
        return f"{value.number:g}" if value is not None and value.number is not None else ""

    def columns(self, attribute: Attribute, what: str) -> tuple[ColumnPlan, ...]:
        return (ColumnPlan("", NUMBER, what),)

    def cells(self, attribute: Attribute, resolver: Resolver) -> Cells:
        return _number_cells


def _number_cells(value: Value) -> tuple[str]:
    return (number_text(value.number) if value.number is not None else value.text or "",)


class BooleanKind(AttributeKind):
    name, label, field = AttributeType.BOOLEAN.value, "Yes/no", "number"

    def _parse(self, attribute: Attribute, text: str, codebook: Codebook) -> Value:
        word = text.lower()
        if word in YES_WORDS or word in NO_WORDS:
            return Value(attribute.id, number=1.0 if word in YES_WORDS else 0.0)
        raise ValueError(f"“{attribute.label}”: “{_shown(text)}” is not yes or no.")

    def _takes(self) -> str:
        return "yes (1) or no (0)"

    def _check(self, attribute: Attribute, value: Value, where: Where) -> None:
        if value.number not in (0, 1):
            raise ValueError(f"“{attribute.label}” takes yes (1) or no (0), not {_what(value)}.")

    def shown(self, value: Value | None) -> str:
        if value is None or value.number is None:
            return ""
        return "yes" if value.number else "no"

    def columns(self, attribute: Attribute, what: str) -> tuple[ColumnPlan, ...]:
        return (ColumnPlan("", INTEGER, f"{what} (1 yes, 0 no)", YES_NO),)

    def cells(self, attribute: Attribute, resolver: Resolver) -> Cells:
        return _boolean_cells


def _boolean_cells(value: Value) -> tuple[str]:
    if value.number is not None:
        return ("1" if value.number else "0",)
    text = (value.text or "").strip().lower()
    return ("1" if text in YES_WORDS else "0" if text in NO_WORDS else "",)


class ChoiceKind(AttributeKind):
    name, label, field = AttributeType.CHOICE.value, "Choice list", "choice_id"
    has_choice_list = True
    repeated_cells = True

    def _parse(self, attribute: Attribute, text: str, codebook: Codebook) -> Value:
        choices = codebook.choices_for(attribute)
        matchers: tuple[Callable[[Choice], bool], ...] = (
            lambda c: c.label == text,
            lambda c: c.label.casefold() == text.casefold(),
        )
        for same in matchers:
            found = [c for c in choices if same(c)]
            if found:
                return Value(attribute.id, choice_id=found[0].id)
        raise ValueError(f"“{attribute.label}” has no choice “{_shown(text)}”.")

    def _check(self, attribute: Attribute, value: Value, where: Where) -> None:
        if value.choice_id not in {c.id for c in where.codebook.choices_for(attribute)}:
            raise ValueError(f"“{attribute.label}”: that is not one of its choices.")

    def shown(self, value: Value | None) -> str:
        return ""  # chosen from a list

    def columns(self, attribute: Attribute, what: str) -> tuple[ColumnPlan, ...]:
        coded, uncoded = coded_choices(attribute.choices)
        return (
            ColumnPlan("", STRING, f"{what} (label)", coded, 1, uncoded),
            ColumnPlan(
                "_code", NUMBER, f"{what} (numeric code; empty if the choice has none)", coded
            ),
        )

    def cells(self, attribute: Attribute, resolver: Resolver) -> Cells:
        return resolver.choice_cells


class ReferenceKind(AttributeKind):
    name, label, field = AttributeType.REFERENCE.value, "Reference", ""  # one of three fields
    takes_targets = True
    repeated_cells = True

    def _parse(self, attribute: Attribute, text: str, codebook: Codebook) -> Value:
        raise ValueError(f"“{attribute.label}” is set by choosing what it points to.")

    def check(self, attribute: Attribute, value: Value, where: Where) -> None:
        """What the targets allow: an annotation of a target category in the same
        document, a registry actor if ``registry`` is a target, a choice of the
        ``choices:`` target's list. A reference without targets (a codebook file
        may leave them out) may point to any of these."""
        given = given_fields(value)
        if given not in (["annotation_id"], ["actor_id"], ["choice_id"]):
            raise ValueError(
                f"“{attribute.label}” points to an annotation, a registry actor or a"
                f" choice, not {_what(value)}."
            )
        label, anything = attribute.label, not attribute.targets
        if value.annotation_id is not None:
            if value.annotation_id == where.annotation_id:
                raise ValueError("An annotation cannot refer to itself.")
            target = where.target(value.annotation_id)
            if target is None:
                raise ValueError(f"“{label}”: the annotation it points to is not in the project.")
            if not anything and target.category not in attribute.target_categories():
                raise ValueError(f"“{label}” may not point to a “{target.category}” annotation.")
            if target.document_id != where.document_id:
                raise ValueError(f"“{label}” may only point to an annotation in the same document.")
        elif value.actor_id is not None:
            if not anything and not attribute.allows_registry():
                raise ValueError(f"“{label}” may not point to a registry actor.")
            if not where.actor_exists(value.actor_id):
                raise ValueError(f"“{label}”: the actor it points to is not in the registry.")
        elif anything:
            if where.codebook.choice(value.choice_id or "") is None:
                raise ValueError(f"“{label}”: the choice it points to is not in the codebook.")
        elif attribute.choice_source() is None:
            raise ValueError(f"“{label}” may not point to a choice.")
        elif value.choice_id not in {c.id for c in where.codebook.choices_for(attribute)}:
            raise ValueError(f"“{label}”: that choice is not one it may point to.")

    def shown(self, value: Value | None) -> str:
        return ""  # described by the panel's picker

    def may_name_actor(self, attribute: Attribute) -> bool:
        """Whether the reference may name an actor mention or a registry actor."""
        if not attribute.targets:
            return True
        return attribute.allows_registry() or ACTOR_CATEGORY in attribute.target_categories()

    def columns(self, attribute: Attribute, what: str) -> tuple[ColumnPlan, ...]:
        plans: tuple[ColumnPlan, ...] = (
            ColumnPlan("_id", ID, f"{what}: id of the referenced annotation, actor or choice"),
            ColumnPlan("_kind", STRING, f"{what}: what the id points to", allowed=REFERENCE_KINDS),
            ColumnPlan("", STRING, f"{what}: the annotation's quote, actor's name or label"),
        )
        if self.may_name_actor(attribute):
            plans += (ColumnPlan("_actor", STRING, f"{what}: the registry actor's name"),)
        return plans

    def cells(self, attribute: Attribute, resolver: Resolver) -> Cells:
        reference, width = resolver.reference, len(self.columns(attribute, ""))
        # The first ``width`` (at most four) fields are the texts of the columns.
        return lambda value: reference(value)[:width]  # type: ignore[return-value]


class DateKind(AttributeKind):
    name, label = AttributeType.DATE.value, "Date"
    hint = DATE_FORMS

    def _parse(self, attribute: Attribute, text: str, codebook: Codebook) -> Value:
        return Value(attribute.id, text=_date(attribute, text))

    def _check(self, attribute: Attribute, value: Value, where: Where) -> None:
        if _date(attribute, value.text or "") != value.text:
            raise ValueError(f"“{attribute.label}”: a date is written without spaces around it.")

    def columns(self, attribute: Attribute, what: str) -> tuple[ColumnPlan, ...]:
        return (ColumnPlan("", DATE, f"{what} ({DATE_FORMS})"),)


def _date(attribute: Attribute, text: str) -> str:
    try:
        return check_date(text)
    except ValueError as exc:
        raise ValueError(f"“{attribute.label}”: {exc}.") from None


# The registry, in the order the codebook editor lists the types.
ATTRIBUTE_TYPES: dict[str, AttributeKind] = {
    kind.name: kind
    for kind in (
        ChoiceKind(),
        TextKind(),
        NumberKind(),
        BooleanKind(),
        ReferenceKind(),
        DateKind(),
    )
}


def attribute_type(name: str) -> AttributeKind:
    """The definition of the attribute type called ``name``; ``ValueError`` if none."""
    return lookup(ATTRIBUTE_TYPES, name, "an attribute")
