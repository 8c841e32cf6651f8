"""Corpus search queries, without SQL: what a typed query means, the pattern that finds
its hits in a text, the expression the project's word index narrows documents by,
and the keyword-in-context lines a hit is shown in.

A query is words, "quoted phrases" and prefixes (``secur*``), any case. A document
matches when it holds every one of them; each occurrence of any of them is a hit. A
word or prefix matches whole words (``secure`` not in ``insecure``), except where it
starts or ends with a letter of Korean, Japanese or Chinese: there it is found inside
any run of text, as those are written without spaces between the parts of a word
(``한국`` in ``대한국은``, ``東京`` in ``東京都``; ``UN안보리`` starts a word and may
end anywhere). In a phrase, words are separated by any run of white space. Offsets
are code points.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import regex

# Letters of Korean (Hangul): words are spaced, particles attached at their end.
_HANGUL_RANGES = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))
# Letters of Japanese and Chinese (kana, ideographs): no spaces between words.
_UNSPACED_RANGES = (
    (0x2E80, 0x312F),  # CJK radicals, punctuation, kana, bopomofo
    (0x3190, 0x9FFF),  # kanbun, katakana extensions, CJK ideographs
    (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F),  # half-width katakana
    (0x20000, 0x3FFFF),
)
CONTEXT_WORDS = 6  # words of context shown either side of a hit
CONTEXT_CHARS = 60  # at most this many characters either side
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_SPACE = re.compile(r"\s+")
_INDEX_TOKEN = re.compile(r"[^\W_]+")  # what the index's unicode61 tokenizer calls a token


class QueryError(ValueError):
    """A query that cannot be searched for: the message says why."""


def _within(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def unspaced(char: str) -> bool:
    """Is ``char`` a letter of Japanese or Chinese, written without spaces?"""
    return _within(char, _UNSPACED_RANGES)


def hangul(char: str) -> bool:
    return _within(char, _HANGUL_RANGES)


def cjk(char: str) -> bool:
    """Is ``char`` a letter of Korean, Japanese or Chinese (found inside words)?"""
    return _within(char, _UNSPACED_RANGES) or _within(char, _HANGUL_RANGES)


@dataclass(frozen=True)
class Term:
    """One word, prefix or phrase of a query."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words) + ("*" if self.prefix else "")

    def open_end(self) -> bool:
        """May a word go on after the term? A prefix, or a term that ends with Korean
        (its particles: ``한국`` in ``한국은``), Japanese or Chinese."""
        return self.prefix or cjk(self.words[-1][-1])

    def open_start(self) -> bool:
        """May a word begin before the term? One that starts with Korean (``한국`` in
        ``대한국``), Japanese or Chinese."""
        return cjk(self.words[0][0])

    def pattern(self) -> str:
        """A regular expression for the term's occurrences (used with IGNORECASE):
        whole words, except at an end of Korean, Japanese or Chinese, found inside
        any run of text."""
        body = r"\s+".join(re.escape(w) for w in self.words)
        left = "" if self.open_start() else r"(?<!\w)"
        last = self.words[-1][-1]
        if cjk(last):
            right = ""
        else:
            right = r"\w*" if self.prefix else r"(?!\w)"
        return left + body + right

    def finder(self) -> re.Pattern[str]:
        """The term in lower case, for a text in lower case, with its word boundary at
        the end but not at the start: a pattern that starts with its literal text,
        which ``re`` looks for quickly (:meth:`spans` checks the start). A look-ahead
        after the literal costs ``re`` next to nothing, where a look-behind before it
        would make it try every position."""
        body = r"\s+".join(re.escape(w.lower()) for w in self.words)
        if self.prefix and not cjk(self.words[-1][-1]):
            body += r"\w*"
        elif not self.open_end():
            body += r"(?!\w)"
        return re.compile(body)

    def bounded(self) -> tuple[bool, bool]:
        """Must the term start a word, and end one?"""
        return not self.open_start(), not self.open_end()

    def spans(self, lowered: str) -> list[tuple[int, int]]:
        """The term's occurrences in a text already in lower case (of the same length)."""
        finder = self.finder()
        if not self.bounded()[0]:
            return [m.span() for m in finder.finditer(lowered)]
        if len(self.words) == 1 and all(_is_word(c) for c in self.words[0]):
            # A word of word characters: an occurrence that starts inside another has
            # a word character before it, so the matches need no overlapping search.
            return [
                m.span()
                for m in finder.finditer(lowered)
                if (start := m.start()) == 0 or not _is_word(lowered[start - 1])
            ]
        found: list[tuple[int, int]] = []
        position = 0
        while (match := finder.search(lowered, position)) is not None:
            start, end = match.span()
            if start == 0 or not _is_word(lowered[start - 1]):
                found.append((start, end))
                position = max(end, start + 1)
            else:
                position = start + 1
        return found

    def index_expression(self) -> str | None:
        """An FTS5 expression (for the corpus index's word tokens) that every document
        holding the term satisfies, or None if the index cannot narrow it. Words with
        Korean, Japanese or Chinese in them are left to the reading of the texts (found
        inside the index's tokens, which it cannot look up); the other words of a phrase
        narrow it all the same."""
        plain = [not any(cjk(c) for c in word) for word in self.words]
        tokens = [
            t
            for word, p in zip(self.words, plain, strict=True)
            if p
            for t in _INDEX_TOKEN.findall(word)
        ]
        if not tokens:
            return None
        quoted = ['"' + t.replace('"', '""') + '"' for t in tokens]
        if plain[-1] and self.prefix and _INDEX_TOKEN.fullmatch(self.words[-1][-1]):
            quoted[-1] += "*"  # the last token may go on
        return " AND ".join(quoted)


def _is_word(char: str) -> bool:
    """Is ``char`` what ``re`` calls a word character (``\\w``)?"""
    return char.isalnum() or char == "_"


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]
    regex: re.Pattern[str]  # any term, any case (the same hits as :meth:`spans`)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The hits in ``text``, in order, none overlapping; none unless every term
        occurs in it."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lower case is longer (İ)
            found = [[m.span() for m in re.finditer(t.pattern(), text, re.I)] for t in self.terms]
        else:
            found = [term.spans(lowered) for term in self.terms]
        if not all(found):
            return []
        if len(found) == 1:
            return found[0]
        merged: list[tuple[int, int]] = []
        for start, end in sorted(
            (s for spans in found for s in spans), key=lambda s: (s[0], -s[1])
        ):
            if not merged or start >= merged[-1][1]:
                merged.append((start, end))
        return merged

    def index_expression(self) -> str | None:
        """An FTS5 expression that every matching document satisfies, or None when
        the index can narrow none of the terms (then every document is read)."""
        pieces = [e for e in (t.index_expression() for t in self.terms) if e is not None]
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


def compile_regex(pattern: str) -> regex.Pattern[str]:
    """A user's regular expression (Python syntax, compiled by the ``regex`` package,
    whose matching can be given a time limit and lets other threads run meanwhile);
    QueryError if it is not one."""
    if not pattern:
        raise QueryError("Type a regular expression.")
    try:
        return regex.compile(pattern)
    except (regex.error, OverflowError, ValueError) as exc:
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
