"""The codebook as REFI-QDA codes, GUIDs, and attribute values as readable lines."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.core.codebook import Actor, Attribute, AttributeType, Codebook, Value
from annotator.core.types.columns import number_text

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_RGB = re.compile(r"#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})")
# GUIDs made for what has no id of its own (a Coding, a document field): UUID 5
# in this namespace, from the ids of what they belong to, so the same project
# always gets the same GUIDs.
NAMESPACE = uuid.UUID("5b0e2f4c-3c1e-4c59-9a43-0d1e6f1a7e21")


def guid(our_id: str) -> str:
    """Our id as a REFI-QDA GUID: itself when it is a UUID (they all are when
    Annotator made them), else a UUID 5 made from it."""
    if _GUID.fullmatch(our_id):
        return our_id
    return derived_guid("id", our_id)


def derived_guid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def colour(text: str) -> str | None:
    return text if _RGB.fullmatch(text or "") else None


@dataclass
class Code:
    guid: str
    name: str
    colour: str | None
    description: str
    children: list[Code] = field(default_factory=list)


# MAXQDA shortens code names to 63 characters: longer names are cut here, so
# that two codes cannot become one there (the Description keeps the full names).
MAX_NAME = 63


def _shortened(name: str, suffix: str) -> str:
    room = MAX_NAME - len(suffix)
    return (name if len(name) <= room else name[: room - 1] + "…") + suffix


def choice_code_name(attribute: Attribute, choice_label: str) -> str:
    return f"{attribute.label}: {choice_label}"


def code_tree(codebook: Codebook) -> list[Code]:
    """One code per category (GUID = category id, its colour and description),
    holding one sub-code per choice of each of its choice attributes (GUID =
    choice id), named "attribute: choice". Names are unique across the whole
    codebook (QualCoder merges codes of the same name): a name already taken gets
    the category's key, then a number, appended in brackets; none is longer than
    :data:`MAX_NAME`."""
    taken: set[str] = set()

    def unique(name: str, key: str) -> str:
        name = " ".join(name.split()) or key
        candidate, n = _shortened(name, ""), 1
        while candidate.casefold() in taken:
            n += 1
            candidate = _shortened(name, f" ({key})" if n == 2 else f" ({key} {n})")
        taken.add(candidate.casefold())
        return candidate

    codes = []
    for category in codebook.categories:
        name = unique(category.label, category.key)
        described = category.description
        if name != category.label:  # cut or made unique: the description names it in full
            described = "\n\n".join(t for t in (category.label, described) if t)
        code = Code(guid(category.id), name, colour(category.colour), described)
        for attribute in codebook.attributes_of(category.key):
            if attribute.type != AttributeType.CHOICE:
                continue
            for choice in attribute.choices:
                coded = f" (code {choice.code_text})" if choice.code_text else ""
                code.children.append(
                    Code(
                        guid(choice.id),
                        unique(choice_code_name(attribute, choice.label), category.key),
                        colour(choice.colour),
                        f"{category.label} ▸ {attribute.label} = {choice.label}{coded}",
                    )
                )
        codes.append(code)
    return codes


def chosen_codes(codebook: Codebook, category_key: str, values: dict[str, Value]) -> list[str]:
    """GUIDs of the sub-codes an annotation's choice values select, in attribute order."""
    picked = []
    for attribute in codebook.attributes_of(category_key):
        value = values.get(attribute.id)
        if attribute.type == AttributeType.CHOICE and value is not None and value.choice_id:
            if any(c.id == value.choice_id for c in attribute.choices):
                picked.append(guid(value.choice_id))
    return picked


@dataclass
class Referenced:
    """What a note says of an annotation that a value points to."""

    quote: str
    actor: str  # the registry actor it names, if any


def _quoted(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


def value_line(
    codebook: Codebook,
    attribute: Attribute,
    value: Value,
    actors: dict[str, Actor],
    referenced: Callable[[str], Referenced | None],
) -> str:
    """One attribute value as a person reads it: ``intensity: 3``, ``polarity:
    oppose``, ``claimant: “Putin” → Vladimir Putin``."""
    shown: str
    if value.choice_id is not None:
        choice = codebook.choice(value.choice_id)
        shown = choice.label if choice is not None else "(a choice no longer in the codebook)"
    elif value.actor_id is not None:
        actor = actors.get(value.actor_id)
        shown = actor.name if actor is not None else "(an actor no longer in the registry)"
    elif value.annotation_id is not None:
        target = referenced(value.annotation_id)
        if target is None:
            shown = "(an annotation no longer in the project)"
        else:
            shown = _quoted(target.quote) + (f" → {target.actor}" if target.actor else "")
    elif value.number is not None:
        if attribute.type == AttributeType.BOOLEAN:
            shown = "yes" if value.number else "no"
        else:
            shown = number_text(value.number)
    else:
        shown = value.text or ""
    return f"{attribute.label}: {shown}"
