"""Shared fixtures. Qt runs offscreen; settings and data go to tmp_path."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from annotator.store.project import Project, create_project  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def project(tmp_path: Path):
    proj = create_project(tmp_path / "test.annotator")
    yield proj
    proj.close()


@pytest.fixture
def doc_project(project: Project):
    """A project with one short document (emoji and Korean included)."""
    doc = project.import_text(
        "Putin met Kim 👍🏽 in Pyongyang.\n소아쌤 said: “no deal”.\n", title="Summit"
    )
    return project, doc
