"""``annotator --self-test`` in a real process, and a failing check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import selftest
from annotator.cli import main
from annotator.core import resources


def _self_test(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "annotator", "--self-test"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
            "ANNOTATOR_CONFIG_DIR": str(tmp_path / "config"),
            "PYTHONIOENCODING": "utf-8",
            **env,
        },
        timeout=120,
    )


def test_self_test_passes_in_a_real_process(tmp_path):
    result = _self_test(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for name in ("sqlite", "resources", "sample documents", "project", "qt", "window"):
        assert f"ok    {name}: " in out
    assert "FTS5 works" in out
    assert "tagged 'Kim'" in out and "CSV quote matches" in out
    assert "platform 'offscreen'" in out
    assert f"Data folder: {tmp_path / 'data'}" in out
    assert out.rstrip().splitlines()[-1].startswith("self-test passed: 6 checks")
    # The report is kept in the log folder; nothing else is left in the user's folders.
    report = tmp_path / "data" / "logs" / "self-test.txt"
    assert report.read_text(encoding="utf-8") == out
    assert sorted(p.name for p in (tmp_path / "data").rglob("*")) == ["logs", "self-test.txt"]
    assert not (tmp_path / "config").exists()


def test_a_missing_platform_plugin_fails_without_crashing(tmp_path):
    result = _self_test(tmp_path, QT_QPA_PLATFORM="nosuchplatform")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL  qt: RuntimeError: the Qt platform plugin 'nosuchplatform' is missing" in (
        result.stdout
    )
    assert "FAIL  window: skipped: the Qt check failed" in result.stdout
    assert "ok    project: " in result.stdout
    assert "self-test FAILED: qt, window (2 of 6 checks)" in result.stdout


def test_missing_resources_fail_the_self_test(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "nowhere" / "annotator")
    assert main(["--self-test"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  resources: FileNotFoundError: the app's 'resources' folder is missing" in out
    assert "FAIL  sample documents: FileNotFoundError" in out
    assert "FAIL  project: " in out
    assert "ok    sqlite: " in out
    assert "self-test FAILED: resources, sample documents, project" in out


def test_a_wrong_quote_is_a_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(selftest, "QUOTE", "Pyongyang")
    monkeypatch.setattr(selftest, "EMOJI_TEXT", "No such name here.\n")
    results = {r.name: r for r in selftest.run_checks(tmp_path, qt=False)}
    assert not results["project"].ok
    assert "ValueError" in results["project"].detail
    assert results["sqlite"].ok and results["resources"].ok


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_process_age_is_known_on_linux():
    age = selftest.seconds_since_process_start()
    assert age is not None and 0 <= age < 24 * 3600


def test_an_error_outside_the_checks_is_a_failed_report_not_a_crash(monkeypatch, capsys):
    import annotator.selftest
    from annotator import cli

    def broken() -> int:
        raise ImportError(
            "No module named 'annotator.importing.readers'"
        )  # a bundle missing a module

    monkeypatch.setattr(annotator.selftest, "main", broken)
    assert cli.main(["--self-test"]) == 1
    out = capsys.readouterr().out
    assert "self-test FAILED before its checks ran" in out and "annotator.importing.readers" in out
