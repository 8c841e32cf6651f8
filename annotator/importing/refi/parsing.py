"""QDA-XML (REFI-QDA 1.5: ``project.qde`` and ``.qdc`` codebooks) → :mod:`.model`.

Tags are matched by their local name under any ``urn:QDA-XML:`` namespace (tools
write ``project:1.0``, ``codebook:1.0`` and older ones ``0.4``). What the import
does not use (pictures, audio, video, sets, graphs, links) is counted, not read.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from annotator.importing.model import ImportRejected
from annotator.importing.refi.model import (
    RefiCode,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiVariable,
)

NAMESPACE = "urn:QDA-XML:"
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_OTHER_SOURCES = {
    "PictureSource": "picture sources",
    "AudioSource": "audio sources",
    "VideoSource": "video sources",
}


def local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element: Element | None, name: str) -> list[Element]:
    return [] if element is None else [c for c in element if local(c) == name]


def _child(element: Element | None, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: Element | None, name: str) -> str:
    child = _child(element, name)
    return (child.text or "") if child is not None else ""


def check_root(root: Element, expected: tuple[str, ...], what: str) -> None:
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if not namespace.startswith(NAMESPACE) or local(root) not in expected:
        raise ImportRejected(
            f"{what} is not a REFI-QDA file (its root element is “{local(root)}”"
            f"{f' in {namespace}' if namespace else ''}; expected "
            f"{' or '.join(expected)} in urn:QDA-XML)"
        )


def _position(element: Element, name: str) -> int:
    value = element.get(name, "")
    try:
        return int(value.strip())
    except ValueError:
        raise ImportRejected(
            f"a text selection's {name} is “{value[:20]}”, not a whole number"
        ) from None


def parse_codes(codes: Element | None) -> list[RefiCode]:
    parsed = [_code(c) for c in _children(codes, "Code")]
    seen: dict[str, str] = {}
    waiting = list(reversed(parsed))
    while waiting:  # every code's GUID names it alone: codings point at codes by GUID
        code = waiting.pop()
        waiting += reversed(code.children)
        if not code.guid:
            continue
        if code.guid in seen:
            raise ImportRejected(
                f"two codes (“{seen[code.guid]}” and “{code.name}”) have the same GUID"
                f" {code.guid}, so the codings that name it cannot be told apart"
            )
        seen[code.guid] = code.name
    return parsed


def _code(element: Element, depth: int = 0) -> RefiCode:
    if depth > 50:
        raise ImportRejected("the codebook nests codes more than 50 levels deep")
    colour = element.get("color", "")
    return RefiCode(
        guid=element.get("guid", ""),
        name=(element.get("name") or "").strip() or "Unnamed code",
        colour=colour if _COLOUR.fullmatch(colour) else "",
        description=_text(element, "Description"),
        codable=element.get("isCodable", "true").strip().lower() not in ("false", "0"),
        children=tuple(_code(c, depth + 1) for c in _children(element, "Code")),
    )


def parse_codebook(root: Element) -> RefiProject:
    """A ``.qdc`` (root ``CodeBook``): its codes, nothing else."""
    check_root(root, ("CodeBook",), "the codebook")
    project = RefiProject(name=root.get("name", ""), origin=root.get("origin", ""))
    project.codes = parse_codes(_child(root, "Codes"))
    return project


def _selection(element: Element) -> RefiSelection:
    user = element.get("creatingUser") or element.get("modifyingUser") or ""
    codes: list[str] = []
    for coding in _children(element, "Coding"):
        user = user or coding.get("creatingUser") or ""
        codes += [ref.get("targetGUID", "") for ref in _children(coding, "CodeRef")]
    return RefiSelection(
        guid=element.get("guid", ""),
        start=_position(element, "startPosition"),
        end=_position(element, "endPosition"),
        user=user,
        codes=tuple(codes),
        memo=_text(element, "Description"),
        notes=tuple(n.get("targetGUID", "") for n in _children(element, "NoteRef")),
    )


def _values(element: Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in _children(element, "VariableValue"):
        ref = _child(item, "VariableRef")
        if ref is None:
            continue
        value = next((c.text or "" for c in item if local(c) != "VariableRef"), "")
        values[ref.get("targetGUID", "")] = value.strip()
    return values


def _text_source(element: Element, project: RefiProject, name: str = "") -> RefiSource:
    content = _child(element, "PlainTextContent")
    source = RefiSource(
        guid=element.get("guid", ""),
        name=(element.get("name") or name).strip(),
        location=element.get("plainTextPath") or "",
        content=None if content is None else (content.text or ""),
        description=_text(element, "Description"),
        values=_values(element),
        notes=tuple(n.get("targetGUID", "") for n in _children(element, "NoteRef")),
    )
    source.selections = [_selection(s) for s in _children(element, "PlainTextSelection")]
    whole = len(_children(element, "Coding"))
    if whole:
        project.skip("codings of a whole source (not of a text selection)", whole)
    if not source.location and content is None and element.get("richTextPath"):
        source.location = element.get("richTextPath", "")
    return source


def _sources(sources: Element | None, project: RefiProject) -> None:
    for element in [] if sources is None else list(sources):
        kind = local(element)
        if kind == "TextSource":
            project.sources.append(_text_source(element, project))
        elif kind == "PDFSource" and (rep := _child(element, "Representation")) is not None:
            # A PDF's plain-text representation: its selections are in that text.
            source = _text_source(rep, project, element.get("name", ""))
            source.values = {**_values(element), **source.values}
            source.guid = element.get("guid", source.guid)
            project.sources.append(source)
            if selections := len(_children(element, "PDFSelection")):
                project.skip("PDF area selections", selections)
        else:
            project.skip(_OTHER_SOURCES.get(kind, f"{kind} sources"))


def _cases(cases: Element | None, project: RefiProject) -> None:
    """Variable values held by cases apply to the sources each case names
    (MAXQDA and Quirkos write one case per source); a source's own win."""
    by_guid = {s.guid: s for s in project.sources}
    for case in _children(cases, "Case"):
        values = _values(case)
        for ref in _children(case, "SourceRef"):
            source = by_guid.get(ref.get("targetGUID", ""))
            if source is not None:
                source.values = {**values, **source.values}
        if case.get("name"):
            project.skip("cases")


def parse_project(root: Element) -> RefiProject:
    """A ``project.qde`` (root ``Project``)."""
    check_root(root, ("Project",), "the project (project.qde)")
    project = RefiProject(
        name=root.get("name", ""),
        origin=root.get("origin", ""),
        description=_text(root, "Description"),
        creator=root.get("creatingUserGUID", ""),
    )
    for user in _children(_child(root, "Users"), "User"):
        project.users[user.get("guid", "")] = (user.get("name") or user.get("id") or "").strip()
    project.codes = parse_codes(_child(_child(root, "CodeBook"), "Codes"))
    for variable in _children(_child(root, "Variables"), "Variable"):
        guid = variable.get("guid", "")
        name = (variable.get("name") or "").strip() or "variable"
        project.variables[guid] = RefiVariable(guid, name, variable.get("typeOfVariable", "Text"))
    _sources(_child(root, "Sources"), project)
    _cases(_child(root, "Cases"), project)
    for note in _children(_child(root, "Notes"), "Note"):
        guid = note.get("guid", "")
        content = _child(note, "PlainTextContent")
        text = (content.text or "") if content is not None else _text(note, "Description")
        location = note.get("plainTextPath") or ""
        project.notes[guid] = RefiNote(guid, (note.get("name") or "").strip(), text, location)
    for extra in ("Sets", "Graphs", "Links"):
        if (found := _child(root, extra)) is not None and len(found):
            project.skip(extra.lower(), len(found))
    return project
