"""An export reads and writes the big tables a group of documents at a time:
the files are the same whatever the groups, progress moves group by group, a
cancel in the middle leaves the previous export, and memory stays bounded."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import pytest

from annotator.core.codebook import Value
from annotator.core.progress import Cancelled, Progress
from annotator.exporting import data as export_data
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.batch_pass import BIG_TABLES
from annotator.exporting.model import ExportOptions
from annotator.store.project import Project, create_project
from tests.exporting.coded_example import write_unchecked

WORDS = "the minister said parliament 대통령 rejected 👍🏽 treaty, “quoted” =SUM(A1)".split()


def _build(project: Project, documents: int, per_document: int, seed: int = 7) -> None:
    """Mentions, claims and stances in several documents, by two coders; some
    stances target claims and holders of other documents."""
    rng = random.Random(seed)
    attr = project.codebook().attribute
    ids = {
        key: attr(category, name).id
        for key, category, name in (
            ("actor", "actor", "actor"),
            ("claimant", "claim", "claimant"),
            ("issue", "claim", "issue"),
            ("polarity", "stance", "polarity"),
            ("holder", "stance", "holder"),
            ("target", "stance", "target"),
        )
    }
    actors = [project.add_actor(f"Actor {i}", type="party") for i in range(5)]
    issues = [project.add_choice(ids["issue"], f"issue {i}", code=i + 1) for i in range(3)]
    polarity = attr("stance", "polarity").choices
    mentions: list[str] = []
    claims: list[str] = []
    for d in range(documents):
        text = " ".join(rng.choice(WORDS) for _ in range(per_document * 3))
        doc = project.import_text(text, title=f"Document {d}, “n”", date="2024-06-20")
        for i in range(per_document):
            start = rng.randrange(len(text) - 20)
            end = start + rng.randint(1, 20)
            coder = rng.choice(("Ana", "Bo"))
            kind = ("actor", "claim", "stance")[i % 3]
            values: list[Value] = []
            if kind == "actor" and rng.random() < 0.8:
                values.append(Value(ids["actor"], actor_id=rng.choice(actors).id))
            elif kind == "claim" and mentions:
                values.append(Value(ids["claimant"], annotation_id=rng.choice(mentions)))
                values.append(Value(ids["issue"], choice_id=rng.choice(issues).id))
            elif kind == "stance" and mentions and claims:
                values.append(Value(ids["polarity"], choice_id=rng.choice(polarity).id))
                values.append(Value(ids["holder"], annotation_id=rng.choice(mentions)))
                target = rng.choice(claims[-6:] if rng.random() < 0.7 else claims)
                values.append(Value(ids["target"], annotation_id=target))
            annotation = project.add_annotation(doc.id, start, end, kind, coder=coder)
            # Written as another tool (or a merge) may: the app keeps references
            # within a document, the export resolves them across documents too.
            write_unchecked(project, annotation.id, values)
            (mentions if kind == "actor" else claims if kind == "claim" else []).append(
                annotation.id
            )


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "manifest.json"}


@pytest.mark.parametrize(
    "options",
    [ExportOptions(), ExportOptions(profile="excel"), ExportOptions(coder="Bo")],
    ids=["analysis", "excel", "coder"],
)
def test_the_files_are_the_same_whatever_the_groups(project, tmp_path, monkeypatch, options):
    _build(project, documents=8, per_document=30)
    export_for_analysis(project, tmp_path / "one", options)  # all in one group
    monkeypatch.setattr(export_data, "BATCH_ANNOTATIONS", 7)
    export_for_analysis(project, tmp_path / "many", options)
    assert _files(tmp_path / "many") == _files(tmp_path / "one")


def test_progress_moves_group_by_group_up_to_its_total(project, tmp_path, monkeypatch):
    _build(project, documents=6, per_document=20)
    monkeypatch.setattr(export_data, "BATCH_ANNOTATIONS", 20)  # one group a document
    reports: list[tuple[int, int, str]] = []
    export_for_analysis(
        project, tmp_path / "out", ExportOptions(), Progress(lambda *r: reports.append(r))
    )
    done = [r[0] for r in reports]
    assert done == list(range(len(reports)))  # one step at a time, none skipped
    assert {r[1] for r in reports} == {len(reports) - 1}  # the total known from the start
    assert [r[2] for r in reports].count(BIG_TABLES) == 6


def test_a_cancel_in_the_middle_of_the_big_tables_leaves_the_previous_export(
    project, tmp_path, monkeypatch
):
    _build(project, documents=6, per_document=20)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions())
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    project.add_actor("Seoul")
    monkeypatch.setattr(export_data, "BATCH_ANNOTATIONS", 20)
    groups: list[int] = []

    def report(done: int, total: int, label: str) -> None:
        if label == BIG_TABLES:
            groups.append(done)
            if len(groups) == 3:
                progress.cancel()

    progress = Progress(report)
    with pytest.raises(Cancelled):
        export_for_analysis(project, out, ExportOptions(), progress)
    assert len(groups) == 3  # stopped in the third group of six
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _peak(project: Project, out: Path) -> int:
    tracemalloc.start()
    try:
        export_for_analysis(project, out, ExportOptions())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_depends_on_a_group_not_on_the_project(project, tmp_path, monkeypatch):
    """With groups of 100 annotations, exporting 3,000 takes about as much memory
    as exporting 300: 1.3 times as much, where reading them all at once took 5.9 times."""
    monkeypatch.setattr(export_data, "BATCH_ANNOTATIONS", 100)
    _build(project, documents=3, per_document=100, seed=1)
    small = _peak(project, tmp_path / "small")
    with create_project(tmp_path / "large.annotator") as bigger:
        _build(bigger, documents=30, per_document=100, seed=2)
        large = _peak(bigger, tmp_path / "large")
    assert large < 3 * small
