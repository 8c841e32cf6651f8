"""Text that a spreadsheet would start as a formula, in the excel profile.

Beyond OWASP's ``= + - @`` tab CR: NUL (ASVS 1.2.10), the full-width forms and
blanks before the sign. The CSV is opened in LibreOffice where it is installed
(``soffice --headless``), and no cell may come out as a formula.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.csv_profiles import neutralise
from annotator.exporting.model import ExportOptions
from annotator.exporting.tables import XLSX
from annotator.store.project import create_project

SOFFICE = shutil.which("soffice")
HOSTILE = [
    "=1+2",
    '\x00=HYPERLINK("http://example.org","x")',
    "\x00+1",
    "\uff1d1+3",  # full-width =
    "\uff0bx",
    "\uff0dx",
    "\uff20x",
    "  =1+4",
    " @x",
    "\u00a0=1+5",  # no-break space
    "\u3000=1+6",  # ideographic space
    "\u200b=1+7",  # zero-width space
    "\ufeff-x",
    "\n=1+8",
    "\t=1+9",
]
HARMLESS = ["-1", "+3e5", " -2.5", "a=b", "  text", "x", "'=1", ""]


def test_neutralise_marks_hidden_and_full_width_formula_starts():
    assert [neutralise(c) for c in HOSTILE] == ["'" + c for c in HOSTILE]
    assert [neutralise(c) for c in HARMLESS] == HARMLESS


def _export(tmp_path: Path, cells: list[str], profile: str, formats: tuple[str, ...]) -> Path:
    out = tmp_path / profile
    with create_project(tmp_path / f"{profile}.annotator") as project:
        doc = project.import_text("Alpha beta gamma.", title="t")
        for cell in cells:
            project.add_annotation(doc.id, 0, 5, "actor", coder="Ana", memo=cell)
        export_for_analysis(project, out, ExportOptions(profile=profile, formats=formats))
    return out


def _memos(path: Path, encoding: str) -> list[str]:
    with path.open(encoding=encoding, newline="") as handle:
        return [row["memo"] for row in csv.DictReader(handle)]


def test_excel_profile_csv_neutralises_them_and_only_them(tmp_path):
    cells = HOSTILE + [c for c in HARMLESS if c]
    out = _export(tmp_path, cells, "excel", ("csv",))
    memos = _memos(out / "annotations.csv", "utf-8-sig")
    assert sorted(memos) == sorted(["'" + c for c in HOSTILE] + [c for c in HARMLESS if c])


def _formulas(converted: Path) -> list[str]:
    return re.findall(r'table:formula="([^"]*)"', converted.read_text(encoding="utf-8"))


def _libreoffice(sources: list[Path], infilter: str, outdir: Path) -> list[Path]:
    """``sources`` opened by LibreOffice with ``infilter`` and saved as flat ODS."""
    run = subprocess.run(
        [
            SOFFICE or "soffice",
            f"-env:UserInstallation=file://{outdir.parent / 'lo-profile'}",
            "--headless",
            f"--infilter={infilter}",
            "--convert-to",
            "fods",
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    converted = [outdir / (source.stem + ".fods") for source in sources]
    assert all(path.exists() for path in converted), run.stdout + run.stderr
    return converted


# The brief's filter, and the same with "trim spaces" and "evaluate formulas" set.
FILTERS = ["CSV:44,34,76,1", "CSV:44,34,76,1,,1033,false,true,false,false,true,-1,true"]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_no_formula_from_the_excel_profile(tmp_path):
    cells = HOSTILE + [c for c in HARMLESS if c]
    excel = _export(tmp_path, cells, "excel", ("csv",)) / "annotations.csv"
    raw = tmp_path / "raw.csv"  # the same cells, not neutralised
    raw.write_bytes(
        (_export(tmp_path, cells, "analysis", ("csv",)) / "annotations.csv").read_bytes()
    )
    for n, infilter in enumerate(FILTERS):
        opened_raw, opened_excel = _libreoffice([raw, excel], infilter, tmp_path / f"lo{n}")
        # Without neutralising, LibreOffice does start formulas (NUL first, and
        # with trimmed spaces blanks first): the check can see them.
        assert "of:=1+2" in _formulas(opened_raw)
        assert any(f.startswith("of:=HYPERLINK") for f in _formulas(opened_raw))
        assert _formulas(opened_excel) == []


def test_xlsx_holds_them_as_text_never_as_formulas(tmp_path):
    pytest.importorskip("openpyxl")
    out = _export(tmp_path, HOSTILE, "analysis", ("xlsx",))
    with zipfile.ZipFile(out / XLSX) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(book.read(n).decode("utf-8") for n in sheets)
    assert sheets and "<f>" not in xml and "<f " not in xml
