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


def clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def text_escape(text: str) -> str:
    return clean(text).translate(_TEXT)


def attr_escape(text: str) -> str:
    return clean(text).translate(_ATTR)


class XmlOut:
    """Writes an XML document through ``write`` (UTF-8 bytes), two spaces a level."""

    def __init__(self, write: Callable[[bytes], object]) -> None:
        self._write = write
        self._open: list[str] = []
        self._write(b'<?xml version="1.0" encoding="utf-8"?>\n')

    def _tag(self, name: str, attrs: Attrs) -> str:
        given = "".join(f' {k}="{attr_escape(v)}"' for k, v in attrs if v is not None)
        return f"{'  ' * len(self._open)}<{name}{given}"

    def start(self, name: str, attrs: Attrs | None = None) -> None:
        self._write(f"{self._tag(name, attrs or [])}>\n".encode())
        self._open.append(name)

    def end(self) -> None:
        name = self._open.pop()
        self._write(f"{'  ' * len(self._open)}</{name}>\n".encode())

    def empty(self, name: str, attrs: Attrs | None = None) -> None:
        self._write(f"{self._tag(name, attrs or [])}/>\n".encode())

    def text(self, name: str, text: str, attrs: Attrs | None = None) -> None:
        self._write(f"{self._tag(name, attrs or [])}>{text_escape(text)}</{name}>\n".encode())

    def close(self) -> None:
        while self._open:
            self.end()
