"""Reading a REFI-QDA file safely: the zip of a ``.qdpx`` and the XML in it.

A ``.qdpx`` may hold pictures, audio and video beside the texts, so the archive
is opened where it lies (never read into memory whole) and only the parts the
import needs are unpacked: the project (``*.qde``) and the plain texts of the
sources, each counted as it unpacks (a part can lie about its size). The XML is
parsed only once it is known to hold no document type declaration (no DTD, no
entities, so nothing external is fetched and nothing expands) and not too many
tags.
"""

from __future__ import annotations

import re
import stat
import struct
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from annotator.importing.encodings import read_bytes
from annotator.importing.model import MAX_BYTES, ImportRejected

MAX_PARTS = 60_000  # a project's sources, pictures and notes: thousands at most
MAX_XML_BYTES = 200 * 2**20  # project.qde: 100,000 coded selections take some 60 MB
MAX_XML_TAGS = 3_000_000  # what ElementTree holds in memory grows with them
MAX_SOURCE_BYTES = MAX_BYTES  # one source's plain text, as the import of a .txt
MAX_TEXT_BYTES = 1024 * 2**20  # the plain texts of all sources together
_CHUNK = 1 << 20
_EOCD = b"PK\x05\x06"


def _entries_declared(path: Path) -> int:
    """The number of parts the zip's end record declares, read before its
    directory is (a directory of millions of parts would fill memory)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65_557))
        tail = handle.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        raise ImportRejected("the file is not a REFI-QDA project (not a zip archive)")
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return int(entries)


class Archive:
    """An open ``.qdpx``: its parts by name, read with bounds."""

    def __init__(self, path: Path) -> None:
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            raise ImportRejected(f"cannot be read ({exc.strerror or exc})") from None
        if not stat.S_ISREG(mode):
            raise ImportRejected("is not a regular file")
        try:
            if _entries_declared(path) > MAX_PARTS:  # 0xFFFF: a zip64 of more
                raise ImportRejected(f"the archive holds more than {MAX_PARTS:,} parts")
            self._zip = zipfile.ZipFile(path)
        except ImportRejected:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise ImportRejected(f"the file is corrupt (not a valid zip archive: {exc})") from None
        parts = self._zip.infolist()
        if len(parts) > MAX_PARTS:
            self._zip.close()
            raise ImportRejected(f"the archive holds more than {MAX_PARTS:,} parts")
        self._parts = {part.filename: part for part in parts if not part.is_dir()}
        self._folded = {name.casefold(): name for name in self._parts}
        self.text_bytes = 0  # plain text unpacked so far, against MAX_TEXT_BYTES

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return list(self._parts)

    def find(self, name: str) -> str | None:
        """The part called ``name``, ignoring case (``Sources/`` or ``sources/``)."""
        name = name.replace("\\", "/").lstrip("/")
        if name in self._parts:
            return name
        return self._folded.get(name.casefold())

    def project_part(self) -> str:
        """The project's XML: ``project.qde``, or the one ``.qde`` at the top."""
        found = self.find("project.qde")
        if found is not None:
            return found
        qde = [n for n in self._parts if n.lower().endswith(".qde") and "/" not in n]
        if len(qde) == 1:
            return qde[0]
        raise ImportRejected(
            "the archive holds no project.qde; it is not a REFI-QDA project (.qdpx)"
        )

    def project_xml(self) -> tuple[str, bytes]:
        """The project's XML part: its name and bytes, within :data:`MAX_XML_BYTES`."""
        part = self.project_part()
        return part, self.read(part, MAX_XML_BYTES, part)

    def read(self, name: str, limit: int, what: str) -> bytes:
        """Part ``name`` unpacked, refused past ``limit`` bytes."""
        part = self._parts[name]
        if part.file_size > limit:
            raise ImportRejected(f"{what} unpacks to more than {limit / 2**20:g} MB")
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(part) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise ImportRejected(
                            f"{what} unpacks to more than {limit / 2**20:g} MB (more than "
                            "the archive declares: it is damaged or built to exhaust memory)"
                        )
                    chunks.append(chunk)
        except ImportRejected:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
            raise ImportRejected(f"{what} cannot be unpacked ({exc})") from None
        except NotImplementedError as exc:
            raise ImportRejected(f"{what} cannot be unpacked ({exc})") from None
        return b"".join(chunks)

    def read_text_part(self, name: str) -> bytes:
        """A source's plain text, counted against the total of all of them."""
        data = self.read(name, MAX_SOURCE_BYTES, f"the source “{PurePosixPath(name).name}”")
        self.text_bytes += len(data)
        if self.text_bytes > MAX_TEXT_BYTES:
            raise ImportRejected(
                f"the sources' texts together are larger than {MAX_TEXT_BYTES / 2**20:g} MB"
            )
        return data


def codebook_bytes(path: Path) -> bytes:
    """A ``.qdc`` file's bytes, within :data:`MAX_XML_BYTES`."""
    return read_bytes(path, MAX_XML_BYTES)


_DECLARED = re.compile(rb"^(<\?xml[^>]*?encoding\s*=\s*[\"'])([A-Za-z0-9._-]+)([\"'])")


def parse_xml(data: bytes, what: str) -> ElementTree.Element:
    """The root of ``data`` (a REFI-QDA XML file). UTF-8 with or without a BOM
    before ``<?xml`` (some tools write one), or UTF-16 with its BOM. A document
    type declaration, too many tags or XML that is not well formed is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeError:
            raise ImportRejected(f"{what} is not valid UTF-16 text") from None
        data = _DECLARED.sub(rb"\g<1>utf-8\g<3>", data, count=1)
    elif data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = data.lstrip(b" \t\r\n")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ImportRejected(
            f"{what} declares a document type or entities, which REFI-QDA files never do; "
            "it is refused for safety"
        )
    if data.count(b"<") > MAX_XML_TAGS:
        raise ImportRejected(f"{what} holds more than {MAX_XML_TAGS:,} XML tags; it is too large")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ImportRejected(f"{what} is not well-formed XML ({exc})") from None
    except (ValueError, LookupError) as exc:  # an unknown encoding declared
        raise ImportRejected(f"{what} cannot be read ({exc})") from None
