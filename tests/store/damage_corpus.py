"""A corpus of damaged project files, generated: bit flips across every page,
truncations, zeroed pages, damaged header fields, a newer version, and logs
(``-wal``) left by a killed writer, copied from another project or left under an
older copy of the file. Each case is the bytes of the file and of its side files,
and what the file holds when it is sound (None when nothing is expected to open)."""

from __future__ import annotations

import functools
import sqlite3
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from annotator.store.project import create_project, open_project
from annotator.store.schema import SCHEMA_VERSION

# (title, text) of each document, in order: what a sound file holds.
Contents = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    sides: dict[str, bytes] = field(default_factory=dict)  # "-wal" / "-shm" -> bytes
    expected: Contents | None = None  # None: any answer but wrong data

    def write(self, path: Path) -> None:
        path.write_bytes(self.data)
        for suffix, data in self.sides.items():
            Path(f"{path}{suffix}").write_bytes(data)


DOCUMENTS: Contents = tuple(
    (f"Statement {n}", f"Statement {n}: the ministry in Seoul responded to Pyongyang. " * 30)
    for n in range(6)
)
LATER = ("Later", "Written by a writer that was killed before it closed the file. " * 10)


def _project(path: Path, documents: Contents) -> None:
    with create_project(path) as project:
        for title, text in documents:
            doc = project.import_text(text, title=title)
            project.add_annotation(doc.id, 0, 9, "actor", coder="Ana", memo="a memo")


def _killed_writer(path: Path, title: str, text: str) -> dict[str, bytes]:
    """What a writer killed after a commit leaves: the file, its log and index as
    they are while it still has them open (taken before it closes and checkpoints)."""
    with open_project(path) as project:
        project.import_text(text, title=title)
        left = {"": path.read_bytes(), **_sides(path)}
    return left


def _sides(path: Path) -> dict[str, bytes]:
    return {
        suffix: Path(f"{path}{suffix}").read_bytes()
        for suffix in ("-wal", "-shm")
        if Path(f"{path}{suffix}").exists()
    }


def _flip(data: bytes, offset: int, bit: int = 0) -> bytes:
    out = bytearray(data)
    out[offset] ^= 1 << bit
    return bytes(out)


def _header_field(data: bytes, offset: int, value: bytes) -> bytes:
    return data[:offset] + value + data[offset + len(value) :]


@functools.cache
def build() -> tuple[Case, ...]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        good_path = folder / "good.annotator"
        _project(good_path, DOCUMENTS)
        good = good_path.read_bytes()

        left = folder / "left.annotator"
        _project(left, DOCUMENTS)
        left_sides = _killed_writer(left, *LATER)
        left_data = left_sides.pop("")

        other = folder / "other.annotator"
        _project(other, (("Other", "Tokyo stayed silent about the summit. " * 20),))
        other_sides = _killed_writer(other, "Other two", "Beijing called for calm. " * 20)
        other_sides.pop("")

        older = folder / "older.annotator"
        _project(older, DOCUMENTS[:1])
        older_data = older.read_bytes()

        newer = folder / "newer.annotator"
        _project(newer, DOCUMENTS[:1])
        conn = sqlite3.connect(newer)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
        newer_data = newer.read_bytes()

    page = struct.unpack(">H", good[16:18])[0]
    pages = len(good) // page
    cases = [Case("sound", good, expected=DOCUMENTS)]
    for number in range(pages):  # a bit flip in the middle and near the end of every page
        for at, bit in ((page // 2, 3), (page - 40, 6)):
            offset = number * page + at
            cases.append(Case(f"flip page {number + 1} at {at}", _flip(good, offset, bit)))
    text_at = good.index(DOCUMENTS[0][1][:40].encode()) + 20
    cases.append(Case("flip in the first text", _flip(good, text_at, 1)))
    for number in range(pages):
        zeroed = good[: number * page] + bytes(page) + good[(number + 1) * page :]
        cases.append(Case(f"zeroed page {number + 1}", zeroed))
    for size in (0, 50, 99, 100, page - 1, page, 2 * page + 7, len(good) // 2, len(good) - page):
        cases.append(Case(f"truncated to {size}", good[:size]))
    for offset, value in (
        (16, b"\x00\x03"),  # page size
        (18, b"\x01\x01"),  # read and write versions
        (20, b"\x40"),  # reserved bytes per page
        (28, struct.pack(">I", pages * 4)),  # size in pages
        (44, struct.pack(">I", 9)),  # schema format
        (56, struct.pack(">I", 7)),  # text encoding
        (68, b"\x00\x00\x00\x00"),  # application id
    ):
        cases.append(Case(f"header bytes {offset}", _header_field(good, offset, value)))
    cases.append(Case("newer version", newer_data))
    cases.append(Case("left log", left_data, left_sides, (*DOCUMENTS, LATER)))
    cases.append(
        Case(
            "left log without its index",
            left_data,
            {"-wal": left_sides["-wal"]},
            (*DOCUMENTS, LATER),
        )
    )
    cases.append(Case("foreign log", good, {"-wal": other_sides["-wal"]}))
    cases.append(Case("foreign log and index", good, other_sides))
    cases.append(Case("older copy over a left log", older_data, left_sides))
    return tuple(cases)
