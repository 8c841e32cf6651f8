"""Canonical document text: normalised once, at import, never changed after.

Decoding files is ``annotator.importing.encodings``."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path


def canonicalise(text: str) -> str:
    """Return the canonical form of ``text``: no BOM, LF newlines, NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


HASH_CHUNK = 1 << 16  # code points encoded at a time


def sha256_text(text: str) -> str:
    """SHA-256 of the UTF-8 encoding of ``text``, as hex.

    Encoded a piece at a time: encoding a long text at once costs up to four
    times its length in a buffer (the encoder sizes it for the widest character
    the text holds), 200 MB for 50 million characters with one emoji among them.
    """
    digest = hashlib.sha256()
    for start in range(0, len(text), HASH_CHUNK):
        digest.update(text[start : start + HASH_CHUNK].encode("utf-8"))
    return digest.hexdigest()
