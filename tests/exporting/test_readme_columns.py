"""README.md's "Export for analysis" section against a real export: the table of
files names exactly the files the registry writes, and the column tables name
exactly the columns the data dictionary lists, in order.

The README's convention (stated there, under "Columns"): every CSV file has a
table whose header starts with ``column``, after a paragraph that starts with
the file's name in backticks; the first cell of a row names one or more columns
in backticks. A part in angle brackets names what the project defines:
``<key>`` a document variable's key, ``<category>`` a category key,
``<attribute>`` an attribute key, ``<label>`` a choice label, ``<polarity>`` a
polarity label; such a name stands for one column per value, at that place (a
name that repeats an earlier column may carry ``_2``…). The project exported
here defines at least one of each, so every such name must match a column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.exporting.tables import TABLES, export_files, table_definition
from annotator.store.project import Project
from tests.exporting.coded_example import build, header, read_csv

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Export for analysis"
PLACEHOLDER = re.compile(r"<[^<>]+>")
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _section() -> list[str]:
    """The lines of the export section, code blocks left out."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(SECTION) + 1
    section: list[str] = []
    fenced = False
    for line in lines[start:]:
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        if line.startswith("## "):
            break
        section.append(line)
    return section


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in CELL_SPLIT.split(line.strip())[1:-1]]


def _tables(lines: list[str]) -> list[tuple[str, list[str], list[list[str]]]]:
    """Each Markdown table as (the file its paragraph names, header, rows)."""
    tables: list[tuple[str, list[str], list[list[str]]]] = []
    about = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|"):
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(_cells(lines[i]))
                i += 1
            tables.append((about, block[0], block[2:]))
            continue
        named = re.match(r"`([^`]+\.csv)`", line)
        if named:
            about = named.group(1)
        i += 1
    return tables


def _names(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def readme_files() -> list[str]:
    (files,) = [rows for _, head, rows in _tables(_section()) if head[0] == "file"]
    return [name for row in files for name in _names(row[0])]


def readme_columns() -> dict[str, list[str]]:
    """File name → the column names its column tables give, in order."""
    columns: dict[str, list[str]] = {}
    for about, head, rows in _tables(_section()):
        if head[0] == "column":
            assert about, f"a column table names no file: {rows[0]}"
            columns.setdefault(about, []).extend(n for row in rows for n in _names(row[0]))
    return columns


Vocabulary = dict[str, list[str]]


def vocabulary(project: Project) -> Vocabulary:
    """What each placeholder of the README stands for in ``project``."""
    codebook = project.codebook()
    attributes = [a for c in codebook.categories for a in codebook.attributes_of(c.key)]
    polarity = codebook.attribute("stance", "polarity")
    return {
        "key": [v.key for v in project.variables()],
        "category": [c.key for c in codebook.categories],
        "attribute": [a.key for a in attributes],
        "label": [choice.label for a in attributes for choice in a.choices],
        "polarity": [c.label for c in polarity.choices] if polarity else [],
        "coder": [c for c in project.coder_names() if c != "adjudicated"],
    }


def _pattern(name: str, words: Vocabulary) -> re.Pattern[str]:
    """A documented name as a pattern: each placeholder one of its values."""
    parts = PLACEHOLDER.split(name)
    pattern = re.escape(parts[0])
    for token, part in zip(PLACEHOLDER.findall(name), parts[1:], strict=True):
        values = words.get(token[1:-1])
        assert values is not None, f"the README uses {token}, which names nothing here"
        pattern += "(?:" + ("|".join(map(re.escape, values)) or "(?!)") + ")" + re.escape(part)
    return re.compile(pattern + r"(?:_\d+)?")


def expand(documented: list[str], actual: list[str], words: Vocabulary) -> list[str]:
    """``documented`` with each placeholder name replaced by the run of ``actual``
    columns it stands for at that place (left as written if it matches none), so
    that the result equals ``actual`` when the README agrees with the export."""
    expanded: list[str] = []
    i = 0
    for name in documented:
        if not PLACEHOLDER.search(name):
            expanded.append(name)
            i += 1
            continue
        pattern = _pattern(name, words)
        run: list[str] = []
        while i < len(actual) and pattern.fullmatch(actual[i]):
            run.append(actual[i])
            i += 1
        expanded += run or [name]
    return expanded


@pytest.fixture
def example(project: Project) -> Project:
    """The coded example with the default codebook, a document variable and an
    attribute added to the claim category."""
    build(project)
    project.add_attribute(project.codebook().category("claim").id, "Note", "text")
    project.add_variable("Outlet type", "choice", key="outlet", choices=["daily", "weekly"])
    return project


@pytest.fixture
def dictionary(example: Project, tmp_path: Path) -> dict[str, list[str]]:
    """File → columns, as the example's data_dictionary.csv lists them."""
    out = tmp_path / "out"
    export_for_analysis(example, out, ExportOptions(actor_networks=True))
    listed: dict[str, list[str]] = {}
    for row in read_csv(out / "data_dictionary.csv"):
        listed.setdefault(row["file"], []).append(row["column"])
    for name, columns in listed.items():
        delimiter = table_definition(name.removesuffix(".csv")).delimiter
        assert header(out / name, delimiter) == columns, name
    return listed


def test_the_readme_lists_the_files_the_registry_writes() -> None:
    assert readme_files() == export_files(("csv",))


def test_every_csv_file_has_a_column_table_in_the_readme(dictionary: dict[str, list[str]]) -> None:
    assert list(readme_columns()) == list(dictionary)
    assert list(dictionary) == [f"{definition.name}.csv" for definition in TABLES]


@pytest.mark.parametrize("name", [f"{definition.name}.csv" for definition in TABLES])
def test_the_readme_names_the_columns_the_dictionary_lists(
    example: Project, dictionary: dict[str, list[str]], name: str
) -> None:
    documented = readme_columns().get(name, [])
    assert expand(documented, dictionary[name], vocabulary(example)) == dictionary[name]


def test_a_placeholder_stands_for_the_columns_the_project_defines_there() -> None:
    words = {"polarity": ["for", "against"], "key": ["x"]}
    documented = ["actor_id", "name", "<polarity>", "no_polarity", "stances"]
    actual = ["actor_id", "name", "for", "against", "no_polarity", "stances"]
    assert expand(documented, actual, words) == actual
    # A placeholder matching no column stays, and the comparison fails.
    assert expand(documented, ["actor_id", "name", "no_polarity", "stances"], words) == documented
    # It never stands for a fixed column the README left out.
    assert expand(["actor_id", "<polarity>"], ["actor_id", "name"], words) == [
        "actor_id",
        "<polarity>",
    ]
    assert expand(["id", "var.<key>"], ["id", "var.x", "var.x_2"], words) == [
        "id",
        "var.x",
        "var.x_2",
    ]
