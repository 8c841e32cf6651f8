"""Rules that turn a raw selection into the span that gets coded."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Scripts whose words are not cut off by spaces: a Korean word carries its particles
# (정부는 = 정부 + 는), Japanese and Chinese run on without spaces (岸田文雄首相は). A
# selection in them is taken as the coder made it, never widened.
_UNSPACED = frozenset({"CJK", "HANGUL", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "HALFWIDTH"})


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """The script of a letter as its Unicode name begins (LATIN, CYRILLIC, HANGUL,
    CJK…); "" for digits and marks, which go with any script."""
    if ch.isdigit() or unicodedata.category(ch).startswith("M"):
        return ""
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def _is_word_char(ch: str) -> bool:
    # Combining marks (accents, Indic vowel signs) belong to the letter before them.
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def _joins(inside: str, outside: str) -> bool:
    """Whether a cut between ``inside`` (selected) and ``outside`` is inside one word
    that the selection should grow to cover: both word characters of one script (a
    digit or mark goes with any), and not of a script written without spaces."""
    if not (_is_word_char(inside) and _is_word_char(outside)):
        return False
    a, b = _script(inside), _script(outside)
    if a in _UNSPACED or b in _UNSPACED:
        return False
    return not a or not b or a == b


def normalise_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim whitespace at both ends and snap cut words to whole words.

    Offsets are code points, half-open. Returns ``None`` when nothing but
    whitespace (or nothing at all) is selected. A word is grown only within its
    script, and not at all in Korean, Japanese or Chinese (see :data:`_UNSPACED`).
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
    while start > 0 and _joins(text[start], text[start - 1]):
        start -= 1
    # One that ends inside a word reaches on to the word's end.
    while end < len(text) and _joins(text[end - 1], text[end]):
        end += 1
    return start, end
