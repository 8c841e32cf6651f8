"""Writing the REFI-QDA project file (``.qdpx``); the mapping is described in
:mod:`annotator.exporting.refi`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from annotator import __version__
from annotator.core.codebook import Actor, Codebook, Value
from annotator.core.model import Annotation
from annotator.core.progress import Progress
from annotator.exporting.refi.codes import (
    Code,
    Referenced,
    chosen_codes,
    code_tree,
    derived_guid,
    guid,
    value_line,
)
from annotator.exporting.refi.extension import EXTENSION_NAME, write_extension
from annotator.exporting.refi.variables import RefiVariable, refi_variables, value_element
from annotator.exporting.refi.xml_out import XmlOut
from annotator.exporting.refi.zip_out import open_entry, zip_file
from annotator.store.export_reads import ExportReads
from annotator.store.project import Project
from annotator.store.refi_reads import RefiReads

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"Annotator {__version__}"
_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_CHUNK = 1 << 20  # code points of a text encoded at a time


@dataclass(frozen=True)
class RefiResult:
    path: Path
    documents: int
    annotations: int
    codes: int


def _when(stamp: object) -> str | None:
    """A stored timestamp as ``xsd:dateTime``, or nothing if it is not one."""
    return stamp if isinstance(stamp, str) and _DATETIME.fullmatch(stamp) else None


def write_codes(xml: XmlOut, codes: list[Code]) -> None:
    for code in codes:
        attrs: list[tuple[str, str | None]] = [
            ("guid", code.guid),
            ("name", code.name),
            ("isCodable", "true"),
            ("color", code.colour),
        ]
        if not code.description and not code.children:
            xml.empty("Code", attrs)
            continue
        xml.start("Code", attrs)
        if code.description:
            xml.text("Description", code.description)
        write_codes(xml, code.children)
        xml.end()


def _count_codes(codes: list[Code]) -> int:
    return sum(1 + _count_codes(c.children) for c in codes)


def write_qdc(project: Project, out: Path) -> RefiResult:
    """Write the codebook alone as a REFI-QDA codebook (``.qdc``) at ``out``;
    ``ValueError`` if it has no category."""
    with project.snapshot():
        codes = code_tree(project.codebook())
    if not codes:  # the standard's codebook holds at least one code
        raise ValueError("The codebook has no categories: there is nothing to export.")
    with _plain_file(out) as handle:
        xml = XmlOut(handle.write)
        xml.start("CodeBook", [("xmlns", CODEBOOK_NS), ("origin", ORIGIN)])
        xml.start("Codes")
        write_codes(xml, codes)
        xml.close()
    return RefiResult(Path(out), 0, 0, _count_codes(codes))


class _plain_file:
    """``out`` written through a temporary file of the same folder (a zip of one entry
    would do, but a ``.qdc`` is plain XML)."""

    def __init__(self, out: Path) -> None:
        self._out = Path(out)

    def __enter__(self) -> IO[bytes]:
        from annotator.exporting.folder import new_file

        self._temporary = new_file(self._out.parent, f".{self._out.name}.", ".part")
        self._handle = self._temporary.open("wb")
        return self._handle

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        import os

        from annotator.exporting.folder import flush_file

        self._handle.close()
        if kind is None:
            flush_file(self._temporary)
            os.replace(self._temporary, self._out)
        else:
            self._temporary.unlink(missing_ok=True)


class _Selections:
    """The annotations of one document as PlainTextSelections."""

    def __init__(
        self,
        project: Project,
        reads: ExportReads,
        codebook: Codebook,
        actors: dict[str, Actor],
        coder_guids: dict[str, str],
    ) -> None:
        self.project, self.reads, self.codebook = project, reads, codebook
        self.actors, self.coder_guids = actors, coder_guids
        self.count = 0

    def _referenced(
        self, annotations: list[Annotation], values: dict[str, dict[str, Value]]
    ) -> dict[str, Referenced]:
        here = {a.id: a for a in annotations}
        wanted = {
            v.annotation_id
            for per in values.values()
            for v in per.values()
            if v.annotation_id is not None
        }
        elsewhere = self.reads.annotations_by_id(sorted(wanted - here.keys()))
        found = {a.id: a for a in elsewhere if a.id in wanted}
        found.update({i: here[i] for i in wanted if i in here})
        their_values = self.reads.values_of(sorted(found))
        referenced = {}
        for annotation_id, annotation in found.items():
            named = ""
            for attribute in self.codebook.attributes:
                value = their_values.get(annotation_id, {}).get(attribute.id)
                if value is not None and value.actor_id in self.actors:
                    named = self.actors[value.actor_id].name
                    break
            referenced[annotation_id] = Referenced(annotation.quote, named)
        return referenced

    def write(self, xml: XmlOut, document_id: str) -> None:
        annotations = self.reads.annotations_of(document_id)
        values = self.reads.values_in(document_id)
        referenced = self._referenced(annotations, values)
        for annotation in annotations:
            self._selection(xml, annotation, values.get(annotation.id, {}), referenced)
        self.count += len(annotations)

    def _selection(
        self,
        xml: XmlOut,
        annotation: Annotation,
        values: dict[str, Value],
        referenced: dict[str, Referenced],
    ) -> None:
        coder = self.coder_guids.get(annotation.coder_id)
        created, modified = _when(annotation.created_at), _when(annotation.updated_at)
        xml.start(
            "PlainTextSelection",
            [
                ("guid", guid(annotation.id)),
                ("name", annotation.quote if len(annotation.quote) <= 80 else None),
                ("startPosition", str(annotation.start)),
                ("endPosition", str(annotation.end)),
                ("creatingUser", coder),
                ("creationDateTime", created),
                ("modifyingUser", coder if modified else None),
                ("modifiedDateTime", modified),
            ],
        )
        note = self._note(annotation, values, referenced)
        if note:
            xml.text("Description", note)
        category_guid = guid(annotation.category_id)
        for code_guid in [category_guid, *chosen_codes(self.codebook, annotation.category, values)]:
            xml.start(
                "Coding",
                [
                    ("guid", derived_guid("coding", annotation.id, code_guid)),
                    ("creatingUser", coder),
                    ("creationDateTime", created),
                ],
            )
            xml.empty("CodeRef", [("targetGUID", code_guid)])
            xml.end()
        xml.end()

    def _note(
        self, annotation: Annotation, values: dict[str, Value], referenced: dict[str, Referenced]
    ) -> str:
        lines = []
        for attribute in self.codebook.attributes_of(annotation.category):
            value = values.get(attribute.id)
            if value is None or value.is_empty():
                continue
            lines.append(value_line(self.codebook, attribute, value, self.actors, referenced.get))
        memo = annotation.memo.strip()
        return "\n\n".join(part for part in (memo, "\n".join(lines)) if part)


def _text_chunks(text: str) -> Iterator[bytes]:
    for at in range(0, len(text), _CHUNK):
        # A lone surrogate (never in a text Annotator imported) becomes one "?":
        # every later position still counts the same code points.
        yield text[at : at + _CHUNK].encode("utf-8", errors="replace")


def write_qdpx(project: Project, out: Path, progress: Progress | None = None) -> RefiResult:
    """Write the project as a REFI-QDA project (``.qdpx``) at ``out``.

    ``progress`` reports each document three times (its text, its coded spans,
    Annotator's own copy) and raises ``Cancelled`` at the next one once
    cancelled; ``out`` is then left as it was."""
    progress = progress or Progress()
    with project.snapshot():
        reads = RefiReads(project)
        export_reads = ExportReads(project)
        codebook = project.codebook()
        documents = reads.documents()
        coders = reads.rows("coders")
        meta = {row["key"]: row["value"] for row in reads.rows("project_meta")}
        project_id = str(meta.get("project_id", ""))
        variables = refi_variables(
            project_id, documents, project.variables(), project.all_document_variables()
        )
        codes = code_tree(codebook)
        actors = {a.id: a for a in project.actors()}
        total = 3 * len(documents) + 1
        size = sum(4 * int(d["char_count"]) for d in documents)
        size += 4096 * sum(export_reads.annotation_counts().values()) + (1 << 24)
        coder_guids = {str(c["id"]): guid(str(c["id"])) for c in coders}
        selections = _Selections(project, export_reads, codebook, actors, coder_guids)
        with zip_file(out) as archive:
            done = 0
            for document in documents:
                progress.step(done, total, "texts")
                text = reads.text(str(document["id"]))
                name = f"sources/{guid(str(document['id']))}.txt"
                with open_entry(archive, name, 4 * len(text)) as handle:
                    for chunk in _text_chunks(text):
                        handle.write(chunk)
                del text
                done += 1
            with open_entry(archive, "project.qde", size) as handle:
                xml = XmlOut(handle.write)
                xml.start(
                    "Project",
                    [
                        ("xmlns", PROJECT_NS),
                        ("name", Path(project.path).stem),
                        ("origin", ORIGIN),
                        ("creationDateTime", _when(meta.get("created_at"))),
                    ],
                )
                _users(xml, coders)
                if codes:
                    xml.start("CodeBook")
                    xml.start("Codes")
                    write_codes(xml, codes)
                    xml.end()
                    xml.end()
                _variables(xml, variables)
                if documents:
                    xml.start("Sources")
                    for document in documents:
                        progress.step(done, total, "coded spans")
                        _source(xml, document, variables, selections, project)
                        done += 1
                    xml.end()
                xml.close()
            with open_entry(archive, EXTENSION_NAME, size) as handle:
                for _ in write_extension(handle, reads, documents):
                    progress.step(done, total, "Annotator's own copy")
                    done += 1
            progress.step(done, total, "done")
    return RefiResult(Path(out), len(documents), selections.count, _count_codes(codes))


def _users(xml: XmlOut, coders: list[dict[str, object]]) -> None:
    if not coders:
        return
    xml.start("Users")
    for coder in coders:
        xml.empty("User", [("guid", guid(str(coder["id"]))), ("name", str(coder["name"]))])
    xml.end()


def _variables(xml: XmlOut, variables: list[RefiVariable]) -> None:
    if not variables:
        return
    xml.start("Variables")
    for variable in variables:
        xml.start(
            "Variable",
            [("guid", variable.guid), ("name", variable.name), ("typeOfVariable", variable.type)],
        )
        xml.text("Description", variable.description)
        xml.end()
    xml.end()


def _source(
    xml: XmlOut,
    document: dict[str, object],
    variables: list[RefiVariable],
    selections: _Selections,
    project: Project,
) -> None:
    document_guid = guid(str(document["id"]))
    xml.start(
        "TextSource",
        [
            ("guid", document_guid),
            ("name", str(document["title"])),
            ("plainTextPath", f"internal://{document_guid}.txt"),
            ("creationDateTime", _when(document.get("imported_at"))),
        ],
    )
    selections.write(xml, str(document["id"]))
    own = project.document_variables(str(document["id"]))
    for variable in variables:
        text = str(document.get(variable.field) or "") if variable.field else own.get(variable.key)
        if not text:
            continue
        element, shown = value_element(variable, text)
        xml.start("VariableValue")
        xml.empty("VariableRef", [("targetGUID", variable.guid)])
        xml.text(element, shown)
        xml.end()
    xml.end()
