"""The actor registry: canonical actors, aliases, merging, finding mentions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.clock import new_id, utc_now
from annotator.core.codebook import Actor
from annotator.core.corpus_query import Term
from annotator.store.corpus_search import CorpusSearchStore, SearchFilters


@dataclass(frozen=True)
class Merge:
    """What merging ``dropped`` into ``kept`` changed, so it can be undone."""

    kept: Actor
    dropped: Actor
    moved: tuple[tuple[str, str], ...]  # (annotation_id, attribute_id) re-pointed to kept
    added_aliases: tuple[str, ...] = ()  # names of ``dropped`` that ``kept`` gained


@dataclass(frozen=True)
class Mention:
    document_id: str
    start: int
    end: int
    quote: str


# A row of the actor queries: id, name, type, country, notes, mention count.
_ActorRow = tuple[str, str, str, str, str, int]


def _actor(row: _ActorRow, aliases: tuple[str, ...]) -> Actor:
    return Actor(*row[:5], aliases, row[5])


def _names(aliases: object) -> list[str]:
    """``aliases`` as given to :meth:`RegistryStore.update_actor`: names, in any iterable."""
    if not isinstance(aliases, Iterable):
        raise TypeError(f"'{type(aliases).__name__}' object is not iterable")
    names = list(aliases)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"an alias must be text, not {type(name).__name__}")
    return names


class RegistryStore(CorpusSearchStore):
    def actors(self) -> list[Actor]:
        aliases: dict[str, list[str]] = {}
        for actor_id, alias in self._query(
            "SELECT actor_id, alias FROM actor_aliases ORDER BY position, alias"
        ):
            aliases.setdefault(actor_id, []).append(alias)
        rows = self._query(
            "SELECT a.id, a.name, a.type, a.country, a.notes, (SELECT COUNT(*) FROM"
            " annotation_values v WHERE v.ref_actor_id = a.id) FROM actors a"
            " ORDER BY a.name COLLATE NOCASE, a.id"
        )
        return [_actor(row, tuple(aliases.get(row[0], ()))) for row in rows]

    def actor(self, actor_id: str) -> Actor:
        rows = self._query(
            "SELECT a.id, a.name, a.type, a.country, a.notes, (SELECT COUNT(*) FROM"
            " annotation_values v WHERE v.ref_actor_id = a.id) FROM actors a WHERE a.id = ?",
            (actor_id,),
        )
        if not rows:
            raise KeyError(f"no actor '{actor_id}'")
        aliases = tuple(
            r[0]
            for r in self._query(
                "SELECT alias FROM actor_aliases WHERE actor_id = ? ORDER BY position, alias",
                (actor_id,),
            )
        )
        return _actor(rows[0], aliases)

    def add_actor(
        self,
        name: str,
        *,
        type: str = "",
        country: str = "",
        notes: str = "",
        aliases: tuple[str, ...] | list[str] = (),
        actor_id: str | None = None,
    ) -> Actor:
        name = " ".join(name.split())
        if not name:
            raise ValueError("An actor needs a name.")
        actor_id = actor_id or new_id()
        now = utc_now()
        with self._transaction():
            self.db.table("actors").insert(
                {
                    "id": actor_id,
                    "name": name,
                    "type": type,
                    "country": country,
                    "notes": notes,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            self._set_aliases(actor_id, aliases, name)
        return self.actor(actor_id)

    def _set_aliases(self, actor_id: str, aliases: tuple[str, ...] | list[str], name: str) -> None:
        self.db.execute("DELETE FROM actor_aliases WHERE actor_id = ?", (actor_id,))
        seen = {name.casefold()}
        rows: list[dict[str, str | int]] = []
        for alias in aliases:
            alias = " ".join(alias.split())
            if alias and alias.casefold() not in seen:
                seen.add(alias.casefold())
                rows.append({"actor_id": actor_id, "alias": alias, "position": len(rows)})
        if rows:
            self.db.table("actor_aliases").insert_all(rows)

    def update_actor(self, actor_id: str, **fields: object) -> Actor:
        """Change ``name``, ``type``, ``country``, ``notes`` or ``aliases``.

        Mentions refer to the actor by id, so a new name shows everywhere at once.
        """
        unknown = set(fields) - {"name", "type", "country", "notes", "aliases"}
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of an actor")
        current = self.actor(actor_id)
        row = {k: v for k, v in fields.items() if k != "aliases"}
        if "name" in row:
            row["name"] = " ".join(str(row["name"]).split())
            if not row["name"]:
                raise ValueError("An actor needs a name.")
        with self._transaction():
            if row:
                self.db.table("actors").update(actor_id, {**row, "updated_at": utc_now()})
            if "aliases" in fields or "name" in row:
                aliases = _names(fields.get("aliases", current.aliases))
                self._set_aliases(actor_id, aliases, str(row.get("name", current.name)))
        return self.actor(actor_id)

    def merge_actors(self, keep_id: str, drop_id: str) -> Merge:
        """Fold ``drop`` into ``keep``: its mentions, name and aliases move over."""
        if keep_id == drop_id:
            raise ValueError("An actor cannot be merged with itself.")
        kept, dropped = self.actor(keep_id), self.actor(drop_id)
        moved = tuple(
            (r[0], r[1])
            for r in self._query(
                "SELECT annotation_id, attribute_id FROM annotation_values WHERE ref_actor_id = ?",
                (drop_id,),
            )
        )
        with self._transaction():
            self.db.execute(
                "UPDATE annotation_values SET ref_actor_id = ? WHERE ref_actor_id = ?",
                (keep_id, drop_id),
            )
            self._set_aliases(keep_id, [*kept.aliases, *dropped.names()], kept.name)
            self.db.execute("DELETE FROM actors WHERE id = ?", (drop_id,))
        had = {n.casefold() for n in kept.names()}
        added = tuple(n for n in self.actor(keep_id).aliases if n.casefold() not in had)
        return Merge(kept, dropped, moved, added)

    def unmerge(self, merge: Merge) -> None:
        """Undo :meth:`merge_actors`."""
        kept, dropped = merge.kept, merge.dropped
        with self._transaction():
            self.add_actor(
                dropped.name,
                type=dropped.type,
                country=dropped.country,
                notes=dropped.notes,
                aliases=dropped.aliases,
                actor_id=dropped.id,
            )
            # Take back only what the merge added: later edits to the kept actor stay.
            current = self.actor(kept.id)
            added = {n.casefold() for n in merge.added_aliases}
            self._set_aliases(
                kept.id, [n for n in current.aliases if n.casefold() not in added], current.name
            )
            for annotation_id, attribute_id in merge.moved:
                self.db.execute(
                    "UPDATE annotation_values SET ref_actor_id = ?"
                    " WHERE annotation_id = ? AND attribute_id = ?",
                    (dropped.id, annotation_id, attribute_id),
                )

    def actor_references(self, actor_id: str) -> list[str]:
        """Ids of the annotations whose values point to this actor."""
        return [
            r[0]
            for r in self._query(
                "SELECT DISTINCT annotation_id FROM annotation_values WHERE ref_actor_id = ?",
                (actor_id,),
            )
        ]

    def delete_actor(self, actor_id: str) -> int:
        """Delete an actor; values that pointed to it are cleared. Returns how many."""
        used = self.actor(actor_id).mention_count
        with self._transaction():
            self.db.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
        return used

    def match_actors(self, text: str) -> list[Actor]:
        """Actors whose name or alias matches ``text``: exact first, then partial."""
        needle = " ".join(text.split()).casefold()
        if not needle:
            return self.actors()
        exact, partial = [], []
        for actor in self.actors():
            names = [n.casefold() for n in actor.names()]
            if needle in names:
                exact.append(actor)
            elif any(needle in n or n in needle for n in names):
                partial.append(actor)
        return exact + partial

    def find_mentions(self, actor_id: str, document_id: str | None = None) -> list[Mention]:
        """Whole-word, case-insensitive occurrences of the actor's names that no
        annotation of the actor's category covers yet, longest name first: a corpus
        search (narrowed by the corpus index) for any of the names."""
        actor = self.actor(actor_id)
        names = sorted({n for n in actor.names() if n.strip()}, key=len, reverse=True)
        if not names:
            return []
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE
        )
        pieces = [Term(tuple(n.split())).index_expression() for n in names]
        expression = None if None in pieces else " OR ".join(f"({p})" for p in pieces)
        filters = SearchFilters(document_ids=(document_id,) if document_id else ())
        found = self._search(
            lambda text: [m.span() for m in pattern.finditer(text)],
            expression,
            None,
            filters,
            None,
            None,
            0.0,
        )
        return [
            Mention(hit.document_id, hit.start, hit.end, hit.match)
            for hit in found.hits()
            if "actor" not in hit.coded
        ]
