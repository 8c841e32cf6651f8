"""Tables (.csv, .xlsx) hold one document per row: real files through the pipeline."""

from __future__ import annotations

import csv
import datetime as dt
import sys
import zipfile
from pathlib import Path

import pytest

from annotator.exporting.csv_export import export_csv
from annotator.importing.pipeline import (
    collect_files,
    import_documents,
    import_one,
    import_paths,
    iter_import,
)
from annotator.importing.tables import sniff_delimiter
from annotator.importing.text_import import ImportRejected, import_file
from annotator.store.project import open_project

openpyxl = pytest.importorskip("openpyxl")

ARTICLE_1 = 'Kim said, "no deal".\nSeoul responded on Tuesday.'
ARTICLE_2 = "Putin met Kim 👍🏽 in Pyongyang."
ARTICLE_3 = "Grüße aus Köln; schön."


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


NEWS = [
    ["id", "Title", "Text", "Source", "author", "date", "Outlet name", "words"],
    ["1", "Talks fail", ARTICLE_1, "Yonhap", "Lee", "2024-05-01", "KBS", "7"],
    ["2", "", ARTICLE_2, "TASS", "", "2024-05-02", "", "6"],
    ["3", "Köln", ARTICLE_3, "", "", "", "WDR", ""],
]


def test_csv_rows_become_documents_with_metadata_and_variables(project, tmp_path):
    path = write_csv(tmp_path / "news.csv", NEWS)
    report = import_paths(project, [path])
    assert [(o.status, o.row) for o in report.outcomes] == [
        ("imported", 2),
        ("imported", 3),
        ("imported", 4),
    ]
    a, b, c = project.documents()
    assert [project.document_text(d.id) for d in (a, b, c)] == [ARTICLE_1, ARTICLE_2, ARTICLE_3]
    assert (a.title, a.source, a.author, a.date) == ("Talks fail", "Yonhap", "Lee", "2024-05-01")
    assert b.title == ARTICLE_2  # no title: the first line of the text
    assert {d.file_name for d in (a, b, c)} == {"news.csv"}
    assert {d.encoding for d in (a, b, c)} == {"utf-8"}
    variables = {v.key: (v.label, v.type) for v in project.variables()}
    assert variables == {
        "id": ("id", "text"),
        "outlet_name": ("Outlet name", "text"),
        "words": ("words", "text"),
    }
    assert project.document_variables(a.id) == {"id": "1", "outlet_name": "KBS", "words": "7"}
    assert project.document_variables(b.id) == {"id": "2", "words": "6"}
    assert report.lines() == ["imported  news.csv rows 2–4: 3 documents (utf-8)"]


def test_cells_with_delimiters_quotes_and_newlines_and_row_numbers(project, tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_bytes(
        b'text,note\r\n"A, b\r\nand ""c""",x\r\n\r\n"second\nline two",y\r\n,\r\nlast,z\r\n'
    )
    outcomes = import_documents(project, path)
    assert [(o.status, o.row) for o in outcomes] == [
        ("imported", 2),
        ("imported", 4),
        ("imported", 6),
    ]
    texts = [project.document_text(o.document.id) for o in outcomes]
    assert texts == ['A, b\nand "c"', "second\nline two", "last"]
    assert [project.document_variables(o.document.id)["note"] for o in outcomes] == ["x", "y", "z"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text;source;date", ";"),
        ("text\tsource\tdate", "\t"),
        ("text,source;x", ","),
        ('"a;b",c,d', ","),
        ("\n\ntext;source", ";"),
        ("text", ","),
    ],
)
def test_the_delimiter_is_guessed_from_the_header(header, expected):
    assert sniff_delimiter(header + "\nrow\n") == expected


def test_semicolon_and_tab_tables(project, tmp_path):
    rows = [["Text", "Source"], ["Eins; zwei, drei.", "Spiegel"], ["Vier.", "Zeit"]]
    semicolon = write_csv(tmp_path / "de.csv", rows, delimiter=";")
    tab = write_csv(tmp_path / "tab.csv", [["text", "source"], ["Tab one.", "A"]], delimiter="\t")
    report = import_paths(project, [semicolon, tab])
    assert report.count("imported") == 3
    docs = {project.document_text(d.id): d for d in project.documents()}
    assert docs["Eins; zwei, drei."].source == "Spiegel"
    assert docs["Tab one."].source == "A" and docs["Tab one."].file_name == "tab.csv"


def test_utf8_bom_and_cp1252_tables(project, tmp_path):
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + "text,author\nKim said “no”.,Müller\n".encode())
    cp1252 = tmp_path / "cp1252.csv"
    cp1252_text = (
        "text;author\nGrüße aus Köln, schön – sagte sie.;Müller\nÄrger in Düsseldorf.;Jäger\n"
    )
    cp1252.write_bytes(cp1252_text.encode("cp1252"))
    report = import_paths(project, [bom, cp1252])
    assert report.count("imported") == 3, report.lines()
    by_file = {}
    for document in project.documents():
        by_file.setdefault(document.file_name, []).append(document)
    (b,) = by_file["bom.csv"]
    assert project.document_text(b.id) == "Kim said “no”." and b.author == "Müller"
    assert b.encoding == "utf-8-sig"  # the header was found despite the BOM
    first, second = by_file["cp1252.csv"]
    assert project.document_text(first.id) == "Grüße aus Köln, schön – sagte sie."
    assert (first.author, second.author) == ("Müller", "Jäger")
    assert first.encoding == "cp1252"
    again = import_documents(project, cp1252, encoding="latin-1", allow_duplicates=True)
    assert [o.encoding for o in again] == ["latin-1", "latin-1"]


def test_xlsx_rows_with_numbers_dates_and_empty_cells(project, tmp_path):
    path = write_xlsx(
        tmp_path / "news.xlsx",
        [
            ["Text", "title", "date", "words", "front page", "published"],
            [ARTICLE_1, "Talks fail", dt.date(2024, 5, 1), 7, True, dt.datetime(2024, 5, 1, 9, 30)],
            [None, None, None, None, None, None],
            [ARTICLE_2, None, "2024-05-02", 6.0, False, None],
            ["   ", "blank", None, 1.5, None, None],
        ],
    )
    outcomes = import_documents(project, path)
    assert [(o.status, o.row) for o in outcomes] == [
        ("imported", 2),
        ("imported", 4),
        ("rejected", 5),
    ]
    assert outcomes[2].reason == "the “Text” cell is empty"
    a, b = project.documents()
    assert project.document_text(a.id) == ARTICLE_1
    assert (a.title, a.date, a.file_name, a.encoding) == (
        "Talks fail",
        "2024-05-01",
        "news.xlsx",
        "",
    )
    assert project.document_variables(a.id) == {
        "words": "7",
        "front_page": "true",
        "published": "2024-05-01 09:30:00",
    }
    assert project.document_variables(b.id) == {"words": "6", "front_page": "false"}
    assert b.title == ARTICLE_2


def test_no_text_column_refuses_the_file_and_lists_the_columns(project, tmp_path):
    path = write_csv(tmp_path / "export.csv", [["id", "headline", "body"], ["1", "H", "Body."]])
    (outcome,) = import_documents(project, path)
    assert outcome.status == "rejected" and outcome.row == 0
    assert "no “text” column" in outcome.reason
    assert "“id”, “headline”, “body”" in outcome.reason
    assert "--text-column" in outcome.reason and ".txt" in outcome.reason
    assert project.documents() == [] and project.variables() == []
    (missing,) = import_documents(project, path, text_column="content")
    assert "no column “content”" in missing.reason
    (chosen,) = import_documents(project, path, text_column="BODY")  # any case
    assert chosen.status == "imported"
    assert project.document_text(chosen.document.id) == "Body."
    assert chosen.document.title == "Body."  # "headline" is no title column: the first line
    assert project.document_variables(chosen.document.id) == {"id": "1", "headline": "H"}


def test_a_chosen_column_wins_over_one_named_text(project, tmp_path):
    path = write_csv(tmp_path / "t.csv", [["text", "lead"], ["Body text.", "Lead text."]])
    (outcome,) = import_documents(project, path, text_column="lead")
    assert project.document_text(outcome.document.id) == "Lead text."
    assert project.document_variables(outcome.document.id) == {"text": "Body text."}


def test_empty_rows_are_skipped_and_empty_texts_reported(project, tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("\n\ntext,source\n,Yonhap\n\n , \nOne.,A\n,,\n", encoding="utf-8")
    report = import_paths(project, [path])
    assert [(o.status, o.row, o.reason) for o in report.outcomes] == [
        ("rejected", 4, "the “text” cell is empty"),
        ("imported", 7, ""),
    ]
    assert report.lines() == [
        "imported  gaps.csv row 7 (utf-8)",
        "rejected  gaps.csv row 4: the “text” cell is empty",
    ]


def test_duplicate_rows_are_reported_and_skipped(project, tmp_path):
    existing = project.import_text(ARTICLE_2, title="Earlier")
    path = write_csv(
        tmp_path / "dups.csv",
        [["text"], [ARTICLE_1], [ARTICLE_2], [ARTICLE_1 + "\n"], [ARTICLE_1.replace("\n", "\r\n")]],
    )
    report = import_paths(project, [path])
    assert [(o.status, o.row) for o in report.outcomes] == [
        ("imported", 2),
        ("duplicate", 3),
        ("imported", 4),  # a trailing newline makes another text
        ("duplicate", 5),  # CRLF is canonicalised: the text of row 2
    ]
    assert report.outcomes[1].document == existing
    assert "same text as “Earlier”" in report.outcomes[1].reason
    assert "(dups.csv)" in report.outcomes[3].reason
    assert len(project.documents()) == 3
    assert report.lines() == [
        "imported  dups.csv rows 2, 4: 2 documents (utf-8)",
        "duplicate dups.csv rows 3, 5: 2 texts already in the project",
    ]
    again = import_paths(project, [path], allow_duplicates=True)
    assert again.count("imported") == 4


def test_a_value_that_does_not_fit_its_variable_rejects_that_row_only(project, tmp_path):
    project.add_variable("Year", "number", key="year")
    project.add_variable("Genre", "choice", key="genre", choices=["news", "opinion"])
    path = write_csv(
        tmp_path / "typed.csv",
        [
            ["text", "Year", "genre"],
            ["First.", "2024", "news"],
            ["Second.", "soon", "news"],
            ["Third.", "2023,5", "poem"],
            ["Fourth.", "", ""],
        ],
    )
    outcomes = import_documents(project, path)
    assert [(o.status, o.row) for o in outcomes] == [
        ("imported", 2),
        ("rejected", 3),
        ("rejected", 4),
        ("imported", 5),
    ]
    assert outcomes[1].reason == "column “Year”: Year: “soon” is not a number"
    assert "not one of news, opinion" in outcomes[2].reason
    first, fourth = project.documents()
    assert project.document_variables(first.id) == {"year": "2024", "genre": "news"}
    assert project.document_variables(fourth.id) == {}
    assert [v.key for v in project.variables()] == ["year", "genre"]  # none created


def test_a_large_cell_is_read_and_an_oversized_file_refused(project, tmp_path):
    big = "Ein langer Artikel. " * 20_000  # 400 KB: past the csv module's default cell limit
    path = write_csv(tmp_path / "long.csv", [["text"], [big], ["Short."]])
    outcomes = import_documents(project, path)
    assert [o.status for o in outcomes] == ["imported", "imported"]
    assert project.document_text(outcomes[0].document.id) == big
    assert outcomes[0].document.char_count == len(big)
    (refused,) = import_documents(project, path, max_bytes=100_000)
    assert refused.status == "rejected" and "larger than the limit" in refused.reason


def test_an_unclosed_quote_refuses_the_whole_file(project, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text('text,source\nFine.,A\n"Never closed,B\nMore.,C\n', encoding="utf-8")
    (outcome,) = import_documents(project, path)
    assert outcome.status == "rejected"
    assert "is not valid CSV" in outcome.reason and "nothing of the file" in outcome.reason
    assert project.documents() == []


def test_a_row_with_more_cells_than_columns_is_rejected(project, tmp_path):
    path = tmp_path / "shifted.csv"
    path.write_text("text,source\nOne.,A\nTwo, with a comma.,B\nThree.,C,\n", encoding="utf-8")
    outcomes = import_documents(project, path)
    assert [(o.status, o.row) for o in outcomes] == [
        ("imported", 2),
        ("rejected", 3),
        ("imported", 4),  # an empty extra cell is harmless
    ]
    assert "3 cells but the header has 2 columns" in outcomes[1].reason


def test_two_columns_for_one_variable_or_the_same_column_twice(project, tmp_path):
    one = write_csv(tmp_path / "a.csv", [["text", "Outlet name", "outlet_name"], ["T.", "x", "y"]])
    (outcome,) = import_documents(project, one)
    assert "“Outlet name” and “outlet_name” would both fill “outlet_name”" in outcome.reason
    late = write_csv(
        tmp_path / "late.csv", [["text", "Year", "Year!"], ["", "1", "2"], ["T.", "1", "2"]]
    )
    (outcome,) = import_documents(project, late)  # the first row's problem hides nothing
    assert outcome.row == 0 and "would both fill “year”" in outcome.reason
    twice = write_csv(tmp_path / "b.csv", [["text", "Source", "source"], ["T.", "x", "y"]])
    (outcome,) = import_documents(project, twice)
    assert "“source” appears twice" in outcome.reason
    assert project.documents() == [] and project.variables() == []


def test_header_only_and_empty_tables(project, tmp_path):
    (tmp_path / "header.csv").write_text("text,source\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_bytes(b"")
    header = write_xlsx(tmp_path / "header.xlsx", [["text"]])
    empty = write_xlsx(tmp_path / "empty.xlsx", [])
    reasons = [
        import_documents(project, p)[0].reason
        for p in (tmp_path / "header.csv", tmp_path / "empty.csv", header, empty)
    ]
    assert reasons == [
        "the table has no rows below its header",
        "the file is empty (no text)",
        "the table has no rows below its header",
        "the first worksheet is empty (no header row)",
    ]


def test_xlsx_bounds_what_it_unpacks_and_each_cell(project, tmp_path):
    path = write_xlsx(tmp_path / "big.xlsx", [["text"], ["a" * 30_000], ["Short."]])
    assert path.stat().st_size < 20_000  # the cell compresses to almost nothing
    outcomes = import_documents(project, path, max_bytes=20_000)
    assert [(o.status, o.row) for o in outcomes] == [("rejected", 2), ("imported", 3)]
    assert outcomes[0].reason == "a cell is larger than the limit (0.0190735 MB)"
    (refused,) = import_documents(project, path, max_bytes=9_000)
    assert refused.status == "rejected" and "unpacks to" in refused.reason
    assert len(project.documents()) == 1


def test_damaged_and_protected_xlsx_are_refused(project, tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [["text"], ["One."]])
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[: len(data) // 2] if "sheet1" in info.filename else data)
    protected = tmp_path / "protected.xlsx"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    not_zip = tmp_path / "text.xlsx"
    not_zip.write_text("text\nhello\n")
    reasons = [import_documents(project, p)[0].reason for p in (damaged, protected, not_zip)]
    assert reasons[0].startswith("the Excel file is corrupt or unreadable")
    assert "password-protected" in reasons[1]
    assert "not a valid Excel document" in reasons[2]
    assert project.documents() == []


def test_without_openpyxl_the_message_names_the_extra(project, tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "news.xlsx", [["text"], ["One."]])
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if it were not installed
    (outcome,) = import_documents(project, path)
    assert outcome.status == "rejected"
    assert "openpyxl" in outcome.reason and "annotator[excel]" in outcome.reason


def test_folders_leave_tables_out_unless_asked(project, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("A text.", encoding="utf-8")
    write_csv(folder / "metadata.csv", [["file_name", "source"], ["a.txt", "Spiegel"]])
    write_csv(folder / "rows.csv", [["text"], ["Row text."]])
    assert collect_files([folder]) == [folder / "a.txt"]
    assert collect_files([folder], [".csv"]) == [folder / "metadata.csv", folder / "rows.csv"]
    report = import_paths(project, [folder], metadata_csv=folder / "metadata.csv")
    assert [o.path.name for o in report.outcomes] == ["a.txt"]
    assert project.documents()[0].source == "Spiegel"
    report = import_paths(project, [folder / "rows.csv"])  # named: imported
    assert report.count("imported") == 1


def test_a_metadata_csv_row_fills_in_what_a_table_row_leaves_empty(project, tmp_path):
    path = write_csv(
        tmp_path / "news.csv", [["text", "source"], ["One.", ""], ["Two.", "Own source"]]
    )
    meta = write_csv(
        tmp_path / "meta.csv", [["file_name", "source", "author"], ["news.csv", "M", "Au"]]
    )
    import_paths(project, [path], metadata_csv=meta)
    one, two = project.documents()
    assert (one.source, one.author) == ("M", "Au")
    assert (two.source, two.author) == ("Own source", "Au")


def test_the_one_document_helpers_refuse_a_table(project, tmp_path):
    path = write_csv(tmp_path / "news.csv", [["text"], ["One."]])
    outcome = import_one(project, path)
    assert outcome.status == "rejected" and "one document per row" in outcome.reason
    with pytest.raises(ImportRejected, match="one document per row"):
        import_file(project, path)
    assert project.documents() == []


def test_stopping_between_rows_keeps_what_was_stored(project, tmp_path):
    path = write_csv(tmp_path / "news.csv", [["text"], ["One."], ["Two."], ["Three."]])
    rows = iter_import(project, path)
    first = next(rows)
    assert first.status == "imported" and first.row == 2
    rows.close()
    assert [project.document_text(d.id) for d in project.documents()] == ["One."]


def test_a_new_variable_and_its_document_are_stored_together(project, tmp_path):
    path = write_csv(tmp_path / "news.csv", [["text", "outlet"], ["One.", "KBS"]])
    project.close()
    with open_project(tmp_path / "test.annotator", read_only=True) as read_only:
        (outcome,) = import_documents(read_only, path)
        assert outcome.status == "rejected" and "could not be stored" in outcome.reason
    with open_project(tmp_path / "test.annotator") as reopened:
        assert reopened.variables() == [] and reopened.documents() == []


def test_many_rows_are_summed_up_in_the_report(project, tmp_path):
    rows = [["text", "n"]] + [[f"Text {i}.", "x" if i % 2 else str(i)] for i in range(60)]
    project.add_variable("N", "number", key="n")
    path = write_csv(tmp_path / "many.csv", rows)
    report = import_paths(project, [path])
    assert report.count("imported") == 30 and report.count("rejected") == 30
    lines = report.lines()
    assert lines[0] == "imported  many.csv rows 2, 4, 6, 8, 10, 12, 14, 16, …: 30 documents (utf-8)"
    assert lines[1] == "rejected  many.csv row 3: column “n”: N: “x” is not a number"
    assert len(lines) == 1 + 20 + 1
    assert (
        lines[-1]
        == "rejected  many.csv rows 43, 45, 47, 49, 51, 53, 55, 57, …: 10 more rows rejected"
    )


def test_documents_from_rows_export_with_their_variables(project, tmp_path):
    import_paths(project, [write_csv(tmp_path / "news.csv", NEWS)])
    export_csv(project, tmp_path / "out")
    with (tmp_path / "out" / "documents.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["text"] for r in rows] == [ARTICLE_1, ARTICLE_2, ARTICLE_3]
    assert [r["file_name"] for r in rows] == ["news.csv"] * 3
    assert [r["var.outlet_name"] for r in rows] == ["KBS", "", "WDR"]
    assert [r["var.id"] for r in rows] == ["1", "2", "3"]


def test_columns_named_without_latin_letters_fill_variables_of_their_own(project, tmp_path):
    """“출처” and “날짜” made one key (``unnamed``): the second file's dates went into
    the variable of sources. A column fills the variable of its label, whatever key
    that variable has."""
    outlets = write_csv(tmp_path / "outlets.csv", [["text", "출처"], ["첫 번째 기사.", "조선일보"]])
    dates = write_csv(tmp_path / "dates.csv", [["text", "날짜"], ["두 번째 기사.", "2024-03-01"]])
    again = write_csv(tmp_path / "again.csv", [["text", "출처"], ["세 번째 기사.", "한겨레"]])
    for path in (outlets, dates, again):
        assert [o.status for o in import_documents(project, path)] == ["imported"]
    labels = {v.key: v.label for v in project.variables()}
    assert sorted(labels.values()) == ["날짜", "출처"] and "unnamed" not in labels
    source = next(k for k, label in labels.items() if label == "출처")
    held = {
        project.document_text(d.id): project.document_variables(d.id) for d in project.documents()
    }
    assert held["첫 번째 기사."] == {source: "조선일보"}
    assert held["세 번째 기사."] == {source: "한겨레"}
    assert source not in held["두 번째 기사."]

    # A variable made before keys kept such labels apart is still found by its label.
    legacy = project.add_variable("Région", key="r_gion")
    regions = write_csv(tmp_path / "regions.csv", [["text", "région"], ["Un article.", "Bretagne"]])
    assert [o.status for o in import_documents(project, regions)] == ["imported"]
    assert [v.key for v in project.variables() if v.label == "Région"] == [legacy.key]
