"""Putting a finished export into its folder: all of it, or none of it.

An :class:`ExportFolder` takes the folder for one export: it creates it if
needed, holds a lock file there so that two exports never write into it at
once, and gives a hidden staging folder for the files being written. When
every file is complete and on disk, :meth:`ExportFolder.place` moves the
previous export aside, moves the new files in and flushes the folder. If a move
fails (a file open in another program, say) or is interrupted, what was moved
in is taken out again and the previous files are put back, going by what is on
disk rather than by what was recorded: the folder holds the whole previous
export or the whole new one, never a mixture. Leaving, it removes the staging
folder, the lock, and any folder it created for an export that failed.

A process killed while moving cannot undo its moves, so before the first move a
journal (:data:`JOURNAL_NAME`) naming the aside folder, the staging folder and the
files is written and flushed to disk. The next export into the folder finds it and,
before anything else, completes the swap (every new file was in) or rolls it back
(the new files out, the previous ones back), then removes the journal and what the
killed export left: the folder again holds one whole export.

The previous export is: the files with the names this export writes, and the
files the previous manifest lists that an export could write in some other
choice of formats (``annotations.dta`` after a CSV-only export), as long as
they are regular files still holding the bytes that manifest hashed. Anything
else in the folder (a user's own file, the project, a file changed since) is
left alone.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from annotator.core.text import sha256_file

STAGING_PREFIX = ".annotator-export-"
# Previous files while the new ones go in. Never removed on its own: if putting
# them back fails, the error names this folder and the files stay in it.
ASIDE_PREFIX = ".annotator-previous-"
LOCK_NAME = ".annotator-export.lock"
# Written before the moves, removed after: present, it names a swap that was cut short.
JOURNAL_NAME = ".annotator-export.journal"  # JSON; not a staging folder's prefix
LOCK_STALE_S = 600  # a lock this old was left by an export that was killed
MANIFEST_MAX_BYTES = 16 << 20


class ExportNotPlaced(OSError):
    """The new files could not all be moved in; the message says what the folder holds."""


class Previous(NamedTuple):
    files: list[str]  # the previous export's files to replace or remove
    changed: list[str]  # listed by its manifest, but changed since: left alone


def check_folder(out: Path) -> None:
    """``NotADirectoryError`` if ``out``, or the nearest part of it that exists, is a file."""
    for part in (out, *out.parents):
        if part.exists():
            if not part.is_dir():
                raise NotADirectoryError(20, f"{part} is a file, not a folder")
            return


def failure_text(exc: BaseException) -> str:
    """What went wrong with an export, in words for the person who asked for it."""
    if isinstance(exc, ExportNotPlaced):
        return f"{exc.strerror}."
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) not in reason else ""
        return f"{reason}{where}. Nothing in the folder was changed."
    return str(exc)


def new_file(folder: Path, prefix: str, suffix: str) -> Path:
    """A new empty file in ``folder`` with a unique name, made with the permissions
    ``open(path, "w")`` gives (0666 less the umask, as the CSV files have) rather
    than the 0600 of :func:`tempfile.mkstemp`."""
    for _ in range(100):
        path = Path(folder) / f"{prefix}{secrets.token_hex(8)}{suffix}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def flush_file(path: Path) -> None:
    """Make sure ``path``'s bytes are on the disk (written without fsync)."""
    with path.open("r+b") as handle:  # Windows flushes only a handle open for writing
        os.fsync(handle.fileno())


def flush_folder(path: Path) -> None:
    """Make the folder's entries (the moves into it) durable, where the system allows."""
    if os.name != "posix":
        return  # Windows cannot open a folder to flush it; NTFS journals the renames
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ExportFolder:
    """The output folder of one export; use as a context manager."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging = out  # set on entering
        self.placed = False
        self._created: list[Path] = []
        self._lock: Path | None = None

    def __enter__(self) -> ExportFolder:
        check_folder(self.out)
        missing = [p for p in (self.out, *self.out.parents) if not p.exists()]
        self.out.mkdir(parents=True, exist_ok=True)
        self._created = missing  # deepest first
        try:
            self._take_lock()
            # Holding the lock, no other export is writing here: a journal, a
            # staging folder or an empty aside folder is one a killed export left.
            self._recover()
            for entry in self.out.iterdir():
                if entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out))
        except BaseException:
            self._leave()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._leave()

    def _leave(self) -> None:
        # A journal still here: moving back was cut short; the next export needs the
        # staging folder to tell the new files from the previous ones.
        if self.staging != self.out and not os.path.lexists(self.out / JOURNAL_NAME):
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._lock.unlink()
        if not self.placed:
            for folder in self._created:  # deepest first; only if empty again
                with contextlib.suppress(OSError):
                    folder.rmdir()

    def _take_lock(self) -> None:
        lock = self.out / LOCK_NAME
        for _attempt in range(2):
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                if not _stale(lock):
                    raise ExportNotPlaced(
                        errno.EBUSY,
                        f"another export is writing to {self.out}; wait for it "
                        f"to finish (if none is running, delete {lock})",
                    ) from None
                with contextlib.suppress(OSError):
                    lock.unlink()
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()}\n")
            self._lock = lock
            return
        raise ExportNotPlaced(errno.EBUSY, f"another export is writing to {self.out}")

    def previous(self, manifest: str, own: Collection[str], writing: Collection[str]) -> Previous:
        """The export already in the folder, by its manifest: the files it lists
        whose names are among ``own`` (every name an export may write) but not
        in ``writing`` (replaced anyway), that are regular files still holding
        the bytes it hashed."""
        listed = _read_manifest(self.out / manifest)
        files: list[str] = []
        changed: list[str] = []
        for name, info in listed.items():
            if name not in own or name in writing or not _regular_file(self.out / name):
                continue
            digest = info.get("sha256") if isinstance(info, dict) else None
            (files if digest == sha256_file(self.out / name) else changed).append(name)
        return Previous(files, changed)

    def place(self, names: list[str], previous: Iterable[str]) -> list[str]:
        """Move ``names`` from the staging folder in, replacing the previous export
        (``previous`` and same-named files) as one step. Returns warnings (previous
        files that could not be deleted afterwards)."""
        out, staging = self.out, self.staging
        for name in names:
            target = out / name
            if target.is_dir() and not target.is_symlink():
                raise ExportNotPlaced(
                    errno.EISDIR,
                    f"{name} in {out} is a folder, where the export writes a "
                    "file; move it away and export again. The folder was not changed",
                )
        candidates = list(dict.fromkeys([*names, *previous]))
        aside = Path(tempfile.mkdtemp(prefix=ASIDE_PREFIX, dir=out))
        journal = out / JOURNAL_NAME
        try:
            _write_journal(journal, aside, staging, names, candidates)
        except BaseException:
            _forget(journal)
            _remove_tree(aside)
            raise
        current = ""
        try:
            for current in candidates:
                if os.path.lexists(out / current):
                    os.replace(out / current, aside / current)
            for current in names:
                os.replace(staging / current, out / current)
        except BaseException as exc:
            problems = self._undo(names, candidates, aside)
            _forget(journal)  # undone here (or said what is where): nothing to replay
            if not isinstance(exc, OSError):
                raise
            reason = exc.strerror or str(exc)
            if problems:
                raise ExportNotPlaced(
                    exc.errno,
                    f"{current} could not be put in the folder ({reason}), and the "
                    f"folder could not all be put back as it was: {'; '.join(problems)}",
                ) from exc
            raise ExportNotPlaced(
                exc.errno,
                f"{current} could not be put in the folder ({reason}); is it open in "
                "another program? The folder is as it was before the export",
            ) from exc
        self.placed = True
        with contextlib.suppress(OSError):  # the files are in place; a failed flush changes nothing
            flush_folder(out)
        removed = _remove_tree(aside)
        _forget(journal)  # after the aside folder: killed in between, the next export clears it
        if removed:
            return []
        return [f"the previous export's files could not all be deleted; they are in {aside}"]

    def _recover(self) -> None:
        """Finish what an export killed while moving files left (see the module
        docstring); then remove empty aside folders. ``ExportNotPlaced`` if the
        folder cannot be put back as it was (the journal stays for a later try)."""
        out = self.out
        journal = out / JOURNAL_NAME
        swap = _read_journal(journal) if os.path.lexists(journal) else None
        if swap is not None:
            aside, staging, names, candidates = swap
            moved_in = [n for n in names if not os.path.lexists(staging / n)]
            if len(moved_in) == len(names) and all(os.path.lexists(out / n) for n in names):
                _remove_tree(aside)  # every new file is in: the swap is complete
            else:
                kept, self.staging = self.staging, staging
                try:
                    problems = self._undo(names, candidates, aside)
                finally:
                    self.staging = kept
                if problems:
                    raise ExportNotPlaced(
                        errno.EIO,
                        f"an earlier export into {out} was interrupted, and the folder "
                        f"could not all be put back as it was: {'; '.join(problems)}",
                    )
        if os.path.lexists(journal):
            _forget(journal)
            with contextlib.suppress(OSError):
                flush_folder(out)
        for entry in out.iterdir():  # an aside folder a killed export left empty
            if entry.name.startswith(ASIDE_PREFIX) and entry.is_dir() and not entry.is_symlink():
                with contextlib.suppress(OSError):
                    entry.rmdir()  # only if empty: one with files was named in an error

    def _undo(self, names: list[str], candidates: list[str], aside: Path) -> list[str]:
        """Take the new files out and put the previous ones back, going by what
        is on disk; what could not be done, in words (empty if all was)."""
        out, staging = self.out, self.staging
        left: list[str] = []
        for name in names:  # a new file no longer in staging was moved in
            if os.path.lexists(staging / name) or not os.path.lexists(out / name):
                continue
            try:
                os.replace(out / name, staging / name)
            except OSError:
                if not os.path.lexists(aside / name):  # no previous file goes back over it
                    try:
                        (out / name).unlink()
                    except OSError:
                        left.append(name)
        not_back: list[str] = []
        for name in candidates:
            if os.path.lexists(aside / name):
                try:
                    os.replace(aside / name, out / name)
                except OSError:
                    not_back.append(name)
        problems = []
        if left:
            problems.append(f"new {', '.join(left)} left in the folder")
        if not_back:
            problems.append(f"the previous {', '.join(not_back)} in {aside}")
        else:
            _remove_tree(aside)
        return problems


def _plain_name(name: object, prefix: str = "") -> bool:
    """Whether ``name`` is one entry of the export folder (no path, no way out of it)."""
    return (
        isinstance(name, str)
        and name.startswith(prefix)
        and name not in ("", ".", "..")
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
    )


def _write_journal(
    journal: Path, aside: Path, staging: Path, names: list[str], candidates: list[str]
) -> None:
    """Record the swap about to be made, on disk before the first move."""
    text = json.dumps(
        {"aside": aside.name, "staging": staging.name, "names": names, "candidates": candidates},
        ensure_ascii=False,
    )
    with journal.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    flush_folder(journal.parent)


def _read_journal(journal: Path) -> tuple[Path, Path, list[str], list[str]] | None:
    """(aside, staging, names, candidates) of a swap cut short; None if the journal is
    not a complete one (killed while it was written: nothing had been moved yet)."""
    try:
        if not _regular_file(journal) or journal.stat().st_size > MANIFEST_MAX_BYTES:
            return None
        data = json.loads(journal.read_text(encoding="utf-8"))
        aside, staging = data["aside"], data["staging"]
        names, candidates = data["names"], data["candidates"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    if not (_plain_name(aside, ASIDE_PREFIX) and _plain_name(staging, STAGING_PREFIX)):
        return None
    if not (isinstance(names, list) and isinstance(candidates, list)):
        return None
    if not all(_plain_name(name) for name in [*names, *candidates]):
        return None
    folder = journal.parent
    if (folder / aside).is_symlink() or (folder / staging).is_symlink():
        return None
    return folder / aside, folder / staging, names, candidates


def _forget(journal: Path) -> None:
    with contextlib.suppress(OSError):
        journal.unlink()


def _stale(lock: Path) -> bool:
    """Whether a lock file was left by an export that is no longer running."""
    try:
        age = time.time() - lock.stat().st_mtime
        pid = int(lock.read_text(encoding="utf-8").strip() or "0")
    except (OSError, ValueError):
        return True
    if age > LOCK_STALE_S:
        return True
    if os.name == "posix" and pid > 0:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return False


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _read_manifest(path: Path) -> dict[str, object]:
    """The ``files`` of a previous manifest; empty unless it is a regular file
    of sensible size holding the expected shape."""
    try:
        if not _regular_file(path) or path.stat().st_size > MANIFEST_MAX_BYTES:
            return {}
        listed = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return {}
    if not isinstance(listed, dict):
        return {}
    return {name: info for name, info in listed.items() if isinstance(name, str)}


def _remove_tree(folder: Path) -> bool:
    """Delete ``folder``, read-only files too (Windows refuses to delete those);
    False if something is left."""

    def writable_then_retry(function: Callable[[str], object], path: str, _exc: object) -> None:
        with contextlib.suppress(OSError):
            os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
            function(path)

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=writable_then_retry)
    else:
        shutil.rmtree(folder, onerror=writable_then_retry)
    return not folder.exists()
