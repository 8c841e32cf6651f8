"""A source's plain text: inside the archive (``internal://``), in the XML
(``PlainTextContent``) or beside the ``.qdpx`` (``relative://``)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from annotator.importing.encodings import read_bytes
from annotator.importing.model import ImportRejected
from annotator.importing.refi.archive import MAX_SOURCE_BYTES, Archive
from annotator.importing.refi.model import RefiSource

_TEXT_SUFFIXES = (".txt", ".text")


def decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ImportRejected(f"the text of “{name}” is not UTF-8") from None


def _relative(path: Path, location: str) -> Path:
    """A ``relative://`` source: below the folder that holds the ``.qdpx``, never
    outside it."""
    parts = PurePosixPath(location.replace("\\", "/")).parts
    parts = tuple(p for p in parts if p not in ("/", "", "."))
    if ".." in parts or not parts:
        raise ImportRejected(f"its text is linked outside the project's folder ({location})")
    return path.parent.joinpath(*parts)


def source_text(source: RefiSource, archive: Archive | None, path: Path) -> str:
    """The text as the file holds it (not yet canonical); ``ImportRejected`` says
    why a source has none the import can read."""
    name = source.name or source.guid
    if source.content is not None:
        return source.content
    location = source.location
    scheme, _, rest = location.partition("://")
    if not rest:
        raise ImportRejected(f"“{name}” names no plain text (a source with neither text nor path)")
    if not rest.lower().endswith(_TEXT_SUFFIXES):
        raise ImportRejected(
            f"“{name}” has only a rich-text or media file ({PurePosixPath(rest).name}), "
            "no plain text"
        )
    scheme = scheme.lower()
    if scheme == "internal":
        if archive is None:
            raise ImportRejected(f"“{name}” is inside a project archive this file is not")
        member = next(
            (
                found
                for candidate in (f"sources/{rest}", rest)
                if (found := archive.find(candidate)) is not None
            ),
            None,
        )
        if member is None:
            raise ImportRejected(f"“{name}”: its text {rest} is missing from the archive")
        return decode(archive.read_text_part(member), name)
    if scheme == "relative":
        return decode(read_bytes(_relative(path, rest), MAX_SOURCE_BYTES), name)
    raise ImportRejected(
        f"“{name}”: its text is linked to a file outside the archive ({location}); "
        "export the project again with its sources inside"
    )
