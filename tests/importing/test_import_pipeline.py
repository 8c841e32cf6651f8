"""The import pipeline: metadata CSV, duplicates, progress, the report and the export."""

import csv

import pytest

from annotator.exporting.csv_export import DOCUMENT_COLUMNS, export_csv
from annotator.importing.pipeline import (
    ImportReport,
    import_one,
    import_paths,
    read_metadata_csv,
)
from annotator.store.project import open_project


def _write(folder, files):
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    return folder


def _csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_metadata_csv_fills_fields_and_variables(project, tmp_path):
    project.add_variable("Outlet", key="outlet")
    project.add_variable("Year", "number", key="year")
    docs = _write(tmp_path / "docs", {"a.txt": "First text.\n", "b.txt": "Second text.\n"})
    meta = _csv(
        tmp_path / "meta.csv",
        [
            ["File_Name", "title", "source", "author", "date", "outlet", "year", "mood"],
            ["a.txt", "Alpha", "Yonhap", "Kim", "2024-05-01", "KBS", "2024", "odd"],
            ["gone.txt", "", "", "", "", "", "", ""],
        ],
    )
    report = import_paths(project, [docs], metadata_csv=meta)
    assert report.count("imported") == 2
    assert report.notes == [
        "metadata columns ignored (not title, source, author, date or a document variable): mood",
        "metadata rows that matched no file: gone.txt",
    ]
    a, b = project.documents()
    assert (a.title, a.source, a.author, a.date) == ("Alpha", "Yonhap", "Kim", "2024-05-01")
    assert project.document_variables(a.id) == {"outlet": "KBS", "year": "2024"}
    assert (b.title, b.source) == ("Second text.", "")
    assert project.document_variables(b.id) == {}


def test_a_metadata_csv_from_a_european_spreadsheet_with_a_title_on_two_lines(tmp_path):
    """Semicolons between the columns (it said: no “file_name” column), and a quoted
    cell holding a line break (its two lines were glued together)."""
    meta = tmp_path / "meta.csv"
    meta.write_bytes(b'file_name;title;source\r\na.txt;"Alpha\r\nTitle on two lines";Yonhap\r\n')
    assert read_metadata_csv(meta) == {
        "a.txt": {"title": "Alpha\r\nTitle on two lines", "source": "Yonhap"}
    }


def test_a_metadata_value_that_does_not_fit_rejects_the_file_whole(project, tmp_path):
    project.add_variable("Year", "number", key="year")
    path = _write(tmp_path / "d", {"a.txt": "Text."}) / "a.txt"
    outcome = import_one(project, path, metadata={"year": "soon", "title": "T"})
    assert outcome.status == "rejected" and "not a number" in outcome.reason
    assert project.documents() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title,source\nA,B\n", "no “file_name” column"),
        (b"file_name,title\na.txt,A\na.txt,B\n", "appears twice"),
        (b"file_name,title\na.txt,A,extra\n", "more cells"),
        (b"", "empty"),
    ],
)
def test_bad_metadata_csv_is_refused_before_anything_is_imported(
    project, tmp_path, content, message
):
    (tmp_path / "m.csv").write_bytes(content)
    with pytest.raises(ValueError, match=message):
        read_metadata_csv(tmp_path / "m.csv")
    _write(tmp_path / "d", {"a.txt": "Text."})
    with pytest.raises(ValueError):
        import_paths(project, [tmp_path / "d"], metadata_csv=tmp_path / "m.csv")
    assert project.documents() == []


def test_metadata_csv_in_cp1252_with_bom_less_header(tmp_path):
    (tmp_path / "m.csv").write_bytes("file_name,author\nk.txt,Müller\n".encode("cp1252"))
    assert read_metadata_csv(tmp_path / "m.csv") == {"k.txt": {"author": "Müller"}}


def test_duplicates_are_skipped_unless_allowed(project, tmp_path):
    docs = _write(tmp_path / "d", {"a.txt": "Same text.\r\n", "b.md": b"Same text.\n"})
    report = import_paths(project, [docs])
    assert [o.status for o in report.outcomes] == ["imported", "duplicate"]
    first = report.outcomes[0].document
    assert report.outcomes[1].document == first
    assert "a.txt" in report.outcomes[1].reason
    assert len(project.documents()) == 1
    again = import_paths(project, [docs], allow_duplicates=True)
    assert again.count("imported") == 2 and len(project.documents()) == 3


def test_progress_can_cancel_between_files(project, tmp_path):
    docs = _write(tmp_path / "d", {f"{i}.txt": f"Text number {i}." for i in range(5)})
    seen = []

    def progress(index, total, path):
        seen.append((index, total, path.name))
        return index < 2

    report = import_paths(project, [docs], progress=progress)
    assert report.cancelled
    assert seen == [(0, 5, "0.txt"), (1, 5, "1.txt"), (2, 5, "2.txt")]
    assert [d.file_name for d in project.documents()] == ["0.txt", "1.txt"]


def test_report_lines(project, tmp_path):
    docs = _write(
        tmp_path / "d",
        {
            "a.txt": "Köln ist schön, sagte sie. Grüße an alle.".encode("cp1252"),
            "b.txt": "Plain.",
            "c.txt": "",
            "d.txt": "Plain.",
        },
    )
    report = import_paths(project, [docs])
    assert isinstance(report, ImportReport)
    assert report.lines() == [
        "imported  a.txt (cp1252)",
        "imported  b.txt (utf-8)",
        "rejected  c.txt: the file is empty (no text)",
        "duplicate d.txt: same text as “Plain.” (b.txt)",
    ]
    assert (report.count("imported"), report.count("rejected")) == (2, 1)


def test_documents_csv_has_encoding_text_and_variables(project, tmp_path):
    project.add_variable("Outlet", key="outlet")
    project.add_variable("Year", "number", key="year")
    docs = _write(
        tmp_path / "d",
        {
            "a.txt": 'Kim said, "no".\r\n👍🏽 =SUM(A1)\n',
            "b.txt": "Grüße aus Köln, schön.".encode("cp1252"),
        },
    )
    import_paths(project, [docs])
    a, b = project.documents()
    project.set_document_variables(a.id, {"year": "2024", "outlet": "KBS"})
    export_csv(project, tmp_path / "out")
    with (tmp_path / "out" / "documents.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == (*DOCUMENT_COLUMNS, "var.outlet", "var.year")
    assert DOCUMENT_COLUMNS.index("file_name") < DOCUMENT_COLUMNS.index("encoding")
    assert [r["text"] for r in rows] == [project.document_text(a.id), project.document_text(b.id)]
    assert [r["encoding"] for r in rows] == ["utf-8", "cp1252"]
    assert [r["char_count"] for r in rows] == [str(a.char_count), str(b.char_count)]
    assert [(r["var.outlet"], r["var.year"]) for r in rows] == [("KBS", "2024"), ("", "")]


def test_imports_survive_reopening(tmp_path):
    path = tmp_path / "p.annotator"
    docs = _write(tmp_path / "d", {"a.txt": "Persisted text."})
    with open_project(path, create=True) as project:
        assert import_paths(project, [docs]).count("imported") == 1
    with open_project(path) as project:
        (doc,) = project.documents()
        assert project.document_text(doc.id) == "Persisted text."
