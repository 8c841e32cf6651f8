"""The R loading code in DATA_DICTIONARY.md reads the exported files exactly.

Runs the snippets as written in the dictionary with Rscript (base R and readr);
skipped where R is not installed (CI installs it)."""

import re
import shutil
import subprocess

import pytest

from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.store.project import create_project

RSCRIPT = shutil.which("Rscript")
TEXT = 'He said "no, never",\nthen =SUM(A1) 👍🏽 and 소아쌤 left.\nMore text, here. '
DUMP = """
con <- file("r-quotes.bin", "wb")
for (column in c("quote", "memo")) for (value in annotations[[column]]) {
  writeBin(charToRaw(enc2utf8(ifelse(is.na(value), "<NA>", value))), con)
  writeBin(as.raw(0), con)
}
writeBin(charToRaw(paste(names(annotations), collapse = "|")), con)
close(con)
"""


def _snippets(markdown: str) -> dict[str, str]:
    """The code blocks of 'Loading the files', by their heading line."""
    found = re.findall(r"\n([^\n]+):\n\n```(\w+)\n(.*?)```", markdown, flags=re.S)
    return {label.strip(): code for label, _lang, code in found}


def _has_readr() -> bool:
    if RSCRIPT is None:
        return False
    probe = subprocess.run([RSCRIPT, "-e", "library(readr)"], capture_output=True)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("snippets")
    with create_project(folder / "p.annotator") as project:
        doc = project.import_text(TEXT, title='Title, with "quotes"')
        text = project.document_text(doc.id)
        # A quote that ends in a space and one that starts with '=', a memo with a
        # newline and quotes, an empty memo.
        project.add_annotation(
            doc.id, 0, text.index("left"), "claim", coder="Ana", memo='memo "q",\nline 2'
        )
        start = text.index("=SUM")
        project.add_annotation(doc.id, start, start + 8, "actor", coder="Bo")
        expected = sorted(project.annotations(), key=lambda a: (a.start, a.end))
        yield project, [a.quote for a in expected] + [a.memo for a in expected]


@pytest.mark.skipif(RSCRIPT is None, reason="R is not installed")
@pytest.mark.parametrize("profile", ["analysis", "excel"])
@pytest.mark.parametrize("reader", ["R (readr)", "R (base)"])
def test_the_r_snippets_read_every_character(project, tmp_path, profile, reader):
    project, expected = project
    if reader == "R (readr)" and not _has_readr():
        pytest.skip("the readr package is not installed")
    out = tmp_path / "export"
    export_for_analysis(project, out, ExportOptions(profile=profile))
    code = _snippets((out / "DATA_DICTIONARY.md").read_text(encoding="utf-8"))[reader]
    run = subprocess.run([RSCRIPT, "-e", code + DUMP], cwd=out, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    *values, header = (out / "r-quotes.bin").read_bytes().split(b"\0")
    values = [v.decode("utf-8") for v in values]
    if profile == "excel":  # the dictionary says: a leading ' marks a neutralised cell
        expected = ["'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in expected]
    assert values == [v if v else "<NA>" for v in expected]
    assert header.decode().split("|")[:3] == ["annotation_id", "document_id", "document_title"]


@pytest.mark.skipif(RSCRIPT is None, reason="R is not installed")
@pytest.mark.parametrize(("reader", "read_as"), [("R (readr)", "a\rb"), ("R (base)", "a\nb")])
def test_a_carriage_return_in_a_memo_is_read_as_the_dictionary_says(tmp_path, reader, read_as):
    if reader == "R (readr)" and not _has_readr():
        pytest.skip("the readr package is not installed")
    with create_project(tmp_path / "p.annotator") as project:
        doc = project.import_text("Alpha beta.", title="t")
        project.add_annotation(doc.id, 0, 5, "actor", coder="Ana", memo="a\rb")
        out = tmp_path / "export"
        export_for_analysis(project, out, ExportOptions())
    markdown = (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "Base R reads a carriage return inside a cell" in markdown
    run = subprocess.run(
        [RSCRIPT, "-e", _snippets(markdown)[reader] + DUMP], cwd=out, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    quote, memo, _header = (out / "r-quotes.bin").read_bytes().split(b"\0")
    assert (quote.decode(), memo.decode()) == ("Alpha", read_as)
