"""Project files built once per test process and copied into each test's folder.

A project with thousands of annotations takes a good part of a second to build;
tests that each need the same one get a copy of a file built the first time it is
asked for. Each test still opens a real SQLite file of its own in ``tmp_path``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from annotator.store.project import Project, create_project

_BUILT: dict[tuple[Path, str], Path] = {}


def _build(name: str, build: Callable[[Project], object], folder: Path) -> Path:
    path = folder / f"{name}.annotator"
    saved = {key: os.environ.get(key) for key in ("ANNOTATOR_DATA_DIR", "ANNOTATOR_CONFIG_DIR")}
    os.environ["ANNOTATOR_DATA_DIR"] = str(folder / "data")  # its backups stay here
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(folder / "config")
    try:
        with create_project(path) as project:
            build(project)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
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
