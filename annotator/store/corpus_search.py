"""Corpus search: every document's text, narrowed by the corpus index, read one
document at a time; hits with their context and the categories already coded there.

``Project.search`` is the store's API for the window, the command line and scripts
(see ``core.corpus_query`` for what a query means). It only reads.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import regex

from annotator.core.corpus_query import (
    DocumentHits,
    Hit,
    SearchResult,
    compile_regex,
    context,
    overlapping,
    parse_query,
)
from annotator.core.progress import Progress
from annotator.store.base import StoreBase
from annotator.store.corpus_index import INDEX_TABLE, NUMBERS_TABLE, has_corpus_index
from annotator.store.errors import ProjectError, damaged_message

Finder = Callable[[str], list[tuple[int, int]]]  # a text → its hits, in order
DEFAULT_LIMIT = 1000  # hits carried with their context; every hit is counted
TIME_LIMIT_S = 10.0  # a search (a slow regular expression) stops after this long
REGEX_LIMIT_S = 2.0  # a regular expression stops after this long in one document
Found = Callable[[DocumentHits], None]  # told of each document with hits, as it is read


@dataclass(frozen=True)
class SearchFilters:
    """Which documents to search. Empty fields do not filter. Dates are compared as
    ISO text (``2024-03`` lies before ``2024-03-01``); a document without a date is
    left out once either end is set. ``variables`` maps a document variable's key to
    the value (as stored) a document must have."""

    statuses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    variables: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    document_ids: tuple[str, ...] = ()

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        for column, values in (
            ("d.status", self.statuses),
            ("d.source", self.sources),
            ("d.id", self.document_ids),
        ):
            if values:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        if self.date_from or self.date_to:
            clauses.append("d.date <> ''")
        if self.date_from:
            clauses.append("d.date >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append("d.date <= ?")
            params.append(self.date_to + "\uffff")  # 2024-03 reaches to its last day
        for key, value in self.variables:
            clauses.append(
                "EXISTS (SELECT 1 FROM document_values dv JOIN variables v"
                " ON v.id = dv.variable_id WHERE dv.document_id = d.id AND v.key = ?"
                " AND dv.value = ?)"
            )
            params.extend((key, value))
        return " AND ".join(clauses) or "1", params


class RegexTooSlow(Exception):
    """A regular expression ran longer than its limit in one text."""


def _regex_spans(pattern: regex.Pattern[str], limit: float | None) -> Finder:
    """The non-empty matches of a user's regular expression; RegexTooSlow once it has
    run ``limit`` seconds in the text (one that backtracks without end). The matching
    lets other threads run (``concurrent``): a window stays alive meanwhile."""

    def find(text: str) -> list[tuple[int, int]]:
        try:
            matches = pattern.finditer(text, concurrent=True, timeout=limit)
            return [m.span() for m in matches if m.end() > m.start()]
        except TimeoutError as exc:
            raise RegexTooSlow(limit) from exc

    return find


class CorpusSearchStore(StoreBase):
    def search(
        self,
        query: str,
        *,
        regex: bool = False,
        limit: int | None = DEFAULT_LIMIT,
        filters: SearchFilters | None = None,
        progress: Progress | None = None,
        time_limit: float | None = TIME_LIMIT_S,
        coded: bool = True,
        found: Found | None = None,
        regex_limit: float | None = REGEX_LIMIT_S,
    ) -> SearchResult:
        """Every document (in project order) that matches ``query``, with its hits.

        A query is words, "phrases" and prefixes (``secur*``), any case; with
        ``regex`` a Python regular expression (case-sensitive unless it says
        ``(?i)``), matched in each text. At most ``limit`` hits carry their context
        and coded categories (None: all); every hit is counted. The search stops
        after ``time_limit`` seconds (``stopped`` says so) and raises ``Cancelled``
        once ``progress`` is cancelled. With ``coded=False`` the hits' ``coded`` is left
        empty (a window asks ``coded_at`` for the rows it shows). ``found`` is told of
        each document with hits as soon as it is read (a window shows them coming). A
        regular expression that runs ``regex_limit`` seconds in one document stops the
        search there (``stopped`` names the document). QueryError for a query that is
        not one.
        """
        started = time.perf_counter()
        if regex:
            pattern = compile_regex(query)
            find: Finder = _regex_spans(pattern, regex_limit)
            expression: str | None = None
        else:
            parsed = parse_query(query)
            find, expression = parsed.spans, parsed.index_expression()
        return self._search(
            find, expression, limit, filters, progress, time_limit, started, coded, found
        )

    def _search(
        self,
        find: Finder,
        expression: str | None,
        limit: int | None,
        filters: SearchFilters | None,
        progress: Progress | None,
        time_limit: float | None,
        started: float,
        coded: bool = True,
        on_found: Found | None = None,
    ) -> SearchResult:
        """The hits ``find`` finds in each document that, when ``expression`` is given,
        matches it in the corpus index."""
        where, params = (filters or SearchFilters()).where()
        narrowed = self._indexed(expression) if expression is not None else None
        if narrowed is not None:
            where += " AND d.id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(narrowed))
        room = limit  # hits that may still carry their context (None: any number)
        documents: list[DocumentHits] = []
        total = searched = 0
        stopped = ""
        with self.snapshot():
            rows = self._stream(
                f"SELECT d.id, d.title, d.text FROM documents d WHERE {where}"
                " ORDER BY d.position, d.id",
                params,
            )
            candidates = self._count(f"SELECT COUNT(*) FROM documents d WHERE {where}", params)
            for doc_id, title, text in rows:
                if progress is not None:
                    progress.step(searched, candidates, title)
                if time_limit is not None and time.perf_counter() - started > time_limit:
                    stopped = f"Stopped after {time_limit:g} s: {searched} of {candidates}"
                    stopped += " documents searched."
                    break
                try:
                    found = find(text)
                except RegexTooSlow as slow:
                    stopped = (
                        f"The regular expression ran over {slow.args[0]:g} s in “{title}”"
                        f" and was stopped there: {searched} of {candidates} documents searched."
                    )
                    break
                searched += 1
                count = len(found)
                spans = found if room is None else found[:room]
                if room is not None:
                    room -= len(spans)
                if count:
                    hits = self._hits(doc_id, text, spans, coded)
                    documents.append(DocumentHits(doc_id, title, count, hits))
                    total += count
                    if on_found is not None:
                        on_found(documents[-1])
        shown = sum(len(d.hits) for d in documents)
        return SearchResult(tuple(documents), total, searched, stopped, shown)

    def _indexed(self, expression: str) -> list[str] | None:
        """The documents the corpus index says may match ``expression``; None when the
        index cannot answer (a file without it, a token it reads otherwise)."""
        if not has_corpus_index(self.db):
            return None
        try:
            rows = self.db.execute(
                f"SELECT c.document_id FROM {NUMBERS_TABLE} c WHERE c.n IN"
                f" (SELECT rowid FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH ?)",
                (expression,),
            ).fetchall()
        except sqlite3.OperationalError:
            return None
        return [row[0] for row in rows]

    def _stream(self, sql: str, params: list[object]) -> Iterator[tuple[str, str, str]]:
        try:
            cursor = self.db.conn.execute(sql, params)
            while rows := cursor.fetchmany(16):
                yield from rows
        except sqlite3.DatabaseError as exc:
            raise ProjectError(damaged_message(exc)) from exc

    def _hits(
        self, doc_id: str, text: str, spans: list[tuple[int, int]], coded: bool
    ) -> tuple[Hit, ...]:
        keys = self.coded_at(doc_id, spans) if coded else [()] * len(spans)
        return tuple(
            Hit(doc_id, start, end, *_around(text, start, end), keys[i])
            for i, (start, end) in enumerate(spans)
        )

    def coded_at(self, document_id: str, spans: list[tuple[int, int]]) -> list[tuple[str, ...]]:
        """For each span of the document, the keys of the categories of the annotations
        that overlap it (in the order they start, then in the codebook's order). One
        read a span, each over only the annotations that begin at most the document's
        longest annotation before it."""
        if not spans:
            return []
        longest = self._query(
            'SELECT COALESCE(MAX("end" - start), 0) FROM annotations WHERE document_id = ?',
            (document_id,),
        )[0][0]
        found = []
        for start, end in spans:
            rows = self._query(
                'SELECT a.start, a."end", c.key FROM annotations a'
                " JOIN categories c ON c.id = a.category_id WHERE a.document_id = ?"
                ' AND a.start >= ? AND a.start < ? AND a."end" > ?'
                " ORDER BY a.start, c.position, c.key",
                (document_id, start - longest, end, start),
            )
            found.append(overlapping(rows, start, end))
        return found


def _around(text: str, start: int, end: int) -> tuple[str, str, str]:
    before, after = context(text, start, end)
    return before, text[start:end], after
