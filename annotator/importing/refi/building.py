"""A REFI-QDA file → a new project: documents, categories, annotations, coders,
document variables and memos, with a report of what was left out.

The project is built under a temporary name beside ``out`` and moved into place
only once it is complete: a file refused (corrupt, hostile, not REFI-QDA) or an
import cancelled leaves nothing behind. Every write goes through ``ops``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from annotator.core.codebook import Value
from annotator.core.model import Document, VariableType
from annotator.core.progress import Progress
from annotator.importing.model import ImportRejected
from annotator.importing.refi.archive import Archive, codebook_bytes, parse_xml
from annotator.importing.refi.codes import CodeTarget, store_codes
from annotator.importing.refi.model import RefiProject, RefiSource
from annotator.importing.refi.own import NotExact, read_extension, rebuild
from annotator.importing.refi.parsing import parse_codebook, parse_project
from annotator.importing.refi.positions import PositionMap
from annotator.importing.refi.report import RefiReport
from annotator.importing.refi.sources import source_text
from annotator.ops import codebook as codebook_ops
from annotator.ops import documents as document_ops
from annotator.ops import precoded as precoded_ops
from annotator.ops import variables as variable_ops
from annotator.ops.precoded import PrecodedSpan
from annotator.store.project import Project, create_project

UNKNOWN_CODER = "unknown coder"
MEMO_VARIABLE = ("refi_memo", "Memo (REFI-QDA)")
_VARIABLE_TYPES = {
    "integer": VariableType.NUMBER,
    "float": VariableType.NUMBER,
    "boolean": VariableType.BOOLEAN,
    "date": VariableType.DATE,
}


def read_refi(path: Path, archive: Archive | None) -> RefiProject:
    """The file's records: a ``.qdc`` is a codebook, anything else a ``.qdpx``."""
    if archive is None:
        return parse_codebook(parse_xml(codebook_bytes(path), "the codebook"))
    part, data = archive.project_xml()
    return parse_project(parse_xml(data, part))


class _Builder:
    def __init__(self, project: Project, refi: RefiProject, report: RefiReport) -> None:
        self.project = project
        self.refi = refi
        self.report = report
        self.targets: dict[str, CodeTarget] = {}
        self.variable_keys: dict[str, str] = {}  # REFI variable GUID → our key
        self.crlf_as_one = "ATLAS" in refi.origin.upper()

    def variable_key(self, guid: str) -> str | None:
        if guid in self.variable_keys:
            return self.variable_keys[guid]
        refi = self.refi.variables.get(guid)
        if refi is None:
            return None
        kind = _VARIABLE_TYPES.get(refi.type.strip().lower(), VariableType.TEXT)
        variable = variable_ops.add_variable(self.project, refi.name, kind).value
        self.report.variables += 1
        self.variable_keys[guid] = variable.key
        return variable.key

    def memo_key(self) -> str:
        if "memo" not in self.variable_keys:
            key, label = MEMO_VARIABLE
            self.variable_keys["memo"] = variable_ops.add_variable(
                self.project, label, key=key
            ).value.key
            self.report.variables += 1
        return self.variable_keys["memo"]

    def note_texts(self, guids: tuple[str, ...]) -> list[str]:
        notes = [self.refi.notes[g] for g in guids if g in self.refi.notes]
        return [n.text.strip() for n in notes if n.text.strip()]

    def variables(self, document: Document, source: RefiSource) -> None:
        for guid, value in source.values.items():
            key = self.variable_key(guid)
            if key is None or not value:
                if key is None:
                    self.report.skip("values of variables the file does not define")
                continue
            try:
                document_ops.set_document_variables(self.project, document.id, {key: value})
            except ValueError as exc:
                self.report.skip("variable values that do not fit their type", 1, str(exc))
        memo = "\n\n".join(
            t for t in (source.description.strip(), *self.note_texts(source.notes)) if t
        )
        if memo:
            document_ops.set_document_variables(self.project, document.id, {self.memo_key(): memo})

    def source(self, source: RefiSource, archive: Archive | None, path: Path) -> None:
        name = source.name or source.guid
        try:
            raw = source_text(source, archive, path)
            positions = PositionMap(raw, crlf_as_one=self.crlf_as_one)
            if not positions.text.strip():
                raise ImportRejected(f"“{name}” has an empty text")
            if "\x00" in positions.text:
                raise ImportRejected(f"“{name}” holds NUL characters (it looks damaged)")
        except ImportRejected as exc:
            self.report.skip("sources without a readable plain text", 1, str(exc))
            self.report.skip("text selections of those sources", len(source.selections))
            return
        file_name = Path(source.location.partition("://")[2]).name
        document = document_ops.import_text(
            self.project,
            positions.text,
            title=(name or file_name)[:300],
            file_name=file_name,
            encoding="utf-8",
        ).value
        self.report.documents += 1
        self.variables(document, source)
        self.selections(document, source, positions)

    def span(self, start: int, end: int, positions: PositionMap) -> tuple[int, int] | None:
        length = len(positions.text)
        if start < 0 or end <= start:
            self.report.skip("text selections that are empty or reversed", 1)
            return None
        first, last = positions.span(start, end)
        if last == length + 1:  # an end one past the text, as some tools write it
            last = length
            self.report.adjusted += 1
        if last > length or first >= last:
            self.report.skip(
                "text selections outside their source's text",
                1,
                f"a selection [{start}, {end}) lies outside a text of {length:,} characters",
            )
            return None
        return first, last

    def annotation_targets(self, codes: tuple[str, ...]) -> list[CodeTarget]:
        """One annotation per category a selection is coded with, one per sub-code
        where it has several: a coding with a category's own code adds nothing to
        one with a sub-code of it (Annotator's export writes both)."""
        by_category: dict[str, list[CodeTarget]] = {}
        for guid in dict.fromkeys(codes):
            target = self.targets.get(guid)
            if target is None:
                self.report.skip("codings with a code the codebook does not hold")
                continue
            by_category.setdefault(target.category, []).append(target)
        result: list[CodeTarget] = []
        for category, targets in by_category.items():
            chosen = [t for t in targets if t.choice_id]
            result += chosen or [CodeTarget(category)]
        return result

    def coder_of(self, user: str) -> str:
        """The coder of a selection by ``user`` (a GUID): the user's name; a user the
        file does not list is a coder of its own, named by the GUID (not the project's
        creator: two people's codings would become one coder's); none given, the
        project's creator."""
        if user:
            name = self.refi.users.get(user)
            if name:
                return name
            coder = f"user {user}"
            note = (
                f"Selections by user {user}, whom the file does not list, are coded as “{coder}”."
            )
            if note not in self.report.notes:
                self.report.notes.append(note)
            return coder
        return self.refi.users.get(self.refi.creator) or UNKNOWN_CODER

    def selections(self, document: Document, source: RefiSource, positions: PositionMap) -> None:
        spans: list[PrecodedSpan] = []
        for selection in source.selections:
            if not selection.codes:
                self.report.skip("text selections without a code (a memo or note only)")
                continue
            span = self.span(selection.start, selection.end, positions)
            if span is None:
                continue
            coder = self.coder_of(selection.user)
            memo = "\n\n".join(
                t for t in (selection.memo.strip(), *self.note_texts(selection.notes)) if t
            )
            for target in self.annotation_targets(selection.codes):
                values = (
                    (Value(target.attribute_id, choice_id=target.choice_id),)
                    if target.choice_id
                    else ()
                )
                spans.append(PrecodedSpan(document.id, *span, target.category, coder, memo, values))
        if not spans:
            return
        precoded_ops.add_precoded(self.project, spans)
        self.report.annotations += len(spans)
        self.report.memos += sum(1 for s in spans if s.memo)
        for coder in dict.fromkeys(s.coder for s in spans):
            if coder not in self.report.coders:
                self.report.coders.append(coder)


def _is_xml(path: Path) -> bool:
    """A codebook (``.qdc``, or any file that is XML rather than a zip)."""
    if path.suffix.lower() == ".qdc":
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return False  # the archive says why it cannot be read
    return not head.startswith(b"PK") and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def _into_new_project(out: Path, build: Callable[[Project], None]) -> None:
    """Run ``build`` on a new project made under a temporary name, then move it to
    ``out``; anything raised leaves nothing behind."""
    building = out.with_name(f".{out.name}.importing")
    _remove(building)
    project = create_project(building)
    try:
        build(project)
    except BaseException:
        project.close()
        _remove(building)
        raise
    project.close()
    if out.exists():
        _remove(building)
        raise ImportRejected(f"“{out.name}” was created meanwhile; nothing was imported")
    os.replace(building, out)


def import_refi(
    path: str | Path,
    out: str | Path,
    *,
    nested: str = "choices",
    progress: Progress | None = None,
) -> RefiReport:
    """Read the REFI-QDA project (``.qdpx``) or codebook (``.qdc``) at ``path`` into
    a new project file ``out``; ``nested``: ``"choices"`` or ``"categories"`` (see
    :mod:`.codes`). Annotator's own ``.qdpx`` is rebuilt exactly (:mod:`.own`).
    ``ImportRejected`` for a file that cannot be imported (nothing is written),
    ``core.progress.Cancelled`` when ``progress`` was cancelled."""
    path, out = Path(path), Path(out)
    if out.exists():
        raise ImportRejected(f"“{out.name}” already exists; choose a new project file")
    step = (progress or Progress()).step
    archive = None if _is_xml(path) else Archive(path)
    try:
        notes: list[str] = []
        if archive is not None:
            try:
                copy = read_extension(archive)
                if copy is not None:
                    report = RefiReport(path, out, str(copy.get("origin", "")), nested)
                    _into_new_project(out, lambda p: rebuild(p, archive, copy, report, step))
                    return report
            except NotExact as exc:
                archive.text_bytes = 0
                notes.append(
                    f"The file holds Annotator's own copy of the project, not used: {exc}. "
                    "It was imported as a REFI-QDA project."
                )
        refi = read_refi(path, archive)
        report = RefiReport(path, out, refi.origin, nested, notes=notes)
        for what, count in refi.unread.items():
            report.skip(what, count)
        _into_new_project(out, lambda p: _build(p, refi, report, archive, path, nested, step))
    finally:
        if archive is not None:
            archive.close()
    return report


def _build(
    project: Project,
    refi: RefiProject,
    report: RefiReport,
    archive: Archive | None,
    path: Path,
    nested: str,
    step: Callable[[int, int, str], None],
) -> None:
    builder = _Builder(project, refi, report)
    with project.db.atomic():  # one transaction: the operations' own nest in it
        for category in reversed(project.categories()):  # a new project's default codebook
            codebook_ops.delete_category(project, category.id)
        builder.targets = store_codes(project, refi.codes, nested, report)
        total = len(refi.sources)
        for index, source in enumerate(refi.sources):
            step(index, total, source.name)
            builder.source(source, archive, path)
        step(total, total, "")
