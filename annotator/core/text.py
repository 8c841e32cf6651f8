"""Canonical document text: decoded once, normalised once, never changed after."""

from __future__ import annotations

import hashlib
import unicodedata


class TextDecodeError(ValueError):
    """Raised when bytes cannot be turned into a document text."""


def canonicalise(text: str) -> str:
    """Return the canonical form of ``text``: no BOM, LF newlines, NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def sha256_text(text: str) -> str:
    """SHA-256 of the UTF-8 encoding of ``text``, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` strictly and return ``(text, encoding)``.

    UTF-8 (with or without BOM) first, then UTF-16 when a BOM says so.
    Anything else is refused with a message that names the problem.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise TextDecodeError(
                f"the file is not valid {encoding.upper()} (byte {exc.start} cannot be decoded)"
            ) from exc
        if "\x00" in text:
            raise TextDecodeError("the file looks binary (it contains NUL characters)")
        return text, encoding
    raise TextDecodeError("the file's encoding could not be determined")  # pragma: no cover
