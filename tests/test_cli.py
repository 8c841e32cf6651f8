import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.project import create_project, open_project


def test_export_command_in_a_real_process(tmp_path):
    path = tmp_path / "p.annotator"
    with create_project(path) as project:
        doc = project.import_text("Putin 👍🏽 visited Pyongyang.", title="Visit")
        project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    out = tmp_path / "out"
    result = _run("export", path, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "annotations.csv: 1 rows" in result.stdout
    with (out / "annotations.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["quote"], row["category"], row["coder"]) == ("Putin", "actor", "Ana")


def test_export_of_a_bad_file_fails_with_a_message(tmp_path, capsys):
    bad = tmp_path / "notes.annotator"
    bad.write_text("not a project")
    assert main(["export", str(bad), "--out", str(tmp_path / "out")]) == 1
    assert "not an Annotator project" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert bad.read_text() == "not a project"


def _project_with(path, text, title, *codes):
    """A project with one document and actor codes given as (start, end, coder)."""
    with create_project(path) as project:
        doc = project.import_text(text, title=title)
        for start, end, coder in codes:
            project.add_annotation(doc.id, start, end, "actor", coder=coder)
    return path


def _run(command, *args):
    """``annotator COMMAND ARGS…`` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "annotator", command, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )


def _main(capsys, command, *args) -> tuple[int, str, str]:
    """``annotator COMMAND ARGS…`` run by ``main`` in this process: its exit code (an
    argument error's too), stdout and stderr. The real entry point runs in the
    ``*_in_a_real_process`` tests."""
    capsys.readouterr()
    try:
        code = main([command, *map(str, args)])
    except SystemExit as exit_:  # argparse refuses the arguments
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_import_command_in_a_real_process(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_bytes("Grüße aus Köln, sagte Merkel. Schön.\r\n".encode("cp1252"))
    (docs / "sub" / "b.md").write_text("# Kim\n\nKim said “no”. 👍🏽\n", encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "ignored.log").write_text("not collected from a folder")
    meta = tmp_path / "meta.csv"
    meta.write_text("file_name,source,color\na.txt,Spiegel,red\n", encoding="utf-8")
    project_path = tmp_path / "new.annotator"
    result = _run("import", project_path, docs, "--metadata", meta)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "imported  a.txt (cp1252)",
        "rejected  empty.txt: the file is empty (no text)",
        "imported  b.md (utf-8)",
    ]
    assert "note: metadata columns ignored" in result.stdout and "color" in result.stdout
    with open_project(project_path) as project:
        a, b = project.documents()
        assert project.document_text(a.id) == "Grüße aus Köln, sagte Merkel. Schön.\n"
        assert (a.source, a.encoding) == ("Spiegel", "cp1252")
        assert b.title == "Kim"
    again = _run("import", project_path, docs / "sub" / "b.md")
    assert again.returncode == 0
    assert again.stdout.startswith("duplicate b.md: same text as “Kim”")


def test_import_command_with_an_encoding_and_nothing_importable(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes("Köln".encode("latin-1"))
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    project_path = tmp_path / "p.annotator"
    code, out, _ = _main(
        capsys, "import", project_path, tmp_path / "bin.txt", tmp_path / "missing.txt"
    )
    assert code == 1
    assert "rejected  bin.txt: the file looks binary" in out
    assert "rejected  missing.txt: the file does not exist" in out
    with open_project(project_path) as project:
        assert project.documents() == []
    code, out, err = _main(
        capsys, "import", project_path, tmp_path / "a.txt", "--encoding", "latin-1"
    )
    assert code == 0, err
    assert out.startswith("imported  a.txt (latin-1)")
    assert _main(capsys, "import", project_path, tmp_path / "a.txt", "--encoding", "nope")[0] == 2


def test_import_command_refuses_a_bad_metadata_file(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Text.")
    (tmp_path / "m.csv").write_text("title\nx\n")
    assert (
        main(
            [
                "import",
                str(tmp_path / "p.annotator"),
                str(tmp_path / "a.txt"),
                "--metadata",
                str(tmp_path / "m.csv"),
            ]
        )
        == 2
    )
    assert "file_name" in capsys.readouterr().err
    assert not (tmp_path / "p.annotator").exists()


def test_export_command_refuses_a_coder_without_annotations(tmp_path, capsys):
    path = _project_with(
        tmp_path / "p.annotator", "Putin and Kim met.", "Visit", (0, 5, "Ben"), (10, 13, "ana")
    )
    before = path.read_bytes()
    out = tmp_path / "out"
    code, _, err = _main(capsys, "export", path, "--out", out, "--coder", "ben")
    assert code == 1
    assert err == (
        "annotator: No annotations by a coder named “ben”. Coders with annotations: ana, Ben.\n"
    )
    assert not out.exists()
    assert path.read_bytes() == before


def test_export_command_with_profile_coder_and_formats(tmp_path, capsys):
    path = _project_with(
        tmp_path / "p.annotator", "=Putin and Kim met.", "-Visit", (0, 6, "Ana"), (11, 14, "Bo")
    )
    out = tmp_path / "out"
    code, stdout, stderr = _main(
        capsys,
        "export",
        path,
        "--out",
        out,
        "--profile",
        "excel",
        "--coder",
        "Ana",
        "--format",
        "csv,dta,sav,xlsx",
    )
    assert code == 0, stderr
    assert "annotations.csv: 1 rows" in stdout
    raw = (out / "annotations.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with (out / "annotations.csv").open(encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["quote"], row["coder"], row["document_title"]) == ("'=Putin", "Ana", "'-Visit")
    manifest = (out / "manifest.json").read_text("utf-8")
    assert '"profile": "excel"' in manifest and '"coder": "Ana"' in manifest
    assert (out / "DATA_DICTIONARY.md").exists()
    assert (out / "network_actor_issue.graphml").exists()
    for fmt in ("dta", "sav", "xlsx"):  # written, or skipped with a reason on stderr
        assert any(n.endswith(f".{fmt}") for n in os.listdir(out)) or (f"{fmt} skipped" in stderr)


def test_export_command_refuses_an_unknown_format(tmp_path, capsys):
    path = tmp_path / "p.annotator"
    create_project(path).close()
    code, _, err = _main(capsys, "export", path, "--out", tmp_path / "o", "--format", "csv,parquet")
    assert code == 2
    assert "--format" in err
    assert not (tmp_path / "o").exists()


def test_import_command_refuses_a_project_open_in_a_window(tmp_path):
    from annotator.qt.safety.lock_file import ProjectLock, lock_path

    project_path = tmp_path / "open.annotator"
    open_project(project_path, create=True).close()
    (tmp_path / "a.txt").write_text("A text.", encoding="utf-8")
    window_lock = ProjectLock(project_path)  # what a window holds while it shows the project
    assert window_lock.acquire() is None
    try:
        result = _run("import", project_path, tmp_path / "a.txt")
        assert result.returncode == 1
        assert f"is open in another Annotator window (process {os.getpid()}" in result.stderr
        with open_project(project_path) as project:
            assert project.documents() == []
    finally:
        window_lock.release()
    result = _run("import", project_path, tmp_path / "a.txt")  # closed: the import goes ahead
    assert result.returncode == 0, result.stderr
    assert not lock_path(project_path).exists()


def _small_project(path):
    _project_with(path, "Putin and Kim met.", "Visit", (0, 5, "Ana"))


def test_export_never_changes_the_project(tmp_path, capsys):
    old = tmp_path / "old.annotator"
    old.write_bytes((Path(__file__).parent / "data" / "schema_2.annotator").read_bytes())
    assert main(["export", str(old), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "was saved by an older version of Annotator. Open it in Annotator once" in err
    assert old.read_bytes() == (Path(__file__).parent / "data" / "schema_2.annotator").read_bytes()
    assert not (tmp_path / "out").exists()
    current = tmp_path / "p.annotator"
    _small_project(current)
    before = current.read_bytes()
    assert main(["export", str(current), "--out", str(tmp_path / "out")]) == 0
    assert current.read_bytes() == before


def test_export_into_a_file_says_so(tmp_path, capsys):
    _small_project(tmp_path / "p.annotator")
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    for out in (tmp_path / "afile", tmp_path / "afile" / "out"):
        assert main(["export", str(tmp_path / "p.annotator"), "--out", str(out)]) == 1
        assert f"{tmp_path / 'afile'} is a file, not a folder" in capsys.readouterr().err
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "not a folder"


def test_ctrl_c_while_the_files_go_in_leaves_the_previous_export(tmp_path, capsys, monkeypatch):
    from annotator.exporting import folder as export_folder

    _small_project(tmp_path / "p.annotator")
    out = tmp_path / "out"
    assert main(["export", str(tmp_path / "p.annotator"), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = os.replace

    def interrupted(src, dst):
        if Path(src).name == "claims.csv" and Path(src).parent.name.startswith(
            ".annotator-export-"
        ):
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(export_folder.os, "replace", interrupted)
    assert main(["export", str(tmp_path / "p.annotator"), "--out", str(out)]) == 130
    assert f"export cancelled; nothing in {out} was changed" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_stata_writer_failure_is_a_message_not_a_traceback(tmp_path, capsys, monkeypatch):
    pyreadstat = pytest.importorskip("pyreadstat")
    _small_project(tmp_path / "p.annotator")

    def full_disk(*_args, **_kwargs):
        raise pyreadstat.ReadstatError("Unable to write data")

    monkeypatch.setattr(pyreadstat, "write_dta", full_disk)
    out = tmp_path / "out"
    assert (
        main(["export", str(tmp_path / "p.annotator"), "--out", str(out), "--format", "csv,dta"])
        == 1
    )
    assert capsys.readouterr().err == (
        f"annotator: cannot export to {out}: the .dta files could not be written "
        "(Unable to write data). Nothing in the folder was changed.\n"
    )
    assert not out.exists()


def test_a_damaged_project_or_unknown_format_is_named(tmp_path, capsys):
    _small_project(tmp_path / "p.annotator")
    damaged = tmp_path / "damaged.annotator"
    damaged.write_bytes((tmp_path / "p.annotator").read_bytes()[:20_000])
    before = damaged.read_bytes()
    assert main(["export", str(damaged), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "“damaged.annotator” cannot be opened: it is damaged, or not an Annotator" in err
    assert "offers the newest good one. The file was not changed." in err
    assert damaged.read_bytes() == before
    with pytest.raises(SystemExit):
        main(
            [
                "export",
                str(tmp_path / "p.annotator"),
                "--out",
                str(tmp_path / "out"),
                "--format",
                "csv,pdf",
            ]
        )
    assert "--format: unknown format 'pdf'; choose from csv, dta, sav, xlsx" in (
        capsys.readouterr().err
    )


def test_import_reads_word_punctuation_as_windows_1252_and_flags_weak_guesses(tmp_path, capsys):
    """Word's "Save as text": curly quotes and dashes, which the detector alone read as
    a Mac code page; and a Mac Roman file, whose guess is flagged."""
    docs = tmp_path / "docs"
    docs.mkdir()
    saved_by_word = "surely, and South which™ to treaty,ß Moscow in all– Kim “North” said.\r\n"
    (docs / "word.txt").write_bytes(saved_by_word.encode("cp1252"))
    mac = "Le ministre a déclaré “nous n’accepterons pas” – café, naïve, été.\r"
    (docs / "mac.txt").write_bytes(mac.encode("mac-roman"))
    project_path = tmp_path / "p.annotator"
    assert main(["import", str(project_path), str(docs)]) == 0
    out, err = capsys.readouterr()
    assert "imported  word.txt (cp1252)" in out.splitlines()
    assert "imported  mac.txt (mac-roman)" in out.splitlines()
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith(
        "warning: mac.txt: its encoding was guessed as mac-roman with low confidence"
    )
    with open_project(project_path) as project:
        texts = {d.file_name: project.document_text(d.id) for d in project.documents()}
    assert texts["word.txt"] == saved_by_word.replace("\r\n", "\n")


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["export"],
        ["import"],
        ["import-qdpx"],
        ["search"],
        ["team"],
        ["team", "prepare"],
        ["team", "merge"],
        ["team", "agreement"],
        ["team", "premerge"],
    ],
)
def test_every_command_explains_itself(command, capsys):
    """--help prints the command's usage on stdout and exits 0 (team prepare's
    help once stopped with a traceback: a bare % in it)."""
    try:
        code = main([*command, "--help"])
    except SystemExit as stop:
        code = stop.code
    assert code == 0
    out = capsys.readouterr().out
    assert "usage:" in out
