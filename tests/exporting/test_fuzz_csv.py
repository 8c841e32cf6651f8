"""Fuzzing the CSV writer: awkward titles, memos and quotes, both profiles.

Read back with csv: the analysis profile gives the stored values exactly; the
excel profile the same, except that a cell csv_profiles treats as a formula
(leading = + - @ tab CR NUL, or = + - @ or their full-width forms after
blanks, and not a plain number) carries a leading "'".
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.store.project import create_project

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The rule of csv_profiles.neutralise, restated so the test checks it independently.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\x00")
FORMULA_SIGNS = "=+-@＝＋－＠"  # after blanks: a space or any character that does not print
PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
TRICKY = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\r\n",
    "\n",
    '"',
    ",",
    "'",
    "-1",
    "+49",
    "=1+1",
    "@SUM(A1)",
    "👍🏽",
    "소아쌤",
    "\x00",
    " ",
    "\u3000",
    "\u200b",
    "＝",
    "＠",
    "\x1b",
    "\u2028",
    "e\u0301",
    "1e5",
    ".5",
]
PIECE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), st.sampled_from(TRICKY)
)
VALUE = st.lists(PIECE, max_size=4).map("".join)


def _excel(value: str) -> str:
    if value.startswith(DANGEROUS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    shown = next((i for i, ch in enumerate(value) if ch != " " and ch.isprintable()), len(value))
    if value[shown:][:1] in tuple(FORMULA_SIGNS) and not PLAIN_NUMBER.fullmatch(value, shown):
        return "'" + value
    return value


def _read(path: Path, encoding: str) -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


@FUZZ
@given(
    title=VALUE,
    pieces=st.lists(PIECE, min_size=1, max_size=8),
    memos=st.lists(VALUE, min_size=1, max_size=3),
    data=st.data(),
)
def test_csv_cells_round_trip_in_both_profiles(title, pieces, memos, data):
    text = "x" + "".join(pieces)  # never blank
    with (
        tempfile.TemporaryDirectory() as folder,
        create_project(Path(folder) / "p.annotator") as project,
    ):
        doc = project.import_text(text, title=title or "t")
        stored = project.document_text(doc.id)
        for memo in memos:
            start = data.draw(st.integers(0, len(stored) - 1))
            end = data.draw(st.integers(start + 1, len(stored)))
            project.add_annotation(
                doc.id,
                start,
                end,
                data.draw(st.sampled_from(["actor", "claim"])),
                coder="Ana",
                memo=memo,
            )
        doc = project.document(doc.id)
        annotations = {a.id: a for a in project.annotations()}
        for profile, encoding, expect in (
            ("analysis", "utf-8", lambda v: v),
            ("excel", "utf-8-sig", _excel),
        ):
            out = Path(folder) / profile
            export_for_analysis(project, out, ExportOptions(profile=profile))
            (row,) = _read(out / "documents.csv", encoding)
            assert row["title"] == expect(doc.title)
            assert row["text"] == expect(stored)
            rows = _read(out / "annotations.csv", encoding)
            assert len(rows) == len(annotations)
            for row in rows:
                annotation = annotations[row["annotation_id"]]
                assert annotation.quote == stored[annotation.start : annotation.end]
                assert row["quote"] == expect(annotation.quote)
                assert row["memo"] == expect(annotation.memo)
                assert row["document_title"] == expect(doc.title)
                assert (int(row["start"]), int(row["end"])) == (annotation.start, annotation.end)


def test_bare_cr_in_memo_and_title_round_trips_in_analysis_profile(tmp_path):
    with create_project(tmp_path / "p.annotator") as project:
        doc = project.import_text("Some text", title="0\r0")
        project.add_annotation(doc.id, 0, 4, "actor", coder="Ana", memo="a\rb")
        export_for_analysis(project, tmp_path / "out", ExportOptions(profile="analysis"))
    (row,) = _read(tmp_path / "out" / "documents.csv", "utf-8")
    assert row["title"] == "0\r0"
    (row,) = _read(tmp_path / "out" / "annotations.csv", "utf-8")
    assert row["memo"] == "a\rb"
