"""The codebook of a REFI-QDA file → categories (and the choices of sub-codes).

``nested="choices"`` (the default): each top-level code becomes a category and the
codes below it the choices of its choice attribute “Sub-code” (key ``code``),
deeper levels named by their path (``Parent › Child``). ``nested="categories"``:
every code becomes a category of its own, its description naming its parent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.model import Category
from annotator.importing.refi.model import RefiCode
from annotator.importing.refi.report import RefiReport
from annotator.ops import codebook as codebook_ops
from annotator.store.project import Project

NESTED_MODES = ("choices", "categories")
DEFAULT_COLOUR = "#9ca3af"
SUB_CODE_KEY = "code"
SUB_CODE_LABEL = "Sub-code"
PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class CodeTarget:
    """Where a selection coded with one code goes: a category, and a choice of its
    sub-code attribute when the code is nested (``nested="choices"``)."""

    category: str  # key
    attribute_id: str = ""
    choice_id: str = ""


def _walk(code: RefiCode, path: tuple[str, ...] = ()) -> Iterator[tuple[RefiCode, tuple[str, ...]]]:
    for child in code.children:
        yield child, (*path, child.name)
        yield from _walk(child, (*path, child.name))


def _category(project: Project, code: RefiCode, description: str = "") -> Category:
    """A category for ``code``; the first nine get the keys 1 to 9, as the default
    codebook's do."""
    text = "\n\n".join(t for t in (description, code.description.strip()) if t)
    taken = len(project.categories())
    return codebook_ops.add_category(
        project,
        code.name,
        (code.colour or DEFAULT_COLOUR).lower(),
        description=text,
        hotkey=str(taken + 1) if taken < 9 else "",
    ).value


def _unique(label: str, taken: set[str]) -> str:
    result, n = label, 2
    while result.casefold() in taken:
        result, n = f"{label} ({n})", n + 1
    taken.add(result.casefold())
    return result


def store_codes(
    project: Project, codes: list[RefiCode], nested: str, report: RefiReport
) -> dict[str, CodeTarget]:
    """Make the categories; the target of each code GUID."""
    if nested not in NESTED_MODES:
        raise ValueError(f"nested codes become {' or '.join(NESTED_MODES)}, not “{nested}”")
    targets: dict[str, CodeTarget] = {}
    for top in codes:
        category = _category(project, top)
        report.categories += 1
        targets[top.guid] = CodeTarget(category.key)
        descendants = list(_walk(top, (top.name,) if nested == "categories" else ()))
        if not descendants:
            continue
        if nested == "categories":
            for code, path in descendants:
                parent = PATH_SEPARATOR.join(path[:-1])
                sub = _category(project, code, f"Sub-code of {parent} (REFI-QDA).")
                report.categories += 1
                targets[code.guid] = CodeTarget(sub.key)
            continue
        taken: set[str] = set()
        choices = [
            {"label": _unique(PATH_SEPARATOR.join(path), taken), "colour": code.colour.lower()}
            for code, path in descendants
        ]
        attribute = codebook_ops.add_attribute(
            project,
            category.id,
            SUB_CODE_LABEL,
            "choice",
            key=SUB_CODE_KEY,
            description="The nested code of the REFI-QDA file this span was coded with.",
            choices=choices,
        ).value
        report.choices += len(attribute.choices)
        for (code, _path), choice in zip(descendants, attribute.choices, strict=True):
            targets[code.guid] = CodeTarget(category.key, attribute.id, choice.id)
    return targets
