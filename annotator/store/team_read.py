"""Reading annotations for a merge: a codebook by keys and labels, annotations and
their values by id, and the digest that says whether two versions are the same."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.team import annotation_digest
from annotator.store.base import StoreBase

CHUNK = 500  # ids a query names at once (SQLite's limit on parameters is far above)


def chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def marks(count: int) -> str:
    return ", ".join("?" * count)


_ANN = (
    'SELECT a.id, a.document_id, c.name, a.category_id, a.start, a."end", a.quote, a.memo,'
    " a.created_at, a.updated_at FROM annotations a JOIN coders c ON c.id = a.coder_id"
)
_VAL = (
    "SELECT annotation_id, attribute_id, value_text, value_number, choice_id,"
    " ref_annotation_id, ref_actor_id FROM annotation_values"
)
Row = tuple[Any, ...]


@dataclass
class Book:
    """A project's codebook as the merge compares it: by keys and labels."""

    category_key: dict[str, str] = field(default_factory=dict)  # id -> key
    category_id: dict[str, str] = field(default_factory=dict)  # key -> id
    attribute: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (cat id, key)
    attribute_id: dict[tuple[str, str], str] = field(default_factory=dict)  # (cat key, key)
    choice: dict[str, Row] = field(default_factory=dict)  # id -> (attr id, label, code, ...)
    choice_id: dict[tuple[str, str], str] = field(default_factory=dict)  # (attr id, label)

    @classmethod
    def read(cls, store: StoreBase) -> Book:
        book = cls()
        for ident, key in store._query("SELECT id, key FROM categories"):
            book.category_key[ident] = key
            book.category_id[key] = ident
        for ident, category, key in store._query("SELECT id, category_id, key FROM attributes"):
            book.attribute[ident] = (category, key)
            book.attribute_id[(book.category_key.get(category, ""), key)] = ident
        for row in store._query(
            "SELECT id, attribute_id, label, code, colour, position FROM choices"
        ):
            book.choice[row[0]] = row[1:]
            book.choice_id[(row[1], row[2])] = row[0]
        return book

    def value_key(self, value: Row) -> tuple[str, object, object, object, object, object]:
        """A value row (as ``_VAL`` reads it) in the terms two files share."""
        _owner, attribute, text, number, choice, ref, actor = value
        label = self.choice[choice][1] if choice in self.choice else choice
        return (self.attribute.get(attribute, ("", attribute))[1], text, number, label, ref, actor)

    def digest(self, row: Row, values: Sequence[Row]) -> str:
        _ident, document, coder, category, start, end, _quote, memo = row[:8]
        return annotation_digest(
            document,
            coder,
            self.category_key.get(category, str(category)),
            start,
            end,
            memo,
            [self.value_key(v) for v in values],
        )

    def version(self, row: Row, values: Sequence[Row]) -> dict[str, object]:
        """An annotation as the merge report keeps it (both sides of a conflict)."""
        return {
            "coder": row[2],
            "category": self.category_key.get(row[3], row[3]),
            "start": row[4],
            "end": row[5],
            "quote": row[6],
            "memo": row[7],
            "created_at": row[8],
            "updated_at": row[9],
            "values": [list(self.value_key(v)) for v in values],
        }


def read_annotations(
    store: StoreBase, ids: Sequence[str] | None
) -> tuple[dict[str, Row], dict[str, list[Row]]]:
    """Annotations (all, or those of ``ids``) and their values, by annotation id."""
    rows: dict[str, Row] = {}
    values: dict[str, list[Row]] = {}
    if ids is None:
        rows = {row[0]: row for row in store._query(_ANN)}
        for value in store._query(_VAL):
            values.setdefault(value[0], []).append(value)
        return rows, values
    for chunk in chunks(list(ids)):
        for row in store._query(f"{_ANN} WHERE a.id IN ({marks(len(chunk))})", chunk):
            rows[row[0]] = row
        for value in store._query(f"{_VAL} WHERE annotation_id IN ({marks(len(chunk))})", chunk):
            values.setdefault(value[0], []).append(value)
    return rows, values


def by_ids(store: StoreBase, sql: str, ids: Sequence[str]) -> dict[str, Row]:
    found: dict[str, Row] = {}
    for chunk in chunks(list(ids)):
        for row in store._query(sql.format(marks(len(chunk))), chunk):
            found[row[0]] = row
    return found


def lead_digests(store: StoreBase, ids: Sequence[str]) -> dict[str, str]:
    """The digest of each of these annotations as the project holds it."""
    book = Book.read(store)
    rows, values = read_annotations(store, ids)
    return {ident: book.digest(row, values.get(ident, [])) for ident, row in rows.items()}


def copy_meta(copy: StoreBase) -> dict[str, str]:
    return {str(k): str(v) for k, v in copy._query("SELECT key, value FROM project_meta")}


def refusal(lead: StoreBase, copy: StoreBase) -> str:
    """Why the copy cannot be merged into ``lead`` at all ("" if it can)."""
    meta, own = copy_meta(copy), copy_meta(lead)
    if meta.get("project_id") != own.get("project_id"):
        return "it belongs to another project (its project id differs), so nothing was merged"
    if meta.get("team_role") != "copy" or not meta.get("team_coder"):
        # A copy of the lead's own file (or a backup of it) would bring back what was
        # deleted here since, as new annotations nobody coded.
        return (
            "it is not a coder's copy (Team ▸ Prepare Coder Copies makes those) but a copy "
            "of this project itself, so nothing was merged"
        )
    theirs = dict(copy._query("SELECT id, sha256 FROM documents"))
    ours = dict(by_ids(lead, "SELECT id, sha256 FROM documents WHERE id IN ({})", list(theirs)))
    shared = [d for d in theirs if d in ours]
    if not shared:
        return "it shares no document with this project, so nothing was merged"
    for doc_id in shared:
        if ours[doc_id][1] != theirs[doc_id]:
            title = lead._query("SELECT title FROM documents WHERE id = ?", (doc_id,))[0][0]
            return (
                f"its document “{title}” ({doc_id}) has a different text from this project's "
                "under the same id, so nothing was merged"
            )
    return ""
