"""Shared fixtures. Qt runs offscreen; settings and data go to tmp_path."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from annotator.store.project import Project, open_project  # noqa: E402
from tests.project_templates import template_copy  # noqa: E402

RAM_DISK = Path("/dev/shm")
RAM_DISK_FREE = 1 << 30  # a run keeps about 100 MB there at a time


def pytest_configure(config: pytest.Config) -> None:
    """Temporary folders (``tmp_path``, ``tempfile``) on a RAM disk where there is one.

    Every write of a project syncs its file (``synchronous = FULL``); on a disk each
    sync waits for the device, several milliseconds on a busy machine, which made up
    most of the suite's time. On tmpfs a sync returns at once, and each test still
    writes a real SQLite file of its own. ``--basetemp`` or ``TMPDIR`` still choose
    the folder (pytest-xdist gives each worker one inside the controller's)."""
    if os.environ.get("TMPDIR"):
        return
    basetemp = config.option.basetemp
    if basetemp and not Path(basetemp).resolve().is_relative_to(RAM_DISK):
        return
    if not (RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK | os.X_OK)):
        return
    if shutil.disk_usage(RAM_DISK).free >= RAM_DISK_FREE:  # not a container's 64 MB one
        tempfile.tempdir = str(RAM_DISK)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the project files built once per test process go (tests/project_templates.py)."""
    return tmp_path_factory.mktemp("templates")


@pytest.fixture
def project(tmp_path: Path, templates: Path):
    """A new, empty project: a copy of one ``create_project`` made once (every schema
    step run), opened as ``create_project`` opens the file it made."""
    proj = open_project(template_copy("empty", _nothing, tmp_path / "test.annotator", templates))
    yield proj
    proj.close()


def _nothing(_project: Project) -> None:
    pass


@pytest.fixture
def doc_project(project: Project):
    """A project with one short document (emoji and Korean included)."""
    doc = project.import_text(
        "Putin met Kim 👍🏽 in Pyongyang.\n소아쌤 said: “no deal”.\n", title="Summit"
    )
    return project, doc
