"""A small streaming XML writer: elements written as they come, escaped for
XML 1.0, in a fixed layout (same input, same bytes)."""

from __future__ import annotations

import re
from collections.abc import Callable

# Characters XML 1.0 does not allow, even escaped: shown as U+FFFD in the XML
# (the exact text travels in the sources and in the extension entry).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)

Attrs = list[tuple[str, str | None]]


# Anything an attribute value would need changed: most need nothing.
_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
FLUSH_AT = 1 << 18  # characters gathered before they go to ``write``


def clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def text_escape(text: str) -> str:
    return clean(text).translate(_TEXT) if _SPECIAL.search(text) else text


def attr_escape(text: str) -> str:
    return clean(text).translate(_ATTR) if _SPECIAL.search(text) else text


class XmlOut:
    """Writes an XML document through ``write`` (UTF-8 bytes, a few hundred
    kilobytes at a time), two spaces a level; :meth:`close` writes the rest."""

    def __init__(self, write: Callable[[bytes], object]) -> None:
        self._sink = write
        self._open: list[str] = []
        self._parts: list[str] = []
        self._size = 0
        self._write('<?xml version="1.0" encoding="utf-8"?>\n')

    def _write(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._sink("".join(self._parts).encode())
            self._parts, self._size = [], 0

    def _tag(self, name: str, attrs: Attrs) -> str:
        given = "".join(f' {k}="{attr_escape(v)}"' for k, v in attrs if v is not None)
        return f"{'  ' * len(self._open)}<{name}{given}"

    def start(self, name: str, attrs: Attrs | None = None) -> None:
        self._write(f"{self._tag(name, attrs or [])}>\n")
        self._open.append(name)

    def end(self) -> None:
        name = self._open.pop()
        self._write(f"{'  ' * len(self._open)}</{name}>\n")

    def empty(self, name: str, attrs: Attrs | None = None) -> None:
        self._write(f"{self._tag(name, attrs or [])}/>\n")

    def text(self, name: str, text: str, attrs: Attrs | None = None) -> None:
        self._write(f"{self._tag(name, attrs or [])}>{text_escape(text)}</{name}>\n")

    def close(self) -> None:
        while self._open:
            self.end()
        self.flush()
