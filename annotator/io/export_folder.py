"""Putting a finished export into its folder: all of it, or none of it.

Files are written into a hidden staging folder inside the output folder. When
every file is complete and on disk, the files of the previous export there are
moved aside, the new files are moved in, and the folder is flushed. If a move
fails (a file open in another program, say), what was moved in is taken out
again and the previous files are put back: the folder holds the whole previous
export or the whole new one, never a mixture.

The previous export is: the files with the names this export writes, and the
files the previous manifest lists that this export would write in some other
choice of formats (``annotations.dta`` after a CSV-only export), as long as
they are regular files still holding what that manifest hashed. Anything else
in the folder (a user's own file, the project, a file changed since) is left
alone.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import NamedTuple

STAGING_PREFIX = ".export-"
# Previous files while the new ones go in. Never removed on its own: if putting
# them back fails, the error names this folder and the files stay in it.
ASIDE_PREFIX = ".annotator-previous-"
STALE_AFTER_S = 3600  # a staging folder this old was left by an export that was killed


class ExportNotPlaced(OSError):
    """The new files could not all be moved in; the previous ones are back."""


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


def staging_folder(out: Path) -> Path:
    """A new hidden folder in ``out`` for the files being written. Staging
    folders left there by an export that was killed are removed first."""
    out.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - STALE_AFTER_S
    for entry in out.iterdir():
        try:
            stale = (entry.name.startswith(STAGING_PREFIX) and entry.is_dir()
                     and entry.stat().st_mtime < cutoff)
        except OSError:
            continue
        if stale:
            shutil.rmtree(entry, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))


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


class Previous(NamedTuple):
    files: list[str]  # the previous export's files to replace or remove
    changed: list[str]  # listed by its manifest, but changed since: left alone


def previous_export(
    out: Path, manifest: str, own: Collection[str], writing: Collection[str]
) -> Previous:
    """The export already in ``out``, by its manifest: the files it lists whose
    names are among ``own`` (every name an export may write, compared without
    regard to case) and that are regular files still holding the bytes it hashed.
    Names in ``writing`` are left out: the new export replaces those anyway."""
    try:
        listed = json.loads((out / manifest).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return Previous([], [])
    if not isinstance(listed, dict):
        return Previous([], [])
    ours = {name.lower() for name in own} - {name.lower() for name in writing}
    files, changed = [], []
    for name, info in listed.items():
        path = out / str(name)
        if str(name).lower() not in ours or path.is_symlink() or not path.is_file():
            continue
        digest = info.get("sha256") if isinstance(info, dict) else None
        if digest == _file_sha256(path):
            files.append(name)
        else:
            changed.append(name)
    return Previous(files, changed)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def move_into_place(
    staging: Path, out: Path, names: list[str], previous: Iterable[str]
) -> list[str]:
    """Move ``names`` from ``staging`` into ``out``, replacing the previous export
    (``previous`` and same-named files) as one step; see the module's doc.
    Returns warnings (previous files that could not be deleted afterwards)."""
    for name in names:
        target = out / name
        if target.is_dir() and not target.is_symlink():
            raise ExportNotPlaced(
                errno.EISDIR, f"{name} in {out} is a folder, where the export writes a file; "
                "move it away and export again. The folder was not changed")
    aside_folder = Path(tempfile.mkdtemp(prefix=ASIDE_PREFIX, dir=out))
    aside: list[str] = []
    placed: list[str] = []
    current = ""
    try:
        for current in dict.fromkeys([*names, *previous]):
            if os.path.lexists(out / current):
                os.replace(out / current, aside_folder / current)
                aside.append(current)
        for current in names:
            os.replace(staging / current, out / current)
            placed.append(current)
    except BaseException as exc:
        restored = _undo(staging, out, aside_folder, aside, placed)
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            if not restored:
                raise ExportNotPlaced(
                    exc.errno, f"{current} could not be replaced ({reason}), and the folder "
                    f"could not all be put back as it was: the previous export's files are in "
                    f"{aside_folder}"
                ) from exc
            raise ExportNotPlaced(
                exc.errno, f"{current} could not be replaced ({reason}); is it open in "
                "another program? The folder holds the previous export, unchanged"
            ) from exc
        raise
    with contextlib.suppress(OSError):  # the files are in place; a failed flush changes nothing
        flush_folder(out)
    if _remove_tree(aside_folder):
        return []
    return [f"the previous export's files could not all be deleted; they are in {aside_folder}"]


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


def _undo(staging: Path, out: Path, aside_folder: Path, aside: list[str],
          placed: list[str]) -> bool:
    """Take the new files out and put the previous ones back; False if either
    failed (a previous file is then still in ``aside_folder``)."""
    restored = True
    for name in placed:
        try:
            os.replace(out / name, staging / name)
        except OSError:
            if name not in aside:  # no previous file will be put back over it
                try:
                    (out / name).unlink()
                except OSError:
                    restored = False
    for name in aside:
        try:
            os.replace(aside_folder / name, out / name)
        except OSError:
            restored = False
    if restored:
        _remove_tree(aside_folder)
    return restored
