"""Where sentences and paragraphs end, for growing a selection by the keyboard.

A sentence ends after ``.``, ``!``, ``?`` or ``…`` (and any closing quotation marks
or brackets after them) that is followed by white space or the end of the text,
or after the full stops of Chinese and Japanese (``。！？``), which need no space. A
paragraph ends at a line break. Offsets are code points.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'”’»)\]]*(?=\s|$)|[。！？]+[」』”’）]*)")
# Words whose full stop does not end a sentence (and single initials: "J. Smith").
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen sen rep gov st jr sr lt col capt sgt adm vs etc e.g i.e "
    "u.s u.k u.n no nos jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


def _abbreviation(text: str, end_of_stop: int) -> bool:
    """Whether the full stop ending at ``end_of_stop`` closes an abbreviation."""
    match = _WORD_BEFORE.search(text, max(0, end_of_stop - 12), end_of_stop)
    if match is None or text[end_of_stop - 1] != ".":
        return False
    word = match.group(1).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_end(text: str, position: int) -> int:
    """The end of the sentence that goes on after ``position`` (past its closing
    marks, before the space after it); the end of the paragraph if that comes first."""
    limit = paragraph_end(text, position)
    # Skip the white space at the position, so that a selection that already ends a
    # sentence grows by the next one.
    start = position
    while start < limit and text[start].isspace():
        start += 1
    while (match := _SENTENCE_END.search(text, start, limit)) is not None:
        if not _abbreviation(text, match.end()):
            return match.end()
        start = match.end()
    return limit


def paragraph_end(text: str, position: int) -> int:
    """The end of the paragraph after ``position`` (before its line break); when
    ``position`` is at a paragraph's end already, the end of the next one."""
    start = position
    while start < len(text) and text[start] in "\r\n":
        start += 1
    end = text.find("\n", start)
    return len(text) if end < 0 else end
