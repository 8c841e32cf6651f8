"""Read and check a codebook JSON file before anything in a project changes.

The result is a plain description (:class:`CodebookSpec`) in which every field
the file leaves out is absent, so that a merge only touches what the file says.
Every problem raises ``ValueError`` with a message that names the place.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.codebook import REGISTRY
from annotator.core.types import ATTRIBUTE_TYPES

FORMAT = "annotator-codebook"
VERSION = 1

_KEY_PATTERN = r"[a-z][a-z0-9_]*"
_KEY = re.compile(_KEY_PATTERN)
_TARGET = re.compile(
    f"(?:{REGISTRY}|category:{_KEY_PATTERN}|choices:{_KEY_PATTERN}\\.{_KEY_PATTERN})"
)
_TYPES = ", ".join(ATTRIBUTE_TYPES)


@dataclass(frozen=True)
class ChoiceSpec:
    label: str
    fields: dict[str, Any]  # "code", "colour": only those the file gives


@dataclass(frozen=True)
class AttributeSpec:
    key: str
    type: str  # a name in ATTRIBUTE_TYPES
    fields: dict[str, Any]  # "label", "required", "description", "targets"
    choices: tuple[ChoiceSpec, ...] = ()


@dataclass(frozen=True)
class CategorySpec:
    key: str
    fields: dict[str, str]  # "label", "colour", "hotkey", "description"
    attributes: tuple[AttributeSpec, ...] = ()


@dataclass(frozen=True)
class CodebookSpec:
    categories: tuple[CategorySpec, ...] = field(default_factory=tuple)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a codebook can hold")


def read_codebook_file(path: str | Path) -> CodebookSpec:
    """Read, parse and check a codebook file; raise ``ValueError`` if it is unusable."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"“{path.name}” cannot be read: {exc.strerror or exc}.") from exc
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise ValueError(f"“{path.name}” is not a codebook file: it is not UTF-8 text.") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"“{path.name}” is not a codebook file: it is not valid JSON"
            f" (line {exc.lineno}, column {exc.colno})."
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"“{path.name}” is not a valid codebook: {exc}.") from exc
    try:
        return parse_codebook(data)
    except ValueError as exc:
        raise ValueError(f"“{path.name}”: {exc}") from exc


def parse_codebook(data: object) -> CodebookSpec:
    """Check a decoded codebook document and describe it."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        what = f" (its format is “{found}”)" if isinstance(found, str) else ""
        raise ValueError(f"this is not an Annotator codebook{what}.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError("the codebook version is missing or not a whole number of at least 1.")
    if version > VERSION:
        raise ValueError(
            f"the codebook was written by a newer version of Annotator (codebook version"
            f" {version}; this version reads up to {VERSION}). Update Annotator to import it."
        )
    categories = data.get("categories")
    if not isinstance(categories, list):
        raise ValueError("“categories” must be a list.")
    specs = [_category(item, n) for n, item in enumerate(categories, 1)]
    _unique([c.key for c in specs], "category key")
    return CodebookSpec(tuple(specs))


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _unique(keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"the {what} “{key}” appears twice.")
        seen.add(key)


def _key(item: dict[str, Any], where: str) -> str:
    key = item.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError(
            f"{where}: “key” must be lower-case letters, digits and _, starting with a letter"
            f" (found {_show(key)})."
        )
    return key


def _texts(item: dict[str, Any], names: tuple[str, ...], where: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in names:
        if name in item:
            value = item[name]
            if not isinstance(value, str):
                raise ValueError(f"{where}: “{name}” must be text.")
            fields[name] = value.strip() if name == "label" else value
            if name == "label" and not fields[name]:
                raise ValueError(f"{where}: “label” must not be empty.")
    return fields


def _list(item: dict[str, Any], name: str, where: str) -> list[Any]:
    value = item.get(name, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{where}: “{name}” must be a list.")
    return value


def _category(item: object, n: int) -> CategorySpec:
    where = f"category {n}"
    if not isinstance(item, dict):
        raise ValueError(f"{where} must be an object with a “key”.")
    key = _key(item, where)
    where = f"category “{key}”"
    fields = _texts(item, ("label", "colour", "hotkey", "description"), where)
    attributes = [
        _attribute(a, f"{where}, attribute {i}")
        for i, a in enumerate(_list(item, "attributes", where), 1)
    ]
    _unique([a.key for a in attributes], f"attribute key in {where}")
    return CategorySpec(key, fields, tuple(attributes))


def _attribute(item: object, where: str) -> AttributeSpec:
    if not isinstance(item, dict):
        raise ValueError(f"{where} must be an object with a “key” and a “type”.")
    key = _key(item, where)
    where = f"{where.rsplit(',', 1)[0]}, attribute “{key}”"
    kind = item.get("type")
    if kind not in ATTRIBUTE_TYPES:
        raise ValueError(f"{where}: “type” must be one of {_TYPES} (found {_show(kind)}).")
    fields = _texts(item, ("label", "description"), where)
    if "required" in item:
        if not isinstance(item["required"], bool):
            raise ValueError(f"{where}: “required” must be true or false.")
        fields["required"] = item["required"]
    if "targets" in item:
        targets = _list(item, "targets", where)
        for target in targets:
            if not isinstance(target, str) or not _TARGET.fullmatch(target):
                raise ValueError(
                    f"{where}: a target must be “{REGISTRY}”, “category:KEY” or"
                    f" “choices:CATEGORY.ATTRIBUTE” (found {_show(target)})."
                )
        fields["targets"] = tuple(targets)
    choices = [
        _choice(c, f"{where}, choice {i}") for i, c in enumerate(_list(item, "choices", where), 1)
    ]
    _unique([c.label for c in choices], f"choice label in {where}")
    return AttributeSpec(key, str(kind), fields, tuple(choices))


def _finite_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _choice(item: object, where: str) -> ChoiceSpec:
    if not isinstance(item, dict):
        raise ValueError(f"{where} must be an object with a “label”.")
    fields = _texts(item, ("label", "colour"), where)
    if "label" not in fields:
        raise ValueError(f"{where}: “label” is missing.")
    label = fields.pop("label")
    if "code" in item:
        code = item["code"]
        if code is not None and not _finite_number(code):
            raise ValueError(f"{where} (“{label}”): “code” must be a number or null.")
        fields["code"] = code
    return ChoiceSpec(label, fields)
