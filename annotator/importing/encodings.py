"""Decoding plain-text files: certain when UTF-8 or BOM-marked, a suggestion otherwise.

Strict UTF-8 (with or without BOM) is tried first, then UTF-16/UTF-32 when a
BOM says so, and UTF-16 without a BOM when its NUL bytes fall as they do in
mostly-Latin UTF-16 text; anything else goes to charset-normalizer. A guess
(UTF-16 without BOM, the detector's) is offered as a suggestion
(``certain=False``) that the user may override.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from annotator.importing.model import MAX_BYTES, ImportRejected

# When the detector's guess decodes a file to exactly the same text as one of
# these, the common name is reported instead (cp1257 → cp1252, cp949 → euc-kr, …).
_PREFERRED = ("cp1252", "shift_jis", "euc-kr", "euc-jp", "gb2312", "gbk", "big5", "latin-1")
# Names as shown to users; everything else is Python's canonical codec name.
_DISPLAY = {"euc_kr": "euc-kr", "euc_jp": "euc-jp", "iso8859-1": "latin-1"}
# Control characters that never occur in a text file (tab, LF, FF, CR and ESC do).
_CONTROL = frozenset(chr(c) for c in range(32) if c not in (9, 10, 12, 13, 27)) | {"\x7f"}


@dataclass(frozen=True)
class Decoded:
    """A plain-text file's bytes decoded."""

    text: str
    encoding: str  # e.g. "utf-8", "utf-8-sig", "utf-16", "cp1252", "shift_jis", "euc-kr"
    certain: bool  # True for strict UTF-8 / BOM-marked; False for a detector's guess
    alternatives: tuple[str, ...] = ()  # other plausible encodings for the user to try


def encoding_name(encoding: str) -> str:
    """The codec's canonical name as users see it; ``ImportRejected`` if unknown."""
    try:
        name = codecs.lookup(encoding.strip()).name
    except (LookupError, ValueError):
        raise ImportRejected(f"“{encoding}” is not a known text encoding") from None
    return _DISPLAY.get(name, name)


def _not_a_file(mode: int) -> str:
    """Why a path that is not a regular file is not read: what it is."""
    if stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    return f"is {kind}, not a file; only regular files are imported"


# Opening never waits (a FIFO without a writer) nor takes a terminal; bytes stay bytes.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20  # read in pieces this large when the file system's size is not to be trusted


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, or ``ImportRejected`` saying why they cannot be read.

    Only a regular file is read: a named pipe, a device or a socket is refused
    before it is opened (a FIFO would wait for a writer, ``/dev/zero`` never
    ends), and again once open, in case the path changed meanwhile. The read
    stops one byte past ``max_bytes`` whatever size the file system claims (a
    file in ``/proc`` says 0, a file may grow while it is read).
    """
    try:
        if path.is_dir():
            raise ImportRejected("is a folder, not a file")
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise ImportRejected(_not_a_file(mode))
        fd = os.open(path, _OPEN_FLAGS)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise ImportRejected(_not_a_file(info.st_mode))
            if info.st_size > max_bytes:
                raise ImportRejected(
                    f"the file is larger than the limit ({info.st_size / 2**20:.1f} MB > "
                    f"{max_bytes / 2**20:g} MB)"
                )
            data = _read_capped(fd, info.st_size, max_bytes)
        finally:
            os.close(fd)
    except PermissionError:
        raise ImportRejected("permission denied") from None
    except FileNotFoundError:
        raise ImportRejected("the file does not exist") from None
    except OSError as exc:
        raise ImportRejected(f"the file cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew while we looked
        raise ImportRejected(f"the file is larger than the limit ({max_bytes / 2**20:g} MB)")
    return data


def _read_capped(fd: int, size: int, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes from ``fd``: all of them in one read when the
    file is as large as it says, in :data:`_CHUNK` pieces past that."""
    chunks: list[bytes] = []
    total = 0
    while total <= max_bytes:
        want = min(max_bytes + 1 - total, max(size + 1 - total, _CHUNK))
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)  # one chunk is returned as it is, not copied


def check_text(text: str) -> str:
    """Refuse decoded text that is empty or looks binary; return it unchanged."""
    if "\x00" in text:
        raise ImportRejected("the file looks binary (it contains NUL bytes)")
    if not text or text.isspace():  # no stripped copy of a large text
        raise ImportRejected("the file is empty (no text)")
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch in _CONTROL)
    if controls > max(8, len(sample) // 100):
        raise ImportRejected("the file looks binary (it contains control characters)")
    return text


def decode_as(data: bytes, encoding: str) -> str:
    """Decode ``data`` strictly with ``encoding``; ``ImportRejected`` with a clear reason."""
    name = encoding_name(encoding)
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            f"the file is not valid {name} (byte {exc.start} cannot be decoded); "
            "try another encoding"
        ) from None
    return check_text(text)


def decode_with(data: bytes, encoding: str | None) -> Decoded:
    """Decode with the encoding the user chose, or as :func:`decode_data` does."""
    if encoding:
        return Decoded(decode_as(data, encoding), encoding, True)
    return decode_data(data)


def _bom_encoding(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``data`` looks like UTF-16 text without a
    BOM: an even length, and NUL bytes in most odd positions (LE) or most even
    ones (BE) but almost none in the others, as text mostly of Latin letters,
    digits and punctuation gives. ``None`` otherwise."""
    sample = data[:65536]
    if len(data) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd >= pairs * 0.3 and even <= pairs * 0.02:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd <= pairs * 0.02:
        return "utf-16-be"
    return None


def decode_data(data: bytes) -> Decoded:
    """Decode a file's bytes: certain for UTF-8 or a BOM, else the detector's guess."""
    if not data or data.isspace():
        raise ImportRejected("the file is empty (no text)")
    bom = _bom_encoding(data)
    if bom is not None:
        return Decoded(decode_as(data, bom), bom, True)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ImportRejected("the file looks binary (it contains NUL bytes)")
        try:
            text = decode_as(data, utf16)
        except ImportRejected:
            raise ImportRejected(
                f"the file looks binary (it contains NUL bytes); if it is {utf16} text "
                f"without a byte order mark, name that encoding (--encoding {utf16})"
            ) from None
        return Decoded(text, utf16, False, ("utf-16-be" if utf16 == "utf-16-le" else "utf-16-le",))
    try:
        return Decoded(check_text(data.decode("utf-8")), "utf-8", True)
    except UnicodeDecodeError:
        pass
    return _guess(data)


def _guess(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    scored: dict[str, tuple[float, float]] = {}  # name → (chaos, coherence), best first
    for match in from_bytes(data):
        try:
            name = encoding_name(match.encoding)
        except ImportRejected:
            continue
        scored.setdefault(name, (match.chaos, match.coherence))
    names = list(scored)
    if names:
        # The detector often ties close relatives (cp1250/cp1252/cp1257): prefer the
        # common encoding when it scores about as well as the first guess.
        chaos, coherence = scored[names[0]]
        for preferred in _PREFERRED:
            if preferred in scored:
                other_chaos, other_coherence = scored[preferred]
                if other_chaos <= chaos + 0.1 and other_coherence >= coherence - 0.1:
                    names.remove(preferred)
                    names.insert(0, preferred)
                break
    for name in names:
        try:
            text = decode_as(data, name)
        except ImportRejected:
            continue
        for preferred in _PREFERRED:  # same text, more familiar name (cp949 → euc-kr)
            if preferred == name:
                break
            try:
                if data.decode(preferred) == text:
                    name = preferred
                    break
            except UnicodeDecodeError:
                continue
        others = [n for n in (*names, "cp1252", "latin-1") if n != name]
        return Decoded(text, name, False, tuple(dict.fromkeys(others)))
    raise ImportRejected(
        "the file looks binary, or its encoding could not be recognised; "
        "if it is text, name its encoding"
    )


def detect_encoding(path: Path, max_bytes: int = MAX_BYTES) -> Decoded:
    """Read and decode a plain-text file; ``ImportRejected`` for what cannot be a document."""
    return decode_data(read_bytes(path, max_bytes))
