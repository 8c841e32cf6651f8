"""Merging a coder's file into the lead's project, by UUID.

Each annotation has three states: in the copy, in the lead's project, and as last
merged (``merged_annotations``), each a digest of what it says or ``DELETED``
(a tombstone) or nothing; ``core.team.decide`` says what to do. Documents are
matched by id and must have the same SHA-256; categories and attributes by key,
choices by id, else by label within their own attribute (a choice the coder added
comes along), registry actors by id (an actor the coder added comes along, and one
whose name or alias is already another actor's is listed). One file is one
transaction: a refusal or a cancel leaves the project as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from annotator.core.clock import new_id, utc_now
from annotator.core.codebook import Codebook, Value
from annotator.core.progress import Progress
from annotator.core.team import (
    DELETED,
    Action,
    Conflict,
    MergeReport,
    decide,
    folded,
)
from annotator.core.types import Target, Where, attribute_type
from annotator.store.base import StoreBase
from annotator.store.team_read import Book, Row, by_ids, copy_meta, read_annotations, refusal

MERGE_CACHE_KIB = -65536  # 64 MiB (a negative size is in KiB)


@contextmanager
def _cache(conn: sqlite3.Connection) -> Iterator[None]:
    """A larger page cache while merging: tens of thousands of rows go into indexes
    keyed by random ids."""
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {MERGE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


class TeamMergeStore(StoreBase):
    if TYPE_CHECKING:  # the project's codebook and value parts provide them

        def codebook(self) -> Codebook: ...

        def _target(self, annotation_id: str) -> Target | None: ...

        def _actor_exists(self, actor_id: str) -> bool: ...

    def merge_coder_file(
        self, copy: StoreBase, label: str, progress: Progress | None = None
    ) -> tuple[MergeReport, set[str], set[str]]:
        """Merge the coder file ``copy`` (open read-only) in one transaction; the report,
        and the annotation and document ids that changed. A file refused as a whole
        comes back as a report with ``refused_file`` set and nothing written."""
        progress = progress or Progress()
        meta = copy_meta(copy)
        report = MergeReport(label, meta.get("team_coder", ""))
        why = refusal(self, copy)
        if why:
            report.refused_file = why
            return report, set(), set()
        progress.step(0, 4, "reading the coder file")
        theirs_book, ours_book = Book.read(copy), Book.read(self)
        rows, values = read_annotations(copy, None)
        tombstones = {
            row[0]: row
            for row in copy._query("SELECT annotation_id, deleted_at FROM annotation_tombstones")
        }
        documents = dict(self._query("SELECT id, sha256 FROM documents"))
        progress.step(1, 4, "comparing")
        states: dict[str, str] = {}  # the copy's state of each annotation it knows
        for ident in sorted(set(rows) | set(tombstones)):
            row = rows.get(ident)
            if row is None:
                states[ident] = DELETED
            elif row[1] not in documents:
                report.refused.append(
                    f"annotation {ident}: its document {row[1]} is not in this project"
                )
            elif theirs_book.category_key.get(row[3]) not in ours_book.category_id:
                key = theirs_book.category_key.get(row[3], row[3])
                report.refused.append(f"annotation {ident}: no category “{key}” in this project")
            else:
                states[ident] = theirs_book.digest(row, values.get(ident, []))
        base = {
            k: r[1]
            for k, r in by_ids(
                self,
                "SELECT annotation_id, digest FROM merged_annotations WHERE annotation_id IN ({})",
                list(states),
            ).items()
        }
        # The same as last merged: nothing new, whatever the lead's project holds.
        ids = [ident for ident, state in states.items() if state != base.get(ident)]
        report.unchanged += len(states) - len(ids)
        progress.step(2, 4, "reading the project")
        lead_rows, lead_values = read_annotations(self, ids)
        lead_dead = {
            k: r[1]
            for k, r in by_ids(
                self,
                "SELECT annotation_id, deleted_at FROM annotation_tombstones"
                " WHERE annotation_id IN ({})",
                ids,
            ).items()
        }
        take: list[str] = []
        gone: list[str] = []
        merged: list[tuple[str, str]] = []
        older = 0
        for ident in ids:
            row = rows.get(ident)
            mine = states[ident]
            lead_row = lead_rows.get(ident)
            if lead_row is not None:
                lead_state: str | None = ours_book.digest(lead_row, lead_values.get(ident, []))
            else:
                lead_state = DELETED if ident in lead_dead else None
            action = decide(mine, base.get(ident), lead_state)
            copy_time = row[9] if row is not None else tombstones[ident][1]
            lead_time = lead_row[9] if lead_row is not None else lead_dead.get(ident, "")
            if action is Action.TAKE and ident in base and copy_time < lead_time:
                # The lead holds the version merged last, and it is newer than this
                # file's: an older file of the coder (an earlier attachment merged
                # again). Taking it would undo the coder's later work.
                older += 1
                report.unchanged += 1
                continue
            if action is Action.CONFLICT:
                kept = "copy" if copy_time > lead_time else "lead"
                coder = (row or lead_row or ("", "", ""))[2]
                doc = (row or lead_row or ("", ""))[1]
                report.conflicts.append(
                    Conflict(
                        ident,
                        doc,
                        coder,
                        None if row is None else theirs_book.version(row, values.get(ident, [])),
                        None
                        if lead_row is None
                        else ours_book.version(lead_row, lead_values.get(ident, [])),
                        kept,
                    )
                )
                if kept == "copy":
                    action = Action.TAKE
            if action is Action.TAKE:
                if row is None:
                    gone.append(ident)
                else:
                    take.append(ident)
            elif not report.conflicts or report.conflicts[-1].annotation_id != ident:
                report.unchanged += 1
            if base.get(ident) != mine and (mine != DELETED or lead_state is not None):
                merged.append((ident, mine))  # the version merged now, where it is new
        if older:
            report.refused.append(
                f"{older} annotation{'s' if older != 1 else ''}: this file holds an older version"
                " than one merged before (from a newer file of the same coder), so "
                f"{'they were' if older != 1 else 'it was'} left as the project has "
                f"{'them' if older != 1 else 'it'}"
            )
        progress.step(3, 4, "writing")
        changed_docs: set[str] = set()
        with self._transaction(), _cache(self.db.conn):
            refused = self._apply(
                report,
                copy,
                theirs_book,
                ours_book,
                rows,
                values,
                take,
                gone,
                lead_rows,
                changed_docs,
            )
            now = utc_now()
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO merged_annotations (annotation_id, digest, merged_at)"
                " VALUES (?, ?, ?)",
                [(ident, digest, now) for ident, digest in merged if ident not in refused],
            )
            self._record_coder_documents(copy, report.coder, rows, now)
            self.db.execute(
                "INSERT INTO merge_log (merged_at, file, coder, counts, report)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    now,
                    label,
                    report.coder,
                    json.dumps(report.counts()),
                    json.dumps(
                        {
                            "conflicts": [c.__dict__ for c in report.conflicts],
                            "refused": report.refused,
                            "duplicate_actors": report.duplicate_actors,
                            "new_choices": report.new_choices,
                            "new_actors": report.new_actors,
                        },
                        ensure_ascii=False,
                        default=str,
                    ),
                ),
            )
            progress.step(4, 4, "committing")  # a cancel now still undoes all of it
        return report, set(take) | set(gone), changed_docs

    def _apply(
        self,
        report: MergeReport,
        copy: StoreBase,
        theirs: Book,
        ours: Book,
        rows: dict[str, Row],
        values: dict[str, list[Row]],
        take: list[str],
        gone: list[str],
        lead_rows: dict[str, Row],
        changed_docs: set[str],
    ) -> set[str]:
        conn = self.db.conn
        actors = self._bring_actors(
            report, copy, {v[6] for i in take for v in values.get(i, []) if v[6]}
        )
        coders: dict[str, str] = dict(
            (name, ident) for ident, name in self._query("SELECT id, name FROM coders")
        )
        for ident in take:
            name = rows[ident][2]
            if name not in coders:
                coders[name] = new_id()
                conn.execute(
                    "INSERT INTO coders (id, name, created_at) VALUES (?, ?, ?)",
                    (coders[name], name, utc_now()),
                )
        texts: dict[str, str] = {}
        inserts: list[Row] = []
        kept_ids = set(take)
        for ident in take:
            row = rows[ident]
            doc = row[1]
            if doc not in texts:
                texts[doc] = self._query("SELECT text FROM documents WHERE id = ?", (doc,))[0][0]
            start, end, quote = row[4], row[5], row[6]
            if not (
                isinstance(start, int)
                and isinstance(end, int)
                and 0 <= start < end <= len(texts[doc])
                and texts[doc][start:end] == quote
            ):
                report.refused.append(
                    f"annotation {ident}: its span does not fit the document's text"
                )
                kept_ids.discard(ident)
                continue
            category = ours.category_id[theirs.category_key[row[3]]]
            record = (
                ident,
                doc,
                coders[row[2]],
                category,
                start,
                end,
                quote,
                row[7],
                row[8],
                row[9],
            )
            changed_docs.add(doc)
            if ident in lead_rows:
                report.updated += 1
                old = lead_rows[ident]
                conn.execute(
                    "UPDATE annotations SET document_id = ?, coder_id = ?, category_id = ?,"
                    ' start = ?, "end" = ?, quote = ?, memo = ?, updated_at = ? WHERE id = ?',
                    (doc, coders[row[2]], category, start, end, quote, row[7], row[9], ident),
                )
                conn.execute("DELETE FROM annotation_values WHERE annotation_id = ?", (ident,))
                changed_docs.add(old[1])
            else:
                report.added += 1
                inserts.append(record)
        inserts.sort(key=lambda r: (r[1], r[4], r[5], r[0]))  # in the table's key order
        conn.executemany(
            'INSERT INTO annotations (id, document_id, coder_id, category_id, start, "end", quote,'
            " memo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            inserts,
        )
        value_rows: list[Row] = []
        now = utc_now()
        present = set(lead_rows) | kept_ids
        for ident in kept_ids:
            category_key = theirs.category_key[rows[ident][3]]
            for value in values.get(ident, []):
                _owner, attribute, text, number, choice, ref, actor = value
                key = theirs.attribute.get(attribute, ("", ""))[1]
                target = ours.attribute_id.get((category_key, key))
                if target is None:
                    report.refused.append(
                        f"a value of annotation {ident}: no attribute “{key}” of"
                        f" “{category_key}” in this project"
                    )
                    continue
                if choice is not None:
                    choice = self._bring_choice(report, theirs, ours, choice, target)
                if ref is not None and (ref in gone or ref not in present):
                    if ref in gone or not self._query(
                        "SELECT 1 FROM annotations WHERE id = ?", (ref,)
                    ):
                        report.refused.append(
                            f"a value of annotation {ident}: it points at an annotation not merged"
                        )
                        continue
                if actor is not None and actor not in actors:
                    report.refused.append(
                        f"a value of annotation {ident}: its actor is not in the registry"
                    )
                    continue
                value_rows.append((ident, target, text, number, choice, ref, actor, now))
        value_rows = self._typed(report, value_rows, {i: rows[i][1] for i in kept_ids})
        value_rows.sort(key=lambda r: (r[0], r[1]))  # in the primary key's order
        conn.executemany(
            "INSERT OR REPLACE INTO annotation_values (annotation_id, attribute_id, value_text,"
            " value_number, choice_id, ref_annotation_id, ref_actor_id, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            value_rows,
        )
        for ident in gone:
            lead_row = lead_rows.get(ident)
            if lead_row is None:
                continue
            report.deleted += 1
            changed_docs.add(lead_row[1])
            conn.execute("DELETE FROM annotation_values WHERE ref_annotation_id = ?", (ident,))
            conn.execute("DELETE FROM annotation_values WHERE annotation_id = ?", (ident,))
            conn.execute("DELETE FROM annotations WHERE id = ?", (ident,))
        return set(take) - kept_ids

    def _typed(
        self, report: MergeReport, value_rows: list[Row], documents: dict[str, str]
    ) -> list[Row]:
        """The values their attribute's type accepts, as the store checks every value it
        writes (a file written elsewhere may hold others); the rest are refused."""
        codebook = self.codebook()  # with the choices brought along
        attributes = {a.id: a for a in codebook.attributes}
        kept: list[Row] = []
        for row in value_rows:
            ident, attribute_id, text, number, choice, ref, actor, _now = row
            attribute = attributes[attribute_id]
            value = Value(attribute_id, text, number, choice, ref, actor)
            where = Where(codebook, ident, documents[ident], self._target, self._actor_exists)
            try:
                attribute_type(attribute.type).check(attribute, value, where)
            except (ValueError, KeyError) as exc:
                report.refused.append(f"a value of annotation {ident}: {exc}")
                continue
            kept.append(row)
        return kept

    def _bring_choice(
        self, report: MergeReport, theirs: Book, ours: Book, choice: str, attribute: str
    ) -> str:
        """The lead's id of the copy's choice ``choice``, held by a value of the lead's
        ``attribute``: the same choice (its id: the copy was made from the lead's file,
        and the lead may have renamed it since), else one of the same label, else the
        choice added (with the copy's id unless the lead uses it). The choice belongs to
        its own attribute, which is another one where a reference takes another
        attribute's choices (a stance's target, an issue of the claims)."""
        holder, label, code, colour, position = (
            theirs.choice[choice] if choice in theirs.choice else (None, choice, None, "", 0)
        )
        if holder in theirs.attribute:
            category, key = theirs.attribute[holder]
            owner = ours.attribute_id.get((theirs.category_key.get(category, ""), key))
            attribute = owner or attribute
        if ours.choice.get(choice, (None,))[0] == attribute:
            return choice
        found = ours.choice_id.get((attribute, label))
        if found is not None:
            return found
        ident = choice if choice not in ours.choice else new_id()
        position = self._query(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM choices WHERE attribute_id = ?",
            (attribute,),
        )[0][0]
        self.db.execute(
            "INSERT INTO choices (id, attribute_id, label, code, colour, position)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (ident, attribute, label, code, colour or "", position),
        )
        ours.choice[ident] = (attribute, label, code, colour, position)
        ours.choice_id[(attribute, label)] = ident
        report.new_choices.append(str(label))
        return ident

    def _bring_actors(self, report: MergeReport, copy: StoreBase, wanted: set[str]) -> set[str]:
        """Add the copy's registry actors the lead lacks (all of them, not only those
        ``wanted`` by values); list those whose name or alias another actor has.
        Returns every actor id the lead now has."""
        ours = {row[0] for row in self._query("SELECT id FROM actors")}
        names: dict[str, str] = {}
        for (name,) in self._query("SELECT name FROM actors"):
            names.setdefault(folded(name), name)
        for (alias,) in self._query("SELECT alias FROM actor_aliases"):
            names.setdefault(folded(alias), alias)
        their_aliases: dict[str, list[tuple[str, int]]] = {}
        for actor, alias, position in copy._query(
            "SELECT actor_id, alias, position FROM actor_aliases"
        ):
            their_aliases.setdefault(actor, []).append((alias, position))
        for row in copy._query(
            "SELECT id, name, type, country, notes, created_at, updated_at"
            " FROM actors ORDER BY name"
        ):
            if row[0] in ours:
                continue
            self.db.execute(
                "INSERT INTO actors (id, name, type, country, notes, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            self.db.conn.executemany(
                "INSERT INTO actor_aliases (actor_id, alias, position) VALUES (?, ?, ?)",
                [(row[0], alias, position) for alias, position in their_aliases.get(row[0], [])],
            )
            ours.add(row[0])
            report.new_actors.append(row[1])
            for name in [row[1], *(a for a, _p in their_aliases.get(row[0], []))]:
                existing = names.get(folded(name))
                if existing is not None:
                    report.duplicate_actors.append((row[1], existing))
                    break
        del wanted
        return ours

    def _record_coder_documents(
        self, copy: StoreBase, coder: str, rows: dict[str, Row], now: str
    ) -> None:
        """Each document of the copy: merged now, with its status in the copy."""
        coders = [coder] if coder else sorted({row[2] for row in rows.values()})
        documents = dict(self._query("SELECT id, 1 FROM documents"))
        statuses = [
            (d, s) for d, s in copy._query("SELECT id, status FROM documents") if d in documents
        ]
        self.db.conn.executemany(
            "INSERT INTO team_documents (coder, document_id, merged_at, status) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (coder, document_id) DO UPDATE SET merged_at = excluded.merged_at,"
            " status = excluded.status",
            [(name, doc, now, status) for name in coders for doc, status in statuses],
        )
