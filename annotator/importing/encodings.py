"""Decoding plain-text files: certain when UTF-8 or BOM-marked, a suggestion otherwise.

Strict UTF-8 (with or without BOM) is tried first, then UTF-16/UTF-32 when a
BOM says so, and UTF-16 without a BOM when its NUL bytes fall as they do in
mostly-Latin UTF-16 text; anything else goes to charset-normalizer. A guess
(UTF-16 without BOM, the detector's) is offered as a suggestion
(``certain=False``) that the user may override, with its confidence.

Windows-1252 is preferred to the detector's guess, as the WHATWG encoding
standard prefers it for Latin-1 labels, when the bytes decode under it and use
its punctuation range 0x80–0x9F as punctuation (curly quotes, dashes, the
ellipsis: Word's "Save as text"), unless the guess is another Windows code page
whose letters tell a different story (see :func:`_prefer_cp1252`).
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
_PREFERRED = (
    "cp1252",
    "shift_jis",
    "euc-kr",
    "euc-jp",
    "gb2312",
    "gbk",
    "big5",
    "latin-1",
    "mac-roman",
)
# What the bytes 0x80–0x9F hold in Windows-1252 besides letters: typographic punctuation.
_CP1252_PUNCTUATION = frozenset("€‚„…†‡‰‹‘’“”•–—™›")
# Marks that sit between two letters in running text: an apostrophe, a dash.
_BETWEEN_LETTERS = frozenset("’–—")
# Windows code pages whose letters differ from Windows-1252's: when the detector picks
# one of these and its text differs from Windows-1252's in letters, the detector's
# language model is trusted over the punctuation rule.
_OWN_LETTERS = frozenset(
    {"cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258"}
)
HIGH, LOW = "high", "low"  # a guess's confidence (see Decoded.confidence)
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
    # For a guess: HIGH when the evidence agrees (or only one reading is sound), LOW when
    # other encodings read the file about as well; "" when certain.
    confidence: str = ""

    @property
    def doubtful(self) -> bool:
        """A guess that may well be wrong: the user should look at the text."""
        return not self.certain and self.confidence == LOW


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
        other = "utf-16-be" if utf16 == "utf-16-le" else "utf-16-le"
        return Decoded(text, utf16, False, (other,), HIGH)
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
                close = other_chaos <= chaos + 0.1 and other_coherence >= coherence - 0.1
                if close and not (
                    preferred == "cp1252"
                    and _decodes(data, "cp1252")
                    and _reads_another_script(data, data.decode("cp1252"), names[0])
                ):
                    names.remove(preferred)
                    names.insert(0, preferred)
                break
    western = _prefer_cp1252(data, names[0] if names else None)
    if western:
        names = ["cp1252", *(n for n in names if n != "cp1252")]
    elif names and names[0].startswith("mac-") and _decodes(data, "mac-roman"):
        # The detector cannot tell the Mac code pages apart well; Mac Roman is the one
        # Western files were written in.
        names = ["mac-roman", *(n for n in names if n != "mac-roman")]
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
        alternatives = tuple(dict.fromkeys(others))
        return Decoded(text, name, False, alternatives, _confidence(data, name, western))
    raise ImportRejected(
        "the file looks binary, or its encoding could not be recognised; "
        "if it is text, name its encoding"
    )


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _western_evidence(data: bytes) -> tuple[int, int]:
    """(marks that read well, marks that do not) among the bytes from 0x80 read as
    Windows-1252. Its punctuation reads well where punctuation goes, not between two
    letters (``na•ve``: Mac Roman's ï); its letters read well except a capital right
    after a small letter (``dŽclarŽ``, ``itÕs``: Mac Roman's é and ’); a sign between
    two letters reads badly."""
    good = bad = 0
    text = data.decode("cp1252")  # one character per byte: positions agree
    for index, byte in enumerate(data):
        if byte < 0x80:
            continue
        char = text[index]
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        between = before.isalpha() and after.isalpha()
        if char in _CP1252_PUNCTUATION:
            if between and char not in _BETWEEN_LETTERS:
                bad += 1
            else:
                good += 1
        elif char.isalpha():
            if char.isupper() and before.islower():
                bad += 1
            else:
                good += 1
        elif between:
            bad += 1
    return good, bad


def _prefer_cp1252(data: bytes, guess: str | None) -> bool:
    """Whether Windows-1252 should win over the detector's ``guess``: the bytes decode
    under it and read well (:func:`_western_evidence`), and the guess is not another
    Windows code page that reads the letters differently. Latin-1 text reads the same
    under Windows-1252, so it wins too, as the WHATWG standard has it."""
    if guess == "cp1252":
        return False
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    good, bad = _western_evidence(data)
    if not good or bad * 4 > good:
        return False
    if guess in _OWN_LETTERS:
        try:
            theirs = data.decode(guess)
        except UnicodeDecodeError:
            return True
        # Where the two readings differ outside 0x80–0x9F, the guess saw letters that
        # Windows-1252 reads as other letters: the detector's language model decides.
        return all(
            0x80 <= byte <= 0x9F
            for byte, ours, other in zip(data, western, theirs, strict=True)
            if ours != other
        )
    return not (guess is not None and _reads_another_script(data, western, guess))


def _reads_another_script(data: bytes, western: str, guess: str) -> bool:
    """Whether the detector's single-byte ``guess`` (KOI8-R, ISO-8859-2, -5…) reads
    the text better than Windows-1252, which reads any byte from 0xA0 as a letter or
    a sign: the guess sees letters where Windows-1252 sees signs (Polish ą read as
    ±), or Windows-1252's accented letters come in runs, as no Western language
    writes them (Russian read as ðÒÁ×ÉÔÅÌØ)."""
    try:
        theirs = data.decode(guess)
    except (UnicodeDecodeError, LookupError):
        return False
    if len(theirs) != len(data):  # a multi-byte encoding: the detector's own matter
        return False
    high = [i for i, byte in enumerate(data) if byte >= 0xA0]
    if not high:
        return False
    letters = sum(1 for i in high if theirs[i].isalpha() and not western[i].isalpha())
    if letters > max(2, len(high) // 20):
        return True
    accented = [i for i in high if western[i].isalpha()]
    if len(accented) < 20:
        return False
    marked = set(accented)
    in_runs = sum(1 for i in accented if i - 1 in marked or i + 1 in marked)
    return in_runs * 10 > len(accented) * 6


def _confidence(data: bytes, name: str, western: bool) -> str:
    """HIGH when the evidence for the guess is clear, LOW when it is thin."""
    if western or name == "cp1252":
        good, bad = _western_evidence(data)
        if good >= 3 and not bad:
            return HIGH
    high = sum(1 for byte in data if byte >= 0x80)
    # Multi-byte encodings (CJK) are told apart by their byte sequences, which rarely
    # decode by chance once there are enough of them.
    if name in ("shift_jis", "euc-jp", "euc-kr", "gb2312", "gbk", "big5", "gb18030"):
        return HIGH if high >= 40 else LOW
    common = name in _OWN_LETTERS or name in ("cp1252", "latin-1")
    # Fewer marks than this leave the detector little to go by; a rarely used code page
    # (Mac, DOS, ISO variants) is worth a look whatever it scored.
    return HIGH if common and high >= 20 else LOW


def detect_encoding(path: Path, max_bytes: int = MAX_BYTES) -> Decoded:
    """Read and decode a plain-text file; ``ImportRejected`` for what cannot be a document."""
    return decode_data(read_bytes(path, max_bytes))
