"""A recording file layer for SQLite, and the files a power cut could leave behind.

``RecordingVFS`` is an SQLite VFS, written with ctypes against the SQLite
library the standard ``sqlite3`` module itself uses, so the store's own code
(``open_project`` → ``sqlite3.connect``) runs on it unchanged once it is the
default VFS. It wraps the default ("unix") VFS: every read and write still goes
to the real files, and every ``xWrite``, ``xTruncate``, ``xSync`` and
``xDelete`` on a named file is also logged, in order, with the bytes written.
(A VFS registered by ``apsw`` would not do: apsw carries its own copy of
SQLite, which the ``sqlite3`` module does not see.)

``crash_image`` replays that log up to any point and builds the files a power
cut at that point could leave: for each file, what its last ``xSync`` made
durable, plus a random subset of the writes, truncations and deletions since
then, applied in their order or shuffled, each write possibly torn into 512-byte
sectors of which only some land. A file created since its last sync may be
missing altogether. The ``-shm`` index is not a file SQLite relies on after a
crash (it is memory, rebuilt from the log) and is never written through
``xWrite``; it is left out.

Not simulated: anything that does not pass through SQLite's file layer (the
renames with which ``create_database`` puts a new project in place and backups
are put in place or restored); the workload's files only, not backups written
beside it; a disk that acknowledges a sync it has not done; a sector that comes
back as garbage rather than as its old or new bytes; a second power cut while
the file is being recovered. ``xSync`` is taken as making the whole file
durable whatever its flags (data-only included).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

SQLITE_OK = 0
SQLITE_IOERR = 10
SECTOR = 512

_INT64 = ctypes.c_int64
_P = ctypes.c_void_p

X_OPEN = ctypes.CFUNCTYPE(ctypes.c_int, _P, _P, _P, ctypes.c_int, _P)
X_DELETE = ctypes.CFUNCTYPE(ctypes.c_int, _P, _P, ctypes.c_int)
X_CLOSE = ctypes.CFUNCTYPE(ctypes.c_int, _P)
X_WRITE = ctypes.CFUNCTYPE(ctypes.c_int, _P, _P, ctypes.c_int, _INT64)
X_TRUNCATE = ctypes.CFUNCTYPE(ctypes.c_int, _P, _INT64)
X_SYNC = ctypes.CFUNCTYPE(ctypes.c_int, _P, ctypes.c_int)


class _Vfs(ctypes.Structure):
    _fields_ = [
        ("iVersion", ctypes.c_int),
        ("szOsFile", ctypes.c_int),
        ("mxPathname", ctypes.c_int),
        ("pNext", _P),
        ("zName", ctypes.c_char_p),
        ("pAppData", _P),
        ("xOpen", _P),
        ("xDelete", _P),
        *[
            (name, _P)
            for name in (
                "xAccess xFullPathname xDlOpen xDlError xDlSym xDlClose xRandomness xSleep "
                "xCurrentTime xGetLastError xCurrentTimeInt64 xSetSystemCall xGetSystemCall "
                "xNextSystemCall"
            ).split()
        ],
    ]


class _IoMethods(ctypes.Structure):
    _fields_ = [
        ("iVersion", ctypes.c_int),
        *[
            (name, _P)
            for name in (
                "xClose xRead xWrite xTruncate xSync xFileSize xLock xUnlock "
                "xCheckReservedLock xFileControl xSectorSize xDeviceCharacteristics "
                "xShmMap xShmLock xShmBarrier xShmUnmap xFetch xUnfetch"
            ).split()
        ],
    ]


def _library() -> ctypes.CDLL | None:
    """The SQLite library loaded by the ``sqlite3`` module, if it is a shared one."""
    sqlite3.connect(":memory:").close()  # make sure it is loaded
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            for line in maps:
                if "libsqlite3" in line:
                    return ctypes.CDLL(line.split()[-1])
    except OSError:
        pass
    name = ctypes.util.find_library("sqlite3")
    return ctypes.CDLL(name) if name else None


# One log entry: ("open", name, bytes | None), ("write", name, offset, data),
# ("truncate", name, size), ("sync", name), ("delete", name, sync_dir), ("mark", label).
Event = tuple[object, ...]


_KEEP: list[RecordingVFS] = []  # SQLite may call into a VFS until its last file closes


class RecordingVFS:
    """Register with ``install()`` (as the default VFS), remove with ``uninstall()``.

    Each instance stays alive for the rest of the process: a connection left open
    (a failed test) still calls into it when it is closed."""

    NAME = b"recording"

    def __init__(self) -> None:
        lib = _library()
        if lib is None or not hasattr(lib, "sqlite3_vfs_register"):
            raise RuntimeError("the sqlite3 module's SQLite library cannot be reached")
        self.lib = lib
        lib.sqlite3_vfs_find.restype = _P
        lib.sqlite3_vfs_find.argtypes = [ctypes.c_char_p]
        lib.sqlite3_vfs_register.argtypes = [_P, ctypes.c_int]
        lib.sqlite3_vfs_unregister.argtypes = [_P]
        base = lib.sqlite3_vfs_find(None)
        self.base = _Vfs.from_address(base)
        self.base_ptr = base
        self.vfs = _Vfs()
        ctypes.memmove(ctypes.addressof(self.vfs), base, ctypes.sizeof(_Vfs))
        self.vfs.zName = self.NAME
        self.vfs.pNext = None
        self.events: list[Event] = []
        self.syncs_dropped = False  # True: an xSync reaches the disk but is not logged
        self._seen: set[str] = set()
        self._files: dict[int, tuple[str, _IoMethods]] = {}  # file → name, its own methods
        self._patched: dict[int, _IoMethods] = {}  # original methods → ours
        self._base_open = X_OPEN(self.base.xOpen)
        self._base_delete = X_DELETE(self.base.xDelete)
        # Kept as attributes: ctypes callbacks must outlive every call into them.
        self._cb_open = X_OPEN(self._open)
        self._cb_delete = X_DELETE(self._delete)
        self._cb_close = X_CLOSE(self._close)
        self._cb_write = X_WRITE(self._write)
        self._cb_truncate = X_TRUNCATE(self._truncate)
        self._cb_sync = X_SYNC(self._sync)
        self.vfs.xOpen = ctypes.cast(self._cb_open, _P)
        self.vfs.xDelete = ctypes.cast(self._cb_delete, _P)
        self.installed = False
        _KEEP.append(self)

    # -- registration ------------------------------------------------------
    def install(self) -> None:
        """Make this the default VFS of the ``sqlite3`` module's SQLite; raises if that
        module does not see it (its SQLite is another copy)."""
        assert self.lib.sqlite3_vfs_register(ctypes.addressof(self.vfs), 1) == SQLITE_OK
        self.installed = True
        try:
            sqlite3.connect("file::memory:?vfs=recording", uri=True).close()
        except sqlite3.Error:
            self.uninstall()
            raise

    def uninstall(self) -> None:
        """Give the default back to the VFS that had it."""
        if self.installed:
            self.lib.sqlite3_vfs_unregister(ctypes.addressof(self.vfs))
            self.installed = False
            assert self.lib.sqlite3_vfs_find(None) == self.base_ptr

    def mark(self, label: str) -> None:
        self.events.append(("mark", label))

    # -- the VFS -------------------------------------------------------------
    def _open(self, vfs: int, zname: int | None, file: int, flags: int, out: int) -> int:
        try:
            name = ctypes.string_at(zname).decode() if zname else None
            if name is not None and name not in self._seen:
                self._seen.add(name)
                path = Path(name)
                self.events.append(("open", name, path.read_bytes() if path.exists() else None))
            rc: int = self._base_open(self.base_ptr, zname, file, flags, out)
            methods_ptr = ctypes.c_void_p.from_address(file).value
            if rc != SQLITE_OK or name is None or not methods_ptr:
                return rc
            original = _IoMethods.from_address(methods_ptr)
            patched = self._patched.get(methods_ptr)
            if patched is None:
                patched = _IoMethods()
                ctypes.memmove(ctypes.addressof(patched), methods_ptr, ctypes.sizeof(_IoMethods))
                patched.xClose = ctypes.cast(self._cb_close, _P)
                patched.xWrite = ctypes.cast(self._cb_write, _P)
                patched.xTruncate = ctypes.cast(self._cb_truncate, _P)
                patched.xSync = ctypes.cast(self._cb_sync, _P)
                self._patched[methods_ptr] = patched
            self._files[file] = (name, original)
            ctypes.c_void_p.from_address(file).value = ctypes.addressof(patched)
            return rc
        except Exception:  # an exception must not cross into C
            return SQLITE_IOERR

    def _delete(self, vfs: int, zname: int, sync_dir: int) -> int:
        try:
            name = ctypes.string_at(zname).decode()
            rc: int = self._base_delete(vfs, zname, sync_dir)
            if rc == SQLITE_OK:
                self.events.append(("delete", name, bool(sync_dir)))
            return rc
        except Exception:
            return SQLITE_IOERR

    def _close(self, file: int) -> int:
        try:
            _name, original = self._files.pop(file)
            rc: int = X_CLOSE(original.xClose)(file)
            return rc
        except Exception:
            return SQLITE_IOERR

    def _write(self, file: int, data: int, amount: int, offset: int) -> int:
        try:
            name, original = self._files[file]
            rc: int = X_WRITE(original.xWrite)(file, data, amount, offset)
            if rc == SQLITE_OK:
                self.events.append(("write", name, offset, ctypes.string_at(data, amount)))
            return rc
        except Exception:
            return SQLITE_IOERR

    def _truncate(self, file: int, size: int) -> int:
        try:
            name, original = self._files[file]
            rc: int = X_TRUNCATE(original.xTruncate)(file, size)
            if rc == SQLITE_OK:
                self.events.append(("truncate", name, size))
            return rc
        except Exception:
            return SQLITE_IOERR

    def _sync(self, file: int, flags: int) -> int:
        try:
            name, original = self._files[file]
            rc: int = X_SYNC(original.xSync)(file, flags)
            if rc == SQLITE_OK and not self.syncs_dropped:
                self.events.append(("sync", name))
            return rc
        except Exception:
            return SQLITE_IOERR


# -- what a power cut leaves -----------------------------------------------------
@dataclass
class _FileState:
    durable: bytearray | None  # None: the file does not exist on the disk
    pending: list[Event] = field(default_factory=list)


def _apply(content: bytearray | None, op: Event) -> bytearray | None:
    """``content`` after ``op`` (changed in place where it can be)."""
    kind = op[0]
    if kind == "delete":
        return None
    data = content if content is not None else bytearray()
    if kind == "truncate":
        size = op[2]
        assert isinstance(size, int)
        del data[size:]
        return data
    offset, chunk = op[2], op[3]
    assert isinstance(offset, int) and isinstance(chunk, bytes)
    if len(data) < offset:
        data.extend(bytes(offset - len(data)))
    data[offset : offset + len(chunk)] = chunk
    return data


def _sectors(op: Event) -> list[Event]:
    """A write split where a disk may tear it."""
    if op[0] != "write":
        return [op]
    offset, chunk = op[2], op[3]
    assert isinstance(offset, int) and isinstance(chunk, bytes)
    pieces: list[Event] = []
    at = 0
    while at < len(chunk):
        end = min(len(chunk), (offset + at) // SECTOR * SECTOR + SECTOR - offset)
        pieces.append(("write", op[1], offset + at, chunk[at:end]))
        at = end
    return pieces


def durable_states(events: list[Event], upto: int) -> dict[str, _FileState]:
    """Each file's durable content and its unsynced operations after ``events[:upto]``."""
    files: dict[str, _FileState] = {}
    for event in events[:upto]:
        kind, name = event[0], str(event[1])
        if kind == "mark":
            continue
        if kind == "open":
            content = event[2]
            assert content is None or isinstance(content, bytes)
            files[name] = _FileState(None if content is None else bytearray(content))
            continue
        state = files[name]
        if kind == "sync":
            content = state.durable
            for op in state.pending:
                content = _apply(content, op)
            # A sync makes the file itself durable, created or not (SQLite syncs
            # the folder on a new journal's or log's first sync).
            state.durable = content if content is not None else bytearray()
            state.pending = []
        elif kind == "delete" and event[2]:
            state.durable = None
            state.pending = []
        else:
            state.pending.append(event)
    return files


def crash_image(events: list[Event], upto: int, rng: random.Random, folder: Path) -> None:
    """Write into ``folder`` (under the same names) the files a power cut right after
    ``events[:upto]`` may leave; the unsynced operations land in part, in any order."""
    folder.mkdir(parents=True)
    for name, state in durable_states(events, upto).items():
        content = None if state.durable is None else bytearray(state.durable)
        if content is None and rng.random() < 0.3:
            continue  # created but never synced: its folder entry may be lost too
        ops = [piece for op in state.pending for piece in _sectors(op)]
        landed = [op for op in ops if rng.random() < 0.5]
        if rng.random() < 0.5:
            rng.shuffle(landed)
        for op in landed:
            content = _apply(content, op)
        if content is not None:
            (folder / Path(name).name).write_bytes(content)


def acknowledged(events: list[Event], upto: int) -> list[str]:
    """The labels of the marks in ``events[:upto]``."""
    return [str(event[1]) for event in events[:upto] if event[0] == "mark"]
