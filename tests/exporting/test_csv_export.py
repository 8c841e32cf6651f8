import csv
import os

import pytest

from annotator.exporting.csv_export import ANNOTATION_COLUMNS, DOCUMENT_COLUMNS, export_csv
from annotator.exporting.tables import export_files

TRICKY = 'Kim, the leader, said "never"\nand =SUM(A1) 👍🏽 소아쌤'


def _read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def coded(project):
    doc = project.import_text("Intro. " + TRICKY + " End.", title='A "quoted", title')
    other = project.import_text("Seoul responded.", title="Second")
    text = project.document_text(doc.id)
    start = text.index("Kim")
    project.add_annotation(doc.id, start, start + len(TRICKY), "claim", coder="Ana")
    project.add_annotation(doc.id, start, start + 3, "actor", coder="Bo")
    project.add_annotation(other.id, 0, 5, "actor", coder="Ana")
    return project


def test_export_round_trips_through_csv(coded, tmp_path):
    counts = export_csv(coded, tmp_path / "out")
    assert counts == {
        "documents.csv": 2,
        "annotations.csv": 3,
        "claims.csv": 1,
        "statements.csv": 1,
        "actors.csv": 0,
        "codebook.csv": 17,
    }
    docs = _read(tmp_path / "out" / "documents.csv")
    anns = _read(tmp_path / "out" / "annotations.csv")
    assert tuple(docs[0]) == DOCUMENT_COLUMNS
    assert tuple(anns[0])[: len(ANNOTATION_COLUMNS)] == ANNOTATION_COLUMNS
    assert docs[0]["title"] == 'A "quoted", title'
    assert [a["quote"] for a in anns] == ["Kim", TRICKY, "Seoul"]
    by_id = {d.id: d for d in coded.documents()}
    for row in anns:
        text = coded.document_text(row["document_id"])
        assert text[int(row["start"]) : int(row["end"])] == row["quote"]
        assert row["document_title"] == by_id[row["document_id"]].title
        assert row["created_at"].endswith("Z")
    assert {a["coder"] for a in anns} == {"Ana", "Bo"}
    assert [d["annotation_count"] for d in docs] == ["2", "1"]


def test_export_is_deterministic_and_leaves_no_temporary_files(coded, tmp_path):
    export_csv(coded, tmp_path / "a")
    export_csv(coded, tmp_path / "b")
    names = sorted(os.listdir(tmp_path / "a"))
    assert names == sorted(export_files(("csv",), actor_networks=False))
    for name in names:
        if name == "manifest.json":  # its export time differs
            continue
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_export_is_utf8_without_bom(coded, tmp_path):
    export_csv(coded, tmp_path / "out")
    data = (tmp_path / "out" / "annotations.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "소아쌤".encode() in data


def test_failed_export_keeps_the_previous_files(coded, tmp_path, monkeypatch):
    out = tmp_path / "out"
    export_csv(coded, out)
    before = {name: (out / name).read_bytes() for name in os.listdir(out)}
    coded.add_annotation(coded.documents()[1].id, 6, 15, "claim", coder="Ana")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        export_csv(coded, out)
    monkeypatch.undo()
    assert {name: (out / name).read_bytes() for name in os.listdir(out)} == before


def test_a_file_failing_on_the_writer_thread_fails_the_export(coded, tmp_path, monkeypatch):
    out = tmp_path / "out"
    export_csv(coded, out)
    before = {name: (out / name).read_bytes() for name in os.listdir(out)}
    coded.add_annotation(coded.documents()[1].id, 6, 15, "claim", coder="Ana")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        export_csv(coded, out)
    monkeypatch.undo()
    assert {name: (out / name).read_bytes() for name in os.listdir(out)} == before  # no staging
