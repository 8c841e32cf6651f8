"""Canonical document text: normalised once, at import, never changed after.

Decoding files is ``annotator.importing.encodings``."""

from __future__ import annotations

import hashlib
import unicodedata


def canonicalise(text: str) -> str:
    """Return the canonical form of ``text``: no BOM, LF newlines, NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def sha256_text(text: str) -> str:
    """SHA-256 of the UTF-8 encoding of ``text``, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
