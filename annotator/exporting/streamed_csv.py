"""Tables written to their CSV file as their rows are made, never held whole.

A table whose rows can run into the millions (the one-mode actor networks: every
linked pair of registry actors, per coder; adjudication.csv: every matched unit)
is written, in the analysis profile, a few thousand rows at a time: each piece
is turned into text by ``csv.writer`` (``QUOTE_MINIMAL``, LF line ends, as
:func:`annotator.exporting.csv_profiles.write_csv` writes it), encoded, and handed
to the :class:`FileWriter`'s thread, which writes and hashes it. The bytes are
those ``write_csv`` gives; what is held is one piece.

``write_csv`` quotes every cell when a cell holds a lone carriage return (see
there); a streamed table that meets one is abandoned and written again from its
first row that way, so its rows must be readable twice (a list, or
:class:`LazyRows`, which makes them anew).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Literal, NamedTuple, Protocol

from annotator.exporting.csv_profiles import FileWriter, Written
from annotator.exporting.model import ExportTable

# Rows turned into text and handed to the writer at a time (a network's row is
# about 150 bytes: a piece of a few megabytes).
PIECE_ROWS = 20_000


class Feeder(Protocol):
    """Another file written from the same rows while the CSV file is (a network's
    GraphML), so that rows computed when read are computed once."""

    def add(self, rows: Iterable[Sequence[object]]) -> None: ...

    def finish(self) -> int:
        """End the file and say how many rows it holds; again: only say it."""
        ...

    def abandon(self) -> None: ...


# Makes the feeders of one writing of the CSV file (anew if it is written again).
Feeders = Callable[[], list[Feeder]]


def _none() -> list[Feeder]:
    return []


class LazyRows:
    """A table's rows, made anew by ``make`` each time they are read."""

    def __init__(self, make: Callable[[], Iterable[Sequence[object]]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Sequence[object]]:
        return iter(self._make())


class _Lines(NamedTuple):
    """What csv.writer writes to: each line appended to a list."""

    write: Callable[[str], object]


def stream_csv(
    table: ExportTable,
    path: Path,
    files: FileWriter,
    check: Callable[[], None],
    feeders: Feeders = _none,
) -> Written:
    """Write ``table`` (rows of values) to ``path`` in the analysis profile, piece by
    piece; the file's SHA-256 comes from ``files``' digests. ``check`` is called
    between pieces (it may raise to stop). Each piece is also given to the
    ``feeders`` made for the writing that completes, finished at its end."""
    count = _stream(table, path, files, check, csv.QUOTE_MINIMAL, feeders)
    if count is None:  # a lone carriage return: every cell quoted, as write_csv does
        count = _stream(table, path, files, check, csv.QUOTE_ALL, feeders)
    assert count is not None
    return Written(count, [], "")


def _stream(
    table: ExportTable,
    path: Path,
    files: FileWriter,
    check: Callable[[], None],
    quoting: Literal[0, 1],
    feeders: Feeders,
) -> int | None:
    """The rows written; None if a cell held a carriage return under QUOTE_MINIMAL
    (the file and the feeders are then abandoned, and the writer idle again)."""
    parts: list[str] = []
    writer = csv.writer(
        _Lines(parts.append), lineterminator="\n", quoting=quoting, delimiter=table.delimiter
    )
    writer.writerow(table.header)
    file = files.stream(path)
    count = 0
    also: list[Feeder] = []
    try:
        also = feeders()
        rows = iter(table.rows)
        while True:
            piece = list(islice(rows, PIECE_ROWS))
            writer.writerows(piece)
            count += len(piece)
            data = "".join(parts).encode("utf-8")
            parts.clear()
            if quoting == csv.QUOTE_MINIMAL and b"\r" in data:
                file.abandon()
                files.submit(_idle).result()  # the old file closed before it is opened anew
                for feeder in also:
                    feeder.abandon()
                return None
            file.write(data)
            for feeder in also:
                feeder.add(piece)
            if len(piece) < PIECE_ROWS:
                break
            check()
        for feeder in also:
            feeder.finish()
    except BaseException:
        file.abandon()
        for feeder in also:
            feeder.abandon()
        raise
    file.close()
    return count


def _idle() -> None:
    pass


class StreamedTable:
    """A table's CSV file (analysis profile, rows of values) written as its rows
    are given, a piece at a time, with ``write_csv``'s bytes; ``failed`` once a
    cell held a carriage return (the file is then abandoned: write the table
    with :func:`stream_csv`, which quotes every cell)."""

    def __init__(
        self, header: Sequence[str], path: Path, files: FileWriter, delimiter: str = ","
    ) -> None:
        self._parts: list[str] = []
        self._writer = csv.writer(
            _Lines(self._parts.append), lineterminator="\n", delimiter=delimiter
        )
        self._writer.writerow(header)
        self._files = files
        self._file = files.stream(path)
        self.count = 0
        self.failed = False

    def add(self, rows: list[Sequence[object]]) -> None:
        if self.failed:
            return
        self._writer.writerows(rows)
        self.count += len(rows)
        data = "".join(self._parts).encode("utf-8")
        self._parts.clear()
        if b"\r" in data:
            self.abandon()
            self.failed = True
            self._files.submit(_idle).result()  # closed before the file is written anew
        elif data:
            self._file.write(data)

    def finish(self) -> Written | None:
        """Close the file: what was written, or None if it ``failed``."""
        self.add([])
        if self.failed:
            return None
        self._file.close()
        return Written(self.count, [], "")

    def abandon(self) -> None:
        if not self.failed:
            self._file.abandon()
