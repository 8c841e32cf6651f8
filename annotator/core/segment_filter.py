"""What the Coded Segments view shows: a filter over every annotation of the
project, and the column it is sorted by. Pure data, saved by name as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

# The fixed columns of the view, in order; the attributes' columns follow.
DOCUMENT, CATEGORY, QUOTE, CODER, INCOMPLETE = (
    "document",
    "category",
    "quote",
    "coder",
    "incomplete",
)
FIXED_COLUMNS = (DOCUMENT, CATEGORY, QUOTE, CODER, INCOMPLETE)
TEXT_ORDER = ""  # project order: documents in list order, spans in text order


@dataclass(frozen=True)
class SegmentFilter:
    """Every condition set narrows the rows (they combine with AND); an empty
    filter shows every annotation.

    ``choices`` are choice ids (of any attributes: a polarity, an issue…), each
    required of the annotation's own values. ``actor`` and ``issue`` match an
    annotation that names the registry actor or the issue choice itself or through
    an annotation it refers to (a stance's holder mention, its target claim).
    ``variables`` maps a document variable's id to the value its document must have.
    """

    categories: tuple[str, ...] = ()  # category keys
    coders: tuple[str, ...] = ()  # coder names
    choices: tuple[str, ...] = ()
    actor: str = ""  # a registry actor id
    issue: str = ""  # a choice id of the claim's issue attribute
    text: str = ""  # in the quote, the memo or a text value (case-insensitive)
    incomplete: bool | None = None
    statuses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: str = ""  # document dates, ISO, inclusive
    date_to: str = ""
    variables: tuple[tuple[str, str], ...] = ()
    sort: str = TEXT_ORDER  # a FIXED_COLUMNS name or an attribute id
    descending: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def is_empty(self) -> bool:
        blank = SegmentFilter(sort=self.sort, descending=self.descending)
        return replace(self, extra={}) == blank

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("extra")
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SegmentFilter:
        """A saved filter; unknown keys are ignored and wrong types refused with
        ValueError (a settings file edited by hand)."""
        data: Any = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a saved filter is a JSON object")
        known = {f.name: f for f in fields(cls)} if data else {}
        kwargs: dict[str, Any] = {}
        for name, value in data.items():
            if name not in known or name == "extra":
                continue
            if isinstance(value, list):
                value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
            kwargs[name] = value
        made = cls(**kwargs)
        for name in ("categories", "coders", "choices", "statuses", "sources"):
            if not all(isinstance(v, str) for v in getattr(made, name)):
                raise ValueError(f"a saved filter's {name} are names")
        return made
