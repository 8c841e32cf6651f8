"""Tables streamed to CSV piece by piece give write_csv's bytes, CR fallback included."""

from __future__ import annotations

import csv
import errno
from pathlib import Path

import pytest

from annotator.exporting import streamed_csv
from annotator.exporting.actor_networks import write_actor_graphml
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.csv_profiles import FileWriter, write_csv
from annotator.exporting.model import INTEGER, STRING, Column, ExportOptions, ExportTable
from annotator.exporting.streamed_csv import LazyRows, stream_csv
from annotator.store.project import Project
from tests.exporting.test_actor_networks import _build

COLUMNS = [Column("name", STRING, "a name"), Column("n", INTEGER, "a count")]


def _both(tmp_path: Path, rows: list[list[object]], delimiter: str = ",") -> tuple[bytes, bytes]:
    made: list[int] = []

    def make() -> list[list[object]]:
        made.append(1)
        return rows

    files = FileWriter()
    try:
        listed = ExportTable("t", "", COLUMNS, list(rows), False, delimiter)
        write_csv(listed, tmp_path / "listed.csv", files=files)
        lazy = ExportTable("t", "", COLUMNS, LazyRows(make), False, delimiter)
        written = stream_csv(lazy, tmp_path / "streamed.csv", files, lambda: None)
        digests = files.digests()
    finally:
        files.close()
    assert written.rows == len(rows)
    streamed = (tmp_path / "streamed.csv").read_bytes()
    assert digests["streamed.csv"] == digests["listed.csv"]
    return (tmp_path / "listed.csv").read_bytes(), streamed


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streamed_csv, "PIECE_ROWS", 3)


def test_streamed_rows_match_write_csv_across_pieces(tmp_path: Path) -> None:
    rows: list[list[object]] = [[f'a,"{i}"\nb', i] for i in range(10)] + [["plain", None]]
    listed, streamed = _both(tmp_path, rows)
    assert streamed == listed
    assert streamed.startswith(b"name,n\n")
    assert streamed.count(b'"a,""0""\nb",0\n') == 1


def test_a_carriage_return_quotes_every_cell_as_write_csv_does(tmp_path: Path) -> None:
    rows: list[list[object]] = [[f"x{i}", i] for i in range(8)] + [["lone\rreturn", 9]]
    listed, streamed = _both(tmp_path, rows)
    assert streamed == listed
    assert streamed.startswith(b'"name","n"\n"x0","0"\n')


def test_other_delimiter_and_empty_table(tmp_path: Path) -> None:
    listed, streamed = _both(tmp_path, [["a;b", 1], ["c", 2]], delimiter=";")
    assert streamed == listed == b'name;n\n"a;b";1\nc;2\n'
    listed, streamed = _both(tmp_path, [])
    assert streamed == listed == b"name,n\n"


def test_a_check_that_raises_stops_and_leaves_the_writer_usable(tmp_path: Path) -> None:
    def stop() -> None:
        raise KeyboardInterrupt

    files = FileWriter()
    try:
        table = ExportTable("t", "", COLUMNS, [[str(i), i] for i in range(10)])
        with pytest.raises(KeyboardInterrupt):
            stream_csv(table, tmp_path / "t.csv", files, stop)
        assert "t.csv" not in files.digests()
    finally:
        files.close()


@pytest.mark.parametrize("kind", ["congruence", "conflict"])
def test_a_network_graphml_written_with_its_csv_is_the_one_written_from_its_rows(
    project: Project, tmp_path: Path, kind: str
) -> None:
    """The export writes each actor network's GraphML from the rows it streams to
    the CSV file (computed once); written afterwards from those rows read back, the
    file is the same, byte for byte, pieces of 3 rows notwithstanding."""
    _build(project, bo_mention=True)
    # Coder Bo codes the same stances: two networks in each file, node ids prefixed.
    values = project.values_for_document()
    for a in project.annotations():
        if a.category == "stance":
            own = list(values.get(a.id, {}).values())
            project.add_annotation(a.document_id, a.start, a.end, "stance", coder="Bo", values=own)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=("csv",)))
    name = f"actor_{kind}"
    with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert {row[-1] for row in rows} == {"Ana", "Bo"}
    columns = [Column(n, STRING, "") for n in header]
    again = tmp_path / "again.graphml"
    count = write_actor_graphml(ExportTable(name, "", columns, rows), again, lambda: None)
    assert count == len(rows)
    assert (out / f"{name}.graphml").read_bytes() == again.read_bytes()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_a_piece_that_could_not_be_written_fails_the_file():
    """The disk full while a piece is written: the file's digest raises that error
    (its last pieces were once dropped unchecked, and the file counted as written)."""
    files = FileWriter()
    try:
        streamed = files.stream(Path("/dev/full"))  # every write: no space left
        streamed.write(b"x" * 100_000)
        streamed.close()
        with pytest.raises(OSError) as raised:
            files.digests()
        assert raised.value.errno == errno.ENOSPC
    finally:
        files.close()
