"""The project's content hash, read from the files without a copy in memory.

The manifest's ``content_sha256`` is the SHA-256 of the database as SQLite's
``Connection.serialize`` gives it: every page, as the export's read transaction
sees them (the file's pages, and the newer ones still in the write-ahead log).
Serialising a 500 MB project copies all of it into memory; :func:`plan_image`
finds the same pages where they lie instead, and :func:`hash_image` reads and
hashes them a few megabytes at a time.

Where the pages lie is fixed while the read transaction lasts: SQLite lets no
checkpoint overwrite a page such a reader still reads from the main file, and no
writer rewinds the log under it. The log frames that belong to the transaction
are those up to the log index's ``mxFrame`` when it began; the index header is
read before and after the transaction's first read, and only a header that did
not change between the two tells. In any other case (a commit in between, a
connection in exclusive locking mode, files that cannot be read) the plan is
None and the caller serialises as before.
"""

from __future__ import annotations

import hashlib
import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_SHM_HEADER = 136  # two copies of the 48-byte index header, then the checkpoint info
_WAL_HEADER = 32
_FRAME_HEADER = 24
# Read and hashed at a time: large enough that the hashing thread seldom asks
# for the GIL (it lets go of it to read and to hash), small beside the project.
_CHUNK_BYTES = 8 << 20


@dataclass(frozen=True)
class ImagePlan:
    """Which bytes make up the database image: pages 1…``pages`` of the main
    file, but those in ``from_log`` (page number → offset in the log file)."""

    path: Path
    page_size: int
    pages: int
    from_log: dict[int, int] = field(default_factory=dict)
    log: Path | None = None


def _index_header(shm: Path) -> bytes | None:
    """The log index header (48 bytes) and the checkpoint's ``nBackfill``, once
    both copies of the header agree; None if the index cannot be read."""
    for _attempt in range(5):
        try:
            with shm.open("rb") as handle:
                data = handle.read(_SHM_HEADER)
        except OSError:
            return None
        if len(data) < _SHM_HEADER:
            return None
        if data[:48] == data[48:96] and data[12] == 1:  # isInit
            return data[:48] + data[96:100]
    return None


def plan_image(conn: sqlite3.Connection, path: Path) -> ImagePlan | None:
    """Begin reading ``conn`` (which must be inside a transaction that has read
    nothing yet) and say where the pages it sees lie; None if that cannot be told."""
    if not conn.in_transaction:
        return None
    mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    if mode != "wal":
        # A reader's shared lock keeps writers out of the main file until it ends.
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return _plan(conn, path, {}, None)
    if str(conn.execute("PRAGMA locking_mode").fetchone()[0]).lower() != "normal":
        return None  # the log index is in the process's memory, not in a file
    shm, log = Path(f"{path}-shm"), Path(f"{path}-wal")
    before = _index_header(shm)
    conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # the snapshot starts
    after = _index_header(shm)
    if before is None or after is None or before[:48] != after[:48]:
        return None
    order = "<" if after[13] == 0 else ">"  # the index is in the machine's byte order
    frames, backfilled = (
        struct.unpack_from(f"{order}I", after, 16)[0],
        struct.unpack_from(f"{order}I", after, 48)[0],
    )
    if backfilled >= frames:
        # Everything in the log is in the main file too: the transaction may read
        # the main file alone, and the log may be rewound meanwhile.
        return _plan(conn, path, {}, None)
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    from_log = _log_pages(log, frames, page_size)
    if from_log is None:
        return None
    return _plan(conn, path, from_log, log)


def _plan(
    conn: sqlite3.Connection, path: Path, from_log: dict[int, int], log: Path | None
) -> ImagePlan:
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    return ImagePlan(path, page_size, pages, from_log, log)


def _log_pages(log: Path, frames: int, expected: int) -> dict[int, int] | None:
    """Page number → offset of its newest copy among the log's first ``frames`` frames."""
    try:
        with log.open("rb") as handle:
            header = handle.read(_WAL_HEADER)
            if len(header) < _WAL_HEADER:
                return None
            page_size = struct.unpack(">I", header[8:12])[0]
            if page_size != expected:
                return None
            frame = _FRAME_HEADER + page_size
            where: dict[int, int] = {}
            for index in range(frames):
                offset = _WAL_HEADER + index * frame
                handle.seek(offset)
                raw = handle.read(4)
                if len(raw) < 4:
                    return None
                where[struct.unpack(">I", raw)[0]] = offset + _FRAME_HEADER
            return where
    except OSError:
        return None


def hash_image(plan: ImagePlan, check: Callable[[], None] | None = None) -> str:
    """SHA-256 of the image ``plan`` describes, read into one buffer a few
    megabytes at a time; ``check`` is called between them (it may raise to stop)."""
    digest = hashlib.sha256()
    size = plan.page_size
    # About 64 reads in all, of 1 to 8 MB.
    wanted = min(_CHUNK_BYTES, max(_CHUNK_BYTES // 8, plan.pages * size // 64))
    chunk_pages = max(1, wanted // size)
    buffer = bytearray(min(chunk_pages, max(plan.pages, 1)) * size)
    with plan.path.open("rb") as main:
        log = plan.log.open("rb") if plan.log is not None and plan.from_log else None
        try:
            for first in range(1, plan.pages + 1, chunk_pages):
                if check is not None:
                    check()
                count = min(chunk_pages, plan.pages - first + 1)
                chunk = memoryview(buffer)[: count * size]
                main.seek((first - 1) * size)
                got = main.readinto(chunk)
                if got < len(chunk):  # pages past the file's end read as zeros
                    chunk[got:] = bytes(len(chunk) - got)
                if log is not None:
                    for page in range(first, first + count):
                        offset = plan.from_log.get(page)
                        if offset is not None:
                            at = (page - first) * size
                            log.seek(offset)
                            chunk[at : at + size] = log.read(size)
                digest.update(chunk)
        finally:
            if log is not None:
                log.close()
    return digest.hexdigest()
