"""The format registry: one definition per format, and everything else derived from it."""

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.importing import formats
from annotator.importing.formats import (
    FOLDER_EXTENSIONS,
    FORMATS,
    SUPPORTED_EXTENSIONS,
    TABLE_EXTENSIONS,
    Format,
    format_of,
    is_plain_text,
    is_table,
)
from annotator.importing.readers import read_plain
from annotator.importing.tables import read_csv_table


def test_each_extension_belongs_to_one_format():
    extensions = [ext for fmt in FORMATS for ext in fmt.extensions]
    assert len(extensions) == len(set(extensions)) == len(SUPPORTED_EXTENSIONS)
    assert all(ext == ext.lower() and ext.startswith(".") for ext in extensions)
    assert set(FOLDER_EXTENSIONS) | set(TABLE_EXTENSIONS) == set(SUPPORTED_EXTENSIONS)
    assert TABLE_EXTENSIONS == (".csv", ".xlsx")
    assert not set(FOLDER_EXTENSIONS) & set(TABLE_EXTENSIONS)


def test_formats_by_extension_and_the_plain_text_fallback():
    assert format_of(Path("a.DOCX")).label == "Word"
    assert format_of(Path("notes.log")) is formats.PLAIN_TEXT
    assert is_plain_text(Path("a.md")) and not is_plain_text(Path("a.csv"))
    assert is_table(Path("A.XLSX")) and not is_table(Path("a.txt"))
    asked = {ext for fmt in FORMATS if fmt.asks_encoding for ext in fmt.extensions}
    assert asked == {".txt", ".md", ".csv"}


def test_a_format_is_read_or_a_table_never_both():
    with pytest.raises(ValueError):
        Format("Both", (".x",), read=read_plain, table=read_csv_table)
    with pytest.raises(ValueError):
        Format("Neither", (".y",))
    with pytest.raises(ValueError):
        formats.PLAIN_TEXT.preview(Path("a.txt"), formats.ReadOptions(), 5)


def test_the_command_line_help_lists_every_format(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for ext in SUPPORTED_EXTENSIONS:
        assert ext in help_text
    assert "--text-column" in help_text
