"""The project: documents, codebook, coders and annotations in one file.

This is the public API that the window, the command line and scripts share.
Every method that writes is one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlite_utils import Database

from annotator.core.clock import new_id, utc_now
from annotator.core.codebook import Value
from annotator.core.gcpause import gc_paused
from annotator.core.model import Annotation, Category, Coder, Document, DocumentStatus
from annotator.core.text import canonicalise, sha256_text
from annotator.store.adjudication import AdjudicationStore
from annotator.store.backup_keeper import BackupKeeper, connection_state
from annotator.store.backups import Backup, BackupPolicy, copy_verified
from annotator.store.codebook import CodebookStore
from annotator.store.connection import create_database, open_database
from annotator.store.corpus_search import CorpusSearchStore
from annotator.store.errors import (
    DamagedDocumentError,
    ProjectError,
    damaged_message,
    plain_message,
)
from annotator.store.finding_backups import damaged_document_message
from annotator.store.registry import RegistryStore
from annotator.store.restore import RestoreStore
from annotator.store.team import TeamStore
from annotator.store.team_merge import TeamMergeStore
from annotator.store.values import ValueStore, value_row
from annotator.store.variables import VariableStore

_DOC_COLUMNS = (
    "d.id, d.title, d.source, d.author, d.date, d.file_name, d.sha256, d.char_count,"
    " d.imported_at, d.status, d.position, d.encoding"
)
# The document's counts, kept by the schema's triggers (store.schema, step 5).
_COUNT_COLUMNS = ", COALESCE(n.annotations, 0), COALESCE(n.incomplete, 0)"
_COUNTS_JOIN = " LEFT JOIN document_counts n ON n.document_id = d.id"
# A row of _DOC_COLUMNS and _COUNT_COLUMNS.
_DocRow = tuple[str, str, str, str, str, str, str, int, str, str, int, str, int, int]
_ANN_COLUMNS = (
    'a.id, a.document_id, a.coder_id, a.category_id, a.start, a."end", a.quote, a.memo,'
    " a.created_at, a.updated_at, co.name, ca.key"
)
_ANN_FROM = (
    " FROM annotations a JOIN coders co ON co.id = a.coder_id"
    " JOIN categories ca ON ca.id = a.category_id"
)


@contextmanager
def _damaged_if(*errors: type[Exception]) -> Iterator[None]:
    """Rows that break the schema's own rules (a missing coder, an unknown status)
    can only come from a damaged file: say so instead of failing obscurely."""
    try:
        yield
    except errors as exc:
        raise ProjectError(damaged_message(f"inconsistent rows: {exc!r}")) from exc


def _document(row: _DocRow) -> Document:
    return Document(*row[:9], DocumentStatus(row[9]), row[10], row[12], row[13], row[11])


@dataclass(frozen=True)
class Deletion:
    """An annotation as it was before deletion, with its values and the values
    of other annotations that pointed at it, so undo restores all of it."""

    annotation: Annotation
    values: tuple[Value, ...]
    incoming: tuple[tuple[str, Value], ...]


class Project(
    CodebookStore,
    ValueStore,
    RegistryStore,
    VariableStore,
    RestoreStore,
    TeamStore,
    TeamMergeStore,
    AdjudicationStore,
    CorpusSearchStore,
):
    """An open project file."""

    def __init__(self, path: Path, db: Database) -> None:
        super().__init__(path, db)
        self._texts: dict[str, str] = {}
        self.backups = BackupKeeper(path)

    # -- life cycle -------------------------------------------------------
    def close(self) -> None:
        """Close the file, once any backup in progress has ended; a backup that holds
        the file as closed is recorded, so that the next open need not take one."""
        self.backups.project_open = False
        self.backups.wait()
        try:
            state = connection_state(self.db.conn)
        except sqlite3.Error:  # closed already
            state = None
        self.db.close()
        if state is not None:
            self.backups.closed(state)

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def project_id(self) -> str:
        project_id: str = self._query("SELECT value FROM project_meta WHERE key = 'project_id'")[0][
            0
        ]  # value TEXT NOT NULL
        return project_id

    def backup(
        self, reason: str, policy: BackupPolicy | None = None, *, full: bool = False
    ) -> Backup:
        """A verified, rotated backup in the user data folder: of a large project, the
        pages changed since this run's full backup (``full``: a full one); see
        store.backups and store.backup_keeper."""
        return self.backups.take(reason, self.backup_state(), full=full, policy=policy)

    def backup_state(self) -> tuple[int, int, int, int]:
        """What the connection has written and seen (store.backup_keeper)."""
        return connection_state(self.db.conn)

    def backed_up(self) -> bool:
        """Whether a verified backup of this run holds the project as it is now."""
        return self.backups.holds(self.backup_state())

    def save_copy(self, destination: str | Path) -> Path:
        """Write a consistent, checked copy of the live file (SQLite's backup API)."""
        destination = Path(destination)
        if destination.resolve() == self.path.resolve():
            raise ProjectError("A copy cannot replace the open project itself.")
        tmp = destination.with_name(destination.name + ".partial")
        try:
            copy_verified(self.db.conn, tmp)
            tmp.replace(destination)
        except sqlite3.Error as exc:
            tmp.unlink(missing_ok=True)
            raise ProjectError(plain_message(exc)) from exc
        except ProjectError:
            tmp.unlink(missing_ok=True)
            raise
        return destination

    # -- coders and codebook ----------------------------------------------
    def ensure_coder(self, name: str) -> Coder:
        name = name.strip()
        if not name:
            raise ValueError("A coder needs a name.")
        rows = self._query("SELECT id, name FROM coders WHERE name = ?", (name,))
        if rows:
            return Coder(*rows[0])
        coder = Coder(new_id(), name)
        with self._transaction():
            self.db.table("coders").insert({"id": coder.id, "name": name, "created_at": utc_now()})
        return coder

    def coder_names(self) -> list[str]:
        """The coders who made annotations, sorted without regard to case."""
        rows = self._query(
            "SELECT name FROM coders c WHERE EXISTS"
            " (SELECT 1 FROM annotations a WHERE a.coder_id = c.id)"
        )
        return sorted((row[0] for row in rows), key=str.casefold)

    # -- documents ----------------------------------------------------------
    def import_text(
        self,
        text: str,
        *,
        title: str,
        source: str = "",
        author: str = "",
        date: str = "",
        file_name: str = "",
        encoding: str = "",
        variables: dict[str, str | None] | None = None,
    ) -> Document:
        """Store a document (and its document-variable values, by key) in one
        transaction; its text is canonicalised here, once and for good."""
        text = canonicalise(text)
        if not text or text.isspace():  # no stripped copy of a long text
            raise ValueError("The document is empty.")
        doc_id = new_id()
        with self._transaction():
            position = self._query("SELECT COALESCE(MAX(position) + 1, 0) FROM documents")[0][0]
            self.db.table("documents").insert(
                {
                    "id": doc_id,
                    "title": title.strip() or file_name or "Untitled",
                    "source": source,
                    "author": author,
                    "date": date,
                    "file_name": file_name,
                    "text": text,
                    "sha256": sha256_text(text),
                    "char_count": len(text),
                    "imported_at": utc_now(),
                    "status": DocumentStatus.TODO.value,
                    "position": position,
                    "encoding": encoding,
                }
            )
            if variables:
                self.set_document_variables(doc_id, variables)
        return self.document(doc_id)

    def update_document(self, doc_id: str, **fields: str) -> Document:
        """Change ``title``, ``source``, ``author`` or ``date``; the text never changes."""
        unknown = set(fields) - {"title", "source", "author", "date"}
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of a document")
        if "title" in fields and not fields["title"].strip():
            raise ValueError("A document needs a title.")
        if fields:
            self.document(doc_id)  # KeyError for an unknown document
            with self._transaction():
                self.db.table("documents").update(doc_id, {k: v.strip() for k, v in fields.items()})
        return self.document(doc_id)

    def documents(self, *, counts: bool = True) -> list[Document]:
        """All documents in project order, each with its count of annotations and of
        incomplete ones (read from ``document_counts``, which the schema keeps);
        ``counts=False`` leaves them 0, for callers that count themselves."""
        counted = (
            (_COUNT_COLUMNS + " FROM documents d" + _COUNTS_JOIN)
            if counts
            else ", 0, 0 FROM documents d"
        )
        rows = self._query(f"SELECT {_DOC_COLUMNS}{counted} ORDER BY d.position, d.id")
        with _damaged_if(ValueError):
            return [_document(row) for row in rows]

    def document(self, doc_id: str) -> Document:
        rows = self._query(
            f"SELECT {_DOC_COLUMNS}{_COUNT_COLUMNS} FROM documents d{_COUNTS_JOIN} WHERE d.id = ?",
            (doc_id,),
        )
        if not rows:
            raise KeyError(f"no document '{doc_id}'")
        with _damaged_if(ValueError):
            return _document(rows[0])

    def document_text(self, doc_id: str) -> str:
        """The document's text, checked once against the SHA-256 stored with it:
        a text that no longer matches raises DamagedDocumentError, which names the
        document and the newest backup that holds it intact."""
        text = self._texts.get(doc_id)
        if text is None:
            rows = self._query("SELECT text, sha256, title FROM documents WHERE id = ?", (doc_id,))
            if not rows:
                raise KeyError(f"no document '{doc_id}'")
            text, stored, title = rows[0]
            if not isinstance(text, str) or sha256_text(text) != stored:
                raise DamagedDocumentError(
                    damaged_document_message(self.path, doc_id, title, stored)
                )
            self._texts[doc_id] = text
        return text

    def find_document_by_sha256(self, sha256: str) -> Document | None:
        rows = self._query("SELECT id FROM documents WHERE sha256 = ?", (sha256,))
        return self.document(rows[0][0]) if rows else None

    def set_document_status(self, doc_id: str, status: DocumentStatus) -> None:
        with self._transaction():
            self.db.execute(
                "UPDATE documents SET status = ? WHERE id = ?", (DocumentStatus(status), doc_id)
            )

    # -- annotations --------------------------------------------------------
    def annotations(self, document_id: str | None = None) -> list[Annotation]:
        """Whole annotation records, in document order and then in text order."""
        doc_ids = (
            [document_id]
            if document_id is not None
            else [row[0] for row in self._query("SELECT id FROM documents ORDER BY position, id")]
        )
        coders = self._query("SELECT id, name FROM coders")
        categories = self._query("SELECT id, key FROM categories")
        # Coder and category come back as small integers (list positions), which
        # Python does not allocate, instead of four strings a record.
        case_coder = " ".join(f"WHEN ? THEN {i}" for i in range(len(coders))) or "WHEN 0 THEN 0"
        case_category = (
            " ".join(f"WHEN ? THEN {i}" for i in range(len(categories))) or "WHEN 0 THEN 0"
        )
        sql = (
            f"SELECT id, CASE coder_id {case_coder} END, CASE category_id {case_category} END,"
            ' start, "end", quote, memo, created_at, updated_at FROM annotations'
            " WHERE document_id = ?"
        )  # the primary key keeps them in text order
        keys = (*(c[0] for c in coders), *(c[0] for c in categories))
        coder_ids, coder_names = [c[0] for c in coders], [c[1] for c in coders]
        category_ids, category_keys = [c[0] for c in categories], [c[1] for c in categories]
        result: list[Annotation] = []
        make = Annotation
        # A coder or category row missing: NULL, and the list lookup fails.
        with gc_paused(), _damaged_if(TypeError, IndexError):
            for doc_id in doc_ids:
                result += [
                    make(
                        ident,
                        doc_id,
                        coder_ids[coder],
                        category_ids[category],
                        start,
                        end,
                        quote,
                        memo,
                        created,
                        updated,
                        coder_names[coder],
                        category_keys[category],
                    )
                    for (
                        ident,
                        coder,
                        category,
                        start,
                        end,
                        quote,
                        memo,
                        created,
                        updated,
                    ) in self._query(sql, (*keys, doc_id))
                ]
        return result

    def annotations_for_display(self, document_id: str) -> list[Annotation]:
        """The document's annotations in text order, read fast for the window.

        Span, quote (cut from the stored text, which it always equals), coder
        and category are filled in; memo, coder and category ids and the
        timestamps are left empty: ask :meth:`annotation` for the whole record.
        """
        text = self.document_text(document_id)
        coders = self._query("SELECT id, name FROM coders")
        categories = self._query("SELECT id, key FROM categories")
        if not coders or not categories:
            return []  # no annotation without a coder and a category
        # Coder and category come back as small integers (list positions), which
        # Python does not allocate: a third faster than reading the ids.
        case_coder = " ".join(f"WHEN ? THEN {i}" for i in range(len(coders)))
        case_category = " ".join(f"WHEN ? THEN {i}" for i in range(len(categories)))
        rows = self._query(
            f'SELECT id, start, "end", CASE coder_id {case_coder} END,'
            f" CASE category_id {case_category} END FROM annotations"
            " WHERE document_id = ?",  # the primary key keeps them in text order
            (*(c[0] for c in coders), *(c[0] for c in categories), document_id),
        )
        coder_names = [c[1] for c in coders]
        category_keys = [c[1] for c in categories]
        make = Annotation
        with gc_paused(), _damaged_if(TypeError, IndexError):
            return [
                make(
                    ident,
                    document_id,
                    "",
                    "",
                    start,
                    end,
                    text[start:end],
                    "",
                    "",
                    "",
                    coder_names[coder],
                    category_keys[category],
                )
                for ident, start, end, coder, category in rows
            ]

    def annotation(self, annotation_id: str) -> Annotation:
        rows = self._query(f"SELECT {_ANN_COLUMNS}{_ANN_FROM} WHERE a.id = ?", (annotation_id,))
        if not rows:
            raise KeyError(f"no annotation '{annotation_id}'")
        return Annotation(*rows[0])

    def annotation_count(self) -> int:
        return self._count("SELECT COUNT(*) FROM annotations")

    def add_annotation(
        self,
        document_id: str,
        start: int,
        end: int,
        category: str,
        *,
        coder: str,
        memo: str = "",
        annotation_id: str | None = None,
        values: tuple[Value, ...] | list[Value] = (),
    ) -> Annotation:
        """Tag ``text[start:end]`` (code points) with the category whose key is given."""
        text = self.document_text(document_id)
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span [{start}, {end}) is outside the document (0–{len(text)})")
        category_row = self.category(category)
        with self._transaction():
            coder_row = self.ensure_coder(coder)
            annotation = self._new_annotation(
                document_id, start, end, text, category_row, coder_row, memo, annotation_id
            )
            self.restore_annotation(annotation)
            self._check_values(annotation.id, values)
            self._write_values(annotation.id, values)
        return annotation

    def add_annotations(self, rows: Iterable[tuple[str, int, int, str, str]]) -> list[Annotation]:
        """Tag many spans in one transaction: ``rows`` of ``(document_id, start, end,
        category, coder)`` (code points, category key, coder name), as pre-coded data
        from another tool comes. All of them are saved, or none; returns the new
        annotations in the order given."""
        categories = {c.key: c for c in self.categories()}
        records: list[Annotation] = []
        with self._transaction():
            coders: dict[str, Coder] = {}
            for document_id, start, end, category, coder in rows:
                text = self.document_text(document_id)
                if not 0 <= start < end <= len(text):
                    raise ValueError(
                        f"span [{start}, {end}) is outside the document (0–{len(text)})"
                    )
                if category not in categories:
                    raise KeyError(f"no category '{category}' in this project")
                if coder not in coders:
                    coders[coder] = self.ensure_coder(coder)
                records.append(
                    self._new_annotation(
                        document_id, start, end, text, categories[category], coders[coder], "", None
                    )
                )
            self.db.table("annotations").insert_all(
                (_annotation_row(record) for record in records), batch_size=1000
            )
        return records

    @staticmethod
    def _new_annotation(
        document_id: str,
        start: int,
        end: int,
        text: str,
        category_row: Category,
        coder_row: Coder,
        memo: str,
        annotation_id: str | None,
    ) -> Annotation:
        now = utc_now()
        return Annotation(
            id=annotation_id or new_id(),
            document_id=document_id,
            coder_id=coder_row.id,
            category_id=category_row.id,
            start=start,
            end=end,
            quote=text[start:end],
            memo=memo,
            created_at=now,
            updated_at=now,
            coder=coder_row.name,
            category=category_row.key,
        )

    def restore_annotation(self, annotation: Annotation) -> None:
        """Insert an annotation record exactly as given (used by redo and undo)."""
        text = self.document_text(annotation.document_id)
        if text[annotation.start : annotation.end] != annotation.quote:
            raise ProjectError("The annotation's quote no longer matches the document text.")
        with self._transaction():
            self.db.table("annotations").insert(_annotation_row(annotation))

    def delete_annotation(self, annotation_id: str) -> Deletion:
        """Delete one annotation, its values and every reference to it; return
        what was there, for undo."""
        return self.delete_annotations([annotation_id])[0]

    def delete_annotations(self, annotation_ids: list[str]) -> list[Deletion]:
        deletions = [
            Deletion(
                self.annotation(ident),
                tuple(self.values(ident).values()),
                tuple(self.incoming_references(ident)),
            )
            for ident in annotation_ids
        ]
        with self._transaction():
            for ident in annotation_ids:
                self.db.execute(
                    "DELETE FROM annotation_values WHERE ref_annotation_id = ?", (ident,)
                )
                self.db.execute("DELETE FROM annotation_values WHERE annotation_id = ?", (ident,))
                self.db.execute("DELETE FROM annotations WHERE id = ?", (ident,))
        return deletions

    def restore_deletions(self, deletions: list[Deletion]) -> None:
        """Put deleted annotations back exactly, with their values and incoming links."""
        for deletion in deletions:
            annotation = deletion.annotation
            text = self.document_text(annotation.document_id)
            if text[annotation.start : annotation.end] != annotation.quote:
                raise ProjectError("The annotation's quote no longer matches the document text.")
        restored = {d.annotation.id for d in deletions}
        values = [
            value_row(d.annotation.id, value)
            for d in deletions
            for value in d.values
            if not value.is_empty()
        ]
        values += [  # references from annotations that stayed (the others came back above)
            value_row(owner, value)
            for d in deletions
            for owner, value in d.incoming
            if owner not in restored and not value.is_empty()
        ]
        with self._transaction():
            # Annotations first: a value of one may point at another of them. In bulk:
            # undoing the deletion of a category puts back thousands at once.
            self.db.table("annotations").insert_all(
                (_annotation_row(d.annotation) for d in deletions), batch_size=500
            )
            if values:
                self.db.table("annotation_values").insert_all(values, replace=True, batch_size=500)


def _annotation_row(annotation: Annotation) -> dict[str, object]:
    """An annotation record as its row in the ``annotations`` table."""
    return {
        "id": annotation.id,
        "document_id": annotation.document_id,
        "coder_id": annotation.coder_id,
        "category_id": annotation.category_id,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "memo": annotation.memo,
        "created_at": annotation.created_at,
        "updated_at": annotation.updated_at,
    }


def open_project(path: str | Path, *, create: bool = False, read_only: bool = False) -> Project:
    """Open the project file at ``path``; with ``create=True`` make it if missing.
    ``read_only=True``: every write is refused with a ProjectError."""
    path = Path(path)
    if create and not path.exists():
        create_database(path)
    elif not path.exists():
        raise ProjectError(f"“{path}” does not exist.")
    return Project(path, open_database(path, read_only=read_only))


def create_project(path: str | Path) -> Project:
    """Create a new project file at ``path`` and open it."""
    path = Path(path)
    create_database(path)
    return Project(path, open_database(path))
