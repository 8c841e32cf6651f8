"""Incremental backups: the pages of a project that differ from a full backup.

A delta holds, for one moment of a project, the page images that differ from
its *base* (a full, verified backup of the same run, in the same folder), their
page numbers, the page size and page count, and digests: the SHA-256 of the
base file it builds on and a SHA-256 of the delta's own bytes. Restoring one is
base + delta → a file beside the project → SQLite's check → the project.

File layout (``<stamp>-<reason>.delta``), written in one pass as pages come::

    MAGIC (16 bytes) | the page images, in the order of header["pages"]
    | header (JSON, UTF-8) | header length (4, big-endian) | SHA-256 of all before (32)

The header also keeps what the backups list shows (counts, project id), so a
delta is listed without building it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from annotator.store.errors import ProjectError

MAGIC = b"ANNOTATOR-DELTA1"
DELTA_SUFFIX = ".delta"
_LENGTH = struct.Struct(">I")
_DIGEST = 32
CHUNK_PAGES = 256  # pages compared at a time
PENDING_BYTE = 0x40000000  # SQLite's lock bytes live in the page holding this offset


@dataclass(frozen=True)
class DeltaHeader:
    base: str  # the base backup's file name, in the delta's folder
    base_sha256: str
    page_size: int
    page_count: int
    pages: tuple[int, ...]  # 1-based page numbers, ascending
    project_id: str | None
    annotations: int
    documents: int

    def to_json(self) -> bytes:
        data = {
            "base": self.base,
            "base_sha256": self.base_sha256,
            "page_size": self.page_size,
            "page_count": self.page_count,
            "pages": list(self.pages),
            "project_id": self.project_id,
            "annotations": self.annotations,
            "documents": self.documents,
        }
        return json.dumps(data, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> DeltaHeader:
        data = json.loads(raw.decode("utf-8"))
        return cls(
            str(data["base"]),
            str(data["base_sha256"]),
            int(data["page_size"]),
            int(data["page_count"]),
            tuple(int(page) for page in data["pages"]),
            None if data.get("project_id") is None else str(data["project_id"]),
            int(data["annotations"]),
            int(data["documents"]),
        )


def lock_page(page_size: int) -> int:
    """The page that holds SQLite's lock bytes (1 GiB into the file): it never holds
    data, and on Windows another connection's lock on it makes it unreadable."""
    return PENDING_BYTE // page_size + 1


def _read_pages(handle: BinaryIO, first: int, pages: int, page_size: int) -> bytes:
    """``pages`` pages from page ``first`` on, the lock page read as zeros."""
    skip = lock_page(page_size)
    if not first <= skip < first + pages:
        return handle.read(page_size * pages)
    head = handle.read(page_size * (skip - first))
    handle.seek(page_size, os.SEEK_CUR)
    tail = handle.read(page_size * (first + pages - skip - 1))
    return head + bytes(page_size) + tail


def changed_pages(
    live: Path, base: Path, page_size: int, page_count: int
) -> Iterator[tuple[int, bytes]]:
    """``(page number, image)`` of the first ``page_count`` pages of ``live`` that
    differ from ``base`` (or that ``base`` does not have). Page 1 always: a backup's
    header is never the live file's. The lock page is never read (nor written back).
    The caller makes sure nothing writes ``live`` meanwhile (store.backup_keeper)."""
    span = page_size * CHUNK_PAGES
    skip = lock_page(page_size)
    with live.open("rb") as new, base.open("rb") as old:
        number = 1
        while number <= page_count:
            pages = min(CHUNK_PAGES, page_count - number + 1)
            block = _read_pages(new, number, pages, page_size)
            if len(block) != page_size * pages:
                raise ProjectError("The project file is shorter than SQLite says.")
            before = old.read(span)
            if block != before[: len(block)] or number == 1:
                view = memoryview(block)
                for i in range(pages):
                    image = view[i * page_size : (i + 1) * page_size]
                    if number + i == skip:
                        continue
                    if number + i == 1 or image != before[i * page_size : (i + 1) * page_size]:
                        yield number + i, bytes(image)
            number += pages


class DeltaWriter:
    """Writes a delta file as its pages come, then its header and digest."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self._handle = target.open("wb")
        self._digest = hashlib.sha256()
        self.pages: list[int] = []
        self._put(MAGIC)

    def _put(self, data: bytes) -> None:
        self._handle.write(data)
        self._digest.update(data)

    def add(self, number: int, image: bytes) -> None:
        self.pages.append(number)
        self._put(image)

    def finish(self, header: DeltaHeader) -> int:
        """Write the header and digest, flush to disk; returns the file's size."""
        raw = header.to_json()
        self._put(raw)
        self._put(_LENGTH.pack(len(raw)))
        self._handle.write(self._digest.digest())
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        return self.target.stat().st_size

    def close(self) -> None:
        self._handle.close()


def _header_at_end(handle: BinaryIO, size: int) -> tuple[DeltaHeader, int]:
    """The header and its length, read from the end of an open delta."""
    handle.seek(0)
    if handle.read(len(MAGIC)) != MAGIC or size < len(MAGIC) + _LENGTH.size + _DIGEST:
        raise ValueError("not a delta backup")
    handle.seek(size - _DIGEST - _LENGTH.size)
    (length,) = _LENGTH.unpack(handle.read(_LENGTH.size))
    start = size - _DIGEST - _LENGTH.size - length
    if start < len(MAGIC):
        raise ValueError("not a delta backup")
    handle.seek(start)
    return DeltaHeader.from_json(handle.read(length)), length


def read_header(path: Path) -> DeltaHeader:
    """A delta's header, read without checking its pages (for listing)."""
    with path.open("rb") as handle:
        return _header_at_end(handle, path.stat().st_size)[0]


def verified_header(path: Path) -> DeltaHeader:
    """A delta's header once the digest over all its bytes holds; raises ProjectError."""
    digest = hashlib.sha256()
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header, length = _header_at_end(handle, size)
            handle.seek(0)
            left = size - _DIGEST
            while left > 0:
                block = handle.read(min(left, 1 << 20))
                if not block:
                    break
                digest.update(block)
                left -= len(block)
            stored = handle.read(_DIGEST)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ProjectError(f"The backup “{path.name}” cannot be read ({exc}).") from exc
    expected = len(MAGIC) + len(header.pages) * header.page_size + length + _LENGTH.size
    if stored != digest.digest() or size != expected + _DIGEST:
        raise ProjectError(f"The backup “{path.name}” is damaged: its checksum does not hold.")
    return header


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(delta: Path, target: Path) -> DeltaHeader:
    """Write the project a delta holds to ``target`` (base + pages), check it with
    SQLite and return the delta's header. Raises ProjectError, leaving no ``target``,
    when the delta or its base is damaged or missing."""
    header = verified_header(delta)
    base = delta.with_name(header.base)
    try:
        if not base.is_file():
            raise ProjectError(
                f"The backup “{delta.name}” builds on “{header.base}”, which no longer exists."
            )
        digest = hashlib.sha256()
        with base.open("rb") as source, target.open("wb") as out:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
        if digest.hexdigest() != header.base_sha256:
            raise ProjectError(
                f"The backup “{delta.name}” builds on “{header.base}”, which has changed "
                "or is damaged."
            )
        with delta.open("rb") as source, target.open("r+b") as out:
            source.seek(len(MAGIC))
            for number in header.pages:
                out.seek((number - 1) * header.page_size)
                out.write(source.read(header.page_size))
            out.truncate(header.page_count * header.page_size)
            out.flush()
            os.fsync(out.fileno())
        check_file(target)
    except OSError as exc:
        _remove(target)
        raise ProjectError(f"The backup “{delta.name}” cannot be read: {exc}.") from exc
    except ProjectError:
        _remove(target)
        raise
    return header


def check_file(path: Path) -> None:
    """SQLite's check of a project image written from pages; raises ProjectError."""
    try:
        conn = sqlite3.connect(str(path))
    except sqlite3.Error as exc:
        raise ProjectError(f"The restored copy cannot be opened ({exc}).") from exc
    try:
        conn.execute("PRAGMA query_only = ON")
        result = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        result = [(str(exc),)]
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if result != [("ok",)]:
        detail = "; ".join(str(row[0]) for row in result[:3])
        raise ProjectError(f"The restored copy fails SQLite's check ({detail}).")


def _remove(path: Path) -> None:
    for name in (str(path), f"{path}-wal", f"{path}-shm"):
        Path(name).unlink(missing_ok=True)
