"""Selection positions of another tool's text → positions in our canonical text.

REFI-QDA counts a selection in Unicode code points of the source's plain text as
the file holds it. Our import canonicalises that text once (``core.text``: no
BOM, LF line ends, NFC), which moves every position after a CRLF (two code points
become one) or a sequence NFC composes. :class:`PositionMap` records each place
where the canonical text is shorter or longer than the file's and converts a
position across it; a position inside such a place (between ``\\r`` and ``\\n``)
goes to the place's start for a selection's start and to its end for its end.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right


def _nfc_pieces(text: str) -> list[str]:
    """``text`` cut where NFC cannot join two pieces: before each character that
    does not combine and does not compose with the piece before it (Hangul jamo
    do). Checked: the pieces normalised one by one must give the whole normalised;
    otherwise lines, which never compose across "\\n"."""
    pieces: list[str] = []
    start = 0
    for index in range(1, len(text)):
        char = text[index]
        if unicodedata.combining(char) == 0:
            piece = text[start:index]
            normal = unicodedata.normalize("NFC", piece)
            if unicodedata.normalize("NFC", piece + char) == normal + char:
                pieces.append(piece)
                start = index
    pieces.append(text[start:])
    if "".join(unicodedata.normalize("NFC", p) for p in pieces) == unicodedata.normalize(
        "NFC", text
    ):
        return pieces
    return text.splitlines(keepends=True)


class _Edits:
    """Stretches of one text that became stretches of another length in the next."""

    def __init__(self) -> None:
        self._raw_starts: list[int] = []
        self._raw_ends: list[int] = []
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, raw_start: int, raw_end: int, start: int, end: int) -> None:
        self._raw_starts.append(raw_start)
        self._raw_ends.append(raw_end)
        self._starts.append(start)
        self._ends.append(end)

    def convert(self, position: int, end: bool) -> int:
        index = bisect_right(self._raw_starts, position) - 1
        if index < 0:
            return position
        if position >= self._raw_ends[index]:
            return self._ends[index] + position - self._raw_ends[index]
        if position == self._raw_starts[index]:
            return self._starts[index]
        return self._ends[index] if end else self._starts[index]


class PositionMap:
    """Positions in ``raw`` (the text as the file holds it, without a BOM) →
    positions in ``canonical(raw)``; :attr:`text` is that canonical text.

    ``crlf_as_one``: the tool counted a CRLF as one code point (ATLAS.ti does,
    though its ``.txt`` files hold CRLF).
    """

    def __init__(self, raw: str, *, crlf_as_one: bool = False) -> None:
        if raw.startswith("\ufeff"):
            raw = raw[1:]
        if crlf_as_one:
            raw = raw.replace("\r\n", "\n")
        self.raw_length = len(raw)
        self._line_ends = _Edits()  # CRLF → LF (a lone CR → LF keeps the length)
        self._composed = _Edits()  # NFC, on the LF text
        pieces: list[str] = []
        last = shift = 0
        index = raw.find("\r\n")
        while index >= 0:
            self._line_ends.add(index, index + 2, index - shift, index - shift + 1)
            pieces += (raw[last:index], "\n")
            last, shift = index + 2, shift + 1
            index = raw.find("\r\n", last)
        pieces.append(raw[last:])
        text = "".join(pieces).replace("\r", "\n")
        if not unicodedata.is_normalized("NFC", text):
            text = self._compose(text)
        self.text = text

    def _compose(self, text: str) -> str:
        out: list[str] = []
        position = composed = 0
        for piece in _nfc_pieces(text):
            normal = unicodedata.normalize("NFC", piece)
            if len(normal) != len(piece):
                self._composed.add(
                    position, position + len(piece), composed, composed + len(normal)
                )
            out.append(normal)
            position += len(piece)
            composed += len(normal)
        return "".join(out)

    def convert(self, position: int, *, end: bool = False) -> int:
        """The canonical position of raw ``position`` (``end``: a selection's end)."""
        return self._composed.convert(self._line_ends.convert(position, end), end)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A selection's ``[start, end)`` in canonical positions."""
        return self.convert(start), self.convert(end, end=True)
