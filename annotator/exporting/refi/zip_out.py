"""A zip written the same way every time: fixed timestamps and attributes, each
entry streamed (never held whole in memory), into a file that takes the
destination's name only once complete."""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from annotator.exporting.folder import flush_file, new_file

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say
ZIP64_ABOVE = (1 << 31) - (1 << 20)


def entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever system writes it: the same bytes everywhere
    info.external_attr = 0o644 << 16
    return info


@contextlib.contextmanager
def open_entry(archive: zipfile.ZipFile, name: str, size_bound: int) -> Iterator[IO[bytes]]:
    """Write one entry; ``size_bound`` is at least its size in bytes: above 2 GB the
    entry gets zip64 fields, which a few older readers do not know."""
    large = size_bound >= ZIP64_ABOVE
    with archive.open(entry(name), "w", force_zip64=large) as handle:
        yield handle


@contextlib.contextmanager
def zip_file(out: Path) -> Iterator[zipfile.ZipFile]:
    """A new zip that replaces ``out`` when the block ends normally; on an error
    or a cancel, ``out`` is left as it was and nothing else stays behind."""
    out = Path(out)
    temporary = new_file(out.parent, f".{out.name}.", ".part")
    try:
        with zipfile.ZipFile(temporary, "w", compresslevel=6) as archive:
            yield archive
        flush_file(temporary)
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
