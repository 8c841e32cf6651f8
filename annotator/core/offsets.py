"""Conversion between Python code points and Qt's UTF-16 positions.

Stored offsets are code points; Qt counts UTF-16 code units, in which every
character beyond the Basic Multilingual Plane (most emoji) takes two units.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Convert offsets for one text in O(log n) per call."""

    def __init__(self, text: str) -> None:
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 position of each astral character's first unit.
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral_cp)]
        self.length_cp = len(text)
        self.length_u16 = len(text) + len(self._astral_cp)

    @property
    def is_identity(self) -> bool:
        return not self._astral_cp

    def to_utf16(self, cp: int) -> int:
        """Qt position of code point offset ``cp``."""
        return cp + bisect_left(self._astral_cp, cp)

    def astral_between(self, start: int, end: int) -> list[int]:
        """Code point offsets of the characters beyond the Basic Multilingual Plane
        in ``[start, end)`` (each takes two UTF-16 units), in order."""
        astral = self._astral_cp
        return astral[bisect_left(astral, start) : bisect_left(astral, end)]

    def to_codepoint(self, u16: int) -> int:
        """Code point offset of Qt position ``u16``.

        A position inside a surrogate pair rounds down to the character's start.
        """
        before = bisect_right(self._astral_u16, u16 - 2)  # astrals ending at or before u16
        inside = bisect_right(self._astral_u16, u16 - 1) - before
        return u16 - before - inside


def utf16_len(text: str) -> int:
    """Number of UTF-16 code units in ``text``."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
