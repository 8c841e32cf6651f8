"""The codebook: categories, their typed attributes and allowed values."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from annotator.core.model import Category


class AttributeType(StrEnum):
    """The built-in attribute types by name (an attribute's ``type`` is the name of
    any type in ``annotator.core.types.ATTRIBUTE_TYPES``)."""

    CHOICE = "choice"
    TEXT = "text"
    NUMBER = "number"
    BOOLEAN = "boolean"
    REFERENCE = "reference"
    DATE = "date"


# What a reference attribute may point to (its ``targets``):
#   "category:KEY"        an annotation of that category
#   "registry"            an actor in the project's registry
#   "choices:CAT.ATTR"    a value of another attribute's choice list (e.g. an issue)
REGISTRY = "registry"


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    attribute_id: str
    label: str
    code: float | None
    colour: str
    position: int

    @property
    def code_text(self) -> str:
        """The numeric code as a statistician writes it: ``1``, ``-1``, ``0.5``, or empty."""
        if self.code is None:
            return ""
        return str(int(self.code)) if float(self.code).is_integer() else str(self.code)


@dataclass(frozen=True, slots=True)
class Attribute:
    id: str
    category_id: str
    key: str
    label: str
    type: str  # a name in annotator.core.types.ATTRIBUTE_TYPES
    required: bool
    description: str
    position: int
    targets: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()

    def target_categories(self) -> tuple[str, ...]:
        return tuple(t.split(":", 1)[1] for t in self.targets if t.startswith("category:"))

    def allows_registry(self) -> bool:
        return REGISTRY in self.targets

    def choice_source(self) -> tuple[str, str] | None:
        """``(category_key, attribute_key)`` whose choices this reference may take."""
        for target in self.targets:
            if target.startswith("choices:"):
                cat, _, attr = target.split(":", 1)[1].partition(".")
                return cat, attr
        return None


@dataclass(frozen=True, slots=True)
class Codebook:
    categories: tuple[Category, ...]
    attributes: tuple[Attribute, ...]
    _by_key: dict[str, Category] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({c.key: c for c in self.categories})

    def category(self, key: str) -> Category:
        return self._by_key[key]

    def category_by_id(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def attributes_of(self, category_key: str) -> list[Attribute]:
        category = self._by_key.get(category_key)
        if category is None:
            return []
        return [a for a in self.attributes if a.category_id == category.id]

    def attribute(self, category_key: str, attribute_key: str) -> Attribute | None:
        return next((a for a in self.attributes_of(category_key) if a.key == attribute_key), None)

    def attribute_by_id(self, attribute_id: str) -> Attribute:
        return next(a for a in self.attributes if a.id == attribute_id)

    def choice(self, choice_id: str) -> Choice | None:
        for attribute in self.attributes:
            for choice in attribute.choices:
                if choice.id == choice_id:
                    return choice
        return None

    def choices_for(self, attribute: Attribute) -> tuple[Choice, ...]:
        """The choices a value of ``attribute`` may take (its own or borrowed)."""
        if attribute.type == AttributeType.CHOICE:
            return attribute.choices
        source = attribute.choice_source()
        if source is not None:
            other = self.attribute(*source)
            if other is not None:
                return other.choices
        return ()


class Value(NamedTuple):
    """One attribute's value on one annotation; exactly one field is set.

    A named tuple: a long document's values number in the tens of thousands.
    """

    attribute_id: str
    text: str | None = None
    number: float | None = None
    choice_id: str | None = None
    annotation_id: str | None = None  # a referenced annotation
    actor_id: str | None = None  # a registry actor

    def is_empty(self) -> bool:
        return (
            (self.text is None or self.text == "")
            and self.number is None
            and self.choice_id is None
            and self.annotation_id is None
            and self.actor_id is None
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor in the project's registry."""

    id: str
    name: str
    type: str
    country: str
    notes: str
    aliases: tuple[str, ...] = ()
    mention_count: int = 0

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)
