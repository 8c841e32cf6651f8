"""Project files built once per test process and copied into each test's folder.

A project with thousands of annotations takes a good part of a second to build;
tests that each need the same one get a copy of a file built the first time it is
asked for. Each test still opens a real SQLite file of its own in ``tmp_path``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from annotator.selftest import private_folders
from annotator.store.project import Project, create_project

_BUILT: dict[tuple[Path, str], Path] = {}


def _build(name: str, build: Callable[[Project], object], folder: Path) -> Path:
    path = folder / f"{name}.annotator"
    with private_folders(folder), create_project(path) as project:  # its backups stay here
        build(project)
    # Closed: the log was checkpointed into the file and removed, so the file alone
    # is the whole project.
    assert not Path(f"{path}-wal").exists(), "a template must be closed before copying"
    return path


def template_copy(
    name: str, build: Callable[[Project], object], target: Path, templates: Path
) -> Path:
    """Copy the template ``name`` (made by ``build`` on a new project in a folder of
    its own under ``templates`` the first time) to ``target``; the template is the
    same for every caller of one name."""
    key = (templates, name)
    if key not in _BUILT:
        folder = templates / name
        folder.mkdir(parents=True)
        _BUILT[key] = _build(name, build, folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_BUILT[key], target)
    return target
