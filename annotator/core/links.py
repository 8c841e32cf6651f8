"""Reading values as people do: readable labels and who is linked to whom."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from annotator.core.codebook import Actor, Codebook, Value
from annotator.core.model import Annotation

Values = Mapping[str, Mapping[str, Value]]  # annotation id → attribute id → value


def short_quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(
    value: Value | None,
    codebook: Codebook,
    annotations: Mapping[str, Annotation],
    actors: Mapping[str, Actor],
) -> str:
    """A value as a coder reads it: a choice label, a quote, an actor's name."""
    if value is None or value.is_empty():
        return ""
    if value.choice_id is not None:
        choice = codebook.choice(value.choice_id)
        return choice.label if choice else "?"
    if value.actor_id is not None:
        actor = actors.get(value.actor_id)
        return actor.name if actor else "?"
    if value.annotation_id is not None:
        target = annotations.get(value.annotation_id)
        return f"“{short_quote(target.quote)}”" if target else "(elsewhere)"
    if value.number is not None:
        return f"{value.number:g}"
    return value.text or ""


def linked_ids(annotation_id: str, values: Values) -> set[str]:
    """Annotations this one points to, and those that point to it."""
    linked = {v.annotation_id for v in values.get(annotation_id, {}).values() if v.annotation_id}
    for owner, by_attribute in values.items():
        if any(v.annotation_id == annotation_id for v in by_attribute.values()):
            linked.add(owner)
    linked.discard(annotation_id)
    return linked


def who_and_polarity(
    annotation: Annotation,
    values: Values,
    codebook: Codebook,
    annotations: Mapping[str, Annotation],
    actors: Mapping[str, Actor],
) -> tuple[str, str]:
    """The claimant or holder, and the polarity, for the annotation table."""
    who = polarity = ""
    own = values.get(annotation.id, {})
    for attribute in codebook.attributes_of(annotation.category):
        value = own.get(attribute.id)
        if attribute.key in ("claimant", "holder") and not who:
            who = describe(value, codebook, annotations, actors)
        elif attribute.key == "polarity":
            polarity = describe(value, codebook, annotations, actors)
    return who, polarity


HYPHENS = "-‐‑–"  # a name joined to a word by one of these is part of that word


def sure_mention(text: str, start: int, end: int, names: Iterable[str]) -> bool:
    """Whether ``text[start:end]``, found as a whole word matching one of an actor's
    ``names`` in any case, is surely a mention: spelt exactly as a name (not
    "south korea" for "South Korea") and not part of a hyphenated word ("South
    Korea-based")."""
    if text[start:end] not in set(names):
        return False
    after = text[end : end + 2]
    if len(after) == 2 and after[0] in HYPHENS and after[1].isalnum():
        return False
    before = text[max(0, start - 2) : start]
    return not (len(before) == 2 and before[1] in HYPHENS and before[0].isalnum())
