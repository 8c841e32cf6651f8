"""Rules that turn a raw selection into the span that gets coded."""

from __future__ import annotations

import unicodedata


def _is_word_char(ch: str) -> bool:
    # Combining marks (accents, Indic vowel signs) belong to the letter before them.
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def normalise_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim whitespace at both ends and snap cut words to whole words.

    Offsets are code points, half-open. Returns ``None`` when nothing but
    whitespace (or nothing at all) is selected.
    """
    if start > end:
        start, end = end, start
    start = max(0, min(start, len(text)))
    end = max(0, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    # A selection that begins inside a word reaches back to the word's start.
    while start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        start -= 1
    # One that ends inside a word reaches on to the word's end.
    while end < len(text) and _is_word_char(text[end - 1]) and _is_word_char(text[end]):
        end += 1
    return start, end
