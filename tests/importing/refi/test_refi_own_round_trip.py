"""Our own .qdpx read back: the project rebuilt exactly, so that its CSV export is
byte for byte the one of the project it came from."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.refi import write_qdpx
from annotator.importing.refi import import_refi
from annotator.store.project import Project, open_project
from tests.exporting.coded_example import build, build_mixed

# The manifest names the project file, hashes its bytes and says when it was written:
# those fields differ between two projects, whatever they hold.
MANIFEST_ASIDE = (("project", "file_name"), ("project", "content_sha256"), ("exported_at",))


def _manifest(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for keys in MANIFEST_ASIDE:
        holder = data
        for key in keys[:-1]:
            holder = holder[key]
        del holder[keys[-1]]
    return data


def assert_same_export(first: Path, second: Path) -> None:
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        if name == "manifest.json":
            assert _manifest(first / name) == _manifest(second / name)
        else:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_export_import_export_is_byte_identical(project: Project, tmp_path: Path) -> None:
    build(project)
    build_mixed(project)
    qdpx = tmp_path / "study.qdpx"
    write_qdpx(project, qdpx)
    report = import_refi(qdpx, tmp_path / "copy.annotator")
    assert report.exact and report.documents == 2 and report.annotations == 8
    export_for_analysis(project, tmp_path / "before")
    with open_project(tmp_path / "copy.annotator") as copy:
        export_for_analysis(copy, tmp_path / "after")
        assert copy.project_id != project.project_id  # a project of its own
        assert [a.id for a in copy.annotations()] == [a.id for a in project.annotations()]
    assert_same_export(tmp_path / "before", tmp_path / "after")


def test_a_copy_that_disagrees_with_the_archive_is_not_used(
    project: Project, tmp_path: Path
) -> None:
    example = build(project)
    qdpx = tmp_path / "study.qdpx"
    write_qdpx(project, qdpx)
    edited = tmp_path / "edited.qdpx"
    with zipfile.ZipFile(qdpx) as source, zipfile.ZipFile(edited, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("sources/"):
                data = data.replace(b"Putin said", b"Putin says")  # edited in another tool
            target.writestr(item, data)
    report = import_refi(edited, tmp_path / "copy.annotator")
    assert not report.exact
    assert "was changed after the export" in report.notes[0]
    with open_project(tmp_path / "copy.annotator", read_only=True) as copy:
        quotes = sorted(a.quote for a in copy.annotations())
        assert quotes == sorted(a.quote for a in project.annotations())
        assert {a.id for a in copy.annotations()}.isdisjoint({a.id for a in project.annotations()})
        assert [d.title for d in copy.documents()] == [example.doc.title]


def _rewrite_copy(qdpx: Path, target: Path, change: object) -> Path:
    with zipfile.ZipFile(qdpx) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "annotator/project.json":
                copy = json.loads(data)
                change(copy)  # type: ignore[operator]
                data = json.dumps(copy).encode()
            out.writestr(item, data)
    return target


def _newer(copy: dict) -> None:
    copy["schema_version"] = 999


def _extra_column(copy: dict) -> None:
    copy["tables"]["categories"][0]["dropped"] = "x"


def _other_table(copy: dict) -> None:
    copy["tables"]["sqlite_master"] = []


def _moved_span(copy: dict) -> None:
    copy["documents"][0]["annotations"][0]["start"] += 1


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_newer, "project schema 999"),
        (_extra_column, "its rows do not fit the project"),
        (_other_table, "its tables are not Annotator's"),
        (_moved_span, "is not where it says"),
    ],
)
def test_a_copy_that_is_damaged_or_newer_is_not_used(
    project: Project, tmp_path: Path, change: object, said: str
) -> None:
    build(project)
    write_qdpx(project, tmp_path / "study.qdpx")
    edited = _rewrite_copy(tmp_path / "study.qdpx", tmp_path / "edited.qdpx", change)
    report = import_refi(edited, tmp_path / "copy.annotator")
    assert not report.exact and said in report.notes[0]
    assert report.annotations == len(project.annotations())
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".annotator") == [
        "copy.annotator",
        "test.annotator",
    ]


def test_a_coder_copy_read_back_is_a_project_of_its_own(project: Project, tmp_path: Path) -> None:
    from annotator.ops import team

    build(project)
    plan = team.plan_for(project, ["Ana", "Ben"])
    copies = team.prepare_coder_copies(project, plan, tmp_path / "copies").value.files
    with open_project(copies["Ana"]) as copy:
        assert copy.copy_coder() == "Ana"
        write_qdpx(copy, tmp_path / "ana.qdpx")
    report = import_refi(tmp_path / "ana.qdpx", tmp_path / "rebuilt.annotator")
    assert report.exact
    with open_project(tmp_path / "rebuilt.annotator", read_only=True) as rebuilt:
        # The copy's role and coder belong to that file: the rebuilt project asks its coder.
        assert rebuilt.copy_coder() == ""
        assert rebuilt.project_id != project.project_id


def test_an_adjudicated_project_is_rebuilt_with_its_decisions(
    project: Project, tmp_path: Path
) -> None:
    from annotator.ops import adjudication
    from tests.adjudication_example import build as build_adjudication

    build_adjudication(project)
    report = adjudication.premerge(project, settled_by="Lead").value
    assert report.agreed == 1
    write_qdpx(project, tmp_path / "settled.qdpx")
    imported = import_refi(tmp_path / "settled.qdpx", tmp_path / "copy.annotator")
    assert imported.exact
    export_for_analysis(project, tmp_path / "before")
    with open_project(tmp_path / "copy.annotator") as copy:
        assert len(copy.decisions()) == len(project.decisions()) == 1
        export_for_analysis(copy, tmp_path / "after")
    assert (tmp_path / "before" / "adjudication.csv").read_bytes().count(b"\n") > 1
    assert_same_export(tmp_path / "before", tmp_path / "after")
