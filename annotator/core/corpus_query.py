"""Corpus search queries, without SQL: what a typed query means, the pattern that finds
its hits in a text, the trigrams the project's index narrows documents by, and the
keyword-in-context lines a hit is shown in.

A query is words, "quoted phrases" and prefixes (``secur*``), any case. A document
matches when it holds every one of them; each occurrence of any of them is a hit. A
word or prefix of a spaced script matches whole words only (``secure`` not in
``insecure``); one in Korean, Japanese or Chinese matches wherever it occurs, as
words there carry particles or stand without spaces (``한국`` in ``한국은``). In a
phrase, words are separated by any run of white space. Offsets are code points.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Letters of scripts written without spaces between words (or with particles attached).
_UNSPACED_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x9FFF),  # CJK radicals, kana, CJK ideographs, ...
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),  # Hangul syllables
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),  # half- and full-width forms
    (0x20000, 0x3FFFF),
)
CONTEXT_WORDS = 6  # words of context shown either side of a hit
CONTEXT_CHARS = 60  # at most this many characters either side
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_SPACE = re.compile(r"\s+")


class QueryError(ValueError):
    """A query that cannot be searched for: the message says why."""


def unspaced(char: str) -> bool:
    """Is ``char`` a letter of Korean, Japanese or Chinese?"""
    code = ord(char)
    return any(low <= code <= high for low, high in _UNSPACED_RANGES)


@dataclass(frozen=True)
class Term:
    """One word, prefix or phrase of a query."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words) + ("*" if self.prefix else "")

    def pattern(self) -> str:
        """A regular expression for the term's occurrences (used with IGNORECASE)."""
        body = r"\s+".join(re.escape(w) for w in self.words)
        first, last = self.words[0], self.words[-1]
        left = "" if unspaced(first[0]) else r"(?<!\w)"
        if self.prefix:
            right = r"\w*" if not unspaced(last[-1]) else ""
        else:
            right = "" if unspaced(last[-1]) else r"(?!\w)"
        return left + body + right

    def trigrams(self) -> list[str]:
        """The three-character pieces every occurrence contains (none for words of one
        or two characters: the index cannot narrow those)."""
        found: list[str] = []
        for word in self.words:
            for i in range(len(word) - 2):
                piece = word[i : i + 3]
                if piece not in found:
                    found.append(piece)
        return found


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]
    regex: re.Pattern[str]

    def index_expression(self) -> str | None:
        """An FTS5 expression that every matching document satisfies, or None when no
        term has three characters (then every document must be read)."""
        pieces: list[str] = []
        for term in self.terms:
            for piece in term.trigrams():
                quoted = '"' + piece.replace('"', '""') + '"'
                if quoted not in pieces:
                    pieces.append(quoted)
        return " AND ".join(pieces) if pieces else None


def parse_query(text: str) -> Query:
    """The terms of a typed query; QueryError if there are none."""
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        phrase, word = match.groups()
        if phrase is not None:
            words = tuple(_words(phrase))
            if words:
                terms.append(Term(words))
            continue
        prefix = word.endswith("*")
        words = tuple(_words(word.rstrip("*")))
        if words:
            terms.append(Term(words, prefix))
    if not terms:
        raise QueryError("Type a word, a \u201cphrase\u201d or a prefix such as secur*.")
    unique = tuple(dict.fromkeys(terms))
    pattern = "|".join(f"(?:{t.pattern()})" for t in unique)
    return Query(unique, re.compile(pattern, re.IGNORECASE))


def _words(text: str) -> list[str]:
    """Words of a query: NFC, and punctuation at the ends of a bare word dropped."""
    text = unicodedata.normalize("NFC", text)
    return [w for w in (w.strip(".,;:!?()[]{}") for w in text.split()) if w]


def compile_regex(pattern: str) -> re.Pattern[str]:
    """A user's regular expression (Python syntax); QueryError if it is not one."""
    if not pattern:
        raise QueryError("Type a regular expression.")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise QueryError(f"Not a regular expression: {exc}.") from exc


@dataclass(frozen=True)
class Hit:
    """One occurrence: its document, its span (code points, half-open), the text
    around it on one line, and the categories of the annotations that overlap it."""

    document_id: str
    start: int
    end: int
    before: str
    match: str
    after: str
    coded: tuple[str, ...] = ()

    def line(self) -> str:
        """The hit in its context, on one line: before [match] after."""
        return f"{self.before}[{flat(self.match)}]{self.after}"


@dataclass(frozen=True)
class DocumentHits:
    """A document's hits: ``count`` of them in all, ``hits`` the first ones (a search's
    limit keeps the rest uncounted in memory)."""

    document_id: str
    title: str
    count: int
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class SearchResult:
    documents: tuple[DocumentHits, ...]
    total: int  # hits in all the documents
    searched: int  # documents read
    stopped: str = ""  # why the search ended early (time limit), else ""
    shown: int = field(default=0)  # hits carried in ``documents``

    def hits(self) -> list[Hit]:
        return [hit for doc in self.documents for hit in doc.hits]


def flat(text: str) -> str:
    return _SPACE.sub(" ", text)


def context(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> tuple[str, str]:
    """A few words before and after ``text[start:end]`` on one line, each side at most
    CONTEXT_CHARS characters (… where the document goes on)."""
    left = text[max(0, start - CONTEXT_CHARS) : start]
    right = text[end : end + CONTEXT_CHARS]
    left_words = left.split()
    right_words = right.split()
    before = " ".join(left_words[-words:]) if left_words else ""
    after = " ".join(right_words[:words]) if right_words else ""
    if left[-1:].isspace() and before:
        before += " "
    if right[:1].isspace() and after:
        after = " " + after
    if start > len(left) or len(left_words) > words:
        before = "…" + before
    if end + len(right) < len(text) or len(right_words) > words:
        after += "…"
    return before, after


def overlapping(spans: list[tuple[int, int, str]], start: int, end: int) -> tuple[str, ...]:
    """Categories of ``spans`` (sorted by start) that overlap [start, end)."""
    keys: list[str] = []
    for s, e, key in spans:
        if s >= end:
            break
        if e > start and key not in keys:
            keys.append(key)
    return tuple(keys)
