"""Corpus search: every document's text, narrowed by the corpus index, read one
document at a time; hits with their context and the categories already coded there.

``Project.search`` is the store's API for the window, the command line and scripts
(see ``core.corpus_query`` for what a query means). It only reads.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

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

DEFAULT_LIMIT = 1000  # hits carried with their context; every hit is counted
TIME_LIMIT_S = 10.0  # a search (a slow regular expression) stops after this long


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
    ) -> SearchResult:
        """Every document (in project order) that matches ``query``, with its hits.

        A query is words, "phrases" and prefixes (``secur*``), any case; with
        ``regex`` a Python regular expression (case-sensitive unless it says
        ``(?i)``), matched in each text. At most ``limit`` hits carry their context
        and coded categories (None: all); every hit is counted. The search stops
        after ``time_limit`` seconds (``stopped`` says so) and raises ``Cancelled``
        once ``progress`` is cancelled. QueryError for a query that is not one.
        """
        started = time.perf_counter()
        terms: list[re.Pattern[str]] = []
        expression: str | None = None
        if regex:
            pattern = compile_regex(query)
        else:
            parsed = parse_query(query)
            pattern = parsed.regex
            expression = parsed.index_expression()
            if len(parsed.terms) > 1:
                terms = [re.compile(t.pattern(), re.IGNORECASE) for t in parsed.terms]
        return self._search(
            pattern, expression, terms, limit, filters, progress, time_limit, started
        )

    def _search(
        self,
        pattern: re.Pattern[str],
        expression: str | None,
        terms: list[re.Pattern[str]],
        limit: int | None,
        filters: SearchFilters | None,
        progress: Progress | None,
        time_limit: float | None,
        started: float,
    ) -> SearchResult:
        """The documents that hold every one of ``terms`` (all when none) and, when
        ``expression`` is given, match it in the corpus index; hits of ``pattern``."""
        where, params = (filters or SearchFilters()).where()
        if expression is not None and has_corpus_index(self.db):
            where += (
                f" AND d.id IN (SELECT c.document_id FROM {NUMBERS_TABLE} c WHERE c.n IN"
                f" (SELECT rowid FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH ?))"
            )
            params.append(expression)
        room = limit if limit is not None else -1
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
                searched += 1
                if terms and not all(t.search(text) for t in terms):
                    continue
                spans: list[tuple[int, int]] = []
                count = 0
                for match in pattern.finditer(text):
                    start, end = match.span()
                    if start == end:
                        continue
                    count += 1
                    if room != 0:
                        spans.append((start, end))
                        room -= 1
                if count:
                    hits = self._hits(doc_id, text, spans)
                    documents.append(DocumentHits(doc_id, title, count, hits))
                    total += count
        shown = sum(len(d.hits) for d in documents)
        return SearchResult(tuple(documents), total, searched, stopped, shown)

    def _stream(self, sql: str, params: list[object]) -> Iterator[tuple[str, str, str]]:
        try:
            cursor = self.db.conn.execute(sql, params)
            while rows := cursor.fetchmany(16):
                yield from rows
        except sqlite3.DatabaseError as exc:
            raise ProjectError(damaged_message(exc)) from exc

    def _hits(self, doc_id: str, text: str, spans: list[tuple[int, int]]) -> tuple[Hit, ...]:
        if not spans:
            return ()
        coded = self._query(
            'SELECT a.start, a."end", c.key FROM annotations a'
            " JOIN categories c ON c.id = a.category_id"
            " WHERE a.document_id = ? AND a.start < ? ORDER BY a.start",
            (doc_id, spans[-1][1]),
        )
        hits = []
        for start, end in spans:
            before, after = context(text, start, end)
            keys = overlapping(coded, start, end)
            hits.append(Hit(doc_id, start, end, before, text[start:end], after, keys))
        return tuple(hits)
