"""Putting a finished export into its folder: all of it, or none of it.

Files are written into a hidden staging folder inside the output folder. When
every file is complete and on disk, the files of the previous export there (the
names this export writes, and the files the previous manifest lists) are moved
aside, the new files are moved in, and the folder is flushed. If a move fails (a
file open in another program, say), what was moved in is taken out again and
the previous files are put back: the folder holds the whole previous export or
the whole new one, never a mixture.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

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


def previous_export(out: Path, manifest: str) -> list[str]:
    """The files the export already in ``out`` consists of, by its manifest
    (plain file names only); empty if there is none or it cannot be read."""
    try:
        listed = json.loads((out / manifest).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if not isinstance(listed, dict):
        return []
    return [*(n for n in listed if isinstance(n, str) and _plain(n)), manifest]


def _plain(name: str) -> bool:
    return bool(name) and not name.startswith(".") and Path(name).name == name and (
        "/" not in name and "\\" not in name)


def move_into_place(staging: Path, out: Path, names: list[str], previous: Iterable[str]) -> None:
    """Move ``names`` from ``staging`` into ``out``, replacing the previous export
    (``previous`` and same-named files) as one step; see the module's doc."""
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
                    exc.errno, f"{current} could not be replaced ({reason}), and the previous "
                    f"export could not all be put back: its files are in {aside_folder}"
                ) from exc
            raise ExportNotPlaced(
                exc.errno, f"{current} could not be replaced ({reason}); is it open in "
                "another program? The folder holds the previous export, unchanged"
            ) from exc
        raise
    with contextlib.suppress(OSError):  # the files are in place; a failed flush changes nothing
        flush_folder(out)
    shutil.rmtree(aside_folder, ignore_errors=True)


def _undo(staging: Path, out: Path, aside_folder: Path, aside: list[str],
          placed: list[str]) -> bool:
    """Take the new files out and put the previous ones back; False if a
    previous file could not be put back (it is then still in ``aside_folder``)."""
    for name in placed:
        try:
            os.replace(out / name, staging / name)
        except OSError:
            pass  # the previous file's move below reports the name if it matters
    restored = True
    for name in aside:
        try:
            os.replace(aside_folder / name, out / name)
        except OSError:
            restored = False
    if restored:
        shutil.rmtree(aside_folder, ignore_errors=True)
    return restored
