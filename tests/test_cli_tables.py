"""``annotator import`` with tables (one document per row): a CSV in a process of its
own, an Excel workbook and a folder through ``cli.main`` in this process."""

import csv

import pytest

from annotator.store.project import open_project

from .test_cli import _main, _run


def _csv(path, rows, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def test_import_a_csv_with_a_text_column_in_a_real_process(tmp_path):
    table = _csv(
        tmp_path / "news.csv",
        [
            ["id", "headline", "body", "source"],
            ["1", "Talks", 'Kim said, "no".\nSeoul waits. 👍🏽', "Yonhap"],
            ["2", "Empty", "", "TASS"],
            ["3", "Same", 'Kim said, "no".\nSeoul waits. 👍🏽', "KBS"],
        ],
        delimiter=";",
    )
    project_path = tmp_path / "p.annotator"
    refused = _run("import", project_path, table)
    assert refused.returncode == 1
    assert "no “text” column" in refused.stdout and "“headline”, “body”" in refused.stdout
    assert "--text-column" in refused.stdout
    result = _run("import", project_path, table, "--text-column", "body")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "imported  news.csv row 2 (utf-8)",
        'duplicate news.csv row 4: same text as “Kim said, "no".” (news.csv)',
        "rejected  news.csv row 3: the “body” cell is empty",
        "1 imported, 1 duplicates skipped, 1 rejected",
    ]
    with open_project(project_path) as project:
        (document,) = project.documents()
        assert project.document_text(document.id) == 'Kim said, "no".\nSeoul waits. 👍🏽'
        assert (document.source, document.file_name) == ("Yonhap", "news.csv")
        assert project.document_variables(document.id) == {"id": "1", "headline": "Talks"}


def test_import_an_xlsx_and_leave_a_folders_tables_out(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("A plain text.", encoding="utf-8")
    _csv(folder / "meta.csv", [["file_name", "author"], ["a.txt", "Lee"]])
    workbook = openpyxl.Workbook()
    workbook.active.append(["Text", "Year"])
    workbook.active.append(["Row one.", 2024])
    workbook.active.append(["Row two.", 2025])
    workbook.save(folder / "rows.xlsx")
    project_path = tmp_path / "p.annotator"
    code, out, err = _main(
        capsys, "import", project_path, folder, "--metadata", folder / "meta.csv"
    )
    assert code == 0, err
    assert out.splitlines()[0] == "imported  a.txt (utf-8)"
    assert "rows.xlsx" not in out and "meta.csv" not in out
    code, out, err = _main(capsys, "import", project_path, folder / "rows.xlsx")
    assert code == 0, err
    assert out.splitlines()[0] == "imported  rows.xlsx rows 2–3: 2 documents"
    with open_project(project_path) as project:
        a, one, two = project.documents()
        assert a.author == "Lee"
        assert [project.document_variables(d.id) for d in (one, two)] == [
            {"year": "2024"},
            {"year": "2025"},
        ]
