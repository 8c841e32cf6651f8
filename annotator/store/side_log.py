"""The write-ahead log (``-wal``) beside a project file, judged before SQLite uses it.

SQLite replays every frame of a ``-wal`` whose own checksums hold, whoever wrote
it: a log left by a writer that was killed belongs to the file, but a log copied
from another project, or one left over when an older copy of the file was put
back in place, does not, and replaying it mixes two files. This module reads the
log's header (SQLite's WAL format: magic, page size, checkpoint sequence, two
salts) and the wal-index header in ``-shm`` without opening either with SQLite,
and compares what the file says with and without the log.
"""

from __future__ import annotations

import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

from annotator.core.text import sha256_file

WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_HEADER = 32
FRAME_HEADER = 24
SHM_HEADER = 136  # two copies of the 48-byte wal-index header and the checkpoint info


@dataclass(frozen=True)
class LogHeader:
    page_size: int
    checkpoint: int
    salts: bytes  # salt-1 and salt-2 as stored (8 bytes)
    frames: int  # whole frames in the file (committed or not)


def log_path(path: Path) -> Path:
    return Path(f"{path}-wal")


def shm_path(path: Path) -> Path:
    return Path(f"{path}-shm")


def file_digest(path: Path) -> str | None:
    """The SHA-256 of the file, or None if it cannot be read."""
    try:
        return sha256_file(path)
    except OSError:
        return None


def read_log_header(path: Path) -> LogHeader | None:
    """The header of ``path``'s ``-wal``; None when there is none or it holds no frame.
    A log whose header is not a WAL header has frames SQLite will ignore: None too."""
    try:
        with log_path(path).open("rb") as handle:
            header = handle.read(WAL_HEADER)
            size = log_path(path).stat().st_size
    except OSError:
        return None
    if len(header) < WAL_HEADER:
        return None
    magic, _version, page_size, checkpoint = struct.unpack(">IIII", header[:16])
    if magic not in WAL_MAGIC or page_size < 512 or page_size & (page_size - 1):
        return None
    frames = (size - WAL_HEADER) // (FRAME_HEADER + page_size)
    if frames <= 0:
        return None
    return LogHeader(page_size, checkpoint, header[16:24], frames)


def database_page_size(path: Path) -> int:
    with path.open("rb") as handle:
        header = handle.read(18)
    (size,) = struct.unpack(">H", header[16:18])
    return 65536 if size == 1 else size


def index_salts(path: Path) -> bytes | None:
    """The salts the wal-index (``-shm``) holds for the log it indexes, or None when
    there is no initialised index to compare with."""
    try:
        with shm_path(path).open("rb") as handle:
            data = handle.read(SHM_HEADER)
    except OSError:
        return None
    if len(data) < SHM_HEADER or data[:48] != data[48:96]:  # torn or never written
        return None
    is_init = data[12]
    (max_frame,) = struct.unpack("=I", data[16:20])
    if not is_init or max_frame == 0:
        return None
    return data[32:40]


def uri(path: Path, *, immutable: bool = False) -> str:
    """A read-only URI for ``path``; ``immutable`` makes SQLite ignore any log and
    create no side file (only safe when no writer can be at work)."""
    text = f"{path.resolve().as_uri()}?mode=ro"
    return text + "&immutable=1" if immutable else text


def _ids(conn: sqlite3.Connection, table: str) -> set[str] | None:
    try:
        return {row[0] for row in conn.execute(f"SELECT id FROM {table}")}
    except (sqlite3.Error, UnicodeDecodeError):
        return None


def _dangling(conn: sqlite3.Connection) -> bool:
    """Whether some row points at one that is not there (SQLite's foreign key check:
    what a mix of two projects' pages leaves, and the app's own writes never do)."""
    try:
        return bool(conn.execute("PRAGMA foreign_key_check").fetchmany(1))
    except (sqlite3.Error, UnicodeDecodeError):
        return True


def _project_id(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT value FROM project_meta WHERE key = 'project_id'").fetchone()
    except (sqlite3.Error, UnicodeDecodeError):
        return None
    return None if row is None else str(row[0])


def log_file_mismatch(path: Path) -> str | None:
    """Why the ``-wal`` beside ``path`` cannot be the file's, judged from the bytes of
    the log, its index and the file alone, before SQLite reads (and may rebuild) the
    index; None when they agree or there is no log."""
    header = read_log_header(path)
    if header is None:
        return None
    if header.page_size != database_page_size(path):
        return "its page size differs from the file's"
    salts = index_salts(path)
    if salts is not None and salts != header.salts:
        return "its salts differ from those of the index (-shm) beside it"
    return None


def foreign_log_reason(path: Path, with_log: sqlite3.Connection) -> str | None:
    """Why the ``-wal`` beside ``path`` does not belong to it, as the project's rows
    tell, or None when nothing says so. ``with_log``: a read-only connection that
    sees the log."""
    if read_log_header(path) is None:
        return None
    reason = None
    alone = sqlite3.connect(uri(path, immutable=True), uri=True)
    try:
        before, after = _project_id(alone), _project_id(with_log)
        if before is not None and before != after:
            reason = "it holds another project"
        for table in ("documents", "categories", "coders"):
            old, new = _ids(alone, table), _ids(with_log, table)
            if reason is None and old and new and not old & new:
                # A coder may replace every category (Codebook ▸ Edit Codebook) before
                # the log is checkpointed; another project's pages mixed into this
                # file leave rows pointing at what is not there.
                if table != "categories" or _dangling(with_log):
                    reason = f"it replaces every row of {table} with another project's"
    finally:
        alone.close()
    # A file cut off in the middle of a checkpoint holds some of the log's pages and
    # not others: read without its log it may show any table's rows where another's
    # were, and it needs the log to be whole again. Only a file that is sound alone
    # says something about the log.
    if reason is not None and not file_alone_is_sound(path):
        return None
    return reason


def set_log_aside(path: Path, stamp: str) -> Path:
    """Move ``path``'s ``-wal`` (and its ``-shm``) aside, keeping them, so that the
    file opens as it was last saved; returns where the log went."""
    aside = Path(f"{log_path(path)}.set-aside-{stamp}")
    log_path(path).replace(aside)
    if shm_path(path).exists():
        shm_path(path).replace(Path(f"{shm_path(path)}.set-aside-{stamp}"))
    return aside


def file_alone_is_sound(path: Path) -> bool:
    """Whether the file without its log passes SQLite's check (read without writing)."""
    try:
        conn = sqlite3.connect(uri(path, immutable=True), uri=True)
    except sqlite3.Error:
        return False
    try:
        return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    except (sqlite3.Error, UnicodeDecodeError):
        return False
    finally:
        conn.close()
